/*
 * map_msg.h - building MAP messages as the simulators, the attack generator,
 * the test peer and the demo emit them: the pieces every one of them needs,
 * from the codecs of each layer.
 *
 *   dialogue portion  AARQ / AARE / AUDT naming a MAP application context
 *                     (TS 29.002 17.3.3), protocol version 1 (Q.773 4.2.2)
 *   MAP-OpenInfo      the user information naming the dialogue's subscriber
 *                     (TS 29.002 17.1, destinationReference / originationReference)
 *   component         one invoke or returnResultLast with the operation's
 *                     argument / result encoded by ssgw_map_encode()
 *   transport         TCAP in an SCCP UDT, protocol class 1, between two SCCP
 *                     addresses (XUDT when it does not fit, Q.713 4.18), in an
 *                     M3UA DATA with an MTP3 routing label (RFC 4666 3.3.1)
 *
 * A caller fills an ssgw_tcap_msg and its components with the first three and
 * hands them to ssgw_map_msg_encode(); callers that vary the SCCP layer (the
 * traffic generator) use only the TCAP pieces. Nothing here allocates.
 */
#ifndef SSGW_MAP_MSG_H
#define SSGW_MAP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"
#include "ssgw/map.h"
#include "ssgw/sccp.h"
#include "ssgw/tcap.h"

/*
 * Fills d as a dialogue portion of type AARQ, AARE (result accepted,
 * diagnostic dialogue-service-user null) or AUDT, protocol version 1, naming
 * the application context whose OID contents are acn/acn_len (kept by
 * reference: they must outlive the encoding). Other fields are cleared.
 */
void ssgw_map_msg_dialogue_acn(ssgw_tcap_dialogue *d, ssgw_tcap_dialogue_type type,
                               const uint8_t *acn, size_t acn_len);

/*
 * The same for MAP context ac (ssgw_map_ac), version `version`: its OID is
 * written to oid (at least SSGW_MAP_ACN_OID_LEN octets, which d points to).
 * Returns 0, or -1 (d untouched) when ac/version is out of range.
 */
int ssgw_map_msg_dialogue(ssgw_tcap_dialogue *d, ssgw_tcap_dialogue_type type, int ac, int version,
                          uint8_t *oid);

/*
 * Appends MAP-OpenInfo as dialogue user information (the contents of
 * user-information: EXTERNAL { map-DialogueAS, map-open { destinationReference
 * [0] = dest_imsi (AddressString, international, E.212), originationReference
 * [1] = orig (E.164) } }). Returns 0, or -1 when a number is not digits or b
 * overflowed.
 */
int ssgw_map_msg_open_info(ssgw_buf *b, const char *dest_imsi, const char *orig);

/*
 * Fills c as one component of type `type` (an invoke, or a returnResultLast /
 * NotLast) for operation op with invoke id invoke_id, and encodes its
 * parameter (the argument of an invoke, the result of a return result) in the
 * shape of MAP version acn_version from f into param; c points into param's
 * memory, which must outlive the encoding. Returns what ssgw_map_encode()
 * returns: 0 (c->param_present when a parameter was written; some operations
 * have none in some versions), or -1 when the operation has no encoder or f
 * lacks a mandatory value; c is then complete but without a parameter.
 */
int ssgw_map_msg_component(ssgw_tcap_component *c, ssgw_tcap_comp_type type, int invoke_id, int op,
                           int acn_version, const ssgw_map_fields *f, ssgw_buf *param);

/* Where a MAP message goes: SCCP UDT, protocol class 1, in an M3UA DATA. */
typedef struct {
    ssgw_sccp_addr called, calling;
    bool return_on_error;            /* SCCP message handling: return on error */
    uint32_t opc, dpc;               /* MTP3 routing label (service indicator SCCP) */
    uint8_t ni, sls;                 /* network indicator, signalling link selection */
    const uint32_t *routing_context; /* one M3UA routing context, or NULL for none */
} ssgw_map_route;

/* Appends tcap/tcap_len wrapped for route r. Returns 0, or -1 with err (the TCAP
 * message does not fit an SCCP unitdata message, or out overflowed). */
int ssgw_map_msg_wrap(ssgw_buf *out, const ssgw_map_route *r, const uint8_t *tcap, size_t tcap_len,
                      ssgw_error *err);

/* Encodes the TCAP message t with its ncomp components and appends it wrapped for
 * route r. Returns 0, or -1 with err (TCAP, SCCP or M3UA). */
int ssgw_map_msg_encode(ssgw_buf *out, const ssgw_map_route *r, const ssgw_tcap_msg *t,
                        const ssgw_tcap_component *comps, size_t ncomp, ssgw_error *err);

#endif
