/*
 * gw_ksctp.c - what kernel SCTP (lksctp, one-to-one sockets; gw_tp.c does the
 * rest) needs beyond a plain stream socket: the link's timing (heartbeat
 * interval, RTO ceiling, association and path retransmission limits, RFC 9260
 * 8), multi-homing with libsctp (sctp_bindx for further local addresses,
 * sctp_connectx toward several peer addresses; RFC 6458 9.1, 9.9), the path
 * events it reports (SCTP_PEER_ADDR_CHANGE, RFC 6458 6.1.2), the peer's paths
 * and their states (sctp_getpaddrs, SCTP_GET_PEER_ADDR_INFO) and the primary
 * path (SCTP_PRIMARY_ADDR). Built only with libsctp-dev (SSGW_HAVE_LIBSCTP);
 * without it a kernel SCTP link is refused at start-up by gw_tp.c.
 */
#include "gateway/gw_tp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifdef SSGW_HAVE_LIBSCTP

#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>

void gw_ks_configure(const gw_tp *t, int fd, bool accepted)
{
    struct sctp_event ev = {
        .se_assoc_id = SCTP_FUTURE_ASSOC, .se_type = SCTP_PEER_ADDR_CHANGE, .se_on = 1};
    if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof ev) < 0) {
        /* kernels before 5.0: the older whole-set option */
        struct sctp_event_subscribe es;
        memset(&es, 0, sizeof es);
        es.sctp_address_event = 1;
        setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &es, sizeof es);
    }
    if (accepted) return; /* an accepted association has the listener's limits */
    /* paths before the association: Linux refuses an association limit above the sum of
     * its paths' limits */
    if (t->hb_interval_ms || t->path_max_retrans) {
        struct sctp_paddrparams pp;
        memset(&pp, 0, sizeof pp);
        pp.spp_flags = t->hb_interval_ms ? SPP_HB_ENABLE : 0;
        pp.spp_hbinterval = t->hb_interval_ms;
        pp.spp_pathmaxrxt = (uint16_t)t->path_max_retrans;
        setsockopt(fd, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof pp);
    }
    if (t->rto_max_ms) {
        struct sctp_rtoinfo ri;
        memset(&ri, 0, sizeof ri);
        ri.srto_max = t->rto_max_ms;
        ri.srto_min = t->rto_max_ms < 1000 ? t->rto_max_ms / 2 : 500;
        ri.srto_initial = t->rto_max_ms < 1000 ? t->rto_max_ms : 1000;
        setsockopt(fd, IPPROTO_SCTP, SCTP_RTOINFO, &ri, sizeof ri);
    }
    if (t->max_retrans) {
        struct sctp_assocparams ap;
        memset(&ap, 0, sizeof ap);
        ap.sasoc_asocmaxrxt = (uint16_t)t->max_retrans;
        setsockopt(fd, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof ap);
    }
}

/* sctp_bindx(ADD) of t's local addresses with port (the first one too when with_first). */
static int bindx(const gw_tp *t, int fd, bool with_first, uint16_t port, char *err, size_t errlen)
{
    uint8_t buf[GW_TP_PACKED_CAP];
    int family = 0;
    int n = gw_tp_pack_addrs(t, true, with_first, port, &family, buf, sizeof buf, err, errlen);
    if (n <= 0) return n;
    if (sctp_bindx(fd, (struct sockaddr *)(void *)buf, n, SCTP_BINDX_ADD_ADDR) < 0) {
        snprintf(err, errlen, "binding the local addresses (sctp_bindx): %s", strerror(errno));
        return -1;
    }
    return 0;
}

int gw_ks_bind_more(const gw_tp *t, int fd, char *err, size_t errlen)
{
    return bindx(t, fd, false, t->port, err, errlen); /* listen's address: bound by bind() */
}

int gw_ks_bind_local(const gw_tp *t, int fd, char *err, size_t errlen)
{
    return bindx(t, fd, true, 0, err, errlen);
}

int gw_ks_connect(const gw_tp *t, int fd, const struct sockaddr *sa, socklen_t sl)
{
    char err[160];
    if (gw_ks_bind_local(t, fd, err, sizeof err) < 0) return -1;
    if (!t->n_remote) return connect(fd, sa, sl);
    uint8_t buf[GW_TP_PACKED_CAP];
    int family = 0;
    int n = gw_tp_pack_addrs(t, false, true, t->port, &family, buf, sizeof buf, err, sizeof err);
    if (n < 0) {
        errno = EINVAL;
        return -1;
    }
    return sctp_connectx(fd, (struct sockaddr *)(void *)buf, n, NULL);
}

void gw_ks_notification(gw_tp *t, const uint8_t *p, size_t n)
{
    union sctp_notification sn;
    if (n < sizeof sn.sn_header) return;
    memset(&sn, 0, sizeof sn);
    memcpy(&sn, p, n < sizeof sn ? n : sizeof sn);
    if (sn.sn_header.sn_type != SCTP_PEER_ADDR_CHANGE || n < sizeof sn.sn_paddr_change) return;
    static const struct {
        int state;
        gw_path_event ev;
    } map[] = {{SCTP_ADDR_AVAILABLE, GW_PATH_EV_AVAILABLE},
               {SCTP_ADDR_UNREACHABLE, GW_PATH_EV_UNREACHABLE},
               {SCTP_ADDR_REMOVED, GW_PATH_EV_REMOVED},
               {SCTP_ADDR_ADDED, GW_PATH_EV_ADDED},
               {SCTP_ADDR_MADE_PRIM, GW_PATH_EV_MADE_PRIMARY},
               {SCTP_ADDR_CONFIRMED, GW_PATH_EV_CONFIRMED},
               {SCTP_ADDR_POTENTIALLY_FAILED, GW_PATH_EV_POTENTIALLY_FAILED}};
    struct sockaddr_storage ss;
    memcpy(&ss, &sn.sn_paddr_change.spc_aaddr, sizeof ss);
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].state == sn.sn_paddr_change.spc_state) gw_tp_path_event(t, &ss, map[i].ev);
}

static gw_path_state path_state(const gw_tp *t, const struct sockaddr *sa)
{
    struct sctp_paddrinfo pi;
    socklen_t l = sizeof pi;
    memset(&pi, 0, sizeof pi);
    memcpy(&pi.spinfo_address, sa,
           sa->sa_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
    if (getsockopt(t->fd, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &l) < 0)
        return GW_PATH_INACTIVE;
    switch (pi.spinfo_state) {
    case SCTP_ACTIVE:
        return GW_PATH_ACTIVE;
    case SCTP_UNCONFIRMED:
        return GW_PATH_UNCONFIRMED;
    case SCTP_PF:
        return GW_PATH_POTENTIALLY_FAILED;
    default:
        return GW_PATH_INACTIVE;
    }
}

size_t gw_ks_paths(const gw_tp *t, gw_tp_path *out, size_t cap)
{
    struct sockaddr *addrs = NULL;
    int n = t->fd >= 0 ? sctp_getpaddrs(t->fd, 0, &addrs) : 0;
    if (n <= 0) return 0;
    struct sctp_prim pr;
    socklen_t l = sizeof pr;
    memset(&pr, 0, sizeof pr);
    bool have = getsockopt(t->fd, IPPROTO_SCTP, SCTP_PRIMARY_ADDR, &pr, &l) == 0;
    struct sockaddr_storage prim;
    memcpy(&prim, &pr.ssp_addr, sizeof prim);
    size_t k =
        gw_tp_fill_paths(t, (const uint8_t *)addrs, n, have ? &prim : NULL, path_state, out, cap);
    sctp_freepaddrs(addrs);
    return k;
}

int gw_ks_use_primary(gw_tp *t, const char *addr)
{
    struct sockaddr *addrs = NULL;
    int n = t->fd >= 0 ? sctp_getpaddrs(t->fd, 0, &addrs) : 0;
    struct sockaddr_storage want;
    bool found = n > 0 && gw_tp_find_addr((const uint8_t *)addrs, n, addr, &want);
    if (n > 0) sctp_freepaddrs(addrs);
    if (!found) return -1;
    struct sctp_prim pr;
    memset(&pr, 0, sizeof pr);
    memcpy(&pr.ssp_addr, &want, sizeof want);
    return setsockopt(t->fd, IPPROTO_SCTP, SCTP_PRIMARY_ADDR, &pr, sizeof pr) == 0;
}

#else /* no libsctp: gw_tp.c refuses kernel SCTP links before any of this is reached */

void gw_ks_configure(const gw_tp *t, int fd, bool accepted)
{
    (void)t;
    (void)fd;
    (void)accepted;
}
int gw_ks_bind_more(const gw_tp *t, int fd, char *err, size_t errlen)
{
    (void)t;
    (void)fd;
    snprintf(err, errlen, "kernel SCTP: this build has no libsctp");
    return -1;
}
int gw_ks_bind_local(const gw_tp *t, int fd, char *err, size_t errlen)
{
    return gw_ks_bind_more(t, fd, err, errlen);
}
int gw_ks_connect(const gw_tp *t, int fd, const struct sockaddr *sa, socklen_t sl)
{
    (void)t;
    (void)fd;
    (void)sa;
    (void)sl;
    errno = EPROTONOSUPPORT;
    return -1;
}
void gw_ks_notification(gw_tp *t, const uint8_t *p, size_t n)
{
    (void)t;
    (void)p;
    (void)n;
}
size_t gw_ks_paths(const gw_tp *t, gw_tp_path *out, size_t cap)
{
    (void)t;
    (void)out;
    (void)cap;
    return 0;
}
int gw_ks_use_primary(gw_tp *t, const char *addr)
{
    (void)t;
    (void)addr;
    return -1;
}

#endif
