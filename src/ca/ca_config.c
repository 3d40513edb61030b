/*
 * ca_config.c - the TSCA's DIR/tsca.conf: four top-level keys declared once
 * in the option table below and read by the shared option mechanism
 * (include/ssgw/cfg.h) over the project's TOML reader. `tsca init` writes
 * the file in TOML; files written before that (registry = /path unquoted)
 * still load, with the reader's legacy bare-string mode. docs/tsca.md
 * carries the key table generated from this one (tools/config_docs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/ca.h"
#include "ssgw/cfg.h"

#define CONF(f) SSGW_CFG_FIELD(ssgw_ca_config, f)

static const ssgw_cfg_section sections[] = {
    {"", false, ""}, /* the top-level keys; docs/tsca.md says what the file is */
    {"serve", false,
     "`tsca serve DIR`: how the bundle is published over HTTP (its options override these)"},
};

/* [serve] listen = "ADDR:PORT": kept as written (the type checked it) */
static int set_serve_listen(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *base,
                            char *why, size_t cap)
{
    (void)o, (void)why, (void)cap;
    ssgw_ca_config *c = base;
    snprintf(c->serve_listen, sizeof c->serve_listen, "%s", v->s);
    return 0;
}

static const ssgw_cfg_option options[] = {
    {"", "approvals_required", &ssgw_cfg_int, 1, 2, "1", NULL,
     "1: one officer approves a request; 2: two different officers must approve before "
     "`tsca issue`",
     CONF(approvals_required)},
    {"", "cert_days", &ssgw_cfg_int, 1, 36500, "365", NULL,
     "validity of issued end-entity certificates, in days (`tsca issue --days` overrides it)",
     CONF(cert_days)},
    {"", "bundle_days", &ssgw_cfg_int, 1, 36500, "7", NULL,
     "validity of trust bundles, in days (`tsca bundle --validity-days` overrides it)",
     CONF(bundle_days)},
    {"", "registry", &ssgw_cfg_string_buf, 1, 1023, NULL, NULL,
     "the numbering registry file the claims are checked against (`--registry` overrides it)",
     CONF(registry)},
    {"serve", "listen", &ssgw_cfg_addr_port,
     .help = "address and port `tsca serve DIR` listens on when `--listen` is not given",
     .set = set_serve_listen},
    {"serve", "tls_cert", &ssgw_cfg_string_buf, 1, 1023, NULL, NULL,
     "PEM certificate chain, the server's first, to serve HTTPS with (`--tls-cert`); needs "
     "`tls_key`. An expired or unordered chain stops `tsca serve`",
     CONF(serve_tls_cert)},
    {"serve", "tls_key", &ssgw_cfg_string_buf, 1, 1023, NULL, NULL,
     "PEM private key of `tls_cert` (`--tls-key`), unencrypted, mode 0600 or 0640 (access for "
     "others or write for the group is refused)",
     CONF(serve_tls_key)},
    {"serve", "max_connections", &ssgw_cfg_int, 1, 10000, "256", NULL,
     "connections served at once; more wait in the listen queue (`--max-connections`)",
     CONF(serve_max_connections)},
    {"serve", "max_per_ip", &ssgw_cfg_int, 1, 10000, "32", NULL,
     "connections at once from one client address", CONF(serve_max_per_ip)},
    {"serve", "timeout_s", &ssgw_cfg_int, 1, 3600, "10", NULL,
     "a connection that sends or takes nothing for this long is closed (`--timeout`)",
     CONF(serve_timeout_s)},
};

static void *ca_table(void *ctx, size_t sec, int line, ssgw_cfg_load *ld)
{
    (void)sec, (void)line, (void)ld;
    return ctx;
}

static const ssgw_cfg_schema schema = {
    .name = "tsca",
    .sections = sections,
    .n_sections = sizeof sections / sizeof sections[0],
    .options = options,
    .n_options = sizeof options / sizeof options[0],
    .toml_flags = SSGW_TOML_BARE_STRINGS,
    .table = ca_table,
};

const ssgw_cfg_schema *ssgw_ca_config_schema(void)
{
    return &schema;
}

int ssgw_ca_config_parse(const char *name, const char *text, size_t len, ssgw_ca_config *cfg,
                         char *err, size_t errlen)
{
    ssgw_config_errors *errs = calloc(1, sizeof *errs);
    if (!errs) return ssgw_errf(err, errlen, "%s: error: out of memory", name);
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, name, errs);
    memset(cfg, 0, sizeof *cfg);
    ssgw_cfg_read(&schema, cfg, text, len, &d);
    if (d.count) ssgw_config_errors_join(errs, d.file, err, errlen);
    free(errs);
    return d.count ? -1 : 0;
}

int ssgw_ca_config_load(const char *dir, ssgw_ca_config *cfg, char *err, size_t errlen)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/tsca.conf", dir);
    ssgw_config_errors errs;
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, path, &errs);
    char *text;
    size_t len;
    memset(cfg, 0, sizeof *cfg);
    if (ssgw_config_read_file(path, 65536, &text, &len, &d) < 0) {
        ssgw_config_errors_join(&errs, path, err, errlen);
        return -1;
    }
    int rc = ssgw_ca_config_parse(path, text, len, cfg, err, errlen);
    free(text);
    return rc;
}
