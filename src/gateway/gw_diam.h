/*
 * gw_diam.h - what the files of the gateway's Diameter edge proxy share (not
 * included outside src/gateway/):
 *
 *   gw_diam_peer.c   one peer connection each: the transport (gw_tp with the
 *                    Diameter framing), the state machine of RFC 6733 5.6 (the
 *                    table of diam_fsm.c) and its actions: CER/CEA, DWR/DWA
 *                    (watchdog, RFC 3539), DPR/DPA, the peer's identity and
 *                    applications
 *   gw_diam_relay.c  application messages: routing by Destination-Host / -Realm,
 *                    the hop-by-hop mapping and answer routing, Route-Record and
 *                    loop detection, back pressure, the inspection hook, the
 *                    answers the gateway builds, counters by reason
 *   gw_diam.c        the proxy as a whole: start, reload, flush, shutdown, status
 *
 * Everything runs on the loop's thread.
 */
#ifndef SSGW_GATEWAY_GW_DIAM_H
#define SSGW_GATEWAY_GW_DIAM_H

#include "gateway/gw_int.h"
#include "ssgw/diam_fsm.h"
#include "ssgw/diameter.h"

#define GW_DIAM_MAX_FRAME (256 * 1024) /* what the TCP framing accepts at all */
#define GW_DIAM_OUT_CAP   (GW_DIAM_MAX_FRAME + 1024)

typedef struct gw_dpeer {
    struct gw_diam *d;
    unsigned index;
    uint32_t id; /* unique for the gateway's life: pending requests name peers by it */
    ssgw_gw_dpeer_config cfg;
    gw_tp tp;
    ssgw_dpeer_state state;
    long long timer; /* CER / CEA / DPA wait, or the watchdog (Tw) while open */
    bool dwr_out;    /* a DWR is outstanding */
    uint64_t last_rx_ms;
    /* what the peer said in its CER / CEA */
    char host[SSGW_GW_DIAM_ID_LEN], realm[SSGW_GW_DIAM_ID_LEN];
    uint32_t apps[SSGW_GW_MAX_DIAM_APP];
    size_t n_apps;
    bool relay; /* advertised the Relay application */
    uint32_t next_hbh;
    struct gw_dpeer *blocked_on; /* reading stopped until this peer's queue drains */
    bool resume;
    uint64_t data_in, data_out, dropped, mgmt_in, mgmt_out, blocked, refused, opened;
    uint64_t log_ms;
    uint32_t tsn_in, tsn_out; /* the capture's SCTP TSNs */
} gw_dpeer;

/* A relayed request waiting for its answer (slot = out_hbh & mask). */
typedef struct {
    uint32_t out_hbh, in_hbh; /* ours on the destination, the source's */
    uint32_t src_id, dst_id;
    uint64_t time_ms;
    bool used;
} gw_pending;

typedef struct gw_diam {
    ssgw_gw *g;
    ssgw_gw_diam_config cfg;
    gw_dpeer *peers[SSGW_GW_MAX_DPEERS];
    size_t n_peers;
    uint32_t next_id;
    gw_pending *pending;
    uint32_t pmask, next_hbh;
    ssgw_gw_diam_counters c;
    ssgw_gw_diam_inspect_fn inspect;
    void *inspect_ctx;
    uint32_t origin_state_id;
    uint32_t e2e_next;
    long long sweep_timer;
    uint8_t mgmt[8192];
    uint8_t fwd[GW_DIAM_OUT_CAP];
    uint8_t act_out[GW_DIAM_OUT_CAP];
} gw_diam;

/* ---- gw_diam_peer.c ---- */

extern const gw_tp_framing gw_diam_framing;
gw_dpeer *gw_dpeer_new(gw_diam *d, const ssgw_gw_config *cfg, const ssgw_gw_dpeer_config *pc,
                       unsigned index, char *err, size_t errlen);
void gw_dpeer_free(gw_diam *d, gw_dpeer *p);
/* The peer's state machine: event ev (m: the message that caused it, or NULL). */
void gw_dpeer_step(gw_dpeer *p, ssgw_dpeer_event ev, const uint8_t *m, size_t len);
bool gw_dpeer_open(const gw_dpeer *p);
/* True when the peer advertised app (or the Relay application). */
bool gw_dpeer_supports(const gw_dpeer *p, uint32_t app);
/* Queues m on p: 0, or gw_tp_send's error. */
int gw_dpeer_send(gw_dpeer *p, const uint8_t *m, size_t len);

/* ---- gw_diam_relay.c ---- */

/* An application message from open peer p: 0 consumed (forwarded, answered or dropped,
 * counted), 1 blocked (the destination is full: p stops reading until it drains). */
int gw_diam_deliver(gw_dpeer *p, const uint8_t *m, size_t len);
/* An application message that cannot be delivered (peer not open, malformed framing):
 * counted as received and dropped under reason. */
void gw_diam_drop(gw_diam *d, gw_dpeer *p, const char *reason);
void gw_diam_count(gw_diam *d, const char *reason);
/* An application message counted as received on p (it is forwarded, answered or dropped
 * next). */
void gw_diam_count_in(gw_diam *d, gw_dpeer *p, bool request);
/* Answers request m (its raw bytes) on p with result (RFC 6733 7.1), counted as answered
 * under reason. */
void gw_diam_answer(gw_diam *d, gw_dpeer *p, const uint8_t *m, size_t len, uint32_t result,
                    const char *reason, const char *text);
/* Pending requests: allocation, lookup, expiry. */
int gw_diam_pending_init(gw_diam *d);
void gw_diam_sweep(gw_diam *d, uint64_t now_ms);
gw_dpeer *gw_diam_peer_by_id(gw_diam *d, uint32_t id);
/* Peers whose reading waits for p resume. */
void gw_diam_unblock(gw_diam *d, gw_dpeer *p);

#endif
