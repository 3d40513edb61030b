/*
 * ansi_tcap.h - ANSI TCAP (ATIS T1.114) and the ANSI-41 operations it carries.
 *
 * ANSI TCAP reaches ITU networks through STPs that interwork with North
 * American carriers and through probes on such links. Its package types are
 * PRIVATE-class tags (Query, Response, Conversation, Unidirectional, Abort),
 * so its first octet tells it apart from ITU TCAP (APPLICATION class). The
 * decoder recognises every package type, the transaction ids (originating and
 * responding, T1.114 3.2.1: 4 octets each), the dialogue portion, the P-Abort
 * cause and every component with its component ids, national or private
 * operation code (family and specifier) and error code, so that a policy and
 * the records name what it is instead of calling it a malformed ITU message.
 * ANSI-41 (TIA/EIA-41, "IS-41 MAP") operations are private operation codes of
 * family 9; their names are a table (src/wire/ansi41_ops.def), as Wireshark's
 * ansi_map dissector names them. Views point into the caller's buffer.
 */
#ifndef SSGW_ANSI_TCAP_H
#define SSGW_ANSI_TCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"

/* Package types: the PRIVATE tag numbers of PackageType (T1.114 3.1). */
typedef enum {
    SSGW_ANSI_TCAP_UNIDIRECTIONAL = 1,
    SSGW_ANSI_TCAP_QUERY_WITH_PERM = 2,
    SSGW_ANSI_TCAP_QUERY_WITHOUT_PERM = 3,
    SSGW_ANSI_TCAP_RESPONSE = 4,
    SSGW_ANSI_TCAP_CONVERSATION_WITH_PERM = 5,
    SSGW_ANSI_TCAP_CONVERSATION_WITHOUT_PERM = 6,
    SSGW_ANSI_TCAP_ABORT = 22,
} ssgw_ansi_tcap_pkg;

/* "unidirectional", "queryWithPerm", ..., "abort" (the ASN.1 names); "unknown". */
const char *ssgw_ansi_tcap_pkg_name(int type);
/* True when the first octet of SCCP user data starts an ANSI TCAP package. */
bool ssgw_ansi_tcap_is_package(uint8_t first_octet);

/* Component types: the PRIVATE tag numbers of ComponentPDU. */
typedef enum {
    SSGW_ANSI_COMP_INVOKE_LAST = 9,
    SSGW_ANSI_COMP_RETURN_RESULT_LAST = 10,
    SSGW_ANSI_COMP_RETURN_ERROR = 11,
    SSGW_ANSI_COMP_REJECT = 12,
    SSGW_ANSI_COMP_INVOKE_NOT_LAST = 13,
    SSGW_ANSI_COMP_RETURN_RESULT_NOT_LAST = 14,
} ssgw_ansi_comp_type;

/* "invokeLast", "returnResultLast", ...; "unknown". */
const char *ssgw_ansi_comp_type_name(int type);

/* Operation and error codes: CHOICE { national [PRIVATE 16/19], private [PRIVATE 17/20] }. */
typedef enum {
    SSGW_ANSI_CODE_NONE = 0,
    SSGW_ANSI_CODE_NATIONAL,
    SSGW_ANSI_CODE_PRIVATE,
} ssgw_ansi_code_kind;

/* "none", "national", "private". */
const char *ssgw_ansi_code_kind_name(int kind);

typedef struct {
    ssgw_ansi_comp_type type;
    uint8_t n_ids; /* componentIDs: 0, 1 (invoke or correlation id) or 2 (invoke, correlation) */
    uint8_t ids[2];
    ssgw_ansi_code_kind op_kind;    /* invoke */
    uint32_t op_code;               /* the code's value; for a two-octet code: family << 8 | spec */
    uint8_t op_family;              /* bits 7-1 of the first octet (bit 8: reply required) */
    uint8_t op_specifier;           /* the second octet */
    bool reply_required;            /* national codes: bit H */
    ssgw_ansi_code_kind error_kind; /* returnError */
    uint32_t error_code;
    int32_t reject_problem; /* reject: Problem (257 general-unrecognisedComponentType ...) */
    bool param_present;
    const uint8_t *param_tlv; /* the whole parameter TLV (paramSequence / paramSet) */
    size_t param_tlv_len;
} ssgw_ansi_tcap_component;

typedef struct {
    ssgw_ansi_tcap_pkg type;
    const uint8_t *tid; /* TransactionID contents: 0 (unidirectional), 4 or 8 octets */
    size_t tid_len;
    bool has_otid, has_rtid; /* originating / responding transaction id */
    uint8_t otid[4], rtid[4];
    bool dialogue_present;
    bool has_version;
    uint8_t version;
    bool has_app_context; /* integer application context */
    int32_t app_context;
    const uint8_t *app_context_oid; /* object application context (OID contents) */
    size_t app_context_oid_len;
    bool pabort_present;
    int32_t pabort_cause;
    bool uabort_present; /* user abort information */
    bool components_present;
    const uint8_t *components; /* contents of the component sequence */
    size_t components_len;
    unsigned component_count;
} ssgw_ansi_tcap_msg;

/* "unrecognizedPackageType", ...; "unknown". */
const char *ssgw_ansi_tcap_pabort_name(int cause);

/*
 * Decodes the ANSI TCAP package that fills buf, storing up to max components
 * in comps (*n of them; *truncated when there were more). Returns 0, or -1
 * with err (layer ANSI_TCAP, the element, the offset in buf).
 */
int ssgw_ansi_tcap_decode(const uint8_t *buf, size_t len, ssgw_ansi_tcap_msg *out,
                          ssgw_ansi_tcap_component *comps, unsigned max, unsigned *n,
                          bool *truncated, ssgw_error *err);

/*
 * Appends a package: m->type, the transaction ids its type carries (has_otid
 * / has_rtid with their octets), the P-Abort cause of an abort, the ncomp
 * components (type, ids, op code as kind + op_family/op_specifier or op_code,
 * error code, reject problem, param_tlv written as is). Returns 0, or -1 when
 * m is inconsistent or b overflowed.
 */
int ssgw_ansi_tcap_encode(ssgw_buf *b, const ssgw_ansi_tcap_msg *m,
                          const ssgw_ansi_tcap_component *comps, size_t ncomp, ssgw_error *err);

/* ---- ANSI-41 (TIA/EIA-41) operations: private operation codes of family 9 ---- */

#define SSGW_ANSI41_FAMILY 9

/* The name of an ANSI-41 operation specifier ("Registration Notification", ...), as Wireshark's
 * ansi_map dissector shows it; NULL when not allocated. */
const char *ssgw_ansi41_op_name(int specifier);
/* Iteration over the table in specifier order. */
size_t ssgw_ansi41_op_count(void);
int ssgw_ansi41_op_at(size_t i); /* the specifier of row i, -1 past the end */

#endif
