/*
 * asp_fsm.c - M3UA ASP state machines as tables (RFC 4666 4.3.1 states,
 * 4.3.4 procedures), one per local role, in the manner of libosmo-sigtran's
 * xua_asp_fsm.c: a transition names the messages to send and the next state.
 *
 *  SG  (we answer an ASP; 4.3.4.1-4.3.4.4): ASPUP -> ASPUP_ACK (+ NTFY AS-INACTIVE
 *      leaving DOWN), ASPAC -> ASPAC_ACK + NTFY AS-ACTIVE, ASPIA -> ASPIA_ACK,
 *      ASPDN -> ASPDN_ACK; ASPAC or DATA while DOWN / DATA while INACTIVE is an
 *      Unexpected Message (ERR 0x06); an ASPUP while ACTIVE moves the ASP back
 *      to INACTIVE (4.3.4.1). DAUD is answered with DAVA/DUNA (4.5.3).
 *  ASP (we initiate; 4.3.4.1, 4.3.4.3): transport up -> ASPUP, ASPUP_ACK -> ASPAC,
 *      ASPAC_ACK -> ACTIVE; the ack timer retransmits; SSNM from the SG is relayed.
 *  IPSP (4.3.4, single exchange): both sets, and only the connecting side initiates.
 *
 * BEAT is answered in every state (4.3.4.6); NTFY and ERR are noted.
 */
#include "ssgw/asp_fsm.h"

#include "ssgw/m3ua.h"

#define T(a, n)                                                                                    \
    {                                                                                              \
        .valid = true, .actions = (a), .next = (n)                                                 \
    }
#define S     SSGW_ASP_SAME
#define DOWN  SSGW_ASP_DOWN
#define INACT SSGW_ASP_INACTIVE
#define ACT   SSGW_ASP_ACTIVE

enum {
    UP = SSGW_ASP_A_SEND_ASPUP,
    UP_IF_CLIENT = SSGW_ASP_A_SEND_ASPUP_IF_CLIENT,
    UP_ACK = SSGW_ASP_A_SEND_ASPUP_ACK,
    DN_ACK = SSGW_ASP_A_SEND_ASPDN_ACK,
    AC = SSGW_ASP_A_SEND_ASPAC,
    AC_ACK = SSGW_ASP_A_SEND_ASPAC_ACK,
    IA_ACK = SSGW_ASP_A_SEND_ASPIA_ACK,
    BEAT_ACK = SSGW_ASP_A_SEND_BEAT_ACK,
    NTFY_INACT = SSGW_ASP_A_SEND_NTFY_INACTIVE,
    NTFY_ACT = SSGW_ASP_A_SEND_NTFY_ACTIVE,
    ERR_UNEXP = SSGW_ASP_A_SEND_ERR_UNEXPECTED,
    ERR_UNSUP = SSGW_ASP_A_SEND_ERR_UNSUPPORTED,
    DELIVER = SSGW_ASP_A_DELIVER,
    RELAY = SSGW_ASP_A_RELAY_SSNM,
    DAUD_ANS = SSGW_ASP_A_ANSWER_DAUD,
    NOTE = SSGW_ASP_A_NOTE,
    TSTART = SSGW_ASP_A_TIMER_START,
    TSTOP = SSGW_ASP_A_TIMER_STOP,
    DROP = SSGW_ASP_A_DROP,
};

/* Cells every role shares. */
#define COMMON(st)                                                                                 \
    [SSGW_ASP_EV_TRANSPORT_DOWN] = T(TSTOP, DOWN), [SSGW_ASP_EV_BEAT] = T(BEAT_ACK, S),            \
    [SSGW_ASP_EV_BEAT_ACK] = T(0, S), [SSGW_ASP_EV_NTFY] = T(NOTE, S),                             \
    [SSGW_ASP_EV_ERR] = T(NOTE, S), [SSGW_ASP_EV_UNSUPPORTED] = T(ERR_UNSUP | DROP, S),            \
    [SSGW_ASP_EV_ASPDN] = T(DN_ACK | TSTOP, DOWN)

static const ssgw_asp_transition sg_table[SSGW_ASP_STATE_COUNT][SSGW_ASP_EV_COUNT] = {
    [DOWN] =
        {
            COMMON(DOWN),
            [SSGW_ASP_EV_TRANSPORT_UP] = T(0, DOWN),
            [SSGW_ASP_EV_TIMER] = T(0, S),
            [SSGW_ASP_EV_ASPUP] = T(UP_ACK | NTFY_INACT, INACT),
        },
    [INACT] =
        {
            COMMON(INACT),
            [SSGW_ASP_EV_TIMER] = T(0, S),
            [SSGW_ASP_EV_ASPUP] = T(UP_ACK, S),
            [SSGW_ASP_EV_ASPAC] = T(AC_ACK | NTFY_ACT, ACT),
            [SSGW_ASP_EV_ASPIA] = T(IA_ACK, S),
            [SSGW_ASP_EV_DAUD] = T(DAUD_ANS, S),
        },
    [ACT] =
        {
            COMMON(ACT),
            [SSGW_ASP_EV_TIMER] = T(0, S),
            [SSGW_ASP_EV_ASPUP] = T(UP_ACK | NTFY_INACT, INACT),
            [SSGW_ASP_EV_ASPAC] = T(AC_ACK, S),
            [SSGW_ASP_EV_ASPIA] = T(IA_ACK | NTFY_INACT, INACT),
            [SSGW_ASP_EV_DATA] = T(DELIVER, S),
            [SSGW_ASP_EV_DAUD] = T(DAUD_ANS, S),
        },
};

static const ssgw_asp_transition asp_table[SSGW_ASP_STATE_COUNT][SSGW_ASP_EV_COUNT] = {
    [DOWN] =
        {
            COMMON(DOWN),
            [SSGW_ASP_EV_TRANSPORT_UP] = T(UP | TSTART, DOWN),
            [SSGW_ASP_EV_TIMER] = T(UP | TSTART, S),
            [SSGW_ASP_EV_ASPUP_ACK] = T(AC | TSTART, INACT),
            [SSGW_ASP_EV_ASPDN_ACK] = T(0, S),
        },
    [INACT] =
        {
            COMMON(INACT),
            [SSGW_ASP_EV_TIMER] = T(AC | TSTART, S),
            [SSGW_ASP_EV_ASPUP_ACK] = T(0, S),
            [SSGW_ASP_EV_ASPAC_ACK] = T(TSTOP, ACT),
            [SSGW_ASP_EV_ASPIA_ACK] = T(0, S),
            [SSGW_ASP_EV_ASPDN_ACK] = T(TSTOP, DOWN),
            [SSGW_ASP_EV_SSNM] = T(RELAY, S),
        },
    [ACT] =
        {
            COMMON(ACT),
            [SSGW_ASP_EV_TIMER] = T(0, S),
            /* the SG lost our state (4.3.4.1): activate again */
            [SSGW_ASP_EV_ASPUP_ACK] = T(AC | TSTART, INACT),
            [SSGW_ASP_EV_ASPAC_ACK] = T(0, S),
            [SSGW_ASP_EV_ASPIA_ACK] = T(0, INACT),
            [SSGW_ASP_EV_ASPDN_ACK] = T(0, DOWN),
            [SSGW_ASP_EV_DATA] = T(DELIVER, S),
            [SSGW_ASP_EV_SSNM] = T(RELAY, S),
        },
};

static const ssgw_asp_transition ipsp_table[SSGW_ASP_STATE_COUNT][SSGW_ASP_EV_COUNT] = {
    [DOWN] =
        {
            COMMON(DOWN),
            [SSGW_ASP_EV_TRANSPORT_UP] = T(UP_IF_CLIENT | TSTART, DOWN),
            [SSGW_ASP_EV_TIMER] = T(UP_IF_CLIENT | TSTART, S),
            [SSGW_ASP_EV_ASPUP] = T(UP_ACK | TSTOP, INACT),
            [SSGW_ASP_EV_ASPUP_ACK] = T(AC | TSTART, INACT),
            [SSGW_ASP_EV_ASPDN_ACK] = T(0, S),
        },
    [INACT] =
        {
            COMMON(INACT),
            [SSGW_ASP_EV_TIMER] = T(AC | TSTART, S),
            [SSGW_ASP_EV_ASPUP] = T(UP_ACK, S),
            [SSGW_ASP_EV_ASPUP_ACK] = T(0, S),
            [SSGW_ASP_EV_ASPAC] = T(AC_ACK | TSTOP, ACT),
            [SSGW_ASP_EV_ASPAC_ACK] = T(TSTOP, ACT),
            [SSGW_ASP_EV_ASPIA] = T(IA_ACK, S),
            [SSGW_ASP_EV_ASPIA_ACK] = T(0, S),
            [SSGW_ASP_EV_ASPDN_ACK] = T(TSTOP, DOWN),
            [SSGW_ASP_EV_SSNM] = T(RELAY, S),
            [SSGW_ASP_EV_DAUD] = T(DAUD_ANS, S),
        },
    [ACT] =
        {
            COMMON(ACT),
            [SSGW_ASP_EV_TIMER] = T(0, S),
            [SSGW_ASP_EV_ASPUP] = T(UP_ACK, INACT),
            [SSGW_ASP_EV_ASPUP_ACK] = T(AC | TSTART, INACT),
            [SSGW_ASP_EV_ASPAC] = T(AC_ACK, S),
            [SSGW_ASP_EV_ASPAC_ACK] = T(0, S),
            [SSGW_ASP_EV_ASPIA] = T(IA_ACK, INACT),
            [SSGW_ASP_EV_ASPIA_ACK] = T(0, INACT),
            [SSGW_ASP_EV_ASPDN_ACK] = T(0, DOWN),
            [SSGW_ASP_EV_DATA] = T(DELIVER, S),
            [SSGW_ASP_EV_SSNM] = T(RELAY, S),
            [SSGW_ASP_EV_DAUD] = T(DAUD_ANS, S),
        },
};

static const ssgw_asp_transition unexpected = {
    .valid = false, .actions = ERR_UNEXP | DROP, .next = S};

const ssgw_asp_transition *ssgw_asp_fsm_step(ssgw_gw_role role, ssgw_asp_state st,
                                             ssgw_asp_event ev)
{
    if ((unsigned)st >= SSGW_ASP_STATE_COUNT || (unsigned)ev >= SSGW_ASP_EV_COUNT)
        return &unexpected;
    const ssgw_asp_transition *t;
    switch (role) {
    case SSGW_GW_ROLE_ASP:
        t = &asp_table[st][ev];
        break;
    case SSGW_GW_ROLE_SG:
        t = &sg_table[st][ev];
        break;
    case SSGW_GW_ROLE_IPSP:
        t = &ipsp_table[st][ev];
        break;
    default:
        return &unexpected;
    }
    return t->valid ? t : &unexpected;
}

ssgw_asp_event ssgw_asp_event_for(uint8_t msg_class, uint8_t msg_type)
{
    switch (msg_class) {
    case SSGW_M3UA_CLASS_MGMT:
        if (msg_type == SSGW_M3UA_MGMT_ERR) return SSGW_ASP_EV_ERR;
        if (msg_type == SSGW_M3UA_MGMT_NTFY) return SSGW_ASP_EV_NTFY;
        break;
    case SSGW_M3UA_CLASS_TRANSFER:
        if (msg_type == SSGW_M3UA_TRANSFER_DATA) return SSGW_ASP_EV_DATA;
        break;
    case SSGW_M3UA_CLASS_SSNM:
        if (msg_type == SSGW_M3UA_SSNM_DAUD) return SSGW_ASP_EV_DAUD;
        if (msg_type >= SSGW_M3UA_SSNM_DUNA && msg_type <= SSGW_M3UA_SSNM_DRST)
            return SSGW_ASP_EV_SSNM;
        break;
    case SSGW_M3UA_CLASS_ASPSM: {
        static const ssgw_asp_event ev[] = {
            SSGW_ASP_EV_UNSUPPORTED, SSGW_ASP_EV_ASPUP,     SSGW_ASP_EV_ASPDN,   SSGW_ASP_EV_BEAT,
            SSGW_ASP_EV_ASPUP_ACK,   SSGW_ASP_EV_ASPDN_ACK, SSGW_ASP_EV_BEAT_ACK};
        if (msg_type < sizeof ev / sizeof ev[0]) return ev[msg_type];
        break;
    }
    case SSGW_M3UA_CLASS_ASPTM: {
        static const ssgw_asp_event ev[] = {SSGW_ASP_EV_UNSUPPORTED, SSGW_ASP_EV_ASPAC,
                                            SSGW_ASP_EV_ASPIA, SSGW_ASP_EV_ASPAC_ACK,
                                            SSGW_ASP_EV_ASPIA_ACK};
        if (msg_type < sizeof ev / sizeof ev[0]) return ev[msg_type];
        break;
    }
    default:
        break;
    }
    return SSGW_ASP_EV_UNSUPPORTED;
}

uint32_t ssgw_asp_unsupported_code(uint8_t msg_class)
{
    switch (msg_class) {
    case SSGW_M3UA_CLASS_MGMT:
    case SSGW_M3UA_CLASS_TRANSFER:
    case SSGW_M3UA_CLASS_SSNM:
    case SSGW_M3UA_CLASS_ASPSM:
    case SSGW_M3UA_CLASS_ASPTM:
        return SSGW_M3UA_ERR_UNSUPPORTED_MSG_TYPE;
    default:
        return SSGW_M3UA_ERR_UNSUPPORTED_MSG_CLASS; /* RKM is not supported either */
    }
}

const char *ssgw_asp_state_name(ssgw_asp_state s)
{
    static const char *const n[] = {"down", "inactive", "active"};
    return (unsigned)s < SSGW_ASP_STATE_COUNT ? n[s] : "unknown";
}

const char *ssgw_asp_event_name(ssgw_asp_event e)
{
    static const char *const n[SSGW_ASP_EV_COUNT] = {
        "transport-up", "transport-down", "timer",     "aspup",      "aspup-ack",
        "aspdn",        "aspdn-ack",      "beat",      "beat-ack",   "aspac",
        "aspac-ack",    "aspia",          "aspia-ack", "ntfy",       "err",
        "data",         "ssnm",           "daud",      "unsupported"};
    return (unsigned)e < SSGW_ASP_EV_COUNT ? n[e] : "unknown";
}
