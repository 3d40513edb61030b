/*
 * replay.c - the bounded replay cache of the token verifier (include/ssgw/token.h;
 * docs/wire-format.md "Replay").
 *
 * Key: signer key id (8) + nonce (8). Sets of eight entries; a key may live in either
 * of two sets chosen by keyed hashes (random per-cache seed, so collisions cannot be
 * planned). Two choices keep the sets evenly loaded: with one choice a set overflows
 * while the table is still mostly empty. An entry is live while its token time is
 * within window_s of now. Memory is fixed at creation: 24 octets per entry plus the
 * signer table below.
 *
 * One signer must not flush the others' entries (a certified member can sign as fast as
 * it likes). Every entry is charged to its signer: the operator the caller names (the
 * keyring's operator id). Each signer may hold at most `share` percent of the entries;
 * a signer that holds its share has its next token refused (SSGW_REPLAY_OVER_SHARE), not
 * recorded. A new key takes a dead slot of the emptier of its two sets; when all sixteen
 * slots are live it takes the one of its own signer with the oldest token time (counted
 * as evicted_live: only that signer's own tokens become replayable); when none of the
 * sixteen is its signer's, it is refused (SSGW_REPLAY_NO_ROOM). So a live entry is only
 * ever replaced by its own signer: a flooder fills its share, then is refused, and the
 * others keep every live entry.
 *
 * Signer table: SIGNERS slots in sets of eight (one keyed hash), each with the number of
 * entries it holds counted per slice of token time (SLICES slices of g seconds, g chosen
 * so that the slices cover 2 x window + 1 s: every live token time). A slice is dropped
 * from the count once all its token times are past the window, so a signer's count is its
 * live entries plus at most g - 1 seconds' worth of dead ones (exact when g is 1: windows
 * up to 31 s; 2 s for the default 60). A signer slot whose count is zero is free for
 * another signer. More than eight signers with live entries in one set of the table
 * (about 1 in 10^8 for 300 signers) share one overflow slot, which then counts as one
 * signer. Entry time field: token time in the low 40 bits, signer slot above.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <openssl/rand.h>

#include "ssgw/token.h"

#define WAYS        8
#define SIGNER_WAYS 8
#define SIGNERS     4096 /* + 1 overflow slot */
#define SLICES      64
#define TIME_BITS   40
#define TIME_MASK   ((UINT64_C(1) << TIME_BITS) - 1)
#define HUGE_PAGE   (2u << 20) /* x86-64, and arm64 with 4 KB pages */

typedef struct {
    uint64_t id;    /* key id, big-endian */
    uint64_t nonce; /* nonce, big-endian */
    uint64_t tp;    /* token time (low 40 bits; 0: empty) | signer slot << 40 */
} entry;

typedef struct {
    uint64_t signer; /* operator id, big-endian; meaningful while held > 0 */
    uint32_t held;   /* entries counted: the sum of n[] */
    int64_t lo;      /* oldest slice still counted (token time / g) */
    uint32_t n[SLICES];
} signer_slot;

struct ssgw_replay {
    entry *e;    /* sets * WAYS entries, the first on a 64-octet boundary of e_mem */
    void *e_mem; /* calloc'd, or mapped (e_bytes octets) when e_mapped */
    size_t e_bytes;
    bool e_mapped;
    size_t sets; /* power of two */
    int64_t window;
    int64_t g; /* seconds per slice */
    uint32_t share;
    uint64_t seed;
    signer_slot *sg; /* SIGNERS + 1 */
    ssgw_replay_stats st;
};

static uint64_t load64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* The entries: a set (192 octets) on exactly three cache lines. A table of 2 MB or more
 * (the default [trust] max_rate gives 24 MB) is its own mapping offered to transparent huge
 * pages: a token's two sets are random in it, and with 4 KB pages nearly every check
 * also missed the TLB (perf: the loads of the sets stalled on the page walk). The memory
 * stays the kernel's zero pages until first used, as calloc's did. */
static entry *table_alloc(ssgw_replay *r, size_t n)
{
    if (n >= HUGE_PAGE) {
        r->e_bytes = n + HUGE_PAGE;
        void *p =
            mmap(NULL, r->e_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return NULL;
        r->e_mem = p;
        r->e_mapped = true;
        uintptr_t b = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
#ifdef MADV_HUGEPAGE
        madvise((void *)b, n, MADV_HUGEPAGE); /* a hint: without huge pages it works as well */
#endif
        return (entry *)b;
    }
    if (!(r->e_mem = calloc(n + 64, 1))) return NULL;
    return (entry *)(((uintptr_t)r->e_mem + 63) & ~(uintptr_t)63);
}

ssgw_replay *ssgw_replay_new(size_t capacity, int64_t window_s, unsigned share_pct)
{
    if (capacity == 0 || window_s < 0 || capacity > ((size_t)1 << 32) || share_pct < 1 ||
        share_pct > 100)
        return NULL;
    size_t sets = 2;
    while (sets * WAYS < capacity)
        sets <<= 1;
    ssgw_replay *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->e = table_alloc(r, sets * WAYS * sizeof(entry));
    r->sg = calloc(SIGNERS + 1, sizeof(signer_slot));
    if (!r->e || !r->sg) {
        ssgw_replay_free(r);
        return NULL;
    }
    r->sets = sets;
    r->window = window_s;
    /* live token times span [now - window, now + window]: at most SLICES - 1 slices apart */
    r->g = 2 * window_s / (SLICES - 1) + 1;
    uint64_t share = (uint64_t)sets * WAYS * share_pct / 100;
    r->share = share ? (uint32_t)share : 1;
    if (RAND_bytes((unsigned char *)&r->seed, sizeof r->seed) != 1) r->seed = 0x5eed5eed5eedull;
    r->st.capacity = sets * WAYS;
    r->st.share = r->share;
    return r;
}

void ssgw_replay_free(ssgw_replay *r)
{
    if (!r) return;
    if (r->e_mapped)
        munmap(r->e_mem, r->e_bytes);
    else
        free(r->e_mem);
    free(r->sg);
    free(r);
}

static uint64_t tok_time(const entry *e)
{
    return e->tp & TIME_MASK;
}

static uint32_t slot_of(const entry *e)
{
    return (uint32_t)(e->tp >> TIME_BITS);
}

static bool live(const ssgw_replay *r, const entry *e, int64_t now)
{
    /* time 0 marks an empty slot; token times are checked by the stale check first,
     * so an entry older than now - window can never match a fresh token. */
    return e->tp != 0 && (int64_t)tok_time(e) >= now - r->window;
}

/* ---- signers ------------------------------------------------------------------------ */

/* Drops the slices whose token times are all past the window at now. */
static void advance(const ssgw_replay *r, signer_slot *s, int64_t now)
{
    int64_t oldest = now - r->window;
    int64_t lo = oldest > 0 ? oldest / r->g : 0;
    if (lo <= s->lo) return;
    if (lo - s->lo >= SLICES) {
        memset(s->n, 0, sizeof s->n);
        s->held = 0;
    } else {
        for (int64_t k = s->lo; k < lo; k++) {
            s->held -= s->n[k % SLICES];
            s->n[k % SLICES] = 0;
        }
    }
    s->lo = lo;
}

static uint32_t signer_base(const ssgw_replay *r, uint64_t signer)
{
    return (uint32_t)(mix(signer ^ r->seed) & (SIGNERS / SIGNER_WAYS - 1)) * SIGNER_WAYS;
}

/* The slot of signer (advanced to now): the one that names it (at most one does), else a
 * free one of its set (claimed), else the overflow slot. */
static uint32_t signer_slot_for(ssgw_replay *r, uint64_t signer, int64_t now)
{
    uint32_t base = signer_base(r, signer);
    for (uint32_t i = base; i < base + SIGNER_WAYS; i++)
        if (r->sg[i].signer == signer) {
            advance(r, &r->sg[i], now);
            return i;
        }
    for (uint32_t i = base; i < base + SIGNER_WAYS; i++) {
        advance(r, &r->sg[i], now);
        if (r->sg[i].held == 0) {
            r->sg[i].signer = signer;
            return i;
        }
    }
    r->st.signer_overflow++;
    advance(r, &r->sg[SIGNERS], now);
    return SIGNERS;
}

/* The counted slice of token time t in s: the clock going back (or a token time the caller
 * did not check against the window) is counted in the nearest slice that exists. */
static int64_t counted_slice(const ssgw_replay *r, const signer_slot *s, uint64_t t)
{
    int64_t k = (int64_t)t / r->g;
    if (k < s->lo) return s->lo;
    if (k >= s->lo + SLICES) return s->lo + SLICES - 1;
    return k;
}

static void charge(ssgw_replay *r, uint32_t slot, uint64_t t)
{
    signer_slot *s = &r->sg[slot];
    s->n[counted_slice(r, s, t) % SLICES]++;
    s->held++;
}

/* An entry leaves the table: its signer's count drops unless its slice was already dropped
 * (then the entry was dead and no longer counted). */
static void discharge(ssgw_replay *r, const entry *e)
{
    if (e->tp == 0) return;
    signer_slot *s = &r->sg[slot_of(e)];
    if ((int64_t)tok_time(e) / r->g < s->lo) return;
    uint32_t *n = &s->n[counted_slice(r, s, tok_time(e)) % SLICES];
    if (*n == 0) return;
    (*n)--;
    s->held--;
}

/* ---- the table ---------------------------------------------------------------------- */

/* The two sets a key may live in. */
static void sets_of(const ssgw_replay *r, uint64_t id, uint64_t nn, entry **a, entry **b)
{
    uint64_t h = mix(id ^ r->seed) ^ mix(nn + r->seed);
    size_t i = (size_t)(mix(h) & (r->sets - 1));
    size_t j = (size_t)(mix(h ^ 0x9e3779b97f4a7c15ull) & (r->sets - 1));
    if (j == i) j = (i + 1) & (r->sets - 1);
    *a = &r->e[i * WAYS];
    *b = &r->e[j * WAYS];
}

typedef struct {
    int nlive;
    entry *dead;   /* a slot free for the new key */
    entry *own;    /* the live entry of the new key's signer with the oldest token time */
    entry *oldest; /* the live entry with the oldest token time, whoever's */
} scan_result;

/* Looks for the key in a set; counts its live entries and remembers a dead slot, the oldest
 * live entry of signer slot `slot` and the oldest live entry. */
static bool scan(const ssgw_replay *r, entry *set, uint64_t id, uint64_t nn, uint32_t slot,
                 int64_t now, scan_result *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < WAYS; i++) {
        entry *e = &set[i];
        if (!live(r, e, now)) {
            if (!o->dead) o->dead = e;
            continue;
        }
        if (e->id == id && e->nonce == nn) return true;
        o->nlive++;
        if (!o->oldest || tok_time(e) < tok_time(o->oldest)) o->oldest = e;
        if (slot_of(e) == slot && (!o->own || tok_time(e) < tok_time(o->own))) o->own = e;
    }
    return false;
}

static entry *older(entry *x, entry *y)
{
    if (!x) return y;
    if (!y) return x;
    return tok_time(x) <= tok_time(y) ? x : y;
}

/* quota: refuse as the file head says (false only when adopting another cache's entries,
 * which must all be kept: the oldest live entry, whoever's, is then the last resort). */
static int check_insert(ssgw_replay *r, uint64_t signer, uint64_t id, uint64_t nn,
                        uint64_t token_time, int64_t now, bool quota)
{
    entry *a, *b;
    scan_result sa, sb;
    sets_of(r, id, nn, &a, &b);
    /* the signer slot is not known yet: scan with an impossible one, then look again */
    if (scan(r, a, id, nn, UINT32_MAX, now, &sa) || scan(r, b, id, nn, UINT32_MAX, now, &sb)) {
        r->st.replays++;
        return SSGW_REPLAY_SEEN;
    }
    uint32_t slot = signer_slot_for(r, signer, now);
    if (quota && r->sg[slot].held >= r->share) {
        r->st.refused_share++;
        return SSGW_REPLAY_OVER_SHARE;
    }
    entry *victim =
        sa.nlive <= sb.nlive ? (sa.dead ? sa.dead : sb.dead) : (sb.dead ? sb.dead : sa.dead);
    if (!victim) {
        scan(r, a, id, nn, slot, now, &sa);
        scan(r, b, id, nn, slot, now, &sb);
        victim = older(sa.own, sb.own);
        if (!victim && !quota) victim = older(sa.oldest, sb.oldest);
        if (!victim) {
            r->st.refused_full++;
            return SSGW_REPLAY_NO_ROOM;
        }
        r->st.evicted_live++;
    }
    discharge(r, victim);
    uint64_t t = (token_time ? token_time : 1) & TIME_MASK;
    victim->id = id;
    victim->nonce = nn;
    victim->tp = t | (uint64_t)slot << TIME_BITS;
    charge(r, slot, t);
    r->st.inserted++;
    return SSGW_REPLAY_NEW;
}

void ssgw_replay_prefetch(const ssgw_replay *r, const uint8_t key_id[SSGW_KEY_ID_LEN],
                          const uint8_t nonce[SSGW_TOKEN_NONCE_LEN])
{
    entry *a, *b;
    sets_of(r, load64(key_id), load64(nonce), &a, &b);
    for (size_t off = 0; off < WAYS * sizeof(entry); off += 64) {
        __builtin_prefetch((const char *)a + off);
        __builtin_prefetch((const char *)b + off);
    }
}

int ssgw_replay_check_insert(ssgw_replay *r, const uint8_t signer[SSGW_KEY_ID_LEN],
                             const uint8_t key_id[SSGW_KEY_ID_LEN],
                             const uint8_t nonce[SSGW_TOKEN_NONCE_LEN], uint64_t token_time,
                             int64_t now)
{
    return check_insert(r, load64(signer), load64(key_id), load64(nonce), token_time, now, true);
}

void ssgw_replay_adopt(ssgw_replay *dst, const ssgw_replay *src, int64_t now)
{
    if (!dst || !src || dst == src) return;
    uint64_t inserted = dst->st.inserted;
    for (size_t i = 0; i < src->sets * WAYS; i++) {
        const entry *e = &src->e[i];
        if (live(src, e, now))
            check_insert(dst, src->sg[slot_of(e)].signer, e->id, e->nonce, tok_time(e), now, false);
    }
    dst->st.inserted = inserted; /* carried over, not newly seen */
}

size_t ssgw_replay_signer_held(ssgw_replay *r, const uint8_t signer[SSGW_KEY_ID_LEN], int64_t now)
{
    uint64_t s = load64(signer);
    uint32_t base = signer_base(r, s);
    for (uint32_t i = base; i < base + SIGNER_WAYS; i++)
        if (r->sg[i].signer == s) {
            advance(r, &r->sg[i], now);
            return r->sg[i].held;
        }
    return 0;
}

void ssgw_replay_get_stats(const ssgw_replay *r, ssgw_replay_stats *out)
{
    *out = r->st;
}
