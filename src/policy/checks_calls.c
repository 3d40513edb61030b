/*
 * checks_calls.c - the call checks (call.*, docs/checks.md): ISUP IAMs arriving from the
 * interconnect from partners that do not attest their calls (or whose attestation passed)
 * are screened for spoofed, invalid and abusive calling numbers, and the call state per
 * circuit (IAM -> ACM/ANM -> REL) is learned for the short-call (wangiri) pattern. The
 * registry rows are in checks.c; state lives in the store (circuits, marks, buckets).
 *
 * Keys: a calling number is packed (ssgw_store_pack_digits); marks pair it with a tag
 * (distinct called numbers for fan-out and wangiri, the wangiri flag, the partner a home
 * subscriber roams in).
 */
#include <stdio.h>
#include <string.h>

#include "policy/policy_int.h"
#include "ssgw/digits.h"

enum {
    TAG_FANOUT = 0x46414e4f,    /* (calling, called) seen: counts a new destination once */
    TAG_SHORT = 0x53484f52,     /* (calling, called) of a short unanswered call */
    TAG_WANGIRI = 0x57414e47,   /* calling number flagged for wangiri */
    TAG_OVER = 0x4f564552,      /* calling number over its fan-out (last denied at) */
    TAG_ROAMING = 0x524f414d,   /* (home MSISDN, partner owner): roaming there */
    BUCKET_RATE = 0x43414c4c,   /* calls per calling number */
    BUCKET_FANOUT = 0x46414e42, /* new destinations per calling number */
    BUCKET_SHORT = 0x53484f42,  /* short unanswered calls per calling number */
};

static bool inbound_iam(const ssgw_check_ctx *cx)
{
    return cx->dir == SSGW_DIR_INBOUND && cx->v->has_isup && cx->v->isup.type == SSGW_ISUP_IAM;
}

/* A number's digits when they can be screened (digits 0-9 only), else NULL. */
static const char *screenable(const ssgw_isup_number *n, bool *international)
{
    size_t l = strlen(n->digits);
    if (!n->present || !l || strspn(n->digits, "0123456789") != l) return NULL;
    *international = n->nai == 4;
    return n->digits;
}

/* The calling number's digits when they can be screened, else NULL. */
static const char *calling_of(const ssgw_check_ctx *cx, bool *international)
{
    return screenable(&cx->v->isup.f.calling, international);
}

/* Number qualifier of a generic number that is an additional calling party number
 * (Q.763 3.26): a calling line the called party may be shown instead of the calling party
 * number, screened like it. */
#define ADDITIONAL_CALLING 6

/*
 * The calling lines an IAM asserts, by index i from 0 to f->n_generic: 0 the calling party
 * number, 1.. the generic numbers that are additional calling party numbers. The digits when
 * there is one to screen at i, else NULL; cli_name(i) names it in a reason.
 */
static inline const char *cli_at(const ssgw_isup_fields *f, unsigned i, bool *international)
{
    if (i == 0) return screenable(&f->calling, international);
    const ssgw_isup_number *g = &f->generic[i - 1];
    return g->qualifier == ADDITIONAL_CALLING ? screenable(g, international) : NULL;
}

static const char *cli_name(unsigned i)
{
    return i ? "additional calling party number (generic number)" : "calling number";
}

/* The partner the call came from: the one whose point codes hold the OPC. */
static const party *delivering(const ssgw_check_ctx *cx, uint16_t *owner)
{
    *owner = policy_owner_of_pc(cx->p, cx->has_peer ? cx->peer : cx->v->opc);
    return policy_party(cx->p, *owner);
}

static bool is_home_number(const ssgw_check_ctx *cx, const char *d)
{
    for (size_t i = 0; i < cx->p->home.msisdn.n; i++)
        if (ssgw_digits_has_prefix(d, cx->p->home.msisdn.v[i])) return true;
    return false;
}

/* The packed key of a number: digits is always an ISUP or MAP number's array (16 octets
 * readable at least: packed sixteen at a time). */
static uint64_t key_of(const char *digits)
{
    _Static_assert(SSGW_ISUP_DIGITS_CAP >= 16 && SSGW_MAP_DIGITS_CAP >= 16, "16 readable");
    return ssgw_store_pack_digits_in(digits, 16);
}

/* ---- call.home_cli_inbound ---------------------------------------------------------- */

/* Whether the subscriber of home number cg is known to roam in the delivering partner's
 * network (pa, its owner), whose calls home then carry the subscriber's own number. */
static bool roams_at(ssgw_check_ctx *cx, const char *cg, const party *pa, uint16_t owner)
{
    uint64_t k = key_of(cg);
    return pa && k &&
           cx->store->ops->mark_get(cx->store, k, ssgw_store_mix(owner, TAG_ROAMING), cx->now_s,
                                    (uint32_t)cx->p->calls_roaming_window) == 1;
}

int ssgw_chk_call_home_cli(ssgw_check_ctx *cx)
{
    if (!inbound_iam(cx)) return 0;
    const ssgw_isup_fields *f = &cx->v->isup.f;
    for (unsigned i = 0; i <= f->n_generic; i++) {
        bool intl;
        const char *cg = cli_at(f, i, &intl);
        if (!cg || !intl || !is_home_number(cx, cg)) continue;
        uint16_t owner;
        const party *pa = delivering(cx, &owner);
        if (roams_at(cx, cg, pa, owner)) continue;
        return ssgw_check_deny(cx,
                               "%s %s is one of ours ([home] msisdn_prefixes), but the call "
                               "arrived from the interconnect (point code %u, %s) where our "
                               "subscriber is not known to roam: a spoofed calling number",
                               cli_name(i), cg, (unsigned)(cx->has_peer ? cx->peer : cx->v->opc),
                               pa ? pa->name : "no partner network");
    }
    return 0;
}

/* ---- call.cli_invalid --------------------------------------------------------------- */

int ssgw_chk_call_cli_invalid(ssgw_check_ctx *cx)
{
    if (!inbound_iam(cx)) return 0;
    const ssgw_isup_fields *f = &cx->v->isup.f;
    for (unsigned i = 0; i <= f->n_generic; i++) {
        bool intl;
        const char *cg = cli_at(f, i, &intl);
        if (!cg) continue;
        const char *note;
        number_class c = numbering_classify(cg, intl, &note);
        if (c == NUMBER_OK) continue;
        return ssgw_check_deny(cx,
                               "%s %s (%s) is %s%s%s: no caller has such a number (a spoofed "
                               "or invented calling line)",
                               cli_name(i), cg, intl ? "international" : "national",
                               numbering_class_name(c), note[0] ? " for " : "", note);
    }
    return 0;
}

/* ---- call.cli_country --------------------------------------------------------------- */

int ssgw_chk_call_cli_country(ssgw_check_ctx *cx)
{
    if (!inbound_iam(cx)) return 0;
    const ssgw_isup_fields *f = &cx->v->isup.f;
    for (unsigned i = 0; i <= f->n_generic; i++) {
        bool intl;
        const char *cg = cli_at(f, i, &intl);
        uint16_t owner;
        const party *pa = cg && intl ? delivering(cx, &owner) : NULL;
        if (!pa || !pa->cli_countries.n || is_home_number(cx, cg)) continue;
        const geo_entry *g = geo_lookup(cg);
        bool listed = false;
        for (size_t j = 0; j < pa->cli_countries.n && !listed; j++)
            listed = !strcmp(pa->cli_countries.v[j], "*") ||
                     (g && !strcmp(pa->cli_countries.v[j], g->iso));
        if (listed) continue;
        return ssgw_check_deny(cx,
                               "%s %s is of %s, but %s delivers calls for numbers of %s%s only "
                               "(cli_countries): implausible calling line",
                               cli_name(i), cg, g ? g->name : "no country", pa->name,
                               pa->cli_countries.v[0],
                               pa->cli_countries.n > 1 ? " and others listed" : "");
    }
    return 0;
}

/* ---- call.rate, call.fanout --------------------------------------------------------- */

static bool take(ssgw_check_ctx *cx, const rate_spec *r, uint64_t key)
{
    return ssgw_check_take(cx, key, r->limit, r->period, r->limit) != 0;
}

int ssgw_chk_call_rate(ssgw_check_ctx *cx)
{
    bool intl;
    const char *cg = inbound_iam(cx) ? calling_of(cx, &intl) : NULL;
    const rate_spec *r = &cx->p->calls_rate;
    if (!cg || !r->limit || take(cx, r, ssgw_store_mix(key_of(cg), BUCKET_RATE))) return 0;
    return ssgw_check_deny(cx, "calling number %s made more than %u calls in %u s (robocalls)", cg,
                           r->limit, r->period);
}

int ssgw_chk_call_fanout(ssgw_check_ctx *cx)
{
    bool intl;
    const char *cg = inbound_iam(cx) ? calling_of(cx, &intl) : NULL;
    const rate_spec *r = &cx->p->calls_fanout;
    uint64_t called = cg && r->limit ? key_of(cx->v->isup.f.called.digits) : 0;
    if (!called) return 0;
    uint64_t k = key_of(cg), pair = ssgw_store_mix(called, TAG_FANOUT);
    ssgw_store *s = cx->store;
    if (s->ops->mark_get(s, k, pair, cx->now_s, r->period) == 1) {
        /* a number it called before: not a new destination, but while the caller is over
         * its fan-out (denied within the time the bucket takes to refill one) it is a
         * robocaller, whatever it dials */
        uint32_t refill = r->period / r->limit ? r->period / r->limit : 1;
        if (s->ops->mark_get(s, k, TAG_OVER, cx->now_s, refill) != 1) return 0;
        return ssgw_check_deny(cx,
                               "calling number %s is over its fan-out (more than %u different "
                               "numbers in %u s) and calls again a number it called (robocall)",
                               cg, r->limit, r->period);
    }
    uint16_t from = ssgw_check_peer_network(cx);
    s->ops->mark_put(s, k, pair, cx->now_s, from, r->period);
    if (take(cx, r, ssgw_store_mix(k, BUCKET_FANOUT))) return 0;
    s->ops->mark_put(s, k, TAG_OVER, cx->now_s, from,
                     r->period / r->limit ? r->period / r->limit : 1);
    return ssgw_check_deny(cx,
                           "calling number %s called more than %u different numbers in %u s "
                           "(robocall fan-out)",
                           cg, r->limit, r->period);
}

/* ---- call.wangiri -------------------------------------------------------------------- */

int ssgw_chk_call_wangiri(ssgw_check_ctx *cx)
{
    bool intl;
    const char *cg = inbound_iam(cx) ? calling_of(cx, &intl) : NULL;
    if (!cg || !cx->p->calls_wangiri.limit) return 0;
    if (cx->store->ops->mark_get(cx->store, key_of(cg), TAG_WANGIRI, cx->now_s,
                                 (uint32_t)cx->p->calls_wangiri_block) != 1)
        return 0;
    return ssgw_check_deny(cx,
                           "calling number %s was flagged for wangiri: more than %u calls to "
                           "different numbers released by the caller before answer within "
                           "%lld s, in %u s (one-ring scam; blocked for %lld s)",
                           cg, cx->p->calls_wangiri.limit, cx->p->calls_short_call,
                           cx->p->calls_wangiri.period, cx->p->calls_wangiri_block);
}

/* ---- learning: the call state per circuit ------------------------------------------- */

/* A short unanswered call from calling to called was released by its originator. */
static void short_call(ssgw_check_ctx *cx, uint64_t calling, uint64_t called)
{
    ssgw_store *s = cx->store;
    const rate_spec *r = &cx->p->calls_wangiri;
    uint64_t pair = ssgw_store_mix(called, TAG_SHORT);
    if (!r->limit || s->ops->mark_get(s, calling, pair, cx->now_s, r->period) == 1) return;
    uint16_t from = ssgw_check_peer_network(cx);
    s->ops->mark_put(s, calling, pair, cx->now_s, from, r->period);
    if (ssgw_check_take(cx, ssgw_store_mix(calling, BUCKET_SHORT), r->limit, r->period, r->limit) ==
        0)
        s->ops->mark_put(s, calling, TAG_WANGIRI, cx->now_s, from,
                         (uint32_t)cx->p->calls_wangiri_block);
}

void ssgw_check_learn_call(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    ssgw_store *s = cx->store;
    if (!v->has_isup || !v->has_label || !s->ops->call_get) return;
    uint64_t key = ssgw_store_circuit_key(v->opc, v->dpc, v->isup.cic);
    ssgw_store_call c;
    bool in = cx->dir == SSGW_DIR_INBOUND;
    switch (v->isup.type) {
    case SSGW_ISUP_IAM:
        if (!in) return; /* the checks screen calls from the interconnect */
        c.calling = key_of(v->isup.f.calling.digits);
        c.called = key_of(v->isup.f.called.digits);
        c.time = cx->now_s;
        c.state = SSGW_CALL_SETUP;
        s->ops->call_put(s, key, &c);
        return;
    case SSGW_ISUP_ANM:
    case SSGW_ISUP_CON:
        if (s->ops->call_get(s, key, &c) == 1 && c.state == SSGW_CALL_SETUP) {
            c.state = SSGW_CALL_ANSWERED;
            s->ops->call_put(s, key, &c);
        }
        return;
    case SSGW_ISUP_REL:
        if (s->ops->call_get(s, key, &c) != 1 || c.state == SSGW_CALL_RELEASED) return;
        if (in && c.state == SSGW_CALL_SETUP && c.calling && c.called &&
            cx->now_s - c.time <= (uint32_t)cx->p->calls_short_call)
            short_call(cx, c.calling, c.called);
        s->ops->call_del(s, key);
        return;
    case SSGW_ISUP_RLC:
    case SSGW_ISUP_RSC:
        if (s->ops->call_get(s, key, &c) == 1 && c.state != SSGW_CALL_RELEASED)
            s->ops->call_del(s, key);
        return;
    default:
        return;
    }
}

/* ---- what the checks and the learning read (ssgw_firewall_prefetch_keys) -------------- */

size_t ssgw_call_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap)
{
    const ssgw_view *v = cx->v;
    const ssgw_policy *p = cx->p;
    ssgw_store_key k[10 + SSGW_ISUP_MAX_GENERIC];
    size_t n = 0;
    bool intl;
    const char *cg = inbound_iam(cx) ? calling_of(cx, &intl) : NULL;
    uint64_t ck = cg ? key_of(cg) : 0;
    /* call.home_cli_inbound: the roaming marks of the home numbers the IAM asserts */
    for (unsigned i = 1; inbound_iam(cx) && i <= v->isup.f.n_generic; i++) {
        bool gi;
        const char *g = cli_at(&v->isup.f, i, &gi);
        uint16_t owner;
        if (g && gi && is_home_number(cx, g) && delivering(cx, &owner) && key_of(g))
            k[n++] =
                (ssgw_store_key){SSGW_STORE_MARK, key_of(g), ssgw_store_mix(owner, TAG_ROAMING)};
    }
    if (ck) {
        uint16_t owner;
        if (intl && is_home_number(cx, cg) && delivering(cx, &owner))
            k[n++] = (ssgw_store_key){SSGW_STORE_MARK, ck, ssgw_store_mix(owner, TAG_ROAMING)};
        if (p->calls_rate.limit)
            k[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, ssgw_store_mix(ck, BUCKET_RATE), 0};
        uint64_t called = key_of(v->isup.f.called.digits);
        if (p->calls_fanout.limit && called) {
            k[n++] = (ssgw_store_key){SSGW_STORE_MARK, ck, ssgw_store_mix(called, TAG_FANOUT)};
            k[n++] = (ssgw_store_key){SSGW_STORE_MARK, ck, TAG_OVER};
            k[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, ssgw_store_mix(ck, BUCKET_FANOUT), 0};
        }
        if (p->calls_wangiri.limit) {
            k[n++] = (ssgw_store_key){SSGW_STORE_MARK, ck, TAG_WANGIRI};
            /* its REL may come in the same batch, before the circuit is known here */
            if (called) {
                k[n++] = (ssgw_store_key){SSGW_STORE_MARK, ck, ssgw_store_mix(called, TAG_SHORT)};
                k[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, ssgw_store_mix(ck, BUCKET_SHORT), 0};
            }
        }
    }
    /* a REL ending a short unanswered call: short_call's records (the circuit is local). A
     * store that warms (the embedded one) is listed for beside the judging thread
     * (ssgw_pipeline_store_keys), where its records must not be read: the circuit's record
     * only, to be warmed */
    ssgw_store *s = cx->store;
    ssgw_store_call c;
    bool rel = cx->dir == SSGW_DIR_INBOUND && v->has_isup && v->has_label &&
               v->isup.type == SSGW_ISUP_REL && p->calls_wangiri.limit && s->ops->call_get;
    uint64_t circuit = rel ? ssgw_store_circuit_key(v->opc, v->dpc, v->isup.cic) : 0;
    if (rel && s->ops->warm)
        k[n++] = (ssgw_store_key){SSGW_STORE_CALL, circuit, 0};
    else if (rel && s->ops->call_get(s, circuit, &c) == 1 && c.state == SSGW_CALL_SETUP &&
             c.calling && c.called) {
        k[n++] = (ssgw_store_key){SSGW_STORE_MARK, c.calling, ssgw_store_mix(c.called, TAG_SHORT)};
        k[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, ssgw_store_mix(c.calling, BUCKET_SHORT), 0};
    }
    if (n > cap) n = cap;
    memcpy(keys, k, n * sizeof *k);
    return n;
}

/* Our HLR's insertSubscriberData to a partner's VLR: the subscriber roams there, and calls
 * it makes come home from that partner with its own number. */
void ssgw_check_learn_roaming(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (!ssgw_check_learns_roaming(cx) || ssgw_check_need_map(cx) < 0) return;
    uint64_t k = key_of(v->map.msisdn.digits);
    if (k)
        cx->store->ops->mark_put(cx->store, k, ssgw_store_mix(cx->called_owner, TAG_ROAMING),
                                 cx->now_s, cx->called_owner,
                                 (uint32_t)cx->p->calls_roaming_window);
}
