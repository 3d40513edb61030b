/*
 * test_map_msg.c - the MAP message builder (include/ssgw/map_msg.h).
 *
 * The MAP-OpenInfo octets are derived by hand from TS 29.002 17.1
 * (MAP-DialogueInformation) and X.690; whole messages are read back with the
 * layer decoders (which the tshark oracle tests check independently), and the
 * simulators' captures built with these helpers are decoded by tshark in
 * tests/oracle (test_attack_tshark.py, test_peer_results_tshark.py,
 * oracle_decode.py).
 */
#include "check.h"
#include "ssgw/m3ua.h"
#include "ssgw/map_msg.h"

/* EXTERNAL { direct-reference map-DialogueAS (0.4.0.0.1.1.1.1), single-ASN1-type [0]
 * { map-open [0] { destinationReference [0] 96 IMSI (TBCD), originationReference [1]
 * 91 E.164 } } } for IMSI 262011234567890 and origin 4917200001. */
static const char *const open_info_hex = "2820"                   /* EXTERNAL */
                                         "060704000001010101"     /* map-DialogueAS */
                                         "a015a013"               /* [0] { map-open [0] { */
                                         "80099662021132547698f0" /* destinationReference */
                                         "8106919471020010";      /* originationReference */

static void open_info(void)
{
    uint8_t mem[96], want[64];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_map_msg_open_info(&b, "262011234567890", "4917200001"), 0);
    int n = check_hex(open_info_hex, want, sizeof want);
    CHECK_MEM(b.data, b.len, want, (size_t)n);
    /* a number that is not digits: nothing written */
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_map_msg_open_info(&b, "26201x", "4917200001"), -1);
    CHECK_INT(b.len, 0);
    ssgw_buf_init(&b, mem, 10); /* too small */
    CHECK_INT(ssgw_map_msg_open_info(&b, "262011234567890", "4917200001"), -1);
    CHECK_INT(b.len, 0);
}

static void dialogue_and_component(void)
{
    ssgw_tcap_dialogue d;
    uint8_t oid[SSGW_MAP_ACN_OID_LEN];
    CHECK_INT(ssgw_map_msg_dialogue(&d, SSGW_TCAP_DLG_AARE, SSGW_MAP_AC_SHORT_MSG_GATEWAY, 3, oid),
              0);
    static const uint8_t want_oid[] = {0x04, 0x00, 0x00, 0x01, 0x00, 0x14, 0x03};
    CHECK_MEM(d.acn, d.acn_len, want_oid, sizeof want_oid);
    CHECK_INT(d.type, SSGW_TCAP_DLG_AARE);
    CHECK(d.protocol_version_present && d.protocol_version[0] == 0x07 &&
          d.protocol_version[1] == 0x80);
    CHECK_INT(d.result, SSGW_TCAP_RESULT_ACCEPTED);
    CHECK_INT(d.diag_source, SSGW_TCAP_DIAG_SERVICE_USER);
    CHECK_INT(ssgw_map_msg_dialogue(&d, SSGW_TCAP_DLG_AARQ, 200, 3, oid), -1);

    ssgw_map_fields f;
    ssgw_map_fields_init(&f);
    ssgw_map_addr_set(&f.msisdn, "4917200001", 1, 1);
    ssgw_map_addr_set(&f.smsc_address, "491720000099", 1, 1);
    uint8_t mem[256];
    ssgw_buf pb;
    ssgw_buf_init(&pb, mem, sizeof mem);
    ssgw_tcap_component c;
    CHECK_INT(ssgw_map_msg_component(&c, SSGW_TCAP_COMP_INVOKE, 5,
                                     SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM, 3, &f, &pb),
              0);
    CHECK(c.param_present && c.param_tlv == mem && c.param_tlv_len == pb.len);
    CHECK_INT(c.invoke_id, 5);
    CHECK_INT(c.opcode.local, SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM);
    ssgw_map_fields g;
    ssgw_error e;
    CHECK_INT(ssgw_map_decode(SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM, SSGW_MAP_INVOKE, 3, c.param_tlv,
                              c.param_tlv_len, &g, &e),
              0);
    CHECK_STR(g.msisdn.digits, "4917200001");
    CHECK_STR(g.smsc_address.digits, "491720000099");
    /* a second component appends after the first */
    size_t first = pb.len;
    ssgw_tcap_component c2;
    CHECK_INT(ssgw_map_msg_component(&c2, SSGW_TCAP_COMP_RETURN_RESULT_LAST, 1,
                                     SSGW_MAP_OP_MO_FORWARD_SM, 2, &f, &pb),
              0);
    CHECK(!c2.param_present); /* forwardSM v2 has no result */
    CHECK_INT(pb.len, first);
    /* no encoder (noteInternalHandover), or a mandatory value missing (no IMSI) */
    CHECK_INT(ssgw_map_msg_component(&c2, SSGW_TCAP_COMP_INVOKE, 1,
                                     SSGW_MAP_OP_NOTE_INTERNAL_HANDOVER, 1, &f, &pb),
              -1);
    CHECK(!c2.param_present && c2.type == SSGW_TCAP_COMP_INVOKE);
    CHECK_INT(ssgw_map_msg_component(&c2, SSGW_TCAP_COMP_INVOKE, 1, SSGW_MAP_OP_UPDATE_LOCATION, 3,
                                     &f, &pb),
              -1);
    CHECK_INT(pb.len, first);
}

/* A Begin for processUnstructuredSS-Request as the demo sends it, read back layer by layer. */
static void whole_message(void)
{
    ssgw_map_fields f;
    ssgw_map_fields_init(&f);
    f.ussd_dcs = 0x0f;
    snprintf(f.ussd_string, sizeof f.ussd_string, "*100#");
    uint8_t pmem[128], oimem[96], oid[SSGW_MAP_ACN_OID_LEN];
    ssgw_buf pb, ob;
    ssgw_buf_init(&pb, pmem, sizeof pmem);
    ssgw_buf_init(&ob, oimem, sizeof oimem);
    int ver;
    const ssgw_map_acn *acn =
        ssgw_map_op_context(SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST, &ver);
    CHECK(acn != NULL);
    if (!acn) return;
    ssgw_tcap_msg t;
    memset(&t, 0, sizeof t);
    t.type = SSGW_TCAP_BEGIN;
    ssgw_tcap_tid_set(&t.otid, 0x5a000005, 4);
    t.dialogue_present = true;
    CHECK_INT(ssgw_map_msg_dialogue(&t.dialogue, SSGW_TCAP_DLG_AARQ, acn->ac, ver, oid), 0);
    CHECK_INT(ssgw_map_msg_open_info(&ob, "262011234567890", "254722000010"), 0);
    t.dialogue.user_info_present = true;
    t.dialogue.user_info = ob.data;
    t.dialogue.user_info_len = ob.len;
    ssgw_tcap_component c;
    CHECK_INT(ssgw_map_msg_component(&c, SSGW_TCAP_COMP_INVOKE, 1,
                                     SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST, ver, &f, &pb),
              0);
    uint32_t rc = 101;
    ssgw_map_route r = {.return_on_error = true,
                        .opc = 2001,
                        .dpc = 1001,
                        .ni = 2,
                        .sls = 5,
                        .routing_context = &rc};
    ssgw_sccp_addr_gt(&r.called, "447924000001", 6);
    ssgw_sccp_addr_gt(&r.calling, "254722000010", 7);
    uint8_t out[512];
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    ssgw_error e;
    CHECK_INT(ssgw_map_msg_encode(&b, &r, &t, &c, 1, &e), 0);

    ssgw_m3ua_msg m;
    CHECK_INT(ssgw_m3ua_decode(b.data, b.len, &m, &e), 0);
    CHECK_INT(m.msg_class, SSGW_M3UA_CLASS_TRANSFER);
    CHECK_INT(m.msg_type, SSGW_M3UA_TRANSFER_DATA);
    CHECK(m.present & SSGW_M3UA_HAS_ROUTING_CONTEXT);
    CHECK_INT(ssgw_m3ua_u32_at(&m.routing_context, 0), 101);
    const ssgw_m3ua_protocol_data *pd = &m.protocol_data;
    CHECK_INT(pd->opc, 2001);
    CHECK_INT(pd->dpc, 1001);
    CHECK_INT(pd->si, 3);
    CHECK_INT(pd->ni, 2);
    CHECK_INT(pd->sls, 5);
    ssgw_sccp_msg s;
    CHECK_INT(ssgw_sccp_decode(pd->data, pd->data_len, &s, &e), 0);
    CHECK_INT(s.type, SSGW_SCCP_UDT);
    CHECK_INT(s.protocol_class, 1);
    CHECK(s.return_on_error);
    CHECK_STR(s.called.digits, "447924000001");
    CHECK_INT(s.called.ssn, 6);
    CHECK_STR(s.calling.digits, "254722000010");
    CHECK_INT(s.calling.ssn, 7);
    ssgw_tcap_msg tm;
    CHECK_INT(ssgw_tcap_decode(s.data, s.data_len, &tm, &e), 0);
    CHECK_INT(tm.type, SSGW_TCAP_BEGIN);
    CHECK_INT(tm.otid.value, 0x5a000005);
    CHECK_INT(tm.dialogue.type, SSGW_TCAP_DLG_AARQ);
    CHECK_STR(tm.dialogue.acn_str, "0.4.0.0.1.0.19.2"); /* networkUnstructuredSsContext-v2 */
    CHECK_MEM(tm.dialogue.user_info, tm.dialogue.user_info_len, ob.data, ob.len);
    ssgw_tcap_comp_iter it;
    ssgw_tcap_component dc;
    ssgw_tcap_comp_iter_init(&it, &tm);
    CHECK_INT(ssgw_tcap_comp_next(&it, &dc, &e), 1);
    CHECK_INT(dc.type, SSGW_TCAP_COMP_INVOKE);
    CHECK_INT(dc.opcode.local, SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST);
    ssgw_map_fields g;
    CHECK_INT(ssgw_map_decode((int)dc.opcode.local, SSGW_MAP_INVOKE, 2, dc.param_tlv,
                              dc.param_tlv_len, &g, &e),
              0);
    CHECK_STR(g.ussd_string, "*100#");
    CHECK_INT(ssgw_tcap_comp_next(&it, &dc, &e), 0);

    /* no room: an error, not a partial message */
    ssgw_buf_init(&b, out, 40);
    CHECK_INT(ssgw_map_msg_encode(&b, &r, &t, &c, 1, &e), -1);
    /* TCAP larger than an SCCP unitdata message can carry */
    uint8_t big[300];
    memset(big, 0, sizeof big);
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_map_msg_wrap(&b, &r, big, sizeof big, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_SCCP);
}

int main(void)
{
    RUN(open_info);
    RUN(dialogue_and_component);
    RUN(whole_message);
    return check_summary();
}
