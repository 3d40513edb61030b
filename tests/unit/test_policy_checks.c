/* test_policy_checks.c - every built-in check with hand-built messages of the example
 * network (examples/ssgw.conf, docs/checks.md): the attack case is caught by
 * its check and the legitimate case passes; answers, monitor mode, rules, malformed input,
 * the category table and the geography table (against data/e164-geography.csv), the
 * E.212 country table (against data/e212-mcc.csv). */
#include <stdlib.h>

#include "check.h"
#include "msgbuild.h"
#include "policy/policy_int.h"
#include "ssgw/firewall.h"
#include "ssgw/gen.h"
#include "ssgw/m3ua.h"
#include "ssgw/mtp3.h"
#include "ssgw/sccp.h"
#include "ssgw/tcap.h"

typedef struct {
    uint32_t opc, dpc;
    const char *cg;
    uint8_t cg_ssn;
    const char *cd;
    uint8_t cd_ssn;
    ssgw_tcap_msg_type tcap;
    uint32_t otid, dtid;
    int ac, acv; /* application context (0: no dialogue portion) */
    int op;      /* -1: no component */
    ssgw_tcap_comp_type comp;
    const char *imsi, *msisdn, *vlr, *msc, *smsc;
} spec;

static ssgw_policy *pol;
static ssgw_firewall *ins;
static ssgw_decoder *dec;
static ssgw_view view;
static uint8_t wire[4096];
static size_t wire_len;

static void encode(const spec *s)
{
    uint8_t pm[1024], tm[2048];
    ssgw_buf pb, tb;
    ssgw_error e;
    ssgw_buf_init(&pb, pm, sizeof pm);
    ssgw_buf_init(&tb, tm, sizeof tm);
    ssgw_map_fields f;
    tb_map_fields(&f, s->imsi, s->msisdn, s->vlr, s->msc, s->smsc);
    ssgw_tcap_msg m;
    memset(&m, 0, sizeof m);
    m.type = s->tcap;
    if (s->otid) ssgw_tcap_tid_set(&m.otid, s->otid, 4);
    if (s->dtid) ssgw_tcap_tid_set(&m.dtid, s->dtid, 4);
    if (s->ac) {
        char acn[32];
        snprintf(acn, sizeof acn, "0.4.0.0.1.0.%d.%d", s->ac, s->acv);
        tb_dialogue(&m, acn);
    }
    ssgw_tcap_component c;
    memset(&c, 0, sizeof c);
    size_t nc = 0;
    if (s->op >= 0) {
        c.type = s->comp ? s->comp : SSGW_TCAP_COMP_INVOKE;
        c.invoke_id_present = true;
        c.invoke_id = 1;
        c.opcode.kind = SSGW_TCAP_CODE_LOCAL;
        c.opcode.local = s->op;
        ssgw_map_comp_kind k =
            c.type == SSGW_TCAP_COMP_INVOKE ? SSGW_MAP_INVOKE : SSGW_MAP_RETURN_RESULT;
        if (ssgw_map_encode(s->op, k, s->acv, &f, &pb) == 0 && pb.len) {
            c.param_present = true;
            c.param_tlv = pb.data;
            c.param_tlv_len = pb.len;
        }
        nc = 1;
        m.components_present = true;
    }
    CHECK_INT(ssgw_tcap_encode(&tb, &m, &c, nc, &e), 0);
    wire_len = tb_wrap_gt(wire, sizeof wire, s->opc, s->dpc, s->cg, s->cg_ssn, s->cd, s->cd_ssn,
                          tb.data, tb.len);
    CHECK(wire_len > 0);
}

/* Builds, decodes and inspects; returns the deciding check's name. */
static ssgw_verdict vd;
static const char *run(const spec *s, uint32_t t)
{
    encode(s);
    const char *c = tb_judge(dec, ins, wire, wire_len, t, &view, &vd);
    CHECK(c != NULL);
    return c ? c : "(malformed)";
}

static void fresh(const char *extra)
{
    ssgw_firewall_free(ins);
    ssgw_policy_free(pol);
    pol = tb_example_policy(extra);
    ins = ssgw_firewall_new(pol, NULL);
}

static void cat1(void)
{
    fresh(NULL);
    spec ati = {2009, 1001, EVIL,           147,  HLR,  6,   SSGW_TCAP_BEGIN, 0x100, 0, 29, 3, 71,
                0,    NULL, "447924100001", NULL, NULL, NULL};
    CHECK_STR(run(&ati, 1000), "cat1.operation");
    CHECK_INT(vd.action, SSGW_ACT_ANSWER);
    CHECK_INT(vd.answer.kind, SSGW_ANSWER_MAP_ERROR);
    CHECK_INT(vd.answer.code, 21); /* facilityNotSupported */
    CHECK_INT(vd.category, SSGW_CAT_1);
    CHECK(!vd.pass && vd.enforced);
    CHECK(strstr(vd.reason, "anyTimeInterrogation") != NULL);
    /* Rhein Telekom has an agreement */
    spec ok = ati;
    ok.opc = 2002;
    ok.cg = "491710000030";
    CHECK_STR(run(&ok, 1000), "default");
    CHECK(vd.pass);
    /* ... for ATI only */
    spec imsi = {2002, 1001, DE_VLR,         7,    HLR,  6,   SSGW_TCAP_BEGIN, 0x101, 0, 26, 2, 58,
                 0,    NULL, "447924100001", NULL, NULL, NULL};
    CHECK_STR(run(&imsi, 1000), "cat1.operation");
    /* outbound: never screened by category */
    spec out = ati;
    out.opc = 1001;
    out.dpc = 2002;
    CHECK_STR(run(&out, 1000), "default");
    CHECK_INT(vd.direction, SSGW_DIR_OUTBOUND);
}

static void peer_mismatch(void)
{
    fresh(NULL);
    spec isd = {
        2009, 1001,   KE_HLR, 6,    "447924000010", 7,   SSGW_TCAP_BEGIN, 0x200, 0, 16, 3, 7,
        0,    KE_SUB, NULL,   NULL, NULL,           NULL};
    CHECK_STR(run(&isd, 1000), "spoof.peer_mismatch");
    CHECK_INT(vd.action, SSGW_ACT_DROP);
    isd.opc = 2001;
    CHECK_STR(run(&isd, 1000), "default");
    /* our own GT from the interconnect */
    spec own = isd;
    own.cg = HLR;
    CHECK_STR(run(&own, 1000), "spoof.peer_mismatch");
}

static void cat2(void)
{
    fresh(NULL);
    spec psi = {2001, 1001, KE_HLR, 6,    "447924000010", 7,   SSGW_TCAP_BEGIN, 0x300, 0, 28, 3, 70,
                0,    OURS, NULL,   NULL, NULL,           NULL};
    CHECK_STR(run(&psi, 1000), "cat2.own_subscriber");
    CHECK_INT(vd.category, SSGW_CAT_2);
    spec cl = {2003, 1001,   NG_HLR, 6,    "447924000010", 7,   SSGW_TCAP_BEGIN, 0x301, 0, 2, 3, 3,
               0,    KE_SUB, NULL,   NULL, NULL,           NULL};
    CHECK_STR(run(&cl, 1000), "cat2.not_home_network");
    cl.opc = 2001;
    cl.cg = KE_HLR;
    CHECK_STR(run(&cl, 1000), "default");
}

static void ssn_and_imsi_network(void)
{
    fresh(NULL);
    spec ul = {2001, 1001, KE_VLR, 8, HLR,  6,    SSGW_TCAP_BEGIN, 0x400,  0,
               1,    3,    2,      0, OURS, NULL, KE_VLR,          KE_MSC, NULL};
    CHECK_STR(run(&ul, 1000), "spoof.ssn_mismatch");
    ul.cg_ssn = 7;
    CHECK_STR(run(&ul, 1000), "default");
    spec sai = {2001, 1001,   KE_VLR, 7,    HLR,  6,   SSGW_TCAP_BEGIN, 0x401, 0, 14, 3, 56,
                0,    KE_SUB, NULL,   NULL, NULL, NULL};
    CHECK_STR(run(&sai, 1000), "spoof.imsi_network");
}

static void location(void)
{
    fresh(NULL);
    spec ul = {2001, 1001, KE_VLR, 7, HLR,  6,    SSGW_TCAP_BEGIN, 0x500,  0,
               1,    3,    2,      0, OURS, NULL, KE_VLR,          KE_MSC, NULL};
    CHECK_STR(run(&ul, 1000), "default"); /* learned: OURS is in Kenya */
    /* the VLR in the message is not the sender's network */
    spec mism = ul;
    mism.vlr = "3460000001";
    CHECK_STR(run(&mism, 1010), "spoof.vlr_mismatch");
    /* Kenya -> Germany (~6,300 km) in 100 s */
    spec de = {2002, 1001, DE_VLR, 7, HLR,  6,    SSGW_TCAP_BEGIN, 0x501,          0,
               1,    3,    2,      0, OURS, NULL, DE_VLR,          "491710000011", NULL};
    CHECK_STR(run(&de, 1100), "cat3.velocity");
    CHECK(strstr(vd.reason, "Kenya") && strstr(vd.reason, "Germany"));
    /* the same VLR again is fine; a non-partner is not */
    CHECK_STR(run(&ul, 1200), "default");
    spec evil = de;
    evil.opc = 2009;
    evil.cg = EVIL;
    evil.vlr = EVIL;
    evil.msc = EVIL;
    CHECK_STR(run(&evil, 1300), "cat3.velocity");
    /* purgeMS from Rhein while the subscriber is in Kenya */
    spec purge = {2002, 1001, DE_VLR, 7, HLR,  6,    SSGW_TCAP_BEGIN, 0x502, 0,
                  27,   3,    67,     0, OURS, NULL, DE_VLR,          NULL,  NULL};
    CHECK_STR(run(&purge, 1400), "cat3.not_current_vlr");
    purge.opc = 2001;
    purge.cg = KE_VLR;
    purge.vlr = KE_VLR;
    CHECK_STR(run(&purge, 1500), "default");
    /* 20 hours later Germany is reachable */
    CHECK_STR(run(&de, 1000 + 20 * 3600), "default");
    /* SAI from a non-partner */
    spec sai = {2009, 1001, EVIL, 7,    HLR,  6,   SSGW_TCAP_BEGIN, 0x503, 0, 14, 3, 56,
                0,    OURS, NULL, NULL, NULL, NULL};
    CHECK_STR(run(&sai, 1000 + 20 * 3600 + 5), "cat3.not_current_vlr");
}

static void sms(void)
{
    fresh(NULL);
    spec sri = {2001, 1001, KE_VLR,         8,    HLR,  6,    SSGW_TCAP_BEGIN, 0x600, 0, 20, 3, 45,
                0,    NULL, "447924100777", NULL, NULL, KE_SC};
    CHECK_STR(run(&sri, 1000), "sms.sri_sm_origin");
    sri.cg = KE_SC;
    CHECK_STR(run(&sri, 1001), "default");
    CHECK_STR(run(&sri, 1002), "default");
    CHECK_STR(run(&sri, 1003), "sms.sri_sm_rate"); /* example: 2 per 600 s */
    CHECK_INT(vd.action, SSGW_ACT_RATE_LIMIT);
    /* mt-forwardSM without SRI-SM, then after our HLR's answer */
    spec fsm = {2001, 1001, KE_SC, 8,    MSC,  8,    SSGW_TCAP_BEGIN, 0x601, 0, 25, 3, 44,
                0,    OURS, NULL,  NULL, NULL, KE_SC};
    CHECK_STR(run(&fsm, 2000), "sms.mt_fsm_no_sri");
    spec res = {1001,
                2001,
                HLR,
                6,
                KE_SC,
                8,
                SSGW_TCAP_END,
                0,
                0x602,
                0,
                0,
                45,
                SSGW_TCAP_COMP_RETURN_RESULT_LAST,
                OURS,
                NULL,
                NULL,
                MSC,
                NULL};
    CHECK_STR(run(&res, 2001), "default");
    CHECK_STR(run(&fsm, 2002), "default");
    /* ... but only within the window (30 s in the example) */
    CHECK_STR(run(&fsm, 2100), "sms.mt_fsm_no_sri");
    /* a fake SMSC */
    spec fake = fsm;
    fake.opc = 2009;
    fake.cg = "34600000001";
    fake.smsc = "34600000001";
    CHECK_STR(run(&fake, 2200), "sms.mt_fsm_origin");
}

static void dialogues(void)
{
    fresh(NULL);
    spec cont = {2001,
                 1001,
                 KE_HLR,
                 6,
                 "447924000010",
                 7,
                 SSGW_TCAP_CONTINUE,
                 0x99,
                 0x11223344,
                 0,
                 0,
                 7,
                 0,
                 KE_SUB,
                 NULL,
                 NULL,
                 NULL,
                 NULL};
    CHECK_STR(run(&cont, 1000), "tcap.unknown_dialogue");
    CHECK_INT(vd.answer.kind, SSGW_ANSWER_TCAP_ABORT);
    spec begin = {
        1001, 2001, "447924000010", 7,    KE_HLR, 6,   SSGW_TCAP_BEGIN, 0x11223344, 0, 0, 0, -1,
        0,    NULL, NULL,           NULL, NULL,   NULL};
    CHECK_STR(run(&begin, 1001), "default");
    CHECK_STR(run(&cont, 1002), "default");
    spec end = cont;
    end.tcap = SSGW_TCAP_END;
    end.otid = 0;
    end.op = -1;
    CHECK_STR(run(&end, 1003), "default");
    CHECK_STR(run(&end, 1004), "tcap.unknown_dialogue"); /* the dialogue has ended */
    CHECK_STR(run(&begin, 1005), "default");
    CHECK_STR(run(&cont, 1005 + 61), "tcap.unknown_dialogue"); /* timed out */
}

static void malformed_monitor_rules(void)
{
    fresh(NULL);
    spec ati = {2009, 1001, EVIL,           147,  HLR,  6,   SSGW_TCAP_BEGIN, 0x700, 0, 29, 3, 71,
                0,    NULL, "447924100001", NULL, NULL, NULL};
    encode(&ati);
    /* cut the TCAP short: the length octets no longer match */
    wire_len -= 3;
    uint32_t mlen = (uint32_t)wire_len;
    wire[4] = (uint8_t)(mlen >> 24);
    wire[5] = (uint8_t)(mlen >> 16);
    wire[6] = (uint8_t)(mlen >> 8);
    wire[7] = (uint8_t)mlen;
    ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, wire, wire_len, 0, &view);
    CHECK(view.has_error);
    ssgw_firewall_judge(ins, &view, NULL, &vd);
    CHECK(!strncmp(vd.check, "malformed.", 10));
    CHECK_INT(vd.action, SSGW_ACT_DROP);
    /* monitor mode: computed, not enforced */
    ssgw_firewall_set_monitor(ins, true);
    CHECK_STR(run(&ati, 1000), "cat1.operation");
    CHECK(vd.pass);
    CHECK(!vd.enforced);
    CHECK_INT(vd.action, SSGW_ACT_ANSWER);
    /* an operator rule decides before the checks */
    fresh("[[rule]]\nname = \"blocklist\"\ncalling_gt = [\"88234\"]\naction = \"alert\"\n");
    CHECK_STR(run(&ati, 1000), "rule.blocklist");
    CHECK_INT(vd.action, SSGW_ACT_ALERT);
    CHECK(vd.pass);
    /* a disabled check */
    fresh("[[check]]\nname = \"sms.sri_sm_origin\"\nenabled = false\n");
    spec sri = {2001, 1001, KE_VLR,         8,    HLR,  6,    SSGW_TCAP_BEGIN, 0x701, 0, 20, 3, 45,
                0,    NULL, "447924100778", NULL, NULL, KE_SC};
    CHECK_STR(run(&sri, 1000), "default");
    const ssgw_firewall_stats *st = ssgw_firewall_get_stats(ins);
    CHECK_INT(st->messages, 1);
}

/* ISUP has no checks yet: every ISUP message, a malformed one too, ends at the default,
 * inbound (DPC in the home point codes) or not. */
static void isup_default(void)
{
    fresh(NULL);
    unsigned malformed = 0, iams = 0;
    for (uint64_t i = 0; i < ssgw_gen_isup_types(NULL); i++) {
        ssgw_buf b;
        ssgw_buf_init(&b, wire, sizeof wire);
        ssgw_gen_info info;
        ssgw_error e;
        CHECK_INT(ssgw_gen_isup_message(4, i, &b, &info, &e), 0);
        ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, wire, b.len, 0, &view);
        CHECK(view.has_isup && !view.has_error);
        ssgw_firewall_meta meta = {0, SSGW_DIR_INBOUND, false, 0, NULL, NULL, 0};
        ssgw_firewall_judge(ins, &view, &meta, &vd);
        CHECK_STR(vd.check, "default");
        CHECK_INT(vd.action, SSGW_ACT_ALLOW);
        /* the same message one octet short, as an MTP3 MSU: malformed, still the default
         * (dropping a circuit message could leave a call hanging), but for an IAM, which no
         * call check could screen: refused, released with cause 95 */
        uint8_t msu[512];
        ssgw_buf mb;
        ssgw_buf_init(&mb, msu, sizeof msu);
        ssgw_mtp3_msu m = {.si = 5,
                           .ni = view.ni,
                           .label = {(uint16_t)view.dpc, (uint16_t)view.opc, view.sls},
                           .payload = view.isup.buf,
                           .payload_len = view.isup.len - 1};
        CHECK_INT(ssgw_mtp3_encode(&mb, &m), 0);
        ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_MTP3, mb.data, mb.len, 0, &view);
        CHECK(view.has_error && view.error.layer == SSGW_LAYER_ISUP);
        malformed += view.has_error;
        ssgw_firewall_judge(ins, &view, &meta, &vd);
        if (view.isup.type == SSGW_ISUP_IAM) {
            CHECK_STR(vd.check, "malformed.isup");
            CHECK_INT(vd.action, SSGW_ACT_ANSWER);
            CHECK_INT(vd.answer.kind, SSGW_ANSWER_ISUP_REL);
            CHECK_INT(vd.answer.code, 95);
            iams++;
            /* the same IAM outbound: our own switch's call passes as before */
            ssgw_firewall_meta out = meta;
            out.direction = SSGW_DIR_OUTBOUND;
            ssgw_firewall_judge(ins, &view, &out, &vd);
        }
        CHECK_STR(vd.check, "default");
        CHECK_INT(vd.action, SSGW_ACT_ALLOW);
    }
    CHECK_INT(malformed, ssgw_gen_isup_types(NULL));
    CHECK_INT(iams, 1);
}

static void answers(void)
{
    fresh(NULL);
    spec ati = {2009,           1001, EVIL, 147, HLR, 6, SSGW_TCAP_BEGIN,
                0xa1b2c3d4,     0,    29,   3,   71,  0, NULL,
                "447924100001", NULL, NULL, NULL};
    run(&ati, 1000);
    static uint8_t am[2048];
    ssgw_buf b;
    ssgw_error e;
    static ssgw_view av;
    ssgw_answer a;
    CHECK_INT(ssgw_answer_parse("map-error:unexpectedDataValue", &a), 0);
    CHECK_INT(a.code, 36);
    ssgw_buf_init(&b, am, sizeof am);
    CHECK_INT(ssgw_answer_build(&view, &a, &b, &e), 0);
    ssgw_decoder *d2 = ssgw_decoder_new(NULL);
    CHECK_INT(ssgw_decoder_run(d2, SSGW_CAPTURE_KIND_M3UA, b.data, b.len, 0, &av), 0);
    CHECK_INT(av.opc, 1001);
    CHECK_INT(av.dpc, 2009);
    CHECK_STR(av.sccp.called.digits, EVIL);
    CHECK_STR(av.sccp.calling.digits, HLR);
    CHECK_INT(av.tcap.type, SSGW_TCAP_END);
    CHECK_INT(av.tcap.dtid.value, 0xa1b2c3d4);
    CHECK_INT(av.ncomp, 1);
    CHECK_INT(av.comp[0].type, SSGW_TCAP_COMP_RETURN_ERROR);
    CHECK_INT(av.comp[0].error.local, 36);
    CHECK_INT(av.comp[0].invoke_id, 1);
    CHECK(av.tcap.dialogue_present && av.tcap.dialogue.type == SSGW_TCAP_DLG_AARE);
    /* the AARE names the Begin's application context, octet for octet */
    CHECK(view.tcap.dialogue.acn_len > 0);
    CHECK_MEM(av.tcap.dialogue.acn, av.tcap.dialogue.acn_len, view.tcap.dialogue.acn,
              view.tcap.dialogue.acn_len);
    CHECK_STR(av.tcap.dialogue.acn_str, view.tcap.dialogue.acn_str);
    /* TC-ABORT */
    CHECK_INT(ssgw_answer_parse("tcap-abort", &a), 0);
    ssgw_buf_init(&b, am, sizeof am);
    CHECK_INT(ssgw_answer_build(&view, &a, &b, &e), 0);
    CHECK_INT(ssgw_decoder_run(d2, SSGW_CAPTURE_KIND_M3UA, b.data, b.len, 0, &av), 0);
    CHECK_INT(av.tcap.type, SSGW_TCAP_ABORT);
    CHECK(av.tcap.pabort_present);
    CHECK_INT(av.tcap.pabort_cause, 1);
    /* UDTS carries the original user data back */
    CHECK_INT(ssgw_answer_parse("sccp-udts", &a), 0);
    ssgw_buf_init(&b, am, sizeof am);
    CHECK_INT(ssgw_answer_build(&view, &a, &b, &e), 0);
    CHECK_INT(ssgw_decoder_run(d2, SSGW_CAPTURE_KIND_M3UA, b.data, b.len, 0, &av), 0);
    CHECK_INT(av.sccp.type, SSGW_SCCP_UDTS);
    CHECK_INT(av.sccp.return_cause, SSGW_SCCP_RC_SUBSYSTEM_FAILURE);
    CHECK_MEM(av.sccp.data, av.sccp.data_len, view.sccp.data, view.sccp.data_len);
    char txt[64];
    a.kind = SSGW_ANSWER_MAP_ERROR;
    a.code = 21;
    ssgw_answer_format(&a, txt, sizeof txt);
    CHECK_STR(txt, "map-error:facilityNotSupported");
    CHECK_INT(ssgw_answer_parse("map-error:bogus", &a), -1);
    ssgw_decoder_free(d2);
}

static void categories_and_geo(void)
{
    CHECK_INT(ssgw_policy_category(NULL, false, SSGW_MAP_OP_ANY_TIME_INTERROGATION), SSGW_CAT_1);
    CHECK_INT(ssgw_policy_category(NULL, false, SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA), SSGW_CAT_2);
    CHECK_INT(ssgw_policy_category(NULL, false, SSGW_MAP_OP_UPDATE_LOCATION), SSGW_CAT_3);
    CHECK_INT(ssgw_policy_category(NULL, false, SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM),
              SSGW_CAT_SMS);
    CHECK_INT(ssgw_policy_category(NULL, false, SSGW_MAP_OP_MO_FORWARD_SM), SSGW_CAT_SMS);
    CHECK_INT(ssgw_policy_category(NULL, false, SSGW_MAP_OP_PREPARE_HANDOVER), SSGW_CAT_OTHER);
    CHECK_INT(ssgw_policy_category(NULL, false, SSGW_MAP_OP_PREPARE_GROUP_CALL), SSGW_CAT_1);
    CHECK_INT(ssgw_policy_category(NULL, false, 90), SSGW_CAT_OTHER); /* unallocated */
    CHECK_INT(ssgw_policy_category(NULL, false, 128), SSGW_CAT_NONE);
    /* e.g. CAP: its local opcodes mean other things */
    CHECK_INT(ssgw_policy_category(NULL, true, SSGW_MAP_OP_ANY_TIME_INTERROGATION), SSGW_CAT_NONE);
    const geo_entry *g = geo_lookup("447924000001");
    CHECK(g && !strcmp(g->iso, "GB"));
    g = geo_lookup("12425551234");
    CHECK(g && !strcmp(g->iso, "BS"));
    g = geo_lookup("77011234567");
    CHECK(g && !strcmp(g->iso, "KZ"));
    CHECK(geo_lookup("882340000001") == NULL);
    double km = geo_distance_km(geo_lookup("44"), geo_lookup("254"));
    CHECK(km > 6700 && km < 6900); /* London - Nairobi ~6,800 km */
    /* the compiled table matches data/e164-geography.csv line by line */
    FILE *f = fopen("../data/e164-geography.csv", "r");
    CHECK(f != NULL);
    size_t rows = 0, matched = 0;
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        if (line[0] == '#' || !strncmp(line, "code,", 5) || line[0] == '\n') continue;
        char code[8], iso[4];
        double lat, lon;
        if (sscanf(line, "%7[0-9],%3[A-Z],%*[^,],%lf,%lf", code, iso, &lat, &lon) != 4) continue;
        rows++;
        for (size_t i = 0; i < geo_count(); i++) {
            const geo_entry *e = geo_at(i);
            if (!strcmp(e->code, code) && !strcmp(e->iso, iso) && e->lat == lat && e->lon == lon)
                matched++;
        }
    }
    if (f) fclose(f);
    CHECK_INT(rows, geo_count());
    CHECK_INT(matched, rows);
    CHECK(rows >= 200);
}

/* The E.212 table (mcc_table.c) against data/e212-mcc.csv, and what Diameter needs of it:
 * the country of a Visited-PLMN-Id on the same map as a VLR's E.164 number. */
static void mcc_table(void)
{
    const geo_entry *g = geo_for_mcc("208");
    CHECK(g && !strcmp(g->iso, "FR"));
    g = geo_for_mcc("639");
    CHECK(g && g == geo_lookup("254722000010")); /* Kenya by MCC and by GT: one entry */
    CHECK(geo_for_mcc("262") == geo_lookup("491710000010"));
    CHECK(geo_for_mcc("901") == NULL); /* international: no country */
    CHECK(geo_for_mcc("23") == NULL);
    FILE *f = fopen("../data/e212-mcc.csv", "r");
    CHECK(f != NULL);
    size_t rows = 0, matched = 0;
    char line[128];
    while (f && fgets(line, sizeof line, f)) {
        char mcc[4], iso[4];
        if (line[0] == '#' || sscanf(line, "%3[0-9],%3[A-Z]", mcc, iso) != 2) continue;
        const char *tiso;
        const char *tmcc = ssgw_mcc_table_at(rows, &tiso);
        matched += tmcc && !strcmp(tmcc, mcc) && !strcmp(tiso, iso);
        rows++;
    }
    if (f) fclose(f);
    CHECK_INT(rows, ssgw_mcc_table_len());
    CHECK_INT(matched, rows);
    CHECK(rows >= 200);
}

int main(void)
{
    dec = ssgw_decoder_new(NULL);
    RUN(mcc_table);
    RUN(cat1);
    RUN(peer_mismatch);
    RUN(cat2);
    RUN(ssn_and_imsi_network);
    RUN(location);
    RUN(sms);
    RUN(dialogues);
    RUN(malformed_monitor_rules);
    RUN(isup_default);
    RUN(answers);
    RUN(categories_and_geo);
    ssgw_firewall_free(ins);
    ssgw_policy_free(pol);
    ssgw_decoder_free(dec);
    return check_summary();
}
