/*
 * isup.c - decodes ISUP messages (ITU-T Q.763) with the message and parameter tables
 * of isup_tables.c; see include/ssgw/isup.h.
 *
 * The three parts are walked as Q.763 clause 1.5 lays them out, and only in their
 * canonical shape: the variable parameters follow the pointers in order with no gap and
 * no overlap, the optional part starts where the last of them ends and stops at its
 * end octet, which is the last octet of the message (an optional part holding only
 * that octet is accepted: it is unambiguous). Anything else is malformed: two
 * readers of a non-canonical message (this firewall and the switch behind it) could
 * disagree on which called or calling number it carries.
 */
#include <string.h>

#include "ssgw/isup.h"

static int fail(ssgw_error *err, ssgw_errcode code, const char *field, size_t off)
{
    return ssgw_fail(err, SSGW_LAYER_ISUP, code, field, off);
}

static const char *pname(uint8_t code)
{
    return ssgw_isup_param_name(code);
}

void ssgw_isup_number_init(ssgw_isup_number *n)
{
    memset(n, 0, sizeof *n);
    n->npi = n->inn_ni = n->presentation = n->screening = -1;
    n->qualifier = -1;
}

void ssgw_isup_number_set(ssgw_isup_number *n, const char *digits, uint8_t nai, uint8_t npi)
{
    ssgw_isup_number_init(n);
    n->present = true;
    n->nai = nai & 0x7f;
    n->npi = (int8_t)(npi & 7);
    n->inn_ni = 0;
    n->presentation = 0;
    n->screening = 0;
    size_t l = strlen(digits);
    if (l > SSGW_ISUP_DIGITS_MAX) l = SSGW_ISUP_DIGITS_MAX;
    memcpy(n->digits, digits, l);
    n->digits[l] = '\0';
    n->odd = (l & 1) != 0;
}

int ssgw_isup_number_decode(const uint8_t *val, size_t len, ssgw_isup_num_layout layout,
                            ssgw_isup_number *out, ssgw_error *err)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *field = layout == SSGW_ISUP_NUM_SUBSEQUENT ? "subsequent number" : "address";
    ssgw_isup_number_init(out);
    size_t hdr = 2, at = 0;
    if (layout == SSGW_ISUP_NUM_GENERIC) {
        if (len < 1) return fail(err, SSGW_E_TRUNCATED, "number qualifier indicator", 0);
        out->qualifier = val[0];
        at = 1;
        hdr = 3;
    } else if (layout == SSGW_ISUP_NUM_SUBSEQUENT) {
        hdr = 1;
    } else if (layout == SSGW_ISUP_NUM_NONE) {
        return fail(err, SSGW_E_UNSUPPORTED, "address", 0);
    }
    if (len < hdr) return fail(err, SSGW_E_TRUNCATED, field, len);
    out->odd = (val[at] & 0x80) != 0;
    if (layout != SSGW_ISUP_NUM_SUBSEQUENT) {
        out->nai = val[at] & 0x7f;
        uint8_t o2 = val[at + 1];
        out->npi = (int8_t)((o2 >> 4) & 7);
        if (layout != SSGW_ISUP_NUM_REDIRECTING) out->inn_ni = (int8_t)(o2 >> 7);
        if (layout != SSGW_ISUP_NUM_CALLED) out->presentation = (int8_t)((o2 >> 2) & 3);
        if (layout == SSGW_ISUP_NUM_CALLING || layout == SSGW_ISUP_NUM_GENERIC)
            out->screening = (int8_t)(o2 & 3);
    }
    size_t octets = len - hdr, n = octets * 2;
    if (out->odd) {
        if (octets == 0) return fail(err, SSGW_E_BAD_VALUE, "odd/even indicator", at);
        n--;
    }
    if (n > SSGW_ISUP_DIGITS_MAX) return fail(err, SSGW_E_BAD_LENGTH, field, hdr);
    for (size_t i = 0; i < n; i++) {
        uint8_t b = val[hdr + i / 2];
        out->digits[i] = hex[(i & 1) ? b >> 4 : b & 15];
    }
    out->digits[n] = '\0';
    out->present = true;
    return 0;
}

static bool has_status(uint8_t type)
{
    return type == SSGW_ISUP_CGB || type == SSGW_ISUP_CGU || type == SSGW_ISUP_CGBA ||
           type == SSGW_ISUP_CGUA || type == SSGW_ISUP_GRA;
}

static void fields_init(ssgw_isup_fields *f)
{
    ssgw_isup_number *nums[] = {&f->called,          &f->subsequent,  &f->calling,  &f->redirecting,
                                &f->original_called, &f->redirection, &f->location, &f->connected};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        ssgw_isup_number_init(nums[i]);
    f->n_generic = 0;
    f->calling_category = f->tmr = f->nci = f->fci = f->bci = -1;
    f->redirecting_indicator = f->original_redirection_reason = -1;
    f->redirection_counter = f->redirection_reason = -1;
    f->cause_value = f->cause_location = f->cause_coding = -1;
    f->event = f->event_restricted = -1;
    f->range = f->cgsmti = f->suspend_resume = f->hop_counter = -1;
    f->param_compat = f->app_transport = false;
    f->n_app_transport = 0;
}

/* The number slot of a parameter, or NULL (validated, not kept). */
static ssgw_isup_number *number_slot(ssgw_isup_fields *f, uint8_t code)
{
    switch (code) {
    case SSGW_ISUP_P_CALLED:
        return &f->called;
    case SSGW_ISUP_P_SUBSEQUENT:
        return &f->subsequent;
    case SSGW_ISUP_P_CALLING:
        return &f->calling;
    case SSGW_ISUP_P_REDIRECTING:
        return &f->redirecting;
    case SSGW_ISUP_P_ORIGINAL_CALLED:
        return &f->original_called;
    case SSGW_ISUP_P_REDIRECTION_NUMBER:
        return &f->redirection;
    case SSGW_ISUP_P_LOCATION:
        return &f->location;
    case SSGW_ISUP_P_CONNECTED:
        return &f->connected;
    case SSGW_ISUP_P_GENERIC_NUMBER:
        return f->n_generic < SSGW_ISUP_MAX_GENERIC ? &f->generic[f->n_generic++] : NULL;
    default:
        return NULL;
    }
}

/* A generic number past the SSGW_ISUP_MAX_GENERIC kept: an additional calling party number
 * (qualifier 6, a calling line the call checks screen) takes the place of the last kept one
 * of another qualifier, so that it cannot hide behind four others. When every kept one is
 * itself an additional calling party number, the message is refused as malformed: a fifth
 * calling line would otherwise pass unscreened behind four harmless ones. */
static int keep_generic(ssgw_isup_fields *f, const ssgw_isup_number *n, size_t off, ssgw_error *err)
{
    if (n->qualifier != 6) return 0;
    for (unsigned i = f->n_generic; i-- > 0;)
        if (f->generic[i].qualifier != 6) {
            f->generic[i] = *n;
            return 0;
        }
    return fail(err, SSGW_E_TOO_BIG, "generic number: additional calling party numbers", off);
}

/* Decodes what a policy needs from one parameter; off is its value's offset in buf. */
static int apply(ssgw_isup_msg *m, uint8_t code, const uint8_t *v, size_t len, size_t off,
                 ssgw_error *err)
{
    ssgw_isup_fields *f = &m->f;
    const ssgw_isup_param_def *pd = ssgw_isup_param_def_by_code(code);
    if (pd && pd->layout != SSGW_ISUP_NUM_NONE) {
        ssgw_isup_number tmp, *slot = number_slot(f, code);
        if (ssgw_isup_number_decode(v, len, (ssgw_isup_num_layout)pd->layout, slot ? slot : &tmp,
                                    err) < 0) {
            if (slot) ssgw_isup_number_init(slot);
            if (err) {
                err->field = pd->name;
                err->offset += off;
            }
            return -1;
        }
        if (!slot && code == SSGW_ISUP_P_GENERIC_NUMBER) return keep_generic(f, &tmp, off, err);
        return 0;
    }
    switch (code) {
    case SSGW_ISUP_P_CATEGORY:
        f->calling_category = v[0];
        break;
    case SSGW_ISUP_P_TMR:
        f->tmr = v[0];
        break;
    case SSGW_ISUP_P_NCI:
        f->nci = v[0];
        break;
    case SSGW_ISUP_P_FCI:
        f->fci = v[0] << 8 | v[1];
        break;
    case SSGW_ISUP_P_BCI:
        f->bci = v[0] << 8 | v[1];
        break;
    case SSGW_ISUP_P_REDIRECTION_INFO:
        f->redirecting_indicator = v[0] & 7;
        f->original_redirection_reason = v[0] >> 4;
        if (len >= 2) {
            f->redirection_counter = v[1] & 7;
            f->redirection_reason = v[1] >> 4;
        }
        break;
    case SSGW_ISUP_P_CAUSE: {
        /* octet 1: ext, coding standard, location; 1a (recommendation) when ext is 0 */
        size_t i = (v[0] & 0x80) ? 1 : 2;
        if (len < i + 1) return fail(err, SSGW_E_TRUNCATED, pd->name, off + len);
        f->cause_coding = (v[0] >> 5) & 3;
        f->cause_location = v[0] & 15;
        f->cause_value = v[i] & 0x7f;
        break;
    }
    case SSGW_ISUP_P_EVENT:
        f->event = v[0] & 0x7f;
        f->event_restricted = v[0] >> 7;
        break;
    case SSGW_ISUP_P_RANGE_STATUS: {
        size_t want = has_status(m->type) ? 1 + ((size_t)v[0] + 8) / 8 : 1;
        if (len != want) return fail(err, SSGW_E_BAD_LENGTH, pd->name, off - 1);
        f->range = v[0];
        break;
    }
    case SSGW_ISUP_P_CGSMTI:
        f->cgsmti = v[0] & 3;
        break;
    case SSGW_ISUP_P_SUS_RES_IND:
        f->suspend_resume = v[0] & 1;
        break;
    case SSGW_ISUP_P_HOP_COUNTER:
        f->hop_counter = v[0] & 0x1f;
        break;
    case SSGW_ISUP_P_PARAM_COMPAT:
        f->param_compat = true;
        break;
    case SSGW_ISUP_P_APP_TRANSPORT:
        f->app_transport = true;
        f->n_app_transport++;
        break;
    default:
        break;
    }
    return 0;
}

static int add_param(ssgw_isup_msg *m, uint8_t code, ssgw_isup_part part, const uint8_t *v,
                     size_t len, ssgw_error *err)
{
    if (m->nparams < SSGW_ISUP_MAX_PARAMS) {
        ssgw_isup_param *p = &m->params[m->nparams++];
        p->code = code;
        p->part = (uint8_t)part;
        p->len = (uint8_t)len;
        p->val = v;
    } else {
        m->params_truncated = true;
    }
    return apply(m, code, v, len, (size_t)(v - m->buf), err);
}

static bool in_list(const uint8_t *list, size_t n, uint8_t code)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == code) return true;
    return false;
}

static int decode_optional(ssgw_isup_msg *m, size_t q, ssgw_error *err)
{
    const uint8_t *b = m->buf;
    const ssgw_isup_msg_def *d = m->def;
    uint8_t seen[32] = {0};
    for (;;) {
        if (q >= m->len) return fail(err, SSGW_E_TRUNCATED, "end of optional parameters", q);
        uint8_t code = b[q];
        if (code == SSGW_ISUP_P_END) {
            if (q + 1 != m->len)
                return fail(err, SSGW_E_BAD_LENGTH, "end of optional parameters", q + 1);
            return 0;
        }
        const ssgw_isup_param_def *pd = ssgw_isup_param_def_by_code(code);
        const char *name = pname(code);
        if (q + 2 > m->len) return fail(err, SSGW_E_TRUNCATED, name, q);
        size_t plen = b[q + 1];
        if (q + 2 + plen > m->len) return fail(err, SSGW_E_TRUNCATED, name, q + 1);
        if (in_list(d->fixed, d->n_fixed, code) || in_list(d->variable, d->n_variable, code))
            return fail(err, SSGW_E_BAD_TAG, name, q); /* a mandatory one, again, here */
        if (pd && plen < pd->min_len) return fail(err, SSGW_E_BAD_LENGTH, name, q + 1);
        if (pd && pd->fixed_len && plen != pd->fixed_len)
            return fail(err, SSGW_E_BAD_LENGTH, name, q + 1);
        if ((seen[code / 8] >> (code % 8)) & 1) {
            if (!pd || !pd->repeatable) return fail(err, SSGW_E_DUPLICATE, name, q);
        }
        seen[code / 8] |= (uint8_t)(1u << (code % 8));
        if (add_param(m, code, SSGW_ISUP_PART_OPTIONAL, b + q + 2, plen, err) < 0) return -1;
        q += 2 + plen;
    }
}

int ssgw_isup_decode(const uint8_t *buf, size_t len, ssgw_isup_msg *m, ssgw_error *err)
{
    memset(m, 0, offsetof(ssgw_isup_msg, params));
    fields_init(&m->f);
    m->buf = buf;
    m->len = len;
    if (len < 2) return fail(err, SSGW_E_TRUNCATED, "CIC", 0);
    if (len < SSGW_ISUP_HEADER_LEN) return fail(err, SSGW_E_TRUNCATED, "message type", 2);
    m->cic = (uint16_t)(buf[0] | (buf[1] & 0x0f) << 8);
    m->type = buf[2];
    const ssgw_isup_msg_def *d = ssgw_isup_msg_def_by_code(m->type);
    m->def = d;
    if (!d || d->opaque) return 0;

    size_t off = SSGW_ISUP_HEADER_LEN;
    for (size_t i = 0; i < d->n_fixed; i++) {
        const ssgw_isup_param_def *pd = ssgw_isup_param_def_by_code(d->fixed[i]);
        if (off + pd->fixed_len > len) return fail(err, SSGW_E_TRUNCATED, pd->name, off);
        if (add_param(m, pd->code, SSGW_ISUP_PART_FIXED, buf + off, pd->fixed_len, err) < 0)
            return -1;
        off += pd->fixed_len;
    }
    /* Pointers: one per variable parameter, then the optional part's. */
    size_t npointers = d->n_variable + (d->optional ? 1u : 0u);
    if (off + npointers > len) {
        const char *what = d->n_variable ? pname(d->variable[0]) : "pointer to optional part";
        return fail(err, SSGW_E_TRUNCATED, what, off);
    }
    size_t end = off + npointers; /* where the next part must start */
    for (size_t i = 0; i < d->n_variable; i++) {
        const ssgw_isup_param_def *pd = ssgw_isup_param_def_by_code(d->variable[i]);
        size_t p = off + i;
        if (buf[p] == 0 || p + buf[p] != end) return fail(err, SSGW_E_BAD_VALUE, pd->name, p);
        if (end >= len) return fail(err, SSGW_E_TRUNCATED, pd->name, end);
        size_t plen = buf[end];
        if (end + 1 + plen > len) return fail(err, SSGW_E_TRUNCATED, pd->name, end);
        if (plen < pd->min_len) return fail(err, SSGW_E_BAD_LENGTH, pd->name, end);
        if (add_param(m, pd->code, SSGW_ISUP_PART_VARIABLE, buf + end + 1, plen, err) < 0)
            return -1;
        end += 1 + plen;
    }
    if (d->optional) {
        size_t p = off + d->n_variable;
        if (buf[p] != 0) {
            if (p + buf[p] != end)
                return fail(err, SSGW_E_BAD_VALUE, "pointer to optional part", p);
            m->optional_part = true;
            return decode_optional(m, end, err);
        }
    }
    if (end != len) return fail(err, SSGW_E_BAD_LENGTH, "message", end);
    return 0;
}

const ssgw_isup_param *ssgw_isup_find(const ssgw_isup_msg *m, uint8_t code)
{
    for (unsigned i = 0; i < m->nparams; i++)
        if (m->params[i].code == code) return &m->params[i];
    return NULL;
}
