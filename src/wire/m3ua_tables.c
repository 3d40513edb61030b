/*
 * m3ua_tables.c - M3UA protocol tables as data: the parameters of every message
 * type (RFC 4666 3.3-3.8, mandatory / optional / conditional) and the name
 * tables for classes, messages, parameters (Wireshark's m3ua.* field names),
 * error codes (3.8.1), status (3.8.2), traffic modes (3.7.1), registration
 * and deregistration status (3.6.2, 3.6.4) and DUPU user/cause (3.4.5).
 */
#include "ssgw/m3ua.h"

#define M SSGW_M3UA_MANDATORY
#define O SSGW_M3UA_OPTIONAL
#define C SSGW_M3UA_CONDITIONAL
#define P(tag, pres)                                                                               \
    {                                                                                              \
        SSGW_M3UA_TAG_##tag, pres, false                                                           \
    }
#define PR(tag, pres)                                                                              \
    {                                                                                              \
        SSGW_M3UA_TAG_##tag, pres, true                                                            \
    }
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* 3.8.1 ERR */
static const ssgw_m3ua_param_rule p_err[] = {
    P(ERROR_CODE, M),          P(ROUTING_CONTEXT, C), P(NETWORK_APPEARANCE, C),
    P(AFFECTED_POINT_CODE, C), P(DIAGNOSTIC_INFO, C),
};
/* 3.8.2 NTFY */
static const ssgw_m3ua_param_rule p_ntfy[] = {
    P(STATUS, M),
    P(ASP_IDENTIFIER, C),
    P(ROUTING_CONTEXT, O),
    P(INFO_STRING, O),
};
/* 3.3.1 DATA */
static const ssgw_m3ua_param_rule p_data[] = {
    P(NETWORK_APPEARANCE, O),
    P(ROUTING_CONTEXT, C),
    P(PROTOCOL_DATA, M),
    P(CORRELATION_ID, O),
};
/* 3.4.1-3.4.3, 3.4.6 DUNA, DAVA, DAUD, DRST */
static const ssgw_m3ua_param_rule p_ssnm[] = {
    P(NETWORK_APPEARANCE, O),
    P(ROUTING_CONTEXT, C),
    P(AFFECTED_POINT_CODE, M),
    P(INFO_STRING, O),
};
/* 3.4.4 SCON */
static const ssgw_m3ua_param_rule p_scon[] = {
    P(NETWORK_APPEARANCE, O),    P(ROUTING_CONTEXT, C),        P(AFFECTED_POINT_CODE, M),
    P(CONCERNED_DESTINATION, O), P(CONGESTION_INDICATIONS, O), P(INFO_STRING, O),
};
/* 3.4.5 DUPU */
static const ssgw_m3ua_param_rule p_dupu[] = {
    P(NETWORK_APPEARANCE, O), P(ROUTING_CONTEXT, C), P(AFFECTED_POINT_CODE, M),
    P(USER_CAUSE, M),         P(INFO_STRING, O),
};
/* 3.5.1, 3.5.2 ASPUP, ASPUP ACK */
static const ssgw_m3ua_param_rule p_aspup[] = {
    P(ASP_IDENTIFIER, O),
    P(INFO_STRING, O),
};
/* 3.5.3, 3.5.4 ASPDN, ASPDN ACK */
static const ssgw_m3ua_param_rule p_info_only[] = {
    P(INFO_STRING, O),
};
/* 3.5.5, 3.5.6 BEAT, BEAT ACK */
static const ssgw_m3ua_param_rule p_beat[] = {
    P(HEARTBEAT_DATA, O),
};
/* 3.7.1, 3.7.2 ASPAC, ASPAC ACK */
static const ssgw_m3ua_param_rule p_aspac[] = {
    P(TRAFFIC_MODE_TYPE, O),
    P(ROUTING_CONTEXT, O),
    P(INFO_STRING, O),
};
/* 3.7.3, 3.7.4 ASPIA, ASPIA ACK */
static const ssgw_m3ua_param_rule p_aspia[] = {
    P(ROUTING_CONTEXT, O),
    P(INFO_STRING, O),
};
/* 3.6.1 REG REQ */
static const ssgw_m3ua_param_rule p_reg_req[] = {
    PR(ROUTING_KEY, M),
};
/* 3.6.2 REG RSP */
static const ssgw_m3ua_param_rule p_reg_rsp[] = {
    PR(REGISTRATION_RESULT, M),
};
/* 3.6.3 DEREG REQ */
static const ssgw_m3ua_param_rule p_dereg_req[] = {
    P(ROUTING_CONTEXT, M),
};
/* 3.6.4 DEREG RSP */
static const ssgw_m3ua_param_rule p_dereg_rsp[] = {
    PR(DEREGISTRATION_RESULT, M),
};

#define SPEC(cls, type, name, tbl)                                                                 \
    {                                                                                              \
        SSGW_M3UA_CLASS_##cls, SSGW_M3UA_##cls##_##type, name, tbl, N(tbl)                         \
    }

static const ssgw_m3ua_msg_spec specs[] = {
    SPEC(MGMT, ERR, "ERR", p_err),
    SPEC(MGMT, NTFY, "NTFY", p_ntfy),
    SPEC(TRANSFER, DATA, "DATA", p_data),
    SPEC(SSNM, DUNA, "DUNA", p_ssnm),
    SPEC(SSNM, DAVA, "DAVA", p_ssnm),
    SPEC(SSNM, DAUD, "DAUD", p_ssnm),
    SPEC(SSNM, SCON, "SCON", p_scon),
    SPEC(SSNM, DUPU, "DUPU", p_dupu),
    SPEC(SSNM, DRST, "DRST", p_ssnm),
    SPEC(ASPSM, ASPUP, "ASPUP", p_aspup),
    SPEC(ASPSM, ASPDN, "ASPDN", p_info_only),
    SPEC(ASPSM, BEAT, "BEAT", p_beat),
    SPEC(ASPSM, ASPUP_ACK, "ASPUP_ACK", p_aspup),
    SPEC(ASPSM, ASPDN_ACK, "ASPDN_ACK", p_info_only),
    SPEC(ASPSM, BEAT_ACK, "BEAT_ACK", p_beat),
    SPEC(ASPTM, ASPAC, "ASPAC", p_aspac),
    SPEC(ASPTM, ASPIA, "ASPIA", p_aspia),
    SPEC(ASPTM, ASPAC_ACK, "ASPAC_ACK", p_aspac),
    SPEC(ASPTM, ASPIA_ACK, "ASPIA_ACK", p_aspia),
    SPEC(RKM, REG_REQ, "REG_REQ", p_reg_req),
    SPEC(RKM, REG_RSP, "REG_RSP", p_reg_rsp),
    SPEC(RKM, DEREG_REQ, "DEREG_REQ", p_dereg_req),
    SPEC(RKM, DEREG_RSP, "DEREG_RSP", p_dereg_rsp),
};

const ssgw_m3ua_msg_spec *ssgw_m3ua_msg_spec_find(uint8_t msg_class, uint8_t msg_type)
{
    for (size_t i = 0; i < N(specs); i++)
        if (specs[i].msg_class == msg_class && specs[i].msg_type == msg_type) return &specs[i];
    return NULL;
}

const ssgw_m3ua_msg_spec *ssgw_m3ua_msg_specs(size_t *n)
{
    *n = N(specs);
    return specs;
}

const char *ssgw_m3ua_msg_name(uint8_t msg_class, uint8_t msg_type)
{
    const ssgw_m3ua_msg_spec *s = ssgw_m3ua_msg_spec_find(msg_class, msg_type);
    return s ? s->name : "unknown";
}

const char *ssgw_m3ua_class_name(uint8_t msg_class)
{
    switch (msg_class) {
    case SSGW_M3UA_CLASS_MGMT:
        return "mgmt";
    case SSGW_M3UA_CLASS_TRANSFER:
        return "transfer";
    case SSGW_M3UA_CLASS_SSNM:
        return "ssnm";
    case SSGW_M3UA_CLASS_ASPSM:
        return "aspsm";
    case SSGW_M3UA_CLASS_ASPTM:
        return "asptm";
    case SSGW_M3UA_CLASS_RKM:
        return "rkm";
    }
    return "unknown";
}

typedef struct {
    uint32_t code;
    const char *name;
} code_name;

static const char *lookup(const code_name *t, size_t n, uint32_t code)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].code == code) return t[i].name;
    return "unknown";
}

/* Names follow Wireshark's m3ua.* display-filter fields where one exists. */
static const code_name param_names[] = {
    {SSGW_M3UA_TAG_INFO_STRING, "info_string"},
    {SSGW_M3UA_TAG_ROUTING_CONTEXT, "routing_context"},
    {SSGW_M3UA_TAG_DIAGNOSTIC_INFO, "diagnostic_information"},
    {SSGW_M3UA_TAG_HEARTBEAT_DATA, "heartbeat_data"},
    {SSGW_M3UA_TAG_TRAFFIC_MODE_TYPE, "traffic_mode_type"},
    {SSGW_M3UA_TAG_ERROR_CODE, "error_code"},
    {SSGW_M3UA_TAG_STATUS, "status"},
    {SSGW_M3UA_TAG_ASP_IDENTIFIER, "asp_identifier"},
    {SSGW_M3UA_TAG_AFFECTED_POINT_CODE, "affected_point_code"},
    {SSGW_M3UA_TAG_CORRELATION_ID, "correlation_identifier"},
    {SSGW_M3UA_TAG_NETWORK_APPEARANCE, "network_appearance"},
    {SSGW_M3UA_TAG_USER_CAUSE, "user_cause"},
    {SSGW_M3UA_TAG_CONGESTION_INDICATIONS, "congestion_indications"},
    {SSGW_M3UA_TAG_CONCERNED_DESTINATION, "concerned_destination"},
    {SSGW_M3UA_TAG_ROUTING_KEY, "routing_key"},
    {SSGW_M3UA_TAG_REGISTRATION_RESULT, "registration_result"},
    {SSGW_M3UA_TAG_DEREGISTRATION_RESULT, "deregistration_result"},
    {SSGW_M3UA_TAG_LOCAL_RK_IDENTIFIER, "local_routing_key_identifier"},
    {SSGW_M3UA_TAG_DESTINATION_POINT_CODE, "destination_point_code"},
    {SSGW_M3UA_TAG_SERVICE_INDICATORS, "service_indicators"},
    {SSGW_M3UA_TAG_ORIGINATING_PC_LIST, "originating_point_code_list"},
    {SSGW_M3UA_TAG_PROTOCOL_DATA, "protocol_data"},
    {SSGW_M3UA_TAG_REGISTRATION_STATUS, "registration_status"},
    {SSGW_M3UA_TAG_DEREGISTRATION_STATUS, "deregistration_status"},
};

const char *ssgw_m3ua_param_name(uint16_t tag)
{
    return lookup(param_names, N(param_names), tag);
}

static const code_name err_names[] = {
    {SSGW_M3UA_ERR_INVALID_VERSION, "invalid_version"},
    {SSGW_M3UA_ERR_UNSUPPORTED_MSG_CLASS, "unsupported_message_class"},
    {SSGW_M3UA_ERR_UNSUPPORTED_MSG_TYPE, "unsupported_message_type"},
    {SSGW_M3UA_ERR_UNSUPPORTED_TRAFFIC_MODE, "unsupported_traffic_mode_type"},
    {SSGW_M3UA_ERR_UNEXPECTED_MESSAGE, "unexpected_message"},
    {SSGW_M3UA_ERR_PROTOCOL_ERROR, "protocol_error"},
    {SSGW_M3UA_ERR_INVALID_STREAM_ID, "invalid_stream_identifier"},
    {SSGW_M3UA_ERR_REFUSED_MGMT_BLOCKING, "refused_management_blocking"},
    {SSGW_M3UA_ERR_ASP_ID_REQUIRED, "asp_identifier_required"},
    {SSGW_M3UA_ERR_INVALID_ASP_ID, "invalid_asp_identifier"},
    {SSGW_M3UA_ERR_INVALID_PARAM_VALUE, "invalid_parameter_value"},
    {SSGW_M3UA_ERR_PARAM_FIELD_ERROR, "parameter_field_error"},
    {SSGW_M3UA_ERR_UNEXPECTED_PARAM, "unexpected_parameter"},
    {SSGW_M3UA_ERR_DEST_STATUS_UNKNOWN, "destination_status_unknown"},
    {SSGW_M3UA_ERR_INVALID_NA, "invalid_network_appearance"},
    {SSGW_M3UA_ERR_MISSING_PARAM, "missing_parameter"},
    {SSGW_M3UA_ERR_INVALID_RC, "invalid_routing_context"},
    {SSGW_M3UA_ERR_NO_CONFIGURED_AS, "no_configured_as_for_asp"},
};

const char *ssgw_m3ua_err_code_name(uint32_t code)
{
    return lookup(err_names, N(err_names), code);
}

const char *ssgw_m3ua_status_type_name(uint16_t type)
{
    switch (type) {
    case SSGW_M3UA_STATUS_AS_STATE_CHANGE:
        return "as_state_change";
    case SSGW_M3UA_STATUS_OTHER:
        return "other";
    }
    return "unknown";
}

const char *ssgw_m3ua_status_info_name(uint16_t type, uint16_t info)
{
    static const code_name as_state[] = {
        {1, "reserved"},
        {SSGW_M3UA_AS_INACTIVE, "as_inactive"},
        {SSGW_M3UA_AS_ACTIVE, "as_active"},
        {SSGW_M3UA_AS_PENDING, "as_pending"},
    };
    static const code_name other[] = {
        {SSGW_M3UA_OTHER_INSUFFICIENT_ASP, "insufficient_asp_resources_active"},
        {SSGW_M3UA_OTHER_ALTERNATE_ASP_ACTIVE, "alternate_asp_active"},
        {SSGW_M3UA_OTHER_ASP_FAILURE, "asp_failure"},
    };
    if (type == SSGW_M3UA_STATUS_AS_STATE_CHANGE) return lookup(as_state, N(as_state), info);
    if (type == SSGW_M3UA_STATUS_OTHER) return lookup(other, N(other), info);
    return "unknown";
}

const char *ssgw_m3ua_traffic_mode_name(uint32_t tmt)
{
    switch (tmt) {
    case SSGW_M3UA_TMT_OVERRIDE:
        return "override";
    case SSGW_M3UA_TMT_LOADSHARE:
        return "loadshare";
    case SSGW_M3UA_TMT_BROADCAST:
        return "broadcast";
    }
    return "unknown";
}

static const code_name reg_status[] = {
    {0, "successfully_registered"},
    {1, "error_unknown"},
    {2, "error_invalid_dpc"},
    {3, "error_invalid_network_appearance"},
    {4, "error_invalid_routing_key"},
    {5, "error_permission_denied"},
    {6, "error_cannot_support_unique_routing"},
    {7, "error_routing_key_not_currently_provisioned"},
    {8, "error_insufficient_resources"},
    {9, "error_unsupported_rk_parameter_field"},
    {10, "error_unsupported_invalid_traffic_handling_mode"},
    {11, "error_routing_key_change_refused"},
    {12, "error_routing_key_already_registered"},
};

const char *ssgw_m3ua_reg_status_name(uint32_t status)
{
    return lookup(reg_status, N(reg_status), status);
}

static const code_name dereg_status[] = {
    {0, "successfully_deregistered"},     {1, "error_unknown"},
    {2, "error_invalid_routing_context"}, {3, "error_permission_denied"},
    {4, "error_not_registered"},          {5, "error_asp_currently_active_for_routing_context"},
};

const char *ssgw_m3ua_dereg_status_name(uint32_t status)
{
    return lookup(dereg_status, N(dereg_status), status);
}

const char *ssgw_m3ua_cause_name(uint16_t cause)
{
    switch (cause) {
    case 0:
        return "unknown";
    case 1:
        return "unequipped_remote_user";
    case 2:
        return "inaccessible_remote_user";
    }
    return "unknown";
}

static const code_name user_names[] = {
    {3, "sccp"},  {4, "tup"},   {5, "isup"}, {9, "broadband_isup"}, {10, "satellite_isup"},
    {12, "aal2"}, {13, "bicc"}, {14, "gcp"},
};

const char *ssgw_m3ua_user_name(uint16_t user)
{
    return lookup(user_names, N(user_names), user);
}
