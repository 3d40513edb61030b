/*
 * cert_profile.c - the signalling-identity certificate extension, key ids and
 * revocation reasons (include/ssgw/cert.h, docs/tsca.md).
 *
 * The SignallingIdentity DER is written and read with the project's BER
 * primitives (ITU-T X.690; DER rules of clause 10/11 enforced by re-encoding
 * the decoded value and comparing), so the decoder is allocation-free and
 * fuzzable on its own; OpenSSL carries the bytes as an X.509v3 extension
 * (RFC 5280 4.1, 4.2) and computes the SHA-256 key ids.
 */
#include "ssgw/cert.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "ssgw/ber.h"

enum {
    TAG_TN_RANGES = 4, /* [4] tnRanges; [1]..[3] are left to other claim lists */
    TAG_UTF8 = 12,
    TAG_NUMERIC = 18,
    TAG_PRINTABLE = 19,
};

#define FAIL(code, field, off) ssgw_fail(err, SSGW_LAYER_BER, (code), (field), (off))

/* --- constraints shared by encoder and decoder --- */

static bool valid_utf8_name(const uint8_t *s, size_t n)
{
    if (n == 0 || n >= SSGW_ID_NAME_MAX) return false;
    for (size_t i = 0; i < n;) {
        uint8_t c = s[i];
        size_t extra;
        uint32_t cp;
        if (c < 0x20 || c == 0x7f) return false; /* no control characters in a legal name */
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            extra = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i <= extra) return false;
        for (size_t k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        /* overlong forms, surrogates and values past U+10FFFF are not UTF-8 (RFC 3629) */
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
            (extra == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += extra + 1;
    }
    return true;
}

static bool valid_country(const uint8_t *s, size_t n)
{
    return n == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

static bool all_digits(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static bool valid_mccmnc(const uint8_t *s, size_t n)
{
    return (n == 5 || n == 6) && all_digits(s, n);
}

static bool valid_range(const ssgw_gt_range *r)
{
    size_t a = strlen(r->from), b = strlen(r->to);
    return a >= 1 && a <= SSGW_DIGITS_MAX && a == b && all_digits((const uint8_t *)r->from, a) &&
           all_digits((const uint8_t *)r->to, b) && strcmp(r->from, r->to) <= 0;
}

/* --- encoding --- */

/* The GtRange items of a SEQUENCE OF GtRange (gtRanges, tnRanges). */
static int put_ranges(ssgw_buf *out, const ssgw_gt_range *rs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const ssgw_gt_range *r = &rs[i];
        if (!valid_range(r)) return -1;
        size_t s = ssgw_ber_open(out, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE);
        ssgw_ber_put_tlv(out, SSGW_BER_UNIVERSAL, false, TAG_NUMERIC, r->from, strlen(r->from));
        ssgw_ber_put_tlv(out, SSGW_BER_UNIVERSAL, false, TAG_NUMERIC, r->to, strlen(r->to));
        ssgw_ber_close(out, s);
    }
    return 0;
}

int ssgw_cert_identity_encode(const ssgw_identity *id, ssgw_buf *out)
{
    size_t nl = strnlen(id->name, SSGW_ID_NAME_MAX);
    if (!valid_utf8_name((const uint8_t *)id->name, nl) ||
        !valid_country((const uint8_t *)id->country, strnlen(id->country, 3)) ||
        id->n_mccmnc > SSGW_ID_MAX_MCCMNC || id->n_gt > SSGW_ID_MAX_RANGES ||
        id->n_pc > SSGW_ID_MAX_PC || id->n_tn > SSGW_ID_MAX_TN)
        return -1;
    size_t top = ssgw_ber_open(out, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE);
    ssgw_ber_put_tlv(out, SSGW_BER_UNIVERSAL, false, TAG_UTF8, id->name, nl);
    ssgw_ber_put_tlv(out, SSGW_BER_UNIVERSAL, false, TAG_PRINTABLE, id->country, 2);
    size_t m = ssgw_ber_open(out, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE);
    for (size_t i = 0; i < id->n_mccmnc; i++) {
        size_t l = strnlen(id->mccmnc[i], sizeof id->mccmnc[i]);
        if (!valid_mccmnc((const uint8_t *)id->mccmnc[i], l)) return -1;
        ssgw_ber_put_tlv(out, SSGW_BER_UNIVERSAL, false, TAG_PRINTABLE, id->mccmnc[i], l);
    }
    ssgw_ber_close(out, m);
    size_t g = ssgw_ber_open(out, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE);
    if (put_ranges(out, id->gt, id->n_gt) < 0) return -1;
    ssgw_ber_close(out, g);
    if (id->n_pc > 0) {
        size_t p = ssgw_ber_open(out, SSGW_BER_CONTEXT, 0);
        for (size_t i = 0; i < id->n_pc; i++) {
            if (id->pc[i] > 16383) return -1;
            ssgw_ber_put_int(out, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_INTEGER, id->pc[i]);
        }
        ssgw_ber_close(out, p);
    }
    if (id->n_tn > 0) { /* telephone numbers: [4], only when claimed */
        size_t t = ssgw_ber_open(out, SSGW_BER_CONTEXT, TAG_TN_RANGES);
        if (put_ranges(out, id->tn, id->n_tn) < 0) return -1;
        ssgw_ber_close(out, t);
    }
    ssgw_ber_close(out, top);
    return out->overflow ? -1 : 0;
}

/* --- decoding --- */

/* Reads the next element of it, which must be a definite-length element with tag (cls, tag)
 * and the given form. base is the offset of it->buf within the caller's buffer. */
static int expect(ssgw_ber_iter *it, size_t base, uint8_t cls, uint32_t tag, bool constructed,
                  ssgw_ber_tlv *t, const char *field, ssgw_error *err)
{
    size_t at = base + it->pos;
    int r = ssgw_ber_next(it, t, err);
    if (r < 0) {
        ssgw_error_rebase(err, base);
        return -1;
    }
    if (r == 0) return FAIL(SSGW_E_MISSING, field, at);
    if (t->indefinite) return FAIL(SSGW_E_BAD_LENGTH, field, at);
    if (!ssgw_ber_is(t, cls, tag) || t->constructed != constructed)
        return FAIL(SSGW_E_BAD_TAG, field, at);
    return 0;
}

/* Reads the GtRange items of the SEQUENCE OF t into rs[0..max), *n of them. */
static int get_ranges(const uint8_t *der, const ssgw_ber_tlv *t, ssgw_gt_range *rs, size_t max,
                      size_t *n, const char *list, ssgw_error *err)
{
    size_t sbase = (size_t)(t->val - der);
    ssgw_ber_iter si;
    ssgw_ber_tlv e;
    ssgw_ber_iter_init(&si, t->val, t->len);
    while (si.pos < si.len) {
        if (*n == max) return FAIL(SSGW_E_TOO_BIG, list, sbase + si.pos);
        if (expect(&si, sbase, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE, true, &e, "GtRange",
                   err) < 0)
            return -1;
        size_t rbase = (size_t)(e.val - der);
        ssgw_ber_iter ri;
        ssgw_ber_tlv f, to;
        ssgw_ber_iter_init(&ri, e.val, e.len);
        if (expect(&ri, rbase, SSGW_BER_UNIVERSAL, TAG_NUMERIC, false, &f, "GtRange.from", err) <
                0 ||
            expect(&ri, rbase, SSGW_BER_UNIVERSAL, TAG_NUMERIC, false, &to, "GtRange.to", err) < 0)
            return -1;
        if (ri.pos != ri.len) return FAIL(SSGW_E_BAD_LENGTH, "GtRange", rbase + ri.pos);
        if (f.len < 1 || f.len > SSGW_DIGITS_MAX || !all_digits(f.val, f.len))
            return FAIL(SSGW_E_BAD_VALUE, "GtRange.from", (size_t)(f.val - der));
        if (to.len != f.len || !all_digits(to.val, to.len))
            return FAIL(SSGW_E_BAD_VALUE, "GtRange.to", (size_t)(to.val - der));
        ssgw_gt_range *r = &rs[*n];
        memcpy(r->from, f.val, f.len);
        r->from[f.len] = '\0';
        memcpy(r->to, to.val, to.len);
        r->to[to.len] = '\0';
        if (strcmp(r->from, r->to) > 0)
            return FAIL(SSGW_E_BAD_VALUE, "GtRange.to", (size_t)(to.val - der));
        (*n)++;
    }
    return 0;
}

static int decode_body(const uint8_t *der, size_t len, ssgw_identity *out, ssgw_error *err)
{
    ssgw_ber_tlv top, t, e;
    if (ssgw_ber_read(der, len, &top, err) < 0) return -1;
    if (!ssgw_ber_is(&top, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE) || !top.constructed)
        return FAIL(SSGW_E_BAD_TAG, "SignallingIdentity", 0);
    if (top.indefinite) return FAIL(SSGW_E_BAD_LENGTH, "SignallingIdentity", 0);
    if (top.total != len) return FAIL(SSGW_E_BAD_LENGTH, "trailing bytes", top.total);
    size_t base = top.hdr_len;
    ssgw_ber_iter it;
    ssgw_ber_iter_init(&it, top.val, top.len);

    if (expect(&it, base, SSGW_BER_UNIVERSAL, TAG_UTF8, false, &t, "legalName", err) < 0) return -1;
    if (!valid_utf8_name(t.val, t.len))
        return FAIL(SSGW_E_BAD_VALUE, "legalName", (size_t)(t.val - der));
    memcpy(out->name, t.val, t.len);
    out->name[t.len] = '\0';

    if (expect(&it, base, SSGW_BER_UNIVERSAL, TAG_PRINTABLE, false, &t, "country", err) < 0)
        return -1;
    if (!valid_country(t.val, t.len))
        return FAIL(SSGW_E_BAD_VALUE, "country", (size_t)(t.val - der));
    memcpy(out->country, t.val, 2);
    out->country[2] = '\0';

    if (expect(&it, base, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE, true, &t, "mccMnc", err) < 0)
        return -1;
    size_t sbase = (size_t)(t.val - der);
    ssgw_ber_iter si;
    ssgw_ber_iter_init(&si, t.val, t.len);
    while (si.pos < si.len) {
        if (out->n_mccmnc == SSGW_ID_MAX_MCCMNC)
            return FAIL(SSGW_E_TOO_BIG, "mccMnc", sbase + si.pos);
        if (expect(&si, sbase, SSGW_BER_UNIVERSAL, TAG_PRINTABLE, false, &e, "mccMnc", err) < 0)
            return -1;
        if (!valid_mccmnc(e.val, e.len))
            return FAIL(SSGW_E_BAD_VALUE, "mccMnc", (size_t)(e.val - der));
        memcpy(out->mccmnc[out->n_mccmnc], e.val, e.len);
        out->mccmnc[out->n_mccmnc++][e.len] = '\0';
    }

    if (expect(&it, base, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE, true, &t, "gtRanges", err) < 0)
        return -1;
    if (get_ranges(der, &t, out->gt, SSGW_ID_MAX_RANGES, &out->n_gt, "gtRanges", err) < 0)
        return -1;

    if (it.pos < it.len && it.buf[it.pos] == 0xa0) { /* [0] pointCodes */
        if (expect(&it, base, SSGW_BER_CONTEXT, 0, true, &t, "pointCodes", err) < 0) return -1;
        sbase = (size_t)(t.val - der);
        ssgw_ber_iter_init(&si, t.val, t.len);
        if (t.len == 0) return FAIL(SSGW_E_BAD_LENGTH, "pointCodes", sbase);
        while (si.pos < si.len) {
            if (out->n_pc == SSGW_ID_MAX_PC)
                return FAIL(SSGW_E_TOO_BIG, "pointCodes", sbase + si.pos);
            size_t at = sbase + si.pos;
            int64_t v;
            if (expect(&si, sbase, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_INTEGER, false, &e, "pointCode",
                       err) < 0)
                return -1;
            if (ssgw_ber_get_int(&e, &v, "pointCode", err) < 0) {
                ssgw_error_rebase(err, at);
                return -1;
            }
            if (v < 0 || v > 16383) return FAIL(SSGW_E_BAD_VALUE, "pointCode", at);
            out->pc[out->n_pc++] = (uint16_t)v;
        }
    }
    if (it.pos < it.len && it.buf[it.pos] == (0xa0 | TAG_TN_RANGES)) {
        /* telephone numbers: [4] tnRanges, at least one range when present */
        if (expect(&it, base, SSGW_BER_CONTEXT, TAG_TN_RANGES, true, &t, "tnRanges", err) < 0)
            return -1;
        if (t.len == 0) return FAIL(SSGW_E_BAD_LENGTH, "tnRanges", (size_t)(t.val - der));
        if (get_ranges(der, &t, out->tn, SSGW_ID_MAX_TN, &out->n_tn, "tnRanges", err) < 0)
            return -1;
    }
    if (it.pos < it.len) return FAIL(SSGW_E_BAD_TAG, "SignallingIdentity", base + it.pos);
    return 0;
}

int ssgw_cert_identity_decode(const uint8_t *der, size_t len, ssgw_identity *out, ssgw_error *err)
{
    memset(out, 0, sizeof *out);
    if (len > SSGW_IDENTITY_DER_MAX) return FAIL(SSGW_E_TOO_BIG, "SignallingIdentity", 0);
    if (decode_body(der, len, out, err) < 0) return -1;
    /* DER (X.690 clause 10): the one canonical encoding is what our encoder writes. */
    uint8_t tmp[SSGW_IDENTITY_DER_MAX];
    ssgw_buf b;
    ssgw_buf_init(&b, tmp, sizeof tmp);
    if (ssgw_cert_identity_encode(out, &b) < 0 || b.len != len || memcmp(tmp, der, len) != 0) {
        size_t off = 0;
        while (off < len && off < b.len && tmp[off] == der[off])
            off++;
        return FAIL(SSGW_E_BAD_VALUE, "not DER", off);
    }
    return 0;
}

bool ssgw_identity_equal(const ssgw_identity *a, const ssgw_identity *b)
{
    if (strcmp(a->name, b->name) || strcmp(a->country, b->country) || a->n_mccmnc != b->n_mccmnc ||
        a->n_gt != b->n_gt || a->n_pc != b->n_pc)
        return false;
    for (size_t i = 0; i < a->n_mccmnc; i++)
        if (strcmp(a->mccmnc[i], b->mccmnc[i])) return false;
    for (size_t i = 0; i < a->n_gt; i++)
        if (strcmp(a->gt[i].from, b->gt[i].from) || strcmp(a->gt[i].to, b->gt[i].to)) return false;
    for (size_t i = 0; i < a->n_pc; i++)
        if (a->pc[i] != b->pc[i]) return false;
    if (a->n_tn != b->n_tn) return false;
    for (size_t i = 0; i < a->n_tn; i++)
        if (strcmp(a->tn[i].from, b->tn[i].from) || strcmp(a->tn[i].to, b->tn[i].to)) return false;
    return true;
}

/* --- OpenSSL glue --- */

static ASN1_OBJECT *oid_identity, *oid_binding;
static pthread_once_t oid_once = PTHREAD_ONCE_INIT;

static void make_oids(void)
{
    /* no_name=1: parse the dotted form; the object is never registered globally. */
    oid_identity = OBJ_txt2obj(SSGW_OID_SIGNALLING_IDENTITY, 1);
    oid_binding = OBJ_txt2obj(SSGW_OID_KA_KEY_BINDING, 1);
}

const ASN1_OBJECT *ssgw_cert_identity_oid(void)
{
    pthread_once(&oid_once, make_oids);
    return oid_identity;
}

const ASN1_OBJECT *ssgw_cert_ka_binding_oid(void)
{
    pthread_once(&oid_once, make_oids);
    return oid_binding;
}

int ssgw_cert_get_identity(X509 *cert, ssgw_identity *out, ssgw_error *err)
{
    const ASN1_OBJECT *oid = ssgw_cert_identity_oid();
    memset(out, 0, sizeof *out);
    if (!oid) return FAIL(SSGW_E_UNSUPPORTED, "identity OID", 0);
    int idx = X509_get_ext_by_OBJ(cert, oid, -1);
    if (idx < 0) return FAIL(SSGW_E_MISSING, "signallingIdentity extension", 0);
    if (X509_get_ext_by_OBJ(cert, oid, idx) >= 0)
        return FAIL(SSGW_E_DUPLICATE, "signallingIdentity extension", 0);
    X509_EXTENSION *ext = X509_get_ext(cert, idx);
    ASN1_OCTET_STRING *os = X509_EXTENSION_get_data(ext);
    if (!os) return FAIL(SSGW_E_MISSING, "signallingIdentity extension", 0);
    return ssgw_cert_identity_decode(ASN1_STRING_get0_data(os), (size_t)ASN1_STRING_length(os), out,
                                     err);
}

X509_EXTENSION *ssgw_cert_identity_ext(const ssgw_identity *id)
{
    uint8_t der[SSGW_IDENTITY_DER_MAX];
    ssgw_buf b;
    ssgw_buf_init(&b, der, sizeof der);
    const ASN1_OBJECT *oid = ssgw_cert_identity_oid();
    if (!oid || ssgw_cert_identity_encode(id, &b) < 0) return NULL;
    ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
    if (!os || !ASN1_OCTET_STRING_set(os, der, (int)b.len)) {
        ASN1_OCTET_STRING_free(os);
        return NULL;
    }
    X509_EXTENSION *ext = X509_EXTENSION_create_by_OBJ(NULL, oid, 0, os);
    ASN1_OCTET_STRING_free(os);
    return ext;
}

int ssgw_pkey_spki_sha256(EVP_PKEY *pkey, uint8_t out[32])
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(pkey, &der);
    if (n <= 0) return -1;
    unsigned int mdlen = 0;
    int ok = EVP_Digest(der, (size_t)n, out, &mdlen, EVP_sha256(), NULL);
    OPENSSL_free(der);
    return ok && mdlen == 32 ? 0 : -1;
}

int ssgw_pkey_key_id(EVP_PKEY *pkey, uint8_t out[SSGW_KEY_ID_LEN])
{
    uint8_t h[32];
    if (ssgw_pkey_spki_sha256(pkey, h) < 0) return -1;
    memcpy(out, h, SSGW_KEY_ID_LEN);
    return 0;
}

int ssgw_cert_key_id(X509 *cert, uint8_t out[SSGW_KEY_ID_LEN])
{
    EVP_PKEY *k = X509_get0_pubkey(cert);
    return k ? ssgw_pkey_key_id(k, out) : -1;
}

char *ssgw_hex(const uint8_t *p, size_t n, char *out, size_t outlen)
{
    static const char hx[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n && o + 2 < outlen; i++) {
        out[o++] = hx[p[i] >> 4];
        out[o++] = hx[p[i] & 15];
    }
    if (outlen) out[o] = '\0';
    return out;
}

int ssgw_cert_serial_hex(X509 *cert, char *out, size_t outlen)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
    if (!bn) return -1;
    char *h = BN_bn2hex(bn);
    BN_free(bn);
    if (!h) return -1;
    size_t o = 0;
    for (const char *p = h; *p && o + 1 < outlen; p++)
        out[o++] = (char)((*p >= 'A' && *p <= 'F') ? *p - 'A' + 'a' : *p);
    out[o] = '\0';
    /* BN_bn2hex writes "0" for zero and no leading zeros except a possible "0" pad byte. */
    while (out[0] == '0' && out[1])
        memmove(out, out + 1, strlen(out));
    OPENSSL_free(h);
    return 0;
}

int ssgw_asn1_time_to_time_t(const ASN1_TIME *t, time_t *out)
{
    struct tm tm;
    if (!t || !ASN1_TIME_to_tm(t, &tm)) return -1;
    *out = timegm(&tm);
    return 0;
}

static const struct {
    ssgw_revoke_reason r;
    const char *name;
} reasons[] = {
    {SSGW_REVOKE_UNSPECIFIED, "unspecified"},
    {SSGW_REVOKE_KEY_COMPROMISE, "keyCompromise"},
    {SSGW_REVOKE_CA_COMPROMISE, "cACompromise"},
    {SSGW_REVOKE_AFFILIATION_CHANGED, "affiliationChanged"},
    {SSGW_REVOKE_SUPERSEDED, "superseded"},
    {SSGW_REVOKE_CESSATION_OF_OPERATION, "cessationOfOperation"},
    {SSGW_REVOKE_CERTIFICATE_HOLD, "certificateHold"},
    {SSGW_REVOKE_PRIVILEGE_WITHDRAWN, "privilegeWithdrawn"},
};

const char *ssgw_revoke_reason_name(ssgw_revoke_reason r)
{
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].r == r) return reasons[i].name;
    return "unknown";
}

int ssgw_revoke_reason_parse(const char *s, ssgw_revoke_reason *out)
{
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (!strcasecmp(reasons[i].name, s)) {
            *out = reasons[i].r;
            return 0;
        }
    return -1;
}
