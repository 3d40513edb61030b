/*
 * test_sign.c - signing and verification of security tokens end to end (DESIGN.md
 * section 5): operator A signs, operator B verifies, on every TCAP shape of the
 * generated corpus in each mode; tampering with each field gives the right outcome;
 * every outcome (unknown key, revoked, expired, not yet valid, GT not authorised,
 * stale, replay, missing, malformed) is produced by the situation it names; the
 * pairwise key is the same on both sides; the policy decision fails closed; SCCP
 * repacking turns UDT into XUDT / segments; ECDSA tags (raw r||s) verify with OpenSSL's
 * own EVP_DigestVerify over the message, outside sign.c's hashing and DER (keys generated
 * and read from PEM, the signing key switched); a rough sign/verify rate is printed.
 * Keys are created here with OpenSSL (no fixed private keys in the tree).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "check.h"
#include "ssgw/gen.h"
#include "ssgw/sccp.h"
#include "ssgw/tcap.h"
#include "ssgw/token.h"

#define NOW ((time_t)1767225600) /* 2026-01-01 */

typedef struct {
    EVP_PKEY *ecdsa, *ed25519, *ka;
    uint8_t id[SSGW_KEY_ID_LEN], ed_id[SSGW_KEY_ID_LEN];
} op_keys;

static op_keys A, B;

static EVP_PKEY *public_only(EVP_PKEY *k)
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(k, &der);
    const unsigned char *p = der;
    EVP_PKEY *pub = n > 0 ? d2i_PUBKEY(NULL, &p, n) : NULL;
    OPENSSL_free(der);
    return pub;
}

static void make_keys(op_keys *k, bool x25519)
{
    k->ecdsa = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    k->ed25519 = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    k->ka = x25519 ? EVP_PKEY_Q_keygen(NULL, NULL, "X25519")
                   : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    CHECK(k->ecdsa && k->ed25519 && k->ka);
    CHECK_INT(ssgw_key_id(k->ecdsa, k->id), 0);
    CHECK_INT(ssgw_key_id(k->ed25519, k->ed_id), 0);
}

static void free_keys(op_keys *k)
{
    EVP_PKEY_free(k->ecdsa);
    EVP_PKEY_free(k->ed25519);
    EVP_PKEY_free(k->ka);
}

/* A member entry for operator k as the other side sees it (public keys only). */
static int add_member(ssgw_keyring *kr, const op_keys *k, bool ed, const char *range)
{
    ssgw_keyring_member m;
    memset(&m, 0, sizeof m);
    m.sign_key = public_only(ed ? k->ed25519 : k->ecdsa);
    m.ka_key = public_only(k->ka);
    memcpy(m.key_id, ed ? k->ed_id : k->id, SSGW_KEY_ID_LEN);
    snprintf(m.identity.name, sizeof m.identity.name, "%s", k == &A ? "Operator A" : "Operator B");
    snprintf(m.identity.country, sizeof m.identity.country, "GB");
    if (ssgw_gt_range_parse(range, &m.identity.gt[0]) == 0) m.identity.n_gt = 1;
    m.not_before = NOW - 86400;
    m.not_after = NOW + 86400 * 365;
    snprintf(m.serial, sizeof m.serial, "%s", k == &A ? "0a" : "0b");
    int r = ssgw_keyring_add(kr, &m);
    EVP_PKEY_free(m.sign_key);
    EVP_PKEY_free(m.ka_key);
    return r;
}

/* Keyrings: A signs (own A, member B for the pairwise key); B verifies (own B, member A
 * with GT range 4477). ed: A signs with its Ed25519 key. */
static ssgw_keyring *kr_a(bool ed)
{
    ssgw_keyring *kr = ssgw_keyring_new();
    CHECK_INT(ssgw_keyring_set_own(kr, ed ? A.ed25519 : A.ecdsa, A.ka), 0);
    CHECK_INT(add_member(kr, &B, false, "33"), 0);
    return kr;
}

static ssgw_keyring *kr_b(bool ed)
{
    ssgw_keyring *kr = ssgw_keyring_new();
    CHECK_INT(ssgw_keyring_set_own(kr, B.ecdsa, B.ka), 0);
    CHECK_INT(add_member(kr, &A, ed, "4477"), 0);
    return kr;
}

static const char *GT_A = "447700900123";

static void test_names(void)
{
    const char *want[] = {"ok",
                          "missing",
                          "malformed",
                          "unknown_key",
                          "bad_signature",
                          "expired",
                          "not_yet_valid",
                          "revoked",
                          "gt_not_authorised",
                          "stale",
                          "replay",
                          "bundle_expired",
                          "number_not_authorised",
                          "old_version",
                          "replay_full"};
    for (int i = 0; i < SSGW_TRUST_OUTCOME_COUNT; i++)
        CHECK_STR(ssgw_trust_outcome_name(i), want[i]);
    CHECK_STR(ssgw_trust_outcome_name(SSGW_TRUST_OUTCOME_COUNT), "unknown");
    CHECK_STR(ssgw_trust_mode_name(SSGW_TRUST_VERIFY_IF_PRESENT), "verify-if-present");
    CHECK_INT(ssgw_trust_mode_parse("off"), SSGW_TRUST_OFF);
    CHECK_INT(ssgw_trust_action_parse("alert"), SSGW_TRUST_ACTION_ALERT);
    CHECK_INT(ssgw_trust_action_parse("maybe"), -1);
}

static void test_key_id_and_pairwise(void)
{
    /* key id = first 8 octets of SHA-256 over the DER SubjectPublicKeyInfo */
    unsigned char *der = NULL, md[32];
    unsigned int mdlen;
    int n = i2d_PUBKEY(A.ecdsa, &der);
    EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha256(), NULL);
    OPENSSL_free(der);
    CHECK_MEM(A.id, 8, md, 8);
    uint8_t id2[8];
    EVP_PKEY *pub = public_only(A.ecdsa);
    CHECK_INT(ssgw_key_id(pub, id2), 0);
    CHECK_MEM(id2, 8, A.id, 8);
    EVP_PKEY_free(pub);

    /* both sides derive the same pairwise key, whatever the order of the ids */
    uint8_t kab[32], kba[32];
    EVP_PKEY *pa = public_only(A.ka), *pb = public_only(B.ka);
    CHECK_INT(ssgw_pairwise_derive(A.ka, pb, A.id, B.id, kab), 0);
    CHECK_INT(ssgw_pairwise_derive(B.ka, pa, B.id, A.id, kba), 0);
    CHECK_MEM(kab, 32, kba, 32);
    /* and the keyrings hold it */
    ssgw_keyring *ka = kr_a(false), *kb = kr_b(false);
    const ssgw_keyring_member *mb = ssgw_keyring_find(ka, B.id), *ma = ssgw_keyring_find(kb, A.id);
    CHECK(ma && mb && ma->has_pairwise && mb->has_pairwise);
    if (ma && mb) CHECK_MEM(ma->pairwise, 32, mb->pairwise, 32);
    CHECK_STR(ma ? ma->identity.name : NULL, "Operator A");
    /* X25519 KA keys */
    EVP_PKEY *xa = EVP_PKEY_Q_keygen(NULL, NULL, "X25519"),
             *xb = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
    EVP_PKEY *xpa = public_only(xa), *xpb = public_only(xb);
    CHECK_INT(ssgw_pairwise_derive(xa, xpb, A.id, B.id, kab), 0);
    CHECK_INT(ssgw_pairwise_derive(xb, xpa, B.id, A.id, kba), 0);
    CHECK_MEM(kab, 32, kba, 32);
    /* mismatched KA types fail */
    CHECK_INT(ssgw_pairwise_derive(xa, pb, A.id, B.id, kab), -1);
    /* a member whose key id does not match its key is refused */
    ssgw_keyring_member m;
    memset(&m, 0, sizeof m);
    m.sign_key = A.ecdsa;
    memcpy(m.key_id, B.id, 8);
    CHECK_INT(ssgw_keyring_add(kb, &m), -1);
    m.sign_key = A.ka == NULL ? NULL : xa; /* X25519 is not a signing key */
    CHECK_INT(ssgw_keyring_add(kb, &m), -1);
    EVP_PKEY_free(xa);
    EVP_PKEY_free(xb);
    EVP_PKEY_free(xpa);
    EVP_PKEY_free(xpb);
    EVP_PKEY_free(pa);
    EVP_PKEY_free(pb);
    ssgw_keyring_free(ka);
    ssgw_keyring_free(kb);
}

/* Signs with A, verifies with B: every corpus message, every mode. */
static void test_corpus(void)
{
    static uint8_t msg[4096], sig_mem[8192], back_mem[8192];
    ssgw_keyring *ka_ec = kr_a(false), *ka_ed = kr_a(true), *kb = kr_b(false), *kb_ed = kr_b(true);
    ssgw_trust *sa_ec = ssgw_trust_new(ka_ec, NULL), *sa_ed = ssgw_trust_new(ka_ed, NULL);
    ssgw_trust *vb = ssgw_trust_new(kb, NULL), *vb_ed = ssgw_trust_new(kb_ed, NULL);
    unsigned ok[SSGW_TOKEN_MODE_COUNT] = {0}, tried[SSGW_TOKEN_MODE_COUNT] = {0}, refused = 0;
    size_t added_sum[SSGW_TOKEN_MODE_COUNT] = {0}, added_min[SSGW_TOKEN_MODE_COUNT],
           added_max[SSGW_TOKEN_MODE_COUNT] = {0};
    for (int m = 0; m < SSGW_TOKEN_MODE_COUNT; m++)
        added_min[m] = 9999;
    const unsigned count = 3000;
    for (uint64_t i = 0; i < count; i++) {
        ssgw_buf g;
        ssgw_gen_info info;
        ssgw_error e = {0};
        ssgw_buf_init(&g, msg, sizeof msg);
        if (ssgw_gen_tcap(11, i, &g, &info, &e) < 0) continue;
        for (int mode = 0; mode < SSGW_TOKEN_MODE_COUNT; mode++) {
            if (mode == SSGW_TOKEN_MODE_ED25519 && i % 4) continue; /* a quarter is plenty */
            ssgw_trust *s = mode == SSGW_TOKEN_MODE_ED25519 ? sa_ed : sa_ec;
            ssgw_trust *v = mode == SSGW_TOKEN_MODE_ED25519 ? vb_ed : vb;
            ssgw_buf sig, back;
            ssgw_trust_sign_info si;
            ssgw_buf_init(&sig, sig_mem, sizeof sig_mem);
            ssgw_buf_init(&back, back_mem, sizeof back_mem);
            int r = ssgw_trust_sign(s, (ssgw_token_mode)mode, GT_A, B.id, g.data, g.len, NOW, &sig,
                                    &si, &e);
            if (r < 0) {
                CHECK_INT(e.code, SSGW_E_UNSUPPORTED); /* p-abort */
                CHECK_INT(info.tcap_type, SSGW_TCAP_ABORT);
                refused++;
                continue;
            }
            tried[mode]++;
            CHECK_INT(si.added, sig.len - g.len);
            added_sum[mode] += si.added;
            if (si.added < added_min[mode]) added_min[mode] = si.added;
            if (si.added > added_max[mode]) added_max[mode] = si.added;
            ssgw_trust_result res;
            ssgw_trust_outcome o =
                ssgw_trust_verify(v, GT_A, sig.data, sig.len, NOW + 1, &res, &back);
            if (o == SSGW_TRUST_OK && back.len == g.len && memcmp(back.data, g.data, g.len) == 0)
                ok[mode]++;
            else
                fprintf(stderr, "index %llu mode %d: %s\n", (unsigned long long)i, mode,
                        ssgw_trust_outcome_name(o));
            if (o == SSGW_TRUST_OK) CHECK(res.signer && strcmp(res.signer->serial, "0a") == 0);
        }
    }
    for (int mode = 0; mode < SSGW_TOKEN_MODE_COUNT; mode++) {
        CHECK(tried[mode] > 0);
        CHECK_INT(ok[mode], tried[mode]);
        printf("  %-16s %5u signed+verified+restored; octets added min %zu avg %.1f max %zu\n",
               ssgw_token_mode_name(mode), ok[mode], added_min[mode],
               tried[mode] ? (double)added_sum[mode] / tried[mode] : 0.0, added_max[mode]);
    }
    printf("  refused (abort with p-abort cause): %u\n", refused);
    ssgw_trust_stats st;
    ssgw_trust_get_stats(vb, &st);
    CHECK_INT(st.outcomes[SSGW_TRUST_OK], ok[0] + ok[2]);
    ssgw_trust_free(sa_ec);
    ssgw_trust_free(sa_ed);
    ssgw_trust_free(vb);
    ssgw_trust_free(vb_ed);
    ssgw_keyring_free(ka_ec);
    ssgw_keyring_free(ka_ed);
    ssgw_keyring_free(kb);
    ssgw_keyring_free(kb_ed);
}

/* One signed sample message for the outcome tests. */
typedef struct {
    uint8_t orig[4096];
    size_t orig_len;
    uint8_t sig[8192];
    size_t sig_len;
} sample;

static void make_sample(ssgw_trust *s, ssgw_token_mode mode, uint64_t index, time_t when,
                        sample *out)
{
    ssgw_buf g, sig;
    ssgw_gen_info info;
    ssgw_error e;
    ssgw_buf_init(&g, out->orig, sizeof out->orig);
    CHECK_INT(ssgw_gen_tcap(3, index, &g, &info, &e), 0);
    out->orig_len = g.len;
    ssgw_buf_init(&sig, out->sig, sizeof out->sig);
    CHECK_INT(ssgw_trust_sign(s, mode, GT_A, B.id, g.data, g.len, when, &sig, NULL, &e), 0);
    out->sig_len = sig.len;
}

static ssgw_trust_outcome verify_fresh(ssgw_keyring *kb, const char *gt, const uint8_t *m,
                                       size_t len, time_t now)
{
    ssgw_trust *v = ssgw_trust_new(kb, NULL);
    ssgw_trust_result res;
    ssgw_trust_outcome o = ssgw_trust_verify(v, gt, m, len, now, &res, NULL);
    ssgw_trust_free(v);
    return o;
}

/* Finds the token's position in a signed message: offset of its key id contents. */
static size_t token_field(const sample *s, uint8_t tag)
{
    ssgw_token t;
    ssgw_error e;
    CHECK_INT(ssgw_token_strip(s->sig, s->sig_len, &t, NULL, NULL, &e), 1);
    for (size_t i = 0; i + 10 < s->sig_len; i++)
        if (s->sig[i] == 0x82 && s->sig[i + 1] == 8 && memcmp(s->sig + i + 2, t.key_id, 8) == 0) {
            size_t p = i;
            while (p < s->sig_len && s->sig[p] != tag)
                p += 2 + s->sig[p + 1];
            return p + 2;
        }
    return 0;
}

static void test_tamper(void)
{
    ssgw_keyring *ka = kr_a(false), *kb = kr_b(false);
    ssgw_trust *s = ssgw_trust_new(ka, NULL);
    /* index 0: Begin+AARQ; 157..: other shapes; walk a few shapes and both modes */
    const uint64_t indices[] = {0, 1, 200, 400, 600, 1000};
    for (size_t k = 0; k < sizeof indices / sizeof *indices; k++) {
        for (int mode = 0; mode < 3; mode += 2) {
            sample sm;
            make_sample(s, (ssgw_token_mode)mode, indices[k], NOW, &sm);
            CHECK_INT(verify_fresh(kb, GT_A, sm.sig, sm.sig_len, NOW), SSGW_TRUST_OK);
            /* calling GT: another GT of A's own range still breaks the signature */
            CHECK_INT(verify_fresh(kb, "447700900124", sm.sig, sm.sig_len, NOW),
                      SSGW_TRUST_BAD_SIGNATURE);
            /* token fields */
            size_t kid = token_field(&sm, 0x82), tim = token_field(&sm, 0x83),
                   non = token_field(&sm, 0x84), tag = token_field(&sm, 0x85);
            CHECK(kid && tim && non && tag);
            uint8_t x[8192];
            memcpy(x, sm.sig, sm.sig_len);
            x[kid + 3] ^= 1;
            CHECK_INT(verify_fresh(kb, GT_A, x, sm.sig_len, NOW), SSGW_TRUST_UNKNOWN_KEY);
            memcpy(x, sm.sig, sm.sig_len);
            x[tim + 3] ^= 1; /* one second off: inside the window, so the signature fails */
            CHECK_INT(verify_fresh(kb, GT_A, x, sm.sig_len, NOW), SSGW_TRUST_BAD_SIGNATURE);
            memcpy(x, sm.sig, sm.sig_len);
            x[non + 7] ^= 1;
            CHECK_INT(verify_fresh(kb, GT_A, x, sm.sig_len, NOW), SSGW_TRUST_BAD_SIGNATURE);
            memcpy(x, sm.sig, sm.sig_len);
            x[tag + 5] ^= 0x80;
            CHECK_INT(verify_fresh(kb, GT_A, x, sm.sig_len, NOW), SSGW_TRUST_BAD_SIGNATURE);
            /* mode octet: ecdsa <-> hmac changes the tag length the decoder expects */
            memcpy(x, sm.sig, sm.sig_len);
            x[kid - 6] ^= 2;
            CHECK_INT(verify_fresh(kb, GT_A, x, sm.sig_len, NOW), SSGW_TRUST_MALFORMED);

            /* every byte of the signed message, flipped one at a time: never ok */
            unsigned hist[SSGW_TRUST_OUTCOME_COUNT] = {0};
            ssgw_trust *v = ssgw_trust_new(kb, NULL);
            size_t step = mode == SSGW_TOKEN_MODE_HMAC ? 1 : 3;
            for (size_t pos = 0; pos < sm.sig_len; pos += step) {
                memcpy(x, sm.sig, sm.sig_len);
                x[pos] ^= (uint8_t)(1u << (pos % 8));
                ssgw_trust_result res;
                ssgw_trust_outcome o = ssgw_trust_verify(v, GT_A, x, sm.sig_len, NOW, &res, NULL);
                hist[o]++;
                if (o == SSGW_TRUST_OK)
                    fprintf(stderr, "flip at %zu of %zu accepted\n", pos, sm.sig_len);
            }
            CHECK_INT(hist[SSGW_TRUST_OK], 0);
            if (k == 0)
                printf("  %s index %llu: %zu bytes flipped -> bad_signature %u, malformed %u, "
                       "missing %u, unknown_key %u, stale %u\n",
                       ssgw_token_mode_name(mode), (unsigned long long)indices[k],
                       (sm.sig_len + step - 1) / step, hist[SSGW_TRUST_BAD_SIGNATURE],
                       hist[SSGW_TRUST_MALFORMED], hist[SSGW_TRUST_MISSING],
                       hist[SSGW_TRUST_UNKNOWN_KEY], hist[SSGW_TRUST_STALE]);
            ssgw_trust_free(v);
        }
    }
    ssgw_trust_free(s);
    ssgw_keyring_free(ka);
    ssgw_keyring_free(kb);
}

static void test_outcomes(void)
{
    ssgw_keyring *ka = kr_a(false), *kb = kr_b(false);
    ssgw_trust *s = ssgw_trust_new(ka, NULL);
    sample sm;
    make_sample(s, SSGW_TOKEN_MODE_ECDSA_P256, 5, NOW, &sm);

    /* GT outside A's certified ranges (and no GT at all) */
    CHECK_INT(verify_fresh(kb, "3312345678", sm.sig, sm.sig_len, NOW), SSGW_TRUST_BAD_SIGNATURE);
    sample outside;
    ssgw_buf g, sig;
    ssgw_error e;
    ssgw_gen_info info;
    ssgw_buf_init(&g, outside.orig, sizeof outside.orig);
    ssgw_gen_tcap(3, 5, &g, &info, &e);
    ssgw_buf_init(&sig, outside.sig, sizeof outside.sig);
    CHECK_INT(ssgw_trust_sign(s, SSGW_TOKEN_MODE_ECDSA_P256, "3312345678", NULL, g.data, g.len, NOW,
                              &sig, NULL, &e),
              0);
    CHECK_INT(verify_fresh(kb, "3312345678", sig.data, sig.len, NOW), SSGW_TRUST_GT_NOT_AUTHORISED);
    ssgw_buf_init(&sig, outside.sig, sizeof outside.sig);
    CHECK_INT(ssgw_trust_sign(s, SSGW_TOKEN_MODE_ECDSA_P256, "", NULL, g.data, g.len, NOW, &sig,
                              NULL, &e),
              0);
    CHECK_INT(verify_fresh(kb, "", sig.data, sig.len, NOW), SSGW_TRUST_GT_NOT_AUTHORISED);

    /* stale both ways, the window edge inclusive */
    CHECK_INT(verify_fresh(kb, GT_A, sm.sig, sm.sig_len, NOW + 60), SSGW_TRUST_OK);
    CHECK_INT(verify_fresh(kb, GT_A, sm.sig, sm.sig_len, NOW + 61), SSGW_TRUST_STALE);
    CHECK_INT(verify_fresh(kb, GT_A, sm.sig, sm.sig_len, NOW - 61), SSGW_TRUST_STALE);
    /* a configurable window */
    ssgw_trust_config cfg;
    ssgw_trust_config_default(&cfg);
    CHECK_INT(cfg.window_s, 60);
    cfg.window_s = 300;
    ssgw_trust *wide = ssgw_trust_new(kb, &cfg);
    ssgw_trust_result res;
    CHECK_INT(ssgw_trust_verify(wide, GT_A, sm.sig, sm.sig_len, NOW + 200, &res, NULL),
              SSGW_TRUST_OK);
    ssgw_trust_free(wide);

    /* replay: the same message twice on one verifier */
    ssgw_trust *v = ssgw_trust_new(kb, NULL);
    CHECK_INT(ssgw_trust_verify(v, GT_A, sm.sig, sm.sig_len, NOW, &res, NULL), SSGW_TRUST_OK);
    CHECK_INT(ssgw_trust_verify(v, GT_A, sm.sig, sm.sig_len, NOW + 5, &res, NULL),
              SSGW_TRUST_REPLAY);
    /* a forged copy (bad signature) does not enter the cache, a fresh signing does */
    sample sm2;
    make_sample(s, SSGW_TOKEN_MODE_ECDSA_P256, 5, NOW, &sm2);
    CHECK_INT(ssgw_trust_verify(v, GT_A, sm2.sig, sm2.sig_len, NOW, &res, NULL), SSGW_TRUST_OK);
    ssgw_trust_stats st;
    ssgw_trust_get_stats(v, &st);
    CHECK_INT(st.outcomes[SSGW_TRUST_OK], 2);
    CHECK_INT(st.outcomes[SSGW_TRUST_REPLAY], 1);
    ssgw_trust_free(v);

    /* certificate states */
    CHECK_INT(ssgw_keyring_set_revoked(kb, A.id, true), 0);
    CHECK_INT(verify_fresh(kb, GT_A, sm.sig, sm.sig_len, NOW), SSGW_TRUST_REVOKED);
    CHECK_INT(ssgw_keyring_set_revoked(kb, A.id, false), 0);
    CHECK_INT(verify_fresh(kb, GT_A, sm.sig, sm.sig_len, NOW + 86400 * 366), SSGW_TRUST_EXPIRED);
    CHECK_INT(verify_fresh(kb, GT_A, sm.sig, sm.sig_len, NOW - 86400 * 2),
              SSGW_TRUST_NOT_YET_VALID);

    /* unknown signer: a verifier whose keyring lacks A */
    ssgw_keyring *empty = ssgw_keyring_new();
    CHECK_INT(verify_fresh(empty, GT_A, sm.sig, sm.sig_len, NOW), SSGW_TRUST_UNKNOWN_KEY);
    /* fast mode from a member B has no pairwise key with (no KA key on our side) */
    sample fast;
    make_sample(s, SSGW_TOKEN_MODE_HMAC, 5, NOW, &fast);
    CHECK_INT(verify_fresh(kb, GT_A, fast.sig, fast.sig_len, NOW), SSGW_TRUST_OK);
    ssgw_keyring *nk = ssgw_keyring_new();
    CHECK_INT(ssgw_keyring_set_own(nk, B.ecdsa, NULL), 0);
    CHECK_INT(add_member(nk, &A, false, "4477"), 0);
    CHECK_INT(verify_fresh(nk, GT_A, fast.sig, fast.sig_len, NOW), SSGW_TRUST_UNKNOWN_KEY);
    /* fast mode token for B verified by a third party C that knows A: not for C */
    op_keys C;
    make_keys(&C, false);
    ssgw_keyring *kc = ssgw_keyring_new();
    CHECK_INT(ssgw_keyring_set_own(kc, C.ecdsa, C.ka), 0);
    CHECK_INT(add_member(kc, &A, false, "4477"), 0);
    CHECK_INT(verify_fresh(kc, GT_A, fast.sig, fast.sig_len, NOW), SSGW_TRUST_BAD_SIGNATURE);
    free_keys(&C);
    ssgw_keyring_free(kc);
    ssgw_keyring_free(nk);

    /* missing and malformed; the unsigned message passes through unchanged */
    ssgw_trust *v2 = ssgw_trust_new(kb, NULL);
    uint8_t pass_mem[4096];
    ssgw_buf pass;
    ssgw_buf_init(&pass, pass_mem, sizeof pass_mem);
    CHECK_INT(ssgw_trust_verify(v2, GT_A, sm.orig, sm.orig_len, NOW, &res, &pass),
              SSGW_TRUST_MISSING);
    CHECK_MEM(pass.data, pass.len, sm.orig, sm.orig_len);
    CHECK_INT(ssgw_trust_verify(v2, GT_A, sm.sig, sm.sig_len - 1, NOW, &res, NULL),
              SSGW_TRUST_MALFORMED);
    ssgw_trust_free(v2);

    /* signing refusals */
    ssgw_buf_init(&sig, outside.sig, sizeof outside.sig);
    CHECK_INT(
        ssgw_trust_sign(s, SSGW_TOKEN_MODE_HMAC, GT_A, A.id, g.data, g.len, NOW, &sig, NULL, &e),
        -1); /* no pairwise key with ourselves */
    CHECK_INT(e.code, SSGW_E_MISSING);
    CHECK_INT(
        ssgw_trust_sign(s, SSGW_TOKEN_MODE_ED25519, GT_A, NULL, g.data, g.len, NOW, &sig, NULL, &e),
        -1); /* own key is ECDSA */
    CHECK_INT(ssgw_trust_sign(s, SSGW_TOKEN_MODE_ECDSA_P256,
                              "12345678901234567890123456789012345678901", NULL, g.data, g.len, NOW,
                              &sig, NULL, &e),
              -1);
    ssgw_keyring_free(empty);
    ssgw_trust_free(s);
    ssgw_keyring_free(ka);
    ssgw_keyring_free(kb);
}

static void test_policy(void)
{
    ssgw_trust_policy p;
    ssgw_trust_policy_default(&p);
    CHECK_INT(p.mode, SSGW_TRUST_REQUIRE);
    for (int o = 0; o < SSGW_TRUST_OUTCOME_COUNT; o++)
        CHECK_INT(ssgw_trust_decide(&p, (ssgw_trust_outcome)o),
                  o == SSGW_TRUST_OK ? SSGW_TRUST_ACTION_ALLOW : SSGW_TRUST_ACTION_DROP);
    CHECK_INT(ssgw_trust_decide(&p, (ssgw_trust_outcome)99), SSGW_TRUST_ACTION_DROP);
    p.mode = SSGW_TRUST_VERIFY_IF_PRESENT;
    CHECK_INT(ssgw_trust_decide(&p, SSGW_TRUST_MISSING), SSGW_TRUST_ACTION_ALLOW);
    CHECK_INT(ssgw_trust_decide(&p, SSGW_TRUST_BAD_SIGNATURE), SSGW_TRUST_ACTION_DROP);
    p.action[SSGW_TRUST_STALE] = SSGW_TRUST_ACTION_ALERT;
    CHECK_INT(ssgw_trust_decide(&p, SSGW_TRUST_STALE), SSGW_TRUST_ACTION_ALERT);
    p.action[SSGW_TRUST_OK] = SSGW_TRUST_ACTION_DROP; /* ok always allows */
    CHECK_INT(ssgw_trust_decide(&p, SSGW_TRUST_OK), SSGW_TRUST_ACTION_ALLOW);
    p.action[SSGW_TRUST_REPLAY] = (ssgw_trust_action)42; /* nonsense: drop */
    CHECK_INT(ssgw_trust_decide(&p, SSGW_TRUST_REPLAY), SSGW_TRUST_ACTION_DROP);
    p.mode = SSGW_TRUST_OFF;
    CHECK_INT(ssgw_trust_decide(&p, SSGW_TRUST_BAD_SIGNATURE), SSGW_TRUST_ACTION_ALLOW);
    p.mode = (ssgw_trust_mode)7;
    CHECK_INT(ssgw_trust_decide(&p, SSGW_TRUST_MISSING), SSGW_TRUST_ACTION_DROP);
}

/* UDT that no longer fits after signing becomes XUDT or XUDT segments. */
static void test_repack(void)
{
    ssgw_keyring *ka = kr_a(false);
    ssgw_trust *s = ssgw_trust_new(ka, NULL);
    uint8_t tc[512], sig_mem[1024], m0[300];
    ssgw_buf sig, bufs[16];
    static uint8_t seg_mem[16][300];
    ssgw_error e;
    /* a 200-octet Begin: Begin { otid, components { invoke { id, op 45, param OCTET STRING } } } */
    ssgw_buf b;
    ssgw_buf_init(&b, tc, sizeof tc);
    uint8_t pad[170];
    memset(pad, 0x11, sizeof pad);
    size_t m1 = ssgw_ber_open(&b, SSGW_BER_APPLICATION, 2);
    ssgw_ber_put_tlv(&b, SSGW_BER_APPLICATION, false, 8, "\x01\x02\x03\x04", 4);
    size_t m2 = ssgw_ber_open(&b, SSGW_BER_APPLICATION, 12);
    size_t m3 = ssgw_ber_open(&b, SSGW_BER_CONTEXT, 1);
    ssgw_ber_put_int(&b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_INTEGER, 1);
    ssgw_ber_put_int(&b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_INTEGER, 45);
    ssgw_ber_put_tlv(&b, SSGW_BER_UNIVERSAL, false, SSGW_BER_TAG_OCTET_STRING, pad, sizeof pad);
    ssgw_ber_close(&b, m3);
    ssgw_ber_close(&b, m2);
    ssgw_ber_close(&b, m1);
    CHECK(!b.overflow);

    ssgw_sccp_msg orig;
    ssgw_sccp_msg_init(&orig, SSGW_SCCP_UDT);
    ssgw_sccp_addr_gt(&orig.called, "33612345678", 6);
    ssgw_sccp_addr_gt(&orig.calling, GT_A, 7);
    orig.data = b.data;
    orig.data_len = b.len;

    /* unsigned: still a UDT */
    ssgw_buf_init(&bufs[0], m0, sizeof m0);
    CHECK_INT(ssgw_trust_sccp_repack(&orig, b.data, b.len, 0, 1, bufs, 1, &e), 1);
    CHECK_INT(bufs[0].data[0], SSGW_SCCP_UDT);

    ssgw_buf_init(&sig, sig_mem, sizeof sig_mem);
    CHECK_INT(ssgw_trust_sign(s, SSGW_TOKEN_MODE_ECDSA_P256, GT_A, NULL, b.data, b.len, NOW, &sig,
                              NULL, &e),
              0);
    CHECK(sig.len > 255); /* no longer fits a UDT's one-octet data length */
    for (int i = 0; i < 16; i++)
        ssgw_buf_init(&bufs[i], seg_mem[i], sizeof seg_mem[i]);
    int n = ssgw_trust_sccp_repack(&orig, sig.data, sig.len, 0, 0x123456, bufs, 16, &e);
    CHECK(n >= 2);
    /* the segments decode and carry the signed message in order */
    uint8_t joined[1024];
    size_t jl = 0;
    for (int i = 0; i < n; i++) {
        ssgw_sccp_msg d;
        CHECK_INT(ssgw_sccp_decode(bufs[i].data, bufs[i].len, &d, &e), 0);
        CHECK_INT(d.type, SSGW_SCCP_XUDT);
        CHECK(d.has_segmentation);
        CHECK_INT(d.seg.remaining, n - 1 - i);
        CHECK_STR(d.calling.digits, GT_A);
        memcpy(joined + jl, d.data, d.data_len);
        jl += d.data_len;
    }
    CHECK_MEM(joined, jl, sig.data, sig.len);

    /* a smaller message that outgrows UDT's 255 octets only through the MTP limit: XUDT */
    ssgw_buf_init(&bufs[0], seg_mem[0], sizeof seg_mem[0]);
    CHECK_INT(ssgw_trust_sccp_repack(&orig, sig.data, 240, 0, 1, bufs, 1, &e), 1);
    ssgw_sccp_msg d;
    CHECK_INT(ssgw_sccp_decode(bufs[0].data, bufs[0].len, &d, &e), 0);
    CHECK(d.type == SSGW_SCCP_UDT || d.type == SSGW_SCCP_XUDT);
    ssgw_trust_free(s);
    ssgw_keyring_free(ka);
}

/* Whether the 64-octet raw r||s verifies over a || b under pub, checked by OpenSSL alone:
 * ECDSA_SIG from the two numbers, its DER from i2d_ECDSA_SIG, EVP_DigestVerify hashing the
 * message itself with SHA-256. */
static int ossl_verifies(EVP_PKEY *pub, const uint8_t raw[64], const uint8_t *a, size_t an,
                         const uint8_t *b, size_t bn)
{
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, 32, NULL), *s = BN_bin2bn(raw + 32, 32, NULL);
    unsigned char *der = NULL;
    uint8_t *msg = malloc(an + bn);
    CHECK(sig && r && s && msg && ECDSA_SIG_set0(sig, r, s) == 1);
    int dn = i2d_ECDSA_SIG(sig, &der);
    memcpy(msg, a, an);
    if (bn) memcpy(msg + an, b, bn);
    EVP_MD_CTX *mc = EVP_MD_CTX_new();
    int ok = dn > 0 && mc && EVP_DigestVerifyInit(mc, NULL, EVP_sha256(), NULL, pub) == 1 &&
             EVP_DigestVerify(mc, der, (size_t)dn, msg, an + bn) == 1;
    EVP_MD_CTX_free(mc);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    free(msg);
    return ok;
}

/* key written as PKCS#8 PEM and read back (as ssgw_key_load reads a key file). */
static EVP_PKEY *through_pem(EVP_PKEY *key)
{
    BIO *m = BIO_new(BIO_s_mem());
    CHECK(m && PEM_write_bio_PrivateKey(m, key, NULL, NULL, 0, NULL, NULL) == 1);
    EVP_PKEY *k = PEM_read_bio_PrivateKey(m, NULL, NULL, NULL);
    BIO_free(m);
    CHECK(k != NULL);
    return k;
}

/* ECDSA tags made by ssgw_token_make_tag2 verify with OpenSSL alone over the message and fail
 * with a bit flipped or under the other key; the signing key switched in one context (A, B,
 * A read from PEM) signs with the key given each time. */
static void test_ecdsa_tag_independent(void)
{
    EVP_PKEY *a_pem = through_pem(A.ecdsa);
    EVP_PKEY *pub_a = public_only(A.ecdsa), *pub_b = public_only(B.ecdsa);
    EVP_PKEY *signer[3] = {A.ecdsa, B.ecdsa, a_pem}, *pub[3] = {pub_a, pub_b, pub_a};
    ssgw_token_crypto *c = ssgw_token_crypto_new();
    CHECK(c && pub_a && pub_b);
    uint8_t head[61], body[300];
    int good = 0, flipped_fail = 0, other_fail = 0, n = 192;
    for (int i = 0; i < n; i++) {
        for (size_t k = 0; k < sizeof head; k++)
            head[k] = (uint8_t)(i * 7 + k);
        size_t bn = (size_t)(i * 13) % sizeof body;
        for (size_t k = 0; k < bn; k++)
            body[k] = (uint8_t)(i ^ (k * 31));
        int who = (i / 8) % 3; /* runs of 8 signatures per key */
        ssgw_token t;
        memset(&t, 0, sizeof t);
        t.mode = SSGW_TOKEN_MODE_ECDSA_P256;
        CHECK_INT(ssgw_token_make_tag2(c, &t, signer[who], NULL, head, sizeof head, body, bn), 0);
        CHECK_INT((int)t.tag_len, 64);
        good += ossl_verifies(pub[who], t.tag, head, sizeof head, body, bn);
        other_fail += !ossl_verifies(pub[(who + 1) % 2], t.tag, head, sizeof head, body, bn);
        t.tag[i % 64] ^= (uint8_t)(1u << (i % 8));
        flipped_fail += !ossl_verifies(pub[who], t.tag, head, sizeof head, body, bn);
    }
    CHECK_INT(good, n);
    CHECK_INT(other_fail, n);
    CHECK_INT(flipped_fail, n);
    /* not a P-256 signing key: no tag */
    ssgw_token t;
    memset(&t, 0, sizeof t);
    t.mode = SSGW_TOKEN_MODE_ECDSA_P256;
    CHECK_INT(ssgw_token_make_tag2(c, &t, A.ed25519, NULL, head, sizeof head, NULL, 0), -1);
    CHECK_INT(ssgw_token_make_tag2(c, &t, pub_a, NULL, head, sizeof head, NULL, 0), -1);
    CHECK_INT(ssgw_token_make_tag2(c, &t, A.ecdsa, NULL, head, sizeof head, NULL, 0), 0);
    CHECK(ossl_verifies(pub_a, t.tag, head, sizeof head, NULL, 0));
    ssgw_token_crypto_free(c);
    EVP_PKEY_free(a_pem);
    EVP_PKEY_free(pub_a);
    EVP_PKEY_free(pub_b);
}

static ssgw_trust_outcome verify_parties(ssgw_keyring *kb, const ssgw_token_parties *p,
                                         const uint8_t *m, size_t len)
{
    ssgw_trust *v = ssgw_trust_new(kb, NULL);
    ssgw_trust_result res;
    ssgw_trust_outcome o = ssgw_trust_verify_parties(v, p, m, len, NOW, &res, NULL);
    ssgw_trust_free(v);
    return o;
}

/*
 * Token version 2 binds the destination (review rev21 F4): a token A made for B no longer
 * verifies with another called GT (re-addressed to another member, reflected back to A, or
 * none), another called SSN or another calling SSN, in every mode; the exact parties
 * verify. The ECDSA tag verifies with OpenSSL alone over a signature input written here
 * from docs/wire-format.md section 4, not by sign.c. The same token under the version 1 OID
 * is refused as old_version, whatever its signature.
 */
static void test_destination_binding(void)
{
    static uint8_t msg[1024], sig_mem[2048], back_mem[2048], tbs[2048];
    ssgw_keyring *ka[2] = {kr_a(false), kr_a(true)}, *kb[2] = {kr_b(false), kr_b(true)};
    ssgw_trust *s[2] = {ssgw_trust_new(ka[0], NULL), ssgw_trust_new(ka[1], NULL)};
    EVP_PKEY *pub_a = public_only(A.ecdsa);
    ssgw_buf g, sig, back;
    ssgw_gen_info info;
    ssgw_error e;
    ssgw_buf_init(&g, msg, sizeof msg);
    CHECK_INT(ssgw_gen_tcap(3, 0, &g, &info, &e), 0);
    const ssgw_token_parties to_b = {GT_A, "25472200001", 7, 6};
    for (int mode = 0; mode < SSGW_TOKEN_MODE_COUNT; mode++) {
        int ed = mode == SSGW_TOKEN_MODE_ED25519;
        ssgw_buf_init(&sig, sig_mem, sizeof sig_mem);
        CHECK_INT(ssgw_trust_sign_parties(s[ed], (ssgw_token_mode)mode, &to_b, B.id, g.data, g.len,
                                          NOW, &sig, NULL, &e),
                  0);
        CHECK_INT(verify_parties(kb[ed], &to_b, sig.data, sig.len), SSGW_TRUST_OK);
        const ssgw_token_parties moved[] = {
            {GT_A, "491710000001", 7, 6}, /* re-addressed to another member */
            {GT_A, GT_A, 7, 6},           /* reflected back to the signer */
            {GT_A, "", 7, 6},             /* routed without a called GT */
            {GT_A, "25472200001", 7, 7},  /* another subsystem inside B */
            {GT_A, "25472200001", 8, 6},  /* another calling subsystem */
            {GT_A, "25472200002", 7, 6},  /* another node inside B */
        };
        for (size_t i = 0; i < sizeof moved / sizeof *moved; i++)
            CHECK_INT(verify_parties(kb[ed], &moved[i], sig.data, sig.len),
                      SSGW_TRUST_BAD_SIGNATURE);

        ssgw_token tok;
        ssgw_buf_init(&back, back_mem, sizeof back_mem);
        CHECK_INT(ssgw_token_strip(sig.data, sig.len, &tok, &back, NULL, &e), 1);
        CHECK_INT(tok.version, 2);
        if (mode == SSGW_TOKEN_MODE_ECDSA_P256) {
            /* docs/wire-format.md section 4, octet by octet */
            size_t n = 0;
            memcpy(tbs, "SSGWTOKEN2", 10);
            n = 10;
            tbs[n++] = (uint8_t)tok.mode;
            tbs[n++] = (uint8_t)tok.placement;
            memcpy(tbs + n, A.id, 8);
            n += 8;
            memset(tbs + n, 0, 8); /* recipient key id: zeros but in fast mode */
            n += 8;
            for (int k = 7; k >= 0; k--)
                tbs[n++] = (uint8_t)(tok.time >> (8 * k));
            memcpy(tbs + n, tok.nonce, 8);
            n += 8;
            tbs[n++] = (uint8_t)strlen(GT_A);
            memcpy(tbs + n, GT_A, strlen(GT_A));
            n += strlen(GT_A);
            tbs[n++] = 7;
            tbs[n++] = 11;
            memcpy(tbs + n, "25472200001", 11);
            n += 11;
            tbs[n++] = 6;
            for (int k = 3; k >= 0; k--)
                tbs[n++] = (uint8_t)(back.len >> (8 * k));
            memcpy(tbs + n, back.data, back.len);
            n += back.len;
            CHECK_MEM(back.data, back.len, g.data, g.len);
            CHECK(ossl_verifies(pub_a, tok.tag, tbs, n, NULL, 0));
            tbs[n - back.len - 5] = 7; /* the called SSN */
            CHECK(!ossl_verifies(pub_a, tok.tag, tbs, n, NULL, 0));
        }

        /* the version 1 OID (last arc 1) in front of the same token */
        static const uint8_t oid[] = SSGW_TCAP_TOKEN_OID_OCTETS;
        uint8_t *at = NULL;
        for (size_t i = 0; i + sizeof oid <= sig.len && !at; i++)
            if (!memcmp(sig.data + i, oid, sizeof oid)) at = sig.data + i;
        CHECK(at != NULL);
        if (at) {
            at[sizeof oid - 1] = 1;
            CHECK_INT(verify_parties(kb[ed], &to_b, sig.data, sig.len), SSGW_TRUST_OLD_VERSION);
            at[sizeof oid - 1] = 3; /* no version we know: not our token at all */
            CHECK(verify_parties(kb[ed], &to_b, sig.data, sig.len) != SSGW_TRUST_OK);
        }
    }
    EVP_PKEY_free(pub_a);
    for (int i = 0; i < 2; i++) {
        ssgw_trust_free(s[i]);
        ssgw_keyring_free(ka[i]);
        ssgw_keyring_free(kb[i]);
    }
}

static double secs(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Rough rates on one core (this build may run under sanitizers: see the real benchmark). */
static void test_rate(void)
{
    ssgw_keyring *ka = kr_a(false), *kb = kr_b(false);
    ssgw_trust *s = ssgw_trust_new(ka, NULL), *v = ssgw_trust_new(kb, NULL);
    uint8_t msg[1024], sig_mem[2048];
    ssgw_buf g, sig;
    ssgw_gen_info info;
    ssgw_error e;
    ssgw_buf_init(&g, msg, sizeof msg);
    ssgw_gen_tcap(1, 0, &g, &info, &e);
    for (int mode = 0; mode < 3; mode += 2) {
        int n = mode == SSGW_TOKEN_MODE_HMAC ? 20000 : 500;
        struct timespec t0, t1, t2;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (int i = 0; i < n; i++) {
            ssgw_buf_init(&sig, sig_mem, sizeof sig_mem);
            ssgw_trust_sign(s, (ssgw_token_mode)mode, GT_A, B.id, g.data, g.len, NOW, &sig, NULL,
                            &e);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        ssgw_trust_result res;
        int ok = 0;
        for (int i = 0; i < n; i++)
            ok += ssgw_trust_verify(v, GT_A, sig.data, sig.len, NOW, &res, NULL) ==
                  (i ? SSGW_TRUST_REPLAY : SSGW_TRUST_OK);
        clock_gettime(CLOCK_MONOTONIC, &t2);
        CHECK_INT(ok, n);
        printf("  %-16s %zu-octet TCAP: sign %.0f/s, verify %.0f/s (one core, this build)\n",
               ssgw_token_mode_name(mode), g.len, n / secs(&t0, &t1), n / secs(&t1, &t2));
    }
    ssgw_trust_free(s);
    ssgw_trust_free(v);
    ssgw_keyring_free(ka);
    ssgw_keyring_free(kb);
}

int main(void)
{
    make_keys(&A, false);
    make_keys(&B, false);
    RUN(test_names);
    RUN(test_key_id_and_pairwise);
    RUN(test_corpus);
    RUN(test_tamper);
    RUN(test_outcomes);
    RUN(test_policy);
    RUN(test_repack);
    RUN(test_ecdsa_tag_independent);
    RUN(test_destination_binding);
    RUN(test_rate);
    free_keys(&A);
    free_keys(&B);
    return check_summary();
}
