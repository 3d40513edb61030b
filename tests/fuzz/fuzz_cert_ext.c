/*
 * fuzz_cert_ext.c - libFuzzer target for the signalling-identity extension
 * decoder (ssgw_cert_identity_decode). Every accepted input must re-encode to
 * exactly the same bytes (DER is canonical).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ssgw_identity id;
    ssgw_error err;
    if (ssgw_cert_identity_decode(data, size, &id, &err) < 0) {
        if (err.offset > size) abort();
        return 0;
    }
    static uint8_t out[SSGW_IDENTITY_DER_MAX];
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    if (ssgw_cert_identity_encode(&id, &b) < 0 || b.len != size || memcmp(out, data, size)) abort();
    return 0;
}
