/*
 * gw_diam_peer.c - one Diameter peer connection of the gateway (RFC 6733 5):
 * the transport (gw_tp with the Diameter framing: TCP cut by the 24-bit message
 * length, SCTP with PPID 46), the peer state machine (the table of diam_fsm.c)
 * and the base-protocol messages its actions send and check:
 *
 *  - CER/CEA (5.3): our identity (origin_host/realm, Host-IP-Address, Vendor-Id,
 *    Product-Name, Origin-State-Id) and the applications of [diameter]
 *    applications (S6a as a Vendor-Specific-Application-Id of 3GPP). A peer's
 *    CER is refused with DIAMETER_UNKNOWN_PEER when its Origin-Host / -Realm is
 *    not the configured peer_host / peer_realm, DIAMETER_MISSING_AVP without
 *    them, DIAMETER_NO_COMMON_APPLICATION when it shares no application with
 *    us (Relay counts), the decoder's Result-Code when it is malformed; the
 *    connection is then closed after the CEA is written;
 *  - DWR/DWA (5.5, RFC 3539 3.4): a DWR after watchdog_ms without traffic, the
 *    connection closed when the next watchdog_ms passes without any message;
 *    DWR from the peer answered in every open state;
 *  - DPR/DPA (5.4): sent at shutdown, answered (then closed) when received.
 *
 * Application messages go to gw_diam_relay.c while the state machine says
 * DELIVER; in other states they are dropped and counted, and before the
 * capabilities exchange the connection is closed.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include "gateway/gw_diam.h"
#include "ssgw/timefmt.h"
#include "ssgw/log.h"
#include "util/bytes.h"

/* ---- framing (gw_tp) --------------------------------------------------------------- */

static size_t diam_msg_len(const uint8_t *p)
{
    return get_be24(p + 1);
}

static long diam_frame_len(const uint8_t *buf, size_t len, ssgw_error *err)
{
    if (len < 4) return 0;
    if (buf[0] != 1) return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_BAD_VALUE, "version", 0);
    size_t mlen = get_be24(buf + 1);
    if (mlen < SSGW_DIAM_HEADER_LEN || mlen % 4)
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_BAD_LENGTH, "message length", 1);
    if (mlen > GW_DIAM_MAX_FRAME)
        return ssgw_fail(err, SSGW_LAYER_DIAMETER, SSGW_E_TOO_BIG, "message length", 1);
    return (long)mlen;
}

static bool is_base(uint32_t code)
{
    return code == SSGW_DIAM_CMD_CAPABILITIES_EXCHANGE || code == SSGW_DIAM_CMD_DEVICE_WATCHDOG ||
           code == SSGW_DIAM_CMD_DISCONNECT_PEER;
}

static bool diam_is_data(const uint8_t *m, size_t len)
{
    return len >= 8 && !is_base(get_be24(m + 5));
}

const gw_tp_framing gw_diam_framing = {.name = "Diameter",
                                       .ppid = SSGW_SCTP_PPID_DIAM,
                                       .hdr_len = 4,
                                       .msg_len = diam_msg_len,
                                       .frame_len = diam_frame_len,
                                       .is_data = diam_is_data};

/* ---- the outer side's capture ([gateway] capture) ---------------------------------- */

/* One message sent or received on an outer peer, as an SCTP DATA chunk with PPID 46 between
 * 10.0.0.1 (the gateway) and 10.0.2.<index + 2> (the peer), port 3868. */
static void capture(gw_dpeer *p, bool rx, const uint8_t *m, size_t len)
{
    ssgw_pcap_writer *w = p->d->g->pcap;
    if (!w || p->cfg.side != SSGW_GW_SIDE_OUTER) return;
    /* a received message at its arrival stamp: the time its verdict was judged at */
    uint64_t ms = rx && p->d->g->rx_wall_ms ? p->d->g->rx_wall_ms : ssgw_time_now_ms();
    struct timeval tv = {.tv_sec = (time_t)(ms / 1000), .tv_usec = (suseconds_t)(ms % 1000 * 1000)};
    uint32_t us = 0x0a000001, them = 0x0a000200 + p->index + 2;
    ssgw_pcap_endpoints ep;
    memset(&ep, 0, sizeof ep);
    ep.src_ip4 = rx ? them : us;
    ep.dst_ip4 = rx ? us : them;
    ep.src_port = rx ? (uint16_t)(40000 + p->index) : SSGW_DIAM_PORT;
    ep.dst_port = rx ? SSGW_DIAM_PORT : (uint16_t)(40000 + p->index);
    ep.vtag = rx ? 0x44494e00 + p->index : 0x444f5500 + p->index;
    ssgw_pcap_chunk c = {.tsn = rx ? ++p->tsn_in : ++p->tsn_out,
                         .stream = 0,
                         .ppid = SSGW_SCTP_PPID_DIAM,
                         .flags = SSGW_PCAP_CHUNK_WHOLE,
                         .data = m,
                         .len = len};
    ssgw_pcap_write_sctp_chunks(w, (uint32_t)tv.tv_sec, (uint32_t)tv.tv_usec, &ep, &c, 1);
}

/* ---- sending ---------------------------------------------------------------------- */

int gw_dpeer_send(gw_dpeer *p, const uint8_t *m, size_t len)
{
    int r = gw_tp_send(&p->tp, m, len, 0);
    if (r == 0) capture(p, false, m, len);
    return r;
}

bool gw_dpeer_open(const gw_dpeer *p)
{
    return p->tp.up && ssgw_dpeer_state_open(p->state);
}

bool gw_dpeer_supports(const gw_dpeer *p, uint32_t app)
{
    if (p->relay) return true;
    for (size_t i = 0; i < p->n_apps; i++)
        if (p->apps[i] == app) return true;
    return false;
}

static void send_mgmt(gw_dpeer *p, ssgw_buf *b, long len)
{
    if (len < 0 || b->overflow) return;
    if (gw_dpeer_send(p, b->data, (size_t)len) == 0) {
        p->mgmt_out++;
        p->d->c.mgmt_out++;
    }
}

/* Header of a request we originate (CER, DWR, DPR): our own hop-by-hop and end-to-end ids. */
static void begin_request(gw_dpeer *p, ssgw_diam_enc *e, ssgw_buf *b, uint32_t code)
{
    gw_diam *d = p->d;
    ssgw_buf_init(b, d->mgmt, sizeof d->mgmt);
    ssgw_diam_enc_begin(e, b, SSGW_DIAM_FLAG_R, code, SSGW_DIAM_APP_COMMON, ++p->next_hbh,
                        (d->origin_state_id << 20) | (++d->e2e_next & 0xfffff));
}

/* Origin-Host, Origin-Realm (every base message). */
static void put_origin(gw_diam *d, ssgw_diam_enc *e)
{
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, d->cfg.origin_host);
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, d->cfg.origin_realm);
}

/* The capabilities of CER and CEA after Origin-Host / -Realm (RFC 6733 5.3.1, 5.3.2). */
static void put_capabilities(gw_diam *d, ssgw_diam_enc *e)
{
    uint8_t a4[4], a6[18] = {0, 2};
    if (inet_pton(AF_INET, d->cfg.host_ip, a4) == 1)
        ssgw_diam_enc_ipv4(e, SSGW_DIAM_AVP_HOST_IP_ADDRESS, 0, get_be32(a4));
    else if (inet_pton(AF_INET6, d->cfg.host_ip, a6 + 2) == 1)
        ssgw_diam_enc_avp(e, SSGW_DIAM_AVP_HOST_IP_ADDRESS, 0, a6, sizeof a6);
    else
        ssgw_diam_enc_ipv4(e, SSGW_DIAM_AVP_HOST_IP_ADDRESS, 0, 0x7f000001);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_VENDOR_ID, 0, d->cfg.vendor_id);
    ssgw_diam_enc_str(e, SSGW_DIAM_AVP_PRODUCT_NAME, 0, d->cfg.product_name);
    ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_ORIGIN_STATE_ID, 0, d->origin_state_id);
    bool vsa = false;
    for (size_t i = 0; i < d->cfg.n_apps; i++)
        vsa |= d->cfg.apps[i] == SSGW_DIAM_APP_S6A;
    if (vsa) ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_SUPPORTED_VENDOR_ID, 0, SSGW_DIAM_VENDOR_3GPP);
    for (size_t i = 0; i < d->cfg.n_apps; i++) {
        if (d->cfg.apps[i] == SSGW_DIAM_APP_S6A) {
            ssgw_diam_enc_group_begin(e, SSGW_DIAM_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0);
            ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_VENDOR_ID, 0, SSGW_DIAM_VENDOR_3GPP);
            ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_AUTH_APPLICATION_ID, 0, d->cfg.apps[i]);
            ssgw_diam_enc_group_end(e);
        } else {
            ssgw_diam_enc_u32(e, SSGW_DIAM_AVP_AUTH_APPLICATION_ID, 0, d->cfg.apps[i]);
        }
    }
}

static void send_cer(gw_dpeer *p)
{
    ssgw_diam_enc e;
    ssgw_buf b;
    begin_request(p, &e, &b, SSGW_DIAM_CMD_CAPABILITIES_EXCHANGE);
    put_origin(p->d, &e);
    put_capabilities(p->d, &e);
    send_mgmt(p, &b, ssgw_diam_enc_end(&e));
}

/* The answer to request m (CEA, DWA, DPA) with result; CEA carries the capabilities. */
static void send_answer(gw_dpeer *p, const uint8_t *m, size_t len, uint32_t result,
                        const char *text)
{
    gw_diam *d = p->d;
    if (!m || len < SSGW_DIAM_HEADER_LEN) return;
    ssgw_buf b;
    ssgw_buf_init(&b, d->mgmt, sizeof d->mgmt);
    uint32_t code = get_be24(m + 5);
    bool err = result >= 3000 && result < 4000;
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, &b, err ? SSGW_DIAM_FLAG_E : 0, code, get_be32(m + 8), get_be32(m + 12),
                        get_be32(m + 16));
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_RESULT_CODE, 0, result);
    put_origin(d, &e);
    if (code == SSGW_DIAM_CMD_CAPABILITIES_EXCHANGE)
        put_capabilities(d, &e);
    else if (code == SSGW_DIAM_CMD_DEVICE_WATCHDOG)
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_ORIGIN_STATE_ID, 0, d->origin_state_id);
    if (text) ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ERROR_MESSAGE, 0, text);
    send_mgmt(p, &b, ssgw_diam_enc_end(&e));
}

static void send_dwr(gw_dpeer *p)
{
    ssgw_diam_enc e;
    ssgw_buf b;
    begin_request(p, &e, &b, SSGW_DIAM_CMD_DEVICE_WATCHDOG);
    put_origin(p->d, &e);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_ORIGIN_STATE_ID, 0, p->d->origin_state_id);
    send_mgmt(p, &b, ssgw_diam_enc_end(&e));
    p->dwr_out = true;
}

static void send_dpr(gw_dpeer *p)
{
    ssgw_diam_enc e;
    ssgw_buf b;
    begin_request(p, &e, &b, SSGW_DIAM_CMD_DISCONNECT_PEER);
    put_origin(p->d, &e);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_DISCONNECT_CAUSE, 0, 0); /* REBOOTING */
    send_mgmt(p, &b, ssgw_diam_enc_end(&e));
}

/* ---- the peer's capabilities ------------------------------------------------------ */

static void copy_str(char *dst, size_t cap, const ssgw_diam_avp *a)
{
    size_t n = a->len < cap - 1 ? a->len : cap - 1;
    memcpy(dst, a->data, n);
    dst[n] = '\0';
}

static void note_app(gw_dpeer *p, const ssgw_diam_avp *a)
{
    uint32_t v;
    if (ssgw_diam_avp_u32(a, &v) < 0) return;
    if (v == SSGW_DIAM_APP_RELAY) p->relay = true;
    if (p->n_apps < SSGW_GW_MAX_DIAM_APP) p->apps[p->n_apps++] = v;
}

/*
 * Checks a CER or CEA the peer sent (m decodes) and remembers its identity and
 * applications. Returns the Result-Code to answer a CER with (SSGW_DIAM_SUCCESS when
 * accepted) and a reason for the log in *why.
 */
static uint32_t check_capabilities(gw_dpeer *p, const uint8_t *m, size_t len, const char **why)
{
    gw_diam *d = p->d;
    ssgw_diam_msg msg;
    ssgw_error e;
    if (ssgw_diam_decode(m, len, &msg, &e) < 0) {
        *why = "the message does not decode";
        return ssgw_diam_result_for_error(&e);
    }
    p->host[0] = p->realm[0] = '\0';
    p->n_apps = 0;
    p->relay = false;
    ssgw_diam_iter it;
    ssgw_diam_avp a;
    ssgw_diam_iter_msg(&it, &msg);
    bool has_result = false;
    uint32_t result = 0;
    while (ssgw_diam_next(&it, &a, NULL) == 1) {
        if (a.vendor) continue;
        switch (a.code) {
        case SSGW_DIAM_AVP_ORIGIN_HOST:
            copy_str(p->host, sizeof p->host, &a);
            break;
        case SSGW_DIAM_AVP_ORIGIN_REALM:
            copy_str(p->realm, sizeof p->realm, &a);
            break;
        case SSGW_DIAM_AVP_RESULT_CODE:
            has_result = ssgw_diam_avp_u32(&a, &result) == 0;
            break;
        case SSGW_DIAM_AVP_AUTH_APPLICATION_ID:
        case SSGW_DIAM_AVP_ACCT_APPLICATION_ID:
            note_app(p, &a);
            break;
        case SSGW_DIAM_AVP_VENDOR_SPECIFIC_APPLICATION_ID: {
            ssgw_diam_iter in;
            ssgw_diam_avp b;
            ssgw_diam_iter_group(&in, &a);
            while (ssgw_diam_next(&in, &b, NULL) == 1)
                if (!b.vendor && (b.code == SSGW_DIAM_AVP_AUTH_APPLICATION_ID ||
                                  b.code == SSGW_DIAM_AVP_ACCT_APPLICATION_ID))
                    note_app(p, &b);
            break;
        }
        default:
            break;
        }
    }
    if (!ssgw_diam_is_request(&msg) && (!has_result || result != SSGW_DIAM_SUCCESS)) {
        *why = "the CEA's Result-Code is not DIAMETER_SUCCESS";
        return has_result ? result : SSGW_DIAM_MISSING_AVP;
    }
    if (!p->host[0] || !p->realm[0]) {
        *why = "Origin-Host or Origin-Realm missing";
        return SSGW_DIAM_MISSING_AVP;
    }
    if ((p->cfg.peer_host[0] && strcasecmp(p->cfg.peer_host, p->host)) ||
        (p->cfg.peer_realm[0] && strcasecmp(p->cfg.peer_realm, p->realm))) {
        *why = "Origin-Host / Origin-Realm is not the configured peer_host / peer_realm";
        return SSGW_DIAM_UNKNOWN_PEER;
    }
    bool common = p->relay;
    for (size_t i = 0; i < d->cfg.n_apps && !common; i++)
        common = gw_dpeer_supports(p, d->cfg.apps[i]);
    if (!common) {
        *why = "no application in common with [diameter] applications";
        return SSGW_DIAM_NO_COMMON_APPLICATION;
    }
    *why = NULL;
    return SSGW_DIAM_SUCCESS;
}

/* ---- the state machine ------------------------------------------------------------ */

static uint64_t timer_cb(ssgw_evloop *loop, long long id, void *arg);

static void arm(gw_dpeer *p, uint64_t ms)
{
    if (p->timer > 0) ssgw_evloop_del_timer(p->d->g->loop, p->timer);
    p->timer = ssgw_evloop_add_timer(p->d->g->loop, ms ? ms : 1, timer_cb, p);
}

static void disarm(gw_dpeer *p)
{
    if (p->timer > 0) ssgw_evloop_del_timer(p->d->g->loop, p->timer);
    p->timer = 0;
}

static void set_state(gw_dpeer *p, ssgw_dpeer_state next, ssgw_dpeer_event ev)
{
    if (next == p->state) return;
    ssgw_log(SSGW_LOG_NOTICE, "diameter peer '%s': %s -> %s (%s)%s%s", p->cfg.name,
             ssgw_dpeer_state_name(p->state), ssgw_dpeer_state_name(next),
             ssgw_dpeer_event_name(ev), p->host[0] ? " with " : "", p->host);
    if (ssgw_dpeer_state_open(next) && !ssgw_dpeer_state_open(p->state)) p->opened++;
    p->state = next;
}

void gw_dpeer_step(gw_dpeer *p, ssgw_dpeer_event ev, const uint8_t *m, size_t len)
{
    gw_diam *d = p->d;
    const ssgw_dpeer_transition *t = ssgw_dpeer_fsm_step(p->state, ev);
    uint32_t a = t->actions;
    ssgw_dpeer_state next = t->next == SSGW_DPEER_SAME ? p->state : (ssgw_dpeer_state)t->next;
    bool refused = false;
    if (a & SSGW_DPEER_A_SEND_CER) send_cer(p);
    if (a & (SSGW_DPEER_A_PROCESS_CER | SSGW_DPEER_A_PROCESS_CEA)) {
        const char *why = NULL;
        uint32_t rc = check_capabilities(p, m, len, &why);
        if (a & SSGW_DPEER_A_PROCESS_CER) send_answer(p, m, len, rc, why);
        if (rc != SSGW_DIAM_SUCCESS) {
            refused = true;
            p->refused++;
            gw_diam_count(d, a & SSGW_DPEER_A_PROCESS_CER ? "diameter.cer_refused"
                                                          : "diameter.cea_refused");
            ssgw_log(SSGW_LOG_WARNING, "diameter peer '%s': %s from %s refused (%u): %s",
                     p->cfg.name, a & SSGW_DPEER_A_PROCESS_CER ? "CER" : "CEA", p->tp.peer,
                     (unsigned)rc, why ? why : "");
        }
    }
    if (a & SSGW_DPEER_A_SEND_CEA) send_answer(p, m, len, SSGW_DIAM_SUCCESS, NULL);
    if (a & SSGW_DPEER_A_SEND_DWR) send_dwr(p);
    if (a & SSGW_DPEER_A_SEND_DWA) send_answer(p, m, len, SSGW_DIAM_SUCCESS, NULL);
    if (a & SSGW_DPEER_A_NOTE_DWA) p->dwr_out = false;
    if (a & SSGW_DPEER_A_SEND_DPR) send_dpr(p);
    if (a & SSGW_DPEER_A_SEND_DPA) send_answer(p, m, len, SSGW_DIAM_SUCCESS, NULL);
    if ((a & SSGW_DPEER_A_DROP) && ev != SSGW_DPEER_EV_RCV_MESSAGE)
        gw_diam_count(d, "diameter.unexpected_base_message");
    if (refused) {
        disarm(p);
        set_state(p, SSGW_DPEER_CLOSED, ev);
        gw_tp_close_after_flush_why(&p->tp, "capabilities exchange refused");
        return;
    }
    if (a & SSGW_DPEER_A_TIMER_STOP) disarm(p);
    if (a & SSGW_DPEER_A_TIMER_START)
        arm(p, ssgw_dpeer_state_open(next) && next != SSGW_DPEER_CLOSING ? d->cfg.watchdog_ms
                                                                         : d->cfg.cer_timeout_ms);
    set_state(p, next, ev);
    if ((a & SSGW_DPEER_A_DISCONNECT) && p->tp.up)
        gw_tp_close_after_flush_why(&p->tp, ssgw_dpeer_event_name(ev));
}

static uint64_t timer_cb(ssgw_evloop *loop, long long id, void *arg)
{
    (void)loop;
    (void)id;
    gw_dpeer *p = arg;
    p->timer = 0;
    if (p->state == SSGW_DPEER_I_OPEN || p->state == SSGW_DPEER_R_OPEN) {
        uint64_t now = ssgw_evloop_now_ms(), tw = p->d->cfg.watchdog_ms;
        uint64_t quiet = now - p->last_rx_ms;
        if (!p->dwr_out && quiet < tw) {
            arm(p, tw - quiet);
            return 0;
        }
        if (p->dwr_out)
            ssgw_log(SSGW_LOG_WARNING,
                     "diameter peer '%s': no answer to the watchdog for %llu ms: closing",
                     p->cfg.name, (unsigned long long)quiet);
        gw_dpeer_step(p, p->dwr_out ? SSGW_DPEER_EV_WATCHDOG_LOST : SSGW_DPEER_EV_WATCHDOG_IDLE,
                      NULL, 0);
    } else {
        gw_dpeer_step(p, SSGW_DPEER_EV_TIMEOUT, NULL, 0);
    }
    return 0;
}

/* ---- transport callbacks ---------------------------------------------------------- */

static void tp_up(gw_tp *t, void *arg)
{
    gw_dpeer *p = arg;
    ssgw_log(SSGW_LOG_NOTICE, "diameter peer '%s': %s connection up with %s", p->cfg.name,
             ssgw_gw_transport_name(p->cfg.transport), t->peer);
    p->host[0] = p->realm[0] = '\0';
    p->n_apps = 0;
    p->relay = false;
    p->dwr_out = false;
    p->last_rx_ms = ssgw_evloop_now_ms();
    gw_dpeer_step(p, p->cfg.listen ? SSGW_DPEER_EV_R_CONN : SSGW_DPEER_EV_I_CONN_UP, NULL, 0);
}

static void tp_down(gw_tp *t, void *arg, const char *why)
{
    gw_dpeer *p = arg;
    gw_diam *d = p->d;
    ssgw_log(SSGW_LOG_WARNING, "diameter peer '%s': connection with %s down: %s", p->cfg.name,
             t->peer, why);
    if (t->lost_data) {
        d->c.lost_in_queue += t->lost_data;
        ssgw_log(SSGW_LOG_WARNING,
                 "diameter peer '%s': %llu queued messages lost with the connection", p->cfg.name,
                 (unsigned long long)t->lost_data);
    }
    gw_dpeer_step(p, SSGW_DPEER_EV_PEER_DISC, NULL, 0);
    p->state = SSGW_DPEER_CLOSED;
    p->blocked_on = NULL;
    p->resume = false;
    gw_diam_unblock(d, p);
}

static void tp_drained(gw_tp *t, void *arg)
{
    (void)t;
    gw_dpeer *p = arg;
    p->d->g->drains++;
    gw_diam_unblock(p->d, p);
}

/* A TCP stream that cannot be framed (version not 1, impossible length): a request is
 * answered with the decoder's Result-Code when its header can be read; the connection
 * then closes (gw_tp), since the next message cannot be found. */
static void tp_bad(gw_tp *t, const uint8_t *m, size_t len, const ssgw_error *e, void *arg)
{
    (void)t;
    gw_dpeer *p = arg;
    gw_diam *d = p->d;
    gw_diam_count(d, "diameter.bad_framing");
    if (len >= SSGW_DIAM_HEADER_LEN && gw_dpeer_open(p) && !is_base(get_be24(m + 5))) {
        gw_diam_count_in(d, p, m[4] & SSGW_DIAM_FLAG_R);
        if (m[4] & SSGW_DIAM_FLAG_R) {
            gw_diam_answer(d, p, m, SSGW_DIAM_HEADER_LEN, ssgw_diam_result_for_error(e),
                           "diameter.malformed", "the message cannot be framed");
        } else {
            gw_diam_drop(d, p, "diameter.malformed");
        }
    }
    ssgw_log(SSGW_LOG_WARNING, "diameter peer '%s': unusable stream from %s (%s): closing",
             p->cfg.name, p->tp.peer, e && e->field ? e->field : "?");
}

static int tp_msg(gw_tp *t, const uint8_t *m, size_t len, uint16_t stream, void *arg)
{
    (void)t;
    (void)stream;
    gw_dpeer *p = arg;
    gw_diam *d = p->d;
    p->last_rx_ms = ssgw_evloop_now_ms();
    d->g->rx_wall_ms = ssgw_time_now_ms();
    p->dwr_out = false; /* any message shows the peer is alive (RFC 3539 3.4.1) */
    /* SCTP delivers whole messages without framing them: check the header here */
    ssgw_error e;
    long fl = diam_frame_len(m, len, &e);
    if (fl < 0 || (size_t)fl != len || len < SSGW_DIAM_HEADER_LEN) {
        if (fl >= 0) ssgw_fail(&e, SSGW_LAYER_DIAMETER, SSGW_E_BAD_LENGTH, "message length", 1);
        tp_bad(t, m, len, &e, p);
        if (!gw_dpeer_open(p)) gw_tp_close_after_flush(&p->tp);
        return 0;
    }
    uint32_t code = get_be24(m + 5);
    bool request = (m[4] & SSGW_DIAM_FLAG_R) != 0;
    ssgw_dpeer_event ev = ssgw_dpeer_event_for(code, request);
    if (ev != SSGW_DPEER_EV_RCV_MESSAGE) capture(p, true, m, len);
    if (ev == SSGW_DPEER_EV_RCV_MESSAGE) {
        const ssgw_dpeer_transition *tr = ssgw_dpeer_fsm_step(p->state, ev);
        if (tr->actions & SSGW_DPEER_A_DELIVER) {
            if (len > d->cfg.max_message) {
                capture(p, true, m, len);
                gw_diam_count_in(d, p, request);
                if (request)
                    gw_diam_answer(d, p, m, len, SSGW_DIAM_INVALID_MESSAGE_LENGTH,
                                   "diameter.too_large", "message longer than max_message");
                else
                    gw_diam_drop(d, p, "diameter.too_large");
                return 0;
            }
            int r = gw_diam_deliver(p, m, len);
            if (r == 0) capture(p, true, m, len); /* once: a blocked message comes again */
            return r;
        }
        capture(p, true, m, len);
        gw_diam_count_in(d, p, request);
        gw_diam_drop(d, p, "diameter.peer_not_open");
        gw_dpeer_step(p, ev, m, len);
        return 0;
    }
    p->mgmt_in++;
    d->c.mgmt_in++;
    gw_dpeer_step(p, ev, m, len);
    return 0;
}

static bool tp_admit(gw_tp *t, const struct sockaddr *sa, const char *peer, bool busy, void *arg)
{
    (void)t;
    gw_dpeer *p = arg;
    if (!gw_admit_allowed(p->cfg.allow, p->cfg.n_allow, sa)) {
        gw_diam_count(p->d, "diameter.admission_not_allowed");
        ssgw_log(SSGW_LOG_WARNING, "diameter peer '%s': connection from %s refused: not in `allow`",
                 p->cfg.name, peer);
        return false;
    }
    if (busy && gw_dpeer_open(p)) {
        gw_diam_count(p->d, "diameter.admission_busy");
        ssgw_log(SSGW_LOG_WARNING,
                 "diameter peer '%s': second connection from %s refused while the first is open",
                 p->cfg.name, peer);
        return false;
    }
    return true;
}

static const gw_tp_ops peer_ops = {.up = tp_up,
                                   .msg = tp_msg,
                                   .bad = tp_bad,
                                   .down = tp_down,
                                   .drained = tp_drained,
                                   .admit = tp_admit};

/* ---- peers ------------------------------------------------------------------------ */

gw_dpeer *gw_dpeer_new(gw_diam *d, const ssgw_gw_config *cfg, const ssgw_gw_dpeer_config *pc,
                       unsigned index, char *err, size_t errlen)
{
    gw_dpeer *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    p->d = d;
    p->index = index;
    p->id = ++d->next_id;
    p->cfg = *pc;
    p->state = SSGW_DPEER_CLOSED;
    gw_tp *t = &p->tp;
    t->loop = d->g->loop;
    t->kind = pc->transport;
    t->listen = pc->listen;
    memcpy(t->host, pc->host, sizeof t->host);
    t->port = pc->port;
    t->remote_udp_port = pc->remote_udp_port;
    t->streams = pc->streams;
    t->limit = pc->queue_bytes;
    t->reconnect_ms = cfg->reconnect_ms;
    t->ops = &peer_ops;
    t->arg = p;
    t->framing = &gw_diam_framing;
    char e2[256];
    if (pc->transport == SSGW_GW_TRANSPORT_SCTP_UDP &&
        gw_usr_setup(d->g->loop, cfg->sctp_udp_port, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "diameter peer '%s' (%s:%d): %s", pc->name, cfg->path, pc->line, e2);
        free(p);
        return NULL;
    }
    if (gw_tp_open(t, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "diameter peer '%s' (%s:%d): %s", pc->name, cfg->path, pc->line, e2);
        gw_tp_close(t);
        free(p);
        return NULL;
    }
    ssgw_log(SSGW_LOG_INFO, "diameter peer '%s': %s side, %s %s %s:%u", pc->name,
             ssgw_gw_side_name(pc->side), ssgw_gw_transport_name(pc->transport),
             pc->listen ? "listening on" : "connecting to", pc->host, pc->port);
    if (!pc->listen && !t->up) gw_dpeer_step(p, SSGW_DPEER_EV_START, NULL, 0);
    return p;
}

void gw_dpeer_free(gw_diam *d, gw_dpeer *p)
{
    disarm(p);
    for (size_t i = 0; i < d->n_peers; i++)
        if (d->peers[i] && d->peers[i]->blocked_on == p) {
            d->peers[i]->blocked_on = NULL;
            d->peers[i]->resume = true;
        }
    gw_tp_close(&p->tp);
    free(p);
}
