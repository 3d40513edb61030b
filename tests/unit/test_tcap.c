/*
 * test_tcap.c - TCAP codec (Q.773) against hand-assembled MAP-style messages.
 *
 * Every vector below was written into a pcap (Ethernet/IPv4/SCTP PPID 3/M3UA DATA/SCCP UDT,
 * called SSN 6) and decoded by tshark 4.0 with no expert error; the field values tshark
 * reported (tcap.otid, tcap.dtid, tcap.oid, tcap.application_context_name, gsm_old.invokeID,
 * gsm_old.linkedID, gsm_old.localValue, gsm_old.globalValue, tcap.p_abortCause,
 * tcap.abort_source, tcap.result, tcap.dialogue_service_user, gsm_old.generalProblem,
 * gsm_old.not_derivable_element, e212.imsi) are the expectations checked here. The only
 * expert item was a GSM MAP warning on the global-opcode Begin ("Unknown invokeData"):
 * MAP has no global operation codes; TCAP itself decoded it cleanly.
 */
#include <stdlib.h>

#include "check.h"
#include "ssgw/tcap.h" /* also SSGW_TCAP_TOKEN_OID */

/* Begin otid 0a1b2c3d, AARQ networkLocUpContext-v3 (0.4.0.0.1.0.1.3), invoke id 1
 * updateLocation (2) { imsi 240201234567890, msc-Number, vlr-Number }. */
static const char BEGIN_UL[] =
    "624e48040a1b2c3d6b1e281c060700118605010101a011600f80020780a109060704000001000103"
    "6c26a124020101020102301c040842201032547698f08107916407123456f70407916407123456f8";
/* The same message with indefinite lengths on every constructed element. */
static const char BEGIN_UL_INDEF[] =
    "628048040a1b2c3d6b802880060700118605010101a080608080020780a180060704000001000103"
    "000000000000000000006c80a180020101020102301c040842201032547698f08107916407123456"
    "f70407916407123456f8000000000000";
/* End dtid 0a1b2c3d, AARE accepted / dialogue-service-user null, returnResultLast id 1
 * updateLocation { hlr-Number }. */
static const char END_UL[] =
    "644949040a1b2c3d6b2a2828060700118605010101a01d611b80020780a109060704000001000103"
    "a203020100a305a1030201006c15a213020101300e02010230090407916407123456f9";
/* Continue otid 00000101 dtid 0a1b2c3d, invoke id 2 linked id 1 insertSubscriberData (7). */
static const char CONTINUE_ISD[] =
    "652448040000010149040a1b2c3d6c16a11402010280010102010730098107916407987654f3";
/* End dtid 0001, reject with NULL invoke id, generalProblem badlyStructuredComponent (2). */
static const char END_REJECT_NULL[] = "640d490200016c07a4050500800102";
/* Abort dtid 0a1b2c3d, p-abortCause unrecognizedTransactionID (1). */
static const char ABORT_PABORT[] = "670949040a1b2c3d4a0101";
/* Abort with ABRT abort-source dialogue-service-provider (1). */
static const char ABORT_ABRT[] = "671a49040a1b2c3d6b122810060700118605010101a0056403800101";
/* Abort with AARE reject-permanent / dialogue-service-user acn-not-supported (2). */
static const char ABORT_AARE[] =
    "673249040a1b2c3d6b2a2828060700118605010101a01d611b80020780a109060704000001000103"
    "a203020101a305a103020102";
/* Unidirectional with AUDT (unidialogue-as-id) and invoke id 0 updateLocation. */
static const char UNI_AUDT[] =
    "61486b1e281c060700118605010201a011600f80020780a1090607040000010001036c26a1240201"
    "00020102301c040842201032547698f08107916407123456f70407916407123456f8";
/* Begin otid 11, invoke id 5, global opcode 1.2.3.4, parameter OCTET STRING cafe. */
static const char BEGIN_GLOBAL[] = "62134801116c0ea10c02010506032a03040402cafe";
/* End, returnError id 1, local error 27 (absentSubscriber), parameter SEQUENCE {}. */
static const char END_ERROR[] = "641249040a1b2c3d6c0aa30802010102011b3000";
/* Begin with AARQ user-information: map-DialogueAS map-open { destinationReference }. */
static const char BEGIN_UI[] =
    "62684804010203046b382836060700118605010101a02b602980020780a109060704000001000103"
    "be182816060704000001010101a00ba0098007916407123456f76c26a124020101020102301c0408"
    "42201032547698f08107916407123456f70407916407123456f8";

static uint8_t vbuf[512];

/* Decodes hex into the static buffer; returns the length. */
static size_t hex(const char *h)
{
    int n = check_hex(h, vbuf, sizeof vbuf);
    CHECK(n > 0);
    return n > 0 ? (size_t)n : 0;
}

static int decode_hex(const char *h, ssgw_tcap_msg *m, ssgw_error *e)
{
    size_t n = hex(h);
    return ssgw_tcap_decode(vbuf, n, m, e);
}

static int first_comp(const ssgw_tcap_msg *m, ssgw_tcap_component *c)
{
    ssgw_tcap_comp_iter it;
    ssgw_error e;
    ssgw_tcap_comp_iter_init(&it, m);
    return ssgw_tcap_comp_next(&it, c, &e);
}

static void begin_update_location(void)
{
    ssgw_tcap_msg m;
    ssgw_tcap_component c;
    ssgw_error e;
    size_t n = hex(BEGIN_UL);
    CHECK_INT(ssgw_tcap_decode(vbuf, n, &m, &e), 0);
    CHECK_INT(m.type, SSGW_TCAP_BEGIN);
    CHECK_STR(ssgw_tcap_msg_type_name(m.type), "begin");
    CHECK_INT(m.span.off, 0);
    CHECK_INT(m.span.len, n);
    CHECK(m.otid.present && !m.dtid.present);
    CHECK_INT(m.otid.len, 4);
    CHECK_INT(m.otid.value, 0x0a1b2c3d);
    CHECK_INT(m.otid.span.off, 2);
    CHECK_INT(m.otid.span.len, 6);
    CHECK(m.dialogue_present);
    CHECK_INT(m.dialogue.type, SSGW_TCAP_DLG_AARQ);
    CHECK_STR(ssgw_tcap_dialogue_type_name(m.dialogue.type), "aarq");
    CHECK_INT(m.dialogue.portion.off, 8);
    CHECK_INT(m.dialogue.portion.len, 32);
    CHECK_INT(m.dialogue.pdu.off, 23);
    CHECK_INT(m.dialogue.pdu.len, 17);
    CHECK(m.dialogue.protocol_version_present);
    CHECK_INT(m.dialogue.protocol_version[0], 0x07);
    CHECK_INT(m.dialogue.protocol_version[1], 0x80);
    CHECK_STR(m.dialogue.acn_str, "0.4.0.0.1.0.1.3");
    CHECK_MEM(m.dialogue.acn, m.dialogue.acn_len, vbuf + 33, 7);
    CHECK(!m.dialogue.user_info_present);
    CHECK(m.components_present);
    CHECK_INT(m.components_span.off, 40);
    CHECK_INT(m.components_span.len, 40);
    CHECK_INT(m.component_count, 1);

    CHECK_INT(first_comp(&m, &c), 1);
    CHECK_INT(c.type, SSGW_TCAP_COMP_INVOKE);
    CHECK_STR(ssgw_tcap_comp_type_name(c.type), "invoke");
    CHECK_INT(c.span.off, 42);
    CHECK_INT(c.span.len, 38);
    CHECK(c.invoke_id_present && !c.linked_id_present);
    CHECK_INT(c.invoke_id, 1);
    CHECK_INT(c.opcode.kind, SSGW_TCAP_CODE_LOCAL);
    CHECK_INT(c.opcode.local, 2);
    CHECK(c.param_present);
    CHECK_INT(c.param_span.off, 50);
    CHECK_INT(c.param_tlv_len, 30);
    CHECK(c.param_tlv == vbuf + 50);
    CHECK_INT(c.param_tlv[0], 0x30);
    CHECK_INT(c.param_len, 28);
    CHECK(c.param == vbuf + 52);
    /* the IMSI tshark shows as e212.imsi 240201234567890 is the first parameter element */
    uint8_t imsi[] = {0x04, 0x08, 0x42, 0x20, 0x10, 0x32, 0x54, 0x76, 0x98, 0xf0};
    CHECK_MEM(c.param, 10, imsi, sizeof imsi);
}

static void indefinite_decodes_identically(void)
{
    ssgw_tcap_msg a, b;
    ssgw_tcap_component ca, cb;
    ssgw_error e;
    uint8_t def[128];
    size_t dn = hex(BEGIN_UL);
    memcpy(def, vbuf, dn);
    CHECK_INT(ssgw_tcap_decode(def, dn, &a, &e), 0);
    size_t in = hex(BEGIN_UL_INDEF);
    CHECK_INT(ssgw_tcap_decode(vbuf, in, &b, &e), 0);
    CHECK(b.span.indefinite);
    CHECK_INT(b.span.len, in);
    CHECK(b.dialogue.portion.indefinite && b.components_span.indefinite);
    CHECK_INT(b.type, a.type);
    CHECK_INT(b.otid.value, a.otid.value);
    CHECK_INT(b.dialogue.type, a.dialogue.type);
    CHECK_STR(b.dialogue.acn_str, a.dialogue.acn_str);
    CHECK_MEM(b.dialogue.acn, b.dialogue.acn_len, a.dialogue.acn, a.dialogue.acn_len);
    CHECK_INT(b.dialogue.protocol_version_present, 1);
    CHECK_INT(b.component_count, 1);
    CHECK_INT(first_comp(&a, &ca), 1);
    CHECK_INT(first_comp(&b, &cb), 1);
    CHECK(cb.span.indefinite);
    CHECK_INT(cb.invoke_id, ca.invoke_id);
    CHECK_INT(cb.opcode.local, ca.opcode.local);
    CHECK_MEM(cb.param_tlv, cb.param_tlv_len, ca.param_tlv, ca.param_tlv_len);
    /* the element spans still locate the elements in the indefinite buffer */
    CHECK_INT(vbuf[b.components_span.off], 0x6c);
    CHECK_INT(vbuf[cb.span.off], 0xa1);
    CHECK_INT(vbuf[b.components_span.off + b.components_span.len - 1], 0x00);
    /* encoding the indefinite form gives the canonical definite form */
    ssgw_tcap_component comps[1] = {cb};
    uint8_t out[256];
    ssgw_buf ob;
    ssgw_buf_init(&ob, out, sizeof out);
    CHECK_INT(ssgw_tcap_encode(&ob, &b, comps, 1, &e), 0);
    CHECK_MEM(ob.data, ob.len, def, dn);
}

static void end_with_aare_and_result(void)
{
    ssgw_tcap_msg m;
    ssgw_tcap_component c;
    ssgw_error e;
    CHECK_INT(decode_hex(END_UL, &m, &e), 0);
    CHECK_INT(m.type, SSGW_TCAP_END);
    CHECK(!m.otid.present && m.dtid.present);
    CHECK_INT(m.dtid.value, 0x0a1b2c3d);
    CHECK_INT(m.dialogue.type, SSGW_TCAP_DLG_AARE);
    CHECK_STR(m.dialogue.acn_str, "0.4.0.0.1.0.1.3");
    CHECK_INT(m.dialogue.result, SSGW_TCAP_RESULT_ACCEPTED);
    CHECK_STR(ssgw_tcap_result_name(m.dialogue.result), "accepted");
    CHECK_INT(m.dialogue.diag_source, SSGW_TCAP_DIAG_SERVICE_USER);
    CHECK_INT(m.dialogue.diag_value, 0);
    CHECK_STR(ssgw_tcap_diag_name(m.dialogue.diag_source, m.dialogue.diag_value), "null");
    CHECK_INT(first_comp(&m, &c), 1);
    CHECK_INT(c.type, SSGW_TCAP_COMP_RETURN_RESULT_LAST);
    CHECK_INT(c.invoke_id, 1);
    CHECK_INT(c.opcode.kind, SSGW_TCAP_CODE_LOCAL);
    CHECK_INT(c.opcode.local, 2);
    CHECK(c.param_present);
    CHECK_INT(c.param_tlv_len, 11);
}

static void continue_with_linked_invoke(void)
{
    ssgw_tcap_msg m;
    ssgw_tcap_component c;
    ssgw_error e;
    CHECK_INT(decode_hex(CONTINUE_ISD, &m, &e), 0);
    CHECK_STR(ssgw_tcap_msg_type_name(m.type), "continue");
    CHECK_INT(m.otid.value, 0x101);
    CHECK_INT(m.otid.len, 4);
    CHECK_INT(m.dtid.value, 0x0a1b2c3d);
    CHECK(!m.dialogue_present);
    CHECK_INT(first_comp(&m, &c), 1);
    CHECK(c.linked_id_present);
    CHECK_INT(c.invoke_id, 2);
    CHECK_INT(c.linked_id, 1);
    CHECK_INT(c.opcode.local, 7);
}

static void reject_with_null_invoke_id(void)
{
    ssgw_tcap_msg m;
    ssgw_tcap_component c;
    ssgw_error e;
    CHECK_INT(decode_hex(END_REJECT_NULL, &m, &e), 0);
    CHECK_INT(m.dtid.len, 2);
    CHECK_INT(m.dtid.value, 1);
    CHECK_INT(first_comp(&m, &c), 1);
    CHECK_INT(c.type, SSGW_TCAP_COMP_REJECT);
    CHECK(!c.invoke_id_present);
    CHECK_INT(c.problem_type, SSGW_TCAP_PROBLEM_GENERAL);
    CHECK_INT(c.problem_code, 2);
    CHECK_STR(ssgw_tcap_problem_type_name(c.problem_type), "general");
    CHECK_STR(ssgw_tcap_problem_name(c.problem_type, c.problem_code), "badlyStructuredComponent");
    CHECK_STR(ssgw_tcap_problem_name(SSGW_TCAP_PROBLEM_INVOKE, 1), "unrecognizedOperation");
    CHECK_STR(ssgw_tcap_problem_name(SSGW_TCAP_PROBLEM_RETURN_ERROR, 9), "unknown");
}

static void abort_variants(void)
{
    ssgw_tcap_msg m;
    ssgw_error e;
    CHECK_INT(decode_hex(ABORT_PABORT, &m, &e), 0);
    CHECK_STR(ssgw_tcap_msg_type_name(m.type), "abort");
    CHECK(m.pabort_present && !m.dialogue_present && !m.components_present);
    CHECK_INT(m.pabort_cause, SSGW_TCAP_PABORT_UNRECOGNIZED_TRANSACTION_ID);
    CHECK_STR(ssgw_tcap_pabort_cause_name(m.pabort_cause), "unrecognizedTransactionID");
    CHECK_INT(m.pabort_span.off, 8);

    CHECK_INT(decode_hex(ABORT_ABRT, &m, &e), 0);
    CHECK(!m.pabort_present && m.dialogue_present);
    CHECK_INT(m.dialogue.type, SSGW_TCAP_DLG_ABRT);
    CHECK_INT(m.dialogue.abort_source, SSGW_TCAP_ABORT_SOURCE_PROVIDER);
    CHECK_STR(ssgw_tcap_abort_source_name(m.dialogue.abort_source), "dialogue-service-provider");
    CHECK(!m.dialogue.user_info_present);

    CHECK_INT(decode_hex(ABORT_AARE, &m, &e), 0);
    CHECK_INT(m.dialogue.type, SSGW_TCAP_DLG_AARE);
    CHECK_INT(m.dialogue.result, SSGW_TCAP_RESULT_REJECT_PERMANENT);
    CHECK_STR(ssgw_tcap_result_name(m.dialogue.result), "reject-permanent");
    CHECK_STR(ssgw_tcap_diag_source_name(m.dialogue.diag_source), "dialogue-service-user");
    CHECK_STR(ssgw_tcap_diag_name(m.dialogue.diag_source, m.dialogue.diag_value),
              "application-context-name-not-supported");
}

static void unidirectional_audt(void)
{
    ssgw_tcap_msg m;
    ssgw_tcap_component c;
    ssgw_error e;
    CHECK_INT(decode_hex(UNI_AUDT, &m, &e), 0);
    CHECK_STR(ssgw_tcap_msg_type_name(m.type), "unidirectional");
    CHECK(!m.otid.present && !m.dtid.present);
    CHECK_INT(m.dialogue.type, SSGW_TCAP_DLG_AUDT);
    CHECK_STR(m.dialogue.acn_str, "0.4.0.0.1.0.1.3");
    CHECK_INT(first_comp(&m, &c), 1);
    CHECK_INT(c.invoke_id, 0);
}

static void global_opcode_and_return_error(void)
{
    ssgw_tcap_msg m;
    ssgw_tcap_component c;
    ssgw_error e;
    char dotted[32];
    CHECK_INT(decode_hex(BEGIN_GLOBAL, &m, &e), 0);
    CHECK_INT(m.otid.len, 1);
    CHECK_INT(m.otid.value, 0x11);
    CHECK_INT(first_comp(&m, &c), 1);
    CHECK_INT(c.invoke_id, 5);
    CHECK_INT(c.opcode.kind, SSGW_TCAP_CODE_GLOBAL);
    CHECK_STR(ssgw_tcap_code_kind_name(c.opcode.kind), "global");
    CHECK(ssgw_ber_oid_to_str(c.opcode.global, c.opcode.global_len, dotted, sizeof dotted) > 0);
    CHECK_STR(dotted, "1.2.3.4");
    uint8_t param[] = {0x04, 0x02, 0xca, 0xfe};
    CHECK_MEM(c.param_tlv, c.param_tlv_len, param, sizeof param);
    CHECK_MEM(c.param, c.param_len, param + 2, 2);

    CHECK_INT(decode_hex(END_ERROR, &m, &e), 0);
    CHECK_INT(first_comp(&m, &c), 1);
    CHECK_INT(c.type, SSGW_TCAP_COMP_RETURN_ERROR);
    CHECK_INT(c.error.kind, SSGW_TCAP_CODE_LOCAL);
    CHECK_INT(c.error.local, 27);
    CHECK(c.param_present);
    CHECK_INT(c.param_tlv_len, 2);
    CHECK_INT(c.param_len, 0);
}

static void aarq_user_information(void)
{
    ssgw_tcap_msg m;
    ssgw_error e;
    CHECK_INT(decode_hex(BEGIN_UI, &m, &e), 0);
    CHECK(m.dialogue.user_info_present);
    CHECK_INT(m.dialogue.user_info_span.off, 40);
    CHECK_INT(m.dialogue.user_info_span.len, 26);
    CHECK_INT(m.dialogue.user_info_len, 24);
    CHECK_INT(m.dialogue.user_info[0], 0x28); /* the EXTERNAL with map-DialogueAS */
    CHECK(m.dialogue.user_info == vbuf + 42);
    CHECK_INT(m.component_count, 1);
}

/* Decodes each canonical vector, re-encodes it from the view and compares the bytes. */
static void roundtrip_canonical(void)
{
    static const char *const all[] = {BEGIN_UL,     END_UL,     CONTINUE_ISD, END_REJECT_NULL,
                                      ABORT_PABORT, ABORT_ABRT, ABORT_AARE,   UNI_AUDT,
                                      BEGIN_GLOBAL, END_ERROR,  BEGIN_UI};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        ssgw_tcap_msg m, m2;
        ssgw_tcap_component comps[8];
        ssgw_tcap_comp_iter it;
        ssgw_error e;
        size_t n = hex(all[i]), nc = 0;
        CHECK_INT(ssgw_tcap_decode(vbuf, n, &m, &e), 0);
        ssgw_tcap_comp_iter_init(&it, &m);
        while (nc < 8 && ssgw_tcap_comp_next(&it, &comps[nc], &e) == 1)
            nc++;
        CHECK_INT(nc, m.component_count);
        uint8_t out[512];
        ssgw_buf b;
        ssgw_buf_init(&b, out, sizeof out);
        CHECK_INT(ssgw_tcap_encode(&b, &m, comps, nc, &e), 0);
        CHECK_MEM(b.data, b.len, vbuf, n);
        /* and the re-encoding decodes to the same view */
        CHECK_INT(ssgw_tcap_decode(b.data, b.len, &m2, &e), 0);
        CHECK_INT(m2.type, m.type);
        CHECK_INT(m2.component_count, m.component_count);
        CHECK_STR(m2.dialogue.acn_str, m.dialogue.acn_str);
    }
}

/* Builds messages from scratch with the encoder API; the expected bytes are the
 * tshark-verified vectors, so the encoder is checked against an independent decoding. */
static void encode_from_scratch(void)
{
    uint8_t out[256], param[64];
    ssgw_buf b;
    ssgw_error e;
    ssgw_tcap_msg m;
    ssgw_tcap_component c;

    memset(&m, 0, sizeof m);
    m.type = SSGW_TCAP_BEGIN;
    ssgw_tcap_tid_set(&m.otid, 0x0a1b2c3d, 4);
    m.dialogue_present = true;
    m.dialogue.type = SSGW_TCAP_DLG_AARQ;
    m.dialogue.protocol_version_present = true;
    m.dialogue.protocol_version[0] = 0x07;
    m.dialogue.protocol_version[1] = 0x80;
    strcpy(m.dialogue.acn_str, "0.4.0.0.1.0.1.3");
    memset(&c, 0, sizeof c);
    c.type = SSGW_TCAP_COMP_INVOKE;
    c.invoke_id_present = true;
    c.invoke_id = 1;
    c.opcode.kind = SSGW_TCAP_CODE_LOCAL;
    c.opcode.local = 2;
    int pn = check_hex("301c040842201032547698f08107916407123456f70407916407123456f8", param,
                       sizeof param);
    c.param_present = true;
    c.param_tlv = param;
    c.param_tlv_len = (size_t)pn;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_tcap_encode(&b, &m, &c, 1, &e), 0);
    size_t n = hex(BEGIN_UL);
    CHECK_MEM(b.data, b.len, vbuf, n);

    /* Abort with P-Abort cause */
    memset(&m, 0, sizeof m);
    m.type = SSGW_TCAP_ABORT;
    ssgw_tcap_tid_set(&m.dtid, 0x0a1b2c3d, 4);
    m.pabort_present = true;
    m.pabort_cause = SSGW_TCAP_PABORT_UNRECOGNIZED_TRANSACTION_ID;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_tcap_encode(&b, &m, NULL, 0, &e), 0);
    n = hex(ABORT_PABORT);
    CHECK_MEM(b.data, b.len, vbuf, n);

    /* Abort with ABRT */
    memset(&m, 0, sizeof m);
    m.type = SSGW_TCAP_ABORT;
    ssgw_tcap_tid_set(&m.dtid, 0x0a1b2c3d, 4);
    m.dialogue_present = true;
    m.dialogue.type = SSGW_TCAP_DLG_ABRT;
    m.dialogue.abort_source = SSGW_TCAP_ABORT_SOURCE_PROVIDER;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_tcap_encode(&b, &m, NULL, 0, &e), 0);
    n = hex(ABORT_ABRT);
    CHECK_MEM(b.data, b.len, vbuf, n);

    /* End with a NULL-id reject */
    memset(&m, 0, sizeof m);
    m.type = SSGW_TCAP_END;
    ssgw_tcap_tid_set(&m.dtid, 1, 2);
    memset(&c, 0, sizeof c);
    c.type = SSGW_TCAP_COMP_REJECT;
    c.problem_type = SSGW_TCAP_PROBLEM_GENERAL;
    c.problem_code = 2;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_tcap_encode(&b, &m, &c, 1, &e), 0);
    n = hex(END_REJECT_NULL);
    CHECK_MEM(b.data, b.len, vbuf, n);

    /* End with AARE accepted and a ReturnError */
    memset(&m, 0, sizeof m);
    m.type = SSGW_TCAP_END;
    ssgw_tcap_tid_set(&m.dtid, 0x0a1b2c3d, 4);
    memset(&c, 0, sizeof c);
    c.type = SSGW_TCAP_COMP_RETURN_ERROR;
    c.invoke_id_present = true;
    c.invoke_id = 1;
    c.error.kind = SSGW_TCAP_CODE_LOCAL;
    c.error.local = 27;
    c.param_present = true;
    c.param_tlv = (const uint8_t *)"\x30\x00";
    c.param_tlv_len = 2;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_tcap_encode(&b, &m, &c, 1, &e), 0);
    n = hex(END_ERROR);
    CHECK_MEM(b.data, b.len, vbuf, n);

    /* returnResultNotLast, with and without a result */
    ssgw_tcap_component rr[2];
    memset(rr, 0, sizeof rr);
    rr[0].type = SSGW_TCAP_COMP_RETURN_RESULT_NOT_LAST;
    rr[0].invoke_id_present = true;
    rr[0].invoke_id = -1;
    rr[0].opcode.kind = SSGW_TCAP_CODE_LOCAL;
    rr[0].opcode.local = 56;
    rr[1].type = SSGW_TCAP_COMP_RETURN_RESULT_LAST;
    rr[1].invoke_id_present = true;
    rr[1].invoke_id = -1;
    ssgw_tcap_tid_set(&m.otid, 7, 1);
    m.type = SSGW_TCAP_CONTINUE;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_tcap_encode(&b, &m, rr, 2, &e), 0);
    /* Continue { otid 07, dtid 0a1b2c3d, components { a7 { -1, SEQ { 56 } }, a2 { -1 } } } */
    n = hex("651a 480107 49040a1b2c3d 6c0f a708 0201ff 3003 020138 a203 0201ff");
    CHECK_MEM(b.data, b.len, vbuf, n);
    ssgw_tcap_msg d;
    ssgw_tcap_component dc;
    CHECK_INT(ssgw_tcap_decode(b.data, b.len, &d, &e), 0);
    CHECK_INT(d.component_count, 2);
    CHECK_INT(first_comp(&d, &dc), 1);
    CHECK_STR(ssgw_tcap_comp_type_name(dc.type), "returnResultNotLast");
    CHECK_INT(dc.invoke_id, -1);
    CHECK_INT(dc.opcode.local, 56);
    CHECK(!dc.param_present);
}

static void encode_errors(void)
{
    uint8_t out[256];
    ssgw_buf b;
    ssgw_error e;
    ssgw_tcap_msg m;
    ssgw_tcap_component c;

    memset(&m, 0, sizeof m);
    m.type = SSGW_TCAP_BEGIN;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_tcap_encode(&b, &m, NULL, 0, &e), -1);
    CHECK_INT(e.code, SSGW_E_MISSING);
    CHECK_STR(e.field, "otid");
    ssgw_tcap_tid_set(&m.otid, 1, 4);
    ssgw_tcap_tid_set(&m.dtid, 1, 4);
    CHECK_INT(ssgw_tcap_encode(&b, &m, NULL, 0, &e), -1);
    CHECK_STR(e.field, "dtid");
    m.type = SSGW_TCAP_UNIDIRECTIONAL;
    memset(&m.otid, 0, sizeof m.otid);
    memset(&m.dtid, 0, sizeof m.dtid);
    CHECK_INT(ssgw_tcap_encode(&b, &m, NULL, 0, &e), -1);
    CHECK_STR(e.field, "component portion");
    m.type = SSGW_TCAP_ABORT;
    ssgw_tcap_tid_set(&m.dtid, 1, 4);
    m.pabort_present = true;
    m.dialogue_present = true;
    m.dialogue.type = SSGW_TCAP_DLG_ABRT;
    CHECK_INT(ssgw_tcap_encode(&b, &m, NULL, 0, &e), -1);
    m.pabort_present = false;
    m.dialogue.type = SSGW_TCAP_DLG_AARQ; /* not allowed in an Abort */
    strcpy(m.dialogue.acn_str, "0.4.0.0.1.0.1.3");
    CHECK_INT(ssgw_tcap_encode(&b, &m, NULL, 0, &e), -1);
    CHECK_STR(e.field, "dialogue pdu");
    CHECK_INT(b.len, 0);

    memset(&c, 0, sizeof c);
    c.type = SSGW_TCAP_COMP_INVOKE;
    c.invoke_id_present = true;
    c.invoke_id = 1;
    CHECK_INT(ssgw_tcap_encode_component(&b, &c, &e), -1);
    CHECK_STR(e.field, "operation code");
    c.opcode.kind = SSGW_TCAP_CODE_LOCAL;
    c.invoke_id = 200;
    CHECK_INT(ssgw_tcap_encode_component(&b, &c, &e), -1);
    CHECK_STR(e.field, "invoke id");
    c.invoke_id = 1;
    c.param_present = true;
    c.param_tlv = (const uint8_t *)"\x30\x05\x00";
    c.param_tlv_len = 3;
    CHECK_INT(ssgw_tcap_encode_component(&b, &c, &e), -1);
    CHECK_STR(e.field, "parameter");
    c.invoke_id_present = false;
    c.param_present = false;
    CHECK_INT(ssgw_tcap_encode_component(&b, &c, &e), -1);

    /* overflow is reported */
    memset(&m, 0, sizeof m);
    m.type = SSGW_TCAP_ABORT;
    ssgw_tcap_tid_set(&m.dtid, 1, 4);
    ssgw_buf_init(&b, out, 4);
    CHECK_INT(ssgw_tcap_encode(&b, &m, NULL, 0, &e), -1);
    CHECK_INT(e.code, SSGW_E_TOO_BIG);
}

struct bad_case {
    const char *hex;
    ssgw_errcode code;
    const char *field;
    long offset; /* -1: not checked */
};

static void mandatory_and_forbidden_elements(void)
{
    static const struct bad_case cases[] = {
        /* baseline of the Begin cases below is 620e 48020001 6c08a106020101020102 */
        {"620a 6c08a106020101020102", SSGW_E_MISSING, "otid", 2},
        {"6212 48020001 49020002 6c08a106020101020102", SSGW_E_BAD_TAG, "dtid", 6},
        {"6212 48020001 48020002 6c08a106020101020102", SSGW_E_DUPLICATE, "otid", 6},
        {"6211 48050102030405 6c08a106020101020102", SSGW_E_BAD_LENGTH, "otid", 2},
        {"620c 4800 6c08a106020101020102", SSGW_E_BAD_LENGTH, "otid", 2},
        {"6206 48020001 6c00", SSGW_E_BAD_LENGTH, "component portion", 6},
        {"650e 48020001 6c08a106020101020102", SSGW_E_MISSING, "dtid", 2},
        {"650e 49020001 6c08a106020101020102", SSGW_E_MISSING, "otid", 2},
        {"6512 49020002 48020001 6c08a106020101020102", SSGW_E_BAD_TAG, "otid", 6},
        {"640a 6c08a106020101020102", SSGW_E_MISSING, "dtid", 2},
        {"6412 48020001 49020002 6c08a106020101020102", SSGW_E_BAD_TAG, "otid", 2},
        {"6703 4a0101", SSGW_E_MISSING, "dtid", 2},
        {"670e 49020001 6c08a106020101020102", SSGW_E_BAD_TAG, "component portion", 6},
        {"671b 49020001 4a0101 6b122810060700118605010101a0056403800101", SSGW_E_BAD_TAG,
         "dialogue portion", 9},
        {"670f 49020001 4a09010203040506070809", SSGW_E_BAD_LENGTH, "p-abort cause", 6},
        {"6707 49020001 4a01ff", SSGW_E_BAD_VALUE, "p-abort cause", 6},
        {"6120 6b1e281c060700118605010201a011600f80020780a109060704000001000103", SSGW_E_MISSING,
         "component portion", 34},
        {"6304 48020001", SSGW_E_BAD_TAG, "message type", 0},
        {"620e 48020001 6c08a106020101020102 00", SSGW_E_BAD_LENGTH, "trailing bytes", 16},
        {"6208 48020001 0500 0500", SSGW_E_BAD_TAG, "transaction portion", 6},
        /* dialogue portion */
        {"6219 48020001 6b13281106070011860501010 1a006600480020780", SSGW_E_MISSING,
         "application context name", 21},
        {"6230 48020001 6b2a2828060700118605010101a01d611b80020780a109060704000001000103"
         "a203020100a305a103020100",
         SSGW_E_BAD_TAG, "dialogue pdu", 21},
        {"642b 49020001 6b252823060700118605010101a018611680020780a109060704000001000103"
         "a305a103020100",
         SSGW_E_MISSING, "result", 21},
        {"6415 49020001 6b0f280d060700118605010101a0026400", SSGW_E_MISSING, "abort source", 21},
        {"6718 49020001 6b122810060700118605010102a0056403800101", SSGW_E_UNSUPPORTED,
         "dialogue abstract syntax", 10},
        {"6718 49020001 6b122810060700118605010101a1056403800101", SSGW_E_UNSUPPORTED,
         "external encoding", 19},
        {"6718 49020001 6b122810060700118605010101a0056403800102", SSGW_E_BAD_VALUE, "abort source",
         23},
        /* AUDT (unidialogue) in a Begin */
        {"622e 48020001 6b1e281c060700118605010201a011600f80020780a109060704000001000103"
         "6c08a106020101020102",
         SSGW_E_BAD_TAG, "dialogue pdu", 21},
        /* components */
        {"620b 48020001 6c05a103020101", SSGW_E_MISSING, "operation code", -1},
        {"6208 48020001 6c02a100", SSGW_E_MISSING, "invoke id", -1},
        {"620f 48020001 6c09a10702020100020102", SSGW_E_BAD_VALUE, "invoke id", 10},
        {"6212 48020001 6c0ca10a02010102010205000500", SSGW_E_BAD_TAG, "invoke", 18},
        {"640b 49020001 6c05a303020101", SSGW_E_MISSING, "error code", -1},
        {"640b 49020001 6c05a403020101", SSGW_E_MISSING, "problem", -1},
        {"640d 49020001 6c07a1050500020101", SSGW_E_BAD_TAG, "invoke id", 10},
        {"640e 49020001 6c08a506020101020102", SSGW_E_BAD_TAG, "component type", 8},
        {"640e 49020001 6c08a406020101850100", SSGW_E_BAD_TAG, "problem", 13},
        {"6410 49020001 6c0aa20802010130030401ff", SSGW_E_BAD_TAG, "operation code", 15},
        {"6411 49020001 6c0ba2090201013004020102ff", SSGW_E_TRUNCATED, "parameter", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ssgw_tcap_msg m;
        ssgw_error e;
        memset(&e, 0, sizeof e);
        int r = decode_hex(cases[i].hex, &m, &e);
        CHECK_INT(r, -1);
        if (r == 0) {
            fprintf(stderr, "  case %zu decoded\n", i);
            continue;
        }
        CHECK_INT(e.layer, SSGW_LAYER_TCAP);
        CHECK_INT(e.code, cases[i].code);
        CHECK_STR(e.field, cases[i].field);
        if (cases[i].offset >= 0) CHECK_INT(e.offset, cases[i].offset);
        if (e.code != cases[i].code || strcmp(e.field, cases[i].field) != 0 ||
            (cases[i].offset >= 0 && (long)e.offset != cases[i].offset))
            fprintf(stderr, "  case %zu: got %s %s @%zu\n", i, ssgw_errcode_name(e.code), e.field,
                    e.offset);
    }
}

/* Every prefix of a valid Begin (definite and indefinite) is refused, in an exact-size heap
 * buffer so AddressSanitizer sees any over-read; so is every single-bit flip not crashing. */
static void truncation_at_every_offset(void)
{
    static const char *const msgs[] = {BEGIN_UL, BEGIN_UL_INDEF, BEGIN_UI};
    for (size_t k = 0; k < 3; k++) {
        size_t n = hex(msgs[k]);
        for (size_t cut = 0; cut < n; cut++) {
            uint8_t *p = malloc(cut ? cut : 1);
            memcpy(p, vbuf, cut);
            ssgw_tcap_msg m;
            ssgw_error e;
            CHECK_INT(ssgw_tcap_decode(p, cut, &m, &e), -1);
            CHECK(e.offset <= cut);
            free(p);
        }
        uint8_t *p = malloc(n);
        for (size_t i = 0; i < n; i++)
            for (int bit = 0; bit < 8; bit++) {
                memcpy(p, vbuf, n);
                p[i] ^= (uint8_t)(1u << bit);
                ssgw_tcap_msg m;
                ssgw_error e;
                if (ssgw_tcap_decode(p, n, &m, &e) == 0) {
                    ssgw_tcap_comp_iter it;
                    ssgw_tcap_component c;
                    ssgw_tcap_comp_iter_init(&it, &m);
                    while (ssgw_tcap_comp_next(&it, &c, &e) == 1)
                        CHECK(c.span.off + c.span.len <= n);
                }
            }
        free(p);
    }
}

static void name_tables(void)
{
    CHECK_STR(ssgw_tcap_msg_type_name(SSGW_TCAP_UNIDIRECTIONAL), "unidirectional");
    CHECK_STR(ssgw_tcap_msg_type_name((ssgw_tcap_msg_type)3), "unknown");
    CHECK_STR(ssgw_tcap_comp_type_name(SSGW_TCAP_COMP_RETURN_RESULT_LAST), "returnResultLast");
    CHECK_STR(ssgw_tcap_comp_type_name(SSGW_TCAP_COMP_RETURN_ERROR), "returnError");
    CHECK_STR(ssgw_tcap_pabort_cause_name(4), "resourceLimitation");
    CHECK_STR(ssgw_tcap_pabort_cause_name(5), "unknown");
    CHECK_STR(ssgw_tcap_dialogue_type_name(SSGW_TCAP_DLG_AUDT), "audt");
    CHECK_STR(ssgw_tcap_diag_name(SSGW_TCAP_DIAG_SERVICE_PROVIDER, 2),
              "no-common-dialogue-portion");
    CHECK(ssgw_tcap_msg_rule_for(SSGW_TCAP_CONTINUE)->mandatory ==
          (SSGW_TCAP_EL_OTID | SSGW_TCAP_EL_DTID));
    CHECK(ssgw_tcap_msg_rule_for((ssgw_tcap_msg_type)6) == NULL);
}

/*
 * A dialogue portion holding only an EXTERNAL under OpenSSGW's token syntax (what a
 * signing gateway adds to a message that had no dialogue portion, docs/wire-format.md)
 * decodes as dialogue type "other"; any other unknown abstract syntax is still refused.
 */
static void token_only_dialogue_portion(void)
{
    uint8_t oid[48], mem[256];
    int n = ssgw_ber_oid_from_str(SSGW_TCAP_TOKEN_OID, oid, sizeof oid);
    CHECK(n > 0);
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    size_t msg = ssgw_ber_open(&b, SSGW_BER_APPLICATION, SSGW_TCAP_CONTINUE);
    ssgw_ber_put_tlv(&b, SSGW_BER_APPLICATION, false, 8, "\x01\x02\x03\x04", 4); /* otid */
    ssgw_ber_put_tlv(&b, SSGW_BER_APPLICATION, false, 9, "\x05\x06\x07\x08", 4); /* dtid */
    size_t dp = ssgw_ber_open(&b, SSGW_BER_APPLICATION, 11);
    size_t ext = ssgw_ber_open(&b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_EXTERNAL);
    ssgw_ber_put_tlv(&b, SSGW_BER_UNIVERSAL, false, SSGW_BER_TAG_OID, oid, (size_t)n);
    size_t enc = ssgw_ber_open(&b, SSGW_BER_CONTEXT, 0);
    ssgw_ber_put_tlv(&b, SSGW_BER_UNIVERSAL, true, SSGW_BER_TAG_SEQUENCE, "\x04\x01\xaa", 3);
    ssgw_ber_close(&b, enc);
    ssgw_ber_close(&b, ext);
    ssgw_ber_close(&b, dp);
    size_t cp = ssgw_ber_open(&b, SSGW_BER_APPLICATION, 12);
    ssgw_ber_put_tlv(&b, SSGW_BER_CONTEXT, true, 1, "\x02\x01\x01\x02\x01\x2d", 6);
    ssgw_ber_close(&b, cp);
    ssgw_ber_close(&b, msg);
    CHECK(!b.overflow);
    ssgw_tcap_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_tcap_decode(b.data, b.len, &m, &e), 0);
    CHECK(m.dialogue_present);
    CHECK_INT(m.dialogue.type, SSGW_TCAP_DLG_OTHER);
    CHECK_STR(ssgw_tcap_dialogue_type_name(m.dialogue.type), "other");
    CHECK_MEM(m.dialogue.other_oid, m.dialogue.other_oid_len, oid, (size_t)n);
    CHECK_INT(m.component_count, 1);
    /* One arc different: an unknown abstract syntax, refused as before. */
    uint8_t *p = NULL;
    for (size_t i = 0; i + (size_t)n <= b.len && !p; i++)
        if (!memcmp(b.data + i, oid, (size_t)n)) p = b.data + i;
    CHECK(p != NULL);
    if (p) {
        p[n - 1] ^= 0x01;
        CHECK_INT(ssgw_tcap_decode(b.data, b.len, &m, &e), -1);
        CHECK_INT(e.code, SSGW_E_UNSUPPORTED);
        CHECK_STR(e.field, "dialogue abstract syntax");
    }
}

int main(void)
{
    RUN(token_only_dialogue_portion);
    RUN(begin_update_location);
    RUN(indefinite_decodes_identically);
    RUN(end_with_aare_and_result);
    RUN(continue_with_linked_invoke);
    RUN(reject_with_null_invoke_id);
    RUN(abort_variants);
    RUN(unidirectional_audt);
    RUN(global_opcode_and_return_error);
    RUN(aarq_user_information);
    RUN(roundtrip_canonical);
    RUN(encode_from_scratch);
    RUN(encode_errors);
    RUN(mandatory_and_forbidden_elements);
    RUN(truncation_at_every_offset);
    RUN(name_tables);
    return check_summary();
}
