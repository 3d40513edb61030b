/*
 * tcap.h - ITU-T TCAP codec (Q.773): transaction portion, dialogue portion, components.
 *
 * Decoding: ssgw_tcap_decode() parses one TC message (Unidirectional, Begin, End,
 * Continue, Abort) into an ssgw_tcap_msg view that points into the caller's buffer. It
 * enforces the elements each message type must and must not carry (Q.773 clause 4,
 * tables 8-11), decodes the dialogue portion (Q.773 clause 4.2.2 / DialoguePDUs and
 * UnidialoguePDUs), and validates every component once, so that the component iterator
 * (ssgw_tcap_comp_iter_*) can walk them later without allocation. Definite and
 * indefinite BER lengths are accepted everywhere; every element's position in the
 * original buffer is recorded (ssgw_tcap_span), so a caller can locate and remove an
 * element byte-exactly.
 *
 * Encoding: ssgw_tcap_encode() writes a message with definite lengths from the same view
 * structures, so decode(encode(x)) == x and encode(decode(canonical)) == canonical.
 *
 * Errors: layer SSGW_LAYER_TCAP, the field names the TCAP element ("otid", "dialogue
 * portion", "invoke id", ...), offsets are relative to the buffer passed in.
 */
#ifndef SSGW_TCAP_H
#define SSGW_TCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/ber.h"
#include "ssgw/buf.h"
#include "ssgw/error.h"

/* Room for a dotted application-context name ("0.4.0.0.1.0.1.3" and much longer). */
#define SSGW_TCAP_OID_STR_MAX 96

/* Message types; the values are the [APPLICATION n] tag numbers. */
typedef enum {
    SSGW_TCAP_UNIDIRECTIONAL = 1,
    SSGW_TCAP_BEGIN = 2,
    SSGW_TCAP_END = 4,
    SSGW_TCAP_CONTINUE = 5,
    SSGW_TCAP_ABORT = 7,
} ssgw_tcap_msg_type;

/* "begin", "continue", "end", "abort", "unidirectional"; "unknown" otherwise. */
const char *ssgw_tcap_msg_type_name(ssgw_tcap_msg_type t);

/* P-AbortCause ::= [APPLICATION 10] IMPLICIT INTEGER (Q.773 table 11). */
typedef enum {
    SSGW_TCAP_PABORT_UNRECOGNIZED_MESSAGE_TYPE = 0,
    SSGW_TCAP_PABORT_UNRECOGNIZED_TRANSACTION_ID = 1,
    SSGW_TCAP_PABORT_BADLY_FORMATTED_TRANSACTION_PORTION = 2,
    SSGW_TCAP_PABORT_INCORRECT_TRANSACTION_PORTION = 3,
    SSGW_TCAP_PABORT_RESOURCE_LIMITATION = 4,
} ssgw_tcap_pabort_cause;

/* "unrecognizedMessageType", ... (ASN.1 names); "unknown" for other values. */
const char *ssgw_tcap_pabort_cause_name(int cause);

/* Where an element lies in the buffer given to the decoder. */
typedef struct {
    size_t off;     /* first identifier octet */
    size_t len;     /* whole TLV, including end-of-contents octets when indefinite */
    size_t hdr_len; /* identifier + length octets */
    bool indefinite;
} ssgw_tcap_span;

/* OrigTransactionID [APPLICATION 8] / DestTransactionID [APPLICATION 9]: 1..4 octets. */
typedef struct {
    bool present;
    uint8_t len;      /* 1..4 */
    uint8_t bytes[4]; /* as on the wire */
    uint32_t value;   /* bytes read big-endian */
    ssgw_tcap_span span;
} ssgw_tcap_tid;

/* Sets present, len, bytes (big-endian, the low `len` octets of v) and value. len 1..4. */
void ssgw_tcap_tid_set(ssgw_tcap_tid *t, uint32_t v, unsigned len);

/* ---- dialogue portion ---- */

typedef enum {
    SSGW_TCAP_DLG_NONE = 0,
    SSGW_TCAP_DLG_AARQ,  /* dialogue-as-id, [APPLICATION 0] */
    SSGW_TCAP_DLG_AARE,  /* dialogue-as-id, [APPLICATION 1] */
    SSGW_TCAP_DLG_ABRT,  /* dialogue-as-id, [APPLICATION 4] */
    SSGW_TCAP_DLG_AUDT,  /* unidialogue-as-id, [APPLICATION 0] */
    SSGW_TCAP_DLG_OTHER, /* an EXTERNAL under OpenSSGW's security-token syntax
                            (docs/wire-format.md): no dialogue APDU; other_oid holds its direct
                            reference */
} ssgw_tcap_dialogue_type;

/*
 * The one abstract syntax besides dialogue-as-id and unidialogue-as-id that a
 * dialogue portion may name: OpenSSGW's security token when it fills a dialogue
 * portion of its own (docs/wire-format.md; ITU-T X.667 UUID arc, then the token
 * version: 2, written by signers; 1, recognised so that verifiers can refuse it by
 * name). It is part of the TCAP wire format the project defines, so the decoder
 * knows it here; the trust layer (include/ssgw/token.h) gives it meaning.
 */
#define SSGW_TCAP_TOKEN_UUID    "c8c8c715-80a7-499f-bcdb-97bc6ca7159e"
#define SSGW_TCAP_TOKEN_OID     "2.25.266888096431808999136834972896771642782.2"
#define SSGW_TCAP_TOKEN_OID_V1  "2.25.266888096431808999136834972896771642782.1"
#define SSGW_TCAP_TOKEN_VERSION 2
/* Its contents octets (X.690 8.19), for comparing a decoded OID without converting the
 * text on every message; tests/unit/test_ber.c checks both against an independent encoding.
 * The versions differ only in the last octet (the version arc). */
#define SSGW_TCAP_TOKEN_OID_OCTETS                                                                 \
    {                                                                                              \
        0x69, 0x83, 0x91, 0xc8, 0xe3, 0xc5, 0xb0, 0x8a, 0xba, 0xa6, 0xbf, 0xbc, 0xed, 0xe5, 0xf7,  \
            0xc6, 0xe5, 0x9c, 0xab, 0x1e, SSGW_TCAP_TOKEN_VERSION                                  \
    }

/* The token version an OID's contents octets name: 1 or 2, 0 when not the token's. */
unsigned ssgw_tcap_token_oid_version(const uint8_t *oid, size_t len);

/* "none", "aarq", "aare", "abrt", "audt", "other". */
const char *ssgw_tcap_dialogue_type_name(ssgw_tcap_dialogue_type t);

typedef enum {
    SSGW_TCAP_RESULT_ACCEPTED = 0,
    SSGW_TCAP_RESULT_REJECT_PERMANENT = 1
} ssgw_tcap_result;
const char *ssgw_tcap_result_name(int result); /* "accepted", "reject-permanent" */

typedef enum {
    SSGW_TCAP_DIAG_NONE = 0,
    SSGW_TCAP_DIAG_SERVICE_USER = 1,     /* dialogue-service-user [1] */
    SSGW_TCAP_DIAG_SERVICE_PROVIDER = 2, /* dialogue-service-provider [2] */
} ssgw_tcap_diag_source;
/* "none", "dialogue-service-user", "dialogue-service-provider". */
const char *ssgw_tcap_diag_source_name(ssgw_tcap_diag_source s);
/* "null", "no-reason-given", "application-context-name-not-supported" (user) /
 * "no-common-dialogue-portion" (provider); "unknown" otherwise. */
const char *ssgw_tcap_diag_name(ssgw_tcap_diag_source s, int value);

typedef enum {
    SSGW_TCAP_ABORT_SOURCE_USER = 0,     /* dialogue-service-user */
    SSGW_TCAP_ABORT_SOURCE_PROVIDER = 1, /* dialogue-service-provider */
} ssgw_tcap_abort_source;
const char *ssgw_tcap_abort_source_name(int s); /* "dialogue-service-user", ... */

/*
 * The dialogue portion: [APPLICATION 11] { EXTERNAL { direct-reference OID,
 * single-ASN1-type [0] { dialogue PDU } } }. Pointers point into the decoded buffer.
 * For encoding, fill type and the fields that type uses; spans and acn_str are ignored.
 */
typedef struct {
    ssgw_tcap_dialogue_type type;
    ssgw_tcap_span portion; /* the [APPLICATION 11] TLV */
    ssgw_tcap_span pdu;     /* the AARQ/AARE/ABRT/AUDT TLV */

    /* protocol-version [0] IMPLICIT BIT STRING (AARQ, AARE, AUDT): the two contents
     * octets as received; version1 is {0x07, 0x80}. */
    bool protocol_version_present;
    uint8_t protocol_version[2];

    /* application-context-name [1] OBJECT IDENTIFIER (AARQ, AARE, AUDT). */
    const uint8_t *acn; /* OID contents octets */
    size_t acn_len;
    char acn_str[SSGW_TCAP_OID_STR_MAX]; /* dotted, e.g. "0.4.0.0.1.0.1.3" */

    /* AARE only: result [2] and result-source-diagnostic [3]. */
    int result;                        /* ssgw_tcap_result */
    ssgw_tcap_diag_source diag_source; /* which CHOICE */
    int diag_value;

    /* ABRT only: abort-source [0]. */
    int abort_source; /* ssgw_tcap_abort_source */

    /* user-information [30] IMPLICIT SEQUENCE OF EXTERNAL (any type): its contents, raw. */
    bool user_info_present;
    const uint8_t *user_info;
    size_t user_info_len;
    ssgw_tcap_span user_info_span;
    /* SSGW_TCAP_DLG_OTHER only: the EXTERNAL's direct-reference OID contents. */
    const uint8_t *other_oid;
    size_t other_oid_len;
} ssgw_tcap_dialogue;

/* Dotted object identifiers of the two TCAP abstract syntaxes (Q.773 4.2.2). */
#define SSGW_TCAP_DIALOGUE_AS_ID    "0.0.17.773.1.1.1"
#define SSGW_TCAP_UNIDIALOGUE_AS_ID "0.0.17.773.1.2.1"

/*
 * Decodes one dialogue portion TLV ([APPLICATION 11]) at the start of buf; len must be
 * exactly that TLV. Spans are relative to buf. Returns 0 or -1 (err set, layer TCAP).
 */
int ssgw_tcap_decode_dialogue(const uint8_t *buf, size_t len, ssgw_tcap_dialogue *out,
                              ssgw_error *err);

/* Appends a dialogue portion TLV for d (definite lengths). Returns 0, or -1 when d is
 * inconsistent (unknown type, missing ACN); check b->overflow separately. */
int ssgw_tcap_encode_dialogue(ssgw_buf *b, const ssgw_tcap_dialogue *d, ssgw_error *err);

/* ---- components ---- */

/* Component types; the values are the context tag numbers. */
typedef enum {
    SSGW_TCAP_COMP_INVOKE = 1,
    SSGW_TCAP_COMP_RETURN_RESULT_LAST = 2,
    SSGW_TCAP_COMP_RETURN_ERROR = 3,
    SSGW_TCAP_COMP_REJECT = 4,
    SSGW_TCAP_COMP_RETURN_RESULT_NOT_LAST = 7,
} ssgw_tcap_comp_type;

/* "invoke", "returnResultLast", "returnError", "reject", "returnResultNotLast". */
const char *ssgw_tcap_comp_type_name(ssgw_tcap_comp_type t);

/* An operation or error code: CHOICE { localValue INTEGER, globalValue OBJECT IDENTIFIER }. */
typedef enum {
    SSGW_TCAP_CODE_NONE = 0,
    SSGW_TCAP_CODE_LOCAL,
    SSGW_TCAP_CODE_GLOBAL
} ssgw_tcap_code_kind;
const char *ssgw_tcap_code_kind_name(ssgw_tcap_code_kind k); /* "none", "local", "global" */

typedef struct {
    ssgw_tcap_code_kind kind;
    int64_t local;         /* when kind == LOCAL */
    const uint8_t *global; /* OID contents octets when kind == GLOBAL */
    size_t global_len;
} ssgw_tcap_code;

/* Reject problem CHOICE (Q.773 table 17..20). */
typedef enum {
    SSGW_TCAP_PROBLEM_GENERAL = 0,
    SSGW_TCAP_PROBLEM_INVOKE = 1,
    SSGW_TCAP_PROBLEM_RETURN_RESULT = 2,
    SSGW_TCAP_PROBLEM_RETURN_ERROR = 3,
} ssgw_tcap_problem_type;
/* "general", "invoke", "returnResult", "returnError". */
const char *ssgw_tcap_problem_type_name(ssgw_tcap_problem_type t);
/* "unrecognizedComponent", "duplicateInvokeID", ...; "unknown" otherwise. */
const char *ssgw_tcap_problem_name(ssgw_tcap_problem_type t, int64_t code);

/*
 * One component. Decoded: pointers into the buffer, spans relative to the buffer given
 * to the decoder. For encoding: type, invoke id, linked id, opcode, error, problem and
 * param_tlv are used (param_tlv is one complete TLV, copied as is; NULL/0 for none).
 *
 *   invoke:         invoke_id, [linked_id], opcode, [param]
 *   returnResult*:  invoke_id, [opcode (kind != NONE) and [param]]
 *   returnError:    invoke_id, error, [param]
 *   reject:         invoke_id or not (NULL), problem_type, problem_code
 */
typedef struct {
    ssgw_tcap_comp_type type;
    ssgw_tcap_span span; /* the whole component TLV */

    bool invoke_id_present; /* false only for a Reject with NULL invoke id */
    int invoke_id;          /* -128..127 */
    bool linked_id_present;
    int linked_id;

    ssgw_tcap_code opcode; /* invoke; returnResult when the result SEQUENCE is present */
    ssgw_tcap_code error;  /* returnError */

    ssgw_tcap_problem_type problem_type; /* reject */
    int64_t problem_code;

    bool param_present;
    const uint8_t *param_tlv; /* the parameter's whole TLV, for the MAP decoder */
    size_t param_tlv_len;
    const uint8_t *param; /* the parameter's contents octets */
    size_t param_len;
    ssgw_tcap_span param_span;
} ssgw_tcap_component;

/* Decodes one component TLV at the start of buf (len = exactly that TLV); spans are
 * relative to buf. Returns 0 or -1. */
int ssgw_tcap_decode_component(const uint8_t *buf, size_t len, ssgw_tcap_component *out,
                               ssgw_error *err);

/* Appends one component TLV. Returns 0 or -1 for an inconsistent component (unknown type,
 * invoke id out of range, missing opcode/error, bad parameter TLV). */
int ssgw_tcap_encode_component(ssgw_buf *b, const ssgw_tcap_component *c, ssgw_error *err);

/* ---- messages ---- */

typedef struct {
    ssgw_tcap_msg_type type;
    const uint8_t *buf;  /* the buffer given to the decoder (spans are relative to it) */
    ssgw_tcap_span span; /* the whole message TLV */
    ssgw_tcap_tid otid;
    ssgw_tcap_tid dtid;

    bool pabort_present; /* Abort: P-AbortCause [APPLICATION 10] */
    int pabort_cause;
    ssgw_tcap_span pabort_span;

    bool dialogue_present; /* dialogue portion; in an Abort it is the u-abortCause */
    ssgw_tcap_dialogue dialogue;

    bool components_present; /* component portion [APPLICATION 12] */
    ssgw_tcap_span components_span;
    const uint8_t *components; /* its contents octets */
    size_t components_len;
    unsigned component_count;
} ssgw_tcap_msg;

/* Elements of the transaction portion, as bits for ssgw_tcap_msg_rule. */
enum {
    SSGW_TCAP_EL_OTID = 1u << 0,
    SSGW_TCAP_EL_DTID = 1u << 1,
    SSGW_TCAP_EL_PABORT = 1u << 2,
    SSGW_TCAP_EL_DIALOGUE = 1u << 3,
    SSGW_TCAP_EL_COMPONENTS = 1u << 4,
};

/* What each message type must and may carry (Q.773 tables 8-11), and which dialogue PDUs
 * its dialogue portion may hold (bit 1u << ssgw_tcap_dialogue_type; Q.774 3.2). */
typedef struct {
    ssgw_tcap_msg_type type;
    unsigned mandatory; /* SSGW_TCAP_EL_* */
    unsigned allowed;   /* SSGW_TCAP_EL_*, includes mandatory */
    unsigned dialogues; /* 1u << SSGW_TCAP_DLG_* */
} ssgw_tcap_msg_rule;

/* The rule for t, or NULL when t is not a TC message type. */
const ssgw_tcap_msg_rule *ssgw_tcap_msg_rule_for(ssgw_tcap_msg_type t);

/*
 * Decodes the TC message that fills buf exactly (trailing bytes are an error). On success
 * every component has been validated. Returns 0, or -1 with err (layer TCAP, the field,
 * the offset in buf).
 */
int ssgw_tcap_decode(const uint8_t *buf, size_t len, ssgw_tcap_msg *out, ssgw_error *err);

/*
 * ssgw_tcap_decode() that also keeps the components it validates: up to max of
 * them are stored in comps (*n says how many; *truncated when there were more,
 * all of them validated still). One pass, for the inspection pipeline.
 */
int ssgw_tcap_decode_all(const uint8_t *buf, size_t len, ssgw_tcap_msg *out,
                         ssgw_tcap_component *comps, unsigned max, unsigned *n, bool *truncated,
                         ssgw_error *err);

/* Iterates the components of a decoded message; nothing is allocated. */
typedef struct {
    const uint8_t *buf; /* contents of the component portion */
    size_t len;
    size_t pos;
    size_t base; /* offset of buf in the message buffer */
} ssgw_tcap_comp_iter;

void ssgw_tcap_comp_iter_init(ssgw_tcap_comp_iter *it, const ssgw_tcap_msg *m);
/* 1: *c holds the next component (spans relative to the message buffer); 0: no more;
 * -1: malformed (cannot happen after a successful ssgw_tcap_decode). */
int ssgw_tcap_comp_next(ssgw_tcap_comp_iter *it, ssgw_tcap_component *c, ssgw_error *err);

/*
 * Appends message m with definite lengths. Uses m->type, otid, dtid (bytes + len),
 * pabort_present/pabort_cause, dialogue_present/dialogue and the ncomp components (a
 * component portion is written when ncomp > 0). Spans, buf, components and
 * component_count are ignored. Returns 0, or -1 with err when m breaks the rules for its
 * type (e.g. a Begin without otid) or b overflowed (SSGW_E_TOO_BIG).
 */
int ssgw_tcap_encode(ssgw_buf *b, const ssgw_tcap_msg *m, const ssgw_tcap_component *comps,
                     size_t ncomp, ssgw_error *err);

#endif
