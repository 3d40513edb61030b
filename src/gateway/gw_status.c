/*
 * gw_status.c - what a running gateway reports: the JSON status (config,
 * inspection threads, every link with its association, ASP state, queue and
 * counters, the gateway's counters by reason, the hook's own keys) and the
 * Unix socket `ssgw status` reads it from (one JSON object per connection).
 *
 * The socket is created 0600 (0660 with [gateway] status_group) with the umask
 * set for the bind, so it is never reachable with looser rights, and each
 * connection's credentials (SO_PEERCRED) must be root's, the gateway's own user,
 * a member of status_group or one of status_allow_uids: others are closed and
 * counted (status_refused). An existing path is replaced only when it is a
 * socket nobody listens on (a stale one of an earlier run); a regular file, a
 * directory or a live socket is refused with a start-up error.
 */
#define _GNU_SOURCE /* struct ucred (SO_PEERCRED) */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "gateway/gw_int.h"
#include "ssgw/log.h"
#include "ssgw/json.h"

/* ---- status socket ---------------------------------------------------------------- */

/* May the peer of connection c read the status? */
static bool peer_allowed(const ssgw_gw *g, int c, struct ucred *cr)
{
    socklen_t l = sizeof *cr;
    if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, cr, &l) < 0) return false;
    if (cr->uid == 0 || cr->uid == geteuid()) return true;
    for (size_t i = 0; i < g->cfg->n_status_uids; i++)
        if (cr->uid == g->cfg->status_uids[i]) return true;
    return g->status_gid_set && cr->gid == g->status_gid;
}

static void status_event(ssgw_evloop *loop, int fd, unsigned ev, void *arg)
{
    (void)loop;
    (void)ev;
    ssgw_gw *g = arg;
    int c = accept(fd, NULL, NULL);
    if (c < 0) return;
    struct ucred cr;
    if (!peer_allowed(g, c, &cr)) {
        g->c.status_refused++;
        ssgw_log(SSGW_LOG_WARNING,
                 "status socket: connection from uid %u gid %u pid %d refused (not root, not "
                 "our user, not in status_group or status_allow_uids)",
                 (unsigned)cr.uid, (unsigned)cr.gid, (int)cr.pid);
        close(c);
        return;
    }
    char *buf = malloc(1 << 16);
    if (buf) {
        long n = ssgw_gw_status_json(g, buf, 1 << 16);
        for (long off = 0; n > 0 && off < n;) {
            ssize_t w = write(c, buf + off, (size_t)(n - off));
            if (w <= 0) break;
            off += w;
        }
        free(buf);
    }
    close(c);
}

int gw_status_open(ssgw_gw *g, const char *path, char *err, size_t errlen)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path) {
        snprintf(err, errlen, "status_socket '%s': path too long", path);
        return -1;
    }
    memcpy(a.sun_path, path, strlen(path) + 1);
    gid_t gid = 0;
    if (g->cfg->status_group[0]) {
        struct group *gr = getgrnam(g->cfg->status_group);
        if (!gr) {
            snprintf(err, errlen, "status_group '%s': no such group", g->cfg->status_group);
            return -1;
        }
        gid = gr->gr_gid;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            snprintf(err, errlen,
                     "status_socket '%s': exists and is not a socket: refusing to replace it",
                     path);
            return -1;
        }
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        bool live = probe >= 0 && connect(probe, (struct sockaddr *)&a, sizeof a) == 0;
        if (probe >= 0) close(probe);
        if (live) {
            snprintf(err, errlen,
                     "status_socket '%s': another process is listening on it (another gateway?)",
                     path);
            return -1;
        }
        unlink(path); /* a stale socket of an earlier run */
    } else if (errno != ENOENT) {
        snprintf(err, errlen, "status_socket '%s': %s", path, strerror(errno));
        return -1;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "status_socket: %s", strerror(errno));
        return -1;
    }
    /* created with the final rights: no moment where others could connect */
    mode_t old = umask(g->cfg->status_group[0] ? 0117 : 0177); /* 0660 or 0600 */
    int rb = bind(fd, (struct sockaddr *)&a, sizeof a);
    umask(old);
    if (rb < 0 || (g->cfg->status_group[0] && chown(path, (uid_t)-1, gid) < 0) ||
        listen(fd, 4) < 0) {
        snprintf(err, errlen, "status_socket '%s': %s", path, strerror(errno));
        close(fd);
        if (rb == 0) unlink(path);
        return -1;
    }
    g->status_gid = gid;
    g->status_gid_set = g->cfg->status_group[0] != '\0';
    g->status_fd = fd;
    ssgw_evloop_add_fd(g->loop, fd, SSGW_EV_READ, status_event, g);
    return 0;
}

void gw_status_close(ssgw_gw *g)
{
    if (g->status_fd < 0) return;
    ssgw_evloop_del_fd(g->loop, g->status_fd);
    close(g->status_fd);
    unlink(g->cfg->status_socket);
    g->status_fd = -1;
}

/* ---- the JSON status -------------------------------------------------------------- */

/* "paths": the peer's addresses of an SCTP association (several when multi-homed), each
 * with its state and whether it is the primary path; failures and recoveries counted */
static void peer_paths(ssgw_json *j, const gw_tp *t)
{
    gw_tp_path p[GW_TP_MAX_PATHS];
    size_t n = gw_tp_paths(t, p, GW_TP_MAX_PATHS);
    ssgw_json_array_begin(j, "paths");
    for (size_t i = 0; i < n; i++) {
        ssgw_json_object_begin(j, NULL);
        ssgw_json_str(j, "address", p[i].addr);
        ssgw_json_str(j, "state", gw_path_state_name(p[i].state));
        ssgw_json_bool(j, "primary", p[i].primary);
        ssgw_json_object_end(j);
    }
    ssgw_json_array_end(j);
    ssgw_json_int(j, "path_failures", (long long)t->path_failures);
    ssgw_json_int(j, "path_recoveries", (long long)t->path_recoveries);
}

/* "admission": {not_allowed, busy, aspup_timeout, idle_timeout} */
static void admission(ssgw_json *j, const uint64_t *n)
{
    ssgw_json_object_begin(j, "admission");
    for (int r = 0; r < GW_ADMIT_COUNT; r++)
        ssgw_json_int(j, gw_admit_reason_name(r), (long long)n[r]);
    ssgw_json_object_end(j);
}

/* "rkm": {registered, refused, deregistered, dereg_refused} */
static void rkm_counters(ssgw_json *j, const uint64_t *n)
{
    ssgw_json_object_begin(j, "rkm");
    for (int r = 0; r < GW_RKM_COUNT; r++)
        ssgw_json_int(j, gw_rkm_counter_name(r), (long long)n[r]);
    ssgw_json_object_end(j);
}

/* "routing_keys": what the link's ASP registered */
static void routing_keys(ssgw_json *j, const gw_link *l)
{
    ssgw_json_array_begin(j, "routing_keys");
    for (size_t i = 0; i < l->n_rkeys; i++) {
        const ssgw_m3ua_routing_key *k = &l->rkeys[i].key;
        ssgw_json_object_begin(j, NULL);
        ssgw_json_int(j, "routing_context", l->rkeys[i].rc);
        ssgw_json_int(j, "local_rk_id", k->local_rk_id);
        ssgw_json_int(j, "dpc", k->dpc);
        ssgw_json_array_begin(j, "si");
        for (size_t s = 0; s < k->n_si; s++)
            ssgw_json_int(j, NULL, k->si[s]);
        ssgw_json_array_end(j);
        ssgw_json_array_begin(j, "opc");
        for (size_t s = 0; s < k->n_opc; s++)
            ssgw_json_int(j, NULL, k->opc[s] & 0xffffffu);
        ssgw_json_array_end(j);
        ssgw_json_object_end(j);
    }
    ssgw_json_array_end(j);
}

long ssgw_gw_status_json(const ssgw_gw *g, char *out, size_t cap)
{
    ssgw_json j;
    ssgw_json_begin(&j, out, cap);
    ssgw_json_str(&j, "config", g->cfg->path);
    ssgw_json_int(&j, "workers", g->workers ? gw_workers_count(g->workers) : 0);
    if (g->workers) {
        ssgw_json_array_begin(&j, "inspected_per_worker");
        for (unsigned k = 0; k < gw_workers_count(g->workers); k++)
            ssgw_json_int(&j, NULL, (long long)gw_workers_done_count(g->workers, k));
        ssgw_json_array_end(&j);
    }
    ssgw_json_array_begin(&j, "links");
    for (size_t i = 0; i < g->n_links; i++) {
        const gw_link *l = g->links[i];
        ssgw_json_object_begin(&j, NULL);
        ssgw_json_str(&j, "name", l->cfg.name);
        ssgw_json_str(&j, "side", ssgw_gw_side_name(l->cfg.side));
        ssgw_json_str(&j, "transport", ssgw_gw_transport_name(l->cfg.transport));
        ssgw_json_str(&j, "role", ssgw_gw_role_name(l->cfg.role));
        ssgw_json_str(&j, "association",
                      l->tp.up           ? "up"
                      : l->tp.connecting ? "connecting"
                                         : "down");
        ssgw_json_str(&j, "asp_state", ssgw_asp_state_name(l->state));
        ssgw_json_str(&j, "peer", l->tp.up ? l->tp.peer : "");
        ssgw_json_int(&j, "streams_out", l->tp.out_streams);
        ssgw_json_int(&j, "connects", (long long)l->tp.connects);
        ssgw_json_int(&j, "disconnects", (long long)l->tp.disconnects);
        ssgw_json_int(&j, "data_in", (long long)l->data_in);
        ssgw_json_int(&j, "data_out", (long long)l->data_out);
        ssgw_json_int(&j, "dropped", (long long)l->dropped);
        ssgw_json_int(&j, "mgmt_in", (long long)l->mgmt_in);
        ssgw_json_int(&j, "mgmt_out", (long long)l->mgmt_out);
        ssgw_json_int(&j, "err_sent", (long long)l->err_sent);
        ssgw_json_int(&j, "err_received", (long long)l->err_received);
        ssgw_json_int(&j, "queue_bytes", (long long)gw_tp_queued(&l->tp));
        ssgw_json_int(&j, "queue_limit", (long long)l->tp.limit);
        ssgw_json_bool(&j, "reading_paused", l->tp.paused || l->blocked_on);
        ssgw_json_int(&j, "backpressure", (long long)l->blocked);
        peer_paths(&j, &l->tp);
        admission(&j, l->admit);
        if (l->cfg.rkm) {
            rkm_counters(&j, l->rkm);
            routing_keys(&j, l);
        }
        ssgw_json_object_end(&j);
    }
    ssgw_json_array_end(&j);
    const ssgw_gw_counters *c = &g->c;
    ssgw_json_object_begin(&j, "counters");
    ssgw_json_int(&j, "data_in", (long long)c->data_in);
    ssgw_json_int(&j, "forwarded", (long long)c->forwarded);
    ssgw_json_int(&j, "forwarded_modified", (long long)c->forwarded_modified);
    ssgw_json_int(&j, "answered", (long long)c->answered);
    ssgw_json_int(&j, "dropped", (long long)c->dropped);
    ssgw_json_int(&j, "alerts", (long long)c->alerts);
    ssgw_json_int(&j, "lost_in_queue", (long long)c->lost_in_queue);
    ssgw_json_int(&j, "mgmt_in", (long long)c->mgmt_in);
    ssgw_json_int(&j, "mgmt_out", (long long)c->mgmt_out);
    ssgw_json_int(&j, "err_sent", (long long)c->err_sent);
    ssgw_json_int(&j, "err_received", (long long)c->err_received);
    ssgw_json_int(&j, "ntfy_received", (long long)c->ntfy_received);
    ssgw_json_int(&j, "ssnm_relayed", (long long)c->ssnm_relayed);
    ssgw_json_int(&j, "daud_answered", (long long)c->daud_answered);
    ssgw_json_int(&j, "backpressure", (long long)c->backpressure);
    ssgw_json_int(&j, "reloads", (long long)c->reloads);
    ssgw_json_int(&j, "reload_failures", (long long)c->reload_failures);
    ssgw_json_int(&j, "status_refused", (long long)c->status_refused);
    ssgw_json_int(&j, "beat_lost", (long long)c->beat_lost);
    admission(&j, c->admission);
    rkm_counters(&j, c->rkm);
    ssgw_json_int(&j, "in_flight", (long long)c->in_flight);
    ssgw_json_object_begin(&j, "reasons");
    for (size_t i = 0; i < c->n_reasons; i++)
        ssgw_json_int(&j, c->reasons[i].reason, (long long)c->reasons[i].n);
    ssgw_json_object_end(&j);
    ssgw_json_object_end(&j);
    gw_diam_status(g, &j);
    if (g->status_extra) g->status_extra(g->status_extra_ctx, &j);
    return ssgw_json_end(&j);
}

void ssgw_gw_set_status_extra(ssgw_gw *g, ssgw_gw_status_fn fn, void *ctx)
{
    g->status_extra = fn;
    g->status_extra_ctx = ctx;
}
