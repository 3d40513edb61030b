/*
 * pcap_compare.h - reads one file with the capture layer's pcap reader (src/capture/pcap_file.c)
 * and with libpcap, the independent reference (pcap_open_offline with microsecond precision,
 * pcap_next_ex), and compares every record (timestamp, lengths, bytes) and how the file ends
 * (end, or the error and its text). For tests/unit/test_pcap_file.c and
 * tests/fuzz/fuzz_pcap_file.c.
 */
#ifndef SSGW_TEST_PCAP_COMPARE_H
#define SSGW_TEST_PCAP_COMPARE_H

#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture/pcap_file.h"

cap_pcap_file *cap_pcap_file_open_window(int fd, size_t window);

/* How a comparison ended. */
typedef enum {
    PCMP_SAME = 0,     /* the same records and the same end */
    PCMP_NOT_TAKEN,    /* the reader declined the file (libpcap reads it); nothing compared */
    PCMP_DIFFER,       /* the first difference is described in diff */
    PCMP_LIBPCAP_FAIL, /* libpcap did not open a file the reader took */
} pcmp_outcome;

/* Compares the two readers on path (window: the reader's window size, 0 for its default).
 * *records counts the records compared. */
static inline pcmp_outcome pcmp_file(const char *path, size_t window, char *diff, size_t difflen,
                                     unsigned long *records)
{
    diff[0] = '\0';
    int fd = open(path, O_RDONLY);
    if (fd < 0) return PCMP_NOT_TAKEN;
    cap_pcap_file *f = cap_pcap_file_open_window(fd, window);
    if (!f) {
        close(fd);
        return PCMP_NOT_TAKEN;
    }
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, eb);
    if (!p) {
        snprintf(diff, difflen, "libpcap refused a file the reader took: %s", eb);
        cap_pcap_file_close(f);
        return PCMP_LIBPCAP_FAIL;
    }
    pcmp_outcome out = PCMP_SAME;
    if (pcap_datalink(p) != cap_pcap_file_linktype(f) ||
        pcap_snapshot(p) != cap_pcap_file_snapshot(f)) {
        snprintf(diff, difflen, "link type %d / %d, snapshot %d / %d", cap_pcap_file_linktype(f),
                 pcap_datalink(p), cap_pcap_file_snapshot(f), pcap_snapshot(p));
        out = PCMP_DIFFER;
    }
    for (unsigned long n = 1; out == PCMP_SAME; n++) {
        cap_pcap_rec r;
        const uint8_t *d = NULL;
        int ra = cap_pcap_file_next(f, &r, &d);
        struct pcap_pkthdr *h;
        const u_char *pd;
        int rb = pcap_next_ex(p, &h, &pd);
        if (rb == PCAP_ERROR_BREAK) rb = 0;
        if (ra != rb) {
            snprintf(diff, difflen, "record %lu: reader %d (%s), libpcap %d (%s)", n, ra,
                     cap_pcap_file_error(f), rb, pcap_geterr(p));
            out = PCMP_DIFFER;
        } else if (ra < 0 && strcmp(cap_pcap_file_error(f), pcap_geterr(p)) != 0) {
            snprintf(diff, difflen, "record %lu: error \"%s\", libpcap \"%s\"", n,
                     cap_pcap_file_error(f), pcap_geterr(p));
            out = PCMP_DIFFER;
        } else if (ra == 1 &&
                   (r.ts_sec != (int64_t)h->ts.tv_sec || r.ts_usec != (int64_t)h->ts.tv_usec ||
                    r.caplen != h->caplen || r.len != h->len || memcmp(d, pd, r.caplen) != 0)) {
            snprintf(diff, difflen,
                     "record %lu: %lld.%lld caplen %u len %u, libpcap %lld.%lld caplen %u len %u%s",
                     n, (long long)r.ts_sec, (long long)r.ts_usec, r.caplen, r.len,
                     (long long)h->ts.tv_sec, (long long)h->ts.tv_usec, h->caplen, h->len,
                     r.caplen == h->caplen && memcmp(d, pd, r.caplen) ? " (bytes differ)" : "");
            out = PCMP_DIFFER;
        }
        if (ra != 1) break;
        (*records)++;
    }
    pcap_close(p);
    cap_pcap_file_close(f);
    return out;
}

#endif
