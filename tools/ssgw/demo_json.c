/*
 * demo_json.c - just enough JSON reading for `ssgw demo`: top-level values of
 * one object (a JSON line of the gateway's events or a peer's record, or the
 * gateway's status) and the elements of an array (RFC 8259 syntax; strings
 * with escapes, nested objects and arrays skipped by depth). Input is trusted
 * output of our own processes, but reading never goes past the NUL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* p at '"': returns the character after the closing quote (or the NUL). */
static const char *skip_string(const char *p)
{
    p++;
    while (*p && *p != '"') {
        if (*p == '\\' && p[1]) p++;
        p++;
    }
    return *p ? p + 1 : p;
}

/* p at a value: returns the character after it. */
static const char *skip_value(const char *p)
{
    p = skip_ws(p);
    if (*p == '"') return skip_string(p);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        while (*p) {
            if (*p == '"') {
                p = skip_string(p);
                continue;
            }
            if (*p == '{' || *p == '[') depth++;
            if (*p == '}' || *p == ']') {
                depth--;
                if (depth == 0) return p + 1;
            }
            p++;
        }
        return p;
    }
    while (*p && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n')
        p++;
    return p;
}

const char *demo_json_raw(const char *obj, const char *key, size_t *len)
{
    if (!obj) return NULL;
    const char *p = skip_ws(obj);
    if (*p != '{') return NULL;
    p++;
    size_t kl = strlen(key);
    for (;;) {
        p = skip_ws(p);
        if (*p != '"') return NULL;
        const char *k = p + 1;
        const char *ke = skip_string(p);
        bool match = (size_t)(ke - 1 - k) == kl && !memcmp(k, key, kl);
        p = skip_ws(ke);
        if (*p != ':') return NULL;
        p = skip_ws(p + 1);
        const char *v = p;
        p = skip_value(p);
        if (match) {
            *len = (size_t)(p - v);
            return v;
        }
        p = skip_ws(p);
        if (*p != ',') return NULL;
        p++;
    }
}

bool demo_json_str(const char *obj, const char *key, char *out, size_t cap)
{
    size_t len;
    const char *v = demo_json_raw(obj, key, &len);
    out[0] = '\0';
    if (!v || !cap || (len == 4 && !memcmp(v, "null", 4))) return false;
    size_t o = 0;
    if (*v == '"') {
        for (size_t i = 1; i + 1 < len && o + 1 < cap; i++) {
            char c = v[i];
            if (c == '\\' && i + 2 < len) {
                c = v[++i];
                if (c == 'n') c = ' ';
                if (c == 't') c = ' ';
                if (c == 'u') { /* \uXXXX: keep a placeholder */
                    i += 4;
                    c = '?';
                }
            }
            out[o++] = c;
        }
    } else {
        for (size_t i = 0; i < len && o + 1 < cap; i++)
            out[o++] = v[i];
    }
    out[o] = '\0';
    return true;
}

long long demo_json_int(const char *obj, const char *key, long long def)
{
    size_t len;
    const char *v = demo_json_raw(obj, key, &len);
    if (!v || !len || (*v != '-' && (*v < '0' || *v > '9'))) return def;
    return strtoll(v, NULL, 10);
}

bool demo_json_true(const char *obj, const char *key)
{
    size_t len;
    const char *v = demo_json_raw(obj, key, &len);
    return v && len == 4 && !memcmp(v, "true", 4);
}

const char *demo_json_next(const char *arr, size_t arr_len, size_t *pos, size_t *len)
{
    if (!arr || *pos >= arr_len) return NULL;
    const char *p = arr + *pos;
    if (*pos == 0) {
        if (*p != '[') return NULL;
        p++;
    }
    p = skip_ws(p);
    if (*p == ',') p = skip_ws(p + 1);
    if (*p == ']' || !*p || p >= arr + arr_len) {
        *pos = arr_len;
        return NULL;
    }
    const char *e = skip_value(p);
    *len = (size_t)(e - p);
    *pos = (size_t)(e - arr);
    return p;
}

const char *demo_json_member(const char *obj, size_t obj_len, size_t *pos, char *key, size_t kcap,
                             size_t *len)
{
    if (!obj || *pos >= obj_len) return NULL;
    const char *p = obj + *pos;
    if (*pos == 0) {
        if (*p != '{') return NULL;
        p++;
    }
    p = skip_ws(p);
    if (*p == ',') p = skip_ws(p + 1);
    if (*p != '"' || p >= obj + obj_len) {
        *pos = obj_len;
        return NULL;
    }
    const char *ke = skip_string(p);
    size_t kl = (size_t)(ke - p) - 2;
    snprintf(key, kcap, "%.*s", (int)kl, p + 1);
    p = skip_ws(ke);
    if (*p != ':') {
        *pos = obj_len;
        return NULL;
    }
    p = skip_ws(p + 1);
    const char *e = skip_value(p);
    *len = (size_t)(e - p);
    *pos = (size_t)(e - obj);
    return p;
}
