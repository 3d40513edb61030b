/*
 * pcap_file.c - classic pcap files (tcpdump.org pcap-savefile(5)) read through a window of
 * 1 MiB that read(2) refills, for ssgw_capture_open() on regular files.
 *
 * Why not libpcap, the library made for the job: its pcap_next_ex() reads every record with
 * two fread()s and copies the frame into its own buffer; measured with callgrind, 422
 * instructions a record, the largest single cost of reading a capture (~940 a message in
 * every offline command). Here a record costs a bounds check, a 16-octet header and a
 * pointer into the window. libpcap stays the reader of pcapng, stdin and pipes and of every
 * header this file does not accept (other versions, the patched/Kuznetzov magic, link types
 * whose pseudo-header libpcap byte-swaps or whose type number it translates beyond
 * LINKTYPE_RAW); tests/unit/test_pcap_file.c and tests/fuzz/fuzz_pcap_file.c hold this
 * reader to libpcap's records, bytes and error texts.
 *
 * Why a read window and not mmap: a mapped file that shrinks under the reader (a capture
 * rotated or truncated while it is analysed) raises SIGBUS on the next page, which a library
 * cannot catch without taking over the process's signal handling; a multi-GB file would also
 * need the mapping moved along it. read(2) into a window cannot fault: a file that shrinks
 * ends early, which gives libpcap's "truncated dump file" error as it would. The user-space
 * cost per record is the same as a mapping's (a pointer into memory); the copy is the
 * kernel's, once per 1 MiB call, with sequential read-ahead asked for (posix_fadvise).
 */
#define _GNU_SOURCE
#include "capture/pcap_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/bytes.h"

/* libpcap's max_snaplen_for_dlt() for every link type accepted here (MAXIMUM_SNAPLEN). */
#define MAX_SNAPLEN 262144u
#define FILE_HDR    24u
#define REC_HDR     16u
#define WINDOW      (1u << 20)

struct cap_pcap_file {
    int fd;
    bool swapped; /* big-endian file (fields read with get_be32, else get_le32) */
    bool swap;    /* the file's byte order is not the host's: record fields are byte-swapped */
    bool nsec;    /* nanosecond magic: timestamps scaled down as libpcap's MICRO open does */
    int dlt;
    uint32_t snapshot;
    uint8_t *win;
    size_t cap, pos, end; /* window: [pos, end) read and not yet handed out */
    char err[256];
};

/* Link types whose frames libpcap hands on as stored (no pseudo-header swapped for a file of
 * the other byte order), mapped to the DLT_ value pcap_datalink() reports. Files in the
 * host's byte order also accept Linux cooked captures, whose pseudo-header libpcap swaps only
 * in files of the other byte order (CAN frames). */
static int accepted_dlt(uint32_t linktype, bool other_order)
{
    switch (linktype) {
    case 0:   /* NULL */
    case 1:   /* Ethernet */
    case 108: /* LOOP */
    case 139: /* MTP2 with pseudo-header */
    case 140: /* MTP2 */
    case 141: /* MTP3 */
    case 228: /* IPv4 */
    case 229: /* IPv6 */
    case 252: /* Wireshark upper PDU */
        return (int)linktype;
    case 101: /* LINKTYPE_RAW is DLT_RAW */
        return 12;
    case 113: /* Linux cooked v1, v2 */
    case 276:
        return other_order ? -1 : (int)linktype;
    default:
        return -1;
    }
}

/* The file header's fields (read once at open). */
static uint32_t rd32(const cap_pcap_file *f, const uint8_t *p)
{
    return f->swapped ? get_be32(p) : get_le32(p);
}

static uint16_t rd16(const cap_pcap_file *f, const uint8_t *p)
{
    return f->swapped ? get_be16(p) : get_le16(p);
}

/* The window's size is a parameter for the test, which reads with the smallest window that
 * holds a record, so that records cross its end often. */
cap_pcap_file *cap_pcap_file_open_window(int fd, size_t window);

cap_pcap_file *cap_pcap_file_open_window(int fd, size_t window)
{
    struct stat st;
    uint8_t h[FILE_HDR];
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return NULL;
    if (pread(fd, h, sizeof h, 0) != (ssize_t)sizeof h) return NULL;
    cap_pcap_file tmp = {.fd = fd};
    uint32_t magic = get_le32(h);
    if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
        tmp.swapped = false;
    else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
        tmp.swapped = true;
    else
        return NULL;
    tmp.nsec = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
    /* version 2.4 only: older minor versions may have caplen and len the other way round */
    if (rd16(&tmp, h + 4) != 2 || rd16(&tmp, h + 6) != 4) return NULL;
    const uint16_t one = 1;
    bool host_be = *(const uint8_t *)&one == 0;
    tmp.swap = tmp.swapped != host_be;
    tmp.dlt = accepted_dlt(rd32(&tmp, h + 20), tmp.swap);
    if (tmp.dlt < 0) return NULL;
    uint32_t snaplen = rd32(&tmp, h + 16);
    /* libpcap 1.10 keeps a snapshot length above the maximum (a record longer than the
     * maximum is an error all the same) and replaces one that is 0 or negative as an int */
    tmp.snapshot = (int32_t)snaplen <= 0 ? MAX_SNAPLEN : snaplen;

    if (window < REC_HDR + MAX_SNAPLEN) window = REC_HDR + MAX_SNAPLEN;
    cap_pcap_file *f = malloc(sizeof *f);
    uint8_t *win = malloc(window);
    if (!f || !win || lseek(fd, FILE_HDR, SEEK_SET) != (off_t)FILE_HDR) {
        free(f);
        free(win);
        return NULL;
    }
    *f = tmp;
    f->win = win;
    f->cap = window;
    f->err[0] = '\0';
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return f;
}

cap_pcap_file *cap_pcap_file_open(int fd)
{
    return cap_pcap_file_open_window(fd, WINDOW);
}

/* At least n octets from pos in the window, reading more when needed (n <= cap). Returns
 * what is there, fewer than n only at the end of the file; (size_t)-1 on a read error.
 * Called only when the window holds fewer than n (once per window's worth of records). */
__attribute__((noinline)) static size_t need(cap_pcap_file *f, size_t n)
{
    if (f->end - f->pos >= n) return n;
    memmove(f->win, f->win + f->pos, f->end - f->pos);
    f->end -= f->pos;
    f->pos = 0;
    while (f->end < n) {
        ssize_t r = read(f->fd, f->win + f->end, f->cap - f->end);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            snprintf(f->err, sizeof f->err, "error reading dump file: %s", strerror(errno));
            return (size_t)-1;
        }
        if (r == 0) break;
        f->end += (size_t)r;
    }
    return f->end < n ? f->end : n;
}

static int truncated(cap_pcap_file *f, const char *what, uint32_t wanted, size_t got)
{
    snprintf(f->err, sizeof f->err, "truncated dump file; tried to read %u %s, only got %zu",
             wanted, what, got);
    return -1;
}

int cap_pcap_file_next(cap_pcap_file *f, cap_pcap_rec *rec, const uint8_t **data)
{
    if (f->end - f->pos < REC_HDR) {
        size_t got = need(f, REC_HDR);
        if (got == (size_t)-1) return -1;
        if (got == 0) return 0;
        if (got < REC_HDR) return truncated(f, "header bytes", REC_HDR, got);
    }
    uint32_t w[4]; /* seconds, micro- or nanoseconds, captured length, length on the wire */
    memcpy(w, f->win + f->pos, sizeof w);
    if (f->swap)
        for (int i = 0; i < 4; i++)
            w[i] = __builtin_bswap32(w[i]);
    /* as libpcap 1.10 takes them: the file's signed 32-bit fields sign-extended in a file of
     * the host's byte order, but zero-extended when it swaps them (its SWAPLONG is unsigned);
     * a damaged file may hold any value */
    int64_t sec = f->swap ? (int64_t)w[0] : (int64_t)(int32_t)w[0];
    int64_t frac = f->swap ? (int64_t)w[1] : (int64_t)(int32_t)w[1];
    rec->ts_sec = sec;
    rec->ts_usec = f->nsec ? frac / 1000 : frac;
    uint32_t caplen = w[2];
    rec->len = w[3];
    f->pos += REC_HDR;
    if (caplen > MAX_SNAPLEN) {
        if (caplen > f->snapshot)
            snprintf(f->err, sizeof f->err,
                     "invalid packet capture length %u, bigger than snaplen of %d", caplen,
                     (int)f->snapshot);
        else
            snprintf(f->err, sizeof f->err,
                     "invalid packet capture length %u, bigger than maximum of %u", caplen,
                     MAX_SNAPLEN);
        return -1;
    }
    if (f->end - f->pos < caplen) {
        size_t got = need(f, caplen);
        if (got == (size_t)-1) return -1;
        if (got < caplen) {
            /* libpcap reads the snapshot's octets first, then discards the rest */
            if (caplen > f->snapshot && got < f->snapshot)
                return truncated(f, "captured bytes", f->snapshot, got);
            return truncated(f, "captured bytes", caplen, got);
        }
    }
    *data = f->win + f->pos;
    rec->caplen = caplen > f->snapshot ? f->snapshot : caplen;
    f->pos += caplen;
    return 1;
}

const char *cap_pcap_file_error(const cap_pcap_file *f)
{
    return f->err;
}

int cap_pcap_file_linktype(const cap_pcap_file *f)
{
    return f->dlt;
}

int cap_pcap_file_snapshot(const cap_pcap_file *f)
{
    return (int)f->snapshot;
}

void cap_pcap_file_close(cap_pcap_file *f)
{
    if (!f) return;
    close(f->fd);
    free(f->win);
    free(f);
}
