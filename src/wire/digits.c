/*
 * digits.c - TBCD, SCCP BCD and E.212 helpers (see include/ssgw/digits.h).
 * Measured: decoding writes a digit pair per octet from a table built from the alphabet.
 */
#include "ssgw/digits.h"

#include <string.h>

static const char nibble_chars[16] = "0123456789*#abc?";

/* The two characters of each octet, low nibble first (the alphabet of nibble_chars), and
 * whether either nibble is the 0xF filler: the decoders below write a digit pair per octet
 * instead of a digit per nibble, and TBCD tests for a filler once per string rather than
 * once per octet (measured: TBCD and SCCP BCD were ~320 instructions per message in
 * ssgw decode, then ~200 in bench_decode --mode mem). */
typedef struct {
    char c[2];
    uint8_t filler; /* 1: a nibble is 0xF */
    uint8_t spare;  /* 0: entries of 4 octets, read as one word */
} octet_text;
_Static_assert(sizeof(octet_text) == 4, "an entry is one 32-bit word");
/* clang-format off */
#define NC(n) ((n) < 10 ? '0' + (n) : (n) == 10 ? '*' : (n) == 11 ? '#' : (n) == 12 ? 'a' \
               : (n) == 13 ? 'b' : (n) == 14 ? 'c' : '?')
#define PAIR(o) {{NC((o) & 15), NC((o) >> 4)}, ((o) & 15) == 15 || ((o) >> 4) == 15, 0},
#define ROW(h) PAIR(h * 16 + 0) PAIR(h * 16 + 1) PAIR(h * 16 + 2) PAIR(h * 16 + 3) \
               PAIR(h * 16 + 4) PAIR(h * 16 + 5) PAIR(h * 16 + 6) PAIR(h * 16 + 7) \
               PAIR(h * 16 + 8) PAIR(h * 16 + 9) PAIR(h * 16 + 10) PAIR(h * 16 + 11) \
               PAIR(h * 16 + 12) PAIR(h * 16 + 13) PAIR(h * 16 + 14) PAIR(h * 16 + 15)
static const octet_text octet_chars[256] = {
    ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7)
    ROW(8) ROW(9) ROW(10) ROW(11) ROW(12) ROW(13) ROW(14) ROW(15)
};
/* clang-format on */
#undef ROW
#undef PAIR
#undef NC

/* Writes the 2 * n characters of p[0, n) to out, two octets a round; returns non-zero when
 * any of those octets holds a filler nibble. Entries are moved as 4-octet words, their
 * object representation unchanged, so this holds on any byte order. */
static inline bool put_pairs(const uint8_t *p, size_t n, char *out)
{
    uint32_t any = 0, a, b;
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        memcpy(&a, &octet_chars[p[i]], 4);
        memcpy(&b, &octet_chars[p[i + 1]], 4);
        memcpy(out + 2 * i, &a, 2);
        memcpy(out + 2 * i + 2, &b, 2);
        any |= a | b;
    }
    if (i < n) {
        memcpy(&a, &octet_chars[p[i]], 4);
        memcpy(out + 2 * i, &a, 2);
        any |= a;
    }
    octet_text t;
    memcpy(&t, &any, 4);
    return t.filler != 0;
}

static int char_to_nibble(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    switch (c) {
    case '*':
        return 0xa;
    case '#':
        return 0xb;
    case 'a':
    case 'A':
        return 0xc;
    case 'b':
    case 'B':
        return 0xd;
    case 'c':
    case 'C':
        return 0xe;
    default:
        return -1;
    }
}

/* The digit-per-nibble decoder: small buffers and every error case (test_ber and
 * test_digits check both paths against a reference). */
static int tbcd_decode_nibbles(const uint8_t *p, size_t len, char *out, size_t outcap)
{
    size_t n = 0;
    if (outcap == 0) return -1;
    for (size_t i = 0; i < len; i++) {
        uint8_t lo = p[i] & 0x0f, hi = p[i] >> 4;
        if (lo == 0xf) return -1;
        if (n + 1 >= outcap) return -1;
        out[n++] = nibble_chars[lo];
        if (hi == 0xf) {
            if (i != len - 1) return -1;
            break;
        }
        if (n + 1 >= outcap) return -1;
        out[n++] = nibble_chars[hi];
    }
    out[n] = '\0';
    return (int)n;
}

int ssgw_tbcd_decode(const uint8_t *p, size_t len, char *out, size_t outcap)
{
    if (len == 0 || outcap < 2 * len + 1) return tbcd_decode_nibbles(p, len, out, outcap);
    uint8_t last = p[len - 1];
    /* a filler anywhere but the last octet's high nibble: the nibble decoder's error */
    if (put_pairs(p, len - 1, out) || (last & 0x0f) == 0x0f)
        return tbcd_decode_nibbles(p, len, out, outcap);
    memcpy(out + 2 * (len - 1), octet_chars[last].c, 2);
    size_t n = 2 * len - (last >= 0xf0 ? 1 : 0); /* the filler ends the string */
    out[n] = '\0';
    return (int)n;
}

int ssgw_tbcd_encode(const char *digits, uint8_t *out, size_t outcap)
{
    size_t n = strlen(digits);
    size_t octets = (n + 1) / 2;
    if (octets > outcap) return -1;
    for (size_t i = 0; i < n; i += 2) {
        int lo = char_to_nibble(digits[i]);
        int hi = i + 1 < n ? char_to_nibble(digits[i + 1]) : 0xf;
        if (lo < 0 || hi < 0) return -1;
        out[i / 2] = (uint8_t)(lo | (hi << 4));
    }
    return (int)octets;
}

int ssgw_bcd_decode(const uint8_t *p, size_t len, bool odd, char *out, size_t outcap)
{
    size_t digits = len * 2 - (odd && len ? 1 : 0);
    if (digits + 1 > outcap) return -1;
    put_pairs(p, digits / 2, out);
    if (digits & 1) out[digits - 1] = octet_chars[p[digits / 2]].c[0];
    out[digits] = '\0';
    return (int)digits;
}

int ssgw_bcd_encode(const char *digits, uint8_t *out, size_t outcap, bool *odd)
{
    size_t n = strlen(digits);
    size_t octets = (n + 1) / 2;
    if (octets > outcap) return -1;
    for (size_t i = 0; i < n; i += 2) {
        int lo = char_to_nibble(digits[i]);
        int hi = i + 1 < n ? char_to_nibble(digits[i + 1]) : 0;
        if (lo < 0 || hi < 0) return -1;
        out[i / 2] = (uint8_t)(lo | (hi << 4));
    }
    *odd = (n & 1) != 0;
    return (int)octets;
}

bool ssgw_digits_valid(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (n >= SSGW_DIGITS_MAX || char_to_nibble(s[n]) < 0) return false;
    return n > 0;
}

bool ssgw_digits_has_prefix(const char *digits, const char *prefix)
{
    return strncmp(digits, prefix, strlen(prefix)) == 0;
}

int ssgw_e212_mnc_len(const char *imsi)
{
    /* MCCs that allocate 3-digit MNCs (ITU-T E.212 list; North America, India, ...). */
    static const char *const three[] = {"302", "310", "311", "312", "313", "314", "315", "316",
                                        "334", "338", "342", "344", "346", "348", "354", "356",
                                        "358", "360", "365", "376", "405", "708", "722", "732"};
    if (strlen(imsi) < 3) return 2;
    for (size_t i = 0; i < sizeof three / sizeof three[0]; i++)
        if (strncmp(imsi, three[i], 3) == 0) return 3;
    return 2;
}
