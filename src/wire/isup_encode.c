/*
 * isup_encode.c - builds ISUP messages (ITU-T Q.763) from a list of parameters, laid out
 * by the message table (isup_tables.c), and the values of the parameters a gateway
 * writes itself: addresses, cause, redirection information, range and status. See
 * include/ssgw/isup.h. The output is the canonical layout the decoder accepts.
 */
#include <string.h>

#include "ssgw/isup.h"

static int fail(ssgw_error *err, ssgw_errcode code, const char *field, size_t off)
{
    return ssgw_fail(err, SSGW_LAYER_ISUP, code, field, off);
}

/* The first parameter with this code not used yet, or NULL. */
static const ssgw_isup_param *take(const ssgw_isup_param *p, size_t n, bool *used, uint8_t code)
{
    for (size_t i = 0; i < n; i++)
        if (!used[i] && p[i].code == code) {
            used[i] = true;
            return &p[i];
        }
    return NULL;
}

int ssgw_isup_encode(ssgw_buf *out, uint16_t cic, uint8_t type, const ssgw_isup_param *params,
                     size_t n, ssgw_error *err)
{
    const ssgw_isup_msg_def *d = ssgw_isup_msg_def_by_code(type);
    if (!d || d->opaque) return fail(err, SSGW_E_UNSUPPORTED, "message type", 2);
    if (cic > SSGW_ISUP_CIC_MAX) return fail(err, SSGW_E_BAD_VALUE, "CIC", 0);
    if (n > SSGW_ISUP_MAX_PARAMS) return fail(err, SSGW_E_TOO_BIG, "parameters", 0);
    bool used[SSGW_ISUP_MAX_PARAMS] = {false};
    size_t start = out->len;
    ssgw_buf_put_u8(out, (uint8_t)(cic & 0xff));
    ssgw_buf_put_u8(out, (uint8_t)(cic >> 8));
    ssgw_buf_put_u8(out, type);
    for (size_t i = 0; i < d->n_fixed; i++) {
        const ssgw_isup_param_def *pd = ssgw_isup_param_def_by_code(d->fixed[i]);
        const ssgw_isup_param *p = take(params, n, used, pd->code);
        if (!p) return fail(err, SSGW_E_MISSING, pd->name, out->len - start);
        if (p->len != pd->fixed_len)
            return fail(err, SSGW_E_BAD_LENGTH, pd->name, out->len - start);
        ssgw_buf_put(out, p->val, p->len);
    }
    const ssgw_isup_param *var[8];
    for (size_t i = 0; i < d->n_variable; i++) {
        const ssgw_isup_param_def *pd = ssgw_isup_param_def_by_code(d->variable[i]);
        var[i] = take(params, n, used, pd->code);
        if (!var[i]) return fail(err, SSGW_E_MISSING, pd->name, out->len - start);
        if (var[i]->len < pd->min_len)
            return fail(err, SSGW_E_BAD_LENGTH, pd->name, out->len - start);
    }
    bool any_optional = false;
    for (size_t i = 0; i < n; i++)
        if (!used[i]) {
            if (!d->optional || params[i].code == SSGW_ISUP_P_END)
                return fail(err, SSGW_E_BAD_TAG, ssgw_isup_param_name(params[i].code),
                            out->len - start);
            any_optional = true;
        }
    /* Pointers: each counts from itself to its parameter's length octet. */
    size_t npointers = d->n_variable + (d->optional ? 1u : 0u);
    size_t next = npointers; /* distance from the first pointer to the next parameter */
    for (size_t i = 0; i < npointers; i++) {
        size_t dist = next - i;
        bool is_opt = i == d->n_variable;
        if (is_opt && !any_optional) dist = 0;
        if (dist > 255) return fail(err, SSGW_E_TOO_BIG, "pointer", out->len - start);
        ssgw_buf_put_u8(out, (uint8_t)dist);
        if (!is_opt) next += 1u + var[i]->len;
    }
    for (size_t i = 0; i < d->n_variable; i++) {
        ssgw_buf_put_u8(out, var[i]->len);
        ssgw_buf_put(out, var[i]->val, var[i]->len);
    }
    if (any_optional) {
        for (size_t i = 0; i < n; i++) {
            if (used[i]) continue;
            ssgw_buf_put_u8(out, params[i].code);
            ssgw_buf_put_u8(out, params[i].len);
            ssgw_buf_put(out, params[i].val, params[i].len);
        }
        ssgw_buf_put_u8(out, SSGW_ISUP_P_END);
    }
    if (out->overflow) return fail(err, SSGW_E_TOO_BIG, "message", out->len - start);
    return 0;
}

/* --- the builder --------------------------------------------------------------------- */

void ssgw_isup_builder_init(ssgw_isup_builder *b)
{
    b->n = 0;
    b->used = 0;
    b->overflow = false;
}

int ssgw_isup_add(ssgw_isup_builder *b, uint8_t code, const uint8_t *val, size_t len)
{
    if (b->n >= SSGW_ISUP_MAX_PARAMS || len > 255 || b->used + len > sizeof b->mem) {
        b->overflow = true;
        return -1;
    }
    ssgw_isup_param *p = &b->p[b->n++];
    if (len) memcpy(b->mem + b->used, val, len);
    p->code = code;
    p->part = SSGW_ISUP_PART_OPTIONAL; /* the encoder places it by the message table */
    p->len = (uint8_t)len;
    p->val = b->mem + b->used;
    b->used += len;
    return 0;
}

int ssgw_isup_add_u8(ssgw_isup_builder *b, uint8_t code, uint8_t v)
{
    return ssgw_isup_add(b, code, &v, 1);
}

int ssgw_isup_add_u16(ssgw_isup_builder *b, uint8_t code, uint16_t v)
{
    uint8_t o[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    return ssgw_isup_add(b, code, o, 2);
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

int ssgw_isup_add_number(ssgw_isup_builder *b, uint8_t code, const ssgw_isup_number *n)
{
    const ssgw_isup_param_def *pd = ssgw_isup_param_def_by_code(code);
    size_t nd = strlen(n->digits);
    if (!pd || pd->layout == SSGW_ISUP_NUM_NONE || nd > SSGW_ISUP_DIGITS_MAX) {
        b->overflow = true;
        return -1;
    }
    uint8_t v[3 + SSGW_ISUP_DIGITS_MAX / 2];
    size_t at = 0;
    if (pd->layout == SSGW_ISUP_NUM_GENERIC)
        v[at++] = (uint8_t)(n->qualifier < 0 ? 0 : n->qualifier);
    uint8_t odd = (nd & 1) ? 0x80 : 0x00;
    if (pd->layout == SSGW_ISUP_NUM_SUBSEQUENT) {
        v[at++] = odd;
    } else {
        v[at++] = (uint8_t)(odd | (n->nai & 0x7f));
        uint8_t o2 = (uint8_t)((n->npi < 0 ? 1 : n->npi & 7) << 4);
        if (pd->layout != SSGW_ISUP_NUM_REDIRECTING && n->inn_ni > 0) o2 |= 0x80;
        if (pd->layout != SSGW_ISUP_NUM_CALLED && n->presentation > 0)
            o2 |= (uint8_t)((n->presentation & 3) << 2);
        if ((pd->layout == SSGW_ISUP_NUM_CALLING || pd->layout == SSGW_ISUP_NUM_GENERIC) &&
            n->screening > 0)
            o2 |= (uint8_t)(n->screening & 3);
        v[at++] = o2;
    }
    for (size_t i = 0; i < nd; i++) {
        int dv = digit_value(n->digits[i]);
        if (dv < 0) {
            b->overflow = true;
            return -1;
        }
        if (i & 1)
            v[at + i / 2] |= (uint8_t)(dv << 4);
        else
            v[at + i / 2] = (uint8_t)dv; /* an odd count leaves the filler nibble 0 */
    }
    return ssgw_isup_add(b, code, v, at + (nd + 1) / 2);
}

int ssgw_isup_add_basic_iam(ssgw_isup_builder *b, const char *called, const char *calling,
                            int screening)
{
    ssgw_isup_add_u8(b, SSGW_ISUP_P_NCI, 0x00);
    ssgw_isup_add_u16(b, SSGW_ISUP_P_FCI, 0x6001);
    ssgw_isup_add_u8(b, SSGW_ISUP_P_CATEGORY, 10);
    ssgw_isup_add_u8(b, SSGW_ISUP_P_TMR, 0);
    ssgw_isup_number n;
    ssgw_isup_number_set(&n, called, 4, 1);
    if (ssgw_isup_add_number(b, SSGW_ISUP_P_CALLED, &n) < 0) return -1;
    if (!calling) return b->overflow ? -1 : 0;
    ssgw_isup_number_set(&n, calling, 4, 1);
    n.screening = (int8_t)screening;
    return ssgw_isup_add_number(b, SSGW_ISUP_P_CALLING, &n) < 0 || b->overflow ? -1 : 0;
}

int ssgw_isup_add_cause(ssgw_isup_builder *b, uint8_t location, uint8_t value)
{
    /* ext = 1 (no octet 1a), coding standard 0 (ITU-T), spare, location; ext = 1, value */
    uint8_t v[2] = {(uint8_t)(0x80 | (location & 15)), (uint8_t)(0x80 | (value & 0x7f))};
    return ssgw_isup_add(b, SSGW_ISUP_P_CAUSE, v, 2);
}

int ssgw_isup_add_redirection_info(ssgw_isup_builder *b, uint8_t indicator, uint8_t original_reason,
                                   uint8_t counter, uint8_t reason)
{
    uint8_t v[2] = {(uint8_t)((original_reason & 15) << 4 | (indicator & 7)),
                    (uint8_t)((reason & 15) << 4 | (counter & 7))};
    return ssgw_isup_add(b, SSGW_ISUP_P_REDIRECTION_INFO, v, 2);
}

int ssgw_isup_add_range_status(ssgw_isup_builder *b, uint8_t range, bool with_status,
                               uint32_t status_bits)
{
    uint8_t v[1 + 32] = {range};
    size_t len = 1;
    if (with_status) {
        size_t octets = ((size_t)range + 8) / 8;
        for (size_t i = 0; i < octets; i++)
            v[1 + i] = i < 4 ? (uint8_t)(status_bits >> (8 * i)) : 0;
        /* bits beyond the range are spare: 0 */
        size_t circuits = (size_t)range + 1;
        if (circuits % 8) v[octets] &= (uint8_t)((1u << (circuits % 8)) - 1);
        len += octets;
    }
    return ssgw_isup_add(b, SSGW_ISUP_P_RANGE_STATUS, v, len);
}

int ssgw_isup_builder_encode(const ssgw_isup_builder *b, ssgw_buf *out, uint16_t cic, uint8_t type,
                             ssgw_error *err)
{
    if (b->overflow) return fail(err, SSGW_E_TOO_BIG, "parameters", 0);
    return ssgw_isup_encode(out, cic, type, b->p, b->n, err);
}
