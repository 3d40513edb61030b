/*
 * test_record.c - the shared record builder and the decoder's handling of capture
 * records: a record that does not fit still yields a record (with an error key);
 * a capture error record becomes an error view and is counted once.
 */
#include "check.h"
#include "ssgw/gen.h"
#include "ssgw/record.h"

static void head(ssgw_json *j, const void *ctx)
{
    ssgw_json_int(j, "frame", *(const int *)ctx);
}
static void tail(ssgw_json *j, const void *ctx)
{
    (void)ctx;
    ssgw_json_str(j, "verdict", "allow");
}

static void record_build_fallback(void)
{
    uint8_t mem[4096];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_gen_info info;
    ssgw_error e;
    CHECK_INT(ssgw_gen_message(1, 0, NULL, &b, &info, &e), 0); /* updateLocation, Begin */
    ssgw_decoder *d = ssgw_decoder_new(NULL);
    static ssgw_view v;
    CHECK_INT(ssgw_decoder_run(d, SSGW_CAPTURE_KIND_M3UA, b.data, b.len, 0, &v), 0);
    char rec[8192];
    int frame = 7;
    bool fb = true;
    long n = ssgw_record_build(rec, sizeof rec, head, &v, tail, &frame, &fb);
    CHECK(n > 0);
    CHECK(!fb);
    CHECK(strstr(rec, "\"op\":\"updateLocation\"") != NULL);
    CHECK(strstr(rec, "\"verdict\":\"allow\"}") != NULL);
    /* Too small for the decode keys: the record is still written, with an error. */
    n = ssgw_record_build(rec, 120, head, &v, tail, &frame, &fb);
    CHECK(n > 0);
    CHECK(fb);
    CHECK_STR(rec, "{\"frame\":7,\"error\":\"record: too large to print\",\"verdict\":\"allow\"}");
    /* Too small for anything. */
    CHECK_INT(ssgw_record_build(rec, 20, head, &v, tail, &frame, &fb), -1);
    ssgw_decoder_free(d);
}

static void capture_error_record(void)
{
    ssgw_decoder *d = ssgw_decoder_new(NULL);
    static ssgw_view v;
    uint8_t mem[4096];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_gen_info info;
    ssgw_error e;
    CHECK_INT(ssgw_gen_message(1, 0, NULL, &b, &info, &e), 0);
    ssgw_capture_msg ok = {
        .frame = 1, .kind = SSGW_CAPTURE_KIND_M3UA, .data = b.data, .len = b.len};
    CHECK_INT(ssgw_decoder_run_capture(d, &ok, &v), 0);
    CHECK(v.has_tcap);
    /* An IP-level error record: nothing of the earlier message may survive in the view. */
    ssgw_capture_msg bad = {.frame = 2, .is_error = true};
    ssgw_fail(&bad.error, SSGW_LAYER_IP, SSGW_E_TRUNCATED, "total length", 16);
    CHECK_INT(ssgw_decoder_run_capture(d, &bad, &v), -1);
    CHECK(v.has_error);
    CHECK(!v.has_m3ua && !v.has_label && !v.has_sccp && !v.has_tcap);
    CHECK_INT(v.error.layer, SSGW_LAYER_IP);
    char rec[1024];
    CHECK(ssgw_record_build(rec, sizeof rec, NULL, &v, NULL, NULL, NULL) > 0);
    CHECK_STR(rec, "{\"error\":\"ip: total length: truncated at byte 16\",\"error_layer\":\"ip\","
                   "\"error_field\":\"total length\",\"error_offset\":16}");
    const ssgw_decoder_stats *st = ssgw_decoder_get_stats(d);
    CHECK_INT(st->messages, 2);
    CHECK_INT(st->decoded, 1);
    CHECK_INT(st->errors_by_layer[SSGW_LAYER_IP], 1);
    ssgw_decoder_free(d);
}

int main(void)
{
    RUN(record_build_fallback);
    RUN(capture_error_record);
    return check_summary();
}
