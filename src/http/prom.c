/*
 * prom.c - the Prometheus text format writer (include/ssgw/prom.h).
 */
#include "ssgw/prom.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ssgw_prom_init(ssgw_prom *p)
{
    memset(p, 0, sizeof *p);
}

void ssgw_prom_free(ssgw_prom *p)
{
    free(p->buf);
    memset(p, 0, sizeof *p);
}

static void put(ssgw_prom *p, const char *s, size_t n)
{
    if (p->failed) return;
    if (p->len + n + 1 > p->cap) {
        size_t cap = p->cap ? p->cap : 16384;
        while (p->len + n + 1 > cap)
            cap *= 2;
        char *b = realloc(p->buf, cap);
        if (!b) {
            p->failed = true;
            return;
        }
        p->buf = b;
        p->cap = cap;
    }
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    p->buf[p->len] = '\0';
}

static void puts_(ssgw_prom *p, const char *s)
{
    put(p, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void putf(ssgw_prom *p, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) put(p, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void ssgw_prom_family(ssgw_prom *p, const char *name, const char *type, const char *help)
{
    puts_(p, "# HELP ");
    puts_(p, name);
    put(p, " ", 1);
    for (const char *c = help; *c; c++) /* HELP escapes backslash and newline */
        if (*c == '\\')
            put(p, "\\\\", 2);
        else if (*c == '\n')
            put(p, "\\n", 2);
        else
            put(p, c, 1);
    puts_(p, "\n# TYPE ");
    puts_(p, name);
    put(p, " ", 1);
    puts_(p, type);
    put(p, "\n", 1);
}

static void label_value(ssgw_prom *p, const char *v)
{
    for (const char *c = v; *c; c++)
        if (*c == '\\')
            put(p, "\\\\", 2);
        else if (*c == '"')
            put(p, "\\\"", 2);
        else if (*c == '\n')
            put(p, "\\n", 2);
        else
            put(p, c, 1);
}

/* name{k="v",...,extra_k="extra_v"} */
static void series(ssgw_prom *p, const char *name, const char *suffix, const char *const *labels,
                   const char *extra_k, const char *extra_v)
{
    puts_(p, name);
    if (suffix) puts_(p, suffix);
    bool any = (labels && labels[0]) || extra_k;
    if (!any) return;
    put(p, "{", 1);
    bool first = true;
    for (size_t i = 0; labels && labels[i] && labels[i + 1]; i += 2) {
        if (!first) put(p, ",", 1);
        first = false;
        puts_(p, labels[i]);
        put(p, "=\"", 2);
        label_value(p, labels[i + 1]);
        put(p, "\"", 1);
    }
    if (extra_k) {
        if (!first) put(p, ",", 1);
        puts_(p, extra_k);
        put(p, "=\"", 2);
        label_value(p, extra_v);
        put(p, "\"", 1);
    }
    put(p, "}", 1);
}

static void value(ssgw_prom *p, double v)
{
    if (isnan(v))
        puts_(p, " NaN\n");
    else if (isinf(v))
        puts_(p, v > 0 ? " +Inf\n" : " -Inf\n");
    else if (fabs(v) < 9e15 && v == (double)(int64_t)v)
        putf(p, " %" PRId64 "\n", (int64_t)v);
    else
        putf(p, " %.9g\n", v);
}

void ssgw_prom_sample(ssgw_prom *p, const char *name, const char *const *labels, double v)
{
    series(p, name, NULL, labels, NULL, NULL);
    value(p, v);
}

void ssgw_prom_sample_u64(ssgw_prom *p, const char *name, const char *const *labels, uint64_t v)
{
    series(p, name, NULL, labels, NULL, NULL);
    putf(p, " %" PRIu64 "\n", v);
}

void ssgw_prom_histogram(ssgw_prom *p, const char *name, const char *const *labels,
                         const double *bounds, const uint64_t *counts, size_t n, double sum)
{
    uint64_t cum = 0;
    char le[40];
    for (size_t i = 0; i <= n; i++) {
        cum += counts[i];
        if (i < n)
            snprintf(le, sizeof le, "%.9g", bounds[i]);
        else
            snprintf(le, sizeof le, "+Inf");
        series(p, name, "_bucket", labels, "le", le);
        putf(p, " %" PRIu64 "\n", cum);
    }
    series(p, name, "_sum", labels, NULL, NULL);
    value(p, sum);
    series(p, name, "_count", labels, NULL, NULL);
    putf(p, " %" PRIu64 "\n", cum);
}
