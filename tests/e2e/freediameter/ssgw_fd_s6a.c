/*
 * ssgw_fd_s6a.c - a freeDiameter extension (ssgw_fd_s6a.fdx) that makes Debian's
 * freeDiameterd an S6a endpoint for the end-to-end tests of the Diameter edge
 * proxy (tests/e2e/test_diameter_freediameter.py): an MME that sends requests, or
 * an HSS that answers them, with freeDiameter's own stack doing the Diameter
 * (CER/CEA, DWR/DWA, DPR/DPA, parsing, hop-by-hop matching of answers).
 * Debian ships no test application (test_app.fdx), hence this one.
 *
 * It adds the S6a commands and the AVPs it uses to freeDiameter's dictionary
 * (3GPP TS 29.272), advertises the application (Vendor-Specific, 3GPP) in
 * CER/CEA, and routes every request to any open peer (the gateway is its only
 * one). Its configuration file (the LoadExtension argument) has "key = value"
 * lines:
 *
 *   mode = client | server
 *   out = FILE           one JSON line per request answered (client) or received (server)
 *   dest_realm = REALM   (client) Destination-Realm of the requests
 *   commands = ULR,AIR   (client) the requests sent, in turn
 *   count = N            (client) how many
 *   imsi = DIGITS[,DIGITS] (client) User-Name, in turn
 *   visited_plmn = MCCMNC (client) Visited-PLMN-Id of ULR / AIR
 *   result = N           (server) Result-Code of the answers (default 2001)
 *
 * The client starts sending when a peer opens (HOOK_PEER_CONNECT_SUCCESS) and writes
 * {"done": true, "sent": N, "answered": M} when every answer arrived.
 */
#include <freeDiameter/extension.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define APP_S6A     16777251
#define VENDOR_3GPP 10415

static struct {
    char mode[16], out[512], dest_realm[256], commands[128], imsi[64], plmn[8];
    int count, result;
} conf = {.count = 1, .result = 2001};

static struct dict_object *vendor, *app, *avp_session_id, *avp_dest_realm, *avp_user_name,
    *avp_auth_state, *avp_vsai, *avp_vendor_id, *avp_auth_app, *avp_route_record, *avp_origin_realm,
    *avp_result, *avp_exp_result, *avp_exp_code, *avp_plmn, *avp_rat, *avp_ulr_flags,
    *avp_cancel_type;
static FILE *out;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static int sent, answered, started;

static const struct {
    uint32_t code;
    const char *abbrev, *req, *ans;
} cmds[] = {
    {316, "ULR", "Update-Location-Request", "Update-Location-Answer"},
    {317, "CLR", "Cancel-Location-Request", "Cancel-Location-Answer"},
    {318, "AIR", "Authentication-Information-Request", "Authentication-Information-Answer"},
    {319, "IDR", "Insert-Subscriber-Data-Request", "Insert-Subscriber-Data-Answer"},
    {320, "DSR", "Delete-Subscriber-Data-Request", "Delete-Subscriber-Data-Answer"},
    {321, "PUR", "Purge-UE-Request", "Purge-UE-Answer"},
    {323, "NOR", "Notify-Request", "Notify-Answer"},
};
#define N_CMDS (sizeof cmds / sizeof cmds[0])
static struct dict_object *cmd_req[N_CMDS];

static void emit(const char *line)
{
    pthread_mutex_lock(&out_lock);
    if (out) {
        fputs(line, out);
        fputc('\n', out);
        fflush(out);
    }
    pthread_mutex_unlock(&out_lock);
}

static void set(char *dst, size_t cap, const char *v)
{
    size_t n = strlen(v);
    if (n >= cap) n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

/* ---- the dictionary ---------------------------------------------------------------- */

static struct dict_object *find_avp(const char *name)
{
    struct dict_object *o = NULL;
    fd_dict_search(fd_g_config->cnf_dict, DICT_AVP, AVP_BY_NAME, name, &o, ENOENT);
    return o;
}

static struct dict_object *avp_3gpp(uint32_t code, const char *name, enum dict_avp_basetype t)
{
    struct dict_avp_request req = {.avp_vendor = VENDOR_3GPP, .avp_code = code};
    struct dict_object *o = NULL;
    if (fd_dict_search(fd_g_config->cnf_dict, DICT_AVP, AVP_BY_CODE_AND_VENDOR, &req, &o, ENOENT) ==
            0 &&
        o)
        return o;
    struct dict_avp_data d = {code,
                              VENDOR_3GPP,
                              (char *)name,
                              AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY,
                              AVP_FLAG_VENDOR | AVP_FLAG_MANDATORY,
                              t};
    fd_dict_new(fd_g_config->cnf_dict, DICT_AVP, &d, NULL, &o);
    return o;
}

static int dictionary(void)
{
    struct dictionary *dict = fd_g_config->cnf_dict;
    vendor_id_t vid = VENDOR_3GPP;
    if (fd_dict_search(dict, DICT_VENDOR, VENDOR_BY_ID, &vid, &vendor, ENOENT)) {
        struct dict_vendor_data v = {VENDOR_3GPP, "3GPP"};
        CHECK_FCT(fd_dict_new(dict, DICT_VENDOR, &v, NULL, &vendor));
    }
    application_id_t aid = APP_S6A;
    if (fd_dict_search(dict, DICT_APPLICATION, APPLICATION_BY_ID, &aid, &app, ENOENT)) {
        struct dict_application_data a = {APP_S6A, "S6a/S6d"};
        CHECK_FCT(fd_dict_new(dict, DICT_APPLICATION, &a, vendor, &app));
    }
    for (size_t i = 0; i < N_CMDS; i++) {
        struct dict_cmd_data r = {cmds[i].code, (char *)cmds[i].req,
                                  CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE | CMD_FLAG_ERROR,
                                  CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE};
        struct dict_cmd_data a = {cmds[i].code, (char *)cmds[i].ans,
                                  CMD_FLAG_REQUEST | CMD_FLAG_PROXIABLE, CMD_FLAG_PROXIABLE};
        CHECK_FCT(fd_dict_new(dict, DICT_COMMAND, &r, app, &cmd_req[i]));
        CHECK_FCT(fd_dict_new(dict, DICT_COMMAND, &a, app, NULL));
    }
    avp_plmn = avp_3gpp(1407, "Visited-PLMN-Id", AVP_TYPE_OCTETSTRING);
    avp_rat = avp_3gpp(1032, "RAT-Type", AVP_TYPE_INTEGER32);
    avp_ulr_flags = avp_3gpp(1405, "ULR-Flags", AVP_TYPE_UNSIGNED32);
    avp_3gpp(1406, "ULA-Flags", AVP_TYPE_UNSIGNED32);
    avp_cancel_type = avp_3gpp(1420, "Cancellation-Type", AVP_TYPE_INTEGER32);
    avp_3gpp(1490, "IDR-Flags", AVP_TYPE_UNSIGNED32);
    avp_3gpp(1635, "PUR-Flags", AVP_TYPE_UNSIGNED32);
    avp_3gpp(1638, "CLR-Flags", AVP_TYPE_UNSIGNED32);
    avp_3gpp(1443, "NOR-Flags", AVP_TYPE_UNSIGNED32);
    avp_3gpp(1421, "DSR-Flags", AVP_TYPE_UNSIGNED32);
    avp_session_id = find_avp("Session-Id");
    avp_dest_realm = find_avp("Destination-Realm");
    avp_user_name = find_avp("User-Name");
    avp_auth_state = find_avp("Auth-Session-State");
    avp_vsai = find_avp("Vendor-Specific-Application-Id");
    avp_vendor_id = find_avp("Vendor-Id");
    avp_auth_app = find_avp("Auth-Application-Id");
    avp_route_record = find_avp("Route-Record");
    avp_origin_realm = find_avp("Origin-Realm");
    avp_result = find_avp("Result-Code");
    avp_exp_result = find_avp("Experimental-Result");
    avp_exp_code = find_avp("Experimental-Result-Code");
    return 0;
}

/* ---- building requests -------------------------------------------------------------- */

static int add_os(msg_or_avp *to, struct dict_object *model, const void *p, size_t n)
{
    struct avp *a;
    union avp_value v = {.os = {(uint8_t *)p, n}};
    CHECK_FCT(fd_msg_avp_new(model, 0, &a));
    CHECK_FCT(fd_msg_avp_setvalue(a, &v));
    return fd_msg_avp_add(to, MSG_BRW_LAST_CHILD, a);
}

static int add_u32(msg_or_avp *to, struct dict_object *model, uint32_t x)
{
    struct avp *a;
    union avp_value v = {.u32 = x};
    CHECK_FCT(fd_msg_avp_new(model, 0, &a));
    CHECK_FCT(fd_msg_avp_setvalue(a, &v));
    return fd_msg_avp_add(to, MSG_BRW_LAST_CHILD, a);
}

static void plmn_bytes(const char *mccmnc, uint8_t o[3])
{
    int d[6] = {0, 0, 0, 0, 0, 15};
    size_t n = strlen(mccmnc);
    for (size_t i = 0; i < n && i < 6; i++)
        d[i] = mccmnc[i] - '0';
    int mnc3 = n == 6 ? d[5] : 15;
    o[0] = (uint8_t)(d[1] << 4 | d[0]);
    o[1] = (uint8_t)(mnc3 << 4 | d[2]);
    o[2] = (uint8_t)(d[4] << 4 | d[3]);
}

/* Result-Code, or the Experimental-Result-Code of an answer. */
static void result_of(struct msg *ans, uint32_t *rc, uint32_t *exp)
{
    struct avp *a;
    struct avp_hdr *h;
    *rc = *exp = 0;
    if (fd_msg_search_avp(ans, avp_result, &a) == 0 && a && fd_msg_avp_hdr(a, &h) == 0 &&
        h->avp_value)
        *rc = h->avp_value->u32;
    if (fd_msg_search_avp(ans, avp_exp_result, &a) == 0 && a) {
        struct avp *c = NULL;
        fd_msg_browse(a, MSG_BRW_FIRST_CHILD, &c, NULL);
        while (c) {
            if (fd_msg_avp_hdr(c, &h) == 0 && h->avp_code == 298 && h->avp_value)
                *exp = h->avp_value->u32;
            fd_msg_browse(c, MSG_BRW_NEXT, &c, NULL);
        }
    }
}

static void on_answer(void *data, struct msg **msg)
{
    uintptr_t code = (uintptr_t)data;
    uint32_t rc, exp;
    result_of(*msg, &rc, &exp);
    char line[256];
    snprintf(line, sizeof line, "{\"cmd\": %u, \"result\": %u, \"exp_result\": %u}", (unsigned)code,
             rc, exp);
    emit(line);
    fd_msg_free(*msg);
    *msg = NULL;
    if (__atomic_add_fetch(&answered, 1, __ATOMIC_SEQ_CST) == conf.count) {
        snprintf(line, sizeof line, "{\"done\": true, \"sent\": %d, \"answered\": %d}", sent,
                 answered);
        emit(line);
    }
}

static int send_one(int i)
{
    /* the commands in turn */
    char list[128], *save = NULL;
    snprintf(list, sizeof list, "%s", conf.commands);
    int n = 0;
    char *tok = strtok_r(list, ",", &save), *pick = tok;
    while (tok) {
        n++;
        tok = strtok_r(NULL, ",", &save);
    }
    snprintf(list, sizeof list, "%s", conf.commands);
    tok = strtok_r(list, ",", &save);
    for (int k = 0; n && k < i % n && tok; k++)
        tok = strtok_r(NULL, ",", &save);
    pick = tok ? tok : "ULR";
    size_t c = 0;
    while (c < N_CMDS && strcmp(cmds[c].abbrev, pick))
        c++;
    if (c == N_CMDS) c = 0;
    struct msg *m;
    CHECK_FCT(fd_msg_new(cmd_req[c], MSGFL_ALLOC_ETEID, &m));
    struct session *sess;
    CHECK_FCT(fd_sess_new(&sess, fd_g_config->cnf_diamid, fd_g_config->cnf_diamid_len,
                          (uint8_t *)"ssgwtest", 8));
    os0_t sid;
    size_t sidlen;
    CHECK_FCT(fd_sess_getsid(sess, &sid, &sidlen));
    CHECK_FCT(add_os(m, avp_session_id, sid, sidlen));
    struct avp *vs;
    CHECK_FCT(fd_msg_avp_new(avp_vsai, 0, &vs));
    CHECK_FCT(add_u32(vs, avp_vendor_id, VENDOR_3GPP));
    CHECK_FCT(add_u32(vs, avp_auth_app, APP_S6A));
    CHECK_FCT(fd_msg_avp_add(m, MSG_BRW_LAST_CHILD, vs));
    CHECK_FCT(add_u32(m, avp_auth_state, 1)); /* NO_STATE_MAINTAINED */
    CHECK_FCT(fd_msg_add_origin(m, 0));
    CHECK_FCT(add_os(m, avp_dest_realm, conf.dest_realm, strlen(conf.dest_realm)));
    char imsis[64], *isave = NULL;
    set(imsis, sizeof imsis, conf.imsi);
    char *imsi = strtok_r(imsis, ",", &isave);
    for (int k = 0; k < i && imsi; k++) {
        char *nx = strtok_r(NULL, ",", &isave);
        if (!nx) {
            set(imsis, sizeof imsis, conf.imsi);
            nx = strtok_r(imsis, ",", &isave);
        }
        imsi = nx;
    }
    if (!imsi) imsi = conf.imsi;
    CHECK_FCT(add_os(m, avp_user_name, imsi, strlen(imsi)));
    uint8_t pl[3];
    plmn_bytes(conf.plmn, pl);
    if (cmds[c].code == 316) {
        CHECK_FCT(add_u32(m, avp_rat, 1004)); /* EUTRAN */
        CHECK_FCT(add_u32(m, avp_ulr_flags, 0x22));
        CHECK_FCT(add_os(m, avp_plmn, pl, 3));
    } else if (cmds[c].code == 318) {
        CHECK_FCT(add_os(m, avp_plmn, pl, 3));
    } else if (cmds[c].code == 317) {
        CHECK_FCT(add_u32(m, avp_cancel_type, 0)); /* MME_UPDATE_PROCEDURE */
    }
    __atomic_add_fetch(&sent, 1, __ATOMIC_SEQ_CST);
    return fd_msg_send(&m, on_answer, (void *)(uintptr_t)cmds[c].code);
}

static char peer_id[256];

/* freeDiameter calls the hook while the peer is still OPEN_NEW (CEA just exchanged); its
 * router takes only OPEN peers, so wait for that (bounded) before the first request. */
static void wait_open(void)
{
    for (int i = 0; i < 500; i++) {
        struct peer_hdr *ph = NULL;
        if (fd_peer_getbyid(peer_id, strlen(peer_id), 0, &ph) == 0 && ph &&
            fd_peer_get_state(ph) == STATE_OPEN)
            return;
        struct timespec w = {0, 10000000};
        nanosleep(&w, NULL);
    }
}

static void *client(void *arg)
{
    (void)arg;
    wait_open();
    for (int i = 0; i < conf.count; i++)
        if (send_one(i)) {
            char line[96];
            snprintf(line, sizeof line, "{\"error\": \"send %d failed\"}", i);
            emit(line);
        }
    return NULL;
}

static void on_open(enum fd_hook_type type, struct msg *msg, struct peer_hdr *peer, void *other,
                    struct fd_hook_permsgdata *pmd, void *regdata)
{
    (void)type, (void)msg, (void)other, (void)pmd, (void)regdata;
    if (__atomic_exchange_n(&started, 1, __ATOMIC_SEQ_CST)) return;
    if (peer && peer->info.pi_diamid) set(peer_id, sizeof peer_id, peer->info.pi_diamid);
    pthread_t th;
    if (pthread_create(&th, NULL, client, NULL) == 0) pthread_detach(th);
}

/* Every open peer may carry the request: the gateway is the only peer. */
static int route_any(void *cbdata, struct msg **pmsg, struct fd_list *candidates)
{
    (void)cbdata, (void)pmsg;
    for (struct fd_list *li = candidates->next; li != candidates; li = li->next)
        ((struct rtd_candidate *)li)->score += FD_SCORE_DEFAULT;
    return 0;
}

/* ---- the server --------------------------------------------------------------------- */

static void json_str(char *o, size_t cap, const uint8_t *p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 2 < cap; i++)
        o[k++] = p[i] >= 32 && p[i] < 127 && p[i] != '"' && p[i] != '\\' ? (char)p[i] : '?';
    o[k] = '\0';
}

static int on_request(struct msg **msg, struct avp *avp, struct session *sess, void *opaque,
                      enum disp_action *act)
{
    (void)avp, (void)sess, (void)opaque;
    struct msg_hdr *h;
    fd_msg_hdr(*msg, &h);
    char rr[1024] = "", realm[256] = "", user[64] = "";
    struct avp *a = NULL;
    fd_msg_browse(*msg, MSG_BRW_FIRST_CHILD, &a, NULL);
    while (a) {
        struct avp_hdr *ah;
        if (fd_msg_avp_hdr(a, &ah) == 0 && ah->avp_value && !(ah->avp_flags & AVP_FLAG_VENDOR)) {
            char v[256];
            if (ah->avp_code == 282 || ah->avp_code == 296 || ah->avp_code == 1)
                json_str(v, sizeof v, ah->avp_value->os.data, ah->avp_value->os.len);
            if (ah->avp_code == 282 && strlen(rr) + strlen(v) + 4 < sizeof rr) {
                if (rr[0]) strcat(rr, ", ");
                strcat(rr, "\"");
                strcat(rr, v);
                strcat(rr, "\"");
            } else if (ah->avp_code == 296) {
                set(realm, sizeof realm, v);
            } else if (ah->avp_code == 1) {
                set(user, sizeof user, v);
            }
        }
        fd_msg_browse(a, MSG_BRW_NEXT, &a, NULL);
    }
    char line[1600];
    snprintf(line, sizeof line,
             "{\"cmd\": %u, \"origin_realm\": \"%s\", \"user_name\": \"%s\", \"route_record\": "
             "[%s]}",
             (unsigned)h->msg_code, realm, user, rr);
    emit(line);
    CHECK_FCT(fd_msg_new_answer_from_req(fd_g_config->cnf_dict, msg, 0));
    CHECK_FCT(fd_msg_rescode_set(
        *msg, conf.result == 2001 ? "DIAMETER_SUCCESS" : "DIAMETER_UNABLE_TO_COMPLY", NULL, NULL,
        1));
    CHECK_FCT(fd_msg_send(msg, NULL, NULL));
    *act = DISP_ACT_CONT;
    return 0;
}

/* ---- entry --------------------------------------------------------------------------- */

static int read_conf(const char *path)
{
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f) {
        TRACE_ERROR("ssgw_fd_s6a: cannot read configuration '%s'", path ? path : "(none)");
        return EINVAL;
    }
    char line[512], k[64], v[400];
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, " %63[a-z_] = %399s", k, v) != 2) continue;
        if (!strcmp(k, "mode")) set(conf.mode, sizeof conf.mode, v);
        if (!strcmp(k, "out")) set(conf.out, sizeof conf.out, v);
        if (!strcmp(k, "dest_realm")) set(conf.dest_realm, sizeof conf.dest_realm, v);
        if (!strcmp(k, "commands")) set(conf.commands, sizeof conf.commands, v);
        if (!strcmp(k, "imsi")) set(conf.imsi, sizeof conf.imsi, v);
        if (!strcmp(k, "visited_plmn")) set(conf.plmn, sizeof conf.plmn, v);
        if (!strcmp(k, "count")) conf.count = atoi(v);
        if (!strcmp(k, "result")) conf.result = atoi(v);
    }
    fclose(f);
    return 0;
}

static int entry(char *conffile)
{
    CHECK_FCT(read_conf(conffile));
    if (conf.out[0] && !(out = fopen(conf.out, "a"))) {
        TRACE_ERROR("ssgw_fd_s6a: cannot open '%s'", conf.out);
        return EINVAL;
    }
    CHECK_FCT(dictionary());
    CHECK_FCT(fd_disp_app_support(app, vendor, 1, 0));
    static struct fd_rt_out_hdl *rt;
    CHECK_FCT(fd_rt_out_register(route_any, NULL, 1, &rt));
    if (!strcmp(conf.mode, "server")) {
        for (size_t i = 0; i < N_CMDS; i++) {
            struct disp_when w = {.app = app, .command = cmd_req[i]};
            CHECK_FCT(fd_disp_register(on_request, DISP_HOW_CC, &w, NULL, NULL));
        }
    } else {
        static struct fd_hook_hdl *hk;
        CHECK_FCT(fd_hook_register(HOOK_MASK(HOOK_PEER_CONNECT_SUCCESS), on_open, NULL, NULL, &hk));
    }
    return 0;
}

EXTENSION_ENTRY("ssgw_fd_s6a", entry);
