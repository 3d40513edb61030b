/*
 * fuzz_sms.c - libFuzzer target for the SMS TPDU codec (3GPP TS 23.040).
 *
 * Input: octet 0 bit 0 = direction (1: from the MS), then the TPDU. A TPDU the decoder
 * accepts gives its text (or none) without overrunning; when the encoder can write it
 * again from the decoded fields and text, the result decodes to the same type,
 * addresses, concatenation and ports.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/gsm7.h"
#include "ssgw/sms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    ssgw_sms_dir dir = (data[0] & 1) ? SSGW_SMS_FROM_MS : SSGW_SMS_TO_MS;
    const uint8_t *tpdu = data + 1;
    size_t len = size - 1;
    static ssgw_sms_tpdu t, u;
    ssgw_error err;
    char text[SSGW_SMS_TEXT_CAP];
    /* the septet unpacker on its own, from any septet */
    if (len) (void)ssgw_gsm7_unpack_septets(tpdu, len, data[0] >> 1, len, text, sizeof text);
    if (ssgw_sms_decode(tpdu, len, dir, &t, &err) != 0) {
        if (err.layer != SSGW_LAYER_SMS || err.offset > len) abort();
        return 0;
    }
    size_t chars;
    int n = ssgw_sms_text(&t, text, sizeof text, &chars);
    if (n >= 0 && (strlen(text) != (size_t)n || chars > (size_t)n)) abort();
    const uint8_t *body = (const uint8_t *)text;
    size_t body_len = n > 0 ? (size_t)n : 0;
    if (n < 0 && t.ud) {
        body = t.ud + t.text_first;
        body_len = t.text_count;
    }
    static uint8_t out[512];
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    if (ssgw_sms_encode(&b, &t, body, body_len, &err) != 0) return 0;
    if (ssgw_sms_decode(out, b.len, dir, &u, &err) != 0) abort();
    /* (the encoder writes a header only for concatenation and ports, so UDHI may differ) */
    if (u.type != t.type || u.concat != t.concat || u.ports != t.ports ||
        strcmp(u.oa.text, t.oa.text) != 0 || strcmp(u.da.text, t.da.text) != 0 ||
        strcmp(u.ra.text, t.ra.text) != 0)
        abort();
    return 0;
}
