/*
 * trust_msg.c - sign and verify whole M3UA messages (see include/ssgw/trust_msg.h).
 * The token layer does the cryptography and the TCAP surgery; this file only
 * re-frames SCCP and M3UA around it.
 */
#include "ssgw/trust_msg.h"

#include <string.h>

#include "ssgw/keys.h"
#include "ssgw/file.h"
#include "ssgw/m3ua.h"
#include "ssgw/splice.h"
#include "trust/trust_int.h"

void ssgw_trust_setup_free(ssgw_trust_setup *s)
{
    ssgw_keyring_free(s->kr);
    ssgw_bundle_free(s->bundle);
    X509_free(s->root);
    EVP_PKEY_free(s->sign_key);
    EVP_PKEY_free(s->ka_key);
    memset(s, 0, sizeof *s);
}

int ssgw_trust_setup_load(ssgw_trust_setup *s, const ssgw_policy_trust *cfg, uint64_t min_sequence,
                          time_t now, char *err, size_t errlen)
{
    char e[512];
    memset(s, 0, sizeof *s);
    if (!cfg->present) return ssgw_errf(err, errlen, "the configuration has no [trust] section");
    if (cfg->key) {
        if (!(s->sign_key = ssgw_key_load(cfg->key, e, sizeof e)))
            return ssgw_errf(err, errlen, "[trust] key: %s", e);
        if (ssgw_key_id(s->sign_key, s->own_key_id) < 0)
            return ssgw_errf(err, errlen, "[trust] key %s: not a usable signing key", cfg->key);
        s->has_own_id = true;
    }
    if (cfg->ka_key && !(s->ka_key = ssgw_key_load(cfg->ka_key, e, sizeof e)))
        return ssgw_errf(err, errlen, "[trust] ka_key: %s", e);
    if (!(s->root = ssgw_cert_load_pem(cfg->root, e, sizeof e)))
        return ssgw_errf(err, errlen, "[trust] root: %s", e);
    if (!(s->bundle =
              ssgw_bundle_load(cfg->bundle, NULL, 0, s->root, min_sequence, now, e, sizeof e)))
        return ssgw_errf(err, errlen, "[trust] bundle %s: %s", cfg->bundle, e);
    if (s->has_own_id) s->self = ssgw_bundle_find_key(s->bundle, s->own_key_id);
    if (!(s->kr = ssgw_keyring_from_bundle(s->bundle, s->sign_key, s->ka_key, e, sizeof e)))
        return ssgw_errf(err, errlen, "keyring: %s", e);
    return 0;
}

ssgw_keyring *ssgw_keyring_from_bundle(const ssgw_bundle *b, EVP_PKEY *own_sign, EVP_PKEY *own_ka,
                                       char *err, size_t errlen)
{
    ssgw_keyring *kr = ssgw_keyring_new();
    if (!kr) {
        ssgw_errf(err, errlen, "out of memory");
        return NULL;
    }
    /* Own keys first: members added afterwards get their pairwise key derived. */
    if ((own_sign || own_ka) && ssgw_keyring_set_own(kr, own_sign, own_ka) < 0) {
        ssgw_keyring_free(kr);
        ssgw_errf(err, errlen,
                  "own keys: not usable (signing key must be EC P-256 or Ed25519, "
                  "key-agreement key EC P-256 or X25519)");
        return NULL;
    }
    for (size_t i = 0; i < ssgw_bundle_count(b); i++) {
        const ssgw_bundle_member *bm = ssgw_bundle_at(b, i);
        ssgw_keyring_member m;
        memset(&m, 0, sizeof m);
        memcpy(m.key_id, bm->sign_key_id, SSGW_KEY_ID_LEN);
        m.identity = bm->identity;
        m.sign_key = bm->sign_key;
        m.ka_key = bm->ka_key;
        m.not_before = bm->not_before;
        m.not_after = bm->not_after;
        m.revoked = bm->revoked;
        snprintf(m.serial, sizeof m.serial, "%s", bm->sign_serial);
        if (ssgw_keyring_add(kr, &m) < 0) {
            ssgw_keyring_free(kr);
            ssgw_errf(err, errlen, "bundle member %zu (%s): key not usable", i, bm->identity.name);
            return NULL;
        }
    }
    return kr;
}

/* Wraps each SCCP message in a DATA message carrying v's routing label, context and (on the
 * first) correlation id. */
static int wrap_m3ua(const ssgw_view *v, ssgw_buf *sccp, int n, ssgw_buf *outs, size_t nouts,
                     ssgw_error *err)
{
    const ssgw_m3ua_msg *m = &v->m3ua;
    uint32_t rc[8], na = m->network_appearance, cid = m->correlation_id;
    size_t nrc = 0;
    if (m->present & SSGW_M3UA_HAS_ROUTING_CONTEXT)
        for (; nrc < m->routing_context.count && nrc < 8; nrc++)
            rc[nrc] = ssgw_m3ua_u32_at(&m->routing_context, nrc);
    if ((size_t)n > nouts)
        return ssgw_fail(err, SSGW_LAYER_M3UA, SSGW_E_TOO_BIG, "output messages", 0);
    for (int i = 0; i < n; i++) {
        ssgw_m3ua_data_info d;
        memset(&d, 0, sizeof d);
        d.network_appearance = (m->present & SSGW_M3UA_HAS_NETWORK_APPEARANCE) ? &na : NULL;
        d.routing_context = nrc ? rc : NULL;
        d.n_routing_context = nrc;
        d.pd = m->protocol_data;
        d.pd.data = sccp[i].data;
        d.pd.data_len = sccp[i].len;
        /* the Correlation Id (RFC 4666 3.3.1) identifies the original message: kept on the
         * first (usually the only) one, so the far end can still match it */
        d.correlation_id = (m->present & SSGW_M3UA_HAS_CORRELATION_ID) && i == 0 ? &cid : NULL;
        outs[i].len = 0;
        outs[i].overflow = false;
        if (ssgw_m3ua_encode_data(&outs[i], &d) < 0 || outs[i].overflow)
            return ssgw_fail(err, SSGW_LAYER_M3UA, SSGW_E_TOO_BIG, "output message", 0);
    }
    return n;
}

/* Re-frames data (a TCAP message) like v's SCCP message, into outs as M3UA: spliced into the
 * original's octets when that writes what encoding would (one UDT: ssgw_splice_m3ua_udt),
 * else encoded. */
static int reframe(const ssgw_view *v, const ssgw_sccp_msg *like, const uint8_t *data, size_t len,
                   ssgw_buf *outs, size_t nouts, ssgw_error *err)
{
    if (nouts) {
        outs[0].len = 0;
        outs[0].overflow = false;
        if (ssgw_splice_m3ua_udt(&v->m3ua, like, data, len, &outs[0]) == 1) return 1;
    }
    static _Thread_local uint8_t mem[SSGW_TRUST_MAX_OUT][SSGW_SCCP_MAX_MSG + 64];
    ssgw_buf sccp[SSGW_TRUST_MAX_OUT];
    for (size_t i = 0; i < SSGW_TRUST_MAX_OUT; i++)
        ssgw_buf_init(&sccp[i], mem[i], sizeof mem[i]);
    /* The segments' local reference: the message's own bytes make it stable per message. */
    uint32_t ref = (uint32_t)(v->opc * 2654435761u) ^ (uint32_t)len;
    int n =
        ssgw_trust_sccp_repack(like, data, len, 0, ref & 0xffffff, sccp, SSGW_TRUST_MAX_OUT, err);
    if (n < 0) return -1;
    return wrap_m3ua(v, sccp, n, outs, nouts, err);
}

/*
 * The TCAP bytes of v for verification: the decoded TCAP message (reassembled when it
 * came in segments; a token in a dialogue portion of its own decodes as dialogue type
 * "other"), whatever carried the SCCP message (M3UA, MTP3 over M2PA/M2UA, SUA): the token
 * is inside TCAP. A message whose TCAP does not decode has nothing to verify.
 */
static bool tcap_bytes(const ssgw_view *v, const uint8_t **data, size_t *len)
{
    if (!v->has_sccp || !v->has_tcap || !v->tcap_data || v->reasm == SSGW_VIEW_REASM_PENDING)
        return false;
    *data = v->tcap_data;
    *len = v->tcap.span.len;
    return true;
}

bool ssgw_trust_view_judged(const ssgw_view *v)
{
    if (!v->has_sccp || v->reasm == SSGW_VIEW_REASM_PENDING || v->has_scmg) return false;
    if (v->has_tcap || v->reasm == SSGW_VIEW_REASM_COMPLETE || v->reasm == SSGW_VIEW_REASM_FAILED)
        return true;
    return ssgw_view_sccp_user_data(v); /* connectionless data, where TCAP travels */
}

bool ssgw_trust_view_verifiable(const ssgw_view *v)
{
    const uint8_t *d;
    size_t n;
    return tcap_bytes(v, &d, &n);
}

/* The SCCP parties the token binds (token version 2): both GTs' digits and SSNs. */
static ssgw_token_parties parties_of(const ssgw_view *v)
{
    const ssgw_sccp_addr *a = &v->sccp.calling, *b = &v->sccp.called;
    return (ssgw_token_parties){a->digits, b->digits, a->has_ssn ? a->ssn : 0,
                                b->has_ssn ? b->ssn : 0};
}

static bool carries_tcap(const ssgw_view *v)
{
    return v->has_m3ua && v->has_sccp && v->has_tcap && !v->has_error &&
           v->reasm != SSGW_VIEW_REASM_PENDING && (v->m3ua.present & SSGW_M3UA_HAS_PROTOCOL_DATA);
}

int ssgw_trust_sign_view(ssgw_trust *t, ssgw_token_mode mode, const uint8_t *peer_key_id,
                         const ssgw_view *v, time_t now, ssgw_buf *outs, size_t nouts,
                         ssgw_trust_sign_info *info, ssgw_error *err)
{
    static _Thread_local uint8_t mem[8192];
    if (!carries_tcap(v)) return 0;
    ssgw_buf signed_tcap;
    ssgw_buf_init(&signed_tcap, mem, sizeof mem);
    const ssgw_token_parties parties = parties_of(v);
    if (ssgw_trust_sign_parties(t, mode, &parties, peer_key_id, v->tcap_data, v->tcap.span.len, now,
                                &signed_tcap, info, err) < 0)
        return -1;
    ssgw_sccp_msg like = v->sccp;
    if (v->reasm == SSGW_VIEW_REASM_COMPLETE)
        like.has_segmentation = false; /* re-segmented from scratch below if needed */
    return reframe(v, &like, signed_tcap.data, signed_tcap.len, outs, nouts, err);
}

int ssgw_trust_reframe_view(const ssgw_view *v, ssgw_buf *outs, size_t nouts, ssgw_error *err)
{
    if (!carries_tcap(v)) return 0;
    ssgw_sccp_msg like = v->sccp;
    if (v->reasm == SSGW_VIEW_REASM_COMPLETE) like.has_segmentation = false;
    return reframe(v, &like, v->tcap_data, v->tcap.span.len, outs, nouts, err);
}

/*
 * True when the view's TC message certainly carries no token, so that the strip walk
 * (token_tcap.c) need not run: the token OID's octets occur nowhere in it, and it has no
 * user information (the TCAP decoder leaves its items raw; the walk reads them and may call
 * them malformed). Everything else the walk reads, the TCAP decoder has validated before the
 * view says has_tcap: fuzz_token and test_token_paths check that the walk says "no token"
 * for every message the decoder accepts under these two conditions.
 */
static bool surely_no_token(const ssgw_view *v, const uint8_t *tcap, size_t len)
{
    if (v->tcap.dialogue_present && v->tcap.dialogue.user_info_present) return false;
    return !ssgw_token_may_be_present(tcap, len);
}

ssgw_trust_outcome ssgw_trust_verify_view(ssgw_trust *t, const ssgw_view *v, time_t now,
                                          ssgw_trust_result *res, ssgw_buf *outs, size_t nouts,
                                          size_t *nout)
{
    static _Thread_local uint8_t mem[8192];
    const uint8_t *tcap;
    size_t tcap_len;
    *nout = 0;
    memset(res, 0, sizeof *res);
    if (!tcap_bytes(v, &tcap, &tcap_len)) {
        if (!ssgw_trust_view_judged(v)) {
            res->outcome = SSGW_TRUST_MISSING;
            return SSGW_TRUST_MISSING;
        }
        /* ANSI TCAP has no place for the token (only ITU TCAP is ever signed): missing.
         * Anything else (ITU TCAP, ANSI TCAP or segments that do not decode) may hide a token
         * we cannot see: malformed. */
        if (v->has_ansi_tcap && !v->has_error) return ssgw_trust_verify_none(t, res);
        return ssgw_trust_verify_undecodable(t, v->has_error ? &v->error : NULL, res);
    }
    if (surely_no_token(v, tcap, tcap_len)) return ssgw_trust_verify_none(t, res);
    ssgw_buf stripped;
    ssgw_buf_init(&stripped, mem, sizeof mem);
    const ssgw_token_parties parties = parties_of(v);
    ssgw_trust_outcome o =
        ssgw_trust_verify_parties(t, &parties, tcap, tcap_len, now, res, &stripped);
    if (!res->token_present || o == SSGW_TRUST_MALFORMED || stripped.len == 0) return o;
    /* judged whatever the framing; only M3UA (what the gateway carries) is written back */
    if (!v->has_m3ua || !(v->m3ua.present & SSGW_M3UA_HAS_PROTOCOL_DATA)) return o;
    /* Back to UDT when the XUDT carried nothing a UDT cannot (signers convert UDT to XUDT
     * only because the token made the message too long). */
    ssgw_sccp_msg like = v->sccp;
    if ((like.type == SSGW_SCCP_XUDT && !like.has_importance) ||
        v->reasm == SSGW_VIEW_REASM_COMPLETE) {
        like.type = SSGW_SCCP_UDT;
        like.has_segmentation = false;
        like.opt = NULL;
        like.opt_len = 0;
    }
    ssgw_error err;
    int n = reframe(v, &like, stripped.data, stripped.len, outs, nouts, &err);
    if (n < 0) {
        res->err = err;
        return o;
    }
    *nout = (size_t)n;
    return o;
}

int ssgw_trust_isup_reframe(const ssgw_view *v, const uint8_t *isup, size_t len, ssgw_buf *out,
                            ssgw_error *err)
{
    if (!v->has_m3ua || !(v->m3ua.present & SSGW_M3UA_HAS_PROTOCOL_DATA)) return 0;
    ssgw_buf one;
    ssgw_buf_init(&one, (uint8_t *)(uintptr_t)isup, len);
    one.len = len;
    return wrap_m3ua(v, &one, 1, out, 1, err) < 0 ? -1 : 1;
}
