/*
 * gw_pipeline.h - the live gateway's inspection hook (include/ssgw/gateway.h) over
 * the library's inspection pipeline (include/ssgw/pipeline.h): the same trust
 * verification, firewall and signing `ssgw analyze` applies to a capture, with
 * the direction given by the arrival link's side (outer = inbound) and the wall
 * clock as the time.
 *
 * Every judged message can be written as one JSON line (events file, keys of
 * ssgw_record_result) and feeds the HTML report (include/ssgw/report.h); trust
 * lifecycle events (bundle expired, replay-cache evictions) are written there as
 * alerts too. Configuration: [gateway] policy, events, events_all, report
 * (docs/operations.md).
 */
#ifndef SSGW_GW_PIPELINE_H
#define SSGW_GW_PIPELINE_H

#include <stddef.h>

#include "ssgw/gateway.h"
#include "ssgw/json.h"
#include "ssgw/pipeline.h"

typedef struct ssgw_gw_pipeline ssgw_gw_pipeline;

/*
 * Loads cfg->policy (errors "FILE:LINE:COL: error: ..." one per line in err), the
 * trust material of its [trust] section (keys, root, bundle), creates the
 * inspector and opens cfg->events / prepares cfg->report. Returns NULL with err.
 */
ssgw_gw_pipeline *ssgw_gw_pipeline_new(const ssgw_gw_config *cfg, char *err, size_t errlen);
/*
 * The inspection threads the gateway runs with cfg: [gateway] workers, or 1 when that is 0
 * and the policy keeps its state in Redis ([state] backend = "redis": a batch's round trips
 * are made on a thread, never on the loop's). The pipeline's lanes follow it; the caller
 * sets cfg->workers to it before ssgw_gw_new / ssgw_gw_reload.
 */
unsigned ssgw_gw_pipeline_workers(const ssgw_gw_config *cfg);
void ssgw_gw_pipeline_free(ssgw_gw_pipeline *p);

/* The hook (ctx = the pipeline) and the status keys ("pipeline": {...}). */
int ssgw_gw_pipeline_inspect(void *ctx, ssgw_gw_msg *msg, ssgw_gw_action *act);
/* The batch hooks (ssgw_gw_set_batch_hooks) over ssgw_pipeline_prefetch / _flush. */
void ssgw_gw_pipeline_batch_begin(void *ctx, unsigned lane, const ssgw_gw_msg *msgs, size_t n);
void ssgw_gw_pipeline_batch_end(void *ctx, unsigned lane);
/* True when the policy's state store wants batches ([state] backend = "redis"): the
 * gateway then inspects on threads (at least one), so that its loop never waits for it. */
bool ssgw_gw_pipeline_wants_batches(const ssgw_gw_pipeline *p);
/* The Diameter hook (ssgw_gw_set_diam_inspector): the same pipeline on one Diameter
 * message, on the loop's thread (its own lane when [gateway] workers > 0; with a shared
 * state store that lane never waits for it: ssgw_pipeline_set_lane_nowait). */
int ssgw_gw_pipeline_inspect_diameter(void *ctx, const ssgw_gw_diam_msg *msg, ssgw_gw_action *act);
void ssgw_gw_pipeline_status(void *ctx, ssgw_json *j);

/*
 * Reload in two steps, so that a refused gateway reload keeps the old policy too:
 * prepare loads cfg's policy and trust material aside (0, or -1 with err: the old
 * ones stay); commit switches to them (the state store is kept), abort forgets them.
 * The events and report paths cannot change without a restart.
 */
int ssgw_gw_pipeline_prepare(ssgw_gw_pipeline *p, const ssgw_gw_config *cfg, char *err,
                             size_t errlen);
void ssgw_gw_pipeline_commit(ssgw_gw_pipeline *p);
void ssgw_gw_pipeline_abort(ssgw_gw_pipeline *p);

/* The library pipeline inside (switches, risk lookups, stats for the HTTP surfaces). */
ssgw_pipeline *ssgw_gw_pipeline_core(ssgw_gw_pipeline *p);

/*
 * A second consumer of judged messages besides the events file (the HTTP event
 * stream and dashboard, include/ssgw/gw_http.h): fn is called on the inspecting
 * lane's thread for every message the events file would get without events_all
 * (not simply allowed, or trust-checked, or signed), with the arrival link (or
 * Diameter peer), the result of the pipeline and the wall clock. It must not block and must not
 * keep pointers. Set it before traffic flows; NULL removes it.
 */
typedef void (*ssgw_gw_pipeline_sink)(void *ctx, const char *link, const ssgw_pipeline_result *r,
                                      uint64_t wall_ms);
void ssgw_gw_pipeline_set_sink(ssgw_gw_pipeline *p, ssgw_gw_pipeline_sink fn, void *ctx);

/* Reopens the events file at its path (SIGHUP: after logrotate moved it away; lines
 * still buffered go to the old file). 0, or -1 with err: the old file stays in use. */
int ssgw_gw_pipeline_reopen_events(ssgw_gw_pipeline *p, char *err, size_t errlen);

/* Writes the HTML report to the configured path (no-op without one). 0 or -1 with err. */
int ssgw_gw_pipeline_write_report(ssgw_gw_pipeline *p, char *err, size_t errlen);
/* Call every second or so: lets the pipeline notice time passing (an expiring bundle,
 * replay-cache evictions) and flushes the events file (the hook only buffers). */
void ssgw_gw_pipeline_flush(ssgw_gw_pipeline *p);

#endif
