/*
 * report_html.c - the HTML report (report.h) from the accumulator of report.c.
 *
 * One file a person can mail or open offline: inline CSS, inline SVG charts
 * drawn here, no script. The time axis is the messages' own time in UTC, with
 * the first and last message named. Sections: cards, the score against the
 * attack labels (when given), verdicts over time, trust outcomes, inbound
 * traffic per partner, top offending calling GTs (partner or "unknown",
 * spoofing called out), operations by category, operations blocked, checks
 * that objected (trust drops included), the first blocked messages. Tables and
 * charts carry ids and data- attributes with the numbers, so that a test (or a
 * script) can read them back. Every string from a message is HTML-escaped.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "obs/report_int.h"
#include "ssgw/map.h"
#include "ssgw/timefmt.h"

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

/* "1.5 s", "12 min", "3.2 h", "2.0 d" */
static void duration(char *b, size_t cap, uint64_t ms)
{
    double s = (double)ms / 1000.0;
    if (s < 1)
        snprintf(b, cap, "%" PRIu64 " ms", ms);
    else if (s < 120)
        snprintf(b, cap, "%.3g s", s);
    else if (s < 7200)
        snprintf(b, cap, "%.3g min", s / 60);
    else if (s < 172800)
        snprintf(b, cap, "%.3g h", s / 3600);
    else
        snprintf(b, cap, "%.3g d", s / 86400);
}

/* A tick label: the time of day (with ms when the span is short), the date when long. */
static void tick_label(char *b, size_t cap, uint64_t ms, uint64_t span_ms)
{
    char ts[SSGW_TIME_RFC3339_CAP];
    ssgw_time_rfc3339(ms, ts, sizeof ts); /* YYYY-MM-DDTHH:MM:SS.mmmZ */
    if (span_ms >= 2 * 86400000ull)
        snprintf(b, cap, "%.10s %.5s", ts, ts + 11);
    else if (span_ms >= 60000)
        snprintf(b, cap, "%.8s", ts + 11);
    else
        snprintf(b, cap, "%.12s", ts + 11);
}

static void chart_time(FILE *o, const ssgw_report *r)
{
    const int W = 900, H = 240, L = 50, R = 10, B = 44;
    uint64_t max = 1;
    for (size_t i = 0; i < r->nbins; i++) {
        uint64_t s = 0;
        for (int a = 0; a < SSGW_ACT_COUNT; a++)
            s += r->bins[i][a];
        if (s > max) max = s;
    }
    size_t nb = r->nbins ? r->nbins : 1;
    uint64_t span = (uint64_t)nb * r->width_ms; /* the axis: t0 .. end of the last bin */
    double pw = (double)(W - L - R), bw = pw / (double)nb;
    char first[SSGW_TIME_RFC3339_CAP], last[SSGW_TIME_RFC3339_CAP], d[32], w[32];
    ssgw_time_rfc3339(r->first_ms, first, sizeof first);
    ssgw_time_rfc3339(r->last_ms, last, sizeof last);
    duration(d, sizeof d, r->last_ms - r->first_ms);
    duration(w, sizeof w, r->width_ms);
    fprintf(o,
            "<p class=span>%" PRIu64 " messages from <time id=first datetime='%s'>%s</time> to "
            "<time id=last datetime='%s'>%s</time> (UTC), %s; bars of %s.</p>\n",
            r->messages, first, first, last, last, d, w);
    fprintf(o,
            "<svg id=timeline viewBox='0 0 %d %d' width='100%%' role=img aria-label='verdicts "
            "over time' data-t0-ms='%" PRIu64 "' data-bin-ms='%" PRIu64 "' data-bins='%zu' "
            "data-first-ms='%" PRIu64 "' data-last-ms='%" PRIu64 "'>",
            W, H, r->t0_ms, r->width_ms, r->nbins, r->first_ms, r->last_ms);
    fprintf(o, "<line x1=%d y1=%d x2=%d y2=%d stroke='#999'/>", L, H - B, W - R, H - B);
    fprintf(o, "<text x=%d y=14 class=ax>%" PRIu64 "</text><text x=%d y=%d class=ax>0</text>", 2,
            max, 2, H - B);
    for (size_t i = 0; i < r->nbins; i++) {
        double y = H - B;
        char ts[SSGW_TIME_RFC3339_CAP];
        ssgw_time_rfc3339(r->t0_ms + i * r->width_ms, ts, sizeof ts);
        for (int a = 0; a < SSGW_ACT_COUNT; a++) {
            if (!r->bins[i][a]) continue;
            double h = (double)r->bins[i][a] * (H - B - 20) / (double)max;
            y -= h;
            fprintf(o,
                    "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s' data-bin=%zu "
                    "data-verdict='%s' data-n=%" PRIu64 "><title>%s: %" PRIu64 " from %s</title>"
                    "</rect>",
                    L + bw * (double)i, y, bw > 1.5 ? bw - 0.5 : bw, h, colors[a], i,
                    ssgw_action_name((ssgw_action)a), r->bins[i][a],
                    ssgw_action_name((ssgw_action)a), r->bins[i][a], ts);
        }
    }
    /* five ticks over the axis, labelled with their UTC time */
    for (int k = 0; k <= 4; k++) {
        uint64_t t = r->t0_ms + span * (uint64_t)k / 4;
        double x = L + pw * k / 4.0;
        char lb[40];
        tick_label(lb, sizeof lb, t, span);
        fprintf(o,
                "<line x1='%.1f' y1=%d x2='%.1f' y2=%d stroke='#999'/><text x='%.1f' y=%d "
                "class='ax tick' text-anchor=%s data-ms='%" PRIu64 "'>%s</text>",
                x, H - B, x, H - B + 5, x, H - B + 18,
                k == 0   ? "start"
                : k == 4 ? "end"
                         : "middle",
                t, lb);
    }
    fprintf(o, "<text x=%d y=%d class=ax>time (UTC)</text></svg>\n", L, H - 8);
}

static void hbar(FILE *o, const char *id, const char *const *labels, const char *const *notes,
                 const uint64_t *vals, size_t n, const char *color)
{
    uint64_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (vals[i] > max) max = vals[i];
    int rowh = 24, W = 900, L = 260;
    fprintf(o, "<svg id=%s viewBox='0 0 %d %zu' width='100%%' role=img>", id, W,
            n * (size_t)rowh + 4);
    for (size_t i = 0; i < n; i++) {
        double w = (double)vals[i] * (W - L - 240) / (double)max;
        fprintf(o, "<text x=%d y=%zu class=lb text-anchor=end>", L - 8, i * (size_t)rowh + 16);
        esc(o, labels[i]);
        fprintf(o,
                "</text><rect x=%d y=%zu width='%.1f' height=%d fill='%s' rx='3'/>"
                "<text x='%.1f' y=%zu class=lb>%" PRIu64,
                L, i * (size_t)rowh + 4, w < 1 ? 1 : w, rowh - 6, color, L + w + 6,
                i * (size_t)rowh + 16, vals[i]);
        if (notes && notes[i] && notes[i][0]) {
            fputs(" — ", o);
            esc(o, notes[i]);
        }
        fputs("</text>", o);
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
            "<svg id=categories viewBox='0 0 %d %d' width='100%%' role=img aria-label='operations "
            "by category'>",
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

static void pct(FILE *o, uint64_t n, uint64_t of)
{
    if (of) fprintf(o, " (%.1f%%)", 100.0 * (double)n / (double)of);
}

static void section_score(FILE *o, const ssgw_report *r)
{
    if (!r->labelled) return;
    uint64_t missed = r->attacks - r->attacks_caught;
    fprintf(o,
            "<h2>Score against the attack labels</h2>\n<div id=score class=cards "
            "data-attacks=%" PRIu64 " data-caught=%" PRIu64 " data-missed=%" PRIu64
            " data-legit=%" PRIu64 " data-false-positives=%" PRIu64 " data-unlabelled=%" PRIu64 ">",
            r->attacks, r->attacks_caught, missed, r->legit, r->legit_blocked, r->unlabelled);
    fprintf(o, "<div class='card good'>attacks caught<b>%" PRIu64 " / %" PRIu64 "</b>",
            r->attacks_caught, r->attacks);
    pct(o, r->attacks_caught, r->attacks);
    fprintf(o, "</div><div class='card%s'>attacks missed<b>%" PRIu64 "</b></div>",
            missed ? " bad" : "", missed);
    fprintf(o,
            "<div class='card%s'>legitimate blocked (false positives)<b>%" PRIu64 " / %" PRIu64
            "</b>",
            r->legit_blocked ? " bad" : "", r->legit_blocked, r->legit);
    pct(o, r->legit_blocked, r->legit);
    fputs("</div>", o);
    if (r->unlabelled)
        fprintf(o, "<div class=card>without a label<b>%" PRIu64 "</b></div>", r->unlabelled);
    fputs("</div>\n<p>Caught means stopped or reported: dropped, answered, rate-limited or "
          "alerted (in monitor mode: judged other than allow).</p>\n",
          o);
    fputs("<table id=attacks><tr><th>attack</th><th>expected check</th><th>messages</th>"
          "<th>caught</th><th>missed</th><th>caught by</th></tr>\n",
          o);
    for (size_t i = 0; i < r->natt; i++) {
        const rep_attack *a = &r->att[i];
        fputs("<tr data-attack='", o);
        esc(o, a->name);
        fputs("'><td>", o);
        esc(o, a->name);
        fputs("</td><td><code>", o);
        esc(o, a->expect);
        fprintf(o,
                "</code></td><td class=n>%" PRIu64 "</td><td class=n>%" PRIu64
                "</td><td class='n%s'>%" PRIu64 "</td><td>",
                a->n, a->caught, a->caught < a->n ? " bad" : "", a->n - a->caught);
        for (int k = 0; k < 4 && a->fired[k].name[0]; k++) {
            fputs(k ? ", <code>" : "<code>", o);
            esc(o, a->fired[k].name);
            fprintf(o, "</code> %" PRIu64, a->fired[k].n);
        }
        fputs("</td></tr>\n", o);
    }
    fputs("</table>\n", o);
}

static void section_trust(FILE *o, const ssgw_report *r)
{
    if (!r->trust_checked) return;
    fputs("<h2>Trust outcomes (security token, inbound)</h2>\n", o);
    const char *labels[SSGW_TRUST_OUTCOME_COUNT];
    uint64_t vals[SSGW_TRUST_OUTCOME_COUNT];
    size_t n = 0;
    for (int t = 0; t < SSGW_TRUST_OUTCOME_COUNT; t++)
        if (r->trust[t]) {
            labels[n] = ssgw_trust_outcome_name(t);
            vals[n++] = r->trust[t];
        }
    hbar(o, "trust", labels, NULL, vals, n, colors[SSGW_ACT_ANSWER]);
}

static void section_partners(FILE *o, const ssgw_report *r)
{
    fputs("<h2>Inbound traffic per partner</h2>\n<p>The partner is the <code>[[partner]]</code> "
          "whose GT prefixes hold the calling GT; <em>unknown</em>: no partner's.</p>\n"
          "<table id=partners><tr><th>partner</th><th>messages</th>",
          o);
    for (int a = 0; a < SSGW_ACT_COUNT; a++)
        fprintf(o, "<th>%s</th>", ssgw_action_name((ssgw_action)a));
    fputs("<th>spoofing</th><th>token ok</th><th>token failed</th><th>not verified</th></tr>\n", o);
    for (size_t i = 0; i < r->npartners; i++) {
        const rep_partner *p = &r->partners[i];
        if (!p->messages) continue;
        fputs("<tr data-partner='", o);
        esc(o, p->name);
        fprintf(o, "' data-messages=%" PRIu64 "><td>", p->messages);
        esc(o, p->name);
        fprintf(o, "</td><td class=n>%" PRIu64 "</td>", p->messages);
        for (int a = 0; a < SSGW_ACT_COUNT; a++)
            fprintf(o, "<td class=n data-verdict='%s'>%" PRIu64 "</td>",
                    ssgw_action_name((ssgw_action)a), p->by_action[a]);
        fprintf(o,
                "<td class='n%s'>%" PRIu64 "</td><td class=n>%" PRIu64 "</td><td class=n>%" PRIu64
                "</td><td class=n>%" PRIu64 "</td></tr>\n",
                p->spoofed ? " bad" : "", p->spoofed, p->trust_ok, p->trust_failed,
                p->not_verified);
    }
    if (r->partner_other)
        fprintf(o, "<tr><td>other partners</td><td class=n>%" PRIu64 "</td></tr>\n",
                r->partner_other);
    fputs("</table>\n", o);
}

static void section_offenders(FILE *o, const ssgw_report *r)
{
    fputs("<h2>Top offenders (calling GTs of blocked messages)</h2>\n", o);
    size_t idx[12];
    size_t n = rep_top_gts(r, idx, 12);
    if (!n) {
        fputs("<p>Nothing was blocked.</p>\n", o);
        return;
    }
    const char *labels[12], *notes[12];
    char lb[12][SSGW_DIGITS_MAX + NAME_CAP + 8], nt[12][NAME_CAP + 16];
    uint64_t vals[12];
    for (size_t i = 0; i < n; i++) {
        const rep_gt *g = &r->gts[idx[i]];
        snprintf(lb[i], sizeof lb[i], "%s (%s)", g->gt, rep_gt_partner(r, g));
        snprintf(nt[i], sizeof nt[i], "%s%s", g->spoofed ? "SPOOFING: " : "",
                 g->spoofed ? g->spoof : g->check);
        labels[i] = lb[i];
        notes[i] = nt[i];
        vals[i] = g->blocked;
    }
    hbar(o, "offenders-chart", labels, notes, vals, n, colors[SSGW_ACT_DROP]);
    fputs("<table id=offenders><tr><th>calling GT</th><th>partner</th><th>blocked</th>"
          "<th>spoofing</th><th>first check</th></tr>\n",
          o);
    for (size_t i = 0; i < n; i++) {
        const rep_gt *g = &r->gts[idx[i]];
        const char *pn = rep_gt_partner(r, g);
        fputs("<tr data-gt='", o);
        esc(o, g->gt);
        fputs("' data-partner='", o);
        esc(o, pn);
        fprintf(o, "' data-blocked=%" PRIu64 " data-spoofed=%" PRIu64 "><td>", g->blocked,
                g->spoofed);
        esc(o, g->gt);
        fputs("</td><td>", o);
        esc(o, pn);
        fprintf(o, "</td><td class=n>%" PRIu64 "</td><td class='%s'>", g->blocked,
                g->spoofed ? "bad" : "");
        if (g->spoofed) {
            fprintf(o, "<strong>spoofing</strong> (%" PRIu64 "): <code>", g->spoofed);
            esc(o, g->spoof);
            fputs("</code>", o);
        }
        fputs("</td><td><code>", o);
        esc(o, g->check);
        fputs("</code></td></tr>\n", o);
    }
    fputs("</table>\n", o);
    if (r->gt_other) fprintf(o, "<p>%" PRIu64 " more GTs not counted.</p>\n", r->gt_other);
}

static void section_checks(FILE *o, const ssgw_report *r)
{
    fputs("<h2>Checks that objected</h2>\n<p>The firewall's checks and rules and the trust "
          "check (<code>trust.&lt;outcome&gt;</code>).</p>\n",
          o);
    size_t idx[CHECKS_MAX];
    rep_sorted_checks(r, idx);
    const char *labels[CHECKS_MAX];
    uint64_t vals[CHECKS_MAX];
    for (size_t i = 0; i < r->nchecks; i++) {
        labels[i] = r->checks[idx[i]].name;
        vals[i] = r->checks[idx[i]].n;
    }
    hbar(o, "checks", labels, NULL, vals, r->nchecks, colors[SSGW_ACT_ALERT]);
}

static void section_rows(FILE *o, const ssgw_report *r)
{
    fprintf(o, "<h2>Blocked messages (first %zu)</h2>\n", r->nrows);
    if (r->rows_dropped) fprintf(o, "<p>%" PRIu64 " more not listed.</p>\n", r->rows_dropped);
    fputs("<table id=blocked><tr><th>frame</th><th>time (UTC)</th><th>calling GT</th>"
          "<th>partner</th><th>called GT</th><th>operation</th><th>verdict</th><th>check</th>"
          "<th>reason</th></tr>\n",
          o);
    for (size_t i = 0; i < r->nrows; i++) {
        const rep_row *w = &r->rows[i];
        char when[SSGW_TIME_RFC3339_CAP];
        ssgw_time_rfc3339(w->t_ms, when, sizeof when);
        if (w->frame)
            fprintf(o, "<tr data-ms='%" PRIu64 "'><td class=n>%" PRIu64 "</td>", w->t_ms, w->frame);
        else
            fprintf(o, "<tr data-ms='%" PRIu64 "'><td class=n>-</td>", w->t_ms);
        fprintf(o, "<td class=n><time datetime='%s'>%s</time></td><td>", when, when);
        esc(o, w->calling);
        fputs("</td><td>", o);
        esc(o, w->partner);
        fputs("</td><td>", o);
        esc(o, w->called);
        fputs("</td><td>", o);
        esc(o, w->op);
        fputs("</td><td>", o);
        esc(o, w->action);
        fprintf(o, "</td><td%s><code>", w->spoof ? " class=bad" : "");
        esc(o, w->check);
        fputs("</code></td><td>", o);
        esc(o, w->reason);
        fputs("</td></tr>\n", o);
    }
    fputs("</table>\n", o);
}

int ssgw_report_write_html(const ssgw_report *r, const char *title, FILE *o)
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
          "font-size:1.5em}.card.bad{border-color:#d9534f}.card.good{border-color:#4caf7a}\n"
          ".legend span{margin-right:14px;font-size:.9em}.legend i{display:inline-block;"
          "width:11px;height:11px;margin-right:4px;border-radius:2px}\n"
          "svg text.ax{font-size:11px;fill:#666}svg text.lb{font-size:12px;fill:#333}\n"
          "table{border-collapse:collapse;width:100%;font-size:.85em}th,td{border-bottom:1px "
          "solid #eee;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f6f6f6}\n"
          "td.n{font-variant-numeric:tabular-nums}code{font-size:.95em}.bad{color:#b52b27}\n"
          "</style></head><body>\n<h1>OpenSSGW analysis: ",
          o);
    esc(o, title);
    fputs("</h1>\n<div class=cards id=totals>", o);
    fprintf(o, "<div class=card data-key=messages>messages<b>%" PRIu64 "</b></div>", r->messages);
    for (int a = 0; a < SSGW_ACT_COUNT; a++)
        fprintf(o,
                "<div class=card data-key='%s' style='border-color:%s'>%s<b>%" PRIu64 "</b></div>",
                ssgw_action_name((ssgw_action)a), colors[a], ssgw_action_name((ssgw_action)a),
                r->by_action[a]);
    fprintf(o, "<div class='card%s' data-key=spoofing>spoofing blocked<b>%" PRIu64 "</b></div>",
            r->spoofed ? " bad" : "", r->spoofed);
    fprintf(o, "<div class=card data-key=trust-drops>trust drops<b>%" PRIu64 "</b></div>",
            r->trust_dropped);
    fputs("</div>\n", o);
    section_score(o, r);
    fputs("<h2>Verdicts over time</h2>\n", o);
    legend(o);
    chart_time(o, r);
    section_trust(o, r);
    section_partners(o, r);
    section_offenders(o, r);
    fputs("<h2>Operations by category</h2>\n", o);
    legend(o);
    chart_categories(o, r);
    int ops[12];
    size_t n = rep_top_ops(r, ops, 12);
    if (n) {
        fputs("<h2>Operations blocked</h2>\n", o);
        const char *labels[12];
        uint64_t vals[12];
        for (size_t i = 0; i < n; i++) {
            labels[i] = ssgw_map_op_name(ops[i]);
            vals[i] = r->op_blocked[ops[i]];
        }
        hbar(o, "operations", labels, NULL, vals, n, colors[SSGW_ACT_ANSWER]);
    }
    section_checks(o, r);
    section_rows(o, r);
    fputs("<p style='color:#888;font-size:.8em'>Generated by OpenSSGW. Self-contained: no "
          "external resources.</p>\n</body></html>\n",
          o);
    return ferror(o) ? -1 : 0;
}
