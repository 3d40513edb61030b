/*
 * test_isup.c - the ISUP codec (ITU-T Q.763) against messages checked with tshark 4.0
 * (MTP3 link type, the bytes below after SIO and routing label): decoding, the builder
 * reproducing them byte for byte, every listed message type round-tripping, and the
 * malformed shapes the decoder must refuse with the layer, the parameter and the offset.
 */
#include "check.h"
#include "ssgw/gen.h"
#include "ssgw/isup.h"

/* tshark: IAM, CIC 1; NCI 0x00, FCI 0x2001, category 10 (ordinary), TMR 0 (speech);
 * isup.called "12345678" (NAI 3, NPI 1); optional isup.calling "1234567" (odd, NAI 3,
 * NI 0, NPI 1, APRI 0 presentation allowed, screening 3 network provided);
 * isup.parameter_type 6,7,9,2,4,10,0; no expert item. */
static const uint8_t iam[] = {0x01, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0a, 0x00, 0x02,
                              0x08, 0x06, 0x03, 0x10, 0x21, 0x43, 0x65, 0x87, 0x0a,
                              0x06, 0x83, 0x13, 0x21, 0x43, 0x65, 0x07, 0x00};

/* tshark: REL, CIC 291, cause indicators 80 90: isup.cause_indicator 16, q931.cause_location 0 */
static const uint8_t rel[] = {0x23, 0x01, 0x0c, 0x02, 0x00, 0x02, 0x80, 0x90};

/* tshark: CGB, CIC 5, isup.cgs_message_type 0, isup.range_indicator 8 (range 7, status ff) */
static const uint8_t cgb[] = {0x05, 0x00, 0x18, 0x00, 0x01, 0x02, 0x07, 0xff};

/* tshark: IAM whose called party number is "123BCFE" (code 11, code 12, ST, 0xE) */
static const uint8_t iam_signals[] = {0x01, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0a, 0x00, 0x02,
                                      0x00, 0x06, 0x83, 0x10, 0x21, 0xb3, 0xfc, 0x0e};

/* Messages from the test suites of two other ISUP implementations, and what tshark 4.0
 * shows for them (tests/oracle/test_isup_tshark.py decodes the same bytes). */
static void decode_theirs(void)
{
    ssgw_isup_msg m;
    ssgw_error e;
    /* osmo_ss7 isup_codec_tests.erl: IAM, CIC 9; isup.called "9299420008F" (NAI 3),
     * isup.calling "493024033902" (NAI 3, screening 3); parameter 242 (national) kept */
    const uint8_t osmo_iam[] = {9,   0,   1,   16,  72,  0,  10, 3,  2,   10,  8,   131, 16,  41,
                                153, 36,  0,   128, 15,  10, 8,  3,  19,  148, 3,   66,  48,  147,
                                32,  242, 21,  54,  25,  8,  0,  0,  21,  255, 255, 255, 255, 255,
                                255, 255, 255, 255, 255, 29, 69, 56, 203, 32,  0};
    CHECK_INT(ssgw_isup_decode(osmo_iam, sizeof osmo_iam, &m, &e), 0);
    CHECK_INT(m.cic, 9);
    CHECK_STR(m.f.called.digits, "9299420008F");
    CHECK_INT(m.f.called.nai, 3);
    CHECK_STR(m.f.calling.digits, "493024033902");
    CHECK_INT(m.f.calling.screening, 3);
    CHECK_INT(m.nparams, 7);
    CHECK_INT(m.params[6].code, 242);
    CHECK_INT(m.params[6].len, 21);
    /* osmo_ss7: GRS, CIC 1, isup.range_indicator 15 */
    const uint8_t osmo_grs[] = {1, 0, 23, 1, 1, 14};
    CHECK_INT(ssgw_isup_decode(osmo_grs, sizeof osmo_grs, &m, &e), 0);
    CHECK_INT(m.f.range, 14);
    /* jss7 ACMTest: CIC 2828, cause 28 at location 2 in the optional part, after the
     * optional backward call indicators (isup.parameter_type 17,41,18) */
    const uint8_t jss7_acm[] = {0x0c, 0x0b, 0x06, 0x01, 0x20, 0x01, 0x29,
                                0x01, 0x01, 0x12, 0x02, 0x82, 0x9c, 0x00};
    CHECK_INT(ssgw_isup_decode(jss7_acm, sizeof jss7_acm, &m, &e), 0);
    CHECK_INT(m.cic, 2828);
    CHECK_INT(m.f.bci, 0x0120);
    CHECK_INT(m.f.cause_value, 28);
    CHECK_INT(m.f.cause_location, 2);
    /* jss7 CPGTest: event 2; isup.connected_number "380683" (NAI 1, NPI 4, presentation
     * 2 not available, screening 3) */
    const uint8_t jss7_cpg[] = {0x0c, 0x0b, 0x2c, 0x02, 0x01, 0x11, 0x02, 0xa6, 0x9d, 0x35,
                                0x01, 0x03, 0x21, 0x05, 0x01, 0x4b, 0x83, 0x60, 0x38, 0x00};
    CHECK_INT(ssgw_isup_decode(jss7_cpg, sizeof jss7_cpg, &m, &e), 0);
    CHECK_INT(m.f.event, 2);
    CHECK_STR(m.f.connected.digits, "380683");
    CHECK_INT(m.f.connected.nai, 1);
    CHECK_INT(m.f.connected.npi, 4);
    CHECK_INT(m.f.connected.presentation, 2);
    CHECK_INT(m.f.connected.screening, 3);
    /* each re-encodes to the bytes it was decoded from */
    uint8_t mem[128];
    ssgw_buf out;
    ssgw_buf_init(&out, mem, sizeof mem);
    CHECK_INT(ssgw_isup_encode(&out, m.cic, m.type, m.params, m.nparams, &e), 0);
    CHECK_MEM(out.data, out.len, jss7_cpg, sizeof jss7_cpg);
}

static void decode_iam(void)
{
    ssgw_isup_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_isup_decode(iam, sizeof iam, &m, &e), 0);
    CHECK_INT(m.cic, 1);
    CHECK_INT(m.type, SSGW_ISUP_IAM);
    CHECK_STR(m.def->abbr, "iam");
    CHECK(m.optional_part);
    CHECK_INT(m.nparams, 6);
    static const uint8_t codes[] = {6, 7, 9, 2, 4, 10};
    for (unsigned i = 0; i < 6 && i < m.nparams; i++)
        CHECK_INT(m.params[i].code, codes[i]);
    CHECK_INT(m.params[0].part, SSGW_ISUP_PART_FIXED);
    CHECK_INT(m.params[4].part, SSGW_ISUP_PART_VARIABLE);
    CHECK_INT(m.params[5].part, SSGW_ISUP_PART_OPTIONAL);
    CHECK(m.params[4].val == iam + 11); /* a view into the message */
    CHECK_STR(m.f.called.digits, "12345678");
    CHECK_INT(m.f.called.nai, 3);
    CHECK_INT(m.f.called.npi, 1);
    CHECK_INT(m.f.called.inn_ni, 0);
    CHECK_INT(m.f.called.presentation, -1);
    CHECK_STR(m.f.calling.digits, "1234567");
    CHECK(m.f.calling.odd);
    CHECK_INT(m.f.calling.nai, 3);
    CHECK_INT(m.f.calling.presentation, 0);
    CHECK_INT(m.f.calling.screening, 3);
    CHECK_INT(m.f.calling_category, 10);
    CHECK_INT(m.f.fci, 0x2001);
    CHECK_INT(m.f.tmr, 0);
    CHECK(!m.f.redirecting.present);
    CHECK_INT(m.f.cause_value, -1);
    CHECK(ssgw_isup_find(&m, SSGW_ISUP_P_CALLING) == &m.params[5]);
    CHECK(ssgw_isup_find(&m, SSGW_ISUP_P_REDIRECTING) == NULL);
}

static void build_iam(void)
{
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    ssgw_isup_number calling, called;
    ssgw_isup_number_set(&called, "12345678", 3, 1);
    ssgw_isup_number_set(&calling, "1234567", 3, 1);
    calling.screening = 3;
    /* given in any order: the table places them */
    ssgw_isup_add_number(&b, SSGW_ISUP_P_CALLING, &calling);
    ssgw_isup_add_number(&b, SSGW_ISUP_P_CALLED, &called);
    ssgw_isup_add_u8(&b, SSGW_ISUP_P_TMR, 0);
    ssgw_isup_add_u8(&b, SSGW_ISUP_P_CATEGORY, 10);
    ssgw_isup_add_u16(&b, SSGW_ISUP_P_FCI, 0x2001);
    ssgw_isup_add_u8(&b, SSGW_ISUP_P_NCI, 0);
    uint8_t mem[128];
    ssgw_buf out;
    ssgw_buf_init(&out, mem, sizeof mem);
    ssgw_error e;
    CHECK_INT(ssgw_isup_builder_encode(&b, &out, 1, SSGW_ISUP_IAM, &e), 0);
    CHECK_MEM(out.data, out.len, iam, sizeof iam);
}

/* The basic call's IAM helper: the parameters Q.764 2.1 needs, read back by the decoder
 * (itself checked against tshark in tests/oracle). */
static void basic_iam(void)
{
    for (int with_calling = 0; with_calling < 2; with_calling++) {
        ssgw_isup_builder b;
        ssgw_isup_builder_init(&b);
        CHECK_INT(
            ssgw_isup_add_basic_iam(&b, "447924100001", with_calling ? "254722100000" : NULL, 3),
            0);
        uint8_t mem[128];
        ssgw_buf out;
        ssgw_buf_init(&out, mem, sizeof mem);
        ssgw_error e;
        CHECK_INT(ssgw_isup_builder_encode(&b, &out, 5, SSGW_ISUP_IAM, &e), 0);
        ssgw_isup_msg m;
        CHECK_INT(ssgw_isup_decode(out.data, out.len, &m, &e), 0);
        CHECK_INT(m.cic, 5);
        CHECK_INT(m.f.nci, 0);
        CHECK_INT(m.f.fci, 0x6001);
        CHECK_INT(m.f.calling_category, 10);
        CHECK_INT(m.f.tmr, 0);
        CHECK_STR(m.f.called.digits, "447924100001");
        CHECK_INT(m.f.called.nai, 4);
        CHECK_INT(m.f.called.npi, 1);
        CHECK_INT(m.f.calling.present, with_calling);
        if (with_calling) {
            CHECK_STR(m.f.calling.digits, "254722100000");
            CHECK_INT(m.f.calling.nai, 4);
            CHECK_INT(m.f.calling.screening, 3);
        }
    }
    /* a digit an address cannot carry */
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    CHECK_INT(ssgw_isup_add_basic_iam(&b, "44792410000X", NULL, 3), -1);
}

static void rel_and_cause(void)
{
    ssgw_isup_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_isup_decode(rel, sizeof rel, &m, &e), 0);
    CHECK_INT(m.cic, 291);
    CHECK_INT(m.f.cause_value, 16);
    CHECK_INT(m.f.cause_location, 0);
    CHECK_INT(m.f.cause_coding, 0);
    CHECK(!m.optional_part);
    CHECK_STR(ssgw_isup_cause_name(16), "normal_call_clearing");
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    ssgw_isup_add_cause(&b, 0, 16);
    uint8_t mem[32];
    ssgw_buf out;
    ssgw_buf_init(&out, mem, sizeof mem);
    CHECK_INT(ssgw_isup_builder_encode(&b, &out, 291, SSGW_ISUP_REL, &e), 0);
    CHECK_MEM(out.data, out.len, rel, sizeof rel);
    /* a cause with octet 1a (extension bit 0) reads its value one octet later */
    const uint8_t rel1a[] = {0x23, 0x01, 0x0c, 0x02, 0x00, 0x03, 0x02, 0x80, 0x91};
    CHECK_INT(ssgw_isup_decode(rel1a, sizeof rel1a, &m, &e), 0);
    CHECK_INT(m.f.cause_value, 17);
    CHECK_INT(m.f.cause_location, 2);
}

static void circuit_group(void)
{
    ssgw_isup_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_isup_decode(cgb, sizeof cgb, &m, &e), 0);
    CHECK_INT(m.f.cgsmti, 0);
    CHECK_INT(m.f.range, 7);
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    ssgw_isup_add_u8(&b, SSGW_ISUP_P_CGSMTI, 0);
    ssgw_isup_add_range_status(&b, 7, true, 0xff);
    uint8_t mem[32];
    ssgw_buf out;
    ssgw_buf_init(&out, mem, sizeof mem);
    CHECK_INT(ssgw_isup_builder_encode(&b, &out, 5, SSGW_ISUP_CGB, &e), 0);
    CHECK_MEM(out.data, out.len, cgb, sizeof cgb);
    /* GRS carries the range only (tshark: isup.range_indicator 8) */
    const uint8_t grs[] = {0x05, 0x00, 0x17, 0x01, 0x01, 0x07};
    CHECK_INT(ssgw_isup_decode(grs, sizeof grs, &m, &e), 0);
    CHECK_INT(m.f.range, 7);
    /* ... and a status there is malformed, as is a status too short for the range */
    const uint8_t grs_status[] = {0x05, 0x00, 0x17, 0x01, 0x02, 0x07, 0xff};
    CHECK_INT(ssgw_isup_decode(grs_status, sizeof grs_status, &m, &e), -1);
    CHECK_STR(e.field, "range and status");
    CHECK_INT(e.code, SSGW_E_BAD_LENGTH);
    const uint8_t cgb_short[] = {0x05, 0x00, 0x18, 0x00, 0x01, 0x02, 0x08, 0xff};
    CHECK_INT(ssgw_isup_decode(cgb_short, sizeof cgb_short, &m, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_ISUP);
    CHECK_INT(e.offset, 5);
}

static void address_signals(void)
{
    ssgw_isup_msg m;
    ssgw_error e;
    CHECK_INT(ssgw_isup_decode(iam_signals, sizeof iam_signals, &m, &e), 0);
    CHECK_STR(m.f.called.digits, "123BCFE");
    CHECK(m.f.called.odd);
}

/* Every message type of the table, with the mandatory parameters it needs, encodes,
 * decodes to the same type and parameters, and re-encodes to the same bytes. */
static void every_type_round_trips(void)
{
    for (size_t i = 0; i < ssgw_isup_msg_def_count(); i++) {
        const ssgw_isup_msg_def *d = ssgw_isup_msg_def_at(i);
        if (d->opaque) continue;
        ssgw_isup_builder b;
        ssgw_isup_builder_init(&b);
        for (size_t k = 0; k < d->n_fixed; k++) {
            const ssgw_isup_param_def *pd = ssgw_isup_param_def_by_code(d->fixed[k]);
            uint8_t v[2] = {0x01, 0x00};
            ssgw_isup_add(&b, pd->code, v, pd->fixed_len);
        }
        for (size_t k = 0; k < d->n_variable; k++) {
            uint8_t code = d->variable[k];
            ssgw_isup_number n;
            ssgw_isup_number_set(&n, "4420", 4, 1);
            if (code == SSGW_ISUP_P_CALLED || code == SSGW_ISUP_P_SUBSEQUENT)
                ssgw_isup_add_number(&b, code, &n);
            else if (code == SSGW_ISUP_P_CAUSE)
                ssgw_isup_add_cause(&b, 2, 31);
            else if (code == SSGW_ISUP_P_RANGE_STATUS)
                ssgw_isup_add_range_status(&b, 3,
                                           d->code != SSGW_ISUP_GRS && d->code != SSGW_ISUP_CQM &&
                                               d->code != SSGW_ISUP_CQR,
                                           0x5);
            else
                ssgw_isup_add(&b, code, (const uint8_t[]){0, 0, 0, 0}, 4);
        }
        if (d->optional) {
            ssgw_isup_number g;
            ssgw_isup_number_set(&g, "33612345678", 4, 1);
            g.qualifier = 6;
            ssgw_isup_add_number(&b, SSGW_ISUP_P_GENERIC_NUMBER, &g);
            ssgw_isup_add_u8(&b, SSGW_ISUP_P_HOP_COUNTER, 12);
        }
        uint8_t mem[256], mem2[256];
        ssgw_buf out, out2;
        ssgw_buf_init(&out, mem, sizeof mem);
        ssgw_error e;
        CHECK_INT(ssgw_isup_builder_encode(&b, &out, (uint16_t)(100 + i), d->code, &e), 0);
        ssgw_isup_msg m;
        CHECK_INT(ssgw_isup_decode(out.data, out.len, &m, &e), 0);
        CHECK_INT(m.type, d->code);
        CHECK_INT(m.cic, 100 + i);
        CHECK_INT(m.nparams, b.n);
        if (d->optional) {
            CHECK_INT(m.f.n_generic, 1);
            CHECK_STR(m.f.generic[0].digits, "33612345678");
            CHECK_INT(m.f.generic[0].qualifier, 6);
            CHECK_INT(m.f.hop_counter, 12);
        }
        ssgw_buf_init(&out2, mem2, sizeof mem2);
        CHECK_INT(ssgw_isup_encode(&out2, m.cic, m.type, m.params, m.nparams, &e), 0);
        CHECK_MEM(out2.data, out2.len, out.data, out.len);
    }
}

static void expect_error(const uint8_t *msg, size_t len, ssgw_errcode code, const char *field,
                         size_t offset)
{
    ssgw_isup_msg m;
    ssgw_error e = {0};
    CHECK_INT(ssgw_isup_decode(msg, len, &m, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_ISUP);
    CHECK_INT(e.code, code);
    CHECK_STR(e.field, field);
    CHECK_INT(e.offset, offset);
}

static void malformed(void)
{
    uint8_t b[64];
    /* every truncation of the IAM fails, none reads past the end */
    for (size_t n = 0; n < sizeof iam; n++) {
        ssgw_isup_msg m;
        ssgw_error e;
        CHECK_INT(ssgw_isup_decode(iam, n, &m, &e), -1);
        CHECK_INT(e.layer, SSGW_LAYER_ISUP);
        CHECK(e.offset <= n);
    }
    expect_error(iam, 2, SSGW_E_TRUNCATED, "message type", 2);
    expect_error(iam, 5, SSGW_E_TRUNCATED, "forward call indicators", 4);
    /* a pointer into the pointer area, one that skips octets, a zero pointer */
    memcpy(b, iam, sizeof iam);
    b[8] = 0x01;
    expect_error(b, sizeof iam, SSGW_E_BAD_VALUE, "called party number", 8);
    b[8] = 0x03;
    expect_error(b, sizeof iam, SSGW_E_BAD_VALUE, "called party number", 8);
    b[8] = 0x00;
    expect_error(b, sizeof iam, SSGW_E_BAD_VALUE, "called party number", 8);
    /* the optional part's pointer past the called number */
    memcpy(b, iam, sizeof iam);
    b[9] = 0x09;
    expect_error(b, sizeof iam, SSGW_E_BAD_VALUE, "pointer to optional part", 9);
    /* a length beyond the end */
    memcpy(b, iam, sizeof iam);
    b[18] = 0x20;
    expect_error(b, sizeof iam, SSGW_E_TRUNCATED, "calling party number", 18);
    /* no end octet, an octet after it */
    expect_error(iam, sizeof iam - 1, SSGW_E_TRUNCATED, "end of optional parameters",
                 sizeof iam - 1);
    memcpy(b, iam, sizeof iam);
    b[sizeof iam] = 0x00;
    expect_error(b, sizeof iam + 1, SSGW_E_BAD_LENGTH, "end of optional parameters", sizeof iam);
    /* a second calling party number: which one does the switch use? */
    memcpy(b, iam, sizeof iam - 1);
    memcpy(b + sizeof iam - 1, iam + 17, 8);
    b[sizeof iam - 1 + 8] = 0x00;
    expect_error(b, sizeof iam + 8, SSGW_E_DUPLICATE, "calling party number", sizeof iam - 1);
    /* a called party number again in the optional part */
    memcpy(b, iam, sizeof iam - 1);
    const uint8_t cdpn_again[] = {0x04, 0x03, 0x03, 0x10, 0x21, 0x00};
    memcpy(b + sizeof iam - 1, cdpn_again, sizeof cdpn_again);
    expect_error(b, sizeof iam - 1 + sizeof cdpn_again, SSGW_E_BAD_TAG, "called party number",
                 sizeof iam - 1);
    /* odd indicator with no digits, and a calling number shorter than its header */
    const uint8_t odd_empty[] = {0x01, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0a,
                                 0x00, 0x02, 0x00, 0x02, 0x83, 0x10};
    expect_error(odd_empty, sizeof odd_empty, SSGW_E_BAD_VALUE, "called party number", 11);
    const uint8_t short_calling[] = {0x01, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0a, 0x00, 0x02,
                                     0x05, 0x03, 0x03, 0x10, 0x21, 0x0a, 0x01, 0x83, 0x00};
    expect_error(short_calling, sizeof short_calling, SSGW_E_BAD_LENGTH, "calling party number",
                 15);
    /* trailing octets after a message without an optional part */
    const uint8_t rsc_tail[] = {0x05, 0x00, 0x12, 0x00};
    expect_error(rsc_tail, sizeof rsc_tail, SSGW_E_BAD_LENGTH, "message", 3);
    /* 33 digits */
    uint8_t long_called[64] = {0x01, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0a,
                               0x00, 0x02, 0x00, 19,   0x83, 0x10};
    memset(long_called + 13, 0x11, 17);
    expect_error(long_called, 30, SSGW_E_BAD_LENGTH, "called party number", 13);
}

static void unknown_and_opaque_types(void)
{
    ssgw_isup_msg m;
    ssgw_error e;
    const uint8_t national[] = {0x05, 0x00, 0xe9, 0x01, 0x02, 0x03};
    CHECK_INT(ssgw_isup_decode(national, sizeof national, &m, &e), 0);
    CHECK(m.def == NULL);
    CHECK_INT(m.type, 0xe9);
    CHECK_STR(ssgw_isup_msg_abbr(0xe9), "unknown");
    const uint8_t pam[] = {0x05, 0x00, 0x28, 0x06, 0x16, 0x14, 0x00};
    CHECK_INT(ssgw_isup_decode(pam, sizeof pam, &m, &e), 0);
    CHECK(m.def && m.def->opaque);
    CHECK_INT(m.nparams, 0);
    uint8_t mem[16];
    ssgw_buf out;
    ssgw_buf_init(&out, mem, sizeof mem);
    CHECK_INT(ssgw_isup_encode(&out, 5, 0xe9, NULL, 0, &e), -1);
    /* a CIC has 12 bits */
    CHECK_INT(ssgw_isup_encode(&out, 4096, SSGW_ISUP_RLC, NULL, 0, &e), -1);
    /* a message without an optional part takes no optional parameter */
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    ssgw_isup_add_u8(&b, SSGW_ISUP_P_HOP_COUNTER, 3);
    CHECK_INT(ssgw_isup_builder_encode(&b, &out, 5, SSGW_ISUP_RSC, &e), -1);
    CHECK_STR(e.field, "hop counter");
}

static void tables(void)
{
    /* sorted (the lookups search them) and every referenced parameter is in the table */
    for (size_t i = 1; i < ssgw_isup_msg_def_count(); i++)
        CHECK(ssgw_isup_msg_def_at(i - 1)->code < ssgw_isup_msg_def_at(i)->code);
    for (size_t i = 1; i < ssgw_isup_param_def_count(); i++)
        CHECK(ssgw_isup_param_def_at(i - 1)->code < ssgw_isup_param_def_at(i)->code);
    for (size_t i = 0; i < ssgw_isup_msg_def_count(); i++) {
        const ssgw_isup_msg_def *d = ssgw_isup_msg_def_at(i);
        CHECK(ssgw_isup_msg_def_by_abbr(d->abbr) == d);
        CHECK(ssgw_isup_msg_def_by_code(d->code) == d);
        for (size_t k = 0; k < d->n_fixed; k++) {
            const ssgw_isup_param_def *pd = ssgw_isup_param_def_by_code(d->fixed[k]);
            CHECK(pd && pd->fixed_len > 0);
        }
        for (size_t k = 0; k < d->n_variable; k++)
            CHECK(ssgw_isup_param_def_by_code(d->variable[k]) != NULL);
    }
    /* the lookups by code (an index) find what a walk of each table finds, for every code */
    for (unsigned code = 0; code < 256; code++) {
        const ssgw_isup_msg_def *dm = NULL;
        const ssgw_isup_param_def *dp = NULL;
        for (size_t i = 0; i < ssgw_isup_msg_def_count(); i++)
            if (ssgw_isup_msg_def_at(i)->code == code) dm = ssgw_isup_msg_def_at(i);
        for (size_t i = 0; i < ssgw_isup_param_def_count(); i++)
            if (ssgw_isup_param_def_at(i)->code == code) dp = ssgw_isup_param_def_at(i);
        CHECK(ssgw_isup_msg_def_by_code((uint8_t)code) == dm);
        CHECK(ssgw_isup_param_def_by_code((uint8_t)code) == dp);
    }
    /* the generator walks every type but the national-format ones */
    const uint8_t *walk;
    size_t nwalk = ssgw_gen_isup_types(&walk);
    for (size_t i = 0; i < ssgw_isup_msg_def_count(); i++) {
        const ssgw_isup_msg_def *d = ssgw_isup_msg_def_at(i);
        bool found = false;
        for (size_t k = 0; k < nwalk; k++)
            found |= walk[k] == d->code;
        CHECK(found != d->opaque);
    }
    CHECK_STR(ssgw_isup_param_name(0x0a), "calling party number");
    CHECK_STR(ssgw_isup_msg_abbr(SSGW_ISUP_CGUA), "cgua");
    CHECK_STR(ssgw_isup_category_name(15), "payphone");
    CHECK(ssgw_isup_cause_name(200) == NULL);
}

int main(void)
{
    RUN(decode_theirs);
    RUN(decode_iam);
    RUN(build_iam);
    RUN(basic_iam);
    RUN(rel_and_cause);
    RUN(circuit_group);
    RUN(address_signals);
    RUN(every_type_round_trips);
    RUN(malformed);
    RUN(unknown_and_opaque_types);
    RUN(tables);
    return check_summary();
}
