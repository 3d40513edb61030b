/*
 * bundle.h - the signed trust bundle: what a gateway knows about every member
 * of the trust domain (docs/tsca.md, "Trust bundle").
 *
 * A bundle is a CMS SignedData (RFC 5652; PEM "-----BEGIN CMS-----") whose
 * encapsulated content is a canonical text body: format version, sequence
 * number, issued-at, not-after, the root and issuing CA certificates, every
 * member's signing and key-agreement certificates, revocations and the
 * GT -> operator directory. The issuing CA signs it; the gateway trusts only
 * the root it is configured with.
 *
 * ssgw_bundle_load() verifies everything before it returns a bundle: the CMS
 * signature chains to the configured root at `now`, the signer is the issuing
 * CA named in the body, the body parses, the bundle is valid at `now`, the
 * sequence is >= min_sequence, and every member certificate chains to the
 * issuing CA (signature only: a member's own validity dates are exposed so the
 * verifier can report "expired" rather than "unknown key") and carries a
 * well-formed identity extension, the same one in both of its certificates.
 *
 * A loaded bundle is immutable and reference counted; ssgw_bundle_holder
 * publishes the current one to many reader threads (see below).
 */
#ifndef SSGW_BUNDLE_H
#define SSGW_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ssgw/cert.h"
#include "ssgw/identity.h"

#define SSGW_BUNDLE_FORMAT      1
#define SSGW_BUNDLE_MAX_BYTES   (32u << 20) /* whole file and decoded body */
#define SSGW_BUNDLE_MAX_MEMBERS 8192
#define SSGW_BUNDLE_MAX_REVOKED 65536
#define SSGW_BUNDLE_MAX_GT      262144
#define SSGW_SERIAL_HEX_MAX     48

typedef struct ssgw_bundle ssgw_bundle;

typedef struct {
    ssgw_identity identity;
    X509 *sign_cert;    /* owned by the bundle */
    X509 *ka_cert;      /* owned by the bundle */
    EVP_PKEY *sign_key; /* public key; owned by the bundle (ECDSA P-256 or Ed25519) */
    EVP_PKEY *ka_key;   /* public key; owned by the bundle (ECDH P-256 or X25519) */
    uint8_t sign_key_id[SSGW_KEY_ID_LEN];
    uint8_t ka_key_id[SSGW_KEY_ID_LEN];
    char sign_serial[SSGW_SERIAL_HEX_MAX]; /* lower-case hex */
    char ka_serial[SSGW_SERIAL_HEX_MAX];
    time_t not_before; /* the later of the two certificates' notBefore */
    time_t not_after;  /* the earlier of the two certificates' notAfter */
    bool revoked;      /* either certificate is on the bundle's revocation list */
    ssgw_revoke_reason revoke_reason;
    time_t revoked_at;
} ssgw_bundle_member;

/* One revocation as listed in the bundle. */
typedef struct {
    char serial[SSGW_SERIAL_HEX_MAX];
    ssgw_revoke_reason reason;
    time_t when;
} ssgw_bundle_revocation;

/*
 * Loads and verifies a bundle from path (when non-NULL) or from data/len.
 * trusted_root: the only trust anchor (not taken over). The bundle's sequence
 * must be >= min_sequence: a gateway replacing bundle N passes N + 1, so an
 * older or equal bundle is refused. Returns a bundle holding one reference, or
 * NULL with a one-line reason in err ("bundle sequence 4 is older than the
 * required minimum 5", "bundle signature does not verify: ...").
 */
ssgw_bundle *ssgw_bundle_load(const char *path, const uint8_t *data, size_t len, X509 *trusted_root,
                              uint64_t min_sequence, time_t now, char *err, size_t errlen);

/* Drops one reference; the last one frees the bundle. NULL is ignored. */
void ssgw_bundle_free(const ssgw_bundle *b);
/* Takes one more reference (returns b). */
const ssgw_bundle *ssgw_bundle_ref(const ssgw_bundle *b);

uint64_t ssgw_bundle_sequence(const ssgw_bundle *b);
time_t ssgw_bundle_issued_at(const ssgw_bundle *b);
time_t ssgw_bundle_not_after(const ssgw_bundle *b);
X509 *ssgw_bundle_issuing_ca(const ssgw_bundle *b);
size_t ssgw_bundle_count(const ssgw_bundle *b);
const ssgw_bundle_member *ssgw_bundle_at(const ssgw_bundle *b, size_t i);
size_t ssgw_bundle_revocation_count(const ssgw_bundle *b);
const ssgw_bundle_revocation *ssgw_bundle_revocation_at(const ssgw_bundle *b, size_t i);

/* The member whose signing or key-agreement key has this id, or NULL. */
const ssgw_bundle_member *ssgw_bundle_find_key(const ssgw_bundle *b,
                                               const uint8_t key_id[SSGW_KEY_ID_LEN]);

/*
 * Directory look-up: the member to which the GT -> operator directory assigns
 * gt (the most specific, i.e. longest, matching range wins), or NULL. The
 * directory lists only members that were not revoked when the bundle was made.
 */
const ssgw_bundle_member *ssgw_bundle_find_gt(const ssgw_bundle *b, const char *gt);

/* Directory entries, in bundle order. */
size_t ssgw_bundle_directory_count(const ssgw_bundle *b);
/* Returns the operator name and fills *range; NULL when i is out of range. */
const char *ssgw_bundle_directory_at(const ssgw_bundle *b, size_t i, ssgw_gt_range *range);

/* --- making a bundle (the TSCA side) --- */

typedef struct {
    X509 *sign_cert;
    X509 *ka_cert;
} ssgw_bundle_cert_pair;

typedef struct {
    uint64_t sequence;
    time_t issued_at;
    time_t not_after;
    X509 *root;
    X509 *issuing;
    EVP_PKEY *issuing_key; /* signs the CMS */
    const ssgw_bundle_cert_pair *members;
    size_t n_members;
    const ssgw_bundle_revocation *revoked;
    size_t n_revoked;
} ssgw_bundle_spec;

/*
 * Writes the canonical body of spec into a malloc'ed buffer (*body, *len;
 * caller frees). The directory lists every GT range of every member not
 * revoked. Returns 0 or -1 with err.
 */
int ssgw_bundle_make_body(const ssgw_bundle_spec *spec, char **body, size_t *len, char *err,
                          size_t errlen);

/* Signs body as CMS SignedData with spec's issuing key; PEM into *out (malloc'ed). */
int ssgw_bundle_sign(const ssgw_bundle_spec *spec, const char *body, size_t body_len, char **out,
                     size_t *out_len, char *err, size_t errlen);

/* --- publishing the current bundle to reader threads --- */

/*
 * A holder owns the gateway's current bundle. Readers call acquire() (a short
 * critical section that takes a reference) and release the bundle with
 * ssgw_bundle_free() when done; a reader therefore never sees a bundle freed
 * or half-loaded, and swap() never waits for readers. Readers should acquire
 * once per batch of messages, not per field.
 */
typedef struct ssgw_bundle_holder ssgw_bundle_holder;

ssgw_bundle_holder *ssgw_bundle_holder_new(void);
/* Drops the holder's reference to its bundle and frees the holder. */
void ssgw_bundle_holder_free(ssgw_bundle_holder *h);
/* The current bundle with one reference taken for the caller, or NULL when none yet. */
const ssgw_bundle *ssgw_bundle_holder_acquire(ssgw_bundle_holder *h);
/*
 * Installs b (taking over the caller's reference) when its sequence is
 * greater than the current one; returns 0. Otherwise returns -1 with err and
 * the caller keeps its reference.
 */
int ssgw_bundle_holder_swap(ssgw_bundle_holder *h, ssgw_bundle *b, char *err, size_t errlen);
/* Sequence of the current bundle, 0 when none. */
uint64_t ssgw_bundle_holder_sequence(ssgw_bundle_holder *h);

/* --- fetching over HTTP (src/trust/bundle_fetch.c) --- */

typedef struct {
    int status;    /* 200 (body holds the bundle) or 304 (not modified) */
    uint8_t *body; /* malloc'ed on 200; free with ssgw_bundle_fetch_free() */
    size_t len;
    char etag[128]; /* the server's ETag, quotes included; "" when none */
} ssgw_bundle_fetch_result;

/*
 * GET url ("http://HOST:PORT/PATH"; plain HTTP/1.1, numeric or resolvable
 * host) with If-None-Match: etag_in when non-NULL. The body is capped at
 * max_body bytes (0: SSGW_BUNDLE_MAX_BYTES); the whole exchange at timeout_ms.
 * Returns 0 with out->status 200 or 304, or -1 with err (connection refused,
 * timeout, HTTP status other than 200/304, malformed response, too big). The
 * caller must still verify the body with ssgw_bundle_load().
 */
int ssgw_bundle_fetch(const char *url, const char *etag_in, size_t max_body, int timeout_ms,
                      ssgw_bundle_fetch_result *out, char *err, size_t errlen);
void ssgw_bundle_fetch_free(ssgw_bundle_fetch_result *r);

#endif
