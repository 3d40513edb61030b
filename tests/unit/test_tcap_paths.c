/*
 * test_tcap_paths.c - the one-pass paths of the TCAP decoders for their common shapes
 * (ssgw_tcap_decode_dialogue, ssgw_tcap_decode_component) give exactly what the general
 * decoders give (ssgw_tcap_decode_dialogue_general, ssgw_tcap_decode_component_general,
 * src/wire/tcap_int.h): the same result, the same error (layer, code, field, offset) and,
 * on success, the same decoded struct, on the same inputs. Inputs: every dialogue portion
 * and component candidate in 3,000 generated messages of each of two seeds (ssgw_gen_tcap),
 * in the tcap, view, map and cap fuzz corpora, and for each of them every truncation and
 * single-octet mutations at every position.
 * (That the common shapes take the one-pass paths is seen in callgrind, docs/BENCHMARKS.md.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "paths.h"
#include "ssgw/buf.h"
#include "ssgw/gen.h"
#include "ssgw/tcap.h"
#include "wire/tcap_int.h"

PATHS_COMPARE(compare_dialogue, ssgw_tcap_dialogue, ssgw_tcap_decode_dialogue,
              ssgw_tcap_decode_dialogue_general)
PATHS_COMPARE(compare_component, ssgw_tcap_component, ssgw_tcap_decode_component,
              ssgw_tcap_decode_component_general)

/* Every [APPLICATION 11] identifier starts a dialogue portion candidate, every [CONTEXT 1..4,
 * 7] constructed identifier a component candidate: the short length when it fits, else the
 * rest of the data. */
static void candidates(const uint8_t *data, size_t len, bool around)
{
    for (size_t i = 0; i + 2 <= len; i++) {
        paths_fn cmp;
        switch (data[i]) {
        case 0x6b:
            cmp = compare_dialogue;
            break;
        case 0xa1:
        case 0xa2:
        case 0xa3:
        case 0xa4:
        case 0xa7:
            cmp = compare_component;
            break;
        default:
            continue;
        }
        size_t n = data[i + 1] < 0x80 ? 2u + data[i + 1] : len - i;
        if (n > len - i) n = len - i;
        if (around)
            paths_around(data + i, n, cmp);
        else
            cmp(data + i, n);
    }
}

static void generated_messages(void)
{
    unsigned long before = paths_succeeded;
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
    CHECK_INT(paths_differed, 0);
    CHECK(paths_succeeded - before > 5000); /* the generator's dialogues and components decode */
}

static void corpus_file(const uint8_t *data, size_t len)
{
    candidates(data, len, true);
}

static void fuzz_corpora(void)
{
    static const char *const dirs[] = {"fuzz/corpus/tcap", "fuzz/corpus/view", "fuzz/corpus/map",
                                       "fuzz/corpus/cap"};
    paths_check_corpora(dirs, sizeof dirs / sizeof dirs[0], corpus_file);
}

int main(void)
{
    RUN(generated_messages);
    RUN(fuzz_corpora);
    return paths_summary();
}
