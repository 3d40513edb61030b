/*
 * risk.c - interception-risk events per subscriber (include/ssgw/risk.h):
 * which inbound MAP messages are events, whose they are, and the lookup the
 * gateway's risk API makes. The firewall calls ssgw_risk_note() for every
 * message it judged, before it learns from it (the previous location is needed
 * to tell a new network).
 */
#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"
#include "ssgw/risk.h"

static const char *const kind_names[SSGW_RISK_KIND_COUNT] = {
    "none", "location_update_new_network", "call_forwarding", "sms_routing_interrogation",
    "blocked_attack"};

const char *ssgw_risk_kind_name(int kind)
{
    return kind >= 0 && kind < SSGW_RISK_KIND_COUNT ? kind_names[kind] : "unknown";
}

/* The risk keys of a packed MSISDN and a packed IMSI (0 stays 0: none). */
static uint64_t msisdn_mix(uint64_t packed)
{
    return packed ? ssgw_store_mix(packed, 0x4d534953444eull /* "MSISDN" */) : 0;
}
static uint64_t imsi_mix(uint64_t packed)
{
    return packed ? ssgw_store_mix(packed, 0x494d5349ull /* "IMSI" */) : 0;
}

uint64_t ssgw_risk_msisdn_key(const char *digits)
{
    return msisdn_mix(ssgw_store_pack_digits(digits));
}

uint64_t ssgw_risk_imsi_key(const char *digits)
{
    return imsi_mix(ssgw_store_pack_digits(digits));
}

/* ssgw_risk_msisdn_key of the message's MSISDN, packed from its array. */
static uint64_t msisdn_key(const ssgw_map_fields *m)
{
    return msisdn_mix(ssgw_store_pack_digits_in(m->msisdn.digits, sizeof m->msisdn.digits));
}

/* ssgw_risk_imsi_key of cx->imsi: its packed form is cx->imsi_key (ssgw_check_need_map). */
static uint64_t imsi_key(const ssgw_check_ctx *cx)
{
    return imsi_mix(cx->imsi_key);
}

static bool is_forwarding(const char *ss_code_hex)
{
    if (!ss_code_hex[0]) return false;
    unsigned long c = strtoul(ss_code_hex, NULL, 16);
    return (c & 0xf0) == 0x20; /* TS 29.002 17.7.5: allForwardingSS and its members */
}

/* Another network than the last accepted location's (its VLR's owner or its country). */
static bool new_network(const ssgw_check_ctx *cx)
{
    ssgw_store_location loc;
    if (!cx->imsi_key || cx->store->ops->location_get(cx->store, cx->imsi_key, &loc) != 1)
        return false; /* nothing known before: no change to tell */
    const ssgw_map_fields *m = &cx->v->map;
    const char *gt = m->vlr_number.digits[0]    ? m->vlr_number.digits
                     : m->sgsn_number.digits[0] ? m->sgsn_number.digits
                                                : cx->calling;
    char old[20];
    ssgw_store_unpack_digits(loc.vlr, old, sizeof old);
    uint16_t o_old = 0, o_new = 0;
    uint8_t r;
    trie_lookup(&cx->p->gt, old, &o_old, &r);
    trie_lookup(&cx->p->gt, gt, &o_new, &r);
    uint16_t cc = geo_index(geo_lookup(gt));
    return o_old != o_new || (loc.cc && cc && loc.cc != cc) || (!o_new && strcmp(old, gt) != 0);
}

void ssgw_risk_note(ssgw_check_ctx *cx, bool refused)
{
    ssgw_store *s = cx->store;
    if (!s->ops->risk_put || !ssgw_risk_may_note(cx)) return;
    bool inbound = cx->dir == SSGW_DIR_INBOUND;
    if (ssgw_check_need_map(cx) < 0) return;
    const ssgw_map_fields *m = &cx->v->map;
    uint64_t mk = msisdn_key(m), ik = imsi_key(cx);
    if (mk && ik && s->ops->alias_put) s->ops->alias_put(s, mk, ik, cx->now_s);
    if (!inbound || (!mk && !ik)) return;
    ssgw_risk_kind kind = SSGW_RISK_NONE;
    if (refused)
        kind = SSGW_RISK_BLOCKED_ATTACK;
    else if ((cx->op == SSGW_MAP_OP_UPDATE_LOCATION ||
              cx->op == SSGW_MAP_OP_UPDATE_GPRS_LOCATION) &&
             new_network(cx))
        kind = SSGW_RISK_LOCATION_NEW_NETWORK;
    else if ((cx->op == SSGW_MAP_OP_REGISTER_SS || cx->op == SSGW_MAP_OP_ACTIVATE_SS) &&
             is_forwarding(m->ss_code))
        kind = SSGW_RISK_CALL_FORWARDING;
    else if ((cx->op == SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM ||
              cx->op == SSGW_MAP_OP_SEND_ROUTING_INFO) &&
             cx->calling_owner < OWNER_PARTNER(0))
        kind = SSGW_RISK_SMS_ROUTING_INTERROGATION;
    if (kind == SSGW_RISK_NONE) return;
    uint64_t subject = mk ? mk : ik;
    if (!mk && s->ops->alias_get) { /* known by IMSI only: file it under the number too */
        uint64_t other;
        if (s->ops->alias_get(s, ik, &other) == 1) s->ops->risk_put(s, other, cx->now_s, kind);
    }
    s->ops->risk_put(s, subject, cx->now_s, kind);
}

size_t ssgw_risk_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap)
{
    ssgw_store *s = cx->store;
    if (!s->ops->risk_put || !cx->is_map || cx->op < 0 || cx->dir != SSGW_DIR_INBOUND) return 0;
    if (ssgw_check_need_map(cx) < 0) return 0;
    ssgw_store_key k[2];
    size_t n = 0;
    uint64_t mk = msisdn_key(&cx->v->map), ik = imsi_key(cx);
    if ((cx->op == SSGW_MAP_OP_UPDATE_LOCATION || cx->op == SSGW_MAP_OP_UPDATE_GPRS_LOCATION) &&
        cx->imsi_key) /* new_network() */
        k[n++] = (ssgw_store_key){SSGW_STORE_LOCATION, cx->imsi_key, 0};
    if (!mk && ik && s->ops->alias_get) /* an event known by IMSI only is filed by number */
        k[n++] = (ssgw_store_key){SSGW_STORE_ALIAS, ik, 0};
    if (n > cap) n = cap;
    memcpy(keys, k, n * sizeof *k);
    return n;
}

int ssgw_risk_lookup(ssgw_store *s, const char *msisdn, uint32_t now, uint32_t max_age_s,
                     ssgw_risk_answer *out)
{
    memset(out, 0, sizeof *out);
    if (!s->ops->risk_get) return -1;
    uint64_t keys[2] = {ssgw_risk_msisdn_key(msisdn), 0};
    if (keys[0] && s->ops->alias_get && s->ops->alias_get(s, keys[0], &keys[1]) < 0) return -1;
    for (int i = 0; i < 2; i++) {
        uint32_t t, k;
        int got = keys[i] ? s->ops->risk_get(s, keys[i], &t, &k) : 0;
        if (got < 0) return -1; /* a shared back end that cannot answer (fail = "closed") */
        if (got != 1) continue;
        if (!out->found || t > out->time) {
            out->found = true;
            out->time = t;
            out->kind = k < SSGW_RISK_KIND_COUNT ? (ssgw_risk_kind)k : SSGW_RISK_BLOCKED_ATTACK;
        }
    }
    out->at_risk = out->found && (out->time >= now || now - out->time <= max_age_s);
    return 0;
}
