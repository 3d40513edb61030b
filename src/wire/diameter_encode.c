/*
 * diameter_encode.c - builds Diameter messages (RFC 6733 3, 4.1) into an ssgw_buf:
 * the header, AVPs padded to 4 octets with their V and M flags taken from the
 * dictionary's rules, Grouped AVPs whose lengths are filled in when they close.
 * Used by the simulator (`ssgw generate --protocol diameter`), tests and, later,
 * answers the firewall sends.
 */
#include "ssgw/diameter.h"

#include <string.h>

#include "util/bytes.h"

void ssgw_diam_enc_begin(ssgw_diam_enc *e, ssgw_buf *b, uint8_t flags, uint32_t code,
                         uint32_t app_id, uint32_t hbh, uint32_t e2e)
{
    e->b = b;
    e->start = b->len;
    e->depth = 0;
    e->failed = code > 0xffffff;
    ssgw_buf_put_be32(b, 1u << 24); /* version 1, length filled by ssgw_diam_enc_end */
    ssgw_buf_put_be32(b, (uint32_t)flags << 24 | (code & 0xffffff));
    ssgw_buf_put_be32(b, app_id);
    ssgw_buf_put_be32(b, hbh);
    ssgw_buf_put_be32(b, e2e);
}

/* Writes an AVP header with a provisional length; returns its offset in b. */
static size_t put_header(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, uint8_t flags,
                         size_t data_len)
{
    size_t at = e->b->len;
    if (vendor) flags |= SSGW_DIAM_AVP_V;
    size_t hdr = (flags & SSGW_DIAM_AVP_V) ? 12 : 8;
    if (data_len > SSGW_DIAM_MAX_LEN - hdr) e->failed = true;
    ssgw_buf_put_be32(e->b, code);
    ssgw_buf_put_be32(e->b, (uint32_t)flags << 24 | (uint32_t)((hdr + data_len) & 0xffffff));
    if (hdr == 12) ssgw_buf_put_be32(e->b, vendor);
    return at;
}

void ssgw_diam_enc_avp_flags(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, uint8_t flags,
                             const void *data, size_t len)
{
    put_header(e, code, vendor, flags, len);
    if (len) ssgw_buf_put(e->b, data, len);
    ssgw_buf_put_zeros(e->b, (4 - len % 4) % 4);
}

/* The flags the dictionary's rules ask for; marks the encoder failed for unknown AVPs. */
static uint8_t dict_flags(ssgw_diam_enc *e, uint32_t code, uint32_t vendor)
{
    const ssgw_diam_avp_def *d = ssgw_diam_avp_def_find(code, vendor);
    if (!d) {
        e->failed = true;
        return 0;
    }
    return d->must;
}

void ssgw_diam_enc_avp(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, const void *data,
                       size_t len)
{
    ssgw_diam_enc_avp_flags(e, code, vendor, dict_flags(e, code, vendor), data, len);
}

void ssgw_diam_enc_u32(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, uint32_t v)
{
    uint8_t d[4];
    put_be32(d, v);
    ssgw_diam_enc_avp(e, code, vendor, d, 4);
}

void ssgw_diam_enc_u64(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, uint64_t v)
{
    uint8_t d[8];
    put_be32(d, (uint32_t)(v >> 32));
    put_be32(d + 4, (uint32_t)v);
    ssgw_diam_enc_avp(e, code, vendor, d, 8);
}

void ssgw_diam_enc_str(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, const char *s)
{
    ssgw_diam_enc_avp(e, code, vendor, s, strlen(s));
}

void ssgw_diam_enc_ipv4(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, uint32_t ip4)
{
    uint8_t d[6] = {0, 1}; /* address family 1: IPv4 */
    put_be32(d + 2, ip4);
    ssgw_diam_enc_avp(e, code, vendor, d, sizeof d);
}

void ssgw_diam_enc_group_begin(ssgw_diam_enc *e, uint32_t code, uint32_t vendor)
{
    uint8_t flags = dict_flags(e, code, vendor);
    size_t at = put_header(e, code, vendor, flags, 0);
    if (e->depth == SSGW_DIAM_MAX_DEPTH) {
        e->failed = true;
        return;
    }
    e->open[e->depth++] = at;
}

/* Rewrites the 24-bit length at b[at + 1 .. at + 3]. */
static void patch_len(ssgw_diam_enc *e, size_t at, size_t len)
{
    if (e->b->overflow || at + 4 > e->b->len) return;
    if (len > SSGW_DIAM_MAX_LEN) e->failed = true;
    uint8_t *p = e->b->data + at;
    p[1] = (uint8_t)(len >> 16);
    p[2] = (uint8_t)(len >> 8);
    p[3] = (uint8_t)len;
}

void ssgw_diam_enc_group_end(ssgw_diam_enc *e)
{
    if (e->depth == 0) {
        e->failed = true;
        return;
    }
    size_t at = e->open[--e->depth];
    /* the group's members are padded: its length is a multiple of 4 already */
    patch_len(e, at + 4, e->b->len - at);
}

long ssgw_diam_enc_end(ssgw_diam_enc *e)
{
    if (e->depth) e->failed = true;
    size_t len = e->b->len - e->start;
    patch_len(e, e->start, len);
    if (e->failed || e->b->overflow) return -1;
    return (long)len;
}
