/*
 * test_tcap_user.c - which TCAP user and which operation (include/ssgw/tcap_user.h),
 * as the view decides it, and what the firewall does with it.
 *
 * Hand-built messages: the same local code 23 is requestReportBCSMEvent under a
 * CAP context (or on the CAP subsystem 146 without one: the called party's) and
 * updateGprsLocation under MAP; a context no table knows names no operation; ANSI TCAP and SCCP
 * management are recognised before any ITU TCAP decoding. The firewall judges
 * MAP dialogues only with MAP checks (the example network, examples/ssgw.conf).
 */
#include "check.h"
#include "msgbuild.h"
#include "ssgw/firewall.h"
#include "ssgw/m3ua.h"
#include "ssgw/policy.h"
#include "ssgw/view.h"

static ssgw_decoder *dec;
static ssgw_view v;
static uint8_t wire[2048];
static size_t wire_len;

/* SCCP user data between two GTs (SSNs given) in an M3UA DATA, decoded into v. */
static void carry(const uint8_t *data, size_t len, const char *cg, uint8_t cg_ssn, const char *cd,
                  uint8_t cd_ssn)
{
    wire_len = tb_wrap_gt(wire, sizeof wire, 2009, 1001, cg, cg_ssn, cd, cd_ssn, data, len);
    CHECK(wire_len > 0);
    ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, wire, wire_len, 1000, &v);
}

/* A Begin (acn: AARQ naming it) or a Continue (acn NULL) with one invoke of code op, from
 * calling SSN cg_ssn to called SSN cd_ssn. */
static void tcap_ssns(const char *acn, int op, const uint8_t *param, size_t plen, uint8_t cg_ssn,
                      uint8_t cd_ssn)
{
    uint8_t tm[1024];
    ssgw_buf tb;
    ssgw_error e;
    ssgw_buf_init(&tb, tm, sizeof tm);
    ssgw_tcap_msg m;
    memset(&m, 0, sizeof m);
    m.type = acn ? SSGW_TCAP_BEGIN : SSGW_TCAP_CONTINUE;
    ssgw_tcap_tid_set(&m.otid, 0x11223344, 4);
    if (!acn) ssgw_tcap_tid_set(&m.dtid, 0x55667788, 4);
    if (acn) tb_dialogue(&m, acn);
    ssgw_tcap_component c;
    memset(&c, 0, sizeof c);
    c.type = SSGW_TCAP_COMP_INVOKE;
    c.invoke_id_present = true;
    c.invoke_id = 1;
    c.opcode.kind = SSGW_TCAP_CODE_LOCAL;
    c.opcode.local = op;
    if (param) {
        c.param_present = true;
        c.param_tlv = param;
        c.param_tlv_len = plen;
    }
    m.components_present = true;
    CHECK_INT(ssgw_tcap_encode(&tb, &m, &c, 1, &e), 0);
    carry(tb.data, tb.len, "882340000001", cg_ssn, "447924000001", cd_ssn);
}

/* A firewall on the example policy (*pol: its policy, to free after it); NULL when either
 * could not be made. */
static ssgw_firewall *example_firewall(ssgw_policy **pol)
{
    ssgw_config_errors errs;
    *pol = ssgw_policy_load_file("../examples/ssgw.conf", &errs);
    ssgw_firewall *fw = *pol ? ssgw_firewall_new(*pol, NULL) : NULL;
    CHECK(fw != NULL);
    return fw;
}

static const ssgw_firewall_meta inbound = {1000, SSGW_DIR_INBOUND, false, 0, NULL, NULL, 0};

/* The same, both parties on subsystem ssn. */
static void tcap(const char *acn, int op, const uint8_t *param, size_t plen, uint8_t ssn)
{
    tcap_ssns(acn, op, param, plen, ssn, ssn);
}

static void cap_is_not_map(void)
{
    ssgw_tcap_op op;
    /* requestReportBCSMEvent under CAP phase 2 */
    tcap("0.4.0.0.1.0.50.1", 23, NULL, 0, 146);
    CHECK(!v.has_error);
    CHECK_INT(v.tcap_user, SSGW_TCU_CAP);
    CHECK_INT(v.tcap_user_basis, SSGW_TCU_BY_CONTEXT);
    CHECK(v.cap_acn && v.cap_acn->phase == 2);
    CHECK(v.acn == NULL && v.acn_other);
    CHECK_STR(ssgw_view_op_name(&v, 23), "requestReportBCSMEvent");
    CHECK_INT(ssgw_view_tcap_op(&v, 0, &op), 0);
    CHECK_INT(op.user, SSGW_TCU_CAP);
    CHECK_INT(op.id, SSGW_CAP_OP_REQUEST_REPORT_BCSM_EVENT);
    CHECK_INT(op.in_context, 1);
    CHECK_INT(op.class_src, SSGW_TCOP_CLASS_CAP_DIRECTION);
    CHECK_STR(op.class_name, "from-scf");
    /* initialDP (0) is not in MAP's table but is CAP's */
    tcap("0.4.0.0.1.23.3.4", 0, NULL, 0, 146);
    CHECK_STR(ssgw_view_op_name(&v, 0), "initialDP");
    /* a phase 4 operation under a phase 2 context: named, but not in the context */
    tcap("0.4.0.0.1.0.50.1", SSGW_CAP_OP_PLAY_TONE, NULL, 0, 146);
    CHECK_INT(ssgw_view_tcap_op(&v, 0, &op), 0);
    CHECK_STR(op.name, "playTone");
    CHECK_INT(op.in_context, 0);
    /* a Continue without a dialogue portion on the CAP subsystem */
    tcap(NULL, 23, NULL, 0, 146);
    CHECK_INT(v.tcap_user, SSGW_TCU_CAP);
    CHECK_INT(v.tcap_user_basis, SSGW_TCU_BY_SSN);
    CHECK_STR(ssgw_view_op_name(&v, 23), "requestReportBCSMEvent");
    CHECK_INT(ssgw_view_tcap_op(&v, 0, &op), 0);
    CHECK_INT(op.in_context, -1);
    /* the same code under MAP */
    tcap("0.4.0.0.1.0.32.3", 23, NULL, 0, 6);
    CHECK_INT(v.tcap_user, SSGW_TCU_MAP);
    CHECK_STR(ssgw_view_op_name(&v, 23), "updateGprsLocation");
    CHECK_INT(ssgw_view_tcap_op(&v, 0, &op), 0);
    CHECK_INT(op.class_src, SSGW_TCOP_CLASS_FS11);
    CHECK_STR(op.class_name, "cat3");
    CHECK_INT(op.in_context, 1);
    tcap(NULL, 23, NULL, 0, 6);
    CHECK_INT(v.tcap_user, SSGW_TCU_MAP);
    CHECK_INT(v.tcap_user_basis, SSGW_TCU_BY_DEFAULT);
}

/* Without a context, the called party's subsystem decides, as at the node that receives it:
 * a calling SSN of 146 towards an HLR, or towards a GT without a subsystem, does not make
 * updateGprsLocation CAP (it made every MAP check miss it). */
static void called_ssn_decides(void)
{
    tcap_ssns(NULL, 23, NULL, 0, 146, 6);
    CHECK_INT(v.tcap_user, SSGW_TCU_MAP);
    CHECK_INT(v.tcap_user_basis, SSGW_TCU_BY_DEFAULT);
    CHECK_STR(ssgw_view_op_name(&v, 23), "updateGprsLocation");
    tcap_ssns(NULL, 23, NULL, 0, 6, 146);
    CHECK_INT(v.tcap_user, SSGW_TCU_CAP);
    CHECK_INT(v.tcap_user_basis, SSGW_TCU_BY_SSN);
    /* nor when the called party names no subsystem: the STP's translation gives the HLR's */
    tcap_ssns(NULL, 23, NULL, 0, 146, 0);
    CHECK_INT(v.tcap_user, SSGW_TCU_MAP);
    CHECK_INT(v.tcap_user_basis, SSGW_TCU_BY_DEFAULT);
    /* and the firewall judges it as MAP: a category 3 operation, checked */
    ssgw_policy *pol;
    ssgw_firewall *fw = example_firewall(&pol);
    ssgw_verdict vd;
    tcap_ssns(NULL, SSGW_MAP_OP_UPDATE_GPRS_LOCATION, NULL, 0, 146, 6);
    ssgw_firewall_judge(fw, &v, &inbound, &vd);
    CHECK_INT(vd.category, SSGW_CAT_3);
    CHECK(strcmp(vd.check, "default") != 0);
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
}

static void unknown_and_families(void)
{
    ssgw_tcap_op op;
    /* an INAP context (ETS 300 374-1 core INAP CS1): no table names its operations */
    tcap("0.4.0.1.1.1.0.0", 23, NULL, 0, 12);
    CHECK_INT(v.tcap_user, SSGW_TCU_UNKNOWN);
    CHECK(ssgw_view_op_name(&v, 23) == NULL);
    CHECK_INT(ssgw_view_tcap_op(&v, 0, &op), 0);
    CHECK_INT(op.id, -1);
    CHECK_INT(op.class_src, SSGW_TCOP_CLASS_NONE);
    CHECK_INT(op.code, 23);
    /* MAP v2 forwardSM and v3 mt-forwardSM: one family */
    tcap("0.4.0.0.1.0.25.2", SSGW_MAP_OP_MO_FORWARD_SM, NULL, 0, 8);
    CHECK_INT(ssgw_view_tcap_op(&v, 0, &op), 0);
    CHECK_STR(op.name, "forwardSM");
    int v2_family = op.family;
    tcap("0.4.0.0.1.0.25.3", SSGW_MAP_OP_MT_FORWARD_SM, NULL, 0, 8);
    CHECK_INT(ssgw_view_tcap_op(&v, 0, &op), 0);
    CHECK_STR(op.name, "mt-forwardSM");
    CHECK_INT(op.family, v2_family);
    CHECK_STR(op.family_name, "forwardSM");
    /* a component without an operation code */
    CHECK_INT(ssgw_view_tcap_op(&v, 5, &op), -1);
    CHECK_STR(ssgw_tcap_user_name(SSGW_TCU_ANSI41), "ansi-41");
    CHECK_STR(ssgw_tcu_basis_name(SSGW_TCU_BY_SSN), "ssn");
    CHECK_STR(ssgw_tcop_class_src_name(SSGW_TCOP_CLASS_FS11), "fs11");
}

static void cap_parameters_in_view(void)
{
    /* EventReportBCSM { eventTypeBCSM oDisconnect } */
    static const uint8_t erb[] = {0x30, 0x03, 0x80, 0x01, 0x09};
    tcap("0.4.0.0.1.21.3.4", SSGW_CAP_OP_EVENT_REPORT_BCSM, erb, sizeof erb, 146);
    CHECK_INT(ssgw_view_cap(&v), 0);
    CHECK_INT(v.cap.event_type_bcsm, 9);
    CHECK_INT(ssgw_view_map(&v), 0); /* nothing for MAP's decoder */
    CHECK_STR(v.map.imsi, "");
    /* a malformed argument: error in layer CAP, offset from the start of the message */
    static const uint8_t bad[] = {0x30, 0x03, 0x80, 0x05, 0x09};
    tcap("0.4.0.0.1.21.3.4", SSGW_CAP_OP_EVENT_REPORT_BCSM, bad, sizeof bad, 146);
    CHECK_INT(ssgw_view_cap(&v), -1);
    CHECK_INT(v.error.layer, SSGW_LAYER_CAP);
    CHECK(v.error.offset > 40 && v.error.offset < wire_len);
}

static void other_sccp_users(void)
{
    /* SCCP management: SSP, affected SSN 6 (HLR), PC 1001, SMI 0 */
    static const uint8_t ssp[] = {0x02, 0x06, 0xe9, 0x03, 0x00};
    carry(ssp, sizeof ssp, "447924000001", 1, "254722000001", 1);
    CHECK(!v.has_error && v.has_scmg && !v.has_tcap);
    CHECK_INT(v.scmg.type, SSGW_SCMG_SSP);
    CHECK_INT(v.scmg.ssn, 6);
    CHECK_INT(v.scmg.pc, 1001);
    CHECK_INT(v.tcap_user, SSGW_TCU_NONE);
    /* truncated management message: an SCMG error, not a TCAP one */
    carry(ssp, 4, "447924000001", 1, "254722000001", 1);
    CHECK(v.has_error);
    CHECK_INT(v.error.layer, SSGW_LAYER_SCMG);
    /* ANSI TCAP: Query with permission, ANSI-41 LocationRequest (family 9, specifier 15) */
    static const uint8_t q[] = {0xe2, 0x11, 0xc7, 0x04, 0x01, 0x02, 0x03, 0x04, 0xe8, 0x09,
                                0xe9, 0x07, 0xcf, 0x01, 0x05, 0xd1, 0x02, 0x09, 0x0f};
    carry(q, sizeof q, "12125550001", 7, "12125550002", 6);
    CHECK(!v.has_error);
    CHECK(v.has_ansi_tcap && !v.has_tcap);
    CHECK_INT(v.ansi_tcap.type, SSGW_ANSI_TCAP_QUERY_WITH_PERM);
    CHECK_INT(v.tcap_user, SSGW_TCU_ANSI41);
    ssgw_tcap_op op;
    CHECK_INT(ssgw_view_tcap_op(&v, 0, &op), 0);
    CHECK_STR(op.name, "Location Request");
    CHECK_INT(op.code, 15);
}

static void firewall_judges_map_only(void)
{
    ssgw_policy *pol;
    ssgw_firewall *fw = example_firewall(&pol);
    ssgw_verdict vd;
    /* updateGprsLocation from a stranger to our HLR: a MAP check objects */
    tcap("0.4.0.0.1.0.32.3", SSGW_MAP_OP_UPDATE_GPRS_LOCATION, NULL, 0, 6);
    ssgw_firewall_judge(fw, &v, &inbound, &vd);
    CHECK(strcmp(vd.check, "default") != 0);
    CHECK_INT(vd.category, SSGW_CAT_3);
    /* the same code as CAP's requestReportBCSMEvent: no MAP meaning, no MAP check */
    tcap("0.4.0.0.1.0.50.1", SSGW_CAP_OP_REQUEST_REPORT_BCSM_EVENT, NULL, 0, 146);
    ssgw_firewall_judge(fw, &v, &inbound, &vd);
    CHECK_INT(vd.category, SSGW_CAT_NONE);
    tcap(NULL, SSGW_CAP_OP_REQUEST_REPORT_BCSM_EVENT, NULL, 0, 146);
    ssgw_firewall_judge(fw, &v, &inbound, &vd);
    CHECK_INT(vd.category, SSGW_CAT_NONE);
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
}

/* An ANSI TCAP Query with n ANSI-41 LocationRequest invokes from a partner's GT: past the
 * 16 the view decodes the rest would go unscreened, so it is malformed.tcap (as ITU TCAP). */
static const char *ansi_query_with(unsigned n)
{
    static uint8_t q[300];
    static const uint8_t inv[] = {0xe9, 0x07, 0xcf, 0x01, 0x05, 0xd1, 0x02, 0x09, 0x0f};
    size_t comps = n * sizeof inv, at = 0;
    q[at++] = 0xe2; /* Query with permission */
    q[at++] = 0x81;
    q[at++] = (uint8_t)(6 + 3 + comps);
    q[at++] = 0xc7; /* transaction id */
    q[at++] = 0x04;
    for (int i = 1; i <= 4; i++)
        q[at++] = (uint8_t)i;
    q[at++] = 0xe8; /* component sequence */
    q[at++] = 0x81;
    q[at++] = (uint8_t)comps;
    for (unsigned i = 0; i < n; i++, at += sizeof inv)
        memcpy(q + at, inv, sizeof inv);
    carry(q, at, "254722000001", 7, "447924000001", 6);
    CHECK(v.has_ansi_tcap && !v.has_error);
    ssgw_policy *pol;
    ssgw_firewall *fw = example_firewall(&pol);
    static char check[64];
    snprintf(check, sizeof check, "(no firewall)");
    if (fw) {
        ssgw_verdict vd;
        ssgw_firewall_judge(fw, &v, &inbound, &vd);
        snprintf(check, sizeof check, "%s", vd.check);
    }
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
    return check;
}

static void ansi_components_past_the_view(void)
{
    CHECK(strcmp(ansi_query_with(SSGW_VIEW_MAX_COMPONENTS), "malformed.tcap") != 0);
    CHECK(!v.ansi_comp_truncated);
    CHECK_STR(ansi_query_with(SSGW_VIEW_MAX_COMPONENTS + 1), "malformed.tcap");
    CHECK(v.ansi_comp_truncated);
}

int main(void)
{
    dec = ssgw_decoder_new(NULL);
    RUN(cap_is_not_map);
    RUN(called_ssn_decides);
    RUN(unknown_and_families);
    RUN(cap_parameters_in_view);
    RUN(other_sccp_users);
    RUN(firewall_judges_map_only);
    RUN(ansi_components_past_the_view);
    ssgw_decoder_free(dec);
    return check_summary();
}
