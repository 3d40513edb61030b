/*
 * capture_compare.h - two capture handles fed the same frames, one through the straight path
 * for common frames (src/capture/fast_path.c), one with every frame through the general
 * decoders (cap_set_general_only): are their records and statistics the same? For
 * tests/unit/test_capture_paths.c and tests/fuzz/fuzz_capture_packet.c.
 */
#ifndef SSGW_TEST_CAPTURE_COMPARE_H
#define SSGW_TEST_CAPTURE_COMPARE_H

#include <stdbool.h>
#include <string.h>

#include "capture/capture_int.h"

static inline bool capcmp_same_error(const ssgw_error *a, const ssgw_error *b)
{
    return a->layer == b->layer && a->code == b->code && a->offset == b->offset &&
           ((!a->field && !b->field) || (a->field && b->field && !strcmp(a->field, b->field)));
}

/* Every member of two records, the message bytes rather than their address. */
static inline bool capcmp_same_msg(const ssgw_capture_msg *a, const ssgw_capture_msg *b)
{
    return a->frame == b->frame && a->ts_sec == b->ts_sec && a->ts_usec == b->ts_usec &&
           a->kind == b->kind && a->transport == b->transport && !strcmp(a->src_ip, b->src_ip) &&
           !strcmp(a->dst_ip, b->dst_ip) && a->src_port == b->src_port &&
           a->dst_port == b->dst_port && a->sctp_stream == b->sctp_stream &&
           a->sctp_ppid == b->sctp_ppid && a->link == b->link && a->len == b->len &&
           (!a->len || !memcmp(a->data, b->data, a->len)) && a->is_error == b->is_error &&
           (!a->is_error || capcmp_same_error(&a->error, &b->error));
}

/* Drains both handles; true when they gave the same records and hold the same statistics. */
static inline bool capcmp_drain(ssgw_capture *fast, ssgw_capture *general)
{
    ssgw_capture_msg ma, mb;
    int ra, rb;
    bool same = true;
    do {
        ra = ssgw_capture_next(fast, &ma);
        rb = ssgw_capture_next(general, &mb);
        same = same && ra == rb && (ra != 1 || capcmp_same_msg(&ma, &mb));
    } while (ra == 1 && rb == 1);
    while (ra == 1)
        ra = ssgw_capture_next(fast, &ma);
    while (rb == 1)
        rb = ssgw_capture_next(general, &mb);
    return same && !memcmp(ssgw_capture_get_stats(fast), ssgw_capture_get_stats(general),
                           sizeof(ssgw_capture_stats));
}

#endif
