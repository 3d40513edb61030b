/*
 * pl_action_name.c - the names of the pipeline's actions (include/ssgw/pipeline.h).
 *
 * In a file of its own so that a program naming an action (the JSON records of
 * `ssgw decode`, src/obs/record.c) does not pull pipeline.c, and with it OpenSSL, hiredis and
 * the rest of the pipeline, out of the static library into its binary.
 */
#include "ssgw/pipeline.h"

static const char *const action_names[SSGW_PL_ACTION_COUNT] = {"forward", "forward-modified",
                                                               "answer", "drop"};

const char *ssgw_pl_action_name(int a)
{
    return a >= 0 && a < SSGW_PL_ACTION_COUNT ? action_names[a] : "unknown";
}
