/*
 * learn.c - learn mode (include/ssgw/learn.h, docs/checks.md "Learn mode"): what the
 * firewall let through, turned into the configuration that lets it through.
 *
 * Rates. For each rate-limited key class (the keys of rate.calling_gt, rate.imsi,
 * rate.operation and sms.sri_sm_rate, counted on the messages those checks count) every
 * key keeps 9 counters of an eighth of the class's period each: their sum after a message
 * covers at least the whole period before it, so the highest sum seen (the key's peak) is
 * never below the most messages the key had in any window of one period. A token bucket
 * of that many tokens per period, full at the start, refuses none of the key's messages
 * (within any window it never needs more than it holds; across windows it refills as
 * fast). The proposed limit is the [learn] rate_percentile of the keys' peaks, plus one
 * token and 0.1 % for the bucket's milli-token rounding.
 *
 * Partners. Every GT that talks to us is attributed to a network: a partner of the policy
 * (by its prefixes), or, for a GT of no partner, a proposed one named after the GT's first
 * [learn] prefix_digits digits. Evidence that two of these are one network joins them
 * (union-find): an IMSI's MCC-MNC in a category 2 operation (sent by the subscriber's home
 * network) or in an operation our VLR sends to the subscriber's HLR; a VLR, MSC or SGSN
 * number in a location update and the service centre of an mt-forwardSM (they belong to
 * the sender's network). Two partners of the policy are never joined: the evidence is
 * written as a comment instead. Per network: the point codes its traffic arrived from,
 * the operations it sent (category 1 ones become its `allow`), MCC-MNCs, and network
 * element GTs by subsystem (6 HLR, 7 VLR, 8 MSC, 147 gsmSCF, 149 SGSN; the senders of
 * sendRoutingInfoForSM / mt-forwardSM and service centres are SMSCs; in CAP, where both
 * ends use SSN 146, the gsmSCF is the sender of a from-scf operation and the receiver of
 * a to-scf one, by the CAP table).
 */
#include "ssgw/learn.h"

#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"
#include "ssgw/digits.h"
#include "ssgw/map.h"
#include "ssgw/timefmt.h"

/* ---- rate classes ---------------------------------------------------------------------- */

enum { RC_CALLING_GT, RC_IMSI, RC_OPERATION, RC_SRI_SM, RC_COUNT };
#define SUBS 9 /* counters per key: SUBS - 1 eighths of the period, plus the current one */

static const struct {
    const char *key;   /* the [rate] key */
    const char *check; /* the check that uses it */
    const char *what;  /* a key of the class, for comments */
    uint32_t default_period;
} rate_info[RC_COUNT] = {
    {"calling_gt", "rate.calling_gt", "calling GT", 1},
    {"imsi", "rate.imsi", "IMSI", 60},
    {"operation", "rate.operation", "MAP operation", 60},
    {"sri_sm_per_msisdn", "sms.sri_sm_rate", "MSISDN", 600},
};

typedef struct {
    uint64_t key; /* 0: empty */
    uint64_t sub; /* index of the current sub-window */
    uint32_t c[SUBS];
    uint32_t peak;
} rate_slot;

typedef struct {
    rate_slot *t;
    size_t cap, n; /* cap: a power of two, or 0 */
    uint32_t period_s;
    uint64_t untracked;
} rate_class;

/* ---- networks -------------------------------------------------------------------------- */

enum { NR_HLR, NR_VLR, NR_MSC, NR_SMSC, NR_GSMSCF, NR_SGSN, NR_COUNT };
static const char *const role_key[NR_COUNT] = {"hlr", "vlr", "msc", "smsc", "gsmscf", "sgsn"};
#define MAX_NODES 256 /* per role and network: what a [[partner]] list holds */
#define MAX_PCS   64

typedef struct {
    char (*v)[16];
    size_t n;
} gt_list;

typedef struct {
    char *name; /* a partner of the policy, or NULL: a GT prefix of no partner */
    char prefix[16];
    int parent; /* union-find */
    uint64_t in, out;
    uint16_t pcs[MAX_PCS];
    size_t npcs;
    uint32_t ops[128]; /* inbound invokes per MAP opcode */
    char (*mcc)[8];
    size_t nmcc;
    gt_list nodes[NR_COUNT];
} network;

typedef struct {
    uint64_t h; /* 0: empty */
    int idx;
} map_slot;

typedef struct {
    map_slot *t;
    size_t cap, n;
} strmap;

struct ssgw_learner {
    uint64_t period_ms, first_ms, last_ms, messages;
    bool started, frozen;
    uint32_t pct_milli;
    size_t prefix_digits, max_keys;
    uint64_t untracked;
    rate_class rc[RC_COUNT];
    network *nets;
    size_t nnets, capnets;
    strmap by_key; /* "P" + partner name / "C" + prefix -> network */
    strmap by_mcc; /* MCC-MNC -> index in mccs */
    struct {
        char mcc[8];
        int net; /* the first network it was seen with */
    } * mccs;
    size_t nmccs;
    char **notes; /* evidence that did not join two partners */
    size_t nnotes;
};

const char *ssgw_policy_learn_output(const ssgw_policy *p)
{
    return p->learn_output;
}

uint64_t ssgw_policy_learn_period_ms(const ssgw_policy *p)
{
    return (uint64_t)(p->learn_period > 0 ? p->learn_period : 604800) * 1000u;
}

ssgw_learner *ssgw_learner_new(const ssgw_policy *p)
{
    ssgw_learner *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->period_ms = ssgw_policy_learn_period_ms(p);
    l->pct_milli = p->learn_pct_milli ? p->learn_pct_milli : 99900;
    l->prefix_digits = p->learn_prefix_digits > 0 ? (size_t)p->learn_prefix_digits : 6;
    l->max_keys = p->learn_max_keys > 0 ? (size_t)p->learn_max_keys : 262144;
    const rate_spec *rs[RC_COUNT] = {&p->rate_calling_gt, &p->rate_imsi, &p->rate_operation,
                                     &p->rate_sri_sm};
    for (int c = 0; c < RC_COUNT; c++)
        l->rc[c].period_s = rs[c]->limit ? rs[c]->period : rate_info[c].default_period;
    return l;
}

void ssgw_learner_free(ssgw_learner *l)
{
    if (!l) return;
    for (int c = 0; c < RC_COUNT; c++)
        free(l->rc[c].t);
    for (size_t i = 0; i < l->nnets; i++) {
        free(l->nets[i].name);
        free(l->nets[i].mcc);
        for (int r = 0; r < NR_COUNT; r++)
            free(l->nets[i].nodes[r].v);
    }
    free(l->nets);
    free(l->by_key.t);
    free(l->by_mcc.t);
    free(l->mccs);
    for (size_t i = 0; i < l->nnotes; i++)
        free(l->notes[i]);
    free(l->notes);
    free(l);
}

void ssgw_learner_get_stats(const ssgw_learner *l, ssgw_learner_stats *out)
{
    memset(out, 0, sizeof *out);
    out->messages = l->messages;
    out->first_ms = l->first_ms;
    out->last_ms = l->last_ms;
    out->period_ms = l->period_ms;
    out->frozen = l->frozen;
    out->untracked = l->untracked;
    for (int c = 0; c < RC_COUNT; c++)
        out->untracked += l->rc[c].untracked;
    for (size_t i = 0; i < l->nnets; i++)
        out->partners += l->nets[i].parent == (int)i;
}

bool ssgw_learner_period_over(const ssgw_learner *l, uint64_t now_ms)
{
    return l->started && now_ms >= l->first_ms + l->period_ms;
}

void ssgw_learner_freeze(ssgw_learner *l)
{
    l->frozen = true;
}

/* ---- rates ----------------------------------------------------------------------------- */

static size_t slot_of(uint64_t key, size_t cap)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
}

/* The slot of key, inserted when new; NULL beyond max_keys or without memory. */
static rate_slot *rate_find(ssgw_learner *l, rate_class *c, uint64_t key)
{
    if (c->cap) {
        for (size_t i = slot_of(key, c->cap);; i = (i + 1) & (c->cap - 1)) {
            if (c->t[i].key == key) return &c->t[i];
            if (!c->t[i].key) break;
        }
    }
    if (c->n >= l->max_keys) return NULL;
    if ((c->n + 1) * 2 > c->cap) { /* grow: load at most a half */
        size_t nc = c->cap ? c->cap * 2 : 1024;
        rate_slot *nt = calloc(nc, sizeof *nt);
        if (!nt) return NULL;
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->t[i].key) continue;
            size_t j = slot_of(c->t[i].key, nc);
            while (nt[j].key)
                j = (j + 1) & (nc - 1);
            nt[j] = c->t[i];
        }
        free(c->t);
        c->t = nt;
        c->cap = nc;
    }
    size_t i = slot_of(key, c->cap);
    while (c->t[i].key)
        i = (i + 1) & (c->cap - 1);
    c->t[i].key = key;
    c->n++;
    return &c->t[i];
}

static void rate_add(ssgw_learner *l, int cls, uint64_t key, uint64_t now_ms)
{
    rate_class *c = &l->rc[cls];
    if (!key) return;
    uint64_t sub_ms = (uint64_t)c->period_s * 1000u / (SUBS - 1);
    uint64_t s = now_ms / (sub_ms ? sub_ms : 1);
    rate_slot *r = rate_find(l, c, key);
    if (!r) {
        c->untracked++;
        return;
    }
    if (r->peak == 0) r->sub = s; /* new: every message raises the peak to 1 at least */
    if (s > r->sub) {
        uint64_t shift = s - r->sub;
        if (shift >= SUBS)
            memset(r->c, 0, sizeof r->c);
        else
            for (uint64_t j = 1; j <= shift; j++)
                r->c[(r->sub + j) % SUBS] = 0;
        r->sub = s;
    } /* a little out of order (inspection threads): counted in the current window */
    r->c[r->sub % SUBS]++;
    uint32_t sum = 0;
    for (int j = 0; j < SUBS; j++)
        sum += r->c[j];
    if (sum > r->peak) r->peak = sum;
}

/* ---- networks -------------------------------------------------------------------------- */

static uint64_t str_hash(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *s = a; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    for (const char *s = b; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

/* Finds (or, with add, inserts with value *idx) the entry hashed h whose owner matches
 * (same(idx) says so). Returns the value, or -1. */
static int map_get(strmap *m, uint64_t h, int (*same)(void *, int), void *ctx, int add_idx)
{
    if (m->cap) {
        for (size_t i = slot_of(h, m->cap);; i = (i + 1) & (m->cap - 1)) {
            if (!m->t[i].h) break;
            if (m->t[i].h == h && same(ctx, m->t[i].idx)) return m->t[i].idx;
        }
    }
    if (add_idx < 0) return -1;
    if ((m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 256;
        map_slot *nt = calloc(nc, sizeof *nt);
        if (!nt) return -1;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->t[i].h) continue;
            size_t j = slot_of(m->t[i].h, nc);
            while (nt[j].h)
                j = (j + 1) & (nc - 1);
            nt[j] = m->t[i];
        }
        free(m->t);
        m->t = nt;
        m->cap = nc;
    }
    size_t i = slot_of(h, m->cap);
    while (m->t[i].h)
        i = (i + 1) & (m->cap - 1);
    m->t[i].h = h;
    m->t[i].idx = add_idx;
    m->n++;
    return add_idx;
}

typedef struct {
    ssgw_learner *l;
    const char *name, *prefix;
} net_key;

static int same_net(void *ctx, int idx)
{
    const net_key *k = ctx;
    const network *n = &k->l->nets[idx];
    return k->name ? n->name && !strcmp(n->name, k->name)
                   : !n->name && !strcmp(n->prefix, k->prefix);
}

static int find_root(ssgw_learner *l, int i)
{
    while (l->nets[i].parent != i) {
        l->nets[i].parent = l->nets[l->nets[i].parent].parent;
        i = l->nets[i].parent;
    }
    return i;
}

/* The network of a partner (name) or of a prefix of no partner; -1 beyond the caps. */
static int net_of(ssgw_learner *l, const char *name, const char *prefix)
{
    net_key k = {l, name, prefix};
    uint64_t h = str_hash(name ? "P" : "C", name ? name : prefix);
    int i = map_get(&l->by_key, h, same_net, &k, -1);
    if (i >= 0) return i;
    if (l->nnets >= l->max_keys) {
        l->untracked++;
        return -1;
    }
    if (l->nnets == l->capnets) {
        size_t nc = l->capnets ? l->capnets * 2 : 64;
        network *nn = realloc(l->nets, nc * sizeof *nn);
        if (!nn) return -1;
        l->nets = nn;
        l->capnets = nc;
    }
    network *n = &l->nets[l->nnets];
    memset(n, 0, sizeof *n);
    n->parent = (int)l->nnets;
    if (name) {
        size_t nl = strlen(name) + 1;
        if (!(n->name = malloc(nl))) return -1;
        memcpy(n->name, name, nl);
    } else {
        snprintf(n->prefix, sizeof n->prefix, "%s", prefix);
    }
    if (map_get(&l->by_key, h, same_net, &k, (int)l->nnets) < 0) {
        free(n->name);
        return -1;
    }
    return (int)l->nnets++;
}

/* The network a GT belongs to (NULL: ours, none, or beyond the caps). */
static int net_of_gt(ssgw_learner *l, const ssgw_check_ctx *cx, const char *gt, uint16_t owner)
{
    if (!gt || !gt[0] || owner == OWNER_HOME) return -1;
    const party *pa = owner >= OWNER_PARTNER(0) ? policy_party(cx->p, owner) : NULL;
    if (pa) return net_of(l, pa->name, NULL);
    char pfx[16];
    size_t n = strlen(gt);
    if (n > l->prefix_digits) n = l->prefix_digits;
    if (n >= sizeof pfx) n = sizeof pfx - 1;
    memcpy(pfx, gt, n);
    pfx[n] = '\0';
    return net_of(l, NULL, pfx);
}

static void note(ssgw_learner *l, const char *fmt, const char *a, const char *b, const char *why)
{
    if (l->nnotes >= 100) return;
    char buf[400];
    snprintf(buf, sizeof buf, fmt, a, b, why);
    for (size_t i = 0; i < l->nnotes; i++)
        if (!strcmp(l->notes[i], buf)) return;
    char **nn = realloc(l->notes, (l->nnotes + 1) * sizeof *nn);
    if (!nn) return;
    l->notes = nn;
    size_t len = strlen(buf) + 1;
    if ((l->notes[l->nnotes] = malloc(len))) memcpy(l->notes[l->nnotes++], buf, len);
}

/* Joins the networks a and b: the evidence (why) says they are one. */
static void join(ssgw_learner *l, int a, int b, const char *why)
{
    if (a < 0 || b < 0) return;
    int ra = find_root(l, a), rb = find_root(l, b);
    if (ra == rb) return;
    network *x = &l->nets[ra], *y = &l->nets[rb];
    if (x->name && y->name) {
        note(l, "%s and %s look like one network (%s): they stay apart", x->name, y->name, why);
        return;
    }
    int root = x->name ? ra : y->name ? rb : ra < rb ? ra : rb;
    l->nets[root == ra ? rb : ra].parent = root;
}

static void add_pc(network *n, uint32_t pc)
{
    for (size_t i = 0; i < n->npcs; i++)
        if (n->pcs[i] == pc) return;
    if (n->npcs < MAX_PCS && pc <= 16383) n->pcs[n->npcs++] = (uint16_t)pc;
}

static void add_node(ssgw_learner *l, network *n, int role, const char *gt)
{
    gt_list *g = &n->nodes[role];
    if (!gt[0] || strlen(gt) > 15) return;
    for (size_t i = 0; i < g->n; i++)
        if (!strcmp(g->v[i], gt)) return;
    if (g->n >= MAX_NODES) {
        l->untracked++;
        return;
    }
    if ((g->n & (g->n - 1)) == 0) { /* 0, 1, 2, 4, ...: grow */
        void *nv = realloc(g->v, (g->n ? g->n * 2 : 1) * sizeof *g->v);
        if (!nv) return;
        g->v = nv;
    }
    snprintf(g->v[g->n++], sizeof g->v[0], "%s", gt);
}

typedef struct {
    ssgw_learner *l;
    const char *mcc;
} mcc_key;

static int same_mcc(void *ctx, int idx)
{
    const mcc_key *k = ctx;
    return !strcmp(k->l->mccs[idx].mcc, k->mcc);
}

/* The IMSI's MCC-MNC belongs to network n (unless the policy already places it). */
static void add_mcc(ssgw_learner *l, const ssgw_check_ctx *cx, int n, const char *imsi)
{
    if (n < 0 || !imsi || strlen(imsi) < 6) return;
    int ml = ssgw_e212_mnc_len(imsi);
    char mcc[8];
    size_t len = (size_t)(3 + (ml == 3 ? 3 : 2));
    memcpy(mcc, imsi, len);
    mcc[len] = '\0';
    uint16_t owner;
    uint8_t roles;
    trie_lookup(&cx->p->imsi, mcc, &owner, &roles);
    if (owner != OWNER_NONE) {
        /* a network of the policy: the sender is part of it */
        const party *pa = owner != OWNER_HOME ? policy_party(cx->p, owner) : NULL;
        if (pa) join(l, n, net_of(l, pa->name, NULL), "subscribers of one MCC-MNC");
        return;
    }
    uint64_t h = str_hash("M", mcc);
    mcc_key k = {l, mcc};
    int first = map_get(&l->by_mcc, h, same_mcc, &k, -1);
    if (first >= 0) {
        join(l, l->mccs[first].net, n, "subscribers of one MCC-MNC");
        return;
    }
    if (l->nmccs >= l->max_keys) return;
    void *nm = realloc(l->mccs, (l->nmccs + 1) * sizeof *l->mccs);
    if (!nm) return;
    l->mccs = nm;
    memcpy(l->mccs[l->nmccs].mcc, mcc, len + 1);
    l->mccs[l->nmccs].net = n;
    if (map_get(&l->by_mcc, h, same_mcc, &k, (int)l->nmccs) < 0) return;
    l->nmccs++;
    network *x = &l->nets[n];
    for (size_t i = 0; i < x->nmcc; i++)
        if (!strcmp(x->mcc[i], mcc)) return;
    if (x->nmcc >= 64) return;
    void *nv = realloc(x->mcc, (x->nmcc + 1) * sizeof *x->mcc);
    if (!nv) return;
    x->mcc = nv;
    memcpy(x->mcc[x->nmcc++], mcc, len + 1);
}

/* A GT that belongs to the network of the sender n (a VLR number in its location update,
 * the service centre of its mt-forwardSM). */
static void affiliate(ssgw_learner *l, const ssgw_check_ctx *cx, int n, const char *gt, int role)
{
    if (n < 0 || !gt[0]) return;
    uint16_t owner;
    uint8_t roles;
    trie_lookup(&cx->p->gt, gt, &owner, &roles);
    if (owner == OWNER_HOME) return;
    int m = net_of_gt(l, cx, gt, owner);
    join(l, n, m, role == NR_SMSC ? "a service centre it uses" : "a VLR/MSC/SGSN it names");
    if (m >= 0) add_node(l, &l->nets[m], role, gt);
}

/* The role of the node that sends (or is sent) an invoke of op from (to) address a. */
static int role_of_ssn(const ssgw_sccp_addr *a, int op)
{
    if (!a->has_ssn || op < 0) return -1; /* results: SSN 8 could be an MSC or an SMSC */
    switch (a->ssn) {
    case 6:
        return NR_HLR;
    case 7:
        return NR_VLR;
    case 8:
        return op == SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM || op == SSGW_MAP_OP_MT_FORWARD_SM
                   ? NR_SMSC
                   : NR_MSC;
    case 147:
        return NR_GSMSCF;
    case 149:
        return NR_SGSN;
    default:
        return -1;
    }
}

/* Operations our VLR/SGSN sends to the subscriber's HLR, with the IMSI. */
static bool to_home_hlr(int op)
{
    return op == SSGW_MAP_OP_UPDATE_LOCATION || op == SSGW_MAP_OP_UPDATE_GPRS_LOCATION ||
           op == SSGW_MAP_OP_SEND_AUTHENTICATION_INFO || op == SSGW_MAP_OP_PURGE_MS ||
           op == SSGW_MAP_OP_RESTORE_DATA || op == SSGW_MAP_OP_READY_FOR_SM ||
           op == SSGW_MAP_OP_AUTHENTICATION_FAILURE_REPORT;
}

/* In a CAP message, the gsmSCF's end: the sender of a gsmSCF's order (from-scf) or the
 * receiver of a switch's request (to-scf). */
static bool cap_scf_end(const ssgw_view *v, bool sender)
{
    ssgw_tcap_op op;
    if (!v->has_tcap || v->tcap_user != SSGW_TCU_CAP) return false;
    return ssgw_cap_first_of_direction(v, sender ? SSGW_CAP_FROM_SCF : SSGW_CAP_TO_SCF, &op) >= 0;
}

static void observe_inbound(ssgw_learner *l, ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (v->has_tcap) rate_add(l, RC_CALLING_GT, cx->calling_key, cx->now_ms);
    bool map = cx->is_map && cx->op >= 0 && ssgw_check_need_map(cx) == 0;
    if (map) {
        rate_add(l, RC_IMSI, cx->imsi_key, cx->now_ms);
        rate_add(l, RC_OPERATION, (uint64_t)cx->op + 1, cx->now_ms);
        if (cx->op == SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM)
            rate_add(l, RC_SRI_SM, ssgw_store_pack_digits(v->map.msisdn.digits), cx->now_ms);
    }
    int n = net_of_gt(l, cx, cx->calling, cx->calling_owner);
    if (n < 0) return;
    network *x = &l->nets[n];
    x->in++;
    if (cx->has_peer) add_pc(x, cx->peer);
    int role = role_of_ssn(&v->sccp.calling, cx->op);
    if (cap_scf_end(v, true)) role = NR_GSMSCF;
    if (role >= 0) add_node(l, x, role, cx->calling);
    if (!map) return;
    for (unsigned i = 0; i < cx->n_invokes; i++)
        x->ops[cx->invoke_ops[i] & 127]++;
    const ssgw_map_fields *m = &v->map;
    if (cx->op == SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM || cx->op == SSGW_MAP_OP_MT_FORWARD_SM)
        add_node(l, &l->nets[n], NR_SMSC, cx->calling);
    if (cx->op == SSGW_MAP_OP_MT_FORWARD_SM) affiliate(l, cx, n, m->smsc_address.digits, NR_SMSC);
    if (cx->op == SSGW_MAP_OP_UPDATE_LOCATION || cx->op == SSGW_MAP_OP_UPDATE_GPRS_LOCATION) {
        affiliate(l, cx, n, m->vlr_number.digits, NR_VLR);
        affiliate(l, cx, n, m->msc_number.digits, NR_MSC);
        affiliate(l, cx, n, m->sgsn_number.digits, NR_SGSN);
    }
    bool cat2 = false;
    for (unsigned i = 0; i < cx->n_invokes; i++)
        cat2 |= ssgw_policy_category(v->acn, false, cx->invoke_ops[i]) == SSGW_CAT_2;
    if (cat2 && cx->imsi[0]) add_mcc(l, cx, n, cx->imsi);
}

static void observe_outbound(ssgw_learner *l, ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    int n = net_of_gt(l, cx, cx->called, cx->called_owner);
    if (n < 0) return;
    l->nets[n].out++;
    int role = role_of_ssn(&v->sccp.called, cx->op);
    if (cap_scf_end(v, false)) role = NR_GSMSCF;
    if (role >= 0) add_node(l, &l->nets[n], role, cx->called);
    if (cx->is_map && to_home_hlr(cx->op) && v->has_tcap && v->tcap.type == SSGW_TCAP_BEGIN &&
        ssgw_check_need_map(cx) == 0 && cx->imsi[0])
        add_mcc(l, cx, n, cx->imsi);
}

void ssgw_learner_observe(ssgw_learner *l, ssgw_check_ctx *cx)
{
    if (l->frozen) return;
    if (!l->started) {
        l->started = true;
        l->first_ms = cx->now_ms;
    }
    if (cx->now_ms >= l->first_ms + l->period_ms) return; /* after the period */
    l->messages++;
    if (cx->now_ms > l->last_ms) l->last_ms = cx->now_ms;
    if (!cx->v->has_sccp) return;
    if (cx->dir == SSGW_DIR_INBOUND)
        observe_inbound(l, cx);
    else if (cx->dir == SSGW_DIR_OUTBOUND)
        observe_outbound(l, cx);
}

/* ---- writing ----------------------------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* One [rate] key: the proposed limit and how it was found. */
static int write_rate(const ssgw_learner *l, const ssgw_policy *p, int cls, FILE *out)
{
    const rate_class *c = &l->rc[cls];
    const char *cur[RC_COUNT] = {p->rate_calling_gt_s, p->rate_imsi_s, p->rate_operation_s,
                                 p->rate_sri_sm_s};
    if (!c->n) {
        fprintf(out, "# %s: no traffic observed: the policy's value is kept\n%s = \"%s\"\n",
                rate_info[cls].check, rate_info[cls].key, cur[cls] ? cur[cls] : "off");
        return 0;
    }
    uint32_t *peaks = malloc(c->n * sizeof *peaks);
    if (!peaks) return -1;
    size_t k = 0;
    uint64_t busiest = 0;
    uint32_t max = 0;
    for (size_t i = 0; i < c->cap; i++)
        if (c->t[i].key) {
            peaks[k++] = c->t[i].peak;
            if (c->t[i].peak > max) {
                max = c->t[i].peak;
                busiest = c->t[i].key;
            }
        }
    qsort(peaks, k, sizeof *peaks, cmp_u32);
    size_t rank = (size_t)(((uint64_t)l->pct_milli * k + 99999) / 100000);
    if (rank < 1) rank = 1;
    uint32_t pv = peaks[rank - 1];
    uint64_t limit = (uint64_t)pv + 1 + pv / 1000;
    if (limit > 1000000) limit = 1000000;
    size_t above = 0;
    for (size_t i = 0; i < k; i++)
        above += peaks[i] > limit;
    free(peaks);
    char who[24] = "";
    if (cls == RC_OPERATION)
        snprintf(who, sizeof who, "%s", ssgw_map_op_name((int)busiest - 1));
    else
        ssgw_store_unpack_digits(busiest, who, sizeof who);
    fprintf(out,
            "# %s: %zu %ss; most messages of one key in %u s: %u.%03u percentile %u, busiest "
            "%u (%s)%s\n",
            rate_info[cls].check, k, rate_info[cls].what, c->period_s, l->pct_milli / 1000,
            l->pct_milli % 1000, pv, max, who,
            c->untracked ? "; some keys were not tracked ([learn] max_keys)" : "");
    if (above)
        fprintf(out,
                "# %zu key%s above this limit would be rate-limited on the learnt traffic: "
                "rate_percentile = \"100\" proposes %u\n",
                above, above == 1 ? "" : "s", max + 1 + max / 1000);
    fprintf(out, "%s = \"%llu/%us\"\n", rate_info[cls].key, (unsigned long long)limit, c->period_s);
    return 0;
}

/* A TOML string: quotes and backslashes escaped. */
static void toml_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', out);
        if ((unsigned char)*s >= 0x20) fputc(*s, out);
    }
    fputc('"', out);
}

typedef struct {
    char **v;
    size_t n, cap;
} names;

static int names_has(const names *s, const char *x)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], x)) return 1;
    return 0;
}

/* Adds x when absent (the list is a set); returns 1 when added, 0 when present, -1. */
static int names_add(names *s, const char *x)
{
    if (names_has(s, x)) return 0;
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 8;
        char **nv = realloc(s->v, nc * sizeof *nv);
        if (!nv) return -1;
        s->v = nv;
        s->cap = nc;
    }
    size_t n = strlen(x) + 1;
    if (!(s->v[s->n] = malloc(n))) return -1;
    memcpy(s->v[s->n++], x, n);
    return 1;
}

static void names_free(names *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* key = ["a", "b"] (at most max items, sorted after the first `keep` ones). */
static void write_list(FILE *out, const char *key, names *s, size_t keep, size_t max)
{
    if (!s->n) return;
    if (s->n > keep) qsort(s->v + keep, s->n - keep, sizeof *s->v, cmp_str);
    fprintf(out, "%s = [", key);
    for (size_t i = 0; i < s->n && i < max; i++) {
        if (i) fputs(", ", out);
        toml_str(out, s->v[i]);
    }
    fputs("]\n", out);
    if (s->n > max) fprintf(out, "# %zu more not written (at most %zu)\n", s->n - max, max);
}

/* What one proposed partner holds: the policy's settings, then what was learned. */
typedef struct {
    const party *base; /* the policy's partner, or NULL */
    names gt, mcc, pcs, allow, nodes[NR_COUNT];
    uint64_t in, out;
    uint32_t ops[128];
    int added; /* learned something the base lacks */
} proposal;

static void proposal_free(proposal *pr)
{
    names_free(&pr->gt);
    names_free(&pr->mcc);
    names_free(&pr->pcs);
    names_free(&pr->allow);
    for (int r = 0; r < NR_COUNT; r++)
        names_free(&pr->nodes[r]);
}

static int seed(names *s, const strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (names_add(s, l->v[i]) < 0) return -1;
    return 0;
}

static const char *op_text(int op, char *buf, size_t cap)
{
    const ssgw_map_op *o = ssgw_map_op_by_name(ssgw_map_op_name(op));
    if (o && o->opcode == op)
        snprintf(buf, cap, "%s", ssgw_map_op_name(op));
    else
        snprintf(buf, cap, "%d", op);
    return buf;
}

/* Fills pr from the members of root (and the policy's partner base). 0, or -1. */
static int gather(const ssgw_learner *l, ssgw_learner *lm, int root, const party *base,
                  proposal *pr)
{
    memset(pr, 0, sizeof *pr);
    pr->base = base;
    if (base) {
        strlist *bn[NR_COUNT] = {(strlist *)&base->hlr,    (strlist *)&base->vlr,
                                 (strlist *)&base->msc,    (strlist *)&base->smsc,
                                 (strlist *)&base->gsmscf, (strlist *)&base->sgsn};
        if (seed(&pr->gt, &base->gt) < 0 || seed(&pr->mcc, &base->mccmnc) < 0 ||
            seed(&pr->allow, &base->allow) < 0)
            return -1;
        for (size_t i = 0; i < base->pc.n; i++) {
            char b[16];
            snprintf(b, sizeof b, "%lld", base->pc.v[i]);
            if (names_add(&pr->pcs, b) < 0) return -1;
        }
        for (int r = 0; r < NR_COUNT; r++)
            if (seed(&pr->nodes[r], bn[r]) < 0) return -1;
    }
    for (size_t i = 0; i < l->nnets; i++) {
        if (find_root(lm, (int)i) != root) continue;
        const network *x = &l->nets[i];
        pr->in += x->in;
        pr->out += x->out;
        int rc;
        if (!x->name && (rc = names_add(&pr->gt, x->prefix)) != 0) {
            if (rc < 0) return -1;
            pr->added = 1;
        }
        for (size_t k = 0; k < x->nmcc; k++)
            if ((rc = names_add(&pr->mcc, x->mcc[k])) != 0) {
                if (rc < 0) return -1;
                pr->added = 1;
            }
        for (size_t k = 0; k < x->npcs; k++) {
            char b[16];
            snprintf(b, sizeof b, "%u", x->pcs[k]);
            if ((rc = names_add(&pr->pcs, b)) != 0) {
                if (rc < 0) return -1;
                pr->added = 1;
            }
        }
        for (int op = 0; op < 128; op++) {
            pr->ops[op] += x->ops[op];
            if (!x->ops[op] || ssgw_policy_category(NULL, false, op) != SSGW_CAT_1) continue;
            const party *bp = base;
            if (bp && opset_has(&bp->allowed, op)) continue;
            char b[48];
            if ((rc = names_add(&pr->allow, op_text(op, b, sizeof b))) != 0) {
                if (rc < 0) return -1;
                pr->added = 1;
            }
        }
        for (int r = 0; r < NR_COUNT; r++)
            for (size_t k = 0; k < x->nodes[r].n; k++)
                if ((rc = names_add(&pr->nodes[r], x->nodes[r].v[k])) != 0) {
                    if (rc < 0) return -1;
                    pr->added = 1;
                }
    }
    return 0;
}

static void write_ops(FILE *out, const proposal *pr)
{
    int order[128], n = 0;
    for (int op = 0; op < 128; op++)
        if (pr->ops[op]) order[n++] = op;
    for (int i = 1; i < n; i++) /* most frequent first */
        for (int j = i; j > 0 && pr->ops[order[j]] > pr->ops[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    if (!n) {
        fputs("# operations seen: none (it only answered, or we only sent to it)\n", out);
        return;
    }
    fputs("# operations seen:", out);
    for (int i = 0; i < n; i++)
        fprintf(out, "%s %s %u", i ? "," : "", ssgw_map_op_name(order[i]), pr->ops[order[i]]);
    fputc('\n', out);
}

static void write_partner(FILE *out, proposal *pr, const char *name, const char *country,
                          const char *origin_note)
{
    fputs("\n[[partner]]\nname = ", out);
    toml_str(out, name);
    fputc('\n', out);
    fprintf(out, "# %s; %llu messages from it, %llu to it\n", origin_note,
            (unsigned long long)pr->in, (unsigned long long)pr->out);
    write_ops(out, pr);
    if (country && country[0]) fprintf(out, "country = \"%s\"\n", country);
    write_list(out, "mcc_mnc", &pr->mcc, 0, 64);
    write_list(out, "gt_prefixes", &pr->gt, 0, 256);
    const party *b = pr->base;
    if (b && b->msisdn.n) {
        names m = {0};
        if (seed(&m, &b->msisdn) == 0) write_list(out, "msisdn_prefixes", &m, 0, 256);
        names_free(&m);
    }
    if (pr->pcs.n) {
        fputs("point_codes = [", out);
        for (size_t i = 0; i < pr->pcs.n && i < 64; i++)
            fprintf(out, "%s%s", i ? ", " : "", pr->pcs.v[i]);
        fputs("]\n", out);
    }
    for (int r = 0; r < NR_COUNT; r++)
        write_list(out, role_key[r], &pr->nodes[r], 0, MAX_NODES);
    write_list(out, "allow", &pr->allow, 0, 128);
    if (b && b->trust_s) fprintf(out, "trust = \"%s\"\n", b->trust_s);
}

int ssgw_learner_write(const ssgw_learner *lc, const ssgw_policy *p, FILE *out)
{
    ssgw_learner *l = (ssgw_learner *)lc; /* find_root compresses paths: no visible change */
    char t0[40] = "-", t1[40] = "-";
    if (l->started) {
        ssgw_time_rfc3339(l->first_ms, t0, sizeof t0);
        ssgw_time_rfc3339(l->last_ms, t1, sizeof t1);
    }
    fprintf(out,
            "# Proposed by OpenSSGW learn mode from %llu messages observed %s .. %s (%.1f h) with "
            "the policy %s.\n"
            "# Nothing here is applied by itself. Review it, then replace [rate] and the "
            "[[partner]] tables of the same\n"
            "# names in the policy with it (docs/checks.md \"Learn mode\"). Rates: the %u.%03u "
            "percentile of the busiest\n"
            "# window of each key, plus one token and 0.1 %%. New partners are named "
            "learnt-<country>-<GT prefix>: rename them.\n",
            (unsigned long long)l->messages, t0, t1,
            l->started ? (double)(l->last_ms - l->first_ms) / 3600000.0 : 0.0,
            p->file ? p->file : "-", l->pct_milli / 1000, l->pct_milli % 1000);
    ssgw_learner_stats st;
    ssgw_learner_get_stats(l, &st);
    if (st.untracked)
        fprintf(out, "# %llu keys or GTs were beyond [learn] max_keys and are not in it.\n",
                (unsigned long long)st.untracked);
    for (size_t i = 0; i < l->nnotes; i++)
        fprintf(out, "# note: %s\n", l->notes[i]);
    fputs("\n[rate]\n", out);
    for (int c = 0; c < RC_COUNT; c++)
        if (write_rate(l, p, c, out) < 0) return -1;

    /* partners of the policy in use first, in its order; then the new ones by prefix */
    names confirmed = {0}, used = {0};
    int rc = 0;
    for (size_t i = 0; i < p->n_partners && rc == 0; i++) {
        const party *pa = &p->partners[i];
        if (names_add(&used, pa->name) < 0) rc = -1;
        net_key k = {l, pa->name, NULL};
        int n = map_get(&l->by_key, str_hash("P", pa->name), same_net, &k, -1);
        if (n < 0) continue;
        proposal pr;
        if (gather(l, l, find_root(l, n), pa, &pr) < 0) {
            proposal_free(&pr);
            rc = -1;
            break;
        }
        if (!pr.added) {
            if (names_add(&confirmed, pa->name) < 0) rc = -1;
        } else {
            char o[1200];
            if (pa->file)
                snprintf(o, sizeof o, "imported from %s:%d, with what learning added", pa->file,
                         pa->line);
            else
                snprintf(o, sizeof o, "%s:%d, with what learning added", p->file ? p->file : "-",
                         pa->line);
            write_partner(out, &pr, pa->name, pa->country, o);
        }
        proposal_free(&pr);
    }
    /* new networks: roots without a partner of the policy in use */
    int *roots = malloc((l->nnets ? l->nnets : 1) * sizeof *roots);
    size_t nr = 0;
    if (!roots) rc = -1;
    for (size_t i = 0; rc == 0 && i < l->nnets; i++) {
        if (find_root(l, (int)i) != (int)i) continue;
        if (l->nets[i].name && policy_partner_find(p, l->nets[i].name) >= 0) continue;
        roots[nr++] = (int)i;
    }
    for (size_t j = 0; rc == 0 && j < nr; j++) {
        const network *x = &l->nets[roots[j]];
        proposal pr;
        if (gather(l, l, roots[j], NULL, &pr) < 0) {
            proposal_free(&pr);
            rc = -1;
            break;
        }
        if (!pr.gt.n) { /* a partner of an older policy, reached by no GT prefix now */
            fprintf(out, "\n# partner %s: no GT prefix known now: not proposed\n", x->name);
            proposal_free(&pr);
            continue;
        }
        qsort(pr.gt.v, pr.gt.n, sizeof *pr.gt.v, cmp_str);
        const char *pfx = pr.gt.v[0];
        const geo_entry *g = geo_lookup(pfx);
        char base[150], name[170];
        if (x->name)
            snprintf(base, sizeof base, "%s", x->name);
        else if (g)
            snprintf(base, sizeof base, "learnt-%s-%s", g->iso, pfx);
        else
            snprintf(base, sizeof base, "learnt-%s", pfx);
        snprintf(name, sizeof name, "%s", base);
        for (int k = 2; names_has(&used, name) && k < 100000; k++)
            snprintf(name, sizeof name, "%s-%d", base, k);
        if (names_add(&used, name) < 0) rc = -1;
        write_partner(out, &pr, name, g ? g->iso : NULL,
                      x->name ? "a partner the policy in use no longer has"
                              : "new: GTs of no partner");
        proposal_free(&pr);
    }
    free(roots);
    if (rc == 0 && confirmed.n) {
        fputs("\n# Partners seen that learning leaves as they are:", out);
        for (size_t i = 0; i < confirmed.n; i++)
            fprintf(out, "%s %s", i ? "," : "", confirmed.v[i]);
        fputc('\n', out);
    }
    names_free(&confirmed);
    names_free(&used);
    if (rc == 0 && ferror(out)) rc = -1;
    return rc;
}
