/*
 * ber.c - ASN.1 BER reader and writer (ITU-T X.690 clause 8).
 *
 * Identifier octets: 8.1.2 (high tag numbers in base 128); length octets: 8.1.3
 * (short, long up to 4 octets here, indefinite for constructed values only,
 * terminated by end-of-contents 00 00 per 8.1.5). Indefinite lengths are
 * resolved by walking the nested elements, bounded by SSGW_BER_MAX_DEPTH.
 * Written by hand for speed: an OID's dotted arcs are read digit by digit (arc_value), not
 * with strtoull (every SS7 answer with a dialogue parses its context's text; measured).
 */
#include "ssgw/ber.h"

#include <stdio.h>
#include <string.h>

static int fail(ssgw_error *err, ssgw_errcode code, const char *field, size_t off)
{
    return ssgw_fail(err, SSGW_LAYER_BER, code, field, off);
}

static int read_tlv(const uint8_t *buf, size_t len, ssgw_ber_tlv *out, ssgw_error *err,
                    unsigned depth)
{
    size_t pos = 0;
    if (depth > SSGW_BER_MAX_DEPTH) return fail(err, SSGW_E_TOO_DEEP, "nesting", 0);
    if (len < 2) return fail(err, SSGW_E_TRUNCATED, "identifier", 0);
    uint8_t id = buf[pos++];
    out->cls = id >> 6;
    out->constructed = (id & 0x20) != 0;
    out->tag = id & 0x1f;
    if (out->tag == 0x1f) {
        uint32_t tag = 0;
        for (int n = 0;; n++) {
            if (pos >= len) return fail(err, SSGW_E_TRUNCATED, "identifier", pos);
            if (n == 4 || (n == 0 && buf[pos] == 0x80))
                return fail(err, SSGW_E_BAD_VALUE, "tag number", pos);
            uint8_t c = buf[pos++];
            tag = (tag << 7) | (c & 0x7f);
            if (!(c & 0x80)) break;
        }
        out->tag = tag;
    }
    if (pos >= len) return fail(err, SSGW_E_TRUNCATED, "length", pos);
    uint8_t l0 = buf[pos++];
    out->indefinite = false;
    if (l0 < 0x80) {
        out->len = l0;
    } else if (l0 == 0x80) {
        if (!out->constructed)
            return fail(err, SSGW_E_BAD_LENGTH, "indefinite length on primitive", pos - 1);
        out->indefinite = true;
    } else {
        size_t n = l0 & 0x7f;
        if (n > 4) return fail(err, SSGW_E_BAD_LENGTH, "length", pos - 1);
        if (len - pos < n) return fail(err, SSGW_E_TRUNCATED, "length", pos);
        size_t v = 0;
        for (size_t i = 0; i < n; i++)
            v = (v << 8) | buf[pos++];
        out->len = v;
    }
    out->hdr_len = pos;
    out->val = buf + pos;
    if (!out->indefinite) {
        if (out->len > len - pos) return fail(err, SSGW_E_TRUNCATED, "contents", pos);
        out->total = pos + out->len;
        return 0;
    }
    /* Indefinite: walk children until end-of-contents. */
    size_t p = pos;
    for (;;) {
        if (len - p < 2) return fail(err, SSGW_E_TRUNCATED, "end-of-contents", p);
        if (buf[p] == 0 && buf[p + 1] == 0) break;
        ssgw_ber_tlv child = {0};
        if (read_tlv(buf + p, len - p, &child, err, depth + 1) < 0) {
            ssgw_error_rebase(err, p);
            return -1;
        }
        p += child.total;
    }
    out->len = p - pos;
    out->total = p + 2;
    return 0;
}

int ssgw_ber_read(const uint8_t *buf, size_t len, ssgw_ber_tlv *out, ssgw_error *err)
{
    /* Fast path: low tag number and short definite length, the common case in MAP. */
    if (len >= 2 && (buf[0] & 0x1f) != 0x1f && buf[1] < 0x80 && buf[1] <= len - 2) {
        out->cls = buf[0] >> 6;
        out->constructed = (buf[0] & 0x20) != 0;
        out->tag = buf[0] & 0x1f;
        out->indefinite = false;
        out->len = buf[1];
        out->hdr_len = 2;
        out->val = buf + 2;
        out->total = 2 + (size_t)buf[1];
        return 0;
    }
    return read_tlv(buf, len, out, err, 0);
}

int ssgw_ber_next(ssgw_ber_iter *it, ssgw_ber_tlv *tlv, ssgw_error *err)
{
    if (it->pos >= it->len) return 0;
    if (ssgw_ber_read(it->buf + it->pos, it->len - it->pos, tlv, err) < 0) {
        ssgw_error_rebase(err, it->pos);
        return -1;
    }
    it->pos += tlv->total;
    return 1;
}

int ssgw_ber_get_int(const ssgw_ber_tlv *t, int64_t *out, const char *field, ssgw_error *err)
{
    if (t->len < 1 || t->len > 8 || t->constructed) return fail(err, SSGW_E_BAD_LENGTH, field, 0);
    uint64_t v = (t->val[0] & 0x80) ? UINT64_MAX : 0;
    for (size_t i = 0; i < t->len; i++)
        v = (v << 8) | t->val[i];
    *out = (int64_t)v;
    return 0;
}

/*
 * OID text <-> contents (X.690 8.19). Arcs may exceed 64 bits: X.667 puts UUIDs under
 * 2.25 as 128-bit integers (OpenSSGW's own OIDs are such). Arcs up to
 * SSGW_OID_ARC_DIGITS decimal digits are handled with a small decimal big number.
 */
#define SSGW_OID_ARC_DIGITS 64

static size_t put_u64(char *out, size_t cap, size_t o, uint64_t v, bool *ok)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (cap - o <= n) {
        *ok = false;
        return o;
    }
    while (n)
        out[o++] = tmp[--n];
    return o;
}

/* Writes the sub-identifier in val[0..n) (base-128 groups) in decimal, any size. */
static size_t put_big_arc(char *out, size_t cap, size_t o, const uint8_t *val, size_t n, bool *ok)
{
    uint8_t dec[SSGW_OID_ARC_DIGITS]; /* little-endian decimal digits */
    size_t nd = 1;
    dec[0] = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned carry = val[i] & 0x7f;
        for (size_t k = 0; k < nd; k++) {
            unsigned x = dec[k] * 128u + carry;
            dec[k] = (uint8_t)(x % 10);
            carry = x / 10;
        }
        while (carry) {
            if (nd == sizeof dec) {
                *ok = false;
                return o;
            }
            dec[nd++] = (uint8_t)(carry % 10);
            carry /= 10;
        }
    }
    if (cap - o <= nd) {
        *ok = false;
        return o;
    }
    while (nd)
        out[o++] = (char)('0' + dec[--nd]);
    return o;
}

int ssgw_ber_oid_to_str(const uint8_t *val, size_t len, char *out, size_t outlen)
{
    size_t o = 0, start = 0;
    bool first = true, ok = true;
    if (len == 0 || outlen == 0 || (val[len - 1] & 0x80)) return -1;
    for (size_t i = 0; i < len; i++) {
        if (i == start && val[i] == 0x80) return -1; /* non-minimal sub-identifier (X.690 8.19.2) */
        if (val[i] & 0x80) continue;
        size_t groups = i + 1 - start;
        if (groups <= 9) { /* 63 bits: fits */
            uint64_t arc = 0;
            for (size_t k = start; k <= i; k++)
                arc = (arc << 7) | (val[k] & 0x7f);
            if (first) {
                unsigned a = arc < 40 ? 0 : arc < 80 ? 1 : 2;
                o = put_u64(out, outlen, o, a, &ok);
                if (!ok || outlen - o < 2) return -1;
                out[o++] = '.';
                o = put_u64(out, outlen, o, arc - 40ull * a, &ok);
            } else {
                if (outlen - o < 2) return -1;
                out[o++] = '.';
                o = put_u64(out, outlen, o, arc, &ok);
            }
        } else {
            if (first) return -1; /* a huge first sub-identifier (2.<huge>) is not supported */
            if (outlen - o < 2) return -1;
            out[o++] = '.';
            o = put_big_arc(out, outlen, o, val + start, groups, &ok);
        }
        if (!ok) return -1;
        first = false;
        start = i + 1;
    }
    out[o] = 0;
    return (int)o;
}

static size_t put_base128(uint8_t *out, size_t outlen, size_t o, uint64_t v, bool *ok)
{
    uint8_t tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = v & 0x7f;
        v >>= 7;
    } while (v);
    if (outlen - o < n) {
        *ok = false;
        return o;
    }
    while (n--)
        out[o++] = tmp[n] | (n ? 0x80 : 0);
    return o;
}

/* The decimal arc text[0..n) (no leading zeros beyond "0") in base 128, any size. */
static size_t put_big_base128(uint8_t *out, size_t outlen, size_t o, const char *text, size_t n,
                              bool *ok)
{
    uint8_t dec[SSGW_OID_ARC_DIGITS], groups[SSGW_OID_ARC_DIGITS];
    size_t ng = 0, start = 0;
    for (size_t i = 0; i < n; i++)
        dec[i] = (uint8_t)(text[i] - '0');
    while (start < n) { /* divide the decimal number by 128, collecting remainders */
        unsigned rem = 0;
        for (size_t i = start; i < n; i++) {
            unsigned x = rem * 10 + dec[i];
            dec[i] = (uint8_t)(x / 128);
            rem = x % 128;
        }
        groups[ng++] = (uint8_t)rem;
        while (start < n && dec[start] == 0)
            start++;
    }
    if (ng == 0) groups[ng++] = 0;
    if (outlen - o < ng) {
        *ok = false;
        return o;
    }
    while (ng--)
        out[o++] = groups[ng] | (ng ? 0x80 : 0);
    return o;
}

/* The value of the nd (1..19) decimal digits at d: below 10^19 < 2^64. By hand rather than
 * strtoull, which takes ~100 instructions an arc for its locale and sign handling (an
 * answer's dialogue, ssgw_tcap_encode_dialogue, parses its context's dotted text: measured
 * ~1,000 instructions an answer). */
static uint64_t arc_value(const char *d, size_t nd)
{
    uint64_t v = 0;
    for (size_t i = 0; i < nd; i++)
        v = v * 10 + (uint64_t)(d[i] - '0');
    return v;
}

int ssgw_ber_oid_from_str(const char *s, uint8_t *out, size_t outlen)
{
    uint64_t first[2] = {0, 0};
    size_t n = 0, o = 0;
    bool ok = true;
    const char *p = s;
    while (*p) {
        const char *d = p;
        while (*p >= '0' && *p <= '9')
            p++;
        size_t nd = (size_t)(p - d);
        if (nd == 0 || nd > SSGW_OID_ARC_DIGITS || (nd > 1 && d[0] == '0')) return -1;
        if (*p == '.') {
            p++;
            if (!*p) return -1; /* trailing dot */
        } else if (*p) {
            return -1;
        }
        if (n < 2) { /* the first two arcs make one sub-identifier */
            if (nd > 19) return -1;
            first[n] = arc_value(d, nd);
            if (n == 1) {
                if (first[0] > 2 || (first[0] < 2 && first[1] > 39)) return -1;
                o = put_base128(out, outlen, o, first[0] * 40 + first[1], &ok);
            }
        } else if (nd <= 19) {
            o = put_base128(out, outlen, o, arc_value(d, nd), &ok);
        } else {
            o = put_big_base128(out, outlen, o, d, nd, &ok);
        }
        if (!ok) return -1;
        n++;
    }
    return n >= 2 ? (int)o : -1;
}

void ssgw_ber_put_id(ssgw_buf *b, uint8_t cls, bool constructed, uint32_t tag)
{
    uint8_t id = (uint8_t)((cls << 6) | (constructed ? 0x20 : 0));
    if (tag < 31) {
        ssgw_buf_put_u8(b, id | (uint8_t)tag);
        return;
    }
    uint8_t tmp[6];
    size_t n = 0;
    do {
        tmp[n++] = tag & 0x7f;
        tag >>= 7;
    } while (tag);
    ssgw_buf_put_u8(b, id | 0x1f);
    while (n--)
        ssgw_buf_put_u8(b, tmp[n] | (n ? 0x80 : 0));
}

static size_t len_octets(size_t len, uint8_t *tmp)
{
    if (len < 0x80) {
        tmp[0] = (uint8_t)len;
        return 1;
    }
    size_t n = 0;
    uint8_t rev[8];
    while (len) {
        rev[n++] = (uint8_t)len;
        len >>= 8;
    }
    tmp[0] = (uint8_t)(0x80 | n);
    for (size_t i = 0; i < n; i++)
        tmp[1 + i] = rev[n - 1 - i];
    return n + 1;
}

void ssgw_ber_put_len(ssgw_buf *b, size_t len)
{
    uint8_t tmp[9];
    ssgw_buf_put(b, tmp, len_octets(len, tmp));
}

void ssgw_ber_put_tlv(ssgw_buf *b, uint8_t cls, bool constructed, uint32_t tag, const void *val,
                      size_t len)
{
    ssgw_ber_put_id(b, cls, constructed, tag);
    ssgw_ber_put_len(b, len);
    ssgw_buf_put(b, val, len);
}

void ssgw_ber_put_int(ssgw_buf *b, uint8_t cls, uint32_t tag, int64_t v)
{
    uint8_t tmp[8];
    size_t n = 8;
    for (int i = 7; i >= 0; i--) {
        tmp[i] = (uint8_t)v;
        v >>= 8; /* arithmetic shift on the platforms we build for */
    }
    size_t start = 0;
    while (start < 7 && ((tmp[start] == 0x00 && !(tmp[start + 1] & 0x80)) ||
                         (tmp[start] == 0xff && (tmp[start + 1] & 0x80))))
        start++;
    n -= start;
    ssgw_ber_put_tlv(b, cls, false, tag, tmp + start, n);
}

size_t ssgw_ber_open(ssgw_buf *b, uint8_t cls, uint32_t tag)
{
    ssgw_ber_put_id(b, cls, true, tag);
    return b->len;
}

void ssgw_ber_close(ssgw_buf *b, size_t marker)
{
    if (b->overflow || marker > b->len) {
        b->overflow = true;
        return;
    }
    uint8_t tmp[9];
    size_t n = len_octets(b->len - marker, tmp);
    ssgw_buf_insert(b, marker, tmp, n);
}
