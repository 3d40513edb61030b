/*
 * test_hmac_sha256.c - the token's HMAC-SHA256 from kept keyed states (src/trust/
 * hmac_sha256.c) against two independent references: the HMAC-SHA-256 test vectors of
 * RFC 4231 section 4 (test case 5 checks the 128-bit truncation the fast mode uses), and
 * OpenSSL's EVP_MAC "HMAC" on random keys (0..140 octets: shorter, equal to and longer than
 * the 64-octet block) and inputs (0..300 octets, split into the two pieces at every point
 * for some). Then the same through the token API: ssgw_token_make_tag / _check_tag2 in the
 * HMAC mode, with the pairwise key changing between calls among more keys than sign.c keeps
 * keyed states for, neighbours one octet apart included (the kept states must follow).
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ssgw/token.h"
#include "trust/hmac_int.h"

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = 0;
    for (; h[0] && h[1]; h += 2)
        out[n++] = (uint8_t)strtoul((char[]){h[0], h[1], 0}, NULL, 16);
    return n;
}

static void reference(const uint8_t *key, size_t klen, const uint8_t *msg, size_t len,
                      uint8_t out[32])
{
    EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *c = EVP_MAC_CTX_new(m);
    OSSL_PARAM p[2] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                       OSSL_PARAM_construct_end()};
    size_t ol = 0;
    CHECK(EVP_MAC_init(c, key, klen, p) && EVP_MAC_update(c, msg, len) &&
          EVP_MAC_final(c, out, &ol, 32) && ol == 32);
    EVP_MAC_CTX_free(c);
    EVP_MAC_free(m);
}

static void test_rfc4231(void)
{
    static const struct {
        const char *key, *data, *mac;
    } v[] = {
        {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
         "dddddddddddddddd",
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {"0102030405060708090a0b0c0d0e0f10111213141516171819",
         "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
         "cdcdcdcdcdcdcdcd",
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
        {"0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "546573742057697468205472756e636174696f6e",
         "a3b6167473100ee06e0c796c2955552b"}, /* truncated to 128 bits */
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaa", /* 131 octets */
         "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048"
         "617368204b6579204669727374",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaa", /* 131 octets */
         "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d"
         "73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a652064617461"
         "2e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720"
         "757365642062792074686520484d414320616c676f726974686d2e",
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
    };
    ssgw_hmac_sha256 *h = ssgw_hmac_sha256_new();
    CHECK(h != NULL);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint8_t key[256], data[256], want[32], got[32];
        size_t kl = unhex(v[i].key, key), dl = unhex(v[i].data, data), ml = unhex(v[i].mac, want);
        ssgw_hmac_sha256_set_key(h, key, kl);
        ssgw_hmac_sha256_mac2(h, data, dl, NULL, 0, got);
        CHECK_MEM(got, ml, want, ml);
        ssgw_hmac_sha256_mac2(h, data, dl / 3, data + dl / 3, dl - dl / 3, got); /* two pieces */
        CHECK_MEM(got, ml, want, ml);
    }
    ssgw_hmac_sha256_free(h);
}

static void test_against_evp_mac(void)
{
    ssgw_hmac_sha256 *h = ssgw_hmac_sha256_new();
    uint8_t key[140], msg[300], want[32], got[32];
    unsigned mismatches = 0;
    for (unsigned round = 0; round < 400; round++) {
        size_t kl = check_rand() % sizeof key, ml = check_rand() % sizeof msg;
        for (size_t i = 0; i < kl; i++)
            key[i] = (uint8_t)check_rand();
        for (size_t i = 0; i < ml; i++)
            msg[i] = (uint8_t)check_rand();
        reference(key, kl, msg, ml, want);
        ssgw_hmac_sha256_set_key(h, key, kl);
        size_t step = round % 20 == 0 ? 1 : ml / 4 + 1; /* every split point now and then */
        for (size_t cut = 0; cut <= ml; cut += step) {
            ssgw_hmac_sha256_mac2(h, msg, cut, msg + cut, ml - cut, got);
            if (memcmp(got, want, 32)) mismatches++;
        }
    }
    CHECK_INT(mismatches, 0);
    ssgw_hmac_sha256_free(h);
}

/* The token API in the HMAC mode: tags equal to EVP_MAC's, truncated to 16, as keys change:
 * more keys than sign.c keeps keyed states for, some of them one octet away from another
 * (in each 8-octet word), used in runs and at random so kept states are both hit and
 * replaced. */
static void test_token_tags(void)
{
    enum { NKEYS = 24 };
    ssgw_token_crypto *c = ssgw_token_crypto_new();
    uint8_t keys[NKEYS][SSGW_PAIRWISE_KEY_LEN], tbs[200], want[32];
    for (size_t k = 0; k < NKEYS; k++)
        for (size_t i = 0; i < SSGW_PAIRWISE_KEY_LEN; i++)
            keys[k][i] = (uint8_t)check_rand();
    for (size_t k = NKEYS / 2; k < NKEYS; k++) { /* a neighbour of key k - NKEYS / 2 */
        memcpy(keys[k], keys[k - NKEYS / 2], SSGW_PAIRWISE_KEY_LEN);
        keys[k][(k * 7) % SSGW_PAIRWISE_KEY_LEN] ^= (uint8_t)(1u << (k % 8));
    }
    unsigned bad = 0, accepted_wrong = 0;
    size_t which = 0;
    for (unsigned round = 0; round < 3000; round++) {
        if (round % 5 == 0) /* a run of five on one key, among few or among all */
            which = check_rand() % (round % 2 ? NKEYS : 4) + (round % 3 ? 0 : NKEYS / 2) % NKEYS;
        const uint8_t *key = keys[which % NKEYS];
        size_t n = 60 + check_rand() % (sizeof tbs - 60), cut = check_rand() % n;
        for (size_t i = 0; i < n; i++)
            tbs[i] = (uint8_t)check_rand();
        ssgw_token t;
        memset(&t, 0, sizeof t);
        t.mode = SSGW_TOKEN_MODE_HMAC;
        if (ssgw_token_make_tag(c, &t, NULL, key, tbs, n) < 0 || t.tag_len != 16) bad++;
        reference(key, SSGW_PAIRWISE_KEY_LEN, tbs, n, want);
        if (memcmp(t.tag, want, 16)) bad++;
        if (ssgw_token_check_tag2(c, &t, NULL, key, tbs, cut, tbs + cut, n - cut) != 1) bad++;
        const uint8_t *other = keys[(which + NKEYS / 2) % NKEYS]; /* the neighbour */
        if (ssgw_token_check_tag2(c, &t, NULL, other, tbs, cut, tbs + cut, n - cut) != 0)
            accepted_wrong++;
        tbs[check_rand() % n] ^= 0x10;
        if (ssgw_token_check_tag(c, &t, NULL, key, tbs, n) != 0) accepted_wrong++;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(accepted_wrong, 0);
    ssgw_token_crypto_free(c);
}

int main(void)
{
    RUN(test_rfc4231);
    RUN(test_against_evp_mac);
    RUN(test_token_tags);
    return check_summary();
}
