/*
 * gw_config.c - the gateway's configuration file: one [gateway] table and a
 * [[link]] table per association, declared once in the option table below
 * (section, key, type, bounds, default, help, where the value goes) and read
 * by the shared option mechanism (include/ssgw/cfg.h) over the project's one
 * TOML reader (include/ssgw/toml.h). Unknown sections and keys, wrong types,
 * values out of bounds and missing required keys are errors naming
 * "FILE:LINE:COL: error: [section] key: VALUE: what is allowed"; the rules
 * that involve several keys of a link (listen or connect, sctp-udp needs
 * remote_udp_port, unique names and addresses) are checked when the link's
 * table ends. docs/operations.md carries the key tables generated from this
 * one (tools/config_docs; ctest docs.config_tables fails when they differ).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/cfg.h"
#include "ssgw/gateway.h"
#include "ssgw/log.h"

/* ---- the gateway's own types -------------------------------------------------------- */

static int link_name_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why,
                           size_t cap)
{
    if (ssgw_cfg_string_buf.check(o, v, why, cap) < 0) return -1;
    for (const char *p = v->s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.') {
            snprintf(why, cap, "allowed are letters, digits, '-', '_', '.'");
            return -1;
        }
    return 0;
}

static int buf_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    return ssgw_cfg_string_buf.store(o, v, field);
}

static const ssgw_cfg_type link_name = {.name = "string",
                                        .value = SSGW_TOML_STRING,
                                        .allowed = "1-31 letters, digits, '-', '_', '.'",
                                        .check = link_name_check,
                                        .store = buf_store};

static int log_target_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why,
                            size_t cap)
{
    if (ssgw_cfg_string_buf.check(o, v, why, cap) < 0) return -1;
    return ssgw_log_target_check(v->s, why, cap);
}

static const ssgw_cfg_type log_target = {
    .name = "string",
    .value = SSGW_TOML_STRING,
    .allowed = "auto, stderr, journald, syslog, syslog:/PATH, syslog:HOST:PORT",
    .check = log_target_check,
    .store = buf_store};

/*
 * The link's lists are fixed arrays with a count beside them: the option's
 * offset is the array's, its arg says where the count is (and the items' bound).
 */
typedef struct {
    long long max; /* integer items: 0..max */
    size_t count;  /* offset of the size_t count in the link */
    size_t item;   /* string items: the size of each item's buffer (NUL included) */
} fixed_list;

static size_t *list_count(const ssgw_cfg_option *o, void *field)
{
    return (size_t *)(void *)((char *)field - o->offset + ((const fixed_list *)o->arg)->count);
}

static int u32_item_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    long long max = ((const fixed_list *)o->arg)->max;
    if (v->i >= 0 && v->i <= max) return 0;
    snprintf(why, cap, "must be between 0 and %lld", max);
    return -1;
}

static int u32_list_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    uint32_t *a = field;
    for (size_t i = 0; i < v->n; i++)
        a[i] = (uint32_t)v->items[i].i;
    *list_count(o, field) = v->n;
    return 0;
}

static const ssgw_cfg_type rc_list = {.name = "array of integers",
                                      .value = SSGW_TOML_INT,
                                      .list = true,
                                      .allowed = "0 .. 4294967295",
                                      .check = u32_item_check,
                                      .store = u32_list_store};
static const ssgw_cfg_type dpc_list = {.name = "array of point codes",
                                       .value = SSGW_TOML_INT,
                                       .list = true,
                                       .allowed = "0 .. 16777215",
                                       .check = u32_item_check,
                                       .store = u32_list_store};
static const fixed_list uid_arg = {4294967294LL, offsetof(ssgw_gw_config, n_status_uids), 0};
static const fixed_list rc_arg = {4294967295LL, offsetof(ssgw_gw_link_config, n_rc), 0},
                        dpc_arg = {16777215, offsetof(ssgw_gw_link_config, n_dpc), 0},
                        rkm_dpc_arg = {16777215, offsetof(ssgw_gw_link_config, n_rkm_dpc), 0},
                        gt_arg = {0, offsetof(ssgw_gw_link_config, n_gt), SSGW_GW_GT_LEN};

/* String items, each into a buffer of arg->item bytes (the item check made sure it fits). */
static int string_list_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    size_t item = ((const fixed_list *)o->arg)->item;
    for (size_t i = 0; i < v->n; i++)
        snprintf((char *)field + i * item, item, "%s", v->items[i].s);
    *list_count(o, field) = v->n;
    return 0;
}

static int gt_item_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    size_t n = strlen(v->s);
    bool ok = n > 0 && n < SSGW_GW_GT_LEN;
    for (const char *p = v->s; ok && *p; p++)
        ok = isdigit((unsigned char)*p);
    if (ok) return 0;
    snprintf(why, cap, "expected a string of 1..%d digits", SSGW_GW_GT_LEN - 1);
    return -1;
}

static const ssgw_cfg_type gt_list = {.name = "array of digit strings",
                                      .value = SSGW_TOML_STRING,
                                      .list = true,
                                      .allowed = "1-23 digits",
                                      .check = gt_item_check,
                                      .store = string_list_store};

/* ---- certificate names (`client_names`) ----------------------------------------------- */

static int cert_name_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why,
                           size_t cap)
{
    (void)o;
    size_t n = strlen(v->s);
    bool ok = n > 0 && n < SSGW_GW_CERT_NAME_LEN;
    for (const char *p = v->s; ok && *p; p++)
        ok = (unsigned char)*p >= ' ' && *p != 0x7f;
    if (ok) return 0;
    snprintf(why, cap, "expected 1-%d characters without control characters",
             SSGW_GW_CERT_NAME_LEN - 1);
    return -1;
}

static const ssgw_cfg_type cert_name_list = {.name = "array of strings",
                                             .value = SSGW_TOML_STRING,
                                             .list = true,
                                             .allowed = "\"ops-1\", \"prometheus.example.net\"",
                                             .check = cert_name_check,
                                             .store = string_list_store};
static const fixed_list client_names_arg = {0, offsetof(ssgw_gw_http_config, n_client_names),
                                            SSGW_GW_CERT_NAME_LEN},
                        risk_names_arg = {0, offsetof(ssgw_gw_http_config, n_risk_client_names),
                                          SSGW_GW_CERT_NAME_LEN};

/* ---- address prefixes (`allow`) -------------------------------------------------------- */

/* An IPv4 or IPv6 literal: its family and octets (network order, IPv4 in the first 4). */
static int ip_parse(const char *s, int *family, uint8_t addr[16])
{
    memset(addr, 0, 16);
    if (inet_pton(AF_INET, s, addr) == 1)
        *family = AF_INET;
    else if (inet_pton(AF_INET6, s, addr) == 1)
        *family = AF_INET6;
    else
        return -1;
    return 0;
}

/* "192.0.2.10", "10.0.0.0/8", "2001:db8::/32", "::1" */
static int prefix_parse(const char *s, ssgw_gw_prefix *out)
{
    char a[64];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n == 0 || n >= sizeof a) return -1;
    memcpy(a, s, n);
    a[n] = '\0';
    memset(out, 0, sizeof *out);
    if (ip_parse(a, &out->family, out->addr) < 0) return -1;
    int max = out->family == AF_INET ? 32 : 128;
    long plen = max;
    if (slash) {
        char *end;
        if (!isdigit((unsigned char)slash[1])) return -1;
        plen = strtol(slash + 1, &end, 10);
        if (*end || plen < 0 || plen > max) return -1;
    }
    out->prefix = (uint8_t)plen;
    return 0;
}

static int prefix_item_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why,
                             size_t cap)
{
    (void)o;
    ssgw_gw_prefix p;
    if (prefix_parse(v->s, &p) == 0) return 0;
    snprintf(why, cap, "expected an IPv4 or IPv6 address, optionally /prefix-length");
    return -1;
}

static int prefix_list_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    ssgw_gw_prefix *a = field;
    for (size_t i = 0; i < v->n; i++)
        prefix_parse(v->items[i].s, &a[i]);
    *list_count(o, field) = v->n;
    return 0;
}

static const ssgw_cfg_type prefix_list = {.name = "array of address prefixes",
                                          .value = SSGW_TOML_STRING,
                                          .list = true,
                                          .allowed = "\"192.0.2.1\", \"10.0.0.0/8\", "
                                                     "\"2001:db8::/32\"",
                                          .check = prefix_item_check,
                                          .store = prefix_list_store};
static const fixed_list allow_arg = {0, offsetof(ssgw_gw_link_config, n_allow), 0};

/* ---- addresses of a multi-homed SCTP association --------------------------------------- */

static int ip_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    int family;
    uint8_t a[16];
    if (strlen(v->s) < SSGW_GW_ADDR_LEN && ip_parse(v->s, &family, a) == 0) return 0;
    snprintf(why, cap, "expected an IPv4 or IPv6 address (a literal, no port)");
    return -1;
}

static const ssgw_cfg_type ip_addr = {.name = "string",
                                      .value = SSGW_TOML_STRING,
                                      .allowed = "an IPv4 or IPv6 address",
                                      .check = ip_check,
                                      .store = buf_store};
static const ssgw_cfg_type ip_list = {.name = "array of addresses",
                                      .value = SSGW_TOML_STRING,
                                      .list = true,
                                      .allowed = "an IPv4 or IPv6 address",
                                      .check = ip_check,
                                      .store = string_list_store};
static const fixed_list local_addrs_arg = {0, offsetof(ssgw_gw_link_config, n_local_addrs),
                                           SSGW_GW_ADDR_LEN},
                        remote_addrs_arg = {0, offsetof(ssgw_gw_link_config, n_remote_addrs),
                                            SSGW_GW_ADDR_LEN};

/* ---- a setter for two keys that fill the same fields ---------------------------------- */

/* listen = / connect = "address:port" */
static int set_endpoint(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *base, char *why,
                        size_t cap)
{
    ssgw_gw_link_config *lk = base;
    if (ssgw_addr_port_parse(v->s, lk->host, sizeof lk->host, &lk->port) < 0)
        return snprintf(why, cap, "not an address"), -1; /* not reached: the type checked it */
    lk->listen = !strcmp(o->key, "listen");
    return 0;
}

/* ---- Diameter: identities, realm lists, peer endpoints -------------------------------- */

/* A DiameterIdentity or realm (RFC 6733 4.3.1: an FQDN): letters, digits, '-', '.'. */
static int diam_id_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    size_t n = strlen(v->s);
    bool ok = n > 0 && n < SSGW_GW_DIAM_ID_LEN && v->s[0] != '.' && v->s[n - 1] != '.';
    for (const char *p = v->s; ok && *p; p++)
        ok = isalnum((unsigned char)*p) || *p == '-' || *p == '.';
    (void)o;
    if (ok) return 0;
    snprintf(why, cap, "expected a host name or realm (letters, digits, '-', '.'; 1-%d characters)",
             SSGW_GW_DIAM_ID_LEN - 1);
    return -1;
}

static const ssgw_cfg_type diam_id = {.name = "string",
                                      .value = SSGW_TOML_STRING,
                                      .allowed = "a host name or realm, e.g. \"epc.mnc001.mcc234."
                                                 "3gppnetwork.org\"",
                                      .check = diam_id_check,
                                      .store = buf_store};

static int realm_list_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    char(*r)[SSGW_GW_DIAM_ID_LEN] = field;
    for (size_t i = 0; i < v->n; i++)
        snprintf(r[i], sizeof r[i], "%s", v->items[i].s);
    *list_count(o, field) = v->n;
    return 0;
}

static const ssgw_cfg_type realm_list = {.name = "array of realms",
                                         .value = SSGW_TOML_STRING,
                                         .list = true,
                                         .allowed = "host names or realms",
                                         .check = diam_id_check,
                                         .store = realm_list_store};
static const fixed_list drealm_arg = {0, offsetof(ssgw_gw_dpeer_config, n_realms),
                                      SSGW_GW_DIAM_ID_LEN},
                        dallow_arg = {0, offsetof(ssgw_gw_dpeer_config, n_allow), 0},
                        app_arg = {4294967295LL, offsetof(ssgw_gw_diam_config, n_apps), 0};

/* listen = / connect = of a [[diameter_peer]] */
static int set_dpeer_endpoint(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *base,
                              char *why, size_t cap)
{
    ssgw_gw_dpeer_config *dp = base;
    if (ssgw_addr_port_parse(v->s, dp->host, sizeof dp->host, &dp->port) < 0)
        return snprintf(why, cap, "not an address"), -1;
    dp->listen = !strcmp(o->key, "listen");
    return 0;
}

static int pow2_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    if (ssgw_cfg_int.check && ssgw_cfg_int.check(o, v, why, cap) < 0) return -1;
    if (v->i > 0 && (v->i & (v->i - 1)) == 0) return 0;
    snprintf(why, cap, "must be a power of two between %lld and %lld", o->min, o->max);
    return -1;
}

static const ssgw_cfg_type pow2_int = {.name = "integer",
                                       .value = SSGW_TOML_INT,
                                       .allowed = "a power of two",
                                       .check = pow2_check,
                                       .store = NULL};

static int pow2_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *base, char *why,
                      size_t cap)
{
    (void)why;
    (void)cap;
    ssgw_cfg_store_int((char *)base + o->offset, o->size, v->i);
    return 0;
}

/* ---- the option table ---------------------------------------------------------------- */

/* [http] listen = "ADDR:PORT" */
static int set_http_listen(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *base,
                           char *why, size_t cap)
{
    (void)o;
    ssgw_gw_http_config *h = base;
    if (ssgw_addr_port_parse(v->s, h->host, sizeof h->host, &h->port) < 0)
        return snprintf(why, cap, "not an address"), -1; /* not reached: the type checked it */
    h->enabled = true;
    return 0;
}

enum { SEC_GATEWAY, SEC_HTTP, SEC_LINK, SEC_DIAMETER, SEC_DPEER, SEC_COUNT };

static const ssgw_cfg_section sections[SEC_COUNT] = {
    {"gateway", false, "the process: status socket, capture, policy pipeline, timers"},
    {"http", false,
     "the HTTP surfaces (off without `listen`): `/metrics` (Prometheus), the management API "
     "`/api/v1/`, the dashboard `/`, the risk API `/interception-risk/v0/` (see \"HTTP: metrics, "
     "API, "
     "dashboard, risk API\")"},
    {"link", true,
     "one M3UA association, toward the inner side (our STPs) or the outer side (the "
     "interconnect)"},
    {"diameter", false,
     "the Diameter edge proxy: the gateway's own Diameter identity, timers and caps (needed "
     "with [[diameter_peer]])"},
    {"diameter_peer", true,
     "one Diameter peer connection (RFC 6733), toward the inner side (our HSS / DRA) or the "
     "outer side (a partner's DEA or an IPX)"},
};

#define GW(f)    SSGW_CFG_FIELD(ssgw_gw_config, f)
#define HTTP(f)  SSGW_CFG_FIELD(ssgw_gw_http_config, f)
#define DIAM(f)  SSGW_CFG_FIELD(ssgw_gw_diam_config, f)
#define DPEER(f) SSGW_CFG_FIELD(ssgw_gw_dpeer_config, f)
#define LINK(f)  SSGW_CFG_FIELD(ssgw_gw_link_config, f)
#define STR      &ssgw_cfg_string_buf
#define INT      &ssgw_cfg_int
#define BOOL     &ssgw_cfg_bool
#define ENUM     &ssgw_cfg_enum

static const int traffic_modes[] = {SSGW_M3UA_TMT_OVERRIDE, SSGW_M3UA_TMT_LOADSHARE};
static const int log_levels[] = {SSGW_LOG_ERR, SSGW_LOG_WARNING, SSGW_LOG_NOTICE, SSGW_LOG_INFO,
                                 SSGW_LOG_DEBUG};

static const ssgw_cfg_option options[] = {
    {"gateway", "status_socket", STR, 1, 107,
     .help = "unix socket answering one JSON status per "
             "connection (`ssgw status --socket`)",
     GW(status_socket)},
    {"gateway", "status_group", STR, 1, 31,
     .help = "the status socket is 0600 (root and the gateway's own user); with a group, 0660 and "
             "that group's members may read it too",
     GW(status_group)},
    {"gateway", "status_allow_uids", &rc_list, 0, SSGW_GW_MAX_UIDS,
     .help = "further user ids allowed to read the status (checked with SO_PEERCRED on every "
             "connection; others are refused and counted)",
     GW(status_uids), .arg = &uid_arg},
    {"gateway", "capture", STR, 1, 255,
     .help = "pcap (Ethernet/IPv4/SCTP) of every M3UA message (PPID 3) sent or received on outer "
             "links and every Diameter message (PPID 46) on outer Diameter peers; tshark decodes "
             "it",
     GW(capture)},
    {"gateway", "policy", STR, 1, 255,
     .help = "the firewall + trust configuration (the file `ssgw analyze`, `ssgw sign/verify` "
             "take: [policy] [home] [[partner]] [[rule]] [trust] ...; relative to this file). "
             "Without it the default hook runs (decode, drop malformed, forward)",
     GW(policy)},
    {"gateway", "events", STR, 1, 255,
     .help = "JSON lines, one per judged DATA message (needs `policy`; relative to this file)",
     GW(events)},
    {"gateway", "events_all", BOOL, .def = "false",
     .help = "false: only messages not simply allowed (drop/answer/alert/rate-limit, every trust "
             "outcome but ok) plus signed and verified ones; true: all",
     GW(events_all)},
    {"gateway", "report", STR, 1, 255,
     .help = "self-contained HTML report (include/ssgw/report.h) written at SIGTERM/SIGINT and on "
             "SIGUSR1 (needs `policy`; relative to this file)",
     GW(report)},
    {"gateway", "sctp_udp_port", INT, 1, 65535, .def = "9899",
     .help = "the process's UDP encapsulation port for `sctp-udp` links (RFC 6951)",
     GW(sctp_udp_port)},
    {"gateway", "beat_ms", INT, 0, 600000, .def = "0",
     .help = "send BEAT on every ACTIVE link this often (0 = never); BEAT from peers is always "
             "answered",
     GW(beat_ms)},
    {"gateway", "beat_loss", INT, 1, 100, .def = "3",
     .help = "with beat_ms: a link from which nothing was heard for this many BEAT periods is "
             "declared dead and closed (a peer that died without closing, seconds not minutes)",
     GW(beat_loss)},
    {"gateway", "reconnect_ms", INT, 10, 600000, .def = "1000",
     .help = "retry interval of `connect` links", GW(reconnect_ms)},
    {"gateway", "ack_timeout_ms", INT, 10, 600000, .def = "2000",
     .help = "retransmission of ASPUP / ASPAC while waiting for the ack", GW(ack_timeout_ms)},
    {"gateway", "drop_malformed", BOOL, .def = "true",
     .help = "DATA whose SCCP/TCAP/MAP does not decode is dropped (`malformed.<layer>`); false: "
             "forwarded with an alert",
     GW(drop_malformed)},
    {"gateway", "workers", INT, 0, 16, .def = "0",
     .help = "inspection threads besides the event loop's thread (see \"Inspection threads\"); 0 = "
             "inspect on the loop's thread. Changing it needs a restart",
     GW(workers)},
    {"gateway", "instance", &link_name, 1, 31,
     .help = "this gateway's name in logs, events and metrics (default: the file's name without "
             "directory and extension: /etc/ssgw/albion.toml is \"albion\")",
     GW(instance)},
    {"gateway", "log", &log_target, 1, 127, .def = "\"auto\"",
     .help = "where log messages go: `auto` = the journal when systemd connected stderr to it, "
             "else stderr; `syslog` = RFC 5424 to /dev/log (docs/operations.md \"Logs\"). "
             "`ssgw run --log` overrides it",
     GW(log)},
    {"gateway", "log_level", ENUM, .def = "\"info\"", .allowed = "err|warning|notice|info|debug",
     .help = "the least severe messages written (syslog severities). `ssgw run --log-level` "
             "overrides it",
     GW(log_level), .arg = log_levels},

    {"http", "listen", &ssgw_cfg_addr_port,
     .help = "address and port of the HTTP server (numeric; e.g. \"127.0.0.1:9100\"); unset = "
             "no HTTP at all",
     .set = set_http_listen},
    {"http", "tls_cert", STR, 1, 511,
     .help = "PEM certificate chain, the server's first: serve HTTPS, TLS 1.2/1.3 (needs "
             "`tls_key`; relative to this file). Checked at start-up: an expired or unordered "
             "chain is an error",
     HTTP(tls_cert)},
    {"http", "tls_key", STR, 1, 511,
     .help = "PEM private key of `tls_cert`, unencrypted, mode 0600 or 0640 (access for others "
             "or write for the group is refused; relative to this file)",
     HTTP(tls_key)},
    {"http", "tokens", STR, 1, 511,
     .help = "management API clients, one \"NAME TOKEN\" per line, mode 0600 (relative to this "
             "file); unset = the API answers 404. Re-read on SIGHUP",
     HTTP(tokens)},
    {"http", "metrics_auth", BOOL, .def = "false",
     .help = "`/metrics` needs a management credential too (a token of `tokens` or a client "
             "certificate of `client_names`; false: open to whoever reaches `listen`)",
     HTTP(metrics_auth)},
    {"http", "client_ca", STR, 1, 511,
     .help = "PEM file of the CAs whose client certificates may authenticate to the management "
             "API (mutual TLS; needs `tls_cert` and `client_names`; relative to this file). The "
             "server then asks every client for a certificate; one without can still use a token. "
             "Set, moved or removed only with a restart",
     HTTP(client_ca)},
    {"http", "client_names", &cert_name_list, 0, SSGW_GW_MAX_CERT_NAMES,
     .help = "the management API's certificate clients: a certificate issued by `client_ca` is "
             "accepted when its subject CN, or a DNS, e-mail or URI subjectAltName, is exactly "
             "one of these. Re-read on SIGHUP",
     HTTP(client_names), .arg = &client_names_arg},
    {"http", "client_crl", STR, 1, 511,
     .help = "PEM file of CRLs of `client_ca` (each signed by one of its CAs, not past its "
             "nextUpdate; relative to this file): revoked certificates get 401. Re-read on "
             "SIGHUP",
     HTTP(client_crl)},
    {"http", "risk_tokens", STR, 1, 511,
     .help = "risk API clients (banks, mobile-money providers), one \"NAME TOKEN\" per line, "
             "mode 0600, separate from `tokens`; unset = the risk API answers 404",
     HTTP(risk_tokens)},
    {"http", "risk_client_ca", STR, 1, 511,
     .help = "PEM file of the CAs whose client certificates may use the risk API (needs "
             "`tls_cert` and `risk_client_names`; relative to this file). Separate from "
             "`client_ca`: a management certificate opens the risk API only if this CA issued it "
             "and its name is in `risk_client_names`",
     HTTP(risk_client_ca)},
    {"http", "risk_client_names", &cert_name_list, 0, SSGW_GW_MAX_CERT_NAMES,
     .help = "the risk API's certificate clients (matched as `client_names`); the name is the "
             "client of rate limits and audit lines. Re-read on SIGHUP",
     HTTP(risk_client_names), .arg = &risk_names_arg},
    {"http", "risk_client_crl", STR, 1, 511,
     .help = "PEM file of CRLs of `risk_client_ca`. Re-read on SIGHUP", HTTP(risk_client_crl)},
    {"http", "risk_rate", INT, 1, 100000, .def = "60",
     .help = "risk queries per client per minute (token bucket, burst = the same); over it: 429",
     HTTP(risk_rate)},
    {"http", "risk_max_age_hours", INT, 1, 2160, .def = "720",
     .help = "the largest `maxAge` (hours) a risk query may ask for", HTTP(risk_max_age_h)},
    {"http", "risk_audit", STR, 1, 511,
     .help = "audit file: one JSON line per risk query (client, number, answer; appended, "
             "relative to this file); unset = the gateway's log",
     HTTP(risk_audit)},
    {"http", "max_connections", INT, 1, 10000, .def = "64",
     .help = "HTTP connections at once (16 per client address at most)", HTTP(max_connections)},
    {"http", "timeout_s", INT, 1, 3600, .def = "30",
     .help = "an HTTP connection idle this long is closed (event streams send a comment every "
             "15 s)",
     HTTP(timeout_s)},

    {"link", "name", &link_name, 1, 31, .help = "unique; used in logs, status and errors",
     LINK(name), .flags = SSGW_CFG_REQUIRED},
    {"link", "side", ENUM, .allowed = "inner|outer",
     .help = "DATA from one side is routed to the other", LINK(side), .flags = SSGW_CFG_REQUIRED},
    {"link", "role", ENUM, .allowed = "asp|sg|ipsp",
     .help = "what the gateway is on this association (RFC 4666 4.3)", LINK(role),
     .flags = SSGW_CFG_REQUIRED},
    {"link", "transport", ENUM, .def = "\"tcp\"", .allowed = "tcp|sctp-udp|sctp",
     .help = "M3UA over TCP; SCTP over UDP (RFC 6951, libusrsctp); kernel SCTP (lksctp)",
     LINK(transport)},
    {"link", "listen", &ssgw_cfg_addr_port,
     .help = "accept one association on this address (a link has `listen` or `connect`)",
     .set = set_endpoint},
    {"link", "connect", &ssgw_cfg_addr_port,
     .help = "connect (and reconnect) to this address (a link has `listen` or `connect`)",
     .set = set_endpoint},
    {"link", "remote_udp_port", INT, 1, 65535,
     .help = "the peer's UDP encapsulation port (required for `sctp-udp` with `connect`)",
     LINK(remote_udp_port)},
    {"link", "routing_contexts", &rc_list, 0, SSGW_GW_MAX_RC,
     .help = "the link's AS; the first one is written into DATA/SSNM sent on it, ASPAC carries "
             "them",
     LINK(rc), .arg = &rc_arg},
    {"link", "dpc", &dpc_list, 0, SSGW_GW_MAX_PC,
     .help = "destination point codes routed to this link", LINK(dpc), .arg = &dpc_arg},
    {"link", "gt_prefixes", &gt_list, 0, SSGW_GW_MAX_GT,
     .help = "called-party GT prefixes routed to this link", LINK(gt), .arg = &gt_arg},
    {"link", "default_route", BOOL, .def = "false",
     .help = "take what no GT prefix / DPC claims (a link without `dpc` and `gt_prefixes` is a "
             "default link anyway)",
     LINK(is_default)},
    {"link", "traffic_mode", ENUM, .def = "\"override\"", .allowed = "override|loadshare",
     .help = "sent in ASPAC; among several candidate links: the first ACTIVE one, or by SLS",
     LINK(traffic_mode), .arg = traffic_modes},
    {"link", "asp_id", INT, 0, 4294967295LL,
     .help = "ASP Identifier sent in ASPUP / ASPUP_ACK (none when unset)", LINK(asp_id)},
    {"link", "queue_bytes", INT, 4096, 64 * 1024 * 1024, .def = "1048576",
     .help = "outgoing queue cap: when full, the sources stop being read (back pressure)",
     LINK(queue_bytes)},
    {"link", "streams", INT, 1, 64, .def = "16", .help = "outbound SCTP streams requested",
     LINK(streams)},
    {"link", "sctp_hb_interval_ms", INT, 100, 600000, .def = "5000",
     .help = "SCTP (sctp-udp, sctp): HEARTBEAT interval on an idle path (RFC 9260 8.3)",
     LINK(sctp_hb_interval_ms)},
    {"link", "sctp_rto_max_ms", INT, 100, 600000, .def = "2000",
     .help = "SCTP: the retransmission timeout's ceiling (RFC 9260 6.3; its default, 60 s, "
             "takes minutes to notice a dead peer)",
     LINK(sctp_rto_max_ms)},
    {"link", "sctp_max_retrans", INT, 1, 100, .def = "4",
     .help = "SCTP: retransmissions before the association is aborted (Association.Max.Retrans)",
     LINK(sctp_max_retrans)},
    {"link", "sctp_path_max_retrans", INT, 1, 100,
     .help = "SCTP: retransmissions or unanswered HEARTBEATs on one path before it is inactive "
             "and traffic takes another path of a multi-homed association (Path.Max.Retrans); "
             "lower than `sctp_max_retrans`, so a path fails before the association does "
             "(default 2, or `sctp_max_retrans` - 1 when that is lower)",
     LINK(sctp_path_max_retrans)},
    {"link", "local_address", &ip_addr,
     .help = "SCTP, `connect` links: the association's first local address, bound before "
             "connecting (default: the system's choice)",
     LINK(local_address)},
    {"link", "local_addresses", &ip_list, 0, SSGW_GW_MAX_ADDRS,
     .help = "SCTP multi-homing: further local addresses the association binds besides the first "
             "(`listen`'s, or `local_address` on a `connect` link), on the same port; the peer "
             "learns them from INIT / INIT ACK and uses them as further paths",
     LINK(local_addrs), .arg = &local_addrs_arg},
    {"link", "remote_addresses", &ip_list, 0, SSGW_GW_MAX_ADDRS,
     .help = "SCTP multi-homing, `connect` links: the peer's further addresses; the association "
             "is set up toward all of them (sctp_connectx), `connect`'s first. A `listen` link "
             "learns the peer's addresses from its INIT",
     LINK(remote_addrs), .arg = &remote_addrs_arg},
    {"link", "primary", &ip_addr,
     .help = "SCTP: the peer address used as the primary path once the association is up "
             "(default: `connect`'s address, or the one the peer's INIT came from); traffic "
             "takes another path only while the primary is inactive",
     LINK(primary)},
    {"link", "allow", &prefix_list, 0, SSGW_GW_MAX_ALLOW,
     .help = "listening links: the peer addresses (or prefixes) that may hold this link; others "
             "are refused at once, counted and logged (empty: any)",
     LINK(allow), .arg = &allow_arg},
    {"link", "aspup_timeout_ms", INT, 0, 600000, .def = "5000",
     .help = "an association that has not reached ASP-UP this long after it was set up is closed "
             "(counted `admission.aspup_timeout`); 0 = no limit",
     LINK(aspup_timeout_ms)},
    {"link", "idle_timeout_ms", INT, 0, 86400000, .def = "0",
     .help = "close an association that delivered no complete M3UA message for this long (a peer "
             "trickling bytes, a dead one); use with BEAT (`beat_ms`); 0 = never",
     LINK(idle_timeout_ms)},
    {"link", "second_connection", ENUM, .def = "\"replace-unhealthy\"",
     .allowed = "replace-unhealthy|refuse",
     .help = "listening links, a new association while one exists: replace-unhealthy = refused "
             "while the first has reached ASP-UP, else it replaces it; refuse = always refused",
     LINK(second_connection)},
    {"link", "rkm", BOOL, .def = "false",
     .help = "role sg / ipsp: answer M3UA registration (REG REQ / DEREG REQ, RFC 4666 3.6): the "
             "ASP registers a routing key (a DPC, optionally its service indicators and OPCs) "
             "and gets its routing context; traffic for that DPC then routes to this link. "
             "Only the DPCs of `rkm_dpc` (others: \"permission denied\"); false: REG REQ "
             "gets ERR \"unsupported message class\"",
     LINK(rkm)},
    {"link", "rkm_dpc", &dpc_list, 0, SSGW_GW_MAX_PC,
     .help = "with `rkm`: the destination point codes an ASP on this link may register",
     LINK(rkm_dpc), .arg = &rkm_dpc_arg},
    {"link", "rkm_max_keys", INT, 1, SSGW_GW_MAX_RKEYS, .def = "4",
     .help = "with `rkm`: routing keys one association may hold (more: \"insufficient "
             "resources\"); keys end with the association",
     LINK(rkm_max_keys)},

    /* ---- Diameter ---- */
    {"diameter", "origin_host", &diam_id, 1, SSGW_GW_DIAM_ID_LEN - 1,
     .help = "the gateway's DiameterIdentity: Origin-Host of its CER/CEA, DWR/DWA, DPR/DPA and of "
             "the answers it builds; appended to relayed requests' Route-Record by the next hop",
     DIAM(origin_host), .flags = SSGW_CFG_REQUIRED},
    {"diameter", "origin_realm", &diam_id, 1, SSGW_GW_DIAM_ID_LEN - 1,
     .help = "the gateway's realm (Origin-Realm)", DIAM(origin_realm), .flags = SSGW_CFG_REQUIRED},
    {"diameter", "host_ip", STR, 1, 63, .def = "\"127.0.0.1\"",
     .help = "Host-IP-Address advertised in CER/CEA", DIAM(host_ip)},
    {"diameter", "product_name", STR, 1, 63, .def = "\"OpenSSGW\"",
     .help = "Product-Name advertised in CER/CEA", DIAM(product_name)},
    {"diameter", "vendor_id", INT, 0, 4294967295LL, .def = "0",
     .help = "Vendor-Id advertised in CER/CEA", DIAM(vendor_id)},
    {"diameter", "applications", &rc_list, 1, SSGW_GW_MAX_DIAM_APP, .def = "[16777251]",
     .help = "Auth-Application-Ids advertised and relayed (16777251 = S6a/S6d, sent as a "
             "Vendor-Specific-Application-Id of 3GPP); a peer with none of them in common is "
             "refused (DIAMETER_NO_COMMON_APPLICATION)",
     DIAM(apps), .arg = &app_arg},
    {"diameter", "watchdog_ms", INT, 100, 600000, .def = "30000",
     .help = "Tw (RFC 3539): a DWR after this long without traffic, the peer closed when a second "
             "Tw passes unanswered; RFC 3539 asks for at least 6000 (smaller values are for tests)",
     DIAM(watchdog_ms)},
    {"diameter", "cer_timeout_ms", INT, 10, 600000, .def = "10000",
     .help = "how long a CER (accepted connections), a CEA (our CER) or a DPA is waited for",
     DIAM(cer_timeout_ms)},
    {"diameter", "answer_timeout_ms", INT, 100, 3600000, .def = "30000",
     .help = "how long the answer to a relayed request is routed back (its hop-by-hop mapping is "
             "kept); later answers are dropped (`diameter.unknown_answer`)",
     DIAM(answer_timeout_ms)},
    {"diameter", "max_pending", &pow2_int, 16, 1048576, .def = "65536",
     .help = "relayed requests awaiting their answer; when full, requests get DIAMETER_TOO_BUSY",
     DIAM(max_pending), .set = pow2_store},
    {"diameter", "max_message", INT, 1024, 65536, .def = "65536",
     .help = "largest Diameter message accepted; a longer one closes a TCP connection (the "
             "stream cannot be resynchronised) or is answered DIAMETER_INVALID_MESSAGE_LENGTH",
     DIAM(max_message)},

    {"diameter_peer", "name", &link_name, 1, 31,
     .help = "unique among links and peers; used in logs, status and errors", DPEER(name),
     .flags = SSGW_CFG_REQUIRED},
    {"diameter_peer", "side", ENUM, .allowed = "inner|outer",
     .help = "requests from one side are routed to a peer of the other", DPEER(side),
     .flags = SSGW_CFG_REQUIRED},
    {"diameter_peer", "transport", ENUM, .def = "\"tcp\"", .allowed = "tcp|sctp-udp|sctp",
     .help = "Diameter over TCP; SCTP over UDP (RFC 6951, libusrsctp); kernel SCTP (PPID 46)",
     DPEER(transport)},
    {"diameter_peer", "listen", &ssgw_cfg_addr_port,
     .help = "accept one connection on this address (the peer sends the CER)",
     .set = set_dpeer_endpoint},
    {"diameter_peer", "connect", &ssgw_cfg_addr_port,
     .help = "connect (and reconnect) to this address and send the CER", .set = set_dpeer_endpoint},
    {"diameter_peer", "remote_udp_port", INT, 1, 65535,
     .help = "the peer's UDP encapsulation port (required for `sctp-udp` with `connect`)",
     DPEER(remote_udp_port)},
    {"diameter_peer", "peer_host", &diam_id, 1, SSGW_GW_DIAM_ID_LEN - 1,
     .help = "the Origin-Host the peer's CER/CEA must carry (else DIAMETER_UNKNOWN_PEER and the "
             "connection closes); unset: any",
     DPEER(peer_host)},
    {"diameter_peer", "peer_realm", &diam_id, 1, SSGW_GW_DIAM_ID_LEN - 1,
     .help = "the Origin-Realm the peer's CER/CEA must carry (else DIAMETER_UNKNOWN_PEER); unset: "
             "any",
     DPEER(peer_realm)},
    {"diameter_peer", "realms", &realm_list, 0, SSGW_GW_MAX_DREALMS,
     .help = "Destination-Realms routed to this peer (its own realm from the CER/CEA is routed "
             "to it anyway)",
     DPEER(realms), .arg = &drealm_arg},
    {"diameter_peer", "default_route", BOOL, .def = "false",
     .help = "takes the requests whose Destination-Realm no peer of its side claims",
     DPEER(is_default)},
    {"diameter_peer", "queue_bytes", INT, 4096, 64 * 1024 * 1024, .def = "1048576",
     .help = "outgoing queue cap: when full, the peers whose messages go here stop being read",
     DPEER(queue_bytes)},
    {"diameter_peer", "streams", INT, 1, 64, .def = "16", .help = "outbound SCTP streams requested",
     DPEER(streams)},
    {"diameter_peer", "allow", &prefix_list, 0, SSGW_GW_MAX_ALLOW,
     .help = "listening peers: the addresses (or prefixes) that may connect; others are refused "
             "at once (empty: any)",
     DPEER(allow), .arg = &dallow_arg},
};

/* ---- tables -------------------------------------------------------------------------- */

static void *gw_table(void *ctx, size_t sec, int line, ssgw_cfg_load *ld)
{
    ssgw_gw_config *cfg = ctx;
    if (sec == SEC_GATEWAY) return cfg;
    if (sec == SEC_HTTP) return &cfg->http;
    if (sec == SEC_DIAMETER) return &cfg->diameter;
    if (sec == SEC_DPEER) {
        if (cfg->n_dpeers >= SSGW_GW_MAX_DPEERS) {
            ssgw_config_errorf(ssgw_cfg_load_diag(ld), line, 1,
                               "more than %d [[diameter_peer]] tables", SSGW_GW_MAX_DPEERS);
            return NULL;
        }
        ssgw_gw_dpeer_config *dp = &cfg->dpeers[cfg->n_dpeers++];
        memset(dp, 0, sizeof *dp);
        dp->line = line;
        dp->side = SSGW_GW_SIDE_COUNT;
        return dp;
    }
    if (cfg->n_links >= SSGW_GW_MAX_LINKS) {
        ssgw_config_errorf(ssgw_cfg_load_diag(ld), line, 1, "more than %d [[link]] tables",
                           SSGW_GW_MAX_LINKS);
        return NULL;
    }
    ssgw_gw_link_config *lk = &cfg->links[cfg->n_links++];
    memset(lk, 0, sizeof *lk);
    lk->line = line;
    lk->side = SSGW_GW_SIDE_COUNT; /* required keys: no default */
    lk->role = SSGW_GW_ROLE_COUNT;
    return lk;
}

/* An address of the link at a key (0 when key is unset) that breaks a multi-homing rule. */
static void addr_error(ssgw_cfg_load *ld, const char *key, const char *addr, const char *nm,
                       const char *why)
{
    int col = 1, line = ssgw_cfg_load_key_line(ld, key, &col);
    ssgw_config_errorf(ssgw_cfg_load_diag(ld), line, col, "[link] %s: \"%s\": %s (link '%s')", key,
                       addr, why, nm);
}

/* Each address of list (n) after the first: one family with first, none twice. */
static void addr_set_rules(ssgw_cfg_load *ld, const char *key, const char *first_key,
                           const char *first, char (*list)[SSGW_GW_ADDR_LEN], size_t n,
                           const char *nm)
{
    int f0 = 0, f = 0;
    uint8_t a0[16] = {0}, seen[SSGW_GW_MAX_ADDRS][16], a[16] = {0};
    bool have_first = first[0] && ip_parse(first, &f0, a0) == 0;
    char why[160];
    for (size_t i = 0; i < n; i++) {
        ip_parse(list[i], &f, a);
        memcpy(seen[i], a, 16);
        bool twice = have_first && f == f0 && !memcmp(a, a0, 16);
        for (size_t k = 0; k < i; k++)
            twice |= !memcmp(seen[k], a, 16);
        if (have_first && f != f0) {
            snprintf(why, sizeof why,
                     "an %s address, but `%s` is %s (one association, one address family)",
                     f == AF_INET ? "IPv4" : "IPv6", first_key, f0 == AF_INET ? "IPv4" : "IPv6");
            addr_error(ld, key, list[i], nm, why);
        } else if (twice) {
            snprintf(why, sizeof why, "listed twice, or the same as `%s`", first_key);
            addr_error(ld, key, list[i], nm, why);
        }
    }
}

/* SCTP multi-homing keys and the path / association retransmission limits of one link. */
static void sctp_link_rules(ssgw_gw_link_config *lk, const char *nm, ssgw_cfg_load *ld)
{
    static const char *const sctp_only[] = {"local_address", "local_addresses", "remote_addresses",
                                            "primary"};
    /* a path is found dead before the association: fewer retransmissions (RFC 9260 8.2) */
    int col = 1, line = ssgw_cfg_load_key_line(ld, "sctp_path_max_retrans", &col);
    unsigned amr = lk->sctp_max_retrans, pmr = lk->sctp_path_max_retrans;
    if (!line)
        lk->sctp_path_max_retrans = amr > 3 ? 2 : amr > 1 ? amr - 1 : 1;
    else if (pmr >= amr && amr > 1)
        ssgw_config_errorf(ssgw_cfg_load_diag(ld), line, col,
                           "[link] sctp_path_max_retrans: %u: must be lower than "
                           "sctp_max_retrans (%u) of link '%s': a path must be found dead "
                           "before the whole association is",
                           pmr, amr, nm);
    else if (amr == 1 && pmr > 1)
        ssgw_config_errorf(ssgw_cfg_load_diag(ld), line, col,
                           "[link] sctp_path_max_retrans: %u: link '%s' has sctp_max_retrans = "
                           "1, so a path can have 1 at most",
                           pmr, nm);
    if (lk->transport == SSGW_GW_TRANSPORT_TCP) {
        for (size_t i = 0; i < sizeof sctp_only / sizeof sctp_only[0]; i++) {
            line = ssgw_cfg_load_key_line(ld, sctp_only[i], &col);
            if (line)
                ssgw_config_errorf(ssgw_cfg_load_diag(ld), line, col,
                                   "[link] %s: only for SCTP (transport = \"sctp-udp\" or "
                                   "\"sctp\"): link '%s' is 'tcp'",
                                   sctp_only[i], nm);
        }
        return;
    }
    int f = 0;
    uint8_t a[16] = {0};
    bool wildcard =
        lk->host[0] && ip_parse(lk->host, &f, a) == 0 && !memcmp(a, (uint8_t[16]){0}, 16);
    if (lk->listen) {
        if (lk->local_address[0])
            addr_error(ld, "local_address", lk->local_address, nm,
                       "a `listen` link's first local address is `listen`'s");
        if (lk->n_remote_addrs)
            addr_error(ld, "remote_addresses", lk->remote_addrs[0], nm,
                       "a `listen` link learns the peer's addresses from its INIT; "
                       "remote_addresses are for `connect` links");
        if (wildcard && lk->n_local_addrs)
            addr_error(ld, "local_addresses", lk->local_addrs[0], nm,
                       "`listen` is on the wildcard address, which binds every address already");
        addr_set_rules(ld, "local_addresses", "listen", lk->host, lk->local_addrs,
                       lk->n_local_addrs, nm);
    } else if (lk->host[0]) {
        if (lk->n_local_addrs && !lk->local_address[0])
            addr_error(ld, "local_addresses", lk->local_addrs[0], nm,
                       "a `connect` link with further local addresses needs its first one in "
                       "`local_address`");
        int fc = 0;
        if (lk->local_address[0] && ip_parse(lk->host, &fc, a) == 0 &&
            ip_parse(lk->local_address, &f, a) == 0 && f != fc)
            addr_error(ld, "local_address", lk->local_address, nm,
                       "not of the address family of `connect` (one association, one family)");
        addr_set_rules(ld, "local_addresses", "local_address", lk->local_address, lk->local_addrs,
                       lk->n_local_addrs, nm);
        addr_set_rules(ld, "remote_addresses", "connect", lk->host, lk->remote_addrs,
                       lk->n_remote_addrs, nm);
    }
    if (lk->primary[0]) {
        int fp = 0;
        uint8_t p[16] = {0};
        ip_parse(lk->primary, &fp, p);
        bool known = lk->listen && ip_parse(lk->host, &f, a) == 0 && f == fp;
        for (size_t i = 0; !lk->listen && i <= lk->n_remote_addrs; i++)
            known |= ip_parse(i ? lk->remote_addrs[i - 1] : lk->host, &f, a) == 0 && f == fp &&
                     !memcmp(a, p, 16);
        if (!known)
            addr_error(ld, "primary", lk->primary, nm,
                       lk->listen ? "not of the address family of `listen`"
                                  : "not one of the peer's addresses (`connect`, "
                                    "`remote_addresses`)");
    }
}

/* Is name already the name of a link or of another Diameter peer? Returns its line or 0. */
static int name_taken(const ssgw_gw_config *cfg, const char *name, const void *self)
{
    for (size_t i = 0; i < cfg->n_links; i++)
        if ((const void *)&cfg->links[i] != self && !strcmp(cfg->links[i].name, name))
            return cfg->links[i].line;
    for (size_t i = 0; i < cfg->n_dpeers; i++)
        if ((const void *)&cfg->dpeers[i] != self && !strcmp(cfg->dpeers[i].name, name))
            return cfg->dpeers[i].line;
    return 0;
}

/* The rules of one finished [[diameter_peer]] that involve several keys. */
static void dpeer_end(ssgw_gw_config *cfg, ssgw_gw_dpeer_config *dp, ssgw_cfg_load *ld)
{
    ssgw_config_diag *d = ssgw_cfg_load_diag(ld);
    const char *nm = dp->name[0] ? dp->name : "?";
    int name_col, listen = ssgw_cfg_load_key_line(ld, "listen", NULL),
                  connect = ssgw_cfg_load_key_line(ld, "connect", NULL),
                  name = ssgw_cfg_load_key_line(ld, "name", &name_col), other;
    if (name && dp->name[0] && (other = name_taken(cfg, dp->name, dp)) > 0)
        ssgw_config_errorf(d, name, name_col,
                           "[diameter_peer] name: \"%s\": already used by the table at line %d",
                           dp->name, other);
    if (!listen && !connect)
        ssgw_config_errorf(d, dp->line, 1,
                           "[[diameter_peer]] '%s': missing key 'listen' or 'connect' "
                           "(\"address:port\")",
                           nm);
    if (listen && connect)
        ssgw_config_errorf(d, connect, 1,
                           "[diameter_peer] connect: peer '%s' has both 'listen' (line %d) and "
                           "'connect': choose one",
                           nm, listen);
    if (connect && dp->transport == SSGW_GW_TRANSPORT_SCTP_UDP && !dp->remote_udp_port)
        ssgw_config_errorf(d, connect, 1,
                           "[[diameter_peer]] '%s': transport 'sctp-udp' with 'connect' needs "
                           "'remote_udp_port' (the peer's UDP encapsulation port)",
                           nm);
    if (dp->transport != SSGW_GW_TRANSPORT_SCTP_UDP && dp->remote_udp_port)
        ssgw_config_errorf(d, ssgw_cfg_load_key_line(ld, "remote_udp_port", NULL), 1,
                           "[diameter_peer] remote_udp_port: only for transport = \"sctp-udp\" "
                           "(peer '%s' is '%s')",
                           nm, ssgw_gw_transport_name(dp->transport));
    for (size_t i = 0; listen && dp->listen && i < cfg->n_links; i++) {
        const ssgw_gw_link_config *o = &cfg->links[i];
        if (o->listen && o->transport == dp->transport && o->port == dp->port &&
            !strcmp(o->host, dp->host))
            ssgw_config_errorf(d, listen, 1,
                               "[diameter_peer] listen: '%s:%u' of peer '%s' is already the "
                               "address of link '%s'",
                               dp->host, dp->port, nm, o->name);
    }
    for (size_t i = 0; listen && dp->listen && i + 1 < cfg->n_dpeers; i++) {
        const ssgw_gw_dpeer_config *o = &cfg->dpeers[i];
        if (o->listen && o->transport == dp->transport && o->port == dp->port &&
            !strcmp(o->host, dp->host))
            ssgw_config_errorf(d, listen, 1,
                               "[diameter_peer] listen: '%s:%u' of peer '%s' is already the "
                               "address of peer '%s'",
                               dp->host, dp->port, nm, o->name);
    }
}

/* The rules of one finished [[link]] that involve several keys. */
static void gw_table_end(void *ctx, size_t sec, void *base, ssgw_cfg_load *ld)
{
    ssgw_gw_config *cfg = ctx;
    ssgw_gw_link_config *lk = base;
    ssgw_config_diag *d = ssgw_cfg_load_diag(ld);
    if (sec == SEC_HTTP) {
        const ssgw_gw_http_config *h = base;
        int cert = ssgw_cfg_load_key_line(ld, "tls_cert", NULL),
            key = ssgw_cfg_load_key_line(ld, "tls_key", NULL);
        if (!cert != !key)
            ssgw_config_errorf(d, cert ? cert : key, 1,
                               "[http] %s: HTTPS needs both tls_cert and tls_key",
                               cert ? "tls_cert" : "tls_key");
        /* client certificates: TLS, and CA and names together (CRL only with a CA) */
        static const char *const mtls[2][3] = {
            {"client_ca", "client_names", "client_crl"},
            {"risk_client_ca", "risk_client_names", "risk_client_crl"}};
        for (int i = 0; i < 2; i++) {
            int ca = ssgw_cfg_load_key_line(ld, mtls[i][0], NULL),
                names = ssgw_cfg_load_key_line(ld, mtls[i][1], NULL),
                crl = ssgw_cfg_load_key_line(ld, mtls[i][2], NULL);
            size_t n = i ? h->n_risk_client_names : h->n_client_names;
            if (ca && !cert)
                ssgw_config_errorf(d, ca, 1,
                                   "[http] %s: client certificates come with TLS: set tls_cert "
                                   "and tls_key",
                                   mtls[i][0]);
            if (ca && !n)
                ssgw_config_errorf(d, names ? names : ca, 1,
                                   "[http] %s needs %s: the names (certificate CN or "
                                   "subjectAltName) allowed in",
                                   mtls[i][0], mtls[i][1]);
            if (!ca && (names || crl))
                ssgw_config_errorf(d, names ? names : crl, 1,
                                   "[http] %s: needs %s (the CAs that issue those certificates)",
                                   names ? mtls[i][1] : mtls[i][2], mtls[i][0]);
        }
        if (!h->enabled && ssgw_cfg_load_table_line(ld))
            ssgw_config_errorf(d, ssgw_cfg_load_table_line(ld), 1,
                               "[http] has no 'listen' (\"address:port\"): remove the section "
                               "or say where to listen");
        return;
    }
    if (sec == SEC_DIAMETER) {
        cfg->diameter.present = true;
        return;
    }
    if (sec == SEC_DPEER) {
        dpeer_end(cfg, base, ld);
        return;
    }
    if (sec != SEC_LINK) return;
    const char *nm = lk->name[0] ? lk->name : "?";
    int name_col, listen = ssgw_cfg_load_key_line(ld, "listen", NULL),
                  connect = ssgw_cfg_load_key_line(ld, "connect", NULL),
                  name = ssgw_cfg_load_key_line(ld, "name", &name_col);
    lk->has_asp_id = ssgw_cfg_load_key_line(ld, "asp_id", NULL) > 0;
    for (size_t i = 0; name && lk->name[0] && i + 1 < cfg->n_links; i++)
        if (!strcmp(cfg->links[i].name, lk->name))
            ssgw_config_errorf(d, name, name_col,
                               "[link] name: \"%s\": already used by the link at line %d", lk->name,
                               cfg->links[i].line);
    if (!listen && !connect)
        ssgw_config_errorf(d, lk->line, 1,
                           "[[link]] '%s': missing key 'listen' or 'connect' (\"address:port\")",
                           nm);
    if (listen && connect)
        ssgw_config_errorf(d, connect, 1,
                           "[link] connect: link '%s' has both 'listen' (line %d) and 'connect': "
                           "choose one",
                           nm, listen);
    if (connect && lk->transport == SSGW_GW_TRANSPORT_SCTP_UDP && !lk->remote_udp_port)
        ssgw_config_errorf(d, connect, 1,
                           "[[link]] '%s': transport 'sctp-udp' with 'connect' needs "
                           "'remote_udp_port' (the peer's UDP encapsulation port)",
                           nm);
    if (lk->transport != SSGW_GW_TRANSPORT_SCTP_UDP && lk->remote_udp_port)
        ssgw_config_errorf(d, ssgw_cfg_load_key_line(ld, "remote_udp_port", NULL), 1,
                           "[link] remote_udp_port: only for transport = \"sctp-udp\" (link '%s' "
                           "is '%s')",
                           nm, ssgw_gw_transport_name(lk->transport));
    sctp_link_rules(lk, nm, ld);
    int rkm = ssgw_cfg_load_key_line(ld, "rkm", NULL);
    if (lk->rkm && lk->role == SSGW_GW_ROLE_ASP)
        ssgw_config_errorf(d, rkm, 1,
                           "[link] rkm: link '%s' is an ASP; an ASP registers with an SG, the "
                           "gateway answers registrations only where it is the SG (role = \"sg\" "
                           "or \"ipsp\")",
                           nm);
    if (lk->rkm && !lk->n_rkm_dpc)
        ssgw_config_errorf(d, rkm, 1,
                           "[link] rkm: link '%s' needs 'rkm_dpc', the point codes its ASP may "
                           "register (none would refuse every key)",
                           nm);
    if (!lk->rkm && lk->n_rkm_dpc)
        ssgw_config_errorf(d, ssgw_cfg_load_key_line(ld, "rkm_dpc", NULL), 1,
                           "[link] rkm_dpc: only with rkm = true (link '%s')", nm);
    for (size_t i = 0; listen && lk->listen && i + 1 < cfg->n_links; i++) {
        const ssgw_gw_link_config *o = &cfg->links[i];
        if (o->listen && o->transport == lk->transport && o->port == lk->port &&
            !strcmp(o->host, lk->host))
            ssgw_config_errorf(d, listen, 1,
                               "[link] listen: '%s:%u' of link '%s' is already the address of "
                               "link '%s'",
                               lk->host, lk->port, nm, o->name);
    }
}

static const ssgw_cfg_schema schema = {
    .name = "gateway",
    .sections = sections,
    .n_sections = SEC_COUNT,
    .options = options,
    .n_options = sizeof options / sizeof options[0],
    .table = gw_table,
    .end = gw_table_end,
};

const ssgw_cfg_schema *ssgw_gw_config_schema(void)
{
    return &schema;
}

ssgw_gw_config *ssgw_gw_config_read(const char *name, const char *text, size_t len,
                                    ssgw_config_errors *errs)
{
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, name, errs);
    ssgw_gw_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg) {
        ssgw_config_errorf(&d, 0, 0, "out of memory");
        return NULL;
    }
    snprintf(cfg->path, sizeof cfg->path, "%s", d.file);
    ssgw_cfg_read(&schema, cfg, text, len, &d);
    if (d.count == 0) {
        bool have[SSGW_GW_SIDE_COUNT] = {false, false};
        bool dhave[SSGW_GW_SIDE_COUNT] = {false, false};
        for (size_t i = 0; i < cfg->n_links; i++)
            have[cfg->links[i].side] = true;
        for (size_t i = 0; i < cfg->n_dpeers; i++)
            dhave[cfg->dpeers[i].side] = true;
        if ((cfg->n_links || !cfg->n_dpeers) &&
            (!have[SSGW_GW_SIDE_INNER] || !have[SSGW_GW_SIDE_OUTER]))
            ssgw_config_errorf(&d, 0, 0,
                               "the gateway needs at least one [[link]] with side = \"%s\"",
                               have[SSGW_GW_SIDE_INNER] ? "outer" : "inner");
        if (cfg->n_dpeers && (!dhave[SSGW_GW_SIDE_INNER] || !dhave[SSGW_GW_SIDE_OUTER]))
            ssgw_config_errorf(&d, 0, 0,
                               "the Diameter proxy needs at least one [[diameter_peer]] with side "
                               "= \"%s\"",
                               dhave[SSGW_GW_SIDE_INNER] ? "outer" : "inner");
        if (cfg->n_dpeers && !cfg->diameter.present)
            ssgw_config_errorf(&d, cfg->dpeers[0].line, 1,
                               "[[diameter_peer]] needs a [diameter] table with origin_host and "
                               "origin_realm (the gateway's own Diameter identity)");
    }
    if (d.count) {
        free(cfg);
        return NULL;
    }
    return cfg;
}

ssgw_gw_config *ssgw_gw_config_parse(const char *name, const char *text, size_t len, char *err,
                                     size_t errlen)
{
    ssgw_config_errors *errs = calloc(1, sizeof *errs);
    if (!errs) {
        snprintf(err, errlen, "%s: error: out of memory", name);
        return NULL;
    }
    ssgw_gw_config *cfg = ssgw_gw_config_read(name, text, len, errs);
    if (!cfg) ssgw_config_errors_join(errs, name, err, errlen);
    free(errs);
    return cfg;
}

/* policy / events / report: a relative path is relative to the configuration file. */
static int resolve(const char *cfg_path, char *p, size_t cap)
{
    if (!p[0] || p[0] == '/') return 0;
    const char *slash = strrchr(cfg_path, '/');
    if (!slash) return 0;
    size_t dl = (size_t)(slash - cfg_path) + 1, pl = strlen(p);
    if (dl + pl + 1 > cap) return -1;
    memmove(p + dl, p, pl + 1);
    memcpy(p, cfg_path, dl);
    return 0;
}

/* The file's name without directory and extension, in the characters a name may have. */
static void default_instance(const char *path, char *out, size_t cap)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = 0;
    for (; *b && *b != '.' && n + 1 < cap; b++)
        out[n++] = isalnum((unsigned char)*b) || *b == '-' || *b == '_' ? *b : '_';
    out[n] = '\0';
    if (!n) snprintf(out, cap, "ssgw");
}

ssgw_gw_config *ssgw_gw_config_load(const char *path, char *err, size_t errlen)
{
    ssgw_config_errors *errs = calloc(1, sizeof *errs);
    if (!errs) {
        snprintf(err, errlen, "%s: error: out of memory", path);
        return NULL;
    }
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, path, errs);
    char *text;
    size_t len;
    ssgw_gw_config *cfg = NULL;
    if (ssgw_config_read_file(path, 1u << 20, &text, &len, &d) == 0) {
        cfg = ssgw_gw_config_read(path, text, len, errs);
        free(text);
    }
    if (!cfg) ssgw_config_errors_join(errs, path, err, errlen);
    free(errs);
    ssgw_gw_http_config *h = cfg ? &cfg->http : NULL;
    if (cfg && (resolve(path, cfg->policy, sizeof cfg->policy) < 0 ||
                resolve(path, cfg->events, sizeof cfg->events) < 0 ||
                resolve(path, cfg->report, sizeof cfg->report) < 0 ||
                resolve(path, h->tls_cert, sizeof h->tls_cert) < 0 ||
                resolve(path, h->tls_key, sizeof h->tls_key) < 0 ||
                resolve(path, h->tokens, sizeof h->tokens) < 0 ||
                resolve(path, h->client_ca, sizeof h->client_ca) < 0 ||
                resolve(path, h->client_crl, sizeof h->client_crl) < 0 ||
                resolve(path, h->risk_client_ca, sizeof h->risk_client_ca) < 0 ||
                resolve(path, h->risk_client_crl, sizeof h->risk_client_crl) < 0 ||
                resolve(path, h->risk_tokens, sizeof h->risk_tokens) < 0 ||
                resolve(path, h->risk_audit, sizeof h->risk_audit) < 0)) {
        snprintf(err, errlen, "%s: error: a path relative to the file is too long", path);
        free(cfg);
        return NULL;
    }
    if (cfg && !cfg->instance[0]) default_instance(path, cfg->instance, sizeof cfg->instance);
    return cfg;
}

/* ---- names ------------------------------------------------------------------------ */

static const char *const side_names[] = {"inner", "outer"};
static const char *const transport_names[] = {"tcp", "sctp-udp", "sctp"};
static const char *const role_names[] = {"asp", "sg", "ipsp"};
static const char *const verdict_names[] = {"forward", "forward-modified", "answer", "drop"};

const char *ssgw_gw_side_name(ssgw_gw_side s)
{
    return (unsigned)s < SSGW_GW_SIDE_COUNT ? side_names[s] : "unknown";
}
const char *ssgw_gw_transport_name(ssgw_gw_transport t)
{
    return (unsigned)t < SSGW_GW_TRANSPORT_COUNT ? transport_names[t] : "unknown";
}
const char *ssgw_gw_role_name(ssgw_gw_role r)
{
    return (unsigned)r < SSGW_GW_ROLE_COUNT ? role_names[r] : "unknown";
}
const char *ssgw_gw_verdict_name(ssgw_gw_verdict v)
{
    return (unsigned)v < SSGW_GW_VERDICT_COUNT ? verdict_names[v] : "unknown";
}

static int find_name(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], s)) return i;
    return -1;
}
int ssgw_gw_side_parse(const char *s)
{
    return find_name(side_names, SSGW_GW_SIDE_COUNT, s);
}
int ssgw_gw_transport_parse(const char *s)
{
    return find_name(transport_names, SSGW_GW_TRANSPORT_COUNT, s);
}
int ssgw_gw_role_parse(const char *s)
{
    return find_name(role_names, SSGW_GW_ROLE_COUNT, s);
}
