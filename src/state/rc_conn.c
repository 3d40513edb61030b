/*
 * rc_conn.c - one connection to a Redis node (src/state/rc.h): TCP connect with a
 * deadline on a non-blocking socket, TLS over it with OpenSSL (hiredis 0.14 has none),
 * AUTH, commands formatted as RESP arrays of bulk strings straight into the output buffer,
 * and replies parsed by hiredis' reader. Every wait is a poll() bounded by the caller's
 * deadline, so a node that stops answering costs at most [state] timeout_ms.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "state/rc.h"

uint64_t rc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- credentials and TLS -------------------------------------------------------------- */

static int read_secret(const char *path, char *out, size_t cap, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "[state] password_file %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || (st.st_mode & 077) || st.st_uid != geteuid()) {
        close(fd);
        snprintf(err, errlen,
                 "[state] password_file %s: must belong to this user and be readable by it only "
                 "(chmod 600), found mode %03o",
                 path, (unsigned)(st.st_mode & 0777));
        return -1;
    }
    ssize_t n = read(fd, out, cap - 1);
    close(fd);
    if (n < 0) {
        snprintf(err, errlen, "[state] password_file %s: %s", path, strerror(errno));
        return -1;
    }
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        n--;
    out[n] = '\0';
    if (n == 0 || (size_t)n == cap - 1) {
        snprintf(err, errlen, "[state] password_file %s: expected one line of 1 to %zu characters",
                 path, cap - 2);
        return -1;
    }
    return 0;
}

static int tls_error(const char *what, const char *path, char *err, size_t errlen)
{
    char e[160];
    ERR_error_string_n(ERR_get_error(), e, sizeof e);
    snprintf(err, errlen, "[state] %s %s: %s", what, path, e);
    return -1;
}

int rc_auth_init(rc_auth *a, const ssgw_state_config *cfg, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    a->user = cfg->user;
    a->server_name = cfg->tls_server_name;
    a->timeout_ms = cfg->timeout_ms;
    if (cfg->password_file[0]) {
        if (read_secret(cfg->password_file, a->password, sizeof a->password, err, errlen) < 0)
            return -1;
        a->has_password = true;
    }
    if (!cfg->tls) return 0;
    a->tls = SSL_CTX_new(TLS_client_method());
    if (!a->tls) return tls_error("tls", "", err, errlen);
    SSL_CTX_set_min_proto_version(a->tls, TLS1_2_VERSION);
    SSL_CTX_set_verify(a->tls, SSL_VERIFY_PEER, NULL);
    if (cfg->tls_ca[0] ? SSL_CTX_load_verify_locations(a->tls, cfg->tls_ca, NULL) != 1
                       : SSL_CTX_set_default_verify_paths(a->tls) != 1) {
        tls_error("tls_ca", cfg->tls_ca, err, errlen);
        rc_auth_free(a);
        return -1;
    }
    if (cfg->tls_cert[0]) {
        struct stat st;
        if (!cfg->tls_key[0] || stat(cfg->tls_key, &st) < 0 || (st.st_mode & 077)) {
            snprintf(err, errlen,
                     "[state] tls_key %s: needed with tls_cert, and readable by this user only "
                     "(chmod 600)",
                     cfg->tls_key);
            rc_auth_free(a);
            return -1;
        }
        if (SSL_CTX_use_certificate_chain_file(a->tls, cfg->tls_cert) != 1 ||
            SSL_CTX_use_PrivateKey_file(a->tls, cfg->tls_key, SSL_FILETYPE_PEM) != 1) {
            tls_error("tls_cert", cfg->tls_cert, err, errlen);
            rc_auth_free(a);
            return -1;
        }
    }
    return 0;
}

void rc_auth_free(rc_auth *a)
{
    if (a->tls) SSL_CTX_free(a->tls);
    OPENSSL_cleanse(a->password, sizeof a->password);
    memset(a, 0, sizeof *a);
}

/* ---- the socket ------------------------------------------------------------------------ */

void rc_conn_init(rc_conn *c, const char *host, uint16_t port)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    snprintf(c->host, sizeof c->host, "%s", host);
    c->port = port;
}

bool rc_conn_is_open(const rc_conn *c)
{
    return c->fd >= 0;
}

void rc_conn_close(rc_conn *c)
{
    if (c->ssl) {
        SSL_free(c->ssl);
        c->ssl = NULL;
    }
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    if (c->rd) redisReaderFree(c->rd);
    c->rd = NULL;
    c->out_len = 0;
}

void rc_conn_free(rc_conn *c)
{
    rc_conn_close(c);
    free(c->out);
    c->out = NULL;
    c->out_cap = 0;
}

/* Waits for events on fd until deadline: 1 ready, 0 timed out, -1 error. */
static int wait_fd(int fd, short events, uint64_t deadline_ms)
{
    for (;;) {
        uint64_t now = rc_now_ms();
        if (now >= deadline_ms) return 0;
        struct pollfd p = {fd, events, 0};
        int r = poll(&p, 1, (int)(deadline_ms - now));
        if (r > 0) return (p.revents & (POLLERR | POLLNVAL)) && !(p.revents & events) ? -1 : 1;
        if (r == 0) return 0;
        if (errno != EINTR) return -1;
    }
}

static int fail(rc_conn *c, char *err, size_t errlen, const char *what, const char *why)
{
    snprintf(err, errlen, "redis %s:%u: %s: %s", c->host, (unsigned)c->port, what, why);
    rc_conn_close(c);
    return -1;
}

static int tcp_connect(rc_conn *c, uint64_t deadline_ms, char *err, size_t errlen)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    char port[8];
    snprintf(port, sizeof port, "%u", (unsigned)c->port);
    int gai = getaddrinfo(c->host, port, &hints, &res);
    if (gai != 0) return fail(c, err, errlen, "address", gai_strerror(gai));
    const char *why = "no address";
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            why = strerror(errno);
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS) {
            why = strerror(errno);
            close(fd);
            continue;
        }
        int w = wait_fd(fd, POLLOUT, deadline_ms), so = 0;
        socklen_t sl = sizeof so;
        if (w <= 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &sl) < 0 || so) {
            why = w == 0 ? "timed out" : strerror(so ? so : errno);
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->fd = fd;
        break;
    }
    freeaddrinfo(res);
    return c->fd >= 0 ? 0 : fail(c, err, errlen, "connect", why);
}

/* One step of a non-blocking TLS call: 1 retry after waiting, 0 done, -1 error. */
static int tls_wait(rc_conn *c, int r, uint64_t deadline_ms)
{
    int e = SSL_get_error(c->ssl, r);
    short ev = e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
    if (!ev) return -1;
    return wait_fd(c->fd, ev, deadline_ms) == 1 ? 1 : -1;
}

static int tls_connect(rc_conn *c, const rc_auth *a, uint64_t deadline_ms, char *err, size_t errlen)
{
    c->ssl = SSL_new(a->tls);
    if (!c->ssl || SSL_set_fd(c->ssl, c->fd) != 1)
        return fail(c, err, errlen, "tls", "cannot create the session");
    const char *name = a->server_name && a->server_name[0] ? a->server_name : c->host;
    SSL_set_tlsext_host_name(c->ssl, name);
    X509_VERIFY_PARAM *vp = SSL_get0_param(c->ssl);
    if (X509_VERIFY_PARAM_set1_ip_asc(vp, name) != 1) X509_VERIFY_PARAM_set1_host(vp, name, 0);
    for (;;) {
        int r = SSL_connect(c->ssl);
        if (r == 1) return 0;
        if (tls_wait(c, r, deadline_ms) < 0) {
            char e[160];
            long v = SSL_get_verify_result(c->ssl);
            if (v != X509_V_OK)
                snprintf(e, sizeof e, "certificate: %s", X509_verify_cert_error_string(v));
            else
                ERR_error_string_n(ERR_get_error(), e, sizeof e);
            return fail(c, err, errlen, "tls handshake", e);
        }
    }
}

int rc_conn_open(rc_conn *c, const rc_auth *a, uint64_t deadline_ms, char *err, size_t errlen)
{
    rc_conn_close(c);
    if (tcp_connect(c, deadline_ms, err, errlen) < 0) return -1;
    if (a->tls && tls_connect(c, a, deadline_ms, err, errlen) < 0) return -1;
    if (!(c->rd = redisReaderCreate())) return fail(c, err, errlen, "reader", "out of memory");
    if (!a->has_password) return 0;
    const char *argv[3] = {"AUTH", a->user, a->password};
    size_t lens[3] = {4, strlen(a->user), strlen(a->password)};
    int argc = a->user[0] ? 3 : 2;
    if (argc == 2) {
        argv[1] = a->password;
        lens[1] = lens[2];
    }
    if (rc_conn_cmd(c, argc, argv, lens) < 0 || rc_conn_flush(c, deadline_ms, err, errlen) < 0)
        return -1;
    redisReply *r = rc_conn_reply(c, deadline_ms, err, errlen);
    if (!r) return -1;
    int ok = r->type == REDIS_REPLY_STATUS;
    char why[160];
    snprintf(why, sizeof why, "%.*s", r->type == REDIS_REPLY_ERROR ? (int)r->len : 0,
             r->type == REDIS_REPLY_ERROR ? r->str : "");
    freeReplyObject(r);
    return ok ? 0 : fail(c, err, errlen, "AUTH refused", why);
}

/* ---- commands -------------------------------------------------------------------------- */

size_t rc_put_dec(char *out, uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

size_t rc_put_hex(char *out, uint64_t v)
{
    static const char digits[] = "0123456789abcdef";
    char tmp[16];
    size_t n = 0;
    do {
        tmp[n++] = digits[v & 15];
        v >>= 4;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

static size_t put_len(uint8_t *o, char tag, size_t n)
{
    o[0] = (uint8_t)tag;
    size_t k = 1 + rc_put_dec((char *)o + 1, n);
    o[k++] = '\r';
    o[k++] = '\n';
    return k;
}

size_t rc_format(uint8_t *out, size_t cap, int argc, const char *const *argv, const size_t *lens)
{
    size_t need = 16;
    for (int i = 0; i < argc; i++)
        need += lens[i] + 24;
    if (need > cap) return 0;
    size_t o = put_len(out, '*', (size_t)argc);
    for (int i = 0; i < argc; i++) {
        o += put_len(out + o, '$', lens[i]);
        memcpy(out + o, argv[i], lens[i]);
        o += lens[i];
        out[o++] = '\r';
        out[o++] = '\n';
    }
    return o;
}

static int reserve(rc_conn *c, size_t more)
{
    if (c->out_len + more <= c->out_cap) return 0;
    size_t nc = c->out_cap ? c->out_cap : 4096;
    while (nc < c->out_len + more)
        nc *= 2;
    uint8_t *n = realloc(c->out, nc);
    if (!n) return -1;
    c->out = n;
    c->out_cap = nc;
    return 0;
}

int rc_conn_cmd(rc_conn *c, int argc, const char *const *argv, const size_t *lens)
{
    size_t need = 16;
    for (int i = 0; i < argc; i++)
        need += lens[i] + 24;
    if (reserve(c, need) < 0) return -1;
    c->out_len += rc_format(c->out + c->out_len, c->out_cap - c->out_len, argc, argv, lens);
    return 0;
}

int rc_conn_raw(rc_conn *c, const uint8_t *b, size_t n)
{
    if (reserve(c, n) < 0) return -1;
    memcpy(c->out + c->out_len, b, n);
    c->out_len += n;
    return 0;
}

int rc_conn_flush(rc_conn *c, uint64_t deadline_ms, char *err, size_t errlen)
{
    size_t off = 0;
    if (c->fd < 0) return fail(c, err, errlen, "write", "not connected");
    while (off < c->out_len) {
        ssize_t n;
        if (c->ssl) {
            ERR_clear_error();
            int r = SSL_write(c->ssl, c->out + off, (int)(c->out_len - off));
            if (r <= 0) {
                if (tls_wait(c, r, deadline_ms) < 0) return fail(c, err, errlen, "write", "tls");
                continue;
            }
            n = r;
        } else {
            n = send(c->fd, c->out + off, c->out_len - off, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno != EAGAIN) return fail(c, err, errlen, "write", strerror(errno));
                int w = wait_fd(c->fd, POLLOUT, deadline_ms);
                if (w <= 0) return fail(c, err, errlen, "write", w ? "error" : "timed out");
                continue;
            }
        }
        off += (size_t)n;
    }
    c->out_len = 0;
    return 0;
}

redisReply *rc_conn_reply(rc_conn *c, uint64_t deadline_ms, char *err, size_t errlen)
{
    void *reply = NULL;
    char buf[16384];
    if (c->fd < 0 || !c->rd) {
        fail(c, err, errlen, "read", "not connected");
        return NULL;
    }
    for (;;) {
        if (redisReaderGetReply(c->rd, &reply) != REDIS_OK) {
            fail(c, err, errlen, "protocol", c->rd->errstr);
            return NULL;
        }
        if (reply) return reply;
        ssize_t n;
        if (c->ssl) {
            ERR_clear_error();
            int r = SSL_read(c->ssl, buf, sizeof buf);
            if (r <= 0) {
                if (SSL_get_error(c->ssl, r) == SSL_ERROR_ZERO_RETURN ||
                    tls_wait(c, r, deadline_ms) < 0) {
                    fail(c, err, errlen, "read", rc_now_ms() >= deadline_ms ? "timed out" : "tls");
                    return NULL;
                }
                continue;
            }
            n = r;
        } else {
            n = recv(c->fd, buf, sizeof buf, 0);
            if (n == 0) {
                fail(c, err, errlen, "read", "connection closed by the server");
                return NULL;
            }
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno != EAGAIN) {
                    fail(c, err, errlen, "read", strerror(errno));
                    return NULL;
                }
                int w = wait_fd(c->fd, POLLIN, deadline_ms);
                if (w <= 0) {
                    fail(c, err, errlen, "read", w ? "error" : "timed out");
                    return NULL;
                }
                continue;
            }
        }
        if (redisReaderFeed(c->rd, buf, (size_t)n) != REDIS_OK) {
            fail(c, err, errlen, "protocol", c->rd->errstr);
            return NULL;
        }
    }
}
