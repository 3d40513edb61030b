/*
 * report_html.c - the analyzer's summary and its HTML report (report.h).
 *
 * The HTML page is one file a person can mail or open offline: inline CSS,
 * inline SVG charts drawn here (stacked bars of verdicts over time, top
 * offending calling GTs, operations by category and verdict, checks that
 * fired) and a table of the first blocked messages. Every string that comes
 * from a message is HTML-escaped.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/map.h"
#include "ssgw/report.h"

#define GT_SLOTS 4096

typedef struct {
    char gt[SSGW_DIGITS_MAX + 1];
    uint64_t blocked;
} gt_count;

typedef struct {
    uint64_t frame;
    double t;
    char calling[SSGW_DIGITS_MAX + 1], called[SSGW_DIGITS_MAX + 1], op[40], check[48], action[12];
    char reason[SSGW_REASON_CAP];
} row;

struct ssgw_report {
    uint64_t messages, by_action[SSGW_ACT_COUNT];
    /* time bins */
    bool have_t0;
    double t0, width;
    uint64_t bins[SSGW_REPORT_BINS][SSGW_ACT_COUNT];
    size_t nbins;
    /* categories x verdict */
    uint64_t cat[SSGW_CAT_COUNT][SSGW_ACT_COUNT];
    uint64_t op_blocked[128];
    gt_count *gts;
    size_t ngts;
    uint64_t gt_other;
    row *rows;
    size_t nrows, max_rows;
    uint64_t rows_dropped;
};

ssgw_report *ssgw_report_new(size_t max_rows)
{
    ssgw_report *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->width = 1.0;
    r->gts = calloc(GT_SLOTS, sizeof *r->gts);
    r->max_rows = max_rows;
    r->rows = calloc(max_rows ? max_rows : 1, sizeof *r->rows);
    if (!r->gts || !r->rows) {
        ssgw_report_free(r);
        return NULL;
    }
    return r;
}

void ssgw_report_free(ssgw_report *r)
{
    if (!r) return;
    free(r->gts);
    free(r->rows);
    free(r);
}

static bool blocked(ssgw_action a)
{
    return a != SSGW_ACT_ALLOW && a != SSGW_ACT_ALERT;
}

static void add_time(ssgw_report *r, double t, ssgw_action a)
{
    if (!r->have_t0) {
        r->have_t0 = true;
        r->t0 = t;
    }
    if (t < r->t0) t = r->t0;
    size_t b = (size_t)((t - r->t0) / r->width);
    while (b >= SSGW_REPORT_BINS) {
        /* merge pairs: twice as wide */
        for (size_t i = 0; i < SSGW_REPORT_BINS / 2; i++)
            for (int k = 0; k < SSGW_ACT_COUNT; k++)
                r->bins[i][k] = r->bins[2 * i][k] + r->bins[2 * i + 1][k];
        memset(r->bins[SSGW_REPORT_BINS / 2], 0, sizeof r->bins / 2);
        r->width *= 2;
        b = (size_t)((t - r->t0) / r->width);
    }
    r->bins[b][a]++;
    if (b + 1 > r->nbins) r->nbins = b + 1;
}

static void add_gt(ssgw_report *r, const char *gt)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = gt; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (size_t i = 0; i < GT_SLOTS; i++) {
        gt_count *g = &r->gts[(h + i) % GT_SLOTS];
        if (!g->gt[0]) {
            if (r->ngts >= GT_SLOTS * 3 / 4) {
                r->gt_other++;
                return;
            }
            snprintf(g->gt, sizeof g->gt, "%s", gt);
            r->ngts++;
        }
        if (!strcmp(g->gt, gt)) {
            g->blocked++;
            return;
        }
    }
    r->gt_other++;
}

void ssgw_report_add(ssgw_report *r, const ssgw_capture_msg *cm, const ssgw_view *v,
                     const ssgw_verdict *vd)
{
    r->messages++;
    r->by_action[vd->action]++;
    double t = cm ? (double)cm->ts_sec + cm->ts_usec / 1e6 : (double)r->messages;
    add_time(r, t, vd->action);
    r->cat[vd->category][vd->action]++;
    if (!blocked(vd->action)) return;
    if (vd->opcode >= 0 && vd->opcode < 128) r->op_blocked[vd->opcode]++;
    const char *calling =
        v->has_sccp && v->sccp.calling.digits[0] ? v->sccp.calling.digits : "(no GT)";
    add_gt(r, calling);
    if (r->nrows >= r->max_rows) {
        r->rows_dropped++;
        return;
    }
    row *w = &r->rows[r->nrows++];
    w->frame = cm ? cm->frame : r->messages;
    w->t = t;
    snprintf(w->calling, sizeof w->calling, "%s", calling);
    snprintf(w->called, sizeof w->called, "%s",
             v->has_sccp && v->sccp.called.digits[0] ? v->sccp.called.digits : "");
    const char *on = vd->opcode >= 0 ? ssgw_view_op_name(v, vd->opcode) : NULL;
    if (on)
        snprintf(w->op, sizeof w->op, "%s", on);
    else if (vd->opcode >= 0)
        snprintf(w->op, sizeof w->op, "op %d", vd->opcode);
    else
        snprintf(w->op, sizeof w->op, "%s",
                 v->has_tcap ? ssgw_tcap_msg_type_name(v->tcap.type) : "-");
    snprintf(w->check, sizeof w->check, "%s", vd->check);
    snprintf(w->action, sizeof w->action, "%s", ssgw_action_name(vd->action));
    snprintf(w->reason, sizeof w->reason, "%s", vd->reason);
}

/* Indices of the top n entries of a count array (descending), returns how many. */
static size_t top_gts(const ssgw_report *r, size_t *idx, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < GT_SLOTS; i++) {
        if (!r->gts[i].gt[0]) continue;
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

static size_t top_ops(const ssgw_report *r, int *idx, size_t n)
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
    for (size_t i = 0; i < ssgw_firewall_decider_count(in); i++) {
        uint64_t n = ssgw_firewall_decider_hits(in, i);
        if (n) fprintf(out, "  %-26s %10" PRIu64 "\n", ssgw_firewall_decider_name(in, i), n);
    }
    fprintf(out, "\nby category (allowed / not allowed):\n");
    for (int c = 0; c < SSGW_CAT_COUNT; c++) {
        uint64_t ok = r->cat[c][SSGW_ACT_ALLOW] + r->cat[c][SSGW_ACT_ALERT], all = 0;
        for (int a = 0; a < SSGW_ACT_COUNT; a++)
            all += r->cat[c][a];
        if (all)
            fprintf(out, "  %-8s %10" PRIu64 " / %" PRIu64 "\n",
                    ssgw_category_name((ssgw_category)c), ok, all - ok);
    }
    size_t idx[10];
    size_t n = top_gts(r, idx, 10);
    if (n) {
        fprintf(out, "\ntop calling GTs blocked:\n");
        for (size_t i = 0; i < n; i++)
            fprintf(out, "  %-20s %10" PRIu64 "\n", r->gts[idx[i]].gt, r->gts[idx[i]].blocked);
    }
    int ops[10];
    n = top_ops(r, ops, 10);
    if (n) {
        fprintf(out, "\ntop operations blocked:\n");
        for (size_t i = 0; i < n; i++)
            fprintf(out, "  %-34s %10" PRIu64 "\n", ssgw_map_op_name(ops[i]),
                    r->op_blocked[ops[i]]);
    }
}

/* ---- HTML ----------------------------------------------------------------------- */

static void esc(FILE *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", o);
            break;
        case '>':
            fputs("&gt;", o);
            break;
        case '&':
            fputs("&amp;", o);
            break;
        case '"':
            fputs("&quot;", o);
            break;
        case '\'':
            fputs("&#39;", o);
            break;
        default:
            if ((unsigned char)*s < 0x20)
                fputc(' ', o);
            else
                fputc(*s, o);
        }
    }
}

static const char *const colors[SSGW_ACT_COUNT] = {"#4caf7a", "#d9534f", "#e8903c", "#5b8def",
                                                   "#9b59b6"};

static void legend(FILE *o)
{
    fputs("<div class=legend>", o);
    for (int a = 0; a < SSGW_ACT_COUNT; a++)
        fprintf(o, "<span><i style='background:%s'></i>%s</span>", colors[a],
                ssgw_action_name((ssgw_action)a));
    fputs("</div>\n", o);
}

static void chart_time(FILE *o, const ssgw_report *r)
{
    const int W = 900, H = 220, L = 50, B = 30;
    uint64_t max = 1;
    for (size_t i = 0; i < r->nbins; i++) {
        uint64_t s = 0;
        for (int a = 0; a < SSGW_ACT_COUNT; a++)
            s += r->bins[i][a];
        if (s > max) max = s;
    }
    size_t nb = r->nbins ? r->nbins : 1;
    double bw = (double)(W - L - 10) / (double)nb;
    fprintf(o, "<svg viewBox='0 0 %d %d' width='100%%' role=img aria-label='verdicts over time'>",
            W, H);
    fprintf(o, "<line x1=%d y1=%d x2=%d y2=%d stroke='#999'/>", L, H - B, W - 10, H - B);
    fprintf(o, "<text x=%d y=14 class=ax>%" PRIu64 "</text><text x=%d y=%d class=ax>0</text>", 2,
            max, 2, H - B);
    for (size_t i = 0; i < r->nbins; i++) {
        double y = H - B;
        for (int a = 0; a < SSGW_ACT_COUNT; a++) {
            if (!r->bins[i][a]) continue;
            double h = (double)r->bins[i][a] * (H - B - 20) / (double)max;
            y -= h;
            fprintf(o,
                    "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s: "
                    "%" PRIu64 " (t+%.0fs)</title></rect>",
                    L + bw * (double)i, y, bw > 1.5 ? bw - 0.5 : bw, h, colors[a],
                    ssgw_action_name((ssgw_action)a), r->bins[i][a], r->width * (double)i);
        }
    }
    fprintf(o,
            "<text x=%d y=%d class=ax>start</text><text x=%d y=%d class=ax text-anchor=end>"
            "+%.0f s (bins of %.0f s)</text></svg>\n",
            L, H - 8, W - 10, H - 8, r->width * (double)nb, r->width);
}

static void hbar(FILE *o, const char *const *labels, const uint64_t *vals, size_t n,
                 const char *color)
{
    uint64_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (vals[i] > max) max = vals[i];
    int rowh = 24, W = 900, L = 260;
    fprintf(o, "<svg viewBox='0 0 %d %zu' width='100%%' role=img>", W, n * (size_t)rowh + 4);
    for (size_t i = 0; i < n; i++) {
        double w = (double)vals[i] * (W - L - 90) / (double)max;
        fprintf(o, "<text x=%d y=%zu class=lb text-anchor=end>", L - 8, i * (size_t)rowh + 16);
        esc(o, labels[i]);
        fprintf(o,
                "</text><rect x=%d y=%zu width='%.1f' height=%d fill='%s' rx='3'/>"
                "<text x='%.1f' y=%zu class=lb>%" PRIu64 "</text>",
                L, i * (size_t)rowh + 4, w < 1 ? 1 : w, rowh - 6, color, L + w + 6,
                i * (size_t)rowh + 16, vals[i]);
    }
    fputs("</svg>\n", o);
}

static void chart_categories(FILE *o, const ssgw_report *r)
{
    const int W = 900, H = 240, L = 50, B = 30;
    uint64_t max = 1;
    for (int c = 0; c < SSGW_CAT_COUNT; c++) {
        uint64_t s = 0;
        for (int a = 0; a < SSGW_ACT_COUNT; a++)
            s += r->cat[c][a];
        if (s > max) max = s;
    }
    double bw = (double)(W - L - 10) / SSGW_CAT_COUNT;
    fprintf(o,
            "<svg viewBox='0 0 %d %d' width='100%%' role=img aria-label='operations by "
            "category'>",
            W, H);
    fprintf(o, "<line x1=%d y1=%d x2=%d y2=%d stroke='#999'/>", L, H - B, W - 10, H - B);
    for (int c = 0; c < SSGW_CAT_COUNT; c++) {
        double y = H - B, x = L + bw * c + bw * 0.15;
        uint64_t tot = 0;
        for (int a = 0; a < SSGW_ACT_COUNT; a++) {
            tot += r->cat[c][a];
            if (!r->cat[c][a]) continue;
            double h = (double)r->cat[c][a] * (H - B - 24) / (double)max;
            y -= h;
            fprintf(o,
                    "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s "
                    "%s: %" PRIu64 "</title></rect>",
                    x, y, bw * 0.7, h, colors[a], ssgw_category_name((ssgw_category)c),
                    ssgw_action_name((ssgw_action)a), r->cat[c][a]);
        }
        fprintf(o,
                "<text x='%.1f' y=%d class=lb text-anchor=middle>%s</text>"
                "<text x='%.1f' y='%.1f' class=ax text-anchor=middle>%" PRIu64 "</text>",
                x + bw * 0.35, H - 10, ssgw_category_name((ssgw_category)c), x + bw * 0.35, y - 4,
                tot);
    }
    fputs("</svg>\n", o);
}

int ssgw_report_write_html(const ssgw_report *r, const ssgw_firewall *in, const char *title,
                           FILE *o)
{
    fputs("<!DOCTYPE html>\n<html lang=en><head><meta charset='utf-8'>\n<title>OpenSSGW "
          "analysis: ",
          o);
    esc(o, title);
    fputs("</title>\n<style>\n"
          "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;"
          "max-width:1000px;color:#222;padding:0 1em}\n"
          "h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}\n"
          ".cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #ddd;"
          "border-radius:8px;padding:10px 16px;min-width:110px}.card b{display:block;"
          "font-size:1.5em}\n"
          ".legend span{margin-right:14px;font-size:.9em}.legend i{display:inline-block;"
          "width:11px;height:11px;margin-right:4px;border-radius:2px}\n"
          "svg text.ax{font-size:11px;fill:#666}svg text.lb{font-size:12px;fill:#333}\n"
          "table{border-collapse:collapse;width:100%;font-size:.85em}th,td{border-bottom:1px "
          "solid #eee;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f6f6f6}\n"
          "td.n{font-variant-numeric:tabular-nums}code{font-size:.95em}\n"
          "</style></head><body>\n<h1>OpenSSGW analysis: ",
          o);
    esc(o, title);
    fputs("</h1>\n<div class=cards>", o);
    fprintf(o, "<div class=card>messages<b>%" PRIu64 "</b></div>", r->messages);
    for (int a = 0; a < SSGW_ACT_COUNT; a++)
        fprintf(o, "<div class=card style='border-color:%s'>%s<b>%" PRIu64 "</b></div>", colors[a],
                ssgw_action_name((ssgw_action)a), r->by_action[a]);
    fputs("</div>\n<h2>Verdicts over time</h2>\n", o);
    legend(o);
    chart_time(o, r);

    fputs("<h2>Top offenders (calling GTs of blocked messages)</h2>\n", o);
    size_t idx[12];
    size_t n = top_gts(r, idx, 12);
    if (n) {
        const char *labels[12];
        uint64_t vals[12];
        for (size_t i = 0; i < n; i++) {
            labels[i] = r->gts[idx[i]].gt;
            vals[i] = r->gts[idx[i]].blocked;
        }
        hbar(o, labels, vals, n, colors[SSGW_ACT_DROP]);
    } else {
        fputs("<p>Nothing was blocked.</p>\n", o);
    }

    fputs("<h2>Operations by category</h2>\n", o);
    legend(o);
    chart_categories(o, r);

    int ops[12];
    n = top_ops(r, ops, 12);
    if (n) {
        fputs("<h2>Operations blocked</h2>\n", o);
        const char *labels[12];
        uint64_t vals[12];
        for (size_t i = 0; i < n; i++) {
            labels[i] = ssgw_map_op_name(ops[i]);
            vals[i] = r->op_blocked[ops[i]];
        }
        hbar(o, labels, vals, n, colors[SSGW_ACT_ANSWER]);
    }

    fputs("<h2>Checks that objected</h2>\n", o);
    {
        /* "default" (nothing objected) is left out: it would dwarf the checks that matter. */
        const char *labels[64];
        uint64_t vals[64];
        size_t k = 0;
        for (size_t i = 0; i < ssgw_firewall_decider_count(in) && k < 64; i++) {
            uint64_t h = ssgw_firewall_decider_hits(in, i);
            if (h && strcmp(ssgw_firewall_decider_name(in, i), "default") != 0) {
                labels[k] = ssgw_firewall_decider_name(in, i);
                vals[k++] = h;
            }
        }
        hbar(o, labels, vals, k, colors[SSGW_ACT_ALERT]);
    }

    fprintf(o, "<h2>Blocked messages (first %zu)</h2>\n", r->nrows);
    if (r->rows_dropped) fprintf(o, "<p>%" PRIu64 " more not listed.</p>\n", r->rows_dropped);
    fputs("<table><tr><th>frame</th><th>time (UTC)</th><th>calling GT</th><th>called GT</th>"
          "<th>operation</th><th>verdict</th><th>check</th><th>reason</th></tr>\n",
          o);
    for (size_t i = 0; i < r->nrows; i++) {
        const row *w = &r->rows[i];
        /* Capture time as UTC date and time, with milliseconds. */
        char when[40];
        time_t secs = (time_t)w->t;
        struct tm tmv;
        size_t k =
            gmtime_r(&secs, &tmv) ? strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tmv) : 0;
        if (k)
            snprintf(when + k, sizeof when - k, ".%03d",
                     (int)((w->t - (double)secs) * 1000.0) % 1000);
        else
            snprintf(when, sizeof when, "%.3f", w->t);
        fprintf(o, "<tr><td class=n>%" PRIu64 "</td><td class=n>%s</td><td>", w->frame, when);
        esc(o, w->calling);
        fputs("</td><td>", o);
        esc(o, w->called);
        fputs("</td><td>", o);
        esc(o, w->op);
        fputs("</td><td>", o);
        esc(o, w->action);
        fputs("</td><td><code>", o);
        esc(o, w->check);
        fputs("</code></td><td>", o);
        esc(o, w->reason);
        fputs("</td></tr>\n", o);
    }
    fputs("</table>\n<p style='color:#888;font-size:.8em'>Generated by OpenSSGW "
          "<code>ssgw analyze</code>. Self-contained: no external resources.</p>\n"
          "</body></html>\n",
          o);
    return ferror(o) ? -1 : 0;
}
