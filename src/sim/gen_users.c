/*
 * gen_users.c - the generator's traffic besides MAP (issue 11): CAP over ITU
 * TCAP (every CAP operation, every application context that carries it, the
 * TCAP shapes CAP dialogues take), SCCP management messages, and ANSI TCAP
 * packages carrying ANSI-41 operations. Like gen.c, message k of a user is a
 * pure function of (seed, index); the parameters come from the codecs'
 * encoders (ssgw_cap_encode, ssgw_scmg_encode, ssgw_ansi_tcap_encode).
 */
#include <stdio.h>
#include <string.h>

#include "sim/gen_int.h"
#include "ssgw/ansi_tcap.h"
#include "ssgw/cap.h"
#include "ssgw/map_msg.h"
#include "ssgw/scmg.h"
#include "ssgw/tcap.h"

void ssgw_gen_pick_user(unsigned users, uint64_t index, unsigned *user, uint64_t *k)
{
    unsigned list[4], n = 0;
    for (unsigned bit = SSGW_GEN_USER_MAP; bit <= SSGW_GEN_USER_ANSI; bit <<= 1)
        if (users & bit) list[n++] = bit;
    if (n == 0) {
        *user = SSGW_GEN_USER_MAP;
        *k = index;
        return;
    }
    *user = list[index % n];
    *k = index / n;
}

static const char *const prefixes[] = {"44", "49", "33", "234", "254", "1", "91", "27"};

static void number(ssgw_rng *r, char *out, size_t cap)
{
    ssgw_rng_number(r, prefixes, 8, 8, 4, out, cap);
}

/* ---- CAP ------------------------------------------------------------------------------------ */

static void cap_fields(ssgw_rng *r, ssgw_cap_fields *f)
{
    static const int bcsm[] = {2, 3, 4, 5, 6, 7, 9, 10, 12, 13, 14, 15, 17, 18};
    static const int sms[] = {1, 2, 3, 11, 12, 13};
    static const int gprs[] = {1, 2, 3, 11, 12, 13, 14};
    static const int causes[] = {16, 17, 18, 19, 21, 31, 34, 41, 127};
    static const char *const mccmnc[] = {"23415", "26201", "20801", "62130"};
    ssgw_cap_fields_init(f);
    f->service_key = (int)(1 + ssgw_rng_below(r, 2000000000u));
    const char *home = mccmnc[ssgw_rng_below(r, 4)];
    ssgw_rng_digits(r, home, 15 - strlen(home), f->imsi, sizeof f->imsi);
    number(r, f->msisdn, sizeof f->msisdn);
    number(r, f->calling_party_number, sizeof f->calling_party_number);
    number(r, f->called_party_number, sizeof f->called_party_number);
    number(r, f->called_party_bcd_number, sizeof f->called_party_bcd_number);
    number(r, f->location_number, sizeof f->location_number);
    number(r, f->msc_address, sizeof f->msc_address);
    number(r, f->gmsc_address, sizeof f->gmsc_address);
    number(r, f->vlr_number, sizeof f->vlr_number);
    number(r, f->smsc_address, sizeof f->smsc_address);
    number(r, f->sgsn_number, sizeof f->sgsn_number);
    number(r, f->gsmscf_address, sizeof f->gsmscf_address);
    number(r, f->destination_routing_address, sizeof f->destination_routing_address);
    /* cell global id: MCC/MNC BCD (MNC of two digits: filler F), LAC, CI */
    unsigned lac = 1 + ssgw_rng_below(r, 65534);
    unsigned ci = 1 + ssgw_rng_below(r, 65534);
    snprintf(f->cell_id, sizeof f->cell_id, "%c%cf%c%c%c%04x%04x", home[1], home[0], home[2],
             home[4], home[3], lac, ci);
    f->event_type_bcsm = bcsm[ssgw_rng_below(r, 14)];
    unsigned n = 1 + ssgw_rng_below(r, 3);
    for (unsigned i = 0; i < n; i++) {
        size_t used = strlen(f->bcsm_events);
        snprintf(f->bcsm_events + used, sizeof f->bcsm_events - used, "%s%s", i ? "," : "",
                 ssgw_cap_event_bcsm_name(bcsm[ssgw_rng_below(r, 14)]));
    }
    f->event_type_sms = sms[ssgw_rng_below(r, 6)];
    f->gprs_event_type = gprs[ssgw_rng_below(r, 7)];
    f->release_cause = causes[ssgw_rng_below(r, 9)];
    f->max_call_period_duration = (int)(1 + ssgw_rng_below(r, 864000));
}

enum {
    CAP_BEGIN_AARQ,    /* the gsmSSF opens: Begin + AARQ + invoke */
    CAP_CONTINUE_AARE, /* the first answer names the context: Continue + AARE + invoke */
    CAP_CONTINUE,      /* later in the dialogue: no dialogue portion, SSN 146 says CAP */
    CAP_END,           /* End + invoke (ReleaseCall ends a dialogue so) */
    CAP_END_ERROR,     /* End + returnError with a CAP error code */
    CAP_ABORT,
    CAP_SHAPES
};

static void set_tid(ssgw_rng *r, ssgw_tcap_tid *t)
{
    ssgw_tcap_tid_set(t, (uint32_t)ssgw_rng_next(r), 4);
}

static int build_cap(ssgw_rng *r, uint64_t k, ssgw_buf *out, ssgw_gen_info *info, ssgw_error *err)
{
    static uint8_t params[1024];
    size_t nops = ssgw_cap_op_count();
    const ssgw_cap_op *op = ssgw_cap_op_at(k % nops);
    unsigned shape = (unsigned)((k / nops) % CAP_SHAPES);
    /* every context that carries the operation, in turn */
    const ssgw_cap_acn *ctx[SSGW_CAP_AC_COUNT];
    size_t nctx = 0;
    for (size_t i = 0; i < ssgw_cap_acn_count(); i++)
        if (op->contexts & (1u << i)) ctx[nctx++] = ssgw_cap_acn_by_id((int)i);
    const ssgw_cap_acn *acn = nctx ? ctx[(k / (nops * CAP_SHAPES)) % nctx] : NULL;
    uint8_t oid[SSGW_CAP_ACN_OID_LEN];
    int oid_len = ssgw_cap_acn_to_oid(acn, oid, sizeof oid);

    ssgw_cap_fields f;
    cap_fields(r, &f);
    ssgw_tcap_msg m;
    memset(&m, 0, sizeof m);
    ssgw_tcap_component c;
    memset(&c, 0, sizeof c);
    c.invoke_id_present = true;
    c.invoke_id = (int)ssgw_rng_below(r, 128);
    c.type = SSGW_TCAP_COMP_INVOKE;
    c.opcode.kind = SSGW_TCAP_CODE_LOCAL;
    c.opcode.local = op->opcode;
    ssgw_buf pb;
    ssgw_buf_init(&pb, params, sizeof params);
    if (ssgw_cap_decodes(op->opcode) &&
        ssgw_cap_encode(op->opcode, acn ? acn->phase : 0, &f, &pb) == 0) {
        c.param_present = true;
        c.param_tlv = pb.data;
        c.param_tlv_len = pb.len;
    }
    size_t ncomp = 1;
    info->opcode = op->opcode;
    switch (shape) {
    case CAP_BEGIN_AARQ:
        m.type = SSGW_TCAP_BEGIN;
        set_tid(r, &m.otid);
        if (oid_len > 0) {
            ssgw_map_msg_dialogue_acn(&m.dialogue, SSGW_TCAP_DLG_AARQ, oid, (size_t)oid_len);
            m.dialogue_present = true;
        }
        break;
    case CAP_CONTINUE_AARE:
        m.type = SSGW_TCAP_CONTINUE;
        set_tid(r, &m.otid);
        set_tid(r, &m.dtid);
        if (oid_len > 0) {
            ssgw_map_msg_dialogue_acn(&m.dialogue, SSGW_TCAP_DLG_AARE, oid, (size_t)oid_len);
            m.dialogue_present = true;
        }
        break;
    case CAP_CONTINUE:
        m.type = SSGW_TCAP_CONTINUE;
        set_tid(r, &m.otid);
        set_tid(r, &m.dtid);
        break;
    case CAP_END:
        m.type = SSGW_TCAP_END;
        set_tid(r, &m.dtid);
        break;
    case CAP_END_ERROR: {
        static const int errors[] = {0, 1, 3, 4, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 50, 51};
        m.type = SSGW_TCAP_END;
        set_tid(r, &m.dtid);
        memset(&c.opcode, 0, sizeof c.opcode);
        c.type = SSGW_TCAP_COMP_RETURN_ERROR;
        c.error.kind = SSGW_TCAP_CODE_LOCAL;
        c.error.local = errors[ssgw_rng_below(r, 17)];
        c.param_present = false;
        info->opcode = -1;
        break;
    }
    case CAP_ABORT:
    default:
        m.type = SSGW_TCAP_ABORT;
        set_tid(r, &m.dtid);
        m.pabort_present = true;
        m.pabort_cause = (int)ssgw_rng_below(r, 5);
        ncomp = 0;
        info->opcode = -1;
        break;
    }
    info->tcap_type = m.type;
    m.components_present = ncomp > 0;
    return ssgw_tcap_encode(out, &m, &c, ncomp, err);
}

/* ---- SCCP management ----------------------------------------------------------------------- */

static int build_scmg(ssgw_rng *r, uint64_t k, ssgw_buf *out, ssgw_error *err)
{
    static const uint8_t ssns[] = {6, 7, 8, 9, 146, 147, 149};
    /* one draw per statement: an initializer list's order of evaluation is unspecified */
    uint8_t ssn = ssns[ssgw_rng_below(r, 7)];
    uint16_t pc = (uint16_t)(1 + ssgw_rng_below(r, 0x3ffe));
    ssgw_scmg_msg m = {.type = (uint8_t)(SSGW_SCMG_SSA + k % 6), .ssn = ssn, .pc = pc, .smi = 0};
    if (m.type == SSGW_SCMG_SSC) {
        m.has_congestion = true;
        m.congestion = (uint8_t)(1 + ssgw_rng_below(r, 8));
    }
    if (ssgw_scmg_encode(out, &m) < 0)
        return ssgw_fail(err, SSGW_LAYER_SCMG, SSGW_E_TOO_BIG, "generated message", 0);
    return 0;
}

/* ---- ANSI TCAP ------------------------------------------------------------------------------ */

static void ansi_tid(ssgw_rng *r, uint8_t *tid)
{
    uint32_t v = (uint32_t)ssgw_rng_next(r);
    for (int i = 0; i < 4; i++)
        tid[i] = (uint8_t)(v >> (24 - 8 * i));
}

static int build_ansi(ssgw_rng *r, uint64_t k, bool empty_params, ssgw_buf *out,
                      ssgw_gen_info *info, ssgw_error *err)
{
    static const uint8_t empty_set[] = {0xf2, 0x00}; /* paramSet [PRIVATE 18] */
    static const ssgw_ansi_tcap_pkg pkgs[] = {SSGW_ANSI_TCAP_QUERY_WITH_PERM,
                                              SSGW_ANSI_TCAP_RESPONSE,
                                              SSGW_ANSI_TCAP_CONVERSATION_WITH_PERM,
                                              SSGW_ANSI_TCAP_QUERY_WITHOUT_PERM,
                                              SSGW_ANSI_TCAP_CONVERSATION_WITHOUT_PERM,
                                              SSGW_ANSI_TCAP_UNIDIRECTIONAL,
                                              SSGW_ANSI_TCAP_ABORT};
    size_t nops = ssgw_ansi41_op_count();
    int spec = ssgw_ansi41_op_at(k % nops);
    ssgw_ansi_tcap_pkg type = pkgs[(k / nops) % 7];
    ssgw_ansi_tcap_msg m;
    memset(&m, 0, sizeof m);
    m.type = type;
    ssgw_ansi_tcap_component c;
    memset(&c, 0, sizeof c);
    size_t ncomp = 1;
    uint8_t id = (uint8_t)ssgw_rng_below(r, 256);
    info->opcode = -1;
    switch (type) {
    case SSGW_ANSI_TCAP_UNIDIRECTIONAL:
    case SSGW_ANSI_TCAP_QUERY_WITH_PERM:
    case SSGW_ANSI_TCAP_QUERY_WITHOUT_PERM:
    case SSGW_ANSI_TCAP_CONVERSATION_WITH_PERM:
    case SSGW_ANSI_TCAP_CONVERSATION_WITHOUT_PERM:
        if (type != SSGW_ANSI_TCAP_UNIDIRECTIONAL && type != SSGW_ANSI_TCAP_QUERY_WITH_PERM &&
            type != SSGW_ANSI_TCAP_QUERY_WITHOUT_PERM) {
            m.has_rtid = true;
            ansi_tid(r, m.rtid);
        }
        if (type != SSGW_ANSI_TCAP_UNIDIRECTIONAL) {
            m.has_otid = true;
            ansi_tid(r, m.otid);
        }
        c.type = SSGW_ANSI_COMP_INVOKE_LAST;
        c.n_ids = 1;
        c.ids[0] = id;
        c.op_kind = SSGW_ANSI_CODE_PRIVATE;
        c.op_family = SSGW_ANSI41_FAMILY;
        c.op_specifier = (uint8_t)spec;
        if (empty_params) { /* an empty parameter set: decoders then name the operation */
            c.param_present = true;
            c.param_tlv = empty_set;
            c.param_tlv_len = sizeof empty_set;
        }
        info->opcode = spec;
        break;
    case SSGW_ANSI_TCAP_RESPONSE:
        m.has_rtid = true;
        ansi_tid(r, m.rtid);
        /* an answer: a result, an error or a reject, in turn */
        if (k % 3 == 0) {
            c.type = SSGW_ANSI_COMP_RETURN_RESULT_LAST;
        } else if (k % 3 == 1) {
            c.type = SSGW_ANSI_COMP_RETURN_ERROR;
            c.error_kind = SSGW_ANSI_CODE_PRIVATE;
            c.error_code = 0x81 + (uint32_t)ssgw_rng_below(r, 10); /* ANSI-41 error codes */
        } else {
            c.type = SSGW_ANSI_COMP_REJECT;
            c.reject_problem = 257 + (int32_t)ssgw_rng_below(r, 4); /* general problems */
        }
        c.n_ids = 1;
        c.ids[0] = id;
        break;
    case SSGW_ANSI_TCAP_ABORT:
    default:
        m.has_rtid = true;
        ansi_tid(r, m.rtid);
        m.pabort_present = true;
        m.pabort_cause = 1 + (int32_t)ssgw_rng_below(r, 10);
        ncomp = 0;
        break;
    }
    info->tcap_type = (int)type;
    return ssgw_ansi_tcap_encode(out, &m, &c, ncomp, err);
}

int ssgw_gen_user_data(ssgw_rng *r, unsigned user, uint64_t k, const ssgw_gen_opts *opts,
                       ssgw_buf *out, ssgw_gen_info *info, ssgw_error *err)
{
    switch (user) {
    case SSGW_GEN_USER_CAP:
        return build_cap(r, k, out, info, err);
    case SSGW_GEN_USER_SCMG:
        return build_scmg(r, k, out, err);
    case SSGW_GEN_USER_ANSI:
        return build_ansi(r, k, opts->ansi_empty_params, out, info, err);
    default:
        return ssgw_fail(err, SSGW_LAYER_NONE, SSGW_E_UNSUPPORTED, "generator user", 0);
    }
}

void ssgw_gen_user_sccp(ssgw_rng *r, unsigned user, ssgw_sccp_msg *s)
{
    switch (user) {
    case SSGW_GEN_USER_CAP:
        /* gsmSSF and gsmSCF both on the CAP subsystem */
        s->called.has_ssn = s->calling.has_ssn = true;
        s->called.ssn = s->calling.ssn = 146;
        break;
    case SSGW_GEN_USER_SCMG: {
        /* between SCCP management entities: route on SSN 1, protocol class 0, UDT */
        uint16_t dpc = (uint16_t)(1 + ssgw_rng_below(r, 0x3ffe));
        uint16_t opc = (uint16_t)(1 + ssgw_rng_below(r, 0x3ffe));
        ssgw_sccp_addr_ssn(&s->called, dpc, SSGW_SCMG_SSN);
        ssgw_sccp_addr_ssn(&s->calling, opc, SSGW_SCMG_SSN);
        s->type = SSGW_SCCP_UDT;
        s->protocol_class = 0;
        s->return_on_error = false;
        break;
    }
    case SSGW_GEN_USER_ANSI:
        /* ANSI-41 HLR and VLR (Wireshark's ansi_tcap hands SSNs 5-14 to ANSI MAP) */
        s->called.has_ssn = s->calling.has_ssn = true;
        s->called.ssn = (uint8_t)(6 + ssgw_rng_below(r, 2));
        s->calling.ssn = (uint8_t)(6 + ssgw_rng_below(r, 2));
        /* unitdata only: a service message would carry the data back */
        if (s->type == SSGW_SCCP_UDTS || s->type == SSGW_SCCP_XUDTS) s->type = SSGW_SCCP_UDT;
        break;
    default:
        break;
    }
}
