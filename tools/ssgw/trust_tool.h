/*
 * trust_tool.h - what `ssgw sign` and `ssgw verify` share: the inspection
 * pipeline loaded with the operator's configuration and trust material, and
 * writing messages back into a pcap with the endpoints they were captured with.
 */
#ifndef SSGW_TOOLS_TRUST_TOOL_H
#define SSGW_TOOLS_TRUST_TOOL_H

#include <stdint.h>
#include <time.h>

#include "ssgw/capture.h"
#include "ssgw/pcap_writer.h"
#include "ssgw/policy.h"
#include "ssgw/pipeline.h"
#include "ssgw/trust_msg.h"

/*
 * The inspection pipeline for `ssgw <cmd>`: loads CONF (printing every configuration
 * error), requires [trust], loads the keys, root and bundle (min_sequence, verified at
 * now) and runs only `stages`. Errors go to stderr prefixed with "ssgw <cmd>: ".
 * Returns NULL on error.
 */
ssgw_pipeline *trust_tool_pipeline(const char *cmd, const char *conf, unsigned stages,
                                   uint64_t min_sequence, time_t now);

/* Parses a non-negative decimal number (EPOCH, N); 0 or -1. */
int trust_tool_parse_u64(const char *s, uint64_t *out);

/* Writes one M3UA message as an SCTP packet with cm's addresses, ports and stream. */
int trust_tool_write(ssgw_pcap_writer *w, const ssgw_capture_msg *cm, uint32_t *tsn,
                     const uint8_t *m3ua, size_t len);
/* Writes several M3UA messages laid one after the other (each framed by its header's
 * length, as the pipeline returns them), one SCTP packet each. 0 or -1. */
int trust_tool_write_all(ssgw_pcap_writer *w, const ssgw_capture_msg *cm, uint32_t *tsn,
                         const uint8_t *msgs, size_t len);

#endif
