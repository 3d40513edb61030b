/*
 * test_check_lists.c - the firewall runs on a message only the checks that may object to it
 * (ssgw_check_may_object: the call.* checks only with ISUP, the checks of some inbound MAP
 * operations only for those, by policy operation or by the opcode that may become it: the
 * sms.* checks of an SMS-DELIVER only for forwardSM; no CAP, SCCP management or ANSI TCAP
 * check on MAP; the dialogue checks only on a message that names a dialogue), issue 16. The
 * reference is the firewall running every check on every message (ssgw_firewall_set_every_check),
 * as it did before the lists: labelled attack traffic (ssgw_attack, fixed seed, MAP, SMS and ISUP
 * calls) goes through two pipelines of the example policy, once as configured and once with every
 * check in learn mode (each objection of each check is counted, none decides, so a check left out
 * where it would have objected shows in its count). Verdicts must be the same message by message,
 * and every check's counts the same.
 */
#include <stdlib.h>
#include <string.h>

#include "attack_traffic.h"
#include "check.h"
#include "policy/policy_int.h"
#include "ssgw/firewall.h"
#include "ssgw/pipeline.h"

#define POLICY "../examples/ssgw.conf"
#define COUNT  12000

/* Runs the traffic through a pipeline (every check or the lists, learn-all or not): the
 * verdicts into v[], each check's enforced + tested + learned counts into counts[]. */
static int run(bool every, bool learn_all, uint64_t *v, uint64_t *counts, size_t n_counts)
{
    char err[4096];
    ssgw_pipeline_config pc = {.policy = POLICY, .stages = SSGW_PL_ALL};
    ssgw_pipeline *p = ssgw_pipeline_new(&pc, err, sizeof err);
    if (!p) {
        fprintf(stderr, "pipeline: %s\n", err);
        return -1;
    }
    ssgw_firewall *fw = ssgw_pipeline_firewall(p);
    ssgw_firewall_set_every_check(fw, every);
    ssgw_firewall_set_learn_all(fw, learn_all);
    int rc = attack_verdicts(p, 7, COUNT, v);
    for (size_t i = 0; i < n_counts; i++) {
        ssgw_fw_check_stats st;
        ssgw_firewall_check_stats(fw, i, &st);
        counts[i] = st.enforced + st.tested + st.learned;
    }
    ssgw_pipeline_free(p);
    return rc;
}

static void lists_keep_every_verdict(void)
{
    size_t n = ssgw_check_count();
    uint64_t *a = calloc(COUNT, sizeof *a), *b = calloc(COUNT, sizeof *b);
    uint64_t *ca = calloc(n, sizeof *ca), *cb = calloc(n, sizeof *cb);
    CHECK(a && b && ca && cb);
    for (int learn_all = 0; a && b && ca && cb && learn_all < 2; learn_all++) {
        CHECK_INT(run(true, learn_all, a, ca, n), 0);
        CHECK_INT(run(false, learn_all, b, cb, n), 0);
        size_t changed = 0, counted = 0, differ = 0;
        for (size_t i = 0; i < COUNT; i++)
            changed += a[i] != b[i];
        for (size_t i = 0; i < n; i++) {
            counted += ca[i] != 0;
            differ += ca[i] != cb[i];
            if (ca[i] != cb[i])
                printf("    %s: %" PRIu64 " objections with every check, %" PRIu64
                       " with the lists\n",
                       ssgw_check_at(i)->name, ca[i], cb[i]);
        }
        printf(
            "    learn_all %d: %zu checks objected; %zu verdicts and %zu checks' counts differ\n",
            learn_all, counted, changed, differ);
        CHECK_INT(changed, 0);
        CHECK_INT(differ, 0);
        CHECK(counted >= 20); /* the traffic makes most checks object: the counts mean something */
    }
    free(a);
    free(b);
    free(ca);
    free(cb);
}

/* The lists leave out what the checks' own conditions exclude, and nothing else. */
static void may_object_facts(void)
{
    int velocity = ssgw_check_find("cat3.velocity"), rate = ssgw_check_find("call.rate");
    int cat1 = ssgw_check_find("cat1.operation");
    CHECK(velocity >= 0 && rate >= 0 && cat1 >= 0);
    CHECK(ssgw_check_may_object((size_t)velocity, SSGW_CHECK_KIND_OTHER,
                                SSGW_MAP_OP_UPDATE_LOCATION));
    CHECK(!ssgw_check_may_object((size_t)velocity, SSGW_CHECK_KIND_OTHER,
                                 SSGW_MAP_OP_ANY_TIME_INTERROGATION));
    CHECK(!ssgw_check_may_object((size_t)velocity, SSGW_CHECK_KIND_OTHER, -1));
    CHECK(ssgw_check_may_object((size_t)rate, SSGW_CHECK_KIND_ISUP, -1));
    CHECK(!ssgw_check_may_object((size_t)rate, SSGW_CHECK_KIND_OTHER, SSGW_MAP_OP_UPDATE_LOCATION));
    CHECK(ssgw_check_may_object((size_t)cat1, SSGW_CHECK_KIND_OTHER, -1));
    /* by the first invoke's opcode: an SMS check for what forwardSM may be, nothing else */
    int url = ssgw_check_find("sms.url"), msisdn = ssgw_check_find("spoof.msisdn_network");
    int ssn = ssgw_check_find("spoof.ssn_mismatch");
    CHECK(url >= 0 && msisdn >= 0 && ssn >= 0);
    CHECK(ssgw_check_may_object((size_t)url, SSGW_CHECK_KIND_OTHER, SSGW_MAP_OP_MT_FORWARD_SM));
    CHECK(ssgw_check_may_object((size_t)url, SSGW_CHECK_KIND_OTHER, SSGW_MAP_OP_MO_FORWARD_SM));
    CHECK(!ssgw_check_may_object((size_t)url, SSGW_CHECK_KIND_OTHER, SSGW_MAP_OP_UPDATE_LOCATION));
    CHECK(!ssgw_check_may_object((size_t)url, SSGW_CHECK_KIND_OTHER, -1));
    CHECK(ssgw_check_may_object((size_t)msisdn, SSGW_CHECK_KIND_OTHER,
                                SSGW_MAP_OP_SEND_ROUTING_INFO));
    CHECK(
        !ssgw_check_may_object((size_t)msisdn, SSGW_CHECK_KIND_OTHER, SSGW_MAP_OP_UPDATE_LOCATION));
    CHECK(ssgw_check_may_object((size_t)ssn, SSGW_CHECK_KIND_OTHER, SSGW_MAP_OP_UPDATE_LOCATION));
    CHECK(
        !ssgw_check_may_object((size_t)ssn, SSGW_CHECK_KIND_OTHER, SSGW_MAP_OP_SEND_ROUTING_INFO));
    /* by kind: CAP, SCCP management and the dialogue checks where they may apply */
    int cap = ssgw_check_find("cap.to_scf_subscriber"), scmg = ssgw_check_find("scmg.foreign");
    int peer = ssgw_check_find("tcap.dialogue_peer_mismatch"),
        unknown = ssgw_check_find("tcap.unknown_dialogue");
    CHECK(cap >= 0 && scmg >= 0 && peer >= 0 && unknown >= 0);
    CHECK(ssgw_check_may_object((size_t)cap, SSGW_CHECK_KIND_OTHER, 0));
    CHECK(!ssgw_check_may_object((size_t)cap, SSGW_CHECK_KIND_MAP, 0));
    CHECK(!ssgw_check_may_object((size_t)cap, SSGW_CHECK_KIND_MAP_DIALOGUE, 0));
    CHECK(ssgw_check_may_object((size_t)scmg, SSGW_CHECK_KIND_OTHER, -1));
    CHECK(!ssgw_check_may_object((size_t)scmg, SSGW_CHECK_KIND_MAP, -1));
    for (int k = 0; k < 2; k++) {
        int i = k ? peer : unknown;
        CHECK(ssgw_check_may_object((size_t)i, SSGW_CHECK_KIND_OTHER, -1));
        CHECK(ssgw_check_may_object((size_t)i, SSGW_CHECK_KIND_MAP_DIALOGUE,
                                    SSGW_MAP_OP_UPDATE_LOCATION));
        CHECK(!ssgw_check_may_object((size_t)i, SSGW_CHECK_KIND_MAP, SSGW_MAP_OP_UPDATE_LOCATION));
    }
    CHECK(ssgw_check_may_object((size_t)cat1, SSGW_CHECK_KIND_MAP, -1));
}

/* The facts a check needs (ssgw_check_needs), by name: the unclassified-traffic checks judge
 * only an origin they screen, cat1.operation only a category 1 invoke, the cat2.* checks only
 * a category 2 invoke; every other check is in every list of its kind and operation. */
static void needs_by_name(void)
{
    static const struct {
        const char *name;
        unsigned needs;
    } gated[] = {
        {"class.unknown_user", SSGW_CHECK_FACT_JUDGED},
        {"class.unknown_context", SSGW_CHECK_FACT_JUDGED},
        {"class.map_v1_no_dialogue", SSGW_CHECK_FACT_JUDGED},
        {"class.global_opcode", SSGW_CHECK_FACT_JUDGED},
        {"class.unknown_operation", SSGW_CHECK_FACT_JUDGED},
        {"class.out_of_context", SSGW_CHECK_FACT_JUDGED},
        {"class.ansi_tcap", SSGW_CHECK_FACT_JUDGED},
        {"scmg.foreign", SSGW_CHECK_FACT_JUDGED},
        {"cat1.operation", SSGW_CHECK_FACT_CAT1},
        {"cat2.own_subscriber", SSGW_CHECK_FACT_CAT2},
        {"cat2.not_home_network", SSGW_CHECK_FACT_CAT2},
    };
    size_t found = 0;
    for (size_t i = 0; i < ssgw_check_count(); i++) {
        unsigned want = 0;
        for (size_t k = 0; k < sizeof gated / sizeof gated[0]; k++)
            if (!strcmp(ssgw_check_at(i)->name, gated[k].name)) {
                want = gated[k].needs;
                found++;
            }
        if (ssgw_check_needs(i) != want)
            printf("    %s needs %u, expected %u\n", ssgw_check_at(i)->name, ssgw_check_needs(i),
                   want);
        CHECK_INT(ssgw_check_needs(i), want);
    }
    CHECK_INT(found, sizeof gated / sizeof gated[0]); /* every name is a check's */
}

/* ssgw_policy_map_op_may_be admits every policy operation ssgw_policy_map_op gives an opcode,
 * over the contexts, versions and directions that decide it (op_family.c). */
static void map_op_may_be_covers(void)
{
    static const ssgw_map_acn mt = {.ac = SSGW_MAP_AC_SHORT_MSG_MT_RELAY},
                              mo = {.ac = SSGW_MAP_AC_SHORT_MSG_MO_RELAY},
                              other = {.ac = SSGW_MAP_AC_SHORT_MSG_GATEWAY};
    const ssgw_map_acn *acns[] = {NULL, &mt, &mo, &other};
    size_t tried = 0, missed = 0, narrow = 0;
    for (int code = 0; code <= SSGW_MAP_OPCODE_MAX; code++) {
        CHECK(ssgw_policy_map_op_may_be(code, code));
        for (size_t a = 0; a < sizeof acns / sizeof acns[0]; a++)
            for (int version = 0; version <= 4; version++)
                for (int dir = 0; dir <= 2; dir++) {
                    int pop = ssgw_policy_map_op(code, acns[a], version, dir);
                    tried++;
                    missed += !ssgw_policy_map_op_may_be(code, pop);
                }
        for (int pop = -1; pop <= SSGW_MAP_OPCODE_MAX; pop++)
            narrow += ssgw_policy_map_op_may_be(code, pop);
    }
    printf("    %zu cases, %zu missed; %zu (opcode, operation) pairs admitted\n", tried, missed,
           narrow);
    CHECK_INT(missed, 0);
    CHECK(narrow < 2 * (SSGW_MAP_OPCODE_MAX + 1)); /* a gate, not "always" */
}

int main(void)
{
    RUN(may_object_facts);
    RUN(map_op_may_be_covers);
    RUN(needs_by_name);
    RUN(lists_keep_every_verdict);
    return check_summary();
}
