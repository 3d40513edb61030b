/* identity.c - GT ranges and identity look-ups (see include/ssgw/identity.h). */
#include "ssgw/identity.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- the index: ranges sorted by length (longest first), then from, then position -------- */

struct gt_ent {
    const char *from, *to;
    const char *max_to; /* the greatest `to` of the entries of its length up to this one */
    size_t pos;
};

struct ssgw_gt_index {
    struct gt_ent *e;
    size_t n;
    /* the entries of length len are e[start[len] .. start[len] + count[len]) */
    size_t start[SSGW_DIGITS_MAX + 1], count[SSGW_DIGITS_MAX + 1];
};

static int ent_cmp(const void *a, const void *b)
{
    const struct gt_ent *x = a, *y = b;
    size_t lx = strlen(x->from), ly = strlen(y->from);
    if (lx != ly) return lx > ly ? -1 : 1;
    int c = strcmp(x->from, y->from);
    if (c) return c;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

ssgw_gt_index *ssgw_gt_index_new(const void *base, size_t stride, size_t n)
{
    ssgw_gt_index *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->e = calloc(n ? n : 1, sizeof *x->e);
    if (!x->e) {
        free(x);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const ssgw_gt_range *r = (const void *)((const char *)base + i * stride);
        size_t l = strlen(r->from);
        if (l == 0 || l > SSGW_DIGITS_MAX) continue; /* holds nothing */
        x->e[x->n++] = (struct gt_ent){r->from, r->to, NULL, i};
    }
    qsort(x->e, x->n, sizeof *x->e, ent_cmp);
    for (size_t i = 0; i < x->n; i++) {
        size_t l = strlen(x->e[i].from);
        if (!x->count[l]++) x->start[l] = i;
        const char *m = x->count[l] > 1 ? x->e[i - 1].max_to : NULL;
        x->e[i].max_to = m && strncmp(m, x->e[i].to, l) > 0 ? m : x->e[i].to;
    }
    return x;
}

void ssgw_gt_index_free(ssgw_gt_index *x)
{
    if (!x) return;
    free(x->e);
    free(x);
}

size_t ssgw_gt_index_find(const ssgw_gt_index *x, const char *gt)
{
    size_t dl = 0; /* gt's leading decimal digits: a range of length l needs l of them */
    while (dl < SSGW_DIGITS_MAX && gt[dl] >= '0' && gt[dl] <= '9')
        dl++;
    for (size_t l = dl; l > 0; l--) {
        if (!x->count[l]) continue;
        const struct gt_ent *e = x->e + x->start[l];
        /* k: the entries whose from is <= gt's first l digits */
        size_t lo = 0, hi = x->count[l];
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (memcmp(e[mid].from, gt, l) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t best = SIZE_MAX;
        for (size_t i = lo; i-- > 0;) {
            if (memcmp(gt, e[i].max_to, l) > 0) break; /* no earlier `to` reaches gt */
            if (memcmp(gt, e[i].to, l) <= 0 && e[i].pos < best) best = e[i].pos;
        }
        if (best != SIZE_MAX) return best;
    }
    return SIZE_MAX;
}
