/*
 * tcap_int.h - internal: the general TCAP dialogue portion decoder, not installed.
 *
 * ssgw_tcap_decode_dialogue (tcap.h) first tries the common shapes in one pass and falls
 * back to the general decoder for anything else. The general decoder is declared here so
 * that test_tcap_dialogue_paths can run both on the same inputs and compare them.
 */
#ifndef SSGW_WIRE_TCAP_INT_H
#define SSGW_WIRE_TCAP_INT_H

#include "ssgw/tcap.h"

/* Same contract as ssgw_tcap_decode_dialogue, element by element for every shape. */
int ssgw_tcap_decode_dialogue_general(const uint8_t *buf, size_t len, ssgw_tcap_dialogue *d,
                                      ssgw_error *err);

#endif
