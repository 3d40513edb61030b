/* buf.c - bounded output buffer (see include/ssgw/buf.h). */
#include "ssgw/buf.h"

#include <string.h>

void ssgw_buf_put(ssgw_buf *b, const void *src, size_t n)
{
    if (b->overflow || n > b->cap - b->len) {
        b->overflow = true;
        return;
    }
    if (n) memcpy(b->data + b->len, src, n);
    b->len += n;
}

void ssgw_buf_put_u8(ssgw_buf *b, uint8_t v)
{
    ssgw_buf_put(b, &v, 1);
}

void ssgw_buf_put_be16(ssgw_buf *b, uint16_t v)
{
    uint8_t t[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    ssgw_buf_put(b, t, 2);
}

void ssgw_buf_put_be32(ssgw_buf *b, uint32_t v)
{
    uint8_t t[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    ssgw_buf_put(b, t, 4);
}

void ssgw_buf_put_zeros(ssgw_buf *b, size_t n)
{
    if (b->overflow || n > b->cap - b->len) {
        b->overflow = true;
        return;
    }
    memset(b->data + b->len, 0, n);
    b->len += n;
}

void ssgw_buf_insert(ssgw_buf *b, size_t pos, const void *src, size_t n)
{
    if (b->overflow || pos > b->len || n > b->cap - b->len) {
        b->overflow = true;
        return;
    }
    memmove(b->data + pos + n, b->data + pos, b->len - pos);
    memcpy(b->data + pos, src, n);
    b->len += n;
}
