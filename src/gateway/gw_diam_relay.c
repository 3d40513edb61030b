/*
 * gw_diam_relay.c - the Diameter edge proxy's forward path (RFC 6733 6), on the
 * loop's thread. A request from an open peer:
 *
 *   decode (malformed: answered with the decoder's Result-Code, 7.1.5)
 *   -> loop detection: our own identity in a Route-Record (6.1.3, LOOP_DETECTED)
 *   -> the application must be one of [diameter] applications (APPLICATION_UNSUPPORTED)
 *   -> route to a peer of the other side (6.1.4-6.1.6; a routing error is answered after
 *      the inspection hook, which sees every request): the open peer whose
 *      identity is the Destination-Host, else the peers serving the
 *      Destination-Realm (their own realm from CER/CEA, or `realms`), else the
 *      side's default peers; the first open one that supports the application,
 *      in file order (REALM_NOT_SERVED when none serves it, UNABLE_TO_DELIVER
 *      when they are all down)
 *   -> room in its queue? if not, the request is kept and its source stops being
 *      read (back pressure, counted)
 *   -> a hop-by-hop mapping (a slot of the pending table; TOO_BUSY when full)
 *   -> the inspection hook: forward, forward other bytes, answer, drop
 *   -> a new hop-by-hop id and a Route-Record with the source peer's identity
 *      appended (6.1.9), queued.
 *
 * An answer is routed back by its hop-by-hop id (6.2.2): found in the pending
 * table (and from the peer the request went to), inspected, its original id
 * restored, queued to the source; unknown ids are dropped and counted. Every
 * application message is forwarded, answered or dropped under a named reason:
 * data_in == forwarded + answered + dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gateway/gw_diam.h"
#include "util/bytes.h"

#define ROUTE_SLACK 1024 /* what forwarding may add: Route-Record, a token */

/* ---- counters ----------------------------------------------------------------------- */

void gw_diam_count(gw_diam *d, const char *reason)
{
    ssgw_gw_diam_counters *c = &d->c;
    if (!reason) return;
    for (size_t i = 0; i < c->n_reasons; i++)
        if (c->reasons[i].reason == reason || !strcmp(c->reasons[i].reason, reason)) {
            c->reasons[i].n++;
            return;
        }
    if (c->n_reasons < SSGW_GW_MAX_REASONS) {
        c->reasons[c->n_reasons].reason = reason;
        c->reasons[c->n_reasons++].n = 1;
    } else {
        c->reasons[SSGW_GW_MAX_REASONS - 1].n++;
    }
}

void gw_diam_drop(gw_diam *d, gw_dpeer *p, const char *reason)
{
    d->c.dropped++;
    if (p) p->dropped++;
    gw_diam_count(d, reason);
}

void gw_diam_answer(gw_diam *d, gw_dpeer *p, const uint8_t *m, size_t len, uint32_t result,
                    const char *reason, const char *text)
{
    ssgw_buf b;
    ssgw_buf_init(&b, d->act_out, sizeof d->act_out);
    ssgw_diam_answer_spec a = {result, 0, d->cfg.origin_host, d->cfg.origin_realm, text};
    long n = ssgw_diam_answer(&b, m, len, &a);
    if (n < 0 || gw_dpeer_send(p, b.data, (size_t)n) < 0) {
        gw_diam_drop(d, p, "answer.queue_full");
        return;
    }
    d->c.answered++;
    gw_diam_count(d, reason);
}

void gw_diam_count_in(gw_diam *d, gw_dpeer *p, bool request)
{
    d->c.data_in++;
    p->data_in++;
    if (request)
        d->c.requests_in++;
    else
        d->c.answers_in++;
}

/* ---- the pending table ------------------------------------------------------------ */

int gw_diam_pending_init(gw_diam *d)
{
    if (d->pending) return 0;
    d->pending = calloc(d->cfg.max_pending, sizeof *d->pending);
    if (!d->pending) return -1;
    d->pmask = d->cfg.max_pending - 1;
    d->next_hbh = d->origin_state_id << 16;
    return 0;
}

static bool expired(const gw_diam *d, const gw_pending *e, uint64_t now)
{
    return now - e->time_ms >= d->cfg.answer_timeout_ms;
}

static void pending_free(gw_diam *d, gw_pending *e)
{
    e->used = false;
    d->c.pending--;
}

/* The slot of the next hop-by-hop id, or NULL when it holds a live request (table full). */
static gw_pending *pending_next(gw_diam *d, uint64_t now)
{
    gw_pending *e = &d->pending[d->next_hbh & d->pmask];
    if (e->used) {
        if (!expired(d, e, now)) return NULL;
        d->c.expired++;
        pending_free(d, e);
    }
    return e;
}

static gw_pending *pending_find(gw_diam *d, uint32_t hbh, uint32_t from_id, uint64_t now)
{
    gw_pending *e = &d->pending[hbh & d->pmask];
    if (!e->used || e->out_hbh != hbh || e->dst_id != from_id) return NULL;
    if (expired(d, e, now)) {
        d->c.expired++;
        pending_free(d, e);
        return NULL;
    }
    return e;
}

void gw_diam_sweep(gw_diam *d, uint64_t now_ms)
{
    if (!d->pending) return;
    for (uint32_t i = 0; i <= d->pmask; i++)
        if (d->pending[i].used && expired(d, &d->pending[i], now_ms)) {
            d->c.expired++;
            pending_free(d, &d->pending[i]);
        }
}

gw_dpeer *gw_diam_peer_by_id(gw_diam *d, uint32_t id)
{
    for (size_t i = 0; i < d->n_peers; i++)
        if (d->peers[i] && d->peers[i]->id == id) return d->peers[i];
    return NULL;
}

void gw_diam_unblock(gw_diam *d, gw_dpeer *dst)
{
    for (size_t i = 0; i < d->n_peers; i++) {
        gw_dpeer *s = d->peers[i];
        if (s && s->blocked_on == dst) {
            s->blocked_on = NULL;
            gw_tp_resume(&s->tp);
        }
    }
}

/* ---- routing ---------------------------------------------------------------------- */

static bool serves_realm(const gw_dpeer *p, const char *realm)
{
    if (p->realm[0] && !strcasecmp(p->realm, realm)) return true;
    if (p->cfg.peer_realm[0] && !strcasecmp(p->cfg.peer_realm, realm)) return true;
    for (size_t i = 0; i < p->cfg.n_realms; i++)
        if (!strcasecmp(p->cfg.realms[i], realm)) return true;
    return false;
}

/* The peer of the other side a request goes to, or NULL with the Result-Code and reason. */
static gw_dpeer *route(gw_diam *d, const gw_dpeer *src, const char *dhost, const char *drealm,
                       uint32_t app, uint32_t *rc, const char **why)
{
    ssgw_gw_side to = src->cfg.side == SSGW_GW_SIDE_INNER ? SSGW_GW_SIDE_OUTER : SSGW_GW_SIDE_INNER;
    bool any = false, unsupported = false;
    for (size_t i = 0; dhost[0] && i < d->n_peers; i++) {
        gw_dpeer *p = d->peers[i];
        if (p->cfg.side == to && gw_dpeer_open(p) && !strcasecmp(p->host, dhost) &&
            gw_dpeer_supports(p, app))
            return p;
    }
    for (int pass = 0; pass < 2 && !any; pass++)
        for (size_t i = 0; i < d->n_peers; i++) {
            gw_dpeer *p = d->peers[i];
            if (p->cfg.side != to) continue;
            if (pass == 0 ? !serves_realm(p, drealm) : !p->cfg.is_default) continue;
            any = true;
            if (!gw_dpeer_open(p)) continue;
            if (gw_dpeer_supports(p, app)) return p;
            unsupported = true;
        }
    if (!any) {
        *rc = SSGW_DIAM_REALM_NOT_SERVED;
        *why = "diameter.realm_not_served";
    } else if (unsupported) {
        *rc = SSGW_DIAM_APPLICATION_UNSUPPORTED;
        *why = "diameter.application_unsupported";
    } else {
        *rc = SSGW_DIAM_UNABLE_TO_DELIVER;
        *why = "diameter.destination_down";
    }
    return NULL;
}

static bool app_configured(const gw_diam *d, uint32_t app)
{
    for (size_t i = 0; i < d->cfg.n_apps; i++)
        if (d->cfg.apps[i] == app) return true;
    return false;
}

/* ---- the hook ----------------------------------------------------------------------- */

/* Runs the hook on m; returns the bytes that go on (m, or the hook's), NULL when the message
 * was answered or dropped here (counted). */
static const uint8_t *inspect(gw_diam *d, gw_dpeer *p, const uint8_t *m, size_t *len, bool request)
{
    ssgw_gw_action act = {.verdict = SSGW_GW_FORWARD,
                          .out = d->act_out,
                          .out_cap = sizeof d->act_out,
                          .out_len = 0,
                          .reason = NULL,
                          .alert = false};
    if (!d->inspect) return m;
    ssgw_gw_diam_msg gm = {.from_side = p->cfg.side,
                           .peer = p->cfg.name,
                           .peer_index = p->index,
                           .peer_host = p->host,
                           .peer_realm = p->realm,
                           .data = m,
                           .len = *len,
                           .now_ms = ssgw_evloop_now_ms(),
                           .rx_wall_ms = d->g->rx_wall_ms};
    if (d->inspect(d->inspect_ctx, &gm, &act) < 0) {
        gw_diam_drop(d, p, "inspect.internal_error");
        return NULL;
    }
    bool has_out = act.verdict == SSGW_GW_FORWARD_MODIFIED || act.verdict == SSGW_GW_ANSWER;
    if (has_out && (act.out_len < SSGW_DIAM_HEADER_LEN || act.out_len > act.out_cap ||
                    get_be24(act.out + 1) != act.out_len)) {
        gw_diam_drop(d, p, "inspect.bad_action");
        return NULL;
    }
    switch (act.verdict) {
    case SSGW_GW_FORWARD:
        break;
    case SSGW_GW_FORWARD_MODIFIED:
        d->c.forwarded_modified++;
        m = act.out;
        *len = act.out_len;
        break;
    case SSGW_GW_ANSWER:
        if (!request) {
            gw_diam_drop(d, p, "inspect.bad_action");
            return NULL;
        }
        if (gw_dpeer_send(p, act.out, act.out_len) < 0) {
            gw_diam_drop(d, p, "answer.queue_full");
            return NULL;
        }
        d->c.answered++;
        gw_diam_count(d, act.reason ? act.reason : "inspect.answer");
        return NULL;
    case SSGW_GW_DROP:
    default:
        gw_diam_drop(d, p, act.reason ? act.reason : "inspect.drop");
        return NULL;
    }
    if (act.alert) {
        d->c.alerts++;
        gw_diam_count(d, act.reason ? act.reason : "inspect.alert");
    } else if (act.verdict == SSGW_GW_FORWARD_MODIFIED && act.reason) {
        gw_diam_count(d, act.reason);
    }
    return m;
}

/* ---- rewriting -------------------------------------------------------------------- */

/* m with hop-by-hop id hbh and, when rr is not NULL, a Route-Record rr appended, into
 * d->fwd. Returns the new length, 0 when it does not fit. */
static size_t rewrite(gw_diam *d, const uint8_t *m, size_t len, uint32_t hbh, const char *rr)
{
    size_t rlen = rr ? strlen(rr) : 0, add = rr ? 8 + ((rlen + 3) & ~(size_t)3) : 0;
    if (len + add > sizeof d->fwd || len + add > SSGW_DIAM_MAX_LEN) return 0;
    uint8_t *o = d->fwd;
    if (o != m) memmove(o, m, len);
    put_be32(o + 12, hbh);
    if (rr) {
        uint8_t *a = o + len;
        put_be32(a, SSGW_DIAM_AVP_ROUTE_RECORD);
        put_be32(a + 4, (uint32_t)SSGW_DIAM_AVP_M << 24 | (uint32_t)(8 + rlen));
        memcpy(a + 8, rr, rlen);
        memset(a + 8 + rlen, 0, add - 8 - rlen);
    }
    size_t n = len + add;
    o[1] = (uint8_t)(n >> 16);
    o[2] = (uint8_t)(n >> 8);
    o[3] = (uint8_t)n;
    return n;
}

/* ---- requests and answers --------------------------------------------------------- */

/* Room for a message of len octets on d: within its queue cap, or its queue is empty (a
 * message longer than a small queue_bytes still goes, alone; the transport's headroom
 * holds max_message). */
static bool room(const gw_dpeer *d, size_t len)
{
    return gw_tp_has_room(&d->tp, len + ROUTE_SLACK) || (d->tp.up && !gw_tp_queued(&d->tp));
}

static void copy_id(char *dst, const ssgw_diam_avp *a)
{
    size_t n = a->len < SSGW_GW_DIAM_ID_LEN - 1 ? a->len : SSGW_GW_DIAM_ID_LEN - 1;
    memcpy(dst, a->data, n);
    dst[n] = '\0';
}

static int relay_request(gw_dpeer *p, const ssgw_diam_msg *msg, const uint8_t *m, size_t len)
{
    gw_diam *d = p->d;
    char dhost[SSGW_GW_DIAM_ID_LEN] = "", drealm[SSGW_GW_DIAM_ID_LEN] = "";
    bool loop = false;
    ssgw_diam_iter it;
    ssgw_diam_avp a;
    ssgw_diam_iter_msg(&it, msg);
    while (ssgw_diam_next(&it, &a, NULL) == 1) {
        if (a.vendor) continue;
        if (a.code == SSGW_DIAM_AVP_DESTINATION_HOST && !dhost[0])
            copy_id(dhost, &a);
        else if (a.code == SSGW_DIAM_AVP_DESTINATION_REALM && !drealm[0])
            copy_id(drealm, &a);
        else if (a.code == SSGW_DIAM_AVP_ROUTE_RECORD && a.len == strlen(d->cfg.origin_host) &&
                 !strncasecmp((const char *)a.data, d->cfg.origin_host, a.len))
            loop = true;
    }
    uint32_t rc = 0;
    const char *why = NULL;
    gw_dpeer *dst = NULL;
    if (loop) {
        rc = SSGW_DIAM_LOOP_DETECTED;
        why = "diameter.loop_detected";
    } else if (!drealm[0]) {
        rc = SSGW_DIAM_MISSING_AVP;
        why = "diameter.no_destination_realm";
    } else if (!app_configured(d, msg->app_id)) {
        rc = SSGW_DIAM_APPLICATION_UNSUPPORTED;
        why = "diameter.application_unsupported";
    } else {
        dst = route(d, p, dhost, drealm, msg->app_id, &rc, &why);
    }
    if (dst && !room(dst, len)) {
        if (p->blocked_on != dst) {
            d->c.backpressure++;
            p->blocked++;
        }
        p->blocked_on = dst;
        dst->tp.was_full = true;
        return 1;
    }
    p->blocked_on = NULL;
    gw_diam_count_in(d, p, true);
    uint64_t now = ssgw_evloop_now_ms();
    gw_pending *pe = NULL;
    if (dst && !(pe = pending_next(d, now))) {
        gw_diam_answer(d, p, m, len, SSGW_DIAM_TOO_BUSY, "diameter.too_busy", NULL);
        return 0;
    }
    /* the firewall sees every request, routable or not: what it refuses, it answers */
    size_t mlen = len;
    const uint8_t *out = inspect(d, p, m, &len, true);
    if (!out) return 0;
    if (!dst) {
        gw_diam_answer(d, p, m, mlen, rc, why, NULL);
        return 0;
    }
    uint32_t hbh = d->next_hbh;
    size_t olen = rewrite(d, out, len, hbh, p->host[0] ? p->host : p->cfg.name);
    if (!olen) {
        gw_diam_drop(d, p, "diameter.too_large");
        return 0;
    }
    if (gw_dpeer_send(dst, d->fwd, olen) < 0) {
        gw_diam_drop(d, p, "queue.full");
        return 0;
    }
    d->next_hbh++;
    *pe = (gw_pending){.out_hbh = hbh,
                       .in_hbh = msg->hbh,
                       .src_id = p->id,
                       .dst_id = dst->id,
                       .time_ms = now,
                       .used = true};
    d->c.pending++;
    dst->data_out++;
    d->c.forwarded++;
    return 0;
}

static int route_answer(gw_dpeer *p, const ssgw_diam_msg *msg, const uint8_t *m, size_t len)
{
    gw_diam *d = p->d;
    gw_pending *pe = pending_find(d, msg->hbh, p->id, ssgw_evloop_now_ms());
    gw_dpeer *src = pe ? gw_diam_peer_by_id(d, pe->src_id) : NULL;
    if (!pe || !src || !gw_dpeer_open(src)) {
        gw_diam_count_in(d, p, false);
        if (pe) pending_free(d, pe);
        gw_diam_drop(d, p, pe ? "diameter.answer_source_gone" : "diameter.unknown_answer");
        return 0;
    }
    if (!room(src, len)) {
        if (p->blocked_on != src) {
            d->c.backpressure++;
            p->blocked++;
        }
        p->blocked_on = src;
        src->tp.was_full = true;
        return 1;
    }
    p->blocked_on = NULL;
    gw_diam_count_in(d, p, false);
    uint32_t in_hbh = pe->in_hbh;
    pending_free(d, pe);
    const uint8_t *out = inspect(d, p, m, &len, false);
    if (!out) return 0;
    size_t olen = rewrite(d, out, len, in_hbh, NULL);
    if (!olen || gw_dpeer_send(src, d->fwd, olen) < 0) {
        gw_diam_drop(d, p, olen ? "queue.full" : "diameter.too_large");
        return 0;
    }
    src->data_out++;
    d->c.forwarded++;
    return 0;
}

int gw_diam_deliver(gw_dpeer *p, const uint8_t *m, size_t len)
{
    gw_diam *d = p->d;
    bool request = (m[4] & SSGW_DIAM_FLAG_R) != 0;
    ssgw_diam_msg msg;
    ssgw_error e;
    if (ssgw_diam_decode(m, len, &msg, &e) < 0) {
        gw_diam_count_in(d, p, request);
        if (request)
            gw_diam_answer(d, p, m, len, ssgw_diam_result_for_error(&e), "diameter.malformed",
                           e.field);
        else
            gw_diam_drop(d, p, "diameter.malformed");
        return 0;
    }
    return request ? relay_request(p, &msg, m, len) : route_answer(p, &msg, m, len);
}
