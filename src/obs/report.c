/*
 * report.c - the report's accumulator and its text summary (include/ssgw/report.h).
 *
 * Every message with a verdict counts in the verdicts over time (bins of the
 * message's own time, merged pairwise when the span outgrows SSGW_REPORT_BINS),
 * per category, per check (the firewall's and the trust check's alike: a trust
 * drop is a verdict "drop" with check trust.<outcome>), per partner owning the
 * calling GT (inbound), and, when blocked, per calling GT and operation and in
 * the table of blocked messages. Labelled messages (ssgw analyze --labels) are
 * scored whether or not the firewall ran.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "obs/report_int.h"
#include "ssgw/map.h"
#include "util/text.h"

ssgw_report *ssgw_report_new(size_t max_rows)
{
    ssgw_report *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->width_ms = 1;
    r->gts = calloc(GT_SLOTS, sizeof *r->gts);
    r->max_rows = max_rows;
    r->rows = calloc(max_rows ? max_rows : 1, sizeof *r->rows);
    if (!r->gts || !r->rows) {
        ssgw_report_free(r);
        return NULL;
    }
    ssgw_text_copy(r->partners[0].name, NAME_CAP, "unknown");
    r->npartners = 1;
    return r;
}

void ssgw_report_free(ssgw_report *r)
{
    if (!r) return;
    free(r->gts);
    free(r->rows);
    free(r);
}

bool rep_blocked(ssgw_action a)
{
    return a != SSGW_ACT_ALLOW && a != SSGW_ACT_ALERT;
}

/* Whether check begins with prefix (a literal: its length known to the compiler). */
#define HAS_PREFIX(check, prefix) (!strncmp((check), prefix, sizeof prefix - 1))

bool rep_is_spoof(const char *check)
{
    if (!check) return false;
    if (check[0] == 's') return HAS_PREFIX(check, "spoof.");
    return check[0] == 't' && !strcmp(check, "trust.gt_not_authorised");
}

bool ssgw_report_objected(const ssgw_pipeline_result *res)
{
    return res->action == SSGW_PL_DROP || res->action == SSGW_PL_ANSWER || res->alert ||
           (res->has_verdict && res->verdict.action != SSGW_ACT_ALLOW);
}

static void add_time(ssgw_report *r, uint64_t t, ssgw_action a)
{
    if (!r->have_t0) {
        r->have_t0 = true;
        r->t0_ms = r->first_ms = r->last_ms = t;
    }
    if (t < r->first_ms) r->first_ms = t;
    if (t > r->last_ms) r->last_ms = t;
    if (t < r->t0_ms) t = r->t0_ms; /* a little out of order (inspection threads) */
    uint64_t b = (t - r->t0_ms) / r->width_ms;
    while (b >= SSGW_REPORT_BINS) {
        /* merge pairs: twice as wide */
        for (size_t i = 0; i < SSGW_REPORT_BINS / 2; i++)
            for (int k = 0; k < SSGW_ACT_COUNT; k++)
                r->bins[i][k] = r->bins[2 * i][k] + r->bins[2 * i + 1][k];
        memset(r->bins[SSGW_REPORT_BINS / 2], 0, sizeof r->bins / 2);
        r->width_ms *= 2;
        r->nbins = (r->nbins + 1) / 2;
        b = (t - r->t0_ms) / r->width_ms;
    }
    r->bins[b][a]++;
    if (b + 1 > r->nbins) r->nbins = (size_t)b + 1;
}

/* Counts name in a fixed table of counts; what does not fit goes to *other. */
static rep_count *count_name(rep_count *t, size_t *n, size_t cap, uint64_t *other, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(t[i].name, name)) {
            t[i].n++;
            return &t[i];
        }
    if (*n == cap) {
        (*other)++;
        return NULL;
    }
    ssgw_text_copy(t[*n].name, NAME_CAP, name);
    t[*n].n = 1;
    return &t[(*n)++];
}

static int partner_index(ssgw_report *r, const char *name)
{
    if (!name || !name[0]) return 0;
    for (size_t i = 1; i < r->npartners; i++)
        if (!strcmp(r->partners[i].name, name)) return (int)i;
    if (r->npartners == PARTNERS_MAX) return -1;
    ssgw_text_copy(r->partners[r->npartners].name, NAME_CAP, name);
    return (int)r->npartners++;
}

static rep_gt *gt_entry(ssgw_report *r, const char *gt)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = gt; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (size_t i = 0; i < GT_SLOTS; i++) {
        rep_gt *g = &r->gts[(h + i) % GT_SLOTS];
        if (!g->gt[0]) {
            if (r->ngts >= GT_SLOTS * 3 / 4) return NULL;
            ssgw_text_copy(g->gt, sizeof g->gt, gt);
            r->ngts++;
            return g;
        }
        if (!strcmp(g->gt, gt)) return g;
    }
    return NULL;
}

static void score(ssgw_report *r, const ssgw_report_msg *m)
{
    if (!m->label) {
        r->unlabelled++;
        return;
    }
    r->labelled = true;
    bool caught = ssgw_report_objected(m->res);
    if (strcmp(m->label, "attack") != 0) {
        r->legit++;
        r->legit_blocked += caught;
        return;
    }
    r->attacks++;
    r->attacks_caught += caught;
    const char *name = m->attack && m->attack[0] ? m->attack : "(unnamed)";
    rep_attack *a = NULL;
    for (size_t i = 0; i < r->natt && !a; i++)
        if (!strcmp(r->att[i].name, name)) a = &r->att[i];
    if (!a && r->natt < ATTACKS_MAX) {
        a = &r->att[r->natt++];
        ssgw_text_copy(a->name, NAME_CAP, name);
        ssgw_text_copy(a->expect, NAME_CAP, m->expect ? m->expect : "");
    }
    if (!a) return;
    a->n++;
    if (!caught) return;
    a->caught++;
    const char *check = m->res->has_verdict ? m->res->verdict.check
                        : m->res->reason    ? m->res->reason
                                            : "alert";
    size_t nf = 0;
    while (nf < 4 && a->fired[nf].name[0])
        nf++;
    uint64_t dummy = 0;
    rep_count *c = count_name(a->fired, &nf, 4, &dummy, check);
    /* keep the most frequent first */
    while (c && c > a->fired && c->n > c[-1].n) {
        rep_count t = c[-1];
        c[-1] = *c;
        *c = t;
        c--;
    }
}

void ssgw_report_add(ssgw_report *r, const ssgw_report_msg *m)
{
    const ssgw_pipeline_result *res = m->res;
    score(r, m);
    if (!res->has_verdict) return;
    const ssgw_verdict *vd = &res->verdict;
    const ssgw_view *v = res->view;
    r->messages++;
    r->by_action[vd->action]++;
    add_time(r, m->time_ms, vd->action);
    r->cat[vd->category][vd->action]++;
    bool spoof = rep_is_spoof(vd->check) ||
                 (res->trust_checked && res->trust == SSGW_TRUST_GT_NOT_AUTHORISED);
    if (vd->action != SSGW_ACT_ALLOW && vd->check)
        count_name(r->checks, &r->nchecks, CHECKS_MAX, &r->check_other, vd->check);
    if (res->trust_checked) {
        r->trust_checked++;
        r->trust[res->trust]++;
    }
    int pi = -1;
    if (res->direction == SSGW_DIR_INBOUND) {
        pi = partner_index(r, res->partner);
        if (pi < 0) {
            r->partner_other++;
        } else {
            rep_partner *pa = &r->partners[pi];
            pa->messages++;
            pa->by_action[vd->action]++;
            pa->spoofed += spoof;
            if (!res->trust_checked)
                pa->not_verified++;
            else if (res->trust == SSGW_TRUST_OK)
                pa->trust_ok++;
            else
                pa->trust_failed++;
        }
    }
    if (!rep_blocked(vd->action)) return;
    r->spoofed += spoof;
    r->trust_dropped += vd->check && vd->check[0] == 't' && HAS_PREFIX(vd->check, "trust.");
    /* the operations chart names MAP operations: other TCAP users' codes mean other things */
    if (v && v->has_tcap && v->tcap_user == SSGW_TCU_MAP && vd->opcode >= 0 && vd->opcode < 128)
        r->op_blocked[vd->opcode]++;
    const char *calling =
        v->has_sccp && v->sccp.calling.digits[0] ? v->sccp.calling.digits : "(no GT)";
    rep_gt *g = gt_entry(r, calling);
    if (!g) {
        r->gt_other++;
    } else {
        if (!g->blocked++) {
            g->partner = res->direction != SSGW_DIR_INBOUND ? -2 : pi; /* -1: beyond the table */
            ssgw_text_copy(g->check, sizeof g->check, vd->check ? vd->check : "");
        }
        if (spoof) {
            g->spoofed++;
            if (!g->spoof[0]) ssgw_text_copy(g->spoof, sizeof g->spoof, vd->check);
        }
    }
    if (r->nrows >= r->max_rows) {
        r->rows_dropped++;
        return;
    }
    rep_row *w = &r->rows[r->nrows++];
    w->frame = m->frame;
    w->t_ms = m->time_ms;
    w->spoof = spoof;
    ssgw_text_copy(w->partner, sizeof w->partner,
                   res->direction != SSGW_DIR_INBOUND ? ""
                   : pi >= 0                          ? r->partners[pi].name
                                                      : "other");
    ssgw_text_copy(w->calling, sizeof w->calling, calling);
    ssgw_text_copy(w->called, sizeof w->called,
                   v->has_sccp && v->sccp.called.digits[0] ? v->sccp.called.digits : "");
    const char *on = vd->opcode >= 0 ? ssgw_view_op_name(v, vd->opcode) : NULL;
    if (on)
        ssgw_text_copy(w->op, sizeof w->op, on);
    else if (vd->opcode >= 0)
        snprintf(w->op, sizeof w->op, "op %d", vd->opcode);
    else
        ssgw_text_copy(w->op, sizeof w->op,
                       v->has_tcap ? ssgw_tcap_msg_type_name(v->tcap.type) : "-");
    ssgw_text_copy(w->check, sizeof w->check, vd->check ? vd->check : "");
    ssgw_text_copy(w->action, sizeof w->action, ssgw_action_name(vd->action));
    ssgw_text_copy(w->reason, sizeof w->reason, vd->reason);
}

const char *rep_gt_partner(const ssgw_report *r, const rep_gt *g)
{
    return g->partner >= 0 ? r->partners[g->partner].name : g->partner == -2 ? "outbound" : "other";
}

size_t rep_top_gts(const ssgw_report *r, size_t *idx, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < GT_SLOTS; i++) {
        if (!r->gts[i].gt[0] || !r->gts[i].blocked) continue;
        size_t pos = k < n ? k++ : n;
        if (pos == n) {
            if (r->gts[i].blocked <= r->gts[idx[n - 1]].blocked) continue;
            pos = n - 1;
        }
        idx[pos] = i;
        while (pos > 0 && r->gts[idx[pos]].blocked > r->gts[idx[pos - 1]].blocked) {
            size_t t = idx[pos];
            idx[pos] = idx[pos - 1];
            idx[pos - 1] = t;
            pos--;
        }
    }
    return k;
}

size_t rep_top_ops(const ssgw_report *r, int *idx, size_t n)
{
    size_t k = 0;
    for (int op = 0; op < 128; op++) {
        if (!r->op_blocked[op]) continue;
        size_t pos = k < n ? k++ : n;
        if (pos == n) {
            if (r->op_blocked[op] <= r->op_blocked[idx[n - 1]]) continue;
            pos = n - 1;
        }
        idx[pos] = op;
        while (pos > 0 && r->op_blocked[idx[pos]] > r->op_blocked[idx[pos - 1]]) {
            int t = idx[pos];
            idx[pos] = idx[pos - 1];
            idx[pos - 1] = t;
            pos--;
        }
    }
    return k;
}

void rep_sorted_checks(const ssgw_report *r, size_t *idx)
{
    for (size_t i = 0; i < r->nchecks; i++) {
        size_t j = i;
        while (j > 0 && r->checks[i].n > r->checks[idx[j - 1]].n) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
}

/* ---- the text summary ------------------------------------------------------------ */

static void print_score(const ssgw_report *r, FILE *out)
{
    if (!r->labelled) return;
    fprintf(out, "\nscore against the labels:\n");
    fprintf(out, "  attacks caught       %10" PRIu64 " of %" PRIu64 "\n", r->attacks_caught,
            r->attacks);
    fprintf(out, "  attacks missed       %10" PRIu64 "\n", r->attacks - r->attacks_caught);
    fprintf(out, "  legitimate blocked   %10" PRIu64 " of %" PRIu64 " (false positives)\n",
            r->legit_blocked, r->legit);
    if (r->unlabelled) fprintf(out, "  without a label      %10" PRIu64 "\n", r->unlabelled);
    for (size_t i = 0; i < r->natt; i++)
        if (r->att[i].caught < r->att[i].n)
            fprintf(out, "  missed: %-28s %" PRIu64 " of %" PRIu64 " (expected %s)\n",
                    r->att[i].name, r->att[i].n - r->att[i].caught, r->att[i].n,
                    r->att[i].expect[0] ? r->att[i].expect : "-");
}

void ssgw_report_print_summary(const ssgw_report *r, const ssgw_firewall *in, FILE *out)
{
    const ssgw_firewall_stats *st = ssgw_firewall_get_stats(in);
    fprintf(out, "messages inspected: %" PRIu64 "\n", r->messages);
    fprintf(out, "\nverdicts:\n");
    for (int a = 0; a < SSGW_ACT_COUNT; a++)
        fprintf(out, "  %-12s %10" PRIu64 "\n", ssgw_action_name((ssgw_action)a), r->by_action[a]);
    fprintf(out, "  forwarded    %10" PRIu64 "\n  not forwarded%10" PRIu64 "\n", st->passed,
            st->blocked);
    fprintf(out, "\nby check:\n");
    size_t idx[CHECKS_MAX];
    rep_sorted_checks(r, idx);
    for (size_t i = 0; i < r->nchecks; i++)
        fprintf(out, "  %-26s %10" PRIu64 "\n", r->checks[idx[i]].name, r->checks[idx[i]].n);
    fprintf(out, "\nby category (allowed / not allowed):\n");
    for (int c = 0; c < SSGW_CAT_COUNT; c++) {
        uint64_t ok = r->cat[c][SSGW_ACT_ALLOW] + r->cat[c][SSGW_ACT_ALERT], all = 0;
        for (int a = 0; a < SSGW_ACT_COUNT; a++)
            all += r->cat[c][a];
        if (all)
            fprintf(out, "  %-8s %10" PRIu64 " / %" PRIu64 "\n",
                    ssgw_category_name((ssgw_category)c), ok, all - ok);
    }
    fprintf(out, "\ninbound by partner (messages, blocked, spoofing):\n");
    for (size_t i = 0; i < r->npartners; i++) {
        const rep_partner *p = &r->partners[i];
        if (!p->messages) continue;
        uint64_t bl = 0;
        for (int a = 0; a < SSGW_ACT_COUNT; a++)
            bl += rep_blocked((ssgw_action)a) ? p->by_action[a] : 0;
        fprintf(out, "  %-26s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 "\n", p->name, p->messages,
                bl, p->spoofed);
    }
    size_t gi[10];
    size_t n = rep_top_gts(r, gi, 10);
    if (n) {
        fprintf(out, "\ntop calling GTs blocked:\n");
        for (size_t i = 0; i < n; i++) {
            const rep_gt *g = &r->gts[gi[i]];
            fprintf(out, "  %-20s %-20s %10" PRIu64 "%s%s\n", g->gt, rep_gt_partner(r, g),
                    g->blocked, g->spoofed ? "  spoofing: " : "", g->spoofed ? g->spoof : "");
        }
    }
    int ops[10];
    n = rep_top_ops(r, ops, 10);
    if (n) {
        fprintf(out, "\ntop operations blocked:\n");
        for (size_t i = 0; i < n; i++)
            fprintf(out, "  %-34s %10" PRIu64 "\n", ssgw_map_op_name(ops[i]),
                    r->op_blocked[ops[i]]);
    }
    print_score(r, out);
}
