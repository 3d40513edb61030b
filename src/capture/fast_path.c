/*
 * fast_path.c - the straight path for the frames captures are mostly made of: Ethernet
 * (untagged), Linux cooked v1/v2 or raw IP; IPv4 without options and unfragmented, or IPv6
 * without extension headers; SCTP with one DATA chunk holding a whole M3UA message (PPID 3)
 * and no checksum to verify. Such a frame gives exactly what link.c, ip.c and sctp.c give for
 * it (the same record, the same counters); every other frame, and every frame this path
 * has a doubt about, goes to them (cap_link_decode), so their errors stay theirs.
 * When ssgw_capture_next reads the frame, its record is written straight into the caller's
 * (cap_emit_fast), not queued and copied out again (measured: the queue's clearing, copying
 * and bookkeeping were ~100 instructions a message in ssgw decode).
 *
 * Measured (callgrind, ssgw decode): the general path through link.c, ip.c and sctp.c was ~240
 * instructions a frame before the record is queued. tests/unit/test_capture_paths.c compares
 * the two paths on generated frames of every link type taken here, truncated and mutated.
 */
#include "capture/capture_int.h"
#include "util/bytes.h"

#include <string.h>

#define ETH_IPV4   0x0800
#define ETH_IPV6   0x86DD
#define PROTO_SCTP 132

/* The IP packet at off of the frame (version 4 or 6, or 0: either), if the path takes it. */
static bool fast_ip(ssgw_capture *c, const uint8_t *f, size_t len, size_t off, int version)
{
    if (off >= len) return false;
    const uint8_t *p = f + off;
    size_t avail = len - off, ip_hdr, ip_len;
    cap_addr a;
    memset(&a, 0, sizeof a);
    if (p[0] == 0x45 && version != 6) { /* IPv4, 20-octet header */
        if (avail < 20 || p[9] != PROTO_SCTP || (get_be16(p + 6) & 0x3fff) != 0) return false;
        ip_len = get_be16(p + 2);
        if (ip_len < 20 || ip_len > avail) return false;
        ip_hdr = 20;
        a.family = 4;
        memcpy(a.src, p + 12, 4);
        memcpy(a.dst, p + 16, 4);
    } else if (p[0] >> 4 == 6 && version != 4) {
        if (avail < 40 || p[6] != PROTO_SCTP) return false;
        size_t plen = get_be16(p + 4);
        if (plen == 0 || plen > avail - 40) return false;
        ip_hdr = 40;
        ip_len = 40 + plen;
        a.family = 6;
        memcpy(a.src, p + 8, 16);
        memcpy(a.dst, p + 24, 16);
    } else
        return false;

    /* SCTP: common header, then one DATA chunk (B and E set, PPID 3), the packet's last */
    const uint8_t *s = p + ip_hdr;
    size_t slen = ip_len - ip_hdr;
    if (slen < 12 + 17 || c->lim.sctp_verify_checksum) return false;
    size_t clen = get_be16(s + 14);
    if (s[12] != 0 || (s[13] & 3) != 3 || clen <= 16 || clen > slen - 12 ||
        ((clen + 3) & ~(size_t)3) < slen - 12 || get_be32(s + 24) != SSGW_SCTP_PPID_M3UA)
        return false;
    a.sport = get_be16(s);
    a.dport = get_be16(s + 2);
    c->st.ip_packets++;
    c->st.sctp_packets++;
    cap_emit_fast(c, &a, get_be16(s + 20), s + 28, clen - 16);
    return true;
}

/* The IP version an ethertype names, 0 for any other. */
static int ether_ip(uint16_t type)
{
    return type == ETH_IPV4 ? 4 : type == ETH_IPV6 ? 6 : 0;
}

/* The link header picks where the IP packet starts and which version it may be; fast_ip is
 * called from one place, so that it (and cap_emit_fast with it) is inlined here. */
bool cap_fast_frame(ssgw_capture *c, const uint8_t *f, size_t len)
{
    size_t off;
    int v;
    switch (c->linktype) {
    case SSGW_LINKTYPE_ETHERNET:
        if (len < 14 || (v = ether_ip(get_be16(f + 12))) == 0) return false;
        off = 14;
        break;
    case SSGW_LINKTYPE_SLL:
        if (len < 16 || (v = ether_ip(get_be16(f + 14))) == 0) return false;
        off = 16;
        break;
    case SSGW_LINKTYPE_SLL2:
        if (len < 20 || (v = ether_ip(get_be16(f))) == 0) return false;
        off = 20;
        break;
    case SSGW_LINKTYPE_DLT_RAW:
    case SSGW_LINKTYPE_DLT_RAW14:
    case SSGW_LINKTYPE_RAW:
        off = 0, v = 0;
        break;
    case SSGW_LINKTYPE_IPV4:
        off = 0, v = 4;
        break;
    case SSGW_LINKTYPE_IPV6:
        off = 0, v = 6;
        break;
    default:
        return false;
    }
    return fast_ip(c, f, len, off, v);
}
