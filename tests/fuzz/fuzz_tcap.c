/*
 * fuzz_tcap.c - libFuzzer target for the TCAP decoder (Q.773) and its encoder.
 *
 * Decodes the input as one TC message and walks its components. When it decodes, the
 * view is re-encoded (definite lengths), and the result must decode again and re-encode
 * to the same bytes: encode(decode(encode(decode(x)))) == encode(decode(x)).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/tcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_COMPS 64

static ssgw_tcap_component comps[MAX_COMPS], comps2[MAX_COMPS];
static uint8_t out1[1 << 16], out2[1 << 16];

static size_t collect(const ssgw_tcap_msg *m, ssgw_tcap_component *c, size_t len)
{
    ssgw_tcap_comp_iter it;
    ssgw_error e;
    size_t n = 0;
    int r;
    ssgw_tcap_comp_iter_init(&it, m);
    while ((r = ssgw_tcap_comp_next(&it, &c[n < MAX_COMPS ? n : 0], &e)) == 1) {
        const ssgw_tcap_component *k = &c[n < MAX_COMPS ? n : 0];
        if (k->span.off + k->span.len > len) abort();
        if (k->param_present && k->param_span.off + k->param_span.len > len) abort();
        n++;
    }
    if (r < 0) abort(); /* components were validated by the decoder */
    if (n != m->component_count) abort();
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ssgw_tcap_msg m, m2;
    ssgw_error e;
    if (ssgw_tcap_decode(data, size, &m, &e) < 0) {
        if (e.offset > size) abort();
        return 0;
    }
    size_t n = collect(&m, comps, size);
    if (n > MAX_COMPS || size > sizeof out1 / 2) return 0;

    ssgw_buf b1, b2;
    ssgw_buf_init(&b1, out1, sizeof out1);
    if (ssgw_tcap_encode(&b1, &m, comps, n, &e) < 0) abort();
    if (ssgw_tcap_decode(b1.data, b1.len, &m2, &e) < 0) abort();
    if (m2.type != m.type || m2.component_count != m.component_count ||
        m2.dialogue_present != m.dialogue_present || m2.otid.value != m.otid.value ||
        m2.dtid.value != m.dtid.value || strcmp(m2.dialogue.acn_str, m.dialogue.acn_str) != 0)
        abort();
    size_t n2 = collect(&m2, comps2, b1.len);
    ssgw_buf_init(&b2, out2, sizeof out2);
    if (ssgw_tcap_encode(&b2, &m2, comps2, n2, &e) < 0) abort();
    if (b2.len != b1.len || memcmp(b1.data, b2.data, b1.len) != 0) abort();
    return 0;
}
