/*
 * cmd_serve.c - `tsca serve`: publishes the current trust bundle over plain
 * HTTP/1.1 (RFC 9110/9112): GET or HEAD /bundle, a strong ETag (the SHA-256
 * of the file, RFC 9110 8.8.3) and If-None-Match -> 304 (RFC 9110 13.1.2).
 * One request per connection, requests capped at 8 KiB and 5 s, the file
 * re-read whenever it changes on disk. The bundle is signed, so the transport
 * needs no integrity of its own; put TLS in front if confidentiality matters.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "ssgw/ca.h"
#include "ssgw/log.h"
#include "ssgw_version.h"

#include "cmd.h"

#define REQ_MAX 8192

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

struct served {
    char path[1100];
    char *data;
    size_t len;
    char etag[80];
    struct stat st; /* of the loaded version */
    bool loaded;
};

/* Reloads the file when its inode, size or mtime changed. Returns 0 when a bundle is served. */
static int refresh(struct served *s)
{
    struct stat st;
    if (stat(s->path, &st) < 0) return -1;
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

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

static void respond(int fd, int code, const char *reason, const char *extra, const char *body,
                    size_t blen, bool head)
{
    char h[512];
    int n = snprintf(h, sizeof h,
                     "HTTP/1.1 %d %s\r\nServer: openssgw-tsca\r\nContent-Length: %zu\r\n%s"
                     "Connection: close\r\n\r\n",
                     code, reason, blen, extra ? extra : "");
    send_all(fd, h, (size_t)n);
    if (body && blen && !head) send_all(fd, body, blen);
}

static void error_page(int fd, int code, const char *reason, const char *extra)
{
    char b[128];
    int n = snprintf(b, sizeof b, "%d %s\n", code, reason);
    char x[256];
    snprintf(x, sizeof x, "Content-Type: text/plain\r\n%s", extra ? extra : "");
    respond(fd, code, reason, x, b, (size_t)n, false);
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

static void handle(int fd, struct served *s)
{
    char req[REQ_MAX + 1];
    size_t len = 0;
    char *hend = NULL;
    while (!hend) {
        if (len == REQ_MAX) {
            error_page(fd, 431, "Request Header Fields Too Large", NULL);
            return;
        }
        ssize_t r = recv(fd, req + len, REQ_MAX - len, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return; /* timeout or closed: nothing to answer */
        len += (size_t)r;
        req[len] = '\0';
        if (memchr(req, '\0', len)) {
            error_page(fd, 400, "Bad Request", NULL);
            return;
        }
        hend = strstr(req, "\r\n\r\n");
    }
    char method[16], target[256], version[16];
    char *eol = strstr(req, "\r\n");
    *eol = '\0';
    if (sscanf(req, "%15s %255s %15s", method, target, version) != 3 ||
        strncmp(version, "HTTP/1.", 7)) {
        error_page(fd, 400, "Bad Request", NULL);
        return;
    }
    bool head = !strcmp(method, "HEAD");
    if (strcmp(target, "/bundle") && strcmp(target, "/bundle.pem")) {
        error_page(fd, 404, "Not Found", NULL);
        return;
    }
    if (!head && strcmp(method, "GET")) {
        error_page(fd, 405, "Method Not Allowed", "Allow: GET, HEAD\r\n");
        return;
    }
    if (refresh(s) < 0) {
        error_page(fd, 503, "Service Unavailable", "Retry-After: 60\r\n");
        return;
    }
    /* headers: look for If-None-Match */
    const char *inm = NULL;
    for (char *p = eol + 2; p < hend;) {
        char *nl = strstr(p, "\r\n");
        if (!nl) break;
        *nl = '\0';
        if (!strncasecmp(p, "If-None-Match:", 14)) inm = p + 14;
        p = nl + 2;
    }
    char extra[256];
    snprintf(extra, sizeof extra,
             "ETag: %s\r\nContent-Type: application/pkcs7-mime\r\nCache-Control: no-cache\r\n",
             s->etag);
    if (inm && inm_matches(inm, s->etag)) {
        char e304[128];
        snprintf(e304, sizeof e304, "ETag: %s\r\n", s->etag);
        respond(fd, 304, "Not Modified", e304, NULL, 0, true);
        return;
    }
    respond(fd, 200, "OK", extra, s->data, s->len, head);
}

int cmd_serve(int argc, char **argv)
{
    static const char help[] =
        "usage: tsca serve DIR|BUNDLE --listen ADDR:PORT [--max-requests N]\n"
        "                  [--log DEST] [--log-level LEVEL]\n"
        "Serves the bundle file (BUNDLE, or DIR/current.bundle) at GET /bundle over\n"
        "HTTP/1.1 with ETag = SHA-256 of the file; If-None-Match gives 304. The file is\n"
        "re-read when it changes. ADDR is a numeric IPv4/IPv6 address; PORT 0 picks a free\n"
        "port. Prints 'listening on ADDR:PORT'. Stops on SIGINT/SIGTERM or after N requests.\n"
        "Logs (docs/operations.md \"Logs\"): --log auto (default: the journal under systemd,\n"
        "else stderr), stderr, journald, syslog, syslog:/PATH, syslog:HOST:PORT;\n"
        "--log-level err, warning, notice, info (default), debug.\n";
    const char *listen_at = NULL, *maxr = "0", *log_dest = "auto", *log_level = "info";
    const struct tsca_opt opts[] = {{"listen", &listen_at, NULL},
                                    {"max-requests", &maxr, NULL},
                                    {"log", &log_dest, NULL},
                                    {"log-level", &log_level, NULL},
                                    {NULL, NULL, NULL}};
    const char *pos[1];
    int npos;
    int pr = tsca_parse(argc, argv, opts, pos, 1, &npos, help);
    if (pr) return pr > 0 ? 0 : 2;
    if (npos != 1 || !listen_at) {
        fputs(help, stderr);
        return 2;
    }
    long maxreq;
    if (tsca_parse_int("--max-requests", maxr, 0, 1000000000, &maxreq)) return 2;
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
    struct served s;
    memset(&s, 0, sizeof s);
    struct stat st;
    if (stat(pos[0], &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(s.path, sizeof s.path, "%s/current.bundle", pos[0]);
    else
        snprintf(s.path, sizeof s.path, "%s", pos[0]);

    char host[128];
    const char *colon = strrchr(listen_at, ':');
    if (!colon || (size_t)(colon - listen_at) >= sizeof host) {
        fprintf(stderr, "tsca serve: --listen '%s': expected ADDR:PORT\n", listen_at);
        return 2;
    }
    long port;
    if (tsca_parse_int("--listen port", colon + 1, 0, 65535, &port)) return 2;
    memcpy(host, listen_at, (size_t)(colon - listen_at));
    host[colon - listen_at] = '\0';
    if (host[0] == '[') {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = '\0';
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t sl;
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        sl = sizeof *a4;
    } else if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        sl = sizeof *a6;
    } else {
        fprintf(stderr, "tsca serve: --listen '%s': not a numeric address\n", host);
        return 2;
    }
    int ls = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(ls, (struct sockaddr *)&ss, sl) < 0 || listen(ls, 64) < 0) {
        ssgw_log(SSGW_LOG_ERR, "%s: %s", listen_at, strerror(errno));
        if (ls >= 0) close(ls);
        return 1;
    }
    sl = sizeof ss;
    getsockname(ls, (struct sockaddr *)&ss, &sl);
    unsigned bound = ntohs(ss.ss_family == AF_INET ? a4->sin_port : a6->sin6_port);
    if (refresh(&s) < 0)
        ssgw_log(SSGW_LOG_WARNING, "%s: no bundle yet (503 until it exists)", s.path);
    printf("listening on %s:%u\n", host, bound);
    ssgw_log(SSGW_LOG_NOTICE, "OpenSSGW %s: serving %s on %s:%u", SSGW_VERSION_FULL, s.path, host,
             bound);
    fflush(stdout);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: accept() returns EINTR */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    long served = 0;
    while (!stop_flag && (maxreq == 0 || served < maxreq)) {
        int c = accept(ls, NULL, NULL);
        if (c < 0) {
            if (errno == EINTR) continue;
            ssgw_log(SSGW_LOG_ERR, "accept: %s", strerror(errno));
            continue;
        }
        struct timeval tv = {5, 0};
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        handle(c, &s);
        shutdown(c, SHUT_WR);
        close(c);
        served++;
    }
    ssgw_log(SSGW_LOG_NOTICE, "stopped after %ld requests", served);
    close(ls);
    free(s.data);
    return 0;
}
