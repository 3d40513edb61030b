/*
 * categories.c - the firewall's categories of MAP operations and the policy
 * vocabulary (actions, categories, directions, answers).
 *
 * GSMA FS.11 (SS7 Interconnect Security Monitoring and Firewall Guidelines):
 *   category 1: never acceptable on the interconnect unless a bilateral
 *               agreement says so (they only make sense inside one network);
 *   category 2: acceptable only from the subscriber's home network (HLR ->
 *               visited VLR/SGSN, about an inbound roamer);
 *   category 3: acceptable only from the network where the subscriber is now
 *               (visited VLR/SGSN -> home HLR, about an outbound roamer).
 * SMS operations get their own class (sms.* checks). Which class each
 * operation has is a column of the MAP operation table (src/wire/map_ops.def,
 * ssgw_map_fs11); this file only says what each class is to the policy.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"
#include "ssgw/sccp.h"

static const uint8_t category_of_class[SSGW_MAP_FS11_COUNT] = {
    [SSGW_MAP_FS11_OTHER] = SSGW_CAT_OTHER, [SSGW_MAP_FS11_CAT1] = SSGW_CAT_1,
    [SSGW_MAP_FS11_CAT2] = SSGW_CAT_2,      [SSGW_MAP_FS11_CAT3] = SSGW_CAT_3,
    [SSGW_MAP_FS11_SMS] = SSGW_CAT_SMS,
};

ssgw_category ssgw_policy_category(const ssgw_map_acn *acn, bool acn_other, int opcode)
{
    (void)acn;
    if (acn_other || opcode < 0 || opcode > SSGW_MAP_OPCODE_MAX) return SSGW_CAT_NONE;
    const ssgw_map_op *op = ssgw_map_op_by_code(opcode);
    return op ? (ssgw_category)category_of_class[op->fs11] : SSGW_CAT_OTHER;
}

const char *ssgw_action_name(ssgw_action a)
{
    static const char *const n[] = {"allow", "drop", "answer", "alert", "rate-limit"};
    return (unsigned)a < SSGW_ACT_COUNT ? n[a] : "unknown";
}

int ssgw_action_parse(const char *s)
{
    if (!s) return -1;
    for (int i = 0; i < SSGW_ACT_COUNT; i++)
        if (!strcmp(s, ssgw_action_name((ssgw_action)i))) return i;
    return -1;
}

const char *ssgw_category_name(ssgw_category c)
{
    static const char *const n[] = {"none", "cat1", "cat2", "cat3", "sms", "other"};
    return (unsigned)c < SSGW_CAT_COUNT ? n[c] : "unknown";
}

int ssgw_category_parse(const char *s)
{
    for (int i = 0; i < SSGW_CAT_COUNT; i++)
        if (!strcmp(s, ssgw_category_name((ssgw_category)i))) return i;
    return -1;
}

const char *ssgw_direction_name(ssgw_direction d)
{
    static const char *const n[] = {"unknown", "inbound", "outbound"};
    return (unsigned)d < SSGW_DIR_COUNT ? n[d] : "unknown";
}

/* TS 29.002 17.6.6 / 17.5 MAP error codes. */
static const struct {
    int code;
    const char *name;
} map_errors[] = {
    {1, "unknownSubscriber"},
    {3, "unknownMSC"},
    {5, "unidentifiedSubscriber"},
    {6, "absentSubscriberSM"},
    {7, "unknownEquipment"},
    {8, "roamingNotAllowed"},
    {9, "illegalSubscriber"},
    {10, "bearerServiceNotProvisioned"},
    {11, "teleserviceNotProvisioned"},
    {12, "illegalEquipment"},
    {13, "callBarred"},
    {21, "facilityNotSupported"},
    {27, "absentSubscriber"},
    {34, "systemFailure"},
    {35, "dataMissing"},
    {36, "unexpectedDataValue"},
    {44, "numberChanged"},
    {49, "ati-NotAllowed"},
};

const char *ssgw_map_error_name(int code)
{
    for (size_t i = 0; i < sizeof map_errors / sizeof map_errors[0]; i++)
        if (map_errors[i].code == code) return map_errors[i].name;
    return NULL;
}

/* Result-Codes (RFC 6733 7.1) and 3GPP Experimental-Result-Codes (TS 29.272 7.4.3, TS 29.229
 * 6.2) an operator may name in answer = "diameter:..." / "diameter-experimental:...". */
static const struct {
    const char *name;
    int code;
    bool experimental;
} diam_results[] = {
    {"COMMAND_UNSUPPORTED", 3001, false},     {"UNABLE_TO_DELIVER", 3002, false},
    {"REALM_NOT_SERVED", 3003, false},        {"TOO_BUSY", 3004, false},
    {"APPLICATION_UNSUPPORTED", 3007, false}, {"AUTHORIZATION_REJECTED", 5003, false},
    {"UNABLE_TO_COMPLY", 5012, false},        {"USER_UNKNOWN", 5001, true},
    {"ROAMING_NOT_ALLOWED", 5004, true},      {"UNKNOWN_EPS_SUBSCRIPTION", 5420, true},
    {"RAT_NOT_ALLOWED", 5421, true},          {"EQUIPMENT_UNKNOWN", 5422, true},
    {"UNKNOWN_SERVING_NODE", 5423, true},
};

static int parse_diameter(const char *arg, bool experimental, ssgw_answer *out)
{
    out->kind = experimental ? SSGW_ANSWER_DIAMETER_EXPERIMENTAL : SSGW_ANSWER_DIAMETER;
    if (*arg >= '0' && *arg <= '9') {
        char *end;
        long v = strtol(arg, &end, 10);
        if (*end || v < 1000 || v > 5999) return -1;
        out->code = (int)v;
        return 0;
    }
    if (!strncmp(arg, "DIAMETER_", 9)) arg += 9;
    if (!strncmp(arg, "ERROR_", 6) && experimental) arg += 6;
    for (size_t i = 0; i < sizeof diam_results / sizeof diam_results[0]; i++)
        if (diam_results[i].experimental == experimental && !strcmp(arg, diam_results[i].name)) {
            out->code = diam_results[i].code;
            return 0;
        }
    return -1;
}

bool ssgw_answer_is_diameter(const ssgw_answer *a)
{
    return a->kind == SSGW_ANSWER_DIAMETER || a->kind == SSGW_ANSWER_DIAMETER_EXPERIMENTAL;
}

int ssgw_answer_parse(const char *s, ssgw_answer *out)
{
    if (!s) return -1;
    if (!strncmp(s, "diameter:", 9)) return parse_diameter(s + 9, false, out);
    if (!strncmp(s, "diameter-experimental:", 22)) return parse_diameter(s + 22, true, out);
    if (!strcmp(s, "tcap-abort")) {
        out->kind = SSGW_ANSWER_TCAP_ABORT;
        out->code = 1; /* unrecognizedTransactionID */
        return 0;
    }
    if (!strcmp(s, "sccp-udts")) {
        out->kind = SSGW_ANSWER_SCCP_UDTS;
        out->code = SSGW_SCCP_RC_SUBSYSTEM_FAILURE;
        return 0;
    }
    if (!strcmp(s, "isup-rel")) {
        out->kind = SSGW_ANSWER_ISUP_REL;
        out->code = 21; /* Q.850 call rejected */
        return 0;
    }
    const char *arg = NULL;
    ssgw_answer_kind kind;
    if (!strncmp(s, "map-error:", 10)) {
        kind = SSGW_ANSWER_MAP_ERROR;
        arg = s + 10;
    } else if (!strncmp(s, "sccp-udts:", 10)) {
        kind = SSGW_ANSWER_SCCP_UDTS;
        arg = s + 10;
    } else if (!strncmp(s, "isup-rel:", 9)) {
        kind = SSGW_ANSWER_ISUP_REL;
        arg = s + 9;
    } else {
        return -1;
    }
    if (*arg >= '0' && *arg <= '9') {
        char *end;
        long v = strtol(arg, &end, 10);
        long max = kind == SSGW_ANSWER_SCCP_UDTS ? 255 : 127;
        if (*end || v < (kind == SSGW_ANSWER_ISUP_REL ? 1 : 0) || v > max) return -1;
        out->kind = kind;
        out->code = (int)v;
        return 0;
    }
    if (kind != SSGW_ANSWER_MAP_ERROR) return -1;
    for (size_t i = 0; i < sizeof map_errors / sizeof map_errors[0]; i++)
        if (!strcmp(arg, map_errors[i].name)) {
            out->kind = kind;
            out->code = map_errors[i].code;
            return 0;
        }
    return -1;
}

int ssgw_answer_format(const ssgw_answer *a, char *out, size_t cap)
{
    switch (a->kind) {
    case SSGW_ANSWER_TCAP_ABORT:
        return snprintf(out, cap, "tcap-abort");
    case SSGW_ANSWER_MAP_ERROR: {
        const char *n = ssgw_map_error_name(a->code);
        if (n) return snprintf(out, cap, "map-error:%s", n);
        return snprintf(out, cap, "map-error:%d", a->code);
    }
    case SSGW_ANSWER_SCCP_UDTS:
        return snprintf(out, cap, "sccp-udts:%d", a->code);
    case SSGW_ANSWER_ISUP_REL:
        return snprintf(out, cap, "isup-rel:%d", a->code);
    case SSGW_ANSWER_ISUP_RLC:
        return snprintf(out, cap, "isup-rlc");
    case SSGW_ANSWER_DIAMETER:
        return snprintf(out, cap, "diameter:%d", a->code);
    case SSGW_ANSWER_DIAMETER_EXPERIMENTAL:
        return snprintf(out, cap, "diameter-experimental:%d", a->code);
    default:
        return snprintf(out, cap, "none");
    }
}
