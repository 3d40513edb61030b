/*
 * test_splice.c - the M3UA/SCCP splice (src/wire/splice.c) against the encoders it stands
 * in for: for every message it accepts, ssgw_splice_m3ua_udt() must write exactly what the
 * trust layer's re-framing writes by encoding (ssgw_trust_sccp_repack, then
 * ssgw_m3ua_encode_data with the original's Network Appearance, Routing Contexts, routing
 * label and Correlation Id, as trust_msg.c's wrap_m3ua does: the reference here), and it must
 * accept most of the generator's UDT traffic.
 *
 * Inputs: `ssgw_gen_message` traffic (every SCCP type and address form the generator
 * writes), each also with random octets changed (addresses' spare bits included, M3UA
 * parameters, pointers), decoded; new user data: the TCAP itself, the TCAP with octets
 * added (a token) or taken off, random data of 0-300 octets; SCCP fields as decoded, with
 * the type set to UDT (the verifier's re-framing), the return option flipped, the protocol
 * class 0-2; and the Protocol Data among other M3UA parameters (Network Appearance, 0-10
 * Routing Contexts, Correlation Id, in and out of order). ssgw_trust_reframe_view (the splice
 * inside) is compared the same way. Also checked: ssgw_sccp_addr_encodes_raw() says true only when
 * ssgw_sccp_addr_encode writes the raw octets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "m3ua_raw.h"
#include "ssgw/gen.h"
#include "ssgw/m3ua.h"
#include "ssgw/sccp.h"
#include "ssgw/splice.h"
#include "ssgw/token.h"
#include "ssgw/trust_msg.h"
#include "ssgw/view.h"

/* The encoding path: SCCP repacked, then M3UA as wrap_m3ua writes it; the number of messages
 * (only the first is written to out), or -1. */
static int reference(const ssgw_view *v, const ssgw_sccp_msg *like, const uint8_t *data, size_t len,
                     ssgw_buf *out)
{
    static uint8_t mem[SSGW_TRUST_MAX_OUT][SSGW_SCCP_MAX_MSG + 64];
    ssgw_buf sccp[SSGW_TRUST_MAX_OUT];
    for (size_t i = 0; i < SSGW_TRUST_MAX_OUT; i++)
        ssgw_buf_init(&sccp[i], mem[i], sizeof mem[i]);
    ssgw_error e;
    int n = ssgw_trust_sccp_repack(like, data, len, 0, 0x123456, sccp, SSGW_TRUST_MAX_OUT, &e);
    if (n < 1) return -1;
    const ssgw_m3ua_msg *m = &v->m3ua;
    uint32_t rc[8], na = m->network_appearance, cid = m->correlation_id;
    size_t nrc = 0;
    if (m->present & SSGW_M3UA_HAS_ROUTING_CONTEXT)
        for (; nrc < m->routing_context.count && nrc < 8; nrc++)
            rc[nrc] = ssgw_m3ua_u32_at(&m->routing_context, nrc);
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    d.network_appearance = (m->present & SSGW_M3UA_HAS_NETWORK_APPEARANCE) ? &na : NULL;
    d.routing_context = nrc ? rc : NULL;
    d.n_routing_context = nrc;
    d.pd = m->protocol_data;
    d.pd.data = sccp[0].data;
    d.pd.data_len = sccp[0].len;
    d.correlation_id = (m->present & SSGW_M3UA_HAS_CORRELATION_ID) ? &cid : NULL;
    out->len = 0;
    out->overflow = false;
    if (ssgw_m3ua_encode_data(out, &d) < 0 || out->overflow) return -1;
    return n;
}

static struct {
    unsigned tried, spliced, equal, differ, single_udt, reframe_differ;
} st;

/* One case: v's message framed around data with like; splice and reference compared. */
static void one(const ssgw_view *v, const ssgw_sccp_msg *like, const uint8_t *data, size_t len)
{
    static uint8_t a_mem[4096], r_mem[4096];
    ssgw_buf a, r;
    ssgw_buf_init(&a, a_mem, sizeof a_mem);
    ssgw_buf_init(&r, r_mem, sizeof r_mem);
    st.tried++;
    int n = reference(v, like, data, len, &r);
    int s = ssgw_splice_m3ua_udt(&v->m3ua, like, data, len, &a);
    if (s == 1) {
        st.spliced++;
        if (n == 1 && a.len == r.len && memcmp(a.data, r.data, a.len) == 0)
            st.equal++;
        else
            st.differ++;
    } else if (a.len != 0) {
        st.differ++; /* refused, but wrote */
    }
    /* how often the reference is one UDT at all (what the splice could take) */
    if (n == 1) {
        ssgw_m3ua_msg mm;
        ssgw_sccp_msg sm;
        ssgw_error e;
        if (ssgw_m3ua_decode(r.data, r.len, &mm, &e) == 0 &&
            ssgw_sccp_decode(mm.protocol_data.data, mm.protocol_data.data_len, &sm, &e) == 0 &&
            sm.type == SSGW_SCCP_UDT)
            st.single_udt++;
    }
}

/* The trust layer's entry point (splice inside, else encoding) against the reference. */
static void reframe(const ssgw_view *v)
{
    static uint8_t mem[SSGW_TRUST_MAX_OUT][4096], r_mem[4096];
    ssgw_buf outs[SSGW_TRUST_MAX_OUT], r;
    for (size_t i = 0; i < SSGW_TRUST_MAX_OUT; i++)
        ssgw_buf_init(&outs[i], mem[i], sizeof mem[i]);
    ssgw_buf_init(&r, r_mem, sizeof r_mem);
    ssgw_error e;
    int n = ssgw_trust_reframe_view(v, outs, SSGW_TRUST_MAX_OUT, &e);
    if (n != 1) return;
    ssgw_sccp_msg like = v->sccp;
    if (v->reasm == SSGW_VIEW_REASM_COMPLETE) like.has_segmentation = false;
    int rn = reference(v, &like, v->tcap_data, v->tcap.span.len, &r);
    if (rn != 1 || r.len != outs[0].len || memcmp(r.data, outs[0].data, r.len) != 0)
        st.reframe_differ++;
}

static void cases(const ssgw_view *v)
{
    static uint8_t data[600];
    if (!v->has_m3ua || !v->has_sccp || !(v->m3ua.present & SSGW_M3UA_HAS_PROTOCOL_DATA)) return;
    const uint8_t *tcap = v->has_tcap && v->tcap_data ? v->tcap_data : NULL;
    size_t tl = tcap ? v->tcap.span.len : 0;
    ssgw_sccp_msg like = v->sccp, as_udt = v->sccp;
    as_udt.type = SSGW_SCCP_UDT; /* the verifier's re-framing */
    as_udt.has_segmentation = false;
    as_udt.opt = NULL;
    as_udt.opt_len = 0;
    if (tcap) {
        one(v, &like, tcap, tl);
        one(v, &as_udt, tcap, tl);
        size_t add = check_rand() % 120; /* a token's worth added, or more */
        if (tl + add <= sizeof data) {
            memcpy(data, tcap, tl);
            for (size_t i = 0; i < add; i++)
                data[tl + i] = (uint8_t)check_rand();
            one(v, &like, data, tl + add);
            one(v, &as_udt, data, tl + add);
        }
        if (tl > 2) one(v, &as_udt, tcap, tl - 1 - check_rand() % (tl / 2));
        reframe(v);
    }
    size_t rl = check_rand() % 301;
    for (size_t i = 0; i < rl; i++)
        data[i] = (uint8_t)check_rand();
    ssgw_sccp_msg odd = as_udt;
    odd.return_on_error = !odd.return_on_error;
    odd.protocol_class = (uint8_t)(check_rand() % 3);
    one(v, &odd, data, rl);
    one(v, &like, data, check_rand() % 4 ? rl : 0);
}

/* true when ssgw_sccp_addr_encodes_raw(a) and ssgw_sccp_addr_encode(a) == a->raw agree */
static unsigned raw_claims, raw_wrong;
static void check_addr(const ssgw_sccp_addr *a)
{
    uint8_t mem[300];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_error e;
    bool same = a->raw && ssgw_sccp_addr_encode(&b, a, &e) == 0 && b.len == a->raw_len &&
                memcmp(b.data, a->raw, b.len) == 0;
    bool claim = ssgw_sccp_addr_encodes_raw(a);
    raw_claims += claim;
    if (claim && !same) raw_wrong++;
}

/* m's Protocol Data in a DATA message of other parameters: Network Appearance, 0-10 Routing
 * Contexts, Correlation Id, each there or not, mostly in the senders' order. */
static size_t relayout(const ssgw_m3ua_msg *m, uint8_t *out)
{
    uint8_t v[40], pd[300];
    size_t pdl = 12 + m->protocol_data.data_len;
    if (pdl > sizeof pd) return 0;
    memcpy(pd, m->protocol_data.data - 12, pdl); /* the routing label precedes the data */
    int order[4] = {0, 1, 2, 3};                 /* NA, RC, PD, CID */
    if (check_rand() % 4 == 0) {
        size_t i = check_rand() % 4, j = check_rand() % 4;
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    size_t o = 8, nrc = check_rand() % 3 ? 1 : check_rand() % 11;
    for (int k = 0; k < 4; k++) {
        switch (order[k]) {
        case 0:
        case 3:
            if (check_rand() % 2) break;
            for (size_t i = 0; i < 4; i++)
                v[i] = (uint8_t)check_rand();
            o += m3ua_raw_param(
                out + o, order[k] ? SSGW_M3UA_TAG_CORRELATION_ID : SSGW_M3UA_TAG_NETWORK_APPEARANCE,
                v, 4, 0);
            break;
        case 1:
            if (!nrc) break;
            for (size_t i = 0; i < 4 * nrc; i++)
                v[i] = (uint8_t)check_rand();
            o += m3ua_raw_param(out + o, SSGW_M3UA_TAG_ROUTING_CONTEXT, v, 4 * nrc, 0);
            break;
        default:
            o += m3ua_raw_param(out + o, SSGW_M3UA_TAG_PROTOCOL_DATA, pd, pdl, 0);
            break;
        }
    }
    m3ua_raw_data_header(out, o);
    return o;
}

static void test_splice_equals_encoding(void)
{
    ssgw_gen_opts o;
    ssgw_gen_opts_default(&o);
    o.users = SSGW_GEN_USER_MAP | SSGW_GEN_USER_CAP | SSGW_GEN_USER_ANSI;
    ssgw_decoder *d = ssgw_decoder_new(NULL);
    static uint8_t mem[4096], mut[4096];
    unsigned mutated = 0, relaid = 0;
    for (uint64_t i = 0; i < 30000; i++) {
        ssgw_buf g;
        ssgw_buf_init(&g, mem, sizeof mem);
        ssgw_gen_info info;
        ssgw_error e;
        if (ssgw_gen_message(7, i, &o, &g, &info, &e) < 0 || info.management) continue;
        ssgw_view v;
        if (ssgw_decoder_run(d, SSGW_CAPTURE_KIND_M3UA, g.data, g.len, 1000, &v) == 0 &&
            v.has_sccp) {
            check_addr(&v.sccp.called);
            check_addr(&v.sccp.calling);
            cases(&v);
        }
        /* the same Protocol Data among other M3UA parameters */
        if (v.has_sccp && v.has_m3ua && (v.m3ua.present & SSGW_M3UA_HAS_PROTOCOL_DATA)) {
            size_t ml = relayout(&v.m3ua, mut);
            ssgw_view w;
            if (ml && ssgw_decoder_run(d, SSGW_CAPTURE_KIND_M3UA, mut, ml, 1000, &w) == 0 &&
                w.has_sccp) {
                relaid++;
                cases(&w);
            }
        }
        /* the same message with octets changed: anywhere, or a bit in an address */
        for (int k = 0; k < 3; k++) {
            memcpy(mut, g.data, g.len);
            size_t at = check_rand() % g.len;
            if (k == 0 && v.has_sccp && v.sccp.called.raw && v.sccp.calling.raw) {
                const ssgw_sccp_addr *a = check_rand() % 2 ? &v.sccp.called : &v.sccp.calling;
                at = (size_t)(a->raw - g.data) + check_rand() % a->raw_len;
                mut[at] |= (uint8_t)(0x80u >> (check_rand() % 2)); /* spare bits live high */
            } else {
                mut[at] = (uint8_t)check_rand();
            }
            ssgw_view w;
            if (ssgw_decoder_run(d, SSGW_CAPTURE_KIND_M3UA, mut, g.len, 1000, &w) < 0 ||
                !w.has_sccp)
                continue;
            mutated++;
            check_addr(&w.sccp.called);
            check_addr(&w.sccp.calling);
            cases(&w);
        }
    }
    ssgw_decoder_free(d);
    printf("  %u cases (%u mutated messages, %u with other M3UA parameters), %u spliced, %u "
           "one UDT by encoding\n",
           st.tried, mutated, relaid, st.spliced, st.single_udt);
    CHECK_INT(st.differ, 0);
    CHECK_INT(st.reframe_differ, 0);
    CHECK_INT(raw_wrong, 0);
    CHECK(st.equal == st.spliced);
    CHECK(st.spliced * 10 > st.single_udt * 9); /* nearly every single UDT is spliced */
    CHECK(raw_claims > 50000);
    CHECK(mutated > 20000);
    CHECK(relaid > 20000);
}

int main(void)
{
    RUN(test_splice_equals_encoding);
    return check_summary();
}
