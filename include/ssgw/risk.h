/*
 * risk.h - interception-risk events per subscriber: what a bank or a
 * mobile-money provider asks before trusting an SMS one-time password ("has
 * this number seen something that could divert its SMS or calls lately?").
 *
 * The firewall (include/ssgw/firewall.h) notes an event for the subscriber a
 * message names (MSISDN, else IMSI) when it judges an inbound MAP message:
 *   location_update_new_network  an accepted location update from another network
 *                                (or country) than the subscriber's last one;
 *   call_forwarding              an accepted registerSS / activateSS of a call
 *                                forwarding service (SS codes 0x20-0x2f);
 *   sms_routing_interrogation    an accepted sendRoutingInfoForSM or sendRoutingInfo
 *                                from a GT of no partner network;
 *   blocked_attack               any message the firewall refused (drop, answer,
 *                                rate limit) that names the subscriber.
 * Only the latest event per subscriber is kept, in the state store (bounded,
 * include/ssgw/store.h), with the IMSI <-> MSISDN pairs learned from messages
 * that carry both, so that an event known only by IMSI is found by number.
 * Nothing of the signalling is kept but the time and the kind.
 */
#ifndef SSGW_RISK_H
#define SSGW_RISK_H

#include <stdbool.h>
#include <stdint.h>

#include "ssgw/store.h"

typedef enum {
    SSGW_RISK_NONE = 0,
    SSGW_RISK_LOCATION_NEW_NETWORK,
    SSGW_RISK_CALL_FORWARDING,
    SSGW_RISK_SMS_ROUTING_INTERROGATION,
    SSGW_RISK_BLOCKED_ATTACK,
    SSGW_RISK_KIND_COUNT
} ssgw_risk_kind;

/* "none", "location_update_new_network", "call_forwarding", "sms_routing_interrogation",
 * "blocked_attack". */
const char *ssgw_risk_kind_name(int kind);

/* The store keys of a subscriber's identities (0 when digits is not 1..15 digits). */
uint64_t ssgw_risk_msisdn_key(const char *digits);
uint64_t ssgw_risk_imsi_key(const char *digits);

typedef struct {
    bool found;          /* an event is known (at any age) */
    bool at_risk;        /* ... and no older than max_age_s */
    uint32_t time;       /* the latest event, seconds since 1970 */
    ssgw_risk_kind kind; /* its kind */
} ssgw_risk_answer;

/*
 * The latest event of the subscriber with this MSISDN (international digits, no
 * '+'), looked up under the number and under its IMSI when the pair is known.
 * Returns 0 with out filled, or -1 when the back end keeps no risk events or cannot
 * answer now (a shared one that is unreachable with [state] fail = "closed"). The
 * caller holds whatever lock guards the store.
 */
int ssgw_risk_lookup(ssgw_store *s, const char *msisdn, uint32_t now, uint32_t max_age_s,
                     ssgw_risk_answer *out);

#endif
