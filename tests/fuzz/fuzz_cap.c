/*
 * fuzz_cap.c - libFuzzer target for the CAP argument decoder and encoder (issue 11).
 *
 * Input: byte 0 selects the operation (among those cap_params.c decodes, modulo),
 * byte 1 the CAMEL phase (0..4, modulo 5); the rest is the parameter TLV, copied
 * into a buffer of exactly its size. When it decodes, the fields are encoded again
 * in the same phase, and what the encoder wrote must decode.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/cap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ops[SSGW_CAP_OPCODE_MAX + 1];
    static size_t nops;
    if (!nops)
        for (size_t i = 0; i < ssgw_cap_op_count(); i++)
            if (ssgw_cap_decodes((int)ssgw_cap_op_at(i)->opcode))
                ops[nops++] = (int)ssgw_cap_op_at(i)->opcode;
    if (size < 2 || !nops) return 0;
    int op = ops[data[0] % nops], phase = data[1] % 5;
    size_t n = size - 2;
    uint8_t *p = malloc(n ? n : 1);
    if (!p) return 0;
    memcpy(p, data + 2, n);
    ssgw_cap_fields f;
    ssgw_error e;
    ssgw_cap_fields_init(&f);
    if (ssgw_cap_decode(op, phase, p, n, &f, &e) == 0) {
        uint8_t mem[2048];
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        if (ssgw_cap_encode(op, phase, &f, &b) == 0) {
            ssgw_cap_fields g;
            ssgw_cap_fields_init(&g);
            if (ssgw_cap_decode(op, phase, b.data, b.len, &g, &e) != 0) abort();
        }
    } else if (e.layer != SSGW_LAYER_CAP || !e.field || e.offset > n) {
        abort();
    }
    free(p);
    return 0;
}
