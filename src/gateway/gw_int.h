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
 *   gw_status.c        the status socket and the JSON status
 *   gw_default_hook.c  the default inspection hook (decode; malformed -> drop)
 * Every call here runs on the loop's thread, except the hook itself when
 * inspection threads are on (gw_data.c says which state they may touch).
 */
#ifndef SSGW_GATEWAY_GW_INT_H
#define SSGW_GATEWAY_GW_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gateway/gw_tp.h"
#include "gateway/gw_workers.h"
#include "ssgw/asp_fsm.h"
#include "ssgw/buf.h"
#include "ssgw/gateway.h"
#include "ssgw/pcap_writer.h"

#define GW_SCRATCH_CAP (SSGW_GW_MAX_OUT * (4096 + 512)) /* room for XUDT segments */

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
} gw_link;

struct ssgw_gw {
    ssgw_evloop *loop;
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
    long long beat_timer;
    uint64_t drains;
    ssgw_pcap_writer *pcap;
    /* inspection threads ([gateway] workers); NULL: the hook runs on the loop's thread */
    gw_workers *workers;
    uint32_t next_link_id;
    uint32_t lane_stalled_on[GW_WORKERS_MAX]; /* link id whose full queue stalls a lane */
    ssgw_view *lane_view;                     /* one view per lane */
    ssgw_view view;
    uint8_t scratch[GW_SCRATCH_CAP];
    uint8_t rewrite[GW_SCRATCH_CAP];
    uint8_t mgmt[4096];
};

/* ---- gateway.c: logging and counters ----------------------------------------------- */

/* One line on stderr: "TIME ssgw: ..." (UTC). */
void gw_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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
/* DAUD (RFC 4666 3.4.3, 4.5.3): DAVA or DUNA for each affected point code. */
void gw_ssnm_answer_daud(gw_link *l, const ssgw_m3ua_msg *msg);

/* ---- gw_status.c ------------------------------------------------------------------- */

/* Listens on the status socket path (a stale socket is replaced); -1 with err. */
int gw_status_open(ssgw_gw *g, const char *path, char *err, size_t errlen);
/* Closes and removes the status socket, if open. */
void gw_status_close(ssgw_gw *g);

#endif
