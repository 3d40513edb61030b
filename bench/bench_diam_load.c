/*
 * bench_diam_load.c - load generator and sink in one process for the Diameter
 * proxy benchmark (bench/run-diam-proxy.sh; never run by ctest):
 *
 *   load (MME) --TCP--> proxy (ssgw run, or bench/relay_plain_diam) --TCP--> sink (HSS)
 *
 * Both sides connect to the proxy and do the capabilities exchange (CER, wait
 * for the CEA; DWRs are answered). Then the load side sends S6a ULRs (our
 * subscriber, a partner's realm, Visited-PLMN-Id: requests examples/ssgw.conf's
 * firewall lets through) keeping --window requests in flight; the sink answers
 * each with a ULA (Session-Id, DIAMETER_SUCCESS) at once. A request counts when
 * its answer is back at the load side (two messages through the proxy): the
 * answer's hop-by-hop id is the request's (the proxy maps it), and the send time
 * of that id gives the round-trip latency.
 *
 * Output: `result sent=N answered=N answers_per_s=X msgs_per_s=X p50_us=.. p99_us=..
 * cpu_s=..` on stdout after --warmup + --seconds. Exit 0, 1 (no peer, nothing
 * answered), 2 (usage). Uses the project's encoder for the messages.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ssgw/diameter.h"
#include "util/bytes.h"

#define HOME   "epc.mnc091.mcc234.3gppnetwork.org"
#define SAFARI "epc.mnc002.mcc639.3gppnetwork.org"
#define IN_CAP (1 << 20)
#define RING   65536

typedef struct {
    int fd;
    uint8_t *in;
    size_t in_len;
    const char *host, *realm;
} conn;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int connect_to(const char *hp)
{
    char host[64];
    const char *colon = strrchr(hp, ':');
    if (!colon || (size_t)(colon - hp) >= sizeof host) return -1;
    memcpy(host, hp, (size_t)(colon - hp));
    host[colon - hp] = '\0';
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1))};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) return -1;
    for (int tries = 0; tries < 200; tries++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            return fd;
        }
        close(fd);
        struct timespec w = {0, 50000000};
        nanosleep(&w, NULL); /* the proxy is starting: retry its port */
    }
    return -1;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The next whole message in c->in (consumed by the caller with drop()), or NULL. */
static const uint8_t *next_msg(conn *c, size_t *len)
{
    if (c->in_len < 4) return NULL;
    size_t n = get_be24(c->in + 1);
    if (n < 20 || c->in_len < n) return NULL;
    *len = n;
    return c->in;
}

static void drop(conn *c, size_t n)
{
    memmove(c->in, c->in + n, c->in_len - n);
    c->in_len -= n;
}

static int fill(conn *c)
{
    ssize_t r = read(c->fd, c->in + c->in_len, IN_CAP - c->in_len);
    if (r <= 0) return -1;
    c->in_len += (size_t)r;
    return 0;
}

static long answer(uint8_t *out, size_t cap, const uint8_t *req, size_t len, conn *c)
{
    ssgw_buf b;
    ssgw_buf_init(&b, out, cap);
    ssgw_diam_answer_spec s = {SSGW_DIAM_SUCCESS, 0, c->host, c->realm, NULL};
    return ssgw_diam_answer(&b, req, len, &s);
}

static int cer(conn *c)
{
    uint8_t m[512];
    ssgw_buf b;
    ssgw_buf_init(&b, m, sizeof m);
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R, SSGW_DIAM_CMD_CAPABILITIES_EXCHANGE, 0, 1, 1);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, c->host);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, c->realm);
    ssgw_diam_enc_ipv4(&e, SSGW_DIAM_AVP_HOST_IP_ADDRESS, 0, 0x7f000001);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_VENDOR_ID, 0, 0);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_PRODUCT_NAME, 0, "bench_diam_load");
    ssgw_diam_enc_group_begin(&e, SSGW_DIAM_AVP_VENDOR_SPECIFIC_APPLICATION_ID, 0);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_VENDOR_ID, 0, SSGW_DIAM_VENDOR_3GPP);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_AUTH_APPLICATION_ID, 0, SSGW_DIAM_APP_S6A);
    ssgw_diam_enc_group_end(&e);
    long n = ssgw_diam_enc_end(&e);
    if (n < 0 || write_all(c->fd, m, (size_t)n) < 0) return -1;
    for (;;) {
        size_t len;
        const uint8_t *r = next_msg(c, &len);
        if (r) {
            bool cea = get_be24(r + 5) == SSGW_DIAM_CMD_CAPABILITIES_EXCHANGE && !(r[4] & 0x80);
            drop(c, len);
            if (cea) return 0;
            continue;
        }
        if (fill(c) < 0) return -1;
    }
}

/* A ULR for subscriber i with hop-by-hop id hbh. */
static long ulr(uint8_t *out, size_t cap, uint32_t hbh, uint32_t i)
{
    ssgw_buf b;
    ssgw_buf_init(&b, out, cap);
    ssgw_diam_enc e;
    char sid[64], imsi[16];
    snprintf(sid, sizeof sid, "mme1.%s;%u;1", SAFARI, hbh);
    snprintf(imsi, sizeof imsi, "23491%010u", 100000 + i % 100000);
    ssgw_diam_enc_begin(&e, &b, SSGW_DIAM_FLAG_R | SSGW_DIAM_FLAG_P, SSGW_DIAM_CMD_UPDATE_LOCATION,
                        SSGW_DIAM_APP_S6A, hbh, hbh);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_SESSION_ID, 0, sid);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_AUTH_SESSION_STATE, 0, 1);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, "mme1." SAFARI);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_REALM, 0, SAFARI);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_DESTINATION_REALM, 0, HOME);
    ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_USER_NAME, 0, imsi);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_RAT_TYPE, SSGW_DIAM_VENDOR_3GPP, 1004);
    ssgw_diam_enc_u32(&e, SSGW_DIAM_AVP_ULR_FLAGS, SSGW_DIAM_VENDOR_3GPP, 0x22);
    static const uint8_t plmn[3] = {0x36, 0xf9, 0x20}; /* 639-02 */
    ssgw_diam_enc_avp(&e, SSGW_DIAM_AVP_VISITED_PLMN_ID, SSGW_DIAM_VENDOR_3GPP, plmn, 3);
    return ssgw_diam_enc_end(&e);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const char *load_to = NULL, *sink_to = NULL;
    double warmup = 1, seconds = 5;
    unsigned window = 256;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--load"))
            load_to = argv[i + 1];
        else if (!strcmp(argv[i], "--sink"))
            sink_to = argv[i + 1];
        else if (!strcmp(argv[i], "--warmup"))
            warmup = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--seconds"))
            seconds = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--window"))
            window = (unsigned)atoi(argv[i + 1]);
        else {
            fprintf(stderr, "usage: bench_diam_load --load HOST:PORT --sink HOST:PORT "
                            "[--seconds S] [--warmup S] [--window N]\n");
            return 2;
        }
    }
    if (!load_to || !sink_to || !window || window > RING / 2) {
        fprintf(stderr, "bench_diam_load: --load and --sink are required\n");
        return 2;
    }
    conn sink = {connect_to(sink_to), malloc(IN_CAP), 0, "hss1." HOME, HOME};
    conn load = {-1, malloc(IN_CAP), 0, "mme1." SAFARI, SAFARI};
    if (sink.fd < 0 || cer(&sink) < 0 || (load.fd = connect_to(load_to)) < 0 || cer(&load) < 0) {
        fprintf(stderr, "bench_diam_load: no capabilities exchange with the proxy\n");
        return 1;
    }
    static uint64_t sent_at[RING];
    static uint32_t lat_us[1 << 20];
    size_t nlat = 0;
    uint64_t t0 = now_ns(), start = t0 + (uint64_t)(warmup * 1e9),
             end = start + (uint64_t)(seconds * 1e9);
    uint64_t sent = 0, answered = 0, win_sent = 0, win_answered = 0;
    uint32_t hbh = 1;
    uint8_t buf[1024], obuf[64 * 1024];
    struct pollfd pf[2] = {{load.fd, POLLIN, 0}, {sink.fd, POLLIN, 0}};
    for (;;) {
        uint64_t t = now_ns();
        if (t >= end) break;
        /* keep the window full: batch the requests into one write */
        size_t ol = 0;
        while (sent - answered < window && ol + sizeof buf < sizeof obuf) {
            long n = ulr(obuf + ol, sizeof obuf - ol, hbh, (uint32_t)sent);
            if (n < 0) return 1;
            sent_at[hbh % RING] = t;
            hbh++;
            ol += (size_t)n;
            sent++;
            if (t >= start) win_sent++;
        }
        if (ol && write_all(load.fd, obuf, ol) < 0) break;
        if (poll(pf, 2, 100) <= 0) continue;
        if (pf[1].revents & POLLIN) { /* the sink answers everything it got */
            if (fill(&sink) < 0) break;
            size_t len, al = 0;
            const uint8_t *m;
            while ((m = next_msg(&sink, &len))) {
                if (al + sizeof buf >= sizeof obuf) {
                    if (write_all(sink.fd, obuf, al) < 0) return 1;
                    al = 0;
                }
                long n = answer(obuf + al, sizeof obuf - al, m, len, &sink);
                if (n > 0) al += (size_t)n;
                drop(&sink, len);
            }
            if (al && write_all(sink.fd, obuf, al) < 0) break;
        }
        if (pf[0].revents & POLLIN) {
            if (fill(&load) < 0) break;
            size_t len;
            const uint8_t *m;
            uint64_t now = now_ns();
            while ((m = next_msg(&load, &len))) {
                if (!(m[4] & 0x80) && get_be24(m + 5) == SSGW_DIAM_CMD_UPDATE_LOCATION) {
                    uint32_t h = get_be32(m + 12);
                    answered++;
                    if (now >= start && now < end) {
                        win_answered++;
                        if (nlat < sizeof lat_us / sizeof lat_us[0])
                            lat_us[nlat++] = (uint32_t)((now - sent_at[h % RING]) / 1000);
                    }
                } else if ((m[4] & 0x80) && get_be24(m + 5) == SSGW_DIAM_CMD_DEVICE_WATCHDOG) {
                    long n = answer(buf, sizeof buf, m, len, &load);
                    if (n > 0) write_all(load.fd, buf, (size_t)n);
                }
                drop(&load, len);
            }
        }
    }
    qsort(lat_us, nlat, sizeof lat_us[0], cmp_u32);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("result sent=%llu answered=%llu window_sent=%llu answers_per_s=%.0f msgs_per_s=%.0f "
           "p50_us=%u p99_us=%u cpu_s=%.2f\n",
           (unsigned long long)sent, (unsigned long long)answered, (unsigned long long)win_sent,
           (double)win_answered / seconds, 2.0 * (double)win_answered / seconds,
           nlat ? lat_us[nlat / 2] : 0, nlat ? lat_us[nlat * 99 / 100] : 0, cpu);
    return win_answered ? 0 : 1;
}
