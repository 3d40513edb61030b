/*
 * m3ua.c - M3UA message codec (RFC 4666).
 *
 * Implements the common header (3.1), the parameter format and padding (3.2),
 * the checks of every message against the parameter table in m3ua_tables.c
 * (3.3-3.8), the Protocol Data parameter (3.3.1), Registration and
 * Deregistration Results (3.6.2, 3.6.4), stream framing for M3UA over TCP and
 * the encoders. See include/ssgw/m3ua.h for the strictness choices.
 *
 * Hand-written where measured: DATA, nearly all traffic, is read in one pass
 * (data_one_pass) instead of through the table (~390 instructions per message in
 * ssgw decode); anything it does not take goes to the table-driven decoder.
 */
#include "ssgw/m3ua.h"

#include <stdatomic.h>
#include <string.h>

#include "m3ua_int.h"
#include "util/bytes.h"

#define FAIL(code, field, off) ssgw_fail(err, SSGW_LAYER_M3UA, code, field, off)

static const char F_HEADER[] = "common header";
static const char F_VERSION[] = "version";
static const char F_CLASS[] = "message class";
static const char F_TYPE[] = "message type";
static const char F_LENGTH[] = "message length";
static const char F_PHEADER[] = "parameter header";
static const char F_PLENGTH[] = "parameter length";
static const char F_PADDING[] = "parameter padding";

/* ---- Raw parameters ---- */

void ssgw_m3ua_param_iter_init_raw(ssgw_m3ua_param_iter *it, const uint8_t *p, size_t len,
                                   size_t base)
{
    it->p = p;
    it->len = len;
    it->pos = 0;
    it->base = base;
}

void ssgw_m3ua_param_iter_init(ssgw_m3ua_param_iter *it, const ssgw_m3ua_msg *msg)
{
    if (!msg->buf || msg->len < SSGW_M3UA_HDR_LEN) {
        ssgw_m3ua_param_iter_init_raw(it, NULL, 0, 0);
        return;
    }
    ssgw_m3ua_param_iter_init_raw(it, msg->buf + SSGW_M3UA_HDR_LEN, msg->len - SSGW_M3UA_HDR_LEN,
                                  SSGW_M3UA_HDR_LEN);
}

int ssgw_m3ua_param_next(ssgw_m3ua_param_iter *it, ssgw_m3ua_param *out, ssgw_error *err)
{
    if (it->pos >= it->len) return 0;
    size_t rem = it->len - it->pos;
    size_t at = it->base + it->pos;
    if (rem < SSGW_M3UA_PARAM_HDR) return FAIL(SSGW_E_TRUNCATED, F_PHEADER, at);
    const uint8_t *p = it->p + it->pos;
    size_t plen = get_be16(p + 2);
    if (plen < SSGW_M3UA_PARAM_HDR || plen > rem) return FAIL(SSGW_E_BAD_LENGTH, F_PLENGTH, at + 2);
    size_t padded = (plen + 3) & ~(size_t)3;
    if (padded > rem) return FAIL(SSGW_E_BAD_LENGTH, F_PADDING, at + plen);
    out->tag = get_be16(p);
    out->val = p + SSGW_M3UA_PARAM_HDR;
    out->len = plen - SSGW_M3UA_PARAM_HDR;
    out->offset = at;
    it->pos += padded;
    return 1;
}

/* ---- Parameter values ---- */

int ssgw_m3ua_protocol_data_decode(const uint8_t *val, size_t len, ssgw_m3ua_protocol_data *out,
                                   ssgw_error *err)
{
    if (len < 12) return FAIL(SSGW_E_BAD_LENGTH, "protocol_data", 0);
    /* MTP3's service indicator has 4 bits (Q.704 14.2.1): a node that keeps only those would
     * take SI 0x13 for SCCP, which nothing here would have judged */
    if (val[8] > 15) return FAIL(SSGW_E_BAD_VALUE, "service indicator", 8);
    out->opc = get_be32(val);
    out->dpc = get_be32(val + 4);
    out->si = val[8];
    out->ni = val[9];
    out->mp = val[10];
    out->sls = val[11];
    out->data = val + 12;
    out->data_len = len - 12;
    return 0;
}

/* Reads the nested u32 parameters listed in tags[] from a result value. */
static int decode_nested_u32(const uint8_t *val, size_t len, const uint16_t *tags, uint32_t *vals,
                             size_t n, ssgw_error *err)
{
    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param p;
    uint32_t seen = 0;
    int r;
    ssgw_m3ua_param_iter_init_raw(&it, val, len, 0);
    while ((r = ssgw_m3ua_param_next(&it, &p, err)) == 1) {
        for (size_t i = 0; i < n; i++) {
            if (p.tag != tags[i]) continue;
            const char *name = ssgw_m3ua_param_name(p.tag);
            if (seen & (1u << i)) return FAIL(SSGW_E_DUPLICATE, name, p.offset);
            if (p.len != 4) return FAIL(SSGW_E_BAD_LENGTH, name, p.offset + 2);
            vals[i] = get_be32(p.val);
            seen |= 1u << i;
        }
    }
    if (r < 0) return -1;
    for (size_t i = 0; i < n; i++)
        if (!(seen & (1u << i))) return FAIL(SSGW_E_MISSING, ssgw_m3ua_param_name(tags[i]), len);
    return 0;
}

int ssgw_m3ua_reg_result_decode(const uint8_t *val, size_t len, ssgw_m3ua_reg_result *out,
                                ssgw_error *err)
{
    static const uint16_t tags[] = {SSGW_M3UA_TAG_LOCAL_RK_IDENTIFIER,
                                    SSGW_M3UA_TAG_REGISTRATION_STATUS,
                                    SSGW_M3UA_TAG_ROUTING_CONTEXT};
    uint32_t v[3] = {0};
    if (decode_nested_u32(val, len, tags, v, 3, err) < 0) return -1;
    out->local_rk_id = v[0];
    out->status = v[1];
    out->routing_context = v[2];
    return 0;
}

int ssgw_m3ua_dereg_result_decode(const uint8_t *val, size_t len, ssgw_m3ua_dereg_result *out,
                                  ssgw_error *err)
{
    static const uint16_t tags[] = {SSGW_M3UA_TAG_ROUTING_CONTEXT,
                                    SSGW_M3UA_TAG_DEREGISTRATION_STATUS};
    uint32_t v[2] = {0};
    if (decode_nested_u32(val, len, tags, v, 2, err) < 0) return -1;
    out->routing_context = v[0];
    out->status = v[1];
    return 0;
}

/* Checks that a value is a well-formed sequence of parameters (Routing Key). */
static int check_nested(const ssgw_m3ua_param *p, ssgw_error *err)
{
    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param q;
    int r;
    ssgw_m3ua_param_iter_init_raw(&it, p->val, p->len, p->offset + SSGW_M3UA_PARAM_HDR);
    while ((r = ssgw_m3ua_param_next(&it, &q, err)) == 1) {
    }
    return r;
}

/* Stores one allowed parameter in the view, checking its value's length. */
static int take_param(ssgw_m3ua_msg *m, const ssgw_m3ua_param *p, ssgw_error *err)
{
    /* parameter names are looked up only when an error is reported */
    size_t lenoff = p->offset + 2;
    const uint8_t *v = p->val;
    bool fixed4 = false;
    switch (p->tag) {
    case SSGW_M3UA_TAG_NETWORK_APPEARANCE:
    case SSGW_M3UA_TAG_CORRELATION_ID:
    case SSGW_M3UA_TAG_ERROR_CODE:
    case SSGW_M3UA_TAG_STATUS:
    case SSGW_M3UA_TAG_ASP_IDENTIFIER:
    case SSGW_M3UA_TAG_TRAFFIC_MODE_TYPE:
    case SSGW_M3UA_TAG_USER_CAUSE:
    case SSGW_M3UA_TAG_CONGESTION_INDICATIONS:
    case SSGW_M3UA_TAG_CONCERNED_DESTINATION:
        fixed4 = true;
        break;
    case SSGW_M3UA_TAG_ROUTING_CONTEXT:
    case SSGW_M3UA_TAG_AFFECTED_POINT_CODE:
        if (p->len == 0 || p->len % 4 != 0)
            return FAIL(SSGW_E_BAD_LENGTH, ssgw_m3ua_param_name(p->tag), lenoff);
        break;
    default:
        break;
    }
    if (fixed4 && p->len != 4) return FAIL(SSGW_E_BAD_LENGTH, ssgw_m3ua_param_name(p->tag), lenoff);

    switch (p->tag) {
    case SSGW_M3UA_TAG_NETWORK_APPEARANCE:
        m->network_appearance = get_be32(v);
        m->present |= SSGW_M3UA_HAS_NETWORK_APPEARANCE;
        break;
    case SSGW_M3UA_TAG_ROUTING_CONTEXT:
        m->routing_context.p = v;
        m->routing_context.count = p->len / 4;
        m->present |= SSGW_M3UA_HAS_ROUTING_CONTEXT;
        break;
    case SSGW_M3UA_TAG_PROTOCOL_DATA:
        if (ssgw_m3ua_protocol_data_decode(v, p->len, &m->protocol_data, err) < 0) {
            ssgw_error_rebase(err, p->offset + SSGW_M3UA_PARAM_HDR);
            return -1;
        }
        m->present |= SSGW_M3UA_HAS_PROTOCOL_DATA;
        break;
    case SSGW_M3UA_TAG_CORRELATION_ID:
        m->correlation_id = get_be32(v);
        m->present |= SSGW_M3UA_HAS_CORRELATION_ID;
        break;
    case SSGW_M3UA_TAG_INFO_STRING:
        m->info_string = v;
        m->info_string_len = p->len;
        m->present |= SSGW_M3UA_HAS_INFO_STRING;
        break;
    case SSGW_M3UA_TAG_AFFECTED_POINT_CODE:
        m->affected_pc.p = v;
        m->affected_pc.count = p->len / 4;
        m->present |= SSGW_M3UA_HAS_AFFECTED_PC;
        break;
    case SSGW_M3UA_TAG_CONCERNED_DESTINATION:
        m->concerned_dest = get_be32(v) & 0xffffffu;
        m->present |= SSGW_M3UA_HAS_CONCERNED_DEST;
        break;
    case SSGW_M3UA_TAG_USER_CAUSE:
        m->cause = get_be16(v);
        m->user = get_be16(v + 2);
        m->present |= SSGW_M3UA_HAS_USER_CAUSE;
        break;
    case SSGW_M3UA_TAG_CONGESTION_INDICATIONS:
        m->congestion_level = v[3];
        m->present |= SSGW_M3UA_HAS_CONGESTION;
        break;
    case SSGW_M3UA_TAG_ERROR_CODE:
        m->error_code = get_be32(v);
        m->present |= SSGW_M3UA_HAS_ERROR_CODE;
        break;
    case SSGW_M3UA_TAG_STATUS:
        m->status_type = get_be16(v);
        m->status_info = get_be16(v + 2);
        m->present |= SSGW_M3UA_HAS_STATUS;
        break;
    case SSGW_M3UA_TAG_ASP_IDENTIFIER:
        m->asp_id = get_be32(v);
        m->present |= SSGW_M3UA_HAS_ASP_ID;
        break;
    case SSGW_M3UA_TAG_HEARTBEAT_DATA:
        m->heartbeat_data = v;
        m->heartbeat_data_len = p->len;
        m->present |= SSGW_M3UA_HAS_HEARTBEAT_DATA;
        break;
    case SSGW_M3UA_TAG_TRAFFIC_MODE_TYPE:
        m->traffic_mode = get_be32(v);
        m->present |= SSGW_M3UA_HAS_TRAFFIC_MODE;
        break;
    case SSGW_M3UA_TAG_DIAGNOSTIC_INFO:
        m->diagnostic = v;
        m->diagnostic_len = p->len;
        m->present |= SSGW_M3UA_HAS_DIAGNOSTIC;
        break;
    case SSGW_M3UA_TAG_ROUTING_KEY:
        if (check_nested(p, err) < 0) return -1;
        if (m->n_routing_key++ == 0) m->routing_key = *p;
        m->present |= SSGW_M3UA_HAS_ROUTING_KEY;
        break;
    case SSGW_M3UA_TAG_REGISTRATION_RESULT:
        if (check_nested(p, err) < 0) return -1;
        if (m->n_reg_result++ == 0) m->reg_result = *p;
        m->present |= SSGW_M3UA_HAS_REG_RESULT;
        break;
    case SSGW_M3UA_TAG_DEREGISTRATION_RESULT:
        if (check_nested(p, err) < 0) return -1;
        if (m->n_dereg_result++ == 0) m->dereg_result = *p;
        m->present |= SSGW_M3UA_HAS_DEREG_RESULT;
        break;
    default:
        break;
    }
    return 0;
}

/* ---- Messages ---- */

int ssgw_m3ua_decode_general(const uint8_t *buf, size_t len, ssgw_m3ua_msg *out, ssgw_error *err)
{
    memset(out, 0, sizeof *out);
    if (len < SSGW_M3UA_HDR_LEN) return FAIL(SSGW_E_TRUNCATED, F_HEADER, 0);
    if (buf[0] != SSGW_M3UA_VERSION) return FAIL(SSGW_E_BAD_VALUE, F_VERSION, 0);
    uint32_t mlen = get_be32(buf + 4);
    if (mlen < SSGW_M3UA_HDR_LEN) return FAIL(SSGW_E_BAD_LENGTH, F_LENGTH, 4);
    if (mlen > len) return FAIL(SSGW_E_TRUNCATED, F_LENGTH, 4);
    if (mlen < len) return FAIL(SSGW_E_BAD_LENGTH, F_LENGTH, 4);

    out->buf = buf;
    out->len = len;
    out->version = buf[0];
    out->msg_class = buf[2];
    out->msg_type = buf[3];
    const ssgw_m3ua_msg_spec *spec = ssgw_m3ua_msg_spec_find(buf[2], buf[3]);
    if (!spec) {
        if (strcmp(ssgw_m3ua_class_name(buf[2]), "unknown") == 0)
            return FAIL(SSGW_E_BAD_TAG, F_CLASS, 2);
        return FAIL(SSGW_E_BAD_TAG, F_TYPE, 3);
    }
    out->spec = spec;

    ssgw_m3ua_param_iter it;
    ssgw_m3ua_param p;
    uint32_t seen = 0; /* bit i: spec->params[i] seen (tables have < 32 rows) */
    int r;
    ssgw_m3ua_param_iter_init(&it, out);
    while ((r = ssgw_m3ua_param_next(&it, &p, err)) == 1) {
        out->n_params++;
        size_t i;
        for (i = 0; i < spec->n_params; i++)
            if (spec->params[i].tag == p.tag) break;
        if (i == spec->n_params) {
            if (out->n_unexpected++ == 0) {
                out->unexpected_tag = p.tag;
                out->unexpected_offset = p.offset;
            }
            continue;
        }
        if ((seen & (1u << i)) && !spec->params[i].repeat)
            return FAIL(SSGW_E_DUPLICATE, ssgw_m3ua_param_name(p.tag), p.offset);
        seen |= 1u << i;
        if (take_param(out, &p, err) < 0) return -1;
    }
    if (r < 0) return -1;
    for (size_t i = 0; i < spec->n_params; i++)
        if (spec->params[i].presence == SSGW_M3UA_MANDATORY && !(seen & (1u << i)))
            return FAIL(SSGW_E_MISSING, ssgw_m3ua_param_name(spec->params[i].tag), len);
    return 0;
}

/* The DATA row of the message table, found once (the table is constant data). */
static const ssgw_m3ua_msg_spec *data_spec(void)
{
    static _Atomic(const ssgw_m3ua_msg_spec *) spec;
    const ssgw_m3ua_msg_spec *s = atomic_load_explicit(&spec, memory_order_relaxed);
    if (!s) {
        s = ssgw_m3ua_msg_spec_find(SSGW_M3UA_CLASS_TRANSFER, SSGW_M3UA_TRANSFER_DATA);
        atomic_store_explicit(&spec, s, memory_order_relaxed);
    }
    return s;
}

/*
 * DATA in one pass (measured: ~390 instructions per message through the table-driven loop
 * in ssgw decode). Handles DATA whose parameters are among the four of RFC 4666 3.3.1
 * (network appearance, routing context, protocol data, correlation id), each at most once
 * and well formed, with protocol data present: what the table allows, read as take_param
 * reads it. Anything else (other or repeated parameters, bad lengths or padding, another
 * message) returns false and the table-driven decoder decides from scratch, so results and
 * errors are exactly its. test_m3ua_paths runs both on the same inputs.
 * On true every member of *out is written, the ones DATA does not carry as 0, as the
 * general decoder's clearing leaves them: no 344-octet memset (measured: ~52 instructions,
 * a rep stos counted per 8 octets).
 */
/*
 * DATA's parameters in the order of RFC 4666 3.3.1, as senders write them: network
 * appearance, routing context, protocol data, correlation id, the three optional, each
 * once. Read straight through, without the dispatch and duplicate test of the loop below
 * (measured: ~25 instructions a message); anything else (another order, a bad length)
 * returns false and the loop reads the message again from its first parameter.
 */
static inline bool data_in_order(const uint8_t *buf, size_t len, unsigned *seen, size_t *n,
                                 uint32_t *na, const uint8_t **rc, size_t *rc_count,
                                 const uint8_t **pd, size_t *pd_len, uint32_t *corr)
{
    size_t pos = SSGW_M3UA_HDR_LEN, plen, padded;
    if (len - pos >= 8 && get_be16(buf + pos) == SSGW_M3UA_TAG_NETWORK_APPEARANCE) {
        if (get_be16(buf + pos + 2) != 8) return false;
        *na = get_be32(buf + pos + 4);
        *seen |= SSGW_M3UA_HAS_NETWORK_APPEARANCE, ++*n;
        pos += 8;
    }
    if (len - pos >= 4 && get_be16(buf + pos) == SSGW_M3UA_TAG_ROUTING_CONTEXT) {
        plen = get_be16(buf + pos + 2); /* a non-empty multiple of 4: no padding */
        if (plen < 8 || plen % 4 != 0 || plen > len - pos) return false;
        *rc = buf + pos + 4;
        *rc_count = (plen - 4) / 4;
        *seen |= SSGW_M3UA_HAS_ROUTING_CONTEXT, ++*n;
        pos += plen;
    }
    if (len - pos < 4 || get_be16(buf + pos) != SSGW_M3UA_TAG_PROTOCOL_DATA) return false;
    plen = get_be16(buf + pos + 2), padded = (plen + 3) & ~(size_t)3;
    if (plen < 16 || padded > len - pos) return false;
    *pd = buf + pos + 4;
    *pd_len = plen - 4;
    *seen |= SSGW_M3UA_HAS_PROTOCOL_DATA, ++*n;
    pos += padded;
    if (pos < len) {
        if (len - pos != 8 || get_be16(buf + pos) != SSGW_M3UA_TAG_CORRELATION_ID ||
            get_be16(buf + pos + 2) != 8)
            return false;
        *corr = get_be32(buf + pos + 4);
        *seen |= SSGW_M3UA_HAS_CORRELATION_ID, ++*n;
    }
    return true;
}

static bool data_one_pass(const uint8_t *buf, size_t len, ssgw_m3ua_msg *out)
{
    if (len < SSGW_M3UA_HDR_LEN || buf[0] != SSGW_M3UA_VERSION ||
        buf[2] != SSGW_M3UA_CLASS_TRANSFER || buf[3] != SSGW_M3UA_TRANSFER_DATA ||
        get_be32(buf + 4) != len)
        return false;
    unsigned seen = 0;
    size_t n_params = 0;
    uint32_t na = 0, corr = 0;
    const uint8_t *rc = NULL, *pd = NULL;
    size_t rc_count = 0, pd_len = 0;
    if (!data_in_order(buf, len, &seen, &n_params, &na, &rc, &rc_count, &pd, &pd_len, &corr)) {
        seen = 0, n_params = 0, na = 0, corr = 0, rc = pd = NULL, rc_count = pd_len = 0;
        for (size_t pos = SSGW_M3UA_HDR_LEN; pos < len;) {
            size_t rem = len - pos;
            if (rem < SSGW_M3UA_PARAM_HDR) return false;
            const uint8_t *p = buf + pos;
            size_t plen = get_be16(p + 2), padded = (plen + 3) & ~(size_t)3;
            if (plen < SSGW_M3UA_PARAM_HDR || padded > rem) return false;
            const uint8_t *v = p + SSGW_M3UA_PARAM_HDR;
            size_t vlen = plen - SSGW_M3UA_PARAM_HDR;
            unsigned bit;
            switch (get_be16(p)) {
            case SSGW_M3UA_TAG_NETWORK_APPEARANCE:
                if (vlen != 4) return false;
                bit = SSGW_M3UA_HAS_NETWORK_APPEARANCE;
                na = get_be32(v);
                break;
            case SSGW_M3UA_TAG_ROUTING_CONTEXT:
                if (vlen == 0 || vlen % 4 != 0) return false;
                bit = SSGW_M3UA_HAS_ROUTING_CONTEXT;
                rc = v;
                rc_count = vlen / 4;
                break;
            case SSGW_M3UA_TAG_PROTOCOL_DATA: /* as ssgw_m3ua_protocol_data_decode */
                if (vlen < 12) return false;
                bit = SSGW_M3UA_HAS_PROTOCOL_DATA;
                pd = v;
                pd_len = vlen;
                break;
            case SSGW_M3UA_TAG_CORRELATION_ID:
                if (vlen != 4) return false;
                bit = SSGW_M3UA_HAS_CORRELATION_ID;
                corr = get_be32(v);
                break;
            default:
                return false;
            }
            if (seen & bit) return false;
            seen |= bit;
            n_params++;
            pos += padded;
        }
    }
    if (!pd || pd[8] > 15) return false; /* no protocol data, or an SI the general path refuses */
    out->buf = buf;
    out->len = len;
    out->version = buf[0];
    out->msg_class = buf[2];
    out->msg_type = buf[3];
    out->spec = data_spec();
    out->present = seen;
    out->network_appearance = na;
    out->routing_context.p = rc;
    out->routing_context.count = rc_count;
    out->protocol_data.opc = get_be32(pd);
    out->protocol_data.dpc = get_be32(pd + 4);
    out->protocol_data.si = pd[8];
    out->protocol_data.ni = pd[9];
    out->protocol_data.mp = pd[10];
    out->protocol_data.sls = pd[11];
    out->protocol_data.data = pd + 12;
    out->protocol_data.data_len = pd_len - 12;
    out->correlation_id = corr;
    /* what DATA does not carry */
    out->info_string = NULL;
    out->info_string_len = 0;
    out->affected_pc.p = NULL;
    out->affected_pc.count = 0;
    out->concerned_dest = 0;
    out->cause = out->user = 0;
    out->congestion_level = 0;
    out->error_code = 0;
    out->status_type = out->status_info = 0;
    out->asp_id = 0;
    out->heartbeat_data = NULL;
    out->heartbeat_data_len = 0;
    out->traffic_mode = 0;
    out->diagnostic = NULL;
    out->diagnostic_len = 0;
    /* cleared with their padding, as the general decoder's memset leaves them */
    memset(&out->routing_key, 0, sizeof out->routing_key);
    memset(&out->reg_result, 0, sizeof out->reg_result);
    memset(&out->dereg_result, 0, sizeof out->dereg_result);
    out->n_routing_key = out->n_reg_result = out->n_dereg_result = 0;
    out->n_params = n_params;
    out->n_unexpected = 0;
    out->unexpected_tag = 0;
    out->unexpected_offset = 0;
    return true;
}

int ssgw_m3ua_decode(const uint8_t *buf, size_t len, ssgw_m3ua_msg *out, ssgw_error *err)
{
    if (data_one_pass(buf, len, out)) return 0;
    return ssgw_m3ua_decode_general(buf, len, out, err);
}

uint32_t ssgw_m3ua_err_code_for(const ssgw_error *err)
{
    if (!err || err->layer != SSGW_LAYER_M3UA || !err->field) return SSGW_M3UA_ERR_PROTOCOL_ERROR;
    if (err->code == SSGW_E_MISSING) return SSGW_M3UA_ERR_MISSING_PARAM;
    if (err->code == SSGW_E_DUPLICATE) return SSGW_M3UA_ERR_UNEXPECTED_PARAM;
    if (strcmp(err->field, F_VERSION) == 0) return SSGW_M3UA_ERR_INVALID_VERSION;
    if (strcmp(err->field, F_CLASS) == 0) return SSGW_M3UA_ERR_UNSUPPORTED_MSG_CLASS;
    if (strcmp(err->field, F_TYPE) == 0) return SSGW_M3UA_ERR_UNSUPPORTED_MSG_TYPE;
    if (strcmp(err->field, F_LENGTH) == 0 || strcmp(err->field, F_HEADER) == 0 ||
        err->code == SSGW_E_TOO_BIG)
        return SSGW_M3UA_ERR_PROTOCOL_ERROR;
    if (err->code == SSGW_E_BAD_VALUE) return SSGW_M3UA_ERR_INVALID_PARAM_VALUE;
    /* parameter header, length, padding, or a value of the wrong length */
    return SSGW_M3UA_ERR_PARAM_FIELD_ERROR;
}

long ssgw_m3ua_frame_len(const uint8_t *buf, size_t len, size_t max_msg, ssgw_error *err)
{
    if (len < SSGW_M3UA_HDR_LEN) return 0;
    if (max_msg == 0) max_msg = SSGW_M3UA_MAX_MSG_DEFAULT;
    if (buf[0] != SSGW_M3UA_VERSION) return FAIL(SSGW_E_BAD_VALUE, F_VERSION, 0);
    uint32_t mlen = get_be32(buf + 4);
    if (mlen < SSGW_M3UA_HDR_LEN) return FAIL(SSGW_E_BAD_LENGTH, F_LENGTH, 4);
    if (mlen > max_msg) return FAIL(SSGW_E_TOO_BIG, F_LENGTH, 4);
    return (long)mlen;
}

/* ---- Encoding ---- */

size_t ssgw_m3ua_begin(ssgw_buf *b, uint8_t msg_class, uint8_t msg_type)
{
    size_t start = b->len;
    uint8_t hdr[SSGW_M3UA_HDR_LEN] = {SSGW_M3UA_VERSION, 0, msg_class, msg_type, 0, 0, 0, 0};
    ssgw_buf_put(b, hdr, sizeof hdr);
    return start;
}

static void put_param_header(ssgw_buf *b, uint16_t tag, size_t len)
{
    if (len > SSGW_M3UA_MAX_PARAM_VALUE) {
        b->overflow = true;
        return;
    }
    ssgw_buf_put_be16(b, tag);
    ssgw_buf_put_be16(b, (uint16_t)(len + SSGW_M3UA_PARAM_HDR));
}

static void put_padding(ssgw_buf *b, size_t len)
{
    ssgw_buf_put_zeros(b, (4 - (len & 3)) & 3);
}

void ssgw_m3ua_put_param(ssgw_buf *b, uint16_t tag, const void *val, size_t len)
{
    put_param_header(b, tag, len);
    ssgw_buf_put(b, val, len);
    put_padding(b, len);
}

void ssgw_m3ua_put_u32_param(ssgw_buf *b, uint16_t tag, uint32_t v)
{
    put_param_header(b, tag, 4);
    ssgw_buf_put_be32(b, v);
}

void ssgw_m3ua_put_u32_list_param(ssgw_buf *b, uint16_t tag, const uint32_t *v, size_t n)
{
    if (n > SSGW_M3UA_MAX_PARAM_VALUE / 4) {
        b->overflow = true;
        return;
    }
    put_param_header(b, tag, 4 * n);
    for (size_t i = 0; i < n; i++)
        ssgw_buf_put_be32(b, v[i]);
}

int ssgw_m3ua_end(ssgw_buf *b, size_t start)
{
    if (b->overflow || start > b->len || b->len - start < SSGW_M3UA_HDR_LEN) return -1;
    if (b->len - start > UINT32_MAX) return -1;
    put_be32(b->data + start + 4, (uint32_t)(b->len - start));
    return 0;
}

int ssgw_m3ua_encode(ssgw_buf *b, uint8_t msg_class, uint8_t msg_type,
                     const ssgw_m3ua_param *params, size_t n_params)
{
    size_t start = ssgw_m3ua_begin(b, msg_class, msg_type);
    for (size_t i = 0; i < n_params; i++)
        ssgw_m3ua_put_param(b, params[i].tag, params[i].val, params[i].len);
    return ssgw_m3ua_end(b, start);
}

void ssgw_m3ua_put_protocol_data_value(ssgw_buf *b, const ssgw_m3ua_protocol_data *pd)
{
    ssgw_buf_put_be32(b, pd->opc);
    ssgw_buf_put_be32(b, pd->dpc);
    uint8_t q[4] = {pd->si, pd->ni, pd->mp, pd->sls};
    ssgw_buf_put(b, q, 4);
    ssgw_buf_put(b, pd->data, pd->data_len);
}

static void put_opt_u32(ssgw_buf *b, uint16_t tag, const uint32_t *v)
{
    if (v) ssgw_m3ua_put_u32_param(b, tag, *v);
}

static void put_opt_list(ssgw_buf *b, uint16_t tag, const uint32_t *v, size_t n)
{
    if (v && n) ssgw_m3ua_put_u32_list_param(b, tag, v, n);
}

static void put_info(ssgw_buf *b, const char *info)
{
    if (info) ssgw_m3ua_put_param(b, SSGW_M3UA_TAG_INFO_STRING, info, strlen(info));
}

int ssgw_m3ua_encode_data(ssgw_buf *b, const ssgw_m3ua_data_info *d)
{
    size_t start = ssgw_m3ua_begin(b, SSGW_M3UA_CLASS_TRANSFER, SSGW_M3UA_TRANSFER_DATA);
    put_opt_u32(b, SSGW_M3UA_TAG_NETWORK_APPEARANCE, d->network_appearance);
    put_opt_list(b, SSGW_M3UA_TAG_ROUTING_CONTEXT, d->routing_context, d->n_routing_context);
    size_t pdlen = 12 + d->pd.data_len;
    put_param_header(b, SSGW_M3UA_TAG_PROTOCOL_DATA, pdlen);
    ssgw_m3ua_put_protocol_data_value(b, &d->pd);
    put_padding(b, pdlen);
    put_opt_u32(b, SSGW_M3UA_TAG_CORRELATION_ID, d->correlation_id);
    return ssgw_m3ua_end(b, start);
}

static int encode_aspsm(ssgw_buf *b, uint8_t type, const uint32_t *asp_id, const char *info)
{
    size_t start = ssgw_m3ua_begin(b, SSGW_M3UA_CLASS_ASPSM, type);
    put_opt_u32(b, SSGW_M3UA_TAG_ASP_IDENTIFIER, asp_id);
    put_info(b, info);
    return ssgw_m3ua_end(b, start);
}

int ssgw_m3ua_encode_aspup(ssgw_buf *b, const uint32_t *asp_id, const char *info)
{
    return encode_aspsm(b, SSGW_M3UA_ASPSM_ASPUP, asp_id, info);
}

int ssgw_m3ua_encode_aspup_ack(ssgw_buf *b, const uint32_t *asp_id, const char *info)
{
    return encode_aspsm(b, SSGW_M3UA_ASPSM_ASPUP_ACK, asp_id, info);
}

int ssgw_m3ua_encode_aspdn(ssgw_buf *b, const char *info)
{
    return encode_aspsm(b, SSGW_M3UA_ASPSM_ASPDN, NULL, info);
}

int ssgw_m3ua_encode_aspdn_ack(ssgw_buf *b, const char *info)
{
    return encode_aspsm(b, SSGW_M3UA_ASPSM_ASPDN_ACK, NULL, info);
}

static int encode_beat(ssgw_buf *b, uint8_t type, const uint8_t *hb, size_t hb_len)
{
    size_t start = ssgw_m3ua_begin(b, SSGW_M3UA_CLASS_ASPSM, type);
    if (hb) ssgw_m3ua_put_param(b, SSGW_M3UA_TAG_HEARTBEAT_DATA, hb, hb_len);
    return ssgw_m3ua_end(b, start);
}

int ssgw_m3ua_encode_beat(ssgw_buf *b, const uint8_t *hb, size_t hb_len)
{
    return encode_beat(b, SSGW_M3UA_ASPSM_BEAT, hb, hb_len);
}

int ssgw_m3ua_encode_beat_ack(ssgw_buf *b, const uint8_t *hb, size_t hb_len)
{
    return encode_beat(b, SSGW_M3UA_ASPSM_BEAT_ACK, hb, hb_len);
}

static int encode_asptm(ssgw_buf *b, uint8_t type, uint32_t tmt, const uint32_t *rc, size_t n_rc,
                        const char *info)
{
    size_t start = ssgw_m3ua_begin(b, SSGW_M3UA_CLASS_ASPTM, type);
    if (tmt) ssgw_m3ua_put_u32_param(b, SSGW_M3UA_TAG_TRAFFIC_MODE_TYPE, tmt);
    put_opt_list(b, SSGW_M3UA_TAG_ROUTING_CONTEXT, rc, n_rc);
    put_info(b, info);
    return ssgw_m3ua_end(b, start);
}

int ssgw_m3ua_encode_aspac(ssgw_buf *b, uint32_t traffic_mode, const uint32_t *rc, size_t n_rc,
                           const char *info)
{
    return encode_asptm(b, SSGW_M3UA_ASPTM_ASPAC, traffic_mode, rc, n_rc, info);
}

int ssgw_m3ua_encode_aspac_ack(ssgw_buf *b, uint32_t traffic_mode, const uint32_t *rc, size_t n_rc,
                               const char *info)
{
    return encode_asptm(b, SSGW_M3UA_ASPTM_ASPAC_ACK, traffic_mode, rc, n_rc, info);
}

int ssgw_m3ua_encode_aspia(ssgw_buf *b, const uint32_t *rc, size_t n_rc, const char *info)
{
    return encode_asptm(b, SSGW_M3UA_ASPTM_ASPIA, 0, rc, n_rc, info);
}

int ssgw_m3ua_encode_aspia_ack(ssgw_buf *b, const uint32_t *rc, size_t n_rc, const char *info)
{
    return encode_asptm(b, SSGW_M3UA_ASPTM_ASPIA_ACK, 0, rc, n_rc, info);
}

int ssgw_m3ua_encode_ntfy(ssgw_buf *b, const ssgw_m3ua_ntfy_info *n)
{
    size_t start = ssgw_m3ua_begin(b, SSGW_M3UA_CLASS_MGMT, SSGW_M3UA_MGMT_NTFY);
    ssgw_m3ua_put_u32_param(b, SSGW_M3UA_TAG_STATUS,
                            (uint32_t)n->status_type << 16 | n->status_info);
    put_opt_u32(b, SSGW_M3UA_TAG_ASP_IDENTIFIER, n->asp_id);
    put_opt_list(b, SSGW_M3UA_TAG_ROUTING_CONTEXT, n->routing_context, n->n_routing_context);
    put_info(b, n->info);
    return ssgw_m3ua_end(b, start);
}

int ssgw_m3ua_encode_err(ssgw_buf *b, const ssgw_m3ua_err_info *e)
{
    size_t start = ssgw_m3ua_begin(b, SSGW_M3UA_CLASS_MGMT, SSGW_M3UA_MGMT_ERR);
    ssgw_m3ua_put_u32_param(b, SSGW_M3UA_TAG_ERROR_CODE, e->error_code);
    put_opt_list(b, SSGW_M3UA_TAG_ROUTING_CONTEXT, e->routing_context, e->n_routing_context);
    put_opt_u32(b, SSGW_M3UA_TAG_NETWORK_APPEARANCE, e->network_appearance);
    put_opt_list(b, SSGW_M3UA_TAG_AFFECTED_POINT_CODE, e->affected_pc, e->n_affected_pc);
    if (e->diagnostic)
        ssgw_m3ua_put_param(b, SSGW_M3UA_TAG_DIAGNOSTIC_INFO, e->diagnostic, e->diagnostic_len);
    return ssgw_m3ua_end(b, start);
}

int ssgw_m3ua_encode_ssnm(ssgw_buf *b, uint8_t msg_type, const ssgw_m3ua_ssnm_info *s)
{
    if (!ssgw_m3ua_msg_spec_find(SSGW_M3UA_CLASS_SSNM, msg_type) || !s->affected_pc ||
        s->n_affected_pc == 0)
        return -1;
    size_t start = ssgw_m3ua_begin(b, SSGW_M3UA_CLASS_SSNM, msg_type);
    put_opt_u32(b, SSGW_M3UA_TAG_NETWORK_APPEARANCE, s->network_appearance);
    put_opt_list(b, SSGW_M3UA_TAG_ROUTING_CONTEXT, s->routing_context, s->n_routing_context);
    ssgw_m3ua_put_u32_list_param(b, SSGW_M3UA_TAG_AFFECTED_POINT_CODE, s->affected_pc,
                                 s->n_affected_pc);
    if (msg_type == SSGW_M3UA_SSNM_SCON) {
        if (s->concerned_dest)
            ssgw_m3ua_put_u32_param(b, SSGW_M3UA_TAG_CONCERNED_DESTINATION,
                                    *s->concerned_dest & 0xffffffu);
        if (s->congestion_level)
            ssgw_m3ua_put_u32_param(b, SSGW_M3UA_TAG_CONGESTION_INDICATIONS, *s->congestion_level);
    }
    if (msg_type == SSGW_M3UA_SSNM_DUPU)
        ssgw_m3ua_put_u32_param(b, SSGW_M3UA_TAG_USER_CAUSE, (uint32_t)s->cause << 16 | s->user);
    put_info(b, s->info);
    return ssgw_m3ua_end(b, start);
}

int ssgw_m3ua_encode_duna(ssgw_buf *b, const ssgw_m3ua_ssnm_info *s)
{
    return ssgw_m3ua_encode_ssnm(b, SSGW_M3UA_SSNM_DUNA, s);
}

int ssgw_m3ua_encode_dava(ssgw_buf *b, const ssgw_m3ua_ssnm_info *s)
{
    return ssgw_m3ua_encode_ssnm(b, SSGW_M3UA_SSNM_DAVA, s);
}

int ssgw_m3ua_encode_daud(ssgw_buf *b, const ssgw_m3ua_ssnm_info *s)
{
    return ssgw_m3ua_encode_ssnm(b, SSGW_M3UA_SSNM_DAUD, s);
}
