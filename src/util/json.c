/* json.c - JSON lines writer (see include/ssgw/json.h). RFC 8259 string escaping. */
#include "ssgw/json.h"

#include <stdio.h>
#include <string.h>

static void put(ssgw_json *j, const char *s, size_t n)
{
    if (j->overflow || n >= j->cap - j->len) {
        j->overflow = true;
        return;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
}

static void putc_(ssgw_json *j, char c)
{
    put(j, &c, 1);
}

static void sep(ssgw_json *j)
{
    if (j->depth <= 0) return;
    if (!j->first[j->depth - 1]) putc_(j, ',');
    j->first[j->depth - 1] = false;
}

/* Length of the well-formed UTF-8 sequence (2..4 octets) at s[0..n), or 0 (RFC 3629). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    size_t l = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (l == 0 || s[0] > 0xf4 || l > n) return 0;
    for (size_t k = 1; k < l; k++)
        if ((s[k] & 0xc0) != 0x80) return 0;
    if (l == 3 && s[0] == 0xe0 && s[1] < 0xa0) return 0;  /* overlong */
    if (l == 3 && s[0] == 0xed && s[1] >= 0xa0) return 0; /* surrogate */
    if (l == 4 && s[0] == 0xf0 && s[1] < 0x90) return 0;  /* overlong */
    if (l == 4 && s[0] == 0xf4 && s[1] >= 0x90) return 0; /* above U+10FFFF */
    return l;
}

/* Text is written as UTF-8; a byte that is not part of well-formed UTF-8 as \u00XX. */
static void escaped(ssgw_json *j, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    putc_(j, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        size_t l = c >= 0x80 ? utf8_seq((const unsigned char *)s + i, n - i) : 0;
        if (l) {
            put(j, s + i, l);
            i += l - 1;
        } else if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            put(j, e, 2);
        } else if (c < 0x20 || c >= 0x7f) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put(j, e, 6);
        } else {
            putc_(j, (char)c);
        }
    }
    putc_(j, '"');
}

static void key_(ssgw_json *j, const char *key)
{
    sep(j);
    if (key) {
        escaped(j, key, strlen(key));
        putc_(j, ':');
    }
}

static void open_(ssgw_json *j, char c)
{
    putc_(j, c);
    if (j->depth >= SSGW_JSON_MAX_DEPTH) {
        j->overflow = true;
        return;
    }
    j->first[j->depth++] = true;
}

void ssgw_json_begin(ssgw_json *j, char *mem, size_t cap)
{
    j->buf = mem;
    j->cap = cap;
    j->len = 0;
    j->overflow = cap < 2;
    j->depth = 0;
    open_(j, '{');
}

long ssgw_json_end(ssgw_json *j)
{
    if (j->depth != 1) j->overflow = true; /* an object or array was left open: a caller bug */
    j->depth = 0;
    putc_(j, '}');
    if (j->overflow || j->len >= j->cap) return -1;
    j->buf[j->len] = '\0';
    return (long)j->len;
}

void ssgw_json_strn(ssgw_json *j, const char *key, const char *value, size_t n)
{
    key_(j, key);
    escaped(j, value, n);
}

void ssgw_json_str(ssgw_json *j, const char *key, const char *value)
{
    ssgw_json_strn(j, key, value, strlen(value));
}

void ssgw_json_int(ssgw_json *j, const char *key, long long value)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "%lld", value);
    key_(j, key);
    put(j, tmp, (size_t)n);
}

void ssgw_json_bool(ssgw_json *j, const char *key, bool value)
{
    key_(j, key);
    put(j, value ? "true" : "false", value ? 4 : 5);
}

void ssgw_json_hex(ssgw_json *j, const char *key, const uint8_t *bytes, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    key_(j, key);
    putc_(j, '"');
    for (size_t i = 0; i < n; i++) {
        char e[2] = {hex[bytes[i] >> 4], hex[bytes[i] & 15]};
        put(j, e, 2);
    }
    putc_(j, '"');
}

void ssgw_json_object_begin(ssgw_json *j, const char *key)
{
    key_(j, key);
    open_(j, '{');
}

void ssgw_json_array_begin(ssgw_json *j, const char *key)
{
    key_(j, key);
    open_(j, '[');
}

static void close_(ssgw_json *j, char c)
{
    if (j->depth <= 1) {
        j->overflow = true;
        return;
    }
    j->depth--;
    putc_(j, c);
}

void ssgw_json_object_end(ssgw_json *j)
{
    close_(j, '}');
}
void ssgw_json_array_end(ssgw_json *j)
{
    close_(j, ']');
}
