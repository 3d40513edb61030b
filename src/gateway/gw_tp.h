/*
 * gw_tp.h - one transport endpoint of the gateway (or, through the public
 * wrapper gw_assoc.c, of `ssgw peer`): a listener that accepts one association
 * at a time, or a connector that reconnects, over TCP (messages framed by
 * their length), kernel SCTP (lksctp, one-to-one socket) or SCTP over UDP
 * (RFC 6951, libusrsctp). What the messages are is the framing's business
 * (gw_tp_framing): M3UA (RFC 4666 3.1, PPID 3) by default, or Diameter
 * (RFC 6733 3, PPID 46) for the Diameter peers of gw_diam_peer.c.
 *
 * Input is delivered one complete M3UA message at a time through ops->msg;
 * the owner may answer "blocked" (its destination is full): the message is
 * kept, reading stops (TCP: the kernel window closes; SCTP: the rwnd) and the
 * owner calls gw_tp_resume() later. Output goes through a bounded queue that
 * is written in batches by gw_tp_flush() (the loop's idle hook). The soft cap
 * is `limit`; the buffer has headroom above it for answers and management so
 * that a message accepted after gw_tp_has_room() is never refused.
 */
#ifndef SSGW_GATEWAY_GW_TP_H
#define SSGW_GATEWAY_GW_TP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ssgw/error.h"
#include "ssgw/evloop.h"
#include "ssgw/gateway.h"

typedef struct gw_tp gw_tp;

/* SCTP multi-homing (gw_mhome.c): what a path to the peer did (SCTP_PEER_ADDR_CHANGE,
 * RFC 6458 6.1.2) and the state it is in (SCTP_GET_PEER_ADDR_INFO, 8.2.2). */
typedef enum {
    GW_PATH_EV_AVAILABLE = 0, /* reachable again: a recovery */
    GW_PATH_EV_UNREACHABLE,   /* failed: Path.Max.Retrans exceeded */
    GW_PATH_EV_CONFIRMED,     /* a HEARTBEAT confirmed an address the peer listed */
    GW_PATH_EV_ADDED,
    GW_PATH_EV_REMOVED,
    GW_PATH_EV_MADE_PRIMARY,
    GW_PATH_EV_POTENTIALLY_FAILED, /* kernel SCTP, RFC 7829 */
    GW_PATH_EV_COUNT
} gw_path_event;
typedef enum {
    GW_PATH_ACTIVE = 0,
    GW_PATH_INACTIVE,
    GW_PATH_UNCONFIRMED,
    GW_PATH_POTENTIALLY_FAILED,
    GW_PATH_STATE_COUNT
} gw_path_state;
/* "active", "inactive", "confirmed", "added", "removed", "made-primary", "potentially-failed" */
const char *gw_path_event_name(gw_path_event e);
/* "active", "inactive", "unconfirmed", "potentially-failed" */
const char *gw_path_state_name(gw_path_state s);

typedef struct {
    char addr[SSGW_GW_ADDR_LEN]; /* "192.0.2.1", "2001:db8::1" */
    gw_path_state state;
    bool primary;
} gw_tp_path;
#define GW_TP_MAX_PATHS 8 /* paths the status lists (the peer chooses how many it has) */

/*
 * How a byte stream (TCP) is cut into messages, which SCTP payload protocol id they
 * carry, and which of them count as traffic when lost with the association.
 */
typedef struct {
    const char *name; /* "M3UA", "Diameter" */
    uint32_t ppid;    /* SCTP payload protocol identifier */
    size_t hdr_len;   /* octets needed before msg_len can be read */
    /* The length of the message starting at p (p has hdr_len octets): what its header says. */
    size_t (*msg_len)(const uint8_t *p);
    /* The length of the message starting at buf: 0 when more octets are needed, -1 when the
     * stream cannot be framed (err says why: the association is closed after it). */
    long (*frame_len)(const uint8_t *buf, size_t len, ssgw_error *err);
    /* True for a message counted in lost_data when it dies in the queue. */
    bool (*is_data)(const uint8_t *m, size_t len);
} gw_tp_framing;

/* M3UA over TCP / SCTP: the framing of a gw_tp whose framing is NULL. */
extern const gw_tp_framing gw_tp_framing_m3ua;

typedef struct {
    void (*up)(gw_tp *t, void *arg);
    /* One complete message: 0 consumed, 1 blocked (kept; reading stops), -1 close. */
    int (*msg)(gw_tp *t, const uint8_t *m, size_t len, uint16_t stream, void *arg);
    /* Unusable stream framing (TCP): the owner may queue an ERR; the association then closes. */
    void (*bad)(gw_tp *t, const uint8_t *m, size_t len, const ssgw_error *err, void *arg);
    /* SCTP: a path to the peer changed (counted in path_failures / path_recoveries first). */
    void (*path)(gw_tp *t, const char *addr, gw_path_event ev, void *arg);
    void (*down)(gw_tp *t, void *arg, const char *why);
    /* The queue fell below half its limit after having been over it. */
    void (*drained)(gw_tp *t, void *arg);
    /* A listening endpoint was offered an association from peer (sa; text "addr:port").
     * busy: it already has one. Returns true to take it (replacing the current one when
     * busy), false to refuse it. NULL: take it unless busy. */
    bool (*admit)(gw_tp *t, const struct sockaddr *sa, const char *peer, bool busy, void *arg);
} gw_tp_ops;

struct gw_tp {
    /* set by the owner before gw_tp_open() */
    ssgw_evloop *loop;
    ssgw_gw_transport kind;
    bool listen;
    char host[64];
    uint16_t port;
    uint16_t remote_udp_port;
    uint16_t streams; /* outbound streams requested */
    size_t limit;     /* queue soft cap in bytes */
    unsigned reconnect_ms;
    int rcvbuf; /* SO_RCVBUF when > 0 (tests of back pressure) */
    unsigned hb_interval_ms, rto_max_ms, max_retrans; /* SCTP timing (0: the stack's own) */
    unsigned path_max_retrans;                        /* per path (0: the stack's own) */
    /* SCTP multi-homing: addresses besides host (gw_mhome.c) */
    char local_first[SSGW_GW_ADDR_LEN]; /* connect: first local address to bind ("": any) */
    char local[SSGW_GW_MAX_ADDRS][SSGW_GW_ADDR_LEN]; /* further local addresses */
    size_t n_local;
    char remote[SSGW_GW_MAX_ADDRS][SSGW_GW_ADDR_LEN]; /* connect: further peer addresses */
    size_t n_remote;
    char primary[SSGW_GW_ADDR_LEN]; /* peer address made the primary path once up ("": none) */
    bool primary_pending;           /* set when that address is confirmed (RFC 9260 5.4) */
    const gw_tp_ops *ops;
    void *arg;
    const gw_tp_framing *framing; /* NULL: M3UA */

    /* state */
    int lfd, fd;
    void *ulsock, *usock; /* usrsctp sockets */
    bool connecting, up, paused, closing, was_full, opened;
    const char *closing_why; /* why a close after flush happens (static) */
    uint16_t out_streams;
    char peer[80];
    uint8_t *in;
    size_t in_len, in_cap;
    bool in_pending; /* SCTP: a complete message waits in `in` */
    /* Taken once per gw_tp_deliver_input (a read's messages, or the kept ones on resume),
     * not per message: when the messages being delivered arrived. CLOCK_MONOTONIC in ns
     * (ssgw_evloop_now_ms's clock) and the wall clock in ms since the epoch. */
    uint64_t rx_ns, rx_wall_ms;
    uint16_t in_stream;
    uint8_t *q;
    size_t qh, qt, qcap;
    size_t qmsg; /* TCP: start of a message at or before the one qh is in (a write may stop
                    inside one); exact after sync_qmsg (gw_tp.c) */
    long long reconnect_timer;
    uint64_t lost_data; /* DATA messages discarded from the queue at the last disconnect */
    uint64_t rx_msgs, tx_msgs, rx_bytes, tx_bytes, connects, disconnects;
    uint64_t path_failures, path_recoveries; /* SCTP paths to the peer that failed / came back */
    gw_tp *next_usr;
};

/* Binds / starts connecting. Start-up errors name the address and the cause. */
int gw_tp_open(gw_tp *t, char *err, size_t errlen);
/* Queues one message (stream ignored on TCP). 0, -ENOTCONN, -ENOBUFS (past the headroom). */
int gw_tp_send(gw_tp *t, const uint8_t *m, size_t len, uint16_t stream);
bool gw_tp_has_room(const gw_tp *t, size_t len);
size_t gw_tp_queued(const gw_tp *t);
/* Writes what the socket takes now; arms write interest for the rest. */
void gw_tp_flush(gw_tp *t);
/* True when nothing is left to send: the queue is empty and (SCTP over UDP, whose stack
 * lives in this process and dies with it) the stack has no unsent or unacked data. */
bool gw_tp_all_sent(const gw_tp *t);
/* Half-closes (no more sending; reading goes on until the peer closes): a graceful end. */
void gw_tp_shutdown_write(gw_tp *t);
/* Makes a non-empty queue wait for writability (after a batch of sends). */
void gw_tp_arm(gw_tp *t);
/* Delivers a kept message again and reads on. */
void gw_tp_resume(gw_tp *t);
/* Stops reading (owner's choice, e.g. a slow test peer) without a kept message. */
void gw_tp_pause_reading(gw_tp *t, bool pause);
/* Closes the association after the queue is written (ERR before close). */
void gw_tp_close_after_flush(gw_tp *t);
/* The same, with the reason the owner's down callback and the log get. */
void gw_tp_close_after_flush_why(gw_tp *t, const char *why);
/* Closes the association now (listener kept; connector reconnects). */
void gw_tp_disconnect(gw_tp *t, const char *why);
/* Closes everything; the struct may be freed afterwards. */
void gw_tp_close(gw_tp *t);
/* SCTP stream for a DATA message of this SLS (stream 0 is for management). */
uint16_t gw_tp_stream_for_sls(const gw_tp *t, uint8_t sls);
/* The peer's paths of an SCTP association that is up (none for TCP, or when down): up to
 * cap of them, with their state and which one is primary. */
size_t gw_tp_paths(const gw_tp *t, gw_tp_path *out, size_t cap);
/* Makes t->primary (connect links without one: host) the primary path of an association
 * that just came up (or, while the address is unconfirmed, once a HEARTBEAT confirms it).
 * False when the peer has no such address (SCTP's own choice stays); true also when there
 * is none to set. */
bool gw_tp_use_primary(gw_tp *t);

/* Internal: shared by gw_tp.c and gw_usrsctp.c. */
static inline const gw_tp_framing *gw_tp_framing_of(const gw_tp *t)
{
    return t->framing ? t->framing : &gw_tp_framing_m3ua;
}
struct sockaddr_storage;
/* "192.0.2.1:2905", "[2001:db8::1]:2905" */
void gw_tp_peer_text(const struct sockaddr_storage *ss, char *out, size_t cap);
/* Asks the owner whether to take an offered association (see gw_tp_ops.admit); when it
 * says yes while one exists, the current one is closed first. */
bool gw_tp_offer(gw_tp *t, const struct sockaddr_storage *ss, bool busy);
void gw_tp_deliver_input(gw_tp *t);

/* CLOCK_MONOTONIC in ns (gw_latency.c): the clock of the arrival times and the latency
 * histograms. */
uint64_t gw_now_ns(void);

void gw_tp_lost_count(gw_tp *t);
void gw_tp_became_up(gw_tp *t);
void gw_tp_schedule_reconnect(gw_tp *t);
/* "192.0.2.1" / "2001:db8::1" and port as a sockaddr; its length, or 0 for no literal. */
socklen_t gw_tp_sockaddr(const char *host, uint16_t port, struct sockaddr_storage *ss);
/* The association's local (bind) or remote (connect) addresses packed one after the other as
 * sockaddr_in / sockaddr_in6 (what sctp_bindx / sctp_connectx and usrsctp's take), each
 * with port: local = local_first and local[]; remote = host and remote[] (the first one of
 * each only when with_first). buf holds GW_TP_PACKED_CAP. Returns how many, or -1 with err
 * (an address that does not parse, or of another family than *family; 0 sets it). */
int gw_tp_pack_addrs(const gw_tp *t, bool local, bool with_first, uint16_t port, int *family,
                     uint8_t *buf, size_t cap, char *err, size_t errlen);
#define GW_TP_PACKED_CAP ((1 + SSGW_GW_MAX_ADDRS) * 28) /* 28: sizeof(struct sockaddr_in6) */
/* A path event from either SCTP stack: counted, then told to the owner. */
void gw_tp_path_event(gw_tp *t, const struct sockaddr_storage *ss, gw_path_event ev);
/* n packed peer addresses (what getpaddrs gives) as paths: state(t, address) says each
 * one's state, primary (may be NULL) which is the primary path. Returns how many. */
size_t gw_tp_fill_paths(const gw_tp *t, const uint8_t *addrs, int n,
                        const struct sockaddr_storage *primary,
                        gw_path_state (*state)(const gw_tp *t, const struct sockaddr *sa),
                        gw_tp_path *out, size_t cap);
/* The one of n packed addresses whose address (not port) is ip, into out; false if none. */
bool gw_tp_find_addr(const uint8_t *addrs, int n, const char *ip, struct sockaddr_storage *out);
/* The peer addresses of an association as paths; the stacks' own (gw_usrsctp.c, gw_ksctp.c). */
size_t gw_usr_paths(const gw_tp *t, gw_tp_path *out, size_t cap);
size_t gw_ks_paths(const gw_tp *t, gw_tp_path *out, size_t cap);
/* 1: addr is the primary path now; 0: the peer has it but the stack refused (not confirmed
 * yet); -1: the peer has no such address. */
int gw_usr_use_primary(gw_tp *t, const char *addr);
int gw_ks_use_primary(gw_tp *t, const char *addr);
/* Kernel SCTP (gw_ksctp.c) on one socket: timing and path events (every socket, accepted
 * ones included: only the events, which they may not inherit); listen: the further local
 * addresses after bind(); connect: the local addresses, then connect / connectx. */
void gw_ks_configure(const gw_tp *t, int fd, bool accepted);
int gw_ks_bind_more(const gw_tp *t, int fd, char *err, size_t errlen);
int gw_ks_bind_local(const gw_tp *t, int fd, char *err, size_t errlen);
/* Binds the local addresses (when any) and connects to host and the further remote ones:
 * 0 (connected or in progress) or -1 with errno. */
int gw_ks_connect(const gw_tp *t, int fd, const struct sockaddr *sa, socklen_t sl);
/* A notification read from a kernel SCTP socket (MSG_NOTIFICATION). */
void gw_ks_notification(gw_tp *t, const uint8_t *p, size_t n);
int gw_usr_open(gw_tp *t, char *err, size_t errlen);
void gw_usr_flush(gw_tp *t);
void gw_usr_resume(gw_tp *t);
void gw_usr_disconnect(gw_tp *t);
void gw_usr_close(gw_tp *t);
bool gw_usr_all_acked(const gw_tp *t);
void gw_usr_shutdown_write(gw_tp *t);
/* Once per process, before the first sctp-udp link: UDP encapsulation port. */
int gw_usr_setup(ssgw_evloop *l, uint16_t udp_port, char *err, size_t errlen);
bool gw_usr_available(void);

#define GW_TP_REC_HDR 8 /* SCTP queue records: stream(2) pad(2) len(4) */

#endif
