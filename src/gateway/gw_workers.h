/*
 * gw_workers.h - the gateway's inspection workers: N threads that run the
 * inspection hook off the event loop's thread, so that decoding, the firewall
 * and the token's cryptography use every core.
 *
 * Order: the loop thread puts each DATA message on ONE worker, chosen by the
 * caller (the gateway hashes the MTP3 routing label: OPC, DPC, SLS — the unit
 * in which MTP3 and M3UA promise in-sequence delivery, ITU-T Q.704 2.2,
 * RFC 4666 1.4.7). Each worker has a single-producer / single-consumer input
 * ring and output ring, both FIFO, and the loop thread consumes one worker's
 * results in order: messages of one SLS leave in the order they arrived.
 *
 * Back pressure, never loss: a full input ring refuses the job (the caller
 * stops reading its source and retries when results have been taken); a full
 * output ring makes the worker wait; a result the caller cannot send yet
 * (destination queue full) stalls that worker's results until gw_workers_resume.
 *
 * Wake-ups are eventfds: the loop kicks a worker once per loop turn that gave
 * it jobs; a worker signals its results once per batch (and every 32 jobs).
 * With batches on (gw_workers_set_batched: the shared state store), a worker takes
 * every job waiting (up to GW_WORKERS_BATCH), brackets them with batch_begin /
 * batch_end and publishes their results together.
 * Records are opaque to this module: the caller lays out its own headers.
 */
#ifndef SSGW_GW_WORKERS_H
#define SSGW_GW_WORKERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/evloop.h"

#define GW_WORKERS_MAX 16

typedef struct gw_workers gw_workers;

typedef struct {
    /* On worker thread `lane`: turns a job into a result written to res[0..cap);
     * returns its length (> 0). Must not touch loop-thread state. */
    size_t (*work)(void *arg, unsigned lane, const uint8_t *job, size_t len, uint8_t *res,
                   size_t cap);
    /* On the loop thread, in order per lane: 0 = taken, 1 = not now (the result is kept
     * and the lane stalls until gw_workers_resume). */
    int (*done)(void *arg, unsigned lane, const uint8_t *res, size_t len);
    /* On the loop thread after a lane's results were taken: input space was freed. */
    void (*drained)(void *arg, unsigned lane);
    /* Batches (may be NULL; used after gw_workers_set_batched): on worker thread `lane`,
     * before the jobs it has taken at once (at most GW_WORKERS_BATCH) are worked, and after;
     * their results are handed to the loop thread only after batch_end returned. */
    void (*batch_begin)(void *arg, unsigned lane, const uint8_t *const *jobs, const size_t *lens,
                        size_t n);
    void (*batch_end)(void *arg, unsigned lane);
} gw_workers_ops;

#define GW_WORKERS_BATCH 64

/* Starts n threads (1..GW_WORKERS_MAX) whose rings take records up to max_job and
 * max_result bytes. NULL with err on failure. */
gw_workers *gw_workers_new(unsigned n, size_t max_job, size_t max_result, ssgw_evloop *loop,
                           const gw_workers_ops *ops, void *arg, char *err, size_t errlen);
/* Batches on (before jobs are given): every worker takes the jobs waiting at once, calls
 * batch_begin, works them, calls batch_end, then publishes their results together (the
 * shared state store: one round trip for the batch's reads, one for its writes, and a
 * message is released only after what it taught is stored). Off: result by result. */
void gw_workers_set_batched(gw_workers *w, bool on);
/* Stops and joins the threads; jobs not yet done are discarded (call after a drain). */
void gw_workers_free(gw_workers *w);

unsigned gw_workers_count(const gw_workers *w);
/* Loop thread: room for a job of len bytes on lane, or NULL (ring full). */
uint8_t *gw_workers_reserve(gw_workers *w, unsigned lane, size_t len);
/* Loop thread: publishes the job written at the reserved place. */
void gw_workers_commit(gw_workers *w, unsigned lane, size_t len);
/* Loop thread: wakes the workers that got jobs since the last kick (once per loop turn). */
void gw_workers_kick(gw_workers *w);
/* Loop thread: takes the results of a stalled lane again. */
void gw_workers_resume(gw_workers *w, unsigned lane);
/* Jobs given to workers whose results were not taken yet. */
uint64_t gw_workers_in_flight(const gw_workers *w);
/* Jobs done by one lane (for status). */
uint64_t gw_workers_done_count(const gw_workers *w, unsigned lane);

#endif
