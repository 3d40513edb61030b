/* cmd.h - the subcommand table entry and every subcommand's entry point (main.c). */
#ifndef SSGW_TOOLS_CMD_H
#define SSGW_TOOLS_CMD_H

struct ssgw_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name; NULL: */
    const char *module;                /* in this module (module.h), */
    const char *entry;                 /* under this name */
};

/* In the binary: */
int cmd_decode(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_attack(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_demo(int argc, char **argv);
/* In the module ssgw-inspect (module.h): */
int cmd_check_config(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_passport(int argc, char **argv);
/* In the module ssgw-gateway: */
int cmd_run(int argc, char **argv);
int cmd_peer(int argc, char **argv);

#include "ssgw/capture.h"

/*
 * After the last record of a capture (r: ssgw_capture_next's last return): prints the
 * read error that stopped it, or the explanation of a capture without SS7, on stderr.
 * Returns 1 when r says the capture could not be read to the end, else 0.
 */
int cmd_capture_end(const char *cmd, ssgw_capture *cap, const char *path, int r);

#endif
