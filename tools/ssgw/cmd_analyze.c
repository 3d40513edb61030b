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
 * Messages are read in batches (copied out of the capture, tools/ssgw/analyze_run.c): with
 * a shared state store (--state redis://..., or [state] backend = "redis") a batch's state
 * comes in one round trip (ssgw_pipeline_prefetch), and what it taught goes to the store
 * ahead of the next batch's reads in the same round trip (ssgw_pipeline_flush at the end),
 * so successive processes over the parts of one archive, or several over different links'
 * captures, share one state.
 *
 * --threads N: a pipeline by stage (analyze_run.h): one thread runs every message in
 * capture order on one lane (the replay check, the firewall and its state, signing, the
 * report), so the verdicts are those of one thread, while the others decode the next batch
 * ahead and build the JSON records of the batches it has run. Sharding the state by
 * subscriber instead would not keep verdicts: rate buckets per calling GT or per
 * operation, dialogues and the replay cache span subscribers.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_run.h"
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
            "  -t, --threads N      N threads (1-16, default 1): one judges every message\n"
            "                       in capture order (the state, the verdicts: the same as\n"
            "                       one thread), N-1 decode the next batch ahead and write\n"
            "                       the JSON records (docs/architecture.md \"Threads\",\n"
            "                       docs/BENCHMARKS.md \"--threads by stage\")\n"
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

/*
 * Reads the label file (one JSON object per line with frame, label, attack, check) into a
 * table indexed by frame number (*out, malloc'ed, *n entries). Returns 0, or -1 with err
 * naming the file and line.
 */
static int load_labels(const char *path, analyze_label **out, size_t *n, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) return ssgw_errf(err, errlen, "%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    analyze_label *t = NULL;
    size_t nt = 0;
    int rc = 0;
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        long long frame = demo_json_int(line, "frame", -1);
        analyze_label l = {{0}, {0}, {0}};
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
            analyze_label *g = realloc(t, nn * sizeof *t);
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
            if (parse_count(optarg, &threads) < 0 || threads > 16) {
                fprintf(stderr, "ssgw analyze: --threads: '%s': expected 1 to %d\n", optarg, 16);
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
    analyze_label *labels = NULL;
    size_t n_labels = 0;
    if (labels_path && load_labels(labels_path, &labels, &n_labels, errbuf, sizeof errbuf) < 0) {
        fprintf(stderr, "ssgw analyze: --labels %s\n", errbuf);
        return 1;
    }
    ssgw_pipeline_config pc = {.policy = config,
                               .stages = SSGW_PL_ALL,
                               .lanes = (unsigned)threads,
                               .one_runner = true, /* analyze_run.h */
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
    ssgw_report *rep = ssgw_report_new((size_t)rows);
    analyze_run_config rc = {.pl = pl,
                             .rep = rep,
                             .labels = labels,
                             .n_labels = n_labels,
                             .json = json,
                             .threads = (unsigned)threads};
    analyze_run *run = rep ? analyze_run_new(&rc, errbuf, sizeof errbuf) : NULL;
    FILE *rf = NULL;
    int status = 0;
    if (report) {
        rf = fopen(report, "w");
        if (!rf) perror(report);
    }
    if (!run || (report && !rf)) {
        if (!run) fprintf(stderr, "ssgw analyze: %s\n", rep ? errbuf : "out of memory");
        status = 1;
        goto out;
    }

    ssgw_capture_msg cm;
    unsigned long long count = 0;
    uint64_t last_ms = 0;
    int r;
    while ((r = ssgw_capture_next(cap, &cm)) == 1) {
        if (analyze_run_add(run, &cm) < 0) {
            fprintf(stderr, "ssgw analyze: out of memory\n");
            status = 1;
            break;
        }
        last_ms = (uint64_t)cm.ts_sec * 1000u + cm.ts_usec / 1000u;
        if (limit && ++count >= limit) break;
    }
    analyze_run_finish(run);
    if (ssgw_pipeline_flush(pl, 0) < 0)
        ssgw_log(SSGW_LOG_WARNING, "the shared state store did not take the last writes");
    ssgw_pipeline_tick(pl, last_ms);
    if (cmd_capture_end("analyze", cap, capture, r)) status = 1;
    ssgw_firewall *fw = ssgw_pipeline_firewall(pl);
    if (!json) {
        ssgw_report_print_summary(rep, fw, stdout);
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
        if (ssgw_report_write_html(rep, capture, rf) < 0) {
            fprintf(stderr, "ssgw analyze: %s: write error\n", report);
            status = 1;
        }
    }
out:
    analyze_run_free(run);
    if (rf && fclose(rf) != 0) {
        perror(report);
        status = 1;
    }
    ssgw_report_free(rep);
    free(labels);
    ssgw_capture_close(cap);
    ssgw_pipeline_free(pl);
    return status;
}
