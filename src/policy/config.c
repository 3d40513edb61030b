/*
 * config.c - the policy configuration: the table of every option of the
 * policy file (declared once: section, key, type, bounds, default, help),
 * read by the shared option mechanism (include/ssgw/cfg.h) over the one TOML
 * reader (include/ssgw/toml.h, whose head comment has the grammar), and the
 * compilation of the parsed model into lookup structures (tries, op sets).
 *
 * The policy's own value types (digit lists, MCC-MNC lists, rates, actions,
 * answers, operation lists...) are in config_types.c. Errors name
 * FILE:LINE:COLUMN, the section and key, the bad value and what is allowed;
 * unknown sections and keys get a "did you mean" suggestion. Errors are
 * collected (up to SSGW_CONFIG_MAX_ERRORS) so one run shows them all.
 * docs/configuration.md carries the key tables generated from this one
 * (tools/config_docs; ctest docs.config_tables fails when they differ).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/config_types.h"
#include "policy/policy_int.h"

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
    SEC_LEARN,
    SEC_IMPORT,
    SEC_CLASSIFICATION,
    SEC_CLI,
    SEC_CALLS,
    SEC_SMS,
    SEC_PROTECTED,
    SEC_COUNT
};

static const ssgw_config_section sections[SEC_COUNT] = {
    {"policy", false, "mode and what to do with malformed messages"},
    {"state", false,
     "the state store: capacities and timeouts, and where it lives (this process or Redis)"},
    {"velocity", false, "travel plausibility for location updates (cat3.velocity)"},
    {"rate", false, "token-bucket rate limits (rate.*, sms.sri_sm_rate)"},
    {"home", false, "the home network: numbering and own nodes"},
    {"partner", true, "a roaming / interconnect partner and its bilateral agreement"},
    {"rule", true, "an operator rule, evaluated first, first match wins"},
    {"check", true, "settings of one built-in check: enable/disable, action, answer"},
    {"trust", false,
     "the security token (optional): our keys, the TSCA root and bundle, how we sign and what "
     "happens to each verification outcome"},
    {"learn", false,
     "learn mode (checks with mode = \"learn\"): where the proposed configuration goes, how "
     "long traffic is observed, how rates and partner prefixes are proposed (docs/checks.md "
     "\"Learn mode\")"},
    {"import", false,
     "partner data (IR.21-shaped CSV / JSON) and ported numbers read from files and merged "
     "with the [[partner]] tables (docs/partner-data.md)"},
    {"classification", false,
     "traffic no table classifies (class.*, scmg.foreign): who the checks judge"},
    {"cli", false,
     "calling-line authentication of ISUP calls (optional; needs [trust]): which IAMs we "
     "attest, and what happens to each verification outcome of the IAMs we receive"},
    {"calls", false,
     "the call checks (call.*): rates, fan-out and wangiri limits per calling number"},
    {"sms", false,
     "sender protection and spam checks on short messages delivered from the interconnect "
     "(sms.*)"},
    {"protected_sender", true,
     "a sender (a bank's name or number) only the listed SMSCs or networks may deliver "
     "(sms.protected_sender)"},
};

/* offset and size of a field of the struct a section's keys go to */
#define OFF_P(f)  SSGW_CFG_FIELD(struct ssgw_policy, f)
#define OFF_PA(f) SSGW_CFG_FIELD(party, f)
#define OFF_R(f)  SSGW_CFG_FIELD(rule, f)
#define OFF_C(f)  SSGW_CFG_FIELD(check_override, f)
#define OFF_S(f)  SSGW_CFG_FIELD(protected_sender, f)
#define REQUIRED  .flags = SSGW_CFG_REQUIRED
#define OPT(sec, k, t, lo, hi, d, a, h, ...)                                                       \
    {                                                                                              \
        .section = sec, .key = k, .type = t, .min = lo, .max = hi, .def = d, .allowed = a,         \
        .help = h, __VA_ARGS__                                                                     \
    }

#define STRING        &ssgw_cfg_string
#define INT           &ssgw_cfg_int
#define BOOL          &ssgw_cfg_bool
#define ENUM          &ssgw_cfg_enum_string
#define COUNTRY       &policy_type_country
#define COUNTRIES     &policy_type_country_list
#define DIGITS_LIST   &policy_type_digits_list
#define MCCMNC_LIST   &policy_type_mccmnc_list
#define PC_LIST       &policy_type_pc_list
#define SSN_LIST      &policy_type_ssn_list
#define OP_LIST       &policy_type_op_list
#define CAT_LIST      &policy_type_cat_list
#define TCAP_LIST     &policy_type_tcap_list
#define NAME_LIST     &policy_type_name_list
#define REALM_LIST    &policy_type_realm_list
#define ACTION        &policy_type_action
#define ANSWER        &policy_type_answer
#define RATE          &policy_type_rate
#define CHECK_NAME    &policy_type_check_name
#define HTTP_URL      &policy_type_http_url
#define DOMAINS       &policy_type_domain_list
#define PHRASES       &policy_type_phrase_list
#define SENDER        &policy_type_sender
#define REDIS_URL     &policy_type_redis_url
#define HOSTPORT_LIST &policy_type_hostport_list
#define PATH_LIST     &policy_type_path_list
#define PERCENTILE    &policy_type_percentile

#define NODE(sec, key, what)                                                                       \
    OPT(sec, #key, DIGITS_LIST, 0, 256, NULL, NULL,                                                \
        "global titles of the " what " (exact E.164 numbers)", OFF_PA(key))

#define CLI_ON(outcome, key, what)                                                                 \
    OPT("cli", #key, ENUM, 0, 0, "\"release\"", "release|allow|alert",                             \
        "action when " what " (release: REL towards the originator, nothing inside)",              \
        OFF_P(cli_on_s[outcome]))

#define TRUST_ON(outcome, key, what)                                                               \
    OPT("trust", #key, ENUM, 0, 0, "\"drop\"", "drop|allow|alert", "action when " what,            \
        OFF_P(tr_on_s[outcome]))

static const ssgw_config_option options[] = {
    OPT("policy", "mode", ENUM, 0, 0, "\"enforce\"", "enforce|monitor",
        "enforce: verdicts are applied; monitor: verdicts are computed and reported, every message "
        "passes (records say enforced: false)",
        OFF_P(mode)),
    OPT("policy", "check_mode", ENUM, 0, 0, "\"enforce\"", "enforce|test|learn|off",
        "mode of every built-in check that no [[check]] sets: enforce (verdicts applied), test "
        "(computed and reported, not applied), learn (observed for [learn], never decides), off",
        OFF_P(check_mode_s)),
    OPT("policy", "malformed", ACTION, 0, 0, "\"drop\"", NULL,
        "verdict for messages that fail to decode (check malformed.<layer>); always counted",
        OFF_P(malformed_s)),
    OPT("policy", "malformed_answer", ANSWER, 0, 0, "\"sccp-udts\"", NULL,
        "answer sent for malformed messages when malformed = \"answer\"",
        OFF_P(malformed_answer_s)),

    OPT("state", "subscribers", INT, 1, 100000000, "1000000", NULL,
        "subscriber location records held, every one kept (40 bytes each; beyond them a new "
        "subscriber replaces the oldest of its candidates taught by the same peer network, "
        "counted, or is not stored)",
        OFF_P(st_subscribers)),
    OPT("state", "sri_sm_marks", INT, 1, 100000000, "262144", NULL,
        "SRI-SM and call marks held (16 bytes each; a live one is replaced only as "
        "network_share allows)",
        OFF_P(st_marks)),
    OPT("state", "dialogues", INT, 1, 100000000, "262144", NULL,
        "dialogue records held (24 bytes each; two per open TCAP dialogue: it and its binding to "
        "its peer; a live one is replaced only as network_share allows)",
        OFF_P(st_dialogues)),
    OPT("state", "network_share", INT, 1, 100, "50", NULL,
        "percent of the dialogue records, of the SRI-SM and call marks and of the SMS "
        "segments, one peer network "
        "(a partner; strangers together; our own network) may hold and keep them safe: below "
        "it, no other network's records replace its live ones; above it, its oldest live ones "
        "give way to others' new ones",
        OFF_P(st_network_share)),
    OPT("state", "buckets", INT, 1, 100000000, "262144", NULL,
        "token buckets held (16 bytes each; at the cap a new key goes untracked rather than "
        "replace a live bucket)",
        OFF_P(st_buckets)),
    OPT("state", "calls", INT, 1, 100000000, "65536", NULL,
        "ISUP circuits in a call tracked (32 bytes each): call checks and released circuits",
        OFF_P(st_calls)),
    OPT("state", "incidents", INT, 1, 100000000, "65536", NULL,
        "attacked subscribers whose incident id is remembered (16 bytes each)",
        OFF_P(st_incidents)),
    OPT("state", "incident_window", INT, 1, 604800, "3600", NULL,
        "seconds blocks about one subscriber keep one incident id (MAP and Diameter alike)",
        OFF_P(incident_window)),
    OPT("state", "dialogue_timeout", INT, 1, 86400, "60", NULL,
        "seconds a dialogue stays known without traffic", OFF_P(dialogue_timeout)),
    OPT("state", "sri_sm_window", INT, 1, 86400, "60", NULL,
        "seconds an mt-forwardSM may follow the SRI-SM that located the subscriber",
        OFF_P(sri_sm_window)),

    OPT("state", "backend", ENUM, 0, 0, "\"embedded\"", "embedded|redis",
        "where the state lives: embedded (in this process, the capacities above) or redis "
        "(standalone Redis or Redis Cluster, shared by every gateway and analysis that uses it)",
        OFF_P(st_backend_s)),
    OPT("state", "url", REDIS_URL, 0, 4095, "\"\"", NULL,
        "backend = redis: \"redis://host:port\" (\"rediss://\" for TLS); several host:port "
        "separated by commas are cluster seed nodes (a cluster is recognised by itself)",
        OFF_P(st_url)),
    OPT("state", "nodes", HOSTPORT_LIST, 0, 32, NULL, NULL,
        "backend = redis: seed nodes as \"host:port\" (instead of url)", OFF_P(st_nodes)),
    OPT("state", "user", STRING, 0, 127, "\"\"", NULL, "Redis ACL user (\"\": the default user)",
        OFF_P(st_user)),
    OPT("state", "password_file", STRING, 0, 1023, "\"\"", NULL,
        "file holding the Redis password (AUTH), refused unless mode 0600; \"\": no AUTH",
        OFF_P(st_password_file)),
    OPT("state", "tls", BOOL, 0, 0, "false", NULL, "TLS to every Redis node (as rediss://)",
        OFF_P(st_tls)),
    OPT("state", "tls_ca", STRING, 0, 1023, "\"\"", NULL,
        "CA certificates (PEM) the Redis servers' certificates must chain to (\"\": the system's)",
        OFF_P(st_tls_ca)),
    OPT("state", "tls_cert", STRING, 0, 1023, "\"\"", NULL,
        "client certificate (PEM) when the servers ask for one", OFF_P(st_tls_cert)),
    OPT("state", "tls_key", STRING, 0, 1023, "\"\"", NULL,
        "its private key (PEM, refused unless mode 0600)", OFF_P(st_tls_key)),
    OPT("state", "tls_server_name", STRING, 0, 255, "\"\"", NULL,
        "name the server certificates must carry (\"\": the node's host)",
        OFF_P(st_tls_server_name)),
    OPT("state", "fail", ENUM, 0, 0, "\"local\"", "local|closed",
        "when Redis cannot answer: local = the embedded store answers (writes queued for Redis); "
        "closed = inbound messages whose checks needed the state are dropped "
        "(state.unavailable)",
        OFF_P(st_fail_s)),
    OPT("state", "timeout_ms", INT, 1, 60000, "200", NULL,
        "longest wait for Redis (connect, one batch's replies) before it counts as unreachable",
        OFF_P(st_timeout_ms)),
    OPT("state", "reconnect_min_ms", INT, 10, 600000, "100", NULL,
        "first wait before reconnecting; doubled after each failure", OFF_P(st_reconnect_min_ms)),
    OPT("state", "reconnect_max_ms", INT, 10, 600000, "5000", NULL,
        "longest wait between reconnection attempts", OFF_P(st_reconnect_max_ms)),
    OPT("state", "pending_writes", INT, 0, 10000000, "100000", NULL,
        "writes held for Redis while it is away (oldest dropped beyond, counted and alerted)",
        OFF_P(st_pending_writes)),
    OPT("state", "key_prefix", STRING, 0, 31, "\"ssgw:\"", NULL,
        "prefix of every Redis key (several deployments may share one Redis)",
        OFF_P(st_key_prefix)),
    OPT("state", "ttl_slack", INT, 0, 604800, "600", NULL,
        "wall-clock seconds a Redis record outlives its use (dialogue_timeout, sri_sm_window, "
        "rate periods): successive analyses of one capture see the same state",
        OFF_P(st_ttl_slack)),
    OPT("state", "clock_skew", INT, 0, 604800, "5", NULL,
        "seconds the clocks of the gateways sharing the replay cache may differ (a later "
        "`ssgw analyze` of the same capture counts as one whose clock is behind by the time "
        "between the runs): a token's replay key lives until the token's time + [trust] "
        "window + 1 + clock_skew, at most 2 x window + 1 + ttl_slack seconds from now",
        OFF_P(st_clock_skew)),
    OPT("state", "location_ttl", INT, 60, 31536000, "2592000", NULL,
        "seconds a subscriber's location stays in Redis after its last update",
        OFF_P(st_location_ttl)),
    OPT("state", "risk_ttl", INT, 3600, 31536000, "7776000", NULL,
        "seconds a subscriber's latest risk event and its IMSI <-> MSISDN pair stay in Redis "
        "(at least [http] risk_max_age_hours for the risk API)",
        OFF_P(st_risk_ttl)),

    OPT("velocity", "max_speed_kmh", INT, 1, 100000, "1000", NULL,
        "fastest plausible travel between two countries (km/h, door to door)",
        OFF_P(max_speed_kmh)),
    OPT("velocity", "min_distance_km", INT, 0, 20000, "600", NULL,
        "moves between countries closer than this are always plausible (borders)",
        OFF_P(min_distance_km)),

    OPT("rate", "calling_gt", RATE, 0, 0, "\"2000/1s\"", NULL,
        "inbound messages per calling GT (rate.calling_gt)", OFF_P(rate_calling_gt_s)),
    OPT("rate", "imsi", RATE, 0, 0, "\"60/60s\"", NULL, "inbound operations per IMSI (rate.imsi)",
        OFF_P(rate_imsi_s)),
    OPT("rate", "operation", RATE, 0, 0, "\"off\"", NULL,
        "inbound invocations per MAP operation, all peers together (rate.operation)",
        OFF_P(rate_operation_s)),
    OPT("rate", "sri_sm_per_msisdn", RATE, 0, 0, "\"5/600s\"", NULL,
        "inbound sendRoutingInfoForSM per MSISDN (sms.sri_sm_rate)", OFF_P(rate_sri_sm_s)),
    OPT("rate", "diameter_origin_host", RATE, 0, 0, "\"2000/1s\"", NULL,
        "inbound Diameter requests per Origin-Host (diameter.rate_origin)",
        OFF_P(rate_diam_origin_s)),

    OPT("home", "name", STRING, 0, 127, "\"\"", NULL, "the operator's name", OFF_PA(name)),
    OPT("home", "country", COUNTRY, 0, 0, NULL, NULL, "ISO 3166-1 alpha-2 country code",
        OFF_PA(country)),
    OPT("home", "mcc_mnc", MCCMNC_LIST, 1, 64, NULL, NULL,
        "E.212 MCC+MNC of the home network's IMSIs", OFF_PA(mccmnc), REQUIRED),
    OPT("home", "gt_prefixes", DIGITS_LIST, 1, 256, NULL, NULL,
        "E.164 prefixes of the home network's global titles", OFF_PA(gt), REQUIRED),
    OPT("home", "msisdn_prefixes", DIGITS_LIST, 0, 256, NULL, NULL,
        "E.164 prefixes of the home network's MSISDNs", OFF_PA(msisdn)),
    OPT("home", "point_codes", PC_LIST, 0, 64, NULL, NULL,
        "home signalling point codes: a message with one of them as DPC is inbound", OFF_PA(pc)),
    NODE("home", hlr, "HLRs"), NODE("home", vlr, "VLRs"), NODE("home", msc, "MSCs"),
    NODE("home", smsc, "SMSCs"), NODE("home", gsmscf, "gsmSCFs"), NODE("home", sgsn, "SGSNs"),
    OPT("home", "realms", REALM_LIST, 0, 64, NULL, NULL,
        "Diameter realms of the home network besides the 3GPP ones of mcc_mnc "
        "(epc.mncXXX.mccYYY.3gppnetwork.org, always included)",
        OFF_PA(realms)),
    OPT("home", "diameter_hosts", REALM_LIST, 0, 256, NULL, NULL,
        "the home network's Diameter hosts (HSS, MME, DEA): an inbound request naming one as "
        "Origin-Host is spoofed",
        OFF_PA(dhosts)),

    OPT("partner", "name", STRING, 1, 127, NULL, NULL, "the partner's name (unique)", OFF_PA(name),
        REQUIRED),
    OPT("partner", "country", COUNTRY, 0, 0, NULL, NULL, "ISO 3166-1 alpha-2 country code",
        OFF_PA(country)),
    OPT("partner", "mcc_mnc", MCCMNC_LIST, 0, 64, NULL, NULL,
        "E.212 MCC+MNC of the partner's IMSIs", OFF_PA(mccmnc)),
    OPT("partner", "gt_prefixes", DIGITS_LIST, 1, 256, NULL, NULL,
        "E.164 prefixes of the partner's global titles", OFF_PA(gt), REQUIRED),
    OPT("partner", "point_codes", PC_LIST, 0, 64, NULL, NULL,
        "point codes (OPC) the partner's traffic arrives from; empty = not checked "
        "(spoof.peer_mismatch)",
        OFF_PA(pc)),
    OPT("partner", "msisdn_prefixes", DIGITS_LIST, 0, 256, NULL, NULL,
        "E.164 prefixes of the partner's MSISDNs (number ownership, with [import] "
        "ported_numbers)",
        OFF_PA(msisdn)),
    NODE("partner", hlr, "partner's HLRs"), NODE("partner", vlr, "partner's VLRs"),
    NODE("partner", msc, "partner's MSCs"), NODE("partner", smsc, "partner's SMSCs / SMS-GMSCs"),
    NODE("partner", gsmscf, "partner's gsmSCFs"), NODE("partner", sgsn, "partner's SGSNs"),
    OPT("partner", "realms", REALM_LIST, 0, 64, NULL, NULL,
        "the partner's Diameter realms besides the 3GPP ones of mcc_mnc (always included)",
        OFF_PA(realms)),
    OPT("partner", "diameter_hosts", REALM_LIST, 0, 256, NULL, NULL,
        "the only Origin-Hosts the partner's requests may carry (none: any host inside its "
        "realms; diameter.origin_host)",
        OFF_PA(dhosts)),
    OPT("partner", "allow", OP_LIST, 0, 128, NULL, NULL,
        "bilateral agreement: MAP operations (names or opcodes) this partner may send beyond the "
        "defaults (lifts cat1.operation)",
        OFF_PA(allow)),
    OPT("partner", "trust", ENUM, 0, 0, NULL, "require|verify-if-present|off",
        "security token policy for messages from this partner (default: [trust] inbound)",
        OFF_PA(trust_s)),
    OPT("partner", "cli_countries", COUNTRIES, 0, 64, NULL, NULL,
        "countries whose calling numbers this partner delivers calls for (\"*\": any); set, "
        "a call from its point codes with a calling number of another country is released "
        "(call.cli_country)",
        OFF_PA(cli_countries)),
    OPT("partner", "sms_hub", BOOL, 0, 0, "false", NULL,
        "an SMS hub / IPX that relays other networks' short messages: the service-centre "
        "address of its mt-forwardSMs may be another network's SMSC (never ours; "
        "sms.mt_fsm_origin, sms.protected_sender, sms.home_sender_abroad)",
        OFF_PA(sms_hub)),
    OPT("partner", "cli", ENUM, 0, 0, NULL, "require|verify-if-present|off",
        "CLI attestation policy for calls (IAMs) arriving from this partner's point_codes "
        "(default: [cli] inbound)",
        OFF_PA(cli_s)),

    OPT("rule", "name", STRING, 1, 63, NULL, NULL,
        "the rule's name (unique); its verdicts say check = \"rule.<name>\"", OFF_R(name),
        REQUIRED),
    OPT("rule", "direction", ENUM, 0, 0, "\"inbound\"", "inbound|outbound|any",
        "which direction the rule applies to", OFF_R(direction)),
    OPT("rule", "operation", OP_LIST, 0, 128, NULL, NULL,
        "MAP operations (names or opcodes) of any invoke in the message", OFF_R(operation)),
    OPT("rule", "category", CAT_LIST, 0, 6, NULL, NULL,
        "categories of the message's operation: cat1, cat2, cat3, sms, other, none",
        OFF_R(category)),
    OPT("rule", "calling_gt", DIGITS_LIST, 0, 256, NULL, NULL, "SCCP calling GT prefixes",
        OFF_R(calling_gt)),
    OPT("rule", "called_gt", DIGITS_LIST, 0, 256, NULL, NULL, "SCCP called GT prefixes",
        OFF_R(called_gt)),
    OPT("rule", "calling_ssn", SSN_LIST, 0, 64, NULL, NULL, "SCCP calling subsystem numbers",
        OFF_R(calling_ssn)),
    OPT("rule", "called_ssn", SSN_LIST, 0, 64, NULL, NULL, "SCCP called subsystem numbers",
        OFF_R(called_ssn)),
    OPT("rule", "imsi", DIGITS_LIST, 0, 256, NULL, NULL, "IMSI prefixes (MCC-MNC or longer)",
        OFF_R(imsi)),
    OPT("rule", "tcap", TCAP_LIST, 0, 5, NULL, NULL,
        "TCAP message types: begin, continue, end, abort, unidirectional", OFF_R(tcap)),
    OPT("rule", "partner", NAME_LIST, 0, 64, NULL, NULL,
        "partner names the calling GT belongs to; \"home\" and \"none\" (no partner) also allowed",
        OFF_R(partner)),
    OPT("rule", "action", ACTION, 0, 0, NULL, NULL, "what to do with a matching message",
        OFF_R(action_s), REQUIRED),
    OPT("rule", "answer", ANSWER, 0, 0, "\"tcap-abort\"", NULL, "answer for action = \"answer\"",
        OFF_R(answer_s)),
    OPT("rule", "rate", RATE, 0, 0, "\"off\"", NULL,
        "for action = \"rate-limit\": messages per calling GT allowed through; beyond it the "
        "verdict "
        "is rate-limit",
        OFF_R(rate_s)),

    OPT("classification", "partners", ENUM, 0, 0, "\"pass\"", "pass|screen",
        "pass: the unclassified-traffic checks (class.*, scmg.foreign) judge traffic from networks "
        "that are no partner, partners' traffic passes them as before; screen: partners' too",
        OFF_P(class_partners_s)),

    OPT("check", "name", CHECK_NAME, 0, 0, NULL, NULL, "the check's name, as in docs/checks.md",
        OFF_C(name), REQUIRED),
    OPT("check", "enabled", BOOL, 0, 0, "true", NULL, "false turns the check off (= mode \"off\")",
        OFF_C(enabled)),
    OPT("check", "mode", ENUM, 0, 0, NULL, "enforce|test|learn|off",
        "the check's mode (default: [policy] check_mode): enforce, test (reported, not applied), "
        "learn (observed for [learn], never decides), off",
        OFF_C(mode_s)),
    OPT("check", "action", ACTION, 0, 0, NULL, NULL,
        "verdict when the check objects (default: the check's own, see docs/checks.md)",
        OFF_C(action_s)),
    OPT("check", "answer", ANSWER, 0, 0, NULL, NULL,
        "answer when the action is \"answer\" (default: the check's own)", OFF_C(answer_s)),

    OPT("trust", "key", STRING, 1, 1023, NULL, NULL,
        "our signing private key (PEM from `tsca request`; refused unless mode 0600); required "
        "unless sign = \"none\"",
        OFF_P(tr_key)),
    OPT("trust", "ka_key", STRING, 1, 1023, NULL, NULL,
        "our key-agreement private key (needed for mode = \"hmac\")", OFF_P(tr_ka_key)),
    OPT("trust", "root", STRING, 1, 1023, NULL, NULL,
        "the TSCA root certificate (PEM): the only trust anchor", OFF_P(tr_root), REQUIRED),
    OPT("trust", "bundle", STRING, 1, 1023, NULL, NULL,
        "the signed trust bundle file (`tsca bundle`)", OFF_P(tr_bundle), REQUIRED),
    OPT("trust", "bundle_url", HTTP_URL, 0, 1023, NULL, NULL,
        "http:// URL the gateway polls for newer bundles (`tsca serve`); unset = the file only",
        OFF_P(tr_bundle_url)),
    OPT("trust", "bundle_poll", INT, 10, 86400, "300", NULL, "seconds between polls of bundle_url",
        OFF_P(tr_poll)),
    OPT("trust", "mode", ENUM, 0, 0, "\"ecdsa-p256\"", "ecdsa-p256|ed25519|hmac",
        "how we sign: ECDSA P-256, Ed25519 (the key's type must match), or the fast pairwise HMAC "
        "mode",
        OFF_P(tr_mode_s)),
    OPT("trust", "sign", ENUM, 0, 0, "\"members\"", "members|all|none",
        "members: sign messages from the home network (calling GT in [home] gt_prefixes) whose "
        "called GT belongs to another bundle member; all: every message with TCAP; none: verify "
        "only",
        OFF_P(tr_sign_s)),
    OPT("trust", "window", INT, 1, 86400, "60", NULL,
        "accepted difference in seconds between a token's time and ours (stale outside)",
        OFF_P(tr_window)),
    OPT("trust", "max_rate", INT, 1, 10000000, "5000", NULL,
        "verified tokens per second the replay cache must hold without evicting a live entry "
        "(sizes replay_entries)",
        OFF_P(tr_max_rate)),
    OPT("trust", "replay_entries", INT, 0, 268435456, "0", NULL,
        "replay cache capacity (24 bytes each); 0 = sized for max_rate: 4/3 x max_rate x (2 x "
        "window + 1)",
        OFF_P(tr_replay)),
    OPT("trust", "replay_share", INT, 1, 100, "25", NULL,
        "percent of the replay cache one signing operator may hold: a live entry is only ever "
        "replaced by its own operator's token, and an operator holding its share has its next "
        "verified tokens refused (outcome replay_full) until its entries age out of the window",
        OFF_P(tr_replay_share)),
    OPT("trust", "sequence_file", STRING, 0, 1023, NULL, NULL,
        "where the gateway records the highest bundle sequence it accepted, so that no reload or "
        "restart goes back to an older bundle (default: the bundle's path + \".seq\")",
        OFF_P(tr_seq_file)),
    OPT("trust", "inbound", ENUM, 0, 0, "\"require\"", "require|verify-if-present|off",
        "default policy for received messages (a [[partner]] may override it): require = fail "
        "closed",
        OFF_P(tr_inbound_s)),
    TRUST_ON(SSGW_TRUST_MISSING, on_missing, "no token (under require)"),
    TRUST_ON(SSGW_TRUST_MALFORMED, on_malformed,
             "the token or its TCAP placement does not decode, or the SCCP user data is not TCAP "
             "that decodes"),
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
    TRUST_ON(SSGW_TRUST_REPLAY_FULL, on_replay_full,
             "the token verified but the replay cache cannot record it: its operator holds its "
             "replay_share, or its sets hold only other operators' live entries (allow: accepted "
             "unrecorded, so it could be replayed)"),

    OPT("learn", "output", STRING, 1, 1023, NULL, NULL,
        "where the proposed configuration (TOML) is written, relative to this file; required "
        "when a check is in learn mode",
        OFF_P(learn_output)),
    OPT("learn", "period", INT, 1, 31536000, "604800", NULL,
        "seconds of traffic observed from the first message; the proposal is written when they "
        "end (and on demand: SIGUSR1, POST /api/v1/learn, the end of `ssgw analyze`)",
        OFF_P(learn_period)),
    OPT("learn", "rate_percentile", PERCENTILE, 0, 0, "\"99.9\"", NULL,
        "a proposed rate is this percentile of the per-key peaks (busiest window of one calling "
        "GT, IMSI, operation or MSISDN), plus a margin; \"100\" = the busiest key",
        OFF_P(learn_pct_s)),
    OPT("learn", "prefix_digits", INT, 3, 15, "6", NULL,
        "digits of a GT that belongs to no partner kept as the GT prefix of the partner "
        "proposed for it (country code + network code in most numbering plans)",
        OFF_P(learn_prefix_digits)),
    OPT("learn", "max_keys", INT, 1024, 16777216, "262144", NULL,
        "keys tracked per rate class and GTs per proposal (64 bytes each); beyond it keys are "
        "counted as untracked",
        OFF_P(learn_max_keys)),

    OPT("import", "partners", PATH_LIST, 0, 64, NULL, NULL,
        "partner data files (.csv or .json, docs/partner-data.md), relative to this file; "
        "merged after the [[partner]] tables",
        OFF_P(imp_partners)),
    OPT("import", "ported_numbers", PATH_LIST, 0, 64, NULL, NULL,
        "ported-numbers tables (CSV: number or range, operator), relative to this file",
        OFF_P(imp_ported)),
    OPT("import", "strict", BOOL, 0, 0, "false", NULL,
        "true: a conflict or malformed row refuses the policy; false: it is skipped and "
        "reported (ssgw check-config prints the merge report)",
        OFF_P(imp_strict)),

    /* --- [cli]: calling-line authentication (config_cli.c compiles it) --------------- */
    OPT("cli", "sign", ENUM, 0, 0, "\"members\"", "members|all|none",
        "members: attest outbound IAMs whose destination (DPC or called number) belongs to "
        "another bundle member; all: every outbound IAM; none: verify only",
        OFF_P(cli_sign_s)),
    OPT("cli", "attest_gateway", BOOL, 0, 0, "true", NULL,
        "attest calls whose calling number is not in [home] msisdn_prefixes at level gateway "
        "(C); false: such calls go unattested",
        OFF_P(cli_attest_gateway)),
    OPT("cli", "inbound", ENUM, 0, 0, "\"require\"", "require|verify-if-present|off",
        "default policy for IAMs received (a [[partner]] may override it with cli): require = "
        "fail closed",
        OFF_P(cli_inbound_s)),
    OPT("cli", "on_ok", ENUM, 0, 0, "\"mark\"", "mark|allow",
        "a verified IAM: mark its calling number verified (screening indicator: user "
        "provided, verified and passed) when attested at mark_level or better, or pass it "
        "unmarked",
        OFF_P(cli_on_ok_s)),
    OPT("cli", "mark_level", ENUM, 0, 0, "\"full\"", "full|partial|gateway",
        "the lowest attestation level (RFC 8588: full A, partial B, gateway C) whose calling "
        "number is marked verified",
        OFF_P(cli_mark_level_s)),
    OPT("cli", "release_cause", INT, 1, 127, "21", NULL,
        "Q.850 cause of the REL that releases a call (21 call rejected)", OFF_P(cli_release_cause)),
    OPT("cli", "release_timeout", INT, 1, 3600, "60", NULL,
        "seconds a circuit the gateway released waits for the originator's RLC (absorbed, "
        "never forwarded) before it is forgotten",
        OFF_P(cli_release_timeout)),
    OPT("cli", "x5u", STRING, 1, SSGW_CLI_X5U_TEMPLATE_MAX, "\"" SSGW_CLI_X5U_DEFAULT "\"", NULL,
        "the fabric's x5u template of the PASSporT header ({kid}: the signer's key id in hex); "
        "signed, so every member must use the same one",
        OFF_P(cli_x5u)),
    CLI_ON(SSGW_TRUST_MISSING, on_missing, "no attestation (under require)"),
    CLI_ON(SSGW_TRUST_MALFORMED, on_malformed, "the attestation does not decode"),
    CLI_ON(SSGW_TRUST_UNKNOWN_KEY, on_unknown_key, "the signer's key id is not in the bundle"),
    CLI_ON(SSGW_TRUST_BAD_SIGNATURE, on_bad_signature,
           "the signature does not verify over the numbers as they read (forged or tampered)"),
    CLI_ON(SSGW_TRUST_EXPIRED, on_expired, "the signer's certificate has expired"),
    CLI_ON(SSGW_TRUST_NOT_YET_VALID, on_not_yet_valid, "the signer's certificate is not yet valid"),
    CLI_ON(SSGW_TRUST_REVOKED, on_revoked, "the signer's certificate is revoked"),
    CLI_ON(SSGW_TRUST_NUMBER_NOT_AUTHORISED, on_number_not_authorised,
           "the calling number is outside the signer's certified telephone numbers (spoofing)"),
    CLI_ON(SSGW_TRUST_STALE, on_stale, "the attestation's time is outside [trust] window"),
    CLI_ON(SSGW_TRUST_REPLAY, on_replay, "the attestation was already seen (a replayed IAM)"),
    CLI_ON(SSGW_TRUST_REPLAY_FULL, on_replay_full,
           "the replay cache cannot record the attestation: its operator holds its [trust] "
           "replay_share, or no room without replacing another operator's live entry"),
    CLI_ON(SSGW_TRUST_BUNDLE_EXPIRED, on_bundle_expired,
           "the attestation verified but the trust bundle in use is past its not-after"),
    /* --- end of [cli] ---------------------------------------------------------------- */

    /* --- [calls]: the call checks (checks_calls.c) ------------------------------------ */
    OPT("calls", "rate", RATE, 0, 0, "\"30/60s\"", NULL,
        "inbound calls (IAMs) per calling number (call.rate)", OFF_P(calls_rate_s)),
    OPT("calls", "fanout", RATE, 0, 0, "\"20/600s\"", NULL,
        "distinct called numbers per calling number (call.fanout: robocalls)",
        OFF_P(calls_fanout_s)),
    OPT("calls", "short_call", INT, 1, 300, "8", NULL,
        "seconds: an inbound call its originator releases before it is answered within this "
        "is a short call (call.wangiri)",
        OFF_P(calls_short_call)),
    OPT("calls", "wangiri", RATE, 0, 0, "\"3/600s\"", NULL,
        "short unanswered calls to distinct numbers per calling number; beyond it the number "
        "is flagged (call.wangiri)",
        OFF_P(calls_wangiri_s)),
    OPT("calls", "wangiri_block", INT, 1, 604800, "3600", NULL,
        "seconds the calls of a number flagged for wangiri are released",
        OFF_P(calls_wangiri_block)),
    OPT("calls", "roaming_window", INT, 60, 7776000, "604800", NULL,
        "seconds an insertSubscriberData our HLR sent to a partner makes our subscriber's "
        "number plausible as the calling number of calls from that partner "
        "(call.home_cli_inbound)",
        OFF_P(calls_roaming_window)),
    /* --- end of [calls] -------------------------------------------------------------- */

    /* --- [sms], [[protected_sender]]: sender protection and spam (checks_sms.c) ------- */
    OPT("sms", "sender_rate", RATE, 0, 0, "\"200/60s\"", NULL,
        "inbound short messages per sender (sms.sender_rate: floods)", OFF_P(sms_sender_rate_s)),
    OPT("sms", "same_text", RATE, 0, 0, "\"50/600s\"", NULL,
        "different recipients of one text (by a keyed fingerprint of the normalised text; the "
        "text is never kept) (sms.same_text: bulk spam)",
        OFF_P(sms_same_text_s)),
    OPT("sms", "url_domains", DOMAINS, 0, 256, NULL, NULL,
        "domains (and their subdomains) a short message may not link to (sms.url)",
        OFF_P(sms_url_domains)),
    OPT("sms", "keywords", PHRASES, 0, 256, NULL, NULL,
        "phrases (case ignored) a short message may not contain (sms.keyword)",
        OFF_P(sms_keywords)),
    OPT("sms", "concat_window", INT, 0, 3600, "300", NULL,
        "seconds the boundary text of a concatenated short message's segments (at most the "
        "longest listed phrase or domain at each end, in memory only) is kept to join it to the "
        "segments either side, so that a link or phrase split between segments is caught "
        "(sms.url, sms.keyword); 0: each segment is judged alone",
        OFF_P(sms_concat_window)),
    OPT("sms", "record_text", BOOL, 0, 0, "false", NULL,
        "write the text of short messages into the gateway's events and ssgw analyze's records "
        "(sms_text); by default only its length",
        OFF_P(sms_record_text)),
    OPT("protected_sender", "sender", SENDER, 0, 0, NULL, NULL,
        "the sender as it appears in TP-OA: an alphanumeric name (case, spaces and punctuation "
        "ignored: \"My-Bank\" is \"MYBANK\") or E.164 digits",
        OFF_S(sender), REQUIRED),
    OPT("protected_sender", "smsc", DIGITS_LIST, 0, 256, NULL, NULL,
        "GT prefixes of the SMSCs allowed to deliver it (service-centre address, else calling "
        "GT)",
        OFF_S(smsc)),
    OPT("protected_sender", "partner", NAME_LIST, 0, 64, NULL, NULL,
        "networks whose SMSCs may deliver it: partner names, \"home\"", OFF_S(partner)),
    /* --- end of [sms] ---------------------------------------------------------------- */
};

#define N_OPTIONS (sizeof options / sizeof options[0])

static void *policy_table(void *ctx, size_t sec, int line, ssgw_cfg_load *ld);

static const ssgw_cfg_schema schema = {
    .name = "policy",
    .sections = sections,
    .n_sections = SEC_COUNT,
    .options = options,
    .n_options = N_OPTIONS,
    .table = policy_table,
};

const ssgw_cfg_schema *ssgw_policy_schema(void)
{
    return &schema;
}

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

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* ---- freeing -------------------------------------------------------------------- */

void policy_party_release(party *pa)
{
    ssgw_cfg_release(&schema, SEC_PARTNER, pa);
    free(pa->tadig); /* realms and the other strlists are schema fields */
    memset(pa, 0, sizeof *pa);
}

void ssgw_policy_free(ssgw_policy *p)
{
    if (!p) return;
    free(p->file);
    static const int singles[] = {SEC_POLICY, SEC_STATE, SEC_VELOCITY, SEC_RATE,
                                  SEC_TRUST,  SEC_LEARN, SEC_IMPORT,   SEC_CLASSIFICATION,
                                  SEC_CLI,    SEC_CALLS, SEC_SMS};
    for (size_t i = 0; i < sizeof singles / sizeof singles[0]; i++)
        ssgw_cfg_release(&schema, (size_t)singles[i], p);
    ssgw_cfg_release(&schema, SEC_HOME, &p->home);
    for (size_t i = 0; i < p->n_partners; i++)
        policy_party_release(&p->partners[i]);
    free(p->partners);
    for (size_t i = 0; i < p->n_imp_files; i++)
        free(p->imp_files[i]);
    free(p->imp_files);
    for (size_t i = 0; i < p->n_warnings; i++)
        free(p->warnings[i]);
    free(p->warnings);
    free(p->ported.v);
    trie_free(&p->msisdn);
    for (size_t i = 0; i < p->n_rules; i++) {
        ssgw_cfg_release(&schema, SEC_RULE, &p->rules[i]);
        free(p->rules[i].decider);
        free(p->rules[i].owners);
    }
    free(p->rules);
    for (size_t i = 0; i < p->n_overrides; i++)
        ssgw_cfg_release(&schema, SEC_CHECK, &p->overrides[i]);
    free(p->overrides);
    for (size_t i = 0; i < p->n_protected; i++) {
        ssgw_cfg_release(&schema, SEC_PROTECTED, &p->protected_senders[i]);
        free(p->protected_senders[i].owners);
    }
    free(p->protected_senders);
    strlist_free(&p->sms_phrases);
    free(p->checks);
    free(p->by_name);
    trie_free(&p->gt);
    trie_free(&p->imsi);
    policy_realms_free(p);
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

const char *policy_owner_name(const ssgw_policy *p, uint16_t owner)
{
    const party *pa = policy_party(p, owner);
    if (owner == OWNER_HOME) return "the home network";
    return pa && pa->name ? pa->name : "?";
}

static int add_prefixes(ssgw_policy *p, ssgw_config_diag *ec, const party *pa, uint16_t owner)
{
    for (size_t i = 0; i < pa->gt.n; i++) {
        int k = trie_insert(&p->gt, pa->gt.v[i]);
        if (k < 0) return -1;
        trie_node *nd = &p->gt.n[k];
        if (nd->end && nd->val != owner) {
            ssgw_config_errorf(ec, pa->line, 1,
                               "GT prefix \"%s\" of %s is also a prefix of %s: each prefix may "
                               "belong to one network",
                               pa->gt.v[i], policy_owner_name(p, owner),
                               policy_owner_name(p, nd->val));
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
            ssgw_config_errorf(ec, pa->line, 1, "MCC-MNC \"%s\" of %s is also claimed by %s",
                               pa->mccmnc.v[i], policy_owner_name(p, owner),
                               policy_owner_name(p, nd->val));
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
                ssgw_config_errorf(
                    ec, pa->line, 1,
                    "node GT \"%s\" of %s is not inside its gt_prefixes (it falls in %s)", gt,
                    policy_owner_name(p, owner), cur ? policy_owner_name(p, cur) : "no network");
                continue;
            }
            int k = trie_insert(&p->gt, gt);
            if (k < 0) return -1;
            p->gt.n[k].roles |= roles[r];
        }
    return 0;
}

/* Makes a relative path relative to the directory of the configuration file. */
int policy_resolve_path(const ssgw_policy *p, char **path)
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

static int compile_trust(ssgw_policy *p, ssgw_config_diag *ec, int line)
{
    ssgw_policy_trust *t = &p->trust;
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < p->n_partners; i++)
        p->partners[i].trust_mode =
            p->partners[i].trust_s ? ssgw_trust_mode_parse(p->partners[i].trust_s) : -1;
    if (!p->has_trust) return 0;
    char **paths[] = {&p->tr_key, &p->tr_ka_key, &p->tr_root, &p->tr_bundle, &p->tr_seq_file};
    for (size_t i = 0; i < 5; i++)
        if (policy_resolve_path(p, paths[i]) < 0) return -1;
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
    t->cfg.replay_share = (unsigned)p->tr_replay_share;
    t->max_rate = (uint64_t)p->tr_max_rate;
    t->sequence_file = p->tr_seq_file;
    size_t needed = ssgw_trust_replay_capacity_for(t->max_rate, t->cfg.window_s);
    t->cfg.replay_entries = p->tr_replay ? (size_t)p->tr_replay : needed;
    if (p->tr_replay && (size_t)p->tr_replay < needed)
        ssgw_config_errorf(
            ec, line, 1,
            "[trust] replay_entries %lld cannot hold max_rate %lld tokens/s over 2 x window + 1 = "
            "%lld s (needs %zu): raise it, lower max_rate, or leave replay_entries unset",
            p->tr_replay, p->tr_max_rate, 2 * p->tr_window + 1, needed);
    ssgw_trust_policy_default(&t->policy);
    t->policy.mode = (ssgw_trust_mode)ssgw_trust_mode_parse(p->tr_inbound_s);
    for (int o = 1; o < SSGW_TRUST_OUTCOME_COUNT; o++)
        if (p->tr_on_s[o])
            t->policy.action[o] = (ssgw_trust_action)ssgw_trust_action_parse(p->tr_on_s[o]);
    if (!t->key && t->sign != SSGW_TRUST_SIGN_NONE)
        ssgw_config_errorf(
            ec, line, 1,
            "[trust] is missing the key 'key' (our signing key): required unless sign = "
            "\"none\"");
    if (t->mode == SSGW_TOKEN_MODE_HMAC && !t->ka_key && t->sign != SSGW_TRUST_SIGN_NONE)
        ssgw_config_errorf(
            ec, line, 1,
            "[trust] mode = \"hmac\" needs 'ka_key' (our key-agreement key: the pairwise keys "
            "are derived from it)");
    return 0;
}

/* ---- partner names ---------------------------------------------------------------- */

static const ssgw_policy *sort_policy; /* qsort has no context argument */

static int by_name_cmp(const void *a, const void *b)
{
    const party *x = &sort_policy->partners[*(const size_t *)a];
    const party *y = &sort_policy->partners[*(const size_t *)b];
    int c = strcmp(x->name ? x->name : "", y->name ? y->name : "");
    if (c) return c;
    return *(const size_t *)a < *(const size_t *)b ? -1 : *(const size_t *)a > *(const size_t *)b;
}

int policy_index_names(ssgw_policy *p)
{
    free(p->by_name);
    p->by_name = malloc((p->n_partners ? p->n_partners : 1) * sizeof *p->by_name);
    if (!p->by_name) return -1;
    for (size_t i = 0; i < p->n_partners; i++)
        p->by_name[i] = i;
    sort_policy = p;
    qsort(p->by_name, p->n_partners, sizeof *p->by_name, by_name_cmp);
    sort_policy = NULL;
    return 0;
}

int policy_partner_find(const ssgw_policy *p, const char *name)
{
    size_t lo = 0, hi = p->by_name ? p->n_partners : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *m = p->partners[p->by_name[mid]].name;
        int c = strcmp(m ? m : "", name);
        if (c == 0) {
            while (mid > lo && !strcmp(p->partners[p->by_name[mid - 1]].name, name))
                mid--; /* the first of equal names */
            return (int)p->by_name[mid];
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Hand-written partners: names unique and not reserved, prefixes into the tries. Sorting
 * the names keeps this O(n log n) for hundreds of partners. */
static int compile_hand_partners(ssgw_policy *p, ssgw_config_diag *ec)
{
    if (policy_index_names(p) < 0) return -1;
    for (size_t k = 1; k < p->n_partners; k++) {
        const party *a = &p->partners[p->by_name[k - 1]], *b = &p->partners[p->by_name[k]];
        if (a->name && b->name && !strcmp(a->name, b->name))
            ssgw_config_errorf(ec, b->line, 1, "[[partner]] name \"%s\" is already used at line %d",
                               b->name, a->line);
    }
    for (size_t i = 0; i < p->n_partners; i++) {
        party *pa = &p->partners[i];
        if (pa->name && (!strcmp(pa->name, "home") || !strcmp(pa->name, "none")))
            ssgw_config_errorf(ec, pa->line, 1, "[[partner]] name \"%s\" is reserved (home, none)",
                               pa->name);
        if (add_prefixes(p, ec, pa, OWNER_PARTNER(i)) < 0) return -1;
        for (size_t k = 0; k < pa->allow.n; k++)
            opset_add(&pa->allowed, policy_op_parse(pa->allow.v[k]));
    }
    return 0;
}

/* MSISDN prefixes of home and partners -> owner. Two networks claiming one prefix: an
 * error between hand-written ones, a warning (the first keeps it) when one was imported. */
static int compile_msisdn(ssgw_policy *p, ssgw_config_diag *ec)
{
    for (size_t n = 0; n <= p->n_partners; n++) {
        party *pa = n ? &p->partners[n - 1] : &p->home;
        uint16_t owner = n ? OWNER_PARTNER(n - 1) : OWNER_HOME;
        for (size_t i = 0; i < pa->msisdn.n; i++) {
            int k = trie_insert(&p->msisdn, pa->msisdn.v[i]);
            if (k < 0) return -1;
            trie_node *nd = &p->msisdn.n[k];
            if (nd->end && nd->val != owner) {
                const party *first = policy_party(p, nd->val);
                if (!pa->file && (!first || !first->file))
                    ssgw_config_errorf(ec, pa->line, 1,
                                       "MSISDN prefix \"%s\" of %s is also claimed by %s",
                                       pa->msisdn.v[i], policy_owner_name(p, owner),
                                       policy_owner_name(p, nd->val));
                else if (policy_import_warn(p, ec, pa->file, pa->line,
                                            "MSISDN prefix \"%s\" of %s is also claimed by %s, "
                                            "which keeps it",
                                            pa->msisdn.v[i], policy_owner_name(p, owner),
                                            policy_owner_name(p, nd->val)) < 0)
                    return -1;
                continue;
            }
            nd->end = 1;
            nd->val = owner;
        }
    }
    return 0;
}

static const char *str_or_empty(const char *s)
{
    return s ? s : "";
}

static int compile_state(ssgw_policy *p, ssgw_config_diag *ec)
{
    ssgw_state_config *c = &p->state;
    memset(c, 0, sizeof *c);
    c->backend = !strcmp(p->st_backend_s, "redis") ? SSGW_STATE_REDIS : SSGW_STATE_EMBEDDED;
    /* risk events and aliases: the embedded defaults (no key of their own) */
    c->local = (ssgw_store_limits){.subscribers = (size_t)p->st_subscribers,
                                   .marks = (size_t)p->st_marks,
                                   .dialogues = (size_t)p->st_dialogues,
                                   .buckets = (size_t)p->st_buckets,
                                   .incidents = (size_t)p->st_incidents,
                                   .calls = (size_t)p->st_calls,
                                   .network_share = (unsigned)p->st_network_share};
    char **paths[] = {&p->st_password_file, &p->st_tls_ca, &p->st_tls_cert, &p->st_tls_key};
    for (size_t i = 0; i < 4; i++)
        if (*paths[i] && (*paths[i])[0] && policy_resolve_path(p, paths[i]) < 0) return -1;
    c->tls = p->st_tls;
    c->tls_ca = str_or_empty(p->st_tls_ca);
    c->tls_cert = str_or_empty(p->st_tls_cert);
    c->tls_key = str_or_empty(p->st_tls_key);
    c->tls_server_name = str_or_empty(p->st_tls_server_name);
    c->user = str_or_empty(p->st_user);
    c->password_file = str_or_empty(p->st_password_file);
    c->fail = !strcmp(p->st_fail_s, "closed") ? SSGW_STATE_FAIL_CLOSED : SSGW_STATE_FAIL_LOCAL;
    c->timeout_ms = (uint32_t)p->st_timeout_ms;
    c->reconnect_min_ms = (uint32_t)p->st_reconnect_min_ms;
    c->reconnect_max_ms = (uint32_t)p->st_reconnect_max_ms;
    c->pending_writes = (size_t)p->st_pending_writes;
    c->key_prefix = str_or_empty(p->st_key_prefix);
    c->ttl_slack_s = (uint32_t)p->st_ttl_slack;
    c->clock_skew_s = (uint32_t)p->st_clock_skew;
    c->location_ttl_s = (uint32_t)p->st_location_ttl;
    c->dialogue_ttl_s = (uint32_t)(p->dialogue_timeout + p->st_ttl_slack);
    c->mark_ttl_s = (uint32_t)(p->sri_sm_window + p->st_ttl_slack);
    c->risk_ttl_s = (uint32_t)p->st_risk_ttl;
    int line = p->state_line ? p->state_line : 1;
    char err[256];
    if (p->st_url && p->st_url[0] && ssgw_state_parse_url(p->st_url, c, err, sizeof err) < 0)
        ssgw_config_errorf(ec, line, 1, "[state] url: %s", err); /* checked when read */
    if (p->st_url && p->st_url[0] && p->st_nodes.n)
        ssgw_config_errorf(ec, line, 1,
                           "[state] has both url and nodes: give the Redis nodes one way");
    for (size_t i = 0; i < p->st_nodes.n && c->n_nodes < SSGW_STATE_MAX_NODES; i++)
        if (ssgw_state_parse_node(p->st_nodes.v[i], &c->nodes[c->n_nodes]) == 0) c->n_nodes++;
    if (c->backend == SSGW_STATE_REDIS && c->n_nodes == 0)
        ssgw_config_errorf(ec, line, 1,
                           "[state] backend = \"redis\" needs url = \"redis://host:port\" or "
                           "nodes = [\"host:port\", ...]");
    if (c->reconnect_max_ms < c->reconnect_min_ms)
        ssgw_config_errorf(ec, line, 1, "[state] reconnect_max_ms %u is below reconnect_min_ms %u",
                           c->reconnect_max_ms, c->reconnect_min_ms);
    return 0;
}

/* [[protected_sender]]: the compared form of the sender, the networks' owner values. */
static int compile_protected(ssgw_policy *p, ssgw_config_diag *ec)
{
    for (size_t i = 0; i < p->n_protected; i++) {
        protected_sender *ps = &p->protected_senders[i];
        if (!ps->sender) continue;
        ssgw_sms_sender_norm(ps->sender, ps->norm, sizeof ps->norm);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(p->protected_senders[j].norm, ps->norm))
                ssgw_config_errorf(ec, ps->line, 1,
                                   "[[protected_sender]] \"%s\" is already listed at line %d (as "
                                   "\"%s\": case, spaces and punctuation do not count)",
                                   ps->sender, p->protected_senders[j].line,
                                   p->protected_senders[j].sender);
        if (!ps->smsc.n && !ps->partner.n)
            ssgw_config_errorf(ec, ps->line, 1,
                               "[[protected_sender]] \"%s\" lists neither smsc nor partner: "
                               "nobody could deliver it",
                               ps->sender);
        ps->owners = calloc(ps->partner.n ? ps->partner.n : 1, sizeof *ps->owners);
        if (!ps->owners) return -1;
        for (size_t k = 0; k < ps->partner.n; k++) {
            const char *nm = ps->partner.v[k];
            uint16_t ow = !strcmp(nm, "home") ? OWNER_HOME : 0xffff;
            int m = ow == 0xffff ? policy_partner_find(p, nm) : -1;
            if (m >= 0) ow = OWNER_PARTNER((size_t)m);
            if (ow == 0xffff) {
                ssgw_config_errorf(ec, ps->line, 1,
                                   "[[protected_sender]] partner: \"%s\": no [[partner]] has that "
                                   "name (allowed: the partner names, \"home\")",
                                   nm);
                continue;
            }
            ps->owners[ps->n_owners++] = ow;
        }
    }
    return 0;
}

/* Modes and actions of the built-in checks ([policy] check_mode, [[check]]). */
static int compile_checks(ssgw_policy *p, ssgw_config_diag *ec)
{
    size_t nc = ssgw_check_count();
    int def_mode = ssgw_check_mode_parse(p->check_mode_s ? p->check_mode_s : "enforce");
    p->checks = calloc(nc, sizeof *p->checks);
    if (!p->checks) return -1;
    for (size_t i = 0; i < nc; i++) {
        const ssgw_check_info *ci = ssgw_check_at(i);
        p->checks[i].mode =
            (int)i == ssgw_check_default_index() ? SSGW_CHECK_ENFORCE : (ssgw_check_mode)def_mode;
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
                ssgw_config_errorf(ec, o->line, 1,
                                   "[[check]] \"%s\" is already configured at line %d", o->name,
                                   p->overrides[j].line);
        int mode = o->mode_s    ? ssgw_check_mode_parse(o->mode_s)
                   : o->enabled ? def_mode
                                : SSGW_CHECK_OFF;
        if (!o->enabled && mode != SSGW_CHECK_OFF)
            ssgw_config_errorf(ec, o->line, 1,
                               "[[check]] \"%s\": enabled = false contradicts mode = \"%s\" "
                               "(keep one of them)",
                               o->name, o->mode_s);
        p->checks[k].mode = (ssgw_check_mode)mode;
        if (o->action_s) p->checks[k].action = (ssgw_action)ssgw_action_parse(o->action_s);
        if (o->answer_s) ssgw_answer_parse(o->answer_s, &p->checks[k].answer);
        if (p->checks[k].action == SSGW_ACT_ANSWER && p->checks[k].answer.kind == SSGW_ANSWER_NONE)
            ssgw_answer_parse("tcap-abort", &p->checks[k].answer);
    }
    for (size_t i = 0; i < nc; i++)
        p->checks[i].enabled = p->checks[i].mode != SSGW_CHECK_OFF;
    if (ssgw_policy_learning(p) && !p->learn_output)
        ssgw_config_errorf(ec, 0, 0,
                           "a check is in learn mode but [learn] output is not set (the file the "
                           "proposed configuration is written to)");
    return 0;
}

static int compile(ssgw_policy *p, ssgw_config_diag *ec)
{
    if (trie_init(&p->gt) < 0 || trie_init(&p->imsi) < 0 || trie_init(&p->msisdn) < 0) return -1;
    p->monitor = p->mode && !strcmp(p->mode, "monitor");
    p->malformed = (ssgw_action)ssgw_action_parse(p->malformed_s);
    ssgw_answer_parse(p->malformed_answer_s, &p->malformed_answer);
    policy_rate_parse(p->rate_calling_gt_s, &p->rate_calling_gt);
    policy_rate_parse(p->rate_imsi_s, &p->rate_imsi);
    policy_rate_parse(p->rate_operation_s, &p->rate_operation);
    policy_rate_parse(p->rate_sri_sm_s, &p->rate_sri_sm);
    policy_rate_parse(p->calls_rate_s, &p->calls_rate);
    policy_rate_parse(p->calls_fanout_s, &p->calls_fanout);
    policy_rate_parse(p->calls_wangiri_s, &p->calls_wangiri);
    policy_rate_parse(p->sms_sender_rate_s, &p->sms_sender_rate);
    policy_rate_parse(p->sms_same_text_s, &p->sms_same_text);
    p->sms_join_octets = ssgw_sms_join_octets(p);
    policy_rate_parse(p->rate_diam_origin_s, &p->rate_diam_origin);
    p->class_screen_partners = p->class_partners_s && !strcmp(p->class_partners_s, "screen");
    if (policy_resolve_path(p, &p->learn_output) < 0) return -1;
    p->learn_pct_milli = policy_percentile_parse(p->learn_pct_s ? p->learn_pct_s : "99.9");

    if (add_prefixes(p, ec, &p->home, OWNER_HOME) < 0) return -1;
    p->n_hand = p->n_partners;
    if (compile_hand_partners(p, ec) < 0) return -1;
    if (policy_import_partners(p, ec) < 0 || policy_index_names(p) < 0) return -1;
    if (compile_msisdn(p, ec) < 0 || policy_import_ported(p, ec) < 0) return -1;
    if (policy_compile_realms(p, ec) < 0) return -1; /* hand-written and imported partners */
    for (size_t i = 0; i < p->n_rules; i++) {
        rule *r = &p->rules[i];
        for (size_t j = 0; j < i; j++)
            if (r->name && p->rules[j].name && !strcmp(r->name, p->rules[j].name))
                ssgw_config_errorf(ec, r->line, 1,
                                   "[[rule]] name \"%s\" is already used at line %d", r->name,
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
            opset_add(&r->ops, policy_op_parse(r->operation.v[k]));
        for (size_t k = 0; k < r->category.n; k++)
            r->cat_mask |= 1u << ssgw_category_parse(r->category.v[k]);
        for (size_t k = 0; k < r->tcap.n; k++)
            r->tcap_mask |= 1u << policy_tcap_parse(r->tcap.v[k]);
        r->owners = calloc(r->partner.n ? r->partner.n : 1, sizeof *r->owners);
        if (!r->owners) return -1;
        for (size_t k = 0; k < r->partner.n; k++) {
            const char *nm = r->partner.v[k];
            uint16_t ow = 0xffff;
            if (!strcmp(nm, "none"))
                ow = OWNER_NONE;
            else if (!strcmp(nm, "home"))
                ow = OWNER_HOME;
            int m = ow == 0xffff ? policy_partner_find(p, nm) : -1;
            if (m >= 0) ow = OWNER_PARTNER((size_t)m);
            if (ow == 0xffff) {
                ssgw_cfg_suggest sg = {NULL, 0};
                for (size_t q = 0; q < p->n_partners; q++)
                    if (p->partners[q].name) ssgw_cfg_suggest_try(&sg, nm, p->partners[q].name);
                char db[96];
                ssgw_config_errorf(
                    ec, r->line, 1,
                    "[rule] partner: \"%s\": no [[partner]] has that name (allowed: the partner "
                    "names, \"home\", \"none\")%s",
                    nm, ssgw_cfg_suggest_text(&sg, db, sizeof db));
                continue;
            }
            r->owners[r->n_owners++] = ow;
        }
        if (r->action_s) {
            r->action = (ssgw_action)ssgw_action_parse(r->action_s);
            ssgw_answer_parse(r->answer_s, &r->answer);
            policy_rate_parse(r->rate_s, &r->rate);
            if (r->action == SSGW_ACT_RATE_LIMIT && r->rate.limit == 0)
                ssgw_config_errorf(
                    ec, r->line, 1,
                    "[[rule]] \"%s\": action \"rate-limit\" needs rate = \"<count>/<period>\"",
                    r->name ? r->name : "");
        }
    }
    if (compile_checks(p, ec) < 0) return -1;
    if (compile_state(p, ec) < 0) return -1;
    if (compile_trust(p, ec, p->trust_line) < 0 || compile_protected(p, ec) < 0) return -1;
    for (size_t i = 0; i < p->sms_keywords.n; i++) { /* compared with each message's text */
        char kw[SSGW_SMS_PHRASE_CAP];
        ssgw_sms_phrase_norm(p->sms_keywords.v[i], kw, sizeof kw);
        if (strlist_push(&p->sms_phrases, kw, strlen(kw)) < 0) return -1;
    }
    return policy_compile_cli(p, ec);
}

/* ---- reading ---------------------------------------------------------------------- */

/* Appends a zeroed element to *arr; NULL when memory ran out. */
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

/* The struct the keys of a table go to (ssgw_cfg_schema.table). */
static void *policy_table(void *ctx, size_t sec, int line, ssgw_cfg_load *ld)
{
    (void)ld;
    ssgw_policy *p = ctx;
    switch (sec) {
    case SEC_HOME:
        if (line) p->home.line = line;
        return &p->home;
    case SEC_STATE:
        if (line) p->state_line = line;
        return p;
    case SEC_TRUST:
        if (line) {
            p->has_trust = true;
            p->trust_line = line;
        }
        return p;
    case SEC_LEARN:
        if (line) p->has_learn = true;
        return p;
    case SEC_IMPORT:
        if (line) p->import_line = line;
        return p;
    case SEC_CLI:
        if (line) {
            p->has_cli = true;
            p->cli_line = line;
        }
        return p;
    case SEC_PARTNER: {
        party *pa = grow((void **)&p->partners, &p->n_partners, sizeof *pa);
        if (pa) pa->line = line;
        return pa;
    }
    case SEC_RULE: {
        rule *r = grow((void **)&p->rules, &p->n_rules, sizeof *r);
        if (r) r->line = line;
        return r;
    }
    case SEC_CHECK: {
        check_override *c = grow((void **)&p->overrides, &p->n_overrides, sizeof *c);
        if (c) c->line = line;
        return c;
    }
    case SEC_PROTECTED: {
        protected_sender *ps = grow((void **)&p->protected_senders, &p->n_protected, sizeof *ps);
        if (ps) ps->line = line;
        return ps;
    }
    default:
        return p;
    }
}

ssgw_policy *ssgw_policy_load_string(const char *name, const char *text, size_t len,
                                     ssgw_config_errors *errs)
{
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, name, errs);
    ssgw_policy *p = calloc(1, sizeof *p);
    if (!p || !(p->file = xstrdup(d.file))) {
        ssgw_config_errorf(&d, 0, 0, "out of memory");
        free(p);
        return NULL;
    }
    p->text_key = ssgw_sms_text_key(text, len);
    if (ssgw_cfg_read(&schema, p, text, len, &d) == 0 && !p->home.line)
        ssgw_config_errorf(&d, 0, 0,
                           "missing section [home] (the home network: mcc_mnc and gt_prefixes are "
                           "required)");
    if (d.count == 0 && compile(p, &d) < 0) ssgw_config_errorf(&d, 0, 0, "out of memory");
    if (d.count) {
        ssgw_policy_free(p);
        return NULL;
    }
    return p;
}

ssgw_policy *ssgw_policy_load_file(const char *path, ssgw_config_errors *errs)
{
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, path, errs);
    char *text;
    size_t len;
    if (ssgw_config_read_file(path, 64u << 20, &text, &len, &d) < 0) return NULL;
    ssgw_policy *p = ssgw_policy_load_string(path, text, len, errs);
    free(text);
    return p;
}

bool ssgw_policy_monitor(const ssgw_policy *p)
{
    return p->monitor;
}

ssgw_check_mode ssgw_policy_check_mode(const ssgw_policy *p, size_t i)
{
    return i < ssgw_check_count() ? p->checks[i].mode : SSGW_CHECK_OFF;
}

bool ssgw_policy_learning(const ssgw_policy *p)
{
    for (size_t i = 0; i < ssgw_check_count(); i++)
        if (p->checks[i].mode == SSGW_CHECK_LEARN) return true;
    return false;
}

const ssgw_state_config *ssgw_policy_state(const ssgw_policy *p)
{
    return &p->state;
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
    print_list(out, "msisdn", &p->home.msisdn);
    fprintf(out, "partners: %zu", p->n_partners);
    if (p->n_imported) fprintf(out, " (%zu written here, %zu imported)", p->n_hand, p->n_imported);
    fputc('\n', out);
    for (size_t i = 0; i < p->n_partners; i++) {
        const party *pa = &p->partners[i];
        if (pa->file) { /* imported: one line each, hundreds of them */
            fprintf(out, "  %s (%s) %s:%d: %zu GT prefixes, %zu MCC-MNC, %zu point codes\n",
                    pa->name, pa->country[0] ? pa->country : "--", pa->file, pa->line, pa->gt.n,
                    pa->mccmnc.n, pa->pc.n);
            continue;
        }
        fprintf(out, "  %s (%s)\n", pa->name, pa->country[0] ? pa->country : "--");
        print_party(out, pa);
        print_list(out, "msisdn", &pa->msisdn);
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
                ssgw_check_mode_name(p->checks[i].mode), ssgw_action_name(p->checks[i].action), ab);
    }
    if (ssgw_policy_learning(p))
        fprintf(out, "learn: %lld s, proposal to %s, rates at the %s percentile\n", p->learn_period,
                p->learn_output ? p->learn_output : "(not set)",
                p->learn_pct_s ? p->learn_pct_s : "99.9");
    fprintf(out,
            "state: %lld subscribers, %lld dialogues (timeout %lld s), %lld marks, %lld "
            "buckets\n",
            p->st_subscribers, p->st_dialogues, p->dialogue_timeout, p->st_marks, p->st_buckets);
    if (p->state.backend == SSGW_STATE_REDIS) {
        fprintf(out, "  backend redis%s: ", p->state.tls ? " (TLS)" : "");
        for (size_t i = 0; i < p->state.n_nodes; i++) {
            const char *h = p->state.nodes[i].host;
            bool v6 = strchr(h, ':') != NULL;
            fprintf(out, "%s%s%s%s:%u", i ? ", " : "", v6 ? "[" : "", h, v6 ? "]" : "",
                    (unsigned)p->state.nodes[i].port);
        }
        fprintf(out, "; fail %s, pending writes %zu\n",
                p->state.fail == SSGW_STATE_FAIL_CLOSED ? "closed" : "local",
                p->state.pending_writes);
    }
    const ssgw_policy_trust *t = &p->trust;
    if (!t->present) {
        fprintf(out, "trust: off (no [trust] section: messages are neither signed nor verified)\n");
        return;
    }
    fprintf(out,
            "trust: sign %s (%s), inbound %s, window %lld s, replay cache %zu (%u%% per "
            "operator)\n",
            ssgw_trust_sign_to_name(t->sign), ssgw_token_mode_name(t->mode),
            ssgw_trust_mode_name(t->policy.mode), (long long)t->cfg.window_s, t->cfg.replay_entries,
            t->cfg.replay_share);
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
