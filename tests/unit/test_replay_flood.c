/*
 * test_replay_flood.c - one hostile signer cannot flush another's replay protection
 * (src/trust/replay.c, src/trust/verify.c; docs/wire-format.md "Replay cache").
 *
 * Three operators with real keys (OpenSSL): V verifies, B is an honest partner, A is a
 * certified member that signs as fast as it likes. B's tokens are accepted, A floods the
 * verifier's replay cache with ten times its size of valid tokens, then B's captured
 * tokens are sent again: every one must be refused as replay (before the per-operator
 * share, A's flood evicted B's entries and they came through as ok). A second key of
 * operator A shares A's quota; A's own accepted tokens stay replays; once A's entries
 * leave the window A is accepted again; B keeps being accepted throughout. The shared
 * cache's hook is told how long each token stays acceptable, from the token's own time.
 */
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "check.h"
#include "ssgw/gen.h"
#include "ssgw/token.h"

#define NOW ((time_t)1767225600) /* 2026-01-01, even: slice boundaries are predictable */

typedef struct {
    EVP_PKEY *sign, *ka;
    uint8_t id[SSGW_KEY_ID_LEN];
    const char *name, *country, *gt_range, *gt;
} op;

static op V = {NULL, NULL, {0}, "Verifier Telecom", "DE", "4930", "4930123"};
static op A = {NULL, NULL, {0}, "Flood Telecom", "XX", "88299", "882990001"};
static op A2 = {NULL, NULL, {0}, "Flood Telecom", "XX", "88299", "882990002"}; /* A's 2nd key */
static op B = {NULL, NULL, {0}, "Honest Mobile", "GB", "4477", "447700900123"};

static void make(op *o)
{
    o->sign = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    o->ka = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    CHECK(o->sign && o->ka);
    CHECK_INT(ssgw_key_id(o->sign, o->id), 0);
}

/* o as a member of someone's keyring (the keyring keeps its own references). */
static void add(ssgw_keyring *kr, const op *o)
{
    ssgw_keyring_member m;
    memset(&m, 0, sizeof m);
    m.sign_key = o->sign;
    m.ka_key = o->ka;
    memcpy(m.key_id, o->id, SSGW_KEY_ID_LEN);
    snprintf(m.identity.name, sizeof m.identity.name, "%s", o->name);
    snprintf(m.identity.country, sizeof m.identity.country, "%s", o->country);
    CHECK_INT(ssgw_gt_range_parse(o->gt_range, &m.identity.gt[0]), 0);
    m.identity.n_gt = 1;
    m.not_before = NOW - 86400;
    m.not_after = NOW + 86400 * 365;
    CHECK_INT(ssgw_keyring_add(kr, &m), 0);
}

static ssgw_keyring *keyring_of(const op *own, const op *const *members, size_t n)
{
    ssgw_keyring *kr = ssgw_keyring_new();
    CHECK_INT(ssgw_keyring_set_own(kr, own->sign, own->ka), 0);
    for (size_t i = 0; i < n; i++)
        add(kr, members[i]);
    return kr;
}

static uint8_t tcap[512];
static size_t tcap_len;

typedef struct {
    uint8_t b[1024];
    size_t n;
} msg;

/* One message signed by the signer context s of operator o at when (fast mode, towards V). */
static void sign(ssgw_trust *s, const op *o, time_t when, msg *out)
{
    ssgw_buf b;
    ssgw_error e;
    ssgw_buf_init(&b, out->b, sizeof out->b);
    CHECK_INT(
        ssgw_trust_sign(s, SSGW_TOKEN_MODE_HMAC, o->gt, V.id, tcap, tcap_len, when, &b, NULL, &e),
        0);
    out->n = b.len;
}

static ssgw_trust_outcome verify(ssgw_trust *v, const op *o, const msg *m, time_t now)
{
    ssgw_trust_result res;
    return ssgw_trust_verify(v, o->gt, m->b, m->n, now, &res, NULL);
}

static void test_flood(void)
{
    const op *va[] = {&V}, *all[] = {&A, &A2, &B};
    ssgw_keyring *kra = keyring_of(&A, va, 1), *kra2 = keyring_of(&A2, va, 1),
                 *krb = keyring_of(&B, va, 1), *krv = keyring_of(&V, all, 3);
    ssgw_trust *sa = ssgw_trust_new(kra, NULL), *sa2 = ssgw_trust_new(kra2, NULL),
               *sb = ssgw_trust_new(krb, NULL);
    ssgw_trust_config cfg;
    ssgw_trust_config_default(&cfg);
    cfg.replay_entries = 4096; /* default share 25 %: 1024 entries per operator */
    ssgw_trust *v = ssgw_trust_new(krv, &cfg);
    CHECK(sa && sa2 && sb && v);

    /* B's traffic, captured by someone on the path */
    static msg b_msgs[32];
    for (int i = 0; i < 32; i++) {
        sign(sb, &B, NOW, &b_msgs[i]);
        CHECK_INT(verify(v, &B, &b_msgs[i], NOW), SSGW_TRUST_OK);
    }

    /* A floods: 40,960 valid tokens over 20 s, ten times the cache */
    unsigned ok = 0, full = 0;
    static msg a_first[16];
    for (unsigned i = 0; i < 40960; i++) {
        time_t t = NOW + 1 + (time_t)(i / 2048);
        msg m;
        sign(sa, &A, t, &m);
        if (i < 16) a_first[i] = m;
        ssgw_trust_outcome o = verify(v, &A, &m, t);
        ok += o == SSGW_TRUST_OK;
        full += o == SSGW_TRUST_REPLAY_FULL;
    }
    printf("  A's flood: %u ok, %u replay_full\n", ok, full);

    /* the point: every one of B's captured tokens is still a replay */
    unsigned replayed = 0;
    for (int i = 0; i < 32; i++)
        replayed += verify(v, &B, &b_msgs[i], NOW + 20) == SSGW_TRUST_REPLAY;
    CHECK_INT(replayed, 32);

    /* A held exactly its share and was refused beyond it, counted */
    CHECK_INT(ok, 1024);
    CHECK_INT(full, 40960 - 1024);
    ssgw_trust_stats st;
    ssgw_trust_get_stats(v, &st);
    CHECK_INT(st.outcomes[SSGW_TRUST_REPLAY_FULL], 40960 - 1024);
    CHECK_INT(st.replay_refused_share, 40960 - 1024);
    CHECK_INT(st.replay_refused_full, 0);
    CHECK_INT(st.replay_evicted_live, 0);
    CHECK_INT(st.outcomes[SSGW_TRUST_REPLAY], 32);
    CHECK_STR(ssgw_trust_outcome_name(SSGW_TRUST_REPLAY_FULL), "replay_full");

    /* A's own accepted tokens are still replays; refusing forgets nothing */
    for (int i = 0; i < 16; i++)
        CHECK_INT(verify(v, &A, &a_first[i], NOW + 20), SSGW_TRUST_REPLAY);
    /* A's second key is the same operator: the same share */
    msg m;
    sign(sa2, &A2, NOW + 20, &m);
    CHECK_INT(verify(v, &A2, &m, NOW + 20), SSGW_TRUST_REPLAY_FULL);
    /* B is still accepted */
    sign(sb, &B, NOW + 20, &m);
    CHECK_INT(verify(v, &B, &m, NOW + 20), SSGW_TRUST_OK);

    /* A's entries (token times NOW + 1) leave the window at NOW + 62 (slices of 2 s for a
     * 60 s window): A is accepted again, and its token time NOW + 1 ones are dead */
    sign(sa, &A, NOW + 62, &m);
    CHECK_INT(verify(v, &A, &m, NOW + 61), SSGW_TRUST_REPLAY_FULL);
    sign(sa, &A, NOW + 62, &m);
    CHECK_INT(verify(v, &A, &m, NOW + 62), SSGW_TRUST_OK);
    CHECK_INT(verify(v, &A, &a_first[0], NOW + 62), SSGW_TRUST_STALE);

    ssgw_trust_free(v);
    ssgw_trust_free(sa);
    ssgw_trust_free(sa2);
    ssgw_trust_free(sb);
    ssgw_keyring_free(kra);
    ssgw_keyring_free(kra2);
    ssgw_keyring_free(krb);
    ssgw_keyring_free(krv);
}

/* The share is configured per verifier: at 100 % one operator may fill the cache, yet it
 * still never replaces another's live entry. A cache of 16 entries is two sets, the two
 * choices of every key: B fills them, then A is refused (no room, counted apart from the
 * share), B's tokens stay replays and B, at its share, is refused too; at 50 % B is
 * refused beyond 8 and A still accepted. */
static void test_full_share(void)
{
    const op *va[] = {&V}, *all[] = {&A, &B};
    ssgw_keyring *kra = keyring_of(&A, va, 1), *krb = keyring_of(&B, va, 1),
                 *krv = keyring_of(&V, all, 2);
    ssgw_trust *sa = ssgw_trust_new(kra, NULL), *sb = ssgw_trust_new(krb, NULL);
    ssgw_trust_config cfg;
    ssgw_trust_config_default(&cfg);
    cfg.replay_entries = 16;
    cfg.replay_share = 0;
    CHECK(ssgw_trust_new(krv, &cfg) == NULL);
    cfg.replay_share = 101;
    CHECK(ssgw_trust_new(krv, &cfg) == NULL);
    cfg.replay_share = 100;
    ssgw_trust *v = ssgw_trust_new(krv, &cfg);
    CHECK(v != NULL);
    static msg b_msgs[16];
    for (int i = 0; i < 16; i++) {
        sign(sb, &B, NOW, &b_msgs[i]);
        CHECK_INT(verify(v, &B, &b_msgs[i], NOW), SSGW_TRUST_OK);
    }
    msg m;
    for (int i = 0; i < 100; i++) {
        sign(sa, &A, NOW + 1, &m);
        CHECK_INT(verify(v, &A, &m, NOW + 1), SSGW_TRUST_REPLAY_FULL);
    }
    for (int i = 0; i < 16; i++)
        CHECK_INT(verify(v, &B, &b_msgs[i], NOW + 2), SSGW_TRUST_REPLAY);
    /* B holds all 16, its share at 100 % */
    sign(sb, &B, NOW + 2, &m);
    CHECK_INT(verify(v, &B, &m, NOW + 2), SSGW_TRUST_REPLAY_FULL);
    ssgw_trust_stats st;
    ssgw_trust_get_stats(v, &st);
    CHECK_INT(st.replay_refused_full, 100);
    CHECK_INT(st.replay_refused_share, 1);
    CHECK_INT(st.replay_evicted_live, 0);
    CHECK_INT(st.outcomes[SSGW_TRUST_REPLAY_FULL], 101);
    ssgw_trust_free(v);

    cfg.replay_share = 50;
    v = ssgw_trust_new(krv, &cfg);
    for (int i = 0; i < 9; i++) {
        sign(sb, &B, NOW, &m);
        CHECK_INT(verify(v, &B, &m, NOW), i < 8 ? SSGW_TRUST_OK : SSGW_TRUST_REPLAY_FULL);
    }
    sign(sa, &A, NOW, &m);
    CHECK_INT(verify(v, &A, &m, NOW), SSGW_TRUST_OK);
    ssgw_trust_free(v);
    ssgw_trust_free(sa);
    ssgw_trust_free(sb);
    ssgw_keyring_free(kra);
    ssgw_keyring_free(krb);
    ssgw_keyring_free(krv);
}

/* What a verifier tells the shared replay cache (ssgw_trust_replay_hook). */
typedef struct {
    unsigned calls;
    uint32_t accept_s;
} hook_seen;

static int record_hook(void *ctx, const uint8_t *key_id, const uint8_t *nonce, uint32_t accept_s)
{
    (void)key_id;
    (void)nonce;
    hook_seen *h = ctx;
    h->calls++;
    h->accept_s = accept_s;
    return 0;
}

/* The hook's accept_s is how long the token stays acceptable, from its own time: for every
 * token time around the window (5 s, then the default 60 s), a second verifier with the same
 * clock and a cache of its own (the other gateway of a pair) still accepts the token at
 * now + accept_s - 1 and calls it stale at now + accept_s, and the first one's own cache
 * still knows it at now + accept_s - 1. A token outside the window never reaches the hook. */
static void test_hook_lifetime(void)
{
    const op *va[] = {&V}, *all[] = {&B};
    ssgw_keyring *krb = keyring_of(&B, va, 1), *krv = keyring_of(&V, all, 1);
    ssgw_trust *sb = ssgw_trust_new(krb, NULL);
    for (int64_t w = 5; w <= 60; w += 55) {
        ssgw_trust_config cfg;
        ssgw_trust_config_default(&cfg);
        cfg.window_s = w;
        cfg.replay_entries = 4096;
        ssgw_trust *v = ssgw_trust_new(krv, &cfg), *other = ssgw_trust_new(krv, &cfg);
        CHECK(sb && v && other);
        hook_seen h = {0, 0};
        ssgw_trust_set_replay_hook(v, record_hook, &h);
        unsigned checked = 0;
        for (int64_t d = -w - 3; d <= w + 3; d++) {
            msg m;
            sign(sb, &B, NOW + d, &m);
            unsigned before = h.calls;
            ssgw_trust_outcome o = verify(v, &B, &m, NOW);
            if (d < -w || d > w) {
                CHECK_INT(o, SSGW_TRUST_STALE);
                CHECK_INT(h.calls, before); /* refused before any shared write */
                continue;
            }
            CHECK_INT(o, SSGW_TRUST_OK);
            CHECK_INT(h.calls, before + 1);
            uint32_t a = h.accept_s;
            CHECK(a >= 1 && a <= (uint32_t)(2 * w + 1));
            CHECK_INT(verify(other, &B, &m, NOW + (time_t)a - 1), SSGW_TRUST_OK);
            CHECK_INT(verify(other, &B, &m, NOW + (time_t)a), SSGW_TRUST_STALE);
            CHECK_INT(verify(v, &B, &m, NOW + (time_t)a - 1), SSGW_TRUST_REPLAY);
            checked++;
        }
        CHECK_INT(checked, 2 * w + 1);
        ssgw_trust_free(v);
        ssgw_trust_free(other);
    }
    ssgw_trust_free(sb);
    ssgw_keyring_free(krb);
    ssgw_keyring_free(krv);
}

/* The operator id: the same name and country -> the same id whatever the key; another name
 * or country -> another; no name -> the key id itself. Against SHA-256 computed here. */
static void test_operator_id(void)
{
    ssgw_identity id;
    memset(&id, 0, sizeof id);
    uint8_t k1[8] = {1, 2, 3, 4, 5, 6, 7, 8}, k2[8] = {8, 7, 6, 5, 4, 3, 2, 1}, a[8], b[8];
    ssgw_operator_id(&id, k1, a);
    CHECK(memcmp(a, k1, 8) == 0);
    snprintf(id.name, sizeof id.name, "Flood Telecom");
    snprintf(id.country, sizeof id.country, "XX");
    ssgw_operator_id(&id, k1, a);
    ssgw_operator_id(&id, k2, b);
    CHECK(memcmp(a, b, 8) == 0);
    uint8_t md[32];
    unsigned int mdlen = 0;
    const char in[] = "OpenSSGW operator v1XX\0Flood Telecom";
    CHECK(EVP_Digest(in, sizeof in - 1, md, &mdlen, EVP_sha256(), NULL) == 1);
    CHECK(memcmp(a, md, 8) == 0);
    snprintf(id.country, sizeof id.country, "GB");
    ssgw_operator_id(&id, k1, b);
    CHECK(memcmp(a, b, 8) != 0);
}

int main(void)
{
    ssgw_buf g;
    ssgw_gen_info info;
    ssgw_error e;
    ssgw_buf_init(&g, tcap, sizeof tcap);
    CHECK_INT(ssgw_gen_tcap(3, 7, &g, &info, &e), 0);
    tcap_len = g.len;
    make(&V);
    make(&A);
    make(&A2);
    make(&B);
    RUN(test_flood);
    RUN(test_full_share);
    RUN(test_operator_id);
    RUN(test_hook_lifetime);
    op *ops[] = {&V, &A, &A2, &B};
    for (int i = 0; i < 4; i++) {
        EVP_PKEY_free(ops[i]->sign);
        EVP_PKEY_free(ops[i]->ka);
    }
    return check_summary();
}
