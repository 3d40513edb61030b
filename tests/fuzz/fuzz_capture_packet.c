/*
 * fuzz_capture_packet.c - frames through the capture decoders (link, IP,
 * SCTP with fragment reassembly, TCP with stream reassembly).
 *
 * Input: byte 0 selects the link type (index into link_types, modulo); the
 * rest is a sequence of frames, each a 2-byte big-endian length and that many
 * bytes (the last frame takes what is left). Each frame is copied into a
 * buffer of exactly its size so AddressSanitizer sees over-reads. Limits are
 * small so that eviction and gap paths run. A second handle decodes every frame through the
 * general decoders, never the straight path for common frames (src/capture/fast_path.c): any
 * difference in records or statistics aborts.
 */
#include "../unit/capture_compare.h"
#include "ssgw/capture.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ... 147; issue 11: 140 MTP2, 139 MTP2 with pseudo-header */
static const int link_types[] = {1, 113, 276, 101, 228, 229, 0, 108, 141, 252, 12, 147, 140, 139};

static void drain(ssgw_capture *c, ssgw_capture *g)
{
    if (!capcmp_drain(c, g)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    ssgw_capture_limits lim;
    ssgw_capture_limits_default(&lim);
    lim.max_message_len = 512;
    lim.sctp_max_fragments = 4;
    lim.sctp_max_frag_bytes = 1024;
    lim.tcp_max_flows = 3;
    lim.tcp_max_flow_bytes = 1024;
    lim.tcp_max_ooo_segments = 3;
    lim.sctp_verify_checksum = (data[0] & 0x80) != 0;
    int lt = link_types[(data[0] & 0x7f) % (sizeof link_types / sizeof link_types[0])];
    ssgw_capture *c = ssgw_capture_open_linktype(lt, &lim, NULL, 0);
    ssgw_capture *g = ssgw_capture_open_linktype(lt, &lim, NULL, 0);
    if (!c || !g) {
        ssgw_capture_close(c);
        ssgw_capture_close(g);
        return 0;
    }
    cap_set_general_only(g, true);
    size_t pos = 1;
    while (pos < size) {
        size_t n = size - pos;
        if (n >= 2) {
            size_t want = (size_t)data[pos] << 8 | data[pos + 1];
            pos += 2;
            n = size - pos;
            if (want < n) n = want;
        } else {
            pos = size - n;
        }
        uint8_t *frame = malloc(n ? n : 1);
        if (!frame) break;
        memcpy(frame, data + pos, n);
        ssgw_capture_feed(c, 0, 0, frame, n, n);
        ssgw_capture_feed(g, 0, 0, frame, n, n);
        drain(c, g);
        free(frame);
        pos += n;
    }
    ssgw_capture_finish(c);
    ssgw_capture_finish(g);
    drain(c, g);
    ssgw_capture_close(c);
    ssgw_capture_close(g);
    return 0;
}
