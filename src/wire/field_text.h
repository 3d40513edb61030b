/*
 * field_text.h - internal: a decoded field as record text, shared by the MAP and
 * CAP field tables (map_params.c, cap_params.c): strings are absent when empty,
 * integers when negative.
 */
#ifndef SSGW_WIRE_FIELD_TEXT_H
#define SSGW_WIRE_FIELD_TEXT_H

#include <stddef.h>
#include <string.h>

static inline const char *str_or_null(const char *s)
{
    return s[0] ? s : NULL;
}

/* v as decimal text in tmp (cut to cap - 1 characters, as snprintf would), or NULL when v
 * is absent (negative). Written without snprintf: records ask for several per message and
 * snprintf cost ~650 instructions per call (callgrind of ssgw decode). */
static inline const char *int_or_null(int v, char *tmp, size_t cap)
{
    if (v < 0 || !tmp || cap == 0) return NULL;
    char d[12];
    char *end = d + sizeof d, *p = end;
    unsigned u = (unsigned)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t n = (size_t)(end - p);
    if (n > cap - 1) n = cap - 1; /* the leading digits, as snprintf keeps them */
    memcpy(tmp, p, n);
    tmp[n] = '\0';
    return tmp;
}

#endif
