/* identity.c - GT ranges and identity look-ups (see include/ssgw/identity.h). */
#include "ssgw/identity.h"

#include <stdio.h>
#include <string.h>

static bool all_decimal(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return n > 0;
}

int ssgw_gt_range_parse(const char *text, ssgw_gt_range *r)
{
    const char *dash = strchr(text, '-');
    size_t n1 = dash ? (size_t)(dash - text) : strlen(text);
    const char *second = dash ? dash + 1 : text;
    size_t n2 = strlen(second);
    if (!dash) n2 = n1;
    if (n1 == 0 || n1 > SSGW_DIGITS_MAX || n1 != n2 || !all_decimal(text, n1) ||
        !all_decimal(second, n2))
        return -1;
    memcpy(r->from, text, n1);
    r->from[n1] = '\0';
    memcpy(r->to, second, n2);
    r->to[n2] = '\0';
    return strcmp(r->from, r->to) <= 0 ? 0 : -1; /* equal lengths: lexical = numeric */
}

int ssgw_gt_range_format(const ssgw_gt_range *r, char *out, size_t outlen)
{
    if (!strcmp(r->from, r->to)) return snprintf(out, outlen, "%s", r->from);
    return snprintf(out, outlen, "%s-%s", r->from, r->to);
}

bool ssgw_gt_range_contains(const ssgw_gt_range *r, const char *gt)
{
    size_t l = strlen(r->from);
    if (l == 0 || strlen(gt) < l || !all_decimal(gt, l)) return false;
    return strncmp(gt, r->from, l) >= 0 && strncmp(gt, r->to, l) <= 0;
}

bool ssgw_gt_range_within(const ssgw_gt_range *inner, const ssgw_gt_range *outer)
{
    size_t li = strlen(inner->from), lo = strlen(outer->from);
    if (li < lo) return false; /* a shorter (wider) range cannot fit a longer one's bounds */
    return strncmp(inner->from, outer->from, lo) >= 0 && strncmp(inner->to, outer->to, lo) <= 0;
}

bool ssgw_identity_covers_gt(const ssgw_identity *id, const char *gt)
{
    for (size_t i = 0; i < id->n_gt; i++)
        if (ssgw_gt_range_contains(&id->gt[i], gt)) return true;
    return false;
}

bool ssgw_identity_covers_tn(const ssgw_identity *id, const char *number)
{
    for (size_t i = 0; i < id->n_tn; i++)
        if (ssgw_gt_range_contains(&id->tn[i], number)) return true;
    return false;
}

bool ssgw_identity_has_mccmnc(const ssgw_identity *id, const char *mccmnc)
{
    for (size_t i = 0; i < id->n_mccmnc; i++)
        if (!strcmp(id->mccmnc[i], mccmnc)) return true;
    return false;
}

bool ssgw_identity_covers_imsi(const ssgw_identity *id, const char *imsi)
{
    for (size_t i = 0; i < id->n_mccmnc; i++)
        if (id->mccmnc[i][0] && !strncmp(imsi, id->mccmnc[i], strlen(id->mccmnc[i]))) return true;
    return false;
}
