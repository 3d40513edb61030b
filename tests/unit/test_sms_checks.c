/*
 * test_sms_checks.c - sender protection and spam checks (sms.*, docs/checks.md) on hand-built
 * mt-forwardSM carrying SMS-DELIVER TPDUs in the example network (examples/ssgw.conf): the
 * protected sender delivered by the wrong SMSC, one of our numbers as sender from abroad,
 * floods per sender, the same text to many recipients (personalised copies included), links
 * to listed domains and listed phrases are caught by their checks, legitimate messages pass;
 * a MAP v1 forwardSM is judged by the way its sm-RP-DA sends it;
 * no verdict reason contains the text. The character classes the text checks use in place of
 * <ctype.h> (checks_sms.c) are compared with it, in the C locale, on every octet.
 */
#include <ctype.h>
#include <stdlib.h>

#include "check.h"
#include "policy/policy_int.h"
#include "ssgw/firewall.h"
#include "ssgw/m3ua.h"
#include "ssgw/map_msg.h"
#include "ssgw/sccp.h"
#include "ssgw/sms.h"

static ssgw_policy *pol;
static ssgw_firewall *fw;
static ssgw_decoder *dec;
static ssgw_view view;
static ssgw_verdict vd;
static uint8_t wire[2048];

static const char *sender_rate = "5/60s"; /* [sms] sender_rate of the next fresh() */

static const char extra[] =
    "[[check]]\nname = \"sms.mt_fsm_no_sri\"\nenabled = false\n"
    "[sms]\nsender_rate = \"%s\"\nsame_text = \"3/600s\"\n"
    "url_domains = [\"evil-bank.example\", \"bit.ly\"]\nkeywords = [\"verify your account\", "
    "\"account  is\\tsuspended\"]\n"
    "[[protected_sender]]\nsender = \"MyBank\"\nsmsc = [\"254722000020\"]\n"
    "[[protected_sender]]\nsender = \"447924100100\"\npartner = [\"home\"]\n"
    "[[partner]]\nname = \"Hub Connect\"\ncountry = \"PT\"\ngt_prefixes = [\"351900\"]\n"
    "point_codes = [2009]\nsms_hub = true\n";

static void fresh(void)
{
    FILE *f = fopen("../examples/ssgw.conf", "rb");
    static char buf[24000];
    size_t n = f ? fread(buf, 1, sizeof buf - 4000, f) : 0;
    if (f) fclose(f);
    buf[n] = '\0';
    /* the example's own [sms] and [[protected_sender]] give way to this test's (extra):
     * they run from "[sms]" to the home network's heading */
    char *from = strstr(buf, "\n[sms]"), *to = from ? strstr(from, "\n# ---- the home") : NULL;
    CHECK(from && to);
    if (from && to) {
        memmove(from, to, strlen(to) + 1);
        n = strlen(buf);
    }
    snprintf(buf + n, sizeof buf - n, "\n");
    n = strlen(buf);
    snprintf(buf + n, sizeof buf - n, extra, sender_rate);
    ssgw_config_errors errs;
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
    pol = ssgw_policy_load_string("x.conf", buf, strlen(buf), &errs);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(stderr, "%s\n", errs.e[i].text);
    CHECK(pol != NULL);
    fw = ssgw_firewall_new(pol, NULL);
}

/* A TCAP Begin (otid) carrying components c[0..n) from calling GT sc at point code opc to
 * our MSC, encoded into wire; returns its length. */
static size_t encode_begin(const ssgw_tcap_component *c, unsigned n, const char *sc, uint32_t opc,
                           uint32_t otid)
{
    ssgw_buf mb;
    ssgw_buf_init(&mb, wire, sizeof wire);
    ssgw_error e;
    ssgw_tcap_msg tm;
    memset(&tm, 0, sizeof tm);
    tm.type = SSGW_TCAP_BEGIN;
    ssgw_tcap_tid_set(&tm.otid, otid, 4);
    tm.components_present = true;
    ssgw_map_route r = {.opc = opc, .dpc = 1001, .ni = 2};
    ssgw_sccp_addr_gt(&r.called, "447924000011", 8);
    ssgw_sccp_addr_gt(&r.calling, sc, 8);
    CHECK_INT(ssgw_map_msg_encode(&mb, &r, &tm, c, n, &e), 0);
    return mb.len;
}

/* Judges wire[0..len) at second t as an inbound message; returns the deciding check. */
static const char *judge_wire(size_t len, uint32_t t)
{
    ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, wire, len, (uint64_t)t * 1000, &view);
    CHECK(!view.has_error);
    ssgw_firewall_meta meta = {.time_ms = (uint64_t)t * 1000, .direction = SSGW_DIR_INBOUND};
    ssgw_firewall_judge(fw, &view, &meta, &vd);
    return vd.check;
}

/* A TCAP Begin (otid) carrying component c from SMSC sc at point code opc to our MSC, judged
 * at second t; returns the deciding check. */
static const char *judge_begin(const ssgw_tcap_component *c, const char *sc, uint32_t opc,
                               uint32_t otid, uint32_t t)
{
    return judge_wire(encode_begin(c, 1, sc, opc, otid), t);
}

/* An mt-forwardSM: from calling GT `calling` at point code opc, service-centre address
 * (SM-RP-OA) sc (NULL: the calling GT), to our subscriber imsi, an SMS-DELIVER from sender
 * (alphanumeric when it has letters; else numeric, TON 1 unless set_ton) with text; tail
 * octets appended to the TPDU, the first octet's TP-MTI bits replaced when set_mti. */
typedef struct {
    const char *calling;
    uint32_t opc;
    const char *sc;
    const char *sender;
    bool set_ton;
    uint8_t ton;
    const char *imsi;
    const char *text;
    const char *tail; /* octets appended to the TPDU (tail_len of them) */
    size_t tail_len;
    bool set_mti;
    uint8_t mti;
    int invoke_id; /* 0: 1 */
} sms_msg;

/* Fills c with m's mt-forwardSM invoke; its parameter in pm (pm_cap octets). */
static void sms_component(const sms_msg *m, ssgw_tcap_component *c, uint8_t *pm, size_t pm_cap)
{
    ssgw_sms_tpdu tp;
    ssgw_sms_tpdu_init(&tp, SSGW_SMS_DELIVER);
    tp.oa.present = true;
    if (strspn(m->sender, "0123456789") == strlen(m->sender)) {
        tp.oa.ton = m->set_ton ? m->ton : 1;
        tp.oa.npi = 1;
    } else {
        tp.oa.alphanumeric = true;
        tp.oa.ton = 5;
    }
    snprintf(tp.oa.text, sizeof tp.oa.text, "%s", m->sender);
    tp.pid = 0;
    tp.dcs = 0;
    tp.scts.year = 26;
    tp.scts.month = 1;
    tp.scts.day = 1;
    uint8_t tpdu[200];
    ssgw_buf tb, pb;
    ssgw_buf_init(&tb, tpdu, sizeof tpdu);
    ssgw_buf_init(&pb, pm, pm_cap);
    ssgw_error e;
    CHECK_INT(ssgw_sms_encode(&tb, &tp, (const uint8_t *)m->text, strlen(m->text), &e), 0);
    if (m->tail_len && tb.len + m->tail_len <= sizeof tpdu) {
        memcpy(tpdu + tb.len, m->tail, m->tail_len);
        tb.len += m->tail_len;
    }
    if (m->set_mti) tpdu[0] = (uint8_t)((tpdu[0] & ~3u) | m->mti);
    ssgw_map_fields f;
    ssgw_map_fields_init(&f);
    snprintf(f.imsi, sizeof f.imsi, "%s", m->imsi);
    ssgw_map_addr_set(&f.smsc_address, m->sc ? m->sc : m->calling, 1, 1);
    f.sm_rp_ui = tb.data;
    f.sm_rp_ui_len = tb.len;
    f.sm_rp_dir = SSGW_MAP_SM_TO_MS;
    CHECK_INT(ssgw_map_msg_component(c, SSGW_TCAP_COMP_INVOKE, m->invoke_id ? m->invoke_id : 1,
                                     SSGW_MAP_OP_MT_FORWARD_SM, 3, &f, &pb),
              0);
}

static const char *sms_send(const sms_msg *m, uint32_t t)
{
    static uint8_t pm[512];
    ssgw_tcap_component c;
    sms_component(m, &c, pm, sizeof pm);
    return judge_begin(&c, m->calling, m->opc, 0x100 + t, t);
}

/* An mt-forwardSM from SMSC sc (calling GT and SM-RP-OA) to our subscriber imsi: an
 * SMS-DELIVER from sender (alphanumeric when it has letters) with text. */
static const char *sms(const char *sc, uint32_t opc, const char *sender, const char *imsi,
                       const char *text, uint32_t t)
{
    sms_msg m = {.calling = sc, .opc = opc, .sender = sender, .imsi = imsi, .text = text};
    return sms_send(&m, t);
}

#define KE_SC  "254722000020"
#define NG_SC  "234803000020"
#define SUB(i) ("23491000000000" #i)

static void protected_senders(void)
{
    fresh();
    /* the bank's aggregator (Safari's SMSC) may send "MyBank"; Lagos Mobile's may not, in
     * any spelling */
    CHECK_STR(sms(KE_SC, 2001, "MyBank", SUB(1), "Your code is 1234", 100), "default");
    CHECK_STR(sms(NG_SC, 2003, "MyBank", SUB(1), "Your code is 1234", 100), "sms.protected_sender");
    CHECK(strstr(vd.reason, "Lagos Mobile") && strstr(vd.reason, "MyBank"));
    CHECK(!strstr(vd.reason, "code is")); /* the text never appears */
    CHECK_STR(sms(NG_SC, 2003, "MY-BANK", SUB(1), "hello", 101), "sms.protected_sender");
    CHECK_STR(sms(NG_SC, 2003, "mybank", SUB(1), "hello", 102), "sms.protected_sender");
    CHECK_STR(sms(NG_SC, 2003, "YourBank", SUB(1), "hello", 103), "default");
    /* a numeric protected sender only our network may deliver */
    CHECK_STR(sms(NG_SC, 2003, "447924100100", SUB(1), "hello", 104), "sms.protected_sender");
}

static void home_sender(void)
{
    fresh();
    /* one of our subscribers' numbers as sender, from a Kenyan SMSC */
    CHECK_STR(sms(KE_SC, 2001, "447924000555", SUB(2), "call me", 100), "sms.home_sender_abroad");
    CHECK(strstr(vd.reason, "447924000555") && strstr(vd.reason, "Safari Mobile"));
    CHECK_STR(sms(KE_SC, 2001, "254722000555", SUB(2), "call me", 101), "default");
}

static void rates_and_same_text(void)
{
    fresh();
    /* five messages a minute from one sender, then the flood check */
    for (int i = 0; i < 5; i++) {
        char text[64];
        snprintf(text, sizeof text, "news item %c", 'a' + i);
        CHECK_STR(sms(KE_SC, 2001, "InfoSMS", SUB(3), text, 100), "default");
    }
    CHECK_STR(sms(KE_SC, 2001, "InfoSMS", SUB(3), "news item z", 100), "sms.sender_rate");
    /* one campaign, personalised by numbers, from changing senders: three recipients pass,
     * the fourth is too many; the same subscriber twice counts once */
    const char *subs[] = {SUB(4), SUB(5), SUB(5), SUB(6), SUB(7)};
    const char *want[] = {"default", "default", "default", "default", "sms.same_text"};
    for (int i = 0; i < 5; i++) {
        char text[96], sender[16];
        snprintf(text, sizeof text, "Parcel %d held: pay %d.%02d GBP fee now", 100 + i, i + 1,
                 i * 7);
        snprintf(sender, sizeof sender, "Post%d", i);
        CHECK_STR(sms(KE_SC, 2001, sender, subs[i], text, 200 + (uint32_t)i), want[i]);
    }
    CHECK(strstr(vd.reason, "fingerprint") && !strstr(vd.reason, "Parcel"));
    /* over its limit, the campaign's copy to someone it reached before is stopped too,
     * until the bucket had time to refill one (600 s / 3) */
    CHECK_STR(sms(KE_SC, 2001, "Post7", SUB(5), "Parcel 777 held: pay 9.99 GBP fee now", 205),
              "sms.same_text");
    CHECK_STR(sms(KE_SC, 2001, "Post8", SUB(4), "Parcel 778 held: pay 9.98 GBP fee now", 405),
              "default");
    /* another text to the same people passes */
    CHECK_STR(sms(KE_SC, 2001, "Post9", SUB(7), "Your appointment is tomorrow", 210), "default");
}

static void links_and_phrases(void)
{
    fresh();
    CHECK_STR(
        sms(KE_SC, 2001, "Alerts", SUB(8), "Login at https://secure.evil-bank.example/x", 100),
        "sms.url");
    CHECK(strstr(vd.reason, "secure.evil-bank.example") && !strstr(vd.reason, "Login"));
    CHECK_STR(sms(KE_SC, 2001, "Alerts", SUB(8), "see bit.ly/3abc now", 101), "sms.url");
    CHECK_STR(sms(KE_SC, 2001, "Alerts", SUB(8), "see notbit.ly/3abc", 102), "default");
    CHECK_STR(sms(KE_SC, 2001, "Alerts", SUB(8), "Please VERIFY YOUR ACCOUNT today", 103),
              "sms.keyword");
    CHECK_STR(sms(KE_SC, 2001, "Alerts", SUB(8), "Your account is fine", 104), "default");
}

/* A MAP v1 forwardSM (no dialogue portion) whose sm-RP-DA names our subscriber's IMSI (to
 * the MS) while its sm-RP-OA names an MSISDN (from the MS): the MSC routes by sm-RP-DA and
 * delivers it, so it is judged as an mt-forwardSM with an SMS-DELIVER (the SMS checks see the
 * protected sender), not as a mobile-originated message (TS 29.002 7.6.8). With noSM-RP-DA,
 * sm-RP-OA says. */
static const char *forward_sm_v1(bool da_imsi, const char *sc, uint32_t opc, const char *sender,
                                 const char *imsi, uint32_t t)
{
    ssgw_sms_tpdu tp;
    ssgw_sms_tpdu_init(&tp, SSGW_SMS_DELIVER);
    tp.oa.present = true;
    tp.oa.alphanumeric = true;
    tp.oa.ton = 5;
    snprintf(tp.oa.text, sizeof tp.oa.text, "%s", sender);
    tp.scts.year = 26;
    tp.scts.month = 1;
    tp.scts.day = 1;
    uint8_t tpdu[200], pm[512];
    ssgw_buf tb;
    ssgw_buf_init(&tb, tpdu, sizeof tpdu);
    ssgw_error e;
    CHECK_INT(ssgw_sms_encode(&tb, &tp, (const uint8_t *)"Your code is 1234", 17, &e), 0);
    size_t n = 2;
    if (da_imsi) { /* sm-RP-DA [0] imsi */
        pm[n++] = 0x80;
        int l = ssgw_tbcd_encode(imsi, pm + n + 1, 8);
        pm[n++] = (uint8_t)l;
        n += (size_t)l;
    } else { /* noSM-RP-DA [5] NULL, sm-RP-OA [4] serviceCentreAddressOA */
        pm[n++] = 0x85;
        pm[n++] = 0x00;
        pm[n++] = 0x84;
        int l = ssgw_tbcd_encode(sc, pm + n + 2, 10);
        pm[n++] = (uint8_t)(l + 1);
        pm[n++] = 0x91;
        n += (size_t)l;
    }
    if (da_imsi) { /* sm-RP-OA [2] msisdn */
        pm[n++] = 0x82;
        int l = ssgw_tbcd_encode("447700900123", pm + n + 2, 10);
        pm[n++] = (uint8_t)(l + 1);
        pm[n++] = 0x91;
        n += (size_t)l;
    }
    pm[n++] = 0x04; /* sm-RP-UI */
    pm[n++] = (uint8_t)tb.len;
    memcpy(pm + n, tb.data, tb.len);
    n += tb.len;
    pm[0] = 0x30;
    pm[1] = (uint8_t)(n - 2);
    ssgw_tcap_component c;
    memset(&c, 0, sizeof c);
    c.type = SSGW_TCAP_COMP_INVOKE;
    c.invoke_id_present = true;
    c.invoke_id = 1;
    c.opcode.kind = SSGW_TCAP_CODE_LOCAL;
    c.opcode.local = SSGW_MAP_OP_MO_FORWARD_SM; /* forwardSM, 46 */
    c.param_present = true;
    c.param_tlv = pm;
    c.param_tlv_len = n;
    return judge_begin(&c, sc, opc, 0x200 + t, t);
}

static void sm_rp_da_decides(void)
{
    fresh();
    CHECK_STR(forward_sm_v1(true, NG_SC, 2003, "MyBank", SUB(3), 200), "sms.protected_sender");
    CHECK_INT(view.map.sm_rp_dir, SSGW_MAP_SM_TO_MS);
    CHECK(view.has_sms && view.sms.type == SSGW_SMS_DELIVER);
    CHECK_STR(forward_sm_v1(false, NG_SC, 2003, "MyBank", SUB(3), 201), "sms.protected_sender");
    CHECK_INT(view.map.sm_rp_dir, SSGW_MAP_SM_TO_MS);
    CHECK_STR(forward_sm_v1(true, KE_SC, 2001, "MyBank", SUB(3), 202), "default");
}

/* The decider count of name (a malformed.<layer>, a check). */
static uint64_t hits_of(const char *name)
{
    for (size_t i = 0; i < ssgw_firewall_decider_count(fw); i++)
        if (!strcmp(ssgw_firewall_decider_name(fw, i), name))
            return ssgw_firewall_decider_hits(fw, i);
    return 0;
}

/* A TPDU that does not decode (an octet after TP-UD, the reserved TP-MTI 3) is malformed.sms,
 * dropped and counted as any malformed message, whatever checks are on, and whichever
 * component of the message carries it; it used to skip every SMS check and pass. */
static void malformed_tpdu(void)
{
    fresh();
    sms_msg m = {.calling = KE_SC,
                 .opc = 2001,
                 .sender = "InfoSMS",
                 .imsi = SUB(1),
                 .text = "Verify at http://bit.ly/x"};
    sms_msg good = m;
    good.text = "See you at noon";
    CHECK_STR(sms_send(&good, 100), "default");
    uint64_t before = hits_of("malformed.sms");
    m.tail = "\0";
    m.tail_len = 1;
    CHECK_STR(sms_send(&m, 101), "malformed.sms");
    CHECK(!vd.pass && vd.action == SSGW_ACT_DROP);
    CHECK_INT((int)(hits_of("malformed.sms") - before), 1);
    sms_msg r = good; /* TS 23.040 9.2.3.1: a handset takes TP-MTI 3 for an SMS-DELIVER */
    r.set_mti = true;
    r.mti = 3;
    CHECK_STR(sms_send(&r, 102), "malformed.sms");
    /* with no SMS check on (and the MAP parameters fine) */
    static const char *const sms_checks[] = {
        "sms.protected_sender", "sms.home_sender_abroad", "sms.url",          "sms.keyword",
        "sms.sender_rate",      "sms.same_text",          "sms.mt_fsm_origin"};
    for (size_t i = 0; i < sizeof sms_checks / sizeof sms_checks[0]; i++)
        CHECK_INT(ssgw_firewall_switch_check(fw, sms_checks[i], SSGW_FW_SWITCH_OFF), 0);
    good.tail = "\0";
    good.tail_len = 1;
    CHECK_STR(sms_send(&good, 103), "malformed.sms");
    CHECK_STR(sms_send(&r, 104), "malformed.sms");
    /* the second of two short messages in one Begin: judged alone it was not decoded */
    fresh();
    static uint8_t pm[2][512];
    ssgw_tcap_component c[2];
    sms_msg first = {.calling = KE_SC,
                     .opc = 2001,
                     .sender = "InfoSMS",
                     .imsi = SUB(1),
                     .text = "See you at noon"};
    sms_msg second = first;
    second.invoke_id = 2;
    sms_component(&first, &c[0], pm[0], sizeof pm[0]);
    sms_component(&second, &c[1], pm[1], sizeof pm[1]);
    CHECK_STR(judge_wire(encode_begin(c, 2, KE_SC, 2001, 0x300), 200), "default");
    second.tail = "\0";
    second.tail_len = 1;
    sms_component(&second, &c[1], pm[1], sizeof pm[1]);
    CHECK_STR(judge_wire(encode_begin(c, 2, KE_SC, 2001, 0x301), 201), "malformed.sms");
    /* the gateway: decoded ahead (ssgw_firewall_prepare), its keys prefetched from a view of
     * their own, then judged */
    size_t len = encode_begin(c, 2, KE_SC, 2001, 0x302);
    ssgw_firewall_meta meta = {.time_ms = 202000, .direction = SSGW_DIR_INBOUND};
    static ssgw_view pview;
    ssgw_store_key keys[64];
    ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, wire, len, meta.time_ms, &pview);
    ssgw_firewall_prefetch_keys(fw, &pview, &meta, keys, 64);
    CHECK(pview.has_error && pview.error.layer == SSGW_LAYER_SMS);
    ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, wire, len, meta.time_ms, &view);
    ssgw_firewall_prepare(&view, SSGW_DIR_INBOUND);
    CHECK(view.has_error && view.error.layer == SSGW_LAYER_SMS);
    ssgw_firewall_judge(fw, &view, &meta, &vd);
    CHECK_STR(vd.check, "malformed.sms");
}

/* A service-centre address (SM-RP-OA) is the sender's word: an SMSC of another network than
 * the calling GT lent a protected sender (or one of our numbers) that network's standing.
 * The calling GT's network decides; a partner configured as an SMS hub may relay other
 * networks' SMSC addresses, never ours. */
static void forged_service_centre(void)
{
    fresh();
    /* Lagos Mobile's SMSC writes the aggregator's (allowed) SMSC for MyBank, or ours */
    sms_msg m = {.calling = NG_SC,
                 .opc = 2003,
                 .sc = KE_SC,
                 .sender = "MyBank",
                 .imsi = SUB(1),
                 .text = "Your code is 1234"};
    CHECK_STR(sms_send(&m, 100), "sms.protected_sender");
    CHECK(strstr(vd.reason, NG_SC) && strstr(vd.reason, "Lagos Mobile"));
    m.sender = "447924100100";
    m.sc = "447924000020";
    CHECK_STR(sms_send(&m, 101), "sms.protected_sender");
    m.sender = "InfoSMS"; /* nothing protected: the origin check names the mismatch */
    CHECK_STR(sms_send(&m, 103), "sms.mt_fsm_origin");
    CHECK(strstr(vd.reason, "447924000020") && strstr(vd.reason, "another network"));
    m.sender = "447924000555"; /* one of our numbers, "from our SMSC" */
    CHECK_STR(sms_send(&m, 102), "sms.mt_fsm_origin");
    CHECK_INT(ssgw_firewall_switch_check(fw, "sms.mt_fsm_origin", SSGW_FW_SWITCH_OFF), 0);
    CHECK_STR(sms_send(&m, 102), "sms.home_sender_abroad");
    CHECK(strstr(vd.reason, "Lagos Mobile"));
    CHECK_INT(ssgw_firewall_switch_check(fw, "sms.mt_fsm_origin", SSGW_FW_SWITCH_RESET), 0);
    m.sender = "InfoSMS";
    m.sc = KE_SC;
    CHECK_STR(sms_send(&m, 104), "sms.mt_fsm_origin");
    /* the legitimate ones: the SMSC's own GT and address */
    CHECK_STR(sms(KE_SC, 2001, "MyBank", SUB(1), "Your code is 1234", 105), "default");
    CHECK_STR(sms(NG_SC, 2003, "InfoSMS", SUB(1), "hello", 106), "default");
    /* an SMS hub relays Safari's SMSC for MyBank, and Lagos Mobile's for anybody */
    sms_msg h = {.calling = "351900000020",
                 .opc = 2009,
                 .sc = KE_SC,
                 .sender = "MyBank",
                 .imsi = SUB(2),
                 .text = "Your code is 1234"};
    CHECK_STR(sms_send(&h, 110), "default");
    h.sc = NG_SC;
    CHECK_STR(sms_send(&h, 111), "sms.protected_sender");
    CHECK(strstr(vd.reason, "Lagos Mobile"));
    h.sender = "InfoSMS";
    CHECK_STR(sms_send(&h, 112), "default");
    /* ... but not ours */
    h.sc = "447924000020";
    CHECK_STR(sms_send(&h, 113), "sms.mt_fsm_origin");
    h.sender = "447924100100";
    CHECK_STR(sms_send(&h, 114), "sms.protected_sender");
    CHECK(strstr(vd.reason, "Hub Connect"));
}

/* A listed domain as a host anywhere in the text, whatever stands before it, and the host
 * after the user part of an address. */
static void url_variants(void)
{
    fresh();
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"Check your parcel (bit.ly/x)", "sms.url"},
        {"Check your parcel:bit.ly/x", "sms.url"},
        {"Check at https://albionbank.example@bit.ly/x", "sms.url"},
        {"Check at https://a@b@bit.ly/x", "sms.url"},
        {"Check at HTTPS://WWW.BIT.LY/x", "sms.url"},
        {"Check at https://bit.ly:8080/x", "sms.url"},
        {"Check at \"bit.ly\".", "sms.url"},
        {"Check at https://secure.evil-bank.example.", "sms.url"},
        {"Check at https://bit.ly@albionbank.example/x", "default"},
        {"Check at notbit.ly/x", "default"},
        {"Check at bit.ly.albionbank.example/x", "default"},
        {"Check at albionbank.example/bit.ly", "sms.url"}, /* a host-shaped word: listed */
        {"Check bit ly", "default"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char sender[16]; /* one each: sms.sender_rate stays out of it */
        snprintf(sender, sizeof sender, "Alerts%zu", i);
        const char *got = sms(KE_SC, 2001, sender, SUB(8), cases[i].text, 100 + (uint32_t)i);
        if (strcmp(got, cases[i].want)) fprintf(stderr, "url case %zu: %s\n", i, got);
        CHECK_STR(got, cases[i].want);
    }
    /* a long host is named by its end, the listed domain */
    CHECK_STR(sms(KE_SC, 2001, "Alerts99", SUB(8),
                  "Go to my.private.words.are.not.for.the.logs.at.all.really.none.of.them.bit.ly",
                  150),
              "sms.url");
    CHECK(strstr(vd.reason, "...") && strstr(vd.reason, ".bit.ly,") &&
          !strstr(vd.reason, "private"));
}

/* One of our numbers as sender with TON unknown (as international or national) or national
 * (a trunk "0" or none) is refused like the international form; short codes and other
 * countries' national numbers are not ours. */
static void home_sender_forms(void)
{
    fresh();
    static const struct {
        const char *sender;
        uint8_t ton;
        const char *want;
    } cases[] = {
        {"447924000555", 0, "sms.home_sender_abroad"},
        {"07924000555", 0, "sms.home_sender_abroad"},
        {"7924000555", 0, "sms.home_sender_abroad"},
        {"00447924000555", 0, "sms.home_sender_abroad"},
        {"07924000555", 2, "sms.home_sender_abroad"},
        {"7924000555", 2, "sms.home_sender_abroad"},
        {"79245", 0, "default"},      /* a short code */
        {"0722000555", 2, "default"}, /* Kenyan (national), not ours */
        {"254722000555", 0, "default"},
        {"447924000555", 2, "default"}, /* "national" 447924...: not a British number */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sms_msg m = {.calling = KE_SC,
                     .opc = 2001,
                     .sender = cases[i].sender,
                     .set_ton = true,
                     .ton = cases[i].ton,
                     .imsi = SUB(2),
                     .text = "call me"};
        const char *got = sms_send(&m, 100 + (uint32_t)i);
        if (strcmp(got, cases[i].want)) fprintf(stderr, "sender case %zu: %s\n", i, got);
        CHECK_STR(got, cases[i].want);
    }
    sms_msg m = {.calling = KE_SC,
                 .opc = 2001,
                 .sender = "07924000555",
                 .set_ton = true,
                 .ton = 2,
                 .imsi = SUB(2),
                 .text = "call me"};
    CHECK_STR(sms_send(&m, 120), "sms.home_sender_abroad");
    CHECK(strstr(vd.reason, "07924000555") && strstr(vd.reason, "447924000555"));
}

/* White space in the text and in the phrase is compared as one space. */
static void keyword_spacing(void)
{
    fresh();
    CHECK_STR(sms(KE_SC, 2001, "Alerts", SUB(8), "Please verify  your account", 100),
              "sms.keyword");
    CHECK_STR(sms(KE_SC, 2001, "Alerts", SUB(8), "Please verify\nyour \r account", 101),
              "sms.keyword");
    CHECK_STR(sms(KE_SC, 2001, "Alerts", SUB(8), "Please verify your bank account", 102),
              "default");
    CHECK_STR(sms(KE_SC, 2001, "Alerts", SUB(8), "Please verifyyour account", 103), "default");
    /* the phrase's own spacing does not count either */
    CHECK_STR(sms(KE_SC, 2001, "Alerts", SUB(8), "Your account is suspended", 104), "sms.keyword");
    CHECK(strstr(vd.reason, "account  is\tsuspended") != NULL);
}

static void config_errors(void)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"[[protected_sender]]\nsender = \"B\"\n", "lists neither smsc nor partner"},
        {"[[protected_sender]]\nsender = \"TOOLONGSENDERNAME\"\nsmsc = [\"44\"]\n", "sender"},
        {"[[protected_sender]]\nsender = \"X\"\npartner = [\"Nobody\"]\n", "Nobody"},
        {"[[protected_sender]]\nsender = \"My Bank\"\nsmsc = [\"44\"]\n"
         "[[protected_sender]]\nsender = \"MYBANK\"\nsmsc = [\"45\"]\n",
         "already listed"},
        {"[sms]\nurl_domains = [\"not a domain\"]\n", "url_domains"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[512];
        snprintf(buf, sizeof buf, "[home]\nmcc_mnc = [\"23491\"]\ngt_prefixes = [\"447924\"]\n%s",
                 cases[i].text);
        ssgw_config_errors errs;
        ssgw_policy *p = ssgw_policy_load_string("c.conf", buf, strlen(buf), &errs);
        CHECK(p == NULL);
        bool found = false;
        for (size_t k = 0; k < errs.n; k++)
            found |= strstr(errs.e[k].text, cases[i].want) != NULL;
        if (!found && errs.n) fprintf(stderr, "case %zu: %s\n", i, errs.e[0].text);
        CHECK(found);
        ssgw_policy_free(p);
    }
}

/* ---- concatenated messages: a link or phrase split between segments ------------------ */

/*
 * An SMS-DELIVER packed here by hand, not by ssgw_sms_encode (an independent packer, TS
 * 23.040 9.2.3.24): alphanumeric-free numeric sender 447700900123, DCS dcs, a header of
 * udh[0..udh_len) (its UDHL added here) and text. GSM 7-bit text is packed bit by bit after
 * the header's fill bits; the texts use only characters whose GSM default alphabet code is
 * their ASCII code (letters, digits, space, '.', ':', '/'). 8-bit text goes as its octets.
 */
static size_t pack_deliver(uint8_t *out, uint8_t dcs, const uint8_t *udh, size_t udh_len,
                           const char *text)
{
    size_t n = 0;
    out[n++] = (uint8_t)(udh_len ? 0x44 : 0x04); /* SMS-DELIVER, no more messages, UDHI */
    static const uint8_t oa[] = {12, 0x91, 0x44, 0x77, 0x00, 0x09, 0x21, 0x43};
    memcpy(out + n, oa, sizeof oa);
    n += sizeof oa;
    out[n++] = 0x00; /* TP-PID */
    out[n++] = dcs;
    static const uint8_t scts[7] = {0x62, 0x10, 0x10, 0x00, 0x00, 0x00, 0x00};
    memcpy(out + n, scts, sizeof scts);
    n += sizeof scts;
    size_t hoct = udh_len ? udh_len + 1 : 0, tl = strlen(text);
    uint8_t *ud = out + n + 1;
    if (dcs == 0x04 || dcs == 0xF4) {
        out[n] = (uint8_t)(hoct + tl);
        if (hoct) ud[0] = (uint8_t)udh_len;
        if (udh_len) memcpy(ud + 1, udh, udh_len);
        memcpy(ud + hoct, text, tl);
        return n + 1 + hoct + tl;
    }
    size_t first = (hoct * 8 + 6) / 7, septets = first + tl, oct = (septets * 7 + 7) / 8;
    memset(ud, 0, oct);
    if (hoct) ud[0] = (uint8_t)udh_len;
    if (udh_len) memcpy(ud + 1, udh, udh_len);
    for (size_t k = 0; k < tl; k++)
        for (unsigned b = 0; b < 7; b++)
            if ((text[k] >> b) & 1) {
                size_t bit = (first + k) * 7 + b;
                ud[bit / 8] |= (uint8_t)(1u << (bit % 8));
            }
    out[n] = (uint8_t)septets;
    return n + 1 + oct;
}

/* The concatenation element: 8-bit (IEI 0) or 16-bit (IEI 8) reference. */
static size_t concat_ie(uint8_t *h, bool ref16, unsigned ref, unsigned total, unsigned seq)
{
    size_t n = 0;
    h[n++] = ref16 ? 0x08 : 0x00;
    h[n++] = ref16 ? 4 : 3;
    if (ref16) h[n++] = (uint8_t)(ref >> 8);
    h[n++] = (uint8_t)ref;
    h[n++] = (uint8_t)total;
    h[n++] = (uint8_t)seq;
    return n;
}

/* An mt-forwardSM from the SMSC at GT sc and point code opc to subscriber imsi carrying
 * tpdu[0..len), judged at t. */
static const char *sms_raw_from(const char *sc, uint32_t opc, const uint8_t *tpdu, size_t len,
                                const char *imsi, uint32_t t)
{
    static uint8_t pm[512];
    ssgw_tcap_component c;
    ssgw_buf pb;
    ssgw_buf_init(&pb, pm, sizeof pm);
    ssgw_map_fields f;
    ssgw_map_fields_init(&f);
    snprintf(f.imsi, sizeof f.imsi, "%s", imsi);
    ssgw_map_addr_set(&f.smsc_address, sc, 1, 1);
    f.sm_rp_ui = tpdu;
    f.sm_rp_ui_len = len;
    f.sm_rp_dir = SSGW_MAP_SM_TO_MS;
    CHECK_INT(
        ssgw_map_msg_component(&c, SSGW_TCAP_COMP_INVOKE, 1, SSGW_MAP_OP_MT_FORWARD_SM, 3, &f, &pb),
        0);
    return judge_begin(&c, sc, opc, 0x200 + t, t);
}

/* The same from Safari's SMSC. */
static const char *sms_raw(const uint8_t *tpdu, size_t len, const char *imsi, uint32_t t)
{
    return sms_raw_from(KE_SC, 2001, tpdu, len, imsi, t);
}

/* Segment seq of total (reference ref) of a GSM 7-bit message to imsi, judged at t. */
static const char *segment(const char *imsi, bool ref16, unsigned ref, unsigned total, unsigned seq,
                           const char *text, uint32_t t)
{
    uint8_t udh[8], tp[200];
    size_t hl = concat_ie(udh, ref16, ref, total, seq);
    return sms_raw(tp, pack_deliver(tp, 0x00, udh, hl, text), imsi, t);
}

static uint64_t outcome(ssgw_store_segment_outcome o)
{
    ssgw_store *s = ssgw_firewall_store(fw);
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    return st.segments[o];
}

static void split_across_segments(void)
{
    sender_rate = "1000/60s"; /* one sender sends every segment here */
    fresh();
    /* the hand packer agrees with the decoder: one segment alone, nothing listed in it */
    CHECK_STR(segment(SUB(1), false, 7, 2, 1, "Your parcel: https://bit", 100), "default");
    CHECK_INT((int)outcome(SSGW_SEGMENT_KEPT), 1);
    /* the segment that completes the link is refused, saying it was split */
    CHECK_STR(segment(SUB(1), false, 7, 2, 2, ".ly/x1 today", 101), "sms.url");
    CHECK(strstr(vd.reason, "bit.ly") && strstr(vd.reason, "segments 1-2 of 2") &&
          strstr(vd.reason, "reference 7") && !strstr(vd.reason, "parcel"));
    CHECK_INT((int)outcome(SSGW_SEGMENT_JOINED), 1);
    /* out of order, 16-bit reference: the first segment arrives last and is the one refused */
    CHECK_STR(segment(SUB(2), true, 0x1234, 3, 3, " account today", 110), "default");
    CHECK_STR(segment(SUB(2), true, 0x1234, 3, 2, "ase verify your", 111), "sms.keyword");
    CHECK(strstr(vd.reason, "verify your account") && strstr(vd.reason, "segments 2-3 of 3"));
    CHECK_STR(segment(SUB(2), true, 0x1234, 3, 1, "Ple", 112), "default");
    /* a phrase over three segments, the middle one shorter than the phrase */
    CHECK_STR(segment(SUB(3), false, 9, 3, 1, "please verify yo", 120), "default");
    CHECK_STR(segment(SUB(3), false, 9, 3, 3, "ccount now", 121), "default");
    CHECK_STR(segment(SUB(3), false, 9, 3, 2, "ur a", 122), "sms.keyword");
    CHECK(strstr(vd.reason, "segments 1-3 of 3") != NULL);
    /* another recipient, sender reference or total: not the same message */
    CHECK_STR(segment(SUB(4), false, 7, 2, 2, ".ly/x1 today", 130), "default");
    CHECK_STR(segment(SUB(1), false, 8, 2, 2, ".ly/x1 today", 131), "default");
    CHECK_STR(segment(SUB(1), false, 7, 3, 2, ".ly/x1 today", 132), "default");
    /* a host that goes on past the listed domain, or a word before it: not the domain */
    CHECK_STR(segment(SUB(5), false, 1, 2, 1, "go to https://bit", 140), "default");
    CHECK_STR(segment(SUB(5), false, 1, 2, 2, ".lyx.example/a", 141), "default");
    CHECK_STR(segment(SUB(5), false, 2, 2, 1, "go to https://notbit", 142), "default");
    CHECK_STR(segment(SUB(5), false, 2, 2, 2, ".ly/a", 143), "default");
    /* a match inside one segment is that segment's, not the next one's */
    CHECK_STR(segment(SUB(5), false, 3, 2, 1, "please verify your account", 144), "sms.keyword");
    CHECK_STR(segment(SUB(5), false, 3, 2, 2, "thanks", 145), "default");
    /* a host running past the next segment's kept head (20 octets here) has an unknown end:
     * "x" + "abcdefghijklm.bit.lyz.example" is not bit.ly */
    CHECK_STR(segment(SUB(5), false, 6, 2, 2, "abcdefghijklm.bit.lyz.example/x", 146), "default");
    CHECK_STR(segment(SUB(5), false, 6, 2, 1, "go to https://x", 147), "default");
    /* past the window ([sms] concat_window, 300 s by default) the first is forgotten */
    CHECK_STR(segment(SUB(6), false, 4, 2, 1, "Login: https://bit", 150), "default");
    CHECK_STR(segment(SUB(6), false, 4, 2, 2, ".ly/z", 451), "default");
    CHECK_STR(segment(SUB(6), false, 5, 2, 1, "Login: https://bit", 460), "default");
    CHECK_STR(segment(SUB(6), false, 5, 2, 2, ".ly/z", 760), "sms.url");
}

/* Another network's flood of segments (more than the table holds, within the window) does
 * not push out a partner's live segment: it fills the free room and its own share, then
 * replaces its own ([state] network_share). Before, the oldest record of a set went first,
 * and the split link below passed. */
static void segment_flood(void)
{
    sender_rate = "1000000/60s";
    fresh();
    CHECK_STR(segment(SUB(1), false, 7, 2, 1, "Your parcel: https://bit", 100), "default");
    uint64_t kept = outcome(SSGW_SEGMENT_KEPT), objected = 0;
    for (unsigned i = 0; i < 40000; i++) { /* 16,384 records: Rhein's SMSC, other recipients */
        char imsi[16], text[40];
        snprintf(imsi, sizeof imsi, "2349100%08u", 1000 + i);
        snprintf(text, sizeof text, "hello %c%c%c there", 'a' + i % 26, 'a' + i / 26 % 26,
                 'a' + i / 676 % 26);
        uint8_t udh[8], tp[200];
        size_t hl = concat_ie(udh, false, i % 256, 2, 1);
        const char *ck = sms_raw_from("491710000020", 2002, tp,
                                      pack_deliver(tp, 0x00, udh, hl, text), imsi, 101 + i / 250);
        if (strcmp(ck, "default") && objected++ < 3) printf("  flood %u: %s\n", i, ck);
    }
    CHECK_INT((int)objected, 0); /* each one passed the checks and was kept: */
    CHECK_INT((int)(outcome(SSGW_SEGMENT_KEPT) - kept), 40000);
    CHECK_STR(segment(SUB(1), false, 7, 2, 2, ".ly/x1 today", 290), "sms.url");
}

static void hostile_headers(void)
{
    fresh();
    uint64_t ignored = outcome(SSGW_SEGMENT_IGNORED_IE);
    /* total 0, sequence 0, sequence above total: the phone ignores the element, the segment
     * stands alone and is judged alone */
    CHECK_STR(segment(SUB(1), false, 1, 0, 1, "https://bit", 100), "default");
    CHECK_STR(segment(SUB(1), false, 1, 2, 0, "https://bit", 101), "default");
    CHECK_STR(segment(SUB(1), false, 1, 2, 3, "https://bit", 102), "default");
    CHECK_STR(segment(SUB(1), false, 1, 2, 2, ".ly/x", 103), "default");
    CHECK_INT((int)(outcome(SSGW_SEGMENT_IGNORED_IE) - ignored), 3);
    /* several concatenation elements: the last one is the phone's */
    uint8_t udh[16], tp[200];
    size_t hl = concat_ie(udh, false, 99, 2, 1);
    hl += concat_ie(udh + hl, true, 0x0202, 2, 1);
    CHECK_STR(sms_raw(tp, pack_deliver(tp, 0x00, udh, hl, "Login https://bit"), SUB(2), 110),
              "default");
    CHECK_INT((int)outcome(SSGW_SEGMENT_SEVERAL_IE), 1);
    CHECK_STR(segment(SUB(2), false, 99, 2, 2, ".ly/q", 111), "default");
    CHECK_STR(segment(SUB(2), true, 0x0202, 2, 2, ".ly/q", 112), "sms.url");
    /* a retransmission is counted; a repeat with another text keeps the first boundary and
     * is itself judged with its neighbour */
    CHECK_STR(segment(SUB(3), false, 5, 2, 1, "hello there", 120), "default");
    CHECK_STR(segment(SUB(3), false, 5, 2, 1, "hello there", 121), "default");
    CHECK_INT((int)outcome(SSGW_SEGMENT_REPEATED), 1);
    CHECK_STR(segment(SUB(3), false, 5, 2, 2, "ly/q", 122), "default");
    CHECK_STR(segment(SUB(3), false, 5, 2, 1, "see https://bit.", 123), "sms.url");
    CHECK_INT((int)outcome(SSGW_SEGMENT_CONFLICT), 1);
    /* a header longer than the user data: malformed, never a segment */
    uint8_t bad[200];
    size_t bl = pack_deliver(bad, 0x04, udh, 5, "abc");
    bad[bl - 3 - 6] = 40; /* UDHL past the end */
    CHECK_STR(sms_raw(bad, bl, SUB(4), 130), "malformed.sms");
}

/* 8-bit data is read as ISO 8859-1 text for links and phrases (not when addressed to a
 * port: application data), alone or split. */
static void eight_bit_text(void)
{
    fresh();
    uint8_t tp[200], udh[8];
    CHECK_STR(sms_raw(tp, pack_deliver(tp, 0x04, NULL, 0, "Pay at HTTPS://BIT.LY/p"), SUB(1), 100),
              "sms.url");
    CHECK_STR(sms_raw(tp, pack_deliver(tp, 0xF4, NULL, 0, "Verify\r\nyour account"), SUB(1), 101),
              "sms.keyword");
    CHECK_STR(sms_raw(tp, pack_deliver(tp, 0x04, NULL, 0, "nothing listed here"), SUB(1), 102),
              "default");
    size_t hl = concat_ie(udh, false, 3, 2, 1);
    CHECK_STR(sms_raw(tp, pack_deliver(tp, 0x04, udh, hl, "pay at bit"), SUB(2), 103), "default");
    hl = concat_ie(udh, false, 3, 2, 2);
    CHECK_STR(sms_raw(tp, pack_deliver(tp, 0x04, udh, hl, ".ly/p"), SUB(2), 104), "sms.url");
    /* port-addressed 8-bit data (application port 2948, WAP push) is not text */
    static const uint8_t ports[] = {0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0};
    CHECK_STR(sms_raw(tp, pack_deliver(tp, 0x04, ports, sizeof ports, "bit.ly/p"), SUB(3), 105),
              "default");
}

/* ssgw_sms_sender_norm and ssgw_sms_phrase_norm (the text's normalisation, read from the same
 * classes) against the same functions written with <ctype.h>, on strings holding each octet
 * 1..255 at the start, between letters and doubled, beside spaces and no-break spaces. */
static void ctype_reference(const char *in, char *sender, char *phrase, size_t cap)
{
    size_t n = 0;
    for (const char *c = in; *c && n + 1 < cap; c++)
        if (isalnum((unsigned char)*c)) sender[n++] = (char)toupper((unsigned char)*c);
    sender[n] = '\0';
    n = 0;
    for (const char *c = in; *c && n + 1 < cap;) {
        size_t sp = isspace((unsigned char)*c)                                   ? 1
                    : (unsigned char)c[0] == 0xc2 && (unsigned char)c[1] == 0xa0 ? 2
                                                                                 : 0;
        if (!sp) {
            phrase[n++] = (char)tolower((unsigned char)*c++);
            continue;
        }
        if (n == 0 || phrase[n - 1] != ' ') phrase[n++] = ' ';
        c += sp;
    }
    phrase[n] = '\0';
}

static void classes_as_ctype(void)
{
    static const char *const forms[] = {"%c", "a%cZ", "%c%c", " %c\t", "\xc2\xa0%c\xc2", "9%c-."};
    size_t compared = 0, differ = 0;
    for (int c = 1; c < 256; c++)
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            char in[32], s1[32], p1[32], s2[32], p2[32];
            snprintf(in, sizeof in, forms[f], c, c);
            ssgw_sms_sender_norm(in, s1, sizeof s1);
            ssgw_sms_phrase_norm(in, p1, sizeof p1);
            ctype_reference(in, s2, p2, sizeof s2);
            compared++;
            differ += strcmp(s1, s2) != 0 || strcmp(p1, p2) != 0;
        }
    printf("    %zu strings normalised, %zu differ from <ctype.h>\n", compared, differ);
    CHECK_INT(differ, 0);
}

/* The fingerprint as it was written before issue 16 (<ctype.h>, the tests in text order):
 * the reference for the one that tests for a letter first. */
static uint64_t fingerprint_reference(const char *text, uint64_t key)
{
    uint64_t h = key ^ 0x736f6d6570736575ull;
    bool in_link = false;
    for (const char *c = text; *c; c++) {
        if (isspace((unsigned char)*c)) {
            in_link = false;
            continue;
        }
        if (*c == '/' && c > text && c[-1] != '/' && c[-1] != ':') in_link = true;
        if (in_link || !isalpha((unsigned char)*c)) continue;
        h = ssgw_store_mix(h, (uint8_t)*c);
    }
    return ssgw_store_mix(h, key);
}

/* Random texts of letters (both cases), digits, white space, '/', ':', '.', and octets of
 * 0x80 and more: the same fingerprints as the reference, with two keys. */
static void fingerprint_as_reference(void)
{
    static const char alphabet[] = "abcXYZ019 \t\n//::..-@\xc2\xa0\xe9";
    uint64_t x = 88172645463325252ull;
    size_t compared = 0, differ = 0;
    for (int k = 0; k < 20000; k++) {
        char text[64];
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t n = x % 60;
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text[i] = alphabet[x % (sizeof alphabet - 1)];
        }
        text[n] = '\0';
        for (uint64_t key = 1; key <= 2; key++) {
            compared++;
            differ += ssgw_sms_fingerprint(text, key * 0x1234567) !=
                      fingerprint_reference(text, key * 0x1234567);
        }
    }
    printf("    %zu fingerprints, %zu differ from the reference\n", compared, differ);
    CHECK_INT(differ, 0);
}

int main(void)
{
    dec = ssgw_decoder_new(NULL);
    RUN(protected_senders);
    RUN(home_sender);
    RUN(rates_and_same_text);
    RUN(links_and_phrases);
    RUN(sm_rp_da_decides);
    RUN(malformed_tpdu);
    RUN(forged_service_centre);
    RUN(url_variants);
    RUN(home_sender_forms);
    RUN(keyword_spacing);
    RUN(config_errors);
    RUN(split_across_segments); /* sender_rate 1000/60s from here on */
    RUN(hostile_headers);
    RUN(eight_bit_text);
    RUN(classes_as_ctype);
    RUN(fingerprint_as_reference);
    RUN(segment_flood); /* sender_rate 1000000/60s */
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
    ssgw_decoder_free(dec);
    return check_summary();
}
