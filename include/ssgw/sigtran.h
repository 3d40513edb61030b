/*
 * sigtran.h - the SIGTRAN framings real probes capture besides M3UA:
 *
 *   M2PA (RFC 4165)  MTP2 peer-to-peer adaptation, SCTP PPID 5 / port 3565:
 *                    User Data carries an MTP3 message (SIO, routing label, SIF)
 *                    after a priority octet; Link Status carries the link state.
 *   M2UA (RFC 3331)  MTP2 user adaptation, SCTP PPID 2 / port 2904: the M3UA
 *                    common header and parameter format; MAUP Data carries the
 *                    MTP3 message in Protocol Data 1 (or, TTC, Protocol Data 2
 *                    after a priority octet).
 *   SUA  (RFC 3868)  SCCP user adaptation, SCTP PPID 4 / port 14001: CLDT / CLDR
 *                    carry SCCP-user data (TCAP) between source and destination
 *                    addresses of their own format (global title, point code,
 *                    subsystem), which the decoder turns into SCCP party
 *                    addresses so that the view and the firewall see SCCP
 *                    parties + TCAP, as with M3UA.
 *
 * Decoders take one whole message, check the common header's length against
 * the buffer and every parameter's length, and return views into the buffer;
 * errors name the layer (M2PA, M2UA, SUA), the field and the offset. Encoders
 * exist for what the generator and the tests write.
 */
#ifndef SSGW_SIGTRAN_H
#define SSGW_SIGTRAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"
#include "ssgw/sccp.h"

#define SSGW_SCTP_PPID_M2UA 2
#define SSGW_SCTP_PPID_SUA  4
#define SSGW_SCTP_PPID_M2PA 5
#define SSGW_M2UA_PORT      2904
#define SSGW_M2PA_PORT      3565
#define SSGW_SUA_PORT       14001

/* ---- M2PA (RFC 4165) ------------------------------------------------------------------- */

#define SSGW_M2PA_VERSION 1
#define SSGW_M2PA_CLASS   11 /* RFC 4165 2.1.1: M2PA messages */
#define SSGW_M2PA_HDR_LEN 16 /* common header 8 + BSN 4 + FSN 4 */

enum { SSGW_M2PA_USER_DATA = 1, SSGW_M2PA_LINK_STATUS = 2 };

typedef struct {
    uint8_t msg_type;    /* SSGW_M2PA_* */
    uint32_t bsn, fsn;   /* 24-bit sequence numbers */
    bool has_data;       /* User Data with an MTP3 message */
    uint8_t priority;    /* User Data: the priority octet (bits 8-7 used by TTC) */
    const uint8_t *mtp3; /* the MTP3 message: SIO, routing label, SIF */
    size_t mtp3_len;
    uint32_t link_status; /* Link Status: the state */
} ssgw_m2pa_msg;

/* "user_data", "link_status"; "unknown". */
const char *ssgw_m2pa_msg_name(int type);
/* RFC 4165 3.3.1.2: "alignment", "proving_normal", ..., "out_of_service"; "unknown". */
const char *ssgw_m2pa_link_status_name(uint32_t state);

int ssgw_m2pa_decode(const uint8_t *buf, size_t len, ssgw_m2pa_msg *out, ssgw_error *err);
/* User Data with mtp3 (may be empty); Link Status when msg_type says so. Returns 0 or -1. */
int ssgw_m2pa_encode(ssgw_buf *b, const ssgw_m2pa_msg *m);

/* ---- M2UA (RFC 3331) ------------------------------------------------------------------- */

enum { SSGW_M2UA_CLASS_MAUP = 6, SSGW_M2UA_CLASS_IIM = 10 };
enum { SSGW_M2UA_MAUP_DATA = 1 };
enum {
    SSGW_M2UA_TAG_IID_INT = 0x0001,
    SSGW_M2UA_TAG_IID_TEXT = 0x0003,
    SSGW_M2UA_TAG_PROTOCOL_DATA_1 = 0x0300,
    SSGW_M2UA_TAG_PROTOCOL_DATA_2 = 0x0301,
    SSGW_M2UA_TAG_CORRELATION_ID = 0x0013,
};

typedef struct {
    uint8_t msg_class, msg_type;
    bool has_iid; /* Interface Identifier (integer) */
    uint32_t iid;
    const char *iid_text; /* Interface Identifier (text), not NUL-terminated */
    size_t iid_text_len;
    bool has_data; /* MAUP Data with an MTP3 message */
    bool ttc;      /* Protocol Data 2: a priority octet came first */
    const uint8_t *mtp3;
    size_t mtp3_len;
    bool has_correlation;
    uint32_t correlation;
} ssgw_m2ua_msg;

/* "DATA", "ESTABLISH_REQUEST", ...; the common classes as M3UA names them ("ASPUP"). */
const char *ssgw_m2ua_msg_name(uint8_t msg_class, uint8_t msg_type);

int ssgw_m2ua_decode(const uint8_t *buf, size_t len, ssgw_m2ua_msg *out, ssgw_error *err);
/* MAUP Data: Interface Identifier (integer) iid, Protocol Data 1 = mtp3. Returns 0 or -1. */
int ssgw_m2ua_encode_data(ssgw_buf *b, uint32_t iid, const uint8_t *mtp3, size_t len);

/* ---- SUA (RFC 3868) -------------------------------------------------------------------- */

enum { SSGW_SUA_CLASS_CL = 7, SSGW_SUA_CLASS_CO = 8 };
enum { SSGW_SUA_CLDT = 1, SSGW_SUA_CLDR = 2 };
enum {
    SSGW_SUA_TAG_ROUTING_CONTEXT = 0x0006,
    SSGW_SUA_TAG_CORRELATION_ID = 0x0013,
    SSGW_SUA_TAG_HOP_COUNT = 0x0101,
    SSGW_SUA_TAG_SOURCE_ADDRESS = 0x0102,
    SSGW_SUA_TAG_DESTINATION_ADDRESS = 0x0103,
    SSGW_SUA_TAG_SCCP_CAUSE = 0x0106,
    SSGW_SUA_TAG_DATA = 0x010b,
    SSGW_SUA_TAG_IMPORTANCE = 0x0113,
    SSGW_SUA_TAG_MESSAGE_PRIORITY = 0x0114,
    SSGW_SUA_TAG_PROTOCOL_CLASS = 0x0115,
    SSGW_SUA_TAG_SEQUENCE_CONTROL = 0x0116,
    SSGW_SUA_TAG_SEGMENTATION = 0x0117,
    /* address sub-parameters (3.10.2) */
    SSGW_SUA_TAG_GLOBAL_TITLE = 0x8001,
    SSGW_SUA_TAG_POINT_CODE = 0x8002,
    SSGW_SUA_TAG_SSN = 0x8003,
};

/* Routing indicator of a SUA address (3.10.2). */
enum {
    SSGW_SUA_RI_GT = 1,
    SSGW_SUA_RI_SSN_PC = 2,
    SSGW_SUA_RI_HOSTNAME = 3,
    SSGW_SUA_RI_SSN_IP = 4
};

typedef struct {
    uint8_t msg_class, msg_type;
    bool has_routing_context;
    uint32_t routing_context;
    bool has_protocol_class;
    uint8_t protocol_class; /* 0..3 */
    bool return_on_error;
    uint32_t sequence_control;
    bool has_hop_count;
    uint8_t hop_count;
    bool has_cause; /* CLDR: SCCP cause */
    uint8_t cause_type, cause_value;
    uint16_t src_ri, dst_ri; /* routing indicators as sent */
    bool has_src, has_dst;
    ssgw_sccp_addr src, dst; /* source = calling party, destination = called party */
    bool has_segmentation;
    ssgw_sccp_segmentation seg; /* first, remaining, reference (class not carried: 0) */
    bool has_importance;
    uint8_t importance;
    const uint8_t *data; /* Data: the SCCP user data (TCAP) */
    size_t data_len;
    bool has_data;
} ssgw_sua_msg;

/* "CLDT", "CLDR", "CORE", ...; the common classes as M3UA names them ("DUNA", "ASPUP"). */
const char *ssgw_sua_msg_name(uint8_t msg_class, uint8_t msg_type);

/*
 * Decodes one SUA message. CLDT/CLDR addresses become SCCP party addresses:
 * route on GT (ri 1) or SSN (others), GTI, translation type, numbering plan,
 * nature of address and BCD digits from the Global Title sub-parameter, the
 * SSN, and the point code when it fits 14 bits.
 */
int ssgw_sua_decode(const uint8_t *buf, size_t len, ssgw_sua_msg *out, ssgw_error *err);

/* Appends a CLDT with routing context (when has_routing_context), protocol class,
 * source and destination (GT + SSN, or PC + SSN), sequence control, hop count
 * (when has_hop_count), segmentation (when has_segmentation) and data. Returns 0,
 * or -1 on a bad address or overflow. */
int ssgw_sua_encode_cldt(ssgw_buf *b, const ssgw_sua_msg *m);

#endif
