/*
 * gw_pipeline.c - the live gateway's inspection hook (include/ssgw/gw_pipeline.h):
 * a thin adapter between the gateway (include/ssgw/gateway.h) and the library's
 * inspection pipeline (include/ssgw/pipeline.h), which does the work: decoding,
 * trust verification and stripping, the firewall, signing. What stays here is
 * what only a running gateway has: the arrival link's side as the direction, the
 * wall clock, the gateway's action vocabulary, the JSON events file, the HTML
 * report, and the trust lifecycle events written as alerts.
 *
 * Direction follows the link (docs/operations.md): DATA arriving on an outer link
 * comes from the interconnect (inbound); DATA arriving on an inner link leaves on
 * an outer one (outbound).
 *
 * Threads ([gateway] workers = N): the hook runs on N inspection threads, lane =
 * thread; the pipeline keeps per-lane state. A shared state store ([state] backend =
 * "redis") adds the batch hooks: each thread's batch of messages reads its state in one
 * round trip and stores what it taught before the messages go on; Diameter, inspected on
 * the loop's own lane, never waits for Redis (docs/architecture.md "Shared state"). The
 * events file and the report are shared behind one mutex; the event record is built
 * outside it.
 *
 * Events (docs/events.md): every line starts with the head of every event
 * (ssgw_record_event_head: schema, event_id, time in RFC 3339 UTC with
 * milliseconds, host, instance, event); event_id is this process's random run id
 * and a counter. SIGHUP reopens the file (ssgw_gw_pipeline_reopen_events), so
 * logrotate can move it away.
 */
#include "ssgw/gw_pipeline.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "ssgw/log.h"
#include "ssgw/pipeline.h"
#include "ssgw/record.h"
#include "ssgw/report.h"
#include "ssgw/timefmt.h"

#define REC_CAP 20000

/* Per-lane scratch and counters (one writer: the lane's thread). */
typedef struct {
    ssgw_pipeline_result res;
    char rec[REC_CAP];
    uint64_t events_written, events_too_large;
} gp_lane;

struct ssgw_gw_pipeline {
    char events_path[512], report_path[512];
    char host[256], instance[sizeof((ssgw_gw_config *)0)->instance];
    uint64_t run_id;           /* random, per process: event ids of two runs never meet */
    atomic_uint_fast64_t n_ev; /* events numbered so far */
    atomic_bool events_all;
    bool next_events_all;
    ssgw_pipeline *pl;
    unsigned n_lanes;
    unsigned diam_lane; /* the loop thread's lane for Diameter: workers, or 0 without */
    gp_lane *lanes;
    FILE *events;
    ssgw_report *rep;
    pthread_mutex_t out_lock; /* the events file and the report */
    ssgw_gw_pipeline_sink sink;
    void *sink_ctx;
};

ssgw_pipeline *ssgw_gw_pipeline_core(ssgw_gw_pipeline *p)
{
    return p->pl;
}

void ssgw_gw_pipeline_set_sink(ssgw_gw_pipeline *p, ssgw_gw_pipeline_sink fn, void *ctx)
{
    p->sink = fn;
    p->sink_ctx = ctx;
}

/* The head of an event of this gateway; id has room for the event id. */
static void event_head(ssgw_gw_pipeline *p, ssgw_json *j, const char *event, uint64_t ms)
{
    char id[48];
    snprintf(id, sizeof id, "%016" PRIx64 "-%" PRIu64, p->run_id,
             (uint64_t)atomic_fetch_add(&p->n_ev, 1) + 1);
    ssgw_event_head h = {event, id, ms, p->host, p->instance};
    ssgw_record_event_head(j, &h);
}

/* How severe each lifecycle event is in the log. */
static const ssgw_log_level event_level[SSGW_PL_EVENT_COUNT] = {
    [SSGW_PL_EVENT_BUNDLE_EXPIRED] = SSGW_LOG_ERR,
    [SSGW_PL_EVENT_BUNDLE_VALID] = SSGW_LOG_NOTICE,
    [SSGW_PL_EVENT_BUNDLE_ACCEPTED] = SSGW_LOG_NOTICE,
    [SSGW_PL_EVENT_REPLAY_EVICTION] = SSGW_LOG_WARNING,
    [SSGW_PL_EVENT_LEARN_WRITTEN] = SSGW_LOG_NOTICE,
    [SSGW_PL_EVENT_LEARN_FAILED] = SSGW_LOG_ERR,
    [SSGW_PL_EVENT_STATE_DOWN] = SSGW_LOG_ERR,
    [SSGW_PL_EVENT_STATE_UP] = SSGW_LOG_NOTICE,
    [SSGW_PL_EVENT_STATE_QUEUE_FULL] = SSGW_LOG_WARNING,
};

/* A trust lifecycle event: one JSON line in the events file and a log line. */
static void on_event(void *ctx, const ssgw_pl_event *e)
{
    ssgw_gw_pipeline *p = ctx;
    ssgw_log(event_level[e->kind], "%s: %s", ssgw_pl_event_name(e->kind),
             e->detail ? e->detail : "");
    if (!p->events) return;
    char line[1536];
    ssgw_json j;
    ssgw_json_begin(&j, line, sizeof line);
    event_head(p, &j, ssgw_pl_event_name(e->kind), e->time_ms ? e->time_ms : ssgw_time_now_ms());
    ssgw_json_bool(&j, "alert",
                   e->kind != SSGW_PL_EVENT_BUNDLE_VALID &&
                       e->kind != SSGW_PL_EVENT_BUNDLE_ACCEPTED &&
                       e->kind != SSGW_PL_EVENT_LEARN_WRITTEN);
    ssgw_json_int(&j, "bundle_sequence", (long long)e->bundle_sequence);
    ssgw_json_int(&j, "bundle_not_after", (long long)e->bundle_not_after);
    if (e->count) ssgw_json_int(&j, "count", (long long)e->count);
    if (e->detail) ssgw_json_str(&j, "detail", e->detail);
    if (ssgw_json_end(&j) < 0) return;
    pthread_mutex_lock(&p->out_lock);
    fputs(line, p->events);
    fputc('\n', p->events);
    fflush(p->events);
    pthread_mutex_unlock(&p->out_lock);
}

/* The merge report of the policy's [import] (partner data, ported numbers): a count and
 * the first lines in the log; `ssgw check-config` prints all of them. */
static void log_import_warnings(const ssgw_policy *pol, const char *path)
{
    size_t n = ssgw_policy_import_warning_count(pol);
    if (!n) return;
    ssgw_log(SSGW_LOG_WARNING,
             "%s: %zu warning%s merging [import] (ssgw check-config %s lists them)", path, n,
             n == 1 ? "" : "s", path);
    for (size_t i = 0; i < n && i < 5; i++)
        ssgw_log(SSGW_LOG_WARNING, "%s", ssgw_policy_import_warning_at(pol, i));
}

unsigned ssgw_gw_pipeline_workers(const ssgw_gw_config *cfg)
{
    if (cfg->workers || !cfg->policy[0]) return cfg->workers;
    ssgw_policy *pol = ssgw_policy_load_file(cfg->policy, NULL); /* a bad one: reported later */
    bool shared = pol && ssgw_policy_state(pol)->backend == SSGW_STATE_REDIS;
    ssgw_policy_free(pol);
    return shared ? 1 : 0;
}

ssgw_gw_pipeline *ssgw_gw_pipeline_new(const ssgw_gw_config *cfg, char *err, size_t errlen)
{
    ssgw_gw_pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&p->out_lock, NULL);
    snprintf(p->events_path, sizeof p->events_path, "%s", cfg->events);
    snprintf(p->report_path, sizeof p->report_path, "%s", cfg->report);
    atomic_init(&p->events_all, cfg->events_all);
    atomic_init(&p->n_ev, 0);
    snprintf(p->instance, sizeof p->instance, "%s", cfg->instance);
    if (gethostname(p->host, sizeof p->host) < 0 || !p->host[0])
        snprintf(p->host, sizeof p->host, "localhost");
    p->host[sizeof p->host - 1] = '\0';
    if (getrandom(&p->run_id, sizeof p->run_id, 0) != (ssize_t)sizeof p->run_id)
        p->run_id = ssgw_time_now_ms() ^ ((uint64_t)getpid() << 40);
    /* the inspection threads' lanes, and one more for Diameter on the loop's thread */
    unsigned workers = ssgw_gw_pipeline_workers(cfg);
    p->n_lanes = workers ? workers + 1 : 1;
    p->diam_lane = workers;
    p->lanes = calloc(p->n_lanes, sizeof *p->lanes);
    p->rep = ssgw_report_new(500);
    if (!p->lanes || !p->rep) {
        snprintf(err, errlen, "out of memory");
        ssgw_gw_pipeline_free(p);
        return NULL;
    }
    if (cfg->events[0]) {
        p->events = fopen(cfg->events, "a");
        if (!p->events) {
            snprintf(err, errlen, "events '%s': %s", cfg->events, strerror(errno));
            ssgw_gw_pipeline_free(p);
            return NULL;
        }
        setvbuf(p->events, NULL, _IOFBF, 1 << 16);
    }
    if (cfg->report[0]) {
        /* fail at start-up, not at shutdown, when the report cannot be written */
        FILE *f = fopen(cfg->report, "a");
        if (!f) {
            snprintf(err, errlen, "report '%s': %s", cfg->report, strerror(errno));
            ssgw_gw_pipeline_free(p);
            return NULL;
        }
        fclose(f);
    }
    ssgw_pipeline_config pc = {
        .policy = cfg->policy,
        .stages = SSGW_PL_ALL,
        .lanes = p->n_lanes,
        .keep_sequence = true,
        .on_event = on_event,
        .event_ctx = p,
        .diam_origin_host = cfg->diameter.present ? cfg->diameter.origin_host : NULL,
        .diam_origin_realm = cfg->diameter.present ? cfg->diameter.origin_realm : NULL};
    if (!(p->pl = ssgw_pipeline_new(&pc, err, errlen))) {
        ssgw_gw_pipeline_free(p);
        return NULL;
    }
    log_import_warnings(ssgw_pipeline_policy(p->pl), cfg->policy);
    /* the loop's lane (Diameter beside inspection threads) never waits for a shared store */
    if (workers) {
        ssgw_pipeline_set_lane_nowait(p->pl, p->diam_lane);
        ssgw_pipeline_state_live(p->pl); /* and other lanes' round trips never hold it back */
    }
    return p;
}

void ssgw_gw_pipeline_free(ssgw_gw_pipeline *p)
{
    if (!p) return;
    ssgw_pipeline_free(p->pl);
    if (p->events) fclose(p->events);
    ssgw_report_free(p->rep);
    free(p->lanes);
    pthread_mutex_destroy(&p->out_lock);
    free(p);
}

int ssgw_gw_pipeline_prepare(ssgw_gw_pipeline *p, const ssgw_gw_config *cfg, char *err,
                             size_t errlen)
{
    if (strcmp(cfg->events, p->events_path) || strcmp(cfg->report, p->report_path) ||
        !cfg->policy[0])
        return snprintf(err, errlen,
                        "%s: [gateway] policy cannot be removed, events and report cannot change "
                        "without a restart",
                        cfg->path),
               -1;
    p->next_events_all = cfg->events_all;
    return ssgw_pipeline_prepare(p->pl, cfg->policy, err, errlen);
}

void ssgw_gw_pipeline_commit(ssgw_gw_pipeline *p)
{
    ssgw_pipeline_commit(p->pl);
    log_import_warnings(ssgw_pipeline_policy(p->pl), "the reloaded policy");
    atomic_store(&p->events_all, p->next_events_all);
}

void ssgw_gw_pipeline_abort(ssgw_gw_pipeline *p)
{
    ssgw_pipeline_abort(p->pl);
}

/* ---- the hook --------------------------------------------------------------------- */

/* One event: the head, gateway keys (the arrival link or Diameter peer), decode keys, the
 * pipeline's result keys. */
typedef struct {
    ssgw_gw_pipeline *p;
    const char *link;
    ssgw_gw_side side;
    int stream; /* -1: none (Diameter) */
    const ssgw_pipeline_result *r;
    uint64_t wall_ms;
} event_ctx;

static void ev_head(ssgw_json *j, const void *ctx)
{
    const event_ctx *c = ctx;
    event_head(c->p, j, "message", c->wall_ms);
    ssgw_json_str(j, "link", c->link);
    ssgw_json_str(j, "side", ssgw_gw_side_name(c->side));
    if (c->stream >= 0) ssgw_json_int(j, "stream", c->stream);
}

static void ev_tail(ssgw_json *j, const void *ctx)
{
    ssgw_record_result(j, ((const event_ctx *)ctx)->r);
}

static void write_event(ssgw_gw_pipeline *p, gp_lane *ln, const char *link, ssgw_gw_side side,
                        int stream, uint64_t ms)
{
    event_ctx c = {p, link, side, stream, &ln->res, ms};
    bool fallback;
    if (ssgw_record_build(ln->rec, sizeof ln->rec, ev_head, ln->res.view, ev_tail, &c, &fallback) <
        0)
        return;
    if (fallback) __atomic_fetch_add(&ln->events_too_large, 1, __ATOMIC_RELAXED);
    pthread_mutex_lock(&p->out_lock);
    fputs(ln->rec, p->events);
    fputc('\n', p->events);
    pthread_mutex_unlock(&p->out_lock);
    __atomic_fetch_add(&ln->events_written, 1, __ATOMIC_RELAXED);
}

static const ssgw_gw_verdict to_gw[SSGW_PL_ACTION_COUNT] = {
    SSGW_GW_FORWARD, SSGW_GW_FORWARD_MODIFIED, SSGW_GW_ANSWER, SSGW_GW_DROP};

/* Runs pm through the pipeline on lane ln and turns the result into the gateway's action;
 * reports and events as configured. */
static int judge(ssgw_gw_pipeline *p, gp_lane *ln, ssgw_pipeline_msg *pm, ssgw_gw_action *act,
                 const char *link, ssgw_gw_side side, int stream)
{
    ssgw_pipeline_result *r = &ln->res;
    uint64_t ms = pm->time_ms;
    if (ssgw_pipeline_run(p->pl, pm, r) < 0) return -1;
    act->verdict = to_gw[r->action];
    act->reason = r->reason;
    act->alert = r->alert && r->action != SSGW_PL_DROP && r->action != SSGW_PL_ANSWER;
    act->out_len = r->out_len;
    if (r->has_verdict && p->report_path[0]) { /* the report is only ever written there */
        ssgw_report_msg rm = {.time_ms = ms, .res = r};
        pthread_mutex_lock(&p->out_lock);
        ssgw_report_add(p->rep, &rm);
        pthread_mutex_unlock(&p->out_lock);
    }
    bool plain = r->action == SSGW_PL_FORWARD && !r->alert && !r->trust_checked && !r->signed_msg &&
                 !r->cli_checked && !r->cli_signed;
    if (p->events && (atomic_load(&p->events_all) || !plain))
        write_event(p, ln, link, side, stream, ms);
    if (p->sink && !plain) p->sink(p->sink_ctx, link, r, ms);
    return 0;
}

static ssgw_direction direction_of(ssgw_gw_side side)
{
    return side == SSGW_GW_SIDE_OUTER ? SSGW_DIR_INBOUND : SSGW_DIR_OUTBOUND;
}

int ssgw_gw_pipeline_inspect(void *ctx, ssgw_gw_msg *m, ssgw_gw_action *act)
{
    ssgw_gw_pipeline *p = ctx;
    if (m->lane >= p->n_lanes) return -1;
    ssgw_pipeline_msg pm = {.kind = SSGW_CAPTURE_KIND_M3UA,
                            .data = m->data,
                            .len = m->len,
                            .direction = direction_of(m->from_side),
                            .time_ms = m->rx_wall_ms ? m->rx_wall_ms : ssgw_time_now_ms(),
                            .lane = m->lane,
                            .source = m->link_index + 1,
                            .out = act->out,
                            .out_cap = act->out_cap,
                            .m3ua = m->m3ua};
    return judge(p, &p->lanes[m->lane], &pm, act, m->link, m->from_side, m->stream);
}

int ssgw_gw_pipeline_inspect_diameter(void *ctx, const ssgw_gw_diam_msg *m, ssgw_gw_action *act)
{
    ssgw_gw_pipeline *p = ctx;
    ssgw_pipeline_msg pm = {.kind = SSGW_CAPTURE_KIND_DIAMETER,
                            .data = m->data,
                            .len = m->len,
                            .direction = direction_of(m->from_side),
                            .time_ms = m->rx_wall_ms ? m->rx_wall_ms : ssgw_time_now_ms(),
                            .lane = p->diam_lane,
                            .source = SSGW_GW_MAX_LINKS + m->peer_index + 1,
                            .peer_host = m->peer_host,
                            .peer_realm = m->peer_realm,
                            .out = act->out,
                            .out_cap = act->out_cap};
    return judge(p, &p->lanes[p->diam_lane], &pm, act, m->peer, m->from_side, -1);
}

void ssgw_gw_pipeline_batch_begin(void *ctx, unsigned lane, const ssgw_gw_msg *msgs, size_t n)
{
    ssgw_gw_pipeline *p = ctx;
    ssgw_pipeline_msg pm[64];
    if (n > 64) n = 64;
    uint64_t now = ssgw_time_now_ms();
    for (size_t i = 0; i < n; i++)
        pm[i] = (ssgw_pipeline_msg){.kind = SSGW_CAPTURE_KIND_M3UA,
                                    .data = msgs[i].data,
                                    .len = msgs[i].len,
                                    .direction = direction_of(msgs[i].from_side),
                                    .time_ms = now,
                                    .lane = lane,
                                    .source = msgs[i].link_index + 1};
    ssgw_pipeline_prefetch(p->pl, lane, pm, n);
}

void ssgw_gw_pipeline_batch_end(void *ctx, unsigned lane)
{
    ssgw_gw_pipeline *p = ctx;
    ssgw_pipeline_flush(p->pl, lane);
}

bool ssgw_gw_pipeline_wants_batches(const ssgw_gw_pipeline *p)
{
    return p && ssgw_pipeline_batches(p->pl);
}

/* ---- status, report, time ---------------------------------------------------------- */

void ssgw_gw_pipeline_status(void *ctx, ssgw_json *j)
{
    ssgw_gw_pipeline *p = ctx;
    uint64_t events = 0;
    for (unsigned i = 0; i < p->n_lanes; i++)
        events += __atomic_load_n(&p->lanes[i].events_written, __ATOMIC_RELAXED);
    ssgw_json_object_begin(j, "pipeline");
    ssgw_pipeline_status(p->pl, j);
    ssgw_json_int(j, "events", (long long)events);
    ssgw_json_object_end(j);
}

int ssgw_gw_pipeline_write_report(ssgw_gw_pipeline *p, char *err, size_t errlen)
{
    if (!p->report_path[0]) return 0;
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", p->report_path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "report '%s': %s", tmp, strerror(errno));
        return -1;
    }
    char title[sizeof p->instance + 16];
    snprintf(title, sizeof title, "ssgw run (%s)", p->instance);
    pthread_mutex_lock(&p->out_lock);
    int r = ssgw_report_write_html(p->rep, title, f);
    pthread_mutex_unlock(&p->out_lock);
    if (fclose(f) != 0) r = -1;
    if (r < 0 || rename(tmp, p->report_path) < 0) {
        snprintf(err, errlen, "report '%s': write failed: %s", p->report_path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

void ssgw_gw_pipeline_flush(ssgw_gw_pipeline *p)
{
    if (!p) return;
    ssgw_pipeline_tick(p->pl, ssgw_time_now_ms());
    if (!p->events) return;
    pthread_mutex_lock(&p->out_lock);
    fflush(p->events);
    pthread_mutex_unlock(&p->out_lock);
}

int ssgw_gw_pipeline_reopen_events(ssgw_gw_pipeline *p, char *err, size_t errlen)
{
    if (!p || !p->events) return 0;
    FILE *f = fopen(p->events_path, "a");
    if (!f) {
        snprintf(err, errlen, "events '%s': cannot reopen, writing on to the old file: %s",
                 p->events_path, strerror(errno));
        return -1;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 16);
    pthread_mutex_lock(&p->out_lock);
    FILE *old = p->events;
    p->events = f;
    pthread_mutex_unlock(&p->out_lock);
    fclose(old); /* flushes what was still buffered into the old file */
    return 0;
}
