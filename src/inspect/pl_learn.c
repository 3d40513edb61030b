/*
 * pl_learn.c - learn mode in the pipeline (include/ssgw/pipeline.h "learn mode"): the
 * learner (include/ssgw/learn.h) belongs to the pipeline, so that a policy reload or a
 * runtime switch does not forget what was observed; each new firewall is given it while
 * its policy has a check in learn mode. The proposal is written when the [learn] period
 * ends (ssgw_pipeline_tick) and on demand (the gateway's SIGUSR1 and management API, the
 * end of `ssgw analyze`), through a temporary file and a rename so that a reader never
 * sees half of it. The text is made under the firewall's lock; the file is written
 * outside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/pl_int.h"
#include "ssgw/file.h"
#include "ssgw/timefmt.h"

static void lock_state(ssgw_pipeline *p)
{
    if (p->mt) pthread_mutex_lock(&p->state_lock);
}

static void unlock_state(ssgw_pipeline *p)
{
    if (p->mt) pthread_mutex_unlock(&p->state_lock);
}

/* A check switched into learn mode at run time. */
static bool switched_to_learn(const ssgw_pipeline *p)
{
    for (size_t i = 0; i < p->n_switches; i++)
        if (p->switches[i].kind == SSGW_PL_SWITCH_CHECK &&
            p->switches[i].state == SSGW_FW_SWITCH_LEARN && p->switches[i].applies)
            return true;
    return false;
}

int pl_learn_attach(ssgw_pipeline *p, pl_gen *g)
{
    bool want = p->cfg.force_learn || ssgw_policy_learning(g->pol) || switched_to_learn(p);
    if (want && !p->learner && !(p->learner = ssgw_learner_new(g->pol))) return -1;
    ssgw_firewall_set_learner(g->fw, want ? p->learner : NULL);
    p->learn_attached = want;
    return 0;
}

/* Where the proposal goes: the front end's choice, else the policy's [learn] output. */
static const char *output(const ssgw_pipeline *p)
{
    if (p->cfg.learn_output) return p->cfg.learn_output;
    return ssgw_policy_learn_output(p->cur.pol);
}

/* The proposal as text (malloc'ed), made under the state lock. NULL with err. */
static char *proposal(ssgw_pipeline *p, size_t *len, char *err, size_t errlen)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f) {
        ssgw_errf(err, errlen, "out of memory");
        return NULL;
    }
    int rc = ssgw_learner_write(p->learner, p->cur.pol, f);
    if (fclose(f) != 0 || rc < 0) {
        free(buf);
        ssgw_errf(err, errlen, "out of memory while writing the proposal");
        return NULL;
    }
    return buf;
}

/* Writes text to path and records the outcome. 0, or -1 with err. */
static int store(ssgw_pipeline *p, const char *path, const char *text, size_t len, char *err,
                 size_t errlen)
{
    int rc = ssgw_file_write_atomic(path, text, len, 0644, err, errlen);
    lock_state(p);
    if (rc == 0) {
        p->learn_writes++;
        p->learn_written_ms = ssgw_time_now_ms();
        p->learn_error[0] = '\0';
    } else {
        snprintf(p->learn_error, sizeof p->learn_error, "%s", err);
    }
    unlock_state(p);
    return rc;
}

int ssgw_pipeline_learn_write(ssgw_pipeline *p, const char *path, char *err, size_t errlen)
{
    if (p->mt) pthread_rwlock_rdlock(&p->cfg_lock);
    lock_state(p);
    char where[1024] = "";
    const char *out = path ? path : output(p);
    if (out) snprintf(where, sizeof where, "%s", out);
    char *text = NULL;
    size_t len = 0;
    int rc = 0;
    if (!p->learner)
        rc = ssgw_errf(err, errlen, "no learning in progress (no check is in learn mode)");
    else if (!where[0])
        rc = ssgw_errf(err, errlen, "no [learn] output: where the proposal goes is not set");
    else if (!(text = proposal(p, &len, err, errlen)))
        rc = -1;
    unlock_state(p);
    if (p->mt) pthread_rwlock_unlock(&p->cfg_lock);
    if (rc == 0) rc = store(p, where, text, len, err, errlen);
    free(text);
    return rc;
}

void pl_learn_tick(ssgw_pipeline *p, uint64_t now_ms)
{
    lock_state(p);
    if (!p->learner || p->learn_done || !ssgw_learner_period_over(p->learner, now_ms)) {
        unlock_state(p);
        return;
    }
    p->learn_done = true;
    ssgw_learner_freeze(p->learner);
    char err[600] = "", where[1024] = "";
    const char *out = output(p);
    if (out) snprintf(where, sizeof where, "%s", out);
    size_t len = 0;
    char *text = where[0] ? proposal(p, &len, err, sizeof err) : NULL;
    if (!where[0]) ssgw_errf(err, sizeof err, "no [learn] output: where the proposal goes");
    unlock_state(p);
    int rc = text ? store(p, where, text, len, err, sizeof err) : -1;
    free(text);
    char d[1200];
    if (rc == 0)
        snprintf(d, sizeof d, "the learn period ended: proposed configuration written to %s",
                 where);
    else
        snprintf(d, sizeof d, "the learn period ended but the proposal was not written: %s", err);
    pl_event(p, rc == 0 ? SSGW_PL_EVENT_LEARN_WRITTEN : SSGW_PL_EVENT_LEARN_FAILED, now_ms, 0, d);
}

void ssgw_pipeline_learn_state(ssgw_pipeline *p, ssgw_pl_learn_state *out)
{
    memset(out, 0, sizeof *out);
    lock_state(p);
    if (p->learner) {
        ssgw_learner_stats st;
        ssgw_learner_get_stats(p->learner, &st);
        out->active = true;
        out->learning = p->learn_attached && !st.frozen;
        out->messages = st.messages;
        out->first_ms = st.first_ms;
        out->last_ms = st.last_ms;
        out->period_ms = st.period_ms;
        out->partners = st.partners;
        out->writes = p->learn_writes;
        out->written_ms = p->learn_written_ms;
        const char *o = output(p);
        snprintf(out->output, sizeof out->output, "%s", o ? o : "");
        snprintf(out->last_error, sizeof out->last_error, "%s", p->learn_error);
    }
    unlock_state(p);
}

void pl_learn_status(ssgw_pipeline *p, ssgw_json *j)
{
    ssgw_pl_learn_state ls;
    ssgw_pipeline_learn_state(p, &ls);
    if (!ls.active) return;
    ssgw_json_object_begin(j, "learn");
    ssgw_json_bool(j, "learning", ls.learning);
    ssgw_json_int(j, "messages", (long long)ls.messages);
    ssgw_json_int(j, "first_ms", (long long)ls.first_ms);
    ssgw_json_int(j, "last_ms", (long long)ls.last_ms);
    ssgw_json_int(j, "period_s", (long long)(ls.period_ms / 1000));
    ssgw_json_int(j, "partners", (long long)ls.partners);
    ssgw_json_str(j, "output", ls.output);
    ssgw_json_int(j, "writes", (long long)ls.writes);
    ssgw_json_int(j, "written_ms", (long long)ls.written_ms);
    if (ls.last_error[0]) ssgw_json_str(j, "error", ls.last_error);
    ssgw_json_object_end(j);
}
