/*
 * attack_diameter.c - `ssgw attack --protocol diameter`: labelled S6a/S6d traffic
 * of the example network (the same Albion Mobile and partners as attack.c, with
 * the 3GPP realms of their MCC-MNCs, TS 23.003 19.2) mixed with the Diameter
 * attack catalogue and the cross-protocol attacks that need MAP beside Diameter
 * (include/ssgw/attack.h, docs/attacks.md).
 *
 * Legitimate flows follow TS 29.272 5.2: a subscriber of ours attaching in a
 * partner's network (AIR/AIA then ULR/ULA from the partner's MME, Visited-PLMN-Id
 * the partner's), later purging or notifying from the same network (PUR/PUA,
 * NOR/NOA); a partner's subscriber visiting us managed by its home HSS (IDR/IDA,
 * DSR/DSA, CLR/CLA to our MME); and our subscribers attaching by MAP
 * (updateLocation from a partner VLR) so that location state crosses protocols.
 * Moves between countries are at least 8 simulated hours apart (plausible at
 * 1000 km/h). Attacks: each scenario emits its prelude (legitimate, building the
 * state it abuses) and then the labelled attack message; the scenario table is
 * data. Every Diameter message is one SCTP DATA chunk with PPID 46 (port 3868),
 * every MAP message one chunk with PPID 3 (M3UA, port 2905); one SCTP association
 * per peer and protocol.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/attack.h"
#include "ssgw/capture.h"
#include "ssgw/diameter.h"
#include "ssgw/gen.h"
#include "ssgw/json.h"
#include "ssgw/map.h"
#include "ssgw/map_msg.h"
#include "ssgw/pcap_writer.h"
#include "ssgw/sccp.h"

/* ---- the example network ------------------------------------------------------------- */

typedef struct {
    const char *name, *mcc, *mnc, *gt; /* GT / MSISDN prefix */
    uint16_t pc;
} dnet;

enum { HOME, SAFARI, RHEIN, LAGOS, ROGUE, N_NETS };
static const dnet nets[N_NETS] = {
    {"Albion Mobile", "234", "91", "447924", 1001}, {"Safari Mobile", "639", "02", "254722", 2001},
    {"Rhein Telekom", "262", "01", "491710", 2002}, {"Lagos Mobile", "621", "30", "234803", 2003},
    {"no partner", "882", "34", "88234", 2009}, /* an interconnect nobody has an agreement with */
};
#define FIRST_PARTNER SAFARI
#define N_PARTNERS    3

static void realm(int n, char *out, size_t cap)
{
    snprintf(out, cap, "epc.mnc%03d.mcc%s.3gppnetwork.org", atoi(nets[n].mnc), nets[n].mcc);
}

static void host(int n, const char *node, char *out, size_t cap)
{
    char r[64];
    realm(n, r, sizeof r);
    snprintf(out, cap, "%s.%s", node, r);
}

/* ---- the catalogue ------------------------------------------------------------------- */

enum {
    DA_TRACK_IDR,
    DA_TRACK_IDR_ROAMER,
    DA_DOS_CLR,
    DA_DOS_PUR,
    DA_SPOOF_HOME_REALM,
    DA_SPOOF_NONMEMBER,
    DA_SPOOF_HOST,
    DA_IMSI_REALM,
    DA_PLMN_MISMATCH,
    DA_VELOCITY,
    DA_MAP_THEN_DIAMETER,
    DA_DIAMETER_THEN_MAP,
    DA_UNKNOWN_APP,
    DA_ONE_INCIDENT,
    N_DATTACKS
};

static const ssgw_attack_info dcatalogue[N_DATTACKS] = {
    {"d.track_idr",
     "diameter.cat_home_only",
     {NULL},
     "location tracking",
     "2",
     -1,
     "IDR about our subscriber from a partner's realm (IDR-Flags ask for the current location): "
     "only our own HSS sends IDR about our subscribers"},
    {"d.track_idr_roamer",
     "diameter.cat_home_only",
     {NULL},
     "location tracking",
     "2",
     -1,
     "IDR about a partner's subscriber visiting us, sent from another partner's realm than its "
     "home network"},
    {"d.dos_clr",
     "diameter.cat_home_only",
     {NULL},
     "denial of service",
     "2",
     -1,
     "CLR about our subscriber from the interconnect: detaches it from the network it is in"},
    {"d.dos_pur",
     "diameter.not_current_location",
     {NULL},
     "denial of service",
     "3",
     -1,
     "PUR for our subscriber from a network it is not registered in: our HSS marks it purged"},
    {"d.spoof_home_realm",
     "diameter.origin_realm",
     {NULL},
     "spoofing",
     "-",
     -1,
     "ULR from the interconnect claiming our own realm as Origin-Realm"},
    {"d.spoof_nonmember",
     "diameter.origin_realm",
     {NULL},
     "spoofing",
     "-",
     -1,
     "AIR for our subscriber from a realm of no roaming partner (authentication vector theft)"},
    {"d.spoof_host",
     "diameter.origin_host",
     {NULL},
     "spoofing",
     "-",
     -1,
     "ULR whose Origin-Host lies in another partner's realm than its Origin-Realm"},
    {"d.imsi_realm",
     "diameter.imsi_realm",
     {NULL},
     "spoofing",
     "3",
     -1,
     "AIR to our HSS for a partner's IMSI: IMSI harvesting / network mapping"},
    {"d.plmn_mismatch",
     "diameter.visited_plmn",
     {NULL},
     "sms interception",
     "3",
     -1,
     "ULR whose Visited-PLMN-Id is another network than the sender's realm"},
    {"d.velocity",
     "diameter.velocity",
     {NULL},
     "sms interception",
     "3",
     -1,
     "ULR moving our subscriber to a country it cannot have reached since its last ULR"},
    {"x.map_then_diameter",
     "diameter.velocity",
     {NULL},
     "cross-protocol",
     "3",
     -1,
     "a MAP updateLocation from one country, then minutes later a Diameter ULR for the same "
     "subscriber from another continent"},
    {"x.diameter_then_map",
     "cat3.velocity",
     {NULL},
     "cross-protocol",
     "3",
     SSGW_MAP_OP_UPDATE_LOCATION,
     "a Diameter ULR from one country, then minutes later a MAP updateLocation for the same "
     "subscriber from another continent"},
    {"d.unknown_app",
     "diameter.unknown_command",
     {NULL},
     "probing",
     "-",
     -1,
     "a Gx credit-control request (another application) from a realm of no partner"},
    {"x.one_incident",
     "diameter.cat_home_only",
     {"cat2.own_subscriber", NULL},
     "cross-protocol",
     "2",
     -1,
     "provideSubscriberInfo about our subscriber over MAP (blocked), then an IDR about the same "
     "subscriber over Diameter: one incident"},
};

size_t ssgw_dattack_count(void)
{
    return N_DATTACKS;
}

const ssgw_attack_info *ssgw_dattack_at(size_t i)
{
    return i < N_DATTACKS ? &dcatalogue[i] : NULL;
}

/* ---- the generator --------------------------------------------------------------------- */

#define OUR_SUBS     2000
#define VISITOR_SUBS 500
#define MOVE_GAP_MS  (8ull * 3600 * 1000) /* between countries: plausible at 1000 km/h */
#define MSG_CAP      1024
#define QUEUE        8

typedef struct {
    int8_t net;        /* partner the subscriber is registered in, -1 none */
    bool by_map;       /* registered by MAP (else Diameter) */
    uint64_t moved_ms; /* when it last registered (a move is plausible 8 h later) */
} sub;

typedef struct {
    uint8_t bytes[MSG_CAP];
    size_t len;
    bool map, inbound, attack;
    int attack_id, net; /* the peer network (association) */
    const char *scenario, *what, *check, *also0;
    uint64_t instance;
    char imsi[16];
    uint64_t at_ms;
} dmsg;

struct ssgw_dattack_gen {
    ssgw_attack_opts o;
    ssgw_rng rng;
    uint64_t now_ms, gap_ms, instance;
    int next_fresh;
    uint32_t hbh, tid;
    sub our[OUR_SUBS];
    dmsg q[QUEUE];
    size_t qh, qt;
    uint8_t oid_mem[64], param_mem[512];
};

static uint64_t gap(ssgw_dattack_gen *g)
{
    return g->gap_ms / 2 + ssgw_rng_below(&g->rng, (uint32_t)(g->gap_ms + 1));
}

static void our_imsi(int i, char out[16])
{
    snprintf(out, 16, "23491%010u", (unsigned)(100000 + i) % 1000000000u);
}

static void visitor_imsi(int net, int i, char out[16])
{
    snprintf(out, 16, "%.3s%.2s%08u", nets[net].mcc, nets[net].mnc,
             (unsigned)(7000 + i) % 10000000u);
}

static dmsg *push(ssgw_dattack_gen *g)
{
    dmsg *m = &g->q[g->qt % QUEUE];
    g->qt++;
    memset(m, 0, sizeof *m);
    m->attack_id = -1;
    m->check = "default";
    m->instance = g->instance;
    g->now_ms += 20 + ssgw_rng_below(&g->rng, 200);
    m->at_ms = g->now_ms;
    return m;
}

static void set_plmn(uint8_t o[3], int n)
{
    const char *c = nets[n].mcc, *m = nets[n].mnc;
    int mnc3 = strlen(m) == 3 ? m[2] - '0' : 0xf;
    o[0] = (uint8_t)((c[1] - '0') << 4 | (c[0] - '0'));
    o[1] = (uint8_t)(mnc3 << 4 | (c[2] - '0'));
    o[2] = (uint8_t)((m[1] - '0') << 4 | (m[0] - '0'));
}

typedef struct {
    uint32_t code, app;
    int from;         /* network of Origin-Host/-Realm */
    const char *node; /* "mme1", "hss1" */
    int realm_net;    /* Origin-Realm's network (spoofing: differs from `from`) */
    int host_net;     /* Origin-Host's network */
    int to;           /* Destination-Realm's network */
    const char *imsi; /* User-Name, or NULL */
    int plmn;         /* Visited-PLMN-Id network, -1 none */
} dreq;

/* A request and, unless it is an attack, its answer; both queued. Returns the request. */
static dmsg *diameter(ssgw_dattack_gen *g, const dreq *r, bool answer)
{
    dmsg *m = push(g);
    ssgw_buf b;
    ssgw_buf_init(&b, m->bytes, sizeof m->bytes);
    ssgw_diam_enc e;
    uint32_t hbh = ++g->hbh;
    char oh[96], orl[64], dr[64], sid[128];
    host(r->host_net, r->node, oh, sizeof oh);
    realm(r->realm_net, orl, sizeof orl);
    realm(r->to, dr, sizeof dr);
    snprintf(sid, sizeof sid, "%s;%u;%llu", oh, hbh, (unsigned long long)g->instance);
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R | SSGW_DIAM_FLAG_P, r->code, r->app, hbh, hbh);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_SESSION_ID, 0, sid);
    if (r->app == SSGW_DIAM_APP_S6A) {
        ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0);
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_VENDOR_ID, 0, SSGW_DIAM_VENDOR_3GPP);
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_AUTH_APPLICATION_ID, 0, SSGW_DIAM_APP_S6A);
        ssgw_diam_enc_group_end(&e);
    } else {
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_AUTH_APPLICATION_ID, 0, r->app);
    }
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_AUTH_SESSION_STATE, 0, 1);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, oh);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, orl);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_DESTINATION_REALM, 0, dr);
    if (r->imsi) ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_USER_NAME, 0, r->imsi);
    uint32_t v = SSGW_DIAM_VENDOR_3GPP;
    switch (r->code) {
    case SSGW_DIAM_CMD_UPDATE_LOCATION:
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_RAT_TYPE, v, 1004);
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_ULR_FLAGS, v, 0x22);
        break;
    case SSGW_DIAM_CMD_INSERT_SUBSCRIBER_DATA:
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_IDR_FLAGS, v, 0x1c); /* location, state, time zone */
        ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_SUBSCRIPTION_DATA, v);
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_SUBSCRIBER_STATUS, v, 0);
        ssgw_diam_enc_group_end(&e);
        break;
    case SSGW_DIAM_CMD_CANCEL_LOCATION:
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_CANCELLATION_TYPE, v, 0);
        break;
    case SSGW_DIAM_CMD_DELETE_SUBSCRIBER_DATA:
        ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_DSR_FLAGS, v, 0x8);
        break;
    default:
        break;
    }
    if (r->plmn >= 0) {
        uint8_t pl[3];
        set_plmn(pl, r->plmn);
        ssgw_diam_enc_avp(&e, SSGW_DIAM_AVP_VISITED_PLMN_ID, v, pl, 3);
    }
    long n = ssgw_diam_enc_end(&e);
    m->len = n > 0 ? (size_t)n : 0;
    m->inbound = r->to == HOME;
    m->net = m->inbound ? r->from : r->to;
    const char *ab = ssgw_diam_cmd_abbrev(r->code, true);
    m->what = ab ? ab : "request";
    if (r->imsi) snprintf(m->imsi, sizeof m->imsi, "%s", r->imsi);
    if (!answer) return m;
    /* the answer: from the destination's node, back to the sender */
    dmsg *a = push(g);
    ssgw_buf_init(&b, a->bytes, sizeof a->bytes);
    char ah[96], ar[64];
    host(r->to,
         r->code == SSGW_DIAM_CMD_UPDATE_LOCATION || r->code == SSGW_DIAM_CMD_PURGE_UE ||
                 r->code == SSGW_DIAM_CMD_AUTHENTICATION_INFORMATION ||
                 r->code == SSGW_DIAM_CMD_NOTIFY
             ? "hss1"
             : "mme1",
         ah, sizeof ah);
    realm(r->to, ar, sizeof ar);
    ssgw_diam_answer_spec spec = {SSGW_DIAM_SUCCESS, 0, ah, ar, NULL};
    long an = ssgw_diam_answer(&b, m->bytes, m->len, &spec);
    a->len = an > 0 ? (size_t)an : 0;
    a->inbound = !m->inbound;
    a->net = m->net;
    const char *aa = ssgw_diam_cmd_abbrev(r->code, false);
    a->what = aa ? aa : "answer";
    memcpy(a->imsi, m->imsi, sizeof a->imsi);
    return m;
}

/* A MAP Begin with one invoke (updateLocation from net's VLR to our HLR, or
 * provideSubscriberInfo from net's "HLR" to our VLR), inbound to point code 1001. */
static dmsg *map_begin(ssgw_dattack_gen *g, int op, int net, const char *imsi)
{
    dmsg *m = push(g);
    ssgw_buf b;
    ssgw_buf_init(&b, m->bytes, sizeof m->bytes);
    bool ul = op == SSGW_MAP_OP_UPDATE_LOCATION;
    char from_gt[16], to_gt[16], vlr[16], msc[16];
    snprintf(from_gt, sizeof from_gt, "%s%s", nets[net].gt, ul ? "000010" : "000001");
    snprintf(to_gt, sizeof to_gt, "%s%s", nets[HOME].gt, ul ? "000001" : "000010");
    snprintf(vlr, sizeof vlr, "%s000010", nets[net].gt);
    snprintf(msc, sizeof msc, "%s000011", nets[net].gt);
    ssgw_tcap_msg t;
    memset(&t, 0, sizeof t);
    t.type = SSGW_TCAP_BEGIN;
    ssgw_tcap_tid_set(&t.otid, 0x5d000000u + ++g->tid, 4);
    t.dialogue_present = true;
    ssgw_map_msg_dialogue(&t.dialogue, SSGW_TCAP_DLG_AARQ,
                          ul ? SSGW_MAP_AC_NETWORK_LOC_UP : SSGW_MAP_AC_SUBSCRIBER_INFO_ENQUIRY, 3,
                          g->oid_mem);
    ssgw_map_fields f;
    ssgw_map_fields_init(&f);
    snprintf(f.imsi, sizeof f.imsi, "%s", imsi);
    if (ul) {
        ssgw_map_addr_set(&f.msc_number, msc, 1, 1);
        ssgw_map_addr_set(&f.vlr_number, vlr, 1, 1);
    }
    ssgw_tcap_component c;
    ssgw_buf pb;
    ssgw_buf_init(&pb, g->param_mem, sizeof g->param_mem);
    ssgw_map_msg_component(&c, SSGW_TCAP_COMP_INVOKE, 1, op, 3, &f, &pb);
    uint32_t rc = 100u + (uint32_t)(nets[net].pc - 2000);
    ssgw_map_route route = {.return_on_error = true,
                            .opc = nets[net].pc,
                            .dpc = nets[HOME].pc,
                            .ni = 0,
                            .sls = (uint8_t)(g->tid & 0x0f),
                            .routing_context = &rc};
    ssgw_sccp_addr_gt(&route.called, to_gt, ul ? 6 : 7);
    ssgw_sccp_addr_gt(&route.calling, from_gt, ul ? 7 : 6);
    ssgw_error err;
    if (ssgw_map_msg_encode(&b, &route, &t, &c, 1, &err) == 0 && !b.overflow) m->len = b.len;
    m->map = true;
    m->inbound = true;
    m->net = net;
    m->what = ssgw_map_op_name(op);
    snprintf(m->imsi, sizeof m->imsi, "%s", imsi);
    return m;
}

static int other_partner(ssgw_dattack_gen *g, int not )
{
    int p;
    do
        p = FIRST_PARTNER + (int)ssgw_rng_below(&g->rng, N_PARTNERS);
    while (p == not );
    return p;
}

/* Our subscriber i attaches in network p (AIR/AIA, ULR/ULA, or a MAP updateLocation). */
static void attach(ssgw_dattack_gen *g, int i, int p, bool by_map)
{
    char imsi[16];
    our_imsi(i, imsi);
    if (by_map) {
        map_begin(g, SSGW_MAP_OP_UPDATE_LOCATION, p, imsi);
    } else {
        dreq air = {SSGW_DIAM_CMD_AUTHENTICATION_INFORMATION,
                    SSGW_DIAM_APP_S6A,
                    p,
                    "mme1",
                    p,
                    p,
                    HOME,
                    imsi,
                    p};
        diameter(g, &air, true);
        dreq ulr = air;
        ulr.code = SSGW_DIAM_CMD_UPDATE_LOCATION;
        diameter(g, &ulr, true);
    }
    g->our[i].moved_ms = g->now_ms; /* the firewall's location time is the last registration */
    g->our[i].net = (int8_t)p;
    g->our[i].by_map = by_map;
}

/* A subscriber of ours that may move now, and a network it may plausibly attach in. */
static int pick_sub(ssgw_dattack_gen *g)
{
    if (g->o.fresh_subscribers) return g->next_fresh++ % OUR_SUBS;
    return (int)ssgw_rng_below(&g->rng, OUR_SUBS);
}

static int mover(ssgw_dattack_gen *g, int *p)
{
    int i = pick_sub(g);
    sub *s = &g->our[i];
    if (s->net < 0 || g->now_ms - s->moved_ms >= MOVE_GAP_MS)
        *p = FIRST_PARTNER + (int)ssgw_rng_below(&g->rng, N_PARTNERS);
    else
        *p = s->net;
    return i;
}

/* One of our subscribers registered somewhere by Diameter (attaching one when needed). */
static int registered(ssgw_dattack_gen *g, int *p)
{
    int i = mover(g, p);
    if (g->our[i].net < 0 || g->our[i].by_map || g->our[i].net != *p) attach(g, i, *p, false);
    *p = g->our[i].net;
    return i;
}

static void legit(ssgw_dattack_gen *g)
{
    int p, i;
    char imsi[16];
    uint32_t r = ssgw_rng_below(&g->rng, 100);
    if (r < 35) { /* attach (a fifth of them by MAP) */
        i = mover(g, &p);
        attach(g, i, p, ssgw_rng_below(&g->rng, 5) == 0);
        return;
    }
    if (r < 55) { /* PUR or NOR from where the subscriber is */
        i = registered(g, &p);
        our_imsi(i, imsi);
        dreq q = {r < 45 ? SSGW_DIAM_CMD_PURGE_UE : SSGW_DIAM_CMD_NOTIFY,
                  SSGW_DIAM_APP_S6A,
                  p,
                  "mme1",
                  p,
                  p,
                  HOME,
                  imsi,
                  -1};
        diameter(g, &q, true);
        return;
    }
    /* a partner's subscriber visiting us, managed by its home HSS */
    p = FIRST_PARTNER + (int)ssgw_rng_below(&g->rng, N_PARTNERS);
    visitor_imsi(p, (int)ssgw_rng_below(&g->rng, VISITOR_SUBS), imsi);
    uint32_t cmd = r < 80   ? SSGW_DIAM_CMD_INSERT_SUBSCRIBER_DATA
                   : r < 90 ? SSGW_DIAM_CMD_DELETE_SUBSCRIBER_DATA
                            : SSGW_DIAM_CMD_CANCEL_LOCATION;
    dreq q = {cmd, SSGW_DIAM_APP_S6A, p, "hss1", p, p, HOME, imsi, -1};
    diameter(g, &q, true);
}

static void label(dmsg *m, int id)
{
    m->attack = true;
    m->attack_id = id;
    m->scenario = dcatalogue[id].name;
    m->check = dcatalogue[id].check;
}

static void attack(ssgw_dattack_gen *g, int id)
{
    int p, q, i = 0;
    char imsi[16];
    dmsg *m = NULL;
    switch (id) {
    case DA_TRACK_IDR:
    case DA_DOS_CLR: {
        i = registered(g, &p);
        our_imsi(i, imsi);
        q = other_partner(g, -1);
        dreq r = {id == DA_TRACK_IDR ? SSGW_DIAM_CMD_INSERT_SUBSCRIBER_DATA
                                     : SSGW_DIAM_CMD_CANCEL_LOCATION,
                  SSGW_DIAM_APP_S6A,
                  q,
                  "hss1",
                  q,
                  q,
                  HOME,
                  imsi,
                  -1};
        m = diameter(g, &r, false);
        break;
    }
    case DA_TRACK_IDR_ROAMER:
        p = other_partner(g, -1);
        q = other_partner(g, p);
        visitor_imsi(p, (int)ssgw_rng_below(&g->rng, VISITOR_SUBS), imsi);
        m = diameter(g,
                     &(dreq){SSGW_DIAM_CMD_INSERT_SUBSCRIBER_DATA, SSGW_DIAM_APP_S6A, q, "hss1", q,
                             q, HOME, imsi, -1},
                     false);
        break;
    case DA_DOS_PUR:
        i = registered(g, &p);
        our_imsi(i, imsi);
        q = other_partner(g, p);
        m = diameter(
            g, &(dreq){SSGW_DIAM_CMD_PURGE_UE, SSGW_DIAM_APP_S6A, q, "mme1", q, q, HOME, imsi, -1},
            false);
        break;
    case DA_SPOOF_HOME_REALM:
        our_imsi(pick_sub(g), imsi);
        m = diameter(g,
                     &(dreq){SSGW_DIAM_CMD_UPDATE_LOCATION, SSGW_DIAM_APP_S6A, ROGUE, "mme1", HOME,
                             HOME, HOME, imsi, HOME},
                     false);
        m->net = ROGUE;
        break;
    case DA_SPOOF_NONMEMBER:
        our_imsi(pick_sub(g), imsi);
        m = diameter(g,
                     &(dreq){SSGW_DIAM_CMD_AUTHENTICATION_INFORMATION, SSGW_DIAM_APP_S6A, ROGUE,
                             "mme1", ROGUE, ROGUE, HOME, imsi, ROGUE},
                     false);
        break;
    case DA_SPOOF_HOST:
        i = mover(g, &p);
        our_imsi(i, imsi);
        q = other_partner(g, p);
        m = diameter(g,
                     &(dreq){SSGW_DIAM_CMD_UPDATE_LOCATION, SSGW_DIAM_APP_S6A, p, "mme1", p, q,
                             HOME, imsi, p},
                     false);
        break;
    case DA_IMSI_REALM:
        p = other_partner(g, -1);
        q = other_partner(g, p);
        visitor_imsi(q, (int)ssgw_rng_below(&g->rng, VISITOR_SUBS), imsi);
        m = diameter(g,
                     &(dreq){SSGW_DIAM_CMD_AUTHENTICATION_INFORMATION, SSGW_DIAM_APP_S6A, p, "mme1",
                             p, p, HOME, imsi, p},
                     false);
        break;
    case DA_PLMN_MISMATCH:
        i = mover(g, &p);
        our_imsi(i, imsi);
        q = other_partner(g, p);
        m = diameter(g,
                     &(dreq){SSGW_DIAM_CMD_UPDATE_LOCATION, SSGW_DIAM_APP_S6A, p, "mme1", p, p,
                             HOME, imsi, q},
                     false);
        break;
    case DA_VELOCITY:
    case DA_MAP_THEN_DIAMETER:
    case DA_DIAMETER_THEN_MAP: {
        /* a fresh registration (the prelude), then minutes later the forged one */
        i = pick_sub(g);
        p = other_partner(g, g->our[i].net);
        g->now_ms += MOVE_GAP_MS; /* the prelude itself is a plausible move */
        attach(g, i, p, id == DA_MAP_THEN_DIAMETER);
        g->now_ms += 60000 * (2 + ssgw_rng_below(&g->rng, 10));
        q = other_partner(g, p);
        our_imsi(i, imsi);
        if (id == DA_DIAMETER_THEN_MAP)
            m = map_begin(g, SSGW_MAP_OP_UPDATE_LOCATION, q, imsi);
        else
            m = diameter(g,
                         &(dreq){SSGW_DIAM_CMD_UPDATE_LOCATION, SSGW_DIAM_APP_S6A, q, "mme1", q, q,
                                 HOME, imsi, q},
                         false);
        break;
    }
    case DA_UNKNOWN_APP:
        m = diameter(g, &(dreq){272, 16777238, ROGUE, "pcef1", ROGUE, ROGUE, HOME, NULL, -1},
                     false);
        m->what = "CCR";
        break;
    case DA_ONE_INCIDENT:
    default:
        i = pick_sub(g);
        our_imsi(i, imsi);
        m = map_begin(g, SSGW_MAP_OP_PROVIDE_SUBSCRIBER_INFO, ROGUE, imsi);
        label(m, id);
        m->check = "cat2.own_subscriber";
        q = other_partner(g, -1);
        m = diameter(g,
                     &(dreq){SSGW_DIAM_CMD_INSERT_SUBSCRIBER_DATA, SSGW_DIAM_APP_S6A, q, "hss1", q,
                             q, HOME, imsi, -1},
                     false);
        break;
    }
    label(m, id);
}

void ssgw_dattack_free(ssgw_dattack_gen *g)
{
    free(g);
}

ssgw_dattack_gen *ssgw_dattack_new(const ssgw_attack_opts *o)
{
    ssgw_dattack_gen *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->o = *o;
    ssgw_rng_seed(&g->rng, o->seed ^ 0xd1a3e7e5ull);
    g->now_ms = (uint64_t)o->start_sec * 1000u;
    double total_ms = o->duration_h * 3600e3;
    g->gap_ms = o->count ? (uint64_t)(total_ms / (double)o->count) * 2 : 1000;
    for (int i = 0; i < OUR_SUBS; i++)
        g->our[i].net = -1;
    return g;
}

/* The next message (its bytes in m->bytes). */
static const dmsg *next(ssgw_dattack_gen *g)
{
    while (g->qh == g->qt) {
        g->qh = g->qt = 0;
        g->instance++;
        g->now_ms += gap(g);
        double u = (double)ssgw_rng_below(&g->rng, 1000000) / 1e6;
        if (u < g->o.attack_ratio) {
            int allowed[N_DATTACKS], n = 0;
            for (int k = 0; k < N_DATTACKS; k++)
                if (!g->o.only_mask || (g->o.only_mask >> k & 1)) allowed[n++] = k;
            if (n) {
                attack(g, allowed[ssgw_rng_below(&g->rng, (uint32_t)n)]);
                continue;
            }
        }
        legit(g);
    }
    return &g->q[g->qh++ % QUEUE];
}

/* ---- writing ---------------------------------------------------------------------------- */

static void endpoints(const dmsg *m, ssgw_pcap_endpoints *ep)
{
    memset(ep, 0, sizeof *ep);
    uint32_t us = 0x0a000001, them = 0x0a010000u + (uint32_t)m->net;
    uint16_t port = m->map ? 2905 : SSGW_DIAM_PORT;
    ep->src_ip4 = m->inbound ? them : us;
    ep->dst_ip4 = m->inbound ? us : them;
    ep->src_port = m->inbound ? (uint16_t)(40000 + m->net) : port;
    ep->dst_port = m->inbound ? port : (uint16_t)(40000 + m->net);
    ep->vtag = 0x44410000u + (uint32_t)m->net * 2 + m->inbound;
}

static void label_json(const dmsg *m, uint64_t frame, ssgw_json *j)
{
    ssgw_json_int(j, "frame", (long long)frame);
    ssgw_json_str(j, "label", m->attack ? "attack" : "legit");
    if (m->attack) ssgw_json_str(j, "attack", m->scenario);
    ssgw_json_str(j, "check", m->check);
    ssgw_json_array_begin(j, "also");
    if (m->attack)
        for (int k = 0; k < (int)(sizeof dcatalogue[0].also / sizeof dcatalogue[0].also[0]) &&
                        dcatalogue[m->attack_id].also[k];
             k++)
            if (strcmp(dcatalogue[m->attack_id].also[k], m->check))
                ssgw_json_str(j, NULL, dcatalogue[m->attack_id].also[k]);
    if (m->attack && strcmp(dcatalogue[m->attack_id].check, m->check))
        ssgw_json_str(j, NULL, dcatalogue[m->attack_id].check);
    ssgw_json_array_end(j);
    ssgw_json_str(j, "protocol", m->map ? "map" : "diameter");
    ssgw_json_str(j, "msg", m->what ? m->what : "");
    ssgw_json_str(j, "dir", m->inbound ? "in" : "out");
    ssgw_json_str(j, "network", nets[m->net].name);
    ssgw_json_int(j, "instance", (long long)m->instance);
    if (m->imsi[0]) ssgw_json_str(j, "imsi", m->imsi);
}

int ssgw_dattack_write(const ssgw_attack_opts *o, const char *pcap_path, const char *labels_path,
                       ssgw_attack_stats *st, char *errbuf, size_t errlen)
{
    memset(st, 0, sizeof *st);
    ssgw_dattack_gen *g = ssgw_dattack_new(o);
    if (!g) return snprintf(errbuf, errlen, "out of memory"), -1;
    ssgw_pcap_writer *w = ssgw_pcap_writer_open(pcap_path, SSGW_LINKTYPE_ETHERNET, errbuf, errlen);
    FILE *lf = labels_path ? fopen(labels_path, "w") : NULL;
    if (!w || (labels_path && !lf)) {
        if (w) ssgw_pcap_writer_close(w);
        if (labels_path && !lf) snprintf(errbuf, errlen, "%s: cannot create", labels_path);
        ssgw_dattack_free(g);
        return -1;
    }
    uint32_t tsn[N_NETS][2][2] = {{{0}}};
    int rc = 0;
    for (uint64_t i = 0; i < o->count; i++) {
        const dmsg *m = next(g);
        if (!m->len) {
            snprintf(errbuf, errlen, "message %llu (%s): the encoder refused it (a bug)",
                     (unsigned long long)i, m->what ? m->what : "?");
            rc = -1;
            break;
        }
        ssgw_pcap_endpoints ep;
        endpoints(m, &ep);
        ssgw_pcap_chunk c = {.tsn = 1000 + tsn[m->net][m->map][m->inbound]++,
                             .stream = 1,
                             .ppid = m->map ? SSGW_SCTP_PPID_M3UA : SSGW_SCTP_PPID_DIAM,
                             .flags = SSGW_PCAP_CHUNK_WHOLE,
                             .data = m->bytes,
                             .len = m->len};
        if (ssgw_pcap_write_sctp_chunks(w, (uint32_t)(m->at_ms / 1000),
                                        (uint32_t)(m->at_ms % 1000) * 1000, &ep, &c, 1) < 0) {
            snprintf(errbuf, errlen, "%s: %s", pcap_path, ssgw_pcap_writer_error(w));
            rc = -1;
            break;
        }
        if (lf) {
            char line[1024];
            ssgw_json j;
            ssgw_json_begin(&j, line, sizeof line);
            label_json(m, i + 1, &j);
            if (ssgw_json_end(&j) > 0) fprintf(lf, "%s\n", line);
        }
        st->messages++;
        st->inbound += m->inbound;
        if (m->attack) {
            st->attacks++;
            st->per_attack[m->attack_id]++;
        } else {
            st->legit++;
        }
    }
    if (ssgw_pcap_writer_close(w) < 0 && rc == 0) rc = -1, snprintf(errbuf, errlen, "write failed");
    if (lf && fclose(lf) != 0 && rc == 0) rc = -1, snprintf(errbuf, errlen, "write failed");
    ssgw_dattack_free(g);
    return rc;
}

int ssgw_dattack_parse_only(const char *list, uint64_t *mask, char *bad, size_t badcap)
{
    *mask = 0;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        bool any = false;
        size_t n = strlen(t);
        for (int k = 0; k < N_DATTACKS; k++) {
            const char *nm = dcatalogue[k].name;
            if (!strcmp(t, "all") || !strcmp(nm, t) || (!strncmp(nm, t, n) && nm[n] == '.')) {
                *mask |= 1ull << k;
                any = true;
            }
        }
        if (!any) {
            snprintf(bad, badcap, "%s", t);
            return -1;
        }
    }
    return 0;
}
