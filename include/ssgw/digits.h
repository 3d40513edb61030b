/*
 * digits.h - the one place that turns packed digits into text and back.
 *
 * TBCD (3GPP TS 29.002 clause 17.7.8 TBCD-STRING, used by IMSI and by the
 * digits of AddressString/ISDN-AddressString after the nature/plan octet) and
 * SCCP global-title BCD (ITU-T Q.713 3.4.2.3.1, the same nibble order with an
 * explicit odd/even indicator) both store the first digit in the low nibble.
 * Digit alphabet: 0-9, '*' (0xA), '#' (0xB), 'a' 'b' 'c' (0xC-0xE); 0xF is
 * the filler of an odd-length TBCD string.
 */
#ifndef SSGW_DIGITS_H
#define SSGW_DIGITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Longest digit string any field we handle can carry (SCCP GT in LUDT, MAP addresses). */
#define SSGW_DIGITS_MAX 40

/*
 * The length of a NUL-terminated digit string held in an array of SSGW_DIGITS_MAX + 1
 * octets (the decoders' party and address arrays): the whole array may be read, so with
 * SSE2 it is three 16-octet compares rather than a call to strlen. d must be such an array.
 */
static inline size_t ssgw_digits_len(const char d[SSGW_DIGITS_MAX + 1])
{
#ifdef __SSE2__
    _Static_assert(SSGW_DIGITS_MAX + 1 >= 32 && SSGW_DIGITS_MAX + 1 <= 48, "three loads cover it");
    const __m128i z = _mm_setzero_si128();
    uint64_t m =
        (uint64_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const void *)d), z)) |
        (uint64_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const void *)(d + 16)), z))
            << 16 |
        (uint64_t)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(d + SSGW_DIGITS_MAX + 1 - 16)), z))
            << (SSGW_DIGITS_MAX + 1 - 16);
    return m ? (size_t)__builtin_ctzll(m) : SSGW_DIGITS_MAX + 1;
#else
    return strnlen(d, SSGW_DIGITS_MAX + 1);
#endif
}

/*
 * Clears a digit array of SSGW_DIGITS_MAX + 1 octets (all of it, not just the first), as a
 * memset would. With SSE2 it is three 16-octet stores: gcc -O3 may otherwise emit a
 * 41-step rep stosb where this is inlined into a large function.
 */
static inline void ssgw_digits_clear(char d[SSGW_DIGITS_MAX + 1])
{
#ifdef __SSE2__
    const __m128i z = _mm_setzero_si128();
    _mm_storeu_si128((void *)d, z);
    _mm_storeu_si128((void *)(d + 16), z);
    _mm_storeu_si128((void *)(d + SSGW_DIGITS_MAX + 1 - 16), z);
#else
    memset(d, 0, SSGW_DIGITS_MAX + 1);
#endif
}

/*
 * Decodes TBCD; stops at a 0xF filler in the last octet's high nibble. Writes a
 * NUL-terminated string. Returns the number of digits, or -1 when outcap is too
 * small or a filler appears anywhere but the last nibble.
 */
int ssgw_tbcd_decode(const uint8_t *p, size_t len, char *out, size_t outcap);

/* Encodes digits as TBCD (0xF filler when odd). Returns octets written or -1. */
int ssgw_tbcd_encode(const char *digits, uint8_t *out, size_t outcap);

/* Decodes SCCP BCD: 2*len digits, minus one when odd. Returns digits or -1. */
int ssgw_bcd_decode(const uint8_t *p, size_t len, bool odd, char *out, size_t outcap);

/* Encodes SCCP BCD (high nibble 0 when odd). Returns octets written or -1; *odd set. */
int ssgw_bcd_encode(const char *digits, uint8_t *out, size_t outcap, bool *odd);

/* True when s is 1..SSGW_DIGITS_MAX characters from the alphabet above. */
bool ssgw_digits_valid(const char *s);

/* True when digits starts with prefix (an empty prefix matches everything). */
bool ssgw_digits_has_prefix(const char *digits, const char *prefix);

/*
 * E.212: length of the MNC that follows this MCC (2 or 3). MCCs whose networks
 * use 3-digit MNCs (North America 310-316, India 405, ...) return 3.
 */
int ssgw_e212_mnc_len(const char *imsi);

#endif
