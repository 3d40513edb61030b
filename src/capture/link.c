/*
 * link.c - link layers of a captured frame (tcpdump.org LINKTYPE list):
 *   Ethernet II (IEEE 802.3) with 802.1Q / 802.1ad tags (up to 4 deep),
 *   Linux cooked capture v1 (16-byte header) and v2 (20-byte header),
 *   raw IP (DLT_RAW 12/14, LINKTYPE_RAW 101, IPV4 228, IPV6 229),
 *   BSD loopback (DLT_NULL 0, host order; DLT_LOOP 108, network order),
 *   MTP3 (141: the frame is an MSU),
 *   MTP2 (140: a Q.703 signal unit; 139: after a 4-byte pseudo-header - sent,
 *   annex A used, link number - as Wireshark reads it), issue 11,
 *   Wireshark exported PDU (252; tags per Wireshark's epan/exported_pdu.h:
 *   2-byte tag, 2-byte length, value; 0 ends the options; 12 names the
 *   dissector of the PDU that follows).
 */
#include "capture/capture_int.h"
#include "util/bytes.h"

#include <string.h>

#define ETH_IPV4      0x0800
#define ETH_IPV6      0x86DD
#define ETH_VLAN      0x8100
#define ETH_QINQ      0x88A8
#define ETH_QINQ_OLD  0x9100
#define MAX_VLAN_TAGS 4

/* Exported PDU tags (Wireshark epan/exported_pdu.h). */
#define EXP_END_OF_OPT 0
#define EXP_PROTO_NAME 12
#define EXP_IPV4_SRC   20
#define EXP_IPV4_DST   21
#define EXP_IPV6_SRC   22
#define EXP_IPV6_DST   23
#define EXP_PORT_TYPE  24
#define EXP_SRC_PORT   25
#define EXP_DST_PORT   26
#define EXP_PT_SCTP    1
#define EXP_PT_TCP     2

static void link_error(ssgw_capture *c, ssgw_errcode code, const char *field, size_t off)
{
    cap_emit_error(c, NULL, SSGW_CAPTURE_TRANSPORT_NONE, SSGW_LAYER_LINK, code, field, off);
}

/* Hands an ethertype-labelled payload at off to IP, or counts it as not IP. */
static void by_ethertype(ssgw_capture *c, uint16_t type, size_t off)
{
    if (type == ETH_IPV4)
        cap_ip_decode(c, off, 4);
    else if (type == ETH_IPV6)
        cap_ip_decode(c, off, 6);
    else
        cap_skip(c, SSGW_CAPTURE_SKIP_NOT_IP);
}

static void ethernet(ssgw_capture *c, const uint8_t *f, size_t len)
{
    if (len < 14) {
        link_error(c, SSGW_E_TRUNCATED, "ethernet header", 0);
        return;
    }
    size_t off = 12;
    uint16_t type = get_be16(f + off);
    for (int tags = 0; type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD; tags++) {
        if (tags == MAX_VLAN_TAGS) {
            link_error(c, SSGW_E_TOO_DEEP, "vlan tags", off);
            return;
        }
        if (len < off + 6) {
            link_error(c, SSGW_E_TRUNCATED, "vlan tag", off);
            return;
        }
        off += 4;
        type = get_be16(f + off);
    }
    by_ethertype(c, type, off + 2);
}

static void sll(ssgw_capture *c, const uint8_t *f, size_t len)
{
    /* packet type, ARPHRD, address length, 8-byte address, protocol */
    if (len < 16) {
        link_error(c, SSGW_E_TRUNCATED, "linux cooked header", 0);
        return;
    }
    by_ethertype(c, get_be16(f + 14), 16);
}

static void sll2(ssgw_capture *c, const uint8_t *f, size_t len)
{
    /* protocol, reserved, interface index, ARPHRD, packet type, address length, address */
    if (len < 20) {
        link_error(c, SSGW_E_TRUNCATED, "linux cooked v2 header", 0);
        return;
    }
    by_ethertype(c, get_be16(f), 20);
}

static void loopback(ssgw_capture *c, const uint8_t *f, size_t len, bool network_order)
{
    if (len < 4) {
        link_error(c, SSGW_E_TRUNCATED, "loopback header", 0);
        return;
    }
    uint32_t fam = network_order ? get_be32(f) : get_le32(f);
    /* DLT_NULL is in the writer's byte order: accept both */
    if (!network_order && fam > 0xffff) fam = get_be32(f);
    if (fam == 2)
        cap_ip_decode(c, 4, 4);
    else if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
        cap_ip_decode(c, 4, 6); /* AF_INET6: Linux, BSDs, FreeBSD, Darwin */
    else
        cap_skip(c, SSGW_CAPTURE_SKIP_NOT_IP);
}

static void mtp3(ssgw_capture *c, const uint8_t *f, size_t len)
{
    /* SIO + ITU routing label (4 bytes) at least (Q.704 section 2.2) */
    if (len < 5) {
        cap_emit_error(c, NULL, SSGW_CAPTURE_TRANSPORT_NONE, SSGW_LAYER_MTP3, SSGW_E_TRUNCATED,
                       "routing label", len < 1 ? 0 : 1);
        return;
    }
    cap_emit_msg(c, NULL, SSGW_CAPTURE_KIND_MTP3, SSGW_CAPTURE_TRANSPORT_NONE, 0, 0, f, len, false);
}

/*
 * An MTP2 signal unit (Q.703 2.2): BSN/BIB, FSN/FIB, then the length indicator
 * (6 bits; Annex A, extended sequence numbers: 12-bit BSN/FSN in two octets
 * each and a 9-bit LI, Q.703 A.2). LI 0 is a fill-in unit, 1-2 a link status
 * unit (both counted and skipped), 3 and above an MSU: SIO, routing label,
 * SIF, emitted as an MTP3 record. LI 63 (Annex A: 511) means "63 or more".
 * No frame check sequence (Wireshark's default for these link types).
 */
static void mtp2(ssgw_capture *c, const uint8_t *f, size_t len, size_t off, bool annex_a)
{
    size_t hdr = annex_a ? 6 : 3;
    if (len < off + hdr) {
        cap_emit_error(c, NULL, SSGW_CAPTURE_TRANSPORT_NONE, SSGW_LAYER_MTP2, SSGW_E_TRUNCATED,
                       "mtp2 header", off);
        return;
    }
    size_t li = annex_a ? (size_t)(get_le16(f + off + 4) & 0x1ff) : (size_t)(f[off + 2] & 0x3f);
    size_t li_max = annex_a ? 511 : 63;
    size_t body = len - off - hdr;
    if (li < 3) {
        if (body != li) {
            cap_emit_error(c, NULL, SSGW_CAPTURE_TRANSPORT_NONE, SSGW_LAYER_MTP2, SSGW_E_BAD_LENGTH,
                           "mtp2 length indicator", off + hdr - 1);
            return;
        }
        cap_skip(c, SSGW_CAPTURE_SKIP_MTP2_LINK_UNIT);
        return;
    }
    if (li < li_max ? body != li : body < li) {
        cap_emit_error(c, NULL, SSGW_CAPTURE_TRANSPORT_NONE, SSGW_LAYER_MTP2, SSGW_E_BAD_LENGTH,
                       "mtp2 length indicator", off + hdr - 1);
        return;
    }
    if (body < 5) { /* SIO + ITU routing label */
        cap_emit_error(c, NULL, SSGW_CAPTURE_TRANSPORT_NONE, SSGW_LAYER_MTP3, SSGW_E_TRUNCATED,
                       "routing label", off + hdr + 1);
        return;
    }
    cap_emit_msg(c, NULL, SSGW_CAPTURE_KIND_MTP3, SSGW_CAPTURE_TRANSPORT_NONE, 0, 0, f + off + hdr,
                 body, false);
}

static void mtp2_phdr(ssgw_capture *c, const uint8_t *f, size_t len)
{
    /* sent (1 octet), annex_a_used (1: 0 not used, 1 used, 2 unknown), link number (2) */
    if (len < 4) {
        link_error(c, SSGW_E_TRUNCATED, "mtp2 pseudo-header", 0);
        return;
    }
    mtp2(c, f, len, 4, f[1] == 1);
}

static bool name_is(const uint8_t *v, size_t n, const char *name)
{
    while (n > 0 && v[n - 1] == 0) /* writers pad the name with NULs */
        n--;
    size_t nl = strlen(name);
    return n == nl && memcmp(v, name, n) == 0;
}

static void exported_pdu(ssgw_capture *c, const uint8_t *f, size_t len)
{
    cap_addr a;
    memset(&a, 0, sizeof a);
    ssgw_capture_transport tr = SSGW_CAPTURE_TRANSPORT_NONE;
    const uint8_t *name = NULL;
    size_t name_len = 0, off = 0;
    for (;;) {
        if (len - off < 4) {
            link_error(c, SSGW_E_TRUNCATED, "exported pdu tag", off);
            return;
        }
        uint16_t tag = get_be16(f + off), tl = get_be16(f + off + 2);
        if (tl > len - off - 4) {
            link_error(c, SSGW_E_TRUNCATED, "exported pdu tag", off);
            return;
        }
        const uint8_t *v = f + off + 4;
        if (tag == EXP_PROTO_NAME) {
            name = v;
            name_len = tl;
        } else if ((tag == EXP_IPV4_SRC || tag == EXP_IPV4_DST) && tl == 4 && a.family != 6) {
            a.family = 4;
            memcpy(tag == EXP_IPV4_SRC ? a.src : a.dst, v, 4);
        } else if ((tag == EXP_IPV6_SRC || tag == EXP_IPV6_DST) && tl == 16 && a.family != 4) {
            a.family = 6;
            memcpy(tag == EXP_IPV6_SRC ? a.src : a.dst, v, 16);
        } else if ((tag == EXP_SRC_PORT || tag == EXP_DST_PORT) && tl == 4) {
            uint16_t port = (uint16_t)get_be32(v);
            if (tag == EXP_SRC_PORT)
                a.sport = port;
            else
                a.dport = port;
        } else if (tag == EXP_PORT_TYPE && tl == 4) {
            uint32_t pt = get_be32(v);
            tr = pt == EXP_PT_SCTP  ? SSGW_CAPTURE_TRANSPORT_SCTP
                 : pt == EXP_PT_TCP ? SSGW_CAPTURE_TRANSPORT_TCP
                                    : SSGW_CAPTURE_TRANSPORT_NONE;
        }
        off += 4 + (size_t)tl;
        if (tag == EXP_END_OF_OPT) break;
    }
    if (!name) {
        link_error(c, SSGW_E_MISSING, "exported pdu protocol name", 0);
        return;
    }
    ssgw_capture_kind kind = SSGW_CAPTURE_KIND_NONE;
    if (name_is(name, name_len, "m3ua"))
        kind = SSGW_CAPTURE_KIND_M3UA;
    else if (name_is(name, name_len, "sccp"))
        kind = SSGW_CAPTURE_KIND_SCCP;
    else if (name_is(name, name_len, "mtp3"))
        kind = SSGW_CAPTURE_KIND_MTP3;
    else if (name_is(name, name_len, "diameter"))
        kind = SSGW_CAPTURE_KIND_DIAMETER;
    if (kind == SSGW_CAPTURE_KIND_NONE) {
        cap_skip(c, SSGW_CAPTURE_SKIP_OTHER_PDU);
        return;
    }
    if (off == len) {
        cap_emit_error(c, &a, tr, SSGW_LAYER_LINK, SSGW_E_MISSING, "exported pdu payload", off);
        return;
    }
    cap_emit_msg(c, &a, kind, tr, 0, 0, f + off, len - off, false);
}

void cap_link_decode(ssgw_capture *c, const uint8_t *f, size_t len)
{
    switch (c->linktype) {
    case SSGW_LINKTYPE_ETHERNET:
        ethernet(c, f, len);
        break;
    case SSGW_LINKTYPE_SLL:
        sll(c, f, len);
        break;
    case SSGW_LINKTYPE_SLL2:
        sll2(c, f, len);
        break;
    case SSGW_LINKTYPE_DLT_RAW:
    case SSGW_LINKTYPE_DLT_RAW14:
    case SSGW_LINKTYPE_RAW:
        cap_ip_decode(c, 0, 0);
        break;
    case SSGW_LINKTYPE_IPV4:
        cap_ip_decode(c, 0, 4);
        break;
    case SSGW_LINKTYPE_IPV6:
        cap_ip_decode(c, 0, 6);
        break;
    case SSGW_LINKTYPE_NULL:
        loopback(c, f, len, false);
        break;
    case SSGW_LINKTYPE_LOOP:
        loopback(c, f, len, true);
        break;
    case SSGW_LINKTYPE_MTP3:
        mtp3(c, f, len);
        break;
    case SSGW_LINKTYPE_UPPER_PDU:
        exported_pdu(c, f, len);
        break;
    case SSGW_LINKTYPE_MTP2: /* issue 11 */
        mtp2(c, f, len, 0, false);
        break;
    case SSGW_LINKTYPE_MTP2_WITH_PHDR:
        mtp2_phdr(c, f, len);
        break;
    default:
        link_error(c, SSGW_E_UNSUPPORTED, "link type", 0);
        break;
    }
}
