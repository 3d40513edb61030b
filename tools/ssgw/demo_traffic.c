/*
 * demo_traffic.c - the traffic `ssgw demo` replays through its `ssgw peer`
 * processes:
 *
 * - the legitimate flows: one M3UA DATA (RFC 4666 3.3.1) per request, SCCP UDT
 *   class 1 with E.164 global titles (Q.713 4.2), TCAP Begin with an AARQ
 *   carrying the operation's TS 29.002 application context (highest version
 *   that has the operation) and one Invoke whose argument is built by the MAP
 *   encoders, assembled by the MAP message builder (include/ssgw/map_msg.h); USSD and SS operations
 * name the subscriber in MAP-OpenInfo (TS 29.002 clause 17.1: destinationReference = IMSI,
 * originationReference);
 * - the attacks: the inbound frames labelled "attack" of an `ssgw attack`
 *   capture (docs/attacks.md), described with the keys the gateway's events
 *   carry so the demo can find each one's verdict.
 *
 * Both are written as pcaps (Ethernet/IPv4/SCTP, PPID 3) for `ssgw peer --replay`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "ssgw/capture.h"
#include "ssgw/json.h"
#include "ssgw/map.h"
#include "ssgw/map_msg.h"
#include "ssgw/pcap_writer.h"
#include "ssgw/record.h"
#include "ssgw/sccp.h"
#include "ssgw/tcap.h"
#include "ssgw/view.h"

static int build(const demo_msg *m, ssgw_buf *out, char *err, size_t errlen)
{
    int ver;
    const ssgw_map_acn *acn = ssgw_map_op_context(m->op, &ver);
    ssgw_map_fields f;
    ssgw_map_fields_init(&f);
    if (m->imsi && !m->open_info) snprintf(f.imsi, sizeof f.imsi, "%s", m->imsi);
    if (m->msisdn) ssgw_map_addr_set(&f.msisdn, m->msisdn, 1, 1);
    if (m->vlr) ssgw_map_addr_set(&f.vlr_number, m->vlr, 1, 1);
    if (m->msc) ssgw_map_addr_set(&f.msc_number, m->msc, 1, 1);
    if (m->smsc) ssgw_map_addr_set(&f.smsc_address, m->smsc, 1, 1);
    if (m->op == SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST) { /* balance enquiry */
        f.ussd_dcs = 0x0f;
        snprintf(f.ussd_string, sizeof f.ussd_string, "*100#");
    }
    uint8_t param[2048];
    ssgw_buf pb;
    ssgw_buf_init(&pb, param, sizeof param);
    ssgw_tcap_component c;
    if (ssgw_map_msg_component(&c, SSGW_TCAP_COMP_INVOKE, 1, m->op, ver, &f, &pb) < 0) {
        snprintf(err, errlen, "cannot encode the %s argument", ssgw_map_op_name(m->op));
        return -1;
    }
    ssgw_tcap_msg tm;
    memset(&tm, 0, sizeof tm);
    tm.type = SSGW_TCAP_BEGIN;
    ssgw_tcap_tid_set(&tm.otid, m->otid, 4);
    uint8_t oid[SSGW_MAP_ACN_OID_LEN], oi[128];
    if (acn && ssgw_map_msg_dialogue(&tm.dialogue, SSGW_TCAP_DLG_AARQ, acn->ac, ver, oid) == 0) {
        tm.dialogue_present = true;
        ssgw_buf ob;
        ssgw_buf_init(&ob, oi, sizeof oi);
        if (m->open_info && m->imsi && ssgw_map_msg_open_info(&ob, m->imsi, m->from_gt) == 0) {
            tm.dialogue.user_info_present = true;
            tm.dialogue.user_info = ob.data;
            tm.dialogue.user_info_len = ob.len;
        }
    }
    tm.components_present = true;
    ssgw_map_route r = {.return_on_error = true,
                        .opc = m->opc,
                        .dpc = m->dpc,
                        .ni = 2,
                        .sls = (uint8_t)(m->otid & 0x0f)};
    ssgw_sccp_addr_gt(&r.called, m->to_gt, m->to_ssn);
    ssgw_sccp_addr_gt(&r.calling, m->from_gt, m->from_ssn);
    ssgw_error e;
    if (ssgw_map_msg_encode(out, &r, &tm, &c, 1, &e) < 0) {
        ssgw_error_format(&e, err, errlen);
        return -1;
    }
    return 0;
}

static const ssgw_pcap_endpoints demo_ep = {
    .src_ip4 = 0x7f000001, .dst_ip4 = 0x7f000001, .src_port = 2905, .dst_port = 2905, .vtag = 1};

int demo_write_flow(const char *path, const demo_msg *m, size_t n, char *err, size_t errlen)
{
    ssgw_pcap_writer *w = ssgw_pcap_writer_open(path, 1, err, errlen);
    if (!w) return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        uint8_t mem[4400];
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        char e2[200];
        if (build(&m[i], &b, e2, sizeof e2) < 0) {
            snprintf(err, errlen, "%s (%s): %s", m[i].what, ssgw_map_op_name(m[i].op), e2);
            rc = -1;
        } else if (ssgw_pcap_write_sctp(w, 1700000000u + (uint32_t)i, 0, &demo_ep, 1,
                                        (uint32_t)i + 1, b.data, b.len) < 0) {
            snprintf(err, errlen, "%s: %s", path, ssgw_pcap_writer_error(w));
            rc = -1;
        }
    }
    if (ssgw_pcap_writer_close(w) < 0 && rc == 0) {
        snprintf(err, errlen, "%s: write error", path);
        rc = -1;
    }
    return rc;
}

/* ---- the attack frames of an `ssgw attack` capture -------------------------------- */

static void join_also(const char *line, char *out, size_t cap)
{
    size_t len, pos = 0, el;
    const char *arr = demo_json_raw(line, "also", &len);
    out[0] = '\0';
    const char *e;
    while ((e = demo_json_next(arr, len, &pos, &el))) {
        if (el < 2 || *e != '"') continue;
        size_t o = strlen(out);
        snprintf(out + o, cap - o, "%s%.*s", o ? "," : "", (int)(el - 2), e + 1);
    }
}

int demo_pick_attacks(const char *pcap, const char *labels, const char *out_pcap, demo_attack *list,
                      size_t cap, char *err, size_t errlen)
{
    char e2[256];
    ssgw_capture *c = ssgw_capture_open(pcap, NULL, e2, sizeof e2);
    if (!c) {
        snprintf(err, errlen, "%s: %s", pcap, e2);
        return -1;
    }
    FILE *lf = fopen(labels, "r");
    ssgw_pcap_writer *w = lf ? ssgw_pcap_writer_open(out_pcap, 1, e2, sizeof e2) : NULL;
    ssgw_decoder *dec = ssgw_decoder_new(NULL);
    ssgw_view *v = malloc(sizeof *v);
    char *line = malloc(1 << 16), *rec = malloc(1 << 16);
    int n = -1;
    if (!lf || !w || !dec || !v || !line || !rec) {
        snprintf(err, errlen, "%s: %s", lf ? out_pcap : labels, lf ? e2 : "cannot open");
        goto out;
    }
    n = 0;
    ssgw_capture_msg cm;
    uint32_t tsn = 1;
    while (ssgw_capture_next(c, &cm) == 1) {
        if (cm.is_error || cm.kind != SSGW_CAPTURE_KIND_M3UA) continue;
        /* one label line per frame, in frame order */
        long long fr = -1;
        while (fr < (long long)cm.frame && fgets(line, 1 << 16, lf))
            fr = demo_json_int(line, "frame", -1);
        if (fr != (long long)cm.frame) break;
        char label[16], dir[8];
        demo_json_str(line, "label", label, sizeof label);
        demo_json_str(line, "dir", dir, sizeof dir);
        if (strcmp(label, "attack") || strcmp(dir, "in") || (size_t)n >= cap) continue;
        demo_attack *a = &list[n];
        memset(a, 0, sizeof *a);
        demo_json_str(line, "attack", a->attack, sizeof a->attack);
        demo_json_str(line, "check", a->check, sizeof a->check);
        join_also(line, a->also, sizeof a->also);
        demo_json_str(line, "op", a->op, sizeof a->op);
        demo_json_str(line, "calling_gt", a->calling_gt, sizeof a->calling_gt);
        demo_json_str(line, "called_gt", a->called_gt, sizeof a->called_gt);
        demo_json_str(line, "tcap", a->tcap, sizeof a->tcap);
        demo_json_str(line, "isup", a->isup, sizeof a->isup);
        demo_json_str(line, "calling_number", a->calling_number, sizeof a->calling_number);
        demo_json_str(line, "sms_sender", a->sms_sender, sizeof a->sms_sender);
        a->opc = demo_json_int(line, "opc", -1);
        /* the transaction id as the decode records (and so the gateway's events) write it */
        if (ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, cm.data, cm.len, 0, v) == 0) {
            ssgw_json j;
            ssgw_json_begin(&j, rec, 1 << 16);
            ssgw_record_view(&j, v);
            if (ssgw_json_end(&j) > 0 && !demo_json_str(rec, "otid", a->tid, sizeof a->tid))
                demo_json_str(rec, "dtid", a->tid, sizeof a->tid);
        }
        if (ssgw_pcap_write_sctp(w, (uint32_t)cm.ts_sec, cm.ts_usec, &demo_ep, 1, tsn++, cm.data,
                                 cm.len) < 0) {
            snprintf(err, errlen, "%s: %s", out_pcap, ssgw_pcap_writer_error(w));
            n = -1;
            break;
        }
        n++;
    }
out:
    if (w && ssgw_pcap_writer_close(w) < 0 && n >= 0) {
        snprintf(err, errlen, "%s: write error", out_pcap);
        n = -1;
    }
    if (lf) fclose(lf);
    ssgw_capture_close(c);
    ssgw_decoder_free(dec);
    free(v);
    free(line);
    free(rec);
    return n;
}
