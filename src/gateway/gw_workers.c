/*
 * gw_workers.c - inspection worker threads for the gateway (gw_workers.h):
 * single-producer / single-consumer byte rings between the loop thread and
 * each worker, eventfd wake-ups, back pressure in both directions.
 *
 * Ring: a power-of-two byte array with monotonically increasing head (consumer)
 * and tail (producer) positions published with release/acquire atomics. A
 * record is an 8-byte header (its length) followed by the caller's bytes,
 * padded to 8; a record that does not fit before the end of the array leaves
 * a wrap marker there and starts at the front. A record is at most a quarter
 * of the ring, so a ring never stalls on one record.
 */
#define _GNU_SOURCE
#include "gateway/gw_workers.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define REC_HDR   8u
#define WRAP_MARK 0xffffffffu

typedef struct {
    uint8_t *buf;
    size_t cap; /* power of two */
    _Atomic size_t head, tail;
    size_t skip;  /* producer: bytes skipped by a wrap in the pending reservation */
    size_t ptail; /* producer: committed but not yet published (ring_publish) */
} ring;

static size_t align8(size_t n)
{
    return (n + 7u) & ~(size_t)7u;
}

static int ring_init(ring *r, size_t max_rec)
{
    size_t cap = 1u << 16;
    while (cap < 4 * align8(max_rec + REC_HDR))
        cap <<= 1;
    r->buf = malloc(cap);
    r->cap = cap;
    atomic_init(&r->head, 0);
    atomic_init(&r->tail, 0);
    r->ptail = 0;
    return r->buf ? 0 : -1;
}

/* Producer: room for a record of len payload bytes, or NULL. */
static uint8_t *ring_reserve(ring *r, size_t len)
{
    size_t need = align8(len + REC_HDR);
    size_t t = r->ptail;
    size_t h = atomic_load_explicit(&r->head, memory_order_acquire);
    size_t free_b = r->cap - (t - h), pos = t & (r->cap - 1), contig = r->cap - pos;
    r->skip = 0;
    if (contig < need) {
        if (free_b < contig + need) return NULL;
        uint32_t mark = WRAP_MARK;
        memcpy(r->buf + pos, &mark, sizeof mark);
        r->skip = contig;
        pos = 0;
    } else if (free_b < need)
        return NULL;
    uint32_t l32 = (uint32_t)len;
    memcpy(r->buf + pos, &l32, sizeof l32);
    return r->buf + pos + REC_HDR;
}

/* Producer: the reserved record is written (not yet visible to the consumer). */
static void ring_commit(ring *r, size_t len)
{
    r->ptail += r->skip + align8(len + REC_HDR);
}

/* Producer: the committed records become visible. */
static void ring_publish(ring *r)
{
    atomic_store_explicit(&r->tail, r->ptail, memory_order_release);
}

/* Consumer: the record at *pos (the head, or after one peeked before), its payload and
 * length; *pos moves past it. NULL when there is none. */
static const uint8_t *ring_peek_at(ring *r, size_t *pos, size_t *len)
{
    size_t h = *pos;
    size_t t = atomic_load_explicit(&r->tail, memory_order_acquire);
    if (h == t) return NULL;
    size_t p = h & (r->cap - 1);
    uint32_t l32;
    memcpy(&l32, r->buf + p, sizeof l32);
    if (l32 == WRAP_MARK) {
        h += r->cap - p;
        if (h == t) return NULL; /* cannot happen: a wrap is published with its record */
        p = 0;
        memcpy(&l32, r->buf, sizeof l32);
    }
    *len = l32;
    *pos = h + align8(l32 + REC_HDR);
    return r->buf + p + REC_HDR;
}

static size_t ring_head(ring *r)
{
    return atomic_load_explicit(&r->head, memory_order_relaxed);
}

/* Consumer: every record before pos is done with. */
static void ring_release_to(ring *r, size_t pos)
{
    atomic_store_explicit(&r->head, pos, memory_order_release);
}

typedef struct {
    gw_workers *w;
    unsigned index;
    pthread_t thread;
    bool started;
    ring in, out;
    int in_efd;    /* loop -> worker: jobs */
    int space_efd; /* loop -> worker: room in the output ring */
    int done_efd;  /* worker -> loop: results */
    atomic_bool out_waiting;
    bool kick;    /* jobs committed since the last kick (loop thread) */
    bool stalled; /* the caller refused a result (loop thread) */
    uint64_t given, taken;
    _Atomic uint64_t done;
    uint8_t *res; /* worker's result scratch */
} lane;

struct gw_workers {
    unsigned n;
    atomic_bool batched;
    size_t max_result;
    ssgw_evloop *loop;
    gw_workers_ops ops;
    void *arg;
    atomic_bool stop;
    lane lanes[GW_WORKERS_MAX];
};

static void efd_signal(int fd)
{
    uint64_t one = 1;
    ssize_t r;
    do
        r = write(fd, &one, sizeof one);
    while (r < 0 && errno == EINTR);
}

static void efd_wait(int fd)
{
    uint64_t v;
    ssize_t r;
    do
        r = read(fd, &v, sizeof v);
    while (r < 0 && errno == EINTR);
}

/* Worker: makes the results written so far visible and wakes the loop thread. */
static void hand_over(lane *ln, unsigned *unsignalled)
{
    ring_publish(&ln->out);
    if (*unsignalled) efd_signal(ln->done_efd);
    *unsignalled = 0;
}

static void *worker_main(void *arg)
{
    lane *ln = arg;
    gw_workers *w = ln->w;
    const uint8_t *jobs[GW_WORKERS_BATCH];
    size_t lens[GW_WORKERS_BATCH], ends[GW_WORKERS_BATCH];
    unsigned unsignalled = 0; /* results published since the loop thread was last woken */
    while (!atomic_load(&w->stop)) {
        bool batched = atomic_load(&w->batched);
        size_t n = 0, pos = ring_head(&ln->in), max = batched ? GW_WORKERS_BATCH : 1;
        while (n < max && (jobs[n] = ring_peek_at(&ln->in, &pos, &lens[n])) != NULL)
            ends[n++] = pos;
        if (n == 0) {
            hand_over(ln, &unsignalled);
            efd_wait(ln->in_efd);
            continue;
        }
        if (batched && w->ops.batch_begin) w->ops.batch_begin(w->arg, ln->index, jobs, lens, n);
        bool begun = batched;
        for (size_t i = 0; i < n; i++) {
            size_t rl = w->ops.work(w->arg, ln->index, jobs[i], lens[i], ln->res, w->max_result);
            uint8_t *dst;
            while ((dst = ring_reserve(&ln->out, rl)) == NULL) {
                /* the output ring is full: what is done goes out first */
                if (begun && w->ops.batch_end) w->ops.batch_end(w->arg, ln->index);
                begun = false;
                hand_over(ln, &unsignalled);
                atomic_store(&ln->out_waiting, true);
                atomic_thread_fence(memory_order_seq_cst);
                if ((dst = ring_reserve(&ln->out, rl)) != NULL) {
                    atomic_store(&ln->out_waiting, false);
                    break;
                }
                efd_wait(ln->space_efd);
                if (atomic_load(&w->stop)) return NULL;
            }
            memcpy(dst, ln->res, rl);
            ring_commit(&ln->out, rl);
            ring_release_to(&ln->in, ends[i]);
            atomic_fetch_add_explicit(&ln->done, 1, memory_order_relaxed);
            unsignalled++;
            if (!batched) {
                ring_publish(&ln->out);
                if (unsignalled == 32) hand_over(ln, &unsignalled);
            }
        }
        if (begun && w->ops.batch_end) w->ops.batch_end(w->arg, ln->index);
        /* more jobs waiting: take them before signalling (as one batch of 32 would) */
        size_t next = ring_head(&ln->in), nl;
        if (!batched && unsignalled < 32 && ring_peek_at(&ln->in, &next, &nl)) continue;
        hand_over(ln, &unsignalled);
    }
    return NULL;
}

/* Loop thread: takes lane's results in order until empty or refused. */
static void take_results(gw_workers *w, lane *ln)
{
    const uint8_t *res;
    size_t rl, pos = ring_head(&ln->out);
    bool took = false;
    while (!ln->stalled && (res = ring_peek_at(&ln->out, &pos, &rl)) != NULL) {
        if (w->ops.done(w->arg, ln->index, res, rl) != 0) {
            ln->stalled = true;
            break;
        }
        ring_release_to(&ln->out, pos);
        ln->taken++;
        took = true;
        atomic_thread_fence(memory_order_seq_cst);
        if (atomic_exchange(&ln->out_waiting, false)) efd_signal(ln->space_efd);
    }
    if (took && w->ops.drained) w->ops.drained(w->arg, ln->index);
}

static void done_event(ssgw_evloop *loop, int fd, unsigned ev, void *arg)
{
    (void)loop;
    (void)ev;
    lane *ln = arg;
    uint64_t v;
    if (read(fd, &v, sizeof v) < 0 && errno != EAGAIN) return;
    take_results(ln->w, ln);
}

gw_workers *gw_workers_new(unsigned n, size_t max_job, size_t max_result, ssgw_evloop *loop,
                           const gw_workers_ops *ops, void *arg, char *err, size_t errlen)
{
    if (n < 1 || n > GW_WORKERS_MAX) {
        snprintf(err, errlen, "workers: %u: expected 1 to %d", n, GW_WORKERS_MAX);
        return NULL;
    }
    gw_workers *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "workers: out of memory");
        return NULL;
    }
    w->n = n;
    w->max_result = max_result;
    w->loop = loop;
    w->ops = *ops;
    w->arg = arg;
    atomic_init(&w->stop, false);
    atomic_init(&w->batched, false);
    for (unsigned i = 0; i < n; i++) {
        lane *ln = &w->lanes[i];
        ln->w = w;
        ln->index = i;
        ln->in_efd = ln->space_efd = ln->done_efd = -1;
        atomic_init(&ln->out_waiting, false);
        atomic_init(&ln->done, 0);
    }
    for (unsigned i = 0; i < n; i++) {
        lane *ln = &w->lanes[i];
        ln->res = malloc(max_result);
        ln->in_efd = eventfd(0, EFD_CLOEXEC);
        ln->space_efd = eventfd(0, EFD_CLOEXEC);
        ln->done_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (!ln->res || ring_init(&ln->in, max_job) < 0 || ring_init(&ln->out, max_result) < 0 ||
            ln->in_efd < 0 || ln->space_efd < 0 || ln->done_efd < 0) {
            snprintf(err, errlen, "workers: %s", errno ? strerror(errno) : "out of memory");
            gw_workers_free(w);
            return NULL;
        }
        if (ssgw_evloop_add_fd(loop, ln->done_efd, SSGW_EV_READ, done_event, ln) < 0) {
            snprintf(err, errlen, "workers: cannot watch the result eventfd");
            gw_workers_free(w);
            return NULL;
        }
        int e = pthread_create(&ln->thread, NULL, worker_main, ln);
        if (e) {
            snprintf(err, errlen, "workers: cannot start thread %u: %s", i, strerror(e));
            gw_workers_free(w);
            return NULL;
        }
        ln->started = true;
        char name[16];
        snprintf(name, sizeof name, "ssgw-insp-%u", i);
        pthread_setname_np(ln->thread, name);
    }
    return w;
}

void gw_workers_free(gw_workers *w)
{
    if (!w) return;
    atomic_store(&w->stop, true);
    for (unsigned i = 0; i < w->n; i++) {
        lane *ln = &w->lanes[i];
        if (ln->started) {
            efd_signal(ln->in_efd);
            efd_signal(ln->space_efd);
            pthread_join(ln->thread, NULL);
        }
        if (ln->done_efd >= 0) {
            ssgw_evloop_del_fd(w->loop, ln->done_efd);
            close(ln->done_efd);
        }
        if (ln->in_efd >= 0) close(ln->in_efd);
        if (ln->space_efd >= 0) close(ln->space_efd);
        free(ln->in.buf);
        free(ln->out.buf);
        free(ln->res);
    }
    free(w);
}

unsigned gw_workers_count(const gw_workers *w)
{
    return w->n;
}

uint8_t *gw_workers_reserve(gw_workers *w, unsigned lane_i, size_t len)
{
    return ring_reserve(&w->lanes[lane_i].in, len);
}

void gw_workers_set_batched(gw_workers *w, bool on)
{
    atomic_store(&w->batched, on);
}

void gw_workers_commit(gw_workers *w, unsigned lane_i, size_t len)
{
    lane *ln = &w->lanes[lane_i];
    ring_commit(&ln->in, len);
    ring_publish(&ln->in);
    ln->given++;
    ln->kick = true;
}

void gw_workers_kick(gw_workers *w)
{
    for (unsigned i = 0; i < w->n; i++)
        if (w->lanes[i].kick) {
            w->lanes[i].kick = false;
            efd_signal(w->lanes[i].in_efd);
        }
}

void gw_workers_resume(gw_workers *w, unsigned lane_i)
{
    lane *ln = &w->lanes[lane_i];
    if (!ln->stalled) return;
    ln->stalled = false;
    take_results(w, ln);
}

uint64_t gw_workers_in_flight(const gw_workers *w)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < w->n; i++)
        n += w->lanes[i].given - w->lanes[i].taken;
    return n;
}

uint64_t gw_workers_done_count(const gw_workers *w, unsigned lane_i)
{
    return atomic_load_explicit(&w->lanes[lane_i].done, memory_order_relaxed);
}
