/*
 * cmd_analyze.c - `ssgw analyze`: every message of a capture through the
 * inspection pipeline (include/ssgw/pipeline.h), in capture order, with state:
 * the same trust verification, firewall and signing decisions the gateway
 * makes, the message's capture time standing for the clock.
 *
 * Output: JSON lines (--json; the keys of `ssgw decode` plus the result keys of
 * ssgw_record_result: direction, action, verdict, check, reason, trust ...) or a
 * readable summary (totals per verdict and per check, top calling GTs and
 * operations blocked, trust outcomes when the policy has [trust]);
 * --report writes a self-contained HTML report; with --labels (the label file
 * of `ssgw attack`) the summary and the report score the verdicts against the
 * labels: attacks caught and missed, legitimate messages blocked. With --learn (or a
 * policy with checks in learn mode) the learn proposal (include/ssgw/learn.h) is written
 * at the end of the capture. Exit status: 0 when the
 * capture was read to the end, 1 when the configuration or the capture could
 * not be read, 2 on a usage error.
 *
 * Messages are read in batches (copied out of the capture): with a shared state store
 * (--state redis://..., or [state] backend = "redis") a batch's state comes in one
 * round trip (ssgw_pipeline_prefetch), and what it taught goes to the store ahead of the
 * next batch's reads in the same round trip (ssgw_pipeline_flush at the end), so successive
 * processes over the parts of one archive, or several over different links' captures,
 * share one state.
 *
 * --threads N: the verdicts stay those of one thread because the part of the pipeline
 * that reads or writes state (the replay check and the firewall) runs in capture order
 * (msg.order: each message waits for the previous one's turn, which lasts until its verdict
 * is in the report), while decoding, signature verification and the JSON records run on N
 * lanes at once. A
 * message's lane is fixed by its routing label (OPC, DPC, SLS), as the gateway's inspection
 * threads do, so the segments of one SCCP message are reassembled by one lane. Sharding
 * the state by subscriber instead would not keep verdicts: rate buckets per calling GT or
 * per operation, dialogues and the replay cache span subscribers. The capture is read (and
 * the last batch's records written) while the lanes run a batch: two batches alternate.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "demo.h"
#include "ssgw/file.h"
#include "ssgw/log.h"
#include "ssgw/m3ua.h"
#include "ssgw/pipeline.h"
#include "ssgw/record.h"
#include "ssgw/report.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ssgw analyze --config FILE [--json] [--report FILE.html] [--monitor]\n"
            "                    [--learn OUT.conf] [--labels FILE] [--rows N] [--limit N]\n"
            "                    [--state URL] [--threads N] CAPTURE\n"
            "\n"
            "Runs every SS7 and Diameter message of a pcap/pcapng capture through the\n"
            "inspection pipeline of the live gateway: security token verification (when the\n"
            "policy has [trust]), the firewall, signing; the capture time stands for the clock.\n"
            "\n"
            "  -c, --config FILE    policy configuration (docs/configuration.md)\n"
            "  -j, --json           one JSON line per message: decode keys + direction,\n"
            "                       action, verdict, enforced, category, check, reason,\n"
            "                       answer, trust keys (docs/fields.md)\n"
            "  -r, --report FILE    write a self-contained HTML report with charts\n"
            "  -m, --monitor        monitor mode: verdicts computed, nothing blocked\n"
            "                       (every check in test mode)\n"
            "      --learn FILE     learn mode: every check observes and none decides;\n"
            "                       the proposed configuration ([rate], [[partner]]:\n"
            "                       GT prefixes, point codes, MCC-MNC, node GTs, the\n"
            "                       category 1 operations each partner sent) under which\n"
            "                       the capture passes is written to FILE at the end\n"
            "                       (docs/checks.md \"Learn mode\"). A policy with checks\n"
            "                       in learn mode writes to its [learn] output the same way\n"
            "  -l, --labels FILE    the label file of `ssgw attack` for CAPTURE: the\n"
            "                       summary and the report score the verdicts (attacks\n"
            "                       caught and missed, legitimate messages blocked)\n"
            "      --rows N         blocked messages listed in the report (default 500)\n"
            "  -n, --limit N        stop after N messages\n"
            "  -s, --state URL      keep the state in Redis: redis://host:port (rediss:// for\n"
            "                       TLS, several host:port for a cluster), shared with the\n"
            "                       gateways and the analyses that use it (instead of the\n"
            "                       policy's [state]; user, password and TLS files from it)\n"
            "  -t, --threads N      N lanes (1-16): decoding, verification and records in\n"
            "                       parallel, the state in capture order (same verdicts);\n"
            "                       on 2 cores the firewall alone runs faster with 1\n"
            "                       (the default; docs/BENCHMARKS.md, Scaling)\n"
            "  -h, --help           this text\n"
            "\n"
            "Without --json a summary is printed: totals per verdict and per check (checks\n"
            "in test and learn mode apart), top calling GTs and operations blocked, trust\n"
            "outcomes.\n");
}

static int parse_count(const char *s, unsigned long long *out)
{
    char *end;
    *out = strtoull(s, &end, 10);
    return (*end || !*out) ? -1 : 0;
}

/* The label `ssgw attack` wrote for one frame. */
typedef struct {
    char label[8], attack[48], check[48];
} frame_label;

/*
 * Reads the label file (one JSON object per line with frame, label, attack, check) into a
 * table indexed by frame number (*out, malloc'ed, *n entries). Returns 0, or -1 with err
 * naming the file and line.
 */
static int load_labels(const char *path, frame_label **out, size_t *n, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) return ssgw_errf(err, errlen, "%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    frame_label *t = NULL;
    size_t nt = 0;
    int rc = 0;
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        long long frame = demo_json_int(line, "frame", -1);
        frame_label l = {{0}, {0}, {0}};
        if (frame < 1 || frame > 100000000 ||
            !demo_json_str(line, "label", l.label, sizeof l.label) ||
            (strcmp(l.label, "legit") && strcmp(l.label, "attack"))) {
            rc = ssgw_errf(err, errlen,
                           "%s:%zu: not a label line of ssgw attack (expected {\"frame\":N, "
                           "\"label\":\"legit\"|\"attack\", ...})",
                           path, lineno);
            break;
        }
        demo_json_str(line, "attack", l.attack, sizeof l.attack);
        demo_json_str(line, "check", l.check, sizeof l.check);
        if ((size_t)frame > nt) {
            size_t nn = nt ? nt : 1024;
            while (nn < (size_t)frame)
                nn *= 2;
            frame_label *g = realloc(t, nn * sizeof *t);
            if (!g) {
                rc = ssgw_errf(err, errlen, "%s: out of memory", path);
                break;
            }
            memset(g + nt, 0, (nn - nt) * sizeof *g);
            t = g;
            nt = nn;
        }
        t[frame - 1] = l;
    }
    free(line);
    fclose(f);
    if (rc == 0 && !lineno) rc = ssgw_errf(err, errlen, "%s: no labels", path);
    if (rc < 0) {
        free(t);
        return -1;
    }
    *out = t;
    *n = nt;
    return 0;
}

/* The record of one message: frame keys, decode keys, the pipeline's result keys. */
typedef struct {
    const ssgw_capture_msg *cm;
    const ssgw_pipeline_result *r;
} record_ctx;

static void rec_frame(ssgw_json *j, const void *ctx)
{
    ssgw_record_capture_head(j, ((const record_ctx *)ctx)->cm);
}

static void rec_result(ssgw_json *j, const void *ctx)
{
    ssgw_record_result(j, ((const record_ctx *)ctx)->r);
}

/* Trust lifecycle events (an expired bundle, replay-cache evictions) and the shared state
 * store's (down, up, queue full) are logged. */
static void on_event(void *ctx, const ssgw_pl_event *e)
{
    (void)ctx;
    ssgw_log(e->kind == SSGW_PL_EVENT_STATE_UP ? SSGW_LOG_NOTICE : SSGW_LOG_WARNING, "%s: %s",
             ssgw_pl_event_name(e->kind), e->detail ? e->detail : "");
}

/* The checks not in enforce mode: what they would have said. */
static void print_modes_summary(ssgw_firewall *fw, FILE *out)
{
    bool head = false;
    for (size_t i = 0; i < ssgw_check_count(); i++) {
        ssgw_fw_check_stats cs;
        ssgw_firewall_check_stats(fw, i, &cs);
        if (cs.mode == SSGW_CHECK_ENFORCE || cs.mode == SSGW_CHECK_OFF) continue;
        if (!head)
            fprintf(out, "\nchecks not enforced (test: verdicts reported, not applied; learn: "
                         "objections counted):\n");
        head = true;
        fprintf(out, "  %-26s %-6s %10" PRIu64 "\n", ssgw_check_at(i)->name,
                ssgw_check_mode_name(cs.mode), cs.mode == SSGW_CHECK_TEST ? cs.tested : cs.learned);
    }
}

static void print_trust_summary(ssgw_pipeline *p, FILE *out)
{
    ssgw_pipeline_stats st;
    ssgw_pl_trust_state ts;
    ssgw_pipeline_trust_state(p, &ts);
    if (!ts.present) return;
    ssgw_pipeline_get_stats(p, &st);
    fprintf(out, "\ntrust (bundle %" PRIu64 ", %zu members%s):\n", ts.sequence, ts.members,
            ts.expired ? ", EXPIRED" : "");
    for (int o = 0; o < SSGW_TRUST_OUTCOME_COUNT; o++)
        if (st.trust_outcomes[o])
            fprintf(out, "  %-18s %" PRIu64 "\n", ssgw_trust_outcome_name(o), st.trust_outcomes[o]);
    fprintf(out,
            "  actions: allow %" PRIu64 ", alert %" PRIu64 ", drop %" PRIu64 "; stripped %" PRIu64
            ", signed %" PRIu64 "\n",
            st.trust_actions[SSGW_TRUST_ACTION_ALLOW], st.trust_actions[SSGW_TRUST_ACTION_ALERT],
            st.trust_actions[SSGW_TRUST_ACTION_DROP], st.stripped, st.signed_msgs);
}

/* The shared state store's part, when there is one. */
static void print_state_summary(ssgw_pipeline *p, FILE *out)
{
    ssgw_store_health h;
    ssgw_pipeline_state_health(p, &h);
    if (!strcmp(h.backend, "embedded")) return;
    fprintf(out,
            "\nstate (%s, %s, %zu nodes): %" PRIu64 " round trips, %" PRIu64
            " records prefetched, %" PRIu64 " read synchronously, %" PRIu64
            " replay checks, %" PRIu64 " writes; %" PRIu64 " down/up transitions, %" PRIu64
            " operations answered locally\n",
            h.backend, ssgw_store_status_name(h.status), h.nodes, h.round_trips, h.prefetched,
            h.sync_reads, h.replay_checks, h.writes_sent, h.transitions, h.local_ops);
}

/* ---- batches and lanes --------------------------------------------------------------- */

#define BATCH    256
#define REC_CAP  16384
#define LANE_MAX 16

/* One message of a batch: the capture record with its bytes copied, its lane, its output. */
typedef struct {
    ssgw_capture_msg cm;
    size_t data_off;
    unsigned lane;
    uint64_t order;
    char rec[REC_CAP];
    long rec_len; /* its JSON record's length, -1 for none */
} slot;

/* A batch of messages: their records, with the bytes copied into an arena. */
typedef struct {
    slot *slots;
    size_t n;
    uint8_t *arena;
    size_t arena_len, arena_cap;
} batch;

typedef struct analysis analysis;

typedef struct {
    analysis *a;
    unsigned index;
    pthread_t thread;
    size_t idx[BATCH]; /* this lane's messages of the batch, in capture order */
    size_t n;
    ssgw_pipeline_result res;
    ssgw_pipeline_msg msgs[BATCH];
} lane_ctx;

struct analysis {
    ssgw_pipeline *pl;
    ssgw_report *rep;
    const frame_label *labels; /* --labels, indexed by frame - 1 */
    size_t n_labels;
    bool json;
    unsigned lanes;
    /* with lanes (threads) the next batch is read while they run one: fill is being read,
     * run is the lanes' (running: not finished yet) */
    batch batches[2];
    batch *fill, *run;
    bool running;
    uint64_t next_order;
    lane_ctx lane[LANE_MAX];
    /* the batch barrier (threads) */
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    uint64_t round;
    unsigned finished;
    bool stop;
};

/* The lane of a message: its MTP3 routing label, as the gateway's inspection threads. */
static unsigned lane_of(const ssgw_capture_msg *cm, unsigned lanes)
{
    if (lanes < 2 || cm->is_error || cm->kind != SSGW_CAPTURE_KIND_M3UA) return 0;
    ssgw_m3ua_msg m;
    ssgw_error e;
    if (ssgw_m3ua_decode(cm->data, cm->len, &m, &e) < 0) return 0;
    const ssgw_m3ua_protocol_data *pd = &m.protocol_data;
    uint32_t h = pd->opc * 0x9e3779b1u ^ pd->dpc * 0x85ebca6bu ^ (uint32_t)pd->sls * 0xc2b2ae35u;
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 12;
    return h % lanes;
}

/* Copies a capture record into the batch; -1 when memory ran out. */
static int batch_add(analysis *a, const ssgw_capture_msg *cm)
{
    batch *b = a->fill;
    if (b->arena_len + cm->len > b->arena_cap) {
        size_t nc = b->arena_cap ? b->arena_cap * 2 : 1u << 20;
        while (nc < b->arena_len + cm->len)
            nc *= 2;
        uint8_t *na = realloc(b->arena, nc);
        if (!na) return -1;
        b->arena = na;
        b->arena_cap = nc;
    }
    slot *sl = &b->slots[b->n++];
    sl->cm = *cm;
    sl->data_off = b->arena_len;
    if (cm->data && cm->len) memcpy(b->arena + b->arena_len, cm->data, cm->len);
    b->arena_len += cm->len;
    sl->lane = lane_of(cm, a->lanes);
    sl->order = a->lanes > 1 ? ++a->next_order : 0;
    sl->rec_len = -1;
    return 0;
}

/* Runs one lane's messages of the batch (on its thread, or the caller's). */
static void run_lane(analysis *a, lane_ctx *lc)
{
    batch *b = a->run;
    for (size_t k = 0; k < lc->n; k++) {
        slot *sl = &b->slots[lc->idx[k]];
        sl->cm.data = sl->cm.data ? b->arena + sl->data_off : NULL;
        lc->msgs[k] =
            (ssgw_pipeline_msg){.capture = &sl->cm,
                                .direction = SSGW_DIR_UNKNOWN,
                                .time_ms = (uint64_t)sl->cm.ts_sec * 1000u + sl->cm.ts_usec / 1000u,
                                .lane = lc->index,
                                .order = sl->order};
    }
    if (ssgw_pipeline_batches(a->pl)) ssgw_pipeline_prefetch(a->pl, lc->index, lc->msgs, lc->n);
    for (size_t k = 0; k < lc->n; k++) {
        slot *sl = &b->slots[lc->idx[k]];
        ssgw_pipeline_result *res = &lc->res;
        ssgw_pipeline_run(a->pl, &lc->msgs[k], res);
        /* in order: the report (its rows are the first blocked messages) */
        ssgw_report_msg rm = {.time_ms = lc->msgs[k].time_ms, .frame = sl->cm.frame, .res = res};
        const frame_label *l =
            sl->cm.frame >= 1 && sl->cm.frame <= a->n_labels ? &a->labels[sl->cm.frame - 1] : NULL;
        if (l && l->label[0]) {
            rm.label = l->label;
            rm.attack = l->attack;
            rm.expect = l->check;
        }
        ssgw_report_add(a->rep, &rm);
        if (sl->order) ssgw_pipeline_order_done(a->pl, sl->order);
        if (a->json) {
            record_ctx rc = {&sl->cm, res};
            sl->rec_len = ssgw_record_build(sl->rec, sizeof sl->rec, rec_frame, res->view,
                                            rec_result, &rc, NULL);
        }
    }
    /* no flush per batch: the next batch's prefetch sends what this one taught ahead of its
     * reads, in the same round trip (nothing is released here before the end) */
}

static void *lane_main(void *arg)
{
    lane_ctx *lc = arg;
    analysis *a = lc->a;
    uint64_t seen = 0;
    pthread_mutex_lock(&a->mu);
    for (;;) {
        while (!a->stop && a->round == seen)
            pthread_cond_wait(&a->go, &a->mu);
        if (a->stop) break;
        seen = a->round;
        pthread_mutex_unlock(&a->mu);
        run_lane(a, lc);
        pthread_mutex_lock(&a->mu);
        if (++a->finished == a->lanes) pthread_cond_signal(&a->done);
    }
    pthread_mutex_unlock(&a->mu);
    return NULL;
}

/* Hands the batch just read to the lanes: with lane threads it runs while the caller reads
 * the next one (finish_batch waits for it); with one lane it runs here. */
static void start_batch(analysis *a)
{
    batch *b = a->fill;
    for (unsigned l = 0; l < a->lanes; l++)
        a->lane[l].n = 0;
    for (size_t i = 0; i < b->n; i++) {
        lane_ctx *lc = &a->lane[b->slots[i].lane];
        lc->idx[lc->n++] = i;
    }
    a->run = b;
    a->fill = b == &a->batches[0] ? &a->batches[1] : &a->batches[0];
    a->running = true;
    if (a->lanes == 1) {
        run_lane(a, &a->lane[0]);
        return;
    }
    pthread_mutex_lock(&a->mu);
    a->finished = 0;
    a->round++;
    pthread_cond_broadcast(&a->go);
    pthread_mutex_unlock(&a->mu);
}

/* Waits until the lanes have run their batch, then writes its records in capture order. */
static void finish_batch(analysis *a)
{
    if (!a->running) return;
    if (a->lanes > 1) {
        pthread_mutex_lock(&a->mu);
        while (a->finished < a->lanes)
            pthread_cond_wait(&a->done, &a->mu);
        pthread_mutex_unlock(&a->mu);
    }
    batch *b = a->run;
    if (a->json)
        for (size_t i = 0; i < b->n; i++)
            if (b->slots[i].rec_len >= 0) { /* its length is known: not puts() */
                slot *sl = &b->slots[i];
                sl->rec[sl->rec_len] = '\n';
                fwrite(sl->rec, 1, (size_t)sl->rec_len + 1, stdout);
            }
    b->n = 0;
    b->arena_len = 0;
    a->running = false;
}

static void stop_lanes(analysis *a, unsigned started)
{
    pthread_mutex_lock(&a->mu);
    a->stop = true;
    pthread_cond_broadcast(&a->go);
    pthread_mutex_unlock(&a->mu);
    for (unsigned l = 0; l < started; l++)
        pthread_join(a->lane[l].thread, NULL);
}

int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
        {"report", required_argument, NULL, 'r'}, {"monitor", no_argument, NULL, 'm'},
        {"rows", required_argument, NULL, 'R'},   {"limit", required_argument, NULL, 'n'},
        {"labels", required_argument, NULL, 'l'}, {"learn", required_argument, NULL, 'L'},
        {"state", required_argument, NULL, 's'},  {"threads", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *config = NULL, *report = NULL, *labels_path = NULL, *state = NULL;
    const char *learn = NULL;
    bool json = false, monitor = false;
    unsigned long long limit = 0, rows = 500, threads = 1;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:jr:ml:n:s:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            config = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'r':
            report = optarg;
            break;
        case 'm':
            monitor = true;
            break;
        case 'l':
            labels_path = optarg;
            break;
        case 'L':
            learn = optarg;
            break;
        case 's':
            state = optarg;
            break;
        case 't':
            if (parse_count(optarg, &threads) < 0 || threads > LANE_MAX) {
                fprintf(stderr, "ssgw analyze: --threads: '%s': expected 1 to %d\n", optarg,
                        LANE_MAX);
                return 2;
            }
            break;
        case 'R':
        case 'n':
            if (parse_count(optarg, c == 'n' ? &limit : &rows) < 0) {
                fprintf(stderr, "ssgw analyze: --%s: '%s' is not a positive number\n",
                        c == 'n' ? "limit" : "rows", optarg);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!config || optind != argc - 1) {
        if (!config) fprintf(stderr, "ssgw analyze: --config FILE is required\n");
        usage(stderr);
        return 2;
    }
    const char *capture = argv[optind];
    char errbuf[4096];
    frame_label *labels = NULL;
    size_t n_labels = 0;
    if (labels_path && load_labels(labels_path, &labels, &n_labels, errbuf, sizeof errbuf) < 0) {
        fprintf(stderr, "ssgw analyze: --labels %s\n", errbuf);
        return 1;
    }
    ssgw_pipeline_config pc = {.policy = config,
                               .stages = SSGW_PL_ALL,
                               .lanes = (unsigned)threads,
                               .force_monitor = monitor,
                               .force_learn = learn != NULL,
                               .learn_output = learn,
                               .on_event = on_event,
                               .state_url = state,
                               .state_required = true};
    ssgw_pipeline *pl = ssgw_pipeline_new(&pc, errbuf, sizeof errbuf);
    if (!pl) {
        fprintf(stderr, "%s\n", errbuf);
        free(labels);
        return 1;
    }
    size_t nw = ssgw_policy_import_warning_count(ssgw_pipeline_policy(pl));
    if (nw)
        fprintf(stderr,
                "ssgw analyze: %s: %zu warning%s merging [import] (`ssgw check-config %s` lists "
                "them), the first: %s\n",
                config, nw, nw == 1 ? "" : "s", config,
                ssgw_policy_import_warning_at(ssgw_pipeline_policy(pl), 0));
    ssgw_capture *cap = ssgw_capture_open(capture, NULL, errbuf, sizeof errbuf);
    if (!cap) {
        fprintf(stderr, "ssgw analyze: %s\n", errbuf);
        ssgw_pipeline_free(pl);
        free(labels);
        return 1;
    }
    static analysis a;
    memset(&a, 0, sizeof a);
    a.pl = pl;
    a.labels = labels;
    a.n_labels = n_labels;
    a.json = json;
    a.lanes = (unsigned)threads;
    a.rep = ssgw_report_new((size_t)rows);
    for (int i = 0; i < 2; i++)
        a.batches[i].slots = malloc(BATCH * sizeof *a.batches[i].slots);
    a.fill = &a.batches[0];
    pthread_mutex_init(&a.mu, NULL);
    pthread_cond_init(&a.go, NULL);
    pthread_cond_init(&a.done, NULL);
    unsigned started = 0;
    FILE *rf = NULL;
    int status = 0;
    if (report) {
        rf = fopen(report, "w");
        if (!rf) perror(report);
    }
    bool mem = a.rep && a.batches[0].slots && a.batches[1].slots;
    if (!mem || (report && !rf)) {
        if (!mem) fprintf(stderr, "ssgw analyze: out of memory\n");
        status = 1;
        goto out;
    }
    for (unsigned l = 0; l < a.lanes; l++) {
        a.lane[l].a = &a;
        a.lane[l].index = l;
        if (a.lanes > 1) {
            if (pthread_create(&a.lane[l].thread, NULL, lane_main, &a.lane[l]) != 0) {
                fprintf(stderr, "ssgw analyze: cannot start lane thread %u\n", l);
                status = 1;
                goto out;
            }
            started++;
        }
    }

    ssgw_capture_msg cm;
    unsigned long long count = 0;
    uint64_t last_ms = 0;
    int r;
    while ((r = ssgw_capture_next(cap, &cm)) == 1) {
        if (batch_add(&a, &cm) < 0) {
            fprintf(stderr, "ssgw analyze: out of memory\n");
            status = 1;
            break;
        }
        last_ms = (uint64_t)cm.ts_sec * 1000u + cm.ts_usec / 1000u;
        bool last = limit && ++count >= limit;
        if (a.fill->n == BATCH || last) {
            finish_batch(&a);
            start_batch(&a);
        }
        if (last) break;
    }
    if (a.fill->n) {
        finish_batch(&a);
        start_batch(&a);
    }
    finish_batch(&a);
    if (ssgw_pipeline_flush(pl, 0) < 0)
        ssgw_log(SSGW_LOG_WARNING, "the shared state store did not take the last writes");
    ssgw_pipeline_tick(pl, last_ms);
    if (cmd_capture_end("analyze", cap, capture, r)) status = 1;
    ssgw_firewall *fw = ssgw_pipeline_firewall(pl);
    if (!json) {
        ssgw_report_print_summary(a.rep, fw, stdout);
        print_modes_summary(fw, stdout);
        print_trust_summary(pl, stdout);
        print_state_summary(pl, stdout);
    }
    ssgw_pl_learn_state ls;
    ssgw_pipeline_learn_state(pl, &ls);
    if (ls.active) {
        if (ssgw_pipeline_learn_write(pl, NULL, errbuf, sizeof errbuf) < 0) {
            fprintf(stderr, "ssgw analyze: learn: %s\n", errbuf);
            status = 1;
        } else {
            ssgw_pipeline_learn_state(pl, &ls);
            fprintf(json ? stderr : stdout,
                    "%slearn: %" PRIu64 " messages observed, %zu partners proposed: %s\n",
                    json ? "" : "\n", ls.messages, ls.partners, ls.output);
        }
    }
    if (rf) {
        if (ssgw_report_write_html(a.rep, capture, rf) < 0) {
            fprintf(stderr, "ssgw analyze: %s: write error\n", report);
            status = 1;
        }
    }
out:
    stop_lanes(&a, started);
    if (rf && fclose(rf) != 0) {
        perror(report);
        status = 1;
    }
    ssgw_report_free(a.rep);
    for (int i = 0; i < 2; i++) {
        free(a.batches[i].slots);
        free(a.batches[i].arena);
    }
    free(labels);
    ssgw_capture_close(cap);
    ssgw_pipeline_free(pl);
    pthread_mutex_destroy(&a.mu);
    pthread_cond_destroy(&a.go);
    pthread_cond_destroy(&a.done);
    return status;
}
