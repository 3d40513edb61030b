/*
 * msgbuild.h - hand-built signalling messages for the unit tests of the policy and the
 * TCAP users: the pieces every such test needs (a dialogue portion naming a context, the
 * MAP identities a policy reads, SCCP user data wrapped in an SCCP UDT inside an M3UA
 * DATA), from the project's encoders. Header-only; each test includes it once.
 */
#ifndef SSGW_TEST_MSGBUILD_H
#define SSGW_TEST_MSGBUILD_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ssgw/firewall.h"
#include "ssgw/m3ua.h"
#include "ssgw/map.h"
#include "ssgw/policy.h"
#include "ssgw/sccp.h"
#include "ssgw/tcap.h"

/* The example network (examples/ssgw.conf): Albion Mobile's nodes, its partners' (Safari
 * Mobile KE, Rhein Telekom DE, Lagos Mobile NG), subscribers, and a stranger's GT. */
#define HLR    "447924000001"
#define VLR    "447924000010"
#define MSC    "447924000011"
#define SCF    "447924000030"
#define KE_HLR "254722000001"
#define KE_VLR "254722000010"
#define KE_MSC "254722000011"
#define KE_SC  "254722000020"
#define KE_SCF "254722000030"
#define DE_HLR "491710000001"
#define DE_VLR "491710000010"
#define DE_SC  "491710000020"
#define DE_SCF "491710000030"
#define NG_HLR "234803000001"
#define OURS   "234910000000123"
#define KE_SUB "639020000000456"
#define EVIL   "882340000001"

/* examples/ssgw.conf (run from tests/) with `extra` appended (NULL: as it is); its errors
 * are printed. NULL when it does not load. */
static inline ssgw_policy *tb_example_policy(const char *extra)
{
    static char buf[24000];
    FILE *f = fopen("../examples/ssgw.conf", "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 2000, f) : 0;
    if (f) fclose(f);
    snprintf(buf + n, sizeof buf - n, "\n%s", extra ? extra : "");
    ssgw_config_errors errs;
    ssgw_policy *p = ssgw_policy_load_string("../examples/ssgw.conf", buf, strlen(buf), &errs);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(stderr, "%s\n", errs.e[i].text);
    return p;
}

/* Replaces *fw and *pol (freed) by a firewall on the example policy with `extra` appended;
 * false when either could not be made. */
static inline bool tb_fresh_firewall(ssgw_policy **pol, ssgw_firewall **fw, const char *extra)
{
    ssgw_firewall_free(*fw);
    ssgw_policy_free(*pol);
    *pol = tb_example_policy(extra);
    *fw = *pol ? ssgw_firewall_new(*pol, NULL) : NULL;
    return *fw != NULL;
}

/* A dialogue portion (protocol version 1) naming the dotted context acn: an AARQ for a
 * Begin, else an AARE (accepted, diagnostic dialogue-service-user null). */
static inline void tb_dialogue(ssgw_tcap_msg *m, const char *acn)
{
    m->dialogue_present = true;
    m->dialogue.type = m->type == SSGW_TCAP_BEGIN ? SSGW_TCAP_DLG_AARQ : SSGW_TCAP_DLG_AARE;
    m->dialogue.protocol_version_present = true;
    m->dialogue.protocol_version[0] = 0x07;
    m->dialogue.protocol_version[1] = 0x80;
    m->dialogue.diag_source = SSGW_TCAP_DIAG_SERVICE_USER;
    snprintf(m->dialogue.acn_str, sizeof m->dialogue.acn_str, "%s", acn);
}

/* The identities a policy reads, NULL for absent (international E.164 numbers). */
static inline void tb_map_fields(ssgw_map_fields *f, const char *imsi, const char *msisdn,
                                 const char *vlr, const char *msc, const char *smsc)
{
    ssgw_map_fields_init(f);
    if (imsi) snprintf(f->imsi, sizeof f->imsi, "%s", imsi);
    if (msisdn) ssgw_map_addr_set(&f->msisdn, msisdn, 1, 1);
    if (vlr) ssgw_map_addr_set(&f->vlr_number, vlr, 1, 1);
    if (msc) ssgw_map_addr_set(&f->msc_number, msc, 1, 1);
    if (smsc) ssgw_map_addr_set(&f->smsc_address, smsc, 1, 1);
}

/* SCCP user data between cg and cd in a UDT, in an M3UA DATA from opc to dpc (network
 * indicator 2), written to wire; returns its length, 0 when an encoder refused. */
static inline size_t tb_wrap(uint8_t *wire, size_t cap, uint32_t opc, uint32_t dpc,
                             const ssgw_sccp_addr *cg, const ssgw_sccp_addr *cd,
                             const uint8_t *data, size_t len)
{
    uint8_t sm[2400];
    ssgw_buf sb, mb;
    ssgw_error e;
    ssgw_buf_init(&sb, sm, sizeof sm);
    ssgw_buf_init(&mb, wire, cap);
    ssgw_sccp_msg sc;
    ssgw_sccp_msg_init(&sc, SSGW_SCCP_UDT);
    sc.calling = *cg;
    sc.called = *cd;
    sc.data = data;
    sc.data_len = len;
    if (ssgw_sccp_encode(&sb, &sc, &e) < 0) return 0;
    ssgw_m3ua_data_info d;
    memset(&d, 0, sizeof d);
    d.pd.opc = opc;
    d.pd.dpc = dpc;
    d.pd.si = 3;
    d.pd.ni = 2;
    d.pd.data = sb.data;
    d.pd.data_len = sb.len;
    return ssgw_m3ua_encode_data(&mb, &d) == 0 ? mb.len : 0;
}

/* The same between two GTs (with their SSNs). */
static inline size_t tb_wrap_gt(uint8_t *wire, size_t cap, uint32_t opc, uint32_t dpc,
                                const char *cg, uint8_t cg_ssn, const char *cd, uint8_t cd_ssn,
                                const uint8_t *data, size_t len)
{
    ssgw_sccp_addr a, b;
    ssgw_sccp_addr_gt(&a, cg, cg_ssn);
    ssgw_sccp_addr_gt(&b, cd, cd_ssn);
    return tb_wrap(wire, cap, opc, dpc, &a, &b, data, len);
}

/* Decodes the M3UA DATA wire[0..len) at second t into v and judges it with fw (direction
 * from the policy) into vd; returns the deciding check, NULL when it does not decode. */
static inline const char *tb_judge(ssgw_decoder *dec, ssgw_firewall *fw, const uint8_t *wire,
                                   size_t len, uint32_t t, ssgw_view *v, ssgw_verdict *vd)
{
    ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, wire, len, (uint64_t)t * 1000, v);
    if (v->has_error) return NULL;
    ssgw_firewall_meta meta = {(uint64_t)t * 1000, SSGW_DIR_UNKNOWN, false, 0, NULL, NULL, 0};
    ssgw_firewall_judge(fw, v, &meta, vd);
    return vd->check;
}

#endif
