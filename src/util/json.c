/*
 * json.c - JSON lines writer (see include/ssgw/json.h). RFC 8259 string escaping.
 *
 * Written by hand rather than with a library: every record of `ssgw decode --json` and
 * `ssgw analyze --json` goes through it, and output formatting was most of their cost
 * (docs/BENCHMARKS.md). Strings are copied in runs of characters that need no escaping,
 * integers are formatted without printf. The output is the same byte for byte as the
 * straightforward writer's (tests/unit/test_json.c compares them on random input).
 */
#include "ssgw/json.h"

#include <stdint.h>
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

static inline void putc_(ssgw_json *j, char c)
{
    if (j->overflow || 1 >= j->cap - j->len) {
        j->overflow = true;
        return;
    }
    j->buf[j->len++] = c;
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

/* Octets copied as they are: printable ASCII other than '"' and '\\'. One table load per
 * octet (measured: the four comparisons made copying keys ~15 instructions an octet). */
/* clang-format off */
#define PL(c) ((c) >= 0x20 && (c) < 0x7f && (c) != '"' && (c) != '\\')
#define PL4(c) PL(c), PL((c) + 1), PL((c) + 2), PL((c) + 3)
#define PL16(c) PL4(c), PL4((c) + 4), PL4((c) + 8), PL4((c) + 12)
#define PL64(c) PL16(c), PL16((c) + 16), PL16((c) + 32), PL16((c) + 48)
static const bool plain_octet[256] = {PL64(0), PL64(64), PL64(128), PL64(192)};
#undef PL64
#undef PL16
#undef PL4
#undef PL
/* clang-format on */

static inline bool plain(unsigned char c)
{
    return plain_octet[c];
}

/* Eight octets at a time: true when none of them needs a look (a control, '"', '\\', DEL
 * or a non-ASCII octet): the classic "has a byte less than / equal to" word tricks. */
static inline bool word_plain(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t below_space = (w - ones * 0x20) & ~w; /* a byte < 0x20 (or >= 0x80) */
    uint64_t quote = (w ^ (ones * '"')) - ones;    /* a byte == '"' ... */
    quote &= ~(w ^ (ones * '"'));                  /* ... its xor is 0 */
    uint64_t bslash = (w ^ (ones * '\\')) - ones;
    bslash &= ~(w ^ (ones * '\\'));
    uint64_t del = (w ^ (ones * 0x7f)) - ones;
    del &= ~(w ^ (ones * 0x7f));
    return ((below_space | quote | bslash | del | w) & highs) == 0;
}

/* Strings up to this long are written straight into the buffer when their worst case fits. */
#define SSGW_JSON_DIRECT_MAX ((size_t)1 << 24)

/* One escape sequence for octet c (not plain, not part of UTF-8) at o; returns its end. */
static inline char *escape_at(char *o, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    *o++ = '\\';
    if (c == '"' || c == '\\') {
        *o++ = (char)c;
        return o;
    }
    *o++ = 'u';
    *o++ = '0';
    *o++ = '0';
    *o++ = hex[c >> 4];
    *o++ = hex[c & 15];
    return o;
}

/* Text is written as UTF-8; a byte that is not part of well-formed UTF-8 as \u00XX. The
 * string is written straight into the buffer when even its worst case (every octet
 * escaped) fits, which is nearly always; else octet by octet, stopping at the end. */
static void escaped(ssgw_json *j, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (j->overflow || n >= SSGW_JSON_DIRECT_MAX || 6 * n + 2 >= j->cap - j->len) {
        char e[6];
        putc_(j, '"');
        for (size_t i = 0; i < n; i++) {
            size_t l = u[i] >= 0x80 ? utf8_seq(u + i, n - i) : 0;
            if (l) {
                put(j, s + i, l);
                i += l - 1;
            } else if (plain(u[i])) {
                putc_(j, s[i]);
            } else {
                put(j, e, (size_t)(escape_at(e, u[i]) - e));
            }
        }
        putc_(j, '"');
        return;
    }
    char *o = j->buf + j->len;
    *o++ = '"';
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        if (n - i < 16) { /* short (most values): checked and copied in one pass */
            while (run < n && plain(u[run]))
                *o++ = s[run++];
        } else {
            while (run + 8 <= n && word_plain(u + run))
                run += 8;
            while (run < n && plain(u[run]))
                run++;
            memcpy(o, s + i, run - i);
            o += run - i;
        }
        if (run == n) break;
        i = run;
        size_t l = u[i] >= 0x80 ? utf8_seq(u + i, n - i) : 0;
        if (l) {
            for (size_t k = 0; k < l; k++)
                *o++ = s[i + k];
            i += l;
        } else {
            o = escape_at(o, u[i]);
            i++;
        }
    }
    *o++ = '"';
    j->len = (size_t)(o - j->buf);
}

/* Keys are nearly always short and plain ("called_gt"): copied and checked in one pass
 * while there is room for 64 octets, four octets per loop turn with one table load each
 * (the NUL that ends the key is not plain, so it ends the copy too; measured: a key cost
 * ~150 instructions with a test per condition per octet); anything else goes through
 * escaped(). */
static void key_(ssgw_json *j, const char *key)
{
    sep(j);
    if (!key) return;
    if (!j->overflow && j->cap - j->len > 68) {
        char *o = j->buf + j->len, *lim = o + 65;
        const unsigned char *k = (const unsigned char *)key;
        *o++ = '"';
#define COPY_PLAIN(i)                                                                              \
    if (!plain(k[i])) {                                                                            \
        k += i, o += i;                                                                            \
        goto stop;                                                                                 \
    }                                                                                              \
    o[i] = (char)k[i];
        while (o < lim) {
            COPY_PLAIN(0)
            COPY_PLAIN(1)
            COPY_PLAIN(2)
            COPY_PLAIN(3)
            k += 4, o += 4;
        }
#undef COPY_PLAIN
    stop:
        if (!*k && o <= lim) {
            *o++ = '"';
            *o++ = ':';
            j->len = (size_t)(o - j->buf);
            return;
        }
    }
    escaped(j, key, strlen(key));
    putc_(j, ':');
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

/* Two digits per division (a record has ~20 integers). */
void ssgw_json_int(ssgw_json *j, const char *key, long long value)
{
    char tmp[24];
    char *e = tmp + sizeof tmp;
    unsigned long long v = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
    char *p = ssgw_json_dec_u64(e, v);
    if (value < 0) *--p = '-';
    key_(j, key);
    size_t n = (size_t)(e - p);
    if (!j->overflow && n < j->cap - j->len) { /* put(), with a copy the compiler can inline */
        char *o = j->buf + j->len;
        for (size_t i = 0; i < n; i++)
            o[i] = p[i];
        j->len += n;
        return;
    }
    put(j, p, n);
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
    if (j->overflow || 2 * n >= j->cap - j->len) {
        j->overflow = true;
        return;
    }
    char *o = j->buf + j->len;
    for (size_t i = 0; i < n; i++) {
        o[2 * i] = hex[bytes[i] >> 4];
        o[2 * i + 1] = hex[bytes[i] & 15];
    }
    j->len += 2 * n;
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
