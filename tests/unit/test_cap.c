/*
 * test_cap.c - the CAP table (src/wire/cap_ops.def) and the CAP parameter
 * codec (cap_params.c, cap_encode.c).
 *
 * References: TS 29.078 clause 5.3 (CAP-operationcodes, as in Wireshark's
 * camel.cnf), clause 5.6 and GSM 09.78 clause 6 (the application-context
 * object identifiers Wireshark's camel dissector registers), and the ASN.1 of
 * clauses 6-8 for the argument vectors below, written octet by octet from it.
 * tests/oracle/oracle_users.py checks the same codec against tshark.
 */
#include "check.h"
#include "ssgw/ber.h"
#include "ssgw/cap.h"

/* ---- the table --------------------------------------------------------------------------- */

static void test_codes_and_names(void)
{
    static const struct {
        int code;
        const char *name;
    } known[] = {{SSGW_CAP_OP_INITIAL_DP, "initialDP"},
                 {SSGW_CAP_OP_CONNECT, "connect"},
                 {SSGW_CAP_OP_RELEASE_CALL, "releaseCall"},
                 {SSGW_CAP_OP_REQUEST_REPORT_BCSM_EVENT, "requestReportBCSMEvent"},
                 {SSGW_CAP_OP_EVENT_REPORT_BCSM, "eventReportBCSM"},
                 {SSGW_CAP_OP_APPLY_CHARGING, "applyCharging"},
                 {SSGW_CAP_OP_INITIAL_DP_SMS, "initialDPSMS"},
                 {SSGW_CAP_OP_INITIAL_DP_GPRS, "initialDPGPRS"},
                 {SSGW_CAP_OP_DFC_WITH_ARGUMENT, "disconnectForwardConnectionWithArgument"},
                 {SSGW_CAP_OP_PLAY_TONE, "playTone"}};
    CHECK_INT(SSGW_CAP_OP_INITIAL_DP, 0);
    CHECK_INT(SSGW_CAP_OP_REQUEST_REPORT_BCSM_EVENT, 23);
    CHECK_INT(SSGW_CAP_OP_INITIAL_DP_GPRS, 78);
    CHECK_INT(SSGW_CAP_OP_CONTINUE_WITH_ARGUMENT, 88);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        CHECK_STR(ssgw_cap_op_name(known[i].code), known[i].name);
        const ssgw_cap_op *op = ssgw_cap_op_by_name(known[i].name);
        CHECK(op && (int)op->opcode == known[i].code);
    }
    CHECK_INT(ssgw_cap_op_count(), 54);
    CHECK_STR(ssgw_cap_op_name(1), "unknown");
    CHECK(ssgw_cap_op_by_code(128) == NULL);
    CHECK(ssgw_cap_op_by_code(-1) == NULL);
    CHECK_STR(ssgw_cap_error_name(12), "taskRefused");
    CHECK(ssgw_cap_error_name(2) == NULL);
    CHECK_STR(ssgw_cap_event_bcsm_name(7), "oAnswer");
    CHECK_INT(ssgw_cap_event_bcsm_value("tDisconnect"), 17);
    CHECK_STR(ssgw_cap_event_sms_name(3), "o-smsSubmission");
    CHECK_STR(ssgw_cap_event_gprs_name(11), "pdp-ContextEstablishment");
}

/* Every operation has a context; its first phase is that of its earliest context; its family
 * is an operation of the same service; every context carries operations. */
static void test_table_consistent(void)
{
    unsigned ops_per_ac[SSGW_CAP_AC_COUNT] = {0};
    for (size_t i = 0; i < ssgw_cap_op_count(); i++) {
        const ssgw_cap_op *op = ssgw_cap_op_at(i);
        CHECK(op->contexts != 0);
        unsigned first = 9;
        for (int ac = 0; ac < SSGW_CAP_AC_COUNT; ac++) {
            const ssgw_cap_acn *a = ssgw_cap_acn_by_id(ac);
            if (!(op->contexts & (1u << ac))) continue;
            ops_per_ac[ac]++;
            if (a->phase < first) first = a->phase;
            CHECK(ssgw_cap_acn_carries(a, (int)op->opcode));
        }
        if (first != op->first_phase)
            fprintf(stderr, "%s: first phase %u, earliest context %u\n", op->name, op->first_phase,
                    first);
        CHECK_INT(op->first_phase, first);
        const ssgw_cap_op *fam = ssgw_cap_op_by_code(op->family);
        CHECK(fam && fam->service == op->service && fam->family == fam->opcode);
        CHECK(ssgw_cap_op_by_code((int)op->opcode) == op);
    }
    for (int ac = 0; ac < SSGW_CAP_AC_COUNT; ac++)
        CHECK(ops_per_ac[ac] > 0);
    /* variants are their operation's family */
    CHECK_INT(ssgw_cap_op_family(SSGW_CAP_OP_CONTINUE_WITH_ARGUMENT), SSGW_CAP_OP_CONTINUE);
    CHECK_INT(ssgw_cap_op_family(SSGW_CAP_OP_DFC_WITH_ARGUMENT),
              SSGW_CAP_OP_DISCONNECT_FORWARD_CONNECTION);
    CHECK_INT(ssgw_cap_op_family(SSGW_CAP_OP_INITIAL_DP_SMS), SSGW_CAP_OP_INITIAL_DP_SMS);
    CHECK_INT(ssgw_cap_op_family(5), -1);
    /* who invokes what */
    CHECK_INT(ssgw_cap_op_by_code(SSGW_CAP_OP_INITIAL_DP)->direction, SSGW_CAP_TO_SCF);
    CHECK_INT(ssgw_cap_op_by_code(SSGW_CAP_OP_CONNECT)->direction, SSGW_CAP_FROM_SCF);
    CHECK_INT(ssgw_cap_op_by_code(SSGW_CAP_OP_APPLY_CHARGING_REPORT)->direction, SSGW_CAP_TO_SCF);
    CHECK_STR(ssgw_cap_direction_name(SSGW_CAP_FROM_SCF), "from-scf");
    CHECK_STR(ssgw_cap_service_name(SSGW_CAP_SVC_GPRS), "gprs");
}

/* The object identifiers Wireshark's camel dissector registers, name by name. */
static void test_contexts(void)
{
    static const struct {
        const char *oid;
        const char *name;
        int phase;
    } acs[] = {{"0.4.0.0.1.0.50.0", "CAP-v1-gsmSSF-to-gsmSCF-AC", 1},
               {"0.4.0.0.1.0.50.1", "CAP-v2-gsmSSF-to-gsmSCF-AC", 2},
               {"0.4.0.0.1.0.51.1", "CAP-v2-assist-gsmSSF-to-gsmSCF-AC", 2},
               {"0.4.0.0.1.0.52.1", "CAP-v2-gsmSRF-to-gsmSCF-AC", 2},
               {"0.4.0.0.1.21.3.4", "capssf-scfGenericAC", 3},
               {"0.4.0.0.1.21.3.6", "capssf-scfAssistHandoffAC", 3},
               {"0.4.0.0.1.20.3.14", "gsmSRF-gsmSCF-ac", 3},
               {"0.4.0.0.1.21.3.50", "cap3-gprssf-scfAC", 3},
               {"0.4.0.0.1.21.3.51", "cap3-gsmscf-gprsssfAC", 3},
               {"0.4.0.0.1.21.3.61", "cap3-sms-AC", 3},
               {"0.4.0.0.1.23.3.4", "capssf-scfGenericAC", 4},
               {"0.4.0.0.1.23.3.6", "capssf-scfAssistHandoffAC", 4},
               {"0.4.0.0.1.23.3.8", "capscf-ssfGenericAC", 4},
               {"0.4.0.0.1.22.3.14", "gsmSRF-gsmSCF-ac", 4},
               {"0.4.0.0.1.23.3.61", "cap4-sms-AC", 4}};
    CHECK_INT(ssgw_cap_acn_count(), sizeof acs / sizeof acs[0]);
    for (size_t i = 0; i < sizeof acs / sizeof acs[0]; i++) {
        uint8_t oid[16], back[16];
        int n = ssgw_ber_oid_from_str(acs[i].oid, oid, sizeof oid);
        CHECK_INT(n, SSGW_CAP_ACN_OID_LEN);
        const ssgw_cap_acn *a = ssgw_cap_acn_from_oid(oid, (size_t)n);
        CHECK(a != NULL);
        if (!a) continue;
        CHECK_STR(a->name, acs[i].name);
        CHECK_STR(a->oid, acs[i].oid);
        CHECK_INT(a->phase, acs[i].phase);
        CHECK_INT(ssgw_cap_acn_to_oid(a, back, sizeof back), n);
        CHECK_MEM(back, (size_t)n, oid, (size_t)n);
    }
    /* MAP's networkLocUpContext-v3 shares the 0.4.0.0.1.0 arc and is not CAP */
    uint8_t map_ul[] = {0x04, 0x00, 0x00, 0x01, 0x00, 0x01, 0x03};
    CHECK(ssgw_cap_acn_from_oid(map_ul, sizeof map_ul) == NULL);
    CHECK(ssgw_cap_acn_from_oid(map_ul, 6) == NULL);
    /* which context opens a dialogue for an operation */
    CHECK_STR(ssgw_cap_op_context(SSGW_CAP_OP_INITIAL_DP, 1)->name, "CAP-v1-gsmSSF-to-gsmSCF-AC");
    CHECK_STR(ssgw_cap_op_context(SSGW_CAP_OP_INITIAL_DP_SMS, 0)->oid, "0.4.0.0.1.23.3.61");
    CHECK(ssgw_cap_op_context(SSGW_CAP_OP_INITIAL_DP_SMS, 2) == NULL);
    CHECK(ssgw_cap_op_context(SSGW_CAP_OP_INITIATE_CALL_ATTEMPT, 3) == NULL);
}

/* ssgw_cap_acn_from_oid tells MAP contexts apart by a mask of second arcs (issue 16): every
 * 7-octet OID with the gsm-Network prefix and any three octets after it must find what a walk
 * over the table with ssgw_cap_acn_by_id and ssgw_cap_acn_to_oid finds, and nothing else. */
static void test_context_lookup_exhaustive(void)
{
    size_t n = ssgw_cap_acn_count(), found = 0, wrong = 0;
    uint8_t oids[64][SSGW_CAP_ACN_OID_LEN];
    CHECK(n <= 64);
    for (size_t i = 0; i < n && i < 64; i++)
        CHECK_INT(ssgw_cap_acn_to_oid(ssgw_cap_acn_by_id((int)i), oids[i], sizeof oids[i]),
                  SSGW_CAP_ACN_OID_LEN);
    uint8_t oid[SSGW_CAP_ACN_OID_LEN] = {0x04, 0x00, 0x00, 0x01};
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++)
            for (unsigned c = 0; c < 256; c += (a < 32 && b < 128) ? 1 : 85) {
                oid[4] = (uint8_t)a, oid[5] = (uint8_t)b, oid[6] = (uint8_t)c;
                const ssgw_cap_acn *want = NULL;
                for (size_t i = 0; i < n && i < 64 && !want; i++)
                    if (memcmp(oids[i], oid, sizeof oid) == 0) want = ssgw_cap_acn_by_id((int)i);
                const ssgw_cap_acn *got = ssgw_cap_acn_from_oid(oid, sizeof oid);
                found += got != NULL;
                wrong += got != want;
            }
    CHECK_INT(found, n);
    CHECK_INT(wrong, 0);
}

/* ---- the parameters ------------------------------------------------------------------------ */

static int decode_hex(int op, int phase, const char *hex, ssgw_cap_fields *f, ssgw_error *e)
{
    uint8_t b[256];
    int n = check_hex(hex, b, sizeof b);
    ssgw_cap_fields_init(f);
    return ssgw_cap_decode(op, phase, b, (size_t)n, f, e);
}

/* InitialDPArg: serviceKey [0] 10, callingPartyNumber [3] (ISUP: odd, international, ISDN,
 * network provided) 4479806, eventTypeBCSM [28] collectedInfo, iMSI [50] 234150000000001,
 * locationInformation [52] { vlr-number [1] 447700900123 }, mscAddress [55] 447700900456. */
static const char *const idp_hex = "30 2f"
                                   " 80 01 0a"
                                   " 83 06 84 13 44 97 08 06"
                                   " 9c 01 02"
                                   " 9f 32 08 32 14 05 00 00 00 00 f1"
                                   " bf 34 09 81 07 91 44 77 00 09 10 32"
                                   " 9f 37 07 91 44 77 00 09 40 65";

static void test_initial_dp_vector(void)
{
    ssgw_cap_fields f;
    ssgw_error e;
    CHECK_INT(decode_hex(SSGW_CAP_OP_INITIAL_DP, 2, idp_hex, &f, &e), 0);
    CHECK_INT(f.service_key, 10);
    CHECK_STR(f.calling_party_number, "4479806");
    CHECK_INT(f.event_type_bcsm, 2);
    CHECK_STR(f.imsi, "234150000000001");
    CHECK_STR(f.vlr_number, "447700900123");
    CHECK_STR(f.msc_address, "447700900456");
    CHECK_STR(f.called_party_number, "");
    CHECK_INT(f.release_cause, -1);
    /* what the encoder writes for these fields is the same octets */
    uint8_t mem[256], want[256];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_cap_encode(SSGW_CAP_OP_INITIAL_DP, 2, &f, &b), 0);
    int n = check_hex(idp_hex, want, sizeof want);
    CHECK_MEM(b.data, b.len, want, (size_t)n);
}

static void test_release_call_shapes(void)
{
    ssgw_cap_fields f;
    ssgw_error e;
    /* allCallSegments Cause: coding ITU-T, location user; 16 normal call clearing */
    CHECK_INT(decode_hex(SSGW_CAP_OP_RELEASE_CALL, 0, "04 02 80 90", &f, &e), 0);
    CHECK_INT(f.release_cause, 16);
    /* allCallSegmentsWithExtension [2] { allCallSegments [0] }, octet 1a present: 31 */
    CHECK_INT(decode_hex(SSGW_CAP_OP_RELEASE_CALL, 4, "a2 05 80 03 00 80 9f", &f, &e), 0);
    CHECK_INT(f.release_cause, 31);
    CHECK_INT(decode_hex(SSGW_CAP_OP_RELEASE_CALL, 4, "04 01 80", &f, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_CAP);
    CHECK_STR(e.field, "allCallSegments");
    CHECK_INT(decode_hex(SSGW_CAP_OP_RELEASE_CALL, 4, "30 02 80 90", &f, &e), -1);
    CHECK_STR(e.field, "ReleaseCallArg");
}

static void test_rrbe_and_connect(void)
{
    ssgw_cap_fields f;
    ssgw_error e;
    /* bcsmEvents [0] { BCSMEvent { oAnswer, notifyAndContinue }, { oDisconnect, interrupted } } */
    CHECK_INT(decode_hex(SSGW_CAP_OP_REQUEST_REPORT_BCSM_EVENT, 2,
                         "30 12 a0 10 30 06 80 01 07 81 01 01 30 06 80 01 09 81 01 00", &f, &e),
              0);
    CHECK_STR(f.bcsm_events, "oAnswer,oDisconnect");
    CHECK_INT(f.event_type_bcsm, 7);
    /* no bcsmEvents: mandatory */
    CHECK_INT(decode_hex(SSGW_CAP_OP_REQUEST_REPORT_BCSM_EVENT, 2, "30 00", &f, &e), -1);
    CHECK_STR(e.field, "bcsmEvents");
    CHECK_INT(e.code, SSGW_E_MISSING);
    /* Connect: destinationRoutingAddress [0] { CalledPartyNumber even, international 33601 0203 }
     */
    CHECK_INT(decode_hex(SSGW_CAP_OP_CONNECT, 1, "30 0a a0 08 04 06 04 10 33 06 10 21", &f, &e), 0);
    CHECK_STR(f.destination_routing_address, "33600112");
    /* a duplicate element is refused */
    CHECK_INT(decode_hex(SSGW_CAP_OP_EVENT_REPORT_BCSM, 2, "30 06 80 01 07 80 01 09", &f, &e), -1);
    CHECK_INT(e.code, SSGW_E_DUPLICATE);
    /* truncated inside */
    CHECK_INT(decode_hex(SSGW_CAP_OP_EVENT_REPORT_BCSM, 2, "30 03 80 05 07", &f, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_CAP);
}

/* The argument of phase 2's InitialDPArgExtension names gmscAddress [1]; from phase 3 [0]. */
static void test_phase_shapes(void)
{
    ssgw_cap_fields f;
    ssgw_error e;
    const char *v2 = "30 0e 80 01 01 bf 3b 08 81 06 91 44 77 00 09 21";
    CHECK_INT(decode_hex(SSGW_CAP_OP_INITIAL_DP, 2, v2, &f, &e), 0);
    CHECK_STR(f.gmsc_address, "4477009012");
    CHECK_INT(decode_hex(SSGW_CAP_OP_INITIAL_DP, 4, v2, &f, &e), 0);
    CHECK_STR(f.gmsc_address, ""); /* [1] of phase 4 is forwardingDestinationNumber */
    ssgw_cap_fields_init(&f);
    f.service_key = 1;
    snprintf(f.gmsc_address, sizeof f.gmsc_address, "4477009012");
    uint8_t mem[64];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_cap_encode(SSGW_CAP_OP_INITIAL_DP, 2, &f, &b), 0);
    uint8_t want[64];
    int n = check_hex(v2, want, sizeof want);
    CHECK_MEM(b.data, b.len, want, (size_t)n);
}

/* decode(encode(x)) == x for every operation the schema covers, in every phase it exists. */
static void test_round_trip(void)
{
    ssgw_cap_fields in;
    ssgw_cap_fields_init(&in);
    in.service_key = 2000000;
    snprintf(in.imsi, sizeof in.imsi, "208017876358326");
    snprintf(in.msisdn, sizeof in.msisdn, "33612345678");
    snprintf(in.calling_party_number, sizeof in.calling_party_number, "4420794600");
    snprintf(in.called_party_number, sizeof in.called_party_number, "441632960123");
    snprintf(in.called_party_bcd_number, sizeof in.called_party_bcd_number, "441632960999");
    snprintf(in.location_number, sizeof in.location_number, "33100000");
    snprintf(in.msc_address, sizeof in.msc_address, "33609000001");
    snprintf(in.gmsc_address, sizeof in.gmsc_address, "4470009000");
    snprintf(in.vlr_number, sizeof in.vlr_number, "33609000002");
    snprintf(in.smsc_address, sizeof in.smsc_address, "33609005000");
    snprintf(in.sgsn_number, sizeof in.sgsn_number, "33609007000");
    snprintf(in.gsmscf_address, sizeof in.gsmscf_address, "4470009999");
    snprintf(in.destination_routing_address, sizeof in.destination_routing_address,
             "2348030000000");
    snprintf(in.cell_id, sizeof in.cell_id, "02f8100001abcd");
    in.event_type_bcsm = 2;
    snprintf(in.bcsm_events, sizeof in.bcsm_events, "oAnswer,oNoAnswer,tDisconnect");
    in.event_type_sms = 3;
    in.gprs_event_type = 11;
    in.release_cause = 17;
    in.max_call_period_duration = 3600;
    unsigned tried = 0;
    for (size_t i = 0; i < ssgw_cap_op_count(); i++) {
        const ssgw_cap_op *op = ssgw_cap_op_at(i);
        if (!ssgw_cap_decodes((int)op->opcode)) continue;
        for (int phase = op->first_phase; phase <= 4; phase++) {
            uint8_t mem[512];
            ssgw_buf b;
            ssgw_buf_init(&b, mem, sizeof mem);
            CHECK_INT(ssgw_cap_encode((int)op->opcode, phase, &in, &b), 0);
            ssgw_cap_fields out;
            ssgw_error e;
            ssgw_cap_fields_init(&out);
            CHECK_INT(ssgw_cap_decode((int)op->opcode, phase, b.data, b.len, &out, &e), 0);
            /* every field the argument carries came back as it went in */
            const char *in_s[] = {in.imsi,
                                  in.msisdn,
                                  in.calling_party_number,
                                  in.called_party_number,
                                  in.called_party_bcd_number,
                                  in.location_number,
                                  in.msc_address,
                                  in.gmsc_address,
                                  in.vlr_number,
                                  in.smsc_address,
                                  in.sgsn_number,
                                  in.gsmscf_address,
                                  in.destination_routing_address,
                                  in.cell_id};
            const char *out_s[] = {out.imsi,
                                   out.msisdn,
                                   out.calling_party_number,
                                   out.called_party_number,
                                   out.called_party_bcd_number,
                                   out.location_number,
                                   out.msc_address,
                                   out.gmsc_address,
                                   out.vlr_number,
                                   out.smsc_address,
                                   out.sgsn_number,
                                   out.gsmscf_address,
                                   out.destination_routing_address,
                                   out.cell_id};
            for (size_t k = 0; k < sizeof in_s / sizeof in_s[0]; k++)
                if (out_s[k][0]) CHECK_STR(out_s[k], in_s[k]);
            int in_i[] = {in.service_key, in.event_type_sms, in.gprs_event_type, in.release_cause,
                          in.max_call_period_duration};
            int out_i[] = {out.service_key, out.event_type_sms, out.gprs_event_type,
                           out.release_cause, out.max_call_period_duration};
            for (size_t k = 0; k < sizeof in_i / sizeof in_i[0]; k++)
                if (out_i[k] >= 0) CHECK_INT(out_i[k], in_i[k]);
            if (out.bcsm_events[0]) CHECK_STR(out.bcsm_events, in.bcsm_events);
            tried++;
        }
    }
    CHECK(tried >= 30);
    /* a mandatory identity without a value: refused */
    ssgw_cap_fields none;
    ssgw_cap_fields_init(&none);
    uint8_t mem[64];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_cap_encode(SSGW_CAP_OP_INITIAL_DP, 4, &none, &b), -1);
    CHECK_INT(b.len, 0);
    CHECK_INT(ssgw_cap_encode(SSGW_CAP_OP_CONTINUE, 4, &in, &b), -1); /* no argument */
}

static void test_field_names(void)
{
    for (int f = 0; f < SSGW_CAP_F_COUNT; f++)
        CHECK(strcmp(ssgw_cap_field_name((ssgw_cap_field)f), "unknown") != 0);
    CHECK_STR(ssgw_cap_field_name(SSGW_CAP_F_SERVICE_KEY), "service_key");
    CHECK_STR(ssgw_cap_field_wireshark(SSGW_CAP_F_SERVICE_KEY), "camel.serviceKey");
    CHECK(ssgw_cap_field_is_int(SSGW_CAP_F_RELEASE_CAUSE));
    CHECK(!ssgw_cap_field_is_int(SSGW_CAP_F_IMSI));
    ssgw_cap_fields f;
    ssgw_cap_fields_init(&f);
    char tmp[24];
    CHECK(ssgw_cap_field_get(&f, SSGW_CAP_F_SERVICE_KEY, tmp, sizeof tmp) == NULL);
    f.event_type_bcsm = 9;
    CHECK_STR(ssgw_cap_field_get(&f, SSGW_CAP_F_EVENT_TYPE_BCSM_NAME, tmp, sizeof tmp),
              "oDisconnect");
}

int main(void)
{
    RUN(test_codes_and_names);
    RUN(test_table_consistent);
    RUN(test_contexts);
    RUN(test_context_lookup_exhaustive);
    RUN(test_initial_dp_vector);
    RUN(test_release_call_shapes);
    RUN(test_rrbe_and_connect);
    RUN(test_phase_shapes);
    RUN(test_round_trip);
    RUN(test_field_names);
    return check_summary();
}
