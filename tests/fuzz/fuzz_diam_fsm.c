/*
 * fuzz_diam_fsm.c - libFuzzer target for the Diameter peer state machine
 * (include/ssgw/diam_fsm.h) and the answers the edge proxy builds from a peer's
 * bytes. The input is a script: each byte is an event for the table (mod the event
 * count), and from byte 0x80 on it names "a message arrived" whose header is the
 * next 20 octets (the event is what ssgw_dpeer_event_for() makes of its command code
 * and R flag). A model peer walks the table and the RFC 6733 5.6 rules are checked
 * at every step:
 *   - every (state, event) has a transition, its next state is a state or SAME;
 *   - application messages are delivered only in open states;
 *   - an open state is entered only through a processed CER or CEA;
 *   - the transport going down always ends in CLOSED (or stays connecting);
 *   - a CER is sent only when our connection came up.
 * The whole input is also answered as a request (ssgw_diam_answer: raw bytes, any
 * length) and the answer must decode and keep the request's identifiers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/diam_fsm.h"
#include "ssgw/diameter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(void)
{
    abort();
}

static void answer(const uint8_t *data, size_t size)
{
    uint8_t mem[2048];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    ssgw_diam_answer_spec a = {SSGW_DIAM_UNABLE_TO_COMPLY, size & 1 ? SSGW_DIAM_VENDOR_3GPP : 0,
                               "ssgw.home.example", "home.example", size & 2 ? "why" : NULL};
    long n = ssgw_diam_answer(&b, data, size, &a);
    if (size < SSGW_DIAM_HEADER_LEN) {
        if (n >= 0) fail();
        return;
    }
    if (n < 0) return; /* a Session-Id longer than the buffer */
    ssgw_diam_msg m;
    ssgw_error e;
    if (ssgw_diam_decode(mem, (size_t)n, &m, &e) < 0) fail();
    if (ssgw_diam_is_request(&m) || m.hbh != ((uint32_t)data[12] << 24 | (uint32_t)data[13] << 16 |
                                              (uint32_t)data[14] << 8 | data[15]))
        fail();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    answer(data, size);
    ssgw_dpeer_state st = SSGW_DPEER_CLOSED;
    for (size_t i = 0; i < size; i++) {
        ssgw_dpeer_event ev;
        if (data[i] >= 0x80 && size - i > SSGW_DIAM_HEADER_LEN) {
            const uint8_t *h = data + i + 1;
            uint32_t code = (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
            ev = ssgw_dpeer_event_for(code, (h[4] & SSGW_DIAM_FLAG_R) != 0);
            i += SSGW_DIAM_HEADER_LEN;
        } else {
            ev = (ssgw_dpeer_event)(data[i] % (SSGW_DPEER_EV_COUNT + 1)); /* one out of range */
        }
        const ssgw_dpeer_transition *t = ssgw_dpeer_fsm_step(st, ev);
        if (!t) fail();
        if (t->next != SSGW_DPEER_SAME && t->next >= SSGW_DPEER_STATE_COUNT) fail();
        if (!ssgw_dpeer_state_name(st) || !ssgw_dpeer_event_name(ev)) fail();
        ssgw_dpeer_state next = t->next == SSGW_DPEER_SAME ? st : (ssgw_dpeer_state)t->next;
        if ((t->actions & SSGW_DPEER_A_DELIVER) && !ssgw_dpeer_state_open(st)) fail();
        if (ssgw_dpeer_state_open(next) && !ssgw_dpeer_state_open(st) &&
            !(t->actions & (SSGW_DPEER_A_PROCESS_CER | SSGW_DPEER_A_PROCESS_CEA)))
            fail();
        if (ev == SSGW_DPEER_EV_PEER_DISC && next != SSGW_DPEER_CLOSED &&
            next != SSGW_DPEER_WAIT_CONN_ACK)
            fail();
        if ((t->actions & SSGW_DPEER_A_SEND_CER) && ev != SSGW_DPEER_EV_I_CONN_UP) fail();
        if (!t->valid && t->next != SSGW_DPEER_SAME) fail();
        /* a refused capabilities exchange ends the connection whatever the cell says */
        if ((t->actions & (SSGW_DPEER_A_PROCESS_CER | SSGW_DPEER_A_PROCESS_CEA)) && (data[i] & 1))
            next = SSGW_DPEER_CLOSED;
        st = next;
    }
    return 0;
}
