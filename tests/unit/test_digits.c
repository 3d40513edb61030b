/*
 * test_digits.c - the TBCD and SCCP BCD decoders (src/wire/digits.c: a digit pair per
 * octet from a table, a filler test once per string, the digit-per-nibble decoder for
 * small buffers and errors) against a plain reading of their contract in digits.h, written
 * here one nibble at a time. Inputs: every octet value at every position of strings of 1
 * to 12 octets (the others decimal digits), every two-octet string, random strings with
 * and without a filler, and every output size from 0 to room to spare. Results and text
 * must agree, and the octets past the output size, and on success past the NUL, must stay
 * untouched.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "ssgw/digits.h"

static const char alphabet[] = "0123456789*#abc?";

/* TBCD: a filler (0xF) only as the last octet's high nibble, where it ends the string. */
static int ref_tbcd(const uint8_t *p, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    if (cap == 0) return -1;
    for (size_t i = 0; i < len; i++) {
        for (int half = 0; half < 2; half++) {
            unsigned d = half ? p[i] >> 4 : p[i] & 15u;
            if (d == 15) {
                if (half == 0 || i != len - 1) return -1;
                out[n] = '\0';
                return (int)n;
            }
            if (n + 1 >= cap) return -1;
            out[n++] = alphabet[d];
        }
    }
    out[n] = '\0';
    return (int)n;
}

/* SCCP BCD: 2 * len digits, the last high nibble left out when odd; 0xF reads as '?'. */
static int ref_bcd(const uint8_t *p, size_t len, bool odd, char *out, size_t cap)
{
    size_t digits = len * 2 - (odd && len ? 1 : 0);
    if (digits + 1 > cap) return -1;
    for (size_t k = 0; k < digits; k++)
        out[k] = alphabet[k % 2 ? p[k / 2] >> 4 : p[k / 2] & 15u];
    out[digits] = '\0';
    return (int)digits;
}

static unsigned long compared, differed;

/* Both decoders against their references on p, for every output size up to 2 * len + 3;
 * the octets from the output size on start as a pattern that must survive. */
static void against_reference(const uint8_t *p, size_t len)
{
    enum { ROOM = 2 * 24 + 8 };
    for (size_t cap = 0; cap <= 2 * len + 3 && cap < ROOM; cap++) {
        for (int which = 0; which < 3; which++) { /* TBCD, BCD even, BCD odd */
            char a[ROOM], b[ROOM];
            memset(a, 0x6b, sizeof a);
            memset(b, 0x6b, sizeof b);
            int ra = which == 0 ? ssgw_tbcd_decode(p, len, a, cap)
                                : ssgw_bcd_decode(p, len, which == 2, a, cap);
            int rb = which == 0 ? ref_tbcd(p, len, b, cap) : ref_bcd(p, len, which == 2, b, cap);
            bool same = ra == rb && (ra < 0 || strcmp(a, b) == 0);
            for (size_t i = cap; i < sizeof a; i++)
                same = same && (unsigned char)a[i] == 0x6b;
            compared++;
            if (!same && differed++ < 5) {
                fprintf(stderr, "  %s, %zu octets, cap %zu: got %d, want %d:",
                        which == 0   ? "tbcd"
                        : which == 1 ? "bcd even"
                                     : "bcd odd",
                        len, cap, ra, rb);
                for (size_t i = 0; i < len; i++)
                    fprintf(stderr, " %02x", p[i]);
                fprintf(stderr, "\n");
            }
        }
    }
}

static void every_octet_everywhere(void)
{
    uint8_t p[12];
    for (size_t len = 1; len <= sizeof p; len++) {
        for (size_t at = 0; at < len; at++) {
            for (unsigned o = 0; o < 256; o++) {
                for (size_t i = 0; i < len; i++)
                    p[i] = (uint8_t)(i % 10 | (9 - i % 10) << 4);
                p[at] = (uint8_t)o;
                against_reference(p, len);
            }
        }
    }
    against_reference(p, 0);
    CHECK_INT(differed, 0);
}

static void every_two_octets(void)
{
    uint8_t p[2];
    for (unsigned v = 0; v < 65536; v++) {
        p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
        against_reference(p, 2);
    }
    CHECK_INT(differed, 0);
}

static void random_strings(void)
{
    uint8_t p[24];
    for (int round = 0; round < 30000; round++) {
        uint64_t r = check_rand();
        size_t len = (size_t)(r % (sizeof p + 1));
        for (size_t i = 0; i < len; i++) {
            uint64_t x = check_rand();
            uint8_t o = (uint8_t)x;
            p[i] = (x >> 8) % 8 ? (uint8_t)(o % 10 | (o / 10 % 10) << 4) : o; /* mostly digits */
        }
        if (len && (r >> 20) % 3 == 0) p[len - 1] |= 0xf0;         /* an odd-length filler */
        if (len && (r >> 24) % 7 == 0) p[(r >> 32) % len] |= 0x0f; /* a misplaced filler */
        against_reference(p, len);
    }
    CHECK_INT(differed, 0);
    CHECK(compared > 3000000);
}

int main(void)
{
    RUN(every_octet_everywhere);
    RUN(every_two_octets);
    RUN(random_strings);
    return check_summary();
}
