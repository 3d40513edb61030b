/*
 * test_sigtran.c - the framings probes capture (include/ssgw/sigtran.h, issue 11):
 * M2PA (RFC 4165), M2UA (RFC 3331), SUA (RFC 3868) codecs, their views, and the
 * MTP2 link types of the capture reader (Q.703 signal units, with and without
 * Wireshark's pseudo-header). Vectors are written from the RFCs' message
 * formats; tests/oracle/oracle_users.py checks the same codecs against tshark.
 */
#include "check.h"
#include "ssgw/capture.h"
#include "ssgw/sigtran.h"
#include "ssgw/view.h"

/* An MTP3 MSU: SIO (SCCP, national 0: 0x03), label DPC 1001 OPC 2009 SLS 5, then a UDT whose
 * data is a TCAP Abort (P-abort 1). */
static uint8_t msu[64];
static size_t msu_len;

static void build_msu(void)
{
    static const uint8_t tcap_abort[] = {0x67, 0x09, 0x49, 0x04, 0x01, 0x02,
                                         0x03, 0x04, 0x4a, 0x01, 0x01};
    uint8_t sm[64];
    ssgw_buf sb;
    ssgw_error e;
    ssgw_buf_init(&sb, sm, sizeof sm);
    ssgw_sccp_msg s;
    ssgw_sccp_msg_init(&s, SSGW_SCCP_UDT);
    ssgw_sccp_addr_gt(&s.called, "447924000001", 6);
    ssgw_sccp_addr_gt(&s.calling, "254722000010", 7);
    s.data = tcap_abort;
    s.data_len = sizeof tcap_abort;
    CHECK_INT(ssgw_sccp_encode(&sb, &s, &e), 0);
    uint32_t label = 1001u | 2009u << 14 | 5u << 28;
    msu[0] = 0x03;
    for (int i = 0; i < 4; i++)
        msu[1 + i] = (uint8_t)(label >> (8 * i));
    memcpy(msu + 5, sb.data, sb.len);
    msu_len = 5 + sb.len;
}

static void m2pa(void)
{
    uint8_t mem[128];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_m2pa_msg m = {.msg_type = SSGW_M2PA_USER_DATA,
                       .bsn = 7,
                       .fsn = 0x123456,
                       .has_data = true,
                       .mtp3 = msu,
                       .mtp3_len = msu_len};
    CHECK_INT(ssgw_m2pa_encode(&b, &m), 0);
    /* common header: version 1, spare, class 11, type 1, length; BSN, FSN; priority */
    static const uint8_t head[] = {0x01, 0x00, 0x0b, 0x01, 0,    0,    0,    0,   0x00,
                                   0x00, 0x00, 0x07, 0x00, 0x12, 0x34, 0x56, 0x00};
    CHECK_MEM(b.data + 8, 9, head + 8, 9);
    CHECK_INT(b.data[7], 16 + 1 + msu_len);
    ssgw_m2pa_msg d;
    ssgw_error e;
    CHECK_INT(ssgw_m2pa_decode(b.data, b.len, &d, &e), 0);
    CHECK(d.has_data && d.bsn == 7 && d.fsn == 0x123456 && d.mtp3_len == msu_len);
    /* through the view: MTP3 label, SCCP, TCAP */
    ssgw_view v;
    CHECK_INT(ssgw_view_decode_m2pa(&v, b.data, b.len), 0);
    CHECK(v.has_m2pa && v.has_label && v.has_sccp);
    CHECK_INT(v.opc, 2009);
    CHECK_INT(v.dpc, 1001);
    CHECK_STR(v.sccp.calling.digits, "254722000010");
    /* link status */
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_m2pa_msg ls = {.msg_type = SSGW_M2PA_LINK_STATUS, .link_status = 4};
    CHECK_INT(ssgw_m2pa_encode(&b, &ls), 0);
    CHECK_INT(b.len, 20);
    CHECK_INT(ssgw_m2pa_decode(b.data, b.len, &d, &e), 0);
    CHECK_STR(ssgw_m2pa_link_status_name(d.link_status), "ready");
    CHECK_INT(ssgw_view_decode_m2pa(&v, b.data, b.len), 0);
    CHECK(v.has_m2pa && !v.has_label);
    /* errors: the length field, the class, an unknown state */
    mem[7] = 21;
    CHECK_INT(ssgw_m2pa_decode(b.data, b.len, &d, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_M2PA);
    CHECK_STR(e.field, "message length");
    mem[7] = 20;
    mem[19] = 42;
    CHECK_INT(ssgw_m2pa_decode(b.data, b.len, &d, &e), -1);
    CHECK_STR(e.field, "link status");
    mem[2] = 10;
    CHECK_INT(ssgw_m2pa_decode(b.data, b.len, &d, &e), -1);
    CHECK_STR(e.field, "message class");
    CHECK_INT(ssgw_m2pa_decode(b.data, 7, &d, &e), -1);
    CHECK_INT(e.code, SSGW_E_TRUNCATED);
}

static void m2ua(void)
{
    uint8_t mem[128];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_m2ua_encode_data(&b, 42, msu, msu_len), 0);
    /* MAUP (6) Data (1); Interface Identifier (integer) 0x0001; Protocol Data 1 0x0300 */
    static const uint8_t head[] = {0x01, 0x00, 0x06, 0x01, 0, 0, 0,  0,    0x00,
                                   0x01, 0x00, 0x08, 0,    0, 0, 42, 0x03, 0x00};
    CHECK_MEM(b.data, 4, head, 4);
    CHECK_MEM(b.data + 8, 10, head + 8, 10);
    ssgw_m2ua_msg d;
    ssgw_error e;
    CHECK_INT(ssgw_m2ua_decode(b.data, b.len, &d, &e), 0);
    CHECK(d.has_iid && d.iid == 42 && d.has_data && d.mtp3_len == msu_len);
    CHECK_STR(ssgw_m2ua_msg_name(d.msg_class, d.msg_type), "DATA");
    ssgw_view v;
    CHECK_INT(ssgw_view_decode_m2ua(&v, b.data, b.len), 0);
    CHECK(v.has_m2ua && v.has_label && v.has_sccp);
    /* Data without its protocol data: refused */
    ssgw_buf_init(&b, mem, sizeof mem);
    size_t start = ssgw_m3ua_begin(&b, SSGW_M2UA_CLASS_MAUP, SSGW_M2UA_MAUP_DATA);
    ssgw_m3ua_put_u32_param(&b, SSGW_M2UA_TAG_IID_INT, 1);
    CHECK_INT(ssgw_m3ua_end(&b, start), 0);
    CHECK_INT(ssgw_m2ua_decode(b.data, b.len, &d, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_M2UA);
    CHECK_STR(e.field, "protocol data");
    /* ASP Up (ASPSM 3 / 1): the common messages are M3UA's */
    CHECK_STR(ssgw_m2ua_msg_name(3, 1), "ASPUP");
    CHECK_STR(ssgw_m2ua_msg_name(6, 99), "unknown");
}

static void sua(void)
{
    static const uint8_t data[] = {0x67, 0x09, 0x49, 0x04, 0x01, 0x02,
                                   0x03, 0x04, 0x4a, 0x01, 0x01};
    ssgw_sua_msg m;
    memset(&m, 0, sizeof m);
    m.has_routing_context = true;
    m.routing_context = 7;
    m.protocol_class = 1;
    m.return_on_error = true;
    ssgw_sccp_addr_gt(&m.src, "254722000010", 7);
    ssgw_sccp_addr_ssn(&m.dst, 1001, 6);
    m.sequence_control = 3;
    m.data = data;
    m.data_len = sizeof data;
    uint8_t mem[256];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_sua_encode_cldt(&b, &m), 0);
    CHECK_INT(b.data[2], SSGW_SUA_CLASS_CL);
    CHECK_INT(b.data[3], SSGW_SUA_CLDT);
    ssgw_sua_msg d;
    ssgw_error e;
    CHECK_INT(ssgw_sua_decode(b.data, b.len, &d, &e), 0);
    CHECK(d.has_routing_context && d.routing_context == 7);
    CHECK(d.protocol_class == 1 && d.return_on_error && d.sequence_control == 3);
    CHECK_INT(d.src_ri, SSGW_SUA_RI_GT);
    CHECK_STR(d.src.digits, "254722000010");
    CHECK(d.src.has_ssn && d.src.ssn == 7 && d.src.gti == 4 && d.src.np == 1 && d.src.nai == 4);
    CHECK_INT(d.dst_ri, SSGW_SUA_RI_SSN_PC);
    CHECK(d.dst.has_pc && d.dst.pc == 1001 && d.dst.ssn == 6 && !d.dst.digits[0]);
    CHECK_MEM(d.data, d.data_len, data, sizeof data);
    /* the view: SCCP parties + TCAP */
    ssgw_decoder *dec = ssgw_decoder_new(NULL);
    ssgw_view v;
    CHECK_INT(ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_SUA, b.data, b.len, 0, &v), 0);
    CHECK(v.has_sua && v.has_sccp && v.has_tcap && !v.has_label);
    CHECK_STR(v.sccp.calling.digits, "254722000010");
    CHECK_INT(v.tcap.type, SSGW_TCAP_ABORT);
    /* segmented: the first of two segments is held, the second completes */
    m.has_segmentation = true;
    m.seg.first = true;
    m.seg.remaining = 1;
    m.seg.local_ref = 0xabcdef;
    m.data = data;
    m.data_len = 5;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_sua_encode_cldt(&b, &m), 0);
    CHECK_INT(ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_SUA, b.data, b.len, 0, &v), 0);
    CHECK_INT(v.reasm, SSGW_VIEW_REASM_PENDING);
    m.seg.first = false;
    m.seg.remaining = 0;
    m.data = data + 5;
    m.data_len = sizeof data - 5;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_sua_encode_cldt(&b, &m), 0);
    CHECK_INT(ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_SUA, b.data, b.len, 0, &v), 0);
    CHECK_INT(v.reasm, SSGW_VIEW_REASM_COMPLETE);
    CHECK(v.has_tcap && v.tcap.type == SSGW_TCAP_ABORT);
    ssgw_decoder_free(dec);
    /* a CLDT without its data */
    ssgw_buf_init(&b, mem, sizeof mem);
    size_t start = ssgw_m3ua_begin(&b, SSGW_SUA_CLASS_CL, SSGW_SUA_CLDT);
    ssgw_m3ua_put_u32_param(&b, SSGW_SUA_TAG_PROTOCOL_CLASS, 0);
    CHECK_INT(ssgw_m3ua_end(&b, start), 0);
    CHECK_INT(ssgw_sua_decode(b.data, b.len, &d, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_SUA);
    CHECK_STR(e.field, "source address");
    CHECK_STR(ssgw_sua_msg_name(2, 1), "DUNA");
    CHECK_STR(ssgw_sua_msg_name(8, 1), "CORE");
}

/* One frame through a capture handle of link type lt; the records it gives. */
static int feed(int lt, const uint8_t *frame, size_t len, ssgw_capture_msg *out, int max,
                ssgw_capture_stats *st)
{
    ssgw_capture *c = ssgw_capture_open_linktype(lt, NULL, NULL, 0);
    ssgw_capture_feed(c, 0, 0, frame, len, len);
    int n = 0;
    static uint8_t keep[8][128];
    ssgw_capture_msg m;
    while (ssgw_capture_next(c, &m) == 1 && n < max) {
        out[n] = m;
        if (!m.is_error && m.len <= sizeof keep[0]) {
            memcpy(keep[n], m.data, m.len);
            out[n].data = keep[n];
        }
        n++;
    }
    *st = *ssgw_capture_get_stats(c);
    ssgw_capture_close(c);
    return n;
}

static void mtp2_link_types(void)
{
    uint8_t f[96];
    ssgw_capture_msg m[4];
    ssgw_capture_stats st;
    /* an MSU: BIB/BSN, FIB/FSN, LI = length of SIO + SIF */
    f[0] = 0x81;
    f[1] = 0x82;
    f[2] = (uint8_t)msu_len;
    memcpy(f + 3, msu, msu_len);
    CHECK_INT(feed(SSGW_LINKTYPE_MTP2, f, 3 + msu_len, m, 4, &st), 1);
    CHECK(!m[0].is_error && m[0].kind == SSGW_CAPTURE_KIND_MTP3);
    CHECK_MEM(m[0].data, m[0].len, msu, msu_len);
    /* the same after the pseudo-header: sent, annex A not used, link 1 */
    uint8_t p[100] = {0x01, 0x00, 0x00, 0x01};
    memcpy(p + 4, f, 3 + msu_len);
    CHECK_INT(feed(SSGW_LINKTYPE_MTP2_WITH_PHDR, p, 7 + msu_len, m, 4, &st), 1);
    CHECK_MEM(m[0].data, m[0].len, msu, msu_len);
    /* Annex A: 12-bit BSN / FSN and a 9-bit LI in two octets each */
    uint8_t a[100] = {0x01, 0x01, 0x00, 0x01, 0x05, 0x80, 0x06, 0x80, (uint8_t)msu_len, 0x00};
    memcpy(a + 10, msu, msu_len);
    CHECK_INT(feed(SSGW_LINKTYPE_MTP2_WITH_PHDR, a, 10 + msu_len, m, 4, &st), 1);
    CHECK_MEM(m[0].data, m[0].len, msu, msu_len);
    /* a fill-in unit and a link status unit: counted, no record */
    static const uint8_t fisu[] = {0x80, 0x80, 0x00};
    CHECK_INT(feed(SSGW_LINKTYPE_MTP2, fisu, 3, m, 4, &st), 0);
    CHECK_INT(st.skipped[SSGW_CAPTURE_SKIP_MTP2_LINK_UNIT], 1);
    static const uint8_t lssu[] = {0x80, 0x80, 0x01, 0x02};
    CHECK_INT(feed(SSGW_LINKTYPE_MTP2, lssu, 4, m, 4, &st), 0);
    CHECK_INT(st.skipped[SSGW_CAPTURE_SKIP_MTP2_LINK_UNIT], 1);
    /* bad framing: an error record naming MTP2, the field and the offset */
    f[2] = (uint8_t)(msu_len + 1);
    CHECK_INT(feed(SSGW_LINKTYPE_MTP2, f, 3 + msu_len, m, 4, &st), 1);
    CHECK(m[0].is_error);
    CHECK_INT(m[0].error.layer, SSGW_LAYER_MTP2);
    CHECK_STR(m[0].error.field, "mtp2 length indicator");
    CHECK_INT(m[0].error.offset, 2);
    CHECK_INT(feed(SSGW_LINKTYPE_MTP2, fisu, 2, m, 4, &st), 1);
    CHECK_INT(m[0].error.code, SSGW_E_TRUNCATED);
    CHECK_INT(feed(SSGW_LINKTYPE_MTP2_WITH_PHDR, fisu, 3, m, 4, &st), 1);
    CHECK_STR(m[0].error.field, "mtp2 pseudo-header");
    /* LI 63: 63 octets or more */
    uint8_t big[300];
    memset(big, 0, sizeof big);
    big[2] = 63;
    memcpy(big + 3, msu, msu_len);
    CHECK_INT(feed(SSGW_LINKTYPE_MTP2, big, 3 + 200, m, 4, &st), 1);
    CHECK(!m[0].is_error && m[0].len == 200);
    CHECK_INT(feed(SSGW_LINKTYPE_MTP2, big, 3 + 62, m, 4, &st), 1);
    CHECK(m[0].is_error);
}

int main(void)
{
    build_msu();
    RUN(m2pa);
    RUN(m2ua);
    RUN(sua);
    RUN(mtp2_link_types);
    return check_summary();
}
