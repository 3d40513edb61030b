/*
 * sua.c - SUA (RFC 3868; include/ssgw/sigtran.h). Connectionless messages
 * (CLDT 3.3.1.1, CLDR 3.3.1.2) are decoded in full: routing context, protocol
 * class, sequence control, SS7 hop count, importance, segmentation, SCCP
 * cause, data, and the source and destination addresses (3.10.2: routing
 * indicator, address indicator, then Global Title / Point Code / SSN
 * sub-parameters), which become SCCP party addresses. Other classes are
 * named, their parameters checked for shape.
 */
#include "ssgw/sigtran.h"

#include <string.h>

#include "ssgw/digits.h"
#include "wire/sigtran_int.h"

#define FAIL(code, field, off) ssgw_fail(err, SSGW_LAYER_SUA, (code), (field), (off))

/* Address indicator bits (3.10.2). */
enum { AI_SSN = 0x0001, AI_PC = 0x0002, AI_GT = 0x0004 };

const char *ssgw_sua_msg_name(uint8_t msg_class, uint8_t msg_type)
{
    static const char *const co[] = {NULL,    "CORE",  "COAK", "COREF", "RELRE", "RELCO",
                                     "RESCO", "RESRE", "CODT", "CODA",  "COERR", "COIT"};
    if (msg_class == SSGW_SUA_CLASS_CL)
        return msg_type == SSGW_SUA_CLDT ? "CLDT" : msg_type == SSGW_SUA_CLDR ? "CLDR" : "unknown";
    if (msg_class == SSGW_SUA_CLASS_CO)
        return msg_type >= 1 && msg_type <= 11 ? co[msg_type] : "unknown";
    if (msg_class == SSGW_M3UA_CLASS_MGMT || msg_class == SSGW_M3UA_CLASS_SSNM ||
        msg_class == SSGW_M3UA_CLASS_ASPSM || msg_class == SSGW_M3UA_CLASS_ASPTM ||
        msg_class == SSGW_M3UA_CLASS_RKM)
        return ssgw_m3ua_msg_name(msg_class, msg_type); /* the same messages as M3UA's */
    return "unknown";
}

/* One address parameter's value (after the tag and length) at message offset base. */
static int decode_address(const uint8_t *v, size_t len, size_t base, bool calling, uint16_t *ri,
                          ssgw_sccp_addr *a, ssgw_error *err)
{
    const char *f_addr = calling ? "source address" : "destination address";
    const char *f_gt = calling ? "source global title" : "destination global title";
    memset(a, 0, sizeof *a);
    if (len < 4) return FAIL(SSGW_E_TRUNCATED, f_addr, base);
    *ri = get_be16(v);
    if (*ri < SSGW_SUA_RI_GT || *ri > SSGW_SUA_RI_SSN_IP)
        return FAIL(SSGW_E_BAD_VALUE,
                    calling ? "source routing indicator" : "destination routing indicator", base);
    a->ri = *ri == SSGW_SUA_RI_GT ? SSGW_SCCP_RI_GT : SSGW_SCCP_RI_SSN;
    a->raw = v;
    a->raw_len = len;
    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param p;
    int r;
    ssgw_m3ua_param_iter_init_raw(&it, v + 4, len - 4, base + 4);
    while ((r = sigtran_param_next(&it, &p, SSGW_LAYER_SUA, err)) == 1) {
        if (p.tag == SSGW_SUA_TAG_GLOBAL_TITLE) {
            /* reserved (3), GTI (1), number of digits, translation type, numbering plan,
             * nature of address, then BCD digits (the first in bits 4-1) */
            if (p.len < 8) return FAIL(SSGW_E_TRUNCATED, f_gt, p.offset);
            uint8_t gti = p.val[3] & 0x0f, ndig = p.val[4];
            if (gti < 1 || gti > 4) return FAIL(SSGW_E_BAD_VALUE, f_gt, p.offset + 7);
            size_t octets = (size_t)(ndig + 1) / 2;
            if (ndig > SSGW_DIGITS_MAX) return FAIL(SSGW_E_TOO_BIG, f_gt, p.offset + 8);
            if (octets > p.len - 8) return FAIL(SSGW_E_TRUNCATED, f_gt, p.offset + 12);
            a->gti = gti;
            a->tt = p.val[5];
            a->np = p.val[6];
            a->nai = p.val[7];
            a->odd = ndig & 1;
            a->es = a->odd ? SSGW_SCCP_ES_BCD_ODD : SSGW_SCCP_ES_BCD_EVEN;
            a->gt_raw = p.val + 8;
            a->gt_raw_len = octets;
            if (ssgw_bcd_decode(p.val + 8, octets, a->odd, a->digits, sizeof a->digits) < 0)
                return FAIL(SSGW_E_BAD_VALUE, f_gt, p.offset + 12);
        } else if (p.tag == SSGW_SUA_TAG_POINT_CODE) {
            if (p.len != 4)
                return FAIL(SSGW_E_BAD_LENGTH,
                            calling ? "source point code" : "destination point code", p.offset + 2);
            uint32_t pc = get_be32(p.val);
            if (pc <= 0x3fff) { /* an ITU point code: 14 bits */
                a->has_pc = true;
                a->pc = (uint16_t)pc;
            }
        } else if (p.tag == SSGW_SUA_TAG_SSN) {
            if (p.len != 4)
                return FAIL(SSGW_E_BAD_LENGTH, calling ? "source ssn" : "destination ssn",
                            p.offset + 2);
            a->has_ssn = true;
            a->ssn = p.val[3];
        }
        /* IPv4, hostname, IPv6: not SCCP party data */
    }
    if (r < 0) return -1;
    if (a->ri == SSGW_SCCP_RI_GT && !a->gti) return FAIL(SSGW_E_MISSING, f_gt, base);
    return 0;
}

static int u32(const ssgw_m3ua_param *p, const char *field, uint32_t *out, ssgw_error *err)
{
    if (p->len != 4) return FAIL(SSGW_E_BAD_LENGTH, field, p->offset + 2);
    *out = get_be32(p->val);
    return 0;
}

int ssgw_sua_decode(const uint8_t *buf, size_t len, ssgw_sua_msg *out, ssgw_error *err)
{
    if (sigtran_header(buf, len, SSGW_LAYER_SUA, err) < 0) return -1;
    memset(out, 0, sizeof *out);
    out->msg_class = buf[2];
    out->msg_type = buf[3];
    if (!strcmp(ssgw_sua_msg_name(out->msg_class, out->msg_type), "unknown"))
        return FAIL(SSGW_E_BAD_VALUE, "message class and type", 2);
    bool cl = out->msg_class == SSGW_SUA_CLASS_CL;
    bool has_pc = false, has_seq = false;
    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param p;
    uint32_t v = 0;
    int r;
    ssgw_m3ua_param_iter_init_raw(&it, buf + SSGW_M3UA_HDR_LEN, len - SSGW_M3UA_HDR_LEN,
                                  SSGW_M3UA_HDR_LEN);
    while ((r = sigtran_param_next(&it, &p, SSGW_LAYER_SUA, err)) == 1) {
        if (!cl) continue; /* the shape was checked; the contents are not needed */
        switch (p.tag) {
        case SSGW_SUA_TAG_ROUTING_CONTEXT:
            if (p.len < 4 || p.len % 4)
                return FAIL(SSGW_E_BAD_LENGTH, "routing context", p.offset + 2);
            out->has_routing_context = true;
            out->routing_context = get_be32(p.val);
            break;
        case SSGW_SUA_TAG_PROTOCOL_CLASS:
            if (u32(&p, "protocol class", &v, err) < 0) return -1;
            out->has_protocol_class = has_pc = true;
            out->protocol_class = v & 0x03;
            out->return_on_error = (v & 0x80) != 0;
            break;
        case SSGW_SUA_TAG_SEQUENCE_CONTROL:
            if (u32(&p, "sequence control", &out->sequence_control, err) < 0) return -1;
            has_seq = true;
            break;
        case SSGW_SUA_TAG_HOP_COUNT:
            if (u32(&p, "ss7 hop count", &v, err) < 0) return -1;
            out->has_hop_count = true;
            out->hop_count = (uint8_t)v;
            break;
        case SSGW_SUA_TAG_IMPORTANCE:
            if (u32(&p, "importance", &v, err) < 0) return -1;
            out->has_importance = true;
            out->importance = (uint8_t)(v & 0x07);
            break;
        case SSGW_SUA_TAG_SCCP_CAUSE:
            if (u32(&p, "sccp cause", &v, err) < 0) return -1;
            out->has_cause = true;
            out->cause_type = (uint8_t)(v >> 8);
            out->cause_value = (uint8_t)v;
            break;
        case SSGW_SUA_TAG_SEGMENTATION:
            /* first/remaining octet (F in bit 8, remaining in bits 4-1), 24-bit reference */
            if (u32(&p, "segmentation", &v, err) < 0) return -1;
            out->has_segmentation = true;
            out->seg.first = (v & 0x80000000u) != 0;
            out->seg.remaining = (uint8_t)((v >> 24) & 0x0f);
            out->seg.local_ref = v & 0xffffff;
            break;
        case SSGW_SUA_TAG_SOURCE_ADDRESS:
        case SSGW_SUA_TAG_DESTINATION_ADDRESS: {
            bool src = p.tag == SSGW_SUA_TAG_SOURCE_ADDRESS;
            if (src ? out->has_src : out->has_dst)
                return FAIL(SSGW_E_DUPLICATE, src ? "source address" : "destination address",
                            p.offset);
            if (decode_address(p.val, p.len, p.offset + 4, src, src ? &out->src_ri : &out->dst_ri,
                               src ? &out->src : &out->dst, err) < 0)
                return -1;
            if (src)
                out->has_src = true;
            else
                out->has_dst = true;
            break;
        }
        case SSGW_SUA_TAG_DATA:
            if (out->has_data) return FAIL(SSGW_E_DUPLICATE, "data", p.offset);
            out->has_data = true;
            out->data = p.val;
            out->data_len = p.len;
            break;
        default:
            break;
        }
    }
    if (r < 0) return -1;
    if (!cl) return 0;
    if (!out->has_src) return FAIL(SSGW_E_MISSING, "source address", len);
    if (!out->has_dst) return FAIL(SSGW_E_MISSING, "destination address", len);
    if (out->msg_type == SSGW_SUA_CLDT) {
        if (!has_pc) return FAIL(SSGW_E_MISSING, "protocol class", len);
        if (!has_seq) return FAIL(SSGW_E_MISSING, "sequence control", len);
        if (!out->has_data) return FAIL(SSGW_E_MISSING, "data", len);
    } else if (!out->has_cause) {
        return FAIL(SSGW_E_MISSING, "sccp cause", len);
    }
    return 0;
}

static int put_address(ssgw_buf *b, uint16_t tag, uint16_t ri, const ssgw_sccp_addr *a)
{
    uint8_t v[128];
    ssgw_buf vb;
    ssgw_buf_init(&vb, v, sizeof v);
    bool gt = a->gti != 0 || a->digits[0] != '\0'; /* a GT of no digits is still a GT */
    ssgw_buf_put_be16(&vb, ri);
    ssgw_buf_put_be16(
        &vb, (uint16_t)((gt ? AI_GT : 0) | (a->has_pc ? AI_PC : 0) | (a->has_ssn ? AI_SSN : 0)));
    if (gt) {
        uint8_t bcd[SSGW_DIGITS_MAX / 2 + 1];
        bool odd;
        int n = a->digits[0] ? ssgw_bcd_encode(a->digits, bcd, sizeof bcd, &odd) : 0;
        if (n < 0) return -1;
        size_t plen = 4 + 8 + (size_t)n;
        ssgw_buf_put_be16(&vb, SSGW_SUA_TAG_GLOBAL_TITLE);
        ssgw_buf_put_be16(&vb, (uint16_t)plen);
        ssgw_buf_put_zeros(&vb, 3);
        ssgw_buf_put_u8(&vb, a->gti ? a->gti : 4);
        ssgw_buf_put_u8(&vb, (uint8_t)strlen(a->digits));
        ssgw_buf_put_u8(&vb, a->tt);
        ssgw_buf_put_u8(&vb, a->np);
        ssgw_buf_put_u8(&vb, a->nai);
        ssgw_buf_put(&vb, bcd, (size_t)n);
        ssgw_buf_put_zeros(&vb, (4 - plen % 4) % 4);
    }
    if (a->has_pc) {
        ssgw_buf_put_be16(&vb, SSGW_SUA_TAG_POINT_CODE);
        ssgw_buf_put_be16(&vb, 8);
        ssgw_buf_put_be32(&vb, a->pc);
    }
    if (a->has_ssn) {
        ssgw_buf_put_be16(&vb, SSGW_SUA_TAG_SSN);
        ssgw_buf_put_be16(&vb, 8);
        ssgw_buf_put_be32(&vb, a->ssn);
    }
    if (vb.overflow) return -1;
    ssgw_m3ua_put_param(b, tag, vb.data, vb.len);
    return 0;
}

int ssgw_sua_encode_cldt(ssgw_buf *b, const ssgw_sua_msg *m)
{
    size_t start = ssgw_m3ua_begin(b, SSGW_SUA_CLASS_CL, SSGW_SUA_CLDT);
    if (m->has_routing_context)
        ssgw_m3ua_put_u32_param(b, SSGW_SUA_TAG_ROUTING_CONTEXT, m->routing_context);
    ssgw_m3ua_put_u32_param(b, SSGW_SUA_TAG_PROTOCOL_CLASS,
                            (uint32_t)(m->protocol_class & 0x03) | (m->return_on_error ? 0x80 : 0));
    uint16_t src_ri = m->src.ri == SSGW_SCCP_RI_GT ? SSGW_SUA_RI_GT : SSGW_SUA_RI_SSN_PC;
    uint16_t dst_ri = m->dst.ri == SSGW_SCCP_RI_GT ? SSGW_SUA_RI_GT : SSGW_SUA_RI_SSN_PC;
    if (put_address(b, SSGW_SUA_TAG_SOURCE_ADDRESS, src_ri, &m->src) < 0 ||
        put_address(b, SSGW_SUA_TAG_DESTINATION_ADDRESS, dst_ri, &m->dst) < 0)
        return -1;
    ssgw_m3ua_put_u32_param(b, SSGW_SUA_TAG_SEQUENCE_CONTROL, m->sequence_control);
    if (m->has_hop_count) ssgw_m3ua_put_u32_param(b, SSGW_SUA_TAG_HOP_COUNT, m->hop_count);
    if (m->has_segmentation)
        ssgw_m3ua_put_u32_param(b, SSGW_SUA_TAG_SEGMENTATION,
                                (uint32_t)(m->seg.first ? 0x80u : 0) << 24 |
                                    (uint32_t)(m->seg.remaining & 0x0f) << 24 |
                                    (m->seg.local_ref & 0xffffff));
    ssgw_m3ua_put_param(b, SSGW_SUA_TAG_DATA, m->data, m->data_len);
    return ssgw_m3ua_end(b, start);
}
