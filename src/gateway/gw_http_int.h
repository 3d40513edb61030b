/*
 * gw_http_int.h - what the files of the gateway's HTTP surfaces share
 * (include/ssgw/gw_http.h): the metrics page (gw_metrics.c), the dashboard page
 * (gw_dashboard.c) and the risk API's body parser (gw_risk_api.c), called by
 * the server and router in gw_http.c.
 */
#ifndef SSGW_GATEWAY_GW_HTTP_INT_H
#define SSGW_GATEWAY_GW_HTTP_INT_H

#include "gateway/gw_int.h"
#include "ssgw/pipeline.h"
#include "ssgw/prom.h"

/* The gateway's and the pipeline's metrics (pl may be NULL), the same numbers as the status. */
void gw_metrics_write(const ssgw_gw *g, ssgw_pipeline *pl, ssgw_prom *p);

/* The dashboard: one self-contained HTML page. */
extern const char gw_dashboard_html[];

/*
 * The risk API's request body: a JSON object with "phoneNumber" (E.164 with '+') and
 * "maxAge" (hours, optional: def). Writes the digits without '+' into msisdn. Returns 0,
 * or -1 with why (a sentence for the client).
 */
int gw_risk_parse(const char *body, size_t len, char *msisdn, size_t cap, long *max_age_h, long def,
                  long max, char *why, size_t whycap);

#endif
