/*
 * bench_analyze.c - throughput of `ssgw analyze` without output: decode + every
 * policy check + state (DESIGN.md section 7: >= 2,000,000 messages/s per core,
 * >= 70x tshark field extraction, embedded state <= 48 bytes per subscriber).
 *
 * Every message goes through the inspection pipeline (ssgw_pipeline_run: decode,
 * trust verification when the policy has [trust], firewall, signing) with the
 * given policy (default examples/ssgw.conf), exactly as tools/ssgw/cmd_analyze.c
 * does it, minus the JSON/summary/HTML output. Two modes, as in bench_decode:
 *
 *   file  capture reading (libpcap, link, IP, SCTP) + decode + inspect; per
 *         repetition the file is opened, read to the end and closed;
 *   mem   decode + inspect only: the messages are read once into one memory
 *         arena, then inspected from there.
 *
 * Each repetition starts with a fresh pipeline, so a fresh
 * embedded state store (capacities from the policy's [state]); creating them is
 * not timed, filling the store is. Single-threaded; the best (shortest) wall
 * time on CLOCK_MONOTONIC is reported, in one parseable line per mode:
 *
 *   bench_analyze mode=file msgs=N reps=R secs=S msgs_per_s=X ns_per_msg=Y maxrss_kib=K
 *                 decode_errors=E allow=A drop=D answer=W alert=L rate_limit=T
 *                 subscribers=U location_evictions=V bytes_per_subscriber=B store_bytes=SB
 *                 check=C
 *
 * The verdict counts are those `ssgw analyze` prints for the same file and
 * configuration. subscribers is the number of location records held at the
 * end, location_evictions the location records the store replaced because it was
 * full (0 when [state] subscribers is at least the population); bytes_per_subscriber is what one
 * more location record costs the embedded store (its size difference between two capacities,
 * measured through ssgw_store_ops.get_stats); store_bytes is the whole store. check is a checksum
 * over every verdict (action and deciding check, in order), so two builds can be compared for
 * identical behaviour. Error records of the capture are inspected like `ssgw analyze` does
 * (malformed.capture).
 *
 * Exit status: 0, 1 when the configuration or the file cannot be read (or
 * out of memory), 2 on a usage error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_common.h"
#include "ssgw/capture.h"
#include "ssgw/pipeline.h"
#include "ssgw/policy.h"
#include "ssgw/store.h"
#include "ssgw/view.h"

/* What one pass found. */
typedef struct {
    uint64_t msgs;
    uint64_t decode_errors;
    uint64_t by_action[SSGW_ACT_COUNT];
    uint64_t check;
    size_t subscribers;
    uint64_t location_evictions;
    size_t store_bytes;
} pass_result;

typedef struct {
    ssgw_pipeline *p;
    ssgw_pipeline_result res;
} pipeline;

static int pipeline_new(pipeline *pl, const char *config)
{
    char err[4096];
    ssgw_pipeline_config pc = {.policy = config, .stages = SSGW_PL_ALL};
    pl->p = ssgw_pipeline_new(&pc, err, sizeof err); /* a fresh embedded store each time */
    if (pl->p) return 0;
    fprintf(stderr, "bench_analyze: %s\n", err);
    return -1;
}

/* Collects the totals and frees the pipeline. */
static void pipeline_end(pipeline *pl, pass_result *r)
{
    ssgw_pipeline_stats st;
    ssgw_pipeline_get_stats(pl->p, &st);
    for (int a = 0; a < SSGW_ACT_COUNT; a++)
        r->by_action[a] = st.verdicts[a];
    ssgw_store *s = ssgw_firewall_store(ssgw_pipeline_firewall(pl->p));
    ssgw_store_stats ss;
    s->ops->get_stats(s, &ss);
    r->subscribers = ss.t[SSGW_STORE_LOCATION].used;
    r->location_evictions = ss.t[SSGW_STORE_LOCATION].evictions;
    r->store_bytes = ss.bytes;
    ssgw_pipeline_free(pl->p);
}

/* The per-message work of `ssgw analyze`: the pipeline (decode, verify, firewall, sign). */
static inline void analyze_one(pipeline *pl, const ssgw_pipeline_msg *m, pass_result *r)
{
    r->msgs++;
    ssgw_pipeline_run(pl->p, m, &pl->res);
    if (pl->res.view->has_error) r->decode_errors++;
    r->check = r->check * 31 + (uint64_t)pl->res.verdict.action * 64 +
               (uint64_t)(pl->res.verdict.decider + 1);
}

/* One timed pass over the file. Returns the seconds, or -1 when it cannot be read. */
static double pass_file(const char *path, const char *config, pass_result *r, pipeline *pl)
{
    if (pipeline_new(pl, config) < 0) return -1;
    char errbuf[256];
    double t0 = bench_now_s();
    ssgw_capture *c = ssgw_capture_open(path, NULL, errbuf, sizeof errbuf);
    if (!c) {
        fprintf(stderr, "bench_analyze: %s: %s\n", path, errbuf);
        pipeline_end(pl, r);
        return -1;
    }
    ssgw_capture_msg m;
    int rc;
    while ((rc = ssgw_capture_next(c, &m)) == 1) {
        ssgw_pipeline_msg pm = {.capture = &m, .time_ms = bench_to_ms(m.ts_sec, m.ts_usec)};
        analyze_one(pl, &pm, r);
    }
    if (rc < 0) fprintf(stderr, "bench_analyze: %s: %s\n", path, ssgw_capture_error(c));
    ssgw_capture_close(c);
    double t = bench_now_s() - t0;
    pipeline_end(pl, r);
    return rc < 0 ? -1 : t;
}

static double pass_mem(const bench_preload *p, const char *config, pass_result *r, pipeline *pl)
{
    if (pipeline_new(pl, config) < 0) return -1;
    ssgw_capture_msg err_rec;
    memset(&err_rec, 0, sizeof err_rec);
    err_rec.is_error = true;
    double t0 = bench_now_s();
    for (size_t i = 0; i < p->n; i++) {
        const bench_msg_ref *m = &p->msgs[i];
        ssgw_pipeline_msg pm = {.kind = (ssgw_capture_kind)m->kind,
                                .data = p->arena + m->off,
                                .len = m->len,
                                .time_ms = m->now_ms};
        if (m->is_error) { /* a capture error record, as `ssgw analyze` gets it */
            err_rec.error = p->errors[m->off];
            pm.capture = &err_rec;
        }
        analyze_one(pl, &pm, r);
    }
    double t = bench_now_s() - t0;
    pipeline_end(pl, r);
    return t;
}

/*
 * Bytes one more subscriber (location record) costs the embedded store: the
 * store's size at two capacities, the other tables fixed, through the
 * back-end interface only. -1 when out of memory.
 */
static double bytes_per_subscriber(void)
{
    const size_t a = 1u << 16, b = 1u << 20;
    ssgw_store_limits la = {.subscribers = a,
                            .marks = 4,
                            .dialogues = 4,
                            .buckets = 4,
                            .risk = 4,
                            .aliases = 4,
                            .incidents = 4,
                            .calls = 4};
    ssgw_store_limits lb = la;
    lb.subscribers = b;
    ssgw_store *sa = ssgw_store_embedded_new(&la), *sb = ssgw_store_embedded_new(&lb);
    double r = -1;
    if (sa && sb) {
        ssgw_store_stats x, y;
        sa->ops->get_stats(sa, &x);
        sb->ops->get_stats(sb, &y);
        size_t ca = x.t[SSGW_STORE_LOCATION].capacity, cb = y.t[SSGW_STORE_LOCATION].capacity;
        if (cb > ca) r = (double)(y.bytes - x.bytes) / (double)(cb - ca);
    }
    ssgw_store_free(sa);
    ssgw_store_free(sb);
    return r;
}

static void report(const char *mode, unsigned reps, double best, const pass_result *r, double bps)
{
    double rate = best > 0 ? (double)r->msgs / best : 0;
    double ns = r->msgs ? best * 1e9 / (double)r->msgs : 0;
    printf("bench_analyze mode=%s msgs=%llu reps=%u secs=%.6f msgs_per_s=%.0f ns_per_msg=%.1f "
           "maxrss_kib=%ld decode_errors=%llu allow=%llu drop=%llu answer=%llu alert=%llu "
           "rate_limit=%llu subscribers=%zu location_evictions=%llu bytes_per_subscriber=%.1f "
           "store_bytes=%zu "
           "check=%016llx\n",
           mode, (unsigned long long)r->msgs, reps, best, rate, ns, bench_maxrss_kib(),
           (unsigned long long)r->decode_errors, (unsigned long long)r->by_action[SSGW_ACT_ALLOW],
           (unsigned long long)r->by_action[SSGW_ACT_DROP],
           (unsigned long long)r->by_action[SSGW_ACT_ANSWER],
           (unsigned long long)r->by_action[SSGW_ACT_ALERT],
           (unsigned long long)r->by_action[SSGW_ACT_RATE_LIMIT], r->subscribers,
           (unsigned long long)r->location_evictions, bps, r->store_bytes,
           (unsigned long long)r->check);
    fflush(stdout);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: bench_analyze [--config FILE] [--reps N] [--mode file|mem|both] FILE.pcap\n"
            "\n"
            "Runs every message of FILE through the decoder and the firewall policy\n"
            "(ssgw_pipeline_run, with state), N times per mode (default 5),\n"
            "and prints the best run per mode. The policy defaults to examples/ssgw.conf.\n"
            "  file: capture reading + decode + inspect; mem: decode + inspect of\n"
            "  preloaded messages.\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"reps", required_argument, NULL, 'r'},
                                         {"mode", required_argument, NULL, 'm'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *config = "examples/ssgw.conf";
    unsigned reps = 5;
    bool do_file = true, do_mem = true;
    int ch;
    while ((ch = getopt_long(argc, argv, "c:r:m:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            config = optarg;
            break;
        case 'r':
            if (bench_parse_reps("bench_analyze", optarg, &reps) < 0) return 2;
            break;
        case 'm':
            if (bench_parse_mode("bench_analyze", optarg, &do_file, &do_mem) < 0) return 2;
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
    double bps = bytes_per_subscriber();
    static pipeline pl; /* large (the result's verdict and token): not on the stack */
    int status = 0;

    if (do_file) {
        double best = 0;
        pass_result r;
        for (unsigned i = 0; i < reps && !status; i++) {
            memset(&r, 0, sizeof r);
            double t = pass_file(path, config, &r, &pl);
            if (t < 0) status = 1;
            if (i == 0 || t < best) best = t;
        }
        if (!status) report("file", reps, best, &r, bps);
    }

    if (do_mem && !status) {
        bench_preload p;
        memset(&p, 0, sizeof p);
        if (bench_preload_file("bench_analyze", path, true, &p) < 0) status = 1;
        double best = 0;
        pass_result r;
        for (unsigned i = 0; i < reps && !status; i++) {
            memset(&r, 0, sizeof r);
            double t = pass_mem(&p, config, &r, &pl);
            if (t < 0) status = 1;
            if (i == 0 || t < best) best = t;
        }
        if (!status) report("mem", reps, best, &r, bps);
        bench_preload_free(&p);
    }
    return status;
}
