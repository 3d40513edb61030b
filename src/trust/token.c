/*
 * token.c - the security token's ASN.1 codec (docs/wire-format.md, module
 * OpenSSGW-SecurityToken; DER per ITU-T X.690 clause 10).
 *
 *   SecurityToken ::= SEQUENCE {
 *       mode      [0] IMPLICIT ENUMERATED { ecdsa-p256(0), ed25519(1), hmac-sha256-128(2) },
 *       placement [1] IMPLICIT ENUMERATED { user-info-appended(0), user-info-added(1),
 *                                           dialogue-added(2), diameter-avp(3) },
 *       keyId     [2] IMPLICIT OCTET STRING (SIZE (8)),
 *       time      [3] IMPLICIT INTEGER (0..1099511627775),  -- seconds since 1970 UTC
 *       nonce     [4] IMPLICIT OCTET STRING (SIZE (8)),
 *       tag       [5] IMPLICIT OCTET STRING (SIZE (16 | 64)) }
 *
 * The decoder is strict (DER): definite minimal lengths, every field once and in order,
 * minimal INTEGER/ENUMERATED, nothing after the last field.
 *
 * Two paths (token_int.h): the layout is fixed per mode, so the token is written from a
 * template and read from fixed offsets; the general BER code handles (and names the error
 * of) anything that does not match the template.
 */
#include "ssgw/token.h"

#include <string.h>

#include "ssgw/ber.h"
#include "trust/token_int.h"

#define TIME_MAX ((1ull << 40) - 1)

static const size_t mode_tag_len[SSGW_TOKEN_MODE_COUNT] = {64, 64, SSGW_TOKEN_HMAC_TAG_LEN};
static const char *const placement_names[SSGW_TOKEN_PLACE_COUNT] = {
    "user-info-appended", "user-info-added", "dialogue-added", "diameter-avp"};

size_t ssgw_token_tag_len(int mode)
{
    return mode >= 0 && mode < SSGW_TOKEN_MODE_COUNT ? mode_tag_len[mode] : 0;
}

const char *ssgw_token_placement_name(int placement)
{
    return placement >= 0 && placement < SSGW_TOKEN_PLACE_COUNT ? placement_names[placement]
                                                                : "unknown";
}

static int fail(ssgw_error *err, ssgw_errcode code, const char *field, size_t off)
{
    return ssgw_fail(err, SSGW_LAYER_TCAP, code, field, off);
}

/* Reads the next field: context-specific primitive [tag], minimal definite length. */
static int next_field(const uint8_t *buf, size_t len, size_t *pos, uint32_t tag, const char *field,
                      ssgw_ber_tlv *t, ssgw_error *err)
{
    size_t at = *pos;
    if (at >= len) return fail(err, SSGW_E_MISSING, field, at);
    if (ssgw_ber_read(buf + at, len - at, t, err) < 0) {
        ssgw_error_rebase(err, at);
        err->layer = SSGW_LAYER_TCAP;
        err->field = field;
        return -1;
    }
    if (t->cls != SSGW_BER_CONTEXT || t->constructed || t->tag != tag)
        return fail(err, SSGW_E_BAD_TAG, field, at);
    /* DER: one identifier octet for tags < 31 and the minimal length form. */
    if (t->hdr_len != (t->len < 0x80 ? 2u : t->len < 0x100 ? 3u : 4u))
        return fail(err, SSGW_E_BAD_LENGTH, field, at);
    *pos = at + t->total;
    return 0;
}

/* A non-negative INTEGER/ENUMERATED contents in minimal form, at most max. */
static int get_uint(const ssgw_ber_tlv *t, uint64_t max, uint64_t *out, const char *field,
                    size_t off, ssgw_error *err)
{
    if (t->len == 0 || t->len > 6) return fail(err, SSGW_E_BAD_LENGTH, field, off);
    if (t->val[0] & 0x80) return fail(err, SSGW_E_BAD_VALUE, field, off);
    if (t->len > 1 && t->val[0] == 0 && !(t->val[1] & 0x80))
        return fail(err, SSGW_E_BAD_VALUE, field, off); /* non-minimal */
    uint64_t v = 0;
    for (size_t i = 0; i < t->len; i++)
        v = (v << 8) | t->val[i];
    if (v > max) return fail(err, SSGW_E_BAD_VALUE, field, off);
    *out = v;
    return 0;
}

int ssgw_token_decode_general(const uint8_t *buf, size_t len, ssgw_token *out, ssgw_error *err)
{
    ssgw_ber_tlv seq, f;
    memset(out, 0, sizeof *out);
    if (ssgw_ber_read(buf, len, &seq, err) < 0) {
        err->layer = SSGW_LAYER_TCAP;
        err->field = "security token";
        return -1;
    }
    if (seq.cls != SSGW_BER_UNIVERSAL || !seq.constructed || seq.tag != SSGW_BER_TAG_SEQUENCE)
        return fail(err, SSGW_E_BAD_TAG, "security token", 0);
    if (seq.indefinite || seq.hdr_len != (seq.len < 0x80 ? 2u : seq.len < 0x100 ? 3u : 4u))
        return fail(err, SSGW_E_BAD_LENGTH, "security token", 0);
    if (seq.total != len) return fail(err, SSGW_E_BAD_LENGTH, "security token", seq.total);

    size_t end = seq.hdr_len + seq.len, pos = seq.hdr_len, at;
    uint64_t v;

    at = pos;
    if (next_field(buf, end, &pos, 0, "security token mode", &f, err) < 0) return -1;
    if (get_uint(&f, SSGW_TOKEN_MODE_COUNT - 1, &v, "security token mode", at, err) < 0) return -1;
    out->mode = (ssgw_token_mode)v;

    at = pos;
    if (next_field(buf, end, &pos, 1, "security token placement", &f, err) < 0) return -1;
    if (get_uint(&f, SSGW_TOKEN_PLACE_COUNT - 1, &v, "security token placement", at, err) < 0)
        return -1;
    out->placement = (ssgw_token_placement)v;

    at = pos;
    if (next_field(buf, end, &pos, 2, "security token key id", &f, err) < 0) return -1;
    if (f.len != SSGW_KEY_ID_LEN) return fail(err, SSGW_E_BAD_LENGTH, "security token key id", at);
    memcpy(out->key_id, f.val, SSGW_KEY_ID_LEN);

    at = pos;
    if (next_field(buf, end, &pos, 3, "security token time", &f, err) < 0) return -1;
    if (get_uint(&f, TIME_MAX, &out->time, "security token time", at, err) < 0) return -1;

    at = pos;
    if (next_field(buf, end, &pos, 4, "security token nonce", &f, err) < 0) return -1;
    if (f.len != SSGW_TOKEN_NONCE_LEN)
        return fail(err, SSGW_E_BAD_LENGTH, "security token nonce", at);
    memcpy(out->nonce, f.val, SSGW_TOKEN_NONCE_LEN);

    at = pos;
    if (next_field(buf, end, &pos, 5, "security token tag", &f, err) < 0) return -1;
    if (f.len != ssgw_token_tag_len(out->mode))
        return fail(err, SSGW_E_BAD_LENGTH, "security token tag", at);
    memcpy(out->tag, f.val, f.len);
    out->tag_len = f.len;

    if (pos != end) return fail(err, SSGW_E_BAD_TAG, "security token extra field", pos);
    return 0;
}

/* Minimal non-negative INTEGER contents. */
static size_t uint_bytes(uint64_t v, uint8_t out[8])
{
    uint8_t tmp[9];
    size_t n = 0;
    do {
        tmp[n++] = (uint8_t)v;
        v >>= 8;
    } while (v);
    if (tmp[n - 1] & 0x80) tmp[n++] = 0;
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* What a token must be to be encoded. */
static int encodable(const ssgw_token *t, ssgw_error *err)
{
    if ((int)t->mode < 0 || t->mode >= SSGW_TOKEN_MODE_COUNT)
        return fail(err, SSGW_E_BAD_VALUE, "security token mode", 0);
    if ((int)t->placement < 0 || t->placement >= SSGW_TOKEN_PLACE_COUNT)
        return fail(err, SSGW_E_BAD_VALUE, "security token placement", 0);
    if (t->tag_len != ssgw_token_tag_len(t->mode))
        return fail(err, SSGW_E_BAD_LENGTH, "security token tag", 0);
    if (t->time > TIME_MAX) return fail(err, SSGW_E_BAD_VALUE, "security token time", 0);
    return 0;
}

int ssgw_token_encode_general(ssgw_buf *b, const ssgw_token *t, ssgw_error *err)
{
    uint8_t num[9];
    if (encodable(t, err) < 0) return -1;
    size_t m = ssgw_ber_open(b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE);
    ssgw_ber_put_tlv(b, SSGW_BER_CONTEXT, false, 0, num, uint_bytes((uint64_t)t->mode, num));
    ssgw_ber_put_tlv(b, SSGW_BER_CONTEXT, false, 1, num, uint_bytes((uint64_t)t->placement, num));
    ssgw_ber_put_tlv(b, SSGW_BER_CONTEXT, false, 2, t->key_id, SSGW_KEY_ID_LEN);
    ssgw_ber_put_tlv(b, SSGW_BER_CONTEXT, false, 3, num, uint_bytes(t->time, num));
    ssgw_ber_put_tlv(b, SSGW_BER_CONTEXT, false, 4, t->nonce, SSGW_TOKEN_NONCE_LEN);
    ssgw_ber_put_tlv(b, SSGW_BER_CONTEXT, false, 5, t->tag, t->tag_len);
    ssgw_ber_close(b, m);
    return 0;
}

/* ---- the template path ---- */

/* Offsets in the template: SEQUENCE header, mode [0], placement [1], key id [2], then the
 * time [3] whose length moves the nonce [4] and the tag [5]. Every length is < 128. */
enum { T_MODE = 4, T_PLACE = 7, T_KEY = 10, T_TIME = 18, T_HEAD = 20 };

size_t ssgw_token_der(const ssgw_token *t, uint8_t out[SSGW_TOKEN_DER_MAX])
{
    static const uint8_t head[T_TIME] = {0x30, 0, 0x80, 1, 0, 0x81, 1, 0, 0x82, SSGW_KEY_ID_LEN};
    uint8_t num[9];
    size_t tl = uint_bytes(t->time, num), p;
    memcpy(out, head, sizeof head);
    out[T_MODE] = (uint8_t)t->mode;
    out[T_PLACE] = (uint8_t)t->placement;
    memcpy(out + T_KEY, t->key_id, SSGW_KEY_ID_LEN);
    out[T_TIME] = 0x83;
    out[T_TIME + 1] = (uint8_t)tl;
    memcpy(out + T_HEAD, num, tl);
    p = T_HEAD + tl;
    out[p++] = 0x84;
    out[p++] = SSGW_TOKEN_NONCE_LEN;
    memcpy(out + p, t->nonce, SSGW_TOKEN_NONCE_LEN);
    p += SSGW_TOKEN_NONCE_LEN;
    out[p++] = 0x85;
    out[p++] = (uint8_t)t->tag_len;
    memcpy(out + p, t->tag, t->tag_len);
    p += t->tag_len;
    out[1] = (uint8_t)(p - 2);
    return p;
}

int ssgw_token_encode(ssgw_buf *b, const ssgw_token *t, ssgw_error *err)
{
    uint8_t der[SSGW_TOKEN_DER_MAX];
    if (encodable(t, err) < 0) return -1;
    ssgw_buf_put(b, der, ssgw_token_der(t, der));
    return 0;
}

/* The template read back: true (out filled as the general decoder would) when buf is
 * exactly a token of the fixed layout with a minimal time in range; false for anything
 * else, which the general decoder then judges. */
static bool decode_fixed(const uint8_t *b, size_t len, ssgw_token *out)
{
    if (len < T_HEAD + 1 + 12 || len > 0x81 || b[0] != 0x30 || b[1] != len - 2 ||
        b[T_MODE - 2] != 0x80 || b[T_MODE - 1] != 1 || b[T_MODE] >= SSGW_TOKEN_MODE_COUNT ||
        b[T_PLACE - 2] != 0x81 || b[T_PLACE - 1] != 1 || b[T_PLACE] >= SSGW_TOKEN_PLACE_COUNT ||
        b[T_KEY - 2] != 0x82 || b[T_KEY - 1] != SSGW_KEY_ID_LEN || b[T_TIME] != 0x83)
        return false;
    size_t tl = b[T_TIME + 1], taglen = ssgw_token_tag_len(b[T_MODE]), p = T_HEAD + tl;
    if (tl == 0 || tl > 6 || p + 2 + SSGW_TOKEN_NONCE_LEN + 2 + taglen != len ||
        (b[T_HEAD] & 0x80) || (tl > 1 && b[T_HEAD] == 0 && !(b[T_HEAD + 1] & 0x80)) ||
        b[p] != 0x84 || b[p + 1] != SSGW_TOKEN_NONCE_LEN || b[p + 10] != 0x85 ||
        b[p + 11] != taglen)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < tl; i++)
        v = (v << 8) | b[T_HEAD + i];
    if (v > TIME_MAX) return false;
    memset(out, 0, sizeof *out);
    out->mode = (ssgw_token_mode)b[T_MODE];
    out->placement = (ssgw_token_placement)b[T_PLACE];
    memcpy(out->key_id, b + T_KEY, SSGW_KEY_ID_LEN);
    out->time = v;
    memcpy(out->nonce, b + p + 2, SSGW_TOKEN_NONCE_LEN);
    memcpy(out->tag, b + p + 12, taglen);
    out->tag_len = taglen;
    return true;
}

int ssgw_token_decode(const uint8_t *buf, size_t len, ssgw_token *out, ssgw_error *err)
{
    if (decode_fixed(buf, len, out)) return 0;
    return ssgw_token_decode_general(buf, len, out, err);
}
