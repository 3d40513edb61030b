/*
 * gen_isup.c - deterministic ISUP traffic (ITU-T Q.763) for tests, samples and the
 * oracle (see include/ssgw/gen.h).
 *
 * Message `index` is a pure function of (seed, index). The sequence walks every message
 * type of the ISUP table (a call first: IAM, SAM, ACM, CPG, ANM ... REL, RLC; then
 * circuit supervision and maintenance, then the rest), one circuit per pass, with
 * random but valid parameters: numbers of every nature of address with presentation and
 * screening indicators, calling party's categories, redirections, generic numbers,
 * causes, events, ranges and statuses, parameter compatibility information and
 * application transport parameters. Everything is built with the ISUP codec's builder
 * and framed in M3UA DATA with service indicator 5.
 */
#include <stdio.h>
#include <string.h>

#include "ssgw/gen.h"
#include "ssgw/isup.h"
#include "ssgw/m3ua.h"
#include "ssgw/mtp3.h"

/* The order of the walk: a call, then the other procedures. */
static const uint8_t walk[] = {
    SSGW_ISUP_IAM, SSGW_ISUP_SAM, SSGW_ISUP_INR,  SSGW_ISUP_INF,  SSGW_ISUP_COT, SSGW_ISUP_ACM,
    SSGW_ISUP_CPG, SSGW_ISUP_CON, SSGW_ISUP_ANM,  SSGW_ISUP_FOT,  SSGW_ISUP_SUS, SSGW_ISUP_RES,
    SSGW_ISUP_USR, SSGW_ISUP_FAR, SSGW_ISUP_FAA,  SSGW_ISUP_FRJ,  SSGW_ISUP_FAC, SSGW_ISUP_APM,
    SSGW_ISUP_IDR, SSGW_ISUP_IRS, SSGW_ISUP_PRI,  SSGW_ISUP_REL,  SSGW_ISUP_RLC, SSGW_ISUP_CCR,
    SSGW_ISUP_LPA, SSGW_ISUP_RSC, SSGW_ISUP_BLO,  SSGW_ISUP_BLA,  SSGW_ISUP_UBL, SSGW_ISUP_UBA,
    SSGW_ISUP_GRS, SSGW_ISUP_GRA, SSGW_ISUP_CGB,  SSGW_ISUP_CGBA, SSGW_ISUP_CGU, SSGW_ISUP_CGUA,
    SSGW_ISUP_CQM, SSGW_ISUP_CQR, SSGW_ISUP_UCIC, SSGW_ISUP_CFN,  SSGW_ISUP_OLM, SSGW_ISUP_NRM,
    SSGW_ISUP_UPT, SSGW_ISUP_UPA, SSGW_ISUP_SGM,  SSGW_ISUP_LPR,
};

size_t ssgw_gen_isup_types(const uint8_t **types)
{
    if (types) *types = walk;
    return sizeof walk / sizeof walk[0];
}

static const char *const country_codes[] = {"44", "49", "33", "234", "254", "1", "91", "27"};

/* An E.164 number: international (NAI 4) with its country code, or national (NAI 3). */
static void random_number(ssgw_rng *r, ssgw_isup_number *n)
{
    char d[SSGW_ISUP_DIGITS_CAP];
    bool intl = ssgw_rng_below(r, 3) != 0;
    ssgw_rng_number(r, country_codes, intl ? 8 : 0, 7, 5, d, sizeof d);
    ssgw_isup_number_set(n, d, intl ? 4 : 3, 1);
}

static void add_number(ssgw_rng *r, ssgw_isup_builder *b, uint8_t code)
{
    ssgw_isup_number n;
    random_number(r, &n);
    ssgw_isup_add_number(b, code, &n);
}

/* A calling party number: presentation allowed / restricted / not available (no digits
 * then), screening user provided (verified or not) or network provided. */
static void add_calling(ssgw_rng *r, ssgw_isup_builder *b, uint8_t code)
{
    static const int8_t screening[] = {0, 1, 3, 3};
    ssgw_isup_number n;
    random_number(r, &n);
    n.presentation = (int8_t)ssgw_rng_below(r, 3);
    n.screening = screening[ssgw_rng_below(r, 4)];
    if (n.presentation == 2) { /* address not available: Q.763 3.10 f), no digits */
        n.digits[0] = '\0';
        n.nai = 0;
        n.npi = 0;
        n.screening = 3;
    }
    ssgw_isup_add_number(b, code, &n);
}

static void add_generic(ssgw_rng *r, ssgw_isup_builder *b)
{
    static const int16_t qualifiers[] = {6, 6, 3, 5, 0};
    ssgw_isup_number n;
    random_number(r, &n);
    n.qualifier = qualifiers[ssgw_rng_below(r, 5)];
    n.presentation = (int8_t)ssgw_rng_below(r, 2);
    n.screening = (int8_t)ssgw_rng_below(r, 2);
    ssgw_isup_add_number(b, SSGW_ISUP_P_GENERIC_NUMBER, &n);
}

/* An application transport parameter: BAT ASE, final segment, no addresses, one element
 * "action indicator: connect backward" (Q.765 / Q.765.5). */
static void add_apt(ssgw_isup_builder *b)
{
    static const uint8_t app[] = {0x85, 0x80, 0xc0, 0x00, 0x00, 0x01, 0x82, 0x00, 0x01};
    ssgw_isup_add(b, SSGW_ISUP_P_APP_TRANSPORT, app, sizeof app);
}

static void add_cause(ssgw_rng *r, ssgw_isup_builder *b)
{
    static const uint8_t values[] = {16, 16, 17, 18, 19, 21, 1, 3, 27, 28, 31, 34, 41, 42, 127};
    static const uint8_t locations[] = {0, 1, 2, 3, 4, 5, 7, 10};
    uint8_t location = locations[ssgw_rng_below(r, 8)];
    ssgw_isup_add_cause(b, location, values[ssgw_rng_below(r, 15)]);
}

static void build_iam(ssgw_rng *r, ssgw_isup_builder *b)
{
    static const uint8_t categories[] = {10, 10, 10, 11, 12, 13, 15, 0, 1, 2, 9};
    static const uint8_t tmr[] = {0, 0, 2, 3};
    uint8_t nci = (uint8_t)ssgw_rng_below(r, 2);
    nci |= (uint8_t)(ssgw_rng_below(r, 3) << 2);
    ssgw_isup_add_u8(b, SSGW_ISUP_P_NCI, nci);
    ssgw_isup_add_u16(b, SSGW_ISUP_P_FCI, (uint16_t)(0x2001 | (ssgw_rng_below(r, 2) << 8)));
    ssgw_isup_add_u8(b, SSGW_ISUP_P_CATEGORY, categories[ssgw_rng_below(r, 11)]);
    ssgw_isup_add_u8(b, SSGW_ISUP_P_TMR, tmr[ssgw_rng_below(r, 4)]);
    ssgw_isup_number called;
    random_number(r, &called);
    called.inn_ni = (int8_t)ssgw_rng_below(r, 2);
    ssgw_isup_add_number(b, SSGW_ISUP_P_CALLED, &called);
    if (ssgw_rng_below(r, 8)) add_calling(r, b, SSGW_ISUP_P_CALLING);
    if (ssgw_rng_below(r, 3) == 0) { /* a forwarded call */
        ssgw_isup_number n;
        random_number(r, &n);
        n.presentation = (int8_t)ssgw_rng_below(r, 2);
        ssgw_isup_add_number(b, SSGW_ISUP_P_REDIRECTING, &n);
        random_number(r, &n);
        n.presentation = (int8_t)ssgw_rng_below(r, 2);
        ssgw_isup_add_number(b, SSGW_ISUP_P_ORIGINAL_CALLED, &n);
        uint8_t indicator = (uint8_t)(1 + ssgw_rng_below(r, 4));
        uint8_t original_reason = (uint8_t)ssgw_rng_below(r, 4);
        uint8_t counter = (uint8_t)(1 + ssgw_rng_below(r, 5));
        uint8_t reason = (uint8_t)ssgw_rng_below(r, 4);
        ssgw_isup_add_redirection_info(b, indicator, original_reason, counter, reason);
    }
    unsigned ng = ssgw_rng_below(r, 3);
    for (unsigned i = 0; i < ng; i++)
        add_generic(r, b);
    if (ssgw_rng_below(r, 2)) add_calling(r, b, SSGW_ISUP_P_LOCATION);
    if (ssgw_rng_below(r, 2))
        ssgw_isup_add_u8(b, SSGW_ISUP_P_HOP_COUNTER, (uint8_t)(5 + ssgw_rng_below(r, 26)));
    if (ssgw_rng_below(r, 2)) ssgw_isup_add_u8(b, 0x08, 0x00); /* optional forward call ind. */
    bool pci = ssgw_rng_below(r, 4) == 0, apt = ssgw_rng_below(r, 4) == 0;
    if (pci) {
        /* parameter compatibility information: MLPP precedence (0x3a), pass on; and, when
         * the IAM carries an application transport parameter, that one too (APM, Q.765) */
        static const uint8_t entries[] = {0x3a, 0x81, SSGW_ISUP_P_APP_TRANSPORT, 0xc0};
        ssgw_isup_add(b, SSGW_ISUP_P_PARAM_COMPAT, entries, apt ? 4 : 2);
    }
    if (apt) add_apt(b);
}

/* Builds the parameters of one message of the given type. */
/* A range and status (GRA, circuit group messages) with a random status field. */
static void add_range_with_status(ssgw_rng *r, ssgw_isup_builder *b)
{
    uint8_t range = (uint8_t)(1 + ssgw_rng_below(r, 31));
    ssgw_isup_add_range_status(b, range, true, (uint32_t)ssgw_rng_next(r));
}

static void build_params(ssgw_rng *r, uint8_t type, ssgw_isup_builder *b)
{
    switch (type) {
    case SSGW_ISUP_IAM:
        build_iam(r, b);
        break;
    case SSGW_ISUP_SAM: {
        ssgw_isup_number n;
        ssgw_isup_number_init(&n);
        ssgw_rng_digits(r, "", 1 + ssgw_rng_below(r, 4), n.digits, sizeof n.digits);
        if (ssgw_rng_below(r, 2)) strcat(n.digits, "F"); /* ST: end of pulsing */
        ssgw_isup_add_number(b, SSGW_ISUP_P_SUBSEQUENT, &n);
        break;
    }
    case SSGW_ISUP_INR:
        ssgw_isup_add_u16(b, SSGW_ISUP_P_INR_IND, 0x0500); /* calling address + category */
        break;
    case SSGW_ISUP_INF:
        ssgw_isup_add_u16(b, SSGW_ISUP_P_INF_IND, 0x2300);
        add_calling(r, b, SSGW_ISUP_P_CALLING);
        ssgw_isup_add_u8(b, SSGW_ISUP_P_CATEGORY, 10);
        break;
    case SSGW_ISUP_COT:
        ssgw_isup_add_u8(b, SSGW_ISUP_P_CONTINUITY, (uint8_t)ssgw_rng_below(r, 2));
        break;
    case SSGW_ISUP_ACM:
    case SSGW_ISUP_CON:
        ssgw_isup_add_u16(b, SSGW_ISUP_P_BCI, (uint16_t)(0x1614 | ssgw_rng_below(r, 2)));
        if (ssgw_rng_below(r, 2)) ssgw_isup_add_u8(b, SSGW_ISUP_P_OBCI, 0x01); /* in-band */
        if (type == SSGW_ISUP_CON) add_calling(r, b, SSGW_ISUP_P_CONNECTED);
        if (type == SSGW_ISUP_ACM && ssgw_rng_below(r, 3) == 0) {
            add_number(r, b, SSGW_ISUP_P_REDIRECTION_NUMBER);
            ssgw_isup_add_u8(b, 0x40, 0x00); /* redirection number restriction */
        }
        break;
    case SSGW_ISUP_CPG: {
        uint8_t event = (uint8_t)(1 + ssgw_rng_below(r, 6));
        event |= (uint8_t)(ssgw_rng_below(r, 2) << 7);
        ssgw_isup_add_u8(b, SSGW_ISUP_P_EVENT, event);
        if (ssgw_rng_below(r, 2)) ssgw_isup_add_u8(b, 0x2c, 0xfb); /* call is diverting */
        if (ssgw_rng_below(r, 3) == 0) add_number(r, b, SSGW_ISUP_P_REDIRECTION_NUMBER);
        break;
    }
    case SSGW_ISUP_ANM:
        if (ssgw_rng_below(r, 2)) ssgw_isup_add_u16(b, SSGW_ISUP_P_BCI, 0x1614);
        if (ssgw_rng_below(r, 2)) add_calling(r, b, SSGW_ISUP_P_CONNECTED);
        if (ssgw_rng_below(r, 3) == 0) add_generic(r, b);
        if (ssgw_rng_below(r, 4) == 0) add_apt(b);
        break;
    case SSGW_ISUP_SUS:
    case SSGW_ISUP_RES:
        ssgw_isup_add_u8(b, SSGW_ISUP_P_SUS_RES_IND, (uint8_t)ssgw_rng_below(r, 2));
        break;
    case SSGW_ISUP_USR:
        /* user-to-user information: Q.931 protocol discriminator 4 (IA5), "hello" */
        ssgw_isup_add(b, SSGW_ISUP_P_UUI, (const uint8_t *)"\x04hello", 6);
        break;
    case SSGW_ISUP_FAR:
    case SSGW_ISUP_FAA:
        ssgw_isup_add_u8(b, SSGW_ISUP_P_FACILITY_IND, 0x02); /* user-to-user service */
        break;
    case SSGW_ISUP_FRJ:
        ssgw_isup_add_u8(b, SSGW_ISUP_P_FACILITY_IND, 0x02);
        ssgw_isup_add_cause(b, 2, 29); /* facility rejected */
        break;
    case SSGW_ISUP_APM:
        add_apt(b);
        break;
    case SSGW_ISUP_IDR:
        ssgw_isup_add_u8(b, 0x3b, 0x01); /* MCID request indicators: MCID requested */
        break;
    case SSGW_ISUP_IRS:
        ssgw_isup_add_u8(b, 0x3c, 0x01); /* MCID response indicators: included */
        add_calling(r, b, SSGW_ISUP_P_CALLING);
        break;
    case SSGW_ISUP_REL:
        add_cause(r, b);
        if (ssgw_rng_below(r, 4) == 0) add_number(r, b, SSGW_ISUP_P_REDIRECTION_NUMBER);
        break;
    case SSGW_ISUP_RLC:
        if (ssgw_rng_below(r, 3) == 0) add_cause(r, b);
        break;
    case SSGW_ISUP_CFN:
        ssgw_isup_add_cause(b, 2, 97); /* message type non-existent */
        break;
    case SSGW_ISUP_GRS:
    case SSGW_ISUP_CQM:
        ssgw_isup_add_range_status(b, (uint8_t)(1 + ssgw_rng_below(r, 31)), false, 0);
        break;
    case SSGW_ISUP_GRA:
        add_range_with_status(r, b);
        break;
    case SSGW_ISUP_CGB:
    case SSGW_ISUP_CGBA:
    case SSGW_ISUP_CGU:
    case SSGW_ISUP_CGUA:
        ssgw_isup_add_u8(b, SSGW_ISUP_P_CGSMTI, (uint8_t)ssgw_rng_below(r, 2));
        add_range_with_status(r, b);
        break;
    case SSGW_ISUP_CQR: {
        uint8_t range = (uint8_t)(1 + ssgw_rng_below(r, 15)), st[16];
        ssgw_isup_add_range_status(b, range, false, 0);
        for (unsigned i = 0; i <= range; i++)
            st[i] = (uint8_t)(ssgw_rng_below(r, 4) << 2 | 1); /* call processing state, idle */
        ssgw_isup_add(b, SSGW_ISUP_P_CIRCUIT_STATE, st, (size_t)range + 1);
        break;
    }
    default: /* no parameters: CCR, RSC, BLO ... and the optional-only ones left empty */
        break;
    }
}

int ssgw_gen_isup_message(uint64_t seed, uint64_t index, ssgw_buf *out, ssgw_gen_info *info,
                          ssgw_error *err)
{
    ssgw_rng r;
    ssgw_rng_seed(&r, seed * 0x100000001b3ull ^ index ^ 0x15c0ull << 48);
    memset(info, 0, sizeof *info);
    info->opcode = -1;
    size_t n = sizeof walk / sizeof walk[0];
    uint8_t type = walk[index % n];
    /* one circuit per pass over the walk: a call and its maintenance share the CIC */
    ssgw_rng pass;
    ssgw_rng_seed(&pass, seed ^ (index / n) * 0x9e3779b97f4a7c15ull);
    uint16_t cic = (uint16_t)(1 + ssgw_rng_below(&pass, SSGW_ISUP_CIC_MAX));
    uint32_t opc = 1 + ssgw_rng_below(&pass, 0x3ffe), dpc = 1 + ssgw_rng_below(&pass, 0x3ffe);
    static const bool backward[256] = {
        [SSGW_ISUP_ACM] = true,  [SSGW_ISUP_CPG] = true, [SSGW_ISUP_CON] = true,
        [SSGW_ISUP_ANM] = true,  [SSGW_ISUP_RLC] = true, [SSGW_ISUP_BLA] = true,
        [SSGW_ISUP_UBA] = true,  [SSGW_ISUP_GRA] = true, [SSGW_ISUP_CGBA] = true,
        [SSGW_ISUP_CGUA] = true, [SSGW_ISUP_CQR] = true, [SSGW_ISUP_INF] = true,
        [SSGW_ISUP_FAA] = true,  [SSGW_ISUP_FRJ] = true, [SSGW_ISUP_IRS] = true,
        [SSGW_ISUP_UPA] = true,  [SSGW_ISUP_LPA] = true,
    };
    if (backward[type]) {
        uint32_t t = opc;
        opc = dpc;
        dpc = t;
    }
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    build_params(&r, type, &b);
    uint8_t mem[300];
    ssgw_buf ib;
    ssgw_buf_init(&ib, mem, sizeof mem);
    if (ssgw_isup_builder_encode(&b, &ib, cic, type, err) < 0) return -1;

    uint32_t rc = 1 + ssgw_rng_below(&r, 100);
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    if (index % 3 != 0) {
        d.routing_context = &rc;
        d.n_routing_context = 1;
    }
    d.pd.opc = opc;
    d.pd.dpc = dpc;
    d.pd.si = SSGW_MTP3_SI_ISUP;
    d.pd.ni = (index & 4) ? SSGW_MTP3_NI_INTERNATIONAL : SSGW_MTP3_NI_NATIONAL;
    d.pd.mp = 0;
    d.pd.sls = (uint8_t)(cic & 0x0f); /* ISUP: the SLS is the CIC's low bits (Q.704 2.2.2) */
    d.pd.data = ib.data;
    d.pd.data_len = ib.len;
    info->sls = d.pd.sls;
    info->isup_type = type;
    if (ssgw_m3ua_encode_data(out, &d) < 0 || out->overflow)
        return ssgw_fail(err, SSGW_LAYER_M3UA, SSGW_E_TOO_BIG, "generated message", 0);
    return 0;
}
