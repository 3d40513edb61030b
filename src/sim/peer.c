/*
 * peer.c - `ssgw peer`: an M3UA test peer built on the gateway's transports
 * (ssgw/gw_assoc.h) and ASP state machine tables (ssgw/asp_fsm.h), so that tests
 * exercise a gateway with an independent process over real sockets.
 *
 * Simulated network elements answer a TCAP Begin whose called GT starts with
 * one of their GTs: End (dtid = the Begin's otid; AARE accepted when the Begin
 * had an AARQ) with ReturnResultLast carrying the operation's result built by
 * ssgw_map_encode() from the fields answer() fills: HLR/MSC/VLR/SGSN number = the
 * element's GT, the IMSI and MSISDN of the request (else --imsi/--msisdn), an MSRN,
 * authentication vectors derived from the IMSI (sendAuthenticationInfo: quintuplets
 * in v3, triplets in v2), an RP-ACK TPDU (mt-/mo-forwardSM v3), USSD text
 * (processUnstructuredSS-Request: "Balance: 12.50 GBP", unstructuredSS-Request: the
 * user's reply "1"), an empty InsertSubscriberDataRes. ReturnResultLast without a
 * parameter when the operation has no result in its version (forwardSM v2, RETURN
 * RESULT TRUE), ReturnError facilityNotSupported (21) when there is no result
 * encoder (TS 29.002 17.6.6).
 * SCCP called/calling are swapped and OPC/DPC are swapped, SLS kept.
 */
#include "ssgw/peer.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/asp_fsm.h"
#include "ssgw/capture.h"
#include "ssgw/gw_assoc.h"
#include "ssgw/json.h"
#include "ssgw/log.h"
#include "ssgw/map.h"
#include "ssgw/map_msg.h"
#include "ssgw/record.h"
#include "ssgw/sccp.h"
#include "ssgw/tcap.h"
#include "ssgw/view.h"
#include "sim/peer_isup.h"

static volatile sig_atomic_t peer_stop; /* SIGTERM / SIGINT seen: 0, 1, or 2 (twice) */

static void on_signal(int sig)
{
    (void)sig;
    if (peer_stop < 2) peer_stop = peer_stop + 1;
}

typedef struct {
    const ssgw_peer_opts *o;
    ssgw_evloop *loop;
    ssgw_gw_assoc *tp;
    ssgw_asp_state state;
    bool ever_active;
    long long ack_timer;
    FILE *rec;
    uint64_t t0;
    uint64_t sent, rx_data, answered, last_rx_ms, last_tx_ms, send_start_ms;
    bool garbage_done, extras_done, reading_paused, closing;
    bool sending_stopped; /* --until-stopped --expect sent: stopped, awaiting the answers */
    uint64_t pause_until;
    ssgw_capture *cap;
    bool replay_done;
    uint8_t pending[SSGW_M3UA_MAX_MSG_DEFAULT];
    size_t pending_len;
    uint8_t buf[8192];
    ssgw_view view;
    ssgw_decoder *dec[2]; /* rx, tx: whole-stack decoding (SCCP reassembly) */
    char line[1 << 16];
    /* as an HLR: where subscribers registered (their last updateLocation), so that routing
     * answers name the serving MSC as a real HLR's do (firewalls learn locations from them) */
    struct {
        char imsi[SSGW_MAP_IMSI_CAP];
        char msc[SSGW_MAP_DIGITS_CAP], vlr[SSGW_MAP_DIGITS_CAP];
    } reg[16];
    unsigned n_reg;
} peer;

static const char *const ne_names[] = {"hlr", "vlr", "msc", "smsc", "gsmscf"};

int ssgw_peer_ne_parse(const char *s)
{
    for (int i = 0; i < SSGW_PEER_NE_COUNT; i++)
        if (!strcmp(s, ne_names[i])) return i;
    return -1;
}

const char *ssgw_peer_ne_name(ssgw_peer_ne_kind k)
{
    return (unsigned)k < SSGW_PEER_NE_COUNT ? ne_names[k] : "unknown";
}

void ssgw_peer_opts_default(ssgw_peer_opts *o)
{
    memset(o, 0, sizeof *o);
    o->transport = SSGW_GW_TRANSPORT_TCP;
    o->role = SSGW_GW_ROLE_COUNT; /* from listen/connect */
    snprintf(o->host, sizeof o->host, "127.0.0.1");
    o->port = 2905;
    o->udp_port = 9900;
    o->traffic_mode = SSGW_M3UA_TMT_OVERRIDE;
    o->op = -1;
    snprintf(o->from_gt, sizeof o->from_gt, "491720000001");
    snprintf(o->to_gt, sizeof o->to_gt, "441234000001");
    o->opc = 100;
    o->dpc = 200;
    o->called_ssn = 6;
    o->calling_ssn = 7;
    o->duration_ms = 20000;
    o->linger_ms = 1000;
    o->queue_bytes = 1024 * 1024;
    o->cic = 1;
    o->screening = 3;
    snprintf(o->calling, sizeof o->calling, "447924000010");
    snprintf(o->called, sizeof o->called, "254722000001");
}

/* ---- recording -------------------------------------------------------------------- */

static void record(peer *p, const char *dir, const uint8_t *m, size_t len, uint16_t stream)
{
    if (!p->rec) return;
    ssgw_json j;
    ssgw_json_begin(&j, p->line, sizeof p->line);
    ssgw_json_str(&j, "dir", dir);
    ssgw_json_int(&j, "t_ms", (long long)(ssgw_evloop_now_ms() - p->t0));
    ssgw_json_int(&j, "sctp_stream", stream);
    ssgw_m3ua_msg msg;
    ssgw_error e;
    if (ssgw_m3ua_decode(m, len, &msg, &e) < 0) {
        ssgw_json_str(&j, "msg", "malformed");
        ssgw_json_hex(&j, "bytes", m, len < 64 ? len : 64);
    } else {
        ssgw_json_str(&j, "msg", ssgw_m3ua_msg_name(msg.msg_class, msg.msg_type));
        if (msg.present & SSGW_M3UA_HAS_ERROR_CODE) {
            ssgw_json_int(&j, "err_code", msg.error_code);
            ssgw_json_str(&j, "err_name", ssgw_m3ua_err_code_name(msg.error_code));
        }
        if (msg.present & SSGW_M3UA_HAS_STATUS) {
            ssgw_json_str(&j, "status",
                          ssgw_m3ua_status_info_name(msg.status_type, msg.status_info));
        }
        if (msg.present & SSGW_M3UA_HAS_HEARTBEAT_DATA)
            ssgw_json_hex(&j, "heartbeat", msg.heartbeat_data, msg.heartbeat_data_len);
        if (msg.present & SSGW_M3UA_HAS_AFFECTED_PC && msg.affected_pc.count)
            ssgw_json_int(&j, "apc", ssgw_m3ua_apc_pc(ssgw_m3ua_u32_at(&msg.affected_pc, 0)));
        if (msg.present & SSGW_M3UA_HAS_PROTOCOL_DATA) {
            ssgw_json_hex(&j, "pd", msg.protocol_data.data, msg.protocol_data.data_len);
            ssgw_decoder_run(p->dec[dir[0] == 't'], SSGW_CAPTURE_KIND_M3UA, m, len,
                             ssgw_evloop_now_ms(), &p->view);
            ssgw_record_view(&j, &p->view);
        }
    }
    if (ssgw_json_end(&j) > 0) {
        fputs(p->line, p->rec);
        fputc('\n', p->rec);
        fflush(p->rec); /* tests read the record of a running peer */
    }
}

static int send_msg(peer *p, const uint8_t *m, size_t len, uint16_t stream)
{
    if (p->closing) return -ENOTCONN; /* half-closed: reading only */
    int r = ssgw_gw_assoc_send(p->tp, m, len, stream);
    if (r == 0) {
        record(p, "tx", m, len, stream);
        p->last_tx_ms = ssgw_evloop_now_ms();
    }
    return r;
}

/* ---- M3UA management -------------------------------------------------------------- */

static uint64_t ack_timer_cb(ssgw_evloop *l, long long id, void *arg);

static void run_actions(peer *p, const ssgw_asp_transition *t, const ssgw_m3ua_msg *msg,
                        const uint8_t *m, size_t len)
{
    const ssgw_peer_opts *o = p->o;
    uint32_t a = t->actions;
    ssgw_buf b;
    const uint32_t *rc = o->has_rc ? &o->rc : NULL;
    size_t nrc = o->has_rc ? 1 : 0;
#define SEND(expr)                                                                                 \
    do {                                                                                           \
        ssgw_buf_init(&b, p->buf, sizeof p->buf);                                                  \
        if ((expr) == 0) send_msg(p, b.data, b.len, 0);                                            \
    } while (0)
    if ((a & SSGW_ASP_A_SEND_ASPUP) || ((a & SSGW_ASP_A_SEND_ASPUP_IF_CLIENT) && !o->listen))
        SEND(ssgw_m3ua_encode_aspup(&b, NULL, "ssgw peer"));
    if (a & SSGW_ASP_A_SEND_ASPUP_ACK) SEND(ssgw_m3ua_encode_aspup_ack(&b, NULL, NULL));
    if (a & SSGW_ASP_A_SEND_ASPDN_ACK) SEND(ssgw_m3ua_encode_aspdn_ack(&b, NULL));
    if (a & SSGW_ASP_A_SEND_ASPAC) SEND(ssgw_m3ua_encode_aspac(&b, o->traffic_mode, rc, nrc, NULL));
    if (a & SSGW_ASP_A_SEND_ASPAC_ACK)
        SEND(ssgw_m3ua_encode_aspac_ack(&b, o->traffic_mode, rc, nrc, NULL));
    if (a & SSGW_ASP_A_SEND_ASPIA_ACK) SEND(ssgw_m3ua_encode_aspia_ack(&b, rc, nrc, NULL));
    if ((a & SSGW_ASP_A_SEND_BEAT_ACK) && msg)
        SEND(ssgw_m3ua_encode_beat_ack(&b, msg->heartbeat_data, msg->heartbeat_data_len));
    if (a & (SSGW_ASP_A_SEND_NTFY_ACTIVE | SSGW_ASP_A_SEND_NTFY_INACTIVE)) {
        ssgw_m3ua_ntfy_info n = {.status_type = SSGW_M3UA_STATUS_AS_STATE_CHANGE,
                                 .status_info = (a & SSGW_ASP_A_SEND_NTFY_ACTIVE)
                                                    ? SSGW_M3UA_AS_ACTIVE
                                                    : SSGW_M3UA_AS_INACTIVE,
                                 .routing_context = rc,
                                 .n_routing_context = nrc};
        SEND(ssgw_m3ua_encode_ntfy(&b, &n));
    }
    if (a & (SSGW_ASP_A_SEND_ERR_UNEXPECTED | SSGW_ASP_A_SEND_ERR_UNSUPPORTED)) {
        ssgw_m3ua_err_info e = {.error_code =
                                    (a & SSGW_ASP_A_SEND_ERR_UNEXPECTED)
                                        ? SSGW_M3UA_ERR_UNEXPECTED_MESSAGE
                                        : ssgw_asp_unsupported_code(msg ? msg->msg_class : 0),
                                .diagnostic = m,
                                .diagnostic_len = len > 256 ? 256 : len};
        SEND(ssgw_m3ua_encode_err(&b, &e));
    }
    if ((a & SSGW_ASP_A_ANSWER_DAUD) && msg) {
        for (size_t i = 0; i < msg->affected_pc.count && i < 16; i++) {
            uint32_t apc = ssgw_m3ua_u32_at(&msg->affected_pc, i);
            ssgw_m3ua_ssnm_info s = {.affected_pc = &apc,
                                     .n_affected_pc = 1,
                                     .routing_context = rc,
                                     .n_routing_context = nrc};
            SEND(ssgw_m3ua_encode_dava(&b, &s));
        }
    }
#undef SEND
    if (a & SSGW_ASP_A_TIMER_STOP) {
        ssgw_evloop_del_timer(p->loop, p->ack_timer);
        p->ack_timer = 0;
    }
    if (a & SSGW_ASP_A_TIMER_START) {
        ssgw_evloop_del_timer(p->loop, p->ack_timer);
        p->ack_timer = ssgw_evloop_add_timer(p->loop, 2000, ack_timer_cb, p);
    }
    if (t->next != SSGW_ASP_SAME && t->next != p->state) {
        p->state = (ssgw_asp_state)t->next;
        if (!p->o->quiet) ssgw_log(SSGW_LOG_NOTICE, "ASP %s", ssgw_asp_state_name(p->state));
        if (p->state == SSGW_ASP_ACTIVE && !p->ever_active) {
            p->ever_active = true;
            p->send_start_ms = ssgw_evloop_now_ms() + p->o->start_delay_ms;
            if (p->o->pause_read_ms) {
                p->pause_until = ssgw_evloop_now_ms() + p->o->pause_read_ms;
                p->reading_paused = true;
                ssgw_gw_assoc_pause_reading(p->tp, true);
            }
        }
    }
}

static uint64_t ack_timer_cb(ssgw_evloop *l, long long id, void *arg)
{
    (void)l;
    (void)id;
    peer *p = arg;
    p->ack_timer = 0;
    run_actions(p, ssgw_asp_fsm_step(p->o->role, p->state, SSGW_ASP_EV_TIMER), NULL, NULL, 0);
    return 0;
}

/* ---- simulated network elements -------------------------------------------------- */

static int ne_for(const peer *p, const char *called)
{
    for (unsigned i = 0; i < p->o->n_ne; i++)
        if (!strncmp(called, p->o->ne[i].gt, strlen(p->o->ne[i].gt))) return (int)i;
    return -1;
}

/* SCCP UDT class 1 between called and calling, in an M3UA DATA (with our routing context). */
static ssgw_map_route route_to(const peer *p, const ssgw_sccp_addr *called,
                               const ssgw_sccp_addr *calling, uint32_t opc, uint32_t dpc,
                               uint8_t ni, uint8_t sls)
{
    ssgw_map_route r = {.called = *called,
                        .calling = *calling,
                        .opc = opc,
                        .dpc = dpc,
                        .ni = ni,
                        .sls = sls,
                        .routing_context = p->o->has_rc ? &p->o->rc : NULL};
    return r;
}

/* An HLR's memory of the serving VLR / MSC: updateLocation records them, sendRoutingInfo
 * and sendRoutingInfoForSM answers name them (else the answering node's own GT). */
static void hlr_registration(peer *p, int op, const ssgw_view *v, ssgw_map_fields *f)
{
    const char *imsi = f->imsi;
    unsigned i = 0;
    while (i < p->n_reg && strcmp(p->reg[i].imsi, imsi))
        i++;
    if (op == SSGW_MAP_OP_UPDATE_LOCATION && v->map.vlr_number.digits[0]) {
        if (i == p->n_reg) i = p->n_reg < 16 ? p->n_reg++ : 15;
        snprintf(p->reg[i].imsi, sizeof p->reg[i].imsi, "%s", imsi);
        snprintf(p->reg[i].vlr, sizeof p->reg[i].vlr, "%s", v->map.vlr_number.digits);
        snprintf(p->reg[i].msc, sizeof p->reg[i].msc, "%s",
                 v->map.msc_number.digits[0] ? v->map.msc_number.digits : v->map.vlr_number.digits);
    } else if (i < p->n_reg && (op == SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM ||
                                op == SSGW_MAP_OP_SEND_ROUTING_INFO)) {
        ssgw_map_addr_set(&f->msc_number, p->reg[i].msc, 1, 1);
        ssgw_map_addr_set(&f->vlr_number, p->reg[i].vlr, 1, 1);
    }
}

static void answer(peer *p, ssgw_view *v, uint16_t stream)
{
    if (!v->has_tcap || v->tcap.type != SSGW_TCAP_BEGIN || !v->ncomp ||
        v->comp[0].type != SSGW_TCAP_COMP_INVOKE || v->comp[0].opcode.kind != SSGW_TCAP_CODE_LOCAL)
        return;
    int ne = ne_for(p, v->sccp.called.digits);
    if (ne < 0) return;
    const char *gt = p->o->ne[ne].gt;
    int op = (int)v->comp[0].opcode.local;
    ssgw_view_map(v);
    ssgw_map_fields f;
    ssgw_map_fields_init(&f);
    snprintf(f.imsi, sizeof f.imsi, "%s",
             v->map.imsi[0]  ? v->map.imsi
             : p->o->imsi[0] ? p->o->imsi
                             : "001010000000001");
    ssgw_map_addr_set(&f.hlr_number, gt, 1, 1);
    ssgw_map_addr_set(&f.msc_number, gt, 1, 1);
    ssgw_map_addr_set(&f.vlr_number, gt, 1, 1);
    ssgw_map_addr_set(&f.sgsn_number, gt, 1, 1);
    ssgw_map_addr_set(&f.roaming_number, "4917999000001", 1, 1);
    hlr_registration(p, op, v, &f);
    if (op == SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST ||
        op == SSGW_MAP_OP_UNSTRUCTURED_SS_REQUEST) {
        /* USSD-Res: GSM 7-bit default alphabet (TS 23.038 5) */
        f.ussd_dcs = 0x0f;
        snprintf(f.ussd_string, sizeof f.ussd_string, "%s",
                 op == SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST ? "Balance: 12.50 GBP" : "1");
    }
    ssgw_map_addr_set(&f.msisdn,
                      v->map.msisdn.digits[0] ? v->map.msisdn.digits
                      : p->o->msisdn[0]       ? p->o->msisdn
                                              : "4917200000001",
                      1, 1);

    uint8_t param[2048];
    ssgw_buf pb;
    ssgw_buf_init(&pb, param, sizeof param);
    ssgw_tcap_component c;
    const ssgw_map_op *mop = ssgw_map_op_by_code(op);
    int enc = ssgw_map_msg_component(&c, SSGW_TCAP_COMP_RETURN_RESULT_LAST, v->comp[0].invoke_id,
                                     op, v->acn_version, &f, &pb);
    if (enc < 0 && !(mop && !mop->res_type && mop->arg_type)) {
        c.type = SSGW_TCAP_COMP_RETURN_ERROR; /* no result encoder */
        c.opcode.kind = SSGW_TCAP_CODE_NONE;
        c.error.kind = SSGW_TCAP_CODE_LOCAL;
        c.error.local = 21; /* facilityNotSupported */
    } else if (!c.param_present) {
        c.opcode.kind = SSGW_TCAP_CODE_NONE; /* no result in this version: RETURN RESULT TRUE */
    }
    ssgw_tcap_msg tm;
    memset(&tm, 0, sizeof tm);
    tm.type = SSGW_TCAP_END;
    tm.dtid = v->tcap.otid;
    if (v->tcap.dialogue_present && v->tcap.dialogue.type == SSGW_TCAP_DLG_AARQ) {
        tm.dialogue_present = true;
        ssgw_map_msg_dialogue_acn(&tm.dialogue, SSGW_TCAP_DLG_AARE, v->tcap.dialogue.acn,
                                  v->tcap.dialogue.acn_len);
    }
    tm.components_present = true;
    uint8_t out[4400];
    ssgw_buf ob;
    ssgw_buf_init(&ob, out, sizeof out);
    ssgw_map_route r =
        route_to(p, &v->sccp.calling, &v->sccp.called, v->dpc, v->opc, v->ni, v->sls);
    ssgw_error e;
    if (ssgw_map_msg_encode(&ob, &r, &tm, &c, 1, &e) < 0) {
        char et[160];
        ssgw_error_format(&e, et, sizeof et);
        ssgw_log(SSGW_LOG_ERR, "cannot build the answer: %s", et);
        return;
    }
    if (send_msg(p, ob.data, ob.len, stream) == 0) p->answered++;
}

/* ---- originating traffic ---------------------------------------------------------- */

static int build_request(peer *p, uint64_t i, ssgw_buf *out)
{
    const ssgw_peer_opts *o = p->o;
    int ver;
    const ssgw_map_acn *acn = ssgw_map_op_context(o->op, &ver);
    ssgw_map_fields f;
    ssgw_map_fields_init(&f);
    if (o->imsi[0])
        snprintf(f.imsi, sizeof f.imsi, "%s", o->imsi);
    else
        snprintf(f.imsi, sizeof f.imsi, "00101%010llu", (unsigned long long)(i % 10000000000ULL));
    ssgw_map_addr_set(&f.msisdn, o->msisdn[0] ? o->msisdn : "4917200000001", 1, 1);
    ssgw_map_addr_set(&f.msc_number, o->from_gt, 1, 1);
    ssgw_map_addr_set(&f.vlr_number, o->from_gt, 1, 1);
    ssgw_map_addr_set(&f.smsc_address, o->from_gt, 1, 1);
    ssgw_map_addr_set(&f.gsmscf_address, o->from_gt, 1, 1);
    ssgw_map_addr_set(&f.gmsc_address, o->from_gt, 1, 1);
    uint8_t param[2048];
    ssgw_buf pb;
    ssgw_buf_init(&pb, param, sizeof param);
    ssgw_tcap_component c;
    ssgw_map_msg_component(&c, SSGW_TCAP_COMP_INVOKE, 1, o->op, ver, &f,
                           &pb); /* else no argument */
    ssgw_tcap_msg tm;
    memset(&tm, 0, sizeof tm);
    tm.type = SSGW_TCAP_BEGIN;
    ssgw_tcap_tid_set(&tm.otid, (uint32_t)(0x10000000u + i), 4);
    uint8_t oid[SSGW_MAP_ACN_OID_LEN];
    if (acn && ssgw_map_msg_dialogue(&tm.dialogue, SSGW_TCAP_DLG_AARQ, acn->ac, ver, oid) == 0)
        tm.dialogue_present = true;
    tm.components_present = true;
    ssgw_sccp_addr called, calling;
    ssgw_sccp_addr_gt(&called, o->to_gt, o->called_ssn);
    ssgw_sccp_addr_gt(&calling, o->from_gt, o->calling_ssn);
    ssgw_map_route r = route_to(p, &called, &calling, o->opc, o->dpc, 2, (uint8_t)(i & 0x0f));
    ssgw_error e;
    return ssgw_map_msg_encode(out, &r, &tm, &c, 1, &e);
}

/* The next message to send into p->pending; 0 when there is none left. */
static size_t next_message(peer *p)
{
    if (p->o->replay) {
        ssgw_capture_msg cm;
        while (!p->replay_done) {
            int r = ssgw_capture_next(p->cap, &cm);
            if (r <= 0) {
                p->replay_done = true;
                break;
            }
            if (cm.is_error || cm.kind != SSGW_CAPTURE_KIND_M3UA || cm.len < 8 ||
                cm.len > sizeof p->pending || cm.data[2] != SSGW_M3UA_CLASS_TRANSFER ||
                cm.data[3] != SSGW_M3UA_TRANSFER_DATA)
                continue;
            memcpy(p->pending, cm.data, cm.len);
            return cm.len;
        }
        return 0;
    }
    ssgw_buf b;
    ssgw_buf_init(&b, p->pending, sizeof p->pending);
    if (p->o->calls) {
        if (p->sent >= p->o->calls || ssgw_peer_isup_iam(p->o, p->sent, &b) < 0) return 0;
        return b.len;
    }
    if (p->o->op < 0 || p->sent >= p->o->count) return 0;
    if (build_request(p, p->sent, &b) < 0 || b.overflow) return 0;
    return b.len;
}

static bool traffic_left(const peer *p)
{
    if (p->sending_stopped) return false; /* a message built but not queued is never sent */
    if (p->pending_len) return true;
    if (p->o->replay) return !p->replay_done;
    if (p->o->calls) return p->sent < p->o->calls;
    return p->o->op >= 0 && p->sent < p->o->count;
}

/* The DATA messages to receive before stopping: --expect N, or --expect sent: one per
 * message sent (every request answered). */
static uint64_t expected_rx(const peer *p)
{
    return p->o->expect_sent ? p->sent : p->o->expect;
}

static void send_garbage(peer *p)
{
    static const struct {
        const char *name;
        uint8_t bytes[16];
        size_t len;
    } g[] = {
        {"unknown-class", {1, 0, 12, 1, 0, 0, 0, 8}, 8},
        {"truncated", {1, 0, 1, 1, 0, 0, 0, 16, 0x02, 0x10, 0, 32, 0, 0, 0, 0}, 16},
        {"bad-version", {2, 0, 3, 1, 0, 0, 0, 8}, 8},
        {"bad-length", {1, 0, 3, 1, 0, 0, 0, 4}, 8},
    };
    char list[256];
    snprintf(list, sizeof list, "%s", p->o->garbage);
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ","))
        for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
            if (!strcmp(tok, g[i].name)) {
                /* raw bytes: ssgw_gw_assoc_send does not look at them */
                ssgw_gw_assoc_send(p->tp, g[i].bytes, g[i].len, 0);
                if (p->rec) {
                    fprintf(p->rec, "{\"dir\":\"tx\",\"msg\":\"garbage\",\"kind\":\"%s\"}\n",
                            g[i].name);
                }
            }
}

static void send_extras(peer *p)
{
    ssgw_buf b;
    if (p->o->beat) {
        static const uint8_t hb[] = "ssgw-peer-beat";
        ssgw_buf_init(&b, p->buf, sizeof p->buf);
        if (ssgw_m3ua_encode_beat(&b, hb, sizeof hb - 1) == 0) send_msg(p, b.data, b.len, 0);
    }
    uint32_t apc = p->o->dpc;
    ssgw_m3ua_ssnm_info s = {.affected_pc = &apc,
                             .n_affected_pc = 1,
                             .routing_context = p->o->has_rc ? &p->o->rc : NULL,
                             .n_routing_context = p->o->has_rc ? 1 : 0};
    if (p->o->daud) {
        ssgw_buf_init(&b, p->buf, sizeof p->buf);
        if (ssgw_m3ua_encode_daud(&b, &s) == 0) send_msg(p, b.data, b.len, 0);
    }
    if (p->o->duna) {
        ssgw_buf_init(&b, p->buf, sizeof p->buf);
        if (ssgw_m3ua_encode_duna(&b, &s) == 0) send_msg(p, b.data, b.len, 0);
    }
}

static uint64_t tick(ssgw_evloop *l, long long id, void *arg)
{
    (void)l;
    (void)id;
    peer *p = arg;
    uint64_t now = ssgw_evloop_now_ms();
    if (p->reading_paused && now >= p->pause_until) {
        p->reading_paused = false;
        ssgw_gw_assoc_pause_reading(p->tp, false);
    }
    if (p->closing || p->state != SSGW_ASP_ACTIVE || !ssgw_gw_assoc_is_up(p->tp) ||
        now < p->send_start_ms)
        return 1;
    if (!p->extras_done) {
        p->extras_done = true;
        send_extras(p);
    }
    if (p->o->garbage && !p->garbage_done) {
        p->garbage_done = true;
        send_garbage(p);
    }
    uint64_t allowed = p->sending_stopped ? 0 : UINT64_MAX;
    if (p->o->rate > 0 && !p->sending_stopped)
        allowed = (uint64_t)((double)(now - p->send_start_ms) * p->o->rate / 1000.0) + 1;
    for (int burst = 0; burst < 512 && p->sent < allowed; burst++) {
        if (!p->pending_len) p->pending_len = next_message(p);
        if (!p->pending_len) break;
        if (!ssgw_gw_assoc_has_room(p->tp, p->pending_len))
            break; /* back pressure from the gateway: wait */
        ssgw_m3ua_msg msg;
        ssgw_error e;
        uint8_t sls = 0;
        if (ssgw_m3ua_decode(p->pending, p->pending_len, &msg, &e) == 0 &&
            (msg.present & SSGW_M3UA_HAS_PROTOCOL_DATA))
            sls = msg.protocol_data.sls;
        if (send_msg(p, p->pending, p->pending_len, ssgw_gw_assoc_stream_for_sls(p->tp, sls)) < 0)
            break;
        p->pending_len = 0;
        p->sent++;
    }
    ssgw_gw_assoc_flush(p->tp);
    return 1;
}

/* ---- transport callbacks ---------------------------------------------------------- */

static void tp_up(ssgw_gw_assoc *t, void *arg)
{
    peer *p = arg;
    size_t active, paths = ssgw_gw_assoc_paths(t, &active);
    if (!p->o->quiet)
        ssgw_log(SSGW_LOG_NOTICE, "association up with %s (%zu paths, %zu active)",
                 ssgw_gw_assoc_peer(t), paths, active);
    p->state = SSGW_ASP_DOWN;
    run_actions(p, ssgw_asp_fsm_step(p->o->role, p->state, SSGW_ASP_EV_TRANSPORT_UP), NULL, NULL,
                0);
}

static void tp_down(ssgw_gw_assoc *t, void *arg, const char *why)
{
    (void)t;
    peer *p = arg;
    if (!p->o->quiet) ssgw_log(SSGW_LOG_NOTICE, "association down: %s", why);
    if (p->rec)
        fprintf(p->rec, "{\"dir\":\"event\",\"msg\":\"association-down\",\"t_ms\":%llu}\n",
                (unsigned long long)(ssgw_evloop_now_ms() - p->t0));
    p->state = SSGW_ASP_DOWN;
}

static void tp_bad(ssgw_gw_assoc *t, const uint8_t *m, size_t len, const ssgw_error *e, void *arg)
{
    (void)t;
    peer *p = arg;
    uint8_t out[512];
    ssgw_buf b;
    ssgw_buf_init(&b, out, sizeof out);
    ssgw_m3ua_err_info ei = {.error_code = ssgw_m3ua_err_code_for(e),
                             .diagnostic = m,
                             .diagnostic_len = len < 8 ? len : 8};
    if (ssgw_m3ua_encode_err(&b, &ei) == 0) send_msg(p, b.data, b.len, 0);
}

static int tp_msg(ssgw_gw_assoc *t, const uint8_t *m, size_t len, uint16_t stream, void *arg)
{
    (void)t;
    peer *p = arg;
    p->last_rx_ms = ssgw_evloop_now_ms();
    record(p, "rx", m, len, stream);
    ssgw_m3ua_msg msg;
    ssgw_error e;
    if (ssgw_m3ua_decode(m, len, &msg, &e) < 0) {
        uint8_t out[512];
        ssgw_buf b;
        ssgw_buf_init(&b, out, sizeof out);
        ssgw_m3ua_err_info ei = {.error_code = ssgw_m3ua_err_code_for(&e),
                                 .diagnostic = m,
                                 .diagnostic_len = len > 256 ? 256 : len};
        if (ssgw_m3ua_encode_err(&b, &ei) == 0) send_msg(p, b.data, b.len, 0);
        return 0;
    }
    ssgw_asp_event ev = ssgw_asp_event_for(msg.msg_class, msg.msg_type);
    const ssgw_asp_transition *tr = ssgw_asp_fsm_step(p->o->role, p->state, ev);
    if (ev == SSGW_ASP_EV_DATA && (tr->actions & SSGW_ASP_A_DELIVER)) {
        p->rx_data++;
        /* record() above decoded it into p->view when recording; decode otherwise. Every
         * peer answers an ISUP REL with RLC (Q.764 2.3: the circuit is free again); --calls
         * and --exchange add the calls it originates and terminates. */
        bool isup = (msg.present & SSGW_M3UA_HAS_PROTOCOL_DATA) && msg.protocol_data.si == 5;
        if ((p->o->n_ne || isup) &&
            (p->rec || ssgw_decoder_run(p->dec[0], SSGW_CAPTURE_KIND_M3UA, m, len,
                                        ssgw_evloop_now_ms(), &p->view) == 0) &&
            !p->view.has_error) {
            if (p->view.has_isup) {
                ssgw_buf out[2];
                uint8_t mem[2][512];
                ssgw_buf_init(&out[0], mem[0], sizeof mem[0]);
                ssgw_buf_init(&out[1], mem[1], sizeof mem[1]);
                size_t k = isup ? ssgw_peer_isup_react(p->o, &p->view, out, 2) : 0;
                for (size_t i = 0; i < k; i++)
                    if (send_msg(p, out[i].data, out[i].len, stream) == 0) p->answered++;
            } else if (p->o->n_ne) {
                answer(p, &p->view, stream);
            }
        }
        return 0;
    }
    run_actions(p, tr, &msg, m, len);
    return 0;
}

/* A path of a multi-homed association changed: an event a test can wait on. */
static void tp_path(ssgw_gw_assoc *t, void *arg, const char *addr, const char *what)
{
    (void)t;
    peer *p = arg;
    if (!p->o->quiet) ssgw_log(SSGW_LOG_NOTICE, "path to %s: %s", addr, what);
    if (p->rec)
        fprintf(p->rec,
                "{\"dir\":\"event\",\"msg\":\"path\",\"address\":\"%s\",\"state\":\"%s\","
                "\"t_ms\":%llu}\n",
                addr, what, (unsigned long long)(ssgw_evloop_now_ms() - p->t0));
}

static const ssgw_gw_assoc_ops peer_ops = {
    .up = tp_up, .msg = tp_msg, .bad = tp_bad, .down = tp_down, .path = tp_path};

int ssgw_peer_run(const ssgw_peer_opts *o, char *err, size_t errlen)
{
    peer *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return 2;
    }
    p->o = o;
    p->t0 = ssgw_evloop_now_ms();
    p->loop = ssgw_evloop_new();
    p->dec[0] = ssgw_decoder_new(NULL);
    p->dec[1] = ssgw_decoder_new(NULL);
    int rc = 2;
    if (!p->loop || !p->dec[0] || !p->dec[1]) {
        snprintf(err, errlen, "event loop: %s", strerror(errno));
        goto out;
    }
    if (o->record && !(p->rec = fopen(o->record, "w"))) {
        snprintf(err, errlen, "--record %s: %s", o->record, strerror(errno));
        goto out;
    }
    if (o->replay) {
        char e2[256];
        p->cap = ssgw_capture_open(o->replay, NULL, e2, sizeof e2);
        if (!p->cap) {
            snprintf(err, errlen, "--replay %s: %s", o->replay, e2);
            goto out;
        }
    }
    const char *local[SSGW_GW_MAX_ADDRS], *remote[SSGW_GW_MAX_ADDRS];
    for (size_t i = 0; i < SSGW_GW_MAX_ADDRS; i++) {
        local[i] = o->local_addrs[i];
        remote[i] = o->remote_addrs[i];
    }
    ssgw_gw_assoc_config ac = {.transport = o->transport,
                               .listen = o->listen,
                               .host = o->host,
                               .port = o->port,
                               .udp_port = o->udp_port,
                               .remote_udp_port = o->remote_udp_port,
                               .streams = 16,
                               .queue_bytes = o->queue_bytes,
                               .reconnect_ms = 200,
                               .rcvbuf = o->rcvbuf,
                               .local_address = o->local_address,
                               .local_addrs = local,
                               .n_local_addrs = o->n_local_addrs,
                               .remote_addrs = remote,
                               .n_remote_addrs = o->n_remote_addrs,
                               .primary = o->primary};
    if (!(p->tp = ssgw_gw_assoc_open(p->loop, &ac, &peer_ops, p, err, errlen))) goto out;
    if (p->rec && o->listen) { /* an event a test can wait on instead of a delay */
        fprintf(p->rec, "{\"dir\":\"event\",\"msg\":\"listening\",\"port\":%u}\n",
                (unsigned)o->port);
        fflush(p->rec);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    ssgw_evloop_add_timer(p->loop, 1, tick, p);
    uint64_t end = p->t0 + o->duration_ms;
    bool any_traffic = o->op >= 0 || o->replay || o->calls;
    /* --until-stopped with --expect sent: the stop signal ends the sending, then the peer
     * reads on until every request sent has its answer (or --duration) */
    bool drain = o->until_stopped && o->expect_sent;
    bool expecting = o->expect || o->expect_sent;
    while (!peer_stop || (drain && peer_stop < 2)) {
        if (peer_stop && !p->sending_stopped) {
            p->sending_stopped = true;
            if (!o->quiet)
                ssgw_log(SSGW_LOG_NOTICE,
                         "stopped sending after %llu; waiting for %llu more DATA (signal "
                         "again to quit)",
                         (unsigned long long)p->sent,
                         (unsigned long long)(p->sent > p->rx_data ? p->sent - p->rx_data : 0));
        }
        ssgw_evloop_run_once(p->loop, 20);
        if (ssgw_gw_assoc_is_up(p->tp)) {
            ssgw_gw_assoc_flush(p->tp);
            ssgw_gw_assoc_arm(p->tp);
        }
        uint64_t now = ssgw_evloop_now_ms();
        if (now >= end) break;
        if (expecting && p->rx_data >= expected_rx(p) && !traffic_left(p) &&
            !ssgw_gw_assoc_queued(p->tp) && now - p->last_rx_ms >= o->linger_ms)
            break;
        if (!expecting && any_traffic && p->ever_active && !traffic_left(p) &&
            !ssgw_gw_assoc_queued(p->tp)) {
            uint64_t last = p->last_rx_ms > p->last_tx_ms ? p->last_rx_ms : p->last_tx_ms;
            if (now - last >= o->linger_ms && !p->reading_paused) break;
        }
    }
    /* A graceful end: everything sent (and, over SCTP, acknowledged: usrsctp's stack
     * lives in this process), then a half-close, reading on until the other side closes. */
    uint64_t t_end = ssgw_evloop_now_ms() + 3000;
    while (ssgw_gw_assoc_is_up(p->tp) && !ssgw_gw_assoc_all_sent(p->tp) &&
           ssgw_evloop_now_ms() < t_end) {
        ssgw_evloop_run_once(p->loop, 10);
        ssgw_gw_assoc_flush(p->tp);
        ssgw_gw_assoc_arm(p->tp);
    }
    if (ssgw_gw_assoc_is_up(p->tp)) {
        p->closing = true;
        if (p->reading_paused) {
            p->reading_paused = false;
            ssgw_gw_assoc_pause_reading(p->tp, false);
        }
        ssgw_gw_assoc_shutdown_write(p->tp);
        t_end = ssgw_evloop_now_ms() + 2000;
        while (ssgw_gw_assoc_is_up(p->tp) && ssgw_evloop_now_ms() < t_end)
            ssgw_evloop_run_once(p->loop, 10);
    }
    /* --until-stopped: the stream has no end of its own, so the signal is its normal end
     * (a message built but not yet queued is simply never sent); --duration is a failure */
    bool stream_done = !traffic_left(p) || (o->until_stopped && peer_stop);
    rc = p->ever_active && stream_done && p->rx_data >= expected_rx(p) ? 0 : 1;
    if (!o->quiet)
        ssgw_log(SSGW_LOG_NOTICE, "sent %llu, received %llu DATA, answered %llu; association %s",
                 (unsigned long long)p->sent, (unsigned long long)p->rx_data,
                 (unsigned long long)p->answered, p->ever_active ? "was active" : "never active");
    ssgw_gw_assoc_close(p->tp);
out:
    if (p->rec) fclose(p->rec);
    ssgw_capture_close(p->cap);
    ssgw_evloop_free(p->loop);
    ssgw_decoder_free(p->dec[0]);
    ssgw_decoder_free(p->dec[1]);
    free(p);
    return rc;
}
