/*
 * pcap_writer.h - writing classic pcap files (microsecond timestamps) of SS7
 * traffic that tshark decodes: M3UA in SCTP DATA chunks (PPID 3) over IPv4 or
 * IPv6, M3UA over TCP, raw MTP3 MSUs, or any frame as-is.
 *
 * IP packets are framed for the file's link type: Ethernet (1), raw IP (101;
 * 12 and 14 are written as 101), IPv4 (228), IPv6 (229), Linux cooked v1
 * (113) and v2 (276), BSD loopback (0). The IPv4 header checksum, the TCP
 * checksum and the SCTP CRC32c are correct. Used by tests and by the oracle
 * corpus generator; not performance critical.
 */
#ifndef SSGW_PCAP_WRITER_H
#define SSGW_PCAP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ssgw_pcap_writer ssgw_pcap_writer;

typedef struct {
    bool ipv6;        /* false: src_ip4/dst_ip4; true: src_ip6/dst_ip6 */
    uint32_t src_ip4; /* host order: 0x0a000001 is 10.0.0.1 */
    uint32_t dst_ip4;
    uint8_t src_ip6[16];
    uint8_t dst_ip6[16];
    uint16_t src_port;
    uint16_t dst_port;
    uint32_t vtag; /* SCTP verification tag */
} ssgw_pcap_endpoints;

/* SCTP DATA chunk flags (RFC 9260 section 3.3.1). */
#define SSGW_PCAP_CHUNK_END       0x01
#define SSGW_PCAP_CHUNK_BEGIN     0x02
#define SSGW_PCAP_CHUNK_UNORDERED 0x04
#define SSGW_PCAP_CHUNK_WHOLE     0x03 /* BEGIN | END: an unfragmented message */

typedef struct {
    uint32_t tsn;
    uint16_t stream;
    uint16_t ssn;
    uint32_t ppid;
    uint8_t flags; /* SSGW_PCAP_CHUNK_* */
    const uint8_t *data;
    size_t len;
} ssgw_pcap_chunk;

/* TCP flags for ssgw_pcap_write_tcp_segment(). */
#define SSGW_PCAP_TCP_FIN 0x01
#define SSGW_PCAP_TCP_SYN 0x02
#define SSGW_PCAP_TCP_RST 0x04
#define SSGW_PCAP_TCP_PSH 0x08
#define SSGW_PCAP_TCP_ACK 0x10

/* Creates (truncates) path. NULL with a message in errbuf on failure. */
ssgw_pcap_writer *ssgw_pcap_writer_open(const char *path, int linktype, char *errbuf,
                                        size_t errlen);

/* Flushes and closes; returns 0, or -1 when any write failed. NULL is accepted. */
int ssgw_pcap_writer_close(ssgw_pcap_writer *w);

/* The last error ("" when none). */
const char *ssgw_pcap_writer_error(const ssgw_pcap_writer *w);

/* Writes one frame as-is (any link type: MTP3 MSU, exported PDU, broken frames). */
int ssgw_pcap_write_raw(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec,
                        const uint8_t *frame, size_t len);

/* Writes an MTP3 MSU; the file's link type must be 141. */
int ssgw_pcap_write_mtp3(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec, const uint8_t *msu,
                         size_t len);

/* One SCTP packet with one unfragmented DATA chunk, PPID 3 (M3UA), SSN 0. */
int ssgw_pcap_write_sctp(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec,
                         const ssgw_pcap_endpoints *ep, uint16_t stream, uint32_t tsn,
                         const uint8_t *m3ua, size_t len);

/* One SCTP packet carrying n DATA chunks (fragments, several messages, other PPIDs). */
int ssgw_pcap_write_sctp_chunks(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec,
                                const ssgw_pcap_endpoints *ep, const ssgw_pcap_chunk *chunks,
                                size_t n);

/*
 * One TCP segment src->dst with PSH|ACK, using and advancing the sequence
 * number the writer tracks for that direction (starting at 1; the ack number is
 * the reverse direction's). Call twice with parts of a message to split it.
 */
int ssgw_pcap_write_tcp(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec,
                        const ssgw_pcap_endpoints *ep, const uint8_t *data, size_t len);

/* One TCP segment with explicit numbers and flags; does not touch the tracked numbers. */
int ssgw_pcap_write_tcp_segment(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec,
                                const ssgw_pcap_endpoints *ep, uint32_t seq, uint32_t ack,
                                uint8_t flags, const uint8_t *data, size_t len);

#endif
