/*
 * store_mem.h - the memory of the embedded store's tables (internal to the policy layer;
 * store_embedded.c and store_locations.c use it): zeroed, aligned, allocated once at start
 * and faulted in there, so that no message pays a first-touch page fault.
 */
#ifndef SSGW_STORE_MEM_H
#define SSGW_STORE_MEM_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    void *mem; /* the allocation (store_mem_free releases it) */
    size_t bytes;
    bool mapped; /* mem is an mmap (else calloc) */
} store_mem;

/* Zeroed memory for n bytes (n >= 1) aligned on `align` (a power of two, at most 4096),
 * or NULL when out of memory. From 2 MB on it is mapped on huge-page boundaries and
 * offered to transparent huge pages; all of it is faulted in written before this returns
 * (MADV_POPULATE_WRITE, Linux 5.14 and later: NULL when the kernel cannot give it;
 * elsewhere pages fault in as first used). */
void *store_mem_alloc(store_mem *m, size_t n, size_t align);
/* Releases what store_mem_alloc gave (nothing when it gave nothing). */
void store_mem_free(store_mem *m);

#endif
