/*
 * gw_ssnm.c - SS7 signalling network management through the gateway (RFC
 * 4666 3.4): DUNA, DAVA, SCON, DUPU and DRST from an SG are relayed to the
 * ASPs of the other side; DUNA/DAVA also mark, per link, the point codes its SG
 * cannot reach, so that a DAUD is answered with DAVA only for point codes some
 * ACTIVE link of the other side still reaches, and so that routing (gw_route.c)
 * moves a point code's traffic away from a link whose SG cannot reach it.
 */
#include <stdbool.h>
#include <string.h>

#include "gateway/gw_int.h"

void gw_ssnm_relay(gw_link *l, const ssgw_m3ua_msg *msg, const uint8_t *m, size_t len)
{
    ssgw_gw *g = l->g;
    for (size_t i = 0; i < g->n_links; i++) {
        gw_link *d = g->links[i];
        if (d->cfg.side == l->cfg.side || d->cfg.role == SSGW_GW_ROLE_ASP ||
            d->state != SSGW_ASP_ACTIVE)
            continue;
        size_t n = len;
        const uint8_t *o = gw_for_link(g, d, m, &n, msg);
        if (gw_link_send(d, o, n, 0) == 0) {
            g->c.ssnm_relayed++;
            d->mgmt_out++;
        }
    }
}

bool gw_ssnm_pc_unavailable(const gw_link *l, uint32_t pc)
{
    for (size_t i = 0; i < l->n_unavail; i++)
        if (l->unavail[i] == pc) return true;
    return false;
}

/* DUNA / DAVA received on l: remember which point codes its SG cannot reach. */
void gw_ssnm_note(gw_link *l, const ssgw_m3ua_msg *msg)
{
    if (msg->msg_class != SSGW_M3UA_CLASS_SSNM || !(msg->present & SSGW_M3UA_HAS_AFFECTED_PC))
        return;
    for (size_t i = 0; i < msg->affected_pc.count; i++) {
        uint32_t apc = ssgw_m3ua_u32_at(&msg->affected_pc, i);
        uint32_t pc = ssgw_m3ua_apc_pc(apc);
        if (apc >> 24) continue; /* a mask: a cluster, not tracked */
        bool known = gw_ssnm_pc_unavailable(l, pc);
        if (msg->msg_type == SSGW_M3UA_SSNM_DUNA && !known && l->n_unavail < SSGW_GW_MAX_PC)
            l->unavail[l->n_unavail++] = pc;
        else if (msg->msg_type == SSGW_M3UA_SSNM_DAVA && known)
            for (size_t k = 0; k < l->n_unavail; k++)
                if (l->unavail[k] == pc) {
                    l->unavail[k] = l->unavail[--l->n_unavail];
                    break;
                }
    }
}

static bool pc_reachable(ssgw_gw *g, ssgw_gw_side from, uint32_t pc)
{
    bool any_dpc = false;
    for (size_t i = 0; i < g->n_links; i++) {
        gw_link *d = g->links[i];
        if (d->cfg.side == from) continue;
        if (gw_link_routes_dpc(d, pc)) {
            any_dpc = true;
            if (d->state == SSGW_ASP_ACTIVE && !gw_ssnm_pc_unavailable(d, pc)) return true;
        }
    }
    if (any_dpc) return false;
    for (size_t i = 0; i < g->n_links; i++) {
        gw_link *d = g->links[i];
        if (d->cfg.side != from && gw_link_is_default(d) && d->state == SSGW_ASP_ACTIVE &&
            !gw_ssnm_pc_unavailable(d, pc))
            return true;
    }
    return false;
}

/* DAUD (RFC 4666 3.4.3, 4.5.3): DAVA or DUNA for each affected point code. */
void gw_ssnm_answer_daud(gw_link *l, const ssgw_m3ua_msg *msg)
{
    ssgw_gw *g = l->g;
    for (size_t i = 0; i < msg->affected_pc.count && i < 64; i++) {
        uint32_t apc = ssgw_m3ua_u32_at(&msg->affected_pc, i);
        ssgw_buf b;
        ssgw_buf_init(&b, g->mgmt, sizeof g->mgmt);
        ssgw_m3ua_ssnm_info s;
        memset(&s, 0, sizeof s);
        s.affected_pc = &apc;
        s.n_affected_pc = 1;
        if (l->cfg.n_rc) {
            s.routing_context = l->cfg.rc;
            s.n_routing_context = 1;
        }
        bool up = pc_reachable(g, l->cfg.side, ssgw_m3ua_apc_pc(apc));
        gw_send_mgmt(l, &b, up ? ssgw_m3ua_encode_dava(&b, &s) : ssgw_m3ua_encode_duna(&b, &s));
        g->c.daud_answered++;
    }
}
