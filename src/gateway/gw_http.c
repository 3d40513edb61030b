/*
 * gw_http.c - the gateway's HTTP surfaces (include/ssgw/gw_http.h): the
 * embedded server (include/ssgw/http.h) driven by the gateway's event loop,
 * the router, authentication (401 and client certificates counted per
 * surface; the credentials are gw_http_auth.c), the management API, the event
 * stream and the risk API. The metrics page is gw_metrics.c, the dashboard
 * page gw_dashboard.c, the risk query's body gw_risk_api.c.
 *
 * Threads: every handler runs on the loop's thread (MHD in external mode), so
 * it reads the gateway's counters as the status socket does. Only the event
 * feed crosses threads: inspection lanes append compact JSON records to a
 * bounded ring under ev_lock (no allocation), and the stream handlers read it
 * on the loop's thread; a 250 ms timer wakes waiting streams.
 */
#include "ssgw/gw_http.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "gateway/gw_http_int.h"
#include "ssgw/log.h"
#include "ssgw/risk.h"

#define EV_SLOTS     1024
#define EV_SLOT      1024
#define RISK_CLIENTS 256
#define STATUS_CAP   (1 << 17)

enum { SURF_METRICS, SURF_API, SURF_RISK, SURF_DASHBOARD, SURF_OTHER, SURF_COUNT };
#define SURF_AUTHENTICATED 3 /* metrics, api, risk: the surfaces that may ask for credentials */
static const char *const surface_names[SURF_COUNT] = {"metrics", "api", "risk", "dashboard",
                                                      "other"};
enum { RISK_AT_RISK, RISK_CLEAR, RISK_UNKNOWN, RISK_REFUSED, RISK_RESULT_COUNT };
static const char *const risk_result_names[RISK_RESULT_COUNT] = {"at_risk", "clear", "unknown",
                                                                 "refused"};

typedef struct {
    char name[64];
    double tokens;
    uint64_t last_ms;
    uint64_t results[RISK_RESULT_COUNT], limited;
} risk_client;

typedef struct {
    uint64_t seq;
    bool blocked;
    uint16_t len;
    char text[EV_SLOT];
} ev_slot;

struct ssgw_gw_http {
    ssgw_evloop *loop;
    ssgw_gw_http_deps deps;
    ssgw_gw_http_config cfg;
    ssgw_http *srv;
    int fd;
    long long timer;
    gw_credentials cred[GW_REALM_COUNT];
    FILE *audit;
    uint64_t requests[SURF_COUNT], unauthorized[SURF_COUNT];
    uint64_t certs[SURF_COUNT][SSGW_HTTP_CERT_RESULT_COUNT]; /* client certificates judged */
    risk_client clients[RISK_CLIENTS];
    size_t n_clients;
    pthread_mutex_t ev_lock; /* the ring: written by inspection lanes */
    ev_slot *ring;
    uint64_t next_seq; /* sequence of the next event (first is 1) */
    uint64_t woken_seq;
    uint64_t last_wake_ms;
};

static uint64_t wall_ms(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000u + (uint64_t)tv.tv_usec / 1000u;
}

/* RFC 3339 UTC with milliseconds. */
static void rfc3339(uint64_t ms, char *out, size_t cap)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    char b[32];
    strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, cap, "%s.%03uZ", b, (unsigned)(ms % 1000));
}

static ssgw_pipeline *core(const ssgw_gw_http *h)
{
    return h->deps.pipeline ? ssgw_gw_pipeline_core(h->deps.pipeline) : NULL;
}

/* ---- the event feed (inspection lanes -> ring) -------------------------------------- */

static void sink(void *ctx, const char *link, const ssgw_pipeline_result *r, uint64_t ms)
{
    ssgw_gw_http *h = ctx;
    char buf[EV_SLOT], t[40];
    ssgw_json j;
    ssgw_json_begin(&j, buf, sizeof buf);
    rfc3339(ms, t, sizeof t);
    ssgw_json_str(&j, "time", t);
    ssgw_json_str(&j, "link", link);
    ssgw_json_str(&j, "direction", ssgw_direction_name(r->direction));
    ssgw_json_str(&j, "action", ssgw_pl_action_name(r->action));
    bool blocked = r->action == SSGW_PL_DROP || r->action == SSGW_PL_ANSWER;
    ssgw_json_bool(&j, "blocked", blocked);
    ssgw_json_bool(&j, "alert", r->alert);
    if (r->reason) ssgw_json_str(&j, "check", r->reason);
    if (r->has_verdict) {
        ssgw_json_str(&j, "verdict", ssgw_action_name(r->verdict.action));
        ssgw_json_str(&j, "category", ssgw_category_name(r->verdict.category));
        if (r->verdict.reason[0]) ssgw_json_str(&j, "reason", r->verdict.reason);
        const char *op = r->verdict.opcode >= 0 && r->view
                             ? ssgw_view_op_name(r->view, r->verdict.opcode)
                             : NULL;
        if (op) ssgw_json_str(&j, "operation", op);
    }
    if (r->view && r->view->has_sccp) {
        ssgw_json_str(&j, "calling_gt", r->view->sccp.calling.digits);
        ssgw_json_str(&j, "called_gt", r->view->sccp.called.digits);
    }
    if (r->partner) ssgw_json_str(&j, "partner", r->partner);
    if (r->trust_checked) ssgw_json_str(&j, "trust", ssgw_trust_outcome_name(r->trust));
    long n;
    pthread_mutex_lock(&h->ev_lock);
    ssgw_json_int(&j, "id", (long long)h->next_seq);
    n = ssgw_json_end(&j);
    if (n > 0 && n < EV_SLOT) {
        ev_slot *s = &h->ring[h->next_seq % EV_SLOTS];
        s->seq = h->next_seq++;
        s->blocked = blocked;
        s->len = (uint16_t)n;
        memcpy(s->text, buf, (size_t)n);
    }
    pthread_mutex_unlock(&h->ev_lock);
}

/* ---- the event stream (GET /api/v1/events) ------------------------------------------ */

typedef struct {
    ssgw_gw_http *h;
    uint64_t next; /* next sequence to send */
    uint64_t last_ms;
} ev_reader;

static long stream_next(void *ctx, char *buf, size_t cap)
{
    ev_reader *rd = ctx;
    ssgw_gw_http *h = rd->h;
    long n = 0;
    pthread_mutex_lock(&h->ev_lock);
    uint64_t oldest = h->next_seq > EV_SLOTS ? h->next_seq - EV_SLOTS : 1;
    if (rd->next < oldest) rd->next = oldest; /* a slow reader misses what was overwritten */
    while (rd->next < h->next_seq) {
        const ev_slot *s = &h->ring[rd->next % EV_SLOTS];
        int w =
            snprintf(buf + n, cap - (size_t)n, "id: %" PRIu64 "\nevent: message\ndata: %.*s\n\n",
                     s->seq, (int)s->len, s->text);
        if (w < 0 || (size_t)w >= cap - (size_t)n) break;
        n += w;
        rd->next++;
    }
    pthread_mutex_unlock(&h->ev_lock);
    uint64_t now = ssgw_evloop_now_ms();
    if (n == 0 && now - rd->last_ms >= 15000) /* a comment keeps proxies and clients alive */
        n = snprintf(buf, cap, ": keep-alive\n\n");
    if (n) rd->last_ms = now;
    return n;
}

static void stream_done(void *ctx)
{
    free(ctx);
}

/* ---- answers ------------------------------------------------------------------------ */

static void json_answer(ssgw_http_req *r, unsigned status, const char *text, long n)
{
    if (n < 0) {
        ssgw_http_respond_text(r, 500, "the answer did not fit", NULL);
        return;
    }
    ssgw_http_respond(r, status, "application/json", text, (size_t)n, NULL);
}

/* {"status": N, "code": "CODE", "message": "..."}: the CAMARA error shape, used by both APIs. */
static void error_json(ssgw_http_req *r, unsigned status, const char *code, const char *message)
{
    char b[700];
    ssgw_json j;
    ssgw_json_begin(&j, b, sizeof b);
    ssgw_json_int(&j, "status", status);
    ssgw_json_str(&j, "code", code);
    ssgw_json_str(&j, "message", message);
    long n = ssgw_json_end(&j);
    ssgw_http_respond(r, status, "application/json", b, n > 0 ? (size_t)n : 0,
                      status == 401 ? "WWW-Authenticate: Bearer realm=\"ssgw\"\r\n" : NULL);
}

/* The request's client (a->who), or NULL after answering 401; both counted per surface. */
static const char *authorize(ssgw_gw_http *h, ssgw_http_req *r, gw_realm realm, int surf,
                             gw_auth *a)
{
    gw_authenticate(&h->cred[realm], realm, r, a);
    if (a->cert != SSGW_HTTP_CERT_NONE) h->certs[surf][a->cert]++;
    if (a->who) return a->who;
    h->unauthorized[surf]++;
    error_json(r, 401, "UNAUTHENTICATED", a->why);
    return NULL;
}

/* ---- the management API --------------------------------------------------------------- */

static void api_status(ssgw_gw_http *h, ssgw_http_req *r)
{
    char *b = malloc(STATUS_CAP);
    if (!b) {
        ssgw_http_respond_text(r, 500, "out of memory", NULL);
        return;
    }
    json_answer(r, 200, b, ssgw_gw_status_json(h->deps.gw, b, STATUS_CAP));
    free(b);
}

static void api_reload(ssgw_gw_http *h, ssgw_http_req *r, const gw_auth *who)
{
    char err[4096], b[4300];
    ssgw_log(SSGW_LOG_NOTICE, "reload requested through the management API by %s '%s'", who->how,
             who->who);
    if (!h->deps.reload || h->deps.reload(h->deps.ctx, err, sizeof err) < 0) {
        error_json(r, 409, "RELOAD_REFUSED", h->deps.reload ? err : "no reload available");
        return;
    }
    ssgw_json j;
    ssgw_json_begin(&j, b, sizeof b);
    ssgw_json_bool(&j, "reloaded", true);
    json_answer(r, 200, b, ssgw_json_end(&j));
}

/* POST /api/v1/{checks|partners}/NAME/{enable|disable|reset}, and for checks also
 * /{learn|test|enforce}: the check's mode (docs/checks.md "Modes"). */
static const struct {
    const char *verb;
    ssgw_fw_switch sw;
    const char *done;
} verbs[] = {
    {"enable", SSGW_FW_SWITCH_ON, "switched on"},
    {"disable", SSGW_FW_SWITCH_OFF, "switched off"},
    {"reset", SSGW_FW_SWITCH_RESET, "reset to the policy file"},
    {"learn", SSGW_FW_SWITCH_LEARN, "switched into learn mode"},
    {"test", SSGW_FW_SWITCH_TEST, "switched into test mode"},
    {"enforce", SSGW_FW_SWITCH_ENFORCE, "switched into enforce mode"},
};

static void api_switch(ssgw_gw_http *h, ssgw_http_req *r, const char *rest, const gw_auth *who)
{
    char kind[16], name[80], verb[16];
    const char *s1 = strchr(rest, '/'), *s2 = s1 ? strrchr(rest, '/') : NULL;
    if (!s1 || s2 == s1 || (size_t)(s1 - rest) >= sizeof kind ||
        (size_t)(s2 - s1 - 1) >= sizeof name || strlen(s2 + 1) >= sizeof verb) {
        error_json(r, 404, "NOT_FOUND",
                   "expected /api/v1/checks/NAME/ACTION or "
                   "/api/v1/partners/NAME/ACTION");
        return;
    }
    memcpy(kind, rest, (size_t)(s1 - rest));
    kind[s1 - rest] = '\0';
    memcpy(name, s1 + 1, (size_t)(s2 - s1 - 1));
    name[s2 - s1 - 1] = '\0';
    snprintf(verb, sizeof verb, "%s", s2 + 1);
    ssgw_pl_switch_kind k = !strcmp(kind, "checks") ? SSGW_PL_SWITCH_CHECK : SSGW_PL_SWITCH_PARTNER;
    size_t v = 0, nv = k == SSGW_PL_SWITCH_CHECK ? sizeof verbs / sizeof verbs[0] : 3;
    while (v < nv && strcmp(verb, verbs[v].verb))
        v++;
    if (v == nv) {
        error_json(r, 404, "NOT_FOUND",
                   k == SSGW_PL_SWITCH_CHECK
                       ? "the action is enable, disable, reset, learn, test or enforce"
                       : "the action is enable, disable or reset");
        return;
    }
    ssgw_fw_switch sw = verbs[v].sw;
    if (strcmp(ssgw_http_method(r), "POST")) {
        error_json(r, 405, "METHOD_NOT_ALLOWED", "use POST");
        return;
    }
    if (!core(h)) {
        error_json(r, 409, "NO_POLICY", "the gateway runs without [gateway] policy");
        return;
    }
    char err[300], b[600];
    if (ssgw_pipeline_switch(core(h), k, name, sw, err, sizeof err) < 0) {
        error_json(r, 404, "NOT_FOUND", err);
        return;
    }
    ssgw_log(SSGW_LOG_NOTICE, "%s '%s' %s through the management API by %s '%s'",
             ssgw_pl_switch_kind_name(k), name, verbs[v].done, who->how, who->who);
    ssgw_json j;
    ssgw_json_begin(&j, b, sizeof b);
    ssgw_json_str(&j, "kind", ssgw_pl_switch_kind_name(k));
    ssgw_json_str(&j, "name", name);
    ssgw_json_str(&j, "state", sw == SSGW_FW_SWITCH_RESET ? "policy" : ssgw_fw_switch_name(sw));
    json_answer(r, 200, b, ssgw_json_end(&j));
}

/* GET /api/v1/learn: what learn mode observed; POST: write the proposal now. */
static void api_learn(ssgw_gw_http *h, ssgw_http_req *r, const gw_auth *who)
{
    bool post = !strcmp(ssgw_http_method(r), "POST");
    if (!post && strcmp(ssgw_http_method(r), "GET")) {
        error_json(r, 405, "METHOD_NOT_ALLOWED", "use GET or POST");
        return;
    }
    if (!core(h)) {
        error_json(r, 409, "NO_POLICY", "the gateway runs without [gateway] policy");
        return;
    }
    char err[1200], b[2400];
    if (post) {
        if (ssgw_pipeline_learn_write(core(h), NULL, err, sizeof err) < 0) {
            error_json(r, 409, "LEARN_NOT_WRITTEN", err);
            return;
        }
        ssgw_log(SSGW_LOG_NOTICE, "learn proposal written through the management API by %s '%s'",
                 who->how, who->who);
    }
    ssgw_pl_learn_state ls;
    ssgw_pipeline_learn_state(core(h), &ls);
    ssgw_json j;
    ssgw_json_begin(&j, b, sizeof b);
    ssgw_json_bool(&j, "active", ls.active);
    ssgw_json_bool(&j, "learning", ls.learning);
    ssgw_json_int(&j, "messages", (long long)ls.messages);
    ssgw_json_int(&j, "first_ms", (long long)ls.first_ms);
    ssgw_json_int(&j, "last_ms", (long long)ls.last_ms);
    ssgw_json_int(&j, "period_s", (long long)(ls.period_ms / 1000));
    ssgw_json_int(&j, "partners", (long long)ls.partners);
    ssgw_json_str(&j, "output", ls.output);
    ssgw_json_int(&j, "writes", (long long)ls.writes);
    if (post) ssgw_json_bool(&j, "written", true);
    if (ls.last_error[0]) ssgw_json_str(&j, "error", ls.last_error);
    json_answer(r, 200, b, ssgw_json_end(&j));
}

/* The dashboard's numbers: the status plus the latest blocked messages. */
static void api_summary(ssgw_gw_http *h, ssgw_http_req *r)
{
    char *b = malloc(STATUS_CAP + EV_SLOT * 24);
    if (!b) {
        ssgw_http_respond_text(r, 500, "out of memory", NULL);
        return;
    }
    long n = ssgw_gw_status_json(h->deps.gw, b, STATUS_CAP);
    if (n <= 1) {
        free(b);
        json_answer(r, 500, "", -1);
        return;
    }
    /* {"time_ms":..., "status": {...}, "blocked": [ ... latest first ... ]} */
    char head[80];
    int hl = snprintf(head, sizeof head, "{\"time_ms\":%" PRIu64 ",\"status\":", wall_ms());
    memmove(b + hl, b, (size_t)n);
    memcpy(b, head, (size_t)hl);
    size_t len = (size_t)hl + (size_t)n;
    len += (size_t)snprintf(b + len, 16, ",\"blocked\":[");
    int found = 0;
    pthread_mutex_lock(&h->ev_lock);
    uint64_t oldest = h->next_seq > EV_SLOTS ? h->next_seq - EV_SLOTS : 1;
    for (uint64_t s = h->next_seq; s > oldest && found < 20; s--) {
        const ev_slot *e = &h->ring[(s - 1) % EV_SLOTS];
        if (!e->blocked) continue;
        if (found++) b[len++] = ',';
        memcpy(b + len, e->text, e->len);
        len += e->len;
    }
    pthread_mutex_unlock(&h->ev_lock);
    len += (size_t)snprintf(b + len, 8, "]}");
    json_answer(r, 200, b, (long)len);
    free(b);
}

static void api(ssgw_gw_http *h, ssgw_http_req *r)
{
    const char *path = ssgw_http_path(r) + strlen("/api/v1/");
    gw_auth who;
    if (!authorize(h, r, GW_REALM_API, SURF_API, &who)) return;
    bool get = !strcmp(ssgw_http_method(r), "GET");
    if (!strcmp(path, "status") && get) {
        api_status(h, r);
    } else if (!strcmp(path, "summary") && get) {
        api_summary(h, r);
    } else if (!strcmp(path, "reload")) {
        if (strcmp(ssgw_http_method(r), "POST"))
            error_json(r, 405, "METHOD_NOT_ALLOWED", "use POST");
        else
            api_reload(h, r, &who);
    } else if (!strcmp(path, "events") && get) {
        ev_reader *rd = calloc(1, sizeof *rd);
        if (!rd) {
            ssgw_http_respond_text(r, 500, "out of memory", NULL);
            return;
        }
        rd->h = h;
        rd->last_ms = ssgw_evloop_now_ms();
        pthread_mutex_lock(&h->ev_lock);
        rd->next = h->next_seq; /* from now on; Last-Event-ID resumes */
        const char *last = ssgw_http_header(r, "Last-Event-ID");
        if (last && strtoull(last, NULL, 10) + 1 < h->next_seq)
            rd->next = strtoull(last, NULL, 10) + 1;
        pthread_mutex_unlock(&h->ev_lock);
        ssgw_http_respond_stream(r, 200, "text/event-stream", stream_next, stream_done, rd);
    } else if (!strncmp(path, "checks/", 7) || !strncmp(path, "partners/", 9)) {
        api_switch(h, r, path, &who);
    } else if (!strcmp(path, "learn")) {
        api_learn(h, r, &who);
    } else {
        error_json(r, 404, "NOT_FOUND",
                   "the management API has GET status, summary, events, learn; POST reload, "
                   "learn, checks/NAME/{enable,disable,reset,learn,test,enforce}, "
                   "partners/NAME/{enable,disable,reset}");
    }
}

/* ---- the risk API ------------------------------------------------------------------- */

static risk_client *client_of(ssgw_gw_http *h, const char *name)
{
    for (size_t i = 0; i < h->n_clients; i++)
        if (!strcmp(h->clients[i].name, name)) return &h->clients[i];
    if (h->n_clients == RISK_CLIENTS) return &h->clients[RISK_CLIENTS - 1];
    risk_client *c = &h->clients[h->n_clients++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->tokens = h->cfg.risk_rate;
    c->last_ms = ssgw_evloop_now_ms();
    return c;
}

/* A token bucket per client: risk_rate per minute, burst risk_rate. */
static bool rate_ok(ssgw_gw_http *h, risk_client *c)
{
    uint64_t now = ssgw_evloop_now_ms();
    c->tokens += (double)(now - c->last_ms) * h->cfg.risk_rate / 60000.0;
    if (c->tokens > h->cfg.risk_rate) c->tokens = h->cfg.risk_rate;
    c->last_ms = now;
    if (c->tokens < 1) return false;
    c->tokens -= 1;
    return true;
}

typedef struct {
    const char *msisdn;
    uint32_t now, max_age_s;
    ssgw_risk_answer a;
    int rc;
} risk_job;

static void risk_lookup(void *ctx, ssgw_firewall *fw)
{
    risk_job *job = ctx;
    job->rc =
        ssgw_risk_lookup(ssgw_firewall_store(fw), job->msisdn, job->now, job->max_age_s, &job->a);
}

static void audit(ssgw_gw_http *h, ssgw_http_req *r, const gw_auth *who, const char *msisdn,
                  long max_age, unsigned status, const risk_job *job)
{
    char line[700], t[40];
    ssgw_json j;
    ssgw_json_begin(&j, line, sizeof line);
    rfc3339(wall_ms(), t, sizeof t);
    ssgw_json_str(&j, "time", t);
    ssgw_json_str(&j, "event", "risk_query");
    ssgw_json_str(&j, "client", who->who);
    ssgw_json_str(&j, "credential", who->how);
    ssgw_json_str(&j, "address", ssgw_http_client(r));
    if (msisdn && msisdn[0]) {
        char num[24];
        snprintf(num, sizeof num, "+%s", msisdn);
        ssgw_json_str(&j, "phoneNumber", num);
    }
    if (max_age) ssgw_json_int(&j, "maxAge", max_age);
    ssgw_json_int(&j, "status", status);
    if (job && status == 200) {
        ssgw_json_bool(&j, "atRisk", job->a.at_risk);
        if (job->a.found) ssgw_json_str(&j, "latestEventKind", ssgw_risk_kind_name(job->a.kind));
    }
    if (ssgw_json_end(&j) < 0) return;
    if (h->audit) {
        fprintf(h->audit, "%s\n", line);
        fflush(h->audit);
    } else {
        ssgw_log(SSGW_LOG_INFO, "audit %s", line);
    }
}

static void risk_api(ssgw_gw_http *h, ssgw_http_req *r)
{
    gw_auth a;
    const char *who = authorize(h, r, GW_REALM_RISK, SURF_RISK, &a);
    if (!who) return;
    risk_client *c = client_of(h, who);
    const char *path = ssgw_http_path(r);
    bool check = !strcmp(path, "/interception-risk/v0/check"),
         retrieve = !strcmp(path, "/interception-risk/v0/retrieve-date");
    if (!check && !retrieve) {
        error_json(r, 404, "NOT_FOUND",
                   "the risk API has POST /interception-risk/v0/check and "
                   "/interception-risk/v0/retrieve-date");
        return;
    }
    if (strcmp(ssgw_http_method(r), "POST")) {
        error_json(r, 405, "METHOD_NOT_ALLOWED", "use POST with a JSON body");
        return;
    }
    if (!rate_ok(h, c)) {
        c->limited++;
        audit(h, r, &a, NULL, 0, 429, NULL);
        char m[120];
        snprintf(m, sizeof m, "more than %u queries per minute from this client", h->cfg.risk_rate);
        error_json(r, 429, "TOO_MANY_REQUESTS", m);
        return;
    }
    char msisdn[24] = "", why[200];
    long max_age = 0;
    size_t blen;
    const char *body = ssgw_http_body(r, &blen);
    long def_age = h->cfg.risk_max_age_h < 240 ? (long)h->cfg.risk_max_age_h : 240;
    if (gw_risk_parse(body, blen, msisdn, sizeof msisdn, &max_age, def_age,
                      (long)h->cfg.risk_max_age_h, why, sizeof why) < 0) {
        c->results[RISK_REFUSED]++;
        audit(h, r, &a, msisdn, 0, 400, NULL);
        error_json(r, 400, "INVALID_ARGUMENT", why);
        return;
    }
    risk_job job = {.msisdn = msisdn,
                    .now = (uint32_t)(wall_ms() / 1000),
                    .max_age_s = (uint32_t)max_age * 3600u,
                    .rc = -1};
    if (core(h)) ssgw_pipeline_with_firewall(core(h), risk_lookup, &job);
    if (job.rc < 0) {
        c->results[RISK_REFUSED]++;
        audit(h, r, &a, msisdn, max_age, 503, NULL);
        error_json(r, 503, "UNAVAILABLE",
                   core(h) ? "the state store keeps no risk events"
                           : "the gateway runs without a policy");
        return;
    }
    c->results[job.a.at_risk ? RISK_AT_RISK : job.a.found ? RISK_CLEAR : RISK_UNKNOWN]++;
    audit(h, r, &a, msisdn, max_age, 200, &job);
    char b[400], t[40];
    ssgw_json j;
    ssgw_json_begin(&j, b, sizeof b);
    if (check) ssgw_json_bool(&j, "atRisk", job.a.at_risk);
    if (job.a.found && (retrieve || job.a.at_risk)) {
        rfc3339((uint64_t)job.a.time * 1000u, t, sizeof t);
        ssgw_json_str(&j, "latestEventTime", t);
        ssgw_json_str(&j, "latestEventKind", ssgw_risk_kind_name(job.a.kind));
    }
    json_answer(r, 200, b, ssgw_json_end(&j));
}

/* Client certificates are judged on some surface (metrics, api and risk are the ones that
 * can). */
static bool client_certs_on(const ssgw_gw_http *h)
{
    return h->cred[GW_REALM_API].certs || h->cred[GW_REALM_RISK].certs;
}

/* The HTTP layer's own numbers, as in the status's "http" object. */
static void http_metrics(ssgw_gw_http *h, ssgw_prom *p)
{
    ssgw_prom_family(p, "ssgw_http_requests_total", "counter", "HTTP requests by surface");
    for (int s = 0; s < SURF_COUNT; s++)
        ssgw_prom_sample_u64(p, "ssgw_http_requests_total",
                             (const char *[]){"surface", surface_names[s], NULL}, h->requests[s]);
    ssgw_prom_family(p, "ssgw_http_unauthorized_total", "counter",
                     "HTTP requests refused with 401, by surface");
    for (int s = 0; s < SURF_COUNT; s++)
        ssgw_prom_sample_u64(p, "ssgw_http_unauthorized_total",
                             (const char *[]){"surface", surface_names[s], NULL},
                             h->unauthorized[s]);
    ssgw_prom_family(p, "ssgw_http_event_streams", "gauge", "event streams open");
    ssgw_prom_sample(p, "ssgw_http_event_streams", NULL, ssgw_http_streams(h->srv));
    ssgw_prom_family(p, "ssgw_risk_queries_total", "counter",
                     "risk API queries per client and result");
    for (size_t i = 0; i < h->n_clients; i++) {
        for (int k = 0; k < RISK_RESULT_COUNT; k++)
            ssgw_prom_sample_u64(p, "ssgw_risk_queries_total",
                                 (const char *[]){"client", h->clients[i].name, "result",
                                                  risk_result_names[k], NULL},
                                 h->clients[i].results[k]);
    }
    ssgw_prom_family(p, "ssgw_risk_rate_limited_total", "counter",
                     "risk API queries refused with 429, per client");
    for (size_t i = 0; i < h->n_clients; i++)
        ssgw_prom_sample_u64(p, "ssgw_risk_rate_limited_total",
                             (const char *[]){"client", h->clients[i].name, NULL},
                             h->clients[i].limited);
    if (ssgw_http_tls(h->srv)) {
        ssgw_prom_family(p, "ssgw_http_tls_certificate_not_after_timestamp_seconds", "gauge",
                         "the earliest notAfter of the certificates of [http] tls_cert");
        ssgw_prom_sample(p, "ssgw_http_tls_certificate_not_after_timestamp_seconds", NULL,
                         (double)ssgw_http_tls_not_after(h->srv));
    }
    if (!client_certs_on(h)) return;
    for (int i = 0, n = 0; i < GW_REALM_COUNT; i++) {
        long long next = ssgw_http_certs_crl_next_update(h->cred[i].certs);
        if (next && !n++)
            ssgw_prom_family(p, "ssgw_http_client_crl_next_update_timestamp_seconds", "gauge",
                             "the earliest nextUpdate of the CRLs of an API's client certificates");
        if (next)
            ssgw_prom_sample(p, "ssgw_http_client_crl_next_update_timestamp_seconds",
                             (const char *[]){"surface", i == GW_REALM_API ? "api" : "risk", NULL},
                             (double)next);
    }
    ssgw_prom_family(p, "ssgw_http_client_certificates_total", "counter",
                     "client certificates judged, by surface and result");
    for (int s = 0; s < SURF_AUTHENTICATED; s++)
        for (int k = SSGW_HTTP_CERT_ACCEPTED; k < SSGW_HTTP_CERT_RESULT_COUNT; k++)
            ssgw_prom_sample_u64(p, "ssgw_http_client_certificates_total",
                                 (const char *[]){"surface", surface_names[s], "result",
                                                  ssgw_http_cert_result_name(k), NULL},
                                 h->certs[s][k]);
}

/* ---- the router ---------------------------------------------------------------------- */

static void route(void *ctx, ssgw_http_req *r)
{
    ssgw_gw_http *h = ctx;
    const char *path = ssgw_http_path(r), *method = ssgw_http_method(r);
    bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    if (!strcmp(path, "/metrics")) {
        h->requests[SURF_METRICS]++;
        gw_auth a;
        if (h->cfg.metrics_auth && !authorize(h, r, GW_REALM_API, SURF_METRICS, &a)) return;
        if (!get) {
            ssgw_http_respond_text(r, 405, NULL, "Allow: GET, HEAD\r\n");
            return;
        }
        ssgw_prom p;
        ssgw_prom_init(&p);
        gw_metrics_write(h->deps.gw, core(h), &p);
        http_metrics(h, &p);
        if (p.failed)
            ssgw_http_respond_text(r, 500, "out of memory", NULL);
        else
            ssgw_http_respond(r, 200, SSGW_PROM_CONTENT_TYPE, p.buf, p.len, NULL);
        ssgw_prom_free(&p);
    } else if (!strncmp(path, "/api/v1/", 8)) {
        h->requests[SURF_API]++;
        if (!gw_credentials_any(&h->cred[GW_REALM_API]))
            error_json(r, 404, "NOT_FOUND",
                       "the management API is off ([http] tokens and client_ca unset)");
        else
            api(h, r);
    } else if (!strncmp(path, "/interception-risk/", 19)) {
        h->requests[SURF_RISK]++;
        if (!gw_credentials_any(&h->cred[GW_REALM_RISK]))
            error_json(r, 404, "NOT_FOUND",
                       "the risk API is off ([http] risk_tokens and risk_client_ca unset)");
        else
            risk_api(h, r);
    } else if (!strcmp(path, "/") || !strcmp(path, "/index.html")) {
        h->requests[SURF_DASHBOARD]++;
        if (!get)
            ssgw_http_respond_text(r, 405, NULL, "Allow: GET, HEAD\r\n");
        else
            ssgw_http_respond(r, 200, "text/html; charset=utf-8", gw_dashboard_html,
                              strlen(gw_dashboard_html),
                              "Content-Security-Policy: default-src 'self'; img-src 'self' data:; "
                              "script-src 'unsafe-inline'; style-src 'unsafe-inline'\r\n"
                              "X-Content-Type-Options: nosniff\r\n");
    } else {
        h->requests[SURF_OTHER]++;
        ssgw_http_respond_text(r, 404, NULL, NULL);
    }
}

/* ---- on the loop ----------------------------------------------------------------------- */

static void on_fd(ssgw_evloop *l, int fd, unsigned ev, void *arg)
{
    (void)l, (void)fd, (void)ev;
    ssgw_http_run(((ssgw_gw_http *)arg)->srv);
}

/* Wakes streams when events arrived (and every 5 s, so that keep-alives go out and clients
 * that went away are noticed), and lets the server time out idle connections. */
static uint64_t on_timer(ssgw_evloop *l, long long id, void *arg)
{
    (void)l, (void)id;
    ssgw_gw_http *h = arg;
    pthread_mutex_lock(&h->ev_lock);
    uint64_t seq = h->next_seq;
    pthread_mutex_unlock(&h->ev_lock);
    uint64_t now = ssgw_evloop_now_ms();
    if (seq != h->woken_seq || now - h->last_wake_ms >= 5000) {
        h->woken_seq = seq;
        h->last_wake_ms = now;
        ssgw_http_wake(h->srv);
    }
    ssgw_http_run(h->srv);
    return 250;
}

ssgw_gw_http *ssgw_gw_http_new(ssgw_evloop *loop, const ssgw_gw_config *cfg,
                               const ssgw_gw_http_deps *deps, char *err, size_t errlen)
{
    err[0] = '\0';
    if (!cfg->http.enabled) return NULL;
    ssgw_gw_http *h = calloc(1, sizeof *h);
    if (!h || !(h->ring = calloc(EV_SLOTS, sizeof *h->ring))) {
        free(h);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&h->ev_lock, NULL);
    h->loop = loop;
    h->deps = *deps;
    h->cfg = cfg->http;
    h->fd = -1;
    h->next_seq = 1;
    for (int i = 0; i < GW_REALM_COUNT; i++)
        if (gw_credentials_load(&h->cred[i], i, &h->cfg, err, errlen) < 0) {
            ssgw_gw_http_free(h);
            return NULL;
        }
    if (h->cfg.risk_audit[0] && !(h->audit = fopen(h->cfg.risk_audit, "a"))) {
        snprintf(err, errlen, "[http] risk_audit '%s': %s", h->cfg.risk_audit, strerror(errno));
        ssgw_gw_http_free(h);
        return NULL;
    }
    /* the CAs the TLS server names when it asks for a client certificate */
    const char *cas[GW_REALM_COUNT + 1] = {NULL};
    for (int i = 0, k = 0; i < GW_REALM_COUNT; i++)
        if (h->cred[i].certs)
            cas[k++] = i == GW_REALM_API ? h->cfg.client_ca : h->cfg.risk_client_ca;
    ssgw_http_config hc = {.port = h->cfg.port,
                           .tls_cert = h->cfg.tls_cert[0] ? h->cfg.tls_cert : NULL,
                           .tls_key = h->cfg.tls_key[0] ? h->cfg.tls_key : NULL,
                           .client_ca = cas,
                           .max_connections = h->cfg.max_connections,
                           .max_per_ip = 16,
                           .timeout_s = h->cfg.timeout_s,
                           .max_request = 16384,
                           .own_thread = false};
    snprintf(hc.host, sizeof hc.host, "%s", h->cfg.host);
    char e[600];
    if (!(h->srv = ssgw_http_new(&hc, route, h, e, sizeof e))) {
        snprintf(err, errlen, "[http] %s", e);
        ssgw_gw_http_free(h);
        return NULL;
    }
    h->fd = ssgw_http_poll_fd(h->srv);
    if (h->fd < 0 || ssgw_evloop_add_fd(loop, h->fd, SSGW_EV_READ, on_fd, h) < 0) {
        snprintf(err, errlen, "[http] the server gave no descriptor to wait on");
        ssgw_gw_http_free(h);
        return NULL;
    }
    h->timer = ssgw_evloop_add_timer(loop, 250, on_timer, h);
    if (deps->pipeline) ssgw_gw_pipeline_set_sink(deps->pipeline, sink, h);
    char until[80] = "", t[40];
    if (ssgw_http_tls(h->srv)) {
        rfc3339((uint64_t)ssgw_http_tls_not_after(h->srv) * 1000u, t, sizeof t);
        snprintf(until, sizeof until, "; its certificate is valid until %s", t);
    }
    ssgw_log(SSGW_LOG_NOTICE, "HTTP%s on %s:%u (metrics%s%s, dashboard%s%s)",
             ssgw_http_tls(h->srv) ? "S" : "", h->cfg.host, ssgw_http_port(h->srv),
             gw_credentials_any(&h->cred[GW_REALM_API]) ? ", management API" : "",
             gw_credentials_any(&h->cred[GW_REALM_RISK]) ? ", risk API" : "",
             client_certs_on(h) ? ", client certificates" : "", until);
    return h;
}

void ssgw_gw_http_free(ssgw_gw_http *h)
{
    if (!h) return;
    if (h->deps.pipeline) ssgw_gw_pipeline_set_sink(h->deps.pipeline, NULL, NULL);
    if (h->timer > 0) ssgw_evloop_del_timer(h->loop, h->timer);
    if (h->fd >= 0) ssgw_evloop_del_fd(h->loop, h->fd);
    ssgw_http_free(h->srv);
    for (int i = 0; i < GW_REALM_COUNT; i++)
        gw_credentials_free(&h->cred[i]);
    if (h->audit) fclose(h->audit);
    pthread_mutex_destroy(&h->ev_lock);
    free(h->ring);
    free(h);
}

int ssgw_gw_http_reload(ssgw_gw_http *h, const ssgw_gw_config *cfg, char *err, size_t errlen)
{
    if (!h) {
        if (!cfg->http.enabled) return 0;
        snprintf(err, errlen, "[http] listen was added: it takes effect at the next restart");
        return -1;
    }
    const ssgw_gw_http_config *n = &cfg->http;
    int rc = 0;
    err[0] = '\0';
    if (!n->enabled || strcmp(n->host, h->cfg.host) || n->port != h->cfg.port ||
        strcmp(n->tls_cert, h->cfg.tls_cert) || strcmp(n->tls_key, h->cfg.tls_key) ||
        strcmp(n->risk_audit, h->cfg.risk_audit)) {
        snprintf(err, errlen,
                 "[http] listen, tls_cert, tls_key and risk_audit change only with a restart "
                 "(kept as they were)");
        rc = -1;
    }
    for (int i = 0; i < GW_REALM_COUNT; i++)
        if (gw_credentials_reload(&h->cred[i], i, &h->cfg, n, err, errlen) < 0) rc = -1;
    h->cfg.risk_rate = n->risk_rate;
    h->cfg.risk_max_age_h = n->risk_max_age_h;
    h->cfg.metrics_auth = n->metrics_auth;
    return rc;
}

void ssgw_gw_http_status(ssgw_gw_http *h, ssgw_json *j)
{
    if (!h) return;
    ssgw_json_object_begin(j, "http");
    char a[96];
    snprintf(a, sizeof a, "%s:%u", h->cfg.host, ssgw_http_port(h->srv));
    ssgw_json_str(j, "listen", a);
    ssgw_json_bool(j, "tls", ssgw_http_tls(h->srv));
    if (ssgw_http_tls(h->srv)) {
        char t[40];
        rfc3339((uint64_t)ssgw_http_tls_not_after(h->srv) * 1000u, t, sizeof t);
        ssgw_json_str(j, "tls_not_after", t);
    }
    const gw_credentials *api = &h->cred[GW_REALM_API], *risk = &h->cred[GW_REALM_RISK];
    ssgw_json_int(j, "api_clients", (long long)ssgw_http_tokens_count(api->tokens));
    ssgw_json_int(j, "risk_clients", (long long)ssgw_http_tokens_count(risk->tokens));
    if (client_certs_on(h)) {
        ssgw_json_int(j, "api_certificate_names", (long long)ssgw_http_certs_names(api->certs));
        ssgw_json_int(j, "risk_certificate_names", (long long)ssgw_http_certs_names(risk->certs));
        const char *what[GW_REALM_COUNT] = {"api_crl_next_update", "risk_crl_next_update"};
        for (int i = 0; i < GW_REALM_COUNT; i++) {
            long long next = ssgw_http_certs_crl_next_update(h->cred[i].certs);
            char t[40];
            if (!next) continue;
            rfc3339((uint64_t)next * 1000u, t, sizeof t);
            ssgw_json_str(j, what[i], t);
        }
    }
    ssgw_json_int(j, "event_streams", ssgw_http_streams(h->srv));
    ssgw_json_object_begin(j, "requests");
    for (int s = 0; s < SURF_COUNT; s++)
        ssgw_json_int(j, surface_names[s], (long long)h->requests[s]);
    ssgw_json_object_end(j);
    ssgw_json_object_begin(j, "unauthorized");
    for (int s = 0; s < SURF_COUNT; s++)
        ssgw_json_int(j, surface_names[s], (long long)h->unauthorized[s]);
    ssgw_json_object_end(j);
    if (client_certs_on(h)) {
        ssgw_json_object_begin(j, "client_certificates");
        for (int s = 0; s < SURF_AUTHENTICATED; s++) {
            ssgw_json_object_begin(j, surface_names[s]);
            for (int k = SSGW_HTTP_CERT_ACCEPTED; k < SSGW_HTTP_CERT_RESULT_COUNT; k++)
                ssgw_json_int(j, ssgw_http_cert_result_name(k), (long long)h->certs[s][k]);
            ssgw_json_object_end(j);
        }
        ssgw_json_object_end(j);
    }
    ssgw_json_object_begin(j, "risk_queries");
    for (size_t i = 0; i < h->n_clients; i++) {
        ssgw_json_object_begin(j, h->clients[i].name);
        for (int k = 0; k < RISK_RESULT_COUNT; k++)
            ssgw_json_int(j, risk_result_names[k], (long long)h->clients[i].results[k]);
        ssgw_json_int(j, "rate_limited", (long long)h->clients[i].limited);
        ssgw_json_object_end(j);
    }
    ssgw_json_object_end(j);
    ssgw_json_object_end(j);
}
