/*
 * splice.c - an M3UA DATA message with SCCP unitdata written again around new user data by
 * copying the original's octets (include/ssgw/splice.h says when it applies). The layout
 * written is the encoders': M3UA (RFC 4666 3.3.1) header, Network Appearance, Routing
 * Context, Protocol Data (routing label + SCCP, padded with zeros to 4 octets), Correlation
 * Id; a UDT (Q.713 4.10) with its three pointers in canonical order (called party address,
 * calling party address, data), each part with its length octet.
 */
#include "ssgw/splice.h"

#include <string.h>

#include "util/bytes.h"

#define UDT_FIXED 5 /* type, protocol class, three pointers */

int ssgw_splice_m3ua_udt(const ssgw_m3ua_msg *mm, const ssgw_sccp_msg *like, const uint8_t *data,
                         size_t len, ssgw_buf *out)
{
    /* SCCP: what ssgw_sccp_encode_unitdata writes as a UDT, addresses as they came */
    const ssgw_sccp_addr *cd = &like->called, *cg = &like->calling;
    if (like->type != SSGW_SCCP_UDT || like->has_importance || like->protocol_class > 1 ||
        len > 255 || (len && !data) || !ssgw_sccp_addr_encodes_raw(cd) ||
        !ssgw_sccp_addr_encodes_raw(cg) || cd->raw_len > 255 || cg->raw_len > 255)
        return 0;
    size_t calling_at = UDT_FIXED + 1 + cd->raw_len, data_at = calling_at + 1 + cg->raw_len;
    size_t sccp_len = data_at + 1 + len;
    if (data_at - 4 > 255 || sccp_len > SSGW_SCCP_MAX_MSG) return 0; /* then an XUDT */

    /* M3UA: [NA] [RC, 1-8 values] PD [CID], nothing else, the header as the encoder's */
    const uint8_t *m = mm->buf;
    size_t ml = mm->len, pos = SSGW_M3UA_HDR_LEN, plen;
    if (!m || ml < SSGW_M3UA_HDR_LEN || m[0] != SSGW_M3UA_VERSION || m[1] != 0 ||
        m[2] != SSGW_M3UA_CLASS_TRANSFER || m[3] != SSGW_M3UA_TRANSFER_DATA ||
        get_be32(m + 4) != ml)
        return 0;
    if (ml - pos >= 8 && get_be16(m + pos) == SSGW_M3UA_TAG_NETWORK_APPEARANCE) {
        if (get_be16(m + pos + 2) != 8) return 0;
        pos += 8;
    }
    if (ml - pos >= 4 && get_be16(m + pos) == SSGW_M3UA_TAG_ROUTING_CONTEXT) {
        plen = get_be16(m + pos + 2);
        if (plen < 8 || plen > 4 + 4 * 8 || plen % 4 != 0 || plen > ml - pos) return 0;
        pos += plen;
    }
    size_t pd_at = pos;
    if (ml - pos < 16 || get_be16(m + pos) != SSGW_M3UA_TAG_PROTOCOL_DATA) return 0;
    plen = get_be16(m + pos + 2);
    if (plen < 16 || ((plen + 3) & ~(size_t)3) > ml - pos) return 0;
    pos += (plen + 3) & ~(size_t)3;
    size_t cid_at = 0;
    if (pos < ml) {
        if (ml - pos != 8 || get_be16(m + pos) != SSGW_M3UA_TAG_CORRELATION_ID ||
            get_be16(m + pos + 2) != 8)
            return 0;
        cid_at = pos;
    }

    size_t pd_len = 4 + 12 + sccp_len, pd_padded = (pd_len + 3) & ~(size_t)3;
    size_t total = pd_at + pd_padded + (cid_at ? 8 : 0);
    if (out->overflow || total > UINT16_MAX || out->cap - out->len < total) return 0;
    uint8_t *o = out->data + out->len;
    memcpy(o, m, 4); /* version, spare, DATA: checked above */
    put_be32(o + 4, (uint32_t)total);
    memcpy(o + SSGW_M3UA_HDR_LEN, m + SSGW_M3UA_HDR_LEN, pd_at - SSGW_M3UA_HDR_LEN); /* NA, RC */
    uint8_t *p = o + pd_at;
    put_be16(p, SSGW_M3UA_TAG_PROTOCOL_DATA);
    put_be16(p + 2, (uint16_t)pd_len);
    memcpy(p + 4, m + pd_at + 4, 12); /* OPC, DPC, SI, NI, MP, SLS */
    uint8_t *s = p + 16;
    s[0] = SSGW_SCCP_UDT;
    s[1] = (uint8_t)((like->return_on_error ? 0x80 : 0) | like->protocol_class);
    s[2] = 3; /* each pointer counts from its own octet */
    s[3] = (uint8_t)(calling_at - 3);
    s[4] = (uint8_t)(data_at - 4);
    s[UDT_FIXED] = (uint8_t)cd->raw_len;
    memcpy(s + UDT_FIXED + 1, cd->raw, cd->raw_len);
    s[calling_at] = (uint8_t)cg->raw_len;
    memcpy(s + calling_at + 1, cg->raw, cg->raw_len);
    s[data_at] = (uint8_t)len;
    if (len) memcpy(s + data_at + 1, data, len);
    memset(p + pd_len, 0, pd_padded - pd_len);
    if (cid_at) memcpy(p + pd_padded, m + cid_at, 8);
    out->len += total;
    return 1;
}
