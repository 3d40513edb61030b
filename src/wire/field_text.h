/*
 * field_text.h - internal: a decoded field as record text, shared by the MAP and
 * CAP field tables (map_params.c, cap_params.c): strings are absent when empty,
 * integers when negative.
 */
#ifndef SSGW_WIRE_FIELD_TEXT_H
#define SSGW_WIRE_FIELD_TEXT_H

#include <stddef.h>
#include <stdio.h>

static inline const char *str_or_null(const char *s)
{
    return s[0] ? s : NULL;
}

/* v as decimal text in tmp, or NULL when v is absent (negative). */
static inline const char *int_or_null(int v, char *tmp, size_t cap)
{
    if (v < 0 || !tmp || cap == 0) return NULL;
    snprintf(tmp, cap, "%d", v);
    return tmp;
}

#endif
