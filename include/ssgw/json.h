/*
 * json.h - a small JSON writer for records and events (JSON lines).
 *
 * Writes into caller-owned memory with no allocation; nesting is tracked so
 * commas are placed automatically. Strings are escaped per RFC 8259 and bytes
 * that are not valid printable ASCII are written as \u00XX, so peer data can
 * never break a record. On overflow the record is marked and the caller skips
 * or reports it.
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

/* key may be NULL inside arrays. */
void ssgw_json_str(ssgw_json *j, const char *key, const char *value);
void ssgw_json_strn(ssgw_json *j, const char *key, const char *value, size_t n);
void ssgw_json_int(ssgw_json *j, const char *key, long long value);
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
void ssgw_json_bool(ssgw_json *j, const char *key, bool value);
/* Bytes as a lower-case hex string. */
void ssgw_json_hex(ssgw_json *j, const char *key, const uint8_t *bytes, size_t n);
void ssgw_json_object_begin(ssgw_json *j, const char *key);
void ssgw_json_object_end(ssgw_json *j);
void ssgw_json_array_begin(ssgw_json *j, const char *key);
void ssgw_json_array_end(ssgw_json *j);

#endif
