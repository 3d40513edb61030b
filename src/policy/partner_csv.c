/*
 * partner_csv.c - CSV records (RFC 4180: quoted fields may hold commas, quotes as "" and
 * line breaks; CRLF or LF) and the partner-data CSV of docs/partner-data.md: a header
 * row naming the columns (partner_row.c's fields, any order, case-insensitive), then one
 * partner per row, several items of a cell separated by ';' or blanks. Lines starting with
 * '#' and blank lines are skipped. Every bad row is reported with its line and skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/import_int.h"

/* Skips to the start of the next line. */
static void skip_line(csv_reader *r)
{
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    r->p = nl ? nl + 1 : r->end;
    r->line++;
}

static int blank_or_comment(const csv_reader *r)
{
    const char *q = r->p;
    while (q < r->end && (*q == ' ' || *q == '\t' || *q == '\r'))
        q++;
    return q == r->end || *q == '\n' || (q == r->p && *q == '#');
}

int csv_next(csv_reader *r, char *buf, char **f, size_t *nf, int *line, const char **why)
{
    while (r->p < r->end && blank_or_comment(r))
        skip_line(r);
    if (r->p >= r->end) return 0;
    *line = r->line;
    *nf = 0;
    size_t k = 0;
    const char *bad = NULL, *rec_start = r->p;
    for (;;) { /* one field per turn */
        if (*nf == CSV_MAX_FIELDS) {
            bad = "more than 32 fields";
            break;
        }
        f[(*nf)++] = buf + k;
        while (r->p < r->end && (*r->p == ' ' || *r->p == '\t'))
            r->p++;
        if (r->p < r->end && *r->p == '"') {
            r->p++;
            for (;;) {
                if (r->p >= r->end) {
                    /* resynchronise after the record's first line, not at the end */
                    bad = "a quoted field is not closed";
                    r->p = rec_start;
                    r->line = *line;
                    break;
                }
                char c = *r->p++;
                if (c == '"') {
                    if (r->p < r->end && *r->p == '"') {
                        r->p++;
                    } else {
                        break;
                    }
                }
                if (c == '\n') r->line++;
                if (k + 1 >= CSV_MAX_RECORD) {
                    bad = "a record longer than 65536 characters";
                    break;
                }
                buf[k++] = c;
            }
            if (bad) break;
            while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\r'))
                r->p++;
            if (r->p < r->end && *r->p != ',' && *r->p != '\n') {
                bad = "text after a closing quote";
                break;
            }
        } else {
            size_t start = k;
            while (r->p < r->end && *r->p != ',' && *r->p != '\n') {
                if (k + 1 >= CSV_MAX_RECORD) {
                    bad = "a record longer than 65536 characters";
                    break;
                }
                if (*r->p == '"') {
                    bad = "a quote inside an unquoted field (quote the whole field)";
                    break;
                }
                buf[k++] = *r->p++;
            }
            if (bad) break;
            while (k > start && (buf[k - 1] == ' ' || buf[k - 1] == '\t' || buf[k - 1] == '\r'))
                k--;
        }
        buf[k++] = '\0';
        if (r->p >= r->end) return 1;
        if (*r->p++ == '\n') {
            r->line++;
            return 1;
        }
    }
    *why = bad;
    if (r->p < r->end) skip_line(r); /* resynchronise at the next line */
    return -1;
}

static int problem(const import_sink *s, int line, const char *fmt, const char *a, const char *b)
{
    char m[512];
    snprintf(m, sizeof m, fmt, a, b);
    return s->problem(s->ctx, line, m);
}

static int partners_csv(const char *text, size_t len, const import_sink *s, char *buf)
{
    char *f[CSV_MAX_FIELDS];
    int col[CSV_MAX_FIELDS];
    size_t nf, ncol = 0;
    int line, rc;
    const char *why = NULL;
    csv_reader r = {text, text + len, 1};
    bool have_name = false;
    while ((rc = csv_next(&r, buf, f, &nf, &line, &why)) != 0) { /* the header */
        if (rc < 0) {
            if (problem(s, line, "malformed header: %s%s", why, "") < 0) return -1;
            continue;
        }
        ncol = nf;
        for (size_t i = 0; i < nf; i++) {
            col[i] = partner_field_find(f[i]);
            if (col[i] == PF_NAME) have_name = true;
            for (size_t j = 0; j < i && col[i] >= 0; j++)
                if (col[j] == col[i] &&
                    problem(s, line, "column '%s' twice in the header%s", f[i], "") < 0)
                    return -1;
            if (col[i] < 0 &&
                problem(s, line, "unknown column '%.64s' (ignored; the columns are: %s)", f[i],
                        partner_field_list()) < 0)
                return -1;
        }
        break;
    }
    if (!ncol) return 0; /* empty file: nothing to import */
    if (!have_name)
        return problem(s, 0, "the header has no 'name' column (the columns are: %s)%s",
                       partner_field_list(), "") < 0
                   ? -1
                   : 0;
    while ((rc = csv_next(&r, buf, f, &nf, &line, &why)) != 0) {
        if (rc < 0) {
            if (problem(s, line, "malformed row: %s%s", why, "") < 0) return -1;
            continue;
        }
        if (nf != ncol) {
            char a[32], b[32];
            snprintf(a, sizeof a, "%zu", nf);
            snprintf(b, sizeof b, "%zu", ncol);
            if (problem(s, line, "malformed row: %s fields where the header has %s", a, b) < 0)
                return -1;
            continue;
        }
        party pa;
        memset(&pa, 0, sizeof pa);
        pa.line = line;
        char w[400] = "";
        int bad = 0;
        for (size_t i = 0; i < nf && !bad; i++) {
            if (col[i] < 0) continue;
            int e = partner_field_add_cell(&pa, col[i], f[i], w, sizeof w);
            if (e == -2) {
                policy_party_release(&pa);
                return -1;
            }
            if (e < 0) {
                char m[480];
                snprintf(m, sizeof m, "malformed row: %s: %s", partner_field_name(col[i]), w);
                bad = 1;
                if (s->problem(s->ctx, line, m) < 0) {
                    policy_party_release(&pa);
                    return -1;
                }
            }
        }
        if (!bad && partner_row_finish(&pa, w, sizeof w) < 0) {
            bad = 1;
            if (problem(s, line, "malformed row: %s%s", w, "") < 0) {
                policy_party_release(&pa);
                return -1;
            }
        }
        if (bad) {
            policy_party_release(&pa);
            continue;
        }
        if (s->partner(s->ctx, &pa) < 0) {
            policy_party_release(&pa);
            return -1;
        }
    }
    return 0;
}

int import_partners_csv(const char *text, size_t len, const import_sink *s)
{
    char *buf = malloc(CSV_MAX_RECORD);
    if (!buf) return -1;
    int rc = partners_csv(text, len, s, buf);
    free(buf);
    return rc;
}
