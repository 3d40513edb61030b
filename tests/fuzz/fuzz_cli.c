/*
 * fuzz_cli.c - libFuzzer target for the CLI attestation inside ISUP (include/ssgw/cli.h).
 *
 * Input: one ISUP message (from the CIC). Finding and stripping an attestation never
 * reads outside the message and strips to a message that decodes; for an IAM that
 * carries none, inserting one and stripping it gives the message back byte for byte
 * (the one latitude of the ISUP codec, an optional part holding only its end octet,
 * comes back with a zero pointer); marking the calling number changes at most its
 * screening bits. The attestation decoder is fed the input as a parameter value too.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ssgw_error err;
    ssgw_cli_attestation a;
    (void)ssgw_cli_att_decode(data, size, &a, &err);
    static ssgw_isup_msg m, s;
    if (ssgw_isup_decode(data, size, &m, &err) != 0) return 0;
    static uint8_t out[1 << 12], back[1 << 12];
    ssgw_buf o, b;
    ssgw_buf_init(&b, back, sizeof back);
    int r = ssgw_cli_strip(&m, &a, &b, &err);
    if (r == 1 && (b.len >= size || ssgw_isup_decode(back, b.len, &s, &err) != 0)) abort();
    if (r != 0) return 0;
    /* marking: only the screening indicator may change */
    uint8_t *copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    if (ssgw_cli_mark_verified(copy, size, &m) == 1) {
        size_t diff = 0;
        for (size_t i = 0; i < size; i++)
            if (copy[i] != data[i]) {
                if ((copy[i] ^ data[i]) & ~3u) abort();
                diff++;
            }
        if (diff != 1) abort();
    }
    free(copy);
    memset(&a, 0, sizeof a);
    a.version = SSGW_CLI_VERSION;
    a.attest = SSGW_CLI_ATTEST_PARTIAL;
    ssgw_buf_init(&o, out, sizeof out);
    if (ssgw_cli_insert(&m, &a, &o, &err) != 0) return 0;
    if (ssgw_isup_decode(out, o.len, &s, &err) != 0) abort();
    ssgw_cli_attestation found;
    ssgw_buf_init(&b, back, sizeof back);
    if (ssgw_cli_strip(&s, &found, &b, &err) != 1) abort();
    bool any_optional = false;
    for (unsigned i = 0; i < m.nparams; i++)
        any_optional |= m.params[i].part == SSGW_ISUP_PART_OPTIONAL;
    bool canonical = any_optional || !m.optional_part;
    if (canonical && (b.len != size || memcmp(back, data, size) != 0)) abort();
    return 0;
}
