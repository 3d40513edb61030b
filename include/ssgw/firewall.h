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
 *   3. the built-in checks in registry order (ssgw_check_at), first objection
 *      wins; none objecting gives "default" / allow.
 * Then state is learned from what passes (dialogues, locations, SRI-SM marks).
 * A Diameter message (S6a/S6d) skips the operator rules (they speak of GTs, SSNs and
 * MAP operations) and goes through the checks marked SSGW_CHECK_DIAMETER
 * (src/policy/checks_diameter.c); its subscriber state is the same store's.
 * A message that is not simply allowed gets the incident id of its subscriber.
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
} ssgw_firewall_meta;

#define SSGW_REASON_CAP 320

typedef struct {
    ssgw_action action;     /* what the policy decided */
    bool enforced;          /* false in monitor mode */
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

/*
 * Inspects one message. v comes from ssgw_decoder_run() (it may be modified:
 * MAP parameters are decoded into it on demand). meta may be NULL (time 0,
 * direction derived). Always fills *out; returns 0 (-1 only for bad arguments).
 */
int ssgw_firewall_judge(ssgw_firewall *in, ssgw_view *v, const ssgw_firewall_meta *meta,
                        ssgw_verdict *out);

/*
 * The records judging v (with meta) may read from the state store, for a back end that
 * fetches a batch of messages' records in one round trip (ssgw_store_ops.prefetch). Writes
 * up to cap keys (repetitions possible) and returns how many; v may be modified as by
 * ssgw_firewall_judge (MAP parameters decoded). A key left out costs a synchronous read
 * later, never a different verdict. Reads only the policy: safe beside judging threads.
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

/*
 * Runtime switches (the gateway's management API; the pipeline keeps them across
 * policy reloads). A check forced off is skipped, forced on runs although the policy
 * file disabled it; reset returns to the file's setting. A partner switched off has
 * every inbound message whose calling GT it owns dropped, check "partner.disabled", and
 * every IAM from its point codes refused (released): the other ISUP messages of its calls
 * already up still pass, so that no circuit is left seized.
 * Return 0, or -1 when no check / partner has that name.
 */
typedef enum { SSGW_FW_SWITCH_RESET = 0, SSGW_FW_SWITCH_OFF, SSGW_FW_SWITCH_ON } ssgw_fw_switch;
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
