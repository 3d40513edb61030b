/*
 * test_record_paths.c - the record's keys written in groups (src/obs/record.c through
 * util/json_int.h: one room check for several keys) against the same record code built
 * with every group item going through the item writers of include/ssgw/json.h (which
 * test_json proves against its octet-at-a-time reference writer): the same bytes, or the
 * same fallback and overflow, for every kind of message the generators make (MAP with
 * every user, SMS TPDUs, ISUP, Diameter, mutated and cut copies of them), frames of every
 * shape (IPv4 / IPv6 / no addresses, negative and odd times, every transport), at the full
 * buffer size and at every buffer size below the record's length.
 */
#include <string.h>

#include "check.h"
#include "ssgw/gen.h"
#include "ssgw/map.h"
#include "ssgw/record.h"

/* record.c built a second time, its groups written item by item: the reference. */
#define SSGW_JG_REFERENCE
#define ssgw_record_time         ref_record_time
#define ssgw_record_event_head   ref_record_event_head
#define ssgw_record_frame        ref_record_frame
#define ssgw_record_capture_head ref_record_capture_head
#define ssgw_record_error        ref_record_error
#define ssgw_record_view         ref_record_view
#define ssgw_record_sms_text     ref_record_sms_text
#define ssgw_record_build        ref_record_build
#define ssgw_record_result       ref_record_result
void ssgw_record_time(ssgw_json *j, const char *key, uint64_t ms);
void ssgw_record_event_head(ssgw_json *j, const ssgw_event_head *h);
void ssgw_record_frame(ssgw_json *j, const ssgw_capture_msg *cm);
void ssgw_record_capture_head(ssgw_json *j, const ssgw_capture_msg *cm);
void ssgw_record_error(ssgw_json *j, const ssgw_error *e);
void ssgw_record_view(ssgw_json *j, ssgw_view *v);
void ssgw_record_sms_text(ssgw_json *j, ssgw_view *v);
long ssgw_record_build(char *buf, size_t cap, ssgw_record_fn head, ssgw_view *v,
                       ssgw_record_fn tail, const void *ctx, bool *fallback);
void ssgw_record_result(ssgw_json *j, const ssgw_pipeline_result *r);
#include "obs/record.c"
#undef ssgw_record_time
#undef ssgw_record_event_head
#undef ssgw_record_frame
#undef ssgw_record_capture_head
#undef ssgw_record_error
#undef ssgw_record_view
#undef ssgw_record_sms_text
#undef ssgw_record_build
#undef ssgw_record_result

typedef struct {
    const ssgw_capture_msg *cm;
    const ssgw_pipeline_result *r;
    bool capture_head; /* analyze's head (schema, event, frame) rather than decode's */
} rec_ctx;

static void head_fast(ssgw_json *j, const void *ctx)
{
    const rec_ctx *c = ctx;
    if (c->capture_head)
        ssgw_record_capture_head(j, c->cm);
    else
        ssgw_record_frame(j, c->cm);
}
static void head_ref(ssgw_json *j, const void *ctx)
{
    const rec_ctx *c = ctx;
    if (c->capture_head)
        ref_record_capture_head(j, c->cm);
    else
        ref_record_frame(j, c->cm);
}
static void tail_fast(ssgw_json *j, const void *ctx)
{
    const rec_ctx *c = ctx;
    if (c->r) ssgw_record_result(j, c->r);
}
static void tail_ref(ssgw_json *j, const void *ctx)
{
    const rec_ctx *c = ctx;
    if (c->r) ref_record_result(j, c->r);
}

static unsigned compared;

/* The record of v (decoded again for each build: the view's lazy parts are filled as the
 * record asks for them) by both paths, at cap; true when both agree. */
static bool same_record(const uint8_t *msg, size_t len, ssgw_capture_kind kind, const rec_ctx *c,
                        size_t cap)
{
    static ssgw_view v;
    static char a[16385], b[16385];
    ssgw_decoder *d = ssgw_decoder_new(NULL);
    ssgw_decoder_run(d, kind, msg, len, 0, &v);
    bool fa, fb;
    memset(a, 'x', sizeof a);
    long na = ssgw_record_build(a, cap, head_fast, &v, tail_fast, c, &fa);
    ssgw_decoder_free(d);
    d = ssgw_decoder_new(NULL);
    ssgw_decoder_run(d, kind, msg, len, 0, &v);
    memset(b, 'x', sizeof b);
    long nb = ref_record_build(b, cap, head_ref, &v, tail_ref, c, &fb);
    ssgw_decoder_free(d);
    compared++;
    bool same = na == nb && fa == fb && (na < 0 || memcmp(a, b, (size_t)na + 1) == 0) &&
                a[cap] == 'x'; /* nothing at or past cap */
    if (!same) {
        fprintf(stderr, "cap %zu: fast %ld (fallback %d), reference %ld (fallback %d)\n", cap, na,
                fa, nb, fb);
        if (na > 0) fprintf(stderr, "fast: %s\n", a);
        if (nb > 0) fprintf(stderr, "ref:  %s\n", b);
    }
    return same;
}

/* Frames of every shape: addresses, times, transports. */
static void frame_shape(ssgw_capture_msg *cm, unsigned i)
{
    memset(cm, 0, sizeof *cm);
    cm->frame = i % 7 == 3 ? UINT64_MAX - i : i + 1;
    cm->ts_sec = i % 11 == 5 ? -(int64_t)i : 1700000000 + (int64_t)i * 37;
    cm->ts_usec = i % 13 == 7 ? 1234567u + i : (uint32_t)(i * 7919u % 1000000u);
    static const char *const ips[][2] = {{"10.0.0.1", "10.1.0.1"},
                                         {"2001:db8::1", "2001:db8:ffff:ffff:ffff:ffff:ffff:fffe"},
                                         {"", ""},
                                         {"1.2.3.4\"x", "a\\b"},
                                         {"10.0.0.1", "10.0.0.12"},
                                         {"10.0.0.12", "10.0.0.1"},
                                         {"10.0.0.1", "10.0.0.1"}};
    size_t shape = i % 7;
    /* the array past the text's NUL as the capture may leave it: what an earlier text had */
    memset(cm->src_ip, i % 3 ? 0 : '7', sizeof cm->src_ip);
    memset(cm->dst_ip, i % 3 ? 0 : '7', sizeof cm->dst_ip);
    memcpy(cm->src_ip, ips[shape][0], strlen(ips[shape][0]) + 1);
    memcpy(cm->dst_ip, ips[shape][1], strlen(ips[shape][1]) + 1);
    cm->src_ip[sizeof cm->src_ip - 1] = cm->dst_ip[sizeof cm->dst_ip - 1] = '\0';
    bool same_ports = shape >= 4; /* ends told apart by their address alone */
    cm->src_port = same_ports ? 2905 : (uint16_t)(i * 131);
    cm->dst_port = same_ports ? (uint16_t)(2905 + i % 2) : (uint16_t)(65535 - i);
    cm->transport = (ssgw_capture_transport)(i % 3);
    cm->sctp_stream = (uint16_t)(i * 3);
}

/* Pipeline results of every shape the result keys have: verdicts with checks and reasons
 * short and long, plain and not, answers, incidents, alerts; trust and calls too. */
static void result_shape(ssgw_pipeline_result *r, unsigned i)
{
    static const char *const checks[] = {"cat1.operation", "rule.a \"quoted\" rule",
                                         "rule.a-rule-name-longer-than-thirty-two-octets", ""};
    static const char *const reasons[] = {
        "default", "",
        "category 1 operation anyTimeInterrogation from partner Rhein Telekom (GT 4917...)",
        "bad \\ reason \x01 with \xc3\xa9 and \xff"};
    memset(r, 0, sizeof *r);
    r->direction = (ssgw_direction)(i % 4);
    r->action = (ssgw_pl_action)(i % 5);
    r->alert = i % 7 == 2;
    r->has_verdict = i % 5 != 4;
    r->verdict.action = (ssgw_action)(i % 6);
    r->verdict.enforced = i % 2;
    r->verdict.category = (ssgw_category)(i % 5);
    r->verdict.check = checks[i % 4];
    snprintf(r->verdict.reason, sizeof r->verdict.reason, "%s", reasons[(i / 4) % 4]);
    r->verdict.answer.kind = (ssgw_answer_kind)(i % 8);
    r->verdict.answer.code = (int)(i % 40);
    r->verdict.incident = i % 3 == 0 ? 0 : i % 3 == 1 ? 0xffffffffu - i : i;
    if (i % 11 == 0) {
        r->trust_checked = true;
        r->partner = "Safari Mobile";
        r->token.present = true;
        r->token.bytes = 134;
    }
    r->signed_msg = i % 13 == 0;
    r->token_added = 134;
    r->cli_checked = i % 17 == 0;
}

static void records_same_by_both_paths(void)
{
    int failed_before = check_failed;
    uint8_t mem[4096];
    ssgw_gen_opts opts;
    ssgw_gen_opts_default(&opts);
    opts.users = SSGW_GEN_USER_MAP | SSGW_GEN_USER_CAP | SSGW_GEN_USER_SCMG | SSGW_GEN_USER_ANSI;
    for (unsigned i = 0; i < 1600 && check_failed == failed_before; i++) {
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        ssgw_gen_info info;
        ssgw_gen_diam_info dinfo;
        ssgw_error e;
        ssgw_capture_kind kind = SSGW_CAPTURE_KIND_M3UA;
        int r;
        switch (i % 5) {
        case 0:
            r = ssgw_gen_message(1, i, NULL, &b, &info, &e);
            break;
        case 1:
            r = ssgw_gen_message(2, i, &opts, &b, &info, &e);
            break;
        case 2:
            r = ssgw_gen_sms_message(3, i, &b, &info, &e);
            break;
        case 3:
            r = ssgw_gen_isup_message(4, i, &b, &info, &e);
            break;
        default:
            r = ssgw_gen_diameter(5, i, &b, &dinfo, &e);
            kind = SSGW_CAPTURE_KIND_DIAMETER;
            break;
        }
        CHECK_INT(r, 0);
        uint8_t *msg = (uint8_t *)b.data;
        size_t len = b.len;
        if (i % 4 == 1 && len > 20) msg[20 + i % (len - 20)] ^= (uint8_t)(1 + i % 255);
        if (i % 4 == 2) len -= i % len;
        ssgw_capture_msg cm;
        frame_shape(&cm, i);
        ssgw_pipeline_result res;
        result_shape(&res, i);
        rec_ctx c = {&cm, i % 3 ? &res : NULL, i % 2 == 1};
        CHECK(same_record(msg, len, kind, &c, 16384));
        if (i % 16 == 0) /* every buffer size up to the record's */
            for (size_t cap = 0; cap < 1400 && check_failed == failed_before; cap++)
                CHECK(same_record(msg, len, kind, &c, cap));
    }
    printf("records compared: %u\n", compared);
}

int main(void)
{
    RUN(records_same_by_both_paths);
    return check_summary();
}
