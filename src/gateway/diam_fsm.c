/*
 * diam_fsm.c - the Diameter peer state machine (RFC 6733 5.6, watchdog of
 * RFC 3539 3.4) as one table (include/ssgw/diam_fsm.h says what is simplified
 * and why). Rows follow the RFC's 5.6 table, with its event names in comments:
 *
 *   Closed        Start -> I-Snd-Conn-Req (the transport connects), Wait-Conn-Ack
 *   Wait-Conn-Ack I-Rcv-Conn-Ack -> I-Snd-CER, Wait-I-CEA
 *   Wait-I-CEA    I-Rcv-CEA -> Process-CEA, I-Open; I-Rcv-Non-CEA / Timeout -> Error, Closed
 *   (Closed)      R-Conn-CER -> R-Accept, Process-CER, R-Snd-CEA, R-Open
 *   Open          Send-Message / Rcv-Message -> Process; Rcv-DWR -> Process-DWR, Snd-DWA;
 *                 Rcv-DWA -> Process-DWA; Rcv-CER -> Snd-CEA; Stop -> Snd-DPR, Closing;
 *                 Rcv-DPR -> Snd-DPA, Disc, Closed; Peer-Disc -> Cleanup, Closed
 *   Closing       Rcv-DPA -> Disc, Closed; Timeout -> Error, Closed
 */
#include "ssgw/diam_fsm.h"

#include "ssgw/diameter.h"

#define T(a, n)                                                                                    \
    {                                                                                              \
        .valid = true, .actions = (a), .next = (n)                                                 \
    }
#define S        SSGW_DPEER_SAME
#define CLOSED   SSGW_DPEER_CLOSED
#define CONNACK  SSGW_DPEER_WAIT_CONN_ACK
#define WAIT_CEA SSGW_DPEER_WAIT_I_CEA
#define WAIT_CER SSGW_DPEER_WAIT_CER
#define I_OPEN   SSGW_DPEER_I_OPEN
#define R_OPEN   SSGW_DPEER_R_OPEN
#define CLOSING  SSGW_DPEER_CLOSING

enum {
    CER = SSGW_DPEER_A_SEND_CER,
    P_CER = SSGW_DPEER_A_PROCESS_CER,
    P_CEA = SSGW_DPEER_A_PROCESS_CEA,
    CEA = SSGW_DPEER_A_SEND_CEA,
    DWR = SSGW_DPEER_A_SEND_DWR,
    DWA = SSGW_DPEER_A_SEND_DWA,
    N_DWA = SSGW_DPEER_A_NOTE_DWA,
    DPR = SSGW_DPEER_A_SEND_DPR,
    DPA = SSGW_DPEER_A_SEND_DPA,
    DELIVER = SSGW_DPEER_A_DELIVER,
    TSTART = SSGW_DPEER_A_TIMER_START,
    TSTOP = SSGW_DPEER_A_TIMER_STOP,
    DISC = SSGW_DPEER_A_DISCONNECT,
    DROP = SSGW_DPEER_A_DROP,
};

/* An open connection, whichever side opened it. */
#define OPEN_ROW                                                                                   \
    [SSGW_DPEER_EV_PEER_DISC] = T(TSTOP, CLOSED), [SSGW_DPEER_EV_TIMEOUT] = T(0, S),               \
    [SSGW_DPEER_EV_WATCHDOG_IDLE] = T(DWR | TSTART, S),                                            \
    [SSGW_DPEER_EV_WATCHDOG_LOST] = T(TSTOP | DISC, CLOSED), [SSGW_DPEER_EV_RCV_CER] = T(CEA, S),  \
    [SSGW_DPEER_EV_RCV_CEA] = T(DROP, S), [SSGW_DPEER_EV_RCV_DWR] = T(DWA, S),                     \
    [SSGW_DPEER_EV_RCV_DWA] = T(N_DWA, S),                                                         \
    [SSGW_DPEER_EV_RCV_DPR] = T(DPA | TSTOP | DISC, CLOSED), [SSGW_DPEER_EV_RCV_DPA] = T(DROP, S), \
    [SSGW_DPEER_EV_RCV_MESSAGE] = T(DELIVER, S), [SSGW_DPEER_EV_STOP] = T(DPR | TSTART, CLOSING)

/* Before the capabilities exchange: any message but the one awaited (the row adds the CER / CEA
 * cells) means the peer does not speak the base protocol (I-Rcv-Non-CEA: Error); a stop closes
 * at once. */
#define ERROR_CLOSE T(DROP | TSTOP | DISC, CLOSED)
#define NOT_YET_OPEN                                                                               \
    [SSGW_DPEER_EV_PEER_DISC] = T(TSTOP, CLOSED), [SSGW_DPEER_EV_TIMEOUT] = T(DISC, CLOSED),       \
    [SSGW_DPEER_EV_RCV_DWR] = ERROR_CLOSE, [SSGW_DPEER_EV_RCV_DWA] = ERROR_CLOSE,                  \
    [SSGW_DPEER_EV_RCV_DPR] = ERROR_CLOSE, [SSGW_DPEER_EV_RCV_DPA] = ERROR_CLOSE,                  \
    [SSGW_DPEER_EV_RCV_MESSAGE] = ERROR_CLOSE, [SSGW_DPEER_EV_STOP] = T(TSTOP | DISC, CLOSED)

static const ssgw_dpeer_transition table[SSGW_DPEER_STATE_COUNT][SSGW_DPEER_EV_COUNT] = {
    [CLOSED] =
        {
            [SSGW_DPEER_EV_START] = T(0, CONNACK),
            [SSGW_DPEER_EV_I_CONN_UP] = T(CER | TSTART, WAIT_CEA),
            [SSGW_DPEER_EV_R_CONN] = T(TSTART, WAIT_CER),
            [SSGW_DPEER_EV_PEER_DISC] = T(TSTOP, S),
            [SSGW_DPEER_EV_TIMEOUT] = T(0, S),
            [SSGW_DPEER_EV_STOP] = T(TSTOP, S),
        },
    [CONNACK] =
        {
            [SSGW_DPEER_EV_START] = T(0, S),
            [SSGW_DPEER_EV_I_CONN_UP] = T(CER | TSTART, WAIT_CEA),
            [SSGW_DPEER_EV_PEER_DISC] = T(TSTOP, S), /* I-Rcv-Conn-Nack: the transport retries */
            [SSGW_DPEER_EV_TIMEOUT] = T(0, S),
            [SSGW_DPEER_EV_STOP] = T(TSTOP, CLOSED),
        },
    [WAIT_CEA] =
        {
            NOT_YET_OPEN,
            [SSGW_DPEER_EV_RCV_CEA] = T(P_CEA | TSTART, I_OPEN),
            [SSGW_DPEER_EV_RCV_CER] = ERROR_CLOSE,
        },
    [WAIT_CER] =
        {
            NOT_YET_OPEN,
            [SSGW_DPEER_EV_RCV_CER] = T(P_CER | TSTART, R_OPEN),
            [SSGW_DPEER_EV_RCV_CEA] = ERROR_CLOSE,
        },
    [I_OPEN] = {OPEN_ROW},
    [R_OPEN] = {OPEN_ROW},
    [CLOSING] =
        {
            [SSGW_DPEER_EV_PEER_DISC] = T(TSTOP, CLOSED),
            [SSGW_DPEER_EV_TIMEOUT] = T(DISC, CLOSED),
            [SSGW_DPEER_EV_WATCHDOG_IDLE] = T(0, S),
            [SSGW_DPEER_EV_WATCHDOG_LOST] = T(0, S),
            [SSGW_DPEER_EV_RCV_DWR] = T(DWA, S),
            [SSGW_DPEER_EV_RCV_DWA] = T(N_DWA, S),
            [SSGW_DPEER_EV_RCV_DPR] = T(DPA | TSTOP | DISC, CLOSED),
            [SSGW_DPEER_EV_RCV_DPA] = T(TSTOP | DISC, CLOSED),
            [SSGW_DPEER_EV_RCV_CER] = T(DROP, S),
            [SSGW_DPEER_EV_RCV_CEA] = T(DROP, S),
            [SSGW_DPEER_EV_RCV_MESSAGE] = T(DELIVER, S), /* answers still come back */
            [SSGW_DPEER_EV_STOP] = T(0, S),
        },
};

static const ssgw_dpeer_transition unexpected = {.valid = false, .actions = DROP, .next = S};

const ssgw_dpeer_transition *ssgw_dpeer_fsm_step(ssgw_dpeer_state st, ssgw_dpeer_event ev)
{
    if ((unsigned)st >= SSGW_DPEER_STATE_COUNT || (unsigned)ev >= SSGW_DPEER_EV_COUNT)
        return &unexpected;
    const ssgw_dpeer_transition *t = &table[st][ev];
    return t->valid ? t : &unexpected;
}

ssgw_dpeer_event ssgw_dpeer_event_for(uint32_t command_code, bool request)
{
    switch (command_code) {
    case SSGW_DIAM_CMD_CAPABILITIES_EXCHANGE:
        return request ? SSGW_DPEER_EV_RCV_CER : SSGW_DPEER_EV_RCV_CEA;
    case SSGW_DIAM_CMD_DEVICE_WATCHDOG:
        return request ? SSGW_DPEER_EV_RCV_DWR : SSGW_DPEER_EV_RCV_DWA;
    case SSGW_DIAM_CMD_DISCONNECT_PEER:
        return request ? SSGW_DPEER_EV_RCV_DPR : SSGW_DPEER_EV_RCV_DPA;
    default:
        return SSGW_DPEER_EV_RCV_MESSAGE;
    }
}

bool ssgw_dpeer_state_open(ssgw_dpeer_state st)
{
    return st == SSGW_DPEER_I_OPEN || st == SSGW_DPEER_R_OPEN || st == SSGW_DPEER_CLOSING;
}

static const char *const state_names[SSGW_DPEER_STATE_COUNT] = {
    "closed", "wait-conn-ack", "wait-i-cea", "wait-cer", "i-open", "r-open", "closing"};
static const char *const event_names[SSGW_DPEER_EV_COUNT] = {
    "start",         "i-conn-up",     "r-conn",  "peer-disc",   "timeout",
    "watchdog-idle", "watchdog-lost", "rcv-cer", "rcv-cea",     "rcv-dwr",
    "rcv-dwa",       "rcv-dpr",       "rcv-dpa", "rcv-message", "stop"};

const char *ssgw_dpeer_state_name(ssgw_dpeer_state s)
{
    return (unsigned)s < SSGW_DPEER_STATE_COUNT ? state_names[s] : "unknown";
}

const char *ssgw_dpeer_event_name(ssgw_dpeer_event e)
{
    return (unsigned)e < SSGW_DPEER_EV_COUNT ? event_names[e] : "unknown";
}
