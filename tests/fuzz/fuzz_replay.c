/*
 * fuzz_replay.c - libFuzzer target for the replay cache's per-signer shares
 * (src/trust/replay.c; include/ssgw/token.h "the replay cache").
 *
 * The input drives a small cache (64 entries, share and window from the first two octets)
 * with tokens of four signers at a clock that only goes forward, token times inside the
 * window as the stale check leaves them, new nonces and replays of recorded ones. A model
 * kept here (every recorded token, by signer) must agree with the cache:
 *  - a recorded token of a signer none of whose own entries was replaced is SEEN while its
 *    token time is inside the window, whatever the other signers did (no signer replaces
 *    another's live entry);
 *  - such a signer's count is exactly its recorded live tokens (1 s slices: window <= 31 s),
 *    never above the share, and it is refused as over its share exactly when it holds it;
 *  - a new nonce is never SEEN;
 *  - a larger cache that adopts this one still knows every such token.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SIGNERS_N 4
#define MAX_REC   4096

typedef struct {
    uint8_t signer;
    uint64_t nonce, time;
} rec;

static rec recs[MAX_REC];

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

/* Signer s's operator id and key id (two keys each: bit 0 of the nonce picks one). */
static void ids(uint8_t s, uint64_t nonce, uint8_t op[8], uint8_t kid[8], uint8_t nn[8])
{
    memset(op, 0xa0 + s, 8);
    memset(kid, 0x10 * (s + 1) + (uint8_t)(nonce & 1), 8);
    put64(nn, nonce);
}

static size_t live_of(uint8_t s, size_t nrec, int64_t now, int64_t window)
{
    size_t n = 0;
    for (size_t i = 0; i < nrec; i++)
        n += recs[i].signer == s && (int64_t)recs[i].time >= now - window;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    unsigned share_pct = 1 + data[0] % 100;
    int64_t window = 1 + data[1] % 31;
    ssgw_replay *r = ssgw_replay_new(64, window, share_pct);
    if (!r) abort();
    ssgw_replay_stats st;
    ssgw_replay_get_stats(r, &st);
    size_t share = st.share, nrec = 0;
    bool lost[SIGNERS_N] = {false};
    int64_t now = 100000;
    uint64_t next_nonce = 1;
    uint8_t op[8], kid[8], nn[8];

    for (size_t p = 2; p + 3 <= size; p += 3) {
        uint8_t a = data[p], b = data[p + 1], c = data[p + 2];
        uint8_t s = a & (SIGNERS_N - 1);
        now += b % 4;
        bool replay = (a & 0x80) && nrec > 0;
        rec t;
        if (replay) {
            t = recs[c % nrec];
            if ((int64_t)t.time < now - window) continue; /* the stale check refuses it */
        } else {
            t.signer = s;
            t.nonce = next_nonce++;
            t.time = (uint64_t)(now - window + c % (2 * window + 1));
        }
        ids(t.signer, t.nonce, op, kid, nn);
        size_t before = lost[t.signer] ? 0 : live_of(t.signer, nrec, now, window);
        ssgw_replay_get_stats(r, &st);
        uint64_t evicted = st.evicted_live;
        int res = ssgw_replay_check_insert(r, op, kid, nn, t.time, now);
        ssgw_replay_get_stats(r, &st);
        if (st.evicted_live != evicted) lost[t.signer] = true; /* one of its own entries */
        if (!replay && res == SSGW_REPLAY_SEEN) abort();
        if (replay && !lost[t.signer] && res != SSGW_REPLAY_SEEN) abort();
        if (!replay && !lost[t.signer] && (res == SSGW_REPLAY_OVER_SHARE) != (before >= share))
            abort();
        if (res == SSGW_REPLAY_NEW && !replay && nrec < MAX_REC) recs[nrec++] = t;
        if (res == SSGW_REPLAY_NEW && nrec == MAX_REC) break;
        for (uint8_t k = 0; k < SIGNERS_N; k++) {
            memset(op, 0xa0 + k, 8);
            size_t held = ssgw_replay_signer_held(r, op, now);
            if (held > share) abort();
            if (!lost[k] && held != live_of(k, nrec, now, window)) abort();
        }
    }

    /* every recorded live token of an intact signer survives adoption into a larger cache */
    ssgw_replay *big = ssgw_replay_new(1024, window, share_pct);
    if (!big) abort();
    ssgw_replay_adopt(big, r, now);
    for (size_t i = 0; i < nrec; i++) {
        if (lost[recs[i].signer] || (int64_t)recs[i].time < now - window) continue;
        ids(recs[i].signer, recs[i].nonce, op, kid, nn);
        if (ssgw_replay_check_insert(big, op, kid, nn, recs[i].time, now) != SSGW_REPLAY_SEEN)
            abort();
    }
    ssgw_replay_free(big);
    ssgw_replay_free(r);
    return 0;
}
