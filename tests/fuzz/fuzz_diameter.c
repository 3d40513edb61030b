/*
 * fuzz_diameter.c - libFuzzer target for the Diameter codec (RFC 6733, S6a/S6d):
 * the input as a stream of messages cut by ssgw_diam_peek_length(), each decoded;
 * the whole input decoded; for what decodes, every AVP walked (Grouped ones too),
 * the policy fields and their text, the view and its record keys' inputs, and the
 * message rebuilt with the encoder from its AVPs, which must decode again to the
 * same length and AVP count.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/diameter.h"
#include "ssgw/view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint32_t sink;

static void walk(ssgw_diam_iter it, unsigned depth)
{
    ssgw_diam_avp a;
    ssgw_error err;
    while (ssgw_diam_next(&it, &a, &err) == 1) {
        sink ^= a.code ^ a.vendor ^ (uint32_t)a.len;
        if (a.len) sink ^= a.data[0] ^ a.data[a.len - 1];
        uint32_t v32;
        uint64_t v64;
        if (ssgw_diam_avp_u32(&a, &v32) == 0) sink ^= v32;
        if (ssgw_diam_avp_u64(&a, &v64) == 0) sink ^= (uint32_t)v64;
        if (a.def && a.def->type == SSGW_DIAM_T_GROUPED && depth < SSGW_DIAM_MAX_DEPTH + 2) {
            ssgw_diam_iter in;
            ssgw_diam_iter_group(&in, &a);
            walk(in, depth + 1);
        }
    }
}

/* Rebuilds the message from its top-level AVPs (values as they are, padding zeroed). */
static void rebuild(const ssgw_diam_msg *m)
{
    size_t cap = m->len + 16;
    uint8_t *mem = malloc(cap);
    if (!mem) return;
    ssgw_buf b;
    ssgw_buf_init(&b, mem, cap);
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, &b, m->flags, m->code, m->app_id, m->hbh, m->e2e);
    ssgw_diam_iter it;
    ssgw_diam_iter_msg(&it, m);
    ssgw_diam_avp a;
    while (ssgw_diam_next(&it, &a, NULL) == 1)
        ssgw_diam_enc_avp_flags(&e, a.code, a.vendor, a.flags, a.data, a.len);
    long n = ssgw_diam_enc_end(&e);
    if (n != (long)m->len) abort();
    ssgw_diam_msg again;
    ssgw_error err;
    if (ssgw_diam_decode(mem, (size_t)n, &again, &err) != 0) abort();
    if (again.n_avps != m->n_avps || again.depth != m->depth) abort();
    free(mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ssgw_diam_msg m;
    ssgw_error err;
    /* the input as a stream (TCP): cut and decode each message */
    for (size_t pos = 0; pos < size;) {
        size_t n = ssgw_diam_peek_length(data + pos, size - pos, size - pos, false);
        if (!n) break;
        (void)ssgw_diam_decode(data + pos, n, &m, &err);
        pos += n;
    }
    if (ssgw_diam_decode(data, size, &m, &err) != 0) {
        if (err.layer != SSGW_LAYER_DIAMETER || !err.field) abort();
        return 0;
    }
    (void)ssgw_diam_cmd_abbrev(m.code, ssgw_diam_is_request(&m));
    (void)ssgw_diam_app_name(m.app_id);
    ssgw_diam_iter it;
    ssgw_diam_iter_msg(&it, &m);
    walk(it, 0);
    ssgw_diam_fields f;
    /* only an S6a/S6d message the policy cannot judge is refused, with a named field in it;
     * the fields are filled all the same */
    bool refused = ssgw_diam_fields_decode(&m, &f, &err) != 0;
    if (refused && (m.app_id != SSGW_DIAM_APP_S6A || err.layer != SSGW_LAYER_DIAMETER ||
                    !err.field || err.offset > size))
        abort();
    char tmp[64];
    for (int i = 0; i < SSGW_DIAM_F_COUNT; i++) {
        int64_t num = -1;
        const char *s = ssgw_diam_field_get(&f, (ssgw_diam_field)i, tmp, sizeof tmp, &num);
        if (s) sink ^= (uint8_t)s[0];
        (void)ssgw_diam_field_value_name((ssgw_diam_field)i, num);
        (void)ssgw_diam_field_view(&f, (ssgw_diam_field)i);
    }
    for (unsigned i = 0; i < f.n_route_record; i++)
        if (f.route_record[i].len) sink ^= (uint8_t)f.route_record[i].p[0];
    for (unsigned i = 0; i < f.n_apn; i++)
        if (f.apn[i].len) sink ^= (uint8_t)f.apn[i].p[f.apn[i].len - 1];
    rebuild(&m);
    static ssgw_view v;
    if (ssgw_view_decode_diameter(&v, data, size) != 0 || (ssgw_view_diameter(&v) != 0) != refused)
        abort();
    return 0;
}
