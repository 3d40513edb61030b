/*
 * gateway.c - the live gateway's core: links (one M3UA association each, see
 * gw_tp.c), their ASP state machines (asp_fsm.c), the one-call inspection
 * hook, routing to the other side, back pressure, counters, status, reload.
 *
 * Forward path of a DATA message (RFC 4666 3.3.1), on the loop's thread:
 *   decode the M3UA message (ssgw_m3ua_decode; malformed -> ERR with the RFC
 *   4666 3.8.1 code, counted) -> FSM says DELIVER (link ACTIVE) -> route
 *   (called GT prefix, else DPC, else routing context, else default links of the
 *   other side; override = first ACTIVE, loadshare = by SLS) -> room in the
 *   destination's queue? if not, keep the message and stop reading the source
 *   (back pressure, counted) -> the hook -> forward / forward modified / answer
 *   / drop, counted by reason -> routing context rewritten for the destination
 *   when it differs -> queued on the SCTP stream chosen by SLS -> written in a
 *   batch when the loop turn ends. No allocation on this path.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "gateway/asp_fsm.h"
#include "gateway/gw_tp.h"
#include "gateway/gw_workers.h"
#include "ssgw/gateway.h"
#include "ssgw/json.h"
#include "ssgw/pcap_writer.h"
#include "ssgw/sccp.h"
#include "util/bytes.h"

#define SCRATCH_CAP (SSGW_GW_MAX_OUT * (4096 + 512)) /* room for XUDT segments */
#define ROUTE_SLACK 512                              /* room a hook may add (token, UDT->XUDT) */

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
    uint8_t scratch[SCRATCH_CAP];
    uint8_t rewrite[SCRATCH_CAP];
    uint8_t mgmt[4096];
};

/* ---- logging and counters --------------------------------------------------------- */

static void gw_log(const char *fmt, ...)
{
    char ts[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "%s ssgw: ", ts);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void count_reason(ssgw_gw *g, const char *reason)
{
    if (!reason) return;
    for (size_t i = 0; i < g->c.n_reasons; i++)
        if (g->c.reasons[i].reason == reason || !strcmp(g->c.reasons[i].reason, reason)) {
            g->c.reasons[i].n++;
            return;
        }
    if (g->c.n_reasons < SSGW_GW_MAX_REASONS) {
        g->c.reasons[g->c.n_reasons].reason = reason;
        g->c.reasons[g->c.n_reasons++].n = 1;
    } else
        g->c.reasons[SSGW_GW_MAX_REASONS - 1].n++; /* the last slot absorbs the rest */
}

static void drop(ssgw_gw *g, gw_link *l, const char *reason)
{
    g->c.dropped++;
    if (l) l->dropped++;
    count_reason(g, reason);
}

/* ---- capture of the outer side ---------------------------------------------------- */

static void capture(ssgw_gw *g, gw_link *l, bool rx, const uint8_t *m, size_t len, uint16_t stream)
{
    if (!g->pcap || l->cfg.side != SSGW_GW_SIDE_OUTER) return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    ssgw_pcap_endpoints ep;
    memset(&ep, 0, sizeof ep);
    uint32_t gw_ip = 0x0a000001, peer_ip = 0x0a000100 + l->index + 2;
    ep.src_ip4 = rx ? peer_ip : gw_ip;
    ep.dst_ip4 = rx ? gw_ip : peer_ip;
    ep.src_port = rx ? l->cfg.port : SSGW_M3UA_PORT;
    ep.dst_port = rx ? SSGW_M3UA_PORT : l->cfg.port;
    ep.vtag = rx ? 0x5353475a : 0x4757530a;
    uint32_t tsn = rx ? ++l->tsn_in : ++l->tsn_out;
    ssgw_pcap_write_sctp(g->pcap, (uint32_t)tv.tv_sec, (uint32_t)tv.tv_usec, &ep, stream, tsn, m,
                         len);
}

/* ---- sending ---------------------------------------------------------------------- */

static int send_on(gw_link *l, const uint8_t *m, size_t len, uint16_t stream)
{
    int r = gw_tp_send(&l->tp, m, len, stream);
    if (r == 0) capture(l->g, l, false, m, len, stream);
    return r;
}

static void send_mgmt(gw_link *l, ssgw_buf *b, int enc_result)
{
    if (enc_result < 0 || b->overflow) return;
    if (send_on(l, b->data, b->len, 0) == 0) {
        l->mgmt_out++;
        l->g->c.mgmt_out++;
    }
}

static void send_err(gw_link *l, uint32_t code, const uint8_t *diag, size_t dlen)
{
    ssgw_buf b;
    ssgw_buf_init(&b, l->g->mgmt, sizeof l->g->mgmt);
    ssgw_m3ua_err_info e;
    memset(&e, 0, sizeof e);
    e.error_code = code;
    e.diagnostic = diag;
    e.diagnostic_len = dlen > 256 ? 256 : dlen;
    if (l->cfg.n_rc &&
        (code == SSGW_M3UA_ERR_INVALID_RC || code == SSGW_M3UA_ERR_NO_CONFIGURED_AS)) {
        e.routing_context = l->cfg.rc;
        e.n_routing_context = l->cfg.n_rc;
    }
    send_mgmt(l, &b, ssgw_m3ua_encode_err(&b, &e));
    l->err_sent++;
    l->g->c.err_sent++;
    /* a peer sending garbage must not flood the log: one line per second per link */
    uint64_t now = ssgw_evloop_now_ms();
    if (now - l->err_log_ms >= 1000 || !l->err_log_ms) {
        gw_log("link '%s': sent ERR %s (%llu ERR sent on this link)", l->cfg.name,
               ssgw_m3ua_err_code_name(code), (unsigned long long)l->err_sent);
        l->err_log_ms = now;
    }
}

static void send_ntfy(gw_link *l, uint16_t info)
{
    ssgw_buf b;
    ssgw_buf_init(&b, l->g->mgmt, sizeof l->g->mgmt);
    ssgw_m3ua_ntfy_info n;
    memset(&n, 0, sizeof n);
    n.status_type = SSGW_M3UA_STATUS_AS_STATE_CHANGE;
    n.status_info = info;
    n.routing_context = l->cfg.n_rc ? l->cfg.rc : NULL;
    n.n_routing_context = l->cfg.n_rc;
    send_mgmt(l, &b, ssgw_m3ua_encode_ntfy(&b, &n));
}

/* ---- routing ---------------------------------------------------------------------- */

static bool link_routes_dpc(const gw_link *l, uint32_t dpc)
{
    for (size_t i = 0; i < l->cfg.n_dpc; i++)
        if (l->cfg.dpc[i] == dpc) return true;
    return false;
}

static bool link_is_default(const gw_link *l)
{
    return l->cfg.is_default || (!l->cfg.n_dpc && !l->cfg.n_gt);
}

static bool other_side_has_gt(const ssgw_gw *g, ssgw_gw_side side)
{
    for (size_t i = 0; i < g->n_links; i++)
        if (g->links[i]->cfg.side != side && g->links[i]->cfg.n_gt) return true;
    return false;
}

/* Picks among candidates (config order) by the first one's traffic mode. */
static gw_link *pick(gw_link **cand, size_t n, uint8_t sls, const char **reason)
{
    gw_link *act[SSGW_GW_MAX_LINKS];
    size_t na = 0;
    for (size_t i = 0; i < n; i++)
        if (cand[i]->state == SSGW_ASP_ACTIVE && cand[i]->tp.up) act[na++] = cand[i];
    if (!na) {
        *reason = "route.destination_down";
        return NULL;
    }
    if (cand[0]->cfg.traffic_mode == SSGW_M3UA_TMT_LOADSHARE) {
        /* an SLS stays on its own link while that one is ACTIVE; only the SLSs of links
         * that are not are spread over the ACTIVE ones (as MTP changeover, Q.704 5) */
        gw_link *home = cand[sls % n];
        if (home->state == SSGW_ASP_ACTIVE && home->tp.up) return home;
        return act[sls % na];
    }
    return act[0];
}

static gw_link *route(ssgw_gw *g, ssgw_gw_side from, const ssgw_m3ua_msg *msg, const char **reason)
{
    const ssgw_m3ua_protocol_data *pd = &msg->protocol_data;
    gw_link *cand[SSGW_GW_MAX_LINKS];
    size_t n = 0;
    /* 1. called GT prefix, longest wins */
    if (pd->si == 3 && other_side_has_gt(g, from)) {
        ssgw_sccp_msg sm;
        ssgw_error e;
        if (ssgw_sccp_decode(pd->data, pd->data_len, &sm, &e) == 0 && sm.called.digits[0]) {
            size_t best = 0;
            for (size_t i = 0; i < g->n_links; i++) {
                gw_link *l = g->links[i];
                if (l->cfg.side == from) continue;
                for (size_t k = 0; k < l->cfg.n_gt; k++) {
                    size_t pl = strlen(l->cfg.gt[k]);
                    if (pl < best || strncmp(sm.called.digits, l->cfg.gt[k], pl)) continue;
                    if (pl > best) n = 0;
                    best = pl;
                    if (!n || cand[n - 1] != l) cand[n++] = l;
                }
            }
        }
    }
    /* 2. DPC */
    if (!n) /* every link of the other side that serves the DPC: failover / loadshare */
        for (size_t i = 0; i < g->n_links; i++)
            if (g->links[i]->cfg.side != from && link_routes_dpc(g->links[i], pd->dpc))
                cand[n++] = g->links[i];
    if (!n) {
        /* 3. routing context of the message, among the other side's links */
        if (msg->present & SSGW_M3UA_HAS_ROUTING_CONTEXT && msg->routing_context.count) {
            uint32_t rc = ssgw_m3ua_u32_at(&msg->routing_context, 0);
            for (size_t i = 0; i < g->n_links; i++) {
                gw_link *l = g->links[i];
                if (l->cfg.side == from || l->cfg.n_dpc || l->cfg.n_gt) continue;
                for (size_t k = 0; k < l->cfg.n_rc; k++)
                    if (l->cfg.rc[k] == rc && !l->cfg.is_default) {
                        cand[n++] = l;
                        break;
                    }
            }
        }
    }
    /* 4. default links */
    if (!n)
        for (size_t i = 0; i < g->n_links; i++)
            if (g->links[i]->cfg.side != from && link_is_default(g->links[i]))
                cand[n++] = g->links[i];
    if (!n) {
        *reason = "route.no_route";
        return NULL;
    }
    return pick(cand, n, pd->sls, reason);
}

/*
 * Writes m with its Routing Context set to rc (replaced, or inserted after the
 * Network Appearance / at the front) into out. Returns the new length, or 0
 * when m cannot be rewritten (it then goes unchanged).
 */
static size_t rewrite_rc(const uint8_t *m, size_t len, uint32_t rc, uint8_t *out, size_t cap)
{
    if (len < SSGW_M3UA_HDR_LEN || len + 8 > cap) return 0;
    memcpy(out, m, SSGW_M3UA_HDR_LEN);
    size_t o = SSGW_M3UA_HDR_LEN;
    bool done = false;
    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param_iter_init_raw(&it, m + SSGW_M3UA_HDR_LEN, len - SSGW_M3UA_HDR_LEN,
                                  SSGW_M3UA_HDR_LEN);
    ssgw_m3ua_param p;
    ssgw_error e;
    int r;
    while ((r = ssgw_m3ua_param_next(&it, &p, &e)) == 1) {
        size_t plen = 4 + p.len, padded = (plen + 3) & ~(size_t)3;
        if (p.tag == SSGW_M3UA_TAG_ROUTING_CONTEXT) {
            if (done) continue;
            put_be16(out + o, SSGW_M3UA_TAG_ROUTING_CONTEXT);
            put_be16(out + o + 2, 8);
            put_be32(out + o + 4, rc);
            o += 8;
            done = true;
            continue;
        }
        if (!done && p.tag != SSGW_M3UA_TAG_NETWORK_APPEARANCE) {
            put_be16(out + o, SSGW_M3UA_TAG_ROUTING_CONTEXT);
            put_be16(out + o + 2, 8);
            put_be32(out + o + 4, rc);
            o += 8;
            done = true;
        }
        if (o + padded > cap) return 0;
        memcpy(out + o, m + p.offset, padded <= len - p.offset ? padded : len - p.offset);
        o += padded;
    }
    if (r < 0) return 0;
    if (!done) {
        put_be16(out + o, SSGW_M3UA_TAG_ROUTING_CONTEXT);
        put_be16(out + o + 2, 8);
        put_be32(out + o + 4, rc);
        o += 8;
    }
    put_be32(out + 4, (uint32_t)o);
    return o;
}

/* The bytes to send on d: m itself, or m with d's routing context. */
static const uint8_t *for_link(ssgw_gw *g, const gw_link *d, const uint8_t *m, size_t *len,
                               const ssgw_m3ua_msg *dec)
{
    if (!d->cfg.n_rc) return m;
    if (dec && (dec->present & SSGW_M3UA_HAS_ROUTING_CONTEXT) && dec->routing_context.count == 1 &&
        ssgw_m3ua_u32_at(&dec->routing_context, 0) == d->cfg.rc[0])
        return m;
    size_t n = rewrite_rc(m, *len, d->cfg.rc[0], g->rewrite, sizeof g->rewrite);
    if (!n) return m;
    *len = n;
    return g->rewrite;
}

/* ---- DATA ------------------------------------------------------------------------- */

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
        const uint8_t *o = for_link(g, d, m + off, &sl, ml == len ? dec : NULL);
        if (send_on(d, o, sl, stream) < 0) return -1;
        off += ml;
    }
    return 0;
}

/*
 * What the hook decided, carried out: l is the arrival link (NULL when it went away
 * while an inspection thread held the message), d the destination route() chose.
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
            drop(g, l, "inspect.bad_action");
            return;
        }
        out = act->out;
        olen = act->out_len;
        dec = NULL;
        if (act->verdict == SSGW_GW_ANSWER) {
            if (!l) {
                drop(g, NULL, "answer.link_gone");
                return;
            }
            if (send_msgs(g, l, out, olen, stream, NULL) < 0) {
                drop(g, l, "answer.queue_full");
                return;
            }
            g->c.answered++;
            count_reason(g, act->reason ? act->reason : "inspect.answer");
            return;
        }
        g->c.forwarded_modified++;
        break;
    case SSGW_GW_DROP:
    default:
        drop(g, l, act->reason ? act->reason : "inspect.drop");
        return;
    }
    if (act->alert) {
        g->c.alerts++;
        count_reason(g, act->reason ? act->reason : "inspect.alert");
    } else if (act->verdict == SSGW_GW_FORWARD_MODIFIED && act->reason)
        count_reason(g, act->reason);
    if (send_msgs(g, d, out, olen, gw_tp_stream_for_sls(&d->tp, sls), dec) < 0) {
        drop(g, l, "queue.full");
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
    char link_name[32];
} gw_job;

typedef struct {
    uint32_t src_id, dst_id, in_len;
    uint16_t stream;
    uint8_t side, sls, failed;
    ssgw_gw_action act; /* out points into the result; rebased by the loop thread */
} gw_result;

#define JOB_MAX    (sizeof(gw_job) + SSGW_M3UA_MAX_MSG_DEFAULT)
#define RESULT_MAX (sizeof(gw_result) + SSGW_M3UA_MAX_MSG_DEFAULT + SCRATCH_CAP)

/* The lane of a message: its MTP3 routing label (OPC, DPC, SLS), the unit of order. */
static unsigned lane_for(const ssgw_gw *g, const ssgw_m3ua_msg *msg)
{
    const ssgw_m3ua_protocol_data *pd = &msg->protocol_data;
    uint32_t h = pd->opc * 0x9e3779b1u ^ pd->dpc * 0x85ebca6bu ^ (uint32_t)pd->sls * 0xc2b2ae35u;
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
                          .lane = lane};
        r.act.out = out;
        r.act.out_cap = cap - sizeof r - j.len;
        if (g->inspect(g->inspect_ctx, &gm, &r.act) < 0) r.failed = 1;
    }
    bool has_out = r.act.verdict == SSGW_GW_FORWARD_MODIFIED || r.act.verdict == SSGW_GW_ANSWER;
    if (!has_out || r.act.out_len > r.act.out_cap) r.act.out_len = has_out ? r.act.out_cap + 1 : 0;
    r.act.out = NULL;
    memcpy(res, &r, sizeof r);
    return sizeof r + j.len + (r.act.out_len <= r.act.out_cap ? r.act.out_len : 0);
}

/* On the loop thread, in order per lane: carries out one result (1 = destination full). */
static int done(void *arg, unsigned lane, const uint8_t *res, size_t rlen)
{
    ssgw_gw *g = arg;
    gw_result r;
    memcpy(&r, res, sizeof r);
    (void)rlen;
    const uint8_t *m = res + sizeof r;
    gw_link *l = link_by_id(g, r.src_id);
    if (r.failed) {
        g->c.in_flight--;
        drop(g, l, "inspect.internal_error");
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
                    ? route(g, (ssgw_gw_side)r.side, &msg, &reason)
                    : NULL;
            if (!d) {
                g->c.in_flight--;
                drop(g, l, reason);
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
static void resume_lanes(ssgw_gw *g, uint32_t id)
{
    if (!g->workers) return;
    for (unsigned k = 0; k < gw_workers_count(g->workers); k++) {
        uint32_t s = g->lane_stalled_on[k];
        if (!s || (s != id && link_by_id(g, s))) continue;
        g->lane_stalled_on[k] = 0;
        gw_workers_resume(g->workers, k);
    }
}

static const gw_workers_ops worker_ops = {.work = work, .done = done, .drained = lane_drained};

/* Hands the message to its lane: 0, or 1 when the lane's ring is full (back pressure). */
static int dispatch(gw_link *l, gw_link *d, const ssgw_m3ua_msg *msg, const uint8_t *m, size_t len,
                    uint16_t stream)
{
    ssgw_gw *g = l->g;
    unsigned lane = lane_for(g, msg);
    if (len > SSGW_M3UA_MAX_MSG_DEFAULT) {
        g->c.data_in++;
        l->data_in++;
        drop(g, l, "inspect.too_large");
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
    j.now_ms = ssgw_evloop_now_ms();
    snprintf(j.link_name, sizeof j.link_name, "%s", l->cfg.name);
    memcpy(slot, &j, sizeof j);
    memcpy(slot + sizeof j, m, len);
    gw_workers_commit(g->workers, lane, sizeof j + len);
    g->c.in_flight++;
    return 0;
}

/* ---- DATA: route, back pressure, inspect --------------------------------------------- */

static int deliver(gw_link *l, const ssgw_m3ua_msg *msg, const uint8_t *m, size_t len,
                   uint16_t stream)
{
    ssgw_gw *g = l->g;
    const char *reason = NULL;
    gw_link *d = route(g, l->cfg.side, msg, &reason);
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
    g->c.data_in++;
    l->data_in++;
    if (!d) {
        drop(g, l, reason);
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
                      .now_ms = ssgw_evloop_now_ms(),
                      .lane = 0};
    ssgw_gw_action act = {.verdict = SSGW_GW_FORWARD,
                          .out = g->scratch,
                          .out_cap = sizeof g->scratch,
                          .out_len = 0,
                          .reason = NULL,
                          .alert = false};
    if (g->inspect(g->inspect_ctx, &gm, &act) < 0) {
        drop(g, l, "inspect.internal_error");
        return 0;
    }
    apply_action(g, l, d, &act, m, len, msg, stream, msg->protocol_data.sls);
    return 0;
}

/* ---- SSNM ------------------------------------------------------------------------- */

static void relay_ssnm(gw_link *l, const ssgw_m3ua_msg *msg, const uint8_t *m, size_t len)
{
    ssgw_gw *g = l->g;
    for (size_t i = 0; i < g->n_links; i++) {
        gw_link *d = g->links[i];
        if (d->cfg.side == l->cfg.side || d->cfg.role == SSGW_GW_ROLE_ASP ||
            d->state != SSGW_ASP_ACTIVE)
            continue;
        size_t n = len;
        const uint8_t *o = for_link(g, d, m, &n, msg);
        if (send_on(d, o, n, 0) == 0) {
            g->c.ssnm_relayed++;
            d->mgmt_out++;
        }
    }
}

static bool pc_unavailable_on(const gw_link *l, uint32_t pc)
{
    for (size_t i = 0; i < l->n_unavail; i++)
        if (l->unavail[i] == pc) return true;
    return false;
}

/* DUNA / DAVA received on l: remember which point codes its SG cannot reach. */
static void note_ssnm(gw_link *l, const ssgw_m3ua_msg *msg)
{
    if (msg->msg_class != SSGW_M3UA_CLASS_SSNM || !(msg->present & SSGW_M3UA_HAS_AFFECTED_PC))
        return;
    for (size_t i = 0; i < msg->affected_pc.count; i++) {
        uint32_t apc = ssgw_m3ua_u32_at(&msg->affected_pc, i);
        uint32_t pc = ssgw_m3ua_apc_pc(apc);
        if (apc >> 24) continue; /* a mask: a cluster, not tracked */
        bool known = pc_unavailable_on(l, pc);
        if (msg->msg_type == SSGW_M3UA_SSNM_DUNA && !known && l->n_unavail < SSGW_GW_MAX_PC)
            l->unavail[l->n_unavail++] = pc;
        else if (msg->msg_type == SSGW_M3UA_SSNM_DAVA && known)
            for (size_t k = 0; k < l->n_unavail; k++)
                if (l->unavail[k] == pc) {
                    l->unavail[k] = l->unavail[--l->n_unavail];
                    break;
                }
    }
}

static bool pc_reachable(ssgw_gw *g, ssgw_gw_side from, uint32_t pc)
{
    bool any_dpc = false;
    for (size_t i = 0; i < g->n_links; i++) {
        gw_link *d = g->links[i];
        if (d->cfg.side == from) continue;
        if (link_routes_dpc(d, pc)) {
            any_dpc = true;
            if (d->state == SSGW_ASP_ACTIVE && !pc_unavailable_on(d, pc)) return true;
        }
    }
    if (any_dpc) return false;
    for (size_t i = 0; i < g->n_links; i++) {
        gw_link *d = g->links[i];
        if (d->cfg.side != from && link_is_default(d) && d->state == SSGW_ASP_ACTIVE &&
            !pc_unavailable_on(d, pc))
            return true;
    }
    return false;
}

/* DAUD (RFC 4666 3.4.3, 4.5.3): DAVA or DUNA for each affected point code. */
static void answer_daud(gw_link *l, const ssgw_m3ua_msg *msg)
{
    ssgw_gw *g = l->g;
    for (size_t i = 0; i < msg->affected_pc.count && i < 64; i++) {
        uint32_t apc = ssgw_m3ua_u32_at(&msg->affected_pc, i);
        ssgw_buf b;
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        ssgw_m3ua_ssnm_info s;
        memset(&s, 0, sizeof s);
        s.affected_pc = &apc;
        s.n_affected_pc = 1;
        if (l->cfg.n_rc) {
            s.routing_context = l->cfg.rc;
            s.n_routing_context = 1;
        }
        bool up = pc_reachable(g, l->cfg.side, ssgw_m3ua_apc_pc(apc));
        send_mgmt(l, &b, up ? ssgw_m3ua_encode_dava(&b, &s) : ssgw_m3ua_encode_duna(&b, &s));
        g->c.daud_answered++;
    }
}

/* ---- the state machine ------------------------------------------------------------ */

static uint64_t ack_timer_cb(ssgw_evloop *loop, long long id, void *arg);

static void run_actions(gw_link *l, const ssgw_asp_transition *t, const ssgw_m3ua_msg *msg,
                        const uint8_t *m, size_t len)
{
    ssgw_gw *g = l->g;
    uint32_t a = t->actions;
    ssgw_buf b;
    const uint32_t *asp_id = l->cfg.has_asp_id ? &l->cfg.asp_id : NULL;
    if (a & (SSGW_ASP_A_SEND_ASPUP | SSGW_ASP_A_SEND_ASPUP_IF_CLIENT)) {
        if ((a & SSGW_ASP_A_SEND_ASPUP) || !l->cfg.listen) {
            ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
            send_mgmt(l, &b, ssgw_m3ua_encode_aspup(&b, asp_id, NULL));
        } else
            a &= ~(uint32_t)SSGW_ASP_A_TIMER_START;
    }
    if (a & SSGW_ASP_A_SEND_ASPUP_ACK) {
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        send_mgmt(l, &b, ssgw_m3ua_encode_aspup_ack(&b, asp_id, NULL));
    }
    if (a & SSGW_ASP_A_SEND_ASPDN_ACK) {
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        send_mgmt(l, &b, ssgw_m3ua_encode_aspdn_ack(&b, NULL));
    }
    if (a & SSGW_ASP_A_SEND_ASPAC) {
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        send_mgmt(l, &b,
                  ssgw_m3ua_encode_aspac(&b, l->cfg.traffic_mode, l->cfg.n_rc ? l->cfg.rc : NULL,
                                         l->cfg.n_rc, NULL));
    }
    if (a & SSGW_ASP_A_SEND_ASPAC_ACK) {
        uint32_t tm = msg && (msg->present & SSGW_M3UA_HAS_TRAFFIC_MODE) ? msg->traffic_mode
                                                                         : l->cfg.traffic_mode;
        uint32_t rcs[SSGW_GW_MAX_RC];
        size_t nrc = 0;
        if (msg && (msg->present & SSGW_M3UA_HAS_ROUTING_CONTEXT))
            for (; nrc < msg->routing_context.count && nrc < SSGW_GW_MAX_RC; nrc++)
                rcs[nrc] = ssgw_m3ua_u32_at(&msg->routing_context, nrc);
        else
            for (; nrc < l->cfg.n_rc; nrc++)
                rcs[nrc] = l->cfg.rc[nrc];
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        send_mgmt(l, &b, ssgw_m3ua_encode_aspac_ack(&b, tm, nrc ? rcs : NULL, nrc, NULL));
    }
    if (a & SSGW_ASP_A_SEND_ASPIA_ACK) {
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        send_mgmt(
            l, &b,
            ssgw_m3ua_encode_aspia_ack(&b, l->cfg.n_rc ? l->cfg.rc : NULL, l->cfg.n_rc, NULL));
    }
    if ((a & SSGW_ASP_A_SEND_BEAT_ACK) && msg) {
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        send_mgmt(l, &b,
                  ssgw_m3ua_encode_beat_ack(&b, msg->heartbeat_data, msg->heartbeat_data_len));
    }
    if (a & SSGW_ASP_A_SEND_NTFY_INACTIVE) send_ntfy(l, SSGW_M3UA_AS_INACTIVE);
    if (a & SSGW_ASP_A_SEND_NTFY_ACTIVE) send_ntfy(l, SSGW_M3UA_AS_ACTIVE);
    if (a & SSGW_ASP_A_SEND_ERR_UNEXPECTED) send_err(l, SSGW_M3UA_ERR_UNEXPECTED_MESSAGE, m, len);
    if ((a & SSGW_ASP_A_SEND_ERR_UNSUPPORTED) && msg)
        send_err(l, ssgw_asp_unsupported_code(msg->msg_class), m, len);
    if ((a & SSGW_ASP_A_RELAY_SSNM) && msg) {
        note_ssnm(l, msg);
        relay_ssnm(l, msg, m, len);
    }
    if ((a & SSGW_ASP_A_ANSWER_DAUD) && msg) answer_daud(l, msg);
    if ((a & SSGW_ASP_A_NOTE) && msg) {
        if (msg->msg_class == SSGW_M3UA_CLASS_MGMT && msg->msg_type == SSGW_M3UA_MGMT_ERR) {
            g->c.err_received++;
            l->err_received++;
            gw_log("link '%s': received ERR %s", l->cfg.name,
                   ssgw_m3ua_err_code_name(msg->error_code));
        } else
            g->c.ntfy_received++;
    }
    if (a & SSGW_ASP_A_TIMER_STOP) {
        ssgw_evloop_del_timer(g->loop, l->ack_timer);
        l->ack_timer = 0;
    }
    if (a & SSGW_ASP_A_TIMER_START) {
        ssgw_evloop_del_timer(g->loop, l->ack_timer);
        l->ack_timer = ssgw_evloop_add_timer(g->loop, g->cfg->ack_timeout_ms, ack_timer_cb, l);
    }
    if (t->next != SSGW_ASP_SAME && t->next != l->state) {
        gw_log("link '%s': ASP %s -> %s", l->cfg.name, ssgw_asp_state_name(l->state),
               ssgw_asp_state_name((ssgw_asp_state)t->next));
        l->state = (ssgw_asp_state)t->next;
    }
}

static void step(gw_link *l, ssgw_asp_event ev, const ssgw_m3ua_msg *msg, const uint8_t *m,
                 size_t len)
{
    run_actions(l, ssgw_asp_fsm_step(l->cfg.role, l->state, ev), msg, m, len);
}

static uint64_t ack_timer_cb(ssgw_evloop *loop, long long id, void *arg)
{
    (void)loop;
    (void)id;
    gw_link *l = arg;
    l->ack_timer = 0;
    step(l, SSGW_ASP_EV_TIMER, NULL, NULL, 0);
    return 0;
}

/* ---- transport callbacks ---------------------------------------------------------- */

static void unblock_waiting_on(ssgw_gw *g, gw_link *d)
{
    resume_lanes(g, d->id); /* results first: they are older than what the sources hold */
    for (size_t i = 0; i < g->n_links; i++) {
        gw_link *s = g->links[i];
        if (s && s->blocked_on == d) {
            s->blocked_on = NULL;
            gw_tp_resume(&s->tp);
        }
    }
}

static void tp_up(gw_tp *t, void *arg)
{
    gw_link *l = arg;
    gw_log("link '%s': %s association up with %s (%u streams out)", l->cfg.name,
           ssgw_gw_transport_name(l->cfg.transport), t->peer, t->out_streams);
    l->state = SSGW_ASP_DOWN;
    step(l, SSGW_ASP_EV_TRANSPORT_UP, NULL, NULL, 0);
}

static void tp_down(gw_tp *t, void *arg, const char *why)
{
    gw_link *l = arg;
    ssgw_gw *g = l->g;
    gw_log("link '%s': association with %s down: %s", l->cfg.name, t->peer, why);
    if (t->lost_data) {
        g->c.lost_in_queue += t->lost_data;
        gw_log("link '%s': %llu queued DATA messages lost with the association", l->cfg.name,
               (unsigned long long)t->lost_data);
    }
    step(l, SSGW_ASP_EV_TRANSPORT_DOWN, NULL, NULL, 0);
    l->state = SSGW_ASP_DOWN;
    l->n_unavail = 0; /* what the SG said holds for its association only */
    l->blocked_on = NULL;
    unblock_waiting_on(g, l);
}

static void tp_drained(gw_tp *t, void *arg)
{
    (void)t;
    gw_link *l = arg;
    l->g->drains++;
    unblock_waiting_on(l->g, l);
}

static void tp_bad(gw_tp *t, const uint8_t *m, size_t len, const ssgw_error *e, void *arg)
{
    (void)t;
    gw_link *l = arg;
    ssgw_gw *g = l->g;
    count_reason(g, "m3ua.bad_framing");
    if (len >= 4 && m[2] == SSGW_M3UA_CLASS_TRANSFER && m[3] == SSGW_M3UA_TRANSFER_DATA) {
        g->c.data_in++;
        drop(g, l, "m3ua.malformed");
    }
    /* RFC 4666 3.8.1: invalid version; a length we cannot frame is a protocol error.
     * On TCP the byte stream cannot be resynchronised: the association closes after it. */
    uint32_t code = ssgw_m3ua_err_code_for(e);
    send_err(l, code, m, len < SSGW_M3UA_HDR_LEN ? len : SSGW_M3UA_HDR_LEN);
}

static int tp_msg(gw_tp *t, const uint8_t *m, size_t len, uint16_t stream, void *arg)
{
    (void)t;
    gw_link *l = arg;
    ssgw_gw *g = l->g;
    ssgw_m3ua_msg msg;
    ssgw_error e;
    if (ssgw_m3ua_decode(m, len, &msg, &e) < 0) {
        capture(g, l, true, m, len, stream);
        if (len >= 4 && m[2] == SSGW_M3UA_CLASS_TRANSFER && m[3] == SSGW_M3UA_TRANSFER_DATA) {
            g->c.data_in++;
            l->data_in++;
            drop(g, l, "m3ua.malformed");
        } else {
            g->c.mgmt_in++;
            count_reason(g, "m3ua.malformed");
        }
        send_err(l, ssgw_m3ua_err_code_for(&e), m, len);
        return 0;
    }
    ssgw_asp_event ev = ssgw_asp_event_for(msg.msg_class, msg.msg_type);
    const ssgw_asp_transition *tr = ssgw_asp_fsm_step(l->cfg.role, l->state, ev);
    if (ev == SSGW_ASP_EV_DATA && (tr->actions & SSGW_ASP_A_DELIVER)) {
        int r = deliver(l, &msg, m, len, stream);
        if (r == 0) capture(g, l, true, m, len, stream);
        return r;
    }
    capture(g, l, true, m, len, stream);
    if (ev == SSGW_ASP_EV_DATA) {
        g->c.data_in++;
        l->data_in++;
        drop(g, l, "m3ua.link_not_active");
    } else {
        g->c.mgmt_in++;
        l->mgmt_in++;
    }
    run_actions(l, tr, &msg, m, len);
    return 0;
}

static const gw_tp_ops link_ops = {
    .up = tp_up, .msg = tp_msg, .bad = tp_bad, .down = tp_down, .drained = tp_drained};

/* ---- links ------------------------------------------------------------------------ */

static gw_link *link_new(ssgw_gw *g, const ssgw_gw_config *cfg, const ssgw_gw_link_config *lc,
                         unsigned index, char *err, size_t errlen)
{
    gw_link *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    l->g = g;
    l->index = index;
    l->id = ++g->next_link_id;
    l->cfg = *lc;
    gw_tp *t = &l->tp;
    t->loop = g->loop;
    t->kind = lc->transport;
    t->listen = lc->listen;
    memcpy(t->host, lc->host, sizeof t->host);
    t->port = lc->port;
    t->remote_udp_port = lc->remote_udp_port;
    t->streams = lc->streams;
    t->limit = lc->queue_bytes;
    t->reconnect_ms = cfg->reconnect_ms;
    t->ops = &link_ops;
    t->arg = l;
    char e2[256];
    if (lc->transport == SSGW_GW_TRANSPORT_SCTP_UDP &&
        gw_usr_setup(g->loop, cfg->sctp_udp_port, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "link '%s' (%s:%d): %s", lc->name, cfg->path, lc->line, e2);
        free(l);
        return NULL;
    }
    if (gw_tp_open(t, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "link '%s' (%s:%d): %s", lc->name, cfg->path, lc->line, e2);
        gw_tp_close(t);
        free(l);
        return NULL;
    }
    gw_log("link '%s': %s side, %s, %s %s %s:%u", lc->name, ssgw_gw_side_name(lc->side),
           ssgw_gw_role_name(lc->role), ssgw_gw_transport_name(lc->transport),
           lc->listen ? "listening on" : "connecting to", lc->host, lc->port);
    return l;
}

/* The caller has taken l out of g->links (entries may be NULL meanwhile). */
static void link_free(ssgw_gw *g, gw_link *l)
{
    ssgw_evloop_del_timer(g->loop, l->ack_timer);
    for (size_t i = 0; i < g->n_links; i++)
        if (g->links[i] && g->links[i]->blocked_on == l) {
            g->links[i]->blocked_on = NULL;
            g->links[i]->resume = true; /* resumed once the link table is consistent */
        }
    gw_tp_close(&l->tp);
    free(l);
}

/* ---- status socket ---------------------------------------------------------------- */

static void status_event(ssgw_evloop *loop, int fd, unsigned ev, void *arg)
{
    (void)loop;
    (void)ev;
    ssgw_gw *g = arg;
    int c = accept(fd, NULL, NULL);
    if (c < 0) return;
    char *buf = malloc(1 << 16);
    if (buf) {
        long n = ssgw_gw_status_json(g, buf, 1 << 16);
        for (long off = 0; n > 0 && off < n;) {
            ssize_t w = write(c, buf + off, (size_t)(n - off));
            if (w <= 0) break;
            off += w;
        }
        free(buf);
    }
    close(c);
}

static int status_open(ssgw_gw *g, const char *path, char *err, size_t errlen)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path) {
        snprintf(err, errlen, "status_socket '%s': path too long", path);
        return -1;
    }
    memcpy(a.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "status_socket: %s", strerror(errno));
        return -1;
    }
    unlink(path); /* a stale socket of an earlier run */
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0) {
        snprintf(err, errlen, "status_socket '%s': %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    g->status_fd = fd;
    ssgw_evloop_add_fd(g->loop, fd, SSGW_EV_READ, status_event, g);
    return 0;
}

/* ---- BEAT and batching ------------------------------------------------------------ */

static uint64_t beat_cb(ssgw_evloop *loop, long long id, void *arg)
{
    (void)loop;
    (void)id;
    ssgw_gw *g = arg;
    for (size_t i = 0; i < g->n_links; i++) {
        gw_link *l = g->links[i];
        if (l->state != SSGW_ASP_ACTIVE) continue;
        uint8_t hb[4];
        put_be32(hb, ++l->beat_seq);
        ssgw_buf b;
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        send_mgmt(l, &b, ssgw_m3ua_encode_beat(&b, hb, sizeof hb));
    }
    return g->cfg->beat_ms;
}

/*
 * After each loop turn: write every queue. A write can drain a queue below
 * half, which resumes blocked sources, which queue more (possibly on a link
 * already flushed in this pass): repeat while that happens, then make sure
 * every non-empty queue waits for writability.
 */
static void idle_flush(ssgw_evloop *loop, void *arg)
{
    (void)loop;
    ssgw_gw *g = arg;
    if (g->workers) gw_workers_kick(g->workers);
    for (int pass = 0; pass < 8; pass++) {
        uint64_t before = g->drains;
        for (size_t i = 0; i < g->n_links; i++)
            if (gw_tp_queued(&g->links[i]->tp)) gw_tp_flush(&g->links[i]->tp);
        if (g->drains == before) break;
    }
    for (size_t i = 0; i < g->n_links; i++)
        gw_tp_arm(&g->links[i]->tp);
}

/* ---- public API ------------------------------------------------------------------- */

ssgw_gw *ssgw_gw_new(ssgw_evloop *loop, ssgw_gw_config *cfg, char *err, size_t errlen)
{
    ssgw_gw *g = calloc(1, sizeof *g);
    if (!g) {
        free(cfg);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    g->loop = loop;
    g->cfg = cfg;
    g->status_fd = -1;
    g->def = ssgw_gw_default_inspector_new(cfg->drop_malformed, cfg->workers);
    g->inspect = ssgw_gw_default_inspect;
    g->inspect_ctx = g->def;
    if (!g->def) {
        snprintf(err, errlen, "out of memory");
        ssgw_gw_free(g);
        return NULL;
    }
    if (cfg->workers) {
        g->lane_view = calloc(cfg->workers, sizeof *g->lane_view);
        if (!g->lane_view) {
            snprintf(err, errlen, "out of memory");
            ssgw_gw_free(g);
            return NULL;
        }
        g->workers =
            gw_workers_new(cfg->workers, JOB_MAX, RESULT_MAX, loop, &worker_ops, g, err, errlen);
        if (!g->workers) {
            ssgw_gw_free(g);
            return NULL;
        }
    }
    for (size_t i = 0; i < cfg->n_links; i++) {
        gw_link *l = link_new(g, cfg, &cfg->links[i], (unsigned)i, err, errlen);
        if (!l) {
            ssgw_gw_free(g);
            return NULL;
        }
        g->links[g->n_links++] = l;
    }
    if (cfg->status_socket[0] && status_open(g, cfg->status_socket, err, errlen) < 0) {
        ssgw_gw_free(g);
        return NULL;
    }
    if (cfg->capture[0]) {
        char e2[200];
        g->pcap = ssgw_pcap_writer_open(cfg->capture, SSGW_LINKTYPE_ETHERNET, e2, sizeof e2);
        if (!g->pcap) {
            snprintf(err, errlen, "capture '%s': %s", cfg->capture, e2);
            ssgw_gw_free(g);
            return NULL;
        }
    }
    if (cfg->beat_ms) g->beat_timer = ssgw_evloop_add_timer(loop, cfg->beat_ms, beat_cb, g);
    ssgw_evloop_set_idle(loop, idle_flush, g);
    return g;
}

void ssgw_gw_set_inspector(ssgw_gw *g, ssgw_gw_inspect_fn fn, void *ctx)
{
    g->inspect = fn ? fn : ssgw_gw_default_inspect;
    g->inspect_ctx = fn ? ctx : g->def;
}

static bool same_endpoint(const ssgw_gw_link_config *a, const ssgw_gw_link_config *b)
{
    return !strcmp(a->name, b->name) && a->side == b->side && a->transport == b->transport &&
           a->role == b->role && a->listen == b->listen && a->port == b->port &&
           !strcmp(a->host, b->host) && a->remote_udp_port == b->remote_udp_port;
}

int ssgw_gw_reload(ssgw_gw *g, ssgw_gw_config *cfg, char *err, size_t errlen)
{
    gw_link *next[SSGW_GW_MAX_LINKS] = {NULL};
    bool keep[SSGW_GW_MAX_LINKS] = {false};
    if (strcmp(cfg->status_socket, g->cfg->status_socket) ||
        strcmp(cfg->capture, g->cfg->capture) || cfg->workers != g->cfg->workers ||
        (cfg->sctp_udp_port != g->cfg->sctp_udp_port && gw_usr_available())) {
        snprintf(err, errlen,
                 "%s: status_socket, capture, workers and sctp_udp_port cannot change without a "
                 "restart",
                 cfg->path);
        free(cfg);
        g->c.reload_failures++;
        return -1;
    }
    /* open new links first: any failure leaves the running gateway as it was */
    for (size_t i = 0; i < cfg->n_links; i++) {
        for (size_t k = 0; k < g->n_links; k++)
            if (!keep[k] && same_endpoint(&g->links[k]->cfg, &cfg->links[i])) {
                keep[k] = true;
                next[i] = g->links[k];
                break;
            }
        if (next[i]) continue;
        next[i] = link_new(g, cfg, &cfg->links[i], (unsigned)i, err, errlen);
        if (!next[i]) {
            for (size_t j = 0; j < i; j++) {
                bool old = false;
                for (size_t k = 0; k < g->n_links; k++)
                    old |= g->links[k] == next[j];
                if (!old) link_free(g, next[j]);
            }
            free(cfg);
            g->c.reload_failures++;
            return -1;
        }
    }
    gw_link *removed[SSGW_GW_MAX_LINKS];
    size_t n_removed = 0;
    for (size_t k = 0; k < g->n_links; k++)
        if (!keep[k]) removed[n_removed++] = g->links[k];
    for (size_t i = 0; i < cfg->n_links; i++) {
        next[i]->cfg = cfg->links[i];
        next[i]->index = (unsigned)i;
        next[i]->tp.limit = cfg->links[i].queue_bytes;
        next[i]->tp.reconnect_ms = cfg->reconnect_ms;
        g->links[i] = next[i];
    }
    g->n_links = cfg->n_links;
    for (size_t k = 0; k < n_removed; k++) {
        gw_log("link '%s': removed by the new configuration", removed[k]->cfg.name);
        link_free(g, removed[k]);
    }
    if (g->beat_timer) ssgw_evloop_del_timer(g->loop, g->beat_timer);
    g->beat_timer = 0;
    ssgw_gw_config *old = g->cfg;
    g->cfg = cfg;
    free(old);
    if (cfg->beat_ms) g->beat_timer = ssgw_evloop_add_timer(g->loop, cfg->beat_ms, beat_cb, g);
    g->c.reloads++;
    resume_lanes(g, 0); /* results waiting for a removed link route again */
    /* sources that waited for a removed link read on (their messages now route elsewhere) */
    for (size_t i = 0; i < g->n_links; i++)
        if (g->links[i]->resume) {
            g->links[i]->resume = false;
            gw_tp_resume(&g->links[i]->tp);
        }
    return 0;
}

void ssgw_gw_note_reload_failure(ssgw_gw *g)
{
    g->c.reload_failures++;
}

void ssgw_gw_shutdown(ssgw_gw *g, unsigned ms)
{
    for (size_t i = 0; i < g->n_links; i++) {
        gw_link *l = g->links[i];
        if (l->tp.up && l->cfg.role != SSGW_GW_ROLE_SG && l->state != SSGW_ASP_DOWN) {
            ssgw_buf b;
            ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
            send_mgmt(l, &b, ssgw_m3ua_encode_aspdn(&b, NULL));
        }
        gw_tp_pause_reading(&l->tp, true);
    }
    uint64_t until = ssgw_evloop_now_ms() + ms;
    while (ssgw_evloop_now_ms() < until) {
        bool pending = g->c.in_flight > 0;
        for (size_t i = 0; i < g->n_links; i++)
            pending |= !gw_tp_all_sent(&g->links[i]->tp);
        if (!pending) break;
        ssgw_evloop_run_once(g->loop, 10);
    }
}

void ssgw_gw_free(ssgw_gw *g)
{
    if (!g) return;
    gw_workers_free(g->workers); /* before the links: results name them */
    g->workers = NULL;
    free(g->lane_view);
    while (g->n_links) {
        gw_link *l = g->links[--g->n_links];
        g->links[g->n_links] = NULL;
        link_free(g, l);
    }
    if (g->status_fd >= 0) {
        ssgw_evloop_del_fd(g->loop, g->status_fd);
        close(g->status_fd);
        unlink(g->cfg->status_socket);
    }
    if (g->beat_timer) ssgw_evloop_del_timer(g->loop, g->beat_timer);
    ssgw_evloop_set_idle(g->loop, NULL, NULL);
    ssgw_pcap_writer_close(g->pcap);
    ssgw_gw_default_inspector_free(g->def);
    free(g->cfg);
    free(g);
}

const ssgw_gw_counters *ssgw_gw_get_counters(const ssgw_gw *g)
{
    return &g->c;
}

long ssgw_gw_status_json(const ssgw_gw *g, char *out, size_t cap)
{
    ssgw_json j;
    ssgw_json_begin(&j, out, cap);
    ssgw_json_str(&j, "config", g->cfg->path);
    ssgw_json_int(&j, "workers", g->workers ? gw_workers_count(g->workers) : 0);
    if (g->workers) {
        ssgw_json_array_begin(&j, "inspected_per_worker");
        for (unsigned k = 0; k < gw_workers_count(g->workers); k++)
            ssgw_json_int(&j, NULL, (long long)gw_workers_done_count(g->workers, k));
        ssgw_json_array_end(&j);
    }
    ssgw_json_array_begin(&j, "links");
    for (size_t i = 0; i < g->n_links; i++) {
        const gw_link *l = g->links[i];
        ssgw_json_object_begin(&j, NULL);
        ssgw_json_str(&j, "name", l->cfg.name);
        ssgw_json_str(&j, "side", ssgw_gw_side_name(l->cfg.side));
        ssgw_json_str(&j, "transport", ssgw_gw_transport_name(l->cfg.transport));
        ssgw_json_str(&j, "role", ssgw_gw_role_name(l->cfg.role));
        ssgw_json_str(&j, "association",
                      l->tp.up           ? "up"
                      : l->tp.connecting ? "connecting"
                                         : "down");
        ssgw_json_str(&j, "asp_state", ssgw_asp_state_name(l->state));
        ssgw_json_str(&j, "peer", l->tp.up ? l->tp.peer : "");
        ssgw_json_int(&j, "streams_out", l->tp.out_streams);
        ssgw_json_int(&j, "connects", (long long)l->tp.connects);
        ssgw_json_int(&j, "disconnects", (long long)l->tp.disconnects);
        ssgw_json_int(&j, "data_in", (long long)l->data_in);
        ssgw_json_int(&j, "data_out", (long long)l->data_out);
        ssgw_json_int(&j, "dropped", (long long)l->dropped);
        ssgw_json_int(&j, "mgmt_in", (long long)l->mgmt_in);
        ssgw_json_int(&j, "mgmt_out", (long long)l->mgmt_out);
        ssgw_json_int(&j, "err_sent", (long long)l->err_sent);
        ssgw_json_int(&j, "err_received", (long long)l->err_received);
        ssgw_json_int(&j, "queue_bytes", (long long)gw_tp_queued(&l->tp));
        ssgw_json_int(&j, "queue_limit", (long long)l->tp.limit);
        ssgw_json_bool(&j, "reading_paused", l->tp.paused || l->blocked_on);
        ssgw_json_int(&j, "backpressure", (long long)l->blocked);
        ssgw_json_object_end(&j);
    }
    ssgw_json_array_end(&j);
    const ssgw_gw_counters *c = &g->c;
    ssgw_json_object_begin(&j, "counters");
    ssgw_json_int(&j, "data_in", (long long)c->data_in);
    ssgw_json_int(&j, "forwarded", (long long)c->forwarded);
    ssgw_json_int(&j, "forwarded_modified", (long long)c->forwarded_modified);
    ssgw_json_int(&j, "answered", (long long)c->answered);
    ssgw_json_int(&j, "dropped", (long long)c->dropped);
    ssgw_json_int(&j, "alerts", (long long)c->alerts);
    ssgw_json_int(&j, "lost_in_queue", (long long)c->lost_in_queue);
    ssgw_json_int(&j, "mgmt_in", (long long)c->mgmt_in);
    ssgw_json_int(&j, "mgmt_out", (long long)c->mgmt_out);
    ssgw_json_int(&j, "err_sent", (long long)c->err_sent);
    ssgw_json_int(&j, "err_received", (long long)c->err_received);
    ssgw_json_int(&j, "ntfy_received", (long long)c->ntfy_received);
    ssgw_json_int(&j, "ssnm_relayed", (long long)c->ssnm_relayed);
    ssgw_json_int(&j, "daud_answered", (long long)c->daud_answered);
    ssgw_json_int(&j, "backpressure", (long long)c->backpressure);
    ssgw_json_int(&j, "reloads", (long long)c->reloads);
    ssgw_json_int(&j, "reload_failures", (long long)c->reload_failures);
    ssgw_json_int(&j, "in_flight", (long long)c->in_flight);
    ssgw_json_object_begin(&j, "reasons");
    for (size_t i = 0; i < c->n_reasons; i++)
        ssgw_json_int(&j, c->reasons[i].reason, (long long)c->reasons[i].n);
    ssgw_json_object_end(&j);
    ssgw_json_object_end(&j);
    if (g->status_extra) g->status_extra(g->status_extra_ctx, &j);
    return ssgw_json_end(&j);
}

void ssgw_gw_set_status_extra(ssgw_gw *g, ssgw_gw_status_fn fn, void *ctx)
{
    g->status_extra = fn;
    g->status_extra_ctx = ctx;
}

/* ---- the default hook ------------------------------------------------------------- */

struct ssgw_gw_default_inspector {
    ssgw_decoder *dec[GW_WORKERS_MAX]; /* one per lane: SCCP reassembly state is per lane */
    unsigned lanes;
    bool drop_malformed;
};

ssgw_gw_default_inspector *ssgw_gw_default_inspector_new(bool drop_malformed, unsigned lanes)
{
    if (lanes > GW_WORKERS_MAX) return NULL;
    ssgw_gw_default_inspector *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->lanes = lanes ? lanes : 1;
    d->drop_malformed = drop_malformed;
    for (unsigned i = 0; i < d->lanes; i++)
        if (!(d->dec[i] = ssgw_decoder_new(NULL))) {
            ssgw_gw_default_inspector_free(d);
            return NULL;
        }
    return d;
}

void ssgw_gw_default_inspector_free(ssgw_gw_default_inspector *d)
{
    if (!d) return;
    for (unsigned i = 0; i < d->lanes; i++)
        ssgw_decoder_free(d->dec[i]);
    free(d);
}

int ssgw_gw_decode(ssgw_gw_default_inspector *d, ssgw_gw_msg *msg)
{
    if (msg->view_ok) return msg->view->has_error ? -1 : 0;
    if (msg->lane >= d->lanes) return -1;
    int r = ssgw_decoder_run(d->dec[msg->lane], SSGW_CAPTURE_KIND_M3UA, msg->data, msg->len,
                             msg->now_ms, msg->view);
    msg->view_ok = true;
    return r;
}

static const char *malformed_reason(ssgw_layer layer)
{
    switch (layer) {
    case SSGW_LAYER_M3UA:
        return "malformed.m3ua";
    case SSGW_LAYER_MTP3:
        return "malformed.mtp3";
    case SSGW_LAYER_SCCP:
        return "malformed.sccp";
    case SSGW_LAYER_TCAP:
        return "malformed.tcap";
    case SSGW_LAYER_MAP:
        return "malformed.map";
    case SSGW_LAYER_BER:
        return "malformed.ber";
    default:
        return "malformed.other";
    }
}

int ssgw_gw_default_inspect(void *ctx, ssgw_gw_msg *msg, ssgw_gw_action *act)
{
    ssgw_gw_default_inspector *d = ctx;
    if (ssgw_gw_decode(d, msg) == 0) return 0;
    act->reason = malformed_reason(msg->view->error.layer);
    if (d->drop_malformed)
        act->verdict = SSGW_GW_DROP;
    else
        act->alert = true;
    return 0;
}
