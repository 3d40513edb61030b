/*
 * evloop.h - a small single-threaded event loop on epoll with millisecond timers.
 *
 * Modelled on Redis's ae.c: one table of file descriptors (indexed by fd) with
 * a callback and an argument each, and a short list of timers scanned on every
 * turn (the gateway keeps a handful: reconnects, BEAT, ack timeouts). Callbacks
 * run on the loop's thread; they may add and remove descriptors and timers,
 * including their own. Nothing here knows about M3UA.
 *
 * Errors are -errno (house rule for internal errors).
 */
#ifndef SSGW_EVLOOP_H
#define SSGW_EVLOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSGW_EV_READ  1u
#define SSGW_EV_WRITE 2u
#define SSGW_EV_ERROR 4u /* reported only: EPOLLERR / EPOLLHUP */

typedef struct ssgw_evloop ssgw_evloop;

/* events: SSGW_EV_* bits that are ready. */
typedef void (*ssgw_ev_fd_fn)(ssgw_evloop *l, int fd, unsigned events, void *arg);
/* Returns the next period in ms to re-arm the timer, or 0 to let it end. */
typedef uint64_t (*ssgw_ev_timer_fn)(ssgw_evloop *l, long long id, void *arg);
/* Runs once after each batch of events (flushes batched output). */
typedef void (*ssgw_ev_idle_fn)(ssgw_evloop *l, void *arg);

/* NULL on allocation failure. */
ssgw_evloop *ssgw_evloop_new(void);
/* Closes the epoll descriptor (not the registered ones) and frees the loop. NULL is accepted. */
void ssgw_evloop_free(ssgw_evloop *l);

/* Registers fd with a mask of SSGW_EV_READ|SSGW_EV_WRITE. -EEXIST when registered already. */
int ssgw_evloop_add_fd(ssgw_evloop *l, int fd, unsigned mask, ssgw_ev_fd_fn fn, void *arg);
/* Changes the mask (0 = keep registered, report nothing). -ENOENT when not registered. */
int ssgw_evloop_mod_fd(ssgw_evloop *l, int fd, unsigned mask);
/* The current mask, or 0 when fd is not registered. */
unsigned ssgw_evloop_fd_mask(const ssgw_evloop *l, int fd);
/* Unregisters fd (does not close it); events already collected for it are discarded. */
void ssgw_evloop_del_fd(ssgw_evloop *l, int fd);

/* A timer firing after ms milliseconds; returns its id (> 0) or -ENOMEM. */
long long ssgw_evloop_add_timer(ssgw_evloop *l, uint64_t ms, ssgw_ev_timer_fn fn, void *arg);
/* Cancels a timer; ids that already ended are ignored. */
void ssgw_evloop_del_timer(ssgw_evloop *l, long long id);

void ssgw_evloop_set_idle(ssgw_evloop *l, ssgw_ev_idle_fn fn, void *arg);

/* Monotonic milliseconds (CLOCK_MONOTONIC). */
uint64_t ssgw_evloop_now_ms(void);

/* Waits at most max_wait_ms (-1: until the next timer) and dispatches. Returns events handled. */
int ssgw_evloop_run_once(ssgw_evloop *l, int max_wait_ms);
/* Runs until ssgw_evloop_stop(). Returns 0, or -errno when epoll_wait fails. */
int ssgw_evloop_run(ssgw_evloop *l);
void ssgw_evloop_stop(ssgw_evloop *l);
bool ssgw_evloop_stopped(const ssgw_evloop *l);

#endif
