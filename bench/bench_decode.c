/*
 * bench_decode.c - decode throughput of the inspection pipeline (DESIGN.md
 * section 7: `ssgw analyze` decode, pcap in page cache, target >= 2,000,000
 * messages/s per core and >= 70x tshark field extraction).
 *
 * Every message goes through ssgw_decoder_run() (M3UA -> SCCP, with
 * reassembly -> TCAP -> MAP application context; or M3UA -> ISUP with every
 * parameter and the numbers, causes and indicators decoded) and ssgw_view_map()
 * (the MAP parameters), which is what the analyzer needs per message; on a Diameter
 * capture (`ssgw generate --protocol diameter`) the Diameter decode and its policy
 * fields (ssgw_view_diameter), counted in map_fields when an IMSI was found. Two modes,
 * so that capture cost and decode cost are visible separately:
 *
 *   file  capture reading (libpcap, link, IP, SCTP/TCP) + decode, per repetition
 *         the file is opened, read to the end and closed;
 *   mem   decode only: the messages are read once into one memory arena, then
 *         decoded from there.
 *
 * Single-threaded. Each mode runs --reps times; the best (shortest) wall time
 * on CLOCK_MONOTONIC is reported, in one parseable line per mode:
 *
 *   bench_decode mode=file msgs=N reps=R secs=S msgs_per_s=X ns_per_msg=Y maxrss_kib=K
 *                errors=E tcap=T map_fields=M isup=I check=C
 *
 * errors counts capture error records plus decode and MAP errors (0 expected
 * on a capture from `ssgw generate`); tcap counts messages with a TCAP layer,
 * map_fields those where the MAP decode found an IMSI or an MSISDN (so one
 * can see the MAP layer did work), isup the ISUP messages; check is a checksum that keeps the
 * results observable. maxrss_kib is the process peak (getrusage) at the end of the mode; the file
 * mode runs first, so its figure does not include the mem arena.
 *
 * Exit status: 0, 1 when any error was counted or the file cannot be read,
 * 2 on a usage error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_common.h"
#include "ssgw/capture.h"
#include "ssgw/view.h"

/* What one pass over the messages found. */
typedef struct {
    uint64_t msgs;
    uint64_t errors;
    uint64_t errors_by_layer[SSGW_LAYER_COUNT];
    uint64_t tcap;
    uint64_t map_fields;
    uint64_t isup;
    uint64_t check;
    char first_error[160];
} pass_result;

static void note_error(pass_result *r, const ssgw_error *e, uint64_t frame)
{
    r->errors++;
    if ((unsigned)e->layer < SSGW_LAYER_COUNT) r->errors_by_layer[e->layer]++;
    if (!r->first_error[0]) {
        char msg[128];
        ssgw_error_format(e, msg, sizeof msg);
        snprintf(r->first_error, sizeof r->first_error, "frame %llu: %s", (unsigned long long)frame,
                 msg);
    }
}

/* The per-message work of the analyzer: full-stack decode plus MAP parameters. */
static void decode_one(ssgw_decoder *d, ssgw_view *v, ssgw_capture_kind kind, const uint8_t *data,
                       size_t len, uint64_t now_ms, uint64_t frame, pass_result *r)
{
    r->msgs++;
    if (ssgw_decoder_run(d, kind, data, len, now_ms, v) < 0) {
        note_error(r, &v->error, frame);
        return;
    }
    if (v->has_diameter) { /* a Diameter capture: the policy fields instead of MAP's */
        if (ssgw_view_diameter(v) < 0) {
            note_error(r, &v->error, frame);
            return;
        }
        r->check = r->check * 31 + v->diameter.code;
        if (v->diam.imsi[0]) r->map_fields++;
        return;
    }
    if (ssgw_view_map(v) < 0) {
        note_error(r, &v->error, frame);
        return;
    }
    if (v->has_isup) {
        r->isup++;
        r->check =
            r->check * 31 + v->isup.type + v->isup.cic + (uint8_t)v->isup.f.calling.digits[0];
    }
    if (v->has_tcap) {
        r->tcap++;
        int op = ssgw_view_first_opcode(v);
        r->check = r->check * 31 + (uint64_t)(op + 1);
        if (v->map.imsi[0] || v->map.msisdn.digits[0]) {
            r->map_fields++;
            r->check += (uint8_t)v->map.imsi[0] + (uint8_t)v->map.msisdn.digits[0];
        }
    }
}

/* One pass over the file. Returns 0, or -1 when the file cannot be read. */
static int pass_file(const char *path, pass_result *r, ssgw_view *v)
{
    char errbuf[256];
    ssgw_capture *c = ssgw_capture_open(path, NULL, errbuf, sizeof errbuf);
    if (!c) {
        fprintf(stderr, "bench_decode: %s: %s\n", path, errbuf);
        return -1;
    }
    ssgw_decoder *d = ssgw_decoder_new(NULL);
    if (!d) {
        ssgw_capture_close(c);
        fprintf(stderr, "bench_decode: out of memory\n");
        return -1;
    }
    ssgw_capture_msg m;
    int rc;
    while ((rc = ssgw_capture_next(c, &m)) == 1) {
        if (m.is_error) {
            r->msgs++;
            note_error(r, &m.error, m.frame);
            continue;
        }
        decode_one(d, v, m.kind, m.data, m.len, bench_to_ms(m.ts_sec, m.ts_usec), m.frame, r);
    }
    if (rc < 0) fprintf(stderr, "bench_decode: %s: %s\n", path, ssgw_capture_error(c));
    ssgw_decoder_free(d);
    ssgw_capture_close(c);
    return rc < 0 ? -1 : 0;
}

static int pass_mem(const bench_preload *p, pass_result *r, ssgw_view *v)
{
    ssgw_decoder *d = ssgw_decoder_new(NULL);
    if (!d) {
        fprintf(stderr, "bench_decode: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < p->n; i++) {
        const bench_msg_ref *m = &p->msgs[i];
        decode_one(d, v, (ssgw_capture_kind)m->kind, p->arena + m->off, m->len, m->now_ms, i + 1,
                   r);
    }
    ssgw_decoder_free(d);
    return 0;
}

static void report(const char *mode, unsigned reps, double best, const pass_result *r)
{
    double rate = best > 0 ? (double)r->msgs / best : 0;
    double ns = r->msgs ? best * 1e9 / (double)r->msgs : 0;
    printf("bench_decode mode=%s msgs=%llu reps=%u secs=%.6f msgs_per_s=%.0f ns_per_msg=%.1f "
           "maxrss_kib=%ld errors=%llu tcap=%llu map_fields=%llu isup=%llu check=%016llx\n",
           mode, (unsigned long long)r->msgs, reps, best, rate, ns, bench_maxrss_kib(),
           (unsigned long long)r->errors, (unsigned long long)r->tcap,
           (unsigned long long)r->map_fields, (unsigned long long)r->isup,
           (unsigned long long)r->check);
    if (r->errors) {
        fprintf(stderr, "bench_decode: mode=%s: %llu error(s); first: %s\n", mode,
                (unsigned long long)r->errors, r->first_error);
        for (int l = 0; l < SSGW_LAYER_COUNT; l++)
            if (r->errors_by_layer[l])
                fprintf(stderr, "  %s: %llu\n", ssgw_layer_name((ssgw_layer)l),
                        (unsigned long long)r->errors_by_layer[l]);
    }
    fflush(stdout);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: bench_decode [--reps N] [--mode file|mem|both] FILE.pcap\n"
                 "\n"
                 "Decodes every message of FILE (M3UA -> SCCP -> TCAP -> MAP parameters),\n"
                 "N times per mode (default 5), and prints the best run per mode.\n"
                 "  file: capture reading + decode; mem: decode of preloaded messages.\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"reps", required_argument, NULL, 'r'},
                                         {"mode", required_argument, NULL, 'm'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    unsigned reps = 5;
    bool do_file = true, do_mem = true;
    int ch;
    while ((ch = getopt_long(argc, argv, "r:m:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'r':
            if (bench_parse_reps("bench_decode", optarg, &reps) < 0) return 2;
            break;
        case 'm':
            if (bench_parse_mode("bench_decode", optarg, &do_file, &do_mem) < 0) return 2;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    const char *path = argv[optind];
    static ssgw_view v; /* large (components, MAP fields): not on the stack */
    int status = 0;

    if (do_file) {
        double best = 0;
        pass_result r;
        for (unsigned i = 0; i < reps; i++) {
            memset(&r, 0, sizeof r);
            double t0 = bench_now_s();
            if (pass_file(path, &r, &v) < 0) return 1;
            double t = bench_now_s() - t0;
            if (i == 0 || t < best) best = t;
        }
        report("file", reps, best, &r);
        if (r.errors || !r.msgs) status = 1;
    }

    if (do_mem) {
        bench_preload p;
        memset(&p, 0, sizeof p);
        if (bench_preload_file("bench_decode", path, false, &p) < 0) {
            bench_preload_free(&p);
            return 1;
        }
        double best = 0;
        pass_result r;
        for (unsigned i = 0; i < reps; i++) {
            memset(&r, 0, sizeof r);
            double t0 = bench_now_s();
            pass_mem(&p, &r, &v);
            double t = bench_now_s() - t0;
            if (i == 0 || t < best) best = t;
        }
        r.errors += p.n_errors; /* not decoded, but they would be in the analyzer's output */
        report("mem", reps, best, &r);
        if (r.errors || !r.msgs) status = 1;
        bench_preload_free(&p);
    }
    return status;
}
