/*
 * fuzz_sigtran.c - libFuzzer target for the framings probes capture and SCCP management
 * (issue 11): byte 0 selects M2PA, M2UA, SUA or SCMG (modulo 4); the rest, copied into a
 * buffer of exactly its size, is one message. A decoded M2PA message is encoded again and
 * must decode; a decoded SUA CLDT likewise, with the same parties' digits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/scmg.h"
#include "ssgw/sigtran.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(const ssgw_error *e, ssgw_layer layer, size_t n)
{
    if (e->layer != layer || !e->field || e->offset > n) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[1 << 17];
    if (size < 1) return 0;
    size_t n = size - 1;
    uint8_t *p = malloc(n ? n : 1);
    if (!p) return 0;
    memcpy(p, data + 1, n);
    ssgw_error e;
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    switch (data[0] % 4) {
    case 0: {
        ssgw_m2pa_msg m, m2;
        if (ssgw_m2pa_decode(p, n, &m, &e) < 0) {
            check_error(&e, SSGW_LAYER_M2PA, n);
            break;
        }
        if (ssgw_m2pa_encode(&b, &m) < 0 || ssgw_m2pa_decode(b.data, b.len, &m2, &e) < 0) abort();
        if (m2.bsn != m.bsn || m2.fsn != m.fsn || m2.mtp3_len != m.mtp3_len) abort();
        break;
    }
    case 1: {
        ssgw_m2ua_msg m;
        if (ssgw_m2ua_decode(p, n, &m, &e) < 0) check_error(&e, SSGW_LAYER_M2UA, n);
        break;
    }
    case 2: {
        ssgw_sua_msg m, m2;
        if (ssgw_sua_decode(p, n, &m, &e) < 0) {
            check_error(&e, SSGW_LAYER_SUA, n);
            break;
        }
        if (m.msg_class != SSGW_SUA_CLASS_CL || m.msg_type != SSGW_SUA_CLDT) break;
        if (ssgw_sua_encode_cldt(&b, &m) < 0) break; /* digits the BCD writer refuses */
        if (ssgw_sua_decode(b.data, b.len, &m2, &e) < 0) abort();
        if (strcmp(m.src.digits, m2.src.digits) || strcmp(m.dst.digits, m2.dst.digits) ||
            m2.data_len != m.data_len)
            abort();
        break;
    }
    default: {
        ssgw_scmg_msg m;
        if (ssgw_scmg_decode(p, n, &m, &e) < 0) {
            check_error(&e, SSGW_LAYER_SCMG, n);
            break;
        }
        if (ssgw_scmg_encode(&b, &m) < 0 || b.len != n) abort();
        break;
    }
    }
    free(p);
    return 0;
}
