/*
 * gw_config.c - the gateway's configuration file: [gateway] and [[link]]
 * tables in a strict TOML subset (comments, "basic strings", integers,
 * booleans, one-level arrays that may span lines). Every option is declared
 * once in a table (name, type, bounds, allowed values); an unknown section or
 * key, a wrong type, a value out of bounds or a missing required key stops
 * parsing with "FILE:LINE:COL: error: [section] key: 'value': what is allowed".
 * docs/operations.md lists the keys. (The policy file has its own parser in
 * src/policy/config.c with the same error style.)
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/gateway.h"

typedef enum { V_STR, V_INT, V_BOOL, V_ARRAY } vtype;

/* Copies src into dst (cap bytes), truncating; the caller checked lengths that matter. */
static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

#define MAX_ITEMS 64

typedef struct {
    vtype type;
    char str[256];
    long long i;
    bool b;
    /* arrays: items as text and numbers */
    size_t n;
    vtype item_type;
    char items[MAX_ITEMS][SSGW_GW_GT_LEN];
    long long nums[MAX_ITEMS];
    int item_col[MAX_ITEMS];
} value;

typedef struct {
    const char *name;
    const char *s;
    size_t len, pos;
    int line;
    size_t line_start;
    char *err;
    size_t errlen;
    bool failed;
} lexer;

static int col(const lexer *l)
{
    return (int)(l->pos - l->line_start) + 1;
}

static void fail(lexer *l, int line, int c, const char *fmt, ...)
{
    if (l->failed) return;
    l->failed = true;
    int n = snprintf(l->err, l->errlen, "%s:%d:%d: error: ", l->name, line, c);
    if (n < 0 || (size_t)n >= l->errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->err + n, l->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static int peek(const lexer *l)
{
    return l->pos < l->len ? (unsigned char)l->s[l->pos] : -1;
}

static void skip_ws(lexer *l)
{
    while (peek(l) == ' ' || peek(l) == '\t')
        l->pos++;
}

static void newline(lexer *l)
{
    l->pos++;
    l->line++;
    l->line_start = l->pos;
}

/* Spaces, comments and newlines (inside arrays). */
static void skip_ws_nl(lexer *l)
{
    for (;;) {
        skip_ws(l);
        if (peek(l) == '#')
            while (peek(l) != -1 && peek(l) != '\n')
                l->pos++;
        if (peek(l) == '\r') l->pos++;
        if (peek(l) == '\n') {
            newline(l);
            continue;
        }
        return;
    }
}

/* After a value or header: only spaces and a comment before the end of the line. */
static int end_of_line(lexer *l)
{
    skip_ws(l);
    if (peek(l) == '#')
        while (peek(l) != -1 && peek(l) != '\n')
            l->pos++;
    if (peek(l) == '\r') l->pos++;
    if (peek(l) == -1) return 0;
    if (peek(l) == '\n') {
        newline(l);
        return 0;
    }
    fail(l, l->line, col(l), "unexpected '%c' after the value (one key = value per line)", peek(l));
    return -1;
}

static bool is_bare(int c)
{
    return c != -1 && (isalnum(c) || c == '_' || c == '-');
}

static int parse_scalar(lexer *l, value *v)
{
    int c = peek(l);
    if (c == '"') {
        size_t n = 0;
        l->pos++;
        for (;;) {
            c = peek(l);
            if (c == -1 || c == '\n') {
                fail(l, l->line, col(l), "unterminated string");
                return -1;
            }
            l->pos++;
            if (c == '"') break;
            if (c == '\\') {
                int e = peek(l);
                l->pos++;
                if (e == '"' || e == '\\')
                    c = e;
                else if (e == 'n')
                    c = '\n';
                else if (e == 't')
                    c = '\t';
                else {
                    fail(l, l->line, col(l) - 1,
                         "unsupported escape '\\%c' (allowed: \\\" \\\\ \\n \\t)", e < 0 ? '?' : e);
                    return -1;
                }
            }
            if (n + 1 >= sizeof v->str) {
                fail(l, l->line, col(l), "string longer than %zu characters", sizeof v->str - 1);
                return -1;
            }
            v->str[n++] = (char)c;
        }
        v->str[n] = '\0';
        v->type = V_STR;
        return 0;
    }
    char word[64];
    size_t n = 0;
    while (is_bare(peek(l)) || peek(l) == '+' || peek(l) == 'x') {
        if (n + 1 >= sizeof word) break;
        word[n++] = (char)peek(l);
        l->pos++;
    }
    word[n] = '\0';
    if (!strcmp(word, "true") || !strcmp(word, "false")) {
        v->type = V_BOOL;
        v->b = word[0] == 't';
        return 0;
    }
    if (n) {
        char *end;
        errno = 0;
        long long x = strtoll(word, &end, 0);
        if (!*end && !errno) {
            v->type = V_INT;
            v->i = x;
            copy_str(v->str, sizeof v->str, word);
            return 0;
        }
    }
    fail(l, l->line, col(l) - (int)n,
         "'%s' is not a value: write \"text\", a number, true/false or [a, b]", word);
    return -1;
}

static int parse_value(lexer *l, value *v)
{
    memset(v, 0, sizeof *v);
    if (peek(l) != '[') return parse_scalar(l, v);
    l->pos++;
    v->type = V_ARRAY;
    for (;;) {
        skip_ws_nl(l);
        if (peek(l) == ']') {
            l->pos++;
            return 0;
        }
        if (v->n >= MAX_ITEMS) {
            fail(l, l->line, col(l), "more than %d items in an array", MAX_ITEMS);
            return -1;
        }
        value item;
        int c0 = col(l);
        if (peek(l) == '[') {
            fail(l, l->line, c0, "nested arrays are not allowed");
            return -1;
        }
        if (parse_scalar(l, &item) < 0) return -1;
        if (v->n && item.type != v->item_type) {
            fail(l, l->line, c0, "array items must all have the same type");
            return -1;
        }
        v->item_type = item.type;
        if (strlen(item.str) >= sizeof v->items[v->n]) {
            fail(l, l->line, c0, "array item longer than %zu characters",
                 sizeof v->items[v->n] - 1);
            return -1;
        }
        copy_str(v->items[v->n], sizeof v->items[v->n], item.str);
        v->nums[v->n] = item.i;
        v->item_col[v->n] = c0;
        v->n++;
        skip_ws_nl(l);
        if (peek(l) == ',') {
            l->pos++;
            continue;
        }
        if (peek(l) == ']') {
            l->pos++;
            return 0;
        }
        fail(l, l->line, col(l), "expected ',' or ']' in the array");
        return -1;
    }
}

/* ---- options ---------------------------------------------------------------------- */

typedef enum {
    K_STATUS_SOCKET,
    K_CAPTURE,
    K_POLICY,
    K_EVENTS,
    K_EVENTS_ALL,
    K_REPORT,
    K_SCTP_UDP_PORT,
    K_BEAT_MS,
    K_RECONNECT_MS,
    K_ACK_TIMEOUT_MS,
    K_DROP_MALFORMED,
    K_WORKERS,
    K_NAME,
    K_SIDE,
    K_TRANSPORT,
    K_ROLE,
    K_LISTEN,
    K_CONNECT,
    K_REMOTE_UDP_PORT,
    K_ROUTING_CONTEXTS,
    K_DPC,
    K_GT_PREFIXES,
    K_DEFAULT_ROUTE,
    K_TRAFFIC_MODE,
    K_ASP_ID,
    K_QUEUE_BYTES,
    K_STREAMS,
    K_COUNT
} key_id;

typedef struct {
    key_id id;
    bool link; /* [[link]] or [gateway] */
    const char *key;
    vtype type;
    long long min, max; /* ints: bounds; strings: length; arrays: item bounds */
    const char *allowed;
} option;

static const option options[] = {
    {K_STATUS_SOCKET, false, "status_socket", V_STR, 1, 107, NULL},
    {K_CAPTURE, false, "capture", V_STR, 1, 255, NULL},
    {K_POLICY, false, "policy", V_STR, 1, 255, NULL},
    {K_EVENTS, false, "events", V_STR, 1, 255, NULL},
    {K_EVENTS_ALL, false, "events_all", V_BOOL, 0, 0, NULL},
    {K_REPORT, false, "report", V_STR, 1, 255, NULL},
    {K_SCTP_UDP_PORT, false, "sctp_udp_port", V_INT, 1, 65535, NULL},
    {K_BEAT_MS, false, "beat_ms", V_INT, 0, 600000, NULL},
    {K_RECONNECT_MS, false, "reconnect_ms", V_INT, 10, 600000, NULL},
    {K_ACK_TIMEOUT_MS, false, "ack_timeout_ms", V_INT, 10, 600000, NULL},
    {K_DROP_MALFORMED, false, "drop_malformed", V_BOOL, 0, 0, NULL},
    {K_WORKERS, false, "workers", V_INT, 0, 16, NULL},
    {K_NAME, true, "name", V_STR, 1, 31, NULL},
    {K_SIDE, true, "side", V_STR, 0, 0, "inner|outer"},
    {K_TRANSPORT, true, "transport", V_STR, 0, 0, "tcp|sctp-udp|sctp"},
    {K_ROLE, true, "role", V_STR, 0, 0, "asp|sg|ipsp"},
    {K_LISTEN, true, "listen", V_STR, 3, 80, NULL},
    {K_CONNECT, true, "connect", V_STR, 3, 80, NULL},
    {K_REMOTE_UDP_PORT, true, "remote_udp_port", V_INT, 1, 65535, NULL},
    {K_ROUTING_CONTEXTS, true, "routing_contexts", V_ARRAY, 0, 4294967295LL, NULL},
    {K_DPC, true, "dpc", V_ARRAY, 0, 16777215, NULL},
    {K_GT_PREFIXES, true, "gt_prefixes", V_ARRAY, 1, SSGW_GW_GT_LEN - 1, NULL},
    {K_DEFAULT_ROUTE, true, "default_route", V_BOOL, 0, 0, NULL},
    {K_TRAFFIC_MODE, true, "traffic_mode", V_STR, 0, 0, "override|loadshare"},
    {K_ASP_ID, true, "asp_id", V_INT, 0, 4294967295LL, NULL},
    {K_QUEUE_BYTES, true, "queue_bytes", V_INT, 4096, 64 * 1024 * 1024, NULL},
    {K_STREAMS, true, "streams", V_INT, 1, 64, NULL},
};

static const char *type_name(vtype t)
{
    static const char *const n[] = {"a string", "an integer", "true or false", "an array"};
    return n[t];
}

/* "host:port" or "[v6]:port"; host must be a literal address. */
static int parse_addr(const char *s, char *host, size_t hcap, uint16_t *port)
{
    const char *colon;
    const char *h = s;
    size_t hlen;
    if (s[0] == '[') {
        const char *rb = strchr(s, ']');
        if (!rb || rb[1] != ':') return -1;
        h = s + 1;
        hlen = (size_t)(rb - h);
        colon = rb + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon) return -1;
        hlen = (size_t)(colon - s);
    }
    if (!hlen || hlen >= hcap) return -1;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    char *end;
    errno = 0;
    long p = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || errno || p < 1 || p > 65535) return -1;
    unsigned char tmp[16];
    if (inet_pton(AF_INET, host, tmp) != 1 && inet_pton(AF_INET6, host, tmp) != 1) return -1;
    *port = (uint16_t)p;
    return 0;
}

typedef struct {
    int line[K_COUNT];
} seen_keys;

static int set_option(lexer *l, ssgw_gw_config *cfg, ssgw_gw_link_config *lk, const option *o,
                      const value *v, int line, int vcol, const char *sec)
{
    char shown[64];
    copy_str(shown, sizeof shown, v->type == V_ARRAY ? "[...]" : v->str);
    if (v->type != o->type) {
        fail(l, line, vcol, "[%s] %s: '%s' is %s: expected %s", sec, o->key, shown,
             type_name(v->type), type_name(o->type));
        return -1;
    }
    if (o->type == V_INT && (v->i < o->min || v->i > o->max)) {
        fail(l, line, vcol, "[%s] %s: '%s': allowed are %lld..%lld", sec, o->key, v->str, o->min,
             o->max);
        return -1;
    }
    if (o->type == V_STR && !o->allowed &&
        ((long long)strlen(v->str) < o->min || (long long)strlen(v->str) > o->max)) {
        fail(l, line, vcol, "[%s] %s: '%s': length must be %lld..%lld", sec, o->key, v->str, o->min,
             o->max);
        return -1;
    }
    switch (o->id) {
    case K_STATUS_SOCKET:
        copy_str(cfg->status_socket, sizeof cfg->status_socket, v->str);
        break;
    case K_CAPTURE:
        copy_str(cfg->capture, sizeof cfg->capture, v->str);
        break;
    case K_POLICY:
        copy_str(cfg->policy, sizeof cfg->policy, v->str);
        break;
    case K_EVENTS:
        copy_str(cfg->events, sizeof cfg->events, v->str);
        break;
    case K_EVENTS_ALL:
        cfg->events_all = v->b;
        break;
    case K_REPORT:
        copy_str(cfg->report, sizeof cfg->report, v->str);
        break;
    case K_SCTP_UDP_PORT:
        cfg->sctp_udp_port = (uint16_t)v->i;
        break;
    case K_BEAT_MS:
        cfg->beat_ms = (unsigned)v->i;
        break;
    case K_RECONNECT_MS:
        cfg->reconnect_ms = (unsigned)v->i;
        break;
    case K_ACK_TIMEOUT_MS:
        cfg->ack_timeout_ms = (unsigned)v->i;
        break;
    case K_DROP_MALFORMED:
        cfg->drop_malformed = v->b;
        break;
    case K_WORKERS:
        cfg->workers = (unsigned)v->i;
        break;
    case K_NAME:
        for (const char *p = v->str; *p; p++)
            if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.') {
                fail(l, line, vcol, "[link] name: '%s': allowed are letters, digits, '-', '_', '.'",
                     v->str);
                return -1;
            }
        for (size_t i = 0; i + 1 < cfg->n_links; i++)
            if (!strcmp(cfg->links[i].name, v->str)) {
                fail(l, line, vcol, "[link] name: '%s': already used by the link at line %d",
                     v->str, cfg->links[i].line);
                return -1;
            }
        copy_str(lk->name, sizeof lk->name, v->str);
        break;
    case K_SIDE:
    case K_TRANSPORT:
    case K_ROLE:
    case K_TRAFFIC_MODE: {
        int x = o->id == K_SIDE                ? ssgw_gw_side_parse(v->str)
                : o->id == K_TRANSPORT         ? ssgw_gw_transport_parse(v->str)
                : o->id == K_ROLE              ? ssgw_gw_role_parse(v->str)
                : !strcmp(v->str, "override")  ? (int)SSGW_M3UA_TMT_OVERRIDE
                : !strcmp(v->str, "loadshare") ? (int)SSGW_M3UA_TMT_LOADSHARE
                                               : -1;
        if (x < 0) {
            fail(l, line, vcol, "[link] %s: '%s': allowed are %s", o->key, v->str, o->allowed);
            return -1;
        }
        if (o->id == K_SIDE)
            lk->side = (ssgw_gw_side)x;
        else if (o->id == K_TRANSPORT)
            lk->transport = (ssgw_gw_transport)x;
        else if (o->id == K_ROLE)
            lk->role = (ssgw_gw_role)x;
        else
            lk->traffic_mode = (uint32_t)x;
        break;
    }
    case K_LISTEN:
    case K_CONNECT:
        if (parse_addr(v->str, lk->host, sizeof lk->host, &lk->port) < 0) {
            fail(l, line, vcol,
                 "[link] %s: '%s': expected an IP address and a port 1..65535, e.g. "
                 "\"127.0.0.1:2905\" or \"[::1]:2905\"",
                 o->key, v->str);
            return -1;
        }
        lk->listen = o->id == K_LISTEN;
        break;
    case K_REMOTE_UDP_PORT:
        lk->remote_udp_port = (uint16_t)v->i;
        break;
    case K_ROUTING_CONTEXTS:
    case K_DPC:
        if (v->n && v->item_type != V_INT) {
            fail(l, line, v->item_col[0], "[link] %s: '%s': expected integers", o->key,
                 v->items[0]);
            return -1;
        }
        if (v->n > (o->id == K_DPC ? SSGW_GW_MAX_PC : SSGW_GW_MAX_RC)) {
            fail(l, line, vcol, "[link] %s: at most %d values", o->key,
                 o->id == K_DPC ? SSGW_GW_MAX_PC : SSGW_GW_MAX_RC);
            return -1;
        }
        for (size_t i = 0; i < v->n; i++) {
            if (v->nums[i] < o->min || v->nums[i] > o->max) {
                fail(l, line, v->item_col[i], "[link] %s: '%s': allowed are %lld..%lld", o->key,
                     v->items[i], o->min, o->max);
                return -1;
            }
            if (o->id == K_DPC)
                lk->dpc[i] = (uint32_t)v->nums[i];
            else
                lk->rc[i] = (uint32_t)v->nums[i];
        }
        if (o->id == K_DPC)
            lk->n_dpc = v->n;
        else
            lk->n_rc = v->n;
        break;
    case K_GT_PREFIXES:
        if (v->n > SSGW_GW_MAX_GT) {
            fail(l, line, vcol, "[link] gt_prefixes: at most %d prefixes", SSGW_GW_MAX_GT);
            return -1;
        }
        for (size_t i = 0; i < v->n; i++) {
            const char *p = v->items[i];
            bool ok = v->item_type == V_STR && *p && strlen(p) < SSGW_GW_GT_LEN;
            for (; ok && *p; p++)
                ok = isdigit((unsigned char)*p);
            if (!ok) {
                fail(l, line, v->item_col[i],
                     "[link] gt_prefixes: '%s': expected a string of 1..%d digits", v->items[i],
                     SSGW_GW_GT_LEN - 1);
                return -1;
            }
            copy_str(lk->gt[i], sizeof lk->gt[i], v->items[i]);
        }
        lk->n_gt = v->n;
        break;
    case K_DEFAULT_ROUTE:
        lk->is_default = v->b;
        break;
    case K_ASP_ID:
        lk->has_asp_id = true;
        lk->asp_id = (uint32_t)v->i;
        break;
    case K_QUEUE_BYTES:
        lk->queue_bytes = (size_t)v->i;
        break;
    case K_STREAMS:
        lk->streams = (uint16_t)v->i;
        break;
    case K_COUNT:
        break;
    }
    return 0;
}

static void link_defaults(ssgw_gw_link_config *lk, int line)
{
    memset(lk, 0, sizeof *lk);
    lk->line = line;
    lk->side = SSGW_GW_SIDE_COUNT;
    lk->role = SSGW_GW_ROLE_COUNT;
    lk->transport = SSGW_GW_TRANSPORT_TCP;
    lk->traffic_mode = SSGW_M3UA_TMT_OVERRIDE;
    lk->queue_bytes = 1024 * 1024;
    lk->streams = 16;
}

/* Required keys and cross-key rules of one finished [[link]]. */
static int check_link(lexer *l, ssgw_gw_config *cfg, const ssgw_gw_link_config *lk,
                      const seen_keys *seen)
{
    const char *nm = lk->name[0] ? lk->name : "?";
    if (!seen->line[K_NAME]) {
        fail(l, lk->line, 1, "[[link]] at line %d: missing key 'name'", lk->line);
        return -1;
    }
    if (!seen->line[K_SIDE]) {
        fail(l, lk->line, 1, "[[link]] '%s': missing key 'side' (inner|outer)", nm);
        return -1;
    }
    if (!seen->line[K_ROLE]) {
        fail(l, lk->line, 1, "[[link]] '%s': missing key 'role' (asp|sg|ipsp)", nm);
        return -1;
    }
    if (!seen->line[K_LISTEN] && !seen->line[K_CONNECT]) {
        fail(l, lk->line, 1, "[[link]] '%s': missing key 'listen' or 'connect' (\"address:port\")",
             nm);
        return -1;
    }
    if (seen->line[K_LISTEN] && seen->line[K_CONNECT]) {
        fail(l, seen->line[K_CONNECT], 1,
             "[link] connect: link '%s' has both 'listen' (line %d) and 'connect': choose one", nm,
             seen->line[K_LISTEN]);
        return -1;
    }
    if (lk->transport == SSGW_GW_TRANSPORT_SCTP_UDP && !lk->listen && !lk->remote_udp_port) {
        fail(l, seen->line[K_CONNECT], 1,
             "[[link]] '%s': transport 'sctp-udp' with 'connect' needs 'remote_udp_port' (the "
             "peer's UDP encapsulation port)",
             nm);
        return -1;
    }
    if (lk->transport != SSGW_GW_TRANSPORT_SCTP_UDP && lk->remote_udp_port) {
        fail(l, seen->line[K_REMOTE_UDP_PORT], 1,
             "[link] remote_udp_port: only for transport = \"sctp-udp\" (link '%s' is '%s')", nm,
             ssgw_gw_transport_name(lk->transport));
        return -1;
    }
    for (size_t i = 0; i + 1 < cfg->n_links; i++) {
        const ssgw_gw_link_config *o = &cfg->links[i];
        if (o->listen && lk->listen && o->transport == lk->transport && o->port == lk->port &&
            !strcmp(o->host, lk->host)) {
            fail(l, seen->line[K_LISTEN], 1,
                 "[link] listen: '%s:%u' of link '%s' is already the address of link '%s'",
                 lk->host, lk->port, nm, o->name);
            return -1;
        }
    }
    return 0;
}

ssgw_gw_config *ssgw_gw_config_parse(const char *name, const char *text, size_t len, char *err,
                                     size_t errlen)
{
    ssgw_gw_config *cfg = calloc(1, sizeof *cfg);
    value *v = malloc(sizeof *v);
    if (!cfg || !v) {
        free(cfg);
        free(v);
        snprintf(err, errlen, "%s: out of memory", name);
        return NULL;
    }
    copy_str(cfg->path, sizeof cfg->path, name);
    cfg->sctp_udp_port = 9899;
    cfg->reconnect_ms = 1000;
    cfg->ack_timeout_ms = 2000;
    cfg->drop_malformed = true;
    cfg->workers = 0;

    lexer l = {.name = name, .s = text, .len = len, .line = 1, .err = err, .errlen = errlen};
    int sec = -1; /* -1 none, 0 gateway, 1 link */
    int gateway_line = 0;
    seen_keys seen_gw = {{0}}, seen_link = {{0}};
    ssgw_gw_link_config *lk = NULL;

    while (!l.failed) {
        skip_ws_nl(&l);
        if (peek(&l) == -1) break;
        int line = l.line, c0 = col(&l);
        if (peek(&l) == '[') {
            bool array = l.pos + 1 < l.len && l.s[l.pos + 1] == '[';
            l.pos += array ? 2 : 1;
            skip_ws(&l);
            char sname[40];
            size_t n = 0;
            while (is_bare(peek(&l)) && n + 1 < sizeof sname)
                sname[n++] = (char)l.s[l.pos++];
            sname[n] = '\0';
            skip_ws(&l);
            if (peek(&l) != ']' || (array && (l.pos + 1 >= l.len || l.s[l.pos + 1] != ']'))) {
                fail(&l, line, col(&l), "malformed section header: expected ']%s'",
                     array ? "]" : "");
                break;
            }
            l.pos += array ? 2 : 1;
            if (lk && check_link(&l, cfg, lk, &seen_link) < 0) break;
            lk = NULL;
            if (!strcmp(sname, "gateway") && !array) {
                if (gateway_line) {
                    fail(&l, line, c0, "duplicate section [gateway] (first at line %d)",
                         gateway_line);
                    break;
                }
                gateway_line = line;
                sec = 0;
            } else if (!strcmp(sname, "link") && array) {
                if (cfg->n_links >= SSGW_GW_MAX_LINKS) {
                    fail(&l, line, c0, "more than %d [[link]] tables", SSGW_GW_MAX_LINKS);
                    break;
                }
                lk = &cfg->links[cfg->n_links++];
                link_defaults(lk, line);
                memset(&seen_link, 0, sizeof seen_link);
                sec = 1;
            } else if (!strcmp(sname, "link") || !strcmp(sname, "gateway")) {
                fail(&l, line, c0, "%s is %s: write %s", sname,
                     array ? "a single table" : "a list of tables",
                     array ? "[gateway]" : "[[link]]");
                break;
            } else {
                fail(&l, line, c0, "unknown section %s%s%s: allowed are [gateway] and [[link]]",
                     array ? "[[" : "[", sname, array ? "]]" : "]");
                break;
            }
            if (end_of_line(&l) < 0) break;
            continue;
        }
        /* key = value */
        char key[40];
        size_t n = 0;
        while (is_bare(peek(&l)) && n + 1 < sizeof key)
            key[n++] = (char)l.s[l.pos++];
        key[n] = '\0';
        if (!n) {
            fail(&l, line, c0, "expected a key or a [section]");
            break;
        }
        skip_ws(&l);
        if (peek(&l) != '=') {
            fail(&l, line, col(&l), "expected '=' after key '%s'", key);
            break;
        }
        l.pos++;
        skip_ws(&l);
        int vcol = col(&l);
        if (sec < 0) {
            fail(&l, line, c0, "key '%s' outside a section: put it under [gateway] or [[link]]",
                 key);
            break;
        }
        const option *o = NULL;
        for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
            if (options[i].link == (sec == 1) && !strcmp(options[i].key, key)) o = &options[i];
        if (!o) {
            char list[512];
            size_t m = 0;
            list[0] = '\0';
            for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
                if (options[i].link == (sec == 1) && m < sizeof list)
                    m += (size_t)snprintf(list + m, sizeof list - m, "%s%s", m ? ", " : "",
                                          options[i].key);
            fail(&l, line, c0, "[%s] unknown key '%s': allowed are %s", sec ? "link" : "gateway",
                 key, list);
            break;
        }
        seen_keys *seen = sec ? &seen_link : &seen_gw;
        if (seen->line[o->id]) {
            fail(&l, line, c0, "[%s] %s: set twice (first at line %d)", sec ? "link" : "gateway",
                 key, seen->line[o->id]);
            break;
        }
        seen->line[o->id] = line;
        if (parse_value(&l, v) < 0) break;
        if (set_option(&l, cfg, lk, o, v, line, vcol, sec ? "link" : "gateway") < 0) break;
        if (end_of_line(&l) < 0) break;
    }
    if (!l.failed && lk) check_link(&l, cfg, lk, &seen_link);
    if (!l.failed) {
        bool have[SSGW_GW_SIDE_COUNT] = {false, false};
        for (size_t i = 0; i < cfg->n_links; i++)
            have[cfg->links[i].side] = true;
        if (!have[SSGW_GW_SIDE_INNER] || !have[SSGW_GW_SIDE_OUTER])
            fail(&l, l.line, 1, "the gateway needs at least one [[link]] with side = \"%s\"",
                 have[SSGW_GW_SIDE_INNER] ? "outer" : "inner");
    }
    free(v);
    if (l.failed) {
        free(cfg);
        return NULL;
    }
    return cfg;
}

/* policy / events / report: a relative path is relative to the configuration file. */
static int resolve(const char *cfg_path, char *p, size_t cap)
{
    if (!p[0] || p[0] == '/') return 0;
    const char *slash = strrchr(cfg_path, '/');
    if (!slash) return 0;
    size_t dl = (size_t)(slash - cfg_path) + 1, pl = strlen(p);
    if (dl + pl + 1 > cap) return -1;
    memmove(p + dl, p, pl + 1);
    memcpy(p, cfg_path, dl);
    return 0;
}

ssgw_gw_config *ssgw_gw_config_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 20;
    char *text = malloc(cap);
    if (!text) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    size_t n = fread(text, 1, cap, f);
    bool big = n == cap;
    fclose(f);
    if (big) {
        free(text);
        snprintf(err, errlen, "%s: larger than 1 MiB", path);
        return NULL;
    }
    ssgw_gw_config *cfg = ssgw_gw_config_parse(path, text, n, err, errlen);
    free(text);
    if (cfg && (resolve(path, cfg->policy, sizeof cfg->policy) < 0 ||
                resolve(path, cfg->events, sizeof cfg->events) < 0 ||
                resolve(path, cfg->report, sizeof cfg->report) < 0)) {
        snprintf(err, errlen, "%s: error: [gateway] a path relative to the file is too long", path);
        free(cfg);
        return NULL;
    }
    return cfg;
}

/* ---- names ------------------------------------------------------------------------ */

static const char *const side_names[] = {"inner", "outer"};
static const char *const transport_names[] = {"tcp", "sctp-udp", "sctp"};
static const char *const role_names[] = {"asp", "sg", "ipsp"};
static const char *const verdict_names[] = {"forward", "forward-modified", "answer", "drop"};

const char *ssgw_gw_side_name(ssgw_gw_side s)
{
    return (unsigned)s < SSGW_GW_SIDE_COUNT ? side_names[s] : "unknown";
}
const char *ssgw_gw_transport_name(ssgw_gw_transport t)
{
    return (unsigned)t < SSGW_GW_TRANSPORT_COUNT ? transport_names[t] : "unknown";
}
const char *ssgw_gw_role_name(ssgw_gw_role r)
{
    return (unsigned)r < SSGW_GW_ROLE_COUNT ? role_names[r] : "unknown";
}
const char *ssgw_gw_verdict_name(ssgw_gw_verdict v)
{
    return (unsigned)v < SSGW_GW_VERDICT_COUNT ? verdict_names[v] : "unknown";
}

static int find_name(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], s)) return i;
    return -1;
}
int ssgw_gw_side_parse(const char *s)
{
    return find_name(side_names, SSGW_GW_SIDE_COUNT, s);
}
int ssgw_gw_transport_parse(const char *s)
{
    return find_name(transport_names, SSGW_GW_TRANSPORT_COUNT, s);
}
int ssgw_gw_role_parse(const char *s)
{
    return find_name(role_names, SSGW_GW_ROLE_COUNT, s);
}
