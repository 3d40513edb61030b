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
    (void)t;
    ssgw_gw_assoc *a = arg;
    if (a->ops->up) a->ops->up(a, a->arg);
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

static const gw_tp_ops assoc_ops = {.up = on_up, .msg = on_msg, .bad = on_bad, .down = on_down};

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
    if (gw_tp_open(t, e2, sizeof e2) < 0) {
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
