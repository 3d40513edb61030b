/*
 * test_token.c - the security token codec and its placement in TCAP
 * (docs/wire-format.md "Security token"): hand-assembled hex examples (the same as in
 * the document), every TC message shape, byte-exact strip on the generated corpus,
 * non-minimal and indefinite lengths, refusals and malformed tokens.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ssgw/gen.h"
#include "ssgw/tcap.h"
#include "ssgw/token.h"

/* docs/wire-format.md example 1: the fast-mode token. */
static const char *const HMAC_TOKEN_HEX = "30 32"
                                          " 80 01 02"
                                          " 81 01 02"
                                          " 82 08 01 02 03 04 05 06 07 08"
                                          " 83 04 66 00 00 00"
                                          " 84 08 a1 a2 a3 a4 a5 a6 a7 a8"
                                          " 85 10 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a";

/* The token EXTERNAL's direct-reference: 2.25.266888096431808999136834972896771642782.2 */
#define OID_HEX "06 15 69 83 91 c8 e3 c5 b0 8a ba a6 bf bc ed e5 f7 c6 e5 9c ab 1e 02"

/* Begin { otid 01020304, components { invoke id 1, opcode 56 } } */
static const char *const BEGIN_HEX = "62 10 48 04 01 02 03 04 6c 08 a1 06 02 01 01 02 01 38";

/* docs example 2: the same Begin with the fast-mode token in a dialogue portion. */
static const char *const BEGIN_SIGNED_HEX =
    "62 61 48 04 01 02 03 04"
    " 6b 4f 28 4d " OID_HEX " a0 34"
    " 30 32 80 01 02 81 01 02 82 08 01 02 03 04 05 06 07 08 83 04 66 00 00 00"
    " 84 08 a1 a2 a3 a4 a5 a6 a7 a8 85 10 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a"
    " 6c 08 a1 06 02 01 01 02 01 38";

/* docs example 3: Begin + AARQ + MAP-OpenInfo, the token appended to user-information. */
static const char *const AARQ_SIGNED_HEX =
    "62 81 93 48 04 01 02 03 04 6b 81 80 28 7e 06 07 00 11 86 05 01 01 01 a0 73"
    " 60 71 80 02 07 80 a1 09 06 07 04 00 00 01 00 01 03"
    " be 60 28 0f 06 07 04 00 00 01 01 01 01 a0 04 a0 02 80 00"
    " 28 4d " OID_HEX " 81 34 30 32 80 01 02 81 01 00 82 08 01 02 03 04 05 06 07 08"
    " 83 04 66 00 00 00 84 08 a1 a2 a3 a4 a5 a6 a7 a8"
    " 85 10 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a"
    " 6c 08 a1 06 02 01 01 02 01 38";

static void example_token(ssgw_token *t, ssgw_token_mode mode, ssgw_token_placement pl)
{
    memset(t, 0, sizeof *t);
    t->mode = mode;
    t->placement = pl;
    for (int i = 0; i < 8; i++) {
        t->key_id[i] = (uint8_t)(i + 1);
        t->nonce[i] = (uint8_t)(0xa1 + i);
    }
    t->time = 0x66000000;
    t->tag_len = ssgw_token_tag_len(mode);
    memset(t->tag, mode == SSGW_TOKEN_MODE_HMAC ? 0x5a : 0x33, t->tag_len);
}

static void test_names(void)
{
    CHECK_STR(ssgw_token_mode_name(SSGW_TOKEN_MODE_ECDSA_P256), "ecdsa-p256");
    CHECK_STR(ssgw_token_mode_name(SSGW_TOKEN_MODE_ED25519), "ed25519");
    CHECK_STR(ssgw_token_mode_name(SSGW_TOKEN_MODE_HMAC), "hmac-sha256-128");
    CHECK_STR(ssgw_token_mode_name(9), "unknown");
    CHECK_INT(ssgw_token_mode_parse("hmac-sha256-128"), SSGW_TOKEN_MODE_HMAC);
    CHECK_INT(ssgw_token_mode_parse("rsa"), -1);
    CHECK_STR(ssgw_token_placement_name(SSGW_TOKEN_PLACE_USER_INFO_ADDED), "user-info-added");
    CHECK_STR(ssgw_token_placement_name(SSGW_TOKEN_PLACE_DIALOGUE_ADDED), "dialogue-added");
    CHECK_INT(ssgw_token_tag_len(SSGW_TOKEN_MODE_ECDSA_P256), 64);
    CHECK_INT(ssgw_token_tag_len(SSGW_TOKEN_MODE_HMAC), 16);
}

static void test_codec_example(void)
{
    uint8_t want[128], mem[256];
    int n = check_hex(HMAC_TOKEN_HEX, want, sizeof want);
    CHECK_INT(n, 52);
    ssgw_token t, d;
    example_token(&t, SSGW_TOKEN_MODE_HMAC, SSGW_TOKEN_PLACE_DIALOGUE_ADDED);
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_error e;
    CHECK_INT(ssgw_token_encode(&b, &t, &e), 0);
    CHECK_MEM(b.data, b.len, want, (size_t)n);
    CHECK_INT(ssgw_token_decode(want, (size_t)n, &d, &e), 0);
    CHECK_INT(d.mode, SSGW_TOKEN_MODE_HMAC);
    CHECK_INT(d.placement, SSGW_TOKEN_PLACE_DIALOGUE_ADDED);
    CHECK_MEM(d.key_id, 8, t.key_id, 8);
    CHECK_INT(d.time, 0x66000000);
    CHECK_MEM(d.nonce, 8, t.nonce, 8);
    CHECK_MEM(d.tag, d.tag_len, t.tag, t.tag_len);

    /* ECDSA / Ed25519 tokens: 64-octet tag, 100 octets in all (0x62 contents). */
    example_token(&t, SSGW_TOKEN_MODE_ECDSA_P256, SSGW_TOKEN_PLACE_USER_INFO_APPENDED);
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_token_encode(&b, &t, &e), 0);
    CHECK_INT(b.len, 100);
    CHECK_INT(b.data[1], 0x62);
    CHECK_INT(b.data[34], 0x85);
    CHECK_INT(b.data[35], 0x40);
    CHECK_INT(ssgw_token_decode(b.data, b.len, &d, &e), 0);
    CHECK_INT(d.tag_len, 64);

    /* time past 2038 takes a fifth octet: 0x80000000 -> 00 80 00 00 00 */
    example_token(&t, SSGW_TOKEN_MODE_HMAC, SSGW_TOKEN_PLACE_DIALOGUE_ADDED);
    t.time = 0x80000000u;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_token_encode(&b, &t, &e), 0);
    CHECK_INT(b.len, 53);
    CHECK_INT(ssgw_token_decode(b.data, b.len, &d, &e), 0);
    CHECK_INT(d.time, 0x80000000u);
    t.time = 1ull << 40;
    CHECK_INT(ssgw_token_encode(&b, &t, &e), -1);
    t.time = 1;
    t.tag_len = 64;
    CHECK_INT(ssgw_token_encode(&b, &t, &e), -1);
}

static void expect_reject(const char *hex, const char *field)
{
    uint8_t buf[160];
    ssgw_token d;
    ssgw_error e = {0};
    int n = check_hex(hex, buf, sizeof buf);
    CHECK(n > 0);
    CHECK_INT(ssgw_token_decode(buf, (size_t)n, &d, &e), -1);
    CHECK_INT(e.layer, SSGW_LAYER_TCAP);
    if (field) CHECK_STR(e.field, field);
}

static void test_codec_rejects(void)
{
    /* mode 3 */
    expect_reject("30 32 80 01 03 81 01 02 82 08 01 02 03 04 05 06 07 08 83 04 66 00 00 00"
                  " 84 08 a1 a2 a3 a4 a5 a6 a7 a8 85 10 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
                  "security token mode");
    /* HMAC mode with a 15-octet tag */
    expect_reject("30 31 80 01 02 81 01 02 82 08 01 02 03 04 05 06 07 08 83 04 66 00 00 00"
                  " 84 08 a1 a2 a3 a4 a5 a6 a7 a8 85 0f 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
                  "security token tag");
    /* key id of 7 octets */
    expect_reject("30 31 80 01 02 81 01 02 82 07 01 02 03 04 05 06 07 83 04 66 00 00 00"
                  " 84 08 a1 a2 a3 a4 a5 a6 a7 a8 85 10 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
                  "security token key id");
    /* non-minimal length of the key id */
    expect_reject("30 33 80 01 02 81 01 02 82 81 08 01 02 03 04 05 06 07 08 83 04 66 00 00 00"
                  " 84 08 a1 a2 a3 a4 a5 a6 a7 a8 85 10 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
                  "security token key id");
    /* non-minimal time (leading 00) and negative time */
    expect_reject("30 33 80 01 02 81 01 02 82 08 01 02 03 04 05 06 07 08 83 05 00 66 00 00 00"
                  " 84 08 a1 a2 a3 a4 a5 a6 a7 a8 85 10 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
                  "security token time");
    expect_reject("30 32 80 01 02 81 01 02 82 08 01 02 03 04 05 06 07 08 83 04 86 00 00 00"
                  " 84 08 a1 a2 a3 a4 a5 a6 a7 a8 85 10 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
                  "security token time");
    /* nonce missing (tag where nonce belongs) */
    expect_reject("30 28 80 01 02 81 01 02 82 08 01 02 03 04 05 06 07 08 83 04 66 00 00 00"
                  " 85 10 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
                  "security token nonce");
    /* an extra field after the tag */
    expect_reject("30 35 80 01 02 81 01 02 82 08 01 02 03 04 05 06 07 08 83 04 66 00 00 00"
                  " 84 08 a1 a2 a3 a4 a5 a6 a7 a8 85 10 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a 86 01 00",
                  "security token extra field");
    /* truncated, indefinite, not a SEQUENCE */
    expect_reject("30 32 80 01 02 81 01", "security token");
    expect_reject("30 80 80 01 02 00 00", "security token");
    expect_reject("31 03 80 01 02", "security token");
    expect_reject("30", NULL);
}

/* Inserts the example token and compares with want_hex (when given); then strips it and
 * checks that the original comes back and the token is the same. */
static void roundtrip_hex(const char *orig_hex, ssgw_token_placement want_place,
                          const char *want_hex)
{
    uint8_t orig[512], want[1024], canon_mem[1024], out_mem[1024], back_mem[1024];
    int n = check_hex(orig_hex, orig, sizeof orig);
    CHECK(n > 0);
    ssgw_buf canon, out, back;
    ssgw_buf_init(&canon, canon_mem, sizeof canon_mem);
    ssgw_buf_init(&out, out_mem, sizeof out_mem);
    ssgw_buf_init(&back, back_mem, sizeof back_mem);
    ssgw_error e = {0};
    ssgw_token_placement pl;
    bool changed = true;
    CHECK_INT(ssgw_token_prepare(orig, (size_t)n, &pl, &canon, &changed, &e), 0);
    CHECK_INT(pl, want_place);
    CHECK(!changed);
    CHECK_MEM(canon.data, canon.len, orig, (size_t)n);
    for (int mode = 0; mode < SSGW_TOKEN_MODE_COUNT; mode++) {
        ssgw_token t, s;
        example_token(&t, (ssgw_token_mode)mode, pl);
        out.len = 0;
        back.len = 0;
        CHECK_INT(ssgw_token_insert(orig, (size_t)n, &t, &out, &e), 0);
        if (want_hex && mode == SSGW_TOKEN_MODE_HMAC) {
            int wn = check_hex(want_hex, want, sizeof want);
            CHECK_MEM(out.data, out.len, want, (size_t)wn);
        }
        size_t tb = 0;
        CHECK_INT(ssgw_token_strip(out.data, out.len, &s, &back, &tb, &e), 1);
        CHECK_MEM(back.data, back.len, orig, (size_t)n);
        CHECK_INT(tb, out.len - (size_t)n);
        CHECK_INT(s.placement, pl);
        CHECK_MEM(s.tag, s.tag_len, t.tag, t.tag_len);
        /* the signed message still decodes as TCAP where the token sits in a dialogue
         * PDU's user information */
        ssgw_tcap_msg m;
        if (pl != SSGW_TOKEN_PLACE_DIALOGUE_ADDED)
            CHECK_INT(ssgw_tcap_decode(out.data, out.len, &m, &e), 0);
        /* a second token is refused */
        ssgw_buf_init(&canon, canon_mem, sizeof canon_mem);
        CHECK_INT(ssgw_token_prepare(out.data, out.len, &pl, &canon, &changed, &e), -1);
        CHECK_INT(e.code, SSGW_E_DUPLICATE);
        pl = want_place;
    }
}

#define OTID    "48 04 01 02 03 04 "
#define DTID    "49 04 05 06 07 08 "
#define COMPS   "6c 08 a1 06 02 01 01 02 01 38"
#define ACN     "a1 09 06 07 04 00 00 01 00 01 03 "
#define MAPOPEN "28 0f 06 07 04 00 00 01 01 01 01 a0 04 a0 02 80 00"
#define DLG_AS  "06 07 00 11 86 05 01 01 01 "
#define UNI_AS  "06 07 00 11 86 05 01 02 01 "

static void test_placements(void)
{
    /* Begin without dialogue: the hand-assembled example of docs/wire-format.md */
    roundtrip_hex(BEGIN_HEX, SSGW_TOKEN_PLACE_DIALOGUE_ADDED, BEGIN_SIGNED_HEX);
    /* Begin + AARQ without user information */
    roundtrip_hex("62 30 " OTID "6b 1e 28 1c " DLG_AS "a0 11 60 0f 80 02 07 80 " ACN COMPS,
                  SSGW_TOKEN_PLACE_USER_INFO_ADDED, NULL);
    /* Begin + AARQ with a MAP-OpenInfo in user information */
    roundtrip_hex("62 43 " OTID "6b 31 28 2f " DLG_AS "a0 24 60 22 80 02 07 80 " ACN
                  "be 11 " MAPOPEN " " COMPS,
                  SSGW_TOKEN_PLACE_USER_INFO_APPENDED, AARQ_SIGNED_HEX);
    /* Begin + AARQ with an empty user information */
    roundtrip_hex("62 32 " OTID "6b 20 28 1e " DLG_AS "a0 13 60 11 80 02 07 80 " ACN "be 00 " COMPS,
                  SSGW_TOKEN_PLACE_USER_INFO_APPENDED, NULL);
    /* Continue + AARE */
    roundtrip_hex("65 42 " OTID DTID "6b 2a 28 28 " DLG_AS "a0 1d 61 1b 80 02 07 80 " ACN
                  "a2 03 02 01 00 a3 05 a1 03 02 01 00 " COMPS,
                  SSGW_TOKEN_PLACE_USER_INFO_ADDED, NULL);
    /* Continue without dialogue, End without dialogue, End + AARE */
    roundtrip_hex("65 16 " OTID DTID COMPS, SSGW_TOKEN_PLACE_DIALOGUE_ADDED, NULL);
    roundtrip_hex("64 10 " DTID COMPS, SSGW_TOKEN_PLACE_DIALOGUE_ADDED, NULL);
    roundtrip_hex("64 3c " DTID "6b 2a 28 28 " DLG_AS "a0 1d 61 1b 80 02 07 80 " ACN
                  "a2 03 02 01 00 a3 05 a1 03 02 01 00 " COMPS,
                  SSGW_TOKEN_PLACE_USER_INFO_ADDED, NULL);
    /* Abort with ABRT (u-abort), Abort with nothing but the dtid */
    roundtrip_hex("67 1a " DTID "6b 12 28 10 " DLG_AS "a0 05 64 03 80 01 00",
                  SSGW_TOKEN_PLACE_USER_INFO_ADDED, NULL);
    roundtrip_hex("67 06 " DTID, SSGW_TOKEN_PLACE_DIALOGUE_ADDED, NULL);
    /* Unidirectional with AUDT and without dialogue */
    roundtrip_hex("61 2a 6b 1e 28 1c " UNI_AS "a0 11 60 0f 80 02 07 80 " ACN COMPS,
                  SSGW_TOKEN_PLACE_USER_INFO_ADDED, NULL);
    roundtrip_hex("61 0a " COMPS, SSGW_TOKEN_PLACE_DIALOGUE_ADDED, NULL);
}

static void test_refusals(void)
{
    uint8_t m[64], mem[256];
    ssgw_buf b;
    ssgw_error e = {0};
    ssgw_token_placement pl;
    bool ch;
    /* Abort with a P-AbortCause: the reason is a CHOICE, no room for a token */
    int n = check_hex("67 09 " DTID "4a 01 01", m, sizeof m);
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_token_prepare(m, (size_t)n, &pl, &b, &ch, &e), -1);
    CHECK_INT(e.code, SSGW_E_UNSUPPORTED);
    /* a dialogue portion with an abstract syntax that is neither TCAP's nor ours */
    n = check_hex("62 1d " OTID "6b 0b 28 09 06 03 2a 03 04 a0 02 30 00 " COMPS, m, sizeof m);
    CHECK_INT(ssgw_token_prepare(m, (size_t)n, &pl, &b, &ch, &e), -1);
    CHECK_INT(e.code, SSGW_E_UNSUPPORTED);
    /* not TCAP, trailing bytes, truncated */
    n = check_hex("30 03 02 01 01", m, sizeof m);
    CHECK_INT(ssgw_token_prepare(m, (size_t)n, &pl, &b, &ch, &e), -1);
    n = check_hex("62 10 48 04 01 02 03 04 6c 08 a1 06 02 01 01 02 01 38 00", m, sizeof m);
    CHECK_INT(ssgw_token_prepare(m, (size_t)n, &pl, &b, &ch, &e), -1);
    CHECK_INT(ssgw_token_prepare(m, 10, &pl, &b, &ch, &e), -1);
    /* a placement that does not fit the message */
    ssgw_token t;
    example_token(&t, SSGW_TOKEN_MODE_HMAC, SSGW_TOKEN_PLACE_USER_INFO_ADDED);
    n = check_hex(BEGIN_HEX, m, sizeof m);
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_token_insert(m, (size_t)n, &t, &b, &e), -1);
    CHECK_INT(e.code, SSGW_E_BAD_VALUE);
    /* output too small */
    example_token(&t, SSGW_TOKEN_MODE_HMAC, SSGW_TOKEN_PLACE_DIALOGUE_ADDED);
    ssgw_buf_init(&b, mem, 40);
    CHECK_INT(ssgw_token_insert(m, (size_t)n, &t, &b, &e), -1);
    CHECK_INT(e.code, SSGW_E_TOO_BIG);
}

static void test_strip_malformed(void)
{
    uint8_t m[256], mem[256];
    ssgw_buf b;
    ssgw_error e = {0};
    ssgw_token t;
    int n = check_hex(BEGIN_SIGNED_HEX, m, sizeof m);
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_token_strip(m, (size_t)n, &t, &b, NULL, &e), 1);
    /* unsigned: 0 and nothing written */
    uint8_t u[64];
    int un = check_hex(BEGIN_HEX, u, sizeof u);
    b.len = 0;
    CHECK_INT(ssgw_token_strip(u, (size_t)un, &t, &b, NULL, &e), 0);
    CHECK_INT(b.len, 0);
    /* placement octet says user-info-added while the token sits in its own portion */
    uint8_t x[256];
    memcpy(x, m, (size_t)n);
    CHECK_INT(x[42], 0x81);
    x[44] = 0x01;
    CHECK_INT(ssgw_token_strip(x, (size_t)n, &t, &b, NULL, &e), -1);
    /* the token SEQUENCE one octet short, and a wrong encoding tag */
    memcpy(x, m, (size_t)n);
    x[38] = 0x31;
    CHECK_INT(ssgw_token_strip(x, (size_t)n, &t, &b, NULL, &e), -1);
    memcpy(x, m, (size_t)n);
    x[35] = 0x81;
    CHECK_INT(ssgw_token_strip(x, (size_t)n, &t, &b, NULL, &e), -1);
    /* every truncation is malformed or no token, never a crash */
    for (int k = 0; k < n; k++) {
        int r = ssgw_token_strip(m, (size_t)k, &t, &b, NULL, &e);
        CHECK(r == -1 || r == 0);
    }
}

static void test_noncanonical_lengths(void)
{
    uint8_t m[128], want[128], canon_mem[512], out_mem[512], back_mem[512];
    ssgw_buf canon, out, back;
    ssgw_error e = {0};
    ssgw_token_placement pl;
    bool changed;
    ssgw_token t, s;

    /* non-minimal message length 81 10: canonicalised to 10 and signed that way */
    int n = check_hex("62 81 10 48 04 01 02 03 04 6c 08 a1 06 02 01 01 02 01 38", m, sizeof m);
    int wn = check_hex(BEGIN_HEX, want, sizeof want);
    ssgw_buf_init(&canon, canon_mem, sizeof canon_mem);
    CHECK_INT(ssgw_token_prepare(m, (size_t)n, &pl, &canon, &changed, &e), 0);
    CHECK(changed);
    CHECK_MEM(canon.data, canon.len, want, (size_t)wn);

    /* non-minimal length off the path (the component portion): kept as is */
    n = check_hex("62 11 48 04 01 02 03 04 6c 81 08 a1 06 02 01 01 02 01 38", m, sizeof m);
    ssgw_buf_init(&canon, canon_mem, sizeof canon_mem);
    CHECK_INT(ssgw_token_prepare(m, (size_t)n, &pl, &canon, &changed, &e), 0);
    CHECK(!changed);

    /* indefinite lengths everywhere on the path: restored exactly */
    const char *indef[] = {
        "62 80 48 04 01 02 03 04 6c 08 a1 06 02 01 01 02 01 38 00 00",
        "62 80 " OTID "6b 80 28 80 06 07 00 11 86 05 01 01 01 a0 80 60 80 80 02 07 80 " ACN
        "be 80 " MAPOPEN " 00 00 00 00 00 00 00 00 00 00 " COMPS " 00 00",
        "62 80 " OTID "6b 80 28 80 06 07 00 11 86 05 01 01 01 a0 80 60 80 80 02 07 80 " ACN
        "00 00 00 00 00 00 00 00 " COMPS " 00 00",
    };
    for (size_t i = 0; i < sizeof indef / sizeof *indef; i++) {
        n = check_hex(indef[i], m, sizeof m);
        CHECK(n > 0);
        ssgw_buf_init(&canon, canon_mem, sizeof canon_mem);
        ssgw_buf_init(&out, out_mem, sizeof out_mem);
        ssgw_buf_init(&back, back_mem, sizeof back_mem);
        CHECK_INT(ssgw_token_prepare(m, (size_t)n, &pl, &canon, &changed, &e), 0);
        CHECK(!changed);
        example_token(&t, SSGW_TOKEN_MODE_ECDSA_P256, pl);
        CHECK_INT(ssgw_token_insert(m, (size_t)n, &t, &out, &e), 0);
        CHECK_INT(ssgw_token_strip(out.data, out.len, &s, &back, NULL, &e), 1);
        CHECK_MEM(back.data, back.len, m, (size_t)n);
        ssgw_tcap_msg tm;
        CHECK_INT(ssgw_tcap_decode(m, (size_t)n, &tm, &e), 0);
    }
}

/* Every message of the generated corpus: prepare changes nothing, insert + strip gives
 * the original back, in each placement the message calls for. */
static void test_corpus_roundtrip(void)
{
    static uint8_t msg[4096], canon_mem[8192], out_mem[8192], back_mem[8192];
    unsigned per_place[SSGW_TOKEN_PLACE_COUNT] = {0}, refused = 0, exact = 0, total = 0;
    size_t added_min = 9999, added_max = 0;
    for (uint64_t i = 0; i < 6000; i++) {
        ssgw_buf g, canon, out, back;
        ssgw_gen_info info;
        ssgw_error e = {0};
        ssgw_buf_init(&g, msg, sizeof msg);
        if (ssgw_gen_tcap(7, i, &g, &info, &e) < 0 || g.overflow) continue;
        total++;
        ssgw_token_placement pl;
        bool changed = true;
        ssgw_buf_init(&canon, canon_mem, sizeof canon_mem);
        if (ssgw_token_prepare(g.data, g.len, &pl, &canon, &changed, &e) < 0) {
            /* only an Abort with a P-AbortCause may be refused */
            CHECK_INT(info.tcap_type, SSGW_TCAP_ABORT);
            CHECK_INT(e.code, SSGW_E_UNSUPPORTED);
            refused++;
            continue;
        }
        CHECK(!changed);
        per_place[pl]++;
        ssgw_token t, s;
        example_token(&t, (ssgw_token_mode)(i % 3), pl);
        ssgw_buf_init(&out, out_mem, sizeof out_mem);
        ssgw_buf_init(&back, back_mem, sizeof back_mem);
        CHECK_INT(ssgw_token_insert(g.data, g.len, &t, &out, &e), 0);
        size_t tb = 0;
        CHECK_INT(ssgw_token_strip(out.data, out.len, &s, &back, &tb, &e), 1);
        if (back.len == g.len && memcmp(back.data, g.data, g.len) == 0)
            exact++;
        else
            fprintf(stderr, "index %llu: strip differs\n", (unsigned long long)i);
        if (tb < added_min) added_min = tb;
        if (tb > added_max) added_max = tb;
    }
    CHECK_INT(exact + refused, total);
    /* the generator has no user information of its own: appending is covered above */
    CHECK(per_place[1] > 0 && per_place[2] > 0);
    printf("  corpus: %u messages, %u restored byte-exact, %u refused (p-abort); "
           "placements appended/added/dialogue = %u/%u/%u; token adds %zu..%zu octets\n",
           total, exact, refused, per_place[0], per_place[1], per_place[2], added_min, added_max);
}

int main(void)
{
    RUN(test_names);
    RUN(test_codec_example);
    RUN(test_codec_rejects);
    RUN(test_placements);
    RUN(test_refusals);
    RUN(test_strip_malformed);
    RUN(test_noncanonical_lengths);
    RUN(test_corpus_roundtrip);
    return check_summary();
}
