/*
 * m3ua.h - M3UA codec (RFC 4666): common header, parameters, messages, framing.
 *
 * Decoding: ssgw_m3ua_decode() checks one complete message (RFC 4666 3.1 common
 * header, 3.2 parameter format) against the table of mandatory and optional
 * parameters of its message type (3.3-3.8, see ssgw_m3ua_msg_spec_find()) and
 * fills an ssgw_m3ua_msg view whose pointers refer into the caller's buffer;
 * the buffer must outlive the view. Nothing is allocated. Any parameter not
 * summarised in the view can be reached with the raw parameter iterator.
 *
 * Strictness (documented choices):
 *  - the message length field must equal the buffer length (use
 *    ssgw_m3ua_frame_len() to split a byte stream first);
 *  - every parameter must be padded to 4 octets, the last one included: RFC
 *    4666 3.1 says the message length MUST include the padding and 3.2 says a
 *    parameter's total length MUST be a multiple of 4. A message whose last
 *    parameter is unpadded is therefore refused ("parameter padding"). The
 *    value of padding octets is ignored as 3.2 requires;
 *  - a parameter that may occur once and occurs twice is refused (duplicate);
 *  - a parameter that is unknown or not allowed in the message type is not an
 *    error: it is counted in `n_unexpected` (first one in unexpected_tag /
 *    unexpected_offset) so the caller can answer ERR "Unexpected Parameter"
 *    (0x13) or let it pass; it is not summarised in the view;
 *  - conditional parameters (e.g. Routing Context in DATA) are optional here:
 *    whether they are required depends on configuration, not on the bytes.
 *
 * Encoding: ssgw_m3ua_begin()/ssgw_m3ua_put_param()/ssgw_m3ua_end() build any
 * message (padding and the length are written for the caller); convenience
 * encoders cover the messages the gateway and the simulator emit.
 */
#ifndef SSGW_M3UA_H
#define SSGW_M3UA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"

#define SSGW_M3UA_VERSION   1
#define SSGW_M3UA_HDR_LEN   8
#define SSGW_M3UA_PARAM_HDR 4
/* Default cap for ssgw_m3ua_frame_len(): a 64 KiB payload plus header margin. */
#define SSGW_M3UA_MAX_MSG_DEFAULT (65536 + 1024)
/* Largest value a parameter can carry (16-bit length includes the 4-byte header). */
#define SSGW_M3UA_MAX_PARAM_VALUE (65535 - 4)

/* Message classes (RFC 4666 3.1.2). */
enum {
    SSGW_M3UA_CLASS_MGMT = 0,
    SSGW_M3UA_CLASS_TRANSFER = 1,
    SSGW_M3UA_CLASS_SSNM = 2,
    SSGW_M3UA_CLASS_ASPSM = 3,
    SSGW_M3UA_CLASS_ASPTM = 4,
    SSGW_M3UA_CLASS_RKM = 9
};

/* Message types per class (RFC 4666 3.1.2). */
enum {
    SSGW_M3UA_MGMT_ERR = 0,
    SSGW_M3UA_MGMT_NTFY = 1,

    SSGW_M3UA_TRANSFER_DATA = 1,

    SSGW_M3UA_SSNM_DUNA = 1,
    SSGW_M3UA_SSNM_DAVA = 2,
    SSGW_M3UA_SSNM_DAUD = 3,
    SSGW_M3UA_SSNM_SCON = 4,
    SSGW_M3UA_SSNM_DUPU = 5,
    SSGW_M3UA_SSNM_DRST = 6,

    SSGW_M3UA_ASPSM_ASPUP = 1,
    SSGW_M3UA_ASPSM_ASPDN = 2,
    SSGW_M3UA_ASPSM_BEAT = 3,
    SSGW_M3UA_ASPSM_ASPUP_ACK = 4,
    SSGW_M3UA_ASPSM_ASPDN_ACK = 5,
    SSGW_M3UA_ASPSM_BEAT_ACK = 6,

    SSGW_M3UA_ASPTM_ASPAC = 1,
    SSGW_M3UA_ASPTM_ASPIA = 2,
    SSGW_M3UA_ASPTM_ASPAC_ACK = 3,
    SSGW_M3UA_ASPTM_ASPIA_ACK = 4,

    SSGW_M3UA_RKM_REG_REQ = 1,
    SSGW_M3UA_RKM_REG_RSP = 2,
    SSGW_M3UA_RKM_DEREG_REQ = 3,
    SSGW_M3UA_RKM_DEREG_RSP = 4
};

/* Parameter tags (RFC 4666 3.2: common 0x00xx, M3UA-specific 0x02xx). */
enum {
    SSGW_M3UA_TAG_INFO_STRING = 0x0004,
    SSGW_M3UA_TAG_ROUTING_CONTEXT = 0x0006,
    SSGW_M3UA_TAG_DIAGNOSTIC_INFO = 0x0007,
    SSGW_M3UA_TAG_HEARTBEAT_DATA = 0x0009,
    SSGW_M3UA_TAG_TRAFFIC_MODE_TYPE = 0x000b,
    SSGW_M3UA_TAG_ERROR_CODE = 0x000c,
    SSGW_M3UA_TAG_STATUS = 0x000d,
    SSGW_M3UA_TAG_ASP_IDENTIFIER = 0x0011,
    SSGW_M3UA_TAG_AFFECTED_POINT_CODE = 0x0012,
    SSGW_M3UA_TAG_CORRELATION_ID = 0x0013,
    SSGW_M3UA_TAG_NETWORK_APPEARANCE = 0x0200,
    SSGW_M3UA_TAG_USER_CAUSE = 0x0204,
    SSGW_M3UA_TAG_CONGESTION_INDICATIONS = 0x0205,
    SSGW_M3UA_TAG_CONCERNED_DESTINATION = 0x0206,
    SSGW_M3UA_TAG_ROUTING_KEY = 0x0207,
    SSGW_M3UA_TAG_REGISTRATION_RESULT = 0x0208,
    SSGW_M3UA_TAG_DEREGISTRATION_RESULT = 0x0209,
    SSGW_M3UA_TAG_LOCAL_RK_IDENTIFIER = 0x020a,
    SSGW_M3UA_TAG_DESTINATION_POINT_CODE = 0x020b,
    SSGW_M3UA_TAG_SERVICE_INDICATORS = 0x020c,
    SSGW_M3UA_TAG_ORIGINATING_PC_LIST = 0x020e,
    SSGW_M3UA_TAG_PROTOCOL_DATA = 0x0210,
    SSGW_M3UA_TAG_REGISTRATION_STATUS = 0x0212,
    SSGW_M3UA_TAG_DEREGISTRATION_STATUS = 0x0213
};

/* Error codes of the ERR message (RFC 4666 3.8.1). */
enum {
    SSGW_M3UA_ERR_INVALID_VERSION = 0x01,
    SSGW_M3UA_ERR_UNSUPPORTED_MSG_CLASS = 0x03,
    SSGW_M3UA_ERR_UNSUPPORTED_MSG_TYPE = 0x04,
    SSGW_M3UA_ERR_UNSUPPORTED_TRAFFIC_MODE = 0x05,
    SSGW_M3UA_ERR_UNEXPECTED_MESSAGE = 0x06,
    SSGW_M3UA_ERR_PROTOCOL_ERROR = 0x07,
    SSGW_M3UA_ERR_INVALID_STREAM_ID = 0x09,
    SSGW_M3UA_ERR_REFUSED_MGMT_BLOCKING = 0x0d,
    SSGW_M3UA_ERR_ASP_ID_REQUIRED = 0x0e,
    SSGW_M3UA_ERR_INVALID_ASP_ID = 0x0f,
    SSGW_M3UA_ERR_INVALID_PARAM_VALUE = 0x11,
    SSGW_M3UA_ERR_PARAM_FIELD_ERROR = 0x12,
    SSGW_M3UA_ERR_UNEXPECTED_PARAM = 0x13,
    SSGW_M3UA_ERR_DEST_STATUS_UNKNOWN = 0x14,
    SSGW_M3UA_ERR_INVALID_NA = 0x15,
    SSGW_M3UA_ERR_MISSING_PARAM = 0x16,
    SSGW_M3UA_ERR_INVALID_RC = 0x19,
    SSGW_M3UA_ERR_NO_CONFIGURED_AS = 0x1a
};

/* Status type and information of NTFY (RFC 4666 3.8.2). */
enum { SSGW_M3UA_STATUS_AS_STATE_CHANGE = 1, SSGW_M3UA_STATUS_OTHER = 2 };
enum {
    SSGW_M3UA_AS_INACTIVE = 2,
    SSGW_M3UA_AS_ACTIVE = 3,
    SSGW_M3UA_AS_PENDING = 4,
    SSGW_M3UA_OTHER_INSUFFICIENT_ASP = 1,
    SSGW_M3UA_OTHER_ALTERNATE_ASP_ACTIVE = 2,
    SSGW_M3UA_OTHER_ASP_FAILURE = 3
};

/* Traffic Mode Type (RFC 4666 3.7.1). */
enum { SSGW_M3UA_TMT_OVERRIDE = 1, SSGW_M3UA_TMT_LOADSHARE = 2, SSGW_M3UA_TMT_BROADCAST = 3 };

/* Presence of a parameter in a message type (RFC 4666 3.3-3.8). */
typedef enum {
    SSGW_M3UA_MANDATORY = 0,
    SSGW_M3UA_OPTIONAL,
    SSGW_M3UA_CONDITIONAL /* decoded as optional */
} ssgw_m3ua_presence;

typedef struct {
    uint16_t tag;
    uint8_t presence; /* ssgw_m3ua_presence */
    bool repeat;      /* may occur more than once (Routing Key, Registration Result ...) */
} ssgw_m3ua_param_rule;

typedef struct {
    uint8_t msg_class;
    uint8_t msg_type;
    const char *name; /* "DATA", "ASPUP_ACK" ... */
    const ssgw_m3ua_param_rule *params;
    size_t n_params;
} ssgw_m3ua_msg_spec;

/* The table row for a message, or NULL when class/type is not an M3UA message. */
const ssgw_m3ua_msg_spec *ssgw_m3ua_msg_spec_find(uint8_t msg_class, uint8_t msg_type);
/* All rows (for tests and tools); *n receives the count. */
const ssgw_m3ua_msg_spec *ssgw_m3ua_msg_specs(size_t *n);

/* Name tables. Message names are the RFC abbreviations ("DATA", "ASPUP_ACK");
 * every other table returns a stable lower-case name; never NULL ("unknown"). */
const char *ssgw_m3ua_msg_name(uint8_t msg_class, uint8_t msg_type);
const char *ssgw_m3ua_class_name(uint8_t msg_class);   /* "transfer", "aspsm" ... */
const char *ssgw_m3ua_param_name(uint16_t tag);        /* "routing_context" ... */
const char *ssgw_m3ua_err_code_name(uint32_t code);    /* "protocol_error" ... */
const char *ssgw_m3ua_status_type_name(uint16_t type); /* "as_state_change", "other" */
const char *ssgw_m3ua_status_info_name(uint16_t type, uint16_t info); /* "as_active" ... */
const char *ssgw_m3ua_traffic_mode_name(uint32_t tmt);    /* "override", "loadshare" ... */
const char *ssgw_m3ua_reg_status_name(uint32_t status);   /* RFC 4666 3.6.2 */
const char *ssgw_m3ua_dereg_status_name(uint32_t status); /* RFC 4666 3.6.4 */
const char *ssgw_m3ua_cause_name(uint16_t cause);         /* DUPU cause, 3.4.5 */
const char *ssgw_m3ua_user_name(uint16_t user);           /* DUPU user: "sccp", "isup" ... */

/* One raw parameter. `val` points into the message; `offset` is where its tag
 * starts, relative to the buffer given to the decoder or iterator. */
typedef struct {
    uint16_t tag;
    const uint8_t *val;
    size_t len; /* value length, without header and padding */
    size_t offset;
} ssgw_m3ua_param;

/* A list of 32-bit big-endian values inside the buffer (Routing Context,
 * Affected Point Code). Read entries with ssgw_m3ua_u32_at(). */
typedef struct {
    const uint8_t *p;
    size_t count;
} ssgw_m3ua_u32_list;

static inline uint32_t ssgw_m3ua_u32_at(const ssgw_m3ua_u32_list *l, size_t i)
{
    const uint8_t *q = l->p + 4 * i;
    return ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) | ((uint32_t)q[2] << 8) | q[3];
}
/* Affected Point Code entry (3.4.1): mask in the top octet, point code below. */
static inline uint8_t ssgw_m3ua_apc_mask(uint32_t entry)
{
    return (uint8_t)(entry >> 24);
}
static inline uint32_t ssgw_m3ua_apc_pc(uint32_t entry)
{
    return entry & 0xffffffu;
}

/* Protocol Data (RFC 4666 3.3.1): the MTP3 routing label and the user part. */
typedef struct {
    uint32_t opc;
    uint32_t dpc;
    uint8_t si;          /* service indicator, 3 = SCCP */
    uint8_t ni;          /* network indicator */
    uint8_t mp;          /* message priority */
    uint8_t sls;         /* signalling link selection */
    const uint8_t *data; /* user protocol data, e.g. the SCCP message */
    size_t data_len;
} ssgw_m3ua_protocol_data;

/* Registration Result (3.6.2) and Deregistration Result (3.6.4) contents. */
typedef struct {
    uint32_t local_rk_id;
    uint32_t status;
    uint32_t routing_context;
} ssgw_m3ua_reg_result;

typedef struct {
    uint32_t routing_context;
    uint32_t status;
} ssgw_m3ua_dereg_result;

/* Bits of ssgw_m3ua_msg.present. */
enum {
    SSGW_M3UA_HAS_NETWORK_APPEARANCE = 1u << 0,
    SSGW_M3UA_HAS_ROUTING_CONTEXT = 1u << 1,
    SSGW_M3UA_HAS_PROTOCOL_DATA = 1u << 2,
    SSGW_M3UA_HAS_CORRELATION_ID = 1u << 3,
    SSGW_M3UA_HAS_INFO_STRING = 1u << 4,
    SSGW_M3UA_HAS_AFFECTED_PC = 1u << 5,
    SSGW_M3UA_HAS_CONCERNED_DEST = 1u << 6,
    SSGW_M3UA_HAS_USER_CAUSE = 1u << 7,
    SSGW_M3UA_HAS_CONGESTION = 1u << 8,
    SSGW_M3UA_HAS_ERROR_CODE = 1u << 9,
    SSGW_M3UA_HAS_STATUS = 1u << 10,
    SSGW_M3UA_HAS_ASP_ID = 1u << 11,
    SSGW_M3UA_HAS_HEARTBEAT_DATA = 1u << 12,
    SSGW_M3UA_HAS_TRAFFIC_MODE = 1u << 13,
    SSGW_M3UA_HAS_DIAGNOSTIC = 1u << 14,
    SSGW_M3UA_HAS_REG_RESULT = 1u << 15,
    SSGW_M3UA_HAS_DEREG_RESULT = 1u << 16,
    SSGW_M3UA_HAS_ROUTING_KEY = 1u << 17
};

/* A decoded message. Fields are meaningful only when their `present` bit is set. */
typedef struct {
    const uint8_t *buf; /* the whole message */
    size_t len;
    uint8_t version;
    uint8_t msg_class;
    uint8_t msg_type;
    const ssgw_m3ua_msg_spec *spec;
    uint32_t present; /* SSGW_M3UA_HAS_* */

    uint32_t network_appearance;
    ssgw_m3ua_u32_list routing_context;
    ssgw_m3ua_protocol_data protocol_data;
    uint32_t correlation_id;
    const uint8_t *info_string; /* UTF-8, not NUL-terminated */
    size_t info_string_len;
    ssgw_m3ua_u32_list affected_pc; /* mask:8 | pc:24 entries */
    uint32_t concerned_dest;        /* 24-bit point code */
    uint16_t cause, user;           /* User/Cause (DUPU) */
    uint8_t congestion_level;
    uint32_t error_code;
    uint16_t status_type, status_info;
    uint32_t asp_id;
    const uint8_t *heartbeat_data;
    size_t heartbeat_data_len;
    uint32_t traffic_mode;
    const uint8_t *diagnostic; /* Diagnostic Information (ERR) */
    size_t diagnostic_len;
    /* Repeatable parameters: the first instance and the count; walk them all
     * with the iterator and ssgw_m3ua_reg_result_decode() etc. */
    ssgw_m3ua_param routing_key;
    size_t n_routing_key;
    ssgw_m3ua_param reg_result;
    size_t n_reg_result;
    ssgw_m3ua_param dereg_result;
    size_t n_dereg_result;

    size_t n_params;     /* all parameters in the message */
    size_t n_unexpected; /* unknown or not allowed in this message type */
    uint16_t unexpected_tag;
    size_t unexpected_offset;
} ssgw_m3ua_msg;

/* Decodes one complete message of exactly `len` bytes. Returns 0, or -1 with
 * err naming the field ("version", "message class", "message type", "message
 * length", "parameter length", "parameter padding", a parameter name for bad
 * values, missing mandatory ("missing") and duplicate parameters) and the
 * byte offset. A missing mandatory parameter is reported at offset `len`. */
int ssgw_m3ua_decode(const uint8_t *buf, size_t len, ssgw_m3ua_msg *out, ssgw_error *err);

/* Decodes a Protocol Data value (the parameter's value, without its header). */
int ssgw_m3ua_protocol_data_decode(const uint8_t *val, size_t len, ssgw_m3ua_protocol_data *out,
                                   ssgw_error *err);
/* Decodes the nested parameters of a Registration / Deregistration Result value. */
int ssgw_m3ua_reg_result_decode(const uint8_t *val, size_t len, ssgw_m3ua_reg_result *out,
                                ssgw_error *err);
int ssgw_m3ua_dereg_result_decode(const uint8_t *val, size_t len, ssgw_m3ua_dereg_result *out,
                                  ssgw_error *err);

/* Maps a decode error to the RFC 4666 3.8.1 error code an ERR answer should
 * carry: invalid version, unsupported class/type, missing parameter, parameter
 * field error, unexpected parameter (duplicate) or protocol error. */
uint32_t ssgw_m3ua_err_code_for(const ssgw_error *err);

/* Raw parameter iterator over a message's parameters or over the nested
 * parameters of a value (Routing Key, Registration Result). `base` is added to
 * reported offsets. */
typedef struct {
    const uint8_t *p;
    size_t len;
    size_t pos;
    size_t base;
} ssgw_m3ua_param_iter;

void ssgw_m3ua_param_iter_init(ssgw_m3ua_param_iter *it, const ssgw_m3ua_msg *msg);
void ssgw_m3ua_param_iter_init_raw(ssgw_m3ua_param_iter *it, const uint8_t *p, size_t len,
                                   size_t base);
/* Returns 1 with *out filled, 0 at the end, -1 on a malformed parameter. */
int ssgw_m3ua_param_next(ssgw_m3ua_param_iter *it, ssgw_m3ua_param *out, ssgw_error *err);

/* Stream framing (M3UA over TCP): how long the message starting at buf is.
 * Returns its length (>= 8, may exceed len: wait for more), 0 when fewer than 8
 * bytes are available, or -1 (err set) when the header is unusable: version
 * not 1, length < 8, or length > max_msg (0 = SSGW_M3UA_MAX_MSG_DEFAULT; this
 * is an error, never an allocation). After -1 the stream cannot be resynced. */
long ssgw_m3ua_frame_len(const uint8_t *buf, size_t len, size_t max_msg, ssgw_error *err);

/* ---- Encoding ---- */

/* Generic encoder: writes header, the parameters in order (each padded to 4
 * octets with zeros) and the length. Returns 0, or -1 when the buffer
 * overflowed or a value exceeds SSGW_M3UA_MAX_PARAM_VALUE. */
int ssgw_m3ua_encode(ssgw_buf *b, uint8_t msg_class, uint8_t msg_type,
                     const ssgw_m3ua_param *params, size_t n_params);

/* Piecewise encoding: begin returns the start position to give to end, which
 * back-patches the message length. */
size_t ssgw_m3ua_begin(ssgw_buf *b, uint8_t msg_class, uint8_t msg_type);
void ssgw_m3ua_put_param(ssgw_buf *b, uint16_t tag, const void *val, size_t len);
void ssgw_m3ua_put_u32_param(ssgw_buf *b, uint16_t tag, uint32_t v);
void ssgw_m3ua_put_u32_list_param(ssgw_buf *b, uint16_t tag, const uint32_t *v, size_t n);
int ssgw_m3ua_end(ssgw_buf *b, size_t start);

/* Writes a Protocol Data value (without the parameter header). */
void ssgw_m3ua_put_protocol_data_value(ssgw_buf *b, const ssgw_m3ua_protocol_data *pd);

/* DATA (3.3.1). Pointer options are absent when NULL / count 0. */
typedef struct {
    const uint32_t *network_appearance;
    const uint32_t *routing_context;
    size_t n_routing_context;
    ssgw_m3ua_protocol_data pd;
    const uint32_t *correlation_id;
} ssgw_m3ua_data_info;
int ssgw_m3ua_encode_data(ssgw_buf *b, const ssgw_m3ua_data_info *d);

/* ASPUP / ASPUP_ACK (3.5.1, 3.5.2); asp_id and info may be NULL. */
int ssgw_m3ua_encode_aspup(ssgw_buf *b, const uint32_t *asp_id, const char *info);
int ssgw_m3ua_encode_aspup_ack(ssgw_buf *b, const uint32_t *asp_id, const char *info);
int ssgw_m3ua_encode_aspdn(ssgw_buf *b, const char *info);
int ssgw_m3ua_encode_aspdn_ack(ssgw_buf *b, const char *info);
/* BEAT / BEAT_ACK (3.5.5, 3.5.6): BEAT_ACK echoes the BEAT's Heartbeat Data. */
int ssgw_m3ua_encode_beat(ssgw_buf *b, const uint8_t *hb, size_t hb_len);
int ssgw_m3ua_encode_beat_ack(ssgw_buf *b, const uint8_t *hb, size_t hb_len);
/* ASPAC / ASPAC_ACK (3.7.1, 3.7.2): traffic_mode 0 = absent. */
int ssgw_m3ua_encode_aspac(ssgw_buf *b, uint32_t traffic_mode, const uint32_t *rc, size_t n_rc,
                           const char *info);
int ssgw_m3ua_encode_aspac_ack(ssgw_buf *b, uint32_t traffic_mode, const uint32_t *rc, size_t n_rc,
                               const char *info);
int ssgw_m3ua_encode_aspia(ssgw_buf *b, const uint32_t *rc, size_t n_rc, const char *info);
int ssgw_m3ua_encode_aspia_ack(ssgw_buf *b, const uint32_t *rc, size_t n_rc, const char *info);

/* NTFY (3.8.2). */
typedef struct {
    uint16_t status_type, status_info;
    const uint32_t *asp_id;
    const uint32_t *routing_context;
    size_t n_routing_context;
    const char *info;
} ssgw_m3ua_ntfy_info;
int ssgw_m3ua_encode_ntfy(ssgw_buf *b, const ssgw_m3ua_ntfy_info *n);

/* ERR (3.8.1): diagnostic is typically the offending message (may be NULL). */
typedef struct {
    uint32_t error_code;
    const uint32_t *routing_context;
    size_t n_routing_context;
    const uint32_t *network_appearance;
    const uint32_t *affected_pc; /* mask:8 | pc:24 entries */
    size_t n_affected_pc;
    const uint8_t *diagnostic;
    size_t diagnostic_len;
} ssgw_m3ua_err_info;
int ssgw_m3ua_encode_err(ssgw_buf *b, const ssgw_m3ua_err_info *e);

/* SSNM messages (3.4): DUNA, DAVA, DAUD, DRST use NA, RC, APC, info; SCON adds
 * concerned destination and congestion level; DUPU adds user/cause. */
typedef struct {
    const uint32_t *network_appearance;
    const uint32_t *routing_context;
    size_t n_routing_context;
    const uint32_t *affected_pc; /* mask:8 | pc:24 entries, at least one */
    size_t n_affected_pc;
    const uint32_t *concerned_dest;  /* SCON */
    const uint8_t *congestion_level; /* SCON */
    uint16_t cause, user;            /* DUPU */
    const char *info;
} ssgw_m3ua_ssnm_info;
int ssgw_m3ua_encode_ssnm(ssgw_buf *b, uint8_t msg_type, const ssgw_m3ua_ssnm_info *s);
int ssgw_m3ua_encode_duna(ssgw_buf *b, const ssgw_m3ua_ssnm_info *s);
int ssgw_m3ua_encode_dava(ssgw_buf *b, const ssgw_m3ua_ssnm_info *s);
int ssgw_m3ua_encode_daud(ssgw_buf *b, const ssgw_m3ua_ssnm_info *s);

/* ---- Routing key management (RFC 4666 3.6) ---- */

#define SSGW_M3UA_RK_MAX_LIST 16

/* A Routing Key (3.6.1) as registered by an ASP: the first DPC with its optional
 * network appearance, service indicators and OPC list. Further DPC sets are
 * counted (n_dpc) but not kept. */
typedef struct {
    uint32_t local_rk_id;
    uint32_t routing_context; /* has_routing_context: a change of an existing key */
    bool has_routing_context;
    uint32_t traffic_mode; /* 0 = absent */
    uint32_t dpc;          /* mask:8 | pc:24 */
    size_t n_dpc;          /* DPC parameters in the key (>= 1 when decoded) */
    uint32_t network_appearance;
    bool has_network_appearance;
    uint8_t si[SSGW_M3UA_RK_MAX_LIST]; /* service indicators (none: any) */
    size_t n_si;
    uint32_t opc[SSGW_M3UA_RK_MAX_LIST]; /* mask:8 | pc:24 entries (none: any) */
    size_t n_opc;
    uint16_t unknown_tag; /* first parameter a routing key does not have (0: none) */
} ssgw_m3ua_routing_key;

/* Decodes a Routing Key value (the parameter's value). Returns 0, or -1 with err
 * naming the nested parameter: a missing Local-RK-Identifier or DPC, a bad length,
 * a duplicate, more than SSGW_M3UA_RK_MAX_LIST service indicators or OPCs.
 * out->local_rk_id is set whenever it could be read, so an answer can name the key. */
int ssgw_m3ua_routing_key_decode(const uint8_t *val, size_t len, ssgw_m3ua_routing_key *out,
                                 ssgw_error *err);
/* REG REQ (3.6.1) with n keys (traffic_mode 0, no SI/OPC lists: not written). */
int ssgw_m3ua_encode_reg_req(ssgw_buf *b, const ssgw_m3ua_routing_key *rk, size_t n);
/* REG RSP (3.6.2): one Registration Result per entry. */
int ssgw_m3ua_encode_reg_rsp(ssgw_buf *b, const ssgw_m3ua_reg_result *r, size_t n);
/* DEREG REQ (3.6.3) for n routing contexts. */
int ssgw_m3ua_encode_dereg_req(ssgw_buf *b, const uint32_t *rc, size_t n);
/* DEREG RSP (3.6.4): one Deregistration Result per entry. */
int ssgw_m3ua_encode_dereg_rsp(ssgw_buf *b, const ssgw_m3ua_dereg_result *r, size_t n);

/* Registration Status (3.6.2) and Deregistration Status (3.6.4) values. */
enum {
    SSGW_M3UA_REG_OK = 0,
    SSGW_M3UA_REG_UNKNOWN = 1,
    SSGW_M3UA_REG_INVALID_DPC = 2,
    SSGW_M3UA_REG_INVALID_NA = 3,
    SSGW_M3UA_REG_INVALID_RK = 4,
    SSGW_M3UA_REG_PERMISSION_DENIED = 5,
    SSGW_M3UA_REG_NO_UNIQUE_ROUTING = 6,
    SSGW_M3UA_REG_NOT_PROVISIONED = 7,
    SSGW_M3UA_REG_INSUFFICIENT_RESOURCES = 8,
    SSGW_M3UA_REG_UNSUPPORTED_RK_FIELD = 9,
    SSGW_M3UA_REG_INVALID_TRAFFIC_MODE = 10,
    SSGW_M3UA_REG_CHANGE_REFUSED = 11,
    SSGW_M3UA_REG_ALREADY_REGISTERED = 12
};
enum {
    SSGW_M3UA_DEREG_OK = 0,
    SSGW_M3UA_DEREG_UNKNOWN = 1,
    SSGW_M3UA_DEREG_INVALID_RC = 2,
    SSGW_M3UA_DEREG_PERMISSION_DENIED = 3,
    SSGW_M3UA_DEREG_NOT_REGISTERED = 4,
    SSGW_M3UA_DEREG_ASP_ACTIVE = 5
};

#endif
