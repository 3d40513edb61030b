/*
 * hmac_sha256.c - HMAC-SHA256 from kept keyed states (see hmac_int.h for why and the
 * figures). RFC 2104: H((K ^ opad) || H((K ^ ipad) || text)); the states after the first
 * block of each are computed once per key and copied for every message.
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* SHA256_CTX: see hmac_int.h */

#include "trust/hmac_int.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <string.h>

struct ssgw_hmac_sha256 {
    SHA256_CTX inner; /* after (K ^ ipad) */
    SHA256_CTX outer; /* after (K ^ opad) */
};

ssgw_hmac_sha256 *ssgw_hmac_sha256_new(void)
{
    return OPENSSL_zalloc(sizeof(ssgw_hmac_sha256));
}

void ssgw_hmac_sha256_free(ssgw_hmac_sha256 *h)
{
    OPENSSL_clear_free(h, sizeof *h);
}

void ssgw_hmac_sha256_set_key(ssgw_hmac_sha256 *h, const uint8_t *key, size_t len)
{
    uint8_t k[SHA256_CBLOCK] = {0}, pad[SHA256_CBLOCK];
    if (len > SHA256_CBLOCK)
        SHA256(key, len, k);
    else if (len)
        memcpy(k, key, len);
    for (size_t i = 0; i < SHA256_CBLOCK; i++)
        pad[i] = k[i] ^ 0x36;
    SHA256_Init(&h->inner);
    SHA256_Update(&h->inner, pad, sizeof pad);
    for (size_t i = 0; i < SHA256_CBLOCK; i++)
        pad[i] = k[i] ^ 0x5c;
    SHA256_Init(&h->outer);
    SHA256_Update(&h->outer, pad, sizeof pad);
    OPENSSL_cleanse(k, sizeof k);
    OPENSSL_cleanse(pad, sizeof pad);
}

void ssgw_hmac_sha256_mac2(const ssgw_hmac_sha256 *h, const uint8_t *a, size_t an, const uint8_t *b,
                           size_t bn, uint8_t out[32])
{
    SHA256_CTX c = h->inner;
    uint8_t ih[SHA256_DIGEST_LENGTH];
    SHA256_Update(&c, a, an);
    if (bn) SHA256_Update(&c, b, bn);
    SHA256_Final(ih, &c);
    c = h->outer;
    SHA256_Update(&c, ih, sizeof ih);
    SHA256_Final(out, &c);
    /* c and ih now hold hashes of the message, not the key: nothing to wipe */
}
