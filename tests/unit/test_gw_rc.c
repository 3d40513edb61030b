/*
 * test_gw_rc.c - the Routing Context a message leaves with (src/gateway/gw_route.c,
 * gw_for_link): given the decoded message, a single context is patched in a copy of the
 * bytes; without it, the parameters are walked and copied (rewrite_rc). The two must give
 * the same bytes for every message the M3UA decoder accepts.
 *
 * Messages are DATA (RFC 4666 3.3.1) built here by hand with a parameter writer of the
 * test's own: Network Appearance, Routing Context (0-3 values), Protocol Data (random
 * length and non-zero padding octets), Correlation Id, each present or not, in random
 * orders (the senders' order and others), plus an unknown parameter now and then. Each is
 * sent towards a link whose configured context differs from the message's; the walk's
 * output with the decoded message (fast path where it applies) must equal its output
 * without it (the walk), and the fast path must have been taken on many of them.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "m3ua_raw.h"
#include "gateway/gw_int.h"
#include "ssgw/m3ua.h"

/* A DATA message with the parameters of kinds[0..n) in that order: 0 NA, 1 RC (nrc values),
 * 2 PD, 3 CID, 4 an unknown tag. */
static size_t build(uint8_t *m, const int *kinds, size_t n, size_t nrc, size_t pdlen)
{
    uint8_t v[400];
    size_t o = 8;
    for (size_t i = 0; i < n; i++) {
        switch (kinds[i]) {
        case 0:
        case 3:
            for (size_t k = 0; k < 4; k++)
                v[k] = (uint8_t)check_rand();
            o += m3ua_raw_param(
                m + o, kinds[i] ? SSGW_M3UA_TAG_CORRELATION_ID : SSGW_M3UA_TAG_NETWORK_APPEARANCE,
                v, 4, 0);
            break;
        case 1:
            for (size_t k = 0; k < 4 * nrc; k++)
                v[k] = (uint8_t)check_rand();
            o += m3ua_raw_param(m + o, SSGW_M3UA_TAG_ROUTING_CONTEXT, v, 4 * nrc, 0);
            break;
        case 2:
            for (size_t k = 0; k < pdlen; k++)
                v[k] = (uint8_t)check_rand();
            v[8] = (uint8_t)(check_rand() % 16); /* SI */
            o += m3ua_raw_param(m + o, SSGW_M3UA_TAG_PROTOCOL_DATA, v, pdlen,
                                (uint8_t)(check_rand() % 3 ? 0 : check_rand()));
            break;
        default:
            v[0] = 0x5a;
            o += m3ua_raw_param(m + o, 0x7f01, v, 1 + check_rand() % 6, 0);
            break;
        }
    }
    m3ua_raw_data_header(m, o);
    return o;
}

static void test_fast_equals_walk(void)
{
    ssgw_gw *g = calloc(1, sizeof *g);
    gw_link *d = calloc(1, sizeof *d);
    CHECK(g && d);
    d->g = g;
    d->cfg.n_rc = 1;
    static uint8_t m[2048], first[GW_SCRATCH_CAP];
    unsigned decoded = 0, differ = 0, fast = 0, rewritten = 0;
    for (unsigned round = 0; round < 200000; round++) {
        int kinds[6];
        size_t n = 0;
        if (round % 2) { /* the senders' order, each optional one present or not */
            if (check_rand() % 2) kinds[n++] = 0;
            if (check_rand() % 4) kinds[n++] = 1;
            kinds[n++] = 2;
            if (check_rand() % 2) kinds[n++] = 3;
        } else { /* any order, an unknown parameter now and then */
            int all[5] = {0, 1, 2, 3, 4};
            size_t k = 1 + check_rand() % 5;
            for (size_t i = 0; i < 5; i++) {
                size_t j = i + check_rand() % (5 - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            for (size_t i = 0; i < k; i++)
                if (all[i] != 4 || check_rand() % 4 == 0) kinds[n++] = all[i];
        }
        size_t nrc = check_rand() % 8 ? 1 : check_rand() % 4; /* mostly one context */
        size_t len = build(m, kinds, n, nrc, 12 + check_rand() % 300);
        ssgw_m3ua_msg dec;
        ssgw_error e;
        if (ssgw_m3ua_decode(m, len, &dec, &e) < 0) continue;
        decoded++;
        uint32_t old = (dec.present & SSGW_M3UA_HAS_ROUTING_CONTEXT) && dec.routing_context.count
                           ? ssgw_m3ua_u32_at(&dec.routing_context, 0)
                           : 0;
        d->cfg.rc[0] = old + 1 + (uint32_t)(check_rand() % 1000); /* never the message's */
        size_t l1 = len, l2 = len;
        const uint8_t *o1 = gw_for_link(g, d, m, &l1, &dec);
        if (o1 != m) memcpy(first, o1, l1);
        const uint8_t *o2 = gw_for_link(g, d, m, &l2, NULL);
        if (o2 != m) rewritten++;
        if (l1 != l2 || memcmp(o1 == m ? m : first, o2, l1) != 0) differ++;
        /* where the patch applies: one context, first or after the Network Appearance */
        fast += nrc == 1 && n && (kinds[0] == 1 || (n > 1 && kinds[0] == 0 && kinds[1] == 1));
    }
    CHECK_INT(differ, 0);
    CHECK(decoded > 50000);
    CHECK(fast > 20000);
    CHECK(rewritten > 40000);
    free(d);
    free(g);
}

int main(void)
{
    RUN(test_fast_equals_walk);
    return check_summary();
}
