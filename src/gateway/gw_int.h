/*
 * gw_int.h - what the files of the live gateway share, and nothing outside
 * src/gateway/ may include: the gateway object (struct ssgw_gw), one link
 * (gw_link: an M3UA association, its ASP state and its counters) and the calls
 * the files make into each other. The public API is include/ssgw/gateway.h.
 *
 * Who does what:
 *   gateway.c          creation, reload, shutdown, free; the loop's idle flush;
 *                      the log line and the drop counters every file uses
 *   gw_link.c          links: creation and free, sending (ERR, NTFY, management,
 *                      the outer-side capture), transport callbacks, the ASP
 *                      state machine's actions, ack timers, BEAT
 *   gw_route.c         which link of the other side a DATA message goes to, and
 *                      the routing context rewritten for that link
 *   gw_data.c          the DATA forward path: back pressure, the inspection hook
 *                      (inline or on inspection threads), carrying out its action
 *   gw_ssnm.c          DUNA/DAVA/SCON/DUPU relayed to the other side, DAUD
 *                      answered, point codes each link's SG said unavailable
 *   gw_rkm.c           REG / DEREG from an ASP on SG links: registered routing keys
 *   gw_status.c        the status socket and the JSON status
 *   gw_default_hook.c  the default inspection hook (decode; malformed -> drop)
 *   gw_diam*.c         the Diameter edge proxy (its own header: gw_diam.h)
 * Every call here runs on the loop's thread, except the hook itself when
 * inspection threads are on (gw_data.c says which state they may touch).
 */
#ifndef SSGW_GATEWAY_GW_INT_H
#define SSGW_GATEWAY_GW_INT_H

#include <stdbool.h>
#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "gateway/gw_tp.h"
#include "gateway/gw_workers.h"
#include "ssgw/asp_fsm.h"
#include "ssgw/buf.h"
#include "ssgw/gateway.h"
#include "ssgw/pcap_writer.h"

#define GW_SCRATCH_CAP (SSGW_GW_MAX_OUT * (4096 + 512)) /* room for XUDT segments */

/* Why an association was refused or closed by the admission rules (gw_admit.c). */
typedef enum {
    GW_ADMIT_NOT_ALLOWED = 0,
    GW_ADMIT_BUSY,
    GW_ADMIT_ASPUP_TIMEOUT,
    GW_ADMIT_IDLE_TIMEOUT,
    GW_ADMIT_COUNT
} gw_admit_reason;

/* What registration did on a link (gw_rkm.c). */
typedef enum {
    GW_RKM_REGISTERED = 0,
    GW_RKM_REFUSED,
    GW_RKM_DEREGISTERED,
    GW_RKM_DEREG_REFUSED,
    GW_RKM_COUNT
} gw_rkm_counter;

/* A routing key the link's ASP registered, and the routing context it got. */
typedef struct {
    ssgw_m3ua_routing_key key; /* dpc without mask; si and opc lists */
    uint32_t rc;
} gw_rkey;

/*
 * A latency histogram with fixed buckets (gw_latency.c). One thread writes it (at a
 * time: a lane's thread, or the loop's), any thread reads it: every field is stored and
 * read with relaxed atomics, so a reader sees each counter whole (a scrape may see one
 * observation in the count and not yet in the sum, never a torn value). No locks, no
 * allocation; a second concurrent writer would lose counts.
 */
#define GW_LAT_BUCKETS 16
typedef struct {
    uint64_t n[GW_LAT_BUCKETS + 1]; /* [i]: at most gw_lat_bounds[i]; [GW_LAT_BUCKETS]: above */
    uint64_t sum_ns;
} gw_histo;
extern const double gw_lat_bounds[GW_LAT_BUCKETS]; /* seconds */
void gw_histo_add(gw_histo *h, uint64_t ns);
/* A copy (counts and sum in seconds) for the metrics page. */
void gw_histo_read(const gw_histo *h, uint64_t counts[GW_LAT_BUCKETS + 1], double *sum_s);

typedef struct gw_link {
    struct ssgw_gw *g;
    unsigned index;
    ssgw_gw_link_config cfg;
    gw_tp tp;
    ssgw_asp_state state;
    long long ack_timer;
    struct gw_link *blocked_on;
    uint32_t id;           /* unique for the gateway's life: results of workers name links by it */
    unsigned blocked_lane; /* 1 + the inspection lane whose input ring was full, or 0 */
    uint64_t data_in, data_out, mgmt_in, mgmt_out, err_sent, err_received, blocked, dropped;
    uint32_t beat_seq;
    uint32_t tsn_in, tsn_out;
    uint64_t err_log_ms;
    bool resume;
    uint32_t
        unavail[SSGW_GW_MAX_PC]; /* point codes this link's SG said DUNA for (RFC 4666 4.5.1) */
    size_t n_unavail;
    /* admission (gw_admit.c) */
    long long aspup_timer, idle_timer;
    uint64_t aspup_for;     /* tp.connects of the association the ASP-UP deadline is for */
    uint64_t last_rx_ms;    /* last complete message received */
    unsigned beats_unheard; /* BEATs sent since anything was heard from the peer */
    uint64_t admit[GW_ADMIT_COUNT];
    uint64_t admit_log_ms[GW_ADMIT_COUNT], admit_unlogged[GW_ADMIT_COUNT];
    /* routing keys registered by the ASP of this association (gw_rkm.c) */
    gw_rkey rkeys[SSGW_GW_MAX_RKEYS];
    size_t n_rkeys;
    uint64_t rkm[GW_RKM_COUNT];
    uint64_t rkm_log_ms, rkm_unlogged;
    /* SCTP path changes logged in the current 10 s window, and not logged (gw_link.c) */
    uint64_t path_log_ms, path_unlogged;
    unsigned path_logged;
} gw_link;

struct ssgw_gw {
    ssgw_evloop *loop;
    uint64_t rx_wall_ms; /* wall clock at the arrival of the message being handled (loop) */
    uint64_t rx_ns;      /* CLOCK_MONOTONIC (gw_now_ns) at the same arrival (M3UA links) */
    ssgw_gw_config *cfg;
    gw_link *links[SSGW_GW_MAX_LINKS];
    size_t n_links;
    ssgw_gw_inspect_fn inspect;
    void *inspect_ctx;
    ssgw_gw_batch_begin_fn batch_begin; /* NULL: no batches */
    ssgw_gw_batch_end_fn batch_end;
    void *batch_ctx;
    ssgw_gw_default_inspector *def;
    ssgw_gw_counters c;
    ssgw_gw_status_fn status_extra;
    void *status_extra_ctx;
    int status_fd;
    gid_t status_gid; /* [gateway] status_group's id */
    bool status_gid_set;
    long long beat_timer;
    uint64_t drains;
    ssgw_pcap_writer *pcap;
    /* inspection threads ([gateway] workers); NULL: the hook runs on the loop's thread */
    gw_workers *workers;
    uint32_t next_link_id;
    uint32_t lane_stalled_on[GW_WORKERS_MAX]; /* link id whose full queue stalls a lane */
    /* per lane: arrival on the loop -> action carried out (written by the loop thread), and
     * the inspection hook's own time (written by the lane's thread) */
    gw_histo latency[GW_WORKERS_MAX];
    gw_histo inspect_time[GW_WORKERS_MAX];
    ssgw_view *lane_view; /* one view per lane */
    ssgw_view view;
    uint8_t scratch[GW_SCRATCH_CAP];
    uint8_t rewrite[GW_SCRATCH_CAP];
    uint8_t mgmt[4096];
    struct gw_diam *diam; /* the Diameter edge proxy (gw_diam_*.c); NULL without peers */
};

/* ---- gateway.c: logging and counters ----------------------------------------------- */

/* Counts one more message under reason (a static string; NULL counts nothing). */
void gw_count_reason(ssgw_gw *g, const char *reason);
/* Counts a dropped DATA message on g, on l (may be NULL) and under reason. */
void gw_drop(ssgw_gw *g, gw_link *l, const char *reason);

/* ---- gw_link.c --------------------------------------------------------------------- */

/* Opens the link's transport (listens or starts connecting). NULL with err naming the
 * link and the configuration line. */
gw_link *gw_link_new(ssgw_gw *g, const ssgw_gw_config *cfg, const ssgw_gw_link_config *lc,
                     unsigned index, char *err, size_t errlen);
/* Closes and frees l; the caller has taken l out of g->links (entries may be NULL meanwhile). */
void gw_link_free(ssgw_gw *g, gw_link *l);
/* Queues m on l (captured when l is on the outer side): 0 or gw_tp_send's error. */
int gw_link_send(gw_link *l, const uint8_t *m, size_t len, uint16_t stream);
/* Sends ERR code with (up to 256 octets of) the offending message as diagnostic; counted
 * and logged at most once a second per link. */
void gw_link_send_err(gw_link *l, uint32_t code, const uint8_t *diag, size_t dlen);
/* Sends the management message an encoder wrote into b (nothing when it failed). */
void gw_send_mgmt(gw_link *l, ssgw_buf *b, int enc_result);
/* The BEAT timer: a BEAT on every ACTIVE link; returns the next period. */
uint64_t gw_beat_cb(ssgw_evloop *loop, long long id, void *arg);

/* ---- gw_route.c -------------------------------------------------------------------- */

bool gw_link_routes_dpc(const gw_link *l, uint32_t dpc);
/* A default link: marked so, or with neither DPCs nor GTs. */
bool gw_link_is_default(const gw_link *l);
/* The link of the other side for a DATA message, or NULL with reason
 * ("route.no_route", "route.destination_down"). */
gw_link *gw_route(ssgw_gw *g, ssgw_gw_side from, const ssgw_m3ua_msg *msg, const char **reason);
/* The bytes to send on d: m itself, or m with d's routing context (in g->rewrite, *len
 * updated). dec is m decoded, or NULL. */
const uint8_t *gw_for_link(ssgw_gw *g, const gw_link *d, const uint8_t *m, size_t *len,
                           const ssgw_m3ua_msg *dec);

/* ---- gw_data.c --------------------------------------------------------------------- */

/* A DATA message on ACTIVE link l: 0 consumed (forwarded, answered or dropped, counted),
 * 1 blocked (a queue or an inspection lane is full: l stops reading until resumed). */
int gw_deliver(gw_link *l, const ssgw_m3ua_msg *msg, const uint8_t *m, size_t len, uint16_t stream);
/* Starts g->cfg->workers inspection threads; -1 with err. */
int gw_data_workers_start(ssgw_gw *g, char *err, size_t errlen);
/* Stops them (before the links are freed: results name links). */
void gw_data_workers_stop(ssgw_gw *g);
/* Lanes whose next result waits for link id, or for a link that no longer exists
 * (id 0: only those), take results again. */
void gw_resume_lanes(ssgw_gw *g, uint32_t id);

/* ---- gw_ssnm.c --------------------------------------------------------------------- */

/* An SSNM message (DUNA, DAVA, SCON, DUPU, DRST) from l's SG: relayed to the ASPs of the
 * other side, each with its routing context. */
void gw_ssnm_relay(gw_link *l, const ssgw_m3ua_msg *msg, const uint8_t *m, size_t len);
/* DUNA / DAVA received on l: remember which point codes its SG cannot reach. */
void gw_ssnm_note(gw_link *l, const ssgw_m3ua_msg *msg);
/* True when l's SG said DUNA for pc (and no DAVA since): not a route for pc now. */
bool gw_ssnm_pc_unavailable(const gw_link *l, uint32_t pc);
/* DAUD (RFC 4666 3.4.3, 4.5.3): DAVA or DUNA for each affected point code. */
void gw_ssnm_answer_daud(gw_link *l, const ssgw_m3ua_msg *msg);

/* ---- gw_status.c ------------------------------------------------------------------- */

/* Listens on the status socket path (a stale socket is replaced); -1 with err. */
int gw_status_open(ssgw_gw *g, const char *path, char *err, size_t errlen);

/* gw_admit.c: admission of associations on a link */
const char *gw_admit_reason_name(int r); /* "not_allowed", "busy", "aspup_timeout", ... */
/* True when sa lies in one of the n prefixes (n == 0: any address). */
bool gw_admit_allowed(const ssgw_gw_prefix *allow, size_t n, const struct sockaddr *sa);
/* An association offered to a listening link: true to take it (see gw_tp_ops.admit). */
bool gw_admit_offer(gw_link *l, const struct sockaddr *sa, const char *peer, bool busy);
/* The link's association came up / went down: deadlines armed / cancelled. */
void gw_admit_up(gw_link *l);
void gw_admit_down(gw_link *l);
/* ---- gw_rkm.c: routing key management (RFC 4666 3.6) on SG / IPSP links ------------- */

const char *gw_rkm_counter_name(int c); /* "registered", "refused", ... */
/* A REG REQ / DEREG REQ (or an unexpected RKM message) received on l (rkm = true). */
void gw_rkm_handle(gw_link *l, const ssgw_m3ua_msg *msg, const uint8_t *m, size_t len);
/* True when a key registered on l takes this routing label. */
bool gw_rkm_routes(const gw_link *l, const ssgw_m3ua_protocol_data *pd);
/* True when a key registered on l is for dpc. */
bool gw_rkm_serves_dpc(const gw_link *l, uint32_t dpc);
/* The routing context of the registered key m (DATA; dec when decoded) goes under on l;
 * false when l has no registered key or m belongs to its configured AS. */
bool gw_rkm_rc_for(const gw_link *l, const uint8_t *m, size_t len, const ssgw_m3ua_msg *dec,
                   uint32_t *rc);
/* The association went down: its keys go. */
void gw_rkm_clear(gw_link *l);
/* A reload changed l's configuration: keys it no longer permits go. */
void gw_rkm_reconfigured(gw_link *l);

/* Closes and removes the status socket, if open. */
void gw_status_close(ssgw_gw *g);

/* ---- gw_diam_*.c: the Diameter edge proxy (gw_diam.h has the rest) ------------------- */

/* Opens the [[diameter_peer]]s of cfg (none: g->diam stays NULL). -1 with err. */
int gw_diam_start(ssgw_gw *g, const ssgw_gw_config *cfg, char *err, size_t errlen);
/* A reload: peers whose endpoint is unchanged keep their connection. -1 with err (nothing
 * changed). Called before g->cfg is replaced by cfg. */
int gw_diam_reload(ssgw_gw *g, const ssgw_gw_config *cfg, char *err, size_t errlen);
/* Writes every peer's queue (the loop's idle hook); returns how many drained. */
void gw_diam_flush(ssgw_gw *g);
void gw_diam_arm(ssgw_gw *g);
/* Shutdown: DPR to every open peer; true while something is still to be sent or answered. */
void gw_diam_stop(ssgw_gw *g);
bool gw_diam_pending(const ssgw_gw *g);
void gw_diam_free(ssgw_gw *g);
/* The "diameter" object of the status. */
void gw_diam_status(const ssgw_gw *g, ssgw_json *j);

#endif
