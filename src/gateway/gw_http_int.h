/*
 * gw_http_int.h - what the files of the gateway's HTTP surfaces share
 * (include/ssgw/gw_http.h): the metrics page (gw_metrics.c), the dashboard page
 * (gw_dashboard.c), the risk API's body parser (gw_risk_api.c) and the APIs'
 * credentials (gw_http_auth.c), called by the server and router in gw_http.c.
 */
#ifndef SSGW_GATEWAY_GW_HTTP_INT_H
#define SSGW_GATEWAY_GW_HTTP_INT_H

#include "gateway/gw_int.h"
#include "ssgw/pipeline.h"
#include "ssgw/http.h"
#include "ssgw/prom.h"

/* The gateway's and the pipeline's metrics (pl may be NULL), the same numbers as the status. */
void gw_metrics_write(const ssgw_gw *g, ssgw_pipeline *pl, ssgw_prom *p);
/* The Diameter edge proxy's counters (gw_metrics_diam.c); nothing without Diameter peers. */
void gw_metrics_diam_write(const ssgw_gw *g, ssgw_prom *p);

/* The dashboard: one self-contained HTML page. */
extern const char gw_dashboard_html[];

/*
 * The risk API's request body: a JSON object with "phoneNumber" (E.164 with '+') and
 * "maxAge" (hours, optional: def). Writes the digits without '+' into msisdn. Returns 0,
 * or -1 with why (a sentence for the client).
 */
int gw_risk_parse(const char *body, size_t len, char *msisdn, size_t cap, long *max_age_h, long def,
                  long max, char *why, size_t whycap);

/* ---- credentials (gw_http_auth.c) ------------------------------------------------------ */

/* The two APIs, each with credentials of its own. */
typedef enum { GW_REALM_API, GW_REALM_RISK, GW_REALM_COUNT } gw_realm;

typedef struct {
    ssgw_http_tokens *tokens; /* NULL: no token file */
    ssgw_http_certs *certs;   /* NULL: no client certificates */
} gw_credentials;

/* Loads the realm's token file and client certificates of cfg. 0, or -1 with err ("[http]
 * tokens: FILE: mode 0644: ...", "[http] client_ca 'FILE': ..."); nothing is kept then. */
int gw_credentials_load(gw_credentials *c, gw_realm realm, const ssgw_gw_http_config *cfg,
                        char *err, size_t errlen);
/*
 * SIGHUP: the token file, names and CRLs of cfg (the CA file is read again; its path is that
 * of old: changing it is refused). What does not load keeps its old version: -1 with the
 * reasons appended to err, one per line.
 */
int gw_credentials_reload(gw_credentials *c, gw_realm realm, const ssgw_gw_http_config *old,
                          const ssgw_gw_http_config *cfg, char *err, size_t errlen);
void gw_credentials_free(gw_credentials *c);
/* A token file or client certificates: the API is on. */
bool gw_credentials_any(const gw_credentials *c);

typedef struct {
    const char *who;            /* the client's name, or NULL: refused */
    const char *how;            /* "token" or "certificate" */
    ssgw_http_cert_result cert; /* the client certificate's judgement (NONE: not looked at) */
    char why[400];              /* refused: a sentence for the 401 */
} gw_auth;

/* Judges the request: its bearer token when it has an Authorization header, else its client
 * certificate. */
void gw_authenticate(const gw_credentials *c, gw_realm realm, ssgw_http_req *r, gw_auth *out);

#endif
