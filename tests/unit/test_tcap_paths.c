/*
 * test_tcap_paths.c - the one-pass paths of the TCAP decoders for their common shapes
 * (ssgw_tcap_decode_dialogue, ssgw_tcap_decode_component, the transaction portion of
 * ssgw_tcap_decode_all) give exactly what the general decoders give
 * (ssgw_tcap_decode_dialogue_general, ssgw_tcap_decode_component_general,
 * ssgw_tcap_decode_all_general, src/wire/tcap_int.h): the same result, the same error
 * (layer, code, field, offset) and, on success, the same decoded members (for messages
 * also the components kept, and how many, on errors too), on the same inputs. Inputs: every
 * message, dialogue portion and component candidate in 3,000 generated messages of each of two
 * seeds (ssgw_gen_tcap), in the tcap, view, map and cap fuzz corpora, and for each of them every
 * truncation and single-octet mutations at every position. (That the common shapes take the
 * one-pass paths is seen in callgrind, docs/BENCHMARKS.md.)
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

static bool same_code(const ssgw_tcap_code *a, const ssgw_tcap_code *b)
{
    return PATHS_EQ(kind) && PATHS_EQ(local) && PATHS_EQ(global) && PATHS_EQ(global_len);
}

static bool same_dialogue(const ssgw_tcap_dialogue *a, const ssgw_tcap_dialogue *b)
{
    return PATHS_EQ(type) && PATHS_SPAN_EQ(portion) && PATHS_SPAN_EQ(pdu) &&
           PATHS_EQ(protocol_version_present) && PATHS_EQ(protocol_version[0]) &&
           PATHS_EQ(protocol_version[1]) && PATHS_EQ(acn) && PATHS_EQ(acn_len) &&
           !strcmp(a->acn_str, b->acn_str) && PATHS_EQ(result) && PATHS_EQ(diag_source) &&
           PATHS_EQ(diag_value) && PATHS_EQ(abort_source) && PATHS_EQ(user_info_present) &&
           PATHS_EQ(user_info) && PATHS_EQ(user_info_len) && PATHS_SPAN_EQ(user_info_span) &&
           PATHS_EQ(other_oid) && PATHS_EQ(other_oid_len);
}

static bool same_component(const ssgw_tcap_component *a, const ssgw_tcap_component *b)
{
    return PATHS_EQ(type) && PATHS_SPAN_EQ(span) && PATHS_EQ(invoke_id_present) &&
           PATHS_EQ(invoke_id) && PATHS_EQ(linked_id_present) && PATHS_EQ(linked_id) &&
           same_code(&a->opcode, &b->opcode) && same_code(&a->error, &b->error) &&
           PATHS_EQ(problem_type) && PATHS_EQ(problem_code) && PATHS_EQ(param_present) &&
           PATHS_EQ(param_tlv) && PATHS_EQ(param_tlv_len) && PATHS_EQ(param) &&
           PATHS_EQ(param_len) && PATHS_SPAN_EQ(param_span);
}

static bool same_tid(const ssgw_tcap_tid *a, const ssgw_tcap_tid *b)
{
    return PATHS_EQ(present) && PATHS_EQ(len) && !memcmp(a->bytes, b->bytes, sizeof a->bytes) &&
           PATHS_EQ(value) && PATHS_SPAN_EQ(span);
}

/* A message and the components ssgw_tcap_decode_all kept (at most 2 of them, so that the
 * truncation is compared too). */
enum { KEPT = 2 };
typedef struct {
    ssgw_tcap_msg m;
    ssgw_tcap_component comps[KEPT];
    unsigned n;
    bool truncated;
} msg_all;

static bool same_msg_all(const msg_all *x, const msg_all *y)
{
    const ssgw_tcap_msg *a = &x->m, *b = &y->m;
    if (!(PATHS_EQ(type) && PATHS_EQ(buf) && PATHS_SPAN_EQ(span) && same_tid(&a->otid, &b->otid) &&
          same_tid(&a->dtid, &b->dtid) && PATHS_EQ(pabort_present) && PATHS_EQ(pabort_cause) &&
          PATHS_SPAN_EQ(pabort_span) && PATHS_EQ(dialogue_present) &&
          PATHS_EQ(components_present) && PATHS_SPAN_EQ(components_span) && PATHS_EQ(components) &&
          PATHS_EQ(components_len) && PATHS_EQ(component_count)))
        return false;
    if (!same_dialogue(&a->dialogue, &b->dialogue)) return false; /* absent: cleared in both */
    if (x->n != y->n || x->truncated != y->truncated) return false;
    for (unsigned i = 0; i < x->n && i < KEPT; i++)
        if (!same_component(&x->comps[i], &y->comps[i])) return false;
    return true;
}

static int decode_all_one_pass(const uint8_t *buf, size_t len, msg_all *o, ssgw_error *err)
{
    return ssgw_tcap_decode_all(buf, len, &o->m, o->comps, KEPT, &o->n, &o->truncated, err);
}

static int decode_all_general(const uint8_t *buf, size_t len, msg_all *o, ssgw_error *err)
{
    return ssgw_tcap_decode_all_general(buf, len, &o->m, o->comps, KEPT, &o->n, &o->truncated, err);
}

/* As PATHS_COMPARE, and on an error also the count of components kept before it (what a
 * caller of ssgw_tcap_decode_all is told in *n and *truncated either way). */
static void compare_msg(const uint8_t *buf, size_t len)
{
    msg_all a, b;
    ssgw_error ea, eb;
    memset(&a, 0xa5, sizeof a); /* what a decoder leaves as it found shows */
    memset(&b, 0x5a, sizeof b);
    memset(&ea, 0, sizeof ea);
    memset(&eb, 0, sizeof eb);
    int ra = decode_all_one_pass(buf, len, &a, &ea), rb = decode_all_general(buf, len, &b, &eb);
    paths_compared++;
    if (ra == 0) paths_succeeded++;
    bool same = ra == rb && a.n == b.n && a.truncated == b.truncated &&
                (ra < 0 ? paths_same_error(&ea, &eb) : same_msg_all(&a, &b));
    if (!same) paths_report(&paths_differed, buf, len, ra, rb);
}
PATHS_COMPARE(compare_dialogue, ssgw_tcap_dialogue, ssgw_tcap_decode_dialogue,
              ssgw_tcap_decode_dialogue_general, same_dialogue)
PATHS_COMPARE(compare_component, ssgw_tcap_component, ssgw_tcap_decode_component,
              ssgw_tcap_decode_component_general, same_component)

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
        case 0x61: /* Unidirectional, Begin, End, Continue, Abort */
        case 0x62:
        case 0x64:
        case 0x65:
        case 0x67:
            cmp = compare_msg;
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
