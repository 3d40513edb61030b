/*
 * fuzz_sccp_reasm.c - libFuzzer target for SCCP reassembly (Q.714 4.1.1.3)
 * and segmentation (Q.714 4.1.1.2).
 *
 * Input: records of [2-octet length][message][time step][peer]; each message
 * is decoded and fed to a small reassembly table. Checks that memory stays
 * within the limits and that a completed message is within max_msg_bytes;
 * each decoded message's data is also segmented and the segments reassembled.
 */
#include <stdlib.h>
#include <string.h>

#include "ssgw/sccp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    ssgw_sccp_reasm *r;
    int completed;
    size_t len;
} resegment_ctx;

static int feed_segment(void *ctx, unsigned index, unsigned count, const uint8_t *msg, size_t len)
{
    resegment_ctx *c = ctx;
    ssgw_sccp_msg m;
    ssgw_error err;
    if (ssgw_sccp_decode(msg, len, &m, &err) != 0) abort();
    const uint8_t *out;
    size_t out_len;
    ssgw_sccp_reasm_result res = ssgw_sccp_reasm_feed(c->r, &m, 7, 0, &out, &out_len);
    if (index + 1 < count && res != SSGW_SCCP_REASM_IN_PROGRESS) abort();
    if (index + 1 == count) {
        if (res != SSGW_SCCP_REASM_COMPLETE) abort();
        c->completed = 1;
        c->len = out_len;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ssgw_sccp_reasm_limits lim = {4, 1500, 3000, 1000, 2, 1500}; /* per-source quotas too */
    ssgw_sccp_reasm *r = ssgw_sccp_reasm_new(&lim);
    if (!r) return 0;
    uint64_t now = 0;
    size_t pos = 0;
    while (size - pos >= 4) {
        size_t n = (size_t)data[pos] << 8 | data[pos + 1];
        pos += 2;
        if (n > size - pos - 2) n = size - pos - 2;
        const uint8_t *msg = data + pos;
        pos += n;
        now += data[pos] * 10u;
        uint32_t peer = data[pos + 1] & 3, source = (data[pos + 1] >> 2) & 3;
        pos += 2;
        ssgw_sccp_msg m;
        ssgw_error err;
        if (ssgw_sccp_decode(msg, n, &m, &err) != 0) continue;
        const uint8_t *out;
        size_t out_len;
        ssgw_sccp_reasm_result res =
            ssgw_sccp_reasm_feed_from(r, &m, source, peer, now, &out, &out_len);
        if (res == SSGW_SCCP_REASM_COMPLETE && (out_len > lim.max_msg_bytes || !out)) abort();
        if (res == SSGW_SCCP_REASM_COMPLETE && out_len) (void)out[out_len - 1];
        ssgw_sccp_reasm_stats st;
        ssgw_sccp_reasm_get_stats(r, &st);
        if (st.bytes > lim.max_total_bytes || st.active > lim.max_entries) abort();

        /* Segment this message's data and reassemble it in a fresh table. */
        ssgw_sccp_reasm_limits big = {1, 4000, 4000, 1000, 0, 0};
        resegment_ctx c = {ssgw_sccp_reasm_new(&big), 0, 0};
        if (!c.r) break;
        m.protocol_class = 0;
        int count = ssgw_sccp_segment(&m, 1, 0, feed_segment, &c, &err);
        if (count > 1 && (!c.completed || c.len != m.data_len)) abort();
        ssgw_sccp_reasm_free(c.r);
    }
    ssgw_sccp_reasm_expire(r, now + 1000);
    ssgw_sccp_reasm_stats st;
    ssgw_sccp_reasm_get_stats(r, &st);
    if (st.active != 0 || st.bytes != 0) abort();
    ssgw_sccp_reasm_free(r);
    return 0;
}
