/*
 * analyze_run.c - the batches of `ssgw analyze` and the stages of --threads
 * (tools/ssgw/analyze_run.h says what runs where).
 *
 * Batch k sits in ring[k % RING]. The reading thread fills it, decodes it ahead, publishes
 * it (`published` = k + 1), and then waits for the turn to have run batch k - RING + 1
 * (`done`), builds and writes its records, and so frees that place for batch k + 1: while a
 * batch is read, the turn may have the other three. (With helpers, one round shared out
 * among them decodes batch k and builds the records of batch k - RING + 1, after the wait.)
 * The only synchronisation is the two counters, each moved once per batch (release /
 * acquire); the turn, finding nothing to do, spins briefly and then sleeps on the counter's
 * condition variable; the reading thread sleeps at once (SPINS says why).
 */
#include "analyze_run.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ssgw/file.h"
#include "ssgw/record.h"

#define BATCH      256
#define REC_CAP    16384
#define RING       4
#define HELPER_MAX 14 /* --threads 16: the turn, the reading thread and 14 helpers */
/* Pauses before the turn sleeps when no batch is there (15 us to 0.2 ms: 10 to 140 cycles
 * each; 0.1 ms on the AMD EPYC VM, about what reading and decoding a batch takes): the turn
 * bounds the speed of the whole, so it takes a batch as soon as it is published. The reading
 * thread does not spin: it waits only when the ring is full, when the turn has two or three
 * batches queued (0.2 to 0.3 ms of work), so a wake-up's delay does not starve the turn, and
 * its spinning would take the CPU from whatever else shares the machine (other processes,
 * or vCPUs time-shared by the host). */
#define SPINS 4096
/* With --threads 2 and --json the turn also builds this many records of every 16 (its
 * view and result are in its cache then): a record costs more than the turn's own part of a
 * message, so the reading thread alone would be the slower stage (callgrind, instructions
 * per message: reading thread 4,500 + records 7,800, turn 5,400; docs/BENCHMARKS.md). With
 * helpers the records are shared out among them instead. */
#define TURN_RECORDS 7
/* --threads: the state records of message i + WARM_AHEAD of a batch are warmed in the turn's
 * cache while it judges message i (their keys listed where the batch is decoded ahead), at
 * most WARM_KEYS of them. SSGW_ANALYZE_WARM=k in the environment sets the distance, 0 none
 * (for measuring, and for the tests that compare the outputs with and without). */
#define WARM_AHEAD 4
#define WARM_KEYS  8

/* One message of a batch: the capture record (bytes in the batch's arena), its record. The
 * record's octets are apart (and only with --json), so that a batch's slots are 50 KB in a
 * few pages rather than one page each 16 KB apart. */
typedef struct {
    ssgw_capture_msg cm;
    size_t data_off;
    long rec_len; /* its JSON record's length, -1 for none (yet) */
    char *rec;    /* --json: REC_CAP octets for it (the batch's), else NULL */
} slot;

typedef struct {
    slot *slots;
    size_t n;
    uint8_t *arena;
    size_t arena_len, arena_cap;
    ssgw_pipeline_msg msgs[BATCH];
    ssgw_pipeline_decoded *dec;        /* --threads: decoded ahead */
    ssgw_pipeline_result *res;         /* --threads: the results, until the records are built */
    ssgw_store_key (*keys)[WARM_KEYS]; /* --threads: the state records each message reads */
    uint8_t nkeys[BATCH];
} batch;

/* A count of batches one stage has finished, which the other waits for. */
typedef struct {
    _Atomic uint64_t v;
    atomic_uint sleepers;
    bool closed; /* under mu: no more will come */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} stage_count;

typedef struct {
    struct analyze_run *r;
    unsigned part; /* its part of a round (the reading thread's is 0) */
} helper_ctx;

struct analyze_run {
    analyze_run_config cfg;
    ssgw_pipeline_result one; /* --threads 1: the result of the message being judged */
    batch ring[RING];
    unsigned nbatches;
    void *mem; /* the batches' arrays (ring_map) */
    size_t mem_len;
    uint64_t filled;  /* batches handed on (the one being read: ring[filled % RING]) */
    batch *fill;      /* that one */
    uint64_t written; /* batches whose records are written */
    stage_count published, done;
    pthread_t turn;
    bool turn_started;
    unsigned turn_records; /* of every 16 records, those the turn builds (TURN_RECORDS) */
    size_t warm_ahead;     /* WARM_AHEAD, 0: no warming */
    /* helpers (--threads 3 and more): a round is a batch to decode and one to build the
     * records of, shared out among the reading thread and them */
    pthread_t helper[HELPER_MAX];
    helper_ctx hctx[HELPER_MAX];
    unsigned helpers, started;
    pthread_mutex_t mu;
    pthread_cond_t go, back;
    uint64_t round;
    unsigned finished;
    bool stop;
    batch *round_dec, *round_rec;
};

/* ---- the two counters ------------------------------------------------------------------ */

static void count_init(stage_count *c)
{
    atomic_init(&c->v, 0);
    atomic_init(&c->sleepers, 0);
    c->closed = false;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
}

static void count_destroy(stage_count *c)
{
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
}

static inline void spin_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Moves the count on to v (what the batches before v hold is then the other stage's). */
static void count_set(stage_count *c, uint64_t v)
{
    atomic_store(&c->v, v);
    /* read after the store (both sequentially consistent), as count_wait counts itself
     * before it reads the count again: one of the two sees the other */
    if (atomic_load(&c->sleepers)) {
        pthread_mutex_lock(&c->mu);
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
    }
}

static void count_close(stage_count *c)
{
    pthread_mutex_lock(&c->mu);
    c->closed = true;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

/* Waits until the count reaches want (or it is closed); returns the count. */
static uint64_t count_wait(stage_count *c, uint64_t want, unsigned spins)
{
    uint64_t v;
    for (unsigned i = 0; i < spins; i++) {
        if ((v = atomic_load_explicit(&c->v, memory_order_acquire)) >= want) return v;
        spin_pause();
    }
    pthread_mutex_lock(&c->mu);
    atomic_fetch_add(&c->sleepers, 1);
    while ((v = atomic_load(&c->v)) < want && !c->closed)
        pthread_cond_wait(&c->cv, &c->mu);
    atomic_fetch_sub(&c->sleepers, 1);
    pthread_mutex_unlock(&c->mu);
    return v;
}

/* ---- one message ----------------------------------------------------------------------- */

/* The record of one message: frame keys, decode keys, the pipeline's result keys. */
typedef struct {
    const ssgw_capture_msg *cm;
    const ssgw_pipeline_result *r;
} record_ctx;

static void rec_frame(ssgw_json *j, const void *ctx)
{
    ssgw_record_capture_head(j, ((const record_ctx *)ctx)->cm);
}

static void rec_result(ssgw_json *j, const void *ctx)
{
    ssgw_record_result(j, ((const record_ctx *)ctx)->r);
}

static void build_record(slot *sl, const ssgw_pipeline_result *res)
{
    record_ctx rc = {&sl->cm, res};
    sl->rec_len = ssgw_record_build(sl->rec, REC_CAP, rec_frame, res->view, rec_result, &rc, NULL);
}

/* Judges message i of b on lane 0 into *res and tallies it in the report: the in-order
 * part, in capture order. */
static void judge(analyze_run *r, batch *b, size_t i, ssgw_pipeline_result *res)
{
    const slot *sl = &b->slots[i];
    ssgw_pipeline_run(r->cfg.pl, &b->msgs[i], res);
    ssgw_report_msg rm = {.time_ms = b->msgs[i].time_ms, .frame = sl->cm.frame, .res = res};
    const analyze_label *l = sl->cm.frame >= 1 && sl->cm.frame <= r->cfg.n_labels
                                 ? &r->cfg.labels[sl->cm.frame - 1]
                                 : NULL;
    if (l && l->label[0]) {
        rm.label = l->label;
        rm.attack = l->attack;
        rm.expect = l->check;
    }
    ssgw_report_add(r->cfg.rep, &rm);
}

/* With a shared state store, a batch's state comes in one round trip (the previous batch's
 * writes go ahead of its reads in the same one; nothing is flushed per batch). */
static void prefetch(analyze_run *r, batch *b)
{
    if (ssgw_pipeline_batches(r->cfg.pl)) ssgw_pipeline_prefetch(r->cfg.pl, 0, b->msgs, b->n);
}

/* Writes b's records in capture order and empties it. */
static void write_batch(analyze_run *r, batch *b)
{
    if (r->cfg.json)
        for (size_t i = 0; i < b->n; i++)
            if (b->slots[i].rec_len >= 0) { /* its length is known: not puts() */
                slot *sl = &b->slots[i];
                sl->rec[sl->rec_len] = '\n';
                fwrite(sl->rec, 1, (size_t)sl->rec_len + 1, stdout);
            }
    b->n = 0;
    b->arena_len = 0;
}

/* ---- the stages ------------------------------------------------------------------------ */

/* The turn: every batch as it is published, in order, on lane 0. */
static void *turn_main(void *arg)
{
    analyze_run *r = arg;
    for (uint64_t k = 0;; k++) {
        if (count_wait(&r->published, k + 1, SPINS) < k + 1) break; /* closed */
        batch *b = &r->ring[k % RING];
        prefetch(r, b);
        size_t ahead = r->warm_ahead < b->n ? r->warm_ahead : b->n;
        for (size_t i = 0; i < ahead; i++)
            ssgw_pipeline_warm(r->cfg.pl, b->keys[i], b->nkeys[i]);
        for (size_t i = 0; i < b->n; i++) {
            if (ahead && i + ahead < b->n)
                ssgw_pipeline_warm(r->cfg.pl, b->keys[i + ahead], b->nkeys[i + ahead]);
            judge(r, b, i, &b->res[i]);
            /* a segment's view is the lane's own (reassembly): its record now */
            if (r->cfg.json && (!b->dec[i].ready || i % 16 < r->turn_records))
                build_record(&b->slots[i], &b->res[i]);
        }
        count_set(&r->done, k + 1);
    }
    return NULL;
}

/* Part `part` of `parts` of a round: decoding ahead on lane part + 1, records. */
static void round_part(analyze_run *r, unsigned part, unsigned parts)
{
    batch *d = r->round_dec, *w = r->round_rec;
    if (d) {
        size_t lo = d->n * part / parts, hi = d->n * (part + 1) / parts;
        ssgw_pipeline_decode_ahead(r->cfg.pl, part + 1, d->msgs + lo, hi - lo, d->dec + lo);
        for (size_t i = lo; i < hi; i++)
            d->nkeys[i] = r->warm_ahead
                              ? (uint8_t)ssgw_pipeline_store_keys(r->cfg.pl, &d->msgs[i],
                                                                  &d->dec[i], d->keys[i], WARM_KEYS)
                              : 0;
    }
    if (w && r->cfg.json) {
        size_t lo = w->n * part / parts, hi = w->n * (part + 1) / parts;
        for (size_t i = lo; i < hi; i++)
            if (w->slots[i].rec_len < 0) build_record(&w->slots[i], &w->res[i]);
    }
}

static void *helper_main(void *arg)
{
    const helper_ctx *hc = arg;
    analyze_run *r = hc->r;
    unsigned part = hc->part;
    uint64_t seen = 0;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->stop && r->round == seen)
            pthread_cond_wait(&r->go, &r->mu);
        if (r->stop) break;
        seen = r->round;
        pthread_mutex_unlock(&r->mu);
        round_part(r, part, r->helpers + 1);
        pthread_mutex_lock(&r->mu);
        if (++r->finished == r->helpers) pthread_cond_signal(&r->back);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* Decodes d ahead and builds w's records (either may be NULL), shared with the helpers. */
static void run_round(analyze_run *r, batch *d, batch *w)
{
    r->round_dec = d;
    r->round_rec = w;
    if (r->helpers) {
        pthread_mutex_lock(&r->mu);
        r->finished = 0;
        r->round++;
        pthread_cond_broadcast(&r->go);
        pthread_mutex_unlock(&r->mu);
    }
    round_part(r, 0, r->helpers + 1);
    if (r->helpers) {
        pthread_mutex_lock(&r->mu);
        while (r->finished < r->helpers)
            pthread_cond_wait(&r->back, &r->mu);
        pthread_mutex_unlock(&r->mu);
    }
}

/* Waits for the turn to have run batch `written`, builds and writes its records. */
static void write_oldest(analyze_run *r, batch *also_decode)
{
    count_wait(&r->done, r->written + 1, 0); /* the turn has the other batches: SPINS */
    batch *w = &r->ring[r->written % RING];
    run_round(r, also_decode, w);
    if (also_decode) count_set(&r->published, r->filled); /* before the writes: the turn goes on */
    write_batch(r, w);
    r->written++;
}

/* The batch just read goes on: run here (one thread), or decoded ahead and published. */
static void hand_on(analyze_run *r)
{
    batch *b = r->fill;
    for (size_t i = 0; i < b->n; i++) {
        slot *sl = &b->slots[i];
        sl->cm.data = sl->cm.data ? b->arena + sl->data_off : NULL; /* the arena moved */
        b->msgs[i] =
            (ssgw_pipeline_msg){.capture = &sl->cm,
                                .direction = SSGW_DIR_UNKNOWN,
                                .time_ms = (uint64_t)sl->cm.ts_sec * 1000u + sl->cm.ts_usec / 1000u,
                                .decoded = b->dec ? &b->dec[i] : NULL};
    }
    r->filled++;
    r->fill = &r->ring[r->filled % r->nbatches];
    if (r->cfg.threads == 1) {
        prefetch(r, b);
        for (size_t i = 0; i < b->n; i++) {
            judge(r, b, i, &r->one);
            if (r->cfg.json) build_record(&b->slots[i], &r->one);
        }
        write_batch(r, b);
        r->written++;
        return;
    }
    bool full = r->filled - r->written == RING; /* the next batch's place is not free yet */
    if (full && r->helpers) {
        write_oldest(r, b); /* one round with the helpers: b decoded, the oldest's records */
        return;
    }
    /* decoded and published before waiting for the oldest batch: the turn has it as soon
     * as it can, rather than once it has run the oldest and b has been decoded after that */
    run_round(r, b, NULL);
    count_set(&r->published, r->filled);
    if (full) write_oldest(r, NULL);
}

/* ---- the run --------------------------------------------------------------------------- */

#define HUGE_PAGE  (2u << 20) /* x86-64, and arm64 with 4 KB pages */
#define ALIGN64(n) (((n) + 63) & ~(size_t)63)

/* n zeroed octets for the batches' arrays (r->mem, r->mem_len), or NULL: on a huge-page
 * boundary, the first `huge` offered to transparent huge pages. With --threads the turn
 * reads every message's decoded view (10 KB apart, 2.6 MB a batch) and result in the ring,
 * and the reading thread writes them: in 4 KB pages that is three or four pages a message,
 * more than the TLB holds over a ring of four batches. The JSON records' buffers (16 KB
 * each, 1-2 KB of it used) stay in small pages, of which only those written are resident. The
 * pages are faulted in as they are first used. */
static void *ring_map(analyze_run *r, size_t n, size_t huge)
{
    size_t len = n + HUGE_PAGE;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    r->mem = p;
    r->mem_len = len;
    uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
#ifdef MADV_HUGEPAGE
    if (huge) madvise((void *)a, huge, MADV_HUGEPAGE); /* a hint: it works without as well */
#endif
    return (void *)a;
}

analyze_run *analyze_run_new(const analyze_run_config *cfg, char *err, size_t errlen)
{
    analyze_run *r = calloc(1, sizeof *r);
    if (!r) {
        ssgw_errf(err, errlen, "out of memory");
        return NULL;
    }
    r->cfg = *cfg;
    count_init(&r->published);
    count_init(&r->done);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->go, NULL);
    pthread_cond_init(&r->back, NULL);
    bool staged = cfg->threads > 1;
    r->nbatches = staged ? RING : 1;
    r->fill = &r->ring[0];
    size_t slots = ALIGN64(BATCH * sizeof(slot)), dec = ALIGN64(BATCH * sizeof(*r->ring[0].dec)),
           res = ALIGN64(BATCH * sizeof(*r->ring[0].res)), recs = (size_t)BATCH * REC_CAP,
           keys = ALIGN64(BATCH * sizeof(*r->ring[0].keys));
    size_t per = slots + (staged ? dec + res + keys : 0), all = per * r->nbatches;
    uint8_t *m = ring_map(r, all + (cfg->json ? recs * r->nbatches : 0), all);
    if (!m) {
        ssgw_errf(err, errlen, "out of memory");
        analyze_run_free(r);
        return NULL;
    }
    for (unsigned i = 0; i < r->nbatches; i++) {
        batch *b = &r->ring[i];
        b->slots = (slot *)(m + i * per);
        if (staged) {
            b->dec = (ssgw_pipeline_decoded *)(m + i * per + slots);
            b->res = (ssgw_pipeline_result *)(m + i * per + slots + dec);
            b->keys = (ssgw_store_key(*)[WARM_KEYS])(m + i * per + slots + dec + res);
        }
        for (size_t j = 0; j < BATCH && cfg->json; j++)
            b->slots[j].rec = (char *)m + all + i * recs + j * REC_CAP;
    }
    if (!staged) return r;
    r->turn_records = cfg->threads == 2 ? TURN_RECORDS : 0;
    const char *warm = getenv("SSGW_ANALYZE_WARM");
    r->warm_ahead = warm && *warm ? strtoul(warm, NULL, 10) : WARM_AHEAD;
    if (pthread_create(&r->turn, NULL, turn_main, r) != 0) {
        ssgw_errf(err, errlen, "cannot start the turn's thread");
        analyze_run_free(r);
        return NULL;
    }
    r->turn_started = true;
    r->helpers = cfg->threads - 2;
    for (unsigned h = 0; h < r->helpers; h++) {
        r->hctx[h] = (helper_ctx){r, h + 1};
        if (pthread_create(&r->helper[h], NULL, helper_main, &r->hctx[h]) != 0) {
            ssgw_errf(err, errlen, "cannot start helper thread %u", h);
            r->helpers = r->started; /* free stops what runs */
            analyze_run_free(r);
            return NULL;
        }
        r->started++;
    }
    return r;
}

int analyze_run_add(analyze_run *r, const ssgw_capture_msg *cm)
{
    batch *b = r->fill;
    if (b->arena_len + cm->len > b->arena_cap) {
        size_t nc = b->arena_cap ? b->arena_cap * 2 : 1u << 20;
        while (nc < b->arena_len + cm->len)
            nc *= 2;
        uint8_t *na = realloc(b->arena, nc);
        if (!na) return -1;
        b->arena = na;
        b->arena_cap = nc;
    }
    slot *sl = &b->slots[b->n++];
    sl->cm = *cm;
    sl->data_off = b->arena_len;
    if (cm->data && cm->len) memcpy(b->arena + b->arena_len, cm->data, cm->len);
    b->arena_len += cm->len;
    sl->rec_len = -1;
    if (b->n == BATCH) hand_on(r);
    return 0;
}

void analyze_run_finish(analyze_run *r)
{
    if (r->fill->n) hand_on(r);
    while (r->written < r->filled)
        write_oldest(r, NULL);
}

void analyze_run_free(analyze_run *r)
{
    if (!r) return;
    if (r->turn_started) {
        count_close(&r->published);
        pthread_join(r->turn, NULL);
    }
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_broadcast(&r->go);
    pthread_mutex_unlock(&r->mu);
    for (unsigned h = 0; h < r->started; h++)
        pthread_join(r->helper[h], NULL);
    for (unsigned i = 0; i < RING; i++)
        free(r->ring[i].arena);
    if (r->mem) munmap(r->mem, r->mem_len);
    count_destroy(&r->published);
    count_destroy(&r->done);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->go);
    pthread_cond_destroy(&r->back);
    free(r);
}
