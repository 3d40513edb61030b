/*
 * test_call_checks.c - the call checks (call.*, docs/checks.md) on hand-built ISUP calls of
 * the example network (examples/ssgw.conf: Albion Mobile 447924, PC 1001; Safari Mobile
 * KE, PC 2001; Rhein Telekom DE, PC 2002): each check catches the case it names and lets
 * the legitimate one pass; the call state per circuit is learned (IAM -> ANM -> REL) and
 * forgotten; the numbering table agrees with data/e164-numbering.csv line by line and
 * classifies numbers as the national plans say.
 */
#include <stdlib.h>

#include "check.h"
#include "policy/policy_int.h"
#include "ssgw/firewall.h"
#include "ssgw/isup.h"
#include "ssgw/m3ua.h"
#include "ssgw/map_msg.h"
#include "ssgw/pcap_writer.h"
#include "ssgw/sccp.h"

static ssgw_policy *pol;
static ssgw_firewall *fw;
static ssgw_decoder *dec;
static ssgw_view view;
static ssgw_verdict vd;
static uint8_t wire[1024];
/* --rel-pcap FILE: the RELs answering malformed IAMs go there too (M3UA over SCTP), for the
 * tshark oracle (tests/oracle/test_isup_tshark.py --rel-tool) */
static ssgw_pcap_writer *rel_pcap;

static void fresh(const char *extra)
{
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
    FILE *f = fopen("../examples/ssgw.conf", "rb");
    static char buf[24000];
    size_t n = f ? fread(buf, 1, sizeof buf - 4000, f) : 0;
    if (f) fclose(f);
    buf[n] = '\0';
    /* a test's own [calls] replaces the example's */
    char *calls = extra && strstr(extra, "[calls]") ? strstr(buf, "\n[calls]\n") : NULL;
    char *next = calls ? strstr(calls + 1, "\n# ----") : NULL;
    if (calls && next) {
        memmove(calls, next, strlen(next) + 1);
        n = strlen(buf);
    }
    snprintf(buf + n, sizeof buf - n, "\n%s", extra ? extra : "");
    ssgw_config_errors errs;
    pol = ssgw_policy_load_string("x.conf", buf, strlen(buf), &errs);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(stderr, "%s\n", errs.e[i].text);
    CHECK(pol != NULL);
    fw = ssgw_firewall_new(pol, NULL);
}

/* One ISUP message from opc to dpc on cic, judged at time t (seconds) in direction dir. */
static const char *isup(uint32_t opc, uint32_t dpc, uint16_t cic, uint8_t type, const char *calling,
                        uint8_t calling_nai, const char *called, ssgw_direction dir, uint32_t t)
{
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    if (type == SSGW_ISUP_IAM) {
        ssgw_isup_add_u8(&b, SSGW_ISUP_P_NCI, 0);
        ssgw_isup_add_u16(&b, SSGW_ISUP_P_FCI, 0x6001);
        ssgw_isup_add_u8(&b, SSGW_ISUP_P_CATEGORY, 10);
        ssgw_isup_add_u8(&b, SSGW_ISUP_P_TMR, 0);
        ssgw_isup_number n;
        ssgw_isup_number_set(&n, called, 4, 1);
        ssgw_isup_add_number(&b, SSGW_ISUP_P_CALLED, &n);
        if (calling) {
            ssgw_isup_number_set(&n, calling, calling_nai, 1);
            n.screening = 3;
            ssgw_isup_add_number(&b, SSGW_ISUP_P_CALLING, &n);
        }
    } else if (type == SSGW_ISUP_REL) {
        ssgw_isup_add_cause(&b, 0, 16);
    }
    uint8_t im[256];
    ssgw_buf ib, mb;
    ssgw_buf_init(&ib, im, sizeof im);
    ssgw_buf_init(&mb, wire, sizeof wire);
    ssgw_error e;
    CHECK_INT(ssgw_isup_builder_encode(&b, &ib, cic, type, &e), 0);
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    d.pd.opc = opc;
    d.pd.dpc = dpc;
    d.pd.si = 5;
    d.pd.ni = 2;
    d.pd.sls = cic & 15;
    d.pd.data = ib.data;
    d.pd.data_len = ib.len;
    CHECK_INT(ssgw_m3ua_encode_data(&mb, &d), 0);
    ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, wire, mb.len, (uint64_t)t * 1000, &view);
    CHECK(view.has_isup && !view.has_error);
    ssgw_firewall_meta meta = {.time_ms = (uint64_t)t * 1000, .direction = dir};
    ssgw_firewall_judge(fw, &view, &meta, &vd);
    return vd.check;
}

/* An inbound IAM from partner pc (Safari 2001) to Albion (1001). */
static const char *call_in(uint32_t pc, uint16_t cic, const char *calling, const char *called,
                           uint32_t t)
{
    return isup(pc, 1001, cic, SSGW_ISUP_IAM, calling, 4, called, SSGW_DIR_INBOUND, t);
}

/* Raw ISUP bytes (from the CIC) from opc to 1001, judged inbound at time t; the view may
 * hold a decode error. */
static const char *judge_raw(uint32_t opc, const uint8_t *msg, size_t len, uint32_t t)
{
    ssgw_buf mb;
    ssgw_buf_init(&mb, wire, sizeof wire);
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    d.pd.opc = opc;
    d.pd.dpc = 1001;
    d.pd.si = 5;
    d.pd.ni = 2;
    d.pd.sls = 3;
    d.pd.data = msg;
    d.pd.data_len = len;
    CHECK_INT(ssgw_m3ua_encode_data(&mb, &d), 0);
    ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, wire, mb.len, (uint64_t)t * 1000, &view);
    ssgw_firewall_meta meta = {.time_ms = (uint64_t)t * 1000, .direction = SSGW_DIR_INBOUND};
    ssgw_firewall_judge(fw, &view, &meta, &vd);
    return vd.check;
}

/* An IAM on cic with the calling number in its optional part, then the extra optional
 * parameters (code, length, value ...) and the trailing octets: returns its length. */
static size_t iam_with(uint8_t *out, size_t cap, uint16_t cic, const char *calling,
                       const uint8_t *extra, size_t n_extra, const uint8_t *trail, size_t n_trail)
{
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    CHECK_INT(ssgw_isup_add_basic_iam(&b, "447924000456", calling, 3), 0);
    ssgw_buf ib;
    ssgw_buf_init(&ib, out, cap);
    ssgw_error e;
    CHECK_INT(ssgw_isup_builder_encode(&b, &ib, cic, SSGW_ISUP_IAM, &e), 0);
    CHECK(ib.len + n_extra + n_trail <= cap && out[ib.len - 1] == 0);
    size_t n = ib.len - 1; /* before the end of optional parameters */
    memcpy(out + n, extra, n_extra);
    n += n_extra;
    out[n++] = 0;
    memcpy(out + n, trail, n_trail);
    return n + n_trail;
}

/* An IAM that does not decode cannot be screened: refused and released (REL, cause 95),
 * counted as malformed.isup; a single unknown optional parameter (Q.764 2.9.5: passed on
 * or discarded by a switch) is no reason to refuse, the checks judge what decoded. */
static void malformed_iam(void)
{
    fresh(NULL);
    static const uint8_t nothing[1] = {0}, trail[] = {0x00};
    static const uint8_t unknown_twice[] = {0xfe, 1, 0x01, 0xfe, 1, 0x01};
    static const uint8_t unknown_once[] = {0xfe, 1, 0x01};
    uint8_t m[128], cli[16];
    /* the calling party number again: 0x0a, length, the encoding of the first */
    size_t n = iam_with(m, sizeof m, 7, "447924000123", nothing, 0, nothing, 0);
    const uint8_t *p = memchr(m + 8, SSGW_ISUP_P_CALLING, n - 8);
    CHECK(p != NULL && (size_t)p[1] + 2 <= sizeof cli);
    memcpy(cli, p, (size_t)p[1] + 2);
    const struct {
        const char *name;
        const uint8_t *extra;
        size_t n_extra;
        const uint8_t *trail;
        size_t n_trail;
    } bad[] = {
        {"an octet after the end of optional parameters", nothing, 0, trail, 1},
        {"the calling party number twice", cli, (size_t)cli[1] + 2, nothing, 0},
        {"an unknown parameter twice", unknown_twice, sizeof unknown_twice, nothing, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* a harmless calling number: the message, not the number, is refused */
        n = iam_with(m, sizeof m, (uint16_t)(20 + i), "254722000123", bad[i].extra, bad[i].n_extra,
                     bad[i].trail, bad[i].n_trail);
        const char *ch = judge_raw(2001, m, n, 100);
        if (strcmp(ch, "malformed.isup")) fprintf(stderr, "%s: %s\n", bad[i].name, ch);
        CHECK_STR(ch, "malformed.isup");
        CHECK(view.has_error && !view.has_isup && view.isup_malformed);
        CHECK_INT(vd.action, SSGW_ACT_ANSWER);
        CHECK_INT(vd.answer.kind, SSGW_ANSWER_ISUP_REL);
        CHECK_INT(vd.answer.code, 95);
        CHECK(!vd.pass && strstr(vd.reason, "IAM on circuit") != NULL);
        /* the answer: a REL on the IAM's circuit, back to its originator */
        uint8_t am[256];
        ssgw_buf ab;
        ssgw_buf_init(&ab, am, sizeof am);
        ssgw_error e;
        CHECK_INT(ssgw_answer_build(&view, &vd.answer, &ab, &e), 0);
        if (rel_pcap) {
            ssgw_pcap_endpoints ep = {.src_ip4 = 0x0a000001,
                                      .dst_ip4 = 0x0a010001,
                                      .src_port = 2905,
                                      .dst_port = 2905,
                                      .vtag = 1};
            CHECK_INT(ssgw_pcap_write_sctp(rel_pcap, 1700000000, (uint32_t)i, &ep, 1,
                                           (uint32_t)i + 1, ab.data, ab.len),
                      0);
        }
        ssgw_decoder *d2 = ssgw_decoder_new(NULL);
        static ssgw_view rv;
        CHECK_INT(ssgw_decoder_run(d2, SSGW_CAPTURE_KIND_M3UA, ab.data, ab.len, 0, &rv), 0);
        CHECK(rv.has_isup && !rv.has_error);
        CHECK_INT(rv.isup.type, SSGW_ISUP_REL);
        CHECK_INT(rv.isup.cic, 20 + i);
        CHECK_INT(rv.isup.f.cause_value, 95);
        CHECK_INT(rv.opc, 1001);
        CHECK_INT(rv.dpc, 2001);
        ssgw_decoder_free(d2);
    }
    /* one unknown optional parameter: decoded, judged like any IAM */
    n = iam_with(m, sizeof m, 31, "254722000123", unknown_once, sizeof unknown_once, nothing, 0);
    CHECK_STR(judge_raw(2001, m, n, 100), "default");
    CHECK(view.has_isup && !view.has_error);
    n = iam_with(m, sizeof m, 32, "447924000123", unknown_once, sizeof unknown_once, nothing, 0);
    CHECK_STR(judge_raw(2001, m, n, 100), "call.home_cli_inbound");
    /* other ISUP messages that do not decode still pass: a REL with an octet too many */
    static const uint8_t rel[] = {33, 0, SSGW_ISUP_REL, 2, 0, 2, 0x84, 0x90, 0xff};
    CHECK_STR(judge_raw(2001, rel, sizeof rel, 100), "default");
    CHECK(view.has_error && view.isup_malformed);
}

/* A generic number parameter (code, length, value) with this qualifier: international,
 * ISDN numbering plan, network provided. Returns its length. */
static size_t generic_number(uint8_t *out, uint8_t qualifier, const char *digits)
{
    size_t l = strlen(digits), n = 0;
    out[n++] = SSGW_ISUP_P_GENERIC_NUMBER;
    out[n++] = (uint8_t)(3 + (l + 1) / 2);
    out[n++] = qualifier;
    out[n++] = (uint8_t)((l & 1 ? 0x80 : 0) | 4);
    out[n++] = 0x13;
    for (size_t i = 0; i < l; i += 2)
        out[n++] = (uint8_t)((digits[i] - '0') | (i + 1 < l ? (digits[i + 1] - '0') << 4 : 0));
    return n;
}

/* An additional calling party number (generic number, qualifier 6) is a calling line: the
 * CLI checks screen it like the calling party number, and say which one they judged. */
static void generic_cli(void)
{
    fresh(NULL);
    static const uint8_t nothing[1] = {0};
    uint8_t m[256], g[96];
    /* a harmless calling number, one of ours as the additional calling party number */
    size_t gl = generic_number(g, 6, "447924000123");
    size_t n = iam_with(m, sizeof m, 40, "254722000123", g, gl, nothing, 0);
    CHECK_STR(judge_raw(2001, m, n, 100), "call.home_cli_inbound");
    CHECK(strstr(vd.reason, "additional calling party number (generic number) 447924000123"));
    CHECK_INT(vd.answer.kind, SSGW_ANSWER_ISUP_REL);
    /* a Kenyan one: fine; ours with another qualifier (1: additional called number): not a
     * calling line, not screened */
    gl = generic_number(g, 6, "254722000124");
    n = iam_with(m, sizeof m, 41, "254722000123", g, gl, nothing, 0);
    CHECK_STR(judge_raw(2001, m, n, 100), "default");
    gl = generic_number(g, 1, "447924000123");
    n = iam_with(m, sizeof m, 42, "254722000123", g, gl, nothing, 0);
    CHECK_STR(judge_raw(2001, m, n, 100), "default");
    /* unallocated (+210) */
    gl = generic_number(g, 6, "21012345678");
    n = iam_with(m, sizeof m, 43, "254722000123", g, gl, nothing, 0);
    CHECK_STR(judge_raw(2001, m, n, 100), "call.cli_invalid");
    CHECK(strstr(vd.reason, "additional calling party number (generic number) 21012345678"));
    /* the calling party number is still named when it is the one refused */
    gl = generic_number(g, 6, "254722000124");
    n = iam_with(m, sizeof m, 44, "447924000123", g, gl, nothing, 0);
    CHECK_STR(judge_raw(2001, m, n, 100), "call.home_cli_inbound");
    CHECK(!strncmp(vd.reason, "calling number 447924000123", 27));
    /* behind four generic numbers of other qualifiers (more than the decoder keeps) */
    gl = 0;
    for (int i = 0; i < 4; i++)
        gl += generic_number(g + gl, 1, "254722000124");
    gl += generic_number(g + gl, 6, "447924000123");
    n = iam_with(m, sizeof m, 45, "254722000123", g, gl, nothing, 0);
    CHECK_STR(judge_raw(2001, m, n, 100), "call.home_cli_inbound");
    CHECK_INT(view.isup.f.n_generic, SSGW_ISUP_MAX_GENERIC);
    /* as many additional calling party numbers as the decoder keeps: each one screened */
    gl = 0;
    for (int i = 0; i < SSGW_ISUP_MAX_GENERIC - 1; i++)
        gl += generic_number(g + gl, 6, "254722000124");
    size_t last = gl;
    gl += generic_number(g + gl, 6, "447924000123");
    n = iam_with(m, sizeof m, 46, "254722000123", g, gl, nothing, 0);
    CHECK_STR(judge_raw(2001, m, n, 100), "call.home_cli_inbound");
    gl = last + generic_number(g + last, 6, "254722000125"); /* all four Kenyan: fine */
    n = iam_with(m, sizeof m, 47, "254722000123", g, gl, nothing, 0);
    CHECK_STR(judge_raw(2001, m, n, 100), "default");
    CHECK_INT(view.isup.f.n_generic, SSGW_ISUP_MAX_GENERIC);
    /* one more behind them, ours: cannot hide; the IAM does not decode and is released */
    gl += generic_number(g + gl, 6, "447924000123");
    n = iam_with(m, sizeof m, 48, "254722000123", g, gl, nothing, 0);
    CHECK_STR(judge_raw(2001, m, n, 100), "malformed.isup");
    CHECK(view.has_error && view.isup_malformed);
    CHECK_INT(view.error.code, SSGW_E_TOO_BIG);
    CHECK_INT(vd.answer.kind, SSGW_ANSWER_ISUP_REL);
    CHECK_INT(vd.answer.code, 95);
}

static size_t circuits(void)
{
    ssgw_store_stats st;
    ssgw_store *s = ssgw_firewall_store(fw);
    s->ops->get_stats(s, &st);
    return st.t[SSGW_STORE_CALL].used;
}

static void home_cli(void)
{
    fresh(NULL);
    /* one of our own numbers, from Safari's point code: spoofed */
    CHECK_STR(call_in(2001, 1, "447924000123", "447924000456", 100), "call.home_cli_inbound");
    CHECK_INT(vd.action, SSGW_ACT_ANSWER);
    CHECK_INT(vd.answer.kind, SSGW_ANSWER_ISUP_REL);
    CHECK_INT(vd.answer.code, 21);
    CHECK(strstr(vd.reason, "447924000123") && strstr(vd.reason, "Safari Mobile"));
    /* a Kenyan number from Safari: fine */
    CHECK_STR(call_in(2001, 2, "254722000123", "447924000456", 100), "default");
    /* our HLR sent insertSubscriberData for MSISDN 447924000123 to Safari's VLR: the
     * subscriber roams there, its calls home come from Safari with its own number */
    uint8_t pm[512];
    ssgw_buf pb, mb;
    ssgw_buf_init(&pb, pm, sizeof pm);
    ssgw_buf_init(&mb, wire, sizeof wire);
    ssgw_map_fields f;
    ssgw_map_fields_init(&f);
    snprintf(f.imsi, sizeof f.imsi, "234910000000123");
    ssgw_map_addr_set(&f.msisdn, "447924000123", 1, 1);
    ssgw_tcap_component c;
    CHECK_INT(ssgw_map_msg_component(&c, SSGW_TCAP_COMP_INVOKE, 1,
                                     SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA, 3, &f, &pb),
              0);
    ssgw_tcap_msg tm;
    memset(&tm, 0, sizeof tm);
    tm.type = SSGW_TCAP_BEGIN;
    ssgw_tcap_tid_set(&tm.otid, 0x1234, 4);
    tm.components_present = true;
    ssgw_map_route r = {.opc = 1001, .dpc = 2001, .ni = 2};
    ssgw_sccp_addr_gt(&r.called, "254722000010", 7);
    ssgw_sccp_addr_gt(&r.calling, "447924000001", 6);
    ssgw_error e;
    CHECK_INT(ssgw_map_msg_encode(&mb, &r, &tm, &c, 1, &e), 0);
    ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, wire, mb.len, 200000, &view);
    ssgw_firewall_meta meta = {.time_ms = 200000, .direction = SSGW_DIR_OUTBOUND};
    ssgw_firewall_judge(fw, &view, &meta, &vd);
    CHECK_STR(call_in(2001, 3, "447924000123", "447924000456", 300), "default");
    /* ... from Safari only: from Rhein it is still spoofed */
    CHECK_STR(call_in(2002, 4, "447924000123", "447924000456", 300), "call.home_cli_inbound");
}

static void cli_invalid(void)
{
    fresh(NULL);
    const struct {
        const char *calling;
        uint8_t nai;
        const char *check;
        const char *why;
    } cases[] = {
        {"254722000123", 4, "default", ""}, /* Kenya: 9-digit NSN */
        {"25472200012", 4, "call.cli_invalid", "too short"},
        {"2547220001234", 4, "call.cli_invalid", "too long"},
        {"4990012345678", 4, "call.cli_invalid", "premium rate"}, /* Germany 0900 */
        {"447924000123", 4, "call.home_cli_inbound", ""},         /* ours: another check */
        {"449012345678", 4, "call.cli_invalid", "premium rate"},  /* UK 09 */
        {"21012345678", 4, "call.cli_invalid", "unallocated"},    /* +210: no country */
        {"444123456789", 4, "call.cli_invalid", "unallocated"},   /* UK 04 */
        {"88234567890", 4, "default", ""},                        /* international network */
        {"979123456789", 4, "call.cli_invalid", "premium rate"},  /* IPRS */
        {"1234", 3, "call.cli_invalid", "short code"},            /* national short code */
        {"1234567", 3, "default", ""},                            /* national, plausible */
        {"4917100001234567", 4, "call.cli_invalid", "too long"},  /* 16 digits */
        {"33123456789", 4, "default", ""},                        /* France: 9 */
        {"3312345678", 4, "call.cli_invalid", "too short"},
        {"6723456789", 4, "default", ""}, /* +672: E.164 bounds */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *ch = isup(2001, 1001, (uint16_t)(10 + i), SSGW_ISUP_IAM, cases[i].calling,
                              cases[i].nai, "447924000456", SSGW_DIR_INBOUND, 100);
        if (strcmp(ch, cases[i].check))
            fprintf(stderr, "case %zu %s: %s (%s)\n", i, cases[i].calling, ch, vd.reason);
        CHECK_STR(ch, cases[i].check);
        if (cases[i].why[0]) CHECK(strstr(vd.reason, cases[i].why) != NULL);
    }
    /* no calling number, or one not available: nothing to screen */
    CHECK_STR(isup(2001, 1001, 40, SSGW_ISUP_IAM, NULL, 4, "447924000456", SSGW_DIR_INBOUND, 100),
              "default");
}

static void cli_country(void)
{
    /* Safari delivers calls for Kenyan (and Ugandan) numbers only; Rhein for anyone */
    fresh("[[check]]\nname = \"call.rate\"\nenabled = false\n");
    FILE *f = fopen("../examples/ssgw.conf", "rb");
    static char buf[24000];
    size_t n = f ? fread(buf, 1, sizeof buf - 4000, f) : 0;
    if (f) fclose(f);
    buf[n] = '\0';
    char *at = strstr(buf, "point_codes = [2001]");
    CHECK(at != NULL);
    static char conf[26000];
    snprintf(conf, sizeof conf, "%.*scli_countries = [\"KE\", \"UG\"]\n%s", (int)(at - buf), buf,
             at);
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
    ssgw_config_errors errs;
    pol = ssgw_policy_load_string("x.conf", conf, strlen(conf), &errs);
    CHECK(pol != NULL);
    fw = ssgw_firewall_new(pol, NULL);
    CHECK_STR(call_in(2001, 1, "254722000123", "447924000456", 100), "default");
    CHECK_STR(call_in(2001, 2, "256712345678", "447924000456", 100), "default");
    CHECK_STR(call_in(2001, 3, "33123456789", "447924000456", 100), "call.cli_country");
    CHECK(strstr(vd.reason, "France") && strstr(vd.reason, "Safari Mobile"));
    CHECK_STR(call_in(2002, 4, "33123456789", "447924000456", 100), "default");
    /* a French additional calling party number from Safari: the same */
    static const uint8_t nothing[1] = {0};
    uint8_t m[128], g[32];
    size_t gl = generic_number(g, 6, "33123456789");
    size_t mn = iam_with(m, sizeof m, 5, "254722000123", g, gl, nothing, 0);
    CHECK_STR(judge_raw(2001, m, mn, 100), "call.cli_country");
    CHECK(strstr(vd.reason, "additional calling party number (generic number) 33123456789"));
    /* a country list that does not parse is an error naming the value */
    static const char bad_conf[] = "[home]\nmcc_mnc = [\"23491\"]\ngt_prefixes = [\"447924\"]\n"
                                   "[[partner]]\nname = \"A\"\ngt_prefixes = [\"33\"]\n"
                                   "cli_countries = [\"fr\"]\n";
    ssgw_policy *bad = ssgw_policy_load_string("y.conf", bad_conf, strlen(bad_conf), &errs);
    CHECK(bad == NULL && errs.n == 1 && strstr(errs.e[0].text, "cli_countries"));
    ssgw_policy_free(bad);
}

static void rate_and_fanout(void)
{
    fresh("[calls]\nrate = \"3/60s\"\nfanout = \"2/600s\"\n");
    /* three calls a minute from one number pass, the fourth is over the rate */
    for (int i = 0; i < 3; i++)
        CHECK_STR(call_in(2001, (uint16_t)(1 + i), "254722000123", "447924000456", 100), "default");
    CHECK_STR(call_in(2001, 4, "254722000123", "447924000456", 100), "call.rate");
    CHECK_INT(vd.action, SSGW_ACT_RATE_LIMIT);
    /* another number: two destinations pass, repeating one is no new destination, the third
     * new one is fan-out */
    CHECK_STR(call_in(2001, 5, "254722000999", "447924000001", 200), "default");
    CHECK_STR(call_in(2001, 6, "254722000999", "447924000002", 260), "default");
    CHECK_STR(call_in(2001, 7, "254722000999", "447924000002", 320), "default");
    CHECK_STR(call_in(2001, 8, "254722000999", "447924000003", 380), "call.fanout");
    CHECK(strstr(vd.reason, "254722000999") != NULL);
    /* over its fan-out, its call to a number it called before is released too, until the
     * bucket had time to refill one (600 s / 2) */
    CHECK_STR(call_in(2001, 9, "254722000999", "447924000001", 400), "call.fanout");
    CHECK(strstr(vd.reason, "calls again") != NULL);
    CHECK_STR(call_in(2001, 10, "254722000999", "447924000002", 681), "default");
}

static void wangiri(void)
{
    fresh("[calls]\nwangiri = \"2/600s\"\nshort_call = 8\n");
    const char *scam = "254722000777";
    /* an answered call does not count; a call ringing longer than short_call does not */
    CHECK_STR(call_in(2001, 1, scam, "447924000001", 100), "default");
    isup(1001, 2001, 1, SSGW_ISUP_ANM, NULL, 0, NULL, SSGW_DIR_OUTBOUND, 101);
    isup(2001, 1001, 1, SSGW_ISUP_REL, NULL, 0, NULL, SSGW_DIR_INBOUND, 103);
    CHECK_STR(call_in(2001, 2, scam, "447924000002", 110), "default");
    isup(2001, 1001, 2, SSGW_ISUP_REL, NULL, 0, NULL, SSGW_DIR_INBOUND, 130);
    CHECK_INT(circuits(), 0); /* released: nothing kept */
    /* short unanswered calls released by the caller: two to different numbers (twice to the
     * same one counts once), the third flags the number */
    for (int i = 0; i < 4; i++) {
        uint16_t cic = (uint16_t)(10 + i);
        const char *to = i == 1   ? "447924000003"
                         : i == 0 ? "447924000003"
                         : i == 2 ? "447924000004"
                                  : "447924000005";
        CHECK_STR(call_in(2001, cic, scam, to, 200 + (uint32_t)i * 10), "default");
        CHECK_INT(circuits(), 1);
        isup(2001, 1001, cic, SSGW_ISUP_REL, NULL, 0, NULL, SSGW_DIR_INBOUND,
             202 + (uint32_t)i * 10);
        isup(1001, 2001, cic, SSGW_ISUP_RLC, NULL, 0, NULL, SSGW_DIR_OUTBOUND,
             202 + (uint32_t)i * 10);
        CHECK_INT(circuits(), 0);
    }
    CHECK_STR(call_in(2001, 20, scam, "447924000009", 300), "call.wangiri");
    CHECK(strstr(vd.reason, scam) && strstr(vd.reason, "wangiri"));
    /* others are not affected; the flag ends after wangiri_block */
    CHECK_STR(call_in(2001, 21, "254722000778", "447924000009", 300), "default");
    CHECK_STR(call_in(2001, 22, scam, "447924000009", 300 + 3601), "default");
}

static void numbering_table(void)
{
    /* the compiled table matches data/e164-numbering.csv row by row (sorted by prefix) */
    FILE *f = fopen("../data/e164-numbering.csv", "r");
    CHECK(f != NULL);
    if (!f) return;
    char line[256];
    size_t rows = 0, matched = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || !strncmp(line, "prefix,", 7)) continue;
        char prefix[16], kind[16];
        int mn = 0, mx = 0;
        if (sscanf(line, "%15[^,],%15[^,],%d,%d", prefix, kind, &mn, &mx) < 2) continue;
        rows++;
        for (size_t i = 0; i < ssgw_numbering_table_len; i++) {
            const numbering_entry *e = &ssgw_numbering_table[i];
            static const char *const kinds[] = {"length", "premium", "unallocated", "network"};
            if (!strcmp(e->prefix, prefix) && !strcmp(kinds[e->kind], kind) &&
                (e->kind != NUM_LENGTH || (e->min == mn && e->max == mx)))
                matched++;
        }
    }
    fclose(f);
    CHECK_INT(rows, ssgw_numbering_table_len);
    CHECK_INT(matched, rows);
    for (size_t i = 1; i < ssgw_numbering_table_len; i++)
        CHECK(strcmp(ssgw_numbering_table[i - 1].prefix, ssgw_numbering_table[i].prefix) < 0);
    const char *note;
    CHECK_INT(numbering_classify("12025550123", true, &note), NUMBER_OK);
    CHECK_INT(numbering_classify("19005550123", true, &note), NUMBER_PREMIUM);
    CHECK_INT(numbering_classify("1202555012", true, &note), NUMBER_TOO_SHORT);
    CHECK_INT(numbering_classify("79161234567", true, &note), NUMBER_OK);
    CHECK_STR(note, "Russia / Kazakhstan");
    CHECK_INT(numbering_classify("999123456", true, &note), NUMBER_UNALLOCATED);
}

/* ---- references for the lookups, written as plain scans of the tables ---- */

/* The country whose code (1-4 digits) is the longest prefix of digits, by a linear scan. */
static const geo_entry *geo_reference(const char *digits)
{
    const geo_entry *best = NULL;
    size_t bl = 0;
    for (size_t i = 0; i < geo_count(); i++) {
        const char *c = geo_at(i)->code;
        size_t l = strlen(c);
        if (l > bl && l <= 4 && !strncmp(digits, c, l)) {
            best = geo_at(i);
            bl = l;
        }
    }
    return best;
}

/* The longest numbering entry of the kinds in mask starting digits (first of equals). */
static const numbering_entry *longest_reference(const char *digits, unsigned mask)
{
    const numbering_entry *best = NULL;
    size_t bl = 0;
    for (size_t i = 0; i < ssgw_numbering_table_len; i++) {
        const numbering_entry *e = &ssgw_numbering_table[i];
        size_t l = strlen(e->prefix);
        if ((mask & (1u << e->kind)) && l > bl && !strncmp(digits, e->prefix, l)) {
            best = e;
            bl = l;
        }
    }
    return best;
}

/* A random number: often a prefix of the tables (numbering or geography) followed by random
 * digits, else random digits; now and then a non-digit. Written at the end of an exact-size
 * buffer (ASan sees a read past the NUL). */
static char *random_number(void)
{
    char tmp[24];
    size_t n = 0;
    uint64_t r = check_rand();
    const char *head = r % 3 == 0 ? ssgw_numbering_table[(r >> 8) % ssgw_numbering_table_len].prefix
                       : r % 3 == 1 ? geo_at((size_t)((r >> 8) % geo_count()))->code
                                    : "";
    for (; head[n] && n < 16; n++)
        tmp[n] = head[n];
    size_t len = n + (size_t)(check_rand() % 14);
    if (len > 18) len = 18;
    while (n < len) {
        uint64_t q = check_rand();
        tmp[n++] = q % 50 ? (char)('0' + (q >> 8) % 10) : "#*a:/"[(q >> 8) % 5];
    }
    char *s = malloc(n + 1);
    memcpy(s, tmp, n);
    s[n] = '\0';
    return s;
}

/* The country-code slots and the numbering runs give what plain scans of the tables give,
 * for every mask numbering_classify asks with, on 300,000 random numbers. */
static void lookups_random(void)
{
    static const unsigned masks[] = {1u << NUM_PREMIUM | 1u << NUM_UNALLOCATED | 1u << NUM_NETWORK,
                                     1u << NUM_LENGTH, 1u << NUM_PREMIUM};
    unsigned geo_diff = 0, longest_diff = 0, found = 0, entries = 0;
    for (int i = 0; i < 300000; i++) {
        char *d = random_number();
        const geo_entry *g = geo_lookup(d);
        if (g != geo_reference(d)) geo_diff++;
        found += g != NULL;
        for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
            const numbering_entry *e = numbering_longest(d, masks[m]);
            if (e != longest_reference(d, masks[m])) longest_diff++;
            entries += e != NULL;
        }
        free(d);
    }
    CHECK_INT(geo_diff, 0);
    CHECK_INT(longest_diff, 0);
    CHECK(found > 150000);  /* most inputs reach a country, not only the misses */
    CHECK(entries > 50000); /* and many reach a numbering entry */
}

/* A partner switched off (management API): its new calls are refused, the messages of calls
 * already up pass (no circuit left seized); its calls count as its traffic, not unknown. */
static void partner_switched_off(void)
{
    fresh(NULL);
    CHECK_STR(call_in(2001, 1, "254722000123", "447924000456", 100), "default");
    CHECK_INT(ssgw_firewall_switch_partner(fw, "Safari Mobile", SSGW_FW_SWITCH_OFF), 0);
    CHECK_STR(call_in(2001, 2, "254722000124", "447924000456", 101), "partner.disabled");
    CHECK(vd.action == SSGW_ACT_DROP);
    CHECK_STR(isup(2001, 1001, 1, SSGW_ISUP_REL, NULL, 0, NULL, SSGW_DIR_INBOUND, 102), "default");
    CHECK_STR(call_in(2002, 3, "491711234567", "447924000456", 103), "default");
    size_t safari = 0;
    for (size_t i = 1; i < ssgw_firewall_party_count(fw); i++) {
        ssgw_fw_party_stats ps;
        ssgw_firewall_party_stats_at(fw, i, &ps);
        if (!strcmp(ps.name, "Safari Mobile")) {
            safari = i;
            CHECK(ps.disabled && ps.messages == 3 && ps.refused == 1);
        }
    }
    CHECK(safari != 0);
}

int main(int argc, char **argv)
{
    char err[160];
    if (argc == 3 && !strcmp(argv[1], "--rel-pcap") &&
        !(rel_pcap = ssgw_pcap_writer_open(argv[2], 1, err, sizeof err))) {
        fprintf(stderr, "%s: %s\n", argv[2], err);
        return 1;
    }
    dec = ssgw_decoder_new(NULL);
    RUN(home_cli);
    RUN(malformed_iam);
    RUN(generic_cli);
    RUN(cli_invalid);
    RUN(cli_country);
    RUN(rate_and_fanout);
    RUN(wangiri);
    RUN(numbering_table);
    RUN(lookups_random);
    RUN(partner_switched_off);
    ssgw_firewall_free(fw);
    ssgw_policy_free(pol);
    ssgw_decoder_free(dec);
    CHECK_INT(ssgw_pcap_writer_close(rel_pcap), 0);
    return check_summary();
}
