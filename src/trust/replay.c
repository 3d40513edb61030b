/*
 * replay.c - the bounded replay cache of the token verifier (include/ssgw/token.h;
 * docs/wire-format.md "Replay").
 *
 * Key: signer key id (8) + nonce (8). Sets of eight entries; a key may live in either
 * of two sets chosen by keyed hashes (random per-cache seed, so collisions cannot be
 * planned). Two choices keep the sets evenly loaded: with one choice a set overflows
 * while the table is still mostly empty. An entry is live while its token time is
 * within window_s of now; a new key takes a dead slot of the emptier of its two sets,
 * and only when all sixteen slots are live is the one with the oldest token time
 * evicted (counted as evicted_live). Memory is fixed at creation: 24 octets per entry.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "ssgw/token.h"

#define WAYS 8

typedef struct {
    uint64_t id;    /* key id, big-endian */
    uint64_t nonce; /* nonce, big-endian */
    uint64_t time;  /* token time; 0: empty */
} entry;

struct ssgw_replay {
    entry *e;
    size_t sets; /* power of two */
    int64_t window;
    uint64_t seed;
    ssgw_replay_stats st;
};

static uint64_t load64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

ssgw_replay *ssgw_replay_new(size_t capacity, int64_t window_s)
{
    if (capacity == 0 || window_s < 0 || capacity > ((size_t)1 << 32)) return NULL;
    size_t sets = 2;
    while (sets * WAYS < capacity)
        sets <<= 1;
    ssgw_replay *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->e = calloc(sets * WAYS, sizeof(entry));
    if (!r->e) {
        free(r);
        return NULL;
    }
    r->sets = sets;
    r->window = window_s;
    if (RAND_bytes((unsigned char *)&r->seed, sizeof r->seed) != 1) r->seed = 0x5eed5eed5eedull;
    r->st.capacity = sets * WAYS;
    return r;
}

void ssgw_replay_free(ssgw_replay *r)
{
    if (!r) return;
    free(r->e);
    free(r);
}

static bool live(const ssgw_replay *r, const entry *e, int64_t now)
{
    /* time 0 marks an empty slot; token times are checked by the stale check first,
     * so an entry older than now - window can never match a fresh token. */
    return e->time != 0 && (int64_t)e->time >= now - r->window;
}

/* The two sets a key may live in. */
static void sets_of(const ssgw_replay *r, uint64_t id, uint64_t nn, entry **a, entry **b)
{
    uint64_t h = mix(id ^ r->seed) ^ mix(nn + r->seed);
    size_t i = (size_t)(mix(h) & (r->sets - 1));
    size_t j = (size_t)(mix(h ^ 0x9e3779b97f4a7c15ull) & (r->sets - 1));
    if (j == i) j = (i + 1) & (r->sets - 1);
    *a = &r->e[i * WAYS];
    *b = &r->e[j * WAYS];
}

/* Looks for the key in a set; counts its live entries and remembers a dead slot and
 * the oldest live one. */
static bool scan(const ssgw_replay *r, entry *set, uint64_t id, uint64_t nn, int64_t now,
                 int *nlive, entry **dead, entry **oldest)
{
    *nlive = 0;
    *dead = NULL;
    *oldest = NULL;
    for (int i = 0; i < WAYS; i++) {
        entry *e = &set[i];
        if (!live(r, e, now)) {
            if (!*dead) *dead = e;
            continue;
        }
        if (e->id == id && e->nonce == nn) return true;
        (*nlive)++;
        if (!*oldest || e->time < (*oldest)->time) *oldest = e;
    }
    return false;
}

static int check_insert(ssgw_replay *r, uint64_t id, uint64_t nn, uint64_t token_time, int64_t now)
{
    entry *a, *b, *da, *db, *oa, *ob;
    int la, lb;
    sets_of(r, id, nn, &a, &b);
    if (scan(r, a, id, nn, now, &la, &da, &oa) || scan(r, b, id, nn, now, &lb, &db, &ob)) {
        r->st.replays++;
        return 1;
    }
    entry *victim = la <= lb ? (da ? da : db) : (db ? db : da);
    if (!victim) {
        victim = oa->time <= ob->time ? oa : ob;
        r->st.evicted_live++;
    }
    victim->id = id;
    victim->nonce = nn;
    victim->time = token_time ? token_time : 1;
    r->st.inserted++;
    return 0;
}

int ssgw_replay_check_insert(ssgw_replay *r, const uint8_t key_id[SSGW_KEY_ID_LEN],
                             const uint8_t nonce[SSGW_TOKEN_NONCE_LEN], uint64_t token_time,
                             int64_t now)
{
    return check_insert(r, load64(key_id), load64(nonce), token_time, now);
}

void ssgw_replay_adopt(ssgw_replay *dst, const ssgw_replay *src, int64_t now)
{
    if (!dst || !src || dst == src) return;
    uint64_t inserted = dst->st.inserted;
    for (size_t i = 0; i < src->sets * WAYS; i++) {
        const entry *e = &src->e[i];
        if (live(src, e, now)) check_insert(dst, e->id, e->nonce, e->time, now);
    }
    dst->st.inserted = inserted; /* carried over, not newly seen */
}

void ssgw_replay_get_stats(const ssgw_replay *r, ssgw_replay_stats *out)
{
    *out = r->st;
}
