/*
 * sccp_addr.c - SCCP called/calling party address (ITU-T Q.713 3.4).
 *
 * Layout (3.4.1): address indicator octet (bit 8 national use, bit 7 routing
 * indicator, bits 6-3 global title indicator, bit 2 SSN indicator, bit 1 point
 * code indicator), then the point code (2 octets, 14 bits, least significant
 * octet first), the SSN, and the global title (3.4.2.3): GTI 1 odd/even + NAI;
 * GTI 2 translation type; GTI 3 TT + numbering plan/encoding scheme; GTI 4 TT
 * + NP/ES + NAI; followed by the address information (BCD digits, 3.4.2.3.1).
 */
#include "ssgw/sccp.h"

#include <string.h>

#include "sccp_int.h"
#include "util/bytes.h"

const char *ssgw_sccp_ri_name(int ri)
{
    return ri == SSGW_SCCP_RI_GT ? "route on gt" : ri == SSGW_SCCP_RI_SSN ? "route on ssn" : "?";
}

const char *ssgw_sccp_nai_name(int nai)
{
    static const char *const names[] = {"unknown", "subscriber number", "reserved for national use",
                                        "national significant number", "international number"};
    if (nai >= 0 && nai < 5) return names[nai];
    if (nai >= 112 && nai <= 126) return "reserved for national use";
    return "spare";
}

const char *ssgw_sccp_np_name(int np)
{
    static const char *const names[16] = {
        "unknown",     "isdn/telephony", "generic", "data",    "telex", "maritime mobile",
        "land mobile", "isdn/mobile",    "spare",   "spare",   "spare", "spare",
        "spare",       "spare",          "private", "reserved"};
    return np >= 0 && np < 16 ? names[np] : "?";
}

const char *ssgw_sccp_es_name(int es)
{
    static const char *const names[4] = {"unknown", "bcd odd", "bcd even", "national specific"};
    if (es >= 0 && es < 4) return names[es];
    if (es == 15) return "reserved";
    return es > 0 && es < 15 ? "spare" : "?";
}

/* Octets of GT header before the address information, per GTI (0 = no GT). */
static const uint8_t gt_header_len[5] = {0, 1, 1, 2, 3};

/* Error field names, per party: generic, called, calling. */
enum { F_AI, F_GTI, F_PC, F_SSN, F_ADDR, F_GT, F_DIGITS, F_COUNT };
static const char *const field_names[3][F_COUNT] = {
    {"address indicator", "global title indicator", "point code", "subsystem number",
     "party address", "global title", "global title digits"},
    {"called party address indicator", "called party global title indicator",
     "called party point code", "called party subsystem number", "called party address",
     "called party global title", "called party global title digits"},
    {"calling party address indicator", "calling party global title indicator",
     "calling party point code", "calling party subsystem number", "calling party address",
     "calling party global title", "calling party global title digits"},
};

int ssgw_sccp_party_addr_decode(const uint8_t *buf, size_t len, ssgw_sccp_party party,
                                ssgw_sccp_addr *out, ssgw_error *err)
{
    memset(out, 0, sizeof *out);
    return ssgw_sccp_party_addr_decode_zeroed(buf, len, party, out, err);
}

int ssgw_sccp_party_addr_decode_zeroed(const uint8_t *buf, size_t len, ssgw_sccp_party party,
                                       ssgw_sccp_addr *out, ssgw_error *err)
{
    const char *const *fn = field_names[(unsigned)party < 3 ? party : 0];
    if (len < 1) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TRUNCATED, fn[F_AI], 0);
    uint8_t ai = buf[0];
    out->raw = buf;
    out->raw_len = len;
    out->national = (ai & 0x80) != 0;
    out->ri = (ai & 0x40) ? SSGW_SCCP_RI_SSN : SSGW_SCCP_RI_GT;
    out->gti = (ai >> 2) & 0x0f;
    out->has_ssn = (ai & 0x02) != 0;
    out->has_pc = (ai & 0x01) != 0;
    if (out->gti > 4) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_UNSUPPORTED, fn[F_GTI], 0);
    size_t pos = 1;
    if (out->has_pc) {
        if (len - pos < 2) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TRUNCATED, fn[F_PC], pos);
        out->pc = get_le16(buf + pos) & 0x3fff; /* bits 8-7 of octet 2 are spare */
        pos += 2;
    }
    if (out->has_ssn) {
        if (len - pos < 1) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TRUNCATED, fn[F_SSN], pos);
        out->ssn = buf[pos++];
    }
    if (out->gti == 0) {
        if (pos != len) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_LENGTH, fn[F_ADDR], pos);
        return 0;
    }
    size_t hl = gt_header_len[out->gti];
    if (len - pos < hl) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TRUNCATED, fn[F_GT], pos);
    const uint8_t *gt = buf + pos;
    bool bcd = true;
    switch (out->gti) {
    case 1:
        out->odd = (gt[0] & 0x80) != 0;
        out->nai = gt[0] & 0x7f;
        break;
    case 2: /* translation type only: digits read as BCD, even (as Wireshark does) */
        out->tt = gt[0];
        break;
    case 3:
    case 4:
        out->tt = gt[0];
        out->np = gt[1] >> 4;
        out->es = gt[1] & 0x0f;
        if (out->gti == 4) out->nai = gt[2] & 0x7f;
        out->odd = out->es == SSGW_SCCP_ES_BCD_ODD;
        bcd = out->es == SSGW_SCCP_ES_BCD_ODD || out->es == SSGW_SCCP_ES_BCD_EVEN;
        break;
    }
    pos += hl;
    out->gt_raw = buf + pos;
    out->gt_raw_len = len - pos;
    if (bcd && out->gt_raw_len > 0) {
        if (ssgw_bcd_decode(out->gt_raw, out->gt_raw_len, out->odd, out->digits,
                            sizeof out->digits) < 0)
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, fn[F_DIGITS], pos);
    }
    return 0;
}

int ssgw_sccp_addr_decode(const uint8_t *buf, size_t len, ssgw_sccp_addr *out, ssgw_error *err)
{
    return ssgw_sccp_party_addr_decode(buf, len, SSGW_SCCP_PARTY_ANY, out, err);
}

/* The octets before the address information (address indicator, point code, SSN, GT
 * header) as the encoder writes them, with the digits' odd flag and encoding scheme given;
 * returns their number (at most 7). */
static size_t addr_head(const ssgw_sccp_addr *a, bool odd, uint8_t es, uint8_t *h)
{
    size_t n = 0;
    h[n++] = (uint8_t)((a->national ? 0x80 : 0) | (a->ri == SSGW_SCCP_RI_SSN ? 0x40 : 0) |
                       (a->gti << 2) | (a->has_ssn ? 0x02 : 0) | (a->has_pc ? 0x01 : 0));
    if (a->has_pc) {
        h[n++] = (uint8_t)(a->pc & 0xff);
        h[n++] = (uint8_t)(a->pc >> 8);
    }
    if (a->has_ssn) h[n++] = a->ssn;
    switch (a->gti) {
    case 1:
        h[n++] = (uint8_t)((odd ? 0x80 : 0) | (a->nai & 0x7f));
        break;
    case 2:
        h[n++] = a->tt;
        break;
    case 3:
    case 4:
        h[n++] = a->tt;
        h[n++] = (uint8_t)((a->np & 0x0f) << 4 | (es & 0x0f));
        if (a->gti == 4) h[n++] = a->nai & 0x7f;
        break;
    }
    return n;
}

int ssgw_sccp_addr_encode(ssgw_buf *b, const ssgw_sccp_addr *a, ssgw_error *err)
{
    if (a->gti > 4)
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, "global title indicator", 0);
    if (a->has_pc && a->pc > 0x3fff)
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, "point code", 1);
    uint8_t digits[SSGW_DIGITS_MAX / 2 + 1];
    const uint8_t *info = a->gt_raw;
    size_t info_len = a->gt_raw_len;
    bool odd = a->odd;
    uint8_t es = a->es;
    if (a->gti != 0 && !info && a->digits[0]) {
        if (a->gti >= 3 && es != SSGW_SCCP_ES_BCD_ODD && es != SSGW_SCCP_ES_BCD_EVEN)
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, "encoding scheme", 0);
        int n = ssgw_bcd_encode(a->digits, digits, sizeof digits, &odd);
        if (n < 0 || !ssgw_digits_valid(a->digits))
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, "global title digits", 0);
        if (a->gti == 2 && odd)
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, "global title digits", 0);
        if (a->gti >= 3) es = odd ? SSGW_SCCP_ES_BCD_ODD : SSGW_SCCP_ES_BCD_EVEN;
        info = digits;
        info_len = (size_t)n;
    }
    if (a->gti == 0) info_len = 0;
    size_t start = b->len;
    bool was_overflow = b->overflow;
    uint8_t h[8];
    ssgw_buf_put(b, h, addr_head(a, odd, es, h));
    if (info_len) ssgw_buf_put(b, info, info_len);
    if (b->overflow) {
        b->len = start;
        b->overflow = was_overflow;
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "party address", 0);
    }
    return 0;
}

bool ssgw_sccp_addr_encodes_raw(const ssgw_sccp_addr *a)
{
    if (!a->raw || a->gti > 4 || (a->has_pc && a->pc > 0x3fff) || (a->gti != 0 && !a->gt_raw))
        return false;
    uint8_t h[8];
    size_t n = addr_head(a, a->odd, a->es, h), info = a->gti ? a->gt_raw_len : 0;
    return a->raw_len == n + info && memcmp(a->raw, h, n) == 0 &&
           (!info || a->gt_raw == a->raw + n || memcmp(a->gt_raw, a->raw + n, info) == 0);
}

void ssgw_sccp_addr_gt(ssgw_sccp_addr *a, const char *digits, uint8_t ssn)
{
    memset(a, 0, sizeof *a);
    a->ri = SSGW_SCCP_RI_GT;
    a->gti = 4;
    a->np = SSGW_SCCP_NP_E164;
    a->nai = SSGW_SCCP_NAI_INTERNATIONAL;
    a->es = SSGW_SCCP_ES_BCD_EVEN;
    a->has_ssn = ssn != 0;
    a->ssn = ssn;
    size_t n = strlen(digits);
    if (n > SSGW_DIGITS_MAX) n = SSGW_DIGITS_MAX;
    memcpy(a->digits, digits, n);
    a->digits[n] = '\0';
    a->odd = (n & 1) != 0;
    if (a->odd) a->es = SSGW_SCCP_ES_BCD_ODD;
}

void ssgw_sccp_addr_ssn(ssgw_sccp_addr *a, uint16_t pc, uint8_t ssn)
{
    memset(a, 0, sizeof *a);
    a->ri = SSGW_SCCP_RI_SSN;
    a->has_pc = true;
    a->pc = pc;
    a->has_ssn = true;
    a->ssn = ssn;
}
