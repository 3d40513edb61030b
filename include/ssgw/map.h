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

/* Where an operation code comes from. */
typedef enum {
    SSGW_MAP_OP_CURRENT = 0, /* in the current MAP-Protocol module */
    SSGW_MAP_OP_RESERVED,    /* reserved for operations of earlier MAP versions */
    SSGW_MAP_OP_SECURE,      /* secureTransportClass1..4 (TS 33.200 MAPsec) */
    SSGW_MAP_OP_SS,          /* TS 24.080 SS-Operations carried in MAP USSD/SS dialogues */
    SSGW_MAP_OP_ORIGIN_COUNT
} ssgw_map_op_origin;

typedef struct {
    int opcode;
    const char *name;     /* exactly as in the ASN.1, e.g. "anyTimeInterrogation" */
    const char *arg_type; /* ASN.1 argument type, NULL when none */
    const char *res_type; /* ASN.1 result type, NULL when none or RETURN RESULT TRUE */
    ssgw_map_op_origin origin;
} ssgw_map_op;

#define SSGW_MAP_OPCODE_MAX 127

/* O(1) lookup; NULL when the code is not allocated (or out of 0..127). */
const ssgw_map_op *ssgw_map_op_by_code(int opcode);
/* Lookup by exact ASN.1 name; NULL when unknown. */
const ssgw_map_op *ssgw_map_op_by_name(const char *name);
/* Name for an opcode, "unknown" when not allocated. Never NULL. */
const char *ssgw_map_op_name(int opcode);
/* Iteration over the table in opcode order. */
size_t ssgw_map_op_count(void);
const ssgw_map_op *ssgw_map_op_at(size_t i);
const char *ssgw_map_op_origin_name(ssgw_map_op_origin o);

/* ------------------------------------------------------------------ */
/* Application contexts (TS 29.002 clause 17.3.3): 0.4.0.0.1.0.<ac>.<version> */

typedef struct {
    int ac;             /* the map-ac arc, e.g. 29 */
    const char *name;   /* "anyTimeInfoEnquiryContext" (version suffix not included) */
    uint8_t versions;   /* bit v set when version v exists (bits 1..4) */
    const uint8_t *ops; /* operations that belong to this context (all versions) */
    size_t n_ops;
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
/* True when opcode is one of the context's operations. */
bool ssgw_map_acn_has_op(const ssgw_map_acn *acn, int opcode);
bool ssgw_map_acn_has_version(const ssgw_map_acn *acn, int version);

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
} ssgw_map_fields;

/* sm_rp_dir: DA = IMSI/LMSI or OA = service centre (towards the MS: SMS-DELIVER), or
 * DA = service centre or OA = MSISDN (from the MS: SMS-SUBMIT); the last one seen wins. */
#define SSGW_MAP_SM_TO_MS   1
#define SSGW_MAP_SM_FROM_MS 2

/* Clears f: all strings empty, all integers -1. */
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
/* The Wireshark display filter carrying the same value, or NULL when none. */
const char *ssgw_map_field_wireshark(ssgw_map_field f);
/*
 * The field's value as text, or NULL when absent. The result points into m
 * or into tmp (which must hold at least 24 bytes for numeric fields).
 */
const char *ssgw_map_field_get(const ssgw_map_fields *m, ssgw_map_field f, char *tmp,
                               size_t tmpcap);

#endif
