/*
 * pl_trust_diameter.c - the pipeline's trust stages for a Diameter message
 * (include/ssgw/token.h section 5): the same outcomes, per-partner policy
 * (the [[partner]] owning the Origin-Realm), actions and counters as for a TCAP
 * token (pl_trust.c), so that a partner that signs its MAP signs its S6a too.
 *
 *  - inbound: the token AVP is verified (the signer's certificate must authorise
 *    the Origin-Realm and the subscriber's network) and stripped; the partner's
 *    mode and the action per outcome decide;
 *  - outbound: with [trust] sign = "all" every message is signed; with "members"
 *    a message from our realm going to a bundle member (a request: its
 *    Destination-Realm is a 3GPP realm of another member's MCC-MNC; an answer:
 *    always, it goes back to whoever asked, and a peer that does not know the AVP
 *    ignores it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "inspect/pl_int.h"

bool pl_verify_diameter(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, unsigned lane,
                        ssgw_pipeline_result *r, ssgw_buf *out, bool monitor, uint64_t time_ms)
{
    ssgw_view *v = r->view;
    ssgw_trust *t = g->lt[lane];
    if (!t || !v->has_diameter || ssgw_view_diameter(v) < 0) return false;
    ssgw_trust_policy tp;
    const ssgw_diam_str *realm = &v->diam.origin_realm;
    pl_set_partner(r, ssgw_policy_trust_for_realm(g->pol, realm->p, realm->len, &tp));
    r->trust_mode = tp.mode;
    ssgw_trust_result tr;
    out->len = 0;
    out->overflow = false;
    ssgw_trust_outcome o =
        ssgw_trust_verify_diameter(t, v->buf, v->len, (time_t)(time_ms / 1000), &tr, out);
    pl_copy_token(&r->token, &tr);
    if (pl_trust_apply(p, ln, r, &tp, o, monitor)) {
        out->len = 0;
        return true;
    }
    if (tr.token_present && !out->overflow && out->len) {
        r->action = SSGW_PL_FORWARD_MODIFIED;
        r->nout = 1;
        r->stripped = true;
        pl_bump(&ln->c.stripped); /* the firewall judges the message as received (its checks
                                     ignore the token AVP); what goes on is out */
    } else {
        out->len = 0;
    }
    return false;
}

/* True when realm (len octets) is a 3GPP realm of a bundle member's MCC-MNC, not ours. */
static bool member_realm(const pl_gen *g, const ssgw_diam_str *realm)
{
    for (size_t i = 0; realm->p && i < ssgw_bundle_count(g->setup.bundle); i++) {
        const ssgw_bundle_member *m = ssgw_bundle_at(g->setup.bundle, i);
        if (m == g->setup.self) continue;
        for (size_t k = 0; k < m->identity.n_mccmnc; k++) {
            const char *mm = m->identity.mccmnc[k];
            char r[64];
            int n = snprintf(r, sizeof r, "epc.mnc%03d.mcc%.3s.3gppnetwork.org", atoi(mm + 3), mm);
            if (n > 0 && (size_t)n == realm->len && !strncasecmp(r, realm->p, realm->len))
                return true;
        }
    }
    return false;
}

void pl_sign_diameter(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, unsigned lane,
                      ssgw_pipeline_result *r, ssgw_buf *out, uint64_t time_ms)
{
    (void)p;
    ssgw_view *v = r->view;
    ssgw_trust *t = g->lt[lane];
    const ssgw_policy_trust *tc = g->tcfg;
    if (!t || !tc || tc->sign == SSGW_TRUST_SIGN_NONE || v->has_error || !v->has_diameter ||
        ssgw_view_diameter(v) < 0)
        return;
    const ssgw_diam_fields *f = &v->diam;
    if (tc->sign == SSGW_TRUST_SIGN_MEMBERS) {
        const char *o = ssgw_policy_realm_owner(g->pol, f->origin_realm.p, f->origin_realm.len);
        if (!o || strcmp(o, "home")) return; /* only what our network sends */
        if (ssgw_diam_is_request(&v->diameter) && !member_realm(g, &f->dest_realm)) return;
    }
    if (tc->mode == SSGW_TOKEN_MODE_HMAC) return; /* the pairwise key needs the recipient */
    out->len = 0;
    out->overflow = false;
    size_t added = 0;
    ssgw_error err;
    if (ssgw_trust_sign_diameter(t, tc->mode, NULL, v->buf, v->len, (time_t)(time_ms / 1000), out,
                                 &added, &err) == 0 &&
        !out->overflow) {
        pl_bump(&ln->c.signed_msgs);
        r->action = SSGW_PL_FORWARD_MODIFIED;
        r->nout = 1;
        r->signed_msg = true;
        r->token_added = added;
        return;
    }
    pl_bump(&ln->c.sign_refused);
    r->sign_refused = true;
    r->token.err = err;
    r->alert = true;
    r->reason = "trust.sign_refused";
    out->len = 0;
}
