/* buf.c - bounded output buffer (see include/ssgw/buf.h): the appends that are not inline. */
#include "ssgw/buf.h"

#include <string.h>

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
