/*
 * gateway.h - the live gateway (`ssgw run`): an inline M3UA proxy between the
 * inner side (our STPs / core, "inner") and the interconnect ("outer").
 *
 * The gateway terminates M3UA on every link (RFC 4666): toward each side it is
 * the peer that side expects (ASP toward an SG, SG toward an ASP, or IPSP), with
 * the ASP state machine declared as a table (src/gateway/asp_fsm.c). Every DATA
 * message that arrives on an ACTIVE link goes through ONE inspection call, the
 * hook below, whose action decides what happens: forward the bytes unchanged,
 * forward other bytes (token stripped/added, UDT->XUDT), answer on the arrival
 * link (TCAP abort, MAP error, UDTS), or drop; each outcome is counted under
 * the reason the hook names. The gateway then routes DATA to one link of the
 * other side (routing context / DPC / called GT prefix; override or loadshare
 * by SLS) and queues it there; a full queue stops reading on the source (back
 * pressure), it never drops silently.
 *
 * Nothing on the forward path allocates: messages are copied once into the
 * destination's bounded queue and written in batches after each loop turn.
 *
 * The same gateway is a Diameter edge agent (RFC 6733 proxy) for S6a/S6d: each
 * [[diameter_peer]] is one Diameter connection on either side, with the peer state
 * machine of RFC 6733 5.6 (include/ssgw/diam_fsm.h), routing by Destination-Host /
 * -Realm, hop-by-hop mapping, Route-Record, and its own hook and counters (the
 * "Diameter" block at the end of this file).
 *
 * Configuration keys, signals, start-up errors and counters: docs/operations.md.
 */
#ifndef SSGW_GATEWAY_H
#define SSGW_GATEWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/cfg.h"
#include "ssgw/evloop.h"
#include "ssgw/json.h"
#include "ssgw/m3ua.h"
#include "ssgw/view.h"

/* ---- vocabulary ------------------------------------------------------------------- */

typedef enum { SSGW_GW_SIDE_INNER = 0, SSGW_GW_SIDE_OUTER, SSGW_GW_SIDE_COUNT } ssgw_gw_side;
typedef enum {
    SSGW_GW_TRANSPORT_TCP = 0,  /* M3UA over TCP, framed by the M3UA length */
    SSGW_GW_TRANSPORT_SCTP_UDP, /* SCTP over UDP (RFC 6951) with libusrsctp */
    SSGW_GW_TRANSPORT_SCTP,     /* kernel SCTP (lksctp) */
    SSGW_GW_TRANSPORT_COUNT
} ssgw_gw_transport;
typedef enum {
    SSGW_GW_ROLE_ASP = 0, /* we are the ASP: we send ASPUP/ASPAC to an SG */
    SSGW_GW_ROLE_SG,      /* we are the SG(P): we answer an ASP */
    SSGW_GW_ROLE_IPSP,    /* IPSP: either, single exchange initiated by the connecting side */
    SSGW_GW_ROLE_COUNT
} ssgw_gw_role;

/* "inner"/"outer", "tcp"/"sctp-udp"/"sctp", "asp"/"sg"/"ipsp"; parse returns -1 when unknown. */
const char *ssgw_gw_side_name(ssgw_gw_side s);
const char *ssgw_gw_transport_name(ssgw_gw_transport t);
const char *ssgw_gw_role_name(ssgw_gw_role r);
int ssgw_gw_side_parse(const char *s);
int ssgw_gw_transport_parse(const char *s);
int ssgw_gw_role_parse(const char *s);

/* ---- the inspection hook ---------------------------------------------------------- */

typedef enum {
    SSGW_GW_FORWARD = 0,      /* the original bytes go on */
    SSGW_GW_FORWARD_MODIFIED, /* act->out[0..out_len) (a whole M3UA DATA message) goes on */
    SSGW_GW_ANSWER,           /* act->out[0..out_len) goes back on the arrival link */
    SSGW_GW_DROP,             /* nothing is sent */
    SSGW_GW_VERDICT_COUNT
} ssgw_gw_verdict;
/* "forward", "forward-modified", "answer", "drop". */
const char *ssgw_gw_verdict_name(ssgw_gw_verdict v);

/* One DATA message, as the hook sees it. Valid only during the call. */
typedef struct {
    ssgw_gw_side from_side;
    const char *link;    /* arrival link name */
    unsigned link_index; /* index in the configuration's links */
    uint16_t stream;     /* SCTP stream it arrived on (0 for TCP) */
    const uint8_t *data; /* the whole M3UA DATA message as received */
    size_t len;
    const ssgw_m3ua_msg *m3ua; /* already decoded (DATA with Protocol Data) */
    ssgw_view *view;     /* gateway-owned storage the hook may decode into (see ssgw_gw_decode) */
    bool view_ok;        /* set by whoever filled view */
    uint64_t now_ms;     /* monotonic */
    unsigned lane;       /* the inspecting thread: 0 .. [gateway] workers - 1 (0 without workers) */
    uint64_t rx_wall_ms; /* arrival, ms since the epoch: the time the capture records for it,
                          * and the time it is judged at (offline verdicts = inline ones) */
} ssgw_gw_msg;

/* What to do with it. The gateway fills out/out_cap (scratch it owns, room for
 * SSGW_GW_MAX_OUT messages of 4 KiB) and verdict = FORWARD, reason = NULL before
 * the call.
 *
 * Several messages: signing or stripping a token can turn one message into several
 * (SCCP XUDT segments). The hook then writes them one after the other into out
 * (out_len = their total); each is a complete M3UA message whose length is the one in
 * its M3UA header. The gateway sends them in that order on the same stream (the one
 * the SLS of the original chose) and counts the original once. */
#define SSGW_GW_MAX_OUT 16
typedef struct {
    ssgw_gw_verdict verdict;
    uint8_t *out; /* FORWARD_MODIFIED and ANSWER: one or more complete M3UA messages */
    size_t out_cap;
    size_t out_len;
    const char
        *reason; /* static string (check name / drop reason) counted per reason; may be NULL */
    bool alert;  /* forwarded, but reported (monitor mode) */
} ssgw_gw_action;

/*
 * The hook: called once per DATA message. Returns 0, or -1 for an internal
 * error (the message is then dropped, counted under "inspect.internal_error").
 * It must not keep pointers into msg.
 *
 * Threads: with [gateway] workers = 0 it runs on the loop's thread (lane 0).
 * With workers = N it runs on N inspection threads at once, msg->lane naming
 * the thread (0..N-1): one lane never runs two calls at once, so per-lane
 * scratch needs no lock, but state shared between lanes does. Messages with
 * the same OPC, DPC and SLS always go to the same lane, in arrival order.
 */
typedef int (*ssgw_gw_inspect_fn)(void *ctx, ssgw_gw_msg *msg, ssgw_gw_action *act);

/*
 * Batches (inspection threads only): before a lane inspects the messages it has taken
 * at once, `begin` sees them all (msgs[i]: from_side, data, len, now_ms, lane; m3ua and
 * view are NULL); after the last one, `end`; their actions are carried out only after
 * `end` returned. A shared state store uses them to read a batch's state in one round trip
 * and to store what it taught before the messages go on (include/ssgw/pipeline.h).
 */
typedef void (*ssgw_gw_batch_begin_fn)(void *ctx, unsigned lane, const ssgw_gw_msg *msgs, size_t n);
typedef void (*ssgw_gw_batch_end_fn)(void *ctx, unsigned lane);

/*
 * The default hook: decodes the message through the whole stack with an
 * ssgw_decoder (SCCP reassembly included) into msg->view and forwards it.
 * A message that does not decode is dropped with reason "malformed.<layer>"
 * ("malformed.sccp", "malformed.tcap", "malformed.map") when drop_malformed
 * is true (the default of `ssgw run`), else forwarded with that reason and
 * alert set. ctx is an ssgw_gw_default_inspector.
 */
typedef struct ssgw_gw_default_inspector ssgw_gw_default_inspector;
/* lanes: how many threads may call it (one decoder each; 0 is taken as 1). */
ssgw_gw_default_inspector *ssgw_gw_default_inspector_new(bool drop_malformed, unsigned lanes);
void ssgw_gw_default_inspector_free(ssgw_gw_default_inspector *d);
int ssgw_gw_default_inspect(void *ctx, ssgw_gw_msg *msg, ssgw_gw_action *act);
/* Decodes msg into msg->view once (sets view_ok); other hooks may call it. 0 or -1. */
int ssgw_gw_decode(ssgw_gw_default_inspector *d, ssgw_gw_msg *msg);

/* ---- configuration ([gateway] and [[link]] tables; docs/operations.md) ------------ */

#define SSGW_GW_MAX_LINKS      32
#define SSGW_GW_MAX_RC         8
#define SSGW_GW_MAX_PC         32
#define SSGW_GW_MAX_RKEYS      16 /* routing keys an ASP may register on one link (RFC 4666 3.6) */
#define SSGW_GW_MAX_GT         32
#define SSGW_GW_GT_LEN         24
#define SSGW_GW_MAX_ALLOW      16
#define SSGW_GW_MAX_UIDS       8
#define SSGW_GW_MAX_ADDRS      4   /* further local / remote addresses of a multi-homed SCTP link */
#define SSGW_GW_ADDR_LEN       48  /* an IPv4 / IPv6 literal and its NUL */
#define SSGW_GW_MAX_CERT_NAMES 32  /* [http] client_names, risk_client_names */
#define SSGW_GW_CERT_NAME_LEN  256 /* a CN, DNS name, e-mail address or URI, NUL included */

/* An address prefix a link accepts associations from (`allow`). */
typedef struct {
    int family;       /* AF_INET or AF_INET6 */
    uint8_t addr[16]; /* network byte order; IPv4 in the first 4 octets */
    uint8_t prefix;   /* bits that must match */
} ssgw_gw_prefix;

/* What a listening link does with a second association while it has one. */
typedef enum {
    SSGW_GW_SECOND_REPLACE_UNHEALTHY = 0, /* take it only when the first has not reached ASP-UP */
    SSGW_GW_SECOND_REFUSE,                /* always refuse while one exists */
} ssgw_gw_second_policy;

typedef struct {
    char name[32];
    int line; /* where [[link]] starts */
    ssgw_gw_side side;
    ssgw_gw_transport transport;
    ssgw_gw_role role;
    bool listen;              /* listen = "addr:port" (accepts one association) or connect = ... */
    char host[64];            /* IPv4 / IPv6 literal */
    uint16_t port;            /* TCP or SCTP port */
    uint16_t remote_udp_port; /* sctp-udp with connect: the peer's UDP encapsulation port */
    uint32_t rc[SSGW_GW_MAX_RC]; /* routing contexts of this link's AS (first one used on send) */
    size_t n_rc;
    uint32_t dpc[SSGW_GW_MAX_PC]; /* point codes routed to this link */
    size_t n_dpc;
    char gt[SSGW_GW_MAX_GT][SSGW_GW_GT_LEN]; /* called GT prefixes routed to this link */
    size_t n_gt;
    bool is_default;       /* route = "default": takes what no prefix / DPC claims */
    uint32_t traffic_mode; /* SSGW_M3UA_TMT_OVERRIDE (default) or _LOADSHARE */
    bool has_asp_id;
    uint32_t asp_id;
    size_t queue_bytes; /* outgoing queue cap (default 1 MiB) */
    uint16_t streams;   /* outbound SCTP streams requested (default 16) */
    /* admission (listening links): who may hold the link, and for how long without
     * proving it speaks M3UA */
    ssgw_gw_prefix allow[SSGW_GW_MAX_ALLOW]; /* peers accepted (none: any) */
    size_t n_allow;
    unsigned aspup_timeout_ms; /* ASP-UP reached within this after the association (0: no limit) */
    unsigned idle_timeout_ms;  /* close after this long without a complete message (0: never) */
    ssgw_gw_second_policy second_connection;
    /* SCTP (sctp-udp, sctp): how fast a dead peer is noticed by SCTP itself (RFC 9260 8) */
    unsigned sctp_hb_interval_ms;   /* HEARTBEAT interval on idle paths (default 5000) */
    unsigned sctp_rto_max_ms;       /* retransmission timeout ceiling (default 2000) */
    unsigned sctp_max_retrans;      /* association retransmissions before it is aborted (4) */
    unsigned sctp_path_max_retrans; /* one path's, before it is inactive (below the former) */
    /* SCTP multi-homing (RFC 9260 6.4): the association's addresses besides host */
    char local_address[SSGW_GW_ADDR_LEN]; /* connect links: the first local address ("": any) */
    char local_addrs[SSGW_GW_MAX_ADDRS][SSGW_GW_ADDR_LEN]; /* further local addresses */
    size_t n_local_addrs;
    char remote_addrs[SSGW_GW_MAX_ADDRS][SSGW_GW_ADDR_LEN]; /* connect: the peer's further ones */
    size_t n_remote_addrs;
    char primary[SSGW_GW_ADDR_LEN]; /* the peer address to make the primary path ("": SCTP's) */
    /* routing key management (RFC 4666 3.6) on SG / IPSP links: the ASP registers the
     * DPCs it serves (REG REQ) and gets their routing contexts; only these DPCs */
    bool rkm;
    uint32_t rkm_dpc[SSGW_GW_MAX_PC];
    size_t n_rkm_dpc;
    unsigned rkm_max_keys; /* keys one association may hold (default 4) */
} ssgw_gw_link_config;

/* [http]: metrics, management API, dashboard, risk API (include/ssgw/gw_http.h). */
typedef struct {
    bool enabled;       /* listen is set */
    char host[64];      /* numeric address */
    uint16_t port;      /* 0 is not allowed in the file */
    char tls_cert[512]; /* PEM: HTTPS ("" = plain HTTP) */
    char tls_key[512];
    char tokens[512];        /* management API: "NAME TOKEN" lines, 0600 ("" = API off) */
    char risk_tokens[512];   /* risk API clients: "NAME TOKEN" lines, 0600 ("" = risk API off) */
    char risk_audit[512];    /* JSON line per risk query ("" = the gateway's log) */
    unsigned risk_rate;      /* risk queries per client per minute */
    unsigned risk_max_age_h; /* largest maxAge a client may ask for, hours */
    bool metrics_auth;       /* /metrics needs a management credential too */
    /* Client certificates (mutual TLS; needs tls_cert): the CAs, their CRLs ("" = none) and
     * the names allowed, for the management API (and /metrics with metrics_auth) and,
     * separately, for the risk API. */
    char client_ca[512];
    char client_crl[512];
    char client_names[SSGW_GW_MAX_CERT_NAMES][SSGW_GW_CERT_NAME_LEN];
    size_t n_client_names;
    char risk_client_ca[512];
    char risk_client_crl[512];
    char risk_client_names[SSGW_GW_MAX_CERT_NAMES][SSGW_GW_CERT_NAME_LEN];
    size_t n_risk_client_names;
    unsigned max_connections; /* at once */
    unsigned timeout_s;       /* idle connections closed after */
} ssgw_gw_http_config;

/* ---- the Diameter edge proxy ([diameter], [[diameter_peer]]; docs/operations.md) ------- */

#define SSGW_GW_MAX_DPEERS   32
#define SSGW_GW_MAX_DREALMS  16
#define SSGW_GW_DIAM_ID_LEN  128 /* DiameterIdentity (FQDN) or realm, NUL included */
#define SSGW_GW_MAX_DIAM_APP 8

/* The gateway's own Diameter identity and the proxy's timers and caps. */
typedef struct {
    bool present;                          /* the file has a [diameter] table */
    char origin_host[SSGW_GW_DIAM_ID_LEN]; /* our DiameterIdentity: CER/CEA, DWR, DPR, answers */
    char origin_realm[SSGW_GW_DIAM_ID_LEN];
    char host_ip[64]; /* Host-IP-Address of CER/CEA */
    char product_name[64];
    uint32_t vendor_id;
    uint32_t apps[SSGW_GW_MAX_DIAM_APP]; /* Auth-Application-Ids advertised (S6a by default) */
    size_t n_apps;
    unsigned watchdog_ms;       /* Tw (RFC 3539): DWR after this long without traffic */
    unsigned cer_timeout_ms;    /* CER, CEA, DPA waited for this long */
    unsigned answer_timeout_ms; /* a relayed request's answer is routed back this long */
    unsigned max_pending;       /* relayed requests awaiting their answer (a power of two) */
    unsigned max_message;       /* largest message accepted (octets) */
} ssgw_gw_diam_config;

/* One Diameter peer connection (a DEA / IPX on the outer side, our HSS or DRA inside). */
typedef struct {
    char name[32];
    int line;
    ssgw_gw_side side;
    ssgw_gw_transport transport;
    bool listen;
    char host[64];
    uint16_t port;
    uint16_t remote_udp_port;
    char peer_host[SSGW_GW_DIAM_ID_LEN];  /* the Origin-Host its CER/CEA must carry ("" any) */
    char peer_realm[SSGW_GW_DIAM_ID_LEN]; /* the Origin-Realm it must carry ("" any) */
    char realms[SSGW_GW_MAX_DREALMS][SSGW_GW_DIAM_ID_LEN]; /* Destination-Realms routed here */
    size_t n_realms;
    bool is_default; /* takes requests whose realm no peer of its side claims */
    size_t queue_bytes;
    uint16_t streams;
    ssgw_gw_prefix allow[SSGW_GW_MAX_ALLOW];
    size_t n_allow;
} ssgw_gw_dpeer_config;

typedef struct {
    char path[256];
    char status_socket[108]; /* unix socket answering a JSON status ("" = none); 0600 */
    char status_group[32];   /* when set: 0660 and members of this group may read it */
    uint32_t status_uids[SSGW_GW_MAX_UIDS]; /* further uids allowed (root and ours always) */
    size_t n_status_uids;
    char capture[256]; /* pcap of outer-side traffic ("" = none) */
    /* The policy pipeline (src/gateway/gw_pipeline.c); relative paths are made relative to
     * the configuration file by ssgw_gw_config_load. */
    char policy[512];        /* policy file (firewall + [trust]) ("" = none: default hook) */
    char events[512];        /* JSON lines of judged DATA messages ("" = none) */
    bool events_all;         /* every message, not only the non-allowed / trust ones */
    char report[512];        /* HTML report written at shutdown and SIGUSR1 ("" = none) */
    uint16_t sctp_udp_port;  /* local UDP encapsulation port (default 9899) */
    unsigned beat_ms;        /* send BEAT this often on ACTIVE links (0 = never; default 0) */
    unsigned beat_loss;      /* BEATs in a row with nothing heard back: the link is dead (3) */
    unsigned reconnect_ms;   /* connect retry (default 1000) */
    unsigned ack_timeout_ms; /* ASPUP/ASPAC retransmission (default 2000) */
    bool drop_malformed;     /* default true */
    unsigned workers; /* inspection threads besides the loop thread (0 = inspect on it; default) */
    ssgw_gw_http_config http;
    /* Logs and events (include/ssgw/log.h, docs/events.md) */
    char instance[32]; /* the instance id; _load defaults it to the file's name without its
                          directory and extension (/etc/ssgw/albion.toml: "albion") */
    char log[128];     /* log destination: auto (default), stderr, journald, syslog[:...] */
    int log_level;     /* an ssgw_log_level; default info */
    ssgw_gw_link_config links[SSGW_GW_MAX_LINKS];
    size_t n_links;
    ssgw_gw_diam_config diameter;                    /* [diameter] */
    ssgw_gw_dpeer_config dpeers[SSGW_GW_MAX_DPEERS]; /* [[diameter_peer]] */
    size_t n_dpeers;
} ssgw_gw_config;

/*
 * Parses a gateway configuration (the strict TOML subset of
 * include/ssgw/toml.h: [gateway], [[link]], comments, "strings", integers,
 * booleans, arrays). Returns a new config, or NULL with every error, one per
 * line, in err: "FILE:LINE:COL: error: [section] key: VALUE: what is
 * allowed". Free with free(). _load makes the relative paths of [gateway]
 * policy, events and report, and of [http], relative to the file.
 */
ssgw_gw_config *ssgw_gw_config_load(const char *path, char *err, size_t errlen);
ssgw_gw_config *ssgw_gw_config_parse(const char *name, const char *text, size_t len, char *err,
                                     size_t errlen);
/* The same, with the errors as a list (errs may be NULL). */
ssgw_gw_config *ssgw_gw_config_read(const char *name, const char *text, size_t len,
                                    ssgw_config_errors *errs);
/* The declared options of the file (docs/operations.md is generated from them). */
const ssgw_cfg_schema *ssgw_gw_config_schema(void);

/* ---- the gateway ------------------------------------------------------------------ */

#define SSGW_GW_MAX_REASONS 64

typedef struct {
    const char *reason; /* static string */
    uint64_t n;
} ssgw_gw_reason_count;

/* Invariant: data_in == forwarded + answered + dropped + in_flight (the messages
 * inspection threads hold; 0 without workers and whenever the gateway is idle). */
typedef struct {
    uint64_t data_in;            /* DATA messages received on any link */
    uint64_t forwarded;          /* queued to a link of the other side (modified included) */
    uint64_t forwarded_modified; /* of which with other bytes */
    uint64_t answered;           /* an answer went back instead */
    uint64_t dropped;            /* by reason below */
    uint64_t alerts;             /* forwarded with an alert */
    uint64_t lost_in_queue;      /* DATA queued to a link that went down before it was sent */
    uint64_t mgmt_in, mgmt_out;  /* non-DATA M3UA messages */
    uint64_t err_sent, err_received, ntfy_received;
    uint64_t ssnm_relayed, daud_answered;
    uint64_t backpressure; /* times a source or an inspection lane paused: a queue was full */
    uint64_t reloads, reload_failures;
    uint64_t status_refused; /* status socket connections from a user not allowed */
    uint64_t beat_lost;      /* links closed because nothing was heard for beat_loss BEATs */
    uint64_t admission[4];   /* associations refused or closed: not_allowed, busy (a second
                                one), aspup_timeout, idle_timeout (docs/operations.md) */
    uint64_t rkm[4];    /* routing keys registered, refused, deregistered, deregistration refused */
    uint64_t in_flight; /* given to inspection threads, result not taken yet */
    ssgw_gw_reason_count reasons[SSGW_GW_MAX_REASONS]; /* drops, answers, alerts by reason */
    size_t n_reasons;
} ssgw_gw_counters;

typedef struct ssgw_gw ssgw_gw;

/*
 * Creates the gateway on loop: binds every listening link, starts every
 * connecting one, opens the status socket and the capture. Takes ownership of
 * cfg (also on failure). Returns NULL with a start-up error in err naming the
 * link and the cause ("link 'stp1': listen 127.0.0.1:2905: Address already in
 * use"). The default hook is installed; replace it with ssgw_gw_set_inspector.
 */
ssgw_gw *ssgw_gw_new(ssgw_evloop *loop, ssgw_gw_config *cfg, char *err, size_t errlen);
void ssgw_gw_set_inspector(ssgw_gw *g, ssgw_gw_inspect_fn fn, void *ctx);
/* Installs the batch hooks (see above; ignored without [gateway] workers). */
void ssgw_gw_set_batch_hooks(ssgw_gw *g, ssgw_gw_batch_begin_fn begin, ssgw_gw_batch_end_fn end,
                             void *ctx);

/*
 * Applies a new configuration without dropping associations of links whose
 * name, side, transport, role and addresses (SCTP: all of them, and primary) are
 * unchanged (their routing, RCs, traffic mode and queue size are updated). Takes
 * ownership of cfg. On error
 * (a new link cannot be opened, a global key that needs a restart changed)
 * nothing changes and -1 is returned with err.
 */
int ssgw_gw_reload(ssgw_gw *g, ssgw_gw_config *cfg, char *err, size_t errlen);

/* Counts a reload refused before ssgw_gw_reload (the new file did not parse). */
void ssgw_gw_note_reload_failure(ssgw_gw *g);

/* Sends ASPDN on up links, flushes queues (bounded by ms), closes everything. */
void ssgw_gw_shutdown(ssgw_gw *g, unsigned ms);
void ssgw_gw_free(ssgw_gw *g);

const ssgw_gw_counters *ssgw_gw_get_counters(const ssgw_gw *g);
/* The JSON status (links with state, peer, queues; counters). Returns the length or -1. */
long ssgw_gw_status_json(const ssgw_gw *g, char *out, size_t cap);

/*
 * Adds keys to the status object (after "counters"): the installed hook's own
 * counters (the policy pipeline adds "pipeline": checks, trust outcomes...).
 * fn is called with the open top-level object; NULL removes it.
 */
typedef void (*ssgw_gw_status_fn)(void *ctx, ssgw_json *j);
void ssgw_gw_set_status_extra(ssgw_gw *g, ssgw_gw_status_fn fn, void *ctx);

/* ---- Diameter: the hook and the counters (src/gateway/gw_diam_*.c) ----------------- */

/*
 * One Diameter application message (a request, or an answer being routed back) that
 * arrived on an open peer, as the Diameter hook sees it. Valid only during the call.
 * Base-protocol messages (CER/CEA, DWR/DWA, DPR/DPA) never reach the hook.
 */
typedef struct {
    ssgw_gw_side from_side;
    const char *peer;      /* arrival peer's name ([[diameter_peer]] name) */
    unsigned peer_index;   /* index in the configuration's peers */
    const char *peer_host; /* the Origin-Host / -Realm the peer named in its CER or CEA */
    const char *peer_realm;
    const uint8_t *data; /* the whole message as received */
    size_t len;
    uint64_t now_ms;     /* monotonic */
    uint64_t rx_wall_ms; /* arrival, ms since the epoch (as in ssgw_gw_msg) */
} ssgw_gw_diam_msg;

/*
 * Called once per message on the loop's thread. act is prepared as for the M3UA hook;
 * FORWARD_MODIFIED: act->out holds the one message that goes on instead (token added or
 * stripped); ANSWER (requests only): act->out holds the answer sent back to the peer it
 * came from. Returns 0, or -1 (the message is dropped as "inspect.internal_error").
 */
typedef int (*ssgw_gw_diam_inspect_fn)(void *ctx, const ssgw_gw_diam_msg *msg, ssgw_gw_action *act);
/* NULL: every well-formed message is forwarded (the default). */
void ssgw_gw_set_diam_inspector(ssgw_gw *g, ssgw_gw_diam_inspect_fn fn, void *ctx);

/* Invariant: data_in == forwarded + answered + dropped (every application message). */
typedef struct {
    uint64_t data_in; /* application messages received on open peers */
    uint64_t requests_in, answers_in;
    uint64_t forwarded;          /* queued to a peer (requests relayed, answers routed back) */
    uint64_t forwarded_modified; /* of which with other bytes from the hook */
    uint64_t answered;           /* the gateway answered a request itself */
    uint64_t dropped;            /* by reason below */
    uint64_t alerts;
    uint64_t mgmt_in, mgmt_out; /* CER/CEA, DWR/DWA, DPR/DPA */
    uint64_t pending;           /* relayed requests whose answer has not come back */
    uint64_t expired;           /* relayed requests whose answer never came (answer_timeout_ms) */
    uint64_t lost_in_queue;     /* queued to a peer that went down before they were sent */
    uint64_t backpressure;      /* times a peer stopped being read: its destination was full */
    ssgw_gw_reason_count reasons[SSGW_GW_MAX_REASONS]; /* drops, answers, alerts by reason */
    size_t n_reasons;
} ssgw_gw_diam_counters;

const ssgw_gw_diam_counters *ssgw_gw_diam_get_counters(const ssgw_gw *g);

#endif
