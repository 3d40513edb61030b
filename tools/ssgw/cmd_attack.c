/*
 * cmd_attack.c - `ssgw attack`: writes a labelled capture of legitimate roaming
 * traffic of the example network mixed with the attacks of the catalogue
 * (src/sim/attack*.c, docs/attacks.md), plus the JSON-lines label sidecar.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ssgw/attack.h"

int cmd_attack(int argc, char **argv);

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: ssgw attack [options] OUT.pcap\n"
        "\n"
        "Writes a pcap (Ethernet/IPv4/SCTP/M3UA/SCCP/TCAP/MAP, ISUP for calls) of\n"
        "realistic roaming, call and SMS traffic of the example network (Albion Mobile\n"
        "and its partners Safari Mobile, Rhein Telekom, Lagos Mobile) mixed with SS7\n"
        "attacks, spoofed calls, robocalls, wangiri, smishing and SMS spam, and a\n"
        "label file with one JSON line per frame saying whether it is an attack,\n"
        "which one, and the firewall check expected to stop it. Same seed and options,\n"
        "same bytes.\n"
        "\n"
        "  --seed N            random seed (default 1)\n"
        "  --count N           messages (frames) to write (default 1000)\n"
        "  --attack-ratio R    fraction of messages that are attacks, 0..1 (default 0.05)\n"
        "  --only LIST         only these attacks: names or families, comma separated\n"
        "                      (e.g. track.ati,dos or intercept; families: track,\n"
        "                      intercept, dos, theft, fraud, spoof, infiltration, cli,\n"
        "                      call, smish, spam); see --list\n"
        "  --protocol P        ss7 (default) or diameter: S6a/S6d traffic with MAP\n"
        "                      location updates mixed in, and the Diameter and\n"
        "                      cross-protocol catalogue (d.*, x.*)\n"
        "  --fresh-subscribers (diameter) every scenario takes a subscriber not used\n"
        "                      before: nobody moves between countries, so a replay\n"
        "                      faster than the capture's clock stays plausible\n"
        "  --subscribers N     (ss7) our subscribers, 64..50000000; each partner has\n"
        "                      a quarter as many (default: one of ours per 25\n"
        "                      messages, at most 20000, a partner's per 75, at most\n"
        "                      5000), for captures of a given population\n"
        "  --duration H        simulated hours the capture spans (default 72)\n"
        "  --labels FILE       label sidecar (default OUT.labels.jsonl; '-' for none)\n"
        "  --list              print the attack catalogue and exit\n"
        "  -q, --quiet         no summary on stderr\n"
        "  -h, --help          this text\n"
        "\n"
        "Label line: {\"frame\":N,\"label\":\"legit\"|\"attack\",\"attack\":NAME|null,\n"
        "\"check\":CHECK,\"also\":[...],\"scenario\":..,\"dialogue\":..,...} (docs/attacks.md).\n");
}

static void list_catalogue(bool diameter)
{
    printf("%-31s %-22s %-4s %s\n", "attack", "expected check", "fs11", "description");
    for (size_t i = 0; i < (diameter ? ssgw_dattack_count() : ssgw_attack_count()); i++) {
        const ssgw_attack_info *a = diameter ? ssgw_dattack_at(i) : ssgw_attack_at(i);
        printf("%-31s %-22s %-4s %s", a->name, a->check, a->fs11, a->description);
        if (a->also[0]) {
            printf(" (also:");
            for (int k = 0; k < 4 && a->also[k]; k++)
                printf(" %s", a->also[k]);
            printf(")");
        }
        printf("\n");
    }
}

static int parse_u64(const char *opt, const char *s, unsigned long long *out)
{
    char *end;
    *out = strtoull(s, &end, 10);
    if (*s == '\0' || *end || *s == '-') {
        fprintf(stderr, "ssgw attack: %s: '%s' is not a number\n", opt, s);
        return -1;
    }
    return 0;
}

static int parse_double(const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end;
    *out = strtod(s, &end);
    if (*s == '\0' || *end || !(*out >= lo && *out <= hi)) {
        fprintf(stderr, "ssgw attack: %s: '%s' (allowed: a number from %g to %g)\n", opt, s, lo,
                hi);
        return -1;
    }
    return 0;
}

int cmd_attack(int argc, char **argv)
{
    static const struct option opts[] = {{"seed", required_argument, NULL, 's'},
                                         {"count", required_argument, NULL, 'c'},
                                         {"attack-ratio", required_argument, NULL, 'r'},
                                         {"only", required_argument, NULL, 'o'},
                                         {"duration", required_argument, NULL, 'd'},
                                         {"labels", required_argument, NULL, 'l'},
                                         {"protocol", required_argument, NULL, 'P'},
                                         {"fresh-subscribers", no_argument, NULL, 'F'},
                                         {"subscribers", required_argument, NULL, 'S'},
                                         {"list", no_argument, NULL, 'L'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    ssgw_attack_opts o;
    ssgw_attack_opts_default(&o);
    const char *labels = NULL, *only = NULL;
    bool quiet = false, diameter = false, list = false;
    unsigned long long v;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "s:c:r:o:d:l:P:FS:Lqh", opts, NULL)) != -1) {
        switch (ch) {
        case 's':
            if (parse_u64("--seed", optarg, &v) < 0) return 2;
            o.seed = v;
            break;
        case 'c':
            if (parse_u64("--count", optarg, &v) < 0) return 2;
            o.count = v;
            break;
        case 'r':
            if (parse_double("--attack-ratio", optarg, 0, 1, &o.attack_ratio) < 0) return 2;
            break;
        case 'd':
            if (parse_double("--duration", optarg, 0.001, 1e6, &o.duration_h) < 0) return 2;
            break;
        case 'o':
            only = optarg;
            break;
        case 'F':
            o.fresh_subscribers = true;
            break;
        case 'S':
            if (parse_u64("--subscribers", optarg, &v) < 0) return 2;
            if (v < 64 || v > SSGW_ATTACK_MAX_SUBS) {
                fprintf(stderr, "ssgw attack: --subscribers: '%s': expected 64 to %u\n", optarg,
                        SSGW_ATTACK_MAX_SUBS);
                return 2;
            }
            o.subscribers = (uint32_t)v;
            break;
        case 'P':
            if (strcmp(optarg, "ss7") && strcmp(optarg, "diameter")) {
                fprintf(stderr, "ssgw attack: --protocol: '%s' (allowed: ss7, diameter)\n", optarg);
                return 2;
            }
            diameter = !strcmp(optarg, "diameter");
            break;
        case 'l':
            labels = optarg;
            break;
        case 'L':
            list = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (list) {
        list_catalogue(diameter);
        return 0;
    }
    if (only) {
        char bad[64];
        int r = diameter ? ssgw_dattack_parse_only(only, &o.only_mask, bad, sizeof bad)
                         : ssgw_attack_parse_only(only, &o.only_mask, bad, sizeof bad);
        if (r < 0) {
            fprintf(stderr,
                    "ssgw attack: --only: unknown attack '%s' (see `ssgw attack%s --list`)\n", bad,
                    diameter ? " --protocol diameter" : "");
            return 2;
        }
        if (!o.only_mask) {
            fprintf(stderr, "ssgw attack: --only: empty list\n");
            return 2;
        }
    }
    if (diameter && o.subscribers) {
        fprintf(stderr, "ssgw attack: --subscribers: for --protocol ss7 only (the diameter "
                        "generator's population is fixed)\n");
        return 2;
    }
    if (optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    const char *out = argv[optind];
    char *deflabels = NULL;
    if (!labels) {
        size_t n = strlen(out);
        deflabels = malloc(n + 16);
        if (!deflabels) return 1;
        memcpy(deflabels, out, n + 1);
        if (n > 5 && !strcmp(out + n - 5, ".pcap")) deflabels[n - 5] = '\0';
        strcat(deflabels, ".labels.jsonl");
        labels = deflabels;
    } else if (!strcmp(labels, "-")) {
        labels = NULL;
    }
    ssgw_attack_stats st;
    char err[256];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = diameter ? ssgw_dattack_write(&o, out, labels, &st, err, sizeof err)
                      : ssgw_attack_write(&o, out, labels, &st, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc < 0) {
        fprintf(stderr, "ssgw attack: %s\n", err);
        free(deflabels);
        return 1;
    }
    if (!quiet) {
        double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        fprintf(stderr,
                "ssgw attack: wrote %llu messages (%llu attack, %llu legit) to %s%s%s in %.2f s "
                "(%.0f msg/s)\n",
                (unsigned long long)st.messages, (unsigned long long)st.attacks,
                (unsigned long long)st.legit, out, labels ? ", labels in " : "",
                labels ? labels : "", s, s > 0 ? (double)st.messages / s : 0.0);
    }
    free(deflabels);
    return 0;
}
