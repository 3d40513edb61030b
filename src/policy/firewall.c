/*
 * inspect.c - the inspection pipeline (include/ssgw/firewall.h): derives the
 * facts every check needs once per message (direction, GT owners, operations,
 * category), applies malformed handling, operator rules and the registered
 * checks (src/policy/checks.c), then learns state from what passes.
 */
#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"
#include "ssgw/digits.h"
#include "ssgw/firewall.h"

static const char *const malformed_names[SSGW_LAYER_COUNT] = {
    "malformed.none", "malformed.capture", "malformed.link", "malformed.ip",
    "malformed.sctp", "malformed.tcp",     "malformed.m3ua", "malformed.mtp3",
    "malformed.sccp", "malformed.tcap",    "malformed.map",  "malformed.ber",
};

/*
 * Owner and roles of recently seen GTs, keyed by the packed digits (exact, no hashing
 * collisions: ssgw_store_pack_digits is one-to-one on 1..15 digits). A network talks to
 * a few hundred node GTs, so most lookups skip the trie walk of 12+ digits.
 */
#define GT_MEMO_SLOTS 512

typedef struct {
    uint64_t key; /* 0: empty */
    uint16_t owner;
    uint8_t roles;
} gt_memo;

struct ssgw_firewall {
    const ssgw_policy *p;
    ssgw_store *store;
    bool own_store;
    bool monitor;
    size_t n_checks;
    size_t n_deciders;
    uint64_t *hits;
    ssgw_check_fn *fns; /* the enabled built-in checks before "default", in order */
    size_t *fn_index;   /* their registry index */
    size_t n_fns;
    ssgw_firewall_stats st;
    gt_memo gt_memo[GT_MEMO_SLOTS];
};

/* trie_lookup(&p->gt, gt, ...) through the memo; key is ssgw_store_pack_digits(gt). */
static void gt_lookup(ssgw_firewall *in, const char *gt, uint64_t key, uint16_t *owner,
                      uint8_t *roles)
{
    if (!key) {
        trie_lookup(&in->p->gt, gt, owner, roles);
        return;
    }
    gt_memo *m = &in->gt_memo[(key * 0x9e3779b97f4a7c15ull) >> 55];
    if (m->key == key) {
        *owner = m->owner;
        *roles = m->roles;
        return;
    }
    trie_lookup(&in->p->gt, gt, owner, roles);
    m->key = key;
    m->owner = *owner;
    m->roles = *roles;
}

ssgw_firewall *ssgw_firewall_new(const ssgw_policy *p, ssgw_store *store)
{
    if (!p) return NULL;
    ssgw_firewall *in = calloc(1, sizeof *in);
    if (!in) return NULL;
    in->p = p;
    in->monitor = p->monitor;
    in->n_checks = ssgw_check_count();
    in->n_deciders = in->n_checks + SSGW_LAYER_COUNT + p->n_rules;
    in->hits = calloc(in->n_deciders, sizeof *in->hits);
    size_t last = (size_t)ssgw_check_default_index();
    in->fns = calloc(last + 1, sizeof *in->fns);
    in->fn_index = calloc(last + 1, sizeof *in->fn_index);
    if (in->fns && in->fn_index)
        for (size_t i = 0; i < last; i++)
            if (p->checks[i].enabled) {
                in->fns[in->n_fns] = ssgw_check_fn_at(i);
                in->fn_index[in->n_fns++] = i;
            }
    if (!store) {
        ssgw_store_limits l = {(size_t)p->st_subscribers, (size_t)p->st_marks,
                               (size_t)p->st_dialogues, (size_t)p->st_buckets};
        store = ssgw_store_embedded_new(&l);
        in->own_store = true;
    }
    in->store = store;
    if (!in->hits || !in->fns || !in->fn_index || !store) {
        ssgw_firewall_free(in);
        return NULL;
    }
    return in;
}

void ssgw_firewall_free(ssgw_firewall *in)
{
    if (!in) return;
    if (in->own_store) ssgw_store_free(in->store);
    free(in->hits);
    free(in->fns);
    free(in->fn_index);
    free(in);
}

void ssgw_firewall_set_monitor(ssgw_firewall *in, bool monitor)
{
    in->monitor = monitor;
}
const ssgw_firewall_stats *ssgw_firewall_get_stats(const ssgw_firewall *in)
{
    return &in->st;
}
size_t ssgw_firewall_decider_count(const ssgw_firewall *in)
{
    return in->n_deciders;
}
ssgw_store *ssgw_firewall_store(ssgw_firewall *in)
{
    return in->store;
}

const char *ssgw_firewall_decider_name(const ssgw_firewall *in, size_t i)
{
    if (i < in->n_checks) return ssgw_check_at(i)->name;
    i -= in->n_checks;
    if (i < SSGW_LAYER_COUNT) return malformed_names[i];
    i -= SSGW_LAYER_COUNT;
    return i < in->p->n_rules ? in->p->rules[i].decider : "unknown";
}

uint64_t ssgw_firewall_decider_hits(const ssgw_firewall *in, size_t i)
{
    return i < in->n_deciders ? in->hits[i] : 0;
}

static bool pc_in(const intlist *l, uint32_t pc)
{
    for (size_t i = 0; i < l->n; i++)
        if ((uint32_t)l->v[i] == pc) return true;
    return false;
}

static ssgw_direction derive_direction(const ssgw_policy *p, const ssgw_view *v, uint16_t called)
{
    if (v->has_label && p->home.pc.n)
        return pc_in(&p->home.pc, v->dpc) ? SSGW_DIR_INBOUND : SSGW_DIR_OUTBOUND;
    return called == OWNER_HOME ? SSGW_DIR_INBOUND : SSGW_DIR_OUTBOUND;
}

ssgw_direction ssgw_policy_direction(const ssgw_policy *p, const ssgw_view *v)
{
    uint16_t owner = 0;
    uint8_t roles;
    if (!(v->has_label && p->home.pc.n))
        trie_lookup(&p->gt, v->has_sccp ? v->sccp.called.digits : "", &owner, &roles);
    return derive_direction(p, v, owner);
}

static bool prefix_any(const strlist *l, const char *digits)
{
    for (size_t i = 0; i < l->n; i++)
        if (ssgw_digits_has_prefix(digits, l->v[i])) return true;
    return false;
}

static bool ssn_any(const intlist *l, const ssgw_sccp_addr *a)
{
    if (!a->has_ssn) return false;
    for (size_t i = 0; i < l->n; i++)
        if ((uint8_t)l->v[i] == a->ssn) return true;
    return false;
}

static bool rule_matches(ssgw_check_ctx *cx, const rule *r)
{
    const ssgw_view *v = cx->v;
    if (r->dir != SSGW_DIR_UNKNOWN && r->dir != cx->dir) return false;
    if (r->has_ops) {
        bool any = false;
        for (unsigned i = 0; i < cx->n_invokes && !any && cx->is_map; i++)
            any = opset_has(&r->ops, cx->invoke_ops[i]);
        if (!any) return false;
    }
    if (r->cat_mask && !(r->cat_mask & (1u << cx->cat))) return false;
    if (r->tcap_mask && (!v->has_tcap || !(r->tcap_mask & (1u << v->tcap.type)))) return false;
    if (r->calling_gt.n && !prefix_any(&r->calling_gt, cx->calling)) return false;
    if (r->called_gt.n && !prefix_any(&r->called_gt, cx->called)) return false;
    if (r->calling_ssn.n && (!v->has_sccp || !ssn_any(&r->calling_ssn, &v->sccp.calling)))
        return false;
    if (r->called_ssn.n && (!v->has_sccp || !ssn_any(&r->called_ssn, &v->sccp.called)))
        return false;
    if (r->n_owners) {
        bool any = false;
        for (size_t i = 0; i < r->n_owners && !any; i++)
            any = r->owners[i] == cx->calling_owner;
        if (!any) return false;
    }
    if (r->imsi.n) {
        if (ssgw_check_need_map(cx) < 0 || !cx->imsi[0] || !prefix_any(&r->imsi, cx->imsi))
            return false;
    }
    return true;
}

static void decide(ssgw_firewall *in, ssgw_verdict *out, size_t decider, const char *name,
                   ssgw_action action, const ssgw_answer *answer)
{
    out->decider = (int)decider;
    out->check = name;
    out->action = action;
    if (action == SSGW_ACT_ANSWER && answer) out->answer = *answer;
    in->hits[decider]++;
}

/* The facts every check needs, derived once per message into cx (reason: where a check
 * writes its sentence, may be NULL). memo: GT owners through the firewall's memo (which
 * writes it: only under the caller's lock). */
static void derive_facts(ssgw_firewall *in, ssgw_view *v, const ssgw_firewall_meta *meta,
                         ssgw_check_ctx *cx, char *reason, size_t reason_cap, bool memo)
{
    const ssgw_policy *p = in->p;
    cx->p = p;
    cx->store = in->store;
    cx->v = v;
    cx->now_ms = meta ? meta->time_ms : 0;
    cx->now_s = (uint32_t)(cx->now_ms / 1000u);
    cx->reason = reason;
    cx->reason_cap = reason_cap;
    cx->map_decoded = false;
    cx->imsi = "";
    cx->imsi_owner = 0;
    cx->imsi_key = 0;
    uint8_t roles;
    cx->calling = v->has_sccp ? v->sccp.calling.digits : "";
    cx->called = v->has_sccp ? v->sccp.called.digits : "";
    cx->calling_key = ssgw_store_pack_digits(cx->calling);
    if (memo) {
        gt_lookup(in, cx->calling, cx->calling_key, &cx->calling_owner, &cx->calling_roles);
        gt_lookup(in, cx->called, ssgw_store_pack_digits(cx->called), &cx->called_owner, &roles);
    } else {
        trie_lookup(&p->gt, cx->calling, &cx->calling_owner, &cx->calling_roles);
        trie_lookup(&p->gt, cx->called, &cx->called_owner, &roles);
    }
    cx->dir = meta && meta->direction != SSGW_DIR_UNKNOWN
                  ? meta->direction
                  : derive_direction(p, v, cx->called_owner);
    cx->has_peer = meta && meta->has_peer;
    cx->peer = cx->has_peer ? meta->peer : 0;
    if (!cx->has_peer && v->has_label) {
        cx->has_peer = true;
        cx->peer = v->opc;
    }
    cx->is_map = v->has_tcap && !v->acn_other;
    if (cx->is_map && !v->acn && v->has_sccp &&
        (v->sccp.called.ssn == 146 || v->sccp.calling.ssn == 146))
        cx->is_map = false; /* CAP (SSN 146) continuation without a context name */
    cx->n_invokes = 0;
    cx->op = -1;
    if (v->has_tcap)
        for (unsigned i = 0; i < v->ncomp; i++) {
            const ssgw_tcap_component *c = &v->comp[i];
            if (c->type == SSGW_TCAP_COMP_INVOKE && c->opcode.kind == SSGW_TCAP_CODE_LOCAL &&
                c->opcode.local >= 0 && c->opcode.local <= 127)
                cx->invoke_ops[cx->n_invokes++] = (int)c->opcode.local;
        }
    if (cx->n_invokes) cx->op = cx->invoke_ops[0];
    cx->cat = cx->is_map ? ssgw_policy_category(v->acn, false, cx->op) : SSGW_CAT_NONE;
}

/* The token bucket of rate-limit rule i for this message's calling GT. */
static uint64_t rule_bucket(const ssgw_check_ctx *cx, size_t i)
{
    return ssgw_store_mix(cx->calling_key, 0x52554c45ull + i);
}

size_t ssgw_firewall_prefetch_keys(ssgw_firewall *in, ssgw_view *v, const ssgw_firewall_meta *meta,
                                   ssgw_store_key *keys, size_t cap)
{
    if (!in || !v || v->has_error) return 0;
    ssgw_check_ctx cx;
    derive_facts(in, v, meta, &cx, NULL, 0, false);
    size_t n = 0;
    for (size_t i = 0; i < in->p->n_rules && n < cap; i++) {
        const rule *r = &in->p->rules[i];
        if (r->action == SSGW_ACT_RATE_LIMIT && rule_matches(&cx, r))
            keys[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, rule_bucket(&cx, i), 0};
    }
    if (cx.dir == SSGW_DIR_INBOUND && v->has_tcap) n += ssgw_check_prefetch(&cx, keys + n, cap - n);
    return n;
}

int ssgw_firewall_judge(ssgw_firewall *in, ssgw_view *v, const ssgw_firewall_meta *meta,
                        ssgw_verdict *out)
{
    if (!in || !v || !out) return -1;
    const ssgw_policy *p = in->p;
    ssgw_check_ctx cx;
    derive_facts(in, v, meta, &cx, out->reason, sizeof out->reason, true);

    out->answer.kind = SSGW_ANSWER_NONE;
    out->answer.code = 0;
    out->reason[0] = '\0';
    out->direction = cx.dir;
    out->opcode = cx.op;
    out->category = cx.cat;

    /* inbound MAP parameters are decoded up front so a malformed one is caught */
    if (cx.dir == SSGW_DIR_INBOUND && cx.is_map && !v->has_error) ssgw_check_need_map(&cx);

    bool decided = false;
    if (v->has_error) {
        ssgw_layer l = v->error.layer < SSGW_LAYER_COUNT ? v->error.layer : SSGW_LAYER_NONE;
        decide(in, out, in->n_checks + l, malformed_names[l], p->malformed, &p->malformed_answer);
        char e[160];
        ssgw_error_format(&v->error, e, sizeof e);
        snprintf(out->reason, sizeof out->reason, "the message does not decode: %s", e);
        decided = true;
    }
    for (size_t i = 0; !decided && i < p->n_rules; i++) {
        const rule *r = &p->rules[i];
        if (!rule_matches(&cx, r)) continue;
        if (r->action == SSGW_ACT_RATE_LIMIT) {
            if (in->store->ops->bucket_take(in->store, rule_bucket(&cx, i), r->rate.limit,
                                            r->rate.period, r->rate.limit, cx.now_ms) != 0)
                continue; /* within its rate: the rule lets it go on */
            snprintf(out->reason, sizeof out->reason,
                     "rule %s: more than %u matching messages from %s in %u s", r->name,
                     r->rate.limit, cx.calling[0] ? cx.calling : "(no GT)", r->rate.period);
        } else {
            snprintf(out->reason, sizeof out->reason, "operator rule %s matched (line %d)", r->name,
                     r->line);
        }
        decide(in, out, in->n_checks + SSGW_LAYER_COUNT + i, r->decider, r->action, &r->answer);
        decided = true;
    }
    if (!decided && cx.dir == SSGW_DIR_INBOUND && v->has_tcap) {
        for (size_t k = 0; k < in->n_fns; k++) {
            if (in->fns[k](&cx)) {
                size_t i = in->fn_index[k];
                const check_setting *cs = &p->checks[i];
                decide(in, out, i, ssgw_check_at(i)->name, cs->action, &cs->answer);
                decided = true;
                break;
            }
        }
    }
    if (!decided) {
        size_t d = (size_t)ssgw_check_default_index();
        decide(in, out, d, "default", SSGW_ACT_ALLOW, NULL);
        memcpy(out->reason, "no check objected", sizeof "no check objected");
    }
    bool passes = out->action == SSGW_ACT_ALLOW || out->action == SSGW_ACT_ALERT;
    out->enforced = !in->monitor;
    out->pass = in->monitor || passes;
    in->st.messages++;
    in->st.by_action[out->action]++;
    if (out->pass)
        in->st.passed++;
    else
        in->st.blocked++;
    if (passes && !v->has_error) ssgw_check_learn(&cx);
    return 0;
}
