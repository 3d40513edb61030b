/* cmd.h - the tsca subcommand table entry, a small option parser and every entry point. */
#ifndef SSGW_TSCA_CMD_H
#define SSGW_TSCA_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct tsca_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand name */
};

/* One option: "--name VALUE" (val != NULL) or a flag "--name" (flag != NULL). */
struct tsca_opt {
    const char *name;
    const char **val;
    bool *flag;
};

/*
 * Parses argv[1..]: options from opts, everything else into pos (at most maxpos).
 * Prints the help text and returns 1 for --help/-h; returns -1 (message printed)
 * on an unknown option, a missing value or too many arguments; else 0.
 */
int tsca_parse(int argc, char **argv, const struct tsca_opt *opts, const char **pos, int maxpos,
               int *npos, const char *help);
/* "2025-01-31T12:00:00Z" or seconds since 1970. Returns 0 or -1. */
int tsca_parse_time(const char *s, time_t *out);
/* Parses a positive integer option; prints an error naming opt on failure. */
int tsca_parse_int(const char *opt, const char *s, long lo, long hi, long *out);

int cmd_init(int argc, char **argv);
int cmd_request(int argc, char **argv);
int cmd_verify_request(int argc, char **argv);
int cmd_approve(int argc, char **argv);
int cmd_issue(int argc, char **argv);
int cmd_revoke(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_bundle(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_show_bundle(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif
