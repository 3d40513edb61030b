/*
 * gw_default_hook.c - the inspection hook a gateway starts with, and the
 * decoding every hook shares: ssgw_gw_decode() runs the whole-stack decoder of
 * the message's lane (SCCP reassembly state is per lane) once per message. The
 * default hook forwards what decodes and drops (or, with drop_malformed off,
 * alerts on) what does not, counted as "malformed.<layer>".
 */
#include <stdbool.h>
#include <stdlib.h>

#include "gateway/gw_workers.h"
#include "ssgw/gateway.h"
#include "ssgw/view.h"

struct ssgw_gw_default_inspector {
    ssgw_decoder *dec[GW_WORKERS_MAX]; /* one per lane: SCCP reassembly state is per lane */
    unsigned lanes;
    bool drop_malformed;
};

ssgw_gw_default_inspector *ssgw_gw_default_inspector_new(bool drop_malformed, unsigned lanes)
{
    if (lanes > GW_WORKERS_MAX) return NULL;
    ssgw_gw_default_inspector *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->lanes = lanes ? lanes : 1;
    d->drop_malformed = drop_malformed;
    for (unsigned i = 0; i < d->lanes; i++)
        if (!(d->dec[i] = ssgw_decoder_new(NULL))) {
            ssgw_gw_default_inspector_free(d);
            return NULL;
        }
    return d;
}

void ssgw_gw_default_inspector_free(ssgw_gw_default_inspector *d)
{
    if (!d) return;
    for (unsigned i = 0; i < d->lanes; i++)
        ssgw_decoder_free(d->dec[i]);
    free(d);
}

int ssgw_gw_decode(ssgw_gw_default_inspector *d, ssgw_gw_msg *msg)
{
    if (msg->view_ok) return msg->view->has_error ? -1 : 0;
    if (msg->lane >= d->lanes) return -1;
    /* the M3UA layer as the gateway decoded it to route the message, not decoded again */
    int r = ssgw_decoder_run_m3ua(d->dec[msg->lane], msg->link_index + 1, msg->data, msg->len,
                                  msg->m3ua, msg->now_ms, msg->view);
    msg->view_ok = true;
    return r;
}

static const char *malformed_reason(ssgw_layer layer)
{
    switch (layer) {
    case SSGW_LAYER_M3UA:
        return "malformed.m3ua";
    case SSGW_LAYER_MTP3:
        return "malformed.mtp3";
    case SSGW_LAYER_SCCP:
        return "malformed.sccp";
    case SSGW_LAYER_TCAP:
        return "malformed.tcap";
    case SSGW_LAYER_MAP:
        return "malformed.map";
    case SSGW_LAYER_BER:
        return "malformed.ber";
    default:
        return "malformed.other";
    }
}

int ssgw_gw_default_inspect(void *ctx, ssgw_gw_msg *msg, ssgw_gw_action *act)
{
    ssgw_gw_default_inspector *d = ctx;
    if (ssgw_gw_decode(d, msg) == 0) return 0;
    act->reason = malformed_reason(msg->view->error.layer);
    if (d->drop_malformed)
        act->verdict = SSGW_GW_DROP;
    else
        act->alert = true;
    return 0;
}
