/*
 * store_redis.h - the shared state store: the interface of include/ssgw/store.h over
 * standalone Redis or Redis Cluster, so that several gateways (active-active pairs,
 * several sites) and successive `ssgw analyze` processes see one state: subscriber
 * locations (MAP and Diameter), SRI-SM marks, dialogues, rate buckets, interception-risk
 * events with the IMSI <-> MSISDN pairs, incidents, and the security token's replay cache.
 *
 * How it keeps the gateway from waiting (docs/architecture.md "Shared state"):
 *   - batches: the pipeline lists the records a batch of messages may read
 *     (ssgw_pipeline_prefetch) and they come back in one pipelined round trip per batch,
 *     every master at once; reads of records not listed are synchronous (correct, slower,
 *     counted as sync_reads);
 *   - writes are held and sent together at the end of the batch (ssgw_pipeline_flush),
 *     which waits for their acknowledgement before the batch's messages are released;
 *   - records expire by TTL on the server ([state] ttl_slack beyond their use): no sweeps;
 *   - rate buckets: the same arithmetic as the embedded store (ssgw_store_bucket_apply) on
 *     the batch's copy, and on the server atomically by a Lua script that applies each take
 *     in order (EVALSHA); another node taking tokens of the same bucket within the same
 *     batch is counted (bucket_disagreements): the shared limit holds to within one batch;
 *   - incidents: decided on the batch's copy as the embedded store does, applied on the
 *     server by a second script (EVAL) that keeps the id of an incident still open there,
 *     so that a pair converges on one id per attacked subscriber;
 *   - the replay cache: SET key NX EX ttl, synchronous (a replay must be refused before
 *     it is forwarded), after the local cache of the trust layer let it through; the
 *     caller's ttl is as long as the token could still be accepted, from its own time
 *     ([state] clock_skew beyond that; the pipeline's replay hook);
 *   - a caller that may not wait (use_generation(SSGW_STORE_GEN_NOWAIT): the gateway's
 *     loop, where Diameter is inspected) is answered from the batch cache, whatever its
 *     generation, else from the local store; its writes wait for the next flush.
 *
 * Keys (prefix [state] key_prefix, default "ssgw:"; hash tags in braces, so that one
 * subscriber's records share a slot in a cluster):
 *   location  <prefix>l{IMSI}          22 bytes: VLR, MSC (packed), country, time
 *   mark      <prefix>m{subject}SMSC   4 bytes: time
 *   dialogue  <prefix>d{TID}GT         4 bytes: time; 12 with a value: time, value
 *   bucket    <prefix>b{g<n>}key       "time milli" (n: one of 16 groups of buckets)
 *   risk      <prefix>e{subject}       8 bytes: time, kind (TTL [state] risk_ttl)
 *   alias     <prefix>a{identity}      8 bytes: the other identity (one key each way; risk_ttl)
 *   incident  <prefix>i{subject}       "time id" (TTL incident_window + ttl_slack; the subject
 *                                      is the packed IMSI when known: the location's slot)
 *   replay    <prefix>r{keyid nonce}   "1" (TTL token time + window + 1 - now + clock_skew)
 *   secret    <prefix>k{secret}        16 hex digits, no TTL (shared_secret: SMS text keys)
 * ISUP circuits (call_get/put/del) are not shared: the local store keeps them (the messages
 * of one circuit take one signalling link selection, hence one gateway).
 * (numbers in hexadecimal, as the store packs them; binary values little-endian).
 *
 * When Redis cannot answer (a node down, a failover, CLUSTERDOWN, a timeout): the store
 * goes down (an event), [state] fail decides (local: the embedded store it mirrors every
 * write into answers; closed: reads fail and the pipeline drops what needed them), writes
 * are queued (bounded: [state] pending_writes, the oldest dropped beyond it, an event), a
 * thread reconnects with exponential backoff ([state] reconnect_min_ms .. max_ms), and the
 * next caller adopts the new connections, replays the queue and goes up (an event).
 * Bucket takes made while down are not replayed (their times have passed).
 */
#ifndef SSGW_STORE_REDIS_H
#define SSGW_STORE_REDIS_H

#include <stdbool.h>
#include <stddef.h>

#include "ssgw/store.h"

typedef enum {
    SSGW_STORE_EVENT_DOWN = 0,   /* the back end stopped answering: the fail policy applies */
    SSGW_STORE_EVENT_UP,         /* answering again (queued writes replayed) */
    SSGW_STORE_EVENT_QUEUE_FULL, /* queued writes were dropped (at most once a minute) */
    SSGW_STORE_EVENT_COUNT
} ssgw_store_event;
/* "state_down", "state_up", "state_queue_full". */
const char *ssgw_store_event_name(int ev);

/* Called on the thread that noticed it, under the store's caller's lock. */
typedef void (*ssgw_store_event_fn)(void *ctx, ssgw_store_event ev, const char *detail);

/*
 * The store [state] describes: the embedded one (cfg->local capacities) or Redis. For
 * Redis, cfg is copied; require_up: fail (NULL, err) when no node answers now (ssgw
 * analyze), else start down with the fail policy and reconnect (the gateway). on_event
 * may be NULL. NULL with err.
 */
ssgw_store *ssgw_store_open(const ssgw_state_config *cfg, bool require_up,
                            ssgw_store_event_fn on_event, void *ctx, char *err, size_t errlen);

#endif
