/*
 * test_record.c - the shared record builder and the decoder's handling of capture
 * records: a record that does not fit still yields a record (with an error key);
 * a capture error record becomes an error view and is counted once.
 */
#include "check.h"
#include "ssgw/gen.h"
#include "ssgw/map.h"
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

/* An ISUP IAM: the view decodes it (SI 5) and the record names the message, the circuit
 * and the numbers; the firewall-facing view has no SCCP. */
static void isup_record(void)
{
    uint8_t mem[512];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_gen_info info;
    ssgw_error e;
    CHECK_INT(ssgw_gen_isup_message(3, 0, &b, &info, &e), 0); /* the walk starts with an IAM */
    CHECK_INT(info.isup_type, SSGW_ISUP_IAM);
    static ssgw_view v;
    CHECK_INT(ssgw_view_decode_m3ua(&v, b.data, b.len), 0);
    CHECK(v.has_isup && !v.has_sccp && !v.has_tcap);
    CHECK_INT(v.si, 5);
    char rec[4096];
    CHECK(ssgw_record_build(rec, sizeof rec, NULL, &v, NULL, NULL, NULL) > 0);
    char want[64];
    snprintf(want, sizeof want, "\"isup\":\"iam\",\"isup_type\":1,\"cic\":%u", v.isup.cic);
    CHECK(strstr(rec, want) != NULL);
    snprintf(want, sizeof want, "\"called_number\":\"%s\"", v.isup.f.called.digits);
    CHECK(strstr(rec, want) != NULL);
    CHECK(strstr(rec, "\"isup_params\":[6,7,9,2,4") != NULL);
    /* a malformed ISUP message: the error names the layer and the offset in the M3UA message */
    mem[v.isup_base + v.isup.len - 1] = 0x05; /* the end-of-optional-parameters octet */
    CHECK_INT(ssgw_view_decode_m3ua(&v, b.data, b.len), -1);
    CHECK_INT(v.error.layer, SSGW_LAYER_ISUP);
    CHECK(v.error.offset > v.isup_base && v.error.offset < b.len);
}

/* A short message: its keys are in the record, its text only when asked for. */
static void sms_record_privacy(void)
{
    uint8_t mem[1024];
    ssgw_decoder *d = ssgw_decoder_new(NULL);
    static ssgw_view v;
    unsigned with_text = 0;
    for (uint64_t i = 0; i < ssgw_gen_sms_shapes() * 3; i++) {
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        ssgw_gen_info info;
        ssgw_error e;
        CHECK_INT(ssgw_gen_sms_message(9, i, &b, &info, &e), 0);
        CHECK_INT(ssgw_decoder_run(d, SSGW_CAPTURE_KIND_M3UA, b.data, b.len, 0, &v), 0);
        char rec[8192];
        CHECK(ssgw_record_build(rec, sizeof rec, NULL, &v, NULL, NULL, NULL) > 0);
        CHECK(strstr(rec, "\"sms_type\":") != NULL);
        CHECK(strstr(rec, "\"sms_text\"") == NULL && strstr(rec, "\"sms_body\"") == NULL);
        CHECK(strstr(rec, "\"error\"") == NULL);
        if (!strstr(rec, "\"sms_text_chars\"")) continue;
        ssgw_json j;
        ssgw_json_begin(&j, rec, sizeof rec);
        ssgw_record_sms_text(&j, &v);
        CHECK(ssgw_json_end(&j) > 0);
        CHECK(strncmp(rec, "{\"sms_text\":\"", 13) == 0);
        with_text++;
    }
    CHECK(with_text > 0);
    ssgw_decoder_free(d);
}

/* MAP field names go to the JSON writer with their length, copied unchecked: each must be
 * plain (lower case, digits, '_') and its length right. */
static void map_keys_plain_with_length(void)
{
    for (int f = 0; f <= SSGW_MAP_F_COUNT; f++) { /* and one past the end: "unknown" */
        size_t len = 0;
        const char *key = ssgw_map_field_key((ssgw_map_field)f, &len);
        CHECK_INT(len, strlen(key));
        CHECK_STR(key, ssgw_map_field_name((ssgw_map_field)f));
        for (size_t i = 0; i < len; i++)
            CHECK((key[i] >= 'a' && key[i] <= 'z') || (key[i] >= '0' && key[i] <= '9') ||
                  key[i] == '_');
    }
}

int main(void)
{
    RUN(record_build_fallback);
    RUN(capture_error_record);
    RUN(isup_record);
    RUN(sms_record_privacy);
    RUN(map_keys_plain_with_length);
    return check_summary();
}
