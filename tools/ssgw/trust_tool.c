/*
 * trust_tool.c - shared set-up of `ssgw sign` and `ssgw verify` (trust_tool.h).
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

int trust_tool_open(trust_tool *tt, const char *cmd, const char *conf, uint64_t min_sequence,
                    time_t now)
{
    static ssgw_config_errors errs;
    memset(tt, 0, sizeof *tt);
    tt->pol = ssgw_policy_load_file(conf, &errs);
    if (!tt->pol) {
        for (size_t i = 0; i < errs.n; i++)
            fprintf(stderr, "%s\n", errs.e[i].text);
        if (errs.n_dropped) fprintf(stderr, "(%zu more errors)\n", errs.n_dropped);
        return -1;
    }
    tt->cfg = ssgw_policy_trust_get(tt->pol);
    if (!tt->cfg->present) {
        fprintf(stderr,
                "ssgw %s: %s has no [trust] section (docs/configuration.md \"[trust]\" lists its "
                "keys: key, root, bundle ...)\n",
                cmd, conf);
        return -1;
    }
    char err[1024];
    if (ssgw_trust_setup_load(&tt->setup, tt->cfg, min_sequence, now, err, sizeof err) < 0) {
        fprintf(stderr, "ssgw %s: %s\n", cmd, err);
        return -1;
    }
    tt->t = ssgw_trust_new(tt->setup.kr, &tt->cfg->cfg);
    if (!tt->t) {
        fprintf(stderr, "ssgw %s: out of memory (replay cache of %zu entries)\n", cmd,
                tt->cfg->cfg.replay_entries);
        return -1;
    }
    return 0;
}

void trust_tool_close(trust_tool *tt)
{
    ssgw_trust_free(tt->t);
    ssgw_trust_setup_free(&tt->setup);
    ssgw_policy_free(tt->pol);
    memset(tt, 0, sizeof *tt);
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
