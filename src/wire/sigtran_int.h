/*
 * sigtran_int.h - internal: the common header and parameter walk that M2UA
 * (RFC 3331 3.1) and SUA (RFC 3868 3.1) share with M3UA (RFC 4666 3.1/3.2):
 * version 1, reserved, class, type, a length covering the whole message, then
 * tag-length-value parameters padded to 4 octets. Errors keep the caller's layer.
 */
#ifndef SSGW_WIRE_SIGTRAN_INT_H
#define SSGW_WIRE_SIGTRAN_INT_H

#include "ssgw/m3ua.h"
#include "util/bytes.h"

/* Checks the common header of the message filling buf. Returns 0 or -1 (err, layer). */
static inline int sigtran_header(const uint8_t *buf, size_t len, ssgw_layer layer, ssgw_error *err)
{
    if (len < SSGW_M3UA_HDR_LEN) return ssgw_fail(err, layer, SSGW_E_TRUNCATED, "common header", 0);
    if (buf[0] != 1) return ssgw_fail(err, layer, SSGW_E_BAD_VALUE, "version", 0);
    if (get_be32(buf + 4) != len)
        return ssgw_fail(err, layer, SSGW_E_BAD_LENGTH, "message length", 4);
    return 0;
}

/* ssgw_m3ua_param_next() with the error in the caller's layer. */
static inline int sigtran_param_next(ssgw_m3ua_param_iter *it, ssgw_m3ua_param *p, ssgw_layer layer,
                                     ssgw_error *err)
{
    int r = ssgw_m3ua_param_next(it, p, err);
    if (r < 0 && err) err->layer = layer;
    return r;
}

#endif
