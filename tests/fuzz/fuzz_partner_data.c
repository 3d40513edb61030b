/*
 * fuzz_partner_data.c - libFuzzer target for the readers of [import] files
 * (src/policy/partner_csv.c, partner_json.c, ported.c; docs/partner-data.md): the same
 * bytes as a partner-data CSV, a partner-data JSON and a ported-numbers CSV. Any bytes
 * give rows and problems, never a crash, a leak or a hang: every problem names a line
 * inside the input (or 0, the whole file) in a NUL-terminated message; every partner has
 * a name and a GT prefix of 1 to 15 digits, its items checked; every ported range has
 * its two ends of one length, in order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/import_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    int lines; /* lines in the input */
} input;

static int on_partner(void *ctx, party *pa)
{
    const input *in = ctx;
    if (!pa->name || !pa->name[0] || strlen(pa->name) > 127 || !pa->gt.n) __builtin_trap();
    for (size_t i = 0; i < pa->gt.n; i++) {
        size_t n = strlen(pa->gt.v[i]);
        if (n < 1 || n > 15 || strspn(pa->gt.v[i], "0123456789") != n) __builtin_trap();
    }
    for (size_t i = 0; i < pa->pc.n; i++)
        if (pa->pc.v[i] < 0 || pa->pc.v[i] > 16383) __builtin_trap();
    for (size_t i = 0; i < pa->mccmnc.n; i++)
        if (strlen(pa->mccmnc.v[i]) < 5 || strlen(pa->mccmnc.v[i]) > 6) __builtin_trap();
    /* 0: a JSON element whose line the scan did not find (e.g. a key written with \u
     * escapes) */
    if (pa->line < 0 || pa->line > in->lines) __builtin_trap();
    policy_party_release(pa);
    return 0;
}

static int on_ported(void *ctx, int line, uint64_t lo, uint64_t hi, const char *op)
{
    const input *in = ctx;
    if (line < 1 || line > in->lines || lo > hi || (lo >> 60) != (hi >> 60) || !op[0])
        __builtin_trap();
    return 0;
}

static int on_problem(void *ctx, int line, const char *msg)
{
    const input *in = ctx;
    if (line < 0 || line > in->lines || !msg || strlen(msg) > 1000) __builtin_trap();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in = {1};
    for (size_t i = 0; i < size; i++)
        in.lines += data[i] == '\n';
    import_sink s = {&in, on_partner, on_ported, on_problem};
    const char *text = (const char *)data;
    if (import_partners_csv(text, size, &s) < 0) __builtin_trap();
    if (import_partners_json(text, size, &s) < 0) __builtin_trap();
    if (import_ported_csv(text, size, &s) < 0) __builtin_trap();
    return 0;
}
