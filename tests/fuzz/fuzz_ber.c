/*
 * fuzz_ber.c - libFuzzer target for the BER reader (X.690): walks every TLV
 * recursively (definite and indefinite lengths, bounded nesting), converts
 * OIDs to text and back, and re-encodes primitives to check the writer's
 * length handling.
 */
#include <stdint.h>
#include <string.h>

#include "ssgw/ber.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const uint8_t *p, size_t len, int depth)
{
    ssgw_ber_iter it;
    ssgw_ber_tlv t;
    ssgw_error e;
    ssgw_ber_iter_init(&it, p, len);
    while (ssgw_ber_next(&it, &t, &e) == 1) {
        if (t.constructed && depth < SSGW_BER_MAX_DEPTH + 2) {
            walk(t.val, t.len, depth + 1);
            continue;
        }
        char s[256];
        uint8_t back[128];
        int64_t v;
        if (t.tag == SSGW_BER_TAG_OID && ssgw_ber_oid_to_str(t.val, t.len, s, sizeof s) > 0) {
            int n = ssgw_ber_oid_from_str(s, back, sizeof back);
            /* A canonical OID survives text and back. */
            if (n >= 0 && ((size_t)n != t.len || memcmp(back, t.val, t.len))) __builtin_trap();
        }
        if (ssgw_ber_get_int(&t, &v, "int", &e) == 0) {
            uint8_t mem[16];
            ssgw_buf b;
            ssgw_buf_init(&b, mem, sizeof mem);
            ssgw_ber_put_int(&b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_INTEGER, v);
            if (b.overflow) __builtin_trap();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    walk(data, size, 0);
    return 0;
}
