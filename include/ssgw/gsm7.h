/*
 * gsm7.h - GSM 7-bit default alphabet (3GPP TS 23.038 clause 6.2.1, with the
 * 6.2.1.1 extension table) packed as in clause 6.1.2.3 (USSD / CBS packing),
 * and the Cell Broadcast data coding scheme (clause 5) that USSD uses.
 *
 * Text is UTF-8. Nothing allocates.
 */
#ifndef SSGW_GSM7_H
#define SSGW_GSM7_H

#include <stddef.h>
#include <stdint.h>

/*
 * Unpacks len octets of packed septets into UTF-8 text. A final <CR> that
 * only pads the last octet (TS 23.038 6.1.2.3.1) is dropped. Escaped
 * extension characters are translated; an unknown escape gives the
 * character of the default table (as the spec says). Returns the number of
 * text bytes written (NUL-terminated), or -1 when out is too small.
 */
int ssgw_gsm7_unpack(const uint8_t *in, size_t len, char *out, size_t outcap);

/*
 * Packs UTF-8 text into septets (extension characters as ESC + code). When
 * the last octet would hold 7 spare bits a <CR> is added so that the
 * receiver does not read an '@' (6.1.2.3.1). Returns octets written, or -1
 * when a character has no GSM 7-bit encoding or out is too small.
 */
int ssgw_gsm7_pack(const char *utf8, uint8_t *out, size_t outcap);

/*
 * SMS packing (TS 23.038 6.1.2.1, TS 23.040 9.2.3.24): septets counted by TP-UDL, the
 * text starting at septet `first` of the user data (after the user data header and its
 * fill bits). No <CR> padding: the septet count says where the text ends.
 *
 * ssgw_gsm7_unpack_septets decodes count septets from septet index first of in[len]
 * into UTF-8 (NUL-terminated); returns the text bytes, or -1 when the septets run past
 * in or out is too small. ssgw_gsm7_pack_septets writes the text's septets from index
 * first on (bits before first*7 are kept, so a header already in out survives); sets
 * *nsept to the septets written and returns the octets used from the start of out, or
 * -1 when a character has no GSM 7-bit encoding or out is too small.
 * ssgw_gsm7_septets returns the septets a text needs (escapes count two), or -1.
 */
int ssgw_gsm7_unpack_septets(const uint8_t *in, size_t len, size_t first, size_t count, char *out,
                             size_t outcap);
int ssgw_gsm7_pack_septets(const char *utf8, uint8_t *out, size_t outcap, size_t first,
                           size_t *nsept);
int ssgw_gsm7_septets(const char *utf8);

/* Alphabet selected by a CBS data coding scheme octet (TS 23.038 clause 5). */
typedef enum {
    SSGW_DCS_GSM7 = 0,
    SSGW_DCS_8BIT,
    SSGW_DCS_UCS2,
    SSGW_DCS_UNKNOWN /* reserved or compressed: treat the data as opaque */
} ssgw_dcs_alphabet;

ssgw_dcs_alphabet ssgw_cbs_dcs_alphabet(uint8_t dcs);
/* "gsm7", "8bit", "ucs2", "unknown". */
const char *ssgw_dcs_alphabet_name(ssgw_dcs_alphabet a);

/* UCS2 (big-endian, BMP only, no surrogates) <-> UTF-8. Return bytes written or -1. */
int ssgw_ucs2_to_utf8(const uint8_t *in, size_t len, char *out, size_t outcap);
int ssgw_utf8_to_ucs2(const char *utf8, uint8_t *out, size_t outcap);

/* UTF-16 big-endian (the SMS UCS-2 alphabet as phones send it, TS 23.038 6.2.3) <->
 * UTF-8, surrogate pairs included. An unpaired surrogate (a concatenated message cut
 * between the two halves of a pair) decodes as U+FFFD, and so does U+0000 (here and in
 * ssgw_ucs2_to_utf8), which would end the text early. Return bytes written or -1 (odd
 * length, invalid UTF-8, out too small). */
int ssgw_utf16_to_utf8(const uint8_t *in, size_t len, char *out, size_t outcap);
int ssgw_utf8_to_utf16(const char *utf8, uint8_t *out, size_t outcap);

#endif
