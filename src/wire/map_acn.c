/*
 * map_acn.c - MAP application-context names (3GPP TS 29.002 clause 17.3.3,
 * MAP-ApplicationContexts, including the names it reserves for earlier
 * versions): OID 0.4.0.0.1.0.<ac>.<version>, that is contents octets
 * 04 00 00 01 00 <ac> <version>. Each context lists the operations that
 * TS 29.002 clause 17.2 (and the MAP v1/v2 specifications for the retired
 * ones) allows in it.
 */
#include "ssgw/map.h"

#include "ssgw/ber.h"

#include <string.h>

#define V(a)     (uint8_t)(1u << (a))
#define OPS(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static const ssgw_map_acn acns[] = {
    {1, "networkLocUpContext", V(1) | V(2) | V(3), OPS(2, 7, 38, 50, 9)},
    {2, "locationCancellationContext", V(1) | V(2) | V(3), OPS(3)},
    {3, "roamingNumberEnquiryContext", V(1) | V(2) | V(3), OPS(4)},
    {4, "istAlertingContext", V(3), OPS(87)},
    {5, "locationInfoRetrievalContext", V(1) | V(2) | V(3), OPS(22)},
    {6, "callControlTransferContext", V(3) | V(4), OPS(6)},
    {7, "reportingContext", V(3), OPS(73, 74, 75)},
    {8, "callCompletionContext", V(3), OPS(76, 77)},
    {9, "serviceTerminationContext", V(3), OPS(88)},
    {10, "resetContext", V(1) | V(2) | V(3), OPS(37)},
    {11, "handoverControlContext", V(1) | V(2) | V(3), OPS(68, 69, 29, 33, 34, 28, 30, 35, 52)},
    {12, "sIWFSAllocationContext", V(3), OPS(31, 32)},
    {13, "equipmentMngtContext", V(1) | V(2) | V(3), OPS(43)},
    {14, "infoRetrievalContext", V(1) | V(2) | V(3), OPS(56, 9)},
    {15, "interVlrInfoRetrievalContext", V(2) | V(3), OPS(55)},
    {16, "subscriberDataMngtContext", V(1) | V(2) | V(3), OPS(7, 8)},
    {17, "tracingContext", V(1) | V(2) | V(3), OPS(50, 51)},
    {18, "networkFunctionalSsContext", V(1) | V(2), OPS(10, 11, 12, 13, 14, 17, 18, 19, 54)},
    {19, "networkUnstructuredSsContext", V(2), OPS(59, 60, 61)},
    {20, "shortMsgGatewayContext", V(1) | V(2) | V(3), OPS(45, 47, 63)},
    {21, "shortMsgMO-RelayContext", V(1) | V(2) | V(3), OPS(46)},
    {22, "subscriberDataModificationNotificationContext", V(3), OPS(5)},
    {23, "shortMsgAlertContext", V(1) | V(2), OPS(64, 49)},
    {24, "mwdMngtContext", V(1) | V(2) | V(3), OPS(66, 48)},
    {25, "shortMsgMT-RelayContext", V(2) | V(3), OPS(44)},
    {26, "imsiRetrievalContext", V(2), OPS(58)},
    {27, "msPurgingContext", V(2) | V(3), OPS(67)},
    {28, "subscriberInfoEnquiryContext", V(3), OPS(70)},
    {29, "anyTimeInfoEnquiryContext", V(3), OPS(71)},
    {31, "groupCallControlContext", V(3), OPS(39, 40, 41, 42)},
    {32, "gprsLocationUpdateContext", V(3), OPS(23, 7, 50)},
    {33, "gprsLocationInfoRetrievalContext", V(3) | V(4), OPS(24)},
    {34, "failureReportContext", V(3), OPS(25)},
    {35, "gprsNotifyContext", V(3), OPS(26)},
    {36, "ss-InvocationNotificationContext", V(3), OPS(72)},
    {37, "locationSvcGatewayContext", V(3), OPS(85)},
    {38, "locationSvcEnquiryContext", V(3), OPS(83, 86)},
    {39, "authenticationFailureReportContext", V(3), OPS(15)},
    {41, "shortMsgMT-Relay-VGCS-Context", V(3), OPS(21)},
    {42, "mm-EventReportingContext", V(3), OPS(89)},
    {43, "anyTimeInfoHandlingContext", V(3), OPS(62, 65)},
    {44, "resourceManagementContext", V(3), OPS(20)},
    {45, "groupCallInfoRetrievalContext", V(3), OPS(84)},
    {46, "vcsgLocationUpdateContext", V(3), OPS(53, 7)},
    {47, "vcsgLocationCancellationContext", V(3), OPS(36)},
};

#define N_ACNS (sizeof acns / sizeof acns[0])

/* map-ac = {itu-t(0) identified-organization(4) etsi(0) mobileDomain(0) gsm-Network(1)
 * ac-Id(0)}: X.690 8.19 packs 0.4 into one octet, 4. */
static const uint8_t map_ac_prefix[5] = {0x04, 0x00, 0x00, 0x01, 0x00};

const ssgw_map_acn *ssgw_map_acn_by_id(int ac)
{
    for (size_t i = 0; i < N_ACNS; i++)
        if (acns[i].ac == ac) return &acns[i];
    return NULL;
}

size_t ssgw_map_acn_count(void)
{
    return N_ACNS;
}

const ssgw_map_acn *ssgw_map_acn_at(size_t i)
{
    return i < N_ACNS ? &acns[i] : NULL;
}

bool ssgw_map_acn_has_version(const ssgw_map_acn *acn, int version)
{
    return acn && version >= 1 && version <= 4 && (acn->versions & (1u << version));
}

int ssgw_map_acn_from_oid(const uint8_t *val, size_t len, const ssgw_map_acn **acn, int *version)
{
    *acn = NULL;
    *version = 0;
    /* The ac and version arcs are below 128 for every MAP context: one octet each. */
    if (!val || len != SSGW_MAP_ACN_OID_LEN || memcmp(val, map_ac_prefix, 5) != 0) return -1;
    if (val[5] & 0x80 || val[6] & 0x80) return -1;
    *acn = ssgw_map_acn_by_id(val[5]);
    if (!*acn) return -1;
    *version = val[6];
    return ssgw_map_acn_has_version(*acn, *version) ? 0 : -1;
}

int ssgw_map_acn_from_str(const char *dotted, const ssgw_map_acn **acn, int *version)
{
    uint8_t oid[16];
    int n = ssgw_ber_oid_from_str(dotted, oid, sizeof oid);
    if (n < 0) {
        *acn = NULL;
        *version = 0;
        return -1;
    }
    return ssgw_map_acn_from_oid(oid, (size_t)n, acn, version);
}

int ssgw_map_acn_to_oid(int ac, int version, uint8_t *out, size_t cap)
{
    if (ac < 0 || ac > 127 || version < 1 || version > 127 || cap < SSGW_MAP_ACN_OID_LEN) return -1;
    memcpy(out, map_ac_prefix, 5);
    out[5] = (uint8_t)ac;
    out[6] = (uint8_t)version;
    return SSGW_MAP_ACN_OID_LEN;
}

bool ssgw_map_acn_has_op(const ssgw_map_acn *acn, int opcode)
{
    if (!acn) return false;
    for (size_t i = 0; i < acn->n_ops; i++)
        if (acn->ops[i] == opcode) return true;
    return false;
}
