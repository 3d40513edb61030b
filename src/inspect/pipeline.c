/*
 * pipeline.c - the inspection pipeline (include/ssgw/pipeline.h): loading and
 * reloading a policy with its trust material, the lanes, and the one call every
 * front end makes per message: decode -> direction -> verify (inbound) ->
 * firewall -> sign (outbound) -> one result. The trust stages and the trust
 * lifecycle are in pl_trust.c.
 *
 * Locking (several lanes): a reader-writer lock (writer-preferring, so a reload
 * does not wait behind an endless stream of messages) is held for reading by a
 * lane inside a message and for writing by a commit; the firewall's state (the
 * subscriber store, rate buckets, dialogues) and the interned check names sit
 * behind one mutex held only around the firewall call. Counters are per lane.
 * ssgw_pipeline_decode_ahead decodes on one lane for a run on another (ssgw analyze
 * --threads: one lane judges in capture order, others decode ahead of it).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inspect/pl_int.h"
#include "ssgw/file.h"
#include "ssgw/store_redis.h"

void pl_lock_state(ssgw_pipeline *p)
{
    if (p->mt) pthread_mutex_lock(&p->state_lock);
}

void pl_unlock_state(ssgw_pipeline *p)
{
    if (p->mt) pthread_mutex_unlock(&p->state_lock);
}

#define lock_state   pl_lock_state
#define unlock_state pl_unlock_state

/* A stable copy of a check name (rule names live in the policy, which a reload frees), by
 * its text (intern) or, for a pointer interned since the last commit, by its pointer. Under
 * the state lock. */
static size_t intern_at(ssgw_pipeline *p, const char *s)
{
    for (size_t i = 0; i < p->n_names; i++)
        if (!strcmp(p->names[i].name, s)) return i;
    if (p->n_names == PL_MAX_NAMES) return PL_MAX_NAMES - 1;
    pl_name *n = &p->names[p->n_names++];
    snprintf(n->name, sizeof n->name, "%s", p->n_names == PL_MAX_NAMES ? "other" : s);
    n->n = 0;
    return p->n_names - 1;
}

static const char *intern(ssgw_pipeline *p, const char *s)
{
    pl_name_memo *m = &p->name_memo[((uintptr_t)s * 0x9e3779b97f4a7c15ull) >> 58];
    _Static_assert(PL_NAME_MEMO == 64, "the top 6 bits of the hash");
    if (m->src != s) {
        m->src = s;
        m->at = intern_at(p, s);
    }
    pl_name *n = &p->names[m->at];
    n->n++;
    return n->name;
}

void pl_set_partner(ssgw_pipeline_result *r, const char *name)
{
    r->partner = NULL;
    if (!name) return;
    size_t n = strlen(name);
    if (n >= sizeof r->partner_name) n = sizeof r->partner_name - 1;
    memcpy(r->partner_name, name, n);
    r->partner_name[n] = '\0';
    r->partner = r->partner_name;
}

/* ---- loading ---------------------------------------------------------------------- */

static void gen_free(pl_gen *g)
{
    if (!g->loaded) return;
    ssgw_firewall_free(g->fw);
    pl_trust_free(g);
    ssgw_policy_free(g->pol);
    memset(g, 0, sizeof *g);
}

/* The shared store's events, as the pipeline's. */
static void on_store_event(void *ctx, ssgw_store_event ev, const char *detail)
{
    static const ssgw_pl_event_kind kinds[SSGW_STORE_EVENT_COUNT] = {
        SSGW_PL_EVENT_STATE_DOWN, SSGW_PL_EVENT_STATE_UP, SSGW_PL_EVENT_STATE_QUEUE_FULL};
    if ((unsigned)ev < SSGW_STORE_EVENT_COUNT)
        pl_event(ctx, kinds[ev], (uint64_t)time(NULL) * 1000u, 0, detail);
}

/* What identifies the store [state] asks for (a reload cannot switch stores). */
static void state_identity(const ssgw_state_config *sc, char *out, size_t cap)
{
    int n =
        snprintf(out, cap, "%s %s %s %u", sc->backend == SSGW_STATE_REDIS ? "redis" : "embedded",
                 sc->key_prefix ? sc->key_prefix : "", sc->fail ? "closed" : "local", sc->tls);
    for (size_t i = 0; i < sc->n_nodes && n > 0 && (size_t)n < cap; i++)
        n += snprintf(out + n, cap - (size_t)n, " %s:%u", sc->nodes[i].host,
                      (unsigned)sc->nodes[i].port);
}

#define STATE_TICK_MS 100

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The shared store's thread: every STATE_TICK_MS, under the state lock, the store's tick
 * (adopting a reconnection, replaying and sending held writes). */
static void *state_main(void *arg)
{
    ssgw_pipeline *p = arg;
    pthread_mutex_lock(&p->state_tick_mu);
    while (!p->state_stop) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += STATE_TICK_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&p->state_tick_cv, &p->state_tick_mu, &ts);
        if (p->state_stop) break;
        pthread_mutex_unlock(&p->state_tick_mu);
        pthread_mutex_lock(&p->state_lock);
        p->store->ops->tick(p->store, mono_ms());
        pthread_mutex_unlock(&p->state_lock);
        pthread_mutex_lock(&p->state_tick_mu);
    }
    pthread_mutex_unlock(&p->state_tick_mu);
    return NULL;
}

/* Starts the shared store's thread (it takes no signals: the program's own thread does,
 * e.g. ssgw run's signalfd). 0, or -1. */
static int start_state_thread(ssgw_pipeline *p)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->state_tick_cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&p->state_tick_mu, NULL);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int e = pthread_create(&p->state_thread, NULL, state_main, p);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e) {
        pthread_cond_destroy(&p->state_tick_cv);
        pthread_mutex_destroy(&p->state_tick_mu);
        return -1;
    }
    p->state_thread_on = true;
    return 0;
}

static void stop_state_thread(ssgw_pipeline *p)
{
    if (!p->state_thread_on) return;
    pthread_mutex_lock(&p->state_tick_mu);
    p->state_stop = true;
    pthread_cond_signal(&p->state_tick_cv);
    pthread_mutex_unlock(&p->state_tick_mu);
    pthread_join(p->state_thread, NULL);
    pthread_cond_destroy(&p->state_tick_cv);
    pthread_mutex_destroy(&p->state_tick_mu);
    p->state_thread_on = false;
}

/* Opens the store the policy's [state] (or cfg.state_url) asks for, owned by p. */
static int open_store(ssgw_pipeline *p, const ssgw_policy *pol, char *err, size_t errlen)
{
    ssgw_state_config sc = *ssgw_policy_state(pol);
    if (p->cfg.state_url) {
        sc.backend = SSGW_STATE_REDIS;
        sc.n_nodes = 0;
        char e[300];
        if (ssgw_state_parse_url(p->cfg.state_url, &sc, e, sizeof e) < 0)
            return ssgw_errf(err, errlen, "--state \"%s\": %s", p->cfg.state_url, e);
    }
    p->state_ttl_slack = sc.ttl_slack_s;
    state_identity(&sc, p->state_id, sizeof p->state_id);
    p->store = ssgw_store_open(&sc, p->cfg.state_required, on_store_event, p, err, errlen);
    if (!p->store) return -1;
    p->store_batches = p->store->ops->prefetch && p->store->ops->flush;
    return 0;
}

static int gen_load(ssgw_pipeline *p, pl_gen *g, const char *path, ssgw_store *store, char *err,
                    size_t errlen)
{
    ssgw_config_errors *errs = calloc(1, sizeof *errs);
    memset(g, 0, sizeof *g);
    g->loaded = true;
    if (!errs) return ssgw_errf(err, errlen, "out of memory");
    g->pol = ssgw_policy_load_file(path, errs);
    if (!g->pol) {
        ssgw_config_errors_join(errs, path, err, errlen);
        free(errs);
        return -1;
    }
    free(errs);
    char e[1536];
    if (pl_trust_load(p, g, e, sizeof e) < 0)
        return ssgw_errf(err, errlen, "policy %s: %s", path, e);
    if (!store && open_store(p, g->pol, e, sizeof e) < 0)
        return ssgw_errf(err, errlen, "policy %s: %s", path, e);
    if (!store) store = p->store;
    if (!(g->fw = ssgw_firewall_new(g->pol, store)))
        return ssgw_errf(err, errlen, "policy %s: out of memory (firewall state)", path);
    if (p->cfg.force_monitor) ssgw_firewall_set_monitor(g->fw, true);
    if (p->cfg.force_learn) ssgw_firewall_set_learn_all(g->fw, true);
    return 0;
}

ssgw_pipeline *ssgw_pipeline_new(const ssgw_pipeline_config *cfg, char *err, size_t errlen)
{
    if (!cfg || !cfg->policy) {
        ssgw_errf(err, errlen, "no policy file given");
        return NULL;
    }
    if (cfg->lanes > PL_LANES_MAX) {
        ssgw_errf(err, errlen, "%u lanes: at most %d", cfg->lanes, PL_LANES_MAX);
        return NULL;
    }
    ssgw_pipeline *p = calloc(1, sizeof *p);
    if (!p) {
        ssgw_errf(err, errlen, "out of memory");
        return NULL;
    }
    p->cfg = *cfg;
    snprintf(p->diam_host, sizeof p->diam_host, "%s",
             cfg->diam_origin_host ? cfg->diam_origin_host : "");
    snprintf(p->diam_realm, sizeof p->diam_realm, "%s",
             cfg->diam_origin_realm ? cfg->diam_origin_realm : "");
    p->cfg.diam_origin_host = p->cfg.diam_origin_realm = NULL;
    p->stages = cfg->stages ? cfg->stages : SSGW_PL_ALL;
    p->n_lanes = cfg->lanes ? cfg->lanes : 1;
    p->mt = p->n_lanes > 1 && !cfg->one_runner;
    snprintf(p->policy_path, sizeof p->policy_path, "%s", cfg->policy);
    p->cfg.policy = p->policy_path;
    atomic_init(&p->expired, false);
    pthread_rwlockattr_t ra;
    pthread_rwlockattr_init(&ra);
    pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&p->cfg_lock, &ra);
    pthread_rwlockattr_destroy(&ra);
    pthread_mutex_init(&p->state_lock, NULL);
    pthread_mutex_init(&p->event_lock, NULL);
    p->lanes = calloc(p->n_lanes, sizeof *p->lanes);
    if (!p->lanes) {
        ssgw_errf(err, errlen, "out of memory");
        ssgw_pipeline_free(p);
        return NULL;
    }
    for (unsigned i = 0; i < p->n_lanes; i++) {
        p->lanes[i].p = p;
        if (!(p->lanes[i].dec = ssgw_decoder_new(NULL))) {
            ssgw_errf(err, errlen, "out of memory (decoder)");
            ssgw_pipeline_free(p);
            return NULL;
        }
    }
    if (gen_load(p, &p->owner, cfg->policy, NULL, err, errlen) < 0) {
        ssgw_pipeline_free(p);
        return NULL;
    }
    p->cur = p->owner;
    if (pl_learn_attach(p, &p->cur) < 0) {
        ssgw_errf(err, errlen, "out of memory (learner)");
        ssgw_pipeline_free(p);
        return NULL;
    }
    /* a shared store is also used by the thread that ticks and reads the status */
    if (p->store_batches) p->mt = true;
    for (unsigned i = 0; i < p->n_lanes && p->store_batches; i++)
        if (!(p->lanes[i].pdec = ssgw_decoder_new(NULL)) ||
            !(p->lanes[i].keys = calloc(PL_KEYS, sizeof *p->lanes[i].keys))) {
            ssgw_errf(err, errlen, "out of memory (prefetch decoder)");
            ssgw_pipeline_free(p);
            return NULL;
        }
    if (p->store_batches && p->store->ops->tick && start_state_thread(p) < 0) {
        ssgw_errf(err, errlen, "cannot start the state store's thread");
        ssgw_pipeline_free(p);
        return NULL;
    }
    time_t now = cfg->load_time ? cfg->load_time : time(NULL);
    pl_trust_adopt(p, &p->cur, NULL, (uint64_t)now * 1000u);
    return p;
}

void ssgw_pipeline_free(ssgw_pipeline *p)
{
    if (!p) return;
    stop_state_thread(p);
    if (p->cur.fw != p->owner.fw) gen_free(&p->cur);
    gen_free(&p->next);
    gen_free(&p->owner);
    ssgw_store_free(p->store); /* after the firewalls that used it; flushes what it holds */
    if (p->lanes)
        for (unsigned i = 0; i < p->n_lanes; i++) {
            ssgw_decoder_free(p->lanes[i].dec);
            ssgw_decoder_free(p->lanes[i].pdec);
            free(p->lanes[i].keys);
        }
    free(p->lanes);
    ssgw_learner_free(p->learner);
    pthread_rwlock_destroy(&p->cfg_lock);
    pthread_mutex_destroy(&p->state_lock);
    pthread_mutex_destroy(&p->event_lock);
    free(p);
}

int ssgw_pipeline_prepare(ssgw_pipeline *p, const char *policy_path, char *err, size_t errlen)
{
    gen_free(&p->next);
    snprintf(p->next_path, sizeof p->next_path, "%s", policy_path);
    if (gen_load(p, &p->next, policy_path, ssgw_firewall_store(p->owner.fw), err, errlen) < 0) {
        gen_free(&p->next);
        return -1;
    }
    char id[sizeof p->state_id];
    state_identity(ssgw_policy_state(p->next.pol), id, sizeof id);
    if (!p->cfg.state_url && strcmp(id, p->state_id)) {
        gen_free(&p->next);
        return ssgw_errf(err, errlen,
                         "policy %s: [state] backend, url / nodes, tls, key_prefix and fail cannot "
                         "change without a restart (running: %s)",
                         policy_path, p->state_id);
    }
    return 0;
}

void ssgw_pipeline_commit(ssgw_pipeline *p)
{
    if (!p->next.loaded) return;
    pthread_rwlock_wrlock(&p->cfg_lock); /* no lane inside a message */
    pl_gen old = p->cur;
    p->cur = p->next;
    memset(&p->next, 0, sizeof p->next);
    pl_trust_adopt(p, &p->cur, &old, (uint64_t)time(NULL) * 1000u);
    pl_switch_apply_all(p, &p->cur);
    if (pl_learn_attach(p, &p->cur) < 0)
        snprintf(p->learn_error, sizeof p->learn_error, "out of memory: learning stopped");
    if (old.fw != p->owner.fw) gen_free(&old);
    /* the old policy's names are freed: interned again by their text */
    memset(p->name_memo, 0, sizeof p->name_memo);
    snprintf(p->policy_path, sizeof p->policy_path, "%s", p->next_path);
    p->reloads++;
    pthread_rwlock_unlock(&p->cfg_lock);
}

void ssgw_pipeline_abort(ssgw_pipeline *p)
{
    gen_free(&p->next);
}

/* ---- one message ------------------------------------------------------------------ */

/* An inbound IAM the firewall blocks is released, never dropped: a dropped IAM would leave
 * the circuit seized until the originator's timer. The check's isup-rel cause, else 21. */
static bool release_call(const ssgw_pipeline_result *r)
{
    return (r->view->has_isup || r->view->isup_malformed) && r->view->isup.type == SSGW_ISUP_IAM &&
           r->direction == SSGW_DIR_INBOUND;
}

/* The answer to the offending message: SS7 (TCAP abort, MAP error, UDTS) or, for a Diameter
 * request, a Result-Code / Experimental-Result from the configured or derived identity. */
static int build_answer(ssgw_pipeline *p, const pl_gen *g, ssgw_pipeline_result *r, ssgw_buf *out)
{
    ssgw_error err;
    if (!r->view->has_diameter) return ssgw_answer_build(r->view, &r->verdict.answer, out, &err);
    const char *realm = p->diam_realm[0] ? p->diam_realm : ssgw_policy_home_realm(g->pol);
    char host[160];
    if (p->diam_host[0])
        snprintf(host, sizeof host, "%s", p->diam_host);
    else
        snprintf(host, sizeof host, "ssgw.%s", realm);
    return ssgw_answer_build_diameter(r->view, &r->verdict.answer, host, realm, out, &err);
}

/* The link a capture record came by, as the gateway numbers its links: the association (or
 * connection) between its two endpoints, the same both ways; never 0. The capture reader
 * gives it with the record (from the binary addresses); a record built by hand has none. */
static uint32_t capture_link(const ssgw_capture_msg *cm)
{
    return cm->link ? cm->link : ssgw_capture_link_number(cm);
}

/* The firewall, under the state lock; sets the action from its verdict. */
static void stage_firewall(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, ssgw_pipeline_result *r,
                           ssgw_buf *out, uint64_t time_ms, const ssgw_pipeline_msg *m)
{
    uint32_t source = m->decoded && m->decoded->ready ? m->decoded->link
                      : m->source                     ? m->source
                      : m->capture                    ? capture_link(m->capture)
                                                      : 0;
    ssgw_firewall_meta meta = {.time_ms = time_ms,
                               .direction = r->direction,
                               .peer_host = m->peer_host,
                               .peer_realm = m->peer_realm,
                               .source = source};
    ssgw_verdict *vd = &r->verdict;
    ssgw_store *st = p->store;
    lock_state(p);
    if (p->store_batches)
        st->ops->use_generation(st, ln->nowait ? SSGW_STORE_GEN_NOWAIT : ln->batched ? ln->gen : 0);
    /* what failed while the firewall learned does not count: learning fails open */
    uint64_t failed = st->ops->failures ? st->ops->failures(st) : 0;
    uint64_t learn_failed = ssgw_firewall_learn_failures(g->fw);
    ssgw_firewall_judge(g->fw, r->view, &meta, vd);
    if (st->ops->failures &&
        st->ops->failures(st) - failed != ssgw_firewall_learn_failures(g->fw) - learn_failed)
        ln->state_failed = true;
    if (p->store_batches && !ln->batched && !ln->nowait) st->ops->flush(st);
    bool judged = vd->action != SSGW_ACT_ALLOW;
    const char *check = judged ? intern(p, vd->check) : NULL;
    unlock_state(p);
    r->inspected = true;
    r->has_verdict = true;
    pl_bump(&ln->c.verdicts[vd->action]);
    if (!judged) return;
    if (!vd->pass) {
        r->alert = false;
        r->reason = check;
        r->action = SSGW_PL_DROP;
        if (release_call(r)) {
            int cause = vd->answer.kind == SSGW_ANSWER_ISUP_REL ? vd->answer.code : 21;
            pl_isup_release(p, g, ln, r, out, cause, time_ms);
            return;
        }
        if (vd->action == SSGW_ACT_ANSWER) {
            out->len = 0;
            out->overflow = false;
            if (build_answer(p, g, r, out) == 0 && !out->overflow) {
                r->action = SSGW_PL_ANSWER;
                r->nout = 1;
            } else {
                pl_bump(&ln->c.answers_failed);
            }
        }
        return;
    }
    r->alert = true; /* alert, or monitor mode: forwarded and reported */
    if (!r->reason) r->reason = check;
}

/* A message a stage before the firewall decided alone (the trust check, the CLI check, the
 * guard of the circuits the gateway released), in the firewall's terms (a drop or an
 * answer, its check the stage's reason), so events and reports show what the firewall never
 * saw. */
static void trust_verdict(const pl_gen *g, ssgw_pipeline_result *r)
{
    ssgw_verdict *vd = &r->verdict;
    const ssgw_view *v = r->view;
    r->has_verdict = true;
    vd->action = SSGW_ACT_DROP;
    vd->enforced = true;
    vd->pass = false;
    vd->direction = r->direction;
    vd->opcode = -1; /* the first invoke's, as the firewall's verdicts say */
    for (unsigned i = 0; v->has_tcap && i < v->ncomp && vd->opcode < 0; i++)
        if (v->comp[i].type == SSGW_TCAP_COMP_INVOKE &&
            v->comp[i].opcode.kind == SSGW_TCAP_CODE_LOCAL && v->comp[i].opcode.local >= 0 &&
            v->comp[i].opcode.local <= 127)
            vd->opcode = (int)v->comp[i].opcode.local;
    vd->category = v->has_tcap && v->tcap_user == SSGW_TCU_MAP
                       ? ssgw_policy_category(v->acn, false, vd->opcode)
                       : SSGW_CAT_NONE;
    vd->decider = -1;
    vd->check = r->reason;
    if (!strncmp(r->reason, "isup.", 5)) {
        bool rlc = v->isup.type == SSGW_ISUP_RLC, answered = r->action == SSGW_PL_ANSWER;
        char type[8];
        size_t n = 0;
        for (const char *c = ssgw_isup_msg_abbr(v->isup.type); *c && n + 1 < sizeof type; c++)
            type[n++] = (char)toupper((unsigned char)*c);
        type[n] = '\0';
        if (answered) {
            vd->action = SSGW_ACT_ANSWER;
            vd->answer.kind = SSGW_ANSWER_ISUP_RLC;
        }
        snprintf(vd->reason, sizeof vd->reason,
                 "%s on circuit %u, a call the gateway released (REL to its originator): %s", type,
                 v->isup.cic,
                 rlc        ? "absorbed, the inside never seized the circuit"
                 : answered ? "answered with RLC"
                            : "dropped until the originator's RLC");
        return;
    }
    if (r->cli_checked) {
        snprintf(vd->reason, sizeof vd->reason,
                 "CLI attestation: %s (calling %s, partner %s, policy %s)%s",
                 ssgw_trust_outcome_name(r->cli),
                 v->isup.f.calling.digits[0] ? v->isup.f.calling.digits : "(none)",
                 r->partner ? r->partner : "unknown", ssgw_trust_mode_name(r->cli_mode),
                 r->released ? ": call released" : "");
        if (r->released) {
            vd->action = SSGW_ACT_ANSWER;
            vd->answer.kind = SSGW_ANSWER_ISUP_REL;
            vd->answer.code = ssgw_policy_cli_get(g->pol)->release_cause;
        }
        return;
    }
    snprintf(vd->reason, sizeof vd->reason, "security token: %s (partner %s, policy %s)",
             r->trust_checked ? ssgw_trust_outcome_name(r->trust) : "segment held",
             r->partner ? r->partner : "unknown",
             g->tcfg ? ssgw_trust_mode_name(r->trust_mode) : "-");
}

static uint64_t load64(const uint8_t *b)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | b[i];
    return v;
}

/* Seconds a token's key lives in the shared replay cache: as long as any gateway sharing
 * it could accept the token (accept_s here, plus clock_skew_s for a gateway whose clock is
 * behind ours), at least 1, at most 2 x window + 1 + ttl_slack_s (the longest a token can
 * be accepted here, plus the store's slack: the lifetime every key had before). */
static uint32_t replay_ttl(uint32_t accept_s, uint32_t clock_skew_s, int64_t window_s,
                           uint32_t ttl_slack_s)
{
    uint64_t most = (uint64_t)(2 * window_s + 1) + ttl_slack_s;
    uint64_t ttl = (uint64_t)accept_s + clock_skew_s;
    return (uint32_t)(ttl < 1 ? 1 : ttl > most ? most : ttl);
}

int pl_replay_hook(void *ctx, const uint8_t *key_id, const uint8_t *nonce, uint32_t accept_s)
{
    pl_lane *ln = ctx;
    ssgw_pipeline *p = ln->p;
    ssgw_store *st = p->store;
    if (!st || !st->ops->replay_check_insert || !p->cur.tcfg || ln->nowait) return 0;
    /* from the token's time, not the window's whole span: a member backdating its tokens
     * to the window's edge (they leave the own cache within a second) gets keys as short;
     * clock_skew from the policy in use (a reload applies it) */
    uint32_t ttl = replay_ttl(accept_s, ssgw_policy_state(p->cur.pol)->clock_skew_s,
                              p->cur.tcfg->cfg.window_s, p->state_ttl_slack);
    lock_state(p);
    /* this lane's mode: the lane judged last (the loop's, say) may have left another */
    if (p->store_batches) st->ops->use_generation(st, ln->batched ? ln->gen : 0);
    uint64_t failed = st->ops->failures ? st->ops->failures(st) : 0;
    int seen = st->ops->replay_check_insert(st, load64(key_id), load64(nonce), ttl);
    if (st->ops->failures && st->ops->failures(st) != failed) ln->state_failed = true;
    unlock_state(p);
    if (seen == 1) pl_bump(&ln->c.shared_replays);
    return seen == 1;
}

/* The shared state could not answer a message that needed it and [state] fail = "closed":
 * dropped, in the firewall's terms (check "state.unavailable"). */
static void state_unavailable(pl_lane *ln, ssgw_pipeline_result *r)
{
    ssgw_verdict *vd = &r->verdict;
    pl_bump(&ln->c.state_unavailable);
    r->action = SSGW_PL_DROP;
    r->reason = "state.unavailable";
    r->alert = false;
    r->has_verdict = true;
    vd->action = SSGW_ACT_DROP;
    vd->enforced = true;
    vd->pass = false;
    vd->check = r->reason;
    snprintf(vd->reason, sizeof vd->reason,
             "the shared state store could not answer and [state] fail = \"closed\"");
}

/* Decodes m on the decoder d (a lane's) into v. */
static void decode(ssgw_decoder *d, const ssgw_pipeline_msg *m, ssgw_view *v)
{
    if (m->capture)
        ssgw_decoder_run_capture(d, m->capture, v);
    else if (m->m3ua && m->kind == SSGW_CAPTURE_KIND_M3UA)
        ssgw_decoder_run_m3ua(d, m->source, m->data, m->len, m->m3ua, m->time_ms, v);
    else
        ssgw_decoder_run_from(d, m->source, m->kind, m->data, m->len, m->time_ms, v);
}

void ssgw_pipeline_decode_ahead(ssgw_pipeline *p, unsigned lane, const ssgw_pipeline_msg *msgs,
                                size_t n, ssgw_pipeline_decoded *out)
{
    if (lane >= p->n_lanes) {
        for (size_t i = 0; i < n; i++)
            out[i].ready = false;
        return;
    }
    pl_lane *ln = &p->lanes[lane];
    ssgw_decoder *dec = ln->dec;
    if (p->mt) pthread_rwlock_rdlock(&p->cfg_lock);
    const pl_gen *g = &p->cur;
    /* the firewall sees every message but an inbound one that verification may decide:
     * only for those the MAP is left to the run, as one lane would (a malformed parameter
     * marks the view) */
    bool firewall = p->stages & SSGW_PL_FIREWALL;
    bool verify_decides = g->tcfg && (p->stages & SSGW_PL_VERIFY);
    for (size_t i = 0; i < n; i++) {
        const ssgw_pipeline_msg *m = &msgs[i];
        ssgw_pipeline_decoded *d = &out[i];
        ssgw_view *v = &d->view;
        decode(dec, m, v);
        /* a segment: decoded again by its run, where reassembly keeps capture order */
        d->ready = v->reasm == SSGW_VIEW_REASM_NONE;
        if (!d->ready) continue;
        d->direction =
            m->direction != SSGW_DIR_UNKNOWN ? m->direction : ssgw_policy_direction(g->pol, v);
        if (firewall && (d->direction != SSGW_DIR_INBOUND || !verify_decides))
            ssgw_firewall_prepare(v, d->direction);
        d->link = m->source ? m->source : m->capture ? capture_link(m->capture) : 0;
        ssgw_trust_policy tp;
        d->partner = d->direction == SSGW_DIR_INBOUND && v->has_sccp
                         ? ssgw_policy_trust_for_gt(g->pol, v->sccp.calling.digits, &tp)
                         : NULL;
    }
    if (p->mt) pthread_rwlock_unlock(&p->cfg_lock);
}

int ssgw_pipeline_run(ssgw_pipeline *p, const ssgw_pipeline_msg *m, ssgw_pipeline_result *r)
{
    /* the scalars; the verdict's and the token's buffers are written by the stage that sets
     * them (has_verdict, token.present) */
    memset(r, 0, offsetof(ssgw_pipeline_result, verdict));
    r->verdict.action = SSGW_ACT_ALLOW;
    r->verdict.check = "default";
    r->verdict.opcode = -1;
    r->verdict.pass = true;
    r->verdict.enforced = true;
    r->verdict.category = SSGW_CAT_NONE;
    r->verdict.decider = -1;
    r->verdict.answer.kind = SSGW_ANSWER_NONE;
    r->verdict.answer.code = 0;
    r->verdict.incident = 0; /* a verdict the firewall did not make has none */
    r->verdict.reason[0] = '\0';
    r->token.present = false;
    r->token.signer[0] = r->token.signer_serial[0] = '\0';
    r->cli_att.present = false;
    r->cli_att.signer[0] = '\0';
    if (m->lane >= p->n_lanes) {
        r->action = SSGW_PL_DROP;
        r->reason = "inspect.internal_error";
        return -1;
    }
    pl_lane *ln = &p->lanes[m->lane];
    ln->state_failed = false;
    if (p->mt) pthread_rwlock_rdlock(&p->cfg_lock);
    const pl_gen *g = &p->cur;
    ssgw_view *v;
    if (m->decoded && m->decoded->ready) {
        v = &m->decoded->view;
        r->direction = m->decoded->direction;
    } else {
        v = &ln->view;
        decode(ln->dec, m, v);
        r->direction =
            m->direction != SSGW_DIR_UNKNOWN ? m->direction : ssgw_policy_direction(g->pol, v);
    }
    r->view = v;
    ssgw_buf out;
    if (m->out)
        ssgw_buf_init(&out, m->out, m->out_cap);
    else
        ssgw_buf_init(&out, ln->own_out, sizeof ln->own_out);
    bool inbound = r->direction == SSGW_DIR_INBOUND;
    bool monitor = p->cfg.force_monitor || ssgw_policy_monitor(g->pol);
    r->record_sms_text = ssgw_policy_record_sms_text(g->pol);
    pl_bump(&ln->c.messages);
    pl_bump(inbound ? &ln->c.inbound : &ln->c.outbound);
    if (g->tcfg) pl_trust_check_expiry(p, g, m->time_ms);

    bool decided = false;
    if (inbound && v->has_isup && (p->stages & (SSGW_PL_VERIFY | SSGW_PL_FIREWALL)))
        decided = pl_isup_guard(p, g, ln, r, &out, m->time_ms);
    if (!decided && inbound && (p->stages & SSGW_PL_VERIFY))
        decided = pl_stage_verify(p, g, ln, m->lane, r, &out, monitor, m->time_ms);
    if (decided) {
        if (r->reason && strcmp(r->reason, "trust.segment_held")) trust_verdict(g, r);
    } else if (p->stages & SSGW_PL_FIREWALL) {
        /* done already when the message was decoded ahead (idempotent) */
        ssgw_firewall_prepare(v, r->direction);
        stage_firewall(p, g, ln, r, &out, m->time_ms, m);
    }
    if (inbound && !r->partner && v->has_sccp) { /* verification names it when it runs */
        ssgw_trust_policy tp;
        pl_set_partner(r, m->decoded && m->decoded->ready ? m->decoded->partner
                          : r->inspected /* the firewall looked the calling GT up */
                              ? r->verdict.calling_partner
                              : ssgw_policy_trust_for_gt(g->pol, v->sccp.calling.digits, &tp));
    }
    if (ln->state_failed && !monitor && r->action != SSGW_PL_DROP) state_unavailable(ln, r);
    if (!inbound && (p->stages & SSGW_PL_SIGN) && r->action == SSGW_PL_FORWARD)
        pl_stage_sign(p, g, ln, m->lane, r, &out, m->time_ms);
    if (r->action == SSGW_PL_FORWARD_MODIFIED || r->action == SSGW_PL_ANSWER) {
        r->out = out.data;
        r->out_len = out.len;
    }
    if (decided && r->reason &&
        (!strncmp(r->reason, "trust.", 6) || !strncmp(r->reason, "cli.", 4) ||
         !strncmp(r->reason, "isup.", 5))) {
        lock_state(p);
        intern(p, r->reason);
        unlock_state(p);
    }
    pl_bump(&ln->c.actions[r->action]);
    if (p->mt) pthread_rwlock_unlock(&p->cfg_lock);
    return 0;
}

bool ssgw_pipeline_batches(const ssgw_pipeline *p)
{
    return p->store_batches;
}

static void release_state(void *ctx)
{
    pthread_mutex_unlock(&((ssgw_pipeline *)ctx)->state_lock);
}

static void reacquire_state(void *ctx)
{
    pthread_mutex_lock(&((ssgw_pipeline *)ctx)->state_lock);
}

void ssgw_pipeline_state_live(ssgw_pipeline *p)
{
    if (!p->mt || !p->store->ops->set_caller_lock) return;
    lock_state(p);
    p->store->ops->set_caller_lock(p->store, release_state, reacquire_state, p);
    unlock_state(p);
}

void ssgw_pipeline_set_lane_nowait(ssgw_pipeline *p, unsigned lane)
{
    if (lane < p->n_lanes) p->lanes[lane].nowait = true;
}

void ssgw_pipeline_prefetch(ssgw_pipeline *p, unsigned lane, const ssgw_pipeline_msg *msgs,
                            size_t n)
{
    if (!p->store_batches || lane >= p->n_lanes) return;
    pl_lane *ln = &p->lanes[lane];
    if (p->mt) pthread_rwlock_rdlock(&p->cfg_lock);
    const pl_gen *g = &p->cur;
    size_t nk = 0;
    for (size_t i = 0; i < n && nk < PL_KEYS; i++) {
        const ssgw_pipeline_msg *m = &msgs[i];
        ssgw_view *v = &ln->pview;
        if (m->capture)
            ssgw_decoder_run_capture(ln->pdec, m->capture, v);
        else
            ssgw_decoder_run_from(ln->pdec, m->source, m->kind, m->data, m->len, m->time_ms, v);
        ssgw_firewall_meta meta = {.time_ms = m->time_ms,
                                   .direction = m->direction != SSGW_DIR_UNKNOWN
                                                    ? m->direction
                                                    : ssgw_policy_direction(g->pol, v),
                                   .peer_host = m->peer_host,
                                   .peer_realm = m->peer_realm,
                                   .source = m->source    ? m->source
                                             : m->capture ? capture_link(m->capture)
                                                          : 0};
        nk += ssgw_firewall_prefetch_keys(g->fw, v, &meta, ln->keys + nk, PL_KEYS - nk);
    }
    lock_state(p);
    ln->gen = p->store->ops->prefetch(p->store, ln->keys, nk);
    unlock_state(p);
    ln->batched = true;
    if (p->mt) pthread_rwlock_unlock(&p->cfg_lock);
}

int ssgw_pipeline_flush(ssgw_pipeline *p, unsigned lane)
{
    if (!p->store_batches || lane >= p->n_lanes) return 0;
    lock_state(p);
    int r = p->store->ops->flush(p->store);
    unlock_state(p);
    p->lanes[lane].batched = false;
    return r;
}

void ssgw_pipeline_state_health(ssgw_pipeline *p, ssgw_store_health *out)
{
    memset(out, 0, sizeof *out);
    out->backend = "embedded";
    if (!p->store->ops->health) return;
    lock_state(p);
    p->store->ops->health(p->store, out);
    unlock_state(p);
}

void ssgw_pipeline_tick(ssgw_pipeline *p, uint64_t now_ms)
{
    /* a shared store's reconnection and held writes: its own thread (state_main) */
    if (p->mt) pthread_rwlock_rdlock(&p->cfg_lock);
    const pl_gen *g = &p->cur;
    if (g->tcfg) {
        pl_trust_check_expiry(p, g, now_ms);
        ssgw_trust_stats ts;
        ssgw_trust_get_stats(g->lt[0], &ts);
        pthread_mutex_lock(&p->event_lock);
        bool raise = ts.replay_evicted_live > p->replay_evicted_seen &&
                     (p->replay_event_ms == 0 || now_ms >= p->replay_event_ms + 60000);
        uint64_t n = ts.replay_evicted_live;
        if (raise) {
            p->replay_evicted_seen = n;
            p->replay_event_ms = now_ms;
        }
        pthread_mutex_unlock(&p->event_lock);
        if (raise) {
            char d[240];
            snprintf(d, sizeof d,
                     "%" PRIu64 " live replay-cache entries evicted: the cache (%zu entries) is "
                     "too small for the verified traffic; raise [trust] max_rate",
                     n, g->tcfg->cfg.replay_entries);
            pl_event(p, SSGW_PL_EVENT_REPLAY_EVICTION, now_ms, n, d);
        }
    }
    pl_learn_tick(p, now_ms);
    if (p->mt) pthread_rwlock_unlock(&p->cfg_lock);
}

/* ---- what it saw ------------------------------------------------------------------ */

void ssgw_pipeline_get_stats(const ssgw_pipeline *p, ssgw_pipeline_stats *out)
{
    _Static_assert(sizeof(ssgw_pipeline_stats) % sizeof(uint64_t) == 0, "counters only");
    memset(out, 0, sizeof *out);
    uint64_t *o = (uint64_t *)out;
    size_t n = sizeof *out / sizeof(uint64_t);
    for (unsigned l = 0; l < p->n_lanes; l++) {
        const uint64_t *c = (const uint64_t *)&p->lanes[l].c;
        for (size_t i = 0; i < n; i++)
            o[i] += __atomic_load_n(&c[i], __ATOMIC_RELAXED);
    }
    if (p->cur.tcfg && p->cur.lt[0]) {
        ssgw_trust_stats ts;
        ssgw_trust_get_stats(p->cur.lt[0], &ts);
        out->replay_evicted_live = ts.replay_evicted_live;
        out->replay_refused_share = ts.replay_refused_share;
        out->replay_refused_full = ts.replay_refused_full;
    }
}

size_t ssgw_pipeline_check_counts(ssgw_pipeline *p, ssgw_pl_check_count *out, size_t cap)
{
    lock_state(p);
    size_t n = p->n_names;
    for (size_t i = 0; i < n && i < cap; i++) {
        out[i].name = p->names[i].name;
        out[i].n = p->names[i].n;
    }
    unlock_state(p);
    return n;
}

const ssgw_policy *ssgw_pipeline_policy(const ssgw_pipeline *p)
{
    return p->cur.pol;
}

ssgw_firewall *ssgw_pipeline_firewall(ssgw_pipeline *p)
{
    return p->cur.fw;
}

void ssgw_pipeline_with_firewall(ssgw_pipeline *p, void (*fn)(void *ctx, ssgw_firewall *fw),
                                 void *ctx)
{
    if (p->mt) pthread_rwlock_rdlock(&p->cfg_lock);
    lock_state(p);
    if (p->store_batches) p->store->ops->use_generation(p->store, 0); /* read through */
    fn(ctx, p->cur.fw);
    unlock_state(p);
    if (p->mt) pthread_rwlock_unlock(&p->cfg_lock);
}

const struct ssgw_trust_setup *ssgw_pipeline_trust(const ssgw_pipeline *p)
{
    return p->cur.tcfg ? &p->cur.setup : NULL;
}

void ssgw_pipeline_trust_state(const ssgw_pipeline *p, ssgw_pl_trust_state *out)
{
    memset(out, 0, sizeof *out);
    const pl_gen *g = &p->cur;
    if (!g->tcfg) return;
    out->present = true;
    out->sequence = ssgw_bundle_sequence(g->setup.bundle);
    out->highest = p->highest_sequence;
    out->not_after = ssgw_bundle_not_after(g->setup.bundle);
    out->expired = atomic_load(&((ssgw_pipeline *)p)->expired);
    out->members = ssgw_bundle_count(g->setup.bundle);
    out->replay_capacity = g->tcfg->cfg.replay_entries;
    out->window_s = g->tcfg->cfg.window_s;
}

static void json_counts(ssgw_json *j, const char *key, const uint64_t *v, int n,
                        const char *(*name)(int))
{
    ssgw_json_object_begin(j, key);
    for (int i = 0; i < n; i++)
        ssgw_json_int(j, name(i), (long long)v[i]);
    ssgw_json_object_end(j);
}

static const char *action_name_int(int a)
{
    return ssgw_action_name((ssgw_action)a);
}

/* A CLI outcome's action: "release" where tokens say "drop". */
static const char *cli_action_name(int a)
{
    return a == SSGW_TRUST_ACTION_DROP ? "release" : ssgw_trust_action_name(a);
}

void ssgw_pipeline_status(ssgw_pipeline *p, ssgw_json *j)
{
    ssgw_pipeline_stats st;
    ssgw_pipeline_get_stats(p, &st);
    const pl_gen *g = &p->cur;
    ssgw_json_str(j, "policy", p->policy_path);
    ssgw_json_str(j, "mode",
                  p->cfg.force_learn                                    ? "learn"
                  : p->cfg.force_monitor || ssgw_policy_monitor(g->pol) ? "monitor"
                                                                        : "enforce");
    ssgw_json_int(j, "lanes", p->n_lanes);
    ssgw_json_int(j, "inbound", (long long)st.inbound);
    ssgw_json_int(j, "outbound", (long long)st.outbound);
    json_counts(j, "verdicts", st.verdicts, SSGW_ACT_COUNT, action_name_int);
    json_counts(j, "actions", st.actions, SSGW_PL_ACTION_COUNT, ssgw_pl_action_name);
    ssgw_json_object_begin(j, "checks");
    lock_state(p);
    for (size_t i = 0; i < p->n_names; i++)
        if (p->names[i].n) ssgw_json_int(j, p->names[i].name, (long long)p->names[i].n);
    unlock_state(p);
    ssgw_json_object_end(j);
    ssgw_json_bool(j, "trust", g->tcfg != NULL);
    if (g->tcfg) {
        ssgw_pl_trust_state ts;
        ssgw_pipeline_trust_state(p, &ts);
        ssgw_json_int(j, "bundle_sequence", (long long)ts.sequence);
        ssgw_json_int(j, "bundle_highest_sequence", (long long)ts.highest);
        ssgw_json_int(j, "bundle_not_after", (long long)ts.not_after);
        ssgw_json_int(j, "bundle_seconds_to_expiry", (long long)(ts.not_after - time(NULL)));
        ssgw_json_bool(j, "bundle_expired", ts.expired);
        ssgw_json_str(j, "sign", ssgw_trust_sign_to_name(g->tcfg->sign));
        json_counts(j, "trust_outcomes", st.trust_outcomes, SSGW_TRUST_OUTCOME_COUNT,
                    ssgw_trust_outcome_name);
        json_counts(j, "trust_actions", st.trust_actions, 3, ssgw_trust_action_name);
        ssgw_json_int(j, "stripped", (long long)st.stripped);
        ssgw_json_int(j, "signed", (long long)st.signed_msgs);
        ssgw_json_int(j, "sign_refused", (long long)st.sign_refused);
        ssgw_json_int(j, "segments_held", (long long)st.segments_held);
        ssgw_json_int(j, "not_verified", (long long)st.not_verified);
        ssgw_json_int(j, "replay_capacity", (long long)ts.replay_capacity);
        ssgw_json_int(j, "replay_evicted_live", (long long)st.replay_evicted_live);
        ssgw_json_int(j, "replay_refused_share", (long long)st.replay_refused_share);
        ssgw_json_int(j, "replay_refused_full", (long long)st.replay_refused_full);
    }
    if (ssgw_policy_cli_get(g->pol)->present) {
        ssgw_json_object_begin(j, "cli");
        json_counts(j, "outcomes", st.cli_outcomes, SSGW_TRUST_OUTCOME_COUNT,
                    ssgw_trust_outcome_name);
        json_counts(j, "actions", st.cli_actions, 3, cli_action_name);
        ssgw_json_int(j, "stripped", (long long)st.cli_stripped);
        ssgw_json_int(j, "marked", (long long)st.cli_marked);
        ssgw_json_int(j, "signed", (long long)st.cli_signed);
        ssgw_json_int(j, "sign_refused", (long long)st.cli_sign_refused);
        ssgw_json_object_end(j);
    }
    ssgw_store_stats ss;
    lock_state(p);
    ssgw_store *store = ssgw_firewall_store(g->fw);
    store->ops->get_stats(store, &ss);
    unlock_state(p);
    ssgw_json_int(j, "circuits", (long long)ss.t[SSGW_STORE_CALL].used);
    ssgw_json_int(j, "calls_released", (long long)st.calls_released);
    ssgw_json_int(j, "rlc_absorbed", (long long)st.rlc_absorbed);
    ssgw_json_int(j, "rel_answered", (long long)st.rel_answered);
    ssgw_json_int(j, "released_dropped", (long long)st.released_dropped);
    ssgw_json_int(j, "answers_failed", (long long)st.answers_failed);
    ssgw_json_int(j, "policy_reloads", (long long)p->reloads);
    ssgw_store_health h;
    ssgw_pipeline_state_health(p, &h);
    ssgw_json_object_begin(j, "state");
    ssgw_json_str(j, "backend", h.backend);
    ssgw_json_str(j, "status", ssgw_store_status_name(h.status));
    if (strcmp(h.backend, "embedded")) {
        const struct {
            const char *k;
            uint64_t v;
        } c[] = {{"nodes", h.nodes},
                 {"transitions", h.transitions},
                 {"round_trips", h.round_trips},
                 {"commands", h.commands},
                 {"prefetched", h.prefetched},
                 {"cache_hits", h.cache_hits},
                 {"sync_reads", h.sync_reads},
                 {"replay_checks", h.replay_checks},
                 {"writes_sent", h.writes_sent},
                 {"pending", h.pending},
                 {"pending_cap", h.pending_cap},
                 {"pending_dropped", h.pending_dropped},
                 {"replayed", h.replayed},
                 {"moved", h.moved},
                 {"ask", h.ask},
                 {"slot_refreshes", h.slot_refreshes},
                 {"reconnects", h.reconnects},
                 {"errors", h.errors},
                 {"failures", h.failures},
                 {"local_ops", h.local_ops},
                 {"bucket_disagreements", h.bucket_disagreements},
                 {"nowait_reads", h.nowait_reads},
                 {"nowait_local", h.nowait_local},
                 {"unavailable_drops", st.state_unavailable},
                 {"shared_replays", st.shared_replays}};
        for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
            ssgw_json_int(j, c[i].k, (long long)c[i].v);
        ssgw_json_str(j, "detail", h.detail);
    }
    ssgw_json_object_end(j);
    pl_runtime_status(p, j);
    pl_learn_status(p, j);
}
