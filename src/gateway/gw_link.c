/*
 * gw_link.c - the gateway's links: one M3UA association each (transport in
 * gw_tp.c), toward each side the peer it expects (ASP, SG or IPSP). A link is
 * opened and freed here; what its transport reports comes here (up, down, a
 * message, bad framing, a drained queue); management messages drive its ASP
 * state machine (the tables of asp_fsm.c), whose action bits are carried out
 * here (ASPUP/ASPAC and their acks, NTFY, ERR, ack timers); DATA goes on to
 * gw_deliver() (gw_data.c) and SSNM to gw_ssnm.c. Everything a link sends goes
 * through gw_link_send(), which also writes the outer side into the capture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "gateway/gw_int.h"
#include "ssgw/timefmt.h"
#include "ssgw/log.h"
#include "util/bytes.h"

/* ---- capture of the outer side ---------------------------------------------------- */

static void capture(ssgw_gw *g, gw_link *l, bool rx, const uint8_t *m, size_t len, uint16_t stream)
{
    if (!g->pcap || l->cfg.side != SSGW_GW_SIDE_OUTER) return;
    /* a received message at its arrival stamp: the time its verdict was judged at */
    uint64_t ms = rx && g->rx_wall_ms ? g->rx_wall_ms : ssgw_time_now_ms();
    struct timeval tv = {.tv_sec = (time_t)(ms / 1000), .tv_usec = (suseconds_t)(ms % 1000 * 1000)};
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

int gw_link_send(gw_link *l, const uint8_t *m, size_t len, uint16_t stream)
{
    int r = gw_tp_send(&l->tp, m, len, stream);
    if (r == 0) capture(l->g, l, false, m, len, stream);
    return r;
}

void gw_send_mgmt(gw_link *l, ssgw_buf *b, int enc_result)
{
    if (enc_result < 0 || b->overflow) return;
    if (gw_link_send(l, b->data, b->len, 0) == 0) {
        l->mgmt_out++;
        l->g->c.mgmt_out++;
    }
}

void gw_link_send_err(gw_link *l, uint32_t code, const uint8_t *diag, size_t dlen)
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
    gw_send_mgmt(l, &b, ssgw_m3ua_encode_err(&b, &e));
    l->err_sent++;
    l->g->c.err_sent++;
    /* a peer sending garbage must not flood the log: one line per second per link */
    uint64_t now = ssgw_evloop_now_ms();
    if (now - l->err_log_ms >= 1000 || !l->err_log_ms) {
        ssgw_log(SSGW_LOG_WARNING, "link '%s': sent ERR %s (%llu ERR sent on this link)",
                 l->cfg.name, ssgw_m3ua_err_code_name(code), (unsigned long long)l->err_sent);
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
    gw_send_mgmt(l, &b, ssgw_m3ua_encode_ntfy(&b, &n));
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
            gw_send_mgmt(l, &b, ssgw_m3ua_encode_aspup(&b, asp_id, NULL));
        } else
            a &= ~(uint32_t)SSGW_ASP_A_TIMER_START;
    }
    if (a & SSGW_ASP_A_SEND_ASPUP_ACK) {
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        gw_send_mgmt(l, &b, ssgw_m3ua_encode_aspup_ack(&b, asp_id, NULL));
    }
    if (a & SSGW_ASP_A_SEND_ASPDN_ACK) {
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        gw_send_mgmt(l, &b, ssgw_m3ua_encode_aspdn_ack(&b, NULL));
    }
    if (a & SSGW_ASP_A_SEND_ASPAC) {
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        gw_send_mgmt(l, &b,
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
        gw_send_mgmt(l, &b, ssgw_m3ua_encode_aspac_ack(&b, tm, nrc ? rcs : NULL, nrc, NULL));
    }
    if (a & SSGW_ASP_A_SEND_ASPIA_ACK) {
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        gw_send_mgmt(
            l, &b,
            ssgw_m3ua_encode_aspia_ack(&b, l->cfg.n_rc ? l->cfg.rc : NULL, l->cfg.n_rc, NULL));
    }
    if ((a & SSGW_ASP_A_SEND_BEAT_ACK) && msg) {
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        gw_send_mgmt(l, &b,
                     ssgw_m3ua_encode_beat_ack(&b, msg->heartbeat_data, msg->heartbeat_data_len));
    }
    if (a & SSGW_ASP_A_SEND_NTFY_INACTIVE) send_ntfy(l, SSGW_M3UA_AS_INACTIVE);
    if (a & SSGW_ASP_A_SEND_NTFY_ACTIVE) send_ntfy(l, SSGW_M3UA_AS_ACTIVE);
    if (a & SSGW_ASP_A_SEND_ERR_UNEXPECTED)
        gw_link_send_err(l, SSGW_M3UA_ERR_UNEXPECTED_MESSAGE, m, len);
    if ((a & SSGW_ASP_A_SEND_ERR_UNSUPPORTED) && msg)
        gw_link_send_err(l, ssgw_asp_unsupported_code(msg->msg_class), m, len);
    if ((a & SSGW_ASP_A_RELAY_SSNM) && msg) {
        gw_ssnm_note(l, msg);
        gw_ssnm_relay(l, msg, m, len);
    }
    if ((a & SSGW_ASP_A_ANSWER_DAUD) && msg) gw_ssnm_answer_daud(l, msg);
    if ((a & SSGW_ASP_A_NOTE) && msg) {
        if (msg->msg_class == SSGW_M3UA_CLASS_MGMT && msg->msg_type == SSGW_M3UA_MGMT_ERR) {
            g->c.err_received++;
            l->err_received++;
            ssgw_log(SSGW_LOG_WARNING, "link '%s': received ERR %s", l->cfg.name,
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
        ssgw_log(SSGW_LOG_NOTICE, "link '%s': ASP %s -> %s", l->cfg.name,
                 ssgw_asp_state_name(l->state), ssgw_asp_state_name((ssgw_asp_state)t->next));
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
    gw_resume_lanes(g, d->id); /* results first: they are older than what the sources hold */
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
    gw_tp_path p[GW_TP_MAX_PATHS];
    size_t n = gw_tp_paths(t, p, GW_TP_MAX_PATHS);
    char paths[GW_TP_MAX_PATHS * (SSGW_GW_ADDR_LEN + 24)] = "";
    for (size_t i = 0, o = 0; n > 1 && i < n && o < sizeof paths; i++)
        o += (size_t)snprintf(paths + o, sizeof paths - o, "%s%s %s%s", i ? ", " : "; paths ",
                              p[i].addr, gw_path_state_name(p[i].state),
                              p[i].primary ? " (primary)" : "");
    ssgw_log(SSGW_LOG_NOTICE, "link '%s': %s association up with %s (%u streams out%s)",
             l->cfg.name, ssgw_gw_transport_name(l->cfg.transport), t->peer, t->out_streams, paths);
    if (!gw_tp_use_primary(t))
        ssgw_log(SSGW_LOG_WARNING,
                 "link '%s': primary %s is not an address of the peer %s: SCTP's choice stays",
                 l->cfg.name, t->primary[0] ? t->primary : t->host, t->peer);
    l->state = SSGW_ASP_DOWN;
    gw_admit_up(l);
    step(l, SSGW_ASP_EV_TRANSPORT_UP, NULL, NULL, 0);
}

static void tp_down(gw_tp *t, void *arg, const char *why)
{
    gw_link *l = arg;
    ssgw_gw *g = l->g;
    ssgw_log(SSGW_LOG_WARNING, "link '%s': association with %s down: %s", l->cfg.name, t->peer,
             why);
    if (t->lost_data) {
        g->c.lost_in_queue += t->lost_data;
        ssgw_log(SSGW_LOG_WARNING, "link '%s': %llu queued DATA messages lost with the association",
                 l->cfg.name, (unsigned long long)t->lost_data);
    }
    gw_admit_down(l);
    step(l, SSGW_ASP_EV_TRANSPORT_DOWN, NULL, NULL, 0);
    l->state = SSGW_ASP_DOWN;
    l->n_unavail = 0; /* what the SG said holds for its association only */
    gw_rkm_clear(l);  /* so do the keys its ASP registered */
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
    gw_count_reason(g, "m3ua.bad_framing");
    if (len >= 4 && m[2] == SSGW_M3UA_CLASS_TRANSFER && m[3] == SSGW_M3UA_TRANSFER_DATA) {
        g->c.data_in++;
        gw_drop(g, l, "m3ua.malformed");
    }
    /* RFC 4666 3.8.1: invalid version; a length we cannot frame is a protocol error.
     * On TCP the byte stream cannot be resynchronised: the association closes after it. */
    uint32_t code = ssgw_m3ua_err_code_for(e);
    gw_link_send_err(l, code, m, len < SSGW_M3UA_HDR_LEN ? len : SSGW_M3UA_HDR_LEN);
}

static int tp_msg(gw_tp *t, const uint8_t *m, size_t len, uint16_t stream, void *arg)
{
    gw_link *l = arg;
    ssgw_gw *g = l->g;
    /* the read's clocks (gw_tp_deliver_input) for the link's liveness (ssgw_evloop_now_ms's
     * clock), the DATA path's latency, the hook's now_ms and the records' time */
    g->rx_ns = t->rx_ns;
    l->last_rx_ms = g->rx_ns / 1000000u;
    g->rx_wall_ms = t->rx_wall_ms;
    l->beats_unheard = 0; /* anything from the peer proves it alive */
    ssgw_m3ua_msg msg;
    ssgw_error e;
    if (ssgw_m3ua_decode(m, len, &msg, &e) < 0) {
        capture(g, l, true, m, len, stream);
        if (len >= 4 && m[2] == SSGW_M3UA_CLASS_TRANSFER && m[3] == SSGW_M3UA_TRANSFER_DATA) {
            g->c.data_in++;
            l->data_in++;
            gw_drop(g, l, "m3ua.malformed");
        } else {
            g->c.mgmt_in++;
            gw_count_reason(g, "m3ua.malformed");
        }
        gw_link_send_err(l, ssgw_m3ua_err_code_for(&e), m, len);
        return 0;
    }
    if (msg.msg_class == SSGW_M3UA_CLASS_RKM && l->cfg.rkm) {
        capture(g, l, true, m, len, stream);
        g->c.mgmt_in++;
        l->mgmt_in++;
        gw_rkm_handle(l, &msg, m, len);
        return 0;
    }
    ssgw_asp_event ev = ssgw_asp_event_for(msg.msg_class, msg.msg_type);
    const ssgw_asp_transition *tr = ssgw_asp_fsm_step(l->cfg.role, l->state, ev);
    if (ev == SSGW_ASP_EV_DATA && (tr->actions & SSGW_ASP_A_DELIVER)) {
        int r = gw_deliver(l, &msg, m, len, stream);
        if (r == 0) capture(g, l, true, m, len, stream);
        return r;
    }
    capture(g, l, true, m, len, stream);
    if (ev == SSGW_ASP_EV_DATA) {
        g->c.data_in++;
        l->data_in++;
        gw_drop(g, l, "m3ua.link_not_active");
    } else {
        g->c.mgmt_in++;
        l->mgmt_in++;
    }
    run_actions(l, tr, &msg, m, len);
    return 0;
}

/* A path of the association failed, came back, ... : counted by the transport, logged here
 * (at most 8 lines per link in 10 s: a flapping path must not flood the log). */
static void tp_path(gw_tp *t, const char *addr, gw_path_event ev, void *arg)
{
    gw_link *l = arg;
    uint64_t now = ssgw_evloop_now_ms();
    if (!l->path_log_ms || now - l->path_log_ms >= 10000) {
        l->path_log_ms = now;
        l->path_logged = 0;
    }
    if (l->path_logged >= 8) {
        l->path_unlogged++;
        return;
    }
    l->path_logged++;
    char more[64] = "";
    if (l->path_unlogged)
        snprintf(more, sizeof more, "; %llu earlier changes not logged",
                 (unsigned long long)l->path_unlogged);
    l->path_unlogged = 0;
    ssgw_log(ev == GW_PATH_EV_UNREACHABLE ? SSGW_LOG_WARNING : SSGW_LOG_NOTICE,
             "link '%s': path to peer address %s: %s (path failures %llu, recoveries %llu on this "
             "link%s)",
             l->cfg.name, addr, gw_path_event_name(ev), (unsigned long long)t->path_failures,
             (unsigned long long)t->path_recoveries, more);
}

static bool tp_admit(gw_tp *t, const struct sockaddr *sa, const char *peer, bool busy, void *arg)
{
    (void)t;
    return gw_admit_offer(arg, sa, peer, busy);
}

static const gw_tp_ops link_ops = {.up = tp_up,
                                   .msg = tp_msg,
                                   .bad = tp_bad,
                                   .down = tp_down,
                                   .drained = tp_drained,
                                   .path = tp_path,
                                   .admit = tp_admit};

/* ---- links ------------------------------------------------------------------------ */

gw_link *gw_link_new(ssgw_gw *g, const ssgw_gw_config *cfg, const ssgw_gw_link_config *lc,
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
    t->hb_interval_ms = lc->sctp_hb_interval_ms;
    t->rto_max_ms = lc->sctp_rto_max_ms;
    t->max_retrans = lc->sctp_max_retrans;
    t->path_max_retrans = lc->sctp_path_max_retrans;
    memcpy(t->local_first, lc->local_address, sizeof t->local_first);
    memcpy(t->local, lc->local_addrs, sizeof t->local);
    t->n_local = lc->n_local_addrs;
    memcpy(t->remote, lc->remote_addrs, sizeof t->remote);
    t->n_remote = lc->n_remote_addrs;
    memcpy(t->primary, lc->primary, sizeof t->primary);
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
    ssgw_log(SSGW_LOG_INFO, "link '%s': %s side, %s, %s %s %s:%u", lc->name,
             ssgw_gw_side_name(lc->side), ssgw_gw_role_name(lc->role),
             ssgw_gw_transport_name(lc->transport), lc->listen ? "listening on" : "connecting to",
             lc->host, lc->port);
    return l;
}

/* The caller has taken l out of g->links (entries may be NULL meanwhile). */
void gw_link_free(ssgw_gw *g, gw_link *l)
{
    ssgw_evloop_del_timer(g->loop, l->ack_timer);
    gw_admit_down(l);
    for (size_t i = 0; i < g->n_links; i++)
        if (g->links[i] && g->links[i]->blocked_on == l) {
            g->links[i]->blocked_on = NULL;
            g->links[i]->resume = true; /* resumed once the link table is consistent */
        }
    gw_tp_close(&l->tp);
    free(l);
}

/* ---- BEAT ------------------------------------------------------------------------- */

uint64_t gw_beat_cb(ssgw_evloop *loop, long long id, void *arg)
{
    (void)loop;
    (void)id;
    ssgw_gw *g = arg;
    for (size_t i = 0; i < g->n_links; i++) {
        gw_link *l = g->links[i];
        if (l->state != SSGW_ASP_ACTIVE) continue;
        if (l->beats_unheard >= g->cfg->beat_loss) {
            /* nothing heard for beat_loss periods: the peer died without closing (over
             * SCTP over UDP nothing else says so for minutes) */
            l->beats_unheard = 0;
            g->c.beat_lost++;
            ssgw_log(SSGW_LOG_WARNING,
                     "link '%s': nothing heard from %s for %u BEAT periods of %u ms: closing it",
                     l->cfg.name, l->tp.peer, g->cfg->beat_loss, g->cfg->beat_ms);
            gw_tp_disconnect(&l->tp, "BEAT not answered");
            continue;
        }
        l->beats_unheard++;
        uint8_t hb[4];
        put_be32(hb, ++l->beat_seq);
        ssgw_buf b;
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        gw_send_mgmt(l, &b, ssgw_m3ua_encode_beat(&b, hb, sizeof hb));
    }
    return g->cfg->beat_ms;
}
