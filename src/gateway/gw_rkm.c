/*
 * gw_rkm.c - M3UA routing key management where the gateway is the SG (RFC 4666
 * 3.6, 4.4.2): on a link with `rkm = true`, the ASP registers routing keys (a DPC,
 * optionally the service indicators and OPCs it takes for it) with REG REQ and
 * gets a routing context for each; from then on DATA for that key routes to the
 * link (gw_route.c) and leaves with that routing context. DEREG REQ removes a
 * key while the ASP is not ACTIVE. The keys live as long as the association.
 *
 * A border gateway must not let a peer claim traffic: only the DPCs of the
 * link's `rkm_dpc` may be registered ("permission denied" for others), at most
 * `rkm_max_keys` per association ("insufficient resources"), no wildcard point
 * codes, no second DPC in a key, no change of a registered key; every outcome is
 * counted, and the log is limited to one line per second per link.
 *
 * An identical key registered on another link gets the same routing context (the
 * two ASPs serve one AS: failover or loadshare as for configured DPCs); a new key
 * gets the lowest routing context no link uses (configured or registered).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gateway/gw_int.h"
#include "ssgw/log.h"
#include "ssgw/m3ua.h"
#include "util/bytes.h"

#define RKM_MAX_KEYS_PER_MSG 64 /* a REG REQ with more is refused with an ERR */

const char *gw_rkm_counter_name(int c)
{
    static const char *const n[GW_RKM_COUNT] = {"registered", "refused", "deregistered",
                                                "dereg_refused"};
    return c >= 0 && c < GW_RKM_COUNT ? n[c] : "?";
}

static void count(gw_link *l, gw_rkm_counter c)
{
    l->rkm[c]++;
    l->g->c.rkm[c]++;
}

/* One log line per second per link; the lines skipped meanwhile are counted in the next. */
static void rkm_log(gw_link *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rkm_log(gw_link *l, const char *fmt, ...)
{
    uint64_t now = ssgw_evloop_now_ms();
    if (l->rkm_log_ms && now - l->rkm_log_ms < 1000) {
        l->rkm_unlogged++;
        return;
    }
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (l->rkm_unlogged)
        ssgw_log(SSGW_LOG_NOTICE,
                 "link '%s': %s (%llu registration lines not logged in the last second)",
                 l->cfg.name, line, (unsigned long long)l->rkm_unlogged);
    else
        ssgw_log(SSGW_LOG_NOTICE, "link '%s': %s", l->cfg.name, line);
    l->rkm_log_ms = now;
    l->rkm_unlogged = 0;
}

/* ---- keys ----------------------------------------------------------------------------- */

static bool same_key(const ssgw_m3ua_routing_key *a, const ssgw_m3ua_routing_key *b)
{
    return a->dpc == b->dpc && a->n_si == b->n_si && a->n_opc == b->n_opc &&
           !memcmp(a->si, b->si, a->n_si) && !memcmp(a->opc, b->opc, a->n_opc * sizeof a->opc[0]);
}

static bool opc_matches(uint32_t entry, uint32_t opc)
{
    /* mask:8 | pc:24; the mask is the number of low-order bits that are wildcards */
    unsigned mask = entry >> 24;
    uint32_t care = mask >= 24 ? 0 : (0xffffffu << mask) & 0xffffffu;
    return ((entry ^ opc) & care) == 0;
}

static bool key_matches(const ssgw_m3ua_routing_key *k, const ssgw_m3ua_protocol_data *pd)
{
    if (k->dpc != pd->dpc) return false;
    bool ok = !k->n_si;
    for (size_t i = 0; !ok && i < k->n_si; i++)
        ok = k->si[i] == pd->si;
    if (!ok) return false;
    ok = !k->n_opc;
    for (size_t i = 0; !ok && i < k->n_opc; i++)
        ok = opc_matches(k->opc[i], pd->opc);
    return ok;
}

bool gw_rkm_routes(const gw_link *l, const ssgw_m3ua_protocol_data *pd)
{
    for (size_t i = 0; i < l->n_rkeys; i++)
        if (key_matches(&l->rkeys[i].key, pd)) return true;
    return false;
}

bool gw_rkm_serves_dpc(const gw_link *l, uint32_t dpc)
{
    for (size_t i = 0; i < l->n_rkeys; i++)
        if (l->rkeys[i].key.dpc == dpc) return true;
    return false;
}

/* The protocol data of an M3UA DATA message, found with the raw parameter iterator. */
static bool protocol_data_of(const uint8_t *m, size_t len, ssgw_m3ua_protocol_data *pd)
{
    if (len < SSGW_M3UA_HDR_LEN) return false;
    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param p;
    ssgw_error e;
    ssgw_m3ua_param_iter_init_raw(&it, m + SSGW_M3UA_HDR_LEN, len - SSGW_M3UA_HDR_LEN,
                                  SSGW_M3UA_HDR_LEN);
    while (ssgw_m3ua_param_next(&it, &p, &e) == 1)
        if (p.tag == SSGW_M3UA_TAG_PROTOCOL_DATA)
            return ssgw_m3ua_protocol_data_decode(p.val, p.len, pd, &e) == 0;
    return false;
}

bool gw_rkm_rc_for(const gw_link *l, const uint8_t *m, size_t len, const ssgw_m3ua_msg *dec,
                   uint32_t *rc)
{
    if (!l->n_rkeys) return false;
    ssgw_m3ua_protocol_data pd;
    bool have = dec && (dec->present & SSGW_M3UA_HAS_PROTOCOL_DATA);
    if (have)
        pd = dec->protocol_data;
    else
        have = protocol_data_of(m, len, &pd);
    for (size_t i = 0; have && i < l->n_rkeys; i++)
        if (key_matches(&l->rkeys[i].key, &pd)) {
            *rc = l->rkeys[i].rc;
            return true;
        }
    if (l->cfg.n_rc) return false; /* the configured AS */
    *rc = l->rkeys[0].rc;          /* SSNM and the like: the first registered AS */
    return true;
}

static bool rc_in_use(const ssgw_gw *g, uint32_t rc)
{
    for (size_t i = 0; i < g->n_links; i++) {
        const gw_link *o = g->links[i];
        if (!o) continue;
        for (size_t k = 0; k < o->cfg.n_rc; k++)
            if (o->cfg.rc[k] == rc) return true;
        for (size_t k = 0; k < o->n_rkeys; k++)
            if (o->rkeys[k].rc == rc) return true;
    }
    return false;
}

/* The routing context for a new key: that of an identical key on another link, else
 * the lowest one no link uses. */
static uint32_t rc_for_new(const ssgw_gw *g, const gw_link *l, const ssgw_m3ua_routing_key *k)
{
    for (size_t i = 0; i < g->n_links; i++) {
        const gw_link *o = g->links[i];
        if (!o || o == l) continue;
        for (size_t j = 0; j < o->n_rkeys; j++)
            if (same_key(&o->rkeys[j].key, k)) return o->rkeys[j].rc;
    }
    uint32_t rc = 1;
    while (rc_in_use(g, rc))
        rc++;
    return rc;
}

static bool dpc_permitted(const gw_link *l, uint32_t dpc)
{
    for (size_t i = 0; i < l->cfg.n_rkm_dpc; i++)
        if (l->cfg.rkm_dpc[i] == dpc) return true;
    return false;
}

/* ---- REG REQ -------------------------------------------------------------------------- */

/* Decides one Routing Key parameter: registers it or says why not. */
static ssgw_m3ua_reg_result register_key(gw_link *l, const ssgw_m3ua_param *p)
{
    ssgw_m3ua_reg_result r = {0, SSGW_M3UA_REG_UNKNOWN, 0};
    ssgw_m3ua_routing_key k;
    ssgw_error e;
    const char *why = NULL;
    if (ssgw_m3ua_routing_key_decode(p->val, p->len, &k, &e) < 0) {
        r.local_rk_id = k.local_rk_id;
        r.status = SSGW_M3UA_REG_INVALID_RK;
        rkm_log(l, "REG REQ from %s: key %u refused: %s %s", l->tp.peer, k.local_rk_id, e.field,
                ssgw_errcode_name(e.code));
        count(l, GW_RKM_REFUSED);
        return r;
    }
    r.local_rk_id = k.local_rk_id;
    uint32_t pc = k.dpc & 0xffffffu;
    if (k.unknown_tag || k.n_dpc > 1 || (k.dpc >> 24)) {
        r.status = SSGW_M3UA_REG_UNSUPPORTED_RK_FIELD;
        why = k.unknown_tag ? "a parameter a routing key does not have"
              : k.n_dpc > 1 ? "more than one DPC"
                            : "a wildcard DPC";
    } else if (k.traffic_mode && k.traffic_mode != SSGW_M3UA_TMT_OVERRIDE &&
               k.traffic_mode != SSGW_M3UA_TMT_LOADSHARE) {
        r.status = SSGW_M3UA_REG_INVALID_TRAFFIC_MODE;
        why = "traffic mode not override or loadshare";
    } else if (!dpc_permitted(l, pc)) {
        r.status = SSGW_M3UA_REG_PERMISSION_DENIED;
        why = "DPC not in rkm_dpc";
    }
    for (size_t i = 0; !why && i < l->n_rkeys; i++) {
        if (!same_key(&l->rkeys[i].key, &k)) continue;
        r.routing_context = l->rkeys[i].rc;
        if (k.has_routing_context && k.routing_context == l->rkeys[i].rc) {
            r.status = SSGW_M3UA_REG_OK; /* the same key again, with its context: idempotent */
            count(l, GW_RKM_REGISTERED);
            return r;
        }
        r.status = SSGW_M3UA_REG_ALREADY_REGISTERED;
        why = "already registered on this association";
    }
    if (!why && k.has_routing_context) {
        r.status = SSGW_M3UA_REG_CHANGE_REFUSED;
        why = "a change of a registered key";
    }
    if (!why && l->n_rkeys >= l->cfg.rkm_max_keys) {
        r.status = SSGW_M3UA_REG_INSUFFICIENT_RESOURCES;
        why = "rkm_max_keys reached";
    }
    if (why) {
        rkm_log(l, "REG REQ from %s: key %u (DPC %u) refused: %s (%s)", l->tp.peer, k.local_rk_id,
                pc, ssgw_m3ua_reg_status_name(r.status), why);
        count(l, GW_RKM_REFUSED);
        return r;
    }
    gw_rkey *n = &l->rkeys[l->n_rkeys];
    n->key = k;
    n->key.dpc = pc;
    n->rc = rc_for_new(l->g, l, &k);
    l->n_rkeys++;
    r.status = SSGW_M3UA_REG_OK;
    r.routing_context = n->rc;
    rkm_log(l, "REG REQ from %s: key %u registered: DPC %u -> routing context %u", l->tp.peer,
            k.local_rk_id, pc, n->rc);
    count(l, GW_RKM_REGISTERED);
    return r;
}

static void reg_req(gw_link *l, const ssgw_m3ua_msg *msg, const uint8_t *m, size_t len)
{
    if (msg->n_routing_key > RKM_MAX_KEYS_PER_MSG) {
        l->rkm[GW_RKM_REFUSED] += msg->n_routing_key;
        l->g->c.rkm[GW_RKM_REFUSED] += msg->n_routing_key;
        rkm_log(l, "REG REQ from %s with %zu routing keys (at most %d per message) refused",
                l->tp.peer, msg->n_routing_key, RKM_MAX_KEYS_PER_MSG);
        gw_link_send_err(l, SSGW_M3UA_ERR_PARAM_FIELD_ERROR, m, len);
        return;
    }
    ssgw_m3ua_reg_result res[RKM_MAX_KEYS_PER_MSG];
    size_t n = 0;
    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param p;
    ssgw_error e;
    ssgw_m3ua_param_iter_init(&it, msg);
    while (ssgw_m3ua_param_next(&it, &p, &e) == 1)
        if (p.tag == SSGW_M3UA_TAG_ROUTING_KEY && n < RKM_MAX_KEYS_PER_MSG)
            res[n++] = register_key(l, &p);
    ssgw_buf b;
    ssgw_buf_init(&b, l->g->mgmt, sizeof l->g->mgmt);
    gw_send_mgmt(l, &b, ssgw_m3ua_encode_reg_rsp(&b, res, n));
}

/* ---- DEREG REQ ------------------------------------------------------------------------ */

static ssgw_m3ua_dereg_result deregister(gw_link *l, uint32_t rc)
{
    ssgw_m3ua_dereg_result r = {rc, SSGW_M3UA_DEREG_INVALID_RC};
    for (size_t i = 0; i < l->n_rkeys; i++) {
        if (l->rkeys[i].rc != rc) continue;
        if (l->state == SSGW_ASP_ACTIVE) {
            r.status = SSGW_M3UA_DEREG_ASP_ACTIVE; /* ASPIA first (RFC 4666 4.4.3) */
            break;
        }
        rkm_log(l, "DEREG REQ from %s: routing context %u (DPC %u) deregistered", l->tp.peer, rc,
                l->rkeys[i].key.dpc);
        l->rkeys[i] = l->rkeys[--l->n_rkeys];
        count(l, GW_RKM_DEREGISTERED);
        r.status = SSGW_M3UA_DEREG_OK;
        return r;
    }
    if (r.status == SSGW_M3UA_DEREG_INVALID_RC) {
        for (size_t k = 0; k < l->cfg.n_rc; k++)
            if (l->cfg.rc[k] == rc) r.status = SSGW_M3UA_DEREG_PERMISSION_DENIED; /* configured */
        if (r.status == SSGW_M3UA_DEREG_INVALID_RC && rc_in_use(l->g, rc))
            r.status = SSGW_M3UA_DEREG_NOT_REGISTERED; /* another association's */
    }
    rkm_log(l, "DEREG REQ from %s: routing context %u refused: %s", l->tp.peer, rc,
            ssgw_m3ua_dereg_status_name(r.status));
    count(l, GW_RKM_DEREG_REFUSED);
    return r;
}

static void dereg_req(gw_link *l, const ssgw_m3ua_msg *msg)
{
    ssgw_m3ua_dereg_result res[RKM_MAX_KEYS_PER_MSG];
    size_t n = 0;
    for (size_t i = 0; i < msg->routing_context.count && n < RKM_MAX_KEYS_PER_MSG; i++)
        res[n++] = deregister(l, ssgw_m3ua_u32_at(&msg->routing_context, i));
    ssgw_buf b;
    ssgw_buf_init(&b, l->g->mgmt, sizeof l->g->mgmt);
    gw_send_mgmt(l, &b, ssgw_m3ua_encode_dereg_rsp(&b, res, n));
}

/* ---- entry points --------------------------------------------------------------------- */

void gw_rkm_handle(gw_link *l, const ssgw_m3ua_msg *msg, const uint8_t *m, size_t len)
{
    bool request =
        msg->msg_type == SSGW_M3UA_RKM_REG_REQ || msg->msg_type == SSGW_M3UA_RKM_DEREG_REQ;
    /* registration follows ASP-UP (RFC 4666 4.4.1); responses are for an SG to send */
    if (!request || l->state == SSGW_ASP_DOWN) {
        gw_link_send_err(l, SSGW_M3UA_ERR_UNEXPECTED_MESSAGE, m, len);
        return;
    }
    if (msg->msg_type == SSGW_M3UA_RKM_REG_REQ)
        reg_req(l, msg, m, len);
    else
        dereg_req(l, msg);
}

void gw_rkm_clear(gw_link *l)
{
    if (!l->n_rkeys) return;
    ssgw_log(SSGW_LOG_NOTICE, "link '%s': %zu registered routing keys removed with the association",
             l->cfg.name, l->n_rkeys);
    l->n_rkeys = 0;
}

static void drop_key(gw_link *l, size_t i)
{
    ssgw_log(SSGW_LOG_WARNING,
             "link '%s': registered routing context %u (DPC %u) removed: the new configuration "
             "no longer permits it",
             l->cfg.name, l->rkeys[i].rc, l->rkeys[i].key.dpc);
    l->rkeys[i] = l->rkeys[--l->n_rkeys];
}

void gw_rkm_reconfigured(gw_link *l)
{
    for (size_t i = 0; i < l->n_rkeys;)
        if (l->cfg.rkm && dpc_permitted(l, l->rkeys[i].key.dpc))
            i++;
        else
            drop_key(l, i);
    while (l->n_rkeys > l->cfg.rkm_max_keys)
        drop_key(l, l->n_rkeys - 1);
}
