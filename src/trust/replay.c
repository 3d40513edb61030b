/*
 * replay.c - the bounded replay cache of the token verifier (include/ssgw/token.h;
 * docs/wire-format.md "Replay").
 *
 * Key: signer key id (8) + nonce (8). An 8-way set-associative table: the set is
 * chosen by a keyed hash (random per-cache seed, so set collisions cannot be planned),
 * an entry is live while its token time is within window_s of now, dead entries are
 * reused first, and when the eight entries of a set are all live the one with the
 * oldest token time is evicted (counted as evicted_live). Memory is fixed at creation:
 * 24 octets per entry.
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
    size_t sets = 1;
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

int ssgw_replay_check_insert(ssgw_replay *r, const uint8_t key_id[SSGW_KEY_ID_LEN],
                             const uint8_t nonce[SSGW_TOKEN_NONCE_LEN], uint64_t token_time,
                             int64_t now)
{
    uint64_t id = load64(key_id), nn = load64(nonce);
    uint64_t h = mix(id ^ r->seed) ^ mix(nn + r->seed);
    entry *set = &r->e[(mix(h) & (r->sets - 1)) * WAYS];
    entry *victim = NULL;
    for (int i = 0; i < WAYS; i++) {
        entry *e = &set[i];
        if (live(r, e, now)) {
            if (e->id == id && e->nonce == nn) {
                r->st.replays++;
                return 1;
            }
            if (!victim || (live(r, victim, now) && e->time < victim->time)) victim = e;
        } else if (!victim || live(r, victim, now)) {
            victim = e;
        }
    }
    if (live(r, victim, now)) r->st.evicted_live++;
    victim->id = id;
    victim->nonce = nn;
    victim->time = token_time ? token_time : 1;
    r->st.inserted++;
    return 0;
}

void ssgw_replay_get_stats(const ssgw_replay *r, ssgw_replay_stats *out)
{
    *out = r->st;
}
