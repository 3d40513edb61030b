/*
 * pipeline.h - the inspection pipeline: one message in, one decision out, the
 * same for every front end (`ssgw run`, `ssgw analyze`, `ssgw verify`,
 * `ssgw sign`, the benchmarks), so what a capture shows is what the gateway does.
 *
 *   bytes (M3UA DATA, MTP3 MSU, SCCP) or a capture record
 *     -> decode through every layer (ssgw_decoder; SCCP reassembly per lane)
 *     -> direction: given by the arrival link's side, or derived from the policy
 *        (the routing label's DPC in [home] point_codes, else the called GT's owner)
 *     -> inbound:  trust verification and stripping of the security token
 *                  (per-partner policy, an action per outcome; fail closed)
 *     -> the firewall (include/ssgw/firewall.h): rules, FS.11 checks, state
 *     -> outbound: signing towards other members of the trust bundle
 *   ISUP calls take the same stages: inbound IAMs have their CLI attestation verified and
 *   stripped (include/ssgw/cli.h; [cli] per partner: mark / pass / release), outbound IAMs
 *   towards members are attested; a released call is answered with REL, and the
 *   originator's RLC for it is absorbed (the inner network never sees the call).
 *     -> one result: forward / forward-modified / answer / drop, the reason (a
 *        check name or "trust.<outcome>"), the bytes to send, what each stage found.
 *
 * Stages: a front end may run fewer (ssgw verify: verification only; ssgw sign:
 * signing only); what runs is the same code. The JSON of a result is written by
 * ssgw_record_result() (include/ssgw/record.h), the one writer of verdict keys.
 *
 * The trust lifecycle lives here too, so that it holds for the gateway and the
 * tools alike (docs/configuration.md "[trust]", docs/operations.md):
 *  - a bundle whose sequence is lower than the highest one accepted is refused, at
 *    start and on every reload; with a sequence file ([trust] sequence_file, used
 *    when the front end asks for it: the gateway) the highest sequence survives
 *    restarts (written atomically);
 *  - a bundle past its not-after while in use is an event (SSGW_PL_EVENT_BUNDLE_EXPIRED)
 *    and every verification then ends with outcome "bundle_expired", whose action
 *    is drop unless [trust] on_bundle_expired says otherwise (fail closed);
 *  - the replay cache survives reloads (live entries are carried over when its size
 *    changes); a live entry evicted (the cache is too small for the traffic) is
 *    counted and raised as SSGW_PL_EVENT_REPLAY_EVICTION.
 *
 * Threads: `lanes` threads may call ssgw_pipeline_run() at once, each with its own
 * lane number (0 .. lanes-1). Decoding, trust cryptography and answers run in
 * parallel (per-lane decoder, scratch and OpenSSL contexts; the replay cache is
 * shared and locked); the firewall's state is shared under one mutex held only for
 * the firewall call. A reload (commit) waits until no lane is inside a message.
 * A front end that needs one lane's verdicts (ssgw analyze --threads) runs every
 * message on ONE lane instead and has other lanes decode ahead of it
 * (ssgw_pipeline_decode_ahead): a pipeline by stage, not by message.
 *
 * Nothing is allocated per message. No sockets here: a shared state store ([state]
 * backend = "redis") brings its own (include/ssgw/store_redis.h), used through the
 * store interface and the batch calls below.
 */
#ifndef SSGW_PIPELINE_H
#define SSGW_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ssgw/capture.h"
#include "ssgw/firewall.h"
#include "ssgw/json.h"
#include "ssgw/store.h"
#include "ssgw/trust_policy.h"
#include "ssgw/view.h"

/* ---- configuration ------------------------------------------------------------------ */

enum {
    SSGW_PL_VERIFY = 1u << 0,   /* inbound: verify and strip the security token */
    SSGW_PL_FIREWALL = 1u << 1, /* the policy checks, both directions (outbound learns) */
    SSGW_PL_SIGN = 1u << 2,     /* outbound: add the security token */
    SSGW_PL_ALL = SSGW_PL_VERIFY | SSGW_PL_FIREWALL | SSGW_PL_SIGN,
};

/* Something that happened to the pipeline rather than to one message. */
typedef enum {
    SSGW_PL_EVENT_BUNDLE_EXPIRED = 0, /* the bundle in use passed its not-after */
    SSGW_PL_EVENT_BUNDLE_VALID,       /* a valid bundle is in use again (after a reload) */
    SSGW_PL_EVENT_BUNDLE_ACCEPTED,    /* a bundle with a higher sequence was accepted */
    SSGW_PL_EVENT_REPLAY_EVICTION,    /* live replay-cache entries were evicted (raised at most
                                         once per minute while it goes on) */
    SSGW_PL_EVENT_LEARN_WRITTEN,      /* the learn period ended: the proposal was written */
    SSGW_PL_EVENT_LEARN_FAILED,       /* ... and could not be written (detail says why) */
    SSGW_PL_EVENT_STATE_DOWN,         /* the shared state store stopped answering ([state] fail
                                         applies) */
    SSGW_PL_EVENT_STATE_UP,           /* it answers again (queued writes replayed) */
    SSGW_PL_EVENT_STATE_QUEUE_FULL,   /* writes queued for it were dropped */
    SSGW_PL_EVENT_COUNT
} ssgw_pl_event_kind;
/* "bundle_expired", "bundle_valid", "bundle_accepted", "replay_eviction", "learn_written",
 * "learn_failed", "state_down", "state_up", "state_queue_full". */
const char *ssgw_pl_event_name(int kind);

typedef struct {
    ssgw_pl_event_kind kind;
    uint64_t time_ms;         /* message time that revealed it (or the load time) */
    uint64_t bundle_sequence; /* the bundle in use */
    time_t bundle_not_after;
    uint64_t count;     /* replay_eviction: live entries evicted so far */
    const char *detail; /* one sentence for a person */
} ssgw_pl_event;

/* Called on the thread that noticed it; must not call back into the pipeline. */
typedef void (*ssgw_pl_event_fn)(void *ctx, const ssgw_pl_event *e);

typedef struct {
    const char *policy;        /* the policy file (firewall + [trust]) */
    unsigned stages;           /* SSGW_PL_* bits; 0 = SSGW_PL_ALL */
    unsigned lanes;            /* threads calling ssgw_pipeline_run at once; 0 = 1 */
    bool one_runner;           /* ONE thread runs every message, on lane 0; lanes 1 .. lanes-1
                                  only decode ahead of it (ssgw_pipeline_decode_ahead, which
                                  reads the policy alone): the runs take no locks (unless a
                                  shared state store has its thread). No reloads then. */
    bool force_monitor;        /* monitor mode whatever the policy says (ssgw analyze --monitor) */
    bool force_learn;          /* every check not off in learn mode (ssgw analyze --learn) */
    const char *learn_output;  /* where the learn proposal goes instead of [learn] output */
    bool keep_sequence;        /* persist the highest bundle sequence in [trust] sequence_file */
    uint64_t min_sequence;     /* refuse a bundle older than this (ssgw verify --min-sequence) */
    time_t load_time;          /* the clock to verify the bundle with at load; 0 = now */
    ssgw_pl_event_fn on_event; /* may be NULL */
    void *event_ctx;
    const char *state_url; /* instead of the policy's [state] backend/url: "redis://..." (ssgw
                              analyze --state); NULL: as the policy says */
    bool state_required;   /* a shared store that does not answer at start is an error (the
                              tools); otherwise it starts down and reconnects (the gateway) */
    /* The identity of the Diameter answers the firewall builds (the gateway's [diameter]
     * origin_host / origin_realm); NULL: "ssgw." + the policy's home realm, and that realm. */
    const char *diam_origin_host, *diam_origin_realm;
} ssgw_pipeline_config;

typedef struct ssgw_pipeline ssgw_pipeline;

/*
 * Loads the policy (errors "FILE:LINE:COL: error: ..." one per line in err), the
 * trust material of its [trust] section (keys, root, bundle: refused when its
 * sequence is below min_sequence or the recorded highest one) and creates the
 * firewall with its state store. Returns NULL with err.
 */
ssgw_pipeline *ssgw_pipeline_new(const ssgw_pipeline_config *cfg, char *err, size_t errlen);
void ssgw_pipeline_free(ssgw_pipeline *p);

/*
 * A reload in two steps, so that a refused reload keeps everything as it was:
 * prepare loads policy_path and its trust material aside (0, or -1 with err: a
 * config error, or a bundle older than the highest accepted); commit switches to
 * them, keeping the firewall's state store and the replay cache; abort forgets them.
 */
int ssgw_pipeline_prepare(ssgw_pipeline *p, const char *policy_path, char *err, size_t errlen);
void ssgw_pipeline_commit(ssgw_pipeline *p);
void ssgw_pipeline_abort(ssgw_pipeline *p);

/* ---- one message ------------------------------------------------------------------- */

typedef struct {
    ssgw_capture_kind kind; /* M3UA (DATA), MTP3 or SCCP */
    const uint8_t *data;    /* the message; must stay valid during the call */
    size_t len;
    const ssgw_capture_msg *capture; /* instead of kind/data/len: a capture record (an error
                                        record becomes a view carrying only the error) */
    ssgw_direction direction;        /* UNKNOWN: derived from the policy */
    uint64_t time_ms;                /* message time: capture time, or the wall clock */
    unsigned lane;                   /* 0 .. lanes-1 */
    uint32_t source;                 /* the arrival link (e.g. its index + 1), 0 = none: per-link
                                        state (SCCP reassembly) is kept and bounded per source */
    const char *peer_host;           /* Diameter: the Origin-Host / -Realm the arrival peer */
    const char *peer_realm;          /* named in its CER/CEA (NULL: unknown, e.g. a capture) */
    uint8_t *out;                    /* where modified messages / the answer go; NULL: the */
    size_t out_cap;                  /* lane's own buffer (result.out points there) */
    struct ssgw_pipeline_decoded *decoded; /* NULL, or what ssgw_pipeline_decode_ahead made
                                              of this message: the run takes its view */
    const ssgw_m3ua_msg *m3ua; /* kind M3UA: NULL, or data as ssgw_m3ua_decode decoded it (the
                                  live gateway's, which routes by it): not decoded again */
} ssgw_pipeline_msg;

/*
 * A message decoded ahead of its run, on another lane (another thread): what depends on
 * the message alone. The caller owns it; it must stay in place (the view points into
 * itself, into msg.data / the capture record's bytes) until the result is no longer used.
 */
typedef struct ssgw_pipeline_decoded {
    ssgw_view view;           /* the run's result.view points here */
    ssgw_direction direction; /* msg.direction, or derived from the policy */
    uint32_t link;            /* the arrival link (msg.source, or a capture record's) */
    const char *partner;      /* inbound: the [[partner]] owning the calling GT (the policy's) */
    bool ready;               /* false: the run decodes the message itself (see below) */
} ssgw_pipeline_decoded;

/* The security token a message carried (inbound), copied out of the trust layer's result. */
typedef struct {
    bool present;
    size_t bytes; /* octets the token occupied */
    ssgw_token_mode mode;
    uint8_t key_id[8];
    uint64_t time;          /* the token's time, seconds since 1970 */
    char signer[128];       /* the signer's operator name (its certificate), "" when unknown */
    char signer_serial[64]; /* the signer's certificate serial */
    ssgw_error err;         /* why it is malformed; or, when signing failed, why */
} ssgw_pl_token;

/* The CLI attestation an IAM carried (inbound) or was given (outbound), include/ssgw/cli.h. */
typedef struct {
    bool present;
    int attest;   /* 1 full (A), 2 partial (B), 3 gateway (C) */
    size_t bytes; /* octets the attestation occupied / added */
    uint8_t key_id[8];
    uint64_t iat;                  /* its time, seconds since 1970 */
    uint8_t origid[16];            /* its origid (UUID) and ES256 signature r||s: with the */
    uint8_t sig[64];               /* numbers, the whole PASSporT (ssgw_cli_passport) */
    char orig_tn[16], dest_tn[16]; /* the numbers as attested ("" when not attestable) */
    char signer[128];              /* the signer's operator name, "" when unknown */
    char signer_serial[64];
    ssgw_error err; /* why it is malformed; or, when attesting failed, why */
} ssgw_pl_cli;

typedef enum {
    SSGW_PL_FORWARD = 0,      /* the message goes on unchanged */
    SSGW_PL_FORWARD_MODIFIED, /* out[0..out_len): one or more complete messages go on instead
                                 (token stripped or added; UDT->XUDT; XUDT segments) */
    SSGW_PL_ANSWER,           /* out[0..out_len) goes back to the sender; nothing goes on */
    SSGW_PL_DROP,             /* nothing is sent */
    SSGW_PL_ACTION_COUNT
} ssgw_pl_action;
/* "forward", "forward-modified", "answer", "drop" (the gateway's names). */
const char *ssgw_pl_action_name(int a);

typedef struct {
    ssgw_pl_action action;
    const char *reason; /* what decided, when not a plain forward: a check ("cat1.operation"),
                           "trust.<outcome>", "trust.segment_held", ...; static, stable */
    bool alert;         /* forwarded, and reported (alert action, monitor mode, trust alert) */
    ssgw_direction direction;
    ssgw_view *view; /* the decoded message (the lane's; valid until its next call) */

    bool inspected;   /* the firewall ran */
    bool has_verdict; /* verdict is set: by the firewall, or by a trust drop before it
                         (check = the trust reason), so reports show every drop */

    bool trust_checked;       /* verification ran: the trust_* fields are set */
    ssgw_trust_outcome trust; /* outcome */
    ssgw_trust_action trust_action;
    ssgw_trust_mode trust_mode; /* the policy that applied (partner's or [trust] inbound) */
    const char *partner;        /* inbound: the [[partner]] owning the calling GT, or NULL; points
                                   into partner_name, so it outlives a reload of the policy */
    bool stripped;              /* the token was removed (out holds the original bytes) */

    bool signed_msg;    /* a token was added */
    size_t token_added; /* octets it added */
    bool sign_refused;  /* signing was due but failed: forwarded unsigned, alert */

    /* calls (ISUP): the CLI attestation of IAMs and the circuit */
    bool cli_checked;             /* an inbound IAM's attestation was verified: cli_* set */
    ssgw_trust_outcome cli;       /* its outcome */
    ssgw_trust_action cli_action; /* drop = the call was released */
    ssgw_trust_mode cli_mode;     /* the policy that applied ([cli] inbound or the partner's) */
    bool cli_marked;              /* the calling number was marked verified */
    bool cli_signed;              /* an outbound IAM was attested */
    bool cli_sign_refused;        /* attesting was due but failed: forwarded unattested, alert */
    bool released;                /* the answer is a REL: the gateway released the call, will
                                     absorb the originator's RLC and keeps nothing inside */
    bool record_sms_text;         /* [sms] record_text: the record may carry the SMS text */

    const uint8_t *out; /* FORWARD_MODIFIED / ANSWER: the bytes (msg.out or the lane's) */
    size_t out_len;
    unsigned nout; /* messages in out */

    /* the large parts last: only what a stage sets is written per message */
    ssgw_verdict verdict;  /* the decision (check, category, reason, answer) */
    ssgw_pl_token token;   /* the token found (token.err: also why signing failed) */
    ssgw_pl_cli cli_att;   /* the CLI attestation found or added (cli_att.err: also why
                              attesting failed) */
    char partner_name[64]; /* the partner's name (truncated) */
} ssgw_pipeline_result;

/*
 * Runs one message through the configured stages. Always fills *r; returns 0,
 * or -1 for an internal error (bad lane, output buffer too small for an answer
 * or a re-segmented message: the message is then dropped with reason
 * "inspect.internal_error").
 */
int ssgw_pipeline_run(ssgw_pipeline *p, const ssgw_pipeline_msg *m, ssgw_pipeline_result *r);

/*
 * Batches, for a shared state store (include/ssgw/store_redis.h): before running a batch
 * of messages on a lane, prefetch lists the state records they may read so that the store
 * fetches them in one round trip (decoding them on a decoder of the lane's own, so the
 * run decodes them again); after the batch, flush sends what they taught and waits for the
 * acknowledgement: release the batch's messages after it. A lane that runs a message
 * without a prefetch flushes after it. Both do nothing for the embedded store
 * (ssgw_pipeline_batches() is false). msgs[i].capture may be set as for run.
 */
bool ssgw_pipeline_batches(const ssgw_pipeline *p);
/*
 * The lane must never wait for a shared state store (the gateway's event loop, where
 * Diameter is inspected): its messages are judged with what the store holds here (records
 * fetched by other lanes' batches or written here, else the store's local copy), the
 * shared replay check is left to the lane's own replay cache, and what they teach is sent
 * by the store's own thread within 100 ms. Call before the lane is used.
 */
void ssgw_pipeline_set_lane_nowait(ssgw_pipeline *p, unsigned lane);
/*
 * For a live gateway (several lanes): a shared state store releases the state lock while
 * it waits for Redis (a batch's prefetch and flush, the replay check, its own thread's
 * writes), so a nowait lane never waits behind another lane's round trip; a read inside a
 * message that its batch did not fetch is then answered without a round trip (the batch
 * cache, else the local copy: counted in nowait_reads) instead of synchronously. Not for
 * analysis, whose verdicts must not depend on timing. Call before the lanes are used.
 */
void ssgw_pipeline_state_live(ssgw_pipeline *p);
void ssgw_pipeline_prefetch(ssgw_pipeline *p, unsigned lane, const ssgw_pipeline_msg *msgs,
                            size_t n);
/* 0, or -1 when the store could not take the writes (they stay queued, bounded). */
int ssgw_pipeline_flush(ssgw_pipeline *p, unsigned lane);

/*
 * The order-free part of n messages ahead of their runs (ssgw analyze --threads): decoding
 * on lane `lane`'s decoder (not the lane that will run them), the direction, the MAP
 * parameters the firewall decodes first (ssgw_firewall_prepare, when the firewall is sure
 * to see the message), the capture link, the partner of an inbound message. out[i] belongs to
 * msgs[i]; pass it as msgs[i].decoded to ssgw_pipeline_run on the run's lane. An SCCP segment is
 * left to its run (out[i].ready false): reassembly stays on the run's lane, in capture order, and a
 * reassembled view points into that lane's decoder. May run on another thread at the same
 * time as runs on other lanes; not across a reload (the policy must be the run's).
 */
void ssgw_pipeline_decode_ahead(ssgw_pipeline *p, unsigned lane, const ssgw_pipeline_msg *msgs,
                                size_t n, ssgw_pipeline_decoded *out);

/*
 * Warming the state store ahead (src/inspect/pl_prefetch.c). store_keys lists, into
 * keys[0..cap), the state records judging a message decoded ahead (d, made by
 * ssgw_pipeline_decode_ahead for m) will read, and returns how many (0 when the store has
 * nothing to warm, the firewall does not run, or the run decodes the message itself); it may
 * run where decode_ahead does, and changes no state (the view as judging would: MAP
 * parameters already decoded). warm, called by the thread that will run the message a few
 * messages before it, has the store bring those records into that CPU's cache; it changes
 * nothing and needs no lock. Only the embedded store does anything.
 */
size_t ssgw_pipeline_store_keys(ssgw_pipeline *p, const ssgw_pipeline_msg *m,
                                ssgw_pipeline_decoded *d, ssgw_store_key *keys, size_t cap);
void ssgw_pipeline_warm(const ssgw_pipeline *p, const ssgw_store_key *keys, size_t n);

/*
 * Time passes without messages: notices a bundle that expired at now_ms and raises
 * a replay_eviction event when live entries were evicted since the last one (at most
 * once a minute). The gateway calls it every second; offline tools at the end.
 */
void ssgw_pipeline_tick(ssgw_pipeline *p, uint64_t now_ms);

/* ---- what it saw ------------------------------------------------------------------- */

typedef struct {
    uint64_t messages, inbound, outbound;
    uint64_t actions[SSGW_PL_ACTION_COUNT];
    uint64_t verdicts[SSGW_ACT_COUNT]; /* firewall verdicts */
    uint64_t trust_outcomes[SSGW_TRUST_OUTCOME_COUNT];
    uint64_t trust_actions[3];
    uint64_t not_verified; /* inbound messages with TCAP that verification did not judge */
    uint64_t stripped, signed_msgs, sign_refused, segments_held, answers_failed;
    uint64_t replay_evicted_live;
    uint64_t replay_refused_share; /* replay_full: the signer's operator held its replay_share */
    uint64_t replay_refused_full;  /* replay_full: the token's sets held only others' entries */
    uint64_t state_unavailable;    /* dropped: the shared state could not answer (fail = closed) */
    uint64_t shared_replays;       /* replays only the shared replay cache knew (another node) */
    /* calls (ISUP) */
    uint64_t cli_outcomes[SSGW_TRUST_OUTCOME_COUNT];
    uint64_t cli_actions[3];
    uint64_t cli_stripped, cli_marked, cli_signed, cli_sign_refused;
    uint64_t calls_released;   /* REL sent back for a released call */
    uint64_t rlc_absorbed;     /* the originator's RLC for it, not forwarded */
    uint64_t rel_answered;     /* a REL of the originator crossing ours, answered with RLC */
    uint64_t released_dropped; /* other messages on a released circuit, not forwarded */
} ssgw_pipeline_stats;

/* Sums of every lane's counters (safe to call from another thread). */
void ssgw_pipeline_get_stats(const ssgw_pipeline *p, ssgw_pipeline_stats *out);

/* Objections per check name ("cat1.operation", "trust.bad_signature" ...), stable pointers. */
typedef struct {
    const char *name;
    uint64_t n;
} ssgw_pl_check_count;
/* Copies up to cap entries; returns how many there are. */
size_t ssgw_pipeline_check_counts(ssgw_pipeline *p, ssgw_pl_check_count *out, size_t cap);

/* The loaded policy and firewall in use (for summaries and reports); valid until a commit. */
const ssgw_policy *ssgw_pipeline_policy(const ssgw_pipeline *p);
ssgw_firewall *ssgw_pipeline_firewall(ssgw_pipeline *p);
/* Calls fn with the firewall in use while no lane can change its state (for reports
 * that read its counters while the gateway runs, and the risk API's lookups: a shared store
 * answers those from the back end, one round trip, not from a batch's copies). */
void ssgw_pipeline_with_firewall(ssgw_pipeline *p, void (*fn)(void *ctx, ssgw_firewall *fw),
                                 void *ctx);
/* The trust material in use, or NULL without [trust]. */
const struct ssgw_trust_setup *ssgw_pipeline_trust(const ssgw_pipeline *p);

/* Trust state for status and metrics. */
typedef struct {
    bool present;      /* [trust] loaded */
    uint64_t sequence; /* bundle in use */
    uint64_t highest;  /* highest sequence accepted (persisted when keep_sequence) */
    time_t not_after;  /* bundle validity end */
    bool expired;      /* noticed past not_after (by message time) */
    size_t members;
    size_t replay_capacity;
    int64_t window_s;
} ssgw_pl_trust_state;
void ssgw_pipeline_trust_state(const ssgw_pipeline *p, ssgw_pl_trust_state *out);

/* ---- learn mode (include/ssgw/learn.h, docs/checks.md "Learn mode") ------------------- */

/*
 * A learner runs while the policy in use has a check in learn mode (or force_learn); it is
 * the pipeline's, kept across reloads. When its [learn] period has passed (message time,
 * or the time given to ssgw_pipeline_tick) the proposal is written once to the output
 * (learn_output, else the policy's [learn] output), raising SSGW_PL_EVENT_LEARN_WRITTEN or
 * _FAILED, and learning stops. ssgw_pipeline_learn_write writes it at any time (path NULL:
 * the same output): 0, or -1 with err (no learner, no output, the write failed). Waits
 * until no lane is inside a message.
 */
int ssgw_pipeline_learn_write(ssgw_pipeline *p, const char *path, char *err, size_t errlen);

typedef struct {
    bool active;                /* a learner exists */
    bool learning;              /* it observes: the policy in use learns and the period has
                                   not ended */
    uint64_t messages;          /* observed */
    uint64_t first_ms, last_ms; /* the first and the latest observed message */
    uint64_t period_ms;
    size_t partners;      /* partners in the proposal */
    uint64_t writes;      /* proposals written */
    uint64_t written_ms;  /* wall clock of the last write, 0 never */
    char output[1024];    /* where it goes ("" none) */
    char last_error[256]; /* why the last write failed, "" */
} ssgw_pl_learn_state;
void ssgw_pipeline_learn_state(ssgw_pipeline *p, ssgw_pl_learn_state *out);

/* The state store's health (backend "embedded" and zeros for the embedded store). */
void ssgw_pipeline_state_health(ssgw_pipeline *p, ssgw_store_health *out);
/* ---- runtime switches (the gateway's management API) ------------------------------ */

typedef enum { SSGW_PL_SWITCH_CHECK = 0, SSGW_PL_SWITCH_PARTNER } ssgw_pl_switch_kind;
/* "check", "partner"; parse: -1 when unknown. */
const char *ssgw_pl_switch_kind_name(int k);
int ssgw_pl_switch_kind_parse(const char *s);
/* A switch's state as the API and the status name it: "reset", "off", "on", "learn",
 * "test", "enforce"; parse: -1 when unknown. */
const char *ssgw_fw_switch_name(int sw);
int ssgw_fw_switch_parse(const char *s);

/*
 * Switches a built-in check off, on, or into a mode (learn, test, enforce), a partner off
 * or on (include/ssgw/firewall.h), or either back to what the policy file says
 * (SSGW_FW_SWITCH_RESET), in the firewall in use. Switching a check into learn mode starts
 * a learner when none runs (its output: learn_output or [learn] output). Switches
 * are runtime state: kept across reloads (SIGHUP, a polled bundle) and applied to each
 * new policy, shown in the status ("switches"), gone at restart. A switch naming what a
 * reloaded policy no longer has stays, marked "applies": false. Returns 0, or -1 with err
 * (no such check / partner in the policy in use, too many switches). Waits until no lane
 * is inside a message.
 */
int ssgw_pipeline_switch(ssgw_pipeline *p, ssgw_pl_switch_kind kind, const char *name,
                         ssgw_fw_switch sw, char *err, size_t errlen);

/*
 * Writes the pipeline's status object ("pipeline": {policy, mode, lanes, counters,
 * checks, check_modes (per check not in enforce mode: its mode and objections), trust ...,
 * switches, partners (messages and refused per network), store (per table: capacity, used,
 * inserts, evictions), learn (when a learner runs)}) into j: what `ssgw status` shows.
 */
void ssgw_pipeline_status(ssgw_pipeline *p, ssgw_json *j);

#endif
