/*
 * token.h - the OpenSSGW security token: what the sending gateway adds inside a TCAP
 * message, and the signing / verification / stripping built on it (DESIGN.md section 5,
 * docs/wire-format.md "Security token").
 *
 * Four parts:
 *  1. the token itself (an ASN.1 SEQUENCE, DER) and its codec      src/trust/token.c
 *  2. where it lives in a TCAP message: insertion and byte-exact
 *     stripping (the original bytes come back)                    src/trust/token_tcap.c
 *  3. signing (ECDSA P-256, Ed25519, pairwise HMAC-SHA256 "fast"
 *     mode) and the UDT/XUDT repacking helper                     src/trust/sign.c
 *  4. verification with distinct, counted outcomes, the replay
 *     cache and the per-partner policy decision                   src/trust/verify.c, replay.c
 *
 * Placement (why and how, docs/wire-format.md): the token travels as an EXTERNAL whose
 * direct-reference is SSGW_TOKEN_OID.
 *  - A message with a dialogue PDU (AARQ, AARE, ABRT, AUDT) gets the EXTERNAL as the last
 *    item of the PDU's user-information [30] (created when absent), encoding octet-aligned
 *    [1] holding the token's DER.
 *  - A message without a dialogue portion gets a dialogue portion [APPLICATION 11] whose
 *    EXTERNAL carries the token as single-ASN1-type [0], after the transaction ids.
 *  - An Abort carrying a P-AbortCause cannot carry a token (its reason is a CHOICE):
 *    signing it fails with SSGW_E_UNSUPPORTED.
 * Errors of the token layer are reported with layer SSGW_LAYER_TCAP (the token lives in
 * TCAP) and fields named "security token ...".
 */
#ifndef SSGW_TOKEN_H
#define SSGW_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ssgw/buf.h"
#include "ssgw/digits.h"
#include "ssgw/error.h"
#include "ssgw/keyring.h"
#include "ssgw/sccp.h"
#include "ssgw/tcap.h"
#include "ssgw/trust_policy.h"

/* The direct-reference of the token EXTERNAL: the ITU-T X.667 UUID arc, UUID
 * c8c8c715-80a7-499f-bcdb-97bc6ca7159e, then the version: arc 2 = security token version 2
 * (signed input binds the called party, docs/wire-format.md section 4); arc 1 = version 1,
 * no longer accepted (outcome old_version). */
#define SSGW_TOKEN_UUID    SSGW_TCAP_TOKEN_UUID
#define SSGW_TOKEN_OID     SSGW_TCAP_TOKEN_OID
#define SSGW_TOKEN_VERSION SSGW_TCAP_TOKEN_VERSION

#define SSGW_TOKEN_NONCE_LEN    8
#define SSGW_TOKEN_TAG_MAX      64 /* ECDSA P-256 r||s, Ed25519 */
#define SSGW_TOKEN_HMAC_TAG_LEN 16 /* HMAC-SHA256 truncated to 128 bits */

/* ---- 1. the token ---- */

/* Length of the mode's tag (signature or MAC) in octets; 0 for an unknown mode. */
size_t ssgw_token_tag_len(int mode);

/* What the signer did to the message, so that stripping undoes exactly that. */
typedef enum {
    SSGW_TOKEN_PLACE_USER_INFO_APPENDED = 0, /* EXTERNAL appended to an existing [30] */
    SSGW_TOKEN_PLACE_USER_INFO_ADDED = 1,    /* [30] holding only the EXTERNAL added */
    SSGW_TOKEN_PLACE_DIALOGUE_ADDED = 2,     /* dialogue portion holding the EXTERNAL added */
    SSGW_TOKEN_PLACE_DIAMETER_AVP = 3,       /* a Diameter token AVP (section 5; never in TCAP) */
    SSGW_TOKEN_PLACE_COUNT
} ssgw_token_placement;

/* "user-info-appended", "user-info-added", "dialogue-added", "diameter-avp"; "unknown"
 * otherwise. */
const char *ssgw_token_placement_name(int placement);

typedef struct {
    ssgw_token_mode mode;
    ssgw_token_placement placement;
    uint8_t key_id[SSGW_KEY_ID_LEN]; /* the signer's key id (keyring.h) */
    uint64_t time;                   /* seconds since 1970-01-01 UTC, 0 .. 2^40-1 */
    uint8_t nonce[SSGW_TOKEN_NONCE_LEN];
    uint8_t tag[SSGW_TOKEN_TAG_MAX];
    size_t tag_len;  /* must equal ssgw_token_tag_len(mode) */
    uint8_t version; /* TCAP: the version its OID names, set by ssgw_token_strip() */
} ssgw_token;

/*
 * Decodes the SecurityToken SEQUENCE that fills buf exactly. Strict: definite
 * lengths, fields in order, sizes as the mode requires, nothing extra. Returns 0, or
 * -1 with err (layer TCAP, field "security token ...", offset in buf).
 */
int ssgw_token_decode(const uint8_t *buf, size_t len, ssgw_token *out, ssgw_error *err);

/* Appends the DER of t. Returns 0, or -1 when t is inconsistent (unknown mode or
 * placement, wrong tag length, time out of range); check b->overflow separately. */
int ssgw_token_encode(ssgw_buf *b, const ssgw_token *t, ssgw_error *err);

/* ---- 2. the token inside TCAP ---- */

/*
 * Looks at tcap (one TC message) and says where a token would go. Writes into canon
 * the message with the lengths of the elements the insertion will touch re-encoded in
 * their minimal definite form (indefinite lengths stay indefinite); that is what
 * ssgw_token_strip() will give back, and what the signature covers. *changed is set
 * when canon differs from tcap (only for non-minimal lengths on that path).
 * Errors: SSGW_E_DUPLICATE (already carries a token), SSGW_E_UNSUPPORTED (Abort with a
 * P-AbortCause; dialogue portion with an unknown abstract syntax), SSGW_E_BAD_TAG /
 * SSGW_E_TRUNCATED ... for malformed BER, SSGW_E_TOO_BIG when canon overflows.
 */
int ssgw_token_prepare(const uint8_t *tcap, size_t len, ssgw_token_placement *placement,
                       ssgw_buf *canon, bool *changed, ssgw_error *err);

/*
 * Inserts t (t->placement must be what ssgw_token_prepare() said) into the canonical
 * message canon and appends the result to out. Returns 0 or -1 (same errors as prepare;
 * SSGW_E_BAD_VALUE when the placement does not fit the message; SSGW_E_TOO_BIG when out
 * overflows).
 */
int ssgw_token_insert(const uint8_t *canon, size_t len, const ssgw_token *t, ssgw_buf *out,
                      ssgw_error *err);

/*
 * False when tcap cannot carry a token: the token OID's contents octets occur nowhere in
 * it (ssgw_token_strip() finds a token only behind them). True says only "maybe".
 */
bool ssgw_token_may_be_present(const uint8_t *tcap, size_t len);

/*
 * Finds the token in a (signed) TC message. Returns 1 when one was found: *t is
 * decoded and the message without the token is appended to out (NULL: not written);
 * 0 when the message carries no token (out untouched); -1 when the message or the token
 * is malformed (including a token whose placement does not match where it was found).
 * *token_bytes (may be NULL) gets how many octets the token added.
 */
int ssgw_token_strip(const uint8_t *tcap, size_t len, ssgw_token *t, ssgw_buf *out,
                     size_t *token_bytes, ssgw_error *err);

/*
 * Signing in one walk (what ssgw_trust_sign() uses; same result as ssgw_token_prepare()
 * + tag + ssgw_token_insert()). Finds the placement (sets t->placement), takes the
 * canonical message (tcap itself when its path lengths are already minimal, else written
 * into scratch), calls tag(ctx, t, canon, canon_len), which must fill t->tag / t->tag_len
 * and return 0, and appends the message with the token to out. *changed as in prepare.
 * Returns 0, or -1 with err (the prepare / insert errors; SSGW_E_BAD_VALUE with field
 * "own key for mode" when tag() failed).
 */
typedef int (*ssgw_token_tag_fn)(void *ctx, ssgw_token *t, const uint8_t *canon, size_t len);
int ssgw_token_sign_tcap(const uint8_t *tcap, size_t len, ssgw_token *t, ssgw_token_tag_fn tag,
                         void *ctx, ssgw_buf *scratch, ssgw_buf *out, bool *changed,
                         ssgw_error *err);

/* ---- 3. the cryptography of a token (src/trust/sign.c) ---- */

/*
 * The SCCP parties a token is bound to, as the message carries them between the two
 * gateways: the GT digits (ASCII; NULL or "" when the address has none) and the subsystem
 * numbers (0 when the address has none: Q.713 3.4.2.2 "SSN not known/not used"). The
 * translation type, numbering plan and nature of address are left out on purpose: global
 * title translation between the gateways may rewrite them.
 */
typedef struct {
    const char *calling_gt;
    const char *called_gt;
    uint8_t calling_ssn;
    uint8_t called_ssn;
} ssgw_token_parties;

/*
 * The signature input ("to be signed") of token version 2, appended to out:
 *   "SSGWTOKEN2" | mode (1) | placement (1) | key id (8) | recipient key id (8; zeros
 *   except in the HMAC mode) | time (8, big-endian) | nonce (8) |
 *   calling GT length (1) | calling GT digits (ASCII) | calling SSN (1) |
 *   called GT length (1) | called GT digits (ASCII) | called SSN (1) |
 *   TCAP length (4, big-endian) | TCAP message without the token (exactly the bytes
 *   ssgw_token_strip() gives back)
 * Returns 0, or -1 (a GT longer than SSGW_DIGITS_MAX, out overflowed).
 */
int ssgw_token_tbs(const ssgw_token *t, const uint8_t *recipient_id,
                   const ssgw_token_parties *parties, const uint8_t *tcap, size_t len,
                   ssgw_buf *out);

/* Longest fixed part of the signature input: everything before the TCAP bytes. */
#define SSGW_TOKEN_TBS_HEAD_MAX (10 + 2 + 8 + 8 + 8 + 8 + 2 * (1 + SSGW_DIGITS_MAX + 1) + 4)

/*
 * Writes the fixed part of the signature input (ssgw_token_tbs() without the trailing
 * TCAP bytes; tcap_len goes into the TCAP length field) into head, which must hold
 * SSGW_TOKEN_TBS_HEAD_MAX octets. Returns its length, or -1 (a GT longer than
 * SSGW_DIGITS_MAX, tcap_len > 2^32-1). head || TCAP bytes == ssgw_token_tbs().
 */
int ssgw_token_tbs_head(const ssgw_token *t, const uint8_t *recipient_id,
                        const ssgw_token_parties *parties, size_t tcap_len, uint8_t *head);

/* Reusable OpenSSL contexts for making and checking tags; one per thread. */
typedef struct ssgw_token_crypto ssgw_token_crypto;
ssgw_token_crypto *ssgw_token_crypto_new(void);
void ssgw_token_crypto_free(ssgw_token_crypto *c);

/*
 * Computes t->tag (and t->tag_len) over tbs: ECDSA P-256 with SHA-256 (r||s, 32 octets
 * each) or Ed25519 with sign_priv, or HMAC-SHA256 truncated to 16 octets with the
 * 32-octet pairwise key. Returns 0, or -1 (key does not fit t->mode, OpenSSL failure).
 */
int ssgw_token_make_tag(ssgw_token_crypto *c, ssgw_token *t, EVP_PKEY *sign_priv,
                        const uint8_t *pairwise, const uint8_t *tbs, size_t n);

/* Checks t->tag over tbs with the signer's public key or the pairwise key.
 * Returns 1 when it verifies, 0 when it does not (or the key does not fit the mode). */
int ssgw_token_check_tag(ssgw_token_crypto *c, const ssgw_token *t, EVP_PKEY *sign_pub,
                         const uint8_t *pairwise, const uint8_t *tbs, size_t n);

/*
 * The same over a signature input given in two pieces, tbs = a || b (b may be NULL
 * with bn 0): the MAC and the SHA-256 of ECDSA are fed incrementally, so the TCAP
 * bytes need not be copied behind the header; Ed25519 (PureEdDSA needs the whole
 * message) joins the pieces in a buffer of c. Same results as the one-piece forms.
 */
int ssgw_token_make_tag2(ssgw_token_crypto *c, ssgw_token *t, EVP_PKEY *sign_priv,
                         const uint8_t *pairwise, const uint8_t *a, size_t an, const uint8_t *b,
                         size_t bn);
int ssgw_token_check_tag2(ssgw_token_crypto *c, const ssgw_token *t, EVP_PKEY *sign_pub,
                          const uint8_t *pairwise, const uint8_t *a, size_t an, const uint8_t *b,
                          size_t bn);

/* ---- 4. signing and verification contexts (src/trust/verify.c) ---- */

/*
 * A signing / verification context: keyring (borrowed: it must outlive the context),
 * replay cache, sequence state, counters and reusable OpenSSL contexts. One context
 * per thread; the keyring may be shared between contexts (it is read-only once built).
 */
typedef struct ssgw_trust ssgw_trust;

/* NULL on allocation failure or bad config (zero replay_entries / negative window). */
ssgw_trust *ssgw_trust_new(const ssgw_keyring *kr, const ssgw_trust_config *cfg);
void ssgw_trust_free(ssgw_trust *t);
/*
 * A context for another thread that verifies and signs with t's keyring and
 * configuration and SHARES t's replay cache (a replayed token is refused
 * whichever thread sees it; the cache is then locked per check). It has its own
 * crypto contexts, scratch and nonce prefix. t must outlive it and must not be
 * in use by another thread while this is called. NULL when out of memory.
 */
ssgw_trust *ssgw_trust_new_sibling(ssgw_trust *t);
/*
 * Carries the live entries of src's replay cache into dst's (ssgw_replay_adopt), so a
 * context that replaces another (a reload with another cache size or window) lets no
 * replay through. Neither may be in use by another thread meanwhile.
 */
void ssgw_trust_adopt_replay(ssgw_trust *dst, const ssgw_trust *src, time_t now);
/*
 * A hook called for a token that passed every other check, once this context's own replay
 * cache has recorded it (a token the own cache knows, or refuses as replay_full, never
 * reaches it: a signer's flood reaches the hook only within its share): a replay cache
 * shared with other gateways (the state store's). Returns 1 when the token was seen before
 * elsewhere (the outcome is then replay), else 0. accept_s: the seconds from now during
 * which this context would still accept the token (its time + window + 1 - now, 1 ..
 * 2 x window + 1: the window's edges are inclusive and the clock counts whole seconds), so
 * the shared cache keeps the token as long as it could be replayed and no longer (the
 * embedded cache's entry lives exactly that long too). Per context (set it on each
 * sibling); fn NULL removes it.
 */
typedef int (*ssgw_trust_replay_hook)(void *ctx, const uint8_t key_id[SSGW_KEY_ID_LEN],
                                      const uint8_t nonce[SSGW_TOKEN_NONCE_LEN], uint32_t accept_s);
void ssgw_trust_set_replay_hook(ssgw_trust *t, ssgw_trust_replay_hook fn, void *ctx);
/* Replaces the keyring (e.g. after a bundle update); the replay cache is kept. */
void ssgw_trust_set_keyring(ssgw_trust *t, const ssgw_keyring *kr);

typedef struct {
    ssgw_token_placement placement;
    bool canonicalized; /* non-minimal lengths on the insertion path were re-encoded */
    size_t added;       /* octets the token added to the TCAP message */
} ssgw_trust_sign_info;

/*
 * Signs tcap (one TC message) as this gateway (the keyring's own keys) and appends the
 * message with the token to out. calling_gt: the SCCP calling-party GT digits the
 * message will carry (ASCII digits; "" when it has none). peer_key_id: the receiving
 * operator's key id, required in SSGW_TOKEN_MODE_HMAC (NULL otherwise). now: the
 * timestamp to put in. info may be NULL.
 * Returns 0, or -1 with err: the prepare/insert errors above, SSGW_E_MISSING (no own
 * key for the mode / no pairwise key for the peer), SSGW_E_BAD_VALUE (GT too long, key
 * type does not fit the mode), SSGW_E_UNSUPPORTED (OpenSSL failure).
 */
int ssgw_trust_sign(ssgw_trust *t, ssgw_token_mode mode, const char *calling_gt,
                    const uint8_t *peer_key_id, const uint8_t *tcap, size_t len, time_t now,
                    ssgw_buf *out, ssgw_trust_sign_info *info, ssgw_error *err);
/* The same, bound to all of parties (ssgw_trust_sign() binds the calling GT and leaves the
 * called GT empty and both SSNs 0): what a gateway signs a message with. */
int ssgw_trust_sign_parties(ssgw_trust *t, ssgw_token_mode mode, const ssgw_token_parties *parties,
                            const uint8_t *peer_key_id, const uint8_t *tcap, size_t len, time_t now,
                            ssgw_buf *out, ssgw_trust_sign_info *info, ssgw_error *err);

typedef struct {
    ssgw_trust_outcome outcome;
    bool token_present;
    ssgw_token token;                  /* valid when token_present */
    size_t token_bytes;                /* octets the token occupied */
    const ssgw_keyring_member *signer; /* when the key id is known (points into the keyring) */
    ssgw_error err;                    /* when outcome == malformed */
} ssgw_trust_result;

/*
 * Verifies tcap received with SCCP calling GT calling_gt at time now. Fills *res and
 * counts the outcome. When stripped is not NULL the message without the token is
 * appended to it (for missing: the message as received; for malformed: nothing);
 * stripped->overflow tells a too small buffer. Returns the outcome.
 * Order of checks: token present and decodable (missing, malformed), token version 2
 * (old_version), key known (unknown_key), signature (bad_signature), revoked,
 * not_yet_valid, expired, gt_not_authorised, stale, replay / replay_full (the replay
 * cache refuses to record it: token.h, the replay cache). Only a message that passed
 * every other check enters the replay cache, so forged messages cannot evict genuine
 * entries, and a genuine signer cannot evict another's (shares per operator). The called GT is
 * taken empty and both SSNs 0 (ssgw_trust_verify_parties()).
 */
ssgw_trust_outcome ssgw_trust_verify(ssgw_trust *t, const char *calling_gt, const uint8_t *tcap,
                                     size_t len, time_t now, ssgw_trust_result *res,
                                     ssgw_buf *stripped);
ssgw_trust_outcome ssgw_trust_verify_parties(ssgw_trust *t, const ssgw_token_parties *parties,
                                             const uint8_t *tcap, size_t len, time_t now,
                                             ssgw_trust_result *res, ssgw_buf *stripped);

/* Outcome counters since ssgw_trust_new (index: ssgw_trust_outcome). */
typedef struct {
    uint64_t outcomes[SSGW_TRUST_OUTCOME_COUNT];
    uint64_t signed_msgs;
    uint64_t sign_refused; /* ssgw_trust_sign() calls that failed (P-abort, duplicates...) */
    uint64_t canonicalized;
    uint64_t replay_evicted_live;  /* replay entries evicted while still inside the window */
    uint64_t replay_refused_share; /* replay_full: the signer's operator held its share */
    uint64_t replay_refused_full;  /* replay_full: the token's sets held only others' entries */
} ssgw_trust_stats;
void ssgw_trust_get_stats(const ssgw_trust *t, ssgw_trust_stats *out);

/*
 * For carriers other than TCAP (section 5, Diameter): the token's cryptography with the
 * signature input given by the caller. tbs() returns the input in two pieces a || b for the
 * token as filled so far (mode, placement, key id, time, nonce) and the recipient key id
 * (zeros except in the HMAC mode); 0 or -1.
 */
typedef int (*ssgw_trust_tbs_fn)(void *ctx, const ssgw_token *tok, const uint8_t *recipient_id,
                                 const uint8_t **a, size_t *an, const uint8_t **b, size_t *bn);
/* Fills tok (mode, our key id, now, a fresh nonce; tok->placement is the caller's) and its
 * tag. 0, or -1 with err (no own key for the mode, no pairwise key for peer_key_id). */
int ssgw_trust_sign_with(ssgw_trust *t, ssgw_token_mode mode, const uint8_t *peer_key_id,
                         time_t now, ssgw_token *tok, ssgw_trust_tbs_fn tbs, void *ctx,
                         ssgw_error *err);
/*
 * Checks res->token (decoded by the caller, token_present set) as ssgw_trust_verify does,
 * in the same order: unknown_key, bad_signature (over tbs()), revoked, not_yet_valid,
 * expired, gt_not_authorised (authorise(ctx, signer) false: the identity the message claims
 * is not the signer's), stale, replay / replay_full. Counts and returns the outcome.
 */
ssgw_trust_outcome
ssgw_trust_check_with(ssgw_trust *t, ssgw_trust_result *res, time_t now, ssgw_trust_tbs_fn tbs,
                      void *ctx, bool (*authorise)(void *ctx, const ssgw_keyring_member *signer));
/* Counts an outcome decided before any cryptography (missing, malformed). */
ssgw_trust_outcome ssgw_trust_count(ssgw_trust *t, ssgw_trust_result *res, ssgw_trust_outcome o);
/* The context's 64 KiB scratch (for a carrier's signature input); *cap gets its size. */
uint8_t *ssgw_trust_scratch(ssgw_trust *t, size_t *cap);

/* ---- 5. Signed Diameter (src/trust/token_diameter.c; docs/wire-format.md) ---- */

/*
 * The token travels in one vendor-specific AVP, V set, M clear (a peer that does not know
 * it ignores it, RFC 6733 4.1), appended after the message's AVPs; its data is the DER
 * SecurityToken with placement diameter-avp. Vendor 32473 is IANA's Private Enterprise
 * Number reserved for documentation (RFC 5612): no vendor's equipment defines AVPs there,
 * and it will be replaced by OpenSSGW's own number once assigned.
 *
 * The signature input ("to be signed"):
 *   "SSGWDIAM1" | mode (1) | placement (1) | key id (8) | recipient key id (8) | time (8) |
 *   nonce (8) | version (1) | command flags & (R|P|E) (1) | command code (3) |
 *   application id (4) | end-to-end id (4) |
 *   every top-level AVP in order (header, vendor id, data, padding as zeros), except
 *   Route-Record (282), Proxy-Info (284) and the token AVP itself
 * i.e. everything relays must not change (the command, the application, Origin-Host and
 * -Realm, Session-Id, Destination-*, User-Name and the application's AVPs); not covered:
 * the hop-by-hop id, the T flag, Route-Record and Proxy-Info, which relays set.
 */
#define SSGW_DIAM_TOKEN_VENDOR 32473
#define SSGW_DIAM_TOKEN_AVP    1

/*
 * Signs Diameter message msg (decodes; no token yet) as this gateway: appends to out the
 * message with the token AVP at its end (length updated). *added gets the octets added.
 * 0, or -1 with err (layer DIAMETER: already signed, malformed, too big; the signing
 * errors of ssgw_trust_sign_with).
 */
int ssgw_trust_sign_diameter(ssgw_trust *t, ssgw_token_mode mode, const uint8_t *peer_key_id,
                             const uint8_t *msg, size_t len, time_t now, ssgw_buf *out,
                             size_t *added, ssgw_error *err);

/*
 * Verifies the token of Diameter message msg at now: missing (no token AVP), malformed (two,
 * or one that does not decode, or placement not diameter-avp), then ssgw_trust_check_with's
 * outcomes, where the signer's certificate must authorise the Origin-Realm (a 3GPP realm of
 * one of its certified MCC-MNCs, TS 23.003 19.2) and the subscriber's network: the IMSI
 * (User-Name) of HSS -> MME requests (IDR, DSR, CLR, RSR), the Visited-PLMN-Id of MME ->
 * HSS ones. When stripped is not NULL the message without the token AVP is appended to it
 * (missing: the message as is; malformed: nothing). Returns the outcome (res: details).
 */
ssgw_trust_outcome ssgw_trust_verify_diameter(ssgw_trust *t, const uint8_t *msg, size_t len,
                                              time_t now, ssgw_trust_result *res,
                                              ssgw_buf *stripped);

/* ---- SCCP repacking ---- */

/*
 * Builds the SCCP message(s) that carry new user data (the signed or the stripped TCAP)
 * with the addresses, class, handling, hop counter and importance of orig:
 * a UDT when orig is a UDT and the result fits (max_msg, 0: SSGW_SCCP_MAX_MSG), else an
 * XUDT, else XUDT segments (local_ref used for their segmentation parameter); an LUDT
 * stays an LUDT. Message i goes to bufs[i]. Returns the number of messages (1..16) or -1
 * with err (SSGW_E_TOO_BIG when more than nbufs / 16 segments are needed).
 */
int ssgw_trust_sccp_repack(const ssgw_sccp_msg *orig, const uint8_t *data, size_t len,
                           size_t max_msg, uint32_t local_ref, ssgw_buf *bufs, size_t nbufs,
                           ssgw_error *err);

/* ---- the replay cache (src/trust/replay.c), usable on its own ---- */

/*
 * A bounded set of (key id, nonce) pairs seen inside the time window: a table of
 * `capacity` entries (rounded up to a power of two, at least 16; 24 octets each) in
 * sets of eight, where each pair may live in either of two sets chosen by keyed hashes
 * (two choices keep the sets evenly filled up to a high load), and a table of signers
 * (about 1.1 MiB). An entry whose token time is more than window_s before now is free (the
 * stale check rejects such tokens anyway; the caller must have made it). Every entry is
 * charged to a signer (the operator the key belongs to: ssgw_keyring_member.operator_id),
 * which may hold at most share_pct percent of the entries (1 .. 100; at least one entry).
 * A live entry is only ever replaced by a token of its own signer, so no signer can make
 * room for a replay of another's tokens, however fast it signs:
 *  - a signer that holds its share: its new token is refused (SSGW_REPLAY_OVER_SHARE,
 *    counted refused_share), not recorded;
 *  - both sets full of live entries: the new token replaces its own signer's entry with the
 *    oldest token time there (counted evicted_live: only that signer's own token becomes
 *    replayable), or is refused when none there is its signer's (SSGW_REPLAY_NO_ROOM,
 *    counted refused_full).
 * A signer's count includes its dead entries for up to 2 x window / 63 s (exact up to a
 * 31 s window). ssgw_trust_replay_capacity_for() (trust_policy.h) sizes the table.
 */
typedef struct ssgw_replay ssgw_replay;
/* NULL when capacity is 0 or above 2^32, window_s negative, share_pct outside 1 .. 100, or
 * memory runs out. */
ssgw_replay *ssgw_replay_new(size_t capacity, int64_t window_s, unsigned share_pct);
void ssgw_replay_free(ssgw_replay *r);

/* What ssgw_replay_check_insert() says; a token that is not NEW must not be accepted. */
enum {
    SSGW_REPLAY_NEW = 0,        /* not seen before: now recorded */
    SSGW_REPLAY_SEEN = 1,       /* already seen (a replay) */
    SSGW_REPLAY_OVER_SHARE = 2, /* its signer holds its share of the entries: not recorded */
    SSGW_REPLAY_NO_ROOM = 3,    /* its two sets hold only other signers' live entries */
};
/* Checks (key id, nonce) and records it for signer (8 octets naming the signer: the
 * operator id of its key). */
int ssgw_replay_check_insert(ssgw_replay *r, const uint8_t signer[SSGW_KEY_ID_LEN],
                             const uint8_t key_id[SSGW_KEY_ID_LEN],
                             const uint8_t nonce[SSGW_TOKEN_NONCE_LEN], uint64_t token_time,
                             int64_t now);
/* Asks the CPU to load the two sets (key id, nonce) may live in, so that a check of it a
 * little later does not wait for memory: the table is tens of MB and a token's sets are
 * random in it. Reads only what is fixed at creation (safe without the caller's lock);
 * changes nothing. */
void ssgw_replay_prefetch(const ssgw_replay *r, const uint8_t key_id[SSGW_KEY_ID_LEN],
                          const uint8_t nonce[SSGW_TOKEN_NONCE_LEN]);
/* The entries signer holds at now as counted for its share (0 when it holds none, or
 * shares the overflow slot of the signer table). */
size_t ssgw_replay_signer_held(ssgw_replay *r, const uint8_t signer[SSGW_KEY_ID_LEN], int64_t now);

typedef struct {
    size_t capacity;
    size_t share; /* entries one signer may hold */
    uint64_t inserted;
    uint64_t replays;
    uint64_t evicted_live;    /* live entries replaced (by their own signer; or when adopting) */
    uint64_t refused_share;   /* tokens refused: their signer held its share */
    uint64_t refused_full;    /* tokens refused: both sets full of other signers' live entries */
    uint64_t signer_overflow; /* checks of a signer that found no slot of its own (shared one) */
} ssgw_replay_stats;
void ssgw_replay_get_stats(const ssgw_replay *r, ssgw_replay_stats *out);

/* Copies src's live entries (at now) into dst, each charged to its signer, so that a
 * replacement cache (a reload, a new size) forgets nothing a replay could use: shares are
 * not enforced and, as a last resort, the oldest live entry is replaced (counted in dst's
 * evicted_live). A signer left above its share has its new tokens refused until it is
 * back under it. */
void ssgw_replay_adopt(ssgw_replay *dst, const ssgw_replay *src, int64_t now);

#endif
