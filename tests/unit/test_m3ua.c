/*
 * test_m3ua.c - M3UA codec (RFC 4666) against hand-assembled messages.
 *
 * The hex vectors below were assembled by hand from the RFC 4666 message
 * layouts (3.1 header, 3.2 parameters, 3.3-3.8 messages) and cross-checked
 * during development with tshark 4.0 (Ethernet/IPv4/SCTP PPID 3 pcap):
 * e.g. the DATA vector decodes as m3ua.protocol_data_opc == 4660,
 * m3ua.protocol_data_dpc == 1383, si 3, ni 2, mp 0, sls 11, routing_context 1;
 * the ERR vector as m3ua.error_code == 7 with 8 bytes of diagnostic info.
 */
#include <stdlib.h>

#include "check.h"
#include "ssgw/m3ua.h"

/* ASPUP with ASP Identifier 1 (RFC 4666 3.5.1). */
static const char ASPUP_HEX[] = "01000301 00000010 00110008 00000001";
/* DATA: RC 1, Protocol Data OPC 4660 DPC 1383 SI 3 NI 2 MP 0 SLS 11, 5 octets of
 * user data and 3 octets of padding (RFC 4666 3.3.1). */
static const char DATA_HEX[] = "01000101 00000028 00060008 00000001 02100015 00001234 00000567"
                               "0302000b 0981030e 19000000";
/* ERR: Error Code 0x07 (protocol error) + Diagnostic Information (RFC 4666 3.8.1). */
static const char ERR_HEX[] = "01000000 0000001c 000c0008 00000007 0007000c 01000707 00000008";
/* ASPAC: traffic mode loadshare, RC {1, 2} (RFC 4666 3.7.1). */
static const char ASPAC_HEX[] = "01000401 0000001c 000b0008 00000002 0006000c 00000001 00000002";
/* BEAT with 5 octets of heartbeat data, padded (RFC 4666 3.5.5). */
static const char BEAT_HEX[] = "01000303 00000014 00090009 68656c6c 6f000000";
/* NTFY: AS-State_Change / AS-ACTIVE, RC 1 (RFC 4666 3.8.2). */
static const char NTFY_HEX[] = "01000001 00000018 000d0008 00010003 00060008 00000001";
/* DUNA: RC 1, Affected Point Code mask 0 pc 1383 (RFC 4666 3.4.1). */
static const char DUNA_HEX[] = "01000201 00000018 00060008 00000001 00120008 00000567";
/* REG RSP: Registration Result {Local-RK-Id 1, status 0, RC 7} (RFC 4666 3.6.2). */
static const char REG_RSP_HEX[] = "01000902 00000024 0208001c 020a0008 00000001 02120008 00000000"
                                  "00060008 00000007";

/* REG REQ written by hand from RFC 4666 3.6.1: one Routing Key with Local-RK-Identifier 1,
 * traffic mode loadshare, DPC 1111, SI 3 (SCCP, padded) and OPC list {2001}. */
static const char REG_REQ_HEX[] = "01000901 00000034 0207002c 020a0008 00000001 000b0008 00000002"
                                  "020b0008 00000457 020c0005 03000000 020e0008 000007d1";
/* DEREG RSP from 3.6.4: RC 7 successfully deregistered, RC 9 not registered. */
static const char DEREG_RSP_HEX[] = "01000904 00000030 02090014 00060008 00000007 02130008 00000000"
                                    "02090014 00060008 00000009 02130008 00000004";

static size_t hex(const char *h, uint8_t *out, size_t cap)
{
    int n = check_hex(h, out, cap);
    CHECK(n >= 0);
    return n < 0 ? 0 : (size_t)n;
}

/* Decodes from an exactly-sized heap copy so that ASan sees any over-read. */
static int decode_exact(const uint8_t *in, size_t len, ssgw_m3ua_msg *m, ssgw_error *e)
{
    uint8_t *copy = malloc(len ? len : 1);
    if (len) memcpy(copy, in, len);
    int r = ssgw_m3ua_decode(copy, len, m, e);
    free(copy);
    return r;
}

static void aspup_from_rfc_layout(void)
{
    uint8_t in[64], mem[64];
    size_t n = hex(ASPUP_HEX, in, sizeof in);
    ssgw_m3ua_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_m3ua_decode(in, n, &m, &e), 0);
    CHECK_INT(m.msg_class, SSGW_M3UA_CLASS_ASPSM);
    CHECK_INT(m.msg_type, SSGW_M3UA_ASPSM_ASPUP);
    CHECK_STR(m.spec->name, "ASPUP");
    CHECK(m.present & SSGW_M3UA_HAS_ASP_ID);
    CHECK_INT(m.asp_id, 1);
    CHECK_INT(m.n_params, 1);
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    uint32_t id = 1;
    CHECK_INT(ssgw_m3ua_encode_aspup(&b, &id, NULL), 0);
    CHECK_MEM(b.data, b.len, in, n);
}

static void data_from_rfc_layout(void)
{
    uint8_t in[64], mem[64];
    size_t n = hex(DATA_HEX, in, sizeof in);
    ssgw_m3ua_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_m3ua_decode(in, n, &m, &e), 0);
    CHECK_STR(ssgw_m3ua_msg_name(m.msg_class, m.msg_type), "DATA");
    CHECK_INT(m.present, SSGW_M3UA_HAS_ROUTING_CONTEXT | SSGW_M3UA_HAS_PROTOCOL_DATA);
    CHECK_INT(m.routing_context.count, 1);
    CHECK_INT(ssgw_m3ua_u32_at(&m.routing_context, 0), 1);
    const ssgw_m3ua_protocol_data *pd = &m.protocol_data;
    CHECK_INT(pd->opc, 4660);
    CHECK_INT(pd->dpc, 1383);
    CHECK_INT(pd->si, 3);
    CHECK_INT(pd->ni, 2);
    CHECK_INT(pd->mp, 0);
    CHECK_INT(pd->sls, 11);
    CHECK_INT(pd->data_len, 5);
    CHECK(pd->data == in + 32);
    uint8_t user[] = {0x09, 0x81, 0x03, 0x0e, 0x19};
    CHECK_MEM(pd->data, pd->data_len, user, sizeof user);

    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    uint32_t rc = 1;
    ssgw_m3ua_data_info d = {.routing_context = &rc, .n_routing_context = 1, .pd = *pd};
    CHECK_INT(ssgw_m3ua_encode_data(&b, &d), 0);
    CHECK_MEM(b.data, b.len, in, n);

    /* With NA and correlation id: order NA, RC, PD, Correlation Id. */
    uint32_t na = 8, corr = 0x01020304;
    d.network_appearance = &na;
    d.correlation_id = &corr;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_data(&b, &d), 0);
    CHECK_INT(ssgw_m3ua_decode(b.data, b.len, &m, &e), 0);
    CHECK_INT(m.network_appearance, 8);
    CHECK_INT(m.correlation_id, 0x01020304);
    CHECK_INT(m.protocol_data.sls, 11);
    CHECK_INT(b.data[8] << 8 | b.data[9], SSGW_M3UA_TAG_NETWORK_APPEARANCE);
    CHECK_INT(b.data[b.len - 8] << 8 | b.data[b.len - 7], SSGW_M3UA_TAG_CORRELATION_ID);
}

static void err_from_rfc_layout(void)
{
    uint8_t in[64], mem[64];
    size_t n = hex(ERR_HEX, in, sizeof in);
    ssgw_m3ua_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_m3ua_decode(in, n, &m, &e), 0);
    CHECK_STR(m.spec->name, "ERR");
    CHECK_INT(m.error_code, SSGW_M3UA_ERR_PROTOCOL_ERROR);
    CHECK_STR(ssgw_m3ua_err_code_name(m.error_code), "protocol_error");
    CHECK_INT(m.diagnostic_len, 8);
    CHECK(m.diagnostic == in + 20);
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_m3ua_err_info ei = {.error_code = 7, .diagnostic = in + 20, .diagnostic_len = 8};
    CHECK_INT(ssgw_m3ua_encode_err(&b, &ei), 0);
    CHECK_MEM(b.data, b.len, in, n);
}

static void convenience_encoders_match_hex(void)
{
    uint8_t want[128], mem[128];
    ssgw_buf b;
    size_t n;
    ssgw_m3ua_msg m;
    ssgw_error e;
    uint32_t rc[] = {1, 2};

    n = hex(ASPAC_HEX, want, sizeof want);
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_aspac(&b, SSGW_M3UA_TMT_LOADSHARE, rc, 2, NULL), 0);
    CHECK_MEM(b.data, b.len, want, n);
    CHECK_INT(ssgw_m3ua_decode(want, n, &m, &e), 0);
    CHECK_INT(m.traffic_mode, SSGW_M3UA_TMT_LOADSHARE);
    CHECK_INT(m.routing_context.count, 2);
    CHECK_INT(ssgw_m3ua_u32_at(&m.routing_context, 1), 2);
    /* ASPAC_ACK is the same layout with type 3. */
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_aspac_ack(&b, SSGW_M3UA_TMT_LOADSHARE, rc, 2, NULL), 0);
    want[3] = SSGW_M3UA_ASPTM_ASPAC_ACK;
    CHECK_MEM(b.data, b.len, want, n);

    /* BEAT and a BEAT_ACK echoing its data. */
    n = hex(BEAT_HEX, want, sizeof want);
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_beat(&b, (const uint8_t *)"hello", 5), 0);
    CHECK_MEM(b.data, b.len, want, n);
    CHECK_INT(ssgw_m3ua_decode(want, n, &m, &e), 0);
    CHECK_MEM(m.heartbeat_data, m.heartbeat_data_len, "hello", 5);
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_beat_ack(&b, m.heartbeat_data, m.heartbeat_data_len), 0);
    want[3] = SSGW_M3UA_ASPSM_BEAT_ACK;
    CHECK_MEM(b.data, b.len, want, n);

    n = hex(NTFY_HEX, want, sizeof want);
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_m3ua_ntfy_info ni = {.status_type = SSGW_M3UA_STATUS_AS_STATE_CHANGE,
                              .status_info = SSGW_M3UA_AS_ACTIVE,
                              .routing_context = rc,
                              .n_routing_context = 1};
    CHECK_INT(ssgw_m3ua_encode_ntfy(&b, &ni), 0);
    CHECK_MEM(b.data, b.len, want, n);
    CHECK_INT(ssgw_m3ua_decode(want, n, &m, &e), 0);
    CHECK_STR(ssgw_m3ua_status_type_name(m.status_type), "as_state_change");
    CHECK_STR(ssgw_m3ua_status_info_name(m.status_type, m.status_info), "as_active");

    n = hex(DUNA_HEX, want, sizeof want);
    uint32_t apc = 1383;
    ssgw_m3ua_ssnm_info si = {
        .routing_context = rc, .n_routing_context = 1, .affected_pc = &apc, .n_affected_pc = 1};
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_duna(&b, &si), 0);
    CHECK_MEM(b.data, b.len, want, n);
    CHECK_INT(ssgw_m3ua_decode(want, n, &m, &e), 0);
    CHECK_INT(ssgw_m3ua_apc_pc(ssgw_m3ua_u32_at(&m.affected_pc, 0)), 1383);
    CHECK_INT(ssgw_m3ua_apc_mask(ssgw_m3ua_u32_at(&m.affected_pc, 0)), 0);
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_dava(&b, &si), 0);
    CHECK_INT(b.data[3], SSGW_M3UA_SSNM_DAVA);
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_daud(&b, &si), 0);
    CHECK_INT(b.data[3], SSGW_M3UA_SSNM_DAUD);
    CHECK_INT(ssgw_m3ua_decode(b.data, b.len, &m, &e), 0);
    /* Affected Point Code is mandatory: refused without one. */
    si.n_affected_pc = 0;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_duna(&b, &si), -1);

    /* ASPUP_ACK, ASPDN, ASPDN_ACK, ASPIA, ASPIA_ACK decode back. */
    uint32_t id = 0x11223344;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_aspup_ack(&b, &id, "hi"), 0);
    CHECK_INT(ssgw_m3ua_decode(b.data, b.len, &m, &e), 0);
    CHECK_STR(m.spec->name, "ASPUP_ACK");
    CHECK_INT(m.asp_id, 0x11223344);
    CHECK_MEM(m.info_string, m.info_string_len, "hi", 2);
    CHECK_INT(b.len, 8 + 8 + 8);
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_aspdn(&b, NULL), 0);
    uint8_t aspdn[] = {1, 0, 3, 2, 0, 0, 0, 8};
    CHECK_MEM(b.data, b.len, aspdn, sizeof aspdn);
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_aspdn_ack(&b, "x"), 0);
    CHECK_INT(ssgw_m3ua_decode(b.data, b.len, &m, &e), 0);
    CHECK_STR(m.spec->name, "ASPDN_ACK");
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_aspia(&b, rc, 2, NULL), 0);
    CHECK_INT(ssgw_m3ua_decode(b.data, b.len, &m, &e), 0);
    CHECK_STR(m.spec->name, "ASPIA");
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_aspia_ack(&b, NULL, 0, NULL), 0);
    CHECK_INT(ssgw_m3ua_decode(b.data, b.len, &m, &e), 0);
    CHECK_STR(m.spec->name, "ASPIA_ACK");

    /* Output overflow is reported, never written past. */
    uint8_t small[20];
    ssgw_buf_init(&b, small, sizeof small);
    CHECK_INT(ssgw_m3ua_encode_aspac(&b, 1, rc, 2, NULL), -1);
    CHECK(b.overflow);
}

static void reg_rsp_nested_results(void)
{
    uint8_t in[64];
    size_t n = hex(REG_RSP_HEX, in, sizeof in);
    ssgw_m3ua_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_m3ua_decode(in, n, &m, &e), 0);
    CHECK_INT(m.n_reg_result, 1);
    ssgw_m3ua_reg_result rr;
    CHECK_INT(ssgw_m3ua_reg_result_decode(m.reg_result.val, m.reg_result.len, &rr, &e), 0);
    CHECK_INT(rr.local_rk_id, 1);
    CHECK_INT(rr.status, 0);
    CHECK_INT(rr.routing_context, 7);
    CHECK_STR(ssgw_m3ua_reg_status_name(rr.status), "successfully_registered");
    /* A nested parameter whose length runs past its container is refused with
     * the absolute offset of the inner length field. */
    in[8 + 4 + 2 + 1] = 0x40; /* Local-RK-Identifier length 0x0040 */
    CHECK_INT(ssgw_m3ua_decode(in, n, &m, &e), -1);
    CHECK_INT(e.code, SSGW_E_BAD_LENGTH);
    CHECK_STR(e.field, "parameter length");
    CHECK_INT(e.offset, 14);
    /* Dereg result missing its status. */
    uint8_t dr[] = {0x00, 0x06, 0x00, 0x08, 0, 0, 0, 9};
    ssgw_m3ua_dereg_result d;
    CHECK_INT(ssgw_m3ua_dereg_result_decode(dr, sizeof dr, &d, &e), -1);
    CHECK_INT(e.code, SSGW_E_MISSING);
    CHECK_STR(e.field, "deregistration_status");
}

static void routing_key_from_rfc_layout(void)
{
    uint8_t in[128], mem[128];
    size_t n = hex(REG_REQ_HEX, in, sizeof in);
    ssgw_m3ua_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_m3ua_decode(in, n, &m, &e), 0);
    CHECK_STR(m.spec->name, "REG_REQ");
    CHECK_INT(m.n_routing_key, 1);
    ssgw_m3ua_routing_key k;
    CHECK_INT(ssgw_m3ua_routing_key_decode(m.routing_key.val, m.routing_key.len, &k, &e), 0);
    CHECK_INT(k.local_rk_id, 1);
    CHECK_INT(k.traffic_mode, SSGW_M3UA_TMT_LOADSHARE);
    CHECK_INT(k.dpc, 1111);
    CHECK_INT(k.n_dpc, 1);
    CHECK(!k.has_routing_context);
    CHECK_INT(k.n_si, 1);
    CHECK_INT(k.si[0], 3);
    CHECK_INT(k.n_opc, 1);
    CHECK_INT(k.opc[0], 2001);
    CHECK_INT(k.unknown_tag, 0);
    /* the encoder writes the same octets */
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_reg_req(&b, &k, 1), 0);
    CHECK_INT(b.len, n);
    CHECK(memcmp(b.data, in, n) == 0);

    /* a key without its DPC names the missing parameter */
    ssgw_m3ua_routing_key bad = k;
    uint8_t val[] = {0x02, 0x0a, 0x00, 0x08, 0, 0, 0, 5};
    CHECK_INT(ssgw_m3ua_routing_key_decode(val, sizeof val, &bad, &e), -1);
    CHECK_INT(e.code, SSGW_E_MISSING);
    CHECK_STR(e.field, "destination_point_code");
    CHECK_INT(bad.local_rk_id, 5); /* still known: the answer can name the key */
    /* a duplicate Local-RK-Identifier */
    uint8_t dup[] = {0x02, 0x0a, 0x00, 0x08, 0, 0, 0, 5, 0x02, 0x0a, 0x00, 0x08, 0, 0, 0, 6};
    CHECK_INT(ssgw_m3ua_routing_key_decode(dup, sizeof dup, &bad, &e), -1);
    CHECK_INT(e.code, SSGW_E_DUPLICATE);
    CHECK_INT(e.offset, 8);
    /* 17 service indicators: more than a key holds */
    uint8_t many[8 + 8 + 4 + 20];
    memcpy(many, val, 8);
    memcpy(many + 8, (uint8_t[]){0x02, 0x0b, 0x00, 0x08, 0, 0, 0x04, 0x57}, 8);
    memcpy(many + 16, (uint8_t[]){0x02, 0x0c, 0x00, 21}, 4);
    memset(many + 20, 3, 20);
    CHECK_INT(ssgw_m3ua_routing_key_decode(many, sizeof many, &bad, &e), -1);
    CHECK_INT(e.code, SSGW_E_TOO_BIG);
    CHECK_STR(e.field, "service_indicators");
}

static void rkm_answers_from_rfc_layout(void)
{
    uint8_t want[128], mem[128];
    size_t n = hex(REG_RSP_HEX, want, sizeof want);
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_m3ua_reg_result rr = {.local_rk_id = 1, .status = SSGW_M3UA_REG_OK, .routing_context = 7};
    CHECK_INT(ssgw_m3ua_encode_reg_rsp(&b, &rr, 1), 0);
    CHECK_INT(b.len, n);
    CHECK(memcmp(b.data, want, n) == 0);

    n = hex(DEREG_RSP_HEX, want, sizeof want);
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_m3ua_dereg_result dr[] = {{7, SSGW_M3UA_DEREG_OK}, {9, SSGW_M3UA_DEREG_NOT_REGISTERED}};
    CHECK_INT(ssgw_m3ua_encode_dereg_rsp(&b, dr, 2), 0);
    CHECK_INT(b.len, n);
    CHECK(memcmp(b.data, want, n) == 0);
    ssgw_m3ua_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_m3ua_decode(b.data, b.len, &m, &e), 0);
    CHECK_INT(m.n_dereg_result, 2);

    uint32_t rc[] = {7, 9};
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m3ua_encode_dereg_req(&b, rc, 2), 0);
    CHECK_INT(ssgw_m3ua_decode(b.data, b.len, &m, &e), 0);
    CHECK_STR(m.spec->name, "DEREG_REQ");
    CHECK_INT(m.routing_context.count, 2);
    CHECK_INT(ssgw_m3ua_u32_at(&m.routing_context, 1), 9);
}

static void expect_fail(const char *h, ssgw_errcode code, const char *field, size_t off,
                        uint32_t rfc_code)
{
    uint8_t in[128];
    size_t n = hex(h, in, sizeof in);
    ssgw_m3ua_msg m;
    ssgw_error e = {0};
    CHECK_INT(decode_exact(in, n, &m, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_M3UA);
    CHECK_INT(e.code, code);
    CHECK_STR(e.field, field);
    CHECK_INT(e.offset, off);
    CHECK_INT(ssgw_m3ua_err_code_for(&e), rfc_code);
}

static void header_errors(void)
{
    expect_fail("010003", SSGW_E_TRUNCATED, "common header", 0, 7);
    expect_fail("02000301 00000008", SSGW_E_BAD_VALUE, "version", 0, 1);
    expect_fail("01000301 00000004", SSGW_E_BAD_LENGTH, "message length", 4, 7);
    expect_fail("01000301 0000000c", SSGW_E_TRUNCATED, "message length", 4, 7);
    expect_fail("01000301 00000008 00000000", SSGW_E_BAD_LENGTH, "message length", 4, 7);
    expect_fail("01000501 00000008", SSGW_E_BAD_TAG, "message class", 2, 3);
    expect_fail("01000102 00000008", SSGW_E_BAD_TAG, "message type", 3, 4);
    expect_fail("01000307 00000008", SSGW_E_BAD_TAG, "message type", 3, 4);
    /* Reserved octet is ignored (RFC 4666 3.1.1). */
    uint8_t in[8] = {1, 0xff, 3, 2, 0, 0, 0, 8};
    ssgw_m3ua_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_m3ua_decode(in, 8, &m, &e), 0);
}

static void parameter_errors(void)
{
    /* parameter length < 4 */
    expect_fail("01000303 0000000c 00090003", SSGW_E_BAD_LENGTH, "parameter length", 10, 0x12);
    /* parameter running past the message */
    expect_fail("01000303 00000010 0009000c 00000000", SSGW_E_BAD_LENGTH, "parameter length", 10,
                0x12);
    /* unpadded last parameter: refused, RFC 4666 3.1/3.2 say padding is in the length */
    expect_fail("01000303 0000000d 00090005 aa", SSGW_E_BAD_LENGTH, "parameter padding", 13, 0x12);
    /* trailing octets too short for a parameter header */
    expect_fail("01000303 0000000a 0000", SSGW_E_TRUNCATED, "parameter header", 8, 0x12);
    /* fixed-size values of the wrong size */
    expect_fail("01000301 00000010 00110006 00000000", SSGW_E_BAD_LENGTH, "asp_identifier", 10,
                0x12);
    expect_fail("01000401 00000014 0006000a 00000001 00020000", SSGW_E_BAD_LENGTH,
                "routing_context", 10, 0x12);
    expect_fail("01000401 0000000c 00060004", SSGW_E_BAD_LENGTH, "routing_context", 10, 0x12);
    /* protocol data shorter than its 12-octet routing label */
    expect_fail("01000101 00000014 0210000c 00000001 00000002", SSGW_E_BAD_LENGTH, "protocol_data",
                12, 0x12);
    /* a service indicator past MTP3's 4 bits (0x13: SCCP to a node that keeps the low ones) */
    expect_fail("01000101 0000001c 02100014 00000001 00000002 13020000 aabbccdd", SSGW_E_BAD_VALUE,
                "service indicator", 20, 0x11);
    /* duplicate single-instance parameter */
    expect_fail("01000101 00000028 00060008 00000001 00060008 00000002 02100010 00000001"
                "00000002 03020000",
                SSGW_E_DUPLICATE, "routing_context", 16, 0x13);

    /* nonzero padding is ignored (RFC 4666 3.2) */
    uint8_t in[64];
    size_t n = hex("01000303 00000010 00090005 aabbccdd", in, sizeof in);
    ssgw_m3ua_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_m3ua_decode(in, n, &m, &e), 0);
    CHECK_INT(m.heartbeat_data_len, 1);
    /* unexpected and unknown parameters are counted, not fatal */
    n = hex("01000303 0000001c 000c0008 00000001 7777000a 01020304 05060000", in, sizeof in);
    CHECK_INT(ssgw_m3ua_decode(in, n, &m, &e), 0);
    CHECK_INT(m.n_unexpected, 2);
    CHECK_INT(m.unexpected_tag, SSGW_M3UA_TAG_ERROR_CODE);
    CHECK_INT(m.unexpected_offset, 8);
    CHECK(!(m.present & SSGW_M3UA_HAS_ERROR_CODE));
    /* the raw iterator still shows them */
    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param p;
    ssgw_m3ua_param_iter_init(&it, &m);
    CHECK_INT(ssgw_m3ua_param_next(&it, &p, &e), 1);
    CHECK_INT(p.tag, 0x000c);
    CHECK_INT(ssgw_m3ua_param_next(&it, &p, &e), 1);
    CHECK_INT(p.tag, 0x7777);
    CHECK_INT(p.len, 6);
    CHECK_INT(p.offset, 16);
    CHECK(p.val == in + 20);
    CHECK_INT(ssgw_m3ua_param_next(&it, &p, &e), 0);
}

/* Writes a valid sample value for any tag used in the message table. */
static void put_sample(ssgw_buf *b, uint16_t tag)
{
    static const uint32_t two[] = {100, 200};
    switch (tag) {
    case SSGW_M3UA_TAG_PROTOCOL_DATA: {
        uint8_t pd[] = {0, 0, 0, 1, 0, 0, 0, 2, 3, 0, 1, 7, 0xaa, 0xbb, 0xcc};
        ssgw_m3ua_put_param(b, tag, pd, sizeof pd);
        break;
    }
    case SSGW_M3UA_TAG_ROUTING_CONTEXT:
    case SSGW_M3UA_TAG_AFFECTED_POINT_CODE:
        ssgw_m3ua_put_u32_list_param(b, tag, two, 2);
        break;
    case SSGW_M3UA_TAG_INFO_STRING:
    case SSGW_M3UA_TAG_HEARTBEAT_DATA:
    case SSGW_M3UA_TAG_DIAGNOSTIC_INFO:
        ssgw_m3ua_put_param(b, tag, "hello", 5);
        break;
    case SSGW_M3UA_TAG_ROUTING_KEY: {
        uint8_t rk[] = {0x02, 0x0a, 0, 8, 0, 0, 0, 1, 0x02, 0x0b, 0, 8, 0, 0, 0x05, 0x67};
        ssgw_m3ua_put_param(b, tag, rk, sizeof rk);
        break;
    }
    case SSGW_M3UA_TAG_REGISTRATION_RESULT: {
        uint8_t rr[] = {0x02, 0x0a, 0, 8, 0,    0,    0, 1, 0x02, 0x12, 0, 8,
                        0,    0,    0, 0, 0x00, 0x06, 0, 8, 0,    0,    0, 7};
        ssgw_m3ua_put_param(b, tag, rr, sizeof rr);
        break;
    }
    case SSGW_M3UA_TAG_DEREGISTRATION_RESULT: {
        uint8_t dr[] = {0x00, 0x06, 0, 8, 0, 0, 0, 7, 0x02, 0x13, 0, 8, 0, 0, 0, 4};
        ssgw_m3ua_put_param(b, tag, dr, sizeof dr);
        break;
    }
    case SSGW_M3UA_TAG_STATUS:
        ssgw_m3ua_put_u32_param(b, tag, 0x00010003);
        break;
    default:
        ssgw_m3ua_put_u32_param(b, tag, 0x00000002);
        break;
    }
}

/* Every message type: all its parameters -> decode -> re-encode from the raw
 * parameters gives the same bytes; dropping any mandatory one is reported. */
static void every_message_round_trip_and_missing(void)
{
    size_t n_specs;
    const ssgw_m3ua_msg_spec *specs = ssgw_m3ua_msg_specs(&n_specs);
    CHECK_INT(n_specs, 23);
    for (size_t s = 0; s < n_specs; s++) {
        const ssgw_m3ua_msg_spec *sp = &specs[s];
        uint8_t mem[512], mem2[512];
        ssgw_buf b, b2;
        ssgw_buf_init(&b, mem, sizeof mem);
        size_t start = ssgw_m3ua_begin(&b, sp->msg_class, sp->msg_type);
        for (size_t i = 0; i < sp->n_params; i++)
            put_sample(&b, sp->params[i].tag);
        CHECK_INT(ssgw_m3ua_end(&b, start), 0);
        ssgw_m3ua_msg m;
        ssgw_error e;
        int r = decode_exact(b.data, b.len, &m, &e);
        CHECK_INT(r, 0);
        if (r != 0) {
            fprintf(stderr, "  %s: %s at %zu\n", sp->name, e.field, e.offset);
            continue;
        }
        CHECK(ssgw_m3ua_decode(b.data, b.len, &m, &e) == 0 && m.spec == sp);
        CHECK_STR(ssgw_m3ua_msg_name(sp->msg_class, sp->msg_type), sp->name);
        CHECK_INT(m.n_params, sp->n_params);
        CHECK_INT(m.n_unexpected, 0);
        ssgw_m3ua_param ps[16];
        size_t np = 0;
        ssgw_m3ua_param_iter it;
        ssgw_m3ua_param_iter_init(&it, &m);
        while (np < 16 && ssgw_m3ua_param_next(&it, &ps[np], &e) == 1)
            np++;
        ssgw_buf_init(&b2, mem2, sizeof mem2);
        CHECK_INT(ssgw_m3ua_encode(&b2, m.msg_class, m.msg_type, ps, np), 0);
        CHECK_MEM(b2.data, b2.len, b.data, b.len);

        for (size_t k = 0; k < sp->n_params; k++) {
            if (sp->params[k].presence != SSGW_M3UA_MANDATORY) continue;
            ssgw_buf_init(&b, mem, sizeof mem);
            start = ssgw_m3ua_begin(&b, sp->msg_class, sp->msg_type);
            for (size_t i = 0; i < sp->n_params; i++)
                if (i != k) put_sample(&b, sp->params[i].tag);
            CHECK_INT(ssgw_m3ua_end(&b, start), 0);
            CHECK_INT(decode_exact(b.data, b.len, &m, &e), -1);
            CHECK_INT(e.code, SSGW_E_MISSING);
            CHECK_STR(e.field, ssgw_m3ua_param_name(sp->params[k].tag));
            CHECK_INT(e.offset, b.len);
            CHECK_INT(ssgw_m3ua_err_code_for(&e), SSGW_M3UA_ERR_MISSING_PARAM);
        }
    }
    /* Spot checks of decoded sample values. */
    uint8_t mem[256];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    size_t start = ssgw_m3ua_begin(&b, SSGW_M3UA_CLASS_SSNM, SSGW_M3UA_SSNM_SCON);
    uint32_t apc = 0x08000567;
    ssgw_m3ua_put_u32_list_param(&b, SSGW_M3UA_TAG_AFFECTED_POINT_CODE, &apc, 1);
    ssgw_m3ua_put_u32_param(&b, SSGW_M3UA_TAG_CONCERNED_DESTINATION, 0x00123456);
    ssgw_m3ua_put_u32_param(&b, SSGW_M3UA_TAG_CONGESTION_INDICATIONS, 2);
    CHECK_INT(ssgw_m3ua_end(&b, start), 0);
    ssgw_m3ua_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_m3ua_decode(b.data, b.len, &m, &e), 0);
    CHECK_INT(ssgw_m3ua_apc_mask(ssgw_m3ua_u32_at(&m.affected_pc, 0)), 8);
    CHECK_INT(m.concerned_dest, 0x123456);
    CHECK_INT(m.congestion_level, 2);
    ssgw_buf_init(&b, mem, sizeof mem);
    uint16_t cause = 2, user = 3;
    ssgw_m3ua_ssnm_info si = {
        .affected_pc = &apc, .n_affected_pc = 1, .cause = cause, .user = user};
    CHECK_INT(ssgw_m3ua_encode_ssnm(&b, SSGW_M3UA_SSNM_DUPU, &si), 0);
    CHECK_INT(ssgw_m3ua_decode(b.data, b.len, &m, &e), 0);
    CHECK_INT(m.cause, 2);
    CHECK_INT(m.user, 3);
    CHECK_STR(ssgw_m3ua_cause_name(m.cause), "inaccessible_remote_user");
    CHECK_STR(ssgw_m3ua_user_name(m.user), "sccp");
    /* Two Routing Keys in one REG REQ are allowed. */
    ssgw_buf_init(&b, mem, sizeof mem);
    start = ssgw_m3ua_begin(&b, SSGW_M3UA_CLASS_RKM, SSGW_M3UA_RKM_REG_REQ);
    put_sample(&b, SSGW_M3UA_TAG_ROUTING_KEY);
    put_sample(&b, SSGW_M3UA_TAG_ROUTING_KEY);
    CHECK_INT(ssgw_m3ua_end(&b, start), 0);
    CHECK_INT(ssgw_m3ua_decode(b.data, b.len, &m, &e), 0);
    CHECK_INT(m.n_routing_key, 2);
    CHECK_INT(m.routing_key.offset, 8);
}

/* A valid DATA cut at every length, with the length field left as is and with
 * it patched to agree, must fail cleanly. */
static void data_truncated_everywhere(void)
{
    uint8_t in[64], cut[64];
    size_t n = hex(DATA_HEX, in, sizeof in);
    ssgw_m3ua_msg m;
    ssgw_error e;
    for (size_t k = 0; k < n; k++) {
        CHECK_INT(decode_exact(in, k, &m, &e), -1);
        memcpy(cut, in, k);
        if (k >= 8) {
            cut[4] = cut[5] = cut[6] = 0;
            cut[7] = (uint8_t)k;
        }
        CHECK_INT(decode_exact(cut, k, &m, &e), -1);
    }
    CHECK_INT(decode_exact(in, n, &m, &e), 0);
}

static void stream_framing(void)
{
    uint8_t in[64];
    size_t n = hex(DATA_HEX, in, sizeof in);
    ssgw_error e;
    for (size_t k = 0; k < 8; k++)
        CHECK_INT(ssgw_m3ua_frame_len(in, k, 0, &e), 0);
    CHECK_INT(ssgw_m3ua_frame_len(in, 8, 0, &e), 40);
    CHECK_INT(ssgw_m3ua_frame_len(in, n, 0, &e), 40);
    CHECK_INT(ssgw_m3ua_frame_len(in, n, 40, &e), 40);
    CHECK_INT(ssgw_m3ua_frame_len(in, n, 39, &e), -1);
    CHECK_INT(e.code, SSGW_E_TOO_BIG);
    CHECK_STR(e.field, "message length");
    uint8_t big[8] = {1, 0, 1, 1, 0x00, 0x01, 0x04, 0x01}; /* 66561 > default cap */
    CHECK_INT(ssgw_m3ua_frame_len(big, 8, 0, &e), -1);
    CHECK_INT(e.code, SSGW_E_TOO_BIG);
    big[6] = 0x03; /* 66305 <= 65536 + 1024 */
    CHECK_INT(ssgw_m3ua_frame_len(big, 8, 0, &e), 66305);
    uint8_t huge[8] = {1, 0, 1, 1, 0xff, 0xff, 0xff, 0xff};
    CHECK_INT(ssgw_m3ua_frame_len(huge, 8, 0, &e), -1);
    uint8_t badv[8] = {2, 0, 1, 1, 0, 0, 0, 8};
    CHECK_INT(ssgw_m3ua_frame_len(badv, 8, 0, &e), -1);
    CHECK_STR(e.field, "version");
    uint8_t shortlen[8] = {1, 0, 1, 1, 0, 0, 0, 7};
    CHECK_INT(ssgw_m3ua_frame_len(shortlen, 8, 0, &e), -1);
    CHECK_INT(e.code, SSGW_E_BAD_LENGTH);
    /* Two messages back to back split by the framer. */
    uint8_t two[128];
    memcpy(two, in, n);
    size_t n2 = hex(ASPUP_HEX, two + n, sizeof two - n);
    long l1 = ssgw_m3ua_frame_len(two, n + n2, 0, &e);
    CHECK_INT(l1, 40);
    CHECK_INT(ssgw_m3ua_frame_len(two + l1, n + n2 - (size_t)l1, 0, &e), 16);
}

static void name_tables(void)
{
    CHECK_STR(ssgw_m3ua_msg_name(0, 0), "ERR");
    CHECK_STR(ssgw_m3ua_msg_name(0, 1), "NTFY");
    CHECK_STR(ssgw_m3ua_msg_name(2, 6), "DRST");
    CHECK_STR(ssgw_m3ua_msg_name(3, 4), "ASPUP_ACK");
    CHECK_STR(ssgw_m3ua_msg_name(3, 6), "BEAT_ACK");
    CHECK_STR(ssgw_m3ua_msg_name(4, 4), "ASPIA_ACK");
    CHECK_STR(ssgw_m3ua_msg_name(9, 4), "DEREG_RSP");
    CHECK_STR(ssgw_m3ua_msg_name(1, 0), "unknown");
    CHECK_STR(ssgw_m3ua_class_name(9), "rkm");
    CHECK_STR(ssgw_m3ua_class_name(5), "unknown");
    CHECK_STR(ssgw_m3ua_param_name(0x0210), "protocol_data");
    CHECK_STR(ssgw_m3ua_param_name(0x0013), "correlation_identifier");
    CHECK_STR(ssgw_m3ua_param_name(0x0001), "unknown");
    CHECK_STR(ssgw_m3ua_err_code_name(0x01), "invalid_version");
    CHECK_STR(ssgw_m3ua_err_code_name(0x16), "missing_parameter");
    CHECK_STR(ssgw_m3ua_err_code_name(0x1a), "no_configured_as_for_asp");
    CHECK_STR(ssgw_m3ua_err_code_name(0x02), "unknown");
    CHECK_STR(ssgw_m3ua_status_info_name(2, 3), "asp_failure");
    CHECK_STR(ssgw_m3ua_status_info_name(1, 4), "as_pending");
    CHECK_STR(ssgw_m3ua_traffic_mode_name(3), "broadcast");
    CHECK_STR(ssgw_m3ua_dereg_status_name(5), "error_asp_currently_active_for_routing_context");
    const ssgw_m3ua_msg_spec *sp = ssgw_m3ua_msg_spec_find(1, 1);
    CHECK(sp != NULL);
    CHECK_INT(sp->n_params, 4);
    CHECK_INT(sp->params[2].tag, SSGW_M3UA_TAG_PROTOCOL_DATA);
    CHECK_INT(sp->params[2].presence, SSGW_M3UA_MANDATORY);
}

int main(void)
{
    RUN(aspup_from_rfc_layout);
    RUN(routing_key_from_rfc_layout);
    RUN(rkm_answers_from_rfc_layout);
    RUN(data_from_rfc_layout);
    RUN(err_from_rfc_layout);
    RUN(convenience_encoders_match_hex);
    RUN(reg_rsp_nested_results);
    RUN(header_errors);
    RUN(parameter_errors);
    RUN(every_message_round_trip_and_missing);
    RUN(data_truncated_everywhere);
    RUN(stream_framing);
    RUN(name_tables);
    return check_summary();
}
