/*
 * sccp_int.h - internal: the party address decoder without its clearing, for
 * ssgw_sccp_decode (sccp.c), which clears the whole message, addresses included,
 * once. Not installed.
 */
#ifndef SSGW_WIRE_SCCP_INT_H
#define SSGW_WIRE_SCCP_INT_H

#include "ssgw/sccp.h"

/* ssgw_sccp_party_addr_decode into an *out the caller has zeroed (same results, same
 * errors: it is the same code). */
int ssgw_sccp_party_addr_decode_zeroed(const uint8_t *buf, size_t len, ssgw_sccp_party party,
                                       ssgw_sccp_addr *out, ssgw_error *err);

#endif
