/*
 * diam_fsm.h - the Diameter peer state machine (RFC 6733 5.6) as data: a table
 * of states x events -> actions + next state, looked up by the gateway's
 * Diameter peers (src/gateway/gw_diam_peer.c) and by the fuzz target
 * tests/fuzz/fuzz_diam_fsm.c. The table is in src/gateway/diam_fsm.c.
 *
 * One link of the gateway is one connection, either accepted (listen: we are
 * the responder, "R-") or opened (connect: the initiator, "I-"), so the
 * election states of RFC 6733 5.6.4 (Wait-Conn-Ack/Elect, Wait-Returns) never
 * arise: a peer that both connects to us and is connected to by us is two
 * links. The RFC's R-Conn-CER (a connection that arrives with its CER) comes
 * in two steps here: the transport reports the connection (R_CONN, state
 * WAIT_CER) and then the CER arrives (RCV_CER). The watchdog of RFC 3539 3.4
 * is two timeout events: Tw passed without traffic and no DWR outstanding
 * (send one), or Tw passed again with the DWR unanswered (the peer is gone).
 *
 * A cell not in the table is "unexpected": the message is dropped and counted
 * (a request gets DIAMETER_UNABLE_TO_COMPLY when the peer is open), the state
 * stays. Actions that can fail (PROCESS_CER, PROCESS_CEA: the peer's identity
 * or applications are refused) end in CLOSED whatever the cell's next state,
 * after the error answer is sent.
 */
#ifndef SSGW_DIAM_FSM_H
#define SSGW_DIAM_FSM_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    SSGW_DPEER_CLOSED = 0,
    SSGW_DPEER_WAIT_CONN_ACK, /* initiator: connecting */
    SSGW_DPEER_WAIT_I_CEA,    /* initiator: CER sent, waiting for the CEA */
    SSGW_DPEER_WAIT_CER,      /* responder: connection accepted, waiting for the CER */
    SSGW_DPEER_I_OPEN,        /* initiator side open: application messages flow */
    SSGW_DPEER_R_OPEN,        /* responder side open */
    SSGW_DPEER_CLOSING,       /* DPR sent, waiting for the DPA */
    SSGW_DPEER_STATE_COUNT,
    SSGW_DPEER_SAME = 0xff /* as next state: stay */
} ssgw_dpeer_state;

typedef enum {
    SSGW_DPEER_EV_START = 0,     /* a connect link starts connecting */
    SSGW_DPEER_EV_I_CONN_UP,     /* our connection is up (Rcv-Conn-Ack) */
    SSGW_DPEER_EV_R_CONN,        /* a connection was accepted (first half of R-Conn-CER) */
    SSGW_DPEER_EV_PEER_DISC,     /* the transport went down */
    SSGW_DPEER_EV_TIMEOUT,       /* CEA / CER / DPA not received in time */
    SSGW_DPEER_EV_WATCHDOG_IDLE, /* Tw without traffic, no DWR outstanding (RFC 3539) */
    SSGW_DPEER_EV_WATCHDOG_LOST, /* Tw again, the DWR unanswered */
    SSGW_DPEER_EV_RCV_CER,
    SSGW_DPEER_EV_RCV_CEA,
    SSGW_DPEER_EV_RCV_DWR,
    SSGW_DPEER_EV_RCV_DWA,
    SSGW_DPEER_EV_RCV_DPR,
    SSGW_DPEER_EV_RCV_DPA,
    SSGW_DPEER_EV_RCV_MESSAGE, /* any other message: application requests and answers */
    SSGW_DPEER_EV_STOP,        /* shutdown or link removed: leave gracefully */
    SSGW_DPEER_EV_COUNT
} ssgw_dpeer_event;

/* Action bits, carried out in this order. */
enum {
    SSGW_DPEER_A_SEND_CER = 1u << 0,
    SSGW_DPEER_A_PROCESS_CER = 1u << 1, /* check it, answer the CEA (success or refusal) */
    SSGW_DPEER_A_PROCESS_CEA = 1u << 2, /* check the peer's identity and applications */
    SSGW_DPEER_A_SEND_CEA = 1u << 3,    /* a CER on an open connection: answered again */
    SSGW_DPEER_A_SEND_DWR = 1u << 4,
    SSGW_DPEER_A_SEND_DWA = 1u << 5,
    SSGW_DPEER_A_NOTE_DWA = 1u << 6, /* the watchdog is answered */
    SSGW_DPEER_A_SEND_DPR = 1u << 7,
    SSGW_DPEER_A_SEND_DPA = 1u << 8,
    SSGW_DPEER_A_DELIVER = 1u << 9,      /* inspect and relay (requests) / answer routing */
    SSGW_DPEER_A_TIMER_START = 1u << 10, /* (re)arm the peer's timer (CEA, CER, DPA, Tw) */
    SSGW_DPEER_A_TIMER_STOP = 1u << 11,
    SSGW_DPEER_A_DISCONNECT = 1u << 12, /* close after what is queued is written */
    SSGW_DPEER_A_DROP = 1u << 13,       /* the message is not delivered (counted) */
};

typedef struct {
    bool valid;
    uint32_t actions;
    uint8_t next; /* ssgw_dpeer_state or SSGW_DPEER_SAME */
} ssgw_dpeer_transition;

/* The transition for (state, event); for a cell not in the table a static "unexpected"
 * one (drop, stay; valid false). Never NULL, whatever the arguments. */
const ssgw_dpeer_transition *ssgw_dpeer_fsm_step(ssgw_dpeer_state st, ssgw_dpeer_event ev);
/* The event for a received message: CER/CEA, DWR/DWA, DPR/DPA by command code and the
 * R flag (RFC 6733 5.3, 5.4, 5.5), anything else RCV_MESSAGE. */
ssgw_dpeer_event ssgw_dpeer_event_for(uint32_t command_code, bool request);
/* True in I_OPEN, R_OPEN (and CLOSING, where answers still flow). */
bool ssgw_dpeer_state_open(ssgw_dpeer_state st);

/* "closed", "wait-conn-ack", ...; "start", "i-conn-up", ... (never NULL). */
const char *ssgw_dpeer_state_name(ssgw_dpeer_state s);
const char *ssgw_dpeer_event_name(ssgw_dpeer_event e);

#endif
