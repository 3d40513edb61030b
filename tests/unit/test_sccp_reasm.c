/*
 * test_sccp_reasm.c - XUDT segmentation (Q.714 4.1.1.2, Q.713 3.17) and
 * bounded reassembly (Q.714 4.1.1.3). The segments of the 1000-octet payload
 * were decoded with tshark 4.0 (M3UA/SCTP pcap): five XUDTs, class 1, first
 * segment bit on the first only, remaining 4..0, local reference 0x123456,
 * called/calling digits 491770000001/4917700002; the first and last segment
 * bytes asserted below are the ones tshark read, and tshark reassembled the
 * five into "[Reassembled SCCP length: 1000]".
 */
#include <stdlib.h>

#include "check.h"
#include "ssgw/sccp.h"

#define NSEG 16

static uint8_t payload[4000];
static uint8_t seg_mem[NSEG][300];
static size_t seg_len[NSEG];
static unsigned seg_count;

static int collect(void *ctx, unsigned index, unsigned count, const uint8_t *msg, size_t len)
{
    (void)ctx;
    if (index >= NSEG || len > sizeof seg_mem[0]) return 7;
    memcpy(seg_mem[index], msg, len);
    seg_len[index] = len;
    seg_count = count;
    return 0;
}

static int refuse(void *ctx, unsigned index, unsigned count, const uint8_t *msg, size_t len)
{
    (void)ctx, (void)count, (void)msg, (void)len;
    return index == 2 ? 5 : 0;
}

static void template(ssgw_sccp_msg *m, const char *calling, size_t len)
{
    ssgw_sccp_msg_init(m, SSGW_SCCP_XUDT);
    ssgw_sccp_addr_gt(&m->called, "491770000001", 6);
    ssgw_sccp_addr_gt(&m->calling, calling, 8);
    m->data = payload;
    m->data_len = len;
}

static int split(const char *calling, size_t len, uint32_t ref)
{
    ssgw_sccp_msg t;
    ssgw_error e;
    template(&t, calling, len);
    return ssgw_sccp_segment(&t, ref, 0, collect, NULL, &e);
}

/* Decodes segment i into *m (the segment buffers stay alive). */
static void seg(unsigned i, ssgw_sccp_msg *m)
{
    ssgw_error e;
    CHECK_INT(ssgw_sccp_decode(seg_mem[i], seg_len[i], m, &e), 0);
}

static ssgw_sccp_reasm *make(size_t entries, size_t msg, size_t total, uint64_t timeout)
{
    ssgw_sccp_reasm_limits lim = {entries, msg, total, timeout, 0, 0};
    return ssgw_sccp_reasm_new(&lim);
}

static void segment_1000_and_reassemble(void)
{
    CHECK_INT(split("4917700002", 1000, 0x123456), 5);
    CHECK_INT(seg_count, 5);
    /* First segment as tshark read it: class 1, hop 15, pointers 04 0f 19 ff,
     * 230 data octets, segmentation 10 04 84 56 34 12 at the end. */
    uint8_t head[] = {0x11, 0x01, 0x0f, 0x04, 0x0f, 0x19, 0xff, 0x0b, 0x12, 0x06, 0x00, 0x12,
                      0x04, 0x94, 0x71, 0x07, 0x00, 0x00, 0x10, 0x0a, 0x12, 0x08, 0x00, 0x12,
                      0x04, 0x94, 0x71, 0x07, 0x00, 0x20, 0xe6, 0x00, 0x01, 0x02};
    CHECK_INT(seg_len[0], 268);
    CHECK_MEM(seg_mem[0], sizeof head, head, sizeof head);
    uint8_t tail0[] = {0x10, 0x04, 0x84, 0x56, 0x34, 0x12, 0x00};
    CHECK_MEM(seg_mem[0] + seg_len[0] - 7, 7, tail0, 7);
    uint8_t tail4[] = {0xe7, 0x10, 0x04, 0x00, 0x56, 0x34, 0x12, 0x00};
    CHECK_INT(seg_len[4], 118);
    CHECK_MEM(seg_mem[4] + seg_len[4] - 8, 8, tail4, 8);

    size_t total = 0;
    for (unsigned i = 0; i < 5; i++) {
        ssgw_sccp_msg m;
        seg(i, &m);
        CHECK(seg_len[i] <= SSGW_SCCP_MAX_MSG);
        CHECK(m.has_segmentation);
        CHECK_INT(m.seg.first, i == 0);
        CHECK_INT(m.seg.remaining, 4 - i);
        CHECK_INT(m.seg.local_ref, 0x123456);
        CHECK_INT(m.seg.cls, 0);
        CHECK_INT(m.protocol_class, 1);
        CHECK_STR(m.calling.digits, "4917700002");
        CHECK_MEM(m.data, m.data_len, payload + total, m.data_len);
        total += m.data_len;
    }
    CHECK_INT(total, 1000);

    ssgw_sccp_reasm *r = make(4, SSGW_SCCP_MAX_SEGMENTED_DATA, 16000, 10000);
    const uint8_t *out;
    size_t out_len;
    for (unsigned i = 0; i < 5; i++) {
        ssgw_sccp_msg m;
        seg(i, &m);
        ssgw_sccp_reasm_result res = ssgw_sccp_reasm_feed(r, &m, 0, 100 + i, &out, &out_len);
        CHECK_INT(res, i < 4 ? SSGW_SCCP_REASM_IN_PROGRESS : SSGW_SCCP_REASM_COMPLETE);
    }
    CHECK_MEM(out, out_len, payload, 1000);
    ssgw_sccp_reasm_stats st;
    ssgw_sccp_reasm_get_stats(r, &st);
    CHECK_INT(st.results[SSGW_SCCP_REASM_IN_PROGRESS], 4);
    CHECK_INT(st.results[SSGW_SCCP_REASM_COMPLETE], 1);
    CHECK_INT(st.active, 0);
    CHECK_INT(st.bytes, 0);
    /* An unsegmented message passes through. */
    ssgw_sccp_msg plain;
    template(&plain, "4917700002", 10);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &plain, 0, 200, &out, &out_len), SSGW_SCCP_REASM_UNSEGMENTED);
    CHECK(out == NULL);
    ssgw_sccp_reasm_free(r);

    /* Segmenting limits: 16 segments at most, 24-bit reference, room for data. */
    ssgw_sccp_msg t;
    ssgw_error e;
    template(&t, "4917700002", 16 * 230);
    CHECK_INT(ssgw_sccp_segment(&t, 1, 0, collect, NULL, &e), 16);
    t.data_len++;
    CHECK_INT(ssgw_sccp_segment(&t, 1, 0, collect, NULL, &e), -1);
    CHECK_INT(e.code, SSGW_E_TOO_BIG);
    t.data_len = SSGW_SCCP_MAX_SEGMENTED_DATA + 1;
    CHECK_INT(ssgw_sccp_segment(&t, 1, 0, collect, NULL, &e), -1);
    CHECK_STR(e.field, "data length");
    t.data_len = 1000;
    CHECK_INT(ssgw_sccp_segment(&t, 0x1000000, 0, collect, NULL, &e), -1);
    CHECK_INT(e.code, SSGW_E_BAD_VALUE);
    CHECK_INT(ssgw_sccp_segment(&t, 1, 40, collect, NULL, &e), -1); /* no room left */
    CHECK_INT(e.code, SSGW_E_TOO_BIG);
    /* The callback's refusal stops segmentation and is returned. */
    CHECK_INT(ssgw_sccp_segment(&t, 1, 0, refuse, NULL, &e), 5);
}

static void segment_to_bufs(void)
{
    ssgw_sccp_msg t;
    ssgw_error e;
    template(&t, "4917700002", 600);
    t.has_importance = true;
    t.importance = 6;
    t.protocol_class = 1;
    uint8_t mem[3][300];
    ssgw_buf b[3];
    for (int i = 0; i < 3; i++)
        ssgw_buf_init(&b[i], mem[i], sizeof mem[i]);
    CHECK_INT(ssgw_sccp_segment_to_bufs(&t, 77, 0, b, 3, &e), 3);
    size_t total = 0;
    for (int i = 0; i < 3; i++) {
        ssgw_sccp_msg m;
        CHECK_INT(ssgw_sccp_decode(b[i].data, b[i].len, &m, &e), 0);
        CHECK(m.has_importance);
        CHECK_INT(m.importance, 6);
        CHECK_INT(m.seg.cls, 1);
        CHECK_INT(m.seg.local_ref, 77);
        total += m.data_len;
    }
    CHECK_INT(total, 600);
    for (int i = 0; i < 3; i++)
        ssgw_buf_init(&b[i], mem[i], sizeof mem[i]);
    CHECK_INT(ssgw_sccp_segment_to_bufs(&t, 77, 0, b, 2, &e), -1);
    CHECK_INT(e.code, SSGW_E_TOO_BIG);
}

static void out_of_order_and_missing_first(void)
{
    ssgw_sccp_reasm *r = make(4, 4000, 16000, 10000);
    const uint8_t *out;
    size_t out_len;
    ssgw_sccp_msg m;
    CHECK_INT(split("4917700002", 1000, 5), 5);
    /* A later segment with nothing open. */
    seg(1, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_MISSING_FIRST);
    /* 0 then 2: refused, and the reassembly is gone. */
    seg(0, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    seg(2, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_OUT_OF_ORDER);
    seg(3, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_MISSING_FIRST);
    /* A repeated segment is out of order too. */
    seg(0, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    seg(1, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_OUT_OF_ORDER);
    /* A new first segment while a reassembly with its key is open ends both: which one the
     * receiving node keeps is not known, so neither may complete unjudged. */
    seg(0, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_CONFLICT);
    seg(1, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_MISSING_FIRST);
    seg(0, &m); /* a first segment after the conflict starts afresh */
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    /* Same local reference from another peer or calling GT is another key. */
    seg(1, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 99, 0, &out, &out_len), SSGW_SCCP_REASM_MISSING_FIRST);
    ssgw_sccp_reasm_stats st;
    ssgw_sccp_reasm_get_stats(r, &st);
    CHECK_INT(st.results[SSGW_SCCP_REASM_OUT_OF_ORDER], 2);
    CHECK_INT(st.results[SSGW_SCCP_REASM_MISSING_FIRST], 4);
    CHECK_INT(st.results[SSGW_SCCP_REASM_CONFLICT], 1);
    CHECK_INT(st.replaced, 1);
    CHECK_INT(st.active, 1);
    CHECK_STR(ssgw_sccp_reasm_result_name(SSGW_SCCP_REASM_CONFLICT), "repeated first segment");
    ssgw_sccp_reasm_free(r);
}

static void interleaved_messages(void)
{
    /* Two callers, same local reference, segments interleaved. */
    static uint8_t a[5][300], b[5][300];
    static size_t alen[5], blen[5];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i * 7 + 3);
    CHECK_INT(split("111111", 1000, 42), 5);
    for (int i = 0; i < 5; i++) {
        memcpy(a[i], seg_mem[i], seg_len[i]);
        alen[i] = seg_len[i];
    }
    CHECK_INT(split("222222", 690, 42), 3);
    for (int i = 0; i < 3; i++) {
        memcpy(b[i], seg_mem[i], seg_len[i]);
        blen[i] = seg_len[i];
    }
    ssgw_sccp_reasm *r = make(2, 4000, 8000, 10000);
    const uint8_t *out;
    size_t out_len;
    ssgw_sccp_msg m;
    ssgw_error e;
    int done = 0;
    for (int i = 0; i < 5; i++) {
        CHECK_INT(ssgw_sccp_decode(a[i], alen[i], &m, &e), 0);
        int res = ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len);
        if (res == SSGW_SCCP_REASM_COMPLETE) {
            CHECK_MEM(out, out_len, payload, 1000);
            done++;
        }
        if (i < 3) {
            CHECK_INT(ssgw_sccp_decode(b[i], blen[i], &m, &e), 0);
            res = ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len);
            if (res == SSGW_SCCP_REASM_COMPLETE) {
                CHECK_MEM(out, out_len, payload, 690);
                done++;
            }
        }
    }
    CHECK_INT(done, 2);
    ssgw_sccp_reasm_free(r);
}

/* Two messages whose calling addresses differ only in the translation type (the same
 * digits, SSN and local reference), segments interleaved: a node keys on the whole address
 * and rebuilds each; so must we (keyed on the digits, the second's first segment replaced the
 * first's, and the first's tail completed the second's head: a message no node rebuilds). */
static void calling_address_as_sent(void)
{
    static uint8_t x[3][300], y[3][300];
    static size_t xlen[3], ylen[3];
    ssgw_sccp_msg t;
    ssgw_error e;
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i * 5 + 1);
    template(&t, "491770000099", 600);
    CHECK_INT(ssgw_sccp_segment(&t, 0x222, 0, collect, NULL, &e), 3);
    for (int i = 0; i < 3; i++) {
        memcpy(x[i], seg_mem[i], seg_len[i]);
        xlen[i] = seg_len[i];
    }
    static uint8_t ypayload[600];
    for (size_t i = 0; i < sizeof ypayload; i++)
        ypayload[i] = (uint8_t)(i * 3 + 200);
    template(&t, "491770000099", 600);
    t.data = ypayload;
    t.calling.tt = 1;
    CHECK_INT(ssgw_sccp_segment(&t, 0x222, 0, collect, NULL, &e), 3);
    for (int i = 0; i < 3; i++) {
        memcpy(y[i], seg_mem[i], seg_len[i]);
        ylen[i] = seg_len[i];
    }
    ssgw_sccp_reasm *r = make(4, 4000, 16000, 10000);
    const uint8_t *out;
    size_t out_len;
    ssgw_sccp_msg m;
    int done = 0;
    for (int i = 0; i < 3; i++) {
        CHECK_INT(ssgw_sccp_decode(x[i], xlen[i], &m, &e), 0);
        CHECK_INT(m.calling.tt, 0);
        int res = ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len);
        CHECK_INT(res, i < 2 ? SSGW_SCCP_REASM_IN_PROGRESS : SSGW_SCCP_REASM_COMPLETE);
        if (res == SSGW_SCCP_REASM_COMPLETE) done += out_len == 600 && !memcmp(out, payload, 600);
        CHECK_INT(ssgw_sccp_decode(y[i], ylen[i], &m, &e), 0);
        CHECK_INT(m.calling.tt, 1);
        CHECK_STR(m.calling.digits, "491770000099");
        res = ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len);
        CHECK_INT(res, i < 2 ? SSGW_SCCP_REASM_IN_PROGRESS : SSGW_SCCP_REASM_COMPLETE);
        if (res == SSGW_SCCP_REASM_COMPLETE) done += out_len == 600 && !memcmp(out, ypayload, 600);
    }
    CHECK_INT(done, 2);
    ssgw_sccp_reasm_free(r);
}

static void timeouts(void)
{
    ssgw_sccp_reasm *r = make(4, 4000, 16000, 500);
    const uint8_t *out;
    size_t out_len;
    ssgw_sccp_msg m;
    CHECK_INT(split("4917700002", 1000, 5), 5);
    seg(0, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 1000, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    seg(1, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 1499, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    seg(2, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 1500, &out, &out_len), SSGW_SCCP_REASM_TIMED_OUT);
    /* Explicit expiry. */
    seg(0, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 2000, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    CHECK_INT(ssgw_sccp_reasm_expire(r, 2499), 0);
    CHECK_INT(ssgw_sccp_reasm_expire(r, 2500), 1);
    seg(1, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 2500, &out, &out_len), SSGW_SCCP_REASM_MISSING_FIRST);
    /* Expired entries of other keys are purged by feed. */
    seg(0, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 1, 3000, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 2, 3000, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    ssgw_sccp_msg plain;
    template(&plain, "1", 3);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &plain, 0, 9000, &out, &out_len),
              SSGW_SCCP_REASM_UNSEGMENTED);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 3, 9000, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    ssgw_sccp_reasm_stats st;
    ssgw_sccp_reasm_get_stats(r, &st);
    CHECK_INT(st.active, 1);
    CHECK_INT(st.expired, 4);
    CHECK_INT(st.results[SSGW_SCCP_REASM_TIMED_OUT], 1);
    ssgw_sccp_reasm_free(r);
}

static void caps(void)
{
    const uint8_t *out;
    size_t out_len;
    ssgw_sccp_msg m;
    CHECK_INT(split("4917700002", 1000, 5), 5);
    /* Table full: two entries, a third key is refused. */
    ssgw_sccp_reasm *r = make(2, 4000, 16000, 500);
    seg(0, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 1, 0, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 2, 0, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 3, 0, &out, &out_len), SSGW_SCCP_REASM_TABLE_FULL);
    ssgw_sccp_reasm_stats st;
    ssgw_sccp_reasm_get_stats(r, &st);
    CHECK_INT(st.active, 2);
    CHECK_INT(st.results[SSGW_SCCP_REASM_TABLE_FULL], 1);
    ssgw_sccp_reasm_free(r);

    /* Too big: 500 octets max, the third segment crosses it. */
    r = make(2, 500, 16000, 500);
    seg(0, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    seg(1, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    seg(2, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_TOO_BIG);
    ssgw_sccp_reasm_get_stats(r, &st);
    CHECK_INT(st.active, 0);
    CHECK_INT(st.bytes, 0);
    ssgw_sccp_reasm_free(r);
    r = make(2, 100, 16000, 500); /* first segment alone is too big */
    seg(0, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 0, 0, &out, &out_len), SSGW_SCCP_REASM_TOO_BIG);
    ssgw_sccp_reasm_free(r);

    /* Memory: 1200 octets for everybody; the second reassembly cannot start. */
    r = make(4, 4000, 1200, 500);
    seg(0, &m);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 1, 0, &out, &out_len), SSGW_SCCP_REASM_IN_PROGRESS);
    CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 2, 0, &out, &out_len), SSGW_SCCP_REASM_MEMORY_FULL);
    ssgw_sccp_reasm_get_stats(r, &st);
    CHECK(st.bytes <= 1200);
    for (unsigned i = 1; i < 5; i++) {
        seg(i, &m);
        CHECK_INT(ssgw_sccp_reasm_feed(r, &m, 1, 0, &out, &out_len),
                  i < 4 ? SSGW_SCCP_REASM_IN_PROGRESS : SSGW_SCCP_REASM_COMPLETE);
    }
    CHECK_MEM(out, out_len, payload, 1000);
    ssgw_sccp_reasm_free(r);

    /* A single segment (F set, 0 remaining) is complete at once, in place. */
    r = make(1, 4000, 4000, 500);
    ssgw_sccp_msg one;
    template(&one, "4917700002", 50);
    one.has_segmentation = true;
    one.seg.first = true;
    CHECK_INT(ssgw_sccp_reasm_feed(r, &one, 0, 0, &out, &out_len), SSGW_SCCP_REASM_COMPLETE);
    CHECK(out == payload);
    CHECK_INT(out_len, 50);
    ssgw_sccp_reasm_free(r);

    /* Bad limits. */
    CHECK(make(0, 1, 1, 1) == NULL);
    CHECK(make(1, 1, 1, 0) == NULL);
    CHECK_STR(ssgw_sccp_reasm_result_name(SSGW_SCCP_REASM_TABLE_FULL), "table full");
    CHECK_STR(ssgw_sccp_reasm_result_name(SSGW_SCCP_REASM_MISSING_FIRST), "missing first segment");
    CHECK_STR(ssgw_sccp_reasm_result_name(99), "?");
}

/* One link floods first segments that never finish: its quota fills (source quota full),
 * the others' reassemblies still open and complete; a flooder writing the victim's
 * calling address and reference cannot touch the victim's reassembly. */
static void per_source_isolation(void)
{
    ssgw_sccp_reasm_limits lim = {64, SSGW_SCCP_MAX_SEGMENTED_DATA, 64 * 4000, 10000, 8, 16000};
    ssgw_sccp_reasm *r = ssgw_sccp_reasm_new(&lim);
    const uint8_t *out;
    size_t out_len;
    CHECK_INT(split("4917700002", 1000, 0x10), 5);
    ssgw_sccp_msg first;
    seg(0, &first);
    /* link 1 floods: 8 open, then refused by its own quota */
    unsigned in_progress = 0, source_full = 0;
    for (uint32_t ref = 1; ref <= 40; ref++) {
        ssgw_sccp_msg m = first;
        m.seg.local_ref = 0x1000 + ref;
        ssgw_sccp_reasm_result res = ssgw_sccp_reasm_feed_from(r, &m, 1, 7, 0, &out, &out_len);
        in_progress += res == SSGW_SCCP_REASM_IN_PROGRESS;
        source_full += res == SSGW_SCCP_REASM_SOURCE_FULL;
    }
    CHECK_INT(in_progress, 8);
    CHECK_INT(source_full, 32);
    /* link 2 (same OPC 7, same calling address) still reassembles its message */
    for (unsigned i = 0; i < 5; i++) {
        ssgw_sccp_msg m;
        seg(i, &m);
        ssgw_sccp_reasm_result res = ssgw_sccp_reasm_feed_from(r, &m, 2, 7, 1 + i, &out, &out_len);
        CHECK_INT(res, i < 4 ? SSGW_SCCP_REASM_IN_PROGRESS : SSGW_SCCP_REASM_COMPLETE);
    }
    CHECK_MEM(out, out_len, payload, 1000);
    /* link 1 sends a later segment with link 2's key: not link 2's reassembly */
    seg(0, &first);
    CHECK_INT(ssgw_sccp_reasm_feed_from(r, &first, 2, 7, 10, &out, &out_len),
              SSGW_SCCP_REASM_IN_PROGRESS);
    ssgw_sccp_msg later;
    seg(1, &later);
    CHECK_INT(ssgw_sccp_reasm_feed_from(r, &later, 1, 7, 11, &out, &out_len),
              SSGW_SCCP_REASM_MISSING_FIRST);
    for (unsigned i = 1; i < 5; i++) { /* link 2's own segments still complete it */
        ssgw_sccp_msg m;
        seg(i, &m);
        CHECK_INT(ssgw_sccp_reasm_feed_from(r, &m, 2, 7, 12 + i, &out, &out_len),
                  i < 4 ? SSGW_SCCP_REASM_IN_PROGRESS : SSGW_SCCP_REASM_COMPLETE);
    }
    CHECK_MEM(out, out_len, payload, 1000);
    /* no source (a capture): bounded by the table, not by a per-source quota */
    unsigned opened = 0;
    for (uint32_t ref = 1; ref <= 40; ref++) {
        ssgw_sccp_msg m = first;
        m.seg.local_ref = 0x2000 + ref;
        opened += ssgw_sccp_reasm_feed_from(r, &m, 0, 9, 20, &out, &out_len) ==
                  SSGW_SCCP_REASM_IN_PROGRESS;
    }
    CHECK_INT(opened, 40);
    ssgw_sccp_reasm_free(r);
}

int main(void)
{
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)i;
    RUN(segment_1000_and_reassemble);
    RUN(per_source_isolation);
    RUN(segment_to_bufs);
    RUN(out_of_order_and_missing_first);
    RUN(timeouts);
    RUN(caps);
    RUN(interleaved_messages);
    RUN(calling_address_as_sent);
    return check_summary();
}
