/*
 * map_params.c - lazy decoding of MAP component parameters (3GPP TS 29.002
 * clause 17.7: MAP-MS-, MAP-CH-, MAP-SM-, MAP-SS-, MAP-LCS- and
 * MAP-CommonDataTypes), for the identities and addresses a security policy
 * needs. The element lists are declared below as data (see map_schema.h);
 * which shapes an operation's argument and result take in which MAP version
 * is the schema column of its row in map_ops.def, indexed here by opcode. Tags
 * were taken from the ASN.1 modules of TS 29.002 V14.3.0 as shipped with Wireshark
 * (asn1/gsm_map), and the MAP v1/v2 shapes from its GSMMAP.asn (ETS 300 599)
 * and from how its dissector tells them apart (by outer tag and AC version).
 */
#include "map_schema.h"

#include <string.h>

#include "ber_inline.h"
#include "field_text.h"
#include "ssgw/ber.h"
#include "ssgw/digits.h"
#include "ssgw/gsm7.h"

/* ------------------------------------------------------------------ */
/* Schema */

#define UNI    SSGW_BER_UNIVERSAL
#define CTX    SSGW_BER_CONTEXT
#define T_INT  SSGW_BER_TAG_INTEGER
#define T_BITS SSGW_BER_TAG_BIT_STRING
#define T_OCT  SSGW_BER_TAG_OCTET_STRING
#define T_NUL  SSGW_BER_TAG_NULL
#define T_ENUM SSGW_BER_TAG_ENUMERATED
#define T_SEQ  SSGW_BER_TAG_SEQUENCE

/* leaf */
#define L(nm, cl, tg, n, k, t, fl)                                                                 \
    {                                                                                              \
        .name = nm, .cls = cl, .tag = tg, .nth = n, .kind = k, .target = t, .flags = fl            \
    }
/* hex leaf with a length range */
#define LH(nm, cl, tg, n, t, fl, mn, mx)                                                           \
    {                                                                                              \
        .name = nm, .cls = cl, .tag = tg, .nth = n, .kind = MK_HEX, .target = t, .flags = fl,      \
        .minlen = mn, .maxlen = mx                                                                 \
    }
/* leaf with a default for the encoder */
#define LD(nm, cl, tg, n, k, t, fl, ...)                                                           \
    {                                                                                              \
        .name = nm, .cls = cl, .tag = tg, .nth = n, .kind = k, .target = t, .flags = fl,           \
        .def = (const uint8_t[]){__VA_ARGS__}, .deflen = sizeof((const uint8_t[]){__VA_ARGS__})    \
    }
/* nested list */
#define N(nm, cl, tg, n, k, s, fl)                                                                 \
    {                                                                                              \
        .name = nm, .cls = cl, .tag = tg, .nth = n, .kind = k, .sub = s, .flags = fl               \
    }
/* element only written by the encoder, from its default contents */
#define D(nm, cl, tg, n, fl, ...)                                                                  \
    {                                                                                              \
        .name = nm, .cls = cl, .tag = tg, .nth = n, .kind = MK_SKIP, .flags = fl,                  \
        .def = (const uint8_t[]){__VA_ARGS__}, .deflen = sizeof((const uint8_t[]){__VA_ARGS__})    \
    }
#define ENDL                                                                                       \
    {                                                                                              \
        .kind = MK_END                                                                             \
    }

/* sm-RP-UI: the TPDU kept as a view; the encoder's default when none is given */
#define UI(fl, ...)                                                                                \
    {                                                                                              \
        .name = "sm-RP-UI", .cls = UNI, .tag = T_OCT, .nth = 1, .kind = MK_SMRPUI, .flags = fl,    \
        .def = (const uint8_t[]){__VA_ARGS__}, .deflen = sizeof((const uint8_t[]){__VA_ARGS__})    \
    }
#define ADDR(nm, cl, tg, n, t, fl) L(nm, cl, tg, n, MK_ADDR, t, fl)
#define IMSI(nm, cl, tg, n, fl)    L(nm, cl, tg, n, MK_IMSI, MT_IMSI, fl)
#define LMSI(nm, cl, tg, n, fl)    LH(nm, cl, tg, n, MT_LMSI, fl, 4, 4)

/* --- MAP-CommonDataTypes --- */
static const map_elem subscriber_identity[] = {
    IMSI("imsi", CTX, 0, 0, 0),
    ADDR("msisdn", CTX, 1, 0, MT_MSISDN, 0),
    ENDL,
};
static const map_elem imsi_with_lmsi[] = {
    IMSI("imsi", UNI, T_OCT, 1, MF_MAND),
    LMSI("lmsi", UNI, T_OCT, 2, MF_MAND),
    ENDL,
};
/* Identity ::= CHOICE { imsi IMSI, imsi-WithLMSI IMSI-WithLMSI } */
static const map_elem identity[] = {
    N("imsi-WithLMSI", UNI, T_SEQ, 1, MK_SEQ, imsi_with_lmsi, 0),
    IMSI("imsi", UNI, T_OCT, 1, 0),
    ENDL,
};

/* --- MAP-MS-DataTypes --- */
static const map_elem update_location_arg[] = {
    IMSI("imsi", UNI, T_OCT, 1, MF_MAND),
    ADDR("msc-Number", CTX, 1, 0, MT_MSC, MF_MAND),
    ADDR("roamingNumber", CTX, 0, 0, MT_ROAM, MF_DEC_ONLY), /* v1 LocationInfo */
    ADDR("vlr-Number", UNI, T_OCT, 2, MT_VLR, MF_MAND),
    LMSI("lmsi", CTX, 10, 0, 0),
    ENDL,
};
static const map_elem hlr_number_res[] = {
    ADDR("hlr-Number", UNI, T_OCT, 1, MT_HLR, MF_MAND),
    ENDL,
};
static const map_elem hlr_number_leaf[] = {ADDR("hlr-Number", UNI, T_OCT, 0, MT_HLR, 0), ENDL};
static const map_elem cancel_location_arg[] = {
    N("identity", UNI, 0, 0, MK_CHOICE, identity, MF_MAND),
    ADDR("newMSC-Number", CTX, 3, 0, MT_MSC, 0),
    ADDR("newVLR-Number", CTX, 4, 0, MT_VLR, 0),
    ENDL,
};
static const map_elem imsi_leaf[] = {IMSI("imsi", UNI, T_OCT, 0, 0), ENDL};
static const map_elem msisdn_leaf[] = {ADDR("msisdn", UNI, T_OCT, 0, MT_MSISDN, 0), ENDL};
static const map_elem purge_ms_arg[] = {
    IMSI("imsi", UNI, T_OCT, 1, MF_MAND),
    ADDR("vlr-Number", CTX, 0, 0, MT_VLR, 0),
    ADDR("sgsn-Number", CTX, 1, 0, MT_SGSN, 0),
    ENDL,
};
static const map_elem purge_ms_arg_v2[] = {
    IMSI("imsi", UNI, T_OCT, 1, MF_MAND),
    ADDR("vlr-Number", UNI, T_OCT, 2, MT_VLR, 0),
    ENDL,
};
static const map_elem send_identification_arg[] = {
    LH("tmsi", UNI, T_OCT, 1, MT_TMSI, MF_MAND, 1, 4),
    ADDR("msc-Number", UNI, T_OCT, 2, MT_MSC, 0),
    ADDR("newVLR-Number", CTX, 3, 0, MT_VLR, 0),
    ENDL,
};
static const map_elem tmsi_leaf[] = {LH("tmsi", UNI, T_OCT, 0, MT_TMSI, 0, 1, 4), ENDL};
static const map_elem imsi_first[] = {IMSI("imsi", UNI, T_OCT, 1, 0), ENDL};
static const map_elem send_auth_info_arg[] = {
    IMSI("imsi", CTX, 0, 0, MF_MAND),
    D("numberOfRequestedVectors", UNI, T_INT, 0, 0, 0x01),
    ENDL,
};
/* Authentication vectors: written from the IMSI (map_encode.c), only checked for shape when read.
 */
#define AV(nm, k, n)                                                                               \
    {                                                                                              \
        .name = nm, .cls = UNI, .tag = T_SEQ, .nth = n, .kind = k                                  \
    }
static const map_elem triplet_list[] = {AV("authenticationTriplet", MK_TRIPLET, 1), ENDL};
static const map_elem quintuplet_list[] = {AV("authenticationQuintuplet", MK_QUINTUPLET, 1), ENDL};
/* AuthenticationSetList ::= CHOICE { tripletList [0], quintupletList [1] }: quintuplets written */
static const map_elem authentication_set_list[] = {
    N("quintupletList", CTX, 1, 0, MK_SEQ, quintuplet_list, 0),
    N("tripletList", CTX, 0, 0, MK_SEQ, triplet_list, 0),
    ENDL,
};
static const map_elem send_auth_info_res[] = {
    N("authenticationSetList", UNI, 0, 0, MK_CHOICE, authentication_set_list, 0),
    ENDL,
};
static const map_elem auth_failure_report_arg[] = {
    IMSI("imsi", UNI, T_OCT, 1, MF_MAND),
    D("failureCause", UNI, T_ENUM, 0, 0, 0x00),
    ADDR("vlr-Number", CTX, 0, 0, MT_VLR, 0),
    ADDR("sgsn-Number", CTX, 1, 0, MT_SGSN, 0),
    ENDL,
};
static const map_elem update_gprs_location_arg[] = {
    IMSI("imsi", UNI, T_OCT, 1, MF_MAND),
    ADDR("sgsn-Number", UNI, T_OCT, 2, MT_SGSN, MF_MAND),
    /* GSN-Address: type 0 (IPv4), length 4, 10.0.0.1 (TS 23.003) */
    D("sgsn-Address", UNI, T_OCT, 3, MF_MAND, 0x04, 10, 0, 0, 1),
    ENDL,
};
static const map_elem check_imei_arg[] = {
    L("imei", UNI, T_OCT, 1, MK_TBCD, MT_IMEI, MF_MAND),
    /* RequestedEquipmentInfo: 2 bits, equipmentStatus set */
    D("requestedEquipmentInfo", UNI, T_BITS, 0, 0, 0x06, 0x80),
    ENDL,
};
static const map_elem imei_leaf[] = {L("imei", UNI, T_OCT, 0, MK_TBCD, MT_IMEI, 0), ENDL};
static const map_elem insert_subscriber_data_arg[] = {
    IMSI("imsi", CTX, 0, 0, 0),
    ADDR("msisdn", CTX, 1, 0, MT_MSISDN, 0),
    ADDR("sgsn-Number", CTX, 34, 0, MT_SGSN, 0),
    ENDL,
};
/* InsertSubscriberDataRes: every component optional; nothing is echoed */
static const map_elem empty_seq[] = {ENDL};
static const map_elem ss_list[] = {L("ss-Code", UNI, T_OCT, 1, MK_SSCODE, MT_SS, 0), ENDL};
static const map_elem delete_subscriber_data_arg[] = {
    IMSI("imsi", CTX, 0, 0, MF_MAND),
    N("ss-List", CTX, 2, 0, MK_SEQ, ss_list, 0),
    ENDL,
};
static const map_elem reset_arg[] = {
    ADDR("hlr-Number", UNI, T_OCT, 1, MT_HLR, MF_MAND),
    ENDL,
};
static const map_elem reset_arg_v1[] = {
    D("networkResource", UNI, T_ENUM, 0, 0, 0x01), /* hlr */
    ADDR("hlr-Number", UNI, T_OCT, 1, MT_HLR, MF_MAND),
    ENDL,
};
static const map_elem restore_data_arg[] = {
    IMSI("imsi", UNI, T_OCT, 1, MF_MAND),
    LMSI("lmsi", UNI, T_OCT, 2, 0),
    ENDL,
};
static const map_elem location_information[] = {
    L("ageOfLocationInformation", UNI, T_INT, 0, MK_INT, MT_AGE, 0),
    ADDR("vlr-number", CTX, 1, 0, MT_VLR, 0),
    L("cellGlobalIdOrServiceAreaIdOrLAI", CTX, 3, 0, MK_CGI, MT_CELL, 0),
    ADDR("msc-Number", CTX, 6, 0, MT_MSC, 0),
    ENDL,
};
static const map_elem location_information_gprs[] = {
    L("cellGlobalIdOrServiceAreaIdOrLAI", CTX, 0, 0, MK_CGI, MT_CELL, MF_DEC_ONLY),
    ADDR("sgsn-Number", CTX, 3, 0, MT_SGSN, 0),
    L("ageOfLocationInformation", CTX, 9, 0, MK_INT, MT_AGE, MF_DEC_ONLY),
    ENDL,
};
static const map_elem subscriber_info[] = {
    N("locationInformation", CTX, 0, 0, MK_SEQ, location_information, 0),
    L("subscriberState", CTX, 1, 0, MK_SUBSTATE, MT_SUBSTATE, 0),
    N("locationInformationGPRS", CTX, 3, 0, MK_SEQ, location_information_gprs, 0),
    L("imei", CTX, 5, 0, MK_TBCD, MT_IMEI, 0),
    ENDL,
};
static const map_elem subscriber_info_res[] = {
    N("subscriberInfo", UNI, T_SEQ, 1, MK_SEQ, subscriber_info, MF_MAND),
    ENDL,
};
static const map_elem provide_subscriber_info_arg[] = {
    IMSI("imsi", CTX, 0, 0, MF_MAND),
    LMSI("lmsi", CTX, 1, 0, 0),
    LD("requestedInfo", CTX, 2, 0, MK_REQINFO, MT_REQINFO, MF_MAND | MF_CONS, 0x80, 0x00),
    ENDL,
};
static const map_elem any_time_interrogation_arg[] = {
    N("subscriberIdentity", CTX, 0, 0, MK_WRAP, subscriber_identity, MF_MAND),
    LD("requestedInfo", CTX, 1, 0, MK_REQINFO, MT_REQINFO, MF_MAND | MF_CONS, 0x80, 0x00),
    ADDR("gsmSCF-Address", CTX, 3, 0, MT_GSMSCF, MF_MAND),
    ENDL,
};
static const map_elem cf_info[] = {
    L("ss-Code", CTX, 0, 0, MK_SSCODE, MT_SS, MF_MAND),
    ADDR("forwardedToNumber", CTX, 3, 0, MT_FTN, 0),
    ENDL,
};
static const map_elem cb_info[] = {
    L("ss-Code", CTX, 0, 0, MK_SSCODE, MT_SS, MF_MAND),
    ENDL,
};
static const map_elem any_time_modification_arg[] = {
    N("subscriberIdentity", CTX, 0, 0, MK_WRAP, subscriber_identity, MF_MAND),
    ADDR("gsmSCF-Address", CTX, 1, 0, MT_GSMSCF, MF_MAND),
    N("modificationRequestFor-CF-Info", CTX, 2, 0, MK_SEQ, cf_info, 0),
    N("modificationRequestFor-CB-Info", CTX, 3, 0, MK_SEQ, cb_info, MF_DEC_ONLY),
    ENDL,
};
static const map_elem note_subscriber_data_modified_arg[] = {
    IMSI("imsi", UNI, T_OCT, 1, MF_MAND),
    ADDR("msisdn", UNI, T_OCT, 2, MT_MSISDN, MF_MAND),
    ENDL,
};
static const map_elem imsi_ctx0_arg[] = {IMSI("imsi", CTX, 0, 0, MF_MAND), ENDL};
static const map_elem sri_gprs_arg[] = {
    IMSI("imsi", CTX, 0, 0, MF_MAND),
    D("ggsn-Number", CTX, 2, 0, MF_MAND, 0x91, 0x21, 0x43, 0x65),
    ENDL,
};
static const map_elem note_ms_present_gprs_arg[] = {
    IMSI("imsi", CTX, 0, 0, MF_MAND),
    D("sgsn-Address", CTX, 1, 0, MF_MAND, 0x04, 10, 0, 0, 1),
    ENDL,
};
static const map_elem note_mm_event_arg[] = {
    D("serviceKey", UNI, T_INT, 0, 0, 0x01),
    D("eventMet", CTX, 0, 0, 0, 0x00),
    IMSI("imsi", CTX, 1, 0, MF_MAND),
    ADDR("msisdn", CTX, 2, 0, MT_MSISDN, MF_MAND),
    N("locationInformation", CTX, 3, 0, MK_SEQ, location_information, 0),
    ENDL,
};

/* --- MAP-CH-DataTypes --- */
static const map_elem send_routing_info_arg[] = {
    ADDR("msisdn", CTX, 0, 0, MT_MSISDN, MF_MAND),
    D("interrogationType", CTX, 3, 0, 0, 0x00), /* basicCall */
    ADDR("gmsc-OrGsmSCF-Address", CTX, 6, 0, MT_GMSC, MF_ENC),
    ENDL,
};
static const map_elem send_routing_info_arg_v2[] = {
    ADDR("msisdn", CTX, 0, 0, MT_MSISDN, MF_MAND),
    ENDL,
};
static const map_elem forwarding_data[] = {
    ADDR("forwardedToNumber", CTX, 5, 0, MT_FTN, MF_ENC),
    ENDL,
};
static const map_elem camel_routing_info[] = {
    N("forwardingData", UNI, T_SEQ, 1, MK_SEQ, forwarding_data, 0),
    ENDL,
};
static const map_elem routing_info_v3[] = {
    ADDR("roamingNumber", UNI, T_OCT, 1, MT_ROAM, 0),
    N("forwardingData", UNI, T_SEQ, 1, MK_SEQ, forwarding_data, 0),
    N("camelRoutingInfo", CTX, 8, 0, MK_SEQ, camel_routing_info, MF_DEC_ONLY),
    ENDL,
};
static const map_elem send_routing_info_res[] = {
    IMSI("imsi", CTX, 9, 0, 0),
    N("extendedRoutingInfo", UNI, 0, 0, MK_CHOICE, routing_info_v3, 0),
    ADDR("vmsc-Address", CTX, 2, 0, MT_MSC, 0),
    ADDR("msisdn", CTX, 12, 0, MT_MSISDN, 0),
    ENDL,
};
static const map_elem routing_info_v2[] = {
    ADDR("roamingNumber", UNI, T_OCT, 2, MT_ROAM, 0),
    N("forwardingData", UNI, T_SEQ, 1, MK_SEQ, forwarding_data, 0),
    ENDL,
};
static const map_elem send_routing_info_res_v2[] = {
    IMSI("imsi", UNI, T_OCT, 1, MF_MAND),
    N("routingInfo", UNI, 0, 0, MK_CHOICE, routing_info_v2, MF_MAND),
    ENDL,
};
static const map_elem provide_roaming_number_arg[] = {
    IMSI("imsi", CTX, 0, 0, MF_MAND),
    ADDR("msc-Number", CTX, 1, 0, MT_MSC, MF_MAND),
    ADDR("msisdn", CTX, 2, 0, MT_MSISDN, 0),
    LMSI("lmsi", CTX, 4, 0, 0),
    ADDR("gmsc-Address", CTX, 8, 0, MT_GMSC, 0),
    ENDL,
};
static const map_elem provide_roaming_number_res[] = {
    ADDR("roamingNumber", UNI, T_OCT, 1, MT_ROAM, MF_MAND),
    ADDR("vmsc-Address", UNI, T_OCT, 2, MT_MSC, 0),
    ENDL,
};
static const map_elem roaming_number_leaf[] = {
    ADDR("roamingNumber", UNI, T_OCT, 0, MT_ROAM, 0),
    ENDL,
};
static const map_elem resume_call_handling_arg[] = {
    N("forwardingData", CTX, 2, 0, MK_SEQ, forwarding_data, 0),
    IMSI("imsi", CTX, 3, 0, 0),
    ADDR("msisdn", CTX, 9, 0, MT_MSISDN, 0),
    ENDL,
};
static const map_elem release_resources_arg[] = {
    ADDR("msrn", UNI, T_OCT, 1, MT_ROAM, MF_MAND),
    ENDL,
};
static const map_elem ist_arg[] = {IMSI("imsi", CTX, 0, 0, MF_MAND), ENDL};

/* --- MAP-SS-DataTypes --- */
static const map_elem register_ss_arg[] = {
    L("ss-Code", UNI, T_OCT, 1, MK_SSCODE, MT_SS, MF_MAND),
    ADDR("forwardedToNumber", CTX, 4, 0, MT_FTN, 0),
    ENDL,
};
static const map_elem ss_for_bs_code[] = {
    L("ss-Code", UNI, T_OCT, 1, MK_SSCODE, MT_SS, MF_MAND),
    ENDL,
};
static const map_elem forwarding_feature[] = {
    ADDR("forwardedToNumber", CTX, 5, 0, MT_FTN, MF_ENC),
    ENDL,
};
static const map_elem forwarding_feature_list[] = {
    N("forwardingFeature", UNI, T_SEQ, 1, MK_SEQ, forwarding_feature, MF_MAND),
    ENDL,
};
static const map_elem forwarding_info[] = {
    L("ss-Code", UNI, T_OCT, 1, MK_SSCODE, MT_SS, 0),
    N("forwardingFeatureList", UNI, T_SEQ, 1, MK_SEQ, forwarding_feature_list, MF_MAND),
    ENDL,
};
static const map_elem ss_data[] = {
    L("ss-Code", UNI, T_OCT, 1, MK_SSCODE, MT_SS, MF_ENC),
    ENDL,
};
static const map_elem ss_status_leaf[] = {
    LD("ss-Status", CTX, 0, 0, MK_SKIP, MT_NONE, 0, 0x05),
    ENDL,
};
static const map_elem ussd_arg[] = {
    LD("ussd-DataCodingScheme", UNI, T_OCT, 1, MK_DCS, MT_DCS, MF_MAND, 0x0f),
    L("ussd-String", UNI, T_OCT, 2, MK_USSD, MT_USSD, MF_MAND),
    ADDR("msisdn", CTX, 0, 0, MT_MSISDN, 0),
    ENDL,
};
static const map_elem ussd_res[] = {
    LD("ussd-DataCodingScheme", UNI, T_OCT, 1, MK_DCS, MT_DCS, MF_MAND, 0x0f),
    L("ussd-String", UNI, T_OCT, 2, MK_USSD, MT_USSD, MF_MAND),
    ENDL,
};
static const map_elem ss_invocation_notification_arg[] = {
    IMSI("imsi", CTX, 0, 0, MF_MAND),
    ADDR("msisdn", CTX, 1, 0, MT_MSISDN, MF_MAND),
    L("ss-Event", CTX, 2, 0, MK_SSCODE, MT_SS, MF_MAND),
    ENDL,
};

/* --- MAP-SM-DataTypes --- */
/* SMS-DELIVER from "12345", "hi" (TS 23.040 9.2.2.1) and SMS-SUBMIT to it (9.2.2.2). */
#define SMS_DELIVER                                                                                \
    0x04, 0x05, 0x81, 0x21, 0x43, 0xf5, 0x00, 0x00, 0x42, 0x10, 0x21, 0x21, 0x43, 0x65, 0x00,      \
        0x02, 0xe8, 0x34
#define SMS_SUBMIT 0x01, 0x00, 0x05, 0x81, 0x21, 0x43, 0xf5, 0x00, 0x00, 0x02, 0xe8, 0x34

#define TO_MS      MF_SM_TO_MS
#define FROM_MS    MF_SM_FROM_MS
#define DA_TO_MS   (MF_SM_TO_MS | MF_SM_DA)
#define DA_FROM_MS (MF_SM_FROM_MS | MF_SM_DA)
static const map_elem sm_rp_da_mt[] = {
    IMSI("imsi", CTX, 0, 0, DA_TO_MS),
    LMSI("lmsi", CTX, 1, 0, DA_TO_MS),
    ADDR("serviceCentreAddressDA", CTX, 4, 0, MT_SMSC, DA_FROM_MS),
    D("noSM-RP-DA", CTX, 5, 0, 0),
    ENDL,
};
static const map_elem sm_rp_oa_mt[] = {
    ADDR("serviceCentreAddressOA", CTX, 4, 0, MT_SMSC, TO_MS),
    ADDR("msisdn", CTX, 2, 0, MT_MSISDN, FROM_MS),
    D("noSM-RP-OA", CTX, 5, 0, 0),
    ENDL,
};
static const map_elem sm_rp_da_mo[] = {
    ADDR("serviceCentreAddressDA", CTX, 4, 0, MT_SMSC, DA_FROM_MS),
    IMSI("imsi", CTX, 0, 0, DA_TO_MS),
    LMSI("lmsi", CTX, 1, 0, DA_TO_MS),
    D("noSM-RP-DA", CTX, 5, 0, 0),
    ENDL,
};
static const map_elem sm_rp_oa_mo[] = {
    ADDR("msisdn", CTX, 2, 0, MT_MSISDN, FROM_MS),
    ADDR("serviceCentreAddressOA", CTX, 4, 0, MT_SMSC, TO_MS),
    D("noSM-RP-OA", CTX, 5, 0, 0),
    ENDL,
};
static const map_elem mt_forward_sm_arg[] = {
    N("sm-RP-DA", UNI, 0, 0, MK_CHOICE, sm_rp_da_mt, MF_MAND),
    N("sm-RP-OA", UNI, 0, 0, MK_CHOICE, sm_rp_oa_mt, MF_MAND),
    UI(MF_MAND, SMS_DELIVER),
    ADDR("smsGmscAddress", CTX, 3, 0, MT_GMSC, 0),
    ENDL,
};
static const map_elem forward_sm_arg_mt_v2[] = {
    N("sm-RP-DA", UNI, 0, 0, MK_CHOICE, sm_rp_da_mt, MF_MAND),
    N("sm-RP-OA", UNI, 0, 0, MK_CHOICE, sm_rp_oa_mt, MF_MAND),
    UI(MF_MAND, SMS_DELIVER),
    ENDL,
};
static const map_elem mo_forward_sm_arg[] = {
    N("sm-RP-DA", UNI, 0, 0, MK_CHOICE, sm_rp_da_mo, MF_MAND),
    N("sm-RP-OA", UNI, 0, 0, MK_CHOICE, sm_rp_oa_mo, MF_MAND),
    UI(MF_MAND, SMS_SUBMIT),
    IMSI("imsi", UNI, T_OCT, 2, 0),
    ENDL,
};
static const map_elem forward_sm_arg_mo_v2[] = {
    N("sm-RP-DA", UNI, 0, 0, MK_CHOICE, sm_rp_da_mo, MF_MAND),
    N("sm-RP-OA", UNI, 0, 0, MK_CHOICE, sm_rp_oa_mo, MF_MAND),
    UI(MF_MAND, SMS_SUBMIT),
    ENDL,
};
/* MT-/MO-ForwardSM-Res (v3): sm-RP-UI with an RP-ACK TPDU: SMS-DELIVER-REPORT (TS 23.040
 * 9.2.2.1a: MTI 0, no parameters) and SMS-SUBMIT-REPORT (9.2.2.2a: MTI 1, no parameters,
 * the SCTS of SMS_DELIVER). */
static const map_elem mt_forward_sm_res[] = {
    UI(0, 0x00, 0x00),
    ENDL,
};
static const map_elem mo_forward_sm_res[] = {
    UI(0, 0x01, 0x00, 0x42, 0x10, 0x21, 0x21, 0x43, 0x65, 0x00),
    ENDL,
};
static const map_elem routing_info_for_sm_arg[] = {
    ADDR("msisdn", CTX, 0, 0, MT_MSISDN, MF_MAND),
    D("sm-RP-PRI", CTX, 1, 0, MF_MAND, 0xff),
    ADDR("serviceCentreAddress", CTX, 2, 0, MT_SMSC, MF_MAND),
    IMSI("imsi", CTX, 12, 0, 0),
    ENDL,
};
static const map_elem location_info_with_lmsi[] = {
    {.name = "networkNode-Number", .cls = CTX, .tag = 1, .kind = MK_NODENUM, .flags = MF_MAND},
    ADDR("roamingNumber", CTX, 0, 0, MT_ROAM, MF_DEC_ONLY), /* v1 LocationInfo */
    LMSI("lmsi", UNI, T_OCT, 1, 0),
    {.name = "gprsNodeIndicator", .cls = CTX, .tag = 5, .kind = MK_GPRSNODE},
    {.name = "additional-Number", .cls = CTX, .tag = 6, .kind = MK_ADDNUM},
    ENDL,
};
static const map_elem routing_info_for_sm_res[] = {
    IMSI("imsi", UNI, T_OCT, 1, MF_MAND),
    N("locationInfoWithLMSI", CTX, 0, 0, MK_SEQ, location_info_with_lmsi, MF_MAND),
    ENDL,
};
static const map_elem report_sm_delivery_status_arg[] = {
    ADDR("msisdn", UNI, T_OCT, 1, MT_MSISDN, MF_MAND),
    ADDR("serviceCentreAddress", UNI, T_OCT, 2, MT_SMSC, MF_MAND),
    D("sm-DeliveryOutcome", UNI, T_ENUM, 0, 0, 0x01),
    ENDL,
};
static const map_elem alert_service_centre_arg[] = {
    ADDR("msisdn", UNI, T_OCT, 1, MT_MSISDN, MF_MAND),
    ADDR("serviceCentreAddress", UNI, T_OCT, 2, MT_SMSC, MF_MAND),
    IMSI("imsi", UNI, T_OCT, 3, 0),
    ENDL,
};
static const map_elem inform_service_centre_arg[] = {
    ADDR("storedMSISDN", UNI, T_OCT, 1, MT_MSISDN, 0),
    ENDL,
};
static const map_elem ready_for_sm_arg[] = {
    IMSI("imsi", CTX, 0, 0, MF_MAND),
    D("alertReason", UNI, T_ENUM, 0, 0, 0x00),
    ENDL,
};

/* --- MAP-LCS-DataTypes --- */
static const map_elem provide_subscriber_location_arg[] = {
    D("locationType", UNI, T_SEQ, 1, MF_CONS, 0x80, 0x01, 0x00), /* currentLocation */
    ADDR("mlc-Number", UNI, T_OCT, 1, MT_MLC, MF_MAND),
    IMSI("imsi", CTX, 2, 0, 0),
    ADDR("msisdn", CTX, 3, 0, MT_MSISDN, 0),
    LMSI("lmsi", CTX, 4, 0, 0),
    L("imei", CTX, 5, 0, MK_TBCD, MT_IMEI, 0),
    ENDL,
};
static const map_elem provide_subscriber_location_res[] = {
    /* Ext-GeographicalInformation: ellipsoid point with uncertainty circle at 0N 0E */
    D("locationEstimate", UNI, T_OCT, 1, MF_MAND, 0x10, 0, 0, 0, 0, 0, 0, 0),
    L("ageOfLocationEstimate", CTX, 0, 0, MK_INT, MT_AGE, 0),
    L("cellIdOrSai", CTX, 6, 0, MK_CGI, MT_CELL, 0),
    ENDL,
};
static const map_elem routing_info_for_lcs_arg[] = {
    ADDR("mlcNumber", CTX, 0, 0, MT_MLC, MF_MAND),
    N("targetMS", CTX, 1, 0, MK_WRAP, subscriber_identity, MF_MAND),
    ENDL,
};
static const map_elem lcs_location_info[] = {
    {.name = "networkNode-Number",
     .cls = UNI,
     .tag = T_OCT,
     .nth = 1,
     .kind = MK_NODENUM,
     .flags = MF_MAND},
    LMSI("lmsi", CTX, 0, 0, 0),
    {.name = "gprsNodeIndicator", .cls = CTX, .tag = 2, .kind = MK_GPRSNODE},
    {.name = "additional-Number", .cls = CTX, .tag = 3, .kind = MK_ADDNUM},
    ENDL,
};
static const map_elem routing_info_for_lcs_res[] = {
    N("targetMS", CTX, 0, 0, MK_WRAP, subscriber_identity, MF_MAND),
    N("lcsLocationInfo", CTX, 1, 0, MK_SEQ, lcs_location_info, MF_MAND),
    ENDL,
};
static const map_elem subscriber_location_report_arg[] = {
    ADDR("msisdn", CTX, 0, 0, MT_MSISDN, MF_DEC_ONLY),
    IMSI("imsi", CTX, 1, 0, MF_DEC_ONLY),
    L("imei", CTX, 2, 0, MK_TBCD, MT_IMEI, MF_DEC_ONLY),
    ENDL,
};

/* --- shapes --- */
#define SH(cl, tg, cons, mn, mx, root)                                                             \
    {                                                                                              \
        cl, tg, cons, mn, mx, root                                                                 \
    }
#define SEQ_ANY(root) SH(UNI, T_SEQ, 1, 1, 4, root)
/* versions in which the operation has no parameter (RETURN RESULT without one) */
#define NO_PARAM(mn, mx) SH(0, 0, 0, mn, mx, NULL)

/* The shapes of results 10..13 (registerSS, eraseSS, activateSS, deactivateSS): SS-Info. */
#define SS_INFO                                                                                    \
    SH(CTX, 0, 1, 1, 4, forwarding_info), SH(CTX, 3, 1, 1, 4, ss_data), SH(CTX, 1, 1, 1, 4, ss_data)
#define SHAPES(...)                                                                                \
    {                                                                                              \
        (const map_shape[]){__VA_ARGS__},                                                          \
            sizeof((const map_shape[]){__VA_ARGS__}) / sizeof(map_shape)                           \
    }
#define NONE                                                                                       \
    {                                                                                              \
        NULL, 0                                                                                    \
    }
#define ARG(type, schema) schema
#define RES(type, schema) schema

/* The schema column of map_ops.def, indexed by opcode: arguments and results. */
static const map_opdef arg_defs[SSGW_MAP_OPCODE_MAX + 1] = {
#define MAP_OP(id, code, name, origin, fs11, family, arg, res, ctx) [code] = arg,
#include "map_ops.def"
};
static const map_opdef res_defs[SSGW_MAP_OPCODE_MAX + 1] = {
#define MAP_OP(id, code, name, origin, fs11, family, arg, res, ctx) [code] = res,
#include "map_ops.def"
};

const map_opdef *ssgw_map_schema_find(int opcode, int kind)
{
    if (opcode < 0 || opcode > SSGW_MAP_OPCODE_MAX) return NULL;
    const map_opdef *d = kind == SSGW_MAP_INVOKE          ? &arg_defs[opcode]
                         : kind == SSGW_MAP_RETURN_RESULT ? &res_defs[opcode]
                                                          : NULL;
    return d && d->shapes ? d : NULL;
}

bool ssgw_map_decodes(int opcode, ssgw_map_comp_kind kind)
{
    return ssgw_map_schema_find(opcode, (int)kind) != NULL;
}

/* TS 29.002 RequestedInfo, in declaration order. */
const map_reqinfo_flag ssgw_map_reqinfo_flags[] = {
    {0, "locationInformation"},
    {1, "subscriberState"},
    {3, "currentLocation"},
    {4, "requestedDomain"},
    {6, "imei"},
    {5, "ms-classmark"},
    {7, "mnpRequestedInfo"},
    {11, "locationInformationEPS-Supported"},
    {8, "t-adsData"},
    {9, "requestedNodes"},
    {10, "servingNodeIndication"},
    {12, "localTimeZoneRequest"},
};
const size_t ssgw_map_reqinfo_nflags =
    sizeof ssgw_map_reqinfo_flags / sizeof ssgw_map_reqinfo_flags[0];

/* ------------------------------------------------------------------ */
/* Helpers */

int ssgw_map_hex_encode(const uint8_t *p, size_t n, char *out, size_t cap)
{
    static const char hx[] = "0123456789abcdef";
    if (cap < 2 * n + 1) return -1;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[p[i] >> 4];
        out[2 * i + 1] = hx[p[i] & 15];
    }
    out[2 * n] = '\0';
    return (int)(2 * n);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int ssgw_map_hex_decode(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex);
    if (n % 2 || n / 2 > cap) return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = hexval(hex[i]), lo = hexval(hex[i + 1]);
        if (hi < 0 || lo < 0) return -1;
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    return (int)(n / 2);
}

static void addr_clear(ssgw_map_addr *a)
{
    a->digits[0] = '\0';
    a->nai = 0;
    a->npi = 0;
}

/* Runs for every message: in ssgw_view_map when no component is decoded, else in
 * ssgw_map_decode for each one. Clearing all 1.3 KB cost ~110 instructions (rep stos counts
 * one per 8 octets); every member is a string, read only up to its NUL, or a number, so
 * storing what makes each one absent is enough (~40). */
void ssgw_map_fields_init(ssgw_map_fields *f)
{
    f->imsi[0] = '\0';
    addr_clear(&f->msisdn);
    addr_clear(&f->vlr_number);
    addr_clear(&f->msc_number);
    addr_clear(&f->hlr_number);
    addr_clear(&f->sgsn_number);
    addr_clear(&f->gsmscf_address);
    addr_clear(&f->gmsc_address);
    addr_clear(&f->smsc_address);
    addr_clear(&f->forwarded_to_number);
    addr_clear(&f->roaming_number);
    addr_clear(&f->mlc_number);
    f->lmsi[0] = '\0';
    f->tmsi[0] = '\0';
    f->imei[0] = '\0';
    f->ss_code[0] = '\0';
    f->ussd_dcs = -1;
    f->ussd_string[0] = '\0';
    f->ussd_is_hex = false;
    f->cell_id[0] = '\0';
    f->mcc[0] = '\0';
    f->mnc[0] = '\0';
    f->lac = -1;
    f->ci = -1;
    f->age_of_location = -1;
    f->requested_info[0] = '\0';
    f->subscriber_state[0] = '\0';
    f->sm_rp_ui = NULL;
    f->sm_rp_ui_len = 0;
    f->sm_rp_dir = 0;
    f->present = 0;
}

void ssgw_map_addr_set(ssgw_map_addr *a, const char *digits, uint8_t nai, uint8_t npi)
{
    size_t n = strlen(digits);
    if (n >= sizeof a->digits) n = sizeof a->digits - 1;
    memcpy(a->digits, digits, n);
    a->digits[n] = '\0';
    a->nai = nai & 7;
    a->npi = npi & 15;
}

/* ------------------------------------------------------------------ */
/* Decoder */

typedef struct {
    const uint8_t *base;
    ssgw_error *err;
    ssgw_map_fields *f;
    uint32_t touched; /* ssgw_map_field bits of every member an element was decoded into */
} dctx;

#define FB(x) (1u << SSGW_MAP_F_##x)

/* The ssgw_map_fields_present bits of the members a target names (for the kinds that write
 * their target; the others name their bits in dec_elem). */
static const uint32_t target_fields[MT_SUBSTATE + 1] = {
    [MT_IMSI] = FB(IMSI),
    [MT_MSISDN] = FB(MSISDN) | FB(MSISDN_NAI) | FB(MSISDN_NPI),
    [MT_VLR] = FB(VLR_NUMBER),
    [MT_MSC] = FB(MSC_NUMBER),
    [MT_HLR] = FB(HLR_NUMBER),
    [MT_SGSN] = FB(SGSN_NUMBER),
    [MT_GSMSCF] = FB(GSMSCF_ADDRESS),
    [MT_GMSC] = FB(GMSC_ADDRESS),
    [MT_SMSC] = FB(SMSC_ADDRESS),
    [MT_FTN] = FB(FORWARDED_TO_NUMBER),
    [MT_ROAM] = FB(ROAMING_NUMBER),
    [MT_MLC] = FB(MLC_NUMBER),
    [MT_LMSI] = FB(LMSI),
    [MT_TMSI] = FB(TMSI),
    [MT_IMEI] = FB(IMEI),
    [MT_SS] = FB(SS_CODE) | FB(SS_CODE_NAME),
    [MT_DCS] = FB(USSD_DCS),
    [MT_USSD] = FB(USSD_STRING),
    [MT_CELL] = FB(CELL_ID) | FB(MCC) | FB(MNC) | FB(LAC) | FB(CI),
    [MT_AGE] = FB(AGE_OF_LOCATION),
    [MT_REQINFO] = FB(REQUESTED_INFO),
    [MT_SUBSTATE] = FB(SUBSCRIBER_STATE),
};

static int dfail(dctx *c, ssgw_errcode code, const char *field, const uint8_t *at)
{
    return ssgw_fail(c->err, SSGW_LAYER_MAP, code, field, (size_t)(at - c->base));
}

static int dnext(dctx *c, ssgw_ber_iter *it, ssgw_ber_tlv *t, const char *field)
{
    return ssgw_ber_next_in(it, t, SSGW_LAYER_MAP, field, c->base, c->err);
}

static bool kind_constructed(int k)
{
    switch (k) {
    case MK_CGI:
    case MK_REQINFO:
    case MK_SUBSTATE:
    case MK_SEQ:
    case MK_WRAP:
    case MK_ADDNUM:
    case MK_TRIPLET:
    case MK_QUINTUPLET:
        return true;
    default:
        return false;
    }
}

static int dec_addr(dctx *c, const map_elem *e, const ssgw_ber_tlv *t, ssgw_map_addr *a)
{
    /* AddressString ::= OCTET STRING (SIZE (1..maxAddressLength = 20)) */
    if (t->len < 1 || t->len > 20) return dfail(c, SSGW_E_BAD_LENGTH, e->name, t->val - t->hdr_len);
    a->nai = (t->val[0] >> 4) & 7;
    a->npi = t->val[0] & 15;
    if (ssgw_tbcd_decode(t->val + 1, t->len - 1, a->digits, sizeof a->digits) < 0)
        return dfail(c, SSGW_E_BAD_VALUE, e->name, t->val + 1);
    return 0;
}

static void cgi_fields(ssgw_map_fields *f, const uint8_t *p, size_t n)
{
    static const char dg[] = "0123456789??????";
    f->mcc[0] = dg[p[0] & 15];
    f->mcc[1] = dg[p[0] >> 4];
    f->mcc[2] = dg[p[1] & 15];
    f->mcc[3] = '\0';
    f->mnc[0] = dg[p[2] & 15];
    f->mnc[1] = dg[p[2] >> 4];
    f->mnc[2] = (p[1] >> 4) == 15 ? '\0' : dg[p[1] >> 4];
    f->mnc[3] = '\0';
    f->lac = p[3] << 8 | p[4];
    f->ci = n == 7 ? (p[5] << 8 | p[6]) : -1;
}

static int dec_ussd(dctx *c, const map_elem *e, const ssgw_ber_tlv *t)
{
    ssgw_map_fields *f = c->f;
    if (t->len < 1 || t->len > 160)
        return dfail(c, SSGW_E_BAD_LENGTH, e->name, t->val - t->hdr_len);
    ssgw_dcs_alphabet a = ssgw_cbs_dcs_alphabet(f->ussd_dcs < 0 ? 0x0f : (uint8_t)f->ussd_dcs);
    f->ussd_is_hex = false;
    if (a == SSGW_DCS_GSM7 &&
        ssgw_gsm7_unpack(t->val, t->len, f->ussd_string, sizeof f->ussd_string) >= 0)
        return 0;
    if (a == SSGW_DCS_UCS2 &&
        ssgw_ucs2_to_utf8(t->val, t->len, f->ussd_string, sizeof f->ussd_string) >= 0)
        return 0;
    f->ussd_is_hex = true;
    ssgw_map_hex_encode(t->val, t->len, f->ussd_string, sizeof f->ussd_string);
    return 0;
}

static int dec_list(dctx *c, const uint8_t *p, size_t len, const map_elem *list);

/* Appends s to the string of used octets in buf, cut to what fits (as snprintf would cut
 * it, without its cost: ~800 instructions a name); returns the new length. */
static size_t append_cut(char *buf, size_t cap, size_t used, const char *s)
{
    size_t n = strlen(s);
    if (n > cap - 1 - used) n = cap - 1 - used;
    memcpy(buf + used, s, n);
    buf[used + n] = '\0';
    return used + n;
}

/* Reads the single element inside an explicit tag; returns 1, or 0 when empty. */
static int dec_inner(dctx *c, const map_elem *e, const ssgw_ber_tlv *t, ssgw_ber_tlv *in)
{
    ssgw_ber_iter it;
    ssgw_ber_iter_init(&it, t->val, t->len);
    return dnext(c, &it, in, e->name);
}

/* The kinds that need more room than the common ones (an inner TLV, an iterator, a copy),
 * apart so that dec_elem keeps a small frame for IMSIs and addresses: each is dec_elem for
 * one kind. */
static __attribute__((noinline)) int dec_int(dctx *c, const map_elem *e, const ssgw_ber_tlv *t)
{
    ssgw_map_fields *f = c->f;
    const uint8_t *at = t->val - t->hdr_len;
    c->touched |= FB(AGE_OF_LOCATION);
    int64_t v;
    ssgw_error tmp;
    if (ssgw_ber_get_int(t, &v, e->name, &tmp) < 0 || v < 0 || v > 0x7fffffff)
        return dfail(c, SSGW_E_BAD_VALUE, e->name, at);
    f->age_of_location = (int)v;
    return 0;
}

static __attribute__((noinline)) int dec_cgi(dctx *c, const map_elem *e, const ssgw_ber_tlv *t)
{
    ssgw_map_fields *f = c->f;
    const uint8_t *at = t->val - t->hdr_len;
    c->touched |= FB(CELL_ID) | FB(MCC) | FB(MNC) | FB(LAC) | FB(CI);
    ssgw_ber_tlv in;
    int r = dec_inner(c, e, t, &in);
    if (r <= 0) return r < 0 ? -1 : dfail(c, SSGW_E_MISSING, e->name, at);
    size_t want = in.tag == 0 ? 7 : 5;
    if (in.cls != CTX || in.tag > 1 || in.constructed)
        return dfail(c, SSGW_E_BAD_TAG, e->name, in.val - in.hdr_len);
    if (in.len != want) return dfail(c, SSGW_E_BAD_LENGTH, e->name, in.val - in.hdr_len);
    ssgw_map_hex_encode(in.val, in.len, f->cell_id, sizeof f->cell_id);
    cgi_fields(f, in.val, in.len);
    return 0;
}

static __attribute__((noinline)) int dec_reqinfo(dctx *c, const map_elem *e, const ssgw_ber_tlv *t)
{
    ssgw_map_fields *f = c->f;
    c->touched |= FB(REQUESTED_INFO);
    ssgw_ber_iter it;
    ssgw_ber_tlv in;
    int r;
    size_t used = 0;
    ssgw_ber_iter_init(&it, t->val, t->len);
    f->requested_info[0] = '\0';
    while ((r = dnext(c, &it, &in, e->name)) > 0) {
        if (in.cls != CTX) continue;
        for (size_t i = 0; i < ssgw_map_reqinfo_nflags; i++) {
            if (ssgw_map_reqinfo_flags[i].tag != in.tag) continue;
            if (used) used = append_cut(f->requested_info, sizeof f->requested_info, used, ",");
            used = append_cut(f->requested_info, sizeof f->requested_info, used,
                              ssgw_map_reqinfo_flags[i].name);
        }
    }
    return r;
}

static __attribute__((noinline)) int dec_substate(dctx *c, const map_elem *e, const ssgw_ber_tlv *t)
{
    ssgw_map_fields *f = c->f;
    const uint8_t *at = t->val - t->hdr_len;
    c->touched |= FB(SUBSCRIBER_STATE);
    ssgw_ber_tlv in;
    int r = dec_inner(c, e, t, &in);
    if (r <= 0) return r < 0 ? -1 : dfail(c, SSGW_E_MISSING, e->name, at);
    const char *name = NULL;
    if (in.cls == CTX && in.tag == 0) name = "assumedIdle";
    if (in.cls == CTX && in.tag == 1) name = "camelBusy";
    if (in.cls == CTX && in.tag == 2) name = "notProvidedFromVLR";
    if (in.cls == UNI && in.tag == T_ENUM) name = "netDetNotReachable";
    if (!name) return dfail(c, SSGW_E_BAD_TAG, e->name, in.val - in.hdr_len);
    append_cut(f->subscriber_state, sizeof f->subscriber_state, 0, name);
    return 0;
}

static __attribute__((noinline)) int dec_addnum(dctx *c, const map_elem *e, const ssgw_ber_tlv *t)
{
    ssgw_map_fields *f = c->f;
    const uint8_t *at = t->val - t->hdr_len;
    c->touched |= FB(MSC_NUMBER) | FB(SGSN_NUMBER);
    ssgw_ber_tlv in;
    int r = dec_inner(c, e, t, &in);
    if (r <= 0) return r < 0 ? -1 : dfail(c, SSGW_E_MISSING, e->name, at);
    if (in.cls != CTX || in.tag > 1 || in.constructed)
        return dfail(c, SSGW_E_BAD_TAG, e->name, in.val - in.hdr_len);
    ssgw_map_addr tmp;
    memset(&tmp, 0, sizeof tmp);
    if (dec_addr(c, e, &in, &tmp) < 0) return -1;
    ssgw_map_addr *dst = in.tag == 0 ? &f->msc_number : &f->sgsn_number;
    if (!dst->digits[0]) *dst = tmp;
    return 0;
}

static int dec_elem(dctx *c, const map_elem *e, const ssgw_ber_tlv *t)
{
    ssgw_map_fields *f = c->f;
    const uint8_t *at = t->val - t->hdr_len;
    if (e->kind != MK_SKIP && e->kind != MK_CHOICE && t->constructed != kind_constructed(e->kind))
        return dfail(c, SSGW_E_BAD_TAG, e->name, at);
    size_t cap;
    char *s;
    switch (e->kind) {
    case MK_IMSI:
        c->touched |= FB(IMSI);
        /* IMSI ::= TBCD-STRING (SIZE (3..8)) */
        if (t->len < 3 || t->len > 8) return dfail(c, SSGW_E_BAD_LENGTH, e->name, at);
        if (ssgw_tbcd_decode(t->val, t->len, f->imsi, sizeof f->imsi) < 0)
            return dfail(c, SSGW_E_BAD_VALUE, e->name, t->val);
        return 0;
    case MK_ADDR:
        c->touched |= target_fields[e->target];
        return dec_addr(c, e, t, map_target_addr(f, e->target));
    case MK_NODENUM:
        c->touched |= FB(MSC_NUMBER);
        return dec_addr(c, e, t, &f->msc_number);
    case MK_HEX:
        c->touched |= target_fields[e->target];
        s = map_target_str(f, e->target, &cap);
        if (t->len < e->minlen || t->len > e->maxlen)
            return dfail(c, SSGW_E_BAD_LENGTH, e->name, at);
        ssgw_map_hex_encode(t->val, t->len, s, cap);
        return 0;
    case MK_TBCD:
        c->touched |= target_fields[e->target];
        s = map_target_str(f, e->target, &cap);
        if (t->len < 1 || t->len > 8) return dfail(c, SSGW_E_BAD_LENGTH, e->name, at);
        if (ssgw_tbcd_decode(t->val, t->len, s, cap) < 0)
            return dfail(c, SSGW_E_BAD_VALUE, e->name, t->val);
        return 0;
    case MK_SSCODE:
        c->touched |= target_fields[e->target];
        s = map_target_str(f, e->target, &cap);
        if (t->len != 1) return dfail(c, SSGW_E_BAD_LENGTH, e->name, at);
        ssgw_map_hex_encode(t->val, 1, s, cap);
        return 0;
    case MK_DCS:
        c->touched |= FB(USSD_DCS);
        if (t->len != 1) return dfail(c, SSGW_E_BAD_LENGTH, e->name, at);
        f->ussd_dcs = t->val[0];
        return 0;
    case MK_USSD:
        c->touched |= FB(USSD_STRING);
        return dec_ussd(c, e, t);
    case MK_SMRPUI:
        /* SignalInfo ::= OCTET STRING (SIZE (1..200)) */
        if (t->len < 1 || t->len > 200) return dfail(c, SSGW_E_BAD_LENGTH, e->name, at);
        f->sm_rp_ui = t->val;
        f->sm_rp_ui_len = t->len;
        return 0;
    case MK_INT:
        return dec_int(c, e, t);
    case MK_CGI:
        return dec_cgi(c, e, t);
    case MK_REQINFO:
        return dec_reqinfo(c, e, t);
    case MK_SUBSTATE:
        return dec_substate(c, e, t);
    case MK_SEQ:
    case MK_WRAP:
        return dec_list(c, t->val, t->len, e->sub);
    case MK_GPRSNODE:
        c->touched |= FB(MSC_NUMBER) | FB(SGSN_NUMBER);
        /* networkNode-Number was the SGSN number */
        if (f->msc_number.digits[0] && !f->sgsn_number.digits[0]) {
            f->sgsn_number = f->msc_number;
            memset(&f->msc_number, 0, sizeof f->msc_number);
        }
        return 0;
    case MK_ADDNUM:
        return dec_addnum(c, e, t);
    default: /* MK_SKIP, MK_TRIPLET, MK_QUINTUPLET: the tag was checked, nothing is kept */
        return 0;
    }
}

#undef FB

#define MAX_LIST 32

static int dec_list(dctx *c, const uint8_t *p, size_t len, const map_elem *list)
{
    uint32_t seen = 0;
    bool da_said = false; /* an sm-RP-DA alternative set sm_rp_dir */
    /* universal-class siblings so far per tag, counted up to 256: nth is at most 255, so
     * 256 stands for any count it cannot name (64 octets to clear, not 128) */
    uint16_t counts[32] = {0};
    const char *field = list[0].kind == MK_END ? "parameter" : list[0].name;
    ssgw_ber_iter it;
    ssgw_ber_tlv t;
    int r;
    ssgw_ber_iter_init(&it, p, len);
    while ((r = dnext(c, &it, &t, field)) > 0) {
        unsigned count = 0;
        if (t.cls == UNI && t.tag < 32) {
            if (counts[t.tag] < 256) counts[t.tag]++;
            count = counts[t.tag];
        }
        if (t.tag > 0xff) continue; /* no element has such a tag */
        const uint8_t cls = t.cls, tag = (uint8_t)t.tag;
        const map_elem *hit = NULL;
        unsigned hit_i = 0;
        bool dup = false;
        for (unsigned i = 0; i < MAX_LIST; i++) {
            const map_elem *e = &list[i];
            const map_elem *cand = NULL;
            if (e->kind == MK_END) break;
            if (e->kind == MK_CHOICE) {
                for (const map_elem *a = e->sub; a->kind != MK_END; a++)
                    if (a->tag == tag && a->cls == cls && (a->nth == 0 || a->nth == count)) {
                        cand = a;
                        break;
                    }
                if (!cand || (seen & (1u << i))) continue; /* a choice taken: not a duplicate */
            } else {
                if (e->tag != tag || e->cls != cls || (e->nth != 0 && e->nth != count)) continue;
                if (seen & (1u << i)) {
                    dup = true;
                    continue;
                }
                cand = e;
            }
            hit = cand;
            hit_i = i;
            break;
        }
        if (!hit) {
            if (dup) return dfail(c, SSGW_E_DUPLICATE, "parameter element", t.val - t.hdr_len);
            continue; /* not needed, or an extension: skipped */
        }
        seen |= 1u << hit_i;
        if (dec_elem(c, hit, &t) < 0) return -1;
        /* sm-RP-DA says which way (the node routes by it); sm-RP-OA only when it does not */
        if ((hit->flags & (MF_SM_TO_MS | MF_SM_FROM_MS)) && (!da_said || (hit->flags & MF_SM_DA))) {
            c->f->sm_rp_dir = (hit->flags & MF_SM_TO_MS) ? SSGW_MAP_SM_TO_MS : SSGW_MAP_SM_FROM_MS;
            da_said = (hit->flags & MF_SM_DA) != 0;
        }
    }
    if (r < 0) return -1;
    /* the first mandatory element not seen, looking only at those not seen (in order, up to
     * the end of the list: its index is never seen) */
    for (uint32_t miss = ~seen; miss; miss &= miss - 1) {
        unsigned i = (unsigned)__builtin_ctz(miss);
        if (list[i].kind == MK_END) break;
        if (list[i].flags & MF_MAND) return dfail(c, SSGW_E_MISSING, list[i].name, p + len);
    }
    return 0;
}

int ssgw_map_decode(int opcode, ssgw_map_comp_kind kind, int acn_version, const uint8_t *param,
                    size_t len, ssgw_map_fields *out, ssgw_error *err)
{
    ssgw_map_fields_init(out);
    const map_opdef *d = ssgw_map_schema_find(opcode, (int)kind);
    if (!d || !param || len == 0) return 0;
    dctx c = {param, err, out, 0};
    ssgw_ber_tlv t;
    ssgw_error e;
    if (ssgw_ber_read_fast(param, len, &t, &e) < 0)
        return ssgw_fail(err, SSGW_LAYER_MAP, e.code, "parameter", e.offset);
    if (t.total != len)
        return ssgw_fail(err, SSGW_LAYER_MAP, SSGW_E_BAD_LENGTH, "parameter", t.total);
    const map_shape *sh = NULL;
    for (int pass = 0; pass < 2 && !sh; pass++) {
        for (size_t i = 0; i < d->n_shapes; i++) {
            const map_shape *s = &d->shapes[i];
            if (!s->root) continue; /* a version without a parameter */
            if (s->cls != t.cls || s->tag != t.tag || s->cons != t.constructed) continue;
            if (pass == 0 && acn_version > 0 && (acn_version < s->minv || acn_version > s->maxv))
                continue;
            sh = s;
            break;
        }
    }
    if (!sh) return ssgw_fail(err, SSGW_LAYER_MAP, SSGW_E_BAD_TAG, "parameter", 0);
    int r = !sh->cons ? dec_elem(&c, sh->root, &t) : dec_list(&c, t.val, t.len, sh->root);
    if (r < 0)
        ssgw_map_fields_init(out);
    else
        out->present = c.touched; /* every other member is as ssgw_map_fields_init left it */
    return r;
}

/* ------------------------------------------------------------------ */
/* Field names */

/* A name with its length (written as a JSON key with the length known: ssgw_map_field_key). */
#define KEY(name) name, sizeof name - 1

static const struct {
    const char *name;
    size_t len;
    const char *wireshark;
} field_names[SSGW_MAP_F_COUNT] = {
    [SSGW_MAP_F_IMSI] = {KEY("imsi"), "e212.imsi"},
    [SSGW_MAP_F_MSISDN] = {KEY("msisdn"), "e164.msisdn"},
    [SSGW_MAP_F_MSISDN_NAI] = {KEY("msisdn_nai"), "gsm_map.nature_of_number"},
    [SSGW_MAP_F_MSISDN_NPI] = {KEY("msisdn_npi"), "gsm_map.number_plan"},
    [SSGW_MAP_F_VLR_NUMBER] = {KEY("vlr_number"), "gsm_map.ms.vlr_Number"},
    [SSGW_MAP_F_MSC_NUMBER] = {KEY("msc_number"), "gsm_map.ms.msc_Number"},
    [SSGW_MAP_F_HLR_NUMBER] = {KEY("hlr_number"), "gsm_map.ms.hlr_Number"},
    [SSGW_MAP_F_SGSN_NUMBER] = {KEY("sgsn_number"), "gsm_map.ms.sgsn_Number"},
    [SSGW_MAP_F_GSMSCF_ADDRESS] = {KEY("gsmscf_address"), "gsm_map.ms.gsmSCF_Address"},
    [SSGW_MAP_F_GMSC_ADDRESS] = {KEY("gmsc_address"), "gsm_map.ch.gmsc_OrGsmSCF_Address"},
    [SSGW_MAP_F_SMSC_ADDRESS] = {KEY("smsc_address"), "gsm_map.sm.serviceCentreAddress"},
    [SSGW_MAP_F_FORWARDED_TO_NUMBER] = {KEY("forwarded_to_number"), "gsm_map.ss.forwardedToNumber"},
    [SSGW_MAP_F_ROAMING_NUMBER] = {KEY("roaming_number"), "gsm_map.ch.roamingNumber"},
    [SSGW_MAP_F_MLC_NUMBER] = {KEY("mlc_number"), "gsm_map.lcs.mlc_Number"},
    [SSGW_MAP_F_LMSI] = {KEY("lmsi"), "gsm_map.lmsi"},
    [SSGW_MAP_F_TMSI] = {KEY("tmsi"), "gsm_map.tmsi"},
    [SSGW_MAP_F_IMEI] = {KEY("imei"), "gsm_map.ms.imei"},
    [SSGW_MAP_F_SS_CODE] = {KEY("ss_code"), "gsm_map.ss.ss_Code"},
    [SSGW_MAP_F_SS_CODE_NAME] = {KEY("ss_code_name"), NULL},
    [SSGW_MAP_F_USSD_DCS] = {KEY("ussd_dcs"), "gsm_map.ss.ussd_DataCodingScheme"},
    [SSGW_MAP_F_USSD_STRING] = {KEY("ussd_string"), "gsm_map.ussd_string"},
    [SSGW_MAP_F_CELL_ID] = {KEY("cell_id"), "gsm_map.cellGlobalIdOrServiceAreaIdFixedLength"},
    [SSGW_MAP_F_MCC] = {KEY("mcc"), NULL},
    [SSGW_MAP_F_MNC] = {KEY("mnc"), NULL},
    [SSGW_MAP_F_LAC] = {KEY("lac"), NULL},
    [SSGW_MAP_F_CI] = {KEY("ci"), NULL},
    [SSGW_MAP_F_AGE_OF_LOCATION] = {KEY("age_of_location"), "gsm_map.ms.ageOfLocationInformation"},
    [SSGW_MAP_F_REQUESTED_INFO] = {KEY("requested_info"), "gsm_map.ms.requestedInfo_element"},
    [SSGW_MAP_F_SUBSCRIBER_STATE] = {KEY("subscriber_state"), "gsm_map.ms.subscriberState"},
};

#undef KEY

const char *ssgw_map_field_name(ssgw_map_field f)
{
    return (unsigned)f < SSGW_MAP_F_COUNT ? field_names[f].name : "unknown";
}

const char *ssgw_map_field_key(ssgw_map_field f, size_t *len)
{
    if ((unsigned)f >= SSGW_MAP_F_COUNT) {
        *len = strlen("unknown");
        return "unknown";
    }
    *len = field_names[f].len;
    return field_names[f].name;
}

const char *ssgw_map_field_wireshark(ssgw_map_field f)
{
    return (unsigned)f < SSGW_MAP_F_COUNT ? field_names[f].wireshark : NULL;
}

_Static_assert(SSGW_MAP_F_COUNT <= 32, "ssgw_map_fields_present has one bit per field");

/* Must agree with ssgw_map_field_get below: a bit for every case that can return text (and
 * with target_fields/kind_fields above for the decoder's present: test_map_paths.c). */
uint32_t ssgw_map_fields_present(const ssgw_map_fields *m)
{
#define BIT(f, cond) ((cond) ? 1u << (f) : 0u)
    uint32_t b = 0;
    b |= BIT(SSGW_MAP_F_IMSI, m->imsi[0]);
    if (m->msisdn.digits[0])
        b |= 1u << SSGW_MAP_F_MSISDN | 1u << SSGW_MAP_F_MSISDN_NAI | 1u << SSGW_MAP_F_MSISDN_NPI;
    b |= BIT(SSGW_MAP_F_VLR_NUMBER, m->vlr_number.digits[0]);
    b |= BIT(SSGW_MAP_F_MSC_NUMBER, m->msc_number.digits[0]);
    b |= BIT(SSGW_MAP_F_HLR_NUMBER, m->hlr_number.digits[0]);
    b |= BIT(SSGW_MAP_F_SGSN_NUMBER, m->sgsn_number.digits[0]);
    b |= BIT(SSGW_MAP_F_GSMSCF_ADDRESS, m->gsmscf_address.digits[0]);
    b |= BIT(SSGW_MAP_F_GMSC_ADDRESS, m->gmsc_address.digits[0]);
    b |= BIT(SSGW_MAP_F_SMSC_ADDRESS, m->smsc_address.digits[0]);
    b |= BIT(SSGW_MAP_F_FORWARDED_TO_NUMBER, m->forwarded_to_number.digits[0]);
    b |= BIT(SSGW_MAP_F_ROAMING_NUMBER, m->roaming_number.digits[0]);
    b |= BIT(SSGW_MAP_F_MLC_NUMBER, m->mlc_number.digits[0]);
    b |= BIT(SSGW_MAP_F_LMSI, m->lmsi[0]);
    b |= BIT(SSGW_MAP_F_TMSI, m->tmsi[0]);
    b |= BIT(SSGW_MAP_F_IMEI, m->imei[0]);
    if (m->ss_code[0]) b |= 1u << SSGW_MAP_F_SS_CODE | 1u << SSGW_MAP_F_SS_CODE_NAME;
    b |= BIT(SSGW_MAP_F_USSD_DCS, m->ussd_dcs >= 0);
    b |= BIT(SSGW_MAP_F_USSD_STRING, m->ussd_string[0]);
    b |= BIT(SSGW_MAP_F_CELL_ID, m->cell_id[0]);
    b |= BIT(SSGW_MAP_F_MCC, m->mcc[0]);
    b |= BIT(SSGW_MAP_F_MNC, m->mnc[0]);
    b |= BIT(SSGW_MAP_F_LAC, m->lac >= 0);
    b |= BIT(SSGW_MAP_F_CI, m->ci >= 0);
    b |= BIT(SSGW_MAP_F_AGE_OF_LOCATION, m->age_of_location >= 0);
    b |= BIT(SSGW_MAP_F_REQUESTED_INFO, m->requested_info[0]);
    b |= BIT(SSGW_MAP_F_SUBSCRIBER_STATE, m->subscriber_state[0]);
    return b;
#undef BIT
}

const char *ssgw_map_field_get(const ssgw_map_fields *m, ssgw_map_field f, char *tmp, size_t tmpcap)
{
    switch (f) {
    case SSGW_MAP_F_IMSI:
        return str_or_null(m->imsi);
    case SSGW_MAP_F_MSISDN:
        return str_or_null(m->msisdn.digits);
    case SSGW_MAP_F_MSISDN_NAI:
        return m->msisdn.digits[0] ? int_or_null(m->msisdn.nai, tmp, tmpcap) : NULL;
    case SSGW_MAP_F_MSISDN_NPI:
        return m->msisdn.digits[0] ? int_or_null(m->msisdn.npi, tmp, tmpcap) : NULL;
    case SSGW_MAP_F_VLR_NUMBER:
        return str_or_null(m->vlr_number.digits);
    case SSGW_MAP_F_MSC_NUMBER:
        return str_or_null(m->msc_number.digits);
    case SSGW_MAP_F_HLR_NUMBER:
        return str_or_null(m->hlr_number.digits);
    case SSGW_MAP_F_SGSN_NUMBER:
        return str_or_null(m->sgsn_number.digits);
    case SSGW_MAP_F_GSMSCF_ADDRESS:
        return str_or_null(m->gsmscf_address.digits);
    case SSGW_MAP_F_GMSC_ADDRESS:
        return str_or_null(m->gmsc_address.digits);
    case SSGW_MAP_F_SMSC_ADDRESS:
        return str_or_null(m->smsc_address.digits);
    case SSGW_MAP_F_FORWARDED_TO_NUMBER:
        return str_or_null(m->forwarded_to_number.digits);
    case SSGW_MAP_F_ROAMING_NUMBER:
        return str_or_null(m->roaming_number.digits);
    case SSGW_MAP_F_MLC_NUMBER:
        return str_or_null(m->mlc_number.digits);
    case SSGW_MAP_F_LMSI:
        return str_or_null(m->lmsi);
    case SSGW_MAP_F_TMSI:
        return str_or_null(m->tmsi);
    case SSGW_MAP_F_IMEI:
        return str_or_null(m->imei);
    case SSGW_MAP_F_SS_CODE:
        return str_or_null(m->ss_code);
    case SSGW_MAP_F_SS_CODE_NAME: {
        uint8_t v;
        if (!m->ss_code[0] || ssgw_map_hex_decode(m->ss_code, &v, 1) != 1) return NULL;
        return ssgw_map_ss_code_name(v);
    }
    case SSGW_MAP_F_USSD_DCS:
        return int_or_null(m->ussd_dcs, tmp, tmpcap);
    case SSGW_MAP_F_USSD_STRING:
        return str_or_null(m->ussd_string);
    case SSGW_MAP_F_CELL_ID:
        return str_or_null(m->cell_id);
    case SSGW_MAP_F_MCC:
        return str_or_null(m->mcc);
    case SSGW_MAP_F_MNC:
        return str_or_null(m->mnc);
    case SSGW_MAP_F_LAC:
        return int_or_null(m->lac, tmp, tmpcap);
    case SSGW_MAP_F_CI:
        return int_or_null(m->ci, tmp, tmpcap);
    case SSGW_MAP_F_AGE_OF_LOCATION:
        return int_or_null(m->age_of_location, tmp, tmpcap);
    case SSGW_MAP_F_REQUESTED_INFO:
        return str_or_null(m->requested_info);
    case SSGW_MAP_F_SUBSCRIBER_STATE:
        return str_or_null(m->subscriber_state);
    default:
        return NULL;
    }
}
