/*
 * pcap_writer.c - classic pcap files (tcpdump.org "pcap file format":
 * 24-byte file header, 16-byte record headers, microsecond timestamps,
 * written little-endian) of synthetic SS7 traffic.
 *
 * Packets are built bottom-up into a stack buffer: transport (SCTP per
 * RFC 9260 with CRC32c, or TCP per RFC 9293 with its checksum), then IPv4
 * (RFC 791, header checksum, DF) or IPv6 (RFC 8200), then the link header of
 * the file's link type. MAC addresses are derived from the IP addresses
 * (locally administered 02:00:<ipv4>) so that conversations look stable.
 */
#include "ssgw/pcap_writer.h"
#include "ssgw/capture.h"
#include "util/bytes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FRAME    65600
#define LINK_ROOM    24 /* largest link header we prepend */
#define MAX_TCP_DIRS 64

typedef struct {
    ssgw_pcap_endpoints ep; /* vtag ignored */
    uint32_t next_seq;
} tcp_dir;

struct ssgw_pcap_writer {
    FILE *f;
    int linktype;
    uint16_t ip_id;
    bool failed;
    char err[256];
    tcp_dir dirs[MAX_TCP_DIRS];
    size_t n_dirs;
    uint8_t pkt[LINK_ROOM + 40 + MAX_FRAME]; /* packet under construction */
};

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static int fail(ssgw_pcap_writer *w, const char *msg)
{
    snprintf(w->err, sizeof w->err, "%s", msg);
    w->failed = true;
    return -1;
}

ssgw_pcap_writer *ssgw_pcap_writer_open(const char *path, int linktype, char *errbuf, size_t errlen)
{
    if (linktype == SSGW_LINKTYPE_DLT_RAW || linktype == SSGW_LINKTYPE_DLT_RAW14)
        linktype = SSGW_LINKTYPE_RAW;
    ssgw_pcap_writer *w = calloc(1, sizeof *w);
    if (!w) {
        if (errbuf && errlen) snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    w->f = fopen(path, "wb");
    if (!w->f) {
        if (errbuf && errlen) snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
        free(w);
        return NULL;
    }
    w->linktype = linktype;
    w->ip_id = 1;
    uint8_t h[24];
    put_le32(h, 0xa1b2c3d4u); /* microsecond resolution */
    put_le16(h + 4, 2);
    put_le16(h + 6, 4);
    put_le32(h + 8, 0);  /* thiszone */
    put_le32(h + 12, 0); /* sigfigs */
    put_le32(h + 16, MAX_FRAME);
    put_le32(h + 20, (uint32_t)linktype);
    if (fwrite(h, 1, sizeof h, w->f) != sizeof h) {
        if (errbuf && errlen) snprintf(errbuf, errlen, "%s: write failed", path);
        fclose(w->f);
        free(w);
        return NULL;
    }
    return w;
}

int ssgw_pcap_writer_close(ssgw_pcap_writer *w)
{
    if (!w) return 0;
    int rc = w->failed ? -1 : 0;
    if (fclose(w->f) != 0) rc = -1;
    free(w);
    return rc;
}

const char *ssgw_pcap_writer_error(const ssgw_pcap_writer *w)
{
    return w->err;
}

int ssgw_pcap_write_raw(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec,
                        const uint8_t *frame, size_t len)
{
    if (len > MAX_FRAME) return fail(w, "frame too large");
    uint8_t h[16];
    put_le32(h, ts_sec);
    put_le32(h + 4, ts_usec);
    put_le32(h + 8, (uint32_t)len);
    put_le32(h + 12, (uint32_t)len);
    if (fwrite(h, 1, sizeof h, w->f) != sizeof h || (len && fwrite(frame, 1, len, w->f) != len))
        return fail(w, "write failed");
    return 0;
}

int ssgw_pcap_write_mtp3(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec, const uint8_t *msu,
                         size_t len)
{
    if (w->linktype != SSGW_LINKTYPE_MTP3) return fail(w, "file link type is not MTP3 (141)");
    return ssgw_pcap_write_raw(w, ts_sec, ts_usec, msu, len);
}

/* One's complement sum (RFC 1071) over len bytes, added to sum. */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += get_be16(p + i);
    if (len & 1) sum += (uint32_t)p[len - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void mac_of(const ssgw_pcap_endpoints *ep, bool src, uint8_t *mac)
{
    mac[0] = 0x02;
    mac[1] = 0x00;
    if (ep->ipv6)
        memcpy(mac + 2, (src ? ep->src_ip6 : ep->dst_ip6) + 12, 4);
    else
        put_be32(mac + 2, src ? ep->src_ip4 : ep->dst_ip4);
}

/*
 * l4 (len bytes, at buf + LINK_ROOM + 40 reserved room) is wrapped in IP and
 * the link header, then written. proto is the IP protocol number. When
 * tcp_csum_at >= 0 the TCP checksum at that offset of l4 is filled in.
 */
static int write_ip(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec,
                    const ssgw_pcap_endpoints *ep, uint8_t *buf, size_t len, uint8_t proto,
                    long tcp_csum_at)
{
    uint8_t *l4 = buf + LINK_ROOM + 40;
    size_t iphl = ep->ipv6 ? 40 : 20;
    uint8_t *ip = l4 - iphl;
    if (ep->ipv6) {
        if (len > 0xffff) return fail(w, "packet too large");
        memset(ip, 0, 40);
        ip[0] = 0x60;
        put_be16(ip + 4, (uint16_t)len);
        ip[6] = proto;
        ip[7] = 64;
        memcpy(ip + 8, ep->src_ip6, 16);
        memcpy(ip + 24, ep->dst_ip6, 16);
    } else {
        if (len + 20 > 0xffff) return fail(w, "packet too large");
        memset(ip, 0, 20);
        ip[0] = 0x45;
        put_be16(ip + 2, (uint16_t)(len + 20));
        put_be16(ip + 4, w->ip_id++);
        put_be16(ip + 6, 0x4000); /* DF */
        ip[8] = 64;
        ip[9] = proto;
        put_be32(ip + 12, ep->src_ip4);
        put_be32(ip + 16, ep->dst_ip4);
        put_be16(ip + 10, fold(sum16(0, ip, 20)));
    }
    if (tcp_csum_at >= 0) {
        /* pseudo-header: addresses, protocol, length (RFC 9293 3.1, RFC 8200 8.1) */
        uint32_t s = ep->ipv6 ? sum16(0, ip + 8, 32) : sum16(0, ip + 12, 8);
        s += proto;
        s += (uint32_t)(len & 0xffff) + (uint32_t)(len >> 16);
        put_be16(l4 + tcp_csum_at, fold(sum16(s, l4, len)));
    }
    uint16_t ethertype = ep->ipv6 ? 0x86DD : 0x0800;
    uint8_t *frame = ip;
    switch (w->linktype) {
    case SSGW_LINKTYPE_ETHERNET:
        frame -= 14;
        mac_of(ep, false, frame);
        mac_of(ep, true, frame + 6);
        put_be16(frame + 12, ethertype);
        break;
    case SSGW_LINKTYPE_SLL:
        frame -= 16;
        memset(frame, 0, 16);
        put_be16(frame, 4);     /* sent by us */
        put_be16(frame + 2, 1); /* ARPHRD_ETHER */
        put_be16(frame + 4, 6); /* address length */
        mac_of(ep, true, frame + 6);
        put_be16(frame + 14, ethertype);
        break;
    case SSGW_LINKTYPE_SLL2:
        frame -= 20;
        memset(frame, 0, 20);
        put_be16(frame, ethertype);
        put_be32(frame + 4, 1); /* interface index */
        put_be16(frame + 8, 1); /* ARPHRD_ETHER */
        frame[10] = 4;          /* outgoing */
        frame[11] = 6;
        mac_of(ep, true, frame + 12);
        break;
    case SSGW_LINKTYPE_NULL:
        frame -= 4;
        put_le32(frame, ep->ipv6 ? 10 : 2); /* AF_INET6 (Linux) / AF_INET, writer's order */
        break;
    case SSGW_LINKTYPE_RAW:
        break;
    case SSGW_LINKTYPE_IPV4:
        if (ep->ipv6) return fail(w, "IPv6 packet in an IPv4 (228) file");
        break;
    case SSGW_LINKTYPE_IPV6:
        if (!ep->ipv6) return fail(w, "IPv4 packet in an IPv6 (229) file");
        break;
    default:
        return fail(w, "link type cannot carry IP packets");
    }
    return ssgw_pcap_write_raw(w, ts_sec, ts_usec, frame, (size_t)(l4 + len - frame));
}

int ssgw_pcap_write_sctp_chunks(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec,
                                const ssgw_pcap_endpoints *ep, const ssgw_pcap_chunk *chunks,
                                size_t n)
{
    uint8_t *buf = w->pkt;
    uint8_t *l4 = buf + LINK_ROOM + 40;
    size_t room = MAX_FRAME - 40 - LINK_ROOM, pos = 12;
    put_be16(l4, ep->src_port);
    put_be16(l4 + 2, ep->dst_port);
    put_be32(l4 + 4, ep->vtag);
    put_be32(l4 + 8, 0);
    for (size_t i = 0; i < n; i++) {
        const ssgw_pcap_chunk *ch = &chunks[i];
        size_t clen = 16 + ch->len, padded = (clen + 3) & ~(size_t)3;
        if (clen > 0xffff || padded > room - pos) return fail(w, "sctp packet too large");
        l4[pos] = 0; /* DATA */
        l4[pos + 1] = ch->flags & 0x07;
        put_be16(l4 + pos + 2, (uint16_t)clen);
        put_be32(l4 + pos + 4, ch->tsn);
        put_be16(l4 + pos + 8, ch->stream);
        put_be16(l4 + pos + 10, ch->ssn);
        put_be32(l4 + pos + 12, ch->ppid);
        if (ch->len) memcpy(l4 + pos + 16, ch->data, ch->len);
        memset(l4 + pos + clen, 0, padded - clen);
        pos += padded;
    }
    /* RFC 9260 appendix A: CRC32c over the packet with the checksum field zero,
     * stored least significant byte first */
    put_le32(l4 + 8, ssgw_crc32c(0, l4, pos));
    return write_ip(w, ts_sec, ts_usec, ep, buf, pos, 132, -1);
}

int ssgw_pcap_write_sctp(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec,
                         const ssgw_pcap_endpoints *ep, uint16_t stream, uint32_t tsn,
                         const uint8_t *m3ua, size_t len)
{
    ssgw_pcap_chunk ch = {.tsn = tsn,
                          .stream = stream,
                          .ssn = 0,
                          .ppid = SSGW_SCTP_PPID_M3UA,
                          .flags = SSGW_PCAP_CHUNK_WHOLE,
                          .data = m3ua,
                          .len = len};
    return ssgw_pcap_write_sctp_chunks(w, ts_sec, ts_usec, ep, &ch, 1);
}

int ssgw_pcap_write_tcp_segment(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec,
                                const ssgw_pcap_endpoints *ep, uint32_t seq, uint32_t ack,
                                uint8_t flags, const uint8_t *data, size_t len)
{
    uint8_t *buf = w->pkt;
    uint8_t *l4 = buf + LINK_ROOM + 40;
    if (len > MAX_FRAME - 40 - LINK_ROOM - 20) return fail(w, "tcp segment too large");
    put_be16(l4, ep->src_port);
    put_be16(l4 + 2, ep->dst_port);
    put_be32(l4 + 4, seq);
    put_be32(l4 + 8, ack);
    l4[12] = 5 << 4;
    l4[13] = flags;
    put_be16(l4 + 14, 65535); /* window */
    put_be16(l4 + 16, 0);     /* checksum, filled by write_ip */
    put_be16(l4 + 18, 0);
    if (len) memcpy(l4 + 20, data, len);
    return write_ip(w, ts_sec, ts_usec, ep, buf, 20 + len, 6, 16);
}

static bool same_dir(const ssgw_pcap_endpoints *a, const ssgw_pcap_endpoints *b)
{
    if (a->ipv6 != b->ipv6 || a->src_port != b->src_port || a->dst_port != b->dst_port)
        return false;
    if (a->ipv6)
        return memcmp(a->src_ip6, b->src_ip6, 16) == 0 && memcmp(a->dst_ip6, b->dst_ip6, 16) == 0;
    return a->src_ip4 == b->src_ip4 && a->dst_ip4 == b->dst_ip4;
}

static tcp_dir *find_dir(ssgw_pcap_writer *w, const ssgw_pcap_endpoints *ep, bool create)
{
    for (size_t i = 0; i < w->n_dirs; i++)
        if (same_dir(&w->dirs[i].ep, ep)) return &w->dirs[i];
    if (!create) return NULL;
    tcp_dir *d = &w->dirs[w->n_dirs < MAX_TCP_DIRS ? w->n_dirs++ : MAX_TCP_DIRS - 1];
    d->ep = *ep;
    d->next_seq = 1;
    return d;
}

int ssgw_pcap_write_tcp(ssgw_pcap_writer *w, uint32_t ts_sec, uint32_t ts_usec,
                        const ssgw_pcap_endpoints *ep, const uint8_t *data, size_t len)
{
    tcp_dir *d = find_dir(w, ep, true);
    ssgw_pcap_endpoints rev = *ep;
    rev.src_ip4 = ep->dst_ip4;
    rev.dst_ip4 = ep->src_ip4;
    memcpy(rev.src_ip6, ep->dst_ip6, 16);
    memcpy(rev.dst_ip6, ep->src_ip6, 16);
    rev.src_port = ep->dst_port;
    rev.dst_port = ep->src_port;
    const tcp_dir *r = find_dir(w, &rev, false);
    uint32_t seq = d->next_seq;
    int rc = ssgw_pcap_write_tcp_segment(w, ts_sec, ts_usec, ep, seq, r ? r->next_seq : 1,
                                         SSGW_PCAP_TCP_PSH | SSGW_PCAP_TCP_ACK, data, len);
    if (rc == 0) d->next_seq = seq + (uint32_t)len;
    return rc;
}
