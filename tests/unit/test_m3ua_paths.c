/*
 * test_m3ua_paths.c - M3UA DATA's one-pass path (ssgw_m3ua_decode) gives exactly what the
 * table-driven decoder gives (ssgw_m3ua_decode_general, src/wire/m3ua_int.h): the same
 * result, the same error (layer, code, field, offset) and, on success, the same decoded
 * members (all of them, each struct filled with a different pattern first), on the same
 * inputs. Inputs: 3,000 generated messages of each of two seeds
 * (ssgw_gen_message: DATA of every user, and management messages), every candidate message
 * in the m3ua, sigtran and view fuzz corpora, and for each of them every truncation and
 * single-octet mutations at every position; and generated messages with their parameters
 * repeated, left out, added to and reordered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "m3ua_same.h"
#include "paths.h"
#include "ssgw/buf.h"
#include "ssgw/gen.h"
#include "ssgw/m3ua.h"
#include "wire/m3ua_int.h"

PATHS_COMPARE(compare, ssgw_m3ua_msg, ssgw_m3ua_decode, ssgw_m3ua_decode_general, same_msg)

/* Every version octet 1 followed by a reserved 0 starts a candidate: the length it
 * declares when that fits, else the rest of the data. */
static void candidates(const uint8_t *data, size_t len, bool around)
{
    for (size_t i = 0; i + 8 <= len; i++) {
        if (data[i] != 1 || data[i + 1] != 0) continue;
        size_t n = (size_t)data[i + 4] << 24 | (size_t)data[i + 5] << 16 |
                   (size_t)data[i + 6] << 8 | data[i + 7];
        if (n < 8 || n > len - i) n = len - i;
        if (around)
            paths_around(data + i, n, compare);
        else
            compare(data + i, n);
    }
}

/* A message from the header of msg and the parameters [0, n) of ps (each the whole padded
 * parameter), the length field set; returns its length. */
typedef struct {
    const uint8_t *p;
    size_t len;
} param_bytes;

static size_t rebuild(const uint8_t *msg, const param_bytes *ps, size_t n, uint8_t *out)
{
    size_t len = 8;
    memcpy(out, msg, 8);
    for (size_t i = 0; i < n; i++) {
        memcpy(out + len, ps[i].p, ps[i].len);
        len += ps[i].len;
    }
    out[4] = (uint8_t)(len >> 24), out[5] = (uint8_t)(len >> 16);
    out[6] = (uint8_t)(len >> 8), out[7] = (uint8_t)len;
    return len;
}

/* The parameters of a well-formed message rearranged: each one repeated, each one left
 * out, one added at every place and in place of each (each of DATA's optional ones, one DATA
 * does not carry, an unknown tag, malformed ones, protocol data of 11 and 12 octets), the
 * order reversed. */
static void rearranged(const uint8_t *msg, size_t len)
{
    static const struct {
        size_t len;
        uint8_t p[16];
    } added[] = {
        {8, {0x00, 0x04, 0x00, 0x06, 'h', 'i', 0, 0}},         /* info string: not in DATA */
        {8, {0x7f, 0x01, 0x00, 0x08, 1, 2, 3, 4}},             /* an unknown tag */
        {8, {0x00, 0x13, 0x00, 0x08, 0xde, 0xad, 0xbe, 0xef}}, /* correlation id */
        {8, {0x02, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x07}}, /* network appearance */
        {8, {0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x01, 0x02}}, /* routing context */
        {8, {0x00, 0x13, 0x00, 0x06, 0xde, 0xad, 0x00, 0x00}}, /* correlation id, 2 octets */
        {4, {0x00, 0x06, 0x00, 0x04}},                         /* routing context, empty */
        {12, {0x00, 0x06, 0x00, 0x0b, 0, 0, 0, 1, 0, 0, 2}},   /* routing context, 7 octets */
        /* protocol data of 11 octets (one short of the label), and of 12 (no user data) */
        {16, {0x02, 0x10, 0x00, 0x0f, 0, 0, 0, 1, 0, 0, 0, 2, 3, 2, 0}},
        {16, {0x02, 0x10, 0x00, 0x10, 0, 0, 0, 1, 0, 0, 0, 2, 3, 2, 0, 5}}};
    param_bytes ps[10], v[12];
    size_t n = 0;
    for (size_t pos = 8; pos + 4 <= len && n < 8;) {
        size_t plen = (size_t)msg[pos + 2] << 8 | msg[pos + 3], padded = (plen + 3) & ~(size_t)3;
        if (plen < 4 || padded > len - pos) return;
        ps[n].p = msg + pos, ps[n].len = padded, n++;
        pos += padded;
    }
    uint8_t out[4096];
    for (size_t k = 0; k < n; k++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            v[m++] = ps[i];
            if (i == k) v[m++] = ps[i];
        }
        compare(out, rebuild(msg, v, m, out));
        m = 0;
        for (size_t i = 0; i < n; i++)
            if (i != k) v[m++] = ps[i];
        compare(out, rebuild(msg, v, m, out));
    }
    for (size_t x = 0; x < sizeof added / sizeof added[0]; x++) {
        for (size_t at = 0; at <= n; at++) { /* inserted before parameter `at` */
            size_t m = 0;
            for (size_t i = 0; i <= n; i++) {
                if (i == at) v[m].p = added[x].p, v[m].len = added[x].len, m++;
                if (i < n) v[m++] = ps[i];
            }
            compare(out, rebuild(msg, v, m, out));
        }
        for (size_t k = 0; k < n; k++) { /* in place of parameter k */
            for (size_t i = 0; i < n; i++)
                v[i] = ps[i];
            v[k].p = added[x].p, v[k].len = added[x].len;
            compare(out, rebuild(msg, v, n, out));
        }
    }
    size_t m = 0;
    for (size_t i = n; i-- > 0;)
        v[m++] = ps[i];
    compare(out, rebuild(msg, v, m, out));
}

static void generated_message(const uint8_t *msg, size_t len, uint64_t index)
{
    if (index < 100)
        paths_around(msg, len, compare); /* mutations of the first 100 of each seed */
    else
        compare(msg, len);
    if (index < 300) rearranged(msg, len);
}

static void generated_messages(void)
{
    ssgw_gen_opts opts;
    ssgw_gen_opts_default(&opts);
    unsigned long before = paths_succeeded;
    paths_generated(&opts, generated_message);
    CHECK_INT(paths_differed, 0);
    CHECK(paths_succeeded - before > 5000); /* the generator's messages decode */
}

/* DATA made by hand where a reader that skipped one of the table's tests would accept
 * what the table refuses, or stop early: a routing context of 5 octets followed at once
 * (unpadded) by a protocol data that ends the message, and parameters after the
 * correlation id (the order of RFC 4666 3.3.1 broken only at the end). Each with its
 * truncations and mutations. */
static void crafted(void)
{
    static const uint8_t pd[16] = {0x02, 0x10, 0x00, 0x10, 0, 0, 0, 1, 0, 0, 0, 2, 3, 2, 0, 5};
    static const uint8_t rc5[9] = {0x00, 0x06, 0x00, 0x09, 0, 0, 0, 1, 7};
    static const uint8_t corr[8] = {0x00, 0x13, 0x00, 0x08, 0xde, 0xad, 0xbe, 0xef};
    static const uint8_t na[8] = {0x02, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x07};
    static const uint8_t hdr[8] = {1, 0, 1, 1, 0, 0, 0, 0};
    const param_bytes cases[][4] = {
        {{rc5, 9}, {pd, 16}},
        {{pd, 16}, {corr, 8}, {na, 8}},
        {{pd, 16}, {corr, 8}, {corr, 8}},
        {{na, 8}, {pd, 16}, {corr, 8}, {pd, 16}},
    };
    static const size_t n[] = {2, 3, 3, 4};
    uint8_t out[128];
    unsigned long before = paths_succeeded;
    for (size_t c = 0; c < sizeof n / sizeof n[0]; c++)
        paths_around(out, rebuild(hdr, cases[c], n[c], out), compare);
    CHECK_INT(paths_differed, 0);
    CHECK(paths_succeeded > before); /* the second case is good DATA */
}

static void corpus_file(const uint8_t *data, size_t len)
{
    candidates(data, len, true);
}

static void fuzz_corpora(void)
{
    static const char *const dirs[] = {"fuzz/corpus/m3ua", "fuzz/corpus/sigtran",
                                       "fuzz/corpus/view"};
    paths_check_corpora(dirs, sizeof dirs / sizeof dirs[0], corpus_file);
}

int main(void)
{
    RUN(generated_messages);
    RUN(crafted);
    RUN(fuzz_corpora);
    return paths_summary();
}
