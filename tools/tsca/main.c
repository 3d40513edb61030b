/*
 * main.c - `tsca`, the Trusted Signalling Certification Authority: a table of
 * subcommands (docs/tsca.md). This file dispatches, prints the usage and holds
 * the option parser the subcommands share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ssgw_version.h"

static const struct tsca_command commands[] = {
    {"init", "create a CA directory: root CA, issuing CA, config, audit log", cmd_init},
    {"request", "(operator) generate gateway keys and an enrolment request", cmd_request},
    {"verify-request", "check a request's claims against the numbering registry",
     cmd_verify_request},
    {"approve", "record an officer's approval of a verified request", cmd_approve},
    {"issue", "issue the certificates of a verified, approved request", cmd_issue},
    {"revoke", "revoke an enrolment by certificate serial", cmd_revoke},
    {"list", "list requests and certificates", cmd_list},
    {"bundle", "write a new signed trust bundle", cmd_bundle},
    {"audit", "audit verify DIR: check the hash-chained audit log", cmd_audit},
    {"show-bundle", "(gateway) verify a bundle against a root and print it", cmd_show_bundle},
    {"fetch", "(gateway) fetch a bundle over HTTP with ETag", cmd_fetch},
    {"serve", "publish a bundle over HTTP (GET /bundle, ETag, 304)", cmd_serve},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: tsca <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-15s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`tsca <command> --help` describes each command; docs/tsca.md is the guide;\n"
                 "`tsca --version` prints the version.\n");
}

int tsca_parse(int argc, char **argv, const struct tsca_opt *opts, const char **pos, int maxpos,
               int *npos, const char *help)
{
    *npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(help, stdout);
            return 1;
        }
        if (a[0] == '-' && a[1] == '-' && a[2]) {
            const struct tsca_opt *o = opts;
            for (; o && o->name; o++)
                if (!strcmp(o->name, a + 2)) break;
            if (!o || !o->name) {
                fprintf(stderr, "tsca %s: unknown option '%s' (see --help)\n", argv[0], a);
                return -1;
            }
            if (o->flag) {
                *o->flag = true;
            } else {
                if (i + 1 >= argc) {
                    fprintf(stderr, "tsca %s: option '%s' needs a value\n", argv[0], a);
                    return -1;
                }
                *o->val = argv[++i];
            }
            continue;
        }
        if (*npos == maxpos) {
            fprintf(stderr, "tsca %s: unexpected argument '%s' (see --help)\n", argv[0], a);
            return -1;
        }
        pos[(*npos)++] = a;
    }
    return 0;
}

int tsca_parse_time(const char *s, time_t *out)
{
    struct tm tm = {0};
    int y, mo, d, h, mi, se;
    char z = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z) == 7 && z == 'Z') {
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        tm.tm_hour = h;
        tm.tm_min = mi;
        tm.tm_sec = se;
        *out = timegm(&tm);
        return 0;
    }
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end) return -1;
    *out = (time_t)v;
    return 0;
}

int tsca_parse_int(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "tsca: %s '%s': expected a number %ld..%ld\n", opt, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") || !strcmp(argv[1], "version")) {
        printf("tsca (OpenSSGW) %s\n", SSGW_VERSION_FULL);
        return 0;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "tsca: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
