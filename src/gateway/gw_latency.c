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

uint64_t gw_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void gw_histo_add(gw_histo *h, uint64_t ns)
{
    double s = (double)ns / 1e9;
    unsigned i = 0;
    while (i < GW_LAT_BUCKETS && s > gw_lat_bounds[i])
        i++;
    __atomic_fetch_add(&h->n[i], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&h->sum_ns, ns, __ATOMIC_RELAXED);
}

void gw_histo_read(const gw_histo *h, uint64_t counts[GW_LAT_BUCKETS + 1], double *sum_s)
{
    for (unsigned i = 0; i <= GW_LAT_BUCKETS; i++)
        counts[i] = __atomic_load_n(&h->n[i], __ATOMIC_RELAXED);
    *sum_s = (double)__atomic_load_n(&h->sum_ns, __ATOMIC_RELAXED) / 1e9;
}
