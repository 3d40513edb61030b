/*
 * gw_admit.c - who may hold a link, and for how long without proving it speaks
 * M3UA. Before these rules a listening link took the first connection as its
 * only association: a peer trickling one byte a second held it as long as it
 * liked, and the real partner could not get in.
 *
 *  - `allow`: a listening link takes associations only from these addresses or
 *    prefixes (IPv4-mapped IPv6 peers compare as IPv4); others are closed at
 *    once (admission.not_allowed);
 *  - `second_connection`: while the link has an association, a new one is
 *    refused when the first has reached ASP-UP (it is healthy) or always
 *    ("refuse"); one that has not reached ASP-UP may be replaced
 *    (admission.busy when refused);
 *  - `aspup_timeout_ms`: an association that has not reached ASP-UP in time is
 *    closed (admission.aspup_timeout);
 *  - `idle_timeout_ms`: an association that delivered no complete M3UA message
 *    for that long is closed (admission.idle_timeout): a trickle of bytes never
 *    completes one.
 * Every refusal is counted per link and for the gateway, and logged with the peer
 * address: the first of a kind at once, then at most one line per link and kind
 * every 10 s with the count since, so a flood of refused connections cannot flood
 * the log.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "gateway/gw_int.h"
#include "ssgw/log.h"

_Static_assert(GW_ADMIT_COUNT == sizeof((ssgw_gw_counters *)0)->admission / sizeof(uint64_t),
               "one gateway counter per admission reason");

static const char *const reason_names[GW_ADMIT_COUNT] = {"not_allowed", "busy", "aspup_timeout",
                                                         "idle_timeout"};

const char *gw_admit_reason_name(int r)
{
    return r >= 0 && r < GW_ADMIT_COUNT ? reason_names[r] : "unknown";
}

static void refused(gw_link *l, gw_admit_reason r, const char *peer, const char *what)
{
    ssgw_gw *g = l->g;
    l->admit[r]++;
    g->c.admission[r]++;
    uint64_t now = ssgw_evloop_now_ms();
    l->admit_unlogged[r]++;
    if (l->admit_log_ms[r] && now - l->admit_log_ms[r] < 10000) return;
    ssgw_log(SSGW_LOG_WARNING,
             "link '%s': %s %s (admission.%s; %llu of this kind since the last report)",
             l->cfg.name, what, peer, reason_names[r], (unsigned long long)l->admit_unlogged[r]);
    l->admit_log_ms[r] = now;
    l->admit_unlogged[r] = 0;
}

/* The peer's address in network byte order (IPv4-mapped IPv6 as IPv4). */
static int peer_addr(const struct sockaddr *sa, uint8_t addr[16])
{
    if (sa->sa_family == AF_INET) {
        memcpy(addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return AF_INET;
    }
    if (sa->sa_family == AF_INET6) {
        const uint8_t *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
        static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (!memcmp(a, mapped, 12)) {
            memcpy(addr, a + 12, 4);
            return AF_INET;
        }
        memcpy(addr, a, 16);
        return AF_INET6;
    }
    return -1;
}

static bool prefix_has(const ssgw_gw_prefix *p, int family, const uint8_t *addr)
{
    if (p->family != family) return false;
    unsigned full = p->prefix / 8, rest = p->prefix % 8;
    if (memcmp(p->addr, addr, full)) return false;
    if (!rest) return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (p->addr[full] & mask) == (addr[full] & mask);
}

bool gw_admit_allowed(const ssgw_gw_prefix *allow, size_t n, const struct sockaddr *sa)
{
    if (!n) return true;
    uint8_t addr[16];
    int fam = peer_addr(sa, addr);
    for (size_t i = 0; i < n; i++)
        if (prefix_has(&allow[i], fam, addr)) return true;
    return false;
}

bool gw_admit_offer(gw_link *l, const struct sockaddr *sa, const char *peer, bool busy)
{
    if (l->cfg.n_allow) {
        bool ok = gw_admit_allowed(l->cfg.allow, l->cfg.n_allow, sa);
        if (!ok) {
            refused(l, GW_ADMIT_NOT_ALLOWED, peer, "association refused: not in `allow`:");
            return false;
        }
    }
    if (busy) {
        bool healthy = l->state != SSGW_ASP_DOWN;
        if (healthy || l->cfg.second_connection == SSGW_GW_SECOND_REFUSE) {
            refused(l, GW_ADMIT_BUSY, peer,
                    healthy ? "second association refused while the first is up:"
                            : "second association refused (second_connection = refuse):");
            return false;
        }
        ssgw_log(SSGW_LOG_NOTICE,
                 "link '%s': association from %s replaces %s, which never reached ASP-UP",
                 l->cfg.name, peer, l->tp.peer);
    }
    return true;
}

static uint64_t aspup_cb(ssgw_evloop *loop, long long id, void *arg)
{
    (void)loop;
    (void)id;
    gw_link *l = arg;
    l->aspup_timer = 0;
    if (l->tp.up && l->state == SSGW_ASP_DOWN && l->tp.connects == l->aspup_for) {
        char peer[sizeof l->tp.peer];
        memcpy(peer, l->tp.peer, sizeof peer);
        refused(l, GW_ADMIT_ASPUP_TIMEOUT, peer, "association closed: no ASP-UP in time from");
        gw_tp_disconnect(&l->tp, "no ASP-UP within aspup_timeout_ms");
    }
    return 0;
}

static uint64_t idle_cb(ssgw_evloop *loop, long long id, void *arg)
{
    (void)loop;
    (void)id;
    gw_link *l = arg;
    uint64_t idle = l->cfg.idle_timeout_ms, now = ssgw_evloop_now_ms();
    if (!l->tp.up) {
        l->idle_timer = 0;
        return 0;
    }
    if (now - l->last_rx_ms < idle) return idle - (now - l->last_rx_ms); /* check again then */
    l->idle_timer = 0;
    char peer[sizeof l->tp.peer];
    memcpy(peer, l->tp.peer, sizeof peer);
    refused(l, GW_ADMIT_IDLE_TIMEOUT, peer, "association closed: no complete message in time from");
    gw_tp_disconnect(&l->tp, "idle: no complete M3UA message within idle_timeout_ms");
    return 0;
}

void gw_admit_up(gw_link *l)
{
    ssgw_evloop *loop = l->g->loop;
    l->last_rx_ms = ssgw_evloop_now_ms();
    if (l->cfg.aspup_timeout_ms) {
        ssgw_evloop_del_timer(loop, l->aspup_timer);
        l->aspup_for = l->tp.connects;
        l->aspup_timer = ssgw_evloop_add_timer(loop, l->cfg.aspup_timeout_ms, aspup_cb, l);
    }
    if (l->cfg.idle_timeout_ms && !l->idle_timer)
        l->idle_timer = ssgw_evloop_add_timer(loop, l->cfg.idle_timeout_ms, idle_cb, l);
}

void gw_admit_down(gw_link *l)
{
    ssgw_evloop_del_timer(l->g->loop, l->aspup_timer);
    ssgw_evloop_del_timer(l->g->loop, l->idle_timer);
    l->aspup_timer = l->idle_timer = 0;
}
