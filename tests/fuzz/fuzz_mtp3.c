/*
 * fuzz_mtp3.c - libFuzzer target for the MTP3 MSU decoder (ITU-T Q.704 2.2):
 * decode, re-encode (must reproduce the input) and point code formatting.
 */
#include <stdint.h>
#include <string.h>

#include "ssgw/mtp3.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ssgw_mtp3_msu m;
    ssgw_error err;
    if (ssgw_mtp3_decode(data, size, &m, &err) != 0) return 0;
    static uint8_t out[1 << 16];
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    if (ssgw_mtp3_encode(&b, &m) == 0 && (b.len != size || memcmp(out, data, size) != 0))
        __builtin_trap();
    char s[32];
    uint16_t pc;
    ssgw_mtp3_pc_format_383(m.label.opc, s, sizeof s);
    if (ssgw_mtp3_pc_parse(s, &pc) != 0 || pc != m.label.opc) __builtin_trap();
    /* The parser also takes arbitrary text. */
    char txt[16];
    size_t n = size < sizeof txt - 1 ? size : sizeof txt - 1;
    memcpy(txt, data, n);
    txt[n] = '\0';
    (void)ssgw_mtp3_pc_parse(txt, &pc);
    return 0;
}
