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
 * whole string, or on octets past it wrongly, fails. Last, the GT facts of every view (and of
 * the same view without SCCP, as an ISUP message has none), through the memo and without,
 * against packing and the trie.
 */
#include <string.h>

#include "attack_traffic.h"
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

typedef struct {
    const ssgw_policy *pol;
    size_t judged, named, inbound, verdict_differ, result_differ;
} partner_tally;

/* The partner of r's calling GT in its verdict and (inbound) its result, against the trie. */
static void partner_of_result(void *ctx, uint64_t i, ssgw_pipeline_result *r)
{
    partner_tally *t = ctx;
    (void)i;
    if (!r->inspected || !r->view->has_sccp) return;
    ssgw_trust_policy tp;
    const char *want = ssgw_policy_trust_for_gt(t->pol, r->view->sccp.calling.digits, &tp);
    t->judged++;
    t->named += want != NULL;
    t->verdict_differ += !same(r->verdict.calling_partner, want);
    if (r->direction == SSGW_DIR_INBOUND) {
        t->inbound++;
        t->result_differ += !same(r->partner, want);
    }
}

static void partner_as_trust_for_gt(void)
{
    char err[4096];
    ssgw_pipeline_config pc = {.policy = POLICY, .stages = SSGW_PL_ALL};
    ssgw_pipeline *p = ssgw_pipeline_new(&pc, err, sizeof err);
    CHECK(p != NULL);
    if (!p) return;
    partner_tally t = {.pol = ssgw_pipeline_policy(p)};
    CHECK_INT(attack_run(p, 11, COUNT, partner_of_result, &t), 0);
    printf("    %zu judged with SCCP (%zu inbound), %zu of a partner; %zu verdicts and %zu "
           "results differ\n",
           t.judged, t.inbound, t.named, t.verdict_differ, t.result_differ);
    CHECK_INT(t.verdict_differ, 0);
    CHECK_INT(t.result_differ, 0);
    CHECK(t.named > 100 &&
          t.named < t.judged); /* both kinds of caller, so the comparison means something */
    CHECK(t.inbound > 1000);
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

/* 1 when the firewall's packed key, owner or roles of digits array a (ssgw_firewall_gt)
 * differ from packing it digit by digit and walking the trie; *roles: the trie's roles. */
static int facts_differ_of(ssgw_firewall *fw, const ssgw_policy *pol, const char *a, uint8_t *roles)
{
    uint64_t key;
    uint16_t owner, want_owner;
    uint8_t got_roles;
    ssgw_firewall_gt(fw, a, &key, &owner, &got_roles);
    trie_lookup(&pol->gt, a, &want_owner, roles);
    return key != ssgw_store_pack_digits(a) || owner != want_owner || got_roles != *roles;
}

typedef struct {
    const ssgw_policy *pol;
    ssgw_firewall *fw;
    size_t judged, named, differ, facts_differ, with_roles;
} memo_tally;

/* r's calling GT cut to every length (every third message) or kept, with each tail past its
 * NUL, judged again: the partner, key, owner and roles against the references. */
static void odd_arrays_of(void *ctx, uint64_t i, ssgw_pipeline_result *r)
{
    static const char tails[] = {0, '1', '4', 'a', 0x7f, (char)0xff};
    memo_tally *t = ctx;
    ssgw_view *v = r->view;
    if (!v->has_sccp || !v->sccp.calling.digits[0]) return;
    char gt[sizeof v->sccp.calling.digits];
    memcpy(gt, v->sccp.calling.digits, sizeof gt);
    for (size_t n = i % 3 ? strlen(gt) : 0; n <= 20; n += i % 3 ? 21 : 1) {
        for (size_t k = 0; k < sizeof tails; k++) {
            char *a = v->sccp.calling.digits;
            set_gt(a, sizeof v->sccp.calling.digits, gt, n, tails[k]);
            ssgw_firewall_meta meta = {.direction = SSGW_DIR_INBOUND};
            ssgw_verdict vd;
            ssgw_firewall_judge(t->fw, v, &meta, &vd);
            ssgw_trust_policy tp;
            const char *want = ssgw_policy_trust_for_gt(t->pol, a, &tp);
            t->judged++;
            t->named += want != NULL;
            t->differ += !same(vd.calling_partner, want);
            uint8_t roles;
            t->facts_differ += facts_differ_of(t->fw, t->pol, a, &roles);
            t->with_roles += roles != 0;
        }
    }
}

static void memo_odd_arrays(void)
{
    char err[4096];
    ssgw_pipeline_config pc = {.policy = POLICY, .stages = SSGW_PL_ALL};
    ssgw_pipeline *p = ssgw_pipeline_new(&pc, err, sizeof err);
    CHECK(p != NULL);
    if (!p) return;
    memo_tally t = {.pol = ssgw_pipeline_policy(p), .fw = ssgw_pipeline_firewall(p)};
    /* first, while every slot is empty: the octets of an empty slot (sixteen 0xff), "" and a
     * lone 0xff, twice each */
    for (int k = 0; k < 6; k++) {
        char a[SSGW_DIGITS_MAX + 1];
        memset(a, 0, sizeof a);
        if (k % 3 == 0) memset(a, 0xff, 16);
        if (k % 3 == 2) a[0] = (char)0xff;
        uint8_t roles;
        t.facts_differ += facts_differ_of(t.fw, t.pol, a, &roles);
    }
    CHECK_INT(attack_run(p, 12, 3000, odd_arrays_of, &t), 0);
    printf("    %zu judged with altered calling GTs, %zu of a partner, %zu with roles; %zu "
           "partners and %zu keys, owners or roles differ\n",
           t.judged, t.named, t.with_roles, t.differ, t.facts_differ);
    CHECK_INT(t.differ, 0);
    CHECK_INT(t.facts_differ, 0);
    CHECK(t.with_roles > 0);
    CHECK(t.named > 100 && t.named < t.judged);
    ssgw_pipeline_free(p);
}

typedef struct {
    const ssgw_policy *pol;
    ssgw_firewall *fw;
    size_t with_sccp, without, differ;
} gt_facts_tally;

/* 1 when the firewall's facts of v's GTs (ssgw_firewall_gt_facts, through the memo or not)
 * differ from packing the digits one by one and walking the trie, for calling GT a and
 * called GT b ("" for a view without SCCP). */
static int gt_facts_differ(gt_facts_tally *t, const ssgw_view *v, const char *a, const char *b)
{
    int differ = 0;
    uint16_t want[2];
    uint8_t want_roles, r;
    trie_lookup(&t->pol->gt, a, &want[0], &want_roles);
    trie_lookup(&t->pol->gt, b, &want[1], &r);
    for (int memo = 0; memo < 2; memo++) {
        uint64_t key[2];
        uint16_t owner[2];
        uint8_t roles;
        ssgw_firewall_gt_facts(t->fw, v, memo, key, owner, &roles);
        differ |= key[0] != ssgw_store_pack_digits(a) || key[1] != ssgw_store_pack_digits(b) ||
                  owner[0] != want[0] || owner[1] != want[1] || roles != want_roles;
    }
    return differ;
}

/* r's GTs, and the same view taken as one without SCCP (what an ISUP message is). */
static void gt_facts_of(void *ctx, uint64_t i, ssgw_pipeline_result *r)
{
    gt_facts_tally *t = ctx;
    ssgw_view *v = r->view;
    (void)i;
    if (v->has_sccp) {
        t->with_sccp++;
        t->differ += gt_facts_differ(t, v, v->sccp.calling.digits, v->sccp.called.digits);
        v->has_sccp = false;
        t->differ += gt_facts_differ(t, v, "", "");
        v->has_sccp = true;
    } else {
        t->without++;
        t->differ += gt_facts_differ(t, v, "", "");
    }
}

/* derive_facts' GT facts (issue 16: a message without SCCP takes the answer of no GT worked
 * out when the firewall was made) against packing and the trie, with the memo and without. */
static void gt_facts_as_reference(void)
{
    char err[4096];
    ssgw_pipeline_config pc = {.policy = POLICY, .stages = SSGW_PL_ALL};
    ssgw_pipeline *p = ssgw_pipeline_new(&pc, err, sizeof err);
    CHECK(p != NULL);
    if (!p) return;
    gt_facts_tally t = {.pol = ssgw_pipeline_policy(p), .fw = ssgw_pipeline_firewall(p)};
    CHECK_INT(attack_run(p, 13, 4000, gt_facts_of, &t), 0);
    printf("    %zu views with SCCP, %zu without; %zu differ\n", t.with_sccp, t.without, t.differ);
    CHECK_INT(t.differ, 0);
    CHECK(t.with_sccp > 1000 && t.without > 100); /* ISUP calls among them */
    ssgw_pipeline_free(p);
}

int main(void)
{
    RUN(partner_as_trust_for_gt);
    RUN(memo_odd_arrays);
    RUN(gt_facts_as_reference);
    return check_summary();
}
