/*
 * json.c - JSON lines writer (see include/ssgw/json.h). RFC 8259 string escaping.
 *
 * Written by hand rather than with a library: every record of `ssgw decode --json` and
 * `ssgw analyze --json` goes through it, and output formatting was most of their cost
 * (docs/BENCHMARKS.md). Each item checks the room for its worst case once and is then written
 * straight into the buffer (else piece by piece with a check each, the same bytes); keys whose
 * length the caller knows are copied in one go; strings are checked 16 octets at a time (SSE2,
 * else 64-bit words) and copied in runs that need no escaping; integers are formatted without
 * printf. The output is
 * the same byte for byte as the straightforward writer's (tests/unit/test_json.c compares them
 * on random input and at every buffer size around each kind of item). The out-of-line parts
 * of the record's groups (util/json_int.h: one room check for several items) are at the end.
 */
#define SSGW_JSON_NO_WRAPPERS /* this file defines the exported names */
#include "ssgw/json.h"

#include "util/json_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The index of the first of the 16 octets at p that is not plain; 16 when all are. */
static inline size_t first_not_plain16(const unsigned char *p)
{
#if JSON_SSE2
    uint64_t m = ssgw_json_not_plain_x(_mm_loadu_si128((const __m128i *)(const void *)p));
    return m ? (size_t)__builtin_ctzll(m) : 16;
#else
    uint64_t m0 = ssgw_json_not_plain_mask(ssgw_json_load64(p)),
             m1 = ssgw_json_not_plain_mask(ssgw_json_load64(p + 8));
    return m0 ? (size_t)__builtin_ctzll(m0) >> 3 : m1 ? 8 + ((size_t)__builtin_ctzll(m1) >> 3) : 16;
#endif
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

/* The octet at u[i] that is not plain: a well-formed UTF-8 sequence copied, else an escape.
 * Returns the end of the output; *i moves past what was consumed. */
static inline char *not_plain_at(char *o, const unsigned char *u, size_t n, size_t *i)
{
    size_t l = u[*i] >= 0x80 ? utf8_seq(u + *i, n - *i) : 0;
    if (!l) return escape_at(o, u[(*i)++]);
    for (size_t k = 0; k < l; k++)
        *o++ = (char)u[*i + k];
    *i += l;
    return o;
}

/* escaped_to() from octet i on, output at o, for a string with something to escape: eight
 * octets at a time up to the next octet that is not plain, that octet on its own; the tail one
 * octet at a time. Sets j's length to the end of the closing quote. */
static __attribute__((noinline)) void escaped_rest(ssgw_json *j, char *o, const unsigned char *u,
                                                   size_t n, size_t i)
{
    while (n - i >= 8) {
        uint64_t w = ssgw_json_load64(u + i), m = ssgw_json_not_plain_mask(w);
        memcpy(o, &w, 8);
        if (!m) {
            o += 8, i += 8;
            continue;
        }
        size_t k = (size_t)__builtin_ctzll(m) >> 3;
        o += k, i += k;
        o = not_plain_at(o, u, n, &i);
    }
    while (i < n) {
        if (plain(u[i]))
            *o++ = (char)u[i++];
        else
            o = not_plain_at(o, u, n, &i);
    }
    *o++ = '"';
    j->len = (size_t)(o - j->buf);
}

/* The quoted, escaped string at o in j's buffer, which has room for its worst case (6 n + 2
 * octets); j's length is then its end. Sixteen octets are checked and stored at a time while
 * more than 16 remain (a store may run past what is kept, never past the string's own length),
 * a tail of up to 16 with two overlapping loads; at the first octet that is not plain,
 * escaped_rest() takes over (a tail call: this path needs no stack frame). */
static void escaped_to(ssgw_json *j, char *o, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    *o++ = '"';
    while (n - i > 16) {
        memcpy(o, u + i, 16);
        size_t k = first_not_plain16(u + i);
        if (k < 16) {
            escaped_rest(j, o + k, u, n, i + k);
            return;
        }
        o += 16, i += 16;
    }
    size_t rem = n - i;
    if (!ssgw_json_plain_upto16(u + i, rem)) {
        escaped_rest(j, o, u, n, i);
        return;
    }
    ssgw_json_copy_short(o, s + i, rem);
    o[rem] = '"';
    j->len = (size_t)(o + rem + 1 - j->buf);
}

/* Text is written as UTF-8; a byte that is not part of well-formed UTF-8 as \u00XX. Straight
 * into the buffer when even its worst case (every octet escaped) fits, which is nearly
 * always; else octet by octet, stopping at the end. */
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
    escaped_to(j, j->buf + j->len, s, n);
}

/* The length of a key the caller did not measure when it is plain; else (and for a key too
 * long to be a key) SSGW_JSON_KEY_MEASURE, and the key is escaped. */
static size_t measure_key(const char *key)
{
    size_t n = strlen(key);
    if (n >= 256) return SSGW_JSON_KEY_MEASURE;
    const unsigned char *u = (const unsigned char *)key;
    size_t i = 0;
    for (; n - i > 16; i += 16)
        if (ssgw_json_not_plain2(ssgw_json_load64(u + i), ssgw_json_load64(u + i + 8)))
            return SSGW_JSON_KEY_MEASURE;
    return ssgw_json_plain_upto16(u + i, n - i) ? n : SSGW_JSON_KEY_MEASURE;
}

/* Room for the separator, a plain key of klen octets and a value of up to `value` (< 2^24)
 * octets: then writes the separator and the key and returns where the value goes; else NULL
 * (also for a key still to be measured), and the caller goes to its slow path (a tail call, so
 * that the fast path needs no stack frame): the key measured, then this again or, when the item
 * may not fit, key_slow() and the checked put()s. One check of the room for the whole item. */
static inline __attribute__((always_inline)) char *item_at(ssgw_json *j, const char *key,
                                                           size_t klen, size_t value)
{
    size_t kl = key ? klen : 0, len = j->len;
    if (j->overflow | (j->depth <= 0) | ((kl | value) >= SSGW_JSON_DIRECT_MAX) ||
        kl + value + 4 >= j->cap - len)
        return NULL;
    char *o = j->buf + len;
    bool *first = &j->first[j->depth - 1];
    *o = ',';
    o += !*first;
    *first = false;
    if (key) {
        *o = '"';
        ssgw_json_copy_short(o + 1, key, kl);
        o += kl + 3;
        o[-2] = '"';
        o[-1] = ':';
    }
    return o;
}

/* For a slow path: the key's length measured when the caller did not know it; true when it is
 * plain (and *klen is set), so the fast path can be tried again. */
static bool measured(const char *key, size_t *klen)
{
    if (!key || *klen != SSGW_JSON_KEY_MEASURE) return false;
    *klen = measure_key(key);
    return *klen != SSGW_JSON_KEY_MEASURE;
}

/* The separator and the key, one checked put() at a time: what item_at() does when the record
 * may not have room (the same bytes, or the overflow mark). */
static void key_slow(ssgw_json *j, const char *key, size_t klen)
{
    sep(j);
    if (!key) return;
    escaped(j, key, klen == SSGW_JSON_KEY_MEASURE ? strlen(key) : klen);
    putc_(j, ':');
}

static inline void done_at(ssgw_json *j, char *o)
{
    j->len = (size_t)(o - j->buf);
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

static __attribute__((noinline)) void kstrn_slow(ssgw_json *j, const char *key, size_t klen,
                                                 const char *value, size_t n)
{
    if (measured(key, &klen)) {
        ssgw_json_kstrn(j, key, klen, value, n);
        return;
    }
    key_slow(j, key, klen);
    escaped(j, value, n);
}

void ssgw_json_kstrn(ssgw_json *j, const char *key, size_t klen, const char *value, size_t n)
{
    char *o = item_at(j, key, klen, n < SSGW_JSON_DIRECT_MAX ? 6 * n + 2 : n);
    if (!o) {
        kstrn_slow(j, key, klen, value, n);
        return;
    }
    if (n <= 16 && ssgw_json_plain_upto16((const unsigned char *)value, n)) { /* most values */
        *o = '"';
        ssgw_json_copy_short(o + 1, value, n);
        o[n + 1] = '"';
        done_at(j, o + n + 2);
        return;
    }
    escaped_to(j, o, value, n);
}

static __attribute__((noinline)) void kint_slow(ssgw_json *j, const char *key, size_t klen,
                                                long long value)
{
    if (measured(key, &klen)) {
        ssgw_json_kint(j, key, klen, value);
        return;
    }
    unsigned long long v = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
    char tmp[24];
    char *e = tmp + sizeof tmp, *p = ssgw_json_dec_u64(e, v);
    if (value < 0) *--p = '-';
    key_slow(j, key, klen);
    put(j, p, (size_t)(e - p));
}

void ssgw_json_kint(ssgw_json *j, const char *key, size_t klen, long long value)
{
    char *o = item_at(j, key, klen, 21);
    if (!o) {
        kint_slow(j, key, klen, value);
        return;
    }
    unsigned long long v = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
    if (value < 0) *o++ = '-';
    if (v < 10) { /* most integers of a record are small: no digit count, no division */
        *o++ = (char)('0' + v);
    } else {
        o += ssgw_json_dec_len(v);
        ssgw_json_dec_u64(o, v);
    }
    done_at(j, o);
}

static __attribute__((noinline)) void kbool_slow(ssgw_json *j, const char *key, size_t klen,
                                                 bool value)
{
    if (measured(key, &klen)) {
        ssgw_json_kbool(j, key, klen, value);
        return;
    }
    key_slow(j, key, klen);
    put(j, value ? "true" : "false", value ? 4 : 5);
}

void ssgw_json_kbool(ssgw_json *j, const char *key, size_t klen, bool value)
{
    char *o = item_at(j, key, klen, 5);
    if (!o) {
        kbool_slow(j, key, klen, value);
        return;
    }
    memcpy(o, value ? "true" : "false", 5); /* the room was checked for 5 */
    done_at(j, o + (value ? 4 : 5));
}

static char *hex_at(char *o, const uint8_t *bytes, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        o[2 * i] = hex[bytes[i] >> 4];
        o[2 * i + 1] = hex[bytes[i] & 15];
    }
    o += 2 * n;
    *o++ = '"';
    return o;
}

static __attribute__((noinline)) void khex_slow(ssgw_json *j, const char *key, size_t klen,
                                                const uint8_t *bytes, size_t n)
{
    if (measured(key, &klen)) {
        ssgw_json_khex(j, key, klen, bytes, n);
        return;
    }
    key_slow(j, key, klen);
    size_t room = j->cap - j->len; /* "..." must leave one octet: 2 n + 2 <= room - 1 */
    if (j->overflow || room < 3 || n > (room - 3) / 2) {
        j->overflow = true;
        return;
    }
    done_at(j, hex_at(j->buf + j->len, bytes, n));
}

void ssgw_json_khex(ssgw_json *j, const char *key, size_t klen, const uint8_t *bytes, size_t n)
{
    char *o = item_at(j, key, klen, n < SSGW_JSON_DIRECT_MAX ? 2 * n + 2 : n);
    if (!o) {
        khex_slow(j, key, klen, bytes, n);
        return;
    }
    done_at(j, hex_at(o, bytes, n));
}

static __attribute__((noinline)) void kopen_slow(ssgw_json *j, const char *key, size_t klen, char c)
{
    char *o =
        measured(key, &klen) && j->depth < SSGW_JSON_MAX_DEPTH ? item_at(j, key, klen, 1) : NULL;
    if (o)
        done_at(j, o);
    else
        key_slow(j, key, klen);
    open_(j, c);
}

/* The key and c ('{' or '['), one level deeper: straight into the buffer when there is room
 * and depth, else as key_slow() and open_() write them. */
static inline __attribute__((always_inline)) void kopen(ssgw_json *j, const char *key, size_t klen,
                                                        char c)
{
    char *o = j->depth < SSGW_JSON_MAX_DEPTH ? item_at(j, key, klen, 1) : NULL;
    if (!o) {
        kopen_slow(j, key, klen, c);
        return;
    }
    *o++ = c;
    j->first[j->depth++] = true;
    done_at(j, o);
}

void ssgw_json_kobject_begin(ssgw_json *j, const char *key, size_t klen)
{
    kopen(j, key, klen, '{');
}

void ssgw_json_karray_begin(ssgw_json *j, const char *key, size_t klen)
{
    kopen(j, key, klen, '[');
}

/* The exported names of earlier versions (the header makes them inline wrappers). */
void ssgw_json_strn(ssgw_json *j, const char *key, const char *value, size_t n)
{
    ssgw_json_kstrn(j, key, SSGW_JSON_KEY_MEASURE, value, n);
}
void ssgw_json_str(ssgw_json *j, const char *key, const char *value)
{
    ssgw_json_kstrn(j, key, SSGW_JSON_KEY_MEASURE, value, strlen(value));
}
void ssgw_json_int(ssgw_json *j, const char *key, long long value)
{
    ssgw_json_kint(j, key, SSGW_JSON_KEY_MEASURE, value);
}
void ssgw_json_bool(ssgw_json *j, const char *key, bool value)
{
    ssgw_json_kbool(j, key, SSGW_JSON_KEY_MEASURE, value);
}
void ssgw_json_hex(ssgw_json *j, const char *key, const uint8_t *bytes, size_t n)
{
    ssgw_json_khex(j, key, SSGW_JSON_KEY_MEASURE, bytes, n);
}
void ssgw_json_object_begin(ssgw_json *j, const char *key)
{
    ssgw_json_kobject_begin(j, key, SSGW_JSON_KEY_MEASURE);
}
void ssgw_json_array_begin(ssgw_json *j, const char *key)
{
    ssgw_json_karray_begin(j, key, SSGW_JSON_KEY_MEASURE);
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

/* ---- groups (util/json_int.h) -------------------------------------------------------- */

void ssgw_json_put_raw(ssgw_json *j, const char *s, size_t n)
{
    put(j, s, n);
}

void ssgw_json_put_escaped(ssgw_json *j, const char *s, size_t n)
{
    escaped(j, s, n);
}

void ssgw_jg_commit(ssgw_jg *g)
{
    if (g->o > g->limit) abort(); /* the caller's bound is too small: a bug, never input */
    if (g->o == g->start - g->first) return;
    ssgw_json *j = g->j;
    g->start[-1] = g->saved;
    j->first[j->depth - 1] = false;
    size_t n = (size_t)(g->o - g->start);
    if (g->inplace)
        j->len += n;
    else
        put(j, g->start, n);
}

void ssgw_jg_str_slow(ssgw_jg *g, const char *s, size_t n)
{
    ssgw_json *j = g->j;
    if (g->inplace && g->o <= g->limit && n < SSGW_JSON_DIRECT_MAX &&
        6 * n + 2 + g->bound < j->cap - (size_t)(g->o - j->buf)) {
        /* room for its worst case and the rest of the run: escaped in place, the run goes on */
        size_t len = j->len;
        escaped_to(j, g->o, s, n);
        char *end = j->buf + j->len;
        j->len = len;
        g->limit += end - g->o;
        g->o = end;
        return;
    }
    ssgw_jg_commit(g);
    escaped(j, s, n);
    /* a new run, as ssgw_jg_begin's, after an item */
    g->first = false;
    g->inplace = !j->overflow && g->bound < j->cap - j->len;
    g->start = g->inplace ? j->buf + j->len : g->block + 1;
    g->limit = g->start + g->bound;
    g->saved = g->start[-1];
    g->o = g->start;
}

_Thread_local ssgw_jg_name_slot ssgw_jg_names[1024];

ssgw_jg_name_slot *ssgw_jg_name_fill(const char *s)
{
    ssgw_jg_name_slot *e = ssgw_jg_name_slot_of(s);
    size_t n = strnlen(s, JG_NAME);
    bool ok = n <= JG_NAME - 2;
    for (size_t i = 0; ok && i < n; i++)
        ok = plain((unsigned char)s[i]);
    e->p = s;
    e->len = ok ? n + 2 : 0;
    if (ok) {
        e->text[0] = '"';
        memcpy(e->text + 1, s, n);
        e->text[n + 1] = '"';
    }
    return e;
}
