/*
 * diameter.h - the Diameter base protocol (RFC 6733) and the S6a/S6d application
 * (3GPP TS 29.272): message header, AVPs, the dictionary as data, an encoder and
 * the fields a roaming policy needs.
 *
 *   header (20 octets: version, length, flags, command code, application id,
 *           hop-by-hop id, end-to-end id)            RFC 6733 3
 *   AVPs (code, flags V/M/P, length, [vendor id], data, padding to 4)   RFC 6733 4.1
 *   Grouped AVPs nest AVPs (bounded: SSGW_DIAM_MAX_DEPTH)               RFC 6733 4.4
 *
 * ssgw_diam_decode() checks the whole message once: the header, every AVP's
 * length and padding, the length of every fixed-size value (Unsigned32,
 * Enumerated, Address, ...) and, through the dictionary, the AVPs inside every
 * Grouped AVP. What it returns are views into the caller's buffer; afterwards
 * iteration (ssgw_diam_next) and the policy fields (ssgw_diam_fields_decode)
 * only read what was checked. Nothing here allocates.
 *
 * The dictionary (diameter_dict.c) is a table: AVP code, vendor, name, type and
 * the flag rules (which of V and M must be set, which must not), the commands of
 * the base protocol and of S6a/S6d with their abbreviations, the application
 * ids, and the names of the enumerated values a person reads (RAT-Type,
 * Cancellation-Type, Result-Code ...). Names are exactly Wireshark's (so
 * `diameter.<name>` is the display filter).
 */
#ifndef SSGW_DIAMETER_H
#define SSGW_DIAMETER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"

#define SSGW_DIAM_PORT        3868 /* IANA, TCP and SCTP (RFC 6733 2.1) */
#define SSGW_SCTP_PPID_DIAM   46   /* IANA SCTP payload protocol id "Diameter" */
#define SSGW_DIAM_HEADER_LEN  20
#define SSGW_DIAM_MAX_LEN     0xffffffu /* the 24-bit message length */
#define SSGW_DIAM_MAX_DEPTH   8         /* Grouped AVPs inside Grouped AVPs */
#define SSGW_DIAM_VENDOR_3GPP 10415
#define SSGW_DIAM_APP_COMMON  0        /* Diameter common messages (CER, DWR, DPR) */
#define SSGW_DIAM_APP_S6A     16777251 /* 3GPP S6a/S6d */

/* Command flags (RFC 6733 3): Request, Proxiable, Error, potentially reTransmitted. */
#define SSGW_DIAM_FLAG_R        0x80
#define SSGW_DIAM_FLAG_P        0x40
#define SSGW_DIAM_FLAG_E        0x20
#define SSGW_DIAM_FLAG_T        0x10
#define SSGW_DIAM_FLAG_RESERVED 0x0f

/* AVP flags (RFC 6733 4.1): Vendor-specific, Mandatory, Protected (deprecated). */
#define SSGW_DIAM_AVP_V        0x80
#define SSGW_DIAM_AVP_M        0x40
#define SSGW_DIAM_AVP_P        0x20
#define SSGW_DIAM_AVP_RESERVED 0x1f

/* Command codes (RFC 6733 3.1, TS 29.272 7.2). */
enum {
    SSGW_DIAM_CMD_CAPABILITIES_EXCHANGE = 257,
    SSGW_DIAM_CMD_DEVICE_WATCHDOG = 280,
    SSGW_DIAM_CMD_DISCONNECT_PEER = 282,
    SSGW_DIAM_CMD_UPDATE_LOCATION = 316,
    SSGW_DIAM_CMD_CANCEL_LOCATION = 317,
    SSGW_DIAM_CMD_AUTHENTICATION_INFORMATION = 318,
    SSGW_DIAM_CMD_INSERT_SUBSCRIBER_DATA = 319,
    SSGW_DIAM_CMD_DELETE_SUBSCRIBER_DATA = 320,
    SSGW_DIAM_CMD_PURGE_UE = 321,
    SSGW_DIAM_CMD_RESET = 322,
    SSGW_DIAM_CMD_NOTIFY = 323,
};

/* AVP codes. Base protocol (RFC 6733 4.5) and others of vendor 0. */
enum {
    SSGW_DIAM_AVP_USER_NAME = 1,
    SSGW_DIAM_AVP_PROXY_STATE = 33,
    SSGW_DIAM_AVP_EVENT_TIMESTAMP = 55,
    SSGW_DIAM_AVP_HOST_IP_ADDRESS = 257,
    SSGW_DIAM_AVP_AUTH_APPLICATION_ID = 258,
    SSGW_DIAM_AVP_ACCT_APPLICATION_ID = 259,
    SSGW_DIAM_AVP_VENDOR_SPECIFIC_APPLICATION_ID = 260,
    SSGW_DIAM_AVP_SESSION_ID = 263,
    SSGW_DIAM_AVP_ORIGIN_HOST = 264,
    SSGW_DIAM_AVP_SUPPORTED_VENDOR_ID = 265,
    SSGW_DIAM_AVP_VENDOR_ID = 266,
    SSGW_DIAM_AVP_FIRMWARE_REVISION = 267,
    SSGW_DIAM_AVP_RESULT_CODE = 268,
    SSGW_DIAM_AVP_PRODUCT_NAME = 269,
    SSGW_DIAM_AVP_DISCONNECT_CAUSE = 273,
    SSGW_DIAM_AVP_AUTH_SESSION_STATE = 277,
    SSGW_DIAM_AVP_ORIGIN_STATE_ID = 278,
    SSGW_DIAM_AVP_FAILED_AVP = 279,
    SSGW_DIAM_AVP_PROXY_HOST = 280,
    SSGW_DIAM_AVP_ERROR_MESSAGE = 281,
    SSGW_DIAM_AVP_ROUTE_RECORD = 282,
    SSGW_DIAM_AVP_DESTINATION_REALM = 283,
    SSGW_DIAM_AVP_PROXY_INFO = 284,
    SSGW_DIAM_AVP_DESTINATION_HOST = 293,
    SSGW_DIAM_AVP_ERROR_REPORTING_HOST = 294,
    SSGW_DIAM_AVP_ORIGIN_REALM = 296,
    SSGW_DIAM_AVP_EXPERIMENTAL_RESULT = 297,
    SSGW_DIAM_AVP_EXPERIMENTAL_RESULT_CODE = 298,
    SSGW_DIAM_AVP_INBAND_SECURITY_ID = 299,
    SSGW_DIAM_AVP_DRMP = 301,
    SSGW_DIAM_AVP_SERVICE_SELECTION = 493, /* RFC 5778: the APN in S6a */
};

/* AVP codes of vendor 3GPP (10415): TS 29.272 7.3, TS 29.212, TS 29.214, TS 29.229, TS 29.329. */
enum {
    SSGW_DIAM_AVP_3GPP_CHARGING_CHARACTERISTICS = 13,
    SSGW_DIAM_AVP_MAX_REQUESTED_BANDWIDTH_DL = 515,
    SSGW_DIAM_AVP_MAX_REQUESTED_BANDWIDTH_UL = 516,
    SSGW_DIAM_AVP_VISITED_NETWORK_IDENTIFIER = 600,
    SSGW_DIAM_AVP_CONFIDENTIALITY_KEY = 625,
    SSGW_DIAM_AVP_INTEGRITY_KEY = 626,
    SSGW_DIAM_AVP_SUPPORTED_FEATURES = 628,
    SSGW_DIAM_AVP_FEATURE_LIST_ID = 629,
    SSGW_DIAM_AVP_FEATURE_LIST = 630,
    SSGW_DIAM_AVP_MSISDN = 701,
    SSGW_DIAM_AVP_QOS_CLASS_IDENTIFIER = 1028,
    SSGW_DIAM_AVP_RAT_TYPE = 1032,
    SSGW_DIAM_AVP_ALLOCATION_RETENTION_PRIORITY = 1034,
    SSGW_DIAM_AVP_PRIORITY_LEVEL = 1046,
    SSGW_DIAM_AVP_PRE_EMPTION_CAPABILITY = 1047,
    SSGW_DIAM_AVP_PRE_EMPTION_VULNERABILITY = 1048,
    SSGW_DIAM_AVP_SUBSCRIPTION_DATA = 1400,
    SSGW_DIAM_AVP_TERMINAL_INFORMATION = 1401,
    SSGW_DIAM_AVP_IMEI = 1402,
    SSGW_DIAM_AVP_SOFTWARE_VERSION = 1403,
    SSGW_DIAM_AVP_ULR_FLAGS = 1405,
    SSGW_DIAM_AVP_ULA_FLAGS = 1406,
    SSGW_DIAM_AVP_VISITED_PLMN_ID = 1407,
    SSGW_DIAM_AVP_REQUESTED_EUTRAN_AUTHENTICATION_INFO = 1408,
    SSGW_DIAM_AVP_REQUESTED_UTRAN_GERAN_AUTHENTICATION_INFO = 1409,
    SSGW_DIAM_AVP_NUMBER_OF_REQUESTED_VECTORS = 1410,
    SSGW_DIAM_AVP_RE_SYNCHRONIZATION_INFO = 1411,
    SSGW_DIAM_AVP_IMMEDIATE_RESPONSE_PREFERRED = 1412,
    SSGW_DIAM_AVP_AUTHENTICATION_INFO = 1413,
    SSGW_DIAM_AVP_E_UTRAN_VECTOR = 1414,
    SSGW_DIAM_AVP_UTRAN_VECTOR = 1415,
    SSGW_DIAM_AVP_GERAN_VECTOR = 1416,
    SSGW_DIAM_AVP_NETWORK_ACCESS_MODE = 1417,
    SSGW_DIAM_AVP_ITEM_NUMBER = 1419,
    SSGW_DIAM_AVP_CANCELLATION_TYPE = 1420,
    SSGW_DIAM_AVP_DSR_FLAGS = 1421,
    SSGW_DIAM_AVP_DSA_FLAGS = 1422,
    SSGW_DIAM_AVP_CONTEXT_IDENTIFIER = 1423,
    SSGW_DIAM_AVP_SUBSCRIBER_STATUS = 1424,
    SSGW_DIAM_AVP_OPERATOR_DETERMINED_BARRING = 1425,
    SSGW_DIAM_AVP_ACCESS_RESTRICTION_DATA = 1426,
    SSGW_DIAM_AVP_APN_OI_REPLACEMENT = 1427,
    SSGW_DIAM_AVP_ALL_APN_CONFIGURATIONS_INCLUDED_INDICATOR = 1428,
    SSGW_DIAM_AVP_APN_CONFIGURATION_PROFILE = 1429,
    SSGW_DIAM_AVP_APN_CONFIGURATION = 1430,
    SSGW_DIAM_AVP_EPS_SUBSCRIBED_QOS_PROFILE = 1431,
    SSGW_DIAM_AVP_VPLMN_DYNAMIC_ADDRESS_ALLOWED = 1432,
    SSGW_DIAM_AVP_STN_SR = 1433,
    SSGW_DIAM_AVP_ALERT_REASON = 1434,
    SSGW_DIAM_AVP_AMBR = 1435,
    SSGW_DIAM_AVP_PDN_GW_ALLOCATION_TYPE = 1438,
    SSGW_DIAM_AVP_IDA_FLAGS = 1441,
    SSGW_DIAM_AVP_PUA_FLAGS = 1442,
    SSGW_DIAM_AVP_NOR_FLAGS = 1443,
    SSGW_DIAM_AVP_USER_ID = 1444,
    SSGW_DIAM_AVP_RAND = 1447,
    SSGW_DIAM_AVP_XRES = 1448,
    SSGW_DIAM_AVP_AUTN = 1449,
    SSGW_DIAM_AVP_KASME = 1450,
    SSGW_DIAM_AVP_KC = 1453,
    SSGW_DIAM_AVP_SRES = 1454,
    SSGW_DIAM_AVP_PDN_TYPE = 1456,
    SSGW_DIAM_AVP_SGSN_NUMBER = 1489,
    SSGW_DIAM_AVP_IDR_FLAGS = 1490,
    SSGW_DIAM_AVP_IMS_VOICE_OVER_PS_SESSIONS_SUPPORTED = 1493,
    SSGW_DIAM_AVP_ERROR_DIAGNOSTIC = 1614,
    SSGW_DIAM_AVP_UE_SRVCC_CAPABILITY = 1615,
    SSGW_DIAM_AVP_SUBSCRIBED_PERIODIC_RAU_TAU_TIMER = 1619,
    SSGW_DIAM_AVP_PUR_FLAGS = 1635,
    SSGW_DIAM_AVP_CLR_FLAGS = 1638,
    SSGW_DIAM_AVP_MME_NUMBER_FOR_MT_SMS = 1645,
    SSGW_DIAM_AVP_SMS_REGISTER_REQUEST = 1648,
    SSGW_DIAM_AVP_RESET_ID = 1670,
};

/* ------------------------------------------------------------------ */
/* The dictionary */

/* AVP data formats (RFC 6733 4.2 basic, 4.3 derived). */
typedef enum {
    SSGW_DIAM_T_OCTETS = 0,
    SSGW_DIAM_T_INTEGER32,
    SSGW_DIAM_T_INTEGER64,
    SSGW_DIAM_T_UNSIGNED32,
    SSGW_DIAM_T_UNSIGNED64,
    SSGW_DIAM_T_FLOAT32,
    SSGW_DIAM_T_FLOAT64,
    SSGW_DIAM_T_GROUPED,
    SSGW_DIAM_T_ADDRESS,
    SSGW_DIAM_T_TIME,
    SSGW_DIAM_T_UTF8STRING,
    SSGW_DIAM_T_IDENTITY, /* DiameterIdentity: an FQDN or realm */
    SSGW_DIAM_T_URI,
    SSGW_DIAM_T_ENUMERATED,
    SSGW_DIAM_T_COUNT
} ssgw_diam_type;

typedef struct {
    uint32_t code;
    uint32_t vendor; /* 0: no vendor id (V clear) */
    const char *name;
    ssgw_diam_type type;
    uint8_t must;     /* flags that must be set (SSGW_DIAM_AVP_V and/or _M) */
    uint8_t must_not; /* flags that must be clear */
} ssgw_diam_avp_def;

/* The AVP of that code and vendor, or NULL when the dictionary does not know it. */
const ssgw_diam_avp_def *ssgw_diam_avp_def_find(uint32_t code, uint32_t vendor);
size_t ssgw_diam_avp_def_count(void);
const ssgw_diam_avp_def *ssgw_diam_avp_def_at(size_t i);
/* "OctetString", "Unsigned32", ... ("?" out of range). */
const char *ssgw_diam_type_name(ssgw_diam_type t);
/* True when flags keep the definition's rules (reserved bits clear, V iff vendor). */
bool ssgw_diam_avp_flags_ok(const ssgw_diam_avp_def *d, uint8_t flags);

typedef struct {
    uint32_t code;
    uint32_t app;        /* the application it belongs to */
    const char *name;    /* Wireshark's name, e.g. "3GPP-Update-Location" */
    const char *request; /* abbreviation of the request: "ULR" */
    const char *answer;  /* and of the answer: "ULA" */
} ssgw_diam_cmd_def;

/* The command of that code (codes are unique across the dictionary's applications). */
const ssgw_diam_cmd_def *ssgw_diam_cmd_find(uint32_t code);
size_t ssgw_diam_cmd_count(void);
const ssgw_diam_cmd_def *ssgw_diam_cmd_at(size_t i);
/* "ULR" / "ULA", or NULL when the command is not in the dictionary. */
const char *ssgw_diam_cmd_abbrev(uint32_t code, bool request);
/* "Diameter Common Messages", "3GPP S6a/S6d", or NULL. */
const char *ssgw_diam_app_name(uint32_t app_id);
/* Name of an enumerated value ("EUTRAN" for RAT-Type 1004), or NULL when unknown. */
const char *ssgw_diam_enum_name(uint32_t code, uint32_t vendor, uint32_t value);

/* ------------------------------------------------------------------ */
/* Decoding */

typedef struct {
    uint32_t code;
    uint8_t flags;
    uint32_t vendor;     /* 0 when the V flag is clear */
    const uint8_t *data; /* the value, padding not included */
    size_t len;
    size_t offset;                /* of the AVP header, from the start of the message */
    const ssgw_diam_avp_def *def; /* NULL when not in the dictionary */
} ssgw_diam_avp;

typedef struct {
    const uint8_t *buf; /* the message (header included) */
    size_t len;         /* == the header's message length */
    uint8_t version;
    uint8_t flags; /* SSGW_DIAM_FLAG_* */
    uint32_t code;
    uint32_t app_id;
    uint32_t hbh;       /* hop-by-hop identifier */
    uint32_t e2e;       /* end-to-end identifier */
    unsigned n_avps;    /* top-level AVPs */
    unsigned depth;     /* deepest Grouped nesting seen (0: none) */
    unsigned n_unknown; /* AVPs not in the dictionary (kept, their data not checked) */
} ssgw_diam_msg;

static inline bool ssgw_diam_is_request(const ssgw_diam_msg *m)
{
    return (m->flags & SSGW_DIAM_FLAG_R) != 0;
}

/*
 * Decodes and checks one message: buf/len must be exactly one message. Returns 0,
 * or -1 with err (layer SSGW_LAYER_DIAMETER, the field, the byte offset from buf):
 * version not 1, message length not len / not a multiple of 4 / below 20, reserved
 * or contradictory command flags (R with E), an AVP header or length running past
 * its container, missing padding, a value of the wrong size for its type, Grouped
 * AVPs nested deeper than SSGW_DIAM_MAX_DEPTH.
 */
int ssgw_diam_decode(const uint8_t *buf, size_t len, ssgw_diam_msg *m, ssgw_error *err);

/*
 * Peeks at a message header at the start of a stream: returns the message length
 * when p[0..len) starts with a plausible Diameter header (version 1, length >= 20,
 * a multiple of 4 and <= max_len, reserved flags clear, not R with E), else 0.
 * Needs 5 octets; with 8 or more the command code must also be in the dictionary
 * when known_cmd is true.
 */
size_t ssgw_diam_peek_length(const uint8_t *p, size_t len, size_t max_len, bool known_cmd);

/* A cursor over a list of AVPs: the message's top level or a Grouped AVP's data. */
typedef struct {
    const uint8_t *p;
    size_t len, pos;
    size_t base; /* offset of p[0] in the message */
} ssgw_diam_iter;

void ssgw_diam_iter_msg(ssgw_diam_iter *it, const ssgw_diam_msg *m);
void ssgw_diam_iter_group(ssgw_diam_iter *it, const ssgw_diam_avp *group);
/* 1 with *a filled, 0 at the end, -1 (err set) on a malformed AVP header. */
int ssgw_diam_next(ssgw_diam_iter *it, ssgw_diam_avp *a, ssgw_error *err);
/* The first AVP of code/vendor in the list; true when found. */
bool ssgw_diam_find(ssgw_diam_iter it, uint32_t code, uint32_t vendor, ssgw_diam_avp *a);
/* Integer values; -1 when the length is not the type's. */
int ssgw_diam_avp_u32(const ssgw_diam_avp *a, uint32_t *v);
int ssgw_diam_avp_u64(const ssgw_diam_avp *a, uint64_t *v);

/* ------------------------------------------------------------------ */
/* Encoding (requests and answers with any AVPs, for the simulator, answers and tests) */

typedef struct {
    ssgw_buf *b;
    size_t start;                     /* of the message header in b */
    size_t open[SSGW_DIAM_MAX_DEPTH]; /* headers of the Grouped AVPs being written */
    unsigned depth;
    bool failed; /* depth exceeded, unknown AVP, bad end order */
} ssgw_diam_enc;

/* Starts a message in b (appended): flags SSGW_DIAM_FLAG_*, version 1. */
void ssgw_diam_enc_begin(ssgw_diam_enc *e, ssgw_buf *b, uint8_t flags, uint32_t code,
                         uint32_t app_id, uint32_t hbh, uint32_t e2e);
/*
 * Appends one AVP with its data (padded to 4 octets). The flags come from the
 * dictionary (V and M as its rules say); an AVP the dictionary does not know
 * fails the encoder unless written with ssgw_diam_enc_avp_flags().
 */
void ssgw_diam_enc_avp(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, const void *data,
                       size_t len);
void ssgw_diam_enc_avp_flags(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, uint8_t flags,
                             const void *data, size_t len);
void ssgw_diam_enc_u32(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, uint32_t v);
void ssgw_diam_enc_u64(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, uint64_t v);
void ssgw_diam_enc_str(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, const char *s);
/* An Address AVP (RFC 6733 4.3.1) holding an IPv4 address (host order). */
void ssgw_diam_enc_ipv4(ssgw_diam_enc *e, uint32_t code, uint32_t vendor, uint32_t ip4);
/* Opens a Grouped AVP; the AVPs up to ssgw_diam_enc_group_end() go inside it. */
void ssgw_diam_enc_group_begin(ssgw_diam_enc *e, uint32_t code, uint32_t vendor);
void ssgw_diam_enc_group_end(ssgw_diam_enc *e);
/* Writes the message length. Returns the message's length, or -1 (encoder failed,
 * groups left open, or b overflowed). */
long ssgw_diam_enc_end(ssgw_diam_enc *e);

/* ------------------------------------------------------------------ */
/* Answers an agent builds itself (the edge proxy, the firewall) */

/* Result-Code values (RFC 6733 7.1) the project writes or reads. */
enum {
    SSGW_DIAM_SUCCESS = 2001,
    SSGW_DIAM_COMMAND_UNSUPPORTED = 3001,
    SSGW_DIAM_UNABLE_TO_DELIVER = 3002,
    SSGW_DIAM_REALM_NOT_SERVED = 3003,
    SSGW_DIAM_TOO_BUSY = 3004,
    SSGW_DIAM_LOOP_DETECTED = 3005,
    SSGW_DIAM_APPLICATION_UNSUPPORTED = 3007,
    SSGW_DIAM_INVALID_HDR_BITS = 3008,
    SSGW_DIAM_INVALID_AVP_BITS = 3009,
    SSGW_DIAM_UNKNOWN_PEER = 3010,
    SSGW_DIAM_AVP_UNSUPPORTED = 5001,
    SSGW_DIAM_INVALID_AVP_VALUE = 5004,
    SSGW_DIAM_MISSING_AVP = 5005,
    SSGW_DIAM_NO_COMMON_APPLICATION = 5010,
    SSGW_DIAM_UNSUPPORTED_VERSION = 5011,
    SSGW_DIAM_UNABLE_TO_COMPLY = 5012,
    SSGW_DIAM_INVALID_AVP_LENGTH = 5014,
    SSGW_DIAM_INVALID_MESSAGE_LENGTH = 5015,
};
#define SSGW_DIAM_APP_RELAY 0xffffffffu /* Relay application id (RFC 6733 2.4) */

/*
 * The Result-Code for a message ssgw_diam_decode() refused (RFC 6733 7.1.3, 7.1.5):
 * version -> UNSUPPORTED_VERSION, message length -> INVALID_MESSAGE_LENGTH, command
 * flags -> INVALID_HDR_BITS, AVP flags -> INVALID_AVP_BITS, an AVP's length, padding or
 * a value of the wrong size -> INVALID_AVP_LENGTH, nesting too deep -> UNABLE_TO_COMPLY.
 */
uint32_t ssgw_diam_result_for_error(const ssgw_error *e);

typedef struct {
    uint32_t result;         /* Result-Code, or Experimental-Result-Code when vendor != 0 */
    uint32_t vendor;         /* 0: Result-Code; else Experimental-Result with this Vendor-Id */
    const char *origin_host; /* the answering agent's identity */
    const char *origin_realm;
    const char *error_message; /* Error-Message, or NULL */
} ssgw_diam_answer_spec;

/*
 * Appends to b the answer to the request req[0..len) (at least its 20-octet header; the
 * AVPs are read only as far as they are well formed): RFC 6733 6.2 - the same command
 * code, application, hop-by-hop and end-to-end identifiers, P copied, E set for protocol
 * errors (3xxx), Session-Id first when the request has one; then Result-Code (or
 * Experimental-Result), Origin-Host, Origin-Realm, Error-Message. Returns the answer's
 * length, or -1 (req shorter than a header, b overflowed).
 */
long ssgw_diam_answer(ssgw_buf *b, const uint8_t *req, size_t len, const ssgw_diam_answer_spec *a);

/* ------------------------------------------------------------------ */
/* What a policy needs */

#define SSGW_DIAM_MAX_ROUTE_RECORDS 8
#define SSGW_DIAM_MAX_APNS          8
#define SSGW_DIAM_DIGITS_CAP        41

/* A string in the message (not NUL-terminated); absent when p is NULL. */
typedef struct {
    const char *p;
    size_t len;
} ssgw_diam_str;

/*
 * The values of one message a roaming policy screens on. Strings point into the
 * message; integers are -1 when absent. The first occurrence wins, except for
 * lists (Route-Record, APN names), which keep the first SSGW_DIAM_MAX_* in order.
 */
typedef struct {
    ssgw_diam_str session_id, origin_host, origin_realm, dest_host, dest_realm, user_name;
    ssgw_diam_str route_record[SSGW_DIAM_MAX_ROUTE_RECORDS];
    unsigned n_route_record; /* kept; route_record_total counts them all */
    unsigned route_record_total;
    char imsi[16];        /* User-Name when it is an IMSI (6..15 digits), else "" */
    char visited_plmn[8]; /* Visited-PLMN-Id as "MCC-MNC", e.g. "208-01"; "" when absent */
    char msisdn[SSGW_DIAM_DIGITS_CAP];     /* Subscription-Data MSISDN (TBCD) */
    char imei[20];                         /* Terminal-Information IMEI */
    ssgw_diam_str apn[SSGW_DIAM_MAX_APNS]; /* Service-Selection of each APN-Configuration */
    unsigned n_apn, apn_total;
    int64_t auth_app_id;
    int64_t rat_type, cancellation_type, subscriber_status, network_access_mode;
    int64_t ulr_flags, ula_flags, idr_flags, ida_flags, clr_flags, dsr_flags, dsa_flags;
    int64_t pur_flags, pua_flags, nor_flags;
    int64_t ambr_ul, ambr_dl; /* Subscription-Data AMBR (bit/s) */
    int64_t context_identifier;
    int64_t result_code;
    int64_t exp_result_code, exp_result_vendor; /* Experimental-Result */
    int64_t disconnect_cause;
    ssgw_diam_str error_message;
} ssgw_diam_fields;

void ssgw_diam_fields_init(ssgw_diam_fields *f);
/* Fills f from a message ssgw_diam_decode() accepted. Returns 0, or -1 with err for an
 * S6a/S6d message a policy cannot judge as its peer will act on it (f is filled all the
 * same): a single-occurrence AVP twice (SSGW_E_DUPLICATE), a User-Name that is no IMSI of
 * 6-15 digits, a Visited-PLMN-Id not of 3 octets, or a request about a subscriber (ULR,
 * CLR, AIR, IDR, DSR, PUR, NOR) without User-Name (ULR, AIR: or Visited-PLMN-Id). */
int ssgw_diam_fields_decode(const ssgw_diam_msg *m, ssgw_diam_fields *f, ssgw_error *err);

/* The fields by name, for records: JSON key, Wireshark display filter, value as text. */
typedef enum {
    SSGW_DIAM_F_SESSION_ID,
    SSGW_DIAM_F_ORIGIN_HOST,
    SSGW_DIAM_F_ORIGIN_REALM,
    SSGW_DIAM_F_DEST_HOST,
    SSGW_DIAM_F_DEST_REALM,
    SSGW_DIAM_F_USER_NAME,
    SSGW_DIAM_F_IMSI,
    SSGW_DIAM_F_VISITED_PLMN,
    SSGW_DIAM_F_RAT_TYPE,
    SSGW_DIAM_F_ULR_FLAGS,
    SSGW_DIAM_F_ULA_FLAGS,
    SSGW_DIAM_F_IDR_FLAGS,
    SSGW_DIAM_F_IDA_FLAGS,
    SSGW_DIAM_F_CLR_FLAGS,
    SSGW_DIAM_F_DSR_FLAGS,
    SSGW_DIAM_F_DSA_FLAGS,
    SSGW_DIAM_F_PUR_FLAGS,
    SSGW_DIAM_F_PUA_FLAGS,
    SSGW_DIAM_F_NOR_FLAGS,
    SSGW_DIAM_F_CANCELLATION_TYPE,
    SSGW_DIAM_F_CONTEXT_IDENTIFIER,
    SSGW_DIAM_F_SUBSCRIBER_STATUS,
    SSGW_DIAM_F_NETWORK_ACCESS_MODE,
    SSGW_DIAM_F_MSISDN,
    SSGW_DIAM_F_IMEI,
    SSGW_DIAM_F_AMBR_UL,
    SSGW_DIAM_F_AMBR_DL,
    SSGW_DIAM_F_RESULT_CODE,
    SSGW_DIAM_F_EXP_RESULT_CODE,
    SSGW_DIAM_F_EXP_RESULT_VENDOR,
    SSGW_DIAM_F_DISCONNECT_CAUSE,
    SSGW_DIAM_F_ERROR_MESSAGE,
    SSGW_DIAM_F_COUNT
} ssgw_diam_field;

/* JSON key, e.g. "origin_host" ("unknown" out of range). */
const char *ssgw_diam_field_name(ssgw_diam_field f);
/* The Wireshark display filter of the same value, or NULL. */
const char *ssgw_diam_field_wireshark(ssgw_diam_field f);
/* True for fields written as JSON numbers. */
bool ssgw_diam_field_is_int(ssgw_diam_field f);
/*
 * The value as text (NULL when absent), NUL-terminated in tmp (or pointing into f
 * for NUL-terminated strings). Strings longer than tmp are cut. For numeric fields
 * *num gets the value as well (num may be NULL).
 */
const char *ssgw_diam_field_get(const ssgw_diam_fields *f, ssgw_diam_field field, char *tmp,
                                size_t tmpcap, int64_t *num);
/* The name of a numeric field's value ("EUTRAN" for rat_type 1004), or NULL. */
const char *ssgw_diam_field_value_name(ssgw_diam_field field, int64_t value);
/* A string field as it is in the message (any octets), or NULL (absent, or not a string
 * field: imsi, visited_plmn, msisdn and imei are NUL-terminated text from field_get). */
const ssgw_diam_str *ssgw_diam_field_view(const ssgw_diam_fields *f, ssgw_diam_field field);

#endif
