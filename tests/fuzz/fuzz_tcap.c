/*
 * fuzz_tcap.c - libFuzzer target for the TCAP decoder (Q.773) and its encoder.
 *
 * Decodes the input as one TC message and walks its components. When it decodes, the
 * view is re-encoded (definite lengths), and the result must decode again and re-encode
 * to the same bytes: encode(decode(encode(decode(x)))) == encode(decode(x)). Every input
 * also goes through ssgw_tcap_decode_all and its general decoder (src/wire/tcap_int.h),
 * which must agree: the same result, error, members and components kept.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/tcap.h"
#include "wire/tcap_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_COMPS 64

static ssgw_tcap_component comps[MAX_COMPS], comps2[MAX_COMPS];
static uint8_t out1[1 << 16], out2[1 << 16];

static size_t collect(const ssgw_tcap_msg *m, ssgw_tcap_component *c, size_t len)
{
    ssgw_tcap_comp_iter it;
    ssgw_error e;
    size_t n = 0;
    int r;
    ssgw_tcap_comp_iter_init(&it, m);
    while ((r = ssgw_tcap_comp_next(&it, &c[n < MAX_COMPS ? n : 0], &e)) == 1) {
        const ssgw_tcap_component *k = &c[n < MAX_COMPS ? n : 0];
        if (k->span.off + k->span.len > len) abort();
        if (k->param_present && k->param_span.off + k->param_span.len > len) abort();
        n++;
    }
    if (r < 0) abort(); /* components were validated by the decoder */
    if (n != m->component_count) abort();
    return n;
}

#define EQ(x)   (a->x == b->x)
#define SPAN(x) (EQ(x.off) && EQ(x.len) && EQ(x.hdr_len) && EQ(x.indefinite))

static bool same_code(const ssgw_tcap_code *a, const ssgw_tcap_code *b)
{
    return EQ(kind) && EQ(local) && EQ(global) && EQ(global_len);
}

static bool same_comp(const ssgw_tcap_component *a, const ssgw_tcap_component *b)
{
    return EQ(type) && SPAN(span) && EQ(invoke_id_present) && EQ(invoke_id) &&
           EQ(linked_id_present) && EQ(linked_id) && same_code(&a->opcode, &b->opcode) &&
           same_code(&a->error, &b->error) && EQ(problem_type) && EQ(problem_code) &&
           EQ(param_present) && EQ(param_tlv) && EQ(param_tlv_len) && EQ(param) && EQ(param_len) &&
           SPAN(param_span);
}

static bool same_tid(const ssgw_tcap_tid *a, const ssgw_tcap_tid *b)
{
    return EQ(present) && EQ(len) && !memcmp(a->bytes, b->bytes, 4) && EQ(value) && SPAN(span);
}

static bool same_span(const ssgw_tcap_span *a, const ssgw_tcap_span *b)
{
    return EQ(off) && EQ(len) && EQ(hdr_len) && EQ(indefinite);
}

static bool same_dialogue(const ssgw_tcap_dialogue *a, const ssgw_tcap_dialogue *b)
{
    return EQ(type) && same_span(&a->portion, &b->portion) && same_span(&a->pdu, &b->pdu) &&
           EQ(protocol_version_present) && EQ(protocol_version[0]) && EQ(protocol_version[1]) &&
           EQ(acn) && EQ(acn_len) && !strcmp(a->acn_str, b->acn_str) && EQ(result) &&
           EQ(diag_source) && EQ(diag_value) && EQ(abort_source) && EQ(user_info_present) &&
           EQ(user_info) && EQ(user_info_len) &&
           same_span(&a->user_info_span, &b->user_info_span) && EQ(other_oid) && EQ(other_oid_len);
}

static bool same_msg(const ssgw_tcap_msg *a, const ssgw_tcap_msg *b)
{
    return EQ(type) && EQ(buf) && SPAN(span) && same_tid(&a->otid, &b->otid) &&
           same_tid(&a->dtid, &b->dtid) && EQ(pabort_present) && EQ(pabort_cause) &&
           SPAN(pabort_span) && EQ(dialogue_present) && EQ(components_present) &&
           SPAN(components_span) && EQ(components) && EQ(components_len) && EQ(component_count) &&
           same_dialogue(&a->dialogue, &b->dialogue);
}

/* ssgw_tcap_decode_all (one pass first) against its general decoder. */
static void same_as_general(const uint8_t *data, size_t size)
{
    enum { KEEP = 3 };
    static ssgw_tcap_msg a, b;
    static ssgw_tcap_component ca[KEEP], cb[KEEP];
    unsigned na, nb;
    bool ta, tb;
    ssgw_error ea, eb;
    memset(&ea, 0, sizeof ea);
    memset(&eb, 0, sizeof eb);
    int ra = ssgw_tcap_decode_all(data, size, &a, ca, KEEP, &na, &ta, &ea);
    int rb = ssgw_tcap_decode_all_general(data, size, &b, cb, KEEP, &nb, &tb, &eb);
    if (ra != rb || na != nb || ta != tb) abort();
    if (ra < 0) {
        if (ea.layer != eb.layer || ea.code != eb.code || ea.offset != eb.offset ||
            (ea.field == NULL) != (eb.field == NULL) || (ea.field && strcmp(ea.field, eb.field)))
            abort();
        return;
    }
    if (!same_msg(&a, &b)) abort();
    for (unsigned i = 0; i < na && i < KEEP; i++)
        if (!same_comp(&ca[i], &cb[i])) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    same_as_general(data, size);
    ssgw_tcap_msg m, m2;
    ssgw_error e;
    if (ssgw_tcap_decode(data, size, &m, &e) < 0) {
        if (e.offset > size) abort();
        return 0;
    }
    size_t n = collect(&m, comps, size);
    if (n > MAX_COMPS || size > sizeof out1 / 2) return 0;

    ssgw_buf b1, b2;
    ssgw_buf_init(&b1, out1, sizeof out1);
    if (ssgw_tcap_encode(&b1, &m, comps, n, &e) < 0) abort();
    if (ssgw_tcap_decode(b1.data, b1.len, &m2, &e) < 0) abort();
    if (m2.type != m.type || m2.component_count != m.component_count ||
        m2.dialogue_present != m.dialogue_present || m2.otid.value != m.otid.value ||
        m2.dtid.value != m.dtid.value || strcmp(m2.dialogue.acn_str, m.dialogue.acn_str) != 0)
        abort();
    size_t n2 = collect(&m2, comps2, b1.len);
    ssgw_buf_init(&b2, out2, sizeof out2);
    if (ssgw_tcap_encode(&b2, &m2, comps2, n2, &e) < 0) abort();
    if (b2.len != b1.len || memcmp(b1.data, b2.data, b1.len) != 0) abort();
    return 0;
}
