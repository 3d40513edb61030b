/*
 * store.h - the state the policy checks keep between messages, behind one narrow
 * interface so that several back ends can hold it: the embedded one here
 * (in-process, fixed capacity, memory-bounded) and later Redis (shared by
 * several gateway instances).
 *
 * Five kinds of record, each keyed by 64-bit integers (never strings):
 *   - subscriber location: IMSI -> current VLR GT, MSC GT, country of the VLR, time of the last
 * accepted location update, whichever protocol it came by: a MAP updateLocation stores packed
 * GTs, a Diameter ULR hashes of the MME's Origin-Host (vlr) and Origin-Realm (msc) with the
 * top four bits clear (ssgw_store_diam_id: never equal to a packed GT) and the country of the
 * Visited-PLMN-Id, so that velocity and current-location checks of either protocol see the
 * other's moves;
 *   - SRI-SM marks: (subject, SMSC GT) -> time; subject is a packed IMSI or MSISDN;
 *   - dialogues: (transaction id, GT) -> time, with a timeout; the firewall keeps (tid, 0) for
 *     the open dialogue and (tid, peer key) for who may continue it (src/policy/
 *     checks_dialogue.c): two records per open dialogue;
 *   - token buckets: key -> tokens and last refill time;
 *   - interception-risk events (include/ssgw/risk.h): subscriber -> the latest event's time
 *     and kind, and the two identities of one subscriber (IMSI <-> MSISDN). These two are
 *     optional: a back end that does not keep them leaves the ops NULL.
 *   - incidents: subscriber -> incident id and when it was last seen: the blocks of an attack
 *     on one subscriber, over MAP and Diameter alike, carry one id while they keep coming
 *     within a window (optional for a back end: NULL incident_touch means no incident ids).
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

/* "location", "sri_sm_mark", "dialogue", "bucket", "risk", "alias", "incident", "call". */
const char *ssgw_store_table_name(ssgw_store_table t);

typedef struct {
    ssgw_store_table_stats t[SSGW_STORE_TABLE_COUNT];
    size_t bytes; /* memory held by the back end's tables */
} ssgw_store_stats;

typedef struct ssgw_store ssgw_store;

/*
 * The back-end interface. Return values: 1 found / allowed, 0 not found /
 * refused, -1 back-end failure. `now` arguments let the back end expire
 * records without a clock of its own.
 */
typedef struct {
    int (*location_get)(ssgw_store *s, uint64_t imsi, ssgw_store_location *out);
    int (*location_put)(ssgw_store *s, uint64_t imsi, const ssgw_store_location *loc);
    /* Records "subject asked by smsc at now"; mark_get reports whether one exists no
     * older than max_age seconds. */
    int (*mark_put)(ssgw_store *s, uint64_t subject, uint64_t smsc, uint32_t now);
    int (*mark_get)(ssgw_store *s, uint64_t subject, uint64_t smsc, uint32_t now, uint32_t max_age);
    /* Dialogues: put refreshes; get returns 1 when seen within timeout seconds; del ends it. */
    int (*dialogue_put)(ssgw_store *s, uint32_t tid, uint64_t gt, uint32_t now);
    int (*dialogue_get)(ssgw_store *s, uint32_t tid, uint64_t gt, uint32_t now, uint32_t timeout);
    int (*dialogue_del)(ssgw_store *s, uint32_t tid, uint64_t gt);
    /*
     * Token bucket `key` holding at most `burst` tokens, refilled at
     * `limit` tokens per `period_s` seconds; takes one token at now_ms.
     * Returns 1 when a token was available, 0 when the bucket is empty.
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
} ssgw_store_ops;

/* Every back end's handle starts with this. */
struct ssgw_store {
    const ssgw_store_ops *ops;
};

/* Capacities of the embedded back end (records). Zero fields take the defaults. */
typedef struct {
    size_t subscribers; /* default 1,000,000 (32 bytes each) */
    size_t marks;       /* default 262,144 (16 bytes each) */
    size_t dialogues;   /* default 262,144 (16 bytes each) */
    size_t buckets;     /* default 262,144 (16 bytes each) */
    size_t risk;        /* subscribers with a risk event, default 262,144 (16 bytes each) */
    size_t aliases;     /* IMSI <-> MSISDN pairs x 2, default 262,144 (32 bytes each) */
    size_t incidents;   /* default 65,536 (16 bytes each) */
    size_t calls;       /* default 65,536 (32 bytes each) */
} ssgw_store_limits;

/*
 * The embedded back end: eight set-associative tables (4 records per set,
 * chosen by a hash of the key), allocated once. When a set is full the record
 * written longest ago (or an expired one) is replaced: an approximate LRU that
 * keeps memory fixed (32 bytes per subscriber, 16 per mark / dialogue / bucket).
 * Returns NULL when out of memory or a capacity exceeds 2^31 records.
 */
ssgw_store *ssgw_store_embedded_new(const ssgw_store_limits *limits);

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
/* The reverse, into out (cap >= 16). Returns the number of digits. */
int ssgw_store_unpack_digits(uint64_t packed, char *out, size_t cap);
/* Mixes two keys into one (for composite keys such as MSISDN + SMSC). */
uint64_t ssgw_store_mix(uint64_t a, uint64_t b);
/* A Diameter identity (host or realm, compared without case) as a location key: a hash
 * with the top four bits clear, so never equal to a packed GT; 0 for "" or NULL. */
uint64_t ssgw_store_diam_id(const char *identity, size_t len);

#endif
