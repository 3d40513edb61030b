/*
 * partner_json.c - the partner-data JSON of docs/partner-data.md: an object whose
 * "partners" array (or a bare array) holds one object per partner, its keys the CSV
 * columns (partner_row.c), each value a string or an array of strings (point codes may
 * be numbers). Parsed by Debian's libjansson; a short scan of the same text finds the
 * line each partner starts on, so that a bad one is named by file:line like a CSV row.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/import_int.h"

#define MAX_PARTNERS 1000000

/* The line on which each element of the partners array starts (0 when not found). The
 * text is valid JSON (jansson said so), so strings and brackets are all this follows. */
static void element_lines(const char *t, size_t len, int bare, int *lines, size_t n)
{
    int depth = 0, line = 1, arr = -1, key = 0, want = 0;
    size_t idx = 0;
    for (size_t i = 0; i < len && idx < n; i++) {
        char c = t[i];
        if (c == '\n') line++;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (want && depth == arr) {
            lines[idx++] = line;
            want = 0;
        }
        if (c == '"') {
            size_t s = ++i;
            for (; i < len && t[i] != '"'; i++) {
                if (t[i] == '\\') i++;
            }
            if (depth == 1 && arr < 0 && i - s == 8 && !memcmp(t + s, "partners", 8)) key = 1;
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
            if (c == '[' && arr < 0 && ((bare && depth == 1) || (key && depth == 2))) {
                arr = depth;
                want = 1;
            }
        } else if (c == '}' || c == ']') {
            if (depth == arr) return;
            depth--;
        } else if (c == ',') {
            if (depth == arr) want = 1;
            if (depth == 1) key = 0;
        }
    }
}

static int report(const import_sink *s, int line, size_t idx, const char *what)
{
    char m[560];
    snprintf(m, sizeof m, "malformed partner (partners[%zu]): %s", idx, what);
    return s->problem(s->ctx, line, m);
}

/* Adds one JSON value (string, number, or an array of them) to field f. 0, -1 bad (why),
 * -2 memory. */
static int add_value(party *pa, int f, json_t *v, char *why, size_t cap)
{
    char num[32];
    if (json_is_array(v)) {
        if (!partner_field_multi(f)) {
            snprintf(why, cap, "expected a string, not an array");
            return -1;
        }
        size_t i;
        json_t *it;
        json_array_foreach(v, i, it)
        {
            if (json_is_array(it)) {
                snprintf(why, cap, "an array inside an array");
                return -1;
            }
            int rc = add_value(pa, f, it, why, cap);
            if (rc) return rc;
        }
        return 0;
    }
    if (json_is_boolean(v) && f == PF_SMS_HUB)
        return partner_field_add_cell(pa, f, json_is_true(v) ? "true" : "false", why, cap);
    if (json_is_integer(v) && f == PF_POINT_CODES) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        return partner_field_add_cell(pa, f, num, why, cap);
    }
    if (!json_is_string(v)) {
        snprintf(why, cap, "expected a string%s", partner_field_multi(f) ? " or an array" : "");
        return -1;
    }
    if (strlen(json_string_value(v)) != json_string_length(v)) {
        snprintf(why, cap, "a string with a NUL character");
        return -1;
    }
    return partner_field_add_cell(pa, f, json_string_value(v), why, cap);
}

/* One element of the partners array. 0, or -1 when memory ran out. */
static int one_partner(const import_sink *s, json_t *o, size_t idx, int line)
{
    if (!json_is_object(o)) return report(s, line, idx, "not an object") < 0 ? -1 : 0;
    party pa;
    memset(&pa, 0, sizeof pa);
    pa.line = line;
    const char *k;
    json_t *v;
    char why[400], m[480];
    json_object_foreach(o, k, v)
    {
        int f = partner_field_find(k);
        if (f < 0) {
            snprintf(m, sizeof m, "unknown key '%.64s' (ignored; the keys are: %s)", k,
                     partner_field_list());
            if (report(s, line, idx, m) < 0) goto oom;
            continue;
        }
        int rc = add_value(&pa, f, v, why, sizeof why);
        if (rc == -2) goto oom;
        if (rc < 0) {
            snprintf(m, sizeof m, "%s: %s", partner_field_name(f), why);
            policy_party_release(&pa);
            return report(s, line, idx, m) < 0 ? -1 : 0;
        }
    }
    if (partner_row_finish(&pa, why, sizeof why) < 0) {
        policy_party_release(&pa);
        return report(s, line, idx, why) < 0 ? -1 : 0;
    }
    if (s->partner(s->ctx, &pa) < 0) goto oom;
    return 0;
oom:
    policy_party_release(&pa);
    return -1;
}

int import_partners_json(const char *text, size_t len, const import_sink *s)
{
    json_error_t e;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
    if (!root) {
        char m[300];
        snprintf(m, sizeof m, "not valid JSON (column %d): %s", e.column, e.text);
        return s->problem(s->ctx, e.line > 0 ? e.line : 0, m) < 0 ? -1 : 0;
    }
    json_t *arr = json_is_array(root) ? root : json_object_get(root, "partners");
    if (!json_is_array(arr)) {
        json_decref(root);
        return s->problem(s->ctx, 0,
                          "expected an object with a \"partners\" array, or an array of "
                          "partners") < 0
                   ? -1
                   : 0;
    }
    size_t n = json_array_size(arr);
    if (n > MAX_PARTNERS) n = MAX_PARTNERS;
    int *lines = calloc(n ? n : 1, sizeof *lines);
    int rc = lines ? 0 : -1;
    if (lines) element_lines(text, len, json_is_array(root), lines, n);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = one_partner(s, json_array_get(arr, i), i, lines[i]);
    free(lines);
    json_decref(root);
    return rc;
}
