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
 * labels: attacks caught and missed, legitimate messages blocked. Exit status: 0 when the
 * capture was read to the end, 1 when the configuration or the capture could
 * not be read, 2 on a usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "demo.h"
#include "ssgw/file.h"
#include "ssgw/log.h"
#include "ssgw/pipeline.h"
#include "ssgw/record.h"
#include "ssgw/report.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: ssgw analyze --config FILE [--json] [--report FILE.html] [--monitor]\n"
                 "                    [--labels FILE] [--rows N] [--limit N] CAPTURE\n"
                 "\n"
                 "Runs every SS7 message of a pcap/pcapng capture through the inspection\n"
                 "pipeline of the live gateway: security token verification (when the policy\n"
                 "has [trust]), the firewall, signing; the capture time stands for the clock.\n"
                 "\n"
                 "  -c, --config FILE    policy configuration (docs/configuration.md)\n"
                 "  -j, --json           one JSON line per message: decode keys + direction,\n"
                 "                       action, verdict, enforced, category, check, reason,\n"
                 "                       answer, trust keys (docs/fields.md)\n"
                 "  -r, --report FILE    write a self-contained HTML report with charts\n"
                 "  -m, --monitor        monitor mode: verdicts computed, nothing blocked\n"
                 "  -l, --labels FILE    the label file of `ssgw attack` for CAPTURE: the\n"
                 "                       summary and the report score the verdicts (attacks\n"
                 "                       caught and missed, legitimate messages blocked)\n"
                 "      --rows N         blocked messages listed in the report (default 500)\n"
                 "  -n, --limit N        stop after N messages\n"
                 "  -h, --help           this text\n"
                 "\n"
                 "Without --json a summary is printed: totals per verdict and per check, top\n"
                 "calling GTs and operations blocked, trust outcomes.\n");
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

/* Trust lifecycle events (an expired bundle, replay-cache evictions) are logged. */
static void on_event(void *ctx, const ssgw_pl_event *e)
{
    (void)ctx;
    ssgw_log(SSGW_LOG_WARNING, "%s: %s", ssgw_pl_event_name(e->kind), e->detail ? e->detail : "");
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

int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"report", required_argument, NULL, 'r'},
                                         {"monitor", no_argument, NULL, 'm'},
                                         {"rows", required_argument, NULL, 'R'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {"labels", required_argument, NULL, 'l'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *config = NULL, *report = NULL, *labels_path = NULL;
    bool json = false, monitor = false;
    unsigned long long limit = 0, rows = 500;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:jr:ml:n:h", opts, NULL)) != -1) {
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
    ssgw_pipeline_config pc = {
        .policy = config, .stages = SSGW_PL_ALL, .force_monitor = monitor, .on_event = on_event};
    ssgw_pipeline *pl = ssgw_pipeline_new(&pc, errbuf, sizeof errbuf);
    if (!pl) {
        fprintf(stderr, "%s\n", errbuf);
        free(labels);
        return 1;
    }
    ssgw_capture *cap = ssgw_capture_open(capture, NULL, errbuf, sizeof errbuf);
    if (!cap) {
        fprintf(stderr, "ssgw analyze: %s\n", errbuf);
        ssgw_pipeline_free(pl);
        free(labels);
        return 1;
    }
    ssgw_report *rep = ssgw_report_new((size_t)rows);
    FILE *rf = NULL;
    if (report) {
        rf = fopen(report, "w");
        if (!rf) perror(report);
    }
    int status = 0;
    if (!rep || (report && !rf)) {
        if (!rep) fprintf(stderr, "ssgw analyze: out of memory\n");
        status = 1;
        goto out;
    }

    static ssgw_pipeline_result res;
    static char rec[16384];
    ssgw_capture_msg cm;
    unsigned long long count = 0;
    uint64_t last_ms = 0;
    int r;
    while ((r = ssgw_capture_next(cap, &cm)) == 1) {
        ssgw_pipeline_msg m = {.capture = &cm,
                               .direction = SSGW_DIR_UNKNOWN,
                               .time_ms = (uint64_t)cm.ts_sec * 1000u + cm.ts_usec / 1000u};
        ssgw_pipeline_run(pl, &m, &res);
        last_ms = m.time_ms;
        ssgw_report_msg rm = {.time_ms = m.time_ms, .frame = cm.frame, .res = &res};
        if (labels && cm.frame >= 1 && cm.frame <= n_labels && labels[cm.frame - 1].label[0]) {
            const frame_label *l = &labels[cm.frame - 1];
            rm.label = l->label;
            rm.attack = l->attack;
            rm.expect = l->check;
        }
        ssgw_report_add(rep, &rm);
        if (json) {
            record_ctx rc = {&cm, &res};
            if (ssgw_record_build(rec, sizeof rec, rec_frame, res.view, rec_result, &rc, NULL) >= 0)
                puts(rec);
        }
        if (limit && ++count >= limit) break;
    }
    ssgw_pipeline_tick(pl, last_ms);
    if (cmd_capture_end("analyze", cap, capture, r)) status = 1;
    ssgw_firewall *fw = ssgw_pipeline_firewall(pl);
    if (!json) {
        ssgw_report_print_summary(rep, fw, stdout);
        print_trust_summary(pl, stdout);
    }
    if (rf) {
        if (ssgw_report_write_html(rep, capture, rf) < 0) {
            fprintf(stderr, "ssgw analyze: %s: write error\n", report);
            status = 1;
        }
    }
out:
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
