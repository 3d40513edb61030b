/*
 * view.c - decodes one SS7 message through M3UA/MTP3, SCCP, TCAP and MAP, or
 * M3UA/MTP3 and ISUP (see include/ssgw/view.h). Each layer's own codec does the
 * work; this file wires them together, rebases error offsets to the start of the
 * message, decides the MAP application context of the dialogue and, on request,
 * finds the SMS TPDU a MAP short-message operation carries.
 */
#include "ssgw/view.h"

#include <limits.h>
#include <string.h>

#include "ssgw/mtp3.h"
#include "wire/view_int.h"

static void view_reset(ssgw_view *v, ssgw_view_input input, const uint8_t *buf, size_t len)
{
    v->input = input;
    v->buf = buf;
    v->len = len;
    v->has_m3ua = v->has_label = v->has_sccp = v->has_tcap = false;
    v->reasm = SSGW_VIEW_REASM_NONE;
    v->reasm_result = 0;
    v->ncomp = 0;
    v->comp_truncated = false;
    v->acn = NULL;
    v->acn_version = 0;
    v->acn_other = false;
    v->map_done = false;
    v->has_diameter = v->diam_done = false;
    v->has_isup = v->isup_malformed = false;
    v->sms_done = v->sms_all_done = false;
    v->has_sms = false;
    v->has_error = false;
    /* issue 11 */
    v->tcap_user = SSGW_TCU_NONE;
    v->tcap_user_basis = SSGW_TCU_BY_NONE;
    v->cap_acn = NULL;
    v->cap_done = false;
    v->has_scmg = v->has_ansi_tcap = v->has_m2pa = v->has_m2ua = v->has_sua = false;
    v->ansi_ncomp = 0;
    v->ansi_comp_truncated = false;
}

void ssgw_view_set_error(ssgw_view *v, const ssgw_error *e)
{
    view_reset(v, SSGW_VIEW_IN_M3UA, NULL, 0);
    v->has_error = true;
    v->error = *e;
}

static int view_fail(ssgw_view *v, size_t base)
{
    v->has_error = true;
    ssgw_error_rebase(&v->error, base);
    return -1;
}

static int decode_sccp_at(ssgw_view *v, const uint8_t *buf, size_t len, size_t base)
{
    if (ssgw_sccp_decode(buf, len, &v->sccp, &v->error) < 0) return view_fail(v, base);
    v->has_sccp = true;
    return 0;
}

/* --- ISUP (SI = 5) --------------------------------------------------------------------- */

static int decode_isup_at(ssgw_view *v, const uint8_t *buf, size_t len, size_t base)
{
    v->isup_base = base;
    if (ssgw_isup_decode(buf, len, &v->isup, &v->error) < 0) {
        v->isup_malformed = true; /* cic and type were read first: a call can be released */
        return view_fail(v, base);
    }
    v->has_isup = true;
    return 0;
}

/* The user part after the routing label: SCCP or ISUP; others are not decoded further. */
static int decode_user_part(ssgw_view *v, uint8_t si, const uint8_t *data, size_t len, size_t base)
{
    if (si == SSGW_MTP3_SI_SCCP) return decode_sccp_at(v, data, len, base);
    if (si == SSGW_MTP3_SI_ISUP) return decode_isup_at(v, data, len, base);
    return 0;
}

/* What follows the M3UA message in v->m3ua (decoded from buf): the routing label and the
 * user part. */
static int m3ua_user_part(ssgw_view *v, const uint8_t *buf)
{
    v->has_m3ua = true;
    if (!(v->m3ua.present & SSGW_M3UA_HAS_PROTOCOL_DATA))
        return 0; /* management message, or DATA without payload (refused by the table) */
    const ssgw_m3ua_protocol_data *pd = &v->m3ua.protocol_data;
    v->has_label = true;
    v->opc = pd->opc;
    v->dpc = pd->dpc;
    v->si = pd->si;
    v->ni = pd->ni;
    v->mp = pd->mp;
    v->sls = pd->sls;
    return decode_user_part(v, pd->si, pd->data, pd->data_len, (size_t)(pd->data - buf));
}

int ssgw_view_decode_m3ua(ssgw_view *v, const uint8_t *buf, size_t len)
{
    view_reset(v, SSGW_VIEW_IN_M3UA, buf, len);
    if (ssgw_m3ua_decode(buf, len, &v->m3ua, &v->error) < 0) return view_fail(v, 0);
    return m3ua_user_part(v, buf);
}

int ssgw_view_decode_m3ua_msg(ssgw_view *v, const uint8_t *buf, size_t len,
                              const ssgw_m3ua_msg *m3ua)
{
    if (!m3ua || m3ua->buf != buf || m3ua->len != len)
        return ssgw_view_decode_m3ua(v, buf, len); /* not buf's decoding: decode it here */
    view_reset(v, SSGW_VIEW_IN_M3UA, buf, len);
    v->m3ua = *m3ua;
    return m3ua_user_part(v, buf);
}

/* The MTP3 MSU at byte base of the message: routing label, then SCCP when SI says so. */
static int decode_msu(ssgw_view *v, const uint8_t *buf, size_t len, size_t base)
{
    ssgw_mtp3_msu msu;
    if (ssgw_mtp3_decode(buf, len, &msu, &v->error) < 0) return view_fail(v, base);
    v->has_label = true;
    v->opc = msu.label.opc;
    v->dpc = msu.label.dpc;
    v->sls = msu.label.sls;
    v->si = msu.si;
    v->ni = msu.ni;
    v->mp = msu.priority;
    return decode_user_part(v, msu.si, msu.payload, msu.payload_len,
                            base + (size_t)(msu.payload - buf));
}

int ssgw_view_decode_mtp3(ssgw_view *v, const uint8_t *buf, size_t len)
{
    view_reset(v, SSGW_VIEW_IN_MTP3, buf, len);
    return decode_msu(v, buf, len, 0);
}

int ssgw_view_decode_sccp(ssgw_view *v, const uint8_t *buf, size_t len)
{
    view_reset(v, SSGW_VIEW_IN_SCCP, buf, len);
    return decode_sccp_at(v, buf, len, 0);
}

/* ---- issue 11: M2PA, M2UA, SUA ---------------------------------------------------------- */

int ssgw_view_decode_m2pa(ssgw_view *v, const uint8_t *buf, size_t len)
{
    view_reset(v, SSGW_VIEW_IN_M2PA, buf, len);
    if (ssgw_m2pa_decode(buf, len, &v->m2pa, &v->error) < 0) return view_fail(v, 0);
    v->has_m2pa = true;
    if (!v->m2pa.has_data) return 0; /* Link Status, or User Data acknowledging only */
    return decode_msu(v, v->m2pa.mtp3, v->m2pa.mtp3_len, (size_t)(v->m2pa.mtp3 - buf));
}

int ssgw_view_decode_m2ua(ssgw_view *v, const uint8_t *buf, size_t len)
{
    view_reset(v, SSGW_VIEW_IN_M2UA, buf, len);
    if (ssgw_m2ua_decode(buf, len, &v->m2ua, &v->error) < 0) return view_fail(v, 0);
    v->has_m2ua = true;
    if (!v->m2ua.has_data) return 0; /* management, link state, ... */
    return decode_msu(v, v->m2ua.mtp3, v->m2ua.mtp3_len, (size_t)(v->m2ua.mtp3 - buf));
}

int ssgw_view_decode_sua(ssgw_view *v, const uint8_t *buf, size_t len)
{
    view_reset(v, SSGW_VIEW_IN_SUA, buf, len);
    if (ssgw_sua_decode(buf, len, &v->sua, &v->error) < 0) return view_fail(v, 0);
    v->has_sua = true;
    const ssgw_sua_msg *m = &v->sua;
    if (m->msg_class != SSGW_SUA_CLASS_CL) return 0; /* management, connection-oriented, ... */
    /* SUA's connectionless transfer in SCCP's terms: the parties, the data, segmentation */
    memset(&v->sccp, 0, sizeof v->sccp);
    v->sccp.protocol_class = m->protocol_class;
    v->sccp.return_on_error = m->return_on_error;
    v->sccp.hop_counter = m->hop_count;
    v->sccp.called = m->dst;
    v->sccp.calling = m->src;
    v->sccp.data = m->data;
    v->sccp.data_len = m->data_len;
    v->sccp.data_offset = m->data ? (size_t)(m->data - buf) : 0;
    v->sccp.has_segmentation = m->has_segmentation;
    v->sccp.seg = m->seg;
    v->sccp.has_importance = m->has_importance;
    v->sccp.importance = m->importance;
    v->has_sccp = true;
    return 0;
}

int ssgw_view_decode_tcap(ssgw_view *v, const uint8_t *data, size_t len, size_t base)
{
    if (ssgw_view_other_user_may(v, data, len) && ssgw_view_decode_other_user(v, data, len, base))
        return v->has_error ? -1 : 0;
    if (ssgw_tcap_decode_all(data, len, &v->tcap, v->comp, SSGW_VIEW_MAX_COMPONENTS, &v->ncomp,
                             &v->comp_truncated, &v->error) < 0) {
        v->ncomp = 0;
        return view_fail(v, base);
    }
    v->has_tcap = true;
    v->tcap_data = data;
    v->tcap_base = base;
    ssgw_view_find_user(v);
    return 0;
}

int ssgw_view_first_opcode(const ssgw_view *v)
{
    for (unsigned i = 0; i < v->ncomp; i++)
        if (v->comp[i].opcode.kind == SSGW_TCAP_CODE_LOCAL) return (int)v->comp[i].opcode.local;
    return -1;
}

const char *ssgw_view_op_name(const ssgw_view *v, int64_t opcode)
{
    if (v->tcap_user == SSGW_TCU_CAP) /* issue 11: CAP is never named with MAP names */
        return opcode < 0 || opcode > SSGW_CAP_OPCODE_MAX ? NULL : ssgw_cap_op_name((int)opcode);
    if (v->acn_other || v->tcap_user != SSGW_TCU_MAP || opcode < 0 || opcode > SSGW_MAP_OPCODE_MAX)
        return NULL;
    return ssgw_map_op_name((int)opcode);
}

/* An invoke or a result with a local opcode and a parameter: what MAP decodes. */
static bool map_component(const ssgw_tcap_component *c, ssgw_map_comp_kind *kind)
{
    if (c->type == SSGW_TCAP_COMP_INVOKE)
        *kind = SSGW_MAP_INVOKE;
    else if (c->type == SSGW_TCAP_COMP_RETURN_RESULT_LAST ||
             c->type == SSGW_TCAP_COMP_RETURN_RESULT_NOT_LAST)
        *kind = SSGW_MAP_RETURN_RESULT;
    else
        return false;
    return c->opcode.kind == SSGW_TCAP_CODE_LOCAL && c->param_present;
}

int ssgw_view_map(ssgw_view *v)
{
    if (v->map_done) return v->has_error && v->error.layer == SSGW_LAYER_MAP ? -1 : 0;
    v->map_done = true;
    v->map_only_comp = -1;
    /* ssgw_map_decode clears v->map itself: clear here only when it is not called */
    if (!v->has_tcap || v->acn_other || v->tcap_user != SSGW_TCU_MAP) {
        ssgw_map_fields_init(&v->map);
        return 0;
    }
    unsigned decoded = 0; /* 0: none; the one component's index + 1; UINT_MAX: several */
    for (unsigned i = 0; i < v->ncomp; i++) {
        const ssgw_tcap_component *c = &v->comp[i];
        ssgw_map_comp_kind kind;
        if (!map_component(c, &kind)) continue;
        if (c->opcode.local < 0 || c->opcode.local > SSGW_MAP_OPCODE_MAX) continue;
        ssgw_error e;
        decoded = decoded ? UINT_MAX : i + 1;
        if (ssgw_map_decode((int)c->opcode.local, kind, v->acn_version, c->param_tlv,
                            c->param_tlv_len, &v->map, &e) < 0) {
            if (!v->has_error) {
                v->error = e;
                v->has_error = true;
                /* MAP offsets are relative to the parameter; make them message-relative. */
                ssgw_error_rebase(&v->error, v->tcap_base + (size_t)(c->param_tlv - v->tcap_data));
            }
            return -1;
        }
    }
    if (!decoded) ssgw_map_fields_init(&v->map);
    if (decoded && decoded != UINT_MAX) v->map_only_comp = (int)decoded - 1;
    return 0;
}

/* --- Diameter ----------------------------------------------------------------------------- */

int ssgw_view_decode_diameter(ssgw_view *v, const uint8_t *buf, size_t len)
{
    view_reset(v, SSGW_VIEW_IN_DIAMETER, buf, len);
    if (ssgw_diam_decode(buf, len, &v->diameter, &v->error) < 0) return view_fail(v, 0);
    v->has_diameter = true;
    return 0;
}

int ssgw_view_diameter(ssgw_view *v)
{
    if (v->diam_done) return 0;
    v->diam_done = true;
    if (!v->has_diameter) {
        ssgw_diam_fields_init(&v->diam);
        return 0;
    }
    ssgw_error e;
    if (ssgw_diam_fields_decode(&v->diameter, &v->diam, &e) < 0) {
        if (!v->has_error) {
            v->error = e;
            v->has_error = true;
        }
        return -1;
    }
    return 0;
}

/* --- the SMS TPDU of MAP short-message operations --------------------------------------- */

/* mt-forwardSM (v3), and 46: forwardSM (v1, v2) / mo-forwardSM (v3), one opcode */
enum { OP_MT_FORWARD_SM = SSGW_MAP_OP_MT_FORWARD_SM, OP_FORWARD_SM = SSGW_MAP_OP_MO_FORWARD_SM };

/* The direction when sm-RP-DA / sm-RP-OA do not give one (both absent: noSM-RP-DA/OA). */
static ssgw_sms_dir default_dir(int op, ssgw_map_comp_kind kind, int version)
{
    bool invoke = kind == SSGW_MAP_INVOKE;
    if (op == OP_MT_FORWARD_SM) return invoke ? SSGW_SMS_TO_MS : SSGW_SMS_FROM_MS;
    if (!invoke) return SSGW_SMS_TO_MS; /* mo-forwardSM result: SMS-SUBMIT-REPORT */
    return version >= 3 ? SSGW_SMS_FROM_MS : SSGW_SMS_TO_MS;
}

static int sms_fail(ssgw_view *v, const ssgw_error *e, const uint8_t *at)
{
    if (!v->has_error) {
        v->error = *e;
        v->has_error = true;
        ssgw_error_rebase(&v->error, v->tcap_base + (size_t)(at - v->tcap_data));
    }
    return -1;
}

/* The SMS TPDU of forwardSM component i: 1 when decoded into v->sms, 0 when the component
 * has no sm-RP-UI, -1 on an error. The MAP fields are those ssgw_view_map decoded, when
 * this component was the only one it decoded; else they are decoded here (out of line: the
 * fields are large, and most messages carry no short message). */
static __attribute__((noinline)) int sms_of_component(ssgw_view *v, unsigned i,
                                                      ssgw_map_comp_kind kind, ssgw_sms_tpdu *out)
{
    const ssgw_tcap_component *c = &v->comp[i];
    int op = (int)c->opcode.local;
    ssgw_map_fields own;
    const ssgw_map_fields *f = &v->map;
    ssgw_error e;
    if (!v->map_done || v->map_only_comp != (int)i) {
        if (ssgw_map_decode(op, kind, v->acn_version, c->param_tlv, c->param_tlv_len, &own, &e) < 0)
            return sms_fail(v, &e, c->param_tlv);
        f = &own;
    }
    if (!f->sm_rp_ui) return 0;
    /* the operation says which way, but for forwardSM before v3, where sm-RP-DA does */
    bool by_dir = op != OP_MT_FORWARD_SM && v->acn_version < 3 && kind == SSGW_MAP_INVOKE;
    ssgw_sms_dir dir = by_dir && f->sm_rp_dir == SSGW_MAP_SM_TO_MS ? SSGW_SMS_TO_MS
                       : by_dir && f->sm_rp_dir == SSGW_MAP_SM_FROM_MS
                           ? SSGW_SMS_FROM_MS
                           : default_dir(op, kind, v->acn_version);
    if (ssgw_sms_decode(f->sm_rp_ui, f->sm_rp_ui_len, dir, out, &e) < 0)
        return sms_fail(v, &e, f->sm_rp_ui);
    if (out == &v->sms) {
        v->sms_opcode = op;
        v->sms_dir = dir;
        v->has_sms = true;
    }
    return 1;
}

/* Whether component c is one ssgw_view_sms looks into (kind set). */
static bool sms_component(const ssgw_tcap_component *c, ssgw_map_comp_kind *kind)
{
    /* the opcode first: it rules out most components in one test */
    return (c->opcode.local == OP_MT_FORWARD_SM || c->opcode.local == OP_FORWARD_SM) &&
           map_component(c, kind);
}

/* ssgw_view_sms from component i, the first that may carry a short message, on. */
static __attribute__((noinline)) int sms_from(ssgw_view *v, unsigned i)
{
    for (; i < v->ncomp; i++) {
        ssgw_map_comp_kind kind;
        if (!sms_component(&v->comp[i], &kind)) continue;
        int r = sms_of_component(v, i, kind, &v->sms);
        if (r) return r < 0 ? -1 : 0;
    }
    return 0;
}

/* Most messages carry no short message: their components are passed over here, without a
 * call and the frame a call needs (measured: ~35 instructions a message in ssgw decode). */
int ssgw_view_sms(ssgw_view *v)
{
    if (v->sms_done)
        return v->has_error &&
                       (v->error.layer == SSGW_LAYER_SMS || v->error.layer == SSGW_LAYER_MAP)
                   ? -1
                   : 0;
    v->sms_done = true;
    v->has_sms = false;
    if (!v->has_tcap || v->acn_other) return 0;
    for (unsigned i = 0; i < v->ncomp; i++) {
        ssgw_map_comp_kind kind;
        if (sms_component(&v->comp[i], &kind)) return sms_from(v, i);
    }
    return 0;
}

int ssgw_view_sms_all(ssgw_view *v)
{
    if (ssgw_view_sms(v) < 0) return -1;
    if (v->ncomp < 2 || v->sms_all_done || !v->has_tcap || v->acn_other) return 0;
    v->sms_all_done = true;
    /* each one into a scratch TPDU, the first again (a message of several short-message
     * components is rare; the one of a single component is decoded once) */
    ssgw_sms_tpdu scratch;
    for (unsigned i = 0; i < v->ncomp; i++) {
        ssgw_map_comp_kind kind;
        if (sms_component(&v->comp[i], &kind) && sms_of_component(v, i, kind, &scratch) < 0)
            return -1;
    }
    return 0;
}
