/*
 * fuzz_sccp.c - libFuzzer target for the SCCP connectionless decoder
 * (Q.713 UDT/UDTS/XUDT/XUDTS/LUDT/LUDTS) and party-address decoder.
 *
 * Whatever decodes must re-encode, and the re-encoding must decode to the same
 * view and re-encode to the same bytes (the encoder's output is canonical).
 */
#include <stdlib.h>
#include <string.h>

#include "ssgw/sccp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_addr(const ssgw_sccp_addr *a, const ssgw_sccp_addr *b)
{
    if (a->gti != b->gti || a->ri != b->ri || a->has_pc != b->has_pc || a->pc != b->pc ||
        a->has_ssn != b->has_ssn || a->ssn != b->ssn || a->tt != b->tt || a->np != b->np ||
        a->es != b->es || a->nai != b->nai || strcmp(a->digits, b->digits) != 0 ||
        a->gt_raw_len != b->gt_raw_len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ssgw_sccp_addr a;
    ssgw_error err;
    (void)ssgw_sccp_addr_decode(data, size, &a, &err);

    ssgw_sccp_msg m, m2;
    if (ssgw_sccp_decode(data, size, &m, &err) != 0) {
        if (err.layer != SSGW_LAYER_SCCP || !err.field || err.offset > size) abort();
        return 0;
    }
    if (m.data_offset + m.data_len > size) abort();
    size_t pos = 0;
    ssgw_sccp_opt o;
    while (ssgw_sccp_opt_next(&m, &pos, &o))
        if (o.val + o.len > data + size) abort();

    static uint8_t out1[70000], out2[70000];
    ssgw_buf b1, b2;
    ssgw_buf_init(&b1, out1, sizeof out1);
    if (ssgw_sccp_encode(&b1, &m, &err) != 0) {
        /* Only a decoded layout the canonical one cannot hold (a pointer past 255). */
        if (err.code != SSGW_E_TOO_BIG) abort();
        return 0;
    }
    if (ssgw_sccp_decode(b1.data, b1.len, &m2, &err) != 0) abort();
    if (m2.type != m.type || m2.protocol_class != m.protocol_class ||
        m2.return_on_error != m.return_on_error || m2.hop_counter != m.hop_counter ||
        m2.return_cause != m.return_cause || m2.data_len != m.data_len ||
        memcmp(m2.data, m.data, m.data_len) != 0 || m2.has_segmentation != m.has_segmentation ||
        m2.has_importance != m.has_importance || m2.importance != m.importance ||
        memcmp(&m2.seg, &m.seg, sizeof m.seg) != 0)
        abort();
    same_addr(&m.called, &m2.called);
    same_addr(&m.calling, &m2.calling);
    ssgw_buf_init(&b2, out2, sizeof out2);
    if (ssgw_sccp_encode(&b2, &m2, &err) != 0) abort();
    if (b1.len != b2.len || memcmp(b1.data, b2.data, b1.len) != 0) abort();
    return 0;
}
