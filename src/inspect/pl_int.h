/*
 * pl_int.h - what the pipeline's files share (not a public API): one loaded
 * generation of policy + trust material, the per-lane scratch and counters, and
 * the stage functions of src/inspect/pl_trust.c.
 */
#ifndef SSGW_PL_INT_H
#define SSGW_PL_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "ssgw/learn.h"
#include "ssgw/pipeline.h"
#include "ssgw/trust_msg.h"

#define PL_LANES_MAX 17 /* 16 inspection threads + the gateway's loop thread (Diameter) */
#define PL_OUT_MSG   (4096 + 256)
#define PL_MAX_NAMES 128
#define PL_KEYS      8192 /* state records one lane's batch may list (ssgw_pipeline_prefetch) */

/* One loaded policy with its trust material and firewall. */
typedef struct {
    ssgw_policy *pol;
    const ssgw_policy_trust *tcfg; /* NULL without [trust] (or when no trust stage runs) */
    ssgw_trust_setup setup;
    ssgw_trust *lt[PL_LANES_MAX]; /* per lane: lt[0] owns the replay cache, the others share it */
    ssgw_firewall *fw;
    bool loaded;
} pl_gen;

/* Per-lane scratch and counters. Counters have one writer (the lane's thread). */
typedef struct {
    struct ssgw_pipeline *p;
    ssgw_decoder *dec;
    ssgw_view view;
    /* batches for a shared state store: a decoder of its own for the prefetch pass */
    ssgw_decoder *pdec;
    ssgw_view pview;
    ssgw_store_key *keys;
    uint64_t gen;      /* the store's read generation of this lane's batch */
    bool batched;      /* a prefetch ran and no flush since */
    bool nowait;       /* never waits for a shared store (ssgw_pipeline_set_lane_nowait) */
    bool state_failed; /* this message needed the shared state and it failed (fail closed) */
    uint8_t outmem[SSGW_TRUST_MAX_OUT][PL_OUT_MSG];
    ssgw_buf outs[SSGW_TRUST_MAX_OUT];
    uint8_t own_out[SSGW_TRUST_MAX_OUT * PL_OUT_MSG];
    ssgw_pipeline_stats c;
} pl_lane;

typedef struct {
    char name[64];
    uint64_t n;
} pl_name;

/* Which name (index in names) a check-name pointer was interned as: check names are the
 * registry's, the policy's (rule deciders) or static, alive until a commit, which forgets
 * them (issue 16: a strcmp walk over the names for every verdict but an allow). */
#define PL_NAME_MEMO 64
typedef struct {
    const char *src; /* NULL: empty */
    size_t at;
} pl_name_memo;

#define PL_MAX_SWITCHES 64

typedef struct {
    ssgw_pl_switch_kind kind;
    char name[64];
    ssgw_fw_switch state; /* OFF or ON (a reset removes the entry) */
    bool applies;         /* the policy in use has that check / partner */
} pl_switch;

struct ssgw_pipeline {
    ssgw_pipeline_config cfg;
    char diam_host[128], diam_realm[128]; /* cfg's Diameter identity, copied ("" = derive) */
    char policy_path[1024], next_path[1024];
    unsigned stages, n_lanes;
    bool mt;      /* several lanes: the locks are used */
    pl_gen owner; /* the first generation: its firewall owns the state store, kept for life */
    pl_gen cur;   /* in use (may be the owner) */
    pl_gen next;  /* prepared by a reload */
    pl_lane *lanes;
    pthread_rwlock_t cfg_lock;  /* read: a lane inside a message; write: a commit */
    pthread_mutex_t state_lock; /* the firewall's state, the names */
    pl_name names[PL_MAX_NAMES];
    size_t n_names;
    pl_name_memo name_memo[PL_NAME_MEMO];
    uint64_t reloads;
    /* trust lifecycle */
    uint64_t highest_sequence; /* highest bundle sequence accepted (and recorded) */
    atomic_bool expired;       /* the bundle in use is past its not-after */
    pthread_mutex_t event_lock;
    uint64_t replay_evicted_seen, replay_event_ms;
    /* the state store ([state]): owned by the pipeline, kept across reloads */
    ssgw_store *store;
    bool store_batches;  /* it wants batches (prefetch / flush) */
    char state_id[1024]; /* backend, nodes, prefix, fail of the store in use (a reload may
                            not change them) */
    uint32_t state_ttl_slack;
    /* a shared store's own thread: ticks it (reconnection, writes held by nowait lanes) so
     * that no caller's thread does it */
    pthread_t state_thread;
    bool state_thread_on, state_stop;
    pthread_mutex_t state_tick_mu;
    pthread_cond_t state_tick_cv;
    /* runtime switches (pl_runtime.c): kept across reloads */
    pl_switch switches[PL_MAX_SWITCHES];
    size_t n_switches;
    /* learn mode (pl_learn.c): kept across reloads, under state_lock */
    ssgw_learner *learner;
    bool learn_attached; /* the firewall in use feeds it (its policy learns) */
    bool learn_done;     /* the period ended and the proposal was written (or failed) */
    uint64_t learn_writes, learn_written_ms;
    char learn_error[256];
};

/* ---- src/inspect/pl_learn.c ---- */

/* Starts the learner when g's policy learns (or force_learn, or a check switched into learn
 * mode) and attaches it to g's firewall. Under the write lock (or before lanes run).
 * 0, or -1 when memory ran out. */
int pl_learn_attach(ssgw_pipeline *p, pl_gen *g);
/* Writes the proposal when the period has ended at now_ms (once). */
void pl_learn_tick(ssgw_pipeline *p, uint64_t now_ms);
/* The "learn" object of the status. */
void pl_learn_status(ssgw_pipeline *p, ssgw_json *j);

/* ---- src/inspect/pl_runtime.c ---- */

/* Applies every runtime switch to g's firewall (a new generation). Under the write lock. */
void pl_switch_apply_all(ssgw_pipeline *p, pl_gen *g);
/* "switches", "partners" and "store" of the status object. */
void pl_runtime_status(ssgw_pipeline *p, ssgw_json *j);

/* ---- src/inspect/pl_trust.c ---- */

/* Loads g's trust material per cfg (stages, sequence rules) and the lane contexts.
 * 0, or -1 with err. */
int pl_trust_load(ssgw_pipeline *p, pl_gen *g, char *err, size_t errlen);
/* Frees g's trust material and contexts. */
void pl_trust_free(pl_gen *g);
/* After g became current: replay entries carried over from old, sequence recorded,
 * expiry state reset. Called under the write lock (old may be NULL). */
void pl_trust_adopt(ssgw_pipeline *p, pl_gen *g, const pl_gen *old, uint64_t now_ms);
/* Inbound verification; returns true when the message is decided (dropped) here. */
bool pl_stage_verify(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, unsigned lane,
                     ssgw_pipeline_result *r, ssgw_buf *out, bool monitor, uint64_t time_ms);
/* Outbound signing (after the firewall let the message go on). */
void pl_stage_sign(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, unsigned lane,
                   ssgw_pipeline_result *r, ssgw_buf *out, uint64_t time_ms);
/* Notices a bundle past its not-after at time_ms (raises the event once). */
void pl_trust_check_expiry(ssgw_pipeline *p, const pl_gen *g, uint64_t time_ms);
/* Raises an event through the configured callback. */
void pl_event(ssgw_pipeline *p, ssgw_pl_event_kind kind, uint64_t time_ms, uint64_t count,
              const char *detail);
/* ---- src/inspect/pl_trust_diameter.c: the same stages for a Diameter message ---- */
bool pl_verify_diameter(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, unsigned lane,
                        ssgw_pipeline_result *r, ssgw_buf *out, bool monitor, uint64_t time_ms);
void pl_sign_diameter(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, unsigned lane,
                      ssgw_pipeline_result *r, ssgw_buf *out, uint64_t time_ms);
/* What pl_trust.c shares with it. */
void pl_copy_token(ssgw_pl_token *d, const ssgw_trust_result *t);
/* The decision on outcome o under the partner's policy tp, counted in r and the lane (an ok
 * under an expired bundle becomes bundle_expired): true when the message is dropped here. */
bool pl_trust_apply(ssgw_pipeline *p, pl_lane *ln, ssgw_pipeline_result *r,
                    const ssgw_trust_policy *tp, ssgw_trust_outcome o, bool monitor);

/* Copies outs[0..n) one after the other into out; 0, or -1 when out is too small. */
int pl_put_outs(ssgw_buf *out, const ssgw_buf *outs, size_t n);

/* The firewall's state (store, names): held around the firewall call and circuit updates. */
void pl_lock_state(ssgw_pipeline *p);
void pl_unlock_state(ssgw_pipeline *p);

/* ---- src/inspect/pl_isup.c: circuits of released calls ---- */

/*
 * An inbound ISUP message on a circuit the gateway released: the originator's RLC is
 * absorbed (dropped, the circuit forgotten), its REL answered with RLC, anything else
 * dropped; an RSC resets the circuit (forgotten, forwarded). Returns true when the
 * message is decided here. Runs before the trust stage.
 */
bool pl_isup_guard(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, ssgw_pipeline_result *r,
                   ssgw_buf *out, uint64_t time_ms);
/* The result answers an IAM with REL: builds it into out (cause), records the circuit as
 * released. Returns 0, or -1 (no answer could be built: the caller drops). */
int pl_isup_release(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, ssgw_pipeline_result *r,
                    ssgw_buf *out, int cause, uint64_t time_ms);

/* ---- src/inspect/pipeline.c, for the trust stages ---- */

/* The trust layer's replay hook (ssgw_trust_set_replay_hook), ctx = the lane: asks the
 * shared replay cache, whose key lives as long as the token could be accepted. */
int pl_replay_hook(void *ctx, const uint8_t *key_id, const uint8_t *nonce, uint32_t accept_s);

/* A lane's counter: one writer; readers on other threads use relaxed loads. */
static inline void pl_bump(uint64_t *c)
{
    __atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

/* Names the partner in r with a copy of name (NULL: none), so that the result stays valid
 * after a reload frees the policy the name came from. */
void pl_set_partner(ssgw_pipeline_result *r, const char *name);

#endif
