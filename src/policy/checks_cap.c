/*
 * checks_cap.c - CAMEL (CAP, 3GPP TS 29.078) on the interconnect (issue 11).
 *
 * Roaming makes CAP cross the interconnect both ways: when our subscriber
 * roams, the visited network's MSC (gsmSSF) opens a dialogue with our gsmSCF
 * (InitialDP, InitialDPSMS, InitialDPGPRS: the operations the table's
 * direction column calls to-scf); when a partner's subscriber roams here, the
 * partner's gsmSCF controls our MSC (Connect, ReleaseCall,
 * RequestReportBCSMEvent...: from-scf). Anything else is an attack: a
 * stranger's CAMEL (call redirection, release, charging), gsmSCF orders from a
 * node that is not a partner's gsmSCF, or a foreign MSC using our gsmSCF for
 * subscribers that are not ours. The checks read the operation's class from
 * the CAP table (src/wire/cap_ops.def) through the view, never the opcode
 * alone (CAP's codes overlap MAP's).
 */
#include <stdio.h>

#include "policy/policy_int.h"

static bool inbound_cap(const ssgw_check_ctx *cx)
{
    return cx->dir == SSGW_DIR_INBOUND && cx->v->has_tcap && cx->v->tcap_user == SSGW_TCU_CAP;
}

int ssgw_cap_first_of_direction(const ssgw_view *v, int dir, ssgw_tcap_op *op)
{
    for (unsigned i = 0; i < v->ncomp; i++)
        if (v->comp[i].type == SSGW_TCAP_COMP_INVOKE && ssgw_view_tcap_op(v, i, op) == 0 &&
            op->class_src == SSGW_TCOP_CLASS_CAP_DIRECTION && op->class_value == dir)
            return (int)i;
    return -1;
}

int ssgw_chk_cap_non_member(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (!inbound_cap(cx) || ssgw_check_member(cx)) return 0;
    if (v->tcap.type != SSGW_TCAP_BEGIN && v->tcap.type != SSGW_TCAP_UNIDIRECTIONAL) return 0;
    const char *name = ssgw_view_op_name(v, ssgw_view_first_opcode(v));
    return ssgw_check_deny(cx,
                           "CAP %s (%s) from %s, which belongs to no partner network: CAMEL "
                           "service control is exchanged with roaming partners only",
                           ssgw_tcap_msg_type_name(v->tcap.type), name ? name : "no operation",
                           cx->calling[0] ? cx->calling : "a point code of no partner");
}

/* A GT that may act as a partner's gsmSCF: listed as one, or of a partner that lists none. */
static bool partner_scf(const ssgw_check_ctx *cx)
{
    const party *pa =
        cx->calling_owner >= OWNER_PARTNER(0) ? policy_party(cx->p, cx->calling_owner) : NULL;
    if (!pa) return false;
    return (cx->calling_roles & ROLE_GSMSCF) || pa->gsmscf.n == 0;
}

int ssgw_chk_cap_scf_origin(ssgw_check_ctx *cx)
{
    ssgw_tcap_op op;
    if (!inbound_cap(cx) || ssgw_cap_first_of_direction(cx->v, SSGW_CAP_FROM_SCF, &op) < 0)
        return 0;
    if (partner_scf(cx)) return 0;
    return ssgw_check_deny(cx,
                           "CAP %s (a gsmSCF's order to a switch) from %s (%s), which is not a "
                           "gsmSCF of a partner",
                           op.name ? op.name : "operation",
                           cx->calling[0] ? cx->calling : "(no GT)",
                           ssgw_check_who(cx, cx->calling_owner));
}

/* The to-scf operations that open a CAMEL dialogue (TS 29.078 6.1, 7.1, 8.1). */
static bool opens_service(int id)
{
    return id == SSGW_CAP_OP_INITIAL_DP || id == SSGW_CAP_OP_INITIAL_DP_SMS ||
           id == SSGW_CAP_OP_INITIAL_DP_GPRS;
}

/* The CAP parameters of component i alone (the view's accumulate every component's, the
 * first value winning). Returns 0 or -1 (it does not decode: ssgw_view_cap failed too). */
static int component_fields(const ssgw_view *v, unsigned i, ssgw_cap_fields *f)
{
    const ssgw_tcap_component *c = &v->comp[i];
    ssgw_error e;
    ssgw_cap_fields_init(f);
    if (!c->param_present) return 0;
    return ssgw_cap_decode((int)c->opcode.local, v->cap_acn ? v->cap_acn->phase : 0, c->param_tlv,
                           c->param_tlv_len, f, &e);
}

/* Judges the InitialDP* of component i by its own IMSI: ours, or refused (none: nothing shows
 * it is ours). */
static int judge_subscriber(ssgw_check_ctx *cx, const char *op, const char *imsi, unsigned i)
{
    char which[40] = ""; /* which component, when the message has several */
    if (cx->v->ncomp > 1)
        snprintf(which, sizeof which, " (component %u of %u)", i + 1, cx->v->ncomp);
    const char *from = cx->calling[0] ? cx->calling : "(no GT)";
    if (!imsi[0])
        return ssgw_check_deny(cx,
                               "CAP %s%s from %s (%s) carries no IMSI: nothing shows it is for "
                               "one of our subscribers, and our gsmSCF serves only those",
                               op, which, from, ssgw_check_who(cx, cx->calling_owner));
    uint16_t owner;
    uint8_t roles;
    trie_lookup(&cx->p->imsi, imsi, &owner, &roles);
    if (owner == OWNER_HOME) return 0;
    return ssgw_check_deny(cx,
                           "CAP %s%s from %s (%s) for IMSI %s (%s): our gsmSCF serves our own "
                           "subscribers only",
                           op, which, from, ssgw_check_who(cx, cx->calling_owner), imsi,
                           ssgw_check_who(cx, owner));
}

int ssgw_chk_cap_to_scf(ssgw_check_ctx *cx)
{
    ssgw_view *v = cx->v;
    if (!inbound_cap(cx)) return 0;
    /* every InitialDP* of the message, not only a first to-scf invoke: one behind an
     * eventReportBCSM is judged too, each with its own parameters */
    unsigned at[SSGW_VIEW_MAX_COMPONENTS], n = 0;
    const char *name[SSGW_VIEW_MAX_COMPONENTS];
    for (unsigned i = 0; i < v->ncomp && i < SSGW_VIEW_MAX_COMPONENTS; i++) {
        ssgw_tcap_op op;
        if (v->comp[i].type == SSGW_TCAP_COMP_INVOKE && ssgw_view_tcap_op(v, i, &op) == 0 &&
            op.class_src == SSGW_TCOP_CLASS_CAP_DIRECTION && op.class_value == SSGW_CAP_TO_SCF &&
            opens_service(op.id)) {
            name[n] = op.name;
            at[n++] = i;
        }
    }
    if (!n) return 0;
    uint8_t roles;
    uint16_t called_owner;
    trie_lookup(&cx->p->gt, cx->called, &called_owner, &roles);
    bool scf = cx->p->home.gsmscf.n ? (roles & ROLE_GSMSCF) != 0 : called_owner == OWNER_HOME;
    if (cx->called[0] && called_owner == OWNER_HOME && !scf)
        return ssgw_check_deny(cx,
                               "CAP %s from %s addressed to %s, which is not our gsmSCF: a "
                               "visited network opens CAMEL dialogues with the home gsmSCF",
                               name[0], cx->calling[0] ? cx->calling : "(no GT)", cx->called);
    if (ssgw_view_cap(v) < 0) return 0; /* malformed.cap decided before the checks */
    /* one InitialDP*: the view's IMSI is its own (no other operation carries one) */
    if (n == 1) return judge_subscriber(cx, name[0], v->cap.imsi, at[0]);
    for (unsigned k = 0; k < n; k++) {
        ssgw_cap_fields f;
        if (component_fields(v, at[k], &f) < 0) return 0;
        int r = judge_subscriber(cx, name[k], f.imsi, at[k]);
        if (r) return r;
    }
    return 0;
}
