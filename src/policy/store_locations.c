/*
 * store_locations.c - the subscriber location table of the embedded store
 * (store_embedded.c): IMSI -> VLR GT, MSC GT, country, time. It is the largest table
 * (one record per subscriber seen) and every location check reads it.
 *
 * Why not the other tables' layout: a set-associative table (one set of 4 records per
 * key) sized to its population overflows some sets long before it is full: at exactly
 * the population 4-6 % of the records were evicted and verdicts changed. Here
 * `[state] subscribers` records are all kept:
 *
 * Bucketised cuckoo hashing. A key has two candidate buckets (the two halves of one
 * 64-bit hash of it, distinct); a bucket has 4 slots; a record lives in one of the 8
 * slots of its two buckets, so a lookup reads at most two buckets. A bucket is 128
 * bytes aligned on 128: the first cache line holds its 4 keys, times and countries (a
 * miss or the search for the oldest record reads only that line), the second the GTs
 * (read on a hit). A new record goes into its first bucket when it has a free slot,
 * else into its second (so most lookups end in the first bucket); when both are full,
 * records move to their other bucket along a random walk (a generator with a fixed
 * seed: the same messages build the same table, so an analysis repeats exactly) of at
 * most LOC_MAX_KICKS moves. The table has 1.25 slots per configured subscriber (rounded
 * up to whole buckets), so it is at most 80 % full: bucketised (2, 4) cuckoo hashing
 * works up to ~97 % load, and at 80 % a free slot is nearly always one move away.
 *
 * At the cap: the table never holds more than `population` records. A new subscriber
 * beyond them replaces the record written longest ago (by its time) among the records
 * of its two buckets (up to 8: an approximate LRU, as in the other tables) that belong
 * to its own pool (the network whose message taught it, ssgw_store_location.pool),
 * counted in `evictions`; when none of them does but one of them has a free slot, the
 * oldest record of its pool in the next LOC_NEAR buckets makes room; else it is not
 * stored (`refused`). A peer
 * network that sends location updates for invented subscribers in bulk therefore only
 * ever replaces its own records: another network's subscribers keep their locations
 * (a forgotten location would pass the next location check unjudged). A location written
 * again is charged to the network that wrote it last. Should a walk fail below the cap
 * (not seen in the tests at 80 % load), the record left without a slot is dropped, also
 * counted in `refused`.
 *
 * Memory: 32 bytes per slot, 1.25 slots per subscriber: 40 bytes per configured
 * subscriber, allocated once and faulted in at start (store_mem.c; from 2 MB on offered
 * to transparent huge pages), never grown. Every
 * operation is O(1): two buckets, plus at most LOC_MAX_KICKS moves on an insert (and at
 * the cap, when both buckets are empty, the few buckets up to the next record).
 *
 * Hand-written rather than taken from a library because it is the hot path of
 * `ssgw analyze` (one likely cache miss per message), its memory is fixed at start and
 * its behaviour at the cap is a policy choice; measured in docs/BENCHMARKS.md,
 * "Subscriber store sizing".
 */
#include "store_locations.h"

#include <stdlib.h>
#include <string.h>

#define LOC_WAYS       4
#define LOC_MAX_KICKS  128
#define LOC_NEAR       16 /* buckets searched past the two for a record to replace */
#define LOC_ALIGN      128
#define LOC_RNG_SEED   0x5eed16u
#define LOC_MAX_RECORD (1ull << 31)

struct loctab_bucket {
    /* first cache line: what a lookup compares and an eviction looks at */
    uint64_t key[LOC_WAYS]; /* 0: free */
    uint32_t time[LOC_WAYS];
    uint16_t cc[LOC_WAYS];
    uint16_t pool[LOC_WAYS];
    /* second cache line: what a hit returns */
    uint64_t vlr[LOC_WAYS];
    uint64_t msc[LOC_WAYS];
};
_Static_assert(sizeof(loctab_bucket) == LOC_ALIGN, "a bucket is two cache lines");

/* One record, while it moves. */
typedef struct {
    uint64_t key, vlr, msc;
    uint32_t time;
    uint16_t cc, pool;
} loc_rec;

static inline uint64_t loc_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
}

/* The two candidate buckets of key (distinct: nbuckets >= 2). */
static inline void candidates(const loctab *t, uint64_t key, size_t *i1, size_t *i2)
{
    uint64_t h = loc_hash(key);
    *i1 = (size_t)(((h >> 32) * (uint64_t)t->nbuckets) >> 32);
    *i2 = (size_t)(((h & 0xffffffffu) * (uint64_t)t->nbuckets) >> 32);
    if (*i2 == *i1) *i2 = *i1 + 1 < t->nbuckets ? *i1 + 1 : 0;
}

static inline size_t other_bucket(const loctab *t, uint64_t key, size_t i)
{
    size_t i1, i2;
    candidates(t, key, &i1, &i2);
    return i == i1 ? i2 : i1;
}

static inline int way_of(const loctab_bucket *b, uint64_t key)
{
    for (int w = 0; w < LOC_WAYS; w++)
        if (b->key[w] == key) return w;
    return -1;
}

static inline void rec_read(const loctab_bucket *b, int w, loc_rec *r)
{
    r->key = b->key[w];
    r->time = b->time[w];
    r->cc = b->cc[w];
    r->pool = b->pool[w];
    r->vlr = b->vlr[w];
    r->msc = b->msc[w];
}

static inline void rec_write(loctab_bucket *b, int w, const loc_rec *r)
{
    b->key[w] = r->key;
    b->time[w] = r->time;
    b->cc[w] = r->cc;
    b->pool[w] = r->pool;
    b->vlr[w] = r->vlr;
    b->msc[w] = r->msc;
}

static inline uint64_t next_random(loctab *t)
{
    uint64_t x = t->rng; /* xorshift64 */
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    t->rng = x;
    return x;
}

/* How long before now r was written; a record written "after" now (times from
 * interleaved links) has age 0, as in the other tables. */
static inline uint32_t age(uint32_t now, uint32_t time)
{
    return (int32_t)(now - time) < 0 ? 0 : now - time;
}

/* The oldest record of pool in bucket b: its way, or -1 when there is none; *a gets its
 * age. */
static int oldest_way(const loctab_bucket *b, uint16_t pool, uint32_t now, uint32_t *a)
{
    int best = -1;
    for (int w = 0; w < LOC_WAYS; w++) {
        if (!b->key[w] || b->pool[w] != pool) continue;
        uint32_t x = age(now, b->time[w]);
        if (best < 0 || x > *a) {
            best = w;
            *a = x;
        }
    }
    return best;
}

size_t loctab_bytes(const loctab *t)
{
    return t->nbuckets * sizeof(loctab_bucket);
}

int loctab_init(loctab *t, size_t population)
{
    memset(t, 0, sizeof *t);
    if (population == 0 || population > LOC_MAX_RECORD) return -1;
    size_t slots = population + (population + 3) / 4;
    t->nbuckets = (slots + LOC_WAYS - 1) / LOC_WAYS;
    if (t->nbuckets < 2) t->nbuckets = 2;
    t->population = population;
    t->rng = LOC_RNG_SEED;
    t->st.capacity = population;
    /* zeroed pages, faulted in at start; from 2 MB on on huge-page boundaries and offered to
     * transparent huge pages (fewer TLB misses) */
    t->b = store_mem_alloc(&t->mem, loctab_bytes(t), LOC_ALIGN);
    return t->b ? 0 : -1;
}

void loctab_free(loctab *t)
{
    store_mem_free(&t->mem);
    t->b = NULL;
}

int loctab_get(loctab *t, uint64_t key, ssgw_store_location *out)
{
    size_t i1, i2;
    candidates(t, key, &i1, &i2);
    const loctab_bucket *b = &t->b[i1];
    int w = way_of(b, key);
    if (w < 0) {
        b = &t->b[i2];
        w = way_of(b, key);
    }
    if (w < 0) {
        t->st.misses++;
        return 0;
    }
    t->st.hits++;
    out->vlr = b->vlr[w];
    out->msc = b->msc[w];
    out->cc = b->cc[w];
    out->pool = b->pool[w];
    out->time = b->time[w];
    return 1;
}

void loctab_warm(const loctab *t, uint64_t key)
{
    size_t i1, i2;
    candidates(t, key, &i1, &i2);
    __builtin_prefetch(&t->b[i1].key[0]);
    __builtin_prefetch(&t->b[i1].vlr[0]);
    __builtin_prefetch(&t->b[i2].key[0]);
}

/* The table is full (population records): makes room for key by evicting the oldest record
 * of pool in its first or second bucket (else, when one of them has a free slot, in the next
 * LOC_NEAR buckets); returns the bucket and *way of the slot for key, or NULL (refused). */
static loctab_bucket *evict_for(loctab *t, size_t i1, size_t i2, uint16_t pool, uint32_t now,
                                int *way)
{
    uint32_t a1 = 0, a2 = 0;
    int w1 = oldest_way(&t->b[i1], pool, now, &a1), w2 = oldest_way(&t->b[i2], pool, now, &a2);
    loctab_bucket *b;
    int w;
    if (w1 >= 0 && (w2 < 0 || a1 >= a2)) {
        b = &t->b[i1];
        w = w1;
    } else if (w2 >= 0) {
        b = &t->b[i2];
        w = w2;
    } else {
        /* none of pool here: a free slot in them, and a record of pool in the next few
         * buckets to make room for it (the table keeps population records at most) */
        loctab_bucket *f = &t->b[i1];
        int fw = way_of(f, 0);
        if (fw < 0) fw = way_of(f = &t->b[i2], 0);
        size_t i = i1;
        int n = 0;
        uint32_t a = 0;
        do {
            i = i + 1 < t->nbuckets ? i + 1 : 0;
            w = oldest_way(&t->b[i], pool, now, &a);
        } while (fw >= 0 && w < 0 && ++n < LOC_NEAR && i != i1);
        if (fw < 0 || w < 0) {
            t->st.refused++;
            return NULL;
        }
        t->b[i].key[w] = 0;
        t->st.evictions++;
        t->st.used--;
        *way = fw;
        return f;
    }
    b->key[w] = 0;
    t->st.evictions++;
    t->st.used--;
    *way = w;
    return b;
}

/* Places r, whose two buckets are full, by moving records to their other bucket. */
static void displace(loctab *t, loc_rec r, size_t i1, size_t i2)
{
    size_t i = next_random(t) & 1 ? i2 : i1;
    for (int kick = 0; kick < LOC_MAX_KICKS; kick++) {
        loctab_bucket *b = &t->b[i];
        int w = (int)(next_random(t) % LOC_WAYS);
        loc_rec out;
        rec_read(b, w, &out);
        rec_write(b, w, &r);
        r = out;
        i = other_bucket(t, r.key, i);
        int f = way_of(&t->b[i], 0);
        if (f >= 0) {
            rec_write(&t->b[i], f, &r);
            t->st.used++;
            return;
        }
    }
    /* no free slot reached: the record left without one (moved out of its slot by the walk,
     * whichever network it belongs to) is dropped */
    t->st.refused++;
}

int loctab_put(loctab *t, uint64_t key, const ssgw_store_location *loc)
{
    size_t i1, i2;
    candidates(t, key, &i1, &i2);
    loctab_bucket *b = &t->b[i1];
    int w = way_of(b, key);
    if (w < 0) {
        b = &t->b[i2];
        w = way_of(b, key);
    }
    loc_rec r = {key, loc->vlr, loc->msc, loc->time, loc->cc, loc->pool};
    if (w >= 0) { /* update in place */
        rec_write(b, w, &r);
        return 1;
    }
    if (t->st.used >= t->population) {
        b = evict_for(t, i1, i2, loc->pool, loc->time, &w);
        if (!b) return 0;
    } else {
        b = &t->b[i1];
        w = way_of(b, 0);
        if (w < 0) {
            b = &t->b[i2];
            w = way_of(b, 0);
        }
        if (w < 0) {
            t->st.inserts++;
            displace(t, r, i1, i2);
            return 1;
        }
    }
    t->st.inserts++;
    rec_write(b, w, &r);
    t->st.used++;
    return 1;
}
