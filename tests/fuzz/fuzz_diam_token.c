/*
 * fuzz_diam_token.c - libFuzzer target for signed Diameter's receiving side
 * (src/trust/token_diameter.c): the input is a Diameter message from a peer; the
 * verification finds the token AVP, decodes it, strips it and builds the signature
 * input before the key lookup (an empty keyring: the outcome stops at unknown_key,
 * after everything a peer's bytes reach). Checked: a missing token gives the message
 * back unchanged; a stripped one is shorter by exactly the token AVP, still decodes,
 * carries no token AVP, and its length field says its length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/diameter.h"
#include "ssgw/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out[1 << 17];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ssgw_keyring *kr;
    static ssgw_trust *t;
    if (!t) {
        kr = ssgw_keyring_new();
        t = ssgw_trust_new(kr, NULL);
        if (!t) abort();
    }
    ssgw_trust_result res;
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    ssgw_trust_outcome o = ssgw_trust_verify_diameter(t, data, size, 1700000000, &res, &b);
    if (o == SSGW_TRUST_MISSING && (b.len != size || memcmp(out, data, size))) abort();
    if (o == SSGW_TRUST_MALFORMED || o == SSGW_TRUST_MISSING || b.overflow) return 0;
    if (o != SSGW_TRUST_UNKNOWN_KEY || !res.token_present) abort();
    if (b.len + res.token_bytes != size) abort();
    ssgw_diam_msg m;
    ssgw_error e;
    if (ssgw_diam_decode(out, b.len, &m, &e) < 0) abort();
    ssgw_diam_iter it;
    ssgw_diam_avp a;
    ssgw_diam_iter_msg(&it, &m);
    while (ssgw_diam_next(&it, &a, NULL) == 1)
        if (a.vendor == SSGW_DIAM_TOKEN_VENDOR && a.code == SSGW_DIAM_TOKEN_AVP) abort();
    return 0;
}
