/*
 * store_embedded.c - the in-process state store (include/ssgw/store.h).
 *
 * Subscriber locations live in their own table (store_locations.c: bucketised cuckoo
 * hashing that keeps every one of `subscribers` records, 40 bytes each); the rest here.
 *
 * Design: eight fixed-size set-associative tables, allocated once at start-up,
 * never grown. A key hashes to one set of SSGW_STORE_WAYS records; lookups
 * read that set only (one or two cache lines). Inserting into a full set
 * replaces the record whose time is oldest (for dialogues and marks that is
 * also the expired one): an approximate LRU ordered by last write, like a
 * CPU cache. Memory is therefore exactly capacity x record size:
 *
 *   subscriber location  40 bytes  (store_locations.c: 32-byte records, 1.25 per subscriber)
 *   SRI-SM mark          16 bytes  (hash of subject+SMSC u64, time u32)
 *   dialogue             24 bytes  (hash of TID+GT u64, time u32, the caller's value u64)
 *   token bucket         16 bytes  (key u64, last refill ms u32, milli-tokens u32)
 *   risk event           16 bytes  (subscriber key u64, time u32, kind u32)
 *   alias                32 bytes  (identity u64, time u32, the other identity u64)
 *   incident             16 bytes  (subject u64, last seen u32, incident id u32)
 *   ISUP circuit         32 bytes  (circuit key u64, time u32, state, calling u64, called u64)
 *   SMS segment         280 bytes  (message key + sequence u64, time u32, text hash u32, the
 *                                   boundary text: head and tail of 128 octets at most)
 *
 * What happens at the cap: the oldest record of the set is forgotten (counted
 * in `evictions`). A forgotten location makes the category-3 checks treat the
 * subscriber as "location unknown"; a forgotten dialogue makes its next
 * Continue look unknown. Because sets are small, a record can be evicted
 * slightly before the table is 100 % full (not a location: store_locations.c).
 *
 * Token buckets are the exception: a forgotten bucket starts full again, so
 * evicting a live one would let whoever fills the table (any peer sending
 * from many numbers) reset another sender's limit. A bucket is replaced only
 * when it is at rest: untouched for the longest refill period any caller has
 * used (every caller's burst is its limit, so after one period it is full and
 * forgetting it loses nothing). When every bucket of the set is live, the new
 * key is not stored (counted in `refused`) and bucket_take returns -1: its
 * sender is not limited by that rule until room frees, and nobody's limit is
 * reset.
 *
 * Dialogues, marks and SMS segments are protected per peer network. Each record is charged
 * to a pool (the
 * network it concerns, named by the caller: for the firewall, each partner on its own,
 * strangers together, our own network) and carries how long it stays live (the caller's
 * timeout or window). A live record is replaced only by a record of its own pool, or by
 * anyone's while its pool holds more than its share of the table (limits.network_share).
 * In a full set the new record takes, in order: an empty slot, the oldest record past its
 * life (counted in `expired`), the oldest live record of a pool over its share, the oldest
 * live record of its own pool (both counted in `evictions`); else it is not stored
 * (`refused`). So a peer that makes our network open or answer dialogues in bulk, or ask
 * for routing information in bulk, fills the free room and its own share, then replaces its
 * own records; every other network's live dialogues and SRI-SM marks stay. Pool sizes are
 * counted per pool (records held, including those past their life that no lookup has
 * removed yet: a pool looks larger, never smaller, than its live records). The pool (16
 * bits) and the life in seconds (16 bits, longer lives counted as 65,535 s) share the
 * record's aux field. A refresh keeps the record's pool, unless it gives a dialogue a new
 * value: the record then says something new and is charged to the writer's pool (the
 * firewall's ownership of a dialogue whose transaction id our network reuses belongs to the
 * new peer, and a flood from the old one must not push it out).
 *
 * Mark and dialogue keys are 64-bit hashes of their two parts: two different
 * pairs that collide (probability ~2^-64 per pair) share a record.
 */
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ssgw/store.h"
#include "store_locations.h"

#define SSGW_STORE_WAYS 4

typedef struct {
    uint64_t key;
    uint32_t time;
    uint32_t aux;
} slot16;

/* A dialogue: a slot16 (pooled_put, pooled_victim read those 16 bytes) and its value. */
typedef struct {
    uint64_t key;
    uint32_t time;
    uint32_t aux;
    uint64_t value;
} slot24;

typedef struct {
    uint64_t key;
    uint32_t time;
    uint16_t cc;
    uint16_t pad;
    uint64_t vlr;
    uint64_t msc;
} slot32;

/* A segment of a concatenated short message: key, time, pool and life (aux, as a slot16:
 * a pooled table), then the rest of the ssgw_store_segment. */
typedef struct {
    uint64_t key;
    uint32_t time;
    uint32_t aux;
    uint32_t text_hash;
    uint8_t head_len, tail_len, head_cut, pad;
    char head[SSGW_STORE_SEGMENT_WINDOW], tail[SSGW_STORE_SEGMENT_WINDOW];
} slot_segment;

typedef struct {
    unsigned char *mem; /* nsets sets of SSGW_STORE_WAYS records, in alloc */
    store_mem alloc;
    size_t nsets;
    size_t slot; /* bytes per record */
    ssgw_store_table_stats st;
    uint32_t *held; /* pooled tables: records held per pool; NULL otherwise */
    uint32_t share; /* pooled tables: records a pool may hold and keep its live ones */
} table;

/* Pools counted separately per pooled table (a pool number beyond shares a counter: it can
 * only make the pools sharing it look larger) */
#define POOLS 1024

typedef struct {
    ssgw_store base;
    table t[SSGW_STORE_TABLE_COUNT]; /* t[SSGW_STORE_LOCATION] unused: see loc */
    loctab loc;                      /* subscriber locations (store_locations.c) */
    uint32_t bucket_rest_ms; /* the longest refill period seen: a bucket idle this long is full */
    uint64_t segments[SSGW_SEGMENT_OUTCOME_COUNT]; /* ssgw_store_segment_outcome */
} embedded;

const char *ssgw_store_table_name(ssgw_store_table t)
{
    static const char *const names[] = {"location", "sri_sm_mark", "dialogue", "bucket",     "risk",
                                        "alias",    "incident",    "call",     "sms_segment"};
    return (unsigned)t < SSGW_STORE_TABLE_COUNT ? names[t] : "unknown";
}

uint64_t ssgw_store_diam_id(const char *id, size_t len)
{
    if (!id || !len) return 0;
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a over the lower-case identity */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)id[i];
        h ^= c >= 'A' && c <= 'Z' ? c + 32u : c;
        h *= 0x100000001b3ull;
    }
    h = ssgw_store_mix(h, 0x4449414d) & 0x0fffffffffffffffull;
    return h ? h : 1;
}

/* Two digits a step (one multiply for the pair): called several times a message, on
 * 11-15 digits each. A second octet is read only after a digit, so never past the NUL. */
uint64_t ssgw_store_pack_digits(const char *d)
{
    if (!d) return 0;
    uint64_t v = 0;
    unsigned n = 0;
    for (;;) {
        unsigned c0 = (unsigned)(unsigned char)d[n] - '0';
        if (c0 > 9) break;
        unsigned c1 = (unsigned)(unsigned char)d[n + 1] - '0';
        if (c1 > 9) {
            v = v * 10 + c0;
            n++;
            break;
        }
        v = v * 100 + c0 * 10 + c1;
        n += 2;
        if (n > 15) return 0; /* 16 digits or more */
    }
    if (d[n] || !n) return 0; /* another character before the end, or empty */
    return ((uint64_t)n << 60) | v;
}

#if defined(__SSE2__)
/* 10^k for the digits left of the first non-digit once the rest are zeroed. */
static const uint64_t pow10_tail[17] = {1,
                                        10,
                                        100,
                                        1000,
                                        10000,
                                        100000,
                                        1000000,
                                        10000000,
                                        100000000,
                                        1000000000,
                                        10000000000ull,
                                        100000000000ull,
                                        1000000000000ull,
                                        10000000000000ull,
                                        100000000000000ull,
                                        1000000000000000ull,
                                        10000000000000000ull};

/* Sixteen octets at once: which are digits (the count n before the first that is not),
 * then the value of the sixteen with those from n on taken as zeros, divided by 10^(16-n):
 * digit pairs, then fours, then eights, by multiply-adds of 16-bit lanes. */
static uint64_t pack16(const char *d)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)d);
    __m128i t = _mm_sub_epi8(x, _mm_set1_epi8('0'));
    __m128i is_digit = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(9)), t);
    unsigned mask = (unsigned)_mm_movemask_epi8(is_digit);
    unsigned n = (unsigned)__builtin_ctz(~mask); /* mask < 2^16: a zero bit below 17 */
    if (n == 0 || n > 15 || d[n] != '\0') return 0;
    static const uint8_t keep[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    t = _mm_and_si128(t, _mm_loadu_si128((const __m128i *)(const void *)(keep + 16 - n)));
    /* lane i (16 bits) = 10 * digit 2i + digit 2i+1 (octet 2i is the low one) */
    __m128i pairs =
        _mm_add_epi16(_mm_mullo_epi16(_mm_and_si128(t, _mm_set1_epi16(0xff)), _mm_set1_epi16(10)),
                      _mm_srli_epi16(t, 8));
    /* 32-bit lanes of four digits, packed back to 16 bits, then 32-bit lanes of eight */
    __m128i fours = _mm_madd_epi16(pairs, _mm_set_epi16(1, 100, 1, 100, 1, 100, 1, 100));
    __m128i eights = _mm_madd_epi16(_mm_packs_epi32(fours, fours),
                                    _mm_set_epi16(1, 10000, 1, 10000, 1, 10000, 1, 10000));
    uint64_t hi = (uint32_t)_mm_cvtsi128_si32(eights);
    uint64_t lo = (uint32_t)_mm_cvtsi128_si32(_mm_srli_si128(eights, 4));
    return ((uint64_t)n << 60) | (hi * 100000000ull + lo) / pow10_tail[16 - n];
}
#endif

uint64_t ssgw_store_pack_digits_in(const char *d, size_t readable)
{
#if defined(__SSE2__)
    if (d && readable >= 16) return pack16(d);
#endif
    (void)readable;
    return ssgw_store_pack_digits(d);
}

int ssgw_store_unpack_digits(uint64_t packed, char *out, size_t cap)
{
    unsigned n = (unsigned)(packed >> 60);
    uint64_t v = packed & ((1ull << 60) - 1);
    if (cap < 16) {
        if (cap) out[0] = '\0';
        return 0;
    }
    for (unsigned i = n; i > 0; i--) {
        out[i - 1] = (char)('0' + v % 10);
        v /= 10;
    }
    out[n] = '\0';
    return (int)n;
}

static int table_init(table *t, size_t capacity, size_t slot)
{
    if (capacity > (1ull << 31)) return -1;
    t->nsets = (capacity + SSGW_STORE_WAYS - 1) / SSGW_STORE_WAYS;
    if (t->nsets == 0) t->nsets = 1;
    t->slot = slot;
    t->mem = store_mem_alloc(&t->alloc, t->nsets * SSGW_STORE_WAYS * slot, 128);
    memset(&t->st, 0, sizeof t->st);
    t->st.capacity = t->nsets * SSGW_STORE_WAYS;
    return t->mem ? 0 : -1;
}

static unsigned char *set_of(const table *t, uint64_t key)
{
    uint64_t h = key * 0x9e3779b97f4a7c15ull;
    size_t set = (size_t)(((h >> 32) * (uint64_t)t->nsets) >> 32);
    return t->mem + set * SSGW_STORE_WAYS * t->slot;
}

/* Every record starts with key (u64) then time (u32). */
static inline uint64_t rec_key(const unsigned char *r)
{
    return ((const slot16 *)(const void *)r)->key;
}
static inline uint32_t rec_time(const unsigned char *r)
{
    return ((const slot16 *)(const void *)r)->time;
}

static unsigned char *find(table *t, uint64_t key)
{
    unsigned char *s = set_of(t, key);
    for (int w = 0; w < SSGW_STORE_WAYS; w++, s += t->slot)
        if (rec_key(s) == key) {
            t->st.hits++;
            return s;
        }
    t->st.misses++;
    return NULL;
}

/* The record for key: the existing one, an empty one, or the oldest if it was written at
 * least min_age before now (evicted); NULL (counted in refused) when none qualifies. */
static unsigned char *claim_aged(table *t, uint64_t key, uint32_t now, uint32_t min_age)
{
    unsigned char *s = set_of(t, key), *empty = NULL, *oldest = NULL;
    uint32_t oldest_age = 0;
    for (int w = 0; w < SSGW_STORE_WAYS; w++, s += t->slot) {
        uint64_t k = rec_key(s);
        if (k == key) return s;
        if (k == 0) {
            if (!empty) empty = s;
        } else {
            /* a record written "after" now (times from interleaved links) has age 0 */
            uint32_t age = (int32_t)(now - rec_time(s)) < 0 ? 0 : now - rec_time(s);
            if (!oldest || age > oldest_age) {
                oldest = s;
                oldest_age = age;
            }
        }
    }
    unsigned char *victim = empty ? empty : oldest;
    if (!empty && oldest_age < min_age) {
        t->st.refused++;
        return NULL;
    }
    if (empty)
        t->st.used++;
    else
        t->st.evictions++;
    t->st.inserts++;
    memset(victim, 0, t->slot);
    ((slot16 *)(void *)victim)->key = key;
    return victim;
}

/* The record for key: the existing one, an empty one, or the oldest (evicted). */
static unsigned char *claim(table *t, uint64_t key, uint32_t now)
{
    return claim_aged(t, key, now, 0);
}

static void forget(table *t, unsigned char *r)
{
    memset(r, 0, t->slot);
    t->st.used--;
}

static int e_location_get(ssgw_store *s, uint64_t imsi, ssgw_store_location *out)
{
    embedded *e = (embedded *)s;
    return imsi ? loctab_get(&e->loc, imsi, out) : 0;
}

static int e_location_put(ssgw_store *s, uint64_t imsi, const ssgw_store_location *loc)
{
    embedded *e = (embedded *)s;
    return imsi ? loctab_put(&e->loc, imsi, loc) : 0;
}

/* ---- pooled records: dialogues and marks (the file head) ---------------------------- */

static uint32_t rec_pool(const unsigned char *r)
{
    return ((const slot16 *)(const void *)r)->aux & 0xffffu;
}

static uint32_t rec_life(const unsigned char *r)
{
    return ((const slot16 *)(const void *)r)->aux >> 16;
}

static uint32_t *held_by(table *t, const unsigned char *r)
{
    return &t->held[rec_pool(r) % POOLS];
}

static void pooled_forget(table *t, unsigned char *r)
{
    (*held_by(t, r))--;
    forget(t, r);
}

/* The slot a new record of pool takes in set (the order in the file head), or NULL when
 * every record there is live and protected from it; *live: a live record is replaced. */
static unsigned char *pooled_victim(table *t, unsigned char *set, uint32_t now, uint32_t pool,
                                    bool *live)
{
    unsigned char *best[3] = {NULL, NULL, NULL}; /* past its life, over share, own pool */
    uint32_t best_age[3] = {0, 0, 0};
    unsigned char *r = set;
    for (int w = 0; w < SSGW_STORE_WAYS; w++, r += t->slot) {
        if (rec_key(r) == 0) return r;
        uint32_t age = (int32_t)(now - rec_time(r)) < 0 ? 0 : now - rec_time(r);
        int kind = age > rec_life(r)                 ? 0
                   : *held_by(t, r) > t->share       ? 1
                   : rec_pool(r) == (pool & 0xffffu) ? 2
                                                     : -1;
        if (kind >= 0 && (!best[kind] || age > best_age[kind])) {
            best[kind] = r;
            best_age[kind] = age;
        }
    }
    for (int k = 0; k < 3; k++)
        if (best[k]) {
            *live = k > 0;
            return best[k];
        }
    return NULL;
}

/* The value of a record of a table with values (slot24: the dialogues), else NULL (the
 * marks; the segments, whose caller writes the rest of the record). */
static uint64_t *rec_value(const table *t, unsigned char *r)
{
    return t->slot == sizeof(slot24) ? &((slot24 *)(void *)r)->value : NULL;
}

/* Writes key at now with value (kept only by a table with values): refreshes the record
 * (keeping the pool it was charged to, unless the value changes: then it is pool's) or claims
 * one for pool with life life_s. Returns 1 stored, 0 refused (counted). */
static int pooled_put(table *t, uint64_t key, uint64_t value, uint32_t now, uint32_t pool,
                      uint32_t life_s)
{
    uint32_t aux = (pool & 0xffffu) | (life_s > 0xffffu ? 0xffffu : life_s) << 16;
    unsigned char *set = set_of(t, key), *r = set;
    for (int w = 0; w < SSGW_STORE_WAYS; w++, r += t->slot)
        if (rec_key(r) == key) {
            slot16 *d = (slot16 *)(void *)r;
            uint64_t *v = rec_value(t, r);
            d->time = now;
            if (v && *v != value) { /* something new: the writer's record */
                (*held_by(t, r))--;
                d->aux = aux;
                (*held_by(t, r))++;
                *v = value;
            } else {
                d->aux = (d->aux & 0xffffu) | (aux & 0xffff0000u);
            }
            return 1;
        }
    bool live = false;
    r = pooled_victim(t, set, now, pool, &live);
    if (!r) {
        t->st.refused++;
        return 0;
    }
    if (rec_key(r) == 0)
        t->st.used++;
    else {
        (*held_by(t, r))--;
        if (live)
            t->st.evictions++;
        else
            t->st.expired++;
    }
    t->st.inserts++;
    slot16 *d = (slot16 *)(void *)r;
    d->key = key;
    d->time = now;
    d->aux = aux;
    uint64_t *v = rec_value(t, r);
    if (v) *v = value;
    (*held_by(t, r))++;
    return 1;
}

/* 1 when key was written within max_age seconds (an older record is removed), else 0;
 * *value (when not NULL) gets the record's value (0 in a table without values). */
static int pooled_get(table *t, uint64_t key, uint32_t now, uint32_t max_age, uint64_t *value)
{
    unsigned char *r = find(t, key);
    if (!r) return 0;
    if (now - rec_time(r) > max_age) {
        t->st.expired++;
        pooled_forget(t, r);
        return 0;
    }
    if (value) {
        const uint64_t *v = rec_value(t, r);
        *value = v ? *v : 0;
    }
    return 1;
}

static int e_mark_put(ssgw_store *s, uint64_t subject, uint64_t smsc, uint32_t now, uint32_t pool,
                      uint32_t life_s)
{
    embedded *e = (embedded *)s;
    return pooled_put(&e->t[SSGW_STORE_MARK], ssgw_store_mix(subject, smsc), 0, now, pool, life_s);
}

static int e_mark_get(ssgw_store *s, uint64_t subject, uint64_t smsc, uint32_t now,
                      uint32_t max_age)
{
    embedded *e = (embedded *)s;
    return pooled_get(&e->t[SSGW_STORE_MARK], ssgw_store_mix(subject, smsc), now, max_age, NULL);
}

static uint64_t dialogue_key(uint32_t tid, uint64_t gt)
{
    return ssgw_store_mix((uint64_t)tid + 0x100000000ull, gt);
}

static int e_dialogue_put(ssgw_store *s, uint32_t tid, uint64_t gt, uint64_t value, uint32_t now,
                          uint32_t pool, uint32_t timeout)
{
    embedded *e = (embedded *)s;
    return pooled_put(&e->t[SSGW_STORE_DIALOGUE], dialogue_key(tid, gt), value, now, pool, timeout);
}

static int e_dialogue_get(ssgw_store *s, uint32_t tid, uint64_t gt, uint32_t now, uint32_t timeout,
                          uint64_t *value)
{
    embedded *e = (embedded *)s;
    return pooled_get(&e->t[SSGW_STORE_DIALOGUE], dialogue_key(tid, gt), now, timeout, value);
}

static int e_dialogue_del(ssgw_store *s, uint32_t tid, uint64_t gt)
{
    embedded *e = (embedded *)s;
    table *t = &e->t[SSGW_STORE_DIALOGUE];
    unsigned char *r = find(t, dialogue_key(tid, gt));
    if (!r) return 0;
    pooled_forget(t, r);
    return 1;
}

int ssgw_store_bucket_apply(ssgw_store_bucket *b, uint32_t limit, uint32_t period_s, uint32_t burst,
                            uint64_t now_ms)
{
    uint32_t now = (uint32_t)now_ms;
    uint64_t cap = (uint64_t)burst * 1000u;
    if (!period_s) period_s = 1;
    if (!b->exists) {
        b->exists = true;
        b->time = now;
        b->milli = (uint32_t)(cap >= 1000 ? cap - 1000 : 0);
        return cap >= 1000;
    }
    uint64_t elapsed = (uint32_t)(now - b->time);
    uint64_t refill = elapsed * limit / period_s; /* milli-tokens */
    uint64_t tokens = b->milli;
    if (refill > 0) {
        tokens += refill;
        if (tokens > cap) tokens = cap;
        b->time = now;
    }
    int ok = tokens >= 1000;
    if (ok) tokens -= 1000;
    b->milli = (uint32_t)tokens;
    return ok;
}

/* Key 0 marks a free slot, so the bucket and incident tables store a subject 0 as 1. */
static inline uint64_t nonzero_key(uint64_t key)
{
    return key ? key : 1;
}

static int e_bucket_take(ssgw_store *s, uint64_t key, uint32_t limit, uint32_t period_s,
                         uint32_t burst, uint64_t now_ms)
{
    embedded *e = (embedded *)s;
    table *t = &e->t[SSGW_STORE_BUCKET];
    key = nonzero_key(key);
    if (!period_s) period_s = 1;
    /* from empty to full: burst tokens at limit per period (ms times wrap: half their range) */
    uint64_t rest_ms =
        limit ? ((uint64_t)burst * period_s * 1000u + limit - 1) / limit : UINT32_MAX;
    if (rest_ms > UINT32_MAX / 2) rest_ms = UINT32_MAX / 2;
    if (rest_ms > e->bucket_rest_ms) e->bucket_rest_ms = (uint32_t)rest_ms;
    slot16 *r = (slot16 *)(void *)find(t, key);
    ssgw_store_bucket b = {r != NULL, r ? r->time : 0, r ? r->aux : 0};
    if (!r) {
        r = (slot16 *)(void *)claim_aged(t, key, (uint32_t)now_ms, e->bucket_rest_ms);
        if (!r) return -1; /* every bucket it could replace is live: not tracked, counted */
    }
    int ok = ssgw_store_bucket_apply(&b, limit, period_s, burst, now_ms);
    r->time = b.time;
    r->aux = b.milli;
    return ok;
}

static int e_risk_put(ssgw_store *s, uint64_t subject, uint32_t time, uint32_t kind)
{
    embedded *e = (embedded *)s;
    if (!subject) return 0;
    slot16 *r = (slot16 *)(void *)claim(&e->t[SSGW_STORE_RISK], subject, time);
    r->time = time;
    r->aux = kind;
    return 1;
}

static int e_risk_get(ssgw_store *s, uint64_t subject, uint32_t *time, uint32_t *kind)
{
    embedded *e = (embedded *)s;
    const slot16 *r =
        subject ? (const slot16 *)(const void *)find(&e->t[SSGW_STORE_RISK], subject) : NULL;
    if (!r) return 0;
    *time = r->time;
    *kind = r->aux;
    return 1;
}

static int e_alias_put(ssgw_store *s, uint64_t a, uint64_t b, uint32_t now)
{
    embedded *e = (embedded *)s;
    if (!a || !b) return 0;
    for (int i = 0; i < 2; i++) {
        slot32 *r = (slot32 *)(void *)claim(&e->t[SSGW_STORE_ALIAS], i ? b : a, now);
        r->time = now;
        r->vlr = i ? a : b;
    }
    return 1;
}

static int e_alias_get(ssgw_store *s, uint64_t a, uint64_t *b)
{
    embedded *e = (embedded *)s;
    const slot32 *r = a ? (const slot32 *)(const void *)find(&e->t[SSGW_STORE_ALIAS], a) : NULL;
    if (!r) return 0;
    *b = r->vlr;
    return 1;
}

static int e_incident_touch(ssgw_store *s, uint64_t subject, uint32_t now, uint32_t window,
                            uint32_t new_id, uint32_t *id)
{
    embedded *e = (embedded *)s;
    table *t = &e->t[SSGW_STORE_INCIDENT];
    subject = nonzero_key(subject);
    slot16 *r = (slot16 *)(void *)find(t, subject);
    if (r && now - r->time <= window) {
        r->time = now;
        *id = r->aux;
        return 1;
    }
    if (r) t->st.expired++;
    r = (slot16 *)(void *)claim(t, subject, now);
    r->time = now;
    r->aux = new_id;
    *id = new_id;
    return 0;
}

uint64_t ssgw_store_circuit_key(uint32_t a, uint32_t b, uint16_t cic)
{
    uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
    return ssgw_store_mix(((uint64_t)lo << 32 | hi) + 0x43494300u, (uint64_t)cic + 1);
}

static int e_call_get(ssgw_store *s, uint64_t key, ssgw_store_call *out)
{
    embedded *e = (embedded *)s;
    const slot32 *r = (const slot32 *)(const void *)find(&e->t[SSGW_STORE_CALL], key);
    if (!r) return 0;
    out->calling = r->vlr;
    out->called = r->msc;
    out->time = r->time;
    out->state = (uint8_t)r->cc;
    return 1;
}

static int e_call_put(ssgw_store *s, uint64_t key, const ssgw_store_call *c)
{
    embedded *e = (embedded *)s;
    slot32 *r = (slot32 *)(void *)claim(&e->t[SSGW_STORE_CALL], key, c->time);
    r->time = c->time;
    r->cc = c->state;
    r->vlr = c->calling;
    r->msc = c->called;
    return 1;
}

static int e_call_del(ssgw_store *s, uint64_t key)
{
    embedded *e = (embedded *)s;
    table *t = &e->t[SSGW_STORE_CALL];
    unsigned char *r = find(t, key);
    if (!r) return 0;
    forget(t, r);
    return 1;
}

const char *ssgw_store_segment_outcome_name(int o)
{
    static const char *const names[] = {"kept",       "joined",     "repeated", "conflict",
                                        "ignored_ie", "several_ie", "unkeyed"};
    return (unsigned)o < SSGW_SEGMENT_OUTCOME_COUNT ? names[o] : "unknown";
}

/* A segment older than max_age is past its window: forgotten when found (counted in
 * `expired`). */
static int e_segment_get(ssgw_store *s, uint64_t key, uint32_t now, uint32_t max_age,
                         ssgw_store_segment *out)
{
    embedded *e = (embedded *)s;
    table *t = &e->t[SSGW_STORE_SEGMENT];
    slot_segment *r = key ? (slot_segment *)(void *)find(t, key) : NULL;
    if (!r) return 0;
    if ((int32_t)(now - r->time) > (int32_t)max_age) {
        t->st.expired++;
        pooled_forget(t, (unsigned char *)r);
        return 0;
    }
    out->time = r->time;
    out->text_hash = r->text_hash;
    out->head_len = r->head_len;
    out->tail_len = r->tail_len;
    out->head_cut = r->head_cut;
    memcpy(out->head, r->head, r->head_len);
    memcpy(out->tail, r->tail, r->tail_len);
    return 1;
}

/* Pooled like the marks (the file head): another network's flood takes the free room and
 * its own share, then replaces its own segments, never this one's while it is live. Returns
 * 1 stored, 0 refused (counted: every record of the set is live and protected). */
static int e_segment_put(ssgw_store *s, uint64_t key, const ssgw_store_segment *seg)
{
    embedded *e = (embedded *)s;
    if (!key) return 0;
    table *t = &e->t[SSGW_STORE_SEGMENT];
    if (!pooled_put(t, key, 0, seg->time, seg->pool, seg->life_s)) return 0;
    slot_segment *r = (slot_segment *)(void *)find(t, key);
    r->time = seg->time;
    r->text_hash = seg->text_hash;
    r->head_len =
        seg->head_len < SSGW_STORE_SEGMENT_WINDOW ? seg->head_len : SSGW_STORE_SEGMENT_WINDOW;
    r->tail_len =
        seg->tail_len < SSGW_STORE_SEGMENT_WINDOW ? seg->tail_len : SSGW_STORE_SEGMENT_WINDOW;
    r->head_cut = seg->head_cut;
    memcpy(r->head, seg->head, r->head_len);
    memcpy(r->tail, seg->tail, r->tail_len);
    return 1;
}

static void e_segment_count(ssgw_store *s, ssgw_store_segment_outcome o)
{
    embedded *e = (embedded *)s;
    if ((unsigned)o < SSGW_SEGMENT_OUTCOME_COUNT) e->segments[o]++;
}

static void e_get_stats(const ssgw_store *s, ssgw_store_stats *out)
{
    const embedded *e = (const embedded *)s;
    out->bytes = 0;
    for (int i = 0; i < SSGW_STORE_TABLE_COUNT; i++) {
        out->t[i] = e->t[i].st;
        out->bytes += e->t[i].nsets * SSGW_STORE_WAYS * e->t[i].slot +
                      (e->t[i].held ? POOLS * sizeof *e->t[i].held : 0);
    }
    out->t[SSGW_STORE_LOCATION] = e->loc.st;
    memcpy(out->segments, e->segments, sizeof out->segments);
    out->bytes += loctab_bytes(&e->loc);
}

static void e_free(ssgw_store *s)
{
    embedded *e = (embedded *)s;
    for (int i = 0; i < SSGW_STORE_TABLE_COUNT; i++) {
        store_mem_free(&e->t[i].alloc);
        free(e->t[i].held);
    }
    loctab_free(&e->loc);
    free(e);
}

/* The set a table's read of key loads: its first line, and the next when the set spans
 * two (a set is 64 to 128 octets but for segments; theirs: the keys' lines only). */
static void warm_set(const table *t, uint64_t key)
{
    const unsigned char *set = set_of(t, key);
    __builtin_prefetch(set);
    if (t->slot * SSGW_STORE_WAYS > 64) __builtin_prefetch(set + 64);
}

/* The keys as the operations above hash them (ssgw_store_key says what a and b are). */
static void e_warm(const ssgw_store *s, const ssgw_store_key *keys, size_t n)
{
    const embedded *e = (const embedded *)s;
    for (size_t i = 0; i < n; i++) {
        const ssgw_store_key *k = &keys[i];
        switch (k->table) {
        case SSGW_STORE_LOCATION:
            if (k->a) loctab_warm(&e->loc, k->a);
            break;
        case SSGW_STORE_MARK:
            warm_set(&e->t[SSGW_STORE_MARK], ssgw_store_mix(k->a, k->b));
            break;
        case SSGW_STORE_DIALOGUE:
            warm_set(&e->t[SSGW_STORE_DIALOGUE], dialogue_key((uint32_t)k->a, k->b));
            break;
        case SSGW_STORE_BUCKET:
        case SSGW_STORE_INCIDENT:
            warm_set(&e->t[k->table], nonzero_key(k->a));
            break;
        case SSGW_STORE_RISK:
        case SSGW_STORE_ALIAS:
        case SSGW_STORE_CALL:
            warm_set(&e->t[k->table], k->a);
            break;
        default:
            break;
        }
    }
}

static const ssgw_store_ops embedded_ops = {
    .location_get = e_location_get,
    .location_put = e_location_put,
    .mark_put = e_mark_put,
    .mark_get = e_mark_get,
    .dialogue_put = e_dialogue_put,
    .dialogue_get = e_dialogue_get,
    .dialogue_del = e_dialogue_del,
    .bucket_take = e_bucket_take,
    .risk_put = e_risk_put,
    .risk_get = e_risk_get,
    .alias_put = e_alias_put,
    .alias_get = e_alias_get,
    .incident_touch = e_incident_touch,
    .get_stats = e_get_stats,
    .free = e_free,
    .call_get = e_call_get,
    .call_put = e_call_put,
    .call_del = e_call_del,
    .segment_get = e_segment_get,
    .segment_put = e_segment_put,
    .segment_count = e_segment_count,
    .warm = e_warm,
};

ssgw_store *ssgw_store_embedded_new(const ssgw_store_limits *limits)
{
    ssgw_store_limits l = {.subscribers = 1000000,
                           .marks = 262144,
                           .dialogues = 262144,
                           .buckets = 262144,
                           .risk = 262144,
                           .aliases = 262144,
                           .incidents = 65536,
                           .calls = 65536,
                           .segments = 16384,
                           .network_share = 50};
    if (limits) {
        if (limits->subscribers) l.subscribers = limits->subscribers;
        if (limits->marks) l.marks = limits->marks;
        if (limits->dialogues) l.dialogues = limits->dialogues;
        if (limits->buckets) l.buckets = limits->buckets;
        if (limits->risk) l.risk = limits->risk;
        if (limits->aliases) l.aliases = limits->aliases;
        if (limits->incidents) l.incidents = limits->incidents;
        if (limits->calls) l.calls = limits->calls;
        if (limits->segments) l.segments = limits->segments;
        if (limits->network_share) l.network_share = limits->network_share;
    }
    if (l.network_share > 100) l.network_share = 100;
    embedded *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->base.ops = &embedded_ops;
    if (loctab_init(&e->loc, l.subscribers) < 0 ||
        table_init(&e->t[SSGW_STORE_MARK], l.marks, sizeof(slot16)) < 0 ||
        table_init(&e->t[SSGW_STORE_DIALOGUE], l.dialogues, sizeof(slot24)) < 0 ||
        table_init(&e->t[SSGW_STORE_BUCKET], l.buckets, sizeof(slot16)) < 0 ||
        table_init(&e->t[SSGW_STORE_RISK], l.risk, sizeof(slot16)) < 0 ||
        table_init(&e->t[SSGW_STORE_ALIAS], l.aliases, sizeof(slot32)) < 0 ||
        table_init(&e->t[SSGW_STORE_INCIDENT], l.incidents, sizeof(slot16)) < 0 ||
        table_init(&e->t[SSGW_STORE_CALL], l.calls, sizeof(slot32)) < 0 ||
        table_init(&e->t[SSGW_STORE_SEGMENT], l.segments, sizeof(slot_segment)) < 0) {
        e_free(&e->base);
        return NULL;
    }
    static const ssgw_store_table pooled[] = {SSGW_STORE_MARK, SSGW_STORE_DIALOGUE,
                                              SSGW_STORE_SEGMENT};
    for (size_t k = 0; k < sizeof pooled / sizeof *pooled; k++) {
        table *t = &e->t[pooled[k]];
        t->share = (uint32_t)(t->st.capacity * l.network_share / 100);
        if (!(t->held = calloc(POOLS, sizeof *t->held))) {
            e_free(&e->base);
            return NULL;
        }
    }
    return &e->base;
}
