/*
 * test_sccp.c - SCCP connectionless codec (ITU-T Q.713) against hand-assembled
 * bytes. Every vector below was also written into a pcap (Ethernet/IPv4/SCTP
 * PPID 3/M3UA DATA) and decoded with tshark 4.0, which reported the same
 * message type, digits, SSNs, routing indicators, GTIs, point code, class,
 * hop counter, return cause, importance and segmentation fields asserted here.
 */
#include <stdlib.h>

#include "check.h"
#include "ssgw/sccp.h"

/* UDT, class 0 + return on error; called GTI 4 SSN 6 TT 0 E.164 BCD odd intl
 * "49177000001"; calling GTI 4 SSN 8 BCD even "491770000002"; 5 data octets.
 * tshark: sccp.message_type 0x09, called.digits 49177000001, calling.digits
 * 491770000002, called.ssn 6, calling.ssn 8, called.ri 0, called.gti 4,
 * called.es 1, called.nai 4, class 0, handling 0x08. */
static const char udt_hex[] = "09 80 03 0e 19"
                              "0b 12 06 00 11 04 94 71 07 00 00 01"
                              "0b 12 08 00 12 04 94 71 07 00 00 20"
                              "05 62 03 48 01 01";

/* XUDT class 1, hop 12, called GTI 1 (odd, NAI 4) SSN 7 "12345", calling
 * PC 0x1234 SSN 8 GTI 3 (TT 0, E.164, BCD even) "3312345678", 10 data
 * octets 00..09, importance 5. tshark: 0x11, pc 4660, hops 0x0c, importance 5. */
static const char xudt_hex[] = "11 01 0c 04 0a 15 1f"
                               "06 06 07 84 21 43 05"
                               "0b 0f 34 12 08 00 12 33 21 43 65 87"
                               "0a 00 01 02 03 04 05 06 07 08 09"
                               "12 01 05 00";

/* UDTS return cause 1; XUDTS cause 12 hop 3; LUDTS cause 14 hop 3; addresses
 * GTI 4 "491770000001"/SSN 6 and "4917700002"/SSN 8, data 00 01 02 03. */
static const char udts_hex[] = "0a 01 03 0e 18"
                               "0b 12 06 00 12 04 94 71 07 00 00 10"
                               "0a 12 08 00 12 04 94 71 07 00 20"
                               "04 00 01 02 03";
static const char xudts_hex[] = "12 0c 03 04 0f 19 00"
                                "0b 12 06 00 12 04 94 71 07 00 00 10"
                                "0a 12 08 00 12 04 94 71 07 00 20"
                                "04 00 01 02 03";
static const char ludts_hex[] = "14 0e 03 07 00 11 00 1a 00 00 00"
                                "0b 12 06 00 12 04 94 71 07 00 00 10"
                                "0a 12 08 00 12 04 94 71 07 00 20"
                                "04 00 00 01 02 03";
/* LUDT header + addresses: called GTI 2 TT 9 SSN 6 "4477", calling route on
 * SSN PC 258 SSN 146; long data of 300 octets (length 2c 01). tshark agrees
 * (pointers 7, 11, 14, 0). */
static const char ludt_prefix_hex[] = "13 00 0f 07 00 0b 00 0e 00 00 00"
                                      "05 0a 06 09 44 77"
                                      "04 43 02 01 92"
                                      "2c 01 00 01 02 03 04 05";

static int hex(const char *h, uint8_t *out, size_t cap)
{
    return check_hex(h, out, cap);
}

static void roundtrip_exact(const uint8_t *in, size_t n)
{
    ssgw_sccp_msg m;
    ssgw_error e;
    uint8_t out[4096];
    ssgw_buf b;
    CHECK_INT(ssgw_sccp_decode(in, n, &m, &e), 0);
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_sccp_encode(&b, &m, &e), 0);
    CHECK_MEM(b.data, b.len, in, n);
}

static void udt_known_good(void)
{
    uint8_t in[64];
    int n = hex(udt_hex, in, sizeof in);
    ssgw_sccp_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_sccp_decode(in, (size_t)n, &m, &e), 0);
    CHECK_INT(m.type, SSGW_SCCP_UDT);
    CHECK_STR(ssgw_sccp_msg_type_name(m.type), "udt");
    CHECK_INT(m.protocol_class, 0);
    CHECK(m.return_on_error);
    CHECK_INT(m.called.ri, SSGW_SCCP_RI_GT);
    CHECK_INT(m.called.gti, 4);
    CHECK(m.called.has_ssn);
    CHECK(!m.called.has_pc);
    CHECK_INT(m.called.ssn, 6);
    CHECK_INT(m.called.tt, 0);
    CHECK_INT(m.called.np, 1);
    CHECK_INT(m.called.es, 1);
    CHECK_INT(m.called.nai, 4);
    CHECK(m.called.odd);
    CHECK_STR(m.called.digits, "49177000001");
    CHECK_STR(m.calling.digits, "491770000002");
    CHECK_INT(m.calling.ssn, 8);
    CHECK(!m.calling.odd);
    CHECK_INT(m.data_len, 5);
    CHECK_INT(m.data_offset, 30);
    CHECK_INT(m.data[0], 0x62);
    CHECK(!m.has_segmentation && !m.has_importance && m.opt == NULL);

    /* Built from scratch (digits, not raw) gives the same bytes. */
    ssgw_sccp_msg w;
    ssgw_sccp_msg_init(&w, SSGW_SCCP_UDT);
    w.return_on_error = true;
    ssgw_sccp_addr_gt(&w.called, "49177000001", 6);
    ssgw_sccp_addr_gt(&w.calling, "491770000002", 8);
    uint8_t d[] = {0x62, 0x03, 0x48, 0x01, 0x01};
    w.data = d;
    w.data_len = sizeof d;
    uint8_t out[300];
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_sccp_encode(&b, &w, &e), 0);
    CHECK_MEM(b.data, b.len, in, (size_t)n);
    roundtrip_exact(in, (size_t)n);
}

static void xudt_known_good(void)
{
    uint8_t in[64];
    int n = hex(xudt_hex, in, sizeof in);
    ssgw_sccp_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_sccp_decode(in, (size_t)n, &m, &e), 0);
    CHECK_INT(m.type, SSGW_SCCP_XUDT);
    CHECK_INT(m.protocol_class, 1);
    CHECK(!m.return_on_error);
    CHECK_INT(m.hop_counter, 12);
    CHECK_INT(m.called.gti, 1);
    CHECK(m.called.odd);
    CHECK_INT(m.called.nai, 4);
    CHECK_STR(m.called.digits, "12345");
    CHECK_INT(m.called.ssn, 7);
    CHECK_INT(m.calling.gti, 3);
    CHECK(m.calling.has_pc);
    CHECK_INT(m.calling.pc, 0x1234);
    CHECK_INT(m.calling.np, 1);
    CHECK_INT(m.calling.es, 2);
    CHECK_STR(m.calling.digits, "3312345678");
    CHECK_INT(m.data_len, 10);
    CHECK(m.has_importance);
    CHECK_INT(m.importance, 5);
    CHECK(!m.has_segmentation);
    size_t pos = 0;
    ssgw_sccp_opt o;
    CHECK_INT(ssgw_sccp_opt_next(&m, &pos, &o), 1);
    CHECK_INT(o.tag, SSGW_SCCP_PARAM_IMPORTANCE);
    CHECK_INT(o.len, 1);
    CHECK_INT(ssgw_sccp_opt_next(&m, &pos, &o), 0);

    ssgw_sccp_msg w;
    ssgw_sccp_msg_init(&w, SSGW_SCCP_XUDT);
    w.protocol_class = 1;
    w.hop_counter = 12;
    w.has_importance = true;
    w.importance = 5;
    w.called.gti = 1;
    w.called.nai = 4;
    strcpy(w.called.digits, "12345");
    w.called.has_ssn = true;
    w.called.ssn = 7;
    w.calling.gti = 3;
    w.calling.np = 1;
    w.calling.es = SSGW_SCCP_ES_BCD_EVEN;
    strcpy(w.calling.digits, "3312345678");
    w.calling.has_ssn = true;
    w.calling.ssn = 8;
    w.calling.has_pc = true;
    w.calling.pc = 0x1234;
    uint8_t d[10];
    for (int i = 0; i < 10; i++)
        d[i] = (uint8_t)i;
    w.data = d;
    w.data_len = sizeof d;
    uint8_t out[300];
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_sccp_encode(&b, &w, &e), 0);
    CHECK_MEM(b.data, b.len, in, (size_t)n);
    roundtrip_exact(in, (size_t)n);
}

static void service_messages(void)
{
    static const struct {
        const char *hex;
        int type, cause, hop;
        const char *name;
    } v[] = {
        {udts_hex, SSGW_SCCP_UDTS, 1, 0, "udts"},
        {xudts_hex, SSGW_SCCP_XUDTS, 12, 3, "xudts"},
        {ludts_hex, SSGW_SCCP_LUDTS, 14, 3, "ludts"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint8_t in[128];
        int n = hex(v[i].hex, in, sizeof in);
        ssgw_sccp_msg m;
        ssgw_error e;
        CHECK_INT(ssgw_sccp_decode(in, (size_t)n, &m, &e), 0);
        CHECK_INT(m.type, v[i].type);
        CHECK_STR(ssgw_sccp_msg_type_name(m.type), v[i].name);
        CHECK_INT(m.return_cause, v[i].cause);
        CHECK_INT(m.hop_counter, v[i].hop);
        CHECK_STR(m.called.digits, "491770000001");
        CHECK_STR(m.calling.digits, "4917700002");
        CHECK_INT(m.data_len, 4);
        roundtrip_exact(in, (size_t)n);

        ssgw_sccp_msg w;
        ssgw_sccp_msg_init(&w, (ssgw_sccp_msg_type)v[i].type);
        w.return_cause = (uint8_t)v[i].cause;
        w.hop_counter = (uint8_t)v[i].hop;
        ssgw_sccp_addr_gt(&w.called, "491770000001", 6);
        ssgw_sccp_addr_gt(&w.calling, "4917700002", 8);
        uint8_t d[] = {0, 1, 2, 3};
        w.data = d;
        w.data_len = 4;
        uint8_t out[128];
        ssgw_buf b;
        ssgw_buf_init(&b, out, sizeof out);
        CHECK_INT(ssgw_sccp_encode(&b, &w, &e), 0);
        CHECK_MEM(b.data, b.len, in, (size_t)n);
    }
    CHECK_STR(ssgw_sccp_return_cause_name(12), "hop counter violation");
    CHECK_STR(ssgw_sccp_return_cause_name(0), "no translation for an address of such nature");
    CHECK_STR(ssgw_sccp_return_cause_name(14), "segmentation failure");
    CHECK_STR(ssgw_sccp_return_cause_name(200), "spare");
}

static void ludt_long_data(void)
{
    ssgw_sccp_msg w;
    ssgw_sccp_msg_init(&w, SSGW_SCCP_LUDT);
    w.called.gti = 2;
    w.called.tt = 9;
    strcpy(w.called.digits, "4477");
    w.called.has_ssn = true;
    w.called.ssn = 6;
    ssgw_sccp_addr_ssn(&w.calling, 258, 146);
    uint8_t d[300];
    for (int i = 0; i < 300; i++)
        d[i] = (uint8_t)i;
    w.data = d;
    w.data_len = sizeof d;
    uint8_t out[1024], want[64];
    ssgw_buf b;
    ssgw_error e;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_sccp_encode(&b, &w, &e), 0);
    int n = hex(ludt_prefix_hex, want, sizeof want);
    CHECK_INT(b.len, 11 + 6 + 5 + 2 + 300);
    CHECK_MEM(b.data, (size_t)n, want, (size_t)n);
    ssgw_sccp_msg m;
    CHECK_INT(ssgw_sccp_decode(b.data, b.len, &m, &e), 0);
    CHECK_INT(m.data_len, 300);
    CHECK_MEM(m.data, m.data_len, d, sizeof d);
    CHECK_INT(m.called.gti, 2);
    CHECK_INT(m.called.tt, 9);
    CHECK_STR(m.called.digits, "4477");
    CHECK_INT(m.calling.ri, SSGW_SCCP_RI_SSN);
    CHECK_INT(m.calling.pc, 258);
    CHECK_INT(m.calling.ssn, 146);
    CHECK_STR(m.calling.digits, "");
    roundtrip_exact(b.data, b.len);
    /* Long data too long for the buffer: the 2-octet length is checked. */
    CHECK_INT(ssgw_sccp_decode(b.data, b.len - 1, &m, &e), -1);
    CHECK_STR(e.field, "data length");
    CHECK_INT(e.offset, 22);
    /* UDT cannot carry 300 octets. */
    w.type = SSGW_SCCP_UDT;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_sccp_encode(&b, &w, &e), -1);
    CHECK_INT(e.code, SSGW_E_TOO_BIG);
    CHECK_INT(b.len, 0);
}

/* Address per GTI, odd and even digit counts, decoded and re-encoded. */
static void addresses_every_gti(void)
{
    static const struct {
        const char *hex;
        int gti, ri, ssn, pc, tt, np, es, nai, odd;
        const char *digits;
    } v[] = {
        {"43 02 01 08", 0, 1, 8, 258, 0, 0, 0, 0, 0, ""},
        {"06 06 84 21 43 05", 1, 0, 6, -1, 0, 0, 0, 4, 1, "12345"},
        {"06 06 03 21 43", 1, 0, 6, -1, 0, 0, 0, 3, 0, "1234"},
        {"08 00 21 43 65", 2, 0, -1, -1, 0, 0, 0, 0, 0, "123456"},
        {"0e 06 00 11 21 43 05", 3, 0, 6, -1, 0, 1, 1, 0, 1, "12345"},
        {"0d 10 27 0a 62 21 43", 3, 0, -1, 0x2710, 10, 6, 2, 0, 0, "1234"},
        {"12 07 00 11 04 94 71 07 00 00 01", 4, 0, 7, -1, 0, 1, 1, 4, 1, "49177000001"},
        {"12 07 00 72 04 94 71 07 00 00 20", 4, 0, 7, -1, 0, 7, 2, 4, 0, "491770000002"},
        {"52 92 00 12 04 94 ba 0c", 4, 1, 146, -1, 0, 1, 2, 4, 0, "49*#a0"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint8_t in[32];
        int n = hex(v[i].hex, in, sizeof in);
        ssgw_sccp_addr a;
        ssgw_error e;
        CHECK_INT(ssgw_sccp_addr_decode(in, (size_t)n, &a, &e), 0);
        CHECK_INT(a.gti, v[i].gti);
        CHECK_INT(a.ri, v[i].ri);
        CHECK_INT(a.has_ssn, v[i].ssn >= 0);
        if (v[i].ssn >= 0) CHECK_INT(a.ssn, v[i].ssn);
        CHECK_INT(a.has_pc, v[i].pc >= 0);
        if (v[i].pc >= 0) CHECK_INT(a.pc, v[i].pc);
        CHECK_INT(a.tt, v[i].tt);
        CHECK_INT(a.np, v[i].np);
        CHECK_INT(a.es, v[i].es);
        CHECK_INT(a.nai, v[i].nai);
        CHECK_INT(a.odd, v[i].odd);
        CHECK_STR(a.digits, v[i].digits);
        uint8_t out[32];
        ssgw_buf b;
        /* exact from the decoded view (raw digits) */
        ssgw_buf_init(&b, out, sizeof out);
        CHECK_INT(ssgw_sccp_addr_encode(&b, &a, &e), 0);
        CHECK_MEM(b.data, b.len, in, (size_t)n);
        /* and from the digits text */
        a.gt_raw = NULL;
        a.gt_raw_len = 0;
        ssgw_buf_init(&b, out, sizeof out);
        CHECK_INT(ssgw_sccp_addr_encode(&b, &a, &e), 0);
        CHECK_MEM(b.data, b.len, in, (size_t)n);
    }
    /* Encoding scheme 3 (national specific): raw octets kept, no digits. */
    uint8_t ns[] = {0x12, 0x06, 0x00, 0x13, 0x04, 0xde, 0xad};
    ssgw_sccp_addr a;
    ssgw_error e;
    CHECK_INT(ssgw_sccp_addr_decode(ns, sizeof ns, &a, &e), 0);
    CHECK_INT(a.es, 3);
    CHECK_STR(a.digits, "");
    CHECK_INT(a.gt_raw_len, 2);
    CHECK_INT(a.gt_raw[0], 0xde);
    CHECK_STR(ssgw_sccp_es_name(a.es), "national specific");
    /* Bad ones. */
    uint8_t gti5[] = {0x14, 0x00};
    CHECK_INT(ssgw_sccp_addr_decode(gti5, sizeof gti5, &a, &e), -1);
    CHECK_INT(e.code, SSGW_E_UNSUPPORTED);
    CHECK_STR(e.field, "global title indicator");
    uint8_t pc_short[] = {0x43, 0x02};
    CHECK_INT(ssgw_sccp_addr_decode(pc_short, sizeof pc_short, &a, &e), -1);
    CHECK_STR(e.field, "point code");
    CHECK_INT(e.offset, 1);
    uint8_t ssn_short[] = {0x43, 0x02, 0x01};
    CHECK_INT(ssgw_sccp_addr_decode(ssn_short, sizeof ssn_short, &a, &e), -1);
    CHECK_STR(e.field, "subsystem number");
    CHECK_INT(e.offset, 3);
    uint8_t gt_short[] = {0x12, 0x06, 0x00, 0x12};
    CHECK_INT(ssgw_sccp_addr_decode(gt_short, sizeof gt_short, &a, &e), -1);
    CHECK_STR(e.field, "global title");
    CHECK_INT(e.offset, 2);
    uint8_t extra[] = {0x42, 0x06, 0x99};
    CHECK_INT(ssgw_sccp_addr_decode(extra, sizeof extra, &a, &e), -1);
    CHECK_INT(e.code, SSGW_E_BAD_LENGTH);
    CHECK_INT(ssgw_sccp_addr_decode(extra, 0, &a, &e), -1);
    CHECK_STR(e.field, "address indicator");
    uint8_t longgt[40] = {0x10, 0x00, 0x12, 0x04};
    CHECK_INT(ssgw_sccp_addr_decode(longgt, sizeof longgt, &a, &e), -1); /* 72 digits */
    CHECK_INT(e.code, SSGW_E_TOO_BIG);
    /* Encoder refuses impossible values. */
    uint8_t out[64];
    ssgw_buf b;
    ssgw_sccp_addr_gt(&a, "12x4", 6);
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_sccp_addr_encode(&b, &a, &e), -1);
    CHECK_INT(e.code, SSGW_E_BAD_VALUE);
    ssgw_sccp_addr_ssn(&a, 0x4000, 6);
    CHECK_INT(ssgw_sccp_addr_encode(&b, &a, &e), -1);
    CHECK_STR(e.field, "point code");
    CHECK_INT(b.len, 0);
    /* Name tables. */
    CHECK_STR(ssgw_sccp_ri_name(SSGW_SCCP_RI_GT), "route on gt");
    CHECK_STR(ssgw_sccp_ri_name(SSGW_SCCP_RI_SSN), "route on ssn");
    CHECK_STR(ssgw_sccp_nai_name(4), "international number");
    CHECK_STR(ssgw_sccp_nai_name(3), "national significant number");
    CHECK_STR(ssgw_sccp_nai_name(120), "reserved for national use");
    CHECK_STR(ssgw_sccp_np_name(1), "isdn/telephony");
    CHECK_STR(ssgw_sccp_np_name(7), "isdn/mobile");
    CHECK_STR(ssgw_sccp_np_name(6), "land mobile");
    CHECK_STR(ssgw_sccp_es_name(1), "bcd odd");
}

/* Every pointer of the XUDT vector: zero, into the fixed part, past the end. */
static void corrupted_pointers(void)
{
    uint8_t in[64], c[64];
    int n = hex(xudt_hex, in, sizeof in);
    static const char *const names[] = {"called party address pointer",
                                        "calling party address pointer", "data pointer",
                                        "optional parameters pointer"};
    ssgw_sccp_msg m;
    ssgw_error e;
    for (int i = 0; i < 4; i++) {
        size_t p = 3 + (size_t)i;
        memcpy(c, in, (size_t)n);
        c[p] = 0;
        if (i < 3) {
            CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
            CHECK_INT(e.code, SSGW_E_MISSING);
            CHECK_STR(e.field, names[i]);
            CHECK_INT(e.offset, p);
        } else { /* optional pointer 0: no optional part */
            CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), 0);
            CHECK(!m.has_importance);
        }
        if (p < 6) {
            c[p] = (uint8_t)(6 - p); /* points at octet 6, inside the pointers */
            CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
            CHECK_INT(e.code, SSGW_E_BAD_VALUE);
            CHECK_STR(e.field, names[i]);
            CHECK_INT(e.offset, p);
        }
        c[p] = (uint8_t)((size_t)n - p); /* one past the end */
        CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
        CHECK_STR(e.field, names[i]);
        c[p] = 0xff;
        CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
        CHECK_STR(e.field, names[i]);
    }
    /* The same for the UDT vector and the LUDT 2-octet pointers. */
    n = hex(udt_hex, in, sizeof in);
    for (int i = 0; i < 3; i++) {
        memcpy(c, in, (size_t)n);
        c[2 + i] = (uint8_t)(n - 2 - i); /* one past the end */
        CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
        CHECK_STR(e.field, names[i]);
        CHECK_INT(e.offset, 2 + i);
    }
    n = hex(ludts_hex, in, sizeof in);
    for (int i = 0; i < 3; i++) {
        memcpy(c, in, (size_t)n);
        c[3 + 2 * i + 1] = 0x01; /* +256: past the end */
        CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
        CHECK_STR(e.field, names[i]);
        CHECK_INT(e.offset, 3 + 2 * i);
    }
    /* Lengths that run past the end. */
    n = hex(xudt_hex, in, sizeof in);
    memcpy(c, in, (size_t)n);
    c[7] = 0x30;
    CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
    CHECK_STR(e.field, "called party address length");
    CHECK_INT(e.offset, 7);
    memcpy(c, in, (size_t)n);
    c[26] = 0x30;
    CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
    CHECK_STR(e.field, "data length");
    CHECK_INT(e.offset, 26);
    memcpy(c, in, (size_t)n);
    c[15] = 0x10; /* calling: SSN indicator set, PC indicator clear: GT header short */
    CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), 0);
    c[15] = 0x3c; /* GTI 15 */
    CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
    CHECK_STR(e.field, "calling party global title indicator");
    CHECK_INT(e.offset, 15);
    /* Protocol class 2 is not connectionless; unknown message type. */
    memcpy(c, in, (size_t)n);
    c[1] = 0x02;
    CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
    CHECK_STR(e.field, "protocol class");
    c[0] = 0x01; /* CR */
    CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
    CHECK_INT(e.code, SSGW_E_BAD_TAG);
    CHECK_STR(ssgw_sccp_msg_type_name(0x01), "unknown");
}

static void optional_part_errors(void)
{
    uint8_t in[64], c[64];
    int n = hex(xudt_hex, in, sizeof in);
    ssgw_sccp_msg m;
    ssgw_error e;
    /* Replace importance (12 01 05) by segmentation of length 3. */
    memcpy(c, in, (size_t)n);
    c[n - 4] = 0x10;
    c[n - 3] = 0x01;
    CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
    CHECK_STR(e.field, "segmentation parameter");
    CHECK_INT(e.code, SSGW_E_BAD_LENGTH);
    CHECK_INT(e.offset, (size_t)n - 3);
    /* Importance of length 2 runs into the end octet and past. */
    memcpy(c, in, (size_t)n);
    c[n - 3] = 0x03;
    CHECK_INT(ssgw_sccp_decode(c, (size_t)n, &m, &e), -1);
    CHECK_STR(e.field, "importance parameter");
    CHECK_INT(e.code, SSGW_E_TRUNCATED);
    /* Missing end of optional parameters. */
    CHECK_INT(ssgw_sccp_decode(in, (size_t)n - 1, &m, &e), -1);
    CHECK_STR(e.field, "end of optional parameters");
    CHECK_INT(e.code, SSGW_E_MISSING);
    /* Duplicate importance; an unknown parameter is skipped and kept. */
    uint8_t dup[64];
    memcpy(dup, in, (size_t)n - 1);
    uint8_t tail[] = {0x12, 0x01, 0x03, 0x00};
    memcpy(dup + n - 1, tail, sizeof tail);
    CHECK_INT(ssgw_sccp_decode(dup, (size_t)n + 3, &m, &e), -1);
    CHECK_INT(e.code, SSGW_E_DUPLICATE);
    uint8_t unk[] = {0x18, 0x02, 0xaa, 0xbb, 0x00};
    memcpy(dup + n - 1, unk, sizeof unk);
    CHECK_INT(ssgw_sccp_decode(dup, (size_t)n + 4, &m, &e), 0);
    size_t pos = 0;
    ssgw_sccp_opt o;
    CHECK_INT(ssgw_sccp_opt_next(&m, &pos, &o), 1);
    CHECK_INT(o.tag, SSGW_SCCP_PARAM_IMPORTANCE);
    CHECK_INT(ssgw_sccp_opt_next(&m, &pos, &o), 1);
    CHECK_INT(o.tag, 0x18);
    CHECK_INT(o.len, 2);
    CHECK_INT(o.val[1], 0xbb);
    CHECK_INT(ssgw_sccp_opt_next(&m, &pos, &o), 0);
    roundtrip_exact(dup, (size_t)n + 4); /* canonical: importance first */
    CHECK_STR(ssgw_sccp_param_name(0x10), "segmentation");
    CHECK_STR(ssgw_sccp_param_name(0x12), "importance");
    CHECK_STR(ssgw_sccp_param_name(0x00), "end of optional parameters");
    CHECK_STR(ssgw_sccp_param_name(0x99), "unknown");
}

/* Truncating a valid message anywhere is an error, never a crash. */
static void truncation_every_offset(void)
{
    const char *vec[] = {xudt_hex, udt_hex, udts_hex, xudts_hex, ludts_hex};
    for (size_t v = 0; v < sizeof vec / sizeof vec[0]; v++) {
        uint8_t in[128];
        int n = hex(vec[v], in, sizeof in);
        for (int cut = 0; cut < n; cut++) {
            uint8_t *t = malloc((size_t)cut + 1); /* exact size for ASan */
            memcpy(t, in, (size_t)cut);
            ssgw_sccp_msg m;
            ssgw_error e = {0};
            int rc = ssgw_sccp_decode(t, (size_t)cut, &m, &e);
            if (v == 0 || rc != 0) { /* XUDT ends with its end octet: every cut fails */
                CHECK_INT(rc, -1);
                CHECK(e.field != NULL);
                CHECK(e.offset <= (size_t)cut);
                CHECK_INT(e.layer, SSGW_LAYER_SCCP);
            }
            free(t);
        }
    }
}

static void unitdata_choice(void)
{
    ssgw_sccp_msg m;
    ssgw_sccp_msg_init(&m, SSGW_SCCP_UDT);
    ssgw_sccp_addr_gt(&m.called, "491770000001", 6);
    ssgw_sccp_addr_gt(&m.calling, "4917700002", 8);
    uint8_t d[300] = {0};
    uint8_t out[600];
    ssgw_buf b;
    ssgw_error e;
    ssgw_sccp_msg_type t;
    m.data = d;
    m.data_len = 200;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_sccp_encode_unitdata(&b, &m, 0, &t, &e), 0);
    CHECK_INT(t, SSGW_SCCP_UDT);
    CHECK_INT(b.len, 5 + 12 + 11 + 1 + 200);
    /* The largest UDT within 272 octets, then one octet more does not fit. */
    m.data_len = 272 - (5 + 12 + 11 + 1);
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_sccp_encode_unitdata(&b, &m, 0, &t, &e), 0);
    CHECK_INT(b.len, 272);
    m.data_len++;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_sccp_encode_unitdata(&b, &m, 0, &t, &e), -1);
    CHECK_INT(e.code, SSGW_E_TOO_BIG);
    CHECK_INT(b.len, 0);
    /* Importance asks for XUDT. */
    m.data_len = 20;
    m.has_importance = true;
    m.importance = 3;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_sccp_encode_unitdata(&b, &m, 0, &t, &e), 0);
    CHECK_INT(t, SSGW_SCCP_XUDT);
    ssgw_sccp_msg r;
    CHECK_INT(ssgw_sccp_decode(b.data, b.len, &r, &e), 0);
    CHECK(r.has_importance);
    CHECK_INT(r.importance, 3);
    CHECK_INT(r.hop_counter, 15);
    /* A UDT cannot carry importance or segmentation. */
    m.type = SSGW_SCCP_UDT;
    ssgw_buf_init(&b, out, sizeof out);
    CHECK_INT(ssgw_sccp_encode(&b, &m, &e), -1);
    /* Encoder output buffer too small: error, buffer unchanged. */
    m.has_importance = false;
    ssgw_buf_init(&b, out, 10);
    CHECK_INT(ssgw_sccp_encode(&b, &m, &e), -1);
    CHECK_INT(e.code, SSGW_E_TOO_BIG);
    CHECK_INT(b.len, 0);
    CHECK(!b.overflow);
}

int main(void)
{
    RUN(udt_known_good);
    RUN(xudt_known_good);
    RUN(service_messages);
    RUN(ludt_long_data);
    RUN(addresses_every_gti);
    RUN(corrupted_pointers);
    RUN(optional_part_errors);
    RUN(truncation_every_offset);
    RUN(unitdata_choice);
    return check_summary();
}
