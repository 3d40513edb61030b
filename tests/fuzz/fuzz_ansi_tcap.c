/*
 * fuzz_ansi_tcap.c - libFuzzer target for the ANSI TCAP decoder and encoder (issue 11).
 *
 * Decodes the input as one ANSI TCAP package; when it decodes, the package is encoded
 * again from the view and must decode to the same package type, transaction ids and
 * component count (every component kept: at most 16 in the input's components).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/ansi_tcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_COMPS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ssgw_ansi_tcap_component c[MAX_COMPS], c2[MAX_COMPS];
    static uint8_t out[1 << 16];
    ssgw_ansi_tcap_msg m, m2;
    unsigned n, n2;
    bool trunc, trunc2;
    ssgw_error e;
    if (ssgw_ansi_tcap_decode(data, size, &m, c, MAX_COMPS, &n, &trunc, &e) < 0) {
        if (e.layer != SSGW_LAYER_ANSI_TCAP || !e.field || e.offset > size) abort();
        return 0;
    }
    if (n > MAX_COMPS || (!trunc && n != m.component_count)) abort();
    for (unsigned i = 0; i < n; i++)
        if (c[i].param_present &&
            (c[i].param_tlv < data || c[i].param_tlv + c[i].param_tlv_len > data + size))
            abort();
    if (trunc || m.uabort_present || (m.type == SSGW_ANSI_TCAP_ABORT && !m.pabort_present) ||
        m.app_context_oid)
        return 0; /* what the encoder does not write */
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    if (ssgw_ansi_tcap_encode(&b, &m, c, n, &e) < 0) return 0;
    if (ssgw_ansi_tcap_decode(b.data, b.len, &m2, c2, MAX_COMPS, &n2, &trunc2, &e) < 0) abort();
    if (m2.type != m.type || n2 != n || m2.has_otid != m.has_otid || m2.has_rtid != m.has_rtid)
        abort();
    return 0;
}
