/*
 * relay_plain.c - the anchor of the live proxy benchmark (bench/run-proxy.sh):
 * a plain M3UA-over-TCP relay that forwards DATA without inspecting it.
 *
 *   load (ASP) --TCP--> [--listen: relay is the SG] relay [--connect: relay is the ASP] --TCP-->
 * sink (SG)
 *
 * It speaks just enough M3UA (RFC 4666 4.3) to bring both associations up:
 * toward the load it answers ASPUP / ASPAC / ASPIA / ASPDN / BEAT with the
 * matching ack (the request's parameters echoed, which are the ones the ack
 * may carry); toward the sink it sends ASPUP, then ASPAC (traffic mode
 * override, the --rc routing context) and answers BEAT. DATA in either
 * direction is copied byte for byte into the other side's queue. The work per
 * message is what every proxy must do: one epoll loop, non-blocking sockets,
 * the M3UA length framing of TCP (RFC 4666 3.1), one copy into a bounded
 * output queue (1 MiB; when full the source is not read: back pressure), and
 * batched write()s. It does not decode anything beyond the common header.
 *
 * Self-contained on purpose (libc only), so that it measures the transport
 * path alone: cc -O2 -o relay_plain bench/relay_plain.c
 *
 * Usage: relay_plain --listen HOST:PORT --connect HOST:PORT [--rc N] [--seconds S]
 * It exits after --seconds (default 60) or when the load side closes, with one line on
 * stderr: `relay_plain: data_in=N cpu_s=S` (DATA messages it forwarded, both directions,
 * and its CPU time, user + system: run-proxy.sh's messages per CPU second).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IN_CAP    (256 * 1024 + 66 * 1024)
#define OUT_CAP   (1024 * 1024 + 132 * 1024)
#define OUT_LIMIT (1024 * 1024)
#define MAX_MSG   (65536 + 1024)

typedef struct side side;
struct side {
    const char *name;
    int fd;
    bool is_asp; /* we are the ASP on this side (the sink side) */
    bool active;
    bool paused; /* not read: the other side's queue is full */
    uint8_t in[IN_CAP];
    size_t in_len;
    uint8_t out[OUT_CAP];
    size_t oh, ot;
    bool want_write;
    side *other;
    uint64_t data_in;
};

static side A = {.name = "load", .fd = -1}, B = {.name = "sink", .fd = -1, .is_asp = true};
static int ep, lfd = -1;
static uint32_t rc = 20;
static volatile sig_atomic_t terminated; /* SIGTERM: report and end */

static void process(side *s);

static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void wbe32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void fail(const char *what, const char *why)
{
    fprintf(stderr, "relay_plain: %s: %s\n", what, why);
    exit(1);
}

static int hostport(const char *s, struct sockaddr_in *a)
{
    char host[64];
    const char *c = strrchr(s, ':');
    if (!c || (size_t)(c - s) >= sizeof host) return -1;
    memcpy(host, s, (size_t)(c - s));
    host[c - s] = 0;
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)atoi(c + 1));
    return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

static void update(side *s)
{
    if (s->fd < 0) return;
    unsigned want = (s->paused ? 0u : EPOLLIN) | (s->oh < s->ot ? EPOLLOUT : 0u);
    struct epoll_event ev = {.events = want, .data.ptr = s};
    epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
}

static void add(side *s, int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    s->fd = fd;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = s};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static bool queue(side *s, const uint8_t *m, size_t len)
{
    if (s->ot + len > OUT_CAP) {
        memmove(s->out, s->out + s->oh, s->ot - s->oh);
        s->ot -= s->oh;
        s->oh = 0;
        if (s->ot + len > OUT_CAP) return false;
    }
    memcpy(s->out + s->ot, m, len);
    s->ot += len;
    return true;
}

static void flush(side *s)
{
    while (s->fd >= 0 && s->oh < s->ot) {
        ssize_t n = write(s->fd, s->out + s->oh, s->ot - s->oh);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) break;
            fail(s->name, strerror(errno));
        }
        s->oh += (size_t)n;
    }
    if (s->oh == s->ot) s->oh = s->ot = 0;
    /* the other side waited for room: read it again */
    update(s);
    if (s->other->paused && s->ot - s->oh < OUT_LIMIT / 2) {
        s->other->paused = false;
        update(s->other);
        process(s->other); /* what was kept in its input buffer */
    }
}

/* An ack is the request with another message type (the parameters it may carry are the same). */
static void ack(side *s, const uint8_t *m, size_t len, uint8_t type)
{
    uint8_t a[MAX_MSG];
    memcpy(a, m, len);
    a[3] = type;
    queue(s, a, len);
}

static void send_aspac(side *s)
{
    uint8_t m[24] = {1, 0, 4, 1, 0, 0, 0, 24, 0x00, 0x0b, 0, 8, 0, 0, 0, 1, 0x00, 0x06, 0, 8};
    wbe32(m + 20, rc);
    queue(s, m, sizeof m);
}

static void mgmt(side *s, const uint8_t *m, size_t len)
{
    uint8_t cl = m[2], ty = m[3];
    if (cl == 3 && ty == 3) { /* BEAT */
        ack(s, m, len, 6);
    } else if (!s->is_asp) { /* toward the load we are the SG */
        if (cl == 3 && ty == 1)
            ack(s, m, len, 4); /* ASPUP -> ASPUP_ACK */
        else if (cl == 3 && ty == 2)
            ack(s, m, len, 5); /* ASPDN -> ASPDN_ACK */
        else if (cl == 4 && ty == 1) {
            ack(s, m, len, 3); /* ASPAC -> ASPAC_ACK */
            s->active = true;
        } else if (cl == 4 && ty == 2) {
            ack(s, m, len, 4); /* ASPIA -> ASPIA_ACK */
            s->active = false;
        }
    } else { /* toward the sink we are the ASP */
        if (cl == 3 && ty == 4)
            send_aspac(s); /* ASPUP_ACK */
        else if (cl == 4 && ty == 3)
            s->active = true; /* ASPAC_ACK */
    }
    flush(s);
}

/* Frames and handles what is buffered; stops (paused) when the other queue is full. */
static void process(side *s)
{
    size_t pos = 0;
    side *o = s->other;
    while (s->in_len - pos >= 8) {
        const uint8_t *m = s->in + pos;
        uint32_t len = be32(m + 4);
        if (m[0] != 1 || len < 8 || len > MAX_MSG) fail(s->name, "bad M3UA framing");
        if (s->in_len - pos < len) break;
        if (m[2] == 1 && m[3] == 1) { /* DATA: forward unchanged */
            if (o->fd < 0 || o->ot - o->oh >= OUT_LIMIT) {
                s->paused = true; /* back pressure: keep it, stop reading */
                break;
            }
            queue(o, m, len);
            s->data_in++;
        } else
            mgmt(s, m, len);
        pos += len;
    }
    memmove(s->in, s->in + pos, s->in_len - pos);
    s->in_len -= pos;
    if (s->paused) update(s);
    if (o->oh < o->ot) flush(o);
}

/* The line run-proxy.sh reads when the relay ends. */
static void report(void)
{
    struct rusage ru;
    double cpu = 0;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
              (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    fprintf(stderr, "relay_plain: data_in=%llu cpu_s=%.3f\n",
            (unsigned long long)(A.data_in + B.data_in), cpu);
}

static void on_read(side *s)
{
    if (s->paused || s->in_len == IN_CAP) return;
    ssize_t n = read(s->fd, s->in + s->in_len, IN_CAP - s->in_len);
    if (n == 0) {
        report();
        exit(0); /* the load is done (it closes both associations) */
    }
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) return;
        fail(s->name, strerror(errno));
    }
    s->in_len += (size_t)n;
    process(s);
}

static void on_term(int sig)
{
    (void)sig;
    terminated = 1;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int main(int argc, char **argv)
{
    struct sockaddr_in la, ca;
    bool have_l = false, have_c = false;
    unsigned seconds = 60;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--listen"))
            have_l = hostport(argv[i + 1], &la) == 0;
        else if (!strcmp(argv[i], "--connect"))
            have_c = hostport(argv[i + 1], &ca) == 0;
        else if (!strcmp(argv[i], "--rc"))
            rc = (uint32_t)strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--seconds"))
            seconds = (unsigned)strtoul(argv[i + 1], NULL, 10);
        else
            have_l = have_c = false, i = argc;
    }
    if (!have_l || !have_c) {
        fprintf(
            stderr,
            "usage: relay_plain --listen HOST:PORT --connect HOST:PORT [--rc N] [--seconds S]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_term); /* epoll_wait returns EINTR: the loop ends with the report */
    A.other = &B;
    B.other = &A;
    ep = epoll_create1(EPOLL_CLOEXEC);
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(lfd, (struct sockaddr *)&la, sizeof la) < 0 || listen(lfd, 4) < 0)
        fail("listen", strerror(errno));
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
    uint64_t start = now_ms(), next_try = 0;
    while (!terminated && now_ms() - start < (uint64_t)seconds * 1000u) {
        if (B.fd < 0 && now_ms() >= next_try) { /* connect to the sink, retried */
            int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (connect(fd, (struct sockaddr *)&ca, sizeof ca) == 0) {
                add(&B, fd);
                static const uint8_t aspup[8] = {1, 0, 3, 1, 0, 0, 0, 8};
                queue(&B, aspup, sizeof aspup);
                flush(&B);
            } else
                close(fd);
            next_try = now_ms() + 50;
        }
        struct epoll_event evs[16];
        int n = epoll_wait(ep, evs, 16, B.fd < 0 ? 20 : 200);
        for (int i = 0; i < n; i++) {
            side *s = evs[i].data.ptr;
            if (!s) {
                int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
                if (fd < 0) continue;
                if (A.fd >= 0)
                    close(fd);
                else
                    add(&A, fd);
                continue;
            }
            if (s->fd < 0) continue;
            if (evs[i].events & EPOLLOUT) flush(s);
            if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_read(s);
        }
    }
    report();
    return 0;
}
