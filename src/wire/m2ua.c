/*
 * m2ua.c - M2UA (RFC 3331; include/ssgw/sigtran.h): the common header and
 * parameters of M3UA's format; MAUP Data (3.3.1.1) carries the Interface
 * Identifier and the MTP3 message in Protocol Data 1 (0x0300) or, for TTC,
 * Protocol Data 2 (0x0301) whose first octet is the priority. Other messages
 * are named and their parameters checked for shape only.
 */
#include "ssgw/sigtran.h"

#include <string.h>

#include "wire/sigtran_int.h"

#define FAIL(code, field, off) ssgw_fail(err, SSGW_LAYER_M2UA, (code), (field), (off))

const char *ssgw_m2ua_msg_name(uint8_t msg_class, uint8_t msg_type)
{
    static const char *const maup[] = {NULL,
                                       "DATA",
                                       "ESTABLISH_REQUEST",
                                       "ESTABLISH_CONFIRM",
                                       "RELEASE_REQUEST",
                                       "RELEASE_CONFIRM",
                                       "RELEASE_INDICATION",
                                       "STATE_REQUEST",
                                       "STATE_CONFIRM",
                                       "STATE_INDICATION",
                                       "DATA_RETRIEVAL_REQUEST",
                                       "DATA_RETRIEVAL_CONFIRM",
                                       "DATA_RETRIEVAL_INDICATION",
                                       "DATA_RETRIEVAL_COMPLETE_INDICATION",
                                       "CONGESTION_INDICATION",
                                       "DATA_ACKNOWLEDGE"};
    static const char *const iim[] = {NULL, "REG_REQ", "REG_RSP", "DEREG_REQ", "DEREG_RSP"};
    if (msg_class == SSGW_M2UA_CLASS_MAUP)
        return msg_type >= 1 && msg_type <= 15 ? maup[msg_type] : "unknown";
    if (msg_class == SSGW_M2UA_CLASS_IIM)
        return msg_type >= 1 && msg_type <= 4 ? iim[msg_type] : "unknown";
    if (msg_class == SSGW_M3UA_CLASS_MGMT || msg_class == SSGW_M3UA_CLASS_ASPSM ||
        msg_class == SSGW_M3UA_CLASS_ASPTM)
        return ssgw_m3ua_msg_name(msg_class, msg_type); /* the same messages as M3UA's */
    return "unknown";
}

int ssgw_m2ua_decode(const uint8_t *buf, size_t len, ssgw_m2ua_msg *out, ssgw_error *err)
{
    if (sigtran_header(buf, len, SSGW_LAYER_M2UA, err) < 0) return -1;
    memset(out, 0, sizeof *out);
    out->msg_class = buf[2];
    out->msg_type = buf[3];
    if (!strcmp(ssgw_m2ua_msg_name(out->msg_class, out->msg_type), "unknown"))
        return FAIL(SSGW_E_BAD_VALUE, "message class and type", 2);
    bool data = out->msg_class == SSGW_M2UA_CLASS_MAUP && out->msg_type == SSGW_M2UA_MAUP_DATA;
    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param p;
    int r;
    ssgw_m3ua_param_iter_init_raw(&it, buf + SSGW_M3UA_HDR_LEN, len - SSGW_M3UA_HDR_LEN,
                                  SSGW_M3UA_HDR_LEN);
    while ((r = sigtran_param_next(&it, &p, SSGW_LAYER_M2UA, err)) == 1) {
        switch (p.tag) {
        case SSGW_M2UA_TAG_IID_INT:
            if (p.len != 4) return FAIL(SSGW_E_BAD_LENGTH, "interface identifier", p.offset + 2);
            out->has_iid = true;
            out->iid = get_be32(p.val);
            break;
        case SSGW_M2UA_TAG_IID_TEXT:
            out->iid_text = (const char *)p.val;
            out->iid_text_len = p.len;
            break;
        case SSGW_M2UA_TAG_PROTOCOL_DATA_1:
        case SSGW_M2UA_TAG_PROTOCOL_DATA_2:
            if (!data) break;
            if (out->has_data) return FAIL(SSGW_E_DUPLICATE, "protocol data", p.offset);
            out->ttc = p.tag == SSGW_M2UA_TAG_PROTOCOL_DATA_2;
            if (p.len < (out->ttc ? 2u : 1u))
                return FAIL(SSGW_E_TRUNCATED, "protocol data", p.offset + 4);
            out->has_data = true;
            out->mtp3 = p.val + (out->ttc ? 1 : 0);
            out->mtp3_len = p.len - (out->ttc ? 1 : 0);
            break;
        case SSGW_M2UA_TAG_CORRELATION_ID:
            if (p.len != 4) return FAIL(SSGW_E_BAD_LENGTH, "correlation id", p.offset + 2);
            out->has_correlation = true;
            out->correlation = get_be32(p.val);
            break;
        default:
            break; /* other parameters: not needed */
        }
    }
    if (r < 0) return -1;
    if (data && !out->has_iid && !out->iid_text)
        return FAIL(SSGW_E_MISSING, "interface identifier", len);
    if (data && !out->has_data) return FAIL(SSGW_E_MISSING, "protocol data", len);
    return 0;
}

int ssgw_m2ua_encode_data(ssgw_buf *b, uint32_t iid, const uint8_t *mtp3, size_t len)
{
    size_t start = ssgw_m3ua_begin(b, SSGW_M2UA_CLASS_MAUP, SSGW_M2UA_MAUP_DATA);
    ssgw_m3ua_put_u32_param(b, SSGW_M2UA_TAG_IID_INT, iid);
    ssgw_m3ua_put_param(b, SSGW_M2UA_TAG_PROTOCOL_DATA_1, mtp3, len);
    return ssgw_m3ua_end(b, start);
}
