/*
 * check.h - the unit-test harness: CHECK macros and a summary line.
 *
 * Each test file defines static test functions, lists them in main() with
 * RUN(fn), and returns check_summary(). A failed CHECK prints file:line and the
 * expression and the test goes on, so one run shows every failure.
 */
#ifndef SSGW_TEST_CHECK_H
#define SSGW_TEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_total, check_failed;

/* A deterministic generator for random test inputs (xorshift64): the same sequence in every
 * run, so a failure can be reproduced. */
static inline uint64_t check_rand(void)
{
    static uint64_t state = 88172645463325252ull;
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

/* Removes a test's scratch directory (from mkdtemp) and everything in it: 0 when done. */
static inline int check_remove_tree(const char *dir)
{
    char cmd[600];
    if ((size_t)snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir) >= sizeof cmd) return -1;
    return system(cmd) == 0 ? 0 : -1;
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        check_total++;                                                                             \
        if (!(cond)) {                                                                             \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                            \
        check_total++;                                                                             \
        if (check_a_ != check_b_) {                                                                \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: CHECK_INT failed: %s == %lld, expected %s == %lld\n",          \
                    __FILE__, __LINE__, #a, check_a_, #b, check_b_);                               \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *check_a_ = (a), *check_b_ = (b);                                               \
        check_total++;                                                                             \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {                           \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s == \"%s\", expected \"%s\"\n", __FILE__,  \
                    __LINE__, #a, check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); \
        }                                                                                          \
    } while (0)

#define CHECK_MEM(a, alen, b, blen)                                                                \
    do {                                                                                           \
        size_t check_al_ = (alen), check_bl_ = (blen);                                             \
        check_total++;                                                                             \
        if (check_al_ != check_bl_ || memcmp((a), (b), check_al_) != 0) {                          \
            check_failed++;                                                                        \
            fprintf(stderr, "%s:%d: CHECK_MEM failed: %s (%zu bytes) != %s (%zu bytes)\n",         \
                    __FILE__, __LINE__, #a, check_al_, #b, check_bl_);                             \
        }                                                                                          \
    } while (0)

#define RUN(fn)                                                                                    \
    do {                                                                                           \
        int check_before_ = check_failed;                                                          \
        fn();                                                                                      \
        printf("%-50s %s\n", #fn, check_failed == check_before_ ? "ok" : "FAILED");                \
    } while (0)

static inline int check_summary(void)
{
    printf("checks: %d passed, %d failed\n", check_total - check_failed, check_failed);
    return check_failed ? 1 : 0;
}

/* Parses a hex string ("0a 1B ff" or "0a1bff") into out; returns bytes or -1. */
static inline int check_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (; *hex; hex++) {
        int v;
        if (*hex >= '0' && *hex <= '9')
            v = *hex - '0';
        else if (*hex >= 'a' && *hex <= 'f')
            v = *hex - 'a' + 10;
        else if (*hex >= 'A' && *hex <= 'F')
            v = *hex - 'A' + 10;
        else
            continue;
        if (hi < 0) {
            hi = v;
            continue;
        }
        if (n >= cap) return -1;
        out[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    return hi < 0 ? (int)n : -1;
}

#endif
