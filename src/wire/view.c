/*
 * view.c - decodes one SS7 message through M3UA/MTP3, SCCP, TCAP and MAP, or
 * M3UA/MTP3 and ISUP (see include/ssgw/view.h). Each layer's own codec does the
 * work; this file wires them together, rebases error offsets to the start of the
 * message, decides the MAP application context of the dialogue and, on request,
 * finds the SMS TPDU a MAP short-message operation carries.
 */
#include "ssgw/view.h"

#include <string.h>

#include "ssgw/mtp3.h"

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
    v->has_isup = false;
    v->sms_done = false;
    v->has_sms = false;
    v->has_error = false;
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
    if (ssgw_isup_decode(buf, len, &v->isup, &v->error) < 0) return view_fail(v, base);
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

int ssgw_view_decode_m3ua(ssgw_view *v, const uint8_t *buf, size_t len)
{
    view_reset(v, SSGW_VIEW_IN_M3UA, buf, len);
    if (ssgw_m3ua_decode(buf, len, &v->m3ua, &v->error) < 0) return view_fail(v, 0);
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

int ssgw_view_decode_mtp3(ssgw_view *v, const uint8_t *buf, size_t len)
{
    ssgw_mtp3_msu msu;
    view_reset(v, SSGW_VIEW_IN_MTP3, buf, len);
    if (ssgw_mtp3_decode(buf, len, &msu, &v->error) < 0) return view_fail(v, 0);
    v->has_label = true;
    v->opc = msu.label.opc;
    v->dpc = msu.label.dpc;
    v->sls = msu.label.sls;
    v->si = msu.si;
    v->ni = msu.ni;
    v->mp = msu.priority;
    return decode_user_part(v, msu.si, msu.payload, msu.payload_len, (size_t)(msu.payload - buf));
}

int ssgw_view_decode_sccp(ssgw_view *v, const uint8_t *buf, size_t len)
{
    view_reset(v, SSGW_VIEW_IN_SCCP, buf, len);
    return decode_sccp_at(v, buf, len, 0);
}

static bool is_map_family(const ssgw_tcap_dialogue *d)
{
    /* MAP contexts: 0.4.0.0.1.0.<ac>.<version> = 04 00 00 01 00 <ac> <version> */
    static const uint8_t map_prefix[] = {0x04, 0x00, 0x00, 0x01, 0x00};
    return d->acn_len >= sizeof map_prefix && !memcmp(d->acn, map_prefix, sizeof map_prefix);
}

static void find_context(ssgw_view *v)
{
    const ssgw_tcap_dialogue *d = &v->tcap.dialogue;
    if (!v->tcap.dialogue_present || !d->acn || d->acn_len == 0)
        return; /* no context named: MAP is assumed (v1 dialogues, Continue/End) */
    if (ssgw_map_acn_from_oid(d->acn, d->acn_len, &v->acn, &v->acn_version) == 0 && v->acn) return;
    v->acn = NULL;
    v->acn_version = 0;
    v->acn_other = !is_map_family(d);
}

int ssgw_view_decode_tcap(ssgw_view *v, const uint8_t *data, size_t len, size_t base)
{
    if (ssgw_tcap_decode_all(data, len, &v->tcap, v->comp, SSGW_VIEW_MAX_COMPONENTS, &v->ncomp,
                             &v->comp_truncated, &v->error) < 0) {
        v->ncomp = 0;
        return view_fail(v, base);
    }
    v->has_tcap = true;
    v->tcap_data = data;
    v->tcap_base = base;
    find_context(v);
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
    if (v->acn_other || opcode < 0 || opcode > SSGW_MAP_OPCODE_MAX) return NULL;
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
    /* ssgw_map_decode clears v->map itself: clear here only when it is not called */
    bool cleared = false;
    if (!v->has_tcap || v->acn_other) {
        ssgw_map_fields_init(&v->map);
        return 0;
    }
    for (unsigned i = 0; i < v->ncomp; i++) {
        const ssgw_tcap_component *c = &v->comp[i];
        ssgw_map_comp_kind kind;
        if (!map_component(c, &kind)) continue;
        if (c->opcode.local < 0 || c->opcode.local > SSGW_MAP_OPCODE_MAX) continue;
        ssgw_error e;
        cleared = true;
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
    if (!cleared) ssgw_map_fields_init(&v->map);
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
        const ssgw_tcap_component *c = &v->comp[i];
        ssgw_map_comp_kind kind;
        if (!map_component(c, &kind)) continue;
        int op = (int)c->opcode.local;
        if (op != OP_MT_FORWARD_SM && op != OP_FORWARD_SM) continue;
        ssgw_map_fields f;
        ssgw_error e;
        if (ssgw_map_decode(op, kind, v->acn_version, c->param_tlv, c->param_tlv_len, &f, &e) < 0)
            return sms_fail(v, &e, c->param_tlv);
        if (!f.sm_rp_ui) continue;
        ssgw_sms_dir dir = f.sm_rp_dir == SSGW_MAP_SM_TO_MS ? SSGW_SMS_TO_MS
                           : f.sm_rp_dir == SSGW_MAP_SM_FROM_MS
                               ? SSGW_SMS_FROM_MS
                               : default_dir(op, kind, v->acn_version);
        v->sms_opcode = op;
        v->sms_dir = dir;
        if (ssgw_sms_decode(f.sm_rp_ui, f.sm_rp_ui_len, dir, &v->sms, &e) < 0)
            return sms_fail(v, &e, f.sm_rp_ui);
        v->has_sms = true;
        return 0;
    }
    return 0;
}
