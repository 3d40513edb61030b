/*
 * geo.c - where a global title is: the E.164 country code (ITU-T E.164) of a
 * GT mapped to a country and its approximate coordinates (data in
 * geo_table.c, generated from data/e164-geography.csv), and the great-circle
 * distance between two countries for travel-time plausibility (cat3.velocity).
 */
#include <math.h>
#include <string.h>

#include "policy/policy_int.h"

static const geo_entry *find_exact(const char *code, size_t n)
{
    size_t lo = 0, hi = ssgw_geo_table_len;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *c = ssgw_geo_table[mid].code;
        int r = strncmp(c, code, n);
        if (r == 0 && c[n] != '\0') r = 1; /* c is longer: sorts after */
        if (r == 0) return &ssgw_geo_table[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const geo_entry *geo_lookup(const char *digits)
{
    size_t len = 0;
    while (len < 4 && digits[len] >= '0' && digits[len] <= '9')
        len++;
    for (size_t n = len; n > 0; n--) {
        const geo_entry *e = find_exact(digits, n);
        if (e) return e;
    }
    return NULL;
}

uint16_t geo_index(const geo_entry *e)
{
    return e ? (uint16_t)(e - ssgw_geo_table + 1) : 0;
}

const geo_entry *geo_at_index(uint16_t idx)
{
    return idx >= 1 && idx <= ssgw_geo_table_len ? &ssgw_geo_table[idx - 1] : NULL;
}

size_t geo_count(void)
{
    return ssgw_geo_table_len;
}
const geo_entry *geo_at(size_t i)
{
    return i < ssgw_geo_table_len ? &ssgw_geo_table[i] : NULL;
}

double geo_distance_km(const geo_entry *a, const geo_entry *b)
{
    const double rad = 3.14159265358979323846 / 180.0;
    if (!strcmp(a->iso, b->iso))
        return 0.0; /* the same country: moving inside it is always plausible */
    double la1 = a->lat * rad, la2 = b->lat * rad;
    double dla = la2 - la1, dlo = (b->lon - a->lon) * rad;
    double h = sin(dla / 2) * sin(dla / 2) + cos(la1) * cos(la2) * sin(dlo / 2) * sin(dlo / 2);
    if (h > 1.0) h = 1.0;
    return 2.0 * 6371.0 * asin(sqrt(h));
}
