/*
 * gw_tp.c - transports on kernel sockets: TCP (messages framed by the length in
 * their header: M3UA, RFC 4666 3.1 / ssgw_m3ua_frame_len, or Diameter, RFC 6733
 * 3; the endpoint's gw_tp_framing says which) and kernel SCTP (lksctp
 * one-to-one sockets, the framing's PPID: 3 for M3UA, RFC 4666 1.4.7, 46 for
 * Diameter; stream per SLS), plus the bounded output queue every transport
 * shares. SCTP over UDP is in gw_usrsctp.c (its header conflicts with the
 * kernel's <netinet/sctp.h>).
 */
#include "gateway/gw_tp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ssgw/capture.h"
#include "ssgw/m3ua.h"
#include "ssgw/timefmt.h"
#include "util/bytes.h"

#ifdef SSGW_HAVE_LIBSCTP /* libsctp-dev: the headers and sctp_bindx & co. (gw_ksctp.c) */
#include <netinet/sctp.h>
#define HAVE_KSCTP 1
#endif

#define IN_CAP   (256 * 1024 + SSGW_M3UA_MAX_MSG_DEFAULT)
#define HEADROOM (2 * (SSGW_M3UA_MAX_MSG_DEFAULT + GW_TP_REC_HDR))

/* ---- M3UA framing ---------------------------------------------------------------- */

static size_t m3ua_msg_len(const uint8_t *p)
{
    return get_be32(p + 4);
}

static long m3ua_frame_len(const uint8_t *buf, size_t len, ssgw_error *err)
{
    return ssgw_m3ua_frame_len(buf, len, 0, err);
}

static bool m3ua_is_data(const uint8_t *m, size_t len)
{
    return len >= 4 && m[2] == SSGW_M3UA_CLASS_TRANSFER && m[3] == SSGW_M3UA_TRANSFER_DATA;
}

const gw_tp_framing gw_tp_framing_m3ua = {.name = "M3UA",
                                          .ppid = SSGW_SCTP_PPID_M3UA,
                                          .hdr_len = SSGW_M3UA_HDR_LEN,
                                          .msg_len = m3ua_msg_len,
                                          .frame_len = m3ua_frame_len,
                                          .is_data = m3ua_is_data};

static bool is_msg_kind(const gw_tp *t)
{
    return t->kind != SSGW_GW_TRANSPORT_TCP;
}

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

void gw_tp_peer_text(const struct sockaddr_storage *ss, char *out, size_t cap)
{
    char h[INET6_ADDRSTRLEN] = "?";
    uint16_t port = 0;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &a->sin_addr, h, sizeof h);
        port = ntohs(a->sin_port);
        snprintf(out, cap, "%s:%u", h, port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &a->sin6_addr, h, sizeof h);
        port = ntohs(a->sin6_port);
        snprintf(out, cap, "[%s]:%u", h, port);
    } else
        snprintf(out, cap, "?");
}

/* ---- queue ------------------------------------------------------------------------ */

/* TCP: moves qmsg to the start of the message qh is in (whole messages before it were
 * written). Done only when qmsg is needed (the queue's room, the lost count), not after
 * every write: most writes empty the queue, which resets it without a walk. */
static void sync_qmsg(gw_tp *t)
{
    const gw_tp_framing *f = gw_tp_framing_of(t);
    while (t->qmsg < t->qh) {
        if (t->qt - t->qmsg < f->hdr_len) break;
        size_t ml = f->msg_len(t->q + t->qmsg);
        if (ml < f->hdr_len || t->qmsg + ml > t->qh) break;
        t->qmsg += ml;
    }
}

static int queue_alloc(gw_tp *t)
{
    if (t->q) return 0;
    t->qcap = t->limit + HEADROOM;
    t->q = malloc(t->qcap);
    if (!t->in) t->in = malloc(IN_CAP);
    t->in_cap = IN_CAP;
    return t->q && t->in ? 0 : -ENOMEM;
}

size_t gw_tp_queued(const gw_tp *t)
{
    return t->qt - t->qh;
}

bool gw_tp_has_room(const gw_tp *t, size_t len)
{
    return t->up && gw_tp_queued(t) + len + GW_TP_REC_HDR <= t->limit;
}

int gw_tp_send(gw_tp *t, const uint8_t *m, size_t len, uint16_t stream)
{
    if (!t->up || t->closing) return -ENOTCONN;
    size_t need = len + (is_msg_kind(t) ? GW_TP_REC_HDR : 0);
    if (t->qt + need > t->qcap) {
        if (!is_msg_kind(t)) sync_qmsg(t);
        size_t head = is_msg_kind(t) ? t->qh : t->qmsg;
        size_t used = t->qt - head;
        if (used + need > t->qcap) return -ENOBUFS;
        memmove(t->q, t->q + head, used);
        t->qh -= head;
        t->qt = used;
        t->qmsg = 0;
    }
    uint8_t *p = t->q + t->qt;
    if (is_msg_kind(t)) {
        memcpy(p, &stream, 2);
        memset(p + 2, 0, 2);
        uint32_t l32 = (uint32_t)len;
        memcpy(p + 4, &l32, 4);
        p += GW_TP_REC_HDR;
    }
    memcpy(p, m, len);
    t->qt += need;
    if (gw_tp_queued(t) > t->limit) t->was_full = true;
    return 0;
}

/* Counts DATA messages still queued (lost with the association) and empties the queue. */
void gw_tp_lost_count(gw_tp *t)
{
    uint64_t n = 0;
    const gw_tp_framing *f = gw_tp_framing_of(t);
    /* TCP: from the start of the message a partial write stopped in (the peer cannot use
     * its first bytes either) */
    if (!is_msg_kind(t)) sync_qmsg(t);
    size_t pos = is_msg_kind(t) ? t->qh : t->qmsg;
    while (pos < t->qt) {
        const uint8_t *m;
        size_t len;
        if (is_msg_kind(t)) {
            uint32_t l32;
            memcpy(&l32, t->q + pos + 4, 4);
            m = t->q + pos + GW_TP_REC_HDR;
            len = l32;
            pos += GW_TP_REC_HDR + len;
        } else {
            if (t->qt - pos < f->hdr_len) break;
            m = t->q + pos;
            len = f->msg_len(m);
            if (len < f->hdr_len || len > t->qt - pos) break;
            pos += len;
        }
        if (f->is_data(m, len)) n++;
    }
    t->lost_data = n;
    t->qh = t->qt = t->qmsg = 0;
    t->in_len = 0;
    t->in_pending = false;
}

uint16_t gw_tp_stream_for_sls(const gw_tp *t, uint8_t sls)
{
    if (t->kind == SSGW_GW_TRANSPORT_TCP || t->out_streams <= 1) return 0;
    return (uint16_t)(1 + sls % (t->out_streams - 1));
}

/* ---- common state changes --------------------------------------------------------- */

static uint64_t reconnect_cb(ssgw_evloop *l, long long id, void *arg);

void gw_tp_schedule_reconnect(gw_tp *t)
{
    if (t->listen || t->reconnect_timer > 0 || !t->opened) return;
    t->reconnect_timer =
        ssgw_evloop_add_timer(t->loop, t->reconnect_ms ? t->reconnect_ms : 1000, reconnect_cb, t);
}

void gw_tp_became_up(gw_tp *t)
{
    t->up = true;
    t->connecting = false;
    t->closing = false;
    t->paused = false;
    t->was_full = false;
    t->qh = t->qt = t->qmsg = 0;
    t->in_len = 0;
    t->in_pending = false;
    t->connects++;
    if (t->ops->up) t->ops->up(t, t->arg);
}

static void fd_disconnect(gw_tp *t)
{
    if (t->fd >= 0) {
        ssgw_evloop_del_fd(t->loop, t->fd);
        close(t->fd);
        t->fd = -1;
    }
}

void gw_tp_disconnect(gw_tp *t, const char *why)
{
    bool was_up = t->up;
    if (t->kind == SSGW_GW_TRANSPORT_SCTP_UDP)
        gw_usr_disconnect(t);
    else
        fd_disconnect(t);
    t->connecting = false;
    t->up = false;
    t->closing = false;
    gw_tp_lost_count(t);
    if (was_up) {
        t->disconnects++;
        if (t->ops->down) t->ops->down(t, t->arg, why);
    }
    t->lost_data = 0;
    gw_tp_schedule_reconnect(t);
}

void gw_tp_close_after_flush(gw_tp *t)
{
    gw_tp_close_after_flush_why(t, "closed after a protocol error");
}

void gw_tp_close_after_flush_why(gw_tp *t, const char *why)
{
    t->closing_why = why;
    t->closing = true;
    gw_tp_pause_reading(t, true);
    gw_tp_flush(t);
}

/* ---- kernel sockets: TCP and lksctp ------------------------------------------------ */

static void fd_event(ssgw_evloop *l, int fd, unsigned ev, void *arg);

static void update_mask(gw_tp *t)
{
    if (t->fd < 0) return;
    unsigned m = 0;
    if (t->connecting || gw_tp_queued(t)) m |= SSGW_EV_WRITE;
    if (!t->connecting && !t->paused && !t->in_pending) m |= SSGW_EV_READ;
    ssgw_evloop_mod_fd(t->loop, t->fd, m);
}

bool gw_tp_all_sent(const gw_tp *t)
{
    if (!t->up) return true;
    if (gw_tp_queued(t)) return false;
    return t->kind != SSGW_GW_TRANSPORT_SCTP_UDP || gw_usr_all_acked(t);
}

void gw_tp_shutdown_write(gw_tp *t)
{
    if (!t->up) return;
    if (t->kind == SSGW_GW_TRANSPORT_SCTP_UDP)
        gw_usr_shutdown_write(t);
    else if (t->fd >= 0)
        shutdown(t->fd, SHUT_WR);
}

void gw_tp_arm(gw_tp *t)
{
    if (t->up && t->kind != SSGW_GW_TRANSPORT_SCTP_UDP) update_mask(t);
}

void gw_tp_pause_reading(gw_tp *t, bool pause)
{
    t->paused = pause;
    if (t->kind == SSGW_GW_TRANSPORT_SCTP_UDP) {
        if (!pause) gw_usr_resume(t);
        return;
    }
    update_mask(t);
}

static int sock_type_proto(const gw_tp *t, int *proto)
{
    *proto = t->kind == SSGW_GW_TRANSPORT_SCTP ? IPPROTO_SCTP : IPPROTO_TCP;
    return SOCK_STREAM;
}

static int new_socket(gw_tp *t, int family, char *err, size_t errlen)
{
    int proto;
    int type = sock_type_proto(t, &proto);
#ifndef HAVE_KSCTP
    if (t->kind == SSGW_GW_TRANSPORT_SCTP) {
        snprintf(err, errlen,
                 "kernel SCTP: this build has no lksctp headers (libsctp-dev); use transport = "
                 "\"sctp-udp\"");
        return -1;
    }
#endif
    int fd = socket(family, type | SOCK_CLOEXEC, proto);
    if (fd < 0) {
        int e = errno;
        if (t->kind == SSGW_GW_TRANSPORT_SCTP &&
            (e == EPROTONOSUPPORT || e == ESOCKTNOSUPPORT || e == EAFNOSUPPORT))
            snprintf(err, errlen,
                     "kernel SCTP is not available on this host (socket: %s): load the sctp "
                     "module (modprobe sctp) or use transport = \"sctp-udp\"",
                     strerror(e));
        else
            snprintf(err, errlen, "socket: %s", strerror(e));
        return -1;
    }
    set_nonblock(fd);
    int one = 1;
    if (t->kind == SSGW_GW_TRANSPORT_TCP)
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (t->rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &t->rcvbuf, sizeof t->rcvbuf);
#ifdef HAVE_KSCTP
    if (t->kind == SSGW_GW_TRANSPORT_SCTP) {
        struct sctp_initmsg im = {.sinit_num_ostreams = t->streams ? t->streams : 16,
                                  .sinit_max_instreams = 64};
        setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof im);
        setsockopt(fd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &one, sizeof one);
        setsockopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one);
        gw_ks_configure(t, fd, false);
    }
#endif
    return fd;
}

static void ksctp_streams(gw_tp *t)
{
    t->out_streams = 1;
#ifdef HAVE_KSCTP
    if (t->kind == SSGW_GW_TRANSPORT_SCTP) {
        struct sctp_status st;
        socklen_t sl = sizeof st;
        memset(&st, 0, sizeof st);
        if (getsockopt(t->fd, IPPROTO_SCTP, SCTP_STATUS, &st, &sl) == 0 && st.sstat_outstrms)
            t->out_streams = st.sstat_outstrms;
    }
#endif
}

static void listen_event(ssgw_evloop *l, int fd, unsigned ev, void *arg)
{
    (void)l;
    (void)ev;
    gw_tp *t = arg;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    int c = accept(fd, (struct sockaddr *)&ss, &sl);
    if (c < 0) return;
    set_nonblock(c);
    fcntl(c, F_SETFD, FD_CLOEXEC);
    if (t->closing || !gw_tp_offer(t, &ss, t->fd >= 0)) {
        close(c); /* one association per link; the owner's admission rules */
        return;
    }
    int one = 1;
    if (t->kind == SSGW_GW_TRANSPORT_TCP) setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (t->rcvbuf > 0) setsockopt(c, SOL_SOCKET, SO_RCVBUF, &t->rcvbuf, sizeof t->rcvbuf);
#ifdef HAVE_KSCTP
    if (t->kind == SSGW_GW_TRANSPORT_SCTP) {
        setsockopt(c, IPPROTO_SCTP, SCTP_RECVRCVINFO, &one, sizeof one);
        gw_ks_configure(t, c, true);
    }
#endif
    t->fd = c;
    gw_tp_peer_text(&ss, t->peer, sizeof t->peer);
    if (ssgw_evloop_add_fd(t->loop, c, SSGW_EV_READ, fd_event, t) < 0) {
        close(c);
        t->fd = -1;
        return;
    }
    ksctp_streams(t);
    gw_tp_became_up(t);
}

bool gw_tp_offer(gw_tp *t, const struct sockaddr_storage *ss, bool busy)
{
    char peer[80];
    gw_tp_peer_text(ss, peer, sizeof peer);
    if (!t->ops->admit) return !busy;
    if (!t->ops->admit(t, (const struct sockaddr *)ss, peer, busy, t->arg)) return false;
    if (busy) gw_tp_disconnect(t, "replaced by a new association");
    return true;
}

static int fd_connect(gw_tp *t, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t sl = gw_tp_sockaddr(t->host, t->port, &ss);
    int fd = new_socket(t, ss.ss_family, err, errlen);
    if (fd < 0) return -1;
    int r = t->kind == SSGW_GW_TRANSPORT_SCTP ? gw_ks_connect(t, fd, (struct sockaddr *)&ss, sl)
                                              : connect(fd, (struct sockaddr *)&ss, sl);
    if (r < 0 && errno != EINPROGRESS) {
        snprintf(err, errlen, "connect %s:%u: %s", t->host, t->port, strerror(errno));
        close(fd);
        return -2; /* retry later */
    }
    t->fd = fd;
    t->connecting = true;
    snprintf(t->peer, sizeof t->peer, "%s:%u", t->host, t->port);
    if (ssgw_evloop_add_fd(t->loop, fd, SSGW_EV_WRITE, fd_event, t) < 0) {
        close(fd);
        t->fd = -1;
        t->connecting = false;
        return -2;
    }
    return 0;
}

static uint64_t reconnect_cb(ssgw_evloop *l, long long id, void *arg)
{
    (void)l;
    (void)id;
    gw_tp *t = arg;
    t->reconnect_timer = 0;
    if (t->up || t->connecting || !t->opened) return 0;
    char err[160];
    int r = t->kind == SSGW_GW_TRANSPORT_SCTP_UDP ? gw_usr_open(t, err, sizeof err)
                                                  : fd_connect(t, err, sizeof err);
    if (r < 0) gw_tp_schedule_reconnect(t);
    return 0;
}

int gw_tp_open(gw_tp *t, char *err, size_t errlen)
{
    t->fd = t->lfd = -1;
    t->reconnect_timer = 0;
    if (!t->limit) t->limit = 1024 * 1024;
    if (queue_alloc(t) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t sl = gw_tp_sockaddr(t->host, t->port, &ss);
    if (!sl) {
        snprintf(err, errlen, "bad address '%s'", t->host);
        return -1;
    }
    t->opened = true;
    if (t->kind == SSGW_GW_TRANSPORT_SCTP_UDP) {
        int r = gw_usr_open(t, err, errlen);
        if (r == -2) {
            gw_tp_schedule_reconnect(t);
            return 0;
        }
        if (r < 0) t->opened = false;
        return r < 0 ? -1 : 0;
    }
    if (!t->listen) {
        /* Check that the transport exists now: a clear start-up error, not endless retries. */
        char e2[200];
        int probe = new_socket(t, ss.ss_family, e2, sizeof e2);
        if (probe >= 0 && t->kind == SSGW_GW_TRANSPORT_SCTP &&
            gw_ks_bind_local(t, probe, e2, sizeof e2) < 0) { /* the local addresses exist */
            close(probe);
            probe = -1;
        }
        if (probe < 0) {
            snprintf(err, errlen, "%s", e2);
            t->opened = false;
            return -1;
        }
        close(probe);
        if (fd_connect(t, e2, sizeof e2) < 0) gw_tp_schedule_reconnect(t);
        return 0;
    }
    int fd = new_socket(t, ss.ss_family, err, errlen);
    if (fd < 0) {
        t->opened = false;
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bool bound = bind(fd, (struct sockaddr *)&ss, sl) == 0;
    if (bound && t->kind == SSGW_GW_TRANSPORT_SCTP && gw_ks_bind_more(t, fd, err, errlen) < 0) {
        close(fd); /* the further local addresses (multi-homing) */
        t->opened = false;
        return -1;
    }
    if (!bound || listen(fd, 8) < 0) {
        snprintf(err, errlen, "listen %s:%u: %s", t->host, t->port, strerror(errno));
        close(fd);
        t->opened = false;
        return -1;
    }
    t->lfd = fd;
    ssgw_evloop_add_fd(t->loop, fd, SSGW_EV_READ, listen_event, t);
    return 0;
}

/* Delivers complete messages from `in`; stops when the owner is blocked. The clocks are
 * read here, once for all the messages of a read (a clock read costs about as much as
 * forwarding a message through a plain relay). */
void gw_tp_deliver_input(gw_tp *t)
{
    t->rx_ns = gw_now_ns();
    t->rx_wall_ms = ssgw_time_now_ms();
    if (is_msg_kind(t)) {
        if (!t->in_pending) return;
        int r = t->ops->msg(t, t->in, t->in_len, t->in_stream, t->arg);
        if (r == 1) {
            t->paused = true;
            return;
        }
        t->in_pending = false;
        t->in_len = 0;
        t->rx_msgs++;
        if (r < 0) gw_tp_disconnect(t, "closed by the gateway");
        return;
    }
    size_t pos = 0;
    while (t->up && !t->closing) {
        ssgw_error e;
        long fl = gw_tp_framing_of(t)->frame_len(t->in + pos, t->in_len - pos, &e);
        if (fl == 0 || (fl > 0 && (size_t)fl > t->in_len - pos)) break;
        if (fl < 0) {
            if (t->ops->bad) t->ops->bad(t, t->in + pos, t->in_len - pos, &e, t->arg);
            t->in_len = 0;
            gw_tp_close_after_flush(t);
            return;
        }
        int r = t->ops->msg(t, t->in + pos, (size_t)fl, 0, t->arg);
        if (r == 1) {
            t->paused = true;
            break;
        }
        if (r < 0) {
            gw_tp_disconnect(t, "closed by the gateway");
            return;
        }
        t->rx_msgs++;
        pos += (size_t)fl;
    }
    if (pos && t->up) {
        memmove(t->in, t->in + pos, t->in_len - pos);
        t->in_len -= pos;
    }
}

static void fd_read(gw_tp *t)
{
    if (t->kind == SSGW_GW_TRANSPORT_TCP) {
        if (t->in_len == t->in_cap)
            return; /* cannot happen: a complete message is always consumed or kept paused */
        ssize_t n = read(t->fd, t->in + t->in_len, t->in_cap - t->in_len);
        if (n == 0) {
            gw_tp_disconnect(t, "closed by the peer");
            return;
        }
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR) gw_tp_disconnect(t, strerror(errno));
            return;
        }
        t->rx_bytes += (uint64_t)n;
        t->in_len += (size_t)n;
        gw_tp_deliver_input(t);
        return;
    }
#ifdef HAVE_KSCTP
    for (int i = 0; i < 64 && t->fd >= 0 && !t->in_pending && !t->paused; i++) {
        struct iovec iov = {t->in + t->in_len, t->in_cap - t->in_len};
        char cbuf[CMSG_SPACE(sizeof(struct sctp_rcvinfo))];
        struct msghdr mh = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
        ssize_t n = recvmsg(t->fd, &mh, 0);
        if (n == 0) {
            gw_tp_disconnect(t, "closed by the peer");
            return;
        }
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR) gw_tp_disconnect(t, strerror(errno));
            return;
        }
        t->rx_bytes += (uint64_t)n;
        if (mh.msg_flags & MSG_NOTIFICATION) {
            gw_ks_notification(t, t->in + t->in_len, (size_t)n);
            continue;
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
            if (c->cmsg_level == IPPROTO_SCTP && c->cmsg_type == SCTP_RCVINFO) {
                struct sctp_rcvinfo ri;
                memcpy(&ri, CMSG_DATA(c), sizeof ri);
                t->in_stream = ri.rcv_sid;
            }
        t->in_len += (size_t)n;
        if (!(mh.msg_flags & MSG_EOR)) {
            if (t->in_len == t->in_cap) {
                gw_tp_disconnect(t, "message larger than the receive buffer");
                return;
            }
            continue;
        }
        t->in_pending = true;
        gw_tp_deliver_input(t);
    }
#endif
}

static void fd_flush(gw_tp *t)
{
    if (t->fd < 0 || t->connecting) return;
    if (t->kind == SSGW_GW_TRANSPORT_TCP) {
        while (t->qt > t->qh) { /* qmsg follows when needed (sync_qmsg) */
            ssize_t n = write(t->fd, t->q + t->qh, t->qt - t->qh);
            if (n < 0) {
                if (errno != EAGAIN && errno != EINTR) gw_tp_disconnect(t, strerror(errno));
                break;
            }
            t->tx_bytes += (uint64_t)n;
            t->qh += (size_t)n;
        }
    }
#ifdef HAVE_KSCTP
    else {
        while (t->qt > t->qh) {
            uint16_t stream;
            uint32_t len;
            memcpy(&stream, t->q + t->qh, 2);
            memcpy(&len, t->q + t->qh + 4, 4);
            struct iovec iov = {t->q + t->qh + GW_TP_REC_HDR, len};
            char cbuf[CMSG_SPACE(sizeof(struct sctp_sndinfo))];
            memset(cbuf, 0, sizeof cbuf);
            struct msghdr mh = {.msg_iov = &iov,
                                .msg_iovlen = 1,
                                .msg_control = cbuf,
                                .msg_controllen = sizeof cbuf};
            struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
            c->cmsg_level = IPPROTO_SCTP;
            c->cmsg_type = SCTP_SNDINFO;
            c->cmsg_len = CMSG_LEN(sizeof(struct sctp_sndinfo));
            struct sctp_sndinfo si = {.snd_sid = stream,
                                      .snd_ppid = htonl(gw_tp_framing_of(t)->ppid)};
            memcpy(CMSG_DATA(c), &si, sizeof si);
            ssize_t n = sendmsg(t->fd, &mh, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno != EAGAIN && errno != EINTR) gw_tp_disconnect(t, strerror(errno));
                break;
            }
            t->tx_bytes += len;
            t->tx_msgs++;
            t->qh += GW_TP_REC_HDR + len;
        }
    }
#endif
    if (t->fd < 0) return;
    if (t->qh == t->qt) t->qh = t->qt = t->qmsg = 0;
    update_mask(t);
}

static void fd_event(ssgw_evloop *l, int fd, unsigned ev, void *arg)
{
    (void)l;
    (void)fd;
    gw_tp *t = arg;
    if (t->connecting) {
        int e = 0;
        socklen_t sl = sizeof e;
        getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &e, &sl);
        if (e || (ev & SSGW_EV_ERROR)) {
            fd_disconnect(t);
            t->connecting = false;
            gw_tp_schedule_reconnect(t);
            return;
        }
        t->connecting = false;
        ksctp_streams(t);
        update_mask(t);
        gw_tp_became_up(t);
        return;
    }
    if (ev & SSGW_EV_WRITE) gw_tp_flush(t);
    if (t->fd >= 0 && (ev & SSGW_EV_READ) && !t->paused && !t->in_pending)
        fd_read(t);
    else if (t->fd >= 0 && (ev & SSGW_EV_ERROR) && !(ev & SSGW_EV_READ))
        gw_tp_disconnect(t, "socket error");
    if (t->fd >= 0) update_mask(t);
}

void gw_tp_flush(gw_tp *t)
{
    if (!t->up) return;
    if (t->kind == SSGW_GW_TRANSPORT_SCTP_UDP)
        gw_usr_flush(t);
    else
        fd_flush(t);
    if (!t->up) return;
    if (t->closing && t->qh == t->qt) {
        gw_tp_disconnect(t, t->closing_why ? t->closing_why : "closed after a protocol error");
        return;
    }
    if (t->was_full && gw_tp_queued(t) <= t->limit / 2) {
        t->was_full = false;
        if (t->ops->drained) t->ops->drained(t, t->arg);
    }
}

void gw_tp_resume(gw_tp *t)
{
    if (!t->up) return;
    t->paused = false;
    if (t->kind == SSGW_GW_TRANSPORT_SCTP_UDP) {
        gw_usr_resume(t);
        return;
    }
    gw_tp_deliver_input(t);
    if (t->up) update_mask(t);
}

void gw_tp_close(gw_tp *t)
{
    t->opened = false;
    if (t->reconnect_timer > 0) ssgw_evloop_del_timer(t->loop, t->reconnect_timer);
    t->reconnect_timer = 0;
    if (t->up || t->connecting) gw_tp_disconnect(t, "closed");
    if (t->kind == SSGW_GW_TRANSPORT_SCTP_UDP) gw_usr_close(t);
    if (t->lfd >= 0) {
        ssgw_evloop_del_fd(t->loop, t->lfd);
        close(t->lfd);
        t->lfd = -1;
    }
    free(t->q);
    free(t->in);
    t->q = t->in = NULL;
}
