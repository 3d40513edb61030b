/*
 * map_ops.c - the MAP operation table (3GPP TS 29.002 clause 17.5, MAP-Protocol,
 * and the operation modules of clause 17.6), with the codes reserved for
 * operations of earlier MAP versions, MAPsec secure transport (TS 33.200) and
 * the TS 24.080 SS-Operations that travel in MAP SS/USSD dialogues. Names and
 * codes are those of Wireshark's gsm_old.localValue value table (which
 * follows the ASN.1), argument/result types those of the ASN.1 modules.
 */
#include "ssgw/map.h"

#include <string.h>
#include <strings.h>

#define CUR SSGW_MAP_OP_CURRENT
#define OLD SSGW_MAP_OP_RESERVED
#define SEC SSGW_MAP_OP_SECURE
#define SSO SSGW_MAP_OP_SS

static const ssgw_map_op map_ops[] = {
    {2, "updateLocation", "UpdateLocationArg", "UpdateLocationRes", CUR},
    {3, "cancelLocation", "CancelLocationArg", "CancelLocationRes", CUR},
    {4, "provideRoamingNumber", "ProvideRoamingNumberArg", "ProvideRoamingNumberRes", CUR},
    {5, "noteSubscriberDataModified", "NoteSubscriberDataModifiedArg",
     "NoteSubscriberDataModifiedRes", CUR},
    {6, "resumeCallHandling", "ResumeCallHandlingArg", "ResumeCallHandlingRes", CUR},
    {7, "insertSubscriberData", "InsertSubscriberDataArg", "InsertSubscriberDataRes", CUR},
    {8, "deleteSubscriberData", "DeleteSubscriberDataArg", "DeleteSubscriberDataRes", CUR},
    {9, "sendParameters", "SendParametersArg", "SentParameterList", OLD},
    {10, "registerSS", "RegisterSS-Arg", "SS-Info", CUR},
    {11, "eraseSS", "SS-ForBS-Code", "SS-Info", CUR},
    {12, "activateSS", "SS-ForBS-Code", "SS-Info", CUR},
    {13, "deactivateSS", "SS-ForBS-Code", "SS-Info", CUR},
    {14, "interrogateSS", "SS-ForBS-Code", "InterrogateSS-Res", CUR},
    {15, "authenticationFailureReport", "AuthenticationFailureReportArg",
     "AuthenticationFailureReportRes", CUR},
    {16, "notifySS", "NotifySS-Arg", NULL, SSO},
    {17, "registerPassword", "SS-Code", "Password", CUR},
    {18, "getPassword", "GuidanceInfo", "Password", CUR},
    {19, "processUnstructuredSS-Data", "SS-UserData", "SS-UserData", OLD},
    {20, "releaseResources", "ReleaseResourcesArg", "ReleaseResourcesRes", CUR},
    {21, "mt-ForwardSM-VGCS", "MT-ForwardSM-VGCS-Arg", "MT-ForwardSM-VGCS-Res", CUR},
    {22, "sendRoutingInfo", "SendRoutingInfoArg", "SendRoutingInfoRes", CUR},
    {23, "updateGprsLocation", "UpdateGprsLocationArg", "UpdateGprsLocationRes", CUR},
    {24, "sendRoutingInfoForGprs", "SendRoutingInfoForGprsArg", "SendRoutingInfoForGprsRes", CUR},
    {25, "failureReport", "FailureReportArg", "FailureReportRes", CUR},
    {26, "noteMsPresentForGprs", "NoteMsPresentForGprsArg", "NoteMsPresentForGprsRes", CUR},
    {28, "performHandover", NULL, NULL, OLD},
    {29, "sendEndSignal", "SendEndSignal-Arg", "SendEndSignal-Res", CUR},
    {30, "performSubsequentHandover", NULL, NULL, OLD},
    {31, "provideSIWFSNumber", "ProvideSIWFSNumberArg", "ProvideSIWFSNumberRes", OLD},
    {32, "sIWFSSignallingModify", "SIWFSSignallingModifyArg", "SIWFSSignallingModifyRes", OLD},
    {33, "processAccessSignalling", "ProcessAccessSignalling-Arg", NULL, CUR},
    {34, "forwardAccessSignalling", "ForwardAccessSignalling-Arg", NULL, CUR},
    {35, "noteInternalHandover", NULL, NULL, OLD},
    {36, "cancelVcsgLocation", "CancelVcsgLocationArg", "CancelVcsgLocationRes", CUR},
    {37, "reset", "ResetArg", NULL, CUR},
    {38, "forwardCheckSS-Indication", NULL, NULL, CUR},
    {39, "prepareGroupCall", "PrepareGroupCallArg", "PrepareGroupCallRes", CUR},
    {40, "sendGroupCallEndSignal", "SendGroupCallEndSignalArg", "SendGroupCallEndSignalRes", CUR},
    {41, "processGroupCallSignalling", "ProcessGroupCallSignallingArg", NULL, CUR},
    {42, "forwardGroupCallSignalling", "ForwardGroupCallSignallingArg", NULL, CUR},
    {43, "checkIMEI", "CheckIMEI-Arg", "CheckIMEI-Res", CUR},
    {44, "mt-forwardSM", "MT-ForwardSM-Arg", "MT-ForwardSM-Res", CUR},
    {45, "sendRoutingInfoForSM", "RoutingInfoForSM-Arg", "RoutingInfoForSM-Res", CUR},
    {46, "mo-forwardSM", "MO-ForwardSM-Arg", "MO-ForwardSM-Res", CUR},
    {47, "reportSM-DeliveryStatus", "ReportSM-DeliveryStatusArg", "ReportSM-DeliveryStatusRes",
     CUR},
    {48, "noteSubscriberPresent", "IMSI", NULL, OLD},
    {49, "alertServiceCentreWithoutResult", "AlertServiceCentreArg", NULL, OLD},
    {50, "activateTraceMode", "ActivateTraceModeArg", "ActivateTraceModeRes", CUR},
    {51, "deactivateTraceMode", "DeactivateTraceModeArg", "DeactivateTraceModeRes", CUR},
    {52, "traceSubscriberActivity", NULL, NULL, OLD},
    {53, "updateVcsgLocation", "UpdateVcsgLocationArg", "UpdateVcsgLocationRes", CUR},
    {54, "beginSubscriberActivity", "BeginSubscriberActivityArg", NULL, OLD},
    {55, "sendIdentification", "SendIdentificationArg", "SendIdentificationRes", CUR},
    {56, "sendAuthenticationInfo", "SendAuthenticationInfoArg", "SendAuthenticationInfoRes", CUR},
    {57, "restoreData", "RestoreDataArg", "RestoreDataRes", CUR},
    {58, "sendIMSI", "ISDN-AddressString", "IMSI", CUR},
    {59, "processUnstructuredSS-Request", "USSD-Arg", "USSD-Res", CUR},
    {60, "unstructuredSS-Request", "USSD-Arg", "USSD-Res", CUR},
    {61, "unstructuredSS-Notify", "USSD-Arg", NULL, CUR},
    {62, "anyTimeSubscriptionInterrogation", "AnyTimeSubscriptionInterrogationArg",
     "AnyTimeSubscriptionInterrogationRes", CUR},
    {63, "informServiceCentre", "InformServiceCentreArg", NULL, CUR},
    {64, "alertServiceCentre", "AlertServiceCentreArg", NULL, CUR},
    {65, "anyTimeModification", "AnyTimeModificationArg", "AnyTimeModificationRes", CUR},
    {66, "readyForSM", "ReadyForSM-Arg", "ReadyForSM-Res", CUR},
    {67, "purgeMS", "PurgeMS-Arg", "PurgeMS-Res", CUR},
    {68, "prepareHandover", "PrepareHO-Arg", "PrepareHO-Res", CUR},
    {69, "prepareSubsequentHandover", "PrepareSubsequentHO-Arg", "PrepareSubsequentHO-Res", CUR},
    {70, "provideSubscriberInfo", "ProvideSubscriberInfoArg", "ProvideSubscriberInfoRes", CUR},
    {71, "anyTimeInterrogation", "AnyTimeInterrogationArg", "AnyTimeInterrogationRes", CUR},
    {72, "ss-InvocationNotification", "SS-InvocationNotificationArg",
     "SS-InvocationNotificationRes", CUR},
    {73, "setReportingState", "SetReportingStateArg", "SetReportingStateRes", CUR},
    {74, "statusReport", "StatusReportArg", "StatusReportRes", CUR},
    {75, "remoteUserFree", "RemoteUserFreeArg", "RemoteUserFreeRes", CUR},
    {76, "registerCC-Entry", "RegisterCC-EntryArg", "RegisterCC-EntryRes", CUR},
    {77, "eraseCC-Entry", "EraseCC-EntryArg", "EraseCC-EntryRes", CUR},
    {78, "secureTransportClass1", "SecureTransportArg", "SecureTransportRes", SEC},
    {79, "secureTransportClass2", "SecureTransportArg", "SecureTransportRes", SEC},
    {80, "secureTransportClass3", "SecureTransportArg", "SecureTransportRes", SEC},
    {81, "secureTransportClass4", "SecureTransportArg", "SecureTransportRes", SEC},
    {83, "provideSubscriberLocation", "ProvideSubscriberLocation-Arg",
     "ProvideSubscriberLocation-Res", CUR},
    {84, "sendGroupCallInfo", "SendGroupCallInfoArg", "SendGroupCallInfoRes", CUR},
    {85, "sendRoutingInfoForLCS", "RoutingInfoForLCS-Arg", "RoutingInfoForLCS-Res", CUR},
    {86, "subscriberLocationReport", "SubscriberLocationReport-Arg", "SubscriberLocationReport-Res",
     CUR},
    {87, "ist-Alert", "IST-AlertArg", "IST-AlertRes", CUR},
    {88, "ist-Command", "IST-CommandArg", "IST-CommandRes", CUR},
    {89, "noteMM-Event", "NoteMM-EventArg", "NoteMM-EventRes", CUR},
    {109, "lcs-PeriodicLocationCancellation", "LCS-PeriodicLocationCancellationArg", NULL, SSO},
    {110, "lcs-LocationUpdate", "LCS-LocationUpdateArg", "LCS-LocationUpdateRes", SSO},
    {111, "lcs-PeriodicLocationRequest", "LCS-PeriodicLocationRequestArg",
     "LCS-PeriodicLocationRequestRes", SSO},
    {112, "lcs-AreaEventCancellation", "LCS-AreaEventCancellationArg", NULL, SSO},
    {113, "lcs-AreaEventReport", "LCS-AreaEventReportArg", NULL, SSO},
    {114, "lcs-AreaEventRequest", "LCS-AreaEventRequestArg", NULL, SSO},
    {115, "lcs-MOLR", "LCS-MOLRArg", "LCS-MOLRRes", SSO},
    {116, "lcs-LocationNotification", "LocationNotificationArg", "LocationNotificationRes", SSO},
    {117, "callDeflection", "CallDeflectionArg", NULL, SSO},
    {118, "userUserService", "UserUserServiceArg", NULL, SSO},
    {119, "accessRegisterCCEntry", "AccessRegisterCCEntryArg", "RegisterCC-EntryRes", SSO},
    {120, "forwardCUG-Info", "ForwardCUG-InfoArg", NULL, SSO},
    {121, "splitMPTY", NULL, NULL, SSO},
    {122, "retrieveMPTY", NULL, NULL, SSO},
    {123, "holdMPTY", NULL, NULL, SSO},
    {124, "buildMPTY", NULL, NULL, SSO},
    {125, "forwardChargeAdvice", "ForwardChargeAdviceArg", NULL, SSO},
    {126, "explicitCT", NULL, NULL, SSO},
};

#define N_OPS (sizeof map_ops / sizeof map_ops[0])

/* Index by opcode, built from map_ops[] on first use (idempotent, so a race is harmless). */
static const ssgw_map_op *by_code[SSGW_MAP_OPCODE_MAX + 1];
static int by_code_ready;

static void build_index(void)
{
    if (by_code_ready) return;
    for (size_t i = 0; i < N_OPS; i++)
        by_code[map_ops[i].opcode] = &map_ops[i];
    by_code_ready = 1;
}

const ssgw_map_op *ssgw_map_op_by_code(int opcode)
{
    if (opcode < 0 || opcode > SSGW_MAP_OPCODE_MAX) return NULL;
    build_index();
    return by_code[opcode];
}

const ssgw_map_op *ssgw_map_op_by_name(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < N_OPS; i++)
        if (strcmp(map_ops[i].name, name) == 0) return &map_ops[i];
    /* the operation modules spell "mo-ForwardSM" where MAP-Protocol's value list says
     * "mo-forwardSM": accept either case */
    for (size_t i = 0; i < N_OPS; i++)
        if (strcasecmp(map_ops[i].name, name) == 0) return &map_ops[i];
    return NULL;
}

const char *ssgw_map_op_name(int opcode)
{
    const ssgw_map_op *op = ssgw_map_op_by_code(opcode);
    return op ? op->name : "unknown";
}

size_t ssgw_map_op_count(void)
{
    return N_OPS;
}

const ssgw_map_op *ssgw_map_op_at(size_t i)
{
    return i < N_OPS ? &map_ops[i] : NULL;
}

const char *ssgw_map_op_origin_name(ssgw_map_op_origin o)
{
    switch (o) {
    case SSGW_MAP_OP_CURRENT:
        return "current";
    case SSGW_MAP_OP_RESERVED:
        return "reserved";
    case SSGW_MAP_OP_SECURE:
        return "secure-transport";
    case SSGW_MAP_OP_SS:
        return "ss-operation";
    default:
        return "unknown";
    }
}

const char *ssgw_map_comp_kind_name(ssgw_map_comp_kind k)
{
    switch (k) {
    case SSGW_MAP_INVOKE:
        return "invoke";
    case SSGW_MAP_RETURN_RESULT:
        return "return_result";
    case SSGW_MAP_RETURN_ERROR:
        return "return_error";
    default:
        return "unknown";
    }
}

/* TS 29.002 17.7.5 MAP-SS-Code. */
static const struct {
    uint8_t code;
    const char *name;
} ss_codes[] = {
    {0x00, "allSS"},
    {0x10, "allLineIdentificationSS"},
    {0x11, "clip"},
    {0x12, "clir"},
    {0x13, "colp"},
    {0x14, "colr"},
    {0x15, "mci"},
    {0x18, "allNameIdentificationSS"},
    {0x19, "cnap"},
    {0x20, "allForwardingSS"},
    {0x21, "cfu"},
    {0x24, "cd"},
    {0x28, "allCondForwardingSS"},
    {0x29, "cfb"},
    {0x2a, "cfnry"},
    {0x2b, "cfnrc"},
    {0x30, "allCallOfferingSS"},
    {0x31, "ect"},
    {0x32, "mah"},
    {0x40, "allCallCompletionSS"},
    {0x41, "cw"},
    {0x42, "hold"},
    {0x43, "ccbs-A"},
    {0x44, "ccbs-B"},
    {0x45, "mc"},
    {0x50, "allMultiPartySS"},
    {0x51, "multiPTY"},
    {0x60, "allCommunityOfInterest-SS"},
    {0x61, "cug"},
    {0x70, "allChargingSS"},
    {0x71, "aoci"},
    {0x72, "aocc"},
    {0x80, "allAdditionalInfoTransferSS"},
    {0x81, "uus1"},
    {0x82, "uus2"},
    {0x83, "uus3"},
    {0x90, "allBarringSS"},
    {0x91, "barringOfOutgoingCalls"},
    {0x92, "baoc"},
    {0x93, "boic"},
    {0x94, "boicExHC"},
    {0x99, "barringOfIncomingCalls"},
    {0x9a, "baic"},
    {0x9b, "bicRoam"},
    {0xa0, "allCallPrioritySS"},
    {0xa1, "emlpp"},
    {0xb0, "allLCSPrivacyException"},
    {0xb1, "universal"},
    {0xb2, "callSessionRelated"},
    {0xb3, "callSessionUnrelated"},
    {0xb4, "plmnoperator"},
    {0xb5, "serviceType"},
    {0xc0, "allMOLR-SS"},
    {0xc1, "basicSelfLocation"},
    {0xc2, "autonomousSelfLocation"},
    {0xc3, "transferToThirdParty"},
    {0xf0, "allPLMN-specificSS"},
    {0xf1, "plmn-specificSS-1"},
    {0xf2, "plmn-specificSS-2"},
    {0xf3, "plmn-specificSS-3"},
    {0xf4, "plmn-specificSS-4"},
    {0xf5, "plmn-specificSS-5"},
    {0xf6, "plmn-specificSS-6"},
    {0xf7, "plmn-specificSS-7"},
    {0xf8, "plmn-specificSS-8"},
    {0xf9, "plmn-specificSS-9"},
    {0xfa, "plmn-specificSS-A"},
    {0xfb, "plmn-specificSS-B"},
    {0xfc, "plmn-specificSS-C"},
    {0xfd, "plmn-specificSS-D"},
    {0xfe, "plmn-specificSS-E"},
    {0xff, "plmn-specificSS-F"},
};

const char *ssgw_map_ss_code_name(uint8_t code)
{
    for (size_t i = 0; i < sizeof ss_codes / sizeof ss_codes[0]; i++)
        if (ss_codes[i].code == code) return ss_codes[i].name;
    return NULL;
}
