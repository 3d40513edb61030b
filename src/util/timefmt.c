/*
 * timefmt.c - RFC 3339 UTC timestamps with milliseconds (include/ssgw/timefmt.h).
 * The date and time of day come from gmtime_r once per second and thread: the
 * decoders' JSON writes one timestamp per message, often many in one second.
 */
#include "ssgw/timefmt.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

uint64_t ssgw_time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

size_t ssgw_time_rfc3339(uint64_t ms, char *out, size_t cap)
{
    static _Thread_local uint64_t cached_sec = UINT64_MAX;
    static _Thread_local char cached[24]; /* "YYYY-MM-DDTHH:MM:SS" */
    uint64_t sec = ms / 1000u;
    if (cap < SSGW_TIME_RFC3339_CAP || sec > 253402300799ull) { /* 9999-12-31T23:59:59Z */
        if (cap) out[0] = '\0';
        return 0;
    }
    if (sec != cached_sec) {
        time_t t = (time_t)sec;
        struct tm tm;
        if (!gmtime_r(&t, &tm) || !strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm)) {
            out[0] = '\0';
            return 0;
        }
        cached_sec = sec;
    }
    /* the milliseconds by hand: this runs for every record (docs/BENCHMARKS.md) */
    unsigned m = (unsigned)(ms % 1000u);
    memcpy(out, cached, 19);
    out[19] = '.';
    out[20] = (char)('0' + m / 100);
    out[21] = (char)('0' + m / 10 % 10);
    out[22] = (char)('0' + m % 10);
    out[23] = 'Z';
    out[24] = '\0';
    return 24;
}

/* n decimal digits at *p (advanced); -1 when they are not there. */
static int digits(const char **p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p)) return -1;
        v = v * 10 + (**p - '0');
    }
    return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int ssgw_time_parse_rfc3339(const char *s, uint64_t *ms)
{
    const char *p = s;
    int y = digits(&p, 4), mo, d, h, mi, se;
    if (y < 0 || *p++ != '-' || (mo = digits(&p, 2)) < 1 || mo > 12 || *p++ != '-' ||
        (d = digits(&p, 2)) < 1 || d > 31 || (*p != 'T' && *p != 't') || !*p++ ||
        (h = digits(&p, 2)) < 0 || h > 23 || *p++ != ':' || (mi = digits(&p, 2)) < 0 || mi > 59 ||
        *p++ != ':' || (se = digits(&p, 2)) < 0 || se > 60)
        return -1;
    unsigned frac = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        while (isdigit((unsigned char)*p)) {
            if (n < 3) frac = frac * 10 + (unsigned)(*p - '0');
            n++;
            p++;
        }
        if (!n || n > 9) return -1;
        for (; n < 3; n++)
            frac *= 10;
    }
    int64_t off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if ((oh = digits(&p, 2)) < 0 || oh > 23 || *p++ != ':' || (om = digits(&p, 2)) < 0 ||
            om > 59)
            return -1;
        off = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p) return -1;
    int64_t secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 +
                   (se == 60 ? 59 : se) - off;
    if (secs < 0) return -1;
    *ms = (uint64_t)secs * 1000u + frac;
    return 0;
}
