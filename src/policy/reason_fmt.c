/*
 * reason_fmt.c - the verdict's reason sentence without the C library's printf machinery
 * (issue 16): the checks' templates use only %s, %.*s, %u, %d, %lld, %llu and %0Nx, which
 * are copied and converted here by hand (a refused message cost ~1,600 instructions in
 * vsnprintf, most of it set-up). Anything else in a template (%.0f, flags, a NULL string)
 * is left to vsnprintf from the start, so the text is always what vsnprintf would write.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy/policy_int.h"
#include "ssgw/json.h"

/* Where the sentence goes: buf[0..cap), the length written so far (may pass cap: the
 * length vsnprintf would return). */
typedef struct {
    char *buf;
    size_t cap;
    size_t len;
} reason_out;

static void put(reason_out *o, const char *s, size_t n)
{
    if (o->len + 1 < o->cap) {
        size_t room = o->cap - 1 - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

/* v in base 10 or 16 (lower case), at least width digits with leading zeros. */
static void put_unsigned(reason_out *o, unsigned long long v, unsigned base, unsigned width)
{
    char d[24];
    size_t n = 0;
    if (base == 10) /* the JSON writer's digits (two per division) */
        n = (size_t)(d + sizeof d - ssgw_json_dec_u64(d + sizeof d, v));
    else
        do {
            d[sizeof d - 1 - n++] = "0123456789abcdef"[v & 15];
            v >>= 4;
        } while (v);
    while (n < width && n < sizeof d)
        d[sizeof d - 1 - n++] = '0';
    put(o, d + sizeof d - n, n);
}

static void put_signed(reason_out *o, long long v)
{
    if (v < 0) {
        put(o, "-", 1);
        put_unsigned(o, 0ull - (unsigned long long)v, 10, 0);
    } else {
        put_unsigned(o, (unsigned long long)v, 10, 0);
    }
}

/* One conversion at *f (after its '%'); advances *f. false: not one this file writes (the
 * caller leaves the whole sentence to vsnprintf). */
static bool convert(reason_out *o, const char **f, va_list *ap)
{
    const char *s = *f;
    unsigned width = 0;
    bool zero = false, star = false;
    int longs = 0;
    if (*s == '0') {
        zero = true;
        s++;
    }
    while (width < 100 && ((*s >= '1' && *s <= '9') || (width && *s == '0')))
        width = width * 10 + (unsigned)(*s++ - '0');
    if (s[0] == '.' && s[1] == '*') {
        star = true;
        s += 2;
    }
    while (*s == 'l' && longs < 2) {
        longs++;
        s++;
    }
    char conv = *s;
    /* width only as %0Nx / %0Nu, precision only as %.*s, length only on integers */
    if ((width || zero) && !(zero && width <= 20 && (conv == 'x' || conv == 'u') && !longs))
        return false;
    if (star && conv != 's') return false;
    if (longs && conv != 'd' && conv != 'u' && conv != 'x') return false;
    switch (conv) {
    case '%':
        if (star || longs) return false;
        put(o, "%", 1);
        break;
    case 's': {
        int prec = star ? va_arg(*ap, int) : -1;
        const char *str = va_arg(*ap, const char *);
        if (!str || (star && prec < 0)) return false;
        size_t n = star ? strnlen(str, (size_t)prec) : strlen(str);
        put(o, str, n);
        break;
    }
    case 'd':
        put_signed(o, longs == 2   ? va_arg(*ap, long long)
                      : longs == 1 ? (long long)va_arg(*ap, long)
                                   : (long long)va_arg(*ap, int));
        break;
    case 'u':
    case 'x':
        put_unsigned(o,
                     longs == 2   ? va_arg(*ap, unsigned long long)
                     : longs == 1 ? (unsigned long long)va_arg(*ap, unsigned long)
                                  : (unsigned long long)va_arg(*ap, unsigned),
                     conv == 'x' ? 16 : 10, width);
        break;
    default:
        return false;
    }
    *f = s + 1;
    return true;
}

int ssgw_reason_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
    va_list cur, again; /* again: for vsnprintf, from the first argument */
    va_copy(cur, ap);
    va_copy(again, ap);
    reason_out o = {buf, cap, 0};
    const char *f = fmt;
    bool ours = true;
    while (ours) {
        const char *pct = strchr(f, '%');
        size_t n = pct ? (size_t)(pct - f) : strlen(f);
        put(&o, f, n);
        if (!pct) break;
        f = pct + 1;
        ours = convert(&o, &f, &cur);
    }
    int len;
    if (ours) {
        if (cap) buf[o.len < cap ? o.len : cap - 1] = '\0';
        len = (int)o.len;
    } else {
        len = vsnprintf(buf, cap, fmt, again);
    }
    va_end(cur);
    va_end(again);
    return len;
}

int ssgw_reason_format(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = ssgw_reason_vformat(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}
