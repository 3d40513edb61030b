/*
 * main.c - `ssgw`, the OpenSSGW command line: a table of subcommands, each in
 * its own cmd_*.c file. This file only dispatches and prints the usage.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct ssgw_command commands[] = {
    {"decode", "decode every SS7 message in a capture (text or JSON lines)", cmd_decode},
    {"generate", "write a pcap of synthetic SS7 traffic (every MAP operation)", cmd_generate},
    {"check-config", "validate a firewall policy configuration", cmd_check_config},
    {"analyze", "run a capture through the firewall policy: verdicts, summary, report",
     cmd_analyze},
    {"attack", "write a labelled capture of roaming traffic mixed with SS7 attacks", cmd_attack},
    {"sign", "add security tokens to a capture as an operator's gateway would", cmd_sign},
    {"verify", "verify the security tokens of a capture: outcome and signer per message",
     cmd_verify},
    {"passport", "the SHAKEN PASSporT (SIP Identity) of every verified ISUP IAM of a capture",
     cmd_passport},
    {"version", "print the version", cmd_version},
    {"run", "run the live gateway (M3UA proxy with inline inspection)", cmd_run},
    {"peer", "an M3UA test peer: simulated network elements, traffic, replay", cmd_peer},
    {"status", "print the JSON status of a running gateway", cmd_status},
    {"demo", "two operators, their gateways and an attacker on loopback: the whole product",
     cmd_demo},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: ssgw <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`ssgw <command> --help` describes each command; `ssgw --version` prints the "
                 "version.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) return cmd_version(1, argv);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "ssgw: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
