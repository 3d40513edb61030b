/*
 * sign.c - the cryptography of the security token (docs/wire-format.md "Signature
 * input" and "Modes") and the SCCP repacking of a signed or stripped message.
 *
 * Modes (all through OpenSSL; nothing home-made):
 *  - ecdsa-p256: ECDSA over SHA-256(tbs) (FIPS 186-4 / SEC 1), the signature carried
 *    as raw r||s (32 + 32 octets) instead of DER (70-72 octets). Signing calls
 *    ECDSA_do_sign on the key's EC_KEY, which returns r and s as numbers: EVP_PKEY_sign
 *    runs the same signing function (ossl_ecdsa_simple_sign_sig, same nonce path) and then
 *    DER-encodes the result, which we would only parse back; the encoding and the provider
 *    dispatch were 3.4 % of a signature's instructions (issue 16: 252,007 -> 243,5xx per
 *    signature, docs/BENCHMARKS.md "Second pass on the same floor"). EC_KEY and
 *    ECDSA_do_sign are deprecated in OpenSSL 3.0 but supported. The key must be one
 *    OpenSSL can hold as an EC_KEY (a PEM or DER file, as ssgw_key_load reads): a key only
 *    a provider holds (an HSM through PKCS#11) would need the EVP_PKEY_sign path back, and
 *    in FIPS mode this runs the default provider's code, not the FIPS provider's.
 *    Verifying writes the DER that EVP_PKEY_verify reads (no allocation).
 *  - ed25519: PureEdDSA (RFC 8032) over tbs, 64 octets.
 *  - hmac-sha256-128: HMAC-SHA256 (RFC 2104) with the pairwise key, truncated to the
 *    first 16 octets (RFC 2104 section 5 allows truncation to >= half the output; 128
 *    bits is the usual floor, e.g. RFC 4868 uses 128 for HMAC-SHA256 in IPsec), from
 *    keyed SHA-256 states kept per pairwise key (hmac_sha256.c: twice as fast as EVP_MAC).
 * Comparison of MACs is constant time (CRYPTO_memcmp).
 *
 * Contexts are reused across messages (the EC_KEY of the own signing key,
 * verification contexts for the last few signers, keyed HMAC states for the last few
 * pairwise keys) because setting them up costs as much as the operation itself.
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* EC_KEY, ECDSA_do_sign: see the head of the file */

#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "ssgw/digits.h"
#include "ssgw/token.h"
#include "trust/hmac_int.h"

#define TBS_MAGIC   "SSGWTOKEN2"
#define VERIFY_CTXS 8
#define MAC_CTXS    8 /* keyed HMAC states kept: one per recent pairwise key */

struct ssgw_token_crypto {
    EVP_PKEY *sign_key; /* key of sign_ec (a reference) */
    EC_KEY *sign_ec;    /* the EC_KEY sign_key holds (owned by sign_key) */
    /* verification: a context per recent signer (traffic interleaves partners), the
     * oldest replaced */
    EVP_PKEY *verify_key[VERIFY_CTXS]; /* key of verify_ctx[i] (a reference) */
    EVP_PKEY_CTX *verify_ctx[VERIFY_CTXS];
    unsigned verify_next;
    /* fast mode: a keyed HMAC state per recent pairwise key (traffic interleaves
     * partners, and keying costs two SHA-256 blocks), the oldest replaced */
    ssgw_hmac_sha256 *mac[MAC_CTXS]; /* keyed with mac_key[i] when mac_keyed[i] */
    bool mac_keyed[MAC_CTXS];
    uint8_t mac_key[MAC_CTXS][SSGW_PAIRWISE_KEY_LEN];
    unsigned mac_next;
    EVP_MD *sha256; /* fetched once */
    EVP_MD_CTX *md; /* SHA-256 of the ECDSA input, reused */
    uint8_t *join;  /* Ed25519: the two pieces joined */
    size_t join_cap;
};

static uint8_t *put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return p + 4;
}

/* One party: digits length (1), digits, SSN (1). */
static uint8_t *put_party(uint8_t *p, const char *gt, size_t gl, uint8_t ssn)
{
    *p++ = (uint8_t)gl;
    if (gl) memcpy(p, gt, gl);
    p += gl;
    *p++ = ssn;
    return p;
}

int ssgw_token_tbs_head(const ssgw_token *t, const uint8_t *recipient_id,
                        const ssgw_token_parties *parties, size_t tcap_len, uint8_t *head)
{
    static const uint8_t zero[SSGW_KEY_ID_LEN];
    const char *calling = parties ? parties->calling_gt : NULL;
    const char *called = parties ? parties->called_gt : NULL;
    size_t gl = calling ? strnlen(calling, SSGW_DIGITS_MAX + 1) : 0;
    size_t dl = called ? strnlen(called, SSGW_DIGITS_MAX + 1) : 0;
    if (gl > SSGW_DIGITS_MAX || dl > SSGW_DIGITS_MAX || tcap_len > UINT32_MAX) return -1;
    uint8_t *p = head;
    memcpy(p, TBS_MAGIC, sizeof TBS_MAGIC - 1);
    p += sizeof TBS_MAGIC - 1;
    *p++ = (uint8_t)t->mode;
    *p++ = (uint8_t)t->placement;
    memcpy(p, t->key_id, SSGW_KEY_ID_LEN);
    p += SSGW_KEY_ID_LEN;
    memcpy(p, t->mode == SSGW_TOKEN_MODE_HMAC && recipient_id ? recipient_id : zero,
           SSGW_KEY_ID_LEN);
    p += SSGW_KEY_ID_LEN;
    p = put_be32(p, (uint32_t)(t->time >> 32));
    p = put_be32(p, (uint32_t)t->time);
    memcpy(p, t->nonce, SSGW_TOKEN_NONCE_LEN);
    p += SSGW_TOKEN_NONCE_LEN;
    p = put_party(p, calling, gl, parties ? parties->calling_ssn : 0);
    p = put_party(p, called, dl, parties ? parties->called_ssn : 0);
    p = put_be32(p, (uint32_t)tcap_len);
    return (int)(p - head);
}

int ssgw_token_tbs(const ssgw_token *t, const uint8_t *recipient_id,
                   const ssgw_token_parties *parties, const uint8_t *tcap, size_t len,
                   ssgw_buf *out)
{
    uint8_t head[SSGW_TOKEN_TBS_HEAD_MAX];
    int hn = ssgw_token_tbs_head(t, recipient_id, parties, len, head);
    if (hn < 0) return -1;
    ssgw_buf_put(out, head, (size_t)hn);
    ssgw_buf_put(out, tcap, len);
    return out->overflow ? -1 : 0;
}

ssgw_token_crypto *ssgw_token_crypto_new(void)
{
    ssgw_token_crypto *c = OPENSSL_zalloc(sizeof *c);
    if (!c) return NULL;
    bool macs = true;
    for (unsigned i = 0; i < MAC_CTXS; i++)
        macs = (c->mac[i] = ssgw_hmac_sha256_new()) != NULL && macs;
    c->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    c->md = EVP_MD_CTX_new();
    if (!macs || !c->sha256 || !c->md) {
        ssgw_token_crypto_free(c);
        return NULL;
    }
    return c;
}

void ssgw_token_crypto_free(ssgw_token_crypto *c)
{
    if (!c) return;
    EVP_PKEY_free(c->sign_key);
    for (unsigned i = 0; i < VERIFY_CTXS; i++) {
        EVP_PKEY_CTX_free(c->verify_ctx[i]);
        EVP_PKEY_free(c->verify_key[i]);
    }
    for (unsigned i = 0; i < MAC_CTXS; i++)
        ssgw_hmac_sha256_free(c->mac[i]);
    EVP_MD_CTX_free(c->md);
    EVP_MD_free(c->sha256);
    OPENSSL_clear_free(c->join, c->join_cap);
    OPENSSL_cleanse(c->mac_key, sizeof c->mac_key);
    OPENSSL_free(c);
}

static bool is_p256(EVP_PKEY *k)
{
    char group[32];
    size_t gl = 0;
    return k && EVP_PKEY_is_a(k, "EC") &&
           EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                          &gl) &&
           (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0);
}

/* 1 when the two pairwise keys are equal, in time that does not depend on where they differ
 * (CRYPTO_memcmp's byte loop cost more than a keyed MAC's own work under callgrind). */
static int same_key(const uint8_t *a, const uint8_t *b)
{
    uint64_t d = 0;
    for (size_t i = 0; i < SSGW_PAIRWISE_KEY_LEN; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        d |= x ^ y;
    }
    return d == 0;
}
_Static_assert(SSGW_PAIRWISE_KEY_LEN % 8 == 0, "same_key compares 8 octets at a time");

/* HMAC-SHA256(key, a || b) into out[32], from the state keyed with key: a kept one, or the
 * oldest slot keyed again. */
static int hmac(ssgw_token_crypto *c, const uint8_t *key, const uint8_t *a, size_t an,
                const uint8_t *b, size_t bn, uint8_t out[32])
{
    unsigned i = 0;
    while (i < MAC_CTXS && !(c->mac_keyed[i] && same_key(c->mac_key[i], key)))
        i++;
    if (i == MAC_CTXS) {
        i = c->mac_next++ % MAC_CTXS;
        ssgw_hmac_sha256_set_key(c->mac[i], key, SSGW_PAIRWISE_KEY_LEN);
        memcpy(c->mac_key[i], key, SSGW_PAIRWISE_KEY_LEN);
        c->mac_keyed[i] = true;
    }
    ssgw_hmac_sha256_mac2(c->mac[i], a, an, b, bn, out);
    return 0;
}

/* SHA-256(a || b) into md[32] with the reused digest context. */
static int sha256(ssgw_token_crypto *c, const uint8_t *a, size_t an, const uint8_t *b, size_t bn,
                  uint8_t md[32])
{
    unsigned int mdlen = 0;
    return EVP_DigestInit_ex(c->md, c->sha256, NULL) && EVP_DigestUpdate(c->md, a, an) &&
                   (!bn || EVP_DigestUpdate(c->md, b, bn)) &&
                   EVP_DigestFinal_ex(c->md, md, &mdlen) && mdlen == 32
               ? 0
               : -1;
}

/* a || b as one buffer (Ed25519 signs the whole message); NULL on allocation failure. */
static const uint8_t *joined(ssgw_token_crypto *c, const uint8_t *a, size_t an, const uint8_t *b,
                             size_t bn)
{
    if (!bn) return a;
    if (an + bn > c->join_cap) {
        size_t cap = an + bn < 1024 ? 1024 : an + bn;
        uint8_t *n = OPENSSL_malloc(cap);
        if (!n) return NULL;
        OPENSSL_clear_free(c->join, c->join_cap);
        c->join = n;
        c->join_cap = cap;
    }
    memcpy(c->join, a, an);
    memcpy(c->join + an, b, bn);
    return c->join;
}

/* A pkey context for key, initialised for verifying, cached in ctx and ckey. */
static EVP_PKEY_CTX *verify_pkey_ctx(EVP_PKEY *key, EVP_PKEY **ckey, EVP_PKEY_CTX **ctx)
{
    if (*ctx && *ckey == key) return *ctx; /* checked to be EC P-256 when it was cached */
    EVP_PKEY_CTX_free(*ctx);
    EVP_PKEY_free(*ckey);
    *ctx = NULL;
    *ckey = NULL;
    if (!is_p256(key)) return NULL;
    EVP_PKEY_CTX *n = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    if (!n) return NULL;
    if (EVP_PKEY_verify_init(n) <= 0 || EVP_PKEY_CTX_set_signature_md(n, EVP_sha256()) <= 0 ||
        !EVP_PKEY_up_ref(key)) {
        EVP_PKEY_CTX_free(n);
        return NULL;
    }
    *ctx = n;
    *ckey = key;
    return n;
}

/* The EC_KEY of the P-256 signing key, cached with a reference to key; NULL when key is
 * not EC P-256. */
static EC_KEY *sign_ec_key(ssgw_token_crypto *c, EVP_PKEY *key)
{
    if (c->sign_ec && c->sign_key == key) return c->sign_ec;
    EVP_PKEY_free(c->sign_key);
    c->sign_key = NULL;
    c->sign_ec = NULL;
    /* get0 hands out the key's own (const) EC_KEY; ECDSA_do_sign only reads it */
    EC_KEY *ec = is_p256(key) ? (EC_KEY *)EVP_PKEY_get0_EC_KEY(key) : NULL;
    if (!ec || !EVP_PKEY_up_ref(key)) return NULL;
    c->sign_key = key;
    c->sign_ec = ec;
    return ec;
}

/* ECDSA over the 32-octet digest md as raw r||s (two 32-octet big-endian numbers). */
static int ecdsa_sign_raw(EC_KEY *ec, const uint8_t md[32], uint8_t raw[64])
{
    ECDSA_SIG *sig = ECDSA_do_sign(md, 32, ec);
    if (!sig) return -1;
    const BIGNUM *r = NULL, *s = NULL;
    ECDSA_SIG_get0(sig, &r, &s);
    int ok = BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(s, raw + 32, 32) == 32;
    ECDSA_SIG_free(sig);
    return ok ? 0 : -1;
}

/* The verification context of key: a cached one, or a new one in the oldest slot. */
static EVP_PKEY_CTX *verify_ctx(ssgw_token_crypto *c, EVP_PKEY *key)
{
    for (unsigned i = 0; i < VERIFY_CTXS; i++)
        if (c->verify_ctx[i] && c->verify_key[i] == key) return c->verify_ctx[i];
    unsigned i = c->verify_next++ % VERIFY_CTXS;
    return verify_pkey_ctx(key, &c->verify_key[i], &c->verify_ctx[i]);
}

int ssgw_token_make_tag2(ssgw_token_crypto *c, ssgw_token *t, EVP_PKEY *sign_priv,
                         const uint8_t *pairwise, const uint8_t *a, size_t an, const uint8_t *b,
                         size_t bn)
{
    uint8_t md[32];
    switch (t->mode) {
    case SSGW_TOKEN_MODE_ECDSA_P256: {
        EC_KEY *ec = sign_priv ? sign_ec_key(c, sign_priv) : NULL;
        if (!ec || sha256(c, a, an, b, bn, md) < 0 || ecdsa_sign_raw(ec, md, t->tag) < 0) return -1;
        t->tag_len = 64;
        return 0;
    }
    case SSGW_TOKEN_MODE_ED25519: {
        if (!sign_priv || !EVP_PKEY_is_a(sign_priv, "ED25519")) return -1;
        const uint8_t *tbs = joined(c, a, an, b, bn);
        EVP_MD_CTX *mc = EVP_MD_CTX_new();
        size_t slen = 64;
        int ok = tbs && mc && EVP_DigestSignInit(mc, NULL, NULL, NULL, sign_priv) > 0 &&
                 EVP_DigestSign(mc, t->tag, &slen, tbs, an + bn) > 0 && slen == 64;
        EVP_MD_CTX_free(mc);
        if (!ok) return -1;
        t->tag_len = 64;
        return 0;
    }
    case SSGW_TOKEN_MODE_HMAC: {
        uint8_t full[32];
        if (!pairwise || hmac(c, pairwise, a, an, b, bn, full) < 0) return -1;
        memcpy(t->tag, full, SSGW_TOKEN_HMAC_TAG_LEN);
        t->tag_len = SSGW_TOKEN_HMAC_TAG_LEN;
        OPENSSL_cleanse(full, sizeof full);
        return 0;
    }
    default:
        return -1;
    }
}

int ssgw_token_make_tag(ssgw_token_crypto *c, ssgw_token *t, EVP_PKEY *sign_priv,
                        const uint8_t *pairwise, const uint8_t *tbs, size_t n)
{
    return ssgw_token_make_tag2(c, t, sign_priv, pairwise, tbs, n, NULL, 0);
}

/* The DER INTEGER of a 32-octet unsigned big-endian value (X.690 8.3): leading zero
 * octets dropped, a 0x00 put in front when the top bit is set. Returns octets written. */
static size_t der_uint32(const uint8_t v[32], uint8_t *out)
{
    size_t i = 0;
    while (i < 31 && v[i] == 0)
        i++;
    size_t n = 32 - i, pad = v[i] & 0x80 ? 1 : 0;
    out[0] = 0x02;
    out[1] = (uint8_t)(n + pad);
    out[2] = 0;
    memcpy(out + 2 + pad, v + i, n);
    return 2 + pad + n;
}

int ssgw_token_check_tag2(ssgw_token_crypto *c, const ssgw_token *t, EVP_PKEY *sign_pub,
                          const uint8_t *pairwise, const uint8_t *a, size_t an, const uint8_t *b,
                          size_t bn)
{
    if (t->tag_len != ssgw_token_tag_len(t->mode)) return 0;
    switch (t->mode) {
    case SSGW_TOKEN_MODE_ECDSA_P256: {
        /* ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (SEC 1 C.8), DER */
        uint8_t md[32], der[2 + 2 * 35];
        size_t n = der_uint32(t->tag, der + 2);
        n += der_uint32(t->tag + 32, der + 2 + n);
        der[0] = 0x30;
        der[1] = (uint8_t)n;
        EVP_PKEY_CTX *pc = sign_pub ? verify_ctx(c, sign_pub) : NULL;
        if (!pc || sha256(c, a, an, b, bn, md) < 0) return 0;
        return EVP_PKEY_verify(pc, der, n + 2, md, 32) == 1;
    }
    case SSGW_TOKEN_MODE_ED25519: {
        if (!sign_pub || !EVP_PKEY_is_a(sign_pub, "ED25519")) return 0;
        const uint8_t *tbs = joined(c, a, an, b, bn);
        EVP_MD_CTX *mc = EVP_MD_CTX_new();
        int ok = tbs && mc && EVP_DigestVerifyInit(mc, NULL, NULL, NULL, sign_pub) > 0 &&
                 EVP_DigestVerify(mc, t->tag, 64, tbs, an + bn) == 1;
        EVP_MD_CTX_free(mc);
        return ok;
    }
    case SSGW_TOKEN_MODE_HMAC: {
        uint8_t full[32];
        if (!pairwise || hmac(c, pairwise, a, an, b, bn, full) < 0) return 0;
        int ok = CRYPTO_memcmp(full, t->tag, SSGW_TOKEN_HMAC_TAG_LEN) == 0;
        OPENSSL_cleanse(full, sizeof full);
        return ok;
    }
    default:
        return 0;
    }
}

int ssgw_token_check_tag(ssgw_token_crypto *c, const ssgw_token *t, EVP_PKEY *sign_pub,
                         const uint8_t *pairwise, const uint8_t *tbs, size_t n)
{
    return ssgw_token_check_tag2(c, t, sign_pub, pairwise, tbs, n, NULL, 0);
}

/* ---- SCCP repacking ---- */

typedef struct {
    ssgw_buf *bufs;
    size_t nbufs;
} seg_ctx;

static int put_segment(void *vctx, unsigned index, unsigned count, const uint8_t *msg, size_t len)
{
    seg_ctx *s = vctx;
    (void)count;
    if (index >= s->nbufs) return -2;
    ssgw_buf_put(&s->bufs[index], msg, len);
    return s->bufs[index].overflow ? -3 : 0;
}

int ssgw_trust_sccp_repack(const ssgw_sccp_msg *orig, const uint8_t *data, size_t len,
                           size_t max_msg, uint32_t local_ref, ssgw_buf *bufs, size_t nbufs,
                           ssgw_error *err)
{
    ssgw_sccp_msg m = *orig;
    m.data = data;
    m.data_len = len;
    m.has_segmentation = false;
    if (nbufs == 0) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "repack buffers", 0);
    if (orig->type == SSGW_SCCP_LUDT) {
        if (ssgw_sccp_encode(&bufs[0], &m, err) < 0) return -1;
        return 1;
    }
    if (orig->type != SSGW_SCCP_UDT && orig->type != SSGW_SCCP_XUDT)
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_UNSUPPORTED, "message type", 0);
    if (m.hop_counter == 0) m.hop_counter = 15;
    /* Segmentation parameter of an already segmented original is not carried over:
     * the data handed in is the whole (reassembled) message. */
    m.opt = NULL;
    m.opt_len = 0;
    size_t cap = max_msg ? max_msg : SSGW_SCCP_MAX_MSG;
    size_t start = bufs[0].len;
    ssgw_sccp_msg_type chosen;
    if (orig->type == SSGW_SCCP_UDT) {
        if (ssgw_sccp_encode_unitdata(&bufs[0], &m, cap, &chosen, err) == 0) return 1;
    } else {
        m.type = SSGW_SCCP_XUDT;
        if (ssgw_sccp_encode(&bufs[0], &m, err) == 0 && bufs[0].len - start <= cap) return 1;
    }
    bufs[0].len = start;
    bufs[0].overflow = false;
    seg_ctx s = {bufs, nbufs};
    int r = ssgw_sccp_segment(&m, local_ref, cap, put_segment, &s, err);
    if (r < -1) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "repack buffers", 0);
    return r;
}
