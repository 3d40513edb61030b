/*
 * cfg.c - option tables over the TOML reader (include/ssgw/cfg.h): finds the
 * section and option of every header and key the reader hands over, checks
 * and stores values, applies defaults, checks required keys, and reports
 * every mistake in one style: "FILE:LINE:COL: error: [section] key: VALUE:
 * what is allowed". The docs' key tables are generated here too.
 */
#include "ssgw/cfg.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct ssgw_cfg_load {
    const ssgw_cfg_schema *s;
    void *ctx;
    ssgw_config_diag *d;
    int sec;          /* current section, -1 none */
    bool ignore;      /* keys belong to a table already reported as bad */
    void *base;       /* where the current table's keys go */
    int header_line;  /* of the current table (0: top level) */
    int *set_line;    /* per option: line where it was set in the current table */
    int *set_col;     /* per option: column of its value */
    int *seen_single; /* per section: line of its header (single sections) */
    bool oom;
};

/* ---- suggestions ---------------------------------------------------------------------- */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40) return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t c = d[i - 1][j - 1] +
                       (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

void ssgw_cfg_suggest_try(ssgw_cfg_suggest *sg, const char *word, const char *cand)
{
    size_t d = edit_distance(word, cand);
    size_t tol = strlen(cand) / 3 + 1;
    if (tol > 3) tol = 3;
    if (d <= tol && (!sg->best || d < sg->dist)) {
        sg->best = cand;
        sg->dist = d;
    }
}

const char *ssgw_cfg_suggest_text(const ssgw_cfg_suggest *sg, char *buf, size_t cap)
{
    if (!cap) return "";
    buf[0] = '\0';
    if (sg->best) snprintf(buf, cap, " (did you mean '%s'?)", sg->best);
    return buf;
}

/* ---- the tables ----------------------------------------------------------------------- */

int ssgw_cfg_section_index(const ssgw_cfg_schema *s, const char *name)
{
    for (size_t i = 0; i < s->n_sections; i++)
        if (!strcmp(s->sections[i].name, name)) return (int)i;
    return -1;
}

const ssgw_cfg_option *ssgw_cfg_find(const ssgw_cfg_schema *s, const char *section, const char *key)
{
    for (size_t i = 0; i < s->n_options; i++)
        if (!strcmp(s->options[i].section, section) && !strcmp(s->options[i].key, key))
            return &s->options[i];
    return NULL;
}

const char *ssgw_cfg_header_text(const ssgw_cfg_section *sec, char *buf, size_t cap)
{
    if (!sec->name[0])
        snprintf(buf, cap, "%s", "");
    else
        snprintf(buf, cap, "%s%s%s", sec->array ? "[[" : "[", sec->name, sec->array ? "]]" : "]");
    return buf;
}

/* "[a], [[b]], [c]": the sections a header may name. */
static const char *section_list(const ssgw_cfg_schema *s, char *buf, size_t cap)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->n_sections && k < cap; i++) {
        char h[80];
        if (!s->sections[i].name[0]) continue;
        int w = snprintf(buf + k, cap - k, "%s%s", k ? ", " : "",
                         ssgw_cfg_header_text(&s->sections[i], h, sizeof h));
        if (w < 0) break;
        k += (size_t)w;
    }
    return buf;
}

/* "a, b, c": the keys of section sec, shortened with "..." to fit. */
static const char *key_list(const ssgw_cfg_schema *s, const char *sec, char *buf, size_t cap)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->n_options; i++) {
        if (strcmp(s->options[i].section, sec)) continue;
        size_t need = strlen(s->options[i].key) + 2;
        if (k + need + 5 > cap) {
            snprintf(buf + k, cap - k, ", ...");
            break;
        }
        k += (size_t)snprintf(buf + k, cap - k, "%s%s", k ? ", " : "", s->options[i].key);
    }
    return buf;
}

/* ---- values --------------------------------------------------------------------------- */

/* "[section] " for key errors, "" for the top level. */
static const char *key_prefix(const ssgw_cfg_option *o, char *buf, size_t cap)
{
    if (!o->section[0])
        snprintf(buf, cap, "%s", "");
    else
        snprintf(buf, cap, "[%s] ", o->section);
    return buf;
}

#define VALUE_ERROR(d, v, o, fmt, ...)                                                             \
    do {                                                                                           \
        char pfx_[80], vt_[96];                                                                    \
        ssgw_config_errorf(d, (v)->line, (v)->col, "%s%s: %s: " fmt,                               \
                           key_prefix(o, pfx_, sizeof pfx_), (o)->key,                             \
                           ssgw_toml_value_text(v, vt_, sizeof vt_), __VA_ARGS__);                 \
    } while (0)

/* Checks v against o's type; errors go to d. Returns 0 or -1. */
static int check_value(const ssgw_cfg_option *o, const ssgw_toml_value *v, ssgw_config_diag *d)
{
    const ssgw_cfg_type *t = o->type;
    char why[384], pfx[80];
    if (t->list) {
        if (v->type != SSGW_TOML_ARRAY) {
            VALUE_ERROR(d, v, o, "expected an array, e.g. [%s]",
                        t->value == SSGW_TOML_INT ? "1, 2" : "\"a\", \"b\"");
            return -1;
        }
        if ((long long)v->n < o->min || (long long)v->n > o->max) {
            ssgw_config_errorf(d, v->line, v->col, "%s%s: %zu items: must have %lld to %lld",
                               key_prefix(o, pfx, sizeof pfx), o->key, v->n, o->min, o->max);
            return -1;
        }
        int rc = 0;
        for (size_t i = 0; i < v->n; i++) {
            const ssgw_toml_value *it = &v->items[i];
            if (it->type != t->value) {
                VALUE_ERROR(d, it, o, "expected %s in the array", ssgw_toml_type_name(t->value));
                rc = -1;
            } else if (t->check && t->check(o, it, why, sizeof why) < 0) {
                VALUE_ERROR(d, it, o, "%s", why);
                rc = -1;
            }
        }
        return rc;
    }
    if (v->type == SSGW_TOML_ARRAY) {
        ssgw_config_errorf(d, v->line, v->col, "%s%s: expected %s, not an array",
                           key_prefix(o, pfx, sizeof pfx), o->key, ssgw_toml_type_name(t->value));
        return -1;
    }
    if (v->type != t->value) {
        VALUE_ERROR(d, v, o, "expected %s", ssgw_toml_type_name(t->value));
        return -1;
    }
    if (t->check && t->check(o, v, why, sizeof why) < 0) {
        VALUE_ERROR(d, v, o, "%s", why);
        return -1;
    }
    return 0;
}

/* Checks and stores v. Returns 0, -1 (reported) or -2 (out of memory). */
static int set_value(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *base,
                     ssgw_config_diag *d)
{
    if (check_value(o, v, d) < 0) return -1;
    if (o->set) {
        char why[384] = "";
        if (o->set(o, v, base, why, sizeof why) == 0) return 0;
        if (!why[0]) return -2;
        VALUE_ERROR(d, v, o, "%s", why);
        return -1;
    }
    if (!o->type->store) return -1;
    return o->type->store(o, v, (char *)base + o->offset) < 0 ? -2 : 0;
}

void ssgw_cfg_apply_defaults(const ssgw_cfg_schema *s, size_t sec, void *base)
{
    const char *name = s->sections[sec].name;
    for (size_t i = 0; i < s->n_options; i++) {
        const ssgw_cfg_option *o = &s->options[i];
        if (!o->def || strcmp(o->section, name)) continue;
        ssgw_config_diag d;
        ssgw_config_diag_init(&d, "(default)", NULL);
        ssgw_toml_value v;
        if (ssgw_toml_parse_value(o->def, &v, &d) == 0) set_value(o, &v, base, &d);
        ssgw_toml_value_free(&v);
    }
}

void ssgw_cfg_release(const ssgw_cfg_schema *s, size_t sec, void *base)
{
    const char *name = s->sections[sec].name;
    for (size_t i = 0; i < s->n_options; i++) {
        const ssgw_cfg_option *o = &s->options[i];
        if (!strcmp(o->section, name) && !o->set && o->type->release)
            o->type->release((char *)base + o->offset);
    }
}

/* ---- reading ---------------------------------------------------------------------------- */

static void out_of_memory(ssgw_cfg_load *ld)
{
    if (!ld->oom) ssgw_config_errorf(ld->d, 0, 0, "out of memory");
    ld->oom = true;
}

/* Opens the struct for a table of section sec (line 0: before reading). */
static void *open_table(ssgw_cfg_load *ld, size_t sec, int line)
{
    const ssgw_cfg_schema *s = ld->s;
    void *base = s->table ? s->table(ld->ctx, sec, line, ld) : NULL;
    if (base && (line == 0 || s->sections[sec].array)) ssgw_cfg_apply_defaults(s, sec, base);
    return base;
}

/* The end of the current table: required keys, then the schema's own rules. */
static void close_table(ssgw_cfg_load *ld)
{
    const ssgw_cfg_schema *s = ld->s;
    if (ld->sec < 0 || !ld->base) return;
    const ssgw_cfg_section *sec = &s->sections[ld->sec];
    char h[80];
    ssgw_cfg_header_text(sec, h, sizeof h);
    for (size_t i = 0; i < s->n_options; i++) {
        const ssgw_cfg_option *o = &s->options[i];
        if (!(o->flags & SSGW_CFG_REQUIRED) || strcmp(o->section, sec->name) || ld->set_line[i])
            continue;
        ssgw_config_errorf(ld->d, ld->header_line, ld->header_line ? 1 : 0,
                           "%s%s the required key '%s' (%s)", h, h[0] ? " is missing" : "missing",
                           o->key, o->help);
    }
    if (s->end) s->end(ld->ctx, (size_t)ld->sec, ld->base, ld);
}

static void start_table(ssgw_cfg_load *ld, int sec, void *base, int line)
{
    ld->sec = sec;
    ld->base = base;
    ld->ignore = !base;
    ld->header_line = line;
    memset(ld->set_line, 0, ld->s->n_options * sizeof *ld->set_line);
    memset(ld->set_col, 0, ld->s->n_options * sizeof *ld->set_col);
}

static void on_table(void *ctx, const char *name, bool array, int line, int col)
{
    ssgw_cfg_load *ld = ctx;
    const ssgw_cfg_schema *s = ld->s;
    close_table(ld);
    start_table(ld, -1, NULL, line);
    if (!name) return; /* a bad header, reported: its keys are ignored */
    int sec = -1;
    ssgw_cfg_suggest sg = {NULL, 0};
    for (size_t i = 0; i < s->n_sections; i++) {
        if (!s->sections[i].name[0]) continue;
        if (!strcmp(s->sections[i].name, name)) {
            sec = (int)i;
            break;
        }
        ssgw_cfg_suggest_try(&sg, name, s->sections[i].name);
    }
    if (sec < 0) {
        char list[320], dym[96];
        section_list(s, list, sizeof list);
        ssgw_config_errorf(ld->d, line, col, "unknown section %s%s%s: %s%s%s", array ? "[[" : "[",
                           name, array ? "]]" : "]",
                           list[0] ? "allowed are " : "this file has no sections (keys only)", list,
                           ssgw_cfg_suggest_text(&sg, dym, sizeof dym));
        return;
    }
    const ssgw_cfg_section *sc = &s->sections[sec];
    if (sc->array != array) {
        char h[80];
        ssgw_config_errorf(ld->d, line, col, "%s is %s: write %s", name,
                           sc->array ? "a list of tables" : "a single table",
                           ssgw_cfg_header_text(sc, h, sizeof h));
        return;
    }
    if (!array) {
        if (ld->seen_single[sec]) {
            ssgw_config_errorf(ld->d, line, col, "duplicate section [%s] (first at line %d)", name,
                               ld->seen_single[sec]);
            return;
        }
        ld->seen_single[sec] = line;
    }
    start_table(ld, sec, open_table(ld, (size_t)sec, line), line);
}

static void on_pair(void *ctx, const char *key, int line, int col, const ssgw_toml_value *v)
{
    ssgw_cfg_load *ld = ctx;
    const ssgw_cfg_schema *s = ld->s;
    if (ld->sec < 0 || !ld->base) {
        if (!ld->ignore && ld->header_line == 0) {
            char list[320];
            ssgw_config_errorf(ld->d, line, col,
                               "key '%s' outside any section: put it under one of %s", key,
                               section_list(s, list, sizeof list));
        }
        return; /* inside a table already reported */
    }
    const char *sname = s->sections[ld->sec].name;
    const ssgw_cfg_option *o = NULL;
    size_t idx = 0;
    ssgw_cfg_suggest sg = {NULL, 0};
    for (size_t i = 0; i < s->n_options; i++) {
        if (strcmp(s->options[i].section, sname)) continue;
        if (!strcmp(s->options[i].key, key)) {
            o = &s->options[i];
            idx = i;
            break;
        }
        ssgw_cfg_suggest_try(&sg, key, s->options[i].key);
    }
    char pfx[80];
    snprintf(pfx, sizeof pfx, "%s%s%s", sname[0] ? "[" : "", sname, sname[0] ? "] " : "");
    if (!o) {
        char more[400];
        if (sg.best)
            ssgw_cfg_suggest_text(&sg, more, sizeof more);
        else {
            char keys[360];
            snprintf(more, sizeof more, ": allowed are %s", key_list(s, sname, keys, sizeof keys));
        }
        ssgw_config_errorf(ld->d, line, col, "%sunknown key '%s'%s", pfx, key, more);
        return;
    }
    if (ld->set_line[idx]) {
        ssgw_config_errorf(ld->d, line, col, "%skey '%s' is set twice (first at line %d)", pfx, key,
                           ld->set_line[idx]);
        return;
    }
    ld->set_line[idx] = line;
    ld->set_col[idx] = v->col;
    if (set_value(o, v, ld->base, ld->d) == -2) out_of_memory(ld);
}

int ssgw_cfg_read(const ssgw_cfg_schema *s, void *ctx, const char *text, size_t len,
                  ssgw_config_diag *d)
{
    ssgw_cfg_load ld = {.s = s, .ctx = ctx, .d = d, .sec = -1};
    ld.set_line = calloc(s->n_options + 1, sizeof *ld.set_line);
    ld.set_col = calloc(s->n_options + 1, sizeof *ld.set_col);
    ld.seen_single = calloc(s->n_sections + 1, sizeof *ld.seen_single);
    int rc = 0;
    if (!ld.set_line || !ld.set_col || !ld.seen_single) {
        out_of_memory(&ld);
        rc = -1;
        goto done;
    }
    int top = ssgw_cfg_section_index(s, "");
    for (size_t i = 0; i < s->n_sections; i++)
        if (!s->sections[i].array && (int)i != top) open_table(&ld, i, 0);
    if (top >= 0) start_table(&ld, top, open_table(&ld, (size_t)top, 0), 0);
    ssgw_toml_handler h = {on_table, on_pair};
    if (ssgw_toml_read(text, len, s->toml_flags, &h, &ld, d) < 0) rc = -1;
    close_table(&ld);
    if (ld.oom) rc = -1;
done:
    free(ld.set_line);
    free(ld.set_col);
    free(ld.seen_single);
    return rc;
}

ssgw_config_diag *ssgw_cfg_load_diag(ssgw_cfg_load *ld)
{
    return ld->d;
}

int ssgw_cfg_load_table_line(const ssgw_cfg_load *ld)
{
    return ld->header_line;
}

int ssgw_cfg_load_key_line(const ssgw_cfg_load *ld, const char *key, int *col)
{
    if (col) *col = 0;
    if (ld->sec < 0) return 0;
    const ssgw_cfg_option *o = ssgw_cfg_find(ld->s, ld->s->sections[ld->sec].name, key);
    if (!o) return 0;
    size_t i = (size_t)(o - ld->s->options);
    if (col) *col = ld->set_col[i];
    return ld->set_line[i];
}

/* ---- checking a schema ------------------------------------------------------------------ */

int ssgw_cfg_schema_check(const ssgw_cfg_schema *s, char *err, size_t errlen)
{
    for (size_t i = 0; i < s->n_options; i++) {
        const ssgw_cfg_option *o = &s->options[i];
        char at[128];
        snprintf(at, sizeof at, "%s: %s%s%s%s", s->name, o->section[0] ? "[" : "", o->section,
                 o->section[0] ? "] " : "", o->key);
        if (ssgw_cfg_section_index(s, o->section) < 0) {
            snprintf(err, errlen, "%s: option '%s' names the unknown section '%s'", s->name, o->key,
                     o->section);
            return -1;
        }
        if (ssgw_cfg_find(s, o->section, o->key) != o) {
            snprintf(err, errlen, "%s is declared twice", at);
            return -1;
        }
        if (!o->help || !o->help[0] || !o->type || (!o->type->store && !o->set)) {
            snprintf(err, errlen, "%s lacks help, a type or a way to store", at);
            return -1;
        }
        if (o->type == &ssgw_cfg_string_buf && (o->max < 0 || (size_t)o->max >= o->size)) {
            snprintf(err, errlen, "%s: max length %lld does not fit %zu bytes", at, o->max,
                     o->size);
            return -1;
        }
        if ((o->type == &ssgw_cfg_enum || o->type == &ssgw_cfg_enum_string) && !o->allowed) {
            snprintf(err, errlen, "%s: an enum without allowed values", at);
            return -1;
        }
        if (o->def) {
            ssgw_config_errors errs;
            ssgw_config_diag d;
            ssgw_config_diag_init(&d, "(default)", &errs);
            ssgw_toml_value v;
            if (ssgw_toml_parse_value(o->def, &v, &d) == 0) check_value(o, &v, &d);
            ssgw_toml_value_free(&v);
            if (d.count) {
                const char *why = errs.n ? strstr(errs.e[0].text, "error: ") : NULL;
                snprintf(err, errlen, "%s: default %s: %s", at, o->def, why ? why + 7 : "?");
                return -1;
            }
        }
    }
    return 0;
}

/* ---- documentation ---------------------------------------------------------------------- */

const char *ssgw_cfg_allowed_text(const ssgw_cfg_option *o, char *buf, size_t cap)
{
    const ssgw_cfg_type *t = o->type;
    buf[0] = '\0';
    if (o->allowed) {
        size_t k = 0;
        for (const char *p = o->allowed; *p && k + 3 < cap; p++) {
            if (*p == '|') {
                buf[k++] = ',';
                buf[k++] = ' ';
            } else {
                buf[k++] = *p;
            }
        }
        buf[k] = '\0';
    } else if (t->list) {
        snprintf(buf, cap, "%lld-%lld items%s%s", o->min, o->max, t->allowed ? ", each " : "",
                 t->allowed ? t->allowed : "");
    } else if (t->allowed) {
        snprintf(buf, cap, "%s", t->allowed);
    } else if (t->value == SSGW_TOML_INT) {
        snprintf(buf, cap, "%lld .. %lld", o->min, o->max);
    } else if (t->value == SSGW_TOML_STRING) {
        snprintf(buf, cap, "%lld-%lld characters", o->min, o->max);
    }
    return buf;
}

/* A table cell: '|' escaped, newlines as spaces. */
static void cell(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else
            fputc(*s == '\n' ? ' ' : *s, out);
    }
}

void ssgw_cfg_markdown(const ssgw_cfg_schema *s, FILE *out)
{
    for (size_t k = 0; k < s->n_sections; k++) {
        const ssgw_cfg_section *sec = &s->sections[k];
        char h[80];
        if (k) fputc('\n', out);
        if (sec->name[0]) fprintf(out, "### %s\n\n", ssgw_cfg_header_text(sec, h, sizeof h));
        if (sec->help && sec->help[0]) {
            cell(out, sec->help);
            fputs(".\n\n", out);
        }
        fputs("| key | type | default | allowed | meaning |\n|---|---|---|---|---|\n", out);
        for (size_t i = 0; i < s->n_options; i++) {
            const ssgw_cfg_option *o = &s->options[i];
            if (strcmp(o->section, sec->name)) continue;
            char allowed[256];
            fprintf(out, "| `%s` | ", o->key);
            cell(out, o->type->name);
            fputs(" | ", out);
            cell(out, o->flags & SSGW_CFG_REQUIRED ? "required" : o->def ? o->def : "(none)");
            fputs(" | ", out);
            cell(out, ssgw_cfg_allowed_text(o, allowed, sizeof allowed));
            fputs(" | ", out);
            cell(out, o->help);
            fputs(" |\n", out);
        }
    }
}
