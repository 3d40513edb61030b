/*
 * token_int.h - the token codec's two paths (not a public API). The token's DER has one
 * layout per mode (docs/wire-format.md): only the time's length, the time, the nonce and
 * the tag change. ssgw_token_encode / ssgw_token_decode (token.h) write it from that fixed
 * template and read it from fixed offsets with one length check, and fall back to the
 * general BER code below for anything else (so errors are the general decoder's). The
 * EXTERNAL that carries the token in TCAP is written the same way (token_tcap.c).
 * tests/unit/test_token_paths.c runs both paths on the same inputs.
 */
#ifndef SSGW_TRUST_TOKEN_INT_H
#define SSGW_TRUST_TOKEN_INT_H

#include "ssgw/token.h"

/* The longest token DER: SEQUENCE header, mode, placement, key id, time (up to 6 octets),
 * nonce, a 64-octet tag. */
#define SSGW_TOKEN_DER_MAX (2 + 3 + 3 + 10 + 8 + 10 + 2 + SSGW_TOKEN_TAG_MAX)

/* The general decoder: ssgw_token_decode without the fixed-offset path. */
int ssgw_token_decode_general(const uint8_t *buf, size_t len, ssgw_token *out, ssgw_error *err);
/* The general encoder (the BER builder): what ssgw_token_encode appends, for a valid t. */
int ssgw_token_encode_general(ssgw_buf *b, const ssgw_token *t, ssgw_error *err);
/* The template: the DER of t (which must pass ssgw_token_encode's checks) into out;
 * returns its length. */
size_t ssgw_token_der(const ssgw_token *t, uint8_t out[SSGW_TOKEN_DER_MAX]);

/* The longest EXTERNAL (with its [APPLICATION 11] or [30] wrapper) around a token. */
#define SSGW_TOKEN_WRAP_MAX (4 + 4 + 2 + 21 + 4 + SSGW_TOKEN_DER_MAX)

/* What the signer inserts for placement: [APPLICATION 11] / [30] when it adds one, the
 * EXTERNAL { token OID, [0] token (dialogue-added) or [1] IMPLICIT OCTET STRING }. Written
 * into out (SSGW_TOKEN_WRAP_MAX octets); returns the length, 0 for a bad placement. */
size_t ssgw_token_wrap(ssgw_token_placement placement, const uint8_t *der, size_t n,
                       uint8_t out[SSGW_TOKEN_WRAP_MAX]);
/* The same with the BER builder (the general path); appends to b. */
void ssgw_token_wrap_general(ssgw_token_placement placement, const uint8_t *der, size_t n,
                             ssgw_buf *b);

#endif
