/*
 * timefmt.c - RFC 3339 UTC timestamps with milliseconds (include/ssgw/timefmt.h).
 * The date is computed from the day number, the time of day by hand, both kept per thread
 * (the decoders' JSON writes one timestamp per message, often many in one second, nearly all
 * on one day); no gmtime_r or strftime (tests/unit/test_timefmt.c compares them over the whole
 * range).
 */
#include "ssgw/timefmt.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

uint64_t ssgw_time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Two decimal digits of v (< 100) at o. */
static void two_digits(char *o, unsigned v)
{
    o[0] = (char)('0' + v / 10);
    o[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DD" of day number `days` since 1970-01-01 (proleptic Gregorian; the year has four
 * digits up to 9999): the civil-from-days algorithm (eras of 400 years, March-based years), the
 * same date gmtime_r gives, without its cost (~600 instructions with strftime). */
static void date_text(char *o, uint64_t days)
{
    uint64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    unsigned d = (unsigned)(doy - (153 * mp + 2) / 5 + 1),
             m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    unsigned y = (unsigned)(yoe + era * 400 + (m <= 2));
    two_digits(o, y / 100);
    two_digits(o + 2, y % 100);
    o[4] = '-';
    two_digits(o + 5, m);
    o[7] = '-';
    two_digits(o + 8, d);
}

size_t ssgw_time_rfc3339(uint64_t ms, char *out, size_t cap)
{
    static _Thread_local uint64_t cached_day = UINT64_MAX, cached_sec = UINT64_MAX;
    static _Thread_local char cached[24]; /* "YYYY-MM-DDTHH:MM:SS" */
    uint64_t sec = ms / 1000u;
    if (cap < SSGW_TIME_RFC3339_CAP || sec > 253402300799ull) { /* 9999-12-31T23:59:59Z */
        if (cap) out[0] = '\0';
        return 0;
    }
    if (sec != cached_sec) {
        uint64_t day = sec / 86400u;
        unsigned s = (unsigned)(sec % 86400u);
        if (day != cached_day) {
            date_text(cached, day);
            cached[10] = 'T';
            cached[13] = cached[16] = ':';
            cached_day = day;
        }
        two_digits(cached + 11, s / 3600);
        two_digits(cached + 14, s / 60 % 60);
        two_digits(cached + 17, s % 60);
        cached_sec = sec;
    }
    /* the milliseconds by hand: this runs for every record */
    unsigned m = (unsigned)(ms % 1000u);
    memcpy(out, cached, 19);
    out[19] = '.';
    out[20] = (char)('0' + m / 100);
    two_digits(out + 21, m % 100);
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
