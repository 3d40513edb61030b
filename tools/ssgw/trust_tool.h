/*
 * trust_tool.h - what `ssgw sign` and `ssgw verify` share: loading the
 * operator's configuration and trust material, and writing messages back into
 * a pcap with the endpoints they were captured with.
 */
#ifndef SSGW_TOOLS_TRUST_TOOL_H
#define SSGW_TOOLS_TRUST_TOOL_H

#include <stdint.h>
#include <time.h>

#include "ssgw/capture.h"
#include "ssgw/pcap_writer.h"
#include "ssgw/policy.h"
#include "ssgw/trust_msg.h"

typedef struct {
    ssgw_policy *pol;
    const ssgw_policy_trust *cfg;
    ssgw_trust_setup setup;
    ssgw_trust *t;
} trust_tool;

/*
 * Loads CONF (printing every configuration error), requires [trust], loads the
 * keys, root and bundle (min_sequence, verified at now) and makes a context.
 * Errors go to stderr prefixed with "ssgw <cmd>: ". Returns 0 or -1.
 */
int trust_tool_open(trust_tool *tt, const char *cmd, const char *conf, uint64_t min_sequence,
                    time_t now);
void trust_tool_close(trust_tool *tt);

/* Parses a non-negative decimal number (EPOCH, N); 0 or -1. */
int trust_tool_parse_u64(const char *s, uint64_t *out);

/* Writes one M3UA message as an SCTP packet with cm's addresses, ports and stream. */
int trust_tool_write(ssgw_pcap_writer *w, const ssgw_capture_msg *cm, uint32_t *tsn,
                     const uint8_t *m3ua, size_t len);

#endif
