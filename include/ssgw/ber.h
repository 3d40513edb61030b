/*
 * ber.h - ASN.1 BER primitives shared by TCAP and MAP (ITU-T X.690).
 *
 * Reading: ssgw_ber_read() parses one TLV and returns a view into the caller's
 * buffer. Definite and indefinite lengths (X.690 8.1.3.6) are accepted; for an
 * indefinite length the contents view excludes the end-of-contents octets and
 * `total` includes them. Nesting is bounded by SSGW_BER_MAX_DEPTH. Nothing is
 * allocated; every length is checked before it is used.
 *
 * Writing: encoders append to an ssgw_buf. Constructed values are written with
 * ssgw_ber_open()/ssgw_ber_close(), which back-patch a minimal definite length.
 */
#ifndef SSGW_BER_H
#define SSGW_BER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"

#define SSGW_BER_MAX_DEPTH 24

enum {
    SSGW_BER_UNIVERSAL = 0,
    SSGW_BER_APPLICATION = 1,
    SSGW_BER_CONTEXT = 2,
    SSGW_BER_PRIVATE = 3
};

/* Universal tags used by the project. */
enum {
    SSGW_BER_TAG_BOOLEAN = 1,
    SSGW_BER_TAG_INTEGER = 2,
    SSGW_BER_TAG_BIT_STRING = 3,
    SSGW_BER_TAG_OCTET_STRING = 4,
    SSGW_BER_TAG_NULL = 5,
    SSGW_BER_TAG_OID = 6,
    SSGW_BER_TAG_EXTERNAL = 8,
    SSGW_BER_TAG_ENUMERATED = 10,
    SSGW_BER_TAG_SEQUENCE = 16,
    SSGW_BER_TAG_SET = 17,
};

typedef struct {
    uint8_t cls; /* SSGW_BER_UNIVERSAL .. SSGW_BER_PRIVATE */
    bool constructed;
    bool indefinite;    /* encoded with the indefinite length form */
    uint32_t tag;       /* tag number */
    const uint8_t *val; /* contents octets (points into the input) */
    size_t len;         /* length of the contents octets */
    size_t hdr_len;     /* identifier + length octets */
    size_t total;       /* whole encoding: hdr_len + len (+ 2 EOC octets if indefinite) */
} ssgw_ber_tlv;

/*
 * Parses the TLV at the start of buf. Returns 0, or -1 with err set (layer BER,
 * offset relative to buf). Trailing bytes after the TLV are the caller's business.
 */
int ssgw_ber_read(const uint8_t *buf, size_t len, ssgw_ber_tlv *out, ssgw_error *err);

/* Iterates the TLVs that make up a constructed value's contents. */
typedef struct {
    const uint8_t *buf;
    size_t len;
    size_t pos;
} ssgw_ber_iter;

static inline void ssgw_ber_iter_init(ssgw_ber_iter *it, const uint8_t *buf, size_t len)
{
    it->buf = buf;
    it->len = len;
    it->pos = 0;
}

/* 1: *tlv holds the next element; 0: end of contents; -1: malformed (err offset relative to
 * it->buf). */
int ssgw_ber_next(ssgw_ber_iter *it, ssgw_ber_tlv *tlv, ssgw_error *err);

static inline bool ssgw_ber_is(const ssgw_ber_tlv *t, uint8_t cls, uint32_t tag)
{
    return t->cls == cls && t->tag == tag;
}

/* Two's-complement INTEGER of 1..8 octets. Returns 0 or -1 (err names `field`). */
int ssgw_ber_get_int(const ssgw_ber_tlv *t, int64_t *out, const char *field, ssgw_error *err);

/* OBJECT IDENTIFIER contents -> "0.4.0.0.1.0.19.3". Returns string length, or -1. */
int ssgw_ber_oid_to_str(const uint8_t *val, size_t len, char *out, size_t outlen);
/* "0.4.0.0.1.0.19.3" -> contents octets. Returns length, or -1 when malformed or too long. */
int ssgw_ber_oid_from_str(const char *dotted, uint8_t *out, size_t outlen);

/* --- encoding --- */
void ssgw_ber_put_id(ssgw_buf *b, uint8_t cls, bool constructed, uint32_t tag);
void ssgw_ber_put_len(ssgw_buf *b, size_t len);
void ssgw_ber_put_tlv(ssgw_buf *b, uint8_t cls, bool constructed, uint32_t tag, const void *val,
                      size_t len);
/* INTEGER/ENUMERATED contents in the minimal two's-complement form. */
void ssgw_ber_put_int(ssgw_buf *b, uint8_t cls, uint32_t tag, int64_t v);
/* Starts a constructed value; returns a marker for ssgw_ber_close(). */
size_t ssgw_ber_open(ssgw_buf *b, uint8_t cls, uint32_t tag);
/* Ends the constructed value begun at marker, inserting its definite length. */
void ssgw_ber_close(ssgw_buf *b, size_t marker);

#endif
