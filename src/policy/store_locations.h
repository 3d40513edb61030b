/*
 * store_locations.h - the subscriber location table of the embedded store (internal to
 * the policy layer; store_embedded.c is its only user). See store_locations.c for the
 * design: every one of `population` subscribers is kept, at 40 bytes each.
 */
#ifndef SSGW_STORE_LOCATIONS_H
#define SSGW_STORE_LOCATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/store.h"
#include "store_mem.h"

typedef struct loctab_bucket loctab_bucket;

typedef struct {
    loctab_bucket *b;          /* nbuckets buckets, 128-byte aligned inside mem */
    size_t nbuckets;           /* >= 2 */
    size_t population;         /* records held at most (the configured subscribers) */
    store_mem mem;             /* the allocation (freed by loctab_free) */
    uint64_t rng;              /* the displacement walk's generator: fixed seed, so runs repeat */
    ssgw_store_table_stats st; /* capacity = population */
} loctab;

/* Allocates the table for population records (>= 1, <= 2^31). 0, or -1 out of memory. */
int loctab_init(loctab *t, size_t population);
void loctab_free(loctab *t);
/* Bytes of the table's buckets: 40 per subscriber (the allocation adds at most 2 MB of
 * address space for alignment, never touched). */
size_t loctab_bytes(const loctab *t);
/* 1 and *out when key (non-zero) is held, else 0. Counts hits / misses. */
int loctab_get(loctab *t, uint64_t key, ssgw_store_location *out);
/* Prefetches the lines loctab_get(key) reads first (both candidate buckets' keys, the first
 * bucket's values); reads and changes nothing. */
void loctab_warm(const loctab *t, uint64_t key);
/* Stores loc under key (non-zero): in place when held, else as a new record, replacing
 * the oldest candidate of loc->pool when the table holds population records already (an
 * eviction). Returns 1, or 0 when not stored (refused: no candidate of that pool). */
int loctab_put(loctab *t, uint64_t key, const ssgw_store_location *loc);

#endif
