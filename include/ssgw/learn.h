/*
 * learn.h - learn mode (docs/checks.md "Learn mode"): what operators run before they
 * enforce a firewall. The firewall (include/ssgw/firewall.h) shows the learner every
 * message its verdict did not refuse; from them the learner proposes the configuration
 * under which that traffic passes:
 *   - [[partner]] tables: GT prefixes, point codes the partner's traffic arrives from,
 *     MCC-MNC of its subscribers, network element GTs by subsystem (HLR, VLR, MSC, SMSC,
 *     gsmSCF, SGSN), and the category 1 operations it sent as its agreement (`allow`),
 *     with the operations seen per partner; a GT of no partner gets a proposed partner
 *     named after its prefix ([learn] prefix_digits); partners of the policy in use keep
 *     their settings and gain what was seen;
 *   - [rate]: per rate-limited key class (calling GT, IMSI, MAP operation, MSISDN of
 *     sendRoutingInfoForSM) the busiest window of each key, and as the proposed limit the
 *     [learn] rate_percentile of those peaks plus a margin.
 * The proposal is TOML for the operator to review, never applied by itself. The live
 * gateway writes it when [learn] period ends and on demand; `ssgw analyze --learn`
 * writes it from a capture.
 *
 * Memory is bounded by [learn] max_keys (per rate class, and GTs per proposal); what does
 * not fit is counted as untracked and said in the proposal. Not thread-safe: the pipeline
 * calls it under the firewall's lock.
 */
#ifndef SSGW_LEARN_H
#define SSGW_LEARN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ssgw/policy.h"

typedef struct ssgw_learner ssgw_learner;

/* A learner with p's [learn] settings (defaults without the section) and the rate periods
 * of p's [rate]. NULL when out of memory. p is not kept. */
ssgw_learner *ssgw_learner_new(const ssgw_policy *p);
void ssgw_learner_free(ssgw_learner *l);

/* [learn] output of p (absolute, or relative to the working directory), NULL when unset. */
const char *ssgw_policy_learn_output(const ssgw_policy *p);
/* [learn] period of p in milliseconds. */
uint64_t ssgw_policy_learn_period_ms(const ssgw_policy *p);

typedef struct {
    uint64_t messages;          /* observed */
    uint64_t first_ms, last_ms; /* times of the first and the latest observed message */
    uint64_t period_ms;         /* how long it observes */
    bool frozen;                /* the period ended: it observes no more */
    size_t partners;            /* partners the proposal has (known and new) */
    uint64_t untracked;         /* keys or GTs beyond max_keys */
} ssgw_learner_stats;
void ssgw_learner_get_stats(const ssgw_learner *l, ssgw_learner_stats *out);

/* True once a message or a tick at now_ms lies past the period (from the first message). */
bool ssgw_learner_period_over(const ssgw_learner *l, uint64_t now_ms);
/* Stops observing: what was learned stays and can still be written. */
void ssgw_learner_freeze(ssgw_learner *l);

/*
 * Writes the proposed configuration as TOML to out: a comment head (what was observed,
 * when, how rates were chosen), [rate], then a [[partner]] table for every partner of p
 * that learning changed (with its settings from p) and for every new one. p is the
 * policy in use (its partners and [rate] are the base); it may differ from the one the
 * learner was made with (partners are matched by name). Returns 0, or -1 on a write
 * error or when memory ran out.
 */
int ssgw_learner_write(const ssgw_learner *l, const ssgw_policy *p, FILE *out);

#endif
