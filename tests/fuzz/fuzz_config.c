/*
 * fuzz_config.c - libFuzzer target for the policy configuration parser
 * (src/policy/config.c): any bytes either load into a policy or give errors
 * with line and column; never a crash, a leak or an unbounded error list.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ssgw/firewall.h"
#include "ssgw/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ssgw_config_errors errs;
    ssgw_policy *p = ssgw_policy_load_string("fuzz.conf", (const char *)data, size, &errs);
    if (!p) {
        if (errs.n == 0 || errs.n > SSGW_CONFIG_MAX_ERRORS) __builtin_trap();
        for (size_t i = 0; i < errs.n; i++)
            if (!memchr(errs.e[i].text, '\0', sizeof errs.e[i].text)) __builtin_trap();
        return 0;
    }
    ssgw_store_limits l = {16, 16, 16, 16};
    ssgw_store *s = ssgw_store_embedded_new(&l);
    ssgw_firewall *in = ssgw_firewall_new(p, s);
    ssgw_firewall_free(in);
    ssgw_store_free(s);
    ssgw_policy_free(p);
    return 0;
}
