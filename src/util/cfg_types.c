/*
 * cfg_types.c - the generic option types of include/ssgw/cfg.h: strings
 * (malloc'ed or in a fixed buffer), integers of any width, booleans, enums
 * (stored as a number or as the string) and "address:port". Each is declared
 * once: the check that says what is allowed, and the store.
 */
#include "ssgw/cfg.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- integers ------------------------------------------------------------------------- */

void ssgw_cfg_store_int(void *field, size_t size, long long x)
{
    switch (size) {
    case 1: {
        uint8_t v = (uint8_t)x;
        memcpy(field, &v, 1);
        break;
    }
    case 2: {
        uint16_t v = (uint16_t)x;
        memcpy(field, &v, 2);
        break;
    }
    case 4: {
        uint32_t v = (uint32_t)x;
        memcpy(field, &v, 4);
        break;
    }
    default: {
        uint64_t v = (uint64_t)x;
        memcpy(field, &v, 8);
        break;
    }
    }
}

static int int_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    if (v->i >= o->min && v->i <= o->max) return 0;
    snprintf(why, cap, "must be between %lld and %lld", o->min, o->max);
    return -1;
}

static int int_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    ssgw_cfg_store_int(field, o->size, v->i);
    return 0;
}

const ssgw_cfg_type ssgw_cfg_int = {
    .name = "integer", .value = SSGW_TOML_INT, .check = int_check, .store = int_store};

/* ---- booleans ------------------------------------------------------------------------- */

static int bool_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    (void)o;
    *(bool *)field = v->b;
    return 0;
}

const ssgw_cfg_type ssgw_cfg_bool = {
    .name = "boolean", .value = SSGW_TOML_BOOL, .store = bool_store};

/* ---- strings -------------------------------------------------------------------------- */

static int length_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    long long n = (long long)strlen(v->s);
    if (n >= o->min && n <= o->max) return 0;
    snprintf(why, cap, "length must be %lld to %lld characters", o->min, o->max);
    return -1;
}

static int dup_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    (void)o;
    char **p = field;
    size_t n = strlen(v->s) + 1;
    char *d = malloc(n);
    if (!d) return -1;
    memcpy(d, v->s, n);
    free(*p);
    *p = d;
    return 0;
}

static void dup_release(void *field)
{
    char **p = field;
    free(*p);
    *p = NULL;
}

const ssgw_cfg_type ssgw_cfg_string = {.name = "string",
                                       .value = SSGW_TOML_STRING,
                                       .check = length_check,
                                       .store = dup_store,
                                       .release = dup_release};

static int buf_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    size_t n = strlen(v->s);
    if (n >= o->size) n = o->size - 1; /* not reached: ssgw_cfg_schema_check, length_check */
    memcpy(field, v->s, n);
    ((char *)field)[n] = '\0';
    return 0;
}

const ssgw_cfg_type ssgw_cfg_string_buf = {
    .name = "string", .value = SSGW_TOML_STRING, .check = length_check, .store = buf_store};

/* ---- enums ---------------------------------------------------------------------------- */

int ssgw_cfg_enum_index(const char *allowed, const char *s)
{
    size_t n = strlen(s);
    int i = 0;
    for (const char *p = allowed; p; i++) {
        const char *bar = strchr(p, '|');
        size_t k = bar ? (size_t)(bar - p) : strlen(p);
        if (k == n && !memcmp(p, s, n)) return i;
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

static int enum_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    if (ssgw_cfg_enum_index(o->allowed, v->s) >= 0) return 0;
    snprintf(why, cap, "allowed values are %s", o->allowed);
    return -1;
}

static int enum_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    int i = ssgw_cfg_enum_index(o->allowed, v->s);
    ssgw_cfg_store_int(field, o->size, o->arg ? ((const int *)o->arg)[i] : i);
    return 0;
}

const ssgw_cfg_type ssgw_cfg_enum = {
    .name = "string (one of)", .value = SSGW_TOML_STRING, .check = enum_check, .store = enum_store};

const ssgw_cfg_type ssgw_cfg_enum_string = {.name = "string (one of)",
                                            .value = SSGW_TOML_STRING,
                                            .check = enum_check,
                                            .store = dup_store,
                                            .release = dup_release};

/* ---- address:port --------------------------------------------------------------------- */

int ssgw_addr_port_parse(const char *s, char *host, size_t hcap, uint16_t *port)
{
    const char *colon, *h = s;
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
    char tmp_host[64];
    if (!hlen || hlen >= sizeof tmp_host || hlen >= hcap) return -1;
    memcpy(tmp_host, h, hlen);
    tmp_host[hlen] = '\0';
    char *end;
    errno = 0;
    long p = strtol(colon + 1, &end, 10);
    if (colon[1] < '0' || colon[1] > '9' || *end || errno || p < 1 || p > 65535) return -1;
    unsigned char addr[16];
    if (inet_pton(AF_INET, tmp_host, addr) != 1 && inet_pton(AF_INET6, tmp_host, addr) != 1)
        return -1;
    memcpy(host, tmp_host, hlen + 1);
    *port = (uint16_t)p;
    return 0;
}

static int addr_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    char host[64];
    uint16_t port;
    if (ssgw_addr_port_parse(v->s, host, sizeof host, &port) == 0) return 0;
    snprintf(why, cap,
             "expected an IP address and a port 1..65535, e.g. \"127.0.0.1:2905\" or "
             "\"[::1]:2905\"");
    return -1;
}

const ssgw_cfg_type ssgw_cfg_addr_port = {.name = "address:port",
                                          .value = SSGW_TOML_STRING,
                                          .allowed = "\"192.0.2.1:2905\", \"[2001:db8::1]:2905\"",
                                          .check = addr_check};
