/*
 * decoder.c - the stateful front of the inspection pipeline: decodes each
 * message with view.c and reassembles segmented SCCP (XUDT/LUDT, Q.714 4.1.1.3)
 * before TCAP is decoded. Every message ends in a counted outcome.
 */
#include <stdlib.h>

#include "ssgw/view.h"

struct ssgw_decoder {
    ssgw_sccp_reasm *reasm;
    ssgw_decoder_stats stats;
};

ssgw_decoder *ssgw_decoder_new(const ssgw_sccp_reasm_limits *limits)
{
    ssgw_sccp_reasm_limits def = {.max_entries = 1024,
                                  .max_msg_bytes = SSGW_SCCP_MAX_SEGMENTED_DATA,
                                  .max_total_bytes = 4u << 20,
                                  .timeout_ms = 10000};
    ssgw_decoder *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->reasm = ssgw_sccp_reasm_new(limits ? limits : &def);
    if (!d->reasm) {
        free(d);
        return NULL;
    }
    return d;
}

void ssgw_decoder_free(ssgw_decoder *d)
{
    if (!d) return;
    ssgw_sccp_reasm_free(d->reasm);
    free(d);
}

const ssgw_decoder_stats *ssgw_decoder_get_stats(const ssgw_decoder *d)
{
    return &d->stats;
}

static int count_error(ssgw_decoder *d, ssgw_view *v)
{
    if ((unsigned)v->error.layer < SSGW_LAYER_COUNT) d->stats.errors_by_layer[v->error.layer]++;
    return -1;
}

int ssgw_decoder_run_capture(ssgw_decoder *d, const ssgw_capture_msg *cm, ssgw_view *v)
{
    if (cm->is_error) {
        d->stats.messages++;
        ssgw_view_set_error(v, &cm->error);
        return count_error(d, v);
    }
    uint64_t now_ms = (uint64_t)cm->ts_sec * 1000u + cm->ts_usec / 1000u;
    return ssgw_decoder_run(d, cm->kind, cm->data, cm->len, now_ms, v);
}

int ssgw_decoder_run(ssgw_decoder *d, ssgw_capture_kind kind, const uint8_t *buf, size_t len,
                     uint64_t now_ms, ssgw_view *v)
{
    return ssgw_decoder_run_from(d, 0, kind, buf, len, now_ms, v);
}

static int run_rest(ssgw_decoder *d, uint32_t source, const uint8_t *buf, uint64_t now_ms,
                    ssgw_view *v, int r);

int ssgw_decoder_run_from(ssgw_decoder *d, uint32_t source, ssgw_capture_kind kind,
                          const uint8_t *buf, size_t len, uint64_t now_ms, ssgw_view *v)
{
    int r;
    d->stats.messages++;
    switch (kind) {
    case SSGW_CAPTURE_KIND_MTP3:
        r = ssgw_view_decode_mtp3(v, buf, len);
        break;
    case SSGW_CAPTURE_KIND_SCCP:
        r = ssgw_view_decode_sccp(v, buf, len);
        break;
    case SSGW_CAPTURE_KIND_DIAMETER:
        r = ssgw_view_decode_diameter(v, buf, len);
        break;
    /* issue 11: probe framings */
    case SSGW_CAPTURE_KIND_M2PA:
        r = ssgw_view_decode_m2pa(v, buf, len);
        break;
    case SSGW_CAPTURE_KIND_M2UA:
        r = ssgw_view_decode_m2ua(v, buf, len);
        break;
    case SSGW_CAPTURE_KIND_SUA:
        r = ssgw_view_decode_sua(v, buf, len);
        break;
    default:
        r = ssgw_view_decode_m3ua(v, buf, len);
        break;
    }
    return run_rest(d, source, buf, now_ms, v, r);
}

int ssgw_decoder_run_m3ua(ssgw_decoder *d, uint32_t source, const uint8_t *buf, size_t len,
                          const ssgw_m3ua_msg *m3ua, uint64_t now_ms, ssgw_view *v)
{
    d->stats.messages++;
    return run_rest(d, source, buf, now_ms, v, ssgw_view_decode_m3ua_msg(v, buf, len, m3ua));
}

/* After the first layer (r: its result): reassembly of segmented SCCP, then TCAP. */
static int run_rest(ssgw_decoder *d, uint32_t source, const uint8_t *buf, uint64_t now_ms,
                    ssgw_view *v, int r)
{
    if (r < 0) return count_error(d, v);
    if (!v->has_sccp) {
        d->stats.decoded++;
        return 0;
    }
    const ssgw_sccp_msg *s = &v->sccp;
    if (!ssgw_view_sccp_user_data(v)) {
        d->stats.decoded++;
        return 0;
    }
    const uint8_t *data = s->data;
    size_t data_len = s->data_len;
    size_t base = (size_t)(s->data - buf); /* s->data points into buf */
    if (s->has_segmentation && !(s->seg.first && s->seg.remaining == 0)) {
        uint32_t peer = v->has_label ? v->opc : 0;
        int res = ssgw_sccp_reasm_feed_from(d->reasm, s, source, peer, now_ms, &data, &data_len);
        v->reasm_result = res;
        if ((unsigned)res < SSGW_SCCP_REASM_RESULT_COUNT) d->stats.reasm[res]++;
        if (res == SSGW_SCCP_REASM_IN_PROGRESS) {
            v->reasm = SSGW_VIEW_REASM_PENDING;
            d->stats.decoded++;
            return 0;
        }
        if (res != SSGW_SCCP_REASM_COMPLETE) {
            v->reasm = SSGW_VIEW_REASM_FAILED;
            ssgw_fail(&v->error, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE,
                      ssgw_sccp_reasm_result_name(res), (size_t)(s->data - buf));
            v->has_error = true;
            return count_error(d, v);
        }
        v->reasm = SSGW_VIEW_REASM_COMPLETE;
        base = 0;
    }
    if (ssgw_view_decode_tcap(v, data, data_len, base) < 0) return count_error(d, v);
    d->stats.decoded++;
    return 0;
}
