/*
 * bench_iam_capture.c - the call traffic of bench/run-cli.sh: a pcap of ISUP IAMs (ITU-T
 * Q.763) between the example network's home exchange (Albion Mobile, point code 1001,
 * numbers 447924...) and two partners that are members of the trust bundle (Safari Mobile
 * 2001 / 254722..., Rhein Telekom 2002 / 491710...), for the gateway's CLI attestation:
 * the outbound IAMs are the ones the gateway attests, the inbound ones, once `ssgw sign`
 * has attested them as their partner, the ones it verifies.
 *
 * Message i: even i outbound (OPC 1001, calling our subscriber, called the partner's), odd
 * i inbound (the partner's subscriber calling ours); the partner alternates every two
 * messages. Every IAM is a complete basic-call IAM (nature of connection, forward call
 * indicators, calling party's category, transmission medium requirement, called and
 * calling party number, international, screening network provided) on its own circuit
 * (CIC cycling 1..4095 per direction and partner, SLS its 4 low bits) in M3UA DATA
 * (RFC 4666, routing context 101/102) over Ethernet/IPv4/SCTP, one per frame, 100 us
 * apart.
 *
 *   bench_iam_capture --count N [--inbound-share P] OUT.pcap
 *
 * --inbound-share P: percentage of inbound IAMs (default 50). Exit: 0, 1 on a write
 * error, 2 on a usage error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/isup.h"
#include "ssgw/m3ua.h"
#include "ssgw/pcap_writer.h"

static const struct {
    uint32_t pc;
    const char *prefix;
} partner[2] = {{2001, "254722"}, {2002, "491710"}};

enum { HOME_PC = 1001 };

/* One IAM from calling to called on cic, as M3UA DATA opc -> dpc, into out. */
static int iam(ssgw_buf *out, uint32_t opc, uint32_t dpc, uint16_t cic, const char *calling,
               const char *called)
{
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    if (ssgw_isup_add_basic_iam(&b, called, calling, 3 /* network provided */) < 0) return -1;
    uint8_t mem[256];
    ssgw_buf ib;
    ssgw_buf_init(&ib, mem, sizeof mem);
    ssgw_error e;
    if (ssgw_isup_builder_encode(&b, &ib, cic, SSGW_ISUP_IAM, &e) < 0) return -1;
    uint32_t rc = 100u + (opc == HOME_PC ? dpc : opc) - 2000u;
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    d.routing_context = &rc;
    d.n_routing_context = 1;
    d.pd.opc = opc;
    d.pd.dpc = dpc;
    d.pd.si = 5;
    d.pd.ni = 0;
    d.pd.sls = cic & 0x0f;
    d.pd.data = ib.data;
    d.pd.data_len = ib.len;
    return ssgw_m3ua_encode_data(out, &d) < 0 || out->overflow ? -1 : 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"count", required_argument, NULL, 'n'},
                                         {"inbound-share", required_argument, NULL, 'i'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    unsigned long count = 0, share = 50;
    int ch;
    while ((ch = getopt_long(argc, argv, "n:i:h", opts, NULL)) != -1) {
        char *end;
        switch (ch) {
        case 'n':
            count = strtoul(optarg, &end, 10);
            if (*end || !count) count = 0;
            break;
        case 'i':
            share = strtoul(optarg, &end, 10);
            if (*end || share > 100) share = 101;
            break;
        case 'h':
            printf("usage: bench_iam_capture --count N [--inbound-share P] OUT.pcap\n");
            return 0;
        default:
            return 2;
        }
    }
    if (optind != argc - 1 || !count || share > 100) {
        fprintf(stderr, "usage: bench_iam_capture --count N [--inbound-share P] OUT.pcap\n");
        return 2;
    }
    char err[256];
    ssgw_pcap_writer *w = ssgw_pcap_writer_open(argv[optind], 1, err, sizeof err);
    if (!w) {
        fprintf(stderr, "bench_iam_capture: %s: %s\n", argv[optind], err);
        return 1;
    }
    uint16_t cic[2][2] = {{1, 1}, {1, 1}}; /* [partner][inbound] */
    unsigned long inbound = 0;
    int rc = 0;
    for (unsigned long i = 0; i < count && rc == 0; i++) {
        int p = (int)(i / 2 % 2);
        /* inbound when the share so far is below P percent */
        bool in = inbound * 100 < (i + 1) * share;
        inbound += in;
        char ours[16], theirs[16];
        snprintf(ours, sizeof ours, "447924%06lu", 100000 + i % 900000);
        snprintf(theirs, sizeof theirs, "%s%06lu", partner[p].prefix, 100000 + (i * 7) % 900000);
        uint16_t *c = &cic[p][in];
        uint8_t mem[512];
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        ssgw_pcap_endpoints ep = {.src_ip4 = in ? 0x0a010001u + (uint32_t)p : 0x0a000001u,
                                  .dst_ip4 = in ? 0x0a000001u : 0x0a010001u + (uint32_t)p,
                                  .src_port = 2905,
                                  .dst_port = 2905,
                                  .vtag = 1};
        if (iam(&b, in ? partner[p].pc : HOME_PC, in ? HOME_PC : partner[p].pc, *c,
                in ? theirs : ours, in ? ours : theirs) < 0 ||
            ssgw_pcap_write_sctp(w, 1700000000u + (uint32_t)(i / 10000),
                                 (uint32_t)(i % 10000) * 100u, &ep, 1, (uint32_t)i + 1, b.data,
                                 b.len) < 0) {
            fprintf(stderr, "bench_iam_capture: message %lu: %s\n", i + 1,
                    ssgw_pcap_writer_error(w));
            rc = 1;
        }
        *c = (uint16_t)(*c >= SSGW_ISUP_CIC_MAX ? 1 : *c + 1);
    }
    if (ssgw_pcap_writer_close(w) < 0 && rc == 0) {
        fprintf(stderr, "bench_iam_capture: %s: write error\n", argv[optind]);
        rc = 1;
    }
    return rc;
}
