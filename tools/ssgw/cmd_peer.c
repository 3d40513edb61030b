/*
 * cmd_peer.c - `ssgw peer`: the scriptable M3UA test peer (src/sim/peer.c).
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ssgw/log.h"
#include "ssgw/m3ua.h"
#include "ssgw/map.h"
#include "ssgw/peer.h"

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: ssgw peer (--connect ADDR:PORT | --listen ADDR:PORT) [options]\n"
        "\n"
        "An M3UA test peer: brings one association up (as ASP it sends ASPUP/ASPAC;\n"
        "as SG it answers them), simulates network elements on global titles and\n"
        "answers their MAP requests, sends MAP traffic or replays a capture, and\n"
        "records every message as JSON lines. It exits by itself.\n"
        "\n"
        "  --transport T          tcp (default), sctp-udp or sctp (kernel)\n"
        "  --role R               asp (default with --connect), sg (default with --listen), ipsp\n"
        "  --udp-port N           sctp-udp: local UDP encapsulation port (default 9900)\n"
        "  --remote-udp-port N    sctp-udp with --connect: the peer's UDP port\n"
        "  --local-address A      SCTP with --connect: the first local address to bind\n"
        "  --local-addresses A,B  SCTP multi-homing: further local addresses (besides\n"
        "                         --listen's or --local-address; at most 4)\n"
        "  --remote-addresses A,B SCTP with --connect: the peer's further addresses (at most 4)\n"
        "  --primary A            SCTP: the peer address to use as the primary path\n"
        "  --rc N                 routing context; --traffic-mode override|loadshare\n"
        "  --hlr GT, --vlr GT, --msc GT, --smsc GT, --gsmscf GT\n"
        "                         simulate that element on GT (prefix; repeatable)\n"
        "  --send OP              MAP operation to send (name or code), e.g. updateLocation\n"
        "  --count N              messages to send (default 1 with --send)\n"
        "  --until-stopped        send --send traffic without end until SIGTERM or SIGINT,\n"
        "                         which then end the peer gracefully with exit 0 (--count is\n"
        "                         ignored; no --duration unless given, and reaching it first\n"
        "                         is a failure)\n"
        "  --rate N               messages per second (default: as fast as possible)\n"
        "  --from GT, --to GT     calling / called GT; --opc N, --dpc N; --called-ssn N,\n"
        "                         --calling-ssn N\n"
        "  --imsi IMSI, --msisdn N  the subscriber: in sent requests, and in answers to\n"
        "                         requests naming none (e.g. the IMSI of an SRI-SM result)\n"
        "  --calls N              originate N ISUP calls, one per circuit: IAM, REL once\n"
        "                         answered, RLC to every REL (--cic N first circuit, default 1;\n"
        "                         --calling NUM, --called NUM international E.164 numbers;\n"
        "                         --screening 0..3 of the calling number, default 3)\n"
        "  --exchange PREFIX      terminate calls to called numbers with this prefix: ACM and\n"
        "                         ANM to their IAM (repeatable); every peer answers an ISUP\n"
        "                         REL with RLC\n"
        "  --replay FILE          send every M3UA DATA of a pcap/pcapng\n"
        "  --garbage LIST         send malformed messages once active: bad-version,\n"
        "                         bad-length, truncated, unknown-class (comma separated)\n"
        "  --beat, --daud, --duna send a BEAT / a DAUD / a DUNA (SG) for --dpc once active\n"
        "  --record FILE          JSON lines of every message sent and received\n"
        "  --expect N             stop once N DATA messages arrived (exit 1 if fewer);\n"
        "                         --expect sent: as many as were sent (every request answered\n"
        "                         when each gets one answer); with --until-stopped the first\n"
        "                         signal ends the sending, the peer reads on until they are\n"
        "                         in, and a second signal ends the wait\n"
        "  --duration MS          hard stop (default 20000)\n"
        "  --linger MS            after the last send, stop when idle this long (default 1000)\n"
        "  --start-delay MS       wait after becoming active before sending\n"
        "  --pause-read MS        stop reading for MS once active (back pressure tests)\n"
        "  --rcvbuf N             socket receive buffer; --queue-bytes N output queue\n"
        "  -q, --quiet            no progress on stderr\n");
}

static int parse_u(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (!*s || *end || v > max) return -1;
    *out = v;
    return 0;
}

/* An IPv4 / IPv6 literal into out (SSGW_GW_ADDR_LEN). */
static int parse_addr(const char *s, char *out)
{
    unsigned char bin[16];
    if (strlen(s) >= SSGW_GW_ADDR_LEN ||
        (inet_pton(AF_INET, s, bin) != 1 && inet_pton(AF_INET6, s, bin) != 1))
        return -1;
    snprintf(out, SSGW_GW_ADDR_LEN, "%s", s);
    return 0;
}

/* "A,B,C": 1 to SSGW_GW_MAX_ADDRS literals. */
static int parse_addrs(const char *s, char (*out)[SSGW_GW_ADDR_LEN], size_t *n)
{
    *n = 0;
    for (const char *p = s; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char one[SSGW_GW_ADDR_LEN];
        if (*n == SSGW_GW_MAX_ADDRS || len == 0 || len >= sizeof one) return -1;
        memcpy(one, p, len);
        one[len] = '\0';
        if (parse_addr(one, out[(*n)++]) < 0) return -1;
        p += len + (comma ? 1 : 0);
        if (comma && !*p) return -1;
    }
    return *n ? 0 : -1;
}

static int parse_hostport(const char *s, char *host, size_t cap, uint16_t *port)
{
    const char *c = strrchr(s, ':');
    if (!c || c == s || (size_t)(c - s) >= cap) return -1;
    const char *h = s;
    size_t hl = (size_t)(c - s);
    if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    memcpy(host, h, hl);
    host[hl] = '\0';
    unsigned long long p;
    if (parse_u(c + 1, 65535, &p) < 0 || !p) return -1;
    *port = (uint16_t)p;
    return 0;
}

int cmd_peer(int argc, char **argv)
{
    enum {
        O_TRANSPORT = 256,
        O_ROLE,
        O_UDP,
        O_RUDP,
        O_RC,
        O_TMT,
        O_SEND,
        O_COUNT,
        O_RATE,
        O_FROM,
        O_TO,
        O_OPC,
        O_DPC,
        O_CDSSN,
        O_CGSSN,
        O_REPLAY,
        O_GARBAGE,
        O_BEAT,
        O_DUNA,
        O_DAUD,
        O_RECORD,
        O_DURATION,
        O_LINGER,
        O_DELAY,
        O_PAUSE,
        O_RCVBUF,
        O_QUEUE,
        O_EXPECT,
        O_UNTIL_STOPPED,
        O_IMSI,
        O_MSISDN,
        O_CONNECT,
        O_LISTEN,
        O_CALLS,
        O_CIC,
        O_CALLING,
        O_CALLED,
        O_SCREENING,
        O_EXCHANGE,
        O_LADDR,
        O_LADDRS,
        O_RADDRS,
        O_PRIMARY,
        O_NE_BASE
    };
    static const struct option opts[] = {
        {"connect", required_argument, NULL, O_CONNECT},
        {"listen", required_argument, NULL, O_LISTEN},
        {"transport", required_argument, NULL, O_TRANSPORT},
        {"role", required_argument, NULL, O_ROLE},
        {"udp-port", required_argument, NULL, O_UDP},
        {"remote-udp-port", required_argument, NULL, O_RUDP},
        {"local-address", required_argument, NULL, O_LADDR},
        {"local-addresses", required_argument, NULL, O_LADDRS},
        {"remote-addresses", required_argument, NULL, O_RADDRS},
        {"primary", required_argument, NULL, O_PRIMARY},
        {"rc", required_argument, NULL, O_RC},
        {"traffic-mode", required_argument, NULL, O_TMT},
        {"send", required_argument, NULL, O_SEND},
        {"count", required_argument, NULL, O_COUNT},
        {"rate", required_argument, NULL, O_RATE},
        {"from", required_argument, NULL, O_FROM},
        {"to", required_argument, NULL, O_TO},
        {"opc", required_argument, NULL, O_OPC},
        {"dpc", required_argument, NULL, O_DPC},
        {"called-ssn", required_argument, NULL, O_CDSSN},
        {"calling-ssn", required_argument, NULL, O_CGSSN},
        {"replay", required_argument, NULL, O_REPLAY},
        {"garbage", required_argument, NULL, O_GARBAGE},
        {"beat", no_argument, NULL, O_BEAT},
        {"daud", no_argument, NULL, O_DAUD},
        {"duna", no_argument, NULL, O_DUNA},
        {"record", required_argument, NULL, O_RECORD},
        {"duration", required_argument, NULL, O_DURATION},
        {"linger", required_argument, NULL, O_LINGER},
        {"start-delay", required_argument, NULL, O_DELAY},
        {"pause-read", required_argument, NULL, O_PAUSE},
        {"rcvbuf", required_argument, NULL, O_RCVBUF},
        {"queue-bytes", required_argument, NULL, O_QUEUE},
        {"expect", required_argument, NULL, O_EXPECT},
        {"until-stopped", no_argument, NULL, O_UNTIL_STOPPED},
        {"imsi", required_argument, NULL, O_IMSI},
        {"msisdn", required_argument, NULL, O_MSISDN},
        {"hlr", required_argument, NULL, O_NE_BASE + SSGW_PEER_NE_HLR},
        {"vlr", required_argument, NULL, O_NE_BASE + SSGW_PEER_NE_VLR},
        {"msc", required_argument, NULL, O_NE_BASE + SSGW_PEER_NE_MSC},
        {"smsc", required_argument, NULL, O_NE_BASE + SSGW_PEER_NE_SMSC},
        {"gsmscf", required_argument, NULL, O_NE_BASE + SSGW_PEER_NE_GSMSCF},
        {"calls", required_argument, NULL, O_CALLS},
        {"cic", required_argument, NULL, O_CIC},
        {"calling", required_argument, NULL, O_CALLING},
        {"called", required_argument, NULL, O_CALLED},
        {"screening", required_argument, NULL, O_SCREENING},
        {"exchange", required_argument, NULL, O_EXCHANGE},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    ssgw_peer_opts o;
    ssgw_peer_opts_default(&o);
    bool have_addr = false, have_count = false, have_duration = false;
    int c;
    unsigned long long v = 0;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        const char *bad = NULL;
        switch (c) {
        case O_CONNECT:
        case O_LISTEN:
            if (parse_hostport(optarg, o.host, sizeof o.host, &o.port) < 0)
                bad = "expected ADDRESS:PORT";
            o.listen = c == O_LISTEN;
            have_addr = true;
            break;
        case O_TRANSPORT: {
            int t = ssgw_gw_transport_parse(optarg);
            if (t < 0)
                bad = "allowed are tcp, sctp-udp, sctp";
            else
                o.transport = (ssgw_gw_transport)t;
            break;
        }
        case O_ROLE: {
            int r = ssgw_gw_role_parse(optarg);
            if (r < 0)
                bad = "allowed are asp, sg, ipsp";
            else
                o.role = (ssgw_gw_role)r;
            break;
        }
        case O_UDP:
        case O_RUDP:
            if (parse_u(optarg, 65535, &v) < 0 || !v)
                bad = "expected a port 1..65535";
            else if (c == O_UDP)
                o.udp_port = (uint16_t)v;
            else
                o.remote_udp_port = (uint16_t)v;
            break;
        case O_LADDR:
        case O_PRIMARY:
            if (parse_addr(optarg, c == O_LADDR ? o.local_address : o.primary) < 0)
                bad = "expected an IPv4 or IPv6 address";
            break;
        case O_LADDRS:
            if (parse_addrs(optarg, o.local_addrs, &o.n_local_addrs) < 0)
                bad = "expected 1 to 4 IPv4 or IPv6 addresses, comma separated";
            break;
        case O_RADDRS:
            if (parse_addrs(optarg, o.remote_addrs, &o.n_remote_addrs) < 0)
                bad = "expected 1 to 4 IPv4 or IPv6 addresses, comma separated";
            break;
        case O_RC:
            if (parse_u(optarg, 0xffffffffULL, &v) < 0) bad = "expected 0..4294967295";
            o.has_rc = true;
            o.rc = (uint32_t)v;
            break;
        case O_TMT:
            if (!strcmp(optarg, "override"))
                o.traffic_mode = SSGW_M3UA_TMT_OVERRIDE;
            else if (!strcmp(optarg, "loadshare"))
                o.traffic_mode = SSGW_M3UA_TMT_LOADSHARE;
            else
                bad = "allowed are override, loadshare";
            break;
        case O_SEND: {
            const ssgw_map_op *op = ssgw_map_op_by_name(optarg);
            if (op)
                o.op = op->opcode;
            else if (parse_u(optarg, SSGW_MAP_OPCODE_MAX, &v) == 0)
                o.op = (int)v;
            else
                bad = "expected a MAP operation name (e.g. updateLocation) or code 0..127";
            break;
        }
        case O_EXPECT:
            o.expect_sent = !strcmp(optarg, "sent");
            if (o.expect_sent)
                o.expect = 0;
            else if (parse_u(optarg, 100000000ULL, &v) < 0)
                bad = "expected 0..100000000 or 'sent'";
            else
                o.expect = v;
            break;
        case O_UNTIL_STOPPED:
            o.until_stopped = true;
            break;
        case O_COUNT:
            if (parse_u(optarg, 100000000ULL, &v) < 0) bad = "expected 0..100000000";
            o.count = v;
            have_count = true;
            break;
        case O_RATE:
            o.rate = strtod(optarg, NULL);
            break;
        case O_FROM:
            snprintf(o.from_gt, sizeof o.from_gt, "%.23s", optarg);
            break;
        case O_TO:
            snprintf(o.to_gt, sizeof o.to_gt, "%.23s", optarg);
            break;
        case O_IMSI:
        case O_MSISDN: {
            size_t n = strlen(optarg), cap = c == O_IMSI ? 15 : 20;
            if (n < 5 || n > cap || strspn(optarg, "0123456789") != n) {
                bad = c == O_IMSI ? "expected 5..15 digits" : "expected 5..20 digits";
                break;
            }
            if (c == O_IMSI)
                snprintf(o.imsi, sizeof o.imsi, "%s", optarg);
            else
                snprintf(o.msisdn, sizeof o.msisdn, "%s", optarg);
            break;
        }
        case O_CALLS:
            if (parse_u(optarg, 4096, &v) < 0 || !v) bad = "expected 1..4096 calls";
            o.calls = v;
            break;
        case O_CIC:
            if (parse_u(optarg, 4095, &v) < 0) bad = "expected a CIC 0..4095";
            o.cic = (uint16_t)v;
            break;
        case O_SCREENING:
            if (parse_u(optarg, 3, &v) < 0) bad = "expected 0..3";
            o.screening = (int8_t)v;
            break;
        case O_CALLING:
        case O_CALLED:
        case O_EXCHANGE: {
            size_t n = strlen(optarg);
            if (n < 1 || n > 15 || strspn(optarg, "0123456789") != n) {
                bad = "expected 1..15 digits";
                break;
            }
            if (c == O_CALLING)
                snprintf(o.calling, sizeof o.calling, "%s", optarg);
            else if (c == O_CALLED)
                snprintf(o.called, sizeof o.called, "%s", optarg);
            else if (o.n_exchange >= SSGW_PEER_MAX_NE)
                bad = "too many --exchange prefixes";
            else
                snprintf(o.exchange[o.n_exchange++], sizeof o.exchange[0], "%s", optarg);
            break;
        }
        case O_OPC:
        case O_DPC:
            if (parse_u(optarg, 0xffffff, &v) < 0)
                bad = "expected a point code 0..16777215";
            else if (c == O_OPC)
                o.opc = (uint32_t)v;
            else
                o.dpc = (uint32_t)v;
            break;
        case O_CDSSN:
        case O_CGSSN:
            if (parse_u(optarg, 255, &v) < 0)
                bad = "expected 0..255";
            else if (c == O_CDSSN)
                o.called_ssn = (uint8_t)v;
            else
                o.calling_ssn = (uint8_t)v;
            break;
        case O_REPLAY:
            o.replay = optarg;
            break;
        case O_GARBAGE:
            o.garbage = optarg;
            break;
        case O_BEAT:
            o.beat = true;
            break;
        case O_DUNA:
            o.duna = true;
            break;
        case O_DAUD:
            o.daud = true;
            break;
        case O_RECORD:
            o.record = optarg;
            break;
        case O_DURATION:
        case O_LINGER:
        case O_DELAY:
        case O_PAUSE:
            if (parse_u(optarg, 3600000, &v) < 0)
                bad = "expected milliseconds 0..3600000";
            else if (c == O_DURATION) {
                o.duration_ms = (unsigned)v;
                have_duration = true;
            } else if (c == O_LINGER)
                o.linger_ms = (unsigned)v;
            else if (c == O_DELAY)
                o.start_delay_ms = (unsigned)v;
            else
                o.pause_read_ms = (unsigned)v;
            break;
        case O_RCVBUF:
            if (parse_u(optarg, 1 << 26, &v) < 0) bad = "expected bytes";
            o.rcvbuf = (int)v;
            break;
        case O_QUEUE:
            if (parse_u(optarg, 1 << 26, &v) < 0 || v < 4096) bad = "expected 4096..67108864";
            o.queue_bytes = (size_t)v;
            break;
        case 'q':
            o.quiet = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            if (c >= O_NE_BASE && c < O_NE_BASE + SSGW_PEER_NE_COUNT) {
                if (o.n_ne >= SSGW_PEER_MAX_NE) {
                    bad = "too many simulated elements";
                    break;
                }
                o.ne[o.n_ne].kind = (ssgw_peer_ne_kind)(c - O_NE_BASE);
                snprintf(o.ne[o.n_ne].gt, sizeof o.ne[o.n_ne].gt, "%.23s", optarg);
                o.n_ne++;
                break;
            }
            usage(stderr);
            return 2;
        }
        if (bad) {
            fprintf(stderr, "ssgw peer: %s '%s': %s\n", argv[optind - 1], optarg ? optarg : "",
                    bad);
            return 2;
        }
    }
    if (!have_addr || optind != argc) {
        usage(stderr);
        return 2;
    }
    if (o.until_stopped && o.op < 0) {
        fprintf(stderr, "ssgw peer: --until-stopped needs --send OP (the traffic to send)\n");
        return 2;
    }
    if (o.expect_sent && o.op < 0 && !o.replay && !o.calls) {
        fprintf(stderr, "ssgw peer: --expect sent needs traffic to send (--send, --replay or "
                        "--calls)\n");
        return 2;
    }
    if (o.until_stopped && !have_duration) o.duration_ms = UINT_MAX; /* the signal ends it */
    if (o.op >= 0 && !have_count) o.count = 1;
    if (o.until_stopped) o.count = UINT64_MAX;
    if (o.role == SSGW_GW_ROLE_COUNT) o.role = o.listen ? SSGW_GW_ROLE_SG : SSGW_GW_ROLE_ASP;
    if (o.transport == SSGW_GW_TRANSPORT_TCP &&
        (o.local_address[0] || o.n_local_addrs || o.n_remote_addrs || o.primary[0])) {
        fprintf(stderr, "ssgw peer: --local-address(es), --remote-addresses and --primary are "
                        "for SCTP (--transport sctp-udp or sctp)\n");
        return 2;
    }
    if (o.listen && (o.local_address[0] || o.n_remote_addrs)) {
        fprintf(stderr, "ssgw peer: --local-address and --remote-addresses are for --connect "
                        "(with --listen, the first local address is --listen's and the peer's "
                        "addresses come from its INIT)\n");
        return 2;
    }
    if (o.transport == SSGW_GW_TRANSPORT_SCTP_UDP && !o.listen && !o.remote_udp_port) {
        fprintf(stderr, "ssgw peer: --transport sctp-udp with --connect needs --remote-udp-port\n");
        return 2;
    }
    char err[400];
    ssgw_log_config lc = {.ident = "ssgw-peer", .target = "stderr", .level = SSGW_LOG_INFO};
    ssgw_log_configure(&lc, err, sizeof err); /* stderr cannot fail */
    int rc = ssgw_peer_run(&o, err, sizeof err);
    if (rc == 2) fprintf(stderr, "ssgw peer: %s\n", err);
    return rc;
}
