/*
 * learn_location.c - where our subscribers are, learned from every message
 * that proves it (issue 11), in both directions: the location updates that
 * passed every check, and what our own HLR says and does (it is the
 * authority: the provisioning it sends to a VLR, the VLRs it cancels, the
 * serving MSC its routing answers name, which is one of ours when the
 * subscriber is at home). The location-dependent checks (cat3.velocity,
 * cat3.not_current_vlr) judge every later claim against it, so a location
 * update from abroad minutes after our HLR routed a short message to the
 * subscriber at home is a move nobody can make.
 *
 * One row per source (docs/checks.md "Learning" lists them): the direction,
 * the component, the operation (its family: every version is the same), where
 * the serving node's GT is, and what it means. Only messages the firewall lets
 * through teach (ssgw_check_learn), and only about IMSIs of the home network.
 */

#include "policy/policy_int.h"

/* Where the serving node's GT is. */
enum {
    NODE_NEW,     /* a location update's new location (ssgw_check_new_location) */
    NODE_CALLING, /* the SCCP calling GT */
    NODE_CALLED,  /* the SCCP called GT */
    NODE_NETWORK, /* the MSC (else SGSN) number of a routing answer */
};

/* What the message says about the subscriber. */
enum {
    E_MOVE,     /* registered at the new VLR (SGSN) and MSC */
    E_AT_VLR,   /* served by the node, a VLR or SGSN */
    E_AT_MSC,   /* served by the node, an MSC */
    E_LEFT,     /* no longer at the node (cancelled) */
    E_DETACHED, /* detached at the node, in its country (purged) */
};

typedef struct {
    ssgw_direction dir;
    bool result; /* a returnResult of the operation (else its invoke) */
    ssgw_map_opcode op;
    uint8_t node, effect;
} learn_row;

/* The rows: direction, a returnResult (else an invoke), operation, node, effect. */
#define LEARN_ROWS(X)                                                                              \
    /* a location update that passed every check (cat3.velocity, spoof.vlr_mismatch, ...) */       \
    X(INBOUND, false, UPDATE_LOCATION, NODE_NEW, E_MOVE)                                           \
    X(INBOUND, false, UPDATE_GPRS_LOCATION, NODE_NEW, E_MOVE)                                      \
    /* purgeMS that passed (from the current VLR, cat3.not_current_vlr) */                         \
    X(INBOUND, false, PURGE_MS, NODE_CALLING, E_DETACHED)                                          \
    /* our HLR addresses the VLR (SGSN) that serves the subscriber */                              \
    X(OUTBOUND, false, INSERT_SUBSCRIBER_DATA, NODE_CALLED, E_AT_VLR)                              \
    X(OUTBOUND, false, DELETE_SUBSCRIBER_DATA, NODE_CALLED, E_AT_VLR)                              \
    X(OUTBOUND, false, PROVIDE_ROAMING_NUMBER, NODE_CALLED, E_AT_VLR)                              \
    X(OUTBOUND, false, PROVIDE_SUBSCRIBER_INFO, NODE_CALLED, E_AT_VLR)                             \
    /* our HLR cancels an old VLR (SGSN) */                                                        \
    X(OUTBOUND, false, CANCEL_LOCATION, NODE_CALLED, E_LEFT)                                       \
    /* our HLR's routing answers: the serving MSC (SGSN), ours when the subscriber is home */      \
    X(OUTBOUND, true, SEND_ROUTING_INFO_FOR_SM, NODE_NETWORK, E_AT_MSC)                            \
    X(OUTBOUND, true, SEND_ROUTING_INFO, NODE_NETWORK, E_AT_MSC)

static const learn_row rows[] = {
#define ROW(dir, result, op, node, effect) {SSGW_DIR_##dir, result, SSGW_MAP_OP_##op, node, effect},
    LEARN_ROWS(ROW)
#undef ROW
};

/* Which operations have a row at all (most messages' have none), from the same list: a
 * table of constants, not one filled on first use behind a pthread_once per component. */
static const bool has_row[SSGW_MAP_OPCODE_MAX + 1] = {
#define HAS_ROW(dir, result, op, node, effect) [SSGW_MAP_OP_##op] = true,
    LEARN_ROWS(HAS_ROW)
#undef HAS_ROW
};

/* Only outbound returnResults teach (our HLR's answers): an inbound message's results are
 * passed over before their policy operation is worked out (message_row). */
#define INBOUND_RESULT(dir, result, op, node, effect)                                              \
    +((result) && SSGW_DIR_##dir != SSGW_DIR_OUTBOUND)
_Static_assert(0 LEARN_ROWS(INBOUND_RESULT) == 0,
               "a result row of another direction than outbound");
#undef INBOUND_RESULT

/* The serving node's GT, and its packed key in *key. */
static const char *node_gt(const ssgw_check_ctx *cx, uint8_t node, uint64_t *key)
{
    const ssgw_map_fields *m = &cx->v->map;
    const char *gt;
    switch (node) {
    case NODE_NEW:
        *key = ssgw_check_new_location_key(cx);
        return ssgw_check_new_location(cx);
    case NODE_CALLING:
        *key = cx->calling_key;
        return cx->calling;
    case NODE_CALLED:
        *key = cx->called_key;
        return cx->called;
    default:
        gt = m->msc_number.digits[0] ? m->msc_number.digits : m->sgsn_number.digits;
        *key = ssgw_store_pack_digits_in(gt, sizeof m->msc_number.digits);
        return gt;
    }
}

/* Two nodes of one network: the same owner, or of no partner and in one country. */
static bool same_network(const ssgw_check_ctx *cx, uint64_t a, uint64_t b)
{
    char da[16], db[16];
    if (!a || !b || ssgw_store_unpack_digits(a, da, sizeof da) <= 0 ||
        ssgw_store_unpack_digits(b, db, sizeof db) <= 0)
        return false;
    uint16_t oa, ob;
    uint8_t r;
    trie_lookup(&cx->p->gt, da, &oa, &r);
    trie_lookup(&cx->p->gt, db, &ob, &r);
    return oa == ob && (oa != OWNER_NONE || geo_lookup(da) == geo_lookup(db));
}

static void apply(ssgw_check_ctx *cx, const learn_row *row, const char *gt, uint64_t node)
{
    ssgw_store *s = cx->store;
    if (!node) return;
    ssgw_store_location loc;
    bool have = s->ops->location_get(s, cx->imsi_key, &loc) == 1;
    bool here = have && (node == loc.vlr || node == loc.msc);
    switch (row->effect) {
    case E_MOVE:
        loc.vlr = node;
        loc.msc = ssgw_store_pack_digits_in(cx->v->map.msc_number.digits,
                                            sizeof cx->v->map.msc_number.digits);
        break;
    case E_AT_VLR:
    case E_AT_MSC:
        if (!here) {
            uint64_t known = have ? (loc.vlr ? loc.vlr : loc.msc) : 0;
            if (!same_network(cx, node, known)) loc.vlr = loc.msc = 0;
            if (row->effect == E_AT_VLR)
                loc.vlr = node;
            else
                loc.msc = node;
        }
        break;
    case E_LEFT:
        if (!here) return;
        loc.vlr = loc.msc = 0;
        loc.pool = ssgw_check_peer_network(cx);
        s->ops->location_put(s, cx->imsi_key, &loc); /* keeps where and when it was last */
        return;
    default: /* E_DETACHED */
        loc.vlr = loc.msc = 0;
        break;
    }
    if (!here) loc.cc = geo_index(geo_lookup(gt));
    loc.time = cx->now_s;
    loc.pool = ssgw_check_peer_network(cx); /* charged to the network that taught it */
    s->ops->location_put(s, cx->imsi_key, &loc);
}

/* The row for component c of the message, or NULL. */
static const learn_row *row_for(const ssgw_check_ctx *cx, const ssgw_tcap_component *c, int pop)
{
    if (pop < 0 || pop > SSGW_MAP_OPCODE_MAX || !has_row[pop]) return NULL;
    bool result = c->type == SSGW_TCAP_COMP_RETURN_RESULT_LAST ||
                  c->type == SSGW_TCAP_COMP_RETURN_RESULT_NOT_LAST;
    if (!result && c->type != SSGW_TCAP_COMP_INVOKE) return NULL;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].dir == cx->dir && rows[i].result == result && (int)rows[i].op == pop)
            return &rows[i];
    return NULL;
}

/* The row of the first component of the message that proves a location, or NULL. */
static const learn_row *message_row(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (!cx->is_map || !v->has_tcap) return NULL;
    unsigned inv = 0;
    for (unsigned i = 0; i < v->ncomp; i++) {
        const ssgw_tcap_component *c = &v->comp[i];
        if (c->opcode.kind != SSGW_TCAP_CODE_LOCAL || c->opcode.local < 0 ||
            c->opcode.local > SSGW_MAP_OPCODE_MAX)
            continue;
        int code = (int)c->opcode.local;
        bool invoke = c->type == SSGW_TCAP_COMP_INVOKE;
        if (!invoke && cx->dir != SSGW_DIR_OUTBOUND) continue; /* no row (INBOUND_RESULT) */
        int pop = invoke && inv < cx->n_invokes
                      ? cx->invoke_pops[inv++]
                      : ssgw_policy_map_op(code, v->acn, v->acn_version, 0);
        const learn_row *row = row_for(cx, c, pop);
        if (row) return row; /* one fact per message: the first component that proves one */
    }
    return NULL;
}

int ssgw_learn_location_row(ssgw_check_ctx *cx)
{
    const learn_row *row = message_row(cx);
    return row ? (int)(row - rows) : -1;
}

/* The row of the message and its subscriber: ours, with its IMSI decoded; else NULL. */
static const learn_row *our_row(ssgw_check_ctx *cx)
{
    const learn_row *row = message_row(cx);
    if (!row || ssgw_check_need_map(cx) < 0 || !cx->imsi_key || cx->imsi_owner != OWNER_HOME)
        return NULL;
    return row;
}

void ssgw_learn_location(ssgw_check_ctx *cx)
{
    const learn_row *row = our_row(cx);
    if (!row) return;
    uint64_t key;
    const char *gt = node_gt(cx, row->node, &key);
    apply(cx, row, gt, key);
}

size_t ssgw_learn_location_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap)
{
    if (!cap || !our_row(cx)) return 0;
    keys[0] = (ssgw_store_key){SSGW_STORE_LOCATION, cx->imsi_key, 0};
    return 1;
}
