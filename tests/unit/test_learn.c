/* test_learn.c - learn mode (include/ssgw/learn.h, docs/checks.md "Learn mode"): from
 * hand-built traffic of the example network judged with a policy that knows only the home
 * network, the learner proposes each partner (prefix, point codes, MCC-MNC from category 2
 * operations and from our VLR's updateLocation, node GTs by subsystem, category 1
 * operations as the agreement) and the rates; the proposal loads, and with it the same
 * traffic passes every check in enforce mode. Rates are checked against the store's own
 * token buckets: bursty random traffic, learnt at the 100th percentile, is never
 * rate-limited when replayed; the percentile, the untracked keys and the period too. */
#include "fw_msg.h"
#include "ssgw/learn.h"

static const char *home = "[home]\nname = \"Albion Mobile\"\ncountry = \"GB\"\n"
                          "mcc_mnc = [\"23491\"]\ngt_prefixes = [\"447924\"]\n"
                          "msisdn_prefixes = [\"447924\"]\npoint_codes = [1001]\n"
                          "hlr = [\"447924000001\"]\nvlr = [\"447924000010\"]\n";

static ssgw_policy *load(const char *a, const char *b)
{
    size_t n = strlen(home) + strlen(a) + strlen(b) + 4;
    char *t = malloc(n);
    snprintf(t, n, "%s\n%s\n%s", home, a, b);
    ssgw_config_errors errs;
    ssgw_policy *p = ssgw_policy_load_string("learn-test.conf", t, strlen(t), &errs);
    for (size_t i = 0; !p && i < errs.n; i++)
        fprintf(stderr, "%s\n", errs.e[i].text);
    free(t);
    CHECK(p != NULL);
    return p;
}

/* The proposal of l with policy p, as a string (malloc'ed). */
static char *proposal(ssgw_learner *l, const ssgw_policy *p)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK_INT(ssgw_learner_write(l, p, f), 0);
    fclose(f);
    return buf;
}

/* The [[partner]] table named name in text, up to the next table (malloc'ed), or NULL. */
static char *table_of(const char *text, const char *name)
{
    char key[128];
    snprintf(key, sizeof key, "name = \"%s\"\n", name);
    const char *s = strstr(text, key);
    if (!s) return NULL;
    const char *e = strstr(s, "\n[[");
    size_t n = e ? (size_t)(e - s) : strlen(s);
    char *t = malloc(n + 1);
    memcpy(t, s, n);
    t[n] = '\0';
    return t;
}

#define LEARN "[policy]\ncheck_mode = \"learn\"\n[learn]\noutput = \"/dev/null\"\n"

static const fw_spec traffic[] = {
    /* Safari's VLR registers our subscriber */
    {2001, 1001, FW_KE_VLR, 7, FW_HLR, 6, SSGW_TCAP_BEGIN, 0x10, 0, 1, 3, 2, FW_OURS, NULL,
     FW_KE_VLR, "254722000011", NULL, 0},
    /* Safari's HLR inserts data about its subscriber in our VLR (category 2) */
    {2001, 1001, FW_KE_HLR, 6, FW_VLR, 7, SSGW_TCAP_BEGIN, 0x11, 0, 16, 3, 7, FW_KE_SUB, NULL, NULL,
     NULL, NULL, 0},
    /* Safari's SMSC: sendRoutingInfoForSM for our number, then mt-forwardSM */
    {2001, 1001, FW_KE_SC, 8, FW_HLR, 6, SSGW_TCAP_BEGIN, 0x12, 0, 20, 3, 45, NULL, "447924100001",
     NULL, NULL, FW_KE_SC, 0},
    {2001, 1001, FW_KE_SC, 8, "447924000011", 8, SSGW_TCAP_BEGIN, 0x13, 0, 25, 3, 44, NULL, NULL,
     NULL, NULL, FW_KE_SC, 0},
    /* Rhein's gsmSCF: anyTimeInterrogation (category 1) */
    {2002, 1001, "491710000030", 147, FW_HLR, 6, SSGW_TCAP_BEGIN, 0x14, 0, 29, 3, 71, NULL,
     "447924100002", NULL, NULL, NULL, 0},
    /* our VLR registers a Lagos subscriber at its HLR (outbound) */
    {1001, 2003, FW_VLR, 7, "234803000001", 6, SSGW_TCAP_BEGIN, 0x15, 0, 1, 3, 2, "621300000000789",
     NULL, FW_VLR, "447924000011", NULL, 0},
};
#define NTRAFFIC (sizeof traffic / sizeof traffic[0])

static void partners_proposed_and_passing(void)
{
    ssgw_policy *p = load(LEARN, "");
    ssgw_firewall *fw = ssgw_firewall_new(p, NULL);
    ssgw_learner *l = ssgw_learner_new(p);
    ssgw_firewall_set_learner(fw, l);
    /* what a policy that knows no partner says about this traffic */
    int objections = 0;
    for (size_t i = 0; i < NTRAFFIC; i++) {
        CHECK_STR(fw_run(fw, &traffic[i], 1000000 + i * 1000), "default");
        for (size_t c = 0; c < ssgw_check_count(); c++) {
            ssgw_fw_check_stats cs;
            ssgw_firewall_check_stats(fw, c, &cs);
            objections += (int)cs.learned;
        }
    }
    CHECK(objections > 0);
    ssgw_learner_stats st;
    ssgw_learner_get_stats(l, &st);
    CHECK_INT(st.messages, NTRAFFIC);
    CHECK_INT(st.partners, 3);
    char *text = proposal(l, p);
    char *ke = table_of(text, "learnt-KE-254722"), *de = table_of(text, "learnt-DE-491710"),
         *ng = table_of(text, "learnt-NG-234803");
    CHECK(ke && de && ng);
    if (ke && de && ng) {
        CHECK(strstr(ke, "country = \"KE\"\n") != NULL);
        CHECK(strstr(ke, "gt_prefixes = [\"254722\"]\n") != NULL);
        CHECK(strstr(ke, "mcc_mnc = [\"63902\"]\n") != NULL); /* from the category 2 ISD */
        CHECK(strstr(ke, "point_codes = [2001]\n") != NULL);
        CHECK(strstr(ke, "hlr = [\"254722000001\"]\n") != NULL);
        CHECK(strstr(ke, "vlr = [\"254722000010\"]\n") != NULL);
        CHECK(strstr(ke, "msc = [\"254722000011\"]\n") != NULL); /* the MSC of its UL */
        CHECK(strstr(ke, "smsc = [\"254722000020\"]\n") != NULL);
        CHECK(strstr(ke, "allow") == NULL);
        CHECK(strstr(ke, "updateLocation 1") != NULL);
        CHECK(strstr(de, "allow = [\"anyTimeInterrogation\"]\n") != NULL);
        CHECK(strstr(de, "gsmscf = [\"491710000030\"]\n") != NULL);
        CHECK(strstr(ng, "mcc_mnc = [\"62130\"]\n") != NULL); /* our VLR's UL to its HLR */
        CHECK(strstr(ng, "hlr = [\"234803000001\"]\n") != NULL);
        CHECK(strstr(ng, "point_codes") == NULL); /* it never sent to us */
    }
    /* loaded, the same traffic passes every check in enforce mode */
    ssgw_policy *q = load(text, "");
    ssgw_firewall *fq = q ? ssgw_firewall_new(q, NULL) : NULL;
    for (size_t i = 0; fq && i < NTRAFFIC; i++) {
        CHECK_STR(fw_run(fq, &traffic[i], 1000000 + i * 1000), "default");
        CHECK(fw_vd.pass && fw_vd.enforced);
    }
    /* and the proposal did not open the door: an ATI from Safari is category 1 */
    fw_spec ati = traffic[4];
    ati.opc = 2001;
    ati.cg = FW_KE_HLR;
    ati.cg_ssn = 147;
    CHECK_STR(fw_run(fq, &ati, 2000000), "cat1.operation");
    /* nor can a GT of Safari arrive from another point code */
    fw_spec spoofed = traffic[1];
    spoofed.opc = 2009;
    CHECK_STR(fw_run(fq, &spoofed, 2000000), "spoof.peer_mismatch");
    ssgw_firewall_free(fq);
    ssgw_policy_free(q);
    free(ke);
    free(de);
    free(ng);
    free(text);
    ssgw_learner_free(l);
    ssgw_firewall_free(fw);
    ssgw_policy_free(p);
}

/* Partners of the policy keep their settings and gain what was seen. */
static void known_partners_extended(void)
{
    ssgw_policy *p = load(LEARN, "[[partner]]\nname = \"Safari Mobile\"\ncountry = \"KE\"\n"
                                 "gt_prefixes = [\"254722\"]\ntrust = \"off\"\n"
                                 "[[partner]]\nname = \"Lagos Mobile\"\nmcc_mnc = [\"62130\"]\n"
                                 "gt_prefixes = [\"234803\"]\nhlr = [\"234803000001\"]\n");
    ssgw_firewall *fw = ssgw_firewall_new(p, NULL);
    ssgw_learner *l = ssgw_learner_new(p);
    ssgw_firewall_set_learner(fw, l);
    for (size_t i = 0; i < NTRAFFIC; i++)
        fw_run(fw, &traffic[i], 1000000 + i * 1000);
    char *text = proposal(l, p);
    char *ke = table_of(text, "Safari Mobile");
    CHECK(ke != NULL);
    if (ke) {
        CHECK(strstr(ke, "trust = \"off\"\n") != NULL);
        CHECK(strstr(ke, "point_codes = [2001]\n") != NULL);
        CHECK(strstr(ke, "mcc_mnc = [\"63902\"]\n") != NULL);
        CHECK(strstr(ke, "learn-test.conf:") != NULL);
    }
    /* Lagos learnt nothing new (its HLR and MCC-MNC are known): confirmed, not rewritten */
    CHECK(table_of(text, "Lagos Mobile") == NULL);
    CHECK(strstr(text, "leaves as they are: Lagos Mobile") != NULL);
    free(ke);
    free(text);
    ssgw_learner_free(l);
    ssgw_firewall_free(fw);
    ssgw_policy_free(p);
}

/* Bursty traffic from 8 calling GTs over 10 minutes: learnt at the 100th percentile, then
 * replayed against a policy with the proposed [rate]: the store's token buckets refuse
 * nothing. A quarter of the proposed limit refuses something (the check is not vacuous). */
static void rates_give_no_drops(void)
{
    enum { N = 4000 };
    static fw_spec msgs[N];
    static uint64_t times[N];
    static char gts[8][16];
    uint64_t t = 5000000;
    for (int g = 0; g < 8; g++)
        snprintf(gts[g], sizeof gts[g], "4917100%05d", g);
    for (int i = 0; i < N; i++) {
        /* bursts: mostly a few ms apart, now and then a pause of up to 2 s */
        t += check_rand() % 10 == 0 ? check_rand() % 2000 : check_rand() % 15;
        times[i] = t;
        msgs[i] = traffic[4];
        msgs[i].cg = gts[check_rand() % 8];
        msgs[i].otid = (uint32_t)i + 1;
    }
    ssgw_policy *p = load("[policy]\ncheck_mode = \"learn\"\n[learn]\noutput = \"/dev/null\"\n"
                          "rate_percentile = \"100\"\n",
                          "");
    ssgw_firewall *fw = ssgw_firewall_new(p, NULL);
    ssgw_learner *l = ssgw_learner_new(p);
    ssgw_firewall_set_learner(fw, l);
    for (int i = 0; i < N; i++)
        fw_run(fw, &msgs[i], times[i]);
    char *text = proposal(l, p);
    const char *r = strstr(text, "\ncalling_gt = \"");
    unsigned limit = 0, period = 0;
    CHECK(r && sscanf(r, "\ncalling_gt = \"%u/%us\"", &limit, &period) == 2);
    CHECK_INT(period, 1);
    CHECK(limit > 3);
    /* only the rate checks, in enforce mode, with the proposed rates */
    char extra[600];
    snprintf(extra, sizeof extra,
             "[policy]\ncheck_mode = \"off\"\n[[check]]\nname = \"rate.calling_gt\"\n"
             "mode = \"enforce\"\n[rate]\ncalling_gt = \"%u/1s\"\n",
             limit);
    ssgw_policy *q = load(extra, "");
    ssgw_firewall *fq = ssgw_firewall_new(q, NULL);
    int refused = 0;
    for (int i = 0; i < N; i++)
        refused += strcmp(fw_run(fq, &msgs[i], times[i]), "default") != 0;
    CHECK_INT(refused, 0);
    ssgw_firewall_free(fq);
    ssgw_policy_free(q);
    snprintf(extra, sizeof extra,
             "[policy]\ncheck_mode = \"off\"\n[[check]]\nname = \"rate.calling_gt\"\n"
             "mode = \"enforce\"\n[rate]\ncalling_gt = \"%u/1s\"\n",
             limit / 4);
    q = load(extra, "");
    fq = ssgw_firewall_new(q, NULL);
    refused = 0;
    for (int i = 0; i < N; i++)
        refused += strcmp(fw_run(fq, &msgs[i], times[i]), "default") != 0;
    CHECK(refused > 0);
    ssgw_firewall_free(fq);
    ssgw_policy_free(q);
    free(text);
    ssgw_learner_free(l);
    ssgw_firewall_free(fw);
    ssgw_policy_free(p);
}

/* One calling GT with 30 messages in a second, then 1,500 with one each, of which
 * [learn] max_keys = 1024 keeps the first: the 99.9th percentile of 1,024 peaks is 1
 * (limit 2) and the busy key is counted above it; at the 100th percentile it is 31. */
static void percentile_and_caps(void)
{
    const char *pcts[] = {"99.9", "100"};
    for (int k = 0; k < 2; k++) {
        char extra[200];
        snprintf(extra, sizeof extra,
                 "[policy]\ncheck_mode = \"learn\"\n[learn]\noutput = \"/dev/null\"\n"
                 "rate_percentile = \"%s\"\nmax_keys = 1024\n",
                 pcts[k]);
        ssgw_policy *p = load(extra, "");
        ssgw_firewall *fw = ssgw_firewall_new(p, NULL);
        ssgw_learner *l = ssgw_learner_new(p);
        ssgw_firewall_set_learner(fw, l);
        fw_spec m = traffic[4];
        for (int i = 0; i < 30; i++)
            fw_run(fw, &m, 1000000 + (uint64_t)i * 10);
        char gt[16];
        for (int i = 0; i < 1500; i++) {
            snprintf(gt, sizeof gt, "33612%07d", i);
            m.cg = gt;
            fw_run(fw, &m, 2000000 + (uint64_t)i * 100);
        }
        char *text = proposal(l, p);
        /* max_keys = 1024: 1,501 calling GTs do not all fit */
        ssgw_learner_stats st;
        ssgw_learner_get_stats(l, &st);
        CHECK(st.untracked >= 1501 - 1024);
        CHECK(strstr(text, "beyond [learn] max_keys") != NULL);
        if (k == 0) {
            CHECK(strstr(text, "\ncalling_gt = \"2/1s\"\n") != NULL);
            CHECK(strstr(text, "1 key above this limit") != NULL);
            CHECK(strstr(text, "proposes 31") != NULL);
        } else {
            CHECK(strstr(text, "\ncalling_gt = \"31/1s\"\n") != NULL);
        }
        free(text);
        ssgw_learner_free(l);
        ssgw_firewall_free(fw);
        ssgw_policy_free(p);
    }
}

/* The period counts from the first message; afterwards nothing more is learnt. */
static void period(void)
{
    ssgw_policy *p = load(
        "[policy]\ncheck_mode = \"learn\"\n[learn]\noutput = \"/dev/null\"\nperiod = 60\n", "");
    CHECK_INT(ssgw_policy_learn_period_ms(p), 60000);
    CHECK_STR(ssgw_policy_learn_output(p), "/dev/null");
    ssgw_firewall *fw = ssgw_firewall_new(p, NULL);
    ssgw_learner *l = ssgw_learner_new(p);
    ssgw_firewall_set_learner(fw, l);
    CHECK(!ssgw_learner_period_over(l, 0)); /* not started */
    fw_run(fw, &traffic[0], 100000);
    fw_run(fw, &traffic[1], 159999);
    fw_run(fw, &traffic[2], 160000); /* past the period: not learnt */
    CHECK(!ssgw_learner_period_over(l, 159999));
    CHECK(ssgw_learner_period_over(l, 160000));
    ssgw_learner_stats st;
    ssgw_learner_get_stats(l, &st);
    CHECK_INT(st.messages, 2);
    ssgw_learner_freeze(l);
    fw_run(fw, &traffic[3], 110000);
    ssgw_learner_get_stats(l, &st);
    CHECK_INT(st.messages, 2);
    CHECK(st.frozen);
    ssgw_learner_free(l);
    ssgw_firewall_free(fw);
    ssgw_policy_free(p);
}

int main(void)
{
    RUN(partners_proposed_and_passing);
    RUN(known_partners_extended);
    RUN(rates_give_no_drops);
    RUN(percentile_and_caps);
    RUN(period);
    ssgw_decoder_free(fw_dec);
    return check_summary();
}
