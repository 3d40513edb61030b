/*
 * peer_isup.c - ISUP calls for `ssgw peer` (see peer_isup.h): Q.764 basic call, seen
 * from the two exchanges at the ends of a circuit. The originating exchange sends an IAM
 * per circuit (called and calling party number in international E.164 form, calling
 * party's category ordinary subscriber, speech), releases the call with REL (cause 16
 * normal call clearing) as soon as it is answered, and answers every REL with RLC; the
 * terminating exchange answers an IAM for one of its numbers with ACM (subscriber free)
 * and ANM. Messages are built with the ISUP codec and framed in M3UA DATA with service
 * indicator 5 and the SLS taken from the CIC's low bits (the ITU convention, Q.704 2.2).
 */
#include "sim/peer_isup.h"

#include <string.h>

#include "ssgw/isup.h"
#include "ssgw/m3ua.h"
#include "ssgw/mtp3.h"

/* M3UA DATA carrying isup from opc to dpc. */
static int frame(const ssgw_peer_opts *o, uint32_t opc, uint32_t dpc, uint8_t ni,
                 const ssgw_buf *isup, ssgw_buf *out)
{
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    if (o->has_rc) {
        d.routing_context = &o->rc;
        d.n_routing_context = 1;
    }
    d.pd.opc = opc;
    d.pd.dpc = dpc;
    d.pd.si = SSGW_MTP3_SI_ISUP;
    d.pd.ni = ni;
    d.pd.sls = isup->data[0] & 0x0f; /* the CIC's low bits */
    d.pd.data = isup->data;
    d.pd.data_len = isup->len;
    return ssgw_m3ua_encode_data(out, &d) < 0 || out->overflow ? -1 : 0;
}

int ssgw_peer_isup_iam(const ssgw_peer_opts *o, uint64_t i, ssgw_buf *out)
{
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    if (ssgw_isup_add_basic_iam(&b, o->called, o->calling, o->screening) < 0) return -1;
    uint8_t mem[256];
    ssgw_buf ib;
    ssgw_buf_init(&ib, mem, sizeof mem);
    ssgw_error e;
    uint16_t cic = (uint16_t)((o->cic + i) % (SSGW_ISUP_CIC_MAX + 1));
    if (ssgw_isup_builder_encode(&b, &ib, cic, SSGW_ISUP_IAM, &e) < 0) return -1;
    return frame(o, o->opc, o->dpc, 2, &ib, out);
}

/* A message of type on v's circuit back towards v's sender; cause > 0 adds one. */
static int reply(const ssgw_peer_opts *o, const ssgw_view *v, uint8_t type, int cause,
                 ssgw_buf *out)
{
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    if (type == SSGW_ISUP_ACM) ssgw_isup_add_u16(&b, SSGW_ISUP_P_BCI, 0x1614);
    if (cause > 0) ssgw_isup_add_cause(&b, 0 /* user */, (uint8_t)cause);
    uint8_t mem[64];
    ssgw_buf ib;
    ssgw_buf_init(&ib, mem, sizeof mem);
    ssgw_error e;
    if (ssgw_isup_builder_encode(&b, &ib, v->isup.cic, type, &e) < 0) return -1;
    out->len = 0;
    out->overflow = false;
    return frame(o, v->dpc, v->opc, v->ni, &ib, out);
}

static bool ours(const ssgw_peer_opts *o, const char *called)
{
    for (unsigned i = 0; i < o->n_exchange; i++)
        if (!strncmp(called, o->exchange[i], strlen(o->exchange[i]))) return true;
    return false;
}

size_t ssgw_peer_isup_react(const ssgw_peer_opts *o, const ssgw_view *v, ssgw_buf *outs, size_t n)
{
    if (!v->has_isup || !v->has_label || n < 2) return 0;
    switch (v->isup.type) {
    case SSGW_ISUP_IAM:
        if (!ours(o, v->isup.f.called.digits)) return 0;
        if (reply(o, v, SSGW_ISUP_ACM, 0, &outs[0]) < 0 ||
            reply(o, v, SSGW_ISUP_ANM, 0, &outs[1]) < 0)
            return 0;
        return 2;
    case SSGW_ISUP_ANM:
    case SSGW_ISUP_CON:
        if (!o->calls) return 0;
        return reply(o, v, SSGW_ISUP_REL, 16, &outs[0]) < 0 ? 0 : 1;
    case SSGW_ISUP_REL:
        return reply(o, v, SSGW_ISUP_RLC, 0, &outs[0]) < 0 ? 0 : 1;
    default:
        return 0;
    }
}
