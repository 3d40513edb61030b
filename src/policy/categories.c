/*
 * categories.c - the GSMA FS.11 category of every MAP operation, as data, and
 * the policy vocabulary (actions, categories, directions, answers).
 *
 * FS.11 (SS7 Interconnect Security Monitoring and Firewall Guidelines):
 *   category 1: never acceptable on the interconnect unless a bilateral
 *               agreement says so (they only make sense inside one network);
 *   category 2: acceptable only from the subscriber's home network (HLR ->
 *               visited VLR/SGSN, about an inbound roamer);
 *   category 3: acceptable only from the network where the subscriber is now
 *               (visited VLR/SGSN -> home HLR, about an outbound roamer).
 * SMS operations get their own class (sms.* checks). Opcodes come from
 * 3GPP TS 29.002 clause 17.5 (MAP-Protocol); names as in its ASN.1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"
#include "ssgw/sccp.h"

typedef struct {
    uint8_t opcode;
    uint8_t cat;
} op_cat;

static const op_cat op_categories[] = {
    /* category 1: intra-PLMN only, or location/identity look-ups */
    {9, SSGW_CAT_1},  /* sendParameters */
    {19, SSGW_CAT_1}, /* processUnstructuredSS-Data (v1) */
    {22, SSGW_CAT_1}, /* sendRoutingInfo */
    {24, SSGW_CAT_1}, /* sendRoutingInfoForGprs */
    {31, SSGW_CAT_1}, /* provideSIWFSNumber */
    {32, SSGW_CAT_1}, /* sIWFSSignallingModify */
    {43, SSGW_CAT_1}, /* checkIMEI */
    {55, SSGW_CAT_1}, /* sendIdentification */
    {58, SSGW_CAT_1}, /* sendIMSI */
    {62, SSGW_CAT_1}, /* anyTimeSubscriptionInterrogation */
    {65, SSGW_CAT_1}, /* anyTimeModification */
    {71, SSGW_CAT_1}, /* anyTimeInterrogation */
    {83, SSGW_CAT_1}, /* provideSubscriberLocation */
    {85, SSGW_CAT_1}, /* sendRoutingInfoForLCS */
    {86, SSGW_CAT_1}, /* subscriberLocationReport */
    {87, SSGW_CAT_1}, /* ist-Alert */
    {40, SSGW_CAT_1}, /* prepareGroupCall */
    {41, SSGW_CAT_1}, /* sendGroupCallEndSignal */
    {42, SSGW_CAT_1}, /* processGroupCallSignalling / forwardGroupCallSignalling */
    /* category 2: from the subscriber's home network (HLR) to the visited network */
    {3, SSGW_CAT_2},  /* cancelLocation */
    {4, SSGW_CAT_2},  /* provideRoamingNumber */
    {7, SSGW_CAT_2},  /* insertSubscriberData */
    {8, SSGW_CAT_2},  /* deleteSubscriberData */
    {37, SSGW_CAT_2}, /* reset */
    {38, SSGW_CAT_2}, /* forwardCheckSS-Indication */
    {50, SSGW_CAT_2}, /* activateTraceMode */
    {51, SSGW_CAT_2}, /* deactivateTraceMode */
    {60, SSGW_CAT_2}, /* unstructuredSS-Request (network initiated) */
    {61, SSGW_CAT_2}, /* unstructuredSS-Notify */
    {70, SSGW_CAT_2}, /* provideSubscriberInfo */
    {73, SSGW_CAT_2}, /* setReportingState */
    {75, SSGW_CAT_2}, /* remoteUserFree */
    {88, SSGW_CAT_2}, /* istCommand */
    /* category 3: from the subscriber's current (visited) network to the home HLR */
    {2, SSGW_CAT_3},  /* updateLocation */
    {10, SSGW_CAT_3}, /* registerSS */
    {11, SSGW_CAT_3}, /* eraseSS */
    {12, SSGW_CAT_3}, /* activateSS */
    {13, SSGW_CAT_3}, /* deactivateSS */
    {14, SSGW_CAT_3}, /* interrogateSS */
    {15, SSGW_CAT_3}, /* authenticationFailureReport */
    {17, SSGW_CAT_3}, /* registerPassword */
    {18, SSGW_CAT_3}, /* getPassword */
    {23, SSGW_CAT_3}, /* updateGprsLocation */
    {56, SSGW_CAT_3}, /* sendAuthenticationInfo */
    {57, SSGW_CAT_3}, /* restoreData */
    {59, SSGW_CAT_3}, /* processUnstructuredSS-Request */
    {67, SSGW_CAT_3}, /* purgeMS */
    {74, SSGW_CAT_3}, /* statusReport */
    {76, SSGW_CAT_3}, /* registerCC-Entry */
    {77, SSGW_CAT_3}, /* eraseCC-Entry */
    {66, SSGW_CAT_3}, /* readyForSM */
    /* SMS */
    {21, SSGW_CAT_SMS}, /* mt-ForwardSM-VGCS */
    {44, SSGW_CAT_SMS}, /* mt-forwardSM */
    {45, SSGW_CAT_SMS}, /* sendRoutingInfoForSM */
    {46, SSGW_CAT_SMS}, /* mo-forwardSM */
    {47, SSGW_CAT_SMS}, /* reportSM-DeliveryStatus */
    {63, SSGW_CAT_SMS}, /* informServiceCentre */
    {64, SSGW_CAT_SMS}, /* alertServiceCentre */
};

static uint8_t cat_table[128];
static int cat_table_ready;

static void build_cat_table(void)
{
    for (int i = 0; i < 128; i++)
        cat_table[i] = SSGW_CAT_OTHER;
    for (size_t i = 0; i < sizeof op_categories / sizeof op_categories[0]; i++)
        cat_table[op_categories[i].opcode] = op_categories[i].cat;
    cat_table_ready = 1;
}

ssgw_category ssgw_policy_category(const ssgw_map_acn *acn, bool acn_other, int opcode)
{
    (void)acn;
    if (acn_other || opcode < 0 || opcode > 127) return SSGW_CAT_NONE;
    if (!cat_table_ready) build_cat_table();
    return (ssgw_category)cat_table[opcode];
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

int ssgw_answer_parse(const char *s, ssgw_answer *out)
{
    if (!s) return -1;
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
    const char *arg = NULL;
    ssgw_answer_kind kind;
    if (!strncmp(s, "map-error:", 10)) {
        kind = SSGW_ANSWER_MAP_ERROR;
        arg = s + 10;
    } else if (!strncmp(s, "sccp-udts:", 10)) {
        kind = SSGW_ANSWER_SCCP_UDTS;
        arg = s + 10;
    } else {
        return -1;
    }
    if (*arg >= '0' && *arg <= '9') {
        char *end;
        long v = strtol(arg, &end, 10);
        if (*end || v < 0 || v > (kind == SSGW_ANSWER_MAP_ERROR ? 127 : 255)) return -1;
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
    default:
        return snprintf(out, cap, "none");
    }
}
