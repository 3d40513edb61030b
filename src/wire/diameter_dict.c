/*
 * diameter_dict.c - the Diameter dictionary as data (see include/ssgw/diameter.h):
 * the AVPs of the base protocol (RFC 6733 4.5, 7.1) and of S6a/S6d (3GPP TS 29.272
 * table 7.3.1/1, with the AVPs it imports from TS 29.212, 29.214, 29.229, 29.329 and
 * RFC 5778), their types and flag rules; the commands (RFC 6733 3.1, TS 29.272
 * 7.2.1) with their abbreviations; the application ids; the enumerated values a
 * person reads. Names are spelled as in Wireshark's dictionary, so that
 * `diameter.<name>` is the display filter of the same AVP.
 */
#include "ssgw/diameter.h"

#include <stddef.h>

#define V    SSGW_DIAM_AVP_V
#define M    SSGW_DIAM_AVP_M
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Rules: B = base AVP, M must, V must not; BO = base AVP, M and V must not (optional
 * ones like Product-Name); G = 3GPP AVP, M and V must; GO = 3GPP AVP, V must, M must not. */
#define B(code, name, t)                                                                           \
    {                                                                                              \
        code, 0, name, SSGW_DIAM_T_##t, M, V                                                       \
    }
#define BO(code, name, t)                                                                          \
    {                                                                                              \
        code, 0, name, SSGW_DIAM_T_##t, 0, V | M                                                   \
    }
#define G(code, name, t)                                                                           \
    {                                                                                              \
        code, SSGW_DIAM_VENDOR_3GPP, name, SSGW_DIAM_T_##t, M | V, 0                               \
    }
#define GO(code, name, t)                                                                          \
    {                                                                                              \
        code, SSGW_DIAM_VENDOR_3GPP, name, SSGW_DIAM_T_##t, V, M                                   \
    }

/* Sorted by (vendor, code) for the binary search below. */
static const ssgw_diam_avp_def avps[] = {
    B(1, "User-Name", UTF8STRING),
    B(33, "Proxy-State", OCTETS),
    B(55, "Event-Timestamp", TIME),
    B(257, "Host-IP-Address", ADDRESS),
    B(258, "Auth-Application-Id", UNSIGNED32),
    B(259, "Acct-Application-Id", UNSIGNED32),
    B(260, "Vendor-Specific-Application-Id", GROUPED),
    B(263, "Session-Id", UTF8STRING),
    B(264, "Origin-Host", IDENTITY),
    B(265, "Supported-Vendor-Id", UNSIGNED32),
    B(266, "Vendor-Id", UNSIGNED32),
    BO(267, "Firmware-Revision", UNSIGNED32),
    B(268, "Result-Code", UNSIGNED32),
    BO(269, "Product-Name", UTF8STRING),
    B(273, "Disconnect-Cause", ENUMERATED),
    B(277, "Auth-Session-State", ENUMERATED),
    B(278, "Origin-State-Id", UNSIGNED32),
    B(279, "Failed-AVP", GROUPED),
    B(280, "Proxy-Host", IDENTITY),
    BO(281, "Error-Message", UTF8STRING),
    B(282, "Route-Record", IDENTITY),
    B(283, "Destination-Realm", IDENTITY),
    B(284, "Proxy-Info", GROUPED),
    B(293, "Destination-Host", IDENTITY),
    BO(294, "Error-Reporting-Host", IDENTITY),
    B(296, "Origin-Realm", IDENTITY),
    B(297, "Experimental-Result", GROUPED),
    B(298, "Experimental-Result-Code", UNSIGNED32),
    B(299, "Inband-Security-Id", UNSIGNED32),
    BO(301, "DRMP", ENUMERATED),
    B(493, "Service-Selection", UTF8STRING),
    G(13, "3GPP-Charging-Characteristics", UTF8STRING),
    G(515, "Max-Requested-Bandwidth-DL", UNSIGNED32),
    G(516, "Max-Requested-Bandwidth-UL", UNSIGNED32),
    G(600, "Visited-Network-Identifier", OCTETS),
    G(625, "Confidentiality-Key", OCTETS),
    G(626, "Integrity-Key", OCTETS),
    G(628, "Supported-Features", GROUPED),
    G(629, "Feature-List-ID", UNSIGNED32),
    G(630, "Feature-List", UNSIGNED32),
    G(701, "MSISDN", OCTETS),
    G(1028, "QoS-Class-Identifier", ENUMERATED),
    GO(1032, "RAT-Type", ENUMERATED),
    G(1034, "Allocation-Retention-Priority", GROUPED),
    G(1046, "Priority-Level", UNSIGNED32),
    G(1047, "Pre-emption-Capability", ENUMERATED),
    G(1048, "Pre-emption-Vulnerability", ENUMERATED),
    G(1400, "Subscription-Data", GROUPED),
    G(1401, "Terminal-Information", GROUPED),
    G(1402, "IMEI", UTF8STRING),
    G(1403, "Software-Version", UTF8STRING),
    G(1405, "ULR-Flags", UNSIGNED32),
    G(1406, "ULA-Flags", UNSIGNED32),
    G(1407, "Visited-PLMN-Id", OCTETS),
    G(1408, "Requested-EUTRAN-Authentication-Info", GROUPED),
    G(1409, "Requested-UTRAN-GERAN-Authentication-Info", GROUPED),
    G(1410, "Number-Of-Requested-Vectors", UNSIGNED32),
    G(1411, "Re-Synchronization-Info", OCTETS),
    G(1412, "Immediate-Response-Preferred", UNSIGNED32),
    G(1413, "Authentication-Info", GROUPED),
    G(1414, "E-UTRAN-Vector", GROUPED),
    G(1415, "UTRAN-Vector", GROUPED),
    G(1416, "GERAN-Vector", GROUPED),
    G(1417, "Network-Access-Mode", ENUMERATED),
    G(1419, "Item-Number", UNSIGNED32),
    G(1420, "Cancellation-Type", ENUMERATED),
    G(1421, "DSR-Flags", UNSIGNED32),
    G(1422, "DSA-Flags", UNSIGNED32),
    G(1423, "Context-Identifier", UNSIGNED32),
    G(1424, "Subscriber-Status", ENUMERATED),
    G(1425, "Operator-Determined-Barring", UNSIGNED32),
    G(1426, "Access-Restriction-Data", UNSIGNED32),
    G(1427, "APN-OI-Replacement", UTF8STRING),
    G(1428, "All-APN-Configurations-Included-Indicator", ENUMERATED),
    G(1429, "APN-Configuration-Profile", GROUPED),
    G(1430, "APN-Configuration", GROUPED),
    G(1431, "EPS-Subscribed-QoS-Profile", GROUPED),
    G(1432, "VPLMN-Dynamic-Address-Allowed", ENUMERATED),
    G(1433, "STN-SR", OCTETS),
    G(1434, "Alert-Reason", ENUMERATED),
    G(1435, "AMBR", GROUPED),
    G(1438, "PDN-GW-Allocation-Type", ENUMERATED),
    G(1441, "IDA-Flags", UNSIGNED32),
    G(1442, "PUA-Flags", UNSIGNED32),
    G(1443, "NOR-Flags", UNSIGNED32),
    GO(1444, "User-Id", UTF8STRING),
    G(1447, "RAND", OCTETS),
    G(1448, "XRES", OCTETS),
    G(1449, "AUTN", OCTETS),
    G(1450, "KASME", OCTETS),
    G(1453, "Kc", OCTETS),
    G(1454, "SRES", OCTETS),
    G(1456, "PDN-Type", ENUMERATED),
    G(1489, "SGSN-Number", OCTETS),
    G(1490, "IDR-Flags", UNSIGNED32),
    GO(1493, "Homogeneous-Support-of-IMS-Voice-Over-PS-Sessions", ENUMERATED),
    GO(1614, "Error-Diagnostic", ENUMERATED),
    GO(1615, "UE-SRVCC-Capability", ENUMERATED),
    GO(1619, "Subscribed-Periodic-RAU-TAU-Timer", UNSIGNED32),
    GO(1635, "PUR-Flags", UNSIGNED32),
    GO(1638, "CLR-Flags", UNSIGNED32),
    GO(1645, "MME-Number-for-MT-SMS", OCTETS),
    GO(1648, "SMS-Register-Request", ENUMERATED),
    GO(1670, "Reset-ID", OCTETS),
};

static int key_cmp(uint32_t va, uint32_t ca, uint32_t vb, uint32_t cb)
{
    if (va != vb) return va < vb ? -1 : 1;
    if (ca != cb) return ca < cb ? -1 : 1;
    return 0;
}

const ssgw_diam_avp_def *ssgw_diam_avp_def_find(uint32_t code, uint32_t vendor)
{
    size_t lo = 0, hi = N(avps);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(vendor, code, avps[mid].vendor, avps[mid].code);
        if (c == 0) return &avps[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

size_t ssgw_diam_avp_def_count(void)
{
    return N(avps);
}

const ssgw_diam_avp_def *ssgw_diam_avp_def_at(size_t i)
{
    return i < N(avps) ? &avps[i] : NULL;
}

static const char *const type_names[SSGW_DIAM_T_COUNT] = {
    [SSGW_DIAM_T_OCTETS] = "OctetString",    [SSGW_DIAM_T_INTEGER32] = "Integer32",
    [SSGW_DIAM_T_INTEGER64] = "Integer64",   [SSGW_DIAM_T_UNSIGNED32] = "Unsigned32",
    [SSGW_DIAM_T_UNSIGNED64] = "Unsigned64", [SSGW_DIAM_T_FLOAT32] = "Float32",
    [SSGW_DIAM_T_FLOAT64] = "Float64",       [SSGW_DIAM_T_GROUPED] = "Grouped",
    [SSGW_DIAM_T_ADDRESS] = "Address",       [SSGW_DIAM_T_TIME] = "Time",
    [SSGW_DIAM_T_UTF8STRING] = "UTF8String", [SSGW_DIAM_T_IDENTITY] = "DiameterIdentity",
    [SSGW_DIAM_T_URI] = "DiameterURI",       [SSGW_DIAM_T_ENUMERATED] = "Enumerated",
};

const char *ssgw_diam_type_name(ssgw_diam_type t)
{
    return (unsigned)t < SSGW_DIAM_T_COUNT ? type_names[t] : "?";
}

bool ssgw_diam_avp_flags_ok(const ssgw_diam_avp_def *d, uint8_t flags)
{
    if (flags & SSGW_DIAM_AVP_RESERVED) return false;
    return (flags & d->must) == d->must && (flags & d->must_not) == 0;
}

/* ---- commands and applications ---------------------------------------------------- */

static const ssgw_diam_cmd_def cmds[] = {
    {257, SSGW_DIAM_APP_COMMON, "Capabilities-Exchange", "CER", "CEA"},
    {280, SSGW_DIAM_APP_COMMON, "Device-Watchdog", "DWR", "DWA"},
    {282, SSGW_DIAM_APP_COMMON, "Disconnect-Peer", "DPR", "DPA"},
    {316, SSGW_DIAM_APP_S6A, "3GPP-Update-Location", "ULR", "ULA"},
    {317, SSGW_DIAM_APP_S6A, "3GPP-Cancel-Location", "CLR", "CLA"},
    {318, SSGW_DIAM_APP_S6A, "3GPP-Authentication-Information", "AIR", "AIA"},
    {319, SSGW_DIAM_APP_S6A, "3GPP-Insert-Subscriber-Data", "IDR", "IDA"},
    {320, SSGW_DIAM_APP_S6A, "3GPP-Delete-Subscriber-Data", "DSR", "DSA"},
    {321, SSGW_DIAM_APP_S6A, "3GPP-Purge-UE", "PUR", "PUA"},
    {322, SSGW_DIAM_APP_S6A, "3GPP-Reset", "RSR", "RSA"},
    {323, SSGW_DIAM_APP_S6A, "3GPP-Notify", "NOR", "NOA"},
};

const ssgw_diam_cmd_def *ssgw_diam_cmd_find(uint32_t code)
{
    for (size_t i = 0; i < N(cmds); i++)
        if (cmds[i].code == code) return &cmds[i];
    return NULL;
}

size_t ssgw_diam_cmd_count(void)
{
    return N(cmds);
}

const ssgw_diam_cmd_def *ssgw_diam_cmd_at(size_t i)
{
    return i < N(cmds) ? &cmds[i] : NULL;
}

const char *ssgw_diam_cmd_abbrev(uint32_t code, bool request)
{
    const ssgw_diam_cmd_def *c = ssgw_diam_cmd_find(code);
    return c ? (request ? c->request : c->answer) : NULL;
}

const char *ssgw_diam_app_name(uint32_t app_id)
{
    switch (app_id) {
    case SSGW_DIAM_APP_COMMON:
        return "Diameter Common Messages";
    case SSGW_DIAM_APP_S6A:
        return "3GPP S6a/S6d";
    default:
        return NULL;
    }
}

/* ---- enumerated values --------------------------------------------------------------- */

typedef struct {
    uint32_t code, vendor, value;
    const char *name;
} enum_name;

static const enum_name enums[] = {
    /* Result-Code, RFC 6733 7.1 */
    {268, 0, 2001, "DIAMETER_SUCCESS"},
    {268, 0, 2002, "DIAMETER_LIMITED_SUCCESS"},
    {268, 0, 3001, "DIAMETER_COMMAND_UNSUPPORTED"},
    {268, 0, 3002, "DIAMETER_UNABLE_TO_DELIVER"},
    {268, 0, 3003, "DIAMETER_REALM_NOT_SERVED"},
    {268, 0, 3004, "DIAMETER_TOO_BUSY"},
    {268, 0, 3005, "DIAMETER_LOOP_DETECTED"},
    {268, 0, 3006, "DIAMETER_REDIRECT_INDICATION"},
    {268, 0, 3007, "DIAMETER_APPLICATION_UNSUPPORTED"},
    {268, 0, 3008, "DIAMETER_INVALID_HDR_BITS"},
    {268, 0, 3009, "DIAMETER_INVALID_AVP_BITS"},
    {268, 0, 3010, "DIAMETER_UNKNOWN_PEER"},
    {268, 0, 4001, "DIAMETER_AUTHENTICATION_REJECTED"},
    {268, 0, 4002, "DIAMETER_OUT_OF_SPACE"},
    {268, 0, 4003, "ELECTION_LOST"},
    {268, 0, 5001, "DIAMETER_AVP_UNSUPPORTED"},
    {268, 0, 5002, "DIAMETER_UNKNOWN_SESSION_ID"},
    {268, 0, 5003, "DIAMETER_AUTHORIZATION_REJECTED"},
    {268, 0, 5004, "DIAMETER_INVALID_AVP_VALUE"},
    {268, 0, 5005, "DIAMETER_MISSING_AVP"},
    {268, 0, 5006, "DIAMETER_RESOURCES_EXCEEDED"},
    {268, 0, 5007, "DIAMETER_CONTRADICTING_AVPS"},
    {268, 0, 5008, "DIAMETER_AVP_NOT_ALLOWED"},
    {268, 0, 5009, "DIAMETER_AVP_OCCURS_TOO_MANY_TIMES"},
    {268, 0, 5010, "DIAMETER_NO_COMMON_APPLICATION"},
    {268, 0, 5011, "DIAMETER_UNSUPPORTED_VERSION"},
    {268, 0, 5012, "DIAMETER_UNABLE_TO_COMPLY"},
    {268, 0, 5013, "DIAMETER_INVALID_BIT_IN_HEADER"},
    {268, 0, 5014, "DIAMETER_INVALID_AVP_LENGTH"},
    {268, 0, 5015, "DIAMETER_INVALID_MESSAGE_LENGTH"},
    {268, 0, 5016, "DIAMETER_INVALID_AVP_BIT_COMBO"},
    {268, 0, 5017, "DIAMETER_NO_COMMON_SECURITY"},
    /* Experimental-Result-Code of S6a, TS 29.272 7.4.3, 7.4.4 */
    {298, 0, 4181, "DIAMETER_AUTHENTICATION_DATA_UNAVAILABLE"},
    {298, 0, 4182, "DIAMETER_ERROR_CAMEL_SUBSCRIPTION_PRESENT"},
    {298, 0, 5001, "DIAMETER_ERROR_USER_UNKNOWN"},
    {298, 0, 5004, "DIAMETER_ERROR_ROAMING_NOT_ALLOWED"},
    {298, 0, 5420, "DIAMETER_ERROR_UNKNOWN_EPS_SUBSCRIPTION"},
    {298, 0, 5421, "DIAMETER_ERROR_RAT_NOT_ALLOWED"},
    {298, 0, 5422, "DIAMETER_ERROR_EQUIPMENT_UNKNOWN"},
    {298, 0, 5423, "DIAMETER_ERROR_UNKNOWN_SERVING_NODE"},
    /* Disconnect-Cause, RFC 6733 5.4.3 */
    {273, 0, 0, "REBOOTING"},
    {273, 0, 1, "BUSY"},
    {273, 0, 2, "DO_NOT_WANT_TO_TALK_TO_YOU"},
    /* Auth-Session-State, RFC 6733 8.11 */
    {277, 0, 0, "STATE_MAINTAINED"},
    {277, 0, 1, "NO_STATE_MAINTAINED"},
    /* RAT-Type, TS 29.212 5.3.31 */
    {1032, SSGW_DIAM_VENDOR_3GPP, 0, "WLAN"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 1, "VIRTUAL"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 1000, "UTRAN"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 1001, "GERAN"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 1002, "GAN"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 1003, "HSPA_EVOLUTION"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 1004, "EUTRAN"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 1005, "EUTRAN-NB-IoT"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 1006, "NG-RAN"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 1007, "LTE-M"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 2000, "CDMA2000_1X"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 2001, "HRPD"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 2002, "UMB"},
    {1032, SSGW_DIAM_VENDOR_3GPP, 2003, "EHRPD"},
    /* Cancellation-Type, TS 29.272 7.3.24 */
    {1420, SSGW_DIAM_VENDOR_3GPP, 0, "MME_UPDATE_PROCEDURE"},
    {1420, SSGW_DIAM_VENDOR_3GPP, 1, "SGSN_UPDATE_PROCEDURE"},
    {1420, SSGW_DIAM_VENDOR_3GPP, 2, "SUBSCRIPTION_WITHDRAWAL"},
    {1420, SSGW_DIAM_VENDOR_3GPP, 3, "UPDATE_PROCEDURE_IWF"},
    {1420, SSGW_DIAM_VENDOR_3GPP, 4, "INITIAL_ATTACH_PROCEDURE"},
    /* Subscriber-Status, TS 29.272 7.3.29 */
    {1424, SSGW_DIAM_VENDOR_3GPP, 0, "SERVICE_GRANTED"},
    {1424, SSGW_DIAM_VENDOR_3GPP, 1, "OPERATOR_DETERMINED_BARRING"},
    /* Network-Access-Mode, TS 29.272 7.3.21 */
    {1417, SSGW_DIAM_VENDOR_3GPP, 0, "PACKET_AND_CIRCUIT"},
    {1417, SSGW_DIAM_VENDOR_3GPP, 2, "ONLY_PACKET"},
    /* PDN-Type, TS 29.272 7.3.62 */
    {1456, SSGW_DIAM_VENDOR_3GPP, 0, "IPv4"},
    {1456, SSGW_DIAM_VENDOR_3GPP, 1, "IPv6"},
    {1456, SSGW_DIAM_VENDOR_3GPP, 2, "IPv4v6"},
    {1456, SSGW_DIAM_VENDOR_3GPP, 3, "IPv4_OR_IPv6"},
};

const char *ssgw_diam_enum_name(uint32_t code, uint32_t vendor, uint32_t value)
{
    for (size_t i = 0; i < N(enums); i++)
        if (enums[i].code == code && enums[i].vendor == vendor && enums[i].value == value)
            return enums[i].name;
    return NULL;
}
