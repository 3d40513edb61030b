/*
 * fuzz_config.c - libFuzzer target for every configuration loader: the one
 * TOML reader (src/util/toml.c, strict and legacy bare-string modes), the
 * policy file (src/policy/config.c), the gateway file (src/gateway/gw_config.c)
 * and tsca.conf (src/ca/ca_config.c), all over the shared option mechanism
 * (src/util/cfg.c). Any bytes either load or give errors with a line and a
 * column inside the input; never a crash, a leak, an out-of-range position or
 * an unbounded error list.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/ca.h"
#include "ssgw/gateway.h"
#include "ssgw/firewall.h"
#include "ssgw/policy.h"
#include "ssgw/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const char *text;
    size_t len;
    int lines; /* lines in the input */
} input;

/* A position must be inside the input: line 1..lines, column 1..length of that line + 1. */
static void check_pos(const input *in, int line, int col)
{
    if (line < 1 || line > in->lines || col < 1) __builtin_trap();
    const char *p = in->text, *end = in->text + in->len;
    for (int l = 1; l < line; l++) {
        p = memchr(p, '\n', (size_t)(end - p));
        if (!p) __builtin_trap();
        p++;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if ((size_t)col > (size_t)((nl ? nl : end) - p) + 1) __builtin_trap();
}

static void check_value(const input *in, const ssgw_toml_value *v, int depth)
{
    check_pos(in, v->line, v->col);
    if (v->type == SSGW_TOML_STRING && (!v->s || strlen(v->s) > in->len)) __builtin_trap();
    if (v->type != SSGW_TOML_ARRAY && v->n) __builtin_trap();
    if (v->type == SSGW_TOML_ARRAY && depth > 0) __builtin_trap(); /* no nested arrays */
    for (size_t i = 0; i < v->n; i++) {
        if (v->items[i].type != v->items[0].type) __builtin_trap(); /* one type per array */
        check_value(in, &v->items[i], depth + 1);
    }
}

static void on_table(void *ctx, const char *name, bool array, int line, int col)
{
    (void)array;
    check_pos(ctx, line, col);
    if (name && (!name[0] || strlen(name) > 63)) __builtin_trap();
}

static void on_pair(void *ctx, const char *key, int line, int col, const ssgw_toml_value *v)
{
    check_pos(ctx, line, col);
    if (!key[0] || strlen(key) > 63) __builtin_trap();
    check_value(ctx, v, 0);
}

static void check_errors(const input *in, const ssgw_config_errors *errs, size_t count)
{
    if (count == 0 || errs->n == 0 || errs->n > SSGW_CONFIG_MAX_ERRORS) __builtin_trap();
    if (errs->n + errs->n_dropped != count) __builtin_trap();
    for (size_t i = 0; i < errs->n; i++) {
        if (!memchr(errs->e[i].text, '\0', sizeof errs->e[i].text)) __builtin_trap();
        if (errs->e[i].line) check_pos(in, errs->e[i].line, errs->e[i].col);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ssgw_config_errors errs;
    input in = {(const char *)data, size, 1};
    for (size_t i = 0; i < size; i++)
        in.lines += data[i] == '\n';

    /* the reader alone, both modes */
    ssgw_toml_handler h = {on_table, on_pair};
    for (unsigned flags = 0; flags <= SSGW_TOML_BARE_STRINGS; flags += SSGW_TOML_BARE_STRINGS) {
        ssgw_config_diag d;
        ssgw_config_diag_init(&d, "fuzz.toml", &errs);
        if (ssgw_toml_read(in.text, size, flags, &h, &in, &d) < 0) __builtin_trap();
        if (d.count) check_errors(&in, &errs, d.count);
    }

    /* the policy file: a loaded policy must run */
    ssgw_policy *p = ssgw_policy_load_string("fuzz.conf", in.text, size, &errs);
    if (!p) {
        if (errs.n == 0 || errs.n > SSGW_CONFIG_MAX_ERRORS) __builtin_trap();
        for (size_t i = 0; i < errs.n; i++) {
            if (!memchr(errs.e[i].text, '\0', sizeof errs.e[i].text)) __builtin_trap();
            if (errs.e[i].line) check_pos(&in, errs.e[i].line, errs.e[i].col);
        }
    } else {
        ssgw_store_limits l = {.subscribers = 16,
                               .marks = 16,
                               .dialogues = 16,
                               .buckets = 16,
                               .risk = 16,
                               .aliases = 16,
                               .incidents = 16,
                               .calls = 16};
        ssgw_store *s = ssgw_store_embedded_new(&l);
        ssgw_firewall *fw = ssgw_firewall_new(p, s);
        ssgw_firewall_free(fw);
        ssgw_store_free(s);
        ssgw_policy_free(p);
    }

    /* the gateway file: a loaded one has both sides and sane links */
    ssgw_gw_config *g = ssgw_gw_config_read("fuzz.toml", in.text, size, &errs);
    if (!g) {
        if (errs.n == 0 || errs.n > SSGW_CONFIG_MAX_ERRORS) __builtin_trap();
    } else {
        if (g->n_links < 2 || g->n_links > SSGW_GW_MAX_LINKS) __builtin_trap();
        for (size_t i = 0; i < g->n_links; i++) {
            const ssgw_gw_link_config *lk = &g->links[i];
            if (lk->side >= SSGW_GW_SIDE_COUNT || lk->role >= SSGW_GW_ROLE_COUNT ||
                lk->transport >= SSGW_GW_TRANSPORT_COUNT || !lk->name[0] || !lk->port ||
                lk->n_rc > SSGW_GW_MAX_RC || lk->n_dpc > SSGW_GW_MAX_PC ||
                lk->n_gt > SSGW_GW_MAX_GT)
                __builtin_trap();
        }
        free(g);
    }

    /* tsca.conf */
    char err[4096];
    ssgw_ca_config cc;
    if (ssgw_ca_config_parse("tsca.conf", in.text, size, &cc, err, sizeof err) == 0) {
        if (cc.approvals_required < 1 || cc.approvals_required > 2 || cc.cert_days < 1 ||
            cc.bundle_days < 1 || !memchr(cc.registry, '\0', sizeof cc.registry))
            __builtin_trap();
    } else if (!err[0]) {
        __builtin_trap();
    }
    return 0;
}
