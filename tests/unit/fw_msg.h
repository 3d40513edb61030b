/*
 * fw_msg.h - hand-built MAP messages of the example network for the firewall's unit tests
 * (test_check_modes.c, test_learn.c, test_partner_data.c): a message described by a spec
 * (routing label, SCCP GTs and SSNs, TCAP type and ids, application context, one
 * operation with IMSI / MSISDN / VLR / MSC / SMSC parameters) is encoded by the project's
 * encoders into M3UA DATA, decoded by the decoder the pipeline uses and judged by a
 * firewall. Also the policy text of examples/ssgw.conf without its [[check]] tables, so
 * that a test may add its own.
 */
#ifndef SSGW_TEST_FW_MSG_H
#define SSGW_TEST_FW_MSG_H

#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "ssgw/firewall.h"
#include "ssgw/m3ua.h"
#include "ssgw/sccp.h"
#include "ssgw/tcap.h"

typedef struct {
    uint32_t opc, dpc;
    const char *cg;
    uint8_t cg_ssn;
    const char *cd;
    uint8_t cd_ssn;
    ssgw_tcap_msg_type tcap;
    uint32_t otid, dtid;
    int ac, acv; /* application context (0: no dialogue portion) */
    int op;      /* -1: no component */
    const char *imsi, *msisdn, *vlr, *msc, *smsc;
} fw_spec;

static uint8_t fw_wire[4096];
static size_t fw_wire_len;
static ssgw_decoder *fw_dec;
static ssgw_view fw_view;
static ssgw_verdict fw_vd;

static inline void fw_encode(const fw_spec *s)
{
    uint8_t pm[1024], tm[2048], sm[2400];
    ssgw_buf pb, tb, sb, mb;
    ssgw_error e;
    ssgw_buf_init(&pb, pm, sizeof pm);
    ssgw_buf_init(&tb, tm, sizeof tm);
    ssgw_buf_init(&sb, sm, sizeof sm);
    ssgw_buf_init(&mb, fw_wire, sizeof fw_wire);
    ssgw_map_fields f;
    ssgw_map_fields_init(&f);
    if (s->imsi) snprintf(f.imsi, sizeof f.imsi, "%s", s->imsi);
    if (s->msisdn) ssgw_map_addr_set(&f.msisdn, s->msisdn, 1, 1);
    if (s->vlr) ssgw_map_addr_set(&f.vlr_number, s->vlr, 1, 1);
    if (s->msc) ssgw_map_addr_set(&f.msc_number, s->msc, 1, 1);
    if (s->smsc) ssgw_map_addr_set(&f.smsc_address, s->smsc, 1, 1);
    ssgw_tcap_msg m;
    memset(&m, 0, sizeof m);
    m.type = s->tcap;
    if (s->otid) ssgw_tcap_tid_set(&m.otid, s->otid, 4);
    if (s->dtid) ssgw_tcap_tid_set(&m.dtid, s->dtid, 4);
    if (s->ac) {
        m.dialogue_present = true;
        m.dialogue.type = s->tcap == SSGW_TCAP_BEGIN ? SSGW_TCAP_DLG_AARQ : SSGW_TCAP_DLG_AARE;
        m.dialogue.protocol_version_present = true;
        m.dialogue.protocol_version[0] = 0x07;
        m.dialogue.protocol_version[1] = 0x80;
        snprintf(m.dialogue.acn_str, sizeof m.dialogue.acn_str, "0.4.0.0.1.0.%d.%d", s->ac, s->acv);
    }
    ssgw_tcap_component c;
    memset(&c, 0, sizeof c);
    size_t nc = 0;
    if (s->op >= 0) {
        c.type = SSGW_TCAP_COMP_INVOKE;
        c.invoke_id_present = true;
        c.invoke_id = 1;
        c.opcode.kind = SSGW_TCAP_CODE_LOCAL;
        c.opcode.local = s->op;
        if (ssgw_map_encode(s->op, SSGW_MAP_INVOKE, s->acv, &f, &pb) == 0 && pb.len) {
            c.param_present = true;
            c.param_tlv = pb.data;
            c.param_tlv_len = pb.len;
        }
        nc = 1;
        m.components_present = true;
    }
    CHECK_INT(ssgw_tcap_encode(&tb, &m, &c, nc, &e), 0);
    ssgw_sccp_msg sc;
    ssgw_sccp_msg_init(&sc, SSGW_SCCP_UDT);
    ssgw_sccp_addr_gt(&sc.called, s->cd, s->cd_ssn);
    ssgw_sccp_addr_gt(&sc.calling, s->cg, s->cg_ssn);
    sc.data = tb.data;
    sc.data_len = tb.len;
    CHECK_INT(ssgw_sccp_encode(&sb, &sc, &e), 0);
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    d.pd.opc = s->opc;
    d.pd.dpc = s->dpc;
    d.pd.si = 3;
    d.pd.ni = 2;
    d.pd.data = sb.data;
    d.pd.data_len = sb.len;
    CHECK_INT(ssgw_m3ua_encode_data(&mb, &d), 0);
    fw_wire_len = mb.len;
}

/* Builds, decodes and judges s at time t_ms with firewall fw; returns the deciding check. */
static inline const char *fw_run(ssgw_firewall *fw, const fw_spec *s, uint64_t t_ms)
{
    if (!fw) return "(no firewall)";
    if (!fw_dec) fw_dec = ssgw_decoder_new(NULL);
    fw_encode(s);
    ssgw_decoder_run(fw_dec, SSGW_CAPTURE_KIND_M3UA, fw_wire, fw_wire_len, t_ms, &fw_view);
    CHECK(!fw_view.has_error);
    ssgw_firewall_meta meta = {t_ms, SSGW_DIR_UNKNOWN, false, 0, NULL, NULL, 0};
    ssgw_firewall_judge(fw, &fw_view, &meta, &fw_vd);
    return fw_vd.check;
}

/* examples/ssgw.conf up to its [[check]] tables and without its [policy] section
 * (malloc'ed; the tests run in tests/), so that a test may write its own of both. */
static inline char *fw_example_policy(void)
{
    FILE *f = fopen("../examples/ssgw.conf", "rb");
    char *buf = calloc(1, 65536);
    size_t n = f && buf ? fread(buf, 1, 65535, f) : 0;
    if (f) fclose(f);
    char *cut = buf ? strstr(buf, "# ---- built-in checks") : NULL;
    if (cut) *cut = '\0';
    char *pol = buf ? strstr(buf, "\n[policy]\n") : NULL;
    char *next = pol ? strstr(pol + 1, "\n[") : NULL;
    if (pol && next) memmove(pol, next, strlen(next) + 1);
    CHECK(n > 0 && cut != NULL && next != NULL);
    return buf;
}

/* fw_example_policy() + extra, loaded as name; errors printed. */
static inline ssgw_policy *fw_policy(const char *extra, ssgw_config_errors *errs)
{
    char *base = fw_example_policy();
    size_t n = strlen(base) + strlen(extra) + 2;
    char *text = malloc(n);
    snprintf(text, n, "%s\n%s", base, extra);
    ssgw_policy *p = ssgw_policy_load_string("t.conf", text, strlen(text), errs);
    for (size_t i = 0; errs && i < errs->n; i++)
        fprintf(stderr, "%s\n", errs->e[i].text);
    free(text);
    free(base);
    return p;
}

/* Example network */
#define FW_HLR    "447924000001"
#define FW_VLR    "447924000010"
#define FW_KE_HLR "254722000001"
#define FW_KE_VLR "254722000010"
#define FW_KE_SC  "254722000020"
#define FW_DE_VLR "491710000010"
#define FW_OURS   "234910000000123"
#define FW_KE_SUB "639020000000456"
#define FW_EVIL   "882340000001"

#endif
