/*
 * m3ua_same.h - two decoded M3UA messages compared member by member (struct copies leave
 * padding octets undefined, so memcmp cannot): test_m3ua_paths.c (the one-pass decoder
 * against the table's), test_decoder_m3ua.c (a view given the decoded message against one
 * that decodes it). Uses PATHS_EQ (paths.h). Header-only; each test includes it once.
 */
#ifndef SSGW_TEST_M3UA_SAME_H
#define SSGW_TEST_M3UA_SAME_H

#include <stdbool.h>

#include "paths.h"
#include "ssgw/m3ua.h"

static bool same_param(const ssgw_m3ua_param *a, const ssgw_m3ua_param *b)
{
    return PATHS_EQ(tag) && PATHS_EQ(val) && PATHS_EQ(len) && PATHS_EQ(offset);
}

static bool same_msg(const ssgw_m3ua_msg *a, const ssgw_m3ua_msg *b)
{
    return PATHS_EQ(buf) && PATHS_EQ(len) && PATHS_EQ(version) && PATHS_EQ(msg_class) &&
           PATHS_EQ(msg_type) && PATHS_EQ(spec) && PATHS_EQ(present) &&
           PATHS_EQ(network_appearance) && PATHS_EQ(routing_context.p) &&
           PATHS_EQ(routing_context.count) && PATHS_EQ(protocol_data.opc) &&
           PATHS_EQ(protocol_data.dpc) && PATHS_EQ(protocol_data.si) &&
           PATHS_EQ(protocol_data.ni) && PATHS_EQ(protocol_data.mp) &&
           PATHS_EQ(protocol_data.sls) && PATHS_EQ(protocol_data.data) &&
           PATHS_EQ(protocol_data.data_len) && PATHS_EQ(correlation_id) && PATHS_EQ(info_string) &&
           PATHS_EQ(info_string_len) && PATHS_EQ(affected_pc.p) && PATHS_EQ(affected_pc.count) &&
           PATHS_EQ(concerned_dest) && PATHS_EQ(cause) && PATHS_EQ(user) &&
           PATHS_EQ(congestion_level) && PATHS_EQ(error_code) && PATHS_EQ(status_type) &&
           PATHS_EQ(status_info) && PATHS_EQ(asp_id) && PATHS_EQ(heartbeat_data) &&
           PATHS_EQ(heartbeat_data_len) && PATHS_EQ(traffic_mode) && PATHS_EQ(diagnostic) &&
           PATHS_EQ(diagnostic_len) && same_param(&a->routing_key, &b->routing_key) &&
           PATHS_EQ(n_routing_key) && same_param(&a->reg_result, &b->reg_result) &&
           PATHS_EQ(n_reg_result) && same_param(&a->dereg_result, &b->dereg_result) &&
           PATHS_EQ(n_dereg_result) && PATHS_EQ(n_params) && PATHS_EQ(n_unexpected) &&
           PATHS_EQ(unexpected_tag) && PATHS_EQ(unexpected_offset);
}

#endif
