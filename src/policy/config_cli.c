/*
 * config_cli.c - the [cli] section of the policy (calling-line authentication of ISUP
 * calls, include/ssgw/cli.h) compiled from the option table of config.c, the partners'
 * `cli` settings, and the look-ups the pipeline makes per IAM: the partner an IAM
 * arrived from (by its OPC in the partners' point_codes) and whether a calling number is
 * one of the home network's (its msisdn_prefixes).
 */
#include <stdio.h>
#include <string.h>

#include "policy/policy_int.h"
#include "ssgw/digits.h"

/* An x5u template goes into the signed JSON header unescaped: printable ASCII without
 * quote or backslash. */
static bool x5u_ok(const char *s)
{
    for (; *s; s++)
        if (*s < 0x21 || *s > 0x7e || *s == '"' || *s == '\\') return false;
    return true;
}

int policy_compile_cli(ssgw_policy *p, ssgw_config_diag *ec)
{
    ssgw_policy_cli *c = &p->cli;
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < p->n_partners; i++)
        p->partners[i].cli_mode =
            p->partners[i].cli_s ? ssgw_trust_mode_parse(p->partners[i].cli_s) : -1;
    if (!p->has_cli) return 0;
    if (!p->has_trust) {
        ssgw_config_errorf(ec, p->cli_line, 1,
                           "[cli] needs a [trust] section: the attestation is signed with our "
                           "[trust] key and verified against the [trust] bundle");
        return 0;
    }
    c->present = true;
    c->sign = !strcmp(p->cli_sign_s, "all")    ? SSGW_TRUST_SIGN_ALL
              : !strcmp(p->cli_sign_s, "none") ? SSGW_TRUST_SIGN_NONE
                                               : SSGW_TRUST_SIGN_MEMBERS;
    c->attest_gateway = p->cli_attest_gateway;
    ssgw_trust_policy_default(&c->policy);
    c->policy.mode = (ssgw_trust_mode)ssgw_trust_mode_parse(p->cli_inbound_s);
    for (int o = 1; o < SSGW_TRUST_OUTCOME_COUNT; o++)
        if (p->cli_on_s[o])
            c->policy.action[o] = !strcmp(p->cli_on_s[o], "release")
                                      ? SSGW_TRUST_ACTION_DROP
                                      : (ssgw_trust_action)ssgw_trust_action_parse(p->cli_on_s[o]);
    c->mark = !strcmp(p->cli_on_ok_s, "mark");
    c->mark_level = !strcmp(p->cli_mark_level_s, "gateway")   ? 3
                    : !strcmp(p->cli_mark_level_s, "partial") ? 2
                                                              : 1;
    c->release_cause = (int)p->cli_release_cause;
    c->release_timeout = (uint32_t)p->cli_release_timeout;
    c->x5u = p->cli_x5u;
    if (!x5u_ok(c->x5u))
        ssgw_config_errorf(ec, p->cli_line, 1,
                           "[cli] x5u: \"%s\": printable ASCII without spaces, quotes or "
                           "backslashes (it is written into the signed PASSporT header as is)",
                           c->x5u);
    if (c->sign != SSGW_TRUST_SIGN_NONE && p->trust.present && !p->trust.key)
        ssgw_config_errorf(ec, p->cli_line, 1,
                           "[cli] sign = \"%s\" needs [trust] key (our signing key)",
                           p->cli_sign_s);
    return 0;
}

const ssgw_policy_cli *ssgw_policy_cli_get(const ssgw_policy *p)
{
    return &p->cli;
}

uint16_t policy_owner_of_pc(const ssgw_policy *p, uint32_t pc)
{
    for (size_t i = 0; i < p->n_partners; i++)
        for (size_t k = 0; k < p->partners[i].pc.n; k++)
            if ((uint32_t)p->partners[i].pc.v[k] == pc) return OWNER_PARTNER(i);
    return OWNER_NONE;
}

const char *ssgw_policy_cli_for_opc(const ssgw_policy *p, uint32_t opc, ssgw_trust_policy *out)
{
    if (p->cli.present)
        *out = p->cli.policy;
    else
        ssgw_trust_policy_default(out);
    const party *pa = policy_party(p, policy_owner_of_pc(p, opc));
    if (!pa) return NULL;
    if (pa->cli_mode >= 0) out->mode = (ssgw_trust_mode)pa->cli_mode;
    return pa->name;
}

bool ssgw_policy_is_home_number(const ssgw_policy *p, const char *number)
{
    for (size_t i = 0; i < p->home.msisdn.n; i++)
        if (ssgw_digits_has_prefix(number, p->home.msisdn.v[i])) return true;
    return false;
}

bool ssgw_policy_record_sms_text(const ssgw_policy *p)
{
    return p->sms_record_text;
}
