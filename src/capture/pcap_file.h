/*
 * pcap_file.h - the reader of classic pcap files from a read window (pcap_file.c; not
 * installed). capture.c uses it for regular files in classic pcap format whose header it
 * accepts, libpcap for everything else (pcapng, stdin, pipes, other headers).
 *
 * It gives the records libpcap's pcap_next_ex() gives for the same file opened with
 * PCAP_TSTAMP_PRECISION_MICRO (the same header fields, bytes and end), and on a damaged
 * file the same error text (tests/unit/test_pcap_file.c and tests/fuzz/fuzz_pcap_file.c
 * compare the two).
 */
#ifndef SSGW_CAPTURE_PCAP_FILE_H
#define SSGW_CAPTURE_PCAP_FILE_H

#include <stddef.h>
#include <stdint.h>

typedef struct cap_pcap_file cap_pcap_file;

/* One record's header as libpcap's struct pcap_pkthdr gives it (microseconds). */
typedef struct {
    int64_t ts_sec;
    int64_t ts_usec; /* as libpcap's tv_usec: may be >= 1,000,000 in a damaged file */
    uint32_t caplen; /* octets at data (cut to the snapshot length as libpcap does) */
    uint32_t len;    /* octets on the wire, as recorded */
} cap_pcap_rec;

/*
 * A reader of fd when fd is a regular file that starts with a classic pcap header this
 * reader accepts (version 2.4, micro- or nanosecond magic in either byte order, a link type
 * whose frames libpcap passes on unchanged). On success it owns fd (closed by
 * cap_pcap_file_close) and reads on from octet 24; NULL otherwise (fd untouched, still
 * open: the caller goes through libpcap), or when out of memory.
 */
cap_pcap_file *cap_pcap_file_open(int fd);

/*
 * The next record: 1 with *rec and *data set (data valid until the next call), 0 at the
 * end of the file, -1 when the file ends inside a record or cannot be read (the reason in
 * cap_pcap_file_error(), worded as libpcap words it).
 */
int cap_pcap_file_next(cap_pcap_file *f, cap_pcap_rec *rec, const uint8_t **data);

const char *cap_pcap_file_error(const cap_pcap_file *f);

/* The link type as libpcap's pcap_datalink() reports it (DLT_ value). */
int cap_pcap_file_linktype(const cap_pcap_file *f);

/* The snapshot length libpcap would use (pcap_snapshot()). */
int cap_pcap_file_snapshot(const cap_pcap_file *f);

/* Closes the file and frees the window. NULL is accepted. */
void cap_pcap_file_close(cap_pcap_file *f);

#endif
