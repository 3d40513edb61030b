/*
 * cmd_run.c - `ssgw run --config FILE`: the live gateway daemon (a thin shell
 * around include/ssgw/gateway.h). Signals arrive through a signalfd on the
 * event loop: SIGHUP re-reads the configuration (a bad one is refused and the
 * running one kept, with the error logged), SIGTERM/SIGINT shut down
 * gracefully. With [trust] bundle_url a poller thread (include/ssgw/bundle_poll.h)
 * fetches newer trust bundles and asks for the same reload as SIGHUP.
 * docs/operations.md describes configuration, errors and status.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cmd.h"
#include "ssgw/bundle_poll.h"
#include "ssgw/evloop.h"
#include "ssgw/gateway.h"
#include "ssgw/gw_pipeline.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: ssgw run --config FILE [--check-config]\n"
                 "\n"
                 "Runs the gateway: M3UA links toward the inner side (our STPs) and the\n"
                 "outer side (the interconnect), every DATA message inspected in one call.\n"
                 "With [gateway] policy = FILE the firewall and the security token are\n"
                 "applied inline (events, report). SIGHUP reloads FILE, the policy and the\n"
                 "trust bundle (a bad one is refused, the running configuration kept);\n"
                 "[trust] bundle_url is polled for newer bundles, which reload the same way;\n"
                 "SIGUSR1 writes the report; SIGTERM/SIGINT stop gracefully.\n"
                 "[gateway] workers = N inspects on N threads (order kept per SLS).\n"
                 "See docs/operations.md.\n"
                 "\n"
                 "  -c, --config FILE   gateway configuration ([gateway], [[link]])\n"
                 "      --check-config  validate FILE and exit (0 = valid)\n"
                 "  -h, --help          this text\n");
}

typedef struct {
    ssgw_evloop *loop;
    ssgw_gw *gw;
    ssgw_gw_pipeline *pl;   /* NULL without [gateway] policy */
    ssgw_bundle_poller *bp; /* NULL without [gateway] policy */
    const char *path;
} run_ctx;

/* Starts, re-configures or stops the bundle poller per the policy's [trust] bundle_url. */
static void sync_poller(run_ctx *r, const char *policy)
{
    if (!r->bp) return;
    ssgw_bundle_poll_config pc;
    char err[700];
    int has = ssgw_bundle_poll_config_from_policy(policy, &pc, err, sizeof err);
    if (has < 0 || ssgw_bundle_poller_configure(r->bp, has ? &pc : NULL, err, sizeof err) < 0)
        fprintf(stderr, "ssgw run: bundle poll not running: %s\n", err);
}

static void status_extra(void *ctx, ssgw_json *j)
{
    run_ctx *r = ctx;
    ssgw_gw_pipeline_status(r->pl, j);
    ssgw_bundle_poller_status(r->bp, j);
}

static void write_report(run_ctx *r)
{
    char err[700];
    if (r->pl && ssgw_gw_pipeline_write_report(r->pl, err, sizeof err) < 0)
        fprintf(stderr, "ssgw run: %s\n", err);
}

static uint64_t flush_cb(ssgw_evloop *loop, long long id, void *arg)
{
    (void)loop;
    (void)id;
    ssgw_gw_pipeline_flush(arg);
    return 500;
}

/* A shared state store is read in batches on inspection threads, never on the loop's: at
 * least one ([gateway] workers = 0 becomes 1). */
static void shared_state_workers(ssgw_gw_config *cfg, const ssgw_gw_pipeline *pl)
{
    if (ssgw_gw_pipeline_wants_batches(pl) && cfg->workers == 0) cfg->workers = 1;
}

/* SIGHUP, or a newer bundle written by the poller: the configuration, policy and bundle. */
static void reload(run_ctx *r, const char *why)
{
    char err[4096], policy[sizeof((ssgw_gw_config *)0)->policy];
    ssgw_gw_config *cfg = ssgw_gw_config_load(r->path, err, sizeof err);
    if (cfg && !r->pl != !cfg->policy[0]) {
        snprintf(err, sizeof err,
                 "%s: [gateway] policy cannot be added or removed without a restart", r->path);
        free(cfg);
        cfg = NULL;
    }
    /* the policy and trust bundle first: a bad one refuses the whole reload */
    if (cfg && r->pl && ssgw_gw_pipeline_prepare(r->pl, cfg, err, sizeof err) < 0) {
        free(cfg);
        cfg = NULL;
    }
    if (!cfg) {
        fprintf(stderr, "ssgw run: %s: reload refused, keeping the running configuration: %s\n",
                why, err);
        ssgw_gw_note_reload_failure(r->gw);
        return;
    }
    snprintf(policy, sizeof policy, "%s", cfg->policy);
    shared_state_workers(cfg, r->pl);
    if (ssgw_gw_reload(r->gw, cfg, err, sizeof err) < 0) { /* cfg is the gateway's now */
        if (r->pl) ssgw_gw_pipeline_abort(r->pl);
        fprintf(stderr, "ssgw run: %s: reload refused, keeping the running configuration: %s\n",
                why, err);
        return;
    }
    if (r->pl) ssgw_gw_pipeline_commit(r->pl);
    fprintf(stderr, "ssgw run: %s: configuration reloaded from %s%s\n", why, r->path,
            r->pl ? " (policy and trust bundle too)" : "");
    sync_poller(r, policy);
}

static void on_bundle_update(void *arg)
{
    run_ctx *r = arg;
    if (!ssgw_evloop_stopped(r->loop)) reload(r, "new trust bundle"); /* not while stopping */
}

static void on_signal(ssgw_evloop *loop, int fd, unsigned ev, void *arg)
{
    (void)ev;
    run_ctx *r = arg;
    struct signalfd_siginfo si;
    while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGHUP) {
            reload(r, "SIGHUP");
        } else if (si.ssi_signo == SIGUSR1) {
            write_report(r);
            ssgw_gw_pipeline_flush(r->pl);
        } else {
            fprintf(stderr, "ssgw run: %s: shutting down\n", strsignal((int)si.ssi_signo));
            ssgw_evloop_stop(loop);
        }
    }
}

int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"check-config", no_argument, NULL, 'k'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *path = NULL;
    bool check = false;
    int c;
    while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            path = optarg;
            break;
        case 'k':
            check = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!path || optind != argc) {
        usage(stderr);
        return 2;
    }
    char err[8192];
    ssgw_gw_config *cfg = ssgw_gw_config_load(path, err, sizeof err);
    if (!cfg) {
        fprintf(stderr, "ssgw run: %s\n", err);
        return 2;
    }
    if (!cfg->policy[0] && (cfg->events[0] || cfg->report[0])) {
        fprintf(stderr, "ssgw run: %s: [gateway] events and report need policy = \"FILE\"\n", path);
        free(cfg);
        return 2;
    }
    ssgw_gw_pipeline *pl = NULL;
    if (cfg->policy[0]) {
        static char perr[8192];
        pl = ssgw_gw_pipeline_new(cfg, perr, sizeof perr);
        if (!pl) {
            fprintf(stderr, "ssgw run: %s\n", perr);
            free(cfg);
            return 2;
        }
    }
    if (pl && ssgw_gw_pipeline_wants_batches(pl) && cfg->workers == 0)
        fprintf(stderr, "ssgw run: [state] backend = \"redis\": inspecting on 1 thread "
                        "([gateway] workers = 0 would make the loop wait for Redis)\n");
    shared_state_workers(cfg, pl);
    if (check) {
        printf("%s: valid (%zu links%s%s)\n", path, cfg->n_links, pl ? ", policy " : "",
               pl ? cfg->policy : "");
        ssgw_gw_pipeline_free(pl);
        free(cfg);
        return 0;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    int sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    ssgw_evloop *loop = ssgw_evloop_new();
    if (sfd < 0 || !loop) {
        fprintf(stderr, "ssgw run: start-up error: %s\n", strerror(errno));
        ssgw_gw_pipeline_free(pl);
        free(cfg);
        return 2;
    }
    ssgw_gw *gw = ssgw_gw_new(loop, cfg, err, sizeof err);
    if (!gw) {
        fprintf(stderr, "ssgw run: start-up error: %s\n", err);
        ssgw_gw_pipeline_free(pl);
        ssgw_evloop_free(loop);
        close(sfd);
        return 2;
    }
    long long flush_timer = 0;
    run_ctx r = {loop, gw, pl, NULL, path};
    if (pl) {
        ssgw_gw_set_inspector(gw, ssgw_gw_pipeline_inspect, pl);
        if (ssgw_gw_pipeline_wants_batches(pl))
            ssgw_gw_set_batch_hooks(gw, ssgw_gw_pipeline_batch_begin, ssgw_gw_pipeline_batch_end,
                                    pl);
        ssgw_gw_set_status_extra(gw, status_extra, &r);
        flush_timer = ssgw_evloop_add_timer(loop, 500, flush_cb, pl);
        r.bp = ssgw_bundle_poller_new(loop, on_bundle_update, &r, err, sizeof err);
        if (!r.bp) fprintf(stderr, "ssgw run: %s\n", err);
        sync_poller(&r, cfg->policy);
    }
    ssgw_evloop_add_fd(loop, sfd, SSGW_EV_READ, on_signal, &r);
    fprintf(stderr, "ssgw run: running (%s)\n", path);
    int rc = ssgw_evloop_run(loop);
    ssgw_gw_shutdown(gw, 1000);
    char *buf = malloc(1 << 16);
    if (buf && ssgw_gw_status_json(gw, buf, 1 << 16) > 0)
        fprintf(stderr, "ssgw run: final status %s\n", buf);
    free(buf);
    ssgw_bundle_poller_free(r.bp); /* stopped before anything it may call back into goes */
    r.bp = NULL;
    write_report(&r);
    if (flush_timer) ssgw_evloop_del_timer(loop, flush_timer);
    ssgw_gw_free(gw);
    ssgw_gw_pipeline_free(pl);
    ssgw_evloop_del_fd(loop, sfd);
    close(sfd);
    ssgw_evloop_free(loop);
    return rc < 0 ? 1 : 0;
}
