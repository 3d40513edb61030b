/*
 * gw_http.h - the gateway's HTTP surfaces ([http] in the gateway file), served
 * by the project's embedded server (include/ssgw/http.h) on the gateway's own
 * event loop, so every handler reads the gateway's state on the loop's thread:
 *
 *   GET  /metrics                      Prometheus text: traffic by link, direction,
 *                                      reason and check; verdicts; trust outcomes; link
 *                                      and association states; queues; the state store;
 *                                      the trust bundle; latency histograms per lane
 *   /api/v1/...                        the management API (bearer tokens of [http] tokens):
 *                                      status, reload, check and partner switches, a live
 *                                      stream of events (Server-Sent Events), a summary
 *   GET  /                             the live dashboard (HTML and JS inside the binary)
 *   POST /interception-risk/v0/check   the risk API for banks and mobile-money providers
 *                                      (CAMARA-style; its own tokens, rate limit, audit)
 *
 * Requests without valid credentials get 401 and are counted. Nothing here can
 * read a key file or raw signalling. docs/operations.md ("HTTP: metrics, API,
 * dashboard, risk API") describes every endpoint.
 */
#ifndef SSGW_GW_HTTP_H
#define SSGW_GW_HTTP_H

#include <stddef.h>

#include "ssgw/evloop.h"
#include "ssgw/gateway.h"
#include "ssgw/gw_pipeline.h"
#include "ssgw/json.h"

typedef struct ssgw_gw_http ssgw_gw_http;

typedef struct {
    ssgw_gw *gw;
    ssgw_gw_pipeline *pipeline; /* NULL without [gateway] policy: switches and risk answer 409 */
    /* POST /api/v1/reload: the same reload as SIGHUP. 0, or -1 with err (the running
     * configuration is kept). */
    int (*reload)(void *ctx, char *err, size_t errlen);
    void *ctx;
} ssgw_gw_http_deps;

/*
 * Starts the HTTP server of cfg->http on loop (NULL when [http] has no listen: nothing to
 * do, *err empty). Loads the token files (refused unless 0600) and opens the risk audit
 * file. Returns NULL with err on a start-up error ("[http] listen 127.0.0.1:9100: Address
 * already in use", "[http] tokens '/etc/ssgw/api.tokens': mode 0644: ...").
 */
ssgw_gw_http *ssgw_gw_http_new(ssgw_evloop *loop, const ssgw_gw_config *cfg,
                               const ssgw_gw_http_deps *deps, char *err, size_t errlen);
void ssgw_gw_http_free(ssgw_gw_http *h);

/*
 * After a successful reload: the token files are read again (a file that no longer
 * loads keeps the old tokens, and err says why: -1). listen and TLS change only with a
 * restart (-1 with err; everything else applied).
 */
int ssgw_gw_http_reload(ssgw_gw_http *h, const ssgw_gw_config *cfg, char *err, size_t errlen);

/* The "http" object of the status (requests, 401s, risk queries, streams). h may be NULL. */
void ssgw_gw_http_status(ssgw_gw_http *h, ssgw_json *j);

#endif
