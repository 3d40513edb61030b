/*
 * cmd_generate.c - `ssgw generate`: writes a capture of synthetic SS7 traffic.
 *
 * The messages come from the library's deterministic generator (src/sim/gen.c):
 * every MAP operation in every TCAP shape, varied SCCP and M3UA forms. The
 * framing options exist so that every input path of the capture reader can be
 * exercised: SCTP (one or several DATA chunks per packet), M3UA over TCP, MTP3
 * link type, Linux cooked and raw-IP link layers, SCCP segmentation (XUDT); and
 * (issue 11) the framings probes capture - M2PA, M2UA and SUA over SCTP, the
 * MTP2 link types - and TCAP / SCCP users besides MAP: CAP, SCCP management,
 * ANSI TCAP (ANSI-41).
 * `--protocol diameter` writes Diameter instead (generate_diameter.c),
 * --protocol isup writes ISUP instead (every Q.763 message type, src/sim/gen_isup.c),
 * --protocol sms MAP short-message operations carrying real TPDUs (gen_sms.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "generate_diameter.h"
#include "ssgw/capture.h"
#include "ssgw/gen.h"
#include "ssgw/m3ua.h"
#include "ssgw/mtp3.h"
#include "ssgw/pcap_writer.h"
#include "ssgw/view.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ssgw generate [options] OUT.pcap\n"
            "\n"
            "Writes a pcap of synthetic SS7 traffic: every MAP operation in every TCAP\n"
            "shape with random valid parameters (deterministic for a given seed); or,\n"
            "with --protocol diameter, Diameter traffic: every command of the base\n"
            "protocol and of S6a/S6d, requests and answers, both directions.\n"
            "\n"
            "  --protocol P       map (default; also: ss7, m3ua); isup: every ISUP message\n"
            "                     type (Q.763) with random numbers, categories, causes,\n"
            "                     circuit groups; sms: mt-/mo-forwardSM and forwardSM v1/v2\n"
            "                     carrying SMS TPDUs of every type and alphabet,\n"
            "                     concatenation and port headers, alphanumeric senders;\n"
            "                     diameter: every Diameter command (see above)\n"
            "  --count N          messages to write (default 1000)\n"
            "  --seed N           random seed (default 1)\n"
            "  --transport T      sctp (default) or tcp (M3UA over TCP, port 2905)\n"
            "  --link L           ethernet (default), sll, raw (IPv4), ipv6, mtp3, mtp2 (below)\n"
            "  --chunks N         SCTP DATA chunks per packet (default 1)\n"
            "  --segment-every N  send every Nth message as SCCP XUDT segments (default 0: never)\n"
            "  --no-management    only DATA messages (no ASPUP, BEAT, DUNA, ...)\n"
            "  --users LIST       comma-separated: map (default), cap, scmg (SCCP management),\n"
            "                     ansi (ANSI TCAP, ANSI-41 operations); messages alternate\n"
            "  --ansi-parameters P  none (default): ANSI-41 invokes carry no parameter; empty:\n"
            "                     an empty parameter set, so that decoders (Wireshark's\n"
            "                     ansi_map) name the operation, and flag what it misses\n"
            "  --adaptation A     over SCTP: m3ua (default), m2pa, m2ua, sua; management\n"
            "                     becomes M2PA Link Status, and is left out for m2ua, sua\n"
            "  --link mtp2        MTP2 signal units (link type 140); mtp2-phdr: after\n"
            "                     Wireshark's pseudo-header (139); management: FISU, LSSU\n"
            "Diameter only (MME 10.0.0.1:40001, HSS 10.0.0.2:3868; SCTP PPID 46):\n"
            "  --per-chunk N      Diameter messages in one SCTP DATA chunk (default 1;\n"
            "                     Wireshark decodes only the first of a chunk)\n"
            "  --per-segment N    Diameter messages per TCP segment (default 1)\n"
            "  --split-every N    every Nth TCP segment ends inside a message (default 0)\n"
            "  -h, --help         this text\n");
}

typedef struct {
    ssgw_pcap_writer *w;
    int link;
    int transport; /* SSGW_CAPTURE_TRANSPORT_* */
    unsigned chunks;
    ssgw_pcap_chunk pending[16];
    uint8_t pending_mem[16][4400];
    unsigned npending;
    uint32_t tsn[2];
    uint64_t written;
    ssgw_gen_reframer rf; /* issue 11: the framing of every message (M3UA as generated) */
    bool management;      /* the message being written is an M3UA management message */
} writer_ctx;

static void endpoints(ssgw_pcap_endpoints *ep, int dir, bool ipv6)
{
    memset(ep, 0, sizeof *ep);
    ep->ipv6 = ipv6;
    ep->src_ip4 = dir ? 0x0a000002 : 0x0a000001;
    ep->dst_ip4 = dir ? 0x0a000001 : 0x0a000002;
    for (int i = 0; i < 16; i++)
        ep->src_ip6[i] = ep->dst_ip6[i] = 0;
    ep->src_ip6[0] = ep->dst_ip6[0] = 0x20;
    ep->src_ip6[1] = ep->dst_ip6[1] = 0x01;
    ep->src_ip6[2] = ep->dst_ip6[2] = 0x0d;
    ep->src_ip6[3] = ep->dst_ip6[3] = 0xb8;
    ep->src_ip6[15] = dir ? 2 : 1;
    ep->dst_ip6[15] = dir ? 1 : 2;
    ep->src_port = dir ? 2906 : 2905;
    ep->dst_port = dir ? 2905 : 2906;
    if (ep->dst_port != 2905 && ep->src_port != 2905) ep->dst_port = 2905;
    ep->vtag = dir ? 0x11223344 : 0x55667788;
}

/* Issue 11: the ports of an adaptation layer other than M3UA (its IANA port both ends). */
static void adaptation_ports(ssgw_pcap_endpoints *ep, ssgw_gen_framing f)
{
    if (f == SSGW_GEN_FRAMING_M3UA) return;
    ep->src_port = ep->dst_port = ssgw_gen_framing_port(f);
}

static int flush_chunks(writer_ctx *c, uint64_t i)
{
    if (!c->npending) return 0;
    ssgw_pcap_endpoints ep;
    endpoints(&ep, 0, c->link == SSGW_LINKTYPE_IPV6);
    adaptation_ports(&ep, c->rf.framing);
    int r = ssgw_pcap_write_sctp_chunks(c->w, (uint32_t)(1700000000 + i / 1000),
                                        (uint32_t)(i % 1000) * 1000, &ep, c->pending, c->npending);
    c->npending = 0;
    return r;
}

/* Writes one M3UA message in the chosen framing. */
static int emit(writer_ctx *c, uint64_t i, const uint8_t *m3ua, size_t len, uint8_t sls)
{
    uint32_t sec = (uint32_t)(1700000000 + i / 1000), usec = (uint32_t)(i % 1000) * 1000;
    int dir = (int)(i & 1);
    ssgw_pcap_endpoints ep;
    endpoints(&ep, dir, c->link == SSGW_LINKTYPE_IPV6);
    c->written++;
    uint8_t framed[4600];
    if (c->rf.framing != SSGW_GEN_FRAMING_M3UA) {
        /* MTP3 / MTP2 link types, M2PA, M2UA, SUA: the message in its framing */
        ssgw_buf fb;
        ssgw_buf_init(&fb, framed, sizeof framed);
        int r = ssgw_gen_reframe(&c->rf, m3ua, len, c->management, &fb);
        if (r <= 0) {
            c->written--;
            return r;
        }
        if (c->link == SSGW_LINKTYPE_MTP3 || c->link == SSGW_LINKTYPE_MTP2 ||
            c->link == SSGW_LINKTYPE_MTP2_WITH_PHDR)
            return ssgw_pcap_write_raw(c->w, sec, usec, fb.data, fb.len);
        m3ua = fb.data; /* an SCTP payload of another PPID from here on */
        len = fb.len;
        adaptation_ports(&ep, c->rf.framing);
    }
    uint32_t ppid = ssgw_gen_framing_ppid(c->rf.framing);
    if (c->transport == SSGW_CAPTURE_TRANSPORT_TCP)
        return ssgw_pcap_write_tcp(c->w, sec, usec, &ep, m3ua, len);
    if (c->chunks <= 1 && ppid == SSGW_SCTP_PPID_M3UA)
        return ssgw_pcap_write_sctp(c->w, sec, usec, &ep, sls, c->tsn[dir]++, m3ua, len);
    if (c->chunks <= 1) {
        ssgw_pcap_chunk one = {.tsn = c->tsn[dir]++,
                               .stream = sls,
                               .ppid = ppid,
                               .flags = SSGW_PCAP_CHUNK_WHOLE,
                               .data = m3ua,
                               .len = len};
        return ssgw_pcap_write_sctp_chunks(c->w, sec, usec, &ep, &one, 1);
    }
    if (len > sizeof c->pending_mem[0]) return -1;
    ssgw_pcap_chunk *ch = &c->pending[c->npending];
    memcpy(c->pending_mem[c->npending], m3ua, len);
    ch->tsn = c->tsn[0]++;
    ch->stream = sls;
    ch->ssn = (uint16_t)i;
    ch->ppid = ppid;
    ch->flags = SSGW_PCAP_CHUNK_WHOLE;
    ch->data = c->pending_mem[c->npending];
    ch->len = len;
    if (++c->npending == c->chunks) return flush_chunks(c, i);
    return 0;
}

typedef struct {
    writer_ctx *c;
    uint64_t i;
    const ssgw_m3ua_msg *m;
    int rc;
} segment_ctx;

static int write_segment(void *ctx, unsigned index, unsigned count, const uint8_t *msg, size_t len)
{
    segment_ctx *s = ctx;
    (void)count;
    uint8_t mem[4400];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    d.pd = s->m->protocol_data;
    d.pd.data = msg;
    d.pd.data_len = len;
    if (ssgw_m3ua_encode_data(&b, &d) < 0 || b.overflow) return -1;
    if (emit(s->c, s->i * 16 + index, b.data, b.len, d.pd.sls) < 0) s->rc = -1;
    return 0;
}

/* Re-sends a generated DATA message as XUDT segments of at most 96 octets each. */
static int emit_segmented(writer_ctx *c, uint64_t i, const uint8_t *m3ua, size_t len, uint8_t sls)
{
    ssgw_view v;
    if (ssgw_view_decode_m3ua(&v, m3ua, len) < 0 || !v.has_sccp ||
        (v.sccp.type != SSGW_SCCP_UDT && v.sccp.type != SSGW_SCCP_XUDT) || v.sccp.data_len < 80)
        return emit(c, i, m3ua, len, sls);
    ssgw_sccp_msg t = v.sccp;
    t.type = SSGW_SCCP_XUDT;
    t.hop_counter = 15;
    t.has_segmentation = false;
    t.has_importance = false;
    t.opt = NULL;
    t.opt_len = 0;
    segment_ctx s = {.c = c, .i = i, .m = &v.m3ua, .rc = 0};
    ssgw_error e;
    if (ssgw_sccp_segment(&t, (uint32_t)(i & 0xffffff), 96, write_segment, &s, &e) < 0)
        return emit(c, i, m3ua, len, sls);
    return s.rc;
}

/* --users map,cap,scmg,ansi -> SSGW_GEN_USER_* bits (issue 11). */
static int parse_users(const char *list, unsigned *users)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"map", SSGW_GEN_USER_MAP},
                 {"cap", SSGW_GEN_USER_CAP},
                 {"scmg", SSGW_GEN_USER_SCMG},
                 {"ansi", SSGW_GEN_USER_ANSI}};
    *users = 0;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        bool found = false;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strlen(names[i].name) == n && !strncmp(p, names[i].name, n)) {
                *users |= names[i].bit;
                found = true;
            }
        if (!found) {
            fprintf(stderr, "ssgw generate: --users: '%.*s' (allowed: map, cap, scmg, ansi)\n",
                    (int)n, p);
            return -1;
        }
        p += n + (p[n] == ',');
    }
    if (!*users) {
        fprintf(stderr, "ssgw generate: --users: empty list\n");
        return -1;
    }
    return 0;
}

static int parse_num(const char *opt, const char *s, unsigned long long *out)
{
    char *end;
    *out = strtoull(s, &end, 10);
    if (*s == '\0' || *end) {
        fprintf(stderr, "ssgw generate: %s: '%s' is not a number\n", opt, s);
        return -1;
    }
    return 0;
}

int cmd_generate(int argc, char **argv)
{
    static const struct option opts[] = {{"protocol", required_argument, NULL, 'p'},
                                         {"count", required_argument, NULL, 'c'},
                                         {"seed", required_argument, NULL, 's'},
                                         {"transport", required_argument, NULL, 't'},
                                         {"link", required_argument, NULL, 'l'},
                                         {"chunks", required_argument, NULL, 'k'},
                                         {"segment-every", required_argument, NULL, 'g'},
                                         {"no-management", no_argument, NULL, 'M'},
                                         {"per-chunk", required_argument, NULL, 'C'},
                                         {"per-segment", required_argument, NULL, 'S'},
                                         {"split-every", required_argument, NULL, 'X'},
                                         {"users", required_argument, NULL, 'u'},
                                         {"adaptation", required_argument, NULL, 'a'},
                                         {"ansi-parameters", required_argument, NULL, 'P'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    unsigned long long count = 1000, seed = 1, chunks = 1, seg_every = 0;
    unsigned long long per_chunk = 1, per_segment = 1, split_every = 0;
    bool diameter = false;
    int link = SSGW_LINKTYPE_ETHERNET, transport = SSGW_CAPTURE_TRANSPORT_SCTP;
    enum { PROTO_MAP, PROTO_ISUP, PROTO_SMS } proto = PROTO_MAP;
    ssgw_gen_framing adaptation = SSGW_GEN_FRAMING_M3UA;
    ssgw_gen_opts gopts;
    ssgw_gen_opts_default(&gopts);
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "c:s:t:l:k:g:Mp:C:S:X:u:a:P:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'p':
            diameter = false;
            if (!strcmp(optarg, "diameter"))
                diameter = true;
            else if (!strcmp(optarg, "map") || !strcmp(optarg, "ss7") || !strcmp(optarg, "m3ua"))
                proto = PROTO_MAP;
            else if (!strcmp(optarg, "isup"))
                proto = PROTO_ISUP;
            else if (!strcmp(optarg, "sms"))
                proto = PROTO_SMS;
            else {
                fprintf(stderr,
                        "ssgw generate: --protocol: '%s' (allowed: map, isup, sms, diameter)\n",
                        optarg);
                return 2;
            }
            break;
        case 'C':
        case 'S':
            if (parse_num(ch == 'C' ? "--per-chunk" : "--per-segment", optarg,
                          ch == 'C' ? &per_chunk : &per_segment) < 0)
                return 2;
            if ((ch == 'C' ? per_chunk : per_segment) < 1 ||
                (ch == 'C' ? per_chunk : per_segment) > 16) {
                fprintf(stderr, "ssgw generate: %s: allowed 1..16\n",
                        ch == 'C' ? "--per-chunk" : "--per-segment");
                return 2;
            }
            break;
        case 'X':
            if (parse_num("--split-every", optarg, &split_every) < 0) return 2;
            break;
        case 'c':
            if (parse_num("--count", optarg, &count) < 0) return 2;
            break;
        case 's':
            if (parse_num("--seed", optarg, &seed) < 0) return 2;
            break;
        case 'k':
            if (parse_num("--chunks", optarg, &chunks) < 0 || chunks < 1 || chunks > 16) {
                fprintf(stderr, "ssgw generate: --chunks: allowed 1..16\n");
                return 2;
            }
            break;
        case 'g':
            if (parse_num("--segment-every", optarg, &seg_every) < 0) return 2;
            break;
        case 't':
            if (!strcmp(optarg, "sctp"))
                transport = SSGW_CAPTURE_TRANSPORT_SCTP;
            else if (!strcmp(optarg, "tcp"))
                transport = SSGW_CAPTURE_TRANSPORT_TCP;
            else {
                fprintf(stderr, "ssgw generate: --transport: '%s' (allowed: sctp, tcp)\n", optarg);
                return 2;
            }
            break;
        case 'l':
            if (!strcmp(optarg, "ethernet"))
                link = SSGW_LINKTYPE_ETHERNET;
            else if (!strcmp(optarg, "sll"))
                link = SSGW_LINKTYPE_SLL;
            else if (!strcmp(optarg, "raw"))
                link = SSGW_LINKTYPE_IPV4;
            else if (!strcmp(optarg, "ipv6"))
                link = SSGW_LINKTYPE_IPV6;
            else if (!strcmp(optarg, "mtp3"))
                link = SSGW_LINKTYPE_MTP3;
            else if (!strcmp(optarg, "mtp2"))
                link = SSGW_LINKTYPE_MTP2;
            else if (!strcmp(optarg, "mtp2-phdr"))
                link = SSGW_LINKTYPE_MTP2_WITH_PHDR;
            else {
                fprintf(stderr,
                        "ssgw generate: --link: '%s' (allowed: ethernet, sll, raw, ipv6, mtp3, "
                        "mtp2, mtp2-phdr)\n",
                        optarg);
                return 2;
            }
            break;
        case 'u':
            if (parse_users(optarg, &gopts.users) < 0) return 2;
            break;
        case 'P':
            if (strcmp(optarg, "none") && strcmp(optarg, "empty")) {
                fprintf(stderr, "ssgw generate: --ansi-parameters: '%s' (allowed: none, empty)\n",
                        optarg);
                return 2;
            }
            gopts.ansi_empty_params = !strcmp(optarg, "empty");
            break;
        case 'a':
            if (!strcmp(optarg, "m3ua"))
                adaptation = SSGW_GEN_FRAMING_M3UA;
            else if (!strcmp(optarg, "m2pa"))
                adaptation = SSGW_GEN_FRAMING_M2PA;
            else if (!strcmp(optarg, "m2ua"))
                adaptation = SSGW_GEN_FRAMING_M2UA;
            else if (!strcmp(optarg, "sua"))
                adaptation = SSGW_GEN_FRAMING_SUA;
            else {
                fprintf(stderr,
                        "ssgw generate: --adaptation: '%s' (allowed: m3ua, m2pa, m2ua, sua)\n",
                        optarg);
                return 2;
            }
            break;
        case 'M':
            gopts.management_every = 0;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    bool link_mtp = link == SSGW_LINKTYPE_MTP3 || link == SSGW_LINKTYPE_MTP2 ||
                    link == SSGW_LINKTYPE_MTP2_WITH_PHDR;
    if (diameter) {
        if (link_mtp || adaptation != SSGW_GEN_FRAMING_M3UA) {
            fprintf(stderr, "ssgw generate: Diameter travels over IP: not with --link "
                            "mtp2/mtp3 or --adaptation\n");
            return 2;
        }
        ssgw_gen_diameter_opts d = {.count = count,
                                    .seed = seed,
                                    .transport = transport,
                                    .chunks = (unsigned)chunks,
                                    .per_chunk = (unsigned)per_chunk,
                                    .per_segment = (unsigned)per_segment,
                                    .split_every = (unsigned)split_every};
        uint64_t written = 0;
        int st = ssgw_generate_diameter(argv[optind], link, &d, &written);
        if (!st)
            fprintf(stderr, "ssgw generate: wrote %llu Diameter messages to %s\n",
                    (unsigned long long)written, argv[optind]);
        return st;
    }
    if (adaptation != SSGW_GEN_FRAMING_M3UA &&
        (link_mtp || transport != SSGW_CAPTURE_TRANSPORT_SCTP)) {
        fprintf(stderr,
                "ssgw generate: --adaptation: %s travels over SCTP, not with --link %s or "
                "--transport tcp\n",
                adaptation == SSGW_GEN_FRAMING_M2PA   ? "m2pa"
                : adaptation == SSGW_GEN_FRAMING_M2UA ? "m2ua"
                                                      : "sua",
                link_mtp ? "mtp2/mtp3" : "(ip)");
        return 2;
    }
    char errbuf[256];
    static writer_ctx c;
    memset(&c, 0, sizeof c);
    c.link = link;
    c.transport = transport;
    c.chunks = (unsigned)chunks;
    c.rf.framing = link == SSGW_LINKTYPE_MTP3             ? SSGW_GEN_FRAMING_MTP3
                   : link == SSGW_LINKTYPE_MTP2           ? SSGW_GEN_FRAMING_MTP2
                   : link == SSGW_LINKTYPE_MTP2_WITH_PHDR ? SSGW_GEN_FRAMING_MTP2_PHDR
                                                          : adaptation;
    /* The IPv6 framing is Ethernet with an IPv6 header; the others are link types. */
    c.w = ssgw_pcap_writer_open(argv[optind],
                                link == SSGW_LINKTYPE_IPV6 ? SSGW_LINKTYPE_ETHERNET : link, errbuf,
                                sizeof errbuf);
    if (!c.w) {
        fprintf(stderr, "ssgw generate: %s\n", errbuf);
        return 1;
    }
    uint8_t mem[8192];
    int status = 0;
    for (uint64_t i = 0; i < count; i++) {
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        ssgw_gen_info info;
        ssgw_error e;
        int g = proto == PROTO_ISUP  ? ssgw_gen_isup_message(seed, i, &b, &info, &e)
                : proto == PROTO_SMS ? ssgw_gen_sms_message(seed, i, &b, &info, &e)
                                     : ssgw_gen_message(seed, i, &gopts, &b, &info, &e);
        if (g < 0) {
            char msg[160];
            ssgw_error_format(&e, msg, sizeof msg);
            fprintf(stderr, "ssgw generate: message %llu: %s\n", (unsigned long long)i, msg);
            status = 1;
            break;
        }
        c.management = info.management;
        int r =
            (seg_every && i % seg_every == seg_every - 1 && !info.management && proto != PROTO_ISUP)
                ? emit_segmented(&c, i, b.data, b.len, info.sls)
                : emit(&c, i, b.data, b.len, info.sls);
        if (r < 0) {
            fprintf(stderr, "ssgw generate: %s\n", ssgw_pcap_writer_error(c.w));
            status = 1;
            break;
        }
    }
    if (flush_chunks(&c, count) < 0) status = 1;
    if (ssgw_pcap_writer_close(c.w) < 0) {
        fprintf(stderr, "ssgw generate: %s: write failed\n", argv[optind]);
        status = 1;
    }
    if (!status)
        fprintf(stderr, "ssgw generate: wrote %llu messages to %s\n", (unsigned long long)c.written,
                argv[optind]);
    return status;
}
