/*
 * gw_metrics_diam.c - the Diameter edge proxy's part of the Prometheus page (GET /metrics):
 * every counter of the status's `diameter` object under a Prometheus name, with the same
 * conventions as gw_metrics.c (base units, counters ending in _total, one label per
 * dimension: peer, side, direction, reason, state). Written only when Diameter peers are
 * configured, read on the loop's thread like the status, so a scrape and a status taken
 * while no message moves agree number for number (tests/e2e/test_diameter_proxy.py).
 */
#include "gateway/gw_diam.h"
#include "gateway/gw_http_int.h"

#define L(...) ((const char *[]){__VA_ARGS__, NULL})

static void counter(ssgw_prom *p, const char *name, const char *help, uint64_t v)
{
    ssgw_prom_family(p, name, "counter", help);
    ssgw_prom_sample_u64(p, name, NULL, v);
}

static void totals(const ssgw_gw_diam_counters *c, ssgw_prom *p)
{
    counter(p, "ssgw_diameter_messages_received_total",
            "Diameter application messages received on open peers", c->data_in);
    ssgw_prom_family(p, "ssgw_diameter_messages_received_by_kind_total", "counter",
                     "Diameter application messages received, requests and answers");
    ssgw_prom_sample_u64(p, "ssgw_diameter_messages_received_by_kind_total", L("kind", "request"),
                         c->requests_in);
    ssgw_prom_sample_u64(p, "ssgw_diameter_messages_received_by_kind_total", L("kind", "answer"),
                         c->answers_in);
    counter(p, "ssgw_diameter_messages_forwarded_total",
            "Diameter messages queued to a peer (requests relayed, answers routed back)",
            c->forwarded);
    counter(p, "ssgw_diameter_messages_forwarded_modified_total",
            "forwarded Diameter messages whose bytes changed (token stripped or added)",
            c->forwarded_modified);
    counter(p, "ssgw_diameter_messages_answered_total",
            "Diameter requests the gateway answered itself", c->answered);
    counter(p, "ssgw_diameter_messages_dropped_total", "Diameter messages dropped", c->dropped);
    counter(p, "ssgw_diameter_messages_alerted_total", "Diameter messages forwarded with an alert",
            c->alerts);
    counter(p, "ssgw_diameter_messages_lost_in_queue_total",
            "Diameter messages queued to a peer that went down before they were sent",
            c->lost_in_queue);
    counter(p, "ssgw_diameter_requests_expired_total",
            "relayed Diameter requests whose answer never came (answer_timeout_ms)", c->expired);
    counter(p, "ssgw_diameter_backpressure_events_total",
            "times a Diameter peer stopped being read because its destination was full",
            c->backpressure);
    ssgw_prom_family(p, "ssgw_diameter_requests_pending", "gauge",
                     "relayed Diameter requests waiting for their answer");
    ssgw_prom_sample_u64(p, "ssgw_diameter_requests_pending", NULL, c->pending);
    ssgw_prom_family(p, "ssgw_diameter_management_messages_total", "counter",
                     "Diameter base messages (CER/CEA, DWR/DWA, DPR/DPA), by direction");
    ssgw_prom_sample_u64(p, "ssgw_diameter_management_messages_total", L("direction", "received"),
                         c->mgmt_in);
    ssgw_prom_sample_u64(p, "ssgw_diameter_management_messages_total", L("direction", "sent"),
                         c->mgmt_out);
    ssgw_prom_family(p, "ssgw_diameter_messages_by_reason_total", "counter",
                     "Diameter messages dropped, answered or alerted, by the reason (a check, a "
                     "trust outcome, a routing or peer reason)");
    for (size_t i = 0; i < c->n_reasons; i++)
        ssgw_prom_sample_u64(p, "ssgw_diameter_messages_by_reason_total",
                             L("reason", c->reasons[i].reason), c->reasons[i].n);
}

typedef struct {
    const char *name, *help;
    uint64_t (*get)(const gw_dpeer *);
} peer_counter;

static uint64_t d_in(const gw_dpeer *x)
{
    return x->data_in;
}
static uint64_t d_out(const gw_dpeer *x)
{
    return x->data_out;
}
static uint64_t d_drop(const gw_dpeer *x)
{
    return x->dropped;
}
static uint64_t d_min(const gw_dpeer *x)
{
    return x->mgmt_in;
}
static uint64_t d_mout(const gw_dpeer *x)
{
    return x->mgmt_out;
}
static uint64_t d_conn(const gw_dpeer *x)
{
    return x->tp.connects;
}
static uint64_t d_disc(const gw_dpeer *x)
{
    return x->tp.disconnects;
}
static uint64_t d_open(const gw_dpeer *x)
{
    return x->opened;
}
static uint64_t d_ref(const gw_dpeer *x)
{
    return x->refused;
}
static uint64_t d_bp(const gw_dpeer *x)
{
    return x->blocked;
}

static const peer_counter peer_counters[] = {
    {"ssgw_diameter_peer_messages_received_total", "application messages received from the peer",
     d_in},
    {"ssgw_diameter_peer_messages_sent_total", "application messages queued to the peer", d_out},
    {"ssgw_diameter_peer_messages_dropped_total", "application messages from the peer dropped",
     d_drop},
    {"ssgw_diameter_peer_management_messages_received_total",
     "base messages (CER, DWR, DPR and their answers) received from the peer", d_min},
    {"ssgw_diameter_peer_management_messages_sent_total", "base messages sent to the peer", d_mout},
    {"ssgw_diameter_peer_connects_total", "connections that came up", d_conn},
    {"ssgw_diameter_peer_disconnects_total", "connections that went down", d_disc},
    {"ssgw_diameter_peer_opened_total", "capabilities exchanges that opened the peer", d_open},
    {"ssgw_diameter_peer_refused_total", "connections or capabilities exchanges refused", d_ref},
    {"ssgw_diameter_peer_backpressure_events_total",
     "times the peer stopped being read (its destination was full)", d_bp},
};

static void peers(const gw_diam *d, ssgw_prom *p)
{
    for (size_t c = 0; c < sizeof peer_counters / sizeof peer_counters[0]; c++) {
        ssgw_prom_family(p, peer_counters[c].name, "counter", peer_counters[c].help);
        for (size_t i = 0; i < d->n_peers; i++) {
            const gw_dpeer *x = d->peers[i];
            ssgw_prom_sample_u64(p, peer_counters[c].name,
                                 L("peer", x->cfg.name, "side", ssgw_gw_side_name(x->cfg.side)),
                                 peer_counters[c].get(x));
        }
    }
    ssgw_prom_family(p, "ssgw_diameter_peer_up", "gauge",
                     "1 when the peer is open (capabilities exchanged), else 0");
    for (size_t i = 0; i < d->n_peers; i++) {
        const gw_dpeer *x = d->peers[i];
        bool open = x->state == SSGW_DPEER_I_OPEN || x->state == SSGW_DPEER_R_OPEN;
        ssgw_prom_sample_u64(p, "ssgw_diameter_peer_up", L("peer", x->cfg.name), open);
    }
    ssgw_prom_family(p, "ssgw_diameter_peer_state", "gauge",
                     "the peer's state (RFC 6733 5.6): 1 for the state it is in");
    for (size_t i = 0; i < d->n_peers; i++) {
        const gw_dpeer *x = d->peers[i];
        ssgw_prom_sample_u64(p, "ssgw_diameter_peer_state",
                             L("peer", x->cfg.name, "state", ssgw_dpeer_state_name(x->state)), 1);
    }
    ssgw_prom_family(p, "ssgw_diameter_peer_queue_bytes", "gauge",
                     "bytes waiting in the peer's queue");
    for (size_t i = 0; i < d->n_peers; i++)
        ssgw_prom_sample_u64(p, "ssgw_diameter_peer_queue_bytes", L("peer", d->peers[i]->cfg.name),
                             gw_tp_queued(&d->peers[i]->tp));
}

void gw_metrics_diam_write(const ssgw_gw *g, ssgw_prom *p)
{
    const gw_diam *d = g->diam;
    if (!d || !d->n_peers) return;
    totals(&d->c, p);
    peers(d, p);
}
