/*
 * tcap_user.c - which protocol the SCCP user data carries and, for TCAP, which
 * TCAP user and which operation each component is (include/ssgw/tcap_user.h).
 *
 * The SCCP user: SCCP management when the called party is subsystem 1
 * (Q.713 5.3), ANSI TCAP when the data starts with a PRIVATE-class package
 * type (T1.114), ITU TCAP otherwise. The TCAP user of an ITU dialogue: the
 * application context it names (CAP's table is asked first: CAP phases 1 and 2
 * share MAP's 0.4.0.0.1.0 arc), else the CAP subsystem 146 of the called party
 * (never the calling party's), else MAP as before (MAP v1 dialogues, Continue
 * and End). ANSI TCAP: ANSI-41 when its operations are private codes of family
 * 9. Every operation is then looked up in its own user's table, never in
 * another's.
 */
#include <string.h>

#include "ssgw/view.h"
#include "wire/view_int.h"

/* TS 23.003 / Q.713 annex B: the CAP subsystem. */
#define SSN_CAP 146

const char *ssgw_tcap_user_name(ssgw_tcap_user u)
{
    static const char *const n[SSGW_TCU_COUNT] = {"none", "map", "cap", "ansi-41", "unknown"};
    return (unsigned)u < SSGW_TCU_COUNT ? n[u] : "unknown";
}

const char *ssgw_tcu_basis_name(ssgw_tcu_basis b)
{
    static const char *const n[SSGW_TCU_BY_COUNT] = {"none", "context", "ssn", "default", "opcode"};
    return (unsigned)b < SSGW_TCU_BY_COUNT ? n[b] : "unknown";
}

const char *ssgw_tcop_class_src_name(ssgw_tcop_class_src s)
{
    static const char *const n[SSGW_TCOP_CLASS_COUNT] = {"none", "fs11", "cap-direction",
                                                         "ansi-41"};
    return (unsigned)s < SSGW_TCOP_CLASS_COUNT ? n[s] : "unknown";
}

/* ---- SCCP users besides ITU TCAP ------------------------------------------------------- */

static bool ansi41_ssn(const ssgw_sccp_addr *a)
{
    return a->has_ssn && a->ssn >= 5 && a->ssn <= 14;
}

static bool fail_at(ssgw_view *v, size_t base)
{
    v->has_error = true;
    ssgw_error_rebase(&v->error, base);
    return true;
}

/* SCCP management (the called party is subsystem 1). */
static __attribute__((noinline)) bool scmg_user(ssgw_view *v, const uint8_t *data, size_t len,
                                                size_t base)
{
    if (ssgw_scmg_decode(data, len, &v->scmg, &v->error) < 0) return fail_at(v, base);
    v->has_scmg = true;
    return true;
}

/* ANSI TCAP, when data[0] is a package type. */
static __attribute__((noinline)) bool ansi_user(ssgw_view *v, const uint8_t *data, size_t len,
                                                size_t base)
{
    if (!ssgw_ansi_tcap_is_package(data[0])) return false;
    if (ssgw_ansi_tcap_decode(data, len, &v->ansi_tcap, v->ansi_comp, SSGW_VIEW_MAX_COMPONENTS,
                              &v->ansi_ncomp, &v->ansi_comp_truncated, &v->error) < 0) {
        v->ansi_ncomp = 0;
        return fail_at(v, base);
    }
    v->has_ansi_tcap = true;
    v->tcap_data = data;
    v->tcap_base = base;
    /* the operation family of the first invoke; without one (results, errors, aborts) the
     * subsystems ANSI-41 uses (5-14: MSC, HLR, VLR, ..., as Wireshark hands them to ANSI MAP) */
    v->tcap_user = SSGW_TCU_UNKNOWN;
    v->tcap_user_basis = SSGW_TCU_BY_NONE;
    for (unsigned i = 0; i < v->ansi_ncomp; i++) {
        const ssgw_ansi_tcap_component *c = &v->ansi_comp[i];
        if (c->op_kind == SSGW_ANSI_CODE_NONE) continue;
        v->tcap_user = c->op_kind == SSGW_ANSI_CODE_PRIVATE && c->op_family == SSGW_ANSI41_FAMILY
                           ? SSGW_TCU_ANSI41
                           : SSGW_TCU_UNKNOWN;
        v->tcap_user_basis = SSGW_TCU_BY_OPCODE;
        return true;
    }
    if (ansi41_ssn(&v->sccp.called) || ansi41_ssn(&v->sccp.calling)) {
        v->tcap_user = SSGW_TCU_ANSI41;
        v->tcap_user_basis = SSGW_TCU_BY_SSN;
    }
    return true;
}

/* Called for every message with SCCP user data, so the way to ITU TCAP (neither user above)
 * is kept to a few instructions without a call: ANSI package types are PRIVATE constructed
 * identifiers (0xe0 and above). */
bool ssgw_view_decode_other_user(ssgw_view *v, const uint8_t *data, size_t len, size_t base)
{
    if (v->has_sccp && v->sccp.called.has_ssn && v->sccp.called.ssn == SSGW_SCMG_SSN)
        return scmg_user(v, data, len, base);
    if (len == 0 || data[0] < 0xe0) return false;
    return ansi_user(v, data, len, base);
}

/* ---- the user of an ITU TCAP dialogue --------------------------------------------------- */

static bool is_map_family(const ssgw_tcap_dialogue *d)
{
    /* MAP contexts: 0.4.0.0.1.0.<ac>.<version> = 04 00 00 01 00 <ac> <version> */
    static const uint8_t map_prefix[] = {0x04, 0x00, 0x00, 0x01, 0x00};
    return d->acn_len >= sizeof map_prefix && !memcmp(d->acn, map_prefix, sizeof map_prefix);
}

/* The CAP subsystem where the receiving node dispatches: the called party's SSN, never the
 * calling party's. A calling SSN of 146 towards an MSC, VLR or HLR subsystem does not make a
 * MAP operation CAP: that node runs it as MAP. Nor does it when the called party names no
 * subsystem (routed on its GT alone): the STP's translation gives the HLR's or VLR's own
 * SSN, and MAP is assumed, the stricter reading (Wireshark would ask the calling SSN). */
static bool cap_ssn(const ssgw_view *v)
{
    return v->has_sccp && v->sccp.called.has_ssn && v->sccp.called.ssn == SSN_CAP;
}

void ssgw_view_find_user(ssgw_view *v)
{
    const ssgw_tcap_dialogue *d = &v->tcap.dialogue;
    v->acn = NULL;
    v->acn_version = 0;
    v->acn_other = false;
    v->cap_acn = NULL;
    if (!v->tcap.dialogue_present || !d->acn || d->acn_len == 0) {
        /* no context named: the CAP subsystem, else MAP assumed (v1 dialogues, Continue/End) */
        bool cap = cap_ssn(v);
        v->tcap_user = cap ? SSGW_TCU_CAP : SSGW_TCU_MAP;
        v->tcap_user_basis = cap ? SSGW_TCU_BY_SSN : SSGW_TCU_BY_DEFAULT;
        return;
    }
    v->tcap_user_basis = SSGW_TCU_BY_CONTEXT;
    v->cap_acn = ssgw_cap_acn_from_oid(d->acn, d->acn_len);
    if (v->cap_acn) {
        v->tcap_user = SSGW_TCU_CAP;
        v->acn_other = true;
        return;
    }
    if (ssgw_map_acn_from_oid(d->acn, d->acn_len, &v->acn, &v->acn_version) == 0 && v->acn) {
        v->tcap_user = SSGW_TCU_MAP;
        return;
    }
    v->acn = NULL;
    v->acn_version = 0;
    v->acn_other = !is_map_family(d);
    /* a MAP-arc context the table does not know (a version that does not exist) stays MAP,
     * with acn NULL; any other context belongs to a user no table knows */
    v->tcap_user = v->acn_other ? SSGW_TCU_UNKNOWN : SSGW_TCU_MAP;
}

/* ---- one component's operation ---------------------------------------------------------- */

static void op_init(ssgw_tcap_op *o, ssgw_tcap_user user)
{
    memset(o, 0, sizeof *o);
    o->user = user;
    o->code = -1;
    o->id = -1;
    o->family = -1;
    o->in_context = -1;
    o->class_src = SSGW_TCOP_CLASS_NONE;
}

static void map_op(const ssgw_view *v, ssgw_tcap_op *o)
{
    const ssgw_map_op *op = ssgw_map_op_by_code(o->code);
    if (v->acn) o->in_context = ssgw_map_acn_carries(v->acn, v->acn_version, o->code) ? 1 : 0;
    if (!op) return;
    o->id = (int)op->opcode;
    o->family = (int)op->family;
    o->name = ssgw_map_op_name_in(o->code, v->acn_version);
    o->family_name = ssgw_map_family_name(o->family);
    o->class_src = SSGW_TCOP_CLASS_FS11;
    o->class_value = (int)op->fs11;
    o->class_name = ssgw_map_fs11_name(op->fs11);
}

static void cap_op(const ssgw_view *v, ssgw_tcap_op *o)
{
    const ssgw_cap_op *op = ssgw_cap_op_by_code(o->code);
    if (v->cap_acn) o->in_context = ssgw_cap_acn_carries(v->cap_acn, o->code) ? 1 : 0;
    if (!op) return;
    o->id = (int)op->opcode;
    o->family = (int)op->family;
    o->name = op->name;
    o->family_name = ssgw_cap_op_name(o->family);
    o->class_src = SSGW_TCOP_CLASS_CAP_DIRECTION;
    o->class_value = (int)op->direction;
    o->class_name = ssgw_cap_direction_name(op->direction);
}

static int ansi_op(const ssgw_view *v, unsigned i, ssgw_tcap_op *o)
{
    if (i >= v->ansi_ncomp) return -1;
    const ssgw_ansi_tcap_component *c = &v->ansi_comp[i];
    if (c->op_kind == SSGW_ANSI_CODE_NONE) return -1;
    bool ansi41 = c->op_kind == SSGW_ANSI_CODE_PRIVATE && c->op_family == SSGW_ANSI41_FAMILY;
    op_init(o, ansi41 ? SSGW_TCU_ANSI41 : SSGW_TCU_UNKNOWN);
    o->code = c->op_specifier;
    if (!ansi41) return 0;
    o->name = ssgw_ansi41_op_name(c->op_specifier);
    if (!o->name) return 0;
    o->id = o->family = c->op_specifier;
    o->family_name = o->name;
    o->class_src = SSGW_TCOP_CLASS_ANSI41;
    o->class_name = "ansi-41";
    return 0;
}

int ssgw_view_tcap_op(const ssgw_view *v, unsigned i, ssgw_tcap_op *out)
{
    if (v->has_ansi_tcap) return ansi_op(v, i, out);
    if (!v->has_tcap || i >= v->ncomp) return -1;
    const ssgw_tcap_code *code = &v->comp[i].opcode;
    if (code->kind == SSGW_TCAP_CODE_NONE) return -1;
    op_init(out, v->tcap_user);
    if (code->kind == SSGW_TCAP_CODE_GLOBAL) {
        out->global = true;
        return 0;
    }
    if (code->local < 0 || code->local > 0x7fffffff) return 0;
    out->code = (int)code->local;
    if (v->tcap_user == SSGW_TCU_MAP)
        map_op(v, out);
    else if (v->tcap_user == SSGW_TCU_CAP)
        cap_op(v, out);
    return 0;
}

/* ---- CAP parameters ----------------------------------------------------------------------- */

int ssgw_view_cap(ssgw_view *v)
{
    if (v->cap_done) return v->has_error && v->error.layer == SSGW_LAYER_CAP ? -1 : 0;
    v->cap_done = true;
    ssgw_cap_fields_init(&v->cap);
    if (!v->has_tcap || v->tcap_user != SSGW_TCU_CAP) return 0;
    for (unsigned i = 0; i < v->ncomp; i++) {
        const ssgw_tcap_component *c = &v->comp[i];
        if (c->type != SSGW_TCAP_COMP_INVOKE || c->opcode.kind != SSGW_TCAP_CODE_LOCAL ||
            !c->param_present || c->opcode.local < 0 || c->opcode.local > SSGW_CAP_OPCODE_MAX)
            continue;
        ssgw_error e;
        int phase = v->cap_acn ? v->cap_acn->phase : 0;
        if (ssgw_cap_decode((int)c->opcode.local, phase, c->param_tlv, c->param_tlv_len, &v->cap,
                            &e) < 0) {
            if (!v->has_error) {
                v->error = e;
                v->has_error = true;
                ssgw_error_rebase(&v->error, v->tcap_base + (size_t)(c->param_tlv - v->tcap_data));
            }
            ssgw_cap_fields_init(&v->cap);
            return -1;
        }
    }
    return 0;
}
