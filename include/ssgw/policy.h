/*
 * policy.h - the SS7 firewall policy: configuration (home network, partners,
 * agreements, rules, per-check settings), the GSMA FS.11 category table of MAP
 * operations, the registry of named checks, verdict vocabulary, and the
 * builder of answer messages (TCAP abort, MAP error, SCCP UDTS).
 *
 * The configuration format (the strict TOML subset of include/ssgw/toml.h)
 * and every key are in docs/configuration.md; every check is in docs/checks.md. The
 * firewall that applies a policy to messages is include/ssgw/firewall.h, inside the
 * inspection pipeline (include/ssgw/pipeline.h).
 *
 * A loaded ssgw_policy is immutable and may be shared by several inspectors.
 */
#ifndef SSGW_POLICY_H
#define SSGW_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ssgw/buf.h"
#include "ssgw/cfg.h"
#include "ssgw/error.h"
#include "ssgw/map.h"
#include "ssgw/store.h"
#include "ssgw/trust_policy.h"
#include "ssgw/view.h"

/* ---- vocabulary ------------------------------------------------------------------- */

typedef enum {
    SSGW_ACT_ALLOW = 0,
    SSGW_ACT_DROP,
    SSGW_ACT_ANSWER,     /* reject with an answer message (see ssgw_answer) */
    SSGW_ACT_ALERT,      /* forward, and report */
    SSGW_ACT_RATE_LIMIT, /* over a rate: not forwarded */
    SSGW_ACT_COUNT
} ssgw_action;
/* "allow", "drop", "answer", "alert", "rate-limit". */
const char *ssgw_action_name(ssgw_action a);
/* Parses the names above; -1 when unknown. */
int ssgw_action_parse(const char *s);

/* GSMA FS.11 categories of MAP operations, plus SMS and everything else. */
typedef enum {
    SSGW_CAT_NONE = 0, /* no MAP operation (results, aborts, non-MAP contexts) */
    SSGW_CAT_1,        /* never acceptable from the interconnect without an agreement */
    SSGW_CAT_2,        /* acceptable only from the subscriber's home network */
    SSGW_CAT_3,        /* acceptable only from the subscriber's current location */
    SSGW_CAT_SMS,      /* short message routing and delivery */
    SSGW_CAT_OTHER,    /* other MAP operations */
    SSGW_CAT_COUNT
} ssgw_category;
/* "none", "cat1", "cat2", "cat3", "sms", "other". */
const char *ssgw_category_name(ssgw_category c);
int ssgw_category_parse(const char *s);

/*
 * Category of a MAP operation code in a dialogue. Application-context aware:
 * acn_other (a non-MAP context, e.g. CAP) gives SSGW_CAT_NONE, because local
 * opcodes mean other things there; an opcode that does not belong to the
 * named MAP context still gets its own category (the checks look at it).
 */
ssgw_category ssgw_policy_category(const ssgw_map_acn *acn, bool acn_other, int opcode);

typedef enum {
    SSGW_DIR_UNKNOWN = 0,
    SSGW_DIR_INBOUND,  /* from the interconnect towards the home network: screened */
    SSGW_DIR_OUTBOUND, /* from the home network: observed to learn state */
    SSGW_DIR_COUNT
} ssgw_direction;
/* "unknown", "inbound", "outbound". */
const char *ssgw_direction_name(ssgw_direction d);

typedef struct ssgw_policy ssgw_policy;
/*
 * The direction of a message seen where the gateway sits, when no link says it: inbound
 * when the routing label's DPC is one of [home] point_codes (when those are set), else
 * when the called GT belongs to the home network; outbound otherwise.
 */
ssgw_direction ssgw_policy_direction(const ssgw_policy *p, const ssgw_view *v);

/* ---- answers ---------------------------------------------------------------------- */

typedef enum {
    SSGW_ANSWER_NONE = 0,
    SSGW_ANSWER_TCAP_ABORT, /* TC-ABORT (P-abort, cause in code) to the Begin's OTID */
    SSGW_ANSWER_MAP_ERROR,  /* TC-END with ReturnError (MAP error code in code) */
    SSGW_ANSWER_SCCP_UDTS,  /* SCCP UDTS back to the calling party (return cause in code) */
    SSGW_ANSWER_ISUP_REL,   /* ISUP REL on the message's circuit (Q.850 cause in code): the
                               call is released towards its originator */
    SSGW_ANSWER_ISUP_RLC,   /* ISUP RLC on the message's circuit (answers a REL) */
    SSGW_ANSWER_DIAMETER,   /* Diameter answer with Result-Code = code (RFC 6733 7.1) */
    SSGW_ANSWER_DIAMETER_EXPERIMENTAL, /* Diameter answer with Experimental-Result: vendor
                                          3GPP, Experimental-Result-Code = code (TS 29.272
                                          7.4.3, e.g. 5001 DIAMETER_ERROR_USER_UNKNOWN) */
} ssgw_answer_kind;

typedef struct {
    ssgw_answer_kind kind;
    int code;
} ssgw_answer;

/*
 * Parses "tcap-abort", "map-error:<name>" (unexpectedDataValue,
 * facilityNotSupported, dataMissing, systemFailure, unknownSubscriber,
 * roamingNotAllowed, illegalSubscriber, unidentifiedSubscriber, callBarred,
 * teleserviceNotProvisioned, absentSubscriber, absentSubscriberSM,
 * unexpectedDataValue, or a number 0..127), "sccp-udts" (cause: subsystem
 * failure; or "sccp-udts:<0..255>") or "isup-rel" (cause 21 call rejected; or
 * "isup-rel:<1..127>"); for Diameter messages "diameter:<Result-Code>"
 * (a number 1000..5999 or a name without DIAMETER_: UNABLE_TO_COMPLY, UNABLE_TO_DELIVER,
 * REALM_NOT_SERVED, TOO_BUSY, COMMAND_UNSUPPORTED, APPLICATION_UNSUPPORTED,
 * AUTHORIZATION_REJECTED) and "diameter-experimental:<code>" (3GPP Experimental-Result:
 * a number or USER_UNKNOWN, ROAMING_NOT_ALLOWED, UNKNOWN_EPS_SUBSCRIPTION,
 * RAT_NOT_ALLOWED, EQUIPMENT_UNKNOWN, UNKNOWN_SERVING_NODE). Returns 0, or -1.
 */
int ssgw_answer_parse(const char *s, ssgw_answer *out);
/* Writes "tcap-abort", "map-error:facilityNotSupported", "sccp-udts:3", "isup-rel:21",
 * "diameter:5012", "diameter-experimental:5001"; returns snprintf's. */
int ssgw_answer_format(const ssgw_answer *a, char *out, size_t cap);
/* MAP error name for a code (TS 29.002 17.6.6), or NULL. */
const char *ssgw_map_error_name(int code);

/*
 * Builds the answer to the offending message in v (which must have decoded to
 * SCCP, or to ISUP for the ISUP answers; TCAP answers need TCAP with an OTID,
 * i.e. a Begin or Continue). The
 * answer goes back where the message came from: SCCP called/calling swapped,
 * routing label OPC/DPC swapped, the same M3UA routing context / network
 * appearance; the same input kind as v (M3UA DATA, or a bare SCCP message).
 *   tcap-abort: TC-ABORT, dtid = the message's otid, P-abort cause `code`
 *               (default unrecognizedTransactionID when code < 0).
 *   map-error:  TC-END, dtid = otid, dialogue AARE accepted (when the Begin
 *               had an AARQ), a ReturnError with error `code` to each invoke of the
 *               message (all of them were refused with it).
 *   sccp-udts:  UDTS with return cause `code` carrying the original user data.
 *   isup-rel:   REL on the message's CIC with cause `code` (location: public network
 *               serving the remote user), isup-rlc: RLC on it; M3UA or MTP3 like v.
 * Returns 0, or -1 with err (SSGW_E_MISSING: nothing to answer to;
 * SSGW_E_TOO_BIG: out overflowed).
 */
int ssgw_answer_build(const ssgw_view *v, const ssgw_answer *a, ssgw_buf *out, ssgw_error *err);
/* True for the Diameter kinds (diameter:, diameter-experimental:). */
bool ssgw_answer_is_diameter(const ssgw_answer *a);
/*
 * The Diameter answer to the request in v (a Diameter view, R flag set) with a's
 * Result-Code or Experimental-Result, from origin_host / origin_realm (the gateway's
 * identity): Session-Id first, the request's identifiers (ssgw_diam_answer). Returns 0, or
 * -1 with err (SSGW_E_MISSING: not a Diameter request, or a an SS7 answer kind;
 * SSGW_E_TOO_BIG: out overflowed).
 */
int ssgw_answer_build_diameter(const ssgw_view *v, const ssgw_answer *a, const char *origin_host,
                               const char *origin_realm, ssgw_buf *out, ssgw_error *err);

/* ---- checks (the registry) -------------------------------------------------------- */

/* Which messages a check screens. */
typedef enum {
    SSGW_CHECK_SS7 = 0,  /* MAP over TCAP (the firewall's original checks) */
    SSGW_CHECK_DIAMETER, /* Diameter S6a/S6d (diameter.*) */
} ssgw_check_protocol;

typedef struct {
    const char *name;        /* stable dotted name, e.g. "cat1.operation" */
    const char *description; /* one line: what it detects */
    ssgw_category category;  /* the FS.11 category it enforces (NONE when cross-cutting) */
    ssgw_action default_action;
    const char *default_answer;   /* when default_action is answer */
    ssgw_check_protocol protocol; /* SS7 unless marked */
} ssgw_check_info;

/*
 * What a built-in check does with its objections (docs/checks.md "Modes"):
 *   off      not run;
 *   learn    run and counted, never decides; the traffic it sees feeds the learner
 *            (include/ssgw/learn.h), which proposes the configuration that would let it pass;
 *   test     run; its objection is the verdict, computed and reported (records, events,
 *            counters) but not acted on: the message passes (monitor mode, per check),
 *            unless a check in enforce mode after it refuses the message;
 *   enforce  run; its objection is the verdict, applied.
 * [policy] mode = "monitor" turns enforce into test for every check.
 */
typedef enum {
    SSGW_CHECK_OFF = 0,
    SSGW_CHECK_LEARN,
    SSGW_CHECK_TEST,
    SSGW_CHECK_ENFORCE,
    SSGW_CHECK_MODE_COUNT
} ssgw_check_mode;
/* "off", "learn", "test", "enforce"; parse: -1 when unknown. */
const char *ssgw_check_mode_name(int m);
int ssgw_check_mode_parse(const char *s);

size_t ssgw_check_count(void);
/* Registry entries in evaluation order; NULL past the end. */
const ssgw_check_info *ssgw_check_at(size_t i);
/* Index of a check by name, -1 when unknown. */
int ssgw_check_find(const char *name);

/* ---- configuration ---------------------------------------------------------------- */

/* The error list (ssgw_config_errors, up to SSGW_CONFIG_MAX_ERRORS) is the one every
 * configuration file shares: include/ssgw/toml.h. */

/*
 * Loads and validates a configuration file / text. Returns the policy, or
 * NULL with every error found in errs (errs may be NULL). `name` is the file
 * name used in messages.
 */
ssgw_policy *ssgw_policy_load_file(const char *path, ssgw_config_errors *errs);
ssgw_policy *ssgw_policy_load_string(const char *name, const char *text, size_t len,
                                     ssgw_config_errors *errs);
void ssgw_policy_free(ssgw_policy *p);

/* Human-readable summary (network, partners, rules, checks, mode) for check-config. */
void ssgw_policy_print_summary(const ssgw_policy *p, FILE *out);

bool ssgw_policy_monitor(const ssgw_policy *p);

/* The mode the policy file gives check i (registry index): its [[check]] mode, else
 * [policy] check_mode; "default" is always enforce. */
ssgw_check_mode ssgw_policy_check_mode(const ssgw_policy *p, size_t i);
/* True when at least one check is in learn mode in the file. */
bool ssgw_policy_learning(const ssgw_policy *p);

/*
 * [import]: partner data (IR.21-shaped CSV / JSON) and ported numbers, merged with the
 * hand-written [[partner]] tables (docs/partner-data.md). The merge report: one line per
 * conflict or malformed row that was skipped ("FILE:LINE: warning: ..."; with [import]
 * strict = true they are load errors instead), then totals. Valid while p lives.
 */
size_t ssgw_policy_import_warning_count(const ssgw_policy *p);
const char *ssgw_policy_import_warning_at(const ssgw_policy *p, size_t i);
/* Writes the merge report: totals per file, then every warning. Nothing without [import]. */
void ssgw_policy_print_import_report(const ssgw_policy *p, FILE *out);
/* The [state] settings: which back end holds the firewall's state and how to reach it
 * (include/ssgw/store.h). Valid while p lives. */
const ssgw_state_config *ssgw_policy_state(const ssgw_policy *p);
/* The home network's first Diameter realm ([home] realms, else the 3GPP realm of its first
 * MCC-MNC: "epc.mncXXX.mccYYY.3gppnetwork.org"). */
const char *ssgw_policy_home_realm(const ssgw_policy *p);
/*
 * The network a Diameter realm (any case; len octets) belongs to: its [[partner]] name,
 * "home", or NULL when it is nobody's. A network's realms are its `realms` and the 3GPP
 * realms of its MCC-MNCs (TS 23.003 19.2).
 */
const char *ssgw_policy_realm_owner(const ssgw_policy *p, const char *realm, size_t len);

/* ---- [trust]: the security token (docs/configuration.md "[trust]") ----------------- */

/* Towards which networks the gateway signs ([trust] sign). */
typedef enum {
    SSGW_TRUST_SIGN_MEMBERS = 0, /* only when the called GT belongs to a bundle member */
    SSGW_TRUST_SIGN_ALL,         /* every message with TCAP */
    SSGW_TRUST_SIGN_NONE,        /* never (verification only) */
} ssgw_trust_sign_to;
/* "members", "all", "none". */
const char *ssgw_trust_sign_to_name(int s);

typedef struct {
    bool present; /* the file has a [trust] section; when false nothing below is set */
    /* Paths, made absolute against the configuration file's directory; NULL when unset. */
    const char *key;        /* our signing private key (PEM, 0600) */
    const char *ka_key;     /* our key-agreement private key (fast mode), or NULL */
    const char *root;       /* the TSCA root certificate: the only trust anchor */
    const char *bundle;     /* the trust bundle file */
    const char *bundle_url; /* "http://..." the gateway polls, or NULL */
    long long bundle_poll_s;
    ssgw_token_mode mode; /* how we sign */
    ssgw_trust_sign_to sign;
    ssgw_trust_config cfg;     /* window, replay cache entries (sized for max_rate unless set) */
    uint64_t max_rate;         /* verified tokens per second the replay cache is sized for */
    const char *sequence_file; /* highest accepted bundle sequence (default: bundle + ".seq") */
    ssgw_trust_policy policy;  /* inbound default: mode + action per outcome */
} ssgw_policy_trust;

/* The [trust] settings (present == false when the file has none). Valid while p lives. */
const ssgw_policy_trust *ssgw_policy_trust_get(const ssgw_policy *p);

/*
 * The verification policy for a message whose SCCP calling GT is calling_gt:
 * [trust]'s policy with the mode of the [[partner]] owning the GT when that
 * partner sets `trust`. Writes *out; returns the partner's name or NULL.
 */
/* True when gt (digits) falls inside the home network's gt_prefixes. */
bool ssgw_policy_is_home_gt(const ssgw_policy *p, const char *gt);

const char *ssgw_policy_trust_for_gt(const ssgw_policy *p, const char *calling_gt,
                                     ssgw_trust_policy *out);
/* The same for a Diameter message: the [[partner]] owning its Origin-Realm (len octets). */
const char *ssgw_policy_trust_for_realm(const ssgw_policy *p, const char *realm, size_t len,
                                        ssgw_trust_policy *out);

/* ---- [cli]: calling-line authentication of ISUP calls (include/ssgw/cli.h) ------- */

typedef struct {
    bool present;             /* the file has a [cli] section (and a [trust] one) */
    ssgw_trust_sign_to sign;  /* members | all | none */
    bool attest_gateway;      /* attest calls whose calling number is not ours (level C) */
    ssgw_trust_policy policy; /* inbound default: mode + action per outcome (drop = release) */
    bool mark;                /* on ok: mark the calling number verified */
    int mark_level;           /* lowest level marked: 1 full (A), 2 partial (B), 3 gateway (C) */
    int release_cause;        /* Q.850 cause of the REL */
    uint32_t release_timeout; /* seconds a released circuit waits for the RLC */
    const char *x5u;          /* the PASSporT x5u template */
} ssgw_policy_cli;

/* The [cli] settings (present == false without one). Valid while p lives. */
const ssgw_policy_cli *ssgw_policy_cli_get(const ssgw_policy *p);

/*
 * The CLI verification policy for an IAM that arrived from point code opc: [cli]'s policy
 * with the mode of the [[partner]] whose point_codes hold opc, when it sets cli. Writes
 * *out; returns the partner's name or NULL.
 */
const char *ssgw_policy_cli_for_opc(const ssgw_policy *p, uint32_t opc, ssgw_trust_policy *out);

/* [sms] record_text: records and events may carry the text of short messages. */
bool ssgw_policy_record_sms_text(const ssgw_policy *p);

/* True when number (E.164 digits) is inside [home] msisdn_prefixes. */
bool ssgw_policy_is_home_number(const ssgw_policy *p, const char *number);

/*
 * The declared options (include/ssgw/cfg.h): the schema the loader reads the
 * file with, which also generates docs/configuration.md's key tables.
 */
typedef ssgw_cfg_option ssgw_config_option;
typedef ssgw_cfg_section ssgw_config_section;

const ssgw_cfg_schema *ssgw_policy_schema(void);
size_t ssgw_config_option_count(void);
const ssgw_config_option *ssgw_config_option_at(size_t i);
size_t ssgw_config_section_count(void);
const ssgw_config_section *ssgw_config_section_at(size_t i);

#endif
