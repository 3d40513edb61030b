/*
 * json_int.h - internal to libssgw: the JSON writer's octet checks (shared by json.c) and
 * groups of items written with one room check (src/obs/record.c).
 *
 * A group (ssgw_jg) reserves room once for the worst case of several items and then writes
 * each item straight into the record with no check: `,"key":` as one copy of a literal,
 * integers by hand, names from constant tables from a memo that holds them quoted with their
 * length. When the record may not have the room, the same code writes into the group's own
 * block, which goes to the record with one checked put at the end: the same bytes, or the
 * record's overflow mark, as the item calls of json.h would give (tests/unit/test_record_paths.c
 * compares the two on every kind of message at every buffer size). A value whose length the
 * group cannot bound (a long or escaped string) ends the group's run, goes through the
 * checked writer and starts a new run.
 *
 * The caller's bound must cover every octet the group's items may write (see JG_* sizes);
 * ssgw_jg_end checks it and aborts on a caller's bug rather than writing past the block.
 */
#ifndef SSGW_UTIL_JSON_INT_H
#define SSGW_UTIL_JSON_INT_H

#include <stdint.h>
#include <string.h>

#include "ssgw/json.h"

/* SSE2 (every x86-64) checks 16 octets in a few instructions; elsewhere, or built with
 * SSGW_JSON_SCALAR (the unit test builds the writer both ways), the 64-bit word checks. */
#if defined(__SSE2__) && !defined(SSGW_JSON_SCALAR)
#define JSON_SSE2 1
#include <emmintrin.h>
#else
#define JSON_SSE2 0
#endif

/* The octets of w that need a look (a control, '"', '\\', DEL or a non-ASCII octet), as a mask
 * of their high bits. Each octet is tested on its own (its low seven bits plus a constant never
 * carry into the next octet), so the mask is exact and __builtin_ctzll(mask) / 8 is the index of
 * the first octet that is not plain. */
static inline uint64_t ssgw_json_not_plain_mask(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, low7 = ones * 0x7f;
    uint64_t lo = w & low7;
    uint64_t ge_space = lo + ones * 0x60;          /* high bit: >= 0x20 */
    uint64_t del = lo + ones;                      /* high bit: == 0x7f */
    uint64_t not_quote = (lo ^ ones * '"') + low7; /* high bit: != '"' */
    uint64_t not_bslash = (lo ^ ones * '\\') + low7;
    return (w | del | ~(ge_space & not_quote & not_bslash)) & ones * 0x80; /* w: >= 0x80 */
}

static inline uint64_t ssgw_json_load64(const void *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}
static inline uint32_t ssgw_json_load32(const void *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

#if JSON_SSE2
/* The octets of x that are not plain, one bit each. */
static inline uint64_t ssgw_json_not_plain_x(__m128i x)
{
    __m128i bad = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)); /* signed: < 0x20 or >= 0x80 */
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
    return (uint64_t)_mm_movemask_epi8(bad);
}
#endif

/* The octets of lo and hi (eight each) that are not plain: zero when none. */
static inline uint64_t ssgw_json_not_plain2(uint64_t lo, uint64_t hi)
{
#if JSON_SSE2
    return ssgw_json_not_plain_x(_mm_set_epi64x((long long)hi, (long long)lo));
#else
    return ssgw_json_not_plain_mask(lo) | ssgw_json_not_plain_mask(hi);
#endif
}

/* True when the n (<= 16) octets at u are all plain: at most two overlapping loads of eight
 * (or four) octets, the gaps filled with spaces (plain). */
static inline bool ssgw_json_plain_upto16(const unsigned char *u, size_t n)
{
    const uint64_t spaces = 0x2020202020202020ull;
    if (n > 8) return ssgw_json_not_plain2(ssgw_json_load64(u), ssgw_json_load64(u + n - 8)) == 0;
    if (n >= 4)
        return ssgw_json_not_plain2(
                   ssgw_json_load32(u) | (uint64_t)ssgw_json_load32(u + n - 4) << 32, spaces) == 0;
    if (n)
        return ssgw_json_not_plain2(0x2020202020000000ull | u[0] | (uint64_t)u[n / 2] << 8 |
                                        (uint64_t)u[n - 1] << 16,
                                    spaces) == 0;
    return true;
}

/* Copies n octets from s to o with a few overlapping loads and stores (n is short: a key). */
static inline void ssgw_json_copy_short(char *o, const char *s, size_t n)
{
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8)
            memcpy(o + i, s + i, 8);
        memcpy(o + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(o, s, 4);
        memcpy(o + n - 4, s + n - 4, 4);
    } else if (n) {
        o[0] = s[0];
        o[n / 2] = s[n / 2];
        o[n - 1] = s[n - 1];
    }
}

/* For groups: n octets that need no separator put into j, checked (the overflow mark when
 * they do not fit, leaving one octet); s quoted and escaped there, checked likewise. */
void ssgw_json_put_raw(ssgw_json *j, const char *s, size_t n);
void ssgw_json_put_escaped(ssgw_json *j, const char *s, size_t n);

/* ---- groups -------------------------------------------------------------------------- */

/* Worst cases of one value in a group's bound. */
#define JG_INT      21 /* "-9223372036854775808" */
#define JG_BOOL     5
#define JG_NAME     48 /* a name from the memo: always 48 octets copied */
#define JG_STR      34 /* a plain string of up to 32 octets, quoted (longer ones leave the run) */
#define JG_ROOM     64 /* ssgw_jg_room: a value's text written in place, quoted */
#define JG_KEY(lit) (sizeof(lit) + 3) /* ,"key": */
#define JG_BLOCK    4096

/* True when the n octets at u are all plain (16 at a time). */
static inline bool ssgw_json_plain(const unsigned char *u, size_t n)
{
    size_t i = 0;
    for (; n - i > 16; i += 16)
        if (ssgw_json_not_plain2(ssgw_json_load64(u + i), ssgw_json_load64(u + i + 8)))
            return false;
    return ssgw_json_plain_upto16(u + i, n - i);
}

typedef struct {
    ssgw_json *j;
    char *o;     /* where the next octet goes */
    char *start; /* the run's first octet (in j's buffer, or in block + 1) */
    char *limit; /* start + the bound: nothing is written past it */
    size_t bound;
    char saved;   /* the octet before start, which a first item's ',' overwrites */
    bool first;   /* the run opens its object or array: its first ',' is dropped */
    bool inplace; /* writing straight into j's buffer */
    struct ssgw_jg_name_slot_ *names; /* this thread's name memo (ssgw_jg_names) */
#ifdef SSGW_JG_REFERENCE
    const char *key; /* the last JG_K's */
    size_t klen;
    char tmp[JG_ROOM];
#endif
    char block[JG_BLOCK];
} ssgw_jg;

/* Ends the run: its octets become part of j's record (checked, when written apart). */
void ssgw_jg_commit(ssgw_jg *g);
/* A string value that leaves the run: the run so far committed, s written by the checked
 * writer, a new run begun. */
void ssgw_jg_str_slow(ssgw_jg *g, const char *s, size_t n);

/* A name from a constant table (a string literal of the program, never rewritten): from a
 * per-thread memo keyed by its address that holds it quoted with its length; names that are
 * long or not plain go by ssgw_jg_strn. */
typedef struct ssgw_jg_name_slot_ {
    const char *p;
    size_t len; /* quoted; 0: not memoised */
    char text[JG_NAME];
} ssgw_jg_name_slot;
ssgw_jg_name_slot *ssgw_jg_name_fill(const char *s);
extern _Thread_local ssgw_jg_name_slot ssgw_jg_names[1024];
/* The memo's slot for the name at s (filled or not). */
static inline size_t ssgw_jg_name_hash(const char *s)
{
    return ((uintptr_t)s * 0x9e3779b97f4a7c15ull) >> 54;
}
static inline ssgw_jg_name_slot *ssgw_jg_name_slot_of(const char *s)
{
    return &ssgw_jg_names[ssgw_jg_name_hash(s)];
}

#ifndef SSGW_JG_REFERENCE

/* Starts a run of at most bound (< JG_BLOCK) octets. */
static inline __attribute__((always_inline)) void ssgw_jg_run(ssgw_jg *g, bool first)
{
    ssgw_json *j = g->j;
    g->first = first;
    g->inplace = !j->overflow && g->bound < j->cap - j->len;
    g->start = g->inplace ? j->buf + j->len : g->block + 1;
    g->limit = g->start + g->bound;
    g->saved = g->start[-1];
    g->o = g->start - first;
}

/* A group of items in an object or array of j's record (depth > 0) whose octets are at most
 * bound (< JG_BLOCK - 1). Every item starts with its ',' (JG_K). */
static inline __attribute__((always_inline)) void ssgw_jg_begin(ssgw_jg *g, ssgw_json *j,
                                                                size_t bound)
{
    g->j = j;
    g->bound = bound;
    g->names = ssgw_jg_names;
    ssgw_jg_run(g, j->first[j->depth - 1]);
}

static inline __attribute__((always_inline)) void ssgw_jg_end(ssgw_jg *g)
{
    if (g->o == g->start - g->first) return; /* nothing written */
    if (__builtin_expect(!g->inplace || g->o > g->limit, 0)) {
        ssgw_jg_commit(g);
        return;
    }
    g->start[-1] = g->saved;
    g->j->first[g->j->depth - 1] = false;
    g->j->len = (size_t)(g->o - g->j->buf);
}

/* ,"key": of a string literal */
#define JG_K(g, lit)                                                                               \
    do {                                                                                           \
        memcpy((g)->o, ",\"" lit "\":", sizeof(lit) + 3);                                          \
        (g)->o += sizeof(lit) + 3;                                                                 \
    } while (0)
/* "key": the first key of an object the group opened (ssgw_jg_object) */
#define JG_K0(g, lit)                                                                              \
    do {                                                                                           \
        memcpy((g)->o, "\"" lit "\":", sizeof(lit) + 2);                                           \
        (g)->o += sizeof(lit) + 2;                                                                 \
    } while (0)

/* After JG_K: '[' (an array of objects); the objects; the closing brackets. */
static inline void ssgw_jg_array(ssgw_jg *g)
{
    *g->o++ = '[';
}
static inline void ssgw_jg_object(ssgw_jg *g, bool first)
{
    *g->o = ',';
    g->o += !first;
    *g->o++ = '{';
}
static inline void ssgw_jg_object_end(ssgw_jg *g)
{
    *g->o++ = '}';
}
static inline void ssgw_jg_array_end(ssgw_jg *g)
{
    *g->o++ = ']';
}

static inline __attribute__((always_inline)) void ssgw_jg_u64(ssgw_jg *g, uint64_t v)
{
    char *o = g->o;
    if (v < 10) {
        *o = (char)('0' + v);
        g->o = o + 1;
        return;
    }
    o += ssgw_json_dec_len(v);
    ssgw_json_dec_u64(o, v);
    g->o = o;
}

static inline __attribute__((always_inline)) void ssgw_jg_int(ssgw_jg *g, long long v)
{
    if (v < 0) *g->o++ = '-';
    ssgw_jg_u64(g, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v);
}

static inline __attribute__((always_inline)) void ssgw_jg_bool(ssgw_jg *g, bool v)
{
    memcpy(g->o, v ? "true" : "false", 5);
    g->o += v ? 4 : 5;
}

/* A string value: plain and up to 32 octets in the run, else by the checked writer. */
static inline __attribute__((always_inline)) void ssgw_jg_strn(ssgw_jg *g, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (__builtin_expect(
            n <= 16 ? ssgw_json_plain_upto16(u, n)
                    : n <= 32 &&
                          ssgw_json_not_plain2(ssgw_json_load64(u), ssgw_json_load64(u + 8)) == 0 &&
                          ssgw_json_plain_upto16(u + 16, n - 16),
            1)) {
        char *o = g->o;
        *o = '"';
        ssgw_json_copy_short(o + 1, s, n);
        o[n + 1] = '"';
        g->o = o + n + 2;
        return;
    }
    ssgw_jg_str_slow(g, s, n);
}

static inline __attribute__((always_inline)) void ssgw_jg_name(ssgw_jg *g, const char *s)
{
    ssgw_jg_name_slot *e = &g->names[ssgw_jg_name_hash(s)]; /* no TLS address per name */
    if (__builtin_expect(e->p != s, 0)) e = ssgw_jg_name_fill(s);
    if (__builtin_expect(e->len != 0, 1)) {
        memcpy(g->o, e->text, JG_NAME); /* beyond len: overwritten or not kept */
        g->o += e->len;
        return;
    }
    ssgw_jg_strn(g, s, strlen(s));
}

/* Room for a value's text (JG_ROOM - 2 octets) written by the caller, then ssgw_jg_room_done
 * with its length: quoted as it is when plain, else escaped by the checked writer. */
static inline char *ssgw_jg_room(ssgw_jg *g)
{
    return g->o + 1;
}
static inline void ssgw_jg_room_done(ssgw_jg *g, size_t n)
{
    if (__builtin_expect(ssgw_json_plain((const unsigned char *)g->o + 1, n), 1)) {
        g->o[0] = '"';
        g->o[n + 1] = '"';
        g->o += n + 2;
        return;
    }
    char tmp[JG_ROOM];
    memcpy(tmp, g->o + 1, n);
    ssgw_jg_str_slow(g, tmp, n);
}

/* ssgw_jg_room_done for text the caller made plain (digits and punctuation it wrote
 * itself): quoted without a look (the reference build escapes it, so a test sees a text
 * that is not). */
static inline void ssgw_jg_room_plain(ssgw_jg *g, size_t n)
{
    g->o[0] = '"';
    g->o[n + 1] = '"';
    g->o += n + 2;
}

/* Bytes as lower-case hex, quoted: 2 n + 2 octets. */
static inline void ssgw_jg_hex(ssgw_jg *g, const uint8_t *b, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char *o = g->o;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        o[2 * i] = hex[b[i] >> 4];
        o[2 * i + 1] = hex[b[i] & 15];
    }
    o += 2 * n;
    *o++ = '"';
    g->o = o;
}

#else /* SSGW_JG_REFERENCE: the same calls through the item writers of json.h (the test's          \
         reference, tests/unit/test_record_paths.c) */

static inline void ssgw_jg_begin(ssgw_jg *g, ssgw_json *j, size_t bound)
{
    g->j = j;
    g->bound = bound;
    g->key = NULL;
}
static inline void ssgw_jg_end(ssgw_jg *g)
{
    (void)g;
}
#define JG_K(g, lit)  ((g)->key = (lit), (g)->klen = sizeof(lit) - 1)
#define JG_K0(g, lit) JG_K(g, lit)
static inline void ssgw_jg_array(ssgw_jg *g)
{
    ssgw_json_karray_begin(g->j, g->key, g->klen);
}
static inline void ssgw_jg_object(ssgw_jg *g, bool first)
{
    (void)first;
    ssgw_json_kobject_begin(g->j, NULL, 0);
}
static inline void ssgw_jg_object_end(ssgw_jg *g)
{
    ssgw_json_object_end(g->j);
}
static inline void ssgw_jg_array_end(ssgw_jg *g)
{
    ssgw_json_array_end(g->j);
}
static inline void ssgw_jg_u64(ssgw_jg *g, uint64_t v)
{
    ssgw_json_kint(g->j, g->key, g->klen, (long long)v);
}
static inline void ssgw_jg_int(ssgw_jg *g, long long v)
{
    ssgw_json_kint(g->j, g->key, g->klen, v);
}
static inline void ssgw_jg_bool(ssgw_jg *g, bool v)
{
    ssgw_json_kbool(g->j, g->key, g->klen, v);
}
static inline void ssgw_jg_strn(ssgw_jg *g, const char *s, size_t n)
{
    ssgw_json_kstrn(g->j, g->key, g->klen, s, n);
}
static inline void ssgw_jg_name(ssgw_jg *g, const char *s)
{
    ssgw_json_kstrn(g->j, g->key, g->klen, s, strlen(s));
}
static inline char *ssgw_jg_room(ssgw_jg *g)
{
    return g->tmp;
}
static inline void ssgw_jg_room_done(ssgw_jg *g, size_t n)
{
    ssgw_json_kstrn(g->j, g->key, g->klen, g->tmp, n);
}
static inline void ssgw_jg_room_plain(ssgw_jg *g, size_t n)
{
    ssgw_jg_room_done(g, n);
}
static inline void ssgw_jg_hex(ssgw_jg *g, const uint8_t *b, size_t n)
{
    ssgw_json_khex(g->j, g->key, g->klen, b, n);
}
#endif

#endif
