/*
 * test_attack.c - the labelled attack generator (include/ssgw/attack.h).
 *
 * Independent checks: every generated message is decoded back by the
 * project's decoders (M3UA, SCCP, TCAP, MAP views) and must say what its
 * label says; the capture is read back by the capture reader and its frame
 * numbers must match the label file's; TCAP transaction ids are tracked as a
 * firewall would (every non-attack Continue/End answers a Begin seen before);
 * our subscribers' registrations are tracked as a firewall would (legitimate
 * location-dependent operations come from the current VLR, travel between
 * countries takes at least a day, attacks of cat3.not_current_vlr come from
 * another GT than the current VLR). tshark cross-checks the same captures in
 * tests/oracle/test_attack_tshark.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ssgw/attack.h"
#include "ssgw/capture.h"
#include "ssgw/isup.h"
#include "ssgw/map.h"
#include "ssgw/scmg.h"
#include "ssgw/tcap.h"
#include "ssgw/view.h"

static const char *const contract_checks[] = {
    "cat1.operation", "cat2.own_subscriber", "cat2.not_home_network", "cat3.velocity",
    "cat3.not_current_vlr", "sms.sri_sm_origin", "sms.sri_sm_rate", "sms.mt_fsm_origin",
    "sms.mt_fsm_no_sri", "spoof.vlr_mismatch", "spoof.peer_mismatch", "spoof.imsi_network",
    "spoof.ssn_mismatch", "tcap.unknown_dialogue", "rate.calling_gt", "rate.imsi", "rate.operation",
    /* issue 11 */
    "class.unknown_user", "class.unknown_context", "class.map_v1_no_dialogue",
    "class.global_opcode", "class.unknown_operation", "class.out_of_context", "class.ansi_tcap",
    "scmg.foreign", "scmg.home_status", "cap.non_member", "cap.scf_origin", "cap.to_scf_subscriber",
    "tcap.dialogue_peer_mismatch",
    /* calls and short-message spam */
    "call.home_cli_inbound", "call.cli_invalid", "call.fanout", "call.rate", "call.wangiri",
    "sms.protected_sender", "sms.keyword", "sms.url", "sms.sender_rate", "sms.same_text", NULL};

static bool is_contract_check(const char *c)
{
    for (int i = 0; contract_checks[i]; i++)
        if (!strcmp(contract_checks[i], c)) return true;
    return false;
}

static void test_catalogue(void)
{
    CHECK(ssgw_attack_count() >= 26);
    CHECK(ssgw_attack_count() <= 64);
    for (size_t i = 0; i < ssgw_attack_count(); i++) {
        const ssgw_attack_info *a = ssgw_attack_at(i);
        CHECK(is_contract_check(a->check));
        for (int k = 0; k < (int)(sizeof a->also / sizeof a->also[0]) && a->also[k]; k++)
            CHECK(is_contract_check(a->also[k]));
        CHECK_INT(ssgw_attack_index(a->name), (int64_t)i);
        CHECK(a->description && strlen(a->description) > 20);
    }
    CHECK(ssgw_attack_at(ssgw_attack_count()) == NULL);
    CHECK_INT(ssgw_attack_index("nope"), -1);
    uint64_t m;
    char bad[32];
    CHECK_INT(ssgw_attack_parse_only("track.ati,dos", &m, bad, sizeof bad), 0);
    CHECK(m >> ssgw_attack_index("track.ati") & 1);
    CHECK(m >> ssgw_attack_index("dos.purge_ms") & 1);
    CHECK(!(m >> ssgw_attack_index("track.sri") & 1));
    CHECK_INT(ssgw_attack_parse_only("track.ati,bogus", &m, bad, sizeof bad), -1);
    CHECK_STR(bad, "bogus");
    CHECK_INT(ssgw_attack_parse_only("all", &m, bad, sizeof bad), 0);
    CHECK_INT((int64_t)__builtin_popcountll(m), (int64_t)ssgw_attack_count());
}

static void test_determinism(void)
{
    ssgw_attack_opts o;
    ssgw_attack_opts_default(&o);
    o.seed = 42;
    o.count = 4000;
    o.attack_ratio = 0.2;
    ssgw_error e;
    ssgw_attack_gen *a = ssgw_attack_new(&o, &e), *b = ssgw_attack_new(&o, &e);
    o.seed = 43;
    ssgw_attack_gen *c = ssgw_attack_new(&o, &e);
    CHECK(a && b && c);
    if (!a || !b || !c) return;
    static uint8_t ma[2048], mb[2048], mc[2048];
    static char la[1024], lb[1024];
    size_t differ = 0, same = 0, attacks = 0;
    for (int i = 0; i < 4000; i++) {
        ssgw_buf ba, bb, bc;
        ssgw_buf_init(&ba, ma, sizeof ma);
        ssgw_buf_init(&bb, mb, sizeof mb);
        ssgw_buf_init(&bc, mc, sizeof mc);
        ssgw_attack_msg xa, xb, xc;
        CHECK_INT(ssgw_attack_next(a, &ba, &xa, &e), 0);
        CHECK_INT(ssgw_attack_next(b, &bb, &xb, &e), 0);
        CHECK_INT(ssgw_attack_next(c, &bc, &xc, &e), 0);
        if (ba.len == bb.len && !memcmp(ma, mb, ba.len)) same++;
        size_t na = ssgw_attack_label_json(&xa, la, sizeof la);
        size_t nb = ssgw_attack_label_json(&xb, lb, sizeof lb);
        CHECK(na > 0 && na == nb && !memcmp(la, lb, na));
        if (ba.len != bc.len || memcmp(ma, mc, ba.len)) differ++;
        attacks += xa.attack;
    }
    CHECK_INT((int64_t)same, 4000);
    CHECK(differ > 3000);
    /* the attack ratio is met to within a few percent */
    CHECK(attacks >= 700 && attacks <= 900);
    ssgw_attack_free(a);
    ssgw_attack_free(b);
    ssgw_attack_free(c);
}

/* M3UA, SCCP and TCAP (or ISUP) of one message into v. */
static int decode_all(ssgw_view *v, const uint8_t *p, size_t len)
{
    if (ssgw_view_decode_m3ua(v, p, len) < 0) return -1;
    if (v->has_isup) return 0;
    if (!v->has_sccp) return -1;
    return ssgw_view_decode_tcap(v, v->sccp.data, v->sccp.data_len, (size_t)(v->sccp.data - p));
}

/* Whether a protocol of the labels is carried in ITU TCAP. */
static bool itu_tcap(const char *protocol)
{
    return !strcmp(protocol, "map") || !strcmp(protocol, "cap") || !strcmp(protocol, "unknown");
}

/* A call's ISUP message: circuit, type, an IAM's numbers, no SCCP. */
static void check_isup(const ssgw_view *v, const ssgw_attack_msg *m)
{
    CHECK(v->has_isup && !v->has_sccp && !v->has_tcap);
    CHECK_INT(v->isup.type, m->isup);
    CHECK_INT(v->isup.cic, m->cic);
    CHECK_INT(v->sls, m->cic & 0x0f); /* the SLS carries the CIC's low bits */
    CHECK_STR(v->isup.f.calling.digits, m->calling_number);
    CHECK_STR(v->isup.f.called.digits, m->called_number);
    CHECK_INT(m->opcode, -1);
    CHECK_STR(m->protocol, "isup");
}

/* Decodes a generated message with the project's own decoders and compares it
 * with its description: the layers, the TCAP user and the operation of its protocol. */
static void check_decodes(const uint8_t *p, size_t len, const ssgw_attack_msg *m)
{
    static ssgw_view v;
    CHECK_INT(decode_all(&v, p, len), 0);
    CHECK_INT(v.opc, m->opc);
    CHECK_INT(v.dpc, m->dpc);
    if (m->isup) {
        check_isup(&v, m);
        return;
    }
    CHECK(!v.has_error);
    CHECK(v.has_sccp);
    CHECK_INT(v.opc, m->opc);
    CHECK_INT(v.dpc, m->dpc);
    CHECK_INT(m->inbound, m->dpc == 1001);
    CHECK_STR(v.sccp.calling.digits, m->calling_gt);
    CHECK_STR(v.sccp.called.digits, m->called_gt);
    CHECK_INT(v.sccp.calling.ssn, m->calling_ssn);
    CHECK_INT(ssgw_view_first_opcode(&v), m->opcode);
    if (!strcmp(m->protocol, "scmg")) {
        CHECK(v.has_scmg);
        CHECK_STR(ssgw_scmg_type_name(v.scmg.type), m->op_name);
        return;
    }
    if (!strcmp(m->protocol, "ansi-41")) {
        CHECK(v.has_ansi_tcap && v.tcap_user == SSGW_TCU_ANSI41);
        ssgw_tcap_op op;
        CHECK(ssgw_view_tcap_op(&v, 0, &op) == 0 && op.name && !strcmp(op.name, m->op_name));
        return;
    }
    CHECK(itu_tcap(m->protocol) && v.has_tcap);
    CHECK_STR(ssgw_tcap_user_name(v.tcap_user), m->protocol);
    CHECK_INT(v.tcap.type, m->tcap_type);
    if (m->has_dtid) CHECK_INT(v.tcap.dtid.value, m->dtid);
    if (!strcmp(m->protocol, "cap")) {
        CHECK_INT(ssgw_view_cap(&v), 0);
        if (m->imsi[0]) CHECK_STR(v.cap.imsi, m->imsi);
        return;
    }
    if (v.ncomp > 1 && m->imsi[0]) { /* the label names the first component's subscriber */
        ssgw_map_fields f;
        ssgw_error e;
        CHECK_INT(ssgw_map_decode((int)v.comp[0].opcode.local, SSGW_MAP_INVOKE, v.acn_version,
                                  v.comp[0].param_tlv, v.comp[0].param_tlv_len, &f, &e),
                  0);
        CHECK_STR(f.imsi, m->imsi);
    } else if (ssgw_view_map(&v) == 0 && m->imsi[0]) {
        CHECK_STR(v.map.imsi, m->imsi);
    }
    /* a short message's sender, as its SMS-DELIVER says */
    bool sms = ssgw_view_sms(&v) == 0 && v.has_sms && v.sms.type == SSGW_SMS_DELIVER;
    CHECK_STR(sms ? v.sms.oa.text : "", m->sms_sender);
}

static void test_every_attack_with_only(void)
{
    for (size_t i = 0; i < ssgw_attack_count(); i++) {
        ssgw_attack_opts o;
        ssgw_attack_opts_default(&o);
        o.seed = 7 + i;
        o.count = 300;
        o.attack_ratio = 0.3;
        o.only_mask = 1ull << i;
        ssgw_error e;
        ssgw_attack_gen *g = ssgw_attack_new(&o, &e);
        CHECK(g != NULL);
        if (!g) continue;
        static uint8_t mem[2048];
        size_t seen = 0, wrong = 0;
        for (int k = 0; k < 300; k++) {
            ssgw_buf b;
            ssgw_buf_init(&b, mem, sizeof mem);
            ssgw_attack_msg m;
            CHECK_INT(ssgw_attack_next(g, &b, &m, &e), 0);
            CHECK_INT((int64_t)m.index, k);
            check_decodes(b.data, b.len, &m);
            if (m.attack) {
                seen++;
                if (m.attack_id != (int)i) wrong++;
                CHECK(m.inbound);
                const ssgw_attack_info *a = ssgw_attack_at(i);
                if (a->opcode >= 0) CHECK_INT(m.opcode, a->opcode);
            }
        }
        if (!seen) fprintf(stderr, "attack %s never generated\n", ssgw_attack_at(i)->name);
        CHECK(seen > 0);
        CHECK_INT((int64_t)wrong, 0);
        ssgw_attack_free(g);
    }
}

/* What a firewall learns, tracked over labelled messages. */
#define MAX_TRACK 4096
typedef struct {
    char imsi[16];
    char vlr[16];
    uint32_t ul_time;
} loc;
static loc locs[MAX_TRACK];
static size_t nlocs;

static loc *find_loc(const char *imsi, bool create)
{
    for (size_t i = 0; i < nlocs; i++)
        if (!strcmp(locs[i].imsi, imsi)) return &locs[i];
    if (!create || nlocs == MAX_TRACK) return NULL;
    memset(&locs[nlocs], 0, sizeof locs[nlocs]);
    strcpy(locs[nlocs].imsi, imsi);
    return &locs[nlocs++];
}

#define MAX_TIDS (1u << 16)
static uint32_t tids[MAX_TIDS];
static size_t ntids;

static bool tid_seen(uint32_t t)
{
    for (size_t i = ntids; i-- > 0;)
        if (tids[i] == t) return true;
    return false;
}

static void test_state_consistency(void)
{
    ssgw_attack_opts o;
    ssgw_attack_opts_default(&o);
    o.seed = 3;
    o.count = 30000;
    o.attack_ratio = 0.1;
    ssgw_error e;
    ssgw_attack_gen *g = ssgw_attack_new(&o, &e);
    CHECK(g != NULL);
    if (!g) return;
    static uint8_t mem[2048];
    nlocs = ntids = 0;
    size_t unknown_legit = 0, forged_seen = 0, cat3_legit = 0, cat3_attack = 0, travel = 0;
    size_t bad_travel = 0, bad_cat3 = 0, bad_cat3_attack = 0;
    for (uint64_t k = 0; k < o.count; k++) {
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        ssgw_attack_msg m;
        if (ssgw_attack_next(g, &b, &m, &e) < 0) {
            CHECK(0);
            break;
        }
        if (!itu_tcap(m.protocol)) continue; /* SCCP management, ANSI TCAP: no dialogue */
        /* TCAP: every answer continues a dialogue that began */
        if (m.tcap_type == SSGW_TCAP_BEGIN || m.tcap_type == SSGW_TCAP_CONTINUE) {
            if (ntids < MAX_TIDS && m.has_otid && !tid_seen(m.otid)) tids[ntids++] = m.otid;
        }
        if (m.tcap_type != SSGW_TCAP_BEGIN && !m.isup) {
            bool known = tid_seen(m.dtid);
            if (m.attack && m.attack_id == ssgw_attack_index("infiltration.unknown_dialogue")) {
                forged_seen++;
                CHECK(!known);
            } else if (!known && !m.attack) {
                unknown_legit++;
            }
        }
        /* Our subscribers' location, learnt from legitimate inbound updateLocation. */
        if (strcmp(m.protocol, "map")) continue;
        bool ours = !strncmp(m.imsi, "23491", 5) || !strncmp(m.dest_ref, "23491", 5);
        const char *imsi = m.imsi[0] ? m.imsi : m.dest_ref;
        if (ours && m.inbound && m.tcap_type == SSGW_TCAP_BEGIN && !m.attack) {
            loc *l = find_loc(imsi, m.opcode == SSGW_MAP_OP_UPDATE_LOCATION);
            if (m.opcode == SSGW_MAP_OP_UPDATE_LOCATION && l) {
                if (l->vlr[0] && strncmp(l->vlr, m.calling_gt, 6)) {
                    travel++;
                    if (m.ts_sec - l->ul_time < 20 * 3600) bad_travel++;
                }
                strcpy(l->vlr, m.calling_gt);
                l->ul_time = m.ts_sec;
            } else if (m.opcode == SSGW_MAP_OP_REGISTER_SS || m.opcode == SSGW_MAP_OP_ACTIVATE_SS ||
                       m.opcode == SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST ||
                       m.opcode == SSGW_MAP_OP_PURGE_MS) {
                cat3_legit++;
                if (!l || strcmp(l->vlr, m.calling_gt)) bad_cat3++;
            }
        }
        const char *chk = m.attack ? ssgw_attack_at((size_t)m.attack_id)->check : "";
        if (ours && m.attack && !strcmp(chk, "cat3.not_current_vlr")) {
            loc *l = find_loc(imsi, false);
            cat3_attack++;
            if (!l || !strcmp(l->vlr, m.calling_gt)) bad_cat3_attack++;
        }
    }
    CHECK_INT((int64_t)unknown_legit, 0);
    CHECK(forged_seen > 0);
    CHECK(cat3_legit > 50);
    CHECK_INT((int64_t)bad_cat3, 0);
    CHECK(cat3_attack > 20);
    CHECK_INT((int64_t)bad_cat3_attack, 0);
    CHECK_INT((int64_t)bad_travel, 0);
    fprintf(stderr, "state: %zu legit cat3 ops, %zu cat3 attacks, %zu trips, %zu forged\n",
            cat3_legit, cat3_attack, travel, forged_seen);
    ssgw_attack_free(g);
}

/* The pcap and the label file agree frame by frame (read back by the capture reader). */
static void test_write_and_read_back(void)
{
    const char *pcap = "/tmp/ssgw_test_attack.pcap", *labels = "/tmp/ssgw_test_attack.jsonl";
    ssgw_attack_opts o;
    ssgw_attack_opts_default(&o);
    o.seed = 11;
    o.count = 2500;
    o.attack_ratio = 0.2;
    ssgw_attack_stats st;
    char err[256];
    CHECK_INT(ssgw_attack_write(&o, pcap, labels, &st, err, sizeof err), 0);
    CHECK_INT((int64_t)st.messages, 2500);
    CHECK_INT((int64_t)(st.attacks + st.legit), 2500);
    ssgw_capture *c = ssgw_capture_open(pcap, NULL, err, sizeof err);
    FILE *lf = fopen(labels, "r");
    CHECK(c && lf);
    if (!c || !lf) return;
    static char line[2048];
    ssgw_capture_msg cm;
    uint64_t n = 0, attacks = 0;
    static ssgw_view v;
    while (ssgw_capture_next(c, &cm) == 1) {
        CHECK(!cm.is_error);
        n++;
        CHECK_INT((int64_t)cm.frame, (int64_t)n);
        if (!fgets(line, sizeof line, lf)) {
            CHECK(0);
            break;
        }
        unsigned long long fr = 0;
        CHECK(sscanf(line, "{\"frame\":%llu,", &fr) == 1);
        CHECK_INT((int64_t)fr, (int64_t)cm.frame);
        bool attack = strstr(line, "\"label\":\"attack\"") != NULL;
        attacks += attack;
        CHECK_INT(decode_all(&v, cm.data, cm.len), 0);
        int op = ssgw_view_first_opcode(&v);
        char want[80];
        snprintf(want, sizeof want, "\"opcode\":%d,", op);
        CHECK(strstr(line, want) != NULL);
        if (v.has_isup || !v.sccp.calling.digits[0]) /* a call; SCCP management (no GT) */
            snprintf(want, sizeof want, "\"calling_gt\":null,");
        else
            snprintf(want, sizeof want, "\"calling_gt\":\"%s\"", v.sccp.calling.digits);
        CHECK(strstr(line, want) != NULL);
        if (v.has_isup) {
            snprintf(want, sizeof want, "\"isup\":\"%s\",\"cic\":%u,",
                     ssgw_isup_msg_abbr(v.isup.type), v.isup.cic);
            CHECK(strstr(line, want) != NULL);
        }
        if (attack)
            CHECK(strstr(line, "\"check\":\"default\"") == NULL);
        else
            CHECK(strstr(line, "\"attack\":null,\"check\":\"default\"") != NULL);
    }
    CHECK_INT((int64_t)n, 2500);
    CHECK_INT((int64_t)attacks, (int64_t)st.attacks);
    CHECK(fgets(line, sizeof line, lf) == NULL);
    fclose(lf);
    ssgw_capture_close(c);
    remove(pcap);
    remove(labels);
}

static void test_small_counts(void)
{
    ssgw_attack_opts o;
    ssgw_attack_opts_default(&o);
    ssgw_attack_stats st;
    char err[256];
    o.count = 1;
    CHECK_INT(ssgw_attack_write(&o, "/tmp/ssgw_test_attack1.pcap", NULL, &st, err, sizeof err), 0);
    CHECK_INT((int64_t)st.messages, 1);
    o.count = 0;
    CHECK_INT(ssgw_attack_write(&o, "/tmp/ssgw_test_attack1.pcap", NULL, &st, err, sizeof err), 0);
    CHECK_INT((int64_t)st.messages, 0);
    remove("/tmp/ssgw_test_attack1.pcap");
    o.attack_ratio = 2;
    ssgw_error e;
    CHECK(ssgw_attack_new(&o, &e) == NULL);
}

int main(void)
{
    RUN(test_catalogue);
    RUN(test_determinism);
    RUN(test_every_attack_with_only);
    RUN(test_state_consistency);
    RUN(test_write_and_read_back);
    RUN(test_small_counts);
    return check_summary();
}
