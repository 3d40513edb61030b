/*
 * geo.c - where a global title is: the E.164 country code (ITU-T E.164) of a
 * GT mapped to a country and its approximate coordinates (data in
 * geo_table.c, generated from data/e164-geography.csv), and the great-circle
 * distance between two countries for travel-time plausibility (cat3.velocity).
 */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "policy/policy_int.h"

/*
 * Country codes are 1-4 digits: each has a slot, by its length and value (slot_base[n] +
 * value), holding its entry's index + 1, filled once from the table; a lookup reads at most
 * four slots, longest first, with no string compared.
 */
#define GEO_SLOTS (10 + 100 + 1000 + 10000)
static const unsigned slot_base[5] = {0, 0, 10, 110, 1110};
static uint16_t code_slot[GEO_SLOTS];
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

static void fill_slots(void)
{
    for (size_t i = 0; i < ssgw_geo_table_len; i++) {
        const char *c = ssgw_geo_table[i].code;
        unsigned v = 0, n = 0;
        while (n < 5 && c[n] >= '0' && c[n] <= '9')
            v = v * 10 + (unsigned)(c[n++] - '0');
        if (n >= 1 && n <= 4 && !c[n]) code_slot[slot_base[n] + v] = (uint16_t)(i + 1);
    }
}

const geo_entry *geo_lookup(const char *digits)
{
    pthread_once(&slots_once, fill_slots);
    unsigned value[5], v = 0, len = 0;
    while (len < 4 && digits[len] >= '0' && digits[len] <= '9') {
        v = v * 10 + (unsigned)(digits[len] - '0');
        value[++len] = v;
    }
    for (unsigned n = len; n > 0; n--) {
        uint16_t slot = code_slot[slot_base[n] + value[n]];
        if (slot) return &ssgw_geo_table[slot - 1];
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
