/*
 * store.h - the state the policy checks keep between messages, behind one narrow
 * interface so that several back ends can hold it: the embedded one here
 * (in-process, fixed capacity, memory-bounded) and Redis / Redis Cluster
 * (include/ssgw/store_redis.h: shared by several gateways and by successive
 * `ssgw analyze` processes).
 *
 * Five kinds of record, each keyed by 64-bit integers (never strings):
 *   - subscriber location: IMSI -> current VLR GT, MSC GT, country of the VLR, time of the last
 * accepted location update, whichever protocol it came by: a MAP updateLocation stores packed
 * GTs, a Diameter ULR hashes of the MME's Origin-Host (vlr) and Origin-Realm (msc) with the
 * top four bits clear (ssgw_store_diam_id: never equal to a packed GT) and the country of the
 * Visited-PLMN-Id, so that velocity and current-location checks of either protocol see the
 * other's moves;
 *   - SRI-SM marks: (subject, SMSC GT) -> time; subject is a packed IMSI or MSISDN;
 *   - dialogues: (transaction id, GT) -> time and a 64-bit value, with a timeout; the
 *     firewall keeps (tid, 0) for the open dialogue (value: the other side's transaction id)
 *     and (tid, a binding tag) for who may continue it (value: the network addressed, or the
 *     origin of the first answer; overwritten when our side begins another dialogue with
 *     that tid; src/policy/checks_dialogue.c): two records per open dialogue;
 *   - token buckets: key -> tokens and last refill time;
 *   - interception-risk events (include/ssgw/risk.h): subscriber -> the latest event's time
 *     and kind, and the two identities of one subscriber (IMSI <-> MSISDN). These two are
 *     optional: a back end that does not keep them leaves the ops NULL.
 *   - incidents: subscriber -> incident id and when it was last seen: the blocks of an attack
 *     on one subscriber, over MAP and Diameter alike, carry one id while they keep coming
 *     within a window (optional for a back end: NULL incident_touch means no incident ids).
 * and, for a back end shared by several gateways, the security token's replay cache
 * (key id, nonce), so that a token replayed through the other node is caught.
 *
 * Digits (IMSI, GT, MSISDN; 1..15 decimal digits) are packed with
 * ssgw_store_pack_digits(): the number in the low 56 bits and the digit count
 * in the top 4, so "0123" and "123" differ and 0 means "none".
 *
 * Times are seconds (uint32, e.g. Unix time from the capture or the clock)
 * except token buckets, which take milliseconds. Every operation is O(1) and
 * allocates nothing; a back end that cannot answer returns -1 and the caller
 * treats it as "unknown" (fail-open for learning, the check decides on its own
 * what unknown means).
 *
 * Batching (a remote back end). The operations are synchronous: they define
 * what the checks see, the same for every back end. A remote back end would pay one
 * round trip per read, so a caller that handles messages in batches (the pipeline:
 * ssgw_pipeline_prefetch / ssgw_pipeline_flush) first lists the records the batch
 * may read (ssgw_firewall_prefetch_keys) and hands them to `prefetch`, which fetches
 * them all in one round trip and returns a read generation; before judging a message
 * the caller names the generation of its batch (`use_generation`), and reads of
 * records fetched (or written here) at or after it are answered locally. Anything
 * else is read synchronously, so a missing or stale hint costs time, never a
 * different verdict. Writes are held and sent together by `flush` (which waits for
 * the acknowledgement, so a message is released only after what it taught is
 * shared). A caller that must not wait at all (the gateway's event loop, where Diameter
 * is inspected) names SSGW_STORE_GEN_NOWAIT instead: reads are then answered from what the
 * back end holds here (records fetched by earlier batches or written here, else its local
 * copy) and writes are held for the next flush, made by another thread. The embedded back
 * end leaves these NULL. All of a store's operations are called under one lock (the
 * pipeline's state lock).
 */
#ifndef SSGW_STORE_H
#define SSGW_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t vlr;  /* packed VLR (or SGSN) GT; 0 = unknown */
    uint64_t msc;  /* packed MSC GT; 0 = unknown */
    uint16_t cc;   /* country of the VLR (the policy's geography index), 0 = unknown */
    uint32_t time; /* seconds: when the location was accepted */
    /* put: the pool (as dialogue_put) of the network whose message taught it; a back end
     * with a capacity replaces, when full, only a record of the same pool (a flood of new
     * subscribers from one network cannot push out another's); get: as stored, 0 when the
     * back end does not keep it */
    uint16_t pool;
} ssgw_store_location;

typedef struct {
    size_t capacity; /* records it can hold */
    size_t used;     /* records held now */
    uint64_t inserts, evictions, expired, hits, misses;
    /* records not stored because every record they could replace was live and kept (a
     * token bucket still refilling: forgetting it would hand its owner a fresh burst) */
    uint64_t refused;
} ssgw_store_table_stats;

typedef enum {
    SSGW_STORE_LOCATION = 0,
    SSGW_STORE_MARK,
    SSGW_STORE_DIALOGUE,
    SSGW_STORE_BUCKET,
    SSGW_STORE_RISK,     /* the latest interception-risk event per subscriber */
    SSGW_STORE_ALIAS,    /* IMSI <-> MSISDN */
    SSGW_STORE_INCIDENT, /* the incident open per subscriber */
    SSGW_STORE_CALL,     /* ISUP circuits in a call */
    SSGW_STORE_SEGMENT,  /* the boundary text of concatenated short messages' segments */
    SSGW_STORE_TABLE_COUNT
} ssgw_store_table;

/* --- ISUP circuits in a call (the call checks, circuits the gateway released) -------- */

/* Where a circuit's call is (ITU-T Q.764 2.1 ff., seen from the gateway). */
typedef enum {
    SSGW_CALL_NONE = 0,
    SSGW_CALL_SETUP,    /* IAM passed, no answer yet (ACM, CPG may have) */
    SSGW_CALL_ANSWERED, /* ANM or CON passed */
    SSGW_CALL_RELEASED, /* the gateway released the call (REL sent back): the originator's RLC
                           is absorbed, nothing of it reaches the inside */
} ssgw_call_state;

typedef struct {
    uint64_t calling; /* packed calling number, 0 = unknown */
    uint64_t called;  /* packed called number, 0 = unknown */
    uint32_t time;    /* seconds: when the state was entered (the IAM's time for SETUP) */
    uint8_t state;    /* ssgw_call_state */
} ssgw_store_call;

/* The key of circuit cic between point codes a and b (in either order). */
uint64_t ssgw_store_circuit_key(uint32_t a, uint32_t b, uint16_t cic);

/* "location", "sri_sm_mark", "dialogue", "bucket", "risk", "alias", "incident", "call",
 * "sms_segment". */
const char *ssgw_store_table_name(ssgw_store_table t);

/* --- segments of concatenated short messages (checks_sms_concat.c) ------------------ */

/* The octets of text kept at each end of a segment: the longest listed phrase or domain a
 * split can hide is joined from them (longer ones are not). */
#define SSGW_STORE_SEGMENT_WINDOW 128

/* What happened to the segments of concatenated short messages (ssgw_store_stats.segments;
 * the SMS checks count through segment_count). */
typedef enum {
    SSGW_SEGMENT_KEPT = 0,   /* a segment's boundary text kept */
    SSGW_SEGMENT_JOINED,     /* judged with a neighbour's boundary text joined on */
    SSGW_SEGMENT_REPEATED,   /* the same segment again with the same text (a retransmission) */
    SSGW_SEGMENT_CONFLICT,   /* the same segment again with another text: the first is kept */
    SSGW_SEGMENT_IGNORED_IE, /* total 0, sequence 0 or above total (TS 23.040 9.2.3.24.1: the
                                receiver ignores the element): judged alone */
    SSGW_SEGMENT_SEVERAL_IE, /* several concatenation elements: the last is used (9.2.3.24) */
    SSGW_SEGMENT_UNKEYED,    /* no recipient to key it by: judged alone */
    SSGW_SEGMENT_OUTCOME_COUNT
} ssgw_store_segment_outcome;
/* "kept", "joined", "repeated", "conflict", "ignored_ie", "several_ie", "unkeyed". */
const char *ssgw_store_segment_outcome_name(int o);

/*
 * One segment's boundary text (private: message text, kept only in the gateway's memory,
 * never in a shared back end): the first head_len and the last tail_len octets of the
 * segment's normalised text (each at most SSGW_STORE_SEGMENT_WINDOW), with its
 * neighbours' joined on when the segment is shorter than the window; head_cut: the text
 * goes on after head (a word reaching its end may be longer).
 */
typedef struct {
    uint32_t time;      /* seconds: when it arrived */
    uint32_t text_hash; /* of the segment's whole text: a repeat with another text shows */
    uint8_t head_len, tail_len;
    bool head_cut;
    char head[SSGW_STORE_SEGMENT_WINDOW], tail[SSGW_STORE_SEGMENT_WINDOW];
    /* segment_put: the network that delivered it (a pool, as for marks and dialogues) and
     * how long it stays live (the join window, seconds): one network's flood of segments
     * replaces only its own live ones beyond network_share */
    uint16_t pool;
    uint32_t life_s;
} ssgw_store_segment;

typedef struct {
    ssgw_store_table_stats t[SSGW_STORE_TABLE_COUNT];
    size_t bytes;                                  /* memory held by the back end's tables */
    uint64_t segments[SSGW_SEGMENT_OUTCOME_COUNT]; /* ssgw_store_segment_outcome */
} ssgw_store_stats;

typedef struct ssgw_store ssgw_store;
struct ssgw_store_key;
struct ssgw_store_health;

/*
 * The back-end interface. Return values: 1 found / allowed, 0 not found /
 * refused, -1 back-end failure. `now` arguments let the back end expire
 * records without a clock of its own.
 */
typedef struct {
    int (*location_get)(ssgw_store *s, uint64_t imsi, ssgw_store_location *out);
    int (*location_put)(ssgw_store *s, uint64_t imsi, const ssgw_store_location *loc);
    /* Records "subject asked by smsc at now", charged to pool and live for life_s seconds
     * (as dialogue_put below); mark_get reports whether one exists no older than max_age
     * seconds. */
    int (*mark_put)(ssgw_store *s, uint64_t subject, uint64_t smsc, uint32_t now, uint32_t pool,
                    uint32_t life_s);
    int (*mark_get)(ssgw_store *s, uint64_t subject, uint64_t smsc, uint32_t now, uint32_t max_age);
    /* Dialogues: put refreshes (and stores value, a 64-bit number of the caller's); get
     * returns 1 when seen within timeout seconds, with the value last put in *value (when
     * value is not NULL); del ends it. A new record is charged to `pool`, the network at the
     * dialogue's other end as the caller classes it (the firewall: 0 strangers, 1 our own
     * network, 2.. one per partner; 16 bits); a refresh keeps the record's pool unless it
     * changes the value (then the record is the writer's: charged to `pool`). timeout is how
     * long a record stays live without a put. A back end with a capacity never lets one pool
     * push out another pool's live records while that pool holds no more than its share of
     * the table (ssgw_store_limits.network_share): a peer that makes our network open or
     * answer dialogues in bulk fills its own share and then replaces only its own, or records
     * past their timeout. Returns 1 stored, 0 not stored (counted in `refused`: every record
     * it could replace was live and protected). */
    int (*dialogue_put)(ssgw_store *s, uint32_t tid, uint64_t gt, uint64_t value, uint32_t now,
                        uint32_t pool, uint32_t timeout);
    int (*dialogue_get)(ssgw_store *s, uint32_t tid, uint64_t gt, uint32_t now, uint32_t timeout,
                        uint64_t *value);
    int (*dialogue_del)(ssgw_store *s, uint32_t tid, uint64_t gt);
    /*
     * Token bucket `key` holding at most `burst` tokens, refilled at
     * `limit` tokens per `period_s` seconds; takes one token at now_ms.
     * Returns 1 when a token was available, 0 when the bucket is empty, -1 when a new
     * bucket could not be kept (a full store never replaces another key's live bucket:
     * the new key goes untracked, counted in `refused`).
     */
    int (*bucket_take)(ssgw_store *s, uint64_t key, uint32_t limit, uint32_t period_s,
                       uint32_t burst, uint64_t now_ms);
    /*
     * Interception-risk events (include/ssgw/risk.h). risk_put keeps the latest event of
     * subject (a tagged subscriber key) at time (seconds) of kind (ssgw_risk_kind);
     * risk_get reads it back. alias_put records that a and b are one subscriber (both
     * ways); alias_get gives the other identity. NULL: this back end keeps none.
     */
    int (*risk_put)(ssgw_store *s, uint64_t subject, uint32_t time, uint32_t kind);
    int (*risk_get)(ssgw_store *s, uint64_t subject, uint32_t *time, uint32_t *kind);
    int (*alias_put)(ssgw_store *s, uint64_t a, uint64_t b, uint32_t now);
    int (*alias_get)(ssgw_store *s, uint64_t a, uint64_t *b);
    /*
     * The incident open for subject (a packed IMSI, or a mix of an MSISDN): when one was
     * touched within window seconds before now, *id gets its id, it is touched at now and
     * 1 is returned; otherwise an incident with id new_id is opened at now, *id = new_id and
     * 0 is returned. -1: back-end failure. May be NULL (the back end keeps no incidents).
     */
    int (*incident_touch)(ssgw_store *s, uint64_t subject, uint32_t now, uint32_t window,
                          uint32_t new_id, uint32_t *id);
    void (*get_stats)(const ssgw_store *s, ssgw_store_stats *out);
    void (*free)(ssgw_store *s);
    /* Circuits (ssgw_store_circuit_key): get 1 found / 0 not; put replaces; del forgets.
     * Optional: a back end without them leaves them NULL; the call checks then see no
     * call state and released circuits are not tracked (the originator's RLC then goes
     * inside, where an RLC on an idle circuit is discarded, Q.764 2.9.5.1). */
    int (*call_get)(ssgw_store *s, uint64_t key, ssgw_store_call *out);
    int (*call_put)(ssgw_store *s, uint64_t key, const ssgw_store_call *c);
    int (*call_del)(ssgw_store *s, uint64_t key);
    /* Segments of concatenated short messages (key: the message's key mixed with the
     * sequence number, checks_sms_concat.c): get 1 found no older than max_age seconds
     * (into *out) / 0 not; put replaces the record; count adds one to an outcome
     * (ssgw_store_stats.segments). Optional (NULL: segments are judged alone). They hold
     * message text, so a shared back end keeps them in its local store, never in Redis. */
    int (*segment_get)(ssgw_store *s, uint64_t key, uint32_t now, uint32_t max_age,
                       ssgw_store_segment *out);
    int (*segment_put)(ssgw_store *s, uint64_t key, const ssgw_store_segment *seg);
    void (*segment_count)(ssgw_store *s, ssgw_store_segment_outcome outcome);

    /* ---- optional (NULL: not needed / not supported; see "Batching" above) ---- */

    /* Fetches the records keys[0..n) name in one round trip (after sending the writes
     * held); returns the read generation of the batch. */
    uint64_t (*prefetch)(ssgw_store *s, const struct ssgw_store_key *keys, size_t n);
    /* The generation of the batch the next operations belong to (0: none: every read
     * goes to the back end; SSGW_STORE_GEN_NOWAIT: nothing waits for the back end, see
     * "Batching" above). */
    void (*use_generation)(ssgw_store *s, uint64_t gen);
    /* Sends the writes held since the last flush and waits for their acknowledgement:
     * 0, or -1 (the back end is unreachable: they stay queued, bounded). */
    int (*flush)(ssgw_store *s);
    /*
     * The replay cache of security tokens, shared: records (key_id, nonce) for ttl_s
     * seconds unless already recorded. 1: seen before (a replay), 0: recorded now,
     * -1: the back end cannot tell (the caller's local cache then decides alone).
     */
    int (*replay_check_insert)(ssgw_store *s, uint64_t key_id, uint64_t nonce, uint32_t ttl_s);
    /* Time passes: reconnection with backoff, replay of queued writes (now: CLOCK_MONOTONIC
     * milliseconds or any steadily increasing clock). */
    void (*tick)(ssgw_store *s, uint64_t now_ms);
    /* Operations that failed because the back end could not answer and no local fallback
     * did (fail = "closed"); the pipeline compares it around a message. */
    uint64_t (*failures)(const ssgw_store *s);
    /* Health for status and metrics. */
    void (*health)(const ssgw_store *s, struct ssgw_store_health *out);
    /*
     * The caller's lock (the one all operations are called under): once given, the back
     * end releases it while it waits for the network at batch boundaries (prefetch, flush,
     * replay_check_insert, tick), letting other lanes go on, and a read inside a message
     * that the batch did not fetch is answered without a round trip (as for
     * SSGW_STORE_GEN_NOWAIT), because a round trip there would have to hold the lock. For
     * a live gateway whose loop must never wait; not for analysis, whose verdicts must not
     * depend on timing. Called once, under the lock, before any other thread uses the store.
     */
    void (*set_caller_lock)(ssgw_store *s, void (*release)(void *), void (*reacquire)(void *),
                            void *ctx);
    /* A random value every user of this store shares (made by the first), to key
     * fingerprints that must agree across gateways (SMS texts); 0: none known (Redis was
     * away when the store opened), the caller then keys its own. */
    uint64_t (*shared_secret)(ssgw_store *s);
    /* Asks the CPU to bring the memory that reads of keys[0..n) would load into its cache
     * (__builtin_prefetch) and returns: it reads, writes and counts nothing, so it may be
     * called without the caller's lock, and a wrong or stale key costs only time. For a
     * caller that knows the next messages' keys (ssgw_pipeline_warm): an embedded store's
     * tables are large and hashed, so a message's first read of each record misses. NULL:
     * nothing to gain (Redis batches instead: prefetch above). */
    void (*warm)(const ssgw_store *s, const struct ssgw_store_key *keys, size_t n);
} ssgw_store_ops;

/* One record a message may read (ssgw_store_ops.prefetch). */
typedef struct ssgw_store_key {
    uint8_t table; /* ssgw_store_table */
    uint64_t a;    /* location: IMSI; mark: subject; dialogue: transaction id; bucket: key;
                      risk, incident: subject; alias: identity */
    uint64_t b;    /* mark: SMSC; dialogue: GT; otherwise 0 */
} ssgw_store_key;

/* use_generation: answer without waiting for the back end. */
#define SSGW_STORE_GEN_NOWAIT UINT64_MAX

/* Where a shared back end stands. */
typedef enum {
    SSGW_STORE_UP = 0,      /* answering */
    SSGW_STORE_DOWN_LOCAL,  /* unreachable: the local embedded store answers, writes queued */
    SSGW_STORE_DOWN_CLOSED, /* unreachable: reads fail (the pipeline drops what needed them) */
    SSGW_STORE_STATUS_COUNT
} ssgw_store_status;
/* "up", "down-local", "down-closed". */
const char *ssgw_store_status_name(int st);

typedef struct ssgw_store_health {
    const char *backend; /* "embedded", "redis", "redis-cluster" */
    ssgw_store_status status;
    size_t nodes;         /* nodes connected (cluster: masters known) */
    uint64_t transitions; /* up <-> down changes */
    uint64_t round_trips, commands, prefetched, cache_hits, sync_reads;
    uint64_t replay_checks; /* shared replay-cache checks (one round trip each) */
    uint64_t writes_sent, pending, pending_cap, pending_dropped, replayed;
    uint64_t moved, ask, slot_refreshes, reconnects, errors, failures, local_ops;
    uint64_t bucket_disagreements; /* takes the shared bucket decided otherwise (another node
                                      took tokens within the same batch) */
    uint64_t nowait_reads; /* reads that could not wait (SSGW_STORE_GEN_NOWAIT, or a read the
                              batch did not fetch once set_caller_lock was given) */
    uint64_t nowait_local; /* ... of which the local copy answered (not fetched before) */
    char detail[200];      /* the last error, for a person */
} ssgw_store_health;

/* Every back end's handle starts with this. */
struct ssgw_store {
    const ssgw_store_ops *ops;
};

/* Capacities of the embedded back end (records). Zero fields take the defaults. */
typedef struct {
    size_t subscribers; /* default 1,000,000 (40 bytes each; every one kept, see below) */
    size_t marks;       /* default 262,144 (16 bytes each) */
    size_t dialogues;   /* default 262,144 (24 bytes each) */
    size_t buckets;     /* default 262,144 (16 bytes each) */
    size_t risk;        /* subscribers with a risk event, default 262,144 (16 bytes each) */
    size_t aliases;     /* IMSI <-> MSISDN pairs x 2, default 262,144 (32 bytes each) */
    size_t incidents;   /* default 65,536 (16 bytes each) */
    size_t calls;       /* default 65,536 (32 bytes each) */
    size_t segments;    /* concatenated-SMS segments, default 16,384 (280 bytes each) */
    /* percent of the dialogue (and of the mark) records one pool may hold before its live
     * records can be replaced by another pool's new ones; default 50 */
    unsigned network_share;
} ssgw_store_limits;

/*
 * The embedded back end: tables allocated once, never grown. Subscriber locations
 * (src/policy/store_locations.c): a bucketised cuckoo table with 1.25 slots per
 * subscriber (40 bytes each) that keeps every one of `subscribers` records, so a store
 * sized to its population evicts none; beyond it a new subscriber replaces the record
 * written longest ago among those of its two buckets (counted in `evictions`; the
 * table's `capacity` is `subscribers`, its `used` never exceeds it). The other tables
 * are set-associative (4 records per set, chosen by a hash of the key): when a set is
 * full the record written longest ago (or an expired one) is replaced, an approximate
 * LRU that keeps memory fixed (16 bytes per mark / bucket, 24 per dialogue), and a record may
 * be replaced a little before the table is full. Returns NULL when out of memory or a
 * capacity exceeds 2^31 records.
 */
ssgw_store *ssgw_store_embedded_new(const ssgw_store_limits *limits);

/*
 * The token bucket arithmetic every back end uses (the Redis back end also in a Lua
 * script that does the same, atomically, on the server): a bucket holding at most
 * `burst` tokens in thousandths (milli), refilled at limit per period_s seconds, takes one
 * token at now_ms. A bucket that does not exist yet starts full. Returns 1 when a token
 * was taken, 0 when empty; updates *b (time: the last refill, milliseconds mod 2^32).
 */
typedef struct {
    bool exists;
    uint32_t time;
    uint32_t milli;
} ssgw_store_bucket;
int ssgw_store_bucket_apply(ssgw_store_bucket *b, uint32_t limit, uint32_t period_s, uint32_t burst,
                            uint64_t now_ms);

/* ---- the [state] section of the policy file: which back end ---------------------------- */

typedef enum { SSGW_STATE_EMBEDDED = 0, SSGW_STATE_REDIS } ssgw_state_backend;
typedef enum { SSGW_STATE_FAIL_LOCAL = 0, SSGW_STATE_FAIL_CLOSED } ssgw_state_fail;

#define SSGW_STATE_MAX_NODES 32
#define SSGW_STATE_HOST_MAX  256

typedef struct {
    char host[SSGW_STATE_HOST_MAX]; /* name or literal address */
    uint16_t port;
} ssgw_state_node;

/*
 * What [state] says (docs/configuration.md), compiled. Strings point into the policy
 * (valid while it lives); paths are resolved against the policy file's directory.
 */
typedef struct {
    ssgw_state_backend backend;
    ssgw_state_node nodes[SSGW_STATE_MAX_NODES]; /* url's or nodes' host:port: one (standalone
                                                    or a cluster seed) or several seeds */
    size_t n_nodes;
    bool tls;             /* rediss:// or tls = true */
    const char *tls_ca;   /* CA file ("" = the system's) */
    const char *tls_cert; /* client certificate and key ("" = none) */
    const char *tls_key;
    const char *tls_server_name; /* name checked in the server certificate ("" = the host) */
    const char *user;            /* ACL user ("" = the default user) */
    const char *password_file;   /* "" = no AUTH; refused unless mode 0600 */
    ssgw_state_fail fail;
    uint32_t timeout_ms; /* one exchange (connect, a batch's replies) */
    uint32_t reconnect_min_ms, reconnect_max_ms;
    size_t pending_writes;  /* writes held while the back end is away */
    const char *key_prefix; /* "ssgw:" */
    uint32_t ttl_slack_s;   /* wall-clock seconds a record outlives its use */
    uint32_t clock_skew_s;  /* the clocks of the gateways sharing the store may differ by
                               this much: a replay key outlives its token's acceptance here
                               by it (at most to 2 x window + 1 + ttl_slack) */
    uint32_t location_ttl_s, dialogue_ttl_s, mark_ttl_s; /* (dialogue, mark: from the policy's
                                                            timeouts + ttl_slack) */
    uint32_t risk_ttl_s;     /* risk events and IMSI <-> MSISDN pairs (incidents: the policy's
                                incident_window + ttl_slack) */
    ssgw_store_limits local; /* capacities of the embedded store (the fallback when redis) */
} ssgw_state_config;

/*
 * Parses "redis://host:port", "rediss://host:port" (TLS) or several comma-separated
 * host:port after the scheme (cluster seeds) into cfg->nodes, n_nodes and tls.
 * Hosts are names, IPv4 or [IPv6]; the port defaults to 6379. A password in the URL is
 * refused (it belongs in a 0600 file). Returns 0, or -1 with what is wrong in err.
 */
int ssgw_state_parse_url(const char *url, ssgw_state_config *cfg, char *err, size_t errlen);
/* Parses one "host:port" (port required) into n. Returns 0 or -1. */
int ssgw_state_parse_node(const char *s, ssgw_state_node *n);

/* Convenience wrappers (s->ops->...). */
static inline void ssgw_store_free(ssgw_store *s)
{
    if (s) s->ops->free(s);
}

/*
 * Packs up to 15 decimal digits ('0'..'9') into a non-zero key; stops at the
 * first non-digit. Returns 0 for an empty string or one that has other
 * characters before its end (e.g. '#', '*') or more than 15 digits.
 */
uint64_t ssgw_store_pack_digits(const char *digits);
/*
 * The same key from digits in a buffer of which `readable` octets may be read (the NUL and
 * what follows it included, whatever their values), e.g. sizeof of a digits array: from 16
 * on, the 16 first octets are examined at once (SSE2) instead of one digit at a time.
 */
uint64_t ssgw_store_pack_digits_in(const char *digits, size_t readable);
/* The reverse, into out (cap >= 16). Returns the number of digits. */
int ssgw_store_unpack_digits(uint64_t packed, char *out, size_t cap);
/* Mixes two keys into one (for composite keys such as MSISDN + SMSC); never 0. Inline: the
 * firewall mixes several keys a message and one per letter of an SMS text's fingerprint. */
static inline uint64_t ssgw_store_mix(uint64_t a, uint64_t b)
{
    uint64_t h = a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull + (a << 6) + (a >> 2));
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 29;
    return h ? h : 1;
}
/* A Diameter identity (host or realm, compared without case) as a location key: a hash
 * with the top four bits clear, so never equal to a packed GT; 0 for "" or NULL. */
uint64_t ssgw_store_diam_id(const char *identity, size_t len);

#endif
