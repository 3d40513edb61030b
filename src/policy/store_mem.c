/*
 * store_mem.c - the embedded store's table memory, faulted in at start (store_mem.h).
 *
 * Why at start: the tables are hashed, so messages touch their pages in random order, and
 * each first touch of a zeroed page is a page fault: the first read maps the shared zero
 * page and the first write then replaces it, which with `ssgw analyze --threads` or the
 * gateway's workers (the process running on two cores) is a TLB shoot-down on the other
 * core as well. Measured in docs/BENCHMARKS.md ("Store memory faulted in at start"). At
 * the default sizes every page is touched early in any real capture anyway, so the memory
 * is the same; the operator's configured [state] sizes are what the process holds from
 * the start, and memory the kernel refuses then (ENOMEM) fails the store's creation rather
 * than a message later.
 */
#include "store_mem.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE (2u << 20) /* x86-64, and arm64 with 4 KB pages */
#define PAGE      4096u

static uintptr_t align_up(uintptr_t p, uintptr_t to)
{
    return (p + to - 1) & ~(to - 1);
}

/* false when the kernel could not give the memory (ENOMEM); an older kernel without
 * MADV_POPULATE_WRITE (EINVAL) leaves the pages to fault in as they are first used */
static bool fault_in(uintptr_t from, uintptr_t to)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t a = align_up(from, PAGE), e = to & ~(uintptr_t)(PAGE - 1);
    if (e > a && madvise((void *)a, e - a, MADV_POPULATE_WRITE) != 0 && errno == ENOMEM)
        return false;
#else
    (void)from;
    (void)to;
#endif
    return true;
}

void *store_mem_alloc(store_mem *m, size_t n, size_t align)
{
    m->mem = NULL;
    m->mapped = false;
    if (n >= HUGE_PAGE) {
        m->bytes = n + HUGE_PAGE;
        void *p = mmap(NULL, m->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return NULL;
        m->mem = p;
        m->mapped = true;
        uintptr_t b = align_up((uintptr_t)p, HUGE_PAGE);
#ifdef MADV_HUGEPAGE
        madvise((void *)b, n, MADV_HUGEPAGE); /* a hint: without huge pages it works as well */
#endif
        if (!fault_in(b, b + n)) {
            store_mem_free(m);
            return NULL;
        }
        return (void *)b;
    }
    m->bytes = n + align;
    if (!(m->mem = calloc(1, m->bytes))) return NULL;
    uintptr_t b = align_up((uintptr_t)m->mem, align);
    if (!fault_in(b, b + n)) {
        store_mem_free(m);
        return NULL;
    }
    return (void *)b;
}

void store_mem_free(store_mem *m)
{
    if (m->mapped)
        munmap(m->mem, m->bytes);
    else
        free(m->mem);
    m->mem = NULL;
}
