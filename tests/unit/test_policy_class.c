/*
 * test_policy_class.c - issue 11's firewall half, with hand-built messages of the example
 * network (examples/ssgw.conf):
 *  - the family table: every operation TS 29.002 renamed or split, written here from the
 *    specification's history (not read from the table), against the MAP table's family
 *    column and against what the policy calls each version (forwardSM by direction);
 *  - every check judges every version of an operation alike: each check alone, the old
 *    version and the current one give the same verdict (an SMS spoofed through MAP v1/v2
 *    forwardSM is caught like v3 mt-forwardSM);
 *  - each unclassified case (unknown TCAP user, unknown context, MAP v1 without dialogue
 *    portion, global opcode, unknown operation, operation out of context, ANSI TCAP, SCCP
 *    management, CAP by direction) refused from a stranger by its check, partners as
 *    configured;
 *  - location state from our HLR's messages, subscribers at home included.
 */
#include <stdlib.h>

#include "check.h"
#include "msgbuild.h"
#include "policy/policy_int.h"
#include "ssgw/ansi_tcap.h"
#include "ssgw/cap.h"
#include "ssgw/firewall.h"
#include "ssgw/m3ua.h"
#include "ssgw/sccp.h"
#include "ssgw/scmg.h"
#include "ssgw/tcap.h"

typedef struct {
    uint32_t opc, dpc;
    const char *cg;
    uint8_t cg_ssn;
    const char *cd;
    uint8_t cd_ssn;
    ssgw_tcap_msg_type tcap;
    uint32_t otid, dtid;
    const char *acn; /* dotted application context; NULL: no dialogue portion */
    int op;          /* local operation code; -1: none */
    ssgw_tcap_comp_type comp;
    bool cap;           /* the parameter is CAP's */
    int shape, version; /* encode the argument of this MAP operation and version (0: op) */
    const char *imsi, *msisdn, *vlr, *msc, *smsc;
    bool global; /* a global (OID) operation code instead of op */
} msg;

static ssgw_policy *pol;
static ssgw_firewall *fw;
static ssgw_decoder *dec;
static ssgw_view view;
static ssgw_verdict vd;
static uint8_t wire[4096];
static size_t wire_len;

/* SCCP user data between two parties, in M3UA DATA from opc to dpc, into wire. */
static void wrap(uint32_t opc, uint32_t dpc, const ssgw_sccp_addr *cg, const ssgw_sccp_addr *cd,
                 const uint8_t *data, size_t len)
{
    wire_len = tb_wrap(wire, sizeof wire, opc, dpc, cg, cd, data, len);
    CHECK(wire_len > 0);
}

static void encode(const msg *s)
{
    static const uint8_t global_op[] = {0x2a, 0x03, 0x04, 0x05}; /* 1.2.3.4.5 */
    uint8_t pm[1024], tm[2048];
    ssgw_buf pb, tb;
    ssgw_error e;
    ssgw_buf_init(&pb, pm, sizeof pm);
    ssgw_buf_init(&tb, tm, sizeof tm);
    ssgw_tcap_msg m;
    memset(&m, 0, sizeof m);
    m.type = s->tcap;
    if (s->otid) ssgw_tcap_tid_set(&m.otid, s->otid, 4);
    if (s->dtid) ssgw_tcap_tid_set(&m.dtid, s->dtid, 4);
    if (s->acn) tb_dialogue(&m, s->acn);
    ssgw_tcap_component c;
    memset(&c, 0, sizeof c);
    size_t nc = 0;
    if (s->op >= 0 || s->global) {
        c.type = s->comp ? s->comp : SSGW_TCAP_COMP_INVOKE;
        c.invoke_id_present = true;
        c.invoke_id = 1;
        if (s->global) {
            c.opcode.kind = SSGW_TCAP_CODE_GLOBAL;
            c.opcode.global = global_op;
            c.opcode.global_len = sizeof global_op;
        } else {
            c.opcode.kind = SSGW_TCAP_CODE_LOCAL;
            c.opcode.local = s->op;
        }
        int r = -1;
        if (s->cap) {
            ssgw_cap_fields f;
            ssgw_cap_fields_init(&f);
            f.service_key = 11;
            if (s->imsi) snprintf(f.imsi, sizeof f.imsi, "%s", s->imsi);
            if (s->msc) snprintf(f.msc_address, sizeof f.msc_address, "%s", s->msc);
            snprintf(f.destination_routing_address, sizeof f.destination_routing_address, "%s",
                     "4479240009999");
            if (s->op >= 0 && ssgw_cap_decodes(s->op)) r = ssgw_cap_encode(s->op, 0, &f, &pb);
        } else if (s->op >= 0) {
            ssgw_map_fields f;
            tb_map_fields(&f, s->imsi, s->msisdn, s->vlr, s->msc, s->smsc);
            ssgw_map_comp_kind k =
                c.type == SSGW_TCAP_COMP_INVOKE ? SSGW_MAP_INVOKE : SSGW_MAP_RETURN_RESULT;
            r = ssgw_map_encode(s->shape ? s->shape : s->op, k, s->version, &f, &pb);
        }
        if (r == 0 && pb.len) {
            c.param_present = true;
            c.param_tlv = pb.data;
            c.param_tlv_len = pb.len;
        }
        nc = 1;
        m.components_present = true;
    }
    CHECK_INT(ssgw_tcap_encode(&tb, &m, &c, nc, &e), 0);
    ssgw_sccp_addr cg, cd;
    ssgw_sccp_addr_gt(&cd, s->cd, s->cd_ssn);
    ssgw_sccp_addr_gt(&cg, s->cg, s->cg_ssn);
    wrap(s->opc, s->dpc, &cg, &cd, tb.data, tb.len);
}

/* Decodes and judges what is in wire; returns the deciding check. */
static const char *judge(uint32_t t)
{
    const char *c = tb_judge(dec, fw, wire, wire_len, t, &view, &vd);
    CHECK(c != NULL);
    return c ? c : "(malformed)";
}

static const char *run(const msg *s, uint32_t t)
{
    encode(s);
    return judge(t);
}

/* A fresh firewall on the example policy, with extra configuration appended. */
static void fresh(const char *extra)
{
    CHECK(tb_fresh_firewall(&pol, &fw, extra));
}

/* ---- the family table --------------------------------------------------------------------- */

/* TS 29.002's history of operations renamed or split (GSM 09.02 v3.x for MAP v1, v4.x for
 * v2; TS 29.002 for v3): the operation that replaced each, and where the old one travelled. */
static const struct {
    int code;
    const char *name; /* the old name */
    int family;       /* what it became */
    int ac, version;  /* a context and version that carried it */
} history[] = {
    {SSGW_MAP_OP_SEND_PARAMETERS, "sendParameters", SSGW_MAP_OP_SEND_AUTHENTICATION_INFO,
     SSGW_MAP_AC_INFO_RETRIEVAL, 1},
    {SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_DATA, "processUnstructuredSS-Data",
     SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST, SSGW_MAP_AC_NETWORK_FUNCTIONAL_SS, 1},
    {SSGW_MAP_OP_PERFORM_HANDOVER, "performHandover", SSGW_MAP_OP_PREPARE_HANDOVER,
     SSGW_MAP_AC_HANDOVER_CONTROL, 1},
    {SSGW_MAP_OP_PERFORM_SUBSEQUENT_HANDOVER, "performSubsequentHandover",
     SSGW_MAP_OP_PREPARE_SUBSEQUENT_HANDOVER, SSGW_MAP_AC_HANDOVER_CONTROL, 1},
    {SSGW_MAP_OP_NOTE_SUBSCRIBER_PRESENT, "noteSubscriberPresent", SSGW_MAP_OP_READY_FOR_SM,
     SSGW_MAP_AC_MWD_MNGT, 1},
    {SSGW_MAP_OP_ALERT_SERVICE_CENTRE_WITHOUT_RESULT, "alertServiceCentreWithoutResult",
     SSGW_MAP_OP_ALERT_SERVICE_CENTRE, SSGW_MAP_AC_SHORT_MSG_ALERT, 1},
    /* forwardSM (v1/v2) was split into mo-forwardSM (same code) and mt-forwardSM (44) */
    {SSGW_MAP_OP_MO_FORWARD_SM, "forwardSM", SSGW_MAP_OP_MO_FORWARD_SM,
     SSGW_MAP_AC_SHORT_MSG_MT_RELAY, 2},
    {SSGW_MAP_OP_MT_FORWARD_SM, "mt-forwardSM", SSGW_MAP_OP_MO_FORWARD_SM,
     SSGW_MAP_AC_SHORT_MSG_MT_RELAY, 3},
};
#define N_HISTORY (sizeof history / sizeof history[0])

static void family_table(void)
{
    /* every row of the MAP table that is not its own family is in the history, and agrees */
    size_t others = 0;
    for (size_t i = 0; i < ssgw_map_op_count(); i++) {
        const ssgw_map_op *op = ssgw_map_op_at(i);
        if ((int)op->family == (int)op->opcode) continue;
        others++;
        bool found = false;
        for (size_t k = 0; k < N_HISTORY && !found; k++)
            found = history[k].code == (int)op->opcode && history[k].family == (int)op->family;
        if (!found) fprintf(stderr, "family of %s not in the history\n", op->name);
        CHECK(found);
    }
    CHECK_INT(others, N_HISTORY - 1); /* forwardSM is 46's old name, not another row */
    for (size_t k = 0; k < N_HISTORY; k++) {
        CHECK_INT(ssgw_map_op_family(history[k].code), history[k].family);
        const ssgw_map_acn *acn = ssgw_map_acn_by_id(history[k].ac);
        CHECK(acn && ssgw_map_acn_carries(acn, history[k].version, history[k].code));
        CHECK_STR(ssgw_map_op_name_in(history[k].code, history[k].version), history[k].name);
    }
    CHECK_STR(ssgw_map_family_name(SSGW_MAP_OP_MO_FORWARD_SM), "forwardSM");
    /* what the policy judges each version as */
    const ssgw_map_acn *mt = ssgw_map_acn_by_id(SSGW_MAP_AC_SHORT_MSG_MT_RELAY);
    const ssgw_map_acn *mo = ssgw_map_acn_by_id(SSGW_MAP_AC_SHORT_MSG_MO_RELAY);
    const ssgw_map_acn *ir = ssgw_map_acn_by_id(SSGW_MAP_AC_INFO_RETRIEVAL);
    const int MT = SSGW_MAP_OP_MT_FORWARD_SM, MO = SSGW_MAP_OP_MO_FORWARD_SM;
    CHECK_INT(ssgw_policy_map_op(MT, mt, 3, 0), MT);
    CHECK_INT(ssgw_policy_map_op(MO, mo, 3, SSGW_MAP_SM_TO_MS), MO);   /* v3: by code */
    CHECK_INT(ssgw_policy_map_op(MO, mt, 2, 0), MT);                   /* MT relay v2 */
    CHECK_INT(ssgw_policy_map_op(MO, mo, 2, SSGW_MAP_SM_FROM_MS), MO); /* MO relay v2 */
    /* MO relay v2 with sm-RP-DA naming an IMSI: delivered towards the MS whatever the context
     * claims, so judged as mt-forwardSM */
    CHECK_INT(ssgw_policy_map_op(MO, mo, 2, SSGW_MAP_SM_TO_MS), MT);
    CHECK_INT(ssgw_policy_map_op(MO, mo, 1, SSGW_MAP_SM_TO_MS), MT); /* relay v1: by DA */
    CHECK_INT(ssgw_policy_map_op(MO, mo, 1, SSGW_MAP_SM_FROM_MS), MO);
    CHECK_INT(ssgw_policy_map_op(MO, NULL, 0, SSGW_MAP_SM_TO_MS), MT); /* no dialogue */
    CHECK_INT(ssgw_policy_map_op(MO, NULL, 0, 0), MO);
    CHECK_INT(ssgw_policy_map_op(SSGW_MAP_OP_SEND_PARAMETERS, ir, 1, 0),
              SSGW_MAP_OP_SEND_AUTHENTICATION_INFO);
    CHECK_INT(ssgw_policy_map_op(SSGW_MAP_OP_NOTE_SUBSCRIBER_PRESENT, NULL, 0, 0),
              SSGW_MAP_OP_READY_FOR_SM);
    CHECK_INT(ssgw_policy_map_op(SSGW_MAP_OP_UPDATE_LOCATION, NULL, 0, 0),
              SSGW_MAP_OP_UPDATE_LOCATION);
    CHECK_INT(ssgw_policy_map_op(99, NULL, 0, 0), 99); /* unallocated: itself */
}

/* ---- every check judges every version alike ------------------------------------------------ */

/* The verdict of check `only` alone (every other check switched off) on m. */
static const char *alone(size_t only, const msg *m)
{
    fresh(NULL);
    for (size_t i = 0; i < (size_t)ssgw_check_default_index(); i++)
        ssgw_firewall_switch_check(fw, ssgw_check_at(i)->name,
                                   i == only ? SSGW_FW_SWITCH_ON : SSGW_FW_SWITCH_OFF);
    return run(m, 1000);
}

/* Each check alone gives the current version's verdict to every old one; except, named,
 * the checks that judge the old version as such. */
static void same_verdicts(const msg *current, const msg *old, size_t n_old, const char *except)
{
    for (size_t i = 0; i < (size_t)ssgw_check_default_index(); i++) {
        const char *name = ssgw_check_at(i)->name;
        if (!strncmp(name, "class.", 6) || (except && !strcmp(name, except))) continue;
        char want[64];
        snprintf(want, sizeof want, "%s", alone(i, current));
        for (size_t k = 0; k < n_old; k++) {
            const char *got = alone(i, &old[k]);
            if (strcmp(got, want))
                fprintf(stderr, "%s: version %zu: %s, current: %s\n", name, k, got, want);
            CHECK_STR(got, want);
        }
    }
}

#define MT_RELAY_V3 "0.4.0.0.1.0.25.3"
#define MT_RELAY_V2 "0.4.0.0.1.0.25.2"
#define RELAY_V1    "0.4.0.0.1.0.21.1"

static void sms_versions(void)
{
    /* a fake SMSC delivers to our subscriber at our MSC: v3 mt-forwardSM, v2 forwardSM in the
     * MT relay context, v1 forwardSM in the relay context and without any dialogue portion */
    const msg v3 = {2009,
                    1001,
                    EVIL,
                    8,
                    MSC,
                    8,
                    SSGW_TCAP_BEGIN,
                    0x100,
                    0,
                    MT_RELAY_V3,
                    SSGW_MAP_OP_MT_FORWARD_SM,
                    0,
                    false,
                    0,
                    3,
                    OURS,
                    NULL,
                    NULL,
                    NULL,
                    EVIL,
                    false};
    msg old[3] = {v3, v3, v3};
    for (int k = 0; k < 3; k++) {
        old[k].op = SSGW_MAP_OP_MO_FORWARD_SM;    /* forwardSM */
        old[k].shape = SSGW_MAP_OP_MT_FORWARD_SM; /* ForwardSM-Arg towards the MS */
    }
    old[0].acn = MT_RELAY_V2, old[0].version = 2;
    old[1].acn = RELAY_V1, old[1].version = 1;
    old[2].acn = NULL, old[2].version = 1;
    fresh(NULL);
    CHECK_STR(run(&v3, 1000), "sms.mt_fsm_origin");
    CHECK_STR(run(&old[0], 1000), "sms.mt_fsm_origin");
    CHECK(strstr(vd.reason, "forwardSM from 882340000001") != NULL);
    CHECK_STR(run(&old[1], 1000), "sms.mt_fsm_origin");
    CHECK_STR(run(&old[2], 1000), "class.map_v1_no_dialogue"); /* and without its context... */
    fresh("[[check]]\nname = \"class.map_v1_no_dialogue\"\nenabled = false\n");
    CHECK_STR(run(&old[2], 1000), "sms.mt_fsm_origin"); /* ... still an SMS to the MS */
    same_verdicts(&v3, old, 3, NULL);
    /* a partner's SMSC that never asked where the subscriber is: no SRI-SM */
    msg p3 = v3, pold[3] = {old[0], old[1], old[2]};
    p3.opc = 2001, p3.cg = KE_SC, p3.smsc = KE_SC;
    for (int k = 0; k < 3; k++)
        pold[k].opc = 2001, pold[k].cg = KE_SC, pold[k].smsc = KE_SC;
    fresh(NULL);
    CHECK_STR(run(&p3, 1000), "sms.mt_fsm_no_sri");
    for (int k = 0; k < 3; k++)
        CHECK_STR(run(&pold[k], 1000), "sms.mt_fsm_no_sri");
    same_verdicts(&p3, pold, 3, NULL);
    /* a short message from the MS (MO relay v2, sm-RP-DA = service centre) is not MT */
    msg mo = pold[0];
    mo.acn = "0.4.0.0.1.0.21.2", mo.shape = 0, mo.version = 2;
    CHECK_STR(run(&mo, 1000), "default");
}

static void other_versions(void)
{
    /* sendParameters (v1) and sendAuthenticationInfo from a stranger's "VLR" */
    const msg sai = {2009,
                     1001,
                     EVIL,
                     7,
                     HLR,
                     6,
                     SSGW_TCAP_BEGIN,
                     0x200,
                     0,
                     "0.4.0.0.1.0.14.3",
                     SSGW_MAP_OP_SEND_AUTHENTICATION_INFO,
                     0,
                     false,
                     0,
                     3,
                     OURS,
                     NULL,
                     NULL,
                     NULL,
                     NULL,
                     false};
    msg sp = sai;
    sp.acn = "0.4.0.0.1.0.14.1", sp.op = SSGW_MAP_OP_SEND_PARAMETERS, sp.version = 1;
    fresh(NULL);
    CHECK_STR(run(&sai, 1000), "cat3.not_current_vlr");
    CHECK_STR(run(&sp, 1000), "cat1.operation"); /* category 1 on its own */
    same_verdicts(&sai, &sp, 1, "cat1.operation");
    /* noteSubscriberPresent (v1) and readyForSM */
    msg rfsm = sai, nsp;
    rfsm.acn = "0.4.0.0.1.0.24.3", rfsm.op = SSGW_MAP_OP_READY_FOR_SM;
    nsp = rfsm;
    nsp.acn = "0.4.0.0.1.0.24.1", nsp.op = SSGW_MAP_OP_NOTE_SUBSCRIBER_PRESENT, nsp.version = 1;
    fresh(NULL);
    CHECK_STR(run(&rfsm, 1000), "cat3.not_current_vlr");
    CHECK_STR(run(&nsp, 1000), "cat3.not_current_vlr");
    same_verdicts(&rfsm, &nsp, 1, NULL);
    /* processUnstructuredSS-Data (v1, category 1) and processUnstructuredSS-Request */
    msg pussr = sai, pusd;
    pussr.acn = "0.4.0.0.1.0.19.2", pussr.op = SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST;
    pussr.version = 2;
    pusd = pussr;
    pusd.acn = "0.4.0.0.1.0.18.1", pusd.op = SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_DATA;
    pusd.version = 1;
    same_verdicts(&pussr, &pusd, 1, "cat1.operation");
    /* a rule naming the current operation matches every version */
    fresh("[[rule]]\nname = \"no-mt-sms\"\noperation = [\"mt-forwardSM\"]\naction = \"drop\"\n");
    msg fsm = {2001,
               1001,
               KE_SC,
               8,
               MSC,
               8,
               SSGW_TCAP_BEGIN,
               0x300,
               0,
               MT_RELAY_V2,
               SSGW_MAP_OP_MO_FORWARD_SM,
               0,
               false,
               SSGW_MAP_OP_MT_FORWARD_SM,
               2,
               OURS,
               NULL,
               NULL,
               NULL,
               KE_SC,
               false};
    CHECK_STR(run(&fsm, 1000), "rule.no-mt-sms");
}

/* ---- unclassified traffic ------------------------------------------------------------------- */

static void unclassified(void)
{
    const msg ati = {2009,
                     1001,
                     EVIL,
                     147,
                     HLR,
                     6,
                     SSGW_TCAP_BEGIN,
                     0x400,
                     0,
                     "0.4.0.0.1.0.29.3",
                     SSGW_MAP_OP_ANY_TIME_INTERROGATION,
                     0,
                     false,
                     0,
                     3,
                     NULL,
                     "447924100001",
                     NULL,
                     NULL,
                     NULL,
                     false};
    msg m = ati;
    fresh(NULL);
    /* a TCAP user no table knows (a private context) */
    m.acn = "1.3.6.1.4.1.99999.1.2";
    CHECK_STR(run(&m, 1000), "class.unknown_user");
    CHECK_INT(vd.action, SSGW_ACT_DROP);
    CHECK(strstr(vd.reason, "1.3.6.1.4.1.99999.1.2") && strstr(vd.reason, EVIL));
    /* a MAP context version that does not exist; a CAP-arc context that does not exist */
    m.acn = "0.4.0.0.1.0.29.9";
    CHECK_STR(run(&m, 1000), "class.unknown_context");
    m.acn = "0.4.0.0.1.23.3.99";
    CHECK_STR(run(&m, 1000), "class.unknown_context");
    /* MAP v1: no dialogue portion */
    m.acn = NULL;
    CHECK_STR(run(&m, 1000), "class.map_v1_no_dialogue");
    /* a global operation code */
    m = ati;
    m.global = true;
    CHECK_STR(run(&m, 1000), "class.global_opcode");
    /* an unallocated operation code */
    m = ati;
    m.op = 99;
    CHECK_STR(run(&m, 1000), "class.unknown_operation");
    CHECK(strstr(vd.reason, "map operation code 99") != NULL);
    /* an operation its context does not carry: anyTimeInterrogation in networkLocUpContext */
    m = ati;
    m.acn = "0.4.0.0.1.0.1.3";
    CHECK_STR(run(&m, 1000), "class.out_of_context");
    CHECK(strstr(vd.reason, "anyTimeInterrogation") && strstr(vd.reason, "0.4.0.0.1.0.1.3"));
    /* partners: their traffic passes these checks and meets the MAP checks */
    msg p = ati;
    p.opc = 2001, p.cg = KE_HLR;
    p.acn = "1.3.6.1.4.1.99999.1.2";
    CHECK_STR(run(&p, 1000), "default"); /* not MAP: no MAP check */
    p.acn = "0.4.0.0.1.0.29.9";
    CHECK_STR(run(&p, 1000), "cat1.operation"); /* MAP: the category decides */
    p.acn = "0.4.0.0.1.0.1.3", p.opc = 2002, p.cg = DE_SCF;
    CHECK_STR(run(&p, 1000), "default"); /* Rhein's agreement covers ATI */
    /* ... unless the policy screens partners too */
    fresh("[classification]\npartners = \"screen\"\n");
    CHECK_STR(run(&p, 1000), "class.out_of_context");
    p.acn = "1.3.6.1.4.1.99999.1.2", p.opc = 2001, p.cg = KE_HLR;
    CHECK_STR(run(&p, 1000), "class.unknown_user");
    /* each case's action is configurable */
    fresh("[[check]]\nname = \"class.unknown_user\"\naction = \"alert\"\n");
    m = ati;
    m.acn = "1.3.6.1.4.1.99999.1.2";
    CHECK_STR(run(&m, 1000), "class.unknown_user");
    CHECK(vd.pass && vd.action == SSGW_ACT_ALERT);
    /* outbound: not screened */
    m.opc = 1001, m.dpc = 2009;
    m.cg = HLR, m.cd = EVIL;
    CHECK_STR(run(&m, 1000), "default");
}

static void ansi_and_scmg(void)
{
    fresh(NULL);
    /* ANSI TCAP: Query with permission, ANSI-41 LocationRequest (family 9, specifier 15) */
    static const uint8_t q[] = {0xe2, 0x11, 0xc7, 0x04, 0x01, 0x02, 0x03, 0x04, 0xe8, 0x09,
                                0xe9, 0x07, 0xcf, 0x01, 0x05, 0xd1, 0x02, 0x09, 0x0f};
    ssgw_sccp_addr cg, cd;
    ssgw_sccp_addr_gt(&cg, EVIL, 7);
    ssgw_sccp_addr_gt(&cd, HLR, 6);
    wrap(2009, 1001, &cg, &cd, q, sizeof q);
    CHECK_STR(judge(1000), "class.ansi_tcap");
    CHECK(strstr(vd.reason, "Location Request") != NULL);
    ssgw_sccp_addr_gt(&cg, KE_VLR, 7);
    wrap(2001, 1001, &cg, &cd, q, sizeof q);
    CHECK_STR(judge(1000), "default"); /* a partner's */
    /* SCCP management, routed on point code and SSN 1 (no GT) */
    uint8_t sm[8];
    ssgw_buf b;
    ssgw_scmg_msg s = {.type = SSGW_SCMG_SSP, .ssn = 6, .pc = 1001};
    ssgw_buf_init(&b, sm, sizeof sm);
    CHECK_INT(ssgw_scmg_encode(&b, &s), 0);
    ssgw_sccp_addr_ssn(&cg, 2009, SSGW_SCMG_SSN);
    ssgw_sccp_addr_ssn(&cd, 1001, SSGW_SCMG_SSN);
    wrap(2009, 1001, &cg, &cd, b.data, b.len);
    CHECK_STR(judge(1000), "scmg.foreign"); /* a stranger marks our HLR prohibited */
    CHECK(strstr(vd.reason, "ssp") && strstr(vd.reason, "point code 2009"));
    ssgw_sccp_addr_ssn(&cg, 2001, SSGW_SCMG_SSN);
    wrap(2001, 1001, &cg, &cd, b.data, b.len);
    CHECK_STR(judge(1000), "scmg.home_status"); /* a partner speaking for our subsystem */
    s.type = SSGW_SCMG_SST;                     /* a partner testing our HLR's state: normal */
    ssgw_buf_init(&b, sm, sizeof sm);
    CHECK_INT(ssgw_scmg_encode(&b, &s), 0);
    wrap(2001, 1001, &cg, &cd, b.data, b.len);
    CHECK_STR(judge(1000), "default");
    s.type = SSGW_SCMG_SSP, s.pc = 2001; /* a partner's own subsystem */
    ssgw_buf_init(&b, sm, sizeof sm);
    CHECK_INT(ssgw_scmg_encode(&b, &s), 0);
    wrap(2001, 1001, &cg, &cd, b.data, b.len);
    CHECK_STR(judge(1000), "default");
}

#define CAP_V2 "0.4.0.0.1.0.50.1" /* CAP v2 gsmSSF to gsmSCF */

static void cap(void)
{
    fresh(NULL);
    /* our subscriber roaming in Kenya calls: the visited MSC asks our gsmSCF */
    const msg idp = {2001,
                     1001,
                     KE_MSC,
                     146,
                     SCF,
                     146,
                     SSGW_TCAP_BEGIN,
                     0x500,
                     0,
                     CAP_V2,
                     SSGW_CAP_OP_INITIAL_DP,
                     0,
                     true,
                     0,
                     0,
                     OURS,
                     NULL,
                     NULL,
                     KE_MSC,
                     NULL,
                     false};
    CHECK_STR(run(&idp, 1000), "default");
    msg m = idp;
    m.opc = 2009, m.cg = EVIL; /* a stranger's "MSC" */
    CHECK_STR(run(&m, 1000), "cap.non_member");
    m = idp;
    m.imsi = KE_SUB; /* a Safari subscriber: not served by our gsmSCF */
    CHECK_STR(run(&m, 1000), "cap.to_scf_subscriber");
    CHECK(strstr(vd.reason, KE_SUB) != NULL);
    m = idp;
    m.cd = HLR, m.cd_ssn = 6; /* not our gsmSCF */
    CHECK_STR(run(&m, 1000), "cap.to_scf_subscriber");
    /* a Safari subscriber here calls: our MSC asks Safari's gsmSCF (outbound), which answers
     * with Connect from its gsmSCF (fine) or from another node of Safari (refused) */
    msg out = idp;
    out.opc = 1001, out.dpc = 2001, out.cg = MSC, out.cd = KE_SCF, out.imsi = KE_SUB;
    out.otid = 0x501;
    CHECK_STR(run(&out, 1000), "default");
    msg con = {2001,
               1001,
               KE_SCF,
               146,
               MSC,
               146,
               SSGW_TCAP_CONTINUE,
               0x600,
               0x501,
               CAP_V2,
               SSGW_CAP_OP_CONNECT,
               0,
               true,
               0,
               0,
               NULL,
               NULL,
               NULL,
               NULL,
               NULL,
               false};
    CHECK_STR(run(&con, 1001), "default");
    /* the dialogue is Safari's gsmSCF's now: another node, or a stranger, inside it */
    con.cg = KE_MSC;
    CHECK_STR(run(&con, 1002), "tcap.dialogue_peer_mismatch");
    con.opc = 2009, con.cg = EVIL;
    CHECK_STR(run(&con, 1003), "tcap.dialogue_peer_mismatch");
    /* another call: the first answer comes from Safari (its network may answer) but from its
     * MSC, which gives no gsmSCF's orders */
    out.otid = 0x502;
    CHECK_STR(run(&out, 1004), "default");
    con.opc = 2001, con.cg = KE_MSC, con.dtid = 0x502;
    CHECK_STR(run(&con, 1005), "cap.scf_origin");
    CHECK(strstr(vd.reason, "connect") && strstr(vd.reason, KE_MSC));
    /* the CAP table decides, not the opcode: 23 is requestReportBCSMEvent (from-scf) here */
    con.op = SSGW_CAP_OP_REQUEST_REPORT_BCSM_EVENT;
    CHECK_STR(run(&con, 1006), "cap.scf_origin");
    CHECK(strstr(vd.reason, "requestReportBCSMEvent") != NULL);
    /* opened by a stranger's "gsmSCF" itself */
    con.tcap = SSGW_TCAP_BEGIN, con.dtid = 0, con.opc = 2009, con.cg = EVIL;
    CHECK_STR(run(&con, 1007), "cap.non_member");
}

/* A CAP v2 Begin from Safari's MSC to our gsmSCF with one invoke per ops[i] (its IMSI
 * imsis[i], NULL: none), judged at t. */
static const char *cap_invokes(const int *ops, const char *const *imsis, size_t n, uint32_t t)
{
    static uint8_t pm[4][256];
    uint8_t tm[2048];
    ssgw_buf tb;
    ssgw_error e;
    ssgw_buf_init(&tb, tm, sizeof tm);
    ssgw_tcap_msg m;
    memset(&m, 0, sizeof m);
    m.type = SSGW_TCAP_BEGIN;
    ssgw_tcap_tid_set(&m.otid, 0x700 + t, 4);
    tb_dialogue(&m, CAP_V2);
    m.components_present = true;
    ssgw_tcap_component c[4];
    memset(c, 0, sizeof c);
    for (size_t i = 0; i < n && i < 4; i++) {
        ssgw_cap_fields f;
        ssgw_cap_fields_init(&f);
        f.service_key = 11;
        f.event_type_bcsm = 2; /* collectedInfo */
        if (imsis[i]) snprintf(f.imsi, sizeof f.imsi, "%s", imsis[i]);
        snprintf(f.msc_address, sizeof f.msc_address, "%s", KE_MSC);
        ssgw_buf pb;
        ssgw_buf_init(&pb, pm[i], sizeof pm[i]);
        CHECK_INT(ssgw_cap_encode(ops[i], 2, &f, &pb), 0);
        c[i].type = SSGW_TCAP_COMP_INVOKE;
        c[i].invoke_id_present = true;
        c[i].invoke_id = (int)i + 1;
        c[i].opcode.kind = SSGW_TCAP_CODE_LOCAL;
        c[i].opcode.local = ops[i];
        c[i].param_present = true;
        c[i].param_tlv = pb.data;
        c[i].param_tlv_len = pb.len;
    }
    CHECK_INT(ssgw_tcap_encode(&tb, &m, c, n, &e), 0);
    ssgw_sccp_addr cg, cd;
    ssgw_sccp_addr_gt(&cd, SCF, 146);
    ssgw_sccp_addr_gt(&cg, KE_MSC, 146);
    wrap(2001, 1001, &cg, &cd, tb.data, tb.len);
    return judge(t);
}

/* Every InitialDP of a message is judged with its own IMSI, wherever it sits; an InitialDP
 * without IMSI cannot be shown to be for our subscriber. */
static void cap_components(void)
{
    fresh(NULL);
    const int erb_idp[] = {SSGW_CAP_OP_EVENT_REPORT_BCSM, SSGW_CAP_OP_INITIAL_DP};
    const int idp_idp[] = {SSGW_CAP_OP_INITIAL_DP, SSGW_CAP_OP_INITIAL_DP};
    const char *const ours_ke[] = {OURS, KE_SUB}, *const ke_ours[] = {KE_SUB, OURS};
    const char *const none_ke[] = {NULL, KE_SUB}, *const none_ours[] = {NULL, OURS};
    const char *const ours_ours[] = {OURS, OURS};
    /* behind an eventReportBCSM */
    CHECK_STR(cap_invokes(erb_idp, none_ke, 2, 1000), "cap.to_scf_subscriber");
    CHECK(strstr(vd.reason, KE_SUB) && strstr(vd.reason, "component 2 of 2"));
    CHECK_STR(cap_invokes(erb_idp, none_ours, 2, 1001), "default");
    /* the second of two InitialDPs, the first about our subscriber (the view keeps the
     * first IMSI), and the other way round */
    CHECK_STR(cap_invokes(idp_idp, ours_ke, 2, 1002), "cap.to_scf_subscriber");
    CHECK(strstr(vd.reason, KE_SUB) && strstr(vd.reason, "component 2 of 2"));
    CHECK_STR(cap_invokes(idp_idp, ke_ours, 2, 1003), "cap.to_scf_subscriber");
    CHECK(strstr(vd.reason, KE_SUB) && strstr(vd.reason, "component 1 of 2"));
    CHECK_STR(cap_invokes(idp_idp, ours_ours, 2, 1004), "default");
    /* no IMSI, from a partner's MSC: refused, alone or beside one about our subscriber */
    const char *const none[] = {NULL};
    CHECK_STR(cap_invokes(idp_idp, none, 1, 1005), "cap.to_scf_subscriber");
    CHECK(strstr(vd.reason, "no IMSI") && strstr(vd.reason, "Safari Mobile"));
    CHECK_STR(cap_invokes(idp_idp, none_ours, 2, 1006), "cap.to_scf_subscriber");
    CHECK(strstr(vd.reason, "no IMSI") && strstr(vd.reason, "component 1 of 2"));
    const int sms[] = {SSGW_CAP_OP_INITIAL_DP_SMS};
    const char *const ours[] = {OURS};
    CHECK_STR(cap_invokes(sms, none, 1, 1007), "cap.to_scf_subscriber");
    CHECK_STR(cap_invokes(sms, ours, 1, 1008), "default");
}

/* ---- dialogue ownership --------------------------------------------------------------------- */

/* Our VLR's updateLocation for Rhein's subscriber (transaction 0x7100), and Rhein's HLR
 * answering it with insertSubscriberData from its own GT (transaction 0x7200). */
static const msg RHEIN_UL = {1001,
                             2002,
                             VLR,
                             7,
                             "491710000005",
                             6,
                             SSGW_TCAP_BEGIN,
                             0x7100,
                             0,
                             "0.4.0.0.1.0.1.3",
                             SSGW_MAP_OP_UPDATE_LOCATION,
                             0,
                             false,
                             0,
                             3,
                             "262015000000002",
                             NULL,
                             VLR,
                             MSC,
                             NULL,
                             false};
static const msg RHEIN_ISD = {2002,
                              1001,
                              DE_HLR,
                              6,
                              VLR,
                              7,
                              SSGW_TCAP_CONTINUE,
                              0x7200,
                              0x7100,
                              "0.4.0.0.1.0.1.3",
                              SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA,
                              0,
                              false,
                              0,
                              3,
                              "262015000000002",
                              "491710100002",
                              NULL,
                              NULL,
                              NULL,
                              false};

/* Judges wire with the arrival link `source`. */
static const char *judge_from(uint32_t t, uint32_t source)
{
    ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, wire, wire_len, (uint64_t)t * 1000, &view);
    CHECK(!view.has_error);
    ssgw_firewall_meta meta = {(uint64_t)t * 1000, SSGW_DIR_UNKNOWN, false, 0, NULL, NULL, source};
    ssgw_firewall_judge(fw, &view, &meta, &vd);
    return vd.check;
}

static void dialogue_ownership(void)
{
    fresh(NULL);
    /* our GMSC asks Rhein's HLR where its subscriber is */
    msg sri = {1001,
               2002,
               MSC,
               8,
               DE_HLR,
               6,
               SSGW_TCAP_BEGIN,
               0x7000,
               0,
               "0.4.0.0.1.0.5.3",
               SSGW_MAP_OP_SEND_ROUTING_INFO,
               0,
               false,
               0,
               3,
               NULL,
               "491710100001",
               NULL,
               NULL,
               NULL,
               false};
    CHECK_STR(run(&sri, 1000), "default");
    /* the answer, from an attacker, from another partner's HLR, from Rhein's GT through the
     * attackers' point code */
    msg end = sri;
    end.opc = 2009, end.dpc = 1001, end.cg = EVIL, end.cg_ssn = 6, end.cd = MSC, end.cd_ssn = 8;
    end.tcap = SSGW_TCAP_END, end.otid = 0, end.dtid = 0x7000;
    end.comp = SSGW_TCAP_COMP_RETURN_RESULT_LAST, end.imsi = "262015000000001";
    CHECK_STR(run(&end, 1001), "tcap.dialogue_peer_mismatch");
    CHECK_INT(vd.action, SSGW_ACT_DROP);
    CHECK(strstr(vd.reason, "00007000") && strstr(vd.reason, "hijacked"));
    end.opc = 2001, end.cg = KE_HLR;
    CHECK_STR(run(&end, 1001), "tcap.dialogue_peer_mismatch");
    end.opc = 2009, end.cg = "491710000002"; /* Rhein's network, the attackers' point code */
    CHECK_STR(run(&end, 1001), "spoof.peer_mismatch");
    /* the real answer passes and closes the dialogue */
    end.opc = 2002, end.cg = DE_HLR;
    CHECK_STR(run(&end, 1002), "default");
    CHECK_STR(run(&end, 1003), "tcap.unknown_dialogue");

    /* a dialogue that goes on: our VLR's updateLocation for Rhein's subscriber here; Rhein's
     * HLR answers with insertSubscriberData from its own GT (any node of Rhein may answer
     * first), which binds the dialogue to that GT, point code and link */
    msg ul = RHEIN_UL;
    CHECK_STR(run(&ul, 2000), "default");
    msg isd = RHEIN_ISD;
    encode(&isd);
    CHECK_STR(judge_from(2001, 1), "default");
    /* the same GT and point code through another link: not the dialogue's peer */
    CHECK_STR(judge_from(2002, 2), "tcap.dialogue_peer_mismatch");
    /* another of Rhein's nodes, now that the HLR answered */
    isd.cg = "4917100000019";
    CHECK_STR(run(&isd, 2003), "tcap.dialogue_peer_mismatch");
    /* our answer, then a long silence (a call between CAMEL events would be longer than
     * [state] dialogue_timeout): the HLR may still go on */
    msg ack = {1001,
               2002,
               VLR,
               7,
               DE_HLR,
               6,
               SSGW_TCAP_CONTINUE,
               0x7100,
               0x7200,
               NULL,
               SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA,
               SSGW_TCAP_COMP_RETURN_RESULT_LAST,
               false,
               0,
               3,
               NULL,
               NULL,
               NULL,
               NULL,
               NULL,
               false};
    CHECK_STR(run(&ack, 2030), "default");
    CHECK_STR(run(&ack, 2080), "default");
    isd.cg = DE_HLR;
    encode(&isd);
    CHECK_STR(judge_from(2100, 1), "default");

    /* a dialogue opened by the other side: Safari's HLR inserts data in our VLR, our VLR
     * answers with a Continue; only Safari's HLR may go on */
    msg kisd = isd;
    kisd.opc = 2001, kisd.cg = KE_HLR, kisd.tcap = SSGW_TCAP_BEGIN, kisd.otid = 0x7300;
    kisd.dtid = 0, kisd.imsi = KE_SUB, kisd.acn = "0.4.0.0.1.0.16.3";
    CHECK_STR(run(&kisd, 3000), "default");
    msg kack = ack;
    kack.dpc = 2001, kack.cd = KE_HLR, kack.otid = 0x7400, kack.dtid = 0x7300;
    kack.acn = "0.4.0.0.1.0.16.3";
    CHECK_STR(run(&kack, 3001), "default");
    kisd.tcap = SSGW_TCAP_CONTINUE, kisd.dtid = 0x7400, kisd.acn = NULL;
    CHECK_STR(run(&kisd, 3002), "default");
    kisd.cg = KE_VLR;
    CHECK_STR(run(&kisd, 3003), "tcap.dialogue_peer_mismatch");

    /* our SMSC asks the HLR of a network that is no partner (France); its answer may come
     * from that network or from a partner (an SMS hub answering for it), not from Spain */
    msg srism = {1001,
                 2003,
                 "447924000020",
                 8,
                 "33612345678",
                 6,
                 SSGW_TCAP_BEGIN,
                 0x7500,
                 0,
                 "0.4.0.0.1.0.20.3",
                 SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM,
                 0,
                 false,
                 0,
                 3,
                 NULL,
                 "33612345678",
                 NULL,
                 NULL,
                 "447924000020",
                 false};
    CHECK_STR(run(&srism, 4000), "default");
    msg fr = srism;
    fr.opc = 2009, fr.dpc = 1001, fr.cg = "34600000001", fr.cd = "447924000020";
    fr.cd_ssn = 8, fr.cg_ssn = 6, fr.tcap = SSGW_TCAP_END, fr.otid = 0, fr.dtid = 0x7500;
    fr.comp = SSGW_TCAP_COMP_RETURN_RESULT_LAST, fr.imsi = "208010000000001",
    fr.msc = "33600000011";
    CHECK_STR(run(&fr, 4001), "tcap.dialogue_peer_mismatch");
    fr.cg = KE_SC, fr.opc = 2001; /* a partner's hub */
    CHECK_STR(run(&fr, 4002), "default");
    srism.otid = 0x7600;
    CHECK_STR(run(&srism, 4003), "default");
    fr.dtid = 0x7600, fr.cg = "33600000001", fr.opc = 2009; /* France itself */
    CHECK_STR(run(&fr, 4004), "default");
}

/* Ownership belongs to one dialogue, not to its transaction id: our node reuses an id (after
 * ending the dialogue itself: its End names only the other side's id; or after a silence),
 * and whoever answered the earlier dialogue owns nothing of the new one, whose own first
 * answer binds it. */
static void dialogue_reuse(void)
{
    fresh(NULL);
    /* our VLR's updateLocation for Rhein's subscriber; Rhein's HLR answers (A) */
    msg ul = RHEIN_UL;
    msg isd = RHEIN_ISD;
    msg bye = {1001,
               2002,
               VLR,
               7,
               DE_HLR,
               6,
               SSGW_TCAP_END,
               0,
               0x7200,
               NULL,
               SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA,
               SSGW_TCAP_COMP_RETURN_RESULT_LAST,
               false,
               0,
               3,
               NULL,
               NULL,
               NULL,
               NULL,
               NULL,
               false};
    /* the same id in a Begin to Safari's HLR, for a Safari subscriber */
    msg kul = ul;
    kul.dpc = 2001, kul.cd = KE_HLR, kul.imsi = KE_SUB;
    msg kisd = isd;
    kisd.opc = 2001, kisd.cg = KE_HLR, kisd.otid = 0x7300, kisd.imsi = KE_SUB;
    kisd.msisdn = "254722100002";
    const uint32_t ids[2] = {0x7100, 0x7150};
    for (int silent = 0; silent < 2; silent++) {
        uint32_t t0 = 6000 + 1000 * (uint32_t)silent;
        ul.otid = isd.dtid = kul.otid = kisd.dtid = ids[silent];
        CHECK_STR(run(&ul, t0), "default");
        encode(&isd);
        CHECK_STR(judge_from(t0 + 1, 1), "default"); /* A binds the dialogue */
        /* we end it ourselves (our End names the HLR's id), or the dialogue goes silent for
         * longer than dialogue_timeout (60 s) */
        if (!silent) CHECK_STR(run(&bye, t0 + 2), "default");
        uint32_t t1 = silent ? t0 + 200 : t0 + 10;
        CHECK_STR(run(&kul, t1), "default");
        /* A (its GT, point code and link) in the new dialogue: a hijack */
        encode(&isd);
        CHECK_STR(judge_from(t1 + 1, 1), "tcap.dialogue_peer_mismatch");
        /* the new dialogue's own answer binds it; A still owns nothing */
        encode(&kisd);
        CHECK_STR(judge_from(t1 + 2, 1), "default");
        encode(&isd);
        CHECK_STR(judge_from(t1 + 3, 1), "tcap.dialogue_peer_mismatch");
        encode(&kisd);
        CHECK_STR(judge_from(t1 + 4, 1), "default");
    }

    /* the other side opens the dialogue: Safari's HLR inserts data, our VLR answers with a
     * Continue whose id 0x7400 it used before with Rhein's HLR (which bound it and is still
     * its owner: our End did not name 0x7400); a Continue that answers another transaction
     * than the one 0x7400 had begins a new dialogue, which Rhein's HLR does not own */
    ul.otid = isd.dtid = 0x7400;
    CHECK_STR(run(&ul, 9000), "default");
    encode(&isd);
    CHECK_STR(judge_from(9001, 1), "default");
    CHECK_STR(run(&bye, 9002), "default");
    msg kb = kisd;
    kb.tcap = SSGW_TCAP_BEGIN, kb.otid = 0x7500, kb.dtid = 0, kb.acn = "0.4.0.0.1.0.16.3";
    CHECK_STR(run(&kb, 9003), "default");
    msg kack = bye;
    kack.tcap = SSGW_TCAP_CONTINUE, kack.dpc = 2001, kack.cd = KE_HLR, kack.otid = 0x7400;
    kack.dtid = 0x7500, kack.acn = "0.4.0.0.1.0.16.3";
    CHECK_STR(run(&kack, 9004), "default");
    encode(&isd);
    CHECK_STR(judge_from(9005, 1), "tcap.dialogue_peer_mismatch");
    kb.tcap = SSGW_TCAP_CONTINUE, kb.dtid = 0x7400, kb.acn = NULL;
    encode(&kb);
    CHECK_STR(judge_from(9006, 1), "default");
    /* our later Continues name Safari's id: the dialogue stays Safari's HLR's */
    kack.acn = NULL;
    CHECK_STR(run(&kack, 9007), "default");
    encode(&kb);
    CHECK_STR(judge_from(9008, 1), "default");
    encode(&isd);
    CHECK_STR(judge_from(9009, 1), "tcap.dialogue_peer_mismatch");
}

/* A partner that answers first for a network of no partner binds the dialogue: what the
 * dialogue allowed before (that network, any member) goes, whoever answered. */
static void dialogue_hub_binds(void)
{
    fresh(NULL);
    /* our SMSC asks the HLR of a network that is no partner (France) */
    msg srism = {1001,
                 2003,
                 "447924000020",
                 8,
                 "33612345678",
                 6,
                 SSGW_TCAP_BEGIN,
                 0x7800,
                 0,
                 "0.4.0.0.1.0.20.3",
                 SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM,
                 0,
                 false,
                 0,
                 3,
                 NULL,
                 "33612345678",
                 NULL,
                 NULL,
                 "447924000020",
                 false};
    CHECK_STR(run(&srism, 4000), "default");
    /* Safari's SMS hub answers first, with a Continue: the dialogue is the hub's */
    msg hub = srism;
    hub.opc = 2001, hub.dpc = 1001, hub.cg = KE_SC, hub.cd = "447924000020";
    hub.cd_ssn = 8, hub.cg_ssn = 6, hub.tcap = SSGW_TCAP_CONTINUE, hub.otid = 0x7900;
    hub.dtid = 0x7800, hub.op = -1;
    CHECK_STR(run(&hub, 4001), "default");
    /* then France itself, another GT of the network addressed: no longer */
    msg fr = hub;
    fr.opc = 2009, fr.cg = "33600000001", fr.tcap = SSGW_TCAP_END, fr.otid = 0, fr.acn = NULL;
    fr.op = SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM, fr.comp = SSGW_TCAP_COMP_RETURN_RESULT_LAST;
    fr.imsi = "208010000000001", fr.msc = "33600000011";
    CHECK_STR(run(&fr, 4002), "tcap.dialogue_peer_mismatch");
    fr.cg = "33612345678"; /* the very GT addressed */
    CHECK_STR(run(&fr, 4003), "tcap.dialogue_peer_mismatch");
    /* nor another member */
    fr.opc = 2002, fr.cg = DE_SC;
    CHECK_STR(run(&fr, 4004), "tcap.dialogue_peer_mismatch");
    /* the hub goes on and ends it */
    hub.tcap = SSGW_TCAP_END, hub.otid = 0, hub.acn = NULL;
    hub.op = SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM, hub.comp = SSGW_TCAP_COMP_RETURN_RESULT_LAST;
    hub.imsi = "208010000000001", hub.msc = "33600000011";
    CHECK_STR(run(&hub, 4005), "default");
    CHECK_STR(run(&hub, 4006), "tcap.unknown_dialogue");
    /* France answering first binds it the same way: the hub then owns nothing */
    srism.otid = 0x7a00;
    CHECK_STR(run(&srism, 4010), "default");
    msg fr2 = hub;
    fr2.opc = 2009, fr2.cg = "33600000001", fr2.tcap = SSGW_TCAP_CONTINUE, fr2.otid = 0x7b00;
    fr2.dtid = 0x7a00, fr2.op = -1, fr2.acn = "0.4.0.0.1.0.20.3";
    CHECK_STR(run(&fr2, 4011), "default");
    hub.dtid = 0x7a00;
    CHECK_STR(run(&hub, 4012), "tcap.dialogue_peer_mismatch");
}

/* ---- location state from all traffic -------------------------------------------------------- */

static void locations(void)
{
    fresh(NULL);
    /* our HLR answers a partner SMSC's SRI-SM: the subscriber is at our MSC (at home) */
    const msg sri = {1001,
                     2001,
                     HLR,
                     6,
                     KE_SC,
                     8,
                     SSGW_TCAP_END,
                     0,
                     0x700,
                     NULL,
                     SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM,
                     SSGW_TCAP_COMP_RETURN_RESULT_LAST,
                     false,
                     0,
                     3,
                     OURS,
                     NULL,
                     NULL,
                     MSC,
                     NULL,
                     false};
    CHECK_STR(run(&sri, 10000), "default");
    /* ten minutes later, Safari's VLR claims it is in Kenya: a move nobody can make */
    const msg ul = {2001,
                    1001,
                    KE_VLR,
                    7,
                    HLR,
                    6,
                    SSGW_TCAP_BEGIN,
                    0x701,
                    0,
                    "0.4.0.0.1.0.1.3",
                    SSGW_MAP_OP_UPDATE_LOCATION,
                    0,
                    false,
                    0,
                    3,
                    OURS,
                    NULL,
                    KE_VLR,
                    KE_MSC,
                    NULL,
                    false};
    CHECK_STR(run(&ul, 10600), "cat3.velocity");
    CHECK(strstr(vd.reason, "United Kingdom") && strstr(vd.reason, "Kenya"));
    /* authentication vectors or a purge for it from Kenya: not where the subscriber is */
    msg sai = ul;
    sai.acn = "0.4.0.0.1.0.14.3", sai.op = SSGW_MAP_OP_SEND_AUTHENTICATION_INFO;
    CHECK_STR(run(&sai, 10600), "cat3.not_current_vlr");
    CHECK(strstr(vd.reason, "served by MSC 447924000011 (the home network)") != NULL);
    /* a day later the trip is plausible; the passed update teaches the new location */
    CHECK_STR(run(&ul, 10600 + 86400), "default");
    /* our HLR provisions Rhein's VLR (it moved on): registerSS from Safari is now refused */
    const msg isd = {1001,
                     2002,
                     HLR,
                     6,
                     DE_VLR,
                     7,
                     SSGW_TCAP_BEGIN,
                     0x702,
                     0,
                     "0.4.0.0.1.0.16.3",
                     SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA,
                     0,
                     false,
                     0,
                     3,
                     OURS,
                     "447924100123",
                     NULL,
                     NULL,
                     NULL,
                     false};
    CHECK_STR(run(&isd, 10600 + 2 * 86400), "default");
    msg purge = ul;
    purge.acn = "0.4.0.0.1.0.27.3", purge.op = SSGW_MAP_OP_PURGE_MS, purge.vlr = KE_VLR;
    CHECK_STR(run(&purge, 10600 + 2 * 86400 + 60), "cat3.not_current_vlr");
    CHECK(strstr(vd.reason, "served by VLR 491710000010 (Rhein Telekom)") != NULL);
    msg de_purge = purge;
    de_purge.opc = 2002, de_purge.cg = DE_VLR, de_purge.vlr = DE_VLR;
    CHECK_STR(run(&de_purge, 10600 + 2 * 86400 + 120), "default"); /* from the current VLR */
    /* purged: detached, in Germany; readyForSM from there before a new registration is not
     * from where the subscriber is registered, a new registration there is plausible */
    msg rfsm = de_purge;
    rfsm.acn = "0.4.0.0.1.0.24.3", rfsm.op = SSGW_MAP_OP_READY_FOR_SM;
    CHECK_STR(run(&rfsm, 10600 + 2 * 86400 + 180), "cat3.not_current_vlr");
    CHECK(strstr(vd.reason, "detached") != NULL);
    msg de_ul = ul;
    de_ul.opc = 2002, de_ul.cg = DE_VLR, de_ul.vlr = DE_VLR, de_ul.msc = "491710000011";
    CHECK_STR(run(&de_ul, 10600 + 2 * 86400 + 240), "default");
    /* cancelLocation from our HLR to that VLR: detached; Safari's purge still not current */
    msg cl = isd;
    cl.acn = "0.4.0.0.1.0.2.3", cl.op = SSGW_MAP_OP_CANCEL_LOCATION, cl.msisdn = NULL;
    CHECK_STR(run(&cl, 10600 + 2 * 86400 + 300), "default");
    CHECK_STR(run(&purge, 10600 + 2 * 86400 + 360), "cat3.not_current_vlr");
    CHECK(strstr(vd.reason, "detached") != NULL);
    /* a partner subscriber's SRI-SM answer teaches nothing about ours */
    msg ke = sri;
    ke.imsi = KE_SUB;
    CHECK_STR(run(&ke, 10600 + 3 * 86400), "default");
}

/* The first invoke's name in the reasons (ssgw_check_op_name, looked up when a reason needs
 * it, issue 16) against the rule it was worked out by for every message before: the name in
 * the dialogue's version, in version 1 for a Begin or Unidirectional without a context (MAP
 * v1), "" without an invoke. Every opcode, versions 0..4, with a dialogue portion or none,
 * Begin and Continue, outbound and inbound (where a short message is decoded first). */
static void op_names_as_reference(void)
{
    static ssgw_view v; /* large: not on the stack */
    ssgw_check_ctx cx;
    size_t cases = 0, differ = 0, old_names = 0;
    for (int code = -1; code <= SSGW_MAP_OPCODE_MAX; code++)
        for (int version = 0; version <= 4; version++)
            for (int k = 0; k < 8; k++) {
                memset(&v, 0, sizeof v);
                memset(&cx, 0, sizeof cx);
                v.has_tcap = true;
                v.tcap_user = SSGW_TCU_MAP;
                v.acn_version = version;
                v.tcap.type = k & 1 ? SSGW_TCAP_CONTINUE : SSGW_TCAP_BEGIN;
                static const uint8_t oid[] = {0x04, 0x00, 0x00, 0x01, 0x00, 0x19, 0x02};
                v.tcap.dialogue_present = k & 2;
                v.tcap.dialogue.acn = oid;
                v.tcap.dialogue.acn_len = k & 2 ? sizeof oid : 0;
                cx.v = &v;
                cx.is_map = true;
                cx.dir = k & 4 ? SSGW_DIR_INBOUND : SSGW_DIR_OUTBOUND;
                cx.map_decoded = true; /* no parameters: the view's MAP fields as they are */
                cx.op = code;
                cx.n_invokes = code >= 0;
                cx.invoke_ops[0] = code;
                ssgw_check_prepare(&cx);
                bool opens = !(k & 1), context = k & 2;
                int name_version = version ? version : !context && opens ? 1 : 0;
                const char *want = code >= 0 ? ssgw_map_op_name_in(code, name_version) : "";
                differ += strcmp(ssgw_check_op_name(&cx), want) != 0;
                old_names += code >= 0 && strcmp(want, ssgw_map_op_name(code)) != 0;
                cases++;
            }
    printf("    %zu messages (%zu named by an older version); %zu names differ\n", cases, old_names,
           differ);
    CHECK_INT(differ, 0);
    CHECK(old_names >= 10); /* the older versions' own names are among them */
}

int main(void)
{
    dec = ssgw_decoder_new(NULL);
    RUN(op_names_as_reference);
    RUN(family_table);
    RUN(sms_versions);
    RUN(other_versions);
    RUN(unclassified);
    RUN(ansi_and_scmg);
    RUN(cap);
    RUN(cap_components);
    RUN(dialogue_ownership);
    RUN(dialogue_reuse);
    RUN(dialogue_hub_binds);
    RUN(locations);
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
    ssgw_decoder_free(dec);
    return check_summary();
}
