/*
 * test_token_paths.c - the template paths of the security token codec (src/trust/token.c,
 * token_tcap.c, token_int.h) give exactly what the general BER code gives:
 *  - encoding: ssgw_token_encode (the fixed template) and ssgw_token_encode_general (the BER
 *    builder) write the same bytes, or fail alike, for tokens of every mode and placement
 *    with times at every length boundary and random fields, and for inconsistent tokens;
 *  - the EXTERNAL around a token (ssgw_token_wrap against ssgw_token_wrap_general), for each
 *    placement a TC message can have;
 *  - decoding: ssgw_token_decode (fixed offsets first) and ssgw_token_decode_general return
 *    the same result, the same error and the same token on those encodings, on every
 *    truncation and single-octet mutation of them, and on every candidate SEQUENCE found in
 *    the token, tcap and view fuzz corpora (with their truncations and mutations).
 * The TC messages signed and stripped with the template paths are checked against tshark by
 * oracle.token and against the documented examples by test_token.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "paths.h"
#include "ssgw/token.h"
#include "trust/token_int.h"

static bool same_token(const ssgw_token *a, const ssgw_token *b)
{
    return PATHS_EQ(mode) && PATHS_EQ(placement) && PATHS_EQ(time) && PATHS_EQ(tag_len) &&
           !memcmp(a->key_id, b->key_id, sizeof a->key_id) &&
           !memcmp(a->nonce, b->nonce, sizeof a->nonce) && !memcmp(a->tag, b->tag, sizeof a->tag);
}

PATHS_COMPARE(cmp_decode, ssgw_token, ssgw_token_decode, ssgw_token_decode_general, same_token)

static const uint64_t times[] = {0,
                                 1,
                                 0x7f,
                                 0x80,
                                 0xff,
                                 0x100,
                                 0x7fff,
                                 0x8000,
                                 0xffff,
                                 0x7fffff,
                                 0x800000,
                                 0x7fffffff,
                                 0x80000000ull,
                                 0xffffffffull,
                                 1797000011,
                                 0x7fffffffffull,
                                 0x8000000000ull - 1,
                                 (1ull << 40) - 1};

static void random_token(ssgw_token *t, unsigned i)
{
    memset(t, 0, sizeof *t);
    t->mode = (ssgw_token_mode)(i % SSGW_TOKEN_MODE_COUNT);
    t->placement = (ssgw_token_placement)(i / 3 % SSGW_TOKEN_PLACE_COUNT);
    t->time = i < 2 * sizeof times / sizeof times[0] ? times[i / 2]
                                                     : check_rand() >> (24 + check_rand() % 40);
    for (size_t k = 0; k < SSGW_KEY_ID_LEN; k++)
        t->key_id[k] = (uint8_t)check_rand();
    for (size_t k = 0; k < SSGW_TOKEN_NONCE_LEN; k++)
        t->nonce[k] = (uint8_t)check_rand();
    t->tag_len = ssgw_token_tag_len(t->mode);
    for (size_t k = 0; k < t->tag_len; k++)
        t->tag[k] = (uint8_t)check_rand();
}

static void test_encode_and_wrap(void)
{
    unsigned enc_differ = 0, wrap_differ = 0, valid = 0;
    for (unsigned i = 0; i < 3000; i++) {
        ssgw_token t;
        random_token(&t, i);
        if (i % 7 == 3) t.tag_len = check_rand() % 70; /* mostly wrong */
        if (i % 11 == 5) t.time = (1ull << 40) + check_rand() % 1000;
        if (i % 13 == 6) t.mode = (ssgw_token_mode)(check_rand() % 6 - 1);
        if (i % 17 == 8) t.placement = (ssgw_token_placement)(check_rand() % 7 - 1);
        uint8_t a[256], b[256];
        ssgw_buf ba, bb;
        ssgw_error ea, eb;
        memset(&ea, 0, sizeof ea);
        memset(&eb, 0, sizeof eb);
        ssgw_buf_init(&ba, a, sizeof a);
        ssgw_buf_init(&bb, b, sizeof b);
        int ra = ssgw_token_encode(&ba, &t, &ea), rb = ssgw_token_encode_general(&bb, &t, &eb);
        if (ra != rb || (ra < 0 && !paths_same_error(&ea, &eb)) ||
            (ra == 0 && (ba.len != bb.len || memcmp(a, b, ba.len))))
            enc_differ++;
        if (ra < 0) continue;
        valid++;
        paths_around(a, ba.len, cmp_decode);
        for (int pl = 0; pl <= SSGW_TOKEN_PLACE_DIALOGUE_ADDED; pl++) {
            uint8_t w[SSGW_TOKEN_WRAP_MAX], g[512];
            ssgw_buf bg;
            ssgw_buf_init(&bg, g, sizeof g);
            size_t n = ssgw_token_wrap((ssgw_token_placement)pl, a, ba.len, w);
            ssgw_token_wrap_general((ssgw_token_placement)pl, a, ba.len, &bg);
            if (n != bg.len || memcmp(w, g, n)) wrap_differ++;
        }
    }
    CHECK(valid > 1500);
    CHECK_INT(enc_differ, 0);
    CHECK_INT(wrap_differ, 0);
}

/* Every SEQUENCE candidate of a corpus file (a token inside a signed message, or not). */
static void around_sequences(const uint8_t *buf, size_t len)
{
    cmp_decode(buf, len);
    for (size_t i = 0; i + 2 <= len; i++)
        if (buf[i] == 0x30 && i + 2 + buf[i + 1] <= len)
            paths_around(buf + i, 2 + (size_t)buf[i + 1], cmp_decode);
}

static void test_decode_corpora(void)
{
    static const char *const dirs[] = {"fuzz/corpus/token", "fuzz/corpus/tcap", "fuzz/corpus/view"};
    paths_check_corpora(dirs, sizeof dirs / sizeof dirs[0], around_sequences);
}

int main(void)
{
    RUN(test_encode_and_wrap);
    RUN(test_decode_corpora);
    return paths_summary();
}
