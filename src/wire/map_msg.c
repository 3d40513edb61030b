/*
 * map_msg.c - the pieces of a MAP message that every builder needs
 * (include/ssgw/map_msg.h): a dialogue portion for a MAP context, MAP-OpenInfo,
 * one component with its encoded parameter, and the SCCP/M3UA wrapping. Each
 * piece is one call of the layer's own codec; this file only fixes the values
 * MAP uses (protocol version 1, protocol class 1, service indicator SCCP).
 */
#include "ssgw/map_msg.h"

#include <string.h>

#include "ssgw/ber.h"
#include "ssgw/digits.h"
#include "ssgw/m3ua.h"

/* Q.773 4.2.2 protocol-version ::= BIT STRING { version1 (0) }: 7 unused bits, bit 0 set. */
static const uint8_t tcap_version1[2] = {0x07, 0x80};

void ssgw_map_msg_dialogue_acn(ssgw_tcap_dialogue *d, ssgw_tcap_dialogue_type type,
                               const uint8_t *acn, size_t acn_len)
{
    memset(d, 0, sizeof *d);
    d->type = type;
    d->protocol_version_present = true;
    memcpy(d->protocol_version, tcap_version1, sizeof tcap_version1);
    d->acn = acn;
    d->acn_len = acn_len;
    if (type == SSGW_TCAP_DLG_AARE) {
        d->result = SSGW_TCAP_RESULT_ACCEPTED;
        d->diag_source = SSGW_TCAP_DIAG_SERVICE_USER;
        d->diag_value = 0; /* null */
    }
}

int ssgw_map_msg_dialogue(ssgw_tcap_dialogue *d, ssgw_tcap_dialogue_type type, int ac, int version,
                          uint8_t *oid)
{
    int n = ssgw_map_acn_to_oid(ac, version, oid, SSGW_MAP_ACN_OID_LEN);
    if (n < 0) return -1;
    ssgw_map_msg_dialogue_acn(d, type, oid, (size_t)n);
    return 0;
}

/* AddressString (TS 29.002 17.7.8): extension bit, nature of address, numbering plan;
 * then TBCD digits. */
static int put_address(ssgw_buf *b, uint8_t tag, uint8_t nai, uint8_t npi, const char *digits)
{
    uint8_t v[20];
    v[0] = (uint8_t)(0x80 | (nai & 7) << 4 | (npi & 15));
    int n = digits ? ssgw_tbcd_encode(digits, v + 1, sizeof v - 1) : -1;
    if (n < 0) return -1;
    ssgw_ber_put_tlv(b, SSGW_BER_CONTEXT, false, tag, v, (size_t)n + 1);
    return 0;
}

int ssgw_map_msg_open_info(ssgw_buf *b, const char *dest_imsi, const char *orig)
{
    /* map-DialogueAS: 0.4.0.0.1.1.1.1 (TS 29.002 17.4) */
    static const uint8_t map_dialogue_as[] = {0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01};
    size_t mark = b->len;
    size_t ext = ssgw_ber_open(b, SSGW_BER_UNIVERSAL, 8); /* EXTERNAL */
    ssgw_ber_put_tlv(b, SSGW_BER_UNIVERSAL, false, SSGW_BER_TAG_OID, map_dialogue_as,
                     sizeof map_dialogue_as);
    size_t single = ssgw_ber_open(b, SSGW_BER_CONTEXT, 0); /* single-ASN1-type */
    size_t open = ssgw_ber_open(b, SSGW_BER_CONTEXT, 0);   /* map-open */
    int r = put_address(b, 0, 1, 6, dest_imsi);            /* international, E.212 */
    if (r == 0) r = put_address(b, 1, 1, 1, orig);         /* international, E.164 */
    ssgw_ber_close(b, open);
    ssgw_ber_close(b, single);
    ssgw_ber_close(b, ext);
    if (r < 0 || b->overflow) {
        b->len = mark;
        return -1;
    }
    return 0;
}

int ssgw_map_msg_component(ssgw_tcap_component *c, ssgw_tcap_comp_type type, int invoke_id, int op,
                           int acn_version, const ssgw_map_fields *f, ssgw_buf *param)
{
    memset(c, 0, sizeof *c);
    c->type = type;
    c->invoke_id_present = true;
    c->invoke_id = invoke_id;
    c->opcode.kind = SSGW_TCAP_CODE_LOCAL;
    c->opcode.local = op;
    ssgw_map_comp_kind kind =
        type == SSGW_TCAP_COMP_INVOKE ? SSGW_MAP_INVOKE : SSGW_MAP_RETURN_RESULT;
    size_t mark = param->len;
    if (ssgw_map_encode(op, kind, acn_version, f, param) < 0 || param->overflow) {
        param->len = mark;
        return -1;
    }
    if (param->len > mark) {
        c->param_present = true;
        c->param_tlv = param->data + mark;
        c->param_tlv_len = param->len - mark;
    }
    return 0;
}

int ssgw_map_msg_wrap(ssgw_buf *out, const ssgw_map_route *r, const uint8_t *tcap, size_t tcap_len,
                      ssgw_error *err)
{
    ssgw_sccp_msg sm;
    ssgw_sccp_msg_init(&sm, SSGW_SCCP_UDT);
    sm.protocol_class = 1;
    sm.return_on_error = r->return_on_error;
    sm.called = r->called;
    sm.calling = r->calling;
    sm.data = tcap;
    sm.data_len = tcap_len;
    uint8_t sccp[SSGW_SCCP_MAX_MSG];
    ssgw_buf sb;
    ssgw_buf_init(&sb, sccp, sizeof sccp);
    if (ssgw_sccp_encode_unitdata(&sb, &sm, sizeof sccp, NULL, err) < 0) return -1;
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    if (r->routing_context) {
        d.routing_context = r->routing_context;
        d.n_routing_context = 1;
    }
    d.pd.opc = r->opc;
    d.pd.dpc = r->dpc;
    d.pd.si = 3; /* SCCP */
    d.pd.ni = r->ni;
    d.pd.sls = r->sls;
    d.pd.data = sb.data;
    d.pd.data_len = sb.len;
    if (ssgw_m3ua_encode_data(out, &d) < 0 || out->overflow)
        return ssgw_fail(err, SSGW_LAYER_M3UA, SSGW_E_TOO_BIG, "DATA message", 0);
    return 0;
}

int ssgw_map_msg_encode(ssgw_buf *out, const ssgw_map_route *r, const ssgw_tcap_msg *t,
                        const ssgw_tcap_component *comps, size_t ncomp, ssgw_error *err)
{
    uint8_t tcap[SSGW_SCCP_MAX_MSG];
    ssgw_buf tb;
    ssgw_buf_init(&tb, tcap, sizeof tcap);
    if (ssgw_tcap_encode(&tb, t, comps, ncomp, err) < 0) return -1;
    return ssgw_map_msg_wrap(out, r, tb.data, tb.len, err);
}
