/*
 * gateway.c - the live gateway as a whole: creation (links, inspection threads,
 * status socket, capture, BEAT), reload without dropping unchanged associations,
 * graceful shutdown, free; the loop's idle hook that writes every queue in a
 * batch; the drop counters every part uses.
 *
 * The parts (gw_int.h lists them): links and their ASP state machines
 * (gw_link.c), routing (gw_route.c), the DATA forward path (gw_data.c), SSNM
 * (gw_ssnm.c), status (gw_status.c), the default hook (gw_default_hook.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway/gw_int.h"
#include "ssgw/log.h"

/* ---- counters ------------------------------------------------------------------- */

void gw_count_reason(ssgw_gw *g, const char *reason)
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

void gw_drop(ssgw_gw *g, gw_link *l, const char *reason)
{
    g->c.dropped++;
    if (l) l->dropped++;
    gw_count_reason(g, reason);
}

/* ---- the loop's idle hook --------------------------------------------------------- */

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
        gw_diam_flush(g);
        if (g->drains == before) break;
    }
    for (size_t i = 0; i < g->n_links; i++)
        gw_tp_arm(&g->links[i]->tp);
    gw_diam_arm(g);
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
    if (cfg->workers && gw_data_workers_start(g, err, errlen) < 0) {
        ssgw_gw_free(g);
        return NULL;
    }
    for (size_t i = 0; i < cfg->n_links; i++) {
        gw_link *l = gw_link_new(g, cfg, &cfg->links[i], (unsigned)i, err, errlen);
        if (!l) {
            ssgw_gw_free(g);
            return NULL;
        }
        g->links[g->n_links++] = l;
    }
    if (gw_diam_start(g, cfg, err, errlen) < 0) {
        ssgw_gw_free(g);
        return NULL;
    }
    if (cfg->status_socket[0] && gw_status_open(g, cfg->status_socket, err, errlen) < 0) {
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
    if (cfg->beat_ms) g->beat_timer = ssgw_evloop_add_timer(loop, cfg->beat_ms, gw_beat_cb, g);
    ssgw_evloop_set_idle(loop, idle_flush, g);
    return g;
}

void ssgw_gw_set_inspector(ssgw_gw *g, ssgw_gw_inspect_fn fn, void *ctx)
{
    g->inspect = fn ? fn : ssgw_gw_default_inspect;
    g->inspect_ctx = fn ? ctx : g->def;
}

void ssgw_gw_set_batch_hooks(ssgw_gw *g, ssgw_gw_batch_begin_fn begin, ssgw_gw_batch_end_fn end,
                             void *ctx)
{
    g->batch_begin = begin;
    g->batch_end = end;
    g->batch_ctx = ctx;
    if (g->workers) gw_workers_set_batched(g->workers, begin != NULL);
}

/* The SCTP addresses of two links are the same (a change opens a new association). */
static bool same_addrs(const ssgw_gw_link_config *a, const ssgw_gw_link_config *b)
{
    bool same = !strcmp(a->local_address, b->local_address) && !strcmp(a->primary, b->primary) &&
                a->n_local_addrs == b->n_local_addrs && a->n_remote_addrs == b->n_remote_addrs;
    for (size_t i = 0; same && i < a->n_local_addrs; i++)
        same = !strcmp(a->local_addrs[i], b->local_addrs[i]);
    for (size_t i = 0; same && i < a->n_remote_addrs; i++)
        same = !strcmp(a->remote_addrs[i], b->remote_addrs[i]);
    return same;
}

static bool same_endpoint(const ssgw_gw_link_config *a, const ssgw_gw_link_config *b)
{
    return !strcmp(a->name, b->name) && a->side == b->side && a->transport == b->transport &&
           a->role == b->role && a->listen == b->listen && a->port == b->port &&
           !strcmp(a->host, b->host) && a->remote_udp_port == b->remote_udp_port &&
           same_addrs(a, b);
}

/* A refused reload: closes the links of next[0..n) that were opened for it. */
static void unopen(ssgw_gw *g, gw_link **next, size_t n)
{
    for (size_t j = 0; j < n; j++) {
        bool old = false;
        for (size_t k = 0; k < g->n_links; k++)
            old |= g->links[k] == next[j];
        if (!old) gw_link_free(g, next[j]);
    }
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
        next[i] = gw_link_new(g, cfg, &cfg->links[i], (unsigned)i, err, errlen);
        if (!next[i]) {
            unopen(g, next, i);
            free(cfg);
            g->c.reload_failures++;
            return -1;
        }
    }
    if (gw_diam_reload(g, cfg, err, errlen) < 0) { /* the Diameter peers, the same way */
        unopen(g, next, cfg->n_links);
        free(cfg);
        g->c.reload_failures++;
        return -1;
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
        gw_rkm_reconfigured(next[i]);
        g->links[i] = next[i];
    }
    g->n_links = cfg->n_links;
    for (size_t k = 0; k < n_removed; k++) {
        ssgw_log(SSGW_LOG_NOTICE, "link '%s': removed by the new configuration",
                 removed[k]->cfg.name);
        gw_link_free(g, removed[k]);
    }
    if (g->beat_timer) ssgw_evloop_del_timer(g->loop, g->beat_timer);
    g->beat_timer = 0;
    ssgw_gw_config *old = g->cfg;
    g->cfg = cfg;
    free(old);
    if (cfg->beat_ms) g->beat_timer = ssgw_evloop_add_timer(g->loop, cfg->beat_ms, gw_beat_cb, g);
    g->c.reloads++;
    gw_resume_lanes(g, 0); /* results waiting for a removed link route again */
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
            gw_send_mgmt(l, &b, ssgw_m3ua_encode_aspdn(&b, NULL));
        }
        gw_tp_pause_reading(&l->tp, true);
    }
    gw_diam_stop(g); /* DPR to every open Diameter peer; their answers are still routed */
    uint64_t until = ssgw_evloop_now_ms() + ms;
    while (ssgw_evloop_now_ms() < until) {
        bool pending = g->c.in_flight > 0 || gw_diam_pending(g);
        for (size_t i = 0; i < g->n_links; i++)
            pending |= !gw_tp_all_sent(&g->links[i]->tp);
        if (!pending) break;
        ssgw_evloop_run_once(g->loop, 10);
    }
}

void ssgw_gw_free(ssgw_gw *g)
{
    if (!g) return;
    gw_data_workers_stop(g); /* before the links: results name them */
    while (g->n_links) {
        gw_link *l = g->links[--g->n_links];
        g->links[g->n_links] = NULL;
        gw_link_free(g, l);
    }
    gw_diam_free(g);
    gw_status_close(g);
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
