/*
 * m2pa.c - M2PA (RFC 4165; include/ssgw/sigtran.h): the common header (2.1:
 * version 1, spare, class 11, type, length of the whole message), the M2PA
 * header (2.2: BSN and FSN, 24 bits after an unused octet), then User Data
 * (2.3.1: a priority octet and the MTP3 message, or nothing for a message that
 * only acknowledges) or Link Status (2.3.2: the state, optional filler).
 */
#include "ssgw/sigtran.h"

#include "util/bytes.h"

#define FAIL(code, field, off) ssgw_fail(err, SSGW_LAYER_M2PA, (code), (field), (off))

const char *ssgw_m2pa_msg_name(int type)
{
    return type == SSGW_M2PA_USER_DATA     ? "user_data"
           : type == SSGW_M2PA_LINK_STATUS ? "link_status"
                                           : "unknown";
}

const char *ssgw_m2pa_link_status_name(uint32_t state)
{
    static const char *const n[] = {
        NULL,         "alignment",        "proving_normal",      "proving_emergency",
        "ready",      "processor_outage", "processor_recovered", "busy",
        "busy_ended", "out_of_service"};
    return state >= 1 && state <= 9 ? n[state] : "unknown";
}

int ssgw_m2pa_decode(const uint8_t *buf, size_t len, ssgw_m2pa_msg *out, ssgw_error *err)
{
    if (len < 8) return FAIL(SSGW_E_TRUNCATED, "common header", 0);
    if (buf[0] != SSGW_M2PA_VERSION) return FAIL(SSGW_E_BAD_VALUE, "version", 0);
    if (buf[2] != SSGW_M2PA_CLASS) return FAIL(SSGW_E_BAD_VALUE, "message class", 2);
    uint32_t mlen = get_be32(buf + 4);
    if (mlen != len) return FAIL(SSGW_E_BAD_LENGTH, "message length", 4);
    if (len < SSGW_M2PA_HDR_LEN) return FAIL(SSGW_E_TRUNCATED, "m2pa header", 8);
    out->msg_type = buf[3];
    out->bsn = get_be32(buf + 8) & 0xffffff;
    out->fsn = get_be32(buf + 12) & 0xffffff;
    out->has_data = false;
    out->priority = 0;
    out->mtp3 = NULL;
    out->mtp3_len = 0;
    out->link_status = 0;
    const uint8_t *p = buf + SSGW_M2PA_HDR_LEN;
    size_t n = len - SSGW_M2PA_HDR_LEN;
    switch (out->msg_type) {
    case SSGW_M2PA_USER_DATA:
        if (n == 0) return 0; /* acknowledges only */
        if (n < 2) return FAIL(SSGW_E_TRUNCATED, "user data", SSGW_M2PA_HDR_LEN);
        out->priority = p[0];
        out->has_data = true;
        out->mtp3 = p + 1;
        out->mtp3_len = n - 1;
        return 0;
    case SSGW_M2PA_LINK_STATUS:
        if (n < 4) return FAIL(SSGW_E_TRUNCATED, "link status", SSGW_M2PA_HDR_LEN);
        out->link_status = get_be32(p);
        if (out->link_status < 1 || out->link_status > 9)
            return FAIL(SSGW_E_BAD_VALUE, "link status", SSGW_M2PA_HDR_LEN);
        return 0;
    default:
        return FAIL(SSGW_E_BAD_VALUE, "message type", 3);
    }
}

int ssgw_m2pa_encode(ssgw_buf *b, const ssgw_m2pa_msg *m)
{
    size_t start = b->len;
    ssgw_buf_put_u8(b, SSGW_M2PA_VERSION);
    ssgw_buf_put_u8(b, 0);
    ssgw_buf_put_u8(b, SSGW_M2PA_CLASS);
    ssgw_buf_put_u8(b, m->msg_type);
    ssgw_buf_put_be32(b, 0); /* length, patched below */
    ssgw_buf_put_be32(b, m->bsn & 0xffffff);
    ssgw_buf_put_be32(b, m->fsn & 0xffffff);
    if (m->msg_type == SSGW_M2PA_USER_DATA) {
        if (m->has_data) {
            ssgw_buf_put_u8(b, m->priority);
            ssgw_buf_put(b, m->mtp3, m->mtp3_len);
        }
    } else if (m->msg_type == SSGW_M2PA_LINK_STATUS) {
        ssgw_buf_put_be32(b, m->link_status);
    } else {
        return -1;
    }
    if (b->overflow) return -1;
    put_be32(b->data + start + 4, (uint32_t)(b->len - start));
    return 0;
}
