/*
 * analyze_run.h - how `ssgw analyze` (cmd_analyze.c) runs a capture's messages through the
 * pipeline: in batches copied out of the capture, with --threads as a pipeline by stage.
 *
 * One thread (--threads 1): each batch is judged in capture order (ssgw_pipeline_run), its
 * verdicts tallied in the report, its JSON records written.
 *
 * --threads N >= 2: ONE thread, the turn, runs every message in capture order on lane 0
 * (the replay check, the firewall with its state, signing, the report's tally): the same
 * lane, in the same order, as one thread, so the verdicts are those of one thread and the
 * state stays in that core's cache. The other N - 1 lanes (the reading thread and N - 2
 * helpers) do the order-free work a batch ahead: decoding and the MAP the firewall reads
 * (ssgw_pipeline_decode_ahead), and, once the turn has run a batch, its JSON records. The
 * batches go round a ring of four; the stages hand over one batch at a time (a counter
 * each way), never a message. SCCP segments are decoded by the turn itself, so that
 * reassembly keeps capture order on one decoder (and their records are built there).
 */
#ifndef SSGW_TOOL_ANALYZE_RUN_H
#define SSGW_TOOL_ANALYZE_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "ssgw/capture.h"
#include "ssgw/pipeline.h"
#include "ssgw/report.h"

/* The label `ssgw attack` wrote for one frame. */
typedef struct {
    char label[8], attack[48], check[48];
} analyze_label;

typedef struct {
    ssgw_pipeline *pl;           /* with lanes = threads */
    ssgw_report *rep;            /* every verdict is tallied here, in capture order */
    const analyze_label *labels; /* --labels, indexed by frame - 1 (may be NULL) */
    size_t n_labels;
    bool json;        /* a JSON record per message on stdout */
    unsigned threads; /* 1 .. 16 */
} analyze_run_config;

typedef struct analyze_run analyze_run;

/* Allocates the batches and starts the threads. NULL with err. */
analyze_run *analyze_run_new(const analyze_run_config *cfg, char *err, size_t errlen);
/* Copies one capture record into the batch being read; a full batch goes on. 0, or -1 when
 * memory ran out. */
int analyze_run_add(analyze_run *r, const ssgw_capture_msg *cm);
/* Runs what was added and not run yet, and writes its records: every verdict is in the
 * report when it returns. */
void analyze_run_finish(analyze_run *r);
/* Stops the threads and frees (r may be NULL). */
void analyze_run_free(analyze_run *r);

#endif
