/*
 * relay_plain_diam.c - the anchor of the Diameter proxy benchmark
 * (bench/run-diam-proxy.sh): a plain Diameter-over-TCP relay between two peers
 * that forwards application messages without inspecting them.
 *
 *   load --TCP--> [--a HOST:PORT] relay [--b HOST:PORT] <--TCP-- sink
 *
 * It speaks just enough of the base protocol (RFC 6733 5) for peers to talk
 * through it: a CER is answered with a CEA (DIAMETER_SUCCESS, S6a advertised),
 * a DWR with a DWA; every other message is copied byte for byte to the other
 * connection. The work per message is what every relay must do: one epoll loop,
 * non-blocking sockets, the 24-bit length framing of TCP, one copy into a
 * bounded output buffer (when full the source is not read), batched write()s.
 * No hop-by-hop mapping (one peer on each side), no Route-Record, no decoding.
 *
 * Self-contained on purpose (libc only): cc -O2 -o relay_plain_diam bench/relay_plain_diam.c
 * Usage: relay_plain_diam --a HOST:PORT --b HOST:PORT [--seconds S]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CAP (1 << 20)

typedef struct side {
    int lfd, fd;
    uint8_t *in, *out;
    size_t in_len, out_len;
    struct side *other;
} side;

static int listen_on(const char *hp)
{
    char host[64];
    const char *colon = strrchr(hp, ':');
    if (!colon || (size_t)(colon - hp) >= sizeof host) return -1;
    memcpy(host, hp, (size_t)(colon - hp));
    host[colon - hp] = '\0';
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1))};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0) return -1;
    return fd;
}

static uint32_t be24(const uint8_t *p)
{
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static size_t avp(uint8_t *o, uint32_t code, const void *d, size_t n)
{
    uint32_t len = (uint32_t)(8 + n);
    uint8_t h[8] = {
        (uint8_t)(code >> 24), (uint8_t)(code >> 16), (uint8_t)(code >> 8), (uint8_t)code, 0x40,
        (uint8_t)(len >> 16),  (uint8_t)(len >> 8),   (uint8_t)len};
    memcpy(o, h, 8);
    memcpy(o + 8, d, n);
    size_t pad = (4 - n % 4) % 4;
    memset(o + 8 + n, 0, pad);
    return 8 + n + pad;
}

static size_t u32avp(uint8_t *o, uint32_t code, uint32_t v)
{
    uint8_t d[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    return avp(o, code, d, 4);
}

/* The CEA / DWA to request m, into s's output. */
static void answer(side *s, const uint8_t *m, bool cea)
{
    uint8_t *o = s->out + s->out_len;
    if (s->out_len + 512 > CAP) return;
    memcpy(o, m, 20);
    o[4] = 0; /* an answer, not proxiable */
    size_t n = 20;
    n += u32avp(o + n, 268, 2001);
    n += avp(o + n, 264, "relay.plain.example", 19);
    n += avp(o + n, 296, "plain.example", 13);
    if (cea) {
        static const uint8_t ip[6] = {0, 1, 127, 0, 0, 1};
        n += avp(o + n, 257, ip, sizeof ip);
        n += u32avp(o + n, 266, 0);
        n += avp(o + n, 269, "relay_plain_diam", 16);
        n += u32avp(o + n, 258, 0xffffffffu); /* Relay */
    }
    o[1] = (uint8_t)(n >> 16);
    o[2] = (uint8_t)(n >> 8);
    o[3] = (uint8_t)n;
    s->out_len += n;
}

static void flush(side *s)
{
    while (s->out_len && s->fd >= 0) {
        ssize_t w = write(s->fd, s->out, s->out_len);
        if (w <= 0) return;
        memmove(s->out, s->out + w, s->out_len - (size_t)w);
        s->out_len -= (size_t)w;
    }
}

/* Moves the complete messages of s's input: base ones answered, the rest to the other side. */
static void consume(side *s)
{
    size_t pos = 0;
    while (s->in_len - pos >= 4) {
        size_t n = be24(s->in + pos + 1);
        if (n < 20 || s->in_len - pos < n) break;
        const uint8_t *m = s->in + pos;
        uint32_t code = be24(m + 5);
        bool req = m[4] & 0x80;
        if (req && (code == 257 || code == 280)) {
            answer(s, m, code == 257);
        } else if (code != 257 && code != 280) {
            side *d = s->other;
            if (d->out_len + n > CAP) break; /* full: read no more until it drains */
            memcpy(d->out + d->out_len, m, n);
            d->out_len += n;
        }
        pos += n;
    }
    memmove(s->in, s->in + pos, s->in_len - pos);
    s->in_len -= pos;
}

int main(int argc, char **argv)
{
    const char *a = NULL, *b = NULL;
    double seconds = 60;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--a"))
            a = argv[i + 1];
        else if (!strcmp(argv[i], "--b"))
            b = argv[i + 1];
        else if (!strcmp(argv[i], "--seconds"))
            seconds = atof(argv[i + 1]);
    }
    if (!a || !b) {
        fprintf(stderr, "usage: relay_plain_diam --a HOST:PORT --b HOST:PORT [--seconds S]\n");
        return 2;
    }
    side s[2];
    memset(s, 0, sizeof s);
    s[0].lfd = listen_on(a);
    s[1].lfd = listen_on(b);
    if (s[0].lfd < 0 || s[1].lfd < 0) {
        perror("relay_plain_diam: listen");
        return 1;
    }
    int ep = epoll_create1(0);
    for (int i = 0; i < 2; i++) {
        s[i].fd = -1;
        s[i].in = malloc(CAP);
        s[i].out = malloc(CAP);
        s[i].other = &s[1 - i];
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)(i + 2)};
        epoll_ctl(ep, EPOLL_CTL_ADD, s[i].lfd, &ev);
    }
    time_t stop = time(NULL) + (time_t)seconds;
    while (time(NULL) < stop) {
        struct epoll_event evs[8];
        int n = epoll_wait(ep, evs, 8, 100);
        for (int k = 0; k < n; k++) {
            uint32_t id = evs[k].data.u32;
            if (id >= 2) { /* a listener */
                side *x = &s[id - 2];
                int c = accept(x->lfd, NULL, NULL);
                if (c < 0) continue;
                if (x->fd >= 0) close(x->fd);
                int one = 1;
                setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                fcntl(c, F_SETFL, O_NONBLOCK);
                x->fd = c;
                struct epoll_event ev = {.events = EPOLLIN, .data.u32 = id - 2};
                epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
                continue;
            }
            side *x = &s[id];
            if (x->in_len < CAP) {
                ssize_t r = read(x->fd, x->in + x->in_len, CAP - x->in_len);
                if (r == 0 || (r < 0 && errno != EAGAIN)) {
                    epoll_ctl(ep, EPOLL_CTL_DEL, x->fd, NULL);
                    close(x->fd);
                    x->fd = -1;
                    continue;
                }
                if (r > 0) x->in_len += (size_t)r;
            }
            consume(x);
        }
        for (int i = 0; i < 2; i++) {
            flush(&s[i]);
            consume(&s[i]); /* what waited for room */
            flush(&s[i].other[0]);
        }
    }
    return 0;
}
