/*
 * partner_row.c - the fields of one partner in the partner-data files
 * (docs/partner-data.md), shared by the CSV and the JSON reader: the field table
 * (column / key names after the GSMA IR.21 fields), the check of every item, and GT
 * ranges turned into the prefixes the policy's digit trie holds.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/config_types.h"
#include "policy/import_int.h"
#include "ssgw/store.h"

static const struct {
    const char *name;
    int multi;
} fields[PF_COUNT] = {
    [PF_NAME] = {"name", 0},
    [PF_TADIG] = {"tadig", 0},
    [PF_COUNTRY] = {"country", 0},
    [PF_MCC_MNC] = {"mcc_mnc", 1},
    [PF_GT_RANGES] = {"gt_ranges", 1},
    [PF_MSISDN_RANGES] = {"msisdn_ranges", 1},
    [PF_POINT_CODES] = {"point_codes", 1},
    [PF_HLR] = {"hlr", 1},
    [PF_VLR] = {"vlr", 1},
    [PF_MSC] = {"msc", 1},
    [PF_SMSC] = {"smsc", 1},
    [PF_GSMSCF] = {"gsmscf", 1},
    [PF_SGSN] = {"sgsn", 1},
    [PF_DIAMETER_REALMS] = {"diameter_realms", 1},
    [PF_SMS_HUB] = {"sms_hub", 0},
};

/* Caps per partner: what does not fit is a malformed row, not a silent loss. */
#define MAX_ITEMS    4096
#define MAX_PREFIXES 4096

int partner_field_find(const char *name)
{
    for (int f = 0; f < PF_COUNT; f++)
        if (!strcasecmp(fields[f].name, name)) return f;
    return -1;
}

const char *partner_field_name(int f)
{
    return f >= 0 && f < PF_COUNT ? fields[f].name : "?";
}

int partner_field_multi(int f)
{
    return f >= 0 && f < PF_COUNT && fields[f].multi;
}

const char *partner_field_list(void)
{
    static char list[256];
    if (!list[0]) {
        size_t k = 0;
        for (int f = 0; f < PF_COUNT && k < sizeof list; f++)
            k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", f ? ", " : "", fields[f].name);
    }
    return list;
}

#define WHY(...) (snprintf(why, cap, __VA_ARGS__), -1)

/* 1..maxd decimal digits after an optional '+'; returns the digits or NULL. */
static const char *e164(const char *s, size_t maxd)
{
    if (*s == '+') s++;
    size_t n = strlen(s);
    if (n < 1 || n > maxd) return NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return NULL;
    return s;
}

static uint64_t digits_value(const char *s, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (uint64_t)(s[i] - '0');
    return v;
}

int import_range_prefixes(const char *item, strlist *out, char *why, size_t cap)
{
    const char *dash = strchr(item, '-');
    if (!dash) {
        const char *d = e164(item, 15);
        if (!d) return WHY("expected E.164 digits (1 to 15) or a range FROM-TO");
        return strlist_push(out, d, (size_t)-1) < 0 ? -2 : 0;
    }
    char a[24], b[24];
    size_t la = (size_t)(dash - item);
    if (la >= sizeof a || strlen(dash + 1) >= sizeof b)
        return WHY("a range is FROM-TO, each at most 15 digits");
    memcpy(a, item, la);
    a[la] = '\0';
    snprintf(b, sizeof b, "%s", dash + 1);
    const char *lo_s = e164(a, 15), *hi_s = e164(b, 15);
    if (!lo_s || !hi_s) return WHY("a range is FROM-TO, each 1 to 15 decimal digits");
    size_t n = strlen(lo_s);
    if (strlen(hi_s) != n) return WHY("the two ends of a range must have as many digits");
    uint64_t lo = digits_value(lo_s, n), hi = digits_value(hi_s, n);
    if (lo > hi) return WHY("the range ends before it starts");
    /* the largest aligned blocks from lo upwards: at most 2 x 9 per digit */
    while (lo <= hi) {
        uint64_t step = 1;
        size_t k = 0;
        while (k < n && lo % (step * 10) == 0 && lo + step * 10 - 1 <= hi) {
            step *= 10;
            k++;
        }
        if (k == n) return WHY("the range covers every number of its length: give a prefix");
        if (out->n >= MAX_PREFIXES) return WHY("more than %d prefixes", MAX_PREFIXES);
        char p[24];
        snprintf(p, sizeof p, "%0*llu", (int)(n - k), (unsigned long long)(lo / step));
        if (strlist_push(out, p, (size_t)-1) < 0) return -2;
        lo += step;
    }
    return 0;
}

int import_point_code(const char *item, long long *pc, char *why, size_t cap)
{
    unsigned z, a, s;
    char tail;
    if (sscanf(item, "%u-%u-%u%c", &z, &a, &s, &tail) == 3 &&
        strspn(item, "0123456789-") == strlen(item)) {
        if (z > 7 || a > 255 || s > 7)
            return WHY("a 3-8-3 point code is zone 0-7, area 0-255, point 0-7");
        *pc = (long long)(z << 11 | a << 3 | s);
        return 0;
    }
    const char *d = e164(item, 5);
    if (!d || *item == '+') return WHY("expected a point code 0-16383 or zone-area-point (3-8-3)");
    *pc = (long long)digits_value(d, strlen(d));
    return *pc <= 16383 ? 0 : WHY("a point code is 0 to 16383 (14-bit ITU)");
}

static int set_string(char **field, const char *item)
{
    free(*field);
    size_t n = strlen(item) + 1;
    *field = malloc(n);
    if (!*field) return -2;
    memcpy(*field, item, n);
    return 0;
}

static int push(strlist *l, const char *s, char *why, size_t cap)
{
    if (l->n >= MAX_ITEMS) return WHY("more than %d items", MAX_ITEMS);
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s)) return 0; /* listed twice: once is enough */
    return strlist_push(l, s, (size_t)-1) < 0 ? -2 : 0;
}

static strlist *node_list(party *pa, int f)
{
    switch (f) {
    case PF_HLR:
        return &pa->hlr;
    case PF_VLR:
        return &pa->vlr;
    case PF_MSC:
        return &pa->msc;
    case PF_SMSC:
        return &pa->smsc;
    case PF_GSMSCF:
        return &pa->gsmscf;
    case PF_SGSN:
        return &pa->sgsn;
    default:
        return NULL;
    }
}

int partner_field_add(party *pa, int f, const char *item, char *why, size_t cap)
{
    size_t n = strlen(item);
    switch (f) {
    case PF_NAME:
        if (n < 1 || n > 127) return WHY("a name of 1 to 127 characters");
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)item[i] < 0x20 || item[i] == 0x7f)
                return WHY("a name without control characters");
        if (!strcmp(item, "home") || !strcmp(item, "none"))
            return WHY("\"home\" and \"none\" are reserved");
        return set_string(&pa->name, item);
    case PF_TADIG:
        if (n != 5) return WHY("a TADIG code is 5 letters or digits, e.g. KENSA");
        for (size_t i = 0; i < n; i++)
            if (!isupper((unsigned char)item[i]) && !isdigit((unsigned char)item[i]))
                return WHY("a TADIG code is 5 capitals or digits, e.g. KENSA");
        return set_string(&pa->tadig, item);
    case PF_COUNTRY:
        if (n != 2 || !isalpha((unsigned char)item[0]) || !isalpha((unsigned char)item[1]))
            return WHY("an ISO 3166-1 alpha-2 code, e.g. KE");
        pa->country[0] = (char)toupper((unsigned char)item[0]);
        pa->country[1] = (char)toupper((unsigned char)item[1]);
        pa->country[2] = '\0';
        return 0;
    case PF_MCC_MNC: {
        char d[8];
        size_t k = 0;
        for (size_t i = 0; i < n && k < sizeof d - 1; i++)
            if (item[i] != '-' || i != 3) d[k++] = item[i];
        d[k] = '\0';
        if (n > 7 || !e164(d, 6) || d[0] == '+' || k < 5)
            return WHY("an MCC-MNC is 5 or 6 digits, e.g. 63902 or 639-02");
        return push(&pa->mccmnc, d, why, cap);
    }
    case PF_GT_RANGES:
    case PF_MSISDN_RANGES: {
        strlist tmp = {NULL, 0};
        int rc = import_range_prefixes(item, &tmp, why, cap);
        for (size_t i = 0; rc == 0 && i < tmp.n; i++)
            rc = push(f == PF_GT_RANGES ? &pa->gt : &pa->msisdn, tmp.v[i], why, cap);
        strlist_free(&tmp);
        return rc;
    }
    case PF_POINT_CODES: {
        long long pc;
        if (import_point_code(item, &pc, why, cap) < 0) return -1;
        for (size_t i = 0; i < pa->pc.n; i++)
            if (pa->pc.v[i] == pc) return 0;
        if (pa->pc.n >= 64) return WHY("more than 64 point codes");
        return intlist_push(&pa->pc, pc) < 0 ? -2 : 0;
    }
    case PF_SMS_HUB: /* as [[partner]] sms_hub: an SMS hub relays other networks' SMSCs */
        if (!strcasecmp(item, "true") || !strcasecmp(item, "yes") || !strcmp(item, "1")) {
            pa->sms_hub = true;
            return 0;
        }
        if (!strcasecmp(item, "false") || !strcasecmp(item, "no") || !strcmp(item, "0")) {
            pa->sms_hub = false;
            return 0;
        }
        return WHY("sms_hub is true or false (yes / no, 1 / 0)");
    case PF_DIAMETER_REALMS:
        if (n < 1 || n > 255 || item[0] == '.' || item[n - 1] == '.')
            return WHY("a Diameter realm is a DNS name, e.g. epc.mnc002.mcc639.3gppnetwork.org");
        for (size_t i = 0; i < n; i++)
            if (!isalnum((unsigned char)item[i]) && item[i] != '.' && item[i] != '-')
                return WHY("a Diameter realm has letters, digits, '.' and '-' only");
        return push(&pa->realms, item, why, cap);
    default: {
        strlist *l = node_list(pa, f);
        const char *d = e164(item, 15);
        if (!l) return WHY("unknown field");
        if (!d) return WHY("a network element GT is 1 to 15 E.164 digits");
        return push(l, d, why, cap);
    }
    }
}

/* partner_field_add, the item named in why: "\"25472x\": expected ..." */
static int add_named(party *pa, int f, const char *item, char *why, size_t cap)
{
    int rc = partner_field_add(pa, f, item, why, cap);
    if (rc == -1) {
        char w[320];
        snprintf(w, sizeof w, "\"%.80s\": %s", item, why);
        snprintf(why, cap, "%s", w);
    }
    return rc;
}

int partner_field_add_cell(party *pa, int f, const char *cell, char *why, size_t cap)
{
    if (!partner_field_multi(f)) {
        if (!cell[0]) return 0; /* an empty single value: not given */
        return add_named(pa, f, cell, why, cap);
    }
    char item[256];
    const char *p = cell;
    for (;;) {
        while (*p == ';' || *p == ',' || isspace((unsigned char)*p))
            p++;
        if (!*p) return 0;
        size_t n = strcspn(p, ";, \t\r\n");
        if (n >= sizeof item) return WHY("an item longer than %zu characters", sizeof item - 1);
        memcpy(item, p, n);
        item[n] = '\0';
        int rc = add_named(pa, f, item, why, cap);
        if (rc) return rc;
        p += n;
    }
}

int partner_row_finish(const party *pa, char *why, size_t cap)
{
    if (!pa->name) return WHY("no name");
    if (!pa->gt.n) return WHY("partner \"%s\" has no GT range (gt_ranges)", pa->name);
    return 0;
}
