/*
 * answer.c - builds the message that answers a rejected one (policy.h
 * ssgw_answer_build): a TC-ABORT (ITU-T Q.773 4.2.1, P-abort cause), a TC-END
 * carrying a MAP ReturnError for each invoke of the message (Q.773 component portion; MAP error
 * codes TS 29.002 17.6.6) or an SCCP UDTS (Q.713 4.11) with a return cause. The answer goes back
 * along the path the message came: SCCP parties and MTP3 point codes swapped, same M3UA routing
 * context / network appearance (RFC 4666 3.3.1). The gateway sends these bytes; the analyzer only
 * records which answer. A Diameter request is answered with a Result-Code or a 3GPP
 * Experimental-Result (ssgw_answer_build_diameter, RFC 6733 6.2 / 7.1 through ssgw_diam_answer).
 */
#include <string.h>

#include "policy/policy_int.h"
#include "ssgw/isup.h"
#include "ssgw/m3ua.h"
#include "ssgw/sccp.h"
#include "ssgw/tcap.h"

static int build_tcap(const ssgw_view *v, const ssgw_answer *a, ssgw_buf *out, ssgw_error *err)
{
    const ssgw_tcap_msg *t = &v->tcap;
    if (!v->has_tcap || !t->otid.present)
        return ssgw_fail(err, SSGW_LAYER_TCAP, SSGW_E_MISSING, "otid to answer", 0);
    ssgw_tcap_msg m;
    memset(&m, 0, sizeof m);
    m.dtid = t->otid;
    if (a->kind == SSGW_ANSWER_TCAP_ABORT) {
        m.type = SSGW_TCAP_ABORT;
        m.pabort_present = true;
        m.pabort_cause =
            a->code >= 0 && a->code <= 4 ? a->code : SSGW_TCAP_PABORT_UNRECOGNIZED_TRANSACTION_ID;
        return ssgw_tcap_encode(out, &m, NULL, 0, err);
    }
    /* every invoke the message carried is refused with it: one ReturnError each, so that
     * the sender's TCAP user closes each of its operations (Q.771 3.2.2.1) */
    ssgw_tcap_component c[SSGW_VIEW_MAX_COMPONENTS];
    unsigned n = 0;
    for (unsigned i = 0; i < v->ncomp && i < SSGW_VIEW_MAX_COMPONENTS; i++) {
        if (v->comp[i].type != SSGW_TCAP_COMP_INVOKE || !v->comp[i].invoke_id_present) continue;
        memset(&c[n], 0, sizeof c[n]);
        c[n].type = SSGW_TCAP_COMP_RETURN_ERROR;
        c[n].invoke_id_present = true;
        c[n].invoke_id = v->comp[i].invoke_id;
        c[n].error.kind = SSGW_TCAP_CODE_LOCAL;
        c[n].error.local = a->code;
        n++;
    }
    if (!n) return ssgw_fail(err, SSGW_LAYER_TCAP, SSGW_E_MISSING, "invoke to answer", 0);
    m.type = SSGW_TCAP_END;
    if (t->type == SSGW_TCAP_BEGIN && t->dialogue_present &&
        t->dialogue.type == SSGW_TCAP_DLG_AARQ) {
        m.dialogue_present = true;
        m.dialogue.type = SSGW_TCAP_DLG_AARE;
        m.dialogue.protocol_version_present = true;
        m.dialogue.protocol_version[0] = 0x07;
        m.dialogue.protocol_version[1] = 0x80;
        /* the OID's octets as received (the encoder would otherwise parse the dotted text
         * back, ~1,000 instructions an answer); they live in v's buffer, as t does */
        m.dialogue.acn = t->dialogue.acn;
        m.dialogue.acn_len = t->dialogue.acn_len;
        m.dialogue.result = SSGW_TCAP_RESULT_ACCEPTED;
        m.dialogue.diag_source = SSGW_TCAP_DIAG_SERVICE_USER;
        m.dialogue.diag_value = 0;
    }
    m.components_present = true;
    return ssgw_tcap_encode(out, &m, c, n, err);
}

/* Wraps data (SCCP or ISUP) the way v came, back towards v's sender: M3UA DATA with OPC
 * and DPC swapped (same service indicator, NI, SLS, routing context, network appearance),
 * or bare when v had no routing label. */
static int send_back(const ssgw_view *v, const uint8_t *data, size_t len, ssgw_buf *out,
                     ssgw_error *err)
{
    if (!v->has_m3ua || !v->has_label) {
        ssgw_buf_put(out, data, len);
        return out->overflow ? ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "answer", 0) : 0;
    }
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    uint32_t rc[8], na = v->m3ua.network_appearance;
    size_t nrc = 0;
    if (v->m3ua.present & SSGW_M3UA_HAS_ROUTING_CONTEXT)
        for (; nrc < v->m3ua.routing_context.count && nrc < 8; nrc++)
            rc[nrc] = ssgw_m3ua_u32_at(&v->m3ua.routing_context, nrc);
    if (nrc) {
        d.routing_context = rc;
        d.n_routing_context = nrc;
    }
    if (v->m3ua.present & SSGW_M3UA_HAS_NETWORK_APPEARANCE) d.network_appearance = &na;
    d.pd.opc = v->dpc;
    d.pd.dpc = v->opc;
    d.pd.si = v->si;
    d.pd.ni = v->ni;
    d.pd.mp = v->mp;
    d.pd.sls = v->sls;
    d.pd.data = data;
    d.pd.data_len = len;
    if (ssgw_m3ua_encode_data(out, &d) < 0 || out->overflow)
        return ssgw_fail(err, SSGW_LAYER_M3UA, SSGW_E_TOO_BIG, "answer", 0);
    return 0;
}

/* REL (cause) or RLC on v's circuit (Q.763 tables 26, 27). */
static int build_isup(const ssgw_view *v, const ssgw_answer *a, ssgw_buf *out, ssgw_error *err)
{
    uint8_t mem[64];
    ssgw_buf ib;
    ssgw_buf_init(&ib, mem, sizeof mem);
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    uint8_t type = SSGW_ISUP_RLC;
    if (a->kind == SSGW_ANSWER_ISUP_REL) {
        type = SSGW_ISUP_REL;
        ssgw_isup_add_cause(&b, 4 /* public network serving the remote user */,
                            (uint8_t)(a->code > 0 && a->code < 128 ? a->code : 21));
    }
    if (ssgw_isup_builder_encode(&b, &ib, v->isup.cic, type, err) < 0) return -1;
    return send_back(v, ib.data, ib.len, out, err);
}

int ssgw_answer_build(const ssgw_view *v, const ssgw_answer *a, ssgw_buf *out, ssgw_error *err)
{
    if (a->kind == SSGW_ANSWER_ISUP_REL || a->kind == SSGW_ANSWER_ISUP_RLC) {
        /* an IAM that does not decode is released too: its CIC was read */
        if (!v->has_isup && !v->isup_malformed)
            return ssgw_fail(err, SSGW_LAYER_ISUP, SSGW_E_MISSING, "call to release", 0);
        return build_isup(v, a, out, err);
    }
    if (!v->has_sccp || a->kind == SSGW_ANSWER_NONE)
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_MISSING, "message to answer", 0);
    uint8_t tmem[1024], smem[1400];
    ssgw_buf tb, sb;
    ssgw_buf_init(&tb, tmem, sizeof tmem);
    ssgw_buf_init(&sb, smem, sizeof smem);

    ssgw_sccp_msg s;
    if (a->kind == SSGW_ANSWER_SCCP_UDTS) {
        ssgw_sccp_msg_init(&s, SSGW_SCCP_UDTS);
        s.return_cause = (uint8_t)a->code;
        s.data = v->sccp.data;
        s.data_len = v->sccp.data_len > 255 ? 255 : v->sccp.data_len;
    } else {
        if (build_tcap(v, a, &tb, err) < 0) return -1;
        if (tb.overflow) return ssgw_fail(err, SSGW_LAYER_TCAP, SSGW_E_TOO_BIG, "answer", 0);
        ssgw_sccp_msg_init(&s, SSGW_SCCP_UDT);
        s.data = tb.data;
        s.data_len = tb.len;
    }
    s.called = v->sccp.calling;
    s.calling = v->sccp.called;
    if (ssgw_sccp_encode(&sb, &s, err) < 0) return -1;
    if (sb.overflow) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "answer", 0);
    return send_back(v, sb.data, sb.len, out, err);
}

int ssgw_answer_build_diameter(const ssgw_view *v, const ssgw_answer *a, const char *origin_host,
                               const char *origin_realm, ssgw_buf *out, ssgw_error *err)
{
    if (!v->has_diameter || !ssgw_diam_is_request(&v->diameter) || !ssgw_answer_is_diameter(a))
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_MISSING, "request to answer", 0);
    ssgw_diam_answer_spec spec = {
        (uint32_t)a->code, a->kind == SSGW_ANSWER_DIAMETER_EXPERIMENTAL ? SSGW_DIAM_VENDOR_3GPP : 0,
        origin_host, origin_realm, NULL};
    if (ssgw_diam_answer(out, v->buf, v->len, &spec) < 0 || out->overflow)
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_TOO_BIG, "answer", 0);
    return 0;
}
