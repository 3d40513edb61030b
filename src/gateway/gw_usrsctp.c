/*
 * gw_usrsctp.c - SCTP over UDP (RFC 6951) with libusrsctp, for hosts without
 * kernel SCTP. usrsctp runs its own threads (timers, UDP receive); its socket
 * upcall only writes to an eventfd, and the gateway's loop then services the
 * sockets itself (accept, receive, send), so all M3UA work stays on the loop's
 * thread. One UDP encapsulation port per process (gw_usr_setup); the remote
 * port is configured for connecting links and learnt from the INIT otherwise.
 * Association changes come as SCTP_ASSOC_CHANGE notifications (RFC 6458 6.1.1).
 */
#include "gateway/gw_tp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#if defined(__has_include)
#if __has_include(<usrsctp.h>)
#define HAVE_USRSCTP 1
#endif
#endif

#ifndef HAVE_USRSCTP

bool gw_usr_available(void)
{
    return false;
}
int gw_usr_setup(ssgw_evloop *l, uint16_t udp_port, char *err, size_t errlen)
{
    (void)l;
    (void)udp_port;
    snprintf(err, errlen, "SCTP over UDP: this build has no libusrsctp (libusrsctp-dev)");
    return -1;
}
int gw_usr_open(gw_tp *t, char *err, size_t errlen)
{
    (void)t;
    snprintf(err, errlen, "SCTP over UDP: this build has no libusrsctp (libusrsctp-dev)");
    return -1;
}
void gw_usr_flush(gw_tp *t)
{
    (void)t;
}
void gw_usr_resume(gw_tp *t)
{
    (void)t;
}
void gw_usr_disconnect(gw_tp *t)
{
    (void)t;
}
void gw_usr_close(gw_tp *t)
{
    (void)t;
}
bool gw_usr_all_acked(const gw_tp *t)
{
    (void)t;
    return true;
}
void gw_usr_shutdown_write(gw_tp *t)
{
    (void)t;
}
size_t gw_usr_paths(const gw_tp *t, gw_tp_path *out, size_t cap)
{
    (void)t;
    (void)out;
    (void)cap;
    return 0;
}
int gw_usr_use_primary(gw_tp *t, const char *addr)
{
    (void)t;
    (void)addr;
    return -1;
}

#else

#include <netinet/in.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <usrsctp.h>

#include "ssgw/capture.h"

static int usr_efd = -1;
static ssgw_evloop *usr_loop;
static gw_tp *usr_list;
static uint16_t usr_port;

bool gw_usr_available(void)
{
    return true;
}

static void upcall(struct socket *so, void *arg, int flags)
{
    (void)so;
    (void)arg;
    (void)flags;
    uint64_t one = 1;
    ssize_t r = write(usr_efd, &one, sizeof one);
    (void)r;
}

static void service(gw_tp *t);

static void service_all(void)
{
    for (gw_tp *t = usr_list; t; t = t->next_usr)
        service(t);
}

static void efd_event(ssgw_evloop *l, int fd, unsigned ev, void *arg)
{
    (void)l;
    (void)ev;
    (void)arg;
    uint64_t v;
    ssize_t r = read(fd, &v, sizeof v);
    (void)r;
    service_all();
}

static uint64_t tick(ssgw_evloop *l, long long id, void *arg)
{
    (void)l;
    (void)id;
    (void)arg;
    service_all(); /* safety net for a missed upcall */
    return 50;
}

int gw_usr_setup(ssgw_evloop *l, uint16_t udp_port, char *err, size_t errlen)
{
    if (usr_efd >= 0) {
        if (udp_port != usr_port) {
            snprintf(err, errlen,
                     "sctp_udp_port: the UDP encapsulation port is %u and cannot change without "
                     "a restart",
                     usr_port);
            return -1;
        }
        return 0;
    }
    /* usrsctp binds its UDP socket on every address; find out first whether the port is free. */
    int probe = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(udp_port)};
    if (probe >= 0 && bind(probe, (struct sockaddr *)&a, sizeof a) < 0) {
        snprintf(err, errlen, "SCTP over UDP: UDP port %u: %s", udp_port, strerror(errno));
        close(probe);
        return -1;
    }
    if (probe >= 0) close(probe);
    usr_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (usr_efd < 0) {
        snprintf(err, errlen, "eventfd: %s", strerror(errno));
        return -1;
    }
    usrsctp_init(udp_port, NULL, NULL);
    usrsctp_sysctl_set_sctp_blackhole(2);
    usrsctp_sysctl_set_sctp_heartbeat_interval_default(1000);
    usr_loop = l;
    usr_port = udp_port;
    ssgw_evloop_add_fd(l, usr_efd, SSGW_EV_READ, efd_event, NULL);
    ssgw_evloop_add_timer(l, 50, tick, NULL);
    return 0;
}

static void configure(gw_tp *t, struct socket *s)
{
    int one = 1;
    usrsctp_set_non_blocking(s, 1);
    usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_RECVRCVINFO, &one, sizeof one);
    usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one);
    struct sctp_initmsg im = {.sinit_num_ostreams = t->streams ? t->streams : 16,
                              .sinit_max_instreams = 64};
    usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof im);
    static const uint16_t evs[] = {SCTP_ASSOC_CHANGE, SCTP_SHUTDOWN_EVENT, SCTP_PEER_ADDR_CHANGE};
    for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++) {
        struct sctp_event ev = {.se_assoc_id = SCTP_ALL_ASSOC, .se_type = evs[i], .se_on = 1};
        usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof ev);
    }
    if (t->rcvbuf > 0) usrsctp_setsockopt(s, SOL_SOCKET, SO_RCVBUF, &t->rcvbuf, sizeof t->rcvbuf);
    /* noticing a dead peer in seconds: heartbeats on idle paths, a low RTO ceiling and few
     * retransmissions before the association is aborted (RFC 9260 8.1-8.3); fewer on one
     * path, which then fails before the association does and traffic takes another */
    if (t->hb_interval_ms || t->path_max_retrans) {
        struct sctp_paddrparams pp;
        memset(&pp, 0, sizeof pp);
        pp.spp_assoc_id = SCTP_FUTURE_ASSOC;
        pp.spp_flags = t->hb_interval_ms ? SPP_HB_ENABLE : 0;
        pp.spp_hbinterval = t->hb_interval_ms;
        pp.spp_pathmaxrxt = (uint16_t)t->path_max_retrans; /* 0: unchanged */
        usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof pp);
    }
    if (t->rto_max_ms) {
        struct sctp_rtoinfo ri;
        memset(&ri, 0, sizeof ri);
        ri.srto_assoc_id = SCTP_FUTURE_ASSOC;
        ri.srto_max = t->rto_max_ms;
        ri.srto_min = t->rto_max_ms < 1000 ? t->rto_max_ms / 2 : 500;
        ri.srto_initial = t->rto_max_ms < 1000 ? t->rto_max_ms : 1000;
        usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_RTOINFO, &ri, sizeof ri);
    }
    if (t->max_retrans) {
        struct sctp_assocparams ap;
        memset(&ap, 0, sizeof ap);
        ap.sasoc_assoc_id = SCTP_FUTURE_ASSOC;
        ap.sasoc_asocmaxrxt = (uint16_t)t->max_retrans;
        usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof ap);
    }
    usrsctp_set_upcall(s, upcall, NULL);
}

/* usrsctp_bindx(ADD) of the local addresses of t (with_first: local_first too) with port;
 * 0 or -1 with err. */
static int bind_local(gw_tp *t, struct socket *s, bool with_first, uint16_t port, char *err,
                      size_t errlen)
{
    uint8_t buf[GW_TP_PACKED_CAP];
    int family = 0;
    int n = gw_tp_pack_addrs(t, true, with_first, port, &family, buf, sizeof buf, err, errlen);
    if (n <= 0) return n;
    if (usrsctp_bindx(s, (struct sockaddr *)(void *)buf, n, SCTP_BINDX_ADD_ADDR) < 0) {
        snprintf(err, errlen, "binding the local addresses (SCTP over UDP): %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* Connects to host, and to the further peer addresses with usrsctp_connectx. */
static int connect_all(gw_tp *t, struct socket *s, struct sockaddr *sa, socklen_t sl)
{
    if (!t->n_remote) return usrsctp_connect(s, sa, sl);
    uint8_t buf[GW_TP_PACKED_CAP];
    char err[160];
    int family = 0;
    int n = gw_tp_pack_addrs(t, false, true, t->port, &family, buf, sizeof buf, err, sizeof err);
    if (n < 0) {
        errno = EINVAL;
        return -1;
    }
    return usrsctp_connectx(s, (struct sockaddr *)(void *)buf, n, NULL);
}

static void list_add(gw_tp *t)
{
    for (gw_tp *p = usr_list; p; p = p->next_usr)
        if (p == t) return;
    t->next_usr = usr_list;
    usr_list = t;
}

int gw_usr_open(gw_tp *t, char *err, size_t errlen)
{
    if (usr_efd < 0) {
        snprintf(err, errlen, "SCTP over UDP is not set up");
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t sl = gw_tp_sockaddr(t->host, t->port, &ss);
    struct socket *s = usrsctp_socket(ss.ss_family, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
    if (!s) {
        snprintf(err, errlen, "usrsctp_socket: %s", strerror(errno));
        return -1;
    }
    configure(t, s);
    list_add(t);
    if (t->listen) {
        bool bound = usrsctp_bind(s, (struct sockaddr *)&ss, sl) == 0;
        if (bound && bind_local(t, s, false, t->port, err, errlen) < 0) {
            usrsctp_close(s); /* the further local addresses (multi-homing) */
            return -1;
        }
        if (!bound || usrsctp_listen(s, 8) < 0) {
            snprintf(err, errlen, "listen %s:%u (SCTP over UDP): %s", t->host, t->port,
                     strerror(errno));
            usrsctp_close(s);
            return -1;
        }
        t->ulsock = s;
        return 0;
    }
    if (bind_local(t, s, true, 0, err, errlen) < 0) {
        usrsctp_close(s);
        return -1;
    }
    struct sctp_udpencaps enc;
    memset(&enc, 0, sizeof enc);
    enc.sue_address.ss_family = ss.ss_family;
    enc.sue_port = htons(t->remote_udp_port);
    usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &enc, sizeof enc);
    if (connect_all(t, s, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS) {
        snprintf(err, errlen, "connect %s:%u (SCTP over UDP): %s", t->host, t->port,
                 strerror(errno));
        usrsctp_close(s);
        return -2;
    }
    t->usock = s;
    t->connecting = true;
    snprintf(t->peer, sizeof t->peer, "%s:%u/udp:%u", t->host, t->port, t->remote_udp_port);
    return 0;
}

static void out_streams(gw_tp *t)
{
    struct sctp_status st;
    socklen_t sl = sizeof st;
    memset(&st, 0, sizeof st);
    t->out_streams = 1;
    if (usrsctp_getsockopt(t->usock, IPPROTO_SCTP, SCTP_STATUS, &st, &sl) == 0 && st.sstat_outstrms)
        t->out_streams = st.sstat_outstrms;
}

static void try_accept(gw_tp *t)
{
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        struct socket *s = usrsctp_accept(t->ulsock, (struct sockaddr *)&ss, &sl);
        if (!s) return;
        if (t->closing || !gw_tp_offer(t, &ss, t->usock != NULL)) {
            usrsctp_close(s); /* one association per link; the owner's admission rules */
            continue;
        }
        configure(t, s);
        t->usock = s;
        gw_tp_peer_text(&ss, t->peer, sizeof t->peer);
        out_streams(t);
        gw_tp_became_up(t);
    }
}

/* SCTP_PEER_ADDR_CHANGE (RFC 6458 6.1.2) */
static void path_change(gw_tp *t, const struct sctp_paddr_change *pc)
{
    static const struct {
        uint32_t state;
        gw_path_event ev;
    } map[] = {{SCTP_ADDR_AVAILABLE, GW_PATH_EV_AVAILABLE},
               {SCTP_ADDR_UNREACHABLE, GW_PATH_EV_UNREACHABLE},
               {SCTP_ADDR_REMOVED, GW_PATH_EV_REMOVED},
               {SCTP_ADDR_ADDED, GW_PATH_EV_ADDED},
               {SCTP_ADDR_MADE_PRIM, GW_PATH_EV_MADE_PRIMARY},
               {SCTP_ADDR_CONFIRMED, GW_PATH_EV_CONFIRMED}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].state == pc->spc_state) gw_tp_path_event(t, &pc->spc_aaddr, map[i].ev);
}

static void notification(gw_tp *t, const uint8_t *p, size_t n)
{
    union sctp_notification sn;
    if (n < sizeof sn.sn_header) return;
    memcpy(&sn, p, n < sizeof sn ? n : sizeof sn);
    if (sn.sn_header.sn_type == SCTP_SHUTDOWN_EVENT) {
        gw_tp_disconnect(t, "shut down by the peer");
        return;
    }
    if (sn.sn_header.sn_type == SCTP_PEER_ADDR_CHANGE && n >= sizeof sn.sn_paddr_change) {
        path_change(t, &sn.sn_paddr_change);
        return;
    }
    if (sn.sn_header.sn_type != SCTP_ASSOC_CHANGE) return;
    switch (sn.sn_assoc_change.sac_state) {
    case SCTP_COMM_UP:
        if (t->connecting) {
            t->out_streams = sn.sn_assoc_change.sac_outbound_streams
                                 ? sn.sn_assoc_change.sac_outbound_streams
                                 : 1;
            gw_tp_became_up(t);
        }
        break;
    case SCTP_RESTART:
        /* the peer restarted: its M3UA state is gone; start over */
        if (t->up) {
            bool listen = t->listen;
            struct socket *keep = t->usock;
            t->usock = NULL; /* keep the socket: the restarted association lives on it */
            gw_tp_disconnect(t, "association restarted by the peer");
            if (listen || !t->usock) {
                t->usock = keep;
                if (t->reconnect_timer > 0) {
                    ssgw_evloop_del_timer(t->loop, t->reconnect_timer);
                    t->reconnect_timer = 0;
                }
                out_streams(t);
                gw_tp_became_up(t);
            } else
                usrsctp_close(keep);
        }
        break;
    case SCTP_COMM_LOST:
    case SCTP_SHUTDOWN_COMP:
    case SCTP_CANT_STR_ASSOC:
        gw_tp_disconnect(t, "association lost");
        break;
    default:
        break;
    }
}

static void service(gw_tp *t)
{
    if (t->ulsock) try_accept(t);
    for (int i = 0; i < 256 && t->usock && !t->paused && !t->in_pending && !t->closing; i++) {
        struct sctp_rcvinfo ri;
        socklen_t ril = sizeof ri;
        unsigned it = 0;
        int flags = 0;
        struct sockaddr_storage from;
        socklen_t fl = sizeof from;
        memset(&ri, 0, sizeof ri);
        ssize_t n = usrsctp_recvv(t->usock, t->in + t->in_len, t->in_cap - t->in_len,
                                  (struct sockaddr *)&from, &fl, &ri, &ril, &it, &flags);
        if (n < 0) {
            if (errno != EWOULDBLOCK && errno != EAGAIN && errno != EINTR && errno != ENOTCONN)
                gw_tp_disconnect(t, strerror(errno));
            break;
        }
        if (n == 0) {
            if (t->up || t->connecting) gw_tp_disconnect(t, "closed by the peer");
            break;
        }
        if (flags & MSG_NOTIFICATION) {
            notification(t, t->in + t->in_len, (size_t)n);
            continue;
        }
        t->rx_bytes += (uint64_t)n;
        t->in_len += (size_t)n;
        if (it == SCTP_RECVV_RCVINFO) t->in_stream = ri.rcv_sid;
        if (!(flags & MSG_EOR)) {
            if (t->in_len == t->in_cap) {
                gw_tp_disconnect(t, "message larger than the receive buffer");
                break;
            }
            continue;
        }
        t->in_pending = true;
        gw_tp_deliver_input(t);
    }
    if (t->usock && t->up) gw_tp_flush(t);
}

void gw_usr_resume(gw_tp *t)
{
    gw_tp_deliver_input(t);
    if (t->up) service(t);
}

void gw_usr_flush(gw_tp *t)
{
    while (t->usock && t->qt > t->qh) {
        uint16_t stream;
        uint32_t len;
        memcpy(&stream, t->q + t->qh, 2);
        memcpy(&len, t->q + t->qh + 4, 4);
        struct sctp_sndinfo si;
        memset(&si, 0, sizeof si);
        si.snd_sid = stream < t->out_streams ? stream : 0;
        si.snd_ppid = htonl(gw_tp_framing_of(t)->ppid);
        ssize_t n = usrsctp_sendv(t->usock, t->q + t->qh + GW_TP_REC_HDR, len, NULL, 0, &si,
                                  sizeof si, SCTP_SENDV_SNDINFO, 0);
        if (n < 0) {
            if (errno != EWOULDBLOCK && errno != EAGAIN && errno != EINTR)
                gw_tp_disconnect(t, strerror(errno));
            break;
        }
        t->tx_bytes += len;
        t->tx_msgs++;
        t->qh += GW_TP_REC_HDR + len;
    }
    if (t->qh == t->qt) t->qh = t->qt = 0;
}

bool gw_usr_all_acked(const gw_tp *t)
{
    if (!t->usock) return true;
    struct sctp_status st;
    socklen_t sl = sizeof st;
    memset(&st, 0, sizeof st);
    if (usrsctp_getsockopt(t->usock, IPPROTO_SCTP, SCTP_STATUS, &st, &sl) < 0) return true;
    return st.sstat_unackdata == 0 && st.sstat_penddata == 0;
}

void gw_usr_shutdown_write(gw_tp *t)
{
    if (t->usock) usrsctp_shutdown(t->usock, SHUT_WR);
}

static gw_path_state path_state(const gw_tp *t, const struct sockaddr *sa)
{
    struct sctp_paddrinfo pi;
    socklen_t l = sizeof pi;
    memset(&pi, 0, sizeof pi);
    memcpy(&pi.spinfo_address, sa,
           sa->sa_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
    if (usrsctp_getsockopt(t->usock, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l) < 0)
        return GW_PATH_INACTIVE;
    if (pi.spinfo_state & SCTP_UNCONFIRMED) return GW_PATH_UNCONFIRMED;
    return pi.spinfo_state & SCTP_ACTIVE ? GW_PATH_ACTIVE : GW_PATH_INACTIVE;
}

size_t gw_usr_paths(const gw_tp *t, gw_tp_path *out, size_t cap)
{
    struct sockaddr *addrs = NULL;
    int n = t->usock ? usrsctp_getpaddrs(t->usock, 0, &addrs) : 0;
    if (n <= 0) return 0;
    struct sctp_status st;
    socklen_t sl = sizeof st;
    memset(&st, 0, sizeof st);
    bool have = usrsctp_getsockopt(t->usock, IPPROTO_SCTP, SCTP_STATUS, &st, &sl) == 0;
    size_t k =
        gw_tp_fill_paths(t, (const uint8_t *)addrs, n,
                         have ? &st.sstat_primary.spinfo_address : NULL, path_state, out, cap);
    usrsctp_freepaddrs(addrs);
    return k;
}

int gw_usr_use_primary(gw_tp *t, const char *addr)
{
    struct sockaddr *addrs = NULL;
    int n = t->usock ? usrsctp_getpaddrs(t->usock, 0, &addrs) : 0;
    struct sctp_setprim pr;
    memset(&pr, 0, sizeof pr);
    bool found = n > 0 && gw_tp_find_addr((const uint8_t *)addrs, n, addr, &pr.ssp_addr);
    if (n > 0) usrsctp_freepaddrs(addrs);
    if (!found) return -1;
    return usrsctp_setsockopt(t->usock, IPPROTO_SCTP, SCTP_PRIMARY_ADDR, &pr, sizeof pr) == 0;
}

void gw_usr_disconnect(gw_tp *t)
{
    if (t->usock) {
        usrsctp_set_upcall(t->usock, NULL, NULL);
        usrsctp_close(t->usock);
        t->usock = NULL;
    }
}

void gw_usr_close(gw_tp *t)
{
    gw_usr_disconnect(t);
    if (t->ulsock) {
        usrsctp_set_upcall(t->ulsock, NULL, NULL);
        usrsctp_close(t->ulsock);
        t->ulsock = NULL;
    }
    for (gw_tp **pp = &usr_list; *pp; pp = &(*pp)->next_usr)
        if (*pp == t) {
            *pp = t->next_usr;
            break;
        }
}

#endif
