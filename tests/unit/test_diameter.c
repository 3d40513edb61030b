/*
 * test_diameter.c - the Diameter codec (include/ssgw/diameter.h): a hand-built
 * Update-Location-Request checked against tshark, the encoder rebuilding it byte
 * for byte, every malformation named with its field and offset, truncation at
 * every length, bounded nesting, the dictionary's tables, the policy fields, the
 * view and the firewall's handling of Diameter, and the simulator's coverage of
 * every command.
 */
#include <stdlib.h>

#include "check.h"
#include "ssgw/diameter.h"
#include "ssgw/firewall.h"
#include "ssgw/gen.h"
#include "ssgw/policy.h"
#include "ssgw/view.h"

/*
 * ULR (RFC 6733 3 header; TS 29.272 7.2.3), laid out by hand from the specifications.
 * tshark 4.0 (text2pcap -S 40002,3868,46) shows: 3GPP-Update-Location Request(316),
 * flags R P, Session-Id "mme.example.net;1;2", e212.imsi 208011234567890, Visited-PLMN-Id
 * MCC 234 MNC 15, RAT-Type 1004 (EUTRAN), ULR-Flags 34, IMEI 35123456789012,
 * Route-Record dra.example.net; no expert information.
 */
static const uint8_t ulr[] = {
    /* header: version 1, length 284, flags R P, code 316, S6a, hbh, e2e */
    0x01, 0x00, 0x01, 0x1c, 0xc0, 0x00, 0x01, 0x3c, 0x01, 0x00, 0x00, 0x23, 0x12, 0x34, 0x56, 0x78,
    0x9a, 0xbc, 0xde, 0xf0,
    /* 20: Session-Id (263), M, length 27, padded */
    0x00, 0x00, 0x01, 0x07, 0x40, 0x00, 0x00, 0x1b, 0x6d, 0x6d, 0x65, 0x2e, 0x65, 0x78, 0x61, 0x6d,
    0x70, 0x6c, 0x65, 0x2e, 0x6e, 0x65, 0x74, 0x3b, 0x31, 0x3b, 0x32, 0x00,
    /* 48: Auth-Session-State (277) = 1 */
    0x00, 0x00, 0x01, 0x15, 0x40, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01,
    /* 60: Origin-Host (264) mme.example.net */
    0x00, 0x00, 0x01, 0x08, 0x40, 0x00, 0x00, 0x17, 0x6d, 0x6d, 0x65, 0x2e, 0x65, 0x78, 0x61, 0x6d,
    0x70, 0x6c, 0x65, 0x2e, 0x6e, 0x65, 0x74, 0x00,
    /* 84: Origin-Realm (296) example.net */
    0x00, 0x00, 0x01, 0x28, 0x40, 0x00, 0x00, 0x13, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x2e,
    0x6e, 0x65, 0x74, 0x00,
    /* 104: Destination-Realm (283) epc.mnc001.mcc208.3gppnetwork.org */
    0x00, 0x00, 0x01, 0x1b, 0x40, 0x00, 0x00, 0x29, 0x65, 0x70, 0x63, 0x2e, 0x6d, 0x6e, 0x63, 0x30,
    0x30, 0x31, 0x2e, 0x6d, 0x63, 0x63, 0x32, 0x30, 0x38, 0x2e, 0x33, 0x67, 0x70, 0x70, 0x6e, 0x65,
    0x74, 0x77, 0x6f, 0x72, 0x6b, 0x2e, 0x6f, 0x72, 0x67, 0x00, 0x00, 0x00,
    /* 148: User-Name (1) 208011234567890 */
    0x00, 0x00, 0x00, 0x01, 0x40, 0x00, 0x00, 0x17, 0x32, 0x30, 0x38, 0x30, 0x31, 0x31, 0x32, 0x33,
    0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x30, 0x00,
    /* 172: Terminal-Information (1401, V M, 3GPP) { IMEI (1402) 35123456789012 } */
    0x00, 0x00, 0x05, 0x79, 0xc0, 0x00, 0x00, 0x28, 0x00, 0x00, 0x28, 0xaf, 0x00, 0x00, 0x05, 0x7a,
    0xc0, 0x00, 0x00, 0x1a, 0x00, 0x00, 0x28, 0xaf, 0x33, 0x35, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36,
    0x37, 0x38, 0x39, 0x30, 0x31, 0x32, 0x00, 0x00,
    /* 212: RAT-Type (1032, V) = 1004 */
    0x00, 0x00, 0x04, 0x08, 0x80, 0x00, 0x00, 0x10, 0x00, 0x00, 0x28, 0xaf, 0x00, 0x00, 0x03, 0xec,
    /* 228: ULR-Flags (1405) = 0x22 */
    0x00, 0x00, 0x05, 0x7d, 0xc0, 0x00, 0x00, 0x10, 0x00, 0x00, 0x28, 0xaf, 0x00, 0x00, 0x00, 0x22,
    /* 244: Visited-PLMN-Id (1407) 32 f4 51 = MCC 234, MNC 15 */
    0x00, 0x00, 0x05, 0x7f, 0xc0, 0x00, 0x00, 0x0f, 0x00, 0x00, 0x28, 0xaf, 0x32, 0xf4, 0x51, 0x00,
    /* 260: Route-Record (282) dra.example.net */
    0x00, 0x00, 0x01, 0x1a, 0x40, 0x00, 0x00, 0x17, 0x64, 0x72, 0x61, 0x2e, 0x65, 0x78, 0x61, 0x6d,
    0x70, 0x6c, 0x65, 0x2e, 0x6e, 0x65, 0x74, 0x00};

#define G3 SSGW_DIAM_VENDOR_3GPP

static bool str_is(ssgw_diam_str s, const char *want)
{
    return s.p && s.len == strlen(want) && memcmp(s.p, want, s.len) == 0;
}

static void ulr_vector_decodes(void)
{
    ssgw_diam_msg m;
    ssgw_error e;
    CHECK_INT(sizeof ulr, 284);
    CHECK_INT(ssgw_diam_decode(ulr, sizeof ulr, &m, &e), 0);
    CHECK_INT(m.version, 1);
    CHECK_INT(m.len, 284);
    CHECK_INT(m.flags, SSGW_DIAM_FLAG_R | SSGW_DIAM_FLAG_P);
    CHECK(ssgw_diam_is_request(&m));
    CHECK_INT(m.code, SSGW_DIAM_CMD_UPDATE_LOCATION);
    CHECK_INT(m.app_id, SSGW_DIAM_APP_S6A);
    CHECK_INT(m.hbh, 0x12345678);
    CHECK_INT(m.e2e, 0x9abcdef0);
    CHECK_INT(m.n_avps, 11);
    CHECK_INT(m.depth, 1);
    CHECK_INT(m.n_unknown, 0);
    CHECK_STR(ssgw_diam_cmd_abbrev(m.code, true), "ULR");

    /* top-level iteration: codes, vendors, offsets, values without padding */
    static const uint32_t codes[] = {263, 277, 264, 296, 283, 1, 1401, 1032, 1405, 1407, 282};
    static const size_t offs[] = {20, 48, 60, 84, 104, 148, 172, 212, 228, 244, 260};
    ssgw_diam_iter it;
    ssgw_diam_iter_msg(&it, &m);
    ssgw_diam_avp a;
    unsigned n = 0;
    while (ssgw_diam_next(&it, &a, &e) == 1 && n < 11) {
        CHECK_INT(a.code, codes[n]);
        CHECK_INT(a.offset, offs[n]);
        CHECK(a.def != NULL);
        n++;
    }
    CHECK_INT(n, 11);
    ssgw_diam_iter_msg(&it, &m);
    CHECK(ssgw_diam_find(it, SSGW_DIAM_AVP_SESSION_ID, 0, &a));
    CHECK_MEM(a.data, a.len, "mme.example.net;1;2", 19);
    CHECK(ssgw_diam_find(it, SSGW_DIAM_AVP_RAT_TYPE, G3, &a));
    CHECK_INT(a.flags, SSGW_DIAM_AVP_V);
    uint32_t v = 0;
    CHECK_INT(ssgw_diam_avp_u32(&a, &v), 0);
    CHECK_INT(v, 1004);
    CHECK(!ssgw_diam_find(it, SSGW_DIAM_AVP_RAT_TYPE, 0, &a)); /* vendor matters */
    CHECK(ssgw_diam_find(it, SSGW_DIAM_AVP_TERMINAL_INFORMATION, G3, &a));
    ssgw_diam_iter in;
    ssgw_diam_iter_group(&in, &a);
    ssgw_diam_avp imei;
    CHECK(ssgw_diam_find(in, SSGW_DIAM_AVP_IMEI, G3, &imei));
    CHECK_INT(imei.offset, 184);
    CHECK_MEM(imei.data, imei.len, "35123456789012", 14);

    ssgw_diam_fields f;
    CHECK_INT(ssgw_diam_fields_decode(&m, &f, &e), 0);
    CHECK(str_is(f.session_id, "mme.example.net;1;2"));
    CHECK(str_is(f.origin_host, "mme.example.net"));
    CHECK(str_is(f.origin_realm, "example.net"));
    CHECK(!f.dest_host.p);
    CHECK(str_is(f.dest_realm, "epc.mnc001.mcc208.3gppnetwork.org"));
    CHECK_STR(f.imsi, "208011234567890");
    CHECK_STR(f.visited_plmn, "234-15");
    CHECK_INT(f.rat_type, 1004);
    CHECK_INT(f.ulr_flags, 0x22);
    CHECK_INT(f.idr_flags, -1);
    CHECK_STR(f.imei, "35123456789012");
    CHECK_INT(f.n_route_record, 1);
    CHECK(str_is(f.route_record[0], "dra.example.net"));
    CHECK_INT(f.result_code, -1);
    CHECK_INT(f.auth_app_id, -1);
    char tmp[64];
    int64_t num = 0;
    CHECK_STR(ssgw_diam_field_get(&f, SSGW_DIAM_F_RAT_TYPE, tmp, sizeof tmp, &num), "1004");
    CHECK_INT(num, 1004);
    CHECK_STR(ssgw_diam_field_value_name(SSGW_DIAM_F_RAT_TYPE, num), "EUTRAN");
    CHECK(ssgw_diam_field_get(&f, SSGW_DIAM_F_RESULT_CODE, tmp, sizeof tmp, NULL) == NULL);
    CHECK_STR(ssgw_diam_field_get(&f, SSGW_DIAM_F_ORIGIN_HOST, tmp, 8, NULL), "mme.exa");
    CHECK_STR(ssgw_diam_field_name(SSGW_DIAM_F_IMSI), "imsi");
    CHECK_STR(ssgw_diam_field_wireshark(SSGW_DIAM_F_IMSI), "e212.imsi");
}

/* The encoder, given the same AVPs, writes exactly the hand-built vector. */
static void encoder_rebuilds_vector(void)
{
    uint8_t mem[512];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R | SSGW_DIAM_FLAG_P, 316, SSGW_DIAM_APP_S6A,
                        0x12345678, 0x9abcdef0);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_SESSION_ID, 0, "mme.example.net;1;2");
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_AUTH_SESSION_STATE, 0, 1);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, "mme.example.net");
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, "example.net");
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_DESTINATION_REALM, 0, "epc.mnc001.mcc208.3gppnetwork.org");
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_USER_NAME, 0, "208011234567890");
    ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_TERMINAL_INFORMATION, G3);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_IMEI, G3, "35123456789012");
    ssgw_diam_enc_group_end(&e);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_RAT_TYPE, G3, 1004);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_ULR_FLAGS, G3, 0x22);
    static const uint8_t plmn[3] = {0x32, 0xf4, 0x51};
    ssgw_diam_enc_avp(&e, SSGW_DIAM_AVP_VISITED_PLMN_ID, G3, plmn, 3);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ROUTE_RECORD, 0, "dra.example.net");
    CHECK_INT(ssgw_diam_enc_end(&e), sizeof ulr);
    CHECK_MEM(b.data, b.len, ulr, sizeof ulr);
}

static void encoder_refusals(void)
{
    uint8_t mem[64];
    ssgw_buf b;
    ssgw_diam_enc e;
    /* an AVP the dictionary does not know needs explicit flags */
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R, 280, 0, 1, 2);
    ssgw_diam_enc_u32(&e, 9999, 0, 1);
    CHECK_INT(ssgw_diam_enc_end(&e), -1);
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R, 280, 0, 1, 2);
    ssgw_diam_enc_avp_flags(&e, 9999, 0, 0, "ab", 2);
    CHECK_INT(ssgw_diam_enc_end(&e), 32);
    /* a group left open, a group closed twice, the buffer too small */
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_diam_enc_begin(&e, &b, 0, 316, SSGW_DIAM_APP_S6A, 1, 2);
    ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_AMBR, G3);
    CHECK_INT(ssgw_diam_enc_end(&e), -1);
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_diam_enc_begin(&e, &b, 0, 316, SSGW_DIAM_APP_S6A, 1, 2);
    ssgw_diam_enc_group_end(&e);
    CHECK_INT(ssgw_diam_enc_end(&e), -1);
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_diam_enc_begin(&e, &b, 0, 316, SSGW_DIAM_APP_S6A, 1, 2);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0,
                      "a-name-longer-than-the-buffer.example.org");
    CHECK_INT(ssgw_diam_enc_end(&e), -1);
    /* nesting beyond the bound */
    uint8_t big[512];
    ssgw_buf_init(&b, big, sizeof big);
    ssgw_diam_enc_begin(&e, &b, 0, 316, SSGW_DIAM_APP_S6A, 1, 2);
    for (int i = 0; i <= SSGW_DIAM_MAX_DEPTH; i++)
        ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_PROXY_INFO, 0);
    CHECK(e.failed);
}

static uint8_t work[sizeof ulr + 64];

/* Decodes a copy of the vector edited at `at` (n octets) and returns the error. */
static ssgw_error edited(size_t at, const uint8_t *bytes, size_t n, size_t len)
{
    memcpy(work, ulr, sizeof ulr);
    if (n) memcpy(work + at, bytes, n);
    ssgw_diam_msg m;
    ssgw_error e = {0};
    if (ssgw_diam_decode(work, len, &m, &e) == 0) e.code = SSGW_E_OK;
    return e;
}

static bool err_is(ssgw_error e, ssgw_errcode code, const char *field, size_t off)
{
    bool ok = e.layer == SSGW_LAYER_DIAMETER && e.code == code && e.field &&
              !strcmp(e.field, field) && e.offset == off;
    if (!ok)
        fprintf(stderr, "  got %s/%s/%s at %zu\n", ssgw_layer_name(e.layer),
                ssgw_errcode_name(e.code), e.field ? e.field : "-", e.offset);
    return ok;
}

static void malformations_named(void)
{
    const size_t L = sizeof ulr;
    CHECK(err_is(edited(0, (const uint8_t[]){2}, 1, L), SSGW_E_BAD_VALUE, "version", 0));
    CHECK(err_is(edited(1, (const uint8_t[]){0, 1, 0x1e}, 3, L), SSGW_E_BAD_LENGTH,
                 "message length", 1)); /* not a multiple of 4 */
    CHECK(err_is(edited(1, (const uint8_t[]){0, 0, 16}, 3, L), SSGW_E_BAD_LENGTH, "message length",
                 1)); /* below the header */
    CHECK(err_is(edited(0, NULL, 0, L - 4), SSGW_E_TRUNCATED, "message length", 1));
    CHECK(err_is(edited(1, (const uint8_t[]){0, 1, 0x18}, 3, L), SSGW_E_BAD_LENGTH,
                 "message length", 1)); /* shorter than the buffer: trailing octets */
    CHECK(err_is(edited(4, (const uint8_t[]){0xa0}, 1, L), SSGW_E_BAD_VALUE, "command flags",
                 4)); /* R with E */
    CHECK(err_is(edited(4, (const uint8_t[]){0x81}, 1, L), SSGW_E_BAD_VALUE, "command flags",
                 4)); /* reserved bit */
    CHECK(err_is(edited(0, NULL, 0, 19), SSGW_E_TRUNCATED, "header", 19));
    /* AVP header problems: length below the header, past the message, reserved flags */
    CHECK(err_is(edited(20 + 5, (const uint8_t[]){0, 0, 7}, 3, L), SSGW_E_BAD_LENGTH, "avp length",
                 25));
    CHECK(err_is(edited(260 + 5, (const uint8_t[]){0, 0, 0x30}, 3, L), SSGW_E_TRUNCATED,
                 "avp length", 265));
    /* Terminal-Information one octet short: its IMEI's padding passes the group's end */
    CHECK(err_is(edited(172 + 5, (const uint8_t[]){0, 0, 0x27}, 3, L), SSGW_E_TRUNCATED,
                 "avp padding", 210));
    CHECK(err_is(edited(48 + 4, (const uint8_t[]){0x48}, 1, L), SSGW_E_BAD_VALUE, "avp flags", 52));
    /* a vendor flag on an AVP too short for the vendor id */
    CHECK(err_is(edited(48 + 4, (const uint8_t[]){0xc0, 0, 0, 8}, 4, L), SSGW_E_BAD_LENGTH,
                 "avp length", 53));
    /* a fixed-size value of the wrong size: RAT-Type with 8 octets (the AVP grows into
     * ULR-Flags, which becomes its data) */
    CHECK(err_is(edited(212 + 5, (const uint8_t[]){0, 0, 0x14}, 3, L), SSGW_E_BAD_LENGTH,
                 "RAT-Type", 224));
    /* inside a Grouped AVP: IMEI running past Terminal-Information */
    CHECK(err_is(edited(184 + 5, (const uint8_t[]){0, 0, 0x30}, 3, L), SSGW_E_TRUNCATED,
                 "avp length", 189));
    /* the message is fine again */
    CHECK_INT(edited(0, NULL, 0, L).code, SSGW_E_OK);
}

static void truncation_everywhere(void)
{
    for (size_t n = 0; n < sizeof ulr; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, ulr, n);
        ssgw_diam_msg m;
        ssgw_error e;
        CHECK_INT(ssgw_diam_decode(copy, n, &m, &e), -1);
        CHECK_INT(e.layer, SSGW_LAYER_DIAMETER);
        free(copy);
    }
}

/* Grouped AVPs nested SSGW_DIAM_MAX_DEPTH deep decode; one more is refused. */
static size_t nested(uint8_t *out, size_t cap, int depth)
{
    ssgw_buf b;
    ssgw_buf_init(&b, out, cap);
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R, 280, 0, 1, 2);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, "a.example");
    for (int i = 0; i < depth; i++) /* Proxy-Info is Grouped: used here for its shape only */
        ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_PROXY_INFO, 0);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_PROXY_HOST, 0, "p.example");
    for (int i = 0; i < depth; i++)
        ssgw_diam_enc_group_end(&e);
    long n = ssgw_diam_enc_end(&e);
    return n < 0 ? 0 : (size_t)n;
}

static void nesting_bounded(void)
{
    uint8_t mem[1024];
    ssgw_diam_msg m;
    ssgw_error e;
    size_t n = nested(mem, sizeof mem, SSGW_DIAM_MAX_DEPTH);
    CHECK(n > 0);
    CHECK_INT(ssgw_diam_decode(mem, n, &m, &e), 0);
    CHECK_INT(m.depth, SSGW_DIAM_MAX_DEPTH);
    /* one level more, written by hand: wrap the innermost group's content in another */
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_diam_enc enc;
    ssgw_diam_enc_begin(&enc, &b, SSGW_DIAM_FLAG_R, 280, 0, 1, 2);
    uint8_t inner[512];
    size_t in_len = 0;
    /* innermost: Proxy-Info { Proxy-Host } as raw octets, then wrapped depth times */
    ssgw_buf ib;
    ssgw_buf_init(&ib, inner, sizeof inner);
    ssgw_diam_enc ie;
    ssgw_diam_enc_begin(&ie, &ib, 0, 0, 0, 0, 0);
    ssgw_diam_enc_str(&ie, SSGW_DIAM_AVP_PROXY_HOST, 0, "p.example");
    in_len = ib.len - SSGW_DIAM_HEADER_LEN;
    uint8_t layer[600];
    memcpy(layer, inner + SSGW_DIAM_HEADER_LEN, in_len);
    for (int i = 0; i < SSGW_DIAM_MAX_DEPTH + 1; i++) {
        uint8_t tmp[600];
        ssgw_buf tb;
        ssgw_buf_init(&tb, tmp, sizeof tmp);
        ssgw_diam_enc te;
        ssgw_diam_enc_begin(&te, &tb, 0, 0, 0, 0, 0);
        ssgw_diam_enc_avp(&te, SSGW_DIAM_AVP_PROXY_INFO, 0, layer, in_len);
        in_len = tb.len - SSGW_DIAM_HEADER_LEN;
        memcpy(layer, tmp + SSGW_DIAM_HEADER_LEN, in_len);
    }
    ssgw_diam_enc_avp(&enc, SSGW_DIAM_AVP_PROXY_INFO, 0, layer, in_len);
    long len = ssgw_diam_enc_end(&enc);
    CHECK(len > 0);
    CHECK_INT(ssgw_diam_decode(mem, (size_t)len, &m, &e), -1);
    CHECK_INT(e.code, SSGW_E_TOO_DEEP);
    CHECK_STR(e.field, "Proxy-Info");
}

static void unknown_avps_kept(void)
{
    uint8_t mem[128];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R, 280, 0, 1, 2);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, "a.example");
    ssgw_diam_enc_avp_flags(&e, 4242, 99, SSGW_DIAM_AVP_M, "xyz", 3);
    long n = ssgw_diam_enc_end(&e);
    ssgw_diam_msg m;
    ssgw_error err;
    CHECK_INT(ssgw_diam_decode(mem, (size_t)n, &m, &err), 0);
    CHECK_INT(m.n_unknown, 1);
    ssgw_diam_iter it;
    ssgw_diam_iter_msg(&it, &m);
    ssgw_diam_avp a;
    CHECK(ssgw_diam_find(it, 4242, 99, &a));
    CHECK(a.def == NULL);
    CHECK_INT(a.flags, SSGW_DIAM_AVP_V | SSGW_DIAM_AVP_M);
    CHECK_MEM(a.data, a.len, "xyz", 3);
}

static void dictionary_tables(void)
{
    size_t n = ssgw_diam_avp_def_count();
    CHECK(n > 90);
    for (size_t i = 0; i < n; i++) {
        const ssgw_diam_avp_def *d = ssgw_diam_avp_def_at(i);
        if (i > 0) { /* sorted by (vendor, code), no duplicates: the lookup is a bisection */
            const ssgw_diam_avp_def *p = ssgw_diam_avp_def_at(i - 1);
            CHECK(p->vendor < d->vendor || (p->vendor == d->vendor && p->code < d->code));
        }
        CHECK(ssgw_diam_avp_def_find(d->code, d->vendor) == d);
        CHECK((d->must & d->must_not) == 0);
        /* V follows the vendor id; a definition's own flags keep its rules */
        CHECK(((d->must & SSGW_DIAM_AVP_V) != 0) == (d->vendor != 0));
        CHECK(ssgw_diam_avp_flags_ok(d, d->must));
        CHECK(strcmp(ssgw_diam_type_name(d->type), "?") != 0);
    }
    CHECK(ssgw_diam_avp_def_find(1407, 0) == NULL);
    CHECK_STR(ssgw_diam_avp_def_find(1407, G3)->name, "Visited-PLMN-Id");
    const ssgw_diam_avp_def *rat = ssgw_diam_avp_def_find(1032, G3);
    CHECK(!ssgw_diam_avp_flags_ok(rat, SSGW_DIAM_AVP_V | SSGW_DIAM_AVP_M)); /* M must not */
    CHECK(!ssgw_diam_avp_flags_ok(rat, 0));                                 /* V must */
    CHECK(!ssgw_diam_avp_flags_ok(rat, SSGW_DIAM_AVP_V | 0x01));            /* reserved */
    /* the commands: base CER/DWR/DPR and S6a/S6d 316..323, each with its abbreviations */
    CHECK_INT(ssgw_diam_cmd_count(), 11);
    static const char *const req[] = {"CER", "DWR", "DPR", "ULR", "CLR", "AIR",
                                      "IDR", "DSR", "PUR", "RSR", "NOR"};
    for (size_t i = 0; i < ssgw_diam_cmd_count(); i++) {
        const ssgw_diam_cmd_def *c = ssgw_diam_cmd_at(i);
        CHECK_STR(c->request, req[i]);
        CHECK_INT(c->answer[2], 'A');
        CHECK_INT(memcmp(c->request, c->answer, 2), 0);
        CHECK(ssgw_diam_app_name(c->app) != NULL);
    }
    CHECK(ssgw_diam_cmd_abbrev(999, true) == NULL);
    CHECK_STR(ssgw_diam_cmd_abbrev(318, false), "AIA");
    CHECK_STR(ssgw_diam_app_name(16777251), "3GPP S6a/S6d");
    CHECK_STR(ssgw_diam_enum_name(298, 0, 5004), "DIAMETER_ERROR_ROAMING_NOT_ALLOWED");
    CHECK_STR(ssgw_diam_enum_name(1420, G3, 2), "SUBSCRIPTION_WITHDRAWAL");
    CHECK(ssgw_diam_enum_name(1420, 0, 2) == NULL);
}

static void peek_length(void)
{
    CHECK_INT(ssgw_diam_peek_length(ulr, sizeof ulr, 65536, true), 284);
    CHECK_INT(ssgw_diam_peek_length(ulr, 5, 65536, false), 284);
    CHECK_INT(ssgw_diam_peek_length(ulr, 4, 65536, false), 0);
    CHECK_INT(ssgw_diam_peek_length(ulr, sizeof ulr, 200, true), 0); /* above the cap */
    uint8_t h[20];
    memcpy(h, ulr, 20);
    h[7] = 0x99; /* command 0x199: not in the dictionary */
    CHECK_INT(ssgw_diam_peek_length(h, 20, 65536, true), 0);
    CHECK_INT(ssgw_diam_peek_length(h, 20, 65536, false), 284);
    h[4] = 0xa0; /* R with E */
    CHECK_INT(ssgw_diam_peek_length(h, 20, 65536, false), 0);
}

/* An answer with what Subscription-Data carries, and an Experimental-Result. */
static void answer_fields(void)
{
    uint8_t mem[1024];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_P, 316, SSGW_DIAM_APP_S6A, 7, 8);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_SESSION_ID, 0, "s;1");
    ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_EXPERIMENTAL_RESULT, 0);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_VENDOR_ID, 0, G3);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_EXPERIMENTAL_RESULT_CODE, 0, 5004);
    ssgw_diam_enc_group_end(&e);
    ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_SUBSCRIPTION_DATA, G3);
    /* MSISDN 33612345678, TBCD (TS 29.329 6.3.2): 33 16 32 54 76 f8 */
    static const uint8_t msisdn[] = {0x33, 0x16, 0x32, 0x54, 0x76, 0xf8};
    ssgw_diam_enc_avp(&e, SSGW_DIAM_AVP_MSISDN, G3, msisdn, sizeof msisdn);
    ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_AMBR, G3);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_MAX_REQUESTED_BANDWIDTH_UL, G3, 1000);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_MAX_REQUESTED_BANDWIDTH_DL, G3, 2000);
    ssgw_diam_enc_group_end(&e);
    ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_APN_CONFIGURATION_PROFILE, G3);
    for (int i = 0; i < 10; i++) {
        ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_APN_CONFIGURATION, G3);
        ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_SERVICE_SELECTION, 0, i ? "ims" : "internet");
        /* an APN's own AMBR is not the subscriber's */
        ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_AMBR, G3);
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_MAX_REQUESTED_BANDWIDTH_UL, G3, 9);
        ssgw_diam_enc_group_end(&e);
        ssgw_diam_enc_group_end(&e);
    }
    ssgw_diam_enc_group_end(&e);
    ssgw_diam_enc_group_end(&e);
    /* a Visited-PLMN-Id with a 3-digit MNC: 310-410 = 13 00 14 */
    static const uint8_t plmn[3] = {0x13, 0x00, 0x14};
    ssgw_diam_enc_avp(&e, SSGW_DIAM_AVP_VISITED_PLMN_ID, G3, plmn, 3);
    for (int i = 0; i < 10; i++)
        ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ROUTE_RECORD, 0, i ? "r.example" : "first.example");
    long n = ssgw_diam_enc_end(&e);
    CHECK(n > 0);
    ssgw_diam_msg m;
    ssgw_diam_fields f;
    ssgw_error err;
    CHECK_INT(ssgw_diam_decode(mem, (size_t)n, &m, &err), 0);
    CHECK_INT(m.depth, 4); /* Subscription-Data > profile > APN-Configuration > AMBR */
    CHECK_INT(ssgw_diam_fields_decode(&m, &f, &err), 0);
    CHECK_INT(f.result_code, -1);
    CHECK_INT(f.exp_result_code, 5004);
    CHECK_INT(f.exp_result_vendor, G3);
    CHECK_STR(f.msisdn, "33612345678");
    CHECK_INT(f.ambr_ul, 1000);
    CHECK_INT(f.ambr_dl, 2000);
    CHECK_INT(f.n_apn, SSGW_DIAM_MAX_APNS);
    CHECK_INT(f.apn_total, 10);
    CHECK(str_is(f.apn[0], "internet"));
    CHECK(str_is(f.apn[1], "ims"));
    CHECK_STR(f.visited_plmn, "310-410");
    CHECK_INT(f.n_route_record, SSGW_DIAM_MAX_ROUTE_RECORDS);
    CHECK_INT(f.route_record_total, 10);
    CHECK(str_is(f.route_record[0], "first.example"));
    CHECK(f.imsi[0] == '\0');
}

/* A User-Name that is not an IMSI is kept as the user name only. */
static void user_name_not_imsi(void)
{
    uint8_t mem[128];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R, 316, SSGW_DIAM_APP_S6A, 1, 2);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_USER_NAME, 0, "alice@example.org");
    long n = ssgw_diam_enc_end(&e);
    ssgw_diam_msg m;
    ssgw_diam_fields f;
    CHECK_INT(ssgw_diam_decode(mem, (size_t)n, &m, NULL), 0);
    ssgw_error err;
    memset(&err, 0, sizeof err);
    /* in S6a it must be one: refused, the fields filled all the same */
    CHECK_INT(ssgw_diam_fields_decode(&m, &f, &err), -1);
    CHECK(err.field && !strcmp(err.field, "User-Name (an IMSI)"));
    CHECK(str_is(f.user_name, "alice@example.org"));
    CHECK_STR(f.imsi, "");
    /* in another application it is only a user name */
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R, 316, 4, 1, 2);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_USER_NAME, 0, "alice@example.org");
    n = ssgw_diam_enc_end(&e);
    CHECK_INT(ssgw_diam_decode(mem, (size_t)n, &m, NULL), 0);
    CHECK_INT(ssgw_diam_fields_decode(&m, &f, &err), 0);
}

/* An S6a request the policy could not judge as the HSS or MME acts on it is refused with a
 * named field (TS 29.272 7.2: single AVPs once, User-Name the IMSI, Visited-PLMN-Id 3 octets,
 * both mandatory in ULR / AIR): a User-Name of 16 digits, NUL- or space-padded (a peer that
 * truncates to 15 acts on our subscriber), a second Origin-Realm or User-Name (a peer that
 * keeps the last acts on an unscreened one), a 4-octet Visited-PLMN-Id (a peer that reads 3).
 * The well-formed request decodes. */
typedef struct {
    const char *user;   /* NULL: no User-Name */
    size_t user_len;    /* 0: strlen */
    const char *user2;  /* a second User-Name, or NULL */
    const char *realm2; /* a second Origin-Realm, or NULL */
    size_t plmn_len;    /* 0: no Visited-PLMN-Id */
    bool plmn2;         /* a second one */
    uint32_t cmd;
    const char *field; /* the refusal's field; NULL: decodes */
} s6a_case;

static void s6a_refusals(void)
{
    static const s6a_case cases[] = {
        {"234910000000001", 0, NULL, NULL, 3, false, 316, NULL},
        {"234910000000001", 0, NULL, NULL, 3, false, 318, NULL},
        {"234910000000001", 0, NULL, NULL, 0, false, 317, NULL}, /* CLR: no PLMN needed */
        {"2349100000000019", 0, NULL, NULL, 3, false, 316, "User-Name (an IMSI)"},
        {"234910000000001\0", 16, NULL, NULL, 0, false, 317, "User-Name (an IMSI)"},
        {"234910000000001 ", 0, NULL, NULL, 0, false, 319, "User-Name (an IMSI)"},
        {"23491", 0, NULL, NULL, 0, false, 320, "User-Name (an IMSI)"},
        {"234910000000001", 0, "639020000000001", NULL, 3, false, 316, "User-Name"},
        {"234910000000001", 0, NULL, "epc.mnc999.mcc999.3gppnetwork.org", 3, false, 316,
         "Origin-Realm"},
        {"234910000000001", 0, NULL, NULL, 4, false, 318, "Visited-PLMN-Id"},
        {"234910000000001", 0, NULL, NULL, 2, false, 316, "Visited-PLMN-Id"},
        {"234910000000001", 0, NULL, NULL, 3, true, 318, "Visited-PLMN-Id"},
        {"234910000000001", 0, NULL, NULL, 0, false, 316, "Visited-PLMN-Id"}, /* missing */
        {NULL, 0, NULL, NULL, 0, false, 317, "User-Name"},                    /* missing */
        {NULL, 0, NULL, NULL, 3, false, 321, "User-Name"},
    };
    static const uint8_t plmn[4] = {0x36, 0xf9, 0x20, 0x00}; /* 639-02 */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const s6a_case *c = &cases[i];
        uint8_t mem[512];
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        ssgw_diam_enc e;
        ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R | SSGW_DIAM_FLAG_P, c->cmd, SSGW_DIAM_APP_S6A,
                            1, 2);
        ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_SESSION_ID, 0, "mme.epc.mnc002.mcc639;1;2");
        ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0,
                          "mme.epc.mnc002.mcc639.3gppnetwork.org");
        ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, "epc.mnc002.mcc639.3gppnetwork.org");
        if (c->realm2) ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, c->realm2);
        ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_DESTINATION_REALM, 0,
                          "epc.mnc091.mcc234.3gppnetwork.org");
        if (c->user)
            ssgw_diam_enc_avp(&e, SSGW_DIAM_AVP_USER_NAME, 0, (const uint8_t *)c->user,
                              c->user_len ? c->user_len : strlen(c->user));
        if (c->user2) ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_USER_NAME, 0, c->user2);
        if (c->plmn_len)
            ssgw_diam_enc_avp(&e, SSGW_DIAM_AVP_VISITED_PLMN_ID, G3, plmn, c->plmn_len);
        if (c->plmn2) ssgw_diam_enc_avp(&e, SSGW_DIAM_AVP_VISITED_PLMN_ID, G3, plmn, 3);
        long n = ssgw_diam_enc_end(&e);
        CHECK(n > 0);
        ssgw_diam_msg m;
        ssgw_diam_fields f;
        ssgw_error err;
        memset(&err, 0, sizeof err);
        CHECK_INT(ssgw_diam_decode(mem, (size_t)n, &m, &err), 0);
        int r = ssgw_diam_fields_decode(&m, &f, &err);
        if (!c->field) {
            CHECK_INT(r, 0);
            CHECK_STR(f.imsi, "234910000000001");
            continue;
        }
        CHECK_INT(r, -1);
        CHECK_INT(err.layer, SSGW_LAYER_DIAMETER);
        if (err.field) CHECK_STR(err.field, c->field);
        CHECK(err.field != NULL);
        CHECK(err.offset <= (size_t)n);
    }
}

static void view_and_decoder(void)
{
    ssgw_decoder *d = ssgw_decoder_new(NULL);
    static ssgw_view v;
    CHECK_INT(ssgw_decoder_run(d, SSGW_CAPTURE_KIND_DIAMETER, ulr, sizeof ulr, 0, &v), 0);
    CHECK(v.has_diameter);
    CHECK(!v.has_m3ua && !v.has_sccp && !v.has_tcap && !v.has_error);
    CHECK_INT(v.input, SSGW_VIEW_IN_DIAMETER);
    CHECK_INT(ssgw_view_diameter(&v), 0);
    CHECK_STR(v.diam.imsi, "208011234567890");
    CHECK_INT(ssgw_view_first_opcode(&v), -1);
    /* a broken one: an error of layer diameter, counted */
    uint8_t bad[sizeof ulr];
    memcpy(bad, ulr, sizeof bad);
    bad[0] = 2;
    CHECK_INT(ssgw_decoder_run(d, SSGW_CAPTURE_KIND_DIAMETER, bad, sizeof bad, 0, &v), -1);
    CHECK(!v.has_diameter && v.has_error);
    CHECK_INT(v.error.layer, SSGW_LAYER_DIAMETER);
    CHECK_STR(ssgw_layer_name(SSGW_LAYER_DIAMETER), "diameter");
    CHECK_INT(ssgw_decoder_get_stats(d)->errors_by_layer[SSGW_LAYER_DIAMETER], 1);
    CHECK_INT(ssgw_decoder_get_stats(d)->decoded, 1);
    /* an SS7 message after it leaves no Diameter behind */
    static const uint8_t aspup[8] = {1, 0, 3, 1, 0, 0, 0, 8};
    CHECK_INT(ssgw_decoder_run(d, SSGW_CAPTURE_KIND_M3UA, aspup, 8, 0, &v), 0);
    CHECK(v.has_m3ua && !v.has_diameter);
    ssgw_decoder_free(d);
}

/* The firewall screens Diameter with its own checks (operator rules speak of SS7 and do not
 * match it): the vector's ULR comes from example.net, the realm of no partner of
 * examples/ssgw.conf; a malformed one is judged like any malformed message. */
/* examples/ssgw.conf with extra appended, loaded (NULL: it did not load, counted). */
static ssgw_policy *example_policy(const char *extra)
{
    FILE *fp = fopen("../examples/ssgw.conf", "rb");
    static char conf[24000];
    size_t n = fp ? fread(conf, 1, sizeof conf - strlen(extra) - 1, fp) : 0;
    if (fp) fclose(fp);
    memcpy(conf + n, extra, strlen(extra) + 1);
    ssgw_config_errors errs;
    ssgw_policy *pol = ssgw_policy_load_string("x.conf", conf, strlen(conf), &errs);
    CHECK(pol != NULL);
    return pol;
}

static void firewall_passes_diameter(void)
{
    ssgw_policy *pol = example_policy("\n[[rule]]\nname = \"drop-all-inbound\"\ndirection = "
                                      "\"inbound\"\naction = \"drop\"\n");
    if (!pol) return;
    ssgw_firewall *fw = ssgw_firewall_new(pol, NULL);
    static ssgw_view v;
    ssgw_verdict vd;
    ssgw_firewall_meta meta = {0, SSGW_DIR_INBOUND, false, 0, NULL, NULL, 0};
    CHECK_INT(ssgw_view_decode_diameter(&v, ulr, sizeof ulr), 0);
    CHECK_INT(ssgw_firewall_judge(fw, &v, &meta, &vd), 0);
    CHECK_INT(vd.action, SSGW_ACT_ANSWER);
    CHECK_STR(vd.check, "diameter.origin_realm");
    CHECK_INT(vd.answer.kind, SSGW_ANSWER_DIAMETER);
    CHECK_INT(vd.answer.code, SSGW_DIAM_UNABLE_TO_COMPLY);
    CHECK(strstr(vd.reason, "example.net") != NULL);
    CHECK(vd.incident != 0); /* the subscriber 208011234567890 */
    uint8_t bad[sizeof ulr];
    memcpy(bad, ulr, sizeof bad);
    bad[4] = 0xa0;
    CHECK_INT(ssgw_view_decode_diameter(&v, bad, sizeof bad), -1);
    CHECK_INT(ssgw_firewall_judge(fw, &v, &meta, &vd), 0);
    CHECK_STR(vd.check, "malformed.diameter");
    CHECK_INT(vd.action, SSGW_ACT_DROP);
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
}

/* A ULR about our subscriber 234910000000001 from origin_realm to dest_realm placing it in the
 * Visited-PLMN-Id plmn (3 octets), encoded into mem; its length. */
static long encode_ulr(uint8_t *mem, size_t cap, uint32_t id, const char *origin_realm,
                       const char *dest_realm, const uint8_t plmn[3])
{
    ssgw_buf b;
    ssgw_buf_init(&b, mem, cap);
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R | SSGW_DIAM_FLAG_P, 316, SSGW_DIAM_APP_S6A, id,
                        id + 10);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_SESSION_ID, 0, "mme.epc.mnc002.mcc639;1;2");
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_AUTH_SESSION_STATE, 0, 1);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, "mme.epc.mnc002.mcc639.3gppnetwork.org");
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, origin_realm);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_DESTINATION_REALM, 0, dest_realm);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_USER_NAME, 0, "234910000000001");
    ssgw_diam_enc_avp(&e, SSGW_DIAM_AVP_VISITED_PLMN_ID, G3, plmn, 3);
    long n = ssgw_diam_enc_end(&e);
    CHECK(n > 0);
    return n;
}

/* A Visited-PLMN-Id names a network by its whole MCC-MNC (TS 23.003 12.1): 639-021 (a 3-digit
 * MNC) is not Safari Mobile's 639-02, though its digits extend Safari's; a ULR from Safari's
 * realm placing our subscriber there is another network's claim (diameter.visited_plmn). */
static void visited_plmn_is_exact(void)
{
    ssgw_policy *pol = example_policy("");
    if (!pol) return;
    ssgw_firewall *fw = ssgw_firewall_new(pol, NULL);
    static const uint8_t plmns[2][3] = {{0x36, 0xf9, 0x20}, {0x36, 0x19, 0x20}}; /* 639-02, -021 */
    static const char *const want[2] = {"default", "diameter.visited_plmn"};
    for (int i = 0; i < 2; i++) {
        uint8_t mem[512];
        long n = encode_ulr(mem, sizeof mem, 10 + (uint32_t)i, "epc.mnc002.mcc639.3gppnetwork.org",
                            "epc.mnc091.mcc234.3gppnetwork.org", plmns[i]);
        static ssgw_view v;
        CHECK_INT(ssgw_view_decode_diameter(&v, mem, (size_t)n), 0);
        ssgw_verdict vd;
        ssgw_firewall_meta meta = {1000, SSGW_DIR_INBOUND, false, 0, NULL, NULL, 0};
        CHECK_INT(ssgw_firewall_judge(fw, &v, &meta, &vd), 0);
        CHECK_STR(vd.check, want[i]);
        if (i == 1) CHECK(strstr(vd.reason, "639-021") != NULL);
    }
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
}

/* The simulator covers every command, request and answer, and its bytes decode. */
static void generator_covers_dictionary(void)
{
    bool seen[2][16] = {{false}};
    uint8_t mem[8192], again[8192];
    size_t ncmd = ssgw_diam_cmd_count();
    bool e_bit = false, t_bit = false, exp = false, route = false;
    for (uint64_t i = 0; i < 2 * ncmd * 12; i++) {
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        ssgw_gen_diam_info info;
        ssgw_error e;
        CHECK_INT(ssgw_gen_diameter(3, i, &b, &info, &e), 0);
        ssgw_diam_msg m;
        ssgw_diam_fields f;
        CHECK_INT(ssgw_diam_decode(b.data, b.len, &m, &e), 0);
        CHECK_INT(m.n_unknown, 0);
        CHECK_INT(m.code, info.code);
        CHECK_INT(ssgw_diam_is_request(&m), info.request);
        ssgw_diam_fields_decode(&m, &f, &e);
        CHECK(f.origin_host.p != NULL);
        for (size_t c = 0; c < ncmd; c++)
            if (ssgw_diam_cmd_at(c)->code == m.code) seen[info.request][c] = true;
        e_bit |= (m.flags & SSGW_DIAM_FLAG_E) != 0;
        t_bit |= (m.flags & SSGW_DIAM_FLAG_T) != 0;
        exp |= f.exp_result_code >= 0;
        route |= f.route_record_total >= 2;
        /* deterministic */
        ssgw_buf b2;
        ssgw_buf_init(&b2, again, sizeof again);
        ssgw_gen_diameter(3, i, &b2, NULL, &e);
        CHECK_MEM(b.data, b.len, b2.data, b2.len);
    }
    for (size_t c = 0; c < ncmd; c++) {
        CHECK(seen[0][c]);
        CHECK(seen[1][c]);
    }
    CHECK(e_bit && t_bit && exp && route);
}

int main(void)
{
    RUN(ulr_vector_decodes);
    RUN(encoder_rebuilds_vector);
    RUN(encoder_refusals);
    RUN(malformations_named);
    RUN(truncation_everywhere);
    RUN(nesting_bounded);
    RUN(unknown_avps_kept);
    RUN(dictionary_tables);
    RUN(peek_length);
    RUN(answer_fields);
    RUN(user_name_not_imsi);
    RUN(s6a_refusals);
    RUN(view_and_decoder);
    RUN(firewall_passes_diameter);
    RUN(visited_plmn_is_exact);
    RUN(generator_covers_dictionary);
    return check_summary();
}
