/*
 * ip.c - IPv4 (RFC 791) and IPv6 (RFC 8200) headers of a captured packet.
 *
 * Checks version, header length, total / payload length against what was
 * captured (a shorter capture is a truncation error; Ethernet padding beyond
 * the total length is ignored). IPv6 extension headers hop-by-hop (0),
 * routing (43), destination options (60) and AH (51, RFC 4302) are skipped.
 * IP fragments (RFC 791 MF / fragment offset, IPv6 fragment header 44) are
 * not reassembled: they give an error record "ip fragment" (unsupported).
 * SCTP (132) goes to sctp.c, TCP (6) to tcp_stream.c, anything else is
 * counted as not signalling.
 */
#include "capture/capture_int.h"
#include "util/bytes.h"

#include <string.h>

#define PROTO_TCP       6
#define PROTO_SCTP      132
#define MAX_EXT_HEADERS 8

static void ip_error(ssgw_capture *c, const cap_addr *a, ssgw_errcode code, const char *field,
                     size_t off)
{
    cap_emit_error(c, a, SSGW_CAPTURE_TRANSPORT_NONE, SSGW_LAYER_IP, code, field, off);
}

static void transport(ssgw_capture *c, cap_addr *a, uint8_t proto, size_t off, size_t len)
{
    c->st.ip_packets++;
    if (proto == PROTO_SCTP) {
        c->st.sctp_packets++;
        cap_sctp_decode(c, a, off, len);
    } else if (proto == PROTO_TCP) {
        c->st.tcp_segments++;
        cap_tcp_segment(c, a, off, len);
    } else
        cap_skip(c, SSGW_CAPTURE_SKIP_OTHER_IP_PROTO);
}

static void ipv4(ssgw_capture *c, size_t off)
{
    const uint8_t *p = c->frame_data + off;
    size_t avail = c->frame_len - off;
    if (avail < 20) {
        ip_error(c, NULL, SSGW_E_TRUNCATED, "ipv4 header", off);
        return;
    }
    size_t ihl = (size_t)(p[0] & 0x0f) * 4;
    if (ihl < 20) {
        ip_error(c, NULL, SSGW_E_BAD_LENGTH, "ipv4 header length", off);
        return;
    }
    if (ihl > avail) {
        ip_error(c, NULL, SSGW_E_TRUNCATED, "ipv4 options", off + 20);
        return;
    }
    cap_addr a;
    memset(&a, 0, sizeof a);
    a.family = 4;
    memcpy(a.src, p + 12, 4);
    memcpy(a.dst, p + 16, 4);
    size_t total = get_be16(p + 2);
    if (total < ihl) {
        ip_error(c, &a, SSGW_E_BAD_LENGTH, "ipv4 total length", off + 2);
        return;
    }
    if (total > avail) {
        ip_error(c, &a, SSGW_E_TRUNCATED, "ipv4 payload", off + avail);
        return;
    }
    uint16_t frag = get_be16(p + 6);
    if ((frag & 0x2000) || (frag & 0x1fff)) {
        ip_error(c, &a, SSGW_E_UNSUPPORTED, "ip fragment", off + 6);
        return;
    }
    transport(c, &a, p[9], off + ihl, total - ihl);
}

static void ipv6(ssgw_capture *c, size_t off)
{
    const uint8_t *p = c->frame_data + off;
    size_t avail = c->frame_len - off;
    if (avail < 40) {
        ip_error(c, NULL, SSGW_E_TRUNCATED, "ipv6 header", off);
        return;
    }
    cap_addr a;
    memset(&a, 0, sizeof a);
    a.family = 6;
    memcpy(a.src, p + 8, 16);
    memcpy(a.dst, p + 24, 16);
    size_t plen = get_be16(p + 4);
    if (plen == 0) { /* jumbogram (RFC 2675) or nothing */
        ip_error(c, &a, SSGW_E_UNSUPPORTED, "ipv6 payload length", off + 4);
        return;
    }
    if (plen > avail - 40) {
        ip_error(c, &a, SSGW_E_TRUNCATED, "ipv6 payload", off + avail);
        return;
    }
    uint8_t next = p[6];
    size_t pos = 40, end = 40 + plen;
    for (int n = 0;; n++) {
        if (next == 44) {
            ip_error(c, &a, SSGW_E_UNSUPPORTED, "ip fragment", off + pos);
            return;
        }
        if (next != 0 && next != 43 && next != 60 && next != 51) break;
        if (n == MAX_EXT_HEADERS) {
            ip_error(c, &a, SSGW_E_TOO_DEEP, "ipv6 extension headers", off + pos);
            return;
        }
        if (end - pos < 8) {
            ip_error(c, &a, SSGW_E_TRUNCATED, "ipv6 extension header", off + pos);
            return;
        }
        size_t hl = next == 51 ? ((size_t)p[pos + 1] + 2) * 4 : ((size_t)p[pos + 1] + 1) * 8;
        if (hl > end - pos) {
            ip_error(c, &a, SSGW_E_TRUNCATED, "ipv6 extension header", off + pos);
            return;
        }
        next = p[pos];
        pos += hl;
    }
    transport(c, &a, next, off + pos, end - pos);
}

void cap_ip_decode(ssgw_capture *c, size_t off, int version)
{
    if (off >= c->frame_len) {
        ip_error(c, NULL, SSGW_E_TRUNCATED, "ip header", off);
        return;
    }
    int v = c->frame_data[off] >> 4;
    if (version != 0 && v != version) {
        ip_error(c, NULL, SSGW_E_BAD_VALUE, "ip version", off);
        return;
    }
    if (v == 4)
        ipv4(c, off);
    else if (v == 6)
        ipv6(c, off);
    else
        ip_error(c, NULL, SSGW_E_BAD_VALUE, "ip version", off);
}
