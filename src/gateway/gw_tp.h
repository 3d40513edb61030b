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
    uint16_t in_stream;
    uint8_t *q;
    size_t qh, qt, qcap;
    size_t qmsg; /* TCP: start of the message qh is in (a write may stop inside one) */
    long long reconnect_timer;
    uint64_t lost_data; /* DATA messages discarded from the queue at the last disconnect */
    uint64_t rx_msgs, tx_msgs, rx_bytes, tx_bytes, connects, disconnects;
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
void gw_tp_lost_count(gw_tp *t);
void gw_tp_became_up(gw_tp *t);
void gw_tp_schedule_reconnect(gw_tp *t);
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
