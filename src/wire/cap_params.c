/*
 * cap_params.c - lazy decoding of CAP operation arguments (TS 29.078 clauses
 * 6-8 and the CAP-datatypes of clause 5.1) for the identities, numbers and
 * events a security policy needs. The element lists are data (cap_schema.h),
 * in ASN.1 definition order; tags were taken from the ASN.1 modules shipped
 * with Wireshark's camel dissector (asn1/camel: CAP-gsmSSF-gsmSCF-ops-args,
 * CAP-SMS-ops-args, CAP-gprsSSF-gsmSCF-ops-args, CAP-datatypes) and, for
 * LocationInformation, from MAP-MS-DataTypes (TS 29.002).
 */
#include "cap_schema.h"

#include <stdio.h>
#include <string.h>

#include "ber_inline.h"
#include "field_text.h"
#include "ssgw/ber.h"
#include "ssgw/digits.h"

#define UNI   SSGW_BER_UNIVERSAL
#define CTX   SSGW_BER_CONTEXT
#define T_OCT SSGW_BER_TAG_OCTET_STRING
#define T_SEQ SSGW_BER_TAG_SEQUENCE

#define L(nm, cl, tg, k, t, fl)                                                                    \
    {                                                                                              \
        .name = nm, .cls = cl, .tag = tg, .kind = k, .target = t, .flags = fl                      \
    }
#define LD(nm, cl, tg, k, t, fl, ...)                                                              \
    {                                                                                              \
        .name = nm, .cls = cl, .tag = tg, .kind = k, .target = t, .flags = fl,                     \
        .def = (const uint8_t[]){__VA_ARGS__}, .deflen = sizeof((const uint8_t[]){__VA_ARGS__})    \
    }
#define N(nm, cl, tg, k, s, fl)                                                                    \
    {                                                                                              \
        .name = nm, .cls = cl, .tag = tg, .kind = k, .sub = s, .flags = fl                         \
    }
/* an element of some phases only */
#define LP(nm, cl, tg, k, t, fl, p0, p1)                                                           \
    {                                                                                              \
        .name = nm, .cls = cl, .tag = tg, .kind = k, .target = t, .flags = fl, .minp = p0,         \
        .maxp = p1                                                                                 \
    }
#define ENDL                                                                                       \
    {                                                                                              \
        .kind = CK_END                                                                             \
    }

/* --- MAP-MS-DataTypes LocationInformation (ageOfLocationInformation, geographicalInformation [0],
 *     vlr-number [1], locationNumber [2], cellGlobalIdOrServiceAreaIdOrLAI [3], ...) --- */
static const cap_elem location_information[] = {
    L("vlr-number", CTX, 1, CK_ADDR, CT_VLR, 0),
    L("cellGlobalIdOrServiceAreaIdOrLAI", CTX, 3, CK_CGI, CT_CELL, 0),
    ENDL,
};

/* --- circuit-switched call control --- */
/* InitialDPArgExtension: naCarrierInformation [0], gmscAddress [1] in phase 2 (GSM 09.78);
 * gmscAddress [0], forwardingDestinationNumber [1], ... from phase 3 */
static const cap_elem initial_dp_arg_extension[] = {
    LP("gmscAddress", CTX, 0, CK_ADDR, CT_GMSC, 0, 3, 4),
    LP("gmscAddress", CTX, 1, CK_ADDR, CT_GMSC, 0, 1, 2),
    ENDL,
};
static const cap_elem initial_dp_arg[] = {
    L("serviceKey", CTX, 0, CK_INT, CT_SERVICE_KEY, CF_MAND),
    L("calledPartyNumber", CTX, 2, CK_ISUP_NUM, CT_CALLED, 0),
    L("callingPartyNumber", CTX, 3, CK_ISUP_NUM, CT_CALLING, 0),
    L("locationNumber", CTX, 10, CK_ISUP_NUM, CT_LOCATION, 0),
    L("eventTypeBCSM", CTX, 28, CK_INT, CT_EVENT_BCSM, 0),
    L("iMSI", CTX, 50, CK_IMSI, CT_IMSI, 0),
    N("locationInformation", CTX, 52, CK_SEQ, location_information, 0),
    L("mscAddress", CTX, 55, CK_ADDR, CT_MSC, 0),
    L("calledPartyBCDNumber", CTX, 56, CK_BCD_NUM, CT_CALLED_BCD, 0),
    N("initialDPArgExtension", CTX, 59, CK_SEQ, initial_dp_arg_extension, 0),
    ENDL,
};
/* BCSMEvent: eventTypeBCSM [0], monitorMode [1] (notifyAndContinue when written), ... */
static const cap_elem bcsm_event[] = {
    L("eventTypeBCSM", CTX, 0, CK_INT, CT_BCSM_ARMED, CF_MAND),
    LD("monitorMode", CTX, 1, CK_INT, CT_NONE, CF_MAND, 0x01),
    ENDL,
};
static const cap_elem bcsm_event_item[] = {N("BCSMEvent", UNI, T_SEQ, CK_SEQ, bcsm_event, 0), ENDL};
static const cap_elem request_report_bcsm_event_arg[] = {
    N("bcsmEvents", CTX, 0, CK_SEQOF, bcsm_event_item, CF_MAND),
    ENDL,
};
static const cap_elem event_report_bcsm_arg[] = {
    L("eventTypeBCSM", CTX, 0, CK_INT, CT_EVENT_BCSM, CF_MAND),
    ENDL,
};
/* DestinationRoutingAddress ::= SEQUENCE SIZE(1) OF CalledPartyNumber */
static const cap_elem called_party_number_item[] = {
    L("CalledPartyNumber", UNI, T_OCT, CK_ISUP_NUM, CT_DRA, 0),
    ENDL,
};
static const cap_elem connect_arg[] = {
    N("destinationRoutingAddress", CTX, 0, CK_SEQOF, called_party_number_item, CF_MAND),
    ENDL,
};
static const cap_elem initiate_call_attempt_arg[] = {
    N("destinationRoutingAddress", CTX, 0, CK_SEQOF, called_party_number_item, CF_MAND),
    L("callingPartyNumber", CTX, 30, CK_ISUP_NUM, CT_CALLING, 0),
    L("gsmSCFAddress", CTX, 52, CK_ADDR, CT_GSMSCF, 0),
    ENDL,
};
/* ReleaseCallArg ::= CHOICE { allCallSegments Cause, allCallSegmentsWithExtension [2] SEQUENCE {
 * allCallSegments [0] Cause, extensions [1] } } */
static const cap_elem cause_leaf[] = {
    L("allCallSegments", UNI, T_OCT, CK_CAUSE, CT_CAUSE, CF_MAND),
    ENDL,
};
static const cap_elem all_call_segments_with_extension[] = {
    L("allCallSegments", CTX, 0, CK_CAUSE, CT_CAUSE, CF_MAND),
    ENDL,
};
/* CAMEL-AChBillingChargingCharacteristics ::= CHOICE { timeDurationCharging [0] SEQUENCE {
 * maxCallPeriodDuration [0] INTEGER (1..864000), ... } }, BER inside an OCTET STRING */
static const cap_elem time_duration_charging[] = {
    L("maxCallPeriodDuration", CTX, 0, CK_INT, CT_MAX_DURATION, CF_MAND),
    ENDL,
};
static const cap_elem ach_billing_charging_characteristics[] = {
    N("timeDurationCharging", CTX, 0, CK_SEQ, time_duration_charging, CF_MAND),
    ENDL,
};
static const cap_elem apply_charging_arg[] = {
    N("aChBillingChargingCharacteristics", CTX, 0, CK_BER_OCTETS,
      ach_billing_charging_characteristics, CF_MAND),
    ENDL,
};

/* --- SMS control --- */
static const cap_elem initial_dp_sms_arg[] = {
    L("serviceKey", CTX, 0, CK_INT, CT_SERVICE_KEY, CF_MAND),
    L("destinationSubscriberNumber", CTX, 1, CK_BCD_NUM, CT_CALLED_BCD, 0),
    L("callingPartyNumber", CTX, 2, CK_ADDR, CT_CALLING, 0),
    L("eventTypeSMS", CTX, 3, CK_INT, CT_EVENT_SMS, 0),
    L("iMSI", CTX, 4, CK_IMSI, CT_IMSI, 0),
    N("locationInformationMSC", CTX, 5, CK_SEQ, location_information, 0),
    L("sMSCAddress", CTX, 7, CK_ADDR, CT_SMSC, 0),
    L("mscAddress", CTX, 15, CK_ADDR, CT_MSC, 0),
    L("sgsn-Number", CTX, 16, CK_ADDR, CT_SGSN, 0),
    ENDL,
};
static const cap_elem connect_sms_arg[] = {
    L("callingPartysNumber", CTX, 0, CK_ADDR, CT_CALLING, 0),
    L("destinationSubscriberNumber", CTX, 1, CK_BCD_NUM, CT_CALLED_BCD, 0),
    L("sMSCAddress", CTX, 2, CK_ADDR, CT_SMSC, 0),
    ENDL,
};
static const cap_elem event_report_sms_arg[] = {
    L("eventTypeSMS", CTX, 0, CK_INT, CT_EVENT_SMS, CF_MAND),
    ENDL,
};

/* --- GPRS control --- */
static const cap_elem initial_dp_gprs_arg[] = {
    L("serviceKey", CTX, 0, CK_INT, CT_SERVICE_KEY, CF_MAND),
    L("gPRSEventType", CTX, 1, CK_INT, CT_EVENT_GPRS, CF_MAND),
    L("mSISDN", CTX, 2, CK_ADDR, CT_MSISDN, CF_MAND),
    L("iMSI", CTX, 3, CK_IMSI, CT_IMSI, CF_MAND),
    /* TimeAndTimezone: 2024-01-01 12:00:00, zone +0 (TS 29.078 5.1, BCD like TP-SCTS) */
    LD("timeAndTimeZone", CTX, 4, CK_SKIP, CT_NONE, CF_MAND, 0x02, 0x42, 0x10, 0x10, 0x21, 0x00,
       0x00, 0x00),
    ENDL,
};
static const cap_elem event_report_gprs_arg[] = {
    L("gPRSEventType", CTX, 0, CK_INT, CT_EVENT_GPRS, CF_MAND),
    ENDL,
};

#define SHAPE(cl, tg, list)                                                                        \
    {                                                                                              \
        cl, tg, list, false                                                                        \
    }
#define LEAF(cl, tg, elem)                                                                         \
    {                                                                                              \
        cl, tg, elem, true                                                                         \
    }
#define SEQ_SHAPE(list) (const cap_shape[]){SHAPE(UNI, T_SEQ, list)}, 1

static const cap_opdef schemas[] = {
    {SSGW_CAP_OP_INITIAL_DP, "InitialDPArg", SEQ_SHAPE(initial_dp_arg)},
    {SSGW_CAP_OP_REQUEST_REPORT_BCSM_EVENT, "RequestReportBCSMEventArg",
     SEQ_SHAPE(request_report_bcsm_event_arg)},
    {SSGW_CAP_OP_EVENT_REPORT_BCSM, "EventReportBCSMArg", SEQ_SHAPE(event_report_bcsm_arg)},
    {SSGW_CAP_OP_CONNECT, "ConnectArg", SEQ_SHAPE(connect_arg)},
    {SSGW_CAP_OP_RELEASE_CALL, "ReleaseCallArg",
     (const cap_shape[]){LEAF(UNI, T_OCT, cause_leaf),
                         SHAPE(CTX, 2, all_call_segments_with_extension)},
     2},
    {SSGW_CAP_OP_APPLY_CHARGING, "ApplyChargingArg", SEQ_SHAPE(apply_charging_arg)},
    {SSGW_CAP_OP_INITIATE_CALL_ATTEMPT, "InitiateCallAttemptArg",
     SEQ_SHAPE(initiate_call_attempt_arg)},
    {SSGW_CAP_OP_INITIAL_DP_SMS, "InitialDPSMSArg", SEQ_SHAPE(initial_dp_sms_arg)},
    {SSGW_CAP_OP_CONNECT_SMS, "ConnectSMSArg", SEQ_SHAPE(connect_sms_arg)},
    {SSGW_CAP_OP_EVENT_REPORT_SMS, "EventReportSMSArg", SEQ_SHAPE(event_report_sms_arg)},
    {SSGW_CAP_OP_INITIAL_DP_GPRS, "InitialDPGPRSArg", SEQ_SHAPE(initial_dp_gprs_arg)},
    {SSGW_CAP_OP_EVENT_REPORT_GPRS, "EventReportGPRSArg", SEQ_SHAPE(event_report_gprs_arg)},
};

const cap_opdef *ssgw_cap_schema_find(int opcode)
{
    for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
        if (schemas[i].opcode == opcode) return &schemas[i];
    return NULL;
}

bool ssgw_cap_decodes(int opcode)
{
    return ssgw_cap_schema_find(opcode) != NULL;
}

/* ------------------------------------------------------------------ */
/* Fields */

void ssgw_cap_fields_init(ssgw_cap_fields *f)
{
    memset(f, 0, sizeof *f);
    f->service_key = f->event_type_bcsm = f->event_type_sms = f->gprs_event_type = -1;
    f->release_cause = f->max_call_period_duration = -1;
}

char *ssgw_cap_target_str(ssgw_cap_fields *f, int target, size_t *cap)
{
#define S(m)                                                                                       \
    do {                                                                                           \
        *cap = sizeof f->m;                                                                        \
        return f->m;                                                                               \
    } while (0)
    switch (target) {
    case CT_IMSI:
        S(imsi);
    case CT_MSISDN:
        S(msisdn);
    case CT_CALLING:
        S(calling_party_number);
    case CT_CALLED:
        S(called_party_number);
    case CT_CALLED_BCD:
        S(called_party_bcd_number);
    case CT_LOCATION:
        S(location_number);
    case CT_MSC:
        S(msc_address);
    case CT_GMSC:
        S(gmsc_address);
    case CT_VLR:
        S(vlr_number);
    case CT_SMSC:
        S(smsc_address);
    case CT_SGSN:
        S(sgsn_number);
    case CT_GSMSCF:
        S(gsmscf_address);
    case CT_DRA:
        S(destination_routing_address);
    case CT_CELL:
        S(cell_id);
    case CT_BCSM_ARMED:
        S(bcsm_events);
    default:
        *cap = 0;
        return NULL;
    }
#undef S
}

int *ssgw_cap_target_int(ssgw_cap_fields *f, int target)
{
    switch (target) {
    case CT_SERVICE_KEY:
        return &f->service_key;
    case CT_EVENT_BCSM:
        return &f->event_type_bcsm;
    case CT_EVENT_SMS:
        return &f->event_type_sms;
    case CT_EVENT_GPRS:
        return &f->gprs_event_type;
    case CT_CAUSE:
        return &f->release_cause;
    case CT_MAX_DURATION:
        return &f->max_call_period_duration;
    default:
        return NULL;
    }
}

/* ------------------------------------------------------------------ */
/* Decoder */

typedef struct {
    const uint8_t *base; /* the parameter TLV: offsets are relative to it */
    ssgw_error *err;
    ssgw_cap_fields *f;
    int phase;
} dctx;

static int dfail(dctx *c, ssgw_errcode code, const char *field, const uint8_t *at)
{
    return ssgw_fail(c->err, SSGW_LAYER_CAP, code, field, (size_t)(at - c->base));
}

static int dnext(dctx *c, ssgw_ber_iter *it, ssgw_ber_tlv *t, const char *field)
{
    return ssgw_ber_next_in(it, t, SSGW_LAYER_CAP, field, c->base, c->err);
}

static bool kind_constructed(int k)
{
    return k == CK_SEQ || k == CK_SEQOF || k == CK_CGI;
}

/* Copies digits into an empty target (first value wins), cut to cap - 1 as snprintf would
 * cut them: a call of snprintf was ~600 instructions, a CAP message's ~3,000 (issue 16). */
static void keep(char *dst, size_t cap, const char *src)
{
    if (!dst || !cap || dst[0]) return;
    size_t n = strlen(src);
    if (n > cap - 1) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int dec_list(dctx *c, const uint8_t *p, size_t len, const cap_elem *list);

static int dec_elem(dctx *c, const cap_elem *e, const ssgw_ber_tlv *t)
{
    ssgw_cap_fields *f = c->f;
    const uint8_t *at = t->val - t->hdr_len;
    if (e->kind != CK_SKIP && t->constructed != kind_constructed(e->kind))
        return dfail(c, SSGW_E_BAD_TAG, e->name, at);
    size_t cap;
    char *s = ssgw_cap_target_str(f, e->target, &cap);
    char digits[SSGW_CAP_DIGITS_CAP];
    switch (e->kind) {
    case CK_INT: {
        int64_t v;
        ssgw_error tmp;
        if (ssgw_ber_get_int(t, &v, e->name, &tmp) < 0 || v < 0 || v > 0x7fffffff)
            return dfail(c, SSGW_E_BAD_VALUE, e->name, at);
        if (e->target == CT_BCSM_ARMED) {
            const char *name = ssgw_cap_event_bcsm_name((int)v);
            char num[16];
            if (!name) {
                snprintf(num, sizeof num, "%d", (int)v);
                name = num;
            }
            size_t used = strlen(f->bcsm_events);
            if (used + strlen(name) + 2 < sizeof f->bcsm_events)
                snprintf(f->bcsm_events + used, sizeof f->bcsm_events - used, "%s%s",
                         used ? "," : "", name);
            if (f->event_type_bcsm < 0) f->event_type_bcsm = (int)v;
            return 0;
        }
        int *ip = ssgw_cap_target_int(f, e->target);
        if (ip && *ip < 0) *ip = (int)v;
        return 0;
    }
    case CK_ISUP_NUM: {
        /* octet 1: odd/even, nature of address; octet 2: INN/NI, numbering plan, (APRI,
         * screening); then the address signals, two per octet, the first in bits 4-1 */
        if (t->len < 2 || t->len > 2 + 16) return dfail(c, SSGW_E_BAD_LENGTH, e->name, at);
        bool odd = (t->val[0] & 0x80) != 0;
        if (t->len == 2 && odd) return dfail(c, SSGW_E_BAD_VALUE, e->name, t->val);
        if (ssgw_bcd_decode(t->val + 2, t->len - 2, odd, digits, sizeof digits) < 0)
            return dfail(c, SSGW_E_BAD_VALUE, e->name, t->val + 2);
        keep(s, cap, digits);
        return 0;
    }
    case CK_BCD_NUM:
    case CK_ADDR: {
        /* octet 1: extension, type of number, numbering plan (TS 24.008 10.5.4.7 octet 3;
         * TS 29.002 AddressString); TBCD digits follow */
        size_t skip = 1;
        if (e->kind == CK_BCD_NUM && t->len >= 1 && !(t->val[0] & 0x80)) skip = 2; /* octet 3a */
        size_t maxlen = e->kind == CK_BCD_NUM ? 41 : 20;
        if (t->len < skip || t->len > maxlen) return dfail(c, SSGW_E_BAD_LENGTH, e->name, at);
        if (ssgw_tbcd_decode(t->val + skip, t->len - skip, digits, sizeof digits) < 0)
            return dfail(c, SSGW_E_BAD_VALUE, e->name, t->val + skip);
        keep(s, cap, digits);
        return 0;
    }
    case CK_IMSI:
        if (t->len < 3 || t->len > 8) return dfail(c, SSGW_E_BAD_LENGTH, e->name, at);
        if (ssgw_tbcd_decode(t->val, t->len, digits, sizeof digits) < 0)
            return dfail(c, SSGW_E_BAD_VALUE, e->name, t->val);
        keep(s, cap, digits);
        return 0;
    case CK_CAUSE: {
        /* Q.850 2.1: octet 1 (extension, coding standard, location), octet 1a when its
         * extension bit is 0, then the cause value with its extension bit */
        size_t at_value = t->len >= 1 && !(t->val[0] & 0x80) ? 2 : 1;
        if (t->len < at_value + 1 || t->len > 32) return dfail(c, SSGW_E_BAD_LENGTH, e->name, at);
        int *ip = ssgw_cap_target_int(f, e->target);
        if (ip && *ip < 0) *ip = t->val[at_value] & 0x7f;
        return 0;
    }
    case CK_CGI: {
        ssgw_ber_iter it;
        ssgw_ber_tlv in;
        ssgw_ber_iter_init(&it, t->val, t->len);
        int r = dnext(c, &it, &in, e->name);
        if (r <= 0) return r < 0 ? -1 : dfail(c, SSGW_E_MISSING, e->name, at);
        if (in.cls != CTX || in.tag > 1 || in.constructed)
            return dfail(c, SSGW_E_BAD_TAG, e->name, in.val - in.hdr_len);
        if (in.len != (in.tag == 0 ? 7u : 5u))
            return dfail(c, SSGW_E_BAD_LENGTH, e->name, in.val - in.hdr_len);
        if (s && !s[0]) { /* lower-case hex, two digits an octet, as far as cap allows */
            static const char hex[] = "0123456789abcdef";
            size_t i = 0;
            for (; i < in.len && 2 * i + 2 < cap; i++) {
                s[2 * i] = hex[in.val[i] >> 4];
                s[2 * i + 1] = hex[in.val[i] & 15];
            }
            if (i) s[2 * i] = '\0';
        }
        return 0;
    }
    case CK_SEQ:
        return dec_list(c, t->val, t->len, e->sub);
    case CK_BER_OCTETS:
        return dec_list(c, t->val, t->len, e->sub);
    case CK_SEQOF: {
        ssgw_ber_iter it;
        ssgw_ber_tlv in;
        int r;
        unsigned n = 0;
        ssgw_ber_iter_init(&it, t->val, t->len);
        while ((r = dnext(c, &it, &in, e->name)) > 0) {
            const cap_elem *item = &e->sub[0];
            if (in.cls != item->cls || in.tag != item->tag)
                return dfail(c, SSGW_E_BAD_TAG, item->name, in.val - in.hdr_len);
            if (dec_elem(c, item, &in) < 0) return -1;
            n++;
        }
        if (r < 0) return -1;
        if (n == 0 && (e->flags & CF_MAND)) return dfail(c, SSGW_E_MISSING, e->sub[0].name, at);
        return 0;
    }
    default: /* read only for its tag */
        return 0;
    }
}

#define MAX_LIST 32

static int dec_list(dctx *c, const uint8_t *p, size_t len, const cap_elem *list)
{
    uint32_t seen = 0;
    ssgw_ber_iter it;
    ssgw_ber_tlv t;
    int r;
    ssgw_ber_iter_init(&it, p, len);
    while ((r = dnext(c, &it, &t, "parameter")) > 0) {
        size_t i;
        for (i = 0; list[i].name && i < MAX_LIST; i++)
            if (list[i].cls == t.cls && list[i].tag == t.tag &&
                cap_elem_in_phase(&list[i], c->phase))
                break;
        if (!list[i].name || i == MAX_LIST) continue; /* not needed, or an extension: skipped */
        if (seen & (1u << i)) return dfail(c, SSGW_E_DUPLICATE, list[i].name, t.val - t.hdr_len);
        seen |= 1u << i;
        if (dec_elem(c, &list[i], &t) < 0) return -1;
    }
    if (r < 0) return -1;
    for (size_t i = 0; list[i].name && i < MAX_LIST; i++)
        if ((list[i].flags & CF_MAND) && !(seen & (1u << i)) &&
            cap_elem_in_phase(&list[i], c->phase))
            return dfail(c, SSGW_E_MISSING, list[i].name, p + len);
    return 0;
}

int ssgw_cap_decode(int opcode, int phase, const uint8_t *param, size_t len, ssgw_cap_fields *out,
                    ssgw_error *err)
{
    const cap_opdef *d = ssgw_cap_schema_find(opcode);
    if (!d || !param || len == 0) return 0;
    dctx c = {param, err, out, phase};
    ssgw_ber_tlv t;
    ssgw_error e;
    if (ssgw_ber_read_fast(param, len, &t, &e) < 0)
        return ssgw_fail(err, SSGW_LAYER_CAP, e.code, d->type, e.offset);
    if (t.total != len) return ssgw_fail(err, SSGW_LAYER_CAP, SSGW_E_BAD_LENGTH, d->type, t.total);
    for (size_t i = 0; i < d->n_shapes; i++) {
        const cap_shape *sh = &d->shapes[i];
        if (sh->cls != t.cls || sh->tag != t.tag) continue;
        if (sh->leaf) return dec_elem(&c, sh->root, &t);
        if (!t.constructed) return ssgw_fail(err, SSGW_LAYER_CAP, SSGW_E_BAD_TAG, d->type, 0);
        return dec_list(&c, t.val, t.len, sh->root);
    }
    return ssgw_fail(err, SSGW_LAYER_CAP, SSGW_E_BAD_TAG, d->type, 0);
}

/* ------------------------------------------------------------------ */
/* Field names */

static const struct {
    const char *name;
    const char *wireshark;
    bool is_int;
} field_names[SSGW_CAP_F_COUNT] = {
    [SSGW_CAP_F_SERVICE_KEY] = {"service_key", "camel.serviceKey", true},
    [SSGW_CAP_F_IMSI] = {"imsi", "e212.imsi", false},
    [SSGW_CAP_F_MSISDN] = {"msisdn", "camel.mSISDN", false},
    [SSGW_CAP_F_CALLING_PARTY_NUMBER] = {"calling_party_number", "isup.calling", false},
    [SSGW_CAP_F_CALLED_PARTY_NUMBER] = {"called_party_number", "isup.called", false},
    [SSGW_CAP_F_CALLED_PARTY_BCD_NUMBER] = {"called_party_bcd_number",
                                            "gsm_a.dtap.cld_party_bcd_num", false},
    [SSGW_CAP_F_LOCATION_NUMBER] = {"location_number", "isup.location_number", false},
    [SSGW_CAP_F_MSC_ADDRESS] = {"msc_address", "camel.mscAddress", false},
    [SSGW_CAP_F_GMSC_ADDRESS] = {"gmsc_address", "camel.gmscAddress", false},
    [SSGW_CAP_F_VLR_NUMBER] = {"vlr_number", "gsm_map.ms.vlr_number", false},
    [SSGW_CAP_F_SMSC_ADDRESS] = {"smsc_address", "camel.sMSCAddress", false},
    [SSGW_CAP_F_SGSN_NUMBER] = {"sgsn_number", "camel.sgsn_Number", false},
    [SSGW_CAP_F_GSMSCF_ADDRESS] = {"gsmscf_address", "camel.gsmSCFAddress", false},
    [SSGW_CAP_F_DESTINATION_ROUTING_ADDRESS] = {"destination_routing_address", "isup.called",
                                                false},
    [SSGW_CAP_F_CELL_ID] = {"cell_id", "gsm_map.cellGlobalIdOrServiceAreaIdFixedLength", false},
    [SSGW_CAP_F_EVENT_TYPE_BCSM] = {"event_type_bcsm", "camel.eventTypeBCSM", true},
    [SSGW_CAP_F_EVENT_TYPE_BCSM_NAME] = {"event_type_bcsm_name", NULL, false},
    [SSGW_CAP_F_BCSM_EVENTS] = {"bcsm_events", "camel.eventTypeBCSM", false},
    [SSGW_CAP_F_EVENT_TYPE_SMS] = {"event_type_sms", "camel.eventTypeSMS", true},
    [SSGW_CAP_F_EVENT_TYPE_SMS_NAME] = {"event_type_sms_name", NULL, false},
    [SSGW_CAP_F_GPRS_EVENT_TYPE] = {"gprs_event_type", "camel.gPRSEventType", true},
    [SSGW_CAP_F_GPRS_EVENT_TYPE_NAME] = {"gprs_event_type_name", NULL, false},
    [SSGW_CAP_F_RELEASE_CAUSE] = {"release_cause", "q931.cause_val", true},
    [SSGW_CAP_F_MAX_CALL_PERIOD_DURATION] = {"max_call_period_duration",
                                             "camel.maxCallPeriodDuration", true},
};

const char *ssgw_cap_field_name(ssgw_cap_field f)
{
    return (unsigned)f < SSGW_CAP_F_COUNT ? field_names[f].name : "unknown";
}

const char *ssgw_cap_field_wireshark(ssgw_cap_field f)
{
    return (unsigned)f < SSGW_CAP_F_COUNT ? field_names[f].wireshark : NULL;
}

bool ssgw_cap_field_is_int(ssgw_cap_field f)
{
    return (unsigned)f < SSGW_CAP_F_COUNT && field_names[f].is_int;
}

const char *ssgw_cap_field_get(const ssgw_cap_fields *c, ssgw_cap_field f, char *tmp, size_t tmpcap)
{
    switch (f) {
    case SSGW_CAP_F_SERVICE_KEY:
        return int_or_null(c->service_key, tmp, tmpcap);
    case SSGW_CAP_F_IMSI:
        return str_or_null(c->imsi);
    case SSGW_CAP_F_MSISDN:
        return str_or_null(c->msisdn);
    case SSGW_CAP_F_CALLING_PARTY_NUMBER:
        return str_or_null(c->calling_party_number);
    case SSGW_CAP_F_CALLED_PARTY_NUMBER:
        return str_or_null(c->called_party_number);
    case SSGW_CAP_F_CALLED_PARTY_BCD_NUMBER:
        return str_or_null(c->called_party_bcd_number);
    case SSGW_CAP_F_LOCATION_NUMBER:
        return str_or_null(c->location_number);
    case SSGW_CAP_F_MSC_ADDRESS:
        return str_or_null(c->msc_address);
    case SSGW_CAP_F_GMSC_ADDRESS:
        return str_or_null(c->gmsc_address);
    case SSGW_CAP_F_VLR_NUMBER:
        return str_or_null(c->vlr_number);
    case SSGW_CAP_F_SMSC_ADDRESS:
        return str_or_null(c->smsc_address);
    case SSGW_CAP_F_SGSN_NUMBER:
        return str_or_null(c->sgsn_number);
    case SSGW_CAP_F_GSMSCF_ADDRESS:
        return str_or_null(c->gsmscf_address);
    case SSGW_CAP_F_DESTINATION_ROUTING_ADDRESS:
        return str_or_null(c->destination_routing_address);
    case SSGW_CAP_F_CELL_ID:
        return str_or_null(c->cell_id);
    case SSGW_CAP_F_EVENT_TYPE_BCSM:
        return int_or_null(c->event_type_bcsm, tmp, tmpcap);
    case SSGW_CAP_F_EVENT_TYPE_BCSM_NAME:
        return c->event_type_bcsm >= 0 ? ssgw_cap_event_bcsm_name(c->event_type_bcsm) : NULL;
    case SSGW_CAP_F_BCSM_EVENTS:
        return str_or_null(c->bcsm_events);
    case SSGW_CAP_F_EVENT_TYPE_SMS:
        return int_or_null(c->event_type_sms, tmp, tmpcap);
    case SSGW_CAP_F_EVENT_TYPE_SMS_NAME:
        return c->event_type_sms >= 0 ? ssgw_cap_event_sms_name(c->event_type_sms) : NULL;
    case SSGW_CAP_F_GPRS_EVENT_TYPE:
        return int_or_null(c->gprs_event_type, tmp, tmpcap);
    case SSGW_CAP_F_GPRS_EVENT_TYPE_NAME:
        return c->gprs_event_type >= 0 ? ssgw_cap_event_gprs_name(c->gprs_event_type) : NULL;
    case SSGW_CAP_F_RELEASE_CAUSE:
        return int_or_null(c->release_cause, tmp, tmpcap);
    case SSGW_CAP_F_MAX_CALL_PERIOD_DURATION:
        return int_or_null(c->max_call_period_duration, tmp, tmpcap);
    default:
        return NULL;
    }
}
