/*
 * keys.h - private key and certificate files (src/trust/keys.c): what a gateway,
 * the offline tools and the TSCA need to generate, write and load keys.
 *
 * Private keys are PKCS#8 PEM, written 0600 and refused when group or others can
 * read or write them; their raw bytes are wiped after parsing and never printed.
 * Errors: -1 / NULL with a one-line message in err naming the file.
 */
#ifndef SSGW_KEYS_H
#define SSGW_KEYS_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/* alg: "p256" (ECDSA/ECDH P-256), "ed25519" (signing only) or "x25519" (key agreement only). */
EVP_PKEY *ssgw_key_generate(const char *alg, char *err, size_t errlen);
/* Writes key as unencrypted PKCS#8 PEM into a new file created 0600 (refuses to overwrite). */
int ssgw_key_write(const char *path, EVP_PKEY *key, char *err, size_t errlen);
/*
 * Loads a private key. Refuses a file that is not a regular file or whose
 * mode lets group or others read or write it ("root.key: mode 0644 lets
 * group/others read the private key; chmod 600 root.key"). The raw file bytes
 * are wiped before return.
 */
EVP_PKEY *ssgw_key_load(const char *path, char *err, size_t errlen);
/* First certificate of a PEM file, or NULL with err. */
X509 *ssgw_cert_load_pem(const char *path, char *err, size_t errlen);
/* OpenSSL's first queued error as text into buf (clears the queue); returns buf. */
const char *ssgw_ossl_reason(char *buf, size_t n);

#endif
