/*
 * fuzz_token.c - libFuzzer target for the security token decoder and the TCAP strip
 * (src/trust/token.c, src/trust/token_tcap.c; docs/wire-format.md).
 *
 * The input is decoded as a token SEQUENCE by both paths of the codec (token_int.h: the
 * fixed-offset path must agree with the general decoder, result, error and token; when it
 * decodes, re-encoding gives the same bytes by the template and by the BER builder: the
 * decoder is DER-strict) and as a signed TC message. When a token is
 * stripped, the stripped message is prepared and the token inserted again; stripping
 * that must give the prepared (canonical) bytes back and the same token. Where the input
 * cannot hold a token, the walk must say so (walk_skip).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/tcap.h"
#include "ssgw/token.h"
#include "ssgw/view.h"
#include "trust/token_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t back[1 << 16], canon[1 << 16], again[1 << 16], back2[1 << 16], enc[256], enc2[256];

/* Both decoding paths on the input: they must agree. */
static void both_paths(const uint8_t *data, size_t size)
{
    ssgw_token a, g;
    ssgw_error ea, eg;
    memset(&ea, 0, sizeof ea);
    memset(&eg, 0, sizeof eg);
    int ra = ssgw_token_decode(data, size, &a, &ea),
        rg = ssgw_token_decode_general(data, size, &g, &eg);
    if (ra != rg) abort();
    if (ra < 0 && (ea.code != eg.code || ea.offset != eg.offset || ea.field != eg.field)) abort();
    if (ra == 0 && (a.mode != g.mode || a.placement != g.placement || a.time != g.time ||
                    a.tag_len != g.tag_len || memcmp(a.key_id, g.key_id, sizeof a.key_id) ||
                    memcmp(a.nonce, g.nonce, sizeof a.nonce) || memcmp(a.tag, g.tag, sizeof a.tag)))
        abort();
}

/* The skip of the strip walk (src/trust/trust_msg.c): no token without the OID's octets,
 * and "no token" for every TC message the TCAP decoder accepts without them and without
 * user information. */
static void walk_skip(const uint8_t *data, size_t size, int r)
{
    static ssgw_tcap_component comps[SSGW_VIEW_MAX_COMPONENTS];
    ssgw_tcap_msg m;
    ssgw_error e;
    unsigned n;
    bool truncated;
    if (ssgw_token_may_be_present(data, size)) return;
    if (r == 1) abort();
    if (r != 0 &&
        ssgw_tcap_decode_all(data, size, &m, comps, SSGW_VIEW_MAX_COMPONENTS, &n, &truncated, &e) ==
            0 &&
        !(m.dialogue_present && m.dialogue.user_info_present))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ssgw_token t, t2;
    ssgw_error e;
    ssgw_buf b, c, a, b2;

    both_paths(data, size);
    if (ssgw_token_decode(data, size, &t, &e) == 0) {
        ssgw_buf_init(&b, enc, sizeof enc);
        if (ssgw_token_encode(&b, &t, &e) != 0 || b.len != size || memcmp(enc, data, size)) abort();
        ssgw_buf_init(&b, enc2, sizeof enc2);
        if (ssgw_token_encode_general(&b, &t, &e) != 0 || b.len != size || memcmp(enc2, data, size))
            abort();
    }

    ssgw_buf_init(&b, back, sizeof back);
    size_t tb = 0;
    int r = ssgw_token_strip(data, size, &t, &b, &tb, &e);
    walk_skip(data, size, r);
    if (r < 0 || r > 1) return 0;
    if (r == 0) {
        if (b.len != 0) abort();
        return 0;
    }
    if (b.overflow) return 0;
    if (b.len + tb != size) abort();

    ssgw_token_placement pl;
    bool changed;
    ssgw_buf_init(&c, canon, sizeof canon);
    if (ssgw_token_prepare(b.data, b.len, &pl, &c, &changed, &e) != 0) return 0;
    if (pl != t.placement) return 0;
    ssgw_buf_init(&a, again, sizeof again);
    if (ssgw_token_insert(c.data, c.len, &t, &a, &e) != 0) return 0;
    ssgw_buf_init(&b2, back2, sizeof back2);
    if (ssgw_token_strip(a.data, a.len, &t2, &b2, NULL, &e) != 1) abort();
    if (b2.len != c.len || memcmp(back2, canon, c.len) != 0) abort();
    if (memcmp(&t2.key_id, &t.key_id, sizeof t.key_id) || t2.time != t.time ||
        t2.tag_len != t.tag_len || memcmp(t2.tag, t.tag, t.tag_len))
        abort();
    return 0;
}
