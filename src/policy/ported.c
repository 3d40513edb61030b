/*
 * ported.c - number portability (docs/partner-data.md "Ported numbers"): the CSV of
 * ported numbers (an exact MSISDN, a range FROM-TO of one length, or a prefix written
 * PREFIX*; and the operator now serving it: "home", a partner's name, or an MCC-MNC),
 * the table built from it (sorted ranges, no two overlapping: O(log n) lookups, 24 bytes
 * a row, so a country's millions of ported numbers fit), and the question the checks
 * ask: who serves this MSISDN - the table first, then the networks' msisdn_prefixes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/import_int.h"
#include "ssgw/store.h"

static uint64_t pow10u(size_t k)
{
    uint64_t v = 1;
    while (k--)
        v *= 10;
    return v;
}

/* "447924555001", "+447924555001", "447924556000-447924556999" or "4479245*" -> one or more
 * ranges to the sink. 0, -1 with why, -2 when the sink failed. */
static int number_ranges(const import_sink *s, int line, const char *item, const char *op,
                         char *why, size_t cap)
{
    char a[24], b[24];
    const char *dash = strchr(item, '-');
    size_t n = strlen(item);
    int prefix = n && item[n - 1] == '*';
    if (prefix) n--;
    if (*item == '+') {
        item++;
        n--;
    }
    size_t la = dash ? (size_t)(dash - item) : n;
    if (la == 0 || la > 15) goto bad;
    memcpy(a, item, la);
    a[la] = '\0';
    if (dash) {
        const char *h = dash + 1;
        if (*h == '+') h++;
        if (prefix || strlen(h) != la) {
            snprintf(why, cap, "\"%s\": the two ends of a range must have as many digits", item);
            return -1;
        }
        snprintf(b, sizeof b, "%s", h);
    } else {
        memcpy(b, a, la + 1);
    }
    for (size_t i = 0; i < la; i++)
        if (!isdigit((unsigned char)a[i]) || !isdigit((unsigned char)b[i])) goto bad;
    uint64_t lo = ssgw_store_pack_digits(a), hi = ssgw_store_pack_digits(b);
    if (lo > hi) {
        snprintf(why, cap, "\"%s\": the range ends before it starts", item);
        return -1;
    }
    if (!prefix) return s->ported(s->ctx, line, lo, hi, op) < 0 ? -2 : 0;
    /* a prefix: every number of 1..15 digits that starts with it, one range per length */
    uint64_t v = lo & ((1ull << 60) - 1);
    for (size_t L = la; L <= 15; L++) {
        uint64_t m = pow10u(L - la), base = (uint64_t)L << 60;
        if (s->ported(s->ctx, line, base | (v * m), base | (v * m + m - 1), op) < 0) return -2;
    }
    return 0;
bad:
    snprintf(why, cap,
             "\"%.40s\": expected an MSISDN (1 to 15 digits), a range FROM-TO or a prefix "
             "written PREFIX*",
             item);
    return -1;
}

int import_ported_csv(const char *text, size_t len, const import_sink *s)
{
    char *buf = malloc(CSV_MAX_RECORD);
    if (!buf) return -1;
    char *f[CSV_MAX_FIELDS], why[300], m[400];
    size_t nf;
    int line, rc, first = 1;
    const char *bad = NULL;
    csv_reader r = {text, text + len, 1};
    while ((rc = csv_next(&r, buf, f, &nf, &line, &bad)) != 0) {
        if (rc < 0) {
            snprintf(m, sizeof m, "malformed row: %s", bad);
            if (s->problem(s->ctx, line, m) < 0) goto oom;
            continue;
        }
        if (first && nf >= 1 && (!strcasecmp(f[0], "number") || !strcasecmp(f[0], "msisdn"))) {
            first = 0; /* the optional header */
            continue;
        }
        first = 0;
        if (nf != 2 || !f[1][0]) {
            snprintf(m, sizeof m,
                     "malformed row: expected 2 fields (number, operator), found %zu%s", nf,
                     nf == 2 ? " with an empty operator" : "");
            if (s->problem(s->ctx, line, m) < 0) goto oom;
            continue;
        }
        int e = number_ranges(s, line, f[0], f[1], why, sizeof why);
        if (e == -2) goto oom;
        if (e < 0) {
            snprintf(m, sizeof m, "malformed row: %s", why);
            if (s->problem(s->ctx, line, m) < 0) goto oom;
        }
    }
    free(buf);
    return 0;
oom:
    free(buf);
    return -1;
}

uint16_t policy_msisdn_owner(const ssgw_policy *p, const char *msisdn, size_t readable,
                             const ported_range **row)
{
    if (row) *row = NULL;
    uint64_t key = ssgw_store_pack_digits_in(msisdn, readable);
    if (!key) return MSISDN_UNKNOWN;
    const ported_table *t = &p->ported;
    size_t lo = 0, hi = t->n; /* the first range with lo > key */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->v[mid].lo <= key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo && key <= t->v[lo - 1].hi) {
        if (row) *row = &t->v[lo - 1];
        return t->v[lo - 1].owner;
    }
    uint16_t owner;
    uint8_t roles;
    trie_lookup(&p->msisdn, msisdn, &owner, &roles);
    return owner ? owner : MSISDN_UNKNOWN;
}
