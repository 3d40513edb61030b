/*
 * evloop.c - the gateway's event loop: epoll for descriptors, a linear list of
 * timers (like Redis's ae.c, a few entries), an idle hook for batched writes.
 *
 * The descriptor table is indexed by fd and grows by doubling. A callback that
 * unregisters another descriptor whose event was already collected in the
 * same epoll_wait batch is safe: every dispatch re-checks the table entry and
 * a generation number, so a stale event for a closed-and-reused fd is dropped.
 */
#include "ssgw/evloop.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define EV_BATCH 64

typedef struct {
    unsigned mask; /* 0 with fn == NULL: free */
    ssgw_ev_fd_fn fn;
    void *arg;
    uint32_t gen;
} fd_entry;

typedef struct {
    long long id; /* 0: free slot */
    uint64_t when;
    ssgw_ev_timer_fn fn;
    void *arg;
} timer_entry;

struct ssgw_evloop {
    int epfd;
    fd_entry *fds;
    size_t nfds;
    timer_entry *timers;
    size_t ntimers;
    long long next_id;
    ssgw_ev_idle_fn idle;
    void *idle_arg;
    bool stop;
};

uint64_t ssgw_evloop_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

ssgw_evloop *ssgw_evloop_new(void)
{
    ssgw_evloop *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (l->epfd < 0) {
        free(l);
        return NULL;
    }
    l->next_id = 1;
    return l;
}

void ssgw_evloop_free(ssgw_evloop *l)
{
    if (!l) return;
    close(l->epfd);
    free(l->fds);
    free(l->timers);
    free(l);
}

static uint32_t to_epoll(unsigned mask)
{
    return ((mask & SSGW_EV_READ) ? EPOLLIN : 0u) | ((mask & SSGW_EV_WRITE) ? EPOLLOUT : 0u);
}

int ssgw_evloop_add_fd(ssgw_evloop *l, int fd, unsigned mask, ssgw_ev_fd_fn fn, void *arg)
{
    if (fd < 0 || !fn) return -EINVAL;
    if ((size_t)fd >= l->nfds) {
        size_t n = l->nfds ? l->nfds : 64;
        while (n <= (size_t)fd)
            n *= 2;
        fd_entry *nf = realloc(l->fds, n * sizeof *nf);
        if (!nf) return -ENOMEM;
        memset(nf + l->nfds, 0, (n - l->nfds) * sizeof *nf);
        l->fds = nf;
        l->nfds = n;
    }
    fd_entry *e = &l->fds[fd];
    if (e->fn) return -EEXIST;
    struct epoll_event ev = {.events = to_epoll(mask), .data.u64 = 0};
    e->gen++;
    ev.data.u64 = ((uint64_t)e->gen << 32) | (uint32_t)fd;
    if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) return -errno;
    e->mask = mask;
    e->fn = fn;
    e->arg = arg;
    return 0;
}

int ssgw_evloop_mod_fd(ssgw_evloop *l, int fd, unsigned mask)
{
    if (fd < 0 || (size_t)fd >= l->nfds || !l->fds[fd].fn) return -ENOENT;
    fd_entry *e = &l->fds[fd];
    if (e->mask == mask) return 0;
    struct epoll_event ev = {.events = to_epoll(mask),
                             .data.u64 = ((uint64_t)e->gen << 32) | (uint32_t)fd};
    if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0) return -errno;
    e->mask = mask;
    return 0;
}

unsigned ssgw_evloop_fd_mask(const ssgw_evloop *l, int fd)
{
    if (fd < 0 || (size_t)fd >= l->nfds || !l->fds[fd].fn) return 0;
    return l->fds[fd].mask;
}

void ssgw_evloop_del_fd(ssgw_evloop *l, int fd)
{
    if (fd < 0 || (size_t)fd >= l->nfds || !l->fds[fd].fn) return;
    epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
    l->fds[fd].fn = NULL;
    l->fds[fd].arg = NULL;
    l->fds[fd].mask = 0;
    l->fds[fd].gen++;
}

long long ssgw_evloop_add_timer(ssgw_evloop *l, uint64_t ms, ssgw_ev_timer_fn fn, void *arg)
{
    size_t i;
    for (i = 0; i < l->ntimers; i++)
        if (!l->timers[i].id) break;
    if (i == l->ntimers) {
        size_t n = l->ntimers ? l->ntimers * 2 : 16;
        timer_entry *nt = realloc(l->timers, n * sizeof *nt);
        if (!nt) return -ENOMEM;
        memset(nt + l->ntimers, 0, (n - l->ntimers) * sizeof *nt);
        l->timers = nt;
        l->ntimers = n;
    }
    timer_entry *t = &l->timers[i];
    t->id = l->next_id++;
    t->when = ssgw_evloop_now_ms() + ms;
    t->fn = fn;
    t->arg = arg;
    return t->id;
}

void ssgw_evloop_del_timer(ssgw_evloop *l, long long id)
{
    if (id <= 0) return;
    for (size_t i = 0; i < l->ntimers; i++)
        if (l->timers[i].id == id) {
            l->timers[i].id = 0;
            return;
        }
}

void ssgw_evloop_set_idle(ssgw_evloop *l, ssgw_ev_idle_fn fn, void *arg)
{
    l->idle = fn;
    l->idle_arg = arg;
}

static int next_timeout(const ssgw_evloop *l, int max_wait_ms)
{
    uint64_t now = ssgw_evloop_now_ms();
    long long best = max_wait_ms;
    for (size_t i = 0; i < l->ntimers; i++) {
        if (!l->timers[i].id) continue;
        long long d = l->timers[i].when > now ? (long long)(l->timers[i].when - now) : 0;
        if (best < 0 || d < best) best = d;
    }
    return best > 3600000 ? 3600000 : (int)best;
}

/* Fires the timers due now in deadline order (ties: the one added first), each once: a
 * loop that wakes late (a loaded machine) still runs them in the order they were due. A
 * timer added or re-armed by a callback waits for a later turn. */
static int run_timers(ssgw_evloop *l)
{
    int n = 0;
    uint64_t now = ssgw_evloop_now_ms();
    long long first_new = l->next_id; /* timers added from here on wait for the next turn */
    for (;;) {
        /* index search: callbacks may add timers (realloc), so re-read l->timers each time */
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < l->ntimers; i++) {
            const timer_entry *t = &l->timers[i];
            if (!t->id || t->id >= first_new || t->when > now) continue;
            const timer_entry *b = best == SIZE_MAX ? NULL : &l->timers[best];
            if (!b || t->when < b->when || (t->when == b->when && t->id < b->id)) best = i;
        }
        if (best == SIZE_MAX) return n;
        timer_entry t = l->timers[best];
        uint64_t again = t.fn(l, t.id, t.arg);
        n++;
        /* the callback may have cancelled its own timer (id cleared) */
        if (l->timers[best].id == t.id) {
            if (again)
                l->timers[best].when = now + again; /* later than now: not again this turn */
            else
                l->timers[best].id = 0;
        }
    }
}

int ssgw_evloop_run_once(ssgw_evloop *l, int max_wait_ms)
{
    struct epoll_event evs[EV_BATCH];
    int timeout = next_timeout(l, max_wait_ms);
    int n = epoll_wait(l->epfd, evs, EV_BATCH, timeout);
    if (n < 0) {
        if (errno != EINTR) return -errno;
        n = 0;
    }
    for (int i = 0; i < n; i++) {
        int fd = (int)(uint32_t)evs[i].data.u64;
        uint32_t gen = (uint32_t)(evs[i].data.u64 >> 32);
        if ((size_t)fd >= l->nfds || !l->fds[fd].fn || l->fds[fd].gen != gen)
            continue; /* unregistered by an earlier callback in this batch */
        unsigned ready = 0;
        if (evs[i].events & EPOLLIN) ready |= SSGW_EV_READ;
        if (evs[i].events & EPOLLOUT) ready |= SSGW_EV_WRITE;
        if (evs[i].events & (EPOLLERR | EPOLLHUP))
            ready |= SSGW_EV_ERROR | (l->fds[fd].mask & SSGW_EV_READ);
        l->fds[fd].fn(l, fd, ready, l->fds[fd].arg);
    }
    n += run_timers(l);
    if (l->idle) l->idle(l, l->idle_arg);
    return n;
}

int ssgw_evloop_run(ssgw_evloop *l)
{
    while (!l->stop) {
        int r = ssgw_evloop_run_once(l, -1);
        if (r < 0) return r;
    }
    return 0;
}

void ssgw_evloop_stop(ssgw_evloop *l)
{
    l->stop = true;
}

bool ssgw_evloop_stopped(const ssgw_evloop *l)
{
    return l->stop;
}
