/*
 * gw_assoc.h - one M3UA association endpoint on the gateway's transports, for
 * programs beside the gateway (the test peer, src/sim/peer.c): TCP (framed by
 * the M3UA length, RFC 4666 3.1), kernel SCTP or SCTP over UDP (RFC 6951,
 * libusrsctp); a listener that accepts one association at a time, or a
 * connector that reconnects. The gateway's own links use the same transport
 * code (src/gateway/gw_tp.c) without this wrapper.
 *
 * Input arrives one complete M3UA message at a time through ops->msg. Output
 * goes through a bounded queue: ssgw_gw_assoc_send() queues, ssgw_gw_assoc_flush()
 * writes what the socket takes, ssgw_gw_assoc_arm() makes the rest wait for
 * writability. The owner runs the ssgw_evloop; everything happens on its thread.
 * The M3UA state machine is the owner's (include/ssgw/asp_fsm.h).
 */
#ifndef SSGW_GW_ASSOC_H
#define SSGW_GW_ASSOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/error.h"
#include "ssgw/evloop.h"
#include "ssgw/gateway.h"

typedef struct ssgw_gw_assoc ssgw_gw_assoc;

typedef struct {
    void (*up)(ssgw_gw_assoc *a, void *arg);
    /* One complete message: 0 consumed, -1 close the association. */
    int (*msg)(ssgw_gw_assoc *a, const uint8_t *m, size_t len, uint16_t stream, void *arg);
    /* Unusable stream framing (TCP): the owner may queue an ERR; the association then closes. */
    void (*bad)(ssgw_gw_assoc *a, const uint8_t *m, size_t len, const ssgw_error *err, void *arg);
    void (*down)(ssgw_gw_assoc *a, void *arg, const char *why);
    /* SCTP: a path to the peer changed (RFC 6458 6.1.2): addr "192.0.2.1"; what "active"
     * (reachable again), "inactive" (failed), "confirmed", "added", "removed",
     * "made-primary" or "potentially-failed"; "primary-not-found" right after up when
     * the configured primary is not an address of the peer. May be NULL. */
    void (*path)(ssgw_gw_assoc *a, void *arg, const char *addr, const char *what);
} ssgw_gw_assoc_ops;

typedef struct {
    ssgw_gw_transport transport;
    bool listen;       /* accept one association at a time; else connect (and reconnect) */
    const char *host;  /* address to listen on or connect to */
    uint16_t port;     /* SCTP or TCP port */
    uint16_t udp_port; /* sctp-udp: this process's UDP encapsulation port (one per process) */
    uint16_t remote_udp_port; /* sctp-udp with connect: the other side's UDP port */
    uint16_t streams;         /* outbound SCTP streams requested */
    size_t queue_bytes;       /* output queue soft cap */
    unsigned reconnect_ms;    /* connector: wait before connecting again */
    int rcvbuf;               /* SO_RCVBUF when > 0 (tests of back pressure) */
    /* SCTP multi-homing (IPv4 / IPv6 literals of the family of host; NULL / 0: none) */
    const char *local_address;       /* connect: the first local address to bind */
    const char *const *local_addrs;  /* further local addresses (listen: besides host) */
    size_t n_local_addrs;            /* at most SSGW_GW_MAX_ADDRS */
    const char *const *remote_addrs; /* connect: the peer's further addresses */
    size_t n_remote_addrs;           /* at most SSGW_GW_MAX_ADDRS */
    const char *primary;             /* the peer address made the primary path once up */
} ssgw_gw_assoc_config;

/*
 * Binds or starts connecting on loop; ops (kept, not copied) report to arg, from
 * the loop only (never before this returns). c and its strings are copied. NULL
 * with err on failure: "listen 127.0.0.1:2905: Address already in use", too many
 * or malformed addresses, or the SCTP-over-UDP set-up error.
 */
ssgw_gw_assoc *ssgw_gw_assoc_open(ssgw_evloop *loop, const ssgw_gw_assoc_config *c,
                                  const ssgw_gw_assoc_ops *ops, void *arg, char *err,
                                  size_t errlen);
/* Closes everything now and frees a (NULL is fine). */
void ssgw_gw_assoc_close(ssgw_gw_assoc *a);

bool ssgw_gw_assoc_is_up(const ssgw_gw_assoc *a);
/* The other side's address as text ("127.0.0.1:40312"); meaningful while up. */
const char *ssgw_gw_assoc_peer(const ssgw_gw_assoc *a);
/* SCTP, while up: how many addresses (paths) the peer has, and how many are active. */
size_t ssgw_gw_assoc_paths(const ssgw_gw_assoc *a, size_t *active);

/* Queues one message (stream ignored on TCP): 0, -ENOTCONN, -ENOBUFS (past the
 * queue's headroom above its soft cap). */
int ssgw_gw_assoc_send(ssgw_gw_assoc *a, const uint8_t *m, size_t len, uint16_t stream);
/* Room for a message of len bytes under the queue's soft cap. */
bool ssgw_gw_assoc_has_room(const ssgw_gw_assoc *a, size_t len);
/* Bytes queued and not yet written. */
size_t ssgw_gw_assoc_queued(const ssgw_gw_assoc *a);
/* SCTP stream for a DATA message of this SLS (stream 0 is for management). */
uint16_t ssgw_gw_assoc_stream_for_sls(const ssgw_gw_assoc *a, uint8_t sls);
/* Writes what the socket takes now. */
void ssgw_gw_assoc_flush(ssgw_gw_assoc *a);
/* Makes a non-empty queue wait for writability (after a batch of sends). */
void ssgw_gw_assoc_arm(ssgw_gw_assoc *a);
/* Nothing left to send: the queue is empty and (SCTP over UDP, whose stack lives in this
 * process) nothing is unacknowledged. */
bool ssgw_gw_assoc_all_sent(const ssgw_gw_assoc *a);
/* Half-closes: no more sending, reading goes on until the other side closes. */
void ssgw_gw_assoc_shutdown_write(ssgw_gw_assoc *a);
/* Stops or restarts reading (a slow peer, for tests of back pressure). */
void ssgw_gw_assoc_pause_reading(ssgw_gw_assoc *a, bool pause);

#endif
