/*
 * import.c - [import]: partner data and ported numbers read from files and merged with
 * the hand-written policy (docs/partner-data.md), and the merge report.
 *
 * Who wins a conflict, and what the report says:
 *   - a partner name written by hand and imported: the hand-written [[partner]] is used,
 *     the row skipped; the fields in which they differ are named (the hand-written
 *     partner contradicting the import);
 *   - a name imported twice, a GT prefix or MCC-MNC claimed by two networks: the first
 *     claim keeps it (hand-written before imported, then file order), the later one is
 *     dropped from its partner (a partner left without GT prefix is skipped);
 *   - a network element GT outside its partner's GT ranges: dropped;
 *   - nested ranges of two networks (254722 of one, 2547221 of another): kept (the longer
 *     prefix serves the numbers it covers) and reported as an overlap;
 *   - a malformed row or an unreadable file: named by FILE:LINE and skipped.
 * With [import] strict = true each of these refuses the policy instead. Imported
 * partners come after the hand-written ones; their prefixes go into the same digit
 * tries, so a lookup costs the same for 3 or 3,000 partners.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy/config_types.h"
#include "policy/import_int.h"
#include "ssgw/store.h"

#define MAX_FILE_BYTES (256u << 20)
#define MAX_PARTNERS   60000 /* owner values are 16 bits */

int policy_import_warn(ssgw_policy *p, ssgw_config_diag *ec, const char *file, int line,
                       const char *fmt, ...)
{
    char msg[600], where[1100];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        snprintf(where, sizeof where, "%s:%d", file ? file : "?", line);
    else
        snprintf(where, sizeof where, "%s", file ? file : "?");
    if (p->imp_strict) {
        ssgw_config_diag d = {where, ec->errs, 0};
        ssgw_config_errorf(&d, 0, 0, "%s (import strict = true)", msg);
        ec->count += d.count;
        return 0;
    }
    char **nw = realloc(p->warnings, (p->n_warnings + 1) * sizeof *nw);
    if (!nw) return -1;
    p->warnings = nw;
    size_t n = strlen(where) + strlen(msg) + 16;
    char *w = malloc(n);
    if (!w) return -1;
    snprintf(w, n, "%s: warning: %s", where, msg);
    p->warnings[p->n_warnings++] = w;
    return 0;
}

/* Reads a regular file of at most MAX_FILE_BYTES. 0, or -1 with why. */
static int read_file(const char *path, char **text, size_t *len, char *why, size_t cap)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (!f) return snprintf(why, cap, "cannot open: %s", strerror(errno)), -1;
    if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return snprintf(why, cap, "not a regular file"), -1;
    }
    if ((unsigned long long)st.st_size > MAX_FILE_BYTES) {
        fclose(f);
        return snprintf(why, cap, "larger than %u bytes", MAX_FILE_BYTES), -1;
    }
    *text = malloc((size_t)st.st_size + 1);
    if (!*text) {
        fclose(f);
        return snprintf(why, cap, "out of memory"), -1;
    }
    *len = fread(*text, 1, (size_t)st.st_size, f);
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(*text);
        return snprintf(why, cap, "read error"), -1;
    }
    (*text)[*len] = '\0';
    return 0;
}

/* Keeps a resolved copy of a file name for the life of the policy; NULL: memory. */
static const char *keep_file(ssgw_policy *p, const char *name)
{
    char *c = malloc(strlen(name) + 1);
    char **nf = realloc(p->imp_files, (p->n_imp_files + 1) * sizeof *nf);
    if (!c || !nf) {
        free(c);
        if (nf) p->imp_files = nf;
        return NULL;
    }
    strcpy(c, name);
    p->imp_files = nf;
    p->imp_files[p->n_imp_files++] = c;
    return c;
}

/*
 * The file an [import] key names, relative to the policy file: its resolved name kept in
 * *file, its text in *text (malloc'ed). 1 read; 0 not readable (reported); -1 memory.
 */
static int open_import(ssgw_policy *p, ssgw_config_diag *ec, const char *name, const char **file,
                       char **text, size_t *len)
{
    char *path = malloc(strlen(name) + 1), why[300];
    if (!path) return -1;
    strcpy(path, name);
    if (policy_resolve_path(p, &path) < 0) {
        free(path);
        return -1;
    }
    *file = keep_file(p, path);
    free(path);
    if (!*file) return -1;
    if (read_file(*file, text, len, why, sizeof why) == 0) return 1;
    return policy_import_warn(p, ec, *file, 0, "%s", why) < 0 ? -1 : 0;
}

/* ---- partners ----------------------------------------------------------------------- */

typedef struct {
    ssgw_policy *p;
    ssgw_config_diag *ec;
    const char *file;
    int oom;
} merge_ctx;

/* Where a partner came from, for messages: "FILE:LINE". */
static const char *origin(const ssgw_policy *p, const party *pa, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s:%d", pa->file ? pa->file : p->file, pa->line);
    return buf;
}

static int same_list(const strlist *a, const strlist *b)
{
    if (a->n != b->n) return 0;
    for (size_t i = 0; i < a->n; i++) {
        size_t j = 0;
        while (j < b->n && strcmp(a->v[i], b->v[j]))
            j++;
        if (j == b->n) return 0;
    }
    return 1;
}

static int same_pcs(const intlist *a, const intlist *b)
{
    if (a->n != b->n) return 0;
    for (size_t i = 0; i < a->n; i++) {
        size_t j = 0;
        while (j < b->n && a->v[i] != b->v[j])
            j++;
        if (j == b->n) return 0;
    }
    return 1;
}

/* Removes item i of l (order kept). */
static void strlist_drop(strlist *l, size_t i)
{
    free(l->v[i]);
    memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *l->v);
    l->n--;
}

/* The row's MCC-MNCs into the IMSI trie for owner; the first claim keeps one (the row's
 * list loses what it cannot have). 0, or -1 (memory). */
static int claim_mccs(merge_ctx *m, party *pa, uint16_t owner)
{
    ssgw_policy *p = m->p;
    for (size_t i = 0; i < pa->mccmnc.n;) {
        int n = trie_insert(&p->imsi, pa->mccmnc.v[i]);
        if (n < 0) return -1;
        trie_node *nd = &p->imsi.n[n];
        if (nd->end && nd->val != owner) {
            if (policy_import_warn(p, m->ec, m->file, pa->line,
                                   "MCC-MNC \"%s\" of \"%s\" is also claimed by %s: the first "
                                   "claim keeps it",
                                   pa->mccmnc.v[i], pa->name, policy_owner_name(p, nd->val)) < 0)
                return -1;
            strlist_drop(&pa->mccmnc, i);
            continue;
        }
        nd->end = 1;
        nd->val = owner;
        i++;
    }
    return 0;
}

/* The row's network element GTs of one role into the GT trie, each inside the GT ranges of
 * owner (else dropped). 0, or -1 (memory). */
static int claim_nodes(merge_ctx *m, party *pa, int r, uint16_t owner)
{
    static const uint8_t roles[] = {ROLE_HLR,  ROLE_VLR,    ROLE_MSC,
                                    ROLE_SMSC, ROLE_GSMSCF, ROLE_SGSN};
    static const char *const names[] = {"hlr", "vlr", "msc", "smsc", "gsmscf", "sgsn"};
    ssgw_policy *p = m->p;
    strlist *l = r == 0   ? &pa->hlr
                 : r == 1 ? &pa->vlr
                 : r == 2 ? &pa->msc
                 : r == 3 ? &pa->smsc
                 : r == 4 ? &pa->gsmscf
                          : &pa->sgsn;
    for (size_t i = 0; i < l->n;) {
        uint16_t cur;
        uint8_t dummy;
        trie_lookup(&p->gt, l->v[i], &cur, &dummy);
        if (cur != owner) {
            if (policy_import_warn(p, m->ec, m->file, pa->line,
                                   "%s GT \"%s\" of \"%s\" is not inside its GT ranges (it falls "
                                   "in %s): dropped",
                                   names[r], l->v[i], pa->name,
                                   cur ? policy_owner_name(p, cur) : "no network") < 0)
                return -1;
            strlist_drop(l, i);
            continue;
        }
        int n = trie_insert(&p->gt, l->v[i]);
        if (n < 0) return -1;
        p->gt.n[n].roles |= roles[r];
        i++;
    }
    return 0;
}

static strlist *node_list(party *pa, int r)
{
    strlist *l[] = {&pa->hlr, &pa->vlr, &pa->msc, &pa->smsc, &pa->gsmscf, &pa->sgsn};
    return l[r];
}

/* Appends ", name" to a field list text. */
static void note_field(char *out, size_t cap, const char *name)
{
    size_t k = strlen(out);
    if (k < cap) snprintf(out + k, cap - k, "%s%s", k ? ", " : "", name);
}

/* Moves the list of the row into the hand-written partner's empty one. */
static void take(strlist *to, strlist *from)
{
    strlist_free(to);
    *to = *from;
    from->v = NULL;
    from->n = 0;
}

/*
 * A row naming a hand-written partner: the hand-written entry is used; what it leaves out
 * (country, MCC-MNC, MSISDN ranges, point codes, node GTs, TADIG, realms) is filled from
 * the row, and where both say something different the report names it. 0, or -1.
 */
static int fill_hand_written(merge_ctx *m, size_t k, party *pa)
{
    ssgw_policy *p = m->p;
    party *h = &p->partners[k];
    uint16_t owner = OWNER_PARTNER(k);
    char differ[200] = "", filled[200] = "", o[1100];
    if (pa->country[0] && !h->country[0]) {
        memcpy(h->country, pa->country, 3);
        note_field(filled, sizeof filled, "country");
    } else if (pa->country[0] && strcmp(h->country, pa->country)) {
        note_field(differ, sizeof differ, "country");
    }
    if (!same_list(&h->gt, &pa->gt)) note_field(differ, sizeof differ, "GT ranges");
    if (pa->mccmnc.n && !h->mccmnc.n) {
        if (claim_mccs(m, pa, owner) < 0) return -1;
        take(&h->mccmnc, &pa->mccmnc);
        note_field(filled, sizeof filled, "mcc_mnc");
    } else if (pa->mccmnc.n && !same_list(&h->mccmnc, &pa->mccmnc)) {
        note_field(differ, sizeof differ, "mcc_mnc");
    }
    if (pa->msisdn.n && !h->msisdn.n) {
        take(&h->msisdn, &pa->msisdn);
        note_field(filled, sizeof filled, "MSISDN ranges");
    } else if (pa->msisdn.n && !same_list(&h->msisdn, &pa->msisdn)) {
        note_field(differ, sizeof differ, "MSISDN ranges");
    }
    if (pa->pc.n && !h->pc.n) {
        free(h->pc.v);
        h->pc = pa->pc;
        pa->pc.v = NULL;
        pa->pc.n = 0;
        note_field(filled, sizeof filled, "point codes");
    } else if (pa->pc.n && !same_pcs(&h->pc, &pa->pc)) {
        note_field(differ, sizeof differ, "point codes");
    }
    static const char *const roles[] = {"hlr", "vlr", "msc", "smsc", "gsmscf", "sgsn"};
    for (int r = 0; r < 6; r++) {
        strlist *hl = node_list(h, r), *pl = node_list(pa, r);
        if (pl->n && !hl->n) {
            if (claim_nodes(m, pa, r, owner) < 0) return -1;
            if (pl->n) note_field(filled, sizeof filled, roles[r]);
            take(hl, pl);
        } else if (pl->n && !same_list(hl, pl)) {
            note_field(differ, sizeof differ, roles[r]);
        }
    }
    if (pa->tadig && !h->tadig) {
        h->tadig = pa->tadig;
        pa->tadig = NULL;
    }
    if (pa->realms.n && !h->realms.n) { /* the Diameter checks know the partner by them */
        take(&h->realms, &pa->realms);
        note_field(filled, sizeof filled, "Diameter realms");
    } else if (pa->realms.n && !same_list(&h->realms, &pa->realms)) {
        note_field(differ, sizeof differ, "Diameter realms");
    }
    int rc = policy_import_warn(
        p, m->ec, m->file, pa->line,
        "partner \"%s\" is also written by hand at %s, which is used%s%s%s%s%s", pa->name,
        origin(p, h, o, sizeof o), differ[0] ? "; it contradicts this row in: " : "", differ,
        filled[0] ? "; filled from this row: " : "", filled,
        !differ[0] && !filled[0] ? " (they agree)" : "");
    policy_party_release(pa);
    return rc;
}

/* Takes one imported partner: resolves its conflicts, appends it. 0, or -1 (memory). */
static int merge_partner(void *vctx, party *pa)
{
    merge_ctx *m = vctx;
    ssgw_policy *p = m->p;
    char o[1100];
    pa->file = m->file;
    int k = policy_partner_find(p, pa->name);
    if (k >= 0 && !p->partners[k].file) return fill_hand_written(m, (size_t)k, pa);
    if (k >= 0) {
        int rc = policy_import_warn(p, m->ec, m->file, pa->line,
                                    "partner \"%s\" is already imported from %s: this row is "
                                    "skipped",
                                    pa->name, origin(p, &p->partners[k], o, sizeof o));
        policy_party_release(pa);
        return rc;
    }
    if (p->n_partners >= MAX_PARTNERS) {
        policy_party_release(pa);
        return policy_import_warn(p, m->ec, m->file, pa->line,
                                  "more than %d partners: the rest of the file is skipped",
                                  MAX_PARTNERS);
    }
    uint16_t owner = OWNER_PARTNER(p->n_partners);
    /* GT prefixes: the first claim keeps a prefix */
    for (size_t i = 0; i < pa->gt.n;) {
        int n = trie_insert(&p->gt, pa->gt.v[i]);
        if (n < 0) return -1;
        trie_node *nd = &p->gt.n[n];
        if (nd->end && nd->val != owner) {
            const party *first = policy_party(p, nd->val);
            if (policy_import_warn(p, m->ec, m->file, pa->line,
                                   "GT range \"%s\" of \"%s\" is also claimed by %s%s%s%s: the "
                                   "first claim keeps it",
                                   pa->gt.v[i], pa->name, policy_owner_name(p, nd->val),
                                   first ? " (" : "", first ? origin(p, first, o, sizeof o) : "",
                                   first ? ")" : "") < 0)
                return -1;
            strlist_drop(&pa->gt, i);
            continue;
        }
        nd->end = 1;
        nd->val = owner;
        i++;
    }
    if (!pa->gt.n) {
        int rc = policy_import_warn(p, m->ec, m->file, pa->line,
                                    "partner \"%s\" has no GT range left: skipped", pa->name);
        policy_party_release(pa);
        return rc;
    }
    if (claim_mccs(m, pa, owner) < 0) return -1;
    for (int r = 0; r < 6; r++)
        if (claim_nodes(m, pa, r, owner) < 0) return -1;
    party *np = realloc(p->partners, (p->n_partners + 1) * sizeof *np);
    if (!np) return -1;
    p->partners = np;
    p->partners[p->n_partners] = *pa;
    p->partners[p->n_partners].trust_mode = -1;
    memset(pa, 0, sizeof *pa);
    p->n_partners++;
    p->n_imported++;
    /* keep the name index current: later rows of the same name must find it (the
     * insertion keeps it sorted; a few thousand partners stay fast) */
    size_t *nb = realloc(p->by_name, p->n_partners * sizeof *nb);
    if (!nb) return -1;
    p->by_name = nb;
    size_t idx = p->n_partners - 1, pos = p->n_partners - 1;
    const char *nm = p->partners[idx].name;
    size_t lo = 0, hi = pos;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(p->partners[p->by_name[mid]].name, nm) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(&p->by_name[lo + 1], &p->by_name[lo], (pos - lo) * sizeof *p->by_name);
    p->by_name[lo] = idx;
    return 0;
}

static int on_problem(void *vctx, int line, const char *msg)
{
    merge_ctx *m = vctx;
    return policy_import_warn(m->p, m->ec, m->file, line, "%s", msg);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcasecmp(s + a - b, suffix);
}

/* Nested prefixes of two networks, one of them imported: reported, kept. */
typedef struct {
    const char *prefix;
    uint16_t owner;
} owned_prefix;

static int prefix_cmp(const void *a, const void *b)
{
    return strcmp(((const owned_prefix *)a)->prefix, ((const owned_prefix *)b)->prefix);
}

static int report_overlaps(ssgw_policy *p, ssgw_config_diag *ec)
{
    size_t n = p->home.gt.n;
    for (size_t i = 0; i < p->n_partners; i++)
        n += p->partners[i].gt.n;
    owned_prefix *v = malloc((n ? n : 1) * sizeof *v), *stack = malloc((n ? n : 1) * sizeof *v);
    if (!v || !stack) {
        free(v);
        free(stack);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < p->home.gt.n; i++)
        v[k++] = (owned_prefix){p->home.gt.v[i], OWNER_HOME};
    for (size_t j = 0; j < p->n_partners; j++)
        for (size_t i = 0; i < p->partners[j].gt.n; i++)
            v[k++] = (owned_prefix){p->partners[j].gt.v[i], OWNER_PARTNER(j)};
    qsort(v, k, sizeof *v, prefix_cmp);
    size_t top = 0, reported = 0;
    int rc = 0;
    char o[1100];
    for (size_t i = 0; i < k && rc == 0; i++) {
        while (top && strncmp(v[i].prefix, stack[top - 1].prefix, strlen(stack[top - 1].prefix)))
            top--;
        const party *inner = policy_party(p, v[i].owner);
        const party *outer = top ? policy_party(p, stack[top - 1].owner) : NULL;
        if (outer && stack[top - 1].owner != v[i].owner &&
            ((inner && inner->file) || outer->file)) {
            const party *at = inner && inner->file ? inner : outer;
            if (++reported <= 1000)
                rc = policy_import_warn(
                    p, ec, at->file, at->line,
                    "GT range \"%s\" of %s lies inside \"%s\" of %s (%s): "
                    "%s serves the numbers it covers",
                    v[i].prefix, policy_owner_name(p, v[i].owner), stack[top - 1].prefix,
                    policy_owner_name(p, stack[top - 1].owner), origin(p, outer, o, sizeof o),
                    policy_owner_name(p, v[i].owner));
        }
        stack[top++] = v[i];
    }
    if (rc == 0 && reported > 1000)
        rc = policy_import_warn(p, ec, p->file, 0, "%zu more overlapping GT ranges not listed",
                                reported - 1000);
    free(v);
    free(stack);
    return rc;
}

int policy_import_partners(ssgw_policy *p, ssgw_config_diag *ec)
{
    for (size_t i = 0; i < p->imp_partners.n; i++) {
        const char *file;
        char *text;
        size_t len;
        int got = open_import(p, ec, p->imp_partners.v[i], &file, &text, &len);
        if (got < 0) return -1;
        if (!got) continue;
        merge_ctx m = {p, ec, file, 0};
        import_sink s = {&m, merge_partner, NULL, on_problem};
        int rc;
        if (ends_with(file, ".json"))
            rc = import_partners_json(text, len, &s);
        else if (ends_with(file, ".csv"))
            rc = import_partners_csv(text, len, &s);
        else
            rc = policy_import_warn(p, ec, file, 0,
                                    "unknown format: the name must end in .csv or .json");
        free(text);
        if (rc < 0) return -1;
    }
    return p->n_imported ? report_overlaps(p, ec) : 0;
}

/* ---- ported numbers ----------------------------------------------------------------- */

typedef struct {
    ssgw_policy *p;
    ssgw_config_diag *ec;
    const char *file;
    uint16_t file_index;
    int last_line; /* rows are counted once, however many ranges they give */
} ported_ctx;

/* The owner an operator text names: home, a partner, an MCC-MNC; OWNER_NONE otherwise. */
static uint16_t operator_owner(ported_ctx *c, int line, const char *op, int *rc)
{
    const ssgw_policy *p = c->p;
    if (!strcmp(op, "home")) return OWNER_HOME;
    int k = policy_partner_find(p, op);
    if (k >= 0) return OWNER_PARTNER((size_t)k);
    size_t n = strlen(op);
    if ((n == 5 || n == 6) && strspn(op, "0123456789") == n) {
        uint16_t o;
        uint8_t r;
        trie_lookup(&p->imsi, op, &o, &r);
        return o;
    }
    ssgw_cfg_suggest sg = {NULL, 0};
    for (size_t i = 0; i < p->n_partners; i++)
        if (p->partners[i].name) ssgw_cfg_suggest_try(&sg, op, p->partners[i].name);
    if (sg.best) {
        char d[160];
        *rc = policy_import_warn(c->p, c->ec, c->file, line,
                                 "operator \"%s\" is no partner%s: the number is taken as served "
                                 "by a network that is no partner",
                                 op, ssgw_cfg_suggest_text(&sg, d, sizeof d));
    }
    return OWNER_NONE;
}

static int on_ported(void *vctx, int line, uint64_t lo, uint64_t hi, const char *op)
{
    ported_ctx *c = vctx;
    ported_table *t = &c->p->ported;
    int rc = 0;
    uint16_t owner = operator_owner(c, line, op, &rc);
    if (rc < 0) return -1;
    if (t->n == t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 256;
        ported_range *nv = realloc(t->v, nc * sizeof *nv);
        if (!nv) return -1;
        t->v = nv;
        t->cap = nc;
    }
    t->v[t->n++] = (ported_range){lo, hi, owner, c->file_index, (uint32_t)line};
    if (line != c->last_line) {
        c->last_line = line;
        c->p->ported_rows[owner == OWNER_HOME ? 0 : owner == OWNER_NONE ? 2 : 1]++;
    }
    return 0;
}

static int on_ported_problem(void *vctx, int line, const char *msg)
{
    ported_ctx *c = vctx;
    return policy_import_warn(c->p, c->ec, c->file, line, "%s", msg);
}

static int range_cmp(const void *a, const void *b)
{
    const ported_range *x = a, *y = b;
    if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
    if (x->file != y->file) return x->file < y->file ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Earlier in the files: the first claim of a number keeps it. */
static int earlier(const ported_range *a, const ported_range *b)
{
    return a->file < b->file || (a->file == b->file && a->line < b->line);
}

int policy_import_ported(ssgw_policy *p, ssgw_config_diag *ec)
{
    for (size_t i = 0; i < p->imp_ported.n; i++) {
        const char *file;
        char *text;
        size_t len;
        int got = open_import(p, ec, p->imp_ported.v[i], &file, &text, &len);
        if (got < 0) return -1;
        if (!got) continue;
        ported_ctx c = {p, ec, file, (uint16_t)(p->n_imp_files - 1), 0};
        import_sink s = {&c, NULL, on_ported, on_ported_problem};
        int rc = import_ported_csv(text, len, &s);
        free(text);
        if (rc < 0) return -1;
    }
    ported_table *t = &p->ported;
    if (t->n) qsort(t->v, t->n, sizeof *t->v, range_cmp); /* t->v is NULL when empty */
    /* no two rows may cover one number: the earlier row keeps it */
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (k && t->v[i].lo <= t->v[k - 1].hi) {
            ported_range *kept = &t->v[k - 1], *cur = &t->v[i];
            const ported_range *loser = earlier(cur, kept) ? kept : cur;
            const ported_range *winner = loser == kept ? cur : kept;
            char a[16], b[16];
            ssgw_store_unpack_digits(loser->lo, a, sizeof a);
            ssgw_store_unpack_digits(loser->hi, b, sizeof b);
            if (policy_import_warn(p, ec, p->imp_files[loser->file], (int)loser->line,
                                   "numbers %s%s%s overlap the row at %s:%u, which keeps them: "
                                   "this row is skipped",
                                   a, strcmp(a, b) ? "-" : "", strcmp(a, b) ? b : "",
                                   p->imp_files[winner->file], winner->line) < 0)
                return -1;
            if (loser == kept) *kept = *cur;
            continue;
        }
        t->v[k++] = t->v[i];
    }
    t->n = k;
    return 0;
}

/* ---- the report ----------------------------------------------------------------------- */

size_t ssgw_policy_import_warning_count(const ssgw_policy *p)
{
    return p->n_warnings;
}

const char *ssgw_policy_import_warning_at(const ssgw_policy *p, size_t i)
{
    return i < p->n_warnings ? p->warnings[i] : NULL;
}

void ssgw_policy_print_import_report(const ssgw_policy *p, FILE *out)
{
    if (!p->imp_partners.n && !p->imp_ported.n) return;
    const size_t *o = p->ported_rows;
    fprintf(out,
            "import: %zu partners from %zu file(s) merged with %zu written by hand; %zu ported "
            "numbers rows from %zu file(s) (%zu to us, %zu to partners, %zu to other networks); "
            "%zu warning%s\n",
            p->n_imported, p->imp_partners.n, p->n_hand, o[0] + o[1] + o[2], p->imp_ported.n, o[0],
            o[1], o[2], p->n_warnings, p->n_warnings == 1 ? "" : "s");
    for (size_t i = 0; i < p->n_warnings; i++)
        fprintf(out, "  %s\n", p->warnings[i]);
}
