/*
 * token_diameter.c - signed Diameter (include/ssgw/token.h section 5,
 * docs/wire-format.md "Signed Diameter"): the security token as a
 * vendor-specific AVP (V set, M clear: peers that do not know it ignore it),
 * its signature input over what relays must not change, appending it,
 * finding and stripping it, and the authorisation of the identity a message
 * claims (Origin-Realm, the subscriber's network) by the signer's certificate.
 *
 * The token is the SecurityToken of the TCAP token (DER, token.c) with placement
 * diameter-avp; the cryptography and the order of the checks are verify.c's
 * (ssgw_trust_sign_with, ssgw_trust_check_with), so Diameter and TCAP tokens have
 * the same outcomes, keys, replay cache and per-partner policy.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ssgw/diameter.h"
#include "ssgw/token.h"
#include "util/bytes.h"

#define TBS_HEAD_LEN (9 + 2 + 8 + 8 + 8 + 8 + 1 + 1 + 3 + 4 + 4)

typedef struct {
    const uint8_t *msg;
    size_t len;
    size_t skip_at, skip_len; /* the token AVP inside msg (0 length: none) */
    uint8_t head[TBS_HEAD_LEN];
    uint8_t *body;
    size_t body_cap;
} tbs_ctx;

static bool excluded(uint32_t code, uint32_t vendor)
{
    return (vendor == 0 &&
            (code == SSGW_DIAM_AVP_ROUTE_RECORD || code == SSGW_DIAM_AVP_PROXY_INFO)) ||
           (vendor == SSGW_DIAM_TOKEN_VENDOR && code == SSGW_DIAM_TOKEN_AVP);
}

/* The signature input of section 5: the fixed head, then the covered AVPs. */
static int tbs(void *vctx, const ssgw_token *tok, const uint8_t *recipient, const uint8_t **a,
               size_t *an, const uint8_t **b, size_t *bn)
{
    tbs_ctx *c = vctx;
    const uint8_t *m = c->msg;
    uint8_t *h = c->head;
    memcpy(h, "SSGWDIAM1", 9);
    h[9] = (uint8_t)tok->mode;
    h[10] = (uint8_t)tok->placement;
    memcpy(h + 11, tok->key_id, 8);
    memcpy(h + 19, recipient, 8);
    put_be32(h + 27, (uint32_t)(tok->time >> 32));
    put_be32(h + 31, (uint32_t)tok->time);
    memcpy(h + 35, tok->nonce, 8);
    h[43] = m[0];
    h[44] = m[4] & (SSGW_DIAM_FLAG_R | SSGW_DIAM_FLAG_P | SSGW_DIAM_FLAG_E);
    memcpy(h + 45, m + 5, 3);  /* command code */
    memcpy(h + 48, m + 8, 4);  /* application id */
    memcpy(h + 52, m + 16, 4); /* end-to-end id */
    size_t n = 0;
    ssgw_diam_iter it = {m + SSGW_DIAM_HEADER_LEN, c->len - SSGW_DIAM_HEADER_LEN, 0,
                         SSGW_DIAM_HEADER_LEN};
    ssgw_diam_avp av;
    while (ssgw_diam_next(&it, &av, NULL) == 1) {
        if (excluded(av.code, av.vendor)) continue;
        size_t hdr = (av.flags & SSGW_DIAM_AVP_V) ? 12 : 8, padded = (av.len + 3) & ~(size_t)3;
        if (n + hdr + padded > c->body_cap) return -1;
        memcpy(c->body + n, m + av.offset, hdr + av.len);
        memset(c->body + n + hdr + av.len, 0, padded - av.len);
        n += hdr + padded;
    }
    *a = c->head;
    *an = TBS_HEAD_LEN;
    *b = c->body;
    *bn = n;
    return 0;
}

/* The token AVP of msg: 1 found (*at, *alen: the whole AVP, *tok: its data), 0 none, -1 two. */
static int find_token(const uint8_t *msg, size_t len, size_t *at, size_t *alen, ssgw_diam_avp *tok)
{
    ssgw_diam_iter it = {msg + SSGW_DIAM_HEADER_LEN, len - SSGW_DIAM_HEADER_LEN, 0,
                         SSGW_DIAM_HEADER_LEN};
    ssgw_diam_avp av;
    int found = 0;
    while (ssgw_diam_next(&it, &av, NULL) == 1)
        if (av.vendor == SSGW_DIAM_TOKEN_VENDOR && av.code == SSGW_DIAM_TOKEN_AVP) {
            if (found++) return -1;
            *tok = av;
            *at = av.offset;
            *alen = (12 + av.len + 3) & ~(size_t)3;
        }
    return found;
}

int ssgw_trust_sign_diameter(ssgw_trust *t, ssgw_token_mode mode, const uint8_t *peer_key_id,
                             const uint8_t *msg, size_t len, time_t now, ssgw_buf *out,
                             size_t *added, ssgw_error *err)
{
    ssgw_diam_msg dm;
    if (ssgw_diam_decode(msg, len, &dm, err) < 0) return -1;
    size_t at, alen;
    ssgw_diam_avp tav;
    if (find_token(msg, len, &at, &alen, &tav) != 0)
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_DUPLICATE, "security token", 0);
    ssgw_token tok;
    memset(&tok, 0, sizeof tok);
    tok.placement = SSGW_TOKEN_PLACE_DIAMETER_AVP;
    tbs_ctx c = {.msg = msg, .len = len};
    c.body = ssgw_trust_scratch(t, &c.body_cap);
    if (ssgw_trust_sign_with(t, mode, peer_key_id, now, &tok, tbs, &c, err) < 0) return -1;
    uint8_t der[160];
    ssgw_buf db;
    ssgw_buf_init(&db, der, sizeof der);
    if (ssgw_token_encode(&db, &tok, err) < 0 || db.overflow)
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_TOO_BIG, "security token", 0);
    size_t start = out->len, n = len + ((12 + db.len + 3) & ~(size_t)3);
    if (n > SSGW_DIAM_MAX_LEN)
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_TOO_BIG, "message length", 1);
    ssgw_buf_put(out, msg, len);
    ssgw_diam_enc e = {.b = out, .start = start};
    ssgw_diam_enc_avp_flags(&e, SSGW_DIAM_TOKEN_AVP, SSGW_DIAM_TOKEN_VENDOR, SSGW_DIAM_AVP_V,
                            db.data, db.len);
    if (out->overflow || e.failed)
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_TOO_BIG, "signed message", 0);
    uint8_t *h = out->data + start;
    h[1] = (uint8_t)(n >> 16);
    h[2] = (uint8_t)(n >> 8);
    h[3] = (uint8_t)n;
    if (added) *added = n - len;
    return 0;
}

/* ---- authorisation ------------------------------------------------------------------ */

typedef struct {
    tbs_ctx c;
    ssgw_diam_fields f;
    uint32_t code;
    bool request;
} verify_ctx;

/* "epc.mnc002.mcc639.3gppnetwork.org" -> "63902" and "639002" (2- and 3-digit MNC). */
static bool realm_mccmnc(const ssgw_diam_str *r, char mm2[7], char mm3[7])
{
    char s[128];
    if (!r->p || r->len >= sizeof s) return false;
    for (size_t i = 0; i < r->len; i++)
        s[i] = (char)(r->p[i] >= 'A' && r->p[i] <= 'Z' ? r->p[i] + 32 : r->p[i]);
    s[r->len] = '\0';
    unsigned mnc, mcc;
    char tail[32];
    if (sscanf(s, "epc.mnc%3u.mcc%3u.%31s", &mnc, &mcc, tail) != 3 ||
        strcmp(tail, "3gppnetwork.org") || mnc > 999 || mcc > 999 || mcc < 100)
        return false;
    snprintf(mm3, 7, "%03u%03u", mcc, mnc);
    snprintf(mm2, 7, "%03u%02u", mcc, mnc % 100);
    if (mnc >= 100) mm2[0] = '\0';
    return true;
}

static bool authorise(void *vctx, const ssgw_keyring_member *m)
{
    verify_ctx *v = vctx;
    const ssgw_identity *id = &m->identity;
    char mm2[7], mm3[7];
    if (!realm_mccmnc(&v->f.origin_realm, mm2, mm3)) return false;
    if (!(mm2[0] && ssgw_identity_has_mccmnc(id, mm2)) && !ssgw_identity_has_mccmnc(id, mm3))
        return false;
    if (!v->request) return true;
    switch (v->code) {
    case SSGW_DIAM_CMD_INSERT_SUBSCRIBER_DATA:
    case SSGW_DIAM_CMD_DELETE_SUBSCRIBER_DATA:
    case SSGW_DIAM_CMD_CANCEL_LOCATION:
    case SSGW_DIAM_CMD_RESET: /* the HSS speaks of its own subscribers */
        return !v->f.imsi[0] || ssgw_identity_covers_imsi(id, v->f.imsi);
    default: { /* an MME speaks from its own network */
        char p[8];
        size_t k = 0;
        for (const char *c = v->f.visited_plmn; *c && k + 1 < sizeof p; c++)
            if (*c >= '0' && *c <= '9') p[k++] = *c;
        p[k] = '\0';
        return !p[0] || ssgw_identity_has_mccmnc(id, p);
    }
    }
}

ssgw_trust_outcome ssgw_trust_verify_diameter(ssgw_trust *t, const uint8_t *msg, size_t len,
                                              time_t now, ssgw_trust_result *res,
                                              ssgw_buf *stripped)
{
    memset(res, 0, sizeof *res);
    verify_ctx v;
    ssgw_diam_msg dm;
    if (ssgw_diam_decode(msg, len, &dm, &res->err) < 0)
        return ssgw_trust_count(t, res, SSGW_TRUST_MALFORMED);
    size_t at = 0, alen = 0;
    ssgw_diam_avp tav;
    int r = find_token(msg, len, &at, &alen, &tav);
    if (r < 0) {
        ssgw_fail(&res->err, SSGW_LAYER_DIAMETER, SSGW_E_DUPLICATE, "security token", 0);
        return ssgw_trust_count(t, res, SSGW_TRUST_MALFORMED);
    }
    if (r == 0) {
        if (stripped) ssgw_buf_put(stripped, msg, len);
        return ssgw_trust_count(t, res, SSGW_TRUST_MISSING);
    }
    res->token_present = true;
    res->token_bytes = alen;
    if (ssgw_token_decode(tav.data, tav.len, &res->token, &res->err) < 0 ||
        res->token.placement != SSGW_TOKEN_PLACE_DIAMETER_AVP || (tav.flags & SSGW_DIAM_AVP_M)) {
        res->err.layer = SSGW_LAYER_DIAMETER;
        if (!res->err.field) res->err.field = "security token placement";
        return ssgw_trust_count(t, res, SSGW_TRUST_MALFORMED);
    }
    if (stripped) { /* the message without the token AVP, length updated */
        size_t start = stripped->len, n = len - alen;
        ssgw_buf_put(stripped, msg, at);
        ssgw_buf_put(stripped, msg + at + alen, len - at - alen);
        if (!stripped->overflow) {
            uint8_t *h = stripped->data + start;
            h[1] = (uint8_t)(n >> 16);
            h[2] = (uint8_t)(n >> 8);
            h[3] = (uint8_t)n;
        }
    }
    ssgw_diam_fields_init(&v.f);
    ssgw_diam_fields_decode(&dm, &v.f, NULL);
    v.code = dm.code;
    v.request = ssgw_diam_is_request(&dm);
    memset(&v.c, 0, sizeof v.c);
    v.c.msg = msg;
    v.c.len = len;
    v.c.body = ssgw_trust_scratch(t, &v.c.body_cap);
    return ssgw_trust_check_with(t, res, now, tbs, &v, authorise);
}
