/*
 * cmd_serve.c - `tsca serve`: publishes the current trust bundle over HTTP/1.1
 * (RFC 9110/9112), or HTTPS with a certificate: GET or HEAD /bundle, a strong
 * ETag (the SHA-256 of the file, RFC 9110 8.8.3) and If-None-Match -> 304
 * (RFC 9110 13.1.2). The file is re-read whenever it changes on disk.
 *
 * The server is the project's embedded one (include/ssgw/http.h, libmicrohttpd)
 * on a thread of its own: connections are served concurrently without blocking
 * each other, so a client that trickles its request a byte at a time holds one
 * connection slot (until it goes idle for timeout_s) and never delays the
 * bundle for anyone else. Limits come from DIR/tsca.conf [serve] or the
 * options. The bundle is signed, so the transport needs no integrity of its own.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "ssgw/ca.h"
#include "ssgw/cfg.h"
#include "ssgw/file.h"
#include "ssgw/http.h"
#include "ssgw/log.h"
#include "ssgw_version.h"

#include "cmd.h"

struct served {
    char path[1100];
    char *data;
    size_t len;
    char etag[80];
    struct stat st; /* of the loaded version */
    bool loaded;
    pthread_mutex_t lock;
    long max_requests;
    atomic_long requests;
    int done_fd; /* eventfd: max_requests reached */
};

/* Reloads the file when its inode, size or mtime changed. Returns 0 when a bundle is served.
 * Under s->lock. */
static int refresh(struct served *s)
{
    struct stat st;
    if (stat(s->path, &st) < 0) return s->loaded ? 0 : -1;
    if (s->loaded && st.st_ino == s->st.st_ino && st.st_size == s->st.st_size &&
        st.st_mtim.tv_sec == s->st.st_mtim.tv_sec && st.st_mtim.tv_nsec == s->st.st_mtim.tv_nsec)
        return 0;
    char *d;
    size_t n;
    char err[300];
    if (ssgw_file_read(s->path, 64u << 20, &d, &n, err, sizeof err) < 0) {
        ssgw_log(SSGW_LOG_ERR, "%s%s", err, s->loaded ? " (serving the last good copy)" : "");
        return s->loaded ? 0 : -1; /* keep serving the last good copy */
    }
    unsigned char md[32];
    unsigned ml;
    char hex[65];
    EVP_Digest(d, n, md, &ml, EVP_sha256(), NULL);
    free(s->data);
    s->data = d;
    s->len = n;
    s->st = st;
    s->loaded = true;
    snprintf(s->etag, sizeof s->etag, "\"%s\"", ssgw_hex(md, 32, hex, sizeof hex));
    ssgw_log(SSGW_LOG_NOTICE, "loaded %s (%zu bytes, etag %s)", s->path, n, s->etag);
    return 0;
}

/* True when the If-None-Match list (RFC 9110 13.1.2) matches etag. */
static bool inm_matches(const char *v, const char *etag)
{
    size_t el = strlen(etag);
    while (*v) {
        while (*v == ' ' || *v == ',' || *v == '\t')
            v++;
        if (*v == '*') return true;
        if (!strncmp(v, "W/", 2)) v += 2; /* weak comparison for If-None-Match */
        const char *e = v;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > v && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        if ((size_t)(t - v) == el && !strncmp(v, etag, el)) return true;
        v = e;
    }
    return false;
}

static void answer(struct served *s, ssgw_http_req *r)
{
    const char *path = ssgw_http_path(r), *method = ssgw_http_method(r);
    if (strcmp(path, "/bundle") && strcmp(path, "/bundle.pem")) {
        ssgw_http_respond_text(r, 404, NULL, NULL);
        return;
    }
    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        ssgw_http_respond_text(r, 405, NULL, "Allow: GET, HEAD\r\n");
        return;
    }
    pthread_mutex_lock(&s->lock);
    if (refresh(s) < 0) {
        pthread_mutex_unlock(&s->lock);
        ssgw_http_respond_text(r, 503, "no bundle published yet", "Retry-After: 60\r\n");
        return;
    }
    char extra[256];
    snprintf(extra, sizeof extra, "ETag: %s\r\nCache-Control: no-cache\r\n", s->etag);
    const char *inm = ssgw_http_header(r, "If-None-Match");
    if (inm && inm_matches(inm, s->etag))
        ssgw_http_respond(r, 304, NULL, "", 0, extra);
    else
        ssgw_http_respond(r, 200, "application/pkcs7-mime", s->data, s->len, extra);
    pthread_mutex_unlock(&s->lock);
}

static void on_request(void *ctx, ssgw_http_req *r)
{
    struct served *s = ctx;
    answer(s, r);
    long n = atomic_fetch_add(&s->requests, 1) + 1;
    if (s->max_requests && n == s->max_requests) {
        uint64_t one = 1;
        if (write(s->done_fd, &one, sizeof one) < 0) { /* the main thread stops on it */
        }
    }
}

/* A path from tsca.conf: relative to DIR. */
static void conf_path(const char *dir, const char *p, char *out, size_t cap)
{
    if (p[0] == '/' || !dir)
        snprintf(out, cap, "%s", p);
    else
        snprintf(out, cap, "%s/%s", dir, p);
}

int cmd_serve(int argc, char **argv)
{
    static const char help[] =
        "usage: tsca serve DIR|BUNDLE [--listen ADDR:PORT] [--tls-cert PEM --tls-key PEM]\n"
        "                  [--max-connections N] [--timeout S] [--max-requests N]\n"
        "                  [--log DEST] [--log-level LEVEL]\n"
        "Serves the bundle file (BUNDLE, or DIR/current.bundle) at GET /bundle over\n"
        "HTTP/1.1 (HTTPS, TLS 1.2/1.3, with --tls-cert/--tls-key: a chain in date, and a key\n"
        "file of mode 0600 or 0640, checked before listening) with ETag = SHA-256 of the file;\n"
        "If-None-Match gives 304. The file is re-read when it changes. Connections are\n"
        "served concurrently; one idle for --timeout seconds is closed. Defaults come\n"
        "from DIR/tsca.conf [serve] (docs/tsca.md). ADDR is a numeric IPv4/IPv6\n"
        "address; PORT 0 picks a free port. Prints 'listening on ADDR:PORT'. Stops on\n"
        "SIGINT/SIGTERM or after N requests.\n"
        "Logs (docs/operations.md \"Logs\"): --log auto (default: the journal under systemd,\n"
        "else stderr), stderr, journald, syslog, syslog:/PATH, syslog:HOST:PORT;\n"
        "--log-level err, warning, notice, info (default), debug.\n";
    const char *listen_at = NULL, *maxr = "0", *cert = NULL, *key = NULL, *maxc = NULL,
               *timeout = NULL, *log_dest = "auto", *log_level = "info";
    const struct tsca_opt opts[] = {
        {"listen", &listen_at, NULL}, {"max-requests", &maxr, NULL},    {"tls-cert", &cert, NULL},
        {"tls-key", &key, NULL},      {"max-connections", &maxc, NULL}, {"timeout", &timeout, NULL},
        {"log", &log_dest, NULL},     {"log-level", &log_level, NULL},  {NULL, NULL, NULL}};
    const char *pos[1];
    int npos;
    int pr = tsca_parse(argc, argv, opts, pos, 1, &npos, help);
    if (pr) return pr > 0 ? 0 : 2;
    if (npos != 1) {
        fputs(help, stderr);
        return 2;
    }
    ssgw_log_config lc = {.ident = "tsca", .target = log_dest, .version = SSGW_VERSION};
    char lerr[300];
    if (ssgw_log_level_parse(log_level, &lc.level) < 0) {
        fprintf(stderr,
                "tsca serve: --log-level '%s': expected err, warning, notice, info or "
                "debug\n",
                log_level);
        return 2;
    }
    if (ssgw_log_configure(&lc, lerr, sizeof lerr) < 0) {
        fprintf(stderr, "tsca serve: --log '%s': %s\n", log_dest, lerr);
        return 2;
    }
    static struct served s;
    memset(&s, 0, sizeof s);
    pthread_mutex_init(&s.lock, NULL);
    if (tsca_parse_int("--max-requests", maxr, 0, 1000000000, &s.max_requests)) return 2;
    struct stat st;
    bool is_dir = stat(pos[0], &st) == 0 && S_ISDIR(st.st_mode);
    ssgw_ca_config conf;
    memset(&conf, 0, sizeof conf);
    conf.serve_max_connections = 256;
    conf.serve_max_per_ip = 32;
    conf.serve_timeout_s = 10;
    char err[4096];
    if (is_dir) {
        char cpath[1100];
        snprintf(cpath, sizeof cpath, "%s/tsca.conf", pos[0]);
        snprintf(s.path, sizeof s.path, "%s/current.bundle", pos[0]);
        if (access(cpath, F_OK) == 0 && ssgw_ca_config_load(pos[0], &conf, err, sizeof err) < 0) {
            fprintf(stderr, "tsca serve: %s\n", err);
            return 2;
        }
    } else {
        snprintf(s.path, sizeof s.path, "%s", pos[0]);
    }
    if (!listen_at) listen_at = conf.serve_listen[0] ? conf.serve_listen : NULL;
    if (!listen_at) {
        fprintf(stderr, "tsca serve: --listen ADDR:PORT is required (or [serve] listen in "
                        "DIR/tsca.conf)\n");
        return 2;
    }
    long v;
    if (maxc) {
        if (tsca_parse_int("--max-connections", maxc, 1, 10000, &v)) return 2;
        conf.serve_max_connections = (int)v;
    }
    if (timeout) {
        if (tsca_parse_int("--timeout", timeout, 1, 3600, &v)) return 2;
        conf.serve_timeout_s = (int)v;
    }
    char certp[1100] = "", keyp[1100] = "";
    if (cert)
        snprintf(certp, sizeof certp, "%s", cert);
    else if (conf.serve_tls_cert[0])
        conf_path(pos[0], conf.serve_tls_cert, certp, sizeof certp);
    if (key)
        snprintf(keyp, sizeof keyp, "%s", key);
    else if (conf.serve_tls_key[0])
        conf_path(pos[0], conf.serve_tls_key, keyp, sizeof keyp);

    ssgw_http_config hc = {.max_connections = (unsigned)conf.serve_max_connections,
                           .max_per_ip = (unsigned)conf.serve_max_per_ip,
                           .timeout_s = (unsigned)conf.serve_timeout_s,
                           .max_request = 8192,
                           .tls_cert = certp[0] ? certp : NULL,
                           .tls_key = keyp[0] ? keyp : NULL,
                           .own_thread = true};
    /* "0" as the port is allowed here (a free port); the parser wants 1..65535 */
    char host[128];
    const char *colon = strrchr(listen_at, ':');
    long port;
    if (!colon || (size_t)(colon - listen_at) >= sizeof host) {
        fprintf(stderr, "tsca serve: --listen '%s': expected ADDR:PORT\n", listen_at);
        return 2;
    }
    if (tsca_parse_int("--listen port", colon + 1, 0, 65535, &port)) return 2;
    memcpy(host, listen_at, (size_t)(colon - listen_at));
    host[colon - listen_at] = '\0';
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = '\0';
    }
    snprintf(hc.host, sizeof hc.host, "%s", host);
    hc.port = (uint16_t)port;

    /* signals go to the main thread only: block them before the server's thread starts */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    int sfd = signalfd(-1, &set, SFD_CLOEXEC);
    s.done_fd = eventfd(0, EFD_CLOEXEC);
    if (sfd < 0 || s.done_fd < 0) {
        ssgw_log(SSGW_LOG_ERR, "%s", strerror(errno));
        return 1;
    }
    pthread_mutex_lock(&s.lock);
    if (refresh(&s) < 0)
        ssgw_log(SSGW_LOG_WARNING, "%s: no bundle yet (503 until it exists)", s.path);
    pthread_mutex_unlock(&s.lock);
    ssgw_http *h = ssgw_http_new(&hc, on_request, &s, err, sizeof err);
    if (!h) {
        ssgw_log(SSGW_LOG_ERR, "%s", err);
        return 1;
    }
    if (ssgw_http_tls(h)) {
        time_t until = (time_t)ssgw_http_tls_not_after(h);
        struct tm tm;
        char t[40] = "?";
        if (gmtime_r(&until, &tm)) strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
        ssgw_log(SSGW_LOG_NOTICE, "HTTPS with %s (valid until %s)", certp, t);
    }
    printf("listening on %s:%u\n", host, ssgw_http_port(h));
    ssgw_log(SSGW_LOG_NOTICE, "OpenSSGW %s: serving %s on %s:%u", SSGW_VERSION_FULL, s.path, host,
             ssgw_http_port(h));
    fflush(stdout);
    struct pollfd pf[2] = {{sfd, POLLIN, 0}, {s.done_fd, POLLIN, 0}};
    while (poll(pf, 2, -1) < 0 && errno == EINTR) {
    }
    ssgw_http_free(h);
    ssgw_log(SSGW_LOG_NOTICE, "stopped");
    close(sfd);
    close(s.done_fd);
    free(s.data);
    pthread_mutex_destroy(&s.lock);
    return 0;
}
