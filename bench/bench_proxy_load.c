/*
 * bench_proxy_load.c - load generator and sink in one process for the live
 * proxy benchmark (DESIGN.md section 7: M3UA over TCP on loopback, >= 300,000
 * MSU/s on 2 cores, >= 70 % of a plain relay, p99 added latency <= 200 us at
 * 20,000 MSU/s). Run by bench/run-proxy.sh, never by ctest.
 *
 *   load (ASP) --TCP--> proxy (gateway or bench/relay_plain) --TCP--> sink (SG)
 *
 * The load side connects to the proxy as an M3UA ASP (RFC 4666 4.3.1: ASPUP,
 * then ASPAC with the routing context) and the sink side listens and answers
 * the proxy's own ASP (ASPUP_ACK, ASPAC_ACK, BEAT_ACK) as an SG. Both are one
 * thread on one epoll. Once both associations are ACTIVE, DATA messages are
 * sent from the Protocol Data of the M3UA DATA messages of a capture (`ssgw
 * attack` / `ssgw generate`), cycled in capture order: as fast as the proxy
 * takes them (--rate 0: throughput; the proxy's back pressure paces the
 * sender) or at a fixed rate, one message per write (--rate N: latency).
 * With --home-pc PC the capture's two directions are kept: a message whose
 * OPC is PC (sent by the home network) is sent by the sink side toward the
 * load side (outbound through a gateway), the others by the load side
 * (inbound). Without it everything goes load -> sink.
 *
 * Matching: every DATA sent is rebuilt as Routing Context + Protocol Data
 * (copied from the capture) + Correlation Id (RFC 4666 3.3.1, tag 0x0013),
 * and the Correlation Id carries a 32-bit sequence number. A proxy that
 * forwards the message (the gateway only rewrites the Routing Context, which
 * keeps the other parameters and their order) delivers it to the sink, which
 * (or the load side, for outbound messages) reads the sequence back, looks up the send time
 * (CLOCK_MONOTONIC, taken just before the write() that carried the message) and takes the latency
 * at the return of the read() that brought it. The Protocol Data is compared with what was sent:
 * different bytes count as `modified` (a token added or stripped), a message without the
 * Correlation Id as `unmatched` (answers the proxy built itself: TCAP aborts, MAP errors, UDTS).
 * `reordered` counts messages that arrived after a later one of the same direction.
 *
 * Counting: after --warmup seconds the measurement window of --seconds
 * starts; `sent_per_s` is what the proxy accepted in the window (with a full
 * pipe and back pressure this is its processing rate), `recv_per_s` what the
 * sink received in the window; latency percentiles cover the messages sent in
 * the window. After the window, sending stops and the sink drains (until
 * everything arrived or nothing came for --linger ms). Bounded: every phase
 * has a deadline, the ring of send times and the latency samples are capped.
 *
 * Output: one line `result key=value ...` on stdout (see run-proxy.sh). `passes` is the
 * number of times the capture was sent (messages sent / templates): above 1, the same
 * bytes went out again, which a verifier of security tokens reports as replays. With
 * --once the capture is sent once at most: the window ends early when its last message
 * is queued (`window_s` is then the time it took, `once_short=1`), so a signed capture's
 * tokens are all fresh and a verifier's figures count first passes only. `cpu_s` is
 * this process's own CPU time (user + system), to tell a saturated load from a saturated proxy.
 * Exit status 0, or 1 (no association, nothing received), 2 (usage).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ssgw/buf.h"
#include "ssgw/capture.h"
#include "ssgw/m3ua.h"
#include "util/bytes.h"

#define IN_CAP      (1024 * 1024)
#define OUT_CAP     (2 * 1024 * 1024)
#define FILL_TARGET (256 * 1024) /* throughput: bytes kept queued in user space */
#define RING_BITS   22           /* send times kept for 4 M messages in flight */
#define RING_MASK   ((1u << RING_BITS) - 1)
#define MAX_SAMPLES (16u * 1024 * 1024)

typedef struct {
    int fd;
    bool up;   /* ACTIVE */
    int state; /* load: 0 connecting, 1 ASPUP sent, 2 ASPAC sent, 3 active */
    uint8_t *in;
    size_t in_len;
    uint8_t *out;
    size_t oh, ot;
    bool want_write;
} conn;

typedef struct {
    size_t off, len; /* template in the arena */
    size_t pd_off;   /* Protocol Data value inside the template */
    size_t pd_len;
    bool from_sink; /* sent by the sink side (outbound: OPC = --home-pc) */
} tmpl;

static struct {
    /* options */
    char connect_host[64], listen_host[64];
    uint16_t connect_port, listen_port;
    const char *pcap;
    double rate;
    double warmup, seconds;
    unsigned linger_ms;
    uint32_t rc, rc_sink, home_pc;
    uint64_t max_templates;
    bool once; /* --once: stop after one pass over the capture */
    const char *label;
    /* state */
    int ep, lfd;
    conn src, snk;
    uint8_t *arena;
    size_t arena_len;
    tmpl *t;
    size_t nt;
    uint64_t *sent_ns; /* ring by sequence */
    uint32_t *lat;     /* ns, capped */
    size_t nlat;
    uint64_t seq_next;             /* next sequence to send */
    uint64_t meas_first, meas_end; /* sequences sent in the window: [first, end) */
    bool in_window, window_done;
    bool once_short; /* --once ended the window before --seconds */
    uint64_t w0, w1; /* window start/end (ns) */
    uint64_t sent_window, recv_window;
    uint64_t n_from_sink;
    uint64_t received, modified, unmatched, reordered, late_unknown, errs_in, mgmt_in;
    uint64_t last_seq_seen[2]; /* per direction (receiving side) */
    bool any_seen[2];
    uint64_t last_rx_ns;
} G;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double cpu_s(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) < 0) return -1;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *fmt, const char *a)
{
    fprintf(stderr, "bench_proxy_load: ");
    fprintf(stderr, fmt, a);
    fprintf(stderr, "\n");
    exit(1);
}

static int parse_hostport(const char *s, char *host, size_t hcap, uint16_t *port)
{
    const char *c = strrchr(s, ':');
    if (!c || (size_t)(c - s) >= hcap) return -1;
    memcpy(host, s, (size_t)(c - s));
    host[c - s] = 0;
    long p = strtol(c + 1, NULL, 10);
    if (p < 1 || p > 65535) return -1;
    *port = (uint16_t)p;
    return 0;
}

static void make_addr(const char *host, uint16_t port, struct sockaddr_in *a)
{
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1) die("bad IPv4 address '%s'", host);
}

/* ---- capture: the Protocol Data of every DATA message becomes a template ---------- */

static void arena_put(size_t *cap, const void *p, size_t n)
{
    if (G.arena_len + n > *cap) {
        *cap = (*cap + n) * 2;
        G.arena = realloc(G.arena, *cap);
        if (!G.arena) die("%s", "out of memory");
    }
    memcpy(G.arena + G.arena_len, p, n);
    G.arena_len += n;
}

static void load_templates(void)
{
    char err[256];
    ssgw_capture *c = ssgw_capture_open(G.pcap, NULL, err, sizeof err);
    if (!c) die("%s", err);
    size_t acap = 1 << 20, tcap = 1024;
    G.arena = malloc(acap);
    G.t = malloc(tcap * sizeof *G.t);
    if (!G.arena || !G.t) die("%s", "out of memory");
    ssgw_capture_msg m;
    while (G.nt < G.max_templates && ssgw_capture_next(c, &m) == 1) {
        if (m.is_error || m.kind != SSGW_CAPTURE_KIND_M3UA) continue;
        ssgw_m3ua_msg msg;
        ssgw_error e;
        if (ssgw_m3ua_decode(m.data, m.len, &msg, &e) < 0) continue;
        if (msg.msg_class != SSGW_M3UA_CLASS_TRANSFER || msg.msg_type != SSGW_M3UA_TRANSFER_DATA)
            continue;
        ssgw_m3ua_param_iter it;
        ssgw_m3ua_param p;
        ssgw_m3ua_param_iter_init_raw(&it, m.data + SSGW_M3UA_HDR_LEN, m.len - SSGW_M3UA_HDR_LEN,
                                      SSGW_M3UA_HDR_LEN);
        const uint8_t *pd = NULL;
        size_t pdl = 0;
        while (ssgw_m3ua_param_next(&it, &p, &e) == 1)
            if (p.tag == SSGW_M3UA_TAG_PROTOCOL_DATA) {
                pd = m.data + p.offset + 4;
                pdl = p.len;
            }
        if (!pd || pdl < 12) continue;
        if (G.nt == tcap) {
            tcap *= 2;
            G.t = realloc(G.t, tcap * sizeof *G.t);
            if (!G.t) die("%s", "out of memory");
        }
        /* header, RC, Protocol Data (padded), Correlation Id (sequence patched on send) */
        size_t pad = (4 - (pdl & 3)) & 3;
        size_t total = 8 + 8 + 4 + pdl + pad + 8;
        uint8_t h[20];
        h[0] = 1;
        h[1] = 0;
        h[2] = SSGW_M3UA_CLASS_TRANSFER;
        h[3] = SSGW_M3UA_TRANSFER_DATA;
        put_be32(h + 4, (uint32_t)total);
        put_be16(h + 8, SSGW_M3UA_TAG_ROUTING_CONTEXT);
        put_be16(h + 10, 8);
        uint32_t opc = get_be32(pd);
        bool from_sink = G.home_pc && opc == G.home_pc;
        put_be32(h + 12, from_sink ? G.rc_sink : G.rc);
        put_be16(h + 16, SSGW_M3UA_TAG_PROTOCOL_DATA);
        put_be16(h + 18, (uint16_t)(4 + pdl));
        tmpl *t = &G.t[G.nt++];
        t->off = G.arena_len;
        t->len = total;
        arena_put(&acap, h, sizeof h);
        t->pd_off = G.arena_len - t->off;
        t->pd_len = pdl;
        t->from_sink = from_sink;
        G.n_from_sink += from_sink;
        arena_put(&acap, pd, pdl);
        static const uint8_t zeros[4];
        arena_put(&acap, zeros, pad);
        uint8_t cid[8];
        put_be16(cid, SSGW_M3UA_TAG_CORRELATION_ID);
        put_be16(cid + 2, 8);
        put_be32(cid + 4, 0);
        arena_put(&acap, cid, 8);
    }
    ssgw_capture_close(c);
    if (!G.nt) die("no M3UA DATA message in '%s'", G.pcap);
}

/* ---- connections -------------------------------------------------------------------- */

static void conn_init(conn *c)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    c->in = malloc(IN_CAP);
    c->out = malloc(OUT_CAP);
    if (!c->in || !c->out) die("%s", "out of memory");
}

static void set_events(conn *c, bool want_write)
{
    if (c->fd < 0 || c->want_write == want_write) return;
    struct epoll_event ev = {.events = EPOLLIN | (want_write ? EPOLLOUT : 0u), .data.ptr = c};
    epoll_ctl(G.ep, EPOLL_CTL_MOD, c->fd, &ev);
    c->want_write = want_write;
}

static void conn_add(conn *c, int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    c->fd = fd;
    c->want_write = false;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(G.ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl: %s", strerror(errno));
}

static void conn_fail(conn *c, const char *why)
{
    fprintf(stderr, "bench_proxy_load: %s association: %s\n", c == &G.src ? "load" : "sink", why);
    exit(1);
}

/* Writes what the socket takes now. */
static void conn_flush(conn *c)
{
    while (c->oh < c->ot) {
        ssize_t n = write(c->fd, c->out + c->oh, c->ot - c->oh);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) break;
            conn_fail(c, strerror(errno));
        }
        c->oh += (size_t)n;
    }
    if (c->oh == c->ot) c->oh = c->ot = 0;
    set_events(c, c->oh < c->ot);
}

static uint8_t *conn_room(conn *c, size_t n)
{
    if (c->ot + n > OUT_CAP) {
        memmove(c->out, c->out + c->oh, c->ot - c->oh);
        c->ot -= c->oh;
        c->oh = 0;
        if (c->ot + n > OUT_CAP) return NULL;
    }
    return c->out + c->ot;
}

static void send_mgmt(conn *c, int (*enc)(ssgw_buf *, const void *), const void *arg)
{
    uint8_t mem[256];
    ssgw_buf b;
    ssgw_buf_init(&b, mem, sizeof mem);
    if (enc(&b, arg) < 0 || b.overflow) die("%s", "encoding a management message failed");
    uint8_t *p = conn_room(c, b.len);
    if (!p) die("%s", "output queue full");
    memcpy(p, mem, b.len);
    c->ot += b.len;
    conn_flush(c);
}

static int enc_aspup(ssgw_buf *b, const void *a)
{
    (void)a;
    return ssgw_m3ua_encode_aspup(b, NULL, NULL);
}
static int enc_aspup_ack(ssgw_buf *b, const void *a)
{
    (void)a;
    return ssgw_m3ua_encode_aspup_ack(b, NULL, NULL);
}
static int enc_aspac(ssgw_buf *b, const void *a)
{
    (void)a;
    return ssgw_m3ua_encode_aspac(b, SSGW_M3UA_TMT_OVERRIDE, &G.rc, 1, NULL);
}
static int enc_aspac_ack_from(ssgw_buf *b, const void *a)
{
    const ssgw_m3ua_msg *m = a;
    uint32_t rc[8];
    size_t n = 0;
    if (m->present & SSGW_M3UA_HAS_ROUTING_CONTEXT)
        for (; n < m->routing_context.count && n < 8; n++)
            rc[n] = ssgw_m3ua_u32_at(&m->routing_context, n);
    uint32_t tmt = (m->present & SSGW_M3UA_HAS_TRAFFIC_MODE) ? m->traffic_mode : 0;
    return ssgw_m3ua_encode_aspac_ack(b, tmt, n ? rc : NULL, n, NULL);
}
static int enc_beat_ack_from(ssgw_buf *b, const void *a)
{
    const ssgw_m3ua_msg *m = a;
    return ssgw_m3ua_encode_beat_ack(b, m->heartbeat_data, m->heartbeat_data_len);
}

/* ---- receive ------------------------------------------------------------------------ */

static void on_data(const uint8_t *m, size_t len, uint64_t t, int dir)
{
    G.received++;
    G.last_rx_ns = t;
    if (G.in_window && !G.window_done) G.recv_window++;
    const uint8_t *pd = NULL;
    size_t pdl = 0;
    bool has_seq = false;
    uint32_t seq32 = 0;
    size_t pos = SSGW_M3UA_HDR_LEN;
    while (pos + 4 <= len) {
        uint16_t tag = get_be16(m + pos), pl = get_be16(m + pos + 2);
        if (pl < 4 || pos + pl > len) break;
        if (tag == SSGW_M3UA_TAG_CORRELATION_ID && pl == 8) {
            seq32 = get_be32(m + pos + 4);
            has_seq = true;
        } else if (tag == SSGW_M3UA_TAG_PROTOCOL_DATA) {
            pd = m + pos + 4;
            pdl = pl - 4u;
        }
        pos += ((size_t)pl + 3) & ~(size_t)3;
    }
    if (!has_seq) {
        G.unmatched++;
        return;
    }
    /* widen the 32-bit sequence to the nearest sequence already sent */
    uint64_t seq = (G.seq_next & ~(uint64_t)0xffffffffu) | seq32;
    if (seq >= G.seq_next && seq >= (1ull << 32)) seq -= 1ull << 32;
    if (seq >= G.seq_next || G.seq_next - seq > RING_MASK) {
        G.late_unknown++;
        return;
    }
    if (G.any_seen[dir] && seq <= G.last_seq_seen[dir]) G.reordered++;
    G.any_seen[dir] = true;
    G.last_seq_seen[dir] = seq;
    const tmpl *tp = &G.t[seq % G.nt];
    if (!pd || pdl != tp->pd_len || memcmp(pd, G.arena + tp->off + tp->pd_off, pdl) != 0)
        G.modified++;
    if (seq >= G.meas_first && seq < G.meas_end && G.nlat < MAX_SAMPLES) {
        uint64_t d = t - G.sent_ns[seq & RING_MASK];
        G.lat[G.nlat++] = d > 0xffffffffu ? 0xffffffffu : (uint32_t)d;
    }
}

static void on_msg(conn *c, const uint8_t *m, size_t len, uint64_t t)
{
    if (m[2] == SSGW_M3UA_CLASS_TRANSFER && m[3] == SSGW_M3UA_TRANSFER_DATA) {
        on_data(m, len, t, c == &G.snk); /* either direction */
        return;
    }
    G.mgmt_in++;
    ssgw_m3ua_msg msg;
    ssgw_error e;
    if (ssgw_m3ua_decode(m, len, &msg, &e) < 0) {
        G.errs_in++;
        return;
    }
    uint8_t cl = msg.msg_class, ty = msg.msg_type;
    if (cl == SSGW_M3UA_CLASS_MGMT && ty == SSGW_M3UA_MGMT_ERR) {
        G.errs_in++;
        fprintf(stderr, "bench_proxy_load: ERR received on the %s side (code %u)\n",
                c == &G.src ? "load" : "sink", (unsigned)msg.error_code);
        return;
    }
    if (cl == SSGW_M3UA_CLASS_ASPSM && ty == SSGW_M3UA_ASPSM_BEAT) {
        send_mgmt(c, enc_beat_ack_from, &msg);
        return;
    }
    if (c == &G.src) { /* we are the ASP */
        if (cl == SSGW_M3UA_CLASS_ASPSM && ty == SSGW_M3UA_ASPSM_ASPUP_ACK && c->state == 1) {
            c->state = 2;
            send_mgmt(c, enc_aspac, NULL);
        } else if (cl == SSGW_M3UA_CLASS_ASPTM && ty == SSGW_M3UA_ASPTM_ASPAC_ACK &&
                   c->state == 2) {
            c->state = 3;
            c->up = true;
        }
        return;
    }
    /* sink: we are the SG */
    if (cl == SSGW_M3UA_CLASS_ASPSM && ty == SSGW_M3UA_ASPSM_ASPUP)
        send_mgmt(c, enc_aspup_ack, NULL);
    else if (cl == SSGW_M3UA_CLASS_ASPTM && ty == SSGW_M3UA_ASPTM_ASPAC) {
        send_mgmt(c, enc_aspac_ack_from, &msg);
        c->up = true;
    } else if (cl == SSGW_M3UA_CLASS_ASPTM && ty == SSGW_M3UA_ASPTM_ASPIA)
        c->up = false;
}

static void conn_read(conn *c)
{
    for (int round = 0; round < 4; round++) {
        ssize_t n = read(c->fd, c->in + c->in_len, IN_CAP - c->in_len);
        if (n == 0) conn_fail(c, "closed by the proxy");
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) return;
            conn_fail(c, strerror(errno));
        }
        uint64_t t = now_ns();
        c->in_len += (size_t)n;
        size_t pos = 0;
        while (c->in_len - pos >= SSGW_M3UA_HDR_LEN) {
            uint32_t l = get_be32(c->in + pos + 4);
            if (c->in[pos] != 1 || l < SSGW_M3UA_HDR_LEN || l > SSGW_M3UA_MAX_MSG_DEFAULT)
                conn_fail(c, "bad M3UA framing");
            if (c->in_len - pos < l) break;
            on_msg(c, c->in + pos, l, t);
            pos += l;
        }
        memmove(c->in, c->in + pos, c->in_len - pos);
        c->in_len -= pos;
        if ((size_t)n < IN_CAP / 4) return;
    }
}

/* ---- send --------------------------------------------------------------------------- */

/* Appends the next message (sequence patched in) to the queue of the side that sends it
 * (the load, or the sink for outbound messages); NULL when that queue is full. */
static conn *queue_next(uint64_t t)
{
    if (G.once && G.seq_next >= G.nt) return NULL;
    const tmpl *tp = &G.t[G.seq_next % G.nt];
    conn *c = tp->from_sink ? &G.snk : &G.src;
    if (c->ot - c->oh >= FILL_TARGET && G.rate == 0) return NULL;
    uint8_t *p = conn_room(c, tp->len);
    if (!p) return NULL;
    memcpy(p, G.arena + tp->off, tp->len);
    put_be32(p + tp->len - 4, (uint32_t)G.seq_next);
    c->ot += tp->len;
    G.sent_ns[G.seq_next & RING_MASK] = t;
    if (G.in_window && !G.window_done) G.sent_window++;
    G.seq_next++;
    return c;
}

/* Throughput: both queues filled from one sequence (the capture's order is kept across
 * the two directions as far as the sender goes), then written. */
static void fill_throughput(void)
{
    uint64_t t = now_ns();
    while (queue_next(t))
        ;
    conn_flush(&G.src);
    conn_flush(&G.snk);
}

/* ---- main --------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: bench_proxy_load --connect HOST:PORT --listen HOST:PORT --pcap FILE\n"
               "         [--rate N] [--warmup S] [--seconds S] [--linger MS] [--rc N]\n"
               "         [--templates N] [--label NAME] [--rc-sink N] [--home-pc PC] [--once]\n"
               "Connects as M3UA ASP to the proxy's load side, accepts the proxy's\n"
               "connection to the sink as SG, sends DATA from FILE's messages (rate 0:\n"
               "as fast as taken) and prints one `result key=value ...` line. With\n"
               "--home-pc, messages whose OPC is PC go the other way (sink -> load).\n"
               "--once: the capture is sent once at most; the window ends when it is.\n");
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static double pct(double p)
{
    if (!G.nlat) return 0;
    size_t i = (size_t)(p * (double)(G.nlat - 1) + 0.5);
    return G.lat[i] / 1000.0;
}

static void wait_events(long long timeout_ns)
{
    struct epoll_event evs[8];
    struct timespec ts = {.tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000};
    int n = epoll_pwait2(G.ep, evs, 8, timeout_ns < 0 ? NULL : &ts, NULL);
    for (int i = 0; i < n; i++) {
        if (evs[i].data.ptr == NULL) { /* listener */
            int fd = accept4(G.lfd, NULL, NULL, SOCK_CLOEXEC);
            if (fd < 0) continue;
            if (G.snk.fd >= 0) {
                close(fd);
                continue;
            }
            conn_add(&G.snk, fd);
            continue;
        }
        conn *c = evs[i].data.ptr;
        if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) conn_read(c);
        if (evs[i].events & EPOLLOUT) conn_flush(c);
    }
}

static void connect_load(void)
{
    struct sockaddr_in a;
    make_addr(G.connect_host, G.connect_port, &a);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket: %s", strerror(errno));
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return; /* retried */
    }
    conn_add(&G.src, fd);
    G.src.state = 1;
    send_mgmt(&G.src, enc_aspup, NULL);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"connect", required_argument, NULL, 'c'},
                                         {"listen", required_argument, NULL, 'l'},
                                         {"pcap", required_argument, NULL, 'p'},
                                         {"rate", required_argument, NULL, 'r'},
                                         {"warmup", required_argument, NULL, 'w'},
                                         {"seconds", required_argument, NULL, 's'},
                                         {"linger", required_argument, NULL, 'g'},
                                         {"rc", required_argument, NULL, 'R'},
                                         {"templates", required_argument, NULL, 't'},
                                         {"rc-sink", required_argument, NULL, 'S'},
                                         {"home-pc", required_argument, NULL, 'H'},
                                         {"label", required_argument, NULL, 'L'},
                                         {"once", no_argument, NULL, 'O'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    G.warmup = 0.5;
    G.seconds = 3;
    G.linger_ms = 500;
    G.rc = 10;
    G.rc_sink = 20;
    G.max_templates = 200000;
    G.label = "proxy";
    bool have_c = false, have_l = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'c':
            if (parse_hostport(optarg, G.connect_host, sizeof G.connect_host, &G.connect_port))
                die("bad --connect '%s'", optarg);
            have_c = true;
            break;
        case 'l':
            if (parse_hostport(optarg, G.listen_host, sizeof G.listen_host, &G.listen_port))
                die("bad --listen '%s'", optarg);
            have_l = true;
            break;
        case 'p':
            G.pcap = optarg;
            break;
        case 'r':
            G.rate = strtod(optarg, NULL);
            break;
        case 'w':
            G.warmup = strtod(optarg, NULL);
            break;
        case 's':
            G.seconds = strtod(optarg, NULL);
            break;
        case 'g':
            G.linger_ms = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'R':
            G.rc = (uint32_t)strtoul(optarg, NULL, 10);
            break;
        case 'S':
            G.rc_sink = (uint32_t)strtoul(optarg, NULL, 10);
            break;
        case 'H':
            G.home_pc = (uint32_t)strtoul(optarg, NULL, 10);
            break;
        case 't':
            G.max_templates = strtoull(optarg, NULL, 10);
            break;
        case 'L':
            G.label = optarg;
            break;
        case 'O':
            G.once = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!have_c || !have_l || !G.pcap || G.rate < 0 || G.seconds <= 0 || G.seconds > 60 ||
        G.warmup < 0 || G.warmup > 60 || !G.max_templates) {
        usage(stderr);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_TIMERSLACK, 1UL); /* paced sends on time to the microsecond */
    load_templates();
    G.sent_ns = calloc((size_t)RING_MASK + 1, sizeof *G.sent_ns);
    G.lat = malloc(MAX_SAMPLES * sizeof *G.lat);
    if (!G.sent_ns || !G.lat) die("%s", "out of memory");
    G.ep = epoll_create1(EPOLL_CLOEXEC);
    conn_init(&G.src);
    conn_init(&G.snk);

    /* sink listener first: the proxy (or the load itself, direct) connects to it */
    struct sockaddr_in la;
    make_addr(G.listen_host, G.listen_port, &la);
    G.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(G.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(G.lfd, (struct sockaddr *)&la, sizeof la) < 0 || listen(G.lfd, 4) < 0)
        die("listen: %s", strerror(errno));
    struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(G.ep, EPOLL_CTL_ADD, G.lfd, &lev);

    /* set-up: both associations ACTIVE within 10 s */
    uint64_t t0 = now_ns(), next_try = t0;
    while (!(G.src.up && G.snk.up)) {
        uint64_t t = now_ns();
        if (t - t0 > 10000000000ull) {
            fprintf(stderr,
                    "bench_proxy_load: associations not ACTIVE after 10 s (load %s, sink %s)\n",
                    G.src.up ? "active" : "not active", G.snk.up ? "active" : "not active");
            return 1;
        }
        if (G.src.fd < 0 && t >= next_try) {
            connect_load();
            next_try = t + 50000000ull;
        }
        wait_events(20000000);
    }
    /* settle: let the proxy finish its own bring-up (NTFY etc.) */
    for (uint64_t ts = now_ns(); now_ns() - ts < 100000000ull;)
        wait_events(10000000);

    uint64_t start = now_ns();
    G.w0 = start + (uint64_t)(G.warmup * 1e9);
    G.w1 = G.w0 + (uint64_t)(G.seconds * 1e9);
    G.meas_first = G.meas_end = UINT64_MAX;
    double interval = G.rate > 0 ? 1e9 / G.rate : 0;
    uint64_t paced = 0; /* messages due since start */
    for (;;) {
        uint64_t t = now_ns();
        if (!G.in_window && t >= G.w0) {
            G.in_window = true;
            G.meas_first = G.seq_next;
        }
        if (G.once && G.seq_next >= G.nt) { /* the whole capture queued: the window ends */
            if (!G.in_window) {
                fprintf(stderr, "bench_proxy_load: --once: the capture ran out in the warm-up\n");
                G.in_window = true;
                G.meas_first = G.seq_next;
                G.w0 = t;
            }
            if (t < G.w1) {
                G.w1 = t;
                G.once_short = true;
            }
        }
        if (G.in_window && !G.window_done && t >= G.w1) {
            G.window_done = true;
            G.meas_end = G.seq_next;
            break;
        }
        long long timeout;
        if (interval == 0) {
            if (!G.src.want_write && !G.snk.want_write) fill_throughput();
            timeout = G.src.want_write || G.snk.want_write ? 1000000 : 0;
        } else {
            paced = (uint64_t)((double)(t - start) / interval) + 1;
            while (G.seq_next < paced) {
                uint64_t ts = now_ns();
                conn *c = queue_next(ts);
                if (!c) break;
                conn_flush(c); /* one message per write: its own latency */
            }
            uint64_t due = start + (uint64_t)((double)G.seq_next * interval);
            t = now_ns();
            timeout = due > t ? (long long)(due - t) : 0;
        }
        wait_events(timeout);
    }
    /* drain: the window's messages arrive, or nothing came for linger ms (max 5 s) */
    uint64_t d0 = now_ns();
    G.last_rx_ns = d0;
    while (G.received + 0 < G.seq_next) {
        uint64_t t = now_ns();
        if (t - G.last_rx_ns > (uint64_t)G.linger_ms * 1000000u || t - d0 > 5000000000ull) break;
        if (G.src.oh < G.src.ot) conn_flush(&G.src);
        if (G.snk.oh < G.snk.ot) conn_flush(&G.snk);
        wait_events(10000000);
    }
    qsort(G.lat, G.nlat, sizeof *G.lat, cmp_u32);
    double secs = (double)(G.w1 - G.w0) / 1e9;
    if (secs <= 0) secs = 1e-9; /* --once: the capture ran out before the window opened */
    double mean = 0;
    for (size_t i = 0; i < G.nlat; i++)
        mean += G.lat[i];
    mean = G.nlat ? mean / (double)G.nlat / 1000.0 : 0;
    printf("result label=%s mode=%s rate=%.0f templates=%zu from_sink=%llu window_s=%.3f sent=%llu "
           "received=%llu "
           "sent_window=%llu recv_window=%llu sent_per_s=%.0f recv_per_s=%.0f lost=%llu "
           "modified=%llu unmatched=%llu reordered=%llu unknown=%llu mgmt_in=%llu err_in=%llu "
           "passes=%.2f cpu_s=%.2f lat_n=%zu p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f "
           "max_us=%.1f "
           "mean_us=%.1f once_short=%d\n",
           G.label, G.rate > 0 ? "rate" : "throughput", G.rate, G.nt,
           (unsigned long long)G.n_from_sink, secs, (unsigned long long)G.seq_next,
           (unsigned long long)G.received, (unsigned long long)G.sent_window,
           (unsigned long long)G.recv_window, (double)G.sent_window / secs,
           (double)G.recv_window / secs,
           (unsigned long long)(G.seq_next > G.received ? G.seq_next - G.received : 0),
           (unsigned long long)G.modified, (unsigned long long)G.unmatched,
           (unsigned long long)G.reordered, (unsigned long long)G.late_unknown,
           (unsigned long long)G.mgmt_in, (unsigned long long)G.errs_in,
           (double)G.seq_next / (double)G.nt, cpu_s(), G.nlat, pct(0.50), pct(0.90), pct(0.99),
           pct(0.999), G.nlat ? G.lat[G.nlat - 1] / 1000.0 : 0.0, mean, G.once_short);
    return G.received ? 0 : 1;
}
