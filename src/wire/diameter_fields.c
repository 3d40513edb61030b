/*
 * diameter_fields.c - the values of a Diameter message a roaming policy needs
 * (ssgw_diam_fields, include/ssgw/diameter.h), found by one walk over the AVP tree
 * and a table of where each value sits: the AVP, its parent and grandparent
 * (Experimental-Result-Code inside Experimental-Result, the AMBR of
 * Subscription-Data rather than of an APN, Service-Selection inside
 * APN-Configuration ...). The second table names the fields for records: JSON key
 * and Wireshark display filter.
 */
#include "ssgw/diameter.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ssgw/digits.h"
#include "util/bytes.h"

#define N(a)  (sizeof(a) / sizeof((a)[0]))
#define TOP   0u          /* parent: the message's top level */
#define ANY   0xffffffffu /* parent or grandparent: anything */
#define G3    SSGW_DIAM_VENDOR_3GPP
#define AT(m) offsetof(ssgw_diam_fields, m)

typedef enum {
    K_STR,   /* ssgw_diam_str */
    K_INT,   /* int64_t from an Unsigned32 */
    K_ROUTE, /* Route-Record list */
    K_APN,   /* APN name list */
    K_IMSI,  /* User-Name: the string, and imsi[] when it is one */
    K_PLMN,  /* Visited-PLMN-Id: "MCC-MNC" */
    K_TBCD,  /* MSISDN digits */
    K_CHARS, /* NUL-terminated copy (IMEI) */
} kind;

typedef struct {
    uint32_t code, vendor, parent, grandparent;
    kind k;
    size_t at;
    size_t cap; /* K_CHARS / K_TBCD: size of the char array */
} place;

static const place places[] = {
    {SSGW_DIAM_AVP_SESSION_ID, 0, TOP, ANY, K_STR, AT(session_id), 0},
    {SSGW_DIAM_AVP_ORIGIN_HOST, 0, TOP, ANY, K_STR, AT(origin_host), 0},
    {SSGW_DIAM_AVP_ORIGIN_REALM, 0, TOP, ANY, K_STR, AT(origin_realm), 0},
    {SSGW_DIAM_AVP_DESTINATION_HOST, 0, TOP, ANY, K_STR, AT(dest_host), 0},
    {SSGW_DIAM_AVP_DESTINATION_REALM, 0, TOP, ANY, K_STR, AT(dest_realm), 0},
    {SSGW_DIAM_AVP_ROUTE_RECORD, 0, TOP, ANY, K_ROUTE, 0, 0},
    {SSGW_DIAM_AVP_USER_NAME, 0, TOP, ANY, K_IMSI, AT(user_name), 0},
    {SSGW_DIAM_AVP_AUTH_APPLICATION_ID, 0, TOP, ANY, K_INT, AT(auth_app_id), 0},
    {SSGW_DIAM_AVP_RESULT_CODE, 0, TOP, ANY, K_INT, AT(result_code), 0},
    {SSGW_DIAM_AVP_EXPERIMENTAL_RESULT_CODE, 0, SSGW_DIAM_AVP_EXPERIMENTAL_RESULT, ANY, K_INT,
     AT(exp_result_code), 0},
    {SSGW_DIAM_AVP_VENDOR_ID, 0, SSGW_DIAM_AVP_EXPERIMENTAL_RESULT, ANY, K_INT,
     AT(exp_result_vendor), 0},
    {SSGW_DIAM_AVP_DISCONNECT_CAUSE, 0, TOP, ANY, K_INT, AT(disconnect_cause), 0},
    {SSGW_DIAM_AVP_ERROR_MESSAGE, 0, TOP, ANY, K_STR, AT(error_message), 0},
    {SSGW_DIAM_AVP_VISITED_PLMN_ID, G3, TOP, ANY, K_PLMN, 0, 0},
    {SSGW_DIAM_AVP_RAT_TYPE, G3, TOP, ANY, K_INT, AT(rat_type), 0},
    {SSGW_DIAM_AVP_ULR_FLAGS, G3, TOP, ANY, K_INT, AT(ulr_flags), 0},
    {SSGW_DIAM_AVP_ULA_FLAGS, G3, TOP, ANY, K_INT, AT(ula_flags), 0},
    {SSGW_DIAM_AVP_IDR_FLAGS, G3, TOP, ANY, K_INT, AT(idr_flags), 0},
    {SSGW_DIAM_AVP_IDA_FLAGS, G3, TOP, ANY, K_INT, AT(ida_flags), 0},
    {SSGW_DIAM_AVP_CLR_FLAGS, G3, TOP, ANY, K_INT, AT(clr_flags), 0},
    {SSGW_DIAM_AVP_DSR_FLAGS, G3, TOP, ANY, K_INT, AT(dsr_flags), 0},
    {SSGW_DIAM_AVP_DSA_FLAGS, G3, TOP, ANY, K_INT, AT(dsa_flags), 0},
    {SSGW_DIAM_AVP_PUR_FLAGS, G3, TOP, ANY, K_INT, AT(pur_flags), 0},
    {SSGW_DIAM_AVP_PUA_FLAGS, G3, TOP, ANY, K_INT, AT(pua_flags), 0},
    {SSGW_DIAM_AVP_NOR_FLAGS, G3, TOP, ANY, K_INT, AT(nor_flags), 0},
    {SSGW_DIAM_AVP_CANCELLATION_TYPE, G3, TOP, ANY, K_INT, AT(cancellation_type), 0},
    {SSGW_DIAM_AVP_CONTEXT_IDENTIFIER, G3, TOP, ANY, K_INT, AT(context_identifier), 0},
    {SSGW_DIAM_AVP_IMEI, G3, SSGW_DIAM_AVP_TERMINAL_INFORMATION, ANY, K_CHARS, AT(imei),
     sizeof(((ssgw_diam_fields *)0)->imei)},
    {SSGW_DIAM_AVP_MSISDN, G3, SSGW_DIAM_AVP_SUBSCRIPTION_DATA, ANY, K_TBCD, AT(msisdn),
     sizeof(((ssgw_diam_fields *)0)->msisdn)},
    {SSGW_DIAM_AVP_SUBSCRIBER_STATUS, G3, SSGW_DIAM_AVP_SUBSCRIPTION_DATA, ANY, K_INT,
     AT(subscriber_status), 0},
    {SSGW_DIAM_AVP_NETWORK_ACCESS_MODE, G3, SSGW_DIAM_AVP_SUBSCRIPTION_DATA, ANY, K_INT,
     AT(network_access_mode), 0},
    {SSGW_DIAM_AVP_MAX_REQUESTED_BANDWIDTH_UL, G3, SSGW_DIAM_AVP_AMBR,
     SSGW_DIAM_AVP_SUBSCRIPTION_DATA, K_INT, AT(ambr_ul), 0},
    {SSGW_DIAM_AVP_MAX_REQUESTED_BANDWIDTH_DL, G3, SSGW_DIAM_AVP_AMBR,
     SSGW_DIAM_AVP_SUBSCRIPTION_DATA, K_INT, AT(ambr_dl), 0},
    {SSGW_DIAM_AVP_SERVICE_SELECTION, 0, SSGW_DIAM_AVP_APN_CONFIGURATION, ANY, K_APN, 0, 0},
    {SSGW_DIAM_AVP_SERVICE_SELECTION, 0, TOP, ANY, K_APN, 0, 0}, /* NOR */
};

void ssgw_diam_fields_init(ssgw_diam_fields *f)
{
    memset(f, 0, sizeof *f);
    int64_t *ints[] = {&f->auth_app_id,
                       &f->rat_type,
                       &f->cancellation_type,
                       &f->subscriber_status,
                       &f->network_access_mode,
                       &f->ulr_flags,
                       &f->ula_flags,
                       &f->idr_flags,
                       &f->ida_flags,
                       &f->clr_flags,
                       &f->dsr_flags,
                       &f->dsa_flags,
                       &f->pur_flags,
                       &f->pua_flags,
                       &f->nor_flags,
                       &f->ambr_ul,
                       &f->ambr_dl,
                       &f->context_identifier,
                       &f->result_code,
                       &f->exp_result_code,
                       &f->exp_result_vendor,
                       &f->disconnect_cause};
    for (size_t i = 0; i < N(ints); i++)
        *ints[i] = -1;
}

/* TS 24.008 10.5.1.13 / TS 29.272 7.3.9: MCC digit 2|1, MNC digit 3|MCC digit 3, MNC 2|1. */
static void plmn_text(const uint8_t *p, char out[8])
{
    static const char hex[] = "0123456789abcdef";
    char mcc[4] = {hex[p[0] & 15], hex[p[0] >> 4], hex[p[1] & 15], 0};
    char mnc[4] = {hex[p[2] & 15], hex[p[2] >> 4], 0, 0};
    if ((p[1] >> 4) != 0xf) mnc[2] = hex[p[1] >> 4];
    snprintf(out, 8, "%s-%s", mcc, mnc);
}

static bool all_digits(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9') return false;
    return true;
}

/* What one walk saw besides the fields: what ssgw_diam_fields_decode refuses in S6a/S6d. */
typedef struct {
    /* the first single-occurrence AVP seen twice (dup_code 0: none) */
    uint32_t dup_code, dup_vendor;
    size_t dup_at;
    bool plmn; /* a Visited-PLMN-Id, plmn_len octets at plmn_at */
    size_t plmn_len, plmn_at;
    size_t user_at; /* User-Name's offset */
} walk_seen;

/* A second instance of an AVP that occurs once (RFC 6733, TS 29.272 7.2): the first noted. */
static void note_duplicate(walk_seen *ws, const ssgw_diam_avp *a)
{
    if (ws->dup_code) return;
    ws->dup_code = a->code;
    ws->dup_vendor = a->vendor;
    ws->dup_at = a->offset;
}

static void take(ssgw_diam_fields *f, walk_seen *ws, const place *pl, const ssgw_diam_avp *a)
{
    uint8_t *base = (uint8_t *)f;
    switch (pl->k) {
    case K_STR:
    case K_IMSI: {
        ssgw_diam_str *s = (ssgw_diam_str *)(base + pl->at);
        if (s->p) {
            note_duplicate(ws, a);
            return;
        }
        if (pl->k == K_IMSI) ws->user_at = a->offset;
        s->p = (const char *)a->data;
        s->len = a->len;
        if (pl->k == K_IMSI && a->len >= 6 && a->len <= 15 && all_digits(a->data, a->len)) {
            memcpy(f->imsi, a->data, a->len);
            f->imsi[a->len] = '\0';
        }
        return;
    }
    case K_INT: {
        int64_t *v = (int64_t *)(base + pl->at);
        if (*v < 0 && a->len == 4) *v = get_be32(a->data);
        return;
    }
    case K_ROUTE:
        if (f->n_route_record < SSGW_DIAM_MAX_ROUTE_RECORDS)
            f->route_record[f->n_route_record++] = (ssgw_diam_str){(const char *)a->data, a->len};
        f->route_record_total++;
        return;
    case K_APN:
        if (f->n_apn < SSGW_DIAM_MAX_APNS)
            f->apn[f->n_apn++] = (ssgw_diam_str){(const char *)a->data, a->len};
        f->apn_total++;
        return;
    case K_PLMN:
        if (ws->plmn) {
            note_duplicate(ws, a);
            return;
        }
        ws->plmn = true;
        ws->plmn_len = a->len;
        ws->plmn_at = a->offset;
        if (a->len == 3) plmn_text(a->data, f->visited_plmn);
        return;
    case K_TBCD: {
        char *s = (char *)(base + pl->at);
        if (!s[0] && ssgw_tbcd_decode(a->data, a->len, s, pl->cap) < 0) s[0] = '\0';
        return;
    }
    case K_CHARS: {
        char *s = (char *)(base + pl->at);
        if (s[0] || a->len >= pl->cap) return;
        memcpy(s, a->data, a->len);
        s[a->len] = '\0';
        return;
    }
    }
}

static void walk(ssgw_diam_fields *f, walk_seen *ws, ssgw_diam_iter it, uint32_t parent,
                 uint32_t grandparent, unsigned depth)
{
    ssgw_diam_avp a;
    while (ssgw_diam_next(&it, &a, NULL) == 1) {
        for (size_t i = 0; i < N(places); i++) {
            const place *pl = &places[i];
            if (pl->code == a.code && pl->vendor == a.vendor && pl->parent == parent &&
                (pl->grandparent == ANY || pl->grandparent == grandparent))
                take(f, ws, pl, &a);
        }
        if (a.def && a.def->type == SSGW_DIAM_T_GROUPED && depth < SSGW_DIAM_MAX_DEPTH) {
            ssgw_diam_iter in;
            ssgw_diam_iter_group(&in, &a);
            walk(f, ws, in, a.code, parent, depth + 1);
        }
    }
}

/* The S6a/S6d requests about one subscriber: User-Name (the IMSI) is mandatory in them
 * (TS 29.272 7.2.3-7.2.19), and Visited-PLMN-Id in ULR and AIR. */
static bool names_subscriber(uint32_t cmd)
{
    return cmd == SSGW_DIAM_CMD_UPDATE_LOCATION || cmd == SSGW_DIAM_CMD_CANCEL_LOCATION ||
           cmd == SSGW_DIAM_CMD_AUTHENTICATION_INFORMATION ||
           cmd == SSGW_DIAM_CMD_INSERT_SUBSCRIBER_DATA ||
           cmd == SSGW_DIAM_CMD_DELETE_SUBSCRIBER_DATA || cmd == SSGW_DIAM_CMD_PURGE_UE ||
           cmd == SSGW_DIAM_CMD_NOTIFY;
}

/* What S6a/S6d messages must be for the checks to judge them as the HSS or MME will act on
 * them: each single-occurrence AVP once (a peer that keeps the second instance would act on
 * one nothing screened), User-Name an IMSI of 6-15 digits (a peer that truncates or pads it
 * would act on our subscriber while every IMSI check skipped the message), Visited-PLMN-Id
 * of exactly 3 octets, and both present where the command requires them. */
static int s6a_well_formed(const ssgw_diam_msg *m, const ssgw_diam_fields *f, const walk_seen *ws,
                           ssgw_error *err)
{
    if (ws->dup_code) {
        const ssgw_diam_avp_def *d = ssgw_diam_avp_def_find(ws->dup_code, ws->dup_vendor);
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_DUPLICATE, d ? d->name : "AVP",
                         ws->dup_at);
    }
    if (f->user_name.p && !f->imsi[0])
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_BAD_VALUE, "User-Name (an IMSI)",
                         ws->user_at);
    if (ws->plmn && ws->plmn_len != 3)
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_BAD_LENGTH, "Visited-PLMN-Id",
                         ws->plmn_at);
    if (!ssgw_diam_is_request(m) || !names_subscriber(m->code)) return 0;
    if (!f->user_name.p)
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_MISSING, "User-Name", m->len);
    if (!ws->plmn && (m->code == SSGW_DIAM_CMD_UPDATE_LOCATION ||
                      m->code == SSGW_DIAM_CMD_AUTHENTICATION_INFORMATION))
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_MISSING, "Visited-PLMN-Id", m->len);
    return 0;
}

int ssgw_diam_fields_decode(const ssgw_diam_msg *m, ssgw_diam_fields *f, ssgw_error *err)
{
    ssgw_diam_fields_init(f);
    ssgw_diam_iter it;
    ssgw_diam_iter_msg(&it, m);
    walk_seen ws = {0};
    walk(f, &ws, it, TOP, ANY, 0);
    return m->app_id == SSGW_DIAM_APP_S6A ? s6a_well_formed(m, f, &ws, err) : 0;
}

/* ---- the fields by name ---------------------------------------------------------------- */

typedef struct {
    const char *key;
    const char *wireshark;
    kind k;
    size_t at;
    uint32_t enum_code, enum_vendor; /* the AVP whose enumerated names the values have */
} field_desc;

/* F: a field without value names; FE: an Unsigned32 / Enumerated field whose values have
 * names (the AVP whose names they are). */
#define F(id, key, ws, k, m)          [SSGW_DIAM_F_##id] = {key, ws, k, AT(m), 0, 0}
#define FE(id, key, ws, m, code, vnd) [SSGW_DIAM_F_##id] = {key, ws, K_INT, AT(m), code, vnd}

static const field_desc fields[SSGW_DIAM_F_COUNT] = {
    F(SESSION_ID, "session_id", "diameter.Session-Id", K_STR, session_id),
    F(ORIGIN_HOST, "origin_host", "diameter.Origin-Host", K_STR, origin_host),
    F(ORIGIN_REALM, "origin_realm", "diameter.Origin-Realm", K_STR, origin_realm),
    F(DEST_HOST, "dest_host", "diameter.Destination-Host", K_STR, dest_host),
    F(DEST_REALM, "dest_realm", "diameter.Destination-Realm", K_STR, dest_realm),
    F(USER_NAME, "user_name", "diameter.User-Name", K_STR, user_name),
    F(IMSI, "imsi", "e212.imsi", K_CHARS, imsi),
    F(VISITED_PLMN, "visited_plmn", "diameter.Visited-PLMN-Id (e212.mcc, e212.mnc)", K_CHARS,
      visited_plmn),
    FE(RAT_TYPE, "rat_type", "diameter.RAT-Type", rat_type, SSGW_DIAM_AVP_RAT_TYPE, G3),
    F(ULR_FLAGS, "ulr_flags", "diameter.ULR-Flags", K_INT, ulr_flags),
    F(ULA_FLAGS, "ula_flags", "diameter.ULA-Flags", K_INT, ula_flags),
    F(IDR_FLAGS, "idr_flags", "diameter.IDR-Flags", K_INT, idr_flags),
    F(IDA_FLAGS, "ida_flags", "diameter.IDA-Flags", K_INT, ida_flags),
    F(CLR_FLAGS, "clr_flags", "diameter.CLR-Flags", K_INT, clr_flags),
    F(DSR_FLAGS, "dsr_flags", "diameter.DSR-Flags", K_INT, dsr_flags),
    F(DSA_FLAGS, "dsa_flags", "diameter.DSA-Flags", K_INT, dsa_flags),
    F(PUR_FLAGS, "pur_flags", "diameter.PUR-Flags", K_INT, pur_flags),
    F(PUA_FLAGS, "pua_flags", "diameter.PUA-Flags", K_INT, pua_flags),
    F(NOR_FLAGS, "nor_flags", "diameter.NOR-Flags", K_INT, nor_flags),
    FE(CANCELLATION_TYPE, "cancellation_type", "diameter.Cancellation-Type", cancellation_type,
       SSGW_DIAM_AVP_CANCELLATION_TYPE, G3),
    F(CONTEXT_IDENTIFIER, "context_identifier", "diameter.Context-Identifier", K_INT,
      context_identifier),
    FE(SUBSCRIBER_STATUS, "subscriber_status", "diameter.Subscriber-Status", subscriber_status,
       SSGW_DIAM_AVP_SUBSCRIBER_STATUS, G3),
    FE(NETWORK_ACCESS_MODE, "network_access_mode", "diameter.Network-Access-Mode",
       network_access_mode, SSGW_DIAM_AVP_NETWORK_ACCESS_MODE, G3),
    F(MSISDN, "msisdn", "diameter.MSISDN (e164.msisdn)", K_CHARS, msisdn),
    F(IMEI, "imei", "diameter.IMEI", K_CHARS, imei),
    F(AMBR_UL, "ambr_ul", "diameter.Max-Requested-Bandwidth-UL", K_INT, ambr_ul),
    F(AMBR_DL, "ambr_dl", "diameter.Max-Requested-Bandwidth-DL", K_INT, ambr_dl),
    FE(RESULT_CODE, "result_code", "diameter.Result-Code", result_code, SSGW_DIAM_AVP_RESULT_CODE,
       0),
    FE(EXP_RESULT_CODE, "experimental_result_code", "diameter.Experimental-Result-Code",
       exp_result_code, SSGW_DIAM_AVP_EXPERIMENTAL_RESULT_CODE, 0),
    F(EXP_RESULT_VENDOR, "experimental_result_vendor", "diameter.Vendor-Id", K_INT,
      exp_result_vendor),
    FE(DISCONNECT_CAUSE, "disconnect_cause", "diameter.Disconnect-Cause", disconnect_cause,
       SSGW_DIAM_AVP_DISCONNECT_CAUSE, 0),
    F(ERROR_MESSAGE, "error_message", "diameter.Error-Message", K_STR, error_message),
};

const char *ssgw_diam_field_name(ssgw_diam_field f)
{
    return (unsigned)f < SSGW_DIAM_F_COUNT ? fields[f].key : "unknown";
}

const char *ssgw_diam_field_wireshark(ssgw_diam_field f)
{
    return (unsigned)f < SSGW_DIAM_F_COUNT ? fields[f].wireshark : NULL;
}

bool ssgw_diam_field_is_int(ssgw_diam_field f)
{
    return (unsigned)f < SSGW_DIAM_F_COUNT && fields[f].k == K_INT;
}

const char *ssgw_diam_field_get(const ssgw_diam_fields *f, ssgw_diam_field field, char *tmp,
                                size_t tmpcap, int64_t *num)
{
    if ((unsigned)field >= SSGW_DIAM_F_COUNT || tmpcap == 0) return NULL;
    const field_desc *d = &fields[field];
    const uint8_t *base = (const uint8_t *)f;
    switch (d->k) {
    case K_STR: {
        const ssgw_diam_str *s = (const ssgw_diam_str *)(base + d->at);
        if (!s->p) return NULL;
        size_t n = s->len < tmpcap - 1 ? s->len : tmpcap - 1;
        memcpy(tmp, s->p, n);
        tmp[n] = '\0';
        return tmp;
    }
    case K_INT: {
        int64_t v = *(const int64_t *)(base + d->at);
        if (v < 0) return NULL;
        if (num) *num = v;
        snprintf(tmp, tmpcap, "%" PRId64, v);
        return tmp;
    }
    default: {
        const char *s = (const char *)(base + d->at);
        return s[0] ? s : NULL;
    }
    }
}

const char *ssgw_diam_field_value_name(ssgw_diam_field field, int64_t value)
{
    if ((unsigned)field >= SSGW_DIAM_F_COUNT || !fields[field].enum_code || value < 0 ||
        value > UINT32_MAX)
        return NULL;
    return ssgw_diam_enum_name(fields[field].enum_code, fields[field].enum_vendor, (uint32_t)value);
}

const ssgw_diam_str *ssgw_diam_field_view(const ssgw_diam_fields *f, ssgw_diam_field field)
{
    if ((unsigned)field >= SSGW_DIAM_F_COUNT || fields[field].k != K_STR) return NULL;
    const ssgw_diam_str *s = (const ssgw_diam_str *)((const uint8_t *)f + fields[field].at);
    return s->p ? s : NULL;
}
