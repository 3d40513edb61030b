/*
 * fw_msg.h - hand-built MAP messages of the example network for the firewall's unit tests
 * (test_check_modes.c, test_learn.c, test_partner_data.c, test_store_redis.c): a message
 * described by a spec (routing label, SCCP GTs and SSNs, TCAP type and ids, application
 * context, one component with IMSI / MSISDN / VLR / MSC / SMSC parameters) is encoded by
 * the project's encoders (through msgbuild.h) into M3UA DATA, decoded by the decoder the
 * pipeline uses and judged by a firewall. Also the policy text of examples/ssgw.conf
 * without its [[check]] tables, so that a test may add its own.
 */
#ifndef SSGW_TEST_FW_MSG_H
#define SSGW_TEST_FW_MSG_H

#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "msgbuild.h"
#include "ssgw/firewall.h"

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
    ssgw_tcap_comp_type comp; /* 0: invoke */
} fw_spec;

static uint8_t fw_wire[4096];
static size_t fw_wire_len;
static ssgw_decoder *fw_dec;
static ssgw_view fw_view;
static ssgw_verdict fw_vd;

static inline void fw_encode(const fw_spec *s)
{
    uint8_t pm[1024], tm[2048];
    ssgw_buf pb, tb;
    ssgw_error e;
    ssgw_buf_init(&pb, pm, sizeof pm);
    ssgw_buf_init(&tb, tm, sizeof tm);
    ssgw_map_fields f;
    tb_map_fields(&f, s->imsi, s->msisdn, s->vlr, s->msc, s->smsc);
    ssgw_tcap_msg m;
    memset(&m, 0, sizeof m);
    m.type = s->tcap;
    if (s->otid) ssgw_tcap_tid_set(&m.otid, s->otid, 4);
    if (s->dtid) ssgw_tcap_tid_set(&m.dtid, s->dtid, 4);
    if (s->ac) {
        char acn[32];
        snprintf(acn, sizeof acn, "0.4.0.0.1.0.%d.%d", s->ac, s->acv);
        tb_dialogue(&m, acn);
    }
    ssgw_tcap_component c;
    memset(&c, 0, sizeof c);
    size_t nc = 0;
    if (s->op >= 0) {
        c.type = s->comp ? s->comp : SSGW_TCAP_COMP_INVOKE;
        c.invoke_id_present = true;
        c.invoke_id = 1;
        c.opcode.kind = SSGW_TCAP_CODE_LOCAL;
        c.opcode.local = s->op;
        ssgw_map_comp_kind k =
            c.type == SSGW_TCAP_COMP_INVOKE ? SSGW_MAP_INVOKE : SSGW_MAP_RETURN_RESULT;
        if (ssgw_map_encode(s->op, k, s->acv, &f, &pb) == 0 && pb.len) {
            c.param_present = true;
            c.param_tlv = pb.data;
            c.param_tlv_len = pb.len;
        }
        nc = 1;
        m.components_present = true;
    }
    CHECK_INT(ssgw_tcap_encode(&tb, &m, &c, nc, &e), 0);
    fw_wire_len = tb_wrap_gt(fw_wire, sizeof fw_wire, s->opc, s->dpc, s->cg, s->cg_ssn, s->cd,
                             s->cd_ssn, tb.data, tb.len);
    CHECK(fw_wire_len > 0);
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
