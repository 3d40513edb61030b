/*
 * firewall.c - the inspection pipeline's judge (include/ssgw/firewall.h): derives the
 * facts every check needs once per message (direction, GT owners, operations,
 * category), applies malformed handling, operator rules and the registered
 * checks (src/policy/checks.c), then learns state from what passes.
 *
 * Hot path, written for it by hand: the checks to run are a plan built when the firewall
 * is made (and again after a runtime switch), one list per message kind, policy operation
 * and set of the facts some checks need (ssgw_check_facts), so that a message meets only
 * the checks that may object to it, without a per-message filter (issue 16; the lists are
 * compared with running every check in tests/unit/test_check_lists.c).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy_int.h"
#include "ssgw/digits.h"
#include "ssgw/firewall.h"

static const char *const malformed_names[SSGW_LAYER_COUNT] = {
    [SSGW_LAYER_NONE] = "malformed.none",         [SSGW_LAYER_CAPTURE] = "malformed.capture",
    [SSGW_LAYER_LINK] = "malformed.link",         [SSGW_LAYER_IP] = "malformed.ip",
    [SSGW_LAYER_SCTP] = "malformed.sctp",         [SSGW_LAYER_TCP] = "malformed.tcp",
    [SSGW_LAYER_M3UA] = "malformed.m3ua",         [SSGW_LAYER_MTP3] = "malformed.mtp3",
    [SSGW_LAYER_SCCP] = "malformed.sccp",         [SSGW_LAYER_TCAP] = "malformed.tcap",
    [SSGW_LAYER_MAP] = "malformed.map",           [SSGW_LAYER_BER] = "malformed.ber",
    [SSGW_LAYER_ISUP] = "malformed.isup",         [SSGW_LAYER_SMS] = "malformed.sms",
    [SSGW_LAYER_DIAMETER] = "malformed.diameter",
};

/* The deciders of the layers issue 11 added (TCAP users, SCCP users, probe framings). */
static const char *const added_malformed_names[SSGW_LAYER_COUNT] = {
    [SSGW_LAYER_CAP] = "malformed.cap",   [SSGW_LAYER_ANSI_TCAP] = "malformed.ansi_tcap",
    [SSGW_LAYER_SCMG] = "malformed.scmg", [SSGW_LAYER_M2PA] = "malformed.m2pa",
    [SSGW_LAYER_M2UA] = "malformed.m2ua", [SSGW_LAYER_SUA] = "malformed.sua",
    [SSGW_LAYER_MTP2] = "malformed.mtp2",
};

static const char *malformed_name(ssgw_layer l)
{
    return malformed_names[l] ? malformed_names[l] : added_malformed_names[l];
}

/*
 * Owner, roles and packed key (ssgw_store_pack_digits_in) of recently seen GTs, keyed by the
 * first 16 octets of the digits array as they are: exact, no hashing collisions, for a GT of
 * 1..15 digits (its NUL among those octets). A network talks to a few hundred node GTs, so
 * most messages skip both the packing and the trie walk of 12+ digits. The SCCP decoders
 * clear the array past the NUL (ssgw_digits_clear); an array that holds other octets there
 * only misses the memo.
 */
#define GT_MEMO_SLOTS 512

/* The lists of checks to run: per message kind (ssgw_check_kind) and policy operation -1..127
 * (SEL_LISTS), and per set of the facts some checks need (ssgw_check_facts: PLAN_LISTS). */
#define POP_SLOTS  (SSGW_MAP_OPCODE_MAX + 2)
#define SEL_LISTS  (SSGW_CHECK_KIND_COUNT * POP_SLOTS)
#define PLAN_LISTS (SEL_LISTS * SSGW_CHECK_FACT_SETS)

/* A check to run: its function, registry index and mode now (ssgw_check_mode), side by side
 * for the loop of run_checks. */
typedef struct {
    ssgw_check_fn fn;
    uint32_t index;
    uint8_t mode;
} fw_check;

typedef struct {
    uint64_t lo, hi; /* the digits' octets 0-7 and 8-15 (all 0xff: empty) */
    uint64_t key;    /* ssgw_store_pack_digits_in of the GT */
    uint16_t owner;
    uint8_t roles;
} gt_memo;

struct ssgw_firewall {
    const ssgw_policy *p;
    ssgw_store *store;
    uint64_t learn_failures; /* store failures while learning (ssgw_firewall_learn_failures) */
    bool own_store;
    bool monitor;
    size_t n_checks;
    size_t n_deciders;
    uint64_t *hits;
    fw_check *fns; /* the built-in SS7 checks before "default" not off, in order */
    size_t n_fns;
    /* positions in fns of the checks that may object to a message (ssgw_check_may_object,
     * ssgw_check_needs), per message kind, policy operation and set of facts: list l is
     * n_sel[l] positions at pool + sel_at[l] (lists alike share their positions) */
    uint32_t *sel_at;
    uint16_t *n_sel;
    uint16_t *pool;
    size_t pool_cap;
    bool lists_stale;     /* a switch changed a mode: build_fns before the next judgement */
    bool lists_ok;        /* build_lists succeeded */
    bool run_all;         /* every_check, or the lists could not be built (out of memory) */
    ssgw_view *one;       /* judge_components' copy of a message with one of its components */
    ssgw_take_memo takes; /* the buckets a message with several components took */
    uint16_t *all;        /* 0, 1, 2...: every position (every_check, the Diameter checks) */
    bool every_check;     /* run every check, not the list (ssgw_firewall_set_every_check) */
    fw_check *dfns;       /* the Diameter checks not off, in order */
    size_t n_dfns;
    bool learn_all;               /* every check not off in learn mode (analyze --learn) */
    struct ssgw_learner *learner; /* fed with what the verdict does not refuse, or NULL */
    uint64_t *tested, *learned;   /* per registry entry: objections in test / learn mode */
    ssgw_firewall_stats st;
    uint64_t text_key;    /* keys SMS text fingerprints (checks_sms.c) */
    int8_t *check_switch; /* per registry entry: ssgw_fw_switch */
    bool *partner_off;    /* per partner */
    uint64_t *party_msgs; /* [0] unknown, [1 + i] partner i */
    uint64_t *party_refused;
    /* the packed key, owner and roles of no GT (a message without SCCP: ISUP), once */
    uint64_t no_gt_key;
    uint16_t no_gt_owner;
    uint8_t no_gt_roles;
    gt_memo gt_memo[GT_MEMO_SLOTS];
    uint64_t serial; /* this firewall's, of all made: whose answers a keys_memo holds */
};

/* The memo of ssgw_firewall_prefetch_keys, one per thread: the listing runs beside the
 * thread that judges (ssgw analyze --threads lists the keys where it decodes ahead, on one
 * or several threads), and without a memo its two GT walks were a third of its cost (issue
 * 16). Emptied when the thread lists for another firewall (serial); its answers only choose
 * which records are warmed, never a verdict. */
static _Thread_local struct {
    uint64_t serial;
    gt_memo slot[GT_MEMO_SLOTS];
} keys_memo;
static _Atomic uint64_t fw_serials;

/* The mode of check i now: the file's, or a runtime switch's; then monitor mode (enforce
 * becomes test) and learn-all (everything not off learns). */
static ssgw_check_mode effective_mode(const ssgw_firewall *in, size_t i)
{
    ssgw_check_mode file = in->p->checks[i].mode, m;
    switch (in->check_switch[i]) {
    case SSGW_FW_SWITCH_OFF:
        m = SSGW_CHECK_OFF;
        break;
    case SSGW_FW_SWITCH_ON:
        m = file == SSGW_CHECK_OFF ? SSGW_CHECK_ENFORCE : file;
        break;
    case SSGW_FW_SWITCH_LEARN:
        m = SSGW_CHECK_LEARN;
        break;
    case SSGW_FW_SWITCH_TEST:
        m = SSGW_CHECK_TEST;
        break;
    case SSGW_FW_SWITCH_ENFORCE:
        m = SSGW_CHECK_ENFORCE;
        break;
    default:
        m = file;
    }
    if (m == SSGW_CHECK_ENFORCE && in->monitor) m = SSGW_CHECK_TEST;
    if (m != SSGW_CHECK_OFF && in->learn_all) m = SSGW_CHECK_LEARN;
    return m;
}

/* ssgw_check_may_object's answers, which depend on the registry alone: bit i of row l
 * (may_stride bytes) for registry entry i and list l; and ssgw_check_needs' (may_needs[i]).
 * Asked once per process, so that a new firewall or a runtime switch builds its lists from
 * bits (NULL when out of memory: then ssgw_firewall_new fails). */
static uint8_t *may_bits, *may_needs;
static size_t may_stride;
static pthread_once_t may_once = PTHREAD_ONCE_INIT;

static void fill_may(void)
{
    size_t last = (size_t)ssgw_check_default_index();
    may_stride = (last + 8) / 8;
    may_needs = malloc(last + 1);
    for (size_t i = 0; may_needs && i <= last; i++)
        may_needs[i] = (uint8_t)ssgw_check_needs(i);
    may_bits = may_needs ? calloc(SEL_LISTS, may_stride) : NULL;
    for (size_t l = 0; may_bits && l < SEL_LISTS; l++) {
        uint8_t *row = may_bits + l * may_stride;
        for (size_t i = 0; i < last; i++)
            if (ssgw_check_may_object(i, (ssgw_check_kind)(l / POP_SLOTS),
                                      (int)(l % POP_SLOTS) - 1))
                row[i / 8] |= (uint8_t)(1u << (i % 8));
    }
}

/* FNV-1a of n positions: where build_lists looks for a list alike. */
static uint32_t list_hash(const uint16_t *pos, size_t n)
{
    uint32_t h = 2166136261u ^ (uint32_t)n;
    for (size_t k = 0; k < n; k++)
        h = (h ^ pos[k]) * 16777619u;
    return h;
}

/*
 * The plan: for each list (kind, policy operation, facts), the positions in fns of the checks
 * that may object to such a message, in registry order; a list alike an earlier one shares
 * its positions (most operations have the same checks). Returns false when out of memory.
 */
static bool build_lists(ssgw_firewall *in)
{
    enum { SLOTS = 16384 }; /* open addressing over the distinct lists, at most half full */
    _Static_assert(SLOTS >= 2 * PLAN_LISTS, "the slots outnumber the lists twice");
    uint32_t *slot = calloc(SLOTS, sizeof *slot); /* 0 empty, else 1 + a list */
    uint16_t *pos = malloc((in->n_fns + 1) * sizeof *pos);
    size_t used = 0;
    bool ok = slot && pos;
    for (size_t l = 0; ok && l < PLAN_LISTS; l++) {
        const uint8_t *row = may_bits + (l / SSGW_CHECK_FACT_SETS) * may_stride;
        unsigned facts = (unsigned)(l % SSGW_CHECK_FACT_SETS);
        size_t n = 0;
        for (size_t k = 0; k < in->n_fns; k++) {
            uint32_t i = in->fns[k].index;
            if (row[i / 8] >> (i % 8) & 1 && !(may_needs[i] & ~facts)) pos[n++] = (uint16_t)k;
        }
        uint32_t s = list_hash(pos, n) & (SLOTS - 1);
        for (; slot[s]; s = (s + 1) & (SLOTS - 1)) {
            size_t m = slot[s] - 1;
            if (in->n_sel[m] == n && !memcmp(in->pool + in->sel_at[m], pos, n * sizeof *pos)) break;
        }
        if (slot[s]) { /* alike an earlier list */
            in->sel_at[l] = in->sel_at[slot[s] - 1];
            in->n_sel[l] = (uint16_t)n;
            continue;
        }
        if (used + n > in->pool_cap) {
            size_t cap = 2 * (used + n);
            uint16_t *grown = realloc(in->pool, cap * sizeof *grown);
            if (!grown) {
                ok = false;
                break;
            }
            in->pool = grown;
            in->pool_cap = cap;
        }
        if (n) memcpy(in->pool + used, pos, n * sizeof *pos);
        in->sel_at[l] = (uint32_t)used;
        in->n_sel[l] = (uint16_t)n;
        used += n;
        slot[s] = (uint32_t)l + 1;
    }
    free(slot);
    free(pos);
    return ok;
}

/* The checks before "default" that are not off, in registry order, with their modes: SS7
 * ones and Diameter ones apart; then their lists (build_lists). When these cannot be built
 * (out of memory), every check runs on every message: slower, the same verdicts. */
static void build_fns(ssgw_firewall *in)
{
    size_t last = (size_t)ssgw_check_default_index();
    in->n_fns = in->n_dfns = 0;
    for (size_t i = 0; i < last; i++) {
        ssgw_check_mode m = effective_mode(in, i);
        if (m == SSGW_CHECK_OFF) continue;
        fw_check c = {ssgw_check_fn_at(i), (uint32_t)i, (uint8_t)m};
        if (ssgw_check_at(i)->protocol == SSGW_CHECK_DIAMETER)
            in->dfns[in->n_dfns++] = c;
        else
            in->fns[in->n_fns++] = c;
    }
    in->lists_ok = build_lists(in);
    in->run_all = in->every_check || !in->lists_ok;
}

/* The list of checks for cx's message (after ssgw_check_prepare). */
static size_t sel_list(const ssgw_check_ctx *cx)
{
    int pop = cx->pop;
    size_t l = (size_t)ssgw_check_kind_of(cx) * POP_SLOTS +
               (pop >= 0 && pop <= SSGW_MAP_OPCODE_MAX ? (size_t)pop + 1 : 0);
    return l * SSGW_CHECK_FACT_SETS + ssgw_check_facts(cx);
}

/* Whether one of the eight octets of x is 0. */
static inline bool has_nul(uint64_t x)
{
    return ((x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull) != 0;
}

/* gt_lookup without the memo's answer: the packing and the trie walk, noted in m when the
 * 16 octets hold the whole GT (its NUL among them). Inline: the generated traffic's GTs are
 * all different, and a call here cost it ~35 instructions a message (issue 16). */
static inline __attribute__((always_inline)) void gt_walk(ssgw_firewall *in, const char *gt,
                                                          gt_memo *m, uint64_t lo, uint64_t hi,
                                                          uint64_t *key, uint16_t *owner,
                                                          uint8_t *roles)
{
    *key = ssgw_store_pack_digits_in(gt, 16);
    trie_lookup(&in->p->gt, gt, owner, roles);
    if (!has_nul(lo) && !has_nul(hi)) return; /* 16 digits or more: not noted */
    m->lo = lo;
    m->hi = hi;
    m->key = *key;
    m->owner = *owner;
    m->roles = *roles;
}

/* The packed key of gt (an SCCP digits array, 16 octets readable) and trie_lookup(&p->gt, gt,
 * ...), through the memo. A slot holds only octets that decide the answer: a GT with its
 * NUL among them, or (empty) sixteen 0xff, whose answer gt_memo_clear notes. */
static inline __attribute__((always_inline)) void gt_lookup(ssgw_firewall *in, gt_memo *memo,
                                                            const char *gt, uint64_t *key,
                                                            uint16_t *owner, uint8_t *roles)
{
    uint64_t lo, hi;
    memcpy(&lo, gt, sizeof lo);
    memcpy(&hi, gt + sizeof lo, sizeof hi);
    gt_memo *m = &memo[((lo ^ hi * 0x9e3779b97f4a7c15ull) * 0xff51afd7ed558ccdull) >> 55];
    if (__builtin_expect(m->lo != lo || m->hi != hi, 0)) {
        gt_walk(in, gt, m, lo, hi, key, owner, roles);
        return;
    }
    *key = m->key;
    *owner = m->owner;
    *roles = m->roles;
}

/* Every slot empty: sixteen 0xff (no GT's octets), with their answer (a GT that starts with
 * a non-digit: no key, the trie's root, no roles), so that a slot never needs a test of its
 * own. */
static void gt_memo_clear(const ssgw_firewall *in, gt_memo *memo)
{
    char ff[17];
    memset(ff, 0xff, 16);
    ff[16] = '\0';
    gt_memo e = {UINT64_MAX, UINT64_MAX, ssgw_store_pack_digits_in(ff, 16), 0, 0};
    trie_lookup(&in->p->gt, ff, &e.owner, &e.roles);
    for (size_t i = 0; i < GT_MEMO_SLOTS; i++)
        memo[i] = e;
}

void ssgw_firewall_gt(ssgw_firewall *in, const char *gt, uint64_t *key, uint16_t *owner,
                      uint8_t *roles)
{
    gt_lookup(in, in->gt_memo, gt, key, owner, roles);
}

ssgw_firewall *ssgw_firewall_new(const ssgw_policy *p, ssgw_store *store)
{
    if (!p) return NULL;
    ssgw_firewall *in = calloc(1, sizeof *in);
    if (!in) return NULL;
    in->p = p;
    in->monitor = p->monitor;
    gt_memo_clear(in, in->gt_memo);
    in->serial = atomic_fetch_add(&fw_serials, 1) + 1;
    in->no_gt_key = ssgw_store_pack_digits_in("", 0);
    trie_lookup(&p->gt, "", &in->no_gt_owner, &in->no_gt_roles);
    /* a shared store's key, so that gateways sharing it fingerprint a text alike */
    uint64_t shared = store && store->ops->shared_secret ? store->ops->shared_secret(store) : 0;
    in->text_key = shared ? shared : p->text_key;
    in->n_checks = ssgw_check_count();
    in->n_deciders = in->n_checks + SSGW_LAYER_COUNT + p->n_rules + 1; /* + partner.disabled */
    in->hits = calloc(in->n_deciders, sizeof *in->hits);
    size_t last = (size_t)ssgw_check_default_index();
    in->fns = calloc(last + 1, sizeof *in->fns);
    in->all = calloc(last + 1, sizeof *in->all);
    for (size_t i = 0; in->all && i <= last; i++)
        in->all[i] = (uint16_t)i;
    in->tested = calloc(in->n_checks, sizeof *in->tested);
    in->learned = calloc(in->n_checks, sizeof *in->learned);
    in->check_switch = calloc(last + 1, sizeof *in->check_switch);
    in->partner_off = calloc(p->n_partners + 1, sizeof *in->partner_off);
    in->party_msgs = calloc(p->n_partners + 1, sizeof *in->party_msgs);
    in->party_refused = calloc(p->n_partners + 1, sizeof *in->party_refused);
    in->sel_at = calloc(PLAN_LISTS, sizeof *in->sel_at);
    in->n_sel = calloc(PLAN_LISTS, sizeof *in->n_sel);
    in->dfns = calloc(last + 1, sizeof *in->dfns);
    pthread_once(&may_once, fill_may);
    if (in->fns && in->check_switch && in->sel_at && in->n_sel && in->dfns && may_bits)
        build_fns(in);
    if (!store) {
        store = ssgw_store_embedded_new(&p->state.local); /* the [state] capacities */
        in->own_store = true;
    }
    in->store = store;
    if (!in->hits || !in->fns || !in->all || !in->tested || !in->learned || !in->check_switch ||
        !in->partner_off || !in->party_msgs || !in->party_refused || !in->sel_at || !in->n_sel ||
        !in->dfns || !may_bits || !in->lists_ok || !store) {
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
    free(in->all);
    free(in->tested);
    free(in->learned);
    free(in->check_switch);
    free(in->partner_off);
    free(in->party_msgs);
    free(in->party_refused);
    free(in->sel_at);
    free(in->n_sel);
    free(in->pool);
    free(in->dfns);
    free(in->one);
    free(in);
}

int ssgw_firewall_switch_check(ssgw_firewall *in, const char *name, ssgw_fw_switch sw)
{
    int i = ssgw_check_find(name);
    if (i < 0 || i >= ssgw_check_default_index()) return -1;
    in->check_switch[i] = (int8_t)sw;
    in->lists_stale = true; /* rebuilt once, however many switches come first */
    return 0;
}

int ssgw_firewall_switch_partner(ssgw_firewall *in, const char *name, ssgw_fw_switch sw)
{
    int i = policy_partner_find(in->p, name);
    if (i < 0) return -1;
    in->partner_off[i] = sw == SSGW_FW_SWITCH_OFF;
    return 0;
}

void ssgw_firewall_set_learn_all(ssgw_firewall *in, bool all)
{
    in->learn_all = all;
    in->lists_stale = true; /* rebuilt once, however many switches come first */
}

void ssgw_firewall_set_every_check(ssgw_firewall *in, bool every)
{
    in->every_check = every;
    in->run_all = every || !in->lists_ok;
}

void ssgw_firewall_set_learner(ssgw_firewall *in, struct ssgw_learner *l)
{
    in->learner = l;
}

void ssgw_firewall_check_stats(const ssgw_firewall *in, size_t i, ssgw_fw_check_stats *out)
{
    memset(out, 0, sizeof *out);
    if (i >= in->n_checks) return;
    out->mode = (int)i == ssgw_check_default_index() ? SSGW_CHECK_ENFORCE : effective_mode(in, i);
    out->tested = in->tested[i];
    out->learned = in->learned[i];
    out->enforced = in->hits[i] - in->tested[i];
}

size_t ssgw_firewall_party_count(const ssgw_firewall *in)
{
    return in->p->n_partners + 1;
}

void ssgw_firewall_party_stats_at(const ssgw_firewall *in, size_t i, ssgw_fw_party_stats *out)
{
    memset(out, 0, sizeof *out);
    if (i > in->p->n_partners) return;
    out->name = i ? in->p->partners[i - 1].name : "unknown";
    out->messages = in->party_msgs[i];
    out->refused = in->party_refused[i];
    out->disabled = i && in->partner_off[i - 1];
}

void ssgw_firewall_set_monitor(ssgw_firewall *in, bool monitor)
{
    in->monitor = monitor;
    in->lists_stale = true; /* rebuilt once, however many switches come first */
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
    if (i < SSGW_LAYER_COUNT) return malformed_name((ssgw_layer)i);
    i -= SSGW_LAYER_COUNT;
    if (i == in->p->n_rules) return "partner.disabled";
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

/* Diameter seen where the gateway sits: a request is inbound when its Destination-Realm (or
 * Destination-Host) is ours, an answer when its Origin-Realm is not. */
static ssgw_direction diameter_direction(const ssgw_policy *p, const ssgw_diam_msg *m,
                                         const ssgw_diam_fields *f)
{
    if (ssgw_diam_is_request(m))
        return policy_realm_owner(p, f->dest_realm.p, f->dest_realm.len) == OWNER_HOME ||
                       policy_dhost_owner(p, f->dest_host.p, f->dest_host.len) == OWNER_HOME
                   ? SSGW_DIR_INBOUND
                   : SSGW_DIR_OUTBOUND;
    return policy_realm_owner(p, f->origin_realm.p, f->origin_realm.len) == OWNER_HOME
               ? SSGW_DIR_OUTBOUND
               : SSGW_DIR_INBOUND;
}

/* ssgw_policy_direction of a Diameter message (out of line: its fields are large). */
static __attribute__((noinline)) ssgw_direction policy_diameter_direction(const ssgw_policy *p,
                                                                          const ssgw_view *v)
{
    ssgw_diam_fields f;
    ssgw_error e;
    ssgw_diam_fields_init(&f);
    if (ssgw_diam_fields_decode(&v->diameter, &f, &e) < 0) return SSGW_DIR_INBOUND;
    return diameter_direction(p, &v->diameter, &f);
}

ssgw_direction ssgw_policy_direction(const ssgw_policy *p, const ssgw_view *v)
{
    if (v->has_diameter) return policy_diameter_direction(p, v);
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
            any = opset_has(&r->ops, cx->invoke_ops[i]) || opset_has(&r->ops, cx->invoke_pops[i]);
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

/* What cx knows of its view's parameters and components, before they are looked at
 * (ssgw_check_need_map, the SMS checks, the class.* scan fill it in). */
static inline void forget_parameters(ssgw_check_ctx *cx)
{
    cx->map_decoded = false;
    cx->imsi = "";
    cx->imsi_owner = 0;
    cx->imsi_key = 0;
    cx->sms_state = cx->text_state = 0;
    cx->sender_done = false;
    cx->invokes_scanned = false;
}

/* The operations of cx->v's invokes, the first one's and its category. */
static inline __attribute__((always_inline)) void op_facts(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
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

/* The calling and called GTs of cx->v (cx->calling, cx->called), their packed keys, owners
 * and the calling GT's roles. memo: through it (the firewall's, written only under the
 * caller's lock, or the listing thread's keys_memo), NULL: none. A message without SCCP (ISUP) has
 * no GTs: "" for both, whose answer was worked out when the firewall was made (issue 16). */
static inline __attribute__((always_inline)) void gt_facts(ssgw_firewall *in, const ssgw_view *v,
                                                           ssgw_check_ctx *cx, gt_memo *memo)
{
    uint8_t roles;
    cx->calling = v->has_sccp ? v->sccp.calling.digits : "";
    cx->called = v->has_sccp ? v->sccp.called.digits : "";
    /* the digits arrays may be read whole (16 octets at least: gt_lookup,
     * ssgw_store_pack_digits_in) */
    _Static_assert(sizeof v->sccp.calling.digits >= 16, "16 octets readable");
    if (!v->has_sccp) {
        cx->calling_key = cx->called_key = in->no_gt_key;
        cx->calling_owner = cx->called_owner = in->no_gt_owner;
        cx->calling_roles = in->no_gt_roles;
    } else if (memo) {
        gt_lookup(in, memo, cx->calling, &cx->calling_key, &cx->calling_owner, &cx->calling_roles);
        gt_lookup(in, memo, cx->called, &cx->called_key, &cx->called_owner, &roles);
    } else {
        cx->calling_key = ssgw_store_pack_digits_in(cx->calling, sizeof v->sccp.calling.digits);
        cx->called_key = ssgw_store_pack_digits_in(cx->called, sizeof v->sccp.called.digits);
        trie_lookup(&in->p->gt, cx->calling, &cx->calling_owner, &cx->calling_roles);
        trie_lookup(&in->p->gt, cx->called, &cx->called_owner, &roles);
    }
}

void ssgw_firewall_gt_facts(ssgw_firewall *in, const ssgw_view *v, bool memo, uint64_t key[2],
                            uint16_t owner[2], uint8_t *calling_roles)
{
    ssgw_check_ctx cx;
    gt_facts(in, v, &cx, memo ? in->gt_memo : NULL);
    key[0] = cx.calling_key;
    key[1] = cx.called_key;
    owner[0] = cx.calling_owner;
    owner[1] = cx.called_owner;
    *calling_roles = cx.calling_roles;
}

/* The facts every check needs, derived once per message into cx (reason: where a check
 * writes its sentence, may be NULL). memo: GT owners through it (the firewall's, written
 * only under the caller's lock; or the thread's keys_memo), NULL: none. */
static void derive_facts(ssgw_firewall *in, ssgw_view *v, const ssgw_firewall_meta *meta,
                         ssgw_check_ctx *cx, char *reason, size_t reason_cap, gt_memo *memo)
{
    const ssgw_policy *p = in->p;
    cx->p = p;
    cx->store = in->store;
    cx->v = v;
    cx->text_key = in->text_key;
    cx->now_ms = meta ? meta->time_ms : 0;
    cx->now_s = (uint32_t)(cx->now_ms / 1000u);
    cx->reason = reason;
    cx->reason_cap = reason_cap;
    cx->takes = NULL;
    cx->component = false;
    forget_parameters(cx);
    cx->is_diameter = false;
    cx->request = false;
    cx->command = 0;
    cx->df = NULL;
    cx->realm_owner = cx->plmn_owner = OWNER_NONE;
    cx->peer_host = meta ? meta->peer_host : NULL;
    cx->peer_realm = meta ? meta->peer_realm : NULL;
    gt_facts(in, v, cx, memo);
    cx->dir = meta && meta->direction != SSGW_DIR_UNKNOWN
                  ? meta->direction
                  : derive_direction(p, v, cx->called_owner);
    cx->has_peer = meta && meta->has_peer;
    cx->peer = cx->has_peer ? meta->peer : 0;
    cx->source = meta ? meta->source : 0;
    if (!cx->has_peer && v->has_label) {
        cx->has_peer = true;
        cx->peer = v->opc;
    }
    /* MAP checks only for MAP dialogues: CAP, ANSI TCAP, SCCP management and users no table
     * knows are not judged with MAP meanings (the view names the user, issue 11) */
    cx->is_map = v->has_tcap && v->tcap_user == SSGW_TCU_MAP;
    op_facts(cx);
}

/* The token bucket of rate-limit rule i for this message's calling GT. */
static uint64_t rule_bucket(const ssgw_check_ctx *cx, size_t i)
{
    return ssgw_store_mix(cx->calling_key, 0x52554c45ull + i);
}

/*
 * Runs n checks (those of checks at the positions pos[0..n), in order) on cx, each in its
 * mode: the first objection of a check in enforce mode decides; a check in test mode that
 * objects first gives the verdict, reported but not enforced (*tested), unless a later
 * check in enforce mode refuses the message; checks in learn mode are counted and never
 * decide. Returns true when a check gave the verdict.
 */
static bool run_checks(ssgw_firewall *in, ssgw_check_ctx *cx, const fw_check *checks,
                       const uint16_t *pos, size_t n, ssgw_verdict *out, bool *tested,
                       ssgw_check_mode floor)
{
    const fw_check *test = NULL; /* the check in test mode that objected first */
    /* checks in a mode below floor are skipped (learn < test < enforce): after a test-mode
     * objection only a refusal may follow */
    for (const uint16_t *j = pos, *end = pos + n; j < end; j++) {
        const fw_check *c = &checks[*j];
        if (c->mode < floor) continue;
        if (!c->fn(cx)) continue;
        if (c->mode == SSGW_CHECK_LEARN) {
            in->learned[c->index]++;
            continue;
        }
        if (c->mode == SSGW_CHECK_TEST) {
            test = c; /* its reason stays: later checks write only to refuse */
            floor = SSGW_CHECK_ENFORCE;
            continue;
        }
        const check_setting *cs = &in->p->checks[c->index];
        decide(in, out, c->index, ssgw_check_at(c->index)->name, cs->action, &cs->answer);
        *tested = false;
        return true;
    }
    *tested = test != NULL;
    if (!test) return false;
    const check_setting *cs = &in->p->checks[test->index];
    decide(in, out, test->index, ssgw_check_at(test->index)->name, cs->action, &cs->answer);
    in->tested[test->index]++;
    return true;
}

/* Whether component i is judged (and learnt from) on its own. */
static bool judged_alone(const ssgw_tcap_component *c)
{
    return c->param_present || c->type == SSGW_TCAP_COMP_INVOKE;
}

/* Components judged one by one (judge_components): a MAP message with at least two that are
 * invokes or carry parameters. */
static bool several_components(const ssgw_view *v)
{
    unsigned k = 0;
    for (unsigned i = 0; i < v->ncomp; i++)
        k += judged_alone(&v->comp[i]);
    return k >= 2;
}

/* Sets c1 (from cx) and *one (from cx->v) to the message as if it carried component i
 * alone: its operation, its parameters. Only for a message whose parameters all decoded
 * before the checks ran (a check may have marked the view in error since: an SMS TPDU);
 * returns false when they do not decode (not reached then). */
static bool one_component(ssgw_view *one, const ssgw_check_ctx *cx, unsigned i, ssgw_check_ctx *c1)
{
    const ssgw_view *v = cx->v;
    *one = *v; /* its pointers lead into the message, not into v: v is not changed */
    one->ncomp = 1;
    one->comp[0] = v->comp[i];
    one->comp_truncated = false;
    one->map_done = one->sms_done = one->sms_all_done = one->has_sms = false;
    one->has_error = false;
    memset(&one->error, 0, sizeof one->error);
    *c1 = *cx;
    c1->v = one;
    c1->component = true;
    forget_parameters(c1);
    op_facts(c1);
    if (ssgw_check_need_map(c1) < 0) return false;
    ssgw_check_prepare(c1);
    return true;
}

/* How strongly a verdict refuses: 0 none; a test-mode objection 1 when its action passes
 * (alert, allow), 2 when it refuses; an enforced verdict 3 when it passes, 4 when it
 * refuses. */
static int strength(bool decided, bool tested, ssgw_action action)
{
    if (!decided) return 0;
    bool refuses = action != SSGW_ACT_ALLOW && action != SSGW_ACT_ALERT;
    return (tested ? 1 : 3) + refuses;
}

/*
 * A MAP message with several components (several_components). The view holds the
 * parameters of the last one (ssgw_view_map) and the checks take the first invoke's
 * operation, so the judgement of the whole message saw one with the other's parameters: an
 * insertSubscriberData about our subscriber followed by one about the sender's own passed.
 * Each component is judged again as if the message carried it alone, by the checks in test
 * and enforce mode, and the strongest verdict stands (strength(): an enforced refusal, an
 * enforced alert, a test-mode refusal, a test-mode alert, none; the first of equals, so that
 * monitor mode, where every check is in test mode, still tells a refusal from an alert);
 * a verdict replaced or not taken is taken back from the counters, so one decider counts per
 * message. Rate limits count each component so judged once (ssgw_check_take: the whole
 * message's take of a bucket is the first component's that takes it). decided / *tested: the whole
 * message's verdict so far. *by: the component whose verdict stands (left as it was when
 * the whole message's does). Returns whether a verdict stands.
 */
static bool judge_components(ssgw_firewall *in, const ssgw_check_ctx *cx, ssgw_verdict *out,
                             bool decided, bool *tested, int *by)
{
    const ssgw_view *v = cx->v;
    int now = strength(decided, *tested, decided ? out->action : SSGW_ACT_ALLOW);
    for (unsigned i = 0; i < v->ncomp && now < 4; i++) {
        if (!judged_alone(&v->comp[i])) continue;
        ssgw_check_ctx c1;
        if (!in->one) in->one = malloc(sizeof *in->one);
        if (!in->one || !one_component(in->one, cx, i, &c1)) {
            if (in->one) continue; /* not reached: every parameter decoded */
            /* out of memory: the components cannot be judged one by one, so none passes */
            if (decided) in->hits[out->decider]--;
            if (decided && *tested) in->tested[out->decider]--;
            decide(in, out, in->n_checks + SSGW_LAYER_MAP, malformed_name(SSGW_LAYER_MAP),
                   in->p->malformed, &in->p->malformed_answer);
            ssgw_reason_format(out->reason, sizeof out->reason,
                               "TCAP %s with %u components could not be judged one by one (out "
                               "of memory)",
                               ssgw_tcap_msg_type_name(v->tcap.type), v->ncomp);
            *tested = false;
            return true;
        }
        ssgw_verdict before = *out;
        size_t l = sel_list(&c1);
        bool t1 = false;
        if (!run_checks(in, &c1, in->fns, in->run_all ? in->all : in->pool + in->sel_at[l],
                        in->run_all ? in->n_fns : in->n_sel[l], out, &t1,
                        now >= 3 ? SSGW_CHECK_ENFORCE : SSGW_CHECK_TEST))
            continue;
        int got = strength(true, t1, out->action);
        if (got <= now) { /* not stronger: taken back */
            in->hits[out->decider]--;
            if (t1) in->tested[out->decider]--;
            *out = before;
            continue;
        }
        if (decided) in->hits[before.decider]--; /* the weaker verdict is replaced */
        if (decided && *tested) in->tested[before.decider]--;
        decided = true;
        *tested = t1;
        now = got;
        *by = (int)i;
    }
    return decided;
}

/*
 * Learning from a message that passes. A MAP message with several components teaches its
 * dialogue once and each component's operation and parameters apart (as judge_components
 * judges them): otherwise a location proven by one component (updateLocation) would be
 * learnt for the subscriber of another (the view's parameters are the last one's), and one
 * message could move any subscriber to the sender's VLR.
 */
static void learn(ssgw_firewall *in, ssgw_check_ctx *cx, bool parameters_decoded)
{
    const ssgw_view *v = cx->v;
    if (__builtin_expect(v->ncomp > 1, 0) && cx->is_map && parameters_decoded &&
        several_components(v)) {
        if (!in->one && !(in->one = malloc(sizeof *in->one))) return; /* learns nothing */
        ssgw_dialogue_learn(cx);
        for (unsigned i = 0; i < v->ncomp; i++) {
            ssgw_check_ctx c1;
            if (judged_alone(&v->comp[i]) && one_component(in->one, cx, i, &c1))
                ssgw_check_learn_parameters(&c1);
        }
        return;
    }
    ssgw_check_learn(cx);
}

/*
 * A Diameter message: its policy fields (a field that does not decode makes it malformed),
 * its facts, the direction when the front end did not give one, then the Diameter checks on
 * inbound requests, each in its mode (*tested as run_checks); operator rules are not
 * applied (they speak of SS7). Always decides.
 */
static bool judge_diameter(ssgw_firewall *in, ssgw_check_ctx *cx, const ssgw_firewall_meta *meta,
                           ssgw_verdict *out, bool *tested)
{
    ssgw_view *v = cx->v;
    if (ssgw_view_diameter(v) < 0) {
        decide(in, out, in->n_checks + SSGW_LAYER_DIAMETER, malformed_names[SSGW_LAYER_DIAMETER],
               in->p->malformed, &in->p->malformed_answer);
        char e[160];
        ssgw_error_format(&v->error, e, sizeof e);
        ssgw_reason_format(out->reason, sizeof out->reason, "the message does not decode: %s", e);
        return true;
    }
    ssgw_dcheck_facts(cx);
    if (!meta || meta->direction == SSGW_DIR_UNKNOWN)
        cx->dir = out->direction = diameter_direction(in->p, &v->diameter, &v->diam);
    if (cx->dir == SSGW_DIR_INBOUND && cx->request &&
        run_checks(in, cx, in->dfns, in->all, in->n_dfns, out, tested, SSGW_CHECK_LEARN))
        return true;
    decide(in, out, (size_t)ssgw_check_default_index(), "default", SSGW_ACT_ALLOW, NULL);
    memcpy(out->reason, "no check objected", sizeof "no check objected");
    return true;
}

/* The subscriber an incident is about: the IMSI, else a mix of the MSISDN; 0: none. */
static uint64_t incident_subject(ssgw_check_ctx *cx)
{
    uint64_t subject = 0;
    if (cx->is_diameter) {
        subject = cx->imsi_key;
        if (!subject && cx->df && cx->df->msisdn[0])
            subject = ssgw_store_mix(ssgw_store_pack_digits(cx->df->msisdn), 0x4d534953);
    } else if (cx->is_map && ssgw_check_need_map(cx) == 0) {
        subject = cx->imsi_key;
        if (!subject && cx->v->map.msisdn.digits[0])
            subject = ssgw_store_mix(ssgw_store_pack_digits(cx->v->map.msisdn.digits), 0x4d534953);
    }
    return subject;
}

/* The incident id of the message's subscriber (IMSI, else MSISDN), after a verdict that was
 * not a plain allow: the same id for every such verdict about it within the window. */
static void note_incident(ssgw_firewall *in, ssgw_check_ctx *cx, ssgw_verdict *out)
{
    ssgw_store *s = in->store;
    if (!s->ops->incident_touch || cx->v->has_error) return;
    uint64_t subject = incident_subject(cx);
    if (!subject) return;
    uint32_t id = 0, fresh = (uint32_t)ssgw_store_mix(subject, cx->now_s);
    if (s->ops->incident_touch(s, subject, cx->now_s, (uint32_t)in->p->incident_window,
                               fresh ? fresh : 1, &id) >= 0)
        out->incident = id;
}

size_t ssgw_firewall_prefetch_keys(ssgw_firewall *in, ssgw_view *v, const ssgw_firewall_meta *meta,
                                   ssgw_store_key *keys, size_t cap)
{
    if (!in || !v || (v->has_error && v->error.layer != SSGW_LAYER_ISUP)) return 0;
    ssgw_check_ctx cx;
    if (keys_memo.serial != in->serial) {
        gt_memo_clear(in, keys_memo.slot);
        keys_memo.serial = in->serial;
    }
    derive_facts(in, v, meta, &cx, NULL, 0, keys_memo.slot);
    size_t n = 0;
    bool may_refuse = cx.dir == SSGW_DIR_INBOUND; /* the checks; else only operator rules */
    if (v->has_diameter) {                        /* as judge_diameter: no operator rules */
        if (ssgw_view_diameter(v) < 0) return 0;
        ssgw_dcheck_facts(&cx);
        if (!meta || meta->direction == SSGW_DIR_UNKNOWN)
            cx.dir = diameter_direction(in->p, &v->diameter, &v->diam);
        may_refuse = cx.dir == SSGW_DIR_INBOUND && cx.request;
        if (may_refuse) n = ssgw_dcheck_prefetch(&cx, keys, cap);
    } else {
        ssgw_check_prepare(&cx); /* the policy operations the checks judge (pop) */
        for (size_t i = 0; i < in->p->n_rules && n < cap; i++) {
            const rule *r = &in->p->rules[i];
            if (!rule_matches(&cx, r)) continue;
            may_refuse = true;
            if (r->action == SSGW_ACT_RATE_LIMIT)
                keys[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, rule_bucket(&cx, i), 0};
        }
        bool decoded = !v->has_error; /* the SMS TPDU included (ssgw_check_prepare) */
        if (v->has_tcap) {            /* what the learning reads (ssgw_check_learn) */
            n += ssgw_dialogue_prefetch(&cx, keys + n, cap - n);
            n += ssgw_learn_location_prefetch(&cx, keys + n, cap - n);
        }
        if (cx.dir == SSGW_DIR_INBOUND && v->has_tcap) {
            n += ssgw_check_prefetch(&cx, keys + n, cap - n);
            n += ssgw_sms_prefetch(&cx, keys + n, cap - n);
        }
        /* and what each component alone is judged and learnt by (judge_components, learn);
         * a view of its own: this runs beside judging threads, which use in->one */
        ssgw_view *one = NULL;
        if (v->has_tcap && cx.is_map && v->ncomp > 1 && decoded && several_components(v) &&
            (one = malloc(sizeof *one)))
            for (unsigned i = 0; i < v->ncomp && n < cap; i++) {
                ssgw_check_ctx c1;
                if (!judged_alone(&v->comp[i]) || !one_component(one, &cx, i, &c1)) continue;
                n += ssgw_learn_location_prefetch(&c1, keys + n, cap - n);
                /* a component's verdict notes its own subscriber's risk and incident */
                n += ssgw_risk_prefetch(&c1, keys + n, cap - n);
                uint64_t cs = may_refuse ? incident_subject(&c1) : 0;
                if (cs && n < cap && in->store->ops->incident_touch)
                    keys[n++] = (ssgw_store_key){SSGW_STORE_INCIDENT, cs, 0};
                if (cx.dir != SSGW_DIR_INBOUND) continue;
                n += ssgw_check_prefetch(&c1, keys + n, cap - n);
                n += ssgw_sms_prefetch(&c1, keys + n, cap - n);
            }
        free(one);
        if (v->has_isup) n += ssgw_call_prefetch(&cx, keys + n, cap - n);
        if (!v->has_error) n += ssgw_risk_prefetch(&cx, keys + n, cap - n);
    }
    /* the incident a verdict other than a plain allow touches (note_incident) */
    uint64_t subject = may_refuse && !v->has_error ? incident_subject(&cx) : 0;
    if (subject && n < cap && in->store->ops->incident_touch)
        keys[n++] = (ssgw_store_key){SSGW_STORE_INCIDENT, subject, 0};
    return n;
}

uint64_t ssgw_firewall_learn_failures(const ssgw_firewall *in)
{
    return in ? in->learn_failures : 0;
}

/* Q.850 cause of the REL answering an IAM that does not decode: 95 invalid message,
 * unspecified (the class of Q.850's protocol errors). */
#define MALFORMED_IAM_CAUSE 95

/* An inbound IAM whose parameters do not decode (its CIC and type did). */
static bool malformed_iam(ssgw_direction dir, const ssgw_view *v)
{
    return dir == SSGW_DIR_INBOUND && v->isup_malformed && v->isup.type == SSGW_ISUP_IAM;
}

/* Whether judging decodes the message's MAP parameters first: inbound MAP that decoded so far. */
static bool map_first(ssgw_direction dir, const ssgw_view *v)
{
    return dir == SSGW_DIR_INBOUND && v->has_tcap && v->tcap_user == SSGW_TCU_MAP && !v->has_error;
}

void ssgw_firewall_prepare(ssgw_view *v, ssgw_direction direction)
{
    if (!v || !map_first(direction, v)) return;
    ssgw_view_map(v); /* kept in the view: not decoded twice */
    if (!v->has_error && ssgw_check_carries_sm(v)) ssgw_view_sms_all(v); /* as judging does */
}

int ssgw_firewall_judge(ssgw_firewall *in, ssgw_view *v, const ssgw_firewall_meta *meta,
                        ssgw_verdict *out)
{
    if (!in || !v || !out) return -1;
    if (in->lists_stale) {
        build_fns(in);
        in->lists_stale = false;
    }
    const ssgw_policy *p = in->p;
    ssgw_check_ctx cx;
    derive_facts(in, v, meta, &cx, out->reason, sizeof out->reason, in->gt_memo);

    out->answer.kind = SSGW_ANSWER_NONE;
    out->answer.code = 0;
    out->incident = 0;
    out->reason[0] = '\0';
    out->opcode = -1;
    out->category = SSGW_CAT_NONE;
    out->direction = cx.dir;
    out->opcode = cx.op;
    out->category = cx.cat;
    /* as ssgw_policy_trust_for_gt, from the owner looked up already (the pipeline names the
     * partner of an inbound message with it) */
    const party *caller = cx.calling_owner >= 2 ? policy_party(p, cx.calling_owner) : NULL;
    out->calling_partner = caller ? caller->name : NULL;

    /* inbound MAP parameters are decoded up front so a malformed one is caught */
    if (map_first(cx.dir, v)) ssgw_check_need_map(&cx);
    ssgw_check_prepare(&cx);
    /* the MAP parameters and the SMS TPDU (ssgw_check_prepare) decoded, before the checks */
    bool parameters_decoded = !v->has_error;

    bool decided = false;
    int by_component = -1; /* a component judged alone gave the verdict (judge_components) */
    /* An ISUP message that does not decode passes (a circuit message dropped could leave a
     * call hanging), except an inbound IAM: no call check could screen it, so it is refused
     * (released) like one they refuse. Decoded ISUP meets only the call checks (call.*):
     * operator rules speak of SCCP, TCAP and MAP and must not match a call by accident. */
    bool bad_iam = malformed_iam(cx.dir, v);
    if (v->has_error && (v->error.layer != SSGW_LAYER_ISUP || bad_iam)) {
        ssgw_layer l = v->error.layer < SSGW_LAYER_COUNT ? v->error.layer : SSGW_LAYER_NONE;
        decide(in, out, in->n_checks + l, malformed_name(l), p->malformed, &p->malformed_answer);
        if (bad_iam && out->action != SSGW_ACT_ALLOW && out->action != SSGW_ACT_ALERT) {
            out->action = SSGW_ACT_ANSWER; /* released, never dropped (docs/checks.md) */
            out->answer = (ssgw_answer){SSGW_ANSWER_ISUP_REL, MALFORMED_IAM_CAUSE};
        }
        char e[160];
        ssgw_error_format(&v->error, e, sizeof e);
        if (bad_iam)
            ssgw_reason_format(out->reason, sizeof out->reason,
                               "the IAM on circuit %u does not decode: %s (no call check can "
                               "screen it)",
                               (unsigned)v->isup.cic, e);
        else
            ssgw_reason_format(out->reason, sizeof out->reason, "the message does not decode: %s",
                               e);
        decided = true;
    }
    /* components past SSGW_VIEW_MAX_COMPONENTS are not decoded: unseen, they cannot pass
     * (when [policy] malformed lets malformed messages pass, the 16 seen are judged) */
    bool ansi_truncated = v->has_ansi_tcap && v->ansi_comp_truncated;
    if (!decided && cx.dir == SSGW_DIR_INBOUND &&
        ((v->has_tcap && v->comp_truncated) || ansi_truncated) && p->malformed != SSGW_ACT_ALLOW &&
        p->malformed != SSGW_ACT_ALERT) {
        decide(in, out, in->n_checks + SSGW_LAYER_TCAP, malformed_name(SSGW_LAYER_TCAP),
               p->malformed, &p->malformed_answer);
        ssgw_reason_format(out->reason, sizeof out->reason,
                           "%s %s with more than %d components: the rest would go unscreened",
                           ansi_truncated ? "ANSI TCAP" : "TCAP",
                           ansi_truncated ? ssgw_ansi_tcap_pkg_name(v->ansi_tcap.type)
                                          : ssgw_tcap_msg_type_name(v->tcap.type),
                           SSGW_VIEW_MAX_COMPONENTS);
        decided = true;
    }
    bool tested = false; /* a check in test mode gave the verdict */
    if (!decided && v->has_diameter) decided = judge_diameter(in, &cx, meta, out, &tested);
    uint16_t other = cx.dir == SSGW_DIR_INBOUND ? cx.calling_owner : cx.called_owner;
    /* calls have no GTs: the partner of the point code (also of an ISUP message that does not
     * decode: its refusal counts against the partner that sent it) */
    if ((v->has_isup || v->isup_malformed) && v->has_label)
        other = policy_owner_of_pc(p, cx.dir == SSGW_DIR_INBOUND ? cx.peer : v->dpc);
    size_t pi = other >= OWNER_PARTNER(0) ? (size_t)(other - OWNER_PARTNER(0)) + 1 : 0;
    /* a switched-off partner's new calls are refused (released); the messages of calls
     * already up still pass, so that no circuit is left seized */
    bool new_traffic = !v->has_isup || v->isup.type == SSGW_ISUP_IAM;
    if (!decided && cx.dir == SSGW_DIR_INBOUND && pi && new_traffic && in->partner_off[pi - 1]) {
        decide(in, out, in->n_checks + SSGW_LAYER_COUNT + p->n_rules, "partner.disabled",
               SSGW_ACT_DROP, NULL);
        ssgw_reason_format(out->reason, sizeof out->reason,
                           "partner %s is switched off (management API): its traffic is dropped",
                           p->partners[pi - 1].name);
        decided = true;
    }
    for (size_t i = 0; !decided && !v->has_isup && i < p->n_rules; i++) {
        const rule *r = &p->rules[i];
        if (!rule_matches(&cx, r)) continue;
        if (r->action == SSGW_ACT_RATE_LIMIT) {
            if (in->store->ops->bucket_take(in->store, rule_bucket(&cx, i), r->rate.limit,
                                            r->rate.period, r->rate.limit, cx.now_ms) != 0)
                continue; /* within its rate: the rule lets it go on */
            ssgw_reason_format(out->reason, sizeof out->reason,
                               "rule %s: more than %u matching messages from %s in %u s", r->name,
                               r->rate.limit, cx.calling[0] ? cx.calling : "(no GT)",
                               r->rate.period);
        } else {
            ssgw_reason_format(out->reason, sizeof out->reason,
                               "operator rule %s matched (line %d)", r->name, r->line);
        }
        decide(in, out, in->n_checks + SSGW_LAYER_COUNT + i, r->decider, r->action, &r->answer);
        decided = true;
    }
    if (!decided && cx.dir == SSGW_DIR_INBOUND &&
        (v->has_tcap || v->has_scmg || v->has_ansi_tcap || v->has_isup)) {
        size_t l = sel_list(&cx);
        if (__builtin_expect(v->ncomp > 1, 0)) { /* counted once per component judged */
            in->takes.n = 0;
            cx.takes = &in->takes;
        }
        decided =
            run_checks(in, &cx, in->fns, in->run_all ? in->all : in->pool + in->sel_at[l],
                       in->run_all ? in->n_fns : in->n_sel[l], out, &tested, SSGW_CHECK_LEARN);
        /* the checks, not a rule or the malformed verdict, judged it: each component too */
        if (__builtin_expect(v->ncomp > 1, 0) && cx.is_map && parameters_decoded &&
            several_components(v))
            decided = judge_components(in, &cx, out, decided, &tested, &by_component);
    }
    if (!decided) {
        size_t d = (size_t)ssgw_check_default_index();
        decide(in, out, d, "default", SSGW_ACT_ALLOW, NULL);
        memcpy(out->reason, "no check objected", sizeof "no check objected");
    }
    bool passes = out->action == SSGW_ACT_ALLOW || out->action == SSGW_ACT_ALERT;
    out->enforced = !in->monitor && !tested;
    out->pass = !out->enforced || passes;
    in->st.messages++;
    in->st.by_action[out->action]++;
    if (out->pass)
        in->st.passed++;
    else
        in->st.blocked++;
    in->party_msgs[pi]++;
    if (!out->pass) in->party_refused[pi]++;
    /* what is noted of a component's verdict is about that component: its subscriber (not
     * one a harmless last component names), its operation */
    ssgw_check_ctx dcx, *ncx = &cx;
    if (by_component >= 0 && in->one && one_component(in->one, &cx, (unsigned)by_component, &dcx)) {
        ncx = &dcx;
        out->opcode = dcx.op;
        out->category = dcx.cat;
    }
    if (!passes || out->action == SSGW_ACT_ALERT) note_incident(in, ncx, out);
    if (!v->has_error && !v->has_diameter && ssgw_risk_may_note(ncx)) ssgw_risk_note(ncx, !passes);
    if (passes && !v->has_error) {
        /* read once: a store's operations do not change (the embedded store has none) */
        uint64_t (*failures)(const ssgw_store *) = in->store->ops->failures;
        uint64_t failed = failures ? failures(in->store) : 0;
        if (v->has_diameter)
            ssgw_dcheck_learn(&cx);
        else
            learn(in, &cx, parameters_decoded);
        if (failures) in->learn_failures += failures(in->store) - failed;
    }
    if (in->learner && out->pass && !v->has_error && !v->has_diameter)
        ssgw_learner_observe(in->learner, &cx);
    return 0;
}
