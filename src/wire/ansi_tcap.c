/*
 * ansi_tcap.c - ANSI TCAP (ATIS T1.114, the TCAPPackage module as shipped
 * with Wireshark's ansi_tcap dissector; see include/ssgw/ansi_tcap.h).
 *
 * Every element is a PRIVATE-class tag: the package type, TransactionID [7],
 * ComponentSequence [8], DialoguePortion [25] (version [26], integer [27] or
 * object [28] application context), P-Abort-cause [23], UserAbortInformation
 * [24]; components [9]..[14] with componentIDs [15], operation codes national
 * [16] / private [17] (primitive) and error codes national [19] / private
 * [20], rejectProblem [21], and a parameter that is a paramSequence [16] or
 * paramSet [18] (constructed: the constructed bit tells it from a national
 * operation code).
 */
#include "ssgw/ansi_tcap.h"

#include <string.h>

#include "ber_inline.h"
#include "ssgw/ber.h"

#define PRI SSGW_BER_PRIVATE

enum {
    T_TRANSACTION_ID = 7,
    T_COMPONENT_SEQUENCE = 8,
    T_COMPONENT_IDS = 15,
    T_OP_NATIONAL = 16, /* primitive; constructed it is a paramSequence */
    T_OP_PRIVATE = 17,
    T_PARAM_SET = 18,
    T_ERR_NATIONAL = 19,
    T_ERR_PRIVATE = 20,
    T_REJECT_PROBLEM = 21,
    T_PABORT_CAUSE = 23,
    T_UABORT_INFO = 24,
    T_DIALOGUE = 25,
    T_VERSION = 26,
    T_APP_INTEGER = 27,
    T_APP_OID = 28,
};

#define FAIL(code, field, off) ssgw_fail(err, SSGW_LAYER_ANSI_TCAP, (code), (field), (off))

const char *ssgw_ansi_tcap_pkg_name(int type)
{
    switch (type) {
    case SSGW_ANSI_TCAP_UNIDIRECTIONAL:
        return "unidirectional";
    case SSGW_ANSI_TCAP_QUERY_WITH_PERM:
        return "queryWithPerm";
    case SSGW_ANSI_TCAP_QUERY_WITHOUT_PERM:
        return "queryWithoutPerm";
    case SSGW_ANSI_TCAP_RESPONSE:
        return "response";
    case SSGW_ANSI_TCAP_CONVERSATION_WITH_PERM:
        return "conversationWithPerm";
    case SSGW_ANSI_TCAP_CONVERSATION_WITHOUT_PERM:
        return "conversationWithoutPerm";
    case SSGW_ANSI_TCAP_ABORT:
        return "abort";
    default:
        return "unknown";
    }
}

bool ssgw_ansi_tcap_is_package(uint8_t first_octet)
{
    /* PRIVATE, constructed, tag 1..6 or 22 */
    return (first_octet >= 0xe1 && first_octet <= 0xe6) || first_octet == 0xf6;
}

const char *ssgw_ansi_comp_type_name(int type)
{
    static const char *const n[] = {"invokeLast", "returnResultLast", "returnError",
                                    "reject",     "invokeNotLast",    "returnResultNotLast"};
    return type >= SSGW_ANSI_COMP_INVOKE_LAST && type <= SSGW_ANSI_COMP_RETURN_RESULT_NOT_LAST
               ? n[type - SSGW_ANSI_COMP_INVOKE_LAST]
               : "unknown";
}

const char *ssgw_ansi_code_kind_name(int kind)
{
    static const char *const n[] = {"none", "national", "private"};
    return kind >= 0 && kind <= SSGW_ANSI_CODE_PRIVATE ? n[kind] : "unknown";
}

const char *ssgw_ansi_tcap_pabort_name(int cause)
{
    static const char *const n[] = {NULL,
                                    "unrecognizedPackageType",
                                    "incorrectTransactionPortion",
                                    "badlyStructuredTransactionPortion",
                                    "unassignedRespondingTransactionID",
                                    "permissionToReleaseProblem",
                                    "resourceUnavailable",
                                    "unrecognizedDialoguePortionID",
                                    "badlyStructuredDialoguePortion",
                                    "missingDialoguePortion",
                                    "inconsistentDialoguePortion"};
    return cause >= 1 && cause <= 10 ? n[cause] : "unknown";
}

/* ---- decoding ----------------------------------------------------------------------------- */

typedef struct {
    const uint8_t *base;
    ssgw_error *err;
} dctx;

static int next(dctx *c, ssgw_ber_iter *it, ssgw_ber_tlv *t, const char *field)
{
    return ssgw_ber_next_in(it, t, SSGW_LAYER_ANSI_TCAP, field, c->base, c->err);
}

static size_t off(dctx *c, const ssgw_ber_tlv *t)
{
    return (size_t)(t->val - t->hdr_len - c->base);
}

/* An unsigned code of 1..4 octets. */
static int get_code(dctx *c, const ssgw_ber_tlv *t, const char *field, uint32_t *out)
{
    ssgw_error *err = c->err;
    if (t->constructed || t->len < 1 || t->len > 4)
        return FAIL(SSGW_E_BAD_LENGTH, field, off(c, t));
    uint32_t v = 0;
    for (size_t i = 0; i < t->len; i++)
        v = v << 8 | t->val[i];
    *out = v;
    return 0;
}

static int get_int(dctx *c, const ssgw_ber_tlv *t, const char *field, int32_t *out)
{
    ssgw_error e, *err = c->err;
    int64_t v;
    if (t->constructed || ssgw_ber_get_int(t, &v, field, &e) < 0 || v < INT32_MIN || v > INT32_MAX)
        return FAIL(SSGW_E_BAD_VALUE, field, off(c, t));
    *out = (int32_t)v;
    return 0;
}

static int decode_component(dctx *c, const ssgw_ber_tlv *ct, ssgw_ansi_tcap_component *o)
{
    ssgw_error *err = c->err;
    memset(o, 0, sizeof *o);
    if (ct->cls != PRI || !ct->constructed || ct->tag < SSGW_ANSI_COMP_INVOKE_LAST ||
        ct->tag > SSGW_ANSI_COMP_RETURN_RESULT_NOT_LAST)
        return FAIL(SSGW_E_BAD_TAG, "component type", off(c, ct));
    o->type = (ssgw_ansi_comp_type)ct->tag;
    bool invoke =
        o->type == SSGW_ANSI_COMP_INVOKE_LAST || o->type == SSGW_ANSI_COMP_INVOKE_NOT_LAST;
    bool error = o->type == SSGW_ANSI_COMP_RETURN_ERROR;
    bool reject = o->type == SSGW_ANSI_COMP_REJECT;
    ssgw_ber_iter it;
    ssgw_ber_tlv t;
    int r, pos = 0;
    bool have_ids = false, have_code = false, have_problem = false;
    ssgw_ber_iter_init(&it, ct->val, ct->len);
    while ((r = next(c, &it, &t, "component")) > 0) {
        if (t.cls != PRI) return FAIL(SSGW_E_BAD_TAG, "component element", off(c, &t));
        if (t.tag == T_COMPONENT_IDS && !t.constructed && pos == 0) {
            if (t.len > (invoke ? 2u : 1u))
                return FAIL(SSGW_E_BAD_LENGTH, "component ids", off(c, &t));
            o->n_ids = (uint8_t)t.len;
            memcpy(o->ids, t.val, t.len);
            have_ids = true;
        } else if (invoke && !have_code && !t.constructed &&
                   (t.tag == T_OP_NATIONAL || t.tag == T_OP_PRIVATE)) {
            if (get_code(c, &t, "operation code", &o->op_code) < 0) return -1;
            o->op_kind = t.tag == T_OP_NATIONAL ? SSGW_ANSI_CODE_NATIONAL : SSGW_ANSI_CODE_PRIVATE;
            uint8_t fam = t.len >= 2 ? t.val[t.len - 2] : 0;
            o->reply_required = (fam & 0x80) != 0;
            o->op_family = fam & 0x7f;
            o->op_specifier = t.val[t.len - 1];
            have_code = true;
        } else if (error && !have_code && !t.constructed &&
                   (t.tag == T_ERR_NATIONAL || t.tag == T_ERR_PRIVATE)) {
            if (get_code(c, &t, "error code", &o->error_code) < 0) return -1;
            o->error_kind =
                t.tag == T_ERR_NATIONAL ? SSGW_ANSI_CODE_NATIONAL : SSGW_ANSI_CODE_PRIVATE;
            have_code = true;
        } else if (reject && !have_problem && !t.constructed && t.tag == T_REJECT_PROBLEM) {
            if (get_int(c, &t, "reject problem", &o->reject_problem) < 0) return -1;
            have_problem = true;
        } else if (t.constructed && (t.tag == T_OP_NATIONAL || t.tag == T_PARAM_SET) &&
                   !o->param_present) {
            o->param_present = true;
            o->param_tlv = t.val - t.hdr_len;
            o->param_tlv_len = t.total;
        } else {
            return FAIL(SSGW_E_BAD_TAG, "component element", off(c, &t));
        }
        pos++;
    }
    if (r < 0) return -1;
    if (!invoke && !have_ids && !reject) return FAIL(SSGW_E_MISSING, "component id", off(c, ct));
    if ((invoke || error) && !have_code)
        return FAIL(SSGW_E_MISSING, invoke ? "operation code" : "error code", off(c, ct));
    if (reject && !have_problem) return FAIL(SSGW_E_MISSING, "reject problem", off(c, ct));
    return 0;
}

static int decode_dialogue(dctx *c, const ssgw_ber_tlv *dt, ssgw_ansi_tcap_msg *m)
{
    ssgw_error *err = c->err;
    ssgw_ber_iter it;
    ssgw_ber_tlv t;
    int r;
    m->dialogue_present = true;
    ssgw_ber_iter_init(&it, dt->val, dt->len);
    while ((r = next(c, &it, &t, "dialogue portion")) > 0) {
        if (t.cls == PRI && t.tag == T_VERSION && !t.constructed) {
            if (t.len != 1) return FAIL(SSGW_E_BAD_LENGTH, "protocol version", off(c, &t));
            m->has_version = true;
            m->version = t.val[0];
        } else if (t.cls == PRI && t.tag == T_APP_INTEGER && !t.constructed) {
            if (get_int(c, &t, "application context", &m->app_context) < 0) return -1;
            m->has_app_context = true;
        } else if (t.cls == PRI && t.tag == T_APP_OID && !t.constructed) {
            if (t.len == 0) return FAIL(SSGW_E_BAD_LENGTH, "application context", off(c, &t));
            m->app_context_oid = t.val;
            m->app_context_oid_len = t.len;
        }
        /* user information, security context, confidentiality: not needed */
    }
    return r;
}

int ssgw_ansi_tcap_decode(const uint8_t *buf, size_t len, ssgw_ansi_tcap_msg *out,
                          ssgw_ansi_tcap_component *comps, unsigned max, unsigned *n,
                          bool *truncated, ssgw_error *err)
{
    dctx c = {buf, err};
    ssgw_ber_tlv pkg, t;
    ssgw_error e;
    memset(out, 0, sizeof *out);
    *n = 0;
    *truncated = false;
    if (ssgw_ber_read_fast(buf, len, &pkg, &e) < 0)
        return ssgw_fail(err, SSGW_LAYER_ANSI_TCAP, e.code, "package type", e.offset);
    if (pkg.cls != PRI || !pkg.constructed || !ssgw_ansi_tcap_is_package(buf[0]))
        return FAIL(SSGW_E_BAD_TAG, "package type", 0);
    if (pkg.total != len) return FAIL(SSGW_E_BAD_LENGTH, "package", pkg.total);
    out->type = (ssgw_ansi_tcap_pkg)pkg.tag;
    bool abort = out->type == SSGW_ANSI_TCAP_ABORT;
    ssgw_ber_iter it;
    int r;
    bool have_tid = false;
    ssgw_ber_iter_init(&it, pkg.val, pkg.len);
    while ((r = next(&c, &it, &t, "package")) > 0) {
        if (!have_tid) {
            if (t.cls != PRI || t.tag != T_TRANSACTION_ID || t.constructed)
                return FAIL(SSGW_E_MISSING, "transaction id", off(&c, &t));
            size_t want = out->type == SSGW_ANSI_TCAP_UNIDIRECTIONAL ? 0
                          : out->type == SSGW_ANSI_TCAP_CONVERSATION_WITH_PERM ||
                                  out->type == SSGW_ANSI_TCAP_CONVERSATION_WITHOUT_PERM
                              ? 8
                              : 4;
            if (t.len != want) return FAIL(SSGW_E_BAD_LENGTH, "transaction id", off(&c, &t));
            out->tid = t.val;
            out->tid_len = t.len;
            if (want == 8 || out->type == SSGW_ANSI_TCAP_QUERY_WITH_PERM ||
                out->type == SSGW_ANSI_TCAP_QUERY_WITHOUT_PERM) {
                out->has_otid = true;
                memcpy(out->otid, t.val, 4);
            }
            if (want == 8 || out->type == SSGW_ANSI_TCAP_RESPONSE || abort) {
                out->has_rtid = true;
                memcpy(out->rtid, t.val + (want == 8 ? 4 : 0), 4);
            }
            have_tid = true;
            continue;
        }
        if (t.cls != PRI) return FAIL(SSGW_E_BAD_TAG, "package element", off(&c, &t));
        if (t.tag == T_DIALOGUE && t.constructed && !out->dialogue_present &&
            !out->components_present && !out->pabort_present) {
            if (decode_dialogue(&c, &t, out) < 0) return -1;
        } else if (abort && t.tag == T_PABORT_CAUSE && !t.constructed && !out->pabort_present &&
                   !out->uabort_present) {
            if (get_int(&c, &t, "p-abort cause", &out->pabort_cause) < 0) return -1;
            out->pabort_present = true;
        } else if (abort && t.tag == T_UABORT_INFO && t.constructed && !out->pabort_present &&
                   !out->uabort_present) {
            out->uabort_present = true;
        } else if (!abort && t.tag == T_COMPONENT_SEQUENCE && t.constructed &&
                   !out->components_present) {
            out->components_present = true;
            out->components = t.val;
            out->components_len = t.len;
        } else {
            return FAIL(SSGW_E_BAD_TAG, "package element", off(&c, &t));
        }
    }
    if (r < 0) return -1;
    if (!have_tid) return FAIL(SSGW_E_MISSING, "transaction id", pkg.hdr_len);
    if (out->type == SSGW_ANSI_TCAP_UNIDIRECTIONAL && !out->components_present)
        return FAIL(SSGW_E_MISSING, "component sequence", len);
    if (!out->components_present) return 0;
    ssgw_ber_iter_init(&it, out->components, out->components_len);
    while ((r = next(&c, &it, &t, "component")) > 0) {
        ssgw_ansi_tcap_component tmp;
        ssgw_ansi_tcap_component *dst = *n < max ? &comps[*n] : &tmp;
        if (decode_component(&c, &t, dst) < 0) return -1;
        if (*n < max)
            (*n)++;
        else
            *truncated = true;
        out->component_count++;
    }
    return r < 0 ? -1 : 0;
}

/* ---- encoding ----------------------------------------------------------------------------- */

static void put_code(ssgw_buf *b, uint32_t tag, const ssgw_ansi_tcap_component *c)
{
    uint8_t v[2] = {(uint8_t)((c->reply_required ? 0x80 : 0) | (c->op_family & 0x7f)),
                    c->op_specifier};
    ssgw_ber_put_tlv(b, PRI, false, tag, v, 2);
}

int ssgw_ansi_tcap_encode(ssgw_buf *b, const ssgw_ansi_tcap_msg *m,
                          const ssgw_ansi_tcap_component *comps, size_t ncomp, ssgw_error *err)
{
    if (!ssgw_ansi_tcap_is_package((uint8_t)(0xe0 | m->type)))
        return FAIL(SSGW_E_BAD_VALUE, "package type", 0);
    bool abort = m->type == SSGW_ANSI_TCAP_ABORT;
    size_t pkg = ssgw_ber_open(b, PRI, m->type);
    uint8_t tid[8];
    size_t tl = 0;
    if (m->has_otid) {
        memcpy(tid, m->otid, 4);
        tl = 4;
    }
    if (m->has_rtid) {
        memcpy(tid + tl, m->rtid, 4);
        tl += 4;
    }
    ssgw_ber_put_tlv(b, PRI, false, T_TRANSACTION_ID, tid, tl);
    if (m->dialogue_present) {
        size_t d = ssgw_ber_open(b, PRI, T_DIALOGUE);
        if (m->has_version) ssgw_ber_put_tlv(b, PRI, false, T_VERSION, &m->version, 1);
        if (m->has_app_context) ssgw_ber_put_int(b, PRI, T_APP_INTEGER, m->app_context);
        ssgw_ber_close(b, d);
    }
    if (abort) {
        if (!m->pabort_present) return FAIL(SSGW_E_MISSING, "p-abort cause", 0);
        ssgw_ber_put_int(b, PRI, T_PABORT_CAUSE, m->pabort_cause);
    } else if (ncomp) {
        size_t cs = ssgw_ber_open(b, PRI, T_COMPONENT_SEQUENCE);
        for (size_t i = 0; i < ncomp; i++) {
            const ssgw_ansi_tcap_component *c = &comps[i];
            if (c->type < SSGW_ANSI_COMP_INVOKE_LAST ||
                c->type > SSGW_ANSI_COMP_RETURN_RESULT_NOT_LAST || c->n_ids > 2)
                return FAIL(SSGW_E_BAD_VALUE, "component", 0);
            size_t cm = ssgw_ber_open(b, PRI, c->type);
            ssgw_ber_put_tlv(b, PRI, false, T_COMPONENT_IDS, c->ids, c->n_ids);
            if (c->op_kind != SSGW_ANSI_CODE_NONE)
                put_code(b, c->op_kind == SSGW_ANSI_CODE_NATIONAL ? T_OP_NATIONAL : T_OP_PRIVATE,
                         c);
            if (c->error_kind != SSGW_ANSI_CODE_NONE)
                ssgw_ber_put_int(b, PRI,
                                 c->error_kind == SSGW_ANSI_CODE_NATIONAL ? T_ERR_NATIONAL
                                                                          : T_ERR_PRIVATE,
                                 c->error_code);
            if (c->type == SSGW_ANSI_COMP_REJECT) {
                ssgw_ber_put_int(b, PRI, T_REJECT_PROBLEM, c->reject_problem);
                if (!c->param_present) /* an empty paramSequence: the CHOICE is not optional */
                    ssgw_ber_put_tlv(b, PRI, true, T_OP_NATIONAL, c->ids, 0);
            }
            if (c->param_present) ssgw_buf_put(b, c->param_tlv, c->param_tlv_len);
            ssgw_ber_close(b, cm);
        }
        ssgw_ber_close(b, cs);
    }
    ssgw_ber_close(b, pkg);
    if (b->overflow) return FAIL(SSGW_E_TOO_BIG, "package", b->len);
    return 0;
}

/* ---- ANSI-41 operations ----------------------------------------------------------------- */

/* Names by specifier (designated: every specifier once, -Woverride-init refuses a repeat). */
static const char *const ansi41_names[256] = {
#define ANSI41_OP(spec, name) [spec] = name,
#include "ansi41_ops.def"
};

/* The specifiers in order. */
static const uint8_t ansi41_specs[] = {
#define ANSI41_OP(spec, name) spec,
#include "ansi41_ops.def"
};

#define N_ANSI41 (sizeof ansi41_specs / sizeof ansi41_specs[0])

const char *ssgw_ansi41_op_name(int specifier)
{
    return specifier >= 0 && specifier < 256 ? ansi41_names[specifier] : NULL;
}

size_t ssgw_ansi41_op_count(void)
{
    return N_ANSI41;
}

int ssgw_ansi41_op_at(size_t i)
{
    return i < N_ANSI41 ? ansi41_specs[i] : -1;
}
