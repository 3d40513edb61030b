/*
 * report.h - what `ssgw analyze` and the gateway (`[gateway] report`) summarise:
 * verdicts over the messages' real time, trust outcomes, the inbound traffic of
 * each partner, the top offending calling GTs with their partner (or "unknown")
 * and spoofing called out, operations by category and verdict, the checks that
 * objected (trust drops included), the first blocked messages; and, when the
 * messages carry the labels of `ssgw attack` (ssgw analyze --labels), how well
 * the verdicts match them: attacks caught and missed, legitimate messages
 * blocked. The same accumulator feeds the text summary and the self-contained
 * HTML report (inline CSS and SVG charts, no external resources, no script).
 *
 * Memory is bounded: time bins are merged when the span grows (at most
 * SSGW_REPORT_BINS), calling GTs, partners, checks and attack names are counted
 * in fixed tables (what does not fit is counted together as "other"), and only
 * the first max_rows blocked messages are kept.
 */
#ifndef SSGW_REPORT_H
#define SSGW_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "ssgw/firewall.h"
#include "ssgw/pipeline.h"

#define SSGW_REPORT_BINS 96

typedef struct ssgw_report ssgw_report;

ssgw_report *ssgw_report_new(size_t max_rows);
void ssgw_report_free(ssgw_report *r);

/* One message the pipeline judged. */
typedef struct {
    uint64_t time_ms; /* its time: the capture time, or the arrival time (gateway), ms since 1970 */
    uint64_t frame;   /* its capture frame; 0 when it has none (the gateway) */
    const ssgw_pipeline_result *res;
    /* The label `ssgw attack` wrote for its frame (NULL label: unlabelled) */
    const char *label;  /* "legit" or "attack" */
    const char *attack; /* the attack's name */
    const char *expect; /* the check expected to stop it */
} ssgw_report_msg;

/* Adds one message. A result without a verdict (the firewall did not run) counts only
 * towards the score of labelled messages. Strings are copied. */
void ssgw_report_add(ssgw_report *r, const ssgw_report_msg *m);

/* True when a message with this result was stopped or reported: dropped, answered,
 * alerted, or judged other than allow (monitor mode). What the score calls caught. */
bool ssgw_report_objected(const ssgw_pipeline_result *res);

/* Readable text summary: totals per verdict, per check (trust included), per partner, top
 * calling GTs and operations blocked, the score against the labels. */
void ssgw_report_print_summary(const ssgw_report *r, const ssgw_firewall *in, FILE *out);

/* Writes the HTML report. Returns 0, or -1 on a write error. */
int ssgw_report_write_html(const ssgw_report *r, const char *title, FILE *out);

#endif
