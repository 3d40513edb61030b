/*
 * test_policy_components.c - a TCAP message with several components is judged component by
 * component (src/policy/firewall.c: judge_components), on the example policy:
 *
 * - insertSubscriberData about our subscriber from a partner's HLR is refused
 *   (cat2.own_subscriber), alone and with a second insertSubscriberData about the partner's
 *   own subscriber before or after it (the view keeps only the last component's parameters,
 *   so the second one used to hide the first: "no check objected");
 *   two about the partner's own subscribers still pass;
 * - the same with the check in test mode: the verdict is the test-mode objection (it passes,
 *   not enforced, counted as tested);
 * - a message with more components than the view decodes (SSGW_VIEW_MAX_COMPONENTS) is
 *   refused as malformed TCAP, since the rest would go unscreened; one with exactly that many
 *   passes;
 * - a forwardSM whose TPDU does not decode, first, does not stop the components being judged
 *   (the SMS checks mark the view in error while the whole message is judged);
 * - one decider counts per message: a test-mode objection replaced by a component's refusal
 *   is taken back from the counters;
 * - monitor mode still tells a component's refusal from the whole message's alert;
 * - the answer to a refused message carries a ReturnError for each of its invokes;
 * - rate limits count each component judged alone once, not the whole message on top;
 * - a broken TPDU before an mt-forwardSM that bypasses SMS home routing, and learning per
 *   component (a location proven by one component is not learnt for another's subscriber).
 * The expected verdicts are the single-component ones (TS 29.002: each component is an
 * operation of its own; GSMA FS.11 category 2: only the subscriber's home network sends it).
 */
#include "check.h"
#include "msgbuild.h"
#include "ssgw/sms.h"
#include "ssgw/view.h"

#define ISD             7  /* insertSubscriberData */
#define FORWARD_SM      46 /* forwardSM (MAP v1, v2) */
#define UPDATE_LOCATION 2
#define CANCEL_LOCATION 3
#define SEND_AUTH_INFO  56
#define PURGE_MS        67
#define MT_RELAY_V2     "0.4.0.0.1.0.25.2" /* shortMsgMT-RelayContext v2 */
#define NETWORK_LOC_UP  "0.4.0.0.1.0.1.3"
#define MS_PURGING      "0.4.0.0.1.0.27.3"
#define ISD_ACN         "0.4.0.0.1.0.16.3" /* subscriberDataMngtContext v3 */
#define SAFARI          2001               /* Safari Mobile's OPC (examples/ssgw.conf) */
#define HOME_STP        1001

static ssgw_decoder *dec;
static ssgw_policy *pol;
static ssgw_firewall *fw;
static ssgw_view view;
static ssgw_verdict vd;

/* One invoke: its operation, the IMSI its parameter names (NULL: no parameter), an
 * sm-RP-UI (forwardSM; NULL: none) going dir (SSGW_MAP_SM_TO_MS, _FROM_MS), and the VLR,
 * MSC and service centre numbers it carries (NULL: none). */
typedef struct {
    int op;
    const char *imsi;
    const uint8_t *ui;
    size_t ui_len;
    int dir;
    const char *vlr, *msc, *smsc;
} invoke;

/* Who sends: OPC, calling GT and SSN; to our node cd (SSN cd_ssn). */
typedef struct {
    uint32_t opc;
    const char *cg;
    uint8_t cg_ssn;
    const char *cd;
    uint8_t cd_ssn;
} sender;

static const sender safari_hlr = {SAFARI, KE_HLR, 6, VLR, 7};

/* A Begin from s naming context acn (NULL: no dialogue portion) in MAP version `version`
 * with the n invokes, judged at second t; returns the deciding check. */
static const char *begin_at(const sender *s, const char *acn, int version, unsigned n,
                            const invoke *inv, uint32_t t)
{
    static uint8_t pm[SSGW_VIEW_MAX_COMPONENTS + 1][256];
    uint8_t tm[8192], wire[8192];
    ssgw_buf tb;
    ssgw_buf_init(&tb, tm, sizeof tm);
    ssgw_tcap_msg m;
    memset(&m, 0, sizeof m);
    m.type = SSGW_TCAP_BEGIN;
    ssgw_tcap_tid_set(&m.otid, 0x11223344 + t, 4);
    if (acn) tb_dialogue(&m, acn);
    ssgw_tcap_component c[SSGW_VIEW_MAX_COMPONENTS + 1];
    memset(c, 0, sizeof c);
    for (unsigned i = 0; i < n; i++) {
        c[i].type = SSGW_TCAP_COMP_INVOKE;
        c[i].invoke_id_present = true;
        c[i].invoke_id = (int)i + 1;
        c[i].opcode.kind = SSGW_TCAP_CODE_LOCAL;
        c[i].opcode.local = inv[i].op;
        if (!inv[i].imsi && !inv[i].ui) continue; /* no parameter: 8 octets, 17 fit in a UDT */
        ssgw_buf pb;
        ssgw_buf_init(&pb, pm[i], sizeof pm[i]);
        ssgw_map_fields f;
        tb_map_fields(&f, inv[i].imsi,
                      inv[i].ui && inv[i].dir == SSGW_MAP_SM_FROM_MS ? "447700900123" : NULL,
                      inv[i].vlr, inv[i].msc, inv[i].smsc);
        f.sm_rp_ui = inv[i].ui;
        f.sm_rp_ui_len = inv[i].ui_len;
        f.sm_rp_dir = inv[i].dir;
        CHECK_INT(ssgw_map_encode(inv[i].op, SSGW_MAP_INVOKE, version, &f, &pb), 0);
        c[i].param_present = true;
        c[i].param_tlv = pb.data;
        c[i].param_tlv_len = pb.len;
    }
    m.components_present = true;
    ssgw_error e;
    CHECK_INT(ssgw_tcap_encode(&tb, &m, c, n, &e), 0);
    size_t len = tb_wrap_gt(wire, sizeof wire, s->opc, HOME_STP, s->cg, s->cg_ssn, s->cd, s->cd_ssn,
                            tb.data, tb.len);
    CHECK(len > 0);
    const char *r = tb_judge(dec, fw, wire, len, t, &view, &vd);
    CHECK(r != NULL);
    return r ? r : "(does not decode)";
}

static const char *begin_from_safari(const char *acn, unsigned n, const invoke *inv)
{
    return begin_at(&safari_hlr, acn, acn ? 3 : 1, n, inv, 1000);
}

/* n insertSubscriberData invokes in subscriberDataMngtContext v3, the i-th about imsis[i]
 * (NULL: without a parameter). */
static const char *isd_from_safari(unsigned n, const char *const *imsis)
{
    invoke inv[SSGW_VIEW_MAX_COMPONENTS + 1];
    for (unsigned i = 0; i < n; i++)
        inv[i] = (invoke){ISD, imsis[i], NULL, 0, 0, NULL, NULL, NULL};
    return begin_from_safari(ISD_ACN, n, inv);
}

static void fresh(const char *extra)
{
    CHECK(tb_fresh_firewall(&pol, &fw, extra));
}

/* A fresh firewall on the example policy with [rate] calling_gt set to rate. */
static void fresh_calling_gt_rate(const char *rate)
{
    static char text[24000];
    FILE *f = fopen("../examples/ssgw.conf", "rb");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f) fclose(f);
    text[n] = '\0';
    char *at = strstr(text, "calling_gt = \"2000/1s\"");
    CHECK(at != NULL && n < sizeof text - 64);
    if (!at) return;
    char rest[24000];
    snprintf(rest, sizeof rest, "%s", at + strlen("calling_gt = \"2000/1s\""));
    snprintf(at, sizeof text - (size_t)(at - text), "calling_gt = \"%s\"%s", rate, rest);
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
    ssgw_config_errors errs;
    pol = ssgw_policy_load_string("../examples/ssgw.conf", text, strlen(text), &errs);
    fw = pol ? ssgw_firewall_new(pol, NULL) : NULL;
    CHECK(fw != NULL);
}

static void one_hidden_behind_another(void)
{
    fresh(NULL);
    const char *ours[] = {OURS}, *theirs[] = {KE_SUB};
    const char *ours_first[] = {OURS, KE_SUB}, *ours_last[] = {KE_SUB, OURS};
    const char *both_theirs[] = {KE_SUB, "639020000000789"};
    CHECK_STR(isd_from_safari(1, ours), "cat2.own_subscriber");
    CHECK(!vd.pass);
    CHECK_STR(isd_from_safari(1, theirs), "default");
    CHECK_STR(isd_from_safari(2, ours_first), "cat2.own_subscriber");
    CHECK(!vd.pass && vd.enforced);
    CHECK(strstr(vd.reason, "about our own subscriber " OURS) != NULL);
    CHECK_STR(isd_from_safari(2, ours_last), "cat2.own_subscriber");
    CHECK(!vd.pass);
    CHECK_STR(isd_from_safari(2, both_theirs), "default");
    CHECK(vd.pass);
    /* three, ours in the middle */
    const char *middle[] = {KE_SUB, OURS, "639020000000789"};
    CHECK_STR(isd_from_safari(3, middle), "cat2.own_subscriber");
    /* operations that differ: the verdict names the component that gave it (its operation
     * and category), not the first invoke */
    invoke mixed[3] = {{CANCEL_LOCATION, KE_SUB, NULL, 0, 0, NULL, NULL, NULL},
                       {ISD, OURS, NULL, 0, 0, NULL, NULL, NULL},
                       {ISD, KE_SUB, NULL, 0, 0, NULL, NULL, NULL}};
    CHECK_STR(begin_from_safari(ISD_ACN, 3, mixed), "cat2.own_subscriber");
    CHECK_INT(vd.opcode, ISD);
    CHECK_INT(vd.category, SSGW_CAT_2);
}

static void test_mode(void)
{
    const char *ours_first[] = {OURS, KE_SUB};
    fresh("[[check]]\nname = \"cat2.own_subscriber\"\nmode = \"test\"\n");
    CHECK_STR(isd_from_safari(2, ours_first), "cat2.own_subscriber");
    CHECK(vd.pass && !vd.enforced);
    ssgw_fw_check_stats cs;
    ssgw_firewall_check_stats(fw, (size_t)ssgw_check_find("cat2.own_subscriber"), &cs);
    CHECK_INT(cs.tested, 1);
    /* ours last: the whole message's judgement objects (it holds the last parameters) */
    const char *ours_last[] = {KE_SUB, OURS};
    CHECK_STR(isd_from_safari(2, ours_last), "cat2.own_subscriber");
    CHECK(vd.pass && !vd.enforced);
    ssgw_firewall_check_stats(fw, (size_t)ssgw_check_find("cat2.own_subscriber"), &cs);
    CHECK_INT(cs.tested, 2);
}

static void too_many_components(void)
{
    fresh(NULL);
    const char *imsis[SSGW_VIEW_MAX_COMPONENTS + 1] = {NULL};
    imsis[SSGW_VIEW_MAX_COMPONENTS - 1] = KE_SUB;
    CHECK_STR(isd_from_safari(SSGW_VIEW_MAX_COMPONENTS, imsis), "default");
    CHECK(!view.comp_truncated);
    imsis[SSGW_VIEW_MAX_COMPONENTS - 1] = OURS; /* the 16th is seen */
    CHECK_STR(isd_from_safari(SSGW_VIEW_MAX_COMPONENTS, imsis), "cat2.own_subscriber");
    /* the 17th is about our subscriber: never decoded, so refused as unscreened */
    imsis[SSGW_VIEW_MAX_COMPONENTS - 1] = KE_SUB;
    imsis[SSGW_VIEW_MAX_COMPONENTS] = OURS;
    CHECK_STR(isd_from_safari(SSGW_VIEW_MAX_COMPONENTS + 1, imsis), "malformed.tcap");
    CHECK(view.comp_truncated);
    CHECK(!vd.pass);
    CHECK(strstr(vd.reason, "more than 16 components") != NULL);
}

/* A refused message with several invokes is answered with a ReturnError to each of them
 * (Q.771 3.2.2.1: the TC-END closes every operation the Begin opened), in their order, with
 * their invoke ids and the check's MAP error, after the AARE. */
static void answer_to_each_invoke(void)
{
    fresh(NULL);
    invoke mixed[3] = {{CANCEL_LOCATION, KE_SUB, NULL, 0, 0, NULL, NULL, NULL},
                       {ISD, OURS, NULL, 0, 0, NULL, NULL, NULL},
                       {ISD, KE_SUB, NULL, 0, 0, NULL, NULL, NULL}};
    CHECK_STR(begin_from_safari(ISD_ACN, 3, mixed), "cat2.own_subscriber");
    CHECK_INT(vd.action, SSGW_ACT_ANSWER);
    CHECK_INT(vd.answer.kind, SSGW_ANSWER_MAP_ERROR);
    uint8_t am[2048];
    ssgw_buf b;
    ssgw_buf_init(&b, am, sizeof am);
    ssgw_error e;
    CHECK_INT(ssgw_answer_build(&view, &vd.answer, &b, &e), 0);
    static ssgw_view av;
    ssgw_decoder *d2 = ssgw_decoder_new(NULL);
    CHECK_INT(ssgw_decoder_run(d2, SSGW_CAPTURE_KIND_M3UA, b.data, b.len, 0, &av), 0);
    CHECK_INT(av.tcap.type, SSGW_TCAP_END);
    CHECK_INT(av.tcap.dtid.value, view.tcap.otid.value);
    CHECK(av.tcap.dialogue_present && av.tcap.dialogue.type == SSGW_TCAP_DLG_AARE);
    CHECK_INT(av.ncomp, 3);
    for (unsigned i = 0; i < av.ncomp && i < 3; i++) {
        CHECK_INT(av.comp[i].type, SSGW_TCAP_COMP_RETURN_ERROR);
        CHECK_INT(av.comp[i].invoke_id, (int)i + 1);
        CHECK_INT(av.comp[i].error.kind, SSGW_TCAP_CODE_LOCAL);
        CHECK_INT(av.comp[i].error.local, vd.answer.code);
    }
    /* the largest message the view decodes: sixteen answers */
    const char *imsis[SSGW_VIEW_MAX_COMPONENTS] = {NULL};
    imsis[SSGW_VIEW_MAX_COMPONENTS - 1] = OURS;
    CHECK_STR(isd_from_safari(SSGW_VIEW_MAX_COMPONENTS, imsis), "cat2.own_subscriber");
    ssgw_buf_init(&b, am, sizeof am);
    CHECK_INT(ssgw_answer_build(&view, &vd.answer, &b, &e), 0);
    CHECK_INT(ssgw_decoder_run(d2, SSGW_CAPTURE_KIND_M3UA, b.data, b.len, 0, &av), 0);
    CHECK_INT(av.ncomp, SSGW_VIEW_MAX_COMPONENTS);
    CHECK_INT(av.comp[SSGW_VIEW_MAX_COMPONENTS - 1].invoke_id, SSGW_VIEW_MAX_COMPONENTS);
    ssgw_decoder_free(d2);
}

/* Rate limits count each component judged alone once, and the judgement of the whole
 * message (the first invoke's operation, the last one's parameters) not on top: with
 * rate.calling_gt at 6 a minute, three messages of two insertSubscriberData pass and the
 * fourth is refused (counted three times a message, the third was); six of one pass. */
static void rates_count_each_component_once(void)
{
    const char *both_theirs[] = {KE_SUB, "639020000000789"}, *theirs[] = {KE_SUB};
    fresh_calling_gt_rate("6/60s");
    for (int i = 0; i < 3; i++)
        CHECK_STR(isd_from_safari(2, both_theirs), "default");
    CHECK_STR(isd_from_safari(2, both_theirs), "rate.calling_gt");
    CHECK(!vd.pass);
    fresh_calling_gt_rate("6/60s");
    for (int i = 0; i < 6; i++)
        CHECK_STR(isd_from_safari(1, theirs), "default");
    CHECK_STR(isd_from_safari(1, theirs), "rate.calling_gt");
    /* three components: three tokens */
    const char *three[] = {KE_SUB, "639020000000789", KE_SUB};
    fresh_calling_gt_rate("6/60s");
    CHECK_STR(isd_from_safari(3, three), "default");
    CHECK_STR(isd_from_safari(3, three), "default");
    CHECK_STR(isd_from_safari(1, theirs), "rate.calling_gt");
}

/* A short message whose TPDU does not decode, first: the TPDU is decoded with the MAP
 * parameters, before any check, so the message is malformed.sms (it used to be judged with
 * the view marked in error by the SMS checks, its components one by one). */
static void broken_sms_first(void)
{
    fresh(NULL);
    static const uint8_t bad_tpdu[] = {0x01}; /* SMS-SUBMIT cut after its first octet */
    invoke inv[3] = {
        {FORWARD_SM, NULL, bad_tpdu, sizeof bad_tpdu, SSGW_MAP_SM_FROM_MS, NULL, NULL, NULL},
        {ISD, OURS, NULL, 0, 0, NULL, NULL, NULL},
        {ISD, KE_SUB, NULL, 0, 0, NULL, NULL, NULL}};
    CHECK_STR(begin_from_safari(NULL, 3, inv), "malformed.sms");
    CHECK(!vd.pass);
}

/* The same with the components' operation as the dialogue's version calls it: forwardSM in
 * shortMsgMT-Relay v2 is mt-forwardSM. From Safari's SMSC: a broken TPDU first, then a short
 * message to our subscriber for which our HLR gave no routing (SMS home routing bypassed,
 * sms.mt_fsm_no_sri), then one to a Safari subscriber: alone, the second is refused and the
 * third passes; together with the broken TPDU the message is malformed.sms. */
static void broken_sms_then_mt_relay(void)
{
    fresh(NULL);
    static const uint8_t bad_tpdu[] = {0x04}; /* SMS-DELIVER cut after its first octet */
    static const uint8_t deliver[] = {0x04, 0x0b, 0x91, 0x44, 0x77, 0x00, 0x09,
                                      0x21, 0xf3, 0x00, 0x00, 0x32, 0x10, 0x11,
                                      0x41, 0x65, 0x00, 0x00, 0x02, 0xc8, 0x34};
    const sender sc = {SAFARI, KE_SC, 8, MSC, 8};
    invoke inv[3] = {
        {FORWARD_SM, KE_SUB, bad_tpdu, sizeof bad_tpdu, SSGW_MAP_SM_TO_MS, NULL, NULL, KE_SC},
        {FORWARD_SM, OURS, deliver, sizeof deliver, SSGW_MAP_SM_TO_MS, NULL, NULL, KE_SC},
        {FORWARD_SM, KE_SUB, deliver, sizeof deliver, SSGW_MAP_SM_TO_MS, NULL, NULL, KE_SC}};
    CHECK_STR(begin_at(&sc, MT_RELAY_V2, 2, 1, &inv[1], 2000), "sms.mt_fsm_no_sri");
    CHECK_STR(begin_at(&sc, MT_RELAY_V2, 2, 1, &inv[2], 2001), "default");
    CHECK_STR(begin_at(&sc, MT_RELAY_V2, 2, 3, inv, 2002), "malformed.sms");
    CHECK(!vd.pass);
}

/* An SMS-DELIVER TPDU from the alphanumeric sender `from` into out; its length. */
static size_t deliver_from(uint8_t *out, size_t cap, const char *from)
{
    ssgw_sms_tpdu tp;
    ssgw_sms_tpdu_init(&tp, SSGW_SMS_DELIVER);
    tp.oa.present = true;
    tp.oa.alphanumeric = true;
    tp.oa.ton = 5;
    snprintf(tp.oa.text, sizeof tp.oa.text, "%s", from);
    tp.scts.year = 26;
    tp.scts.month = 1;
    tp.scts.day = 1;
    ssgw_buf b;
    ssgw_buf_init(&b, out, cap);
    ssgw_error e;
    CHECK_INT(ssgw_sms_encode(&b, &tp, (const uint8_t *)"See you at 8", 12, &e), 0);
    return b.len;
}

/* Two short messages in one message from Safari's SMSC: the protected sender AlbionBank
 * (examples/ssgw.conf: only the home network may deliver it) first, a harmless sender last
 * (whose TPDU the view holds). Each component is judged with its own sender: the sender is
 * normalised once per component, never taken over from the whole message's judgement. */
static void protected_sender_per_component(void)
{
    fresh(NULL);
    uint8_t bank[64], other[64];
    size_t nb = deliver_from(bank, sizeof bank, "AlbionBank");
    size_t no = deliver_from(other, sizeof other, "Concerts");
    const sender sc = {SAFARI, KE_SC, 8, MSC, 8};
    invoke inv[2] = {{FORWARD_SM, KE_SUB, bank, nb, SSGW_MAP_SM_TO_MS, NULL, NULL, KE_SC},
                     {FORWARD_SM, KE_SUB, other, no, SSGW_MAP_SM_TO_MS, NULL, NULL, KE_SC}};
    CHECK_STR(begin_at(&sc, MT_RELAY_V2, 2, 1, &inv[1], 3000), "default");
    CHECK_STR(begin_at(&sc, MT_RELAY_V2, 2, 1, &inv[0], 3001), "sms.protected_sender");
    CHECK_STR(begin_at(&sc, MT_RELAY_V2, 2, 2, inv, 3002), "sms.protected_sender");
    CHECK(!vd.pass);
}

/* Learning: one message [updateLocation of one subscriber, sendAuthenticationInfo of
 * another] from Safari's VLR must not move the second subscriber there (the view's
 * parameters are the second's, the location the first's). Our subscriber B registered in
 * Germany; then Safari's VLR sends the pair; then a purgeMS for B from Safari's VLR is not
 * from B's current VLR. */
static void learning_per_component(void)
{
    fresh(NULL);
    const char *b = "234910000000456";
    const sender de_vlr = {2002, DE_VLR, 7, HLR, 6}, ke_vlr = {SAFARI, KE_VLR, 7, HLR, 6};
    invoke ul_b = {UPDATE_LOCATION, b, NULL, 0, 0, DE_VLR, "491710000011", NULL};
    CHECK_STR(begin_at(&de_vlr, NETWORK_LOC_UP, 3, 1, &ul_b, 10000), "default");
    invoke pair[2] = {{UPDATE_LOCATION, OURS, NULL, 0, 0, KE_VLR, KE_MSC, NULL},
                      {SEND_AUTH_INFO, b, NULL, 0, 0, NULL, NULL, NULL}};
    CHECK_STR(begin_at(&ke_vlr, NETWORK_LOC_UP, 3, 2, pair, 10000 + 2 * 86400), "default");
    invoke purge = {PURGE_MS, b, NULL, 0, 0, KE_VLR, NULL, NULL};
    CHECK_STR(begin_at(&ke_vlr, MS_PURGING, 3, 1, &purge, 10000 + 2 * 86400 + 60),
              "cat3.not_current_vlr");
    CHECK(strstr(vd.reason, DE_VLR) != NULL);
}

/* Monitor mode (every check in test mode) still tells a refusal from an alert: the whole
 * message (the last component, a Rhein Telekom subscriber) meets cat2.not_home_network,
 * here an alert; the first component alone, about ours, cat2.own_subscriber, a refusal. */
static void monitor_mode(void)
{
    fresh("[[check]]\nname = \"cat2.not_home_network\"\naction = \"alert\"\n");
    ssgw_firewall_set_monitor(fw, true);
    const char *ours_then_de[] = {OURS, "262011234567890"};
    CHECK_STR(isd_from_safari(2, ours_then_de), "cat2.own_subscriber");
    CHECK(vd.pass && !vd.enforced);
    ssgw_fw_check_stats cs;
    ssgw_firewall_check_stats(fw, (size_t)ssgw_check_find("cat2.not_home_network"), &cs);
    CHECK_INT(cs.tested, 0); /* taken back */
    ssgw_firewall_check_stats(fw, (size_t)ssgw_check_find("cat2.own_subscriber"), &cs);
    CHECK_INT(cs.tested, 1);
    /* enforcing, the same message is refused */
    ssgw_firewall_set_monitor(fw, false);
    CHECK_STR(isd_from_safari(2, ours_then_de), "cat2.own_subscriber");
    CHECK(!vd.pass && vd.enforced);
}

/* The counters: one decider per message. cat2.own_subscriber in test mode objects to the
 * whole message (it holds the last component's parameters: ours); the first component
 * alone, about a Rhein Telekom subscriber from Safari, is refused by cat2.not_home_network:
 * the refusal stands and the test-mode objection is taken back from the counters. */
static void one_decider_counted(void)
{
    fresh("[[check]]\nname = \"cat2.own_subscriber\"\nmode = \"test\"\n");
    const char *de_then_ours[] = {"262011234567890", OURS};
    CHECK_STR(isd_from_safari(2, de_then_ours), "cat2.not_home_network");
    CHECK(!vd.pass && vd.enforced);
    CHECK(strstr(vd.reason, "262011234567890") != NULL);
    const ssgw_firewall_stats *st = ssgw_firewall_get_stats(fw);
    CHECK_INT(st->messages, 1);
    CHECK_INT(st->blocked, 1);
    uint64_t tested = 0, enforced = 0;
    for (size_t i = 0; i < ssgw_check_count(); i++) {
        ssgw_fw_check_stats cs;
        ssgw_firewall_check_stats(fw, i, &cs);
        tested += cs.tested;
        enforced += cs.enforced;
    }
    CHECK_INT(tested, 0);
    CHECK_INT(enforced, 1);
    /* ours alone in test mode: the test-mode objection stands, counted once */
    const char *ours_then_de[] = {OURS, KE_SUB};
    CHECK_STR(isd_from_safari(2, ours_then_de), "cat2.own_subscriber");
    CHECK(vd.pass && !vd.enforced);
    ssgw_fw_check_stats cs;
    ssgw_firewall_check_stats(fw, (size_t)ssgw_check_find("cat2.own_subscriber"), &cs);
    CHECK_INT(cs.tested, 1);
}

int main(void)
{
    dec = ssgw_decoder_new(NULL);
    RUN(one_hidden_behind_another);
    RUN(test_mode);
    RUN(too_many_components);
    RUN(answer_to_each_invoke);
    RUN(rates_count_each_component_once);
    RUN(broken_sms_first);
    RUN(broken_sms_then_mt_relay);
    RUN(protected_sender_per_component);
    RUN(learning_per_component);
    RUN(one_decider_counted);
    RUN(monitor_mode);
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
    ssgw_decoder_free(dec);
    return check_summary();
}
