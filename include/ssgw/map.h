/*
 * map.h - GSM MAP (3GPP TS 29.002): operation table, application contexts,
 * and the component parameters a security policy needs.
 *
 * The TCAP layer hands MAP an application-context name, a component kind, a
 * local operation code and the parameter (one complete BER TLV). MAP does not
 * dissect everything: ssgw_map_decode() pulls out the identities and
 * addresses listed in ssgw_map_fields, lazily, for the operations that carry
 * them, and skips what it does not need (extension containers, unknown
 * extension elements). ssgw_map_encode() builds those parameters back from a
 * fields struct, filling mandatory elements with plausible defaults, so tests
 * and the simulator can produce traffic that Wireshark decodes.
 *
 * Nothing here allocates; all tables are static data.
 */
#ifndef SSGW_MAP_H
#define SSGW_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"

/* ------------------------------------------------------------------ */
/* Operations (TS 29.002 clause 17.5 MAP-Protocol, 17.6 operation modules) */

/*
 * Operation codes: the MAP-Protocol operations, the codes it reserves for
 * operations of earlier MAP versions, MAPsec secure transport (TS 33.200) and
 * the TS 24.080 SS-Operations that travel in MAP dialogues. Each name is the
 * ASN.1 name in upper case, split into words where the case changes or at a
 * hyphen (updateLocation -> UPDATE_LOCATION, mt-forwardSM -> MT_FORWARD_SM,
 * sIWFSSignallingModify -> SIWFS_SIGNALLING_MODIFY). The facts about each
 * operation are one row of src/wire/map_ops.def; tests/unit/test_map_table.c
 * and tests/lint/check_map_table.py keep this list and the table in step.
 * Opcodes on the wire are plain integers (any value may arrive); compare them
 * with these names, never with bare numbers.
 */
typedef enum {
    SSGW_MAP_OP_NONE = -1, /* no operation: not a code */
    SSGW_MAP_OP_UPDATE_LOCATION = 2,
    SSGW_MAP_OP_CANCEL_LOCATION = 3,
    SSGW_MAP_OP_PROVIDE_ROAMING_NUMBER = 4,
    SSGW_MAP_OP_NOTE_SUBSCRIBER_DATA_MODIFIED = 5,
    SSGW_MAP_OP_RESUME_CALL_HANDLING = 6,
    SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA = 7,
    SSGW_MAP_OP_DELETE_SUBSCRIBER_DATA = 8,
    SSGW_MAP_OP_SEND_PARAMETERS = 9,
    SSGW_MAP_OP_REGISTER_SS = 10,
    SSGW_MAP_OP_ERASE_SS = 11,
    SSGW_MAP_OP_ACTIVATE_SS = 12,
    SSGW_MAP_OP_DEACTIVATE_SS = 13,
    SSGW_MAP_OP_INTERROGATE_SS = 14,
    SSGW_MAP_OP_AUTHENTICATION_FAILURE_REPORT = 15,
    SSGW_MAP_OP_NOTIFY_SS = 16,
    SSGW_MAP_OP_REGISTER_PASSWORD = 17,
    SSGW_MAP_OP_GET_PASSWORD = 18,
    SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_DATA = 19,
    SSGW_MAP_OP_RELEASE_RESOURCES = 20,
    SSGW_MAP_OP_MT_FORWARD_SM_VGCS = 21,
    SSGW_MAP_OP_SEND_ROUTING_INFO = 22,
    SSGW_MAP_OP_UPDATE_GPRS_LOCATION = 23,
    SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_GPRS = 24,
    SSGW_MAP_OP_FAILURE_REPORT = 25,
    SSGW_MAP_OP_NOTE_MS_PRESENT_FOR_GPRS = 26,
    SSGW_MAP_OP_PERFORM_HANDOVER = 28,
    SSGW_MAP_OP_SEND_END_SIGNAL = 29,
    SSGW_MAP_OP_PERFORM_SUBSEQUENT_HANDOVER = 30,
    SSGW_MAP_OP_PROVIDE_SIWFS_NUMBER = 31,
    SSGW_MAP_OP_SIWFS_SIGNALLING_MODIFY = 32,
    SSGW_MAP_OP_PROCESS_ACCESS_SIGNALLING = 33,
    SSGW_MAP_OP_FORWARD_ACCESS_SIGNALLING = 34,
    SSGW_MAP_OP_NOTE_INTERNAL_HANDOVER = 35,
    SSGW_MAP_OP_CANCEL_VCSG_LOCATION = 36,
    SSGW_MAP_OP_RESET = 37,
    SSGW_MAP_OP_FORWARD_CHECK_SS_INDICATION = 38,
    SSGW_MAP_OP_PREPARE_GROUP_CALL = 39,
    SSGW_MAP_OP_SEND_GROUP_CALL_END_SIGNAL = 40,
    SSGW_MAP_OP_PROCESS_GROUP_CALL_SIGNALLING = 41,
    SSGW_MAP_OP_FORWARD_GROUP_CALL_SIGNALLING = 42,
    SSGW_MAP_OP_CHECK_IMEI = 43,
    SSGW_MAP_OP_MT_FORWARD_SM = 44,
    SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM = 45,
    SSGW_MAP_OP_MO_FORWARD_SM = 46,
    SSGW_MAP_OP_REPORT_SM_DELIVERY_STATUS = 47,
    SSGW_MAP_OP_NOTE_SUBSCRIBER_PRESENT = 48,
    SSGW_MAP_OP_ALERT_SERVICE_CENTRE_WITHOUT_RESULT = 49,
    SSGW_MAP_OP_ACTIVATE_TRACE_MODE = 50,
    SSGW_MAP_OP_DEACTIVATE_TRACE_MODE = 51,
    SSGW_MAP_OP_TRACE_SUBSCRIBER_ACTIVITY = 52,
    SSGW_MAP_OP_UPDATE_VCSG_LOCATION = 53,
    SSGW_MAP_OP_BEGIN_SUBSCRIBER_ACTIVITY = 54,
    SSGW_MAP_OP_SEND_IDENTIFICATION = 55,
    SSGW_MAP_OP_SEND_AUTHENTICATION_INFO = 56,
    SSGW_MAP_OP_RESTORE_DATA = 57,
    SSGW_MAP_OP_SEND_IMSI = 58,
    SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST = 59,
    SSGW_MAP_OP_UNSTRUCTURED_SS_REQUEST = 60,
    SSGW_MAP_OP_UNSTRUCTURED_SS_NOTIFY = 61,
    SSGW_MAP_OP_ANY_TIME_SUBSCRIPTION_INTERROGATION = 62,
    SSGW_MAP_OP_INFORM_SERVICE_CENTRE = 63,
    SSGW_MAP_OP_ALERT_SERVICE_CENTRE = 64,
    SSGW_MAP_OP_ANY_TIME_MODIFICATION = 65,
    SSGW_MAP_OP_READY_FOR_SM = 66,
    SSGW_MAP_OP_PURGE_MS = 67,
    SSGW_MAP_OP_PREPARE_HANDOVER = 68,
    SSGW_MAP_OP_PREPARE_SUBSEQUENT_HANDOVER = 69,
    SSGW_MAP_OP_PROVIDE_SUBSCRIBER_INFO = 70,
    SSGW_MAP_OP_ANY_TIME_INTERROGATION = 71,
    SSGW_MAP_OP_SS_INVOCATION_NOTIFICATION = 72,
    SSGW_MAP_OP_SET_REPORTING_STATE = 73,
    SSGW_MAP_OP_STATUS_REPORT = 74,
    SSGW_MAP_OP_REMOTE_USER_FREE = 75,
    SSGW_MAP_OP_REGISTER_CC_ENTRY = 76,
    SSGW_MAP_OP_ERASE_CC_ENTRY = 77,
    SSGW_MAP_OP_SECURE_TRANSPORT_CLASS1 = 78,
    SSGW_MAP_OP_SECURE_TRANSPORT_CLASS2 = 79,
    SSGW_MAP_OP_SECURE_TRANSPORT_CLASS3 = 80,
    SSGW_MAP_OP_SECURE_TRANSPORT_CLASS4 = 81,
    SSGW_MAP_OP_PROVIDE_SUBSCRIBER_LOCATION = 83,
    SSGW_MAP_OP_SEND_GROUP_CALL_INFO = 84,
    SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_LCS = 85,
    SSGW_MAP_OP_SUBSCRIBER_LOCATION_REPORT = 86,
    SSGW_MAP_OP_IST_ALERT = 87,
    SSGW_MAP_OP_IST_COMMAND = 88,
    SSGW_MAP_OP_NOTE_MM_EVENT = 89,
    SSGW_MAP_OP_LCS_PERIODIC_LOCATION_CANCELLATION = 109,
    SSGW_MAP_OP_LCS_LOCATION_UPDATE = 110,
    SSGW_MAP_OP_LCS_PERIODIC_LOCATION_REQUEST = 111,
    SSGW_MAP_OP_LCS_AREA_EVENT_CANCELLATION = 112,
    SSGW_MAP_OP_LCS_AREA_EVENT_REPORT = 113,
    SSGW_MAP_OP_LCS_AREA_EVENT_REQUEST = 114,
    SSGW_MAP_OP_LCS_MOLR = 115,
    SSGW_MAP_OP_LCS_LOCATION_NOTIFICATION = 116,
    SSGW_MAP_OP_CALL_DEFLECTION = 117,
    SSGW_MAP_OP_USER_USER_SERVICE = 118,
    SSGW_MAP_OP_ACCESS_REGISTER_CC_ENTRY = 119,
    SSGW_MAP_OP_FORWARD_CUG_INFO = 120,
    SSGW_MAP_OP_SPLIT_MPTY = 121,
    SSGW_MAP_OP_RETRIEVE_MPTY = 122,
    SSGW_MAP_OP_HOLD_MPTY = 123,
    SSGW_MAP_OP_BUILD_MPTY = 124,
    SSGW_MAP_OP_FORWARD_CHARGE_ADVICE = 125,
    SSGW_MAP_OP_EXPLICIT_CT = 126,
} ssgw_map_opcode;

#define SSGW_MAP_OPCODE_MAX 127

/* Where an operation code comes from. */
typedef enum {
    SSGW_MAP_ORIGIN_CURRENT = 0, /* in the current MAP-Protocol module */
    SSGW_MAP_ORIGIN_RESERVED,    /* reserved for operations of earlier MAP versions */
    SSGW_MAP_ORIGIN_SECURE,      /* secureTransportClass1..4 (TS 33.200 MAPsec) */
    SSGW_MAP_ORIGIN_SS,          /* TS 24.080 SS-Operations carried in MAP USSD/SS dialogues */
    SSGW_MAP_ORIGIN_COUNT
} ssgw_map_op_origin;

/*
 * The GSMA FS.11 class of an operation, as the guideline lists it: a
 * published property of the operation, kept with the other facts about it.
 * The policy layer decides what each class means for a message (it maps them
 * to its ssgw_category, src/policy/categories.c).
 */
typedef enum {
    SSGW_MAP_FS11_OTHER = 0, /* in no FS.11 category */
    SSGW_MAP_FS11_CAT1,      /* never acceptable on the interconnect */
    SSGW_MAP_FS11_CAT2,      /* only from the subscriber's home network */
    SSGW_MAP_FS11_CAT3,      /* only from the subscriber's current (visited) network */
    SSGW_MAP_FS11_SMS,       /* short message operations (screened by the sms.* checks) */
    SSGW_MAP_FS11_COUNT
} ssgw_map_fs11;

/* "other", "cat1", "cat2", "cat3", "sms"; "unknown" out of range. */
const char *ssgw_map_fs11_name(ssgw_map_fs11 c);

/* Application contexts (TS 29.002 clause 17.3.3): the map-ac arc of each one,
 * named like the operations ("networkLocUpContext" -> NETWORK_LOC_UP). */
typedef enum {
    SSGW_MAP_AC_NETWORK_LOC_UP = 1,
    SSGW_MAP_AC_LOCATION_CANCELLATION = 2,
    SSGW_MAP_AC_ROAMING_NUMBER_ENQUIRY = 3,
    SSGW_MAP_AC_IST_ALERTING = 4,
    SSGW_MAP_AC_LOCATION_INFO_RETRIEVAL = 5,
    SSGW_MAP_AC_CALL_CONTROL_TRANSFER = 6,
    SSGW_MAP_AC_REPORTING = 7,
    SSGW_MAP_AC_CALL_COMPLETION = 8,
    SSGW_MAP_AC_SERVICE_TERMINATION = 9,
    SSGW_MAP_AC_RESET = 10,
    SSGW_MAP_AC_HANDOVER_CONTROL = 11,
    SSGW_MAP_AC_SIWFS_ALLOCATION = 12,
    SSGW_MAP_AC_EQUIPMENT_MNGT = 13,
    SSGW_MAP_AC_INFO_RETRIEVAL = 14,
    SSGW_MAP_AC_INTER_VLR_INFO_RETRIEVAL = 15,
    SSGW_MAP_AC_SUBSCRIBER_DATA_MNGT = 16,
    SSGW_MAP_AC_TRACING = 17,
    SSGW_MAP_AC_NETWORK_FUNCTIONAL_SS = 18,
    SSGW_MAP_AC_NETWORK_UNSTRUCTURED_SS = 19,
    SSGW_MAP_AC_SHORT_MSG_GATEWAY = 20,
    SSGW_MAP_AC_SHORT_MSG_MO_RELAY = 21,
    SSGW_MAP_AC_SUBSCRIBER_DATA_MODIFICATION_NOTIFICATION = 22,
    SSGW_MAP_AC_SHORT_MSG_ALERT = 23,
    SSGW_MAP_AC_MWD_MNGT = 24,
    SSGW_MAP_AC_SHORT_MSG_MT_RELAY = 25,
    SSGW_MAP_AC_IMSI_RETRIEVAL = 26,
    SSGW_MAP_AC_MS_PURGING = 27,
    SSGW_MAP_AC_SUBSCRIBER_INFO_ENQUIRY = 28,
    SSGW_MAP_AC_ANY_TIME_INFO_ENQUIRY = 29,
    SSGW_MAP_AC_GROUP_CALL_CONTROL = 31,
    SSGW_MAP_AC_GPRS_LOCATION_UPDATE = 32,
    SSGW_MAP_AC_GPRS_LOCATION_INFO_RETRIEVAL = 33,
    SSGW_MAP_AC_FAILURE_REPORT = 34,
    SSGW_MAP_AC_GPRS_NOTIFY = 35,
    SSGW_MAP_AC_SS_INVOCATION_NOTIFICATION = 36,
    SSGW_MAP_AC_LOCATION_SVC_GATEWAY = 37,
    SSGW_MAP_AC_LOCATION_SVC_ENQUIRY = 38,
    SSGW_MAP_AC_AUTHENTICATION_FAILURE_REPORT = 39,
    SSGW_MAP_AC_SHORT_MSG_MT_RELAY_VGCS = 41,
    SSGW_MAP_AC_MM_EVENT_REPORTING = 42,
    SSGW_MAP_AC_ANY_TIME_INFO_HANDLING = 43,
    SSGW_MAP_AC_RESOURCE_MANAGEMENT = 44,
    SSGW_MAP_AC_GROUP_CALL_INFO_RETRIEVAL = 45,
    SSGW_MAP_AC_VCSG_LOCATION_UPDATE = 46,
    SSGW_MAP_AC_VCSG_LOCATION_CANCELLATION = 47,
} ssgw_map_ac;

/* An application context that carries an operation, and in which of its versions. */
typedef struct {
    uint8_t ac;         /* ssgw_map_ac */
    uint8_t vmin, vmax; /* the versions of that context that carry the operation */
} ssgw_map_op_ctx;

/*
 * One operation. family is the operation that this one is, or became, in the
 * current MAP version: every version of an operation has the same family
 * (forwardSM of MAP v1/v2 and the mo-forwardSM / mt-forwardSM it was split
 * into in v3; sendParameters and sendAuthenticationInfo, ...). An operation
 * that did not change is its own family.
 */
typedef struct {
    ssgw_map_opcode opcode;
    const char *name;     /* exactly as in the ASN.1, e.g. "anyTimeInterrogation" */
    const char *arg_type; /* ASN.1 argument type, NULL when none */
    const char *res_type; /* ASN.1 result type, NULL when none or RETURN RESULT TRUE */
    ssgw_map_op_origin origin;
    ssgw_map_opcode family;
    ssgw_map_fs11 fs11;
    const ssgw_map_op_ctx *contexts; /* in ac order; none for SS-Operations and secure
                                        transport (they travel in other contexts) */
    uint8_t n_contexts;
} ssgw_map_op;

/* O(1) lookup; NULL when the code is not allocated (or out of 0..127). */
const ssgw_map_op *ssgw_map_op_by_code(int opcode);
/* Lookup by exact ASN.1 name; NULL when unknown. */
const ssgw_map_op *ssgw_map_op_by_name(const char *name);
/* Name for an opcode, "unknown" when not allocated. Never NULL. */
const char *ssgw_map_op_name(int opcode);
/*
 * The name of opcode in a dialogue of MAP version acn_version (0: the current
 * name): "forwardSM" for 46 in v1/v2, else the current name; "unknown" when
 * not allocated. Never NULL.
 */
const char *ssgw_map_op_name_in(int opcode, int acn_version);
/* Iteration over the table in opcode order. */
size_t ssgw_map_op_count(void);
const ssgw_map_op *ssgw_map_op_at(size_t i);
const char *ssgw_map_op_origin_name(ssgw_map_op_origin o);
/* The family of opcode (see ssgw_map_op), -1 when the code is not allocated. */
int ssgw_map_op_family(int opcode);
/* A family's name: its v1/v2 name when it had one ("forwardSM"), else the
 * name of its current operation; "unknown" when family is not a family. */
const char *ssgw_map_family_name(int family);

/* ------------------------------------------------------------------ */
/* Application contexts (TS 29.002 clause 17.3.3): 0.4.0.0.1.0.<ac>.<version> */

typedef struct {
    int ac;           /* the map-ac arc (ssgw_map_ac), e.g. 29 */
    const char *name; /* "anyTimeInfoEnquiryContext" (version suffix not included) */
    uint8_t versions; /* bit v set when version v exists (bits 1..4) */
} ssgw_map_acn;

/* Longest OID contents of a MAP AC: 04 00 00 01 00 <ac> <v>. */
#define SSGW_MAP_ACN_OID_LEN 7

/* The context for an ac arc; NULL when not allocated. */
const ssgw_map_acn *ssgw_map_acn_by_id(int ac);
size_t ssgw_map_acn_count(void);
const ssgw_map_acn *ssgw_map_acn_at(size_t i);
/*
 * OID contents octets -> context and version. Returns 0 when the OID is a MAP
 * AC of a known context and version, -1 otherwise (*acn and *version are then
 * set to whatever could be recognised: NULL / 0).
 */
int ssgw_map_acn_from_oid(const uint8_t *val, size_t len, const ssgw_map_acn **acn, int *version);
/* Same from a dotted string "0.4.0.0.1.0.19.2". */
int ssgw_map_acn_from_str(const char *dotted, const ssgw_map_acn **acn, int *version);
/* Builds the OID contents for ac/version; returns 7 or -1. */
int ssgw_map_acn_to_oid(int ac, int version, uint8_t *out, size_t cap);
/* True when opcode is one of the context's operations in some version. */
bool ssgw_map_acn_has_op(const ssgw_map_acn *acn, int opcode);
/* True when version `version` of the context carries opcode (version 0: any version). */
bool ssgw_map_acn_carries(const ssgw_map_acn *acn, int version, int opcode);
bool ssgw_map_acn_has_version(const ssgw_map_acn *acn, int version);
/*
 * The operations of a context (version 0: of any version), in opcode order:
 * writes up to cap of them to out and returns how many there are.
 */
size_t ssgw_map_acn_ops(const ssgw_map_acn *acn, int version, ssgw_map_opcode *out, size_t cap);
/*
 * The context in which to open a dialogue for opcode: the first (lowest ac)
 * context that carries it, at the highest version that carries it (*version).
 * NULL (and *version 0) when no MAP context carries it.
 */
const ssgw_map_acn *ssgw_map_op_context(int opcode, int *version);

/* ------------------------------------------------------------------ */
/* Supplementary service codes (TS 29.002 17.7.5 MAP-SS-Code) */

/* "cfu", "allForwardingSS", ... or NULL when the code is not allocated. */
const char *ssgw_map_ss_code_name(uint8_t code);

/* ------------------------------------------------------------------ */
/* Decoded parameters */

typedef enum {
    SSGW_MAP_INVOKE = 1,        /* invoke: the parameter is the operation's ARGUMENT */
    SSGW_MAP_RETURN_RESULT = 2, /* returnResult(Last/NotLast): the RESULT */
    SSGW_MAP_RETURN_ERROR = 3   /* returnError: the error's PARAMETER (not decoded) */
} ssgw_map_comp_kind;

const char *ssgw_map_comp_kind_name(ssgw_map_comp_kind k);

/* Digits of the longest AddressString (20 octets: 1 + 19 TBCD = 38 digits) + NUL. */
#define SSGW_MAP_DIGITS_CAP 41
#define SSGW_MAP_IMSI_CAP   17
/* USSD-String is at most 160 octets: 182 GSM 7-bit characters, each up to 3 UTF-8 octets
 * (the euro sign), or 320 hex digits. */
#define SSGW_MAP_USSD_CAP 560

/*
 * AddressString / ISDN-AddressString (TS 29.002 17.7.8): octet 1 = extension
 * bit, nature of address (bits 7-5), numbering plan (bits 4-1); then TBCD
 * digits. Present when digits[0] != '\0'.
 */
typedef struct {
    char digits[SSGW_MAP_DIGITS_CAP];
    uint8_t nai; /* nature of address indicator: 1 = international number */
    uint8_t npi; /* numbering plan: 1 = ISDN/telephony (E.164), 6 = land mobile (E.212) */
} ssgw_map_addr;

/*
 * What policy needs from a component. Strings are NUL-terminated; an empty
 * string is "absent". Integers are -1 when absent.
 */
typedef struct {
    char imsi[SSGW_MAP_IMSI_CAP];
    ssgw_map_addr msisdn;
    ssgw_map_addr vlr_number;
    ssgw_map_addr msc_number;
    ssgw_map_addr hlr_number;
    ssgw_map_addr sgsn_number;
    ssgw_map_addr gsmscf_address;
    ssgw_map_addr gmsc_address; /* gmsc-OrGsmSCF-Address of SRI, gmsc-Address of PRN,
                                   smsGmscAddress of MT-ForwardSM */
    ssgw_map_addr smsc_address; /* serviceCentreAddress(OA/DA) */
    ssgw_map_addr forwarded_to_number;
    ssgw_map_addr roaming_number; /* MSRN */
    ssgw_map_addr mlc_number;     /* GMLC of sendRoutingInfoForLCS / provideSubscriberLocation */
    char lmsi[9];                 /* 4 octets, lower-case hex */
    char tmsi[9];                 /* 1..4 octets, hex */
    char imei[17];                /* TBCD digits */
    char ss_code[3];              /* 1 octet, hex: "21" = cfu */
    int ussd_dcs;                 /* CBS data coding scheme octet */
    char ussd_string[SSGW_MAP_USSD_CAP]; /* text for GSM 7-bit / UCS2, else hex */
    bool ussd_is_hex;                    /* ussd_string holds hex, not text */
    char cell_id[15];                    /* CGI/SAI (7 octets) or LAI (5 octets), hex */
    char mcc[4], mnc[4];                 /* from cell_id */
    int lac, ci;                         /* from cell_id; ci is the cell identity or SAC */
    int age_of_location;                 /* minutes */
    char requested_info[96];             /* RequestedInfo NULLs, comma separated */
    char subscriber_state[24];           /* "assumedIdle", "camelBusy", "netDetNotReachable", ... */
    /* sm-RP-UI of forwardSM, mo-/mt-forwardSM and their results: the SMS TPDU (TS 23.040,
     * decoded by sms.h), a view into the parameter; NULL when absent. The encoder writes
     * it when set (else a fixed TPDU). sm_rp_dir: which way the TPDU goes as sm-RP-DA /
     * sm-RP-OA say (SSGW_MAP_SM_TO_MS, SSGW_MAP_SM_FROM_MS; 0 when they do not), also
     * the alternatives the encoder picks for them. */
    const uint8_t *sm_rp_ui;
    size_t sm_rp_ui_len;
    int sm_rp_dir;
    /* Set by ssgw_map_decode (0 after ssgw_map_fields_init): the fields it decoded an
     * element into, as bits like ssgw_map_fields_present's and with the same promise (a field
     * whose bit is clear is absent; a set bit may still give NULL), without its 27 tests. Only
     * the decoder keeps it: after changing a field, ask ssgw_map_fields_present. */
    uint32_t present;
} ssgw_map_fields;

/* sm_rp_dir: DA = IMSI/LMSI or OA = service centre (towards the MS: SMS-DELIVER), or
 * DA = service centre or OA = MSISDN (from the MS: SMS-SUBMIT). sm-RP-DA decides, as the
 * node that receives the message routes by it; sm-RP-OA only when DA says neither
 * (noSM-RP-DA). */
#define SSGW_MAP_SM_TO_MS   1
#define SSGW_MAP_SM_FROM_MS 2

/* Clears f: all strings empty, all integers -1, nai/npi, sm_rp_dir, ussd_is_hex and present
 * 0, sm_rp_ui NULL. Only what makes a member absent is written: the bytes of a string after
 * its first are left as they were (a new member needs its line there). */
void ssgw_map_fields_init(ssgw_map_fields *f);
/* Sets an address (nai 1 = international, npi 1 = E.164); digits are copied/truncated. */
void ssgw_map_addr_set(ssgw_map_addr *a, const char *digits, uint8_t nai, uint8_t npi);

/*
 * Decodes the parameter of one component. param/len is the complete BER TLV
 * of the parameter (may be NULL/0 when the component has none).
 * acn_version is the application-context version (0 when unknown); it picks
 * between the v1/v2 and v3 shapes where the tags alone cannot.
 *
 * Returns 0 on success: out holds what the operation carries (nothing for an
 * unknown opcode, an operation MAP does not decode, or a returnError).
 * Returns -1 on a malformed parameter: err has layer MAP, the ASN.1 element
 * name as field and the byte offset relative to param.
 */
int ssgw_map_decode(int opcode, ssgw_map_comp_kind kind, int acn_version, const uint8_t *param,
                    size_t len, ssgw_map_fields *out, ssgw_error *err);

/* True when ssgw_map_decode() extracts fields for this opcode and kind. */
bool ssgw_map_decodes(int opcode, ssgw_map_comp_kind kind);

/*
 * Encodes the argument (kind INVOKE) or result (RETURN_RESULT) of opcode in
 * the shape of acn_version (0 = the current version) from the fields in `in`;
 * mandatory elements without a value in `in` get defaults (e.g. ATI
 * requestedInfo = locationInformation). Appends one TLV to out.
 * Returns 0, or -1 when the operation/kind has no encoder, a mandatory
 * identity is missing (e.g. no IMSI for updateLocation), a value cannot be
 * encoded, or out overflowed.
 */
int ssgw_map_encode(int opcode, ssgw_map_comp_kind kind, int acn_version, const ssgw_map_fields *in,
                    ssgw_buf *out);

/* ------------------------------------------------------------------ */
/* Field names for JSON output */

typedef enum {
    SSGW_MAP_F_IMSI,
    SSGW_MAP_F_MSISDN,
    SSGW_MAP_F_MSISDN_NAI,
    SSGW_MAP_F_MSISDN_NPI,
    SSGW_MAP_F_VLR_NUMBER,
    SSGW_MAP_F_MSC_NUMBER,
    SSGW_MAP_F_HLR_NUMBER,
    SSGW_MAP_F_SGSN_NUMBER,
    SSGW_MAP_F_GSMSCF_ADDRESS,
    SSGW_MAP_F_GMSC_ADDRESS,
    SSGW_MAP_F_SMSC_ADDRESS,
    SSGW_MAP_F_FORWARDED_TO_NUMBER,
    SSGW_MAP_F_ROAMING_NUMBER,
    SSGW_MAP_F_MLC_NUMBER,
    SSGW_MAP_F_LMSI,
    SSGW_MAP_F_TMSI,
    SSGW_MAP_F_IMEI,
    SSGW_MAP_F_SS_CODE,
    SSGW_MAP_F_SS_CODE_NAME,
    SSGW_MAP_F_USSD_DCS,
    SSGW_MAP_F_USSD_STRING,
    SSGW_MAP_F_CELL_ID,
    SSGW_MAP_F_MCC,
    SSGW_MAP_F_MNC,
    SSGW_MAP_F_LAC,
    SSGW_MAP_F_CI,
    SSGW_MAP_F_AGE_OF_LOCATION,
    SSGW_MAP_F_REQUESTED_INFO,
    SSGW_MAP_F_SUBSCRIBER_STATE,
    SSGW_MAP_F_COUNT
} ssgw_map_field;

/* JSON key, e.g. "imsi", "vlr_number". Never NULL ("unknown" out of range). */
const char *ssgw_map_field_name(ssgw_map_field f);
/* The same with its length in *len (for ssgw_json_kstrn: the names are plain). */
const char *ssgw_map_field_key(ssgw_map_field f, size_t *len);
/* The Wireshark display filter carrying the same value, or NULL when none. */
const char *ssgw_map_field_wireshark(ssgw_map_field f);
/*
 * The field's value as text, or NULL when absent. The result points into m
 * or into tmp (which must hold at least 24 bytes for numeric fields).
 */
const char *ssgw_map_field_get(const ssgw_map_fields *m, ssgw_map_field f, char *tmp,
                               size_t tmpcap);
/*
 * The fields of m that may have a value, as bits (1u << ssgw_map_field), in one pass over
 * m: a field whose bit is clear is absent (ssgw_map_field_get returns NULL), so a caller
 * printing every field asks ssgw_map_field_get only for the set bits, in ascending order.
 * A set bit may still give NULL (an SS-Code without a name).
 */
uint32_t ssgw_map_fields_present(const ssgw_map_fields *m);

#endif
