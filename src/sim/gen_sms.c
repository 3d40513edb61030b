/*
 * gen_sms.c - deterministic MAP short-message traffic whose sm-RP-UI carries real SMS
 * TPDUs (3GPP TS 23.040), for tests, samples and the oracle (see include/ssgw/gen.h).
 *
 * Message `index` is a pure function of (seed, index): the MAP shape cycles fastest
 * (mt-forwardSM, mo-forwardSM, their results, forwardSM v2 both ways and v1, status
 * reports), then the alphabet (GSM 7-bit, UCS-2, 8-bit data), then the user data header
 * (none, concatenation with an 8- or 16-bit reference, application ports). TPDUs come
 * from the SMS codec's encoder, MAP parameters from the MAP encoder (sm-RP-UI and the
 * sm-RP-DA / sm-RP-OA alternatives of the TPDU's direction), TCAP / SCCP / M3UA from
 * theirs.
 */
#include <stdio.h>
#include <string.h>

#include "ssgw/gen.h"
#include "ssgw/m3ua.h"
#include "ssgw/map.h"
#include "ssgw/mtp3.h"
#include "ssgw/sccp.h"
#include "ssgw/sms.h"
#include "ssgw/tcap.h"

enum { AC_MO_RELAY = 21, AC_MT_RELAY = 25, OP_MT_FORWARD_SM = 44, OP_FORWARD_SM = 46 };

typedef struct {
    int opcode;
    bool result;     /* returnResultLast of the operation, else an invoke */
    int ac, version; /* application context; version 0: no dialogue portion (MAP v1) */
    ssgw_sms_type tpdu;
    int map_dir; /* SSGW_MAP_SM_TO_MS / _FROM_MS: sm-RP-DA / OA to write */
} sms_shape;

static const sms_shape shapes[] = {
    {OP_MT_FORWARD_SM, false, AC_MT_RELAY, 3, SSGW_SMS_DELIVER, SSGW_MAP_SM_TO_MS},
    {OP_MT_FORWARD_SM, true, AC_MT_RELAY, 3, SSGW_SMS_DELIVER_REPORT, 0},
    {OP_FORWARD_SM, false, AC_MO_RELAY, 3, SSGW_SMS_SUBMIT, SSGW_MAP_SM_FROM_MS},
    {OP_FORWARD_SM, true, AC_MO_RELAY, 3, SSGW_SMS_SUBMIT_REPORT, 0},
    {OP_FORWARD_SM, false, AC_MT_RELAY, 2, SSGW_SMS_DELIVER, SSGW_MAP_SM_TO_MS},
    {OP_FORWARD_SM, false, AC_MO_RELAY, 2, SSGW_SMS_SUBMIT, SSGW_MAP_SM_FROM_MS},
    {OP_MT_FORWARD_SM, false, AC_MT_RELAY, 3, SSGW_SMS_STATUS_REPORT, SSGW_MAP_SM_TO_MS},
    {OP_FORWARD_SM, false, AC_MO_RELAY, 0, SSGW_SMS_DELIVER, SSGW_MAP_SM_TO_MS},
};
#define N_SHAPES (sizeof shapes / sizeof shapes[0])

size_t ssgw_gen_sms_shapes(void)
{
    return N_SHAPES;
}

/* Texts in the GSM 7-bit default alphabet (the extension table included) ... */
static const char *const gsm7_texts[] = {
    "Your code is 482913. Do not share it.",
    "Meet at 10:30 @ the station? Bring 5\xe2\x82\xac",
    "Balance: [12.50] {EUR} ~ ok|done^",
    ("\xc3\x84rger \xc3\xbc" /* the split ends the \x escape before "b" */
     "ber \xc3\x96l, \xc3\xa9t\xc3\xa9 \xc3\xa0 la plage"),
    "hellohello",
    "x",
};
/* ... and in UCS-2, characters outside the BMP (surrogate pairs) included. */
static const char *const ucs2_texts[] = {
    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, \xd0\xbc\xd0\xb8\xd1\x80",
    "\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe4\xb8\x96\xe7\x95\x8c",
    "OK \xf0\x9f\x98\x80\xf0\x9f\x91\x8d done",
    "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7",
};
static const char *const senders[] = {"Bank", "InfoSMS", "MyOperator", "Amazon", "PAY@24"};
static const char *const country_codes[] = {"44", "49", "33", "234", "254", "1", "91", "27"};

static void random_digits(ssgw_rng *r, char *out, size_t cap)
{
    ssgw_rng_number(r, country_codes, 8, 8, 4, out, cap);
}

static void random_time(ssgw_rng *r, ssgw_sms_time *t)
{
    t->year = (uint8_t)(20 + ssgw_rng_below(r, 10));
    t->month = (uint8_t)(1 + ssgw_rng_below(r, 12));
    t->day = (uint8_t)(1 + ssgw_rng_below(r, 28));
    t->hour = (uint8_t)ssgw_rng_below(r, 24);
    t->minute = (uint8_t)ssgw_rng_below(r, 60);
    t->second = (uint8_t)ssgw_rng_below(r, 60);
    t->tz_quarters = (int)ssgw_rng_below(r, 97) - 48;
}

/* The TPDU of a shape, into mem; returns its length or -1. */
static int build_tpdu(ssgw_rng *r, uint64_t index, const sms_shape *sh, uint8_t *mem, size_t cap,
                      ssgw_error *err)
{
    unsigned alphabet = (unsigned)((index / N_SHAPES) % 3);
    unsigned udh = (unsigned)((index / (N_SHAPES * 3)) % 4);
    static const uint8_t dcs_of[3] = {0x00, 0x08, 0x04};
    ssgw_sms_tpdu t;
    ssgw_sms_tpdu_init(&t, sh->tpdu);
    t.dcs = dcs_of[alphabet];
    if (alphabet == 0 && ssgw_rng_below(r, 4) == 0) t.dcs = 0x10 | (int)ssgw_rng_below(r, 4);
    t.pid = ssgw_rng_below(r, 8) == 0 ? 0x40 : 0x00; /* now and then a silent (type 0) SM */
    t.mr = (int)ssgw_rng_below(r, 256);
    random_time(r, &t.scts);
    if (udh == 1 || udh == 3) {
        t.concat = true;
        t.concat_ref_bits = 8;
        t.concat_ref = (uint16_t)ssgw_rng_below(r, 256);
        t.concat_total = (uint8_t)(2 + ssgw_rng_below(r, 3));
        t.concat_seq = (uint8_t)(1 + ssgw_rng_below(r, t.concat_total));
    } else if (udh == 2) {
        t.concat = true;
        t.concat_ref_bits = 16;
        t.concat_ref = (uint16_t)ssgw_rng_below(r, 65536);
        t.concat_total = (uint8_t)(2 + ssgw_rng_below(r, 3));
        t.concat_seq = (uint8_t)(1 + ssgw_rng_below(r, t.concat_total));
    }
    if (udh == 3) {
        t.ports = true;
        t.port_bits = 16;
        t.dst_port = 2948; /* WAP push */
        t.src_port = 9200;
    }
    ssgw_sms_addr *a = sh->tpdu == SSGW_SMS_DELIVER  ? &t.oa
                       : sh->tpdu == SSGW_SMS_SUBMIT ? &t.da
                                                     : &t.ra;
    unsigned form = (unsigned)ssgw_rng_below(r, 3);
    if (form == 2 && sh->tpdu == SSGW_SMS_DELIVER) {
        a->alphanumeric = true;
        a->ton = 5;
        snprintf(a->text, sizeof a->text, "%s", senders[ssgw_rng_below(r, 5)]);
    } else {
        random_digits(r, a->text, sizeof a->text);
        a->ton = form == 1 ? 2 : 1;
        a->npi = 1;
    }
    a->present = true;
    t.mms = ssgw_rng_below(r, 2);
    t.sri = ssgw_rng_below(r, 4) == 0;
    t.srr = ssgw_rng_below(r, 2);
    t.rd = ssgw_rng_below(r, 4) == 0;
    t.srq = ssgw_rng_below(r, 2);
    if (sh->tpdu == SSGW_SMS_SUBMIT) {
        t.vpf = (int)ssgw_rng_below(r, 4);
        if (t.vpf == 1) t.vpf = 2; /* the enhanced format is not written */
        t.vp_relative = (int)ssgw_rng_below(r, 256);
        random_time(r, &t.vp_absolute);
    }
    if (sh->tpdu == SSGW_SMS_STATUS_REPORT) {
        random_time(r, &t.dt);
        static const int st[] = {0x00, 0x01, 0x20, 0x40, 0x45};
        t.st = st[ssgw_rng_below(r, 5)];
    }
    const uint8_t *body = NULL;
    size_t body_len = 0;
    uint8_t octets[32];
    bool report = sh->tpdu == SSGW_SMS_DELIVER_REPORT || sh->tpdu == SSGW_SMS_SUBMIT_REPORT ||
                  sh->tpdu == SSGW_SMS_STATUS_REPORT;
    if (report && ssgw_rng_below(r, 2)) {
        /* a bare report: no user data (nor header) */
        t.concat = t.ports = false;
        if (ssgw_rng_below(r, 2)) t.pid = -1;
    } else if (alphabet == 0) {
        const char *s = gsm7_texts[ssgw_rng_below(r, 6)];
        body = (const uint8_t *)s;
        body_len = strlen(s);
    } else if (alphabet == 1) {
        const char *s = ucs2_texts[ssgw_rng_below(r, 4)];
        body = (const uint8_t *)s;
        body_len = strlen(s);
    } else {
        body_len = 8 + ssgw_rng_below(r, 20);
        for (size_t i = 0; i < body_len; i++)
            octets[i] = (uint8_t)ssgw_rng_next(r);
        body = octets;
    }
    if (report && !body_len && !t.concat && !t.ports) t.dcs = -1;
    ssgw_buf b;
    ssgw_buf_init(&b, mem, cap);
    if (ssgw_sms_encode(&b, &t, body, body_len, err) < 0) return -1;
    return (int)b.len;
}

int ssgw_gen_sms_message(uint64_t seed, uint64_t index, ssgw_buf *out, ssgw_gen_info *info,
                         ssgw_error *err)
{
    ssgw_rng r;
    ssgw_rng_seed(&r, seed * 0x100000001b3ull ^ index ^ 0x5350ull << 48);
    memset(info, 0, sizeof *info);
    const sms_shape *sh = &shapes[index % N_SHAPES];
    uint8_t tpdu[200];
    int tl = build_tpdu(&r, index, sh, tpdu, sizeof tpdu, err);
    if (tl < 0) return -1;

    ssgw_map_fields f;
    ssgw_map_fields_init(&f);
    ssgw_rng_digits(&r, "26201", 10, f.imsi, sizeof f.imsi);
    char d[SSGW_MAP_DIGITS_CAP];
    random_digits(&r, d, sizeof d);
    ssgw_map_addr_set(&f.smsc_address, d, 1, 1);
    random_digits(&r, d, sizeof d);
    ssgw_map_addr_set(&f.msisdn, d, 1, 1);
    f.sm_rp_ui = tpdu;
    f.sm_rp_ui_len = (size_t)tl;
    f.sm_rp_dir = sh->map_dir;
    uint8_t param[300];
    ssgw_buf pb;
    ssgw_buf_init(&pb, param, sizeof param);
    ssgw_map_comp_kind kind = sh->result ? SSGW_MAP_RETURN_RESULT : SSGW_MAP_INVOKE;
    if (ssgw_map_encode(sh->opcode, kind, sh->version ? sh->version : 2, &f, &pb) < 0 ||
        pb.overflow)
        return ssgw_fail(err, SSGW_LAYER_MAP, SSGW_E_BAD_VALUE, "generated sm-RP-UI", 0);

    ssgw_tcap_msg m;
    memset(&m, 0, sizeof m);
    ssgw_tcap_component c;
    memset(&c, 0, sizeof c);
    c.invoke_id_present = true;
    c.invoke_id = (int)ssgw_rng_below(&r, 128);
    c.opcode.kind = SSGW_TCAP_CODE_LOCAL;
    c.opcode.local = sh->opcode;
    c.param_present = true;
    c.param_tlv = pb.data;
    c.param_tlv_len = pb.len;
    c.type = sh->result ? SSGW_TCAP_COMP_RETURN_RESULT_LAST : SSGW_TCAP_COMP_INVOKE;
    m.type = sh->result ? SSGW_TCAP_END : SSGW_TCAP_BEGIN;
    ssgw_tcap_tid_set(sh->result ? &m.dtid : &m.otid, (uint32_t)ssgw_rng_next(&r), 4);
    if (sh->version) {
        m.dialogue_present = true;
        m.dialogue.type = sh->result ? SSGW_TCAP_DLG_AARE : SSGW_TCAP_DLG_AARQ;
        m.dialogue.protocol_version_present = true;
        m.dialogue.protocol_version[0] = 0x07;
        m.dialogue.protocol_version[1] = 0x80;
        m.dialogue.result = SSGW_TCAP_RESULT_ACCEPTED;
        m.dialogue.diag_source = SSGW_TCAP_DIAG_SERVICE_USER;
        snprintf(m.dialogue.acn_str, sizeof m.dialogue.acn_str, "0.4.0.0.1.0.%d.%d", sh->ac,
                 sh->version);
    }
    m.components_present = true;
    uint8_t tcap[512];
    ssgw_buf tb;
    ssgw_buf_init(&tb, tcap, sizeof tcap);
    if (ssgw_tcap_encode(&tb, &m, &c, 1, err) < 0) return -1;

    /* SCCP between the SMSC (SSN 8, MSC-side relay) and the serving MSC (SSN 8) */
    ssgw_sccp_msg s;
    ssgw_sccp_msg_init(&s, SSGW_SCCP_UDT);
    s.protocol_class = 1;
    random_digits(&r, d, sizeof d);
    ssgw_sccp_addr_gt(&s.called, d, 8);
    random_digits(&r, d, sizeof d);
    ssgw_sccp_addr_gt(&s.calling, d, 8);
    s.data = tb.data;
    s.data_len = tb.len;
    uint8_t sccp[700];
    ssgw_buf sb;
    ssgw_buf_init(&sb, sccp, sizeof sccp);
    ssgw_sccp_msg_type chosen;
    if (ssgw_sccp_encode_unitdata(&sb, &s, 0, &chosen, err) < 0) return -1;

    ssgw_m3ua_data_info dd;
    memset(&dd, 0, sizeof dd);
    uint32_t rc = 1 + ssgw_rng_below(&r, 100);
    dd.routing_context = &rc;
    dd.n_routing_context = 1;
    dd.pd.opc = 1 + ssgw_rng_below(&r, 0x3ffe);
    dd.pd.dpc = 1 + ssgw_rng_below(&r, 0x3ffe);
    dd.pd.si = SSGW_MTP3_SI_SCCP;
    dd.pd.ni = SSGW_MTP3_NI_INTERNATIONAL;
    dd.pd.sls = (uint8_t)ssgw_rng_below(&r, 16);
    dd.pd.data = sb.data;
    dd.pd.data_len = sb.len;
    info->opcode = sh->opcode;
    info->tcap_type = m.type;
    info->sccp_type = chosen;
    info->sls = dd.pd.sls;
    info->sms_type = (int)sh->tpdu + 1;
    if (ssgw_m3ua_encode_data(out, &dd) < 0 || out->overflow)
        return ssgw_fail(err, SSGW_LAYER_M3UA, SSGW_E_TOO_BIG, "generated message", 0);
    return 0;
}
