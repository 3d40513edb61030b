/*
 * sccp_int.h - internal, not installed: the party address decoder without its clearing,
 * for the general SCCP decoder (sccp.c), which clears the whole message, addresses
 * included, once; that general decoder itself, so that test_sccp_paths can compare it with
 * ssgw_sccp_decode; and the one-pass party address reader of UDT and XUDT.
 */
#ifndef SSGW_WIRE_SCCP_INT_H
#define SSGW_WIRE_SCCP_INT_H

#include <string.h>

#include "ssgw/digits.h"
#include "ssgw/sccp.h"
#include "util/bytes.h"

/* ssgw_sccp_party_addr_decode into an *out the caller has zeroed (same results, same
 * errors: it is the same code). */
int ssgw_sccp_party_addr_decode_zeroed(const uint8_t *buf, size_t len, ssgw_sccp_party party,
                                       ssgw_sccp_addr *out, ssgw_error *err);

/* Same contract as ssgw_sccp_decode, through the message layouts for every message. */
int ssgw_sccp_decode_general(const uint8_t *buf, size_t len, ssgw_sccp_msg *out, ssgw_error *err);

/*
 * A party address (Q.713 3.4) read in one pass for the unitdata fast path of
 * ssgw_sccp_decode: on true, every member of *out holds what
 * ssgw_sccp_party_addr_decode gives for the same octets (digits cleared to the end);
 * false on anything that decoder would refuse, and the general decoder then decides from
 * scratch, so errors are only ever its own.
 */
static inline bool ssgw_sccp_addr_one_pass(const uint8_t *buf, size_t len, ssgw_sccp_addr *out)
{
    if (len < 1) return false;
    uint8_t ai = buf[0], gti = (ai >> 2) & 0x0f;
    if ((ai & 0x3f) == 0x12 && len >= 5) {
        /* GTI 4 with an SSN and no point code, the shape of nearly all GT-routed traffic:
         * the same members as below, without the branches (measured: ~20 instructions) */
        uint8_t es = buf[3] & 0x0f;
        out->national = (ai & 0x80) != 0;
        out->ri = (ai & 0x40) ? SSGW_SCCP_RI_SSN : SSGW_SCCP_RI_GT;
        out->gti = 4;
        out->has_ssn = true;
        out->has_pc = false;
        out->pc = 0;
        out->ssn = buf[1];
        out->tt = buf[2];
        out->np = buf[3] >> 4;
        out->es = es;
        out->nai = buf[4] & 0x7f;
        out->odd = es == SSGW_SCCP_ES_BCD_ODD;
        out->gt_raw = buf + 5;
        out->gt_raw_len = len - 5;
        out->raw = buf;
        out->raw_len = len;
        ssgw_digits_clear(out->digits);
        return len == 5 || (es != SSGW_SCCP_ES_BCD_ODD && es != SSGW_SCCP_ES_BCD_EVEN) ||
               ssgw_bcd_decode(buf + 5, len - 5, es == SSGW_SCCP_ES_BCD_ODD, out->digits,
                               sizeof out->digits) >= 0;
    }
    if (gti > 4) return false;
    size_t pos = 1;
    uint16_t pc = 0;
    uint8_t ssn = 0;
    if (ai & 0x01) {
        if (len - pos < 2) return false;
        pc = get_le16(buf + pos) & 0x3fff;
        pos += 2;
    }
    if (ai & 0x02) {
        if (len - pos < 1) return false;
        ssn = buf[pos++];
    }
    out->national = (ai & 0x80) != 0;
    out->ri = (ai & 0x40) ? SSGW_SCCP_RI_SSN : SSGW_SCCP_RI_GT;
    out->gti = gti;
    out->has_ssn = (ai & 0x02) != 0;
    out->has_pc = (ai & 0x01) != 0;
    out->pc = pc;
    out->ssn = ssn;
    out->raw = buf;
    out->raw_len = len;
    ssgw_digits_clear(out->digits);
    uint8_t tt = 0, np = 0, es = 0, nai = 0;
    bool odd = false, bcd = true;
    const uint8_t *gt = buf + pos;
    switch (gti) {
    case 0:
        if (pos != len) return false;
        break;
    case 1:
        if (len - pos < 1) return false;
        odd = (gt[0] & 0x80) != 0;
        nai = gt[0] & 0x7f;
        pos += 1;
        break;
    case 2:
        if (len - pos < 1) return false;
        tt = gt[0];
        pos += 1;
        break;
    default: /* 3, 4 */
        if (len - pos < (size_t)gti - 1) return false;
        tt = gt[0];
        np = gt[1] >> 4;
        es = gt[1] & 0x0f;
        if (gti == 4) nai = gt[2] & 0x7f;
        odd = es == SSGW_SCCP_ES_BCD_ODD;
        bcd = es == SSGW_SCCP_ES_BCD_ODD || es == SSGW_SCCP_ES_BCD_EVEN;
        pos += (size_t)gti - 1;
        break;
    }
    out->tt = tt;
    out->np = np;
    out->es = es;
    out->nai = nai;
    out->odd = odd;
    out->gt_raw = gti ? buf + pos : NULL;
    out->gt_raw_len = len - pos;
    if (bcd && len > pos &&
        ssgw_bcd_decode(buf + pos, len - pos, odd, out->digits, sizeof out->digits) < 0)
        return false;
    return true;
}

#endif
