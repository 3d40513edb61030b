/*
 * rc.h - the Redis client the shared state store is built on (src/state/, not a public
 * API): connections to standalone Redis or to every master of a Redis Cluster, and
 * exchanges: a batch of commands written to every node they concern at once
 * (pipelining), then every reply read, with Redis Cluster's redirections followed.
 *
 *   rc_conn.c    one connection: TCP with a deadline (names resolved once per connect),
 *                TLS (OpenSSL), AUTH (ACL user + password), RESP commands written into
 *                a buffer by rc_cmd (no allocation per command), replies parsed by
 *                hiredis' reader (libhiredis-dev).
 *   rc_client.c  the node set and the slot map: the key slot (CRC16 of the key or of its
 *                {hash tag}, mod 16384), CLUSTER SLOTS, MOVED (the slot map is updated
 *                and refreshed), ASK (ASKING then the command).
 *
 * Nothing here is thread-safe: the store calls it under its lock.
 */
#ifndef SSGW_STATE_RC_H
#define SSGW_STATE_RC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hiredis/hiredis.h>
#include <openssl/ssl.h>

#include "ssgw/store.h"

/* ---- one connection (rc_conn.c) ---------------------------------------------------------- */

typedef struct {
    SSL_CTX *tls; /* NULL: plain TCP */
    const char *server_name;
    const char *user;
    char password[256];
    bool has_password;
    uint32_t timeout_ms;
} rc_auth;

typedef struct {
    int fd; /* -1: closed */
    SSL *ssl;
    redisReader *rd;
    char host[SSGW_STATE_HOST_MAX];
    uint16_t port;
    uint8_t *out;
    size_t out_len, out_cap;
} rc_conn;

/* A monotonic clock in milliseconds. */
uint64_t rc_now_ms(void);

/* Reads the password file (refused unless mode 0600 and owned by us) and makes the TLS
 * context. 0, or -1 with err. */
int rc_auth_init(rc_auth *a, const ssgw_state_config *cfg, char *err, size_t errlen);
void rc_auth_free(rc_auth *a);

void rc_conn_init(rc_conn *c, const char *host, uint16_t port);
/* Connects (TCP, TLS, AUTH) before deadline_ms. 0, or -1 with err. */
int rc_conn_open(rc_conn *c, const rc_auth *a, uint64_t deadline_ms, char *err, size_t errlen);
void rc_conn_close(rc_conn *c);
void rc_conn_free(rc_conn *c);
bool rc_conn_is_open(const rc_conn *c);

/* Appends one command (argc arguments, binary-safe) to the connection's output. */
int rc_conn_cmd(rc_conn *c, int argc, const char *const *argv, const size_t *lens);
/* Appends already formatted RESP bytes. */
int rc_conn_raw(rc_conn *c, const uint8_t *b, size_t n);
/* Writes the output before deadline_ms: 0, or -1 with err (the connection is closed). */
int rc_conn_flush(rc_conn *c, uint64_t deadline_ms, char *err, size_t errlen);
/* The next reply, before deadline_ms (the caller frees it with freeReplyObject). NULL with
 * err: the connection is closed. */
redisReply *rc_conn_reply(rc_conn *c, uint64_t deadline_ms, char *err, size_t errlen);

/* v in decimal / lower-case hexadecimal at out (room for 20 / 16 digits); returns the digits
 * written (no NUL). The hot path's printf without printf. */
size_t rc_put_dec(char *out, uint64_t v);
size_t rc_put_hex(char *out, uint64_t v);

/* Formats a RESP command into out (cap bytes); returns its length, or 0 when it does not fit. */
size_t rc_format(uint8_t *out, size_t cap, int argc, const char *const *argv, const size_t *lens);

/* ---- the client: nodes, slots, exchanges (rc_client.c) ----------------------------------- */

#define RC_SLOTS 16384

/* The key slot of a key (Redis Cluster specification: CRC16 XMODEM of the hash tag). */
uint16_t rc_key_slot(const char *key, size_t len);

/* One command of an exchange. */
typedef struct {
    uint16_t slot;
    uint32_t off, len; /* its RESP bytes in the exchange's buffer */
    redisReply *reply; /* after rc_exchange: the reply, or NULL (not answered) */
    /* internal */
    int node;
    uint8_t redirects;
    bool asking;
} rc_req;

typedef struct {
    uint8_t *buf; /* every command's RESP bytes */
    size_t len, cap;
    rc_req *req;
    size_t n, ncap;
} rc_batch;

typedef struct rc_client rc_client;

typedef struct {
    uint64_t round_trips, commands, moved, ask, slot_refreshes, reconnects;
} rc_stats;

/*
 * Connects to the first of seeds[0..n) that answers and learns whether it is a cluster
 * (CLUSTER SLOTS) and its masters, then connects to every master; TLS and AUTH as cfg
 * says (auth is borrowed: it must outlive the client). NULL with err. Blocks at most
 * cfg->timeout_ms per node tried.
 */
rc_client *rc_client_new(const ssgw_state_config *cfg, const rc_auth *auth,
                         const ssgw_state_node *seeds, size_t n, char *err, size_t errlen);
void rc_client_free(rc_client *c);
/* The nodes it knows (to seed the next client after a failure); returns how many. */
size_t rc_client_known(const rc_client *c, ssgw_state_node *out, size_t cap);
bool rc_client_is_cluster(const rc_client *c);
size_t rc_client_nodes(const rc_client *c);
void rc_client_stats(const rc_client *c, rc_stats *out);
/* Sends one command to every master and reads the replies (SCRIPT LOAD). 0, or -1 with err
 * (also when a master answered with an error). */
int rc_client_each_master(rc_client *c, int argc, const char *const *argv, const size_t *lens,
                          char *err, size_t errlen);

void rc_batch_init(rc_batch *b);
void rc_batch_free(rc_batch *b);
/* Drops every command and frees the replies of the last exchange. */
void rc_batch_clear(rc_batch *b);
/* Adds a command routed by the key argv[key_arg]. Returns its index, or -1 (no memory). */
int rc_batch_add(rc_batch *b, int key_arg, int argc, const char *const *argv, const size_t *lens);
/* Adds already formatted bytes for slot. */
int rc_batch_add_raw(rc_batch *b, uint16_t slot, const uint8_t *cmd, size_t len);

/*
 * Sends every command of b (to the master of its slot) and reads every reply, following
 * MOVED and ASK, in about one round trip. Returns 0 when every command was
 * answered (a reply may still be a Redis error: the caller looks), or -1 with err when a
 * node could not be reached or the cluster refused (CLUSTERDOWN, TRYAGAIN, LOADING,
 * MASTERDOWN...): the commands without a reply have reply == NULL, and their connection
 * is closed (rc_client_reconnect mends it).
 */
int rc_exchange(rc_client *c, rc_batch *b, char *err, size_t errlen);

#endif
