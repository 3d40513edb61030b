/*
 * store_redis.c - the state store over Redis / Redis Cluster (include/ssgw/store_redis.h,
 * whose head comment has the design; the client is src/state/rc.h).
 *
 * Inside: a batch cache (set-associative, 4 ways; an entry holds one record as the server
 * had it, or as we last wrote it, tagged with the read generation it is valid from), the
 * queue of writes not yet acknowledged (RESP bytes, bounded), the embedded store every
 * write is mirrored into (the fallback), and a reconnection thread that only builds new
 * connections: adopting them, replaying the queue and announcing "up" is done by the
 * store's caller under its lock, so the operations never race with the thread.
 *
 * Every operation is called under the caller's lock (the pipeline's state lock); the
 * store's own mutex guards only what the reconnection thread hands over.
 */
#include "ssgw/store_redis.h"

#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>
#include <sys/random.h>

#include "state/rc.h"

/* ---- the bucket script ------------------------------------------------------------------ */

/*
 * KEYS: buckets (one group: they share a hash tag, so a slot). ARGV, per key in order: its
 * TTL in seconds, the number n of takes, then n times: now (ms mod 2^32), limit, period
 * (s), burst. The arithmetic of ssgw_store_bucket_apply (store_embedded.c), in doubles that
 * stay exact (every product < 2^53). Returns one 0/1 per take, in order.
 */
static const char bucket_lua[] =
    "local res, a = {}, 1\n"
    "for k = 1, #KEYS do\n"
    "  local ttl, n = tonumber(ARGV[a]), tonumber(ARGV[a + 1]); a = a + 2\n"
    "  local v = redis.call('GET', KEYS[k])\n"
    "  local t, m, have = 0, 0, false\n"
    "  if v then\n"
    "    local x, y = string.match(v, '^(%d+) (%d+)$')\n"
    "    if x then t = tonumber(x); m = tonumber(y); have = true end\n"
    "  end\n"
    "  for i = 1, n do\n"
    "    local now, limit = tonumber(ARGV[a]), tonumber(ARGV[a + 1])\n"
    "    local period, cap = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]) * 1000\n"
    "    a = a + 4\n"
    "    if not have then\n"
    "      have = true; t = now\n"
    "      if cap >= 1000 then m = cap - 1000; res[#res + 1] = 1 else m = 0; res[#res + 1] = 0 "
    "end\n"
    "    else\n"
    "      local x = ((now - t) % 4294967296) * limit\n"
    "      local refill = math.floor(x / period)\n"
    "      if refill * period > x then refill = refill - 1\n"
    "      elseif (refill + 1) * period <= x then refill = refill + 1 end\n"
    "      if refill > 0 then\n"
    "        m = m + refill; if m > cap then m = cap end; t = now\n"
    "      end\n"
    "      if m >= 1000 then m = m - 1000; res[#res + 1] = 1 else res[#res + 1] = 0 end\n"
    "    end\n"
    "  end\n"
    "  redis.call('SET', KEYS[k], string.format('%d %d', t, m), 'EX', ttl)\n"
    "end\n"
    "return res\n";

/*
 * The incident touch of the embedded store (store_embedded.c, e_incident_touch), atomically
 * on the server, so that every node touching one subscriber keeps the id the server has.
 * KEYS[1]: the incident; ARGV: now (s), window (s), the id to open with, TTL (s). The value
 * is "time id" in decimal. Returns the id kept. Sent with EVAL (rare: blocks only), so a
 * restarted or promoted node needs no SCRIPT LOAD.
 */
static const char incident_lua[] =
    "local now, win, id = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])\n"
    "local v = redis.call('GET', KEYS[1])\n"
    "if v then\n"
    "  local t, i = string.match(v, '^(%d+) (%d+)$')\n"
    "  if t and (now - tonumber(t)) % 4294967296 <= win then id = tonumber(i) end\n"
    "end\n"
    "redis.call('SET', KEYS[1], string.format('%d %d', now, id), 'EX', tonumber(ARGV[4]))\n"
    "return id\n";

/* Buckets are spread over this many hash tags ("{g<n>}"), so that one script call applies a
 * batch's takes of many buckets (one call per group instead of one per bucket). */
#define BUCKET_GROUPS 16

/* ---- the store ------------------------------------------------------------------------- */

#define CACHE_WAYS 4
#define CACHE_SETS 4096
#define KEY_MAX    96

typedef struct {
    uint64_t a, b;
    uint64_t gen; /* 0: empty; else valid for readers of generations <= gen */
    uint8_t table;
    bool present;
    ssgw_store_bucket bkt; /* bucket */
    uint32_t time;         /* mark, dialogue, risk, incident */
    uint32_t aux;          /* risk: kind; incident: id */
    uint64_t other;        /* alias: the other identity; dialogue: its value */
    ssgw_store_location loc;
} centry;

/* A bucket take decided here, to be applied on the server by the script. */
typedef struct take {
    uint64_t key;
    uint32_t now, limit, period, burst; /* now: ms mod 2^32 */
    int8_t decided;                     /* what this node decided (0/1) */
} take;

typedef struct take_ref {
    uint64_t key;
    size_t idx;
} take_ref;

#define TAKES_PER_CALL 256 /* takes in one script call */
#define KEYS_PER_CALL  64  /* buckets in one script call */

/* A queued write: header then RESP bytes, padded to 8. */
typedef struct {
    uint32_t len;
    uint16_t slot;
    uint16_t pad;
} qhdr;

typedef struct {
    ssgw_store base;
    ssgw_state_config cfg;
    char prefix[32];
    size_t prefix_len;
    char user[128], tls_ca[1024], tls_cert[1024], tls_key[1024], server_name[256],
        password_file[1024];
    rc_auth auth;
    rc_client *rc; /* NULL while down */
    ssgw_store *local;
    ssgw_store_event_fn on_event;
    void *event_ctx;
    ssgw_store_status status;
    bool adopting; /* replaying the queue on new connections: a failure is no new outage */
    bool nowait;   /* use_generation(SSGW_STORE_GEN_NOWAIT): no round trip now */
    char sha[41];

    /* the caller's lock (set_caller_lock), released while this store waits for Redis; the
     * thread talking to Redis holds io (lock order: io, then the caller's lock) */
    void (*rel)(void *);
    void (*acq)(void *);
    void *rel_ctx;
    pthread_mutex_t io;
    bool io_held;
    pthread_t io_owner;
    size_t q_sent, q_sent_len; /* queued writes in flight: not dropped meanwhile */
    uint64_t secret;           /* shared_secret: <prefix>k{secret} */
    struct {                   /* the client as the last exchange left it, for health */
        bool cluster;
        size_t nodes;
        rc_stats st;
    } snap;

    /* reconnection (the thread builds, the caller adopts) */
    pthread_mutex_t lock;
    pthread_cond_t cv;
    pthread_t thread;
    bool thread_started, stop, want;
    uint64_t next_attempt_ms, backoff_ms;
    rc_client *ready;
    atomic_bool ready_flag;
    ssgw_state_node known[SSGW_STATE_MAX_NODES * 2];
    size_t n_known;
    char thread_err[256];

    /* the batch cache */
    centry *cache;
    uint64_t gen_cur, gen_use;

    /* writes not yet acknowledged */
    uint8_t *q;
    size_t q_len, q_cap, q_count;
    uint64_t q_drop_event_ms;

    /* bucket takes since the last exchange, sent grouped per bucket (one script call each) */
    struct take *takes;
    size_t n_takes, cap_takes;
    struct take_ref *order; /* scratch: takes sorted by bucket */
    size_t (*calls)[2];     /* the script calls of an exchange: first take in order, count */
    size_t n_calls, cap_calls;
    struct { /* one script call being formatted */
        char keys[KEYS_PER_CALL][KEY_MAX], nums[2 * KEYS_PER_CALL + 4 * TAKES_PER_CALL][12];
        const char *argv[4 + 3 * KEYS_PER_CALL + 4 * TAKES_PER_CALL];
        size_t lens[4 + 3 * KEYS_PER_CALL + 4 * TAKES_PER_CALL];
    } tk;

    rc_batch batch, all;
    ssgw_store_health h;
} rstore;

const char *ssgw_store_event_name(int ev)
{
    static const char *const names[SSGW_STORE_EVENT_COUNT] = {"state_down", "state_up",
                                                              "state_queue_full"};
    return ev >= 0 && ev < SSGW_STORE_EVENT_COUNT ? names[ev] : "unknown";
}

static void raise_event(rstore *s, ssgw_store_event ev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void raise_event(rstore *s, ssgw_store_event ev, const char *fmt, ...)
{
    char d[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d, sizeof d, fmt, ap);
    va_end(ap);
    if (s->on_event) s->on_event(s->event_ctx, ev, d);
}

/* ---- keys -------------------------------------------------------------------------------- */

/* "<prefix><l|m|d|b|e|a|i>{a}b" (b for marks and dialogues), numbers in hexadecimal. An
 * incident's subject is the packed IMSI when it has one: its key shares the location's slot.
 * The call (c) and segment (s) tables stay in the local store and never make a key here;
 * they have letters so that every table has one. */
static size_t make_key(const rstore *s, uint8_t table, uint64_t a, uint64_t b, char *out)
{
    static const char tag[] = "lmdbeaics";
    _Static_assert(sizeof tag == SSGW_STORE_TABLE_COUNT + 1, "one key letter per store table");
    size_t n = s->prefix_len;
    memcpy(out, s->prefix, n);
    out[n++] = tag[table];
    out[n++] = '{';
    if (table == SSGW_STORE_BUCKET) { /* "b{g<group>}<key>" */
        out[n++] = 'g';
        n += rc_put_hex(out + n, a % BUCKET_GROUPS);
        out[n++] = '}';
        n += rc_put_hex(out + n, a);
        out[n] = '\0';
        return n;
    }
    n += rc_put_hex(out + n, a);
    out[n++] = '}';
    if (table == SSGW_STORE_MARK || table == SSGW_STORE_DIALOGUE) n += rc_put_hex(out + n, b);
    out[n] = '\0';
    return n;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

/* ---- the cache --------------------------------------------------------------------------- */

static centry *cache_set(rstore *s, uint8_t table, uint64_t a, uint64_t b)
{
    uint64_t h = ssgw_store_mix(a ^ ((uint64_t)table << 56), b) * 0x9e3779b97f4a7c15ull;
    return &s->cache[(size_t)(h >> 52) % CACHE_SETS * CACHE_WAYS];
}

static centry *cache_find(rstore *s, uint8_t table, uint64_t a, uint64_t b)
{
    centry *set = cache_set(s, table, a, b);
    for (int w = 0; w < CACHE_WAYS; w++)
        if (set[w].gen && set[w].table == table && set[w].a == a && set[w].b == b) return &set[w];
    return NULL;
}

/* The entry for the record: its own, or the one valid for the oldest generation. */
static centry *cache_claim(rstore *s, uint8_t table, uint64_t a, uint64_t b)
{
    centry *set = cache_set(s, table, a, b), *victim = &set[0];
    for (int w = 0; w < CACHE_WAYS; w++) {
        if (set[w].gen && set[w].table == table && set[w].a == a && set[w].b == b) return &set[w];
        if (set[w].gen < victim->gen) victim = &set[w];
    }
    memset(victim, 0, sizeof *victim);
    victim->table = table;
    victim->a = a;
    victim->b = b;
    return victim;
}

/* "time n" (two decimal numbers below 2^32, as the scripts write them): 0, or -1. */
static int parse_pair(const redisReply *r, uint32_t *time, uint32_t *n)
{
    uint64_t t = 0, m = 0;
    size_t i = 0;
    for (; i < r->len && r->str[i] >= '0' && r->str[i] <= '9' && i < 11; i++)
        t = t * 10 + (uint64_t)(r->str[i] - '0');
    if (i == 0 || i >= r->len || r->str[i] != ' ') return -1;
    size_t j = ++i;
    for (; i < r->len && r->str[i] >= '0' && r->str[i] <= '9' && i - j < 11; i++)
        m = m * 10 + (uint64_t)(r->str[i] - '0');
    if (i == j || i != r->len || t > UINT32_MAX || m > UINT32_MAX) return -1;
    *time = (uint32_t)t;
    *n = (uint32_t)m;
    return 0;
}

/* Fills e from a GET reply (nil: absent). */
static void cache_fill(centry *e, const redisReply *r)
{
    e->present = false;
    if (!r || r->type != REDIS_REPLY_STRING) return;
    const uint8_t *v = (const uint8_t *)r->str;
    switch (e->table) {
    case SSGW_STORE_LOCATION:
        if (r->len != 22) return;
        e->loc.vlr = get_le(v, 8);
        e->loc.msc = get_le(v + 8, 8);
        e->loc.cc = (uint16_t)get_le(v + 16, 2);
        e->loc.time = (uint32_t)get_le(v + 18, 4);
        break;
    case SSGW_STORE_MARK:
        if (r->len != 4) return;
        e->time = (uint32_t)get_le(v, 4);
        break;
    case SSGW_STORE_DIALOGUE: /* time, and the value unless it is 0 */
        if (r->len != 4 && r->len != 12) return;
        e->time = (uint32_t)get_le(v, 4);
        e->other = r->len == 12 ? get_le(v + 4, 8) : 0;
        break;
    case SSGW_STORE_BUCKET: /* "time milli" (the bucket script writes it) */
        if (parse_pair(r, &e->bkt.time, &e->bkt.milli) < 0) return;
        e->bkt.exists = true;
        break;
    case SSGW_STORE_INCIDENT: /* "time id" (the incident script writes it) */
        if (parse_pair(r, &e->time, &e->aux) < 0) return;
        break;
    case SSGW_STORE_RISK: /* time, kind */
        if (r->len != 8) return;
        e->time = (uint32_t)get_le(v, 4);
        e->aux = (uint32_t)get_le(v + 4, 4);
        break;
    case SSGW_STORE_ALIAS: /* the other identity */
        if (r->len != 8) return;
        e->other = get_le(v, 8);
        break;
    default:
        return;
    }
    e->present = true;
}

/* ---- the queue of writes ----------------------------------------------------------------- */

static size_t q_rec(size_t len)
{
    return sizeof(qhdr) + ((len + 7u) & ~(size_t)7u);
}

/* Drops the oldest n queued writes that are not in flight (an exchange waiting for their
 * acknowledgement keeps them). */
static void q_drop_front(rstore *s, size_t n)
{
    size_t start = s->q_sent_len, off = start, i = 0;
    for (; i < n && off < s->q_len; i++) {
        qhdr h;
        memcpy(&h, s->q + off, sizeof h);
        off += q_rec(h.len);
    }
    memmove(s->q + start, s->q + off, s->q_len - off);
    s->q_len -= off - start;
    s->q_count -= i;
}

static void q_push(rstore *s, uint16_t slot, const uint8_t *cmd, size_t len)
{
    if (s->cfg.pending_writes == 0) return;
    if (s->q_count >= s->cfg.pending_writes) {
        size_t n = s->cfg.pending_writes / 16 + 1;
        if (n > s->q_count - s->q_sent) n = s->q_count - s->q_sent;
        q_drop_front(s, n);
        s->h.pending_dropped += n;
        uint64_t now = rc_now_ms();
        if (!s->q_drop_event_ms || now >= s->q_drop_event_ms + 60000) {
            s->q_drop_event_ms = now;
            raise_event(s, SSGW_STORE_EVENT_QUEUE_FULL,
                        "%" PRIu64 " writes for Redis dropped so far: the queue ([state] "
                        "pending_writes = %zu) is full while Redis is %s",
                        s->h.pending_dropped, s->cfg.pending_writes,
                        s->status == SSGW_STORE_UP ? "slow" : "unreachable");
        }
    }
    size_t need = q_rec(len);
    if (s->q_len + need > s->q_cap) {
        size_t nc = s->q_cap ? s->q_cap * 2 : 65536;
        while (nc < s->q_len + need)
            nc *= 2;
        uint8_t *nq = realloc(s->q, nc);
        if (!nq) {
            s->h.pending_dropped++;
            return;
        }
        s->q = nq;
        s->q_cap = nc;
    }
    qhdr h = {(uint32_t)len, slot, 0};
    memcpy(s->q + s->q_len, &h, sizeof h);
    memcpy(s->q + s->q_len + sizeof h, cmd, len);
    s->q_len += need;
    s->q_count++;
}

/* Queues a command whose key is argv[key_arg]. */
static void q_cmd_key(rstore *s, int key_arg, int argc, const char *const *argv, const size_t *lens)
{
    uint8_t buf[1024];
    size_t n = rc_format(buf, sizeof buf, argc, argv, lens);
    if (n) q_push(s, rc_key_slot(argv[key_arg], lens[key_arg]), buf, n);
}

/* Queues a command whose key is argv[1]. */
static void q_cmd(rstore *s, int argc, const char *const *argv, const size_t *lens)
{
    q_cmd_key(s, 1, argc, argv, lens);
}

/* ---- up and down -------------------------------------------------------------------------- */

/* ---- the caller's lock and the network ---------------------------------------------------- */

/* Whether this thread may talk to Redis now: always without a caller's lock (the caller
 * serialises everything), with one only the thread inside io_enter. */
static bool io_mine(const rstore *s)
{
    return !s->rel || (s->io_held && pthread_equal(s->io_owner, pthread_self()));
}

/* Becomes the thread that talks to Redis. Waits for another one without holding the
 * caller's lock, so what the store holds may have changed on return. */
static void io_enter(rstore *s)
{
    if (!s->rel) return;
    if (pthread_mutex_trylock(&s->io) != 0) {
        s->rel(s->rel_ctx);
        pthread_mutex_lock(&s->io);
        s->acq(s->rel_ctx);
    }
    s->io_held = true;
    s->io_owner = pthread_self();
}

static void io_exit(rstore *s)
{
    if (!s->rel) return;
    s->io_held = false;
    pthread_mutex_unlock(&s->io);
}

/* Around a wait for the network (inside io_enter): other lanes use the store meanwhile
 * (the cache, the local store, the queue's tail, the takes' tail), never the connections. */
static void wait_begin(rstore *s)
{
    if (s->rel) s->rel(s->rel_ctx);
}

static void wait_end(rstore *s)
{
    if (s->rel) s->acq(s->rel_ctx);
}

/* What health reports of the client (read by others while an exchange uses it). */
static void snap_client(rstore *s)
{
    s->snap.nodes = s->rc ? rc_client_nodes(s->rc) : 0;
    if (!s->rc) {
        memset(&s->snap.st, 0, sizeof s->snap.st);
        return;
    }
    s->snap.cluster = rc_client_is_cluster(s->rc);
    rc_client_stats(s->rc, &s->snap.st);
}

static void remember_nodes(rstore *s)
{
    if (!s->rc) return;
    pthread_mutex_lock(&s->lock);
    size_t n = s->cfg.n_nodes;
    memcpy(s->known, s->cfg.nodes, n * sizeof s->known[0]);
    n += rc_client_known(s->rc, s->known + n, sizeof s->known / sizeof s->known[0] - n);
    s->n_known = n;
    pthread_mutex_unlock(&s->lock);
}

/* Redis stopped answering: the fail policy applies and the thread reconnects. announce: a
 * new outage (an event, a transition), not a reconnection that did not hold. */
static void go_down(rstore *s, const char *why, bool announce)
{
    snprintf(s->h.detail, sizeof s->h.detail, "%s", why);
    remember_nodes(s);
    if (s->rc) { /* the client's redirections, kept across clients */
        rc_stats st;
        rc_client_stats(s->rc, &st);
        s->h.moved += st.moved;
        s->h.ask += st.ask;
        s->h.slot_refreshes += st.slot_refreshes;
    }
    rc_client_free(s->rc);
    s->rc = NULL;
    snap_client(s);
    s->status =
        s->cfg.fail == SSGW_STATE_FAIL_CLOSED ? SSGW_STORE_DOWN_CLOSED : SSGW_STORE_DOWN_LOCAL;
    memset(s->cache, 0, CACHE_SETS * CACHE_WAYS * sizeof *s->cache);
    pthread_mutex_lock(&s->lock);
    s->want = true;
    if (announce || !s->backoff_ms) s->backoff_ms = s->cfg.reconnect_min_ms;
    s->next_attempt_ms = rc_now_ms() + s->backoff_ms;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->lock);
    if (!announce) return;
    s->h.transitions++;
    raise_event(s, SSGW_STORE_EVENT_DOWN,
                "Redis unreachable (%s): fail = %s, %s; writes queued (%zu held, at most %zu); "
                "reconnecting",
                why, s->cfg.fail == SSGW_STATE_FAIL_CLOSED ? "closed" : "local",
                s->cfg.fail == SSGW_STATE_FAIL_CLOSED
                    ? "inbound messages whose checks need the state are dropped"
                    : "this gateway's own state answers",
                s->q_count, s->cfg.pending_writes);
}

static void *reconnect_main(void *arg)
{
    rstore *s = arg;
    pthread_mutex_lock(&s->lock);
    while (!s->stop) {
        uint64_t now = rc_now_ms();
        if (!s->want || s->ready || now < s->next_attempt_ms) {
            if (!s->want || s->ready) {
                pthread_cond_wait(&s->cv, &s->lock);
            } else {
                struct timespec ts;
                clock_gettime(CLOCK_MONOTONIC, &ts);
                uint64_t wait = s->next_attempt_ms - now;
                ts.tv_sec += (time_t)(wait / 1000);
                ts.tv_nsec += (long)(wait % 1000) * 1000000L;
                if (ts.tv_nsec >= 1000000000L) {
                    ts.tv_sec++;
                    ts.tv_nsec -= 1000000000L;
                }
                pthread_cond_timedwait(&s->cv, &s->lock, &ts);
            }
            continue;
        }
        ssgw_state_node seeds[SSGW_STATE_MAX_NODES * 2];
        size_t n = s->n_known ? s->n_known : s->cfg.n_nodes;
        memcpy(seeds, s->n_known ? s->known : s->cfg.nodes, n * sizeof seeds[0]);
        pthread_mutex_unlock(&s->lock);
        char err[256];
        rc_client *c = rc_client_new(&s->cfg, &s->auth, seeds, n, err, sizeof err);
        pthread_mutex_lock(&s->lock);
        if (c) {
            s->ready = c;
            s->want = false;
            atomic_store(&s->ready_flag, true);
        } else {
            snprintf(s->thread_err, sizeof s->thread_err, "%s", err);
            s->backoff_ms *= 2;
            if (s->backoff_ms > s->cfg.reconnect_max_ms) s->backoff_ms = s->cfg.reconnect_max_ms;
            s->next_attempt_ms = rc_now_ms() + s->backoff_ms;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

static int load_script(rc_client *c, char *err, size_t errlen)
{
    const char *argv[3] = {"SCRIPT", "LOAD", bucket_lua};
    size_t lens[3] = {6, 4, sizeof bucket_lua - 1};
    return rc_client_each_master(c, 3, argv, lens, err, errlen);
}

static int exchange(rstore *s, char *err, size_t errlen);

/* Takes the connections the thread made: scripts loaded, queue replayed, up. */
static void adopt(rstore *s)
{
    pthread_mutex_lock(&s->lock);
    rc_client *c = s->ready;
    s->ready = NULL;
    atomic_store(&s->ready_flag, false);
    pthread_mutex_unlock(&s->lock);
    if (!c) return;
    char err[256];
    s->h.reconnects++;
    s->rc = c;
    uint64_t queued = s->q_count;
    s->status = SSGW_STORE_UP;
    s->adopting = true;
    snap_client(s);
    wait_begin(s);
    int rc = load_script(c, err, sizeof err);
    wait_end(s);
    if (rc == 0) rc = exchange(s, err, sizeof err);
    s->adopting = false;
    if (rc < 0) {
        if (s->status == SSGW_STORE_UP) go_down(s, err, false); /* still the same outage */
        return;
    }
    s->h.transitions++;
    s->h.replayed += queued;
    raise_event(s, SSGW_STORE_EVENT_UP,
                "Redis answers again (%s, %zu nodes): %" PRIu64 " queued writes replayed, %" PRIu64
                " dropped while it was away",
                rc_client_is_cluster(c) ? "cluster" : "standalone", rc_client_nodes(c), queued,
                s->h.pending_dropped);
}

static void maybe_adopt(rstore *s)
{
    if (io_mine(s) && s->status != SSGW_STORE_UP &&
        atomic_load_explicit(&s->ready_flag, memory_order_acquire))
        adopt(s);
}

/* ---- exchanges ------------------------------------------------------------------------------ */

static int by_bucket(const void *a, const void *b)
{
    const take_ref *x = a, *y = b;
    uint64_t gx = x->key % BUCKET_GROUPS, gy = y->key % BUCKET_GROUPS;
    if (gx != gy) return gx < gy ? -1 : 1;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : 1; /* in the order they were made within a bucket */
}

/* Adds the takes as script calls: one per group of buckets (at most KEYS_PER_CALL buckets
 * and TAKES_PER_CALL takes each), each bucket's takes in the order they were made. The
 * calls' ranges of s->order go to s->calls. -1 when memory ran out. */
static int add_takes(rstore *s, rc_batch *all)
{
    s->n_calls = 0;
    if (!s->n_takes) return 0;
    for (size_t i = 0; i < s->n_takes; i++)
        s->order[i] = (take_ref){s->takes[i].key, i};
    qsort(s->order, s->n_takes, sizeof *s->order, by_bucket);
    char(*keys)[KEY_MAX] = s->tk.keys, (*nums)[12] = s->tk.nums;
    const char **argv = s->tk.argv;
    size_t *lens = s->tk.lens;
    for (size_t i = 0; i < s->n_takes;) {
        uint64_t group = s->order[i].key % BUCKET_GROUPS;
        size_t nk = 0, nt = 0, j = i;
        int na = 0;
        /* the keys of the call, then their arguments */
        while (j < s->n_takes && s->order[j].key % BUCKET_GROUPS == group && nk < KEYS_PER_CALL) {
            uint64_t key = s->order[j].key;
            size_t m = 0;
            while (j + m < s->n_takes && s->order[j + m].key == key)
                m++;
            if (nt + m > TAKES_PER_CALL && nk) break;
            if (m > TAKES_PER_CALL) m = TAKES_PER_CALL; /* the rest in the next call */
            lens[3 + nk] = make_key(s, SSGW_STORE_BUCKET, key, 0, keys[nk]);
            argv[3 + nk] = keys[nk];
            uint32_t ttl = 0;
            for (size_t q = 0; q < m; q++) {
                const take *t = &s->takes[s->order[j + q].idx];
                if (t->period + s->cfg.ttl_slack_s > ttl) ttl = t->period + s->cfg.ttl_slack_s;
            }
            uint32_t head[2] = {ttl, (uint32_t)m};
            for (int h = 0; h < 2; h++) {
                lens[4 + KEYS_PER_CALL + na] = rc_put_dec(nums[na], head[h]);
                na++;
            }
            for (size_t q = 0; q < m; q++) {
                const take *t = &s->takes[s->order[j + q].idx];
                uint32_t v[4] = {t->now, t->limit, t->period, t->burst};
                for (int h = 0; h < 4; h++) {
                    lens[4 + KEYS_PER_CALL + na] = rc_put_dec(nums[na], v[h]);
                    na++;
                }
            }
            nk++;
            nt += m;
            j += m;
        }
        /* EVALSHA sha numkeys key... arg... */
        char nkeys[8];
        argv[0] = "EVALSHA";
        lens[0] = 7;
        argv[1] = s->sha;
        lens[1] = 40;
        lens[2] = rc_put_dec(nkeys, nk);
        argv[2] = nkeys;
        for (int q = 0; q < na; q++) {
            argv[3 + nk + (size_t)q] = nums[q];
            lens[3 + nk + (size_t)q] = lens[4 + KEYS_PER_CALL + q];
        }
        if (rc_batch_add(all, 3, 3 + (int)nk + na, argv, lens) < 0) return -1;
        if (s->n_calls == s->cap_calls) {
            size_t nc = s->cap_calls ? s->cap_calls * 2 : 64;
            size_t(*c)[2] = realloc(s->calls, nc * sizeof *c);
            if (!c) return -1;
            s->calls = c;
            s->cap_calls = nc;
        }
        s->calls[s->n_calls][0] = i;
        s->calls[s->n_calls][1] = nt;
        s->n_calls++;
        i = j;
    }
    return 0;
}

/* Compares the script's decisions with ours (the calls of add_takes from index first) and
 * forgets the sent takes (the first `sent`; later ones were made while the exchange
 * waited). */
static void check_takes(rstore *s, const rc_batch *all, size_t first, size_t sent)
{
    for (size_t c = 0; c < s->n_calls; c++) {
        const redisReply *r = all->req[first + c].reply;
        size_t i = s->calls[c][0], n = s->calls[c][1];
        for (size_t m = 0; m < n; m++)
            if (r && r->type == REDIS_REPLY_ARRAY && m < r->elements &&
                r->element[m]->integer != s->takes[s->order[i + m].idx].decided)
                s->h.bucket_disagreements++;
        if (r && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOSCRIPT", 8)) {
            s->h.errors++;
            snprintf(s->h.detail, sizeof s->h.detail, "%.*s", (int)(r->len > 150 ? 150 : r->len),
                     r->str);
        }
        s->h.writes_sent += r != NULL;
    }
    if (sent && s->n_takes > sent)
        memmove(s->takes, s->takes + sent, (s->n_takes - sent) * sizeof *s->takes);
    s->n_takes -= sent;
}

/* One exchange: the queued writes first (their replies checked), the bucket takes, then the
 * reads already in s->batch. On failure the writes not acknowledged stay queued (the takes
 * do not: their times pass) and the store goes down. */
static int exchange(rstore *s, char *err, size_t errlen)
{
    rc_batch *b = &s->batch, *all = &s->all;
    size_t n_reads = b->n;
    rc_batch_clear(all);
    int rc = 0;
    for (size_t off = 0; off < s->q_len;) {
        qhdr h;
        memcpy(&h, s->q + off, sizeof h);
        if (rc_batch_add_raw(all, h.slot, s->q + off + sizeof h, h.len) < 0) rc = -1;
        off += q_rec(h.len);
    }
    size_t n_writes = all->n;
    if (rc == 0) rc = add_takes(s, all);
    size_t first_read = all->n;
    for (size_t i = 0; i < n_reads && rc == 0; i++)
        if (rc_batch_add_raw(all, b->req[i].slot, b->buf + b->req[i].off, b->req[i].len) < 0)
            rc = -1;
    if (rc < 0) {
        s->n_takes = 0;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->h.round_trips++;
    s->h.commands += all->n;
    size_t takes_sent = s->n_takes;
    s->q_sent = n_writes;
    s->q_sent_len = s->q_len;
    wait_begin(s);
    rc = rc_exchange(s->rc, all, err, errlen);
    wait_end(s);
    /* writes: keep the unanswered ones, in order */
    size_t off = 0, keep = 0;
    bool noscript = false;
    for (size_t i = 0; i < n_writes; i++) {
        qhdr h;
        memcpy(&h, s->q + off, sizeof h);
        size_t rl = q_rec(h.len);
        redisReply *r = all->req[i].reply;
        if (r && r->type == REDIS_REPLY_ERROR) {
            s->h.errors++;
            snprintf(s->h.detail, sizeof s->h.detail, "%.*s", (int)(r->len > 150 ? 150 : r->len),
                     r->str);
        }
        if (!r) {
            memmove(s->q + keep, s->q + off, rl);
            keep += rl;
        } else {
            s->q_count--;
            s->h.writes_sent++;
        }
        off += rl;
    }
    memmove(s->q + keep, s->q + off, s->q_len - off);
    s->q_len = keep + (s->q_len - off);
    s->q_sent = s->q_sent_len = 0;
    for (size_t c = 0; c < s->n_calls; c++) {
        const redisReply *r = all->req[n_writes + c].reply;
        if (r && r->type == REDIS_REPLY_ERROR && !strncmp(r->str, "NOSCRIPT", 8)) noscript = true;
    }
    check_takes(s, all, n_writes, takes_sent);
    /* reads: their replies go back to the caller's batch */
    for (size_t k = 0; k < n_reads; k++) {
        b->req[k].reply = all->req[first_read + k].reply;
        all->req[first_read + k].reply = NULL;
    }
    rc_batch_clear(all);
    /* the script was not there (a restarted node, a promoted replica): loaded again; the
     * takes of this exchange were counted as errors */
    if (noscript && rc == 0) {
        wait_begin(s);
        rc = load_script(s->rc, err, errlen);
        wait_end(s);
    }
    if (rc < 0) go_down(s, err, !s->adopting);
    snap_client(s);
    return rc;
}

/* ---- reads --------------------------------------------------------------------------------- */

/* The record's entry: from the batch cache when valid for this message, else read now.
 * NULL: Redis did not answer (the store is down now). */
static centry *read_rec(rstore *s, uint8_t table, uint64_t a, uint64_t b)
{
    centry *e = cache_find(s, table, a, b);
    if (e && s->gen_use && e->gen >= s->gen_use) {
        s->h.cache_hits++;
        return e;
    }
    char key[KEY_MAX], err[256];
    size_t kl = make_key(s, table, a, b, key);
    const char *argv[2] = {"GET", key};
    size_t lens[2] = {3, kl};
    rc_batch_clear(&s->batch);
    if (rc_batch_add(&s->batch, 1, 2, argv, lens) < 0) return NULL;
    s->h.sync_reads++;
    if (exchange(s, err, sizeof err) < 0) return NULL;
    e = cache_claim(s, table, a, b);
    cache_fill(e, s->batch.req[0].reply);
    e->gen = s->gen_cur;
    rc_batch_clear(&s->batch);
    return e;
}

/* Reads are answered by Redis (1), by the local store (0: use it), or fail (-1). */
static int route_read(rstore *s)
{
    maybe_adopt(s);
    if (s->status == SSGW_STORE_UP) return 1;
    if (s->status == SSGW_STORE_DOWN_LOCAL) {
        s->h.local_ops++;
        return 0;
    }
    s->h.failures++;
    return -1;
}

/* The record from Redis (the batch cache, or read now); NULL when Redis cannot answer:
 * *local then says whether the local store answers instead (fail = "local"). A caller that
 * may not wait (nowait, or any caller but the io thread once the caller's lock is known)
 * gets what the cache holds, whatever its generation, or the local store. */
static centry *shared_read(rstore *s, uint8_t table, uint64_t a, uint64_t b, bool *local)
{
    int route = route_read(s);
    if (route == 1 && (s->nowait || !io_mine(s))) {
        centry *e = cache_find(s, table, a, b);
        if (e && s->gen_use && e->gen >= s->gen_use) {
            s->h.cache_hits++;
        } else {
            s->h.nowait_reads++;
            if (!e) s->h.nowait_local++;
        }
        *local = !e;
        return e;
    }
    centry *e = route == 1 ? read_rec(s, table, a, b) : NULL;
    if (!e && route == 1) route = route_read(s);
    *local = route == 0;
    return e;
}

static int r_location_get(ssgw_store *base, uint64_t imsi, ssgw_store_location *out)
{
    rstore *s = (rstore *)base;
    bool local;
    if (!imsi) return 0;
    centry *e = shared_read(s, SSGW_STORE_LOCATION, imsi, 0, &local);
    if (!e) return local ? s->local->ops->location_get(s->local, imsi, out) : -1;
    if (!e->present) return 0;
    *out = e->loc;
    return 1;
}

static int r_mark_get(ssgw_store *base, uint64_t subject, uint64_t smsc, uint32_t now,
                      uint32_t max_age)
{
    rstore *s = (rstore *)base;
    bool local;
    centry *e = shared_read(s, SSGW_STORE_MARK, subject, smsc, &local);
    if (e) return e->present && now - e->time <= max_age;
    return local ? s->local->ops->mark_get(s->local, subject, smsc, now, max_age) : -1;
}

static int r_dialogue_get(ssgw_store *base, uint32_t tid, uint64_t gt, uint32_t now,
                          uint32_t timeout, uint64_t *value)
{
    rstore *s = (rstore *)base;
    bool local;
    centry *e = shared_read(s, SSGW_STORE_DIALOGUE, tid, gt, &local);
    if (e) {
        int found = e->present && now - e->time <= timeout;
        if (found && value) *value = e->other;
        return found;
    }
    return local ? s->local->ops->dialogue_get(s->local, tid, gt, now, timeout, value) : -1;
}

/* ---- writes -------------------------------------------------------------------------------- */

static void write_entry(rstore *s, uint8_t table, uint64_t a, uint64_t b, const centry *v)
{
    centry *e = cache_claim(s, table, a, b);
    e->present = v->present;
    e->loc = v->loc;
    e->time = v->time;
    e->aux = v->aux;
    e->other = v->other;
    e->bkt = v->bkt;
    e->gen = s->gen_cur;
}

static void queue_set(rstore *s, uint8_t table, uint64_t a, uint64_t b, const uint8_t *val,
                      size_t vlen, uint32_t ttl)
{
    char key[KEY_MAX], ttl_s[16];
    size_t kl = make_key(s, table, a, b, key);
    size_t tl = rc_put_dec(ttl_s, ttl ? ttl : 1);
    const char *argv[5] = {"SET", key, (const char *)val, "EX", ttl_s};
    size_t lens[5] = {3, kl, vlen, 2, (size_t)tl};
    q_cmd(s, 5, argv, lens);
}

static int r_location_put(ssgw_store *base, uint64_t imsi, const ssgw_store_location *loc)
{
    rstore *s = (rstore *)base;
    if (!imsi) return 0;
    maybe_adopt(s);
    s->local->ops->location_put(s->local, imsi, loc);
    centry v = {.present = true, .loc = *loc};
    write_entry(s, SSGW_STORE_LOCATION, imsi, 0, &v);
    uint8_t val[22];
    put_le(val, loc->vlr, 8);
    put_le(val + 8, loc->msc, 8);
    put_le(val + 16, loc->cc, 2);
    put_le(val + 18, loc->time, 4);
    queue_set(s, SSGW_STORE_LOCATION, imsi, 0, val, sizeof val, s->cfg.location_ttl_s);
    return 1;
}

static void put_time(rstore *s, uint8_t table, uint64_t a, uint64_t b, uint32_t now, uint32_t ttl)
{
    centry v = {.present = true, .time = now};
    write_entry(s, table, a, b, &v);
    uint8_t val[4];
    put_le(val, now, 4);
    queue_set(s, table, a, b, val, sizeof val, ttl);
}

static int r_mark_put(ssgw_store *base, uint64_t subject, uint64_t smsc, uint32_t now,
                      uint32_t pool, uint32_t life_s)
{
    rstore *s = (rstore *)base;
    maybe_adopt(s);
    s->local->ops->mark_put(s->local, subject, smsc, now, pool, life_s);
    put_time(s, SSGW_STORE_MARK, subject, smsc, now, s->cfg.mark_ttl_s);
    return 1;
}

/* Redis keeps every dialogue and mark until its TTL: the pools matter only to the local copy,
 * which has a capacity (on the server, memory is bounded by the TTL and the rate). A
 * dialogue's value is "time" (4 octets, little-endian) for 0, else "time value" (12). */
static int r_dialogue_put(ssgw_store *base, uint32_t tid, uint64_t gt, uint64_t value, uint32_t now,
                          uint32_t pool, uint32_t timeout)
{
    rstore *s = (rstore *)base;
    maybe_adopt(s);
    s->local->ops->dialogue_put(s->local, tid, gt, value, now, pool, timeout);
    centry v = {.present = true, .time = now, .other = value};
    write_entry(s, SSGW_STORE_DIALOGUE, tid, gt, &v);
    uint8_t val[12];
    put_le(val, now, 4);
    put_le(val + 4, value, 8);
    queue_set(s, SSGW_STORE_DIALOGUE, tid, gt, val, value ? 12 : 4, s->cfg.dialogue_ttl_s);
    return 1;
}

static int r_dialogue_del(ssgw_store *base, uint32_t tid, uint64_t gt)
{
    rstore *s = (rstore *)base;
    maybe_adopt(s);
    s->local->ops->dialogue_del(s->local, tid, gt);
    centry v = {.present = false};
    write_entry(s, SSGW_STORE_DIALOGUE, tid, gt, &v);
    char key[KEY_MAX];
    size_t kl = make_key(s, SSGW_STORE_DIALOGUE, tid, gt, key);
    const char *argv[2] = {"DEL", key};
    size_t lens[2] = {3, kl};
    q_cmd(s, 2, argv, lens);
    return 1;
}

static int r_bucket_take(ssgw_store *base, uint64_t key, uint32_t limit, uint32_t period_s,
                         uint32_t burst, uint64_t now_ms)
{
    rstore *s = (rstore *)base;
    if (!key) key = 1;
    if (!period_s) period_s = 1;
    bool local;
    centry *e = shared_read(s, SSGW_STORE_BUCKET, key, 0, &local);
    if (!e && !local) return -1;
    int ok = s->local->ops->bucket_take(s->local, key, limit, period_s, burst, now_ms);
    if (s->status != SSGW_STORE_UP) return ok; /* not shared: its time passes */
    if (e) { /* else (nowait, not fetched): the local bucket decided; the shared one counts */
        centry v = *e;
        if (!v.present) v.bkt = (ssgw_store_bucket){false, 0, 0};
        ok = ssgw_store_bucket_apply(&v.bkt, limit, period_s, burst, now_ms);
        v.present = true;
        write_entry(s, SSGW_STORE_BUCKET, key, 0, &v);
    }
    if (s->n_takes == s->cap_takes) {
        size_t nc = s->cap_takes ? s->cap_takes * 2 : 1024;
        take *nt = realloc(s->takes, nc * sizeof *nt);
        take_ref *no = realloc(s->order, nc * sizeof *no);
        if (nt) s->takes = nt;
        if (no) s->order = no;
        if (!nt || !no) return ok; /* not shared this time: counted */
        s->cap_takes = nc;
    }
    /* decided: let through (-1: the local copy kept no bucket for it, as allowed) */
    s->takes[s->n_takes++] =
        (take){key, (uint32_t)now_ms, limit, period_s, burst, (int8_t)(ok != 0)};
    return ok;
}

/* ---- ISUP circuits: this gateway's own ---------------------------------------------------- */

/* A circuit's call state stays in the local store, not shared: the messages of one circuit
 * travel on one signalling link selection (the CIC picks the SLS), so through one gateway. */
static int r_call_get(ssgw_store *base, uint64_t key, ssgw_store_call *out)
{
    ssgw_store *l = ((rstore *)base)->local;
    return l->ops->call_get ? l->ops->call_get(l, key, out) : 0;
}

static int r_call_put(ssgw_store *base, uint64_t key, const ssgw_store_call *c)
{
    ssgw_store *l = ((rstore *)base)->local;
    return l->ops->call_put ? l->ops->call_put(l, key, c) : 0;
}

static int r_call_del(ssgw_store *base, uint64_t key)
{
    ssgw_store *l = ((rstore *)base)->local;
    return l->ops->call_del ? l->ops->call_del(l, key) : 0;
}

/* ---- segments of concatenated short messages: this gateway's own ------------------------ */

/* They hold message text (the boundary of each segment), which must not leave the gateway:
 * kept in the local store only. The segments of one message that arrive through the other
 * gateway of a pair are not joined with these (docs/checks.md). */
static int r_segment_get(ssgw_store *base, uint64_t key, uint32_t now, uint32_t max_age,
                         ssgw_store_segment *out)
{
    ssgw_store *l = ((rstore *)base)->local;
    return l->ops->segment_get ? l->ops->segment_get(l, key, now, max_age, out) : 0;
}

static int r_segment_put(ssgw_store *base, uint64_t key, const ssgw_store_segment *seg)
{
    ssgw_store *l = ((rstore *)base)->local;
    return l->ops->segment_put ? l->ops->segment_put(l, key, seg) : 0;
}

static void r_segment_count(ssgw_store *base, ssgw_store_segment_outcome o)
{
    ssgw_store *l = ((rstore *)base)->local;
    if (l->ops->segment_count) l->ops->segment_count(l, o);
}

/* ---- risk events, aliases, incidents ----------------------------------------------------- */

static int r_risk_put(ssgw_store *base, uint64_t subject, uint32_t time, uint32_t kind)
{
    rstore *s = (rstore *)base;
    if (!subject) return 0;
    maybe_adopt(s);
    s->local->ops->risk_put(s->local, subject, time, kind);
    centry v = {.present = true, .time = time, .aux = kind};
    write_entry(s, SSGW_STORE_RISK, subject, 0, &v);
    uint8_t val[8];
    put_le(val, time, 4);
    put_le(val + 4, kind, 4);
    queue_set(s, SSGW_STORE_RISK, subject, 0, val, sizeof val, s->cfg.risk_ttl_s);
    return 1;
}

static int r_risk_get(ssgw_store *base, uint64_t subject, uint32_t *time, uint32_t *kind)
{
    rstore *s = (rstore *)base;
    bool local;
    if (!subject) return 0;
    centry *e = shared_read(s, SSGW_STORE_RISK, subject, 0, &local);
    if (!e) return local ? s->local->ops->risk_get(s->local, subject, time, kind) : -1;
    if (!e->present) return 0;
    *time = e->time;
    *kind = e->aux;
    return 1;
}

static int r_alias_put(ssgw_store *base, uint64_t a, uint64_t b, uint32_t now)
{
    rstore *s = (rstore *)base;
    if (!a || !b) return 0;
    maybe_adopt(s);
    s->local->ops->alias_put(s->local, a, b, now);
    for (int i = 0; i < 2; i++) { /* both ways, each under its own identity */
        uint64_t from = i ? b : a, to = i ? a : b;
        centry v = {.present = true, .other = to};
        write_entry(s, SSGW_STORE_ALIAS, from, 0, &v);
        uint8_t val[8];
        put_le(val, to, 8);
        queue_set(s, SSGW_STORE_ALIAS, from, 0, val, sizeof val, s->cfg.risk_ttl_s);
    }
    return 1;
}

static int r_alias_get(ssgw_store *base, uint64_t a, uint64_t *b)
{
    rstore *s = (rstore *)base;
    bool local;
    if (!a) return 0;
    centry *e = shared_read(s, SSGW_STORE_ALIAS, a, 0, &local);
    if (!e) return local ? s->local->ops->alias_get(s->local, a, b) : -1;
    if (!e->present) return 0;
    *b = e->other;
    return 1;
}

/* Decided here on the batch's copy (as the embedded store would), applied on the server by
 * the incident script: a node that touched the same subject meanwhile keeps its id there. */
static int r_incident_touch(ssgw_store *base, uint64_t subject, uint32_t now, uint32_t window,
                            uint32_t new_id, uint32_t *id)
{
    rstore *s = (rstore *)base;
    bool local;
    if (!subject) subject = 1;
    centry *e = shared_read(s, SSGW_STORE_INCIDENT, subject, 0, &local);
    if (!e && !local) return -1;
    uint32_t lid;
    int lr = s->local->ops->incident_touch(s->local, subject, now, window, new_id, &lid);
    if (!e) { /* the local store decided (Redis away, or nowait and not fetched) */
        if (lr < 0) return -1;
        *id = lid;
        new_id = lid; /* the server keeps its own id if it has a live one */
    }
    int found = e ? e->present && now - e->time <= window : lr;
    if (e) *id = found ? e->aux : new_id;
    centry v = {.present = true, .time = now, .aux = *id};
    write_entry(s, SSGW_STORE_INCIDENT, subject, 0, &v);
    char key[KEY_MAX], nums[4][16];
    size_t kl = make_key(s, SSGW_STORE_INCIDENT, subject, 0, key);
    uint32_t args[4] = {now, window, *id, window + s->cfg.ttl_slack_s};
    const char *argv[8] = {"EVAL", incident_lua, "1", key, nums[0], nums[1], nums[2], nums[3]};
    size_t lens[8] = {4, sizeof incident_lua - 1, 1, kl, 0, 0, 0, 0};
    for (int i = 0; i < 4; i++)
        lens[4 + i] = rc_put_dec(nums[i], args[i]);
    q_cmd_key(s, 3, 8, argv, lens);
    return found;
}

static int replay_check(rstore *s, uint64_t key_id, uint64_t nonce, uint32_t ttl_s);

static int r_replay_check_insert(ssgw_store *base, uint64_t key_id, uint64_t nonce, uint32_t ttl_s)
{
    rstore *s = (rstore *)base;
    if (s->nowait) return -1; /* no round trip now: the trust layer's own cache decides */
    io_enter(s);
    int res = replay_check(s, key_id, nonce, ttl_s);
    io_exit(s);
    return res;
}

static int replay_check(rstore *s, uint64_t key_id, uint64_t nonce, uint32_t ttl_s)
{
    int route = route_read(s);
    if (route <= 0) return -1; /* the local cache of the trust layer decides alone */
    char key[KEY_MAX], ttl[16], err[256];
    int kl =
        snprintf(key, sizeof key, "%sr{%016" PRIx64 "%016" PRIx64 "}", s->prefix, key_id, nonce);
    int tl = snprintf(ttl, sizeof ttl, "%u", ttl_s ? ttl_s : 1);
    const char *argv[6] = {"SET", key, "1", "NX", "EX", ttl};
    size_t lens[6] = {3, (size_t)kl, 1, 2, 2, (size_t)tl};
    rc_batch_clear(&s->batch);
    if (rc_batch_add(&s->batch, 1, 6, argv, lens) < 0) return -1;
    s->h.replay_checks++;
    if (exchange(s, err, sizeof err) < 0) {
        route_read(s); /* counts the failure in closed mode */
        return -1;
    }
    redisReply *r = s->batch.req[0].reply;
    int res = !r || r->type == REDIS_REPLY_ERROR ? -1 : r->type == REDIS_REPLY_NIL ? 1 : 0;
    rc_batch_clear(&s->batch);
    return res;
}

/* ---- batches --------------------------------------------------------------------------------- */

static uint64_t r_prefetch(ssgw_store *base, const ssgw_store_key *keys, size_t n)
{
    rstore *s = (rstore *)base;
    io_enter(s);
    maybe_adopt(s);
    uint64_t gen = ++s->gen_cur;
    if (s->status != SSGW_STORE_UP) {
        io_exit(s);
        return gen;
    }
    rc_batch_clear(&s->batch);
    for (size_t i = 0; i < n; i++) {
        char key[KEY_MAX];
        size_t kl = make_key(s, keys[i].table, keys[i].a, keys[i].b, key);
        const char *argv[2] = {"GET", key};
        size_t lens[2] = {3, kl};
        if (rc_batch_add(&s->batch, 1, 2, argv, lens) < 0) break;
    }
    char err[256];
    size_t got = s->batch.n;
    if (exchange(s, err, sizeof err) == 0) {
        for (size_t i = 0; i < got; i++) {
            /* written here while the exchange waited (generation gen): newer than the reply */
            centry *e = cache_find(s, keys[i].table, keys[i].a, keys[i].b);
            if (e && e->gen == gen) continue;
            e = cache_claim(s, keys[i].table, keys[i].a, keys[i].b);
            cache_fill(e, s->batch.req[i].reply);
            e->gen = gen;
        }
        s->h.prefetched += got;
    }
    rc_batch_clear(&s->batch);
    io_exit(s);
    return gen;
}

static void r_use_generation(ssgw_store *base, uint64_t gen)
{
    rstore *s = (rstore *)base;
    s->nowait = gen == SSGW_STORE_GEN_NOWAIT;
    s->gen_use = s->nowait ? 0 : gen;
}

/* The flush of a thread inside io_enter. */
static int flush_io(rstore *s)
{
    maybe_adopt(s);
    if (s->status != SSGW_STORE_UP) {
        s->n_takes = 0; /* their times pass: not kept for later */
        return s->q_count ? -1 : 0;
    }
    if (!s->q_count && !s->n_takes) return 0;
    char err[256];
    rc_batch_clear(&s->batch);
    return exchange(s, err, sizeof err);
}

static int r_flush(ssgw_store *base)
{
    rstore *s = (rstore *)base;
    io_enter(s);
    int rc = flush_io(s);
    io_exit(s);
    return rc;
}

static void r_tick(ssgw_store *base, uint64_t now_ms)
{
    (void)now_ms;
    rstore *s = (rstore *)base;
    io_enter(s);
    maybe_adopt(s);
    if (s->status == SSGW_STORE_UP && (s->q_count || s->n_takes)) flush_io(s);
    io_exit(s);
}

static void r_set_caller_lock(ssgw_store *base, void (*release)(void *), void (*reacquire)(void *),
                              void *ctx)
{
    rstore *s = (rstore *)base;
    s->rel = release && reacquire ? release : NULL;
    s->acq = reacquire;
    s->rel_ctx = ctx;
}

static uint64_t r_failures(const ssgw_store *base)
{
    return ((const rstore *)base)->h.failures;
}

static void r_health(const ssgw_store *base, ssgw_store_health *out)
{
    rstore *s = (rstore *)base;
    *out = s->h;
    out->backend = s->snap.cluster ? "redis-cluster" : "redis";
    out->status = s->status;
    out->nodes = s->snap.nodes;
    out->pending = s->q_count;
    out->pending_cap = s->cfg.pending_writes;
    out->moved += s->snap.st.moved;
    out->ask += s->snap.st.ask;
    out->slot_refreshes += s->snap.st.slot_refreshes;
    if (s->status != SSGW_STORE_UP) {
        pthread_mutex_lock(&s->lock);
        if (s->thread_err[0])
            snprintf(out->detail, sizeof out->detail, "%.150s (next attempt in %" PRIu64 " ms)",
                     s->thread_err,
                     s->next_attempt_ms > rc_now_ms() ? s->next_attempt_ms - rc_now_ms() : 0);
        pthread_mutex_unlock(&s->lock);
    }
}

static void r_get_stats(const ssgw_store *base, ssgw_store_stats *out)
{
    const rstore *s = (const rstore *)base;
    s->local->ops->get_stats(s->local, out);
}

static void r_free(ssgw_store *base)
{
    rstore *s = (rstore *)base;
    if (s->thread_started) {
        pthread_mutex_lock(&s->lock);
        s->stop = true;
        pthread_cond_signal(&s->cv);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->thread, NULL);
    }
    s->rel = NULL; /* the last flush: nobody else uses the store, no lock held */
    if (s->status == SSGW_STORE_UP) r_flush(base);
    rc_client_free(s->rc);
    rc_client_free(s->ready);
    rc_auth_free(&s->auth);
    ssgw_store_free(s->local);
    rc_batch_free(&s->batch);
    rc_batch_free(&s->all);
    free(s->takes);
    free(s->order);
    free(s->calls);
    free(s->cache);
    free(s->q);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->io);
    pthread_cond_destroy(&s->cv);
    free(s);
}

static uint64_t r_shared_secret(ssgw_store *base);

static const ssgw_store_ops redis_ops = {
    .location_get = r_location_get,
    .location_put = r_location_put,
    .mark_put = r_mark_put,
    .mark_get = r_mark_get,
    .dialogue_put = r_dialogue_put,
    .dialogue_get = r_dialogue_get,
    .dialogue_del = r_dialogue_del,
    .bucket_take = r_bucket_take,
    .risk_put = r_risk_put,
    .risk_get = r_risk_get,
    .alias_put = r_alias_put,
    .alias_get = r_alias_get,
    .incident_touch = r_incident_touch,
    .call_get = r_call_get,
    .call_put = r_call_put,
    .call_del = r_call_del,
    .segment_get = r_segment_get,
    .segment_put = r_segment_put,
    .segment_count = r_segment_count,
    .get_stats = r_get_stats,
    .free = r_free,
    .prefetch = r_prefetch,
    .use_generation = r_use_generation,
    .flush = r_flush,
    .replay_check_insert = r_replay_check_insert,
    .tick = r_tick,
    .failures = r_failures,
    .health = r_health,
    .set_caller_lock = r_set_caller_lock,
    .shared_secret = r_shared_secret,
};

/* Copies the strings of cfg into s and points s->cfg at the copies. */
static void copy_config(rstore *s, const ssgw_state_config *cfg)
{
    s->cfg = *cfg;
    snprintf(s->prefix, sizeof s->prefix, "%s", cfg->key_prefix ? cfg->key_prefix : "");
    s->prefix_len = strlen(s->prefix);
    snprintf(s->user, sizeof s->user, "%s", cfg->user ? cfg->user : "");
    snprintf(s->tls_ca, sizeof s->tls_ca, "%s", cfg->tls_ca ? cfg->tls_ca : "");
    snprintf(s->tls_cert, sizeof s->tls_cert, "%s", cfg->tls_cert ? cfg->tls_cert : "");
    snprintf(s->tls_key, sizeof s->tls_key, "%s", cfg->tls_key ? cfg->tls_key : "");
    snprintf(s->server_name, sizeof s->server_name, "%s",
             cfg->tls_server_name ? cfg->tls_server_name : "");
    snprintf(s->password_file, sizeof s->password_file, "%s",
             cfg->password_file ? cfg->password_file : "");
    s->cfg.key_prefix = s->prefix;
    s->cfg.user = s->user;
    s->cfg.tls_ca = s->tls_ca;
    s->cfg.tls_cert = s->tls_cert;
    s->cfg.tls_key = s->tls_key;
    s->cfg.tls_server_name = s->server_name;
    s->cfg.password_file = s->password_file;
    if (!s->cfg.timeout_ms) s->cfg.timeout_ms = 200;
    if (!s->cfg.reconnect_min_ms) s->cfg.reconnect_min_ms = 100;
    if (s->cfg.reconnect_max_ms < s->cfg.reconnect_min_ms)
        s->cfg.reconnect_max_ms = s->cfg.reconnect_min_ms;
}

/* The store's shared secret: made by the first user (SET NX), read by every one. */
static void fetch_secret(rstore *s)
{
    char key[KEY_MAX], val[17], err[256];
    size_t kl = (size_t)snprintf(key, sizeof key, "%sk{secret}", s->prefix);
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r || !r) return;
    size_t vl = rc_put_hex(val, r);
    const char *set[4] = {"SET", key, val, "NX"}, *get[2] = {"GET", key};
    size_t set_l[4] = {3, kl, vl, 2}, get_l[2] = {3, kl};
    rc_batch b;
    rc_batch_init(&b);
    if (rc_batch_add(&b, 1, 4, set, set_l) >= 0 && rc_batch_add(&b, 1, 2, get, get_l) >= 0 &&
        rc_exchange(s->rc, &b, err, sizeof err) == 0) {
        const redisReply *g = b.req[1].reply;
        uint64_t v = 0;
        for (size_t i = 0; g && g->type == REDIS_REPLY_STRING && i < g->len && i < 16; i++) {
            char c = g->str[i];
            v = v << 4 | (uint64_t)(c >= 'a' ? c - 'a' + 10 : c - '0');
        }
        s->secret = v;
    }
    rc_batch_free(&b);
}

static uint64_t r_shared_secret(ssgw_store *base)
{
    return ((rstore *)base)->secret;
}

static ssgw_store *redis_new(const ssgw_state_config *cfg, bool require_up,
                             ssgw_store_event_fn on_event, void *ctx, char *err, size_t errlen)
{
    rstore *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->base.ops = &redis_ops;
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->io, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    atomic_init(&s->ready_flag, false);
    copy_config(s, cfg);
    s->on_event = on_event;
    s->event_ctx = ctx;
    s->gen_cur = 1;
    rc_batch_init(&s->batch);
    rc_batch_init(&s->all);
    unsigned char md[SHA_DIGEST_LENGTH];
    SHA1((const unsigned char *)bucket_lua, sizeof bucket_lua - 1, md);
    for (int i = 0; i < SHA_DIGEST_LENGTH; i++)
        snprintf(s->sha + 2 * i, 3, "%02x", md[i]);
    s->cache = calloc(CACHE_SETS * CACHE_WAYS, sizeof *s->cache);
    s->local = ssgw_store_embedded_new(&cfg->local);
    s->q_cap = 65536; /* never NULL: the queue's memmoves need a buffer even when empty */
    s->q = malloc(s->q_cap);
    if (!s->cache || !s->local || !s->q) {
        snprintf(err, errlen, "out of memory");
        r_free(&s->base);
        return NULL;
    }
    if (rc_auth_init(&s->auth, &s->cfg, err, errlen) < 0) {
        r_free(&s->base);
        return NULL;
    }
    char e[256];
    s->rc = rc_client_new(&s->cfg, &s->auth, s->cfg.nodes, s->cfg.n_nodes, e, sizeof e);
    if (s->rc && load_script(s->rc, e, sizeof e) < 0) {
        rc_client_free(s->rc);
        s->rc = NULL;
    }
    if (s->rc) fetch_secret(s);
    snap_client(s);
    if (!s->rc && require_up) {
        snprintf(err, errlen, "[state] redis: %s", e);
        r_free(&s->base);
        return NULL;
    }
    /* the thread takes no signals: the program's own thread handles them (ssgw run blocks
     * SIGTERM and reads it from a signalfd, which works only if no thread takes it) */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int te = pthread_create(&s->thread, NULL, reconnect_main, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (te) {
        snprintf(err, errlen, "[state] redis: cannot start the reconnection thread");
        r_free(&s->base);
        return NULL;
    }
    s->thread_started = true;
    if (!s->rc) go_down(s, e, true); /* down from the start: announced */
    return &s->base;
}

ssgw_store *ssgw_store_open(const ssgw_state_config *cfg, bool require_up,
                            ssgw_store_event_fn on_event, void *ctx, char *err, size_t errlen)
{
    if (cfg->backend == SSGW_STATE_EMBEDDED) {
        ssgw_store *s = ssgw_store_embedded_new(&cfg->local);
        if (!s) snprintf(err, errlen, "out of memory (state store)");
        return s;
    }
    return redis_new(cfg, require_up, on_event, ctx, err, errlen);
}
