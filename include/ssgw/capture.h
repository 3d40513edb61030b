/*
 * capture.h - reading captures (pcap, pcapng) as a sequence of SS7 messages.
 *
 * A capture handle reads frames (classic pcap files from a read window of its
 * own, src/capture/pcap_file.c; pcapng, stdin and pipes through libpcap) and
 * decodes everything below M3UA itself: the link layer (Ethernet
 * with VLAN tags, Linux cooked v1/v2, raw IP, BSD loopback, MTP3, MTP2 with
 * and without pseudo-header, Wireshark exported PDU), IPv4/IPv6, SCTP
 * DATA/I-DATA chunks (RFC 9260, with bounded fragment reassembly; M3UA, M2PA,
 * M2UA and SUA by PPID or port) and M3UA over TCP (bounded stream reassembly,
 * framing by the M3UA length field, RFC 4666 section 3.1). Diameter (RFC 6733)
 * is read beside M3UA: over SCTP (PPID 46, or PPID 0 on a Diameter port; several
 * messages in one DATA chunk are cut apart by their length) and over TCP (port
 * 3868 or a plausible Diameter header; framing by the message length).
 *
 * Each call to ssgw_capture_next() yields one record: either a message
 * (M3UA message, MTP3 MSU, SCCP PDU or Diameter message) or an error record saying which part
 * of which frame could not be decoded (layer, code, field, byte offset within
 * the frame). Undecodable signalling is never skipped silently. Frames that
 * are simply not signalling (ARP, UDP, SCTP control chunks, TCP pure ACKs,
 * other PPIDs) are counted in the statistics by reason and skipped.
 *
 * Every buffer is bounded by ssgw_capture_limits; what happens at a cap is an
 * error record (SSGW_E_TOO_BIG), never unbounded growth.
 */
#ifndef SSGW_CAPTURE_H
#define SSGW_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/error.h"

/* Link types (tcpdump.org LINKTYPE_ / DLT_ values) understood by the reader. */
#define SSGW_LINKTYPE_NULL      0   /* BSD loopback: 4-byte host-order address family */
#define SSGW_LINKTYPE_ETHERNET  1   /* Ethernet II, 802.1Q / 802.1ad tags */
#define SSGW_LINKTYPE_DLT_RAW   12  /* raw IP (DLT_RAW on most systems) */
#define SSGW_LINKTYPE_DLT_RAW14 14  /* raw IP (DLT_RAW on OpenBSD) */
#define SSGW_LINKTYPE_RAW       101 /* raw IP as stored in files */
#define SSGW_LINKTYPE_LOOP      108 /* OpenBSD loopback: network-order address family */
#define SSGW_LINKTYPE_SLL       113 /* Linux cooked capture v1 */
#define SSGW_LINKTYPE_MTP3      141 /* the frame is an MTP3 MSU (SIO, routing label, SIF) */
#define SSGW_LINKTYPE_UPPER_PDU 252 /* Wireshark exported PDU (TLV header + PDU) */
#define SSGW_LINKTYPE_IPV4      228
#define SSGW_LINKTYPE_IPV6      229
#define SSGW_LINKTYPE_SLL2      276 /* Linux cooked capture v2 */
/* issue 11: signalling links as probes on E1/T1 capture them (Q.703 signal units); 139 puts a
 * 4-byte pseudo-header (sent, annex A used, link number) before the unit */
#define SSGW_LINKTYPE_MTP2_WITH_PHDR 139
#define SSGW_LINKTYPE_MTP2           140

#define SSGW_M3UA_PORT      2905 /* IANA port for M3UA (RFC 4666 section 1.4.8) */
#define SSGW_SCTP_PPID_M3UA 3

typedef enum {
    SSGW_CAPTURE_KIND_NONE = 0, /* error records that carry no message */
    SSGW_CAPTURE_KIND_M3UA,     /* an M3UA message, common header included */
    SSGW_CAPTURE_KIND_MTP3,     /* an MTP3 MSU: SIO, routing label, SIF */
    SSGW_CAPTURE_KIND_SCCP,     /* an SCCP message (exported PDU "sccp") */
    SSGW_CAPTURE_KIND_DIAMETER, /* one Diameter message, header included */
    /* issue 11: probe framings */
    SSGW_CAPTURE_KIND_M2PA, /* an M2PA message (RFC 4165), common header included */
    SSGW_CAPTURE_KIND_M2UA, /* an M2UA message (RFC 3331) */
    SSGW_CAPTURE_KIND_SUA,  /* a SUA message (RFC 3868) */
    SSGW_CAPTURE_KIND_COUNT
} ssgw_capture_kind;

typedef enum {
    SSGW_CAPTURE_TRANSPORT_NONE = 0,
    SSGW_CAPTURE_TRANSPORT_SCTP,
    SSGW_CAPTURE_TRANSPORT_TCP,
    SSGW_CAPTURE_TRANSPORT_COUNT
} ssgw_capture_transport;

/* Why a frame (or a chunk / segment) produced no record. Not errors. */
typedef enum {
    SSGW_CAPTURE_SKIP_NOT_IP = 0,         /* ARP, LLDP, other ethertypes / families */
    SSGW_CAPTURE_SKIP_OTHER_IP_PROTO,     /* UDP, ICMP, ... */
    SSGW_CAPTURE_SKIP_SCTP_CONTROL,       /* INIT, SACK, HEARTBEAT, ... (per chunk) */
    SSGW_CAPTURE_SKIP_SCTP_OTHER_PPID,    /* DATA chunk of another upper protocol (per chunk) */
    SSGW_CAPTURE_SKIP_SCTP_DUPLICATE,     /* retransmitted fragment already held */
    SSGW_CAPTURE_SKIP_TCP_NO_PAYLOAD,     /* SYN, pure ACK, FIN without data */
    SSGW_CAPTURE_SKIP_TCP_NOT_M3UA,       /* TCP neither on an M3UA / Diameter port nor looking
                                             like either */
    SSGW_CAPTURE_SKIP_TCP_RETRANSMISSION, /* segment entirely already received */
    SSGW_CAPTURE_SKIP_OTHER_PDU,          /* exported PDU of another protocol */
    /* issue 11 */
    SSGW_CAPTURE_SKIP_MTP2_LINK_UNIT, /* MTP2 fill-in or link status signal unit (no MSU) */
    SSGW_CAPTURE_SKIP_COUNT
} ssgw_capture_skip;

typedef struct {
    size_t max_message_len;      /* largest M3UA / reassembled message (default 65536) */
    size_t sctp_max_fragments;   /* SCTP fragments held for reassembly (default 256) */
    size_t sctp_max_frag_bytes;  /* bytes held in those fragments (default 1 MiB) */
    size_t tcp_max_flows;        /* TCP directions tracked; LRU eviction (default 1024) */
    size_t tcp_max_flow_bytes;   /* per direction: unframed + out-of-order bytes (128 KiB) */
    size_t tcp_max_ooo_segments; /* per direction: out-of-order segments held (default 32) */
    uint16_t m3ua_ports[8];      /* ports carrying M3UA (SCTP PPID 0, TCP); 0 = unused */
    bool tcp_detect_m3ua;        /* also follow TCP whose payload starts with an M3UA header */
    bool sctp_verify_checksum;   /* a bad CRC32c gives an error record (default off) */
    uint16_t diameter_ports[4];  /* ports carrying Diameter (SCTP PPID 0, TCP); 0 = unused */
    bool tcp_detect_diameter;    /* also follow TCP whose payload starts with a Diameter header
                                    of a command in the dictionary */
    bool no_endpoints;           /* records without their ends' texts (src_ip and dst_ip "")
                                    and link number (0), for a reader that uses neither
                                    (default off) */
} ssgw_capture_limits;

/* Fills the defaults above: m3ua_ports = {2905}, tcp_detect_m3ua = true,
 * diameter_ports = {3868}, tcp_detect_diameter = true. */
void ssgw_capture_limits_default(ssgw_capture_limits *limits);

typedef struct {
    uint64_t frames;   /* frames read (including those skipped) */
    uint64_t messages; /* message records returned */
    uint64_t errors;   /* error records returned */
    uint64_t errors_by_layer[SSGW_LAYER_COUNT];
    uint64_t skipped[SSGW_CAPTURE_SKIP_COUNT];
    uint64_t sctp_reassembled;    /* messages rebuilt from SCTP fragments */
    uint64_t tcp_flows_evicted;   /* flows dropped by the LRU cap */
    uint64_t tcp_bytes_discarded; /* bytes skipped while resynchronising on M3UA headers */
    uint64_t ip_packets;          /* IPv4 / IPv6 packets seen */
    uint64_t sctp_packets;        /* SCTP packets seen */
    uint64_t tcp_segments;        /* TCP segments seen */
} ssgw_capture_stats;

typedef struct {
    uint64_t frame;   /* 1-based frame number (as Wireshark); the frame that completed it */
    int64_t ts_sec;   /* capture timestamp */
    uint32_t ts_usec; /* microseconds */
    ssgw_capture_kind kind;
    ssgw_capture_transport transport;
    char src_ip[46]; /* text ("10.0.0.1", "2001:db8::1"); "" when unknown */
    char dst_ip[46];
    uint16_t src_port;
    uint16_t dst_port;
    uint16_t sctp_stream; /* SCTP stream id (SCTP only) */
    uint32_t sctp_ppid;   /* SCTP payload protocol identifier (SCTP only) */
    uint32_t link;        /* ssgw_capture_link_number() of this record, filled by
                             ssgw_capture_next(); 0 in a record built by hand */
    const uint8_t *data;  /* message bytes; valid until the next call on the handle */
    size_t len;
    bool is_error;    /* true: an error record, `error` says what; data may be NULL */
    ssgw_error error; /* offset is within the frame `frame` */
} ssgw_capture_msg;

typedef struct ssgw_capture ssgw_capture;

/*
 * Opens a pcap or pcapng file. limits may be NULL (defaults). Returns NULL
 * with a message in errbuf when the file cannot be opened or is not a capture;
 * the message names the file, says what was found (an empty file, a truncated
 * header, text, another format) and what is expected.
 * An unsupported link type is not an open error: each frame then yields an
 * error record (layer link, code unsupported).
 */
ssgw_capture *ssgw_capture_open(const char *path, const ssgw_capture_limits *limits, char *errbuf,
                                size_t errlen);

/*
 * A handle without a file, fed frame by frame with ssgw_capture_feed() (live
 * capture, fuzzing). linktype is a LINKTYPE_/DLT_ value.
 */
ssgw_capture *ssgw_capture_open_linktype(int linktype, const ssgw_capture_limits *limits,
                                         char *errbuf, size_t errlen);

/*
 * Feeds one frame to a handle from ssgw_capture_open_linktype(). caplen bytes
 * are present, wirelen were on the wire. The frame bytes are NOT copied: they
 * must stay valid until ssgw_capture_next() has returned 0. Returns 0, or -1
 * when the handle reads a file.
 */
int ssgw_capture_feed(ssgw_capture *c, int64_t ts_sec, uint32_t ts_usec, const uint8_t *frame,
                      size_t caplen, size_t wirelen);

/* Ends a fed stream: incomplete TCP / SCTP reassemblies become error records. */
void ssgw_capture_finish(ssgw_capture *c);

/*
 * Next record: 1 with *out filled (a message or an error record), 0 at the end
 * of the file (or of what was fed), -1 on a file-level read error (see
 * ssgw_capture_error()). out->data stays valid until the next call.
 */
int ssgw_capture_next(ssgw_capture *c, ssgw_capture_msg *out);

/* The last file-level error message ("" when none). */
const char *ssgw_capture_error(const ssgw_capture *c);

/* The link type of the capture (DLT_ value as reported by libpcap). */
int ssgw_capture_linktype(const ssgw_capture *c);

const ssgw_capture_stats *ssgw_capture_get_stats(const ssgw_capture *c);

/*
 * After the last record: when the capture held nothing to decode (no message and no
 * error record), writes one sentence for the user into out ("PATH: no SS7 or Diameter
 * in this capture: 120 frames: 100 not IP (ARP, ...), 20 IP: 0 SCTP, 20 TCP (not M3UA) ...;
 * expected ...") and returns true; false otherwise (out untouched).
 */
bool ssgw_capture_explain_empty(const ssgw_capture *c, const char *path, char *out, size_t cap);

/* Closes the file and frees every buffer. NULL is accepted. */
void ssgw_capture_close(ssgw_capture *c);

/* Stable lower-case names for the enums above (never NULL). */
const char *ssgw_capture_kind_name(ssgw_capture_kind kind);
const char *ssgw_capture_transport_name(ssgw_capture_transport transport);
const char *ssgw_capture_skip_name(ssgw_capture_skip skip);

/*
 * "IP:PORT" of one end of a record (its src_ip and src_port, or dst_ip and dst_port) at out,
 * which has room for SSGW_CAPTURE_ENDPOINT_CAP octets; NUL-terminated; returns the length.
 * The same text as "%s:%u" without a printf: it runs per message (the record's "src" and "dst"
 * keys, the link ssgw analyze charges a capture's dialogues to).
 */
#define SSGW_CAPTURE_ENDPOINT_CAP (sizeof((ssgw_capture_msg *)0)->src_ip + 7)
size_t ssgw_capture_endpoint(const char *ip, uint16_t port, char *out);

/*
 * The number of the link a record came by: FNV-1a over the texts of its two ends
 * ("IP:PORT" as ssgw_capture_endpoint writes them, the lower one first, '|' between), with
 * the top bit set; the same both ways, never 0. ssgw_capture_next() gives it in
 * ssgw_capture_msg.link from a memo keyed by the binary addresses, so that a caller needs
 * no text per message; this is the reference for records built otherwise.
 */
uint32_t ssgw_capture_link_number(const ssgw_capture_msg *m);

/* CRC32c (Castagnoli) as used by SCTP (RFC 9260 appendix A); crc starts at 0. */
uint32_t ssgw_crc32c(uint32_t crc, const uint8_t *data, size_t len);

#endif
