/*
 * trust_int.h - what the trust layer's files share (not a public API): the signing /
 * verification context behind the opaque ssgw_trust of include/ssgw/token.h, used by
 * the security token (verify.c) and the CLI attestation (cli.c) alike, so that both
 * share one keyring, one replay cache and one set of OpenSSL contexts per thread.
 */
#ifndef SSGW_TRUST_INT_H
#define SSGW_TRUST_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ssgw/token.h"

struct ssgw_trust {
    const ssgw_keyring *kr;
    ssgw_trust_config cfg;
    ssgw_replay *replay;
    pthread_mutex_t *replay_lock; /* set once siblings share the cache (owner allocates it) */
    bool sibling;                 /* replay and replay_lock belong to the owner */
    ssgw_token_crypto *crypto;
    uint8_t nonce_prefix[4];
    uint32_t counter;
    ssgw_trust_stats st;
    uint8_t *canon; /* 65536 scratch */
    /* CLI attestation origids: a random base drawn once, a counter folded into it */
    uint8_t origid_base[16];
    uint64_t origid_ctr;                /* 0: base not drawn yet */
    ssgw_trust_replay_hook replay_hook; /* the shared replay cache (security tokens) */
    void *replay_hook_ctx;
};

/* The replay cache's word on (key id, nonce) of a token of signer (charged to its
 * operator): ok (not seen, now recorded), replay (seen inside the window) or replay_full
 * (not recorded: the operator holds its share, or no room without replacing another
 * operator's live entry). Locked when siblings share the cache. */
ssgw_trust_outcome ssgw_trust_replay_check(ssgw_trust *t, const ssgw_keyring_member *signer,
                                           const uint8_t *key_id, const uint8_t *nonce,
                                           uint64_t token_time, time_t now);

/* ssgw_trust_verify()'s outcome for a message its caller knows carries no token (see
 * trust_msg.c): "missing", counted the same way, without walking the message. */
ssgw_trust_outcome ssgw_trust_verify_none(ssgw_trust *t, ssgw_trust_result *res);

/* The outcome for SCCP user data that does not decode as TCAP (see trust_msg.c): "malformed",
 * counted, with why (when not NULL) as the result's error. */
ssgw_trust_outcome ssgw_trust_verify_undecodable(ssgw_trust *t, const ssgw_error *why,
                                                 ssgw_trust_result *res);

#endif
