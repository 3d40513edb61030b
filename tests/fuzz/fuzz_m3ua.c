/*
 * fuzz_m3ua.c - libFuzzer target for the M3UA decoder (RFC 4666): framing,
 * message decode, every raw parameter, nested results and routing keys, and
 * re-encoding (a routing key re-encoded decodes to the same key).
 */
#include <stdint.h>
#include <string.h>

#include "ssgw/m3ua.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A key that decodes, written again with the REG REQ encoder, decodes to the same key. */
static void routing_key_round_trip(const uint8_t *val, size_t len)
{
    ssgw_m3ua_routing_key k, k2;
    ssgw_error err;
    if (ssgw_m3ua_routing_key_decode(val, len, &k, &err) != 0) return;
    k.n_dpc = 1;
    k.unknown_tag = 0;
    uint8_t out[512];
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    if (ssgw_m3ua_encode_reg_req(&b, &k, 1) != 0) __builtin_trap();
    ssgw_m3ua_msg m;
    if (ssgw_m3ua_decode(b.data, b.len, &m, &err) != 0) __builtin_trap();
    if (ssgw_m3ua_routing_key_decode(m.routing_key.val, m.routing_key.len, &k2, &err) != 0)
        __builtin_trap();
    if (memcmp(&k, &k2, sizeof k) != 0) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ssgw_error err;
    ssgw_m3ua_msg m;
    /* Treat the input as a TCP stream: split it with the framer. */
    size_t pos = 0;
    while (pos < size) {
        long n = ssgw_m3ua_frame_len(data + pos, size - pos, 0, &err);
        if (n <= 0 || (size_t)n > size - pos) break;
        (void)ssgw_m3ua_decode(data + pos, (size_t)n, &m, &err);
        pos += (size_t)n;
    }
    if (ssgw_m3ua_decode(data, size, &m, &err) != 0) {
        (void)ssgw_m3ua_err_code_for(&err);
        return 0;
    }
    (void)ssgw_m3ua_msg_name(m.msg_class, m.msg_type);
    volatile uint32_t sink = 0;
    for (size_t i = 0; i < m.routing_context.count; i++)
        sink += ssgw_m3ua_u32_at(&m.routing_context, i);
    for (size_t i = 0; i < m.affected_pc.count; i++)
        sink += ssgw_m3ua_u32_at(&m.affected_pc, i);
    ssgw_m3ua_param ps[64];
    size_t np = 0;
    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param p;
    ssgw_m3ua_param_iter_init(&it, &m);
    while (ssgw_m3ua_param_next(&it, &p, &err) == 1) {
        if (p.tag == SSGW_M3UA_TAG_REGISTRATION_RESULT) {
            ssgw_m3ua_reg_result rr;
            (void)ssgw_m3ua_reg_result_decode(p.val, p.len, &rr, &err);
        } else if (p.tag == SSGW_M3UA_TAG_ROUTING_KEY) {
            routing_key_round_trip(p.val, p.len);
        } else if (p.tag == SSGW_M3UA_TAG_DEREGISTRATION_RESULT) {
            ssgw_m3ua_dereg_result dr;
            (void)ssgw_m3ua_dereg_result_decode(p.val, p.len, &dr, &err);
        }
        if (np < 64) ps[np++] = p;
    }
    /* Re-encoding the raw parameters reproduces zero-padded input exactly. */
    static uint8_t out[70000];
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    if (np == m.n_params && ssgw_m3ua_encode(&b, m.msg_class, m.msg_type, ps, np) == 0) {
        if (b.len != size) __builtin_trap();
        ssgw_m3ua_msg m2;
        if (ssgw_m3ua_decode(b.data, b.len, &m2, &err) != 0) __builtin_trap();
        if (m2.present != m.present) __builtin_trap();
    }
    (void)sink;
    return 0;
}
