/*
 * map_int.h - internal: the MAP parameter decoder with its element search as it was, not
 * installed.
 *
 * ssgw_map_decode (map.h) finds each element of a list in one tight pass over the list
 * (dec_list, map_params.c). The search it replaced is kept behind this declaration so that
 * test_map_paths can run both on the same inputs and compare them.
 */
#ifndef SSGW_WIRE_MAP_INT_H
#define SSGW_WIRE_MAP_INT_H

#include "ssgw/map.h"

/* Same contract as ssgw_map_decode, every list searched the way it used to be. */
int ssgw_map_decode_general(int opcode, ssgw_map_comp_kind kind, int acn_version,
                            const uint8_t *param, size_t len, ssgw_map_fields *out,
                            ssgw_error *err);

#endif
