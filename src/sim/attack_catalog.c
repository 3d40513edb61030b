/*
 * attack_catalog.c - the attack catalogue of `ssgw attack` (include/ssgw/attack.h,
 * docs/attacks.md): stable label names, the firewall-contract check expected to
 * catch each attack, acceptable alternatives, GSMA FS.11 category and the MAP
 * operation (3GPP TS 29.002 opcodes). The scenario tables in attack.c refer to
 * these entries by index, in this order.
 */
#include "ssgw/attack.h"

#include <string.h>

#include "ssgw/map.h"

/* Keep in the order of the A_* indices in attack.c. */
static const ssgw_attack_info catalogue[] = {
    {"track.ati",
     "cat1.operation",
     {NULL},
     "location tracking",
     "1",
     SSGW_MAP_OP_ANY_TIME_INTERROGATION,
     "anyTimeInterrogation to our HLR from a GT without an agreement: returns the "
     "subscriber's cell id and state"},
    {"track.sri",
     "cat1.operation",
     {NULL},
     "location tracking",
     "1",
     SSGW_MAP_OP_SEND_ROUTING_INFO,
     "sendRoutingInfo for our MSISDN: returns the IMSI and the serving MSC (country, region)"},
    {"track.psi",
     "cat2.own_subscriber",
     {"cat2.not_home_network", NULL},
     "location tracking",
     "2",
     SSGW_MAP_OP_PROVIDE_SUBSCRIBER_INFO,
     "provideSubscriberInfo about our subscriber sent to our VLR from the interconnect: "
     "cell id and state of the subscriber"},
    {"track.sri_sm_origin",
     "sms.sri_sm_origin",
     {NULL},
     "location tracking",
     "sms",
     SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM,
     "sendRoutingInfoForSM from a GT that is no known SMSC: returns IMSI and serving MSC "
     "(the classic first step of every SS7 attack)"},
    {"track.sri_sm_flood",
     "sms.sri_sm_rate",
     {"rate.imsi", "rate.operation", "rate.calling_gt", NULL},
     "location tracking",
     "sms",
     SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM,
     "burst of sendRoutingInfoForSM for one MSISDN from a partner SMSC: repeated location "
     "polling through an SMS hub"},
    {"track.psl",
     "cat1.operation",
     {NULL},
     "location tracking",
     "1",
     SSGW_MAP_OP_PROVIDE_SUBSCRIBER_LOCATION,
     "provideSubscriberLocation to our MSC from a foreign GMLC: precise (LCS) position"},
    {"track.sri_lcs",
     "cat1.operation",
     {NULL},
     "location tracking",
     "1",
     SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_LCS,
     "sendRoutingInfoForLCS to our HLR: serving MSC/SGSN of the target, step one of LCS "
     "tracking"},
    {"intercept.ul_velocity",
     "cat3.velocity",
     {NULL},
     "sms interception",
     "3",
     SSGW_MAP_OP_UPDATE_LOCATION,
     "forged updateLocation moving our roaming subscriber to a country it cannot have reached "
     "since its last location update: its SMS and calls go to the attacker"},
    {"intercept.ul_vlr_mismatch",
     "spoof.vlr_mismatch",
     {"cat3.velocity", NULL},
     "sms interception",
     "3",
     SSGW_MAP_OP_UPDATE_LOCATION,
     "updateLocation whose VLR/MSC number (where SMS and calls will go) is not in the calling "
     "GT's network"},
    {"intercept.cf_register",
     "cat3.not_current_vlr",
     {NULL},
     "call interception",
     "3",
     SSGW_MAP_OP_REGISTER_SS,
     "registerSS (call forwarding to the attacker's number) from a GT that is not the "
     "subscriber's current VLR"},
    {"intercept.cf_activate",
     "cat3.not_current_vlr",
     {NULL},
     "call interception",
     "3",
     SSGW_MAP_OP_ACTIVATE_SS,
     "activateSS of call forwarding from a GT that is not the subscriber's current VLR"},
    {"intercept.isd",
     "cat2.own_subscriber",
     {"cat2.not_home_network", NULL},
     "call interception",
     "2",
     SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA,
     "insertSubscriberData about our subscriber from the interconnect: rewrites its profile "
     "(forwarding, CAMEL, barring) in our VLR"},
    {"dos.cancel_location",
     "cat2.own_subscriber",
     {"cat2.not_home_network", NULL},
     "denial of service",
     "2",
     SSGW_MAP_OP_CANCEL_LOCATION,
     "cancelLocation for our subscriber sent to our VLR from the interconnect: the subscriber "
     "loses service"},
    {"dos.purge_ms",
     "cat3.not_current_vlr",
     {NULL},
     "denial of service",
     "3",
     SSGW_MAP_OP_PURGE_MS,
     "purgeMS for our roaming subscriber from a VLR that is not its current one: calls and SMS "
     "are refused as if the phone were off"},
    {"dos.delete_subscriber_data",
     "cat2.own_subscriber",
     {"cat2.not_home_network", NULL},
     "denial of service",
     "2",
     SSGW_MAP_OP_DELETE_SUBSCRIBER_DATA,
     "deleteSubscriberData for our subscriber from the interconnect: removes services"},
    {"theft.send_imsi",
     "cat1.operation",
     {NULL},
     "identity theft",
     "1",
     SSGW_MAP_OP_SEND_IMSI,
     "sendIMSI for our MSISDN: reveals the IMSI, the key to every other attack"},
    {"theft.sai",
     "cat3.not_current_vlr",
     {"cat3.velocity", NULL},
     "key theft",
     "3",
     SSGW_MAP_OP_SEND_AUTHENTICATION_INFO,
     "sendAuthenticationInfo for our roaming subscriber from a VLR other than its current one, "
     "minutes after it registered elsewhere: authentication vectors for a fake base station"},
    {"theft.send_identification",
     "cat1.operation",
     {NULL},
     "identity theft",
     "1",
     SSGW_MAP_OP_SEND_IDENTIFICATION,
     "sendIdentification to our VLR with a TMSI: returns IMSI and authentication vectors"},
    {"fraud.ussd",
     "cat3.not_current_vlr",
     {NULL},
     "fraud",
     "3",
     SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST,
     "processUnstructuredSS-Request on behalf of our roaming subscriber from a VLR that is not "
     "its current one: prepaid transfers, mobile money"},
    {"fraud.sms_spoof",
     "sms.mt_fsm_origin",
     {"sms.mt_fsm_no_sri", NULL},
     "fraud",
     "sms",
     SSGW_MAP_OP_MT_FORWARD_SM,
     "mt-forwardSM to our MSC from an unknown SMSC: spoofed SMS (phishing, fake bank OTP "
     "sender)"},
    {"fraud.sms_no_sri",
     "sms.mt_fsm_no_sri",
     {NULL},
     "fraud",
     "sms",
     SSGW_MAP_OP_MT_FORWARD_SM,
     "mt-forwardSM from a partner SMSC for our subscriber's IMSI without the "
     "sendRoutingInfoForSM that must precede it (IMSI learnt elsewhere, SMS home routing "
     "bypass)"},
    {"fraud.any_time_modification",
     "cat1.operation",
     {NULL},
     "fraud",
     "1",
     SSGW_MAP_OP_ANY_TIME_MODIFICATION,
     "anyTimeModification to our HLR: installs call forwarding or changes the profile"},
    {"spoof.peer_mismatch",
     "spoof.peer_mismatch",
     {NULL},
     "spoofing",
     "-",
     SSGW_MAP_OP_NONE,
     "a partner's GT arriving from the attacker's point code 2009 (GT spoofing through a leased "
     "interconnect)"},
    {"spoof.not_home_network",
     "cat2.not_home_network",
     {"spoof.imsi_network", NULL},
     "spoofing",
     "2",
     SSGW_MAP_OP_NONE,
     "category 2 operation about a Safari Mobile subscriber (roaming in our network) sent by "
     "another partner's HLR"},
    {"infiltration.unknown_dialogue",
     "tcap.unknown_dialogue",
     {NULL},
     "infiltration",
     "-",
     SSGW_MAP_OP_NONE,
     "TCAP Continue/End/Abort whose destination transaction id belongs to no dialogue that "
     "began"},
    {"spoof.ssn_mismatch",
     "spoof.ssn_mismatch",
     {NULL},
     "spoofing",
     "-",
     SSGW_MAP_OP_NONE,
     "HLR operation (insertSubscriberData, cancelLocation, provideRoamingNumber) sent from "
     "SSN 8 instead of the HLR's SSN 6"},
    /* issue 11: what a firewall that screens only what it understands lets through */
    {"evasion.unknown_user",
     "class.unknown_user",
     {NULL},
     "firewall evasion",
     "-",
     SSGW_MAP_OP_ANY_TIME_INTERROGATION,
     "anyTimeInterrogation to our HLR under a private application context (a TCAP user no "
     "table knows): a MAP-only firewall switches off, an HLR that ignores the context answers"},
    {"evasion.unknown_context",
     "class.unknown_context",
     {NULL},
     "firewall evasion",
     "-",
     SSGW_MAP_OP_ANY_TIME_INTERROGATION,
     "anyTimeInterrogation under a MAP context version that does not exist (the application "
     "context version trick)"},
    {"evasion.map_v1",
     "class.map_v1_no_dialogue",
     {"sms.sri_sm_origin", NULL},
     "firewall evasion",
     "-",
     SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM,
     "sendRoutingInfoForSM as MAP v1 (no dialogue portion, no context to judge by) from an "
     "attacker's SMSC: a downgrade past context-based screening"},
    {"evasion.global_opcode",
     "class.global_opcode",
     {NULL},
     "firewall evasion",
     "-",
     SSGW_MAP_OP_NONE,
     "anyTimeInterrogation's argument behind a global (object identifier) operation code, "
     "which no opcode table names"},
    {"evasion.unknown_operation",
     "class.unknown_operation",
     {"class.out_of_context", NULL},
     "firewall evasion",
     "-",
     SSGW_MAP_OP_NONE,
     "an unallocated MAP operation code (99) carrying anyTimeInterrogation's argument: "
     "probing for vendor operations no category covers"},
    {"evasion.out_of_context",
     "class.out_of_context",
     {"cat1.operation", NULL},
     "firewall evasion",
     "1",
     SSGW_MAP_OP_ANY_TIME_INTERROGATION,
     "anyTimeInterrogation inside networkLocUpContext, a context a firewall lets roaming "
     "partners use (context confusion)"},
    {"evasion.ansi_tcap",
     "class.ansi_tcap",
     {NULL},
     "firewall evasion",
     "-",
     SSGW_MAP_OP_NONE,
     "ANSI TCAP (ANSI-41 LocationRequest) on the ITU-T interconnect, which a MAP firewall "
     "cannot read"},
    {"dos.scmg_stranger",
     "scmg.foreign",
     {"scmg.home_status", NULL},
     "denial of service",
     "-",
     SSGW_MAP_OP_NONE,
     "SCCP management SSP (subsystem prohibited) or SOR for our HLR or SMSC from a stranger's "
     "point code: STPs that believe it stop routing to the node"},
    {"dos.scmg_partner",
     "scmg.home_status",
     {NULL},
     "denial of service",
     "-",
     SSGW_MAP_OP_NONE,
     "SCCP management SSP for one of our own subsystems from a partner's point code (a "
     "compromised or misconfigured node speaking for our subsystems)"},
    {"fraud.cap_stranger",
     "cap.non_member",
     {NULL},
     "fraud",
     "-",
     SSGW_MAP_OP_NONE,
     "CAMEL from a network that is no partner: InitialDP to our gsmSCF for our subscriber "
     "(service logic probing) or InitiateCallAttempt to our MSC (calls set up on our network)"},
    {"intercept.cap_scf_origin",
     "cap.scf_origin",
     {NULL},
     "call interception",
     "-",
     SSGW_MAP_OP_NONE,
     "CAP Connect (a call redirected to the attacker's number) or ReleaseCall sent to our MSC "
     "by a partner node that is not its gsmSCF"},
    {"fraud.cap_foreign_idp",
     "cap.to_scf_subscriber",
     {NULL},
     "fraud",
     "-",
     SSGW_MAP_OP_NONE,
     "InitialDP to our gsmSCF from a partner's MSC for a subscriber who is not ours: our "
     "CAMEL service (prepaid, VPN) used by others"},
    {"fraud.sms_spoof_legacy",
     "sms.mt_fsm_origin",
     {"class.map_v1_no_dialogue", NULL},
     "fraud",
     "sms",
     SSGW_MAP_OP_MO_FORWARD_SM,
     "spoofed SMS from a fake SMSC as MAP v2 / v1 forwardSM (shortMsgMT-RelayContext-v2, "
     "shortMsgRelayContext-v1, no dialogue portion): the mt-forwardSM of earlier versions"},
    {"fraud.sms_no_sri_legacy",
     "sms.mt_fsm_no_sri",
     {NULL},
     "fraud",
     "sms",
     SSGW_MAP_OP_MO_FORWARD_SM,
     "forwardSM (MAP v2 / v1) from a partner SMSC to our subscriber with no "
     "sendRoutingInfoForSM before (SMS home routing bypass in an old version)"},
    {"intercept.ul_at_home",
     "cat3.velocity",
     {NULL},
     "sms interception",
     "3",
     SSGW_MAP_OP_UPDATE_LOCATION,
     "updateLocation for our subscriber minutes after our HLR routed a short message to it at "
     "home (our MSC): a location claim for a subscriber the home network knows to be home"},
    {"infiltration.hijack_answer",
     "tcap.dialogue_peer_mismatch",
     {NULL},
     "call interception",
     "-",
     SSGW_MAP_OP_SEND_ROUTING_INFO,
     "an answer to our GMSC's sendRoutingInfo from another network than the partner HLR it "
     "asked, before the real one: its roaming number takes the calls (a hijacked dialogue)"},
    /* calls (ISUP) and short-message spam: the Q.3063 / spam part of the catalogue */
    {"cli.spoof_home",
     "call.home_cli_inbound",
     {NULL},
     "number spoofing",
     "-",
     SSGW_MAP_OP_NONE,
     "ISUP call to our subscriber whose calling number is another of our subscribers' (or our "
     "service's), from the attackers' interconnect or a partner the number never roamed in: "
     "vishing with a trusted number"},
    {"cli.spoof_invalid",
     "call.cli_invalid",
     {NULL},
     "number spoofing",
     "-",
     SSGW_MAP_OP_NONE,
     "ISUP call whose calling number no caller can have: premium rate, unallocated, too long "
     "for its country (invented numbers of call platforms)"},
    {"call.robocall",
     "call.fanout",
     {"call.rate", NULL},
     "telephone spam",
     "-",
     SSGW_MAP_OP_NONE,
     "one calling number dialling through dozens of our subscribers within minutes (robocalls "
     "through a carrier)"},
    {"call.wangiri",
     "call.wangiri",
     {NULL},
     "telephone spam",
     "-",
     SSGW_MAP_OP_NONE,
     "one calling number ringing many of our subscribers once and hanging up before answer, so "
     "that they call back a premium-rate number (wangiri)"},
    {"smish.protected_sender",
     "sms.protected_sender",
     {"sms.keyword", "sms.url", NULL},
     "smishing",
     "sms",
     SSGW_MAP_OP_MT_FORWARD_SM,
     "mt-forwardSM with the bank's protected sender name delivered by a foreign SMSC (after our "
     "HLR answered its sendRoutingInfoForSM): smishing with a trusted sender"},
    {"smish.link",
     "sms.url",
     {"sms.keyword", NULL},
     "smishing",
     "sms",
     SSGW_MAP_OP_MT_FORWARD_SM,
     "mt-forwardSM from a partner SMSC whose text links to a listed phishing domain"},
    {"spam.sms_flood",
     "sms.sender_rate",
     {"sms.same_text", "rate.imsi", "rate.operation", "rate.calling_gt", NULL},
     "sms spam",
     "sms",
     SSGW_MAP_OP_MT_FORWARD_SM,
     "dozens of short messages from one sender within a minute through a partner SMSC"},
    {"spam.sms_campaign",
     "sms.same_text",
     {"sms.sender_rate", "rate.operation", "rate.calling_gt", NULL},
     "sms spam",
     "sms",
     SSGW_MAP_OP_MT_FORWARD_SM,
     "the same text (personalised with numbers) to dozens of recipients from rotating senders"},
    {"evasion.component_hiding",
     "cat2.own_subscriber",
     {"cat2.not_home_network", NULL},
     "firewall evasion",
     "2",
     SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA,
     "insertSubscriberData about our subscriber followed, in the same Begin, by one about a "
     "subscriber of the sender's own network: a firewall that reads one component's "
     "parameters sees only the harmless one"},
    {"evasion.cap_ssn",
     "cat1.operation",
     {"class.map_v1_no_dialogue", "spoof.ssn_mismatch", NULL},
     "firewall evasion",
     "1",
     SSGW_MAP_OP_ANY_TIME_INTERROGATION,
     "anyTimeInterrogation to our HLR without a dialogue portion and with calling SSN 146: a "
     "firewall that takes either party's CAP subsystem for CAP screens it as CAP, the HLR "
     "(called SSN 6) runs it as MAP"},
    {"fraud.sms_da_mismatch",
     "sms.mt_fsm_no_sri",
     {"sms.mt_fsm_origin", NULL},
     "sms fraud",
     "sms",
     SSGW_MAP_OP_MO_FORWARD_SM,
     "forwardSM (MAP v1/v2) whose sm-RP-DA names our subscriber's IMSI but whose sm-RP-OA "
     "names an MSISDN, from a partner SMSC without SRI-SM: taken for mobile-originated by its "
     "originator, delivered by the MSC, which routes by sm-RP-DA"},
    {"smish.split_link",
     "sms.url",
     {"sms.keyword", NULL},
     "smishing",
     "sms",
     SSGW_MAP_OP_MT_FORWARD_SM,
     "a phishing link split inside its domain between the two segments of a concatenated "
     "short message, each delivered by its own mt-forwardSM from a partner SMSC: neither "
     "segment alone holds the domain; the attack is the segment that completes it"},
};

size_t ssgw_attack_count(void)
{
    return sizeof catalogue / sizeof catalogue[0];
}

const ssgw_attack_info *ssgw_attack_at(size_t i)
{
    return i < ssgw_attack_count() ? &catalogue[i] : NULL;
}

int ssgw_attack_index(const char *name)
{
    for (size_t i = 0; i < ssgw_attack_count(); i++)
        if (!strcmp(catalogue[i].name, name)) return (int)i;
    return -1;
}

int ssgw_attack_parse_only(const char *list, uint64_t *mask, char *bad, size_t badcap)
{
    *mask = 0;
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char tok[64];
        if (n >= sizeof tok) n = sizeof tok - 1;
        memcpy(tok, p, n);
        tok[n] = '\0';
        uint64_t m = 0;
        for (size_t i = 0; i < ssgw_attack_count(); i++) {
            const char *nm = catalogue[i].name;
            size_t tl = strlen(tok);
            if (!strcmp(tok, "all") || !strcmp(tok, nm) ||
                (tl && !strncmp(nm, tok, tl) && nm[tl] == '.'))
                m |= 1ull << i;
        }
        if (!m && n) {
            if (bad && badcap) {
                strncpy(bad, tok, badcap - 1);
                bad[badcap - 1] = '\0';
            }
            return -1;
        }
        *mask |= m;
        p += n;
        if (*p == ',') p++;
    }
    return 0;
}
