/*
 * hmac_int.h - HMAC-SHA256 (RFC 2104) with the keyed inner and outer SHA-256 states kept,
 * for the token's fast mode (sign.c). Not a public API.
 *
 * Why not EVP_MAC: EVP_MAC_init re-keys per message by duplicating a provider digest
 * context, and EVP_MAC_final does it again for the outer hash; with the two keyed states
 * kept as plain structures, a MAC is two structure copies and the SHA-256 block function.
 * Measured natively (thread CPU time, 400,000 MACs over a 61 + 54 octet input, on the shared
 * 2-vCPU VM with SHA-NI, OpenSSL 3.0.19): EVP_MAC 474-490 ns, two pre-keyed EVP_MD_CTX with
 * EVP_MD_CTX_copy_ex 363-369 ns, HMAC_CTX 388-392 ns, this 214-215 ns. The SHA-256 functions
 * used (SHA256_Init / _Update / _Final) are deprecated in OpenSSL 3.0 but supported; only
 * hmac_sha256.c includes them.
 */
#ifndef SSGW_TRUST_HMAC_INT_H
#define SSGW_TRUST_HMAC_INT_H

#include <stddef.h>
#include <stdint.h>

typedef struct ssgw_hmac_sha256 ssgw_hmac_sha256;

/* A context without a key; NULL when out of memory. Free wipes the keyed states. */
ssgw_hmac_sha256 *ssgw_hmac_sha256_new(void);
void ssgw_hmac_sha256_free(ssgw_hmac_sha256 *h);

/* Keys h with key (any length; longer than 64 octets is hashed first, RFC 2104 2). */
void ssgw_hmac_sha256_set_key(ssgw_hmac_sha256 *h, const uint8_t *key, size_t len);

/* HMAC-SHA256(key, a || b) into out (b may be NULL with bn 0). h must have a key. */
void ssgw_hmac_sha256_mac2(const ssgw_hmac_sha256 *h, const uint8_t *a, size_t an, const uint8_t *b,
                           size_t bn, uint8_t out[32]);

#endif
