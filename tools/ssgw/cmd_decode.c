/* cmd_decode.c - `ssgw decode` (placeholder until the capture and stack decoders land). */
#include <stdio.h>

#include "cmd.h"

int cmd_decode(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "ssgw decode: not built yet\n");
    return 1;
}
