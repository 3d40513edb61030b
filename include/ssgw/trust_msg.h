/*
 * trust_msg.h - the security token applied to whole M3UA messages.
 *
 * The token layer (token.h) works on TCAP bytes; gateways and capture tools
 * hold M3UA messages. These functions carry a message through: decode, sign
 * or verify+strip the TCAP, re-frame SCCP (UDT -> XUDT or XUDT segments when
 * the token no longer fits; back to UDT after stripping when it fits), and
 * re-wrap in M3UA DATA with the original routing label, routing context and
 * network appearance. The live gateway and `ssgw sign` / `ssgw verify` use
 * the same functions.
 */
#ifndef SSGW_TRUST_MSG_H
#define SSGW_TRUST_MSG_H

#include <stddef.h>
#include <time.h>

#include "ssgw/bundle.h"
#include "ssgw/keyring.h"
#include "ssgw/policy.h"
#include "ssgw/token.h"
#include "ssgw/view.h"

/*
 * A keyring holding every member of a verified bundle (public keys, identity,
 * validity, revocation) and our own private keys (either may be NULL: then we
 * cannot sign in that mode). Keys are referenced, not copied; the bundle may be
 * freed afterwards. Returns NULL with err.
 */
ssgw_keyring *ssgw_keyring_from_bundle(const ssgw_bundle *b, EVP_PKEY *own_sign, EVP_PKEY *own_ka,
                                       char *err, size_t errlen);

/*
 * Everything a gateway or tool needs to sign and verify as the operator a
 * configuration describes ([trust], docs/configuration.md): its own keys (loaded
 * with ssgw_key_load: refused when group/others can read them), the root, the
 * verified bundle and the keyring built from both.
 */
typedef struct ssgw_trust_setup {
    EVP_PKEY *sign_key; /* NULL when [trust] key is unset (verify only) */
    EVP_PKEY *ka_key;   /* NULL when [trust] ka_key is unset */
    X509 *root;
    ssgw_bundle *bundle;
    ssgw_keyring *kr;
    bool has_own_id;
    uint8_t own_key_id[SSGW_KEY_ID_LEN];
    const ssgw_bundle_member *self; /* our own member entry in the bundle, or NULL */
} ssgw_trust_setup;

/*
 * Loads cfg's keys, root and bundle (verified at now; its sequence must be >=
 * min_sequence) and builds the keyring. Returns 0, or -1 with a one-line message
 * naming the file and the problem ("key /x/a.key: mode 0644 lets group/others
 * read the private key; chmod 600 ...", "bundle /x/trust.bundle: bundle sequence
 * 1 is older than the required minimum 2"). s is zeroed first; free it with
 * ssgw_trust_setup_free() in either case.
 */
int ssgw_trust_setup_load(ssgw_trust_setup *s, const ssgw_policy_trust *cfg, uint64_t min_sequence,
                          time_t now, char *err, size_t errlen);
void ssgw_trust_setup_free(ssgw_trust_setup *s);

/* Up to this many M3UA messages come out of one (XUDT segments). */
#define SSGW_TRUST_MAX_OUT 16

/*
 * Signs the TCAP of a decoded DATA message v (as decoded by ssgw_decoder: SCCP
 * reassembled if it was segmented) and writes the resulting M3UA message(s)
 * into outs[0..] (each with capacity for a 4 KiB message). peer_key_id: the
 * receiving operator's key id (fast mode only). Returns the number of
 * messages written, 0 when v carries no TCAP (nothing to sign: forward as is),
 * or -1 with err.
 */
int ssgw_trust_sign_view(ssgw_trust *t, ssgw_token_mode mode, const uint8_t *peer_key_id,
                         const ssgw_view *v, time_t now, ssgw_buf *outs, size_t nouts,
                         ssgw_trust_sign_info *info, ssgw_error *err);

/*
 * Writes v's TCAP message unchanged, framed like v (a message reassembled from XUDT
 * segments is segmented again), into outs[0..]: how a gateway that held segments to
 * verify the whole message re-emits one that carried no token. Returns the number of
 * messages, 0 when v carries no TCAP, or -1 with err.
 */
int ssgw_trust_reframe_view(const ssgw_view *v, ssgw_buf *outs, size_t nouts, ssgw_error *err);

/*
 * Verifies the token of a decoded message v and, when a token was present and
 * understood and v came in M3UA, writes the message with the token removed into
 * outs[0..] (the TCAP bytes exactly as the signer had them; SCCP back to UDT when
 * the received XUDT carried nothing a UDT cannot and the message fits). *nout is
 * the number of messages written: 0 when there was no token, it could not be
 * parsed, or v came in another framing (forward v->buf unchanged, or drop, per
 * policy). Returns the outcome; res gets the details. A message that
 * ssgw_trust_view_judged() but not ssgw_trust_view_verifiable() gets an outcome
 * too, counted: "missing" for ANSI TCAP (no place for a token), "malformed" for
 * SCCP user data that does not decode as TCAP (res->err says why).
 */
/* True when v holds a message ssgw_trust_verify_view() can check (TCAP bytes found), in any
 * framing: M3UA, MTP3 (M2PA, M2UA) or SUA. */
bool ssgw_trust_view_verifiable(const ssgw_view *v);

/* True when v is connectionless SCCP carrying user data (where TCAP travels), or segments
 * reassembled or refused: the messages an inbound partner's policy judges. False for SCCP
 * management (called SSN 1, decoded as such: never signed), segments still held and SCCP
 * messages without user data. */
bool ssgw_trust_view_judged(const ssgw_view *v);

ssgw_trust_outcome ssgw_trust_verify_view(ssgw_trust *t, const ssgw_view *v, time_t now,
                                          ssgw_trust_result *res, ssgw_buf *outs, size_t nouts,
                                          size_t *nout);

/*
 * Writes isup (an ISUP message: v's stripped, marked or attested IAM) framed like v into
 * out: an M3UA DATA with v's routing label, routing context, network appearance and
 * correlation id. Returns 1, 0 when v did not come in M3UA (nothing written), or -1
 * with err.
 */
int ssgw_trust_isup_reframe(const ssgw_view *v, const uint8_t *isup, size_t len, ssgw_buf *out,
                            ssgw_error *err);

#endif
