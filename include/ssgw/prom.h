/*
 * prom.h - the Prometheus text exposition format (version 0.0.4), written
 * into a growing buffer: one family at a time (# HELP, # TYPE, then its
 * samples), label values escaped as the format requires (backslash, double
 * quote, newline), histograms as cumulative _bucket{le=...} series with
 * _sum and _count. Names follow Prometheus conventions (ssgw_..._total for
 * counters, base units such as _seconds and _bytes); `promtool check
 * metrics` checks the gateway's page in tests/e2e/test_http.py.
 */
#ifndef SSGW_PROM_H
#define SSGW_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *buf;
    size_t len, cap;
    bool failed; /* out of memory: the page is incomplete */
} ssgw_prom;

/* The text served with it. */
#define SSGW_PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

void ssgw_prom_init(ssgw_prom *p);
void ssgw_prom_free(ssgw_prom *p);

/* "# HELP name help" and "# TYPE name type" (type: counter, gauge, histogram). */
void ssgw_prom_family(ssgw_prom *p, const char *name, const char *type, const char *help);

/*
 * One sample: name{labels} value. labels is NULL or a NULL-terminated list of
 * key, value pairs: (const char *[]){"link", "ipx-a", "side", "outer", NULL}.
 */
void ssgw_prom_sample(ssgw_prom *p, const char *name, const char *const *labels, double value);
void ssgw_prom_sample_u64(ssgw_prom *p, const char *name, const char *const *labels,
                          uint64_t value);

/*
 * A histogram's series: counts[i] observations fell in (bounds[i-1], bounds[i]]
 * for i < n, counts[n] above the last bound; sum of the observed values.
 * Writes name_bucket{...,le="b"} (cumulative), le="+Inf", name_sum, name_count.
 */
void ssgw_prom_histogram(ssgw_prom *p, const char *name, const char *const *labels,
                         const double *bounds, const uint64_t *counts, size_t n, double sum);

#endif
