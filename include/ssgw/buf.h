/*
 * buf.h - a bounded output buffer for encoders.
 *
 * Encoders append to an ssgw_buf backed by caller-owned memory; nothing is
 * allocated. Writing past the capacity sets `overflow` and drops the bytes, so
 * encoders can write unconditionally and the caller checks once at the end.
 */
#ifndef SSGW_BUF_H
#define SSGW_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    uint8_t *data;
    size_t len;
    size_t cap;
    bool overflow;
} ssgw_buf;

static inline void ssgw_buf_init(ssgw_buf *b, uint8_t *mem, size_t cap)
{
    b->data = mem;
    b->len = 0;
    b->cap = cap;
    b->overflow = false;
}

/* The appends every encoder makes per field are inline: a call each cost the SCCP and
 * M3UA re-framing of a signed or stripped message ~15 % of its instructions. */
static inline void ssgw_buf_put(ssgw_buf *b, const void *src, size_t n)
{
    if (b->overflow || n > b->cap - b->len) {
        b->overflow = true;
        return;
    }
    if (n) memcpy(b->data + b->len, src, n);
    b->len += n;
}

static inline void ssgw_buf_put_u8(ssgw_buf *b, uint8_t v)
{
    if (b->overflow || b->len >= b->cap) {
        b->overflow = true;
        return;
    }
    b->data[b->len++] = v;
}

static inline void ssgw_buf_put_be16(ssgw_buf *b, uint16_t v)
{
    uint8_t t[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    ssgw_buf_put(b, t, 2);
}

static inline void ssgw_buf_put_be32(ssgw_buf *b, uint32_t v)
{
    uint8_t t[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    ssgw_buf_put(b, t, 4);
}

void ssgw_buf_put_zeros(ssgw_buf *b, size_t n);
/* Inserts n bytes at position pos, moving what follows; used for length back-patching. */
void ssgw_buf_insert(ssgw_buf *b, size_t pos, const void *src, size_t n);

#endif
