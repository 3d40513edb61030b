/*
 * view_int.h - internal: what view.c needs from tcap_user.c (issue 11), not installed.
 */
#ifndef SSGW_WIRE_VIEW_INT_H
#define SSGW_WIRE_VIEW_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/view.h"

/*
 * Decodes SCCP user data that is not ITU TCAP: SCCP management (called SSN 1)
 * or ANSI TCAP (a PRIVATE-class package type first). Returns true when it
 * took the data (v->has_error tells whether it decoded), false when the data
 * is for the ITU TCAP decoder.
 */
bool ssgw_view_decode_other_user(ssgw_view *v, const uint8_t *data, size_t len, size_t base);

/* Whether ssgw_view_decode_other_user may take the data: the test it starts with, inline, so
 * that ITU TCAP (nearly every message) costs no call (measured: ~10 instructions a message).
 * ANSI package types are PRIVATE constructed identifiers (0xe0 and above). */
static inline bool ssgw_view_other_user_may(const ssgw_view *v, const uint8_t *data, size_t len)
{
    return (v->has_sccp && v->sccp.called.has_ssn && v->sccp.called.ssn == SSGW_SCMG_SSN) ||
           (len != 0 && data[0] >= 0xe0);
}

/* Sets v->tcap_user, tcap_user_basis and the context (acn, acn_version, acn_other, cap_acn)
 * of a decoded ITU TCAP message. */
void ssgw_view_find_user(ssgw_view *v);

#endif
