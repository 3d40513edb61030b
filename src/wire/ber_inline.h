/*
 * ber_inline.h - inline fast path of the BER reader for the per-message decoders
 * (TCAP, dialogue portion, MAP parameters). X.690 8.1.2 / 8.1.3: an identifier
 * octet with a low tag number (< 31) and a short-form definite length is the
 * common case in MAP; it is decoded here without a call. Everything else (high
 * tag numbers, long and indefinite lengths, every error) goes to ssgw_ber_read /
 * ssgw_ber_next in ber.c, so results and errors are exactly theirs.
 */
#ifndef SSGW_WIRE_BER_INLINE_H
#define SSGW_WIRE_BER_INLINE_H

#include "ssgw/ber.h"

/* Fills *t from a short-form TLV at b (left bytes available); false when not one. */
static inline bool ssgw_ber_short_tlv(const uint8_t *b, size_t left, ssgw_ber_tlv *t)
{
    if (left < 2 || (b[0] & 0x1f) == 0x1f || b[1] >= 0x80 || b[1] > left - 2) return false;
    t->cls = b[0] >> 6;
    t->constructed = (b[0] & 0x20) != 0;
    t->tag = b[0] & 0x1f;
    t->indefinite = false;
    t->len = b[1];
    t->hdr_len = 2;
    t->val = b + 2;
    t->total = 2 + (size_t)b[1];
    return true;
}

/* Same contract as ssgw_ber_read. */
static inline int ssgw_ber_read_fast(const uint8_t *buf, size_t len, ssgw_ber_tlv *t,
                                     ssgw_error *err)
{
    if (ssgw_ber_short_tlv(buf, len, t)) return 0;
    return ssgw_ber_read(buf, len, t, err);
}

/* Same contract as ssgw_ber_next. */
static inline int ssgw_ber_next_fast(ssgw_ber_iter *it, ssgw_ber_tlv *t, ssgw_error *err)
{
    if (it->pos >= it->len) return 0;
    if (ssgw_ber_short_tlv(it->buf + it->pos, it->len - it->pos, t)) {
        it->pos += t->total;
        return 1;
    }
    return ssgw_ber_next(it, t, err);
}

/*
 * ssgw_ber_next_fast for a decoder of a layer above BER (MAP, CAP, ANSI TCAP):
 * a BER error is reported in that layer, under its field name, at its offset
 * from base (the start of the decoder's buffer, which it->buf lies within).
 */
static inline int ssgw_ber_next_in(ssgw_ber_iter *it, ssgw_ber_tlv *t, ssgw_layer layer,
                                   const char *field, const uint8_t *base, ssgw_error *err)
{
    ssgw_error e;
    int r = ssgw_ber_next_fast(it, t, &e);
    if (r < 0) return ssgw_fail(err, layer, e.code, field, (size_t)(it->buf - base) + e.offset);
    return r;
}

#endif
