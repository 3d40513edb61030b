/* test_timefmt.c - RFC 3339 timestamps (src/util/timefmt.c) against the C library: the writer
 * computes the date from the day number, so every day from 1970 to 2300, random instants up to
 * the end of year 9999 and the calendar's edges (leap days, centuries, the last millisecond it
 * can write) must give exactly what gmtime_r and strftime give; beyond it, nothing. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "ssgw/timefmt.h"

/* The reference: gmtime_r, strftime and the milliseconds. */
static void ref_rfc3339(uint64_t ms, char *out, size_t cap)
{
    time_t t = (time_t)(ms / 1000u);
    struct tm tm;
    char date[32];
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, cap, "%s.%03uZ", date, (unsigned)(ms % 1000u));
}

static int same_as_reference(uint64_t ms)
{
    char got[SSGW_TIME_RFC3339_CAP], want[64];
    size_t n = ssgw_time_rfc3339(ms, got, sizeof got);
    ref_rfc3339(ms, want, sizeof want);
    CHECK_INT(n, strlen(want));
    CHECK_STR(got, want);
    return strcmp(got, want) == 0;
}

static void timefmt_every_day(void)
{
    const uint64_t day_ms = 86400000ull;
    for (uint64_t day = 0; day < 120530; day++) /* 1970-01-01 .. 2299-12-31 */
        if (!same_as_reference(day * day_ms + check_rand() % day_ms)) return;
}

static void timefmt_random_and_edges(void)
{
    const uint64_t last = 253402300799999ull; /* 9999-12-31T23:59:59.999Z */
    for (int i = 0; i < 200000; i++)
        if (!same_as_reference(check_rand() % (last + 1))) return;
    static const uint64_t edges[] = {0,
                                     999,
                                     86399999,
                                     86400000,
                                     951782400000ull,  /* 2000-02-29 */
                                     951868800000ull,  /* 2000-03-01 */
                                     4107456000000ull, /* 2100-02-28 */
                                     4107542400000ull, /* 2100-03-01 */
                                     1700000000000ull,
                                     last};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        same_as_reference(edges[i]);
        if (edges[i] < last) same_as_reference(edges[i] + 1); /* the next ms, then back */
        same_as_reference(edges[i]);
    }
    char out[SSGW_TIME_RFC3339_CAP] = "x";
    CHECK_INT(ssgw_time_rfc3339(last + 1, out, sizeof out), 0);
    CHECK_STR(out, "");
    CHECK_INT(ssgw_time_rfc3339(0, out, SSGW_TIME_RFC3339_CAP - 1), 0);
}

/* What it writes parses back to the same millisecond. */
static void timefmt_round_trip(void)
{
    for (int i = 0; i < 10000; i++) {
        uint64_t ms = check_rand() % 253402300800000ull, back = 0;
        char out[SSGW_TIME_RFC3339_CAP];
        ssgw_time_rfc3339(ms, out, sizeof out);
        CHECK_INT(ssgw_time_parse_rfc3339(out, &back), 0);
        if (back != ms) {
            CHECK_INT(back, ms);
            return;
        }
    }
}

int main(void)
{
    RUN(timefmt_every_day);
    RUN(timefmt_random_and_edges);
    RUN(timefmt_round_trip);
    return check_summary();
}
