/*
 * numbering.c - is a calling number one a caller can have (call.cli_invalid)? E.164
 * numbering facts as data (numbering_table.c, generated from data/e164-numbering.csv):
 * the national significant number's lengths per country code, premium-rate and
 * unallocated ranges, international networks; country codes from the geography table
 * (geo_table.c). Longest prefix decides; countries without a length row get E.164's
 * bounds (country code + NSN at most 15 digits, NSN at least 4).
 */
#include <string.h>

#include "policy/policy_int.h"

const char *numbering_class_name(number_class c)
{
    static const char *const n[] = {"ok",       "unallocated",  "too short",
                                    "too long", "premium rate", "short code"};
    return (unsigned)c <= NUMBER_SHORT_CODE ? n[c] : "unknown";
}

/* The longest entry whose prefix starts digits, among the kinds in mask (1 << kind). */
static const numbering_entry *longest(const char *digits, unsigned mask)
{
    const numbering_entry *best = NULL;
    size_t bl = 0;
    for (size_t i = 0; i < ssgw_numbering_table_len; i++) {
        const numbering_entry *e = &ssgw_numbering_table[i];
        size_t l = strlen(e->prefix);
        if (!(mask & (1u << e->kind)) || l <= bl || strncmp(digits, e->prefix, l)) continue;
        best = e;
        bl = l;
    }
    return best;
}

number_class numbering_classify(const char *d, bool international, const char **note)
{
    size_t len = strlen(d);
    if (note) *note = "";
    if (!international) return len <= 6 ? NUMBER_SHORT_CODE : NUMBER_OK;
    if (len > 15) return NUMBER_TOO_LONG;
    const numbering_entry *e =
        longest(d, 1u << NUM_PREMIUM | 1u << NUM_UNALLOCATED | 1u << NUM_NETWORK);
    if (e && note) *note = e->note;
    if (e && e->kind == NUM_PREMIUM) return NUMBER_PREMIUM;
    if (e && e->kind == NUM_UNALLOCATED) return NUMBER_UNALLOCATED;
    if (e) return len < strlen(e->prefix) + 4 ? NUMBER_TOO_SHORT : NUMBER_OK; /* a network */
    const geo_entry *g = geo_lookup(d);
    if (!g) return NUMBER_UNALLOCATED;
    const numbering_entry *l = longest(d, 1u << NUM_LENGTH);
    if (note) *note = l ? l->note : g->name;
    /* the country code: NANP (1) and +7 share theirs; the geography lists area codes */
    size_t cc = l                                          ? strlen(l->prefix)
                : (g->code[0] == '1' || g->code[0] == '7') ? 1
                                                           : strlen(g->code);
    size_t nsn = len > cc ? len - cc : 0;
    if (nsn < (l ? l->min : 4)) return NUMBER_TOO_SHORT;
    if (l && nsn > l->max) return NUMBER_TOO_LONG;
    return NUMBER_OK;
}
