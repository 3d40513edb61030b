/*
 * bundle_poll.h - the live gateway's trust bundle poller: [trust] bundle_url
 * fetched every bundle_poll seconds (docs/configuration.md "[trust]",
 * docs/operations.md "Trust bundle polling").
 *
 * A thread of its own does the blocking work, never the event loop: a
 * conditional GET (RFC 9110 If-None-Match with the last ETag,
 * ssgw_bundle_fetch), verification of the body against the configured root
 * (ssgw_bundle_load: CMS signature, body, validity now), the sequence rule
 * (strictly greater than the bundle in use: a bundle never goes back), and an
 * atomic replacement of the configured bundle file (temporary file in the same
 * directory, fsync, rename). Then it wakes the loop through an eventfd and the
 * loop runs the caller's callback, which reloads exactly as SIGHUP does.
 *
 * Fail safe: on any failure (fetch, signature, older sequence, malformed,
 * write) the file is left alone and the running bundle stays in use. Each
 * outcome is counted; it is logged when it differs from the previous one.
 */
#ifndef SSGW_BUNDLE_POLL_H
#define SSGW_BUNDLE_POLL_H

#include <stddef.h>
#include <stdint.h>

#include "ssgw/evloop.h"
#include "ssgw/json.h"

/* Outcome of one poll. */
typedef enum {
    SSGW_BPOLL_NONE = 0,          /* no poll yet */
    SSGW_BPOLL_NOT_MODIFIED,      /* 304, or the same bundle as the one in use */
    SSGW_BPOLL_UPDATED,           /* a newer bundle written over the file; reload requested */
    SSGW_BPOLL_FETCH_FAILED,      /* connection, timeout, HTTP status, response too big */
    SSGW_BPOLL_REFUSED_SIGNATURE, /* CMS signature does not verify against the root */
    SSGW_BPOLL_REFUSED_OLDER,     /* sequence not greater than the one in use */
    SSGW_BPOLL_REFUSED_MALFORMED, /* not a bundle, body does not parse, not valid now */
    SSGW_BPOLL_WRITE_FAILED,      /* the verified bundle could not be written */
    SSGW_BPOLL_OUTCOME_COUNT
} ssgw_bundle_poll_outcome;

/* "none", "not_modified", "updated", "fetch_failed", "refused_signature",
 * "refused_older", "refused_malformed", "write_failed"; "unknown" otherwise. */
const char *ssgw_bundle_poll_outcome_name(int o);

/* What to poll: copies, so the policy they came from may be freed. */
typedef struct {
    char url[1024];    /* [trust] bundle_url ("http://HOST:PORT/PATH") */
    char bundle[1024]; /* [trust] bundle: the file replaced (absolute path) */
    char root[1024];   /* [trust] root: the only trust anchor */
    uint64_t interval_ms;
} ssgw_bundle_poll_config;

/*
 * Reads the [trust] section of the policy file at policy_path. Returns 1 with
 * *out filled when bundle_url is set, 0 when it is not (or there is no
 * [trust]), -1 with err when the policy does not load. interval_ms is
 * bundle_poll x 1000, unless the environment variable SSGW_BUNDLE_POLL_MS
 * (a testing knob: 50 .. 86400000) is set, which replaces it.
 */
int ssgw_bundle_poll_config_from_policy(const char *policy_path, ssgw_bundle_poll_config *out,
                                        char *err, size_t errlen);

typedef struct ssgw_bundle_poller ssgw_bundle_poller;

/* Called on the loop's thread after a newer bundle was written over the file. */
typedef void (*ssgw_bundle_poll_fn)(void *arg);

/*
 * A poller on loop (its eventfd is registered there), idle until configured.
 * Returns NULL with err (eventfd, memory).
 */
ssgw_bundle_poller *ssgw_bundle_poller_new(ssgw_evloop *loop, ssgw_bundle_poll_fn on_update,
                                           void *arg, char *err, size_t errlen);

/*
 * Applies cfg, or stops polling with cfg NULL (call it after every reload).
 * When cfg equals the running one the thread keeps its ETag and schedule, and
 * the sequence in use is raised to that of the bundle file when the file holds
 * a newer one (installed by hand and SIGHUP): it never goes down. Otherwise the
 * thread is stopped, the sequence in use is read from cfg->bundle (verified
 * with cfg->root; 0 when it does not load, logged) and the thread started
 * again; its first poll is immediate. Counters are kept across calls.
 * Returns 0, or -1 with err (root unreadable, thread not started: not polling).
 */
int ssgw_bundle_poller_configure(ssgw_bundle_poller *p, const ssgw_bundle_poll_config *cfg,
                                 char *err, size_t errlen);

/*
 * Adds "bundle_poll": {url, interval_ms, sequence, etag, polls, not_modified,
 * updated, fetch_failed, refused, refused_signature, refused_older,
 * refused_malformed, write_failed, last_outcome, last_error} to a status
 * object (ctx = the poller; nothing when it never polled a URL). Loop thread.
 */
void ssgw_bundle_poller_status(void *ctx, ssgw_json *j);

/* Stops the thread (promptly, even mid-wait; a fetch in progress ends within
 * its 5 s deadline), unregisters the eventfd and frees. NULL is ignored. */
void ssgw_bundle_poller_free(ssgw_bundle_poller *p);

#endif
