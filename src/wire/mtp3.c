/*
 * mtp3.c - MTP3 (ITU-T) SIO and routing label codec (ITU-T Q.704 2.2, 14.2)
 * and 14-bit point code formatting (3-8-3 as in ITU-T Q.708 zone-area-SP).
 */
#include "ssgw/mtp3.h"

#include <stdio.h>

#include "util/bytes.h"

uint8_t ssgw_mtp3_sio(uint8_t si, uint8_t ni, uint8_t priority)
{
    return (uint8_t)(((ni & 3) << 6) | ((priority & 3) << 4) | (si & 0x0f));
}

void ssgw_mtp3_sio_split(uint8_t sio, uint8_t *si, uint8_t *ni, uint8_t *priority)
{
    *si = sio & 0x0f;
    *priority = (sio >> 4) & 3;
    *ni = (sio >> 6) & 3;
}

int ssgw_mtp3_label_decode(const uint8_t *buf, size_t len, ssgw_mtp3_label *out, ssgw_error *err)
{
    if (len < SSGW_MTP3_LABEL_LEN)
        return ssgw_fail(err, SSGW_LAYER_MTP3, SSGW_E_TRUNCATED, "routing label", 0);
    uint32_t w = get_le32(buf);
    out->dpc = (uint16_t)(w & SSGW_MTP3_PC_MAX);
    out->opc = (uint16_t)((w >> 14) & SSGW_MTP3_PC_MAX);
    out->sls = (uint8_t)(w >> 28);
    return 0;
}

int ssgw_mtp3_label_encode(ssgw_buf *b, const ssgw_mtp3_label *l)
{
    if (l->dpc > SSGW_MTP3_PC_MAX || l->opc > SSGW_MTP3_PC_MAX || l->sls > 15) {
        b->overflow = true;
        return -1;
    }
    uint32_t w = (uint32_t)l->dpc | ((uint32_t)l->opc << 14) | ((uint32_t)l->sls << 28);
    uint8_t o[4] = {(uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24)};
    ssgw_buf_put(b, o, sizeof o);
    return b->overflow ? -1 : 0;
}

int ssgw_mtp3_decode(const uint8_t *buf, size_t len, ssgw_mtp3_msu *out, ssgw_error *err)
{
    if (len < 1) return ssgw_fail(err, SSGW_LAYER_MTP3, SSGW_E_TRUNCATED, "sio", 0);
    ssgw_mtp3_sio_split(buf[0], &out->si, &out->ni, &out->priority);
    if (ssgw_mtp3_label_decode(buf + 1, len - 1, &out->label, err) < 0) {
        ssgw_error_rebase(err, 1);
        return -1;
    }
    out->payload = buf + SSGW_MTP3_MSU_MIN_LEN;
    out->payload_len = len - SSGW_MTP3_MSU_MIN_LEN;
    return 0;
}

int ssgw_mtp3_encode(ssgw_buf *b, const ssgw_mtp3_msu *m)
{
    if (m->si > 15 || m->ni > 3 || m->priority > 3) {
        b->overflow = true;
        return -1;
    }
    ssgw_buf_put_u8(b, ssgw_mtp3_sio(m->si, m->ni, m->priority));
    if (ssgw_mtp3_label_encode(b, &m->label) < 0) return -1;
    ssgw_buf_put(b, m->payload, m->payload_len);
    return b->overflow ? -1 : 0;
}

int ssgw_mtp3_pc_format_383(uint16_t pc, char *out, size_t outlen)
{
    return snprintf(out, outlen, "%u-%u-%u", (unsigned)(pc >> 11) & 7, (unsigned)(pc >> 3) & 0xff,
                    (unsigned)pc & 7);
}

int ssgw_mtp3_pc_format_dec(uint16_t pc, char *out, size_t outlen)
{
    return snprintf(out, outlen, "%u", (unsigned)pc);
}

/* Reads a decimal number of at most 5 digits; returns chars consumed or 0. */
static int read_num(const char *s, unsigned *v)
{
    int n = 0;
    *v = 0;
    while (s[n] >= '0' && s[n] <= '9') {
        if (n == 5) return 0;
        *v = *v * 10 + (unsigned)(s[n] - '0');
        n++;
    }
    return n;
}

int ssgw_mtp3_pc_parse(const char *s, uint16_t *pc)
{
    unsigned z, a, p;
    int n = read_num(s, &z);
    if (n == 0) return -1;
    if (s[n] == '\0') {
        if (z > SSGW_MTP3_PC_MAX) return -1;
        *pc = (uint16_t)z;
        return 0;
    }
    if (s[n] != '-') return -1;
    s += n + 1;
    if ((n = read_num(s, &a)) == 0 || s[n] != '-') return -1;
    s += n + 1;
    if ((n = read_num(s, &p)) == 0 || s[n] != '\0') return -1;
    if (z > 7 || a > 255 || p > 7) return -1;
    *pc = (uint16_t)(z << 11 | a << 3 | p);
    return 0;
}

const char *ssgw_mtp3_si_name(uint8_t si)
{
    static const char *const names[16] = {
        "snm",      "mtn",    "mtns",   "sccp", "tup",  "isup", "dup_call", "dup_fac",
        "mtp_test", "b_isup", "s_isup", NULL,   "aal2", "bicc", "gcp",      NULL,
    };
    return si < 16 && names[si] ? names[si] : "unknown";
}

const char *ssgw_mtp3_ni_name(uint8_t ni)
{
    switch (ni) {
    case SSGW_MTP3_NI_INTERNATIONAL:
        return "international";
    case SSGW_MTP3_NI_INTERNATIONAL_SPARE:
        return "international_spare";
    case SSGW_MTP3_NI_NATIONAL:
        return "national";
    case SSGW_MTP3_NI_NATIONAL_SPARE:
        return "national_spare";
    }
    return "unknown";
}
