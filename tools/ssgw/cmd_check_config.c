/*
 * cmd_check_config.c - `ssgw check-config FILE`: loads and validates a policy
 * configuration without running anything. Prints "ok" and a summary (exit 0),
 * or every error as FILE:LINE:COLUMN: error: ... (exit 1). Usage errors exit 2.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "ssgw/policy.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: ssgw check-config [--quiet] FILE\n"
                 "\n"
                 "Validates a policy configuration (docs/configuration.md) and prints a\n"
                 "summary of it, with the merge report of [import] (partner data and ported\n"
                 "numbers: what was loaded, every conflict and malformed row by FILE:LINE,\n"
                 "docs/partner-data.md). Errors name FILE:LINE:COLUMN, the key, the bad\n"
                 "value and what is allowed. Exit status: 0 valid, 1 invalid, 2 usage.\n"
                 "\n"
                 "  -q, --quiet  print only \"ok\" or the errors\n");
}

int cmd_check_config(int argc, char **argv)
{
    const char *file = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
            quiet = 1;
            continue;
        }
        if (argv[i][0] == '-' || file) {
            usage(stderr);
            return 2;
        }
        file = argv[i];
    }
    if (!file) {
        usage(stderr);
        return 2;
    }
    static ssgw_config_errors errs;
    ssgw_policy *p = ssgw_policy_load_file(file, &errs);
    if (!p) {
        for (size_t i = 0; i < errs.n; i++)
            fprintf(stderr, "%s\n", errs.e[i].text);
        if (errs.n_dropped)
            fprintf(stderr, "%s: %zu more errors not shown\n", file, errs.n_dropped);
        return 1;
    }
    printf("ok\n");
    if (!quiet) {
        ssgw_policy_print_summary(p, stdout);
        ssgw_policy_print_import_report(p, stdout);
    }
    ssgw_policy_free(p);
    return 0;
}
