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
    ssgw_view *view; /* gateway-owned storage the hook may decode into (see ssgw_gw_decode) */
    bool view_ok;    /* set by whoever filled view */
    uint64_t now_ms; /* monotonic */
    unsigned lane;   /* the inspecting thread: 0 .. [gateway] workers - 1 (0 without workers) */
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

#define SSGW_GW_MAX_LINKS 32
#define SSGW_GW_MAX_RC    8
#define SSGW_GW_MAX_PC    32
#define SSGW_GW_MAX_GT    32
#define SSGW_GW_GT_LEN    24

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
} ssgw_gw_link_config;

typedef struct {
    char path[256];
    char status_socket[108]; /* unix socket answering a JSON status ("" = none) */
    char capture[256];       /* pcap of outer-side traffic ("" = none) */
    /* The policy pipeline (src/gateway/gw_pipeline.c); relative paths are made relative to
     * the configuration file by ssgw_gw_config_load. */
    char policy[512];        /* policy file (firewall + [trust]) ("" = none: default hook) */
    char events[512];        /* JSON lines of judged DATA messages ("" = none) */
    bool events_all;         /* every message, not only the non-allowed / trust ones */
    char report[512];        /* HTML report written at shutdown and SIGUSR1 ("" = none) */
    uint16_t sctp_udp_port;  /* local UDP encapsulation port (default 9899) */
    unsigned beat_ms;        /* send BEAT this often on ACTIVE links (0 = never; default 0) */
    unsigned reconnect_ms;   /* connect retry (default 1000) */
    unsigned ack_timeout_ms; /* ASPUP/ASPAC retransmission (default 2000) */
    bool drop_malformed;     /* default true */
    unsigned workers; /* inspection threads besides the loop thread (0 = inspect on it; default) */
    ssgw_gw_link_config links[SSGW_GW_MAX_LINKS];
    size_t n_links;
} ssgw_gw_config;

/*
 * Parses a gateway configuration (the strict TOML subset of
 * include/ssgw/toml.h: [gateway], [[link]], comments, "strings", integers,
 * booleans, arrays). Returns a new config, or NULL with every error, one per
 * line, in err: "FILE:LINE:COL: error: [section] key: VALUE: what is
 * allowed". Free with free(). _load makes the relative paths of [gateway]
 * policy, events and report relative to the file.
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
 * name, side, transport, role and address are unchanged (their routing, RCs,
 * traffic mode and queue size are updated). Takes ownership of cfg. On error
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

#endif
