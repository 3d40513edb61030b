/*
 * test_store_locations.c - the embedded store's subscriber location table
 * (src/policy/store_locations.c) through the store interface: sized to N subscribers it
 * keeps N distinct subscribers (random keys and consecutive IMSIs, many sizes and seeds,
 * every one found afterwards with its record), at <= 40 bytes per subscriber; beyond N
 * it evicts, counts each eviction, keeps its memory and holds at most N records, and the
 * records replaced are the oldest.
 */
#include <stdlib.h>

#include "check.h"
#include "ssgw/store.h"

static uint64_t rng_next(uint64_t *x)
{
    *x += 0x9e3779b97f4a7c15ull; /* splitmix64 */
    uint64_t z = *x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return z ? z : 1;
}

static ssgw_store *store_for(size_t subscribers)
{
    ssgw_store_limits l = {.subscribers = subscribers,
                           .marks = 4,
                           .dialogues = 4,
                           .buckets = 4,
                           .risk = 4,
                           .aliases = 4,
                           .incidents = 4,
                           .calls = 4};
    return ssgw_store_embedded_new(&l);
}

static ssgw_store_table_stats loc_stats(ssgw_store *s, size_t *bytes)
{
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    if (bytes) *bytes = st.bytes;
    return st.t[SSGW_STORE_LOCATION];
}

/* The record key i gets: derived from the key, so a mixed-up record shows. */
static ssgw_store_location record_of(uint64_t key, uint32_t time)
{
    ssgw_store_location l = {
        .vlr = key * 3 + 1, .msc = key ^ 0x5555, .cc = (uint16_t)(key % 251), .time = time};
    return l;
}

/* Fills a store of n with n distinct keys (keys[i]); returns how many were found again
 * with the right record, and checks the counters. */
static size_t fill_and_find(size_t n, const uint64_t *keys)
{
    ssgw_store *s = store_for(n);
    CHECK(s != NULL);
    if (!s) return 0;
    for (size_t i = 0; i < n; i++) {
        ssgw_store_location l = record_of(keys[i], (uint32_t)i);
        CHECK_INT(s->ops->location_put(s, keys[i], &l), 1);
    }
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        ssgw_store_location out, want = record_of(keys[i], (uint32_t)i);
        found += s->ops->location_get(s, keys[i], &out) == 1 && out.vlr == want.vlr &&
                 out.msc == want.msc && out.cc == want.cc && out.time == want.time;
    }
    ssgw_store_table_stats t = loc_stats(s, NULL);
    CHECK_INT(t.capacity, n);
    CHECK_INT(t.used, n);
    CHECK_INT(t.inserts, n);
    CHECK_INT(t.evictions, 0);
    ssgw_store_free(s);
    return found;
}

/* Every size from 1 to 300 with 20 seeds each, then large ones: all n keys kept. */
static void exact_population_kept(void)
{
    static uint64_t keys[1000000];
    uint64_t x = 16;
    size_t tables = 0, lost = 0;
    for (size_t n = 1; n <= 300; n++)
        for (int seed = 0; seed < 20; seed++, tables++) {
            for (size_t i = 0; i < n; i++)
                keys[i] = rng_next(&x);
            lost += n - fill_and_find(n, keys);
        }
    const size_t big[] = {1000, 4361, 65536, 100003, 1000000};
    for (size_t k = 0; k < sizeof big / sizeof big[0]; k++, tables++) {
        for (size_t i = 0; i < big[k]; i++)
            keys[i] = rng_next(&x);
        lost += big[k] - fill_and_find(big[k], keys);
    }
    /* consecutive IMSIs (a home network's range) and a few MSIN blocks of other networks */
    uint64_t imsi0 = ssgw_store_pack_digits("234910000000000");
    for (size_t i = 0; i < 1000000; i++)
        keys[i] = imsi0 + i;
    lost += 1000000 - fill_and_find(1000000, keys);
    for (size_t i = 0; i < 100000; i++)
        keys[i] = ssgw_store_pack_digits("262011000000000") + (i % 1000) + (i / 1000) * 1000000;
    lost += 100000 - fill_and_find(100000, keys);
    printf("    %zu tables filled to exactly their size: %zu records lost\n", tables + 2, lost);
    CHECK_INT(lost, 0);
}

/* <= 40 bytes per configured subscriber, at any size. */
static void forty_bytes(void)
{
    const size_t sizes[] = {1, 7, 1000, 1000000, 4000000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k], with, without;
        ssgw_store *s = store_for(n), *one = store_for(1);
        CHECK(s && one);
        if (!s || !one) return;
        loc_stats(s, &with);
        loc_stats(one, &without);
        double per = (double)(with - without) / (double)(n > 1 ? n - 1 : 1);
        if (n >= 1000) {
            printf("    %zu subscribers: %.2f bytes each\n", n, per);
            CHECK(per <= 40.0 + 0.01);
        }
        CHECK(with <= without + n * 40 + 256);
        ssgw_store_free(s);
        ssgw_store_free(one);
    }
}

/* Beyond the population: one eviction per new subscriber, at most n held, memory fixed,
 * the newest kept and the oldest replaced; updating a held record evicts nothing. */
static void beyond_population(void)
{
    const size_t n = 100000;
    ssgw_store *s = store_for(n);
    size_t bytes0, bytes1;
    loc_stats(s, &bytes0);
    uint64_t x = 99, *keys = malloc(3 * n * sizeof *keys);
    CHECK(keys != NULL);
    if (!keys) return;
    for (size_t i = 0; i < 3 * n; i++) {
        keys[i] = rng_next(&x);
        ssgw_store_location l = record_of(keys[i], (uint32_t)(1000 + i));
        s->ops->location_put(s, keys[i], &l);
        if (i == n - 1) {
            ssgw_store_table_stats t = loc_stats(s, NULL);
            CHECK_INT(t.evictions, 0);
            /* at the cap, updating held records evicts nothing */
            for (size_t j = 0; j < n; j += 7) {
                ssgw_store_location u = record_of(keys[j], (uint32_t)(1000 + i));
                s->ops->location_put(s, keys[j], &u);
            }
            t = loc_stats(s, NULL);
            CHECK_INT(t.evictions, 0);
            CHECK_INT(t.used, n);
            CHECK_INT(t.inserts, n);
        }
    }
    ssgw_store_table_stats t = loc_stats(s, &bytes1);
    CHECK_INT(bytes1, bytes0);
    CHECK_INT(t.used, n);
    CHECK_INT(t.inserts, 3 * n);
    CHECK_INT(t.evictions, 2 * n);
    size_t newest = 0, oldest = 0, held = 0;
    ssgw_store_location out;
    for (size_t i = 0; i < 3 * n; i++) {
        int f = s->ops->location_get(s, keys[i], &out);
        held += f;
        if (i >= 3 * n - 1000) newest += f;
        if (i < n && i % 7) oldest += f; /* the first n, except those updated at the cap */
    }
    printf("    %zu subscribers into a store of %zu: %zu held, of the newest 1000 %zu, of the "
           "first %zu (not updated) %zu\n",
           3 * n, n, held, newest, n - n / 7 - 1, oldest);
    CHECK_INT(held, n);
    CHECK(newest >= 990);   /* an approximate LRU: the newest are (nearly) all kept */
    CHECK(oldest < n / 50); /* and the oldest are (nearly) all gone */
    free(keys);
    ssgw_store_free(s);
}

/* Key 0 (no IMSI) is never stored; a store refuses more than 2^31 subscribers. */
static void edges(void)
{
    ssgw_store *s = store_for(4);
    ssgw_store_location l = {.vlr = 1, .msc = 2, .cc = 3, .time = 4}, out;
    CHECK_INT(s->ops->location_put(s, 0, &l), 0);
    CHECK_INT(s->ops->location_get(s, 0, &out), 0);
    CHECK_INT(loc_stats(s, NULL).used, 0);
    ssgw_store_free(s);
    ssgw_store_limits huge = {.subscribers = (1ull << 31) + 1,
                              .marks = 4,
                              .dialogues = 4,
                              .buckets = 4,
                              .risk = 4,
                              .aliases = 4,
                              .incidents = 4,
                              .calls = 4};
    CHECK(ssgw_store_embedded_new(&huge) == NULL);
}

/* A full table: one network's flood of new subscribers (location updates for invented
 * IMSIs) replaces only that network's records; every other network's subscribers keep
 * their locations, and that network's own new subscribers still get in. */
static void flood_replaces_only_its_own(void)
{
    const size_t n = 10000;
    ssgw_store *s = store_for(n);
    uint64_t x = 77;
    uint64_t *keys = malloc(n * sizeof *keys);
    CHECK(keys != NULL);
    if (!keys) return;
    for (size_t i = 0; i < n; i++) { /* half alpha (pool 2), half bravo (pool 3) */
        keys[i] = rng_next(&x);
        ssgw_store_location l = record_of(keys[i], 1000);
        l.pool = i % 2 ? 3 : 2;
        CHECK_INT(s->ops->location_put(s, keys[i], &l), 1);
    }
    int stored = 0;
    for (size_t i = 0; i < 10 * n; i++) { /* bravo floods */
        uint64_t k = rng_next(&x);
        ssgw_store_location l = record_of(k, 2000 + (uint32_t)i);
        l.pool = 3;
        stored += s->ops->location_put(s, k, &l);
    }
    ssgw_store_table_stats t = loc_stats(s, NULL);
    CHECK(stored > (int)n);                     /* it replaced its own records ... */
    CHECK_INT(t.evictions + t.refused, 10 * n); /* ... or was refused, every one counted */
    CHECK_INT(t.used, n);
    size_t alpha = 0;
    ssgw_store_location out;
    for (size_t i = 0; i < n; i += 2)
        alpha += s->ops->location_get(s, keys[i], &out) == 1 && out.pool == 2 &&
                 out.vlr == keys[i] * 3 + 1;
    CHECK_INT(alpha, n / 2); /* ... and no alpha subscriber lost its location */
    /* alpha's new subscribers replace alpha's oldest */
    int in = 0;
    for (size_t i = 0; i < 100; i++) {
        uint64_t k = rng_next(&x);
        ssgw_store_location l = record_of(k, 3000);
        l.pool = 2;
        in += s->ops->location_put(s, k, &l) == 1 && s->ops->location_get(s, k, &out) == 1;
    }
    CHECK(in >= 95);
    free(keys);
    ssgw_store_free(s);
}

int main(void)
{
    RUN(exact_population_kept);
    RUN(forty_bytes);
    RUN(beyond_population);
    RUN(edges);
    RUN(flood_replaces_only_its_own);
    return check_summary();
}
