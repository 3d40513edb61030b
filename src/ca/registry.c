/*
 * registry.c - the numbering registry: who holds which E.164 number ranges
 * (ITU-T E.164 national numbering plans) and E.212 MCC-MNC codes, as national
 * numbering authorities publish them. Format (docs/tsca.md "Numbering
 * registry"): CSV, one assignment per line,
 *     holder,country,kind,range
 * holder may be double-quoted (RFC 4180 quoting, "" for a quote); kind is
 * e164 or e212; '#' starts a comment line. The TSCA certifies a claim only
 * when one registry row of the same holder and country contains it entirely.
 */
#include "ssgw/ca.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ca/ca_int.h"

const char *ssgw_reg_kind_name(ssgw_reg_kind k)
{
    return k == SSGW_REG_E212 ? "e212" : "e164";
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Splits one CSV line into at most max fields (in place). Returns the count or -1. */
static int split_csv(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (n == max) return -1;
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            for (;;) {
                if (!*p) return -1; /* unterminated quote */
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            *w = '\0';
            while (*p == ' ' || *p == '\t' || *p == '\r')
                p++;
            if (*p == '\0') return n;
            if (*p != ',') return -1;
            p++;
        } else {
            f[n++] = p;
            char *c = strchr(p, ',');
            if (!c) {
                f[n - 1] = trim(p);
                return n;
            }
            *c = '\0';
            f[n - 1] = trim(p);
            p = c + 1;
        }
    }
}

int ssgw_registry_load(const char *path, ssgw_registry *reg, char *err, size_t errlen)
{
    char *data;
    size_t len;
    memset(reg, 0, sizeof *reg);
    if (ssgw_file_read(path, 64u << 20, &data, &len, err, errlen) < 0) return -1;
    snprintf(reg->path, sizeof reg->path, "%s", path);
    unsigned mdlen;
    EVP_Digest(data, len, reg->sha256, &mdlen, EVP_sha256(), NULL);
    size_t cap = 0;
    unsigned lineno = 0;
    char *save = NULL;
    int rc = 0;
    for (char *p = data; p && rc == 0;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        char *line = p;
        p = nl ? nl + 1 : NULL;
        lineno++;
        char *t = trim(line);
        if (*t == '\0' || *t == '#') continue;
        char *f[5];
        int nf = split_csv(t, f, 5);
        if (nf != 4) {
            rc = ssgw_ca_fail(err, errlen,
                              "%s:%u: expected 4 fields holder,country,kind,range; got '%s'", path,
                              lineno, t);
            break;
        }
        if (reg->n == cap) {
            cap = cap ? cap * 2 : 32;
            ssgw_registry_entry *ne = realloc(reg->e, cap * sizeof *ne);
            if (!ne) {
                rc = ssgw_ca_fail(err, errlen, "out of memory");
                break;
            }
            reg->e = ne;
        }
        ssgw_registry_entry *e = &reg->e[reg->n];
        memset(e, 0, sizeof *e);
        e->line = lineno;
        size_t hl = strlen(f[0]);
        if (hl == 0 || hl >= sizeof e->holder) {
            rc = ssgw_ca_fail(err, errlen, "%s:%u: holder: empty or longer than %d bytes", path,
                              lineno, SSGW_ID_NAME_MAX - 1);
            break;
        }
        memcpy(e->holder, f[0], hl + 1);
        if (strlen(f[1]) != 2 || f[1][0] < 'A' || f[1][0] > 'Z' || f[1][1] < 'A' || f[1][1] > 'Z') {
            rc = ssgw_ca_fail(err, errlen,
                              "%s:%u: country: '%s' is not an ISO 3166-1 alpha-2 code (e.g. GB)",
                              path, lineno, f[1]);
            break;
        }
        memcpy(e->country, f[1], 3);
        if (!strcmp(f[2], "e164")) {
            e->kind = SSGW_REG_E164;
            if (ssgw_gt_range_parse(f[3], &e->range) < 0) {
                rc = ssgw_ca_fail(err, errlen,
                                  "%s:%u: range: '%s' is not a digit prefix or FROM-TO range", path,
                                  lineno, f[3]);
                break;
            }
        } else if (!strcmp(f[2], "e212")) {
            e->kind = SSGW_REG_E212;
            size_t l = strlen(f[3]);
            if (ssgw_gt_range_parse(f[3], &e->range) < 0 || (l != 5 && l != 6) ||
                strchr(f[3], '-')) {
                rc = ssgw_ca_fail(err, errlen, "%s:%u: range: '%s' is not a 5- or 6-digit MCC-MNC",
                                  path, lineno, f[3]);
                break;
            }
        } else {
            rc = ssgw_ca_fail(err, errlen, "%s:%u: kind: '%s' (expected e164 or e212)", path,
                              lineno, f[2]);
            break;
        }
        reg->n++;
    }
    (void)save;
    free(data);
    if (rc < 0) ssgw_registry_free(reg);
    return rc;
}

void ssgw_registry_free(ssgw_registry *reg)
{
    free(reg->e);
    reg->e = NULL;
    reg->n = 0;
}

static void append(char *out, size_t outlen, const char *line)
{
    size_t l = strlen(out);
    if (l < outlen) snprintf(out + l, outlen - l, "%s\n", line);
}

static bool overlaps(const ssgw_gt_range *a, const ssgw_gt_range *b)
{
    return ssgw_gt_range_within(a, b) || ssgw_gt_range_within(b, a) ||
           ssgw_gt_range_contains(a, b->from) || ssgw_gt_range_contains(b, a->from);
}

/* Each claimed range (kind "gt" or "tn") must lie entirely inside one e164 row of the
 * claimant's holder and country; the covering line becomes evidence. */
static int check_ranges(const ssgw_registry *reg, const ssgw_identity *id, const ssgw_gt_range *rs,
                        size_t n, const char *kind, char *evidence, size_t evlen, char *err,
                        size_t errlen)
{
    char line[512];
    for (size_t i = 0; i < n; i++) {
        const ssgw_gt_range *c = &rs[i];
        char ct[96], et[96];
        ssgw_gt_range_format(c, ct, sizeof ct);
        const ssgw_registry_entry *hit = NULL, *other = NULL;
        for (size_t k = 0; k < reg->n && !hit; k++) {
            const ssgw_registry_entry *e = &reg->e[k];
            if (e->kind != SSGW_REG_E164) continue;
            bool mine = !strcmp(e->holder, id->name) && !strcmp(e->country, id->country);
            if (mine && ssgw_gt_range_within(c, &e->range))
                hit = e;
            else if (!other && !mine && overlaps(c, &e->range))
                other = e;
        }
        if (!hit) {
            if (other) {
                ssgw_gt_range_format(&other->range, et, sizeof et);
                return ssgw_ca_fail(err, errlen,
                                    "%s range %s refused: not inside any e164 range held by "
                                    "'%s' (%s) in %s; line %u assigns %s to '%s'",
                                    kind, ct, id->name, id->country, reg->path, other->line, et,
                                    other->holder);
            }
            return ssgw_ca_fail(err, errlen,
                                "%s range %s refused: not inside any e164 range held by '%s' "
                                "(%s) in %s",
                                kind, ct, id->name, id->country, reg->path);
        }
        ssgw_gt_range_format(&hit->range, et, sizeof et);
        snprintf(line, sizeof line, "%s %s <= registry line %u (e164 %s, %s)", kind, ct, hit->line,
                 et, hit->country);
        append(evidence, evlen, line);
    }
    return 0;
}

int ssgw_registry_check(const ssgw_registry *reg, const ssgw_identity *id, char *evidence,
                        size_t evlen, char *err, size_t errlen)
{
    char line[512];
    if (evidence && evlen) evidence[0] = '\0';
    if (id->n_gt == 0)
        return ssgw_ca_fail(err, errlen, "the request claims no GT range: nothing to certify");
    for (size_t i = 0; i < id->n_mccmnc; i++) {
        const ssgw_registry_entry *hit = NULL, *other = NULL;
        for (size_t k = 0; k < reg->n && !hit; k++) {
            const ssgw_registry_entry *e = &reg->e[k];
            if (e->kind != SSGW_REG_E212 || strcmp(e->range.from, id->mccmnc[i])) continue;
            if (!strcmp(e->holder, id->name) && !strcmp(e->country, id->country))
                hit = e;
            else if (!other)
                other = e;
        }
        if (!hit) {
            if (other)
                return ssgw_ca_fail(err, errlen,
                                    "mccmnc %s refused: %s line %u assigns it to '%s' (%s), not "
                                    "to '%s' (%s)",
                                    id->mccmnc[i], reg->path, other->line, other->holder,
                                    other->country, id->name, id->country);
            return ssgw_ca_fail(err, errlen, "mccmnc %s refused: not assigned to anyone in %s",
                                id->mccmnc[i], reg->path);
        }
        snprintf(line, sizeof line, "mccmnc %s <= registry line %u (e212 %s, %s)", id->mccmnc[i],
                 hit->line, hit->range.from, hit->country);
        append(evidence, evlen, line);
    }
    if (check_ranges(reg, id, id->gt, id->n_gt, "gt", evidence, evlen, err, errlen) < 0 ||
        check_ranges(reg, id, id->tn, id->n_tn, "tn", evidence, evlen, err, errlen) < 0)
        return -1;
    return 0;
}
