/*
 * trust_tool.c - what `ssgw sign` and `ssgw verify` share (trust_tool.h).
 */
#include "trust_tool.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int trust_tool_parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !*s || *s == '-') return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno) return -1;
    *out = v;
    return 0;
}

ssgw_pipeline *trust_tool_pipeline(const char *cmd, const char *conf, unsigned stages,
                                   uint64_t min_sequence, time_t now)
{
    static ssgw_config_errors errs;
    ssgw_policy *pol = ssgw_policy_load_file(conf, &errs);
    if (!pol) {
        for (size_t i = 0; i < errs.n; i++)
            fprintf(stderr, "%s\n", errs.e[i].text);
        if (errs.n_dropped) fprintf(stderr, "(%zu more errors)\n", errs.n_dropped);
        return NULL;
    }
    bool has_trust = ssgw_policy_trust_get(pol)->present;
    ssgw_policy_free(pol);
    if (!has_trust) {
        fprintf(stderr,
                "ssgw %s: %s has no [trust] section (docs/configuration.md \"[trust]\" lists its "
                "keys: key, root, bundle ...)\n",
                cmd, conf);
        return NULL;
    }
    static char err[8192];
    ssgw_pipeline_config pc = {
        .policy = conf, .stages = stages, .min_sequence = min_sequence, .load_time = now};
    ssgw_pipeline *p = ssgw_pipeline_new(&pc, err, sizeof err);
    if (!p) fprintf(stderr, "ssgw %s: %s\n", cmd, err);
    return p;
}

int trust_tool_write(ssgw_pcap_writer *w, const ssgw_capture_msg *cm, uint32_t *tsn,
                     const uint8_t *m3ua, size_t len)
{
    ssgw_pcap_endpoints ep;
    memset(&ep, 0, sizeof ep);
    struct in_addr a4, b4;
    if (inet_pton(AF_INET, cm->src_ip, &a4) == 1 && inet_pton(AF_INET, cm->dst_ip, &b4) == 1) {
        ep.src_ip4 = ntohl(a4.s_addr);
        ep.dst_ip4 = ntohl(b4.s_addr);
    } else if (inet_pton(AF_INET6, cm->src_ip, ep.src_ip6) == 1 &&
               inet_pton(AF_INET6, cm->dst_ip, ep.dst_ip6) == 1) {
        ep.ipv6 = true;
    } else {
        ep.src_ip4 = 0x0a000001;
        ep.dst_ip4 = 0x0a000002;
    }
    ep.src_port = cm->src_port ? cm->src_port : 2905;
    ep.dst_port = cm->dst_port ? cm->dst_port : 2905;
    uint32_t usec = cm->ts_usec;
    return ssgw_pcap_write_sctp(w, (uint32_t)cm->ts_sec, usec, &ep, cm->sctp_stream, (*tsn)++, m3ua,
                                len);
}

int trust_tool_write_all(ssgw_pcap_writer *w, const ssgw_capture_msg *cm, uint32_t *tsn,
                         const uint8_t *msgs, size_t len)
{
    size_t o = 0;
    while (o + 8 <= len) {
        size_t n = (size_t)msgs[o + 4] << 24 | (size_t)msgs[o + 5] << 16 |
                   (size_t)msgs[o + 6] << 8 | msgs[o + 7];
        if (n < 8 || o + n > len) return -1;
        if (trust_tool_write(w, cm, tsn, msgs + o, n) < 0) return -1;
        o += n;
    }
    return o == len ? 0 : -1;
}
