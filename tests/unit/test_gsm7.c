/* test_gsm7.c - GSM 7-bit packing and CBS DCS (3GPP TS 23.038), against bytes checked with tshark.
 */
#include <string.h>

#include "check.h"
#include "ssgw/gsm7.h"

static void pack_ussd_star100(void)
{
    /* "*100#" as sent in processUnstructuredSS-Request; tshark 4.0 shows gsm_map.ussd_string
     * "*100#" for these octets (USSD-String of a MAP v2 invoke, DCS 0x0f). */
    uint8_t out[16];
    uint8_t want[] = {0xaa, 0x18, 0x0c, 0x36, 0x02};
    CHECK_MEM(out, (size_t)ssgw_gsm7_pack("*100#", out, sizeof out), want, sizeof want);
    char text[32];
    CHECK_INT(ssgw_gsm7_unpack(want, sizeof want, text, sizeof text), 5);
    CHECK_STR(text, "*100#");
}

static void pack_hello_spec_example(void)
{
    /* The classic SMS example: "hellohello" -> e8 32 9b fd 46 97 d9 ec 37 (TS 23.038 packing). */
    uint8_t out[16];
    uint8_t want[] = {0xe8, 0x32, 0x9b, 0xfd, 0x46, 0x97, 0xd9, 0xec, 0x37};
    CHECK_MEM(out, (size_t)ssgw_gsm7_pack("hellohello", out, sizeof out), want, sizeof want);
    char text[32];
    ssgw_gsm7_unpack(want, sizeof want, text, sizeof text);
    CHECK_STR(text, "hellohello");
}

static void cr_padding(void)
{
    /* 7 characters leave 7 spare bits: a <CR> fills them (6.1.2.3.1) and is dropped again. */
    uint8_t out[16];
    int n = ssgw_gsm7_pack("1234567", out, sizeof out);
    CHECK_INT(n, 7);
    CHECK_INT(out[6] >> 1, 0x0d);
    char text[32];
    CHECK_INT(ssgw_gsm7_unpack(out, (size_t)n, text, sizeof text), 7);
    CHECK_STR(text, "1234567");
    /* 8 characters fill 7 octets exactly: no padding */
    CHECK_INT(ssgw_gsm7_pack("12345678", out, sizeof out), 7);
    ssgw_gsm7_unpack(out, 7, text, sizeof text);
    CHECK_STR(text, "12345678");
}

static void extension_and_national(void)
{
    uint8_t out[32];
    char text[64];
    const char *s = "Pr\xc3\xa9s 5\xe2\x82\xac {x} [\xc3\x9c]"; /* Prés 5€ {x} [Ü] */
    int n = ssgw_gsm7_pack(s, out, sizeof out);
    CHECK(n > 0);
    CHECK(ssgw_gsm7_unpack(out, (size_t)n, text, sizeof text) > 0);
    CHECK_STR(text, s);
    /* '@' is septet 0 */
    CHECK_INT(ssgw_gsm7_pack("@", out, sizeof out), 1);
    CHECK_INT(out[0], 0);
    /* no GSM 7-bit encoding for CJK */
    CHECK_INT(ssgw_gsm7_pack("\xe4\xb8\xad", out, sizeof out), -1);
    /* output too small */
    CHECK_INT(ssgw_gsm7_pack("hellohello", out, 4), -1);
    uint8_t in[] = {0xe8, 0x32, 0x9b, 0xfd, 0x06};
    CHECK_INT(ssgw_gsm7_unpack(in, sizeof in, text, 3), -1);
}

static void dcs_classes(void)
{
    CHECK_INT(ssgw_cbs_dcs_alphabet(0x0f), SSGW_DCS_GSM7); /* language unspecified */
    CHECK_INT(ssgw_cbs_dcs_alphabet(0x00), SSGW_DCS_GSM7); /* German */
    CHECK_INT(ssgw_cbs_dcs_alphabet(0x10), SSGW_DCS_GSM7); /* preceded by language */
    CHECK_INT(ssgw_cbs_dcs_alphabet(0x11), SSGW_DCS_UCS2);
    CHECK_INT(ssgw_cbs_dcs_alphabet(0x44), SSGW_DCS_8BIT);
    CHECK_INT(ssgw_cbs_dcs_alphabet(0x48), SSGW_DCS_UCS2);
    CHECK_INT(ssgw_cbs_dcs_alphabet(0x40), SSGW_DCS_GSM7);
    CHECK_INT(ssgw_cbs_dcs_alphabet(0x60), SSGW_DCS_UNKNOWN); /* compressed */
    CHECK_INT(ssgw_cbs_dcs_alphabet(0xf0), SSGW_DCS_GSM7);
    CHECK_INT(ssgw_cbs_dcs_alphabet(0xf4), SSGW_DCS_8BIT);
    CHECK_INT(ssgw_cbs_dcs_alphabet(0x12), SSGW_DCS_UNKNOWN);
    CHECK_STR(ssgw_dcs_alphabet_name(SSGW_DCS_UCS2), "ucs2");
}

static void ucs2(void)
{
    uint8_t out[16];
    char text[32];
    int n = ssgw_utf8_to_ucs2("A\xc3\xa9\xe2\x82\xac", out, sizeof out); /* Aé€ */
    uint8_t want[] = {0x00, 0x41, 0x00, 0xe9, 0x20, 0xac};
    CHECK_MEM(out, (size_t)n, want, sizeof want);
    CHECK_INT(ssgw_ucs2_to_utf8(want, sizeof want, text, sizeof text), 6);
    CHECK_STR(text, "A\xc3\xa9\xe2\x82\xac");
    uint8_t odd[] = {0x00, 0x41, 0x00};
    CHECK_INT(ssgw_ucs2_to_utf8(odd, sizeof odd, text, sizeof text), -1);
    uint8_t sur[] = {0xd8, 0x00};
    CHECK_INT(ssgw_ucs2_to_utf8(sur, sizeof sur, text, sizeof text), -1);
}

static void sms_septets(void)
{
    /* a 6-octet user data header (concatenation) and the fill bit after it are kept, the
     * rest of the octets the text reaches is cleared; the text starts at septet 7 */
    uint8_t ud[16] = {0x05, 0x00, 0x03, 0xcc, 0x02, 0x01, 0xfe, 0xff}; /* fill bit 0 */
    size_t ns;
    CHECK_INT(ssgw_gsm7_pack_septets("A", ud, sizeof ud, 7, &ns), 7);
    CHECK_INT(ns, 1);
    const uint8_t want[] = {0x05, 0x00, 0x03, 0xcc, 0x02, 0x01, 0x82};
    CHECK_MEM(ud, 7, want, sizeof want);
    char text[32];
    CHECK_INT(ssgw_gsm7_unpack_septets(ud, 7, 7, 1, text, sizeof text), 1);
    CHECK_STR(text, "A");
    /* a septet beyond the octets given is refused */
    CHECK_INT(ssgw_gsm7_unpack_septets(ud, 7, 7, 2, text, sizeof text), -1);
    /* the classic example again, as septets from 0; escapes count two */
    const uint8_t hello[] = {0xe8, 0x32, 0x9b, 0xfd, 0x46, 0x97, 0xd9, 0xec, 0x37};
    CHECK_INT(ssgw_gsm7_unpack_septets(hello, sizeof hello, 0, 10, text, sizeof text), 10);
    CHECK_STR(text, "hellohello");
    CHECK_INT(ssgw_gsm7_septets("a{b}\xe2\x82\xac"), 8);
    CHECK_INT(ssgw_gsm7_septets("\xe4\xb8\xad"), -1);
}

/* Septets packed bit by bit here (TS 23.038 6.1.2.1.1: septet i is bits 7i..7i+6 of the
 * octets, least significant first), behind random octets for a user data header, and read
 * back from every start and count: the decoder takes its septets from an accumulator, so
 * every alignment of the first and the last septet is covered. Letters, digits and the
 * space have their ASCII codes in the default alphabet. */
static void unpack_every_alignment(void)
{
    static const char abc[] = "ABCXYZabcxyz0189 ";
    uint32_t seed = 7;
    for (int round = 0; round < 200; round++) {
        uint8_t ud[40];
        char want[48], text[64];
        for (size_t k = 0; k < sizeof ud; k++) {
            seed = seed * 1103515245u + 12345u;
            ud[k] = (uint8_t)(seed >> 16);
        }
        size_t first = (size_t)round % 24, count = (size_t)(round * 7) % 20;
        for (size_t i = 0; i < count; i++) {
            seed = seed * 1103515245u + 12345u;
            char ch = abc[(seed >> 16) % (sizeof abc - 1)];
            want[i] = ch;
            for (unsigned b = 0; b < 7; b++) {
                size_t bit = (first + i) * 7 + b;
                ud[bit / 8] = (uint8_t)((ud[bit / 8] & ~(1u << bit % 8)) |
                                        (((unsigned)ch >> b & 1u) << bit % 8));
            }
        }
        want[count] = '\0';
        size_t octets = ((first + count) * 7 + 7) / 8;
        CHECK_INT(ssgw_gsm7_unpack_septets(ud, octets, first, count, text, sizeof text),
                  (int)count);
        CHECK_STR(text, want);
        /* one octet short of the last septet: refused */
        if (count)
            CHECK_INT(ssgw_gsm7_unpack_septets(ud, octets - 1, first, count, text, sizeof text),
                      -1);
        /* no room for the text and its NUL: refused */
        if (count) CHECK_INT(ssgw_gsm7_unpack_septets(ud, octets, first, count, text, count), -1);
    }
}

/* The eight-at-a-time path (gsm7.c, group_of_eight) against the septet-by-septet one: a range
 * read in pieces of at most seven septets never takes it, so on random septets (mostly
 * one-octet characters, some of two or three octets, escapes) the whole range must read as
 * its pieces joined; a piece never ends on an escape, whose character comes after it. Every
 * room for the text: refused exactly when the text and its NUL do not fit. */
static void unpack_groups_as_septets(void)
{
    uint32_t seed = 11;
    for (int round = 0; round < 20000; round++) {
        uint8_t ud[160];
        memset(ud, 0, sizeof ud);
        seed = seed * 1103515245u + 12345u;
        size_t first = (seed >> 16) % 24, count = (seed >> 8) % 150;
        seed = seed * 1103515245u + 12345u;
        unsigned odd = (seed >> 16) % 4; /* how rare septets other than letters are */
        uint8_t sept[200];
        for (size_t i = 0; i < first + count; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) & 0x7f;
            sept[i] = (seed >> 24) % 16 < odd ? (uint8_t)r : (uint8_t)(0x61 + r % 26);
            for (unsigned b = 0; b < 7; b++) {
                size_t bit = i * 7 + b;
                ud[bit / 8] |= (uint8_t)((sept[i] >> b & 1u) << bit % 8);
            }
        }
        size_t octets = ((first + count) * 7 + 7) / 8;
        char want[700], piece[64], text[700];
        size_t wn = 0;
        for (size_t i = 0; i < count;) {
            seed = seed * 1103515245u + 12345u;
            size_t k = 1 + (seed >> 16) % 7;
            if (k > count - i) k = count - i;
            while (k < count - i && sept[first + i + k - 1] == 0x1b)
                k++;
            int got = ssgw_gsm7_unpack_septets(ud, octets, first + i, k, piece, sizeof piece);
            CHECK(got >= 0);
            if (got < 0) return;
            memcpy(want + wn, piece, (size_t)got);
            wn += (size_t)got;
            i += k;
        }
        want[wn] = '\0';
        int got = ssgw_gsm7_unpack_septets(ud, octets, first, count, text, sizeof text);
        CHECK_INT(got, (int)wn);
        CHECK_STR(text, want);
        seed = seed * 1103515245u + 12345u;
        size_t cap = wn + 1 - (seed >> 16) % 3;
        if (cap > wn + 1) cap = wn + 1;
        CHECK_INT(ssgw_gsm7_unpack_septets(ud, octets, first, count, text, cap),
                  cap == wn + 1 ? (int)wn : -1);
    }
}

static void utf16(void)
{
    uint8_t out[16];
    char text[32];
    /* U+1F600 is the pair D83D DE00; UCS-2 (the BMP) refuses it */
    CHECK_INT(ssgw_utf8_to_utf16("\xf0\x9f\x98\x80", out, sizeof out), 4);
    const uint8_t want[] = {0xd8, 0x3d, 0xde, 0x00};
    CHECK_MEM(out, 4, want, sizeof want);
    CHECK_INT(ssgw_utf8_to_ucs2("\xf0\x9f\x98\x80", out, sizeof out), -1);
    CHECK_INT(ssgw_utf16_to_utf8(want, sizeof want, text, sizeof text), 4);
    CHECK_STR(text, "\xf0\x9f\x98\x80");
    /* a low surrogate alone */
    const uint8_t lone[] = {0xde, 0x00};
    CHECK_INT(ssgw_utf16_to_utf8(lone, sizeof lone, text, sizeof text), 3);
    CHECK_STR(text, "\xef\xbf\xbd");
}

int main(void)
{
    RUN(pack_ussd_star100);
    RUN(pack_hello_spec_example);
    RUN(cr_padding);
    RUN(extension_and_national);
    RUN(dcs_classes);
    RUN(ucs2);
    RUN(sms_septets);
    RUN(unpack_every_alignment);
    RUN(unpack_groups_as_septets);
    RUN(utf16);
    return check_summary();
}
