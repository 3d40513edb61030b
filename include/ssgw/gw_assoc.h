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
} ssgw_gw_assoc_config;

/*
 * Binds or starts connecting on loop; ops (kept, not copied) report to arg, from
 * the loop only (never before this returns). NULL with err on failure: "listen
 * 127.0.0.1:2905: Address already in use", or the SCTP-over-UDP set-up error.
 */
ssgw_gw_assoc *ssgw_gw_assoc_open(ssgw_evloop *loop, const ssgw_gw_assoc_config *c,
                                  const ssgw_gw_assoc_ops *ops, void *arg, char *err,
                                  size_t errlen);
/* Closes everything now and frees a (NULL is fine). */
void ssgw_gw_assoc_close(ssgw_gw_assoc *a);

bool ssgw_gw_assoc_is_up(const ssgw_gw_assoc *a);
/* The other side's address as text ("127.0.0.1:40312"); meaningful while up. */
const char *ssgw_gw_assoc_peer(const ssgw_gw_assoc *a);

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
