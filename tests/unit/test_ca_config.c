/*
 * test_ca_config.c - the TSCA's tsca.conf (src/ca/ca_config.c): the file as
 * `tsca init` wrote it before tsca.conf was TOML still loads to the same
 * values; the file `tsca init` writes now loads back (also with a registry
 * path that needs escaping); the defaults and bounds docs/tsca.md stated
 * before its table was generated (approvals 1 or 2, days 1..36500); errors
 * name the file, line, column, key and value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ssgw/ca.h"

static int parse(const char *text, ssgw_ca_config *c, char *err, size_t cap)
{
    err[0] = '\0';
    return ssgw_ca_config_parse("tsca.conf", text, strlen(text), c, err, cap);
}

/* Byte for byte what `tsca init` wrote before this file was read as TOML. */
static void legacy_file(void)
{
    const char *old = "# TSCA configuration (docs/tsca.md)\n"
                      "# 1: one officer approves; 2: two different officers must approve\n"
                      "approvals_required = 2\n"
                      "# validity of end-entity certificates and of trust bundles, in days\n"
                      "cert_days = 730\nbundle_days = 3\n"
                      "# numbering registry the claims are checked against\n"
                      "registry = /srv/tsca/numbering registry.csv\n";
    ssgw_ca_config c;
    char err[512];
    CHECK_INT(parse(old, &c, err, sizeof err), 0);
    if (err[0]) fprintf(stderr, "%s\n", err);
    CHECK_INT(c.approvals_required, 2);
    CHECK_INT(c.cert_days, 730);
    CHECK_INT(c.bundle_days, 3);
    CHECK_STR(c.registry, "/srv/tsca/numbering registry.csv");
    /* without a registry (commented out, as init wrote it when none was given) */
    const char *none = "approvals_required = 1\ncert_days = 365\nbundle_days = 7\n"
                       "# registry = /path/to/numbering-registry.csv\n";
    CHECK_INT(parse(none, &c, err, sizeof err), 0);
    CHECK_STR(c.registry, "");
}

static void defaults_and_bounds(void)
{
    ssgw_ca_config c;
    char err[512];
    CHECK_INT(parse("", &c, err, sizeof err), 0);
    CHECK_INT(c.approvals_required, 1);
    CHECK_INT(c.cert_days, 365);
    CHECK_INT(c.bundle_days, 7);
    CHECK_STR(c.registry, "");
    CHECK_INT(parse("approvals_required = 3\n", &c, err, sizeof err), -1);
    CHECK_STR(err, "tsca.conf:1:22: error: approvals_required: 3: must be between 1 and 2");
    CHECK_INT(parse("approvals_required = 0\n", &c, err, sizeof err), -1);
    CHECK_INT(parse("cert_days = 36500\nbundle_days = 1\n", &c, err, sizeof err), 0);
    CHECK_INT(c.cert_days, 36500);
    CHECK_INT(parse("cert_days = 36501\n", &c, err, sizeof err), -1);
    CHECK_STR(err, "tsca.conf:1:13: error: cert_days: 36501: must be between 1 and 36500");
    CHECK_INT(parse("bundle_days = 0\n", &c, err, sizeof err), -1);
}

static void errors(void)
{
    ssgw_ca_config c;
    char err[1024];
    CHECK_INT(
        parse("approvals = 2\ncert_days = 365 days\n[ca]\ncert_days = 1\n", &c, err, sizeof err),
        -1);
    CHECK_STR(err, "tsca.conf:1:1: error: unknown key 'approvals': allowed are approvals_required, "
                   "cert_days, bundle_days, registry\n"
                   "tsca.conf:2:13: error: cert_days: \"365 days\": expected an integer\n"
                   "tsca.conf:3:1: error: unknown section [ca]: allowed are [serve]");
    CHECK_INT(parse("cert_days = 1\ncert_days = 2\n", &c, err, sizeof err), -1);
    CHECK_STR(err, "tsca.conf:2:1: error: key 'cert_days' is set twice (first at line 1)");
    CHECK_INT(parse("registry = \"\"\n", &c, err, sizeof err), -1);
    CHECK_STR(err, "tsca.conf:1:12: error: registry: \"\": length must be 1 to 1023 characters");
    char err2[256];
    CHECK_INT(ssgw_ca_config_load("/nonexistent-dir", &c, err2, sizeof err2), -1);
    CHECK_STR(err2, "/nonexistent-dir/tsca.conf: error: cannot open: No such file or directory");
}

/* What `tsca init` writes now is TOML and loads back, whatever the registry's name. */
static void init_round_trip(void)
{
    char tmp[64], dir[128], reg[160], err[1024];
    snprintf(tmp, sizeof tmp, "/tmp/ssgw-test-caconf-XXXXXX");
    if (!mkdtemp(tmp)) {
        CHECK(0);
        return;
    }
    snprintf(reg, sizeof reg, "%s/reg \"quoted\" #1.csv", tmp);
    FILE *f = fopen(reg, "w");
    fputs("holder,country,kind,range\n", f);
    fclose(f);
    snprintf(dir, sizeof dir, "%s/ca", tmp);
    ssgw_ca_init_opts o = {"Conf TSCA", 2, 3650, 1825, 400, 5, reg};
    CHECK_INT(ssgw_ca_init(dir, &o, err, sizeof err), 0);
    ssgw_ca_config c;
    CHECK_INT(ssgw_ca_config_load(dir, &c, err, sizeof err), 0);
    if (err[0]) fprintf(stderr, "%s\n", err);
    CHECK_INT(c.approvals_required, 2);
    CHECK_INT(c.cert_days, 400);
    CHECK_INT(c.bundle_days, 5);
    CHECK_STR(c.registry, reg);
    CHECK_INT(check_remove_tree(tmp), 0);
}

static void schema(void)
{
    char err[256] = "";
    CHECK_INT(ssgw_cfg_schema_check(ssgw_ca_config_schema(), err, sizeof err), 0);
    if (err[0]) fprintf(stderr, "%s\n", err);
}

int main(void)
{
    RUN(legacy_file);
    RUN(defaults_and_bounds);
    RUN(errors);
    RUN(init_round_trip);
    RUN(schema);
    return check_summary();
}
