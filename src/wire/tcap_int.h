/*
 * tcap_int.h - internal: the general TCAP dialogue portion and component decoders, not
 * installed.
 *
 * ssgw_tcap_decode_dialogue, ssgw_tcap_decode_component and the message decoders
 * (ssgw_tcap_decode, ssgw_tcap_decode_all) (tcap.h) first try the common
 * shapes in one pass and fall back to the general decoders for anything else. Those are
 * declared here so that test_tcap_paths can run both on the same inputs and compare them.
 */
#ifndef SSGW_WIRE_TCAP_INT_H
#define SSGW_WIRE_TCAP_INT_H

#include "ssgw/tcap.h"

/* Same contract as ssgw_tcap_decode_dialogue, element by element for every shape. */
int ssgw_tcap_decode_dialogue_general(const uint8_t *buf, size_t len, ssgw_tcap_dialogue *d,
                                      ssgw_error *err);

/* The dialogue portion's common shapes in one pass (the first half of
 * ssgw_tcap_decode_dialogue): true with every member of *d written as the general decoder
 * would; false for any other input, *d then partly written. */
bool ssgw_tcap_dialogue_one_pass(const uint8_t *buf, size_t len, ssgw_tcap_dialogue *d);

/* Every member of *d as a cleared struct has it (an absent dialogue portion). */
void ssgw_tcap_dialogue_clear(ssgw_tcap_dialogue *d);

/* Same contract as ssgw_tcap_decode_component, element by element for every shape. */
int ssgw_tcap_decode_component_general(const uint8_t *buf, size_t len, ssgw_tcap_component *c,
                                       ssgw_error *err);

/* Same contract as ssgw_tcap_decode_all, element by element for every shape (the message
 * itself: ssgw_tcap_decode_all first tries its common shapes in one pass). */
int ssgw_tcap_decode_all_general(const uint8_t *buf, size_t len, ssgw_tcap_msg *m,
                                 ssgw_tcap_component *comps, unsigned max, unsigned *n,
                                 bool *truncated, ssgw_error *err);

/* ssgw_tcap_decode_all's one pass alone: true when it decoded the message (as
 * ssgw_tcap_decode_all then leaves it), false when it leaves it to the general decoder. For
 * test_tcap_paths, which checks that the common shapes take it. */
bool ssgw_tcap_decode_all_one_pass(const uint8_t *buf, size_t len, ssgw_tcap_msg *m,
                                   ssgw_tcap_component *comps, unsigned max, unsigned *n,
                                   bool *truncated);

#endif
