/*
 * splice.h - an M3UA DATA message (RFC 4666 3.3.1) carrying an SCCP unitdata message
 * (Q.713 4.10), written again around new user data by splicing the original's bytes.
 *
 * The trust layer puts a token into, or takes it out of, the TCAP of every message it signs
 * or verifies, and the message then goes on framed as before. Encoding SCCP and M3UA again
 * from the decoded fields (ssgw_sccp_encode_unitdata, ssgw_m3ua_encode_data) gives the same
 * bytes as the original for everything but the user data and the lengths that depend on
 * it, at ~1,100 instructions a message. ssgw_splice_m3ua_udt() writes those same bytes by
 * copying what encoding would write again unchanged, and refuses (returns 0: encode then)
 * every message where the copy could differ from the encoding. test_splice compares the
 * two on generated, signed and mutated messages.
 */
#ifndef SSGW_SPLICE_H
#define SSGW_SPLICE_H

#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/m3ua.h"
#include "ssgw/sccp.h"

/*
 * Appends to out the M3UA DATA message that ssgw_m3ua_encode_data() writes with m3ua's
 * Network Appearance, Routing Contexts (at most 8), routing label and Correlation Id around
 * what ssgw_sccp_encode_unitdata(like with data[0..len) as its user data, max_msg 0) writes
 * when that is a UDT. like: the SCCP fields to frame the data with (a decoded message's,
 * possibly with its type set to UDT and its optional part dropped); its addresses must be
 * decoded ones (their octets are copied). m3ua: a decoded DATA message (m3ua->buf, len).
 *
 * Returns 1 when written; 0 when the splice does not apply, out unchanged: like is not a UDT
 * or is one that does not fit, an address would not be encoded as it came
 * (ssgw_sccp_addr_encodes_raw), the M3UA message has parameters other than those four, in
 * another order, or more than 8 contexts, or out has no room. The caller then encodes.
 */
int ssgw_splice_m3ua_udt(const ssgw_m3ua_msg *m3ua, const ssgw_sccp_msg *like, const uint8_t *data,
                         size_t len, ssgw_buf *out);

#endif
