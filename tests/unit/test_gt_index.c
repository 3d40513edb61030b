/*
 * test_gt_index.c - the GT range index (ssgw_gt_index, src/trust/identity.c) against the
 * scan it replaces in ssgw_bundle_find_gt: of the ranges holding a GT, the longest, the
 * first of them in their order. Random directories with overlapping ranges of a few
 * lengths over a small alphabet (so ranges nest, overlap and tie), random GTs near them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ssgw/identity.h"

/* The directory entry's shape in bundle.c: a range inside a larger record. */
typedef struct {
    ssgw_gt_range range;
    size_t member;
} rec;

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* Digits from a small alphabet so that ranges meet often. */
static void digits(char *d, size_t n)
{
    static const char a[] = "01459";
    for (size_t i = 0; i < n; i++)
        d[i] = a[rnd(5)];
    d[n] = '\0';
}

/* The scan ssgw_bundle_find_gt did before the index. */
static size_t scan(const rec *r, size_t n, const char *gt)
{
    size_t best = SIZE_MAX, best_len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(r[i].range.from);
        if (l > best_len && ssgw_gt_range_contains(&r[i].range, gt)) {
            best = i;
            best_len = l;
        }
    }
    return best;
}

static void random_range(ssgw_gt_range *g)
{
    size_t l = 1 + rnd(6);
    char a[SSGW_DIGITS_MAX + 1], b[SSGW_DIGITS_MAX + 1];
    digits(a, l);
    if (rnd(3) == 0) {
        memcpy(b, a, l + 1); /* a prefix */
    } else {
        digits(b, l);
    }
    if (strcmp(a, b) > 0) {
        char t[SSGW_DIGITS_MAX + 1];
        memcpy(t, a, sizeof t);
        memcpy(a, b, sizeof t);
        memcpy(b, t, sizeof t);
    }
    char text[2 * SSGW_DIGITS_MAX + 2];
    snprintf(text, sizeof text, "%s-%s", a, b);
    CHECK_INT(ssgw_gt_range_parse(text, g), 0);
}

static void random_gt(char *gt, const rec *r, size_t n)
{
    size_t l;
    switch (rnd(6)) {
    case 0: /* random digits */
        l = rnd(9);
        digits(gt, l);
        break;
    case 1: /* a range's bound, then more digits */
    case 2:
        l = n ? strlen(r[rnd((unsigned)n)].range.from) : 0;
        memcpy(gt,
               n ? (rnd(2) ? r[rnd((unsigned)n)].range.from : r[rnd((unsigned)n)].range.to) : "",
               l);
        digits(gt + l, rnd(6));
        break;
    case 3: /* a bound with a non-digit inside */
        l = n ? strlen(r[rnd((unsigned)n)].range.to) : 0;
        memcpy(gt, n ? r[rnd((unsigned)n)].range.to : "", l);
        gt[l] = '\0';
        if (l) gt[rnd((unsigned)l)] = rnd(2) ? 'a' : '#';
        break;
    case 4: /* the empty GT, or only digits past the longest range */
        if (rnd(2))
            gt[0] = '\0';
        else
            digits(gt, SSGW_DIGITS_MAX);
        break;
    default: /* a bound, cut short */
        l = n ? strlen(r[rnd((unsigned)n)].range.from) : 0;
        memcpy(gt, n ? r[rnd((unsigned)n)].range.from : "", l);
        gt[l ? rnd((unsigned)l) : 0] = '\0';
        break;
    }
}

static void test_against_scan(void)
{
    enum { DIRS = 400, GTS = 500 };
    rec *r = calloc(300, sizeof *r);
    size_t found = 0, asked = 0;
    for (int d = 0; d < DIRS; d++) {
        size_t n = d == 0 ? 0 : 1 + rnd(d < 200 ? 12 : 300);
        for (size_t i = 0; i < n; i++) {
            random_range(&r[i].range);
            r[i].member = i;
        }
        if (n > 2 && rnd(2)) r[n - 1].range = r[rnd((unsigned)(n - 1))].range; /* a duplicate */
        ssgw_gt_index *x = ssgw_gt_index_new(n ? &r[0].range : NULL, sizeof *r, n);
        CHECK(x != NULL);
        if (!x) break;
        for (int q = 0; q < GTS; q++) {
            char gt[SSGW_DIGITS_MAX + 8];
            random_gt(gt, r, n);
            size_t want = scan(r, n, gt), got = ssgw_gt_index_find(x, gt);
            asked++;
            found += want != SIZE_MAX;
            if (got != want) {
                fprintf(stderr, "directory %d (%zu ranges), gt '%s': index %zu, scan %zu\n", d, n,
                        gt, got, want);
                CHECK(got == want);
                q = GTS;
                d = DIRS;
            }
        }
        ssgw_gt_index_free(x);
    }
    /* the GTs must hit often enough for the comparison to mean something */
    CHECK(found > asked / 4);
    free(r);
}

static void test_hand_checked(void)
{
    rec r[4];
    CHECK_INT(ssgw_gt_range_parse("44", &r[0].range), 0);
    CHECK_INT(ssgw_gt_range_parse("4477", &r[1].range), 0);
    CHECK_INT(ssgw_gt_range_parse("4470-4479", &r[2].range), 0); /* same length as r[1] */
    CHECK_INT(ssgw_gt_range_parse("254722", &r[3].range), 0);
    ssgw_gt_index *x = ssgw_gt_index_new(&r[0].range, sizeof *r, 4);
    CHECK(x != NULL);
    CHECK(ssgw_gt_index_find(x, "447712345678") == 1); /* longest, first of equals */
    CHECK(ssgw_gt_index_find(x, "447512345678") == 2);
    CHECK(ssgw_gt_index_find(x, "448012345678") == 0);
    CHECK(ssgw_gt_index_find(x, "254722000000") == 3);
    CHECK(ssgw_gt_index_find(x, "25472") == SIZE_MAX);
    CHECK(ssgw_gt_index_find(x, "4") == SIZE_MAX);
    CHECK(ssgw_gt_index_find(x, "") == SIZE_MAX);
    CHECK(ssgw_gt_index_find(x, "44a7") == 0);
    ssgw_gt_index_free(x);
}

int main(void)
{
    RUN(test_hand_checked);
    RUN(test_against_scan);
    return check_summary();
}
