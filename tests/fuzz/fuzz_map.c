/*
 * fuzz_map.c - fuzz target for the MAP parameter decoder and encoders.
 *
 * Input: octet 0 = local opcode, octet 1 = component kind (low 2 bits, 1..3)
 * and application-context version (high nibble, 0..4), then the parameter.
 * Anything the decoder accepts is re-encoded, and the encoding must decode
 * again; the decoder's presence bits must cover every field present; the GSM
 * 7-bit unpacker is fed the parameter too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/gsm7.h"
#include "ssgw/map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    int opcode = data[0];
    ssgw_map_comp_kind kind = (ssgw_map_comp_kind)(data[1] & 3);
    int version = (data[1] >> 4) % 5;
    const uint8_t *param = data + 2;
    size_t len = size - 2;

    char text[SSGW_MAP_USSD_CAP * 2];
    ssgw_gsm7_unpack(param, len, text, sizeof text);

    ssgw_map_fields f, g;
    ssgw_error err;
    if (ssgw_map_decode(opcode, kind, version, param, len, &f, &err) < 0) return 0;
    /* the decoder's presence bits: every field the 27 tests find has its bit */
    if (ssgw_map_fields_present(&f) & ~f.present) abort();
    uint8_t mem[2048];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    if (ssgw_map_encode(opcode, kind, version, &f, &b) < 0) return 0;
    if (ssgw_map_decode(opcode, kind, version, mem, b.len, &g, &err) < 0) abort();
    return 0;
}
