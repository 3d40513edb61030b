/*
 * toml.c - the strict TOML subset every configuration file is written in
 * (grammar in include/ssgw/toml.h), and the error list the loaders share.
 *
 * A hand-written lexer over (text, len): every value carries the line and
 * column where it starts, every error names FILE:LINE:COLUMN. After a syntax
 * error the rest of the line is skipped and reading goes on, so a file with
 * several mistakes shows them all. The reader has no idea what the keys
 * mean: src/util/cfg.c (the option tables) does.
 */
#include "ssgw/toml.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors -------------------------------------------------------------------------- */

void ssgw_config_diag_init(ssgw_config_diag *d, const char *file, ssgw_config_errors *errs)
{
    d->file = file ? file : "(config)";
    d->errs = errs;
    d->count = 0;
    if (errs) {
        errs->n = 0;
        errs->n_dropped = 0;
    }
}

void ssgw_config_errorf(ssgw_config_diag *d, int line, int col, const char *fmt, ...)
{
    d->count++;
    if (!d->errs) return;
    if (d->errs->n >= SSGW_CONFIG_MAX_ERRORS) {
        d->errs->n_dropped++;
        return;
    }
    ssgw_config_error *e = &d->errs->e[d->errs->n++];
    e->line = line;
    e->col = col;
    int k;
    if (line > 0)
        k = snprintf(e->text, sizeof e->text, "%s:%d:%d: error: ", d->file, line, col);
    else
        k = snprintf(e->text, sizeof e->text, "%s: error: ", d->file);
    if (k < 0 || (size_t)k >= sizeof e->text) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text + k, sizeof e->text - (size_t)k, fmt, ap);
    va_end(ap);
}

size_t ssgw_config_errors_join(const ssgw_config_errors *errs, const char *file, char *out,
                               size_t cap)
{
    if (!cap) return 0;
    out[0] = '\0';
    size_t k = 0, shown = 0;
    const size_t note = 80; /* room kept for the "more errors" line */
    for (size_t i = 0; i < errs->n; i++) {
        size_t need = strlen(errs->e[i].text) + (i ? 1 : 0);
        bool last = i + 1 == errs->n && !errs->n_dropped;
        if (k + need + (last ? 0 : note) >= cap && i) break;
        int w = snprintf(out + k, cap - k, "%s%s", i ? "\n" : "", errs->e[i].text);
        if (w < 0) break;
        k += (size_t)w < cap - k ? (size_t)w : cap - k - 1;
        shown++;
    }
    size_t hidden = errs->n - shown + errs->n_dropped;
    if (hidden && k + 1 < cap) {
        int w = snprintf(out + k, cap - k, "\n%s: %zu more errors not shown", file, hidden);
        if (w > 0) k += (size_t)w < cap - k ? (size_t)w : cap - k - 1;
    }
    return k;
}

int ssgw_config_read_file(const char *path, size_t max, char **text, size_t *len,
                          ssgw_config_diag *d)
{
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ssgw_config_errorf(d, 0, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                ssgw_config_errorf(d, 0, 0, "larger than %zu bytes", max);
                rc = -1;
                break;
            }
            size_t nc = cap ? cap * 2 : 4096;
            char *nb = realloc(buf, nc + 1);
            if (!nb) {
                ssgw_config_errorf(d, 0, 0, "out of memory");
                rc = -1;
                break;
            }
            buf = nb;
            cap = nc;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (rc == 0 && ferror(f)) {
        ssgw_config_errorf(d, 0, 0, "read error");
        rc = -1;
    }
    if (rc == 0 && n > max) {
        ssgw_config_errorf(d, 0, 0, "larger than %zu bytes", max);
        rc = -1;
    }
    fclose(f);
    if (rc < 0) {
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return 0;
}

/* ---- values ------------------------------------------------------------------------- */

const char *ssgw_toml_type_name(ssgw_toml_type t)
{
    return t == SSGW_TOML_STRING ? "a string"
           : t == SSGW_TOML_INT  ? "an integer"
           : t == SSGW_TOML_BOOL ? "a boolean"
                                 : "an array";
}

const char *ssgw_toml_value_text(const ssgw_toml_value *v, char *buf, size_t cap)
{
    if (cap < 8) {
        if (cap) buf[0] = '\0';
        return buf;
    }
    switch (v->type) {
    case SSGW_TOML_STRING: {
        size_t k = 0;
        buf[k++] = '"';
        for (const char *p = v->s ? v->s : ""; *p && k + 5 < cap; p++)
            buf[k++] = isprint((unsigned char)*p) ? *p : '?';
        buf[k++] = '"';
        buf[k] = '\0';
        break;
    }
    case SSGW_TOML_INT:
        snprintf(buf, cap, "%lld", v->i);
        break;
    case SSGW_TOML_BOOL:
        snprintf(buf, cap, "%s", v->b ? "true" : "false");
        break;
    default:
        snprintf(buf, cap, "[...]");
        break;
    }
    return buf;
}

void ssgw_toml_value_free(ssgw_toml_value *v)
{
    free(v->s);
    for (size_t i = 0; i < v->n; i++)
        ssgw_toml_value_free(&v->items[i]);
    free(v->items);
    memset(v, 0, sizeof *v);
}

int ssgw_toml_quote(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    if (cap < 3) goto fail;
    out[k++] = '"';
    for (; *s; s++) {
        char esc = *s == '"' ? '"' : *s == '\\' ? '\\' : *s == '\n' ? 'n' : *s == '\t' ? 't' : 0;
        if (!esc && (unsigned char)*s < 0x20) goto fail; /* not representable */
        if (k + (esc ? 2 : 1) + 2 > cap) goto fail;
        if (esc) {
            out[k++] = '\\';
            out[k++] = esc;
        } else {
            out[k++] = *s;
        }
    }
    out[k++] = '"';
    out[k] = '\0';
    return (int)k;
fail:
    if (cap) out[0] = '\0';
    return -1;
}

/* ---- the lexer ---------------------------------------------------------------------- */

#define MAX_NAME 64 /* keys and section names: at most 63 characters */

typedef struct {
    const char *s;
    size_t len, pos, line_start;
    int line;
    unsigned flags;
    ssgw_config_diag *d;
    bool oom;
} lexer;

static int col(const lexer *l)
{
    return (int)(l->pos - l->line_start) + 1;
}

static int peek(const lexer *l)
{
    return l->pos < l->len ? (unsigned char)l->s[l->pos] : -1;
}

static int peek_at(const lexer *l, size_t ahead)
{
    return l->pos + ahead < l->len ? (unsigned char)l->s[l->pos + ahead] : -1;
}

static bool at_crlf(const lexer *l)
{
    return peek(l) == '\r' && peek_at(l, 1) == '\n';
}

static void skip_ws(lexer *l)
{
    while (peek(l) == ' ' || peek(l) == '\t')
        l->pos++;
}

/* At '\n'. */
static void newline(lexer *l)
{
    l->pos++;
    l->line++;
    l->line_start = l->pos;
}

static void skip_line(lexer *l)
{
    while (l->pos < l->len && l->s[l->pos] != '\n')
        l->pos++;
}

/* Whitespace, comments and newlines (inside arrays). */
static void skip_ws_nl(lexer *l)
{
    for (;;) {
        skip_ws(l);
        int c = peek(l);
        if (c == '#')
            skip_line(l);
        else if (at_crlf(l))
            l->pos++;
        else if (c == '\n')
            newline(l);
        else
            return;
    }
}

/* After a header or a pair only blanks and a comment may follow on the line. */
static void end_of_line(lexer *l)
{
    skip_ws(l);
    int c = peek(l);
    if (c == '#') {
        skip_line(l);
        return;
    }
    if (c == '\n' || c == -1 || at_crlf(l)) return;
    ssgw_config_errorf(l->d, l->line, col(l),
                       "unexpected '%c' after the value (one key = value per line)",
                       isprint(c) ? c : '?');
    skip_line(l);
}

static bool is_bare(int c)
{
    return c >= 0 && (isalnum(c) || c == '_' || c == '-');
}

/* Reads a bare key or name into out (cap bytes); returns its full length (which may
 * not have fitted). */
static size_t bare_word(lexer *l, char *out, size_t cap)
{
    size_t n = 0;
    while (is_bare(peek(l))) {
        if (n + 1 < cap) out[n] = l->s[l->pos];
        n++;
        l->pos++;
    }
    out[n + 1 < cap ? n : cap - 1] = '\0';
    return n;
}

static void *oom(lexer *l)
{
    if (!l->oom) ssgw_config_errorf(l->d, 0, 0, "out of memory");
    l->oom = true;
    return NULL;
}

/* ---- values ------------------------------------------------------------------------- */

static int parse_value(lexer *l, ssgw_toml_value *v, int depth);

static const char BAD_VALUE[] =
    "bad value: expected a string in double quotes, an integer, true, false or an array";

static int parse_string(lexer *l, ssgw_toml_value *v)
{
    size_t start = ++l->pos;
    char *out = malloc(l->len - start + 1);
    size_t n = 0;
    if (!out) return oom(l), -1;
    for (;;) {
        int c = peek(l);
        if (c == -1 || c == '\n' || c == '\r') {
            ssgw_config_errorf(l->d, v->line, v->col,
                               "unterminated string (strings end with '\"' on the same line)");
            free(out);
            return -1;
        }
        l->pos++;
        if (c == '"') break;
        if (c == '\\') {
            int e = peek(l);
            static const char from[] = "\"\\nt", to[] = "\"\\\n\t";
            const char *k = e > 0 ? strchr(from, e) : NULL;
            if (!k) {
                ssgw_config_errorf(l->d, l->line, col(l) - 1,
                                   "unknown escape '\\%c' in string (allowed: \\\" \\\\ \\n \\t)",
                                   e >= 0 && isprint(e) ? e : '?');
                free(out);
                return -1;
            }
            l->pos++;
            out[n++] = to[k - from];
            continue;
        }
        if (c < 0x20 && c != '\t') {
            ssgw_config_errorf(l->d, l->line, col(l) - 1, "control character in string");
            free(out);
            return -1;
        }
        out[n++] = (char)c;
    }
    out[n] = '\0';
    v->type = SSGW_TOML_STRING;
    v->s = out;
    return 0;
}

/* Digits of one base with "_" allowed only between two digits. Returns the count of
 * digits copied into buf, or -1 for a misplaced "_". */
static int digit_run(lexer *l, bool hex, char *buf, size_t cap, size_t *n)
{
    int count = 0;
    bool last_digit = false;
    for (;;) {
        int c = peek(l);
        bool dig = hex ? isxdigit(c) != 0 : (c >= '0' && c <= '9');
        if (dig) {
            if (*n + 1 < cap) buf[(*n)++] = (char)c;
            count++;
            last_digit = true;
        } else if (c == '_') {
            if (!last_digit) return -1;
            last_digit = false;
        } else {
            break;
        }
        l->pos++;
    }
    return last_digit || count == 0 ? count : -1;
}

static int parse_number(lexer *l, ssgw_toml_value *v)
{
    char buf[72];
    size_t n = 0;
    bool hex = false;
    int sign = peek(l);
    if (sign == '-' || sign == '+') buf[n++] = (char)l->s[l->pos++];
    if (peek(l) == '0' && peek_at(l, 1) == 'x') {
        if (n) {
            ssgw_config_errorf(l->d, v->line, v->col,
                               "bad value: a hexadecimal integer has no sign");
            return -1;
        }
        l->pos += 2;
        hex = true;
    }
    bool leading_zero = !hex && peek(l) == '0' && peek_at(l, 1) >= '0' && peek_at(l, 1) <= '9';
    int digits = digit_run(l, hex, buf, sizeof buf, &n);
    buf[n] = '\0';
    if (digits <= 0 || is_bare(peek(l)) || peek(l) == '.') {
        ssgw_config_errorf(l->d, v->line, v->col, "%s", BAD_VALUE);
        return -1;
    }
    if (leading_zero) {
        ssgw_config_errorf(l->d, v->line, v->col,
                           "bad value: an integer has no leading zeros (write %lld; hexadecimal "
                           "is written 0x...)",
                           strtoll(buf, NULL, 10));
        return -1;
    }
    errno = 0;
    long long x = strtoll(buf, NULL, hex ? 16 : 10);
    if (errno == ERANGE || (size_t)digits >= sizeof buf - 2) {
        ssgw_config_errorf(l->d, v->line, v->col, "integer '%s%s' is out of range", hex ? "0x" : "",
                           buf);
        return -1;
    }
    v->type = SSGW_TOML_INT;
    v->i = x;
    return 0;
}

static int parse_array(lexer *l, ssgw_toml_value *v, int depth)
{
    l->pos++;
    v->type = SSGW_TOML_ARRAY;
    size_t cap = 0;
    for (;;) {
        skip_ws_nl(l);
        if (peek(l) == ']') {
            l->pos++;
            return 0;
        }
        if (peek(l) == -1) {
            ssgw_config_errorf(l->d, v->line, v->col, "unterminated array (missing ']')");
            return -1;
        }
        if (v->n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            ssgw_toml_value *ni = realloc(v->items, nc * sizeof *ni);
            if (!ni) return oom(l), -1;
            v->items = ni;
            cap = nc;
        }
        ssgw_toml_value *it = &v->items[v->n];
        memset(it, 0, sizeof *it);
        if (parse_value(l, it, depth + 1) < 0) {
            ssgw_toml_value_free(it);
            return -1;
        }
        v->n++;
        if (v->n > 1 && it->type != v->items[0].type) {
            ssgw_config_errorf(l->d, it->line, it->col,
                               "array items must all be of one type: this is %s, the first is %s",
                               ssgw_toml_type_name(it->type),
                               ssgw_toml_type_name(v->items[0].type));
            return -1;
        }
        skip_ws_nl(l);
        int c = peek(l);
        if (c == ',') {
            l->pos++;
            continue;
        }
        if (c == ']') {
            l->pos++;
            return 0;
        }
        if (c == -1) {
            ssgw_config_errorf(l->d, v->line, v->col, "unterminated array (missing ']')");
            return -1;
        }
        ssgw_config_errorf(l->d, l->line, col(l), "expected ',' or ']' in array");
        return -1;
    }
}

/* A legacy unquoted value: the rest of the line up to " #", trailing blanks removed. */
static int parse_bare_string(lexer *l, ssgw_toml_value *v)
{
    size_t start = l->pos, end = start;
    while (end < l->len && l->s[end] != '\n' &&
           !(l->s[end] == '#' && end > start && (l->s[end - 1] == ' ' || l->s[end - 1] == '\t')))
        end++;
    size_t stop = end;
    while (stop > start && isspace((unsigned char)l->s[stop - 1]))
        stop--;
    char *s = malloc(stop - start + 1);
    if (!s) return oom(l), -1;
    memcpy(s, l->s + start, stop - start);
    s[stop - start] = '\0';
    l->pos = stop;
    for (size_t i = 0; s[i]; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\t') {
            ssgw_config_errorf(l->d, l->line, v->col + (int)i, "control character in value");
            free(s);
            return -1;
        }
    v->type = SSGW_TOML_STRING;
    v->s = s;
    return 0;
}

/* True when the rest of the value (up to the end of the line or a comment) is a plain
 * integer or boolean, which a legacy file writes unquoted too. */
static bool bare_is_typed(const lexer *l)
{
    size_t p = l->pos;
    if (p < l->len && (l->s[p] == '-' || l->s[p] == '+')) p++;
    size_t w = p;
    while (p < l->len && (isalnum((unsigned char)l->s[p]) || l->s[p] == '_'))
        p++;
    const char *t = l->s + w;
    size_t n = p - w;
    bool typed = (n == 4 && !memcmp(t, "true", 4)) || (n == 5 && !memcmp(t, "false", 5));
    if (!typed && n > 0) {
        bool hex = n > 2 && t[0] == '0' && t[1] == 'x';
        typed = true;
        for (size_t i = hex ? 2 : 0; i < n; i++)
            typed = typed && (t[i] == '_' ||
                              (hex ? isxdigit((unsigned char)t[i]) : isdigit((unsigned char)t[i])));
    }
    while (p < l->len && (l->s[p] == ' ' || l->s[p] == '\t'))
        p++;
    return typed && (p >= l->len || l->s[p] == '\n' || l->s[p] == '#' || l->s[p] == '\r');
}

static int parse_value(lexer *l, ssgw_toml_value *v, int depth)
{
    v->line = l->line;
    v->col = col(l);
    int c = peek(l);
    if (depth > 0 && c == '[') {
        ssgw_config_errorf(l->d, v->line, v->col, "nested arrays are not allowed");
        return -1;
    }
    if (c == '"') return parse_string(l, v);
    if (c == '[') return parse_array(l, v, depth);
    if (c == -1 || c == '\n' || c == '#' || c == '\r') {
        ssgw_config_errorf(l->d, v->line, v->col, "missing value after '='");
        return -1;
    }
    if (depth == 0 && (l->flags & SSGW_TOML_BARE_STRINGS) && !bare_is_typed(l))
        return parse_bare_string(l, v);
    if (c == '-' || c == '+' || (c >= '0' && c <= '9')) return parse_number(l, v);
    if (isalpha(c)) {
        char w[MAX_NAME];
        bare_word(l, w, sizeof w);
        if (!strcmp(w, "true") || !strcmp(w, "false")) {
            if (is_bare(peek(l)) || peek(l) == '.') {
                ssgw_config_errorf(l->d, v->line, v->col, "%s", BAD_VALUE);
                return -1;
            }
            v->type = SSGW_TOML_BOOL;
            v->b = w[0] == 't';
            return 0;
        }
        ssgw_config_errorf(l->d, v->line, v->col,
                           "bad value '%s': strings need double quotes (\"%s\")", w, w);
        return -1;
    }
    ssgw_config_errorf(l->d, v->line, v->col, "%s", BAD_VALUE);
    return -1;
}

int ssgw_toml_parse_value(const char *text, ssgw_toml_value *v, ssgw_config_diag *d)
{
    lexer l = {.s = text, .len = strlen(text), .line = 1, .d = d};
    memset(v, 0, sizeof *v);
    if (parse_value(&l, v, 0) < 0) {
        ssgw_toml_value_free(v);
        return -1;
    }
    skip_ws(&l);
    if (l.pos != l.len) {
        ssgw_config_errorf(d, 1, col(&l), "unexpected text after the value");
        ssgw_toml_value_free(v);
        return -1;
    }
    return 0;
}

/* ---- lines -------------------------------------------------------------------------- */

static void read_header(lexer *l, const ssgw_toml_handler *h, void *ctx)
{
    int line = l->line, c0 = col(l);
    bool array = peek_at(l, 1) == '[';
    l->pos += array ? 2 : 1;
    skip_ws(l);
    char name[MAX_NAME];
    size_t nn = bare_word(l, name, sizeof name);
    skip_ws(l);
    bool ok = nn > 0 && nn < sizeof name && peek(l) == ']';
    if (ok) {
        l->pos++;
        if (array) {
            ok = peek(l) == ']';
            if (ok) l->pos++;
        }
    }
    if (!ok) {
        ssgw_config_errorf(l->d, line, c0,
                           "bad section header: expected %s followed by a name and %s",
                           array ? "[[" : "[", array ? "]]" : "]");
        skip_line(l);
        if (h->table) h->table(ctx, NULL, array, line, c0);
        return;
    }
    if (h->table) h->table(ctx, name, array, line, c0);
    end_of_line(l);
}

static void read_pair(lexer *l, const ssgw_toml_handler *h, void *ctx)
{
    int line = l->line, c0 = col(l);
    char key[MAX_NAME];
    size_t kn = bare_word(l, key, sizeof key);
    if (kn == 0) {
        int c = peek(l);
        ssgw_config_errorf(l->d, line, c0,
                           "expected a key, a [section] header or a comment, found '%c'",
                           isprint(c) ? c : '?');
        skip_line(l);
        return;
    }
    if (kn >= sizeof key) {
        ssgw_config_errorf(l->d, line, c0, "key is too long (at most %d characters)", MAX_NAME - 1);
        skip_line(l);
        return;
    }
    skip_ws(l);
    if (peek(l) != '=') {
        ssgw_config_errorf(l->d, l->line, col(l), "expected '=' after key '%s'", key);
        skip_line(l);
        return;
    }
    l->pos++;
    skip_ws(l);
    ssgw_toml_value v;
    memset(&v, 0, sizeof v);
    if (parse_value(l, &v, 0) < 0) {
        ssgw_toml_value_free(&v);
        skip_line(l);
        return;
    }
    end_of_line(l);
    if (h->pair) h->pair(ctx, key, line, c0, &v);
    ssgw_toml_value_free(&v);
}

int ssgw_toml_read(const char *text, size_t len, unsigned flags, const ssgw_toml_handler *h,
                   void *ctx, ssgw_config_diag *d)
{
    lexer l = {.s = text, .len = len, .line = 1, .flags = flags, .d = d};
    if (memchr(text, '\0', len))
        ssgw_config_errorf(d, 0, 0, "the file contains a NUL byte (not a text file)");
    while (l.pos < l.len && !l.oom) {
        skip_ws(&l);
        int c = peek(&l);
        if (c == -1) break;
        if (c == '\n')
            newline(&l);
        else if (at_crlf(&l))
            l.pos++;
        else if (c == '#')
            skip_line(&l);
        else if (c == '[')
            read_header(&l, h, ctx);
        else
            read_pair(&l, h, ctx);
    }
    return l.oom ? -1 : 0;
}
