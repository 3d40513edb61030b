/*
 * trust_policy.c - names and the decision of the signed-signalling vocabulary
 * (include/ssgw/trust_policy.h): what configuration parses and what the
 * pipeline applies to each verification outcome.
 */
#include "ssgw/trust_policy.h"

#include <string.h>

static const char *const token_mode_names[SSGW_TOKEN_MODE_COUNT] = {"ecdsa-p256", "ed25519",
                                                                    "hmac-sha256-128"};

const char *ssgw_token_mode_name(int mode)
{
    return mode >= 0 && mode < SSGW_TOKEN_MODE_COUNT ? token_mode_names[mode] : "unknown";
}

int ssgw_token_mode_parse(const char *name)
{
    for (int i = 0; i < SSGW_TOKEN_MODE_COUNT; i++)
        if (name && strcmp(name, token_mode_names[i]) == 0) return i;
    return -1;
}

static const char *const outcome_names[SSGW_TRUST_OUTCOME_COUNT] = {"ok",
                                                                    "missing",
                                                                    "malformed",
                                                                    "unknown_key",
                                                                    "bad_signature",
                                                                    "expired",
                                                                    "not_yet_valid",
                                                                    "revoked",
                                                                    "gt_not_authorised",
                                                                    "stale",
                                                                    "replay",
                                                                    "bundle_expired",
                                                                    "number_not_authorised",
                                                                    "old_version",
                                                                    "replay_full"};
static const char *const mode_names[] = {"require", "verify-if-present", "off"};
static const char *const action_names[] = {"drop", "allow", "alert"};

const char *ssgw_trust_outcome_name(int o)
{
    return o >= 0 && o < SSGW_TRUST_OUTCOME_COUNT ? outcome_names[o] : "unknown";
}

const char *ssgw_trust_mode_name(int m)
{
    return m >= 0 && m < 3 ? mode_names[m] : "unknown";
}

int ssgw_trust_mode_parse(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (name && strcmp(name, mode_names[i]) == 0) return i;
    return -1;
}

const char *ssgw_trust_action_name(int a)
{
    return a >= 0 && a < 3 ? action_names[a] : "unknown";
}

int ssgw_trust_action_parse(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (name && strcmp(name, action_names[i]) == 0) return i;
    return -1;
}

void ssgw_trust_policy_default(ssgw_trust_policy *p)
{
    p->mode = SSGW_TRUST_REQUIRE;
    for (int i = 0; i < SSGW_TRUST_OUTCOME_COUNT; i++)
        p->action[i] = SSGW_TRUST_ACTION_DROP;
    p->action[SSGW_TRUST_OK] = SSGW_TRUST_ACTION_ALLOW;
}

ssgw_trust_action ssgw_trust_decide(const ssgw_trust_policy *p, ssgw_trust_outcome o)
{
    if ((int)o < 0 || o >= SSGW_TRUST_OUTCOME_COUNT) return SSGW_TRUST_ACTION_DROP;
    if (o == SSGW_TRUST_OK) return SSGW_TRUST_ACTION_ALLOW;
    switch (p->mode) {
    case SSGW_TRUST_OFF:
        return SSGW_TRUST_ACTION_ALLOW;
    case SSGW_TRUST_VERIFY_IF_PRESENT:
        if (o == SSGW_TRUST_MISSING) return SSGW_TRUST_ACTION_ALLOW;
        /* fall through */
    case SSGW_TRUST_REQUIRE: {
        ssgw_trust_action a = p->action[o];
        return a == SSGW_TRUST_ACTION_ALLOW || a == SSGW_TRUST_ACTION_ALERT
                   ? a
                   : SSGW_TRUST_ACTION_DROP;
    }
    default:
        return SSGW_TRUST_ACTION_DROP;
    }
}

void ssgw_trust_config_default(ssgw_trust_config *c)
{
    c->window_s = 60;
    c->replay_entries = (size_t)1 << 20;
    c->replay_share = SSGW_TRUST_REPLAY_SHARE_DEFAULT;
}

size_t ssgw_trust_replay_capacity_for(uint64_t rate, int64_t window_s)
{
    if (window_s < 0) window_s = 0;
    uint64_t live = rate * (uint64_t)(2 * window_s + 1);
    return (size_t)(live + live / 3 + 16);
}
