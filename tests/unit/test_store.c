/* test_store.c - the embedded state store: records, expiry, token buckets, the memory cap
 * (bytes per subscriber) and what happens at it (oldest record of the set replaced). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check.h"
#include "ssgw/store.h"

static void pack_digits(void)
{
    char out[16];
    uint64_t a = ssgw_store_pack_digits("234910000000001");
    CHECK(a != 0);
    CHECK_INT(ssgw_store_unpack_digits(a, out, sizeof out), 15);
    CHECK_STR(out, "234910000000001");
    /* leading zeros are kept apart by the digit count */
    CHECK(ssgw_store_pack_digits("0123") != ssgw_store_pack_digits("123"));
    CHECK_INT(ssgw_store_pack_digits(""), 0);
    CHECK_INT(ssgw_store_pack_digits("12#4"), 0);
    CHECK_INT(ssgw_store_pack_digits("1234567890123456"), 0); /* 16 digits */
}

/* The packing as first written, a digit at a time: the reference for the packer. */
static uint64_t pack_reference(const char *d)
{
    uint64_t v = 0;
    unsigned n = 0;
    for (; *d; d++) {
        if (*d < '0' || *d > '9' || n == 15) return 0;
        v = v * 10 + (uint64_t)(*d - '0');
        n++;
    }
    return n ? ((uint64_t)n << 60) | v : 0;
}

/* Random strings of 0-20 octets, mostly digits with now and then '#', '*', a letter, a
 * high octet or '/' / ':' (the octets either side of '0'..'9'): the same key as the
 * reference. Each string sits at the end of a buffer of its exact size (ASan sees a read
 * past the NUL). */
static void pack_digits_random(void)
{
    static const char odd[] = "#*a/:\xb0";
    unsigned mismatches = 0, nonzero = 0;
    for (int i = 0; i < 200000; i++) {
        size_t len = (size_t)(check_rand() % 21);
        char *s = malloc(len + 1);
        for (size_t k = 0; k < len; k++) {
            uint64_t r = check_rand();
            s[k] = r % 40 ? (char)('0' + (r >> 8) % 10) : odd[(r >> 8) % (sizeof odd - 1)];
        }
        s[len] = '\0';
        uint64_t got = ssgw_store_pack_digits(s), want = pack_reference(s);
        if (got != want) mismatches++;
        if (want) nonzero++;
        free(s);
    }
    CHECK_INT(mismatches, 0);
    CHECK(nonzero > 50000); /* the inputs reach the packing, not only its refusals */
    CHECK_INT(ssgw_store_pack_digits(NULL), 0);
}

/* ssgw_store_pack_digits_in reads whole arrays (SSE2): random strings of 0-20 octets as
 * above, in arrays of 16-41 octets whose octets after the NUL are random (digits among
 * them), and in arrays of 1-15 (the one-digit path): the reference's key every time. */
static void pack_digits_in_random(void)
{
    static const char odd[] = "#*a/:\xb0";
    unsigned mismatches = 0, nonzero = 0;
    for (int i = 0; i < 200000; i++) {
        size_t len = (size_t)(check_rand() % 21);
        size_t cap = len + 1 + (size_t)(check_rand() % 26);
        if (cap > 41) cap = 41;
        if (cap < len + 1) cap = len + 1;
        char *s = malloc(cap);
        for (size_t k = 0; k < cap; k++) {
            uint64_t r = check_rand();
            s[k] = r % 40 ? (char)('0' + (r >> 8) % 10) : odd[(r >> 8) % (sizeof odd - 1)];
        }
        s[len] = '\0';
        uint64_t got = ssgw_store_pack_digits_in(s, cap), want = pack_reference(s);
        if (got != want) mismatches++;
        if (want && cap >= 16) nonzero++;
        free(s);
    }
    CHECK_INT(mismatches, 0);
    CHECK(nonzero > 40000); /* the sixteen-octet path packs, not only refuses */
    CHECK_INT(ssgw_store_pack_digits_in(NULL, 41), 0);
}

static void locations(void)
{
    ssgw_store_limits l = {.subscribers = 1000,
                           .marks = 16,
                           .dialogues = 16,
                           .buckets = 16,
                           .risk = 16,
                           .aliases = 16,
                           .incidents = 16,
                           .calls = 16};
    ssgw_store *s = ssgw_store_embedded_new(&l);
    CHECK(s != NULL);
    ssgw_store_location in = {.vlr = ssgw_store_pack_digits("254722000010"),
                              .msc = ssgw_store_pack_digits("254722000011"),
                              .cc = 42,
                              .time = 1000};
    uint64_t imsi = ssgw_store_pack_digits("234910000000001");
    ssgw_store_location out;
    CHECK_INT(s->ops->location_get(s, imsi, &out), 0);
    CHECK_INT(s->ops->location_put(s, imsi, &in), 1);
    CHECK_INT(s->ops->location_get(s, imsi, &out), 1);
    CHECK(out.vlr == in.vlr && out.msc == in.msc);
    CHECK_INT(out.cc, 42);
    CHECK_INT(out.time, 1000);
    in.time = 2000;
    s->ops->location_put(s, imsi, &in); /* update in place */
    s->ops->location_get(s, imsi, &out);
    CHECK_INT(out.time, 2000);
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    CHECK_INT(st.t[SSGW_STORE_LOCATION].used, 1);
    ssgw_store_free(s);
}

/* The memory cap: allocated bytes / capacity <= 48 per subscriber, and it stays fixed. */
static void bytes_per_subscriber(void)
{
    ssgw_store_limits l = {.subscribers = 1000000,
                           .marks = 4,
                           .dialogues = 4,
                           .buckets = 4,
                           .risk = 4,
                           .aliases = 4,
                           .incidents = 4,
                           .calls = 4};
    ssgw_store *s = ssgw_store_embedded_new(&l);
    CHECK(s != NULL);
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    size_t cap = st.t[SSGW_STORE_LOCATION].capacity;
    CHECK(cap >= 1000000);
    size_t loc_bytes = st.bytes - 3 * 16 * 4; /* minus the three small tables */
    double per = (double)loc_bytes / (double)cap;
    printf("    embedded store: %zu bytes for %zu subscribers = %.1f bytes/subscriber\n", loc_bytes,
           cap, per);
    CHECK(per <= 48.0);
    /* fill far beyond the cap: memory does not grow, records get evicted */
    ssgw_store_location loc = {.vlr = 1, .msc = 2, .cc = 3, .time = 0};
    for (uint64_t i = 0; i < 1500000; i++) {
        loc.time = (uint32_t)i;
        s->ops->location_put(s, (1ull << 60) + 1 + i, &loc);
    }
    ssgw_store_stats st2;
    s->ops->get_stats(s, &st2);
    CHECK_INT(st2.bytes, st.bytes);
    CHECK(st2.t[SSGW_STORE_LOCATION].used <= cap);
    CHECK(st2.t[SSGW_STORE_LOCATION].evictions >= 500000);
    /* the newest are still there; the oldest are mostly gone */
    ssgw_store_location out;
    CHECK_INT(s->ops->location_get(s, (1ull << 60) + 1 + 1499999, &out), 1);
    int old = 0;
    for (uint64_t i = 0; i < 1000; i++)
        old += s->ops->location_get(s, (1ull << 60) + 1 + i, &out);
    CHECK(old < 100);
    ssgw_store_free(s);
}

static void dialogues_expire(void)
{
    ssgw_store *s = ssgw_store_embedded_new(NULL);
    CHECK_INT(s->ops->dialogue_get(s, 0x1234, 0, 100, 60, NULL), 0);
    s->ops->dialogue_put(s, 0x1234, 0, 0, 100, 0, 60);
    CHECK_INT(s->ops->dialogue_get(s, 0x1234, 0, 150, 60, NULL), 1);
    CHECK_INT(s->ops->dialogue_get(s, 0x1235, 0, 150, 60, NULL), 0);
    CHECK_INT(s->ops->dialogue_get(s, 0x1234, 0, 161, 60, NULL), 0); /* timed out */
    s->ops->dialogue_put(s, 7, 0, 0, 200, 0, 60);
    CHECK_INT(s->ops->dialogue_del(s, 7, 0), 1);
    CHECK_INT(s->ops->dialogue_get(s, 7, 0, 200, 60, NULL), 0);
    /* marks */
    s->ops->mark_put(s, 11, 22, 1000, 0, 600);
    CHECK_INT(s->ops->mark_get(s, 11, 22, 1200, 300), 1);
    CHECK_INT(s->ops->mark_get(s, 11, 23, 1200, 300), 0);
    CHECK_INT(s->ops->mark_get(s, 11, 22, 1400, 300), 0);
    ssgw_store_free(s);
}

/* A dialogue record's value: round trip, overwrite, delete; marks keep none. A refresh that
 * keeps the value keeps the record's pool; one that changes it charges the record to the
 * writer's pool (the accounting the pools' protection rests on stays exact). */
static void dialogue_values(void)
{
    ssgw_store_limits l = {0};
    l.dialogues = 64;
    ssgw_store *s = ssgw_store_embedded_new(&l);
    uint64_t v = 0;
    const uint64_t big = 0xfedcba9876543210ull;
    CHECK_INT(s->ops->dialogue_get(s, 0x7000, 5, 100, 60, &v), 0);
    CHECK_INT(s->ops->dialogue_put(s, 0x7000, 5, big, 100, 2, 60), 1);
    CHECK_INT(s->ops->dialogue_get(s, 0x7000, 5, 110, 60, &v), 1);
    CHECK(v == big);
    CHECK_INT(s->ops->dialogue_get(s, 0x7000, 5, 110, 60, NULL), 1); /* value not wanted */
    CHECK_INT(s->ops->dialogue_get(s, 0x7000, 6, 110, 60, &v), 0);   /* another key */
    CHECK_INT(s->ops->dialogue_get(s, 0x7001, 5, 110, 60, &v), 0);   /* another tid */
    /* overwritten, by the same pool and by another */
    CHECK_INT(s->ops->dialogue_put(s, 0x7000, 5, 42, 120, 2, 60), 1);
    CHECK_INT(s->ops->dialogue_get(s, 0x7000, 5, 120, 60, &v), 1);
    CHECK(v == 42);
    CHECK_INT(s->ops->dialogue_put(s, 0x7000, 5, 0, 130, 3, 60), 1);
    v = 1;
    CHECK_INT(s->ops->dialogue_get(s, 0x7000, 5, 130, 60, &v), 1);
    CHECK(v == 0);
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    CHECK_INT((long long)st.t[SSGW_STORE_DIALOGUE].used, 1);    /* one record throughout */
    CHECK_INT((long long)st.t[SSGW_STORE_DIALOGUE].inserts, 1); /* refreshed, not inserted */
    /* past its timeout the value goes with the record */
    CHECK_INT(s->ops->dialogue_get(s, 0x7000, 5, 191, 60, &v), 0);
    CHECK_INT(s->ops->dialogue_get(s, 0x7000, 5, 191, UINT32_MAX, &v), 0);
    /* deleted: gone with its value; a new record starts with the value put */
    s->ops->dialogue_put(s, 0x7002, 0, 9, 200, 2, 60);
    CHECK_INT(s->ops->dialogue_del(s, 0x7002, 0), 1);
    CHECK_INT(s->ops->dialogue_get(s, 0x7002, 0, 200, 60, &v), 0);
    s->ops->dialogue_put(s, 0x7002, 0, 10, 201, 2, 60);
    CHECK_INT(s->ops->dialogue_get(s, 0x7002, 0, 201, 60, &v), 1);
    CHECK(v == 10);
    s->ops->dialogue_del(s, 0x7002, 0);
    ssgw_store_free(s);

    /* pools, in one set of four records (a pool may hold 2 and keep them): A, charged to
     * pool 2, is given a new value by pool 3, so it is pool 3's; pool 2 and pool 3 then
     * hold two live records each, within their share, and pool 4 replaces none (were A
     * still counted as pool 2's, or counted twice, pool 2 would be over its share) */
    l.dialogues = 4;
    l.network_share = 50;
    s = ssgw_store_embedded_new(&l);
    CHECK_INT(s->ops->dialogue_put(s, 0xa, 1, 0, 1000, 2, 600), 1);
    CHECK_INT(s->ops->dialogue_put(s, 0xa, 1, 7, 1001, 3, 600), 1);
    CHECK_INT(s->ops->dialogue_put(s, 0xa, 1, 7, 1002, 2, 600), 1); /* same value: stays 3's */
    CHECK_INT(s->ops->dialogue_put(s, 0xb, 1, 0, 1003, 2, 600), 1);
    CHECK_INT(s->ops->dialogue_put(s, 0xc, 1, 0, 1004, 2, 600), 1);
    CHECK_INT(s->ops->dialogue_put(s, 0xd, 1, 0, 1005, 3, 600), 1);
    CHECK_INT(s->ops->dialogue_put(s, 0xe, 1, 0, 1006, 4, 600), 0);
    s->ops->get_stats(s, &st);
    CHECK_INT((long long)st.t[SSGW_STORE_DIALOGUE].refused, 1);
    CHECK_INT((long long)st.t[SSGW_STORE_DIALOGUE].evictions, 0);
    CHECK_INT(s->ops->dialogue_get(s, 0xa, 1, 1006, 600, &v), 1);
    CHECK(v == 7);
    /* B given a new value by pool 3: pool 3 holds three, over its share, and pool 4's new
     * record replaces the oldest of them (A, last written at 1002) */
    CHECK_INT(s->ops->dialogue_put(s, 0xb, 1, 8, 1007, 3, 600), 1);
    CHECK_INT(s->ops->dialogue_put(s, 0xe, 1, 0, 1008, 4, 600), 1);
    s->ops->get_stats(s, &st);
    CHECK_INT((long long)st.t[SSGW_STORE_DIALOGUE].evictions, 1);
    CHECK_INT(s->ops->dialogue_get(s, 0xa, 1, 1008, 600, &v), 0);
    CHECK_INT(s->ops->dialogue_get(s, 0xb, 1, 1008, 600, &v), 1);
    CHECK(v == 8);
    CHECK_INT(s->ops->dialogue_get(s, 0xc, 1, 1008, 600, NULL), 1);
    /* every record deleted: nothing held */
    for (uint32_t k = 0xa; k <= 0xe; k++)
        s->ops->dialogue_del(s, k, 1);
    s->ops->get_stats(s, &st);
    CHECK_INT((long long)st.t[SSGW_STORE_DIALOGUE].used, 0);
    ssgw_store_free(s);
}

static void token_bucket(void)
{
    ssgw_store *s = ssgw_store_embedded_new(NULL);
    /* 3 per 60 s, burst 3 */
    int ok = 0;
    for (int i = 0; i < 5; i++)
        ok += s->ops->bucket_take(s, 99, 3, 60, 3, 1000 + (uint64_t)i);
    CHECK_INT(ok, 3);
    /* 20 s later one token has come back (3 per 60 s) */
    CHECK_INT(s->ops->bucket_take(s, 99, 3, 60, 3, 21010), 1);
    CHECK_INT(s->ops->bucket_take(s, 99, 3, 60, 3, 21020), 0);
    /* slow steady traffic below the rate is never refused, even in small steps */
    int refused = 0;
    for (uint64_t t = 100000; t < 100000 + 600000; t += 25000)
        refused += !s->ops->bucket_take(s, 7, 3, 60, 3, t);
    CHECK_INT(refused, 0);
    ssgw_store_free(s);
}

/* A full bucket table: a flood of new keys must not reset a live (depleted) bucket; buckets
 * at rest (idle for a whole refill period, so full again) make room as before. */
static void bucket_not_reset_by_flood(void)
{
    ssgw_store_limits l = {0};
    l.buckets = 8; /* two sets of four */
    ssgw_store *s = ssgw_store_embedded_new(&l);
    uint64_t t = 5000;
    /* the victim empties its bucket: 2 per 10 s */
    CHECK_INT(s->ops->bucket_take(s, 42, 2, 10, 2, t), 1);
    CHECK_INT(s->ops->bucket_take(s, 42, 2, 10, 2, t + 1), 1);
    CHECK_INT(s->ops->bucket_take(s, 42, 2, 10, 2, t + 2), 0);
    /* someone else sends from 1000 numbers within the period */
    int untracked = 0;
    for (uint64_t k = 1000; k < 2000; k++)
        untracked += s->ops->bucket_take(s, k, 2, 10, 2, t + 3 + k % 50) == -1;
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    CHECK(untracked > 900);
    CHECK_INT((long long)st.t[SSGW_STORE_BUCKET].refused, untracked);
    CHECK_INT((long long)st.t[SSGW_STORE_BUCKET].evictions, 0);
    /* the victim is still limited: its bucket was not reset to a fresh burst */
    CHECK_INT(s->ops->bucket_take(s, 42, 2, 10, 2, t + 100), 0);
    /* a whole period later every bucket is full again: new keys replace them */
    CHECK_INT(s->ops->bucket_take(s, 5000, 2, 10, 2, t + 10100), 1);
    s->ops->get_stats(s, &st);
    CHECK((long long)st.t[SSGW_STORE_BUCKET].evictions + (long long)st.t[SSGW_STORE_BUCKET].used >=
          1);
    CHECK_INT(s->ops->bucket_take(s, 42, 2, 10, 2, t + 10200), 1);
    ssgw_store_free(s);
}

/* The two pooled tables through one shape: put / get / del of record k of a pool. */
typedef struct {
    int (*put)(ssgw_store *s, uint32_t k, uint32_t now, uint32_t pool, uint32_t life);
    int (*get)(ssgw_store *s, uint32_t k, uint32_t now, uint32_t life);
    ssgw_store_table table;
} pooled;

static int dlg_put(ssgw_store *s, uint32_t k, uint32_t now, uint32_t pool, uint32_t life)
{
    return s->ops->dialogue_put(s, k, 0, 0, now, pool, life);
}
static int dlg_get(ssgw_store *s, uint32_t k, uint32_t now, uint32_t life)
{
    return s->ops->dialogue_get(s, k, 0, now, life, NULL);
}
static int mark_put(ssgw_store *s, uint32_t k, uint32_t now, uint32_t pool, uint32_t life)
{
    return s->ops->mark_put(s, k, 77, now, pool, life);
}
static int mark_get(ssgw_store *s, uint32_t k, uint32_t now, uint32_t life)
{
    return s->ops->mark_get(s, k, 77, now, life);
}

/* A full table: a flood of records charged to one pool (a peer that makes our network open
 * or answer dialogues, or answer SRI-SMs, in bulk) must not push out another pool's live
 * records, nor keep that pool from adding new ones; past their life, anyone's records make
 * room. */
static void isolated_by_pool(const pooled *t)
{
    ssgw_store_limits l = {0};
    l.dialogues = 64; /* 16 sets of four */
    l.marks = 64;
    l.network_share = 50;
    ssgw_store *s = ssgw_store_embedded_new(&l);
    const uint32_t alpha = 2, bravo = 3, life = 60;
    for (uint32_t k = 1; k <= 8; k++) /* alpha's records, the oldest in the table */
        CHECK_INT(t->put(s, k, 1000, alpha, life), 1);
    /* bravo: 10,000 records within their life, every one live */
    int stored = 0, refused = 0;
    for (uint32_t i = 0; i < 10000; i++) {
        int r = t->put(s, 0x10000 + i, 1001 + i / 500, bravo, life);
        stored += r == 1;
        refused += r == 0;
    }
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    const ssgw_store_table_stats *d = &st.t[t->table];
    CHECK(stored > 64);                /* bravo took the free room, then replaced its own */
    CHECK(d->evictions > 0);           /* ... its own live records, over its share */
    CHECK_INT((long long)d->used, 64); /* the table is full */
    CHECK_INT((long long)d->refused, refused);
    int kept = 0;
    for (uint32_t k = 1; k <= 8; k++)
        kept += t->get(s, k, 1021, life);
    CHECK_INT(kept, 8); /* every one of alpha's live records is still there */
    /* alpha adds new records to the full table: bravo, over its share, gives way */
    for (uint32_t k = 100; k < 116; k++)
        CHECK_INT(t->put(s, k, 1021, alpha, life), 1);
    kept = 0;
    for (uint32_t k = 100; k < 116; k++)
        kept += t->get(s, k, 1021, life);
    CHECK_INT(kept, 16);
    /* past their life, bravo's records are dead and a third pool's new ones replace them
     * (counted as expired, not evicted) */
    s->ops->get_stats(s, &st);
    uint64_t expired = st.t[t->table].expired;
    for (uint32_t k = 200; k < 240; k++)
        CHECK_INT(t->put(s, k, 2000, 4, life), 1);
    s->ops->get_stats(s, &st);
    CHECK(st.t[t->table].expired >= expired + 30);
    ssgw_store_free(s);
}

static void dialogues_isolated_by_pool(void)
{
    const pooled t = {dlg_put, dlg_get, SSGW_STORE_DIALOGUE};
    isolated_by_pool(&t);
    /* deleting every record leaves nothing held */
    ssgw_store_limits l = {0};
    l.dialogues = 64;
    ssgw_store *s = ssgw_store_embedded_new(&l);
    for (uint32_t k = 0; k < 1000; k++)
        s->ops->dialogue_put(s, k, 0, 0, 100, k % 5, 60);
    for (uint32_t k = 0; k < 1000; k++)
        s->ops->dialogue_del(s, k, 0);
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    CHECK_INT((long long)st.t[SSGW_STORE_DIALOGUE].used, 0);
    ssgw_store_free(s);
}

static void marks_isolated_by_pool(void)
{
    const pooled t = {mark_put, mark_get, SSGW_STORE_MARK};
    isolated_by_pool(&t);
}

/* The process's resident bytes, as the kernel counts them (/proc/self/statm). */
static long long resident_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long long size = 0, resident = -1;
    if (f) {
        if (fscanf(f, "%lld %lld", &size, &resident) != 2) resident = -1;
        fclose(f);
    }
    return resident < 0 ? -1 : resident * sysconf(_SC_PAGESIZE);
}

/* The store's memory is resident when it has been created (faulted in at start, so that no
 * message pays a first-touch page fault), not as records are first written. */
static void resident_at_start(void)
{
    struct utsname u;
    int major = 0, minor = 0;
    if (uname(&u) == 0) sscanf(u.release, "%d.%d", &major, &minor);
#ifdef MADV_POPULATE_WRITE
    bool can = major > 5 || (major == 5 && minor >= 14);
#else
    bool can = false;
#endif
    if (!can) {
        printf("  skipped: no MADV_POPULATE_WRITE (kernel %s)\n", u.release);
        return;
    }
    ssgw_store_limits l = {.subscribers = 1000000}; /* 40 MB of locations */
    long long before = resident_bytes();
    ssgw_store *s = ssgw_store_embedded_new(&l);
    CHECK(s != NULL);
    long long after = resident_bytes();
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    /* nothing was written, yet (nearly) all of it is resident */
    CHECK(before >= 0 && after >= 0);
    CHECK(after - before >= (long long)(st.bytes * 9 / 10));
    ssgw_store_free(s);
}

/* Fills a small store with records of every table, from a fixed seed. */
static uint64_t warm_rng(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Operations of every table on s (keys from a small range, so that reads hit), their
 * results folded into one number. */
static uint64_t warm_ops(ssgw_store *s, uint64_t seed, int n)
{
    uint64_t x = seed, acc = 0;
    for (int i = 0; i < n; i++) {
        uint64_t k = warm_rng(&x) % 200 + 1, g = warm_rng(&x) % 7 + 1, v = 0, b = 0;
        uint32_t now = 1000 + (uint32_t)i, t = 0, kind = 0, id = 0;
        ssgw_store_location loc = {.vlr = g, .msc = k, .cc = 1, .time = now}, out = {0};
        ssgw_store_call call = {.calling = k, .called = g, .time = now, .state = 1}, cout = {0};
        int r = 0;
        switch (warm_rng(&x) % 10) {
        case 0:
            r = s->ops->location_put(s, k, &loc);
            break;
        case 1:
            r = s->ops->location_get(s, k, &out) * 7 + (int)out.vlr;
            break;
        case 2:
            r = s->ops->dialogue_put(s, (uint32_t)k, g, k * g, now, (uint32_t)g, 30);
            break;
        case 3:
            r = s->ops->dialogue_get(s, (uint32_t)k, g, now, 30, &v) * 7 + (int)v;
            break;
        case 4:
            r = s->ops->mark_put(s, k, g, now, 0, 60) + s->ops->mark_get(s, k, g, now, 60);
            break;
        case 5:
            r = s->ops->bucket_take(s, k, 2, 1, 2, (uint64_t)now * 100);
            break;
        case 6:
            r = s->ops->risk_put(s, k, now, (uint32_t)g) + s->ops->risk_get(s, g, &t, &kind);
            break;
        case 7:
            r = s->ops->alias_put(s, k, g + 1000, now) + s->ops->alias_get(s, k, &b);
            break;
        case 8:
            r = s->ops->incident_touch(s, k, now, 5, (uint32_t)i + 1, &id) + (int)id;
            break;
        default:
            r = s->ops->call_put(s, k, &call) + s->ops->call_get(s, g, &cout) + cout.state;
            break;
        }
        acc = acc * 31 + (uint64_t)(r + 1) + t + kind + b;
    }
    return acc;
}

/* warm reads, writes and counts nothing: two stores given the same operations answer alike
 * and end with the same statistics when one of them is warmed, before and between the
 * operations, with the keys of every table (those held and others, and tables it does not
 * know). */
static void warm_changes_nothing(void)
{
    ssgw_store_limits l = {.subscribers = 64,
                           .marks = 32,
                           .dialogues = 32,
                           .buckets = 32,
                           .risk = 32,
                           .aliases = 32,
                           .incidents = 32,
                           .calls = 32,
                           .segments = 16};
    ssgw_store *a = ssgw_store_embedded_new(&l), *w = ssgw_store_embedded_new(&l);
    CHECK(a != NULL && w != NULL);
    CHECK(w->ops->warm != NULL);
    uint64_t x = 99, ra = 0, rw = 0;
    for (int round = 0; round < 50; round++) {
        ssgw_store_key keys[64];
        for (size_t i = 0; i < 64; i++)
            keys[i] = (ssgw_store_key){(uint8_t)(warm_rng(&x) % (SSGW_STORE_TABLE_COUNT + 2)),
                                       i % 5 ? warm_rng(&x) % 200 + 1 : warm_rng(&x) % 2,
                                       warm_rng(&x) % 8};
        w->ops->warm(w, keys, 64);
        ra = ra * 7 + warm_ops(a, (uint64_t)round + 1, 200);
        rw = rw * 7 + warm_ops(w, (uint64_t)round + 1, 200);
    }
    CHECK(ra == rw);
    ssgw_store_stats sa, sw;
    a->ops->get_stats(a, &sa);
    w->ops->get_stats(w, &sw);
    CHECK(memcmp(&sa, &sw, sizeof sa) == 0);
    printf("    warm: location hits %llu, dialogue hits %llu\n",
           (unsigned long long)sa.t[SSGW_STORE_LOCATION].hits,
           (unsigned long long)sa.t[SSGW_STORE_DIALOGUE].hits);
    CHECK(sa.t[SSGW_STORE_LOCATION].hits > 100 && sa.t[SSGW_STORE_DIALOGUE].hits > 5);
    a->ops->free(a);
    w->ops->free(w);
}

int main(void)
{
    RUN(pack_digits);
    RUN(pack_digits_random);
    RUN(pack_digits_in_random);
    RUN(locations);
    RUN(bytes_per_subscriber);
    RUN(dialogues_expire);
    RUN(dialogue_values);
    RUN(token_bucket);
    RUN(bucket_not_reset_by_flood);
    RUN(dialogues_isolated_by_pool);
    RUN(marks_isolated_by_pool);
    RUN(resident_at_start);
    RUN(warm_changes_nothing);
    return check_summary();
}
