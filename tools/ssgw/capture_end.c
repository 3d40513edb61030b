/*
 * capture_end.c - what every subcommand reading a capture says when it is done
 * with it (tools/ssgw/cmd.h): the file-level error that stopped it, or, when the
 * capture held nothing to decode, what it held instead (ssgw_capture_explain_empty).
 */
#include <stdio.h>

#include "cmd.h"

int cmd_capture_end(const char *cmd, ssgw_capture *cap, const char *path, int r)
{
    if (r < 0) {
        fprintf(stderr, "ssgw %s: %s: %s\n", cmd, path, ssgw_capture_error(cap));
        return 1;
    }
    char why[1024];
    if (ssgw_capture_explain_empty(cap, path, why, sizeof why))
        fprintf(stderr, "ssgw %s: %s\n", cmd, why);
    return 0;
}
