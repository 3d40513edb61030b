/*
 * gw_pipeline.c - the live gateway's policy pipeline (include/ssgw/gw_pipeline.h):
 * the inspection hook applying the firewall (include/ssgw/inspect.h) and the
 * security token (include/ssgw/trust_msg.h) to every DATA message, the JSON
 * events file and the HTML report.
 *
 * Direction follows the link (docs/operations.md): DATA arriving on an outer
 * link comes from the interconnect (inbound: trust verify + strip, then the
 * firewall with direction inbound); DATA arriving on an inner link leaves on an
 * outer one (outbound: the firewall learns state, then the token is added).
 *
 * Segmented SCCP (XUDT with a Segmentation parameter, Q.714 4.1.1) with trust
 * on: the token covers the whole TCAP message, so the segments before the last
 * are held by the decoder's reassembly and not forwarded (counted as dropped,
 * "trust.segment_held"); the last one is replaced by the stripped or signed
 * message, re-segmented as needed (ssgw_trust_sign_view / _verify_view).
 *
 * Nothing here allocates per message: the answer and the modified messages are
 * written into the gateway's scratch (act->out), trust outputs into fixed
 * buffers, the event record into a fixed buffer, buffered by stdio.
 *
 * Threads ([gateway] workers = N): the hook runs on N inspection threads. Each
 * lane (thread) has its own decoder, scratch, counters and trust context (its
 * own OpenSSL contexts; the replay cache is shared, see ssgw_trust_new_sibling),
 * so decoding, token verification and signing run in parallel. The firewall's
 * state (subscriber records, rate limits, dialogues), the report, the check-name
 * table and the events file are shared: one mutex covers them, held for the
 * ssgw_inspect call and the bookkeeping around it. A reload waits, through a
 * writer-preferring rwlock, until no lane is inside a message.
 */
#include "ssgw/gw_pipeline.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "gateway/gw_workers.h"
#include "ssgw/inspect.h"
#include "ssgw/policy.h"
#include "ssgw/record.h"
#include "ssgw/report.h"
#include "ssgw/trust_msg.h"

#define OUT_MSG_CAP (4096 + 256)
#define MAX_NAMES   128
#define REC_CAP     20000

/* One loaded policy with its trust material and inspector. */
typedef struct {
    ssgw_policy *pol;
    const ssgw_policy_trust *tcfg; /* NULL without [trust] */
    ssgw_trust_setup setup;
    ssgw_trust *t;                  /* lane 0's context; owns the replay cache */
    ssgw_trust *lt[GW_WORKERS_MAX]; /* per lane: lt[0] == t, the others siblings of t */
    ssgw_inspector *ins;
    bool loaded;
} pl_state;

typedef struct {
    char name[64];
    uint64_t n;
} name_count;

/* Counters of one lane: written by its thread only, read by the status (relaxed atomics). */
typedef struct {
    uint64_t inbound, outbound, verdicts[SSGW_ACT_COUNT];
    uint64_t trust_outcomes[SSGW_TRUST_OUTCOME_COUNT], trust_actions[3];
    uint64_t stripped, signed_msgs, sign_refused, segments_held, answers_failed;
    uint64_t events_written, events_too_large;
} pl_counters;

/* Per-message scratch and counters of one lane (inspection thread). */
typedef struct {
    uint8_t outmem[SSGW_TRUST_MAX_OUT][OUT_MSG_CAP];
    ssgw_buf outs[SSGW_TRUST_MAX_OUT];
    ssgw_verdict vd;
    char rec[REC_CAP];
    pl_counters c;
} pl_lane;

struct ssgw_gw_pipeline {
    char policy_path[512], events_path[512], report_path[512];
    bool events_all, next_events_all;
    pl_state owner; /* the first policy: its inspector owns the state store, kept for life */
    pl_state cur;   /* in use (may be the owner) */
    pl_state next;  /* prepared by a reload */
    ssgw_gw_default_inspector *dec;
    FILE *events;
    ssgw_report *rep;
    uint64_t reloads;
    name_count names[MAX_NAMES]; /* interned check names: stable for the gateway's counters */
    size_t n_names;
    /* lanes: 1 without workers */
    unsigned n_lanes;
    pl_lane *lanes;
    bool mt; /* several lanes: the locks below are used */
    bool locks_ready;
    pthread_rwlock_t cfg_lock;  /* read: a lane inside a message; write: commit of a reload */
    pthread_mutex_t state_lock; /* inspector state, report, names, events file */
};

/* A lane's counter: one writer (its thread); the status reads it from the loop thread. */
static void bump(uint64_t *c)
{
    __atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

/* The sum of one counter over the lanes (off = its offset in pl_counters). */
static uint64_t total(const ssgw_gw_pipeline *p, size_t off)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < p->n_lanes; i++)
        n += __atomic_load_n((const uint64_t *)((const char *)&p->lanes[i].c + off),
                             __ATOMIC_RELAXED);
    return n;
}
#define TOTAL(p, field) total((p), offsetof(pl_counters, field))

static void lock_state(ssgw_gw_pipeline *p)
{
    if (p->mt) pthread_mutex_lock(&p->state_lock);
}

static void unlock_state(ssgw_gw_pipeline *p)
{
    if (p->mt) pthread_mutex_unlock(&p->state_lock);
}

static const char *const trust_reasons[SSGW_TRUST_OUTCOME_COUNT] = {"trust.ok",
                                                                    "trust.missing",
                                                                    "trust.malformed",
                                                                    "trust.unknown_key",
                                                                    "trust.bad_signature",
                                                                    "trust.expired",
                                                                    "trust.not_yet_valid",
                                                                    "trust.revoked",
                                                                    "trust.gt_not_authorised",
                                                                    "trust.stale",
                                                                    "trust.replay"};

/* A stable copy of a check name (rule names live in the policy, which a reload frees). */
static name_count *intern(ssgw_gw_pipeline *p, const char *s)
{
    for (size_t i = 0; i < p->n_names; i++)
        if (!strcmp(p->names[i].name, s)) return &p->names[i];
    if (p->n_names == MAX_NAMES) return &p->names[MAX_NAMES - 1];
    name_count *n = &p->names[p->n_names++];
    snprintf(n->name, sizeof n->name, "%s", p->n_names == MAX_NAMES ? "other" : s);
    return n;
}

/* ---- loading ---------------------------------------------------------------------- */

static void state_free(pl_state *s)
{
    if (!s->loaded) return;
    ssgw_inspector_free(s->ins);
    for (size_t i = 1; i < GW_WORKERS_MAX; i++)
        ssgw_trust_free(s->lt[i]);
    ssgw_trust_free(s->t);
    ssgw_trust_setup_free(&s->setup);
    ssgw_policy_free(s->pol);
    memset(s, 0, sizeof *s);
}

static int state_load(pl_state *s, const char *path, ssgw_store *store, unsigned lanes, char *err,
                      size_t errlen)
{
    static ssgw_config_errors errs;
    memset(s, 0, sizeof *s);
    s->loaded = true;
    s->pol = ssgw_policy_load_file(path, &errs);
    if (!s->pol) {
        size_t o = 0;
        err[0] = '\0';
        for (size_t i = 0; i < errs.n && o + 1 < errlen; i++) {
            int w = snprintf(err + o, errlen - o, "%s%s", i ? "\n" : "", errs.e[i].text);
            if (w < 0) break;
            o += (size_t)w;
        }
        if (!errs.n) snprintf(err, errlen, "policy %s: cannot be loaded", path);
        return -1;
    }
    const ssgw_policy_trust *tc = ssgw_policy_trust_get(s->pol);
    if (tc->present) {
        s->tcfg = tc;
        char e[1024];
        if (ssgw_trust_setup_load(&s->setup, tc, 0, time(NULL), e, sizeof e) < 0) {
            snprintf(err, errlen, "policy %s: %s", path, e);
            return -1;
        }
        if (tc->sign != SSGW_TRUST_SIGN_NONE && !s->setup.sign_key) {
            snprintf(err, errlen, "policy %s: [trust] sign = \"%s\" but key is not set", path,
                     ssgw_trust_sign_to_name(tc->sign));
            return -1;
        }
        s->t = ssgw_trust_new(s->setup.kr, &tc->cfg);
        if (!s->t) {
            snprintf(err, errlen, "policy %s: out of memory (trust context)", path);
            return -1;
        }
        s->lt[0] = s->t;
        for (unsigned i = 1; i < lanes; i++)
            if (!(s->lt[i] = ssgw_trust_new_sibling(s->t))) {
                snprintf(err, errlen, "policy %s: out of memory (trust context)", path);
                return -1;
            }
    }
    s->ins = ssgw_inspector_new(s->pol, store);
    if (!s->ins) {
        snprintf(err, errlen, "policy %s: out of memory (inspector)", path);
        return -1;
    }
    return 0;
}

ssgw_gw_pipeline *ssgw_gw_pipeline_new(const ssgw_gw_config *cfg, char *err, size_t errlen)
{
    ssgw_gw_pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(p->policy_path, sizeof p->policy_path, "%s", cfg->policy);
    snprintf(p->events_path, sizeof p->events_path, "%s", cfg->events);
    snprintf(p->report_path, sizeof p->report_path, "%s", cfg->report);
    p->events_all = cfg->events_all;
    p->n_lanes = cfg->workers ? cfg->workers : 1;
    p->mt = p->n_lanes > 1;
    pthread_rwlockattr_t ra;
    pthread_rwlockattr_init(&ra);
    /* a reload must not wait behind an endless stream of readers */
    pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    bool locks_ok = pthread_rwlock_init(&p->cfg_lock, &ra) == 0;
    pthread_rwlockattr_destroy(&ra);
    if (locks_ok && pthread_mutex_init(&p->state_lock, NULL) != 0) {
        pthread_rwlock_destroy(&p->cfg_lock);
        locks_ok = false;
    }
    p->locks_ready = locks_ok;
    p->lanes = calloc(p->n_lanes, sizeof *p->lanes);
    p->dec = ssgw_gw_default_inspector_new(cfg->drop_malformed, p->n_lanes);
    p->rep = ssgw_report_new(500);
    if (!p->lanes || !p->dec || !p->rep || !locks_ok) {
        snprintf(err, errlen, "out of memory");
        ssgw_gw_pipeline_free(p);
        return NULL;
    }
    if (state_load(&p->owner, cfg->policy, NULL, p->n_lanes, err, errlen) < 0) {
        ssgw_gw_pipeline_free(p);
        return NULL;
    }
    p->cur = p->owner;
    if (cfg->events[0]) {
        p->events = fopen(cfg->events, "a");
        if (!p->events) {
            snprintf(err, errlen, "events '%s': %s", cfg->events, strerror(errno));
            ssgw_gw_pipeline_free(p);
            return NULL;
        }
        setvbuf(p->events, NULL, _IOFBF, 1 << 16);
    }
    if (cfg->report[0]) {
        /* fail at start-up, not at shutdown, when the report cannot be written */
        FILE *f = fopen(cfg->report, "a");
        if (!f) {
            snprintf(err, errlen, "report '%s': %s", cfg->report, strerror(errno));
            ssgw_gw_pipeline_free(p);
            return NULL;
        }
        fclose(f);
    }
    return p;
}

void ssgw_gw_pipeline_free(ssgw_gw_pipeline *p)
{
    if (!p) return;
    if (p->cur.ins != p->owner.ins) state_free(&p->cur);
    state_free(&p->next);
    state_free(&p->owner);
    if (p->events) fclose(p->events);
    ssgw_report_free(p->rep);
    ssgw_gw_default_inspector_free(p->dec);
    free(p->lanes);
    if (p->locks_ready) {
        pthread_rwlock_destroy(&p->cfg_lock);
        pthread_mutex_destroy(&p->state_lock);
    }
    free(p);
}

int ssgw_gw_pipeline_prepare(ssgw_gw_pipeline *p, const ssgw_gw_config *cfg, char *err,
                             size_t errlen)
{
    state_free(&p->next);
    if (strcmp(cfg->events, p->events_path) || strcmp(cfg->report, p->report_path) ||
        !cfg->policy[0]) {
        snprintf(err, errlen,
                 "%s: [gateway] policy cannot be removed, events and report cannot change "
                 "without a restart",
                 cfg->path);
        return -1;
    }
    if (state_load(&p->next, cfg->policy, ssgw_inspector_store(p->owner.ins), p->n_lanes, err,
                   errlen) < 0) {
        state_free(&p->next);
        return -1;
    }
    snprintf(p->policy_path, sizeof p->policy_path, "%s", cfg->policy);
    p->next_events_all = cfg->events_all; /* applied by commit, when no lane reads it */
    return 0;
}

void ssgw_gw_pipeline_commit(ssgw_gw_pipeline *p)
{
    if (!p->next.loaded) return;
    if (p->mt) pthread_rwlock_wrlock(&p->cfg_lock); /* no lane inside a message */
    if (p->cur.ins != p->owner.ins) state_free(&p->cur);
    p->cur = p->next;
    p->events_all = p->next_events_all;
    if (p->mt) pthread_rwlock_unlock(&p->cfg_lock);
    memset(&p->next, 0, sizeof p->next);
    p->reloads++;
}

void ssgw_gw_pipeline_abort(ssgw_gw_pipeline *p)
{
    state_free(&p->next);
}

/* ---- events ----------------------------------------------------------------------- */

typedef struct {
    bool trust; /* trust keys below apply */
    ssgw_trust_outcome outcome;
    ssgw_trust_action action;
    const ssgw_trust_policy *tp;
    const char *partner;
    const ssgw_trust_result *res;
    bool signed_msg;
    size_t token_added;
    bool inspected;
    const char *gw_action;
} ev_info;

static void ev_keys(ssgw_json *j, const ssgw_gw_msg *m, uint64_t wall_ms)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%" PRIu64 ".%03u", wall_ms / 1000, (unsigned)(wall_ms % 1000));
    ssgw_json_str(j, "time", tmp);
    ssgw_json_str(j, "link", m->link);
    ssgw_json_str(j, "side", ssgw_gw_side_name(m->from_side));
    ssgw_json_int(j, "stream", m->stream);
}

static void ev_verdict(ssgw_json *j, const ev_info *e, const ssgw_verdict *vd)
{
    ssgw_json_str(j, "action", e->gw_action);
    if (e->inspected) {
        ssgw_json_str(j, "direction", ssgw_direction_name(vd->direction));
        ssgw_json_str(j, "verdict", ssgw_action_name(vd->action));
        ssgw_json_bool(j, "enforced", vd->enforced);
        ssgw_json_str(j, "category", ssgw_category_name(vd->category));
        ssgw_json_str(j, "check", vd->check);
        ssgw_json_str(j, "reason", vd->reason);
        if (vd->action == SSGW_ACT_ANSWER) {
            char a[64];
            ssgw_answer_format(&vd->answer, a, sizeof a);
            ssgw_json_str(j, "answer", a);
        }
    }
    if (e->trust) {
        ssgw_json_str(j, "trust", ssgw_trust_outcome_name(e->outcome));
        ssgw_json_str(j, "trust_action", ssgw_trust_action_name(e->action));
        if (e->tp) ssgw_json_str(j, "trust_policy", ssgw_trust_mode_name(e->tp->mode));
        if (e->partner) ssgw_json_str(j, "partner", e->partner);
        if (e->res && e->res->token_present) {
            ssgw_json_int(j, "token_bytes", (long long)e->res->token_bytes);
            ssgw_json_str(j, "token_mode", ssgw_token_mode_name(e->res->token.mode));
        }
        if (e->res && e->res->signer) {
            ssgw_json_str(j, "signer", e->res->signer->identity.name);
            ssgw_json_str(j, "signer_serial", e->res->signer->serial);
        }
    }
    if (e->signed_msg) {
        ssgw_json_bool(j, "signed", true);
        ssgw_json_int(j, "token_bytes", (long long)e->token_added);
    }
}

/* One event: gateway keys, decode keys, verdict and trust keys. */
typedef struct {
    const ssgw_gw_msg *m;
    const ev_info *e;
    const ssgw_verdict *vd;
    uint64_t wall_ms;
} event_ctx;

static void ev_head(ssgw_json *j, const void *ctx)
{
    const event_ctx *c = ctx;
    ev_keys(j, c->m, c->wall_ms);
}

static void ev_tail(ssgw_json *j, const void *ctx)
{
    const event_ctx *c = ctx;
    ev_verdict(j, c->e, c->vd);
}

static void write_event(ssgw_gw_pipeline *p, pl_lane *ln, ssgw_gw_msg *m, const ev_info *e,
                        uint64_t wall_ms)
{
    if (!p->events) return;
    event_ctx c = {m, e, &ln->vd, wall_ms};
    bool fallback;
    if (ssgw_record_build(ln->rec, sizeof ln->rec, ev_head, m->view, ev_tail, &c, &fallback) < 0)
        return;
    if (fallback) bump(&ln->c.events_too_large);
    lock_state(p);
    fputs(ln->rec, p->events);
    fputc('\n', p->events);
    unlock_state(p);
    bump(&ln->c.events_written);
}

void ssgw_gw_pipeline_flush(ssgw_gw_pipeline *p)
{
    if (!p || !p->events) return;
    lock_state(p);
    fflush(p->events);
    unlock_state(p);
}

/* ---- the hook --------------------------------------------------------------------- */

static int put_outs(ssgw_gw_action *act, const ssgw_buf *outs, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (outs[i].overflow || o + outs[i].len > act->out_cap) return -1;
        memcpy(act->out + o, outs[i].data, outs[i].len);
        o += outs[i].len;
    }
    act->out_len = o;
    act->verdict = SSGW_GW_FORWARD_MODIFIED;
    return 0;
}

static void reset_outs(pl_lane *ln)
{
    for (size_t i = 0; i < SSGW_TRUST_MAX_OUT; i++)
        ssgw_buf_init(&ln->outs[i], ln->outmem[i], sizeof ln->outmem[i]);
}

/* Inbound: trust first. Returns 1 when the message is decided (dropped) here. */
static int inbound_trust(const pl_state *s, pl_lane *ln, ssgw_trust *t, ssgw_gw_msg *m,
                         ssgw_gw_action *act, ev_info *e, ssgw_trust_result *res,
                         ssgw_trust_policy *tp, bool monitor, time_t now)
{
    ssgw_view *v = m->view;
    if (!t || !v->has_sccp) return 0;
    e->partner = ssgw_policy_trust_for_gt(s->pol, v->sccp.calling.digits, tp);
    if (v->reasm == SSGW_VIEW_REASM_PENDING) {
        if (tp->mode == SSGW_TRUST_OFF) return 0;
        bump(&ln->c.segments_held);
        act->verdict = SSGW_GW_DROP;
        act->reason = "trust.segment_held";
        return 1;
    }
    if (!ssgw_trust_view_verifiable(v)) return 0;
    reset_outs(ln);
    size_t nout = 0;
    e->outcome = ssgw_trust_verify_view(t, v, now, res, ln->outs, SSGW_TRUST_MAX_OUT, &nout);
    e->action = ssgw_trust_decide(tp, e->outcome);
    e->trust = true;
    e->tp = tp;
    e->res = res;
    if ((unsigned)e->outcome < SSGW_TRUST_OUTCOME_COUNT) bump(&ln->c.trust_outcomes[e->outcome]);
    if ((unsigned)e->action < 3) bump(&ln->c.trust_actions[e->action]);
    const char *why = (unsigned)e->outcome < SSGW_TRUST_OUTCOME_COUNT ? trust_reasons[e->outcome]
                                                                      : "trust.unknown";
    if (e->action == SSGW_TRUST_ACTION_DROP && !monitor) {
        act->verdict = SSGW_GW_DROP;
        act->reason = why;
        return 1;
    }
    if (e->action != SSGW_TRUST_ACTION_ALLOW) {
        act->alert = true;
        act->reason = why;
    }
    if (nout > 0) {
        if (put_outs(act, ln->outs, nout) < 0) {
            act->verdict = SSGW_GW_DROP;
            act->reason = "trust.strip_failed";
            return 1;
        }
        bump(&ln->c.stripped);
    } else if (v->reasm == SSGW_VIEW_REASM_COMPLETE && tp->mode != SSGW_TRUST_OFF) {
        /* its earlier segments were held: without a token there is nothing to re-emit */
        act->verdict = SSGW_GW_DROP;
        act->reason = "trust.segments_unsigned";
        return 1;
    }
    return 0;
}

/* Outbound: the token, per [trust] sign. */
static void outbound_sign(const pl_state *s, pl_lane *ln, ssgw_trust *t, ssgw_gw_msg *m,
                          ssgw_gw_action *act, ev_info *e, time_t now)
{
    ssgw_view *v = m->view;
    const ssgw_policy_trust *tc = s->tcfg;
    if (!t || !tc || tc->sign == SSGW_TRUST_SIGN_NONE || !v->has_sccp || v->has_error) return;
    const ssgw_bundle_member *mb = ssgw_bundle_find_gt(s->setup.bundle, v->sccp.called.digits);
    if (tc->sign == SSGW_TRUST_SIGN_MEMBERS &&
        (!ssgw_policy_is_home_gt(s->pol, v->sccp.calling.digits) || !mb || mb == s->setup.self))
        return;
    if (tc->mode == SSGW_TOKEN_MODE_HMAC && !mb) return;
    if (v->reasm == SSGW_VIEW_REASM_PENDING) {
        bump(&ln->c.segments_held);
        act->verdict = SSGW_GW_DROP;
        act->reason = "trust.segment_held";
        return;
    }
    if (!v->has_tcap) return;
    reset_outs(ln);
    ssgw_trust_sign_info info;
    ssgw_error err;
    int n =
        ssgw_trust_sign_view(t, tc->mode, tc->mode == SSGW_TOKEN_MODE_HMAC ? mb->sign_key_id : NULL,
                             v, now, ln->outs, SSGW_TRUST_MAX_OUT, &info, &err);
    if (n > 0 && put_outs(act, ln->outs, (size_t)n) == 0) {
        bump(&ln->c.signed_msgs);
        e->signed_msg = true;
        e->token_added = info.added;
        return;
    }
    if (n != 0) {
        /* not signed: it goes out as it is, reported; the receiver's policy decides */
        bump(&ln->c.sign_refused);
        act->verdict = SSGW_GW_FORWARD;
        act->alert = true;
        act->reason = "trust.sign_refused";
    }
}

/* The firewall on a decoded message (under the state lock when lanes share it). */
static void firewall(ssgw_gw_pipeline *p, const pl_state *s, pl_lane *ln, ssgw_gw_msg *m,
                     ssgw_gw_action *act, bool inbound, uint64_t wall_ms)
{
    ssgw_msg_meta meta = {wall_ms, inbound ? SSGW_DIR_INBOUND : SSGW_DIR_OUTBOUND, false, 0};
    ssgw_verdict *vd = &ln->vd;
    lock_state(p);
    ssgw_inspect(s->ins, m->view, &meta, vd);
    ssgw_report_add(p->rep, NULL, m->view, vd);
    bool judged = vd->action != SSGW_ACT_ALLOW;
    const char *check = NULL;
    if (judged) {
        name_count *nc = intern(p, vd->check);
        nc->n++;
        check = nc->name;
    }
    unlock_state(p);
    bump(&ln->c.verdicts[vd->action]);
    if (judged && !vd->pass) {
        if (vd->action == SSGW_ACT_ANSWER) {
            ssgw_buf b;
            ssgw_error err;
            ssgw_buf_init(&b, act->out, act->out_cap);
            if (ssgw_answer_build(m->view, &vd->answer, &b, &err) == 0 && !b.overflow) {
                act->verdict = SSGW_GW_ANSWER;
                act->out_len = b.len;
            } else {
                bump(&ln->c.answers_failed);
                act->verdict = SSGW_GW_DROP;
            }
        } else
            act->verdict = SSGW_GW_DROP;
        act->reason = check;
        act->alert = false;
    } else if (judged) {
        act->alert = true; /* alert, or monitor mode: forwarded and reported */
        act->reason = check;
    }
}

/* A message the trust check alone dropped, in the report's terms (a drop, its check the
 * trust outcome), so the report shows what the firewall never saw. */
static void report_trust_drop(ssgw_gw_pipeline *p, pl_lane *ln, const ssgw_view *v,
                              const ev_info *e, const char *why)
{
    ssgw_verdict *vd = &ln->vd;
    memset(vd, 0, sizeof *vd);
    vd->action = SSGW_ACT_DROP;
    vd->enforced = true;
    vd->direction = SSGW_DIR_INBOUND;
    vd->opcode = -1;
    if (v->has_tcap)
        for (unsigned i = 0; i < v->ncomp && vd->opcode < 0; i++)
            if (v->comp[i].type == SSGW_TCAP_COMP_INVOKE &&
                v->comp[i].opcode.kind == SSGW_TCAP_CODE_LOCAL && v->comp[i].opcode.local >= 0 &&
                v->comp[i].opcode.local <= 127)
                vd->opcode = (int)v->comp[i].opcode.local;
    vd->category = v->has_tcap && !v->acn_other ? ssgw_policy_category(v->acn, false, vd->opcode)
                                                : SSGW_CAT_NONE;
    vd->check = why;
    snprintf(vd->reason, sizeof vd->reason, "security token: %s (partner %s, policy %s)",
             e->trust ? ssgw_trust_outcome_name(e->outcome) : "segment held",
             e->partner ? e->partner : "unknown", e->tp ? ssgw_trust_mode_name(e->tp->mode) : "-");
    lock_state(p);
    ssgw_report_add(p->rep, NULL, v, vd);
    unlock_state(p);
}

int ssgw_gw_pipeline_inspect(void *ctx, ssgw_gw_msg *m, ssgw_gw_action *act)
{
    ssgw_gw_pipeline *p = ctx;
    if (m->lane >= p->n_lanes) return -1;
    pl_lane *ln = &p->lanes[m->lane];
    if (p->mt) pthread_rwlock_rdlock(&p->cfg_lock);
    const pl_state *s = &p->cur;
    ssgw_trust *t = s->lt[m->lane];
    struct timeval tv;
    gettimeofday(&tv, NULL);
    uint64_t wall_ms = (uint64_t)tv.tv_sec * 1000u + (uint64_t)tv.tv_usec / 1000u;
    time_t now = tv.tv_sec;
    bool inbound = m->from_side == SSGW_GW_SIDE_OUTER;
    bool monitor = ssgw_policy_monitor(s->pol);
    ssgw_gw_decode(p->dec, m); /* a view with has_error is judged by the policy (malformed) */
    ev_info e;
    memset(&e, 0, sizeof e);
    ssgw_trust_result res;
    ssgw_trust_policy tp;
    memset(&res, 0, sizeof res);
    bool decided = false;
    if (inbound) {
        bump(&ln->c.inbound);
        decided = inbound_trust(s, ln, t, m, act, &e, &res, &tp, monitor, now) == 1;
        if (decided && act->verdict == SSGW_GW_DROP && strcmp(act->reason, "trust.segment_held"))
            report_trust_drop(p, ln, m->view, &e, act->reason);
    } else
        bump(&ln->c.outbound);
    if (!decided) {
        firewall(p, s, ln, m, act, inbound, wall_ms);
        e.inspected = true;
        if (!inbound && act->verdict != SSGW_GW_DROP && act->verdict != SSGW_GW_ANSWER)
            outbound_sign(s, ln, t, m, act, &e, now);
    }
    e.gw_action = ssgw_gw_verdict_name(act->verdict);
    bool simple = act->verdict == SSGW_GW_FORWARD && !act->alert && !e.trust && !e.signed_msg;
    if (act->verdict == SSGW_GW_FORWARD_MODIFIED && !e.signed_msg && !act->alert && e.trust &&
        e.outcome == SSGW_TRUST_OK)
        simple = false; /* verified ones are reported */
    if (p->events_all || !simple) write_event(p, ln, m, &e, wall_ms);
    if (p->mt) pthread_rwlock_unlock(&p->cfg_lock);
    return 0;
}

/* ---- status and report ------------------------------------------------------------ */

void ssgw_gw_pipeline_status(void *ctx, ssgw_json *j)
{
    ssgw_gw_pipeline *p = ctx;
    pl_state *s = &p->cur;
    ssgw_json_object_begin(j, "pipeline");
    ssgw_json_str(j, "policy", p->policy_path);
    ssgw_json_str(j, "mode", ssgw_policy_monitor(s->pol) ? "monitor" : "enforce");
    ssgw_json_int(j, "lanes", p->n_lanes);
    ssgw_json_int(j, "inbound", (long long)TOTAL(p, inbound));
    ssgw_json_int(j, "outbound", (long long)TOTAL(p, outbound));
    ssgw_json_object_begin(j, "verdicts");
    for (int a = 0; a < SSGW_ACT_COUNT; a++)
        ssgw_json_int(
            j, ssgw_action_name((ssgw_action)a),
            (long long)total(p, offsetof(pl_counters, verdicts) + (size_t)a * sizeof(uint64_t)));
    ssgw_json_object_end(j);
    ssgw_json_object_begin(j, "checks");
    lock_state(p);
    for (size_t i = 0; i < p->n_names; i++)
        if (p->names[i].n) ssgw_json_int(j, p->names[i].name, (long long)p->names[i].n);
    unlock_state(p);
    ssgw_json_object_end(j);
    ssgw_json_bool(j, "trust", s->t != NULL);
    if (s->t) {
        ssgw_json_int(j, "bundle_sequence", (long long)ssgw_bundle_sequence(s->setup.bundle));
        ssgw_json_str(j, "sign", ssgw_trust_sign_to_name(s->tcfg->sign));
        ssgw_json_object_begin(j, "trust_outcomes");
        for (int o = 0; o < SSGW_TRUST_OUTCOME_COUNT; o++)
            ssgw_json_int(j, ssgw_trust_outcome_name(o),
                          (long long)total(p, offsetof(pl_counters, trust_outcomes) +
                                                  (size_t)o * sizeof(uint64_t)));
        ssgw_json_object_end(j);
        ssgw_json_object_begin(j, "trust_actions");
        for (int a = 0; a < 3; a++)
            ssgw_json_int(j, ssgw_trust_action_name(a),
                          (long long)total(p, offsetof(pl_counters, trust_actions) +
                                                  (size_t)a * sizeof(uint64_t)));
        ssgw_json_object_end(j);
        ssgw_json_int(j, "stripped", (long long)TOTAL(p, stripped));
        ssgw_json_int(j, "signed", (long long)TOTAL(p, signed_msgs));
        ssgw_json_int(j, "sign_refused", (long long)TOTAL(p, sign_refused));
        ssgw_json_int(j, "segments_held", (long long)TOTAL(p, segments_held));
    }
    ssgw_json_int(j, "answers_failed", (long long)TOTAL(p, answers_failed));
    ssgw_json_int(j, "events", (long long)TOTAL(p, events_written));
    ssgw_json_int(j, "policy_reloads", (long long)p->reloads);
    ssgw_json_object_end(j);
}

int ssgw_gw_pipeline_write_report(ssgw_gw_pipeline *p, char *err, size_t errlen)
{
    if (!p->report_path[0]) return 0;
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", p->report_path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "report '%s': %s", tmp, strerror(errno));
        return -1;
    }
    lock_state(p);
    int r = ssgw_report_write_html(p->rep, p->cur.ins, "ssgw run", f);
    unlock_state(p);
    if (fclose(f) != 0) r = -1;
    if (r < 0 || rename(tmp, p->report_path) < 0) {
        snprintf(err, errlen, "report '%s': write failed: %s", p->report_path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
