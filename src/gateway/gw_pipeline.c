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
 * round trip and stores what it taught before the messages go on. The events file and the report
 * are shared behind one mutex; the event record is built outside it.
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
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ssgw/pipeline.h"
#include "ssgw/record.h"
#include "ssgw/report.h"

#define REC_CAP   20000
#define LANES_MAX 16

/* Per-lane scratch and counters (one writer: the lane's thread). */
typedef struct {
    ssgw_pipeline_result res;
    char rec[REC_CAP];
    uint64_t events_written, events_too_large;
} gp_lane;

struct ssgw_gw_pipeline {
    char events_path[512], report_path[512];
    atomic_bool events_all;
    bool next_events_all;
    ssgw_pipeline *pl;
    unsigned n_lanes;
    gp_lane *lanes;
    FILE *events;
    ssgw_report *rep;
    pthread_mutex_t out_lock; /* the events file and the report */
};

static uint64_t wall_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000u + (uint64_t)tv.tv_usec / 1000u;
}

static void time_key(ssgw_json *j, uint64_t ms)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%" PRIu64 ".%03u", ms / 1000, (unsigned)(ms % 1000));
    ssgw_json_str(j, "time", tmp);
}

/* A trust lifecycle event: one JSON line in the events file and a log line. */
static void on_event(void *ctx, const ssgw_pl_event *e)
{
    ssgw_gw_pipeline *p = ctx;
    fprintf(stderr, "ssgw run: %s: %s\n", ssgw_pl_event_name(e->kind), e->detail ? e->detail : "");
    if (!p->events) return;
    char line[1024];
    ssgw_json j;
    ssgw_json_begin(&j, line, sizeof line);
    time_key(&j, e->time_ms ? e->time_ms : wall_ms());
    ssgw_json_str(&j, "event", ssgw_pl_event_name(e->kind));
    ssgw_json_bool(&j, "alert",
                   e->kind != SSGW_PL_EVENT_BUNDLE_VALID &&
                       e->kind != SSGW_PL_EVENT_BUNDLE_ACCEPTED);
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
    p->n_lanes = cfg->workers ? cfg->workers : 1;
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
    ssgw_pipeline_config pc = {.policy = cfg->policy,
                               .stages = SSGW_PL_ALL,
                               .lanes = p->n_lanes,
                               .keep_sequence = true,
                               .on_event = on_event,
                               .event_ctx = p};
    if (!(p->pl = ssgw_pipeline_new(&pc, err, errlen))) {
        ssgw_gw_pipeline_free(p);
        return NULL;
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
    atomic_store(&p->events_all, p->next_events_all);
}

void ssgw_gw_pipeline_abort(ssgw_gw_pipeline *p)
{
    ssgw_pipeline_abort(p->pl);
}

/* ---- the hook --------------------------------------------------------------------- */

/* One event: gateway keys, decode keys, the pipeline's result keys. */
typedef struct {
    const ssgw_gw_msg *m;
    const ssgw_pipeline_result *r;
    uint64_t wall_ms;
} event_ctx;

static void ev_head(ssgw_json *j, const void *ctx)
{
    const event_ctx *c = ctx;
    time_key(j, c->wall_ms);
    ssgw_json_str(j, "link", c->m->link);
    ssgw_json_str(j, "side", ssgw_gw_side_name(c->m->from_side));
    ssgw_json_int(j, "stream", c->m->stream);
}

static void ev_tail(ssgw_json *j, const void *ctx)
{
    ssgw_record_result(j, ((const event_ctx *)ctx)->r);
}

static void write_event(ssgw_gw_pipeline *p, gp_lane *ln, const ssgw_gw_msg *m, uint64_t ms)
{
    event_ctx c = {m, &ln->res, ms};
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

int ssgw_gw_pipeline_inspect(void *ctx, ssgw_gw_msg *m, ssgw_gw_action *act)
{
    ssgw_gw_pipeline *p = ctx;
    if (m->lane >= p->n_lanes) return -1;
    gp_lane *ln = &p->lanes[m->lane];
    ssgw_pipeline_result *r = &ln->res;
    uint64_t ms = wall_ms();
    ssgw_pipeline_msg pm = {.kind = SSGW_CAPTURE_KIND_M3UA,
                            .data = m->data,
                            .len = m->len,
                            .direction = m->from_side == SSGW_GW_SIDE_OUTER ? SSGW_DIR_INBOUND
                                                                            : SSGW_DIR_OUTBOUND,
                            .time_ms = ms,
                            .lane = m->lane,
                            .out = act->out,
                            .out_cap = act->out_cap};
    if (ssgw_pipeline_run(p->pl, &pm, r) < 0) return -1;
    act->verdict = to_gw[r->action];
    act->reason = r->reason;
    act->alert = r->alert && r->action != SSGW_PL_DROP && r->action != SSGW_PL_ANSWER;
    act->out_len = r->out_len;
    if (r->has_verdict) {
        pthread_mutex_lock(&p->out_lock);
        ssgw_report_add(p->rep, NULL, r->view, &r->verdict);
        pthread_mutex_unlock(&p->out_lock);
    }
    bool plain = r->action == SSGW_PL_FORWARD && !r->alert && !r->trust_checked && !r->signed_msg;
    if (p->events && (atomic_load(&p->events_all) || !plain)) write_event(p, ln, m, ms);
    return 0;
}

void ssgw_gw_pipeline_batch_begin(void *ctx, unsigned lane, const ssgw_gw_msg *msgs, size_t n)
{
    ssgw_gw_pipeline *p = ctx;
    ssgw_pipeline_msg pm[64];
    if (n > 64) n = 64;
    for (size_t i = 0; i < n; i++)
        pm[i] = (ssgw_pipeline_msg){.kind = SSGW_CAPTURE_KIND_M3UA,
                                    .data = msgs[i].data,
                                    .len = msgs[i].len,
                                    .direction = msgs[i].from_side == SSGW_GW_SIDE_OUTER
                                                     ? SSGW_DIR_INBOUND
                                                     : SSGW_DIR_OUTBOUND,
                                    .time_ms = wall_ms(),
                                    .lane = lane};
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

typedef struct {
    ssgw_gw_pipeline *p;
    FILE *f;
    int rc;
} report_job;

static void write_html(void *ctx, ssgw_firewall *fw)
{
    report_job *job = ctx;
    pthread_mutex_lock(&job->p->out_lock);
    job->rc = ssgw_report_write_html(job->p->rep, fw, "ssgw run", job->f);
    pthread_mutex_unlock(&job->p->out_lock);
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
    report_job job = {p, f, -1};
    ssgw_pipeline_with_firewall(p->pl, write_html, &job);
    int r = job.rc;
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
    ssgw_pipeline_tick(p->pl, wall_ms());
    if (!p->events) return;
    pthread_mutex_lock(&p->out_lock);
    fflush(p->events);
    pthread_mutex_unlock(&p->out_lock);
}
