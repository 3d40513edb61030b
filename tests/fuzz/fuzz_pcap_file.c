/*
 * fuzz_pcap_file.c - the capture layer's pcap reader (src/capture/pcap_file.c) against
 * libpcap on the same file: the input is written to a memory file, read by both
 * (tests/unit/pcap_compare.h), and any difference in a record (timestamp, lengths, bytes) or
 * in how the file ends (the error text included) aborts. The reader runs with its smallest
 * window so that records cross the window's end. The file is then read whole by
 * ssgw_capture_next twice, once with the straight path for common frames (whose record is
 * written straight into the caller's, src/capture/fast_path.c) and once with every frame
 * through the general decoders and the queue (tests/unit/capture_compare.h): any difference
 * in a record or in the statistics aborts.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../unit/capture_compare.h"
#include "../unit/pcap_compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("pcap", MFD_CLOEXEC);
    if (fd < 0) return 0;
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0) break;
        done += (size_t)w;
    }
    char path[64], diff[512];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    unsigned long records = 0;
    pcmp_outcome o = pcmp_file(path, 16 + 262144, diff, sizeof diff, &records);
    ssgw_capture *a = ssgw_capture_open(path, NULL, NULL, 0);
    ssgw_capture *g = ssgw_capture_open(path, NULL, NULL, 0);
    if (a && g) {
        cap_set_general_only(g, true);
        if (!capcmp_drain(a, g)) {
            fprintf(stderr, "capture records differ between the straight and general paths\n");
            abort();
        }
    }
    ssgw_capture_close(a);
    ssgw_capture_close(g);
    close(fd);
    if (o == PCMP_DIFFER || o == PCMP_LIBPCAP_FAIL) {
        fprintf(stderr, "pcap reader differs from libpcap: %s\n", diff);
        abort();
    }
    return 0;
}
