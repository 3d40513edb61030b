/*
 * cli.h - calling-line identity (CLI) authentication for ISUP calls, in the model of
 * ITU-T Q.3063: the outgoing gateway attests the calling number of each IAM it sends to
 * a member operator; the incoming gateway verifies the attestation and strips it, so the
 * inner network receives the original bytes (docs/wire-format.md, "CLI attestation").
 *
 * What is signed is a SHAKEN PASSporT (RFC 8225 + RFC 8588, ppt "shaken"): its protected
 * header and claims are not carried but rebuilt by both sides from the IAM and the
 * attestation, in the deterministic JSON of RFC 8225 section 9, so that the signature in
 * the IAM is an ES256 JWS signature over BASE64URL(header) "." BASE64URL(claims). An
 * interworking function can therefore print the full PASSporT of a verified IAM
 * (ssgw_cli_passport(), `ssgw passport`) and any JWS library verifies it:
 *
 *   header  {"alg":"ES256","ppt":"shaken","typ":"passport","x5u":"<x5u of the key id>"}
 *   claims  {"attest":"A","dest":{"tn":["<called>"]},"iat":<time>,
 *            "orig":{"tn":"<calling>"},"origid":"<UUID>"}
 *
 * The carrier is the application transport parameter (Q.763 3.82, code 0x78) of APM
 * (Q.765), which transit exchanges pass on end to end, with an entry for it in the
 * parameter compatibility information (Q.763 3.41) telling exchanges that do not know
 * it to pass it on, or to discard only the parameter: never to release the call.
 *
 *   application transport parameter value (99 octets):
 *     0xfe        extension 1, application context identifier SSGW_CLI_ACI
 *     0x80        extension 1, send notification: no, release call: no
 *     0xc0        extension 1, sequence indicator: new sequence, final segment
 *     0x00 0x00   originating / destination address length 0 (APM'2000 format)
 *     attestation (94): version 4 bits | attest 2 bits | pci 2 bits, key id (8),
 *                       iat (5, seconds, big-endian), origid (16), signature r||s (64)
 *
 * A number is attestable in its canonical telephone-number form (RFC 8224 8.3): an E.164
 * number (numbering plan 1) of international nature (nature of address 4), 1..15 digits
 * 0-9 (a called number's end-of-pulsing 'F' is not part of it). Nothing here allocates.
 */
#ifndef SSGW_CLI_H
#define SSGW_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ssgw/buf.h"
#include "ssgw/cert.h"
#include "ssgw/error.h"
#include "ssgw/isup.h"
#include "ssgw/keyring.h"
#include "ssgw/token.h"
#include "ssgw/trust_policy.h"

/* The application context identifier of the CLI attestation: a value Q.763 3.82 does not
 * allocate (it allocates 0-6); one constant, like the token's OID. */
#define SSGW_CLI_ACI             0x7e
#define SSGW_CLI_VERSION         1
#define SSGW_CLI_ATT_LEN         94   /* the attestation inside the APM-user information */
#define SSGW_CLI_APP_LEN         99   /* the application transport parameter's value */
#define SSGW_CLI_PCI_INSTRUCTION 0xc0 /* pass on; if not possible: discard the parameter */
#define SSGW_CLI_TN_CAP          16   /* 15 digits + NUL */
#define SSGW_CLI_X5U_CAP         256
/* Longest ISUP message the signer produces: an MTP3 signalling information field holds
 * 272 octets, 4 of them the routing label (Q.703 2.3.8): over TDM links nothing longer
 * could pass. */
#define SSGW_CLI_ISUP_MAX 268

/* Attestation levels, RFC 8588 section 4 ("A", "B", "C"). */
typedef enum {
    SSGW_CLI_ATTEST_NONE = 0,
    SSGW_CLI_ATTEST_FULL = 1,    /* A: we serve the caller, who may use the number */
    SSGW_CLI_ATTEST_PARTIAL = 2, /* B: we serve the caller, number use not verified */
    SSGW_CLI_ATTEST_GATEWAY = 3, /* C: we only received the call (transit, gateway) */
} ssgw_cli_attest;
/* "full", "partial", "gateway"; "none". */
const char *ssgw_cli_attest_name(int a);
/* 'A', 'B', 'C'; '-'. */
char ssgw_cli_attest_letter(int a);
/* Parses the names above; -1 when unknown. */
int ssgw_cli_attest_parse(const char *s);

/* How the signer changed the parameter compatibility information, so that stripping
 * undoes exactly that. */
typedef enum {
    SSGW_CLI_PCI_NONE = 0,     /* untouched (it already had an entry for the parameter) */
    SSGW_CLI_PCI_ADDED = 1,    /* a parameter compatibility information was added */
    SSGW_CLI_PCI_APPENDED = 2, /* an entry was appended to the one the IAM had */
} ssgw_cli_pci;

typedef struct {
    uint8_t version;
    ssgw_cli_attest attest;
    ssgw_cli_pci pci;
    uint8_t key_id[SSGW_KEY_ID_LEN];
    uint64_t iat; /* seconds since 1970, 40 bits */
    uint8_t origid[16];
    uint8_t sig[64]; /* ES256 r||s */
} ssgw_cli_attestation;

/*
 * The application transport parameter's value for a (SSGW_CLI_APP_LEN octets), appended to
 * out. Returns 0, or -1 with err when a field is out of range or out overflows.
 */
int ssgw_cli_att_encode(ssgw_buf *out, const ssgw_cli_attestation *a, ssgw_error *err);
/*
 * Reads an application transport parameter's value. Returns 1 when it is a CLI attestation
 * (*a filled), 0 when it carries another application, -1 with err (layer ISUP, field
 * "cli attestation ...") when it is ours but malformed (wrong length, version, level,
 * segmentation, addresses).
 */
int ssgw_cli_att_decode(const uint8_t *val, size_t len, ssgw_cli_attestation *a, ssgw_error *err);

/* The canonical telephone number of n into out (SSGW_CLI_TN_CAP). 0, or -1 when n is
 * absent or not an international E.164 number of digits 0-9. */
int ssgw_cli_tn(const ssgw_isup_number *n, char *out, size_t cap);

/* The x5u of a key id from a template whose "{kid}" becomes the key id in lower-case hex.
 * Returns 0, or -1 when it does not fit. */
int ssgw_cli_x5u(const char *tmpl, const uint8_t key_id[SSGW_KEY_ID_LEN], char *out, size_t cap);

/* Largest PASSporT signing input / compact JWS. */
#define SSGW_CLI_JWS_CAP 1024

/*
 * The JWS signing input BASE64URL(header) "." BASE64URL(claims) of attestation a for the
 * calling and called numbers (canonical form) into out, NUL-terminated. Returns its
 * length, or -1 when it does not fit.
 */
int ssgw_cli_signing_input(const ssgw_cli_attestation *a, const char *x5u, const char *orig_tn,
                           const char *dest_tn, char *out, size_t cap);
/* The compact JWS (signing input "." BASE64URL(signature)). Returns its length or -1. */
int ssgw_cli_passport(const ssgw_cli_attestation *a, const char *x5u, const char *orig_tn,
                      const char *dest_tn, char *out, size_t cap);
/* The header and claims as JSON text (for people), each NUL-terminated. 0 or -1. */
int ssgw_cli_passport_json(const ssgw_cli_attestation *a, const char *x5u, const char *orig_tn,
                           const char *dest_tn, char *header, size_t hcap, char *claims,
                           size_t ccap);

/* ---- the attestation inside an IAM ------------------------------------------------ */

/*
 * Finds the CLI attestation of a decoded ISUP message. Returns 1 (found: *a, and the
 * octets it added to the message in *bytes), 0 (none), -1 with err (ours but malformed,
 * or more than one).
 */
int ssgw_cli_find(const ssgw_isup_msg *m, ssgw_cli_attestation *a, size_t *bytes, ssgw_error *err);

/*
 * Adds a to the IAM m (decoded from its own bytes): the application transport parameter at
 * the end of the optional part (created when absent) and, unless the IAM's parameter
 * compatibility information already has an entry for it, an entry (appended to it, or a
 * new parameter); sets a->pci accordingly. Appends the message to out. Returns 0, or -1
 * with err: SSGW_E_DUPLICATE (already attested), SSGW_E_UNSUPPORTED (not an IAM),
 * SSGW_E_TOO_BIG (longer than SSGW_CLI_ISUP_MAX, or a parameter over 255 octets).
 */
int ssgw_cli_insert(const ssgw_isup_msg *m, ssgw_cli_attestation *a, ssgw_buf *out,
                    ssgw_error *err);

/*
 * The message without its attestation (what the signer had, when no exchange on the way
 * changed it): the parameter removed, the compatibility entry removed as a->pci says (the
 * parameter too when it is left empty), the optional part removed when nothing is left in
 * it. Returns 1 (appended to out), 0 (no attestation: out untouched), -1 with err
 * (malformed, or the compatibility information does not hold what a->pci says).
 */
int ssgw_cli_strip(const ssgw_isup_msg *m, ssgw_cli_attestation *a, ssgw_buf *out, ssgw_error *err);

/*
 * Marks the calling party number of the ISUP message buf (len octets, decoded into m)
 * "user provided, verified and passed" (screening indicator 01, Q.763 3.10 f)), in place,
 * unless it says "network provided" or already "verified and passed". Returns 1 when it
 * changed the message, 0 when not (no calling number, or nothing to change).
 */
int ssgw_cli_mark_verified(uint8_t *buf, size_t len, const ssgw_isup_msg *m);

/* ---- signing and verification (src/trust/cli.c) ----------------------------------- */

typedef struct {
    ssgw_cli_attest attest;
    ssgw_cli_pci pci;
    size_t added; /* octets the attestation added */
    char orig_tn[SSGW_CLI_TN_CAP], dest_tn[SSGW_CLI_TN_CAP];
} ssgw_cli_sign_info;

/*
 * Attests the IAM isup (from its CIC, len octets) at level attest as this gateway (the
 * keyring's own key, which must be EC P-256: ES256) and appends the attested IAM to out.
 * x5u_tmpl: the fabric's x5u template (NULL: SSGW_CLI_X5U_DEFAULT). info may be NULL.
 * Returns 0, or -1 with err: the insert errors, SSGW_E_MISSING (no own key, no calling or
 * called number), SSGW_E_BAD_VALUE (a number not attestable, an own key that is not
 * P-256), SSGW_E_UNSUPPORTED (OpenSSL failure).
 */
int ssgw_cli_sign(ssgw_trust *t, const char *x5u_tmpl, ssgw_cli_attest attest, const uint8_t *isup,
                  size_t len, time_t now, ssgw_buf *out, ssgw_cli_sign_info *info, ssgw_error *err);

typedef struct {
    ssgw_trust_outcome outcome;
    bool present;
    ssgw_cli_attestation att;          /* valid when present */
    size_t bytes;                      /* octets the attestation occupied */
    const ssgw_keyring_member *signer; /* when the key id is known (into the keyring) */
    char orig_tn[SSGW_CLI_TN_CAP];     /* the numbers as attested ("" when not attestable) */
    char dest_tn[SSGW_CLI_TN_CAP];
    char x5u[SSGW_CLI_X5U_CAP];
    ssgw_error err; /* when outcome == malformed */
} ssgw_cli_result;

/*
 * Verifies the CLI attestation of the ISUP message isup at time now and, when stripped is
 * not NULL, appends the message without it (missing: the message as received; malformed:
 * nothing). Order: missing, malformed, unknown_key, bad_signature (also when a number is
 * not attestable as it now reads: the attestation cannot cover it), revoked,
 * not_yet_valid, expired, number_not_authorised (levels full and partial: the calling
 * number must lie in the signer's certified telephone numbers), stale, replay (key id +
 * origid in the shared replay cache; only attestations that passed every other check
 * enter it). Returns the outcome.
 */
ssgw_trust_outcome ssgw_cli_verify(ssgw_trust *t, const char *x5u_tmpl, const uint8_t *isup,
                                   size_t len, time_t now, ssgw_cli_result *res,
                                   ssgw_buf *stripped);

#endif
