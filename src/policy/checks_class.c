/*
 * checks_class.c - nothing unclassified passes (issue 11): the checks for the
 * traffic the MAP checks cannot judge, and the facts they share.
 *
 * The view says which TCAP user a message belongs to and, for each component,
 * what its user's table knows of the operation (include/ssgw/tcap_user.h).
 * What no table classifies is a way around a firewall that only screens what
 * it understands: a context no table knows, an operation no table knows, a
 * global (OID) opcode, an operation its dialogue's context does not carry, a
 * MAP v1 dialogue (no dialogue portion, no context to judge by), a TCAP user
 * that is neither MAP nor CAP, ANSI TCAP on an ITU-T interconnect, SCCP
 * management from a stranger. Each case is one check (registry in checks.c,
 * docs/checks.md "Unclassified traffic"): from a network that is no member
 * (neither home nor a [[partner]]) each is refused by default; partners keep
 * today's treatment (their traffic still meets every MAP check through the
 * operation's family) unless [classification] partners = "screen".
 * scmg.home_status judges everyone: only our own SCCP management speaks for our
 * subsystems.
 */
#include <string.h>

#include "policy/policy_int.h"

/* ---- facts ---------------------------------------------------------------------------- */

bool ssgw_check_member(const ssgw_check_ctx *cx)
{
    if (cx->calling[0]) return cx->calling_owner != OWNER_NONE;
    if (!cx->has_peer) return false;
    for (size_t i = 0; i < cx->p->n_partners; i++) {
        const intlist *pc = &cx->p->partners[i].pc;
        for (size_t k = 0; k < pc->n; k++)
            if ((uint32_t)pc->v[k] == cx->peer) return true;
    }
    return false;
}

bool ssgw_check_class_judged(const ssgw_check_ctx *cx)
{
    return cx->dir == SSGW_DIR_INBOUND && (cx->p->class_screen_partners || !ssgw_check_member(cx));
}

/* "GT 34600000001 (no partner network)" or "point code 2009 (no calling GT)". */
static const char *origin(const ssgw_check_ctx *cx, char *buf, size_t cap)
{
    if (cx->calling[0])
        ssgw_reason_format(buf, cap, "GT %s (%s)", cx->calling,
                           ssgw_check_who(cx, cx->calling_owner));
    else if (cx->has_peer)
        ssgw_reason_format(buf, cap, "point code %u (no calling GT)", (unsigned)cx->peer);
    else
        ssgw_reason_format(buf, cap, "an unknown origin");
    return buf;
}

/* A Begin or Unidirectional: the message that opens a dialogue (or is one). */
static bool opens(const ssgw_view *v)
{
    return v->tcap.type == SSGW_TCAP_BEGIN || v->tcap.type == SSGW_TCAP_UNIDIRECTIONAL;
}

/* The dialogue portion names an application context. */
static bool names_context(const ssgw_view *v)
{
    const ssgw_tcap_dialogue *d = &v->tcap.dialogue;
    return v->tcap.dialogue_present && d->acn && d->acn_len > 0;
}

/* The context is under 0.4.0.0.1 (ETSI mobile domain, gsm-Network: MAP's and CAP's arcs). */
static bool mobile_domain(const ssgw_view *v)
{
    static const uint8_t arc[] = {0x04, 0x00, 0x00, 0x01};
    const ssgw_tcap_dialogue *d = &v->tcap.dialogue;
    return d->acn_len >= sizeof arc && !memcmp(d->acn, arc, sizeof arc);
}

void ssgw_check_prepare(ssgw_check_ctx *cx)
{
    ssgw_view *v = cx->v;
    bool inbound = cx->dir == SSGW_DIR_INBOUND;
    cx->pop = cx->op;
    cx->op_name_version = -1;
    if (!cx->is_map || v->has_error) { /* the policy operations are the opcodes */
        for (unsigned i = 0; i < cx->n_invokes; i++)
            cx->invoke_pops[i] = cx->invoke_ops[i];
        /* a parameter that does not decode: malformed.cap */
        if (!v->has_error && v->has_tcap && v->tcap_user == SSGW_TCU_CAP && inbound)
            ssgw_view_cap(v);
        return;
    }
    /* a Begin without a context is MAP v1 (TS 29.002 15.1: v1 has no dialogue portion) */
    int name_version = v->acn_version ? v->acn_version : (!names_context(v) && opens(v)) ? 1 : 0;
    for (unsigned i = 0; i < cx->n_invokes; i++) {
        int code = cx->invoke_ops[i], sm_dir = 0;
        if (code == SSGW_MAP_OP_MO_FORWARD_SM && v->acn_version < 3 &&
            (inbound || cx->map_decoded) && ssgw_check_need_map(cx) == 0)
            sm_dir = v->map.sm_rp_dir;
        cx->invoke_pops[i] = ssgw_policy_map_op(code, v->acn, v->acn_version, sm_dir);
    }
    if (cx->n_invokes) {
        cx->pop = cx->invoke_pops[0];
        cx->op_name_version = name_version;
    }
    /* a short message is a parameter too: its TPDU (every one of a message of several
     * components) decoded now, so that one that does not decode is malformed.sms before any
     * verdict rather than a message the SMS checks cannot see (they read it decoded here) */
    if (inbound && ssgw_check_carries_sm(v)) ssgw_view_sms_all(v);
}

/* ---- class.* ----------------------------------------------------------------------------- */

/* Refuses a message by the context its dialogue portion names; what: what is wrong with it. */
static int deny_context(ssgw_check_ctx *cx, const char *what)
{
    char o[96];
    return ssgw_check_deny(cx, "TCAP %s naming application context %s, which %s, from %s",
                           ssgw_tcap_msg_type_name(cx->v->tcap.type), cx->v->tcap.dialogue.acn_str,
                           what, origin(cx, o, sizeof o));
}

int ssgw_chk_class_unknown_user(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (!v->has_tcap || v->tcap_user != SSGW_TCU_UNKNOWN || mobile_domain(v) ||
        !ssgw_check_class_judged(cx))
        return 0;
    return deny_context(cx, "is neither MAP nor CAP (a TCAP user no table classifies)");
}

int ssgw_chk_class_unknown_context(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (!v->has_tcap || !names_context(v)) return 0;
    bool unknown = (v->tcap_user == SSGW_TCU_MAP && !v->acn) ||
                   (v->tcap_user == SSGW_TCU_UNKNOWN && mobile_domain(v));
    if (!unknown || !ssgw_check_class_judged(cx)) return 0;
    return deny_context(cx, "no MAP or CAP context (or version) has");
}

int ssgw_chk_class_map_v1(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (!v->has_tcap || v->tcap_user != SSGW_TCU_MAP || v->tcap_user_basis != SSGW_TCU_BY_DEFAULT ||
        !opens(v) || !ssgw_check_class_judged(cx))
        return 0;
    char o[96];
    return ssgw_check_deny(cx,
                           "MAP %s without a dialogue portion (MAP v1: no application context to "
                           "classify it by)%s%s from %s",
                           ssgw_tcap_msg_type_name(v->tcap.type), cx->n_invokes ? ", " : "",
                           cx->n_invokes ? ssgw_check_op_name(cx) : "", origin(cx, o, sizeof o));
}

static bool is_global(const ssgw_tcap_op *op)
{
    return op->global;
}

static bool is_unknown(const ssgw_tcap_op *op)
{
    return !op->global && op->id < 0 && (op->user == SSGW_TCU_MAP || op->user == SSGW_TCU_CAP);
}

static bool is_out_of_context(const ssgw_tcap_op *op)
{
    return op->in_context == 0;
}

/* The first invoke (ITU TCAP) of each kind the class.* checks refuse, in one pass over the
 * components for the three of them: cx->first_global, first_unknown, first_out_of_context. */
static void scan_invokes(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    cx->invokes_scanned = true;
    cx->first_global = cx->first_unknown = cx->first_out_of_context = -1;
    if (!v->has_tcap) return;
    _Static_assert(SSGW_VIEW_MAX_COMPONENTS <= INT8_MAX, "an invoke's index fits int8_t");
    ssgw_tcap_op op;
    for (unsigned i = 0; i < v->ncomp; i++) {
        if (v->comp[i].type != SSGW_TCAP_COMP_INVOKE || ssgw_view_tcap_op(v, i, &op) != 0) continue;
        if (cx->first_global < 0 && is_global(&op)) cx->first_global = (int8_t)i;
        if (cx->first_unknown < 0 && is_unknown(&op)) cx->first_unknown = (int8_t)i;
        if (cx->first_out_of_context < 0 && is_out_of_context(&op))
            cx->first_out_of_context = (int8_t)i;
    }
}

/* What is wrong with op, for the reason sentence. */
typedef void (*op_text)(const ssgw_check_ctx *cx, const ssgw_tcap_op *op, char *buf, size_t cap);

/* Refuses the message when it has an invoke of a kind (one of cx->first_*, after
 * scan_invokes) and its origin is judged. */
static int deny_op(ssgw_check_ctx *cx, const int8_t *first, op_text say)
{
    ssgw_tcap_op op;
    if (!ssgw_check_class_judged(cx)) return 0;
    if (!cx->invokes_scanned) scan_invokes(cx);
    if (*first < 0 || ssgw_view_tcap_op(cx->v, (unsigned)*first, &op) != 0) return 0;
    char t[200], o[96];
    say(cx, &op, t, sizeof t);
    return ssgw_check_deny(cx, "%s, from %s", t, origin(cx, o, sizeof o));
}

static void say_global(const ssgw_check_ctx *cx, const ssgw_tcap_op *op, char *buf, size_t cap)
{
    (void)op;
    ssgw_reason_format(buf, cap,
                       "invoke with a global (object identifier) operation code, which no %s "
                       "table names",
                       ssgw_tcap_user_name(cx->v->tcap_user));
}

static void say_unknown(const ssgw_check_ctx *cx, const ssgw_tcap_op *op, char *buf, size_t cap)
{
    (void)cx;
    const char *u = ssgw_tcap_user_name(op->user);
    ssgw_reason_format(buf, cap, "%s operation code %d is in no %s table (unallocated)", u,
                       op->code, u);
}

static void say_context(const ssgw_check_ctx *cx, const ssgw_tcap_op *op, char *buf, size_t cap)
{
    ssgw_reason_format(buf, cap,
                       "%s (%s operation %d) does not belong to the dialogue's application "
                       "context %s",
                       op->name ? op->name : "an unallocated operation",
                       ssgw_tcap_user_name(op->user), op->code, cx->v->tcap.dialogue.acn_str);
}

int ssgw_chk_class_global_opcode(ssgw_check_ctx *cx)
{
    return deny_op(cx, &cx->first_global, say_global);
}

int ssgw_chk_class_unknown_operation(ssgw_check_ctx *cx)
{
    return deny_op(cx, &cx->first_unknown, say_unknown);
}

int ssgw_chk_class_out_of_context(ssgw_check_ctx *cx)
{
    return deny_op(cx, &cx->first_out_of_context, say_context);
}

int ssgw_chk_class_ansi_tcap(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (!v->has_ansi_tcap || !ssgw_check_class_judged(cx)) return 0;
    ssgw_tcap_op op;
    const char *name = NULL;
    for (unsigned i = 0; i < v->ansi_ncomp && !name; i++)
        if (ssgw_view_tcap_op(v, i, &op) == 0 && op.name) name = op.name;
    char o[96];
    return ssgw_check_deny(cx, "ANSI TCAP %s (%s%s%s) on an ITU-T interconnect, from %s",
                           ssgw_ansi_tcap_pkg_name(v->ansi_tcap.type),
                           ssgw_tcap_user_name(v->tcap_user), name ? ", " : "", name ? name : "",
                           origin(cx, o, sizeof o));
}

/* ---- scmg.* -------------------------------------------------------------------------------- */

int ssgw_chk_scmg_foreign(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (!v->has_scmg || !ssgw_check_class_judged(cx)) return 0;
    char o[96];
    return ssgw_check_deny(cx,
                           "SCCP management %s (subsystem %u at point code %u) from %s: only "
                           "partners' SCCP management may tell us the state of subsystems",
                           ssgw_scmg_type_name(v->scmg.type), v->scmg.ssn, v->scmg.pc,
                           origin(cx, o, sizeof o));
}

int ssgw_chk_scmg_home_status(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (cx->dir != SSGW_DIR_INBOUND || !v->has_scmg || v->scmg.type == SSGW_SCMG_SST) return 0;
    const intlist *home = &cx->p->home.pc;
    bool ours = false;
    for (size_t i = 0; i < home->n && !ours; i++)
        ours = (uint32_t)home->v[i] == v->scmg.pc;
    if (!ours) return 0;
    char o[96];
    return ssgw_check_deny(cx,
                           "SCCP management %s about our own subsystem %u at point code %u came "
                           "from the interconnect (%s): only our own SCCP management speaks for "
                           "our subsystems",
                           ssgw_scmg_type_name(v->scmg.type), v->scmg.ssn, v->scmg.pc,
                           origin(cx, o, sizeof o));
}
