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

/* Messages the general decoder decodes, and of them those the one pass takes alone, its
 * dialogue portion too (the common shapes must: a one pass that gave up on them would still
 * give the same results, only slower). */
static unsigned long decodable, one_pass_taken;

static void count_one_pass(const uint8_t *buf, size_t len)
{
    msg_all a, b;
    ssgw_error e;
    if (decode_all_general(buf, len, &b, &e) < 0) return;
    decodable++;
    ssgw_tcap_dialogue d;
    const ssgw_tcap_span *dp = &b.m.dialogue.portion;
    if (ssgw_tcap_decode_all_one_pass(buf, len, &a.m, a.comps, KEPT, &a.n, &a.truncated) &&
        (!b.m.dialogue_present || ssgw_tcap_dialogue_one_pass(buf + dp->off, dp->len, &d)))
        one_pass_taken++;
    else if (decodable - one_pass_taken <= 3) {
        fprintf(stderr, "  the one pass left %zu octets to the general decoder:", len);
        for (size_t i = 0; i < len && i < 48; i++)
            fprintf(stderr, " %02x", buf[i]);
        fprintf(stderr, "\n");
    }
}

static void generated_message(const uint8_t *msg, size_t len, uint64_t index)
{
    candidates(msg, len, index < 200); /* mutations of the first 200 of each seed */
    count_one_pass(msg, len);
}

static void generated_messages(void)
{
    unsigned long before = paths_succeeded;
    paths_generated(NULL, generated_message);
    CHECK_INT(paths_differed, 0);
    CHECK(decodable > 5000);
    CHECK_INT(one_pass_taken, decodable);   /* every generated message is a common shape */
    CHECK(paths_succeeded - before > 5000); /* the generator's dialogues and components decode */
}

/* ---- crafted messages: every length form on every level ---------------------------------- */

/* A TLV's length octets: minimal, forced into one or two long-form octets (BER allows it, the
 * one-pass paths leave it to the general decoders), or indefinite (constructed only). */
enum { MINIMAL, LONG1, LONG2, INDEFINITE, FORMS };

typedef struct {
    uint8_t b[700];
    size_t n;
} blob;

static void put(blob *o, const void *p, size_t n)
{
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void put_bytes(blob *o, const uint8_t *p, size_t n)
{
    put(o, p, n);
}

/* Appends id, the length of `in` in the given form, and in. */
static void wrap(blob *o, uint8_t id, unsigned form, const blob *in)
{
    size_t n = in->n;
    o->b[o->n++] = id;
    if (form == INDEFINITE && !(id & 0x20)) form = MINIMAL;
    if (form == LONG1 && n > 0xff) form = LONG2;
    if (form == MINIMAL) form = n < 0x80 ? 99 : n <= 0xff ? LONG1 : LONG2;
    switch (form) {
    case LONG1:
        o->b[o->n++] = 0x81;
        o->b[o->n++] = (uint8_t)n;
        break;
    case LONG2:
        o->b[o->n++] = 0x82;
        o->b[o->n++] = (uint8_t)(n >> 8);
        o->b[o->n++] = (uint8_t)n;
        break;
    case INDEFINITE:
        o->b[o->n++] = 0x80;
        break;
    default:
        o->b[o->n++] = (uint8_t)n;
        break;
    }
    put(o, in->b, n);
    if (form == INDEFINITE) o->b[o->n++] = 0, o->b[o->n++] = 0;
}

/* A dialogue portion: AARQ / AARE / ABRT / AUDT by kind, with user information when ui, v
 * as the AARE's result and diagnostic or the ABRT's abort source (0..2: 2 is out of range);
 * forms[0..3] for the portion, the EXTERNAL, the [0] and the PDU. */
static void dialogue(blob *o, unsigned kind, bool ui, uint8_t v, const unsigned *forms)
{
    static const uint8_t as_id[] = {0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01};
    static const uint8_t uas_id[] = {0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x02, 0x01};
    static const uint8_t pv[] = {0x80, 0x02, 0x07, 0x80};
    static const uint8_t acn[] = {0xa1, 0x09, 0x06, 0x07, 0x04, 0x00, 0x00, 0x01, 0x00, 0x14, 0x03};
    uint8_t aare[] = {0xa2, 0x03, 0x02, 0x01, v, 0xa3, 0x05, 0xa1, 0x03, 0x02, 0x01, v};
    uint8_t abrt[] = {0x80, 0x01, v};
    static const uint8_t user_info[] = {0xbe, 0x08, 0x28, 0x06, 0x06, 0x04, 0x2a, 0x03, 0x04, 0x05};
    blob pdu = {.n = 0}, enc = {.n = 0}, ext = {.n = 0};
    if (kind == 2) {
        put_bytes(&pdu, abrt, sizeof abrt);
    } else {
        put_bytes(&pdu, pv, sizeof pv);
        put_bytes(&pdu, acn, sizeof acn);
        if (kind == 1) put_bytes(&pdu, aare, sizeof aare);
    }
    if (ui) put_bytes(&pdu, user_info, sizeof user_info);
    wrap(&enc, kind == 0 || kind == 3 ? 0x60 : kind == 1 ? 0x61 : 0x64, forms[3], &pdu);
    put_bytes(&ext, kind == 3 ? uas_id : as_id, sizeof as_id);
    blob encw = {.n = 0};
    wrap(&encw, 0xa0, forms[2], &enc);
    put(&ext, encw.b, encw.n);
    blob extw = {.n = 0};
    wrap(&extw, 0x28, forms[1], &ext);
    wrap(o, 0x6b, forms[0], &extw);
}

/* A component: invoke (with a linked id when kind is 4), returnResultLast, returnError,
 * reject (NULL invoke id when kind is 5); a parameter of plen octets; forms[0..2] for the
 * component, the result SEQUENCE and the parameter. */
static void component(blob *o, unsigned kind, size_t plen, const unsigned *forms)
{
    static const uint8_t iid[] = {0x02, 0x01, 0x05}, linked[] = {0x80, 0x01, 0x04};
    static const uint8_t op[] = {0x02, 0x01, 0x2e}, problem[] = {0x81, 0x01, 0x02};
    static const uint8_t null_iid[] = {0x05, 0x00};
    blob body = {.n = 0}, par = {.n = 0}, pw = {.n = 0};
    memset(par.b, 0x11, plen);
    par.n = plen;
    wrap(&pw, 0x30, forms[2], &par);
    uint8_t id;
    switch (kind) {
    case 0:
    case 4:
        id = 0xa1;
        put_bytes(&body, iid, sizeof iid);
        if (kind == 4) put_bytes(&body, linked, sizeof linked);
        put_bytes(&body, op, sizeof op);
        put(&body, pw.b, pw.n);
        break;
    case 1: {
        blob res = {.n = 0};
        id = 0xa2;
        put_bytes(&body, iid, sizeof iid);
        put_bytes(&res, op, sizeof op);
        put(&res, pw.b, pw.n);
        wrap(&body, 0x30, forms[1], &res);
        break;
    }
    case 2:
        id = 0xa3;
        put_bytes(&body, iid, sizeof iid);
        put_bytes(&body, op, sizeof op);
        put(&body, pw.b, pw.n);
        break;
    default:
        id = 0xa4;
        if (kind == 5)
            put_bytes(&body, null_iid, sizeof null_iid);
        else
            put_bytes(&body, iid, sizeof iid);
        put_bytes(&body, problem, sizeof problem);
        break;
    }
    wrap(o, id, forms[0], &body);
}

/* Messages of every type, dialogue and component kind, with parameters around the
 * length-form boundaries and each level's length in every form: both paths on each, on its
 * truncations and mutations for a share of them. */
static void crafted_messages(void)
{
    static const size_t plens[] = {0,   1,   120, 123, 124, 125, 126,
                                   127, 128, 250, 251, 252, 253, 300};
    static const uint8_t dtid[] = {0x49, 0x02, 0x7f, 0x80};
    static const uint8_t pabort[] = {0x4a, 0x01, 0x01};
    unsigned long before = paths_succeeded, count = 0;
    for (unsigned type = 0; type < 5; type++) {
        static const uint8_t ids[] = {0x62, 0x65, 0x64, 0x67, 0x61};
        for (unsigned kind = 0; kind < 6; kind++) {
            for (size_t pi = 0; pi < sizeof plens / sizeof plens[0]; pi++) {
                unsigned seed = (unsigned)(type * 1000 + kind * 100 + pi);
                unsigned forms[9];
                for (unsigned i = 0; i < 9; i++) /* mostly minimal, every form somewhere */
                    forms[i] = (seed * 7 + i * 13) % 11 < 8 ? MINIMAL : (seed + i) % FORMS;
                if (pi % 3 == 0)
                    for (unsigned i = 0; i < 9; i++)
                        forms[i] = MINIMAL;
                blob body = {.n = 0}, comps = {.n = 0}, msg = {.n = 0};
                if (type == 0 || type == 1) { /* 1..4 octets, and 0 and 5 (refused) */
                    static const uint8_t otid[] = {0x48, 0x05, 0xf1, 0x02, 0x83, 0x04, 0x05};
                    uint8_t o[sizeof otid];
                    memcpy(o, otid, sizeof o);
                    o[1] = (uint8_t)(pi < 12 ? 1 + pi % 4 : pi - 12 ? 5 : 0);
                    put_bytes(&body, o, 2u + o[1]);
                }
                if (type == 1 || type == 2 || type == 3) put_bytes(&body, dtid, sizeof dtid);
                if (type == 3 && (pi & 1)) {
                    put_bytes(&body, pabort, sizeof pabort);
                } else if (pi % 4 != 3) {
                    unsigned dk = type == 0 ? 0 : type == 3 ? 2 : type == 4 ? 3 : 1;
                    dialogue(&body, dk, (pi & 2) != 0, (uint8_t)(pi % 3), forms + 5);
                }
                if (type != 3) {
                    component(&comps, kind, plens[pi], forms + 2);
                    if (kind == 4) component(&comps, 0, 3, forms + 2);
                    wrap(&body, 0x6c, forms[1], &comps);
                }
                wrap(&msg, ids[type], forms[0], &body);
                count++;
                if (count % 4 == 0)
                    paths_around(msg.b, msg.n, compare_msg);
                else
                    compare_msg(msg.b, msg.n);
                candidates(msg.b, msg.n, count % 4 == 1);
                if (pi % 3 == 0) count_one_pass(msg.b, msg.n); /* minimal lengths only */
            }
        }
    }
    CHECK_INT(paths_differed, 0);
    CHECK_INT(one_pass_taken, decodable);
    CHECK(paths_succeeded - before > 1000);
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
    RUN(crafted_messages);
    RUN(fuzz_corpora);
    return paths_summary();
}
