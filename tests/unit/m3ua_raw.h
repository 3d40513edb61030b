/*
 * m3ua_raw.h - M3UA messages packed by hand for the tests that compare the gateway's octet
 * shortcuts with the encoders (test_gw_rc.c, test_splice.c): a parameter (tag, length,
 * value, padding to four octets: RFC 4666 3.2) and the common header of a DATA message.
 * Not the project's encoder on purpose: the tests need layouts and padding the encoder never
 * writes. Header-only; each test includes it once.
 */
#ifndef SSGW_TEST_M3UA_RAW_H
#define SSGW_TEST_M3UA_RAW_H

#include <stdint.h>
#include <string.h>

#include "ssgw/m3ua.h"

/* tag, length 4 + vlen, v, then pad octets up to a multiple of four; the octets written. */
static inline size_t m3ua_raw_param(uint8_t *p, uint16_t tag, const uint8_t *v, size_t vlen,
                                    uint8_t pad)
{
    size_t plen = 4 + vlen, padded = (plen + 3) & ~(size_t)3;
    p[0] = (uint8_t)(tag >> 8);
    p[1] = (uint8_t)tag;
    p[2] = (uint8_t)(plen >> 8);
    p[3] = (uint8_t)plen;
    memcpy(p + 4, v, vlen);
    memset(p + plen, pad, padded - plen);
    return padded;
}

/* The common header of a DATA message of len octets (version 1) into m[0..8). */
static inline void m3ua_raw_data_header(uint8_t *m, size_t len)
{
    m[0] = 1;
    m[1] = 0;
    m[2] = SSGW_M3UA_CLASS_TRANSFER;
    m[3] = SSGW_M3UA_TRANSFER_DATA;
    m[4] = (uint8_t)(len >> 24);
    m[5] = (uint8_t)(len >> 16);
    m[6] = (uint8_t)(len >> 8);
    m[7] = (uint8_t)len;
}

#endif
