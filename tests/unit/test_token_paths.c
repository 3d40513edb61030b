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
 *  - the skip of the strip walk (src/trust/trust_msg.c, surely_no_token): on every input the
 *    walk finds no token where the token OID's octets are absent, and says "no token" (not
 *    "malformed") for every TC message the TCAP decoder accepts that has neither those
 *    octets nor user information, taken as a TC message and, for M3UA inputs, from the
 *    view as the pipeline does, on the corpora, 20,000 messages of attack traffic and the
 *    truncations and mutations of both.
 * The TC messages signed and stripped with the template paths are checked against tshark by
 * oracle.token and against the documented examples by test_token.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "paths.h"
#include "ssgw/attack.h"
#include "ssgw/tcap.h"
#include "ssgw/token.h"
#include "ssgw/view.h"
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

/* Counts the inputs on which the walk is skipped and would have said something else. */
static unsigned long skipped, skip_differ, skip_tokens;

static void skip_one(const uint8_t *tcap, size_t len, const ssgw_tcap_msg *m, bool decoded)
{
    ssgw_token t;
    ssgw_error e;
    int r = ssgw_token_strip(tcap, len, &t, NULL, NULL, &e);
    bool may = ssgw_token_may_be_present(tcap, len);
    if (r == 1) skip_tokens++;
    if (r == 1 && !may) paths_report(&skip_differ, tcap, len, r, 1);
    if (!may && decoded && !(m->dialogue_present && m->dialogue.user_info_present)) {
        skipped++;
        if (r != 0) paths_report(&skip_differ, tcap, len, r, 0);
    }
}

static void cmp_skip(const uint8_t *buf, size_t len)
{
    static ssgw_tcap_component comps[SSGW_VIEW_MAX_COMPONENTS];
    static ssgw_view v;
    ssgw_tcap_msg m;
    ssgw_error e;
    unsigned n;
    bool truncated;
    paths_compared++;
    bool decoded = ssgw_tcap_decode_all(buf, len, &m, comps, SSGW_VIEW_MAX_COMPONENTS, &n,
                                        &truncated, &e) == 0;
    skip_one(buf, len, &m, decoded);
    /* the decoder's steps (src/wire/decoder.c) for an unsegmented message */
    if (ssgw_view_decode_m3ua(&v, buf, len) == 0 && v.has_sccp && v.sccp.data_len > 0 &&
        !v.sccp.has_segmentation)
        ssgw_view_decode_tcap(&v, v.sccp.data, v.sccp.data_len, (size_t)(v.sccp.data - buf));
    if (v.has_tcap) skip_one(v.tcap_data, v.tcap.span.len, &v.tcap, true);
}

static void around_messages(const uint8_t *buf, size_t len)
{
    paths_around(buf, len, cmp_skip);
}

static void test_walk_skip(void)
{
    static const char *const dirs[] = {"fuzz/corpus/token", "fuzz/corpus/tcap", "fuzz/corpus/view"};
    CHECK(paths_corpora(dirs, sizeof dirs / sizeof dirs[0], around_messages) > 100);
    /* roaming traffic with the attack catalogue: every MAP shape the generator knows, the
     * first messages also truncated and mutated */
    ssgw_attack_opts o;
    ssgw_attack_opts_default(&o);
    o.seed = 16;
    o.count = 20000;
    ssgw_error e;
    ssgw_attack_gen *g = ssgw_attack_new(&o, &e);
    CHECK(g != NULL);
    static uint8_t mem[8192];
    for (uint64_t i = 0; g && i < o.count; i++) {
        ssgw_buf b;
        ssgw_attack_msg m;
        ssgw_buf_init(&b, mem, sizeof mem);
        if (ssgw_attack_next(g, &b, &m, &e) < 0) break;
        (i < 300 ? around_messages : cmp_skip)(b.data, b.len);
    }
    ssgw_attack_free(g);
    fprintf(stderr, "  walk skipped on %lu messages, %lu tokens found\n", skipped, skip_tokens);
    CHECK(skipped > 100000);
    CHECK(skip_tokens > 1000);
    CHECK_INT(skip_differ, 0);
}

int main(void)
{
    RUN(test_encode_and_wrap);
    RUN(test_decode_corpora);
    RUN(test_walk_skip);
    return paths_summary();
}
