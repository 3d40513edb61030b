/*
 * realms.c - the Diameter names of the networks a policy knows: every realm of
 * [home] and of each [[partner]] (their `realms`, and the 3GPP realm of each of
 * their MCC-MNCs, TS 23.003 19.2: "epc.mnc<MNC, 3 digits>.mcc<MCC>.3gppnetwork.org")
 * and their listed `diameter_hosts`, compiled at load into two sorted arrays of
 * lower-case names, so that the Diameter checks find the owner of an Origin-Realm
 * or Origin-Host with one binary search and no allocation. A realm claimed by two
 * hand-written networks is a configuration error; when the second claim comes from
 * imported partner data ([import], docs/partner-data.md) it is a warning of the merge
 * report and the first network (home, then hand-written partners, then file order)
 * keeps the name.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/config_types.h"

/* Appends (name, owner) to *arr, lower-cased. -1 when out of memory. */
static int add(diam_name **arr, size_t *n, size_t *cap, const char *name, uint16_t owner)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        diam_name *a = realloc(*arr, nc * sizeof *a);
        if (!a) return -1;
        *arr = a;
        *cap = nc;
    }
    char *c = strdup(name);
    if (!c) return -1;
    for (char *q = c; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    (*arr)[*n].name = c;
    (*arr)[(*n)++].owner = owner;
    return 0;
}

/* By name, then by owner: home, hand-written partners, imported ones in file order. */
static int by_name(const void *a, const void *b)
{
    const diam_name *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->owner > y->owner) - (x->owner < y->owner);
}

static const char *who(const ssgw_policy *p, uint16_t owner)
{
    const party *pa = policy_party(p, owner);
    return owner == OWNER_HOME ? "the home network" : pa && pa->name ? pa->name : "?";
}

/* Sorts arr and reports names claimed by two networks (the later claim is dropped: an error,
 * or an [import] warning when it was imported). 0, or -1 when out of memory. */
static int settle(ssgw_policy *p, ssgw_config_diag *ec, diam_name *arr, size_t *n, const char *what)
{
    if (*n) qsort(arr, *n, sizeof *arr, by_name); /* arr is NULL when nothing was added */
    size_t k = 0;
    int rc = 0;
    for (size_t i = 0; i < *n; i++) {
        if (k && !strcmp(arr[k - 1].name, arr[i].name)) {
            const party *late = policy_party(p, arr[i].owner);
            bool other = arr[k - 1].owner != arr[i].owner;
            if (other && late && late->file) {
                if (policy_import_warn(p, ec, late->file, late->line,
                                       "%s \"%s\" of %s is also claimed by %s, which keeps it",
                                       what, arr[i].name, who(p, arr[i].owner),
                                       who(p, arr[k - 1].owner)) < 0)
                    rc = -1;
            } else if (other) {
                ssgw_config_errorf(ec, 0, 0,
                                   "%s \"%s\" belongs to %s and to %s: each %s may "
                                   "belong to one network",
                                   what, arr[i].name, who(p, arr[k - 1].owner),
                                   who(p, arr[i].owner), what);
            }
            free(arr[i].name);
            continue;
        }
        arr[k++] = arr[i];
    }
    *n = k;
    return rc;
}

static int add_party(ssgw_policy *p, const party *pa, uint16_t owner, size_t *rcap, size_t *hcap)
{
    for (size_t i = 0; i < pa->mccmnc.n; i++) {
        const char *mm = pa->mccmnc.v[i];
        char realm[64];
        snprintf(realm, sizeof realm, "epc.mnc%03d.mcc%.3s.3gppnetwork.org", atoi(mm + 3), mm);
        if (add(&p->realms, &p->n_realms, rcap, realm, owner) < 0) return -1;
        if (owner == OWNER_HOME && !p->home_realm[0] && !pa->realms.n)
            snprintf(p->home_realm, sizeof p->home_realm, "%s", realm);
    }
    for (size_t i = 0; i < pa->realms.n; i++) {
        if (add(&p->realms, &p->n_realms, rcap, pa->realms.v[i], owner) < 0) return -1;
        if (owner == OWNER_HOME && !p->home_realm[0])
            snprintf(p->home_realm, sizeof p->home_realm, "%s", pa->realms.v[i]);
    }
    for (size_t i = 0; i < pa->dhosts.n; i++)
        if (add(&p->dhosts, &p->n_dhosts, hcap, pa->dhosts.v[i], owner) < 0) return -1;
    return 0;
}

int policy_compile_realms(ssgw_policy *p, ssgw_config_diag *ec)
{
    size_t rcap = 0, hcap = 0;
    if (add_party(p, &p->home, OWNER_HOME, &rcap, &hcap) < 0) return -1;
    for (size_t i = 0; i < p->n_partners; i++)
        if (add_party(p, &p->partners[i], OWNER_PARTNER(i), &rcap, &hcap) < 0) return -1;
    if (settle(p, ec, p->realms, &p->n_realms, "realm") < 0) return -1;
    return settle(p, ec, p->dhosts, &p->n_dhosts, "Diameter host");
}

void policy_realms_free(ssgw_policy *p)
{
    for (size_t i = 0; i < p->n_realms; i++)
        free(p->realms[i].name);
    for (size_t i = 0; i < p->n_dhosts; i++)
        free(p->dhosts[i].name);
    free(p->realms);
    free(p->dhosts);
    p->realms = p->dhosts = NULL;
    p->n_realms = p->n_dhosts = 0;
}

static uint16_t lookup(const diam_name *arr, size_t n, const char *name, size_t len)
{
    char key[128];
    if (!name || !len || len >= sizeof key) return OWNER_NONE;
    for (size_t i = 0; i < len; i++)
        key[i] = (char)tolower((unsigned char)name[i]);
    key[len] = '\0';
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(arr[mid].name, key);
        if (!c) return arr[mid].owner;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return OWNER_NONE;
}

uint16_t policy_realm_owner(const ssgw_policy *p, const char *name, size_t len)
{
    return lookup(p->realms, p->n_realms, name, len);
}

uint16_t policy_dhost_owner(const ssgw_policy *p, const char *name, size_t len)
{
    return lookup(p->dhosts, p->n_dhosts, name, len);
}

const char *ssgw_policy_home_realm(const ssgw_policy *p)
{
    return p->home_realm;
}

const char *ssgw_policy_realm_owner(const ssgw_policy *p, const char *realm, size_t len)
{
    uint16_t o = policy_realm_owner(p, realm, len);
    if (o == OWNER_HOME) return "home";
    const party *pa = policy_party(p, o);
    return pa ? pa->name : NULL;
}

const char *ssgw_policy_trust_for_realm(const ssgw_policy *p, const char *realm, size_t len,
                                        ssgw_trust_policy *out)
{
    if (p->trust.present)
        *out = p->trust.policy;
    else
        ssgw_trust_policy_default(out);
    uint16_t owner = policy_realm_owner(p, realm, len);
    const party *pa = owner >= 2 ? policy_party(p, owner) : NULL;
    if (!pa) return NULL;
    if (pa->trust_mode >= 0) out->mode = (ssgw_trust_mode)pa->trust_mode;
    return pa->name;
}
