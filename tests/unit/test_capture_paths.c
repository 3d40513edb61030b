/*
 * test_capture_paths.c - the capture reader's straight path for common frames
 * (src/capture/fast_path.c) against its general decoders (link.c, ip.c, sctp.c) on the same
 * frames: two handles fed the same frames, one with every frame through the general
 * decoders (cap_set_general_only), must give the same records (every member, the bytes, the
 * error) and the same statistics. Frames: captures `ssgw generate` writes on every link the
 * path takes (Ethernet, Linux cooked v1 and, rebuilt from those, v2, raw IPv4, IPv6) and
 * shapes it leaves (several chunks, SCCP segments, TCP), each frame whole, cut at every
 * length and with single octets mutated at every position. (fuzz_capture_packet runs the
 * same comparison on its corpus and under libFuzzer.) Each capture is also read whole by
 * ssgw_capture_next both ways, where the straight path writes its record straight into the
 * caller's rather than through the queue (fuzz_pcap_file compares that on its inputs), and
 * both ways with limits.no_endpoints against a handle without it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture_int.h"
#include "capture_compare.h"
#include "capture/pcap_file.h"
#include "check.h"
#include "paths.h"
#include "ssgw/capture.h"

#include <fcntl.h>
#include <unistd.h>

static ssgw_capture *fast, *general;
static bool verify_checksum;    /* the handles check SCTP checksums (the fast path then declines) */
static unsigned files_compared; /* whole files read both ways (cmp_file) */

/* Feeds the frame to both handles and compares what they give. */
static void cmp_frame(const uint8_t *buf, size_t len)
{
    uint64_t before = ssgw_capture_get_stats(fast)->messages;
    ssgw_capture_feed(fast, 1, 2, buf, len, len);
    ssgw_capture_feed(general, 1, 2, buf, len, len);
    bool same = capcmp_drain(fast, general);
    paths_compared++;
    paths_succeeded += ssgw_capture_get_stats(fast)->messages > before;
    if (!same) paths_report(&paths_differed, buf, len, 1, 0);
}

static void open_pair(int linktype)
{
    ssgw_capture_close(fast);
    ssgw_capture_close(general);
    ssgw_capture_limits lim;
    ssgw_capture_limits_default(&lim);
    lim.sctp_verify_checksum = verify_checksum;
    fast = ssgw_capture_open_linktype(linktype, &lim, NULL, 0);
    general = ssgw_capture_open_linktype(linktype, &lim, NULL, 0);
    cap_set_general_only(general, true);
}

/* A handle reading the file with limits.no_endpoints against one reading it as usual: the
 * same records but for the ends' texts ("") and link number (0), and the same statistics;
 * general_only: both handles through the general decoders and the queue. */
static bool cmp_no_endpoints(const char *path, bool general_only)
{
    ssgw_capture_limits lim;
    ssgw_capture_limits_default(&lim);
    lim.no_endpoints = true;
    ssgw_capture *n = ssgw_capture_open(path, &lim, NULL, 0);
    ssgw_capture *w = ssgw_capture_open(path, NULL, NULL, 0);
    bool same = n && w;
    if (same) {
        cap_set_general_only(n, general_only);
        cap_set_general_only(w, general_only);
    }
    ssgw_capture_msg mn, mw;
    int rn = 0, rw = 0;
    while (same && (rn = ssgw_capture_next(n, &mn)) == 1 && (rw = ssgw_capture_next(w, &mw)) == 1) {
        same = !mn.src_ip[0] && !mn.dst_ip[0] && mn.link == 0;
        memcpy(mn.src_ip, mw.src_ip, sizeof mn.src_ip);
        memcpy(mn.dst_ip, mw.dst_ip, sizeof mn.dst_ip);
        mn.link = mw.link;
        same = same && capcmp_same_msg(&mn, &mw);
    }
    if (same && rn == 0) rw = ssgw_capture_next(w, &mw);
    same =
        same && rn == 0 && rw == 0 &&
        !memcmp(ssgw_capture_get_stats(n), ssgw_capture_get_stats(w), sizeof(ssgw_capture_stats));
    ssgw_capture_close(n);
    ssgw_capture_close(w);
    return same;
}

/* The whole file read by ssgw_capture_next, which has the straight path write each record
 * into the caller's (cap_emit_fast), against a handle reading it through the general
 * decoders and the queue: the same records and statistics. Also without the ends' texts,
 * both ways. */
static void cmp_file(const char *path)
{
    ssgw_capture *a = ssgw_capture_open(path, NULL, NULL, 0);
    ssgw_capture *g = ssgw_capture_open(path, NULL, NULL, 0);
    CHECK(a != NULL && g != NULL);
    if (a && g) {
        cap_set_general_only(g, true);
        CHECK(capcmp_drain(a, g));
        CHECK(ssgw_capture_get_stats(a)->messages > 0);
        files_compared++;
    }
    ssgw_capture_close(a);
    ssgw_capture_close(g);
    CHECK(cmp_no_endpoints(path, false));
    CHECK(cmp_no_endpoints(path, true));
}

/* The frames of a capture the CLI writes with opts, each through paths_around; with sll2,
 * Linux cooked v1 frames are rebuilt as v2 (the generator writes no v2). */
static void capture_frames(const char *opts, bool sll2, size_t max_frames)
{
    char path[] = "/tmp/ssgw-test-capture-paths-XXXXXX", cmd[512];
    int tfd = mkstemp(path);
    if (tfd < 0) return;
    close(tfd);
    snprintf(cmd, sizeof cmd, "%s generate --count 400 --seed 5 %s %s >/dev/null", SSGW_CLI, opts,
             path);
    CHECK_INT(system(cmd), 0);
    int fd = open(path, O_RDONLY);
    cap_pcap_file *f = cap_pcap_file_open(fd);
    CHECK(f != NULL);
    if (!f) {
        close(fd);
        unlink(path);
        return;
    }
    open_pair(sll2 ? SSGW_LINKTYPE_SLL2 : cap_pcap_file_linktype(f));
    cap_pcap_rec r;
    const uint8_t *d;
    for (size_t i = 0; i < max_frames && cap_pcap_file_next(f, &r, &d) == 1; i++) {
        uint8_t v2[512];
        if (sll2 && r.caplen >= 16 && r.caplen - 16 + 20 <= sizeof v2) {
            memset(v2, 0, 20);
            memcpy(v2, d + 14, 2);     /* protocol */
            memcpy(v2 + 8, d + 2, 2);  /* ARPHRD */
            v2[10] = d[1];             /* packet type */
            v2[11] = d[5];             /* address length */
            memcpy(v2 + 12, d + 6, 8); /* address */
            memcpy(v2 + 20, d + 16, r.caplen - 16);
            paths_around(v2, r.caplen - 16 + 20, cmp_frame);
        } else
            paths_around(d, r.caplen, cmp_frame);
    }
    cap_pcap_file_close(f);
    if (!verify_checksum) cmp_file(path);
    unlink(path);
}

static void generated_frames(void)
{
    capture_frames("", false, 40);
    capture_frames("--link sll", false, 30);
    capture_frames("--link sll", true, 30);
    capture_frames("--link raw", false, 30);
    capture_frames("--link ipv6", false, 30);
    capture_frames("--chunks 3", false, 10);
    capture_frames("--segment-every 2 --link ipv6", false, 20);
    capture_frames("--transport tcp", false, 20);
    capture_frames("--protocol diameter", false, 10);
    capture_frames("--adaptation m2pa", false, 10);
    verify_checksum = true;
    capture_frames("", false, 10);
    verify_checksum = false;
    CHECK_INT(paths_differed, 0);
    CHECK(paths_compared > 100000);
    CHECK_INT(files_compared, 10);
}

int main(void)
{
    RUN(generated_frames);
    ssgw_capture_close(fast);
    ssgw_capture_close(general);
    return paths_summary();
}
