/*
 * bundle_poll.c - the gateway's trust bundle poller (include/ssgw/bundle_poll.h):
 * a thread doing the conditional GET of [trust] bundle_url (RFC 9110 13.1.2
 * If-None-Match / 304, via ssgw_bundle_fetch), verifying what comes back with
 * ssgw_bundle_load against the configured root, refusing any bundle whose
 * sequence is not greater than the one in use (docs/tsca.md: sequences never
 * go back), writing it atomically over the bundle file and waking the event
 * loop through an eventfd. The loop thread only reads the eventfd and calls
 * the reload callback; it never blocks on the network.
 *
 * Locking: one mutex guards the configuration, the stop/wake flags and the
 * counters; the thread drops it for the fetch, the verification and the write.
 */
#include "ssgw/bundle_poll.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "ssgw/bundle.h"
#include "ssgw/keys.h"
#include "ssgw/log.h"
#include "ssgw/file.h"
#include "ssgw/policy.h"

#define FETCH_TIMEOUT_MS 5000
#define DETAIL_MAX       1200

static const char *const outcome_names[SSGW_BPOLL_OUTCOME_COUNT] = {
    "none",          "not_modified",      "updated",     "fetch_failed", "refused_signature",
    "refused_older", "refused_malformed", "write_failed"};
/* How severe each outcome is in the log (logged when it differs from the previous one). */
static const ssgw_log_level outcome_level[SSGW_BPOLL_OUTCOME_COUNT] = {
    SSGW_LOG_INFO,    SSGW_LOG_INFO,    SSGW_LOG_NOTICE,  SSGW_LOG_WARNING,
    SSGW_LOG_WARNING, SSGW_LOG_WARNING, SSGW_LOG_WARNING, SSGW_LOG_ERR};

const char *ssgw_bundle_poll_outcome_name(int o)
{
    return o >= 0 && o < SSGW_BPOLL_OUTCOME_COUNT ? outcome_names[o] : "unknown";
}

int ssgw_bundle_poll_config_from_policy(const char *policy_path, ssgw_bundle_poll_config *out,
                                        char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    ssgw_config_errors *errs = calloc(1, sizeof *errs);
    if (!errs) return ssgw_errf(err, errlen, "out of memory");
    ssgw_policy *pol = ssgw_policy_load_file(policy_path, errs);
    if (!pol) {
        ssgw_errf(err, errlen, "%s", errs->n ? errs->e[0].text : "policy cannot be loaded");
        free(errs);
        return -1;
    }
    free(errs);
    const ssgw_policy_trust *t = ssgw_policy_trust_get(pol);
    int rc = 0;
    if (t->present && t->bundle_url && t->bundle && t->root) {
        snprintf(out->url, sizeof out->url, "%s", t->bundle_url);
        snprintf(out->bundle, sizeof out->bundle, "%s", t->bundle);
        snprintf(out->root, sizeof out->root, "%s", t->root);
        out->interval_ms = (uint64_t)t->bundle_poll_s * 1000u;
        const char *env = getenv("SSGW_BUNDLE_POLL_MS");
        if (env && *env) {
            char *end;
            unsigned long long v = strtoull(env, &end, 10);
            if (*end || v < 50 || v > 86400000ull) {
                ssgw_policy_free(pol);
                return ssgw_errf(err, errlen,
                                 "SSGW_BUNDLE_POLL_MS '%s': expected milliseconds 50 .. 86400000",
                                 env);
            }
            out->interval_ms = v;
        }
        rc = 1;
    }
    ssgw_policy_free(pol);
    return rc;
}

struct ssgw_bundle_poller {
    ssgw_evloop *loop;
    ssgw_bundle_poll_fn on_update;
    void *arg;
    int efd;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    bool running, stop, ever;
    /* guarded by mu */
    ssgw_bundle_poll_config cfg;
    X509 *root;
    uint64_t sequence; /* of the bundle in use */
    char etag[128];
    uint64_t polls, counts[SSGW_BPOLL_OUTCOME_COUNT];
    int last;
    char last_detail[DETAIL_MAX];
};

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Counts an outcome; logs it when it differs from the previous one (kind or detail). */
static void note(ssgw_bundle_poller *p, int o, const char *detail)
{
    pthread_mutex_lock(&p->mu);
    p->polls++;
    p->counts[o]++;
    bool changed = o != p->last || strcmp(detail, p->last_detail) != 0;
    p->last = o;
    snprintf(p->last_detail, sizeof p->last_detail, "%s", detail);
    char url[sizeof p->cfg.url];
    snprintf(url, sizeof url, "%s", p->cfg.url);
    pthread_mutex_unlock(&p->mu);
    if (changed)
        ssgw_log(outcome_level[o], "bundle poll %s: %s%s%s", url, outcome_names[o],
                 detail[0] ? ": " : "", detail);
}

/* Writes data over path through a temporary file in the same directory. */
static int write_atomic(const char *path, const uint8_t *data, size_t len, char *err, size_t errlen)
{
    char tmp[1100];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.poll-tmp", path) >= sizeof tmp)
        return ssgw_errf(err, errlen, "%s: path too long", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return ssgw_errf(err, errlen, "%s: %s", tmp, strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            return ssgw_errf(err, errlen, "%s: %s", tmp, strerror(e));
        }
        done += (size_t)w;
    }
    if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        return ssgw_errf(err, errlen, "%s: %s", path, strerror(e));
    }
    return 0;
}

/* Same bytes as the file at path? */
static bool same_as_file(const char *path, const uint8_t *data, size_t len)
{
    char *cur = NULL;
    size_t cl = 0;
    char e[300];
    if (ssgw_file_read(path, SSGW_BUNDLE_MAX_BYTES, &cur, &cl, e, sizeof e) < 0) return false;
    bool same = cl == len && memcmp(cur, data, len) == 0;
    free(cur);
    return same;
}

/* A refusal of ssgw_bundle_load: the signature (trust) or the contents. */
static int classify(const char *why)
{
    if (strstr(why, "signature") || strstr(why, "signer") || strstr(why, "root CA other"))
        return SSGW_BPOLL_REFUSED_SIGNATURE;
    return SSGW_BPOLL_REFUSED_MALFORMED;
}

/* One poll: fetch, verify, write, notify. Called on the poller thread without the lock. */
static void poll_once(ssgw_bundle_poller *p)
{
    char url[sizeof p->cfg.url], path[sizeof p->cfg.bundle], etag[128], err[DETAIL_MAX];
    pthread_mutex_lock(&p->mu);
    snprintf(url, sizeof url, "%s", p->cfg.url);
    snprintf(path, sizeof path, "%s", p->cfg.bundle);
    snprintf(etag, sizeof etag, "%s", p->etag);
    uint64_t cur = p->sequence;
    X509 *root = p->root; /* freed only after this thread is joined */
    pthread_mutex_unlock(&p->mu);

    ssgw_bundle_fetch_result r;
    if (ssgw_bundle_fetch(url, etag[0] ? etag : NULL, 0, FETCH_TIMEOUT_MS, &r, err, sizeof err) <
        0) {
        note(p, SSGW_BPOLL_FETCH_FAILED, err);
        return;
    }
    if (r.status == 304) {
        note(p, SSGW_BPOLL_NOT_MODIFIED, "");
        return;
    }
    ssgw_bundle *b = ssgw_bundle_load(NULL, r.body, r.len, root, 0, time(NULL), err, sizeof err);
    if (!b) {
        ssgw_bundle_fetch_free(&r);
        note(p, classify(err), err);
        return;
    }
    uint64_t seq = ssgw_bundle_sequence(b);
    ssgw_bundle_free(b);
    if (seq <= cur) {
        if (seq == cur && same_as_file(path, r.body, r.len)) {
            /* the bundle in use: remember its ETag so that the next poll is a 304 */
            pthread_mutex_lock(&p->mu);
            snprintf(p->etag, sizeof p->etag, "%s", r.etag);
            pthread_mutex_unlock(&p->mu);
            ssgw_bundle_fetch_free(&r);
            note(p, SSGW_BPOLL_NOT_MODIFIED, "");
            return;
        }
        ssgw_bundle_fetch_free(&r);
        snprintf(err, sizeof err,
                 "bundle sequence %" PRIu64 " is not newer than the current %" PRIu64, seq, cur);
        note(p, SSGW_BPOLL_REFUSED_OLDER, err);
        return;
    }
    int w = write_atomic(path, r.body, r.len, err, sizeof err);
    ssgw_bundle_fetch_free(&r);
    if (w < 0) {
        note(p, SSGW_BPOLL_WRITE_FAILED, err);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->sequence = seq;
    snprintf(p->etag, sizeof p->etag, "%s", r.etag);
    pthread_mutex_unlock(&p->mu);
    snprintf(err, sizeof err, "sequence %" PRIu64 " written to %s", seq, path);
    note(p, SSGW_BPOLL_UPDATED, err);
    uint64_t one = 1;
    if (write(p->efd, &one, sizeof one) < 0) { /* only EAGAIN: a wake-up is pending already */
    }
}

static void *thread_main(void *arg)
{
    ssgw_bundle_poller *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        pthread_mutex_unlock(&p->mu);
        poll_once(p);
        pthread_mutex_lock(&p->mu);
        uint64_t due = mono_ms() + p->cfg.interval_ms;
        struct timespec ts = {(time_t)(due / 1000u), (long)(due % 1000u) * 1000000L};
        while (!p->stop && mono_ms() < due)
            pthread_cond_timedwait(&p->cv, &p->mu, &ts);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void on_event(ssgw_evloop *l, int fd, unsigned ev, void *arg)
{
    (void)l;
    (void)ev;
    ssgw_bundle_poller *p = arg;
    uint64_t v;
    if (read(fd, &v, sizeof v) == (ssize_t)sizeof v && p->on_update) p->on_update(p->arg);
}

ssgw_bundle_poller *ssgw_bundle_poller_new(ssgw_evloop *loop, ssgw_bundle_poll_fn on_update,
                                           void *arg, char *err, size_t errlen)
{
    ssgw_bundle_poller *p = calloc(1, sizeof *p);
    if (!p) {
        ssgw_errf(err, errlen, "bundle poller: out of memory");
        return NULL;
    }
    p->loop = loop;
    p->on_update = on_update;
    p->arg = arg;
    p->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    pthread_condattr_t ca;
    bool cv_ok = false;
    if (pthread_condattr_init(&ca) == 0) {
        cv_ok = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
                pthread_cond_init(&p->cv, &ca) == 0;
        pthread_condattr_destroy(&ca);
    }
    if (p->efd < 0 || !cv_ok || pthread_mutex_init(&p->mu, NULL) != 0 ||
        ssgw_evloop_add_fd(loop, p->efd, SSGW_EV_READ, on_event, p) < 0) {
        ssgw_errf(err, errlen, "bundle poller: %s", strerror(errno ? errno : ENOMEM));
        if (p->efd >= 0) close(p->efd);
        if (cv_ok) pthread_cond_destroy(&p->cv);
        free(p);
        return NULL;
    }
    return p;
}

static void stop_thread(ssgw_bundle_poller *p)
{
    if (!p->running) return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    p->running = false;
    p->stop = false;
}

int ssgw_bundle_poller_configure(ssgw_bundle_poller *p, const ssgw_bundle_poll_config *cfg,
                                 char *err, size_t errlen)
{
    if (p->running && cfg && !memcmp(cfg, &p->cfg, sizeof *cfg)) {
        /* a reload may have installed a bundle by hand: never go below it */
        char e[400];
        ssgw_bundle *b =
            ssgw_bundle_load(cfg->bundle, NULL, 0, p->root, 0, time(NULL), e, sizeof e);
        pthread_mutex_lock(&p->mu);
        if (b && ssgw_bundle_sequence(b) > p->sequence) p->sequence = ssgw_bundle_sequence(b);
        pthread_mutex_unlock(&p->mu);
        ssgw_bundle_free(b);
        return 0;
    }
    stop_thread(p); /* from here on the thread does not run: no lock needed for the fields */
    X509_free(p->root);
    p->root = NULL;
    p->etag[0] = '\0';
    if (!cfg) {
        if (p->ever)
            ssgw_log(SSGW_LOG_NOTICE, "bundle poll stopped (no [trust] bundle_url any more)");
        memset(&p->cfg, 0, sizeof p->cfg);
        return 0;
    }
    memcpy(&p->cfg, cfg, sizeof p->cfg);
    p->ever = true;
    char e[400];
    p->root = ssgw_cert_load_pem(cfg->root, e, sizeof e);
    if (!p->root) return ssgw_errf(err, errlen, "bundle poll: root %s", e);
    ssgw_bundle *b = ssgw_bundle_load(cfg->bundle, NULL, 0, p->root, 0, time(NULL), e, sizeof e);
    p->sequence = b ? ssgw_bundle_sequence(b) : 0;
    if (!b)
        ssgw_log(SSGW_LOG_WARNING, "bundle poll: %s: %s (any valid bundle will be taken)",
                 cfg->bundle, e);
    ssgw_bundle_free(b);
    if (pthread_create(&p->thread, NULL, thread_main, p) != 0)
        return ssgw_errf(err, errlen, "bundle poll: cannot start the thread: %s", strerror(errno));
    p->running = true;
    ssgw_log(SSGW_LOG_INFO, "bundle poll %s every %" PRIu64 " ms (sequence in use %" PRIu64 ")",
             cfg->url, cfg->interval_ms, p->sequence);
    return 0;
}

void ssgw_bundle_poller_status(void *ctx, ssgw_json *j)
{
    ssgw_bundle_poller *p = ctx;
    if (!p || !p->ever) return;
    pthread_mutex_lock(&p->mu);
    ssgw_json_object_begin(j, "bundle_poll");
    ssgw_json_str(j, "url", p->cfg.url);
    ssgw_json_bool(j, "running", p->running);
    ssgw_json_int(j, "interval_ms", (long long)p->cfg.interval_ms);
    ssgw_json_int(j, "sequence", (long long)p->sequence);
    ssgw_json_str(j, "etag", p->etag);
    ssgw_json_int(j, "polls", (long long)p->polls);
    uint64_t refused = p->counts[SSGW_BPOLL_REFUSED_SIGNATURE] +
                       p->counts[SSGW_BPOLL_REFUSED_OLDER] +
                       p->counts[SSGW_BPOLL_REFUSED_MALFORMED];
    for (int o = SSGW_BPOLL_NOT_MODIFIED; o < SSGW_BPOLL_OUTCOME_COUNT; o++) {
        ssgw_json_int(j, outcome_names[o], (long long)p->counts[o]);
        if (o == SSGW_BPOLL_FETCH_FAILED) ssgw_json_int(j, "refused", (long long)refused);
    }
    ssgw_json_str(j, "last_outcome", outcome_names[p->last]);
    ssgw_json_str(
        j, "last_error",
        p->last == SSGW_BPOLL_UPDATED || p->last == SSGW_BPOLL_NOT_MODIFIED ? "" : p->last_detail);
    ssgw_json_object_end(j);
    pthread_mutex_unlock(&p->mu);
}

void ssgw_bundle_poller_free(ssgw_bundle_poller *p)
{
    if (!p) return;
    stop_thread(p);
    ssgw_evloop_del_fd(p->loop, p->efd);
    close(p->efd);
    X509_free(p->root);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
