/*
 * cmd_analyze.c - `ssgw analyze`: every message of a capture through the
 * firewall policy, in capture order, with state, through the same
 * ssgw_inspect() call the gateway makes.
 *
 * Output: JSON lines (--json; the keys of `ssgw decode` plus direction,
 * verdict, enforced, category, check, reason and answer) or a readable summary
 * (totals per verdict and per check, top calling GTs and operations blocked);
 * --report writes a self-contained HTML report. Exit status: 0 when the
 * capture was read to the end, 1 when the configuration or the capture could
 * not be read, 2 on a usage error.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ssgw/inspect.h"
#include "ssgw/record.h"
#include "ssgw/report.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: ssgw analyze --config FILE [--json] [--report FILE.html] [--monitor]\n"
                 "                    [--rows N] [--limit N] CAPTURE\n"
                 "\n"
                 "Runs every SS7 message of a pcap/pcapng capture through the firewall policy\n"
                 "(the same pipeline as the live gateway) and reports the verdicts.\n"
                 "\n"
                 "  -c, --config FILE    policy configuration (docs/configuration.md)\n"
                 "  -j, --json           one JSON line per message: decode keys + direction,\n"
                 "                       verdict, enforced, category, check, reason, answer\n"
                 "  -r, --report FILE    write a self-contained HTML report with charts\n"
                 "  -m, --monitor        monitor mode: verdicts computed, nothing blocked\n"
                 "      --rows N         blocked messages listed in the report (default 500)\n"
                 "  -n, --limit N        stop after N messages\n"
                 "  -h, --help           this text\n"
                 "\n"
                 "Without --json a summary is printed: totals per verdict and per check, top\n"
                 "calling GTs and operations blocked.\n");
}

static int parse_count(const char *s, unsigned long long *out)
{
    char *end;
    *out = strtoull(s, &end, 10);
    return (*end || !*out) ? -1 : 0;
}

static void json_verdict(ssgw_json *j, const ssgw_verdict *vd)
{
    ssgw_json_str(j, "direction", ssgw_direction_name(vd->direction));
    ssgw_json_str(j, "verdict", ssgw_action_name(vd->action));
    ssgw_json_bool(j, "enforced", vd->enforced);
    ssgw_json_str(j, "category", ssgw_category_name(vd->category));
    ssgw_json_str(j, "check", vd->check);
    ssgw_json_str(j, "reason", vd->reason);
    if (vd->action == SSGW_ACT_ANSWER) {
        char a[64];
        ssgw_answer_format(&vd->answer, a, sizeof a);
        ssgw_json_str(j, "answer", a);
    }
}

/* The record of one message: frame keys, decode keys, verdict keys. */
typedef struct {
    const ssgw_capture_msg *cm;
    const ssgw_verdict *vd;
} record_ctx;

static void rec_frame(ssgw_json *j, const void *ctx)
{
    ssgw_record_frame(j, ((const record_ctx *)ctx)->cm);
}

static void rec_verdict(ssgw_json *j, const void *ctx)
{
    json_verdict(j, ((const record_ctx *)ctx)->vd);
}

int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
        {"report", required_argument, NULL, 'r'}, {"monitor", no_argument, NULL, 'm'},
        {"rows", required_argument, NULL, 'R'},   {"limit", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *config = NULL, *report = NULL;
    bool json = false, monitor = false;
    unsigned long long limit = 0, rows = 500;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:jr:mn:h", opts, NULL)) != -1) {
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
    static ssgw_config_errors errs;
    ssgw_policy *pol = ssgw_policy_load_file(config, &errs);
    if (!pol) {
        for (size_t i = 0; i < errs.n; i++)
            fprintf(stderr, "%s\n", errs.e[i].text);
        return 1;
    }
    char errbuf[256];
    ssgw_capture *cap = ssgw_capture_open(capture, NULL, errbuf, sizeof errbuf);
    if (!cap) {
        fprintf(stderr, "ssgw analyze: %s\n", errbuf);
        ssgw_policy_free(pol);
        return 1;
    }
    ssgw_decoder *dec = ssgw_decoder_new(NULL);
    ssgw_inspector *ins = ssgw_inspector_new(pol, NULL);
    ssgw_report *rep = ssgw_report_new((size_t)rows);
    FILE *rf = NULL;
    if (report) {
        rf = fopen(report, "w");
        if (!rf) perror(report);
    }
    int status = 0;
    if (!dec || !ins || !rep || (report && !rf)) {
        if (!rf && report)
            status = 1;
        else
            fprintf(stderr, "ssgw analyze: out of memory\n");
        status = 1;
        goto out;
    }
    if (monitor) ssgw_inspector_set_monitor(ins, true);

    static ssgw_view v;
    static ssgw_verdict vd;
    static char rec[16384];
    ssgw_capture_msg cm;
    unsigned long long count = 0;
    int r;
    while ((r = ssgw_capture_next(cap, &cm)) == 1) {
        uint64_t now_ms = (uint64_t)cm.ts_sec * 1000u + cm.ts_usec / 1000u;
        ssgw_decoder_run_capture(dec, &cm, &v);
        ssgw_msg_meta meta = {now_ms, SSGW_DIR_UNKNOWN, false, 0};
        ssgw_inspect(ins, &v, &meta, &vd);
        ssgw_report_add(rep, &cm, &v, &vd);
        if (json) {
            record_ctx rc = {&cm, &vd};
            if (ssgw_record_build(rec, sizeof rec, rec_frame, &v, rec_verdict, &rc, NULL) >= 0)
                puts(rec);
        }
        if (limit && ++count >= limit) break;
    }
    if (r < 0) {
        fprintf(stderr, "ssgw analyze: %s: %s\n", capture, ssgw_capture_error(cap));
        status = 1;
    }
    if (!json) ssgw_report_print_summary(rep, ins, stdout);
    if (rf) {
        if (ssgw_report_write_html(rep, ins, capture, rf) < 0) {
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
    ssgw_inspector_free(ins);
    ssgw_decoder_free(dec);
    ssgw_capture_close(cap);
    ssgw_policy_free(pol);
    return status;
}
