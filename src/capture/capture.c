/*
 * capture.c - the capture reader: frames from a regular classic pcap file
 * (pcap_file.c), from libpcap (pcapng, stdin, pipes, other pcap headers, via
 * pcap_open_offline) or fed by the caller, decoded by link.c / ip.c / sctp.c /
 * tcp_stream.c into a queue of records that ssgw_capture_next() hands out one
 * at a time. See include/ssgw/capture.h for the contract.
 *
 * Memory: the queue and its byte arena belong to the current frame and are
 * reset when the next frame is read; message bytes either point into the
 * frame (unfragmented SCTP DATA, MTP3, exported PDU) or into the arena
 * (reassembled SCTP / TCP messages).
 *
 * Measured: IPv4 addresses are written as text from a per-octet table (octet_dot); regular
 * files in classic pcap format are read by pcap_file.c, not libpcap (pcap_next_ex cost 422
 * instructions a record, the window reader ~70; see there).
 */
#include "capture/capture_int.h"
#include "capture/pcap_file.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include "ssgw/diameter.h"
#include "ssgw/json.h"
#include <stdio.h>
#include <stdio_ext.h>
#include <errno.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

static const char *const kind_names[SSGW_CAPTURE_KIND_COUNT] = {
    [SSGW_CAPTURE_KIND_NONE] = "none",
    [SSGW_CAPTURE_KIND_M3UA] = "m3ua",
    [SSGW_CAPTURE_KIND_MTP3] = "mtp3",
    [SSGW_CAPTURE_KIND_SCCP] = "sccp",
    [SSGW_CAPTURE_KIND_DIAMETER] = "diameter",
    /* issue 11 */
    [SSGW_CAPTURE_KIND_M2PA] = "m2pa",
    [SSGW_CAPTURE_KIND_M2UA] = "m2ua",
    [SSGW_CAPTURE_KIND_SUA] = "sua",
};

static const char *const transport_names[SSGW_CAPTURE_TRANSPORT_COUNT] = {
    [SSGW_CAPTURE_TRANSPORT_NONE] = "none",
    [SSGW_CAPTURE_TRANSPORT_SCTP] = "sctp",
    [SSGW_CAPTURE_TRANSPORT_TCP] = "tcp",
};

static const char *const skip_names[SSGW_CAPTURE_SKIP_COUNT] = {
    [SSGW_CAPTURE_SKIP_NOT_IP] = "not ip",
    [SSGW_CAPTURE_SKIP_OTHER_IP_PROTO] = "other ip protocol",
    [SSGW_CAPTURE_SKIP_SCTP_CONTROL] = "sctp control chunk",
    [SSGW_CAPTURE_SKIP_SCTP_OTHER_PPID] = "sctp other ppid",
    [SSGW_CAPTURE_SKIP_SCTP_DUPLICATE] = "sctp duplicate fragment",
    [SSGW_CAPTURE_SKIP_TCP_NO_PAYLOAD] = "tcp no payload",
    [SSGW_CAPTURE_SKIP_TCP_NOT_M3UA] = "tcp not m3ua or diameter",
    [SSGW_CAPTURE_SKIP_TCP_RETRANSMISSION] = "tcp retransmission",
    [SSGW_CAPTURE_SKIP_OTHER_PDU] = "exported pdu of another protocol",
    [SSGW_CAPTURE_SKIP_MTP2_LINK_UNIT] = "mtp2 fill-in or link status unit", /* issue 11 */
};

const char *ssgw_capture_kind_name(ssgw_capture_kind kind)
{
    return (unsigned)kind < SSGW_CAPTURE_KIND_COUNT ? kind_names[kind] : "?";
}

const char *ssgw_capture_transport_name(ssgw_capture_transport transport)
{
    return (unsigned)transport < SSGW_CAPTURE_TRANSPORT_COUNT ? transport_names[transport] : "?";
}

size_t ssgw_capture_endpoint(const char *ip, uint16_t port, char *out)
{
    size_t n = strnlen(ip, sizeof((ssgw_capture_msg *)0)->src_ip - 1);
    memcpy(out, ip, n);
    out[n++] = ':';
    size_t d = ssgw_json_dec_len(port);
    ssgw_json_dec_u64(out + n + d, port);
    out[n + d] = '\0';
    return n + d;
}

const char *ssgw_capture_skip_name(ssgw_capture_skip skip)
{
    return (unsigned)skip < SSGW_CAPTURE_SKIP_COUNT ? skip_names[skip] : "?";
}

void ssgw_capture_limits_default(ssgw_capture_limits *l)
{
    memset(l, 0, sizeof *l);
    l->max_message_len = 65536;
    l->sctp_max_fragments = 256;
    l->sctp_max_frag_bytes = 1u << 20;
    l->tcp_max_flows = 1024;
    l->tcp_max_flow_bytes = 128u << 10;
    l->tcp_max_ooo_segments = 32;
    l->m3ua_ports[0] = SSGW_M3UA_PORT;
    l->tcp_detect_m3ua = true;
    l->sctp_verify_checksum = false;
    l->diameter_ports[0] = SSGW_DIAM_PORT;
    l->tcp_detect_diameter = true;
}

static void set_err(char *errbuf, size_t errlen, const char *fmt, const char *arg)
{
    if (errbuf && errlen) snprintf(errbuf, errlen, fmt, arg);
}

static ssgw_capture *cap_new(const ssgw_capture_limits *limits)
{
    ssgw_capture *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    if (limits)
        c->lim = *limits;
    else
        ssgw_capture_limits_default(&c->lim);
    /* zero caps would make every message an error; keep them usable */
    if (c->lim.max_message_len < 8) c->lim.max_message_len = 8;
    if (c->lim.tcp_max_flow_bytes < c->lim.max_message_len)
        c->lim.tcp_max_flow_bytes = c->lim.max_message_len;
    if (c->lim.tcp_max_flows == 0) c->lim.tcp_max_flows = 1;
    return c;
}

#define EXPECTED                                                                                   \
    "expected a pcap or pcapng capture (tcpdump, Wireshark, dumpcap) of M3UA over SCTP or TCP, "   \
    "MTP3, SCCP, or Diameter over TCP or SCTP"

/* Why libpcap refused path, in the user's terms: empty, truncated, text, another format. */
static void explain_open_error(const char *path, const char *pcap_err, char *errbuf, size_t errlen)
{
    if (!errbuf || !errlen) return;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
        return;
    }
    uint8_t head[24];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    static const uint8_t magics[][4] = {{0xd4, 0xc3, 0xb2, 0xa1},
                                        {0xa1, 0xb2, 0xc3, 0xd4},
                                        {0x4d, 0x3c, 0xb2, 0xa1},
                                        {0xa1, 0xb2, 0x3c, 0x4d},
                                        {0x0a, 0x0d, 0x0d, 0x0a}};
    bool magic = false;
    for (size_t i = 0; i < sizeof magics / sizeof magics[0] && n >= 4; i++)
        magic = magic || !memcmp(head, magics[i], 4);
    if (n == 0) {
        snprintf(errbuf, errlen, "%s: empty file; " EXPECTED, path);
    } else if (magic) {
        snprintf(errbuf, errlen,
                 "%s: a capture whose file header is cut or damaged (%s); " EXPECTED, path,
                 pcap_err);
    } else {
        char shown[17];
        size_t k = 0;
        bool text = true;
        for (size_t i = 0; i < n && k < 16; i++) {
            bool pr = head[i] >= 0x20 && head[i] < 0x7f;
            text = text && (pr || head[i] == '\n' || head[i] == '\r' || head[i] == '\t');
            shown[k++] = pr ? (char)head[i] : '.';
        }
        shown[k] = '\0';
        snprintf(errbuf, errlen, "%s: not a pcap or pcapng file (%s starting \"%s\"); " EXPECTED,
                 path, text ? "text" : "data", shown);
    }
}

/* A regular file in classic pcap format that pcap_file.c accepts, or NULL (libpcap reads it). */
static cap_pcap_file *open_pcap_file(const char *path)
{
    if (strcmp(path, "-") == 0) return NULL; /* libpcap's name for stdin */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL; /* libpcap says why */
    cap_pcap_file *pf = cap_pcap_file_open(fd);
    if (!pf) close(fd);
    return pf;
}

ssgw_capture *ssgw_capture_open(const char *path, const ssgw_capture_limits *limits, char *errbuf,
                                size_t errlen)
{
    cap_pcap_file *pf = open_pcap_file(path);
    pcap_t *p = NULL;
    if (!pf) {
        char pe[PCAP_ERRBUF_SIZE] = "";
        p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, pe);
        if (!p) {
            explain_open_error(path, pe[0] ? pe : "cannot open capture", errbuf, errlen);
            return NULL;
        }
    }
    ssgw_capture *c = cap_new(limits);
    if (!c) {
        cap_pcap_file_close(pf);
        if (p) pcap_close(p);
        set_err(errbuf, errlen, "%s", "out of memory");
        return NULL;
    }
    c->pf = pf;
    c->pcap = p;
    if (pf) {
        c->linktype = cap_pcap_file_linktype(pf);
        return c;
    }
    c->linktype = pcap_datalink(p);
    /* libpcap reads each record with two freads; a pcap_t is not to be shared between
     * threads (libpcap) and neither is this handle, so its stream needs no lock per call
     * (measured: ~40 instructions a record). */
    FILE *f = pcap_file(p);
    if (f) __fsetlocking(f, FSETLOCKING_BYCALLER);
    return c;
}

ssgw_capture *ssgw_capture_open_linktype(int linktype, const ssgw_capture_limits *limits,
                                         char *errbuf, size_t errlen)
{
    ssgw_capture *c = cap_new(limits);
    if (!c) {
        set_err(errbuf, errlen, "%s", "out of memory");
        return NULL;
    }
    c->fed = true;
    c->linktype = linktype;
    return c;
}

void ssgw_capture_close(ssgw_capture *c)
{
    if (!c) return;
    if (c->pcap) pcap_close(c->pcap);
    cap_pcap_file_close(c->pf);
    cap_sctp_free(c);
    cap_tcp_free(c);
    free(c->q);
    free(c->arena);
    free(c);
}

const char *ssgw_capture_error(const ssgw_capture *c)
{
    return c->errmsg;
}

int ssgw_capture_linktype(const ssgw_capture *c)
{
    return c->linktype;
}

const ssgw_capture_stats *ssgw_capture_get_stats(const ssgw_capture *c)
{
    return &c->st;
}

bool cap_is_m3ua_port(const ssgw_capture *c, uint16_t port)
{
    for (size_t i = 0; i < sizeof c->lim.m3ua_ports / sizeof c->lim.m3ua_ports[0]; i++)
        if (c->lim.m3ua_ports[i] && c->lim.m3ua_ports[i] == port) return true;
    return false;
}

bool cap_is_diameter_port(const ssgw_capture *c, uint16_t port)
{
    for (size_t i = 0; i < sizeof c->lim.diameter_ports / sizeof c->lim.diameter_ports[0]; i++)
        if (c->lim.diameter_ports[i] && c->lim.diameter_ports[i] == port) return true;
    return false;
}

void cap_skip(ssgw_capture *c, ssgw_capture_skip why)
{
    c->st.skipped[why]++;
}

/* Where the record's two address texts lie in a queued record (and in ssgw_capture_msg). */
#define TEXTS_AT  offsetof(ssgw_capture_msg, src_ip)
#define TEXTS_END (offsetof(ssgw_capture_msg, dst_ip) + sizeof((ssgw_capture_msg *)0)->dst_ip)
_Static_assert(offsetof(cap_out, msg) == 0, "the record comes first in a queued one");
_Static_assert(offsetof(ssgw_capture_msg, dst_ip) ==
                   offsetof(ssgw_capture_msg, src_ip) + sizeof((ssgw_capture_msg *)0)->src_ip,
               "the two address texts are next to each other");

static cap_out *queue_push(ssgw_capture *c)
{
    if (c->q_len == c->q_cap) {
        size_t ncap = c->q_cap ? c->q_cap * 2 : 16;
        cap_out *nq = realloc(c->q, ncap * sizeof *nq);
        if (!nq) {
            c->oom = true;
            return NULL;
        }
        c->q = nq;
        c->q_cap = ncap;
    }
    cap_out *o = &c->q[c->q_len++];
    /* all but the two address texts, which queue_pop always takes from the pair memo
     * (measured: clearing and copying them was ~20 instructions a message) */
    memset(o, 0, TEXTS_AT);
    memset((char *)o + TEXTS_END, 0, sizeof *o - TEXTS_END);
    o->msg.frame = c->frame;
    o->msg.ts_sec = c->ts_sec;
    o->msg.ts_usec = c->ts_usec;
    return o;
}

static void fill_addr(cap_out *o, const cap_addr *a)
{
    if (!a) return;
    o->addr = *a;
    o->msg.src_port = a->sport;
    o->msg.dst_port = a->dport;
}

void cap_emit_msg(ssgw_capture *c, const cap_addr *a, ssgw_capture_kind kind,
                  ssgw_capture_transport tr, uint16_t stream, uint32_t ppid, const uint8_t *data,
                  size_t len, bool copy)
{
    size_t off = 0;
    if (copy) {
        if (c->arena_len + len > c->arena_cap) {
            size_t ncap = c->arena_cap ? c->arena_cap : 4096;
            while (ncap < c->arena_len + len)
                ncap *= 2;
            uint8_t *na = realloc(c->arena, ncap);
            if (!na) {
                c->oom = true;
                cap_emit_error(c, a, tr, SSGW_LAYER_CAPTURE, SSGW_E_TOO_BIG, "out of memory", 0);
                return;
            }
            c->arena = na;
            c->arena_cap = ncap;
        }
        off = c->arena_len;
        if (len) memcpy(c->arena + off, data, len);
        c->arena_len += len;
    }
    cap_out *o = queue_push(c);
    if (!o) return;
    fill_addr(o, a);
    o->msg.kind = kind;
    o->msg.transport = tr;
    o->msg.sctp_stream = stream;
    o->msg.sctp_ppid = ppid;
    o->msg.len = len;
    o->from_arena = copy;
    o->arena_off = off;
    o->msg.data = copy ? NULL : data;
    c->st.messages++;
}

ssgw_capture_msg *cap_emit_error(ssgw_capture *c, const cap_addr *a, ssgw_capture_transport tr,
                                 ssgw_layer layer, ssgw_errcode code, const char *field,
                                 size_t offset)
{
    cap_out *o = queue_push(c);
    c->st.errors++;
    c->st.errors_by_layer[(unsigned)layer < SSGW_LAYER_COUNT ? layer : SSGW_LAYER_NONE]++;
    if (!o) return NULL;
    fill_addr(o, a);
    o->msg.transport = tr;
    o->msg.is_error = true;
    ssgw_fail(&o->msg.error, layer, code, field, offset);
    return &o->msg;
}

/* Each octet's decimal text followed by '.', and that length (measured: formatting the two
 * IPv4 addresses digit by digit was ~220 instructions per message in ssgw decode). */
/* clang-format off */
#define D3(b) (char)((b) >= 100 ? '0' + (b) / 100 : (b) >= 10 ? '0' + (b) / 10 : '0' + (b))
#define D2(b) (char)((b) >= 100 ? '0' + (b) / 10 % 10 : (b) >= 10 ? '0' + (b) % 10 : '.')
#define D1(b) (char)((b) >= 100 ? '0' + (b) % 10 : (b) >= 10 ? '.' : 0)
#define OT(b) {{D3(b), D2(b), D1(b), '.'}, (b) >= 100 ? 4 : (b) >= 10 ? 3 : 2},
#define OT4(b) OT(b) OT((b) + 1) OT((b) + 2) OT((b) + 3)
#define OT16(b) OT4(b) OT4((b) + 4) OT4((b) + 8) OT4((b) + 12)
#define OT64(b) OT16(b) OT16((b) + 16) OT16((b) + 32) OT16((b) + 48)
static const struct {
    char text[4];
    uint8_t len;
} octet_dot[256] = {OT64(0) OT64(64) OT64(128) OT64(192)};
#undef OT64
#undef OT16
#undef OT4
#undef OT
#undef D1
#undef D2
#undef D3
/* clang-format on */

static void addr_text(uint8_t family, const uint8_t *ip, char *out, size_t outlen)
{
    out[0] = 0;
    if (family == 4 && outlen >= 16) {
        size_t o = 0;
        for (int i = 0; i < 4; i++) {
            memcpy(out + o, octet_dot[ip[i]].text, 4);
            o += octet_dot[ip[i]].len;
        }
        out[o - 1] = 0; /* the last octet's '.' */
    } else if (family == 4)
        inet_ntop(AF_INET, ip, out, (socklen_t)outlen);
    else if (family == 6)
        inet_ntop(AF_INET6, ip, out, (socklen_t)outlen);
}

uint32_t ssgw_capture_link_number(const ssgw_capture_msg *m)
{
    char a[SSGW_CAPTURE_ENDPOINT_CAP], b[SSGW_CAPTURE_ENDPOINT_CAP];
    ssgw_capture_endpoint(m->src_ip, m->src_port, a);
    ssgw_capture_endpoint(m->dst_ip, m->dst_port, b);
    const char *lo = strcmp(a, b) < 0 ? a : b, *hi = lo == a ? b : a;
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const char *p = lo; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    h = (h ^ '|') * 16777619u;
    for (const char *p = hi; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    return h | 0x80000000u; /* away from the gateway's link numbers */
}

_Static_assert(sizeof((cap_addr *)0)->src + sizeof((cap_addr *)0)->dst ==
                   sizeof((cap_pair_memo *)0)->ends,
               "a memo's key holds both addresses");
_Static_assert(sizeof((cap_pair_memo *)0)->src_ip == sizeof((ssgw_capture_msg *)0)->src_ip &&
                   sizeof((ssgw_capture_msg *)0)->src_ip == sizeof((ssgw_capture_msg *)0)->dst_ip,
               "an address text is copied whole from the memo");

_Static_assert(sizeof((ssgw_capture *)0)->pair_memo / sizeof(cap_pair_memo) % 2 == 0,
               "a link's two directions take slots 2k and 2k + 1");

/* A new memo entry for the ends of a (out: the record, its ports set), and one for the other
 * direction; returns the index of the first. */
unsigned cap_pair_add(ssgw_capture *c, const cap_addr *a, ssgw_capture_msg *out)
{
    unsigned n = sizeof c->pair_memo / sizeof c->pair_memo[0];
    unsigned i = c->pair_memo_next++ % n, r = c->pair_memo_next++ % n;
    cap_pair_memo *m = &c->pair_memo[i], *rm = &c->pair_memo[r];
    m->family = rm->family = a->family;
    memcpy(m->ends, a->src, 16);
    memcpy(m->ends + 16, a->dst, 16);
    memcpy(rm->ends, a->dst, 16);
    memcpy(rm->ends + 16, a->src, 16);
    m->sport = rm->dport = a->sport;
    m->dport = rm->sport = a->dport;
    memset(m->src_ip, 0, sizeof m->src_ip);
    memset(m->dst_ip, 0, sizeof m->dst_ip);
    addr_text(a->family, a->src, m->src_ip, sizeof m->src_ip);
    addr_text(a->family, a->dst, m->dst_ip, sizeof m->dst_ip);
    memcpy(rm->src_ip, m->dst_ip, sizeof rm->src_ip);
    memcpy(rm->dst_ip, m->src_ip, sizeof rm->dst_ip);
    memcpy(out->src_ip, m->src_ip, sizeof out->src_ip);
    memcpy(out->dst_ip, m->dst_ip, sizeof out->dst_ip);
    m->link = rm->link = ssgw_capture_link_number(out);
    return i;
}

static int queue_pop(ssgw_capture *c, ssgw_capture_msg *out)
{
    if (c->q_head >= c->q_len) return 0;
    cap_out *o = &c->q[c->q_head++];
    memcpy(out, &o->msg, TEXTS_AT); /* the texts come from cap_pair_memo_find below */
    memcpy((char *)out + TEXTS_END, (const char *)&o->msg + TEXTS_END, sizeof *out - TEXTS_END);
    if (o->from_arena) out->data = c->arena + o->arena_off;
    cap_pair_memo_find(c, &o->addr, out);
    return 1;
}

static void queue_reset(ssgw_capture *c)
{
    c->q_len = c->q_head = 0;
    c->arena_len = 0;
}

static void decode_frame(ssgw_capture *c, int64_t sec, uint32_t usec, const uint8_t *data,
                         size_t caplen)
{
    c->frame++;
    c->st.frames++;
    c->ts_sec = sec;
    c->ts_usec = usec;
    c->frame_data = data;
    c->frame_len = caplen;
    c->oom = false;
    if (c->general_only || !cap_fast_frame(c, data, caplen)) cap_link_decode(c, data, caplen);
}

void cap_set_general_only(ssgw_capture *c, bool on)
{
    c->general_only = on;
}

int ssgw_capture_feed(ssgw_capture *c, int64_t ts_sec, uint32_t ts_usec, const uint8_t *frame,
                      size_t caplen, size_t wirelen)
{
    (void)wirelen;
    if (!c->fed) return -1;
    /* records of earlier frames not yet read stay queued */
    if (c->q_head >= c->q_len) queue_reset(c);
    decode_frame(c, ts_sec, ts_usec, frame, caplen);
    return 0;
}

void ssgw_capture_finish(ssgw_capture *c)
{
    if (c->finished) return;
    c->finished = true;
    if (c->q_head >= c->q_len) queue_reset(c);
    cap_sctp_flush(c);
    cap_tcp_flush(c);
}

int ssgw_capture_next(ssgw_capture *c, ssgw_capture_msg *out)
{
    for (;;) {
        if (queue_pop(c, out)) return 1;
        queue_reset(c);
        if (c->fed || c->finished) return 0;
        int rc;
        if (c->pf) {
            cap_pcap_rec r;
            const uint8_t *d;
            rc = cap_pcap_file_next(c->pf, &r, &d);
            if (rc == 1) {
                c->direct = out;
                decode_frame(c, r.ts_sec, (uint32_t)r.ts_usec, d, r.caplen);
                if (!c->direct) return 1; /* the straight path wrote the frame's record */
                c->direct = NULL;
            }
        } else {
            struct pcap_pkthdr *h;
            const u_char *d;
            rc = pcap_next_ex(c->pcap, &h, &d);
            if (rc == 1) {
                c->direct = out;
                decode_frame(c, (int64_t)h->ts.tv_sec, (uint32_t)h->ts.tv_usec, d, h->caplen);
                if (!c->direct) return 1;
                c->direct = NULL;
            } else if (rc == PCAP_ERROR_BREAK)
                rc = 0;
        }
        if (rc == 0) {
            ssgw_capture_finish(c);
        } else if (rc < 0) {
            snprintf(c->errmsg, sizeof c->errmsg,
                     "the file ends inside frame %llu (cut while it was written or copied): %s; "
                     "the %llu frames before it were read",
                     (unsigned long long)c->frame + 1,
                     c->pf ? cap_pcap_file_error(c->pf) : pcap_geterr(c->pcap),
                     (unsigned long long)c->frame);
            return -1;
        }
    }
}

bool ssgw_capture_explain_empty(const ssgw_capture *c, const char *path, char *out, size_t cap)
{
    const ssgw_capture_stats *st = &c->st;
    if (st->messages || st->errors) return false;
    uint64_t not_ip =
        st->skipped[SSGW_CAPTURE_SKIP_NOT_IP] + st->skipped[SSGW_CAPTURE_SKIP_OTHER_PDU];
    uint64_t other_ip = st->ip_packets - st->sctp_packets - st->tcp_segments;
    snprintf(out, cap,
             "%s: no SS7 or Diameter in this capture: %llu frames: %llu not IP, %llu IP (%llu "
             "SCTP: %llu "
             "control chunks, %llu DATA chunks of other protocols; %llu TCP: %llu not M3UA or "
             "Diameter, "
             "%llu without payload; %llu other IP protocols such as UDP or ICMP); " EXPECTED
             " (SCTP PPID 3 or 46, TCP port 2905 or 3868, or M3UA-looking)",
             path, (unsigned long long)st->frames, (unsigned long long)not_ip,
             (unsigned long long)st->ip_packets, (unsigned long long)st->sctp_packets,
             (unsigned long long)st->skipped[SSGW_CAPTURE_SKIP_SCTP_CONTROL],
             (unsigned long long)st->skipped[SSGW_CAPTURE_SKIP_SCTP_OTHER_PPID],
             (unsigned long long)st->tcp_segments,
             (unsigned long long)st->skipped[SSGW_CAPTURE_SKIP_TCP_NOT_M3UA],
             (unsigned long long)st->skipped[SSGW_CAPTURE_SKIP_TCP_NO_PAYLOAD],
             (unsigned long long)other_ip);
    return true;
}
