/*
 * test_ber.c - BER reader/writer (X.690) and digit codecs, against hand-made and spec bytes.
 * (The digit decoders against a reference on every short input and random ones: test_digits.c.)
 */
#include "check.h"
#include "ssgw/ber.h"
#include "ssgw/digits.h"
#include "ssgw/tcap.h"

static void ber_definite_short_and_long(void)
{
    uint8_t in[300];
    in[0] = 0x04;
    in[1] = 0x82;
    in[2] = 0x01;
    in[3] = 0x00;
    memset(in + 4, 0xab, 256);
    ssgw_ber_tlv t;
    ssgw_error e;
    CHECK_INT(ssgw_ber_read(in, 260, &t, &e), 0);
    CHECK_INT(t.len, 256);
    CHECK_INT(t.hdr_len, 4);
    CHECK_INT(t.total, 260);
    CHECK_INT(ssgw_ber_read(in, 259, &t, &e), -1);
    CHECK_INT(e.code, SSGW_E_TRUNCATED);
}

static void ber_indefinite(void)
{
    /* SEQUENCE (indefinite) { [0] 01, SEQUENCE (indefinite) { NULL } } EOC */
    uint8_t in[] = {0x30, 0x80, 0x80, 0x01, 0x01, 0x30, 0x80, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00};
    ssgw_ber_tlv t, c;
    ssgw_error e;
    CHECK_INT(ssgw_ber_read(in, sizeof in, &t, &e), 0);
    CHECK(t.indefinite);
    CHECK_INT(t.len, 9);
    CHECK_INT(t.total, sizeof in);
    ssgw_ber_iter it;
    ssgw_ber_iter_init(&it, t.val, t.len);
    CHECK_INT(ssgw_ber_next(&it, &c, &e), 1);
    CHECK(ssgw_ber_is(&c, SSGW_BER_CONTEXT, 0));
    CHECK_INT(ssgw_ber_next(&it, &c, &e), 1);
    CHECK_INT(c.len, 2);
    CHECK_INT(ssgw_ber_next(&it, &c, &e), 0);
    /* missing end-of-contents */
    CHECK_INT(ssgw_ber_read(in, sizeof in - 2, &t, &e), -1);
    /* indefinite on a primitive is refused */
    uint8_t bad[] = {0x04, 0x80, 0x00, 0x00};
    CHECK_INT(ssgw_ber_read(bad, sizeof bad, &t, &e), -1);
    CHECK_INT(e.code, SSGW_E_BAD_LENGTH);
}

static void ber_deep_nesting_bounded(void)
{
    uint8_t in[400];
    for (int i = 0; i < 200; i++) {
        in[2 * i] = 0x30;
        in[2 * i + 1] = 0x80;
    }
    ssgw_ber_tlv t;
    ssgw_error e;
    CHECK_INT(ssgw_ber_read(in, sizeof in, &t, &e), -1);
    CHECK_INT(e.code, SSGW_E_TOO_DEEP);
}

static void ber_high_tag_and_int(void)
{
    uint8_t mem[64];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_ber_put_int(&b, SSGW_BER_CONTEXT, 100, -129);
    /* X.690 8.1.2.4: tag 100 = 0x9f 0x64; -129 = 0xff 0x7f */
    uint8_t want[] = {0x9f, 0x64, 0x02, 0xff, 0x7f};
    CHECK_MEM(b.data, b.len, want, sizeof want);
    ssgw_ber_tlv t;
    ssgw_error e;
    int64_t v;
    CHECK_INT(ssgw_ber_read(b.data, b.len, &t, &e), 0);
    CHECK_INT(t.tag, 100);
    CHECK_INT(ssgw_ber_get_int(&t, &v, "x", &e), 0);
    CHECK_INT(v, -129);
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_ber_put_int(&b, SSGW_BER_UNIVERSAL, 2, 128);
    uint8_t want2[] = {0x02, 0x02, 0x00, 0x80};
    CHECK_MEM(b.data, b.len, want2, sizeof want2);
}

static void ber_open_close_long(void)
{
    uint8_t mem[512], payload[200];
    memset(payload, 7, sizeof payload);
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    size_t m = ssgw_ber_open(&b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE);
    ssgw_ber_put_tlv(&b, SSGW_BER_UNIVERSAL, false, 4, payload, sizeof payload);
    ssgw_ber_close(&b, m);
    CHECK(!b.overflow);
    CHECK_INT(b.len, 1 + 2 + 3 + 200);
    CHECK_INT(mem[1], 0x81);
    CHECK_INT(mem[2], 203);
    ssgw_buf_init(&b, mem, 10);
    ssgw_ber_put_tlv(&b, 0, false, 4, payload, 20);
    CHECK(b.overflow);
}

static void ber_oid(void)
{
    /* MAP networkLocUpContext-v3: 0.4.0.0.1.0.1.3 = 04 00 00 01 00 01 03 */
    uint8_t want[] = {0x04, 0x00, 0x00, 0x01, 0x00, 0x01, 0x03};
    uint8_t out[16];
    char s[64];
    CHECK_INT(ssgw_ber_oid_from_str("0.4.0.0.1.0.1.3", out, sizeof out), 7);
    CHECK_MEM(out, 7, want, 7);
    CHECK_INT(ssgw_ber_oid_to_str(want, 7, s, sizeof s) > 0, 1);
    CHECK_STR(s, "0.4.0.0.1.0.1.3");
    /* dialogue-as-id 0.0.17.773.1.1.1 = 00 11 86 05 01 01 01 */
    uint8_t das[] = {0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01};
    CHECK_INT(ssgw_ber_oid_from_str("0.0.17.773.1.1.1", out, sizeof out), 7);
    CHECK_MEM(out, 7, das, 7);
    CHECK_INT(ssgw_ber_oid_to_str(das, 6, s, sizeof s) > 0, 1); /* ok: ends on a full arc */
    uint8_t trunc[] = {0x00, 0x11, 0x86};
    CHECK_INT(ssgw_ber_oid_to_str(trunc, 3, s, sizeof s), -1);
    CHECK_INT(ssgw_ber_oid_from_str("3.1", out, sizeof out), -1);
    CHECK_INT(ssgw_ber_oid_from_str("1.2.", out, sizeof out), -1);
    CHECK_INT(ssgw_ber_oid_from_str("1.02", out, sizeof out), -1);
    /* X.667 UUID arcs are 128-bit: 2.25.<UUID as integer>.1; bytes from Python's big
     * integers (base 128 by hand) and OpenSSGW's token OID as documented. */
    static const uint8_t uuid_oid[] = {0x69, 0x83, 0x91, 0xc8, 0xe3, 0xc5, 0xb0,
                                       0x8a, 0xba, 0xa6, 0xbf, 0xbc, 0xed, 0xe5,
                                       0xf7, 0xc6, 0xe5, 0x9c, 0xab, 0x1e, 0x01};
    uint8_t big[64];
    const char *uuid_str = "2.25.266888096431808999136834972896771642782.1";
    CHECK_INT(ssgw_ber_oid_from_str(uuid_str, big, sizeof big), (int)sizeof uuid_oid);
    CHECK_MEM(big, sizeof uuid_oid, uuid_oid, sizeof uuid_oid);
    CHECK(ssgw_ber_oid_to_str(uuid_oid, sizeof uuid_oid, s, sizeof s) > 0);
    CHECK_STR(s, uuid_str);
    /* the token OID's text and the octets the decoders compare with, both as above: version
     * 1 is that OID, version 2 (what signers write) differs only in its last arc */
    static const uint8_t token_octets[] = SSGW_TCAP_TOKEN_OID_OCTETS;
    CHECK_STR(SSGW_TCAP_TOKEN_OID_V1, uuid_str);
    CHECK_STR(SSGW_TCAP_TOKEN_OID, "2.25.266888096431808999136834972896771642782.2");
    uint8_t v2[sizeof uuid_oid];
    memcpy(v2, uuid_oid, sizeof v2);
    v2[sizeof v2 - 1] = 0x02;
    CHECK_MEM(token_octets, sizeof token_octets, v2, sizeof v2);
    CHECK_INT(ssgw_tcap_token_oid_version(uuid_oid, sizeof uuid_oid), 1);
    CHECK_INT(ssgw_tcap_token_oid_version(v2, sizeof v2), 2);
    v2[sizeof v2 - 1] = 0x03;
    CHECK_INT(ssgw_tcap_token_oid_version(v2, sizeof v2), 0);
    CHECK_INT(ssgw_tcap_token_oid_version(v2, sizeof v2 - 1), 0);
    /* 2^64 exactly, the first value past the 64-bit path: 2.25.18446744073709551616 */
    CHECK(ssgw_ber_oid_from_str("2.25.18446744073709551616", big, sizeof big) > 0);
    CHECK(ssgw_ber_oid_to_str(big, 11, s, sizeof s) > 0);
    CHECK_STR(s, "2.25.18446744073709551616");
    CHECK_INT(ssgw_ber_oid_from_str("1.2.x", out, sizeof out), -1);
    /* every arc width the 64-bit path reads (1..19 digits: 10^k - 1, 10^k and the largest
     * of 19), the first two arcs' limits, against the text printf makes and base 128 by hand */
    for (int k = 0; k <= 19; k++) {
        uint64_t p10 = 1;
        for (int i = 0; i < k && i < 19; i++)
            p10 *= 10;
        uint64_t vals[3] = {p10 - 1, k < 19 ? p10 : 9999999999999999999ull, p10 + 7};
        for (int j = 0; j < 3; j++) {
            uint64_t v = vals[j];
            char text[48];
            snprintf(text, sizeof text, "1.39.%llu", (unsigned long long)v);
            uint8_t ref[16], rev[16];
            size_t rn = 0, n = 0;
            ref[rn++] = 1 * 40 + 39;
            uint64_t x = v;
            do
                rev[n++] = (uint8_t)(x & 0x7f);
            while ((x >>= 7) != 0);
            while (n--)
                ref[rn++] = (uint8_t)(rev[n] | (n ? 0x80 : 0));
            CHECK_INT(ssgw_ber_oid_from_str(text, out, sizeof out), (int)rn);
            CHECK_MEM(out, rn, ref, rn);
        }
    }
    uint8_t two[] = {2 * 40 + 47}; /* 2.47: one sub-identifier, 127 */
    CHECK_INT(ssgw_ber_oid_from_str("2.47", out, sizeof out), 1);
    CHECK_MEM(out, 1, two, 1);
    CHECK_INT(ssgw_ber_oid_from_str("1.40", out, sizeof out), -1);
    CHECK_INT(ssgw_ber_oid_from_str("0.39.09", out, sizeof out), -1);
}

static void digits_tbcd_bcd(void)
{
    /* IMSI 234150999999999 (TS 29.002 TBCD) = 32 14 05 99 99 99 99 f9 */
    uint8_t want[] = {0x32, 0x14, 0x05, 0x99, 0x99, 0x99, 0x99, 0xf9};
    uint8_t out[16];
    char s[SSGW_DIGITS_MAX + 1];
    CHECK_INT(ssgw_tbcd_encode("234150999999999", out, sizeof out), 8);
    CHECK_MEM(out, 8, want, 8);
    CHECK_INT(ssgw_tbcd_decode(want, 8, s, sizeof s), 15);
    CHECK_STR(s, "234150999999999");
    uint8_t badfill[] = {0xf1, 0x23};
    CHECK_INT(ssgw_tbcd_decode(badfill, 2, s, sizeof s), -1);
    bool odd;
    CHECK_INT(ssgw_bcd_encode("49123", out, sizeof out, &odd), 3);
    CHECK(odd);
    CHECK_INT(out[2], 0x03);
    CHECK_INT(ssgw_bcd_decode(out, 3, true, s, sizeof s), 5);
    CHECK_STR(s, "49123");
    CHECK(ssgw_digits_valid("12*#"));
    CHECK(!ssgw_digits_valid(""));
    CHECK(!ssgw_digits_valid("12x"));
    CHECK_INT(ssgw_e212_mnc_len("310150123456789"), 3);
    CHECK_INT(ssgw_e212_mnc_len("26201"), 2);
}

int main(void)
{
    RUN(ber_definite_short_and_long);
    RUN(ber_indefinite);
    RUN(ber_deep_nesting_bounded);
    RUN(ber_high_tag_and_int);
    RUN(ber_open_close_long);
    RUN(ber_oid);
    RUN(digits_tbcd_bcd);
    return check_summary();
}
