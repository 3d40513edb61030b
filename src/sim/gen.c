/*
 * gen.c - deterministic synthetic SS7 traffic (see include/ssgw/gen.h).
 *
 * Message `index` is a pure function of (seed, index): the operation walks
 * the MAP operation table, the TCAP shape changes once per pass over the
 * table, and every other choice (GTs, IMSIs, transaction ids, SCCP form)
 * comes from a splitmix64 stream seeded with (seed, index). The dialogue
 * portion and the components come from the MAP message builder
 * (include/ssgw/map_msg.h); the SCCP and M3UA layers vary on purpose (message
 * types, address forms, optional parameters), so they are assembled here.
 */
#include "ssgw/gen.h"

#include <stdio.h>
#include <string.h>

#include "ssgw/m3ua.h"
#include "ssgw/map.h"
#include "ssgw/map_msg.h"
#include "ssgw/sccp.h"
#include "ssgw/tcap.h"
#include "sim/gen_int.h"

uint64_t ssgw_rng_next(ssgw_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint32_t ssgw_rng_below(ssgw_rng *r, uint32_t n)
{
    return (uint32_t)(ssgw_rng_next(r) % n);
}

void ssgw_rng_digits(ssgw_rng *r, const char *prefix, size_t n, char *out, size_t cap)
{
    size_t p = strlen(prefix);
    if (cap == 0) return;
    if (p >= cap) p = cap - 1;
    memcpy(out, prefix, p);
    size_t i = p;
    for (; i < p + n && i + 1 < cap; i++)
        out[i] = (char)('0' + ssgw_rng_below(r, 10));
    out[i] = '\0';
}

void ssgw_rng_number(ssgw_rng *r, const char *const *prefixes, uint32_t n_prefixes,
                     size_t min_digits, uint32_t spread, char *out, size_t cap)
{
    const char *prefix = n_prefixes ? prefixes[ssgw_rng_below(r, n_prefixes)] : "";
    size_t n = min_digits + ssgw_rng_below(r, spread);
    ssgw_rng_digits(r, prefix, n, out, cap);
}

void ssgw_gen_opts_default(ssgw_gen_opts *o)
{
    o->management_every = 40;
    o->sccp_variety = true;
    o->users = SSGW_GEN_USER_MAP;
    o->ansi_empty_params = false;
}

/* Operations of the current MAP protocol, in opcode order (built once). */
static ssgw_map_opcode op_list[SSGW_MAP_OPCODE_MAX + 1];
static size_t n_ops;

static void build_op_list(void)
{
    if (n_ops) return;
    for (size_t i = 0; i < ssgw_map_op_count(); i++) {
        const ssgw_map_op *o = ssgw_map_op_at(i);
        if (o->origin == SSGW_MAP_ORIGIN_CURRENT) op_list[n_ops++] = o->opcode;
    }
}

static const char *const country_codes[] = {"44", "49", "33", "234", "254", "1", "91", "27"};
static const char *const mcc_mnc[] = {"23415", "26201",  "20801", "62130",
                                      "63902", "310150", "40410", "65501"};

static void random_addr(ssgw_rng *r, ssgw_map_addr *a)
{
    char d[SSGW_MAP_DIGITS_CAP];
    ssgw_rng_number(r, country_codes, 8, 8, 4, d, sizeof d);
    ssgw_map_addr_set(a, d, 1, 1);
}

static void random_fields(ssgw_rng *r, ssgw_map_fields *f)
{
    static const uint8_t ss_codes[] = {0x21, 0x29, 0x2a, 0x2b, 0x20, 0x28, 0x11, 0x12, 0x41, 0x92};
    static const char *const ussd[] = {"*100#",     "*123*1#", "*#06#",
                                       "*144*2*1#", "#100#",   "*555*0123456789#"};
    ssgw_map_fields_init(f);
    const char *home = mcc_mnc[ssgw_rng_below(r, 8)];
    ssgw_rng_digits(r, home, 15 - strlen(home), f->imsi, sizeof f->imsi);
    random_addr(r, &f->msisdn);
    random_addr(r, &f->vlr_number);
    random_addr(r, &f->msc_number);
    random_addr(r, &f->hlr_number);
    random_addr(r, &f->sgsn_number);
    random_addr(r, &f->gsmscf_address);
    random_addr(r, &f->gmsc_address);
    random_addr(r, &f->smsc_address);
    random_addr(r, &f->forwarded_to_number);
    random_addr(r, &f->roaming_number);
    random_addr(r, &f->mlc_number);
    snprintf(f->lmsi, sizeof f->lmsi, "%08x", (unsigned)ssgw_rng_next(r));
    snprintf(f->tmsi, sizeof f->tmsi, "%08x", (unsigned)ssgw_rng_next(r));
    ssgw_rng_digits(r, "35", 14, f->imei, sizeof f->imei);
    snprintf(f->ss_code, sizeof f->ss_code, "%02x", ss_codes[ssgw_rng_below(r, 10)]);
    f->ussd_dcs = 0x0f;
    snprintf(f->ussd_string, sizeof f->ussd_string, "%s", ussd[ssgw_rng_below(r, 6)]);
    /* Cell global id: MCC/MNC (3 octets BCD), LAC, CI. */
    const char *mm = home;
    snprintf(f->mcc, sizeof f->mcc, "%.3s", mm);
    snprintf(f->mnc, sizeof f->mnc, "%s", mm + 3);
    f->lac = 1 + (int)ssgw_rng_below(r, 65534);
    f->ci = 1 + (int)ssgw_rng_below(r, 65534);
    char mnc3 = strlen(f->mnc) == 3 ? f->mnc[2] : 'f';
    snprintf(f->cell_id, sizeof f->cell_id, "%c%c%c%c%c%c%04x%04x", f->mcc[1], f->mcc[0], mnc3,
             f->mcc[2], f->mnc[1], f->mnc[0], (unsigned)f->lac, (unsigned)f->ci);
    f->age_of_location = (int)ssgw_rng_below(r, 120);
}

enum {
    SHAPE_BEGIN_AARQ,
    SHAPE_CONTINUE_AARE,
    SHAPE_END_RESULT,
    SHAPE_END_ERROR,
    SHAPE_BEGIN_TWO_INVOKES,
    SHAPE_ABORT,
    SHAPE_CONTINUE_REJECT,
    SHAPE_UNIDIRECTIONAL,
    SHAPE_COUNT
};

static void set_tid(ssgw_rng *r, ssgw_tcap_tid *t)
{
    static const unsigned lens[] = {4, 4, 4, 1, 2, 3};
    unsigned len = lens[ssgw_rng_below(r, 6)];
    uint32_t v = (uint32_t)ssgw_rng_next(r);
    if (len < 4) v &= (1u << (8 * len)) - 1;
    ssgw_tcap_tid_set(t, v, len);
}

static int build_tcap(ssgw_rng *r, uint64_t index, ssgw_buf *out, ssgw_gen_info *info,
                      ssgw_error *err)
{
    static uint8_t params[4096];
    build_op_list();
    int op = n_ops ? (int)op_list[index % n_ops] : SSGW_MAP_OP_UPDATE_LOCATION;
    unsigned shape = (unsigned)((n_ops ? index / n_ops : index) % SHAPE_COUNT);
    int version = 0;
    const ssgw_map_acn *acn = ssgw_map_op_context(op, &version);
    ssgw_map_fields f;
    random_fields(r, &f);

    ssgw_tcap_msg m;
    memset(&m, 0, sizeof m);
    ssgw_tcap_component comps[2];
    memset(comps, 0, sizeof comps);
    size_t ncomp = 0;
    ssgw_tcap_component *c = &comps[0];
    int invoke_id = (int)ssgw_rng_below(r, 128);
    c->invoke_id_present = true; /* error and reject shapes; the others fill the whole component */
    c->invoke_id = invoke_id;
    /* MAP parameters of the components (none when the operation has no encoder) */
    ssgw_buf pb;
    ssgw_buf_init(&pb, params, sizeof params);
    uint8_t oid[SSGW_MAP_ACN_OID_LEN];

    switch (shape) {
    case SHAPE_BEGIN_AARQ:
    case SHAPE_UNIDIRECTIONAL:
        m.type = shape == SHAPE_BEGIN_AARQ ? SSGW_TCAP_BEGIN : SSGW_TCAP_UNIDIRECTIONAL;
        if (m.type == SSGW_TCAP_BEGIN) set_tid(r, &m.otid);
        if (acn)
            m.dialogue_present =
                ssgw_map_msg_dialogue(&m.dialogue,
                                      shape == SHAPE_BEGIN_AARQ ? SSGW_TCAP_DLG_AARQ
                                                                : SSGW_TCAP_DLG_AUDT,
                                      acn->ac, version, oid) == 0;
        ssgw_map_msg_component(c, SSGW_TCAP_COMP_INVOKE, invoke_id, op, version, &f, &pb);
        ncomp = 1;
        break;
    case SHAPE_CONTINUE_AARE:
        m.type = SSGW_TCAP_CONTINUE;
        set_tid(r, &m.otid);
        set_tid(r, &m.dtid);
        if (acn)
            m.dialogue_present =
                ssgw_map_msg_dialogue(&m.dialogue, SSGW_TCAP_DLG_AARE, acn->ac, version, oid) == 0;
        ssgw_map_msg_component(c, SSGW_TCAP_COMP_INVOKE, invoke_id, op, version, &f, &pb);
        ncomp = 1;
        break;
    case SHAPE_END_RESULT:
        /* A first response names the context (AARE), so every decoder knows the version. */
        m.type = SSGW_TCAP_END;
        set_tid(r, &m.dtid);
        if (acn)
            m.dialogue_present =
                ssgw_map_msg_dialogue(&m.dialogue, SSGW_TCAP_DLG_AARE, acn->ac, version, oid) == 0;
        ssgw_map_msg_component(c, SSGW_TCAP_COMP_RETURN_RESULT_LAST, invoke_id, op, version, &f,
                               &pb);
        if (!c->param_present) c->opcode.kind = SSGW_TCAP_CODE_NONE; /* RETURN RESULT TRUE */
        ncomp = 1;
        break;
    case SHAPE_END_ERROR: {
        static const int errors[] = {1, 5, 27, 34, 35, 36, 21, 8, 13};
        m.type = SSGW_TCAP_END;
        set_tid(r, &m.dtid);
        c->type = SSGW_TCAP_COMP_RETURN_ERROR;
        c->opcode.kind = SSGW_TCAP_CODE_NONE;
        c->error.kind = SSGW_TCAP_CODE_LOCAL;
        c->error.local = errors[ssgw_rng_below(r, 9)];
        ncomp = 1;
        break;
    }
    case SHAPE_BEGIN_TWO_INVOKES: {
        /* Two invokes, the second linked to the first, under the first one's context. */
        m.type = SSGW_TCAP_BEGIN;
        set_tid(r, &m.otid);
        if (acn &&
            ssgw_map_msg_dialogue(&m.dialogue, SSGW_TCAP_DLG_AARQ, acn->ac, version, oid) == 0) {
            m.dialogue_present = true;
            m.dialogue.protocol_version_present = false; /* optional: this shape leaves it out */
        }
        ssgw_map_msg_component(c, SSGW_TCAP_COMP_INVOKE, invoke_id, op, version, &f, &pb);
        ssgw_tcap_component *c2 = &comps[1];
        /* The linked invoke is another operation of the same context and version. */
        int op2 = op;
        ssgw_map_opcode same[SSGW_MAP_OPCODE_MAX + 1];
        size_t n_same =
            acn ? ssgw_map_acn_ops(acn, version, same, sizeof same / sizeof same[0]) : 0;
        if (n_same) op2 = (int)same[(index * 7 + 3) % n_same];
        ssgw_map_msg_component(c2, SSGW_TCAP_COMP_INVOKE, (invoke_id + 1) & 0x7f, op2, version, &f,
                               &pb);
        c2->linked_id_present = true;
        c2->linked_id = invoke_id;
        ncomp = 2;
        break;
    }
    case SHAPE_ABORT:
        m.type = SSGW_TCAP_ABORT;
        set_tid(r, &m.dtid);
        if (index & 1) {
            m.pabort_present = true;
            m.pabort_cause = (int)ssgw_rng_below(r, 5);
        } else {
            m.dialogue_present = true;
            m.dialogue.type = SSGW_TCAP_DLG_ABRT;
            m.dialogue.abort_source = SSGW_TCAP_ABORT_SOURCE_USER;
        }
        op = -1;
        break;
    case SHAPE_CONTINUE_REJECT:
    default:
        m.type = SSGW_TCAP_CONTINUE;
        set_tid(r, &m.otid);
        set_tid(r, &m.dtid);
        c->type = SSGW_TCAP_COMP_REJECT;
        c->opcode.kind = SSGW_TCAP_CODE_NONE;
        c->problem_type = (ssgw_tcap_problem_type)ssgw_rng_below(r, 4);
        c->problem_code = ssgw_rng_below(r, 3);
        if (index % 3 == 0) c->invoke_id_present = false; /* NULL invoke id */
        ncomp = 1;
        op = -1;
        break;
    }
    info->opcode = op;
    info->tcap_type = m.type;
    m.components_present = ncomp > 0;
    return ssgw_tcap_encode(out, &m, comps, ncomp, err);
}

int ssgw_gen_tcap(uint64_t seed, uint64_t index, ssgw_buf *out, ssgw_gen_info *info,
                  ssgw_error *err)
{
    ssgw_rng r;
    ssgw_rng_seed(&r, seed * 0x100000001b3ull ^ index);
    memset(info, 0, sizeof *info);
    return build_tcap(&r, index, out, info, err);
}

static void random_party(ssgw_rng *r, ssgw_sccp_addr *a, uint8_t ssn, unsigned form)
{
    char gt[24];
    ssgw_rng_number(r, country_codes, 8, 7, 5, gt, sizeof gt);
    switch (form) {
    case 1: /* route on SSN: point code + SSN, no GT */
        ssgw_sccp_addr_ssn(a, (uint16_t)(1 + ssgw_rng_below(r, 0x3ffe)), ssn);
        break;
    case 2: /* GTI 1: nature of address only */
        ssgw_sccp_addr_gt(a, gt, ssn);
        a->gti = 1;
        a->np = a->es = a->tt = 0;
        break;
    case 3: /* GTI 2: translation type only (even number of digits) */
        if (strlen(gt) & 1) gt[strlen(gt) - 1] = '\0';
        ssgw_sccp_addr_gt(a, gt, ssn);
        a->gti = 2;
        a->tt = 0;
        a->np = a->es = a->nai = 0;
        break;
    case 4: /* GTI 3: TT, numbering plan, encoding scheme */
        ssgw_sccp_addr_gt(a, gt, ssn);
        a->gti = 3;
        a->nai = 0;
        break;
    default: /* GTI 4, the interconnect norm */
        ssgw_sccp_addr_gt(a, gt, ssn);
        break;
    }
}

static int build_management(ssgw_rng *r, uint64_t k, ssgw_buf *out)
{
    uint32_t rc = 1 + ssgw_rng_below(r, 100), asp = ssgw_rng_below(r, 1000);
    uint32_t apc = ssgw_rng_below(r, 0x3fff);
    uint8_t hb[8];
    for (int i = 0; i < 8; i++)
        hb[i] = (uint8_t)ssgw_rng_next(r);
    ssgw_m3ua_ssnm_info s = {.affected_pc = &apc, .n_affected_pc = 1};
    switch (k % 10) {
    case 0:
        return ssgw_m3ua_encode_aspup(out, &asp, NULL);
    case 1:
        return ssgw_m3ua_encode_aspup_ack(out, &asp, NULL);
    case 2:
        return ssgw_m3ua_encode_aspac(out, SSGW_M3UA_TMT_LOADSHARE, &rc, 1, NULL);
    case 3:
        return ssgw_m3ua_encode_aspac_ack(out, SSGW_M3UA_TMT_LOADSHARE, &rc, 1, NULL);
    case 4:
        return ssgw_m3ua_encode_beat(out, hb, sizeof hb);
    case 5:
        return ssgw_m3ua_encode_beat_ack(out, hb, sizeof hb);
    case 6: {
        ssgw_m3ua_ntfy_info n = {.status_type = SSGW_M3UA_STATUS_AS_STATE_CHANGE,
                                 .status_info = SSGW_M3UA_AS_ACTIVE,
                                 .routing_context = &rc,
                                 .n_routing_context = 1};
        return ssgw_m3ua_encode_ntfy(out, &n);
    }
    case 7:
        return ssgw_m3ua_encode_duna(out, &s);
    case 8:
        return ssgw_m3ua_encode_dava(out, &s);
    default: {
        ssgw_m3ua_err_info e = {
            .error_code = SSGW_M3UA_ERR_INVALID_RC, .routing_context = &rc, .n_routing_context = 1};
        return ssgw_m3ua_encode_err(out, &e);
    }
    }
}

int ssgw_gen_message(uint64_t seed, uint64_t index, const ssgw_gen_opts *opts, ssgw_buf *out,
                     ssgw_gen_info *info, ssgw_error *err)
{
    static const uint8_t ssns[] = {6, 7, 8, 147, 149, 6}; /* MAP SSNs (TS 23.003); 146 is CAP */
    ssgw_gen_opts def;
    if (!opts) {
        ssgw_gen_opts_default(&def);
        opts = &def;
    }
    ssgw_rng r;
    ssgw_rng_seed(&r, seed * 0x100000001b3ull ^ index);
    memset(info, 0, sizeof *info);
    info->opcode = -1;
    if (opts->management_every && index % opts->management_every == opts->management_every - 1) {
        info->management = true;
        if (build_management(&r, index / opts->management_every, out) < 0 || out->overflow)
            return ssgw_fail(err, SSGW_LAYER_M3UA, SSGW_E_TOO_BIG, "generated message", 0);
        return 0;
    }
    uint8_t tcap_mem[4096];
    ssgw_buf tb;
    ssgw_buf_init(&tb, tcap_mem, sizeof tcap_mem);
    /* issue 11: the user of this message (MAP unless asked), and its index among them */
    unsigned user;
    uint64_t k;
    ssgw_gen_pick_user(opts->users, index, &user, &k);
    info->user = user;
    if (user == SSGW_GEN_USER_MAP) {
        if (build_tcap(&r, k, &tb, info, err) < 0) return -1;
    } else if (ssgw_gen_user_data(&r, user, k, opts, &tb, info, err) < 0) {
        return -1;
    }

    ssgw_sccp_msg s;
    unsigned variant = opts->sccp_variety ? (unsigned)(index % 29) : 0;
    ssgw_sccp_msg_type type = SSGW_SCCP_UDT;
    if (variant == 3 || variant == 17)
        type = SSGW_SCCP_XUDT;
    else if (variant == 11)
        type = SSGW_SCCP_LUDT;
    else if (variant == 23)
        type = SSGW_SCCP_UDTS;
    else if (variant == 26)
        type = SSGW_SCCP_XUDTS;
    ssgw_sccp_msg_init(&s, type);
    s.protocol_class = (uint8_t)(index & 1);
    s.return_on_error = (index & 2) != 0;
    s.hop_counter = 15;
    s.return_cause = (uint8_t)ssgw_rng_below(&r, 15);
    unsigned called_form = opts->sccp_variety ? (unsigned)(index % 7) : 0;
    unsigned calling_form = opts->sccp_variety ? (unsigned)((index / 7) % 5) : 0;
    if (called_form > 4) called_form = 0;
    if (calling_form == 1)
        calling_form = 0; /* the interconnect calling party always has a GT here */
    random_party(&r, &s.called, ssns[ssgw_rng_below(&r, 6)], called_form);
    random_party(&r, &s.calling, ssns[ssgw_rng_below(&r, 6)], calling_form);
    if (user != SSGW_GEN_USER_MAP) ssgw_gen_user_sccp(&r, user, &s); /* its SSNs, type, class */
    type = (ssgw_sccp_msg_type)s.type;
    s.data = tb.data;
    s.data_len = tb.len;
    info->sccp_type = type;

    uint8_t sccp_mem[4200];
    ssgw_buf sb;
    ssgw_buf_init(&sb, sccp_mem, sizeof sccp_mem);
    if (ssgw_sccp_encode(&sb, &s, err) < 0) return -1;

    uint32_t rc = 1 + ssgw_rng_below(&r, 100), na = 8;
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    if (index % 3 != 0) {
        d.routing_context = &rc;
        d.n_routing_context = 1;
    }
    if (index % 5 == 4) d.network_appearance = &na;
    d.pd.opc = 1 + ssgw_rng_below(&r, 0x3ffe);
    d.pd.dpc = 1 + ssgw_rng_below(&r, 0x3ffe);
    d.pd.si = 3;
    d.pd.ni = (index & 4) ? 0 : 2;
    d.pd.mp = 0;
    d.pd.sls = (uint8_t)ssgw_rng_below(&r, 16);
    d.pd.data = sb.data;
    d.pd.data_len = sb.len;
    info->sls = d.pd.sls;
    if (ssgw_m3ua_encode_data(out, &d) < 0 || out->overflow)
        return ssgw_fail(err, SSGW_LAYER_M3UA, SSGW_E_TOO_BIG, "generated message", 0);
    return 0;
}
