/*
 * gw_http_auth.c - who may use the gateway's two HTTP APIs (gw_http.c): the
 * management API (and /metrics with metrics_auth) and the risk API, each a
 * realm with its own credentials that never open the other: bearer tokens
 * ([http] tokens / risk_tokens, include/ssgw/http.h) and client certificates
 * (client_ca + client_names + client_crl / the risk_ ones).
 *
 * A request is judged by its bearer token when it sends an Authorization
 * header, else by the client certificate of its TLS connection: a wrong token
 * is refused even on a connection whose certificate would pass, so that a
 * client learns its token is wrong instead of being let in by another route.
 * The caller counts the outcome and answers 401 with the sentence given here.
 */
#include <stdio.h>
#include <string.h>

#include "gateway/gw_http_int.h"

static const struct {
    const char *tokens, *ca, *names, *crl;
} keys[GW_REALM_COUNT] = {
    {"tokens", "client_ca", "client_names", "client_crl"},
    {"risk_tokens", "risk_client_ca", "risk_client_names", "risk_client_crl"},
};

static int load_tokens(gw_realm realm, const ssgw_gw_http_config *cfg, ssgw_http_tokens **out,
                       char *err, size_t errlen)
{
    const char *path = realm == GW_REALM_API ? cfg->tokens : cfg->risk_tokens;
    *out = NULL;
    if (!path[0]) return 0;
    char e[600];
    if (!(*out = ssgw_http_tokens_load(path, e, sizeof e))) {
        snprintf(err, errlen, "[http] %s: %s", keys[realm].tokens, e);
        return -1;
    }
    return 0;
}

static int load_certs(gw_realm realm, const ssgw_gw_http_config *cfg, ssgw_http_certs **out,
                      char *err, size_t errlen)
{
    bool api = realm == GW_REALM_API;
    const char *ca = api ? cfg->client_ca : cfg->risk_client_ca,
               *crl = api ? cfg->client_crl : cfg->risk_client_crl;
    size_t n = api ? cfg->n_client_names : cfg->n_risk_client_names;
    const char *names[SSGW_GW_MAX_CERT_NAMES];
    for (size_t i = 0; i < n; i++)
        names[i] = api ? cfg->client_names[i] : cfg->risk_client_names[i];
    *out = NULL;
    if (!ca[0]) return 0;
    ssgw_http_certs_config cc = {.ca = ca,
                                 .crl = crl[0] ? crl : NULL,
                                 .ca_what = keys[realm].ca,
                                 .crl_what = keys[realm].crl,
                                 .names = names,
                                 .n_names = n};
    char e[700];
    if (!(*out = ssgw_http_certs_load(&cc, e, sizeof e))) {
        snprintf(err, errlen, "[http] %s", e);
        return -1;
    }
    return 0;
}

static const char *realm_ca(gw_realm realm, const ssgw_gw_http_config *cfg)
{
    return realm == GW_REALM_API ? cfg->client_ca : cfg->risk_client_ca;
}

int gw_credentials_load(gw_credentials *c, gw_realm realm, const ssgw_gw_http_config *cfg,
                        char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    if (load_tokens(realm, cfg, &c->tokens, err, errlen) < 0 ||
        load_certs(realm, cfg, &c->certs, err, errlen) < 0) {
        gw_credentials_free(c);
        return -1;
    }
    return 0;
}

/* Appends line to err (the reload's reasons, one per line). */
static void append(char *err, size_t errlen, const char *line)
{
    size_t el = strlen(err);
    snprintf(err + el, errlen - el, "%s%s", el ? "\n" : "", line);
}

int gw_credentials_reload(gw_credentials *c, gw_realm realm, const ssgw_gw_http_config *old,
                          const ssgw_gw_http_config *cfg, char *err, size_t errlen)
{
    int rc = 0;
    char e[800];
    ssgw_http_tokens *t;
    if (load_tokens(realm, cfg, &t, e, sizeof e) == 0) {
        ssgw_http_tokens_free(c->tokens);
        c->tokens = t;
    } else {
        append(err, errlen, e);
        rc = -1; /* the old tokens stay */
    }
    ssgw_http_certs *k;
    if (strcmp(realm_ca(realm, old), realm_ca(realm, cfg))) {
        snprintf(e, sizeof e,
                 "[http] %s is set, moved or removed only with a restart (the TLS server "
                 "announces its CAs): the certificate clients stay as they were",
                 keys[realm].ca);
        append(err, errlen, e);
        rc = -1;
    } else if (load_certs(realm, cfg, &k, e, sizeof e) == 0) {
        ssgw_http_certs_free(c->certs);
        c->certs = k;
    } else {
        append(err, errlen, e);
        rc = -1; /* the old names and CRLs stay */
    }
    return rc;
}

void gw_credentials_free(gw_credentials *c)
{
    ssgw_http_tokens_free(c->tokens);
    ssgw_http_certs_free(c->certs);
    memset(c, 0, sizeof *c);
}

bool gw_credentials_any(const gw_credentials *c)
{
    return c->tokens || c->certs;
}

void gw_authenticate(const gw_credentials *c, gw_realm realm, ssgw_http_req *r, gw_auth *out)
{
    memset(out, 0, sizeof *out);
    const char *authz = ssgw_http_header(r, "Authorization");
    if (authz) {
        out->how = "token";
        if (!(out->who = ssgw_http_tokens_check(c->tokens, authz)))
            snprintf(out->why, sizeof out->why, "the bearer token is not valid for this API");
        return;
    }
    char subj[200];
    out->how = "certificate";
    out->cert = c->certs ? ssgw_http_certs_check(c->certs, r, &out->who, subj, sizeof subj)
                         : SSGW_HTTP_CERT_NONE;
    switch (out->cert) {
    case SSGW_HTTP_CERT_ACCEPTED:
        return;
    case SSGW_HTTP_CERT_NONE:
        snprintf(out->why, sizeof out->why, "this API needs %s%s%s",
                 c->tokens ? "\"Authorization: Bearer TOKEN\"" : "",
                 c->tokens && c->certs ? " or " : "", c->certs ? "a client certificate (TLS)" : "");
        return;
    case SSGW_HTTP_CERT_UNTRUSTED:
        snprintf(out->why, sizeof out->why,
                 "the client certificate '%s' is not issued by a CA this API trusts (%s)", subj,
                 keys[realm].ca);
        return;
    case SSGW_HTTP_CERT_EXPIRED:
        snprintf(out->why, sizeof out->why,
                 "the client certificate '%s' is expired or not yet valid", subj);
        return;
    case SSGW_HTTP_CERT_REVOKED:
        snprintf(out->why, sizeof out->why, "the client certificate '%s' is revoked (%s)", subj,
                 keys[realm].crl);
        return;
    case SSGW_HTTP_CERT_PURPOSE:
        snprintf(out->why, sizeof out->why,
                 "the client certificate '%s' is not for TLS client authentication (its extended "
                 "key usage)",
                 subj);
        return;
    case SSGW_HTTP_CERT_NOT_ALLOWED:
    default:
        snprintf(out->why, sizeof out->why,
                 "the client certificate '%s' names no client of this API (%s)", subj,
                 keys[realm].names);
        return;
    }
}
