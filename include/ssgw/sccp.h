/*
 * sccp.h - SCCP connectionless messages (ITU-T Q.713), segmentation and
 * reassembly (Q.714 4.1.1.2 / 4.1.1.3).
 *
 * Decoding: ssgw_sccp_decode() turns one SCCP message (the M3UA protocol data
 * or MTP3 SIF after the routing label) into an ssgw_sccp_msg view. Handled:
 * UDT, UDTS, XUDT, XUDTS, LUDT, LUDTS (Q.713 clause 4, tables 6-11). Every
 * pointer is checked (it must point past the pointer area, inside the message)
 * and every length before it is read. The view points into the caller's buffer
 * and is valid as long as that buffer is; nothing is allocated.
 *
 * Party addresses (Q.713 3.4) are ITU format: point code (14 bits, 2 octets,
 * least significant first), then SSN, then global title. GT digits are BCD;
 * other encoding schemes keep only the raw octets.
 *
 * LUDT/LUDTS use 2-octet pointers and a 2-octet long data length, least
 * significant octet first; a 2-octet pointer counts from its second octet
 * (as Wireshark's SCCP dissector reads it).
 *
 * Encoding: ssgw_sccp_encode() writes any of the six messages from a view
 * (decode(encode(x)) == x; encode(decode(b)) == b for canonical b: addresses
 * and data laid out in pointer order, optional parameters ordered
 * segmentation, importance, others, and a single end-of-optional octet).
 */
#ifndef SSGW_SCCP_H
#define SSGW_SCCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/digits.h"
#include "ssgw/error.h"

/* Q.713 3.4 / 4.2: largest message in one MTP3 SIF (narrowband MTP). */
#define SSGW_SCCP_MAX_MSG 272
/* Q.713 3.17 / Q.714 4.1.1.2: largest user data that segmentation may carry. */
#define SSGW_SCCP_MAX_SEGMENTED_DATA 3952
/* At most 16 segments: remaining-segments is a 4-bit count. */
#define SSGW_SCCP_MAX_SEGMENTS 16

/* Q.713 table 1: message type codes (connectionless messages only). */
typedef enum {
    SSGW_SCCP_UDT = 0x09,
    SSGW_SCCP_UDTS = 0x0a,
    SSGW_SCCP_XUDT = 0x11,
    SSGW_SCCP_XUDTS = 0x12,
    SSGW_SCCP_LUDT = 0x13,
    SSGW_SCCP_LUDTS = 0x14,
} ssgw_sccp_msg_type;

/* "udt", "udts", "xudt", "xudts", "ludt", "ludts"; "unknown" otherwise. */
const char *ssgw_sccp_msg_type_name(int type);

/* Q.713 table 2: parameter name codes (optional parameter tags). */
enum {
    SSGW_SCCP_PARAM_END = 0x00,
    SSGW_SCCP_PARAM_SEGMENTATION = 0x10,
    SSGW_SCCP_PARAM_HOP_COUNTER = 0x11,
    SSGW_SCCP_PARAM_IMPORTANCE = 0x12,
    SSGW_SCCP_PARAM_LONG_DATA = 0x13,
};

/* "end of optional parameters", "segmentation", "importance", ... ; "unknown". */
const char *ssgw_sccp_param_name(int tag);

/* Q.713 3.12 return causes (UDTS, XUDTS, LUDTS). */
typedef enum {
    SSGW_SCCP_RC_NO_TRANSLATION_NATURE = 0,
    SSGW_SCCP_RC_NO_TRANSLATION_ADDRESS = 1,
    SSGW_SCCP_RC_SUBSYSTEM_CONGESTION = 2,
    SSGW_SCCP_RC_SUBSYSTEM_FAILURE = 3,
    SSGW_SCCP_RC_UNEQUIPPED_USER = 4,
    SSGW_SCCP_RC_MTP_FAILURE = 5,
    SSGW_SCCP_RC_NETWORK_CONGESTION = 6,
    SSGW_SCCP_RC_UNQUALIFIED = 7,
    SSGW_SCCP_RC_ERROR_IN_TRANSPORT = 8,
    SSGW_SCCP_RC_ERROR_IN_LOCAL_PROCESSING = 9,
    SSGW_SCCP_RC_NO_REASSEMBLY = 10,
    SSGW_SCCP_RC_SCCP_FAILURE = 11,
    SSGW_SCCP_RC_HOP_COUNTER_VIOLATION = 12,
    SSGW_SCCP_RC_SEGMENTATION_NOT_SUPPORTED = 13,
    SSGW_SCCP_RC_SEGMENTATION_FAILURE = 14,
} ssgw_sccp_return_cause;

/* "subsystem failure", "hop counter violation", ...; "spare" for 15-255. */
const char *ssgw_sccp_return_cause_name(int cause);

/* Q.713 3.4.1 routing indicator (bit 7 of the address indicator). */
typedef enum {
    SSGW_SCCP_RI_GT = 0,  /* route on global title */
    SSGW_SCCP_RI_SSN = 1, /* route on DPC + subsystem number */
} ssgw_sccp_ri;

/* "route on gt", "route on ssn". */
const char *ssgw_sccp_ri_name(int ri);
/* Q.713 3.4.2.3.1 nature of address: "unknown", "subscriber number",
 * "reserved for national use", "national significant number",
 * "international number", "spare", "reserved for national use" (112-126). */
const char *ssgw_sccp_nai_name(int nai);
/* Q.713 3.4.2.3.3 numbering plan: "unknown", "isdn/telephony" (E.164),
 * "generic", "data" (X.121), "telex" (F.69), "maritime mobile" (E.210/E.211),
 * "land mobile" (E.212), "isdn/mobile" (E.214), "private", "spare", "reserved". */
const char *ssgw_sccp_np_name(int np);
/* Q.713 3.4.2.3.3 encoding scheme: "unknown", "bcd odd", "bcd even",
 * "national specific", "spare", "reserved". */
const char *ssgw_sccp_es_name(int es);

enum { SSGW_SCCP_ES_UNKNOWN = 0, SSGW_SCCP_ES_BCD_ODD = 1, SSGW_SCCP_ES_BCD_EVEN = 2 };
enum { SSGW_SCCP_NAI_INTERNATIONAL = 4 };
enum { SSGW_SCCP_NP_E164 = 1, SSGW_SCCP_NP_E212 = 6, SSGW_SCCP_NP_E214 = 7 };

/*
 * A party address (Q.713 3.4). As a decode result: every field is filled and
 * raw/gt_raw point into the decoded buffer. As an encoder input: fill the
 * fields; leave gt_raw NULL and set digits to have them BCD-encoded (odd/even
 * and, for GTI 3/4 with a BCD encoding scheme, es are then derived from the
 * digit count), or set gt_raw/gt_raw_len to write those octets unchanged
 * (decoded views do this, which makes re-encoding exact; to rewrite the digits
 * of a decoded address, set gt_raw to NULL first).
 */
typedef struct {
    bool national;   /* bit 8 of the address indicator (reserved for national use) */
    ssgw_sccp_ri ri; /* routing indicator */
    uint8_t gti;     /* global title indicator 0..4 */
    bool has_ssn;
    bool has_pc;
    uint16_t pc; /* 14-bit ITU signalling point code */
    uint8_t ssn;
    /* global title (GTI 1..4); fields not carried by the GTI are 0 */
    uint8_t tt;  /* translation type (GTI 2, 3, 4) */
    uint8_t np;  /* numbering plan (GTI 3, 4) */
    uint8_t es;  /* encoding scheme (GTI 3, 4) */
    uint8_t nai; /* nature of address indicator (GTI 1, 4) */
    bool odd;    /* odd number of digits (GTI 1 bit, or ES 1 for GTI 3/4) */
    /* digits of a BCD global title (GTI 1, GTI 2 read as BCD even, GTI 3/4
     * with ES 1 or 2); "" when there is no GT or the encoding is not BCD.
     * A 0xF nibble shows as '?'. */
    char digits[SSGW_DIGITS_MAX + 1];
    const uint8_t *gt_raw; /* address information octets (the digits as sent) */
    size_t gt_raw_len;
    const uint8_t *raw; /* whole address (after its length octet), decode only */
    size_t raw_len;
} ssgw_sccp_addr;

/*
 * Decodes the contents of a party address parameter (after the length octet).
 * Errors: "address indicator" (empty, GTI 5-15), "point code", "subsystem
 * number", "global title" (header truncated), "global title digits" (more than
 * SSGW_DIGITS_MAX digits: SSGW_E_TOO_BIG). Offsets are relative to buf.
 */
int ssgw_sccp_addr_decode(const uint8_t *buf, size_t len, ssgw_sccp_addr *out, ssgw_error *err);

/* The same, with error fields naming the party ("calling party point code"). */
typedef enum {
    SSGW_SCCP_PARTY_ANY,
    SSGW_SCCP_PARTY_CALLED,
    SSGW_SCCP_PARTY_CALLING
} ssgw_sccp_party;
int ssgw_sccp_party_addr_decode(const uint8_t *buf, size_t len, ssgw_sccp_party party,
                                ssgw_sccp_addr *out, ssgw_error *err);

/*
 * Appends the address contents (no length octet). Returns 0, or -1 with err
 * (SSGW_E_BAD_VALUE for GTI > 4, point code > 0x3fff, digits outside the BCD
 * alphabet; SSGW_E_TOO_BIG when b overflows).
 */
int ssgw_sccp_addr_encode(ssgw_buf *b, const ssgw_sccp_addr *a, ssgw_error *err);

/* True when ssgw_sccp_addr_encode(a) would write exactly a->raw[0..raw_len), so that a
 * decoded address can be copied instead of encoded again: false when a was not decoded
 * (raw NULL), has no gt_raw but a GT, or its octets hold bits the decoder does not keep
 * (the point code's spare bits, GTI 4's spare bit before the nature of address). */
bool ssgw_sccp_addr_encodes_raw(const ssgw_sccp_addr *a);

/* Convenience builders for encoder inputs (zero the rest of *a). */
void ssgw_sccp_addr_gt(ssgw_sccp_addr *a, const char *digits, uint8_t ssn); /* GTI 4, TT 0,
                                                  E.164, international, RI = GT, SSN if != 0 */
void ssgw_sccp_addr_ssn(ssgw_sccp_addr *a, uint16_t pc, uint8_t ssn);       /* RI = SSN, PC+SSN */

/* Q.713 3.17 segmentation parameter. */
typedef struct {
    bool first;         /* F bit: first segment */
    uint8_t cls;        /* C bit: protocol class requested by the user (0 or 1) */
    uint8_t remaining;  /* remaining segments 0..15 */
    uint32_t local_ref; /* 24-bit local reference shared by the segments */
} ssgw_sccp_segmentation;

/* One connectionless message. */
typedef struct {
    uint8_t type;           /* ssgw_sccp_msg_type */
    uint8_t protocol_class; /* 0 or 1 (UDT, XUDT, LUDT) */
    bool return_on_error;   /* message handling: return message on error */
    uint8_t hop_counter;    /* XUDT, XUDTS, LUDT, LUDTS */
    uint8_t return_cause;   /* UDTS, XUDTS, LUDTS */
    ssgw_sccp_addr called;
    ssgw_sccp_addr calling;
    const uint8_t *data; /* user data (data or long data parameter) */
    size_t data_len;
    size_t data_offset; /* offset of data within the message (decode only) */
    /* optional part (XUDT, XUDTS, LUDT, LUDTS) */
    bool has_segmentation;
    ssgw_sccp_segmentation seg;
    bool has_importance;
    uint8_t importance; /* 0..7 */
    /* the optional parameters as sent, without the end octet; iterate with
     * ssgw_sccp_opt_next. As encoder input, parameters other than
     * segmentation and importance are copied from here. */
    const uint8_t *opt;
    size_t opt_len;
} ssgw_sccp_msg;

/*
 * Decodes one SCCP message. Returns 0, or -1 with err naming the field
 * ("message type", "protocol class", "called party address pointer",
 * "calling party address", "data length", "optional parameters pointer",
 * "segmentation parameter", "importance parameter", "end of optional
 * parameters", ...) and the byte offset in buf.
 */
int ssgw_sccp_decode(const uint8_t *buf, size_t len, ssgw_sccp_msg *out, ssgw_error *err);

/*
 * Appends m as an m->type message. Returns 0, or -1 with err: SSGW_E_BAD_TAG
 * for an unknown type, SSGW_E_BAD_VALUE for a bad field, SSGW_E_TOO_BIG when
 * the data does not fit the type (255 octets for UDT/XUDT, 65535 for LUDT) or
 * b overflows (b is then left as it was).
 */
int ssgw_sccp_encode(ssgw_buf *b, const ssgw_sccp_msg *m, ssgw_error *err);

/* Zeroes *m and sets it up as a type message (class 0, hop counter 15). */
void ssgw_sccp_msg_init(ssgw_sccp_msg *m, ssgw_sccp_msg_type type);

/*
 * Encodes user data as a UDT when it fits (data <= 255 octets and the whole
 * message <= max_msg, 0 meaning SSGW_SCCP_MAX_MSG), otherwise as an XUDT with
 * hop counter m->hop_counter (when it fits max_msg; else SSGW_E_TOO_BIG and
 * the caller segments). m supplies class, handling, addresses, data and, for
 * XUDT, importance. Sets *chosen to the type written (may be NULL).
 */
int ssgw_sccp_encode_unitdata(ssgw_buf *b, const ssgw_sccp_msg *m, size_t max_msg,
                              ssgw_sccp_msg_type *chosen, ssgw_error *err);

/* An optional parameter, as iterated. */
typedef struct {
    uint8_t tag;
    const uint8_t *val;
    size_t len;
} ssgw_sccp_opt;

/* Walks m->opt (already validated by the decoder). pos starts at 0.
 * Returns 1 with *o filled, 0 at the end. */
int ssgw_sccp_opt_next(const ssgw_sccp_msg *m, size_t *pos, ssgw_sccp_opt *o);

/* ---- segmentation (Q.714 4.1.1.2) ---------------------------------------- */

/* Receives segment `index` (0-based) of `count`; msg is valid only during the
 * call. A non-zero return stops segmentation and is returned. */
typedef int (*ssgw_sccp_segment_fn)(void *ctx, unsigned index, unsigned count, const uint8_t *msg,
                                    size_t len);

/*
 * Splits tmpl->data (tmpl->data_len octets, at most SSGW_SCCP_MAX_SEGMENTED_DATA)
 * into XUDT segments of at most max_msg octets each (0: SSGW_SCCP_MAX_MSG),
 * each filled as far as it goes so the first is the largest. Every segment
 * carries tmpl's addresses, hop counter and importance, protocol class 1
 * (in-sequence), and a segmentation parameter with F set on the first, C = the
 * class the user asked for (tmpl->protocol_class), remaining counting down to
 * 0, and local_ref (24 bits). Returns the number of segments, -1 with err
 * (SSGW_E_TOO_BIG: more than 16 segments needed or addresses leave no room),
 * or the callback's non-zero return.
 */
int ssgw_sccp_segment(const ssgw_sccp_msg *tmpl, uint32_t local_ref, size_t max_msg,
                      ssgw_sccp_segment_fn fn, void *ctx, ssgw_error *err);

/* The same into caller buffers: segment i goes to bufs[i] (nbufs of them). */
int ssgw_sccp_segment_to_bufs(const ssgw_sccp_msg *tmpl, uint32_t local_ref, size_t max_msg,
                              ssgw_buf *bufs, size_t nbufs, ssgw_error *err);

/* ---- reassembly (Q.714 4.1.1.3) ------------------------------------------ */

typedef struct ssgw_sccp_reasm ssgw_sccp_reasm;

typedef struct {
    size_t max_entries;     /* concurrent reassemblies (table size) */
    size_t max_msg_bytes;   /* largest reassembled message, e.g. 3952 */
    size_t max_total_bytes; /* all partial messages together */
    uint64_t timeout_ms;    /* from the first segment (Q.714 T(reassembly)) */
    /* Quotas per source (ssgw_sccp_reasm_feed_from: the arrival link), so that one peer's
     * unfinished segments cannot fill the table for the others. 0: max_entries / 4 and
     * max_total_bytes / 4. Source 0 (no source: a capture) may use the whole table. */
    size_t max_entries_per_source;
    size_t max_bytes_per_source;
} ssgw_sccp_reasm_limits;

typedef enum {
    SSGW_SCCP_REASM_UNSEGMENTED = 0, /* no segmentation parameter: pass through */
    SSGW_SCCP_REASM_IN_PROGRESS,     /* segment stored, more to come */
    SSGW_SCCP_REASM_COMPLETE,        /* *out and *out_len hold the whole message */
    SSGW_SCCP_REASM_OUT_OF_ORDER,    /* remaining count not the one expected; dropped */
    SSGW_SCCP_REASM_MISSING_FIRST,   /* a later segment with no reassembly open */
    SSGW_SCCP_REASM_TOO_BIG,         /* would exceed max_msg_bytes; dropped */
    SSGW_SCCP_REASM_TABLE_FULL,      /* max_entries reassemblies already open */
    SSGW_SCCP_REASM_MEMORY_FULL,     /* would exceed max_total_bytes; dropped */
    SSGW_SCCP_REASM_TIMED_OUT,       /* its reassembly had expired; dropped */
    SSGW_SCCP_REASM_SOURCE_FULL,     /* its source's quota of entries or bytes is used up */
    SSGW_SCCP_REASM_CONFLICT, /* a first segment while one with its key is open: both dropped */
    SSGW_SCCP_REASM_RESULT_COUNT
} ssgw_sccp_reasm_result;

/* "unsegmented", "in progress", "complete", "out of order", "missing first
 * segment", "too big", "table full", "memory full", "timed out", "source quota full",
 * "repeated first segment". */
const char *ssgw_sccp_reasm_result_name(int r);

typedef struct {
    uint64_t results[SSGW_SCCP_REASM_RESULT_COUNT]; /* per outcome of feed */
    uint64_t expired;                               /* reassemblies purged because of the timeout */
    uint64_t replaced; /* open reassembly dropped for a new first segment (CONFLICT) */
    size_t active;     /* reassemblies open now */
    size_t bytes;      /* bytes held by them now */
} ssgw_sccp_reasm_stats;

/* Allocates the table (and nothing more until segments arrive, each buffer
 * bounded by the limits). Returns NULL on bad limits (any zero) or no memory. */
ssgw_sccp_reasm *ssgw_sccp_reasm_new(const ssgw_sccp_reasm_limits *lim);
void ssgw_sccp_reasm_free(ssgw_sccp_reasm *r);

/*
 * Feeds one decoded message. The key is (peer, the calling party address as
 * sent, every octet of it, local reference); peer is the caller's extra discriminator
 * (OPC, association id), 0 if none. Two messages whose calling addresses differ
 * in any field (a translation type, a numbering plan, an encoding scheme that
 * leaves no digits) are never joined, as the node that receives them keeps them
 * apart. A first segment while a reassembly with its key is open ends both
 * (SSGW_SCCP_REASM_CONFLICT): which of the two the receiving node would keep is
 * not known, so neither is completed. now_ms is a monotonic clock supplied by the
 * caller. On SSGW_SCCP_REASM_COMPLETE, *out and *out_len give the reassembled user
 * data, valid until the next call on r (a lone segment with F set and 0
 * remaining points into m->data instead). Expired reassemblies are purged.
 */
ssgw_sccp_reasm_result ssgw_sccp_reasm_feed(ssgw_sccp_reasm *r, const ssgw_sccp_msg *m,
                                            uint32_t peer, uint64_t now_ms, const uint8_t **out,
                                            size_t *out_len);
/*
 * The same for a message that arrived from `source` (a link; 0 = none): the source is
 * part of the key (a peer cannot touch another link's reassemblies, whatever OPC it
 * writes) and each source has its own quota of entries and bytes
 * (SSGW_SCCP_REASM_SOURCE_FULL when it is used up; the other sources are unaffected).
 */
ssgw_sccp_reasm_result ssgw_sccp_reasm_feed_from(ssgw_sccp_reasm *r, const ssgw_sccp_msg *m,
                                                 uint32_t source, uint32_t peer, uint64_t now_ms,
                                                 const uint8_t **out, size_t *out_len);

/* Purges reassemblies older than the timeout; returns how many. */
size_t ssgw_sccp_reasm_expire(ssgw_sccp_reasm *r, uint64_t now_ms);

void ssgw_sccp_reasm_get_stats(const ssgw_sccp_reasm *r, ssgw_sccp_reasm_stats *out);

#endif
