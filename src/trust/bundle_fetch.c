/*
 * bundle_fetch.c - the gateway's HTTP/1.1 client for the trust bundle
 * (RFC 9110 conditional GET with ETag / If-None-Match, RFC 9112 message
 * syntax). One request per connection ("Connection: close"), a bounded
 * response, one deadline for the whole exchange. The body is returned
 * unverified: the caller passes it to ssgw_bundle_load().
 */
#include "ssgw/bundle.h"
#include "ssgw/file.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for fd to become ready for events before the deadline. 1 ready, 0 timeout, -1 error. */
static int wait_fd(int fd, short events, long long deadline)
{
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) return 0;
        struct pollfd p = {fd, events, 0};
        int r = poll(&p, 1, (int)left);
        if (r < 0 && errno == EINTR) continue;
        return r < 0 ? -1 : r;
    }
}

/* Splits http://host[:port]/path. */
static int parse_url(const char *url, char *host, size_t hl, char *port, size_t pl, char *path,
                     size_t ptl)
{
    if (strncmp(url, "http://", 7)) return -1;
    const char *h = url + 7, *slash = strchr(h, '/');
    const char *end = slash ? slash : h + strlen(h);
    const char *colon = NULL;
    if (*h == '[') { /* [v6]:port */
        const char *rb = memchr(h, ']', (size_t)(end - h));
        if (!rb) return -1;
        if ((size_t)(rb - h - 1) >= hl) return -1;
        memcpy(host, h + 1, (size_t)(rb - h - 1));
        host[rb - h - 1] = '\0';
        colon = rb[1] == ':' ? rb + 1 : NULL;
    } else {
        colon = memchr(h, ':', (size_t)(end - h));
        size_t n = (size_t)((colon ? colon : end) - h);
        if (n == 0 || n >= hl) return -1;
        memcpy(host, h, n);
        host[n] = '\0';
    }
    if (colon) {
        size_t n = (size_t)(end - colon - 1);
        if (n == 0 || n >= pl || strspn(colon + 1, "0123456789") < n) return -1;
        memcpy(port, colon + 1, n);
        port[n] = '\0';
    } else {
        snprintf(port, pl, "80");
    }
    snprintf(path, ptl, "%s", slash ? slash : "/");
    for (const char *c = path; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == 0x7f) return -1;
    return 0;
}

static int connect_to(const char *host, const char *port, long long deadline, char *err,
                      size_t errlen)
{
    struct addrinfo hints = {0}, *ai = NULL;
    hints.ai_socktype = SOCK_STREAM;
    int g = getaddrinfo(host, port, &hints, &ai);
    if (g) return ssgw_errf(err, errlen, "%s:%s: %s", host, port, gai_strerror(g));
    int fd = -1, last = 0;
    for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        if (connect(fd, a->ai_addr, a->ai_addrlen) < 0 && errno != EINPROGRESS) {
            last = errno;
            close(fd);
            fd = -1;
            continue;
        }
        int w = wait_fd(fd, POLLOUT, deadline);
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (w <= 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr) {
            last = w == 0 ? ETIMEDOUT : soerr ? soerr : errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    if (fd < 0) return ssgw_errf(err, errlen, "connect %s:%s: %s", host, port, strerror(last));
    return fd;
}

/* Case-insensitive header look-up in the header block [h, h+n). Copies the trimmed value. */
static bool header_value(const char *h, size_t n, const char *name, char *out, size_t outlen)
{
    size_t kl = strlen(name);
    const char *p = h, *end = h + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if ((size_t)(le - p) > kl && !strncasecmp(p, name, kl) && p[kl] == ':') {
            const char *v = p + kl + 1;
            while (v < le && (*v == ' ' || *v == '\t'))
                v++;
            const char *ve = le;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            size_t vl = (size_t)(ve - v);
            if (vl >= outlen) return false;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return true;
        }
        p = nl ? nl + 1 : end;
    }
    return false;
}

int ssgw_bundle_fetch(const char *url, const char *etag_in, size_t max_body, int timeout_ms,
                      ssgw_bundle_fetch_result *out, char *err, size_t errlen)
{
    char host[256], port[8], path[1024];
    memset(out, 0, sizeof *out);
    if (max_body == 0) max_body = SSGW_BUNDLE_MAX_BYTES;
    if (timeout_ms <= 0) timeout_ms = 10000;
    if (parse_url(url, host, sizeof host, port, sizeof port, path, sizeof path) < 0)
        return ssgw_errf(err, errlen, "url '%s': expected http://HOST[:PORT]/PATH", url);
    if (etag_in && (strlen(etag_in) >= sizeof out->etag || strpbrk(etag_in, "\r\n")))
        return ssgw_errf(err, errlen, "etag: too long or contains a line break");
    long long deadline = now_ms() + timeout_ms;
    int fd = connect_to(host, port, deadline, err, errlen);
    if (fd < 0) return -1;
    char req[1600];
    int rl = snprintf(req, sizeof req,
                      "GET %s HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: openssgw\r\n"
                      "Accept: application/pkcs7-mime\r\n%s%s%sConnection: close\r\n\r\n",
                      path, host, port, etag_in && *etag_in ? "If-None-Match: " : "",
                      etag_in && *etag_in ? etag_in : "", etag_in && *etag_in ? "\r\n" : "");
    size_t sent = 0;
    while (sent < (size_t)rl) {
        if (wait_fd(fd, POLLOUT, deadline) <= 0) {
            close(fd);
            return ssgw_errf(err, errlen, "%s: timed out sending the request", url);
        }
        ssize_t w = send(fd, req + sent, (size_t)rl - sent, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (w <= 0) {
            close(fd);
            return ssgw_errf(err, errlen, "%s: send: %s", url, strerror(errno));
        }
        sent += (size_t)w;
    }
    size_t cap = 16384, len = 0, limit = max_body + 16384;
    char *buf = malloc(cap);
    int rc = -1;
    if (!buf) {
        close(fd);
        return ssgw_errf(err, errlen, "out of memory");
    }
    for (;;) {
        if (len == cap) {
            if (cap >= limit) {
                ssgw_errf(err, errlen, "%s: response larger than %zu bytes", url, max_body);
                goto done;
            }
            size_t nc = cap * 2 > limit ? limit : cap * 2;
            char *nb = realloc(buf, nc);
            if (!nb) {
                ssgw_errf(err, errlen, "out of memory");
                goto done;
            }
            buf = nb;
            cap = nc;
        }
        int w = wait_fd(fd, POLLIN, deadline);
        if (w <= 0) {
            ssgw_errf(err, errlen, "%s: timed out waiting for the response", url);
            goto done;
        }
        ssize_t r = recv(fd, buf + len, cap - len, 0);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (r < 0) {
            ssgw_errf(err, errlen, "%s: recv: %s", url, strerror(errno));
            goto done;
        }
        if (r == 0) break;
        len += (size_t)r;
    }
    /* status line and headers */
    const char *hend = NULL;
    for (size_t i = 0; i + 3 < len; i++)
        if (!memcmp(buf + i, "\r\n\r\n", 4)) {
            hend = buf + i;
            break;
        }
    int status = 0, minor = 0;
    char sl[32];
    size_t fl =
        hend ? (size_t)(memchr(buf, '\n', len) ? (char *)memchr(buf, '\n', len) - buf : 0) : 0;
    if (fl >= sizeof sl) fl = sizeof sl - 1;
    memcpy(sl, buf, fl);
    sl[fl] = '\0';
    if (!hend || sscanf(sl, "HTTP/1.%d %3d", &minor, &status) != 2) {
        ssgw_errf(err, errlen, "%s: malformed HTTP response", url);
        goto done;
    }
    size_t hlen = (size_t)(hend - buf) + 4;
    header_value(buf, hlen, "ETag", out->etag, sizeof out->etag);
    if (status == 304) {
        out->status = 304;
        rc = 0;
        goto done;
    }
    if (status != 200) {
        ssgw_errf(err, errlen, "%s: HTTP status %d", url, status);
        goto done;
    }
    size_t body_len = len - hlen;
    char cl[32];
    if (header_value(buf, hlen, "Content-Length", cl, sizeof cl)) {
        char *end;
        unsigned long long v = strtoull(cl, &end, 10);
        if (*end || end == cl || v != body_len) {
            ssgw_errf(err, errlen, "%s: body of %zu bytes where Content-Length says %s", url,
                      body_len, cl);
            goto done;
        }
    }
    if (body_len > max_body) {
        ssgw_errf(err, errlen, "%s: body larger than %zu bytes", url, max_body);
        goto done;
    }
    out->body = malloc(body_len ? body_len : 1);
    if (!out->body) {
        ssgw_errf(err, errlen, "out of memory");
        goto done;
    }
    memcpy(out->body, buf + hlen, body_len);
    out->len = body_len;
    out->status = 200;
    rc = 0;
done:
    free(buf);
    close(fd);
    return rc;
}

void ssgw_bundle_fetch_free(ssgw_bundle_fetch_result *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
}
