/*
 * verify.c - the signing and verification pipeline of the security token (DESIGN.md
 * section 5; docs/wire-format.md "Verification" and "Policy").
 *
 * Signing: prepare (placement + canonical bytes) -> token fields (own key id, time,
 * nonce) -> tbs -> tag -> insert. Verification: strip -> key lookup -> tag -> revoked ->
 * validity -> calling GT inside the signer's certified ranges -> time window -> replay
 * cache. Each outcome is counted. The policy decision (outcome + per-partner policy ->
 * allow / drop / alert) fails closed: every outcome but ok drops unless configured.
 *
 * Nonce: 4 random octets drawn when the context is created (and again whenever the
 * counter wraps) followed by a 32-bit counter, so nonces of one signing key never
 * repeat within a process and collide across restarts with probability 2^-32 per pair
 * of restarts, which the timestamp makes irrelevant outside the window.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "ssgw/token.h"
#include "trust/trust_int.h"

ssgw_trust *ssgw_trust_new(const ssgw_keyring *kr, const ssgw_trust_config *cfg)
{
    ssgw_trust_config def;
    if (!cfg) {
        ssgw_trust_config_default(&def);
        cfg = &def;
    }
    if (cfg->window_s < 0 || cfg->replay_entries == 0 || cfg->replay_share < 1 ||
        cfg->replay_share > 100)
        return NULL;
    ssgw_trust *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->kr = kr;
    t->cfg = *cfg;
    t->replay = ssgw_replay_new(cfg->replay_entries, cfg->window_s, cfg->replay_share);
    t->crypto = ssgw_token_crypto_new();
    t->canon = malloc(65536);
    if (!t->replay || !t->crypto || !t->canon ||
        RAND_bytes(t->nonce_prefix, sizeof t->nonce_prefix) != 1) {
        ssgw_trust_free(t);
        return NULL;
    }
    return t;
}

ssgw_trust *ssgw_trust_new_sibling(ssgw_trust *t)
{
    if (!t->replay_lock) {
        pthread_mutex_t *mx = malloc(sizeof *mx);
        if (!mx || pthread_mutex_init(mx, NULL) != 0) {
            free(mx);
            return NULL;
        }
        t->replay_lock = mx;
    }
    ssgw_trust *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->kr = t->kr;
    s->cfg = t->cfg;
    s->replay = t->replay;
    s->replay_lock = t->replay_lock;
    s->sibling = true;
    s->crypto = ssgw_token_crypto_new();
    s->canon = malloc(65536);
    if (!s->crypto || !s->canon || RAND_bytes(s->nonce_prefix, sizeof s->nonce_prefix) != 1) {
        ssgw_trust_free(s);
        return NULL;
    }
    return s;
}

void ssgw_trust_free(ssgw_trust *t)
{
    if (!t) return;
    if (!t->sibling) {
        ssgw_replay_free(t->replay);
        if (t->replay_lock) {
            pthread_mutex_destroy(t->replay_lock);
            free(t->replay_lock);
        }
    }
    ssgw_token_crypto_free(t->crypto);
    free(t->canon);
    free(t);
}

void ssgw_trust_adopt_replay(ssgw_trust *dst, const ssgw_trust *src, time_t now)
{
    if (!dst || !src || dst->replay == src->replay) return;
    ssgw_replay_adopt(dst->replay, src->replay, (int64_t)now);
}

void ssgw_trust_set_replay_hook(ssgw_trust *t, ssgw_trust_replay_hook fn, void *ctx)
{
    t->replay_hook = fn;
    t->replay_hook_ctx = ctx;
}

void ssgw_trust_set_keyring(ssgw_trust *t, const ssgw_keyring *kr)
{
    t->kr = kr;
}

void ssgw_trust_get_stats(const ssgw_trust *t, ssgw_trust_stats *out)
{
    ssgw_replay_stats rs;
    *out = t->st;
    if (t->replay_lock) pthread_mutex_lock(t->replay_lock);
    ssgw_replay_get_stats(t->replay, &rs);
    if (t->replay_lock) pthread_mutex_unlock(t->replay_lock);
    out->replay_evicted_live = rs.evicted_live;
    out->replay_refused_share = rs.refused_share;
    out->replay_refused_full = rs.refused_full;
}

ssgw_trust_outcome ssgw_trust_replay_check(ssgw_trust *t, const ssgw_keyring_member *signer,
                                           const uint8_t *key_id, const uint8_t *nonce,
                                           uint64_t token_time, time_t now)
{
    if (t->replay_lock) pthread_mutex_lock(t->replay_lock);
    int r = ssgw_replay_check_insert(t->replay, signer->operator_id, key_id, nonce, token_time,
                                     (int64_t)now);
    if (t->replay_lock) pthread_mutex_unlock(t->replay_lock);
    return r == SSGW_REPLAY_NEW    ? SSGW_TRUST_OK
           : r == SSGW_REPLAY_SEEN ? SSGW_TRUST_REPLAY
                                   : SSGW_TRUST_REPLAY_FULL;
}

static int refuse(ssgw_trust *t, ssgw_error *err, ssgw_errcode code, const char *field)
{
    t->st.sign_refused++;
    return ssgw_fail(err, SSGW_LAYER_TCAP, code, field, 0);
}

static void next_nonce(ssgw_trust *t, uint8_t out[SSGW_TOKEN_NONCE_LEN])
{
    if (++t->counter == 0 && RAND_bytes(t->nonce_prefix, sizeof t->nonce_prefix) != 1)
        t->nonce_prefix[0] ^= 0x5a; /* still a new prefix when the RNG fails */
    memcpy(out, t->nonce_prefix, 4);
    out[4] = (uint8_t)(t->counter >> 24);
    out[5] = (uint8_t)(t->counter >> 16);
    out[6] = (uint8_t)(t->counter >> 8);
    out[7] = (uint8_t)t->counter;
}

/* What the tag callback of ssgw_token_sign_tcap() needs. */
typedef struct {
    ssgw_trust *t;
    EVP_PKEY *key;
    const uint8_t *pairwise, *peer_key_id;
    const ssgw_token_parties *parties;
} sign_ctx;

/* The tag over head || canonical message, fed to the MAC / digest in these two pieces. */
static int sign_tag(void *vctx, ssgw_token *tok, const uint8_t *canon, size_t len)
{
    sign_ctx *s = vctx;
    uint8_t head[SSGW_TOKEN_TBS_HEAD_MAX];
    int hn = ssgw_token_tbs_head(tok, s->peer_key_id, s->parties, len, head);
    if (hn < 0) return -1;
    return ssgw_token_make_tag2(s->t->crypto, tok, s->key, s->pairwise, head, (size_t)hn, canon,
                                len);
}

static bool digits_too_long(const char *gt)
{
    return gt && strnlen(gt, SSGW_DIGITS_MAX + 1) > SSGW_DIGITS_MAX;
}

int ssgw_trust_sign(ssgw_trust *t, ssgw_token_mode mode, const char *calling_gt,
                    const uint8_t *peer_key_id, const uint8_t *tcap, size_t len, time_t now,
                    ssgw_buf *out, ssgw_trust_sign_info *info, ssgw_error *err)
{
    const ssgw_token_parties parties = {calling_gt, NULL, 0, 0};
    return ssgw_trust_sign_parties(t, mode, &parties, peer_key_id, tcap, len, now, out, info, err);
}

int ssgw_trust_sign_parties(ssgw_trust *t, ssgw_token_mode mode, const ssgw_token_parties *parties,
                            const uint8_t *peer_key_id, const uint8_t *tcap, size_t len, time_t now,
                            ssgw_buf *out, ssgw_trust_sign_info *info, ssgw_error *err)
{
    ssgw_token tok;
    ssgw_buf canon;
    bool changed = false;
    sign_ctx sc = {t, ssgw_keyring_own_sign_key(t->kr), NULL, peer_key_id, parties};

    memset(&tok, 0, sizeof tok);
    if (!sc.key || ssgw_keyring_own_key_id(t->kr, tok.key_id) < 0)
        return refuse(t, err, SSGW_E_MISSING, "own signing key");
    if ((int)mode < 0 || mode >= SSGW_TOKEN_MODE_COUNT)
        return refuse(t, err, SSGW_E_BAD_VALUE, "security token mode");
    if (mode == SSGW_TOKEN_MODE_HMAC) {
        const ssgw_keyring_member *peer =
            peer_key_id ? ssgw_keyring_find(t->kr, peer_key_id) : NULL;
        if (!peer || !peer->has_pairwise) return refuse(t, err, SSGW_E_MISSING, "pairwise key");
        sc.pairwise = peer->pairwise;
    }
    if (digits_too_long(parties->calling_gt)) return refuse(t, err, SSGW_E_BAD_VALUE, "calling gt");
    if (digits_too_long(parties->called_gt)) return refuse(t, err, SSGW_E_BAD_VALUE, "called gt");
    if (now < 0) return refuse(t, err, SSGW_E_BAD_VALUE, "security token time");
    if (len > UINT32_MAX) return refuse(t, err, SSGW_E_TOO_BIG, "security token input");

    tok.mode = mode;
    tok.time = (uint64_t)now;
    next_nonce(t, tok.nonce);

    /* One walk: placement, canonical bytes (the message itself unless a length on the
     * insertion path was not minimal), tag over the TBS pieces, insertion. */
    ssgw_buf_init(&canon, t->canon, 65536);
    size_t start = out->len;
    if (ssgw_token_sign_tcap(tcap, len, &tok, sign_tag, &sc, &canon, out, &changed, err) < 0) {
        t->st.sign_refused++;
        return -1;
    }
    t->st.signed_msgs++;
    if (changed) t->st.canonicalized++;
    if (info) {
        info->placement = tok.placement;
        info->canonicalized = changed;
        /* the canonical message has the original's length unless it was re-encoded */
        info->added = out->len - start - (changed ? canon.len : len);
    }
    return 0;
}

static ssgw_trust_outcome done(ssgw_trust *t, ssgw_trust_result *res, ssgw_trust_outcome o)
{
    res->outcome = o;
    t->st.outcomes[o]++;
    return o;
}

ssgw_trust_outcome ssgw_trust_verify_none(ssgw_trust *t, ssgw_trust_result *res)
{
    memset(res, 0, sizeof *res);
    return done(t, res, SSGW_TRUST_MISSING);
}

ssgw_trust_outcome ssgw_trust_verify_undecodable(ssgw_trust *t, const ssgw_error *why,
                                                 ssgw_trust_result *res)
{
    memset(res, 0, sizeof *res);
    if (why) res->err = *why;
    return done(t, res, SSGW_TRUST_MALFORMED);
}

/* The checks after a good signature, in their order: revoked, not yet valid, expired, the
 * claimed identity not authorised by the certificate, stale, replay (only a message that
 * passed every other check enters the replay cache). */
static ssgw_trust_outcome after_signature(ssgw_trust *t, ssgw_trust_result *res,
                                          const ssgw_keyring_member *m, time_t now, bool authorised)
{
    const ssgw_token *tok = &res->token;
    if (m->revoked) return done(t, res, SSGW_TRUST_REVOKED);
    if (now < m->not_before) return done(t, res, SSGW_TRUST_NOT_YET_VALID);
    if (now > m->not_after) return done(t, res, SSGW_TRUST_EXPIRED);
    if (!authorised) return done(t, res, SSGW_TRUST_GT_NOT_AUTHORISED);
    int64_t skew = (int64_t)tok->time - (int64_t)now;
    if (skew > t->cfg.window_s || skew < -t->cfg.window_s) return done(t, res, SSGW_TRUST_STALE);
    /* this context's cache first: it enforces the signer's share, so a token it refuses (or
     * knows) never reaches the shared cache (a flood stays out of Redis beyond the share) */
    ssgw_trust_outcome o = ssgw_trust_replay_check(t, m, tok->key_id, tok->nonce, tok->time, now);
    if (o != SSGW_TRUST_OK) return done(t, res, o);
    /* then the shared replay cache (a token seen through another gateway), told how long
     * the token stays acceptable here: the stale check above bounds skew to +-window */
    uint32_t accept_s = (uint32_t)(skew + t->cfg.window_s + 1);
    if (t->replay_hook &&
        t->replay_hook(t->replay_hook_ctx, tok->key_id, tok->nonce, accept_s) == 1)
        return done(t, res, SSGW_TRUST_REPLAY);
    return done(t, res, SSGW_TRUST_OK);
}

ssgw_trust_outcome ssgw_trust_verify(ssgw_trust *t, const char *calling_gt, const uint8_t *tcap,
                                     size_t len, time_t now, ssgw_trust_result *res,
                                     ssgw_buf *stripped)
{
    const ssgw_token_parties parties = {calling_gt, NULL, 0, 0};
    return ssgw_trust_verify_parties(t, &parties, tcap, len, now, res, stripped);
}

ssgw_trust_outcome ssgw_trust_verify_parties(ssgw_trust *t, const ssgw_token_parties *parties,
                                             const uint8_t *tcap, size_t len, time_t now,
                                             ssgw_trust_result *res, ssgw_buf *stripped)
{
    const char *calling_gt = parties->calling_gt;
    ssgw_buf local;
    memset(res, 0, sizeof *res);

    /* Strip first: the restored bytes are part of the signature input. They go straight
     * into the caller's buffer when it has room for them (never more than len octets);
     * otherwise into the scratch buffer, then copied. */
    bool direct = stripped && !stripped->overflow && stripped->cap - stripped->len >= len;
    size_t mark = direct ? stripped->len : 0;
    ssgw_buf *sb = direct ? stripped : &local;
    ssgw_buf_init(&local, t->canon, 65536);
    int r = ssgw_token_strip(tcap, len, &res->token, sb, &res->token_bytes, &res->err);
    if (r < 0) {
        if (direct) stripped->len = mark; /* malformed: nothing appended */
        return done(t, res, SSGW_TRUST_MALFORMED);
    }
    if (r == 0) {
        if (stripped) ssgw_buf_put(stripped, tcap, len);
        return done(t, res, SSGW_TRUST_MISSING);
    }
    res->token_present = true;
    if (sb->overflow) {
        if (direct) {
            stripped->len = mark;
            stripped->overflow = false;
        }
        ssgw_fail(&res->err, SSGW_LAYER_TCAP, SSGW_E_TOO_BIG, "security token", 0);
        return done(t, res, SSGW_TRUST_MALFORMED);
    }
    const uint8_t *canon = sb->data + mark;
    size_t clen = sb->len - mark;
    if (stripped && !direct) ssgw_buf_put(stripped, canon, clen);

    const ssgw_token *tok = &res->token;
    if (tok->version != SSGW_TOKEN_VERSION) {
        /* version 1 did not bind the called party (docs/wire-format.md section 4): refused,
         * by name, whatever its signature */
        ssgw_fail(&res->err, SSGW_LAYER_TCAP, SSGW_E_UNSUPPORTED, "security token version", 0);
        return done(t, res, SSGW_TRUST_OLD_VERSION);
    }
    const ssgw_keyring_member *m = ssgw_keyring_find(t->kr, tok->key_id);
    if (!m) return done(t, res, SSGW_TRUST_UNKNOWN_KEY);
    res->signer = m;
    /* the replay cache's sets load while the tag is computed */
    ssgw_replay_prefetch(t->replay, tok->key_id, tok->nonce);

    uint8_t own_id[SSGW_KEY_ID_LEN] = {0};
    const uint8_t *pairwise = NULL;
    if (tok->mode == SSGW_TOKEN_MODE_HMAC) {
        if (!m->has_pairwise || ssgw_keyring_own_key_id(t->kr, own_id) < 0)
            return done(t, res, SSGW_TRUST_UNKNOWN_KEY);
        pairwise = m->pairwise;
    }
    if (digits_too_long(calling_gt)) return done(t, res, SSGW_TRUST_GT_NOT_AUTHORISED);
    /* The signature input in two pieces: fixed head, then the stripped message. */
    uint8_t head[SSGW_TOKEN_TBS_HEAD_MAX];
    int hn = ssgw_token_tbs_head(tok, own_id, parties, clen, head);
    if (hn < 0) {
        ssgw_fail(&res->err, SSGW_LAYER_TCAP, SSGW_E_TOO_BIG, "security token input", 0);
        return done(t, res, SSGW_TRUST_MALFORMED);
    }
    if (ssgw_token_check_tag2(t->crypto, tok, m->sign_key, pairwise, head, (size_t)hn, canon,
                              clen) != 1)
        return done(t, res, SSGW_TRUST_BAD_SIGNATURE);

    return after_signature(t, res, m, now,
                           calling_gt && *calling_gt &&
                               ssgw_identity_covers_gt(&m->identity, calling_gt));
}

/* ---- other carriers (Diameter: token_diameter.c) ------------------------------------------ */

uint8_t *ssgw_trust_scratch(ssgw_trust *t, size_t *cap)
{
    *cap = 65536;
    return t->canon;
}

ssgw_trust_outcome ssgw_trust_count(ssgw_trust *t, ssgw_trust_result *res, ssgw_trust_outcome o)
{
    return done(t, res, o);
}

int ssgw_trust_sign_with(ssgw_trust *t, ssgw_token_mode mode, const uint8_t *peer_key_id,
                         time_t now, ssgw_token *tok, ssgw_trust_tbs_fn tbs, void *ctx,
                         ssgw_error *err)
{
    EVP_PKEY *key = ssgw_keyring_own_sign_key(t->kr);
    const uint8_t *pairwise = NULL;
    uint8_t zero[SSGW_KEY_ID_LEN] = {0};
    if (!key || ssgw_keyring_own_key_id(t->kr, tok->key_id) < 0)
        return refuse(t, err, SSGW_E_MISSING, "own signing key");
    if ((int)mode < 0 || mode >= SSGW_TOKEN_MODE_COUNT || now < 0)
        return refuse(t, err, SSGW_E_BAD_VALUE, "security token mode");
    if (mode == SSGW_TOKEN_MODE_HMAC) {
        const ssgw_keyring_member *peer =
            peer_key_id ? ssgw_keyring_find(t->kr, peer_key_id) : NULL;
        if (!peer || !peer->has_pairwise) return refuse(t, err, SSGW_E_MISSING, "pairwise key");
        pairwise = peer->pairwise;
    }
    tok->mode = mode;
    tok->time = (uint64_t)now;
    next_nonce(t, tok->nonce);
    const uint8_t *a, *b;
    size_t an, bn;
    if (tbs(ctx, tok, mode == SSGW_TOKEN_MODE_HMAC ? peer_key_id : zero, &a, &an, &b, &bn) < 0 ||
        ssgw_token_make_tag2(t->crypto, tok, key, pairwise, a, an, b, bn) < 0)
        return refuse(t, err, SSGW_E_BAD_VALUE, "own key for mode");
    t->st.signed_msgs++;
    return 0;
}

ssgw_trust_outcome
ssgw_trust_check_with(ssgw_trust *t, ssgw_trust_result *res, time_t now, ssgw_trust_tbs_fn tbs,
                      void *ctx, bool (*authorise)(void *ctx, const ssgw_keyring_member *signer))
{
    const ssgw_token *tok = &res->token;
    const ssgw_keyring_member *m = ssgw_keyring_find(t->kr, tok->key_id);
    if (!m) return done(t, res, SSGW_TRUST_UNKNOWN_KEY);
    res->signer = m;
    ssgw_replay_prefetch(t->replay, tok->key_id, tok->nonce); /* loads while the tag is made */
    uint8_t own_id[SSGW_KEY_ID_LEN] = {0};
    const uint8_t *pairwise = NULL;
    if (tok->mode == SSGW_TOKEN_MODE_HMAC) {
        if (!m->has_pairwise || ssgw_keyring_own_key_id(t->kr, own_id) < 0)
            return done(t, res, SSGW_TRUST_UNKNOWN_KEY);
        pairwise = m->pairwise;
    }
    const uint8_t *a, *b;
    size_t an, bn;
    if (tbs(ctx, tok, own_id, &a, &an, &b, &bn) < 0) {
        ssgw_fail(&res->err, SSGW_LAYER_DIAMETER, SSGW_E_TOO_BIG, "security token input", 0);
        return done(t, res, SSGW_TRUST_MALFORMED);
    }
    if (ssgw_token_check_tag2(t->crypto, tok, m->sign_key, pairwise, a, an, b, bn) != 1)
        return done(t, res, SSGW_TRUST_BAD_SIGNATURE);
    return after_signature(t, res, m, now, authorise(ctx, m));
}
