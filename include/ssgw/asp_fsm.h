/*
 * asp_fsm.h - the M3UA ASP state machine (RFC 4666 4.3) as data: for each
 * local role (ASP, SG, IPSP), a table of states x events -> actions + next
 * state. The gateway (src/gateway/gw_link.c) and `ssgw peer` (src/sim/peer.c)
 * look a transition up and carry out its action bits; a (role, state, event)
 * cell that is not in the table means "unexpected message" (ERR 0x06, RFC 4666
 * 4.3.4). The tables are in src/gateway/asp_fsm.c.
 */
#ifndef SSGW_ASP_FSM_H
#define SSGW_ASP_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "ssgw/gateway.h"

typedef enum {
    SSGW_ASP_DOWN = 0,
    SSGW_ASP_INACTIVE,
    SSGW_ASP_ACTIVE,
    SSGW_ASP_STATE_COUNT,
    SSGW_ASP_SAME = 0xff /* as next state: stay */
} ssgw_asp_state;

typedef enum {
    SSGW_ASP_EV_TRANSPORT_UP = 0,
    SSGW_ASP_EV_TRANSPORT_DOWN,
    SSGW_ASP_EV_TIMER, /* ack timer: retransmit ASPUP / ASPAC */
    SSGW_ASP_EV_ASPUP,
    SSGW_ASP_EV_ASPUP_ACK,
    SSGW_ASP_EV_ASPDN,
    SSGW_ASP_EV_ASPDN_ACK,
    SSGW_ASP_EV_BEAT,
    SSGW_ASP_EV_BEAT_ACK,
    SSGW_ASP_EV_ASPAC,
    SSGW_ASP_EV_ASPAC_ACK,
    SSGW_ASP_EV_ASPIA,
    SSGW_ASP_EV_ASPIA_ACK,
    SSGW_ASP_EV_NTFY,
    SSGW_ASP_EV_ERR,
    SSGW_ASP_EV_DATA,
    SSGW_ASP_EV_SSNM,        /* DUNA, DAVA, SCON, DUPU, DRST: SG -> ASP */
    SSGW_ASP_EV_DAUD,        /* ASP -> SG audit */
    SSGW_ASP_EV_UNSUPPORTED, /* RKM and unknown classes: ERR unsupported class/type */
    SSGW_ASP_EV_COUNT
} ssgw_asp_event;

/* Action bits, carried out in this order. */
enum {
    SSGW_ASP_A_SEND_ASPUP = 1u << 0,
    SSGW_ASP_A_SEND_ASPUP_IF_CLIENT = 1u << 1, /* IPSP: only the connecting side initiates */
    SSGW_ASP_A_SEND_ASPUP_ACK = 1u << 2,
    SSGW_ASP_A_SEND_ASPDN_ACK = 1u << 3,
    SSGW_ASP_A_SEND_ASPAC = 1u << 4,
    SSGW_ASP_A_SEND_ASPAC_ACK = 1u << 5,
    SSGW_ASP_A_SEND_ASPIA_ACK = 1u << 6,
    SSGW_ASP_A_SEND_BEAT_ACK = 1u << 7,
    SSGW_ASP_A_SEND_NTFY_INACTIVE = 1u << 8, /* NTFY AS-State-Change AS-INACTIVE */
    SSGW_ASP_A_SEND_NTFY_ACTIVE = 1u << 9,   /* NTFY AS-State-Change AS-ACTIVE */
    SSGW_ASP_A_SEND_ERR_UNEXPECTED = 1u << 10,
    SSGW_ASP_A_SEND_ERR_UNSUPPORTED = 1u << 11,
    SSGW_ASP_A_DELIVER = 1u << 12,     /* DATA: inspect and route */
    SSGW_ASP_A_RELAY_SSNM = 1u << 13,  /* to the other side's ASPs */
    SSGW_ASP_A_ANSWER_DAUD = 1u << 14, /* DAVA / DUNA per affected PC */
    SSGW_ASP_A_NOTE = 1u << 15,        /* NTFY / ERR received: count and log */
    SSGW_ASP_A_TIMER_START = 1u << 16, /* (re)start the ack timer */
    SSGW_ASP_A_TIMER_STOP = 1u << 17,
    SSGW_ASP_A_DROP = 1u << 18, /* the message is not delivered (counted) */
};

typedef struct {
    bool valid;
    uint32_t actions;
    uint8_t next; /* ssgw_asp_state or SSGW_ASP_SAME */
} ssgw_asp_transition;

/* The transition for (role, state, event); for a cell not in the table, a
 * static "unexpected" transition (ERR Unexpected Message, drop, stay; valid false). */
const ssgw_asp_transition *ssgw_asp_fsm_step(ssgw_gw_role role, ssgw_asp_state st,
                                             ssgw_asp_event ev);
/* The event for a received message class/type. */
ssgw_asp_event ssgw_asp_event_for(uint8_t msg_class, uint8_t msg_type);
/* The ERR code for an action bit SEND_ERR_UNSUPPORTED: class 0x03 or type 0x04. */
uint32_t ssgw_asp_unsupported_code(uint8_t msg_class);

/* "down", "inactive", "active"; "transport-up", "aspup", ... (never NULL). */
const char *ssgw_asp_state_name(ssgw_asp_state s);
const char *ssgw_asp_event_name(ssgw_asp_event e);

#endif
