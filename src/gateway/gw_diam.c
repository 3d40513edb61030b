/*
 * gw_diam.c - the gateway's Diameter edge proxy as a whole (gw_diam.h lists
 * its parts): the peers of [[diameter_peer]] opened at start, a reload that
 * keeps the connections of unchanged peers, the loop's batched writes, the
 * graceful shutdown (DPR to every open peer, DPA awaited), the periodic sweep
 * of relayed requests whose answer never came, and the "diameter" object of
 * the status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway/gw_diam.h"
#include "ssgw/log.h"

static uint64_t sweep_cb(ssgw_evloop *loop, long long id, void *arg)
{
    (void)loop;
    (void)id;
    gw_diam_sweep(arg, ssgw_evloop_now_ms());
    return 1000;
}

static gw_diam *diam_of(ssgw_gw *g)
{
    if (g->diam) return g->diam;
    g->diam = calloc(1, sizeof *g->diam);
    if (!g->diam) return NULL;
    g->diam->g = g;
    g->diam->origin_state_id = (uint32_t)time(NULL);
    return g->diam;
}

/* Opens the peers of cfg into out[] (reusing d's peers whose endpoint is unchanged, marked
 * in keep[]). -1 with err: the new ones are closed again. */
static bool same_endpoint(const ssgw_gw_dpeer_config *a, const ssgw_gw_dpeer_config *b)
{
    return !strcmp(a->name, b->name) && a->side == b->side && a->transport == b->transport &&
           a->listen == b->listen && a->port == b->port && !strcmp(a->host, b->host) &&
           a->remote_udp_port == b->remote_udp_port;
}

static int open_peers(gw_diam *d, const ssgw_gw_config *cfg, gw_dpeer **out, bool *keep, char *err,
                      size_t errlen)
{
    for (size_t i = 0; i < cfg->n_dpeers; i++) {
        out[i] = NULL;
        for (size_t k = 0; k < d->n_peers; k++)
            if (!keep[k] && same_endpoint(&d->peers[k]->cfg, &cfg->dpeers[i])) {
                keep[k] = true;
                out[i] = d->peers[k];
                break;
            }
        if (out[i]) continue;
        out[i] = gw_dpeer_new(d, cfg, &cfg->dpeers[i], (unsigned)i, err, errlen);
        if (!out[i]) {
            for (size_t j = 0; j < i; j++) {
                bool old = false;
                for (size_t k = 0; k < d->n_peers; k++)
                    old |= d->peers[k] == out[j];
                if (!old) gw_dpeer_free(d, out[j]);
            }
            return -1;
        }
    }
    return 0;
}

int gw_diam_start(ssgw_gw *g, const ssgw_gw_config *cfg, char *err, size_t errlen)
{
    gw_diam *d = diam_of(g);
    if (!d) return snprintf(err, errlen, "out of memory"), -1;
    d->cfg = cfg->diameter;
    if (!cfg->n_dpeers) return 0;
    if (gw_diam_pending_init(d) < 0)
        return snprintf(err, errlen, "out of memory ([diameter] max_pending)"), -1;
    bool keep[SSGW_GW_MAX_DPEERS] = {false};
    if (open_peers(d, cfg, d->peers, keep, err, errlen) < 0) return -1;
    d->n_peers = cfg->n_dpeers;
    d->sweep_timer = ssgw_evloop_add_timer(g->loop, 1000, sweep_cb, d);
    return 0;
}

int gw_diam_reload(ssgw_gw *g, const ssgw_gw_config *cfg, char *err, size_t errlen)
{
    gw_diam *d = diam_of(g);
    if (!d) return snprintf(err, errlen, "out of memory"), -1;
    if (d->pending && cfg->n_dpeers && cfg->diameter.max_pending != d->cfg.max_pending)
        return snprintf(err, errlen, "%s: [diameter] max_pending cannot change without a restart",
                        cfg->path),
               -1;
    ssgw_gw_diam_config old = d->cfg;
    d->cfg = cfg->diameter;
    if (cfg->n_dpeers && gw_diam_pending_init(d) < 0) {
        d->cfg = old;
        return snprintf(err, errlen, "out of memory ([diameter] max_pending)"), -1;
    }
    gw_dpeer *next[SSGW_GW_MAX_DPEERS];
    bool keep[SSGW_GW_MAX_DPEERS] = {false};
    if (open_peers(d, cfg, next, keep, err, errlen) < 0) {
        d->cfg = old;
        return -1;
    }
    gw_dpeer *removed[SSGW_GW_MAX_DPEERS];
    size_t n_removed = 0;
    for (size_t k = 0; k < d->n_peers; k++)
        if (!keep[k]) removed[n_removed++] = d->peers[k];
    for (size_t i = 0; i < cfg->n_dpeers; i++) {
        next[i]->cfg = cfg->dpeers[i];
        next[i]->index = (unsigned)i;
        next[i]->tp.limit = cfg->dpeers[i].queue_bytes;
        next[i]->tp.reconnect_ms = cfg->reconnect_ms;
        d->peers[i] = next[i];
    }
    d->n_peers = cfg->n_dpeers;
    for (size_t k = 0; k < n_removed; k++) {
        ssgw_log(SSGW_LOG_NOTICE, "diameter peer '%s': removed by the new configuration",
                 removed[k]->cfg.name);
        gw_dpeer_free(d, removed[k]);
    }
    for (size_t i = 0; i < d->n_peers; i++)
        if (d->peers[i]->resume) {
            d->peers[i]->resume = false;
            gw_tp_resume(&d->peers[i]->tp);
        }
    if (d->n_peers && !d->sweep_timer)
        d->sweep_timer = ssgw_evloop_add_timer(g->loop, 1000, sweep_cb, d);
    return 0;
}

void gw_diam_flush(ssgw_gw *g)
{
    gw_diam *d = g->diam;
    for (size_t i = 0; d && i < d->n_peers; i++)
        if (gw_tp_queued(&d->peers[i]->tp)) gw_tp_flush(&d->peers[i]->tp);
}

void gw_diam_arm(ssgw_gw *g)
{
    gw_diam *d = g->diam;
    for (size_t i = 0; d && i < d->n_peers; i++)
        gw_tp_arm(&d->peers[i]->tp);
}

void gw_diam_stop(ssgw_gw *g)
{
    gw_diam *d = g->diam;
    for (size_t i = 0; d && i < d->n_peers; i++)
        gw_dpeer_step(d->peers[i], SSGW_DPEER_EV_STOP, NULL, 0);
}

bool gw_diam_pending(const ssgw_gw *g)
{
    const gw_diam *d = g->diam;
    for (size_t i = 0; d && i < d->n_peers; i++) {
        const gw_dpeer *p = d->peers[i];
        if (p->tp.up && (p->state == SSGW_DPEER_CLOSING || !gw_tp_all_sent(&p->tp))) return true;
    }
    return false;
}

void gw_diam_free(ssgw_gw *g)
{
    gw_diam *d = g->diam;
    if (!d) return;
    if (d->sweep_timer) ssgw_evloop_del_timer(g->loop, d->sweep_timer);
    while (d->n_peers) {
        gw_dpeer *p = d->peers[--d->n_peers];
        d->peers[d->n_peers] = NULL;
        gw_dpeer_free(d, p);
    }
    free(d->pending);
    free(d);
    g->diam = NULL;
}

void ssgw_gw_set_diam_inspector(ssgw_gw *g, ssgw_gw_diam_inspect_fn fn, void *ctx)
{
    gw_diam *d = diam_of(g);
    if (!d) return;
    d->inspect = fn;
    d->inspect_ctx = ctx;
}

const ssgw_gw_diam_counters *ssgw_gw_diam_get_counters(const ssgw_gw *g)
{
    static const ssgw_gw_diam_counters none;
    return g->diam ? &g->diam->c : &none;
}

/* ---- status ----------------------------------------------------------------------- */

void gw_diam_status(const ssgw_gw *g, ssgw_json *j)
{
    const gw_diam *d = g->diam;
    if (!d || !d->n_peers) return;
    ssgw_json_object_begin(j, "diameter");
    ssgw_json_str(j, "origin_host", d->cfg.origin_host);
    ssgw_json_str(j, "origin_realm", d->cfg.origin_realm);
    ssgw_json_array_begin(j, "peers");
    for (size_t i = 0; i < d->n_peers; i++) {
        const gw_dpeer *p = d->peers[i];
        ssgw_json_object_begin(j, NULL);
        ssgw_json_str(j, "name", p->cfg.name);
        ssgw_json_str(j, "side", ssgw_gw_side_name(p->cfg.side));
        ssgw_json_str(j, "transport", ssgw_gw_transport_name(p->cfg.transport));
        ssgw_json_str(j, "connection", p->tp.up ? "up" : p->tp.connecting ? "connecting" : "down");
        ssgw_json_str(j, "state", ssgw_dpeer_state_name(p->state));
        ssgw_json_str(j, "peer", p->tp.up ? p->tp.peer : "");
        ssgw_json_str(j, "host", p->host);
        ssgw_json_str(j, "realm", p->realm);
        ssgw_json_array_begin(j, "applications");
        for (size_t k = 0; k < p->n_apps; k++)
            ssgw_json_int(j, NULL, (long long)p->apps[k]);
        ssgw_json_array_end(j);
        ssgw_json_int(j, "connects", (long long)p->tp.connects);
        ssgw_json_int(j, "disconnects", (long long)p->tp.disconnects);
        ssgw_json_int(j, "opened", (long long)p->opened);
        ssgw_json_int(j, "refused", (long long)p->refused);
        ssgw_json_int(j, "data_in", (long long)p->data_in);
        ssgw_json_int(j, "data_out", (long long)p->data_out);
        ssgw_json_int(j, "dropped", (long long)p->dropped);
        ssgw_json_int(j, "mgmt_in", (long long)p->mgmt_in);
        ssgw_json_int(j, "mgmt_out", (long long)p->mgmt_out);
        ssgw_json_int(j, "queue_bytes", (long long)gw_tp_queued(&p->tp));
        ssgw_json_int(j, "queue_limit", (long long)p->tp.limit);
        ssgw_json_bool(j, "reading_paused", p->tp.paused || p->blocked_on);
        ssgw_json_int(j, "backpressure", (long long)p->blocked);
        ssgw_json_object_end(j);
    }
    ssgw_json_array_end(j);
    const ssgw_gw_diam_counters *c = &d->c;
    ssgw_json_object_begin(j, "counters");
    ssgw_json_int(j, "data_in", (long long)c->data_in);
    ssgw_json_int(j, "requests_in", (long long)c->requests_in);
    ssgw_json_int(j, "answers_in", (long long)c->answers_in);
    ssgw_json_int(j, "forwarded", (long long)c->forwarded);
    ssgw_json_int(j, "forwarded_modified", (long long)c->forwarded_modified);
    ssgw_json_int(j, "answered", (long long)c->answered);
    ssgw_json_int(j, "dropped", (long long)c->dropped);
    ssgw_json_int(j, "alerts", (long long)c->alerts);
    ssgw_json_int(j, "mgmt_in", (long long)c->mgmt_in);
    ssgw_json_int(j, "mgmt_out", (long long)c->mgmt_out);
    ssgw_json_int(j, "pending", (long long)c->pending);
    ssgw_json_int(j, "expired", (long long)c->expired);
    ssgw_json_int(j, "lost_in_queue", (long long)c->lost_in_queue);
    ssgw_json_int(j, "backpressure", (long long)c->backpressure);
    ssgw_json_object_begin(j, "reasons");
    for (size_t i = 0; i < c->n_reasons; i++)
        ssgw_json_int(j, c->reasons[i].reason, (long long)c->reasons[i].n);
    ssgw_json_object_end(j);
    ssgw_json_object_end(j);
    ssgw_json_object_end(j);
}
