/*
 * test_gw_latency.c - the gateway's latency histograms (src/gateway/gw_latency.c): an
 * observation of ns nanoseconds lands in the first bucket whose bound (gw_lat_bounds,
 * seconds, what the metrics page prints as `le`) it does not exceed, and adds ns to the
 * sum. gw_histo_add compares integer nanoseconds with bounds of its own; the reference here
 * is the definition in seconds, (double)ns / 1e9 > bound, on every bound and its neighbours
 * (+-1, +-2, +-1000 ns), zero, values past the last bound and 200,000 random values of every
 * magnitude. The counts and the sum must be exactly the reference's after every add.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "gateway/gw_int.h"

static unsigned ref_bucket(uint64_t ns)
{
    double s = (double)ns / 1e9;
    unsigned i = 0;
    while (i < GW_LAT_BUCKETS && s > gw_lat_bounds[i])
        i++;
    return i;
}

static gw_histo h;
static uint64_t want[GW_LAT_BUCKETS + 1], want_sum;
static unsigned mismatches;

static void add(uint64_t ns)
{
    unsigned b = ref_bucket(ns);
    want[b]++;
    want_sum += ns;
    gw_histo_add(&h, ns);
    if (memcmp(h.n, want, sizeof want) != 0 || h.sum_ns != want_sum) {
        if (mismatches++ < 5)
            fprintf(stderr, "observation %llu ns: expected in bucket %u\n", (unsigned long long)ns,
                    b);
        memcpy(h.n, want, sizeof want); /* report each bad value once */
        h.sum_ns = want_sum;
    }
}

static void buckets_as_seconds(void)
{
    add(0);
    add(1);
    for (unsigned i = 0; i < GW_LAT_BUCKETS; i++) {
        uint64_t b = (uint64_t)(gw_lat_bounds[i] * 1e9 + 0.5);
        static const int64_t d[] = {-1000, -2, -1, 0, 1, 2, 1000};
        for (size_t k = 0; k < sizeof d / sizeof d[0]; k++)
            add((uint64_t)((int64_t)b + d[k]));
    }
    add(5000000000ull);
    add(UINT64_C(1) << 40);
    for (int i = 0; i < 200000; i++) {
        uint64_t r = check_rand();
        add(r >> (24 + r % 40)); /* 0 .. 2^40 ns, every magnitude */
    }
    CHECK_INT(mismatches, 0);
    uint64_t total = 0;
    for (unsigned i = 0; i <= GW_LAT_BUCKETS; i++)
        total += h.n[i];
    CHECK_INT(total, 2 + GW_LAT_BUCKETS * 7 + 2 + 200000);
    /* every bucket was reached */
    for (unsigned i = 0; i <= GW_LAT_BUCKETS; i++)
        CHECK(h.n[i] > 0);
    uint64_t counts[GW_LAT_BUCKETS + 1];
    double sum;
    gw_histo_read(&h, counts, &sum);
    CHECK(memcmp(counts, want, sizeof counts) == 0);
    CHECK(sum == (double)want_sum / 1e9);
}

int main(void)
{
    RUN(buckets_as_seconds);
    return check_summary();
}
