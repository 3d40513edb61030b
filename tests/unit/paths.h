/*
 * paths.h - for tests that run a decoder's one-pass path and its general decoder (or a
 * reference) on the same inputs (test_tcap_paths.c, test_m3ua_paths.c, test_map_paths.c…):
 * error comparison, the generator's messages, the truncations and single-octet mutations of
 * an input, and the files of fuzz corpora.
 */
#ifndef SSGW_TEST_PATHS_H
#define SSGW_TEST_PATHS_H

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ssgw/buf.h"
#include "ssgw/error.h"
#include "ssgw/gen.h"

typedef void (*paths_fn)(const uint8_t *buf, size_t len);

static inline bool paths_same_error(const ssgw_error *a, const ssgw_error *b)
{
    return a->layer == b->layer && a->code == b->code && a->offset == b->offset &&
           ((!a->field && !b->field) || (a->field && b->field && !strcmp(a->field, b->field)));
}

/* Counters of a paths test: inputs compared, decoded by both, and on which they differed. */
static unsigned long paths_compared, paths_succeeded, paths_differed;

/* Prints the first few inputs on which the two paths differ. */
static inline void paths_report(unsigned long *differed, const uint8_t *buf, size_t len, int ra,
                                int rb)
{
    if ((*differed)++ >= 5) return;
    fprintf(stderr, "  differ on %zu octets:", len);
    for (size_t i = 0; i < len && i < 48; i++)
        fprintf(stderr, " %02x", buf[i]);
    fprintf(stderr, " (one pass %d, the general decoder or reference %d)\n", ra, rb);
}

typedef void (*paths_gen_fn)(const uint8_t *msg, size_t len, uint64_t index);

/* each() on messages 0..2999 of the generator's seeds 1 and 2, with the message's index:
 * whole M3UA messages written with opts (ssgw_gen_message) or, when opts is NULL, TCAP
 * messages alone (ssgw_gen_tcap). A message the generator fails to write, or that does not
 * fit in 4096 octets, is left out. */
static inline void paths_generated(const ssgw_gen_opts *opts, paths_gen_fn each)
{
    for (uint64_t seed = 1; seed <= 2; seed++) {
        for (uint64_t i = 0; i < 3000; i++) {
            uint8_t mem[4096];
            ssgw_buf b;
            ssgw_gen_info info;
            ssgw_error e;
            ssgw_buf_init(&b, mem, sizeof mem);
            int r = opts ? ssgw_gen_message(seed, i, opts, &b, &info, &e)
                         : ssgw_gen_tcap(seed, i, &b, &info, &e);
            if (r < 0 || b.overflow) continue;
            each(mem, b.len, i);
        }
    }
}

/* cmp on the input, on every truncation of it and on single-octet mutations at every
 * position (a few bits flipped, the octet zeroed). Inputs longer than 400 octets are cut. */
static inline void paths_around(const uint8_t *buf, size_t len, paths_fn cmp)
{
    static const uint8_t flips[] = {0x01, 0x02, 0x04, 0x10, 0x20, 0x40, 0x80, 0xff};
    uint8_t m[400];
    if (len > sizeof m) len = sizeof m;
    cmp(buf, len);
    for (size_t n = 0; n < len; n++)
        cmp(buf, n);
    for (size_t i = 0; i < len; i++) {
        for (size_t f = 0; f <= sizeof flips; f++) {
            memcpy(m, buf, len);
            m[i] = f < sizeof flips ? m[i] ^ flips[f] : 0;
            cmp(m, len);
        }
    }
}

/* each() on the contents of every file in the directories (relative to tests/, where ctest
 * runs); returns how many files were read. */
static inline unsigned paths_corpora(const char *const *dirs, size_t n, paths_fn each)
{
    unsigned files = 0;
    for (size_t d = 0; d < n; d++) {
        DIR *dir = opendir(dirs[d]);
        if (!dir) continue;
        struct dirent *de;
        while ((de = readdir(dir))) {
            if (de->d_name[0] == '.') continue;
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dirs[d], de->d_name);
            FILE *f = fopen(path, "rb");
            if (!f) continue;
            static uint8_t data[4096];
            size_t len = fread(data, 1, sizeof data, f);
            fclose(f);
            files++;
            each(data, len);
        }
        closedir(dir);
    }
    return files;
}

/* The fuzz corpora in dirs, each file through each(): they must be found (more than 100
 * files) and no input may differ. */
static inline void paths_check_corpora(const char *const *dirs, size_t n, paths_fn each)
{
    CHECK(paths_corpora(dirs, n, each) > 100);
    CHECK_INT(paths_differed, 0);
}

/* The test's summary line, with how many inputs were compared. */
static inline int paths_summary(void)
{
    fprintf(stderr, "  %lu inputs compared, %lu decoded\n", paths_compared, paths_succeeded);
    return check_summary();
}

/*
 * Defines `static void name(const uint8_t *buf, size_t len)`: both decoders (each with the
 * signature int (const uint8_t *, size_t, TYPE *, ssgw_error *)) on the same input; the
 * same result, the same error or, on success, the same members (same(): member by member,
 * since struct copies leave padding bytes undefined), else counted and reported. The two
 * structs are filled with different octets first: a one pass that writes its members
 * instead of clearing the struct shows any member it forgets.
 */
#define PATHS_COMPARE(name, type, one_pass, general, same)                                         \
    static void name(const uint8_t *buf, size_t len)                                               \
    {                                                                                              \
        type a, b;                                                                                 \
        ssgw_error ea, eb;                                                                         \
        memset(&a, 0xa5, sizeof a);                                                                \
        memset(&b, 0x5a, sizeof b);                                                                \
        memset(&ea, 0, sizeof ea);                                                                 \
        memset(&eb, 0, sizeof eb);                                                                 \
        int ra = one_pass(buf, len, &a, &ea), rb = general(buf, len, &b, &eb);                     \
        paths_compared++;                                                                          \
        if (ra == 0) paths_succeeded++;                                                            \
        if (ra != rb || (ra < 0 ? !paths_same_error(&ea, &eb) : !same(&a, &b)))                    \
            paths_report(&paths_differed, buf, len, ra, rb);                                       \
    }

/* Member comparison helpers for same(): a and b are the two structs. */
#define PATHS_EQ(m) (a->m == b->m)
#define PATHS_SPAN_EQ(m)                                                                           \
    (a->m.off == b->m.off && a->m.len == b->m.len && a->m.hdr_len == b->m.hdr_len &&               \
     a->m.indefinite == b->m.indefinite)

#endif
