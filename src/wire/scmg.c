/*
 * scmg.c - SCCP management messages (ITU-T Q.713 clause 5.3; see
 * include/ssgw/scmg.h): five octets (six for SSC), every one checked.
 */
#include "ssgw/scmg.h"

#define FAIL(code, field, off) ssgw_fail(err, SSGW_LAYER_SCMG, (code), (field), (off))

const char *ssgw_scmg_type_name(int type)
{
    static const char *const n[] = {NULL, "ssa", "ssp", "sst", "sor", "sog", "ssc"};
    return type >= SSGW_SCMG_SSA && type <= SSGW_SCMG_SSC ? n[type] : "unknown";
}

int ssgw_scmg_decode(const uint8_t *buf, size_t len, ssgw_scmg_msg *out, ssgw_error *err)
{
    if (len < 1) return FAIL(SSGW_E_TRUNCATED, "format identifier", 0);
    uint8_t type = buf[0];
    if (type < SSGW_SCMG_SSA || type > SSGW_SCMG_SSC)
        return FAIL(SSGW_E_BAD_VALUE, "format identifier", 0);
    size_t want = type == SSGW_SCMG_SSC ? 6 : 5;
    if (len < 2) return FAIL(SSGW_E_TRUNCATED, "affected ssn", len);
    if (len < 4) return FAIL(SSGW_E_TRUNCATED, "affected point code", len);
    if (len < 5) return FAIL(SSGW_E_TRUNCATED, "subsystem multiplicity indicator", len);
    if (len < want) return FAIL(SSGW_E_TRUNCATED, "congestion level", len);
    if (len > want) return FAIL(SSGW_E_BAD_LENGTH, "message", want);
    /* point code: 14 bits, least significant octet first; the two top bits are spare */
    out->type = type;
    out->ssn = buf[1];
    out->pc = (uint16_t)((buf[2] | buf[3] << 8) & 0x3fff);
    out->smi = buf[4] & 0x03;
    out->has_congestion = type == SSGW_SCMG_SSC;
    out->congestion = out->has_congestion ? (buf[5] & 0x0f) : 0;
    return 0;
}

int ssgw_scmg_encode(ssgw_buf *b, const ssgw_scmg_msg *m)
{
    if (m->type < SSGW_SCMG_SSA || m->type > SSGW_SCMG_SSC || m->pc > 0x3fff) return -1;
    ssgw_buf_put_u8(b, m->type);
    ssgw_buf_put_u8(b, m->ssn);
    ssgw_buf_put_u8(b, (uint8_t)(m->pc & 0xff));
    ssgw_buf_put_u8(b, (uint8_t)(m->pc >> 8));
    ssgw_buf_put_u8(b, m->smi & 0x03);
    if (m->type == SSGW_SCMG_SSC) ssgw_buf_put_u8(b, m->congestion & 0x0f);
    return b->overflow ? -1 : 0;
}
