/*
 * attack.c - the `ssgw attack` traffic engine (include/ssgw/attack.h).
 *
 * The network is the firewall contract's example: Albion Mobile (home, GB,
 * 23491, GTs 447924..., point code 1001) and three partners. Traffic is a
 * discrete-event simulation: scenario starts are a Poisson process whose mean
 * gap spreads the requested message count over the requested duration; each
 * started scenario takes a slot and plays its step table (below), one TCAP
 * message per step, the next step due after the step's delay (milliseconds
 * inside a dialogue, minutes between an attack's legitimate prelude and the
 * attack). The next message is always the earliest due event, so dialogues of
 * different scenarios interleave as on a real link.
 *
 * Messages follow 3GPP TS 29.002 procedures (clause 19 location management:
 * sendAuthenticationInfo then updateLocation with insertSubscriberData inside
 * the same dialogue; clause 23 MT SMS: sendRoutingInfoForSM then
 * mt-forwardSM; USSD and supplementary services with the MAP-OpenInfo
 * destinationReference = IMSI, clause 7.3.1) in the application contexts of
 * clause 17.3.3, over ITU TCAP (Q.773), SCCP UDT class 1 with GTI 4 global
 * titles (Q.713) and M3UA DATA (RFC 4666).
 *
 * Calls are ISUP (Q.763/Q.764 basic call: IAM, ACM, ANM, REL, RLC on one circuit between
 * two exchanges' point codes, SI 5), short messages carry SMS-DELIVER TPDUs (TS 23.040) with
 * a sender and a text. The call and spam attacks are patterns over many messages (a
 * calling number dialling through numbers, short calls, floods, one text to many): their
 * instances repeat a call or a message, and a wangiri's calls stop being answered once the
 * pattern is established (as when a firewall releases them).
 *
 * The subscriber model keeps what a firewall learns: for our subscribers the
 * partner network they are registered in, when they last moved (so travel
 * between countries is always many hours apart) and whether an operation is
 * in flight on them; for the partners' subscribers whether they are
 * registered in our VLR.
 */
#include "ssgw/attack.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/ansi_tcap.h"
#include "ssgw/ber.h"
#include "ssgw/cap.h"
#include "ssgw/gen.h"
#include "ssgw/isup.h"
#include "ssgw/m3ua.h"
#include "ssgw/map.h"
#include "ssgw/map_msg.h"
#include "ssgw/sccp.h"
#include "ssgw/scmg.h"
#include "ssgw/sms.h"
#include "ssgw/tcap.h"

/* ------------------------------------------------------------------ */
/* The example network (firewall contract) */

#define HOME_PC     1001
#define ATTACKER_PC 2009
#define NPARTNERS   3

enum { SSN_HLR = 6, SSN_VLR = 7, SSN_MSC = 8, SSN_SMSC = 8, SSN_GMLC = 145, SSN_SCF = 147 };

/* Node kinds, in the order of the per-network GT arrays. */
enum { K_HLR, K_VLR, K_MSC, K_SMSC, K_SCF, K_GMLC, K_COUNT };
static const uint8_t kind_ssn[K_COUNT] = {SSN_HLR, SSN_VLR, SSN_MSC, SSN_SMSC, SSN_SCF, SSN_GMLC};
static const char *const kind_suffix[K_COUNT] = {"000001", "000010", "000011",
                                                 "000020", "000030", "000040"};

typedef struct {
    const char *name;
    const char *mccmnc;
    const char *prefix; /* GT and MSISDN range */
    uint16_t pc;
} network;

static const network home_net = {"Albion Mobile", "23491", "447924", HOME_PC};
static const network partners[NPARTNERS] = {
    {"Safari Mobile", "63902", "254722", 2001},
    {"Rhein Telekom", "26201", "491710", 2002},
    {"Lagos Mobile", "62130", "234803", 2003},
};
enum { SAFARI, RHEIN, LAGOS };

/* Attackers: GT ranges of no partner (satellite 882-34, Spanish, Ecuadorian mobile). */
static const char *const attacker_prefixes[] = {"88234", "3460", "5939"};

/* A signalling endpoint as seen on the wire. */
typedef struct {
    char gt[16];
    uint8_t ssn;
    uint16_t pc;
} node;

/* ------------------------------------------------------------------ */
/* Scenario tables */

/* Who sends/receives a step: a network (home, bound partner P, other partner
 * Q) and a node kind, or the scenario's attack source / its target. */
enum { W_H = 0, W_P = 1, W_Q = 2, W_SRC = 3, W_DST = 4 };
#define ROLE(w, k) (uint8_t)((w) << 4 | (k))
#define H(k)       ROLE(W_H, K_##k)
#define P(k)       ROLE(W_P, K_##k)
#define Q(k)       ROLE(W_Q, K_##k)
#define SRC        ROLE(W_SRC, 0)
#define DST        ROLE(W_DST, 0)

/* Step flags. */
enum {
    F_ATTACK = 1u << 0,   /* the labelled attack message */
    F_PRELUDE = 1u << 1,  /* legitimate set-up, skipped when the state already exists */
    F_OPENINFO = 1u << 2, /* AARQ carries MAP-OpenInfo (destinationReference = IMSI) */
    F_FORGED = 1u << 3,   /* Continue/End/Abort with a transaction id nobody began */
    F_REPEAT = 1u << 4,   /* repeated inst->repeat times (new dialogue each time) */
    /* state changes, applied when the step is emitted */
    F_UL_DONE = 1u << 5,      /* our subscriber registered at P's VLR */
    F_HOME = 1u << 6,         /* our subscriber back home (cancelLocation from our HLR) */
    F_PURGED = 1u << 7,       /* our subscriber purged from P's VLR */
    F_IN_REG = 1u << 8,       /* partner subscriber registered in our VLR */
    F_IN_UNREG = 1u << 9,     /* partner subscriber left our VLR */
    F_NOANSWER = 1u << 10,    /* (informative) attack gets no answer */
    F_LOOP = 1u << 11,        /* the last step of a call: the next call of the instance (step 0)
                                 while inst->repeat > 1 */
    F_NEWSUB = 1u << 12,      /* repeated to a new recipient each time */
    F_CALL = 1u << 13,        /* an attack call's IAM: once inst->complete calls were completed,
                                 the rest of each call is not sent (released) */
    F_NO_DIALOGUE = 1u << 14, /* MAP v1: the dialogue has no dialogue portion */
    F_HIJACK = 1u << 15,      /* an answer to the dialogue from the attack's source, as if it
                                 were the dialogue's responder (the real one answers later) */
};

/* What a step's message is beside MAP as TS 29.002 has it (issue 11): the shapes a
 * firewall must classify, and the other SCCP and TCAP users. */
enum {
    SH_MAP = 0,     /* MAP in its context */
    SH_FSM_MT,      /* forwardSM (46, MAP v1/v2) carrying a short message to the MS */
    SH_BAD_VERSION, /* MAP context named with a version that does not exist (9) */
    SH_PRIVATE_AC,  /* the operation under a private context (a TCAP user no table knows) */
    SH_GLOBAL_OP,   /* the operation as a global (object identifier) code */
    SH_UNKNOWN_OP,  /* an unallocated local code (99) carrying the operation's argument */
    SH_CAP,         /* CAP (TS 29.078): op is a CAP operation, ac a CAP context */
    SH_SCMG,        /* SCCP management on SSN 1: op is the message type (Q.713 5.3) */
    SH_ANSI,        /* ANSI TCAP query carrying ANSI-41 operation op (family 9) */
    SH_HIDDEN,      /* the invoke, then a second one of op about a subscriber of the sender's
                       network (inst->q): a component hiding behind another */
    SH_FSM_DA_MIX,  /* SH_FSM_MT with an MSISDN as sm-RP-OA: sm-RP-DA (an IMSI) sends it to
                       the MS, sm-RP-OA claims it comes from one */
};

enum { T_BEGIN = 2, T_END = 4, T_CONT = 5, T_ABORT = 7 };
enum { C_NONE = 0, C_INV = 1, C_RES = 2 };

typedef struct {
    uint8_t dlg; /* dialogue of the scenario (0..3) */
    uint8_t from, to;
    uint8_t tcap, comp;
    int8_t op;       /* ssgw_map_opcode; SSGW_MAP_OP_NONE: the instance's (inst->op) */
    uint8_t ac, ver; /* application context of a Begin (ssgw_map_ac); 0: the dialogue's or,
                        for a variant's operation, the instance's */
    uint16_t flags;
    uint32_t gap_lo, gap_hi; /* delay before this step, ms */
    uint8_t shape;           /* SH_*; SH_MAP for a V step: the instance's (inst->shape) */
    uint8_t isup;            /* an ISUP message of the instance's call (Q.763 type); 0: TCAP */
} step;

/* A step that opens a dialogue: operation o in context a, version v (names of include/ssgw/map.h
 * without their prefix). */
#define S(d, f, t, tc, c, o, a, v, fl, lo, hi)                                                     \
    {                                                                                              \
        d, f, t, T_##tc, C_##c, SSGW_MAP_OP_##o, SSGW_MAP_AC_##a, v, fl, lo, hi, 0, 0              \
    }
/* A step inside the dialogue (its context and version). */
#define R(d, f, t, tc, c, o, fl, lo, hi)                                                           \
    {                                                                                              \
        d, f, t, T_##tc, C_##c, SSGW_MAP_OP_##o, 0, 0, fl, lo, hi, 0, 0                            \
    }
/* A step whose operation and context the scenario's variant chooses (inst->op/ac/ver). */
#define V(d, f, t, tc, c, fl, lo, hi)                                                              \
    {                                                                                              \
        d, f, t, T_##tc, C_##c, SSGW_MAP_OP_NONE, 0, 0, fl, lo, hi, 0, 0                           \
    }
/* S and R with a shape (SH_*). */
#define SX(d, f, t, tc, c, o, a, v, fl, lo, hi, sh)                                                \
    {                                                                                              \
        d, f, t, T_##tc, C_##c, SSGW_MAP_OP_##o, SSGW_MAP_AC_##a, v, fl, lo, hi, sh, 0             \
    }
#define RX(d, f, t, tc, c, o, fl, lo, hi, sh)                                                      \
    {                                                                                              \
        d, f, t, T_##tc, C_##c, SSGW_MAP_OP_##o, 0, 0, fl, lo, hi, sh, 0                           \
    }
/* CAP: invoke of operation o (ssgw_cap_opcode without its prefix) opening a dialogue in context
 * a (ssgw_cap_ac without its prefix), and inside the dialogue. */
#define CS(d, f, t, o, a, fl, lo, hi)                                                              \
    {                                                                                              \
        d, f, t, T_BEGIN, C_INV, SSGW_CAP_OP_##o, SSGW_CAP_AC_##a, 0, fl, lo, hi, SH_CAP, 0        \
    }
#define CR(d, f, t, tc, o, fl, lo, hi)                                                             \
    {                                                                                              \
        d, f, t, T_##tc, C_INV, SSGW_CAP_OP_##o, 0, 0, fl, lo, hi, SH_CAP, 0                       \
    }
/* SCCP management message m (ssgw_scmg_type without its prefix); the affected subsystem is
 * the instance's (inst->scmg_ssn, scmg_pc). */
#define MG(d, f, t, m, fl, lo, hi)                                                                 \
    {                                                                                              \
        d, f, t, 0, C_NONE, SSGW_SCMG_##m, 0, 0, fl, lo, hi, SH_SCMG, 0                            \
    }
/* An ISUP message of the instance's call between two exchanges (node kind MSC). */
#define I(f, t, type, fl, lo, hi)                                                                  \
    {                                                                                              \
        0, f, t, 0, 0, SSGW_MAP_OP_NONE, 0, 0, fl, lo, hi, SH_MAP, SSGW_ISUP_##type                \
    }

#define MIN_  60000u
#define HOUR_ 3600000u

/* Preconditions on the subscriber a scenario is about. */
enum {
    N_HOME_ANY,     /* any of our subscribers */
    N_HOME_AT_HOME, /* ours, not registered abroad */
    N_HOME_ROAMING, /* ours, registered at a partner VLR (P = that partner) */
    N_HOME_RECENT,  /* ours, registered at P within the last 20 minutes */
    N_HOME_ATTACH,  /* ours, about to register at P (P chosen so travel is plausible) */
    N_HOME_SETTLED, /* ours, registered at P and there for at least MIN_TRAVEL */
    N_IN_REG,       /* a partner subscriber registered in our VLR (P = its network) */
    N_IN_UNREG,     /* a partner subscriber not in our VLR */
    N_IN_ANY,       /* any partner subscriber */
};

typedef struct scenario scenario;
struct inst;
typedef void (*setup_fn)(struct ssgw_attack_gen *g, struct inst *in);

struct scenario {
    const char *name;
    const char *prelude; /* label of its legitimate messages (attacks; NULL: "roam.attach") */
    int attack;          /* catalogue index, -1 legit */
    uint8_t need;
    uint8_t fallback; /* when need cannot be met: N_HOME_ATTACH runs the prelude */
    unsigned weight;  /* legit: relative frequency */
    const step *steps;
    size_t n_steps;
    setup_fn setup;
};

/* The legitimate UL procedure, used as a flow and as attack prelude. */
#define ATTACH_STEPS(fl, gap_first_lo, gap_first_hi)                                               \
    S(0, P(VLR), H(HLR), BEGIN, INV, SEND_AUTHENTICATION_INFO, INFO_RETRIEVAL, 3, fl,              \
      gap_first_lo, gap_first_hi),                                                                 \
        R(0, H(HLR), P(VLR), END, RES, SEND_AUTHENTICATION_INFO, fl, 15, 120),                     \
        S(1, P(VLR), H(HLR), BEGIN, INV, UPDATE_LOCATION, NETWORK_LOC_UP, 3, fl, 150, 1500),       \
        R(1, H(HLR), P(VLR), CONT, INV, INSERT_SUBSCRIBER_DATA, fl, 20, 150),                      \
        R(1, P(VLR), H(HLR), CONT, RES, INSERT_SUBSCRIBER_DATA, fl, 20, 150),                      \
        R(1, H(HLR), P(VLR), END, RES, UPDATE_LOCATION, (fl) | F_UL_DONE, 10, 100)

static const step st_attach[] = {ATTACH_STEPS(0, 0, 0)};
static const step st_return_home[] = {
    S(0, H(HLR), P(VLR), BEGIN, INV, CANCEL_LOCATION, LOCATION_CANCELLATION, 3, 0, 0, 0),
    R(0, P(VLR), H(HLR), END, RES, CANCEL_LOCATION, F_HOME, 20, 200),
};
static const step st_sms_home[] = {
    S(0, Q(SMSC), H(HLR), BEGIN, INV, SEND_ROUTING_INFO_FOR_SM, SHORT_MSG_GATEWAY, 3, 0, 0, 0),
    R(0, H(HLR), Q(SMSC), END, RES, SEND_ROUTING_INFO_FOR_SM, 0, 10, 100),
    S(1, Q(SMSC), H(MSC), BEGIN, INV, MT_FORWARD_SM, SHORT_MSG_MT_RELAY, 3, 0, 100, 2000),
    R(1, H(MSC), Q(SMSC), END, RES, MT_FORWARD_SM, 0, 200, 3000),
};
static const step st_sms_roaming[] = {
    S(0, Q(SMSC), H(HLR), BEGIN, INV, SEND_ROUTING_INFO_FOR_SM, SHORT_MSG_GATEWAY, 3, 0, 0, 0),
    R(0, H(HLR), Q(SMSC), END, RES, SEND_ROUTING_INFO_FOR_SM, 0, 10, 100),
};
static const step st_ussd[] = {
    S(0, P(VLR), H(HLR), BEGIN, INV, PROCESS_UNSTRUCTURED_SS_REQUEST, NETWORK_UNSTRUCTURED_SS, 2,
      F_OPENINFO, 0, 0),
    R(0, H(HLR), P(VLR), END, RES, PROCESS_UNSTRUCTURED_SS_REQUEST, 0, 300, 4000),
};
static const step st_register_ss[] = {
    S(0, P(VLR), H(HLR), BEGIN, INV, REGISTER_SS, NETWORK_FUNCTIONAL_SS, 2, F_OPENINFO, 0, 0),
    R(0, H(HLR), P(VLR), END, RES, REGISTER_SS, 0, 20, 300),
};
static const step st_purge[] = {
    S(0, P(VLR), H(HLR), BEGIN, INV, PURGE_MS, MS_PURGING, 3, 0, 0, 0),
    R(0, H(HLR), P(VLR), END, RES, PURGE_MS, F_PURGED, 10, 150),
};
static const step st_prn_out[] = {
    S(0, H(HLR), P(VLR), BEGIN, INV, PROVIDE_ROAMING_NUMBER, ROAMING_NUMBER_ENQUIRY, 3, 0, 0, 0),
    R(0, P(VLR), H(HLR), END, RES, PROVIDE_ROAMING_NUMBER, 0, 20, 400),
};
static const step st_isd_out[] = {
    S(0, H(HLR), P(VLR), BEGIN, INV, INSERT_SUBSCRIBER_DATA, SUBSCRIBER_DATA_MNGT, 3, 0, 0, 0),
    R(0, P(VLR), H(HLR), END, RES, INSERT_SUBSCRIBER_DATA, 0, 20, 300),
};
static const step st_in_attach[] = {
    S(0, H(VLR), P(HLR), BEGIN, INV, SEND_AUTHENTICATION_INFO, INFO_RETRIEVAL, 3, 0, 0, 0),
    R(0, P(HLR), H(VLR), END, RES, SEND_AUTHENTICATION_INFO, 0, 30, 300),
    S(1, H(VLR), P(HLR), BEGIN, INV, UPDATE_LOCATION, NETWORK_LOC_UP, 3, 0, 150, 1500),
    R(1, P(HLR), H(VLR), CONT, INV, INSERT_SUBSCRIBER_DATA, 0, 30, 300),
    R(1, H(VLR), P(HLR), CONT, RES, INSERT_SUBSCRIBER_DATA, 0, 10, 100),
    R(1, P(HLR), H(VLR), END, RES, UPDATE_LOCATION, F_IN_REG, 30, 300),
};
static const step st_in_isd[] = {
    S(0, P(HLR), H(VLR), BEGIN, INV, INSERT_SUBSCRIBER_DATA, SUBSCRIBER_DATA_MNGT, 3, 0, 0, 0),
    R(0, H(VLR), P(HLR), END, RES, INSERT_SUBSCRIBER_DATA, 0, 10, 100),
};
static const step st_in_psi[] = {
    S(0, P(HLR), H(VLR), BEGIN, INV, PROVIDE_SUBSCRIBER_INFO, SUBSCRIBER_INFO_ENQUIRY, 3, 0, 0, 0),
    R(0, H(VLR), P(HLR), END, RES, PROVIDE_SUBSCRIBER_INFO, 0, 20, 800),
};
static const step st_in_prn[] = {
    S(0, P(HLR), H(VLR), BEGIN, INV, PROVIDE_ROAMING_NUMBER, ROAMING_NUMBER_ENQUIRY, 3, 0, 0, 0),
    R(0, H(VLR), P(HLR), END, RES, PROVIDE_ROAMING_NUMBER, 0, 10, 150),
};
static const step st_in_dsd[] = {
    S(0, P(HLR), H(VLR), BEGIN, INV, DELETE_SUBSCRIBER_DATA, SUBSCRIBER_DATA_MNGT, 3, 0, 0, 0),
    R(0, H(VLR), P(HLR), END, RES, DELETE_SUBSCRIBER_DATA, 0, 10, 100),
};
static const step st_in_cancel[] = {
    S(0, P(HLR), H(VLR), BEGIN, INV, CANCEL_LOCATION, LOCATION_CANCELLATION, 3, 0, 0, 0),
    R(0, H(VLR), P(HLR), END, RES, CANCEL_LOCATION, F_IN_UNREG, 10, 100),
};
static const step st_in_sms[] = {
    S(0, P(SMSC), H(MSC), BEGIN, INV, MT_FORWARD_SM, SHORT_MSG_MT_RELAY, 3, 0, 0, 0),
    R(0, H(MSC), P(SMSC), END, RES, MT_FORWARD_SM, 0, 200, 3000),
};
static const step st_ati_rhein[] = {
    S(0, Q(SCF), H(HLR), BEGIN, INV, ANY_TIME_INTERROGATION, ANY_TIME_INFO_ENQUIRY, 3, 0, 0, 0),
    R(0, H(HLR), Q(SCF), END, RES, ANY_TIME_INTERROGATION, 0, 20, 500),
};
static const step st_sri_out[] = {
    S(0, H(MSC), P(HLR), BEGIN, INV, SEND_ROUTING_INFO, LOCATION_INFO_RETRIEVAL, 3, 0, 0, 0),
    R(0, P(HLR), H(MSC), END, RES, SEND_ROUTING_INFO, 0, 30, 400),
};
/* Short messages to our subscriber at home through an MSC of an older MAP version: SRI-SM,
 * then forwardSM (46) in shortMsgMT-RelayContext-v2, in shortMsgRelayContext-v1 or without
 * any dialogue portion (v1), as the instance's variant says. */
static const step st_sms_home_legacy[] = {
    S(0, Q(SMSC), H(HLR), BEGIN, INV, SEND_ROUTING_INFO_FOR_SM, SHORT_MSG_GATEWAY, 3, 0, 0, 0),
    R(0, H(HLR), Q(SMSC), END, RES, SEND_ROUTING_INFO_FOR_SM, 0, 10, 100),
    V(1, Q(SMSC), H(MSC), BEGIN, INV, 0, 100, 2000),
    RX(1, H(MSC), Q(SMSC), END, RES, MO_FORWARD_SM, 0, 200, 3000, SH_FSM_MT),
};
/* CAMEL (TS 29.078 clause 6): our subscriber roaming at P calls; P's MSC asks our gsmSCF,
 * which arms the disconnect event; the call ends; our gsmSCF lets it go. */
static const step st_cap_roam_call[] = {
    CS(0, P(MSC), H(SCF), INITIAL_DP, GSMSSF_TO_GSMSCF_V2, 0, 0, 0),
    CR(0, H(SCF), P(MSC), CONT, REQUEST_REPORT_BCSM_EVENT, 0, 20, 300),
    CR(0, P(MSC), H(SCF), CONT, EVENT_REPORT_BCSM, 0, 2000, 60000),
    CR(0, H(SCF), P(MSC), END, CONTINUE, 0, 10, 200),
};
/* A partner's subscriber here calls: our MSC asks its gsmSCF, which redirects the call
 * (Connect) and releases it later. */
static const step st_cap_in_call[] = {
    CS(0, H(MSC), P(SCF), INITIAL_DP, GSMSSF_TO_GSMSCF_V2, 0, 0, 0),
    CR(0, P(SCF), H(MSC), CONT, CONNECT, 0, 30, 400),
    CR(0, H(MSC), P(SCF), CONT, EVENT_REPORT_BCSM, 0, 2000, 60000),
    CR(0, P(SCF), H(MSC), END, RELEASE_CALL, 0, 10, 200),
};
/* SCCP management between neighbours (Q.714 5.3): a partner tests our HLR, which we had
 * announced prohibited, and we answer it is allowed; a partner announces the state of its
 * own SMSC. The affected subsystem is the instance's. */
static const step st_scmg_test[] = {
    MG(0, P(HLR), H(HLR), SST, 0, 0, 0),
    MG(0, H(HLR), P(HLR), SSA, 0, 5, 50),
};
static const step st_scmg_partner[] = {
    MG(0, P(HLR), H(HLR), SSP, 0, 0, 0),
    MG(1, P(HLR), H(HLR), SSA, 0, MIN_, 10 * MIN_),
};

/* Calls (Q.764 basic call). In: a partner's subscriber calls ours; out: ours calls a
 * partner's; unanswered: the caller gives up after ringing; roamer: our subscriber roaming
 * at P calls home with its own number. */
static const step st_call_in[] = {
    I(P(MSC), H(MSC), IAM, 0, 0, 0),        I(H(MSC), P(MSC), ACM, 0, 300, 2000),
    I(H(MSC), P(MSC), ANM, 0, 2000, 15000), I(P(MSC), H(MSC), REL, 0, 20000, 300000),
    I(H(MSC), P(MSC), RLC, 0, 5, 60),
};
static const step st_call_out[] = {
    I(H(MSC), P(MSC), IAM, 0, 0, 0),        I(P(MSC), H(MSC), ACM, 0, 300, 2000),
    I(P(MSC), H(MSC), ANM, 0, 2000, 15000), I(H(MSC), P(MSC), REL, 0, 20000, 300000),
    I(P(MSC), H(MSC), RLC, 0, 5, 60),
};
static const step st_call_unanswered[] = {
    I(P(MSC), H(MSC), IAM, 0, 0, 0),
    I(H(MSC), P(MSC), ACM, 0, 300, 2000),
    I(P(MSC), H(MSC), REL, 0, 20000, 40000),
    I(H(MSC), P(MSC), RLC, 0, 5, 60),
};

/* Attacks: one message from the scenario's source SRC to its target DST
 * (both chosen by the setup function), possibly after a legitimate prelude. */
#define ATK(op, ac, v, fl) S(2, SRC, DST, BEGIN, INV, op, ac, v, F_ATTACK | (fl), 0, 0)
#define ATK_AFTER(op, ac, v, fl, lo, hi)                                                           \
    S(2, SRC, DST, BEGIN, INV, op, ac, v, F_ATTACK | (fl), lo, hi)

static const step at_ati[] = {ATK(ANY_TIME_INTERROGATION, ANY_TIME_INFO_ENQUIRY, 3, 0)};
static const step at_sri[] = {ATK(SEND_ROUTING_INFO, LOCATION_INFO_RETRIEVAL, 3, 0)};
static const step at_psi[] = {ATK(PROVIDE_SUBSCRIBER_INFO, SUBSCRIBER_INFO_ENQUIRY, 3, 0)};
static const step at_sri_sm[] = {ATK(SEND_ROUTING_INFO_FOR_SM, SHORT_MSG_GATEWAY, 3, 0)};
static const step at_sri_sm_flood[] = {
    ATK(SEND_ROUTING_INFO_FOR_SM, SHORT_MSG_GATEWAY, 3, F_REPEAT)};
static const step at_psl[] = {ATK(PROVIDE_SUBSCRIBER_LOCATION, LOCATION_SVC_ENQUIRY, 3, 0)};
static const step at_sri_lcs[] = {ATK(SEND_ROUTING_INFO_FOR_LCS, LOCATION_SVC_GATEWAY, 3, 0)};
static const step at_ul_velocity[] = {
    ATTACH_STEPS(F_PRELUDE, 0, 0),
    ATK_AFTER(UPDATE_LOCATION, NETWORK_LOC_UP, 3, 0, 2 * MIN_, 15 * MIN_)};
static const step at_ul_vlr_mismatch[] = {
    ATTACH_STEPS(F_PRELUDE, 0, 0),
    ATK_AFTER(UPDATE_LOCATION, NETWORK_LOC_UP, 3, 0, 1 * MIN_, 60 * MIN_)};
static const step at_cf_register[] = {
    ATTACH_STEPS(F_PRELUDE, 0, 0),
    ATK_AFTER(REGISTER_SS, NETWORK_FUNCTIONAL_SS, 2, F_OPENINFO, 1 * MIN_, 30 * MIN_)};
static const step at_cf_activate[] = {
    ATTACH_STEPS(F_PRELUDE, 0, 0),
    ATK_AFTER(ACTIVATE_SS, NETWORK_FUNCTIONAL_SS, 2, F_OPENINFO, 1 * MIN_, 30 * MIN_)};
static const step at_isd[] = {ATK(INSERT_SUBSCRIBER_DATA, SUBSCRIBER_DATA_MNGT, 3, 0)};
static const step at_cancel[] = {ATK(CANCEL_LOCATION, LOCATION_CANCELLATION, 3, 0)};
static const step at_purge[] = {ATTACH_STEPS(F_PRELUDE, 0, 0),
                                ATK_AFTER(PURGE_MS, MS_PURGING, 3, 0, 1 * MIN_, 30 * MIN_)};
static const step at_dsd[] = {ATK(DELETE_SUBSCRIBER_DATA, SUBSCRIBER_DATA_MNGT, 3, 0)};
static const step at_send_imsi[] = {ATK(SEND_IMSI, IMSI_RETRIEVAL, 2, 0)};
static const step at_sai[] = {
    ATTACH_STEPS(F_PRELUDE, 0, 0),
    ATK_AFTER(SEND_AUTHENTICATION_INFO, INFO_RETRIEVAL, 3, 0, 1 * MIN_, 15 * MIN_)};
static const step at_send_ident[] = {ATK(SEND_IDENTIFICATION, INTER_VLR_INFO_RETRIEVAL, 3, 0)};
static const step at_ussd[] = {ATTACH_STEPS(F_PRELUDE, 0, 0),
                               ATK_AFTER(PROCESS_UNSTRUCTURED_SS_REQUEST, NETWORK_UNSTRUCTURED_SS,
                                         2, F_OPENINFO, 1 * MIN_, 30 * MIN_)};
static const step at_sms_spoof[] = {ATK(MT_FORWARD_SM, SHORT_MSG_MT_RELAY, 3, 0)};
static const step at_sms_no_sri[] = {ATK(MT_FORWARD_SM, SHORT_MSG_MT_RELAY, 3, 0)};
static const step at_atm[] = {ATK(ANY_TIME_MODIFICATION, ANY_TIME_INFO_HANDLING, 3, 0)};
/* peer mismatch / not home network / ssn mismatch: op chosen per variant (inst->op) */

/* Calls and spam: a spoofed or invalid calling number (one IAM, released), a robocall run
 * (one IAM per number, repeated), wangiri (calls released by the caller after a ring,
 * repeated; once the pattern stands the calls are released by the firewall, so they end at
 * their IAM), smishing and SMS spam (mt-forwardSM with a TPDU, the protected sender's after
 * an SRI-SM the attacker's SMSC got answered). */
static const step at_call[] = {I(SRC, DST, IAM, F_ATTACK, 0, 0)};
static const step at_robocall[] = {I(SRC, DST, IAM, F_ATTACK | F_REPEAT | F_NEWSUB, 0, 0)};
static const step at_wangiri[] = {
    I(SRC, DST, IAM, F_ATTACK | F_CALL, 0, 0),
    I(DST, SRC, ACM, 0, 200, 900),
    I(SRC, DST, REL, 0, 1500, 4000),
    I(DST, SRC, RLC, F_LOOP, 5, 60),
};
static const step at_smish_sender[] = {
    S(0, SRC, H(HLR), BEGIN, INV, SEND_ROUTING_INFO_FOR_SM, SHORT_MSG_GATEWAY, 3, 0, 0, 0),
    R(0, H(HLR), SRC, END, RES, SEND_ROUTING_INFO_FOR_SM, 0, 10, 100),
    ATK_AFTER(MT_FORWARD_SM, SHORT_MSG_MT_RELAY, 3, 0, 100, 2000)};
static const step at_sms[] = {ATK(MT_FORWARD_SM, SHORT_MSG_MT_RELAY, 3, 0)};
/* A concatenated message of two segments, each its own mt-forwardSM dialogue: the first to
 * arrive carries half a link and is answered like any short message; the one that completes
 * the link is the attack (a firewall that joins the segments sees it there). */
static const step at_sms_split[] = {
    S(0, SRC, DST, BEGIN, INV, MT_FORWARD_SM, SHORT_MSG_MT_RELAY, 3, 0, 0, 0),
    R(0, DST, SRC, END, RES, MT_FORWARD_SM, 0, 10, 100),
    ATK_AFTER(MT_FORWARD_SM, SHORT_MSG_MT_RELAY, 3, 0, 200, 3000)};
static const step at_sms_flood[] = {ATK(MT_FORWARD_SM, SHORT_MSG_MT_RELAY, 3, F_REPEAT)};
static const step at_sms_campaign[] = {
    ATK(MT_FORWARD_SM, SHORT_MSG_MT_RELAY, 3, F_REPEAT | F_NEWSUB)};
/* The partner subscriber's registration in our VLR, as attack prelude. */
#define IN_ATTACH_STEPS                                                                            \
    S(0, H(VLR), P(HLR), BEGIN, INV, SEND_AUTHENTICATION_INFO, INFO_RETRIEVAL, 3, F_PRELUDE, 0,    \
      0),                                                                                          \
        R(0, P(HLR), H(VLR), END, RES, SEND_AUTHENTICATION_INFO, F_PRELUDE, 30, 300),              \
        S(1, H(VLR), P(HLR), BEGIN, INV, UPDATE_LOCATION, NETWORK_LOC_UP, 3, F_PRELUDE, 150,       \
          1500),                                                                                   \
        R(1, P(HLR), H(VLR), CONT, INV, INSERT_SUBSCRIBER_DATA, F_PRELUDE, 30, 300),               \
        R(1, H(VLR), P(HLR), CONT, RES, INSERT_SUBSCRIBER_DATA, F_PRELUDE, 10, 100),               \
        R(1, P(HLR), H(VLR), END, RES, UPDATE_LOCATION, F_PRELUDE | F_IN_REG, 30, 300)
static const step at_var_begin[] = {IN_ATTACH_STEPS,
                                    V(2, SRC, DST, BEGIN, INV, F_ATTACK, MIN_, 60 * MIN_)};
static const step at_unknown_dialogue[] = {
    IN_ATTACH_STEPS, V(2, SRC, DST, CONT, INV, F_ATTACK | F_FORGED, MIN_, 60 * MIN_)};

/* Issue 11: what a firewall must classify, and the other TCAP and SCCP users. */
#define ATKX(op, ac, v, fl, sh) SX(2, SRC, DST, BEGIN, INV, op, ac, v, F_ATTACK | (fl), 0, 0, sh)
static const step at_unknown_user[] = {
    ATKX(ANY_TIME_INTERROGATION, ANY_TIME_INFO_ENQUIRY, 3, 0, SH_PRIVATE_AC)};
static const step at_unknown_context[] = {
    ATKX(ANY_TIME_INTERROGATION, ANY_TIME_INFO_ENQUIRY, 3, 0, SH_BAD_VERSION)};
static const step at_map_v1[] = {
    ATKX(SEND_ROUTING_INFO_FOR_SM, SHORT_MSG_GATEWAY, 1, F_NO_DIALOGUE, SH_MAP)};
static const step at_global_op[] = {
    ATKX(ANY_TIME_INTERROGATION, ANY_TIME_INFO_ENQUIRY, 3, 0, SH_GLOBAL_OP)};
static const step at_unknown_op[] = {
    ATKX(ANY_TIME_INTERROGATION, ANY_TIME_INFO_ENQUIRY, 3, 0, SH_UNKNOWN_OP)};
static const step at_out_of_context[] = {ATK(ANY_TIME_INTERROGATION, NETWORK_LOC_UP, 3, 0)};
/* ANSI-41 LocationRequest (specifier 15) in a Query with permission */
static const step at_ansi[] = {{2, SRC, DST, T_BEGIN, C_INV, 15, 0, 0, F_ATTACK, 0, 0, SH_ANSI, 0}};
static const step at_scmg[] = {
    {2, SRC, DST, 0, C_NONE, SSGW_MAP_OP_NONE, 0, 0, F_ATTACK, 0, 0, SH_SCMG, 0}};
static const step at_var_cap[] = {
    {2, SRC, DST, T_BEGIN, C_INV, SSGW_MAP_OP_NONE, 0, 0, F_ATTACK, 0, 0, SH_CAP, 0}};
static const step at_sms_legacy[] = {V(2, SRC, DST, BEGIN, INV, F_ATTACK, 0, 0)};
static const step at_hidden[] = {
    ATKX(INSERT_SUBSCRIBER_DATA, SUBSCRIBER_DATA_MNGT, 3, 0, SH_HIDDEN)};
static const step at_cap_ssn[] = {
    ATKX(ANY_TIME_INTERROGATION, ANY_TIME_INFO_ENQUIRY, 3, F_NO_DIALOGUE, SH_MAP)};
/* our GMSC asks a partner's HLR where its subscriber is (sendRoutingInfo); someone else
 * answers first with a roaming number of its own (the calls go there), then the HLR */
static const step at_hijack[] = {
    S(0, H(MSC), P(HLR), BEGIN, INV, SEND_ROUTING_INFO, LOCATION_INFO_RETRIEVAL, 3, 0, 0, 0),
    {0, SRC, H(MSC), T_END, C_RES, SSGW_MAP_OP_SEND_ROUTING_INFO, 0, 0, F_ATTACK | F_HIJACK, 5, 25,
     0, 0},
    R(0, P(HLR), H(MSC), END, RES, SEND_ROUTING_INFO, 0, 30, 400),
};
/* our HLR routes a short message to our subscriber at home (our MSC), and minutes later a
 * location update claims the subscriber is abroad */
static const step at_ul_at_home[] = {
    S(0, Q(SMSC), H(HLR), BEGIN, INV, SEND_ROUTING_INFO_FOR_SM, SHORT_MSG_GATEWAY, 3, 0, 0, 0),
    R(0, H(HLR), Q(SMSC), END, RES, SEND_ROUTING_INFO_FOR_SM, 0, 10, 100),
    ATK_AFTER(UPDATE_LOCATION, NETWORK_LOC_UP, 3, 0, 2 * MIN_, 15 * MIN_)};

/* ------------------------------------------------------------------ */
/* Generator state */

typedef struct {
    uint32_t last_move; /* simulated seconds it was last seen in its country (0: never) */
    uint32_t last_ul;   /* of the last registration */
    uint32_t last_sri;  /* of the last sendRoutingInfoForSM */
    int8_t partner;     /* where registered or last seen abroad; -1 never abroad */
    uint8_t attached;   /* registered at partner's VLR now */
    uint8_t busy;       /* a scenario is using it */
} home_sub;

typedef struct {
    uint8_t reg;
    uint8_t busy;
} in_sub;

typedef struct {
    uint32_t a, b; /* initiator's and responder's transaction ids */
    uint8_t init_who, responded;
    uint8_t ac, ver; /* application context proposed in the AARQ */
    uint8_t shape;   /* SH_MAP, SH_CAP, ...: what names the context */
    bool nodlg;      /* MAP v1: no dialogue portion in the dialogue */
    uint64_t no;
} dlg_state;

typedef struct inst {
    bool used;
    const scenario *sc;
    size_t step;
    unsigned repeat;
    uint64_t due_us;
    uint64_t id;
    int variant;
    bool home_sub; /* sub indexes home_subs (else partner p's subscribers) */
    uint32_t sub;
    int p, q;
    bool skip_prelude;
    uint16_t p_pc; /* P's point code as seen (spoofed: 2009) */
    uint8_t src_ssn_override;
    node src, dst;       /* attack source and target */
    int8_t op;           /* attack operation for variant steps (V), SSGW_MAP_OP_NONE: none */
    uint8_t ac, ver;     /* its application context and version */
    uint8_t tcap_forged; /* T_CONT / T_END / T_ABORT */
    uint8_t shape;       /* for variant steps: SH_* (inst->op's shape) */
    bool nodlg;          /* for variant steps: no dialogue portion (MAP v1) */
    uint8_t scmg_ssn;    /* SCCP management: the affected subsystem and its point code */
    uint16_t scmg_pc;
    dlg_state dlg[3];
    /* MAP content */
    char imsi[16], msisdn[16];
    char vlr[16], msc[16];         /* serving VLR/MSC numbers carried in the content */
    char atk_vlr[16], atk_msc[16]; /* the attack's own VLR/MSC numbers (updateLocation) */
    char hlr[16], smsc[16], scf[16], mlc[16], ftn[16], msrn[16];
    uint8_t ss_code;
    /* a call: its circuit, numbers, screening; repeated calls and messages */
    uint16_t cic;
    char cg_num[16], cd_num[16];
    uint8_t screening;
    uint8_t rel_cause;
    unsigned calls_done, complete; /* completed calls; calls that complete (F_CALL) */
    uint32_t seq; /* a repeating attack's recipients: consecutive subscribers from here */
    uint32_t rep_gap_lo, rep_gap_hi; /* ms between repeats (0: 200..4000) */
    /* a short message: sender (alphanumeric when it has letters) and text */
    char sms_sender[16];
    char sms_text[160];
    /* a text sent as two segments of a concatenated message (TS 23.040 9.2.3.24.1): split
     * at octet sms_split (0: one message), reference sms_ref; sms_reverse: the second
     * segment is sent first */
    uint8_t sms_split, sms_ref;
    bool sms_reverse;
} inst;

struct ssgw_attack_gen {
    ssgw_attack_opts o;
    ssgw_rng rng;
    uint64_t now_us;
    uint64_t next_start_us;
    double mean_gap_us;
    uint64_t index;
    uint64_t n_attack_msgs;
    uint64_t next_inst, next_dlg;
    uint32_t tid_counter, forged_counter;
    inst slots[SSGW_ATTACK_SLOTS];
    home_sub *home;             /* n_home of them */
    in_sub *roam_in[NPARTNERS]; /* n_partner each */
    uint32_t legit_total_weight;
    uint32_t n_home, n_partner; /* active population (scaled to the count) */
    int allowed[64];
    size_t n_allowed;
    uint8_t param_mem[1024];
    uint8_t hidden_mem[1024]; /* the second component's parameter (SH_HIDDEN) */
    uint8_t tpdu_mem[200];
    uint16_t cic_next[NPARTNERS + 1]; /* next circuit per far end (partners, attackers) */
    uint8_t oi_mem[96];
    uint8_t oid_mem[16];

    ssgw_map_fields f;
    ssgw_cap_fields capf;
};

/* ------------------------------------------------------------------ */
/* Helpers */

/* Copies a NUL-terminated string, truncating to cap - 1. */
static void scpy(char *d, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (n >= cap) n = cap - 1;
    memcpy(d, s, n);
    d[n] = '\0';
}

static uint32_t sec_of(const ssgw_attack_gen *g)
{
    return (uint32_t)(g->now_us / 1000000u);
}

static void net_gt(const network *n, int kind, char *out)
{
    snprintf(out, 16, "%s%s", n->prefix, kind_suffix[kind]);
}

static void home_ids(uint32_t i, char *imsi, char *msisdn)
{
    uint64_t v = (3000000000ull + (uint64_t)i * 7919u) % 10000000000ull;
    snprintf(imsi, 16, "23491%010llu", (unsigned long long)v);
    snprintf(msisdn, 16, "447924%06u", 100000u + i);
}

static void partner_ids(int p, uint32_t i, char *imsi, char *msisdn)
{
    uint64_t v = (5000000000ull + (uint64_t)i * 6007u) % 10000000000ull;
    snprintf(imsi, 16, "%s%010llu", partners[p].mccmnc, (unsigned long long)v);
    snprintf(msisdn, 16, "%s%06u", partners[p].prefix, 100000u + i);
}

static uint32_t mix32(uint32_t x)
{
    x *= 0x9e3779b1u;
    x ^= x >> 15;
    x *= 0x85ebca77u;
    x ^= x >> 13;
    return x;
}

static uint32_t rand_between(ssgw_rng *r, uint32_t lo, uint32_t hi)
{
    return hi > lo ? lo + ssgw_rng_below(r, hi - lo + 1) : lo;
}

static void attacker_gt(ssgw_rng *r, char *out)
{
    const char *pre = attacker_prefixes[ssgw_rng_below(r, 3)];
    ssgw_rng_digits(r, pre, 11 - strlen(pre) + 1, out, 16);
}

static void set_node(node *n, const char *gt, uint8_t ssn, uint16_t pc)
{
    scpy(n->gt, sizeof n->gt, gt);
    n->ssn = ssn;
    n->pc = pc;
}

/* Minimum time between registrations in two different countries. Every pair of
 * the example network's countries is at least 4 hours of travel apart; 20 hours
 * keeps any sensible velocity table satisfied. */
#define MIN_TRAVEL_S (20u * 3600u)
/* Legitimate sendRoutingInfoForSM for one MSISDN: at most one per 30 minutes
 * (after any other, attacks included), far below any rate limit. */
#define LEGIT_SRI_GAP_S (30u * 60u)

/* ------------------------------------------------------------------ */
/* Subscriber selection */

static bool pick_home(ssgw_attack_gen *g, inst *in, int need)
{
    uint32_t now = sec_of(g);
    for (int tries = 0; tries < 24; tries++) {
        uint32_t i = ssgw_rng_below(&g->rng, g->n_home);
        home_sub *s = &g->home[i];
        if (s->busy) continue;
        bool ok = false;
        switch (need) {
        case N_HOME_ANY:
            ok = true;
            break;
        case N_HOME_AT_HOME:
            ok = !s->attached && s->partner < 0;
            break;
        case N_HOME_ROAMING:
            ok = s->attached;
            break;
        case N_HOME_RECENT:
            ok = s->attached && now - s->last_ul < 20 * 60;
            break;
        case N_HOME_SETTLED:
            ok = s->attached && now - s->last_move >= MIN_TRAVEL_S;
            break;
        case N_HOME_ATTACH:
            /* back home recently: cannot be abroad yet */
            ok = !(s->partner < 0 && s->last_move && now - s->last_move < MIN_TRAVEL_S);
            break;
        }
        if (!ok) continue;
        in->home_sub = true;
        in->sub = i;
        if (need == N_HOME_ATTACH) {
            /* Same network any time; another country only after plausible travel. */
            if (s->partner >= 0 && s->last_move && now - s->last_move < MIN_TRAVEL_S)
                in->p = s->partner;
            else
                in->p = (int)ssgw_rng_below(&g->rng, NPARTNERS);
        } else if (s->partner >= 0 && s->attached) {
            in->p = s->partner;
        }
        return true;
    }
    return false;
}

static bool pick_in(ssgw_attack_gen *g, inst *in, int need, int want_p)
{
    for (int tries = 0; tries < 24; tries++) {
        int p = want_p >= 0 ? want_p : (int)ssgw_rng_below(&g->rng, NPARTNERS);
        uint32_t i = ssgw_rng_below(&g->rng, g->n_partner);
        in_sub *s = &g->roam_in[p][i];
        if (s->busy) continue;
        if ((need == N_IN_REG && !s->reg) || (need == N_IN_UNREG && s->reg)) continue;
        in->home_sub = false;
        in->p = p;
        in->sub = i;
        return true;
    }
    return false;
}

/* Fills the content identities from the bound subscriber and partner. */
static void bind_content(inst *in)
{
    if (in->home_sub) {
        home_ids(in->sub, in->imsi, in->msisdn);
        net_gt(&home_net, K_HLR, in->hlr);
        if (in->p >= 0) {
            net_gt(&partners[in->p], K_VLR, in->vlr);
            net_gt(&partners[in->p], K_MSC, in->msc);
        } else {
            net_gt(&home_net, K_VLR, in->vlr);
            net_gt(&home_net, K_MSC, in->msc);
        }
    } else {
        partner_ids(in->p, in->sub, in->imsi, in->msisdn);
        net_gt(&partners[in->p], K_HLR, in->hlr);
        net_gt(&home_net, K_VLR, in->vlr);
        net_gt(&home_net, K_MSC, in->msc);
    }
}

/* ------------------------------------------------------------------ */
/* Scenario setup functions: choose variant, source, target, content */

static int other_partner(ssgw_attack_gen *g, int p)
{
    if (p < 0) return (int)ssgw_rng_below(&g->rng, NPARTNERS);
    return (p + 1 + (int)ssgw_rng_below(&g->rng, NPARTNERS - 1)) % NPARTNERS;
}

/* Every node of the example network, built once (same values every time). */
static node home_nodes[K_COUNT];
static node partner_nodes[NPARTNERS][K_COUNT];

static void build_nodes(void)
{
    char gt[16];
    for (int k = 0; k < K_COUNT; k++) {
        net_gt(&home_net, k, gt);
        set_node(&home_nodes[k], gt, kind_ssn[k], HOME_PC);
        for (int p = 0; p < NPARTNERS; p++) {
            net_gt(&partners[p], k, gt);
            set_node(&partner_nodes[p][k], gt, kind_ssn[k], partners[p].pc);
        }
    }
}

static void home_node(node *n, int kind)
{
    *n = home_nodes[kind];
}

static void partner_node(node *n, int p, int kind)
{
    *n = partner_nodes[p][kind];
}

/* Source: an attacker GT on point code 2009 (variant 0) or a partner's node on
 * its own point code (variant 1, a partner abused or compromised; never Rhein
 * for ATI, which has the agreement). */
static void src_attacker_or_partner(ssgw_attack_gen *g, inst *in, int kind, int avoid)
{
    char gt[16];
    if (in->variant == 0) {
        attacker_gt(&g->rng, gt);
        set_node(&in->src, gt, kind_ssn[kind], ATTACKER_PC);
    } else {
        int p = (int)ssgw_rng_below(&g->rng, NPARTNERS);
        if (p == avoid) p = (p + 1) % NPARTNERS;
        partner_node(&in->src, p, kind);
    }
}

static void sms_from(ssgw_attack_gen *g, inst *in, int p);

static void su_legit_sms_home(ssgw_attack_gen *g, inst *in)
{
    in->q = (int)ssgw_rng_below(&g->rng, NPARTNERS);
    net_gt(&partners[in->q], K_SMSC, in->smsc);
    net_gt(&home_net, K_MSC, in->msc);
    sms_from(g, in, in->q);
}

static void su_legit_sms_roaming(ssgw_attack_gen *g, inst *in)
{
    in->q = (int)ssgw_rng_below(&g->rng, NPARTNERS);
    net_gt(&partners[in->q], K_SMSC, in->smsc);
}

static void su_legit_ss(ssgw_attack_gen *g, inst *in)
{
    static const uint8_t codes[] = {0x29, 0x2a, 0x2b}; /* cfb, cfnry, cfnrc */
    in->ss_code = codes[ssgw_rng_below(&g->rng, 3)];
    snprintf(in->ftn, sizeof in->ftn, "447924%06u", 900000u + ssgw_rng_below(&g->rng, 99999));
}

static void su_legit_prn_out(ssgw_attack_gen *g, inst *in)
{
    snprintf(in->msrn, sizeof in->msrn, "%s9%05u", partners[in->p].prefix,
             ssgw_rng_below(&g->rng, 100000));
    net_gt(&home_net, K_MSC, in->scf); /* gmsc address */
}

static void su_legit_in_prn(ssgw_attack_gen *g, inst *in)
{
    snprintf(in->msrn, sizeof in->msrn, "4479249%05u", ssgw_rng_below(&g->rng, 100000));
    net_gt(&partners[in->p], K_MSC, in->scf); /* their GMSC */
}

static void su_legit_in_sms(ssgw_attack_gen *g, inst *in)
{
    net_gt(&partners[in->p], K_SMSC, in->smsc);
    sms_from(g, in, in->p);
}

static void su_legit_ati(ssgw_attack_gen *g, inst *in)
{
    (void)g;
    in->q = RHEIN;
    net_gt(&partners[RHEIN], K_SCF, in->scf);
}

static void su_legit_sri_out(ssgw_attack_gen *g, inst *in)
{
    snprintf(in->msrn, sizeof in->msrn, "%s9%05u", partners[in->p].prefix,
             ssgw_rng_below(&g->rng, 100000));
    net_gt(&home_net, K_MSC, in->scf);
}

/* forwardSM (46) towards the MS as MAP v2 (MT relay context) or v1 (relay context, or no
 * dialogue portion at all), by variant. */
static void legacy_sms(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 3);
    in->op = SSGW_MAP_OP_MO_FORWARD_SM;
    in->shape = SH_FSM_MT;
    in->ac = in->variant == 0 ? SSGW_MAP_AC_SHORT_MSG_MT_RELAY : SSGW_MAP_AC_SHORT_MSG_MO_RELAY;
    in->ver = in->variant == 0 ? 2 : 1;
    in->nodlg = in->variant == 2;
}

static void su_legit_sms_home_legacy(ssgw_attack_gen *g, inst *in)
{
    su_legit_sms_home(g, in);
    legacy_sms(g, in);
    in->variant = 0; /* legitimate messages carry no variant */
}

static void su_legit_cap(ssgw_attack_gen *g, inst *in)
{
    (void)g;
    net_gt(&partners[in->p], K_MSC, in->msc);
}

/* SCCP management about our HLR (a test of it) or about the partner's SMSC. */
static void su_legit_scmg_test(ssgw_attack_gen *g, inst *in)
{
    (void)g;
    in->scmg_ssn = SSN_HLR, in->scmg_pc = HOME_PC;
}

static void su_legit_scmg_partner(ssgw_attack_gen *g, inst *in)
{
    (void)g;
    in->scmg_ssn = SSN_SMSC, in->scmg_pc = partners[in->p].pc;
}

/* --- attacks --- */

static void su_ati(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    src_attacker_or_partner(g, in, K_SCF, RHEIN);
    home_node(&in->dst, K_HLR);
    scpy(in->scf, sizeof in->scf, in->src.gt);
}

static void su_sri(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    src_attacker_or_partner(g, in, K_MSC, -1);
    home_node(&in->dst, K_HLR);
    scpy(in->scf, sizeof in->scf, in->src.gt); /* gmsc */
}

static void su_cat2_home(ssgw_attack_gen *g, inst *in)
{
    /* Sent "as an HLR" to our VLR about our own subscriber. */
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    src_attacker_or_partner(g, in, K_HLR, -1);
    home_node(&in->dst, K_VLR);
    scpy(in->hlr, sizeof in->hlr, in->src.gt);
    in->ss_code = 0x21;
    scpy(in->msrn, sizeof in->msrn, in->src.gt);
}

static void su_sri_sm_origin(ssgw_attack_gen *g, inst *in)
{
    char gt[16];
    in->variant = (int)ssgw_rng_below(&g->rng, 3);
    ssgw_rng_digits(&g->rng, attacker_prefixes[in->variant],
                    12 - strlen(attacker_prefixes[in->variant]), gt, sizeof gt);
    set_node(&in->src, gt, SSN_SMSC, ATTACKER_PC);
    home_node(&in->dst, K_HLR);
    scpy(in->smsc, sizeof in->smsc, gt);
}

static void su_sri_sm_flood(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, NPARTNERS);
    partner_node(&in->src, in->variant, K_SMSC);
    home_node(&in->dst, K_HLR);
    scpy(in->smsc, sizeof in->smsc, in->src.gt);
    in->repeat = 20 + ssgw_rng_below(&g->rng, 21);
}

static void su_lcs(ssgw_attack_gen *g, inst *in, int dst_kind)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    src_attacker_or_partner(g, in, K_GMLC, -1);
    home_node(&in->dst, dst_kind);
    scpy(in->mlc, sizeof in->mlc, in->src.gt);
}
static void su_psl(ssgw_attack_gen *g, inst *in)
{
    su_lcs(g, in, K_MSC);
}
static void su_sri_lcs(ssgw_attack_gen *g, inst *in)
{
    su_lcs(g, in, K_HLR);
}

/* Not-current-VLR family: the subscriber is registered at P; the attack comes
 * from another partner's VLR on its own point code (variant 0) or from an
 * attacker VLR GT on 2009 (variant 1). */
static void su_not_current(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    if (in->variant == 0) {
        int q = other_partner(g, in->p);
        partner_node(&in->src, q, K_VLR);
    } else {
        char gt[16];
        attacker_gt(&g->rng, gt);
        set_node(&in->src, gt, SSN_VLR, ATTACKER_PC);
    }
    home_node(&in->dst, K_HLR);
}

static void su_velocity(ssgw_attack_gen *g, inst *in)
{
    su_not_current(g, in);
    scpy(in->atk_vlr, sizeof in->atk_vlr, in->src.gt);
    scpy(in->atk_msc, sizeof in->atk_msc, in->src.gt);
    if (in->variant == 0) /* the MSC of the same (far away) network */
        in->atk_msc[strlen(in->atk_msc) - 1] = '1';
}

static void su_vlr_mismatch(ssgw_attack_gen *g, inst *in)
{
    /* Calling GT: the subscriber's own current VLR (P), right point code;
     * VLR and MSC numbers in the content: the attacker's. */
    char gt[16];
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    partner_node(&in->src, in->p, K_VLR);
    home_node(&in->dst, K_HLR);
    if (in->variant == 0) {
        attacker_gt(&g->rng, gt);
    } else {
        int q = other_partner(g, in->p);
        net_gt(&partners[q], K_VLR, gt);
    }
    scpy(in->atk_vlr, sizeof in->atk_vlr, gt);
    scpy(in->atk_msc, sizeof in->atk_msc, gt);
}

static void su_cf(ssgw_attack_gen *g, inst *in)
{
    su_not_current(g, in);
    in->ss_code = 0x21; /* cfu */
    attacker_gt(&g->rng, in->ftn);
}

static void su_ussd(ssgw_attack_gen *g, inst *in)
{
    su_not_current(g, in);
}

static void su_send_imsi(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    src_attacker_or_partner(g, in, K_VLR, -1);
    home_node(&in->dst, K_HLR);
}

static void su_send_ident(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    src_attacker_or_partner(g, in, K_VLR, -1);
    home_node(&in->dst, K_VLR);
    scpy(in->msc, sizeof in->msc, in->src.gt);
}

static void su_sms_spoof(ssgw_attack_gen *g, inst *in)
{
    char gt[16];
    in->variant = (int)ssgw_rng_below(&g->rng, 3);
    ssgw_rng_digits(&g->rng, attacker_prefixes[in->variant],
                    12 - strlen(attacker_prefixes[in->variant]), gt, sizeof gt);
    set_node(&in->src, gt, SSN_SMSC, ATTACKER_PC);
    home_node(&in->dst, K_MSC);
    scpy(in->smsc, sizeof in->smsc, gt);
}

static void su_sms_no_sri(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, NPARTNERS);
    partner_node(&in->src, in->variant, K_SMSC);
    home_node(&in->dst, K_MSC);
    scpy(in->smsc, sizeof in->smsc, in->src.gt);
}

static void su_atm(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    src_attacker_or_partner(g, in, K_SCF, -1);
    home_node(&in->dst, K_HLR);
    scpy(in->scf, sizeof in->scf, in->src.gt);
    in->ss_code = 0x21;
    attacker_gt(&g->rng, in->ftn);
}

/* An operation a variant sends, with the context that carries it. */
typedef struct {
    int8_t op;
    uint8_t ac, ver;
} variant_op;

static void set_variant_op(inst *in, const variant_op *v)
{
    in->op = v->op, in->ac = v->ac, in->ver = v->ver;
}

/* A partner's GT arriving from point code 2009; the content is otherwise
 * legitimate: 0 Safari HLR ISD for a Safari subscriber in our VLR, 1 Safari
 * SMSC mt-forwardSM to that subscriber, 2 Safari HLR PSI for it. */
static void su_peer_mismatch(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 3);
    if (in->variant == 1) {
        partner_node(&in->src, in->p, K_SMSC);
        in->src.pc = ATTACKER_PC;
        home_node(&in->dst, K_MSC);
        scpy(in->smsc, sizeof in->smsc, in->src.gt);
        in->op = SSGW_MAP_OP_MT_FORWARD_SM, in->ac = SSGW_MAP_AC_SHORT_MSG_MT_RELAY, in->ver = 3;
        return;
    }
    partner_node(&in->src, in->p, K_HLR);
    in->src.pc = ATTACKER_PC;
    home_node(&in->dst, K_VLR);
    if (in->variant == 0)
        in->op = SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA, in->ac = SSGW_MAP_AC_SUBSCRIBER_DATA_MNGT,
        in->ver = 3;
    else
        in->op = SSGW_MAP_OP_PROVIDE_SUBSCRIBER_INFO, in->ac = SSGW_MAP_AC_SUBSCRIBER_INFO_ENQUIRY,
        in->ver = 3;
}

/* Cat-2 operation about a Safari subscriber registered with us, from another
 * partner's HLR (right point code): ISD, cancelLocation, PSI, DSD. */
static void su_not_home(ssgw_attack_gen *g, inst *in)
{
    static const variant_op ops[] = {
        {SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA, SSGW_MAP_AC_SUBSCRIBER_DATA_MNGT, 3},
        {SSGW_MAP_OP_CANCEL_LOCATION, SSGW_MAP_AC_LOCATION_CANCELLATION, 3},
        {SSGW_MAP_OP_PROVIDE_SUBSCRIBER_INFO, SSGW_MAP_AC_SUBSCRIBER_INFO_ENQUIRY, 3},
        {SSGW_MAP_OP_DELETE_SUBSCRIBER_DATA, SSGW_MAP_AC_SUBSCRIBER_DATA_MNGT, 3},
    };
    in->variant = (int)ssgw_rng_below(&g->rng, 4);
    int q = ssgw_rng_below(&g->rng, 2) ? LAGOS : RHEIN;
    partner_node(&in->src, q, K_HLR);
    home_node(&in->dst, K_VLR);
    scpy(in->hlr, sizeof in->hlr, in->src.gt);
    set_variant_op(in, &ops[in->variant]);
}

/* HLR operations from the partner subscriber's own HLR GT and point code, but
 * from SSN 8: ISD, cancelLocation, PRN. */
static void su_ssn_mismatch(ssgw_attack_gen *g, inst *in)
{
    static const variant_op ops[] = {
        {SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA, SSGW_MAP_AC_SUBSCRIBER_DATA_MNGT, 3},
        {SSGW_MAP_OP_CANCEL_LOCATION, SSGW_MAP_AC_LOCATION_CANCELLATION, 3},
        {SSGW_MAP_OP_PROVIDE_ROAMING_NUMBER, SSGW_MAP_AC_ROAMING_NUMBER_ENQUIRY, 3},
    };
    in->variant = (int)ssgw_rng_below(&g->rng, 3);
    partner_node(&in->src, in->p, K_HLR);
    in->src.ssn = SSN_MSC;
    home_node(&in->dst, K_VLR);
    set_variant_op(in, &ops[in->variant]);
    scpy(in->msrn, sizeof in->msrn, in->src.gt);
    net_gt(&partners[in->p], K_MSC, in->scf);
}

/* Continue (ISD invoke, from the roamer's real HLR), End (SRI-SM result, from
 * an attacker GT) or Abort (from a partner VLR) that continue no dialogue. */
static void su_unknown_dialogue(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 3);
    switch (in->variant) {
    case 0:
        partner_node(&in->src, in->p, K_HLR);
        home_node(&in->dst, K_VLR);
        in->tcap_forged = T_CONT, in->op = SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA;
        break;
    case 1: {
        char gt[16];
        attacker_gt(&g->rng, gt);
        set_node(&in->src, gt, SSN_HLR, ATTACKER_PC);
        home_node(&in->dst, K_SMSC);
        in->tcap_forged = T_END, in->op = SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM;
        scpy(in->msc, sizeof in->msc, gt);
        break;
    }
    default:
        partner_node(&in->src, in->p, K_VLR);
        home_node(&in->dst, K_HLR);
        in->tcap_forged = T_ABORT, in->op = SSGW_MAP_OP_NONE;
        break;
    }
}

/* Issue 11: an attacker's node of the given kind on the leased interconnect. */
static void src_attacker(ssgw_attack_gen *g, inst *in, int kind)
{
    char gt[16];
    attacker_gt(&g->rng, gt);
    set_node(&in->src, gt, kind_ssn[kind], ATTACKER_PC);
}

/* anyTimeInterrogation to our HLR in a shape a MAP-only firewall does not classify. */
static void su_evasion(ssgw_attack_gen *g, inst *in)
{
    src_attacker(g, in, K_SCF);
    home_node(&in->dst, K_HLR);
    scpy(in->scf, sizeof in->scf, in->src.gt);
}

/* sendRoutingInfoForSM as MAP v1 (no dialogue portion) from an attacker "SMSC". */
static void su_map_v1(ssgw_attack_gen *g, inst *in)
{
    src_attacker(g, in, K_SMSC);
    home_node(&in->dst, K_HLR);
    scpy(in->smsc, sizeof in->smsc, in->src.gt);
}

static void su_ansi(ssgw_attack_gen *g, inst *in)
{
    src_attacker(g, in, K_VLR);
    home_node(&in->dst, K_HLR);
}

/* SSP (subsystem prohibited) or SOR (out-of-service request) for our HLR or SMSC: from a
 * stranger's point code, or from a partner's (which may speak for its own subsystems only). */
static void scmg_about_us(ssgw_attack_gen *g, inst *in)
{
    static const uint8_t ssn[] = {SSN_HLR, SSN_SMSC};
    in->scmg_ssn = ssn[ssgw_rng_below(&g->rng, 2)];
    in->scmg_pc = HOME_PC;
    home_node(&in->dst, K_HLR);
}

static void su_scmg_stranger(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    in->op = in->variant ? SSGW_SCMG_SOR : SSGW_SCMG_SSP;
    src_attacker(g, in, K_HLR);
    scmg_about_us(g, in);
}

static void su_scmg_partner(ssgw_attack_gen *g, inst *in)
{
    in->op = SSGW_SCMG_SSP;
    partner_node(&in->src, (int)ssgw_rng_below(&g->rng, NPARTNERS), K_HLR);
    scmg_about_us(g, in);
}

/* CAP opened by a stranger: InitialDP to our gsmSCF for one of our subscribers (probing
 * its service logic) or InitiateCallAttempt to our MSC (calls set up on our network). */
static void su_cap_stranger(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    src_attacker(g, in, in->variant ? K_SCF : K_MSC);
    if (in->variant) {
        home_node(&in->dst, K_MSC);
        in->op = SSGW_CAP_OP_INITIATE_CALL_ATTEMPT, in->ac = SSGW_CAP_AC_SCF_GSMSSF_GENERIC_V4;
    } else {
        home_node(&in->dst, K_SCF);
        in->op = SSGW_CAP_OP_INITIAL_DP, in->ac = SSGW_CAP_AC_GSMSSF_TO_GSMSCF_V2;
        scpy(in->msc, sizeof in->msc, in->src.gt);
    }
    attacker_gt(&g->rng, in->ftn); /* where the call goes */
}

/* Connect (redirect a call to the attacker's number) or ReleaseCall sent to our MSC by a
 * partner's node that is not its gsmSCF (its MSC, on its own point code). */
static void su_cap_scf_origin(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    partner_node(&in->src, (int)ssgw_rng_below(&g->rng, NPARTNERS), K_MSC);
    home_node(&in->dst, K_MSC);
    in->op = in->variant ? SSGW_CAP_OP_RELEASE_CALL : SSGW_CAP_OP_CONNECT;
    in->ac = SSGW_CAP_AC_GSMSSF_TO_GSMSCF_V2;
    attacker_gt(&g->rng, in->ftn);
}

/* InitialDP to our gsmSCF from a partner's MSC for one of the partner's own subscribers. */
static void su_cap_foreign_idp(ssgw_attack_gen *g, inst *in)
{
    (void)g;
    partner_node(&in->src, in->p, K_MSC);
    home_node(&in->dst, K_SCF);
    in->op = SSGW_CAP_OP_INITIAL_DP, in->ac = SSGW_CAP_AC_GSMSSF_TO_GSMSCF_V2;
    scpy(in->msc, sizeof in->msc, in->src.gt);
}

/* A short message to our subscriber in an older MAP version: from a fake SMSC, or from a
 * partner's SMSC that never asked where the subscriber is. */
static void su_sms_spoof_legacy(ssgw_attack_gen *g, inst *in)
{
    legacy_sms(g, in);
    src_attacker(g, in, K_SMSC);
    home_node(&in->dst, K_MSC);
    scpy(in->smsc, sizeof in->smsc, in->src.gt);
}

static void su_sms_no_sri_legacy(ssgw_attack_gen *g, inst *in)
{
    legacy_sms(g, in);
    partner_node(&in->src, (int)ssgw_rng_below(&g->rng, NPARTNERS), K_SMSC);
    home_node(&in->dst, K_MSC);
    scpy(in->smsc, sizeof in->smsc, in->src.gt);
}

/* insertSubscriberData about our subscriber from a partner's HLR, with a second one about a
 * subscriber of that partner behind it (SH_HIDDEN: the partner is inst->q). */
static void su_hidden(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, NPARTNERS);
    in->q = in->variant;
    partner_node(&in->src, in->q, K_HLR);
    home_node(&in->dst, K_VLR);
    scpy(in->hlr, sizeof in->hlr, in->src.gt);
    in->ss_code = 0x21;
    scpy(in->msrn, sizeof in->msrn, in->src.gt);
}

/* anyTimeInterrogation without a dialogue portion, calling SSN 146 (CAP's), from an attacker
 * gsmSCF or a partner's without an agreement for it. */
static void su_cap_ssn(ssgw_attack_gen *g, inst *in)
{
    su_ati(g, in);
    in->src_ssn_override = 146;
}

/* forwardSM v1/v2 to our subscriber's IMSI with an MSISDN as originator, from a partner SMSC
 * (no SRI-SM before): in MO relay v2, relay v1 or without a dialogue portion. */
static void su_sms_da_mismatch(ssgw_attack_gen *g, inst *in)
{
    su_sms_no_sri_legacy(g, in);
    in->variant = 1 + (int)ssgw_rng_below(&g->rng, 3);
    in->shape = SH_FSM_DA_MIX;
    in->ac = SSGW_MAP_AC_SHORT_MSG_MO_RELAY; /* v2: shortMsgMO-RelayContext; v1: shortMsgRelay */
    in->ver = in->variant == 1 ? 2 : 1;
    in->nodlg = in->variant == 3;
}

/* A hijacked answer: from an attacker's "HLR" on the leased interconnect, or from another
 * partner's HLR on its own point code. */
static void su_hijack(ssgw_attack_gen *g, inst *in)
{
    su_legit_sri_out(g, in);
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    if (in->variant == 0)
        src_attacker(g, in, K_HLR);
    else
        partner_node(&in->src, other_partner(g, in->p), K_HLR);
    attacker_gt(&g->rng, in->ftn); /* the roaming number the forged answer gives */
}

/* updateLocation for our subscriber at home (our HLR just routed a short message to our MSC)
 * from a partner's VLR far away, or from an attacker's. */
static void su_ul_at_home(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    in->q = (int)ssgw_rng_below(&g->rng, NPARTNERS);
    net_gt(&partners[in->q], K_SMSC, in->smsc);
    if (in->variant == 0)
        partner_node(&in->src, (int)ssgw_rng_below(&g->rng, NPARTNERS), K_VLR);
    else
        src_attacker(g, in, K_VLR);
    home_node(&in->dst, K_HLR);
    scpy(in->atk_vlr, sizeof in->atk_vlr, in->src.gt);
    scpy(in->atk_msc, sizeof in->atk_msc, in->src.gt);
}

/* --- calls and short messages --- */

/* The next circuit towards far end k (partners 0..2, attackers 3): 1..4095 in turn. */
static uint16_t next_cic(ssgw_attack_gen *g, int k)
{
    uint16_t c = g->cic_next[k];
    g->cic_next[k] = (uint16_t)(c >= SSGW_ISUP_CIC_MAX ? 1 : c + 1);
    return c ? c : next_cic(g, k);
}

static void random_home_number(ssgw_attack_gen *g, char *out)
{
    char imsi[16];
    home_ids(ssgw_rng_below(&g->rng, g->n_home), imsi, out);
}

/* The recipient after the last of a repeating attack: our next subscriber (calls) or the
 * next partner subscriber (messages), so that no one gets it twice (dialling through a
 * range, as robocallers and bulk senders do). */
static void next_home_number(ssgw_attack_gen *g, inst *in, char *out)
{
    char imsi[16];
    home_ids(in->seq++ % g->n_home, imsi, out);
}

static void next_partner_recipient(ssgw_attack_gen *g, inst *in)
{
    char msisdn[16];
    uint32_t i = ++in->seq % (NPARTNERS * g->n_partner);
    partner_ids((int)(i / g->n_partner), i % g->n_partner, in->imsi, msisdn);
}

static void random_partner_number(ssgw_attack_gen *g, int p, char *out)
{
    char imsi[16];
    partner_ids(p, ssgw_rng_below(&g->rng, g->n_partner), imsi, out);
}

/* A short private text of everyday words (never a listed phrase or link). */
static void casual_text(ssgw_attack_gen *g, char *out, size_t cap)
{
    static const char *const w[] = {
        "see",    "you",     "at",    "the",     "station", "tonight", "call",   "me",
        "later",  "dinner",  "is",    "ready",   "running", "late",    "sorry",  "thanks",
        "for",    "today",   "train", "arrives", "soon",    "meeting", "moved",  "to",
        "noon",   "bring",   "keys",  "love",    "from",    "mum",     "happy",  "birthday",
        "match",  "starts",  "now",   "where",   "are",     "shop",    "closed", "back",
        "monday", "weather", "great", "picture", "sent",    "check",   "email",  "okay"};
    size_t n = 0, k = 3 + ssgw_rng_below(&g->rng, 5);
    out[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        const char *x = w[ssgw_rng_below(&g->rng, sizeof w / sizeof w[0])];
        int r = snprintf(out + n, cap - n, "%s%s", i ? " " : "", x);
        if (r < 0 || (size_t)r >= cap - n) break;
        n += (size_t)r;
    }
}

static void su_call_in(ssgw_attack_gen *g, inst *in)
{
    if (in->p < 0) in->p = (int)ssgw_rng_below(&g->rng, NPARTNERS);
    random_partner_number(g, in->p, in->cg_num);
    scpy(in->cd_num, sizeof in->cd_num, in->msisdn);
    in->cic = next_cic(g, in->p);
}

static void su_call_out(ssgw_attack_gen *g, inst *in)
{
    in->p = (int)ssgw_rng_below(&g->rng, NPARTNERS);
    scpy(in->cg_num, sizeof in->cg_num, in->msisdn);
    random_partner_number(g, in->p, in->cd_num);
    in->cic = next_cic(g, in->p);
}

/* Our subscriber roaming at P calls home with its own number. */
static void su_call_roamer(ssgw_attack_gen *g, inst *in)
{
    scpy(in->cg_num, sizeof in->cg_num, in->msisdn);
    random_home_number(g, in->cd_num);
    in->cic = next_cic(g, in->p);
}

static void sms_from(ssgw_attack_gen *g, inst *in, int p)
{
    random_partner_number(g, p, in->sms_sender);
    casual_text(g, in->sms_text, sizeof in->sms_text);
}

/* Spoofed: one of our subscribers' numbers calling another of ours, from the attackers'
 * interconnect (variant 0) or a partner the number never roamed in (variant 1). */
static void su_cli_spoof_home(ssgw_attack_gen *g, inst *in)
{
    const home_sub *s = &g->home[in->sub];
    bool never_roamed = s->partner < 0 && !s->last_move;
    in->variant = never_roamed ? (int)ssgw_rng_below(&g->rng, 2) : 0;
    if (in->variant == 0) {
        set_node(&in->src, "", SSN_MSC, ATTACKER_PC);
        in->cic = next_cic(g, NPARTNERS);
    } else {
        int p = (int)ssgw_rng_below(&g->rng, NPARTNERS);
        partner_node(&in->src, p, K_MSC);
        in->cic = next_cic(g, p);
    }
    home_node(&in->dst, K_MSC);
    scpy(in->cg_num, sizeof in->cg_num, in->msisdn);
    random_home_number(g, in->cd_num);
}

/* A calling number no caller has: premium rate (0), unallocated (1), too long (2). */
static void su_cli_invalid(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, 3);
    /* too long: 15 digits are too many for Kenya and Nigeria (not for Germany, whose
     * national numbers have up to 13) */
    int p = in->variant == 2 ? (ssgw_rng_below(&g->rng, 2) ? LAGOS : SAFARI)
                             : (int)ssgw_rng_below(&g->rng, NPARTNERS);
    partner_node(&in->src, p, K_MSC);
    home_node(&in->dst, K_MSC);
    static const char *const pre[] = {"449", "210", NULL};
    if (in->variant < 2)
        ssgw_rng_digits(&g->rng, pre[in->variant], 9, in->cg_num, sizeof in->cg_num);
    else
        ssgw_rng_digits(&g->rng, partners[p].prefix, 15 - strlen(partners[p].prefix), in->cg_num,
                        sizeof in->cg_num);
    scpy(in->cd_num, sizeof in->cd_num, in->msisdn);
    in->cic = next_cic(g, p);
}

/* A caller from partner p (country prefix cc) dialling through our subscribers from a
 * random one on: n calls, gap_lo..gap_hi ms apart. */
static void serial_caller(ssgw_attack_gen *g, inst *in, int p, const char *cc, unsigned n,
                          uint32_t gap_lo, uint32_t gap_hi)
{
    partner_node(&in->src, p, K_MSC);
    home_node(&in->dst, K_MSC);
    ssgw_rng_digits(&g->rng, cc, 8, in->cg_num, sizeof in->cg_num);
    in->seq = ssgw_rng_below(&g->rng, g->n_home);
    next_home_number(g, in, in->cd_num);
    in->cic = next_cic(g, p);
    in->repeat = n;
    in->rep_gap_lo = gap_lo, in->rep_gap_hi = gap_hi;
}

/* One German number calling through our subscribers via Rhein Telekom. */
static void su_robocall(ssgw_attack_gen *g, inst *in)
{
    serial_caller(g, in, RHEIN, "49151", 30 + ssgw_rng_below(&g->rng, 16), 300, 2000);
}

/* One Nigerian number ringing our subscribers once each via Lagos Mobile. */
static void su_wangiri(ssgw_attack_gen *g, inst *in)
{
    serial_caller(g, in, LAGOS, "23480", 8 + ssgw_rng_below(&g->rng, 5), 5000, 30000);
    in->complete = 4; /* examples/ssgw.conf: [calls] wangiri = "3/600s": the 4th flags it */
    in->rel_cause = 16;
}

/* The bank's protected name delivered by a partner's SMSC (after an SRI-SM from it). */
static void su_smish_sender(ssgw_attack_gen *g, inst *in)
{
    in->variant = (int)ssgw_rng_below(&g->rng, NPARTNERS);
    partner_node(&in->src, in->variant, K_SMSC);
    home_node(&in->dst, K_MSC);
    scpy(in->smsc, sizeof in->smsc, in->src.gt);
    scpy(in->sms_sender, sizeof in->sms_sender, "AlbionBank");
    unsigned card = ssgw_rng_below(&g->rng, 10000); /* one draw per statement (gen.h) */
    unsigned phone = ssgw_rng_below(&g->rng, 1000000);
    snprintf(in->sms_text, sizeof in->sms_text,
             "Albion Bank: your card %04u was used abroad. Call 0800%06u now to stop it", card,
             phone);
}

static void su_smish_link(ssgw_attack_gen *g, inst *in)
{
    partner_node(&in->src, in->p, K_SMSC);
    home_node(&in->dst, K_MSC);
    scpy(in->smsc, sizeof in->smsc, in->src.gt);
    ssgw_rng_digits(&g->rng, "447700", 6, in->sms_sender, sizeof in->sms_sender);
    static const char *const links[] = {"https://bit.ly/3%05u", "albion-bank-login.example/%05u"};
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    char l[64];
    snprintf(l, sizeof l, links[in->variant], ssgw_rng_below(&g->rng, 100000));
    snprintf(in->sms_text, sizeof in->sms_text, "Your parcel could not be delivered, see %s", l);
}

/* A phishing link split between the two segments of a concatenated message, inside its
 * domain; variant 0: bit.ly, segments in order; 1: the look-alike domain, the second
 * segment first. */
static void su_smish_split(ssgw_attack_gen *g, inst *in)
{
    partner_node(&in->src, in->p, K_SMSC);
    home_node(&in->dst, K_MSC);
    scpy(in->smsc, sizeof in->smsc, in->src.gt);
    ssgw_rng_digits(&g->rng, "447700", 6, in->sms_sender, sizeof in->sms_sender);
    static const char *const links[] = {"https://bit.ly/3%05u", "albion-bank-login.example/%05u"};
    static const size_t cut[] = {sizeof "https://bit" - 1, sizeof "albion-bank-lo" - 1};
    in->variant = (int)ssgw_rng_below(&g->rng, 2);
    static const char lead[] = "Your parcel could not be delivered, rebook at ";
    char l[64];
    snprintf(l, sizeof l, links[in->variant], ssgw_rng_below(&g->rng, 100000));
    snprintf(in->sms_text, sizeof in->sms_text, "%s%s today", lead, l);
    in->sms_split = (uint8_t)(sizeof lead - 1 + cut[in->variant]);
    in->sms_ref = (uint8_t)ssgw_rng_below(&g->rng, 256);
    in->sms_reverse = in->variant == 1;
}

static void su_sms_flood(ssgw_attack_gen *g, inst *in)
{
    partner_node(&in->src, in->p, K_SMSC);
    home_node(&in->dst, K_MSC);
    scpy(in->smsc, sizeof in->smsc, in->src.gt);
    scpy(in->sms_sender, sizeof in->sms_sender, "PROMO");
    casual_text(g, in->sms_text, sizeof in->sms_text);
    in->repeat = 40 + ssgw_rng_below(&g->rng, 21);
    in->rep_gap_lo = 50, in->rep_gap_hi = 300;
}

static void campaign_message(ssgw_attack_gen *g, inst *in)
{
    snprintf(in->sms_sender, sizeof in->sms_sender, "Post%03u", ssgw_rng_below(&g->rng, 1000));
    unsigned parcel = ssgw_rng_below(&g->rng, 100000); /* one draw per statement (gen.h) */
    unsigned pounds = 1 + ssgw_rng_below(&g->rng, 9);
    unsigned pence = ssgw_rng_below(&g->rng, 100);
    snprintf(in->sms_text, sizeof in->sms_text,
             "Your parcel %05u is held at customs, pay %u.%02u GBP within 24 hours", parcel, pounds,
             pence);
}

static void su_sms_campaign(ssgw_attack_gen *g, inst *in)
{
    partner_node(&in->src, in->p, K_SMSC);
    home_node(&in->dst, K_MSC);
    scpy(in->smsc, sizeof in->smsc, in->src.gt);
    campaign_message(g, in);
    in->seq = (uint32_t)in->p * g->n_partner + in->sub; /* the first recipient's */
    in->repeat = 50 + ssgw_rng_below(&g->rng, 21);
    in->rep_gap_lo = 200, in->rep_gap_hi = 1500;
}

/* The next call (circuit, called number) or message (recipient, sender, text) of a
 * repeating attack. */
static void renew(ssgw_attack_gen *g, inst *in)
{
    if (in->sc->steps[0].isup) {
        next_home_number(g, in, in->cd_num);
        in->cic = next_cic(g, in->src.pc == ATTACKER_PC ? NPARTNERS : in->src.pc - 2001);
        return;
    }
    next_partner_recipient(g, in);
    campaign_message(g, in);
}

#define SC(nm, atk, need, fb, w, st, su)                                                           \
    {                                                                                              \
        nm, NULL, atk, need, fb, w, st, sizeof st / sizeof st[0], su                               \
    }
/* An attack whose legitimate messages are labelled with the legitimate flow pre. */
#define SCP(nm, pre, atk, need, fb, w, st, su)                                                     \
    {                                                                                              \
        nm, pre, atk, need, fb, w, st, sizeof st / sizeof st[0], su                                \
    }
#define NO_FB 0xff

static const scenario legit_scenarios[] = {
    SC("roam.attach", -1, N_HOME_ATTACH, NO_FB, 16, st_attach, NULL),
    SC("roam.return_home", -1, N_HOME_SETTLED, NO_FB, 3, st_return_home, NULL),
    SC("sms.mt_home", -1, N_HOME_AT_HOME, NO_FB, 12, st_sms_home, su_legit_sms_home),
    SC("sms.sri_roaming", -1, N_HOME_ROAMING, NO_FB, 8, st_sms_roaming, su_legit_sms_roaming),
    SC("ss.ussd", -1, N_HOME_ROAMING, NO_FB, 6, st_ussd, NULL),
    SC("ss.register_cf", -1, N_HOME_ROAMING, NO_FB, 3, st_register_ss, su_legit_ss),
    SC("roam.purge", -1, N_HOME_ROAMING, NO_FB, 3, st_purge, NULL),
    SC("call.prn_out", -1, N_HOME_ROAMING, NO_FB, 6, st_prn_out, su_legit_prn_out),
    SC("roam.isd_out", -1, N_HOME_ROAMING, NO_FB, 3, st_isd_out, NULL),
    SC("roam.in_attach", -1, N_IN_UNREG, NO_FB, 9, st_in_attach, NULL),
    SC("roam.in_isd", -1, N_IN_REG, NO_FB, 3, st_in_isd, NULL),
    SC("roam.in_psi", -1, N_IN_REG, NO_FB, 4, st_in_psi, NULL),
    SC("call.in_prn", -1, N_IN_REG, NO_FB, 5, st_in_prn, su_legit_in_prn),
    SC("roam.in_dsd", -1, N_IN_REG, NO_FB, 2, st_in_dsd, NULL),
    SC("roam.in_cancel", -1, N_IN_REG, NO_FB, 3, st_in_cancel, NULL),
    SC("sms.in_mt", -1, N_IN_REG, NO_FB, 6, st_in_sms, su_legit_in_sms),
    SC("ati.rhein_agreement", -1, N_HOME_ANY, NO_FB, 3, st_ati_rhein, su_legit_ati),
    SC("call.sri_out", -1, N_IN_ANY, NO_FB, 3, st_sri_out, su_legit_sri_out),
    SC("sms.mt_home_legacy", -1, N_HOME_AT_HOME, NO_FB, 4, st_sms_home_legacy,
       su_legit_sms_home_legacy),
    SC("cap.roam_call", -1, N_HOME_ROAMING, NO_FB, 5, st_cap_roam_call, su_legit_cap),
    SC("cap.in_call", -1, N_IN_REG, NO_FB, 4, st_cap_in_call, NULL),
    SC("scmg.test", -1, N_IN_ANY, NO_FB, 1, st_scmg_test, su_legit_scmg_test),
    SC("scmg.partner_state", -1, N_IN_ANY, NO_FB, 1, st_scmg_partner, su_legit_scmg_partner),
    SC("call.in", -1, N_HOME_ANY, NO_FB, 6, st_call_in, su_call_in),
    SC("call.out", -1, N_HOME_AT_HOME, NO_FB, 5, st_call_out, su_call_out),
    SC("call.in_unanswered", -1, N_HOME_ANY, NO_FB, 2, st_call_unanswered, su_call_in),
    SC("call.roamer_home", -1, N_HOME_ROAMING, NO_FB, 2, st_call_in, su_call_roamer),
};
#define N_LEGIT (sizeof legit_scenarios / sizeof legit_scenarios[0])

/* In catalogue order (attack_catalog.c). */
static const scenario attack_scenarios[] = {
    SC("track.ati", 0, N_HOME_ANY, NO_FB, 1, at_ati, su_ati),
    SC("track.sri", 1, N_HOME_ANY, NO_FB, 1, at_sri, su_sri),
    SC("track.psi", 2, N_HOME_ANY, NO_FB, 1, at_psi, su_cat2_home),
    SC("track.sri_sm_origin", 3, N_HOME_ANY, NO_FB, 1, at_sri_sm, su_sri_sm_origin),
    SC("track.sri_sm_flood", 4, N_HOME_ANY, NO_FB, 1, at_sri_sm_flood, su_sri_sm_flood),
    SC("track.psl", 5, N_HOME_ANY, NO_FB, 1, at_psl, su_psl),
    SC("track.sri_lcs", 6, N_HOME_ANY, NO_FB, 1, at_sri_lcs, su_sri_lcs),
    SC("intercept.ul_velocity", 7, N_HOME_RECENT, N_HOME_ATTACH, 1, at_ul_velocity, su_velocity),
    SC("intercept.ul_vlr_mismatch", 8, N_HOME_ROAMING, N_HOME_ATTACH, 1, at_ul_vlr_mismatch,
       su_vlr_mismatch),
    SC("intercept.cf_register", 9, N_HOME_ROAMING, N_HOME_ATTACH, 1, at_cf_register, su_cf),
    SC("intercept.cf_activate", 10, N_HOME_ROAMING, N_HOME_ATTACH, 1, at_cf_activate, su_cf),
    SC("intercept.isd", 11, N_HOME_ANY, NO_FB, 1, at_isd, su_cat2_home),
    SC("dos.cancel_location", 12, N_HOME_ANY, NO_FB, 1, at_cancel, su_cat2_home),
    SC("dos.purge_ms", 13, N_HOME_ROAMING, N_HOME_ATTACH, 1, at_purge, su_not_current),
    SC("dos.delete_subscriber_data", 14, N_HOME_ANY, NO_FB, 1, at_dsd, su_cat2_home),
    SC("theft.send_imsi", 15, N_HOME_ANY, NO_FB, 1, at_send_imsi, su_send_imsi),
    SC("theft.sai", 16, N_HOME_RECENT, N_HOME_ATTACH, 1, at_sai, su_not_current),
    SC("theft.send_identification", 17, N_HOME_ANY, NO_FB, 1, at_send_ident, su_send_ident),
    SC("fraud.ussd", 18, N_HOME_ROAMING, N_HOME_ATTACH, 1, at_ussd, su_ussd),
    SC("fraud.sms_spoof", 19, N_HOME_AT_HOME, N_HOME_ANY, 1, at_sms_spoof, su_sms_spoof),
    SC("fraud.sms_no_sri", 20, N_HOME_AT_HOME, N_HOME_ANY, 1, at_sms_no_sri, su_sms_no_sri),
    SC("fraud.any_time_modification", 21, N_HOME_ANY, NO_FB, 1, at_atm, su_atm),
    SCP("spoof.peer_mismatch", "roam.in_attach", 22, N_IN_REG, N_IN_UNREG, 1, at_var_begin,
        su_peer_mismatch),
    SCP("spoof.not_home_network", "roam.in_attach", 23, N_IN_REG, N_IN_UNREG, 1, at_var_begin,
        su_not_home),
    SCP("infiltration.unknown_dialogue", "roam.in_attach", 24, N_IN_REG, N_IN_UNREG, 1,
        at_unknown_dialogue, su_unknown_dialogue),
    SCP("spoof.ssn_mismatch", "roam.in_attach", 25, N_IN_REG, N_IN_UNREG, 1, at_var_begin,
        su_ssn_mismatch),
    SC("evasion.unknown_user", 26, N_HOME_ANY, NO_FB, 1, at_unknown_user, su_evasion),
    SC("evasion.unknown_context", 27, N_HOME_ANY, NO_FB, 1, at_unknown_context, su_evasion),
    SC("evasion.map_v1", 28, N_HOME_ANY, NO_FB, 1, at_map_v1, su_map_v1),
    SC("evasion.global_opcode", 29, N_HOME_ANY, NO_FB, 1, at_global_op, su_evasion),
    SC("evasion.unknown_operation", 30, N_HOME_ANY, NO_FB, 1, at_unknown_op, su_evasion),
    SC("evasion.out_of_context", 31, N_HOME_ANY, NO_FB, 1, at_out_of_context, su_evasion),
    SC("evasion.ansi_tcap", 32, N_HOME_ANY, NO_FB, 1, at_ansi, su_ansi),
    SC("dos.scmg_stranger", 33, N_HOME_ANY, NO_FB, 1, at_scmg, su_scmg_stranger),
    SC("dos.scmg_partner", 34, N_HOME_ANY, NO_FB, 1, at_scmg, su_scmg_partner),
    SC("fraud.cap_stranger", 35, N_HOME_ANY, NO_FB, 1, at_var_cap, su_cap_stranger),
    SC("intercept.cap_scf_origin", 36, N_HOME_ANY, NO_FB, 1, at_var_cap, su_cap_scf_origin),
    SC("fraud.cap_foreign_idp", 37, N_IN_ANY, NO_FB, 1, at_var_cap, su_cap_foreign_idp),
    SC("fraud.sms_spoof_legacy", 38, N_HOME_AT_HOME, N_HOME_ANY, 1, at_sms_legacy,
       su_sms_spoof_legacy),
    SC("fraud.sms_no_sri_legacy", 39, N_HOME_AT_HOME, N_HOME_ANY, 1, at_sms_legacy,
       su_sms_no_sri_legacy),
    SCP("intercept.ul_at_home", "sms.mt_home", 40, N_HOME_AT_HOME, NO_FB, 1, at_ul_at_home,
        su_ul_at_home),
    SCP("infiltration.hijack_answer", "call.sri_out", 41, N_IN_ANY, NO_FB, 1, at_hijack, su_hijack),
    SC("cli.spoof_home", 42, N_HOME_ANY, NO_FB, 1, at_call, su_cli_spoof_home),
    SC("cli.spoof_invalid", 43, N_HOME_ANY, NO_FB, 1, at_call, su_cli_invalid),
    SC("call.robocall", 44, N_HOME_ANY, NO_FB, 1, at_robocall, su_robocall),
    SCP("call.wangiri", "call.signalling", 45, N_HOME_ANY, NO_FB, 1, at_wangiri, su_wangiri),
    SCP("smish.protected_sender", "sms.mt_home", 46, N_HOME_AT_HOME, N_HOME_ANY, 1, at_smish_sender,
        su_smish_sender),
    SC("smish.link", 47, N_IN_ANY, NO_FB, 1, at_sms, su_smish_link),
    SC("spam.sms_flood", 48, N_IN_ANY, NO_FB, 1, at_sms_flood, su_sms_flood),
    SC("spam.sms_campaign", 49, N_IN_ANY, NO_FB, 1, at_sms_campaign, su_sms_campaign),
    SC("evasion.component_hiding", 50, N_HOME_ANY, NO_FB, 1, at_hidden, su_hidden),
    SC("evasion.cap_ssn", 51, N_HOME_ANY, NO_FB, 1, at_cap_ssn, su_cap_ssn),
    SC("fraud.sms_da_mismatch", 52, N_HOME_AT_HOME, N_HOME_ANY, 1, at_sms_legacy,
       su_sms_da_mismatch),
    SCP("smish.split_link", "sms.segment", 53, N_IN_ANY, NO_FB, 1, at_sms_split, su_smish_split),
};
#define N_ATTACKS (sizeof attack_scenarios / sizeof attack_scenarios[0])
_Static_assert(N_ATTACKS <= 64, "only_mask has 64 bits");

/* ------------------------------------------------------------------ */

void ssgw_attack_opts_default(ssgw_attack_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->count = 1000;
    o->attack_ratio = 0.05;
    o->duration_h = 72;
    o->start_sec = 1700000000u;
}

/* Mean messages per scenario start, for the pace. */
#define MSGS_PER_SCENARIO 3.2

ssgw_attack_gen *ssgw_attack_new(const ssgw_attack_opts *o, ssgw_error *err)
{
    if (N_ATTACKS != ssgw_attack_count()) {
        ssgw_fail(err, SSGW_LAYER_NONE, SSGW_E_BAD_VALUE, "attack catalogue", 0);
        return NULL;
    }
    if (!(o->attack_ratio >= 0 && o->attack_ratio <= 1) || !(o->duration_h > 0)) {
        ssgw_fail(err, SSGW_LAYER_NONE, SSGW_E_BAD_VALUE,
                  o->duration_h > 0 ? "attack ratio" : "duration", 0);
        return NULL;
    }
    if (o->subscribers && (o->subscribers < 64 || o->subscribers > SSGW_ATTACK_MAX_SUBS)) {
        ssgw_fail(err, SSGW_LAYER_NONE, SSGW_E_BAD_VALUE, "subscribers", 0);
        return NULL;
    }
    ssgw_attack_gen *g = calloc(1, sizeof *g);
    if (!g) {
        ssgw_fail(err, SSGW_LAYER_NONE, SSGW_E_TOO_BIG, "attack generator (out of memory)", 0);
        return NULL;
    }
    g->o = *o;
    build_nodes();
    ssgw_rng_seed(&g->rng, o->seed ^ 0x5eed5a77ac4ull);
    for (size_t i = 0; i < N_ATTACKS; i++)
        if (!o->only_mask || (o->only_mask >> i & 1)) g->allowed[g->n_allowed++] = (int)i;
    for (size_t i = 0; i < N_LEGIT; i++)
        g->legit_total_weight += legit_scenarios[i].weight;
    if (o->subscribers) {
        /* A population of the caller's size (docs/attacks.md): each partner a quarter. */
        g->n_home = o->subscribers;
        g->n_partner = o->subscribers / 4 < 32 ? 32 : o->subscribers / 4;
    } else {
        /* About 25 messages per subscriber of ours over the capture, so that state
         * (registrations) builds up whatever the size; capped. */
        uint64_t nh = o->count / 25, np = o->count / 75;
        g->n_home = (uint32_t)(nh < 64                      ? 64
                               : nh > SSGW_ATTACK_HOME_SUBS ? SSGW_ATTACK_HOME_SUBS
                                                            : nh);
        g->n_partner = (uint32_t)(np < 32                         ? 32
                                  : np > SSGW_ATTACK_PARTNER_SUBS ? SSGW_ATTACK_PARTNER_SUBS
                                                                  : np);
    }
    g->home = calloc(g->n_home, sizeof *g->home);
    for (size_t p = 0; p < NPARTNERS; p++)
        g->roam_in[p] = calloc(g->n_partner, sizeof *g->roam_in[p]);
    if (!g->home || !g->roam_in[0] || !g->roam_in[1] || !g->roam_in[2]) {
        ssgw_attack_free(g);
        ssgw_fail(err, SSGW_LAYER_NONE, SSGW_E_TOO_BIG, "attack subscribers (out of memory)", 0);
        return NULL;
    }
    double starts = (double)(o->count ? o->count : 1) / MSGS_PER_SCENARIO;
    g->mean_gap_us = o->duration_h * 3600e6 / (starts > 1 ? starts : 1);
    if (g->mean_gap_us < 1000) g->mean_gap_us = 1000;
    g->tid_counter = 1 + (uint32_t)ssgw_rng_below(&g->rng, 1u << 20);
    g->forged_counter = 0x80000000u + (uint32_t)ssgw_rng_below(&g->rng, 1u << 20);
    /* Everyone starts unknown: ours at home, partners' not in our VLR. */
    for (size_t i = 0; i < g->n_home; i++)
        g->home[i].partner = -1;
    g->next_start_us = 0;
    return g;
}

void ssgw_attack_free(ssgw_attack_gen *g)
{
    if (!g) return;
    free(g->home);
    for (size_t p = 0; p < NPARTNERS; p++)
        free(g->roam_in[p]);
    free(g);
}

/* Exponential gap with the given mean, from 53 random bits. */
static uint64_t exp_gap(ssgw_rng *r, double mean)
{
    double u = (double)(ssgw_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
    double x = -log(1.0 - u) * mean;
    if (x > mean * 40) x = mean * 40;
    return (uint64_t)x + 1;
}

static void release(ssgw_attack_gen *g, inst *in)
{
    if (in->home_sub)
        g->home[in->sub].busy = 0;
    else if (in->p >= 0)
        g->roam_in[in->p][in->sub].busy = 0;
    in->used = false;
}

static bool start_legit(ssgw_attack_gen *g, inst *in)
{
    for (int tries = 0; tries < 4; tries++) {
        uint32_t w = ssgw_rng_below(&g->rng, g->legit_total_weight);
        const scenario *sc = legit_scenarios;
        while (w >= sc->weight) {
            w -= sc->weight;
            sc++;
        }
        in->p = in->q = -1;
        bool ok = sc->need >= N_IN_REG ? pick_in(g, in, sc->need, -1) : pick_home(g, in, sc->need);
        if (!ok) continue;
        /* keep SRI-SM for one MSISDN rare: none within LEGIT_SRI_GAP_S of another */
        if (in->home_sub && sc->steps[0].op == SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM &&
            g->home[in->sub].last_sri && sec_of(g) - g->home[in->sub].last_sri < LEGIT_SRI_GAP_S)
            continue;
        in->sc = sc;
        return true;
    }
    /* Always possible: an attach. */
    in->p = in->q = -1;
    pick_home(g, in, N_HOME_ATTACH);
    in->sc = &legit_scenarios[0];
    return !g->home[in->sub].busy;
}

static bool start_attack(ssgw_attack_gen *g, inst *in)
{
    const scenario *sc =
        &attack_scenarios[g->allowed[ssgw_rng_below(&g->rng, (uint32_t)g->n_allowed)]];
    /* a flood is 20-40 messages: pick it less often so every attack gets its share */
    if ((sc->steps[sc->n_steps - 1].flags & (F_REPEAT | F_LOOP)) && g->n_allowed > 1 &&
        ssgw_rng_below(&g->rng, 16) != 0)
        sc = &attack_scenarios[g->allowed[ssgw_rng_below(&g->rng, (uint32_t)g->n_allowed)]];
    in->p = in->q = -1;
    bool ok;
    if (sc->need >= N_IN_REG) {
        int want = sc->attack == 22 || sc->attack == 23 ? SAFARI : -1;
        ok = pick_in(g, in, sc->need, want);
        in->skip_prelude = ok;
        if (!ok && sc->fallback != NO_FB) ok = pick_in(g, in, sc->fallback, want);
    } else {
        ok = pick_home(g, in, sc->need);
        in->skip_prelude = ok;
        if (!ok && sc->fallback != NO_FB) {
            in->p = in->q = -1;
            ok = pick_home(g, in, sc->fallback);
        }
    }
    if (!ok) return false; /* a legitimate scenario instead; the ratio catches up later */
    /* a delivery "with no SRI-SM before" has had none within the legitimate gap (nor within
     * any SRI-SM window a firewall may have) */
    if (in->home_sub && !strcmp(ssgw_attack_at((size_t)sc->attack)->check, "sms.mt_fsm_no_sri") &&
        g->home[in->sub].last_sri && sec_of(g) - g->home[in->sub].last_sri < LEGIT_SRI_GAP_S)
        return false;
    /* a prelude that asks where the subscriber is keeps SRI-SM for one MSISDN rare too */
    if (in->home_sub && sc->steps[0].op == SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM &&
        !(sc->steps[0].flags & F_ATTACK) && g->home[in->sub].last_sri &&
        sec_of(g) - g->home[in->sub].last_sri < LEGIT_SRI_GAP_S)
        return false;
    in->sc = sc;
    return true;
}

static void start_scenario(ssgw_attack_gen *g, inst *in)
{
    memset(in, 0, offsetof(inst, imsi));
    in->p = in->q = -1;
    in->ss_code = 0;
    bool attack = false;
    if (g->n_allowed && g->o.attack_ratio > 0) {
        double target = g->o.attack_ratio * (double)(g->index + 1);
        attack = (double)g->n_attack_msgs < target && ssgw_rng_below(&g->rng, 4) != 0;
        if (g->o.attack_ratio >= 1) attack = true;
    }
    bool ok = attack ? start_attack(g, in) : false;
    if (!ok) {
        memset(in, 0, offsetof(inst, imsi));
        in->p = in->q = -1;
        ok = start_legit(g, in);
    }
    if (!ok) return;
    in->used = true;
    in->id = ++g->next_inst;
    if (in->home_sub)
        g->home[in->sub].busy = 1;
    else
        g->roam_in[in->p][in->sub].busy = 1;
    in->imsi[0] = in->msisdn[0] = in->vlr[0] = in->msc[0] = in->hlr[0] = '\0';
    in->atk_vlr[0] = in->atk_msc[0] = '\0';
    in->smsc[0] = in->scf[0] = in->mlc[0] = in->ftn[0] = in->msrn[0] = '\0';
    in->cic = 0;
    in->cg_num[0] = in->cd_num[0] = in->sms_sender[0] = in->sms_text[0] = '\0';
    in->sms_split = 0;
    in->screening = 3; /* network provided */
    in->rel_cause = 16;
    in->calls_done = in->complete = in->seq = 0;
    in->rep_gap_lo = in->rep_gap_hi = 0;
    bind_content(in);
    if (in->sc->setup) in->sc->setup(g, in);
    in->p_pc = in->p >= 0 ? partners[in->p].pc : 0;
    /* skip the prelude when the state already exists */
    in->step = 0;
    if (in->skip_prelude)
        while (in->step < in->sc->n_steps && (in->sc->steps[in->step].flags & F_PRELUDE))
            in->step++;
    if (in->sc->steps[in->step].flags & F_REPEAT && !in->repeat) in->repeat = 1;
    in->due_us = g->now_us;
}

/* ------------------------------------------------------------------ */
/* Message building */

static void resolve(const inst *in, uint8_t role, node *n)
{
    int who = role >> 4, kind = role & 15;
    switch (who) {
    case W_H:
        home_node(n, kind);
        break;
    case W_P:
        partner_node(n, in->p, kind);
        n->pc = in->p_pc;
        break;
    case W_Q:
        partner_node(n, in->q >= 0 ? in->q : 0, kind);
        break;
    case W_SRC:
        *n = in->src;
        break;
    default:
        *n = in->dst;
        break;
    }
}

static void put_addr_gt(ssgw_map_addr *a, const char *digits)
{
    if (digits[0]) ssgw_map_addr_set(a, digits, 1, 1);
}

/* What each operation carries (TS 29.002 clause 17.6/17.7), from the instance. */
static void fill_fields(ssgw_attack_gen *g, const inst *in, int op, int comp, bool attack,
                        ssgw_map_fields *f, const node *from)
{
    ssgw_map_fields_init(f);
    if (comp == C_INV) {
        switch (op) {
        case SSGW_MAP_OP_UPDATE_LOCATION:
            scpy(f->imsi, sizeof f->imsi, in->imsi);
            put_addr_gt(&f->msc_number, attack && in->atk_msc[0] ? in->atk_msc : in->msc);
            put_addr_gt(&f->vlr_number, attack && in->atk_vlr[0] ? in->atk_vlr : in->vlr);
            break;
        case SSGW_MAP_OP_CANCEL_LOCATION:
        case SSGW_MAP_OP_DELETE_SUBSCRIBER_DATA:
        case SSGW_MAP_OP_SEND_AUTHENTICATION_INFO:
        case SSGW_MAP_OP_PROVIDE_SUBSCRIBER_INFO: /* imsi-keyed HLR->VLR / VLR->HLR operations */
            scpy(f->imsi, sizeof f->imsi, in->imsi);
            if (op == SSGW_MAP_OP_DELETE_SUBSCRIBER_DATA)
                snprintf(f->ss_code, sizeof f->ss_code, "%02x", 0x21);
            break;
        case SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA:
            scpy(f->imsi, sizeof f->imsi, in->imsi);
            put_addr_gt(&f->msisdn, in->msisdn);
            break;
        case SSGW_MAP_OP_PROVIDE_ROAMING_NUMBER:
            scpy(f->imsi, sizeof f->imsi, in->imsi);
            put_addr_gt(&f->msc_number, in->msc);
            put_addr_gt(&f->msisdn, in->msisdn);
            put_addr_gt(&f->gmsc_address, in->scf);
            break;
        case SSGW_MAP_OP_REGISTER_SS:
        case SSGW_MAP_OP_ACTIVATE_SS:
            snprintf(f->ss_code, sizeof f->ss_code, "%02x", in->ss_code ? in->ss_code : 0x21);
            if (op == SSGW_MAP_OP_REGISTER_SS) put_addr_gt(&f->forwarded_to_number, in->ftn);
            break;
        case SSGW_MAP_OP_SEND_ROUTING_INFO:
            put_addr_gt(&f->msisdn, in->msisdn);
            put_addr_gt(&f->gmsc_address, in->scf[0] ? in->scf : from->gt);
            break;
        case SSGW_MAP_OP_MT_FORWARD_SM:
            scpy(f->imsi, sizeof f->imsi, in->imsi);
            put_addr_gt(&f->smsc_address, in->smsc);
            if (in->sms_text[0]) { /* SMS-DELIVER from the instance's sender (TS 23.040) */
                ssgw_sms_tpdu t;
                ssgw_sms_tpdu_init(&t, SSGW_SMS_DELIVER);
                t.oa.present = true;
                t.oa.alphanumeric = strspn(in->sms_sender, "0123456789") != strlen(in->sms_sender);
                t.oa.ton = t.oa.alphanumeric ? 5 : 1;
                t.oa.npi = t.oa.alphanumeric ? 0 : 1;
                scpy(t.oa.text, sizeof t.oa.text, in->sms_sender);
                t.pid = 0;
                t.dcs = 0;
                uint32_t now = g->o.start_sec + sec_of(g);
                t.scts.year = 24, t.scts.month = 1 + now / 2592000u % 12;
                t.scts.day = 1 + now / 86400u % 28, t.scts.hour = now / 3600u % 24;
                t.scts.minute = now / 60u % 60, t.scts.second = now % 60;
                ssgw_buf tb;
                ssgw_buf_init(&tb, g->tpdu_mem, sizeof g->tpdu_mem);
                ssgw_error e;
                const char *text = in->sms_text;
                size_t len = strlen(text);
                if (in->sms_split) { /* the attack is the segment sent second */
                    bool first_part = attack == in->sms_reverse;
                    t.concat = true;
                    t.concat_ref_bits = 8;
                    t.concat_ref = in->sms_ref;
                    t.concat_total = 2;
                    t.concat_seq = first_part ? 1 : 2;
                    if (!first_part) text += in->sms_split;
                    len = first_part ? in->sms_split : len - in->sms_split;
                }
                if (ssgw_sms_encode(&tb, &t, (const uint8_t *)text, len, &e) == 0 && !tb.overflow) {
                    f->sm_rp_ui = tb.data;
                    f->sm_rp_ui_len = tb.len;
                    f->sm_rp_dir = SSGW_MAP_SM_TO_MS;
                }
            }
            break;
        case SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM:
            put_addr_gt(&f->msisdn, in->msisdn);
            put_addr_gt(&f->smsc_address, in->smsc[0] ? in->smsc : from->gt);
            break;
        case SSGW_MAP_OP_SEND_IDENTIFICATION:
            snprintf(f->tmsi, sizeof f->tmsi, "%08x", (unsigned)ssgw_rng_next(&g->rng));
            put_addr_gt(&f->msc_number, in->msc);
            break;
        case SSGW_MAP_OP_SEND_IMSI:
            put_addr_gt(&f->msisdn, in->msisdn);
            break;
        case SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST: {
            static const char *const codes[] = {"*100#", "*123#", "*144*1#", "*101*1#"};
            f->ussd_dcs = 0x0f;
            snprintf(f->ussd_string, sizeof f->ussd_string, "%s",
                     codes[ssgw_rng_below(&g->rng, 4)]);
            put_addr_gt(&f->msisdn, in->msisdn);
            break;
        }
        case SSGW_MAP_OP_ANY_TIME_MODIFICATION:
            put_addr_gt(&f->msisdn, in->msisdn);
            put_addr_gt(&f->gsmscf_address, in->scf);
            snprintf(f->ss_code, sizeof f->ss_code, "%02x", 0x21);
            put_addr_gt(&f->forwarded_to_number, in->ftn);
            break;
        case SSGW_MAP_OP_PURGE_MS:
            scpy(f->imsi, sizeof f->imsi, in->imsi);
            put_addr_gt(&f->vlr_number, from->gt);
            break;
        case SSGW_MAP_OP_ANY_TIME_INTERROGATION:
            put_addr_gt(&f->msisdn, in->msisdn);
            put_addr_gt(&f->gsmscf_address, in->scf[0] ? in->scf : from->gt);
            break;
        case SSGW_MAP_OP_PROVIDE_SUBSCRIBER_LOCATION:
            put_addr_gt(&f->mlc_number, in->mlc);
            put_addr_gt(&f->msisdn, in->msisdn);
            break;
        case SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_LCS:
            put_addr_gt(&f->mlc_number, in->mlc);
            put_addr_gt(&f->msisdn, in->msisdn);
            break;
        default:
            break;
        }
        return;
    }
    switch (op) { /* results */
    case SSGW_MAP_OP_UPDATE_LOCATION:
        put_addr_gt(&f->hlr_number, in->hlr);
        break;
    case SSGW_MAP_OP_PROVIDE_ROAMING_NUMBER:
        put_addr_gt(&f->roaming_number, in->msrn);
        break;
    case SSGW_MAP_OP_REGISTER_SS:
        snprintf(f->ss_code, sizeof f->ss_code, "%02x", in->ss_code ? in->ss_code : 0x29);
        put_addr_gt(&f->forwarded_to_number, in->ftn);
        break;
    case SSGW_MAP_OP_SEND_ROUTING_INFO:
        scpy(f->imsi, sizeof f->imsi, in->imsi);
        put_addr_gt(&f->roaming_number, attack && in->ftn[0] ? in->ftn : in->msrn);
        break;
    case SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM:
        scpy(f->imsi, sizeof f->imsi, in->imsi);
        put_addr_gt(&f->msc_number, in->msc);
        break;
    case SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST:
        f->ussd_dcs = 0x0f;
        unsigned pounds = ssgw_rng_below(&g->rng, 100);
        unsigned pence = ssgw_rng_below(&g->rng, 100);
        snprintf(f->ussd_string, sizeof f->ussd_string, "Balance: %u.%02u GBP", pounds, pence);
        break;
    case SSGW_MAP_OP_PROVIDE_SUBSCRIBER_INFO:
    case SSGW_MAP_OP_ANY_TIME_INTERROGATION: {
        /* where the subscriber is: the serving VLR and a cell of its network */
        const char *mm = in->home_sub && in->p >= 0 ? partners[in->p].mccmnc : "23491";
        if (!in->home_sub) mm = "23491";
        put_addr_gt(&f->vlr_number, in->vlr);
        snprintf(f->mcc, sizeof f->mcc, "%.3s", mm);
        scpy(f->mnc, sizeof f->mnc, mm + 3);
        f->lac = 1 + (int)ssgw_rng_below(&g->rng, 60000);
        f->ci = 1 + (int)ssgw_rng_below(&g->rng, 60000);
        snprintf(f->cell_id, sizeof f->cell_id, "%c%cf%c%c%c%04x%04x", mm[1], mm[0], mm[2], mm[4],
                 mm[3], (unsigned)f->lac, (unsigned)f->ci);
        f->age_of_location = (int)ssgw_rng_below(&g->rng, 30);
        snprintf(f->subscriber_state, sizeof f->subscriber_state, "assumedIdle");
        break;
    }
    default:
        break;
    }
}

/* MAP parameter of a result that has no encoder: an empty SEQUENCE (every
 * element of InsertSubscriberDataRes, CancelLocationRes, DeleteSubscriberDataRes,
 * PurgeMS-Res and MT-ForwardSM-Res is optional), or, for
 * sendAuthenticationInfo, a v3 result with one quintuplet... kept to triplets:
 * [3] { authenticationSetList tripletList [0] { AuthenticationTriplet } }. */
static size_t raw_result(ssgw_attack_gen *g, int op, uint8_t *mem, size_t cap)
{
    ssgw_buf b;
    ssgw_buf_init(&b, mem, cap);
    if (op == SSGW_MAP_OP_SEND_AUTHENTICATION_INFO) {
        uint8_t v[16];
        size_t m3 = ssgw_ber_open(&b, SSGW_BER_CONTEXT, 3);
        size_t m0 = ssgw_ber_open(&b, SSGW_BER_CONTEXT, 0);
        for (int t = 0; t < 2; t++) {
            size_t ms = ssgw_ber_open(&b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_SEQUENCE);
            for (int i = 0; i < 16; i++)
                v[i] = (uint8_t)ssgw_rng_next(&g->rng);
            ssgw_ber_put_tlv(&b, SSGW_BER_UNIVERSAL, false, SSGW_BER_TAG_OCTET_STRING, v, 16);
            ssgw_ber_put_tlv(&b, SSGW_BER_UNIVERSAL, false, SSGW_BER_TAG_OCTET_STRING, v + 3, 4);
            ssgw_ber_put_tlv(&b, SSGW_BER_UNIVERSAL, false, SSGW_BER_TAG_OCTET_STRING, v + 7, 8);
            ssgw_ber_close(&b, ms);
        }
        ssgw_ber_close(&b, m0);
        ssgw_ber_close(&b, m3);
    } else {
        ssgw_ber_put_tlv(&b, SSGW_BER_UNIVERSAL, true, SSGW_BER_TAG_SEQUENCE, NULL, 0);
    }
    return b.overflow ? 0 : b.len;
}

static uint32_t new_tid(ssgw_attack_gen *g)
{
    return mix32(g->tid_counter++);
}

/* The dialogue portion of dialogue d (an AARQ or AARE) naming its context, in the shape the
 * dialogue was opened with. Returns 0, or -1 for a context the tables do not have. */
static int dialogue_portion(ssgw_attack_gen *g, const dlg_state *d, ssgw_tcap_dialogue_type type,
                            ssgw_tcap_dialogue *out)
{
    /* 1.3.6.1.4.1.32473.1.1: under RFC 5612's enterprise number for documentation */
    static const uint8_t private_ac[] = {0x2b, 0x06, 0x01, 0x04, 0x01,
                                         0x81, 0xfd, 0x59, 0x01, 0x01};
    switch (d->shape) {
    case SH_CAP: {
        int n = ssgw_cap_acn_to_oid(ssgw_cap_acn_by_id(d->ac), g->oid_mem, sizeof g->oid_mem);
        if (n < 0) return -1;
        ssgw_map_msg_dialogue_acn(out, type, g->oid_mem, (size_t)n);
        return 0;
    }
    case SH_BAD_VERSION:
        if (ssgw_map_acn_to_oid(d->ac, 1, g->oid_mem, sizeof g->oid_mem) < 0) return -1;
        g->oid_mem[SSGW_MAP_ACN_OID_LEN - 1] = 9; /* a version no MAP context has */
        ssgw_map_msg_dialogue_acn(out, type, g->oid_mem, SSGW_MAP_ACN_OID_LEN);
        return 0;
    case SH_PRIVATE_AC:
        ssgw_map_msg_dialogue_acn(out, type, private_ac, sizeof private_ac);
        return 0;
    default:
        return ssgw_map_msg_dialogue(out, type, d->ac, d->ver, g->oid_mem);
    }
}

/* What each CAP operation carries (TS 29.078), from the instance. */
static void fill_cap(const inst *in, int op, bool attack, const node *from, ssgw_cap_fields *f)
{
    ssgw_cap_fields_init(f);
    f->service_key = 11;
    switch (op) {
    case SSGW_CAP_OP_INITIAL_DP:
        scpy(f->imsi, sizeof f->imsi, in->imsi);
        scpy(f->calling_party_number, sizeof f->calling_party_number, in->msisdn);
        scpy(f->called_party_bcd_number, sizeof f->called_party_bcd_number, "4479240001234");
        scpy(f->msc_address, sizeof f->msc_address, in->msc[0] ? in->msc : from->gt);
        f->event_type_bcsm = 2; /* collectedInfo */
        break;
    case SSGW_CAP_OP_REQUEST_REPORT_BCSM_EVENT:
        scpy(f->bcsm_events, sizeof f->bcsm_events, "oAnswer,oDisconnect");
        break;
    case SSGW_CAP_OP_EVENT_REPORT_BCSM:
        f->event_type_bcsm = 9; /* oDisconnect */
        break;
    case SSGW_CAP_OP_CONNECT:
    case SSGW_CAP_OP_INITIATE_CALL_ATTEMPT:
        scpy(f->destination_routing_address, sizeof f->destination_routing_address,
             attack && in->ftn[0] ? in->ftn : "4479240005678");
        scpy(f->gsmscf_address, sizeof f->gsmscf_address, from->gt);
        scpy(f->calling_party_number, sizeof f->calling_party_number, in->msisdn);
        break;
    case SSGW_CAP_OP_RELEASE_CALL:
        f->release_cause = attack ? 31 : 16; /* normal, unspecified / normal clearing */
        break;
    default:
        break;
    }
}

/* Turns the sm-RP-OA of the forwardSM argument param (a service centre address, [4]) into an
 * msisdn ([2]), the same AddressString: the originator then claims the message comes from a
 * mobile while sm-RP-DA still sends it to one. */
static int msisdn_as_originator(uint8_t *param, size_t len)
{
    ssgw_ber_tlv seq, el;
    ssgw_error e;
    if (!len || ssgw_ber_read(param, len, &seq, &e) < 0) return -1;
    ssgw_ber_iter it;
    ssgw_ber_iter_init(&it, seq.val, seq.len);
    for (int i = 0; ssgw_ber_next(&it, &el, &e) > 0; i++)
        if (i == 1) { /* sm-RP-DA, then sm-RP-OA */
            if (el.cls != SSGW_BER_CONTEXT || el.tag != 4) return -1;
            uint8_t *tag = param + (size_t)(el.val - param) - el.hdr_len;
            *tag = (uint8_t)((*tag & 0xe0) | 2);
            return 0;
        }
    return -1;
}

/* The component of a TCAP step into c (its parameter in g->param_mem): a MAP or CAP invoke or
 * result of operation op in the dialogue's version ver, in the step's shape. */
static int build_component(ssgw_attack_gen *g, inst *in, int shape, int op, int comp, int id,
                           int ver, int phase, bool attack, const node *from,
                           ssgw_tcap_component *c, ssgw_attack_msg *m, ssgw_error *err)
{
    static const uint8_t global_op[] = {0x2a, 0x03, 0x04, 0x05}; /* 1.2.3.4.5 */
    ssgw_buf pb;
    ssgw_buf_init(&pb, g->param_mem, sizeof g->param_mem);
    ssgw_tcap_comp_type type =
        comp == C_INV ? SSGW_TCAP_COMP_INVOKE : SSGW_TCAP_COMP_RETURN_RESULT_LAST;
    if (shape == SH_CAP) {
        memset(c, 0, sizeof *c);
        c->type = type;
        c->invoke_id_present = true;
        c->invoke_id = id;
        c->opcode.kind = SSGW_TCAP_CODE_LOCAL;
        c->opcode.local = op;
        fill_cap(in, op, attack, from, &g->capf);
        if (ssgw_cap_decodes(op) && ssgw_cap_encode(op, phase, &g->capf, &pb) == 0) {
            c->param_present = true;
            c->param_tlv = pb.data;
            c->param_tlv_len = pb.len;
        }
        scpy(m->imsi, sizeof m->imsi, g->capf.imsi);
        m->op_name = ssgw_cap_op_name(op);
        return 0;
    }
    /* forwardSM towards the MS has the shape mt-forwardSM has in v1/v2 */
    bool fsm_mt = shape == SH_FSM_MT || shape == SH_FSM_DA_MIX;
    int enc_op = fsm_mt ? SSGW_MAP_OP_MT_FORWARD_SM : op;
    ssgw_map_fields *f = &g->f;
    fill_fields(g, in, enc_op, comp, attack, f, from);
    int r = ssgw_map_msg_component(c, type, id, enc_op, ver, f, &pb);
    if (r < 0 && comp == C_RES && !ssgw_map_decodes(enc_op, SSGW_MAP_RETURN_RESULT)) {
        pb.len = raw_result(g, enc_op, g->param_mem, sizeof g->param_mem);
        c->param_present = pb.len > 0;
        c->param_tlv = pb.data;
        c->param_tlv_len = pb.len;
    } else if (r < 0) {
        return ssgw_fail(err, SSGW_LAYER_MAP, SSGW_E_BAD_VALUE, ssgw_map_op_name(op), 0);
    }
    if (shape == SH_FSM_DA_MIX && comp == C_INV &&
        (!c->param_present || msisdn_as_originator(g->param_mem, c->param_tlv_len) < 0))
        return ssgw_fail(err, SSGW_LAYER_MAP, SSGW_E_BAD_VALUE, "sm-RP-OA", 0);
    if (fsm_mt && comp == C_RES && !c->param_present) {
        c->opcode.kind = SSGW_TCAP_CODE_NONE; /* RETURN RESULT without a result (v1/v2) */
    } else if (shape == SH_GLOBAL_OP) {
        c->opcode.kind = SSGW_TCAP_CODE_GLOBAL;
        c->opcode.global = global_op;
        c->opcode.global_len = sizeof global_op;
    } else {
        c->opcode.local = shape == SH_UNKNOWN_OP ? 99 : op; /* 99: allocated to no operation */
    }
    scpy(m->imsi, sizeof m->imsi, f->imsi);
    scpy(m->msisdn, sizeof m->msisdn, f->msisdn.digits);
    m->op_name = c->opcode.kind == SSGW_TCAP_CODE_LOCAL
                     ? ssgw_map_op_name_in((int)c->opcode.local, ver)
                     : NULL;
    return 0;
}

/* SH_HIDDEN's second invoke (id): operation op about one of partner inst->q's subscribers, with the
 * first one's other fields (g->f), in its own parameter memory. */
static int hiding_component(ssgw_attack_gen *g, const inst *in, int op, int id, int ver,
                            ssgw_tcap_component *c, ssgw_error *err)
{
    ssgw_map_fields f = g->f;
    char msisdn[16];
    partner_ids(in->q, (uint32_t)ssgw_rng_below(&g->rng, g->n_partner), f.imsi, msisdn);
    ssgw_map_addr_set(&f.msisdn, msisdn, 1, 1);
    ssgw_buf pb;
    ssgw_buf_init(&pb, g->hidden_mem, sizeof g->hidden_mem);
    if (ssgw_map_msg_component(c, SSGW_TCAP_COMP_INVOKE, id, op, ver, &f, &pb) < 0)
        return ssgw_fail(err, SSGW_LAYER_MAP, SSGW_E_BAD_VALUE, ssgw_map_op_name(op), 0);
    return 0;
}

/* The route of a message between two nodes (routing context per peer point code). */
static void route_between(const node *from, const node *to, bool begins, uint32_t key, uint32_t *rc,
                          ssgw_map_route *route)
{
    bool inbound = to->pc == HOME_PC;
    uint16_t peer = inbound ? from->pc : to->pc;
    *rc = 100u + (peer == ATTACKER_PC ? 9u : (uint32_t)(peer - 2000));
    memset(route, 0, sizeof *route);
    route->return_on_error = begins;
    route->opc = from->pc;
    route->dpc = to->pc;
    route->ni = 0; /* international network */
    route->sls = (uint8_t)(key & 0x0f);
    route->routing_context = rc;
    ssgw_sccp_addr_gt(&route->called, to->gt, to->ssn);
    ssgw_sccp_addr_gt(&route->calling, from->gt, from->ssn);
}

/* What the label says of where a message went. */
static void label_route(ssgw_attack_msg *m, const node *from, const node *to,
                        const ssgw_map_route *route)
{
    m->inbound = to->pc == HOME_PC;
    uint16_t peer = m->inbound ? from->pc : to->pc;
    m->opc = from->pc;
    m->dpc = to->pc;
    m->sls = route->sls;
    m->assoc = peer == ATTACKER_PC ? 3 : peer - 2001;
    scpy(m->calling_gt, sizeof m->calling_gt, route->calling.digits);
    scpy(m->called_gt, sizeof m->called_gt, route->called.digits);
    m->calling_ssn = route->calling.ssn;
    m->called_ssn = route->called.ssn;
}

/* A step of SCCP management (SSN 1, routed on point code) or of ANSI TCAP (an ANSI-41
 * Query with permission): no ITU TCAP. */
static int encode_other_user(ssgw_attack_gen *g, inst *in, int shape, int op, const node *from,
                             const node *to, ssgw_buf *out, ssgw_attack_msg *m, ssgw_error *err)
{
    uint8_t data[64];
    ssgw_buf db;
    ssgw_buf_init(&db, data, sizeof data);
    uint32_t rc, key = new_tid(g);
    ssgw_map_route route;
    route_between(from, to, false, key, &rc, &route);
    if (shape == SH_SCMG) {
        ssgw_scmg_msg sm = {.type = (uint8_t)op, .ssn = in->scmg_ssn, .pc = in->scmg_pc};
        if (ssgw_scmg_encode(&db, &sm) < 0)
            return ssgw_fail(err, SSGW_LAYER_SCMG, SSGW_E_BAD_VALUE, "message type", 0);
        ssgw_sccp_addr_ssn(&route.called, to->pc, SSGW_SCMG_SSN);
        ssgw_sccp_addr_ssn(&route.calling, from->pc, SSGW_SCMG_SSN);
        m->protocol = "scmg";
        m->op_name = ssgw_scmg_type_name(op);
    } else {
        ssgw_ansi_tcap_msg am;
        memset(&am, 0, sizeof am);
        am.type = SSGW_ANSI_TCAP_QUERY_WITH_PERM;
        am.has_otid = true;
        for (int i = 0; i < 4; i++)
            am.otid[i] = (uint8_t)(key >> (24 - 8 * i));
        ssgw_ansi_tcap_component c;
        memset(&c, 0, sizeof c);
        c.type = SSGW_ANSI_COMP_INVOKE_LAST;
        c.n_ids = 1;
        c.ids[0] = 1;
        c.op_kind = SSGW_ANSI_CODE_PRIVATE;
        c.op_family = SSGW_ANSI41_FAMILY;
        c.op_specifier = (uint8_t)op;
        if (ssgw_ansi_tcap_encode(&db, &am, &c, 1, err) < 0) return -1;
        m->protocol = "ansi-41";
        m->op_name = ssgw_ansi41_op_name(op);
    }
    if (ssgw_map_msg_wrap(out, &route, db.data, db.len, err) < 0) return -1;
    label_route(m, from, to, &route);
    m->opcode = -1;
    return 0;
}

/* What a TCAP step sends: its operation (the step's or the variant's), TCAP message type
 * and component (a forged one's). */
static void step_kind(const inst *in, const step *st, int *op, int *tcap, int *comp)
{
    *op = st->op != SSGW_MAP_OP_NONE ? st->op : in->op;
    *tcap = (st->flags & F_FORGED) ? in->tcap_forged : st->tcap;
    *comp = *tcap == T_END && (st->flags & F_FORGED) ? C_RES : st->comp;
    if (*tcap == T_ABORT) *comp = C_NONE, *op = SSGW_MAP_OP_NONE;
}

/* What a TCAP step's message is beside MAP in its context (SH_*): the step's own shape, or
 * for a variant's step the instance's. */
static int step_shape(const inst *in, const step *st)
{
    return st->shape                    ? st->shape
           : st->op == SSGW_MAP_OP_NONE ? in->shape /* a variant's step */
                                        : SH_MAP;
}

/* True when the step delivers a short message to the MS (an mt-forwardSM invoke, or a MAP
 * v1/v2 forwardSM towards the MS, with its TPDU). */
static bool sends_sms(const inst *in, const step *st)
{
    int op, tcap, comp;
    if (st->isup) return false;
    step_kind(in, st, &op, &tcap, &comp);
    int shape = step_shape(in, st);
    return (op == SSGW_MAP_OP_MT_FORWARD_SM || shape == SH_FSM_MT || shape == SH_FSM_DA_MIX) &&
           comp == C_INV;
}

static int encode_step(ssgw_attack_gen *g, inst *in, const step *st, ssgw_buf *out,
                       ssgw_attack_msg *m, ssgw_error *err)
{
    node from, to;
    resolve(in, st->from, &from);
    resolve(in, st->to, &to);
    if (st->from == SRC && in->src_ssn_override) from.ssn = in->src_ssn_override;
    int op, tcap, comp;
    step_kind(in, st, &op, &tcap, &comp);
    int ac = st->ac ? st->ac : in->ac, ver = st->ver ? st->ver : in->ver;
    int shape = step_shape(in, st);
    if (shape == SH_SCMG || shape == SH_ANSI)
        return encode_other_user(g, in, shape, op, &from, &to, out, m, err);
    if (shape == SH_CAP) from.ssn = to.ssn = 146; /* the CAP subsystem (TS 23.003) */

    ssgw_tcap_msg t;
    memset(&t, 0, sizeof t);
    t.type = (ssgw_tcap_msg_type)tcap;
    dlg_state *d = &in->dlg[st->dlg];
    bool aare = false, aarq = false;
    uint64_t dlg_no = 0;
    if (st->flags & F_FORGED) {
        ssgw_tcap_tid_set(&t.dtid, mix32(g->forged_counter++), 4);
        if (tcap == T_CONT) ssgw_tcap_tid_set(&t.otid, new_tid(g), 4);
    } else if (st->flags & F_HIJACK) {
        /* the responder's first answer, forged: names our transaction id, names the context */
        ssgw_tcap_tid_set(&t.dtid, d->a, 4);
        aare = true;
        dlg_no = d->no;
    } else if (tcap == T_BEGIN) {
        d->a = new_tid(g);
        d->b = 0;
        d->init_who = st->from;
        d->responded = 0;
        d->no = ++g->next_dlg;
        d->shape = (uint8_t)shape;
        d->nodlg = (st->flags & F_NO_DIALOGUE) || (st->op == SSGW_MAP_OP_NONE && in->nodlg);
        ssgw_tcap_tid_set(&t.otid, d->a, 4);
        aarq = true;
        dlg_no = d->no;
    } else {
        bool from_init = st->from == d->init_who;
        if (!from_init && !d->responded) {
            d->b = new_tid(g);
            d->responded = 1;
            aare = true;
        }
        dlg_no = d->no;
        if (tcap == T_CONT) ssgw_tcap_tid_set(&t.otid, from_init ? d->a : d->b, 4);
        ssgw_tcap_tid_set(&t.dtid, from_init ? d->b : d->a, 4);
    }
    if (!aarq && !(st->flags & F_FORGED)) ver = d->ver; /* answers use the dialogue's version */
    if (aarq) {
        d->ac = (uint8_t)ac;
        d->ver = (uint8_t)ver;
    }
    if ((aarq || aare) && !d->nodlg) {
        t.dialogue_present = true;
        if (dialogue_portion(g, d, aarq ? SSGW_TCAP_DLG_AARQ : SSGW_TCAP_DLG_AARE, &t.dialogue) < 0)
            return ssgw_fail(err, SSGW_LAYER_MAP, SSGW_E_BAD_VALUE, "application context", 0);
        if (aarq && (st->flags & F_OPENINFO)) {
            ssgw_buf ob;
            ssgw_buf_init(&ob, g->oi_mem, sizeof g->oi_mem);
            if (ssgw_map_msg_open_info(&ob, in->imsi, from.gt) < 0)
                return ssgw_fail(err, SSGW_LAYER_MAP, SSGW_E_BAD_VALUE, "MAP-OpenInfo", 0);
            t.dialogue.user_info_present = true;
            t.dialogue.user_info = ob.data;
            t.dialogue.user_info_len = ob.len;
            scpy(m->dest_ref, sizeof m->dest_ref, in->imsi);
        }
    }

    ssgw_tcap_component cs[2];
    memset(cs, 0, sizeof cs);
    size_t ncomp = 0;
    bool from_init = (st->flags & (F_FORGED | F_HIJACK)) ? false : st->from == d->init_who;
    m->protocol = shape == SH_CAP ? "cap" : shape == SH_PRIVATE_AC ? "unknown" : "map";
    if (comp == C_INV || comp == C_RES) {
        ncomp = 1;
        /* the initiator's invokes have id 1 and the responder's 2 */
        int id = (comp == C_INV) == from_init ? 1 : 2;
        const ssgw_cap_acn *cacn = shape == SH_CAP ? ssgw_cap_acn_by_id(d->ac) : NULL;
        if (build_component(g, in, shape, op, comp, id, ver, cacn ? cacn->phase : 0,
                            (st->flags & F_ATTACK) != 0, &from, &cs[0], m, err) < 0)
            return -1;
        if (shape == SH_HIDDEN && comp == C_INV) {
            if (hiding_component(g, in, op, id + 2, ver, &cs[1], err) < 0) return -1;
            ncomp = 2;
        }
    } else if (tcap == T_ABORT) {
        t.pabort_present = true;
        t.pabort_cause = SSGW_TCAP_PABORT_UNRECOGNIZED_TRANSACTION_ID;
    }
    t.components_present = ncomp > 0;

    uint32_t rc, key = t.otid.present ? t.otid.value : t.dtid.value;
    ssgw_map_route route;
    route_between(&from, &to, tcap == T_BEGIN, key, &rc, &route);
    if (ssgw_map_msg_encode(out, &route, &t, cs, ncomp, err) < 0) return -1;

    label_route(m, &from, &to, &route);
    m->tcap_type = tcap;
    m->opcode = ncomp && cs[0].opcode.kind == SSGW_TCAP_CODE_LOCAL ? (int)cs[0].opcode.local : -1;
    m->comp_type = ncomp ? (int)cs[0].type : 0;
    m->has_otid = t.otid.present;
    m->otid = t.otid.present ? t.otid.value : 0;
    m->has_dtid = t.dtid.present;
    m->dtid = t.dtid.present ? t.dtid.value : 0;
    m->dialogue = dlg_no;
    return 0;
}

/* An ISUP message of the instance's call (Q.763): IAM with its numbers, ACM, ANM, REL,
 * RLC on the instance's circuit, in M3UA DATA with SI 5 and the SLS of the CIC's low bits. */
static int encode_isup(ssgw_attack_gen *g, inst *in, const step *st, ssgw_buf *out,
                       ssgw_attack_msg *m, ssgw_error *err)
{
    (void)g;
    node from, to;
    resolve(in, st->from, &from);
    resolve(in, st->to, &to);
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    switch (st->isup) {
    case SSGW_ISUP_IAM: {
        if (ssgw_isup_add_basic_iam(&b, in->cd_num, in->cg_num, in->screening) < 0)
            return ssgw_fail(err, SSGW_LAYER_ISUP, SSGW_E_BAD_VALUE, "attack call numbers", 0);
        break;
    }
    case SSGW_ISUP_ACM:
        ssgw_isup_add_u16(&b, SSGW_ISUP_P_BCI, 0x1614);
        break;
    case SSGW_ISUP_REL:
        ssgw_isup_add_cause(&b, 0, in->rel_cause);
        break;
    default:
        break;
    }
    uint8_t mem[256];
    ssgw_buf ib;
    ssgw_buf_init(&ib, mem, sizeof mem);
    if (ssgw_isup_builder_encode(&b, &ib, in->cic, st->isup, err) < 0) return -1;
    bool inbound = to.pc == HOME_PC;
    uint16_t peer = inbound ? from.pc : to.pc;
    uint32_t rc = 100u + (peer == ATTACKER_PC ? 9u : (uint32_t)(peer - 2000));
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    d.routing_context = &rc;
    d.n_routing_context = 1;
    d.pd.opc = from.pc;
    d.pd.dpc = to.pc;
    d.pd.si = 5;
    d.pd.ni = 0; /* international network */
    d.pd.sls = in->cic & 0x0f;
    d.pd.data = ib.data;
    d.pd.data_len = ib.len;
    if (ssgw_m3ua_encode_data(out, &d) < 0 || out->overflow)
        return ssgw_fail(err, SSGW_LAYER_M3UA, SSGW_E_TOO_BIG, "attack message", 0);
    m->inbound = inbound;
    m->protocol = "isup";
    m->tcap_type = -1;
    m->opcode = -1;
    m->opc = from.pc;
    m->dpc = to.pc;
    m->sls = d.pd.sls;
    m->assoc = peer == ATTACKER_PC ? 3 : peer - 2001;
    m->isup = st->isup;
    m->cic = in->cic;
    if (st->isup == SSGW_ISUP_IAM) {
        scpy(m->calling_number, sizeof m->calling_number, in->cg_num);
        scpy(m->called_number, sizeof m->called_number, in->cd_num);
    }
    return 0;
}

static void apply_state(ssgw_attack_gen *g, inst *in, const step *st)
{
    uint32_t now = sec_of(g);
    /* Any legitimate message about a subscriber of ours registered abroad shows
     * it is there now: travel to another country is measured from here (a
     * firewall may use the last location update, or any later sighting). */
    if (in->home_sub && !(st->flags & F_ATTACK) && in->p >= 0) {
        home_sub *s = &g->home[in->sub];
        if (s->partner == in->p || (st->flags & F_UL_DONE)) s->last_move = now ? now : 1;
    }
    /* ... and one at home (our HLR's answers name our MSC) shows it is at home now */
    if (in->home_sub && !(st->flags & F_ATTACK) && in->p < 0 && g->home[in->sub].partner < 0 &&
        !g->home[in->sub].attached)
        g->home[in->sub].last_move = now ? now : 1;
    if (st->flags & F_UL_DONE) {
        home_sub *s = &g->home[in->sub];
        s->partner = (int8_t)in->p;
        s->attached = 1;
        s->last_ul = now;
    }
    if (st->flags & F_HOME) {
        home_sub *s = &g->home[in->sub];
        s->attached = 0;
        s->partner = -1;
        s->last_move = now ? now : 1;
    }
    if (st->op == SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM && st->tcap == T_BEGIN && in->home_sub)
        g->home[in->sub].last_sri = now ? now : 1;
    if ((st->flags & F_ATTACK) && in->op == SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM && in->home_sub)
        g->home[in->sub].last_sri = now ? now : 1;
    if (st->flags & F_PURGED) g->home[in->sub].attached = 0;
    if (st->flags & F_IN_REG) g->roam_in[in->p][in->sub].reg = 1;
    if (st->flags & F_IN_UNREG) g->roam_in[in->p][in->sub].reg = 0;
}

int ssgw_attack_next(ssgw_attack_gen *g, ssgw_buf *out, ssgw_attack_msg *m, ssgw_error *err)
{
    for (;;) {
        /* earliest due slot */
        inst *best = NULL;
        for (size_t i = 0; i < SSGW_ATTACK_SLOTS; i++) {
            inst *in = &g->slots[i];
            if (in->used && (!best || in->due_us < best->due_us ||
                             (in->due_us == best->due_us && in->id < best->id)))
                best = in;
        }
        if (!best || g->next_start_us < best->due_us) {
            /* start a scenario in a free slot (or wait for one) */
            inst *free_slot = NULL;
            for (size_t i = 0; i < SSGW_ATTACK_SLOTS && !free_slot; i++)
                if (!g->slots[i].used) free_slot = &g->slots[i];
            if (free_slot) {
                if (g->next_start_us > g->now_us) g->now_us = g->next_start_us;
                start_scenario(g, free_slot);
                g->next_start_us = g->now_us + exp_gap(&g->rng, g->mean_gap_us);
                continue;
            }
            g->next_start_us = best->due_us + 1;
            continue;
        }
        inst *in = best;
        if (in->due_us > g->now_us) g->now_us = in->due_us;
        const step *st = &in->sc->steps[in->step];
        memset(m, 0, sizeof *m);
        m->index = g->index;
        uint64_t t = (uint64_t)g->o.start_sec * 1000000u + g->now_us;
        m->ts_sec = (uint32_t)(t / 1000000u);
        m->ts_usec = (uint32_t)(t % 1000000u);
        m->attack = (st->flags & F_ATTACK) != 0;
        m->attack_id = m->attack ? in->sc->attack : -1;
        m->variant = m->attack ? in->variant : 0;
        /* legitimate messages of an attack scenario are its prelude (an attach, unless the
         * scenario names another) */
        m->scenario = m->attack || in->sc->attack < 0 ? in->sc->name
                      : in->sc->prelude               ? in->sc->prelude
                                                      : legit_scenarios[0].name;
        m->instance = in->id;
        bool sms = sends_sms(in, st);
        if (sms && !in->sms_text[0]) /* every short message has a sender and a text */
            sms_from(g, in, in->q >= 0 ? in->q : in->p >= 0 ? in->p : SAFARI);
        if ((st->isup ? encode_isup(g, in, st, out, m, err) : encode_step(g, in, st, out, m, err)) <
            0)
            return -1;
        if (sms) scpy(m->sms_sender, sizeof m->sms_sender, in->sms_sender);
        apply_state(g, in, st);
        g->index++;
        if (m->attack) g->n_attack_msgs++;
        /* advance */
        uint32_t gap_lo = in->rep_gap_lo ? in->rep_gap_lo : 200;
        uint32_t gap_hi = in->rep_gap_hi ? in->rep_gap_hi : 4000;
        if ((st->flags & F_REPEAT) && in->repeat > 1) {
            in->repeat--;
            if (st->flags & F_NEWSUB) renew(g, in);
            in->due_us = g->now_us + 1000u * rand_between(&g->rng, gap_lo, gap_hi);
        } else if ((st->flags & F_LOOP) ||
                   ((st->flags & F_CALL) && in->calls_done >= in->complete)) {
            /* a call of a repeating attack ended (completed, or released at its IAM) */
            if (st->flags & F_LOOP) in->calls_done++;
            if (in->repeat > 1) {
                in->repeat--;
                in->step = 0;
                renew(g, in);
                in->due_us = g->now_us + 1000u * rand_between(&g->rng, gap_lo, gap_hi);
            } else {
                release(g, in);
            }
        } else if (++in->step < in->sc->n_steps) {
            const step *nx = &in->sc->steps[in->step];
            in->due_us = g->now_us + 1000ull * rand_between(&g->rng, nx->gap_lo, nx->gap_hi);
        } else {
            release(g, in);
        }
        return 0;
    }
}
