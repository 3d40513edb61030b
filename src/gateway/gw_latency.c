/*
 * gw_latency.c - per-message latency of the gateway (gw_int.h gw_histo): a
 * fixed-bucket histogram per inspection lane, written by one thread with
 * relaxed atomic adds and read by the metrics page (gw_metrics.c) without a
 * lock. Buckets from 10 microseconds to 1 second cover an inline firewall
 * (tens of microseconds) and a queue that backs up.
 */
#include <time.h>

#include "gateway/gw_int.h"

const double gw_lat_bounds[GW_LAT_BUCKETS] = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
                                              0.001,   0.0025,   0.005,   0.01,   0.025,   0.05,
                                              0.1,     0.25,     0.5,     1.0};
/* The same bounds in nanoseconds: ns / 1e9 > bound exactly when ns > bound_ns (both sides of
 * each pair are the double nearest to the same decimal; test_gw_latency checks it). */
static const uint64_t lat_bounds_ns[GW_LAT_BUCKETS] = {
    10000,   25000,    50000,    100000,   250000,    500000,    1000000,   2500000,
    5000000, 10000000, 25000000, 50000000, 100000000, 250000000, 500000000, 1000000000};

uint64_t gw_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Called for every DATA message (twice): integer compares, and no locked read-modify-write.
 * One thread writes a histogram, so a relaxed load and a relaxed store of the sum are an
 * increment nobody else can race; readers still see every counter whole. */
void gw_histo_add(gw_histo *h, uint64_t ns)
{
    unsigned i = 0;
    while (i < GW_LAT_BUCKETS && ns > lat_bounds_ns[i])
        i++;
    __atomic_store_n(&h->n[i], __atomic_load_n(&h->n[i], __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
    __atomic_store_n(&h->sum_ns, __atomic_load_n(&h->sum_ns, __ATOMIC_RELAXED) + ns,
                     __ATOMIC_RELAXED);
}

void gw_histo_read(const gw_histo *h, uint64_t counts[GW_LAT_BUCKETS + 1], double *sum_s)
{
    for (unsigned i = 0; i <= GW_LAT_BUCKETS; i++)
        counts[i] = __atomic_load_n(&h->n[i], __ATOMIC_RELAXED);
    *sum_s = (double)__atomic_load_n(&h->sum_ns, __ATOMIC_RELAXED) / 1e9;
}
