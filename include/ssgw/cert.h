/*
 * cert.h - the OpenSSGW certificate profile: the signalling-identity X.509v3
 * extension, key identifiers and revocation reasons (docs/tsca.md).
 *
 * Object identifiers live under the UUID arc 2.25.<UUID> (ITU-T X.667 / RFC
 * 4122 section 4.3 style registration-free arc) for the UUID
 * 598a86f3-d82e-4a8d-ada1-a60b3f2a6808:
 *   SSGW_OID_ARC ".1"  signallingIdentity extension (certificates and CSRs)
 *   SSGW_OID_ARC ".2"  kaKeyBinding: SHA-256 of the key-agreement key's
 *                      SubjectPublicKeyInfo, a requested extension in the CSR
 *
 * The extension's value is the DER of (docs/tsca.md has the full module):
 *   SignallingIdentity ::= SEQUENCE {
 *     legalName   UTF8String (SIZE(1..127)),
 *     country     PrintableString (SIZE(2)),           -- ISO 3166-1 alpha-2
 *     mccMnc      SEQUENCE (SIZE(0..16)) OF PrintableString (SIZE(5..6)),
 *     gtRanges    SEQUENCE (SIZE(0..64)) OF GtRange,
 *     pointCodes  [0] IMPLICIT SEQUENCE (SIZE(1..16)) OF INTEGER (0..16383) OPTIONAL,
 *     -- tags [1]..[3] are left to other claim lists
 *     tnRanges    [4] IMPLICIT SEQUENCE (SIZE(1..64)) OF GtRange OPTIONAL }
 *                                 -- numbers the operator may attest as calling line identity
 *   GtRange ::= SEQUENCE { from NumericString (SIZE(1..40)),
 *                          to   NumericString (SIZE(1..40)) }   -- same length, from <= to
 * It is marked NON-critical (docs/tsca.md, "Why non-critical"): OpenSSL, like
 * every RFC 5280 path validator, rejects a chain carrying an unknown critical
 * extension, so critical would break `openssl verify` and X509_verify_cert();
 * the safety critical would give is obtained instead by the relying party,
 * ssgw_bundle_load(), which refuses any member certificate whose identity
 * extension is missing, duplicated or malformed.
 */
#ifndef SSGW_CERT_H
#define SSGW_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"
#include "ssgw/identity.h"

#define SSGW_OID_UUID                "598a86f3-d82e-4a8d-ada1-a60b3f2a6808"
#define SSGW_OID_ARC                 "2.25.119020565753570423968981799361663625224"
#define SSGW_OID_SIGNALLING_IDENTITY SSGW_OID_ARC ".1"
#define SSGW_OID_KA_KEY_BINDING      SSGW_OID_ARC ".2"

/* A key id: the first 8 bytes of SHA-256 over the SubjectPublicKeyInfo DER. */
#define SSGW_KEY_ID_LEN 8
/* Largest DER of a SignallingIdentity at the maximum sizes of ssgw_identity. */
#define SSGW_IDENTITY_DER_MAX 12288

/*
 * DER-encodes id as a SignallingIdentity. Returns 0, or -1 when the identity
 * breaks a constraint of the module (empty or over-long name, country not two
 * letters A-Z, bad MCC-MNC, bad range) or out overflowed.
 */
int ssgw_cert_identity_encode(const ssgw_identity *id, ssgw_buf *out);

/*
 * Decodes a SignallingIdentity (DER only: definite lengths, primitive strings,
 * no trailing bytes) into out, checking every constraint of the module. No
 * allocation. Returns 0, or -1 with err (layer BER, offset relative to der).
 */
int ssgw_cert_identity_decode(const uint8_t *der, size_t len, ssgw_identity *out, ssgw_error *err);

/* True when a and b hold the same name, country, codes, ranges and point codes. */
bool ssgw_identity_equal(const ssgw_identity *a, const ssgw_identity *b);

/* The extension's OID as an OpenSSL object (static, never freed by the caller). */
const ASN1_OBJECT *ssgw_cert_identity_oid(void);
const ASN1_OBJECT *ssgw_cert_ka_binding_oid(void);

/*
 * Reads the identity extension of cert. Returns 0, or -1 with err: code
 * SSGW_E_MISSING when the certificate has none (or has two: SSGW_E_DUPLICATE),
 * otherwise the decoder's error.
 */
int ssgw_cert_get_identity(X509 *cert, ssgw_identity *out, ssgw_error *err);

/* Builds the (non-critical) identity extension; the caller frees it. NULL on error. */
X509_EXTENSION *ssgw_cert_identity_ext(const ssgw_identity *id);

/* Key id of a certificate's public key / of a public key. Return 0 or -1. */
int ssgw_cert_key_id(X509 *cert, uint8_t out[SSGW_KEY_ID_LEN]);
int ssgw_pkey_key_id(EVP_PKEY *pkey, uint8_t out[SSGW_KEY_ID_LEN]);
/* SHA-256 of the SubjectPublicKeyInfo DER. Returns 0 or -1. */
int ssgw_pkey_spki_sha256(EVP_PKEY *pkey, uint8_t out[32]);

/* Lower-case hex of n bytes into out (2n+1 chars). Returns out. */
char *ssgw_hex(const uint8_t *p, size_t n, char *out, size_t outlen);
/* Serial of cert as lower-case hex without leading zeros ("0" for zero). */
int ssgw_cert_serial_hex(X509 *cert, char *out, size_t outlen);
/* ASN1_TIME -> time_t (UTC). Returns 0 or -1. */
int ssgw_asn1_time_to_time_t(const ASN1_TIME *t, time_t *out);

/* X.509 CRL reason codes (RFC 5280 5.3.1); the numbers are RFC 5280's. */
typedef enum {
    SSGW_REVOKE_UNSPECIFIED = 0,
    SSGW_REVOKE_KEY_COMPROMISE = 1,
    SSGW_REVOKE_CA_COMPROMISE = 2,
    SSGW_REVOKE_AFFILIATION_CHANGED = 3,
    SSGW_REVOKE_SUPERSEDED = 4,
    SSGW_REVOKE_CESSATION_OF_OPERATION = 5,
    SSGW_REVOKE_CERTIFICATE_HOLD = 6,
    SSGW_REVOKE_PRIVILEGE_WITHDRAWN = 9,
} ssgw_revoke_reason;

/* "keyCompromise" ... (RFC 5280 spelling); "unknown" for other values. */
const char *ssgw_revoke_reason_name(ssgw_revoke_reason r);
/* Parses the RFC 5280 spelling; returns 0 or -1. */
int ssgw_revoke_reason_parse(const char *s, ssgw_revoke_reason *out);

#endif
