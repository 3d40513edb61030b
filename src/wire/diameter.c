/*
 * diameter.c - Diameter message and AVP decoding (RFC 6733 3, 4.1, 4.4; see
 * include/ssgw/diameter.h). One pass over the whole message checks every length
 * against its container, the padding, the size of every fixed-size value and the
 * contents of every Grouped AVP the dictionary knows, with nesting bounded by
 * SSGW_DIAM_MAX_DEPTH. Later reads (iteration, the policy fields) rely on it.
 */
#include "ssgw/diameter.h"

#include "util/bytes.h"

static int fail(ssgw_error *err, ssgw_errcode code, const char *field, size_t off)
{
    return ssgw_fail(err, SSGW_LAYER_DIAMETER, code, field, off);
}

void ssgw_diam_iter_msg(ssgw_diam_iter *it, const ssgw_diam_msg *m)
{
    it->p = m->buf + SSGW_DIAM_HEADER_LEN;
    it->len = m->len - SSGW_DIAM_HEADER_LEN;
    it->pos = 0;
    it->base = SSGW_DIAM_HEADER_LEN;
}

void ssgw_diam_iter_group(ssgw_diam_iter *it, const ssgw_diam_avp *group)
{
    size_t hdr = (group->flags & SSGW_DIAM_AVP_V) ? 12 : 8;
    it->p = group->data;
    it->len = group->len;
    it->pos = 0;
    it->base = group->offset + hdr;
}

int ssgw_diam_next(ssgw_diam_iter *it, ssgw_diam_avp *a, ssgw_error *err)
{
    size_t rest = it->len - it->pos, off = it->base + it->pos;
    if (rest == 0) return 0;
    const uint8_t *p = it->p + it->pos;
    if (rest < 8) return fail(err, SSGW_E_TRUNCATED, "avp header", off);
    a->code = get_be32(p);
    a->flags = p[4];
    size_t alen = get_be24(p + 5);
    size_t hdr = (a->flags & SSGW_DIAM_AVP_V) ? 12 : 8;
    if (hdr == 12 && rest < 12) return fail(err, SSGW_E_TRUNCATED, "avp vendor id", off + 8);
    if (alen < hdr) return fail(err, SSGW_E_BAD_LENGTH, "avp length", off + 5);
    if (alen > rest) return fail(err, SSGW_E_TRUNCATED, "avp length", off + 5);
    size_t padded = (alen + 3) & ~(size_t)3;
    if (padded > rest) return fail(err, SSGW_E_TRUNCATED, "avp padding", off + alen);
    a->vendor = hdr == 12 ? get_be32(p + 8) : 0;
    a->data = p + hdr;
    a->len = alen - hdr;
    a->offset = off;
    a->def = ssgw_diam_avp_def_find(a->code, a->vendor);
    it->pos += padded;
    return 1;
}

bool ssgw_diam_find(ssgw_diam_iter it, uint32_t code, uint32_t vendor, ssgw_diam_avp *a)
{
    while (ssgw_diam_next(&it, a, NULL) == 1)
        if (a->code == code && a->vendor == vendor) return true;
    return false;
}

int ssgw_diam_avp_u32(const ssgw_diam_avp *a, uint32_t *v)
{
    if (a->len != 4) return -1;
    *v = get_be32(a->data);
    return 0;
}

int ssgw_diam_avp_u64(const ssgw_diam_avp *a, uint64_t *v)
{
    if (a->len != 8) return -1;
    *v = (uint64_t)get_be32(a->data) << 32 | get_be32(a->data + 4);
    return 0;
}

/* The size a value of type t must have, 0 when any size is allowed. */
static size_t fixed_size(ssgw_diam_type t)
{
    switch (t) {
    case SSGW_DIAM_T_INTEGER32:
    case SSGW_DIAM_T_UNSIGNED32:
    case SSGW_DIAM_T_FLOAT32:
    case SSGW_DIAM_T_TIME:
    case SSGW_DIAM_T_ENUMERATED:
        return 4;
    case SSGW_DIAM_T_INTEGER64:
    case SSGW_DIAM_T_UNSIGNED64:
    case SSGW_DIAM_T_FLOAT64:
        return 8;
    default:
        return 0;
    }
}

/* RFC 6733 4.3.1: two octets of address family (IANA), then the address. */
static int check_address(const ssgw_diam_avp *a, ssgw_error *err)
{
    size_t off = a->offset + ((a->flags & SSGW_DIAM_AVP_V) ? 12 : 8);
    if (a->len < 2) return fail(err, SSGW_E_TRUNCATED, a->def->name, off);
    uint16_t family = get_be16(a->data);
    if ((family == 1 && a->len != 6) || (family == 2 && a->len != 18))
        return fail(err, SSGW_E_BAD_LENGTH, a->def->name, off);
    return 0;
}

typedef struct {
    ssgw_diam_msg *m;
    ssgw_error *err;
} walk_ctx;

/* Checks the AVPs of one list (the message, or a Grouped AVP's data) at depth. */
static int walk(walk_ctx *w, ssgw_diam_iter *it, unsigned depth, unsigned *count)
{
    ssgw_diam_avp a;
    int r;
    while ((r = ssgw_diam_next(it, &a, w->err)) == 1) {
        if (count) (*count)++;
        if (a.flags & SSGW_DIAM_AVP_RESERVED)
            return fail(w->err, SSGW_E_BAD_VALUE, "avp flags", a.offset + 4);
        if (!a.def) {
            w->m->n_unknown++;
            continue;
        }
        size_t data_off = a.offset + ((a.flags & SSGW_DIAM_AVP_V) ? 12 : 8);
        size_t want = fixed_size(a.def->type);
        if (want && a.len != want) return fail(w->err, SSGW_E_BAD_LENGTH, a.def->name, data_off);
        if (a.def->type == SSGW_DIAM_T_ADDRESS && check_address(&a, w->err) < 0) return -1;
        if (a.def->type == SSGW_DIAM_T_GROUPED) {
            if (depth + 1 > SSGW_DIAM_MAX_DEPTH)
                return fail(w->err, SSGW_E_TOO_DEEP, a.def->name, a.offset);
            if (depth + 1 > w->m->depth) w->m->depth = depth + 1;
            ssgw_diam_iter in;
            ssgw_diam_iter_group(&in, &a);
            if (walk(w, &in, depth + 1, NULL) < 0) return -1;
        }
    }
    return r;
}

int ssgw_diam_decode(const uint8_t *buf, size_t len, ssgw_diam_msg *m, ssgw_error *err)
{
    if (len < SSGW_DIAM_HEADER_LEN) return fail(err, SSGW_E_TRUNCATED, "header", len);
    m->buf = buf;
    m->version = buf[0];
    m->len = get_be24(buf + 1);
    m->flags = buf[4];
    m->code = get_be24(buf + 5);
    m->app_id = get_be32(buf + 8);
    m->hbh = get_be32(buf + 12);
    m->e2e = get_be32(buf + 16);
    m->n_avps = m->depth = m->n_unknown = 0;
    if (m->version != 1) return fail(err, SSGW_E_BAD_VALUE, "version", 0);
    if (m->len < SSGW_DIAM_HEADER_LEN || m->len % 4)
        return fail(err, SSGW_E_BAD_LENGTH, "message length", 1);
    if (m->len > len) return fail(err, SSGW_E_TRUNCATED, "message length", 1);
    if (m->len < len) return fail(err, SSGW_E_BAD_LENGTH, "message length", 1);
    if (m->flags & SSGW_DIAM_FLAG_RESERVED) return fail(err, SSGW_E_BAD_VALUE, "command flags", 4);
    if ((m->flags & SSGW_DIAM_FLAG_R) && (m->flags & SSGW_DIAM_FLAG_E))
        return fail(err, SSGW_E_BAD_VALUE, "command flags", 4);
    walk_ctx w = {m, err};
    ssgw_diam_iter it;
    ssgw_diam_iter_msg(&it, m);
    return walk(&w, &it, 0, &m->n_avps) < 0 ? -1 : 0;
}

size_t ssgw_diam_peek_length(const uint8_t *p, size_t len, size_t max_len, bool known_cmd)
{
    if (len < 5 || p[0] != 1) return 0;
    size_t mlen = get_be24(p + 1);
    if (mlen < SSGW_DIAM_HEADER_LEN || mlen % 4 || mlen > max_len) return 0;
    uint8_t flags = p[4];
    if ((flags & SSGW_DIAM_FLAG_RESERVED) ||
        ((flags & SSGW_DIAM_FLAG_R) && (flags & SSGW_DIAM_FLAG_E)))
        return 0;
    if (known_cmd && len >= 8 && !ssgw_diam_cmd_find(get_be24(p + 5))) return 0;
    return mlen;
}
