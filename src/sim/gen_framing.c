/*
 * gen_framing.c - the generator's messages in the framings probes capture
 * (issue 11; include/ssgw/gen.h): the MTP3 MSU of an M3UA DATA (RFC 4666
 * 3.3.1 routing label to Q.704), wrapped in M2PA User Data (RFC 4165), M2UA
 * MAUP Data (RFC 3331) or an MTP2 signal unit (Q.703, with or without
 * Wireshark's pseudo-header), or the DATA's SCCP unitdata turned into a SUA
 * CLDT (RFC 3868). Each wrapping is the codec's own encoder.
 */
#include "ssgw/gen.h"

#include <string.h>

#include "ssgw/capture.h"
#include "ssgw/m3ua.h"
#include "ssgw/mtp3.h"
#include "ssgw/sccp.h"
#include "ssgw/sigtran.h"

uint32_t ssgw_gen_framing_ppid(ssgw_gen_framing f)
{
    return f == SSGW_GEN_FRAMING_M2PA   ? SSGW_SCTP_PPID_M2PA
           : f == SSGW_GEN_FRAMING_M2UA ? SSGW_SCTP_PPID_M2UA
           : f == SSGW_GEN_FRAMING_SUA  ? SSGW_SCTP_PPID_SUA
                                        : SSGW_SCTP_PPID_M3UA;
}

uint16_t ssgw_gen_framing_port(ssgw_gen_framing f)
{
    return f == SSGW_GEN_FRAMING_M2PA   ? SSGW_M2PA_PORT
           : f == SSGW_GEN_FRAMING_M2UA ? SSGW_M2UA_PORT
           : f == SSGW_GEN_FRAMING_SUA  ? SSGW_SUA_PORT
                                        : SSGW_M3UA_PORT;
}

/* The MSU of an M3UA DATA into msu; its length, or 0 when m3ua is not a DATA. */
static size_t msu_of(const uint8_t *m3ua, size_t len, uint8_t *mem, size_t cap)
{
    ssgw_m3ua_msg m;
    ssgw_error e;
    if (ssgw_m3ua_decode(m3ua, len, &m, &e) < 0 || !(m.present & SSGW_M3UA_HAS_PROTOCOL_DATA))
        return 0;
    ssgw_buf b;
    ssgw_buf_init(&b, mem, cap);
    ssgw_mtp3_msu u = {.si = m.protocol_data.si,
                       .ni = m.protocol_data.ni,
                       .priority = 0,
                       .label = {.dpc = (uint16_t)(m.protocol_data.dpc & 0x3fff),
                                 .opc = (uint16_t)(m.protocol_data.opc & 0x3fff),
                                 .sls = (uint8_t)(m.protocol_data.sls & 0x0f)},
                       .payload = m.protocol_data.data,
                       .payload_len = m.protocol_data.data_len};
    if (ssgw_mtp3_encode(&b, &u) < 0 || b.overflow) return 0;
    return b.len;
}

/* Q.703 2.2: BIB/BSN, FIB/FSN, LI (63 for 63 and more); basic sequence numbering. */
static void mtp2_unit(ssgw_gen_reframer *rf, const uint8_t *body, size_t n, ssgw_buf *out)
{
    if (rf->framing == SSGW_GEN_FRAMING_MTP2_PHDR) {
        ssgw_buf_put_u8(out, (uint8_t)(rf->fsn & 1)); /* sent */
        ssgw_buf_put_u8(out, 0);                      /* annex A not used */
        ssgw_buf_put_be16(out, 1);                    /* link number */
    }
    ssgw_buf_put_u8(out, (uint8_t)(0x80 | (rf->bsn & 0x7f)));
    ssgw_buf_put_u8(out, (uint8_t)(0x80 | (rf->fsn & 0x7f)));
    ssgw_buf_put_u8(out, (uint8_t)(n < 63 ? n : 63));
    ssgw_buf_put(out, body, n);
}

static int sua_of(const uint8_t *m3ua, size_t len, ssgw_buf *out)
{
    ssgw_m3ua_msg m;
    ssgw_sccp_msg s;
    ssgw_error e;
    if (ssgw_m3ua_decode(m3ua, len, &m, &e) < 0 || !(m.present & SSGW_M3UA_HAS_PROTOCOL_DATA))
        return 0;
    if (ssgw_sccp_decode(m.protocol_data.data, m.protocol_data.data_len, &s, &e) < 0) return -1;
    ssgw_sua_msg u;
    memset(&u, 0, sizeof u);
    u.has_routing_context = (m.present & SSGW_M3UA_HAS_ROUTING_CONTEXT) != 0;
    if (u.has_routing_context) u.routing_context = ssgw_m3ua_u32_at(&m.routing_context, 0);
    u.protocol_class = s.protocol_class;
    u.return_on_error = s.return_on_error;
    u.src = s.calling;
    u.dst = s.called;
    u.sequence_control = m.protocol_data.sls;
    u.has_hop_count = s.type != SSGW_SCCP_UDT && s.type != SSGW_SCCP_UDTS;
    u.hop_count = s.hop_counter;
    u.has_segmentation = s.has_segmentation;
    u.seg = s.seg;
    u.data = s.data;
    u.data_len = s.data_len;
    return ssgw_sua_encode_cldt(out, &u) < 0 ? -1 : 1;
}

int ssgw_gen_reframe(ssgw_gen_reframer *rf, const uint8_t *m3ua, size_t len, bool management,
                     ssgw_buf *out)
{
    uint8_t msu[4400];
    size_t n = 0;
    if (management) {
        unsigned k = rf->link_units++;
        if (rf->framing == SSGW_GEN_FRAMING_M2PA) {
            /* RFC 4165 3.3.1.2: ready, busy, busy ended, in turn */
            static const uint32_t states[] = {4, 7, 8};
            ssgw_m2pa_msg lm = {.msg_type = SSGW_M2PA_LINK_STATUS,
                                .bsn = rf->bsn,
                                .fsn = rf->fsn,
                                .link_status = states[k % 3]};
            return ssgw_m2pa_encode(out, &lm) < 0 ? -1 : 1;
        }
        if (rf->framing == SSGW_GEN_FRAMING_MTP2 || rf->framing == SSGW_GEN_FRAMING_MTP2_PHDR) {
            /* a fill-in unit, or a link status unit saying "in service" (SIO) */
            static const uint8_t status_os[1] = {0x02};
            mtp2_unit(rf, status_os, k & 1, out);
            return out->overflow ? -1 : 1;
        }
        if (rf->framing == SSGW_GEN_FRAMING_M3UA) {
            ssgw_buf_put(out, m3ua, len);
            return out->overflow ? -1 : 1;
        }
        return 0; /* MTP3, M2UA, SUA: no equivalent */
    }
    if (rf->framing == SSGW_GEN_FRAMING_M3UA) {
        ssgw_buf_put(out, m3ua, len);
        return out->overflow ? -1 : 1;
    }
    if (rf->framing == SSGW_GEN_FRAMING_SUA) return sua_of(m3ua, len, out);
    n = msu_of(m3ua, len, msu, sizeof msu);
    if (n == 0) return 0;
    switch (rf->framing) {
    case SSGW_GEN_FRAMING_MTP3:
        ssgw_buf_put(out, msu, n);
        break;
    case SSGW_GEN_FRAMING_M2PA: {
        rf->fsn = (rf->fsn + 1) & 0xffffff;
        ssgw_m2pa_msg dm = {.msg_type = SSGW_M2PA_USER_DATA,
                            .bsn = rf->bsn,
                            .fsn = rf->fsn,
                            .has_data = true,
                            .mtp3 = msu,
                            .mtp3_len = n};
        if (ssgw_m2pa_encode(out, &dm) < 0) return -1;
        break;
    }
    case SSGW_GEN_FRAMING_M2UA:
        if (ssgw_m2ua_encode_data(out, 1, msu, n) < 0) return -1;
        break;
    case SSGW_GEN_FRAMING_MTP2:
    case SSGW_GEN_FRAMING_MTP2_PHDR:
        rf->fsn = (rf->fsn + 1) & 0x7f;
        mtp2_unit(rf, msu, n, out);
        break;
    default:
        return -1;
    }
    return out->overflow ? -1 : 1;
}
