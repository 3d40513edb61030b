/*
 * record_users.c - the record keys of what issue 11 taught the view
 * (docs/fields.md): the framings probes capture (M2PA, M2UA, SUA), the CAP
 * parameters, SCCP management and ANSI TCAP. Kept apart from record.c so that
 * MAP records stay exactly what they were; record.c calls in here only for
 * messages that carry these layers.
 */
#include <stdio.h>
#include <stdlib.h>

#include "obs/record_int.h"

void ssgw_record_framing(ssgw_json *j, const ssgw_view *v)
{
    if (v->has_m2pa) {
        const ssgw_m2pa_msg *m = &v->m2pa;
        ssgw_json_str(j, "m2pa", ssgw_m2pa_msg_name(m->msg_type));
        ssgw_json_int(j, "bsn", m->bsn);
        ssgw_json_int(j, "fsn", m->fsn);
        if (m->msg_type == SSGW_M2PA_LINK_STATUS)
            ssgw_json_str(j, "link_status", ssgw_m2pa_link_status_name(m->link_status));
        if (m->has_data) ssgw_json_int(j, "priority", m->priority);
    }
    if (v->has_m2ua) {
        const ssgw_m2ua_msg *m = &v->m2ua;
        ssgw_json_str(j, "m2ua", ssgw_m2ua_msg_name(m->msg_class, m->msg_type));
        if (m->has_iid) ssgw_json_int(j, "interface_id", m->iid);
        if (m->iid_text) ssgw_json_strn(j, "interface_name", m->iid_text, m->iid_text_len);
    }
    if (v->has_sua) {
        const ssgw_sua_msg *m = &v->sua;
        ssgw_json_str(j, "sua", ssgw_sua_msg_name(m->msg_class, m->msg_type));
        if (m->has_routing_context) ssgw_json_int(j, "rc", m->routing_context);
        if (m->has_protocol_class) ssgw_json_int(j, "protocol_class", m->protocol_class);
        if (m->has_cause) {
            ssgw_json_int(j, "sccp_cause_type", m->cause_type);
            ssgw_json_int(j, "sccp_cause", m->cause_value);
        }
    }
}

void ssgw_record_cap(ssgw_json *j, ssgw_view *v)
{
    char tmp[32];
    ssgw_view_cap(v);
    for (int f = 0; f < SSGW_CAP_F_COUNT; f++) {
        const char *val = ssgw_cap_field_get(&v->cap, (ssgw_cap_field)f, tmp, sizeof tmp);
        if (!val || !val[0]) continue;
        const char *key = ssgw_cap_field_name((ssgw_cap_field)f);
        if (ssgw_cap_field_is_int((ssgw_cap_field)f))
            ssgw_json_int(j, key, atoll(val));
        else
            ssgw_json_str(j, key, val);
    }
}

static void scmg_keys(ssgw_json *j, const ssgw_scmg_msg *m)
{
    ssgw_json_str(j, "scmg", ssgw_scmg_type_name(m->type));
    ssgw_json_int(j, "affected_ssn", m->ssn);
    ssgw_json_int(j, "affected_pc", m->pc);
    ssgw_json_int(j, "smi", m->smi);
    if (m->has_congestion) ssgw_json_int(j, "congestion_level", m->congestion);
}

static void ansi_component(ssgw_json *j, const ssgw_view *v, unsigned i)
{
    const ssgw_ansi_tcap_component *c = &v->ansi_comp[i];
    bool invoke =
        c->type == SSGW_ANSI_COMP_INVOKE_LAST || c->type == SSGW_ANSI_COMP_INVOKE_NOT_LAST;
    ssgw_json_object_begin(j, NULL);
    ssgw_json_str(j, "type", ssgw_ansi_comp_type_name(c->type));
    /* componentIDs: an invoke's own id first, then the id it correlates to */
    if (c->n_ids >= 1) ssgw_json_int(j, invoke ? "invoke_id" : "correlation_id", c->ids[0]);
    if (c->n_ids == 2) ssgw_json_int(j, "correlation_id", c->ids[1]);
    if (c->op_kind != SSGW_ANSI_CODE_NONE) {
        ssgw_json_str(j, "op_kind", ssgw_ansi_code_kind_name(c->op_kind));
        ssgw_json_int(j, "op_family", c->op_family);
        ssgw_json_int(j, "opcode", c->op_specifier);
        ssgw_tcap_op op;
        if (ssgw_view_tcap_op(v, i, &op) == 0 && op.name) ssgw_json_str(j, "op", op.name);
    }
    if (c->error_kind != SSGW_ANSI_CODE_NONE) ssgw_json_int(j, "error_code", c->error_code);
    if (c->type == SSGW_ANSI_COMP_REJECT) ssgw_json_int(j, "problem", c->reject_problem);
    ssgw_json_object_end(j);
}

static void ansi_keys(ssgw_json *j, const ssgw_view *v)
{
    const ssgw_ansi_tcap_msg *t = &v->ansi_tcap;
    ssgw_json_str(j, "ansi_tcap", ssgw_ansi_tcap_pkg_name(t->type));
    ssgw_json_str(j, "tcap_user", ssgw_tcap_user_name(v->tcap_user));
    if (t->has_otid) ssgw_json_hex(j, "otid", t->otid, 4);
    if (t->has_rtid) ssgw_json_hex(j, "rtid", t->rtid, 4);
    if (t->has_app_context) ssgw_json_int(j, "application_context", t->app_context);
    if (t->pabort_present) {
        ssgw_json_int(j, "pabort_cause", t->pabort_cause);
        ssgw_json_str(j, "pabort_cause_name", ssgw_ansi_tcap_pabort_name(t->pabort_cause));
    }
    if (t->uabort_present) ssgw_json_bool(j, "user_abort", true);
    for (unsigned i = 0; i < v->ansi_ncomp; i++) {
        ssgw_tcap_op op;
        if (ssgw_view_tcap_op(v, i, &op) < 0) continue;
        ssgw_json_int(j, "opcode", op.code);
        if (op.name) ssgw_json_str(j, "op", op.name);
        break;
    }
    ssgw_json_array_begin(j, "components");
    for (unsigned i = 0; i < v->ansi_ncomp; i++)
        ansi_component(j, v, i);
    ssgw_json_array_end(j);
    if (v->ansi_comp_truncated) ssgw_json_bool(j, "components_truncated", true);
}

void ssgw_record_other_user(ssgw_json *j, const ssgw_view *v)
{
    if (v->has_scmg) scmg_keys(j, &v->scmg);
    if (v->has_ansi_tcap) ansi_keys(j, v);
}
