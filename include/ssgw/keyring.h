/*
 * keyring.h - the keys a gateway signs and verifies security tokens with
 * (DESIGN.md section 5; docs/wire-format.md "Security token").
 *
 * The verifier's view of the signers: one member per certified gateway key, with the
 * signalling identity its certificate binds (ssgw_identity), the public signing key
 * (ECDSA P-256 or Ed25519), the public key-agreement key (ECDH P-256 or X25519, for
 * the fast mode), the validity period and a revoked flag. The trust bundle loader (or a
 * test) fills it; nothing here parses certificates.
 *
 * The signer's own side: its signing private key and key-agreement private key.
 *
 * Key id: the first 8 octets of SHA-256 over the DER SubjectPublicKeyInfo of the
 * member's signing key (ssgw_key_id()); the certificate profile uses the same
 * definition.
 *
 * Fast mode pairwise key (computed once per member when both KA keys are known, so that
 * lookups are read-only and a built keyring can be shared by threads):
 *   shared = ECDH(own KA private, member KA public)       (P-256 x-coordinate or X25519)
 *   key    = HKDF-SHA256(salt = "", IKM = shared,
 *                        info = "OpenSSGW token pairwise v1" || lo || hi, L = 32)
 * lo/hi are the two operators' key ids (signing-key ids) in ascending byte order, so
 * both operators derive the same key. The raw shared secret is wiped after use.
 *
 * Ownership: the keyring takes its own reference to every EVP_PKEY it is given
 * (EVP_PKEY_up_ref); the caller keeps and frees its own. Private key material is never
 * printed.
 */
#ifndef SSGW_KEYRING_H
#define SSGW_KEYRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>

#include "ssgw/identity.h"

#define SSGW_KEY_ID_LEN         8
#define SSGW_PAIRWISE_KEY_LEN   32
#define SSGW_KEYRING_SERIAL_MAX 64

/* HKDF info prefix of the pairwise key (then the two key ids, ascending). */
#define SSGW_PAIRWISE_INFO "OpenSSGW token pairwise v1"

/* First 8 octets of SHA-256(DER SubjectPublicKeyInfo of pkey). 0 or -1. */
int ssgw_key_id(EVP_PKEY *pkey, uint8_t out[SSGW_KEY_ID_LEN]);

/*
 * The operator a key belongs to, as the replay cache charges its entries (an operator may
 * hold several certified keys: one per gateway, old and new during a rollover): the first
 * 8 octets of SHA-256("OpenSSGW operator v1" || country || 0x00 || legal name) of the
 * certified identity; the key id itself when the identity has no name.
 */
void ssgw_operator_id(const ssgw_identity *id, const uint8_t key_id[SSGW_KEY_ID_LEN],
                      uint8_t out[SSGW_KEY_ID_LEN]);

typedef struct {
    uint8_t key_id[SSGW_KEY_ID_LEN]; /* ssgw_key_id(sign_key) */
    ssgw_identity identity;          /* from the certificate extension */
    EVP_PKEY *sign_key;              /* public signing key (EC P-256 or Ed25519) */
    EVP_PKEY *ka_key;                /* public key-agreement key, or NULL (no fast mode) */
    time_t not_before, not_after;    /* certificate validity */
    bool revoked;
    char serial[SSGW_KEYRING_SERIAL_MAX]; /* certificate serial (hex), for reports */
    /* filled by the keyring: */
    bool has_pairwise;
    uint8_t pairwise[SSGW_PAIRWISE_KEY_LEN];
    uint8_t operator_id[SSGW_KEY_ID_LEN]; /* ssgw_operator_id(&identity, key_id) */
} ssgw_keyring_member;

typedef struct ssgw_keyring ssgw_keyring;

/* An empty keyring; NULL on allocation failure. */
ssgw_keyring *ssgw_keyring_new(void);
/* Frees it, dropping its key references and wiping pairwise keys. NULL accepted. */
void ssgw_keyring_free(ssgw_keyring *kr);

/*
 * Adds (or replaces, same key id) a member; m->has_pairwise/pairwise are ignored and
 * computed. m->key_id is checked against ssgw_key_id(m->sign_key). Returns 0, or -1
 * when sign_key is missing or not EC P-256 / Ed25519, the key id does not match, the KA
 * key cannot be combined with the own KA key, or memory runs out.
 */
int ssgw_keyring_add(ssgw_keyring *kr, const ssgw_keyring_member *m);

/* The member with that key id, or NULL. Valid until the keyring changes. */
const ssgw_keyring_member *ssgw_keyring_find(const ssgw_keyring *kr,
                                             const uint8_t key_id[SSGW_KEY_ID_LEN]);
/* Marks a member revoked (or not). 0, or -1 when unknown. */
int ssgw_keyring_set_revoked(ssgw_keyring *kr, const uint8_t key_id[SSGW_KEY_ID_LEN], bool revoked);
size_t ssgw_keyring_count(const ssgw_keyring *kr);
/* The member at index i (0 .. count-1). */
const ssgw_keyring_member *ssgw_keyring_at(const ssgw_keyring *kr, size_t i);

/*
 * Sets the gateway's own keys: sign_priv (EC P-256 or Ed25519 private key, required)
 * and ka_priv (EC P-256 or X25519 private key, NULL: no fast mode). Pairwise keys of
 * the members already present are (re)computed. Returns 0 or -1.
 */
int ssgw_keyring_set_own(ssgw_keyring *kr, EVP_PKEY *sign_priv, EVP_PKEY *ka_priv);
/* The own signing key and its key id (NULL / -1 when not set). */
EVP_PKEY *ssgw_keyring_own_sign_key(const ssgw_keyring *kr);
int ssgw_keyring_own_key_id(const ssgw_keyring *kr, uint8_t out[SSGW_KEY_ID_LEN]);

/*
 * Derives the pairwise key between two KA keys (one private, one public) and two key
 * ids, as described above. Exposed for tests and tools. Returns 0 or -1.
 */
int ssgw_pairwise_derive(EVP_PKEY *own_ka_priv, EVP_PKEY *peer_ka_pub,
                         const uint8_t id_a[SSGW_KEY_ID_LEN], const uint8_t id_b[SSGW_KEY_ID_LEN],
                         uint8_t out[SSGW_PAIRWISE_KEY_LEN]);

#endif
