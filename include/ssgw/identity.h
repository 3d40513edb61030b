/*
 * identity.h - an operator's signalling identity, as a TSCA certifies it.
 *
 * The TSCA binds a gateway key to: the operator's legal name, its country,
 * the E.212 MCC-MNC codes it holds, the E.164 global-title ranges it holds and
 * optionally its point codes. The certificate extension (src/trust/,
 * docs/wire-format.md) carries exactly this structure; the verifier's core
 * anti-spoofing check is ssgw_identity_covers_gt(): the calling GT of a signed
 * message must lie inside the signer's certified ranges.
 *
 * GT ranges: a range is a pair of digit strings of equal length L ("from" and
 * "to", from <= to); a GT matches when its first L digits, compared as
 * numbers, lie within [from, to]. A prefix "4477" is the range 4477..4477.
 */
#ifndef SSGW_IDENTITY_H
#define SSGW_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/digits.h"

#define SSGW_ID_NAME_MAX   128
#define SSGW_ID_MAX_MCCMNC 16
#define SSGW_ID_MAX_RANGES 64
#define SSGW_ID_MAX_PC     16
/* Telephone-number claims (the calling numbers an operator may attest, docs/tsca.md). */
#define SSGW_ID_MAX_TN 64

typedef struct {
    char from[SSGW_DIGITS_MAX + 1];
    char to[SSGW_DIGITS_MAX + 1];
} ssgw_gt_range;

typedef struct {
    char name[SSGW_ID_NAME_MAX]; /* legal name, UTF-8 */
    char country[3];             /* ISO 3166-1 alpha-2, e.g. "GB" */
    char mccmnc[SSGW_ID_MAX_MCCMNC][7];
    size_t n_mccmnc;
    ssgw_gt_range gt[SSGW_ID_MAX_RANGES];
    size_t n_gt;
    uint16_t pc[SSGW_ID_MAX_PC]; /* ITU 14-bit point codes */
    size_t n_pc;
    /* --- telephone numbers (CLI attestation, include/ssgw/cli.h) ----------------------
     * The E.164 number ranges whose numbers the operator may attest as calling line
     * identity (like STIR's TNAuthList, RFC 8226): the TSCA checks them against the
     * numbering registry exactly like the GT ranges. Same range syntax as gt. */
    ssgw_gt_range tn[SSGW_ID_MAX_TN];
    size_t n_tn;
    /* --- end of telephone numbers ----------------------------------------------------- */
} ssgw_identity;

/*
 * Parses "4477" (a prefix) or "447700000000-447799999999" (a range) into r.
 * Returns 0, or -1 when the text is not 1..40 decimal digits, the two ends
 * differ in length, or from > to.
 */
int ssgw_gt_range_parse(const char *text, ssgw_gt_range *r);
/* Writes "4477" or "4477000-4477999"; returns snprintf's result. */
int ssgw_gt_range_format(const ssgw_gt_range *r, char *out, size_t outlen);
bool ssgw_gt_range_contains(const ssgw_gt_range *r, const char *gt);
/* True when every GT in inner is inside outer. */
bool ssgw_gt_range_within(const ssgw_gt_range *inner, const ssgw_gt_range *outer);

/* An index over n ranges (the first at base, the next stride octets on, and so on: ranges
 * inside larger records) answering what a scan of them with ssgw_gt_range_contains would:
 * of the ranges that hold gt, the longest (its from has the most digits), the first in
 * their order among those. A binary search per range length instead of a scan (a bundle
 * directory may hold thousands of ranges and is asked once a signed message). The ranges
 * must stay where they are, unchanged, while the index lives. NULL when out of memory. */
typedef struct ssgw_gt_index ssgw_gt_index;
ssgw_gt_index *ssgw_gt_index_new(const void *base, size_t stride, size_t n);
void ssgw_gt_index_free(ssgw_gt_index *x);
/* The position (0 .. n - 1) of that range, or SIZE_MAX when none holds gt. */
size_t ssgw_gt_index_find(const ssgw_gt_index *x, const char *gt);

bool ssgw_identity_covers_gt(const ssgw_identity *id, const char *gt);
/* True when number (E.164 digits, international form) is inside one of the tn ranges. */
bool ssgw_identity_covers_tn(const ssgw_identity *id, const char *number);
bool ssgw_identity_has_mccmnc(const ssgw_identity *id, const char *mccmnc);
/* True when imsi starts with one of the identity's MCC-MNC codes. */
bool ssgw_identity_covers_imsi(const ssgw_identity *id, const char *imsi);

#endif
