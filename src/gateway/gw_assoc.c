/*
 * gw_assoc.c - the public face of the gateway's transports (include/ssgw/
 * gw_assoc.h) for programs beside the gateway: an opaque handle around one
 * gw_tp, whose callbacks are passed on with the handle. The gateway's own
 * links embed gw_tp directly (gw_link.c).
 */
#include "ssgw/gw_assoc.h"

#include <stdio.h>
#include <stdlib.h>

#include "gateway/gw_tp.h"

struct ssgw_gw_assoc {
    gw_tp tp;
    const ssgw_gw_assoc_ops *ops;
    void *arg;
};

static void on_up(gw_tp *t, void *arg)
{
    ssgw_gw_assoc *a = arg;
    bool prim = gw_tp_use_primary(t);
    if (a->ops->up) a->ops->up(a, a->arg);
    if (!prim && a->ops->path)
        a->ops->path(a, a->arg, t->primary[0] ? t->primary : t->host, "primary-not-found");
}

static int on_msg(gw_tp *t, const uint8_t *m, size_t len, uint16_t stream, void *arg)
{
    (void)t;
    ssgw_gw_assoc *a = arg;
    return a->ops->msg(a, m, len, stream, a->arg);
}

static void on_bad(gw_tp *t, const uint8_t *m, size_t len, const ssgw_error *e, void *arg)
{
    (void)t;
    ssgw_gw_assoc *a = arg;
    if (a->ops->bad) a->ops->bad(a, m, len, e, a->arg);
}

static void on_down(gw_tp *t, void *arg, const char *why)
{
    (void)t;
    ssgw_gw_assoc *a = arg;
    if (a->ops->down) a->ops->down(a, a->arg, why);
}

static void on_path(gw_tp *t, const char *addr, gw_path_event ev, void *arg)
{
    (void)t;
    ssgw_gw_assoc *a = arg;
    if (a->ops->path) a->ops->path(a, a->arg, addr, gw_path_event_name(ev));
}

static const gw_tp_ops assoc_ops = {
    .up = on_up, .msg = on_msg, .bad = on_bad, .down = on_down, .path = on_path};

/* One address literal into a field of t; false when it does not fit. */
static bool copy_addr(char *dst, size_t cap, const char *src)
{
    return (size_t)snprintf(dst, cap, "%s", src ? src : "") < cap;
}

/* The multi-homing addresses of c into t; -1 with err when they do not fit. */
static int copy_addrs(gw_tp *t, const ssgw_gw_assoc_config *c, char *err, size_t errlen)
{
    bool ok = c->n_local_addrs <= SSGW_GW_MAX_ADDRS && c->n_remote_addrs <= SSGW_GW_MAX_ADDRS &&
              copy_addr(t->local_first, sizeof t->local_first, c->local_address) &&
              copy_addr(t->primary, sizeof t->primary, c->primary);
    for (size_t i = 0; ok && i < c->n_local_addrs; i++)
        ok = c->local_addrs[i] && copy_addr(t->local[i], sizeof t->local[i], c->local_addrs[i]);
    for (size_t i = 0; ok && i < c->n_remote_addrs; i++)
        ok = c->remote_addrs[i] && copy_addr(t->remote[i], sizeof t->remote[i], c->remote_addrs[i]);
    if (!ok) {
        snprintf(err, errlen,
                 "addresses: at most %d further local and %d further remote ones, each an "
                 "IPv4 or IPv6 literal",
                 SSGW_GW_MAX_ADDRS, SSGW_GW_MAX_ADDRS);
        return -1;
    }
    t->n_local = c->n_local_addrs;
    t->n_remote = c->n_remote_addrs;
    return 0;
}

ssgw_gw_assoc *ssgw_gw_assoc_open(ssgw_evloop *loop, const ssgw_gw_assoc_config *c,
                                  const ssgw_gw_assoc_ops *ops, void *arg, char *err, size_t errlen)
{
    if (c->transport == SSGW_GW_TRANSPORT_SCTP_UDP &&
        gw_usr_setup(loop, c->udp_port, err, errlen) < 0)
        return NULL;
    ssgw_gw_assoc *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    a->ops = ops;
    a->arg = arg;
    gw_tp *t = &a->tp;
    t->fd = t->lfd = -1; /* nothing to close when copy_addrs fails */
    t->loop = loop;
    t->kind = c->transport;
    t->listen = c->listen;
    snprintf(t->host, sizeof t->host, "%s", c->host);
    t->port = c->port;
    t->remote_udp_port = c->remote_udp_port;
    t->streams = c->streams;
    t->limit = c->queue_bytes;
    t->reconnect_ms = c->reconnect_ms;
    t->rcvbuf = c->rcvbuf;
    t->ops = &assoc_ops;
    t->arg = a;
    char e2[256];
    if (copy_addrs(t, c, e2, sizeof e2) < 0 || gw_tp_open(t, e2, sizeof e2) < 0) {
        snprintf(err, errlen, "%s %s:%u: %s", c->listen ? "listen" : "connect", c->host, c->port,
                 e2);
        ssgw_gw_assoc_close(a);
        return NULL;
    }
    return a;
}

void ssgw_gw_assoc_close(ssgw_gw_assoc *a)
{
    if (!a) return;
    gw_tp_close(&a->tp);
    free(a);
}

bool ssgw_gw_assoc_is_up(const ssgw_gw_assoc *a)
{
    return a->tp.up;
}

const char *ssgw_gw_assoc_peer(const ssgw_gw_assoc *a)
{
    return a->tp.peer;
}

size_t ssgw_gw_assoc_paths(const ssgw_gw_assoc *a, size_t *active)
{
    gw_tp_path p[GW_TP_MAX_PATHS];
    size_t n = gw_tp_paths(&a->tp, p, GW_TP_MAX_PATHS);
    *active = 0;
    for (size_t i = 0; i < n; i++)
        *active += p[i].state == GW_PATH_ACTIVE;
    return n;
}

int ssgw_gw_assoc_send(ssgw_gw_assoc *a, const uint8_t *m, size_t len, uint16_t stream)
{
    return gw_tp_send(&a->tp, m, len, stream);
}

bool ssgw_gw_assoc_has_room(const ssgw_gw_assoc *a, size_t len)
{
    return gw_tp_has_room(&a->tp, len);
}

size_t ssgw_gw_assoc_queued(const ssgw_gw_assoc *a)
{
    return gw_tp_queued(&a->tp);
}

uint16_t ssgw_gw_assoc_stream_for_sls(const ssgw_gw_assoc *a, uint8_t sls)
{
    return gw_tp_stream_for_sls(&a->tp, sls);
}

void ssgw_gw_assoc_flush(ssgw_gw_assoc *a)
{
    gw_tp_flush(&a->tp);
}

void ssgw_gw_assoc_arm(ssgw_gw_assoc *a)
{
    gw_tp_arm(&a->tp);
}

bool ssgw_gw_assoc_all_sent(const ssgw_gw_assoc *a)
{
    return gw_tp_all_sent(&a->tp);
}

void ssgw_gw_assoc_shutdown_write(ssgw_gw_assoc *a)
{
    gw_tp_shutdown_write(&a->tp);
}

void ssgw_gw_assoc_pause_reading(ssgw_gw_assoc *a, bool pause)
{
    gw_tp_pause_reading(&a->tp, pause);
}
