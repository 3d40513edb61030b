/*
 * json.h - a small JSON writer for records and events (JSON lines).
 *
 * Writes into caller-owned memory with no allocation; nesting is tracked so
 * commas are placed automatically. Strings are escaped per RFC 8259 and bytes
 * that are not valid printable ASCII are written as \u00XX, so peer data can
 * never break a record. On overflow the record is marked and the caller skips
 * or reports it; nothing is ever written at or past cap.
 *
 * Keys: ssgw_json_str(j, "imsi", v) and the other calls below are inline wrappers that hand
 * the writer the key's length when the compiler knows it (a string literal or another constant
 * of the program): such a key is copied as it is, in one go. Any other key is measured and
 * escaped like a value. A key whose length the compiler knows must therefore be plain
 * (printable ASCII other than '"' and '\\'), as every key of the documented schema is; keys
 * are never built from peer data.
 */
#ifndef SSGW_JSON_H
#define SSGW_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSGW_JSON_MAX_DEPTH 8

typedef struct {
    char *buf;
    size_t len;
    size_t cap;
    bool overflow;
    int depth;
    bool first[SSGW_JSON_MAX_DEPTH];
} ssgw_json;

/* Starts a record: writes "{". */
void ssgw_json_begin(ssgw_json *j, char *mem, size_t cap);
/* Ends the record: closes "}" and NUL-terminates. Returns the length, or -1 on overflow. */
long ssgw_json_end(ssgw_json *j);

/*
 * The writers with the key's length. key is NULL (inside arrays; klen is then ignored) or
 * klen plain octets (see above), copied without a check; or klen is SSGW_JSON_KEY_MEASURE and
 * key is any NUL-terminated text, measured and escaped where it needs it. Callers normally use
 * the wrappers below, which pick klen; these are for keys from tables with their lengths.
 */
#define SSGW_JSON_KEY_MEASURE ((size_t)-1)
void ssgw_json_kstrn(ssgw_json *j, const char *key, size_t klen, const char *value, size_t n);
void ssgw_json_kint(ssgw_json *j, const char *key, size_t klen, long long value);
void ssgw_json_kbool(ssgw_json *j, const char *key, size_t klen, bool value);
void ssgw_json_khex(ssgw_json *j, const char *key, size_t klen, const uint8_t *bytes, size_t n);
void ssgw_json_kobject_begin(ssgw_json *j, const char *key, size_t klen);
void ssgw_json_karray_begin(ssgw_json *j, const char *key, size_t klen);

/* key may be NULL inside arrays. (Also exported under these names, with the key measured, for
 * programs built against an earlier libssgw; the names below are macros for the inline
 * wrappers.) */
void ssgw_json_str(ssgw_json *j, const char *key, const char *value);
void ssgw_json_strn(ssgw_json *j, const char *key, const char *value, size_t n);
void ssgw_json_int(ssgw_json *j, const char *key, long long value);
void ssgw_json_bool(ssgw_json *j, const char *key, bool value);
/* Bytes as a lower-case hex string. */
void ssgw_json_hex(ssgw_json *j, const char *key, const uint8_t *bytes, size_t n);
void ssgw_json_object_begin(ssgw_json *j, const char *key);
void ssgw_json_array_begin(ssgw_json *j, const char *key);

/* The key's length when the compiler knows it (a constant key: copied as it is), else
 * SSGW_JSON_KEY_MEASURE. GCC folds this after inlining; where it cannot (or with clang, which
 * decides __builtin_constant_p before inlining), the key is measured: slower, the same bytes. */
static inline __attribute__((always_inline)) size_t ssgw_json_klen_(const char *key)
{
    return __builtin_constant_p(key ? __builtin_strlen(key) : 0) ? (key ? __builtin_strlen(key) : 0)
                                                                 : SSGW_JSON_KEY_MEASURE;
}
static inline __attribute__((always_inline)) void ssgw_json_str_(ssgw_json *j, const char *key,
                                                                 const char *value)
{
    ssgw_json_kstrn(j, key, ssgw_json_klen_(key), value, __builtin_strlen(value));
}
static inline __attribute__((always_inline)) void ssgw_json_strn_(ssgw_json *j, const char *key,
                                                                  const char *value, size_t n)
{
    ssgw_json_kstrn(j, key, ssgw_json_klen_(key), value, n);
}
static inline __attribute__((always_inline)) void ssgw_json_int_(ssgw_json *j, const char *key,
                                                                 long long value)
{
    ssgw_json_kint(j, key, ssgw_json_klen_(key), value);
}
static inline __attribute__((always_inline)) void ssgw_json_bool_(ssgw_json *j, const char *key,
                                                                  bool value)
{
    ssgw_json_kbool(j, key, ssgw_json_klen_(key), value);
}
static inline __attribute__((always_inline)) void ssgw_json_hex_(ssgw_json *j, const char *key,
                                                                 const uint8_t *bytes, size_t n)
{
    ssgw_json_khex(j, key, ssgw_json_klen_(key), bytes, n);
}
static inline __attribute__((always_inline)) void ssgw_json_object_begin_(ssgw_json *j,
                                                                          const char *key)
{
    ssgw_json_kobject_begin(j, key, ssgw_json_klen_(key));
}
static inline __attribute__((always_inline)) void ssgw_json_array_begin_(ssgw_json *j,
                                                                         const char *key)
{
    ssgw_json_karray_begin(j, key, ssgw_json_klen_(key));
}
#ifndef SSGW_JSON_NO_WRAPPERS
#define ssgw_json_str          ssgw_json_str_
#define ssgw_json_strn         ssgw_json_strn_
#define ssgw_json_int          ssgw_json_int_
#define ssgw_json_bool         ssgw_json_bool_
#define ssgw_json_hex          ssgw_json_hex_
#define ssgw_json_object_begin ssgw_json_object_begin_
#define ssgw_json_array_begin  ssgw_json_array_begin_
#endif

/*
 * The decimal text of v, written backwards so that it ends just before end (no NUL); returns
 * where it starts, at most 20 characters before end. The writer's integer formatting (two
 * digits per division), for callers that build lines by hand (ssgw decode's text line);
 * inline, because it runs several times per record.
 */
static inline char *ssgw_json_dec_u64(char *end, uint64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
                                "31323334353637383940414243444546474849505152535455565758596061"
                                "62636465666768697071727374757677787980818283848586878889909192"
                                "93949596979899";
    char *p = end;
    while (v >= 100) {
        p -= 2;
        p[0] = pairs[2 * (v % 100)];
        p[1] = pairs[2 * (v % 100) + 1];
        v /= 100;
    }
    if (v >= 10) {
        p -= 2;
        p[0] = pairs[2 * v];
        p[1] = pairs[2 * v + 1];
    } else {
        *--p = (char)('0' + v);
    }
    return p;
}
/* The number of decimal digits of v (1..20): where ssgw_json_dec_u64's end goes. From the
 * bit length (log10 2 ~ 1233 / 4096) and one comparison, without a loop. */
static inline size_t ssgw_json_dec_len(uint64_t v)
{
    static const uint64_t pow10[20] = {1ull,
                                       10ull,
                                       100ull,
                                       1000ull,
                                       10000ull,
                                       100000ull,
                                       1000000ull,
                                       10000000ull,
                                       100000000ull,
                                       1000000000ull,
                                       10000000000ull,
                                       100000000000ull,
                                       1000000000000ull,
                                       10000000000000ull,
                                       100000000000000ull,
                                       1000000000000000ull,
                                       10000000000000000ull,
                                       100000000000000000ull,
                                       1000000000000000000ull,
                                       10000000000000000000ull};
    size_t t = (size_t)(64 - __builtin_clzll(v | 1)) * 1233 >> 12; /* 0..19 */
    return t + ((v | 1) >= pow10[t]);
}

void ssgw_json_object_end(ssgw_json *j);
void ssgw_json_array_end(ssgw_json *j);

#endif
