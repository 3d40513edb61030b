/*
 * fuzz_isup.c - libFuzzer target for the ISUP codec (ITU-T Q.763).
 *
 * Input: one ISUP message (from the CIC). A message the decoder accepts re-encodes
 * from its parameter views to exactly the same octets (the decoder accepts only the
 * canonical layout; the one latitude, an optional part with nothing but its end octet,
 * is written back with a zero pointer), and decodes again to the same fields. The address decoder
 * is also fed the input in every layout (octet 0 picks it).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/isup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ssgw_error err;
    if (size) {
        ssgw_isup_number n;
        (void)ssgw_isup_number_decode(data + 1, size - 1, (ssgw_isup_num_layout)(data[0] % 6), &n,
                                      &err);
    }
    static ssgw_isup_msg m, m2;
    if (ssgw_isup_decode(data, size, &m, &err) != 0) {
        if (err.layer != SSGW_LAYER_ISUP || err.offset > size) abort();
        return 0;
    }
    if (!m.def || m.def->opaque || m.params_truncated || (data[1] & 0xf0)) return 0;
    bool any_optional = false;
    for (unsigned i = 0; i < m.nparams; i++)
        any_optional |= m.params[i].part == SSGW_ISUP_PART_OPTIONAL;
    /* an optional part holding only its end octet is re-encoded with a zero pointer */
    bool canonical = any_optional || !m.optional_part;
    static uint8_t out[1 << 17]; /* re-encoding never grows a message */
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    if (ssgw_isup_encode(&b, m.cic, m.type, m.params, m.nparams, &err) != 0) abort();
    if (canonical && (b.len != size || memcmp(out, data, size) != 0)) abort();
    if (ssgw_isup_decode(out, b.len, &m2, &err) != 0) abort();
    if (m2.nparams != m.nparams || strcmp(m2.f.calling.digits, m.f.calling.digits) != 0 ||
        strcmp(m2.f.called.digits, m.f.called.digits) != 0 || m2.f.cause_value != m.f.cause_value)
        abort();
    return 0;
}
