/*
 * cap.h - CAMEL Application Part (CAP phases 1-4: GSM 09.78, 3GPP TS 29.078):
 * operation table, application contexts, and the parameters a security policy
 * needs.
 *
 * CAP is a TCAP user like MAP: the dialogue's application context (or, in a
 * Continue/End without one, the CAP subsystem number 146) says that a local
 * operation code means a CAP operation. The codes overlap MAP's (23 is
 * requestReportBCSMEvent here, updateGprsLocation there), so nothing outside
 * this table may name a CAP operation by number. Every fact about a CAP
 * operation is one row of src/wire/cap_ops.def; this header names the rows.
 *
 * Decoding is lazy, like MAP's: ssgw_cap_decode() pulls out the identities,
 * numbers and event types listed in ssgw_cap_fields for the operations that
 * carry them (InitialDP, InitialDPSMS, InitialDPGPRS, RequestReportBCSMEvent,
 * EventReportBCSM, Connect, ReleaseCall, ApplyCharging, ...) and skips the
 * rest. ssgw_cap_encode() writes those arguments back from a fields struct so
 * that tests and the generator produce CAP that Wireshark decodes.
 *
 * Nothing here allocates; all tables are static data.
 */
#ifndef SSGW_CAP_H
#define SSGW_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"

/* ------------------------------------------------------------------ */
/* Operations (TS 29.078 clause 5.3 CAP-operationcodes) */

/*
 * Named like MAP's: the ASN.1 operation name in upper case, split into words
 * where the case changes (initialDP -> INITIAL_DP, eventReportBCSM ->
 * EVENT_REPORT_BCSM, dFCWithArgument -> DFC_WITH_ARGUMENT after its opcode
 * name). Compare wire opcodes with these names, never with bare numbers.
 */
typedef enum {
    SSGW_CAP_OP_NONE = -1,
    SSGW_CAP_OP_INITIAL_DP = 0,
    SSGW_CAP_OP_ASSIST_REQUEST_INSTRUCTIONS = 16,
    SSGW_CAP_OP_ESTABLISH_TEMPORARY_CONNECTION = 17,
    SSGW_CAP_OP_DISCONNECT_FORWARD_CONNECTION = 18,
    SSGW_CAP_OP_CONNECT_TO_RESOURCE = 19,
    SSGW_CAP_OP_CONNECT = 20,
    SSGW_CAP_OP_RELEASE_CALL = 22,
    SSGW_CAP_OP_REQUEST_REPORT_BCSM_EVENT = 23,
    SSGW_CAP_OP_EVENT_REPORT_BCSM = 24,
    SSGW_CAP_OP_COLLECT_INFORMATION = 27,
    SSGW_CAP_OP_CONTINUE = 31,
    SSGW_CAP_OP_INITIATE_CALL_ATTEMPT = 32,
    SSGW_CAP_OP_RESET_TIMER = 33,
    SSGW_CAP_OP_FURNISH_CHARGING_INFORMATION = 34,
    SSGW_CAP_OP_APPLY_CHARGING = 35,
    SSGW_CAP_OP_APPLY_CHARGING_REPORT = 36,
    SSGW_CAP_OP_CALL_GAP = 41,
    SSGW_CAP_OP_CALL_INFORMATION_REPORT = 44,
    SSGW_CAP_OP_CALL_INFORMATION_REQUEST = 45,
    SSGW_CAP_OP_SEND_CHARGING_INFORMATION = 46,
    SSGW_CAP_OP_PLAY_ANNOUNCEMENT = 47,
    SSGW_CAP_OP_PROMPT_AND_COLLECT_USER_INFORMATION = 48,
    SSGW_CAP_OP_SPECIALIZED_RESOURCE_REPORT = 49,
    SSGW_CAP_OP_CANCEL = 53,
    SSGW_CAP_OP_ACTIVITY_TEST = 55,
    SSGW_CAP_OP_INITIAL_DP_SMS = 60,
    SSGW_CAP_OP_FURNISH_CHARGING_INFORMATION_SMS = 61,
    SSGW_CAP_OP_CONNECT_SMS = 62,
    SSGW_CAP_OP_REQUEST_REPORT_SMS_EVENT = 63,
    SSGW_CAP_OP_EVENT_REPORT_SMS = 64,
    SSGW_CAP_OP_CONTINUE_SMS = 65,
    SSGW_CAP_OP_RELEASE_SMS = 66,
    SSGW_CAP_OP_RESET_TIMER_SMS = 67,
    SSGW_CAP_OP_ACTIVITY_TEST_GPRS = 70,
    SSGW_CAP_OP_APPLY_CHARGING_GPRS = 71,
    SSGW_CAP_OP_APPLY_CHARGING_REPORT_GPRS = 72,
    SSGW_CAP_OP_CANCEL_GPRS = 73,
    SSGW_CAP_OP_CONNECT_GPRS = 74,
    SSGW_CAP_OP_CONTINUE_GPRS = 75,
    SSGW_CAP_OP_ENTITY_RELEASED_GPRS = 76,
    SSGW_CAP_OP_FURNISH_CHARGING_INFORMATION_GPRS = 77,
    SSGW_CAP_OP_INITIAL_DP_GPRS = 78,
    SSGW_CAP_OP_RELEASE_GPRS = 79,
    SSGW_CAP_OP_EVENT_REPORT_GPRS = 80,
    SSGW_CAP_OP_REQUEST_REPORT_GPRS_EVENT = 81,
    SSGW_CAP_OP_RESET_TIMER_GPRS = 82,
    SSGW_CAP_OP_SEND_CHARGING_INFORMATION_GPRS = 83,
    SSGW_CAP_OP_DFC_WITH_ARGUMENT = 86,
    SSGW_CAP_OP_CONTINUE_WITH_ARGUMENT = 88,
    SSGW_CAP_OP_DISCONNECT_LEG = 90,
    SSGW_CAP_OP_MOVE_LEG = 93,
    SSGW_CAP_OP_SPLIT_LEG = 95,
    SSGW_CAP_OP_ENTITY_RELEASED = 96,
    SSGW_CAP_OP_PLAY_TONE = 97,
} ssgw_cap_opcode;

#define SSGW_CAP_OPCODE_MAX 127

/*
 * Who invokes the operation: the switching or resource side reporting to the
 * gsmSCF (InitialDP, EventReportBCSM, ApplyChargingReport, ...), or the gsmSCF
 * controlling it (Connect, ReleaseCall, RequestReportBCSMEvent, ApplyCharging,
 * ...). On an interconnect the first normally flows from the visited network
 * to the subscriber's home gsmSCF and the second back; a policy reads this
 * column as the operation's class.
 */
typedef enum {
    SSGW_CAP_TO_SCF = 0, /* gsmSSF / gprsSSF / gsmSRF -> gsmSCF */
    SSGW_CAP_FROM_SCF,   /* gsmSCF -> gsmSSF / gprsSSF / gsmSRF */
    SSGW_CAP_DIR_COUNT
} ssgw_cap_direction;

/* "to-scf", "from-scf"; "unknown" out of range. */
const char *ssgw_cap_direction_name(ssgw_cap_direction d);

/* Which service the operation controls. */
typedef enum {
    SSGW_CAP_SVC_CALL = 0, /* circuit-switched call control (TS 29.078 clause 6) */
    SSGW_CAP_SVC_SMS,      /* SMS control (clause 7) */
    SSGW_CAP_SVC_GPRS,     /* GPRS control (clause 8) */
    SSGW_CAP_SVC_COUNT
} ssgw_cap_service;

/* "call", "sms", "gprs"; "unknown" out of range. */
const char *ssgw_cap_service_name(ssgw_cap_service s);

/* Application contexts (GSM 09.78 clause 6 for phases 1-2, TS 29.078 clause 5.6
 * CAP-object-identifiers for phases 3-4), one per object identifier. */
typedef enum {
    SSGW_CAP_AC_GSMSSF_TO_GSMSCF_V1 = 0,
    SSGW_CAP_AC_GSMSSF_TO_GSMSCF_V2,
    SSGW_CAP_AC_ASSIST_GSMSSF_TO_GSMSCF_V2,
    SSGW_CAP_AC_GSMSRF_TO_GSMSCF_V2,
    SSGW_CAP_AC_GSMSSF_SCF_GENERIC_V3,
    SSGW_CAP_AC_GSMSSF_SCF_ASSIST_HANDOFF_V3,
    SSGW_CAP_AC_GSMSRF_GSMSCF_V3,
    SSGW_CAP_AC_GPRSSSF_GSMSCF_V3,
    SSGW_CAP_AC_GSMSCF_GPRSSSF_V3,
    SSGW_CAP_AC_SMS_V3,
    SSGW_CAP_AC_GSMSSF_SCF_GENERIC_V4,
    SSGW_CAP_AC_GSMSSF_SCF_ASSIST_HANDOFF_V4,
    SSGW_CAP_AC_SCF_GSMSSF_GENERIC_V4,
    SSGW_CAP_AC_GSMSRF_GSMSCF_V4,
    SSGW_CAP_AC_SMS_V4,
    SSGW_CAP_AC_COUNT
} ssgw_cap_ac;

/* OID contents of every CAP context: 04 00 00 01 <a> <b> <c> (0.4.0.0.1.a.b.c). */
#define SSGW_CAP_ACN_OID_LEN 7

typedef struct {
    ssgw_cap_ac ac;
    const char *name; /* as in the ASN.1, e.g. "capssf-scfGenericAC" */
    const char *oid;  /* dotted, e.g. "0.4.0.0.1.23.3.4" */
    uint8_t phase;    /* CAMEL phase 1..4 */
    uint8_t arcs[3];  /* the last three arcs */
} ssgw_cap_acn;

const ssgw_cap_acn *ssgw_cap_acn_by_id(int ac);
size_t ssgw_cap_acn_count(void);
/* OID contents -> context, or NULL when the OID is not a CAP context. */
const ssgw_cap_acn *ssgw_cap_acn_from_oid(const uint8_t *val, size_t len);
/* Writes the OID contents of acn to out (at least SSGW_CAP_ACN_OID_LEN). Returns 7 or -1. */
int ssgw_cap_acn_to_oid(const ssgw_cap_acn *acn, uint8_t *out, size_t cap);
/* True when the context carries the operation. */
bool ssgw_cap_acn_carries(const ssgw_cap_acn *acn, int opcode);

/* One operation. */
typedef struct {
    ssgw_cap_opcode opcode;
    const char *name;     /* the ASN.1 operation name, e.g. "initialDP" */
    const char *arg_type; /* ASN.1 argument type, NULL when none */
    const char *res_type; /* ASN.1 result type, NULL when none */
    ssgw_cap_direction direction;
    ssgw_cap_service service;
    ssgw_cap_opcode family; /* the operation this one is a variant of (continueWithArgument ->
                               continue); itself otherwise */
    uint8_t first_phase;    /* the first CAMEL phase that has it */
    uint32_t contexts;      /* bit (1u << ssgw_cap_ac) for each context that carries it */
} ssgw_cap_op;

/* O(1) lookup; NULL when the code is not allocated. */
const ssgw_cap_op *ssgw_cap_op_by_code(int opcode);
const ssgw_cap_op *ssgw_cap_op_by_name(const char *name);
/* Name for an opcode, "unknown" when not allocated. Never NULL. */
const char *ssgw_cap_op_name(int opcode);
size_t ssgw_cap_op_count(void);
const ssgw_cap_op *ssgw_cap_op_at(size_t i);
/* The family of opcode, -1 when not allocated. */
int ssgw_cap_op_family(int opcode);
/*
 * The context in which to open a dialogue for opcode at phase `phase` (0: the
 * highest phase that has it): the first context of that phase carrying it.
 * NULL when none does.
 */
const ssgw_cap_acn *ssgw_cap_op_context(int opcode, int phase);

/* CAP error codes (clause 5.4 CAP-errorcodes): "canceled", "missingParameter", ...;
 * NULL when not allocated. */
const char *ssgw_cap_error_name(int code);

/* ------------------------------------------------------------------ */
/* Event types (CAP-datatypes) */

/* EventTypeBCSM: "collectedInfo", "oAnswer", "tDisconnect", ...; NULL when not allocated. */
const char *ssgw_cap_event_bcsm_name(int v);
/* The value of an EventTypeBCSM name, -1 when unknown. */
int ssgw_cap_event_bcsm_value(const char *name);
/* EventTypeSMS: "sms-CollectedInfo", "o-smsSubmission", ...; NULL when not allocated. */
const char *ssgw_cap_event_sms_name(int v);
/* GPRSEventType: "attach", "pdp-ContextEstablishment", ...; NULL when not allocated. */
const char *ssgw_cap_event_gprs_name(int v);

/* ------------------------------------------------------------------ */
/* Decoded parameters */

#define SSGW_CAP_DIGITS_CAP 41
#define SSGW_CAP_IMSI_CAP   17

/*
 * What policy needs from CAP components. Strings are NUL-terminated, "" when
 * absent; integers are -1 when absent. Numbers keep only their digits: ISUP
 * numbers (calling/called party, location number: Q.763 3.9/3.10/3.30), the
 * called party BCD number (TS 24.008 10.5.4.7) and ISDN-AddressStrings.
 */
typedef struct {
    int service_key;                                       /* InitialDP*, 0..2147483647 */
    char imsi[SSGW_CAP_IMSI_CAP];                          /* InitialDP*, TBCD */
    char msisdn[SSGW_CAP_DIGITS_CAP];                      /* InitialDPGPRS */
    char calling_party_number[SSGW_CAP_DIGITS_CAP];        /* InitialDP, InitiateCallAttempt;
                                                              InitialDPSMS / ConnectSMS: the
                                                              SMS-AddressString of the sender */
    char called_party_number[SSGW_CAP_DIGITS_CAP];         /* InitialDP (ISUP) */
    char called_party_bcd_number[SSGW_CAP_DIGITS_CAP];     /* InitialDP; InitialDPSMS and
                                                              ConnectSMS destinationSubscriberNumber */
    char location_number[SSGW_CAP_DIGITS_CAP];             /* InitialDP (ISUP) */
    char msc_address[SSGW_CAP_DIGITS_CAP];                 /* InitialDP, InitialDPSMS */
    char gmsc_address[SSGW_CAP_DIGITS_CAP];                /* InitialDP extension */
    char vlr_number[SSGW_CAP_DIGITS_CAP];                  /* InitialDP locationInformation,
                                                              InitialDPSMS locationInformationMSC */
    char smsc_address[SSGW_CAP_DIGITS_CAP];                /* InitialDPSMS, ConnectSMS */
    char sgsn_number[SSGW_CAP_DIGITS_CAP];                 /* InitialDPSMS */
    char gsmscf_address[SSGW_CAP_DIGITS_CAP];              /* InitiateCallAttempt */
    char destination_routing_address[SSGW_CAP_DIGITS_CAP]; /* Connect, InitiateCallAttempt:
                                                              the first called party number */
    char cell_id[15];                                      /* CGI/SAI (7 octets) or LAI (5), hex */
    int event_type_bcsm;  /* InitialDP, EventReportBCSM; RequestReportBCSMEvent: the first */
    char bcsm_events[96]; /* RequestReportBCSMEvent: every armed event, comma separated */
    int event_type_sms;   /* InitialDPSMS, EventReportSMS */
    int gprs_event_type;  /* InitialDPGPRS, EventReportGPRS */
    int release_cause;    /* ReleaseCall: the Q.850 cause value */
    int max_call_period_duration; /* ApplyCharging: timeDurationCharging, in 100 ms */
} ssgw_cap_fields;

/* Clears f: all strings empty, all integers -1. */
void ssgw_cap_fields_init(ssgw_cap_fields *f);

/*
 * Decodes the argument of opcode in the shape of CAMEL phase `phase` (1..4;
 * 0 when the dialogue did not say: the latest); param/len is the parameter's
 * whole BER TLV (NULL/0 when none). Returns 0 (out holds what the operation
 * carries; nothing for operations this table does not decode) or -1 with
 * err: layer CAP, the ASN.1 element as field, the offset relative to param.
 * Fields already set in out are kept (first value wins: several components of
 * one message accumulate). Results carry nothing a policy reads.
 */
int ssgw_cap_decode(int opcode, int phase, const uint8_t *param, size_t len, ssgw_cap_fields *out,
                    ssgw_error *err);

/* True when ssgw_cap_decode() extracts fields from this operation's argument. */
bool ssgw_cap_decodes(int opcode);

/*
 * Encodes the argument of opcode in the shape of phase `phase` (0: the latest)
 * from in, mandatory elements without a value getting plausible defaults;
 * appends one TLV to out. Returns 0, or -1 when the operation has no encoder,
 * a mandatory value is missing (e.g. no service key for InitialDP) or out
 * overflowed.
 */
int ssgw_cap_encode(int opcode, int phase, const ssgw_cap_fields *in, ssgw_buf *out);

/* ------------------------------------------------------------------ */
/* Field names for JSON output (docs/fields.md, "CAP parameters") */

typedef enum {
    SSGW_CAP_F_SERVICE_KEY,
    SSGW_CAP_F_IMSI,
    SSGW_CAP_F_MSISDN,
    SSGW_CAP_F_CALLING_PARTY_NUMBER,
    SSGW_CAP_F_CALLED_PARTY_NUMBER,
    SSGW_CAP_F_CALLED_PARTY_BCD_NUMBER,
    SSGW_CAP_F_LOCATION_NUMBER,
    SSGW_CAP_F_MSC_ADDRESS,
    SSGW_CAP_F_GMSC_ADDRESS,
    SSGW_CAP_F_VLR_NUMBER,
    SSGW_CAP_F_SMSC_ADDRESS,
    SSGW_CAP_F_SGSN_NUMBER,
    SSGW_CAP_F_GSMSCF_ADDRESS,
    SSGW_CAP_F_DESTINATION_ROUTING_ADDRESS,
    SSGW_CAP_F_CELL_ID,
    SSGW_CAP_F_EVENT_TYPE_BCSM,
    SSGW_CAP_F_EVENT_TYPE_BCSM_NAME,
    SSGW_CAP_F_BCSM_EVENTS,
    SSGW_CAP_F_EVENT_TYPE_SMS,
    SSGW_CAP_F_EVENT_TYPE_SMS_NAME,
    SSGW_CAP_F_GPRS_EVENT_TYPE,
    SSGW_CAP_F_GPRS_EVENT_TYPE_NAME,
    SSGW_CAP_F_RELEASE_CAUSE,
    SSGW_CAP_F_MAX_CALL_PERIOD_DURATION,
    SSGW_CAP_F_COUNT
} ssgw_cap_field;

/* JSON key, e.g. "service_key". Never NULL ("unknown" out of range). */
const char *ssgw_cap_field_name(ssgw_cap_field f);
/* The Wireshark display filter carrying the same value, or NULL when none. */
const char *ssgw_cap_field_wireshark(ssgw_cap_field f);
/* The field's value as text, or NULL when absent; tmp (>= 24 bytes) holds numbers. */
const char *ssgw_cap_field_get(const ssgw_cap_fields *c, ssgw_cap_field f, char *tmp,
                               size_t tmpcap);
/* True for the fields written as JSON numbers (service key, event types, cause, ...). */
bool ssgw_cap_field_is_int(ssgw_cap_field f);

#endif
