/*
 * text.h - small string helpers shared by the layers (internal).
 */
#ifndef SSGW_UTIL_TEXT_H
#define SSGW_UTIL_TEXT_H

#include <stddef.h>
#include <string.h>

/* src into dst[cap] as snprintf(dst, cap, "%s", src) writes it, without the formatter: at
 * most cap - 1 octets and a NUL; nothing when cap is 0; NULL written as glibc's printf
 * writes it ("(null)"). For per-message copies where snprintf's machinery is most of the
 * cost. */
static inline void ssgw_text_copy(char *dst, size_t cap, const char *src)
{
    if (!cap) return;
    if (!src) src = "(null)";
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

#endif
