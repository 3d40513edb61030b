/*
 * state_config.c - the words of the [state] section that are not plain option values
 * (include/ssgw/store.h): the Redis URL and the host:port of a node, parsed once here for
 * the policy file, `ssgw analyze --state` and the back end alike; the names of a shared
 * back end's states.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/store.h"

const char *ssgw_store_status_name(int st)
{
    static const char *const names[SSGW_STORE_STATUS_COUNT] = {"up", "down-local", "down-closed"};
    return st >= 0 && st < SSGW_STORE_STATUS_COUNT ? names[st] : "unknown";
}

/* host:port, host or [v6]:port / [v6] in s[0..len); def_port when the port is absent
 * (0: required). */
static int parse_node(const char *s, size_t len, uint16_t def_port, ssgw_state_node *n)
{
    const char *end = s + len, *host = s, *hend, *colon = NULL;
    if (len == 0) return -1;
    if (*s == '[') {
        host = s + 1;
        hend = memchr(host, ']', (size_t)(end - host));
        if (!hend || hend == host) return -1;
        if (hend + 1 < end) {
            if (hend[1] != ':') return -1;
            colon = hend + 1;
        }
    } else {
        for (const char *c = s; c < end; c++)
            if (*c == ':') {
                if (colon) return -1; /* a bare IPv6 address: must be in brackets */
                colon = c;
            }
        hend = colon ? colon : end;
        for (const char *c = host; c < hend; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == '_'))
                return -1;
    }
    size_t hl = (size_t)(hend - host);
    if (hl == 0 || hl >= sizeof n->host) return -1;
    unsigned long port = def_port;
    if (colon) {
        if (colon + 1 >= end || end - colon > 6) return -1;
        port = 0;
        for (const char *c = colon + 1; c < end; c++) {
            if (*c < '0' || *c > '9') return -1;
            port = port * 10 + (unsigned long)(*c - '0');
        }
    }
    if (port == 0 || port > 65535) return -1;
    memcpy(n->host, host, hl);
    n->host[hl] = '\0';
    n->port = (uint16_t)port;
    return 0;
}

int ssgw_state_parse_node(const char *s, ssgw_state_node *n)
{
    return s ? parse_node(s, strlen(s), 0, n) : -1;
}

int ssgw_state_parse_url(const char *url, ssgw_state_config *cfg, char *err, size_t errlen)
{
    const char *rest;
    bool tls;
    if (!strncmp(url, "redis://", 8)) {
        rest = url + 8;
        tls = false;
    } else if (!strncmp(url, "rediss://", 9)) {
        rest = url + 9;
        tls = true;
    } else {
        snprintf(err, errlen,
                 "expected redis://host:port (rediss:// for TLS; several host:port separated by "
                 "commas for cluster seeds)");
        return -1;
    }
    if (strchr(rest, '@')) {
        snprintf(err, errlen,
                 "no user or password in the URL: set [state] user and password_file (a file "
                 "readable by the gateway only)");
        return -1;
    }
    size_t n = 0;
    const char *p = rest;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len && p[len - 1] == '/') len--; /* "redis://host:port/" */
        if (n == SSGW_STATE_MAX_NODES) {
            snprintf(err, errlen, "more than %d nodes", SSGW_STATE_MAX_NODES);
            return -1;
        }
        if (parse_node(p, len, 6379, &cfg->nodes[n]) < 0) {
            snprintf(err, errlen,
                     "node %zu (\"%.*s\") is not host:port (a name, an IPv4 address or [IPv6], "
                     "port 1-65535)",
                     n + 1, (int)(len > 64 ? 64 : len), p);
            return -1;
        }
        n++;
        if (!comma) break;
        p = comma + 1;
    }
    if (n == 0) {
        snprintf(err, errlen, "no host");
        return -1;
    }
    cfg->n_nodes = n;
    if (tls) cfg->tls = true;
    return 0;
}
