/*
 * trust_policy.h - the vocabulary of signed signalling that configuration and
 * policy speak (no cryptography, no OpenSSL): token modes, verification
 * outcomes, per-partner trust modes, actions per outcome, and the decision.
 *
 * The policy layer parses [trust] and [[partner]] trust settings into these
 * types (include/ssgw/policy.h); the trust layer (include/ssgw/token.h) produces
 * the outcomes; the pipeline (include/ssgw/pipeline.h) applies the decision.
 * Implemented in src/policy/trust_policy.c.
 */
#ifndef SSGW_TRUST_POLICY_H
#define SSGW_TRUST_POLICY_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    SSGW_TOKEN_MODE_ECDSA_P256 = 0, /* ECDSA P-256 / SHA-256, signature as raw r||s (64) */
    SSGW_TOKEN_MODE_ED25519 = 1,    /* Ed25519 (64) */
    SSGW_TOKEN_MODE_HMAC = 2,       /* fast mode: HMAC-SHA256 with the pairwise key, 16 */
    SSGW_TOKEN_MODE_COUNT
} ssgw_token_mode;

/* "ecdsa-p256", "ed25519", "hmac-sha256-128"; "unknown" otherwise. */
const char *ssgw_token_mode_name(int mode);
/* Parses those names; -1 when unknown. */
int ssgw_token_mode_parse(const char *name);
/* Verification outcomes; counted per ssgw_trust context. Stable names below. */
typedef enum {
    SSGW_TRUST_OK = 0,
    SSGW_TRUST_MISSING,           /* no token */
    SSGW_TRUST_MALFORMED,         /* token or its TCAP placement cannot be decoded */
    SSGW_TRUST_UNKNOWN_KEY,       /* key id not in the keyring (or fast mode: no pairwise key) */
    SSGW_TRUST_BAD_SIGNATURE,     /* signature / MAC does not verify */
    SSGW_TRUST_EXPIRED,           /* signer's certificate past not_after */
    SSGW_TRUST_NOT_YET_VALID,     /* before not_before */
    SSGW_TRUST_REVOKED,           /* signer's certificate revoked */
    SSGW_TRUST_GT_NOT_AUTHORISED, /* calling GT outside the signer's certified ranges */
    SSGW_TRUST_STALE,             /* timestamp outside the window */
    SSGW_TRUST_REPLAY,            /* key id + nonce already seen inside the window */
    SSGW_TRUST_BUNDLE_EXPIRED,    /* the token verified, but the trust bundle in use is past
                                     its not-after: revocations may be missing (fail policy) */
    SSGW_TRUST_NUMBER_NOT_AUTHORISED, /* CLI attestation (include/ssgw/cli.h): the attested
                                         calling number is outside the signer's certified
                                         telephone numbers (tnRanges); never a token outcome */
    SSGW_TRUST_OLD_VERSION, /* a TCAP token of version 1, which did not bind the called party
                               (docs/wire-format.md section 4): refused whatever its signature */
    SSGW_TRUST_REPLAY_FULL, /* the token verified but the replay cache cannot record it without
                               replacing another signer's live entry: its signer (operator)
                               holds its [trust] replay_share, or the token's two sets hold
                               only others' live entries (token.h, the replay cache) */
    SSGW_TRUST_OUTCOME_COUNT
} ssgw_trust_outcome;

/* "ok", "missing", "malformed", "unknown_key", "bad_signature", "expired",
 * "not_yet_valid", "revoked", "gt_not_authorised", "stale", "replay", "bundle_expired",
 * "number_not_authorised", "old_version", "replay_full"; "unknown".
 */
const char *ssgw_trust_outcome_name(int outcome);

/* Per-partner policy. */
typedef enum {
    SSGW_TRUST_REQUIRE = 0,       /* a token must be present and verify */
    SSGW_TRUST_VERIFY_IF_PRESENT, /* no token: allowed; a token that fails: per action */
    SSGW_TRUST_OFF,               /* no verification; everything allowed (tokens still stripped) */
} ssgw_trust_mode;
const char *ssgw_trust_mode_name(int mode);  /* "require", "verify-if-present", "off" */
int ssgw_trust_mode_parse(const char *name); /* -1 when unknown */

typedef enum {
    SSGW_TRUST_ACTION_DROP = 0, /* fail closed: the default for every outcome but ok */
    SSGW_TRUST_ACTION_ALLOW,
    SSGW_TRUST_ACTION_ALERT, /* allow and raise an alert (monitor mode) */
} ssgw_trust_action;
const char *ssgw_trust_action_name(int action); /* "drop", "allow", "alert" */
int ssgw_trust_action_parse(const char *name);

typedef struct {
    ssgw_trust_mode mode;
    ssgw_trust_action action[SSGW_TRUST_OUTCOME_COUNT];
} ssgw_trust_policy;

/* require; ok -> allow, every other outcome -> drop. */
void ssgw_trust_policy_default(ssgw_trust_policy *p);

/*
 * The decision: off -> allow whatever the outcome; verify-if-present -> missing is
 * allowed, other outcomes take their action; require -> every outcome takes its action
 * (missing included). ok always allows. Unknown outcome values drop.
 */
ssgw_trust_action ssgw_trust_decide(const ssgw_trust_policy *p, ssgw_trust_outcome outcome);

/* The default x5u template of CLI attestations (include/ssgw/cli.h): where the TSCA would
 * publish a member's signing certificate by key id ({kid}: lower-case hex). It is part of
 * the signed PASSporT header, so every member of a fabric uses the same ([cli] x5u). */
#define SSGW_CLI_X5U_DEFAULT "https://tsca.invalid/certs/{kid}.pem"
/* The longest x5u template ([cli] x5u). */
#define SSGW_CLI_X5U_TEMPLATE_MAX 200

typedef struct {
    int64_t window_s;      /* accepted |now - token time|, default 60 */
    size_t replay_entries; /* replay cache capacity, default 1 << 20 */
    unsigned replay_share; /* percent of the replay cache one signer (operator) may hold,
                              1 .. 100, default SSGW_TRUST_REPLAY_SHARE_DEFAULT */
} ssgw_trust_config;
#define SSGW_TRUST_REPLAY_SHARE_DEFAULT 25
void ssgw_trust_config_default(ssgw_trust_config *c);

/*
 * Replay-cache entries (include/ssgw/token.h) that hold every token accepted at `rate`
 * per second without evicting a live one: a token stays live up to 2 x window + 1 s
 * after it was accepted (its time may be up to window ahead of the clock), and the
 * table is kept at most 3/4 full.
 */
size_t ssgw_trust_replay_capacity_for(uint64_t rate, int64_t window_s);

#endif
