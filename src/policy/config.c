/*
 * config.c - the policy configuration: a strict TOML subset, a table of every
 * option (declared once: section, key, type, bounds, default, help), and the
 * compilation of the parsed model into lookup structures (tries, op sets).
 *
 * Grammar (docs/configuration.md has the full text):
 *
 *   file     = { line }
 *   line     = ws [ header | pair ] ws [ comment ] newline
 *   header   = "[" name "]" | "[[" name "]]"
 *   pair     = key ws "=" ws value
 *   key,name = 1*( ALPHA / DIGIT / "_" / "-" )
 *   value    = string | integer | boolean | array
 *   string   = '"' *( char | '\"' | '\\' | '\n' | '\t' ) '"'    (one line)
 *   integer  = [ "-" | "+" ] 1*DIGIT *( "_" 1*DIGIT )
 *   boolean  = "true" | "false"
 *   array    = "[" [ value *( "," value ) [ "," ] ] "]"   (may span lines,
 *              may hold comments; items of one type; no nested arrays)
 *   comment  = "#" *anything
 *
 * Anything else is an error naming FILE:LINE:COLUMN, the section and key, the
 * bad value and what is allowed; unknown sections and keys are errors (with a
 * "did you mean" suggestion). Errors are collected (up to
 * SSGW_CONFIG_MAX_ERRORS) so one run shows them all.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"
#include "ssgw/digits.h"
#include "ssgw/tcap.h"

/* ---- the option table ----------------------------------------------------------- */

enum {
    SEC_POLICY,
    SEC_STATE,
    SEC_VELOCITY,
    SEC_RATE,
    SEC_HOME,
    SEC_PARTNER,
    SEC_RULE,
    SEC_CHECK,
    SEC_TRUST,
    SEC_COUNT
};

static const ssgw_config_section sections[SEC_COUNT] = {
    {"policy", false, "mode and what to do with malformed messages"},
    {"state", false, "capacities and timeouts of the state store"},
    {"velocity", false, "travel plausibility for location updates (cat3.velocity)"},
    {"rate", false, "token-bucket rate limits (rate.*, sms.sri_sm_rate)"},
    {"home", false, "the home network: numbering and own nodes"},
    {"partner", true, "a roaming / interconnect partner and its bilateral agreement"},
    {"rule", true, "an operator rule, evaluated first, first match wins"},
    {"check", true, "settings of one built-in check: enable/disable, action, answer"},
    {"trust", false,
     "the security token (optional): our keys, the TSCA root and bundle, how we sign and what "
     "happens to each verification outcome"},
};

#define OFF_P(f)  offsetof(struct ssgw_policy, f)
#define OFF_PA(f) offsetof(party, f)
#define OFF_R(f)  offsetof(rule, f)
#define OFF_C(f)  offsetof(check_override, f)
#define NODE(sec, key, what)                                                                       \
    {                                                                                              \
        sec, #key, SSGW_OPT_DIGITS_LIST, 0, 256, NULL, NULL,                                       \
            "global titles of the " what " (exact E.164 numbers)", OFF_PA(key)                     \
    }

#define TRUST_ON(outcome, key, what)                                                               \
    {                                                                                              \
        "trust", #key, SSGW_OPT_ENUM, 0, 0, "\"drop\"", "drop|allow|alert", "action when " what,   \
            OFF_P(tr_on_s[outcome])                                                                \
    }

static const ssgw_config_option options[] = {
    {"policy", "mode", SSGW_OPT_ENUM, 0, 0, "\"enforce\"", "enforce|monitor",
     "enforce: verdicts are applied; monitor: verdicts are computed and reported, every message "
     "passes (records say enforced: false)",
     OFF_P(mode)},
    {"policy", "malformed", SSGW_OPT_ACTION, 0, 0, "\"drop\"", "allow|drop|answer|alert|rate-limit",
     "verdict for messages that fail to decode (check malformed.<layer>); always counted",
     OFF_P(malformed_s)},
    {"policy", "malformed_answer", SSGW_OPT_ANSWER, 0, 0, "\"sccp-udts\"", NULL,
     "answer sent for malformed messages when malformed = \"answer\"", OFF_P(malformed_answer_s)},

    {"state", "subscribers", SSGW_OPT_INT, 1, 100000000, "1000000", NULL,
     "subscriber location records held (32 bytes each; the oldest is replaced at the cap)",
     OFF_P(st_subscribers)},
    {"state", "sri_sm_marks", SSGW_OPT_INT, 1, 100000000, "262144", NULL,
     "SRI-SM marks held (16 bytes each)", OFF_P(st_marks)},
    {"state", "dialogues", SSGW_OPT_INT, 1, 100000000, "262144", NULL,
     "open TCAP dialogues tracked (16 bytes each)", OFF_P(st_dialogues)},
    {"state", "buckets", SSGW_OPT_INT, 1, 100000000, "262144", NULL,
     "token buckets held (16 bytes each)", OFF_P(st_buckets)},
    {"state", "dialogue_timeout", SSGW_OPT_INT, 1, 86400, "60", NULL,
     "seconds a dialogue stays known without traffic", OFF_P(dialogue_timeout)},
    {"state", "sri_sm_window", SSGW_OPT_INT, 1, 86400, "60", NULL,
     "seconds an mt-forwardSM may follow the SRI-SM that located the subscriber",
     OFF_P(sri_sm_window)},

    {"velocity", "max_speed_kmh", SSGW_OPT_INT, 1, 100000, "1000", NULL,
     "fastest plausible travel between two countries (km/h, door to door)", OFF_P(max_speed_kmh)},
    {"velocity", "min_distance_km", SSGW_OPT_INT, 0, 20000, "600", NULL,
     "moves between countries closer than this are always plausible (borders)",
     OFF_P(min_distance_km)},

    {"rate", "calling_gt", SSGW_OPT_RATE, 0, 0, "\"2000/1s\"", NULL,
     "inbound messages per calling GT (rate.calling_gt)", OFF_P(rate_calling_gt_s)},
    {"rate", "imsi", SSGW_OPT_RATE, 0, 0, "\"60/60s\"", NULL,
     "inbound operations per IMSI (rate.imsi)", OFF_P(rate_imsi_s)},
    {"rate", "operation", SSGW_OPT_RATE, 0, 0, "\"off\"", NULL,
     "inbound invocations per MAP operation, all peers together (rate.operation)",
     OFF_P(rate_operation_s)},
    {"rate", "sri_sm_per_msisdn", SSGW_OPT_RATE, 0, 0, "\"5/600s\"", NULL,
     "inbound sendRoutingInfoForSM per MSISDN (sms.sri_sm_rate)", OFF_P(rate_sri_sm_s)},

    {"home", "name", SSGW_OPT_STRING, 0, 127, "\"\"", NULL, "the operator's name", OFF_PA(name)},
    {"home", "country", SSGW_OPT_COUNTRY, 0, 0, NULL, NULL, "ISO 3166-1 alpha-2 country code",
     OFF_PA(country)},
    {"home", "mcc_mnc", SSGW_OPT_MCCMNC_LIST, 1, 64, NULL, NULL,
     "E.212 MCC+MNC of the home network's IMSIs (required)", OFF_PA(mccmnc)},
    {"home", "gt_prefixes", SSGW_OPT_DIGITS_LIST, 1, 256, NULL, NULL,
     "E.164 prefixes of the home network's global titles (required)", OFF_PA(gt)},
    {"home", "msisdn_prefixes", SSGW_OPT_DIGITS_LIST, 0, 256, NULL, NULL,
     "E.164 prefixes of the home network's MSISDNs", OFF_PA(msisdn)},
    {"home", "point_codes", SSGW_OPT_PC_LIST, 0, 64, NULL, NULL,
     "home signalling point codes: a message with one of them as DPC is inbound", OFF_PA(pc)},
    NODE("home", hlr, "HLRs"),
    NODE("home", vlr, "VLRs"),
    NODE("home", msc, "MSCs"),
    NODE("home", smsc, "SMSCs"),
    NODE("home", gsmscf, "gsmSCFs"),
    NODE("home", sgsn, "SGSNs"),

    {"partner", "name", SSGW_OPT_STRING, 1, 127, NULL, NULL,
     "the partner's name (required, unique)", OFF_PA(name)},
    {"partner", "country", SSGW_OPT_COUNTRY, 0, 0, NULL, NULL, "ISO 3166-1 alpha-2 country code",
     OFF_PA(country)},
    {"partner", "mcc_mnc", SSGW_OPT_MCCMNC_LIST, 0, 64, NULL, NULL,
     "E.212 MCC+MNC of the partner's IMSIs", OFF_PA(mccmnc)},
    {"partner", "gt_prefixes", SSGW_OPT_DIGITS_LIST, 1, 256, NULL, NULL,
     "E.164 prefixes of the partner's global titles (required)", OFF_PA(gt)},
    {"partner", "point_codes", SSGW_OPT_PC_LIST, 0, 64, NULL, NULL,
     "point codes (OPC) the partner's traffic arrives from; empty = not checked "
     "(spoof.peer_mismatch)",
     OFF_PA(pc)},
    NODE("partner", hlr, "partner's HLRs"),
    NODE("partner", vlr, "partner's VLRs"),
    NODE("partner", msc, "partner's MSCs"),
    NODE("partner", smsc, "partner's SMSCs / SMS-GMSCs"),
    NODE("partner", gsmscf, "partner's gsmSCFs"),
    NODE("partner", sgsn, "partner's SGSNs"),
    {"partner", "allow", SSGW_OPT_OP_LIST, 0, 128, NULL, NULL,
     "bilateral agreement: MAP operations (names or opcodes) this partner may send beyond the "
     "defaults (lifts cat1.operation)",
     OFF_PA(allow)},
    {"partner", "trust", SSGW_OPT_ENUM, 0, 0, NULL, "require|verify-if-present|off",
     "security token policy for messages from this partner (default: [trust] inbound)",
     OFF_PA(trust_s)},

    {"rule", "name", SSGW_OPT_STRING, 1, 63, NULL, NULL,
     "the rule's name (required, unique); its verdicts say check = \"rule.<name>\"", OFF_R(name)},
    {"rule", "direction", SSGW_OPT_ENUM, 0, 0, "\"inbound\"", "inbound|outbound|any",
     "which direction the rule applies to", OFF_R(direction)},
    {"rule", "operation", SSGW_OPT_OP_LIST, 0, 128, NULL, NULL,
     "MAP operations (names or opcodes) of any invoke in the message", OFF_R(operation)},
    {"rule", "category", SSGW_OPT_CAT_LIST, 0, 6, NULL, NULL,
     "categories of the message's operation: cat1, cat2, cat3, sms, other, none", OFF_R(category)},
    {"rule", "calling_gt", SSGW_OPT_DIGITS_LIST, 0, 256, NULL, NULL, "SCCP calling GT prefixes",
     OFF_R(calling_gt)},
    {"rule", "called_gt", SSGW_OPT_DIGITS_LIST, 0, 256, NULL, NULL, "SCCP called GT prefixes",
     OFF_R(called_gt)},
    {"rule", "calling_ssn", SSGW_OPT_SSN_LIST, 0, 64, NULL, NULL, "SCCP calling subsystem numbers",
     OFF_R(calling_ssn)},
    {"rule", "called_ssn", SSGW_OPT_SSN_LIST, 0, 64, NULL, NULL, "SCCP called subsystem numbers",
     OFF_R(called_ssn)},
    {"rule", "imsi", SSGW_OPT_DIGITS_LIST, 0, 256, NULL, NULL, "IMSI prefixes (MCC-MNC or longer)",
     OFF_R(imsi)},
    {"rule", "tcap", SSGW_OPT_TCAP_LIST, 0, 5, NULL, NULL,
     "TCAP message types: begin, continue, end, abort, unidirectional", OFF_R(tcap)},
    {"rule", "partner", SSGW_OPT_NAME_LIST, 0, 64, NULL, NULL,
     "partner names the calling GT belongs to; \"home\" and \"none\" (no partner) also allowed",
     OFF_R(partner)},
    {"rule", "action", SSGW_OPT_ACTION, 0, 0, NULL, "allow|drop|answer|alert|rate-limit",
     "what to do with a matching message (required)", OFF_R(action_s)},
    {"rule", "answer", SSGW_OPT_ANSWER, 0, 0, "\"tcap-abort\"", NULL,
     "answer for action = \"answer\"", OFF_R(answer_s)},
    {"rule", "rate", SSGW_OPT_RATE, 0, 0, "\"off\"", NULL,
     "for action = \"rate-limit\": messages per calling GT allowed through; beyond it the verdict "
     "is rate-limit",
     OFF_R(rate_s)},

    {"check", "name", SSGW_OPT_CHECK_NAME, 0, 0, NULL, NULL,
     "the check's name, as in docs/checks.md (required)", OFF_C(name)},
    {"check", "enabled", SSGW_OPT_BOOL, 0, 0, "true", NULL, "false turns the check off",
     OFF_C(enabled)},
    {"check", "action", SSGW_OPT_ACTION, 0, 0, NULL, "allow|drop|answer|alert|rate-limit",
     "verdict when the check objects (default: the check's own, see docs/checks.md)",
     OFF_C(action_s)},
    {"check", "answer", SSGW_OPT_ANSWER, 0, 0, NULL, NULL,
     "answer when the action is \"answer\" (default: the check's own)", OFF_C(answer_s)},

    {"trust", "key", SSGW_OPT_STRING, 1, 1023, NULL, NULL,
     "our signing private key (PEM from `tsca request`; refused unless mode 0600); relative paths "
     "are relative to this file (required unless sign = \"none\")",
     OFF_P(tr_key)},
    {"trust", "ka_key", SSGW_OPT_STRING, 1, 1023, NULL, NULL,
     "our key-agreement private key (needed for mode = \"hmac\")", OFF_P(tr_ka_key)},
    {"trust", "root", SSGW_OPT_STRING, 1, 1023, NULL, NULL,
     "the TSCA root certificate (PEM): the only trust anchor (required)", OFF_P(tr_root)},
    {"trust", "bundle", SSGW_OPT_STRING, 1, 1023, NULL, NULL,
     "the signed trust bundle file (`tsca bundle`) (required)", OFF_P(tr_bundle)},
    {"trust", "bundle_url", SSGW_OPT_STRING, 0, 1023, NULL, NULL,
     "http:// URL the gateway polls for newer bundles (`tsca serve`); unset = the file only",
     OFF_P(tr_bundle_url)},
    {"trust", "bundle_poll", SSGW_OPT_INT, 10, 86400, "300", NULL,
     "seconds between polls of bundle_url", OFF_P(tr_poll)},
    {"trust", "mode", SSGW_OPT_ENUM, 0, 0, "\"ecdsa-p256\"", "ecdsa-p256|ed25519|hmac",
     "how we sign: ECDSA P-256, Ed25519 (the key's type must match), or the fast pairwise HMAC "
     "mode",
     OFF_P(tr_mode_s)},
    {"trust", "sign", SSGW_OPT_ENUM, 0, 0, "\"members\"", "members|all|none",
     "members: sign only messages whose called GT belongs to a bundle member; all: every message "
     "with TCAP; none: verify only",
     OFF_P(tr_sign_s)},
    {"trust", "window", SSGW_OPT_INT, 1, 86400, "60", NULL,
     "accepted difference in seconds between a token's time and ours (stale outside)",
     OFF_P(tr_window)},
    {"trust", "max_rate", SSGW_OPT_INT, 1, 10000000, "5000", NULL,
     "verified tokens per second the replay cache must hold without evicting a live entry "
     "(sizes replay_entries)",
     OFF_P(tr_max_rate)},
    {"trust", "replay_entries", SSGW_OPT_INT, 0, 268435456, "0", NULL,
     "replay cache capacity (24 bytes each); 0 = sized for max_rate: 4/3 x max_rate x (2 x "
     "window + 1)",
     OFF_P(tr_replay)},
    {"trust", "sequence_file", SSGW_OPT_STRING, 0, 1023, NULL, NULL,
     "where the gateway records the highest bundle sequence it accepted, so that no reload or "
     "restart goes back to an older bundle (default: the bundle's path + \".seq\")",
     OFF_P(tr_seq_file)},
    {"trust", "inbound", SSGW_OPT_ENUM, 0, 0, "\"require\"", "require|verify-if-present|off",
     "default policy for received messages (a [[partner]] may override it): require = fail "
     "closed",
     OFF_P(tr_inbound_s)},
    TRUST_ON(SSGW_TRUST_MISSING, on_missing, "no token (under require)"),
    TRUST_ON(SSGW_TRUST_MALFORMED, on_malformed, "the token or its TCAP placement does not decode"),
    TRUST_ON(SSGW_TRUST_UNKNOWN_KEY, on_unknown_key, "the signer's key id is not in the bundle"),
    TRUST_ON(SSGW_TRUST_BAD_SIGNATURE, on_bad_signature, "the signature or MAC does not verify"),
    TRUST_ON(SSGW_TRUST_EXPIRED, on_expired, "the signer's certificate has expired"),
    TRUST_ON(SSGW_TRUST_NOT_YET_VALID, on_not_yet_valid,
             "the signer's certificate is not yet valid"),
    TRUST_ON(SSGW_TRUST_REVOKED, on_revoked, "the signer's certificate is revoked"),
    TRUST_ON(SSGW_TRUST_GT_NOT_AUTHORISED, on_gt_not_authorised,
             "the calling GT is outside the signer's certified ranges (spoofing)"),
    TRUST_ON(SSGW_TRUST_STALE, on_stale, "the token's time is outside the window"),
    TRUST_ON(SSGW_TRUST_REPLAY, on_replay, "the token was already seen"),
    TRUST_ON(SSGW_TRUST_BUNDLE_EXPIRED, on_bundle_expired,
             "the token verified but the trust bundle in use is past its not-after (fail closed)"),
};

#define N_OPTIONS (sizeof options / sizeof options[0])

const char *ssgw_trust_sign_to_name(int v)
{
    return v == SSGW_TRUST_SIGN_MEMBERS ? "members"
           : v == SSGW_TRUST_SIGN_ALL   ? "all"
           : v == SSGW_TRUST_SIGN_NONE  ? "none"
                                        : "unknown";
}

size_t ssgw_config_option_count(void)
{
    return N_OPTIONS;
}
const ssgw_config_option *ssgw_config_option_at(size_t i)
{
    return i < N_OPTIONS ? &options[i] : NULL;
}
size_t ssgw_config_section_count(void)
{
    return SEC_COUNT;
}
const ssgw_config_section *ssgw_config_section_at(size_t i)
{
    return i < SEC_COUNT ? &sections[i] : NULL;
}

const char *ssgw_opt_type_name(ssgw_opt_type t)
{
    static const char *const names[SSGW_OPT_TYPE_COUNT] = {"string",
                                                           "integer",
                                                           "boolean",
                                                           "string (one of)",
                                                           "country code",
                                                           "array of digits",
                                                           "array of MCC-MNC",
                                                           "array of point codes",
                                                           "array of SSNs",
                                                           "array of operations",
                                                           "array of categories",
                                                           "array of TCAP types",
                                                           "array of partner names",
                                                           "action",
                                                           "answer",
                                                           "rate",
                                                           "check name"};
    return (unsigned)t < SSGW_OPT_TYPE_COUNT ? names[t] : "unknown";
}

/* ---- errors --------------------------------------------------------------------- */

typedef struct {
    const char *file;
    ssgw_config_errors *errs;
    size_t count;
} errctx;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void
errf(errctx *ec, int line, int col, const char *fmt, ...)
{
    ec->count++;
    if (!ec->errs) return;
    if (ec->errs->n >= SSGW_CONFIG_MAX_ERRORS) {
        ec->errs->n_dropped++;
        return;
    }
    ssgw_config_error *e = &ec->errs->e[ec->errs->n++];
    e->line = line;
    e->col = col;
    int k;
    if (line > 0)
        k = snprintf(e->text, sizeof e->text, "%s:%d:%d: error: ", ec->file, line, col);
    else
        k = snprintf(e->text, sizeof e->text, "%s: error: ", ec->file);
    if (k < 0 || (size_t)k >= sizeof e->text) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text + k, sizeof e->text - (size_t)k, fmt, ap);
    va_end(ap);
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40) return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t c = d[i - 1][j - 1] +
                       (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

/* Keeps the closest candidate within a tolerance. */
typedef struct {
    const char *best;
    size_t dist;
} suggest;

static void suggest_try(suggest *s, const char *word, const char *cand)
{
    size_t d = edit_distance(word, cand);
    size_t tol = strlen(cand) / 3 + 1;
    if (tol > 3) tol = 3;
    if (d <= tol && (!s->best || d < s->dist)) {
        s->best = cand;
        s->dist = d;
    }
}

/* " (did you mean 'x'?)" or "". */
static const char *dym(const suggest *s, char *buf, size_t cap)
{
    if (!s->best) return "";
    snprintf(buf, cap, " (did you mean '%s'?)", s->best);
    return buf;
}

/* ---- values --------------------------------------------------------------------- */

typedef enum { V_STR, V_INT, V_BOOL, V_ARRAY } vtype;

typedef struct val {
    vtype t;
    int line, col;
    char *s;
    long long i;
    bool b;
    struct val *items;
    size_t n;
} val;

static void val_free(val *v)
{
    free(v->s);
    for (size_t i = 0; i < v->n; i++)
        val_free(&v->items[i]);
    free(v->items);
    memset(v, 0, sizeof *v);
}

static const char *vtype_name(vtype t)
{
    return t == V_STR    ? "a string"
           : t == V_INT  ? "an integer"
           : t == V_BOOL ? "a boolean"
                         : "an array";
}

/* The value as it appeared, for messages (short, printable). */
static const char *val_text(const val *v, char *buf, size_t cap)
{
    switch (v->t) {
    case V_STR: {
        size_t k = 0;
        buf[k++] = '"';
        for (const char *p = v->s; *p && k + 5 < cap; p++)
            buf[k++] = isprint((unsigned char)*p) ? *p : '?';
        buf[k++] = '"';
        buf[k] = '\0';
        break;
    }
    case V_INT:
        snprintf(buf, cap, "%lld", v->i);
        break;
    case V_BOOL:
        snprintf(buf, cap, "%s", v->b ? "true" : "false");
        break;
    default:
        snprintf(buf, cap, "[...]");
        break;
    }
    return buf;
}

/* ---- lexer ---------------------------------------------------------------------- */

typedef struct {
    const char *s;
    size_t len, pos, line_start;
    int line;
    errctx *ec;
} lexer;

static int lx_col(const lexer *l)
{
    return (int)(l->pos - l->line_start) + 1;
}
static int lx_peek(const lexer *l)
{
    return l->pos < l->len ? (unsigned char)l->s[l->pos] : -1;
}

static void lx_ws(lexer *l)
{
    while (l->pos < l->len && (l->s[l->pos] == ' ' || l->s[l->pos] == '\t'))
        l->pos++;
}

static void lx_newline(lexer *l)
{
    /* at '\n' */
    l->pos++;
    l->line++;
    l->line_start = l->pos;
}

/* Skips whitespace, comments and newlines (inside arrays). */
static void lx_ws_nl(lexer *l)
{
    for (;;) {
        lx_ws(l);
        int c = lx_peek(l);
        if (c == '#') {
            while (l->pos < l->len && l->s[l->pos] != '\n')
                l->pos++;
        } else if (c == '\r' && l->pos + 1 < l->len && l->s[l->pos + 1] == '\n') {
            l->pos++;
        } else if (c == '\n') {
            lx_newline(l);
        } else {
            return;
        }
    }
}

static void lx_skip_line(lexer *l)
{
    while (l->pos < l->len && l->s[l->pos] != '\n')
        l->pos++;
}

/* After a header or pair: only whitespace and a comment may follow on the line. */
static int lx_end_of_line(lexer *l)
{
    lx_ws(l);
    int c = lx_peek(l);
    if (c == '#') {
        lx_skip_line(l);
        return 0;
    }
    if (c == '\r' && l->pos + 1 < l->len && l->s[l->pos + 1] == '\n') return 0;
    if (c == '\n' || c == -1) return 0;
    errf(l->ec, l->line, lx_col(l), "unexpected '%c' after the value (one key = value per line)",
         isprint(c) ? c : '?');
    lx_skip_line(l);
    return -1;
}

static int is_bare(int c)
{
    return isalnum(c) || c == '_' || c == '-';
}

static size_t lx_bare(lexer *l, char *out, size_t cap)
{
    size_t n = 0;
    while (l->pos < l->len && is_bare((unsigned char)l->s[l->pos])) {
        if (n + 1 < cap) out[n++] = l->s[l->pos];
        l->pos++;
    }
    out[n] = '\0';
    return n;
}

static int parse_value(lexer *l, val *v, int depth);

static int parse_string(lexer *l, val *v)
{
    size_t start = ++l->pos;
    char *out = malloc(l->len - start + 1);
    size_t n = 0;
    if (!out) return -1;
    for (;;) {
        int c = lx_peek(l);
        if (c == -1 || c == '\n' || c == '\r') {
            errf(l->ec, v->line, v->col,
                 "unterminated string (strings end with '\"' on the same "
                 "line)");
            free(out);
            return -1;
        }
        l->pos++;
        if (c == '"') break;
        if (c == '\\') {
            int e = lx_peek(l);
            l->pos++;
            switch (e) {
            case '"':
                out[n++] = '"';
                break;
            case '\\':
                out[n++] = '\\';
                break;
            case 'n':
                out[n++] = '\n';
                break;
            case 't':
                out[n++] = '\t';
                break;
            default:
                errf(l->ec, l->line, lx_col(l) - 2,
                     "unknown escape '\\%c' in string (allowed: \\\" \\\\ \\n \\t)",
                     isprint(e) ? e : '?');
                free(out);
                return -1;
            }
            continue;
        }
        if (c < 0x20 && c != '\t') {
            errf(l->ec, l->line, lx_col(l) - 1, "control character in string");
            free(out);
            return -1;
        }
        out[n++] = (char)c;
    }
    out[n] = '\0';
    v->t = V_STR;
    v->s = out;
    return 0;
}

static int parse_number(lexer *l, val *v)
{
    char buf[32];
    size_t n = 0;
    bool digit_last = false, any = false;
    if (lx_peek(l) == '-' || lx_peek(l) == '+') buf[n++] = (char)l->s[l->pos++];
    while (l->pos < l->len && n < sizeof buf - 1) {
        char c = l->s[l->pos];
        if (c >= '0' && c <= '9') {
            buf[n++] = c;
            digit_last = any = true;
        } else if (c == '_' && digit_last) {
            digit_last = false;
        } else {
            break;
        }
        l->pos++;
    }
    buf[n] = '\0';
    if (!any || !digit_last || (l->pos < l->len && is_bare((unsigned char)l->s[l->pos]))) {
        errf(l->ec, v->line, v->col,
             "bad value: expected a string in double quotes, an integer, true, false or an array");
        return -1;
    }
    errno = 0;
    long long x = strtoll(buf, NULL, 10);
    if (errno == ERANGE) {
        errf(l->ec, v->line, v->col, "integer '%s' is out of range", buf);
        return -1;
    }
    v->t = V_INT;
    v->i = x;
    return 0;
}

static int parse_array(lexer *l, val *v, int depth)
{
    l->pos++;
    v->t = V_ARRAY;
    size_t cap = 0;
    for (;;) {
        lx_ws_nl(l);
        if (lx_peek(l) == ']') {
            l->pos++;
            return 0;
        }
        if (lx_peek(l) == -1) {
            errf(l->ec, v->line, v->col, "unterminated array (missing ']')");
            return -1;
        }
        if (v->n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            val *ni = realloc(v->items, nc * sizeof *ni);
            if (!ni) return -1;
            v->items = ni;
            cap = nc;
        }
        val *it = &v->items[v->n];
        memset(it, 0, sizeof *it);
        if (parse_value(l, it, depth + 1) < 0) {
            val_free(it);
            return -1;
        }
        v->n++;
        if (it->t == V_ARRAY) {
            errf(l->ec, it->line, it->col, "nested arrays are not allowed");
            return -1;
        }
        if (v->n > 1 && it->t != v->items[0].t) {
            errf(l->ec, it->line, it->col,
                 "array items must all be of one type: this is %s, the "
                 "first is %s",
                 vtype_name(it->t), vtype_name(v->items[0].t));
            return -1;
        }
        lx_ws_nl(l);
        int c = lx_peek(l);
        if (c == ',') {
            l->pos++;
            continue;
        }
        if (c == ']') {
            l->pos++;
            return 0;
        }
        if (c == -1) {
            errf(l->ec, v->line, v->col, "unterminated array (missing ']')");
            return -1;
        }
        errf(l->ec, l->line, lx_col(l), "expected ',' or ']' in array");
        return -1;
    }
}

static int parse_value(lexer *l, val *v, int depth)
{
    v->line = l->line;
    v->col = lx_col(l);
    int c = lx_peek(l);
    if (depth > 1 || (depth > 0 && c == '[')) {
        errf(l->ec, v->line, v->col, "nested arrays are not allowed");
        return -1;
    }
    if (c == '"') return parse_string(l, v);
    if (c == '[') return parse_array(l, v, depth);
    if (c == 't' || c == 'f') {
        char w[16];
        lx_bare(l, w, sizeof w);
        if (!strcmp(w, "true") || !strcmp(w, "false")) {
            v->t = V_BOOL;
            v->b = w[0] == 't';
            return 0;
        }
        errf(l->ec, v->line, v->col,
             "bad value '%s': strings need double quotes; booleans are true or false", w);
        return -1;
    }
    if (c == '-' || c == '+' || (c >= '0' && c <= '9')) return parse_number(l, v);
    if (c == -1 || c == '\n' || c == '#' || c == '\r') {
        errf(l->ec, v->line, v->col, "missing value after '='");
        return -1;
    }
    if (isalpha(c)) {
        char w[64];
        lx_bare(l, w, sizeof w);
        errf(l->ec, v->line, v->col, "bad value '%s': strings need double quotes (\"%s\")", w, w);
        return -1;
    }
    errf(l->ec, v->line, v->col,
         "bad value: expected a string in double quotes, an integer, true, false or an array");
    return -1;
}

/* ---- setting options ------------------------------------------------------------- */

typedef struct {
    errctx *ec;
    const char *section;
} setctx;

static bool digits_only(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (n < min || n > max) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

/* Parses "N/Ts", "N/s", "N/m", "N/h", "off"; returns 0 or -1. */
static int rate_parse(const char *s, rate_spec *r)
{
    if (!strcmp(s, "off")) {
        r->limit = 0;
        r->period = 1;
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long n = strtoul(s, &end, 10);
    if (end == s || *end != '/' || n == 0 || n > 1000000 || errno) return -1;
    s = end + 1;
    unsigned long t = 1;
    if (*s >= '0' && *s <= '9') {
        t = strtoul(s, &end, 10);
        if (t == 0 || t > 86400 * 7) return -1;
        s = end;
    }
    unsigned long mult;
    if (!strcmp(s, "s"))
        mult = 1;
    else if (!strcmp(s, "m"))
        mult = 60;
    else if (!strcmp(s, "h"))
        mult = 3600;
    else
        return -1;
    r->limit = (uint32_t)n;
    r->period = (uint32_t)(t * mult);
    return 0;
}

static int op_parse(const char *s)
{
    if (digits_only(s, 1, 3)) {
        int x = atoi(s);
        return x <= 127 ? x : -1;
    }
    const ssgw_map_op *op = ssgw_map_op_by_name(s);
    return op ? op->opcode : -1;
}

static const char *const tcap_names[] = {"unidirectional", "begin", "end", "continue", "abort"};
static const int tcap_values[] = {SSGW_TCAP_UNIDIRECTIONAL, SSGW_TCAP_BEGIN, SSGW_TCAP_END,
                                  SSGW_TCAP_CONTINUE, SSGW_TCAP_ABORT};

static void op_suggest(const char *s, char *buf, size_t cap)
{
    suggest sg = {NULL, 0};
    for (size_t i = 0; i < ssgw_map_op_count(); i++)
        suggest_try(&sg, s, ssgw_map_op_at(i)->name);
    dym(&sg, buf, cap);
    if (!sg.best) buf[0] = '\0';
}

/* Validates one scalar (list item or single value) against the option type. */
static int check_item(setctx *sc, const ssgw_config_option *o, const val *v)
{
    char vb[96], db[96];
    errctx *ec = sc->ec;
    const char *sec = sc->section, *key = o->key;
    vtype want;
    switch (o->type) {
    case SSGW_OPT_INT:
    case SSGW_OPT_PC_LIST:
    case SSGW_OPT_SSN_LIST:
        want = V_INT;
        break;
    case SSGW_OPT_BOOL:
        want = V_BOOL;
        break;
    default:
        want = V_STR;
        break;
    }
    if (v->t != want) {
        errf(ec, v->line, v->col, "[%s] %s: %s: expected %s%s", sec, key,
             val_text(v, vb, sizeof vb), vtype_name(want),
             o->type >= SSGW_OPT_DIGITS_LIST && o->type <= SSGW_OPT_NAME_LIST ? " in the array"
                                                                              : "");
        return -1;
    }
    switch (o->type) {
    case SSGW_OPT_STRING:
        if ((long long)strlen(v->s) < o->min || (long long)strlen(v->s) > o->max) {
            errf(ec, v->line, v->col, "[%s] %s: %s: length must be %lld to %lld characters", sec,
                 key, val_text(v, vb, sizeof vb), o->min, o->max);
            return -1;
        }
        return 0;
    case SSGW_OPT_INT:
        if (v->i < o->min || v->i > o->max) {
            errf(ec, v->line, v->col, "[%s] %s: %lld: must be between %lld and %lld", sec, key,
                 v->i, o->min, o->max);
            return -1;
        }
        return 0;
    case SSGW_OPT_BOOL:
        return 0;
    case SSGW_OPT_ENUM: {
        char allowed[128];
        snprintf(allowed, sizeof allowed, "%s", o->allowed);
        for (char *save = NULL, *t = strtok_r(allowed, "|", &save); t;
             t = strtok_r(NULL, "|", &save))
            if (!strcmp(t, v->s)) return 0;
        errf(ec, v->line, v->col, "[%s] %s: %s: allowed values are %s", sec, key,
             val_text(v, vb, sizeof vb), o->allowed);
        return -1;
    }
    case SSGW_OPT_COUNTRY:
        if (strlen(v->s) != 2 || !isupper((unsigned char)v->s[0]) ||
            !isupper((unsigned char)v->s[1])) {
            errf(ec, v->line, v->col,
                 "[%s] %s: %s: expected an ISO 3166-1 alpha-2 code in capitals, e.g. \"GB\"", sec,
                 key, val_text(v, vb, sizeof vb));
            return -1;
        }
        return 0;
    case SSGW_OPT_DIGITS_LIST:
        if (!digits_only(v->s, 1, 15)) {
            errf(ec, v->line, v->col, "[%s] %s: %s: expected 1 to 15 decimal digits (E.164)", sec,
                 key, val_text(v, vb, sizeof vb));
            return -1;
        }
        return 0;
    case SSGW_OPT_MCCMNC_LIST:
        if (!digits_only(v->s, 5, 6)) {
            errf(ec, v->line, v->col, "[%s] %s: %s: an MCC-MNC is 5 or 6 digits, e.g. \"23491\"",
                 sec, key, val_text(v, vb, sizeof vb));
            return -1;
        }
        return 0;
    case SSGW_OPT_PC_LIST:
        if (v->i < 0 || v->i > 16383) {
            errf(ec, v->line, v->col, "[%s] %s: %lld: a point code is 0 to 16383 (14-bit ITU)", sec,
                 key, v->i);
            return -1;
        }
        return 0;
    case SSGW_OPT_SSN_LIST:
        if (v->i < 0 || v->i > 255) {
            errf(ec, v->line, v->col, "[%s] %s: %lld: a subsystem number is 0 to 255", sec, key,
                 v->i);
            return -1;
        }
        return 0;
    case SSGW_OPT_OP_LIST:
        if (op_parse(v->s) < 0) {
            op_suggest(v->s, db, sizeof db);
            errf(ec, v->line, v->col,
                 "[%s] %s: %s: not a MAP operation name (as in TS 29.002, e.g. "
                 "\"anyTimeInterrogation\") or opcode 0-127%s",
                 sec, key, val_text(v, vb, sizeof vb), db);
            return -1;
        }
        return 0;
    case SSGW_OPT_CAT_LIST:
        if (ssgw_category_parse(v->s) < 0) {
            errf(ec, v->line, v->col,
                 "[%s] %s: %s: allowed values are cat1, cat2, cat3, sms, other, none", sec, key,
                 val_text(v, vb, sizeof vb));
            return -1;
        }
        return 0;
    case SSGW_OPT_TCAP_LIST:
        for (size_t i = 0; i < 5; i++)
            if (!strcmp(v->s, tcap_names[i])) return 0;
        errf(ec, v->line, v->col,
             "[%s] %s: %s: allowed values are begin, continue, end, abort, unidirectional", sec,
             key, val_text(v, vb, sizeof vb));
        return -1;
    case SSGW_OPT_NAME_LIST:
        if (!v->s[0]) {
            errf(ec, v->line, v->col, "[%s] %s: \"\": a partner name, \"home\" or \"none\"", sec,
                 key);
            return -1;
        }
        return 0; /* resolved against the partners after the whole file is read */
    case SSGW_OPT_ACTION:
        if (ssgw_action_parse(v->s) < 0) {
            errf(ec, v->line, v->col,
                 "[%s] %s: %s: allowed values are allow, drop, answer, alert, rate-limit", sec, key,
                 val_text(v, vb, sizeof vb));
            return -1;
        }
        return 0;
    case SSGW_OPT_ANSWER: {
        ssgw_answer a;
        if (ssgw_answer_parse(v->s, &a) < 0) {
            errf(ec, v->line, v->col,
                 "[%s] %s: %s: allowed values are \"tcap-abort\", \"map-error:<error name or "
                 "0-127>\" (e.g. \"map-error:unexpectedDataValue\"), \"sccp-udts\" or "
                 "\"sccp-udts:<cause 0-255>\"",
                 sec, key, val_text(v, vb, sizeof vb));
            return -1;
        }
        return 0;
    }
    case SSGW_OPT_RATE: {
        rate_spec r;
        if (rate_parse(v->s, &r) < 0) {
            errf(ec, v->line, v->col,
                 "[%s] %s: %s: expected \"<count>/<period>\" such as \"100/1s\", \"5/60s\", "
                 "\"10/m\", \"20/h\" (count 1-1000000), or \"off\"",
                 sec, key, val_text(v, vb, sizeof vb));
            return -1;
        }
        return 0;
    }
    case SSGW_OPT_CHECK_NAME:
        if (ssgw_check_find(v->s) < 0 || !strcmp(v->s, "default")) {
            suggest sg = {NULL, 0};
            for (size_t i = 0; i < ssgw_check_count(); i++)
                suggest_try(&sg, v->s, ssgw_check_at(i)->name);
            errf(ec, v->line, v->col, "[%s] %s: %s: not a check name (docs/checks.md lists them)%s",
                 sec, key, val_text(v, vb, sizeof vb), dym(&sg, db, sizeof db));
            return -1;
        }
        return 0;
    default:
        return -1;
    }
}

static bool is_list(ssgw_opt_type t)
{
    return t >= SSGW_OPT_DIGITS_LIST && t <= SSGW_OPT_NAME_LIST;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Sets option o in the struct at base from v (already parsed). Returns 0 or -1. */
static int set_option(setctx *sc, const ssgw_config_option *o, void *base, const val *v)
{
    char *field = (char *)base + o->offset;
    if (is_list(o->type)) {
        if (v->t != V_ARRAY) {
            char vb[96];
            errf(sc->ec, v->line, v->col, "[%s] %s: %s: expected an array, e.g. [%s]", sc->section,
                 o->key, val_text(v, vb, sizeof vb),
                 o->type == SSGW_OPT_PC_LIST || o->type == SSGW_OPT_SSN_LIST ? "1, 2"
                                                                             : "\"a\", \"b\"");
            return -1;
        }
        if ((long long)v->n < o->min || (long long)v->n > o->max) {
            errf(sc->ec, v->line, v->col, "[%s] %s: %zu items: must have %lld to %lld", sc->section,
                 o->key, v->n, o->min, o->max);
            return -1;
        }
        int bad = 0;
        for (size_t i = 0; i < v->n; i++)
            if (check_item(sc, o, &v->items[i]) < 0) bad = -1;
        if (bad) return -1;
        if (o->type == SSGW_OPT_PC_LIST || o->type == SSGW_OPT_SSN_LIST) {
            intlist *l = (intlist *)(void *)field;
            free(l->v);
            l->v = calloc(v->n ? v->n : 1, sizeof *l->v);
            if (!l->v) return -1;
            for (size_t i = 0; i < v->n; i++)
                l->v[i] = v->items[i].i;
            l->n = v->n;
        } else {
            strlist *l = (strlist *)(void *)field;
            strlist_free(l);
            l->v = calloc(v->n ? v->n : 1, sizeof *l->v);
            if (!l->v) return -1;
            for (size_t i = 0; i < v->n; i++) {
                l->v[i] = xstrdup(v->items[i].s);
                if (!l->v[i]) return -1;
                l->n = i + 1;
            }
        }
        return 0;
    }
    if (v->t == V_ARRAY) {
        errf(sc->ec, v->line, v->col, "[%s] %s: expected %s, not an array", sc->section, o->key,
             o->type == SSGW_OPT_INT    ? "an integer"
             : o->type == SSGW_OPT_BOOL ? "a boolean"
                                        : "a string");
        return -1;
    }
    if (check_item(sc, o, v) < 0) return -1;
    switch (o->type) {
    case SSGW_OPT_INT:
        *(long long *)(void *)field = v->i;
        break;
    case SSGW_OPT_BOOL:
        *(bool *)(void *)field = v->b;
        break;
    case SSGW_OPT_COUNTRY:
        memcpy(field, v->s, 3);
        break;
    default: {
        char **p = (char **)(void *)field;
        free(*p);
        *p = xstrdup(v->s);
        if (!*p) return -1;
    }
    }
    return 0;
}

/* Parses a default (configuration syntax) and sets it. */
static void set_default(const ssgw_config_option *o, void *base)
{
    if (!o->def) return;
    errctx ec = {"(default)", NULL, 0};
    lexer l = {o->def, strlen(o->def), 0, 0, 1, &ec};
    val v;
    memset(&v, 0, sizeof v);
    setctx sc = {&ec, o->section};
    if (parse_value(&l, &v, 0) == 0) set_option(&sc, o, base, &v);
    val_free(&v);
}

static void apply_defaults(const char *section, void *base)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (!strcmp(options[i].section, section)) set_default(&options[i], base);
}

/* ---- freeing -------------------------------------------------------------------- */

static void party_free(party *p)
{
    free(p->name);
    strlist_free(&p->mccmnc);
    strlist_free(&p->gt);
    strlist_free(&p->msisdn);
    free(p->pc.v);
    strlist_free(&p->hlr);
    strlist_free(&p->vlr);
    strlist_free(&p->msc);
    strlist_free(&p->smsc);
    strlist_free(&p->gsmscf);
    strlist_free(&p->sgsn);
    strlist_free(&p->allow);
    free(p->trust_s);
}

static void rule_free(rule *r)
{
    free(r->name);
    free(r->decider);
    free(r->direction);
    strlist_free(&r->operation);
    strlist_free(&r->category);
    strlist_free(&r->calling_gt);
    strlist_free(&r->called_gt);
    strlist_free(&r->imsi);
    strlist_free(&r->tcap);
    strlist_free(&r->partner);
    free(r->calling_ssn.v);
    free(r->called_ssn.v);
    free(r->action_s);
    free(r->answer_s);
    free(r->rate_s);
    free(r->owners);
}

void ssgw_policy_free(ssgw_policy *p)
{
    if (!p) return;
    free(p->file);
    free(p->mode);
    free(p->malformed_s);
    free(p->malformed_answer_s);
    free(p->rate_calling_gt_s);
    free(p->rate_imsi_s);
    free(p->rate_operation_s);
    free(p->rate_sri_sm_s);
    party_free(&p->home);
    for (size_t i = 0; i < p->n_partners; i++)
        party_free(&p->partners[i]);
    free(p->partners);
    for (size_t i = 0; i < p->n_rules; i++)
        rule_free(&p->rules[i]);
    free(p->rules);
    for (size_t i = 0; i < p->n_overrides; i++) {
        free(p->overrides[i].name);
        free(p->overrides[i].action_s);
        free(p->overrides[i].answer_s);
    }
    free(p->overrides);
    free(p->checks);
    free(p->tr_key);
    free(p->tr_ka_key);
    free(p->tr_root);
    free(p->tr_bundle);
    free(p->tr_bundle_url);
    free(p->tr_seq_file);
    free(p->tr_mode_s);
    free(p->tr_sign_s);
    free(p->tr_inbound_s);
    for (size_t i = 0; i < SSGW_TRUST_OUTCOME_COUNT; i++)
        free(p->tr_on_s[i]);
    trie_free(&p->gt);
    trie_free(&p->imsi);
    free(p);
}

/* ---- tries ---------------------------------------------------------------------- */

static int trie_new_node(trie *t)
{
    if (t->len == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        trie_node *n = realloc(t->n, nc * sizeof *n);
        if (!n) return -1;
        t->n = n;
        t->cap = nc;
    }
    trie_node *nd = &t->n[t->len];
    for (int i = 0; i < 10; i++)
        nd->child[i] = -1;
    nd->val = 0;
    nd->roles = 0;
    nd->end = 0;
    return (int)t->len++;
}

int trie_init(trie *t)
{
    t->n = NULL;
    t->len = t->cap = 0;
    return trie_new_node(t) < 0 ? -1 : 0;
}

void trie_free(trie *t)
{
    free(t->n);
    t->n = NULL;
    t->len = t->cap = 0;
}

int trie_insert(trie *t, const char *d)
{
    int32_t i = 0;
    if (!t->n && trie_init(t) < 0) return -1;
    for (; *d; d++) {
        unsigned c = (unsigned)(*d - '0');
        if (c > 9) return -1;
        if (t->n[i].child[c] < 0) {
            int k = trie_new_node(t);
            if (k < 0) return -1;
            t->n[i].child[c] = k;
        }
        i = t->n[i].child[c];
    }
    return i;
}

/* ---- compilation ---------------------------------------------------------------- */

static const char *owner_name(const ssgw_policy *p, uint16_t owner)
{
    const party *pa = policy_party(p, owner);
    if (owner == OWNER_HOME) return "the home network";
    return pa && pa->name ? pa->name : "?";
}

static int add_prefixes(ssgw_policy *p, errctx *ec, const party *pa, uint16_t owner)
{
    for (size_t i = 0; i < pa->gt.n; i++) {
        int k = trie_insert(&p->gt, pa->gt.v[i]);
        if (k < 0) return -1;
        trie_node *nd = &p->gt.n[k];
        if (nd->end && nd->val != owner) {
            errf(ec, pa->line, 1,
                 "GT prefix \"%s\" of %s is also a prefix of %s: each prefix may "
                 "belong to one network",
                 pa->gt.v[i], owner_name(p, owner), owner_name(p, nd->val));
            continue;
        }
        nd->end = 1;
        nd->val = owner;
    }
    for (size_t i = 0; i < pa->mccmnc.n; i++) {
        int k = trie_insert(&p->imsi, pa->mccmnc.v[i]);
        if (k < 0) return -1;
        trie_node *nd = &p->imsi.n[k];
        if (nd->end && nd->val != owner) {
            errf(ec, pa->line, 1, "MCC-MNC \"%s\" of %s is also claimed by %s", pa->mccmnc.v[i],
                 owner_name(p, owner), owner_name(p, nd->val));
            continue;
        }
        nd->end = 1;
        nd->val = owner;
    }
    const strlist *nodes[] = {&pa->hlr, &pa->vlr, &pa->msc, &pa->smsc, &pa->gsmscf, &pa->sgsn};
    const uint8_t roles[] = {ROLE_HLR, ROLE_VLR, ROLE_MSC, ROLE_SMSC, ROLE_GSMSCF, ROLE_SGSN};
    for (size_t r = 0; r < 6; r++)
        for (size_t i = 0; i < nodes[r]->n; i++) {
            const char *gt = nodes[r]->v[i];
            uint16_t cur;
            uint8_t dummy;
            trie_lookup(&p->gt, gt, &cur, &dummy);
            if (cur != owner) {
                errf(ec, pa->line, 1,
                     "node GT \"%s\" of %s is not inside its gt_prefixes (it falls in %s)", gt,
                     owner_name(p, owner), cur ? owner_name(p, cur) : "no network");
                continue;
            }
            int k = trie_insert(&p->gt, gt);
            if (k < 0) return -1;
            p->gt.n[k].roles |= roles[r];
        }
    return 0;
}

/* Makes a relative path relative to the directory of the configuration file. */
static int resolve_path(const ssgw_policy *p, char **path)
{
    if (!*path || (*path)[0] == '/' || !p->file) return 0;
    const char *slash = strrchr(p->file, '/');
    if (!slash) return 0;
    size_t dl = (size_t)(slash - p->file) + 1, pl = strlen(*path);
    char *r = malloc(dl + pl + 1);
    if (!r) return -1;
    memcpy(r, p->file, dl);
    memcpy(r + dl, *path, pl + 1);
    free(*path);
    *path = r;
    return 0;
}

static int compile_trust(ssgw_policy *p, errctx *ec, int line)
{
    ssgw_policy_trust *t = &p->trust;
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < p->n_partners; i++)
        p->partners[i].trust_mode =
            p->partners[i].trust_s ? ssgw_trust_mode_parse(p->partners[i].trust_s) : -1;
    if (!p->has_trust) return 0;
    char **paths[] = {&p->tr_key, &p->tr_ka_key, &p->tr_root, &p->tr_bundle, &p->tr_seq_file};
    for (size_t i = 0; i < 5; i++)
        if (resolve_path(p, paths[i]) < 0) return -1;
    if ((!p->tr_seq_file || !p->tr_seq_file[0]) && p->tr_bundle) {
        free(p->tr_seq_file);
        size_t n = strlen(p->tr_bundle) + 5;
        if (!(p->tr_seq_file = malloc(n))) return -1;
        snprintf(p->tr_seq_file, n, "%s.seq", p->tr_bundle);
    }
    t->present = true;
    t->key = p->tr_key;
    t->ka_key = p->tr_ka_key;
    t->root = p->tr_root;
    t->bundle = p->tr_bundle;
    t->bundle_url = p->tr_bundle_url && p->tr_bundle_url[0] ? p->tr_bundle_url : NULL;
    t->bundle_poll_s = p->tr_poll;
    t->mode = !strcmp(p->tr_mode_s, "hmac") ? SSGW_TOKEN_MODE_HMAC
                                            : (ssgw_token_mode)ssgw_token_mode_parse(p->tr_mode_s);
    t->sign = !strcmp(p->tr_sign_s, "all")    ? SSGW_TRUST_SIGN_ALL
              : !strcmp(p->tr_sign_s, "none") ? SSGW_TRUST_SIGN_NONE
                                              : SSGW_TRUST_SIGN_MEMBERS;
    ssgw_trust_config_default(&t->cfg);
    t->cfg.window_s = p->tr_window;
    t->max_rate = (uint64_t)p->tr_max_rate;
    t->sequence_file = p->tr_seq_file;
    size_t needed = ssgw_trust_replay_capacity_for(t->max_rate, t->cfg.window_s);
    t->cfg.replay_entries = p->tr_replay ? (size_t)p->tr_replay : needed;
    if (p->tr_replay && (size_t)p->tr_replay < needed)
        errf(ec, line, 1,
             "[trust] replay_entries %lld cannot hold max_rate %lld tokens/s over 2 x window + 1 = "
             "%lld s (needs %zu): raise it, lower max_rate, or leave replay_entries unset",
             p->tr_replay, p->tr_max_rate, 2 * p->tr_window + 1, needed);
    ssgw_trust_policy_default(&t->policy);
    t->policy.mode = (ssgw_trust_mode)ssgw_trust_mode_parse(p->tr_inbound_s);
    for (int o = 1; o < SSGW_TRUST_OUTCOME_COUNT; o++)
        if (p->tr_on_s[o])
            t->policy.action[o] = (ssgw_trust_action)ssgw_trust_action_parse(p->tr_on_s[o]);
    if (!t->root)
        errf(ec, line, 1, "[trust] is missing the required key 'root' (the TSCA root certificate)");
    if (!t->bundle)
        errf(ec, line, 1, "[trust] is missing the required key 'bundle' (the trust bundle file)");
    if (!t->key && t->sign != SSGW_TRUST_SIGN_NONE)
        errf(ec, line, 1,
             "[trust] is missing the key 'key' (our signing key): required unless sign = "
             "\"none\"");
    if (t->mode == SSGW_TOKEN_MODE_HMAC && !t->ka_key && t->sign != SSGW_TRUST_SIGN_NONE)
        errf(ec, line, 1,
             "[trust] mode = \"hmac\" needs 'ka_key' (our key-agreement key: the pairwise keys "
             "are derived from it)");
    if (t->bundle_url && strncmp(t->bundle_url, "http://", 7))
        errf(ec, line, 1, "[trust] bundle_url: \"%s\": expected an http:// URL", t->bundle_url);
    return 0;
}

static int compile(ssgw_policy *p, errctx *ec)
{
    if (trie_init(&p->gt) < 0 || trie_init(&p->imsi) < 0) return -1;
    p->monitor = p->mode && !strcmp(p->mode, "monitor");
    p->malformed = (ssgw_action)ssgw_action_parse(p->malformed_s);
    ssgw_answer_parse(p->malformed_answer_s, &p->malformed_answer);
    rate_parse(p->rate_calling_gt_s, &p->rate_calling_gt);
    rate_parse(p->rate_imsi_s, &p->rate_imsi);
    rate_parse(p->rate_operation_s, &p->rate_operation);
    rate_parse(p->rate_sri_sm_s, &p->rate_sri_sm);

    if (add_prefixes(p, ec, &p->home, OWNER_HOME) < 0) return -1;
    for (size_t i = 0; i < p->n_partners; i++) {
        party *pa = &p->partners[i];
        for (size_t j = 0; j < i; j++)
            if (pa->name && p->partners[j].name && !strcmp(pa->name, p->partners[j].name))
                errf(ec, pa->line, 1, "[[partner]] name \"%s\" is already used at line %d",
                     pa->name, p->partners[j].line);
        if (pa->name && (!strcmp(pa->name, "home") || !strcmp(pa->name, "none")))
            errf(ec, pa->line, 1, "[[partner]] name \"%s\" is reserved (home, none)", pa->name);
        if (add_prefixes(p, ec, pa, OWNER_PARTNER(i)) < 0) return -1;
        for (size_t k = 0; k < pa->allow.n; k++)
            opset_add(&pa->allowed, op_parse(pa->allow.v[k]));
    }
    for (size_t i = 0; i < p->n_rules; i++) {
        rule *r = &p->rules[i];
        for (size_t j = 0; j < i; j++)
            if (r->name && p->rules[j].name && !strcmp(r->name, p->rules[j].name))
                errf(ec, r->line, 1, "[[rule]] name \"%s\" is already used at line %d", r->name,
                     p->rules[j].line);
        size_t nl = r->name ? strlen(r->name) + 6 : 6;
        r->decider = malloc(nl);
        if (!r->decider) return -1;
        snprintf(r->decider, nl, "rule.%s", r->name ? r->name : "");
        r->dir = !strcmp(r->direction, "inbound")    ? SSGW_DIR_INBOUND
                 : !strcmp(r->direction, "outbound") ? SSGW_DIR_OUTBOUND
                                                     : SSGW_DIR_UNKNOWN;
        r->has_ops = r->operation.n > 0;
        for (size_t k = 0; k < r->operation.n; k++)
            opset_add(&r->ops, op_parse(r->operation.v[k]));
        for (size_t k = 0; k < r->category.n; k++)
            r->cat_mask |= 1u << ssgw_category_parse(r->category.v[k]);
        for (size_t k = 0; k < r->tcap.n; k++)
            for (size_t m = 0; m < 5; m++)
                if (!strcmp(r->tcap.v[k], tcap_names[m])) r->tcap_mask |= 1u << tcap_values[m];
        r->owners = calloc(r->partner.n ? r->partner.n : 1, sizeof *r->owners);
        if (!r->owners) return -1;
        for (size_t k = 0; k < r->partner.n; k++) {
            const char *nm = r->partner.v[k];
            uint16_t ow = 0xffff;
            if (!strcmp(nm, "none"))
                ow = OWNER_NONE;
            else if (!strcmp(nm, "home"))
                ow = OWNER_HOME;
            suggest sg = {NULL, 0};
            for (size_t m = 0; m < p->n_partners && ow == 0xffff; m++) {
                if (p->partners[m].name && !strcmp(p->partners[m].name, nm))
                    ow = OWNER_PARTNER(m);
                else if (p->partners[m].name)
                    suggest_try(&sg, nm, p->partners[m].name);
            }
            if (ow == 0xffff) {
                char db[96];
                errf(ec, r->line, 1,
                     "[rule] partner: \"%s\": no [[partner]] has that name (allowed: the partner "
                     "names, \"home\", \"none\")%s",
                     nm, dym(&sg, db, sizeof db));
                continue;
            }
            r->owners[r->n_owners++] = ow;
        }
        if (r->action_s) {
            r->action = (ssgw_action)ssgw_action_parse(r->action_s);
            ssgw_answer_parse(r->answer_s, &r->answer);
            rate_parse(r->rate_s, &r->rate);
            if (r->action == SSGW_ACT_RATE_LIMIT && r->rate.limit == 0)
                errf(ec, r->line, 1,
                     "[[rule]] \"%s\": action \"rate-limit\" needs rate = \"<count>/<period>\"",
                     r->name ? r->name : "");
        }
    }
    size_t nc = ssgw_check_count();
    p->checks = calloc(nc, sizeof *p->checks);
    if (!p->checks) return -1;
    for (size_t i = 0; i < nc; i++) {
        const ssgw_check_info *ci = ssgw_check_at(i);
        p->checks[i].enabled = true;
        p->checks[i].action = ci->default_action;
        if (ci->default_answer) ssgw_answer_parse(ci->default_answer, &p->checks[i].answer);
    }
    for (size_t i = 0; i < p->n_overrides; i++) {
        check_override *o = &p->overrides[i];
        if (!o->name) continue;
        int k = ssgw_check_find(o->name);
        if (k < 0) continue;
        for (size_t j = 0; j < i; j++)
            if (p->overrides[j].name && !strcmp(p->overrides[j].name, o->name))
                errf(ec, o->line, 1, "[[check]] \"%s\" is already configured at line %d", o->name,
                     p->overrides[j].line);
        p->checks[k].enabled = o->enabled;
        if (o->action_s) p->checks[k].action = (ssgw_action)ssgw_action_parse(o->action_s);
        if (o->answer_s) ssgw_answer_parse(o->answer_s, &p->checks[k].answer);
        if (p->checks[k].action == SSGW_ACT_ANSWER && p->checks[k].answer.kind == SSGW_ANSWER_NONE)
            ssgw_answer_parse("tcap-abort", &p->checks[k].answer);
    }
    return compile_trust(p, ec, p->trust_line);
}

/* ---- the parser driver ------------------------------------------------------------ */

#define MAX_TABLE_KEYS 64

typedef struct {
    int sec;                      /* current section, -1 none */
    void *base;                   /* struct the keys go to */
    int set_line[MAX_TABLE_KEYS]; /* line where each option of the section was set */
    int header_line;
    int seen_single[SEC_COUNT]; /* line of [section] for single sections */
} pstate;

static void *grow(void **arr, size_t *n, size_t size)
{
    void *na = realloc(*arr, (*n + 1) * size);
    if (!na) return NULL;
    *arr = na;
    char *e = (char *)na + *n * size;
    memset(e, 0, size);
    (*n)++;
    return e;
}

/* Index of option within its section, for duplicate detection. */
static int option_slot(const ssgw_config_option *o)
{
    int k = 0;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        if (&options[i] == o) return k;
        if (!strcmp(options[i].section, o->section)) k++;
    }
    return 0;
}

static int open_section(ssgw_policy *p, lexer *l, pstate *ps, const char *name, bool array, int col)
{
    int sec = -1;
    suggest sg = {NULL, 0};
    for (int i = 0; i < SEC_COUNT; i++) {
        if (!strcmp(sections[i].name, name)) {
            sec = i;
            break;
        }
        suggest_try(&sg, name, sections[i].name);
    }
    char db[96];
    ps->sec = -1;
    ps->base = NULL;
    if (sec < 0) {
        errf(l->ec, l->line, col,
             "unknown section [%s%s%s]: allowed are [policy], [state], [velocity], [rate], "
             "[home], [[partner]], [[rule]], [[check]], [trust]%s",
             array ? "[" : "", name, array ? "]" : "", dym(&sg, db, sizeof db));
        return -1;
    }
    if (sections[sec].array != array) {
        errf(l->ec, l->line, col, "%s is %s: write %s%s%s", name,
             sections[sec].array ? "a list of tables" : "a single table",
             sections[sec].array ? "[[" : "[", name, sections[sec].array ? "]]" : "]");
        return -1;
    }
    memset(ps->set_line, 0, sizeof ps->set_line);
    ps->header_line = l->line;
    ps->sec = sec;
    if (!array) {
        if (ps->seen_single[sec]) {
            errf(l->ec, l->line, col, "duplicate section [%s] (first at line %d)", name,
                 ps->seen_single[sec]);
            ps->sec = -1;
            return -1;
        }
        ps->seen_single[sec] = l->line;
        ps->base = sec == SEC_HOME ? (void *)&p->home : (void *)p;
        if (sec == SEC_HOME) p->home.line = l->line;
        if (sec == SEC_TRUST) {
            p->has_trust = true;
            p->trust_line = l->line;
        }
        return 0;
    }
    if (sec == SEC_PARTNER) {
        party *pa = grow((void **)&p->partners, &p->n_partners, sizeof *pa);
        if (!pa) return -1;
        pa->line = l->line;
        apply_defaults("partner", pa);
        ps->base = pa;
    } else if (sec == SEC_RULE) {
        rule *r = grow((void **)&p->rules, &p->n_rules, sizeof *r);
        if (!r) return -1;
        r->line = l->line;
        apply_defaults("rule", r);
        ps->base = r;
    } else {
        check_override *c = grow((void **)&p->overrides, &p->n_overrides, sizeof *c);
        if (!c) return -1;
        c->line = l->line;
        apply_defaults("check", c);
        ps->base = c;
    }
    return 0;
}

/* Checks the keys a table must have once it is complete. */
static void close_section(ssgw_policy *p, errctx *ec, pstate *ps)
{
    (void)p;
    if (ps->sec < 0) return;
    const char *sname = sections[ps->sec].name;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const ssgw_config_option *o = &options[i];
        if (strcmp(o->section, sname) || o->def) continue;
        bool required = (o->type == SSGW_OPT_MCCMNC_LIST && ps->sec == SEC_HOME) ||
                        (o->type == SSGW_OPT_DIGITS_LIST && !strcmp(o->key, "gt_prefixes")) ||
                        !strcmp(o->key, "name") ||
                        (ps->sec == SEC_RULE && !strcmp(o->key, "action"));
        if (ps->sec == SEC_HOME && !strcmp(o->key, "name")) required = false;
        if (required && !ps->set_line[option_slot(o)])
            errf(ec, ps->header_line, 1, "[%s%s%s] is missing the required key '%s' (%s)",
                 sections[ps->sec].array ? "[" : "", sname, sections[ps->sec].array ? "]" : "",
                 o->key, o->help);
    }
}

static void parse_pair(lexer *l, pstate *ps)
{
    int col = lx_col(l);
    char key[64];
    size_t kn = lx_bare(l, key, sizeof key);
    if (kn == 0) {
        int c = lx_peek(l);
        errf(l->ec, l->line, col, "expected a key, a [section] header or a comment, found '%c'",
             isprint(c) ? c : '?');
        lx_skip_line(l);
        return;
    }
    if (kn >= sizeof key) {
        errf(l->ec, l->line, col, "key is too long");
        lx_skip_line(l);
        return;
    }
    lx_ws(l);
    if (lx_peek(l) != '=') {
        errf(l->ec, l->line, lx_col(l), "expected '=' after key '%s'", key);
        lx_skip_line(l);
        return;
    }
    l->pos++;
    lx_ws(l);
    val v;
    memset(&v, 0, sizeof v);
    if (parse_value(l, &v, 0) < 0) {
        val_free(&v);
        lx_skip_line(l);
        return;
    }
    lx_end_of_line(l);
    if (ps->sec < 0) {
        if (!ps->header_line)
            errf(l->ec, l->line, col,
                 "key '%s' outside any section: start with a header such as [home]", key);
        val_free(&v);
        return; /* inside an unknown section: already reported */
    }
    const char *sname = sections[ps->sec].name;
    const ssgw_config_option *o = NULL;
    suggest sg = {NULL, 0};
    for (size_t i = 0; i < N_OPTIONS; i++) {
        if (strcmp(options[i].section, sname)) continue;
        if (!strcmp(options[i].key, key)) {
            o = &options[i];
            break;
        }
        suggest_try(&sg, key, options[i].key);
    }
    if (!o) {
        char db[96];
        errf(l->ec, l->line, col, "[%s] unknown key '%s'%s", sname, key, dym(&sg, db, sizeof db));
        val_free(&v);
        return;
    }
    int slot = option_slot(o);
    if (slot < MAX_TABLE_KEYS && ps->set_line[slot]) {
        errf(l->ec, l->line, col, "[%s] key '%s' is set twice (first at line %d)", sname, key,
             ps->set_line[slot]);
        val_free(&v);
        return;
    }
    if (slot < MAX_TABLE_KEYS) ps->set_line[slot] = l->line;
    setctx sc = {l->ec, sname};
    set_option(&sc, o, ps->base, &v);
    val_free(&v);
}

ssgw_policy *ssgw_policy_load_string(const char *name, const char *text, size_t len,
                                     ssgw_config_errors *errs)
{
    if (errs) {
        errs->n = 0;
        errs->n_dropped = 0;
    }
    errctx ec = {name ? name : "(config)", errs, 0};
    ssgw_policy *p = calloc(1, sizeof *p);
    if (!p) {
        errf(&ec, 0, 0, "out of memory");
        return NULL;
    }
    p->file = xstrdup(ec.file);
    apply_defaults("policy", p);
    apply_defaults("state", p);
    apply_defaults("velocity", p);
    apply_defaults("rate", p);
    apply_defaults("home", &p->home);
    apply_defaults("trust", p);

    lexer l = {text, len, 0, 0, 1, &ec};
    pstate ps;
    memset(&ps, 0, sizeof ps);
    ps.sec = -1;
    if (memchr(text, '\0', len)) errf(&ec, 0, 0, "the file contains a NUL byte (not a text file)");
    while (l.pos < l.len) {
        lx_ws(&l);
        int c = lx_peek(&l);
        if (c == -1) break;
        if (c == '\n') {
            lx_newline(&l);
            continue;
        }
        if (c == '\r' && l.pos + 1 < l.len && l.s[l.pos + 1] == '\n') {
            l.pos++;
            continue;
        }
        if (c == '#') {
            lx_skip_line(&l);
            continue;
        }
        if (c == '[') {
            int col = lx_col(&l);
            bool array = l.pos + 1 < l.len && l.s[l.pos + 1] == '[';
            l.pos += array ? 2 : 1;
            lx_ws(&l);
            char nm[64];
            size_t nn = lx_bare(&l, nm, sizeof nm);
            lx_ws(&l);
            bool ok = nn > 0 && nn < sizeof nm && lx_peek(&l) == ']';
            if (ok) {
                l.pos++;
                if (array) {
                    ok = lx_peek(&l) == ']';
                    if (ok) l.pos++;
                }
            }
            close_section(p, &ec, &ps);
            if (!ok) {
                errf(&ec, l.line, col, "bad section header: expected %s followed by a name and %s",
                     array ? "[[" : "[", array ? "]]" : "]");
                ps.sec = -1;
                ps.header_line = l.line;
                lx_skip_line(&l);
                continue;
            }
            open_section(p, &l, &ps, nm, array, col);
            if (ps.sec < 0) ps.header_line = l.line;
            lx_end_of_line(&l);
            continue;
        }
        parse_pair(&l, &ps);
    }
    close_section(p, &ec, &ps);
    if (!ps.seen_single[SEC_HOME])
        errf(&ec, 0, 0,
             "missing section [home] (the home network: mcc_mnc and gt_prefixes are "
             "required)");
    if (ec.count == 0 && compile(p, &ec) < 0) errf(&ec, 0, 0, "out of memory");
    if (ec.count) {
        ssgw_policy_free(p);
        return NULL;
    }
    return p;
}

ssgw_policy *ssgw_policy_load_file(const char *path, ssgw_config_errors *errs)
{
    errctx ec = {path, errs, 0};
    if (errs) {
        errs->n = 0;
        errs->n_dropped = 0;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        errf(&ec, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            if (cap > (64u << 20)) {
                errf(&ec, 0, 0, "file larger than 64 MiB");
                free(buf);
                fclose(f);
                return NULL;
            }
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                errf(&ec, 0, 0, "out of memory");
                return NULL;
            }
            buf = nb;
        }
        size_t k = fread(buf + len, 1, cap - len, f);
        len += k;
        if (k == 0) break;
    }
    bool err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        errf(&ec, 0, 0, "read error");
        return NULL;
    }
    ssgw_policy *p = ssgw_policy_load_string(path, buf, len, errs);
    free(buf);
    return p;
}

bool ssgw_policy_monitor(const ssgw_policy *p)
{
    return p->monitor;
}

const ssgw_policy_trust *ssgw_policy_trust_get(const ssgw_policy *p)
{
    return &p->trust;
}

bool ssgw_policy_is_home_gt(const ssgw_policy *p, const char *gt)
{
    uint16_t owner;
    uint8_t roles;
    trie_lookup(&p->gt, gt ? gt : "", &owner, &roles);
    return owner == OWNER_HOME;
}

const char *ssgw_policy_trust_for_gt(const ssgw_policy *p, const char *calling_gt,
                                     ssgw_trust_policy *out)
{
    if (p->trust.present)
        *out = p->trust.policy;
    else
        ssgw_trust_policy_default(out);
    uint16_t owner;
    uint8_t roles;
    trie_lookup(&p->gt, calling_gt ? calling_gt : "", &owner, &roles);
    const party *pa = owner >= 2 ? policy_party(p, owner) : NULL;
    if (!pa) return NULL;
    if (pa->trust_mode >= 0) out->mode = (ssgw_trust_mode)pa->trust_mode;
    return pa->name;
}

static void print_list(FILE *out, const char *label, const strlist *l)
{
    if (!l->n) return;
    fprintf(out, "    %-12s", label);
    for (size_t i = 0; i < l->n; i++)
        fprintf(out, "%s%s", i ? ", " : "", l->v[i]);
    fputc('\n', out);
}

static void print_party(FILE *out, const party *pa)
{
    print_list(out, "mcc_mnc", &pa->mccmnc);
    print_list(out, "gt", &pa->gt);
    if (pa->pc.n) {
        fprintf(out, "    %-12s", "point codes");
        for (size_t i = 0; i < pa->pc.n; i++)
            fprintf(out, "%s%lld", i ? ", " : "", pa->pc.v[i]);
        fputc('\n', out);
    }
    print_list(out, "hlr", &pa->hlr);
    print_list(out, "vlr", &pa->vlr);
    print_list(out, "msc", &pa->msc);
    print_list(out, "smsc", &pa->smsc);
    print_list(out, "gsmscf", &pa->gsmscf);
    print_list(out, "sgsn", &pa->sgsn);
    print_list(out, "agreement", &pa->allow);
}

void ssgw_policy_print_summary(const ssgw_policy *p, FILE *out)
{
    fprintf(out, "mode: %s\n",
            p->monitor ? "monitor (verdicts reported, nothing blocked)" : "enforce");
    fprintf(out, "home: %s%s%s%s\n", p->home.name && p->home.name[0] ? p->home.name : "(unnamed)",
            p->home.country[0] ? " (" : "", p->home.country, p->home.country[0] ? ")" : "");
    print_party(out, &p->home);
    fprintf(out, "partners: %zu\n", p->n_partners);
    for (size_t i = 0; i < p->n_partners; i++) {
        fprintf(out, "  %s (%s)\n", p->partners[i].name,
                p->partners[i].country[0] ? p->partners[i].country : "--");
        print_party(out, &p->partners[i]);
    }
    fprintf(out, "rules: %zu\n", p->n_rules);
    for (size_t i = 0; i < p->n_rules; i++)
        fprintf(out, "  %-24s %s %s\n", p->rules[i].decider, ssgw_direction_name(p->rules[i].dir),
                ssgw_action_name(p->rules[i].action));
    size_t on = 0;
    for (size_t i = 0; i < ssgw_check_count(); i++)
        on += p->checks[i].enabled;
    fprintf(out, "checks: %zu of %zu enabled\n", on, ssgw_check_count());
    for (size_t i = 0; i < ssgw_check_count(); i++) {
        char ab[64] = "";
        if (p->checks[i].action == SSGW_ACT_ANSWER)
            ssgw_answer_format(&p->checks[i].answer, ab, sizeof ab);
        fprintf(out, "  %-22s %-8s %s %s\n", ssgw_check_at(i)->name,
                p->checks[i].enabled ? "on" : "off", ssgw_action_name(p->checks[i].action), ab);
    }
    fprintf(out,
            "state: %lld subscribers, %lld dialogues (timeout %lld s), %lld marks, %lld "
            "buckets\n",
            p->st_subscribers, p->st_dialogues, p->dialogue_timeout, p->st_marks, p->st_buckets);
    const ssgw_policy_trust *t = &p->trust;
    if (!t->present) {
        fprintf(out, "trust: off (no [trust] section: messages are neither signed nor verified)\n");
        return;
    }
    fprintf(out, "trust: sign %s (%s), inbound %s, window %lld s, replay cache %zu\n",
            ssgw_trust_sign_to_name(t->sign), ssgw_token_mode_name(t->mode),
            ssgw_trust_mode_name(t->policy.mode), (long long)t->cfg.window_s,
            t->cfg.replay_entries);
    fprintf(out, "  root %s\n  bundle %s%s%s\n", t->root, t->bundle, t->bundle_url ? " <- " : "",
            t->bundle_url ? t->bundle_url : "");
    for (int o = 1; o < SSGW_TRUST_OUTCOME_COUNT; o++)
        fprintf(out, "  %-22s %s\n", ssgw_trust_outcome_name(o),
                ssgw_trust_action_name(t->policy.action[o]));
    for (size_t i = 0; i < p->n_partners; i++)
        if (p->partners[i].trust_mode >= 0)
            fprintf(out, "  partner %s: %s\n", p->partners[i].name,
                    ssgw_trust_mode_name(p->partners[i].trust_mode));
}
