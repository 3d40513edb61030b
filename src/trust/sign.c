/*
 * sign.c - the cryptography of the security token (docs/wire-format.md "Signature
 * input" and "Modes") and the SCCP repacking of a signed or stripped message.
 *
 * Modes (all through OpenSSL 3 EVP; nothing home-made):
 *  - ecdsa-p256: ECDSA over SHA-256(tbs) (FIPS 186-4 / SEC 1), the signature carried
 *    as raw r||s (32 + 32 octets) instead of DER (70-72 octets); converted with
 *    ECDSA_SIG for OpenSSL.
 *  - ed25519: PureEdDSA (RFC 8032) over tbs, 64 octets.
 *  - hmac-sha256-128: HMAC-SHA256 (RFC 2104) with the pairwise key, truncated to the
 *    first 16 octets (RFC 2104 section 5 allows truncation to >= half the output; 128
 *    bits is the usual floor, e.g. RFC 4868 uses 128 for HMAC-SHA256 in IPsec).
 * Comparison of MACs is constant time (CRYPTO_memcmp).
 *
 * Contexts are reused across messages (an ECDSA signing context per own key, a
 * verification context for the last signer, a keyed HMAC context for the last
 * pairwise key) because setting them up costs as much as the operation itself.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "ssgw/digits.h"
#include "ssgw/token.h"

#define TBS_MAGIC "SSGWTOKEN1"

struct ssgw_token_crypto {
    EVP_PKEY *sign_key; /* key of sign_ctx (a reference) */
    EVP_PKEY_CTX *sign_ctx;
    EVP_PKEY *verify_key; /* key of verify_ctx (a reference) */
    EVP_PKEY_CTX *verify_ctx;
    EVP_MAC *mac;
    EVP_MAC_CTX *mac_ctx;
    bool mac_keyed;
    uint8_t mac_key[SSGW_PAIRWISE_KEY_LEN];
};

int ssgw_token_tbs(const ssgw_token *t, const uint8_t *recipient_id, const char *calling_gt,
                   const uint8_t *tcap, size_t len, ssgw_buf *out)
{
    static const uint8_t zero[SSGW_KEY_ID_LEN];
    uint8_t hdr[2];
    size_t gl = calling_gt ? strlen(calling_gt) : 0;
    if (gl > SSGW_DIGITS_MAX || len > UINT32_MAX) return -1;
    ssgw_buf_put(out, TBS_MAGIC, sizeof TBS_MAGIC - 1);
    hdr[0] = (uint8_t)t->mode;
    hdr[1] = (uint8_t)t->placement;
    ssgw_buf_put(out, hdr, 2);
    ssgw_buf_put(out, t->key_id, SSGW_KEY_ID_LEN);
    ssgw_buf_put(out, t->mode == SSGW_TOKEN_MODE_HMAC && recipient_id ? recipient_id : zero,
                 SSGW_KEY_ID_LEN);
    ssgw_buf_put_be32(out, (uint32_t)(t->time >> 32));
    ssgw_buf_put_be32(out, (uint32_t)t->time);
    ssgw_buf_put(out, t->nonce, SSGW_TOKEN_NONCE_LEN);
    ssgw_buf_put_u8(out, (uint8_t)gl);
    ssgw_buf_put(out, calling_gt, gl);
    ssgw_buf_put_be32(out, (uint32_t)len);
    ssgw_buf_put(out, tcap, len);
    return out->overflow ? -1 : 0;
}

ssgw_token_crypto *ssgw_token_crypto_new(void)
{
    ssgw_token_crypto *c = OPENSSL_zalloc(sizeof *c);
    if (!c) return NULL;
    c->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    c->mac_ctx = c->mac ? EVP_MAC_CTX_new(c->mac) : NULL;
    if (!c->mac_ctx) {
        ssgw_token_crypto_free(c);
        return NULL;
    }
    return c;
}

void ssgw_token_crypto_free(ssgw_token_crypto *c)
{
    if (!c) return;
    EVP_PKEY_CTX_free(c->sign_ctx);
    EVP_PKEY_free(c->sign_key);
    EVP_PKEY_CTX_free(c->verify_ctx);
    EVP_PKEY_free(c->verify_key);
    EVP_MAC_CTX_free(c->mac_ctx);
    EVP_MAC_free(c->mac);
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

/* HMAC-SHA256(key, tbs) into out[32], reusing the keyed context when the key repeats. */
static int hmac(ssgw_token_crypto *c, const uint8_t *key, const uint8_t *tbs, size_t n,
                uint8_t out[32])
{
    size_t olen = 0;
    bool same = c->mac_keyed && CRYPTO_memcmp(c->mac_key, key, SSGW_PAIRWISE_KEY_LEN) == 0;
    if (same) {
        if (!EVP_MAC_init(c->mac_ctx, NULL, 0, NULL)) return -1;
    } else {
        OSSL_PARAM params[2];
        params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
        params[1] = OSSL_PARAM_construct_end();
        c->mac_keyed = false;
        if (!EVP_MAC_init(c->mac_ctx, key, SSGW_PAIRWISE_KEY_LEN, params)) return -1;
        memcpy(c->mac_key, key, SSGW_PAIRWISE_KEY_LEN);
        c->mac_keyed = true;
    }
    if (!EVP_MAC_update(c->mac_ctx, tbs, n) || !EVP_MAC_final(c->mac_ctx, out, &olen, 32) ||
        olen != 32)
        return -1;
    return 0;
}

/* A pkey context for key, initialised for signing or verifying, cached in ctx and ckey. */
static EVP_PKEY_CTX *pkey_ctx(EVP_PKEY *key, EVP_PKEY **ckey, EVP_PKEY_CTX **ctx, bool sign)
{
    if (*ctx && *ckey == key) return *ctx;
    EVP_PKEY_CTX_free(*ctx);
    EVP_PKEY_free(*ckey);
    *ctx = NULL;
    *ckey = NULL;
    EVP_PKEY_CTX *n = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    if (!n) return NULL;
    if ((sign ? EVP_PKEY_sign_init(n) : EVP_PKEY_verify_init(n)) <= 0 ||
        EVP_PKEY_CTX_set_signature_md(n, EVP_sha256()) <= 0 || !EVP_PKEY_up_ref(key)) {
        EVP_PKEY_CTX_free(n);
        return NULL;
    }
    *ctx = n;
    *ckey = key;
    return n;
}

int ssgw_token_make_tag(ssgw_token_crypto *c, ssgw_token *t, EVP_PKEY *sign_priv,
                        const uint8_t *pairwise, const uint8_t *tbs, size_t n)
{
    uint8_t md[32], der[80];
    unsigned int mdlen = 0;
    switch (t->mode) {
    case SSGW_TOKEN_MODE_ECDSA_P256: {
        if (!is_p256(sign_priv)) return -1;
        EVP_PKEY_CTX *pc = pkey_ctx(sign_priv, &c->sign_key, &c->sign_ctx, true);
        size_t dlen = sizeof der;
        if (!pc || !EVP_Digest(tbs, n, md, &mdlen, EVP_sha256(), NULL) ||
            EVP_PKEY_sign(pc, der, &dlen, md, mdlen) <= 0)
            return -1;
        const unsigned char *p = der;
        ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
        if (!sig) return -1;
        const BIGNUM *r, *s;
        ECDSA_SIG_get0(sig, &r, &s);
        int ok = BN_bn2binpad(r, t->tag, 32) == 32 && BN_bn2binpad(s, t->tag + 32, 32) == 32;
        ECDSA_SIG_free(sig);
        if (!ok) return -1;
        t->tag_len = 64;
        return 0;
    }
    case SSGW_TOKEN_MODE_ED25519: {
        if (!sign_priv || !EVP_PKEY_is_a(sign_priv, "ED25519")) return -1;
        EVP_MD_CTX *mc = EVP_MD_CTX_new();
        size_t slen = 64;
        int ok = mc && EVP_DigestSignInit(mc, NULL, NULL, NULL, sign_priv) > 0 &&
                 EVP_DigestSign(mc, t->tag, &slen, tbs, n) > 0 && slen == 64;
        EVP_MD_CTX_free(mc);
        if (!ok) return -1;
        t->tag_len = 64;
        return 0;
    }
    case SSGW_TOKEN_MODE_HMAC: {
        uint8_t full[32];
        if (!pairwise || hmac(c, pairwise, tbs, n, full) < 0) return -1;
        memcpy(t->tag, full, SSGW_TOKEN_HMAC_TAG_LEN);
        t->tag_len = SSGW_TOKEN_HMAC_TAG_LEN;
        OPENSSL_cleanse(full, sizeof full);
        return 0;
    }
    default:
        return -1;
    }
}

int ssgw_token_check_tag(ssgw_token_crypto *c, const ssgw_token *t, EVP_PKEY *sign_pub,
                         const uint8_t *pairwise, const uint8_t *tbs, size_t n)
{
    if (t->tag_len != ssgw_token_tag_len(t->mode)) return 0;
    switch (t->mode) {
    case SSGW_TOKEN_MODE_ECDSA_P256: {
        uint8_t md[32], der[80];
        unsigned int mdlen = 0;
        if (!is_p256(sign_pub)) return 0;
        ECDSA_SIG *sig = ECDSA_SIG_new();
        BIGNUM *r = BN_bin2bn(t->tag, 32, NULL), *s = BN_bin2bn(t->tag + 32, 32, NULL);
        if (!sig || !r || !s || !ECDSA_SIG_set0(sig, r, s)) {
            ECDSA_SIG_free(sig);
            BN_free(r);
            BN_free(s);
            return 0;
        }
        unsigned char *p = der;
        int dlen = i2d_ECDSA_SIG(sig, NULL) <= (int)sizeof der ? i2d_ECDSA_SIG(sig, &p) : -1;
        ECDSA_SIG_free(sig);
        EVP_PKEY_CTX *pc = pkey_ctx(sign_pub, &c->verify_key, &c->verify_ctx, false);
        if (dlen <= 0 || !pc || !EVP_Digest(tbs, n, md, &mdlen, EVP_sha256(), NULL)) return 0;
        return EVP_PKEY_verify(pc, der, (size_t)dlen, md, mdlen) == 1;
    }
    case SSGW_TOKEN_MODE_ED25519: {
        if (!sign_pub || !EVP_PKEY_is_a(sign_pub, "ED25519")) return 0;
        EVP_MD_CTX *mc = EVP_MD_CTX_new();
        int ok = mc && EVP_DigestVerifyInit(mc, NULL, NULL, NULL, sign_pub) > 0 &&
                 EVP_DigestVerify(mc, t->tag, 64, tbs, n) == 1;
        EVP_MD_CTX_free(mc);
        return ok;
    }
    case SSGW_TOKEN_MODE_HMAC: {
        uint8_t full[32];
        if (!pairwise || hmac(c, pairwise, tbs, n, full) < 0) return 0;
        int ok = CRYPTO_memcmp(full, t->tag, SSGW_TOKEN_HMAC_TAG_LEN) == 0;
        OPENSSL_cleanse(full, sizeof full);
        return ok;
    }
    default:
        return 0;
    }
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
