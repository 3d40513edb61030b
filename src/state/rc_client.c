/*
 * rc_client.c - the node set of a Redis deployment and the exchanges the shared store
 * makes with it (src/state/rc.h).
 *
 * Standalone Redis is one node holding every slot. Redis Cluster (its specification,
 * "Keys distribution model" and "Redirection and resharding"): a key belongs to slot
 * CRC16(key) mod 16384, where only the part between the first '{' and the next '}' is
 * hashed when that part is not empty (a hash tag: the store puts a subscriber's number
 * there so that all its records share a slot and a node). The client keeps the slot map
 * (CLUSTER SLOTS: ranges -> master), one connection per master, and follows:
 *   - MOVED slot host:port: the slot lives elsewhere now; the map is corrected at once,
 *     the command resent there, and the whole map fetched again after the exchange;
 *   - ASK slot host:port: the slot is being migrated; ASKING then the command, there,
 *     this once (the map is not changed).
 * CLUSTERDOWN, TRYAGAIN, LOADING, MASTERDOWN and READONLY mean "not now": the command
 * stays unanswered and the exchange fails, and the store above applies its fail policy.
 *
 * An exchange writes every command to its node first (one write per node), then reads
 * each node's replies in order, so a batch costs about one round trip whatever its size
 * and however many nodes it touches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/rc.h"

/* ---- key slots ------------------------------------------------------------------------- */

static uint16_t crc16_table[256];
static bool crc16_ready;

static void crc16_init(void)
{
    for (unsigned i = 0; i < 256; i++) {
        uint16_t crc = (uint16_t)(i << 8);
        for (int b = 0; b < 8; b++)
            crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
        crc16_table[i] = crc;
    }
    crc16_ready = true;
}

/* CRC16-CCITT as XMODEM: polynomial 0x1021, initial value 0, no reflection. */
static uint16_t crc16(const char *p, size_t n)
{
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++)
        crc = (uint16_t)((crc << 8) ^ crc16_table[((crc >> 8) ^ (uint8_t)p[i]) & 0xff]);
    return crc;
}

uint16_t rc_key_slot(const char *key, size_t len)
{
    if (!crc16_ready) crc16_init();
    const char *open = memchr(key, '{', len);
    if (open) {
        size_t rest = len - (size_t)(open - key) - 1;
        const char *close = memchr(open + 1, '}', rest);
        if (close && close > open + 1) return crc16(open + 1, (size_t)(close - open - 1)) & 16383;
    }
    return crc16(key, len) & 16383;
}

/* ---- batches --------------------------------------------------------------------------- */

void rc_batch_init(rc_batch *b)
{
    memset(b, 0, sizeof *b);
}

void rc_batch_clear(rc_batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->req[i].reply) freeReplyObject(b->req[i].reply);
    b->n = 0;
    b->len = 0;
}

void rc_batch_free(rc_batch *b)
{
    rc_batch_clear(b);
    free(b->buf);
    free(b->req);
    memset(b, 0, sizeof *b);
}

static int batch_room(rc_batch *b, size_t bytes)
{
    if (b->n == b->ncap) {
        size_t nc = b->ncap ? b->ncap * 2 : 64;
        rc_req *r = realloc(b->req, nc * sizeof *r);
        if (!r) return -1;
        b->req = r;
        b->ncap = nc;
    }
    if (b->len + bytes > b->cap) {
        size_t nc = b->cap ? b->cap : 8192;
        while (nc < b->len + bytes)
            nc *= 2;
        uint8_t *nb = realloc(b->buf, nc);
        if (!nb) return -1;
        b->buf = nb;
        b->cap = nc;
    }
    return 0;
}

static size_t cmd_bytes(int argc, const size_t *lens)
{
    size_t need = 16;
    for (int i = 0; i < argc; i++)
        need += lens[i] + 24;
    return need;
}

int rc_batch_add(rc_batch *b, int key_arg, int argc, const char *const *argv, const size_t *lens)
{
    if (batch_room(b, cmd_bytes(argc, lens)) < 0) return -1;
    rc_req *r = &b->req[b->n];
    memset(r, 0, sizeof *r);
    r->slot = key_arg >= 0 && key_arg < argc ? rc_key_slot(argv[key_arg], lens[key_arg]) : 0;
    r->off = (uint32_t)b->len;
    r->len = (uint32_t)rc_format(b->buf + b->len, b->cap - b->len, argc, argv, lens);
    b->len += r->len;
    return (int)b->n++;
}

int rc_batch_add_raw(rc_batch *b, uint16_t slot, const uint8_t *cmd, size_t len)
{
    if (batch_room(b, len) < 0) return -1;
    rc_req *r = &b->req[b->n];
    memset(r, 0, sizeof *r);
    r->slot = slot;
    r->off = (uint32_t)b->len;
    r->len = (uint32_t)len;
    memcpy(b->buf + b->len, cmd, len);
    b->len += len;
    return (int)b->n++;
}

/* ---- nodes ------------------------------------------------------------------------------ */

typedef struct {
    rc_conn conn;
    int *fifo; /* request indices awaiting a reply, in order; -1: an ASKING reply */
    size_t fifo_n, fifo_cap;
} rc_node;

struct rc_client {
    const ssgw_state_config *cfg;
    const rc_auth *auth;
    bool cluster;
    rc_node *nodes;
    size_t n_nodes, cap_nodes;
    int16_t slot_node[RC_SLOTS]; /* -1: unknown */
    rc_stats st;
};

bool rc_client_is_cluster(const rc_client *c)
{
    return c->cluster;
}

void rc_client_stats(const rc_client *c, rc_stats *out)
{
    *out = c->st;
}

size_t rc_client_nodes(const rc_client *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_nodes; i++)
        n += rc_conn_is_open(&c->nodes[i].conn);
    return n;
}

size_t rc_client_known(const rc_client *c, ssgw_state_node *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_nodes && n < cap; i++) {
        snprintf(out[n].host, sizeof out[n].host, "%s", c->nodes[i].conn.host);
        out[n++].port = c->nodes[i].conn.port;
    }
    return n;
}

/* The index of host:port, added (not connected) when new; -1 when memory ran out. */
static int node_index(rc_client *c, const char *host, uint16_t port)
{
    for (size_t i = 0; i < c->n_nodes; i++)
        if (c->nodes[i].conn.port == port && !strcmp(c->nodes[i].conn.host, host)) return (int)i;
    if (c->n_nodes == c->cap_nodes) {
        size_t nc = c->cap_nodes ? c->cap_nodes * 2 : 8;
        rc_node *n = realloc(c->nodes, nc * sizeof *n);
        if (!n) return -1;
        c->nodes = n;
        c->cap_nodes = nc;
    }
    rc_node *nd = &c->nodes[c->n_nodes];
    memset(nd, 0, sizeof *nd);
    rc_conn_init(&nd->conn, host, port);
    return (int)c->n_nodes++;
}

static int fifo_push(rc_node *n, int v)
{
    if (n->fifo_n == n->fifo_cap) {
        size_t nc = n->fifo_cap ? n->fifo_cap * 2 : 64;
        int *f = realloc(n->fifo, nc * sizeof *f);
        if (!f) return -1;
        n->fifo = f;
        n->fifo_cap = nc;
    }
    n->fifo[n->fifo_n++] = v;
    return 0;
}

/* "MOVED 3999 127.0.0.1:6381" / "ASK ..." -> slot, host, port. */
static int parse_redirect(const char *s, size_t len, uint16_t *slot, char *host, size_t hcap,
                          uint16_t *port)
{
    char tmp[300];
    if (len >= sizeof tmp) return -1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    char *sp = strchr(tmp, ' ');
    if (!sp) return -1;
    char *end;
    unsigned long sl = strtoul(sp + 1, &end, 10);
    if (*end != ' ' || sl >= RC_SLOTS) return -1;
    ssgw_state_node n;
    if (ssgw_state_parse_node(end + 1, &n) < 0) return -1;
    *slot = (uint16_t)sl;
    snprintf(host, hcap, "%s", n.host);
    *port = n.port;
    return 0;
}

/* Fills the slot map from a CLUSTER SLOTS reply got from node `from`. 0 or -1. */
static int apply_slots(rc_client *c, const redisReply *r, const rc_conn *from)
{
    if (r->type != REDIS_REPLY_ARRAY) return -1;
    for (size_t i = 0; i < RC_SLOTS; i++)
        c->slot_node[i] = -1;
    for (size_t i = 0; i < r->elements; i++) {
        const redisReply *e = r->element[i];
        if (e->type != REDIS_REPLY_ARRAY || e->elements < 3 ||
            e->element[0]->type != REDIS_REPLY_INTEGER ||
            e->element[1]->type != REDIS_REPLY_INTEGER ||
            e->element[2]->type != REDIS_REPLY_ARRAY || e->element[2]->elements < 2)
            return -1;
        const redisReply *m = e->element[2];
        if (m->element[0]->type != REDIS_REPLY_STRING || m->element[1]->type != REDIS_REPLY_INTEGER)
            return -1;
        char host[SSGW_STATE_HOST_MAX];
        /* "" or "?" : the node we asked did not announce an address; use the one we used */
        if (m->element[0]->len == 0 || (m->element[0]->len == 1 && m->element[0]->str[0] == '?'))
            snprintf(host, sizeof host, "%s", from->host);
        else
            snprintf(host, sizeof host, "%.*s", (int)m->element[0]->len, m->element[0]->str);
        int k = node_index(c, host, (uint16_t)m->element[1]->integer);
        if (k < 0) return -1;
        long long a = e->element[0]->integer, b = e->element[1]->integer;
        for (long long s = a; s <= b && s < RC_SLOTS; s++)
            if (s >= 0) c->slot_node[s] = (int16_t)k;
    }
    return 0;
}

/* Asks node i for the slot map: 1 cluster (map filled), 0 standalone, -1 failure. */
static int ask_slots(rc_client *c, size_t i, char *err, size_t errlen)
{
    rc_conn *cn = &c->nodes[i].conn;
    uint64_t deadline = rc_now_ms() + c->cfg->timeout_ms;
    if (!rc_conn_is_open(cn) && rc_conn_open(cn, c->auth, deadline, err, errlen) < 0) return -1;
    const char *argv[2] = {"CLUSTER", "SLOTS"};
    size_t lens[2] = {7, 5};
    if (rc_conn_cmd(cn, 2, argv, lens) < 0 || rc_conn_flush(cn, deadline, err, errlen) < 0)
        return -1;
    redisReply *r = rc_conn_reply(cn, deadline, err, errlen);
    if (!r) return -1;
    int res;
    if (r->type == REDIS_REPLY_ERROR) {
        res = strstr(r->str, "cluster support disabled") ? 0 : -1;
        if (res < 0)
            snprintf(err, errlen, "redis %s:%u: CLUSTER SLOTS: %s", cn->host, (unsigned)cn->port,
                     r->str);
    } else {
        res = apply_slots(c, r, cn) == 0 ? 1 : -1;
        if (res < 0)
            snprintf(err, errlen, "redis %s:%u: CLUSTER SLOTS: unexpected reply", cn->host,
                     (unsigned)cn->port);
    }
    freeReplyObject(r);
    c->st.slot_refreshes += res == 1;
    return res;
}

/* The slot map again from the first node that answers (after a MOVED). */
static void refresh_slots(rc_client *c)
{
    char err[256];
    for (size_t i = 0; i < c->n_nodes; i++)
        if (rc_conn_is_open(&c->nodes[i].conn) && ask_slots(c, i, err, sizeof err) == 1) return;
}

void rc_client_free(rc_client *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->n_nodes; i++) {
        rc_conn_free(&c->nodes[i].conn);
        free(c->nodes[i].fifo);
    }
    free(c->nodes);
    free(c);
}

rc_client *rc_client_new(const ssgw_state_config *cfg, const rc_auth *auth,
                         const ssgw_state_node *seeds, size_t n, char *err, size_t errlen)
{
    rc_client *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->cfg = cfg;
    c->auth = auth;
    snprintf(err, errlen, "no Redis node given");
    int found = -1;
    for (size_t s = 0; s < n && found < 0; s++) {
        int k = node_index(c, seeds[s].host, seeds[s].port);
        if (k < 0) break;
        int r = ask_slots(c, (size_t)k, err, errlen);
        if (r == 0) { /* standalone: this node holds every slot */
            for (size_t i = 0; i < RC_SLOTS; i++)
                c->slot_node[i] = (int16_t)k;
            found = k;
        } else if (r == 1) {
            c->cluster = true;
            found = k;
        }
    }
    if (found < 0) {
        rc_client_free(c);
        return NULL;
    }
    for (size_t i = 0; i < RC_SLOTS; i++)
        if (c->slot_node[i] < 0) {
            snprintf(err, errlen, "redis cluster: slot %zu is served by no master", i);
            rc_client_free(c);
            return NULL;
        }
    /* one connection per master, now, so that the first batch does not wait for them */
    for (size_t i = 0; i < RC_SLOTS; i++) {
        rc_conn *cn = &c->nodes[c->slot_node[i]].conn;
        if (rc_conn_is_open(cn)) continue;
        if (rc_conn_open(cn, auth, rc_now_ms() + cfg->timeout_ms, err, errlen) < 0) {
            rc_client_free(c);
            return NULL;
        }
    }
    return c;
}

int rc_client_each_master(rc_client *c, int argc, const char *const *argv, const size_t *lens,
                          char *err, size_t errlen)
{
    uint64_t deadline = rc_now_ms() + c->cfg->timeout_ms;
    for (size_t i = 0; i < c->n_nodes; i++) {
        bool master = false;
        for (size_t s = 0; s < RC_SLOTS && !master; s++)
            master = c->slot_node[s] == (int16_t)i;
        rc_conn *cn = &c->nodes[i].conn;
        if (!master) continue;
        if (!rc_conn_is_open(cn) && rc_conn_open(cn, c->auth, deadline, err, errlen) < 0) return -1;
        if (rc_conn_cmd(cn, argc, argv, lens) < 0 || rc_conn_flush(cn, deadline, err, errlen) < 0)
            return -1;
        redisReply *r = rc_conn_reply(cn, deadline, err, errlen);
        if (!r) return -1;
        bool bad = r->type == REDIS_REPLY_ERROR;
        if (bad)
            snprintf(err, errlen, "redis %s:%u: %s: %.*s", cn->host, (unsigned)cn->port, argv[0],
                     (int)(r->len > 120 ? 120 : r->len), r->str);
        freeReplyObject(r);
        if (bad) return -1;
    }
    return 0;
}

/* ---- exchanges ------------------------------------------------------------------------- */

typedef enum { R_DONE, R_AGAIN, R_REFUSED } reply_fate;

/* What a reply to request q means. */
static reply_fate judge_reply(rc_client *c, rc_req *q, redisReply *r, bool *refresh, char *err,
                              size_t errlen)
{
    if (r->type != REDIS_REPLY_ERROR) return R_DONE;
    const char *s = r->str;
    uint16_t slot, port;
    char host[SSGW_STATE_HOST_MAX];
    bool moved = !strncmp(s, "MOVED ", 6), ask = !strncmp(s, "ASK ", 4);
    if ((moved || ask) && q->redirects < 5 &&
        parse_redirect(s, r->len, &slot, host, sizeof host, &port) == 0) {
        int k = node_index(c, host, port);
        if (k < 0) return R_REFUSED;
        q->node = k;
        q->redirects++;
        q->asking = ask;
        if (moved) {
            c->slot_node[slot] = (int16_t)k;
            *refresh = true;
            c->st.moved++;
        } else {
            c->st.ask++;
        }
        return R_AGAIN;
    }
    static const char *const refusals[] = {"CLUSTERDOWN", "TRYAGAIN", "LOADING", "MASTERDOWN",
                                           "READONLY",    "MOVED",    "ASK"};
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++)
        if (!strncmp(s, refusals[i], strlen(refusals[i]))) {
            snprintf(err, errlen, "redis %s:%u: %.*s", c->nodes[q->node].conn.host,
                     (unsigned)c->nodes[q->node].conn.port, (int)(r->len > 120 ? 120 : r->len), s);
            if (!strncmp(s, "READONLY", 8)) *refresh = true;
            return R_REFUSED;
        }
    return R_DONE; /* an error about the command itself: the caller looks */
}

int rc_exchange(rc_client *c, rc_batch *b, char *err, size_t errlen)
{
    static const uint8_t asking[] = "*1\r\n$6\r\nASKING\r\n";
    bool failed = false, refresh = false;
    uint64_t deadline = rc_now_ms() + c->cfg->timeout_ms;
    size_t pending = 0;
    for (size_t i = 0; i < b->n; i++) {
        rc_req *q = &b->req[i];
        if (q->reply) freeReplyObject(q->reply);
        q->reply = NULL;
        q->node = c->slot_node[q->slot];
        q->redirects = 0;
        q->asking = false;
        pending++;
    }
    c->st.commands += b->n;
    for (int round = 0; pending && round < 8; round++) {
        for (size_t k = 0; k < c->n_nodes; k++)
            c->nodes[k].fifo_n = 0;
        /* queue every unanswered request on its node */
        for (size_t i = 0; i < b->n; i++) {
            rc_req *q = &b->req[i];
            if (q->reply || q->node < 0) continue;
            rc_node *nd = &c->nodes[q->node];
            if (!rc_conn_is_open(&nd->conn)) {
                char e[256];
                c->st.reconnects++;
                if (rc_conn_open(&nd->conn, c->auth, deadline, e, sizeof e) < 0) {
                    snprintf(err, errlen, "%s", e);
                    failed = true;
                    q->node = -1; /* unanswered */
                    continue;
                }
            }
            if ((q->asking && (rc_conn_raw(&nd->conn, asking, sizeof asking - 1) < 0 ||
                               fifo_push(nd, -1) < 0)) ||
                rc_conn_raw(&nd->conn, b->buf + q->off, q->len) < 0 || fifo_push(nd, (int)i) < 0) {
                snprintf(err, errlen, "out of memory");
                failed = true;
                q->node = -1;
            }
        }
        /* one write per node, then the replies */
        for (size_t k = 0; k < c->n_nodes; k++) {
            rc_node *nd = &c->nodes[k];
            if (!nd->fifo_n) continue;
            if (rc_conn_flush(&nd->conn, deadline, err, errlen) < 0) {
                for (size_t f = 0; f < nd->fifo_n; f++)
                    if (nd->fifo[f] >= 0) b->req[nd->fifo[f]].node = -1;
                nd->fifo_n = 0;
                failed = true;
            }
        }
        c->st.round_trips++;
        pending = 0;
        for (size_t k = 0; k < c->n_nodes; k++) {
            rc_node *nd = &c->nodes[k];
            for (size_t f = 0; f < nd->fifo_n; f++) {
                redisReply *r = rc_conn_reply(&nd->conn, deadline, err, errlen);
                if (!r) {
                    for (; f < nd->fifo_n; f++)
                        if (nd->fifo[f] >= 0) b->req[nd->fifo[f]].node = -1;
                    failed = true;
                    break;
                }
                if (nd->fifo[f] < 0) { /* the reply to ASKING */
                    freeReplyObject(r);
                    continue;
                }
                rc_req *q = &b->req[nd->fifo[f]];
                switch (judge_reply(c, q, r, &refresh, err, errlen)) {
                case R_DONE:
                    q->reply = r;
                    break;
                case R_AGAIN:
                    freeReplyObject(r);
                    pending++;
                    break;
                case R_REFUSED:
                    freeReplyObject(r);
                    q->node = -1;
                    failed = true;
                    break;
                }
            }
        }
    }
    if (pending) {
        snprintf(err, errlen, "redis: too many redirections");
        failed = true;
    }
    if (refresh && c->cluster) refresh_slots(c);
    return failed ? -1 : 0;
}
