/*
 * fuzz_timefmt.c - libFuzzer target for the RFC 3339 parser (include/ssgw/timefmt.h) and the
 * log destination check (include/ssgw/log.h): arbitrary text never crashes them, and every
 * time the parser accepts is written back by ssgw_time_rfc3339 as a string it parses to the
 * same millisecond.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/log.h"
#include "ssgw/timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1); /* exact size: ASan sees an over-read */
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    uint64_t ms, back;
    if (ssgw_time_parse_rfc3339(s, &ms) == 0) {
        char out[SSGW_TIME_RFC3339_CAP];
        if (ssgw_time_rfc3339(ms, out, sizeof out) &&
            (ssgw_time_parse_rfc3339(out, &back) != 0 || back != ms))
            __builtin_trap();
    }
    char why[200];
    ssgw_log_level l;
    (void)ssgw_log_target_check(s, why, sizeof why);
    (void)ssgw_log_level_parse(s, &l);
    free(s);
    return 0;
}
