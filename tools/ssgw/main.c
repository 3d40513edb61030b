/*
 * main.c - `ssgw`, the OpenSSGW command line: a table of subcommands, each in
 * its own cmd_*.c file. This file only dispatches and prints the usage. The
 * commands that need the inspection pipeline's or the gateway's libraries are
 * in modules loaded when one of them runs (module.c); the rest are in the binary.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "module.h"

/* A command of the binary, or of a module: its entry point by name, so that the binary does
 * not link it. */
#define BINARY(fn)  fn, NULL, NULL
#define INSPECT(fn) NULL, "ssgw-inspect", #fn
#define GATEWAY(fn) NULL, "ssgw-gateway", #fn

static const struct ssgw_command commands[] = {
    {"decode", "decode every SS7 message in a capture (text or JSON lines)", BINARY(cmd_decode)},
    {"generate", "write a pcap of synthetic SS7 traffic (every MAP operation)",
     BINARY(cmd_generate)},
    {"check-config", "validate a firewall policy configuration", INSPECT(cmd_check_config)},
    {"analyze", "run a capture through the firewall policy: verdicts, summary, report",
     INSPECT(cmd_analyze)},
    {"attack", "write a labelled capture of roaming traffic mixed with SS7 attacks",
     BINARY(cmd_attack)},
    {"sign", "add security tokens to a capture as an operator's gateway would", INSPECT(cmd_sign)},
    {"verify", "verify the security tokens of a capture: outcome and signer per message",
     INSPECT(cmd_verify)},
    {"passport", "the SHAKEN PASSporT (SIP Identity) of every verified ISUP IAM of a capture",
     INSPECT(cmd_passport)},
    {"version", "print the version", BINARY(cmd_version)},
    {"run", "run the live gateway (M3UA proxy with inline inspection)", GATEWAY(cmd_run)},
    {"peer", "an M3UA test peer: simulated network elements, traffic, replay", GATEWAY(cmd_peer)},
    {"status", "print the JSON status of a running gateway", BINARY(cmd_status)},
    {"demo", "two operators, their gateways and an attacker on loopback: the whole product",
     BINARY(cmd_demo)},
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
        if (!strcmp(argv[1], commands[i].name)) {
            int rc = commands[i].run ? commands[i].run(argc - 1, argv + 1)
                                     : ssgw_module_run(commands[i].module, commands[i].entry,
                                                       argc - 1, argv + 1);
            /* output lost to a full disk or a closed pipe is said, never a silent exit 0 */
            errno = 0;
            if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "ssgw %s: writing the output: %s\n", commands[i].name,
                        errno ? strerror(errno) : "a write failed");
                if (rc == 0) rc = 1;
            }
            return rc;
        }
    fprintf(stderr, "ssgw: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
