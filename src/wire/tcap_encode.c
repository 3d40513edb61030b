/*
 * tcap_encode.c - TCAP encoders (ITU-T Q.773 clause 4): messages, dialogue portion,
 * components, always with definite lengths (X.690 8.1.3.2 minimal form via ssgw_ber_*).
 *
 * The encoders take the same view structures the decoders fill, and write the elements in
 * the same order and form the decoders expect, so a decoded canonical message encodes back
 * to the same bytes. Each checks the rules of Q.773 tables 8-20 that a caller can break
 * (mandatory elements, transaction ID sizes, invoke ID range) before writing.
 */
#include "ssgw/tcap.h"

#include <string.h>

static const uint8_t dialogue_as_id[] = {0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01};
static const uint8_t unidialogue_as_id[] = {0x00, 0x11, 0x86, 0x05, 0x01, 0x02, 0x01};

static int fail(ssgw_error *err, ssgw_errcode code, const char *field)
{
    return ssgw_fail(err, SSGW_LAYER_TCAP, code, field, 0);
}

static void put_version(ssgw_buf *b, const ssgw_tcap_dialogue *d)
{
    if (d->protocol_version_present)
        ssgw_ber_put_tlv(b, SSGW_BER_CONTEXT, false, 0, d->protocol_version, 2);
}

int ssgw_tcap_encode_dialogue(ssgw_buf *b, const ssgw_tcap_dialogue *d, ssgw_error *err)
{
    uint8_t oid[64];
    const uint8_t *acn = d->acn;
    size_t acn_len = d->acn_len;
    uint32_t pdu_tag;

    switch (d->type) {
    case SSGW_TCAP_DLG_AARQ:
        pdu_tag = 0;
        break;
    case SSGW_TCAP_DLG_AARE:
        pdu_tag = 1;
        break;
    case SSGW_TCAP_DLG_ABRT:
        pdu_tag = 4;
        break;
    case SSGW_TCAP_DLG_AUDT:
        pdu_tag = 0;
        break;
    default:
        return fail(err, SSGW_E_BAD_VALUE, "dialogue pdu");
    }
    if (d->type != SSGW_TCAP_DLG_ABRT && acn_len == 0) {
        /* no contents octets given: take the dotted form */
        int n = d->acn_str[0] ? ssgw_ber_oid_from_str(d->acn_str, oid, sizeof oid) : -1;
        if (n <= 0) return fail(err, SSGW_E_MISSING, "application context name");
        acn = oid;
        acn_len = (size_t)n;
    }
    if (d->type == SSGW_TCAP_DLG_AARE && (d->result < 0 || d->result > 1 ||
                                          (d->diag_source != SSGW_TCAP_DIAG_SERVICE_USER &&
                                           d->diag_source != SSGW_TCAP_DIAG_SERVICE_PROVIDER)))
        return fail(err, SSGW_E_BAD_VALUE, "result source diagnostic");
    if (d->type == SSGW_TCAP_DLG_ABRT && (d->abort_source < 0 || d->abort_source > 1))
        return fail(err, SSGW_E_BAD_VALUE, "abort source");

    const uint8_t *as_id = d->type == SSGW_TCAP_DLG_AUDT ? unidialogue_as_id : dialogue_as_id;
    size_t portion = ssgw_ber_open(b, SSGW_BER_APPLICATION, 11);
    size_t external = ssgw_ber_open(b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_EXTERNAL);
    ssgw_ber_put_tlv(b, SSGW_BER_UNIVERSAL, false, SSGW_BER_TAG_OID, as_id, sizeof dialogue_as_id);
    size_t single = ssgw_ber_open(b, SSGW_BER_CONTEXT, 0);
    size_t pdu = ssgw_ber_open(b, SSGW_BER_APPLICATION, pdu_tag);
    if (d->type == SSGW_TCAP_DLG_ABRT) {
        ssgw_ber_put_int(b, SSGW_BER_CONTEXT, 0, d->abort_source);
    } else {
        put_version(b, d);
        size_t m = ssgw_ber_open(b, SSGW_BER_CONTEXT, 1);
        ssgw_ber_put_tlv(b, SSGW_BER_UNIVERSAL, false, SSGW_BER_TAG_OID, acn, acn_len);
        ssgw_ber_close(b, m);
    }
    if (d->type == SSGW_TCAP_DLG_AARE) {
        size_t m = ssgw_ber_open(b, SSGW_BER_CONTEXT, 2);
        ssgw_ber_put_int(b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_INTEGER, d->result);
        ssgw_ber_close(b, m);
        m = ssgw_ber_open(b, SSGW_BER_CONTEXT, 3);
        size_t s = ssgw_ber_open(b, SSGW_BER_CONTEXT, (uint32_t)d->diag_source);
        ssgw_ber_put_int(b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_INTEGER, d->diag_value);
        ssgw_ber_close(b, s);
        ssgw_ber_close(b, m);
    }
    if (d->user_info_present)
        ssgw_ber_put_tlv(b, SSGW_BER_CONTEXT, true, 30, d->user_info, d->user_info_len);
    ssgw_ber_close(b, pdu);
    ssgw_ber_close(b, single);
    ssgw_ber_close(b, external);
    ssgw_ber_close(b, portion);
    return 0;
}

static int put_code(ssgw_buf *b, const ssgw_tcap_code *c, const char *field, ssgw_error *err)
{
    switch (c->kind) {
    case SSGW_TCAP_CODE_LOCAL:
        ssgw_ber_put_int(b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_INTEGER, c->local);
        return 0;
    case SSGW_TCAP_CODE_GLOBAL:
        if (c->global_len == 0) break;
        ssgw_ber_put_tlv(b, SSGW_BER_UNIVERSAL, false, SSGW_BER_TAG_OID, c->global, c->global_len);
        return 0;
    case SSGW_TCAP_CODE_NONE:
        break;
    }
    return fail(err, SSGW_E_MISSING, field);
}

/* The parameter must be exactly one well-formed TLV. */
static int check_param(const ssgw_tcap_component *c, ssgw_error *err)
{
    ssgw_ber_tlv t;
    ssgw_error e;
    if (!c->param_present) return 0;
    if (!c->param_tlv || ssgw_ber_read(c->param_tlv, c->param_tlv_len, &t, &e) < 0 ||
        t.total != c->param_tlv_len)
        return fail(err, SSGW_E_BAD_VALUE, "parameter");
    return 0;
}

static bool id_ok(int id)
{
    return id >= -128 && id <= 127;
}

int ssgw_tcap_encode_component(ssgw_buf *b, const ssgw_tcap_component *c, ssgw_error *err)
{
    switch (c->type) {
    case SSGW_TCAP_COMP_INVOKE:
    case SSGW_TCAP_COMP_RETURN_RESULT_LAST:
    case SSGW_TCAP_COMP_RETURN_ERROR:
    case SSGW_TCAP_COMP_REJECT:
    case SSGW_TCAP_COMP_RETURN_RESULT_NOT_LAST:
        break;
    default:
        return fail(err, SSGW_E_BAD_VALUE, "component type");
    }
    if (c->invoke_id_present ? !id_ok(c->invoke_id) : c->type != SSGW_TCAP_COMP_REJECT)
        return fail(err, SSGW_E_BAD_VALUE, "invoke id");
    if (c->type == SSGW_TCAP_COMP_INVOKE && c->linked_id_present && !id_ok(c->linked_id))
        return fail(err, SSGW_E_BAD_VALUE, "linked id");
    if (c->type == SSGW_TCAP_COMP_INVOKE && c->opcode.kind == SSGW_TCAP_CODE_NONE)
        return fail(err, SSGW_E_MISSING, "operation code");
    if (c->type == SSGW_TCAP_COMP_RETURN_ERROR && c->error.kind == SSGW_TCAP_CODE_NONE)
        return fail(err, SSGW_E_MISSING, "error code");
    if ((c->type == SSGW_TCAP_COMP_RETURN_RESULT_LAST ||
         c->type == SSGW_TCAP_COMP_RETURN_RESULT_NOT_LAST) &&
        c->param_present && c->opcode.kind == SSGW_TCAP_CODE_NONE)
        return fail(err, SSGW_E_MISSING, "operation code");
    if (c->type == SSGW_TCAP_COMP_REJECT && (unsigned)c->problem_type > 3)
        return fail(err, SSGW_E_BAD_VALUE, "problem");
    if (c->type != SSGW_TCAP_COMP_REJECT && check_param(c, err) < 0) return -1;

    size_t m = ssgw_ber_open(b, SSGW_BER_CONTEXT, (uint32_t)c->type);
    if (c->invoke_id_present)
        ssgw_ber_put_int(b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_INTEGER, c->invoke_id);
    else
        ssgw_ber_put_tlv(b, SSGW_BER_UNIVERSAL, false, SSGW_BER_TAG_NULL, NULL, 0);
    int r = 0;
    switch (c->type) {
    case SSGW_TCAP_COMP_INVOKE:
        if (c->linked_id_present) ssgw_ber_put_int(b, SSGW_BER_CONTEXT, 0, c->linked_id);
        r = put_code(b, &c->opcode, "operation code", err);
        if (c->param_present) ssgw_buf_put(b, c->param_tlv, c->param_tlv_len);
        break;
    case SSGW_TCAP_COMP_RETURN_RESULT_LAST:
    case SSGW_TCAP_COMP_RETURN_RESULT_NOT_LAST:
        if (c->opcode.kind != SSGW_TCAP_CODE_NONE) {
            size_t s = ssgw_ber_open(b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE);
            r = put_code(b, &c->opcode, "operation code", err);
            if (c->param_present) ssgw_buf_put(b, c->param_tlv, c->param_tlv_len);
            ssgw_ber_close(b, s);
        }
        break;
    case SSGW_TCAP_COMP_RETURN_ERROR:
        r = put_code(b, &c->error, "error code", err);
        if (c->param_present) ssgw_buf_put(b, c->param_tlv, c->param_tlv_len);
        break;
    case SSGW_TCAP_COMP_REJECT:
        ssgw_ber_put_int(b, SSGW_BER_CONTEXT, (uint32_t)c->problem_type, c->problem_code);
        break;
    }
    ssgw_ber_close(b, m);
    return r;
}

static int put_tid(ssgw_buf *b, uint32_t tag, const ssgw_tcap_tid *t, const char *field,
                   ssgw_error *err)
{
    if (t->len < 1 || t->len > 4) return fail(err, SSGW_E_BAD_LENGTH, field);
    ssgw_ber_put_tlv(b, SSGW_BER_APPLICATION, false, tag, t->bytes, t->len);
    return 0;
}

int ssgw_tcap_encode(ssgw_buf *b, const ssgw_tcap_msg *m, const ssgw_tcap_component *comps,
                     size_t ncomp, ssgw_error *err)
{
    const ssgw_tcap_msg_rule *rule = ssgw_tcap_msg_rule_for(m->type);
    if (!rule) return fail(err, SSGW_E_BAD_VALUE, "message type");
    unsigned have = (m->otid.present ? SSGW_TCAP_EL_OTID : 0u) |
                    (m->dtid.present ? SSGW_TCAP_EL_DTID : 0u) |
                    (m->pabort_present ? SSGW_TCAP_EL_PABORT : 0u) |
                    (m->dialogue_present ? SSGW_TCAP_EL_DIALOGUE : 0u) |
                    (ncomp > 0 ? SSGW_TCAP_EL_COMPONENTS : 0u);
    static const struct {
        unsigned bit;
        const char *field;
    } names[] = {{SSGW_TCAP_EL_OTID, "otid"},
                 {SSGW_TCAP_EL_DTID, "dtid"},
                 {SSGW_TCAP_EL_PABORT, "p-abort cause"},
                 {SSGW_TCAP_EL_DIALOGUE, "dialogue portion"},
                 {SSGW_TCAP_EL_COMPONENTS, "component portion"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if ((rule->mandatory & names[i].bit) && !(have & names[i].bit))
            return fail(err, SSGW_E_MISSING, names[i].field);
        if (!(rule->allowed & names[i].bit) && (have & names[i].bit))
            return fail(err, SSGW_E_BAD_TAG, names[i].field);
    }
    if (m->pabort_present && m->dialogue_present) return fail(err, SSGW_E_BAD_TAG, "abort reason");
    if (m->pabort_present && (m->pabort_cause < 0 || m->pabort_cause > 127))
        return fail(err, SSGW_E_BAD_VALUE, "p-abort cause");
    if (m->dialogue_present && (unsigned)m->dialogue.type < 32 &&
        !(rule->dialogues & (1u << m->dialogue.type)))
        return fail(err, SSGW_E_BAD_TAG, "dialogue pdu");

    size_t start = b->len;
    size_t msg = ssgw_ber_open(b, SSGW_BER_APPLICATION, (uint32_t)m->type);
    if (m->otid.present && put_tid(b, 8, &m->otid, "otid", err) < 0) goto undo;
    if (m->dtid.present && put_tid(b, 9, &m->dtid, "dtid", err) < 0) goto undo;
    if (m->pabort_present) ssgw_ber_put_int(b, SSGW_BER_APPLICATION, 10, m->pabort_cause);
    if (m->dialogue_present && ssgw_tcap_encode_dialogue(b, &m->dialogue, err) < 0) goto undo;
    if (ncomp > 0) {
        size_t cp = ssgw_ber_open(b, SSGW_BER_APPLICATION, 12);
        for (size_t i = 0; i < ncomp; i++)
            if (ssgw_tcap_encode_component(b, &comps[i], err) < 0) goto undo;
        ssgw_ber_close(b, cp);
    }
    ssgw_ber_close(b, msg);
    if (b->overflow) return fail(err, SSGW_E_TOO_BIG, "message");
    return 0;
undo:
    if (!b->overflow && start <= b->len) b->len = start;
    return -1;
}
