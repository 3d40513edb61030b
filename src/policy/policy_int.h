/*
 * policy_int.h - the loaded policy model shared by the configuration loader
 * (config.c), the checks (checks.c) and the inspection pipeline
 * (src/inspect/inspect.c). Not a public header: the structure may change.
 *
 * Everything a check needs per message is precomputed at load time: GT and
 * IMSI prefixes live in digit tries (O(number of digits) lookups, no string
 * compares), operations in 128-bit sets, per-check settings in arrays indexed
 * by the registry position.
 */
#ifndef SSGW_POLICY_INT_H
#define SSGW_POLICY_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/policy.h"
#include "ssgw/store.h"

/* Node roles (bits) for exact GTs listed under a party. */
enum {
    ROLE_HLR = 1u << 0,
    ROLE_VLR = 1u << 1,
    ROLE_MSC = 1u << 2,
    ROLE_SMSC = 1u << 3,
    ROLE_GSMSCF = 1u << 4,
    ROLE_SGSN = 1u << 5,
};

/* Owner values in the tries: 0 none, 1 home, 2 + i partner i. */
#define OWNER_NONE       0
#define OWNER_HOME       1
#define OWNER_PARTNER(i) ((uint16_t)(2 + (i)))

typedef struct {
    int32_t child[10];
    uint16_t val;  /* owner (GT / IMSI tries) or geography index + 1 */
    uint8_t roles; /* roles of the exact GT ending here */
    uint8_t end;   /* a prefix ends here (val valid) */
} trie_node;

typedef struct {
    trie_node *n;
    size_t len, cap;
} trie;

int trie_init(trie *t);
void trie_free(trie *t);
/* Inserts a prefix; returns the node index or -1 (no memory / non-digit). */
int trie_insert(trie *t, const char *digits);
/*
 * Longest prefix of digits with a value: *val (0 when none); *roles gets the
 * roles of an exact match of the whole string. Stops at the first non-digit.
 */
static inline void trie_lookup(const trie *t, const char *d, uint16_t *val, uint8_t *roles)
{
    uint16_t v = 0;
    int32_t i = 0;
    *roles = 0;
    if (!t->n) {
        *val = 0;
        return;
    }
    for (;; d++) {
        const trie_node *nd = &t->n[i];
        if (nd->end) v = nd->val;
        unsigned c = (unsigned)(*d - '0');
        if (c > 9) { /* the end, or a non-digit (one test a digit, issue 16) */
            if (*d == '\0') *roles = nd->roles;
            break;
        }
        if ((i = nd->child[c]) < 0) break;
    }
    *val = v;
}

/* The value of exactly the prefix digits (every digit of d, no longer or shorter one), or 0:
 * a network named by its MCC-MNC (a Diameter Visited-PLMN-Id) is the one configured with
 * those digits, not one whose shorter MCC-MNC they extend. */
static inline uint16_t trie_exact(const trie *t, const char *d)
{
    if (!t->n) return 0;
    int32_t i = 0;
    for (; *d; d++) {
        unsigned c = (unsigned)(*d - '0');
        if (c > 9 || t->n[i].child[c] < 0) return 0;
        i = t->n[i].child[c];
    }
    return t->n[i].end ? t->n[i].val : 0;
}

/* FNV-1a (64-bit) of n octets, or of a string: a key for the state store (mixed further
 * by ssgw_store_mix), not a secret. Keys the shared store holds depend on its values. */
#define SSGW_FNV1A_BASIS 0xcbf29ce484222325ull
static inline uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}
static inline uint64_t fnv1a_str(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
    return h;
}

typedef struct {
    uint64_t w[2];
} opset;

static inline bool opset_has(const opset *s, int op)
{
    return op >= 0 && op < 128 && ((s->w[op >> 6] >> (op & 63)) & 1u);
}
static inline void opset_add(opset *s, int op)
{
    if (op >= 0 && op < 128) s->w[op >> 6] |= 1ull << (op & 63);
}

typedef struct {
    char **v;
    size_t n;
} strlist;

typedef struct {
    long long *v;
    size_t n;
} intlist;

typedef struct {
    uint32_t limit;  /* tokens per period; 0 = off */
    uint32_t period; /* seconds */
} rate_spec;

/* The home network or a partner ([home], [[partner]]). */
typedef struct {
    char *name;
    char country[3];
    strlist mccmnc, gt, msisdn;
    intlist pc;
    strlist hlr, vlr, msc, smsc, gsmscf, sgsn;
    strlist allow; /* agreement: operation names/opcodes (partners only) */
    opset allowed; /* compiled from allow */
    int line;      /* where it was declared */
    char
        *trust_s; /* [[partner]] trust: require | verify-if-present | off; NULL = [trust] inbound */
    int trust_mode; /* compiled: ssgw_trust_mode, -1 = the [trust] default */
    char *cli_s;    /* [[partner]] cli: require | verify-if-present | off; NULL = [cli] inbound */
    int cli_mode;   /* compiled: ssgw_trust_mode, -1 = the [cli] default */
    strlist cli_countries; /* countries whose calling numbers it delivers ("*": any) */
    bool sms_hub; /* relays other networks' short messages: their SMSC addresses (checks_sms.c) */
    /* Diameter (S6a/S6d) */
    strlist realms; /* realms besides the 3GPP ones of mccmnc (IR.21 data may add some) */
    strlist dhosts; /* Origin-Hosts its requests may carry (none: any within its realms) */
    /* [import] partner data (import.c): where the row came from; file is NULL for a
     * hand-written [[partner]] */
    const char *file; /* points into ssgw_policy.imp_files */
    char *tadig;      /* IR.21 TADIG code, or NULL */
} party;

/* A Diameter realm or host and the network it belongs to (lower case, sorted by name). */
typedef struct {
    char *name;
    uint16_t owner;
} diam_name;

typedef struct {
    char *name;
    char *decider; /* "rule.<name>" */
    char *direction;
    strlist operation, category, calling_gt, called_gt, imsi, tcap, partner;
    intlist calling_ssn, called_ssn;
    char *action_s, *answer_s, *rate_s;
    /* compiled */
    ssgw_direction dir; /* UNKNOWN = any */
    bool has_ops;
    opset ops;
    unsigned cat_mask;  /* 1u << ssgw_category */
    unsigned tcap_mask; /* 1u << ssgw_tcap_msg_type */
    uint16_t *owners;   /* partner filter: owner values */
    size_t n_owners;
    ssgw_action action;
    ssgw_answer answer;
    rate_spec rate;
    int line;
} rule;

typedef struct {
    char *name;
    bool enabled;
    char *mode_s; /* off | learn | test | enforce; NULL: [policy] check_mode */
    char *action_s, *answer_s;
    int line;
} check_override;

/* [[protected_sender]]: a sender only some SMSCs may deliver (sms.protected_sender). */
typedef struct {
    char *sender;    /* as configured: "MYBANK", "447924100100" */
    strlist smsc;    /* SMSC GT prefixes allowed to deliver it */
    strlist partner; /* networks ("home", partner names) whose SMSCs may */
    int line;
    /* compiled */
    char norm[48];    /* upper case, letters and digits only */
    uint16_t *owners; /* from partner */
    size_t n_owners;
} protected_sender;

typedef struct {
    bool enabled;         /* mode != off */
    ssgw_check_mode mode; /* the file's */
    ssgw_action action;
    ssgw_answer answer;
} check_setting;

/* A row of the ported-numbers table (ported.c): numbers lo..hi (packed digits of one
 * length, ssgw_store_pack_digits) served by owner. */
typedef struct {
    uint64_t lo, hi;
    uint16_t owner; /* OWNER_HOME, OWNER_PARTNER(i), or OWNER_NONE: a network that is no partner */
    uint16_t file;  /* index in ssgw_policy.imp_files */
    uint32_t line;
} ported_range;

typedef struct {
    ported_range *v; /* sorted by lo, no two overlapping */
    size_t n, cap;
} ported_table;

/* policy_msisdn_owner(): nothing says who serves the number. */
#define MSISDN_UNKNOWN 0xffffu

struct ssgw_policy {
    char *file;
    /* keys SMS text fingerprints (checks_sms.c): derived from the policy file's bytes, so
     * the same policy fingerprints a text alike in every process (an analysis repeats
     * exactly, the gateway and `ssgw analyze` agree) while nobody without the file can
     * compute it (a shared store's secret takes its place, store.h shared_secret) */
    uint64_t text_key;
    /* [policy] */
    char *mode;
    char *malformed_s, *malformed_answer_s;
    bool monitor;
    ssgw_action malformed;
    ssgw_answer malformed_answer;
    /* [state] */
    long long st_subscribers, st_marks, st_dialogues, st_network_share, st_buckets;
    long long dialogue_timeout, sri_sm_window;
    char *st_backend_s, *st_url, *st_user, *st_password_file, *st_fail_s, *st_key_prefix;
    char *st_tls_ca, *st_tls_cert, *st_tls_key, *st_tls_server_name;
    strlist st_nodes;
    bool st_tls;
    long long st_timeout_ms, st_reconnect_min_ms, st_reconnect_max_ms, st_pending_writes;
    long long st_ttl_slack, st_location_ttl, st_risk_ttl, st_clock_skew;
    int state_line;
    ssgw_state_config state; /* compiled */
    long long st_calls;
    /* [velocity] */
    long long max_speed_kmh, min_distance_km;
    /* [rate] */
    char *rate_calling_gt_s, *rate_imsi_s, *rate_operation_s, *rate_sri_sm_s;
    rate_spec rate_calling_gt, rate_imsi, rate_operation, rate_sri_sm;
    char *rate_diam_origin_s;
    rate_spec rate_diam_origin;
    /* incidents (one id per attacked subscriber, every protocol) */
    long long st_incidents, incident_window;
    /* [classification] (checks_class.c) */
    char *class_partners_s;
    bool class_screen_partners; /* the unclassified-traffic checks judge partners too */

    char *check_mode_s; /* [policy] check_mode */
    /* [learn] (learn.c) */
    bool has_learn;
    char *learn_output; /* resolved against the file's directory; NULL: not set */
    long long learn_period, learn_prefix_digits, learn_max_keys;
    char *learn_pct_s;
    uint32_t learn_pct_milli; /* percentile x 1000 (99.9 -> 99900) */
    /* [import] (import.c, ported.c) */
    strlist imp_partners, imp_ported;
    bool imp_strict;
    int import_line;
    char **imp_files; /* the files read, resolved (rows point at their names) */
    size_t n_imp_files;
    char **warnings; /* the merge report's lines */
    size_t n_warnings;
    size_t n_imported, n_hand; /* partners from files / written by hand (these come first) */
    ported_table ported;
    size_t ported_rows[3]; /* rows read: to us, to partners, to other networks */

    party home;
    party *partners;
    size_t n_partners;
    size_t *by_name; /* partner indices sorted by name (policy_partner_find) */
    rule *rules;
    size_t n_rules;
    check_override *overrides;
    size_t n_overrides;

    check_setting *checks; /* ssgw_check_count() entries */

    /* [trust] (the security token, include/ssgw/trust_policy.h) */
    bool has_trust;
    int trust_line;
    char *tr_key, *tr_ka_key, *tr_root, *tr_bundle, *tr_bundle_url, *tr_seq_file;
    char *tr_mode_s, *tr_sign_s, *tr_inbound_s;
    char *tr_on_s[SSGW_TRUST_OUTCOME_COUNT]; /* per-outcome actions; [0] (ok) unused */
    long long tr_window, tr_replay, tr_poll, tr_max_rate, tr_replay_share;
    ssgw_policy_trust trust; /* compiled (paths resolved against the file's directory) */

    /* [calls] (the call checks, checks_calls.c) */
    char *calls_rate_s, *calls_fanout_s, *calls_wangiri_s;
    rate_spec calls_rate, calls_fanout, calls_wangiri;
    long long calls_short_call, calls_wangiri_block, calls_roaming_window;

    /* [sms] and [[protected_sender]] (sender protection and spam, checks_sms.c) */
    char *sms_sender_rate_s, *sms_same_text_s;
    rate_spec sms_sender_rate, sms_same_text;
    strlist sms_url_domains, sms_keywords;
    long long sms_concat_window; /* seconds; 0: segments judged alone */
    size_t sms_join_octets;      /* boundary text kept per segment end (ssgw_sms_join_octets) */
    strlist sms_phrases;         /* sms_keywords as the text is compared (ssgw_sms_phrase_norm) */
    bool sms_record_text;
    protected_sender *protected_senders;
    size_t n_protected;

    /* [cli] (calling-line authentication of ISUP calls; compiled by config_cli.c) */
    bool has_cli;
    int cli_line;
    char *cli_sign_s, *cli_inbound_s, *cli_on_ok_s, *cli_mark_level_s, *cli_x5u;
    char *cli_on_s[SSGW_TRUST_OUTCOME_COUNT]; /* per-outcome actions; [0] (ok) unused */
    bool cli_attest_gateway;
    long long cli_release_cause, cli_release_timeout;
    ssgw_policy_cli cli;

    trie gt;     /* GT prefixes and exact node GTs -> owner, roles */
    trie imsi;   /* MCC-MNC -> owner */
    trie msisdn; /* msisdn_prefixes of home and partners -> owner */
    /* Diameter: realms (configured and the 3GPP ones of every MCC-MNC) and listed hosts */
    diam_name *realms, *dhosts;
    size_t n_realms, n_dhosts;
    char home_realm[128];
};

/* ---- loading (config.c, import.c) ---- */

/* "the home network", a partner's name, or "?". */
const char *policy_owner_name(const ssgw_policy *p, uint16_t owner);
/* Makes *path relative to the policy file's directory (reallocates it). 0, or -1 (memory). */
int policy_resolve_path(const ssgw_policy *p, char **path);
/* Frees what a partner holds (hand-written or imported) and zeroes it. */
void policy_party_release(party *pa);
/* Sorts the partner names (policy_partner_find); 0, or -1 (memory). */
int policy_index_names(ssgw_policy *p);
/* Index of the first partner with this name, -1 when none: O(log n). */
int policy_partner_find(const ssgw_policy *p, const char *name);
/*
 * [import] partners: reads the files, resolves every conflict with what is already
 * loaded (hand-written partners win, then file order) and appends the imported partners,
 * their prefixes in the tries. Conflicts and malformed rows are warnings (errors with
 * [import] strict). 0, or -1 when memory ran out.
 */
int policy_import_partners(ssgw_policy *p, ssgw_config_diag *ec);
/* [import] ported_numbers into p->ported (after the partners are final). 0, or -1. */
int policy_import_ported(ssgw_policy *p, ssgw_config_diag *ec);
/* Adds a line "FILE:LINE: warning: ..." to the merge report (an error in ec with [import]
 * strict). 0, or -1 when memory ran out. */
int policy_import_warn(ssgw_policy *p, ssgw_config_diag *ec, const char *file, int line,
                       const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* ---- numbering (ported.c) ---- */

/*
 * Who serves the subscriber with this MSISDN: the ported-numbers table first, then the
 * msisdn_prefixes of the home network and the partners. Returns OWNER_HOME,
 * OWNER_PARTNER(i), OWNER_NONE (ported to a network that is no partner) or
 * MSISDN_UNKNOWN when nothing says; *row (may be NULL) gets the table's row that decided,
 * or NULL. readable: the octets of msisdn that may be read (ssgw_store_pack_digits_in: the
 * size of a digits array, else 0).
 */
uint16_t policy_msisdn_owner(const ssgw_policy *p, const char *msisdn, size_t readable,
                             const ported_range **row);

/* The owner of a Diameter realm / a listed Origin-Host (any case), OWNER_NONE when nobody's. */
uint16_t policy_realm_owner(const ssgw_policy *p, const char *name, size_t len);
uint16_t policy_dhost_owner(const ssgw_policy *p, const char *name, size_t len);

/* The party for an owner value, or NULL. */
static inline const party *policy_party(const ssgw_policy *p, uint16_t owner)
{
    if (owner == OWNER_HOME) return &p->home;
    if (owner >= 2 && (size_t)(owner - 2) < p->n_partners) return &p->partners[owner - 2];
    return NULL;
}

/* Whether owner is a partner configured as an SMS hub ([[partner]] sms_hub): the service-centre
 * address of the mt-forwardSMs it sends may be another network's (not ours). */
static inline bool policy_sms_hub(const ssgw_policy *p, uint16_t owner)
{
    return owner >= 2 && (size_t)(owner - 2) < p->n_partners && p->partners[owner - 2].sms_hub;
}

/* Compiles [cli] and the partners' cli settings (config_cli.c). 0, or -1 out of memory;
 * configuration errors go to ec. */
int policy_compile_cli(ssgw_policy *p, ssgw_config_diag *ec);

/* The partner whose point_codes hold pc (OWNER_PARTNER(i)), else OWNER_NONE. */
uint16_t policy_owner_of_pc(const ssgw_policy *p, uint32_t pc);

/* ---- geography (geo.c) ---- */

typedef struct {
    const char *code; /* E.164 country code (1-4 digits, NANP area codes included) */
    const char *iso;  /* ISO 3166-1 alpha-2 */
    const char *name;
    double lat, lon;
} geo_entry;

/* The table (geo_table.c, generated from data/e164-geography.csv), sorted by code. */
extern const geo_entry ssgw_geo_table[];
extern const size_t ssgw_geo_table_len;

/* Longest E.164 country-code prefix of digits; NULL when none. */
const geo_entry *geo_lookup(const char *digits);
/* Index+1 of an entry (0 for NULL), and back. */
uint16_t geo_index(const geo_entry *e);
const geo_entry *geo_at_index(uint16_t idx);
/* The country of an E.212 mobile country code ("208"), from data/e212-mcc.csv; NULL when the
 * code is not assigned to a country. */
const geo_entry *geo_for_mcc(const char *mcc);
/* The MCC table (mcc_table.c, generated from data/e212-mcc.csv), for its test. */
size_t ssgw_mcc_table_len(void);
const char *ssgw_mcc_table_at(size_t i, const char **iso);
/* Great-circle distance in km. */
double geo_distance_km(const geo_entry *a, const geo_entry *b);
size_t geo_count(void);
const geo_entry *geo_at(size_t i);

/* ---- E.164 numbering (numbering.c, numbering_table.c from data/e164-numbering.csv) ---- */

typedef enum { NUM_LENGTH = 0, NUM_PREMIUM, NUM_UNALLOCATED, NUM_NETWORK } numbering_kind;

typedef struct {
    const char *prefix; /* international digits: a country code (length) or a range */
    uint8_t kind;       /* numbering_kind */
    uint8_t min, max;   /* NUM_LENGTH: the national significant number's lengths */
    const char *note;
} numbering_entry;

extern const numbering_entry ssgw_numbering_table[];
extern const size_t ssgw_numbering_table_len;

typedef enum {
    NUMBER_OK = 0,
    NUMBER_UNALLOCATED, /* no country code, or a range the table marks unallocated */
    NUMBER_TOO_SHORT,   /* shorter than its country's numbers */
    NUMBER_TOO_LONG,    /* longer than its country's numbers (or than E.164's 15 digits) */
    NUMBER_PREMIUM,     /* premium-rate / revenue-sharing / televoting: never a caller */
    NUMBER_SHORT_CODE,  /* a national short code (6 digits or fewer): never a caller */
} number_class;

/* "ok", "unallocated", "too short", "too long", "premium rate", "short code". */
const char *numbering_class_name(number_class c);
/*
 * What a calling number is: digits (0-9 only) in international form (nature of address
 * international) or else national. *note (may be NULL) gets the table's note on the entry
 * that decided ("United Kingdom", "Germany 0900 premium-rate services").
 */
number_class numbering_classify(const char *digits, bool international, const char **note);
/* The longest numbering-table entry whose prefix starts digits, among the kinds in mask
 * (1 << kind); the first in table order among equally long ones; NULL when none. */
const numbering_entry *numbering_longest(const char *digits, unsigned mask);

/* ---- checks (checks.c), used by inspect.c ---- */

/* The rate-limit buckets one message with several components took (ssgw_check_take): the
 * judgement of the whole message takes first; each component judged alone then claims the
 * whole message's take of the same bucket once, or takes its own. So every component counts
 * once, and the first pass (the first invoke's operation with the last component's
 * parameters) is not counted on top of them. */
#define SSGW_TAKE_MEMO 48
typedef struct {
    unsigned n;
    struct {
        uint64_t key;
        int8_t got; /* bucket_take's answer */
        bool claimed;
    } v[SSGW_TAKE_MEMO];
} ssgw_take_memo;

/*
 * What a check sees: the message, the policy, the store, and facts the
 * pipeline derived once (direction, owners of the GTs, the operations).
 * A check returns 1 when it objects (having written cx->reason), else 0.
 */
typedef struct ssgw_check_ctx {
    const ssgw_policy *p;
    ssgw_store *store;
    ssgw_view *v;
    ssgw_direction dir;
    uint64_t now_ms;
    uint32_t now_s;
    bool has_peer;
    uint32_t peer;     /* OPC (or the caller's peer id) the message arrived from */
    uint32_t source;   /* the arrival link (ssgw_firewall_meta.source), 0 = none */
    bool is_map;       /* MAP dialogue (not CAP or another non-MAP context) */
    int op;            /* opcode of the first invoke, -1 when none */
    ssgw_category cat; /* category of op */
    unsigned n_invokes;
    int invoke_ops[SSGW_VIEW_MAX_COMPONENTS];
    /* what the checks call those operations (ssgw_check_prepare): every version of an
     * operation is its current one (op_family.c), e.g. forwardSM of MAP v2 carrying a short
     * message to the MS is mt-forwardSM; pop is the first invoke's, -1 when none */
    int pop;
    int invoke_pops[SSGW_VIEW_MAX_COMPONENTS];
    /* the MAP version the first invoke's name is taken in (ssgw_check_op_name), -1 for no
     * name: worked out by ssgw_check_prepare, the name only when a reason needs it */
    int op_name_version;
    const char *calling, *called; /* GT digits, "" when absent */
    uint16_t calling_owner, called_owner;
    uint8_t calling_roles;
    uint64_t calling_key; /* packed calling GT, 0 when none */
    uint64_t called_key;  /* packed called GT, 0 when none */
    uint64_t text_key;    /* the firewall's key for SMS text fingerprints (checks_sms.c) */
    bool map_decoded;     /* ssgw_view_map() ran without error */
    const char *imsi;     /* from the MAP parameters (else the MAP-OPEN destination
                             reference), "" when absent */
    char dest_imsi[17];
    uint16_t imsi_owner; /* owner of the IMSI's MCC-MNC */
    uint64_t imsi_key;
    /* the short message, looked at once a message by the sms.* checks (checks_sms.c):
     * sms_state 0 = not yet, 1 = an inbound SMS-DELIVER, -1 = none; text_state the same
     * for its lower-cased text in sms_text (private: on the stack with this context);
     * sender_done: its sender as compared is in sender_norm (ssgw_sms_sender_norm) */
    int8_t sms_state, text_state;
    bool sender_done;
    char sms_text[SSGW_SMS_TEXT_CAP];
    char sender_norm[SSGW_SMS_ADDR_CAP];
    /* the first invoke with a global opcode, an unknown one, one out of its context (-1
     * none), found in one pass for the three class.* checks (checks_class.c) once
     * invokes_scanned */
    bool invokes_scanned;
    int8_t first_global, first_unknown, first_out_of_context;
    char *reason;
    size_t reason_cap;
    ssgw_take_memo *takes; /* a message with several components: the buckets taken, or NULL */
    bool component;        /* a component judged alone (judge_components) */
    /* ---- Diameter (S6a/S6d): filled by the firewall for a Diameter view ---- */
    bool is_diameter;
    bool request;     /* R flag */
    uint32_t command; /* command code */
    const ssgw_diam_fields *df;
    uint16_t realm_owner;   /* owner of Origin-Realm */
    uint16_t plmn_owner;    /* owner of Visited-PLMN-Id's MCC-MNC */
    const char *peer_realm; /* realm the arrival peer named in its CER/CEA, or NULL */
    const char *peer_host;
} ssgw_check_ctx;

typedef int (*ssgw_check_fn)(ssgw_check_ctx *cx);

/* snprintf / vsnprintf for reason sentences (reason_fmt.c): the same text and return value,
 * written by hand for the conversions the templates use (%s, %.*s, %u, %d, %lld, %0Nx), by
 * vsnprintf for any other. */
int ssgw_reason_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 0)))
#endif
    ;
int ssgw_reason_format(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Fills cx->reason (printf-style) and returns 1, so checks can `return deny(cx, ...)`. */
int ssgw_check_deny(ssgw_check_ctx *cx, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* "the home network", a partner's name, or "no partner network". */
const char *ssgw_check_who(const ssgw_check_ctx *cx, uint16_t owner);
/* The network at the other end of the message (an OWNER_* value): for an inbound message
 * the owner of its calling GT, else of the point code it came from; for an outbound one the
 * owner of its called GT, else of its DPC. The state store charges what the message teaches
 * to it (store.h, dialogue_put), so that one peer's traffic cannot push out another's. */
uint16_t ssgw_check_peer_network(const ssgw_check_ctx *cx);
/* Whether the node sending the message may carry a service-centre address of network
 * sc_owner: one of its own network's, or any but ours when it is an SMS hub's ([[partner]]
 * sms_hub). The one rule sms.mt_fsm_origin and the SMS checks' SMSC apply. */
bool ssgw_check_sc_vouched(const ssgw_check_ctx *cx, uint16_t sc_owner);
/* Takes a token of bucket `key` (the store's bucket_take: limit per period_s, burst) for the
 * message, once per component of a message with several (ssgw_take_memo). Every check takes
 * through it. Returns bucket_take's answer: 1 taken, 0 empty, -1 untracked. */
int ssgw_check_take_memo(ssgw_check_ctx *cx, uint64_t key, uint32_t limit, uint32_t period_s,
                         uint32_t burst);
static inline int ssgw_check_take(ssgw_check_ctx *cx, uint64_t key, uint32_t limit,
                                  uint32_t period_s, uint32_t burst)
{
    if (__builtin_expect(cx->takes != NULL, 0))
        return ssgw_check_take_memo(cx, key, limit, period_s, burst);
    return cx->store->ops->bucket_take(cx->store, key, limit, period_s, burst, cx->now_ms);
}
/* Makes sure the MAP parameters are decoded (cx->imsi etc. filled). Returns 0 or -1. */
int ssgw_check_need_map(ssgw_check_ctx *cx);
/* The first invoke's name as the dialogue's version calls it, "" when none (after
 * ssgw_check_prepare): looked up when a reason names it, not for every message (issue 16). */
static inline const char *ssgw_check_op_name(const ssgw_check_ctx *cx)
{
    return cx->op_name_version < 0 ? "" : ssgw_map_op_name_in(cx->op, cx->op_name_version);
}
/* The store records the checks may read for this message (inbound with TCAP): writes up to
 * cap keys, returns how many (ssgw_firewall_prefetch_keys). */
size_t ssgw_check_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap);
/* Learning after a verdict that lets the message through (inspect.c calls it): the TCAP
 * dialogue (ssgw_dialogue_learn), then ssgw_check_learn_parameters. */
void ssgw_check_learn(ssgw_check_ctx *cx);
/* What the operations and parameters of cx's view teach (locations, roaming, SRI-SM
 * answers): per component for a message of several (firewall.c, learn). */
void ssgw_check_learn_parameters(ssgw_check_ctx *cx);

/*
 * The facts the checks derive from the TCAP user's parameters, once per message before
 * malformed handling (so that a parameter that does not decode is caught): the policy
 * operations of the MAP invokes (pop, invoke_pops, op_name_version), the MAP parameters a
 * forwardSM's direction needs, the CAP parameters of an inbound CAP message.
 */
void ssgw_check_prepare(ssgw_check_ctx *cx);

/* Whether v has a component of a short-message operation (mt-forwardSM 44, forwardSM /
 * mo-forwardSM 46: those ssgw_view_sms looks into). The TPDU such a message carries is
 * decoded with its MAP parameters (ssgw_check_prepare): one that does not decode makes the
 * message malformed.sms, whatever checks are on; the SMS checks read it decoded there. */
static inline bool ssgw_check_carries_sm(const ssgw_view *v)
{
    for (unsigned i = 0; i < v->ncomp; i++)
        if (v->comp[i].opcode.kind == SSGW_TCAP_CODE_LOCAL &&
            (v->comp[i].opcode.local == SSGW_MAP_OP_MT_FORWARD_SM ||
             v->comp[i].opcode.local == SSGW_MAP_OP_MO_FORWARD_SM))
            return true;
    return false;
}

/* ---- operations and their versions (op_family.c) ---- */

/*
 * The operation the policy judges for MAP operation code `code` in a dialogue of context
 * acn (NULL: none named or unknown), version `version` (0: none named): the current
 * operation of its family (src/wire/map_ops.def). forwardSM (46 before MAP v3) is
 * mt-forwardSM in shortMsgMT-RelayContext, mo-forwardSM in shortMsgMO-RelayContext-v2,
 * and otherwise (shortMsgRelayContext-v1, no context) as sm_dir says (SSGW_MAP_SM_TO_MS:
 * mt-forwardSM; anything else: mo-forwardSM). A code no table knows is returned as it is.
 */
int ssgw_policy_map_op(int code, const ssgw_map_acn *acn, int version, int sm_dir);
/* Whether an invoke of opcode code may have policy operation pop: ssgw_policy_map_op(code, ...)
 * for some context, version and direction, or code itself (what cx->pop is when the message
 * is not judged as MAP). Over-approximates, never misses; the lists of checks rest on it. */
bool ssgw_policy_map_op_may_be(int code, int pop);

/* ---- who is on the other end (checks_class.c) ---- */

/*
 * True when the network on the other end of an inbound message is a member: the home
 * network or a [[partner]] owns its calling GT, or, without a calling GT, its point code
 * (OPC) is one of a partner's point_codes.
 */
bool ssgw_check_member(const ssgw_check_ctx *cx);
/* Whether the unclassified-traffic checks (class.*, scmg.foreign) judge the origin of cx's
 * message: inbound, and from no member unless [classification] partners = "screen". */
bool ssgw_check_class_judged(const ssgw_check_ctx *cx);

/* The checks of other files (the registry is in checks.c; docs/checks.md). */
int ssgw_chk_dialogue_peer(ssgw_check_ctx *cx);
int ssgw_chk_class_unknown_user(ssgw_check_ctx *cx);
int ssgw_chk_class_unknown_context(ssgw_check_ctx *cx);
int ssgw_chk_class_map_v1(ssgw_check_ctx *cx);
int ssgw_chk_class_global_opcode(ssgw_check_ctx *cx);
int ssgw_chk_class_unknown_operation(ssgw_check_ctx *cx);
int ssgw_chk_class_out_of_context(ssgw_check_ctx *cx);
int ssgw_chk_class_ansi_tcap(ssgw_check_ctx *cx);
int ssgw_chk_scmg_foreign(ssgw_check_ctx *cx);
int ssgw_chk_scmg_home_status(ssgw_check_ctx *cx);
/* The index of the first CAP invoke of v whose direction in the CAP table is dir
 * (SSGW_CAP_TO_SCF, SSGW_CAP_FROM_SCF), its operation in *op; -1 when none (checks_cap.c;
 * the learner uses it to tell gsmSCFs). */
int ssgw_cap_first_of_direction(const ssgw_view *v, int dir, ssgw_tcap_op *op);
int ssgw_chk_cap_non_member(ssgw_check_ctx *cx);
int ssgw_chk_cap_scf_origin(ssgw_check_ctx *cx);
int ssgw_chk_cap_to_scf(ssgw_check_ctx *cx);

/* The GT a location update moves the subscriber to: its VLR number, else its SGSN number,
 * else the calling GT (MAP parameters decoded). */
const char *ssgw_check_new_location(const ssgw_check_ctx *cx);
/* ssgw_check_new_location's GT packed (ssgw_store_pack_digits), the calling GT's from cx. */
uint64_t ssgw_check_new_location_key(const ssgw_check_ctx *cx);
/* Dialogues and who may continue them (checks_dialogue.c), learned from what passes. */
void ssgw_dialogue_learn(ssgw_check_ctx *cx);
/* The dialogue records the peer check and the dialogue learning of this message read
 * (ssgw_firewall_prefetch_keys); at most 3 keys. */
size_t ssgw_dialogue_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap);
/* Subscriber locations learned from what passes (learn_location.c, docs/checks.md
 * "Learning"). */
void ssgw_learn_location(ssgw_check_ctx *cx);
/* The location record ssgw_learn_location reads for this message (0 or 1 key). */
size_t ssgw_learn_location_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap);
/* The index of the learning row (docs/checks.md "Learning", in its order) of cx's message:
 * its first component that proves a location; -1 none (for test_learn_rows). */
int ssgw_learn_location_row(ssgw_check_ctx *cx);

/* The call checks (checks_calls.c), registered in checks.c, and what calls teach: the
 * call state per circuit, and where our subscribers roam (from our HLR's
 * insertSubscriberData). */
int ssgw_chk_call_home_cli(ssgw_check_ctx *cx);
int ssgw_chk_call_cli_invalid(ssgw_check_ctx *cx);
int ssgw_chk_call_cli_country(ssgw_check_ctx *cx);
int ssgw_chk_call_rate(ssgw_check_ctx *cx);
int ssgw_chk_call_fanout(ssgw_check_ctx *cx);
int ssgw_chk_call_wangiri(ssgw_check_ctx *cx);
void ssgw_check_learn_call(ssgw_check_ctx *cx);
/* Learns from our HLR's insertSubscriberData to a partner's VLR that the subscriber roams
 * there; only such a message (ssgw_check_learns_roaming, inline: most are not, issue 16). */
void ssgw_check_learn_roaming(ssgw_check_ctx *cx);
static inline bool ssgw_check_learns_roaming(const ssgw_check_ctx *cx)
{
    return cx->dir == SSGW_DIR_OUTBOUND && cx->is_map &&
           cx->op == SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA && cx->called_owner >= 2 && cx->v->has_sccp;
}
/* The SMS checks (checks_sms.c), registered in checks.c. */
int ssgw_chk_sms_protected_sender(ssgw_check_ctx *cx);
int ssgw_chk_sms_home_sender(ssgw_check_ctx *cx);
int ssgw_chk_sms_sender_rate(ssgw_check_ctx *cx);
int ssgw_chk_sms_same_text(ssgw_check_ctx *cx);
int ssgw_chk_sms_url(ssgw_check_ctx *cx);
int ssgw_chk_sms_keyword(ssgw_check_ctx *cx);
/* The octets of boundary text a segment of a concatenated message keeps at each end
 * (checks_sms_concat.c): enough for the longest listed phrase or domain to be split
 * anywhere, at most SSGW_STORE_SEGMENT_WINDOW; 0 when nothing is listed. */
size_t ssgw_sms_join_octets(const ssgw_policy *p);
/* A sender as compared: upper case, letters and digits only. */
void ssgw_sms_sender_norm(const char *in, char *out, size_t cap);
/* A listed phrase ([sms] keywords) as sms.keyword compares it with a message's text: lower
 * case, each run of white space one ' ', its first SSGW_SMS_PHRASE_CAP - 1 octets. */
#define SSGW_SMS_PHRASE_CAP 128
size_t ssgw_sms_phrase_norm(const char *in, char *out, size_t cap); /* returns its length */
/* The same-text fingerprint of a text as text_of leaves it (lower case, single spaces): a
 * store key, so the same for every version (the test compares it with a reference). */
uint64_t ssgw_sms_fingerprint(const char *text, uint64_t key);
/* The key for text fingerprints of a policy whose file holds text[0..len). */
uint64_t ssgw_sms_text_key(const char *text, size_t len);
/* The store records the SMS checks may read for this message (ssgw_firewall_prefetch_keys). */
size_t ssgw_sms_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap);
/* The records the call checks and their learning may read for this message. */
size_t ssgw_call_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap);
/* Notes an interception-risk event (include/ssgw/risk.h) for the message's subscriber, if it
 * is one; refused: the firewall did not let it through. Before ssgw_check_learn. Only a
 * message ssgw_risk_may_note admits can be one. */
void ssgw_risk_note(ssgw_check_ctx *cx, bool refused);
/* A MAP operation inbound, or our HLR's insertSubscriberData (its MSISDN-IMSI alias): what
 * ssgw_risk_note looks at further (inline: most messages are neither, issue 16). */
static inline bool ssgw_risk_may_note(const ssgw_check_ctx *cx)
{
    return cx->is_map && cx->op >= 0 &&
           (cx->dir == SSGW_DIR_INBOUND || cx->op == SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA);
}
/* The store records ssgw_risk_note may read for this message (ssgw_firewall_prefetch_keys). */
size_t ssgw_risk_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap);
/*
 * 1 when moving from loc to the country `to` at cx->now_s is implausible (farther than
 * [velocity] min_distance_km and faster than max_speed_kmh, or from a known country to
 * nowhere); *km, *from are filled.
 */
int ssgw_check_implausible(const ssgw_check_ctx *cx, const ssgw_store_location *loc,
                           const geo_entry *to, double *km, const geo_entry **from);
/* Diameter (checks_diameter.c): the registry's functions and learning. */
int ssgw_dcheck_unknown_command(ssgw_check_ctx *cx);
int ssgw_dcheck_origin_realm(ssgw_check_ctx *cx);
int ssgw_dcheck_origin_host(ssgw_check_ctx *cx);
int ssgw_dcheck_peer_realm(ssgw_check_ctx *cx);
int ssgw_dcheck_home_only(ssgw_check_ctx *cx);
int ssgw_dcheck_imsi_realm(ssgw_check_ctx *cx);
int ssgw_dcheck_visited_plmn(ssgw_check_ctx *cx);
int ssgw_dcheck_velocity(ssgw_check_ctx *cx);
int ssgw_dcheck_not_current(ssgw_check_ctx *cx);
int ssgw_dcheck_rate_origin(ssgw_check_ctx *cx);
int ssgw_dcheck_rate_imsi(ssgw_check_ctx *cx);
/* Fills the Diameter facts of cx from v (a Diameter view whose fields decoded). */
void ssgw_dcheck_facts(ssgw_check_ctx *cx);
void ssgw_dcheck_learn(ssgw_check_ctx *cx);
/* The store records the Diameter checks may read for this message (after ssgw_dcheck_facts;
 * ssgw_firewall_prefetch_keys). */
size_t ssgw_dcheck_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap);

/* ---- learn mode (learn.c) ---- */

struct ssgw_learner;
/* Shows the learner a message the firewall did not refuse (both directions). */
void ssgw_learner_observe(struct ssgw_learner *l, ssgw_check_ctx *cx);

/* Registry index of the "default" entry (nothing objected). */
int ssgw_check_default_index(void);
ssgw_check_fn ssgw_check_fn_at(size_t i);
/* What the lists of checks tell messages apart by, besides the policy operation. */
typedef enum {
    SSGW_CHECK_KIND_OTHER,        /* none of the below */
    SSGW_CHECK_KIND_ISUP,         /* has ISUP */
    SSGW_CHECK_KIND_MAP,          /* MAP (no ISUP, SCCP management, ANSI TCAP), no dialogue named */
    SSGW_CHECK_KIND_MAP_DIALOGUE, /* the same, a Continue/End/Abort naming a transaction id */
    SSGW_CHECK_KIND_COUNT
} ssgw_check_kind;
/* The kind of cx's message (after derive_facts). */
ssgw_check_kind ssgw_check_kind_of(const ssgw_check_ctx *cx);
/* Whether check i may object to a message of that kind whose first invoke's policy
 * operation is pop (cx->pop, -1 when none): false for the call.* checks without ISUP, for
 * the CAP, SCCP management, ANSI TCAP and unknown-user checks on MAP, for the dialogue
 * checks on MAP that names no dialogue, and for the checks that judge only some inbound MAP
 * operations (by policy operation, or by the first invoke's opcode cx->op, which must be
 * able to become pop) when pop is not one of them (they return 0 then); the firewall runs
 * on a message only the checks that may. */
bool ssgw_check_may_object(size_t i, ssgw_check_kind kind, int pop);
/* Facts of an inbound message (ssgw_check_facts) some checks need before they may object
 * (ssgw_check_needs): the firewall keeps a list of checks per kind, policy operation and set
 * of these facts, so that a check whose fact the message lacks is not called at all. */
enum {
    SSGW_CHECK_FACT_JUDGED = 1, /* its origin is judged by the unclassified-traffic checks */
    SSGW_CHECK_FACT_CAT1 = 2,   /* inbound MAP with an invoke of category 1 */
    SSGW_CHECK_FACT_CAT2 = 4,   /* inbound MAP with an invoke of category 2 */
    SSGW_CHECK_FACT_SETS = 8    /* the sets of them */
};
/* The facts (SSGW_CHECK_FACT_*) of cx's message (after ssgw_check_prepare). */
unsigned ssgw_check_facts(const ssgw_check_ctx *cx);
/* The facts check i returns 0 without (each of them): 0 for most checks. */
unsigned ssgw_check_needs(size_t i);
/* Every check on every message, as before the lists (for the test that compares the two). */
struct ssgw_firewall;
void ssgw_firewall_set_every_check(struct ssgw_firewall *in, bool every);
/* A GT's packed key, owner and roles as derive_facts finds them, through the firewall's memo
 * (gt: a digits array, 16 octets readable; for the test that compares them with packing and
 * the trie). */
void ssgw_firewall_gt(struct ssgw_firewall *in, const char *gt, uint64_t *key, uint16_t *owner,
                      uint8_t *roles);
/* The packed keys and owners of a view's calling ([0]) and called ([1]) GTs and the calling
 * GT's roles, as derive_facts finds them (memo: through the firewall's memo; a view without
 * SCCP: those of no GT); for the test that compares them with packing and the trie. */
void ssgw_firewall_gt_facts(struct ssgw_firewall *in, const ssgw_view *v, bool memo,
                            uint64_t key[2], uint16_t owner[2], uint8_t *calling_roles);

#endif
