/*
 * gsm7.c - GSM 7-bit default alphabet packing and the CBS data coding scheme
 * (3GPP TS 23.038 clauses 5, 6.1.2.3 and 6.2.1), as used by USSD strings in
 * MAP (TS 29.002 USSD-String). See include/ssgw/gsm7.h.
 */
#include "ssgw/gsm7.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

/* A character's UTF-8 (one to three octets) with its length, so that the decoder copies it
 * without measuring it (the SMS checks decode every SMS-DELIVER's text). */
typedef struct {
    uint8_t len; /* 0: no character (the escape) */
    char utf8[4];
} gsm7_char;

#define C(s)                                                                                       \
    {                                                                                              \
        sizeof(s) - 1, s                                                                           \
    }

/* TS 23.038 6.2.1: the default alphabet, one UTF-8 string per septet (0x1B = escape). */
static const gsm7_char gsm7_basic[128] = {
    C("@"),        C("\xc2\xa3"), C("$"),        C("\xc2\xa5"), C("\xc3\xa8"), C("\xc3\xa9"),
    C("\xc3\xb9"), C("\xc3\xac"), C("\xc3\xb2"), C("\xc3\x87"), C("\n"),       C("\xc3\x98"),
    C("\xc3\xb8"), C("\r"),       C("\xc3\x85"), C("\xc3\xa5"), C("\xce\x94"), C("_"),
    C("\xce\xa6"), C("\xce\x93"), C("\xce\x9b"), C("\xce\xa9"), C("\xce\xa0"), C("\xce\xa8"),
    C("\xce\xa3"), C("\xce\x98"), C("\xce\x9e"), {0, ""},       C("\xc3\x86"), C("\xc3\xa6"),
    C("\xc3\x9f"), C("\xc3\x89"), C(" "),        C("!"),        C("\""),       C("#"),
    C("\xc2\xa4"), C("%"),        C("&"),        C("'"),        C("("),        C(")"),
    C("*"),        C("+"),        C(","),        C("-"),        C("."),        C("/"),
    C("0"),        C("1"),        C("2"),        C("3"),        C("4"),        C("5"),
    C("6"),        C("7"),        C("8"),        C("9"),        C(":"),        C(";"),
    C("<"),        C("="),        C(">"),        C("?"),        C("\xc2\xa1"), C("A"),
    C("B"),        C("C"),        C("D"),        C("E"),        C("F"),        C("G"),
    C("H"),        C("I"),        C("J"),        C("K"),        C("L"),        C("M"),
    C("N"),        C("O"),        C("P"),        C("Q"),        C("R"),        C("S"),
    C("T"),        C("U"),        C("V"),        C("W"),        C("X"),        C("Y"),
    C("Z"),        C("\xc3\x84"), C("\xc3\x96"), C("\xc3\x91"), C("\xc3\x9c"), C("\xc2\xa7"),
    C("\xc2\xbf"), C("a"),        C("b"),        C("c"),        C("d"),        C("e"),
    C("f"),        C("g"),        C("h"),        C("i"),        C("j"),        C("k"),
    C("l"),        C("m"),        C("n"),        C("o"),        C("p"),        C("q"),
    C("r"),        C("s"),        C("t"),        C("u"),        C("v"),        C("w"),
    C("x"),        C("y"),        C("z"),        C("\xc3\xa4"), C("\xc3\xb6"), C("\xc3\xb1"),
    C("\xc3\xbc"), C("\xc3\xa0"),
};

/* TS 23.038 6.2.1.1: the extension table reached with ESC (0x1B). */
static const struct {
    uint8_t code;
    gsm7_char c;
} gsm7_ext[] = {
    {0x0a, C("\f")}, {0x14, C("^")}, {0x28, C("{")}, {0x29, C("}")}, {0x2f, C("\\")},
    {0x3c, C("[")},  {0x3d, C("~")}, {0x3e, C("]")}, {0x40, C("|")}, {0x65, C("\xe2\x82\xac")},
};

/* An escape with nothing valid after it reads as a space (6.2.1.1). */
static const gsm7_char gsm7_space = C(" ");

/* Appends c to out[0..*n), keeping room for the closing NUL. */
static inline int put_char(char *out, size_t outcap, size_t *n, const gsm7_char *c)
{
    if (*n + c->len + 1 > outcap) return -1;
    for (unsigned k = 0; k < c->len; k++)
        out[*n + k] = c->utf8[k];
    *n += c->len;
    return 0;
}

/* The character ESC + s (6.2.1.1): the extension's, else the basic table's (ESC ESC: a space). */
static const gsm7_char *escaped(uint8_t s)
{
    for (size_t k = 0; k < sizeof gsm7_ext / sizeof gsm7_ext[0]; k++)
        if (gsm7_ext[k].code == s) return &gsm7_ext[k].c;
    return s == 0x1b ? &gsm7_space : &gsm7_basic[s];
}

/*
 * Eight septets at a time (issue 16: the SMS checks decode every SMS-DELIVER's text, ~15
 * instructions a septet one by one): seven octets hold eight septets, and when each of them
 * is a character of one octet (not the escape) the eight octets are written at once. The
 * one-octet character of each septet, 0 for the others, is built once from gsm7_basic.
 * Written for a little-endian machine; elsewhere every septet takes the general path.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define GSM7_GROUPS 1
#else
#define GSM7_GROUPS 0
#endif
static char gsm7_one[128];
static bool gsm7_one_ready;
static pthread_once_t gsm7_one_once = PTHREAD_ONCE_INIT;

static void fill_one(void)
{
    for (unsigned s = 0; s < 128; s++)
        gsm7_one[s] = gsm7_basic[s].len == 1 ? gsm7_basic[s].utf8[0] : 0; /* ESC: len 0 */
    __atomic_store_n(&gsm7_one_ready, true, __ATOMIC_RELEASE);
}

static inline uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The eight septets of in[0..7) as their eight one-octet characters into out[0..8); false
 * (nothing written) when one of them is not such a character. */
static inline bool group_of_eight(const uint8_t *in, char *out)
{
    uint64_t w = (uint64_t)le32(in) | (uint64_t)le32(in + 3) << 24, chars = 0;
    for (unsigned k = 0; k < 8; k++)
        chars |= (uint64_t)(uint8_t)gsm7_one[(w >> (7 * k)) & 0x7f] << (8 * k);
    if ((chars - 0x0101010101010101ull) & ~chars & 0x8080808080808080ull) return false;
    memcpy(out, &chars, 8);
    return true;
}

/* Septets [first, first + count) of in, as UTF-8 into out; out must have room (checked).
 * The septets are taken from a bit accumulator fed one octet at a time (the last septet may
 * end on the last octet's high bits, which are then read as zero when it is missing); from
 * an octet boundary, eight at a time where they allow it (group_of_eight). */
static int unpack_range(const uint8_t *in, size_t len, size_t first, size_t count, char *out,
                        size_t outcap)
{
    size_t n = 0;
    if (outcap == 0) return -1;
    bool esc = false;
    size_t byte = first * 7 / 8;
    unsigned bits = 0; /* valid bits in acc */
    uint32_t acc = 0;
    if (first * 7 % 8) { /* the first septet starts inside an octet */
        acc = in[byte++] >> (first * 7 % 8);
        bits = 8 - (unsigned)(first * 7 % 8);
    }
    bool groups = GSM7_GROUPS && bits == 0;
    if (groups && !__atomic_load_n(&gsm7_one_ready, __ATOMIC_ACQUIRE))
        pthread_once(&gsm7_one_once, fill_one);
    for (size_t i = 0; i < count; i++) {
        /* on an octet boundary (every eight septets from one): eight at once if they allow */
        if (groups && (i & 7) == 0 && !esc && count - i >= 8 && byte + 7 <= len &&
            outcap - n >= 9) {
            while (count - i >= 8 && byte + 7 <= len && outcap - n >= 9 &&
                   group_of_eight(in + byte, out + n)) {
                i += 8;
                byte += 7;
                n += 8;
            }
            if (i == count) break;
        }
        if (bits < 7) {
            if (byte < len) acc |= (uint32_t)in[byte] << bits;
            byte++;
            bits += 8;
        }
        uint8_t s = (uint8_t)(acc & 0x7f);
        acc >>= 7;
        bits -= 7;
        const gsm7_char *c;
        if (esc) {
            esc = false;
            c = escaped(s);
        } else if (s == 0x1b) {
            esc = true;
            continue;
        } else {
            c = &gsm7_basic[s];
        }
        if (c->len == 1 && n + 2 <= outcap) { /* most characters: one octet */
            out[n++] = c->utf8[0];
            continue;
        }
        if (put_char(out, outcap, &n, c) < 0) return -1;
    }
    if (esc && put_char(out, outcap, &n, &gsm7_space) < 0) return -1;
    out[n] = '\0';
    return (int)n;
}

int ssgw_gsm7_unpack(const uint8_t *in, size_t len, char *out, size_t outcap)
{
    size_t nsept = len * 8 / 7;
    /* 6.1.2.3.1: 7 spare bits at the end are filled with <CR>; drop it. */
    if (len > 0 && nsept % 8 == 0 && (in[len - 1] >> 1) == 0x0d) nsept--;
    return unpack_range(in, len, 0, nsept, out, outcap);
}

int ssgw_gsm7_unpack_septets(const uint8_t *in, size_t len, size_t first, size_t count, char *out,
                             size_t outcap)
{
    if (first + count < first || ((first + count) * 7 + 7) / 8 > len)
        return -1; /* the last septet must lie inside in[] */
    return unpack_range(in, len, first, count, out, outcap);
}

/* Length of the UTF-8 sequence starting at s that is c, or 0. */
static size_t match(const char *s, const gsm7_char *c)
{
    return c->len && strncmp(s, c->utf8, c->len) == 0 ? c->len : 0;
}

static int lookup_septets(const char *s, uint8_t sept[2], size_t *nsept, size_t *consumed)
{
    for (int c = 0; c < 128; c++) {
        size_t l;
        if ((l = match(s, &gsm7_basic[c])) > 0) {
            sept[0] = (uint8_t)c;
            *nsept = 1;
            *consumed = l;
            return 0;
        }
    }
    for (size_t k = 0; k < sizeof gsm7_ext / sizeof gsm7_ext[0]; k++) {
        size_t l = match(s, &gsm7_ext[k].c);
        if (l > 0) {
            sept[0] = 0x1b;
            sept[1] = gsm7_ext[k].code;
            *nsept = 2;
            *consumed = l;
            return 0;
        }
    }
    return -1;
}

static int put_septet(uint8_t *out, size_t outcap, size_t idx, uint8_t s)
{
    size_t bit = idx * 7, byte = bit / 8, shift = bit % 8;
    if (byte >= outcap) return -1;
    if (shift == 0) out[byte] = 0;
    out[byte] |= (uint8_t)(s << shift);
    if (shift > 1) {
        if (byte + 1 >= outcap) return -1;
        out[byte + 1] = (uint8_t)(s >> (8 - shift));
    }
    return 0;
}

/* Writes septet s at index idx, keeping every other bit of out (bytes must exist). */
static int or_septet(uint8_t *out, size_t outcap, size_t idx, uint8_t s)
{
    size_t bit = idx * 7, byte = bit / 8, shift = bit % 8;
    if (byte >= outcap || (shift > 1 && byte + 1 >= outcap)) return -1;
    out[byte] = (uint8_t)((out[byte] & ~(0x7fu << shift)) | (unsigned)s << shift);
    if (shift > 1)
        out[byte + 1] = (uint8_t)((out[byte + 1] & ~(0x7fu >> (8 - shift))) | s >> (8 - shift));
    return 0;
}

int ssgw_gsm7_pack_septets(const char *utf8, uint8_t *out, size_t outcap, size_t first,
                           size_t *nsept)
{
    size_t idx = first;
    /* bytes are cleared as the text reaches them; in the first one, only from its bit on */
    size_t frontier = first * 7 / 8;
    if (frontier < outcap) out[frontier++] &= (uint8_t)((1u << (first * 7 % 8)) - 1);
    while (*utf8) {
        uint8_t sept[2];
        size_t ns, used;
        if (lookup_septets(utf8, sept, &ns, &used) < 0) return -1;
        for (size_t k = 0; k < ns; k++, idx++) {
            size_t last = (idx * 7 + 6) / 8;
            if (last >= outcap) return -1;
            while (frontier <= last)
                out[frontier++] = 0;
            if (or_septet(out, outcap, idx, sept[k]) < 0) return -1;
        }
        utf8 += used;
    }
    *nsept = idx - first;
    return (int)((idx * 7 + 7) / 8);
}

int ssgw_gsm7_septets(const char *utf8)
{
    size_t n = 0;
    while (*utf8) {
        uint8_t sept[2];
        size_t ns, used;
        if (lookup_septets(utf8, sept, &ns, &used) < 0) return -1;
        n += ns;
        utf8 += used;
    }
    return (int)n;
}

int ssgw_gsm7_pack(const char *utf8, uint8_t *out, size_t outcap)
{
    size_t idx = 0;
    while (*utf8) {
        uint8_t sept[2];
        size_t ns, used;
        if (lookup_septets(utf8, sept, &ns, &used) < 0) return -1;
        for (size_t k = 0; k < ns; k++)
            if (put_septet(out, outcap, idx++, sept[k]) < 0) return -1;
        utf8 += used;
    }
    if (idx % 8 == 7 && put_septet(out, outcap, idx++, 0x0d) < 0) return -1;
    return (int)((idx * 7 + 7) / 8);
}

ssgw_dcs_alphabet ssgw_cbs_dcs_alphabet(uint8_t dcs)
{
    uint8_t hi = dcs >> 4;
    switch (hi) {
    case 0x0: /* language using the default alphabet */
    case 0x2:
    case 0x3: /* reserved languages: default alphabet */
        return SSGW_DCS_GSM7;
    case 0x1:
        if (dcs == 0x10) return SSGW_DCS_GSM7;
        if (dcs == 0x11) return SSGW_DCS_UCS2;
        return SSGW_DCS_UNKNOWN;
    case 0x4:
    case 0x5:
    case 0x6:
    case 0x7: /* general data coding: bit 5 = compressed, bits 3-2 = alphabet */
    case 0x9: /* message with user data header: same alphabet bits */
        if (hi != 0x9 && (dcs & 0x20)) return SSGW_DCS_UNKNOWN;
        switch ((dcs >> 2) & 3) {
        case 0:
            return SSGW_DCS_GSM7;
        case 1:
            return SSGW_DCS_8BIT;
        case 2:
            return SSGW_DCS_UCS2;
        default:
            return SSGW_DCS_UNKNOWN;
        }
    case 0xf: /* data coding / message handling: bit 2 = 8-bit data */
        return (dcs & 0x04) ? SSGW_DCS_8BIT : SSGW_DCS_GSM7;
    default:
        return SSGW_DCS_UNKNOWN;
    }
}

const char *ssgw_dcs_alphabet_name(ssgw_dcs_alphabet a)
{
    switch (a) {
    case SSGW_DCS_GSM7:
        return "gsm7";
    case SSGW_DCS_8BIT:
        return "8bit";
    case SSGW_DCS_UCS2:
        return "ucs2";
    default:
        return "unknown";
    }
}

static size_t put_utf8(char *b, unsigned u);

/* Reads one code point of well-formed UTF-8 (1 to 4 octets) at *s; -1 on anything else. */
static int next_utf8(const unsigned char **sp, unsigned *u)
{
    const unsigned char *s = *sp;
    size_t l;
    if (s[0] < 0x80) {
        *u = s[0];
        l = 1;
    } else if ((s[0] & 0xe0) == 0xc0 && (s[1] & 0xc0) == 0x80) {
        *u = (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
        l = 2;
    } else if ((s[0] & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
        *u = (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
        l = 3;
    } else if ((s[0] & 0xf8) == 0xf0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
               (s[3] & 0xc0) == 0x80) {
        *u = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3f) << 12 |
             (unsigned)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
        l = 4;
    } else {
        return -1;
    }
    if ((*u >= 0xd800 && *u <= 0xdfff) || *u > 0x10ffff) return -1;
    *sp = s + l;
    return 0;
}

static size_t put_utf8(char *b, unsigned u)
{
    if (u < 0x80) {
        b[0] = (char)u;
        return 1;
    }
    if (u < 0x800) {
        b[0] = (char)(0xc0 | u >> 6);
        b[1] = (char)(0x80 | (u & 0x3f));
        return 2;
    }
    if (u < 0x10000) {
        b[0] = (char)(0xe0 | u >> 12);
        b[1] = (char)(0x80 | ((u >> 6) & 0x3f));
        b[2] = (char)(0x80 | (u & 0x3f));
        return 3;
    }
    b[0] = (char)(0xf0 | u >> 18);
    b[1] = (char)(0x80 | ((u >> 12) & 0x3f));
    b[2] = (char)(0x80 | ((u >> 6) & 0x3f));
    b[3] = (char)(0x80 | (u & 0x3f));
    return 4;
}

/*
 * UTF-16 big-endian -> UTF-8. With pairs, surrogate pairs are joined and an unpaired
 * surrogate becomes U+FFFD; without (UCS-2), any surrogate is refused.
 */
static int from_utf16(const uint8_t *in, size_t len, char *out, size_t outcap, bool pairs)
{
    size_t n = 0;
    if (outcap == 0 || len % 2) return -1;
    for (size_t i = 0; i < len; i += 2) {
        unsigned u = (unsigned)(in[i] << 8 | in[i + 1]);
        bool surrogate = u >= 0xd800 && u <= 0xdfff;
        if (surrogate && !pairs) return -1;
        if (u <= 0xdbff && surrogate && i + 3 < len) {
            unsigned lo = (unsigned)(in[i + 2] << 8 | in[i + 3]);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                i += 2;
            }
        }
        if ((u >= 0xd800 && u <= 0xdfff) || u == 0)
            u = 0xfffd; /* unpaired; U+0000 would end the C string and hide the rest */
        char b[4];
        size_t l = put_utf8(b, u);
        if (n + l + 1 > outcap) return -1;
        memcpy(out + n, b, l);
        n += l;
    }
    out[n] = '\0';
    return (int)n;
}

/* UTF-8 -> UTF-16 big-endian; without pairs (UCS-2) characters outside the BMP are refused. */
static int to_utf16(const char *utf8, uint8_t *out, size_t outcap, bool pairs)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t n = 0;
    while (*s) {
        unsigned u;
        if (next_utf8(&s, &u) < 0 || (u > 0xffff && !pairs)) return -1;
        if (u >= 0x10000) {
            if (n + 4 > outcap) return -1;
            unsigned v = u - 0x10000, hi = 0xd800 + (v >> 10), lo = 0xdc00 + (v & 0x3ff);
            out[n++] = (uint8_t)(hi >> 8);
            out[n++] = (uint8_t)hi;
            out[n++] = (uint8_t)(lo >> 8);
            out[n++] = (uint8_t)lo;
        } else {
            if (n + 2 > outcap) return -1;
            out[n++] = (uint8_t)(u >> 8);
            out[n++] = (uint8_t)u;
        }
    }
    return (int)n;
}

int ssgw_ucs2_to_utf8(const uint8_t *in, size_t len, char *out, size_t outcap)
{
    return from_utf16(in, len, out, outcap, false);
}

int ssgw_utf8_to_ucs2(const char *utf8, uint8_t *out, size_t outcap)
{
    return to_utf16(utf8, out, outcap, false);
}

int ssgw_utf16_to_utf8(const uint8_t *in, size_t len, char *out, size_t outcap)
{
    return from_utf16(in, len, out, outcap, true);
}

int ssgw_utf8_to_utf16(const char *utf8, uint8_t *out, size_t outcap)
{
    return to_utf16(utf8, out, outcap, true);
}
