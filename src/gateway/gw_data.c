/*
 * gw_data.c - the gateway's DATA forward path (RFC 4666 3.3.1), on the loop's
 * thread: a DATA message on an ACTIVE link (gw_link.c decoded it: malformed ->
 * ERR with the RFC 4666 3.8.1 code, counted) -> route (gw_route.c) -> room in
 * the destination's queue? if not, keep the message and stop reading the source
 * (back pressure, counted) -> the hook -> forward / forward modified / answer /
 * drop, counted by reason -> routing context rewritten for the destination when
 * it differs -> queued on the SCTP stream chosen by SLS -> written in a batch
 * when the loop turn ends (gateway.c). No allocation on this path.
 *
 * With inspection threads ([gateway] workers) the hook runs on them: the
 * message is copied into the ring of the lane its routing label hashes to
 * (gw_workers.c keeps order per lane), the thread runs the hook on the copy and
 * only on it, and the loop thread carries out the results in order per lane,
 * routing again when the chosen link went away meanwhile. With batch hooks (a shared
 * state store) a thread brackets the jobs it took at once with them, and their results
 * come back together after the batch's end.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/gw_int.h"
#include "util/bytes.h"

#define ROUTE_SLACK 512 /* room a hook may add (token, UDT->XUDT) */

/* ---- carrying out the hook's action ----------------------------------------------- */

/* The number of whole M3UA messages laid end to end in m[0..len), 0 when they do not tile it. */
static size_t count_msgs(const uint8_t *m, size_t len)
{
    size_t n = 0, off = 0;
    while (off < len) {
        if (len - off < SSGW_M3UA_HDR_LEN || m[off] != 1) return 0;
        uint32_t ml = get_be32(m + off + 4);
        if (ml < SSGW_M3UA_HDR_LEN || ml > len - off) return 0;
        off += ml;
        n++;
    }
    return n;
}

/* Sends the messages of m[0..len) (count_msgs said they tile it) on d, each with d's RC. */
static int send_msgs(ssgw_gw *g, gw_link *d, const uint8_t *m, size_t len, uint16_t stream,
                     const ssgw_m3ua_msg *dec)
{
    for (size_t off = 0; off < len;) {
        size_t ml = get_be32(m + off + 4), sl = ml;
        const uint8_t *o = gw_for_link(g, d, m + off, &sl, ml == len ? dec : NULL);
        if (gw_link_send(d, o, sl, stream) < 0) return -1;
        off += ml;
    }
    return 0;
}

/*
 * What the hook decided, carried out: l is the arrival link (NULL when it went away
 * while an inspection thread held the message), d the destination gw_route() chose.
 */
static void apply_action(ssgw_gw *g, gw_link *l, gw_link *d, const ssgw_gw_action *act,
                         const uint8_t *m, size_t len, const ssgw_m3ua_msg *dec, uint16_t stream,
                         uint8_t sls)
{
    const uint8_t *out = m;
    size_t olen = len;
    size_t nmsg = 1;
    switch (act->verdict) {
    case SSGW_GW_FORWARD:
        break;
    case SSGW_GW_FORWARD_MODIFIED:
    case SSGW_GW_ANSWER:
        if (act->out_len > act->out_cap || !(nmsg = count_msgs(act->out, act->out_len))) {
            gw_drop(g, l, "inspect.bad_action");
            return;
        }
        out = act->out;
        olen = act->out_len;
        dec = NULL;
        if (act->verdict == SSGW_GW_ANSWER) {
            if (!l) {
                gw_drop(g, NULL, "answer.link_gone");
                return;
            }
            if (send_msgs(g, l, out, olen, stream, NULL) < 0) {
                gw_drop(g, l, "answer.queue_full");
                return;
            }
            g->c.answered++;
            gw_count_reason(g, act->reason ? act->reason : "inspect.answer");
            return;
        }
        g->c.forwarded_modified++;
        break;
    case SSGW_GW_DROP:
    default:
        gw_drop(g, l, act->reason ? act->reason : "inspect.drop");
        return;
    }
    if (act->alert) {
        g->c.alerts++;
        gw_count_reason(g, act->reason ? act->reason : "inspect.alert");
    } else if (act->verdict == SSGW_GW_FORWARD_MODIFIED && act->reason)
        gw_count_reason(g, act->reason);
    if (send_msgs(g, d, out, olen, gw_tp_stream_for_sls(&d->tp, sls), dec) < 0) {
        gw_drop(g, l, "queue.full");
        return;
    }
    d->data_out += nmsg;
    g->c.forwarded++;
}

/* ---- inspection threads ([gateway] workers) --------------------------------------- */

/* A job (loop -> worker) and a result (worker -> loop); the message bytes follow each
 * header, and a result's hook output follows the message. */
typedef struct {
    uint32_t src_id, dst_id, len, link_index;
    uint16_t stream;
    uint8_t side;
    uint64_t now_ms;
    uint64_t rx_wall_ms;
    uint64_t t0_ns; /* arrival, for the latency histogram */
    char link_name[32];
} gw_job;

typedef struct {
    uint32_t src_id, dst_id, in_len;
    uint16_t stream;
    uint8_t side, sls, failed;
    uint64_t t0_ns;
    ssgw_gw_action act; /* out points into the result; rebased by the loop thread */
} gw_result;

#define JOB_MAX    (sizeof(gw_job) + SSGW_M3UA_MAX_MSG_DEFAULT)
#define RESULT_MAX (sizeof(gw_result) + SSGW_M3UA_MAX_MSG_DEFAULT + GW_SCRATCH_CAP)

/* The lane of a message: its MTP3 routing label (OPC, DPC, SLS), the unit of order; for
 * ISUP (SI 5) the circuit (OPC, DPC, CIC) instead of the SLS, so that every message of a
 * call is inspected in order even when the originator does not derive the SLS from the
 * CIC (the ITU convention, Q.704 2.2, which then makes the two the same). */
static unsigned lane_for(const ssgw_gw *g, const ssgw_m3ua_msg *msg)
{
    const ssgw_m3ua_protocol_data *pd = &msg->protocol_data;
    uint32_t order = pd->sls;
    if (pd->si == 5 && pd->data_len >= 2)
        order = 0x10000u | pd->data[0] | (uint32_t)(pd->data[1] & 0x0f) << 8; /* the CIC */
    uint32_t h = pd->opc * 0x9e3779b1u ^ pd->dpc * 0x85ebca6bu ^ order * 0xc2b2ae35u;
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    return h % gw_workers_count(g->workers);
}

static gw_link *link_by_id(ssgw_gw *g, uint32_t id)
{
    for (size_t i = 0; i < g->n_links; i++)
        if (g->links[i]->id == id) return g->links[i];
    return NULL;
}

/* On an inspection thread: runs the hook on a copy of the message. */
static size_t work(void *arg, unsigned lane, const uint8_t *job, size_t jlen, uint8_t *res,
                   size_t cap)
{
    ssgw_gw *g = arg;
    gw_job j;
    memcpy(&j, job, sizeof j);
    (void)jlen;
    gw_result r;
    memset(&r, 0, sizeof r);
    r.src_id = j.src_id;
    r.dst_id = j.dst_id;
    r.in_len = j.len;
    r.stream = j.stream;
    r.side = j.side;
    r.t0_ns = j.t0_ns;
    uint8_t *m = res + sizeof r;
    memcpy(m, job + sizeof j, j.len);
    uint8_t *out = m + j.len;
    ssgw_m3ua_msg msg;
    ssgw_error e;
    r.act.verdict = SSGW_GW_FORWARD;
    if (ssgw_m3ua_decode(m, j.len, &msg, &e) < 0) {
        r.failed = 1; /* the loop thread decoded it before: cannot happen */
    } else {
        r.sls = msg.protocol_data.sls;
        ssgw_gw_msg gm = {.from_side = (ssgw_gw_side)j.side,
                          .link = j.link_name,
                          .link_index = j.link_index,
                          .stream = j.stream,
                          .data = m,
                          .len = j.len,
                          .m3ua = &msg,
                          .view = &g->lane_view[lane],
                          .view_ok = false,
                          .now_ms = j.now_ms,
                          .lane = lane,
                          .rx_wall_ms = j.rx_wall_ms};
        r.act.out = out;
        r.act.out_cap = cap - sizeof r - j.len;
        uint64_t t = gw_now_ns();
        if (g->inspect(g->inspect_ctx, &gm, &r.act) < 0) r.failed = 1;
        gw_histo_add(&g->inspect_time[lane], gw_now_ns() - t);
    }
    bool has_out = r.act.verdict == SSGW_GW_FORWARD_MODIFIED || r.act.verdict == SSGW_GW_ANSWER;
    if (!has_out || r.act.out_len > r.act.out_cap) r.act.out_len = has_out ? r.act.out_cap + 1 : 0;
    r.act.out = NULL;
    memcpy(res, &r, sizeof r);
    return sizeof r + j.len + (r.act.out_len <= r.act.out_cap ? r.act.out_len : 0);
}

/* On the loop thread, in order per lane: carries out one result (1 = destination full). */
static int done_one(void *arg, unsigned lane, const uint8_t *res, size_t rlen)
{
    ssgw_gw *g = arg;
    gw_result r;
    memcpy(&r, res, sizeof r);
    (void)rlen;
    const uint8_t *m = res + sizeof r;
    gw_link *l = link_by_id(g, r.src_id);
    if (r.failed) {
        g->c.in_flight--;
        gw_drop(g, l, "inspect.internal_error");
        return 0;
    }
    r.act.out = (uint8_t *)(uintptr_t)(m + r.in_len);
    gw_link *d = NULL;
    if (r.act.verdict == SSGW_GW_FORWARD || r.act.verdict == SSGW_GW_FORWARD_MODIFIED) {
        d = link_by_id(g, r.dst_id);
        if (!d || d->state != SSGW_ASP_ACTIVE || !d->tp.up) {
            /* the destination went away while the message was inspected: route again */
            ssgw_m3ua_msg msg;
            ssgw_error e;
            const char *reason = "route.no_route";
            d = ssgw_m3ua_decode(m, r.in_len, &msg, &e) == 0
                    ? gw_route(g, (ssgw_gw_side)r.side, &msg, &reason)
                    : NULL;
            if (!d) {
                g->c.in_flight--;
                gw_drop(g, l, reason);
                return 0;
            }
        }
        size_t need = r.act.verdict == SSGW_GW_FORWARD ? r.in_len : r.act.out_len;
        if (!gw_tp_has_room(&d->tp, need + ROUTE_SLACK)) {
            d->tp.was_full = true;
            g->lane_stalled_on[lane] = d->id;
            g->c.backpressure++; /* this lane's results (and then its sources) wait */
            return 1;
        }
    }
    g->c.in_flight--;
    apply_action(g, l, d, &r.act, m, r.in_len, NULL, r.stream, r.sls);
    return 0;
}

/* done_one, and the message's latency once it is carried out. */
static int done(void *arg, unsigned lane, const uint8_t *res, size_t rlen)
{
    ssgw_gw *g = arg;
    if (done_one(arg, lane, res, rlen)) return 1;
    uint64_t t0;
    memcpy(&t0, res + offsetof(gw_result, t0_ns), sizeof t0);
    gw_histo_add(&g->latency[lane], gw_now_ns() - t0);
    return 0;
}

/* On the loop thread: a lane took jobs off its ring; sources waiting for it read on. */
static void lane_drained(void *arg, unsigned lane)
{
    ssgw_gw *g = arg;
    for (size_t i = 0; i < g->n_links; i++) {
        gw_link *s = g->links[i];
        if (s->blocked_lane == lane + 1) {
            s->blocked_lane = 0;
            gw_tp_resume(&s->tp);
        }
    }
}

/* Lanes whose next result waits for link id (or for a link that no longer exists). */
void gw_resume_lanes(ssgw_gw *g, uint32_t id)
{
    if (!g->workers) return;
    for (unsigned k = 0; k < gw_workers_count(g->workers); k++) {
        uint32_t s = g->lane_stalled_on[k];
        if (!s || (s != id && link_by_id(g, s))) continue;
        g->lane_stalled_on[k] = 0;
        gw_workers_resume(g->workers, k);
    }
}

/* On an inspection thread: the jobs it took at once, for the batch hook. */
static void batch_begin(void *arg, unsigned lane, const uint8_t *const *jobs, const size_t *lens,
                        size_t n)
{
    ssgw_gw *g = arg;
    ssgw_gw_msg msgs[GW_WORKERS_BATCH];
    (void)lens;
    if (!g->batch_begin) return;
    for (size_t i = 0; i < n && i < GW_WORKERS_BATCH; i++) {
        gw_job j;
        memcpy(&j, jobs[i], sizeof j);
        msgs[i] = (ssgw_gw_msg){.from_side = (ssgw_gw_side)j.side,
                                .link = NULL,
                                .link_index = j.link_index,
                                .stream = j.stream,
                                .data = jobs[i] + sizeof j,
                                .len = j.len,
                                .now_ms = j.now_ms,
                                .lane = lane};
    }
    g->batch_begin(g->batch_ctx, lane, msgs, n);
}

static void batch_end(void *arg, unsigned lane)
{
    ssgw_gw *g = arg;
    if (g->batch_end) g->batch_end(g->batch_ctx, lane);
}

static const gw_workers_ops worker_ops = {.work = work,
                                          .done = done,
                                          .drained = lane_drained,
                                          .batch_begin = batch_begin,
                                          .batch_end = batch_end};

int gw_data_workers_start(ssgw_gw *g, char *err, size_t errlen)
{
    unsigned n = g->cfg->workers;
    g->lane_view = calloc(n, sizeof *g->lane_view);
    if (!g->lane_view) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    g->workers = gw_workers_new(n, JOB_MAX, RESULT_MAX, g->loop, &worker_ops, g, err, errlen);
    return g->workers ? 0 : -1;
}

void gw_data_workers_stop(ssgw_gw *g)
{
    gw_workers_free(g->workers);
    g->workers = NULL;
    free(g->lane_view);
    g->lane_view = NULL;
}

/* Hands the message to its lane: 0, or 1 when the lane's ring is full (back pressure). */
static int dispatch(gw_link *l, gw_link *d, const ssgw_m3ua_msg *msg, const uint8_t *m, size_t len,
                    uint16_t stream)
{
    ssgw_gw *g = l->g;
    unsigned lane = lane_for(g, msg);
    if (len > SSGW_M3UA_MAX_MSG_DEFAULT) {
        g->c.data_in++;
        l->data_in++;
        gw_drop(g, l, "inspect.too_large");
        return 0;
    }
    uint8_t *slot = gw_workers_reserve(g->workers, lane, sizeof(gw_job) + len);
    if (!slot) {
        if (l->blocked_lane != lane + 1) {
            g->c.backpressure++;
            l->blocked++;
        }
        l->blocked_lane = lane + 1;
        return 1;
    }
    l->blocked_lane = 0;
    g->c.data_in++;
    l->data_in++;
    gw_job j;
    memset(&j, 0, sizeof j);
    j.src_id = l->id;
    j.dst_id = d->id;
    j.len = (uint32_t)len;
    j.link_index = l->index;
    j.stream = stream;
    j.side = (uint8_t)l->cfg.side;
    j.now_ms = g->rx_ns / 1000000u;
    j.rx_wall_ms = g->rx_wall_ms;
    j.t0_ns = g->rx_ns;
    snprintf(j.link_name, sizeof j.link_name, "%s", l->cfg.name);
    memcpy(slot, &j, sizeof j);
    memcpy(slot + sizeof j, m, len);
    gw_workers_commit(g->workers, lane, sizeof j + len);
    g->c.in_flight++;
    return 0;
}

/* ---- DATA: route, back pressure, inspect ------------------------------------------ */

int gw_deliver(gw_link *l, const ssgw_m3ua_msg *msg, const uint8_t *m, size_t len, uint16_t stream)
{
    ssgw_gw *g = l->g;
    const char *reason = NULL;
    gw_link *d = gw_route(g, l->cfg.side, msg, &reason);
    if (d && !gw_tp_has_room(&d->tp, len + ROUTE_SLACK)) {
        /* back pressure: keep the message, stop reading l until d drains */
        if (l->blocked_on != d) {
            g->c.backpressure++;
            l->blocked++;
        }
        l->blocked_on = d;
        d->tp.was_full = true;
        return 1;
    }
    l->blocked_on = NULL;
    if (d && g->workers) return dispatch(l, d, msg, m, len, stream);
    uint64_t t0 = g->rx_ns; /* arrival: latency from the read that brought the message */
    g->c.data_in++;
    l->data_in++;
    if (!d) {
        gw_drop(g, l, reason);
        gw_histo_add(&g->latency[0], gw_now_ns() - t0);
        return 0;
    }
    ssgw_gw_msg gm = {.from_side = l->cfg.side,
                      .link = l->cfg.name,
                      .link_index = l->index,
                      .stream = stream,
                      .data = m,
                      .len = len,
                      .m3ua = msg,
                      .view = &g->view,
                      .view_ok = false,
                      .now_ms = t0 / 1000000u,
                      .lane = 0,
                      .rx_wall_ms = g->rx_wall_ms};
    ssgw_gw_action act = {.verdict = SSGW_GW_FORWARD,
                          .out = g->scratch,
                          .out_cap = sizeof g->scratch,
                          .out_len = 0,
                          .reason = NULL,
                          .alert = false};
    /* two clock reads a message (each costs about what a plain relay spends forwarding
     * one): ssgw_inspection_duration_seconds is the hook alone, and the same end closes
     * ssgw_message_latency_seconds (the action after it, a copy into a queue, is not in it) */
    uint64_t t_hook = gw_now_ns();
    int rc = g->inspect(g->inspect_ctx, &gm, &act);
    uint64_t t_end = gw_now_ns();
    gw_histo_add(&g->inspect_time[0], t_end - t_hook);
    gw_histo_add(&g->latency[0], t_end - t0);
    if (rc < 0)
        gw_drop(g, l, "inspect.internal_error");
    else
        apply_action(g, l, d, &act, m, len, msg, stream, msg->protocol_data.sls);
    return 0;
}
