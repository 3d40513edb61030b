/*
 * checks_dialogue.c - who may continue a TCAP dialogue (issue 11): a dialogue is
 * remembered with its other end, and a Continue, End or Abort that names the
 * dialogue's transaction id but comes from another peer is a hijack
 * (tcap.dialogue_peer_mismatch), whether our network opened the dialogue (the
 * answers come back inbound) or the other side did.
 *
 * What the store keeps (include/ssgw/store.h, dialogues: (transaction id, GT) -> time):
 *   (tid, 0)           the dialogue is open (tcap.unknown_dialogue);
 *   (tid, network)     not answered yet: the network our message addressed (the owner of
 *                      its called GT, or its country for a GT of no partner), since its first
 *                      answer may come from another of that network's nodes (GT translation:
 *                      a location update goes to an E.214 number, the HLR answers with its own);
 *   (tid, any member)  the same, when it addressed a network that is no partner: a member
 *                      (an SMS hub, an IPX) may answer on its behalf;
 *   (tid, origin)      answered: the exact origin of that first answer (calling GT, OPC and
 *                      the link it arrived on); every later message must come from it.
 * The first answer that comes from the right network binds the dialogue (the network
 * records go, the origin record comes); End and Abort close it. Ownership records are
 * looked up without the dialogue timeout, so a long silence of one side (a call between
 * CAMEL events) does not unbind it: they live until the dialogue closes or the store
 * replaces them: two records per open dialogue. Every record is charged to the network at
 * the dialogue's other end (remember()), so that a flood of dialogues with one peer cannot
 * push out another peer's.
 */
#include <string.h>

#include "policy/policy_int.h"

/* Tags that keep the kinds of ownership record apart (never 0: (tid, 0) is the dialogue). */
#define TAG_NETWORK    0x4e4554574f524bull /* "NETWORK" */
#define TAG_ORIGIN     0x4f524947494eull   /* "ORIGIN" */
#define KEY_ANY_MEMBER 0x414e594d454d42ull /* "ANYMEMB" */

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

static int has(const ssgw_check_ctx *cx, uint32_t tid, uint64_t key, uint32_t timeout)
{
    return cx->store->ops->dialogue_get(cx->store, tid, key, cx->now_s, timeout, NULL);
}

/* 1 when the message's origin may continue dialogue tid (0 refused, -1 the store cannot tell);
 * *first: it is the dialogue's first answer (the origin binds it). */
static int owns(const ssgw_check_ctx *cx, uint32_t tid, bool *first)
{
    *first = false;
    int r = has(cx, tid, origin_key(cx), OWNERSHIP_TIMEOUT);
    if (r != 0) return r;
    *first = true;
    r = has(cx, tid, network_key(cx->calling, cx->calling_owner), OWNERSHIP_TIMEOUT);
    if (r != 0) return r;
    if (cx->calling_owner >= OWNER_PARTNER(0))
        return has(cx, tid, KEY_ANY_MEMBER, OWNERSHIP_TIMEOUT);
    return 0;
}

int ssgw_chk_dialogue_peer(ssgw_check_ctx *cx)
{
    int64_t tid = named_dialogue(cx);
    if (tid < 0) return 0;
    /* a dialogue nobody began is tcap.unknown_dialogue's */
    if (has(cx, (uint32_t)tid, 0, (uint32_t)cx->p->dialogue_timeout) != 1) return 0;
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
    ssgw_store_key k[3];
    size_t n = 0;
    const ssgw_tcap_msg *t = &cx->v->tcap;
    int64_t tid = named_dialogue(cx);
    if (tid >= 0) { /* the owners owns() asks about */
        k[n++] = (ssgw_store_key){SSGW_STORE_DIALOGUE, (uint64_t)tid, origin_key(cx)};
        k[n++] = (ssgw_store_key){SSGW_STORE_DIALOGUE, (uint64_t)tid,
                                  network_key(cx->calling, cx->calling_owner)};
        if (cx->calling_owner >= OWNER_PARTNER(0))
            k[n++] = (ssgw_store_key){SSGW_STORE_DIALOGUE, (uint64_t)tid, KEY_ANY_MEMBER};
    } else if (cx->dir == SSGW_DIR_OUTBOUND && cx->v->has_tcap && t->otid.present &&
               (t->type == SSGW_TCAP_BEGIN || t->type == SSGW_TCAP_CONTINUE)) {
        k[n++] = (ssgw_store_key){SSGW_STORE_DIALOGUE, t->otid.value, 0};
    }
    if (n > cap) n = cap;
    memcpy(keys, k, n * sizeof *k);
    return n;
}

/* Records the dialogue tid's key, charged to the network at its other end
 * (ssgw_check_peer_network): a partner, our own network or strangers. One peer
 * making our network open or answer dialogues in bulk then cannot push out another's
 * (include/ssgw/store.h, dialogue_put); a partner's GTs are its own (spoof.peer_mismatch), so
 * a peer cannot charge its flood to another's pool. */
static void remember(const ssgw_check_ctx *cx, uint32_t tid, uint64_t key)
{
    cx->store->ops->dialogue_put(cx->store, tid, key, 0, cx->now_s, ssgw_check_peer_network(cx),
                                 (uint32_t)cx->p->dialogue_timeout);
}

static void forget(ssgw_store *s, uint32_t tid, const ssgw_check_ctx *cx)
{
    s->ops->dialogue_del(s, tid, network_key(cx->calling, cx->calling_owner));
    s->ops->dialogue_del(s, tid, KEY_ANY_MEMBER);
}

void ssgw_dialogue_learn(ssgw_check_ctx *cx)
{
    ssgw_store *s = cx->store;
    const ssgw_tcap_msg *t = &cx->v->tcap;
    if (cx->dir == SSGW_DIR_OUTBOUND) {
        /* dialogues we open or answer: their OTID is what inbound messages will name */
        if ((t->type != SSGW_TCAP_BEGIN && t->type != SSGW_TCAP_CONTINUE) || !t->otid.present)
            return;
        uint32_t tid = t->otid.value;
        if (has(cx, tid, 0, (uint32_t)cx->p->dialogue_timeout) != 1) {
            /* new on our side: owned by the network it addresses until that one answers */
            remember(cx, tid, network_key(cx->called, cx->called_owner));
            if (cx->called_owner == OWNER_NONE) remember(cx, tid, KEY_ANY_MEMBER);
        }
        remember(cx, tid, 0);
        return;
    }
    int64_t named = named_dialogue(cx);
    if (named < 0) return;
    uint32_t tid = (uint32_t)named;
    bool first;
    int mine = owns(cx, tid, &first);
    if (t->type == SSGW_TCAP_CONTINUE) {
        remember(cx, tid, 0);
        if (mine == 1) remember(cx, tid, origin_key(cx));
        if (mine == 1 && first) forget(s, tid, cx); /* bound to this origin from now on */
        return;
    }
    /* End, Abort: the dialogue is over */
    s->ops->dialogue_del(s, tid, 0);
    s->ops->dialogue_del(s, tid, origin_key(cx));
    forget(s, tid, cx);
}
