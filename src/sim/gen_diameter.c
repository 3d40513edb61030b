/*
 * gen_diameter.c - deterministic synthetic Diameter traffic (see include/ssgw/gen.h):
 * every command of the dictionary, request and answer, built with the Diameter
 * encoder (src/wire/diameter_encode.c).
 *
 * Message `index` belongs to pair index / 2 (even: the request, odd: its answer).
 * The pair's command walks the dictionary's command table; its variant (once per
 * pass over the table) chooses the answer (success, Experimental-Result, a
 * protocol error with the E bit), Route-Record and Proxy-Info on relayed requests,
 * the T bit, the RAT type, UTRAN/GERAN vectors. Everything else (IMSI, visited
 * network, hosts, identifiers) comes from a splitmix64 stream seeded with
 * (seed, pair), so a request and its answer agree. S6a requests go from the MME of
 * a visited network to the HSS (ULR, AIR, PUR, NOR) or back (CLR, IDR, DSR, RSR);
 * CER, DWR and DPR are sent by either side.
 */
#include "ssgw/gen.h"

#include <stdio.h>
#include <string.h>

#include "ssgw/diameter.h"
#include "ssgw/digits.h"

#define G3 SSGW_DIAM_VENDOR_3GPP

typedef struct {
    const char *mcc, *mnc; /* the visited network */
} plmn;

static const plmn visited[] = {{"234", "15"}, {"262", "01"}, {"310", "410"},
                               {"208", "10"}, {"505", "02"}, {"724", "05"}};

typedef struct {
    ssgw_rng r;
    unsigned variant;
    const plmn *v;
    char imsi[16];
    char msisdn[16];
    char mme_host[96], mme_realm[80], hss_host[96], hss_realm[80], dra_host[2][96];
    uint8_t plmn_id[3];
    uint32_t hbh, e2e, state_id;
    char session[200];
    bool hss_initiates; /* the request goes HSS -> MME */
} pair;

static void plmn_id(const plmn *p, uint8_t out[3])
{
    /* TS 24.008 10.5.1.13: MCC2|MCC1, MNC3|MCC3 (F when 2 digits), MNC2|MNC1 */
    const char *c = p->mcc, *n = p->mnc;
    out[0] = (uint8_t)((c[1] - '0') << 4 | (c[0] - '0'));
    out[1] = (uint8_t)((n[2] ? n[2] - '0' : 0xf) << 4 | (c[2] - '0'));
    out[2] = (uint8_t)((n[1] - '0') << 4 | (n[0] - '0'));
}

static void pair_init(pair *p, uint64_t seed, uint64_t pair_index, const ssgw_diam_cmd_def *cmd)
{
    memset(p, 0, sizeof *p);
    ssgw_rng_seed(&p->r, seed * 0x100000001b3ull ^ (pair_index + 1) * 0x9e3779b97f4a7c15ull);
    p->variant = (unsigned)(pair_index / ssgw_diam_cmd_count());
    p->v = &visited[ssgw_rng_below(&p->r, sizeof visited / sizeof visited[0])];
    ssgw_rng_digits(&p->r, "20801", 10, p->imsi, sizeof p->imsi);
    ssgw_rng_digits(&p->r, "336", 8, p->msisdn, sizeof p->msisdn);
    const char *mnc3 = strlen(p->v->mnc) == 3 ? "" : "0";
    snprintf(p->mme_realm, sizeof p->mme_realm, "epc.mnc%s%s.mcc%s.3gppnetwork.org", mnc3,
             p->v->mnc, p->v->mcc);
    snprintf(p->mme_host, sizeof p->mme_host, "mme%u.%s", ssgw_rng_below(&p->r, 8) + 1,
             p->mme_realm);
    snprintf(p->hss_realm, sizeof p->hss_realm, "epc.mnc001.mcc208.3gppnetwork.org");
    snprintf(p->hss_host, sizeof p->hss_host, "hss%u.%s", ssgw_rng_below(&p->r, 2) + 1,
             p->hss_realm);
    snprintf(p->dra_host[0], sizeof p->dra_host[0], "dra.%s", p->mme_realm);
    snprintf(p->dra_host[1], sizeof p->dra_host[1], "ipx-dra%u.ipx.example.net",
             ssgw_rng_below(&p->r, 4) + 1);
    plmn_id(p->v, p->plmn_id);
    p->hbh = (uint32_t)ssgw_rng_next(&p->r);
    p->e2e = (uint32_t)ssgw_rng_next(&p->r);
    p->state_id = (uint32_t)ssgw_rng_next(&p->r);
    switch (cmd->code) {
    case SSGW_DIAM_CMD_CANCEL_LOCATION:
    case SSGW_DIAM_CMD_INSERT_SUBSCRIBER_DATA:
    case SSGW_DIAM_CMD_DELETE_SUBSCRIBER_DATA:
    case SSGW_DIAM_CMD_RESET:
        p->hss_initiates = true;
        break;
    case SSGW_DIAM_CMD_CAPABILITIES_EXCHANGE:
    case SSGW_DIAM_CMD_DEVICE_WATCHDOG:
    case SSGW_DIAM_CMD_DISCONNECT_PEER:
        p->hss_initiates = (p->variant & 1) != 0;
        break;
    default:
        break;
    }
    const char *origin = p->hss_initiates ? p->hss_host : p->mme_host;
    snprintf(p->session, sizeof p->session, "%s;%u;%u", origin, (unsigned)(p->hbh >> 8),
             (unsigned)p->e2e);
}

/* ---- AVP groups used by several commands --------------------------------------------- */

static void ambr(ssgw_diam_enc *e, uint32_t ul, uint32_t dl)
{
    ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_AMBR, G3);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_MAX_REQUESTED_BANDWIDTH_UL, G3, ul);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_MAX_REQUESTED_BANDWIDTH_DL, G3, dl);
    ssgw_diam_enc_group_end(e);
}

static void apn_configuration(ssgw_diam_enc *e, pair *p, uint32_t ctx, const char *apn)
{
    ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_APN_CONFIGURATION, G3);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_CONTEXT_IDENTIFIER, G3, ctx);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_PDN_TYPE, G3, ssgw_rng_below(&p->r, 3));
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_SERVICE_SELECTION, 0, apn);
    ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_EPS_SUBSCRIBED_QOS_PROFILE, G3);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_QOS_CLASS_IDENTIFIER, G3, ctx == 1 ? 9 : 5);
    ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_ALLOCATION_RETENTION_PRIORITY, G3);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_PRIORITY_LEVEL, G3, 1 + ssgw_rng_below(&p->r, 15));
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_PRE_EMPTION_CAPABILITY, G3, 1);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_PRE_EMPTION_VULNERABILITY, G3, 0);
    ssgw_diam_enc_group_end(e);
    ssgw_diam_enc_group_end(e);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_VPLMN_DYNAMIC_ADDRESS_ALLOWED, G3, 0);
    ambr(e, 50000000u + ssgw_rng_below(&p->r, 1000) * 1000u, 100000000u);
    ssgw_diam_enc_group_end(e);
}

/* Subscription-Data (TS 29.272 7.3.2) with what attacks aim at: MSISDN, AMBR, APNs. */
static void subscription_data(ssgw_diam_enc *e, pair *p)
{
    uint8_t msisdn[10];
    int n = ssgw_tbcd_encode(p->msisdn, msisdn, sizeof msisdn);
    ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_SUBSCRIPTION_DATA, G3);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_SUBSCRIBER_STATUS, G3, p->variant % 4 == 3 ? 1 : 0);
    if (n > 0) ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_MSISDN, G3, msisdn, (size_t)n);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_NETWORK_ACCESS_MODE, G3, 2);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_OPERATOR_DETERMINED_BARRING, G3, 0);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_ACCESS_RESTRICTION_DATA, G3, ssgw_rng_below(&p->r, 64));
    ambr(e, 100000000u + ssgw_rng_below(&p->r, 100) * 1000000u, 300000000u);
    ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_APN_CONFIGURATION_PROFILE, G3);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_CONTEXT_IDENTIFIER, G3, 1);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_ALL_APN_CONFIGURATIONS_INCLUDED_INDICATOR, G3, 0);
    apn_configuration(e, p, 1, "internet");
    if (p->variant % 2) apn_configuration(e, p, 2, "ims");
    ssgw_diam_enc_group_end(e);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_SUBSCRIBED_PERIODIC_RAU_TAU_TIMER, G3, 3240);
    ssgw_diam_enc_group_end(e);
}

static void random_octets(pair *p, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)ssgw_rng_below(&p->r, 256);
}

/* Authentication-Info (TS 29.272 7.3.17): E-UTRAN vectors, or UTRAN / GERAN ones. */
static void authentication_info(ssgw_diam_enc *e, pair *p)
{
    uint8_t rand[16], xres[8], autn[16], kasme[32], ck[16], ik[16], sres[4], kc[8];
    ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_AUTHENTICATION_INFO, G3);
    unsigned kind = p->variant % 3, count = 1 + p->variant % 2;
    for (unsigned i = 1; i <= count; i++) {
        random_octets(p, rand, sizeof rand);
        if (kind == 0) {
            random_octets(p, xres, sizeof xres);
            random_octets(p, autn, sizeof autn);
            random_octets(p, kasme, sizeof kasme);
            ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_E_UTRAN_VECTOR, G3);
            ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_ITEM_NUMBER, G3, i);
            ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_RAND, G3, rand, sizeof rand);
            ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_XRES, G3, xres, sizeof xres);
            ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_AUTN, G3, autn, sizeof autn);
            ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_KASME, G3, kasme, sizeof kasme);
        } else if (kind == 1) {
            random_octets(p, xres, sizeof xres);
            random_octets(p, autn, sizeof autn);
            random_octets(p, ck, sizeof ck);
            random_octets(p, ik, sizeof ik);
            ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_UTRAN_VECTOR, G3);
            ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_ITEM_NUMBER, G3, i);
            ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_RAND, G3, rand, sizeof rand);
            ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_XRES, G3, xres, sizeof xres);
            ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_AUTN, G3, autn, sizeof autn);
            ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_CONFIDENTIALITY_KEY, G3, ck, sizeof ck);
            ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_INTEGRITY_KEY, G3, ik, sizeof ik);
        } else {
            random_octets(p, sres, sizeof sres);
            random_octets(p, kc, sizeof kc);
            ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_GERAN_VECTOR, G3);
            ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_ITEM_NUMBER, G3, i);
            ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_RAND, G3, rand, sizeof rand);
            ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_SRES, G3, sres, sizeof sres);
            ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_KC, G3, kc, sizeof kc);
        }
        ssgw_diam_enc_group_end(e);
    }
    ssgw_diam_enc_group_end(e);
}

static void terminal_information(ssgw_diam_enc *e, pair *p)
{
    char imei[16];
    ssgw_rng_digits(&p->r, "35", 12, imei, sizeof imei);
    ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_TERMINAL_INFORMATION, G3);
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_IMEI, G3, imei);
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_SOFTWARE_VERSION, G3, "05");
    ssgw_diam_enc_group_end(e);
}

static void vendor_specific_app(ssgw_diam_enc *e)
{
    ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_VENDOR_ID, 0, G3);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_AUTH_APPLICATION_ID, 0, SSGW_DIAM_APP_S6A);
    ssgw_diam_enc_group_end(e);
}

/* ---- requests ----------------------------------------------------------------------- */

static const uint32_t rat_types[] = {1004, 1000, 1001, 1005, 1007};

/* Session-Id, Auth-Session-State, Origin-*, Destination-*: the head of every S6a request. */
static void s6a_request_head(ssgw_diam_enc *e, pair *p, bool with_dest_host)
{
    const char *oh = p->hss_initiates ? p->hss_host : p->mme_host;
    const char *orr = p->hss_initiates ? p->hss_realm : p->mme_realm;
    const char *dh = p->hss_initiates ? p->mme_host : p->hss_host;
    const char *dr = p->hss_initiates ? p->mme_realm : p->hss_realm;
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_SESSION_ID, 0, p->session);
    if (p->variant % 4 == 1) vendor_specific_app(e);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_AUTH_SESSION_STATE, 0, 1); /* NO_STATE_MAINTAINED */
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, oh);
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, orr);
    if (with_dest_host) ssgw_diam_enc_str(e, SSGW_DIAM_AVP_DESTINATION_HOST, 0, dh);
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_DESTINATION_REALM, 0, dr);
}

/* Proxy-Info and Route-Record of a request relayed by Diameter agents (RFC 6733 6.1.9). */
static void relay_tail(ssgw_diam_enc *e, pair *p)
{
    if (p->variant % 5 == 4) {
        uint8_t state[8];
        random_octets(p, state, sizeof state);
        ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_PROXY_INFO, 0);
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_PROXY_HOST, 0, p->dra_host[1]);
        ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_PROXY_STATE, 0, state, sizeof state);
        ssgw_diam_enc_group_end(e);
    }
    unsigned hops = p->variant % 3;
    for (unsigned i = 0; i < hops; i++)
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ROUTE_RECORD, 0, p->dra_host[i]);
}

static void capabilities(ssgw_diam_enc *e, pair *p, bool initiator)
{
    bool hss = initiator == p->hss_initiates;
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, hss ? p->hss_host : p->mme_host);
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, hss ? p->hss_realm : p->mme_realm);
    ssgw_diam_enc_ipv4(e, SSGW_DIAM_AVP_HOST_IP_ADDRESS, 0, hss ? 0x0a000002u : 0x0a000001u);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_VENDOR_ID, 0, G3);
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_PRODUCT_NAME, 0, "OpenSSGW simulator");
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_ORIGIN_STATE_ID, 0, p->state_id);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_SUPPORTED_VENDOR_ID, 0, G3);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_AUTH_APPLICATION_ID, 0, SSGW_DIAM_APP_S6A);
    vendor_specific_app(e);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_INBAND_SECURITY_ID, 0, 0);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_FIRMWARE_REVISION, 0, 1);
}

static void peer_origin(ssgw_diam_enc *e, pair *p, bool initiator)
{
    bool hss = initiator == p->hss_initiates;
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, hss ? p->hss_host : p->mme_host);
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, hss ? p->hss_realm : p->mme_realm);
}

static void request_body(ssgw_diam_enc *e, pair *p, uint32_t code)
{
    switch (code) {
    case SSGW_DIAM_CMD_CAPABILITIES_EXCHANGE:
        capabilities(e, p, true);
        return;
    case SSGW_DIAM_CMD_DEVICE_WATCHDOG:
        peer_origin(e, p, true);
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_ORIGIN_STATE_ID, 0, p->state_id);
        return;
    case SSGW_DIAM_CMD_DISCONNECT_PEER:
        peer_origin(e, p, true);
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_DISCONNECT_CAUSE, 0, p->variant % 3);
        return;
    case SSGW_DIAM_CMD_UPDATE_LOCATION:
        s6a_request_head(e, p, p->variant % 2 == 0);
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_USER_NAME, 0, p->imsi);
        terminal_information(e, p);
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_RAT_TYPE, G3, rat_types[p->variant % 5]);
        /* bit 1 S6a/S6d indicator, bit 5 initial attach; others vary */
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_ULR_FLAGS, G3,
                          0x02u | (p->variant % 2 ? 0x20u : 0) | ssgw_rng_below(&p->r, 2));
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_UE_SRVCC_CAPABILITY, G3, 1);
        ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_VISITED_PLMN_ID, G3, p->plmn_id, 3);
        break;
    case SSGW_DIAM_CMD_AUTHENTICATION_INFORMATION:
        s6a_request_head(e, p, p->variant % 2 == 0);
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_USER_NAME, 0, p->imsi);
        ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_REQUESTED_EUTRAN_AUTHENTICATION_INFO, G3);
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_NUMBER_OF_REQUESTED_VECTORS, G3, 1 + p->variant % 5);
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_IMMEDIATE_RESPONSE_PREFERRED, G3, 1);
        ssgw_diam_enc_group_end(e);
        if (p->variant % 3) {
            ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_REQUESTED_UTRAN_GERAN_AUTHENTICATION_INFO,
                                      G3);
            ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_NUMBER_OF_REQUESTED_VECTORS, G3, 2);
            ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_IMMEDIATE_RESPONSE_PREFERRED, G3, 0);
            ssgw_diam_enc_group_end(e);
        }
        ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_VISITED_PLMN_ID, G3, p->plmn_id, 3);
        break;
    case SSGW_DIAM_CMD_CANCEL_LOCATION:
        s6a_request_head(e, p, true);
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_USER_NAME, 0, p->imsi);
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_CANCELLATION_TYPE, G3, p->variant % 5);
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_CLR_FLAGS, G3, p->variant % 4);
        break;
    case SSGW_DIAM_CMD_INSERT_SUBSCRIBER_DATA:
        s6a_request_head(e, p, true);
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_USER_NAME, 0, p->imsi);
        subscription_data(e, p);
        /* bit 4 EPS location information request: the tracking query of an attacker */
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_IDR_FLAGS, G3, p->variant % 2 ? 0x10u : 0x01u);
        break;
    case SSGW_DIAM_CMD_DELETE_SUBSCRIBER_DATA:
        s6a_request_head(e, p, true);
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_USER_NAME, 0, p->imsi);
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_DSR_FLAGS, G3, 1u << (p->variant % 8));
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_CONTEXT_IDENTIFIER, G3, 1 + p->variant % 2);
        break;
    case SSGW_DIAM_CMD_PURGE_UE:
        s6a_request_head(e, p, p->variant % 2 == 0);
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_USER_NAME, 0, p->imsi);
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_PUR_FLAGS, G3, 1);
        break;
    case SSGW_DIAM_CMD_RESET: {
        s6a_request_head(e, p, true);
        char prefix[10];
        memcpy(prefix, p->imsi, 8);
        prefix[8] = '\0';
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_USER_ID, G3, prefix);
        uint8_t reset_id[4];
        random_octets(p, reset_id, sizeof reset_id);
        ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_RESET_ID, G3, reset_id, sizeof reset_id);
        break;
    }
    case SSGW_DIAM_CMD_NOTIFY:
        s6a_request_head(e, p, p->variant % 2 == 0);
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_USER_NAME, 0, p->imsi);
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_CONTEXT_IDENTIFIER, G3, 1);
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_SERVICE_SELECTION, 0, "internet");
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_NOR_FLAGS, G3, 1u << (p->variant % 4));
        break;
    default:
        return;
    }
    relay_tail(e, p);
}

/* ---- answers ------------------------------------------------------------------------ */

typedef enum { ANSWER_OK, ANSWER_EXPERIMENTAL, ANSWER_PROTOCOL_ERROR } answer_kind;

static uint32_t experimental_code(uint32_t cmd, unsigned variant)
{
    switch (cmd) {
    case SSGW_DIAM_CMD_UPDATE_LOCATION:
        return variant % 2 ? 5004 : 5420; /* roaming not allowed, unknown EPS subscription */
    case SSGW_DIAM_CMD_AUTHENTICATION_INFORMATION:
        return variant % 2 ? 4181 : 5001;
    default:
        return 5001; /* user unknown */
    }
}

static void answer_body(ssgw_diam_enc *e, pair *p, uint32_t code, answer_kind kind)
{
    bool s6a = ssgw_diam_cmd_find(code)->app == SSGW_DIAM_APP_S6A;
    const char *oh = p->hss_initiates ? p->mme_host : p->hss_host;
    const char *orr = p->hss_initiates ? p->mme_realm : p->hss_realm;
    if (!s6a && code == SSGW_DIAM_CMD_CAPABILITIES_EXCHANGE && kind == ANSWER_OK) {
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_RESULT_CODE, 0, 2001);
        capabilities(e, p, false);
        return;
    }
    if (s6a) ssgw_diam_enc_str(e, SSGW_DIAM_AVP_SESSION_ID, 0, p->session);
    if (kind == ANSWER_EXPERIMENTAL && s6a) {
        ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_EXPERIMENTAL_RESULT, 0);
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_VENDOR_ID, 0, G3);
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_EXPERIMENTAL_RESULT_CODE, 0,
                          experimental_code(code, p->variant));
        ssgw_diam_enc_group_end(e);
    } else {
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_RESULT_CODE, 0,
                          kind == ANSWER_PROTOCOL_ERROR ? 3002 : 2001);
    }
    if (s6a && kind != ANSWER_PROTOCOL_ERROR)
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_AUTH_SESSION_STATE, 0, 1);
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ORIGIN_HOST, 0,
                      kind == ANSWER_PROTOCOL_ERROR ? p->dra_host[0] : oh);
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, orr);
    if (kind == ANSWER_PROTOCOL_ERROR) {
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ERROR_MESSAGE, 0, "no route to the destination realm");
        ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ERROR_REPORTING_HOST, 0, p->dra_host[0]);
        return;
    }
    if (kind != ANSWER_OK) return;
    switch (code) {
    case SSGW_DIAM_CMD_UPDATE_LOCATION:
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_ULA_FLAGS, G3, 1); /* separation indication */
        subscription_data(e, p);
        break;
    case SSGW_DIAM_CMD_AUTHENTICATION_INFORMATION:
        authentication_info(e, p);
        break;
    case SSGW_DIAM_CMD_INSERT_SUBSCRIBER_DATA:
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_IDA_FLAGS, G3, 1);
        break;
    case SSGW_DIAM_CMD_DELETE_SUBSCRIBER_DATA:
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_DSA_FLAGS, G3, 1);
        break;
    case SSGW_DIAM_CMD_PURGE_UE:
        ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_PUA_FLAGS, G3, 1);
        break;
    default:
        break;
    }
}

int ssgw_gen_diameter(uint64_t seed, uint64_t index, ssgw_buf *out, ssgw_gen_diam_info *info,
                      ssgw_error *err)
{
    uint64_t pair_index = index / 2;
    bool request = index % 2 == 0;
    const ssgw_diam_cmd_def *cmd = ssgw_diam_cmd_at(pair_index % ssgw_diam_cmd_count());
    pair p;
    pair_init(&p, seed, pair_index, cmd);
    bool s6a = cmd->app == SSGW_DIAM_APP_S6A;
    answer_kind kind = ANSWER_OK;
    if (p.variant % 5 == 3 && s6a) kind = ANSWER_EXPERIMENTAL;
    if (p.variant % 7 == 5) kind = ANSWER_PROTOCOL_ERROR;
    uint8_t flags = request ? SSGW_DIAM_FLAG_R : 0;
    if (s6a) flags |= SSGW_DIAM_FLAG_P;
    if (!request && kind == ANSWER_PROTOCOL_ERROR) flags |= SSGW_DIAM_FLAG_E;
    if (request && p.variant % 11 == 10) flags |= SSGW_DIAM_FLAG_T;
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, out, flags, cmd->code, cmd->app, p.hbh, p.e2e);
    if (request)
        request_body(&e, &p, cmd->code);
    else
        answer_body(&e, &p, cmd->code, kind);
    if (ssgw_diam_enc_end(&e) < 0)
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_TOO_BIG, cmd->name, 0);
    if (info) {
        info->code = cmd->code;
        info->app_id = cmd->app;
        info->request = request;
        /* who sends this message: the request's initiator, or the answerer */
        info->from_hss = request ? p.hss_initiates : !p.hss_initiates;
    }
    return 0;
}
