/*
 * test_bundle_poll.c - the trust bundle poller (include/ssgw/bundle_poll.h):
 * [trust] bundle_url / bundle_poll read from a policy, the SSGW_BUNDLE_POLL_MS
 * testing knob, outcome names, and the fail-safe paths against a hand-written
 * HTTP/1.1 responder on 127.0.0.1 (RFC 9112 status line, Content-Length): a
 * body that is no bundle is refused as malformed, a closed port counts as a
 * fetch failure, the bundle file is never touched, the status JSON carries the
 * counters, and freeing the poller mid-wait returns at once.
 * The accepting paths (a newer verified bundle written and reloaded) run with
 * real processes in tests/e2e/test_bundle_poll.py.
 */
#include "ssgw/bundle_poll.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static char dir[] = "/tmp/ssgw-bpoll-XXXXXX";

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static const char *policy(const char *name, const char *trust)
{
    static char path[256];
    char text[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(text, sizeof text,
             "[home]\nname = \"Test\"\nmcc_mnc = [\"23491\"]\ngt_prefixes = [\"447924\"]\n%s",
             trust);
    write_file(path, text);
    return path;
}

static void test_names(void)
{
    CHECK_STR(ssgw_bundle_poll_outcome_name(SSGW_BPOLL_NONE), "none");
    CHECK_STR(ssgw_bundle_poll_outcome_name(SSGW_BPOLL_NOT_MODIFIED), "not_modified");
    CHECK_STR(ssgw_bundle_poll_outcome_name(SSGW_BPOLL_UPDATED), "updated");
    CHECK_STR(ssgw_bundle_poll_outcome_name(SSGW_BPOLL_FETCH_FAILED), "fetch_failed");
    CHECK_STR(ssgw_bundle_poll_outcome_name(SSGW_BPOLL_REFUSED_SIGNATURE), "refused_signature");
    CHECK_STR(ssgw_bundle_poll_outcome_name(SSGW_BPOLL_REFUSED_OLDER), "refused_older");
    CHECK_STR(ssgw_bundle_poll_outcome_name(SSGW_BPOLL_REFUSED_MALFORMED), "refused_malformed");
    CHECK_STR(ssgw_bundle_poll_outcome_name(SSGW_BPOLL_WRITE_FAILED), "write_failed");
    CHECK_STR(ssgw_bundle_poll_outcome_name(SSGW_BPOLL_OUTCOME_COUNT), "unknown");
    CHECK_STR(ssgw_bundle_poll_outcome_name(-1), "unknown");
}

static void test_config(void)
{
    ssgw_bundle_poll_config c;
    char err[600];
    unsetenv("SSGW_BUNDLE_POLL_MS");
    CHECK_INT(ssgw_bundle_poll_config_from_policy(policy("none.conf", ""), &c, err, sizeof err), 0);
    const char *nourl = policy("nourl.conf", "[trust]\nsign = \"none\"\nroot = \"root.crt\"\n"
                                             "bundle = \"trust.bundle\"\n");
    CHECK_INT(ssgw_bundle_poll_config_from_policy(nourl, &c, err, sizeof err), 0);
    const char *url = policy("url.conf", "[trust]\nsign = \"none\"\nroot = \"root.crt\"\n"
                                         "bundle = \"trust.bundle\"\n"
                                         "bundle_url = \"http://127.0.0.1:8440/bundle\"\n");
    CHECK_INT(ssgw_bundle_poll_config_from_policy(url, &c, err, sizeof err), 1);
    CHECK_STR(c.url, "http://127.0.0.1:8440/bundle");
    char want[300];
    snprintf(want, sizeof want, "%s/trust.bundle", dir); /* relative to the policy file */
    CHECK_STR(c.bundle, want);
    snprintf(want, sizeof want, "%s/root.crt", dir);
    CHECK_STR(c.root, want);
    CHECK_INT(c.interval_ms, 300000); /* bundle_poll default: 300 s */
    const char *p60 = policy("p60.conf", "[trust]\nsign = \"none\"\nroot = \"r\"\nbundle = \"b\"\n"
                                         "bundle_url = \"http://h/b\"\nbundle_poll = 60\n");
    CHECK_INT(ssgw_bundle_poll_config_from_policy(p60, &c, err, sizeof err), 1);
    CHECK_INT(c.interval_ms, 60000);
    setenv("SSGW_BUNDLE_POLL_MS", "250", 1);
    CHECK_INT(ssgw_bundle_poll_config_from_policy(p60, &c, err, sizeof err), 1);
    CHECK_INT(c.interval_ms, 250);
    setenv("SSGW_BUNDLE_POLL_MS", "10", 1); /* below the floor */
    CHECK_INT(ssgw_bundle_poll_config_from_policy(p60, &c, err, sizeof err), -1);
    CHECK(strstr(err, "SSGW_BUNDLE_POLL_MS") != NULL);
    setenv("SSGW_BUNDLE_POLL_MS", "5x", 1);
    CHECK_INT(ssgw_bundle_poll_config_from_policy(p60, &c, err, sizeof err), -1);
    unsetenv("SSGW_BUNDLE_POLL_MS");
    const char *bad = policy("bad.conf", "[trust]\nbundle_poll = 5\n");
    CHECK_INT(ssgw_bundle_poll_config_from_policy(bad, &c, err, sizeof err), -1);
    CHECK(strstr(err, "bad.conf") != NULL);
}

/* A responder answering every request with a fixed HTTP response, until closed. */
typedef struct {
    int ls;
    int served;
} responder;

static void *respond(void *arg)
{
    responder *r = arg;
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Type: application/pkcs7-mime\r\n"
                               "ETag: \"x1\"\r\nContent-Length: 21\r\nConnection: close\r\n\r\n"
                               "this is not a bundle\n";
    for (;;) {
        int c = accept(r->ls, NULL, NULL);
        if (c < 0) return NULL;
        char req[4096];
        ssize_t n = recv(c, req, sizeof req, 0);
        if (n > 0 && send(c, resp, sizeof resp - 1, MSG_NOSIGNAL) > 0) r->served++;
        close(c);
    }
}

static int listener(int *port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t l = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 8) < 0 ||
        getsockname(s, (struct sockaddr *)&a, &l) < 0)
        return -1;
    *port = ntohs(a.sin_port);
    return s;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int updates;
static void on_update(void *arg)
{
    (void)arg;
    updates++;
}

/* Polls the status JSON until it contains needle (or 5 s pass); returns it. */
static bool wait_status(ssgw_bundle_poller *p, const char *needle, char *out, size_t cap)
{
    uint64_t until = now_ms() + 5000;
    do {
        ssgw_json j;
        ssgw_json_begin(&j, out, cap);
        ssgw_bundle_poller_status(p, &j);
        ssgw_json_end(&j);
        if (strstr(out, needle)) return true;
        usleep(20000);
    } while (now_ms() < until);
    return false;
}

static void test_fail_safe(void)
{
    /* a root that is a real PEM certificate is needed to start: make one with openssl */
    char root[300], bundle[300], cmd[900];
    snprintf(root, sizeof root, "%s/root.crt", dir);
    snprintf(bundle, sizeof bundle, "%s/trust.bundle", dir);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=t "
             "-days 2 -keyout %s/root.key -out %s >/dev/null 2>&1",
             dir, root);
    CHECK_INT(system(cmd), 0);
    write_file(bundle, "the bundle in use\n");
    ssgw_evloop *loop = ssgw_evloop_new();
    char err[600];
    ssgw_bundle_poller *p = ssgw_bundle_poller_new(loop, on_update, NULL, err, sizeof err);
    CHECK(p != NULL);
    if (!p) return;
    char js[4096];
    ssgw_json j;
    ssgw_json_begin(&j, js, sizeof js);
    ssgw_bundle_poller_status(p, &j); /* never configured: nothing */
    ssgw_json_end(&j);
    CHECK_STR(js, "{}");

    int port = 0;
    responder r = {listener(&port), 0};
    CHECK(r.ls >= 0);
    pthread_t t;
    pthread_create(&t, NULL, respond, &r);
    ssgw_bundle_poll_config c;
    memset(&c, 0, sizeof c);
    snprintf(c.url, sizeof c.url, "http://127.0.0.1:%d/bundle", port);
    snprintf(c.bundle, sizeof c.bundle, "%s", bundle);
    snprintf(c.root, sizeof c.root, "%s", root);
    c.interval_ms = 60;
    CHECK_INT(ssgw_bundle_poller_configure(p, &c, err, sizeof err), 0);
    CHECK(wait_status(p, "\"refused_malformed\":3", js, sizeof js));
    CHECK(strstr(js, "\"last_outcome\":\"refused_malformed\"") != NULL);
    CHECK(strstr(js, "\"sequence\":0") != NULL); /* the file in use is no bundle either */
    CHECK(strstr(js, "\"updated\":0") != NULL);
    CHECK(strstr(js, "\"etag\":\"\"") != NULL); /* a refused body's ETag is not remembered */
    /* the same configuration again: nothing restarts */
    CHECK_INT(ssgw_bundle_poller_configure(p, &c, err, sizeof err), 0);

    /* the server goes away: fetch failures, still fail safe */
    shutdown(r.ls, SHUT_RDWR);
    close(r.ls);
    pthread_join(t, NULL);
    CHECK(wait_status(p, "\"last_outcome\":\"fetch_failed\"", js, sizeof js));
    CHECK(strstr(js, "Connection refused") != NULL);
    CHECK(r.served >= 3);

    /* a long wait between polls: free returns at once */
    c.interval_ms = 3600000;
    CHECK_INT(ssgw_bundle_poller_configure(p, &c, err, sizeof err), 0);
    CHECK(wait_status(p, "\"interval_ms\":3600000", js, sizeof js));
    usleep(100000);
    uint64_t t0 = now_ms();
    ssgw_bundle_poller_free(p);
    CHECK(now_ms() - t0 < 1000);
    ssgw_evloop_run_once(loop, 0);
    CHECK_INT(updates, 0);
    FILE *f = fopen(bundle, "r");
    char line[64] = "";
    if (f) {
        CHECK(fgets(line, sizeof line, f) != NULL);
        fclose(f);
    }
    CHECK_STR(line, "the bundle in use\n"); /* never replaced */

    /* an unreadable root: not polling, said so */
    ssgw_bundle_poller *q = ssgw_bundle_poller_new(loop, NULL, NULL, err, sizeof err);
    CHECK(q != NULL);
    snprintf(c.root, sizeof c.root, "%s/missing.crt", dir);
    CHECK_INT(ssgw_bundle_poller_configure(q, &c, err, sizeof err), -1);
    CHECK(strstr(err, "missing.crt") != NULL);
    CHECK(wait_status(q, "\"running\":false", js, sizeof js));
    CHECK_INT(ssgw_bundle_poller_configure(q, NULL, err, sizeof err), 0);
    ssgw_bundle_poller_free(q);
    ssgw_evloop_free(loop);
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    RUN(test_names);
    RUN(test_config);
    RUN(test_fail_safe);
    if (check_remove_tree(dir) != 0) return 1;
    return check_summary();
}
