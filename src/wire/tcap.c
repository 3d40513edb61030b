/*
 * tcap.c - TCAP transaction portion and component decoding (ITU-T Q.773).
 *
 * Q.773 clause 4.2.1 / tables 8-11: the TC messages Unidirectional [APPLICATION 1],
 * Begin [2], End [4], Continue [5] and Abort [7]; transaction IDs [APPLICATION 8]/[9]
 * of 1..4 octets; P-AbortCause [APPLICATION 10]; dialogue portion [APPLICATION 11]
 * (decoded in tcap_dialogue.c); component portion [APPLICATION 12].
 * Q.773 clause 4.2.3 / tables 12-20: the components Invoke [1], ReturnResultLast [2],
 * ReturnError [3], Reject [4] and ReturnResultNotLast [7].
 *
 * Elements of a message must appear in the order of the ASN.1 SEQUENCE, at most once,
 * and only where the rule table below allows them. Lengths are read with the BER
 * primitives, so indefinite lengths are accepted anywhere a constructed value appears.
 *
 * Hand-written where measured (issue 16): the common messages are read in one pass
 * (decode_msg_one_pass: the transaction portion in SEQUENCE order, the dialogue portion by
 * ssgw_tcap_dialogue_one_pass, the components by component_common: invoke, returnResult,
 * returnError and reject with one-octet integers and lengths of up to two octets), writing
 * the members instead of clearing the structs; anything else goes to the general decoders
 * (decode_msg_general, ssgw_tcap_decode_component_general), whose results and errors are
 * the reference (test_tcap_paths, fuzz_tcap).
 */
#include "ssgw/tcap.h"

#include <stddef.h>
#include <string.h>

#include "ber_inline.h"
#include "tcap_int.h"

/* Q.773 tables 8-11 (elements) and Q.774 3.2 (which dialogue APDU goes where). An AARE
 * may be carried in an Abort when the responder refuses the dialogue. */
/* A token-only dialogue portion (SSGW_TCAP_DLG_OTHER) may stand in any message type. */
#define TOKEN_DLG (1u << SSGW_TCAP_DLG_OTHER)
static const ssgw_tcap_msg_rule msg_rules[] = {
    {SSGW_TCAP_UNIDIRECTIONAL, SSGW_TCAP_EL_COMPONENTS,
     SSGW_TCAP_EL_DIALOGUE | SSGW_TCAP_EL_COMPONENTS, (1u << SSGW_TCAP_DLG_AUDT) | TOKEN_DLG},
    {SSGW_TCAP_BEGIN, SSGW_TCAP_EL_OTID,
     SSGW_TCAP_EL_OTID | SSGW_TCAP_EL_DIALOGUE | SSGW_TCAP_EL_COMPONENTS,
     (1u << SSGW_TCAP_DLG_AARQ) | TOKEN_DLG},
    {SSGW_TCAP_END, SSGW_TCAP_EL_DTID,
     SSGW_TCAP_EL_DTID | SSGW_TCAP_EL_DIALOGUE | SSGW_TCAP_EL_COMPONENTS,
     (1u << SSGW_TCAP_DLG_AARE) | TOKEN_DLG},
    {SSGW_TCAP_CONTINUE, SSGW_TCAP_EL_OTID | SSGW_TCAP_EL_DTID,
     SSGW_TCAP_EL_OTID | SSGW_TCAP_EL_DTID | SSGW_TCAP_EL_DIALOGUE | SSGW_TCAP_EL_COMPONENTS,
     (1u << SSGW_TCAP_DLG_AARE) | TOKEN_DLG},
    {SSGW_TCAP_ABORT, SSGW_TCAP_EL_DTID,
     SSGW_TCAP_EL_DTID | SSGW_TCAP_EL_PABORT | SSGW_TCAP_EL_DIALOGUE,
     (1u << SSGW_TCAP_DLG_AARE) | (1u << SSGW_TCAP_DLG_ABRT) | TOKEN_DLG},
};

const ssgw_tcap_msg_rule *ssgw_tcap_msg_rule_for(ssgw_tcap_msg_type t)
{
    switch (t) { /* the order of msg_rules */
    case SSGW_TCAP_UNIDIRECTIONAL:
        return &msg_rules[0];
    case SSGW_TCAP_BEGIN:
        return &msg_rules[1];
    case SSGW_TCAP_END:
        return &msg_rules[2];
    case SSGW_TCAP_CONTINUE:
        return &msg_rules[3];
    case SSGW_TCAP_ABORT:
        return &msg_rules[4];
    }
    return NULL;
}

const char *ssgw_tcap_msg_type_name(ssgw_tcap_msg_type t)
{
    switch (t) {
    case SSGW_TCAP_UNIDIRECTIONAL:
        return "unidirectional";
    case SSGW_TCAP_BEGIN:
        return "begin";
    case SSGW_TCAP_END:
        return "end";
    case SSGW_TCAP_CONTINUE:
        return "continue";
    case SSGW_TCAP_ABORT:
        return "abort";
    }
    return "unknown";
}

static const char *const pabort_names[] = {
    "unrecognizedMessageType",     "unrecognizedTransactionID", "badlyFormattedTransactionPortion",
    "incorrectTransactionPortion", "resourceLimitation",
};

const char *ssgw_tcap_pabort_cause_name(int cause)
{
    if (cause < 0 || (size_t)cause >= sizeof pabort_names / sizeof pabort_names[0])
        return "unknown";
    return pabort_names[cause];
}

const char *ssgw_tcap_comp_type_name(ssgw_tcap_comp_type t)
{
    switch (t) {
    case SSGW_TCAP_COMP_INVOKE:
        return "invoke";
    case SSGW_TCAP_COMP_RETURN_RESULT_LAST:
        return "returnResultLast";
    case SSGW_TCAP_COMP_RETURN_ERROR:
        return "returnError";
    case SSGW_TCAP_COMP_REJECT:
        return "reject";
    case SSGW_TCAP_COMP_RETURN_RESULT_NOT_LAST:
        return "returnResultNotLast";
    }
    return "unknown";
}

const char *ssgw_tcap_code_kind_name(ssgw_tcap_code_kind k)
{
    switch (k) {
    case SSGW_TCAP_CODE_NONE:
        return "none";
    case SSGW_TCAP_CODE_LOCAL:
        return "local";
    case SSGW_TCAP_CODE_GLOBAL:
        return "global";
    }
    return "unknown";
}

const char *ssgw_tcap_problem_type_name(ssgw_tcap_problem_type t)
{
    switch (t) {
    case SSGW_TCAP_PROBLEM_GENERAL:
        return "general";
    case SSGW_TCAP_PROBLEM_INVOKE:
        return "invoke";
    case SSGW_TCAP_PROBLEM_RETURN_RESULT:
        return "returnResult";
    case SSGW_TCAP_PROBLEM_RETURN_ERROR:
        return "returnError";
    }
    return "unknown";
}

/* Q.773 tables 17-20 (GeneralProblem, InvokeProblem, ReturnResultProblem, ReturnErrorProblem). */
static const char *const general_problems[] = {"unrecognizedComponent", "mistypedComponent",
                                               "badlyStructuredComponent"};
static const char *const invoke_problems[] = {
    "duplicateInvokeID",        "unrecognizedOperation",    "mistypedParameter",
    "resourceLimitation",       "initiatingRelease",        "unrecognizedLinkedID",
    "linkedResponseUnexpected", "unexpectedLinkedOperation"};
static const char *const rr_problems[] = {"unrecognizedInvokeID", "returnResultUnexpected",
                                          "mistypedParameter"};
static const char *const re_problems[] = {"unrecognizedInvokeID", "returnErrorUnexpected",
                                          "unrecognizedError", "unexpectedError",
                                          "mistypedParameter"};

const char *ssgw_tcap_problem_name(ssgw_tcap_problem_type t, int64_t code)
{
    const char *const *names;
    size_t n;
    switch (t) {
    case SSGW_TCAP_PROBLEM_GENERAL:
        names = general_problems, n = 3;
        break;
    case SSGW_TCAP_PROBLEM_INVOKE:
        names = invoke_problems, n = 8;
        break;
    case SSGW_TCAP_PROBLEM_RETURN_RESULT:
        names = rr_problems, n = 3;
        break;
    case SSGW_TCAP_PROBLEM_RETURN_ERROR:
        names = re_problems, n = 5;
        break;
    default:
        return "unknown";
    }
    return code >= 0 && (uint64_t)code < n ? names[code] : "unknown";
}

void ssgw_tcap_tid_set(ssgw_tcap_tid *t, uint32_t v, unsigned len)
{
    memset(t, 0, sizeof *t);
    if (len < 1 || len > 4) return;
    t->present = true;
    t->len = (uint8_t)len;
    for (unsigned i = 0; i < len; i++)
        t->bytes[i] = (uint8_t)(v >> (8 * (len - 1 - i)));
    t->value = len == 4 ? v : v & ((1u << (8 * len)) - 1);
}

static int fail(ssgw_error *err, ssgw_errcode code, const char *field, size_t off)
{
    return ssgw_fail(err, SSGW_LAYER_TCAP, code, field, off);
}

static ssgw_tcap_span span_at(const ssgw_ber_tlv *t, size_t off)
{
    ssgw_tcap_span s = {off, t->total, t->hdr_len, t->indefinite};
    return s;
}

/* Reads one TLV at buf (which lies at `base` in the caller's buffer); a BER error is
 * reported as a TCAP error on `field`. */
static int read_el(const uint8_t *buf, size_t len, size_t base, ssgw_ber_tlv *t, const char *field,
                   ssgw_error *err)
{
    ssgw_error e;
    if (ssgw_ber_read_fast(buf, len, t, &e) < 0) return fail(err, e.code, field, base + e.offset);
    return 0;
}

/* Like ssgw_ber_next, with the error renamed; *off receives the element's offset in the
 * caller's buffer (contents start at `base`). */
static int next_el(ssgw_ber_iter *it, size_t base, ssgw_ber_tlv *t, size_t *off, const char *field,
                   ssgw_error *err)
{
    ssgw_error e;
    size_t pos = it->pos;
    int r = ssgw_ber_next_fast(it, t, &e);
    if (r < 0) return fail(err, e.code, field, base + e.offset);
    *off = base + pos;
    return r;
}

static int get_int(const ssgw_ber_tlv *t, size_t off, int64_t lo, int64_t hi, int64_t *v,
                   const char *field, ssgw_error *err)
{
    if (t->constructed || t->len < 1 || t->len > 8) return fail(err, SSGW_E_BAD_LENGTH, field, off);
    ssgw_error e;
    if (ssgw_ber_get_int(t, v, field, &e) < 0) return fail(err, e.code, field, off);
    if (*v < lo || *v > hi) return fail(err, SSGW_E_BAD_VALUE, field, off);
    return 0;
}

/* OPERATION / ERROR: CHOICE { localValue INTEGER, globalValue OBJECT IDENTIFIER }. */
static int get_code(const ssgw_ber_tlv *t, size_t off, ssgw_tcap_code *c, const char *field,
                    ssgw_error *err)
{
    if (ssgw_ber_is(t, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_INTEGER)) {
        c->kind = SSGW_TCAP_CODE_LOCAL;
        return get_int(t, off, INT64_MIN, INT64_MAX, &c->local, field, err);
    }
    if (ssgw_ber_is(t, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_OID)) {
        if (t->constructed || t->len == 0 || (t->val[t->len - 1] & 0x80))
            return fail(err, SSGW_E_BAD_VALUE, field, off);
        c->kind = SSGW_TCAP_CODE_GLOBAL;
        c->global = t->val;
        c->global_len = t->len;
        return 0;
    }
    return fail(err, SSGW_E_BAD_TAG, field, off);
}

static void set_param(ssgw_tcap_component *c, const uint8_t *buf, const ssgw_ber_tlv *t, size_t off)
{
    c->param_present = true;
    c->param_tlv = buf + off;
    c->param_tlv_len = t->total;
    c->param = t->val;
    c->param_len = t->len;
    c->param_span = span_at(t, off);
}

/* After the last element a component may hold: anything more is an error. */
static int expect_end(ssgw_ber_iter *it, size_t base, const char *field, ssgw_error *err)
{
    ssgw_ber_tlv t;
    size_t off = 0;
    int r = next_el(it, base, &t, &off, field, err);
    if (r < 0) return -1;
    if (r > 0) return fail(err, SSGW_E_BAD_TAG, field, off);
    return 0;
}

int ssgw_tcap_decode_component_general(const uint8_t *buf, size_t len, ssgw_tcap_component *c,
                                       ssgw_error *err)
{
    ssgw_ber_tlv t, e;
    size_t off = 0;
    int64_t v;

    memset(c, 0, sizeof *c);
    if (read_el(buf, len, 0, &t, "component", err) < 0) return -1;
    if (t.total != len) return fail(err, SSGW_E_BAD_LENGTH, "component", t.total);
    if (t.cls != SSGW_BER_CONTEXT || !t.constructed ||
        !(t.tag == 1 || t.tag == 2 || t.tag == 3 || t.tag == 4 || t.tag == 7))
        return fail(err, SSGW_E_BAD_TAG, "component type", 0);
    c->type = (ssgw_tcap_comp_type)t.tag;
    c->span = span_at(&t, 0);

    const char *name = ssgw_tcap_comp_type_name(c->type);
    size_t base = t.hdr_len;
    ssgw_ber_iter it;
    ssgw_ber_iter_init(&it, t.val, t.len);

    /* invokeID InvokeIdType, or for a Reject CHOICE { derivable, not-derivable NULL } */
    int r = next_el(&it, base, &e, &off, "invoke id", err);
    if (r < 0) return -1;
    if (r == 0) return fail(err, SSGW_E_MISSING, "invoke id", base);
    if (c->type == SSGW_TCAP_COMP_REJECT &&
        ssgw_ber_is(&e, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_NULL)) {
        if (e.constructed || e.len != 0) return fail(err, SSGW_E_BAD_LENGTH, "invoke id", off);
    } else {
        if (!ssgw_ber_is(&e, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_INTEGER))
            return fail(err, SSGW_E_BAD_TAG, "invoke id", off);
        if (get_int(&e, off, -128, 127, &v, "invoke id", err) < 0) return -1;
        c->invoke_id_present = true;
        c->invoke_id = (int)v;
    }

    switch (c->type) {
    case SSGW_TCAP_COMP_INVOKE:
        r = next_el(&it, base, &e, &off, "operation code", err);
        if (r < 0) return -1;
        if (r > 0 && ssgw_ber_is(&e, SSGW_BER_CONTEXT, 0)) {
            if (get_int(&e, off, -128, 127, &v, "linked id", err) < 0) return -1;
            c->linked_id_present = true;
            c->linked_id = (int)v;
            r = next_el(&it, base, &e, &off, "operation code", err);
            if (r < 0) return -1;
        }
        if (r == 0) return fail(err, SSGW_E_MISSING, "operation code", base + t.len);
        if (get_code(&e, off, &c->opcode, "operation code", err) < 0) return -1;
        r = next_el(&it, base, &e, &off, "parameter", err);
        if (r < 0) return -1;
        if (r > 0) set_param(c, buf, &e, off);
        return expect_end(&it, base, name, err);

    case SSGW_TCAP_COMP_RETURN_RESULT_LAST:
    case SSGW_TCAP_COMP_RETURN_RESULT_NOT_LAST:
        r = next_el(&it, base, &e, &off, "result", err);
        if (r < 0) return -1;
        if (r > 0) {
            /* result SEQUENCE { opcode, parameter OPTIONAL } */
            if (!ssgw_ber_is(&e, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE) || !e.constructed)
                return fail(err, SSGW_E_BAD_TAG, "result", off);
            ssgw_ber_iter in;
            ssgw_ber_tlv f;
            size_t ibase = off + e.hdr_len, foff = 0;
            ssgw_ber_iter_init(&in, e.val, e.len);
            r = next_el(&in, ibase, &f, &foff, "operation code", err);
            if (r < 0) return -1;
            if (r == 0) return fail(err, SSGW_E_MISSING, "operation code", ibase);
            if (get_code(&f, foff, &c->opcode, "operation code", err) < 0) return -1;
            r = next_el(&in, ibase, &f, &foff, "parameter", err);
            if (r < 0) return -1;
            if (r > 0) set_param(c, buf, &f, foff);
            if (expect_end(&in, ibase, "result", err) < 0) return -1;
        }
        return expect_end(&it, base, name, err);

    case SSGW_TCAP_COMP_RETURN_ERROR:
        r = next_el(&it, base, &e, &off, "error code", err);
        if (r < 0) return -1;
        if (r == 0) return fail(err, SSGW_E_MISSING, "error code", base + t.len);
        if (get_code(&e, off, &c->error, "error code", err) < 0) return -1;
        r = next_el(&it, base, &e, &off, "parameter", err);
        if (r < 0) return -1;
        if (r > 0) set_param(c, buf, &e, off);
        return expect_end(&it, base, name, err);

    case SSGW_TCAP_COMP_REJECT:
        r = next_el(&it, base, &e, &off, "problem", err);
        if (r < 0) return -1;
        if (r == 0) return fail(err, SSGW_E_MISSING, "problem", base + t.len);
        if (e.cls != SSGW_BER_CONTEXT || e.tag > 3)
            return fail(err, SSGW_E_BAD_TAG, "problem", off);
        c->problem_type = (ssgw_tcap_problem_type)e.tag;
        if (get_int(&e, off, INT64_MIN, INT64_MAX, &c->problem_code, "problem", err) < 0) return -1;
        return expect_end(&it, base, name, err);
    }
    return fail(err, SSGW_E_BAD_TAG, "component type", 0);
}

/*
 * The common components in one pass (measured: ~530 instructions a component through the
 * element-by-element decoder above in ssgw decode). Handled here: invoke, returnResult(Not)Last,
 * returnError and reject with minimal definite lengths of up to two octets, one-octet INTEGER
 * invoke id (or NULL in a reject), linked id, operation / error code and problem, and a
 * parameter that is one TLV with a low tag number. It checks what the general decoder checks
 * and writes every member the general decoder writes (without clearing the struct first: a
 * memset of it is counted per 8 octets); anything else (global codes, longer integers, long or
 * indefinite lengths, malformed input) makes it return false and the general decoder decides,
 * so results and errors are exactly its. test_tcap_paths runs both on generated messages, the
 * fuzz corpora and their mutations.
 */

/* Header of a TLV at b (left octets there) with a minimal definite length of at most two
 * octets whose contents fit in left: the header's length (2..4) and *n the contents' length,
 * or 0 for anything else. The caller checks the identifier octet. */
static inline __attribute__((always_inline)) size_t def_hdr(const uint8_t *b, size_t left,
                                                            size_t *n)
{
    size_t h, k;
    if (left < 2) return 0;
    if (b[1] < 0x80) {
        h = 2, k = b[1];
    } else if (b[1] == 0x81) {
        if (left < 3 || b[2] < 0x80) return 0;
        h = 3, k = b[2];
    } else if (b[1] == 0x82) {
        if (left < 4) return 0;
        h = 4, k = (size_t)b[2] << 8 | b[3];
        if (k < 0x100) return 0;
    } else {
        return 0;
    }
    if (k > left - h) return 0;
    *n = k;
    return h;
}

static inline bool int_octet(const uint8_t *p, const uint8_t *end, int64_t *v)
{
    if (end - p < 3 || p[0] != SSGW_BER_TAG_INTEGER || p[1] != 1) return false;
    *v = (int8_t)p[2];
    return true;
}

/* The parameter, if any, from p to the end: one TLV with a low tag number filling it exactly
 * (*h its header length, 0 for none). */
static inline __attribute__((always_inline)) bool last_param(const uint8_t *p, const uint8_t *end,
                                                             size_t *h, size_t *n)
{
    *h = 0, *n = 0;
    if (p == end) return true;
    if ((p[0] & 0x1f) == 0x1f) return false;
    *h = def_hdr(p, (size_t)(end - p), n);
    return *h != 0 && *h + *n == (size_t)(end - p);
}

/* The component TLV at p (h header octets, n contents octets), which lies at `at` in the
 * buffer the caller's spans are relative to. */
static inline __attribute__((always_inline)) bool
component_common(const uint8_t *p, size_t h, size_t n, size_t at, ssgw_tcap_component *c)
{
    const uint8_t *q = p + h, *end = q + n;
    switch (p[0]) { /* [CONTEXT n] constructed */
    case 0xa1:
    case 0xa2:
    case 0xa3:
    case 0xa4:
    case 0xa7:
        break;
    default:
        return false;
    }
    ssgw_tcap_comp_type type = (ssgw_tcap_comp_type)(p[0] & 0x1f);
    bool iid_present = true, linked_present = false;
    int64_t iid = 0, linked = 0, problem = 0;
    ssgw_tcap_problem_type ptype = SSGW_TCAP_PROBLEM_GENERAL;
    ssgw_tcap_code code = {SSGW_TCAP_CODE_NONE, 0, NULL, 0};
    size_t ph = 0, pn = 0;
    const uint8_t *param = NULL;

    /* invoke id: one octet is always in range; a reject's may be NULL */
    if (int_octet(q, end, &iid))
        q += 3;
    else if (type == SSGW_TCAP_COMP_REJECT && end - q >= 2 && q[0] == SSGW_BER_TAG_NULL &&
             q[1] == 0)
        iid_present = false, q += 2;
    else
        return false;
    switch (type) {
    case SSGW_TCAP_COMP_INVOKE:
        if (end - q >= 3 && q[0] == 0x80) { /* linked id [0] IMPLICIT INTEGER */
            if (q[1] != 1) return false;
            linked_present = true;
            linked = (int8_t)q[2];
            q += 3;
        }
        /* fall through */
    case SSGW_TCAP_COMP_RETURN_ERROR: /* the operation or error code, then the parameter */
        if (!int_octet(q, end, &code.local)) return false;
        code.kind = SSGW_TCAP_CODE_LOCAL;
        param = q + 3;
        if (!last_param(param, end, &ph, &pn)) return false;
        break;
    case SSGW_TCAP_COMP_REJECT: /* problem [0..3] IMPLICIT INTEGER, then nothing */
        if (end - q != 3 || q[0] < 0x80 || q[0] > 0x83 || q[1] != 1) return false;
        ptype = (ssgw_tcap_problem_type)(q[0] & 0x1f);
        problem = (int8_t)q[2];
        break;
    default: /* returnResult(Not)Last: [result SEQUENCE { opcode, [parameter] }] */
        if (q == end) break;
        {
            size_t sn, sh = q[0] == 0x30 ? def_hdr(q, (size_t)(end - q), &sn) : 0;
            if (!sh || sh + sn != (size_t)(end - q)) return false;
            q += sh;
        }
        if (!int_octet(q, end, &code.local)) return false;
        code.kind = SSGW_TCAP_CODE_LOCAL;
        param = q + 3;
        if (!last_param(param, end, &ph, &pn)) return false;
        break;
    }
    c->type = type;
    c->span = (ssgw_tcap_span){at, h + n, h, false};
    c->invoke_id_present = iid_present;
    c->invoke_id = (int)iid;
    c->linked_id_present = linked_present;
    c->linked_id = (int)linked;
    bool is_error = type == SSGW_TCAP_COMP_RETURN_ERROR; /* code is the error code */
    c->opcode.kind = is_error ? SSGW_TCAP_CODE_NONE : code.kind;
    c->opcode.local = is_error ? 0 : code.local;
    c->opcode.global = NULL;
    c->opcode.global_len = 0;
    c->error.kind = is_error ? code.kind : SSGW_TCAP_CODE_NONE;
    c->error.local = is_error ? code.local : 0;
    c->error.global = NULL;
    c->error.global_len = 0;
    c->problem_type = ptype;
    c->problem_code = problem;
    c->param_present = ph != 0;
    if (ph) {
        c->param_tlv = param;
        c->param_tlv_len = ph + pn;
        c->param = param + ph;
        c->param_len = pn;
        c->param_span = (ssgw_tcap_span){at + (size_t)(param - p), ph + pn, ph, false};
    } else {
        c->param_tlv = c->param = NULL;
        c->param_tlv_len = c->param_len = 0;
        c->param_span = (ssgw_tcap_span){0, 0, 0, false};
    }
    return true;
}

int ssgw_tcap_decode_component(const uint8_t *buf, size_t len, ssgw_tcap_component *c,
                               ssgw_error *err)
{
    size_t n, h = def_hdr(buf, len, &n);
    if (h && h + n == len && component_common(buf, h, n, 0, c)) return 0;
    return ssgw_tcap_decode_component_general(buf, len, c, err);
}

static void comp_rebase(ssgw_tcap_component *c, size_t d)
{
    c->span.off += d;
    if (c->param_present) c->param_span.off += d;
}

void ssgw_tcap_comp_iter_init(ssgw_tcap_comp_iter *it, const ssgw_tcap_msg *m)
{
    it->buf = m->components_present ? m->components : NULL;
    it->len = m->components_present ? m->components_len : 0;
    it->pos = 0;
    it->base = m->components_present ? m->components_span.off + m->components_span.hdr_len : 0;
}

int ssgw_tcap_comp_next(ssgw_tcap_comp_iter *it, ssgw_tcap_component *c, ssgw_error *err)
{
    ssgw_ber_tlv t;
    size_t at = it->base + it->pos;
    if (it->pos >= it->len) return 0;
    if (read_el(it->buf + it->pos, it->len - it->pos, at, &t, "component", err) < 0) return -1;
    if (ssgw_tcap_decode_component(it->buf + it->pos, t.total, c, err) < 0) {
        ssgw_error_rebase(err, at);
        return -1;
    }
    comp_rebase(c, at);
    it->pos += t.total;
    return 1;
}

/* Rank of each transaction-portion element in the SEQUENCE order. */
static inline __attribute__((always_inline)) int element_of(const ssgw_ber_tlv *t, unsigned *bit,
                                                            const char **field)
{
    if (t->cls != SSGW_BER_APPLICATION) return -1;
    switch (t->tag) {
    case 8:
        *bit = SSGW_TCAP_EL_OTID, *field = "otid";
        return 0;
    case 9:
        *bit = SSGW_TCAP_EL_DTID, *field = "dtid";
        return 1;
    case 10:
        *bit = SSGW_TCAP_EL_PABORT, *field = "p-abort cause";
        return 2;
    case 11:
        *bit = SSGW_TCAP_EL_DIALOGUE, *field = "dialogue portion";
        return 2;
    case 12:
        *bit = SSGW_TCAP_EL_COMPONENTS, *field = "component portion";
        return 3;
    }
    return -1;
}

static int get_tid(const ssgw_ber_tlv *t, size_t off, ssgw_tcap_tid *tid, const char *field,
                   ssgw_error *err)
{
    if (t->constructed) return fail(err, SSGW_E_BAD_TAG, field, off);
    if (t->len < 1 || t->len > 4) return fail(err, SSGW_E_BAD_LENGTH, field, off);
    tid->present = true;
    tid->len = (uint8_t)t->len;
    tid->value = 0;
    for (size_t i = 0; i < t->len; i++) {
        tid->bytes[i] = t->val[i];
        tid->value = (tid->value << 8) | t->val[i];
    }
    tid->span = span_at(t, off);
    return 0;
}

/* Where ssgw_tcap_decode_all() wants the components it validates (NULL: nowhere). */
typedef struct {
    ssgw_tcap_component *comps;
    unsigned max;
    unsigned n;
    bool truncated;
} comp_sink;

static int get_components(const uint8_t *buf, const ssgw_ber_tlv *t, size_t off, ssgw_tcap_msg *m,
                          comp_sink *sink, ssgw_error *err)
{
    if (!t->constructed) return fail(err, SSGW_E_BAD_TAG, "component portion", off);
    /* ComponentPortion ::= SEQUENCE SIZE (1..MAX) OF Component */
    if (t->len == 0) return fail(err, SSGW_E_BAD_LENGTH, "component portion", off);
    m->components_present = true;
    m->components_span = span_at(t, off);
    m->components = buf + off + t->hdr_len;
    m->components_len = t->len;
    ssgw_tcap_comp_iter it;
    ssgw_tcap_component scratch;
    int r;
    ssgw_tcap_comp_iter_init(&it, m);
    for (;;) {
        bool keep = sink && sink->n < sink->max;
        ssgw_tcap_component *c = keep ? &sink->comps[sink->n] : &scratch;
        r = ssgw_tcap_comp_next(&it, c, err);
        if (r <= 0) break;
        m->component_count++;
        if (keep)
            sink->n++;
        else if (sink)
            sink->truncated = true;
    }
    return r;
}

/* The whole message, element by element, for every shape. */
static int decode_msg_general(const uint8_t *buf, size_t len, ssgw_tcap_msg *m, comp_sink *sink,
                              ssgw_error *err)
{
    ssgw_ber_tlv t, e;
    memset(m, 0, sizeof *m);
    m->buf = buf;
    if (read_el(buf, len, 0, &t, "message", err) < 0) return -1;
    const ssgw_tcap_msg_rule *rule = NULL;
    if (t.cls == SSGW_BER_APPLICATION && t.constructed)
        rule = ssgw_tcap_msg_rule_for((ssgw_tcap_msg_type)t.tag);
    if (!rule) return fail(err, SSGW_E_BAD_TAG, "message type", 0);
    if (t.total != len) return fail(err, SSGW_E_BAD_LENGTH, "trailing bytes", t.total);
    m->type = rule->type;
    m->span = span_at(&t, 0);

    size_t base = t.hdr_len, off = 0;
    unsigned seen = 0;
    int last_rank = -1, r;
    ssgw_ber_iter it;
    ssgw_ber_iter_init(&it, t.val, t.len);
    while ((r = next_el(&it, base, &e, &off, "transaction portion", err)) > 0) {
        unsigned bit = 0;
        const char *field = "transaction portion";
        int rank = element_of(&e, &bit, &field);
        if (rank < 0) return fail(err, SSGW_E_BAD_TAG, "transaction portion", off);
        if (!(rule->allowed & bit)) return fail(err, SSGW_E_BAD_TAG, field, off);
        if (seen & bit) return fail(err, SSGW_E_DUPLICATE, field, off);
        if (rank <= last_rank) /* out of order, or both abort reasons */
            return fail(err, SSGW_E_BAD_TAG, field, off);
        last_rank = rank;
        seen |= bit;
        switch (bit) {
        case SSGW_TCAP_EL_OTID:
            if (get_tid(&e, off, &m->otid, field, err) < 0) return -1;
            break;
        case SSGW_TCAP_EL_DTID:
            if (get_tid(&e, off, &m->dtid, field, err) < 0) return -1;
            break;
        case SSGW_TCAP_EL_PABORT: {
            int64_t v;
            if (get_int(&e, off, 0, 127, &v, field, err) < 0) return -1;
            m->pabort_present = true;
            m->pabort_cause = (int)v;
            m->pabort_span = span_at(&e, off);
            break;
        }
        case SSGW_TCAP_EL_DIALOGUE:
            if (ssgw_tcap_decode_dialogue(buf + off, e.total, &m->dialogue, err) < 0) {
                ssgw_error_rebase(err, off);
                return -1;
            }
            m->dialogue.portion.off += off;
            m->dialogue.pdu.off += off;
            if (m->dialogue.user_info_present) m->dialogue.user_info_span.off += off;
            if (!(rule->dialogues & (1u << m->dialogue.type)))
                return fail(err, SSGW_E_BAD_TAG, "dialogue pdu", m->dialogue.pdu.off);
            m->dialogue_present = true;
            break;
        case SSGW_TCAP_EL_COMPONENTS:
            if (get_components(buf, &e, off, m, sink, err) < 0) return -1;
            break;
        }
    }
    if (r < 0) return -1;
    unsigned missing = rule->mandatory & ~seen;
    if (missing & SSGW_TCAP_EL_OTID) return fail(err, SSGW_E_MISSING, "otid", base);
    if (missing & SSGW_TCAP_EL_DTID) return fail(err, SSGW_E_MISSING, "dtid", base);
    if (missing & SSGW_TCAP_EL_COMPONENTS)
        return fail(err, SSGW_E_MISSING, "component portion", base + t.len);
    return 0;
}

/* A transaction ID [APPLICATION 8] / [9] (identifier id) of 1..4 octets at p, if p has one. */
static inline bool tid_at(const uint8_t *p, const uint8_t *end, uint8_t id)
{
    return end - p >= 2 && p[0] == id && p[1] >= 1 && p[1] <= 4 && p[1] <= end - p - 2;
}

static inline void put_tid(ssgw_tcap_tid *t, const uint8_t *p, size_t off)
{
    const uint8_t *v = p + 2;
    size_t n = p[1];
    uint32_t x;
    switch (n) {
    case 1:
        x = v[0];
        break;
    case 2:
        x = (uint32_t)v[0] << 8 | v[1];
        break;
    case 3:
        x = (uint32_t)v[0] << 16 | (uint32_t)v[1] << 8 | v[2];
        break;
    default:
        x = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
        break;
    }
    uint32_t w = x << (8 * (4 - n)); /* the wire octets first, zeros after */
    t->present = true;
    t->len = (uint8_t)n;
    t->bytes[0] = (uint8_t)(w >> 24);
    t->bytes[1] = (uint8_t)(w >> 16);
    t->bytes[2] = (uint8_t)(w >> 8);
    t->bytes[3] = (uint8_t)w;
    t->value = x;
    t->span = (ssgw_tcap_span){off, 2 + n, 2, false};
}

/*
 * One pass over the whole message for the common shapes (issue 16): a message of minimal
 * definite length (at most two length octets, as the dialogue and component portions)
 * holding, in order and each at most once, otid / dtid / a one-octet P-Abort cause or a
 * dialogue portion / component portion, as its rule allows and requires; dialogue portions
 * that ssgw_tcap_dialogue_one_pass or else the general dialogue decoder accepts; components
 * that component_common accepts. It writes every member of *m (and of the components kept)
 * that decode_msg_general writes, and returns true; or false for anything else, and the
 * general decoder then decodes the message afresh, so every error stays exactly its own (and
 * *m, the components and the sink are its). test_tcap_paths compares the two on generated
 * messages, the fuzz corpora, crafted messages and their truncations and mutations.
 */
static inline __attribute__((always_inline)) bool
decode_msg_one_pass(const uint8_t *buf, size_t len, ssgw_tcap_msg *m, comp_sink *sink)
{
    static const ssgw_tcap_tid no_tid = {false, 0, {0, 0, 0, 0}, 0, {0, 0, 0, false}};
    static const ssgw_tcap_span no_span = {0, 0, 0, false};
    size_t n, h = def_hdr(buf, len, &n);
    if (!h || h + n != len) return false;
    /* [APPLICATION n] constructed, n a message type (0x61 .. 0x67): its rule in msg_rules */
    static const signed char rule_at[7] = {0, 1, -1, 2, 3, -1, 4};
    unsigned type_at = buf[0] - 0x61u;
    if (type_at >= sizeof rule_at || rule_at[type_at] < 0) return false;
    const ssgw_tcap_msg_rule *rule = &msg_rules[rule_at[type_at]];
    m->type = rule->type;
    m->buf = buf;
    m->span = (ssgw_tcap_span){0, len, h, false};

    /* The elements in their SEQUENCE order, each taken at most once: anything left after
     * them (another element, one out of order or repeated, a longer P-Abort cause) sends the
     * message to the general decoder, as does an element the rule does not allow. */
    const uint8_t *p = buf + h, *end = buf + len;
    unsigned seen = 0;
    if (tid_at(p, end, 0x48)) { /* otid [APPLICATION 8] */
        put_tid(&m->otid, p, (size_t)(p - buf));
        seen |= SSGW_TCAP_EL_OTID;
        p += 2 + p[1];
    } else {
        m->otid = no_tid;
    }
    if (tid_at(p, end, 0x49)) { /* dtid [APPLICATION 9] */
        put_tid(&m->dtid, p, (size_t)(p - buf));
        seen |= SSGW_TCAP_EL_DTID;
        p += 2 + p[1];
    } else {
        m->dtid = no_tid;
    }
    m->pabort_present = false;
    m->pabort_cause = 0;
    m->pabort_span = no_span;
    m->dialogue_present = false;
    if (end - p >= 3 && p[0] == 0x4a && p[1] == 1 && p[2] < 0x80) { /* [APPLICATION 10] */
        m->pabort_present = true;
        m->pabort_cause = p[2];
        m->pabort_span = (ssgw_tcap_span){(size_t)(p - buf), 3, 2, false};
        seen |= SSGW_TCAP_EL_PABORT;
        p += 3;
    } else if (p < end && p[0] == 0x6b) { /* dialogue portion [APPLICATION 11] */
        size_t dn, dh = def_hdr(p, (size_t)(end - p), &dn), off = (size_t)(p - buf);
        ssgw_tcap_dialogue *d = &m->dialogue;
        if (!dh) return false;
        if (!ssgw_tcap_dialogue_one_pass(p, dh + dn, d)) {
            ssgw_error e;
            if (ssgw_tcap_decode_dialogue_general(p, dh + dn, d, &e) < 0) return false;
        }
        d->portion.off += off;
        d->pdu.off += off;
        if (d->user_info_present) d->user_info_span.off += off;
        if (!(rule->dialogues & (1u << d->type))) return false;
        m->dialogue_present = true;
        seen |= SSGW_TCAP_EL_DIALOGUE;
        p += dh + dn;
    }
    m->components_present = false;
    m->components_span = no_span;
    m->components = NULL;
    m->components_len = 0;
    m->component_count = 0;
    if (p < end && p[0] == 0x6c) { /* component portion [APPLICATION 12] */
        size_t cpn, cph = def_hdr(p, (size_t)(end - p), &cpn);
        if (!cph || cpn == 0) return false; /* SEQUENCE SIZE (1..MAX) OF Component */
        m->components_present = true;
        m->components_span = (ssgw_tcap_span){(size_t)(p - buf), cph + cpn, cph, false};
        m->components = p + cph;
        m->components_len = cpn;
        const uint8_t *q = p + cph, *qend = q + cpn;
        while (q < qend) {
            size_t cn, ch = def_hdr(q, (size_t)(qend - q), &cn);
            ssgw_tcap_component scratch;
            bool keep = sink && sink->n < sink->max;
            ssgw_tcap_component *c = keep ? &sink->comps[sink->n] : &scratch;
            if (!ch || !component_common(q, ch, cn, (size_t)(q - buf), c)) return false;
            m->component_count++;
            if (keep)
                sink->n++;
            else if (sink)
                sink->truncated = true;
            q += ch + cn;
        }
        seen |= SSGW_TCAP_EL_COMPONENTS;
        p = qend;
    }
    if (p != end || (seen & ~rule->allowed) || (rule->mandatory & ~seen)) return false;
    if (!m->dialogue_present) ssgw_tcap_dialogue_clear(&m->dialogue);
    return true;
}

static int decode_msg(const uint8_t *buf, size_t len, ssgw_tcap_msg *m, comp_sink *sink,
                      ssgw_error *err)
{
    if (decode_msg_one_pass(buf, len, m, sink)) return 0;
    if (sink) sink->n = 0, sink->truncated = false;
    return decode_msg_general(buf, len, m, sink, err);
}

int ssgw_tcap_decode(const uint8_t *buf, size_t len, ssgw_tcap_msg *m, ssgw_error *err)
{
    return decode_msg(buf, len, m, NULL, err);
}

int ssgw_tcap_decode_all(const uint8_t *buf, size_t len, ssgw_tcap_msg *m,
                         ssgw_tcap_component *comps, unsigned max, unsigned *n, bool *truncated,
                         ssgw_error *err)
{
    comp_sink sink = {.comps = comps, .max = max, .n = 0, .truncated = false};
    int r = decode_msg(buf, len, m, &sink, err);
    *n = sink.n;
    *truncated = sink.truncated;
    return r;
}

bool ssgw_tcap_decode_all_one_pass(const uint8_t *buf, size_t len, ssgw_tcap_msg *m,
                                   ssgw_tcap_component *comps, unsigned max, unsigned *n,
                                   bool *truncated)
{
    comp_sink sink = {.comps = comps, .max = max, .n = 0, .truncated = false};
    bool ok = decode_msg_one_pass(buf, len, m, &sink);
    *n = sink.n;
    *truncated = sink.truncated;
    return ok;
}

int ssgw_tcap_decode_all_general(const uint8_t *buf, size_t len, ssgw_tcap_msg *m,
                                 ssgw_tcap_component *comps, unsigned max, unsigned *n,
                                 bool *truncated, ssgw_error *err)
{
    comp_sink sink = {.comps = comps, .max = max, .n = 0, .truncated = false};
    int r = decode_msg_general(buf, len, m, &sink, err);
    *n = sink.n;
    *truncated = sink.truncated;
    return r;
}
