/*
 * fuzz_pcap_file.c - the capture layer's pcap reader (src/capture/pcap_file.c) against
 * libpcap on the same file: the input is written to a memory file, read by both
 * (tests/unit/pcap_compare.h), and any difference in a record (timestamp, lengths, bytes) or
 * in how the file ends (the error text included) aborts. The reader runs with its smallest
 * window so that records cross the window's end.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

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
    close(fd);
    if (o == PCMP_DIFFER || o == PCMP_LIBPCAP_FAIL) {
        fprintf(stderr, "pcap reader differs from libpcap: %s\n", diff);
        abort();
    }
    return 0;
}
