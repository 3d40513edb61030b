/*
 * bench_common.c - shared helpers of the offline benchmarks (bench/bench_common.h):
 * clock, peak RSS, option parsing and the capture preloader of mode=mem.
 */
#include "bench_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ssgw/capture.h"

double bench_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

long bench_maxrss_kib(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) < 0) return -1;
    return ru.ru_maxrss; /* kilobytes on Linux */
}

uint64_t bench_to_ms(int64_t sec, uint32_t usec)
{
    return (uint64_t)sec * 1000 + usec / 1000;
}

int bench_parse_reps(const char *prog, const char *arg, unsigned *reps)
{
    char *end;
    unsigned long n = strtoul(arg, &end, 10);
    if (!*arg || *end || n < 1 || n > 1000) {
        fprintf(stderr, "%s: --reps: '%s' (allowed 1..1000)\n", prog, arg);
        return -1;
    }
    *reps = (unsigned)n;
    return 0;
}

int bench_parse_mode(const char *prog, const char *arg, bool *do_file, bool *do_mem)
{
    *do_file = !strcmp(arg, "file") || !strcmp(arg, "both");
    *do_mem = !strcmp(arg, "mem") || !strcmp(arg, "both");
    if (*do_file || *do_mem) return 0;
    fprintf(stderr, "%s: --mode: '%s' (allowed: file, mem, both)\n", prog, arg);
    return -1;
}

/* Grows *p (elements of elem octets) to hold at least need, doubling from first. */
static int grow(void **p, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap) return 0;
    size_t ncap = *cap ? *cap : first;
    while (ncap < need)
        ncap *= 2;
    void *np = realloc(*p, ncap * elem);
    if (!np) return -1;
    *p = np;
    *cap = ncap;
    return 0;
}

int bench_preload_file(const char *prog, const char *path, bool keep_errors, bench_preload *p)
{
    char errbuf[256];
    ssgw_capture *c = ssgw_capture_open(path, NULL, errbuf, sizeof errbuf);
    if (!c) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, errbuf);
        return -1;
    }
    ssgw_capture_msg m;
    int rc;
    while ((rc = ssgw_capture_next(c, &m)) == 1) {
        if (m.is_error && !keep_errors) {
            p->n_errors++;
            continue;
        }
        if (grow((void **)&p->msgs, &p->cap, p->n + 1, sizeof *p->msgs, 4096) < 0) goto oom;
        bench_msg_ref *ref = &p->msgs[p->n];
        ref->now_ms = bench_to_ms(m.ts_sec, m.ts_usec);
        ref->kind = (uint8_t)m.kind;
        ref->is_error = m.is_error;
        if (m.is_error) {
            if (grow((void **)&p->errors, &p->errors_cap, p->n_errors + 1, sizeof *p->errors, 16) <
                0)
                goto oom;
            ref->off = p->n_errors;
            ref->len = 0;
            p->errors[p->n_errors++] = m.error;
        } else {
            if (grow((void **)&p->arena, &p->arena_cap, p->arena_len + m.len, 1, 1u << 20) < 0)
                goto oom;
            memcpy(p->arena + p->arena_len, m.data, m.len);
            ref->off = p->arena_len;
            ref->len = (uint32_t)m.len;
            p->arena_len += m.len;
        }
        p->n++;
    }
    if (rc < 0) fprintf(stderr, "%s: %s: %s\n", prog, path, ssgw_capture_error(c));
    ssgw_capture_close(c);
    return rc < 0 ? -1 : 0;
oom:
    ssgw_capture_close(c);
    fprintf(stderr, "%s: out of memory preloading %s\n", prog, path);
    return -1;
}

void bench_preload_free(bench_preload *p)
{
    free(p->arena);
    free(p->msgs);
    free(p->errors);
    memset(p, 0, sizeof *p);
}
