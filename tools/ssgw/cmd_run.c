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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "cmd.h"
#include "ssgw/bundle_poll.h"
#include "ssgw/evloop.h"
#include "ssgw/gateway.h"
#include "ssgw/gw_http.h"
#include "ssgw/gw_pipeline.h"
#include "ssgw/log.h"
#include "ssgw_version.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: ssgw run --config FILE [--check-config] [--log DEST] [--log-level L]\n"
                 "\n"
                 "Runs the gateway: M3UA links toward the inner side (our STPs) and the\n"
                 "outer side (the interconnect), every DATA message inspected in one call.\n"
                 "With [gateway] policy = FILE the firewall and the security token are\n"
                 "applied inline (events, report). SIGHUP reloads FILE, the policy and the\n"
                 "trust bundle (a bad one is refused, the running configuration kept);\n"
                 "[trust] bundle_url is polled for newer bundles, which reload the same way;\n"
                 "SIGHUP also reopens the events file (logrotate). SIGUSR1 writes the\n"
                 "report and, while checks are in learn mode, the proposed configuration\n"
                 "([learn] output; also written when [learn] period ends, at shutdown and on\n"
                 "POST /api/v1/learn); SIGTERM/SIGINT stop gracefully. Under systemd\n"
                 "(Type=notify) it reports READY, RELOADING and STOPPING.\n"
                 "[gateway] workers = N inspects on N threads (order kept per SLS).\n"
                 "See docs/operations.md.\n"
                 "\n"
                 "  -c, --config FILE   gateway configuration ([gateway], [[link]])\n"
                 "      --check-config  validate FILE and exit (0 = valid)\n"
                 "      --log DEST      log destination, overrides [gateway] log: auto,\n"
                 "                      stderr, journald, syslog, syslog:/PATH, syslog:HOST:PORT\n"
                 "      --log-level L   err, warning, notice, info, debug (overrides\n"
                 "                      [gateway] log_level)\n"
                 "  -h, --help          this text\n");
}

typedef struct {
    ssgw_evloop *loop;
    ssgw_gw *gw;
    ssgw_gw_pipeline *pl;   /* NULL without [gateway] policy */
    ssgw_bundle_poller *bp; /* NULL without [gateway] policy */
    ssgw_gw_http *http;     /* NULL without [http] listen */
    const char *path;
    const char *log_dest, *log_level; /* --log, --log-level (NULL: the file's) */
} run_ctx;

static void notify(const char *state)
{
#ifdef HAVE_LIBSYSTEMD
    sd_notify(0, state);
#else
    (void)state;
#endif
}

/* The [gateway] keys of logging, copied: the gateway owns its configuration. */
typedef struct {
    char instance[sizeof((ssgw_gw_config *)0)->instance], dest[sizeof((ssgw_gw_config *)0)->log];
    int level;
} log_keys;

static log_keys log_keys_of(const ssgw_gw_config *cfg)
{
    log_keys k;
    memcpy(k.instance, cfg->instance, sizeof k.instance);
    memcpy(k.dest, cfg->log, sizeof k.dest);
    k.level = cfg->log_level;
    return k;
}

/* Logging per the file's [gateway] log, log_level and instance, or the command line. */
static int setup_log(const run_ctx *r, const log_keys *k, char *err, size_t errlen)
{
    ssgw_log_level level = (ssgw_log_level)k->level;
    if (r->log_level) ssgw_log_level_parse(r->log_level, &level); /* checked at start */
    ssgw_log_config lc = {.ident = "ssgw",
                          .instance = k->instance,
                          .target = r->log_dest ? r->log_dest : k->dest,
                          .level = level,
                          .version = SSGW_VERSION};
    return ssgw_log_configure(&lc, err, errlen);
}

/* Starts, re-configures or stops the bundle poller per the policy's [trust] bundle_url. */
static void sync_poller(run_ctx *r, const char *policy)
{
    if (!r->bp) return;
    ssgw_bundle_poll_config pc;
    char err[700];
    int has = ssgw_bundle_poll_config_from_policy(policy, &pc, err, sizeof err);
    if (has < 0 || ssgw_bundle_poller_configure(r->bp, has ? &pc : NULL, err, sizeof err) < 0)
        ssgw_log(SSGW_LOG_ERR, "bundle poll not running: %s", err);
}

static void status_extra(void *ctx, ssgw_json *j)
{
    run_ctx *r = ctx;
    if (r->pl) ssgw_gw_pipeline_status(r->pl, j);
    if (r->bp) ssgw_bundle_poller_status(r->bp, j);
    ssgw_gw_http_status(r->http, j);
}

static void write_report(run_ctx *r)
{
    char err[700];
    if (r->pl && ssgw_gw_pipeline_write_report(r->pl, err, sizeof err) < 0)
        ssgw_log(SSGW_LOG_ERR, "%s", err);
}

/* The learn proposal, when checks are (or were) in learn mode: SIGUSR1 and shutdown. */
static void write_learn(run_ctx *r)
{
    if (!r->pl) return;
    ssgw_pipeline *core = ssgw_gw_pipeline_core(r->pl);
    ssgw_pl_learn_state ls;
    ssgw_pipeline_learn_state(core, &ls);
    if (!ls.active) return;
    char err[1200];
    if (ssgw_pipeline_learn_write(core, NULL, err, sizeof err) < 0)
        ssgw_log(SSGW_LOG_ERR, "learn: %s", err);
    else
        ssgw_log(SSGW_LOG_NOTICE, "learn: proposed configuration written to %s (%llu messages)",
                 ls.output, (unsigned long long)ls.messages);
}

static uint64_t flush_cb(ssgw_evloop *loop, long long id, void *arg)
{
    (void)loop;
    (void)id;
    ssgw_gw_pipeline_flush(arg);
    return 500;
}

/* A shared state store is read in batches on inspection threads, never on the loop's: at
 * least one ([gateway] workers = 0 becomes 1: ssgw_gw_pipeline_workers). */
static void shared_state_workers(ssgw_gw_config *cfg)
{
    if (cfg->policy[0]) cfg->workers = ssgw_gw_pipeline_workers(cfg);
}

/* SIGHUP, the management API, or a newer bundle written by the poller: the configuration,
 * policy and bundle. 0, or -1 with err (the running configuration is kept). */
static int do_reload(run_ctx *r, const char *why, char *err, size_t errlen)
{
    char policy[sizeof((ssgw_gw_config *)0)->policy];
    ssgw_gw_config *cfg = ssgw_gw_config_load(r->path, err, errlen);
    if (cfg && !r->pl != !cfg->policy[0]) {
        snprintf(err, errlen, "%s: [gateway] policy cannot be added or removed without a restart",
                 r->path);
        free(cfg);
        cfg = NULL;
    }
    /* the policy and trust bundle first: a bad one refuses the whole reload */
    if (cfg && r->pl && ssgw_gw_pipeline_prepare(r->pl, cfg, err, errlen) < 0) {
        free(cfg);
        cfg = NULL;
    }
    if (!cfg) {
        ssgw_log(SSGW_LOG_ERR, "%s: reload refused, keeping the running configuration: %s", why,
                 err);
        ssgw_gw_note_reload_failure(r->gw);
        return -1;
    }
    snprintf(policy, sizeof policy, "%s", cfg->policy);
    log_keys lk = log_keys_of(cfg);
    shared_state_workers(cfg);
    if (ssgw_gw_reload(r->gw, cfg, err, errlen) < 0) { /* cfg is the gateway's now */
        if (r->pl) ssgw_gw_pipeline_abort(r->pl);
        ssgw_log(SSGW_LOG_ERR, "%s: reload refused, keeping the running configuration: %s", why,
                 err);
        return -1;
    }
    if (r->pl) ssgw_gw_pipeline_commit(r->pl);
    char lerr[1024];
    if (setup_log(r, &lk, lerr, sizeof lerr) < 0)
        ssgw_log(SSGW_LOG_ERR, "%s: %s; logging as before", why, lerr);
    ssgw_log(SSGW_LOG_NOTICE, "%s: configuration reloaded from %s%s", why, r->path,
             r->pl ? " (policy and trust bundle too)" : "");
    char herr[2048];
    if (ssgw_gw_http_reload(r->http, cfg, herr, sizeof herr) < 0) /* cfg: the gateway's, alive */
        ssgw_log(SSGW_LOG_ERR, "%s: %s", why, herr);
    sync_poller(r, policy);
    return 0;
}

static void reload(run_ctx *r, const char *why)
{
    char err[4096];
    do_reload(r, why, err, sizeof err);
}

static int api_reload(void *ctx, char *err, size_t errlen)
{
    return do_reload(ctx, "management API", err, errlen);
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
            char err[700];
            notify("RELOADING=1");
            if (r->pl && ssgw_gw_pipeline_reopen_events(r->pl, err, sizeof err) < 0)
                ssgw_log(SSGW_LOG_ERR, "SIGHUP: %s", err);
            reload(r, "SIGHUP");
            notify("READY=1");
        } else if (si.ssi_signo == SIGUSR1) {
            write_report(r);
            write_learn(r);
            ssgw_gw_pipeline_flush(r->pl);
        } else {
            ssgw_log(SSGW_LOG_NOTICE, "%s: shutting down", strsignal((int)si.ssi_signo));
            notify("STOPPING=1");
            ssgw_evloop_stop(loop);
        }
    }
}

/* A start-up error: for a person running --check-config a plain line on stderr, for a
 * daemon a log message (the journal gets its severity). */
__attribute__((format(printf, 2, 3))) static void startup_error(bool check, const char *fmt, ...)
{
    char msg[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (check)
        fprintf(stderr, "ssgw run: %s\n", msg);
    else
        ssgw_log(SSGW_LOG_ERR, "%s", msg);
}

int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"check-config", no_argument, NULL, 'k'},
        {"log", required_argument, NULL, 'L'},    {"log-level", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *path = NULL, *log_dest = NULL, *log_level = NULL;
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
        case 'L':
            log_dest = optarg;
            break;
        case 'l':
            log_level = optarg;
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
    ssgw_log_level lv;
    if (log_level && ssgw_log_level_parse(log_level, &lv) < 0) {
        fprintf(stderr,
                "ssgw run: --log-level '%s': expected err, warning, notice, info or debug\n",
                log_level);
        return 2;
    }
    if (log_dest && ssgw_log_target_check(log_dest, err, sizeof err) < 0) {
        fprintf(stderr, "ssgw run: --log '%s': %s\n", log_dest, err);
        return 2;
    }
    ssgw_gw_config *cfg = ssgw_gw_config_load(path, err, sizeof err);
    if (!cfg) {
        fprintf(stderr, "ssgw run: %s\n", err);
        return 2;
    }
    run_ctx r = {.path = path, .log_dest = log_dest, .log_level = log_level};
    log_keys lk = log_keys_of(cfg);
    if (!check && setup_log(&r, &lk, err, sizeof err) < 0) {
        fprintf(stderr, "ssgw run: %s\n", err);
        free(cfg);
        return 2;
    }
    if (!cfg->policy[0] && (cfg->events[0] || cfg->report[0])) {
        startup_error(check, "%s: [gateway] events and report need policy = \"FILE\"", path);
        free(cfg);
        return 2;
    }
    ssgw_gw_pipeline *pl = NULL;
    if (cfg->policy[0]) {
        static char perr[8192];
        pl = ssgw_gw_pipeline_new(cfg, perr, sizeof perr);
        if (!pl) {
            startup_error(check, "%s", perr);
            free(cfg);
            return 2;
        }
    }
    if (pl && ssgw_gw_pipeline_wants_batches(pl) && cfg->workers == 0)
        ssgw_log(SSGW_LOG_NOTICE, "[state] backend = \"redis\": inspecting on 1 thread "
                                  "([gateway] workers = 0 would make the loop wait for Redis)");
    shared_state_workers(cfg);
    if (check) {
        printf("%s: valid (%zu links, %zu Diameter peers%s%s)\n", path, cfg->n_links, cfg->n_dpeers,
               pl ? ", policy " : "", pl ? cfg->policy : "");
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
        ssgw_log(SSGW_LOG_ERR, "start-up error: %s", strerror(errno));
        ssgw_gw_pipeline_free(pl);
        free(cfg);
        return 2;
    }
    ssgw_gw *gw = ssgw_gw_new(loop, cfg, err, sizeof err);
    if (!gw) {
        ssgw_log(SSGW_LOG_ERR, "start-up error: %s", err);
        ssgw_gw_pipeline_free(pl);
        ssgw_evloop_free(loop);
        close(sfd);
        return 2;
    }
    long long flush_timer = 0;
    r.loop = loop;
    r.gw = gw;
    r.pl = pl;
    ssgw_gw_set_status_extra(gw, status_extra, &r);
    ssgw_gw_http_deps hd = {gw, pl, api_reload, &r};
    r.http = ssgw_gw_http_new(loop, cfg, &hd, err, sizeof err); /* cfg: the gateway's, alive */
    if (!r.http && err[0]) {
        ssgw_log(SSGW_LOG_ERR, "start-up error: %s", err);
        ssgw_gw_free(gw);
        ssgw_gw_pipeline_free(pl);
        ssgw_evloop_free(loop);
        close(sfd);
        return 2;
    }
    if (pl) {
        ssgw_gw_set_inspector(gw, ssgw_gw_pipeline_inspect, pl);
        if (ssgw_gw_pipeline_wants_batches(pl))
            ssgw_gw_set_batch_hooks(gw, ssgw_gw_pipeline_batch_begin, ssgw_gw_pipeline_batch_end,
                                    pl);
        ssgw_gw_set_diam_inspector(gw, ssgw_gw_pipeline_inspect_diameter, pl);
        flush_timer = ssgw_evloop_add_timer(loop, 500, flush_cb, pl);
        r.bp = ssgw_bundle_poller_new(loop, on_bundle_update, &r, err, sizeof err);
        if (!r.bp) ssgw_log(SSGW_LOG_ERR, "%s", err);
        sync_poller(&r, cfg->policy);
    }
    ssgw_evloop_add_fd(loop, sfd, SSGW_EV_READ, on_signal, &r);
    ssgw_log(SSGW_LOG_NOTICE, "OpenSSGW %s running (%s, instance %s)", SSGW_VERSION_FULL, path,
             lk.instance);
    notify("READY=1");
    int rc = ssgw_evloop_run(loop);
    ssgw_gw_shutdown(gw, 1000);
    char *buf = malloc(1 << 16);
    if (buf && ssgw_gw_status_json(gw, buf, 1 << 16) > 0)
        ssgw_log(SSGW_LOG_INFO, "final status %s", buf);
    free(buf);
    ssgw_bundle_poller_free(r.bp); /* stopped before anything it may call back into goes */
    r.bp = NULL;
    ssgw_gw_http_free(r.http); /* before the gateway and the pipeline it reads */
    r.http = NULL;
    write_report(&r);
    write_learn(&r);
    if (flush_timer) ssgw_evloop_del_timer(loop, flush_timer);
    ssgw_gw_free(gw);
    ssgw_gw_pipeline_free(pl);
    ssgw_evloop_del_fd(loop, sfd);
    close(sfd);
    ssgw_evloop_free(loop);
    return rc < 0 ? 1 : 0;
}
