/*
 * test_view_sms.c - ssgw_view_sms on messages built with the project's encoders: the SMS
 * TPDU of the first forwardSM component, whether ssgw_view_map ran before it (and then
 * decoded that component alone, whose fields ssgw_view_sms takes over) or not, with a
 * second component whose fields differ, and after a view that held another message. The
 * TPDUs are the "hellohello" PDUs of test_sms.c (TS 23.038 6.1.2.1.1 in SMS-DELIVER and
 * SMS-SUBMIT), so the expected addresses are the spec example's, not this code's output.
 */
#include "check.h"
#include "msgbuild.h"
#include "ssgw/sms.h"
#include "ssgw/view.h"
#include "sms_examples.h"

/* A MAP parameter that is not valid for mo-forwardSM: a SEQUENCE with only an INTEGER. */
static const uint8_t bad_param[] = {0x30, 0x03, 0x02, 0x01, 0x00};

typedef struct {
    int op;
    const uint8_t *tpdu; /* NULL: no sm-RP-UI */
    size_t tpdu_len;
    int dir;            /* SSGW_MAP_SM_TO_MS / _FROM_MS */
    const uint8_t *raw; /* a parameter TLV as is, instead of an encoded one */
    size_t raw_len;
} comp_spec;

static uint8_t wire[4096];
static size_t wire_len;
static uint8_t params[4][512];

/* A TCAP Begin naming acn, with the components, in an SCCP UDT in an M3UA DATA (wire). */
static void build(const char *acn, const comp_spec *cs, size_t n)
{
    ssgw_tcap_msg m;
    memset(&m, 0, sizeof m);
    m.type = SSGW_TCAP_BEGIN;
    ssgw_tcap_tid_set(&m.otid, 0x01020304, 4);
    tb_dialogue(&m, acn);
    ssgw_tcap_component c[4];
    memset(c, 0, sizeof c);
    for (size_t i = 0; i < n; i++) {
        c[i].type = SSGW_TCAP_COMP_INVOKE;
        c[i].invoke_id_present = true;
        c[i].invoke_id = (int)i + 1;
        c[i].opcode.kind = SSGW_TCAP_CODE_LOCAL;
        c[i].opcode.local = cs[i].op;
        c[i].param_present = true;
        if (cs[i].raw) {
            c[i].param_tlv = cs[i].raw;
            c[i].param_tlv_len = cs[i].raw_len;
            continue;
        }
        ssgw_map_fields f;
        tb_map_fields(&f, OURS, KE_SUB "1", NULL, NULL, KE_SC);
        f.sm_rp_ui = cs[i].tpdu;
        f.sm_rp_ui_len = cs[i].tpdu_len;
        f.sm_rp_dir = cs[i].dir;
        ssgw_buf pb;
        ssgw_buf_init(&pb, params[i], sizeof params[i]);
        CHECK_INT(ssgw_map_encode(cs[i].op, SSGW_MAP_INVOKE, 3, &f, &pb), 0);
        c[i].param_tlv = pb.data;
        c[i].param_tlv_len = pb.len;
    }
    m.components_present = true;
    uint8_t tm[2048];
    ssgw_buf tb;
    ssgw_buf_init(&tb, tm, sizeof tm);
    ssgw_error e;
    CHECK_INT(ssgw_tcap_encode(&tb, &m, c, n, &e), 0);
    wire_len = tb_wrap_gt(wire, sizeof wire, 100, 200, KE_MSC, 8, MSC, 8, tb.data, tb.len);
    CHECK(wire_len > 0);
}

static ssgw_view v;
static ssgw_decoder *dec;

static void decode(void)
{
    CHECK_INT(ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, wire, wire_len, 0, &v), 0);
    CHECK(v.has_tcap);
}

static void check_submit(void)
{
    CHECK(v.has_sms);
    CHECK_INT(v.sms_opcode, SSGW_MAP_OP_MO_FORWARD_SM);
    CHECK_INT(v.sms_dir, SSGW_SMS_FROM_MS);
    CHECK_INT(v.sms.type, SSGW_SMS_SUBMIT);
    CHECK_STR(v.sms.da.text, "46708251358");
}

/* One forwardSM component: the fields ssgw_view_map decoded are the ones the TPDU comes from. */
static void single_component(void)
{
    const comp_spec cs[] = {
        {SSGW_MAP_OP_MT_FORWARD_SM, deliver, sizeof deliver, SSGW_MAP_SM_TO_MS, NULL, 0}};
    build("0.4.0.0.1.0.25.3", cs, 1);
    decode();
    CHECK_INT(ssgw_view_map(&v), 0);
    CHECK_INT(v.map_only_comp, 0);
    CHECK_INT(ssgw_view_sms(&v), 0);
    CHECK(v.has_sms);
    CHECK_INT(v.sms_opcode, SSGW_MAP_OP_MT_FORWARD_SM);
    CHECK_INT(v.sms_dir, SSGW_SMS_TO_MS);
    CHECK_INT(v.sms.type, SSGW_SMS_DELIVER);
    CHECK_STR(v.sms.oa.text, "27838890001");
    char text[SSGW_SMS_TEXT_CAP];
    CHECK_INT(ssgw_sms_text(&v.sms, text, sizeof text, NULL), 10);
    CHECK_STR(text, "hellohello");
}

/* The SUBMIT is in the first component, a second one (sendRoutingInfoForSM) is decoded after
 * it: ssgw_view_map's fields are not the first component's, so ssgw_view_sms decodes its own,
 * before or after ssgw_view_map, with the same result. */
static void two_components(void)
{
    const comp_spec cs[] = {
        {SSGW_MAP_OP_MO_FORWARD_SM, submit, sizeof submit, SSGW_MAP_SM_FROM_MS, NULL, 0},
        {SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM, NULL, 0, 0, NULL, 0}};
    build("0.4.0.0.1.0.21.3", cs, 2);
    decode();
    CHECK_INT(ssgw_view_map(&v), 0);
    CHECK_INT(v.map_only_comp, -1);
    CHECK_INT(ssgw_view_sms(&v), 0);
    check_submit();

    decode(); /* the other order */
    CHECK_INT(ssgw_view_sms(&v), 0);
    check_submit();
    CHECK_INT(ssgw_view_map(&v), 0);
}

/* A view that held a one-component message, then one whose MAP parameter is malformed:
 * ssgw_view_map fails, and ssgw_view_sms reports the MAP error rather than taking the
 * cleared fields for the component's. */
static void after_failed_map(void)
{
    const comp_spec good[] = {
        {SSGW_MAP_OP_MO_FORWARD_SM, submit, sizeof submit, SSGW_MAP_SM_FROM_MS, NULL, 0}};
    build("0.4.0.0.1.0.21.3", good, 1);
    decode();
    CHECK_INT(ssgw_view_map(&v), 0);
    CHECK_INT(v.map_only_comp, 0);
    CHECK_INT(ssgw_view_sms(&v), 0);
    check_submit();

    const comp_spec bad[] = {{SSGW_MAP_OP_MO_FORWARD_SM, NULL, 0, 0, bad_param, sizeof bad_param}};
    build("0.4.0.0.1.0.21.3", bad, 1);
    decode();
    CHECK_INT(ssgw_view_map(&v), -1);
    CHECK_INT(v.map_only_comp, -1);
    CHECK_INT(ssgw_view_sms(&v), -1);
    CHECK(!v.has_sms);
    CHECK(v.has_error);
    CHECK_INT(v.error.layer, SSGW_LAYER_MAP);
}

int main(void)
{
    dec = ssgw_decoder_new(NULL);
    RUN(single_component);
    RUN(two_components);
    RUN(after_failed_map);
    ssgw_decoder_free(dec);
    return check_summary();
}
