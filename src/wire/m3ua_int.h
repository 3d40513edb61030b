/*
 * m3ua_int.h - internal: the table-driven M3UA decoder, not installed.
 *
 * ssgw_m3ua_decode (m3ua.h) reads DATA, nearly all of the traffic, in one pass and gives
 * everything else to the table-driven decoder. That decoder is declared here so that
 * test_m3ua_paths can run both on the same inputs and compare them.
 */
#ifndef SSGW_WIRE_M3UA_INT_H
#define SSGW_WIRE_M3UA_INT_H

#include "ssgw/m3ua.h"

/* Same contract as ssgw_m3ua_decode, through the message table for every message. */
int ssgw_m3ua_decode_general(const uint8_t *buf, size_t len, ssgw_m3ua_msg *out, ssgw_error *err);

#endif
