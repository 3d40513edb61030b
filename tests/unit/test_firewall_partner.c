/*
 * test_firewall_partner.c - the partner an inbound message is reported under comes from the
 * firewall's own lookup of the calling GT (ssgw_verdict.calling_partner) instead of a second
 * walk of the GT table in the pipeline (issue 16). The reference is what the pipeline did
 * before: ssgw_policy_trust_for_gt on the calling GT. Labelled attack traffic (ssgw_attack,
 * fixed seed) goes through a pipeline of the example policy (three partners); every message
 * with SCCP must name the same partner both ways, in the verdict and, inbound, in the result.
 * The firewall's GT memo (keyed by the digits array's first 16 octets as they are) is then
 * fed arrays the decoders never make: octets other than 0 past the NUL, GTs cut to every
 * length from 0 to 20 digits, the same GT with different tails; the partner it names must
 * be the trie's, and its packed key and roles (ssgw_firewall_gt) those of packing the digits
 * one by one (ssgw_store_pack_digits) and of the trie, so that a memo keyed on less than the
 * whole string, or on octets past it wrongly, fails.
 */
#include <string.h>

#include "check.h"
#include "policy/policy_int.h"
#include "ssgw/attack.h"
#include "ssgw/digits.h"
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

/* Sets a (a digits array) to the first n digits of gt (padded with '9'), then tail octets
 * (none when 0) past the NUL up to octet 16. */
static void set_gt(char *a, size_t cap, const char *gt, size_t n, char tail)
{
    memset(a, 0, cap);
    size_t len = strlen(gt);
    for (size_t i = 0; i < n && i + 1 < cap; i++)
        a[i] = i < len ? gt[i] : '9';
    for (size_t i = n + 1; tail && i < 16 && i < cap; i++)
        a[i] = tail;
}

static void memo_odd_arrays(void)
{
    char err[4096];
    ssgw_pipeline_config pc = {.policy = POLICY, .stages = SSGW_PL_ALL};
    ssgw_pipeline *p = ssgw_pipeline_new(&pc, err, sizeof err);
    CHECK(p != NULL);
    if (!p) return;
    const ssgw_policy *pol = ssgw_pipeline_policy(p);
    ssgw_firewall *fw = ssgw_pipeline_firewall(p);
    ssgw_attack_opts o;
    ssgw_attack_opts_default(&o);
    o.seed = 12;
    o.count = 3000;
    ssgw_error e;
    ssgw_attack_gen *g = ssgw_attack_new(&o, &e);
    CHECK(g != NULL);
    static uint8_t mem[8192];
    static ssgw_pipeline_result r;
    static const char tails[] = {0, '1', '4', 'a', 0x7f, (char)0xff};
    size_t judged = 0, named = 0, differ = 0, facts_differ = 0, with_roles = 0;
    /* first, while every slot is empty: the octets of an empty slot (sixteen 0xff), "" and a
     * lone 0xff, twice each */
    for (int k = 0; k < 6; k++) {
        char a[SSGW_DIGITS_MAX + 1];
        memset(a, 0, sizeof a);
        if (k % 3 == 0) memset(a, 0xff, 16);
        if (k % 3 == 2) a[0] = (char)0xff;
        uint64_t key;
        uint16_t owner, want_owner;
        uint8_t roles, want_roles;
        ssgw_firewall_gt(fw, a, &key, &owner, &roles);
        trie_lookup(&pol->gt, a, &want_owner, &want_roles);
        facts_differ +=
            key != ssgw_store_pack_digits(a) || owner != want_owner || roles != want_roles;
    }
    for (uint64_t i = 0; g && i < o.count; i++) {
        ssgw_buf b;
        ssgw_attack_msg m;
        ssgw_buf_init(&b, mem, sizeof mem);
        if (ssgw_attack_next(g, &b, &m, &e) < 0) break;
        ssgw_pipeline_msg pm = {.kind = SSGW_CAPTURE_KIND_M3UA, .data = b.data, .len = b.len};
        ssgw_pipeline_run(p, &pm, &r);
        ssgw_view *v = r.view;
        if (!v->has_sccp || !v->sccp.calling.digits[0]) continue;
        char gt[sizeof v->sccp.calling.digits];
        memcpy(gt, v->sccp.calling.digits, sizeof gt);
        for (size_t n = i % 3 ? strlen(gt) : 0; n <= 20; n += i % 3 ? 21 : 1) {
            for (size_t t = 0; t < sizeof tails; t++) {
                char *a = v->sccp.calling.digits;
                set_gt(a, sizeof v->sccp.calling.digits, gt, n, tails[t]);
                ssgw_firewall_meta meta = {.direction = SSGW_DIR_INBOUND};
                ssgw_verdict vd;
                ssgw_firewall_judge(fw, v, &meta, &vd);
                ssgw_trust_policy tp;
                const char *want = ssgw_policy_trust_for_gt(pol, a, &tp);
                judged++;
                named += want != NULL;
                differ += !same(vd.calling_partner, want);
                uint64_t key;
                uint16_t owner, want_owner;
                uint8_t roles, want_roles;
                ssgw_firewall_gt(fw, a, &key, &owner, &roles);
                trie_lookup(&pol->gt, a, &want_owner, &want_roles);
                facts_differ +=
                    key != ssgw_store_pack_digits(a) || owner != want_owner || roles != want_roles;
                with_roles += want_roles != 0;
            }
        }
    }
    printf("    %zu judged with altered calling GTs, %zu of a partner, %zu with roles; %zu "
           "partners and %zu keys, owners or roles differ\n",
           judged, named, with_roles, differ, facts_differ);
    CHECK_INT(differ, 0);
    CHECK_INT(facts_differ, 0);
    CHECK(with_roles > 0);
    CHECK(named > 100 && named < judged);
    ssgw_attack_free(g);
    ssgw_pipeline_free(p);
}

int main(void)
{
    RUN(partner_as_trust_for_gt);
    RUN(memo_odd_arrays);
    return check_summary();
}
