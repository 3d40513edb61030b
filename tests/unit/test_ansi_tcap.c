/*
 * test_ansi_tcap.c - the SCCP users besides ITU TCAP (issue 11): ANSI TCAP
 * (T1.114, the TCAPPackage module) with its ANSI-41 operation names, and SCCP
 * management (Q.713 5.3). Vectors are written from the ASN.1 / the message
 * format; tests/oracle/oracle_users.py checks the codecs against tshark.
 */
#include "check.h"
#include "ssgw/ansi_tcap.h"
#include "ssgw/scmg.h"

static int decode_hex(const char *hex, ssgw_ansi_tcap_msg *m, ssgw_ansi_tcap_component *c,
                      unsigned *n, ssgw_error *e)
{
    static uint8_t b[256];
    bool trunc;
    int len = check_hex(hex, b, sizeof b);
    return ssgw_ansi_tcap_decode(b, (size_t)len, m, c, 4, n, &trunc, e);
}

static void packages(void)
{
    ssgw_ansi_tcap_msg m;
    ssgw_ansi_tcap_component c[4];
    unsigned n;
    ssgw_error e;
    /* Conversation with permission: originating then responding TID; an invoke with invoke
     * and correlation ids, national op code with the reply-required bit, a paramSequence */
    CHECK_INT(decode_hex("e5 18 c7 08 01 02 03 04 05 06 07 08 e8 0c ed 0a cf 02 07 03 d0 02 83 "
                         "01 f0 00",
                         &m, c, &n, &e),
              0);
    CHECK_INT(m.type, SSGW_ANSI_TCAP_CONVERSATION_WITH_PERM);
    CHECK(m.has_otid && m.has_rtid);
    CHECK_INT(m.otid[3], 0x04);
    CHECK_INT(m.rtid[0], 0x05);
    CHECK_INT(n, 1);
    CHECK_INT(c[0].type, SSGW_ANSI_COMP_INVOKE_NOT_LAST);
    CHECK(c[0].n_ids == 2 && c[0].ids[0] == 7 && c[0].ids[1] == 3);
    CHECK_INT(c[0].op_kind, SSGW_ANSI_CODE_NATIONAL);
    CHECK(c[0].reply_required && c[0].op_family == 3 && c[0].op_specifier == 1);
    CHECK(c[0].param_present && c[0].param_tlv_len == 2);
    /* Response: return error (private 0x81) and a reject (problem 257, paramSequence) */
    CHECK_INT(decode_hex("e4 16 c7 04 0a 0b 0c 0d e8 0e eb 06 cf 01 07 d4 01 81 ec 04 cf 00 d5 "
                         "02 01 01",
                         &m, c, &n, &e),
              -1); /* the reject's problem is 2 octets: its length says 4, it takes 6 */
    CHECK_INT(decode_hex("e4 18 c7 04 0a 0b 0c 0d e8 10 eb 06 cf 01 07 d4 01 81 ec 06 cf 00 d5 "
                         "02 01 01",
                         &m, c, &n, &e),
              0);
    CHECK(m.has_rtid && !m.has_otid);
    CHECK_INT(n, 2);
    CHECK(c[0].type == SSGW_ANSI_COMP_RETURN_ERROR && c[0].error_code == 0x81);
    CHECK(c[1].type == SSGW_ANSI_COMP_REJECT && c[1].reject_problem == 257);
    /* Abort with a P-Abort cause */
    CHECK_INT(decode_hex("f6 09 c7 04 0a 0b 0c 0d d7 01 04", &m, c, &n, &e), 0);
    CHECK(m.pabort_present && m.pabort_cause == 4);
    CHECK_STR(ssgw_ansi_tcap_pabort_name(m.pabort_cause), "unassignedRespondingTransactionID");
    /* Unidirectional: no transaction id octets, components mandatory */
    CHECK_INT(decode_hex("e1 02 c7 00", &m, c, &n, &e), -1);
    CHECK_STR(e.field, "component sequence");
    CHECK_INT(e.layer, SSGW_LAYER_ANSI_TCAP);
    /* the transaction id's length follows the package type */
    CHECK_INT(decode_hex("e2 05 c7 03 01 02 03", &m, c, &n, &e), -1);
    CHECK_STR(e.field, "transaction id");
    /* an element of no ANSI TCAP kind */
    CHECK_INT(decode_hex("e2 09 c7 04 01 02 03 04 04 01 00", &m, c, &n, &e), -1);
    CHECK_STR(e.field, "package element");
    /* an invoke without its operation code */
    CHECK_INT(decode_hex("e2 0b c7 04 01 02 03 04 e8 03 e9 01 00", &m, c, &n, &e), -1);
    CHECK_INT(decode_hex("e2 0c c7 04 01 02 03 04 e8 04 e9 02 cf 00", &m, c, &n, &e), -1);
    CHECK_STR(e.field, "operation code");
    CHECK(ssgw_ansi_tcap_is_package(0xe2) && ssgw_ansi_tcap_is_package(0xf6));
    CHECK(!ssgw_ansi_tcap_is_package(0x62) && !ssgw_ansi_tcap_is_package(0xe7));
}

static void encode_round_trip(void)
{
    ssgw_ansi_tcap_msg m;
    memset(&m, 0, sizeof m);
    m.type = SSGW_ANSI_TCAP_QUERY_WITH_PERM;
    m.has_otid = true;
    memcpy(m.otid, "\x11\x22\x33\x44", 4);
    ssgw_ansi_tcap_component c;
    memset(&c, 0, sizeof c);
    c.type = SSGW_ANSI_COMP_INVOKE_LAST;
    c.n_ids = 1;
    c.ids[0] = 9;
    c.op_kind = SSGW_ANSI_CODE_PRIVATE;
    c.op_family = SSGW_ANSI41_FAMILY;
    c.op_specifier = 13; /* RegistrationNotification */
    uint8_t mem[64];
    ssgw_buf b;
    ssgw_error e;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_ansi_tcap_encode(&b, &m, &c, 1, &e), 0);
    uint8_t want[64];
    int n =
        check_hex("e2 11 c7 04 11 22 33 44 e8 09 e9 07 cf 01 09 d1 02 09 0d", want, sizeof want);
    CHECK_MEM(b.data, b.len, want, (size_t)n);
    ssgw_ansi_tcap_msg d;
    ssgw_ansi_tcap_component dc[2];
    unsigned k;
    bool trunc;
    CHECK_INT(ssgw_ansi_tcap_decode(b.data, b.len, &d, dc, 2, &k, &trunc, &e), 0);
    CHECK(k == 1 && dc[0].op_family == 9 && dc[0].op_specifier == 13 && !dc[0].reply_required);
    CHECK_STR(ssgw_ansi41_op_name(dc[0].op_specifier), "Registration Notification");
    CHECK_STR(ssgw_ansi41_op_name(62), "NumberPortabilityRequest");
    CHECK(ssgw_ansi41_op_name(103) == NULL);
    CHECK(ssgw_ansi41_op_count() >= 105);
    CHECK_INT(ssgw_ansi41_op_at(0), 1);
    CHECK_STR(ssgw_ansi_tcap_pkg_name(SSGW_ANSI_TCAP_ABORT), "abort");
    CHECK_STR(ssgw_ansi_comp_type_name(SSGW_ANSI_COMP_RETURN_RESULT_NOT_LAST),
              "returnResultNotLast");
}

static void scmg(void)
{
    ssgw_scmg_msg m;
    ssgw_error e;
    /* SST for SSN 8 at PC 0x2a5 (LSB first), SMI 0 */
    static const uint8_t sst[] = {0x03, 0x08, 0xa5, 0x02, 0x00};
    CHECK_INT(ssgw_scmg_decode(sst, sizeof sst, &m, &e), 0);
    CHECK(m.type == SSGW_SCMG_SST && m.ssn == 8 && m.pc == 0x2a5 && !m.has_congestion);
    CHECK_STR(ssgw_scmg_type_name(m.type), "sst");
    /* SSC: one more octet, the congestion level */
    static const uint8_t ssc[] = {0x06, 0x92, 0x01, 0x00, 0x00, 0x05};
    CHECK_INT(ssgw_scmg_decode(ssc, sizeof ssc, &m, &e), 0);
    CHECK(m.has_congestion && m.congestion == 5);
    uint8_t mem[8];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_scmg_encode(&b, &m), 0);
    CHECK_MEM(b.data, b.len, ssc, sizeof ssc);
    /* errors */
    CHECK_INT(ssgw_scmg_decode(ssc, 5, &m, &e), -1);
    CHECK_STR(e.field, "congestion level");
    CHECK_INT(ssgw_scmg_decode(sst, 4, &m, &e), -1);
    CHECK_STR(e.field, "subsystem multiplicity indicator");
    CHECK_INT(ssgw_scmg_decode(ssc, sizeof ssc, &m, &e), 0);
    static const uint8_t bad[] = {0x09, 0x08, 0xa5, 0x02, 0x00};
    CHECK_INT(ssgw_scmg_decode(bad, sizeof bad, &m, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_SCMG);
    CHECK_STR(e.field, "format identifier");
    CHECK_INT(ssgw_scmg_decode(sst, sizeof sst + 0, &m, &e), 0);
    uint8_t longer[6] = {0x03, 0x08, 0xa5, 0x02, 0x00, 0x00};
    CHECK_INT(ssgw_scmg_decode(longer, sizeof longer, &m, &e), -1);
    CHECK_INT(e.code, SSGW_E_BAD_LENGTH);
}

int main(void)
{
    RUN(packages);
    RUN(encode_round_trip);
    RUN(scmg);
    return check_summary();
}
