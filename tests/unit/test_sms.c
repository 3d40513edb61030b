/*
 * test_sms.c - the SMS TPDU codec (3GPP TS 23.040) on the well-known "hellohello" PDUs
 * (the GSM 7-bit packing example of TS 23.038 6.1.2.1.1 inside SMS-DELIVER and
 * SMS-SUBMIT), on vectors worked out by hand from the spec's bit layouts (header fill
 * bits, alphanumeric originator, UTF-16 surrogate pair), and on malformed TPDUs.
 * tests/oracle/test_sms_tshark.py has tshark decode what the encoder writes.
 */
#include "check.h"
#include "ssgw/gsm7.h"
#include "ssgw/sms.h"
#include "sms_examples.h"

static int reencode(const ssgw_sms_tpdu *t, const char *text, uint8_t *mem, size_t cap)
{
    ssgw_buf b;
    ssgw_buf_init(&b, mem, cap);
    ssgw_error e;
    if (ssgw_sms_encode(&b, t, (const uint8_t *)text, strlen(text), &e) < 0) return -1;
    return (int)b.len;
}

static void decode_deliver(void)
{
    ssgw_sms_tpdu t;
    ssgw_error e;
    CHECK_INT(ssgw_sms_decode(deliver, sizeof deliver, SSGW_SMS_TO_MS, &t, &e), 0);
    CHECK_INT(t.type, SSGW_SMS_DELIVER);
    CHECK(t.mms && !t.udhi && !t.rp && !t.sri);
    CHECK_STR(t.oa.text, "27838890001");
    CHECK_INT(t.oa.ton, 4);
    CHECK_INT(t.oa.npi, 8);
    CHECK(!t.oa.alphanumeric);
    CHECK_INT(t.pid, 0);
    CHECK_INT(t.dcs, 0);
    CHECK_INT(t.dcs_info.alphabet, SSGW_SMS_GSM7);
    CHECK_INT(t.scts.year, 99);
    CHECK_INT(t.scts.month, 3);
    CHECK_INT(t.scts.day, 29);
    CHECK_INT(t.scts.hour, 15);
    CHECK_INT(t.scts.minute, 16);
    CHECK_INT(t.scts.second, 59);
    CHECK_INT(t.scts.tz_quarters, 8);
    char ts[40];
    ssgw_sms_time_format(&t.scts, ts, sizeof ts);
    CHECK_STR(ts, "2099-03-29T15:16:59+02:00");
    CHECK_INT(t.udl, 10);
    CHECK(t.ud == deliver + 19);
    char text[SSGW_SMS_TEXT_CAP];
    size_t chars;
    CHECK_INT(ssgw_sms_text(&t, text, sizeof text, &chars), 10);
    CHECK_STR(text, "hellohello");
    CHECK_INT(chars, 10);
    uint8_t mem[200];
    CHECK_MEM(mem, (size_t)reencode(&t, text, mem, sizeof mem), deliver, sizeof deliver);
    /* the same octets travelling from the MS are an SMS-DELIVER-REPORT, which they are not */
    CHECK_INT(ssgw_sms_decode(deliver, sizeof deliver, SSGW_SMS_FROM_MS, &t, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_SMS);
}

static void decode_submit(void)
{
    ssgw_sms_tpdu t;
    ssgw_error e;
    CHECK_INT(ssgw_sms_decode(submit, sizeof submit, SSGW_SMS_FROM_MS, &t, &e), 0);
    CHECK_INT(t.type, SSGW_SMS_SUBMIT);
    CHECK_INT(t.mr, 0);
    CHECK_STR(t.da.text, "46708251358");
    CHECK_INT(t.da.ton, 1);
    CHECK_INT(t.da.npi, 1);
    CHECK_INT(t.vpf, 2);
    CHECK_INT(t.vp_relative, 0xaa);
    CHECK(!t.has_scts);
    char text[SSGW_SMS_TEXT_CAP];
    CHECK_INT(ssgw_sms_text(&t, text, sizeof text, NULL), 10);
    CHECK_STR(text, "hellohello");
    uint8_t mem[200];
    CHECK_MEM(mem, (size_t)reencode(&t, text, mem, sizeof mem), submit, sizeof submit);
}

static void concatenation_fill_bits(void)
{
    /* UDH 05 00 03 CC 02 01 (part 1 of 2, reference 0xCC) is 48 bits: one fill bit, the
     * text starts at septet 7, so "A" (0x41) lands shifted by one: 0x82; TP-UDL 8. */
    ssgw_sms_tpdu t;
    ssgw_sms_tpdu_init(&t, SSGW_SMS_SUBMIT);
    t.mr = 7;
    snprintf(t.da.text, sizeof t.da.text, "4477");
    t.da.ton = 1;
    t.da.npi = 1;
    t.concat = true;
    t.concat_ref_bits = 8;
    t.concat_ref = 0xcc;
    t.concat_total = 2;
    t.concat_seq = 1;
    uint8_t mem[200];
    const uint8_t want[] = {0x41, 0x07, 0x04, 0x91, 0x44, 0x77, 0x00, 0x00,
                            0x08, 0x05, 0x00, 0x03, 0xcc, 0x02, 0x01, 0x82};
    CHECK_MEM(mem, (size_t)reencode(&t, "A", mem, sizeof mem), want, sizeof want);
    ssgw_error e;
    CHECK_INT(ssgw_sms_decode(want, sizeof want, SSGW_SMS_FROM_MS, &t, &e), 0);
    CHECK(t.udhi && t.concat);
    CHECK_INT(t.concat_ref_bits, 8);
    CHECK_INT(t.concat_ref, 0xcc);
    CHECK_INT(t.concat_total, 2);
    CHECK_INT(t.concat_seq, 1);
    CHECK_INT(t.n_ie, 1);
    CHECK_INT(t.text_first, 7);
    CHECK_INT(t.text_count, 1);
    char text[8];
    CHECK_INT(ssgw_sms_text(&t, text, sizeof text, NULL), 1);
    CHECK_STR(text, "A");

    /* 16-bit reference and 16-bit ports: 13 header octets (UDHL included) = 104 bits, the
     * text starts at septet 15 after 1 fill bit */
    ssgw_sms_tpdu_init(&t, SSGW_SMS_DELIVER);
    snprintf(t.oa.text, sizeof t.oa.text, "123");
    t.concat = true;
    t.concat_ref_bits = 16;
    t.concat_ref = 0xbeef;
    t.concat_total = 3;
    t.concat_seq = 3;
    t.ports = true;
    t.port_bits = 16;
    t.dst_port = 2948;
    t.src_port = 9200;
    int n = reencode(&t, "{end}", mem, sizeof mem);
    CHECK(n > 0);
    CHECK_INT(ssgw_sms_decode(mem, (size_t)n, SSGW_SMS_TO_MS, &t, &e), 0);
    CHECK_INT(t.concat_ref, 0xbeef);
    CHECK(t.ports);
    CHECK_INT(t.dst_port, 2948);
    CHECK_INT(t.src_port, 9200);
    CHECK_INT(t.text_first, 15);
    CHECK_INT(t.udl, 15 + 7); /* { and } are escapes: two septets each */
    char text2[32];
    ssgw_sms_text(&t, text2, sizeof text2, NULL);
    CHECK_STR(text2, "{end}");
}

static void alphanumeric_sender(void)
{
    /* "Bank": B a n k = 42 61 6e 6b packed c2 b0 7b 0d, 28 bits = 7 semi-octets, TOA d0 */
    const uint8_t want[] = {0x04, 0x07, 0xd0, 0xc2, 0xb0, 0x7b, 0x0d, 0x00, 0x00, 0x42,
                            0x10, 0x21, 0x21, 0x43, 0x65, 0x00, 0x02, 0xe8, 0x34};
    ssgw_sms_tpdu t;
    ssgw_error e;
    CHECK_INT(ssgw_sms_decode(want, sizeof want, SSGW_SMS_TO_MS, &t, &e), 0);
    CHECK(t.oa.alphanumeric);
    CHECK_INT(t.oa.ton, 5);
    CHECK_STR(t.oa.text, "Bank");
    char text[8];
    ssgw_sms_text(&t, text, sizeof text, NULL);
    CHECK_STR(text, "hi");
    uint8_t mem[64];
    CHECK_MEM(mem, (size_t)reencode(&t, "hi", mem, sizeof mem), want, sizeof want);
    /* 11 characters fit (20 semi-octets), 12 do not */
    ssgw_sms_tpdu_init(&t, SSGW_SMS_DELIVER);
    t.oa.alphanumeric = true;
    snprintf(t.oa.text, sizeof t.oa.text, "InfoService");
    int n = reencode(&t, "x", mem, sizeof mem);
    CHECK(n > 0);
    CHECK_INT(mem[1], 20);
    CHECK_INT(ssgw_sms_decode(mem, (size_t)n, SSGW_SMS_TO_MS, &t, &e), 0);
    CHECK_STR(t.oa.text, "InfoService");
    snprintf(t.oa.text, sizeof t.oa.text, "InfoServices");
    CHECK_INT(reencode(&t, "x", mem, sizeof mem), -1);
}

static void ucs2_surrogates(void)
{
    /* "Hi" + U+1F600: 0048 0069 D83D DE00, DCS 0x08 */
    ssgw_sms_tpdu t;
    ssgw_sms_tpdu_init(&t, SSGW_SMS_DELIVER);
    snprintf(t.oa.text, sizeof t.oa.text, "4915");
    t.oa.ton = 1;
    t.oa.npi = 1;
    t.dcs = 0x08;
    uint8_t mem[64];
    int n = reencode(&t, "Hi\xf0\x9f\x98\x80", mem, sizeof mem);
    const uint8_t ud[] = {0x08, 0x00, 0x48, 0x00, 0x69, 0xd8, 0x3d, 0xde, 0x00};
    CHECK(n > (int)sizeof ud);
    CHECK_MEM(mem + n - sizeof ud, sizeof ud, ud, sizeof ud);
    ssgw_error e;
    CHECK_INT(ssgw_sms_decode(mem, (size_t)n, SSGW_SMS_TO_MS, &t, &e), 0);
    CHECK_INT(t.dcs_info.alphabet, SSGW_SMS_UCS2);
    char text[32];
    size_t chars;
    CHECK_INT(ssgw_sms_text(&t, text, sizeof text, &chars), 6);
    CHECK_STR(text, "Hi\xf0\x9f\x98\x80");
    CHECK_INT(chars, 3);
    /* an unpaired high surrogate (a pair cut between two parts) reads as U+FFFD */
    const uint8_t cut[] = {0x00, 0x41, 0xd8, 0x3d};
    CHECK_INT(ssgw_utf16_to_utf8(cut, sizeof cut, text, sizeof text), 4);
    CHECK_STR(text, "A\xef\xbf\xbd");
}

static void reports_and_status(void)
{
    ssgw_sms_tpdu t;
    ssgw_error e;
    /* the RP-ACK TPDUs MAP results carry (map_params.c defaults) */
    const uint8_t dr[] = {0x00, 0x00};
    CHECK_INT(ssgw_sms_decode(dr, sizeof dr, SSGW_SMS_FROM_MS, &t, &e), 0);
    CHECK_INT(t.type, SSGW_SMS_DELIVER_REPORT);
    CHECK_INT(t.pi, 0);
    CHECK_INT(t.fcs, -1);
    const uint8_t sr[] = {0x01, 0x00, 0x42, 0x10, 0x21, 0x21, 0x43, 0x65, 0x00};
    CHECK_INT(ssgw_sms_decode(sr, sizeof sr, SSGW_SMS_TO_MS, &t, &e), 0);
    CHECK_INT(t.type, SSGW_SMS_SUBMIT_REPORT);
    CHECK_INT(t.scts.year, 24);
    CHECK_INT(t.scts.month, 1);
    CHECK_INT(t.scts.day, 12);
    /* an RP-ERROR deliver report: TP-FCS 0xD2 (error in MS), then TP-PI */
    const uint8_t drerr[] = {0x00, 0xd2, 0x00};
    CHECK_INT(ssgw_sms_decode(drerr, sizeof drerr, SSGW_SMS_FROM_MS, &t, &e), 0);
    CHECK_INT(t.fcs, 0xd2);
    uint8_t mem[128];
    CHECK_MEM(mem, (size_t)reencode(&t, "", mem, sizeof mem), drerr, sizeof drerr);

    ssgw_sms_tpdu_init(&t, SSGW_SMS_STATUS_REPORT);
    t.mr = 42;
    snprintf(t.ra.text, sizeof t.ra.text, "447700900123");
    t.ra.ton = 1;
    t.ra.npi = 1;
    t.scts = (ssgw_sms_time){24, 2, 29, 23, 59, 58, -20};
    t.dt = (ssgw_sms_time){24, 3, 1, 0, 0, 1, -20};
    t.st = 0;
    t.srq = true;
    int n = reencode(&t, "", mem, sizeof mem);
    CHECK(n > 0);
    CHECK_INT(ssgw_sms_decode(mem, (size_t)n, SSGW_SMS_TO_MS, &t, &e), 0);
    CHECK_INT(t.type, SSGW_SMS_STATUS_REPORT);
    CHECK_INT(t.mr, 42);
    CHECK_STR(t.ra.text, "447700900123");
    CHECK(t.srq);
    CHECK_INT(t.st, 0);
    CHECK_INT(t.dt.second, 1);
    CHECK_INT(t.scts.tz_quarters, -20);
    char ts[40];
    ssgw_sms_time_format(&t.scts, ts, sizeof ts);
    CHECK_STR(ts, "2024-02-29T23:59:58-05:00");
    CHECK_INT(t.pi, -1); /* nothing after TP-ST */
}

static void dcs_groups(void)
{
    ssgw_sms_dcs d;
    ssgw_sms_dcs_decode(0x00, &d);
    CHECK(d.alphabet == SSGW_SMS_GSM7 && d.msg_class == -1 && !d.compressed);
    ssgw_sms_dcs_decode(0x08, &d);
    CHECK(d.alphabet == SSGW_SMS_UCS2);
    ssgw_sms_dcs_decode(0x04, &d);
    CHECK(d.alphabet == SSGW_SMS_8BIT);
    ssgw_sms_dcs_decode(0x10, &d); /* class 0 (flash), GSM 7-bit */
    CHECK(d.alphabet == SSGW_SMS_GSM7 && d.msg_class == 0);
    ssgw_sms_dcs_decode(0x26, &d); /* compressed */
    CHECK(d.compressed);
    ssgw_sms_dcs_decode(0xf6, &d); /* 8-bit, class 2 (SIM data download) */
    CHECK(d.alphabet == SSGW_SMS_8BIT && d.msg_class == 2);
    ssgw_sms_dcs_decode(0xe1, &d); /* MWI store, UCS-2, fax */
    CHECK(d.alphabet == SSGW_SMS_UCS2 && d.mwi == 1);
    ssgw_sms_dcs_decode(0x0c, &d); /* reserved alphabet: read as GSM 7-bit */
    CHECK(d.alphabet == SSGW_SMS_GSM7);
}

static void expect(const uint8_t *b, size_t n, ssgw_sms_dir dir, ssgw_errcode code,
                   const char *field, size_t off)
{
    ssgw_sms_tpdu t;
    ssgw_error e = {0};
    CHECK_INT(ssgw_sms_decode(b, n, dir, &t, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_SMS);
    CHECK_INT(e.code, code);
    CHECK_STR(e.field, field);
    CHECK_INT(e.offset, off);
}

static void malformed(void)
{
    for (size_t n = 0; n < sizeof deliver; n++) {
        ssgw_sms_tpdu t;
        ssgw_error e;
        CHECK_INT(ssgw_sms_decode(deliver, n, SSGW_SMS_TO_MS, &t, &e), -1);
        CHECK(e.offset <= n);
    }
    uint8_t b[64];
    memcpy(b, deliver, sizeof deliver);
    b[0] = 0x07; /* TP-MTI 3 */
    expect(b, sizeof deliver, SSGW_SMS_TO_MS, SSGW_E_BAD_VALUE, "TP-MTI", 0);
    memcpy(b, deliver, sizeof deliver);
    b[11] = 0x9a; /* year semi-octet 0xA */
    expect(b, sizeof deliver, SSGW_SMS_TO_MS, SSGW_E_BAD_VALUE, "TP-SCTS", 11);
    memcpy(b, deliver, sizeof deliver);
    b[18] = 0x0b; /* one septet more than the octets hold */
    expect(b, sizeof deliver, SSGW_SMS_TO_MS, SSGW_E_TRUNCATED, "TP-UD", 19);
    memcpy(b, deliver, sizeof deliver);
    b[sizeof deliver] = 0x00; /* an octet left over */
    expect(b, sizeof deliver + 1, SSGW_SMS_TO_MS, SSGW_E_BAD_LENGTH, "TP-UDL", 18);
    b[18] = 161;
    expect(b, sizeof deliver, SSGW_SMS_TO_MS, SSGW_E_BAD_LENGTH, "TP-UDL", 18);
    memcpy(b, deliver, sizeof deliver);
    b[1] = 21; /* 21 digits */
    expect(b, sizeof deliver, SSGW_SMS_TO_MS, SSGW_E_BAD_LENGTH, "TP-OA", 1);
    memcpy(b, deliver, sizeof deliver);
    b[8] = 0x1f; /* a filler inside the counted digits */
    expect(b, sizeof deliver, SSGW_SMS_TO_MS, SSGW_E_BAD_VALUE, "TP-OA", 8);
    /* 8-bit user data after OA "1", PID 0, DCS 4, SCTS: header shapes */
#define HDR 0x44, 0x01, 0x80, 0xf1, 0x00, 0x04, 0x42, 0x10, 0x21, 0x21, 0x43, 0x65, 0x00
    const uint8_t udh_long[] = {HDR, 0x02, 0x06, 0x01};                     /* UDHL 6 in 2 octets */
    const uint8_t ie_past[] = {HDR, 0x03, 0x02, 0x00, 0x05};                /* IE of 5 in 2 */
    const uint8_t ie_cut[] = {HDR, 0x02, 0x01, 0x00};                       /* IEI without length */
    const uint8_t concat_bad[] = {HDR, 0x05, 0x04, 0x00, 0x02, 0x01, 0x01}; /* length 2 */
    const uint8_t header_ok[] = {HDR, 0x06, 0x05, 0x00, 0x03, 0x01, 0x02, 0x01};
    expect(udh_long, sizeof udh_long, SSGW_SMS_TO_MS, SSGW_E_BAD_LENGTH, "TP-UDHL", 14);
    expect(ie_past, sizeof ie_past, SSGW_SMS_TO_MS, SSGW_E_BAD_LENGTH, "TP-UDH", 16);
    expect(ie_cut, sizeof ie_cut, SSGW_SMS_TO_MS, SSGW_E_BAD_LENGTH, "TP-UDH", 15);
    expect(concat_bad, sizeof concat_bad, SSGW_SMS_TO_MS, SSGW_E_BAD_LENGTH, "TP-UDH", 16);
    ssgw_sms_tpdu t;
    ssgw_error e;
    CHECK_INT(ssgw_sms_decode(header_ok, sizeof header_ok, SSGW_SMS_TO_MS, &t, &e), 0);
    CHECK(t.concat && t.concat_seq == 1 && t.text_count == 0);
    CHECK_INT(ssgw_sms_text(&t, (char[8]){0}, 8, NULL), -1); /* 8-bit data: no text */
    /* two concatenation elements: the last is the one a receiver uses (TS 23.040 9.2.3.24,
     * a repeated element's last occurrence) */
    const uint8_t two_concat[] = {HDR,  0x0c, 0x0b, 0x00, 0x03, 0x01, 0x02,
                                  0x01, 0x08, 0x04, 0xbe, 0xef, 0x03, 0x02};
    CHECK_INT(ssgw_sms_decode(two_concat, sizeof two_concat, SSGW_SMS_TO_MS, &t, &e), 0);
    CHECK(t.concat && t.n_concat == 2);
    CHECK_INT(t.concat_ref_bits, 16);
    CHECK_INT(t.concat_ref, 0xbeef);
    CHECK_INT(t.concat_total, 3);
    CHECK_INT(t.concat_seq, 2);
    /* UCS-2 text of an odd number of octets */
    const uint8_t ucs_odd[] = {0x04, 0x01, 0x80, 0xf1, 0x00, 0x08, 0x42, 0x10, 0x21,
                               0x21, 0x43, 0x65, 0x00, 0x03, 0x00, 0x41, 0x00};
    expect(ucs_odd, sizeof ucs_odd, SSGW_SMS_TO_MS, SSGW_E_BAD_LENGTH, "TP-UD", 14);
}

int main(void)
{
    RUN(decode_deliver);
    RUN(decode_submit);
    RUN(concatenation_fill_bits);
    RUN(alphanumeric_sender);
    RUN(ucs2_surrogates);
    RUN(reports_and_status);
    RUN(dcs_groups);
    RUN(malformed);
    return check_summary();
}
