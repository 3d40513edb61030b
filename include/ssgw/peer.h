/*
 * peer.h - `ssgw peer`, a scriptable M3UA test peer (src/sim/peer.c).
 *
 * One association over TCP, SCTP over UDP or kernel SCTP (multi-homed if asked), either role: as
 * ASP it connects and brings the association up (ASPUP, ASPAC); as SG it accepts an ASP and answers
 * (ASPUP_ACK, NTFY, ASPAC_ACK). It simulates network elements on the global titles it is given and
 * answers MAP requests with results built by the codecs, sends MAP traffic or replays a capture at
 * a rate, originates and terminates ISUP calls (IAM, ACM, ANM, REL, RLC), can send malformed
 * messages, BEAT and DAUD, and records every message it sends and
 * receives as JSON lines. It exits by itself (count, linger, duration).
 */
#ifndef SSGW_PEER_H
#define SSGW_PEER_H

#include <stdbool.h>
#include <stdint.h>

#include "ssgw/gateway.h"

#define SSGW_PEER_MAX_NE 8

typedef enum {
    SSGW_PEER_NE_HLR = 0,
    SSGW_PEER_NE_VLR,
    SSGW_PEER_NE_MSC,
    SSGW_PEER_NE_SMSC,
    SSGW_PEER_NE_GSMSCF,
    SSGW_PEER_NE_COUNT
} ssgw_peer_ne_kind;

typedef struct {
    ssgw_gw_transport transport;
    ssgw_gw_role role;
    bool listen;
    char host[64];
    uint16_t port;
    uint16_t udp_port;        /* sctp-udp: local encapsulation port */
    uint16_t remote_udp_port; /* sctp-udp + connect */
    /* SCTP multi-homing (ssgw_gw_assoc_config): literals of host's family ("": none) */
    char local_address[SSGW_GW_ADDR_LEN];                  /* connect: the first local address */
    char local_addrs[SSGW_GW_MAX_ADDRS][SSGW_GW_ADDR_LEN]; /* further local addresses */
    size_t n_local_addrs;
    char remote_addrs[SSGW_GW_MAX_ADDRS][SSGW_GW_ADDR_LEN]; /* connect: the peer's further */
    size_t n_remote_addrs;
    char primary[SSGW_GW_ADDR_LEN]; /* the peer address made the primary path */
    bool has_rc;
    uint32_t rc;
    uint32_t traffic_mode;
    struct {
        ssgw_peer_ne_kind kind;
        char gt[24];
    } ne[SSGW_PEER_MAX_NE];
    unsigned n_ne;
    /* traffic */
    int op;             /* MAP opcode to send (-1: none) */
    uint64_t count;     /* messages to send */
    bool until_stopped; /* send without end; SIGTERM / SIGINT is the normal end (exit 0) */
    double rate;        /* per second; 0 = as fast as the queue takes them */
    char from_gt[24], to_gt[24];
    char imsi[16];   /* the subscriber: sent requests carry it, and answers to requests that
                        name none (sendRoutingInfoForSM) return it ("" = built-in defaults) */
    char msisdn[24]; /* likewise for the MSISDN */
    uint32_t opc, dpc;
    uint8_t called_ssn, calling_ssn;
    const char *replay;    /* pcap: every M3UA DATA in it is sent */
    const char *garbage;   /* comma list: bad-version,bad-length,truncated,unknown-class */
    bool beat, daud, duna; /* send a BEAT / a DAUD / a DUNA (for dpc) once active */
    unsigned duration_ms;  /* hard stop (default 20000) */
    unsigned linger_ms;    /* after the last send, stop when nothing arrived for this long */
    unsigned start_delay_ms;
    uint64_t expect;        /* stop once this many DATA arrived (and linger passed) */
    bool expect_sent;       /* expect as many DATA as were sent (every request answered) */
    unsigned pause_read_ms; /* stop reading for this long once ACTIVE (back pressure tests) */
    int rcvbuf;
    size_t queue_bytes;
    const char *record; /* JSON lines file */
    bool quiet;
    /* ISUP calls (src/sim/peer_isup.c) */
    uint64_t calls;   /* IAMs to send, one per circuit: CIC cic, cic + 1, ... */
    uint16_t cic;     /* the first circuit (default 1) */
    char calling[24]; /* calling party number (international E.164) */
    char called[24];  /* called party number */
    int8_t screening; /* the calling number's screening indicator (default 3: network
                         provided) */
    char exchange[SSGW_PEER_MAX_NE][24]; /* called-number prefixes this exchange answers */
    unsigned n_exchange;
} ssgw_peer_opts;

void ssgw_peer_opts_default(ssgw_peer_opts *o);
int ssgw_peer_ne_parse(const char *s); /* "hlr", "vlr", "msc", "smsc", "gsmscf"; -1 */
const char *ssgw_peer_ne_name(ssgw_peer_ne_kind k);

/* Runs the peer until it is done; 0 when the association became ACTIVE and every
 * message was sent, 1 otherwise, 2 on a start-up error (err says which). */
int ssgw_peer_run(const ssgw_peer_opts *o, char *err, size_t errlen);

#endif
