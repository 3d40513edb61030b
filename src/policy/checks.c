/*
 * checks.c - the built-in firewall checks and their registry.
 *
 * Like Suricata's keyword registry, each check is one row: a stable dotted
 * name (used in verdict records, attack labels and [[check]] settings), a
 * description, the FS.11 category it enforces, its default action and answer,
 * and one small function. The pipeline (src/inspect/inspect.c) runs operator
 * rules first, then the enabled checks in the order of this table; the first
 * check that objects decides. docs/checks.md documents every row: what it
 * detects, the attack it stops and the state it uses.
 *
 * The checks screen INBOUND traffic (from the interconnect). Outbound traffic
 * is observed by ssgw_check_learn() to keep state: dialogues we opened,
 * locations of our subscribers, SRI-SM answers given to SMSCs.
 */
#include <stdarg.h>
#include <string.h>

#include "policy/policy_int.h"
#include "ssgw/ber.h"
#include "wire/ber_inline.h"
#include "ssgw/digits.h"

/* ---- helpers --------------------------------------------------------------------- */

int ssgw_check_deny(ssgw_check_ctx *cx, const char *fmt, ...)
{
    if (cx->reason && cx->reason_cap) {
        va_list ap;
        va_start(ap, fmt);
        ssgw_reason_vformat(cx->reason, cx->reason_cap, fmt, ap);
        va_end(ap);
    }
    return 1;
}

int ssgw_check_take_memo(ssgw_check_ctx *cx, uint64_t key, uint32_t limit, uint32_t period_s,
                         uint32_t burst)
{
    ssgw_take_memo *m = cx->takes;
    if (m && cx->component)
        for (unsigned i = 0; i < m->n; i++)
            if (m->v[i].key == key && !m->v[i].claimed) {
                m->v[i].claimed = true; /* the whole message's take, now this component's */
                return m->v[i].got;
            }
    int got = cx->store->ops->bucket_take(cx->store, key, limit, period_s, burst, cx->now_ms);
    if (m && m->n < SSGW_TAKE_MEMO) {
        m->v[m->n].key = key;
        m->v[m->n].got = (int8_t)got;
        m->v[m->n].claimed = cx->component;
        m->n++;
    }
    return got;
}

#define deny ssgw_check_deny
#define who  ssgw_check_who

const char *ssgw_check_who(const ssgw_check_ctx *cx, uint16_t owner)
{
    if (owner == OWNER_HOME) return "the home network";
    const party *pa = policy_party(cx->p, owner);
    return pa ? pa->name : "no partner network";
}

uint16_t ssgw_check_peer_network(const ssgw_check_ctx *cx)
{
    bool in = cx->dir == SSGW_DIR_INBOUND;
    if (in ? cx->calling[0] : cx->called[0]) return in ? cx->calling_owner : cx->called_owner;
    return policy_owner_of_pc(cx->p, in ? (cx->has_peer ? cx->peer : cx->v->opc) : cx->v->dpc);
}

bool ssgw_check_sc_vouched(const ssgw_check_ctx *cx, uint16_t sc_owner)
{
    uint16_t net = ssgw_check_peer_network(cx);
    return sc_owner == net || (sc_owner != OWNER_HOME && policy_sms_hub(cx->p, net));
}

static const char *gt_text(const char *gt)
{
    return gt && gt[0] ? gt : "(no GT)";
}

static bool inbound_map(const ssgw_check_ctx *cx)
{
    return cx->dir == SSGW_DIR_INBOUND && cx->is_map && cx->op >= 0;
}

/* The FS.11 category of invoke i of a MAP message: the first invoke's is cx->cat already
 * (derive_facts: the same arguments). */
static ssgw_category invoke_category(const ssgw_check_ctx *cx, unsigned i)
{
    return i == 0 ? cx->cat : ssgw_policy_category(cx->v->acn, false, cx->invoke_ops[i]);
}

/* The owner (and roles) of gt: the calling GT's derive_facts looked up already. */
static uint16_t owner_of_gt(const ssgw_check_ctx *cx, const char *gt, uint8_t *roles)
{
    uint16_t o = cx->calling_owner;
    uint8_t r = cx->calling_roles;
    if (gt != cx->calling) trie_lookup(&cx->p->gt, gt, &o, &r);
    if (roles) *roles = r;
    return o;
}

/*
 * The IMSI in MAP-OpenInfo's destinationReference (TS 29.002 7.3.1 / 17.1,
 * MAP-DialogueInformation: user-information EXTERNAL { map-DialogueAS,
 * MAP-DialoguePDU map-open [0] { destinationReference [0] AddressString } }):
 * operations such as registerSS and processUnstructuredSS-Request carry the
 * subscriber only there. Writes "" when absent.
 */
static void dest_ref_imsi(const ssgw_view *v, char *out, size_t cap)
{
    out[0] = '\0';
    if (!v->has_tcap || !v->tcap.dialogue_present || !v->tcap.dialogue.user_info_present) return;
    const ssgw_tcap_dialogue *d = &v->tcap.dialogue;
    ssgw_ber_iter ext;
    ssgw_ber_tlv t, u, w, x;
    ssgw_error e;
    ssgw_ber_iter_init(&ext, d->user_info, d->user_info_len);
    while (ssgw_ber_next_fast(&ext, &t, &e) == 1) {
        if (!ssgw_ber_is(&t, SSGW_BER_UNIVERSAL, 8) || !t.constructed) continue;
        ssgw_ber_iter in;
        ssgw_ber_iter_init(&in, t.val, t.len);
        while (ssgw_ber_next_fast(&in, &u, &e) == 1) {
            if (!ssgw_ber_is(&u, SSGW_BER_CONTEXT, 0) || !u.constructed)
                continue; /* single-ASN1-type [0] */
            ssgw_ber_iter pdu;
            ssgw_ber_iter_init(&pdu, u.val, u.len);
            if (ssgw_ber_next_fast(&pdu, &w, &e) != 1 || !ssgw_ber_is(&w, SSGW_BER_CONTEXT, 0) ||
                !w.constructed)
                return; /* not map-open */
            ssgw_ber_iter open;
            ssgw_ber_iter_init(&open, w.val, w.len);
            while (ssgw_ber_next_fast(&open, &x, &e) == 1) {
                if (!ssgw_ber_is(&x, SSGW_BER_CONTEXT, 0) || x.constructed || x.len < 2) continue;
                /* AddressString: nature/plan octet, then TBCD digits */
                if (ssgw_tbcd_decode(x.val + 1, x.len - 1, out, cap) < 0) out[0] = '\0';
                return;
            }
            return;
        }
    }
}

int ssgw_check_need_map(ssgw_check_ctx *cx)
{
    if (!cx->map_decoded) {
        if (ssgw_view_map(cx->v) < 0) return -1;
        cx->map_decoded = true;
        cx->imsi = cx->v->map.imsi;
        if (!cx->imsi[0]) {
            dest_ref_imsi(cx->v, cx->dest_imsi, sizeof cx->dest_imsi);
            cx->imsi = cx->dest_imsi;
        }
        _Static_assert(sizeof cx->dest_imsi == sizeof cx->v->map.imsi, "IMSI buffers alike");
        cx->imsi_key = ssgw_store_pack_digits_in(cx->imsi, sizeof cx->dest_imsi);
        uint8_t r;
        cx->imsi_owner = 0;
        if (cx->imsi[0]) trie_lookup(&cx->p->imsi, cx->imsi, &cx->imsi_owner, &r);
    }
    return 0;
}

static bool op_in(int op, const ssgw_map_opcode *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((int)set[i] == op) return true;
    return false;
}

#define OP_IN(op, arr) op_in((op), (arr), sizeof(arr) / sizeof((arr)[0]))

/* Operations carrying the subscriber's new location. */
static const ssgw_map_opcode location_update_ops[] = {SSGW_MAP_OP_UPDATE_LOCATION,
                                                      SSGW_MAP_OP_UPDATE_GPRS_LOCATION};
/* Operations addressed to the home HLR by the visited network, with an IMSI. */
static const ssgw_map_opcode hlr_ops_with_imsi[] = {SSGW_MAP_OP_UPDATE_LOCATION,
                                                    SSGW_MAP_OP_AUTHENTICATION_FAILURE_REPORT,
                                                    SSGW_MAP_OP_UPDATE_GPRS_LOCATION,
                                                    SSGW_MAP_OP_SEND_AUTHENTICATION_INFO,
                                                    SSGW_MAP_OP_RESTORE_DATA,
                                                    SSGW_MAP_OP_READY_FOR_SM,
                                                    SSGW_MAP_OP_PURGE_MS};
/* Category 3 operations other than location updates: from the current VLR only. */
static const ssgw_map_opcode current_vlr_ops[] = {SSGW_MAP_OP_REGISTER_SS,
                                                  SSGW_MAP_OP_ERASE_SS,
                                                  SSGW_MAP_OP_ACTIVATE_SS,
                                                  SSGW_MAP_OP_DEACTIVATE_SS,
                                                  SSGW_MAP_OP_INTERROGATE_SS,
                                                  SSGW_MAP_OP_AUTHENTICATION_FAILURE_REPORT,
                                                  SSGW_MAP_OP_REGISTER_PASSWORD,
                                                  SSGW_MAP_OP_GET_PASSWORD,
                                                  SSGW_MAP_OP_SEND_AUTHENTICATION_INFO,
                                                  SSGW_MAP_OP_RESTORE_DATA,
                                                  SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST,
                                                  SSGW_MAP_OP_READY_FOR_SM,
                                                  SSGW_MAP_OP_PURGE_MS,
                                                  SSGW_MAP_OP_STATUS_REPORT,
                                                  SSGW_MAP_OP_REGISTER_CC_ENTRY,
                                                  SSGW_MAP_OP_ERASE_CC_ENTRY};

/* The token buckets of the rate checks (one key per subject; ssgw_check_prefetch lists them). */
static uint64_t bucket_sri_sm(uint64_t msisdn)
{
    return ssgw_store_mix(msisdn, 0x5352534d);
}
static uint64_t bucket_gt(uint64_t calling)
{
    return ssgw_store_mix(calling, 0x4754);
}
static uint64_t bucket_imsi(uint64_t imsi)
{
    return ssgw_store_mix(imsi, 0x494d5349);
}
static uint64_t bucket_op(int op)
{
    return ssgw_store_mix((uint64_t)op + 1, 0x4f50);
}

/* The dialogue an inbound Continue/End/Abort names (its destination transaction id). */
static bool names_dialogue(const ssgw_view *v, uint32_t *tid)
{
    if (!v->has_tcap || !v->tcap.dtid.present) return false;
    ssgw_tcap_msg_type t = v->tcap.type;
    if (t != SSGW_TCAP_CONTINUE && t != SSGW_TCAP_END && t != SSGW_TCAP_ABORT) return false;
    *tid = v->tcap.dtid.value;
    return true;
}

/* ---- tcap.unknown_dialogue ------------------------------------------------------------ */

static int chk_unknown_dialogue(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    uint32_t tid;
    if (cx->dir != SSGW_DIR_INBOUND || !names_dialogue(v, &tid)) return 0;
    ssgw_tcap_msg_type t = v->tcap.type;
    int r = cx->store->ops->dialogue_get(cx->store, tid, 0, cx->now_s,
                                         (uint32_t)cx->p->dialogue_timeout, NULL);
    if (r != 0) return 0; /* known, or the store cannot tell */
    return deny(cx,
                "TCAP %s from %s with destination transaction id %08x belongs to no dialogue "
                "we began in the last %lld s (infiltration of a foreign transaction)",
                ssgw_tcap_msg_type_name(t), gt_text(cx->calling), (unsigned)tid,
                cx->p->dialogue_timeout);
}

/* ---- spoof.peer_mismatch ------------------------------------------------------------- */

static int chk_peer_mismatch(ssgw_check_ctx *cx)
{
    if (cx->dir != SSGW_DIR_INBOUND || !cx->has_peer || !cx->calling[0]) return 0;
    if (cx->calling_owner == OWNER_HOME)
        return deny(cx,
                    "calling GT %s is one of ours, but the message arrived from the interconnect "
                    "(point code %u)",
                    cx->calling, (unsigned)cx->peer);
    const party *pa = policy_party(cx->p, cx->calling_owner);
    if (!pa || pa->pc.n == 0) return 0;
    for (size_t i = 0; i < pa->pc.n; i++)
        if ((uint32_t)pa->pc.v[i] == cx->peer) return 0;
    return deny(cx,
                "calling GT %s belongs to %s, whose traffic arrives from point code %lld, but "
                "this message came from point code %u (spoofed global title)",
                cx->calling, pa->name, pa->pc.v[0], (unsigned)cx->peer);
}

/* ---- cat1.operation ------------------------------------------------------------------ */

static int chk_cat1(ssgw_check_ctx *cx)
{
    if (!inbound_map(cx)) return 0;
    const party *pa = policy_party(cx->p, cx->calling_owner);
    for (unsigned i = 0; i < cx->n_invokes; i++) {
        int op = cx->invoke_ops[i];
        if (invoke_category(cx, i) != SSGW_CAT_1) continue;
        if (pa && cx->calling_owner != OWNER_HOME &&
            (opset_has(&pa->allowed, op) || opset_has(&pa->allowed, cx->invoke_pops[i])))
            continue;
        return deny(cx,
                    "%s is a category 1 operation (never accepted from the interconnect) and %s "
                    "(%s) has no agreement that allows it",
                    ssgw_map_op_name(op), gt_text(cx->calling), who(cx, cx->calling_owner));
    }
    return 0;
}

/* ---- spoof.ssn_mismatch -------------------------------------------------------------- */

typedef struct {
    uint8_t calling[3]; /* allowed calling SSNs (0 ends the list; none: no rule) */
    uint8_t called[3];
} ssn_rule;

/* TS 23.003 SSNs: HLR 6, VLR 7, MSC 8 (also SMSC/SMS-GMSC), gsmSCF 147, SGSN 149. Indexed by
 * policy operation, so that the rule of one is a load away (issue 16). */
static const ssn_rule ssn_rules[SSGW_MAP_OPCODE_MAX + 1] = {
    [SSGW_MAP_OP_UPDATE_LOCATION] = {{7}, {6}},        /* VLR -> HLR */
    [SSGW_MAP_OP_CANCEL_LOCATION] = {{6}, {7, 149}},   /* HLR -> VLR/SGSN */
    [SSGW_MAP_OP_PROVIDE_ROAMING_NUMBER] = {{6}, {7}}, /* HLR -> VLR */
    [SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA] = {{6}, {7, 149}},
    [SSGW_MAP_OP_DELETE_SUBSCRIBER_DATA] = {{6}, {7, 149}},
    [SSGW_MAP_OP_REGISTER_SS] = {{7}, {6}},
    [SSGW_MAP_OP_ERASE_SS] = {{7}, {6}},
    [SSGW_MAP_OP_ACTIVATE_SS] = {{7}, {6}},
    [SSGW_MAP_OP_DEACTIVATE_SS] = {{7}, {6}},
    [SSGW_MAP_OP_INTERROGATE_SS] = {{7}, {6}},
    [SSGW_MAP_OP_UPDATE_GPRS_LOCATION] = {{149}, {6}},   /* SGSN -> HLR */
    [SSGW_MAP_OP_MT_FORWARD_SM] = {{8}, {8, 149}},       /* SMS-GMSC -> MSC/SGSN */
    [SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM] = {{8}, {6}}, /* SMS-GMSC -> HLR */
    [SSGW_MAP_OP_SEND_AUTHENTICATION_INFO] = {{7, 149}, {6}},
    [SSGW_MAP_OP_RESTORE_DATA] = {{7}, {6}},
    [SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST] = {{7}, {6}}, /* VLR -> HLR */
    [SSGW_MAP_OP_UNSTRUCTURED_SS_REQUEST] = {{6, 147}, {7}},    /* HLR/gsmSCF -> VLR */
    [SSGW_MAP_OP_UNSTRUCTURED_SS_NOTIFY] = {{6, 147}, {7}},
    [SSGW_MAP_OP_READY_FOR_SM] = {{7, 149}, {6}},
    [SSGW_MAP_OP_PURGE_MS] = {{7, 149}, {6}},
    [SSGW_MAP_OP_PROVIDE_SUBSCRIBER_INFO] = {{6}, {7, 149}}, /* HLR -> VLR/SGSN */
};

/* The rule of policy operation pop, or NULL. */
static const ssn_rule *ssn_rule_of(int pop)
{
    return pop >= 0 && pop <= SSGW_MAP_OPCODE_MAX && ssn_rules[pop].calling[0] ? &ssn_rules[pop]
                                                                               : NULL;
}

static bool ssn_ok(const uint8_t *set, uint8_t ssn)
{
    for (int i = 0; i < 3 && set[i]; i++)
        if (set[i] == ssn) return true;
    return false;
}

static int chk_ssn_mismatch(ssgw_check_ctx *cx)
{
    if (!inbound_map(cx) || !cx->v->has_sccp) return 0;
    const ssgw_sccp_addr *cg = &cx->v->sccp.calling, *cd = &cx->v->sccp.called;
    const ssn_rule *r = ssn_rule_of(cx->pop);
    if (!r) return 0;
    if (cg->has_ssn && cg->ssn && !ssn_ok(r->calling, cg->ssn))
        return deny(cx,
                    "%s sent by calling SSN %u, which is not a subsystem that sends it "
                    "(expected %u%s)",
                    ssgw_check_op_name(cx), cg->ssn, r->calling[0],
                    r->calling[1] ? " or another listed in docs/checks.md" : "");
    if (cd->has_ssn && cd->ssn && !ssn_ok(r->called, cd->ssn))
        return deny(cx,
                    "%s addressed to called SSN %u, which does not handle it (expected "
                    "%u%s)",
                    ssgw_check_op_name(cx), cd->ssn, r->called[0],
                    r->called[1] ? " or another listed in docs/checks.md" : "");
    return 0;
}

/* ---- spoof.imsi_network -------------------------------------------------------------- */

static int chk_imsi_network(ssgw_check_ctx *cx)
{
    if (!inbound_map(cx) || !OP_IN(cx->pop, hlr_ops_with_imsi)) return 0;
    if (ssgw_check_need_map(cx) < 0 || !cx->imsi[0] || cx->imsi_owner == OWNER_HOME) return 0;
    return deny(cx,
                "%s for IMSI %s (%s) was sent to our network, but only our own subscribers' "
                "IMSIs can be served by our HLR",
                ssgw_check_op_name(cx), cx->imsi, who(cx, cx->imsi_owner));
}

/* ---- spoof.msisdn_network ------------------------------------------------------------ */

/* Operations that ask our HLR about a subscriber named by MSISDN. */
static const ssgw_map_opcode hlr_ops_by_msisdn[] = {
    SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM, SSGW_MAP_OP_SEND_ROUTING_INFO,
    SSGW_MAP_OP_ANY_TIME_INTERROGATION, SSGW_MAP_OP_SEND_IMSI,
    SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_LCS};

/* " (ported: ported.csv:12)" when the ported-numbers table decided, else "". */
static const char *ported_text(const ssgw_check_ctx *cx, const ported_range *row, char *buf,
                               size_t cap)
{
    buf[0] = '\0';
    if (row)
        ssgw_reason_format(buf, cap, " (ported numbers %s:%u)", cx->p->imp_files[row->file],
                           (unsigned)row->line);
    return buf;
}

static int chk_msisdn_network(ssgw_check_ctx *cx)
{
    if (!inbound_map(cx) || !OP_IN(cx->op, hlr_ops_by_msisdn)) return 0;
    if (ssgw_check_need_map(cx) < 0 || !cx->v->map.msisdn.digits[0]) return 0;
    const char *msisdn = cx->v->map.msisdn.digits;
    const ported_range *row;
    uint16_t o = policy_msisdn_owner(cx->p, msisdn, sizeof cx->v->map.msisdn.digits, &row);
    if (o == OWNER_HOME || (o == MSISDN_UNKNOWN && !cx->p->home.msisdn.n)) return 0;
    if (o == MSISDN_UNKNOWN)
        return deny(cx,
                    "%s for MSISDN %s, which is not one of ours (outside [home] msisdn_prefixes "
                    "and not ported in): our HLR does not serve it",
                    ssgw_map_op_name(cx->op), msisdn);
    char pt[1200];
    return deny(cx, "%s for MSISDN %s, which %s %s%s, not by us: our HLR does not serve it",
                ssgw_map_op_name(cx->op), msisdn, row ? "was ported to" : "is served by",
                o == OWNER_NONE ? "a network that is no partner" : who(cx, o),
                ported_text(cx, row, pt, sizeof pt));
}

/* ---- cat2 ------------------------------------------------------------------------ */

static int first_cat2(const ssgw_check_ctx *cx)
{
    for (unsigned i = 0; i < cx->n_invokes; i++)
        if (invoke_category(cx, i) == SSGW_CAT_2) return cx->invoke_ops[i];
    return -1;
}

static int chk_cat2_own(ssgw_check_ctx *cx)
{
    if (!inbound_map(cx)) return 0;
    int op = first_cat2(cx);
    if (op < 0 || ssgw_check_need_map(cx) < 0) return 0;
    if (cx->imsi[0] && cx->imsi_owner == OWNER_HOME)
        return deny(cx,
                    "%s (category 2) about our own subscriber %s arrived from the interconnect "
                    "(%s, %s): only our own HLR sends it",
                    ssgw_map_op_name(op), cx->imsi, gt_text(cx->calling),
                    who(cx, cx->calling_owner));
    const ported_range *row;
    const char *msisdn = cx->v->map.msisdn.digits;
    char pt[1200];
    if (!cx->imsi[0] && msisdn[0] &&
        policy_msisdn_owner(cx->p, msisdn, sizeof cx->v->map.msisdn.digits, &row) == OWNER_HOME)
        return deny(cx,
                    "%s (category 2) about our own subscriber MSISDN %s%s arrived from the "
                    "interconnect (%s, %s): only our own HLR sends it",
                    ssgw_map_op_name(op), msisdn, ported_text(cx, row, pt, sizeof pt),
                    gt_text(cx->calling), who(cx, cx->calling_owner));
    return 0;
}

static int chk_cat2_not_home(ssgw_check_ctx *cx)
{
    if (!inbound_map(cx)) return 0;
    int op = first_cat2(cx);
    if (op < 0 || ssgw_check_need_map(cx) < 0) return 0;
    if (cx->imsi[0]) {
        if (cx->imsi_owner == OWNER_HOME || cx->imsi_owner == cx->calling_owner) return 0;
        return deny(cx,
                    "%s (category 2) for IMSI %s of %s came from %s (%s): only the subscriber's "
                    "home network may send it",
                    ssgw_map_op_name(op), cx->imsi, who(cx, cx->imsi_owner), gt_text(cx->calling),
                    who(cx, cx->calling_owner));
    }
    const ported_range *row;
    const char *msisdn = cx->v->map.msisdn.digits;
    uint16_t mo = msisdn[0]
                      ? policy_msisdn_owner(cx->p, msisdn, sizeof cx->v->map.msisdn.digits, &row)
                      : MSISDN_UNKNOWN;
    if (mo != MSISDN_UNKNOWN && mo != OWNER_HOME && mo != cx->calling_owner) {
        char pt[1200];
        return deny(cx,
                    "%s (category 2) for MSISDN %s of %s%s came from %s (%s): only the "
                    "subscriber's home network may send it",
                    ssgw_map_op_name(op), msisdn,
                    mo == OWNER_NONE ? "a network that is no partner" : who(cx, mo),
                    ported_text(cx, row, pt, sizeof pt), gt_text(cx->calling),
                    who(cx, cx->calling_owner));
    }
    if (cx->calling_owner == OWNER_NONE)
        return deny(cx,
                    "%s (category 2) came from %s, which belongs to no partner network, so it "
                    "cannot be a subscriber's home network",
                    ssgw_map_op_name(op), gt_text(cx->calling));
    return 0;
}

/* ---- spoof.vlr_mismatch -------------------------------------------------------------- */

static int same_network(const ssgw_check_ctx *cx, const char *a, uint16_t oa, const char *b,
                        uint16_t ob)
{
    (void)cx;
    if (oa != ob) return 0;
    if (oa != OWNER_NONE) return 1;
    return geo_lookup(a) == geo_lookup(b);
}

static int chk_vlr_mismatch(ssgw_check_ctx *cx)
{
    if (!inbound_map(cx) || !OP_IN(cx->pop, location_update_ops) || !cx->calling[0]) return 0;
    if (ssgw_check_need_map(cx) < 0) return 0;
    const ssgw_map_fields *m = &cx->v->map;
    const char *label[] = {"VLR", "MSC", "SGSN"};
    const char *num[] = {m->vlr_number.digits, m->msc_number.digits, m->sgsn_number.digits};
    for (int i = 0; i < 3; i++) {
        if (!num[i][0]) continue;
        uint16_t o = owner_of_gt(cx, num[i], NULL);
        if (!same_network(cx, num[i], o, cx->calling, cx->calling_owner))
            return deny(cx,
                        "%s names %s number %s (%s) but was sent by calling GT %s (%s): the "
                        "location in the message is not the sender's",
                        ssgw_check_op_name(cx), label[i], num[i], who(cx, o), cx->calling,
                        who(cx, cx->calling_owner));
    }
    return 0;
}

/* ---- cat3.velocity ------------------------------------------------------------------- */

const char *ssgw_check_new_location(const ssgw_check_ctx *cx)
{
    const ssgw_map_fields *m = &cx->v->map;
    if (m->vlr_number.digits[0]) return m->vlr_number.digits;
    if (m->sgsn_number.digits[0]) return m->sgsn_number.digits;
    return cx->calling;
}

uint64_t ssgw_check_new_location_key(const ssgw_check_ctx *cx)
{
    const char *gt = ssgw_check_new_location(cx);
    if (gt == cx->calling) return cx->calling_key;
    return ssgw_store_pack_digits_in(gt, sizeof cx->v->map.vlr_number.digits); /* an array */
}

int ssgw_check_implausible(const ssgw_check_ctx *cx, const ssgw_store_location *loc,
                           const geo_entry *to, double *km, const geo_entry **from)
{
    *from = geo_at_index(loc->cc);
    *km = 0;
    if (!*from || !to) return *from && !to; /* we knew where they were; the new place is nowhere */
    *km = geo_distance_km(*from, to);
    if (*km <= (double)cx->p->min_distance_km) return 0;
    double elapsed_h = (double)(uint32_t)(cx->now_s - loc->time) / 3600.0;
    return elapsed_h * (double)cx->p->max_speed_kmh < *km;
}

/* 1 when moving from loc to the country of gt at now is implausible; fills *km, *from, *to. */
static int implausible(const ssgw_check_ctx *cx, const ssgw_store_location *loc, const char *gt,
                       double *km, const geo_entry **from, const geo_entry **to)
{
    *to = geo_lookup(gt);
    return ssgw_check_implausible(cx, loc, *to, km, from);
}

static int chk_velocity(ssgw_check_ctx *cx)
{
    if (!inbound_map(cx) || !OP_IN(cx->pop, location_update_ops)) return 0;
    if (ssgw_check_need_map(cx) < 0 || !cx->imsi[0] || cx->imsi_owner != OWNER_HOME) return 0;
    if (cx->calling_owner == OWNER_NONE)
        return deny(cx,
                    "%s for our subscriber %s from %s, which belongs to no roaming partner: the "
                    "subscriber cannot be registered there",
                    ssgw_check_op_name(cx), cx->imsi, gt_text(cx->calling));
    ssgw_store_location loc;
    if (cx->store->ops->location_get(cx->store, cx->imsi_key, &loc) != 1) return 0;
    const char *gt = ssgw_check_new_location(cx);
    uint64_t k = ssgw_check_new_location_key(cx);
    if (k && (k == loc.vlr || k == loc.msc)) return 0;
    double km;
    const geo_entry *from, *to;
    if (!implausible(cx, &loc, gt, &km, &from, &to)) return 0;
    if (!to)
        return deny(cx,
                    "%s for our subscriber %s from %s, a number with no country: the "
                    "subscriber was last seen in %s",
                    ssgw_check_op_name(cx), cx->imsi, gt, from->name);
    return deny(cx,
                "%s for our subscriber %s from %s (%s), %.0f km from %s where it registered %u s "
                "ago: faster than %lld km/h",
                ssgw_check_op_name(cx), cx->imsi, gt, to->name, km, from->name,
                (unsigned)(cx->now_s - loc.time), cx->p->max_speed_kmh);
}

/* ---- cat3.not_current_vlr ------------------------------------------------------------ */

static int chk_not_current_vlr(ssgw_check_ctx *cx)
{
    if (!inbound_map(cx) || !OP_IN(cx->pop, current_vlr_ops)) return 0;
    if (cx->calling_owner == OWNER_NONE)
        return deny(cx,
                    "%s (category 3) from %s, which is not a VLR of any roaming partner, so it "
                    "cannot be the subscriber's current location",
                    ssgw_check_op_name(cx), gt_text(cx->calling));
    if (ssgw_check_need_map(cx) < 0 || !cx->imsi[0] || cx->imsi_owner != OWNER_HOME) return 0;
    ssgw_store_location loc;
    if (cx->store->ops->location_get(cx->store, cx->imsi_key, &loc) != 1) return 0;
    if (cx->calling_key && (cx->calling_key == loc.vlr || cx->calling_key == loc.msc)) return 0;
    if (cx->pop == SSGW_MAP_OP_SEND_AUTHENTICATION_INFO) {
        /* sendAuthenticationInfo opens a location update at a new VLR: plausible moves pass. */
        double km;
        const geo_entry *from, *to;
        if (!implausible(cx, &loc, cx->calling, &km, &from, &to)) return 0;
    }
    char cur[16], where[64];
    uint64_t node = loc.vlr ? loc.vlr : loc.msc;
    uint8_t r;
    uint16_t o = 0;
    if (ssgw_store_unpack_digits(node, cur, sizeof cur) > 0) {
        trie_lookup(&cx->p->gt, cur, &o, &r);
        ssgw_reason_format(where, sizeof where, "served by %s %s (%s)", loc.vlr ? "VLR" : "MSC",
                           cur, who(cx, o));
    } else {
        ssgw_reason_format(where, sizeof where, "detached (purged or cancelled)");
    }
    return deny(cx, "%s for our subscriber %s from %s (%s), but the subscriber is %s since %u s",
                ssgw_check_op_name(cx), cx->imsi, gt_text(cx->calling), who(cx, cx->calling_owner),
                where, (unsigned)(cx->now_s - loc.time));
}

/* ---- sms.* --------------------------------------------------------------------------- */

/* A GT that may act as an SMSC: listed as one, or in a partner that lists none. */
static bool known_smsc(const ssgw_check_ctx *cx, const char *gt, uint16_t *owner)
{
    uint8_t roles;
    uint16_t o = owner_of_gt(cx, gt, &roles);
    *owner = o;
    if (roles & ROLE_SMSC) return true;
    const party *pa = policy_party(cx->p, o);
    return pa && o != OWNER_HOME && pa->smsc.n == 0;
}

static int chk_sri_sm_origin(ssgw_check_ctx *cx)
{
    if (!inbound_map(cx) || cx->pop != SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM) return 0;
    uint16_t o;
    if (cx->calling[0] && known_smsc(cx, cx->calling, &o)) return 0;
    return deny(cx,
                "sendRoutingInfoForSM from %s (%s), which is not a known SMSC of a partner "
                "(location tracking / IMSI harvesting)",
                gt_text(cx->calling), who(cx, cx->calling_owner));
}

static int chk_sri_sm_rate(ssgw_check_ctx *cx)
{
    const rate_spec *r = &cx->p->rate_sri_sm;
    if (!inbound_map(cx) || cx->pop != SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM || !r->limit) return 0;
    if (ssgw_check_need_map(cx) < 0) return 0;
    const char *msisdn = cx->v->map.msisdn.digits;
    uint64_t k = ssgw_store_pack_digits_in(msisdn, sizeof cx->v->map.msisdn.digits);
    if (!k) return 0;
    if (ssgw_check_take(cx, bucket_sri_sm(k), r->limit, r->period, r->limit) != 0) return 0;
    return deny(cx,
                "more than %u sendRoutingInfoForSM for MSISDN %s within %u s (location tracking "
                "pattern)",
                r->limit, msisdn, r->period);
}

static int chk_mt_fsm_origin(ssgw_check_ctx *cx)
{
    if (!inbound_map(cx) || cx->pop != SSGW_MAP_OP_MT_FORWARD_SM) return 0;
    if (ssgw_check_need_map(cx) < 0) return 0;
    uint16_t o;
    const char *sc = cx->v->map.smsc_address.digits;
    if (!cx->calling[0] || !known_smsc(cx, cx->calling, &o))
        return deny(cx,
                    "%s from %s (%s), which is not a known SMSC of a partner (fake SMSC / "
                    "spoofed SMS)",
                    ssgw_check_op_name(cx), gt_text(cx->calling), who(cx, cx->calling_owner));
    if (sc[0] && !known_smsc(cx, sc, &o))
        return deny(cx,
                    "%s with service centre address %s (%s), which is not a known SMSC "
                    "(spoofed SMS origin)",
                    ssgw_check_op_name(cx), sc, who(cx, o));
    /* the SMSC's own GT (or its SMS-GMSC's) sends the mt-forwardSM: a service centre of
     * another network is one the sender wrote, unless the sender is an SMS hub relaying
     * other networks' SMSCs (never ours) */
    if (sc[0] && !ssgw_check_sc_vouched(cx, o))
        return deny(cx,
                    "%s from %s (%s) with service centre address %s of %s, another network "
                    "(spoofed SMS origin)",
                    ssgw_check_op_name(cx), gt_text(cx->calling), who(cx, cx->calling_owner), sc,
                    who(cx, o));
    return 0;
}

static int chk_mt_fsm_no_sri(ssgw_check_ctx *cx)
{
    if (!inbound_map(cx) || cx->pop != SSGW_MAP_OP_MT_FORWARD_SM) return 0;
    if (ssgw_check_need_map(cx) < 0 || !cx->imsi[0] || cx->imsi_owner != OWNER_HOME) return 0;
    uint32_t win = (uint32_t)cx->p->sri_sm_window;
    if (cx->calling_key &&
        cx->store->ops->mark_get(cx->store, cx->imsi_key, cx->calling_key, cx->now_s, win) != 0)
        return 0;
    uint64_t sc = ssgw_store_pack_digits(cx->v->map.smsc_address.digits);
    if (sc && cx->store->ops->mark_get(cx->store, cx->imsi_key, sc, cx->now_s, win) != 0) return 0;
    return deny(cx,
                "%s for our subscriber %s from %s, but no sendRoutingInfoForSM from that SMSC "
                "located the subscriber in the last %u s",
                ssgw_check_op_name(cx), cx->imsi, gt_text(cx->calling), win);
}

/* ---- rate.* -------------------------------------------------------------------------- */

static int take(ssgw_check_ctx *cx, const rate_spec *r, uint64_t key)
{
    return ssgw_check_take(cx, key, r->limit, r->period, r->limit) == 0;
}

static int chk_rate_gt(ssgw_check_ctx *cx)
{
    const rate_spec *r = &cx->p->rate_calling_gt;
    if (cx->dir != SSGW_DIR_INBOUND || !r->limit || !cx->calling_key) return 0;
    if (!take(cx, r, bucket_gt(cx->calling_key))) return 0;
    return deny(cx, "calling GT %s sent more than %u messages in %u s", cx->calling, r->limit,
                r->period);
}

static int chk_rate_imsi(ssgw_check_ctx *cx)
{
    const rate_spec *r = &cx->p->rate_imsi;
    if (!inbound_map(cx) || !r->limit) return 0;
    if (ssgw_check_need_map(cx) < 0 || !cx->imsi_key) return 0;
    if (!take(cx, r, bucket_imsi(cx->imsi_key))) return 0;
    return deny(cx, "more than %u operations about IMSI %s in %u s", r->limit, cx->imsi, r->period);
}

static int chk_rate_op(ssgw_check_ctx *cx)
{
    const rate_spec *r = &cx->p->rate_operation;
    if (!inbound_map(cx) || !r->limit) return 0;
    if (!take(cx, r, bucket_op(cx->pop))) return 0;
    return deny(cx, "more than %u %s in %u s from all peers together", r->limit,
                ssgw_check_op_name(cx), r->period);
}

static int chk_default(ssgw_check_ctx *cx)
{
    (void)cx;
    return 0;
}

/* ---- the registry -------------------------------------------------------------------- */

typedef struct {
    ssgw_check_info info;
    ssgw_check_fn fn;
} registry_row;

static const registry_row registry[] = {
    {{"tcap.unknown_dialogue", "Continue/End/Abort that belongs to no dialogue seen to begin",
      SSGW_CAT_NONE, SSGW_ACT_ANSWER, "tcap-abort", SSGW_CHECK_SS7},
     chk_unknown_dialogue},
    {{"tcap.dialogue_peer_mismatch",
      "Continue/End/Abort of a known dialogue from another peer than the dialogue's", SSGW_CAT_NONE,
      SSGW_ACT_DROP, NULL, SSGW_CHECK_SS7},
     ssgw_chk_dialogue_peer},
    {{"spoof.peer_mismatch", "calling GT of a partner (or ours) arriving from another point code",
      SSGW_CAT_NONE, SSGW_ACT_DROP, NULL, SSGW_CHECK_SS7},
     chk_peer_mismatch},
/* ---- unclassified traffic (checks_class.c, checks_cap.c; docs/checks.md) ---- */
#define U(name, what, fn)                                                                          \
    {                                                                                              \
        {name, what, SSGW_CAT_NONE, SSGW_ACT_DROP, NULL, SSGW_CHECK_SS7}, fn                       \
    }
    U("class.unknown_user", "TCAP dialogue of a user no table knows (neither MAP nor CAP)",
      ssgw_chk_class_unknown_user),
    U("class.unknown_context", "application context no MAP or CAP context (or version) has",
      ssgw_chk_class_unknown_context),
    U("class.map_v1_no_dialogue", "MAP Begin without a dialogue portion (MAP v1, no context)",
      ssgw_chk_class_map_v1),
    U("class.global_opcode", "invoke with a global (object identifier) operation code",
      ssgw_chk_class_global_opcode),
    U("class.unknown_operation", "operation code in no table of its TCAP user",
      ssgw_chk_class_unknown_operation),
    U("class.out_of_context", "operation its dialogue's application context does not carry",
      ssgw_chk_class_out_of_context),
    U("class.ansi_tcap", "ANSI TCAP (ANSI-41) on an ITU-T interconnect", ssgw_chk_class_ansi_tcap),
    U("scmg.foreign", "SCCP management (SSP, SOR, SOG, SST...) from a network that is no partner",
      ssgw_chk_scmg_foreign),
    U("scmg.home_status", "SCCP management about one of our own subsystems from outside",
      ssgw_chk_scmg_home_status),
    U("cap.non_member", "CAP dialogue opened by a network that is no partner",
      ssgw_chk_cap_non_member),
    U("cap.scf_origin", "gsmSCF order (Connect, ReleaseCall, ...) not from a partner's gsmSCF",
      ssgw_chk_cap_scf_origin),
    U("cap.to_scf_subscriber",
      "InitialDP (SMS, GPRS) not to our gsmSCF or for a subscriber who is not ours",
      ssgw_chk_cap_to_scf),
#undef U
    {{"cat1.operation", "category 1 operation from the interconnect without an agreement",
      SSGW_CAT_1, SSGW_ACT_ANSWER, "map-error:facilityNotSupported", SSGW_CHECK_SS7},
     chk_cat1},
    {{"spoof.ssn_mismatch", "operation from or to a subsystem that does not send / handle it",
      SSGW_CAT_NONE, SSGW_ACT_DROP, NULL, SSGW_CHECK_SS7},
     chk_ssn_mismatch},
    {{"spoof.imsi_network", "HLR operation for an IMSI that is not one of ours", SSGW_CAT_3,
      SSGW_ACT_ANSWER, "map-error:unknownSubscriber", SSGW_CHECK_SS7},
     chk_imsi_network},
    {{"spoof.msisdn_network",
      "HLR query by MSISDN for a number that is not ours (ranges, ported numbers)", SSGW_CAT_NONE,
      SSGW_ACT_ANSWER, "map-error:unknownSubscriber", SSGW_CHECK_SS7},
     chk_msisdn_network},
    {{"cat2.own_subscriber", "category 2 operation about one of our subscribers from outside",
      SSGW_CAT_2, SSGW_ACT_ANSWER, "map-error:unexpectedDataValue", SSGW_CHECK_SS7},
     chk_cat2_own},
    {{"cat2.not_home_network", "category 2 operation not from the IMSI's home network", SSGW_CAT_2,
      SSGW_ACT_ANSWER, "map-error:unexpectedDataValue", SSGW_CHECK_SS7},
     chk_cat2_not_home},
    {{"spoof.vlr_mismatch", "VLR/MSC/SGSN number in a location update not in the sender's network",
      SSGW_CAT_3, SSGW_ACT_DROP, NULL, SSGW_CHECK_SS7},
     chk_vlr_mismatch},
    {{"cat3.velocity", "location update from a place the subscriber cannot have reached",
      SSGW_CAT_3, SSGW_ACT_ANSWER, "map-error:roamingNotAllowed", SSGW_CHECK_SS7},
     chk_velocity},
    {{"cat3.not_current_vlr", "location-dependent operation not from the subscriber's current VLR",
      SSGW_CAT_3, SSGW_ACT_ANSWER, "map-error:unexpectedDataValue", SSGW_CHECK_SS7},
     chk_not_current_vlr},
    {{"sms.sri_sm_origin", "sendRoutingInfoForSM from a GT that is not a known SMSC", SSGW_CAT_SMS,
      SSGW_ACT_ANSWER, "map-error:facilityNotSupported", SSGW_CHECK_SS7},
     chk_sri_sm_origin},
    {{"sms.sri_sm_rate", "too many sendRoutingInfoForSM for one MSISDN", SSGW_CAT_SMS,
      SSGW_ACT_RATE_LIMIT, NULL, SSGW_CHECK_SS7},
     chk_sri_sm_rate},
    /* a protected sender before the SMSC checks: the more specific finding (smishing with a
     * trusted name), whether or not an SRI-SM came first */
    {{"sms.protected_sender",
      "a protected sender (a bank's name or number) delivered by an SMSC that may not send it",
      SSGW_CAT_SMS, SSGW_ACT_DROP, NULL, SSGW_CHECK_SS7},
     ssgw_chk_sms_protected_sender},
    {{"sms.mt_fsm_origin", "mt-forwardSM from a GT or service centre that is not a known SMSC",
      SSGW_CAT_SMS, SSGW_ACT_DROP, NULL, SSGW_CHECK_SS7},
     chk_mt_fsm_origin},
    {{"sms.mt_fsm_no_sri", "mt-forwardSM to our subscriber with no SRI-SM from that SMSC",
      SSGW_CAT_SMS, SSGW_ACT_DROP, NULL, SSGW_CHECK_SS7},
     chk_mt_fsm_no_sri},
    /* sender protection and spam (SMS-DELIVER from the interconnect, checks_sms.c) */
    {{"sms.home_sender_abroad", "one of our own numbers as sender, delivered by a foreign SMSC",
      SSGW_CAT_SMS, SSGW_ACT_DROP, NULL, SSGW_CHECK_SS7},
     ssgw_chk_sms_home_sender},
    {{"sms.url", "a link to a listed domain", SSGW_CAT_SMS, SSGW_ACT_DROP, NULL, SSGW_CHECK_SS7},
     ssgw_chk_sms_url},
    {{"sms.keyword", "a listed phrase in the text", SSGW_CAT_SMS, SSGW_ACT_DROP, NULL,
      SSGW_CHECK_SS7},
     ssgw_chk_sms_keyword},
    {{"sms.sender_rate", "too many messages from one sender", SSGW_CAT_SMS, SSGW_ACT_RATE_LIMIT,
      NULL, SSGW_CHECK_SS7},
     ssgw_chk_sms_sender_rate},
    {{"sms.same_text", "the same text to too many recipients", SSGW_CAT_SMS, SSGW_ACT_RATE_LIMIT,
      NULL, SSGW_CHECK_SS7},
     ssgw_chk_sms_same_text},
    {{"rate.calling_gt", "token bucket per calling GT exceeded", SSGW_CAT_NONE, SSGW_ACT_RATE_LIMIT,
      NULL, SSGW_CHECK_SS7},
     chk_rate_gt},
    {{"rate.imsi", "token bucket per IMSI exceeded", SSGW_CAT_NONE, SSGW_ACT_RATE_LIMIT, NULL,
      SSGW_CHECK_SS7},
     chk_rate_imsi},
    {{"rate.operation", "token bucket per MAP operation exceeded", SSGW_CAT_NONE,
      SSGW_ACT_RATE_LIMIT, NULL, SSGW_CHECK_SS7},
     chk_rate_op},
    /* calls (ISUP IAMs from the interconnect, checks_calls.c): a blocked IAM is released */
    {{"call.home_cli_inbound",
      "call with one of our own subscribers' numbers as calling number from the interconnect",
      SSGW_CAT_NONE, SSGW_ACT_ANSWER, "isup-rel", SSGW_CHECK_SS7},
     ssgw_chk_call_home_cli},
    {{"call.cli_invalid",
      "calling number unallocated, too short or long for its country, premium-rate or a short code",
      SSGW_CAT_NONE, SSGW_ACT_ANSWER, "isup-rel", SSGW_CHECK_SS7},
     ssgw_chk_call_cli_invalid},
    {{"call.cli_country", "calling number of a country the delivering partner does not serve",
      SSGW_CAT_NONE, SSGW_ACT_ANSWER, "isup-rel", SSGW_CHECK_SS7},
     ssgw_chk_call_cli_country},
    {{"call.rate", "too many calls from one calling number", SSGW_CAT_NONE, SSGW_ACT_RATE_LIMIT,
      NULL, SSGW_CHECK_SS7},
     ssgw_chk_call_rate},
    {{"call.fanout", "one calling number calling too many different numbers (robocalls)",
      SSGW_CAT_NONE, SSGW_ACT_ANSWER, "isup-rel", SSGW_CHECK_SS7},
     ssgw_chk_call_fanout},
    {{"call.wangiri", "calling number flagged for short unanswered calls to many numbers",
      SSGW_CAT_NONE, SSGW_ACT_ANSWER, "isup-rel", SSGW_CHECK_SS7},
     ssgw_chk_call_wangiri},
/* ---- Diameter S6a/S6d (checks_diameter.c; docs/checks.md "Diameter") ---- */
#define D(name, what, action, answer, fn)                                                          \
    {                                                                                              \
        {name, what, SSGW_CAT_NONE, action, answer, SSGW_CHECK_DIAMETER}, fn                       \
    }
    D("diameter.unknown_command",
      "application or command outside S6a/S6d and the base protocol, from a non-partner realm",
      SSGW_ACT_ANSWER, "diameter:COMMAND_UNSUPPORTED", ssgw_dcheck_unknown_command),
    D("diameter.origin_realm", "Origin-Realm missing, of no partner, or our own from outside",
      SSGW_ACT_ANSWER, "diameter:UNABLE_TO_COMPLY", ssgw_dcheck_origin_realm),
    D("diameter.origin_host", "Origin-Host outside its Origin-Realm or not a listed host",
      SSGW_ACT_ANSWER, "diameter:UNABLE_TO_COMPLY", ssgw_dcheck_origin_host),
    D("diameter.peer_realm", "Origin-Realm of one partner arriving from another partner's peer",
      SSGW_ACT_DROP, NULL, ssgw_dcheck_peer_realm),
    D("diameter.cat_home_only",
      "IDR/DSR/CLR/RSR (HSS to MME) not from the subscriber's home network", SSGW_ACT_ANSWER,
      "diameter:UNABLE_TO_COMPLY", ssgw_dcheck_home_only),
    D("diameter.imsi_realm", "ULR/AIR/PUR/NOR (MME to HSS) for an IMSI that is not ours",
      SSGW_ACT_ANSWER, "diameter-experimental:USER_UNKNOWN", ssgw_dcheck_imsi_realm),
    D("diameter.visited_plmn", "Visited-PLMN-Id not the network of the Origin-Realm",
      SSGW_ACT_ANSWER, "diameter-experimental:ROAMING_NOT_ALLOWED", ssgw_dcheck_visited_plmn),
    D("diameter.velocity",
      "ULR from a country the subscriber cannot have reached (after MAP or Diameter)",
      SSGW_ACT_ANSWER, "diameter-experimental:ROAMING_NOT_ALLOWED", ssgw_dcheck_velocity),
    D("diameter.not_current_location",
      "PUR/NOR for our subscriber from a network it is not registered in", SSGW_ACT_ANSWER,
      "diameter:UNABLE_TO_COMPLY", ssgw_dcheck_not_current),
    D("diameter.rate_origin", "token bucket per Origin-Host exceeded", SSGW_ACT_RATE_LIMIT, NULL,
      ssgw_dcheck_rate_origin),
    D("diameter.rate_imsi", "token bucket per IMSI exceeded (the bucket rate.imsi fills too)",
      SSGW_ACT_RATE_LIMIT, NULL, ssgw_dcheck_rate_imsi),
#undef D
    {{"default", "nothing objected", SSGW_CAT_NONE, SSGW_ACT_ALLOW, NULL, SSGW_CHECK_SS7},
     chk_default},
};

#define N_CHECKS (sizeof registry / sizeof registry[0])

size_t ssgw_check_count(void)
{
    return N_CHECKS;
}
const ssgw_check_info *ssgw_check_at(size_t i)
{
    return i < N_CHECKS ? &registry[i].info : NULL;
}
ssgw_check_fn ssgw_check_fn_at(size_t i)
{
    return i < N_CHECKS ? registry[i].fn : NULL;
}
/* The checks that begin with inbound_iam() (checks_calls.c) and object to nothing else. */
static const ssgw_check_fn iam_only[] = {ssgw_chk_call_home_cli,    ssgw_chk_call_cli_invalid,
                                         ssgw_chk_call_cli_country, ssgw_chk_call_rate,
                                         ssgw_chk_call_fanout,      ssgw_chk_call_wangiri};

/* The checks that begin with inbound_map() and cx->pop in a set, and object to nothing else. */
static const ssgw_map_opcode sri_sm_ops[] = {SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM};
static const ssgw_map_opcode mt_fsm_ops[] = {SSGW_MAP_OP_MT_FORWARD_SM};
#define POP_GATE(fn, set)                                                                          \
    {                                                                                              \
        fn, set, sizeof(set) / sizeof((set)[0])                                                    \
    }
static const struct {
    ssgw_check_fn fn;
    const ssgw_map_opcode *ops;
    size_t n;
} pop_gates[] = {
    POP_GATE(chk_imsi_network, hlr_ops_with_imsi), POP_GATE(chk_vlr_mismatch, location_update_ops),
    POP_GATE(chk_velocity, location_update_ops),   POP_GATE(chk_not_current_vlr, current_vlr_ops),
    POP_GATE(chk_sri_sm_origin, sri_sm_ops),       POP_GATE(chk_sri_sm_rate, sri_sm_ops),
    POP_GATE(chk_mt_fsm_origin, mt_fsm_ops),       POP_GATE(chk_mt_fsm_no_sri, mt_fsm_ops),
};

/* The checks that begin with inbound_map() (or inbound_deliver(), checks_sms.c) and cx->op,
 * the first invoke's opcode, in a set, and object to nothing else. */
static const ssgw_map_opcode sms_deliver_ops[] = {SSGW_MAP_OP_MT_FORWARD_SM,
                                                  SSGW_MAP_OP_MO_FORWARD_SM};
static const struct {
    ssgw_check_fn fn;
    const ssgw_map_opcode *ops;
    size_t n;
} op_gates[] = {
    POP_GATE(chk_msisdn_network, hlr_ops_by_msisdn),
    POP_GATE(ssgw_chk_sms_protected_sender, sms_deliver_ops),
    POP_GATE(ssgw_chk_sms_home_sender, sms_deliver_ops),
    POP_GATE(ssgw_chk_sms_url, sms_deliver_ops),
    POP_GATE(ssgw_chk_sms_keyword, sms_deliver_ops),
    POP_GATE(ssgw_chk_sms_sender_rate, sms_deliver_ops),
    POP_GATE(ssgw_chk_sms_same_text, sms_deliver_ops),
};

/* Whether one of the opcodes ops[n] may have policy operation pop. */
static bool op_may_be(const ssgw_map_opcode *ops, size_t n, int pop)
{
    for (size_t i = 0; i < n; i++)
        if (ssgw_policy_map_op_may_be((int)ops[i], pop)) return true;
    return false;
}

/* The checks that object to no MAP dialogue: each begins with a fact that excludes one (a
 * TCAP user other than MAP, ANSI TCAP, SCCP management). */
static const ssgw_check_fn not_map[] = {
    ssgw_chk_class_unknown_user, ssgw_chk_class_ansi_tcap, ssgw_chk_scmg_foreign,
    ssgw_chk_scmg_home_status,   ssgw_chk_cap_non_member,  ssgw_chk_cap_scf_origin,
    ssgw_chk_cap_to_scf,
};

/* The checks that begin with names_dialogue() (checks_dialogue.c: named_dialogue()): a
 * Continue, End or Abort naming a transaction of ours. */
static const ssgw_check_fn in_dialogue[] = {chk_unknown_dialogue, ssgw_chk_dialogue_peer};

static bool fn_in(ssgw_check_fn fn, const ssgw_check_fn *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == fn) return true;
    return false;
}

#define FN_IN(fn, set) fn_in((fn), (set), sizeof(set) / sizeof((set)[0]))

ssgw_check_kind ssgw_check_kind_of(const ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    uint32_t tid;
    if (v->has_isup) return SSGW_CHECK_KIND_ISUP;
    if (!cx->is_map || v->has_scmg || v->has_ansi_tcap) return SSGW_CHECK_KIND_OTHER;
    return names_dialogue(v, &tid) ? SSGW_CHECK_KIND_MAP_DIALOGUE : SSGW_CHECK_KIND_MAP;
}

bool ssgw_check_may_object(size_t i, ssgw_check_kind kind, int pop)
{
    if (i >= N_CHECKS) return false;
    bool isup = kind == SSGW_CHECK_KIND_ISUP;
    bool map = kind == SSGW_CHECK_KIND_MAP || kind == SSGW_CHECK_KIND_MAP_DIALOGUE;
    if (map && FN_IN(registry[i].fn, not_map)) return false;
    if (kind == SSGW_CHECK_KIND_MAP && FN_IN(registry[i].fn, in_dialogue)) return false;
    for (size_t k = 0; k < sizeof iam_only / sizeof iam_only[0]; k++)
        if (registry[i].fn == iam_only[k]) return isup;
    for (size_t k = 0; k < sizeof pop_gates / sizeof pop_gates[0]; k++)
        if (registry[i].fn == pop_gates[k].fn) return op_in(pop, pop_gates[k].ops, pop_gates[k].n);
    for (size_t k = 0; k < sizeof op_gates / sizeof op_gates[0]; k++)
        if (registry[i].fn == op_gates[k].fn) return op_may_be(op_gates[k].ops, op_gates[k].n, pop);
    if (registry[i].fn == chk_ssn_mismatch) /* its rows are by policy operation */
        return ssn_rule_of(pop) != NULL;
    return true;
}

/* The checks that begin with a fact of the message (SSGW_CHECK_FACT_*) and object to
 * nothing without it: the unclassified-traffic checks with ssgw_check_class_judged(), the
 * category checks with an inbound MAP invoke of their category (inbound_map(), then
 * invoke_category()). */
static const ssgw_check_fn judged_only[] = {
    ssgw_chk_class_unknown_user,
    ssgw_chk_class_unknown_context,
    ssgw_chk_class_map_v1,
    ssgw_chk_class_global_opcode,
    ssgw_chk_class_unknown_operation,
    ssgw_chk_class_out_of_context,
    ssgw_chk_class_ansi_tcap,
    ssgw_chk_scmg_foreign,
};
static const ssgw_check_fn cat1_only[] = {chk_cat1};
static const ssgw_check_fn cat2_only[] = {chk_cat2_own, chk_cat2_not_home};

unsigned ssgw_check_needs(size_t i)
{
    if (i >= N_CHECKS) return 0;
    ssgw_check_fn fn = registry[i].fn;
    return (FN_IN(fn, judged_only) ? SSGW_CHECK_FACT_JUDGED : 0u) |
           (FN_IN(fn, cat1_only) ? SSGW_CHECK_FACT_CAT1 : 0u) |
           (FN_IN(fn, cat2_only) ? SSGW_CHECK_FACT_CAT2 : 0u);
}

unsigned ssgw_check_facts(const ssgw_check_ctx *cx)
{
    unsigned f = ssgw_check_class_judged(cx) ? SSGW_CHECK_FACT_JUDGED : 0u;
    if (inbound_map(cx))
        for (unsigned i = 0; i < cx->n_invokes; i++) {
            ssgw_category c = invoke_category(cx, i);
            f |= c == SSGW_CAT_1   ? SSGW_CHECK_FACT_CAT1
                 : c == SSGW_CAT_2 ? SSGW_CHECK_FACT_CAT2
                                   : 0u;
        }
    return f;
}

int ssgw_check_default_index(void)
{
    return (int)N_CHECKS - 1;
}

int ssgw_check_find(const char *name)
{
    for (size_t i = 0; i < N_CHECKS; i++)
        if (!strcmp(registry[i].info.name, name)) return (int)i;
    return -1;
}

/* ---- what the checks read ------------------------------------------------------------ */

size_t ssgw_check_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap)
{
    const ssgw_policy *p = cx->p;
    ssgw_store_key k[8];
    size_t n = 0;
    uint32_t tid;
    if (names_dialogue(cx->v, &tid)) k[n++] = (ssgw_store_key){SSGW_STORE_DIALOGUE, tid, 0};
    if (p->rate_calling_gt.limit && cx->calling_key)
        k[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, bucket_gt(cx->calling_key), 0};
    if (inbound_map(cx) && ssgw_check_need_map(cx) == 0) {
        if (cx->imsi_key &&
            (OP_IN(cx->pop, location_update_ops) || OP_IN(cx->pop, current_vlr_ops)))
            k[n++] = (ssgw_store_key){SSGW_STORE_LOCATION, cx->imsi_key, 0};
        if (cx->pop == SSGW_MAP_OP_MT_FORWARD_SM && cx->imsi_key) {
            if (cx->calling_key)
                k[n++] = (ssgw_store_key){SSGW_STORE_MARK, cx->imsi_key, cx->calling_key};
            uint64_t sc = ssgw_store_pack_digits(cx->v->map.smsc_address.digits);
            if (sc) k[n++] = (ssgw_store_key){SSGW_STORE_MARK, cx->imsi_key, sc};
        }
        uint64_t msisdn = ssgw_store_pack_digits(cx->v->map.msisdn.digits);
        if (cx->op == SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM && p->rate_sri_sm.limit && msisdn)
            k[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, bucket_sri_sm(msisdn), 0};
        if (p->rate_imsi.limit && cx->imsi_key)
            k[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, bucket_imsi(cx->imsi_key), 0};
        if (p->rate_operation.limit)
            k[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, bucket_op(cx->pop), 0};
    }
    if (n > cap) n = cap;
    memcpy(keys, k, n * sizeof *k);
    return n;
}

/* ---- learning ------------------------------------------------------------------------ */

void ssgw_check_learn(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (v->has_isup) {
        ssgw_check_learn_call(cx);
        return;
    }
    if (!v->has_tcap) return;
    ssgw_dialogue_learn(cx);
    ssgw_check_learn_parameters(cx);
}

void ssgw_check_learn_parameters(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    ssgw_store *s = cx->store;
    if (!v->has_tcap) return;
    ssgw_learn_location(cx);
    const ssgw_tcap_msg *t = &v->tcap;
    if (ssgw_check_learns_roaming(cx)) ssgw_check_learn_roaming(cx); /* checks_calls.c */
    if (cx->dir != SSGW_DIR_OUTBOUND || t->type != SSGW_TCAP_END || !t->dtid.present || !cx->is_map)
        return;
    /* our HLR's answer to an SRI-SM: remember (IMSI, SMSC) for mt-forwardSM */
    for (unsigned i = 0; i < v->ncomp; i++) {
        const ssgw_tcap_component *c = &v->comp[i];
        if ((c->type == SSGW_TCAP_COMP_RETURN_RESULT_LAST ||
             c->type == SSGW_TCAP_COMP_RETURN_RESULT_NOT_LAST) &&
            c->opcode.kind == SSGW_TCAP_CODE_LOCAL &&
            c->opcode.local == SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM) {
            if (ssgw_check_need_map(cx) == 0 && cx->imsi_key && v->sccp.called.digits[0])
                s->ops->mark_put(
                    s, cx->imsi_key,
                    ssgw_store_pack_digits_in(v->sccp.called.digits, sizeof v->sccp.called.digits),
                    cx->now_s, ssgw_check_peer_network(cx), (uint32_t)cx->p->sri_sm_window);
            break;
        }
    }
}
