/* cmd_version.c - `ssgw version` and `ssgw --version`: the project version, with the git
 * commit when built from a checkout (generated/ssgw_version.h, cmake/version.cmake). */
#include <stdio.h>

#include "cmd.h"
#include "ssgw_version.h"

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("ssgw (OpenSSGW) %s\n", SSGW_VERSION_FULL);
    return 0;
}
