/*
 * gw_mhome.c - SCTP multi-homing (RFC 9260 6.4) as both SCTP transports share it:
 * the association's addresses packed the way sctp_bindx / sctp_connectx (kernel,
 * gw_ksctp.c) and usrsctp_bindx / usrsctp_connectx (gw_usrsctp.c) take them, the
 * path events of SCTP_PEER_ADDR_CHANGE (RFC 6458 6.1.2) counted and handed to
 * the owner, and the peer's paths with their states for the status. Each stack
 * reads its own notifications and socket options; only the vocabulary is here.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "gateway/gw_tp.h"

static const char *const event_names[GW_PATH_EV_COUNT] = {
    "active", "inactive", "confirmed", "added", "removed", "made-primary", "potentially-failed"};
static const char *const state_names[GW_PATH_STATE_COUNT] = {"active", "inactive", "unconfirmed",
                                                             "potentially-failed"};

const char *gw_path_event_name(gw_path_event e)
{
    return (unsigned)e < GW_PATH_EV_COUNT ? event_names[e] : "unknown";
}

const char *gw_path_state_name(gw_path_state s)
{
    return (unsigned)s < GW_PATH_STATE_COUNT ? state_names[s] : "unknown";
}

socklen_t gw_tp_sockaddr(const char *host, uint16_t port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons(port);
        return sizeof *a4;
    }
    if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons(port);
        return sizeof *a6;
    }
    return 0;
}

int gw_tp_pack_addrs(const gw_tp *t, bool local, bool with_first, uint16_t port, int *family,
                     uint8_t *buf, size_t cap, char *err, size_t errlen)
{
    const char *list[1 + SSGW_GW_MAX_ADDRS];
    size_t n = 0;
    const char *first = local ? t->local_first : t->host;
    struct sockaddr_storage ss;
    /* one family: the first address's, else host's (listen's, or the peer's for connect) */
    if (!*family && gw_tp_sockaddr(first[0] ? first : t->host, 0, &ss)) *family = ss.ss_family;
    if (with_first && first[0]) list[n++] = first;
    for (size_t i = 0; i < (local ? t->n_local : t->n_remote); i++)
        list[n++] = local ? t->local[i] : t->remote[i];
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
        socklen_t sl = gw_tp_sockaddr(list[i], port, &ss);
        if (!sl) {
            snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address", list[i]);
            return -1;
        }
        if (!*family) *family = ss.ss_family;
        if (ss.ss_family != *family) {
            snprintf(err, errlen, "%s address '%s' is not of the association's address family (%s)",
                     local ? "local" : "remote", list[i], *family == AF_INET ? "IPv4" : "IPv6");
            return -1;
        }
        if (off + sl > cap) {
            snprintf(err, errlen, "too many addresses");
            return -1;
        }
        memcpy(buf + off, &ss, sl);
        off += sl;
    }
    return (int)n;
}

/* The address of sa as text, without the port. */
static void addr_text(const struct sockaddr *sa, char *out, size_t cap)
{
    snprintf(out, cap, "?");
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)cap);
}

static socklen_t addr_len(const struct sockaddr *sa)
{
    return sa->sa_family == AF_INET    ? sizeof(struct sockaddr_in)
           : sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                       : 0;
}

/* Same address (the port aside). */
static bool same_ip(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family) return false;
    if (a->sa_family == AF_INET)
        return !memcmp(&((const struct sockaddr_in *)(const void *)a)->sin_addr,
                       &((const struct sockaddr_in *)(const void *)b)->sin_addr, 4);
    return a->sa_family == AF_INET6 &&
           !memcmp(&((const struct sockaddr_in6 *)(const void *)a)->sin6_addr,
                   &((const struct sockaddr_in6 *)(const void *)b)->sin6_addr, 16);
}

static const char *primary_of(const gw_tp *t);

void gw_tp_path_event(gw_tp *t, const struct sockaddr_storage *ss, gw_path_event ev)
{
    if (ev == GW_PATH_EV_UNREACHABLE) t->path_failures++;
    if (ev == GW_PATH_EV_AVAILABLE) t->path_recoveries++;
    char addr[INET6_ADDRSTRLEN];
    addr_text((const struct sockaddr *)ss, addr, sizeof addr);
    if (t->ops->path) t->ops->path(t, addr, ev, t->arg);
    struct sockaddr_storage prim;
    if (t->primary_pending && (ev == GW_PATH_EV_CONFIRMED || ev == GW_PATH_EV_AVAILABLE) &&
        gw_tp_sockaddr(primary_of(t), 0, &prim) &&
        same_ip((const struct sockaddr *)ss, (const struct sockaddr *)&prim))
        gw_tp_use_primary(t);
}

size_t gw_tp_fill_paths(const gw_tp *t, const uint8_t *addrs, int n,
                        const struct sockaddr_storage *primary,
                        gw_path_state (*state)(const gw_tp *t, const struct sockaddr *sa),
                        gw_tp_path *out, size_t cap)
{
    size_t k = 0;
    for (int i = 0; i < n && k < cap; i++) {
        struct sockaddr_storage ss;
        memcpy(&ss, addrs, sizeof(struct sockaddr));
        socklen_t l = addr_len((const struct sockaddr *)&ss);
        if (!l) break;
        memcpy(&ss, addrs, l);
        addrs += l;
        const struct sockaddr *sa = (const struct sockaddr *)&ss;
        addr_text(sa, out[k].addr, sizeof out[k].addr);
        out[k].state = state(t, sa);
        out[k].primary = primary && same_ip(sa, (const struct sockaddr *)primary);
        k++;
    }
    return k;
}

bool gw_tp_find_addr(const uint8_t *addrs, int n, const char *ip, struct sockaddr_storage *out)
{
    struct sockaddr_storage want;
    if (!gw_tp_sockaddr(ip, 0, &want)) return false;
    for (int i = 0; i < n; i++) {
        memset(out, 0, sizeof *out);
        memcpy(out, addrs, sizeof(struct sockaddr));
        socklen_t l = addr_len((const struct sockaddr *)out);
        if (!l) return false;
        memcpy(out, addrs, l);
        addrs += l;
        if (same_ip((const struct sockaddr *)out, (const struct sockaddr *)&want)) return true;
    }
    return false;
}

size_t gw_tp_paths(const gw_tp *t, gw_tp_path *out, size_t cap)
{
    if (!t->up || t->kind == SSGW_GW_TRANSPORT_TCP) return 0;
    return t->kind == SSGW_GW_TRANSPORT_SCTP_UDP ? gw_usr_paths(t, out, cap)
                                                 : gw_ks_paths(t, out, cap);
}

/* The peer address to make primary: the configured one; else, for a connect link with
 * several peer addresses, connect's (SCTP moves the primary when an INIT goes unanswered,
 * a peer not listening yet, and would keep the one that answered); else SCTP's choice. */
static const char *primary_of(const gw_tp *t)
{
    return t->primary[0] ? t->primary : !t->listen && t->n_remote ? t->host : NULL;
}

bool gw_tp_use_primary(gw_tp *t)
{
    t->primary_pending = false;
    const char *want = primary_of(t);
    if (!t->up || !want || t->kind == SSGW_GW_TRANSPORT_TCP) return true;
    int r = t->kind == SSGW_GW_TRANSPORT_SCTP_UDP ? gw_usr_use_primary(t, want)
                                                  : gw_ks_use_primary(t, want);
    t->primary_pending = r == 0; /* an address the peer listed is unconfirmed at first */
    return r >= 0;
}
