/*
 * checks_dialogue.c - who may continue a TCAP dialogue (issue 11): a dialogue is
 * remembered with its other end, and a Continue, End or Abort that names the
 * dialogue's transaction id but comes from another peer is a hijack
 * (tcap.dialogue_peer_mismatch), whether our network opened the dialogue (the
 * answers come back inbound) or the other side did.
 *
 * What the store keeps (include/ssgw/store.h, dialogues: (transaction id, GT) -> time and
 * a value), two records per transaction id of ours:
 *   (tid, 0)        the dialogue is open (tcap.unknown_dialogue); value: the other side's
 *                   transaction id + 1, once known (0 before the first answer);
 *   (tid, binding)  who may continue it, one value:
 *                   - not answered yet: the network our message addressed (the owner of its
 *                     called GT, or its country for a GT of no partner), since its first
 *                     answer may come from another of that network's nodes (GT translation:
 *                     a location update goes to an E.214 number, the HLR answers with its
 *                     own); when that network is no partner, with a flag: a member (an SMS
 *                     hub, an IPX) may answer on its behalf;
 *                   - answered: the exact origin of that first answer (calling GT, OPC and
 *                     the link it arrived on); every later message must come from it.
 * Ownership belongs to one dialogue instance, not to a transaction id: our side begins an
 * instance with a Begin, or with a Continue that answers another transaction than the one
 * the id had (new on our side, or the other side's id differs), and its binding record is
 * overwritten with the addressed network, so whoever answered an earlier dialogue with that
 * id owns nothing of the new one (our End or Abort names only the other side's id: ours is
 * reused without the firewall seeing the old dialogue end). The first answer that comes from
 * the addressed network (or a member, for one of no partner) replaces the whole binding by
 * its origin: no network permission of the instance remains, whoever answered. An inbound
 * End or Abort closes both records. The binding is read without the dialogue timeout, so a
 * long silence of one side (a call between CAMEL events) does not unbind it: it lives until
 * the dialogue closes, the next instance replaces it, or the store does. Every record is
 * charged to the network at the dialogue's other end (remember(); a record given a new value
 * is the writer's), so that a flood of dialogues with one peer cannot push out another
 * peer's.
 */
#include <string.h>

#include "policy/policy_int.h"

/* Tags of the keys (never 0: (tid, 0) is the dialogue). */
#define TAG_NETWORK 0x4e4554574f524bull /* "NETWORK" */
#define TAG_ORIGIN  0x4f524947494eull   /* "ORIGIN" */
#define KEY_BINDING 0x42494e44494e47ull /* "BINDING": (tid, KEY_BINDING) says who may continue */

/* The binding's value: the key of a network (not answered) or of an origin (answered), in
 * its low 62 bits, and two flags. */
#define BIND_BOUND      (1ull << 63) /* answered: the key is the origin's */
#define BIND_ANY_MEMBER (1ull << 62) /* not answered, a network of no partner: a member may */
#define BIND_KEY        (BIND_ANY_MEMBER - 1)

/* As long as the store keeps them (ownership ends with the dialogue, see above). */
#define OWNERSHIP_TIMEOUT UINT32_MAX

static uint64_t nonzero(uint64_t k)
{
    return k ? k : 1;
}

/* The network of a GT: its owner (owner: the GT's, cx->calling_owner or cx->called_owner,
 * found once a message by the firewall), else its E.164 country, else its first five
 * digits. */
static uint64_t network_key(const char *gt, uint16_t owner)
{
    if (owner != OWNER_NONE) return nonzero(ssgw_store_mix(owner, TAG_NETWORK));
    const geo_entry *g = geo_lookup(gt);
    if (g) return nonzero(ssgw_store_mix(0x10000u + geo_index(g), TAG_NETWORK));
    char head[6];
    size_t n = 0;
    for (; gt[n] && n < sizeof head - 1; n++)
        head[n] = gt[n];
    head[n] = '\0';
    return nonzero(ssgw_store_mix(ssgw_store_pack_digits(head), TAG_NETWORK ^ 1));
}

/* The exact origin of an inbound message: calling GT, OPC, arrival link. */
static uint64_t origin_key(const ssgw_check_ctx *cx)
{
    uint64_t where = (uint64_t)(cx->has_peer ? cx->peer : 0xffffffffu) << 32 | cx->source;
    return nonzero(ssgw_store_mix(ssgw_store_mix(cx->calling_key, where), TAG_ORIGIN));
}

/* An inbound message that names one of our transaction ids: its id, else 0 (-1 none). */
static int64_t named_dialogue(const ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (cx->dir != SSGW_DIR_INBOUND || !v->has_tcap || !v->tcap.dtid.present) return -1;
    ssgw_tcap_msg_type t = v->tcap.type;
    if (t != SSGW_TCAP_CONTINUE && t != SSGW_TCAP_END && t != SSGW_TCAP_ABORT) return -1;
    return v->tcap.dtid.value;
}

/* The store's dialogue_get: 1 found (*value, when not NULL, its value), 0 not, -1 unknown. */
static int get(const ssgw_check_ctx *cx, uint32_t tid, uint64_t key, uint32_t timeout,
               uint64_t *value)
{
    return cx->store->ops->dialogue_get(cx->store, tid, key, cx->now_s, timeout, value);
}

/* 1 when the message's origin may continue dialogue tid (0 refused, -1 the store cannot tell);
 * *first: the dialogue is not answered yet (a message allowed binds it to its origin). */
static int owns(const ssgw_check_ctx *cx, uint32_t tid, bool *first)
{
    uint64_t b = 0;
    *first = false;
    int r = get(cx, tid, KEY_BINDING, OWNERSHIP_TIMEOUT, &b);
    if (r != 1) return r;
    if (b & BIND_BOUND) return (b & BIND_KEY) == (origin_key(cx) & BIND_KEY);
    *first = true;
    if ((b & BIND_KEY) == (network_key(cx->calling, cx->calling_owner) & BIND_KEY)) return 1;
    return (b & BIND_ANY_MEMBER) && cx->calling_owner >= OWNER_PARTNER(0);
}

int ssgw_chk_dialogue_peer(ssgw_check_ctx *cx)
{
    int64_t tid = named_dialogue(cx);
    if (tid < 0) return 0;
    /* a dialogue nobody began is tcap.unknown_dialogue's */
    if (get(cx, (uint32_t)tid, 0, (uint32_t)cx->p->dialogue_timeout, NULL) != 1) return 0;
    bool first;
    if (owns(cx, (uint32_t)tid, &first) != 0) return 0;
    return ssgw_check_deny(
        cx,
        "TCAP %s from %s (%s) at point code %u names dialogue %08x, which "
        "belongs to another peer (the network it was opened with, or the "
        "GT, point code and link of its first answer): a hijacked dialogue",
        ssgw_tcap_msg_type_name(cx->v->tcap.type), cx->calling[0] ? cx->calling : "(no GT)",
        ssgw_check_who(cx, cx->calling_owner), (unsigned)cx->peer, (unsigned)tid);
}

size_t ssgw_dialogue_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap)
{
    const ssgw_tcap_msg *t = &cx->v->tcap;
    int64_t tid = named_dialogue(cx);
    ssgw_store_key k;
    if (tid >= 0) /* the binding owns() reads */
        k = (ssgw_store_key){SSGW_STORE_DIALOGUE, (uint64_t)tid, KEY_BINDING};
    else if (cx->dir == SSGW_DIR_OUTBOUND && cx->v->has_tcap && t->otid.present &&
             t->type == SSGW_TCAP_CONTINUE) /* is it new on our side (learn) */
        k = (ssgw_store_key){SSGW_STORE_DIALOGUE, t->otid.value, 0};
    else
        return 0;
    if (cap < 1) return 0;
    keys[0] = k;
    return 1;
}

/* Records the dialogue tid's key with value, charged to the network at its other end
 * (ssgw_check_peer_network): a partner, our own network or strangers. One peer
 * making our network open or answer dialogues in bulk then cannot push out another's
 * (include/ssgw/store.h, dialogue_put); a partner's GTs are its own (spoof.peer_mismatch), so
 * a peer cannot charge its flood to another's pool. */
static void remember(const ssgw_check_ctx *cx, uint32_t tid, uint64_t key, uint64_t value)
{
    cx->store->ops->dialogue_put(cx->store, tid, key, value, cx->now_s, ssgw_check_peer_network(cx),
                                 (uint32_t)cx->p->dialogue_timeout);
}

void ssgw_dialogue_learn(ssgw_check_ctx *cx)
{
    ssgw_store *s = cx->store;
    const ssgw_tcap_msg *t = &cx->v->tcap;
    uint32_t timeout = (uint32_t)cx->p->dialogue_timeout;
    if (cx->dir == SSGW_DIR_OUTBOUND) {
        /* dialogues we open or answer: their OTID is what inbound messages will name */
        if ((t->type != SSGW_TCAP_BEGIN && t->type != SSGW_TCAP_CONTINUE) || !t->otid.present)
            return;
        uint32_t tid = t->otid.value;
        /* the other side's transaction id + 1 (0: not known, we begin) */
        uint64_t peer = t->type == SSGW_TCAP_CONTINUE && t->dtid.present ? t->dtid.value + 1ull : 0;
        uint64_t known = 0;
        if (t->type == SSGW_TCAP_BEGIN || get(cx, tid, 0, timeout, &known) != 1 || known != peer) {
            /* a new instance: owned by the network it addresses until that one answers,
             * whoever owned an earlier dialogue with this id */
            uint64_t b = network_key(cx->called, cx->called_owner) & BIND_KEY;
            if (cx->called_owner == OWNER_NONE) b |= BIND_ANY_MEMBER;
            remember(cx, tid, KEY_BINDING, b);
        }
        remember(cx, tid, 0, peer);
        return;
    }
    int64_t named = named_dialogue(cx);
    if (named < 0) return;
    uint32_t tid = (uint32_t)named;
    if (t->type == SSGW_TCAP_CONTINUE) {
        bool first;
        int mine = owns(cx, tid, &first);
        /* the owner's transaction id is the dialogue's from now on (our Continues name it);
         * anyone else's Continue (let through by a rule or a monitor mode) changes nothing */
        uint64_t peer = 0;
        if (mine == 1 && t->otid.present)
            peer = t->otid.value + 1ull;
        else if (get(cx, tid, 0, timeout, &peer) != 1)
            peer = 0;
        remember(cx, tid, 0, peer);
        /* bound to this origin from now on (the first answer), or refreshed */
        if (mine == 1) remember(cx, tid, KEY_BINDING, BIND_BOUND | (origin_key(cx) & BIND_KEY));
        return;
    }
    /* End, Abort: the dialogue is over */
    s->ops->dialogue_del(s, tid, 0);
    s->ops->dialogue_del(s, tid, KEY_BINDING);
}
