/*
 * isup_tables.c - the ISUP protocol facts as data (see include/ssgw/isup.h): the
 * message table (which parameters each message type carries in its mandatory fixed,
 * mandatory variable and optional parts: ITU-T Q.763 clause 4, tables 21-51), the
 * parameter table (codes and names: Q.763 clause 3, table 5; the fixed lengths and the
 * layouts of address parameters from the clauses that define them), and the names of
 * Q.850 cause values and of the calling party's categories (Q.763 3.11).
 */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "ssgw/isup.h"

/* --- parameters (Q.763 table 5) ------------------------------------------------------ */

#define P(c, n, fixed, min, layout, rep)                                                           \
    {                                                                                              \
        c, n, fixed, min, layout, rep                                                              \
    }
#define PN(c, n) P(c, n, 0, 1, SSGW_ISUP_NUM_NONE, false)

static const ssgw_isup_param_def params[] = {
    PN(0x01, "call reference"),
    P(0x02, "transmission medium requirement", 1, 1, SSGW_ISUP_NUM_NONE, false),
    PN(0x03, "access transport"),
    P(0x04, "called party number", 0, 2, SSGW_ISUP_NUM_CALLED, false),
    P(0x05, "subsequent number", 0, 2, SSGW_ISUP_NUM_SUBSEQUENT, false),
    P(0x06, "nature of connection indicators", 1, 1, SSGW_ISUP_NUM_NONE, false),
    P(0x07, "forward call indicators", 2, 2, SSGW_ISUP_NUM_NONE, false),
    PN(0x08, "optional forward call indicators"),
    P(0x09, "calling party's category", 1, 1, SSGW_ISUP_NUM_NONE, false),
    P(0x0a, "calling party number", 0, 2, SSGW_ISUP_NUM_CALLING, false),
    P(0x0b, "redirecting number", 0, 2, SSGW_ISUP_NUM_REDIRECTING, false),
    P(0x0c, "redirection number", 0, 2, SSGW_ISUP_NUM_CALLED, false),
    PN(0x0d, "connection request"),
    P(0x0e, "information request indicators", 2, 2, SSGW_ISUP_NUM_NONE, false),
    P(0x0f, "information indicators", 2, 2, SSGW_ISUP_NUM_NONE, false),
    P(0x10, "continuity indicators", 1, 1, SSGW_ISUP_NUM_NONE, false),
    P(0x11, "backward call indicators", 2, 2, SSGW_ISUP_NUM_NONE, false),
    P(0x12, "cause indicators", 0, 2, SSGW_ISUP_NUM_NONE, false),
    PN(0x13, "redirection information"),
    P(0x15, "circuit group supervision message type", 1, 1, SSGW_ISUP_NUM_NONE, false),
    PN(0x16, "range and status"),
    P(0x18, "facility indicator", 1, 1, SSGW_ISUP_NUM_NONE, false),
    PN(0x1a, "closed user group interlock code"),
    PN(0x1d, "user service information"),
    PN(0x1e, "signalling point code"),
    PN(0x20, "user-to-user information"),
    P(0x21, "connected number", 0, 2, SSGW_ISUP_NUM_CALLING, false),
    P(0x22, "suspend/resume indicators", 1, 1, SSGW_ISUP_NUM_NONE, false),
    PN(0x23, "transit network selection"),
    P(0x24, "event information", 1, 1, SSGW_ISUP_NUM_NONE, false),
    PN(0x25, "circuit assignment map"),
    PN(0x26, "circuit state indicator"),
    PN(0x27, "automatic congestion level"),
    P(0x28, "original called number", 0, 2, SSGW_ISUP_NUM_REDIRECTING, false),
    PN(0x29, "optional backward call indicators"),
    PN(0x2a, "user-to-user indicators"),
    PN(0x2b, "origination ISC point code"),
    P(0x2c, "generic notification indicator", 0, 1, SSGW_ISUP_NUM_NONE, true),
    PN(0x2d, "call history information"),
    PN(0x2e, "access delivery information"),
    PN(0x2f, "network specific facility"),
    PN(0x30, "user service information prime"),
    PN(0x31, "propagation delay counter"),
    PN(0x32, "remote operations"),
    PN(0x33, "service activation"),
    PN(0x34, "user teleservice information"),
    PN(0x35, "transmission medium used"),
    PN(0x36, "call diversion information"),
    PN(0x37, "echo control information"),
    PN(0x38, "message compatibility information"),
    PN(0x39, "parameter compatibility information"),
    PN(0x3a, "MLPP precedence"),
    PN(0x3b, "MCID request indicators"),
    PN(0x3c, "MCID response indicators"),
    PN(0x3d, "hop counter"),
    PN(0x3e, "transmission medium requirement prime"),
    P(0x3f, "location number", 0, 2, SSGW_ISUP_NUM_CALLING, false),
    PN(0x40, "redirection number restriction"),
    PN(0x43, "call transfer reference"),
    PN(0x44, "loop prevention indicators"),
    P(0x45, "call transfer number", 0, 2, SSGW_ISUP_NUM_CALLING, false),
    PN(0x4b, "CCSS"),
    PN(0x4c, "forward GVNS"),
    PN(0x4d, "backward GVNS"),
    PN(0x4e, "redirect capability"),
    PN(0x5b, "network management controls"),
    PN(0x65, "correlation id"),
    PN(0x66, "SCF id"),
    PN(0x6e, "call diversion treatment indicators"),
    P(0x6f, "called IN number", 0, 2, SSGW_ISUP_NUM_REDIRECTING, false),
    PN(0x70, "call offering treatment indicators"),
    PN(0x71, "charged party identification"),
    PN(0x72, "conference treatment indicators"),
    PN(0x73, "display information"),
    PN(0x74, "UID action indicators"),
    PN(0x75, "UID capability indicators"),
    PN(0x77, "redirect counter"),
    P(0x78, "application transport", 0, 3, SSGW_ISUP_NUM_NONE, true),
    PN(0x79, "collect call request"),
    PN(0x7a, "CCNR possible indicator"),
    PN(0x7b, "pivot capability"),
    PN(0x7c, "pivot routing indicators"),
    PN(0x7d, "called directory number"),
    PN(0x7f, "original called IN number"),
    PN(0x81, "calling geodetic location"),
    PN(0x82, "HTR information"),
    PN(0x84, "network routing number"),
    PN(0x85, "query on release capability"),
    PN(0x86, "pivot status"),
    PN(0x87, "pivot counter"),
    PN(0x88, "pivot routing forward information"),
    PN(0x89, "pivot routing backward information"),
    PN(0x8a, "redirect status"),
    PN(0x8b, "redirect forward information"),
    PN(0x8c, "redirect backward information"),
    PN(0x8d, "number portability forward information"),
    P(0xc0, "generic number", 0, 3, SSGW_ISUP_NUM_GENERIC, true),
    P(0xc1, "generic digits", 0, 1, SSGW_ISUP_NUM_NONE, true),
};

/* --- messages (Q.763 clause 4) ------------------------------------------------------- */

#define LIST(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})
#define NONE      NULL, 0
/* code, abbreviation, name, fixed part, variable part, optional part */
#define M(c, a, n, f, v, o)                                                                        \
    {                                                                                              \
        c, a, n, f, v, o, false                                                                    \
    }
#define OPAQUE(c, a, n)                                                                            \
    {                                                                                              \
        c, a, n, NONE, NONE, false, true                                                           \
    }

enum {
    NCI = SSGW_ISUP_P_NCI,
    FCI = SSGW_ISUP_P_FCI,
    CPC = SSGW_ISUP_P_CATEGORY,
    TMR = SSGW_ISUP_P_TMR,
    CDPN = SSGW_ISUP_P_CALLED,
    SUBN = SSGW_ISUP_P_SUBSEQUENT,
    BCI = SSGW_ISUP_P_BCI,
    CAUSE = SSGW_ISUP_P_CAUSE,
    RS = SSGW_ISUP_P_RANGE_STATUS,
    CGSMTI = SSGW_ISUP_P_CGSMTI,
    EVENT = SSGW_ISUP_P_EVENT,
    SRI = SSGW_ISUP_P_SUS_RES_IND,
    FACI = SSGW_ISUP_P_FACILITY_IND
};

static const ssgw_isup_msg_def msgs[] = {
    M(0x01, "iam", "initial address", LIST(NCI, FCI, CPC, TMR), LIST(CDPN), true),
    M(0x02, "sam", "subsequent address", NONE, LIST(SUBN), true),
    M(0x03, "inr", "information request", LIST(SSGW_ISUP_P_INR_IND), NONE, true),
    M(0x04, "inf", "information", LIST(SSGW_ISUP_P_INF_IND), NONE, true),
    M(0x05, "cot", "continuity", LIST(SSGW_ISUP_P_CONTINUITY), NONE, false),
    M(0x06, "acm", "address complete", LIST(BCI), NONE, true),
    M(0x07, "con", "connect", LIST(BCI), NONE, true),
    M(0x08, "fot", "forward transfer", NONE, NONE, true),
    M(0x09, "anm", "answer", NONE, NONE, true),
    M(0x0c, "rel", "release", NONE, LIST(CAUSE), true),
    M(0x0d, "sus", "suspend", LIST(SRI), NONE, true),
    M(0x0e, "res", "resume", LIST(SRI), NONE, true),
    M(0x10, "rlc", "release complete", NONE, NONE, true),
    M(0x11, "ccr", "continuity check request", NONE, NONE, false),
    M(0x12, "rsc", "reset circuit", NONE, NONE, false),
    M(0x13, "blo", "blocking", NONE, NONE, false),
    M(0x14, "ubl", "unblocking", NONE, NONE, false),
    M(0x15, "bla", "blocking acknowledgement", NONE, NONE, false),
    M(0x16, "uba", "unblocking acknowledgement", NONE, NONE, false),
    M(0x17, "grs", "circuit group reset", NONE, LIST(RS), false),
    M(0x18, "cgb", "circuit group blocking", LIST(CGSMTI), LIST(RS), false),
    M(0x19, "cgu", "circuit group unblocking", LIST(CGSMTI), LIST(RS), false),
    M(0x1a, "cgba", "circuit group blocking acknowledgement", LIST(CGSMTI), LIST(RS), false),
    M(0x1b, "cgua", "circuit group unblocking acknowledgement", LIST(CGSMTI), LIST(RS), false),
    M(0x1f, "far", "facility request", LIST(FACI), NONE, true),
    M(0x20, "faa", "facility accepted", LIST(FACI), NONE, true),
    M(0x21, "frj", "facility reject", LIST(FACI), LIST(CAUSE), true),
    M(0x24, "lpa", "loop back acknowledgement", NONE, NONE, false),
    OPAQUE(0x28, "pam", "pass-along"),
    M(0x29, "gra", "circuit group reset acknowledgement", NONE, LIST(RS), false),
    M(0x2a, "cqm", "circuit group query", NONE, LIST(RS), false),
    M(0x2b, "cqr", "circuit group query response", NONE, LIST(RS, SSGW_ISUP_P_CIRCUIT_STATE),
      false),
    M(0x2c, "cpg", "call progress", LIST(EVENT), NONE, true),
    M(0x2d, "usr", "user-to-user information", NONE, LIST(SSGW_ISUP_P_UUI), true),
    M(0x2e, "ucic", "unequipped CIC", NONE, NONE, false),
    M(0x2f, "cfn", "confusion", NONE, LIST(CAUSE), true),
    M(0x30, "olm", "overload", NONE, NONE, false),
    OPAQUE(0x31, "crg", "charge information"),
    M(0x32, "nrm", "network resource management", NONE, NONE, true),
    M(0x33, "fac", "facility", NONE, NONE, true),
    M(0x34, "upt", "user part test", NONE, NONE, true),
    M(0x35, "upa", "user part available", NONE, NONE, true),
    M(0x36, "idr", "identification request", NONE, NONE, true),
    M(0x37, "irs", "identification response", NONE, NONE, true),
    M(0x38, "sgm", "segmentation", NONE, NONE, true),
    M(0x40, "lpr", "loop prevention", NONE, NONE, true),
    M(0x41, "apm", "application transport", NONE, NONE, true),
    M(0x42, "pri", "pre-release information", NONE, NONE, true),
    OPAQUE(0x43, "sdn", "subsequent directory number"),
};

/*
 * Both tables are sorted by code (the unit test checks it). A lookup is one octet of an
 * index by code, built once: a message's parameters are looked up one by one, and a binary
 * search over the parameter table cost ~250 instructions an ISUP message (issue 16; the
 * unit test compares every code with a walk of the tables).
 */
_Static_assert(sizeof params / sizeof params[0] < 255 && sizeof msgs / sizeof msgs[0] < 255,
               "an index entry is an octet");
static uint8_t param_at[256], msg_at[256]; /* 1 + the table row of a code, 0 none */
static bool index_ready;
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static void build_index(void)
{
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
        param_at[params[i].code] = (uint8_t)(i + 1);
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
        msg_at[msgs[i].code] = (uint8_t)(i + 1);
    __atomic_store_n(&index_ready, true, __ATOMIC_RELEASE);
}

static inline void need_index(void)
{
    if (__builtin_expect(!__atomic_load_n(&index_ready, __ATOMIC_ACQUIRE), 0))
        pthread_once(&index_once, build_index);
}

const ssgw_isup_msg_def *ssgw_isup_msg_def_by_code(uint8_t type)
{
    need_index();
    return msg_at[type] ? &msgs[msg_at[type] - 1] : NULL;
}

const ssgw_isup_msg_def *ssgw_isup_msg_def_by_abbr(const char *abbr)
{
    for (size_t i = 0; abbr && i < sizeof msgs / sizeof msgs[0]; i++)
        if (strcmp(msgs[i].abbr, abbr) == 0) return &msgs[i];
    return NULL;
}

const ssgw_isup_param_def *ssgw_isup_param_def_by_code(uint8_t code)
{
    need_index();
    return param_at[code] ? &params[param_at[code] - 1] : NULL;
}

size_t ssgw_isup_param_def_count(void)
{
    return sizeof params / sizeof params[0];
}

const ssgw_isup_param_def *ssgw_isup_param_def_at(size_t i)
{
    return i < sizeof params / sizeof params[0] ? &params[i] : NULL;
}

size_t ssgw_isup_msg_def_count(void)
{
    return sizeof msgs / sizeof msgs[0];
}

const ssgw_isup_msg_def *ssgw_isup_msg_def_at(size_t i)
{
    return i < sizeof msgs / sizeof msgs[0] ? &msgs[i] : NULL;
}

const char *ssgw_isup_msg_abbr(uint8_t type)
{
    const ssgw_isup_msg_def *d = ssgw_isup_msg_def_by_code(type);
    return d ? d->abbr : "unknown";
}

const char *ssgw_isup_param_name(uint8_t code)
{
    if (code == SSGW_ISUP_P_END) return "end of optional parameters";
    const ssgw_isup_param_def *d = ssgw_isup_param_def_by_code(code);
    return d ? d->name : "unknown";
}

/* --- Q.850 cause values (clause 2.2.7 table 1) --------------------------------------- */

static const char *const causes[128] = {
    [1] = "unallocated_number",
    [2] = "no_route_to_transit_network",
    [3] = "no_route_to_destination",
    [4] = "send_special_information_tone",
    [5] = "misdialled_trunk_prefix",
    [6] = "channel_unacceptable",
    [7] = "call_awarded_in_established_channel",
    [8] = "preemption",
    [9] = "preemption_circuit_reserved",
    [14] = "qor_ported_number",
    [16] = "normal_call_clearing",
    [17] = "user_busy",
    [18] = "no_user_responding",
    [19] = "no_answer",
    [20] = "subscriber_absent",
    [21] = "call_rejected",
    [22] = "number_changed",
    [23] = "redirection_to_new_destination",
    [25] = "exchange_routing_error",
    [26] = "non_selected_user_clearing",
    [27] = "destination_out_of_order",
    [28] = "invalid_number_format",
    [29] = "facility_rejected",
    [30] = "response_to_status_enquiry",
    [31] = "normal_unspecified",
    [34] = "no_circuit_available",
    [38] = "network_out_of_order",
    [39] = "permanent_frame_mode_out_of_service",
    [40] = "permanent_frame_mode_operational",
    [41] = "temporary_failure",
    [42] = "switching_equipment_congestion",
    [43] = "access_information_discarded",
    [44] = "requested_circuit_not_available",
    [46] = "precedence_call_blocked",
    [47] = "resource_unavailable",
    [49] = "quality_of_service_not_available",
    [50] = "facility_not_subscribed",
    [53] = "outgoing_calls_barred_within_cug",
    [55] = "incoming_calls_barred_within_cug",
    [57] = "bearer_capability_not_authorized",
    [58] = "bearer_capability_not_available",
    [62] = "inconsistent_outgoing_access",
    [63] = "service_not_available",
    [65] = "bearer_capability_not_implemented",
    [66] = "channel_type_not_implemented",
    [69] = "facility_not_implemented",
    [70] = "only_restricted_digital_bearer",
    [79] = "service_not_implemented",
    [81] = "invalid_call_reference",
    [82] = "channel_does_not_exist",
    [83] = "call_identity_does_not_exist",
    [84] = "call_identity_in_use",
    [85] = "no_call_suspended",
    [86] = "call_identity_cleared",
    [87] = "user_not_member_of_cug",
    [88] = "incompatible_destination",
    [90] = "non_existent_cug",
    [91] = "invalid_transit_network",
    [95] = "invalid_message",
    [96] = "mandatory_ie_missing",
    [97] = "message_type_not_implemented",
    [98] = "message_not_compatible",
    [99] = "parameter_not_implemented",
    [100] = "invalid_ie_contents",
    [101] = "message_not_compatible_with_state",
    [102] = "recovery_on_timer_expiry",
    [103] = "parameter_not_implemented_passed_on",
    [110] = "unrecognized_parameter_discarded",
    [111] = "protocol_error",
    [127] = "interworking",
};

const char *ssgw_isup_cause_name(unsigned value)
{
    return value < 128 ? causes[value] : NULL;
}

/* --- calling party's category (Q.763 3.11) ------------------------------------------- */

static const char *const categories[16] = {
    [0] = "unknown",
    [1] = "operator_french",
    [2] = "operator_english",
    [3] = "operator_german",
    [4] = "operator_russian",
    [5] = "operator_spanish",
    [9] = "national_operator",
    [10] = "ordinary",
    [11] = "priority",
    [12] = "data",
    [13] = "test",
    [15] = "payphone",
};

const char *ssgw_isup_category_name(unsigned category)
{
    return category < 16 ? categories[category] : NULL;
}
