/*
 * pl_isup.c - the circuits of calls the gateway released (include/ssgw/pipeline.h).
 *
 * When the trust stage (a CLI outcome whose action is release) or the firewall (a check
 * blocking an IAM) refuses a call, the pipeline answers the IAM with a REL towards its
 * originator (Q.764 2.3: the originator then answers RLC and idles the circuit) and
 * forwards nothing inside, so no circuit of the inner network was ever seized. The
 * circuit is recorded in the state store as released (ssgw_store_call, state RELEASED):
 *   - the originator's RLC is absorbed (not forwarded: the inside knows no such call)
 *     and the record forgotten, so no state is left once the release completed;
 *   - a REL of the originator crossing ours (Q.764 2.10.8.1 c) is answered with RLC;
 *   - anything else it sends on the circuit before its RLC (SAM, COT, INF ...) is
 *     dropped; an RSC resets the circuit: the record is forgotten and it goes on;
 *   - a record older than [cli] release_timeout (default 60 s: the originator's T1/T5
 *     would have repeated its REL by then) is forgotten when next seen.
 * Store access is under the pipeline's state lock.
 */
#include <string.h>

#include "inspect/pl_int.h"

static uint32_t release_timeout(const pl_gen *g)
{
    const ssgw_policy_cli *c = ssgw_policy_cli_get(g->pol);
    return c->present ? c->release_timeout : 60;
}

static uint64_t circuit(const ssgw_view *v)
{
    return ssgw_store_circuit_key(v->opc, v->dpc, v->isup.cic);
}

bool pl_isup_guard(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, ssgw_pipeline_result *r,
                   ssgw_buf *out, uint64_t time_ms)
{
    const ssgw_view *v = r->view;
    ssgw_store *s = ssgw_firewall_store(g->fw);
    if (!v->has_isup || !v->has_label || !s->ops->call_get) return false;
    uint32_t now = (uint32_t)(time_ms / 1000);
    ssgw_store_call c;
    uint64_t key = circuit(v);
    pl_lock_state(p);
    int found = s->ops->call_get(s, key, &c) == 1 && c.state == SSGW_CALL_RELEASED;
    if (found && now - c.time > release_timeout(g)) {
        s->ops->call_del(s, key);
        found = 0;
    }
    if (found && (v->isup.type == SSGW_ISUP_RLC || v->isup.type == SSGW_ISUP_RSC))
        s->ops->call_del(s, key);
    pl_unlock_state(p);
    if (!found) return false;
    switch (v->isup.type) {
    case SSGW_ISUP_RLC:
        pl_bump(&ln->c.rlc_absorbed);
        r->action = SSGW_PL_DROP;
        r->reason = "isup.rlc_absorbed";
        return true;
    case SSGW_ISUP_RSC:
        return false; /* a reset: the circuit is idle again on both sides */
    case SSGW_ISUP_REL: {
        ssgw_answer a = {SSGW_ANSWER_ISUP_RLC, 0};
        ssgw_error e;
        out->len = 0;
        out->overflow = false;
        r->reason = "isup.rel_answered";
        if (ssgw_answer_build(v, &a, out, &e) == 0 && !out->overflow) {
            pl_bump(&ln->c.rel_answered);
            r->action = SSGW_PL_ANSWER;
            r->nout = 1;
        } else {
            pl_bump(&ln->c.answers_failed);
            r->action = SSGW_PL_DROP;
        }
        return true;
    }
    default:
        pl_bump(&ln->c.released_dropped);
        r->action = SSGW_PL_DROP;
        r->reason = "isup.released_circuit";
        return true;
    }
}

int pl_isup_release(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, ssgw_pipeline_result *r,
                    ssgw_buf *out, int cause, uint64_t time_ms)
{
    const ssgw_view *v = r->view;
    ssgw_answer a = {SSGW_ANSWER_ISUP_REL, cause};
    ssgw_error e;
    out->len = 0;
    out->overflow = false;
    if (ssgw_answer_build(v, &a, out, &e) < 0 || out->overflow) {
        pl_bump(&ln->c.answers_failed);
        return -1;
    }
    r->action = SSGW_PL_ANSWER;
    r->nout = 1;
    r->released = true;
    pl_bump(&ln->c.calls_released);
    ssgw_store *s = ssgw_firewall_store(g->fw);
    if (v->has_label && s->ops->call_put) {
        ssgw_store_call c = {0, 0, (uint32_t)(time_ms / 1000), SSGW_CALL_RELEASED};
        pl_lock_state(p);
        s->ops->call_put(s, circuit(v), &c);
        pl_unlock_state(p);
    }
    return 0;
}
