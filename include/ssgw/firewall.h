/*
 * firewall.h - the SS7 firewall: one decoded message in, one policy verdict out.
 *
 *   ssgw_view (decoded by ssgw_decoder) --ssgw_firewall_judge()--> ssgw_verdict
 *
 * It is the middle stage of the inspection pipeline (include/ssgw/pipeline.h),
 * between trust verification and signing; every front end reaches it through
 * the pipeline, so a capture shows what the gateway would have done. Order of
 * evaluation:
 *   1. malformed: a view with has_error gets the configured verdict
 *      ([policy] malformed, default drop) and check "malformed.<layer>";
 *   2. operator rules ([[rule]]), first match wins ("rule.<name>");
 *   3. the built-in checks in registry order (ssgw_check_at), each in its mode
 *      (ssgw_check_mode: off, learn, test, enforce): the first objection of a check in
 *      enforce mode decides; a check in test mode that objects first gives the verdict,
 *      reported but not enforced, unless a later check in enforce mode refuses the
 *      message; checks in learn mode are counted and never decide; none objecting gives
 *      "default" / allow.
 * Then state is learned from what passes (dialogues, locations, SRI-SM marks), and a
 * learner (include/ssgw/learn.h), when one is attached, observes every message the
 * verdict did not refuse.
 * A Diameter message (S6a/S6d) skips the operator rules (they speak of GTs, SSNs and
 * MAP operations) and goes through the checks marked SSGW_CHECK_DIAMETER
 * (src/policy/checks_diameter.c), each in its mode; its subscriber state is the same
 * store's. A message that is not simply allowed gets the incident id of its subscriber.
 *
 * Nothing is allocated per message; the reason sentence is formatted only when
 * a check or rule decided. Counters per verdict and per decider are kept.
 * A firewall is not thread-safe: use one per thread (they may share a
 * policy and, with a thread-safe back end, a store), or a lock (the pipeline's).
 */
#ifndef SSGW_FIREWALL_H
#define SSGW_FIREWALL_H

#include <stdbool.h>
#include <stdint.h>

#include "ssgw/policy.h"
#include "ssgw/store.h"
#include "ssgw/view.h"

typedef struct {
    uint64_t time_ms;         /* message time (capture time, or the clock) */
    ssgw_direction direction; /* SSGW_DIR_UNKNOWN: derived from DPC / called GT */
    bool has_peer;            /* peer is set: the point code (or association) it came from */
    uint32_t peer;            /* when !has_peer, the routing label's OPC is used */
    const char *peer_host;    /* Diameter: the arrival peer's Origin-Host / -Realm from its */
    const char *peer_realm;   /* CER/CEA (NULL: unknown, e.g. a capture) */
    uint32_t source;          /* the arrival link (ssgw_pipeline_msg.source), 0 = none: a
                                 dialogue is bound to the link its peer answers on */
} ssgw_firewall_meta;

#define SSGW_REASON_CAP 320

typedef struct {
    ssgw_action action;     /* what the policy decided */
    bool enforced;          /* false in monitor mode, and when a check in test mode decided */
    bool pass;              /* the message is forwarded (always true in monitor mode) */
    ssgw_category category; /* category of the message's operation */
    ssgw_direction direction;
    int opcode;                   /* first invoke's opcode, -1 */
    int decider;                  /* index for ssgw_firewall_decider_name() */
    const char *check;            /* "cat1.operation", "rule.<name>", "malformed.sccp", "default" */
    ssgw_answer answer;           /* when action is answer */
    uint32_t incident;            /* when not allowed: the subscriber's incident id (the same for
                                     every block about it within [state] incident_window, MAP and
                                     Diameter alike), 0 = none (no subscriber in the message) */
    char reason[SSGW_REASON_CAP]; /* one sentence */
    const char *calling_partner;  /* the [[partner]] the calling GT belongs to, NULL none: what
                                     ssgw_policy_trust_for_gt names (owned by the policy) */
} ssgw_verdict;

typedef struct ssgw_firewall ssgw_firewall;

/*
 * Creates a firewall for policy p (which must outlive it). store may be
 * NULL: an embedded store is created with the policy's [state] capacities and
 * owned by the firewall; otherwise the caller keeps ownership.
 * Returns NULL when out of memory.
 */
ssgw_firewall *ssgw_firewall_new(const ssgw_policy *p, ssgw_store *store);
void ssgw_firewall_free(ssgw_firewall *in);
/* Overrides the policy's mode (monitor: verdicts computed, everything passes). */
void ssgw_firewall_set_monitor(ssgw_firewall *in, bool monitor);
/* Every check that is not off in learn mode (ssgw analyze --learn): nothing a check
 * says decides, rules and malformed handling still do. */
void ssgw_firewall_set_learn_all(ssgw_firewall *in, bool all);
/* The learner fed with every message not refused (NULL: none). The caller keeps it; it
 * must outlive its use here. */
struct ssgw_learner;
void ssgw_firewall_set_learner(ssgw_firewall *in, struct ssgw_learner *l);

/*
 * Inspects one message. v comes from ssgw_decoder_run() (it may be modified:
 * MAP parameters are decoded into it on demand). meta may be NULL (time 0,
 * direction derived). Always fills *out; returns 0 (-1 only for bad arguments).
 */
int ssgw_firewall_judge(ssgw_firewall *in, ssgw_view *v, const ssgw_firewall_meta *meta,
                        ssgw_verdict *out);

/*
 * State store failures (ssgw_store_ops.failures) that arose while the firewall learned from a
 * message it let pass (reading a dialogue or a location before updating it), counted since
 * the firewall was made. Learning fails open: a caller that refuses messages whose state
 * could not be read (a shared store with fail = "closed") subtracts these.
 */
uint64_t ssgw_firewall_learn_failures(const ssgw_firewall *in);

/*
 * What judging v will decode into it anyway and needs neither state nor the firewall's
 * counters (the MAP parameters of an inbound MAP message), done ahead: for a caller that
 * judges messages in turn on several threads (ssgw analyze --threads), so that this part runs
 * before the message's turn. Optional; the verdict is the same with or without it. Reads
 * nothing but v: safe beside judging threads.
 */
void ssgw_firewall_prepare(ssgw_view *v, ssgw_direction direction);

/*
 * The records judging v (with meta) may read from the state store, for a back end that
 * fetches a batch of messages' records in one round trip (ssgw_store_ops.prefetch). Writes
 * up to cap keys (repetitions possible) and returns how many; v may be modified as by
 * ssgw_firewall_judge (MAP parameters decoded). A key left out costs a synchronous read
 * later, never a different verdict. Reads only the policy, and writes only the calling
 * thread's own memo of GT owners: safe beside judging threads and other listing threads.
 */
size_t ssgw_firewall_prefetch_keys(ssgw_firewall *in, ssgw_view *v, const ssgw_firewall_meta *meta,
                                   ssgw_store_key *keys, size_t cap);

typedef struct {
    uint64_t messages;
    uint64_t by_action[SSGW_ACT_COUNT];
    uint64_t passed, blocked; /* actually forwarded / not (monitor: blocked stays 0) */
} ssgw_firewall_stats;

const ssgw_firewall_stats *ssgw_firewall_get_stats(const ssgw_firewall *in);
/* Deciders: built-in checks, malformed.<layer> for each layer, then the rules. */
size_t ssgw_firewall_decider_count(const ssgw_firewall *in);
const char *ssgw_firewall_decider_name(const ssgw_firewall *in, size_t i);
uint64_t ssgw_firewall_decider_hits(const ssgw_firewall *in, size_t i);
ssgw_store *ssgw_firewall_store(ssgw_firewall *in);

/* A built-in check (registry index i): its mode now (the file's, a runtime switch,
 * monitor mode and learn-all applied) and its objections by mode. */
typedef struct {
    ssgw_check_mode mode;
    uint64_t enforced; /* objections that decided, applied */
    uint64_t tested;   /* objections that gave a verdict in test mode (not applied) */
    uint64_t learned;  /* objections in learn mode (counted only) */
} ssgw_fw_check_stats;
void ssgw_firewall_check_stats(const ssgw_firewall *in, size_t i, ssgw_fw_check_stats *out);

/*
 * Runtime switches (the gateway's management API; the pipeline keeps them across
 * policy reloads). A check forced off is skipped; forced on runs in the file's mode, or
 * in enforce mode when the file says off; forced into learn, test or enforce mode runs in
 * that mode; reset returns to the file's setting. [policy] mode = "monitor" still turns
 * enforce into test. A partner switched off has every inbound message whose calling GT
 * it owns dropped, check "partner.disabled", and every IAM from its point codes refused
 * (released): the other ISUP messages of its calls already up still pass, so that no
 * circuit is left seized (the modes do not apply to partners).
 * A check's switch (and set_monitor / set_learn_all) takes effect at the next judgement,
 * which rebuilds the lists of checks once however many switches came before it.
 * Return 0, or -1 when no check / partner has that name.
 */
typedef enum {
    SSGW_FW_SWITCH_RESET = 0,
    SSGW_FW_SWITCH_OFF,
    SSGW_FW_SWITCH_ON,
    SSGW_FW_SWITCH_LEARN,
    SSGW_FW_SWITCH_TEST,
    SSGW_FW_SWITCH_ENFORCE
} ssgw_fw_switch;
int ssgw_firewall_switch_check(ssgw_firewall *in, const char *name, ssgw_fw_switch sw);
int ssgw_firewall_switch_partner(ssgw_firewall *in, const char *name, ssgw_fw_switch sw);

/* Messages judged per network on the other end (inbound: the calling GT's owner; outbound:
 * the called GT's; ISUP: the owner of the OPC / DPC), and how many of them did not pass. Index 0 is
 * "unknown" (no partner network), 1 .. count-1 the policy's partners in file order. */
typedef struct {
    const char *name;
    uint64_t messages, refused;
    bool disabled; /* switched off (ssgw_firewall_switch_partner) */
} ssgw_fw_party_stats;
size_t ssgw_firewall_party_count(const ssgw_firewall *in);
void ssgw_firewall_party_stats_at(const ssgw_firewall *in, size_t i, ssgw_fw_party_stats *out);

#endif
