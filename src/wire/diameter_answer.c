/*
 * diameter_answer.c - answers an agent builds itself (RFC 6733 6.2, 7.1): the
 * edge proxy's routing errors (UNABLE_TO_DELIVER, REALM_NOT_SERVED, LOOP_DETECTED,
 * TOO_BUSY), its answers to malformed requests (the Result-Code for the decoder's
 * error), and the firewall's refusals (a Result-Code or an Experimental-Result
 * per check). Built from the request's raw bytes, so a request that does not
 * decode can still be answered.
 */
#include <string.h>

#include "ssgw/diameter.h"
#include "util/bytes.h"

uint32_t ssgw_diam_result_for_error(const ssgw_error *e)
{
    if (!e || !e->field) return SSGW_DIAM_UNABLE_TO_COMPLY;
    if (!strcmp(e->field, "version")) return SSGW_DIAM_UNSUPPORTED_VERSION;
    if (!strcmp(e->field, "message length") || !strcmp(e->field, "header"))
        return SSGW_DIAM_INVALID_MESSAGE_LENGTH;
    if (!strcmp(e->field, "command flags")) return SSGW_DIAM_INVALID_HDR_BITS;
    if (!strcmp(e->field, "avp flags")) return SSGW_DIAM_INVALID_AVP_BITS;
    if (e->code == SSGW_E_TOO_DEEP) return SSGW_DIAM_UNABLE_TO_COMPLY;
    /* AVP header, length, padding, vendor id, or a value of the wrong size for its type */
    return SSGW_DIAM_INVALID_AVP_LENGTH;
}

/* The request's Session-Id (first well-formed AVP of that code at the top level). */
static bool find_session_id(const uint8_t *req, size_t len, ssgw_diam_avp *a)
{
    size_t mlen = get_be24(req + 1);
    if (mlen > len) mlen = len;
    if (mlen < SSGW_DIAM_HEADER_LEN) return false;
    ssgw_diam_iter it = {req + SSGW_DIAM_HEADER_LEN, mlen - SSGW_DIAM_HEADER_LEN, 0,
                         SSGW_DIAM_HEADER_LEN};
    while (ssgw_diam_next(&it, a, NULL) == 1)
        if (a->code == SSGW_DIAM_AVP_SESSION_ID && a->vendor == 0) return true;
    return false;
}

long ssgw_diam_answer(ssgw_buf *b, const uint8_t *req, size_t len, const ssgw_diam_answer_spec *a)
{
    if (len < SSGW_DIAM_HEADER_LEN) return -1;
    bool protocol_error = a->vendor == 0 && a->result >= 3000 && a->result < 4000;
    uint8_t flags =
        (uint8_t)((req[4] & SSGW_DIAM_FLAG_P) | (protocol_error ? SSGW_DIAM_FLAG_E : 0));
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, b, flags, get_be24(req + 5), get_be32(req + 8), get_be32(req + 12),
                        get_be32(req + 16));
    ssgw_diam_avp sid;
    if (find_session_id(req, len, &sid))
        ssgw_diam_enc_avp(&e, SSGW_DIAM_AVP_SESSION_ID, 0, sid.data, sid.len);
    if (a->vendor) {
        ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_EXPERIMENTAL_RESULT, 0);
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_VENDOR_ID, 0, a->vendor);
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_EXPERIMENTAL_RESULT_CODE, 0, a->result);
        ssgw_diam_enc_group_end(&e);
    } else {
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_RESULT_CODE, 0, a->result);
    }
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, a->origin_host ? a->origin_host : "");
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, a->origin_realm ? a->origin_realm : "");
    if (a->error_message && a->error_message[0])
        ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ERROR_MESSAGE, 0, a->error_message);
    return ssgw_diam_enc_end(&e);
}
