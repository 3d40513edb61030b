/*
 * test_http.c - the embedded HTTP layer (include/ssgw/http.h, prom.h): token
 * files (mode refused, malformed lines named, constant-time check), the
 * Prometheus writer's escaping and cumulative histograms, and a real server on
 * 127.0.0.1 driven through a socket: a body, 404/413 answers, and a stream that
 * waits suspended until ssgw_http_wake; the TLS material's start-up errors.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ssgw/http.h"
#include "ssgw/prom.h"

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

static void test_tokens(void)
{
    char err[300];
    const char *path = "/tmp/ssgw-test-tokens";
    write_file(path, "# ops\nalice 0123456789abcdef0123\n\nbank-a Zm9vYmFyYmF6cXV4cXV1eA==\n",
               0644);
    CHECK(ssgw_http_tokens_load(path, err, sizeof err) == NULL);
    CHECK(strstr(err, "mode 0644") && strstr(err, "chmod 600"));
    chmod(path, 0600);
    ssgw_http_tokens *t = ssgw_http_tokens_load(path, err, sizeof err);
    CHECK(t != NULL);
    CHECK_INT(ssgw_http_tokens_count(t), 2);
    CHECK_STR(ssgw_http_tokens_check(t, "Bearer 0123456789abcdef0123"), "alice");
    CHECK_STR(ssgw_http_tokens_check(t, "bearer  Zm9vYmFyYmF6cXV4cXV1eA== "), "bank-a");
    CHECK(ssgw_http_tokens_check(t, "Bearer 0123456789abcdef012") == NULL);
    CHECK(ssgw_http_tokens_check(t, "Basic 0123456789abcdef0123") == NULL);
    CHECK(ssgw_http_tokens_check(t, NULL) == NULL);
    CHECK(ssgw_http_tokens_check(t, "Bearer ") == NULL);
    ssgw_http_tokens_free(t);
    write_file(path, "alice 0123456789abcdef0123\nbob short\n", 0600);
    CHECK(ssgw_http_tokens_load(path, err, sizeof err) == NULL);
    CHECK(strstr(err, ":2: TOKEN: 16-256"));
    write_file(path, "alice 0123456789abcdef0123\nalice 0123456789abcdef0124\n", 0600);
    CHECK(ssgw_http_tokens_load(path, err, sizeof err) == NULL);
    CHECK(strstr(err, ":2: NAME used twice"));
    unlink(path);
}

static void test_prom(void)
{
    ssgw_prom p;
    ssgw_prom_init(&p);
    ssgw_prom_family(&p, "ssgw_x_total", "counter", "a \\ help\nline");
    ssgw_prom_sample_u64(&p, "ssgw_x_total", (const char *[]){"a", "q\"b\\c\nd", NULL}, 7);
    ssgw_prom_sample(&p, "ssgw_y", NULL, 0.25);
    double b[] = {0.001, 0.01};
    uint64_t c[] = {2, 3, 1};
    ssgw_prom_histogram(&p, "ssgw_h_seconds", (const char *[]){"lane", "0", NULL}, b, c, 2, 0.5);
    CHECK_STR(p.buf, "# HELP ssgw_x_total a \\\\ help\\nline\n"
                     "# TYPE ssgw_x_total counter\n"
                     "ssgw_x_total{a=\"q\\\"b\\\\c\\nd\"} 7\n"
                     "ssgw_y 0.25\n"
                     "ssgw_h_seconds_bucket{lane=\"0\",le=\"0.001\"} 2\n"
                     "ssgw_h_seconds_bucket{lane=\"0\",le=\"0.01\"} 5\n"
                     "ssgw_h_seconds_bucket{lane=\"0\",le=\"+Inf\"} 6\n"
                     "ssgw_h_seconds_sum{lane=\"0\"} 0.5\n"
                     "ssgw_h_seconds_count{lane=\"0\"} 6\n");
    ssgw_prom_free(&p);
}

/* ---- a real server ------------------------------------------------------------------ */

static int stream_left = 2, stream_done;

static long stream_fn(void *ctx, char *buf, size_t cap)
{
    int *pending = ctx;
    if (!*pending) return stream_left ? 0 : -1;
    (*pending)--;
    stream_left--;
    return snprintf(buf, cap, "data: %d\n\n", stream_left);
}

static void stream_end(void *ctx)
{
    (void)ctx;
    stream_done++;
}

static int pending_events;

static void handler(void *ctx, ssgw_http_req *r)
{
    (void)ctx;
    if (!strcmp(ssgw_http_path(r), "/echo")) {
        size_t n;
        const char *b = ssgw_http_body(r, &n);
        char out[200];
        snprintf(out, sizeof out, "%s %s q=%s n=%zu %s", ssgw_http_method(r), ssgw_http_client(r),
                 ssgw_http_query(r, "q") ? ssgw_http_query(r, "q") : "-", n, b);
        ssgw_http_respond(r, 200, "text/plain", out, strlen(out), "X-Test: yes\r\n");
    } else if (!strcmp(ssgw_http_path(r), "/events")) {
        ssgw_http_respond_stream(r, 200, "text/event-stream", stream_fn, stream_end,
                                 &pending_events);
    } else {
        ssgw_http_respond_text(r, 404, NULL, NULL);
    }
}

static int connect_to(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) return -1;
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

/* Sends req and reads until the server closes (or until `until` appears). */
static void exchange(uint16_t port, const char *req, const char *until, char *out, size_t cap)
{
    int fd = connect_to(port);
    size_t n = 0;
    out[0] = '\0';
    if (fd < 0) return;
    if (write(fd, req, strlen(req)) < 0) {
        close(fd);
        return;
    }
    while (n + 1 < cap) {
        ssize_t r = read(fd, out + n, cap - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
        out[n] = '\0';
        if (until && strstr(out, until)) break;
    }
    close(fd);
}

static void test_server(void)
{
    char err[300], out[4096];
    ssgw_http_config c = {.host = "127.0.0.1", .max_request = 64, .own_thread = true};
    ssgw_http *h = ssgw_http_new(&c, handler, NULL, err, sizeof err);
    CHECK(h != NULL);
    if (!h) return;
    uint16_t port = ssgw_http_port(h);
    CHECK(port != 0);
    exchange(port,
             "POST /echo?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
             "hello",
             NULL, out, sizeof out);
    CHECK(strstr(out, "HTTP/1.1 200") == out);
    CHECK(strstr(out, "X-Test: yes"));
    CHECK(strstr(out, "POST 127.0.0.1 q=1 n=5 hello"));
    exchange(port, "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", NULL, out,
             sizeof out);
    CHECK(strstr(out, "HTTP/1.1 404") == out);
    exchange(port,
             "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nConnection: close\r\n\r\n"
             "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234"
             "567890123456789",
             NULL, out, sizeof out);
    CHECK(strstr(out, "HTTP/1.1 413") == out);

    /* a stream with nothing to say waits suspended; a wake lets it send */
    int fd = connect_to(port);
    const char *req = "GET /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    CHECK(write(fd, req, strlen(req)) == (ssize_t)strlen(req));
    size_t n = 0;
    out[0] = '\0';
    for (int round = 0; round < 2; round++) {
        __atomic_add_fetch(&pending_events, 1, __ATOMIC_SEQ_CST);
        ssgw_http_wake(h);
        const char *want = round ? "data: 0" : "data: 1";
        while (!strstr(out, want) && n + 1 < sizeof out) {
            ssize_t r = read(fd, out + n, sizeof out - 1 - n);
            if (r <= 0) break;
            n += (size_t)r;
            out[n] = '\0';
        }
        CHECK(strstr(out, want) != NULL);
        if (!round) CHECK_INT(ssgw_http_streams(h), 1); /* open, waiting for the next event */
    }
    CHECK(strstr(out, "text/event-stream"));
    /* stream_left == 0: the stream ends after its last event */
    while (n + 1 < sizeof out) {
        ssize_t r = read(fd, out + n, sizeof out - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
        out[n] = '\0';
    }
    close(fd);
    ssgw_http_free(h);
    CHECK_INT(stream_done, 1);

    /* the address in use is named */
    ssgw_http_config c2 = {.host = "127.0.0.1", .own_thread = true};
    ssgw_http *a = ssgw_http_new(&c2, handler, NULL, err, sizeof err);
    c2.port = a ? ssgw_http_port(a) : 1;
    CHECK(ssgw_http_new(&c2, handler, NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "Address already in use") != NULL);
    ssgw_http_free(a);
    snprintf(c2.host, sizeof c2.host, "localhost");
    CHECK(ssgw_http_new(&c2, handler, NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "not a numeric") != NULL);
}

/* The TLS material's errors name the file before anything listens (the certificates
 * themselves are made by openssl in tests/e2e/test_http_tls.py). */
static void test_tls_errors(void)
{
    char err[400];
    const char *cert = "/tmp/ssgw-test-cert.pem", *key = "/tmp/ssgw-test-key.pem";
    write_file(cert, "not a certificate\n", 0644);
    write_file(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", 0644);
    ssgw_http_config c = {.host = "127.0.0.1", .own_thread = true, .tls_cert = cert};
    CHECK(ssgw_http_new(&c, handler, NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "needs both") != NULL);
    c.tls_key = key;
    CHECK(ssgw_http_new(&c, handler, NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "tls_key '/tmp/ssgw-test-key.pem': mode 0644: a private key must not") &&
          strstr(err, "chmod 600"));
    chmod(key, 0640); /* a group such as ssl-cert may read it: on to the certificate */
    CHECK(ssgw_http_new(&c, handler, NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "tls_cert '/tmp/ssgw-test-cert.pem': no PEM certificate") != NULL);
    c.tls_cert = "/tmp/ssgw-test-none.pem";
    CHECK(ssgw_http_new(&c, handler, NULL, err, sizeof err) == NULL);
    CHECK_STR(err, "tls_cert '/tmp/ssgw-test-none.pem': No such file or directory");
    const char *cas[] = {cert, NULL};
    ssgw_http_config plain = {.host = "127.0.0.1", .own_thread = true, .client_ca = cas};
    CHECK(ssgw_http_new(&plain, handler, NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "client certificates need TLS") != NULL);

    const char *names[] = {"ops-1"};
    ssgw_http_certs_config cc = {
        .ca = cert, .ca_what = "client_ca", .crl_what = "client_crl", .names = names, .n_names = 1};
    CHECK(ssgw_http_certs_load(&cc, err, sizeof err) == NULL);
    CHECK(strstr(err, "client_ca '/tmp/ssgw-test-cert.pem': no PEM certificate") != NULL);
    cc.ca = "/tmp/ssgw-test-none.pem";
    CHECK(ssgw_http_certs_load(&cc, err, sizeof err) == NULL);
    CHECK_STR(err, "client_ca '/tmp/ssgw-test-none.pem': No such file or directory");
    CHECK_STR(ssgw_http_cert_result_name(SSGW_HTTP_CERT_PURPOSE), "wrong_purpose");
    CHECK_STR(ssgw_http_cert_result_name(SSGW_HTTP_CERT_RESULT_COUNT), "unknown");
    unlink(cert);
    unlink(key);
}

int main(void)
{
    RUN(test_tokens);
    RUN(test_prom);
    RUN(test_server);
    RUN(test_tls_errors);
    return check_summary();
}
