/*
 * test_diam_fsm.c - the Diameter peer state machine table (src/gateway/diam_fsm.c)
 * against the rows of RFC 6733 5.6 (and the watchdog of RFC 3539 3.4), and the
 * answers the proxy builds (src/wire/diameter_answer.c) against RFC 6733 6.2 / 7.1:
 * header fields of the request, E bit for protocol errors, Session-Id first,
 * Experimental-Result, the Result-Code chosen for each decoder error.
 */
#include "check.h"
#include "ssgw/diam_fsm.h"
#include "ssgw/diameter.h"

static uint32_t acts(ssgw_dpeer_state s, ssgw_dpeer_event e)
{
    return ssgw_dpeer_fsm_step(s, e)->actions;
}

static int next(ssgw_dpeer_state s, ssgw_dpeer_event e)
{
    const ssgw_dpeer_transition *t = ssgw_dpeer_fsm_step(s, e);
    return t->next == SSGW_DPEER_SAME ? (int)s : t->next;
}

static void test_events(void)
{
    CHECK_INT(ssgw_dpeer_event_for(257, true), SSGW_DPEER_EV_RCV_CER);
    CHECK_INT(ssgw_dpeer_event_for(257, false), SSGW_DPEER_EV_RCV_CEA);
    CHECK_INT(ssgw_dpeer_event_for(280, true), SSGW_DPEER_EV_RCV_DWR);
    CHECK_INT(ssgw_dpeer_event_for(280, false), SSGW_DPEER_EV_RCV_DWA);
    CHECK_INT(ssgw_dpeer_event_for(282, true), SSGW_DPEER_EV_RCV_DPR);
    CHECK_INT(ssgw_dpeer_event_for(282, false), SSGW_DPEER_EV_RCV_DPA);
    CHECK_INT(ssgw_dpeer_event_for(316, true), SSGW_DPEER_EV_RCV_MESSAGE);
    CHECK_STR(ssgw_dpeer_state_name(SSGW_DPEER_R_OPEN), "r-open");
    CHECK_STR(ssgw_dpeer_event_name(SSGW_DPEER_EV_WATCHDOG_LOST), "watchdog-lost");
    CHECK_STR(ssgw_dpeer_state_name((ssgw_dpeer_state)99), "unknown");
}

static void test_initiator(void)
{
    /* Closed: Start -> Wait-Conn-Ack; I-Rcv-Conn-Ack -> I-Snd-CER, Wait-I-CEA */
    CHECK_INT(next(SSGW_DPEER_CLOSED, SSGW_DPEER_EV_START), SSGW_DPEER_WAIT_CONN_ACK);
    CHECK(acts(SSGW_DPEER_WAIT_CONN_ACK, SSGW_DPEER_EV_I_CONN_UP) & SSGW_DPEER_A_SEND_CER);
    CHECK_INT(next(SSGW_DPEER_WAIT_CONN_ACK, SSGW_DPEER_EV_I_CONN_UP), SSGW_DPEER_WAIT_I_CEA);
    /* Wait-I-CEA: I-Rcv-CEA -> Process-CEA, I-Open; Non-CEA and Timeout -> Error, Closed */
    CHECK(acts(SSGW_DPEER_WAIT_I_CEA, SSGW_DPEER_EV_RCV_CEA) & SSGW_DPEER_A_PROCESS_CEA);
    CHECK_INT(next(SSGW_DPEER_WAIT_I_CEA, SSGW_DPEER_EV_RCV_CEA), SSGW_DPEER_I_OPEN);
    CHECK(acts(SSGW_DPEER_WAIT_I_CEA, SSGW_DPEER_EV_RCV_MESSAGE) & SSGW_DPEER_A_DISCONNECT);
    CHECK_INT(next(SSGW_DPEER_WAIT_I_CEA, SSGW_DPEER_EV_TIMEOUT), SSGW_DPEER_CLOSED);
}

static void test_responder(void)
{
    CHECK_INT(next(SSGW_DPEER_CLOSED, SSGW_DPEER_EV_R_CONN), SSGW_DPEER_WAIT_CER);
    CHECK(acts(SSGW_DPEER_WAIT_CER, SSGW_DPEER_EV_RCV_CER) & SSGW_DPEER_A_PROCESS_CER);
    CHECK_INT(next(SSGW_DPEER_WAIT_CER, SSGW_DPEER_EV_RCV_CER), SSGW_DPEER_R_OPEN);
    /* anything but a CER first, or no CER in time: closed, nothing delivered */
    CHECK(!(acts(SSGW_DPEER_WAIT_CER, SSGW_DPEER_EV_RCV_MESSAGE) & SSGW_DPEER_A_DELIVER));
    CHECK_INT(next(SSGW_DPEER_WAIT_CER, SSGW_DPEER_EV_RCV_MESSAGE), SSGW_DPEER_CLOSED);
    CHECK_INT(next(SSGW_DPEER_WAIT_CER, SSGW_DPEER_EV_TIMEOUT), SSGW_DPEER_CLOSED);
}

static void test_open(void)
{
    ssgw_dpeer_state open[] = {SSGW_DPEER_I_OPEN, SSGW_DPEER_R_OPEN};
    for (int i = 0; i < 2; i++) {
        ssgw_dpeer_state s = open[i];
        CHECK(acts(s, SSGW_DPEER_EV_RCV_MESSAGE) & SSGW_DPEER_A_DELIVER);
        CHECK(acts(s, SSGW_DPEER_EV_RCV_DWR) & SSGW_DPEER_A_SEND_DWA);
        CHECK(acts(s, SSGW_DPEER_EV_RCV_CER) & SSGW_DPEER_A_SEND_CEA); /* R-Open Rcv-CER */
        CHECK(acts(s, SSGW_DPEER_EV_WATCHDOG_IDLE) & SSGW_DPEER_A_SEND_DWR);
        CHECK_INT(next(s, SSGW_DPEER_EV_WATCHDOG_IDLE), s);
        CHECK_INT(next(s, SSGW_DPEER_EV_WATCHDOG_LOST), SSGW_DPEER_CLOSED);
        CHECK(acts(s, SSGW_DPEER_EV_RCV_DPR) & SSGW_DPEER_A_SEND_DPA);
        CHECK_INT(next(s, SSGW_DPEER_EV_RCV_DPR), SSGW_DPEER_CLOSED);
        CHECK(acts(s, SSGW_DPEER_EV_STOP) & SSGW_DPEER_A_SEND_DPR);
        CHECK_INT(next(s, SSGW_DPEER_EV_STOP), SSGW_DPEER_CLOSING);
        CHECK_INT(next(s, SSGW_DPEER_EV_PEER_DISC), SSGW_DPEER_CLOSED);
    }
    /* Closing: answers still delivered; DPA or a timeout closes */
    CHECK(acts(SSGW_DPEER_CLOSING, SSGW_DPEER_EV_RCV_MESSAGE) & SSGW_DPEER_A_DELIVER);
    CHECK_INT(next(SSGW_DPEER_CLOSING, SSGW_DPEER_EV_RCV_DPA), SSGW_DPEER_CLOSED);
    CHECK_INT(next(SSGW_DPEER_CLOSING, SSGW_DPEER_EV_TIMEOUT), SSGW_DPEER_CLOSED);
}

static void test_every_cell(void)
{
    /* delivery only when open; open only through a processed CER / CEA */
    for (int s = 0; s < SSGW_DPEER_STATE_COUNT; s++)
        for (int e = 0; e < SSGW_DPEER_EV_COUNT; e++) {
            const ssgw_dpeer_transition *t =
                ssgw_dpeer_fsm_step((ssgw_dpeer_state)s, (ssgw_dpeer_event)e);
            int n = t->next == SSGW_DPEER_SAME ? s : t->next;
            CHECK(n < SSGW_DPEER_STATE_COUNT);
            if (t->actions & SSGW_DPEER_A_DELIVER)
                CHECK(ssgw_dpeer_state_open((ssgw_dpeer_state)s));
            if (ssgw_dpeer_state_open((ssgw_dpeer_state)n) &&
                !ssgw_dpeer_state_open((ssgw_dpeer_state)s))
                CHECK(t->actions & (SSGW_DPEER_A_PROCESS_CER | SSGW_DPEER_A_PROCESS_CEA));
        }
    const ssgw_dpeer_transition *u = ssgw_dpeer_fsm_step((ssgw_dpeer_state)42, SSGW_DPEER_EV_STOP);
    CHECK(!u->valid && u->next == SSGW_DPEER_SAME);
}

static void test_answer(void)
{
    /* a ULR: header + Session-Id + Origin-Host */
    uint8_t req[256], out[512];
    ssgw_buf b;
    ssgw_buf_init(&b, req, sizeof req);
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R | SSGW_DIAM_FLAG_P, 316, SSGW_DIAM_APP_S6A,
                        0x01020304, 0x0a0b0c0d);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, "mme1");
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_SESSION_ID, 0, "mme1;1;2");
    long rl = ssgw_diam_enc_end(&e);
    CHECK(rl > 0);
    ssgw_diam_answer_spec a = {SSGW_DIAM_REALM_NOT_SERVED, 0, "gw.example", "example", "no"};
    ssgw_buf_init(&b, out, sizeof out);
    long n = ssgw_diam_answer(&b, req, (size_t)rl, &a);
    ssgw_diam_msg m;
    ssgw_error err;
    CHECK(n > 0 && ssgw_diam_decode(out, (size_t)n, &m, &err) == 0);
    CHECK_INT(m.code, 316);
    CHECK_INT(m.app_id, SSGW_DIAM_APP_S6A);
    CHECK_INT(m.hbh, 0x01020304);
    CHECK_INT(m.e2e, 0x0a0b0c0d);
    CHECK_INT(m.flags, SSGW_DIAM_FLAG_P | SSGW_DIAM_FLAG_E); /* 3xxx: protocol error */
    ssgw_diam_iter it;
    ssgw_diam_avp first;
    ssgw_diam_iter_msg(&it, &m);
    CHECK(ssgw_diam_next(&it, &first, &err) == 1 && first.code == SSGW_DIAM_AVP_SESSION_ID);
    ssgw_diam_fields f;
    ssgw_diam_fields_init(&f);
    CHECK(ssgw_diam_fields_decode(&m, &f, &err) == 0);
    CHECK_INT(f.result_code, SSGW_DIAM_REALM_NOT_SERVED);
    /* Experimental-Result, no E bit */
    ssgw_diam_answer_spec x = {5420, SSGW_DIAM_VENDOR_3GPP, "gw.example", "example", NULL};
    ssgw_buf_init(&b, out, sizeof out);
    n = ssgw_diam_answer(&b, req, (size_t)rl, &x);
    CHECK(n > 0 && ssgw_diam_decode(out, (size_t)n, &m, &err) == 0);
    CHECK_INT(m.flags, SSGW_DIAM_FLAG_P);
    ssgw_diam_fields_init(&f);
    CHECK(ssgw_diam_fields_decode(&m, &f, &err) == 0);
    CHECK_INT(f.exp_result_code, 5420);
    CHECK_INT(f.exp_result_vendor, SSGW_DIAM_VENDOR_3GPP);
    CHECK_INT(f.result_code, -1);
    /* too short to answer */
    ssgw_buf_init(&b, out, sizeof out);
    CHECK(ssgw_diam_answer(&b, req, 19, &a) < 0);
    /* the Result-Code for each decoder error (RFC 6733 7.1.3, 7.1.5) */
    ssgw_error ve = {SSGW_LAYER_DIAMETER, SSGW_E_BAD_VALUE, "version", 0};
    CHECK_INT(ssgw_diam_result_for_error(&ve), SSGW_DIAM_UNSUPPORTED_VERSION);
    ssgw_error le = {SSGW_LAYER_DIAMETER, SSGW_E_TRUNCATED, "avp length", 30};
    CHECK_INT(ssgw_diam_result_for_error(&le), SSGW_DIAM_INVALID_AVP_LENGTH);
    ssgw_error fe = {SSGW_LAYER_DIAMETER, SSGW_E_BAD_VALUE, "avp flags", 30};
    CHECK_INT(ssgw_diam_result_for_error(&fe), SSGW_DIAM_INVALID_AVP_BITS);
    ssgw_error he = {SSGW_LAYER_DIAMETER, SSGW_E_BAD_VALUE, "command flags", 4};
    CHECK_INT(ssgw_diam_result_for_error(&he), SSGW_DIAM_INVALID_HDR_BITS);
    ssgw_error me = {SSGW_LAYER_DIAMETER, SSGW_E_BAD_LENGTH, "message length", 1};
    CHECK_INT(ssgw_diam_result_for_error(&me), SSGW_DIAM_INVALID_MESSAGE_LENGTH);
}

int main(void)
{
    RUN(test_events);
    RUN(test_initiator);
    RUN(test_responder);
    RUN(test_open);
    RUN(test_every_cell);
    RUN(test_answer);
    return check_summary();
}
