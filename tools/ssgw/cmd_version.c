/* cmd_version.c - `ssgw version`. */
#include <stdio.h>

#include "cmd.h"

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("ssgw (OpenSSGW) 0.1.0\n");
    return 0;
}
