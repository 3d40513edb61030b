/*
 * test_pipeline_m3ua.c - a message handed to the pipeline with its M3UA decoding
 * (ssgw_pipeline_msg.m3ua: the live gateway's, made to route it) is judged exactly as
 * the same message handed over as bytes alone. Two pipelines on the example policy take the
 * same labelled attack traffic (20,000 messages of two seeds, each at its capture time),
 * one as bytes, one with the decoding; every message must get the same action, verdict
 * (folded as attack_traffic.h folds it), reason and output bytes.
 */
#include <stdio.h>
#include <string.h>

#include "attack_traffic.h"
#include "check.h"
#include "ssgw/attack.h"
#include "ssgw/m3ua.h"
#include "ssgw/pipeline.h"

#define POLICY "../examples/ssgw.conf"
#define COUNT  10000

static bool same_result(const ssgw_pipeline_result *a, const ssgw_pipeline_result *b)
{
    return a->action == b->action && attack_verdict_hash(a) == attack_verdict_hash(b) &&
           ((!a->reason && !b->reason) ||
            (a->reason && b->reason && !strcmp(a->reason, b->reason))) &&
           a->out_len == b->out_len && a->nout == b->nout &&
           (!a->out_len || memcmp(a->out, b->out, a->out_len) == 0);
}

static void same_verdicts(void)
{
    char err[4096];
    ssgw_pipeline_config pc = {.policy = POLICY, .stages = SSGW_PL_ALL};
    ssgw_pipeline *bytes = ssgw_pipeline_new(&pc, err, sizeof err);
    ssgw_pipeline *given = ssgw_pipeline_new(&pc, err, sizeof err);
    CHECK(bytes && given);
    if (!bytes || !given) return;
    static uint8_t mem[8192];
    static ssgw_pipeline_result ra, rb;
    unsigned long differed = 0, decoded = 0, not_allowed = 0, n = 0;
    for (uint64_t seed = 1; seed <= 2; seed++) {
        ssgw_attack_opts o;
        ssgw_attack_opts_default(&o);
        o.seed = seed;
        o.count = COUNT;
        ssgw_error e;
        ssgw_attack_gen *g = ssgw_attack_new(&o, &e);
        CHECK(g != NULL);
        if (!g) break;
        for (uint64_t i = 0; i < COUNT; i++) {
            ssgw_buf b;
            ssgw_attack_msg am;
            ssgw_buf_init(&b, mem, sizeof mem);
            if (ssgw_attack_next(g, &b, &am, &e) < 0) break;
            ssgw_pipeline_msg pm = {.kind = SSGW_CAPTURE_KIND_M3UA,
                                    .data = b.data,
                                    .len = b.len,
                                    .time_ms = (uint64_t)am.ts_sec * 1000 + am.ts_usec / 1000};
            ssgw_m3ua_msg m;
            bool ok = ssgw_m3ua_decode(b.data, b.len, &m, &e) == 0;
            decoded += ok;
            ssgw_pipeline_run(bytes, &pm, &ra);
            pm.m3ua = ok ? &m : NULL;
            ssgw_pipeline_run(given, &pm, &rb);
            n++;
            not_allowed += ra.has_verdict && ra.verdict.action != SSGW_ACT_ALLOW;
            if (!same_result(&ra, &rb) && differed++ < 5)
                fprintf(stderr, "  seed %llu message %llu: %s / %s\n", (unsigned long long)seed,
                        (unsigned long long)i, ra.reason ? ra.reason : "-",
                        rb.reason ? rb.reason : "-");
        }
        ssgw_attack_free(g);
    }
    printf("    %lu messages, %lu handed on decoded, %lu not allowed, %lu differ\n", n, decoded,
           not_allowed, differed);
    CHECK_INT(differed, 0);
    CHECK_INT(n, 2 * COUNT);
    CHECK(decoded > n * 9 / 10);
    CHECK(not_allowed > 100); /* the attacks are judged, not just forwarded */
    ssgw_pipeline_free(bytes);
    ssgw_pipeline_free(given);
}

int main(void)
{
    RUN(same_verdicts);
    return check_summary();
}
