/*
 * gw_route.c - where a DATA message goes: one link of the other side, chosen
 * by, in this order, the called GT (longest configured prefix), the DPC, the
 * message's routing context, else the other side's default links. Among the
 * candidates the first one's traffic mode decides: override = the first ACTIVE
 * one; loadshare = by SLS, an SLS keeping its own link while that is ACTIVE
 * (as MTP changeover, Q.704 5). A link whose SG said the DPC is unavailable (DUNA,
 * RFC 4666 4.5.1) is not used for that DPC until it says DAVA: its traffic moves to
 * the other candidates and comes back ("route.destination_unavailable" when none is
 * left). The DPCs of a link include the routing keys its ASP registered (gw_rkm.c),
 * which may also narrow by service indicator and OPC. The message leaves with the
 * routing context of its destination link (of the registered key it matched),
 * rewritten when it differs.
 */
#include <stdbool.h>
#include <string.h>

#include "gateway/gw_int.h"
#include "ssgw/sccp.h"
#include "util/bytes.h"

bool gw_link_routes_dpc(const gw_link *l, uint32_t dpc)
{
    for (size_t i = 0; i < l->cfg.n_dpc; i++)
        if (l->cfg.dpc[i] == dpc) return true;
    return gw_rkm_serves_dpc(l, dpc);
}

/* A configured DPC, or a key the link's ASP registered that takes this routing label. */
static bool routes_label(const gw_link *l, const ssgw_m3ua_protocol_data *pd)
{
    for (size_t i = 0; i < l->cfg.n_dpc; i++)
        if (l->cfg.dpc[i] == pd->dpc) return true;
    return gw_rkm_routes(l, pd);
}

bool gw_link_is_default(const gw_link *l)
{
    /* a link whose ASP registers its keys takes only those, unless told otherwise */
    return l->cfg.is_default || (!l->cfg.n_dpc && !l->cfg.n_gt && !l->cfg.rkm);
}

static bool other_side_has_gt(const ssgw_gw *g, ssgw_gw_side side)
{
    for (size_t i = 0; i < g->n_links; i++)
        if (g->links[i]->cfg.side != side && g->links[i]->cfg.n_gt) return true;
    return false;
}

/* A candidate that can take traffic for dpc now: ACTIVE, and its SG has not said DUNA. */
static bool usable(const gw_link *l, uint32_t dpc)
{
    return l->state == SSGW_ASP_ACTIVE && l->tp.up && !gw_ssnm_pc_unavailable(l, dpc);
}

/* Picks among candidates (config order) by the first one's traffic mode. */
static gw_link *pick(gw_link **cand, size_t n, uint32_t dpc, uint8_t sls, const char **reason)
{
    gw_link *act[SSGW_GW_MAX_LINKS];
    size_t na = 0, up = 0;
    for (size_t i = 0; i < n; i++) {
        up += cand[i]->state == SSGW_ASP_ACTIVE && cand[i]->tp.up;
        if (usable(cand[i], dpc)) act[na++] = cand[i];
    }
    if (!na) {
        *reason = up ? "route.destination_unavailable" : "route.destination_down";
        return NULL;
    }
    if (cand[0]->cfg.traffic_mode == SSGW_M3UA_TMT_LOADSHARE) {
        /* an SLS stays on its own link while that one is usable; only the SLSs of links
         * that are not are spread over the usable ones (as MTP changeover, Q.704 5) */
        gw_link *home = cand[sls % n];
        if (usable(home, dpc)) return home;
        return act[sls % na];
    }
    return act[0];
}

gw_link *gw_route(ssgw_gw *g, ssgw_gw_side from, const ssgw_m3ua_msg *msg, const char **reason)
{
    const ssgw_m3ua_protocol_data *pd = &msg->protocol_data;
    gw_link *cand[SSGW_GW_MAX_LINKS];
    size_t n = 0;
    /* 1. called GT prefix, longest wins */
    if (pd->si == 3 && other_side_has_gt(g, from)) {
        ssgw_sccp_msg sm;
        ssgw_error e;
        if (ssgw_sccp_decode(pd->data, pd->data_len, &sm, &e) == 0 && sm.called.digits[0]) {
            size_t best = 0;
            for (size_t i = 0; i < g->n_links; i++) {
                gw_link *l = g->links[i];
                if (l->cfg.side == from) continue;
                for (size_t k = 0; k < l->cfg.n_gt; k++) {
                    size_t pl = strlen(l->cfg.gt[k]);
                    if (pl < best || strncmp(sm.called.digits, l->cfg.gt[k], pl)) continue;
                    if (pl > best) n = 0;
                    best = pl;
                    if (!n || cand[n - 1] != l) cand[n++] = l;
                }
            }
        }
    }
    /* 2. DPC */
    if (!n) /* every link of the other side that serves the DPC: failover / loadshare */
        for (size_t i = 0; i < g->n_links; i++)
            if (g->links[i]->cfg.side != from && routes_label(g->links[i], pd))
                cand[n++] = g->links[i];
    if (!n) {
        /* 3. routing context of the message, among the other side's links */
        if (msg->present & SSGW_M3UA_HAS_ROUTING_CONTEXT && msg->routing_context.count) {
            uint32_t rc = ssgw_m3ua_u32_at(&msg->routing_context, 0);
            for (size_t i = 0; i < g->n_links; i++) {
                gw_link *l = g->links[i];
                if (l->cfg.side == from || l->cfg.n_dpc || l->cfg.n_gt) continue;
                for (size_t k = 0; k < l->cfg.n_rc; k++)
                    if (l->cfg.rc[k] == rc && !l->cfg.is_default) {
                        cand[n++] = l;
                        break;
                    }
            }
        }
    }
    /* 4. default links */
    if (!n)
        for (size_t i = 0; i < g->n_links; i++)
            if (g->links[i]->cfg.side != from && gw_link_is_default(g->links[i]))
                cand[n++] = g->links[i];
    if (!n) {
        *reason = "route.no_route";
        return NULL;
    }
    return pick(cand, n, pd->dpc, pd->sls, reason);
}

/*
 * Writes m with its Routing Context set to rc (replaced, or inserted after the
 * Network Appearance / at the front) into out. Returns the new length, or 0
 * when m cannot be rewritten (it then goes unchanged).
 */
static size_t rewrite_rc(const uint8_t *m, size_t len, uint32_t rc, uint8_t *out, size_t cap)
{
    if (len < SSGW_M3UA_HDR_LEN || len + 8 > cap) return 0;
    memcpy(out, m, SSGW_M3UA_HDR_LEN);
    size_t o = SSGW_M3UA_HDR_LEN;
    bool done = false;
    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param_iter_init_raw(&it, m + SSGW_M3UA_HDR_LEN, len - SSGW_M3UA_HDR_LEN,
                                  SSGW_M3UA_HDR_LEN);
    ssgw_m3ua_param p;
    ssgw_error e;
    int r;
    while ((r = ssgw_m3ua_param_next(&it, &p, &e)) == 1) {
        size_t plen = 4 + p.len, padded = (plen + 3) & ~(size_t)3;
        if (p.tag == SSGW_M3UA_TAG_ROUTING_CONTEXT) {
            if (done) continue;
            put_be16(out + o, SSGW_M3UA_TAG_ROUTING_CONTEXT);
            put_be16(out + o + 2, 8);
            put_be32(out + o + 4, rc);
            o += 8;
            done = true;
            continue;
        }
        if (!done && p.tag != SSGW_M3UA_TAG_NETWORK_APPEARANCE) {
            put_be16(out + o, SSGW_M3UA_TAG_ROUTING_CONTEXT);
            put_be16(out + o + 2, 8);
            put_be32(out + o + 4, rc);
            o += 8;
            done = true;
        }
        if (o + padded > cap) return 0;
        memcpy(out + o, m + p.offset, padded <= len - p.offset ? padded : len - p.offset);
        o += padded;
    }
    if (r < 0) return 0;
    if (!done) {
        put_be16(out + o, SSGW_M3UA_TAG_ROUTING_CONTEXT);
        put_be16(out + o + 2, 8);
        put_be32(out + o + 4, rc);
        o += 8;
    }
    put_be32(out + 4, (uint32_t)o);
    return o;
}

/*
 * Where m's one Routing Context value is (offset from m) when rewrite_rc() would only
 * replace those 4 octets: dec, decoded from m, has one Routing Context parameter (the
 * decoder refuses a second) with one value, and only a Network Appearance before it (any
 * other parameter there and rewrite_rc() moves the context in front of it). 0 when not.
 */
static size_t rc_value_at(const uint8_t *m, size_t len, const ssgw_m3ua_msg *dec)
{
    if (!dec || dec->buf != m || dec->len != len ||
        !(dec->present & SSGW_M3UA_HAS_ROUTING_CONTEXT) || dec->routing_context.count != 1)
        return 0;
    size_t at = (size_t)(dec->routing_context.p - m); /* the value; its header 4 before */
    if (at < SSGW_M3UA_HDR_LEN + 4 || at + 4 > len ||
        get_be16(m + at - 4) != SSGW_M3UA_TAG_ROUTING_CONTEXT || get_be16(m + at - 2) != 8)
        return 0;
    if (at - 4 == SSGW_M3UA_HDR_LEN) return at;
    if (at - 4 == SSGW_M3UA_HDR_LEN + 8 &&
        get_be16(m + SSGW_M3UA_HDR_LEN) == SSGW_M3UA_TAG_NETWORK_APPEARANCE &&
        get_be16(m + SSGW_M3UA_HDR_LEN + 2) == 8)
        return at;
    return 0;
}

/* The bytes to send on d: m itself, or m with d's routing context (in g->rewrite). dec: m
 * decoded, or NULL. */
const uint8_t *gw_for_link(ssgw_gw *g, const gw_link *d, const uint8_t *m, size_t *len,
                           const ssgw_m3ua_msg *dec)
{
    uint32_t rc;
    if (!gw_rkm_rc_for(d, m, *len, dec, &rc)) {
        if (!d->cfg.n_rc) return m;
        rc = d->cfg.rc[0];
    }
    if (dec && (dec->present & SSGW_M3UA_HAS_ROUTING_CONTEXT) && dec->routing_context.count == 1 &&
        ssgw_m3ua_u32_at(&dec->routing_context, 0) == rc)
        return m;
    size_t at = rc_value_at(m, *len, dec);
    if (at && *len <= sizeof g->rewrite) { /* what rewrite_rc writes, without its walk */
        memcpy(g->rewrite, m, *len);
        put_be32(g->rewrite + at, rc);
        return g->rewrite;
    }
    size_t n = rewrite_rc(m, *len, rc, g->rewrite, sizeof g->rewrite);
    if (!n) return m;
    *len = n;
    return g->rewrite;
}
