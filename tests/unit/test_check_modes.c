/* test_check_modes.c - the modes of the built-in checks (docs/checks.md "Modes"): off,
 * learn (counted, never decides), test (the verdict, reported and not applied, unless a
 * later check in enforce mode refuses), enforce; [policy] check_mode, [[check]] mode and
 * its agreement with enabled; monitor mode on top; the management API's switches
 * (firewall switches) and learn-all; the configuration errors. Messages are hand-built
 * for the example network (fw_msg.h). */
#include "fw_msg.h"
#include "ssgw/diameter.h"

static ssgw_policy *pol;
static ssgw_firewall *fw;

static void load(const char *extra)
{
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
    ssgw_config_errors errs;
    pol = fw_policy(extra, &errs);
    CHECK(pol != NULL);
    fw = pol ? ssgw_firewall_new(pol, NULL) : NULL;
}

/* anyTimeInterrogation from a GT of no partner: cat1.operation objects (and nothing else) */
static const fw_spec ati = {2009,  1001, FW_EVIL, 147, FW_HLR, 6,    SSGW_TCAP_BEGIN,
                            0x100, 0,    29,      3,   71,     NULL, "447924100001",
                            NULL,  NULL, NULL,    0};
/* insertSubscriberData about our subscriber from SSN 8 of a GT of no partner:
 * spoof.ssn_mismatch and, later in the registry, cat2.own_subscriber both object */
static const fw_spec isd = {2009,  1001, FW_EVIL, 8, FW_VLR, 7,       SSGW_TCAP_BEGIN,
                            0x200, 0,    16,      3, 7,      FW_OURS, NULL,
                            NULL,  NULL, NULL,    0};

static ssgw_fw_check_stats stats_of(const char *name)
{
    ssgw_fw_check_stats cs;
    ssgw_firewall_check_stats(fw, (size_t)ssgw_check_find(name), &cs);
    return cs;
}

static void enforce_is_the_default(void)
{
    load("");
    CHECK_INT(ssgw_policy_check_mode(pol, (size_t)ssgw_check_find("cat1.operation")),
              SSGW_CHECK_ENFORCE);
    CHECK_STR(fw_run(fw, &ati, 1000), "cat1.operation");
    CHECK(fw_vd.enforced && !fw_vd.pass);
    CHECK_INT(fw_vd.action, SSGW_ACT_ANSWER);
    CHECK_INT(stats_of("cat1.operation").enforced, 1);
    CHECK_INT(stats_of("cat1.operation").tested, 0);
    CHECK(!ssgw_policy_learning(pol));
}

static void test_mode_reports_without_acting(void)
{
    load("[[check]]\nname = \"cat1.operation\"\nmode = \"test\"\n");
    CHECK_STR(fw_run(fw, &ati, 1000), "cat1.operation");
    CHECK_INT(fw_vd.action, SSGW_ACT_ANSWER); /* the verdict it would apply */
    CHECK_INT(fw_vd.answer.kind, SSGW_ANSWER_MAP_ERROR);
    CHECK(!fw_vd.enforced && fw_vd.pass);
    CHECK(strstr(fw_vd.reason, "anyTimeInterrogation") != NULL);
    ssgw_fw_check_stats cs = stats_of("cat1.operation");
    CHECK_INT(cs.mode, SSGW_CHECK_TEST);
    CHECK_INT(cs.tested, 1);
    CHECK_INT(cs.enforced, 0);
    const ssgw_firewall_stats *st = ssgw_firewall_get_stats(fw);
    CHECK_INT(st->passed, 1);
    CHECK_INT(st->blocked, 0);
    CHECK_INT(st->by_action[SSGW_ACT_ANSWER], 1);
}

static void a_later_enforce_check_still_refuses(void)
{
    load("[[check]]\nname = \"spoof.ssn_mismatch\"\nmode = \"test\"\n");
    CHECK_STR(fw_run(fw, &isd, 1000), "cat2.own_subscriber");
    CHECK(fw_vd.enforced && !fw_vd.pass);
    CHECK(strstr(fw_vd.reason, "own subscriber") != NULL);
    CHECK_INT(stats_of("spoof.ssn_mismatch").tested, 0); /* it did not give the verdict */
    /* both in test mode: the first gives the verdict, nothing refuses */
    load("[[check]]\nname = \"spoof.ssn_mismatch\"\nmode = \"test\"\n"
         "[[check]]\nname = \"cat2.own_subscriber\"\nmode = \"test\"\n");
    CHECK_STR(fw_run(fw, &isd, 1000), "spoof.ssn_mismatch");
    CHECK(!fw_vd.enforced && fw_vd.pass);
    CHECK(strstr(fw_vd.reason, "SSN 8") != NULL);
    CHECK_INT(stats_of("spoof.ssn_mismatch").tested, 1);
    CHECK_INT(stats_of("cat2.own_subscriber").tested, 0);
}

static void learn_mode_never_decides(void)
{
    load("[policy]\ncheck_mode = \"learn\"\n[learn]\noutput = \"/dev/null\"\n");
    CHECK(ssgw_policy_learning(pol));
    CHECK_STR(fw_run(fw, &isd, 1000), "default");
    CHECK(fw_vd.enforced && fw_vd.pass);
    CHECK_INT(fw_vd.action, SSGW_ACT_ALLOW);
    CHECK_STR(fw_vd.reason, "no check objected");
    CHECK_INT(stats_of("spoof.ssn_mismatch").learned, 1);
    CHECK_INT(stats_of("cat2.own_subscriber").learned, 1);
    /* one check in enforce mode among learners decides */
    load("[policy]\ncheck_mode = \"learn\"\n[learn]\noutput = \"/dev/null\"\n"
         "[[check]]\nname = \"cat2.own_subscriber\"\nmode = \"enforce\"\n");
    CHECK_STR(fw_run(fw, &isd, 1000), "cat2.own_subscriber");
    CHECK(fw_vd.enforced && !fw_vd.pass);
    CHECK_INT(stats_of("spoof.ssn_mismatch").learned, 1);
}

static void off_and_enabled(void)
{
    load("[[check]]\nname = \"cat1.operation\"\nmode = \"off\"\n");
    CHECK_STR(fw_run(fw, &ati, 1000), "default");
    load("[[check]]\nname = \"cat1.operation\"\nenabled = false\n");
    CHECK_INT(ssgw_policy_check_mode(pol, (size_t)ssgw_check_find("cat1.operation")),
              SSGW_CHECK_OFF);
    CHECK_STR(fw_run(fw, &ati, 1000), "default");
    /* [policy] check_mode is the default of every check, a [[check]] overrides it */
    load("[policy]\ncheck_mode = \"test\"\n[[check]]\nname = \"cat2.own_subscriber\"\n"
         "mode = \"enforce\"\n");
    CHECK_STR(fw_run(fw, &ati, 1000), "cat1.operation");
    CHECK(!fw_vd.enforced && fw_vd.pass);
    CHECK_STR(fw_run(fw, &isd, 1000), "cat2.own_subscriber");
    CHECK(fw_vd.enforced && !fw_vd.pass);
}

static void monitor_turns_enforce_into_test(void)
{
    load("[policy]\nmode = \"monitor\"\n");
    CHECK_STR(fw_run(fw, &isd, 1000), "spoof.ssn_mismatch"); /* the first objection, as before */
    CHECK(!fw_vd.enforced && fw_vd.pass);
    CHECK_INT(stats_of("spoof.ssn_mismatch").mode, SSGW_CHECK_TEST);
    CHECK_INT(stats_of("cat2.own_subscriber").tested, 0); /* not evaluated after it */
    /* monitor set by the front end (analyze --monitor) */
    load("");
    ssgw_firewall_set_monitor(fw, true);
    CHECK_STR(fw_run(fw, &ati, 1000), "cat1.operation");
    CHECK(!fw_vd.enforced && fw_vd.pass);
    ssgw_firewall_set_monitor(fw, false);
    CHECK_STR(fw_run(fw, &ati, 1000), "cat1.operation");
    CHECK(fw_vd.enforced && !fw_vd.pass);
}

static void switches(void)
{
    load("[[check]]\nname = \"cat1.operation\"\nmode = \"off\"\n");
    /* enable: the file's mode, or enforce when the file says off */
    CHECK_INT(ssgw_firewall_switch_check(fw, "cat1.operation", SSGW_FW_SWITCH_ON), 0);
    CHECK_INT(stats_of("cat1.operation").mode, SSGW_CHECK_ENFORCE);
    CHECK_STR(fw_run(fw, &ati, 1000), "cat1.operation");
    CHECK(fw_vd.enforced);
    CHECK_INT(ssgw_firewall_switch_check(fw, "cat1.operation", SSGW_FW_SWITCH_TEST), 0);
    CHECK_STR(fw_run(fw, &ati, 1000), "cat1.operation");
    CHECK(!fw_vd.enforced && fw_vd.pass);
    CHECK_INT(ssgw_firewall_switch_check(fw, "cat1.operation", SSGW_FW_SWITCH_LEARN), 0);
    CHECK_STR(fw_run(fw, &ati, 1000), "default");
    CHECK_INT(stats_of("cat1.operation").learned, 1);
    CHECK_INT(ssgw_firewall_switch_check(fw, "cat1.operation", SSGW_FW_SWITCH_ENFORCE), 0);
    CHECK_STR(fw_run(fw, &ati, 1000), "cat1.operation");
    CHECK(fw_vd.enforced && !fw_vd.pass);
    CHECK_INT(ssgw_firewall_switch_check(fw, "cat1.operation", SSGW_FW_SWITCH_RESET), 0);
    CHECK_INT(stats_of("cat1.operation").mode, SSGW_CHECK_OFF);
    CHECK_STR(fw_run(fw, &ati, 1000), "default");
    /* a file in test mode: enable keeps test */
    load("[[check]]\nname = \"cat1.operation\"\nmode = \"test\"\n");
    ssgw_firewall_switch_check(fw, "cat1.operation", SSGW_FW_SWITCH_ON);
    CHECK_INT(stats_of("cat1.operation").mode, SSGW_CHECK_TEST);
    /* monitor mode stays on top of an API enforce */
    load("[policy]\nmode = \"monitor\"\n");
    ssgw_firewall_switch_check(fw, "cat1.operation", SSGW_FW_SWITCH_ENFORCE);
    CHECK_STR(fw_run(fw, &ati, 1000), "cat1.operation");
    CHECK(!fw_vd.enforced && fw_vd.pass);
    CHECK_INT(ssgw_firewall_switch_check(fw, "no.such_check", SSGW_FW_SWITCH_TEST), -1);
}

static void learn_all(void)
{
    load("[[check]]\nname = \"cat1.operation\"\nmode = \"off\"\n");
    ssgw_firewall_set_learn_all(fw, true);
    CHECK_INT(stats_of("cat1.operation").mode, SSGW_CHECK_OFF); /* off stays off */
    CHECK_INT(stats_of("cat2.own_subscriber").mode, SSGW_CHECK_LEARN);
    CHECK_STR(fw_run(fw, &isd, 1000), "default");
    CHECK(fw_vd.pass && fw_vd.enforced);
}

/* A test-mode verdict does not teach state: a forged location update reported in test mode
 * does not move the subscriber. */
static void test_verdicts_teach_nothing(void)
{
    load("[policy]\ncheck_mode = \"test\"\n");
    fw_spec ul = {2001, 1001, FW_KE_VLR, 7,       FW_HLR, 6,         SSGW_TCAP_BEGIN, 0x500, 0,
                  1,    3,    2,         FW_OURS, NULL,   FW_KE_VLR, "254722000011",  NULL,  0};
    CHECK_STR(fw_run(fw, &ul, 1000 * 1000), "default"); /* learned: in Kenya */
    fw_spec forged = ul;
    forged.vlr = "3460000001";
    CHECK_STR(fw_run(fw, &forged, 1010 * 1000), "spoof.vlr_mismatch");
    CHECK(!fw_vd.enforced && fw_vd.pass);
    ssgw_store_location loc;
    ssgw_store *s = ssgw_firewall_store(fw);
    CHECK_INT(s->ops->location_get(s, ssgw_store_pack_digits(FW_OURS), &loc), 1);
    CHECK_INT(loc.vlr, ssgw_store_pack_digits(FW_KE_VLR));
}

static void config_errors(void)
{
    ssgw_config_errors errs;
    ssgw_policy *p = fw_policy("[[check]]\nname = \"cat1.operation\"\nenabled = false\n"
                               "mode = \"enforce\"\n",
                               &errs);
    CHECK(p == NULL);
    CHECK(errs.n >= 1 && strstr(errs.e[0].text, "enabled = false contradicts mode"));
    p = fw_policy("[[check]]\nname = \"cat1.operation\"\nmode = \"learn\"\n", &errs);
    CHECK(p == NULL);
    CHECK(errs.n >= 1 && strstr(errs.e[0].text, "[learn] output is not set"));
    p = fw_policy("[[check]]\nname = \"cat1.operation\"\nmode = \"learning\"\n", &errs);
    CHECK(p == NULL);
    CHECK(errs.n >= 1 && strstr(errs.e[0].text, "enforce|test|learn|off"));
    p = fw_policy("[policy]\ncheck_mode = \"monitor\"\n", &errs);
    CHECK(p == NULL);
    p = fw_policy("[learn]\noutput = \"x.conf\"\nrate_percentile = \"49\"\n", &errs);
    CHECK(p == NULL);
    CHECK(errs.n >= 1 && strstr(errs.e[0].text, "percentile from 50 to 100"));
    p = fw_policy("[learn]\noutput = \"x.conf\"\nrate_percentile = \"99.95\"\n", &errs);
    CHECK(p != NULL);
    ssgw_policy_free(p);
    CHECK_STR(ssgw_check_mode_name(SSGW_CHECK_TEST), "test");
    CHECK_INT(ssgw_check_mode_parse("learn"), SSGW_CHECK_LEARN);
    CHECK_INT(ssgw_check_mode_parse("monitor"), -1);
}

/* A ULR about our subscriber from a realm that is nobody's (Diameter S6a): the Diameter
 * checks run apart from the SS7 ones, and take modes the same way. */
static const char *judge_pur(void)
{
    static uint8_t wire[512];
    static ssgw_view v;
    ssgw_buf b;
    ssgw_buf_init(&b, wire, sizeof wire);
    ssgw_diam_enc e;
    /* a Purge-UE (a ULR would need a Visited-PLMN-Id, which diameter.visited_plmn judges) */
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R | SSGW_DIAM_FLAG_P, SSGW_DIAM_CMD_PURGE_UE,
                        SSGW_DIAM_APP_S6A, 1, 2);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_SESSION_ID, 0, "mme.example.net;1;2");
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_AUTH_SESSION_STATE, 0, 1);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, "mme.example.net");
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, "example.net");
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_DESTINATION_REALM, 0, "epc.mnc091.mcc234.3gppnetwork.org");
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_USER_NAME, 0, FW_OURS);
    long n = ssgw_diam_enc_end(&e);
    CHECK(n > 0);
    CHECK_INT(ssgw_view_decode_diameter(&v, wire, (size_t)n), 0);
    ssgw_firewall_meta meta = {1000, SSGW_DIR_INBOUND, false, 0, NULL, NULL, 0};
    CHECK_INT(ssgw_firewall_judge(fw, &v, &meta, &fw_vd), 0);
    return fw_vd.check;
}

static void diameter_checks_have_modes(void)
{
    load("");
    CHECK_STR(judge_pur(), "diameter.origin_realm");
    CHECK(fw_vd.enforced && !fw_vd.pass);
    CHECK_INT(fw_vd.answer.kind, SSGW_ANSWER_DIAMETER);
    CHECK_INT(stats_of("diameter.origin_realm").enforced, 1);
    load("[[check]]\nname = \"diameter.origin_realm\"\nmode = \"test\"\n");
    CHECK_STR(judge_pur(), "diameter.origin_realm");
    CHECK(!fw_vd.enforced && fw_vd.pass);
    CHECK(strstr(fw_vd.reason, "example.net") != NULL);
    CHECK_INT(stats_of("diameter.origin_realm").tested, 1);
    load("[[check]]\nname = \"diameter.origin_realm\"\nmode = \"learn\"\n"
         "[learn]\noutput = \"/dev/null\"\n");
    CHECK(strcmp(judge_pur(), "diameter.origin_realm") != 0);
    CHECK_INT(stats_of("diameter.origin_realm").learned, 1);
    load("[policy]\nmode = \"monitor\"\n");
    CHECK_STR(judge_pur(), "diameter.origin_realm");
    CHECK(!fw_vd.enforced && fw_vd.pass);
}

int main(void)
{
    RUN(enforce_is_the_default);
    RUN(test_mode_reports_without_acting);
    RUN(a_later_enforce_check_still_refuses);
    RUN(learn_mode_never_decides);
    RUN(off_and_enabled);
    RUN(monitor_turns_enforce_into_test);
    RUN(switches);
    RUN(learn_all);
    RUN(test_verdicts_teach_nothing);
    RUN(config_errors);
    RUN(diameter_checks_have_modes);
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
    ssgw_decoder_free(fw_dec);
    return check_summary();
}
