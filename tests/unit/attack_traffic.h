/*
 * attack_traffic.h - for tests that run labelled attack traffic (ssgw_attack, a fixed seed)
 * through an inspection pipeline and compare verdicts message by message between two
 * configurations (test_store_sizing.c, test_check_lists.c), or look at each message's result
 * (test_pipeline_names.c, test_firewall_partner.c), or decode it (test_fw_keys.c): the generator,
 * the run, a verdict folded into 64 bits, and the run that folds every message's.
 */
#ifndef SSGW_TEST_ATTACK_TRAFFIC_H
#define SSGW_TEST_ATTACK_TRAFFIC_H

#include <stdint.h>

#include "ssgw/attack.h"
#include "ssgw/pipeline.h"

/* One message's verdict (action, deciding check, incident, alert, reason), FNV-1a. */
static inline uint64_t attack_verdict_hash(const ssgw_pipeline_result *r)
{
    uint64_t h = 0xcbf29ce484222325ull;
    uint64_t parts[5] = {(uint64_t)r->action, (uint64_t)r->verdict.action,
                         (uint64_t)(r->verdict.decider + 1), r->verdict.incident,
                         (uint64_t)r->alert};
    for (size_t i = 0; i < 5; i++)
        h = (h ^ parts[i]) * 0x100000001b3ull;
    for (const char *s = r->has_verdict ? r->verdict.reason : ""; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

/* The generator of count messages of the traffic of seed (ssgw_attack_free), or NULL. */
static inline ssgw_attack_gen *attack_gen(uint64_t seed, uint64_t count)
{
    ssgw_attack_opts o;
    ssgw_attack_opts_default(&o);
    o.seed = seed;
    o.count = count;
    ssgw_error e;
    return ssgw_attack_new(&o, &e);
}

/* Runs count messages of the traffic of seed through p (each at its capture time), calling
 * each(ctx, i, result) after message i. 0, or -1 when the traffic could not be made. */
typedef void (*attack_each_fn)(void *ctx, uint64_t i, ssgw_pipeline_result *r);
static inline int attack_run(ssgw_pipeline *p, uint64_t seed, uint64_t count, attack_each_fn each,
                             void *ctx)
{
    ssgw_attack_gen *g = attack_gen(seed, count);
    if (!g) return -1;
    ssgw_error e;
    static uint8_t mem[8192];
    static ssgw_pipeline_result r;
    int rc = 0;
    for (uint64_t i = 0; i < count; i++) {
        ssgw_buf b;
        ssgw_attack_msg m;
        ssgw_buf_init(&b, mem, sizeof mem);
        if (ssgw_attack_next(g, &b, &m, &e) < 0) {
            rc = -1;
            break;
        }
        ssgw_pipeline_msg pm = {.kind = SSGW_CAPTURE_KIND_M3UA,
                                .data = b.data,
                                .len = b.len,
                                .time_ms = (uint64_t)m.ts_sec * 1000 + m.ts_usec / 1000};
        ssgw_pipeline_run(p, &pm, &r);
        each(ctx, i, &r);
    }
    ssgw_attack_free(g);
    return rc;
}

static inline void attack_fold_verdict(void *verdicts, uint64_t i, ssgw_pipeline_result *r)
{
    ((uint64_t *)verdicts)[i] = attack_verdict_hash(r);
}

/* Runs count messages of the traffic of seed through p, each verdict's hash into
 * verdicts[0..count). 0, or -1 when the traffic could not be made. */
static inline int attack_verdicts(ssgw_pipeline *p, uint64_t seed, uint64_t count,
                                  uint64_t *verdicts)
{
    return attack_run(p, seed, count, attack_fold_verdict, verdicts);
}

#endif
