/*
 * test_tcap_dialogue_paths.c - the dialogue portion's one-pass path for its common shapes
 * (ssgw_tcap_decode_dialogue) gives exactly what the general decoder gives
 * (ssgw_tcap_decode_dialogue_general, src/wire/tcap_int.h): the same result, the same
 * error (layer, code, field, offset) and, on success, the same decoded struct, on the same
 * inputs. Inputs: every dialogue portion in 3,000 generated messages of each TCAP user
 * (ssgw_gen_tcap, seeds 1 and 2), every candidate in the fuzz corpora (tcap, view, map,
 * cap), and for each of them every truncation and single-octet mutations at every position.
 * (That the common shapes take the one-pass path is seen in callgrind, docs/BENCHMARKS.md.)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ssgw/buf.h"
#include "ssgw/gen.h"
#include "ssgw/tcap.h"
#include "wire/tcap_int.h"

static unsigned long compared, succeeded, differed;

static bool same_error(const ssgw_error *a, const ssgw_error *b)
{
    return a->layer == b->layer && a->code == b->code && a->offset == b->offset &&
           ((!a->field && !b->field) || (a->field && b->field && !strcmp(a->field, b->field)));
}

/* Both decoders on buf[0..len). */
static void compare(const uint8_t *buf, size_t len)
{
    ssgw_tcap_dialogue a, b;
    ssgw_error ea, eb;
    memset(&ea, 0, sizeof ea);
    memset(&eb, 0, sizeof eb);
    int ra = ssgw_tcap_decode_dialogue(buf, len, &a, &ea);
    int rb = ssgw_tcap_decode_dialogue_general(buf, len, &b, &eb);
    compared++;
    bool same = ra == rb && (ra < 0 ? same_error(&ea, &eb) : memcmp(&a, &b, sizeof a) == 0);
    if (ra == 0) succeeded++;
    if (!same) {
        if (differed++ < 5) {
            fprintf(stderr, "  differ on %zu octets:", len);
            for (size_t i = 0; i < len && i < 48; i++)
                fprintf(stderr, " %02x", buf[i]);
            fprintf(stderr, " (one pass %d, general %d)\n", ra, rb);
        }
    }
}

/* The input, its truncations and its single-octet mutations. */
static void compare_around(const uint8_t *buf, size_t len)
{
    static const uint8_t flips[] = {0x01, 0x02, 0x20, 0x40, 0x80, 0xff};
    uint8_t m[300];
    if (len > sizeof m) len = sizeof m;
    compare(buf, len);
    for (size_t n = 0; n < len; n++)
        compare(buf, n);
    for (size_t i = 0; i < len; i++) {
        for (size_t f = 0; f < sizeof flips; f++) {
            memcpy(m, buf, len);
            m[i] ^= flips[f];
            compare(m, len);
        }
        memcpy(m, buf, len);
        m[i] = 0x00;
        compare(m, len);
    }
}

/* Every [APPLICATION 11] identifier in data with a short length that fits starts a candidate. */
static void candidates(const uint8_t *data, size_t len, bool around)
{
    for (size_t i = 0; i + 2 <= len; i++) {
        if (data[i] != 0x6b) continue;
        size_t n = data[i + 1] < 0x80 ? 2u + data[i + 1] : len - i;
        if (n > len - i) n = len - i;
        if (around)
            compare_around(data + i, n);
        else
            compare(data + i, n);
    }
}

static void generated_messages(void)
{
    unsigned long before = succeeded;
    for (uint64_t seed = 1; seed <= 2; seed++) {
        for (uint64_t i = 0; i < 3000; i++) {
            uint8_t mem[2048];
            ssgw_buf b;
            ssgw_gen_info info;
            ssgw_error e;
            ssgw_buf_init(&b, mem, sizeof mem);
            if (ssgw_gen_tcap(seed, i, &b, &info, &e) < 0 || b.overflow) continue;
            candidates(mem, b.len, i < 200); /* mutations of the first 200 of each seed */
        }
    }
    CHECK_INT(differed, 0);
    CHECK(succeeded - before > 1000); /* the generator's dialogues decode */
}

static void fuzz_corpora(void)
{
    static const char *const dirs[] = {"fuzz/corpus/tcap", "fuzz/corpus/view", "fuzz/corpus/map",
                                       "fuzz/corpus/cap"};
    unsigned files = 0;
    for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
        DIR *dir = opendir(dirs[d]);
        if (!dir) continue;
        struct dirent *de;
        while ((de = readdir(dir))) {
            if (de->d_name[0] == '.') continue;
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dirs[d], de->d_name);
            FILE *f = fopen(path, "rb");
            if (!f) continue;
            uint8_t data[4096];
            size_t n = fread(data, 1, sizeof data, f);
            fclose(f);
            files++;
            candidates(data, n, true);
        }
        closedir(dir);
    }
    CHECK(files > 100); /* the corpora were found (ctest runs in tests/) */
    CHECK_INT(differed, 0);
}

int main(void)
{
    RUN(generated_messages);
    RUN(fuzz_corpora);
    fprintf(stderr, "  %lu inputs compared, %lu decoded\n", compared, succeeded);
    return check_summary();
}
