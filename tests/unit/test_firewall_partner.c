/*
 * test_firewall_partner.c - the partner an inbound message is reported under comes from the
 * firewall's own lookup of the calling GT (ssgw_verdict.calling_partner) instead of a second
 * walk of the GT table in the pipeline (issue 16). The reference is what the pipeline did
 * before: ssgw_policy_trust_for_gt on the calling GT. Labelled attack traffic (ssgw_attack,
 * fixed seed) goes through a pipeline of the example policy (three partners); every message
 * with SCCP must name the same partner both ways, in the verdict and, inbound, in the result.
 */
#include <string.h>

#include "check.h"
#include "ssgw/attack.h"
#include "ssgw/firewall.h"
#include "ssgw/pipeline.h"
#include "ssgw/policy.h"

#define POLICY "../examples/ssgw.conf"
#define COUNT  12000

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static void partner_as_trust_for_gt(void)
{
    char err[4096];
    ssgw_pipeline_config pc = {.policy = POLICY, .stages = SSGW_PL_ALL};
    ssgw_pipeline *p = ssgw_pipeline_new(&pc, err, sizeof err);
    CHECK(p != NULL);
    if (!p) return;
    const ssgw_policy *pol = ssgw_pipeline_policy(p);
    ssgw_attack_opts o;
    ssgw_attack_opts_default(&o);
    o.seed = 11;
    o.count = COUNT;
    ssgw_error e;
    ssgw_attack_gen *g = ssgw_attack_new(&o, &e);
    CHECK(g != NULL);
    static uint8_t mem[8192];
    static ssgw_pipeline_result r;
    size_t judged = 0, named = 0, inbound = 0, verdict_differ = 0, result_differ = 0;
    for (uint64_t i = 0; g && i < COUNT; i++) {
        ssgw_buf b;
        ssgw_attack_msg m;
        ssgw_buf_init(&b, mem, sizeof mem);
        if (ssgw_attack_next(g, &b, &m, &e) < 0) break;
        ssgw_pipeline_msg pm = {.kind = SSGW_CAPTURE_KIND_M3UA,
                                .data = b.data,
                                .len = b.len,
                                .time_ms = (uint64_t)m.ts_sec * 1000 + m.ts_usec / 1000};
        ssgw_pipeline_run(p, &pm, &r);
        if (!r.inspected || !r.view->has_sccp) continue;
        ssgw_trust_policy tp;
        const char *want = ssgw_policy_trust_for_gt(pol, r.view->sccp.calling.digits, &tp);
        judged++;
        named += want != NULL;
        verdict_differ += !same(r.verdict.calling_partner, want);
        if (r.direction == SSGW_DIR_INBOUND) {
            inbound++;
            result_differ += !same(r.partner, want);
        }
    }
    printf("    %zu judged with SCCP (%zu inbound), %zu of a partner; %zu verdicts and %zu "
           "results differ\n",
           judged, inbound, named, verdict_differ, result_differ);
    CHECK_INT(verdict_differ, 0);
    CHECK_INT(result_differ, 0);
    CHECK(named > 100 &&
          named < judged); /* both kinds of caller, so the comparison means something */
    CHECK(inbound > 1000);
    ssgw_attack_free(g);
    ssgw_pipeline_free(p);
}

int main(void)
{
    RUN(partner_as_trust_for_gt);
    return check_summary();
}
