/*
 * m3ua_rkm.c - M3UA routing key management (RFC 4666 3.6): the Routing Key an
 * ASP registers (3.6.1) and the REG / DEREG requests and responses. The gateway
 * answers them as an SG (src/gateway/gw_rkm.c); the request encoders serve tests
 * and simulated peers.
 */
#include <string.h>

#include "ssgw/m3ua.h"
#include "util/bytes.h"

#define FAIL(code, field, off) ssgw_fail(err, SSGW_LAYER_M3UA, code, field, off)

/* A routing key's nested parameter that holds one 32-bit value. */
static int take_u32(const ssgw_m3ua_param *p, uint32_t *seen_mask, unsigned bit, uint32_t *out,
                    ssgw_error *err)
{
    const char *name = ssgw_m3ua_param_name(p->tag);
    if (*seen_mask & (1u << bit)) return FAIL(SSGW_E_DUPLICATE, name, p->offset);
    if (p->len != 4) return FAIL(SSGW_E_BAD_LENGTH, name, p->offset + 2);
    *out = get_be32(p->val);
    *seen_mask |= 1u << bit;
    return 0;
}

enum { B_RKID, B_RC, B_TMT, B_NA, B_SI, B_OPC };

int ssgw_m3ua_routing_key_decode(const uint8_t *val, size_t len, ssgw_m3ua_routing_key *out,
                                 ssgw_error *err)
{
    memset(out, 0, sizeof *out);
    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param p;
    uint32_t seen = 0;
    int r;
    ssgw_m3ua_param_iter_init_raw(&it, val, len, 0);
    while ((r = ssgw_m3ua_param_next(&it, &p, err)) == 1) {
        const char *name = ssgw_m3ua_param_name(p.tag);
        switch (p.tag) {
        case SSGW_M3UA_TAG_LOCAL_RK_IDENTIFIER:
            if (take_u32(&p, &seen, B_RKID, &out->local_rk_id, err) < 0) return -1;
            break;
        case SSGW_M3UA_TAG_ROUTING_CONTEXT:
            if (take_u32(&p, &seen, B_RC, &out->routing_context, err) < 0) return -1;
            out->has_routing_context = true;
            break;
        case SSGW_M3UA_TAG_TRAFFIC_MODE_TYPE:
            if (take_u32(&p, &seen, B_TMT, &out->traffic_mode, err) < 0) return -1;
            break;
        case SSGW_M3UA_TAG_DESTINATION_POINT_CODE: {
            uint32_t dpc;
            uint32_t once = 0;
            if (take_u32(&p, &once, 0, &dpc, err) < 0) return -1;
            /* the NA / SI / OPC after a further DPC belong to that DPC: not kept */
            if (out->n_dpc++ == 0) out->dpc = dpc;
            break;
        }
        case SSGW_M3UA_TAG_NETWORK_APPEARANCE:
            if (out->n_dpc > 1) break;
            if (take_u32(&p, &seen, B_NA, &out->network_appearance, err) < 0) return -1;
            out->has_network_appearance = true;
            break;
        case SSGW_M3UA_TAG_SERVICE_INDICATORS:
            if (out->n_dpc > 1) break;
            if (seen & (1u << B_SI)) return FAIL(SSGW_E_DUPLICATE, name, p.offset);
            if (!p.len) return FAIL(SSGW_E_BAD_LENGTH, name, p.offset + 2);
            if (p.len > SSGW_M3UA_RK_MAX_LIST) return FAIL(SSGW_E_TOO_BIG, name, p.offset + 2);
            memcpy(out->si, p.val, p.len);
            out->n_si = p.len;
            seen |= 1u << B_SI;
            break;
        case SSGW_M3UA_TAG_ORIGINATING_PC_LIST:
            if (out->n_dpc > 1) break;
            if (seen & (1u << B_OPC)) return FAIL(SSGW_E_DUPLICATE, name, p.offset);
            if (!p.len || p.len % 4) return FAIL(SSGW_E_BAD_LENGTH, name, p.offset + 2);
            if (p.len / 4 > SSGW_M3UA_RK_MAX_LIST) return FAIL(SSGW_E_TOO_BIG, name, p.offset + 2);
            for (size_t i = 0; i < p.len / 4; i++)
                out->opc[i] = get_be32(p.val + 4 * i);
            out->n_opc = p.len / 4;
            seen |= 1u << B_OPC;
            break;
        default:
            if (!out->unknown_tag) out->unknown_tag = p.tag;
            break;
        }
    }
    if (r < 0) return -1;
    if (!(seen & (1u << B_RKID)))
        return FAIL(SSGW_E_MISSING, ssgw_m3ua_param_name(SSGW_M3UA_TAG_LOCAL_RK_IDENTIFIER), len);
    if (!out->n_dpc)
        return FAIL(SSGW_E_MISSING, ssgw_m3ua_param_name(SSGW_M3UA_TAG_DESTINATION_POINT_CODE),
                    len);
    return 0;
}

/* Writes a parameter whose value is the nested parameters put by fill(ctx) into inner. */
static void put_nested(ssgw_buf *b, uint16_t tag, uint8_t *inner, size_t cap,
                       void (*fill)(ssgw_buf *, const void *), const void *ctx)
{
    ssgw_buf in;
    ssgw_buf_init(&in, inner, cap);
    fill(&in, ctx);
    if (in.overflow) {
        b->overflow = true;
        return;
    }
    ssgw_m3ua_put_param(b, tag, in.data, in.len);
}

static void fill_rk(ssgw_buf *in, const void *ctx)
{
    const ssgw_m3ua_routing_key *k = ctx;
    ssgw_m3ua_put_u32_param(in, SSGW_M3UA_TAG_LOCAL_RK_IDENTIFIER, k->local_rk_id);
    if (k->has_routing_context)
        ssgw_m3ua_put_u32_param(in, SSGW_M3UA_TAG_ROUTING_CONTEXT, k->routing_context);
    if (k->traffic_mode)
        ssgw_m3ua_put_u32_param(in, SSGW_M3UA_TAG_TRAFFIC_MODE_TYPE, k->traffic_mode);
    ssgw_m3ua_put_u32_param(in, SSGW_M3UA_TAG_DESTINATION_POINT_CODE, k->dpc);
    if (k->has_network_appearance)
        ssgw_m3ua_put_u32_param(in, SSGW_M3UA_TAG_NETWORK_APPEARANCE, k->network_appearance);
    if (k->n_si)
        ssgw_m3ua_put_param(in, SSGW_M3UA_TAG_SERVICE_INDICATORS, k->si,
                            k->n_si > SSGW_M3UA_RK_MAX_LIST ? SSGW_M3UA_RK_MAX_LIST : k->n_si);
    if (k->n_opc)
        ssgw_m3ua_put_u32_list_param(in, SSGW_M3UA_TAG_ORIGINATING_PC_LIST, k->opc,
                                     k->n_opc > SSGW_M3UA_RK_MAX_LIST ? SSGW_M3UA_RK_MAX_LIST
                                                                      : k->n_opc);
}

static void fill_reg_result(ssgw_buf *in, const void *ctx)
{
    const ssgw_m3ua_reg_result *r = ctx;
    ssgw_m3ua_put_u32_param(in, SSGW_M3UA_TAG_LOCAL_RK_IDENTIFIER, r->local_rk_id);
    ssgw_m3ua_put_u32_param(in, SSGW_M3UA_TAG_REGISTRATION_STATUS, r->status);
    ssgw_m3ua_put_u32_param(in, SSGW_M3UA_TAG_ROUTING_CONTEXT, r->routing_context);
}

static void fill_dereg_result(ssgw_buf *in, const void *ctx)
{
    const ssgw_m3ua_dereg_result *r = ctx;
    ssgw_m3ua_put_u32_param(in, SSGW_M3UA_TAG_ROUTING_CONTEXT, r->routing_context);
    ssgw_m3ua_put_u32_param(in, SSGW_M3UA_TAG_DEREGISTRATION_STATUS, r->status);
}

int ssgw_m3ua_encode_reg_req(ssgw_buf *b, const ssgw_m3ua_routing_key *rk, size_t n)
{
    uint8_t inner[256];
    size_t start = ssgw_m3ua_begin(b, SSGW_M3UA_CLASS_RKM, SSGW_M3UA_RKM_REG_REQ);
    for (size_t i = 0; i < n; i++)
        put_nested(b, SSGW_M3UA_TAG_ROUTING_KEY, inner, sizeof inner, fill_rk, &rk[i]);
    return ssgw_m3ua_end(b, start);
}

int ssgw_m3ua_encode_reg_rsp(ssgw_buf *b, const ssgw_m3ua_reg_result *r, size_t n)
{
    uint8_t inner[64];
    size_t start = ssgw_m3ua_begin(b, SSGW_M3UA_CLASS_RKM, SSGW_M3UA_RKM_REG_RSP);
    for (size_t i = 0; i < n; i++)
        put_nested(b, SSGW_M3UA_TAG_REGISTRATION_RESULT, inner, sizeof inner, fill_reg_result,
                   &r[i]);
    return ssgw_m3ua_end(b, start);
}

int ssgw_m3ua_encode_dereg_req(ssgw_buf *b, const uint32_t *rc, size_t n)
{
    size_t start = ssgw_m3ua_begin(b, SSGW_M3UA_CLASS_RKM, SSGW_M3UA_RKM_DEREG_REQ);
    ssgw_m3ua_put_u32_list_param(b, SSGW_M3UA_TAG_ROUTING_CONTEXT, rc, n);
    return ssgw_m3ua_end(b, start);
}

int ssgw_m3ua_encode_dereg_rsp(ssgw_buf *b, const ssgw_m3ua_dereg_result *r, size_t n)
{
    uint8_t inner[64];
    size_t start = ssgw_m3ua_begin(b, SSGW_M3UA_CLASS_RKM, SSGW_M3UA_RKM_DEREG_RSP);
    for (size_t i = 0; i < n; i++)
        put_nested(b, SSGW_M3UA_TAG_DEREGISTRATION_RESULT, inner, sizeof inner, fill_dereg_result,
                   &r[i]);
    return ssgw_m3ua_end(b, start);
}
