/*
 * http.c - the embedded HTTP server (include/ssgw/http.h) over libmicrohttpd.
 *
 * libmicrohttpd parses HTTP and multiplexes connections on epoll, on its own
 * thread or on the caller's loop; this file owns the listening socket (a
 * numeric address, port 0 allowed), sets the shared limits, gathers a
 * request's body before the one handler sees it, and turns "nothing to send
 * yet" in a stream into a suspended connection (MHD_suspend_connection) that
 * ssgw_http_wake resumes, so a Server-Sent Events client costs no thread and
 * no busy loop. Streams are kept in a list under a mutex because wake may be
 * called from another thread than the server's. With TLS, the certificate and
 * key are checked first (tls.c) and the server asks clients for a certificate
 * when client CAs are given (judged per request by certs.c).
 */
#include "ssgw/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/crypto.h>

#include "http/http_int.h"

typedef struct stream {
    ssgw_http *h;
    struct MHD_Connection *c;
    ssgw_http_stream_fn fn;
    void (*done)(void *ctx);
    void *ctx;
    bool suspended;
    struct stream *prev, *next;
} stream;

struct ssgw_http {
    struct MHD_Daemon *d;
    int fd; /* the listening socket (MHD closes it) */
    uint16_t port;
    bool tls, own_thread;
    size_t max_request;
    ssgw_http_handler fn;
    void *ctx;
    pthread_mutex_t lock; /* streams */
    stream *streams;
    unsigned n_streams;
    uint64_t wake_gen; /* ssgw_http_wake calls so far */
    bool closing;
    long long not_after; /* TLS: the earliest notAfter of the chain */
    char *cert, *trust;  /* PEM texts handed to MHD (the key is wiped once it started) */
};

struct ssgw_http_req {
    ssgw_http *h;
    struct MHD_Connection *c;
    const char *method, *path;
    char *body;
    size_t len;
    bool too_big, answered;
    char client[64];
};

static const struct {
    unsigned code;
    const char *text;
} reasons[] = {
    {200, "OK"},
    {202, "Accepted"},
    {204, "No Content"},
    {304, "Not Modified"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {409, "Conflict"},
    {413, "Content Too Large"},
    {415, "Unsupported Media Type"},
    {422, "Unprocessable Content"},
    {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"},
    {500, "Internal Server Error"},
    {503, "Service Unavailable"},
};

const char *ssgw_http_reason(unsigned status)
{
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].code == status) return reasons[i].text;
    return "Unknown";
}

/* ---- requests --------------------------------------------------------------------- */

static const char *client_text(struct MHD_Connection *c, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    if (!ci || !ci->client_addr) return out;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)cap);
    return out;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    ssgw_http *h = cls;
    ssgw_http_req *r = *con_cls;
    if (!r) {
        if (!(r = calloc(1, sizeof *r))) return MHD_NO;
        r->h = h;
        r->c = c;
        r->method = method;
        r->path = url;
        *con_cls = r;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > h->max_request) r->too_big = true;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->too_big && r->len + *upload_size <= h->max_request) {
            char *b = realloc(r->body, r->len + *upload_size + 1);
            if (!b) return MHD_NO;
            memcpy(b + r->len, upload, *upload_size);
            r->body = b;
            r->len += *upload_size;
            b[r->len] = '\0';
        } else {
            r->too_big = true;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->answered) return MHD_YES;
    if (r->too_big) {
        char d[80];
        snprintf(d, sizeof d, "a request body is at most %zu bytes", h->max_request);
        ssgw_http_respond_text(r, 413, d, "Connection: close\r\n");
    } else {
        h->fn(h->ctx, r);
        if (!r->answered) ssgw_http_respond_text(r, 500, "no answer", NULL);
    }
    return r->answered ? MHD_YES : MHD_NO;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    ssgw_http_req *r = *con_cls;
    if (!r) return;
    free(r->body);
    free(r);
    *con_cls = NULL;
}

const char *ssgw_http_method(const ssgw_http_req *r)
{
    return r->method;
}
const char *ssgw_http_path(const ssgw_http_req *r)
{
    return r->path;
}
const char *ssgw_http_header(const ssgw_http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, name);
}
const char *ssgw_http_query(const ssgw_http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, name);
}
const char *ssgw_http_body(const ssgw_http_req *r, size_t *len)
{
    if (len) *len = r->len;
    return r->body ? r->body : "";
}
const char *ssgw_http_client(const ssgw_http_req *r)
{
    if (!r->client[0]) client_text(r->c, ((ssgw_http_req *)r)->client, sizeof r->client);
    return r->client;
}

/* ---- answers ---------------------------------------------------------------------- */

static int add_headers(struct MHD_Response *resp, const char *ctype, const char *extra)
{
    if (ctype && MHD_add_response_header(resp, "Content-Type", ctype) != MHD_YES) return -1;
    for (const char *p = extra; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        const char *colon = strchr(p, ':');
        if (!eol || !colon || colon > eol) return -1;
        char name[64], value[512];
        size_t nl = (size_t)(colon - p), vl;
        const char *v = colon + 1;
        while (*v == ' ')
            v++;
        vl = (size_t)(eol - v);
        if (nl >= sizeof name || vl >= sizeof value) return -1;
        memcpy(name, p, nl);
        name[nl] = '\0';
        memcpy(value, v, vl);
        value[vl] = '\0';
        if (MHD_add_response_header(resp, name, value) != MHD_YES) return -1;
        p = eol + 2;
    }
    return 0;
}

static int queue(ssgw_http_req *r, unsigned status, struct MHD_Response *resp, const char *ctype,
                 const char *extra)
{
    if (!resp) return -1;
    int rc = -1;
    if (add_headers(resp, ctype, extra) == 0 && MHD_queue_response(r->c, status, resp) == MHD_YES)
        rc = 0;
    MHD_destroy_response(resp);
    r->answered = rc == 0;
    return rc;
}

int ssgw_http_respond(ssgw_http_req *r, unsigned status, const char *content_type, const void *body,
                      size_t len, const char *extra)
{
    if (r->answered) return -1;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
    return queue(r, status, resp, content_type, extra);
}

int ssgw_http_respond_text(ssgw_http_req *r, unsigned status, const char *detail, const char *extra)
{
    char b[600];
    int n = snprintf(b, sizeof b, "%u %s%s%s\n", status, ssgw_http_reason(status),
                     detail ? ": " : "", detail ? detail : "");
    if (n < 0) return -1;
    if ((size_t)n >= sizeof b) n = (int)sizeof b - 1;
    return ssgw_http_respond(r, status, "text/plain; charset=utf-8", b, (size_t)n, extra);
}

/* ---- streams ---------------------------------------------------------------------- */

static void stream_unlink(stream *s)
{
    ssgw_http *h = s->h;
    if (s->prev)
        s->prev->next = s->next;
    else
        h->streams = s->next;
    if (s->next) s->next->prev = s->prev;
    h->n_streams--;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    stream *s = cls;
    ssgw_http *h = s->h;
    for (;;) {
        if (h->closing) return MHD_CONTENT_READER_END_OF_STREAM;
        pthread_mutex_lock(&h->lock);
        uint64_t gen = h->wake_gen;
        pthread_mutex_unlock(&h->lock);
        long n = s->fn(s->ctx, buf, max);
        if (n < 0) return MHD_CONTENT_READER_END_OF_STREAM;
        if (n > 0) return (ssize_t)n;
        /* nothing: wait suspended, unless a wake came while fn looked (it would be lost) */
        pthread_mutex_lock(&h->lock);
        bool woken = h->wake_gen != gen;
        if (!woken) {
            s->suspended = true;
            MHD_suspend_connection(s->c);
        }
        pthread_mutex_unlock(&h->lock);
        if (!woken) return 0;
    }
}

static void stream_free(void *cls)
{
    stream *s = cls;
    ssgw_http *h = s->h;
    pthread_mutex_lock(&h->lock);
    stream_unlink(s);
    pthread_mutex_unlock(&h->lock);
    if (s->done) s->done(s->ctx);
    free(s);
}

int ssgw_http_respond_stream(ssgw_http_req *r, unsigned status, const char *content_type,
                             ssgw_http_stream_fn fn, void (*done)(void *ctx), void *ctx)
{
    stream *s = r->answered ? NULL : calloc(1, sizeof *s);
    if (!s) {
        if (done) done(ctx);
        return -1;
    }
    ssgw_http *h = r->h;
    *s = (stream){.h = h, .c = r->c, .fn = fn, .done = done, .ctx = ctx};
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, s, stream_free);
    if (!resp) {
        free(s);
        if (done) done(ctx);
        return -1;
    }
    pthread_mutex_lock(&h->lock);
    s->next = h->streams;
    if (h->streams) h->streams->prev = s;
    h->streams = s;
    h->n_streams++;
    pthread_mutex_unlock(&h->lock);
    /* on failure MHD destroys the response, which calls stream_free (and done) */
    return queue(r, status, resp, content_type, "Cache-Control: no-cache\r\n");
}

void ssgw_http_wake(ssgw_http *h)
{
    if (!h) return;
    pthread_mutex_lock(&h->lock);
    h->wake_gen++;
    for (stream *s = h->streams; s; s = s->next)
        if (s->suspended) {
            s->suspended = false;
            MHD_resume_connection(s->c);
        }
    pthread_mutex_unlock(&h->lock);
}

unsigned ssgw_http_streams(const ssgw_http *h)
{
    pthread_mutex_lock(&((ssgw_http *)h)->lock);
    unsigned n = h->n_streams;
    pthread_mutex_unlock(&((ssgw_http *)h)->lock);
    return n;
}

/* ---- the server ------------------------------------------------------------------- */

static int listen_on(const ssgw_http_config *cfg, uint16_t *bound, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    socklen_t sl;
    if (inet_pton(AF_INET, cfg->host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons(cfg->port);
        sl = sizeof *a4;
    } else if (inet_pton(AF_INET6, cfg->host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons(cfg->port);
        sl = sizeof *a6;
    } else {
        snprintf(err, errlen, "listen '%s': not a numeric IPv4 or IPv6 address", cfg->host);
        return -1;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 64) < 0) {
        snprintf(err, errlen, "listen %s%s%s:%u: %s", ss.ss_family == AF_INET6 ? "[" : "",
                 cfg->host, ss.ss_family == AF_INET6 ? "]" : "", cfg->port, strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    *bound = ntohs(ss.ss_family == AF_INET ? a4->sin_port : a6->sin6_port);
    return fd;
}

/* TLS 1.2 and 1.3 only (RFC 8996 retired 1.0 and 1.1); GnuTLS's NORMAL ciphers otherwise */
static const char tls_priorities[] = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";

/* Reads and checks the TLS material of cfg into h (the key into *key, to be wiped). */
static int load_tls(ssgw_http *h, const ssgw_http_config *cfg, char **key, size_t *key_len,
                    char *err, size_t errlen)
{
    size_t cert_len, n = 0;
    if (!(h->cert = http_pem_read("tls_cert", cfg->tls_cert, false, &cert_len, err, errlen)) ||
        !(*key = http_pem_read("tls_key", cfg->tls_key, true, key_len, err, errlen)) ||
        http_tls_check(cfg->tls_cert, h->cert, cert_len, cfg->tls_key, *key, *key_len,
                       &h->not_after, err, errlen) < 0)
        return -1;
    /* the CAs of the client certificate request: one PEM text of every file */
    for (const char *const *ca = cfg->client_ca; ca && *ca; ca++) {
        size_t len;
        gnutls_x509_crt_t *crts;
        char *pem = http_pem_read("client_ca", *ca, false, &len, err, errlen);
        int k = pem ? http_pem_crts("client_ca", *ca, pem, len, false, &crts, err, errlen) : -1;
        char *all = k < 0 ? NULL : realloc(h->trust, n + len + 2);
        if (k >= 0) http_crts_free(crts, k);
        if (!all) {
            if (k >= 0) snprintf(err, errlen, "out of memory");
            free(pem);
            return -1;
        }
        memcpy(all + n, pem, len);
        n += len;
        all[n++] = '\n';
        all[n] = '\0';
        h->trust = all;
        free(pem);
    }
    return 0;
}

ssgw_http *ssgw_http_new(const ssgw_http_config *cfg, ssgw_http_handler fn, void *ctx, char *err,
                         size_t errlen)
{
    if (!cfg->tls_cert != !cfg->tls_key) {
        snprintf(err, errlen, "TLS needs both a certificate and a key");
        return NULL;
    }
    if (cfg->client_ca && cfg->client_ca[0] && !cfg->tls_cert) {
        snprintf(err, errlen, "client certificates need TLS (a certificate and a key)");
        return NULL;
    }
    ssgw_http *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&h->lock, NULL);
    h->fn = fn;
    h->ctx = ctx;
    h->own_thread = cfg->own_thread;
    h->max_request = cfg->max_request ? cfg->max_request : 16384;
    char *key = NULL;
    size_t key_len = 0;
    int fd = -1;
    if (cfg->tls_cert) {
        h->tls = true;
        if (load_tls(h, cfg, &key, &key_len, err, errlen) < 0) goto fail;
    }
    fd = listen_on(cfg, &h->port, err, errlen);
    if (fd < 0) goto fail;
    unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
    if (cfg->own_thread) flags |= MHD_USE_INTERNAL_POLLING_THREAD;
    if (h->tls) flags |= MHD_USE_TLS;
    /* the pool holds the request line, the headers and the read buffer: a request whose
     * headers do not fit gets 431 */
    size_t pool = h->max_request < 8192 ? 8192 : h->max_request;
    struct MHD_OptionItem tls_opts[] = {
        {h->tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, key},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, h->cert},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)(uintptr_t)tls_priorities},
        /* a CertificateRequest naming these CAs; the handshake does not require one */
        {h->trust ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0, h->trust},
        {MHD_OPTION_END, 0, NULL},
    };
    h->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, h, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)(cfg->max_connections ? cfg->max_connections : 64),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(cfg->max_per_ip ? cfg->max_per_ip : 16),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(cfg->timeout_s ? cfg->timeout_s : 10),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool, MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
        MHD_OPTION_ARRAY, tls_opts, MHD_OPTION_END);
    if (!h->d) {
        snprintf(err, errlen, "listen %s:%u: the HTTP server did not start%s", cfg->host, h->port,
                 h->tls ? " (GnuTLS refused the certificate, the key or a client_ca)" : "");
        goto fail;
    }
    /* GnuTLS holds its own copy of the key now */
    if (key) OPENSSL_cleanse(key, key_len);
    free(key);
    h->fd = fd;
    return h;
fail:
    if (fd >= 0) close(fd);
    if (key) OPENSSL_cleanse(key, key_len);
    free(key);
    ssgw_http_free(h);
    return NULL;
}

void ssgw_http_free(ssgw_http *h)
{
    if (!h) return;
    if (h->d) {
        pthread_mutex_lock(&h->lock);
        h->closing = true;
        pthread_mutex_unlock(&h->lock);
        ssgw_http_wake(h); /* MHD must not be stopped with suspended connections */
        if (!h->own_thread) MHD_run(h->d);
        MHD_stop_daemon(h->d); /* closes the listening socket too */
    }
    pthread_mutex_destroy(&h->lock);
    free(h->cert);
    free(h->trust);
    free(h);
}

uint16_t ssgw_http_port(const ssgw_http *h)
{
    return h->port;
}
bool ssgw_http_tls(const ssgw_http *h)
{
    return h->tls;
}
long long ssgw_http_tls_not_after(const ssgw_http *h)
{
    return h->tls ? h->not_after : 0;
}

void *http_req_tls_session(const ssgw_http_req *r)
{
    if (!r->h->tls) return NULL;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    return ci ? ci->tls_session : NULL;
}

int ssgw_http_poll_fd(const ssgw_http *h)
{
    if (h->own_thread) return -1;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD);
    return di ? di->epoll_fd : -1;
}

void ssgw_http_run(ssgw_http *h)
{
    MHD_run(h->d);
}

long ssgw_http_timeout_ms(ssgw_http *h)
{
    MHD_UNSIGNED_LONG_LONG t;
    if (MHD_get_timeout(h->d, &t) != MHD_YES) return -1;
    return t > 60000 ? 60000 : (long)t;
}
