/*
 * numbering.c - is a calling number one a caller can have (call.cli_invalid)? E.164
 * numbering facts as data (numbering_table.c, generated from data/e164-numbering.csv):
 * the national significant number's lengths per country code, premium-rate and
 * unallocated ranges, international networks; country codes from the geography table
 * (geo_table.c). Longest prefix decides; countries without a length row get E.164's
 * bounds (country code + NSN at most 15 digits, NSN at least 4).
 */
#include <pthread.h>
#include <string.h>

#include "policy/policy_int.h"

const char *numbering_class_name(number_class c)
{
    static const char *const n[] = {"ok",       "unallocated",  "too short",
                                    "too long", "premium rate", "short code"};
    return (unsigned)c <= NUMBER_SHORT_CODE ? n[c] : "unknown";
}

/* The table is sorted by prefix as a string, so the entries starting with one digit are
 * a run: first_run[c] .. first_run[c + 1] for digit c, found once. Within it the prefixes
 * of that digit alone come first, then a run per second digit: pair_run[10 * c + d] ..
 * pair_end(c, d) are the entries starting with c and d (a number's second digit leaves
 * only those and the one-digit prefixes to compare: issue 16, ~15 instructions a message
 * on the attack capture). */
static size_t first_run[11], pair_run[100];
static pthread_once_t runs_once = PTHREAD_ONCE_INIT;

static void find_runs(void)
{
    size_t i = 0;
    for (int c = 0; c < 10; c++) {
        while (i < ssgw_numbering_table_len &&
               (unsigned char)ssgw_numbering_table[i].prefix[0] < '0' + c)
            i++;
        first_run[c] = i;
    }
    while (i < ssgw_numbering_table_len && ssgw_numbering_table[i].prefix[0] == '9')
        i++;
    first_run[10] = i;
    for (int c = 0; c < 10; c++) {
        size_t k = first_run[c];
        for (int d = 0; d < 10; d++) {
            /* past the one-digit prefixes and those whose second digit is below d */
            while (k < first_run[c + 1] &&
                   (unsigned char)ssgw_numbering_table[k].prefix[1] < '0' + d)
                k++;
            pair_run[10 * c + d] = k;
        }
    }
}

static size_t pair_end(unsigned c, unsigned d)
{
    return d < 9 ? pair_run[10 * c + d + 1] : first_run[c + 1];
}

/* The longest entry of table[from, to) whose prefix starts digits, among the kinds in mask,
 * at least longer than *bl; the first in table order among equally long ones. */
static const numbering_entry *longest_in(size_t from, size_t to, const char *digits, unsigned mask,
                                         const numbering_entry *best, size_t *bl)
{
    for (size_t i = from; i < to; i++) {
        const numbering_entry *e = &ssgw_numbering_table[i];
        if (!(mask & (1u << e->kind))) continue;
        const char *p = e->prefix;
        size_t l = 0;
        while (p[l] && p[l] == digits[l])
            l++;
        if (p[l] || l <= *bl) continue; /* not a prefix of digits, or not longer */
        best = e;
        *bl = l;
    }
    return best;
}

/* The longest entry whose prefix starts digits, among the kinds in mask (1 << kind); the
 * first in table order among equally long ones. Only the run of digits' first digit can
 * match (prefixes are digits), and in it the one-digit prefixes and the run of its second
 * digit; each prefix is compared octet by octet up to its end. */
const numbering_entry *numbering_longest(const char *digits, unsigned mask)
{
    unsigned c = (unsigned)(unsigned char)digits[0] - '0';
    if (c > 9) return NULL;
    pthread_once(&runs_once, find_runs);
    size_t bl = 0;
    unsigned d = (unsigned)(unsigned char)digits[1] - '0';
    if (d > 9) return longest_in(first_run[c], first_run[c + 1], digits, mask, NULL, &bl);
    const numbering_entry *best =
        longest_in(first_run[c], pair_run[10 * c], digits, mask, NULL, &bl);
    return longest_in(pair_run[10 * c + d], pair_end(c, d), digits, mask, best, &bl);
}

number_class numbering_classify(const char *d, bool international, const char **note)
{
    size_t len = strlen(d);
    if (note) *note = "";
    if (!international) return len <= 6 ? NUMBER_SHORT_CODE : NUMBER_OK;
    if (len > 15) return NUMBER_TOO_LONG;
    const numbering_entry *e =
        numbering_longest(d, 1u << NUM_PREMIUM | 1u << NUM_UNALLOCATED | 1u << NUM_NETWORK);
    if (e && note) *note = e->note;
    if (e && e->kind == NUM_PREMIUM) return NUMBER_PREMIUM;
    if (e && e->kind == NUM_UNALLOCATED) return NUMBER_UNALLOCATED;
    if (e) return len < strlen(e->prefix) + 4 ? NUMBER_TOO_SHORT : NUMBER_OK; /* a network */
    const geo_entry *g = geo_lookup(d);
    if (!g) return NUMBER_UNALLOCATED;
    const numbering_entry *l = numbering_longest(d, 1u << NUM_LENGTH);
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
