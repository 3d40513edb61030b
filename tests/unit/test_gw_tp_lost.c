/*
 * test_gw_tp_lost.c - what the gateway counts as lost when an association dies with its
 * output queue full (src/gateway/gw_tp.c: gw_tp_flush, gw_tp_lost_count), on a TCP-kind
 * stream where a write can stop inside a message.
 *
 * The peer is the other end of an AF_UNIX stream socketpair with a small send buffer, so
 * the kernel holds no data in flight besides what the peer can read: after the peer has
 * read everything the kernel took, every DATA message it did not receive whole must be in
 * the gateway's queue, and the count at disconnect must be exactly (sent - received).
 * Messages are M3UA (RFC 4666 3.1: version 1, class/type, 32-bit length) built here by
 * hand, DATA mixed with BEAT (management, not counted), of varied lengths so writes stop
 * inside messages. The peer reads in odd-sized pieces until a write has stopped inside a
 * message (the case the count once got wrong: it parsed from the middle of a message).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "gateway/gw_tp.h"
#include "ssgw/evloop.h"

#define N_MSGS 4000

static uint64_t lost_at_down;
static int downs;

static void on_down(gw_tp *t, void *arg, const char *why)
{
    (void)arg;
    (void)why;
    lost_at_down = t->lost_data;
    downs++;
}

static void no_event(ssgw_evloop *l, int fd, unsigned ev, void *arg)
{
    (void)l;
    (void)fd;
    (void)ev;
    (void)arg;
}

/* One M3UA message: DATA (class 1, type 1) or BEAT (class 3, type 3), len >= 8. */
static size_t m3ua_msg(uint8_t *m, bool data, size_t len, uint32_t seq)
{
    memset(m, 0, len);
    m[0] = 1;
    m[2] = data ? 1 : 3;
    m[3] = data ? 1 : 3;
    m[4] = (uint8_t)(len >> 24);
    m[5] = (uint8_t)(len >> 16);
    m[6] = (uint8_t)(len >> 8);
    m[7] = (uint8_t)len;
    if (len >= 12) memcpy(m + 8, &seq, 4);
    return len;
}

/* Reads what the kernel holds for the peer, `piece` bytes at a time; counts whole DATA. */
static void peer_read(int fd, uint8_t *acc, size_t *acc_len, size_t cap, size_t piece, int *data_rx)
{
    for (;;) {
        size_t want = piece < cap - *acc_len ? piece : cap - *acc_len;
        ssize_t n = read(fd, acc + *acc_len, want);
        if (n <= 0) break;
        *acc_len += (size_t)n;
        size_t off = 0;
        while (*acc_len - off >= 8) {
            size_t ml = (size_t)acc[off + 4] << 24 | (size_t)acc[off + 5] << 16 |
                        (size_t)acc[off + 6] << 8 | acc[off + 7];
            if (*acc_len - off < ml) break;
            if (acc[off + 2] == 1 && acc[off + 3] == 1) (*data_rx)++;
            off += ml;
        }
        memmove(acc, acc + off, *acc_len - off);
        *acc_len -= off;
        if ((size_t)n < want) break;
    }
}

static void test_lost_after_partial_write(void)
{
    signal(SIGPIPE, SIG_IGN);
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
    int small = 4096;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    ssgw_evloop *loop = ssgw_evloop_new();
    CHECK(loop != NULL);
    CHECK(ssgw_evloop_add_fd(loop, sv[0], 0, no_event, NULL) == 0);

    static const gw_tp_ops ops = {.down = on_down};
    gw_tp t;
    memset(&t, 0, sizeof t);
    t.loop = loop;
    t.kind = SSGW_GW_TRANSPORT_TCP;
    t.limit = 4u << 20;
    t.ops = &ops;
    t.lfd = -1;
    t.fd = sv[0];
    t.qcap = t.limit + 64 * 1024;
    t.q = malloc(t.qcap);
    CHECK(t.q != NULL);
    gw_tp_became_up(&t);

    uint8_t m[600];
    int data_sent = 0, data_rx = 0;
    srand(7);
    for (int i = 0; i < N_MSGS; i++) {
        bool data = i % 7 != 3;
        size_t len = 12 + (size_t)(rand() % 500);
        CHECK(gw_tp_send(&t, m, m3ua_msg(m, data, len, (uint32_t)i), 0) == 0);
        data_sent += data;
    }

    static uint8_t acc[1 << 16];
    size_t acc_len = 0;
    int rounds = 0;
    gw_tp_flush(&t);
    /* until a write has stopped inside a message, with messages still queued behind it */
    while ((t.qh == t.qmsg || t.qt - t.qh < 2000) && rounds < 10000) {
        peer_read(sv[1], acc, &acc_len, sizeof acc, 333 + (size_t)rounds % 97, &data_rx);
        gw_tp_flush(&t);
        rounds++;
    }
    CHECK(t.qh != t.qmsg);      /* a write stopped inside a message */
    CHECK(t.qt - t.qh >= 2000); /* and messages wait behind it */
    peer_read(sv[1], acc, &acc_len, sizeof acc, sizeof acc, &data_rx); /* all the kernel has */
    CHECK(data_rx > 0 && data_rx < data_sent);

    close(sv[1]); /* the peer dies: the next write fails, the association goes down */
    gw_tp_flush(&t);
    CHECK_INT(downs, 1);
    CHECK_INT((long long)lost_at_down, (long long)(data_sent - data_rx));
    CHECK(!t.up && t.fd < 0);

    free(t.q);
    ssgw_evloop_free(loop);
}

int main(void)
{
    RUN(test_lost_after_partial_write);
    return check_summary();
}
