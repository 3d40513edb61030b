/*
 * report.h - what `ssgw analyze` summarises: verdicts over time, top offending
 * calling GTs, operations by category and verdict, which checks fired, and the
 * first blocked messages. The same accumulator feeds the text summary and the
 * self-contained HTML report (inline CSS and SVG charts, no external
 * resources).
 *
 * Memory is bounded: time bins are merged when the capture is long (at most
 * SSGW_REPORT_BINS), offender GTs are counted in a fixed table (new GTs beyond
 * it are counted together as "other"), and only the first max_rows
 * blocked messages are kept.
 */
#ifndef SSGW_REPORT_H
#define SSGW_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "ssgw/capture.h"
#include "ssgw/firewall.h"
#include "ssgw/view.h"

#define SSGW_REPORT_BINS 96

typedef struct ssgw_report ssgw_report;

ssgw_report *ssgw_report_new(size_t max_rows);
void ssgw_report_free(ssgw_report *r);

/* Adds one inspected message (cm may be NULL: no frame number / time). */
void ssgw_report_add(ssgw_report *r, const ssgw_capture_msg *cm, const ssgw_view *v,
                     const ssgw_verdict *vd);

/* Readable text summary: totals per verdict, per check, top GTs and operations blocked. */
void ssgw_report_print_summary(const ssgw_report *r, const ssgw_firewall *in, FILE *out);

/* Writes the HTML report. Returns 0, or -1 on a write error. */
int ssgw_report_write_html(const ssgw_report *r, const ssgw_firewall *in, const char *title,
                           FILE *out);

#endif
