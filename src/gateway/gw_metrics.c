/*
 * gw_metrics.c - the gateway's Prometheus page (GET /metrics, include/ssgw/
 * gw_http.h): every counter of `ssgw status` under a Prometheus name (base
 * units, counters ending in _total, one label per dimension: link, side,
 * direction, reason, check, verdict, outcome, partner, table, lane, backend, status;
 * the state store's health as ssgw_state_*), read on
 * the loop's thread like the status, so a scrape and a status taken while no
 * message moves agree number for number (tests/e2e/test_http.py checks it).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gateway/gw_http_int.h"

#define L(...) ((const char *[]){__VA_ARGS__, NULL})

static void counter(ssgw_prom *p, const char *name, const char *help, uint64_t v)
{
    ssgw_prom_family(p, name, "counter", help);
    ssgw_prom_sample_u64(p, name, NULL, v);
}

static void gauge(ssgw_prom *p, const char *name, const char *help, double v)
{
    ssgw_prom_family(p, name, "gauge", help);
    ssgw_prom_sample(p, name, NULL, v);
}

static void gateway_counters(const ssgw_gw *g, ssgw_prom *p)
{
    const ssgw_gw_counters *c = &g->c;
    counter(p, "ssgw_data_messages_received_total", "M3UA DATA messages received on any link",
            c->data_in);
    counter(p, "ssgw_data_messages_forwarded_total",
            "DATA messages queued to a link of the other side (modified included)", c->forwarded);
    counter(p, "ssgw_data_messages_forwarded_modified_total",
            "forwarded DATA messages whose bytes changed (token stripped or added)",
            c->forwarded_modified);
    counter(p, "ssgw_data_messages_answered_total",
            "DATA messages answered on the arrival link instead of forwarded", c->answered);
    counter(p, "ssgw_data_messages_dropped_total", "DATA messages dropped", c->dropped);
    counter(p, "ssgw_data_messages_alerted_total", "DATA messages forwarded with an alert",
            c->alerts);
    counter(p, "ssgw_data_messages_lost_in_queue_total",
            "DATA messages queued to a link that went down before they were sent",
            c->lost_in_queue);
    gauge(p, "ssgw_data_messages_in_flight", "DATA messages held by inspection threads",
          (double)c->in_flight);
    ssgw_prom_family(p, "ssgw_data_messages_by_reason_total", "counter",
                     "DATA messages dropped, answered or alerted, by the reason (a check, a "
                     "trust outcome, a routing or queue reason)");
    for (size_t i = 0; i < c->n_reasons; i++)
        ssgw_prom_sample_u64(p, "ssgw_data_messages_by_reason_total",
                             L("reason", c->reasons[i].reason), c->reasons[i].n);
    ssgw_prom_family(p, "ssgw_m3ua_management_messages_total", "counter",
                     "M3UA messages other than DATA, by direction");
    ssgw_prom_sample_u64(p, "ssgw_m3ua_management_messages_total", L("direction", "received"),
                         c->mgmt_in);
    ssgw_prom_sample_u64(p, "ssgw_m3ua_management_messages_total", L("direction", "sent"),
                         c->mgmt_out);
    counter(p, "ssgw_m3ua_errors_sent_total", "M3UA ERR messages sent", c->err_sent);
    counter(p, "ssgw_m3ua_errors_received_total", "M3UA ERR messages received", c->err_received);
    counter(p, "ssgw_m3ua_notify_received_total", "M3UA NTFY messages received", c->ntfy_received);
    counter(p, "ssgw_m3ua_ssnm_relayed_total", "SSNM messages relayed to the other side",
            c->ssnm_relayed);
    counter(p, "ssgw_m3ua_daud_answered_total", "DAUD messages answered", c->daud_answered);
    counter(p, "ssgw_backpressure_events_total",
            "times a source or an inspection lane paused because a queue was full",
            c->backpressure);
    counter(p, "ssgw_reloads_total", "configuration reloads applied", c->reloads);
    counter(p, "ssgw_reload_failures_total", "configuration reloads refused", c->reload_failures);
    counter(p, "ssgw_status_refused_total",
            "status socket connections refused: the peer's uid is not allowed", c->status_refused);
    counter(p, "ssgw_links_beat_lost_total",
            "associations closed because nothing was heard for beat_loss BEAT periods",
            c->beat_lost);
}

typedef struct {
    const char *name, *help;
    uint64_t (*get)(const gw_link *l);
} link_counter;

static uint64_t l_in(const gw_link *l)
{
    return l->data_in;
}
static uint64_t l_out(const gw_link *l)
{
    return l->data_out;
}
static uint64_t l_drop(const gw_link *l)
{
    return l->dropped;
}
static uint64_t l_min(const gw_link *l)
{
    return l->mgmt_in;
}
static uint64_t l_mout(const gw_link *l)
{
    return l->mgmt_out;
}
static uint64_t l_errs(const gw_link *l)
{
    return l->err_sent;
}
static uint64_t l_errr(const gw_link *l)
{
    return l->err_received;
}
static uint64_t l_conn(const gw_link *l)
{
    return l->tp.connects;
}
static uint64_t l_disc(const gw_link *l)
{
    return l->tp.disconnects;
}
static uint64_t l_bp(const gw_link *l)
{
    return l->blocked;
}
static uint64_t l_pfail(const gw_link *l)
{
    return l->tp.path_failures;
}
static uint64_t l_prec(const gw_link *l)
{
    return l->tp.path_recoveries;
}

static const link_counter link_counters[] = {
    {"ssgw_link_data_messages_received_total", "DATA messages received on the link", l_in},
    {"ssgw_link_data_messages_sent_total", "DATA messages queued to the link", l_out},
    {"ssgw_link_data_messages_dropped_total", "DATA messages from the link that were dropped",
     l_drop},
    {"ssgw_link_management_messages_received_total", "non-DATA M3UA messages received", l_min},
    {"ssgw_link_management_messages_sent_total", "non-DATA M3UA messages sent", l_mout},
    {"ssgw_link_errors_sent_total", "M3UA ERR sent on the link", l_errs},
    {"ssgw_link_errors_received_total", "M3UA ERR received on the link", l_errr},
    {"ssgw_link_connects_total", "associations established", l_conn},
    {"ssgw_link_disconnects_total", "associations lost or closed", l_disc},
    {"ssgw_link_backpressure_events_total", "times reading the link paused on a full queue", l_bp},
    {"ssgw_link_path_failures_total",
     "SCTP: paths to the peer found unreachable (a multi-homed association goes on over another)",
     l_pfail},
    {"ssgw_link_path_recoveries_total", "SCTP: paths to the peer reachable again", l_prec},
};

static const char *direction_of(const gw_link *l)
{
    return l->cfg.side == SSGW_GW_SIDE_OUTER ? "inbound" : "outbound";
}

static void links(const ssgw_gw *g, ssgw_prom *p)
{
    for (size_t k = 0; k < sizeof link_counters / sizeof link_counters[0]; k++) {
        ssgw_prom_family(p, link_counters[k].name, "counter", link_counters[k].help);
        for (size_t i = 0; i < g->n_links; i++) {
            const gw_link *l = g->links[i];
            ssgw_prom_sample_u64(p, link_counters[k].name,
                                 L("link", l->cfg.name, "side", ssgw_gw_side_name(l->cfg.side),
                                   "direction", direction_of(l)),
                                 link_counters[k].get(l));
        }
    }
    ssgw_prom_family(p, "ssgw_link_admission_refusals_total", "counter",
                     "associations refused or closed by the link admission rules, by reason");
    for (size_t i = 0; i < g->n_links; i++)
        for (int r = 0; r < GW_ADMIT_COUNT; r++)
            ssgw_prom_sample_u64(
                p, "ssgw_link_admission_refusals_total",
                L("link", g->links[i]->cfg.name, "reason", gw_admit_reason_name(r)),
                g->links[i]->admit[r]);
    ssgw_prom_family(p, "ssgw_link_rkm_requests_total", "counter",
                     "M3UA routing key (de)registrations on links with rkm, by outcome");
    ssgw_prom_family(p, "ssgw_link_rkm_routing_keys", "gauge",
                     "routing keys the link's ASP holds registered");
    for (size_t i = 0; i < g->n_links; i++) {
        const gw_link *l = g->links[i];
        if (!l->cfg.rkm) continue;
        for (int r = 0; r < GW_RKM_COUNT; r++)
            ssgw_prom_sample_u64(p, "ssgw_link_rkm_requests_total",
                                 L("link", l->cfg.name, "outcome", gw_rkm_counter_name(r)),
                                 l->rkm[r]);
        ssgw_prom_sample(p, "ssgw_link_rkm_routing_keys", L("link", l->cfg.name),
                         (double)l->n_rkeys);
    }
    ssgw_prom_family(p, "ssgw_link_up", "gauge",
                     "1 while the link's association (transport) is up, else 0");
    ssgw_prom_family(p, "ssgw_link_info", "gauge", "the link's configuration (value 1)");
    for (size_t i = 0; i < g->n_links; i++) {
        const gw_link *l = g->links[i];
        ssgw_prom_sample(p, "ssgw_link_up", L("link", l->cfg.name), l->tp.up ? 1 : 0);
        ssgw_prom_sample(p, "ssgw_link_info",
                         L("link", l->cfg.name, "side", ssgw_gw_side_name(l->cfg.side), "transport",
                           ssgw_gw_transport_name(l->cfg.transport), "role",
                           ssgw_gw_role_name(l->cfg.role)),
                         1);
    }
    ssgw_prom_family(p, "ssgw_link_association_state", "gauge",
                     "1 for the association's current state (up, connecting, down)");
    ssgw_prom_family(p, "ssgw_link_asp_state", "gauge",
                     "1 for the link's current ASP state (RFC 4666 4.3), 0 for the others");
    static const char *const assoc[] = {"up", "connecting", "down"};
    static const ssgw_asp_state asp[] = {SSGW_ASP_DOWN, SSGW_ASP_INACTIVE, SSGW_ASP_ACTIVE};
    for (size_t i = 0; i < g->n_links; i++) {
        const gw_link *l = g->links[i];
        const char *cur = l->tp.up ? "up" : l->tp.connecting ? "connecting" : "down";
        for (int k = 0; k < 3; k++)
            ssgw_prom_sample(p, "ssgw_link_association_state",
                             L("link", l->cfg.name, "state", assoc[k]), !strcmp(cur, assoc[k]));
        for (int k = 0; k < 3; k++)
            ssgw_prom_sample(p, "ssgw_link_asp_state",
                             L("link", l->cfg.name, "state", ssgw_asp_state_name(asp[k])),
                             l->state == asp[k]);
    }
    ssgw_prom_family(p, "ssgw_link_peer_paths", "gauge",
                     "SCTP: the peer's addresses (paths) of the association, by state");
    for (size_t i = 0; i < g->n_links; i++) {
        gw_tp_path paths[GW_TP_MAX_PATHS];
        size_t n = gw_tp_paths(&g->links[i]->tp, paths, GW_TP_MAX_PATHS);
        for (int st = 0; st < GW_PATH_STATE_COUNT; st++) {
            unsigned k = 0;
            for (size_t j = 0; j < n; j++)
                k += paths[j].state == (gw_path_state)st;
            ssgw_prom_sample(p, "ssgw_link_peer_paths",
                             L("link", g->links[i]->cfg.name, "state", gw_path_state_name(st)), k);
        }
    }
    ssgw_prom_family(p, "ssgw_link_queue_bytes", "gauge", "bytes waiting in the link's queue");
    for (size_t i = 0; i < g->n_links; i++)
        ssgw_prom_sample_u64(p, "ssgw_link_queue_bytes", L("link", g->links[i]->cfg.name),
                             gw_tp_queued(&g->links[i]->tp));
    ssgw_prom_family(p, "ssgw_link_queue_limit_bytes", "gauge",
                     "the queue's cap: back pressure above it");
    for (size_t i = 0; i < g->n_links; i++)
        ssgw_prom_sample_u64(p, "ssgw_link_queue_limit_bytes", L("link", g->links[i]->cfg.name),
                             g->links[i]->tp.limit);
}

static void latency(const ssgw_gw *g, ssgw_prom *p)
{
    unsigned lanes = g->workers ? gw_workers_count(g->workers) : 1;
    static const struct {
        const char *name, *help;
        size_t off;
    } h[] = {
        {"ssgw_message_latency_seconds",
         "DATA message latency in the gateway: from arrival on the loop (the read that brought "
         "it) to its action decided (inline) or carried out (inspection threads), per lane",
         offsetof(ssgw_gw, latency)},
        {"ssgw_inspection_duration_seconds",
         "time the inspection hook (decode, trust, firewall, sign) took per message, per lane",
         offsetof(ssgw_gw, inspect_time)},
    };
    for (size_t k = 0; k < 2; k++) {
        ssgw_prom_family(p, h[k].name, "histogram", h[k].help);
        const gw_histo *hs = (const gw_histo *)(const void *)((const char *)g + h[k].off);
        for (unsigned lane = 0; lane < lanes; lane++) {
            uint64_t counts[GW_LAT_BUCKETS + 1];
            double sum;
            char ln[16];
            snprintf(ln, sizeof ln, "%u", lane);
            gw_histo_read(&hs[lane], counts, &sum);
            ssgw_prom_histogram(p, h[k].name, L("lane", ln), gw_lat_bounds, counts, GW_LAT_BUCKETS,
                                sum);
        }
    }
}

/* ---- the pipeline ---------------------------------------------------------------- */

static void firewall_parts(void *ctx, ssgw_firewall *fw)
{
    ssgw_prom *p = ctx;
    size_t n = ssgw_firewall_party_count(fw);
    ssgw_fw_party_stats ps;
    ssgw_prom_family(p, "ssgw_partner_messages_total", "counter",
                     "messages the firewall judged, by the network on the other end ('unknown': "
                     "no partner)");
    for (size_t i = 0; i < n; i++) {
        ssgw_firewall_party_stats_at(fw, i, &ps);
        ssgw_prom_sample_u64(p, "ssgw_partner_messages_total", L("partner", ps.name), ps.messages);
    }
    ssgw_prom_family(p, "ssgw_partner_refused_messages_total", "counter",
                     "of those, messages not let through");
    for (size_t i = 0; i < n; i++) {
        ssgw_firewall_party_stats_at(fw, i, &ps);
        ssgw_prom_sample_u64(p, "ssgw_partner_refused_messages_total", L("partner", ps.name),
                             ps.refused);
    }
    ssgw_prom_family(p, "ssgw_partner_enabled", "gauge",
                     "0 while the partner is switched off through the management API");
    for (size_t i = 1; i < n; i++) {
        ssgw_firewall_party_stats_at(fw, i, &ps);
        ssgw_prom_sample(p, "ssgw_partner_enabled", L("partner", ps.name), !ps.disabled);
    }
    ssgw_store *s = ssgw_firewall_store(fw);
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    gauge(p, "ssgw_store_memory_bytes", "memory held by the state store's tables",
          (double)st.bytes);
    static const struct {
        const char *name, *type, *help;
        size_t off;
    } cols[] = {
        {"ssgw_store_records", "gauge", "records held per state-store table",
         offsetof(ssgw_store_table_stats, used)},
        {"ssgw_store_capacity_records", "gauge", "records a state-store table can hold",
         offsetof(ssgw_store_table_stats, capacity)},
        {"ssgw_store_inserts_total", "counter", "records written into a state-store table",
         offsetof(ssgw_store_table_stats, inserts)},
        {"ssgw_store_evictions_total", "counter",
         "records forgotten to make room (the table was full)",
         offsetof(ssgw_store_table_stats, evictions)},
        {"ssgw_store_refused_total", "counter",
         "records not stored: every record they could replace was live and kept (token "
         "buckets still refilling)",
         offsetof(ssgw_store_table_stats, refused)},
    };
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
        ssgw_prom_family(p, cols[c].name, cols[c].type, cols[c].help);
        for (int t = 0; t < SSGW_STORE_TABLE_COUNT; t++) {
            const char *base = (const char *)&st.t[t] + cols[c].off;
            uint64_t v = cols[c].off == offsetof(ssgw_store_table_stats, used) ||
                                 cols[c].off == offsetof(ssgw_store_table_stats, capacity)
                             ? (uint64_t) * (const size_t *)(const void *)base
                             : *(const uint64_t *)(const void *)base;
            ssgw_prom_sample_u64(p, cols[c].name,
                                 L("table", ssgw_store_table_name((ssgw_store_table)t)), v);
        }
    }
}

static void counts(ssgw_prom *p, const char *name, const char *help, const char *label,
                   const uint64_t *v, int n, const char *(*nm)(int))
{
    ssgw_prom_family(p, name, "counter", help);
    for (int i = 0; i < n; i++)
        ssgw_prom_sample_u64(p, name, L(label, nm(i)), v[i]);
}

static const char *verdict_name(int a)
{
    return ssgw_action_name((ssgw_action)a);
}
static const char *dir_name(int d)
{
    return d ? "outbound" : "inbound";
}

/* The state store's health (the "state" object of the status): its status as one gauge per
 * status, and a shared store's counters. */
static void state_store(ssgw_pipeline *pl, const ssgw_pipeline_stats *st, ssgw_prom *p)
{
    ssgw_store_health h;
    ssgw_pipeline_state_health(pl, &h);
    ssgw_prom_family(p, "ssgw_state_status", "gauge",
                     "1 for the state store's status (up, down-local, down-closed)");
    for (int i = 0; i < SSGW_STORE_STATUS_COUNT; i++)
        ssgw_prom_sample(p, "ssgw_state_status",
                         L("backend", h.backend, "status", ssgw_store_status_name(i)),
                         h.status == (ssgw_store_status)i);
    if (!strcmp(h.backend, "embedded")) return;
    gauge(p, "ssgw_state_nodes", "Redis nodes connected (cluster: masters)", (double)h.nodes);
    static const struct {
        const char *name, *help;
        size_t off;
        bool gauge;
    } c[] = {
#define H(f, help, g) {"ssgw_state_" #f, help, offsetof(ssgw_store_health, f), g}
        H(pending, "writes held for Redis", true),
        H(pending_cap, "writes that may be held ([state] pending_writes)", true),
        H(transitions, "up <-> down changes of the shared store", false),
        H(round_trips, "exchanges with Redis", false),
        H(commands, "commands sent to Redis", false),
        H(prefetched, "records fetched before their batch", false),
        H(cache_hits, "reads answered by the batch cache", false),
        H(sync_reads, "reads that waited for their own round trip", false),
        H(nowait_reads, "reads answered without waiting (the loop's lane, unfetched records)",
          false),
        H(nowait_local, "of those, answered by the local copy", false),
        H(replay_checks, "shared replay-cache checks", false),
        H(writes_sent, "writes Redis acknowledged", false),
        H(pending_dropped, "held writes dropped (the queue was full)", false),
        H(replayed, "held writes sent after an outage", false),
        H(moved, "MOVED redirections followed", false),
        H(ask, "ASK redirections followed", false),
        H(slot_refreshes, "cluster slot maps read again", false),
        H(reconnects, "reconnections adopted", false),
        H(errors, "error replies from Redis", false),
        H(failures, "operations that failed (fail = closed, Redis away)", false),
        H(local_ops, "operations the local copy answered while Redis was away", false),
        H(bucket_disagreements, "rate takes Redis decided otherwise than this node", false),
#undef H
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char name[80];
        const char *suffix = c[i].gauge ? "" : "_total";
        snprintf(name, sizeof name, "%s%s", c[i].name, suffix);
        ssgw_prom_family(p, name, c[i].gauge ? "gauge" : "counter", c[i].help);
        ssgw_prom_sample_u64(p, name, NULL,
                             *(const uint64_t *)(const void *)((const char *)&h + c[i].off));
    }
    counter(p, "ssgw_state_unavailable_drops_total",
            "messages dropped because the state they needed was unavailable (fail = closed)",
            st->state_unavailable);
    counter(p, "ssgw_state_shared_replays_total",
            "tokens the shared replay cache had seen through another gateway", st->shared_replays);
}

static void pipeline(ssgw_pipeline *pl, ssgw_prom *p)
{
    ssgw_pipeline_stats st;
    ssgw_pipeline_get_stats(pl, &st);
    uint64_t dirs[2] = {st.inbound, st.outbound};
    counts(p, "ssgw_inspected_messages_total", "messages through the inspection pipeline",
           "direction", dirs, 2, dir_name);
    counts(p, "ssgw_firewall_verdicts_total", "firewall verdicts", "verdict", st.verdicts,
           SSGW_ACT_COUNT, verdict_name);
    counts(p, "ssgw_pipeline_actions_total", "what the pipeline decided per message", "action",
           st.actions, SSGW_PL_ACTION_COUNT, ssgw_pl_action_name);
    ssgw_pl_check_count cc[128];
    size_t n = ssgw_pipeline_check_counts(pl, cc, 128);
    ssgw_prom_family(p, "ssgw_check_objections_total", "counter",
                     "messages a check, rule, malformed layer or trust outcome objected to");
    for (size_t i = 0; i < n && i < 128; i++)
        if (cc[i].n)
            ssgw_prom_sample_u64(p, "ssgw_check_objections_total", L("check", cc[i].name), cc[i].n);
    counter(p, "ssgw_answers_failed_total", "answers that could not be built (dropped instead)",
            st.answers_failed);
    ssgw_pl_trust_state ts;
    ssgw_pipeline_trust_state(pl, &ts);
    if (ts.present) {
        counts(p, "ssgw_trust_outcomes_total", "security-token verification outcomes", "outcome",
               st.trust_outcomes, SSGW_TRUST_OUTCOME_COUNT, ssgw_trust_outcome_name);
        counts(p, "ssgw_trust_actions_total", "what verification outcomes led to", "action",
               st.trust_actions, 3, ssgw_trust_action_name);
        counter(p, "ssgw_trust_tokens_stripped_total", "tokens verified and removed", st.stripped);
        counter(p, "ssgw_trust_tokens_signed_total", "tokens added to outbound messages",
                st.signed_msgs);
        counter(p, "ssgw_trust_sign_refused_total", "messages that could not be signed",
                st.sign_refused);
        counter(p, "ssgw_trust_segments_held_total", "SCCP segments held for reassembly",
                st.segments_held);
        counter(p, "ssgw_trust_not_verified_total", "inbound TCAP messages not judged by trust",
                st.not_verified);
        counter(p, "ssgw_trust_replay_evicted_live_total",
                "live replay-cache entries evicted (the cache is too small)",
                st.replay_evicted_live);
        counter(p, "ssgw_trust_replay_refused_share_total",
                "tokens refused as replay_full: their operator held its [trust] replay_share",
                st.replay_refused_share);
        counter(p, "ssgw_trust_replay_refused_full_total",
                "tokens refused as replay_full: their sets held only other operators' live entries",
                st.replay_refused_full);
        gauge(p, "ssgw_trust_replay_capacity_entries", "replay cache size",
              (double)ts.replay_capacity);
        gauge(p, "ssgw_trust_bundle_sequence", "sequence of the trust bundle in use",
              (double)ts.sequence);
        gauge(p, "ssgw_trust_bundle_highest_sequence", "highest bundle sequence accepted",
              (double)ts.highest);
        gauge(p, "ssgw_trust_bundle_not_after_timestamp_seconds",
              "end of the bundle's validity (Unix time)", (double)ts.not_after);
        gauge(p, "ssgw_trust_bundle_expires_in_seconds",
              "seconds until the bundle in use expires (negative: expired)",
              (double)(ts.not_after - time(NULL)));
        gauge(p, "ssgw_trust_bundle_expired", "1 once the bundle in use was noticed expired",
              ts.expired);
    }
    ssgw_pipeline_with_firewall(pl, firewall_parts, p);
    state_store(pl, &st, p);
}

void gw_metrics_write(const ssgw_gw *g, ssgw_pipeline *pl, ssgw_prom *p)
{
    gateway_counters(g, p);
    links(g, p);
    latency(g, p);
    gw_metrics_diam_write(g, p);
    if (pl) pipeline(pl, p);
}
