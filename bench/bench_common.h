/*
 * bench_common.h - what the offline benchmarks (bench_decode, bench_analyze) share:
 * the monotonic clock, the process's peak RSS, capture time in milliseconds, the
 * --reps / --mode options, and preloading a capture into one memory arena (their
 * mode=mem, which times decoding without the capture reader). Not part of libssgw.
 */
#ifndef SSGW_BENCH_COMMON_H
#define SSGW_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/error.h"

/* CLOCK_MONOTONIC in seconds. */
double bench_now_s(void);

/* Peak resident set size of the process in KiB (getrusage), -1 on error. */
long bench_maxrss_kib(void);

/* A capture timestamp in milliseconds. */
uint64_t bench_to_ms(int64_t sec, uint32_t usec);

/* --reps: 1..1000. Returns 0, or -1 after a message naming prog on stderr. */
int bench_parse_reps(const char *prog, const char *arg, unsigned *reps);

/* --mode file|mem|both. Returns 0, or -1 after a message naming prog on stderr. */
int bench_parse_mode(const char *prog, const char *arg, bool *do_file, bool *do_mem);

/* One preloaded message: its bytes at arena + off (len octets), or, for a capture
 * error record (is_error), the index off into errors (len 0); kind is the
 * ssgw_capture_kind, now_ms the capture time. */
typedef struct {
    size_t off;
    uint32_t len;
    uint8_t kind;
    uint8_t is_error;
    uint64_t now_ms;
} bench_msg_ref;

typedef struct {
    uint8_t *arena;
    size_t arena_len, arena_cap;
    bench_msg_ref *msgs;
    size_t n, cap;
    ssgw_error *errors; /* capture error records, in order (keep_errors) */
    size_t n_errors, errors_cap;
} bench_preload;

/*
 * Reads every message of the capture at path into p (zeroed by the caller). With
 * keep_errors, capture error records become entries of msgs (is_error) and of
 * errors; without, they are only counted in n_errors. Returns 0, or -1 after a
 * message naming prog on stderr (the file cannot be read, out of memory); free p
 * with bench_preload_free either way.
 */
int bench_preload_file(const char *prog, const char *path, bool keep_errors, bench_preload *p);

void bench_preload_free(bench_preload *p);

#endif
