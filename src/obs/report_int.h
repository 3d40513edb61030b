/*
 * report_int.h - the report's accumulator (include/ssgw/report.h), shared by
 * report.c (adding messages, the text summary) and report_html.c (the page).
 * Fixed tables only: nothing grows with the traffic.
 */
#ifndef SSGW_OBS_REPORT_INT_H
#define SSGW_OBS_REPORT_INT_H

#include "ssgw/report.h"
#include "ssgw/view.h"

#define GT_SLOTS     4096
#define PARTNERS_MAX 64 /* [0] is "unknown": no [[partner]] owns the calling GT */
#define CHECKS_MAX   128
#define ATTACKS_MAX  128
#define NAME_CAP     64

typedef struct {
    char gt[SSGW_DIGITS_MAX + 1];
    uint64_t blocked, spoofed;
    int partner;          /* index into partners; -1: beyond the table; -2: outbound */
    char check[NAME_CAP]; /* the check of its first blocked message */
    char spoof[NAME_CAP]; /* the check that called it spoofing, "" when none did */
} rep_gt;

typedef struct {
    char name[NAME_CAP];
    uint64_t messages, by_action[SSGW_ACT_COUNT], spoofed;
    uint64_t trust_ok, trust_failed, not_verified; /* inbound trust outcomes */
} rep_partner;

typedef struct {
    char name[NAME_CAP];
    uint64_t n;
} rep_count;

typedef struct {
    char name[NAME_CAP], expect[NAME_CAP];
    uint64_t n, caught;
    rep_count fired[4]; /* the checks that caught it, most frequent first (kept small) */
} rep_attack;

typedef struct {
    uint64_t frame, t_ms;
    char calling[SSGW_DIGITS_MAX + 1], called[SSGW_DIGITS_MAX + 1], op[40], check[48], action[12];
    char partner[NAME_CAP];
    bool spoof;
    char reason[SSGW_REASON_CAP];
} rep_row;

struct ssgw_report {
    uint64_t messages, by_action[SSGW_ACT_COUNT];
    uint64_t spoofed, trust_dropped;
    /* time: bins of width_ms from t0_ms; first_ms / last_ms are the data's extremes */
    bool have_t0;
    uint64_t t0_ms, first_ms, last_ms, width_ms;
    uint64_t bins[SSGW_REPORT_BINS][SSGW_ACT_COUNT];
    size_t nbins;
    uint64_t cat[SSGW_CAT_COUNT][SSGW_ACT_COUNT];
    uint64_t op_blocked[128];
    uint64_t trust_checked, trust[SSGW_TRUST_OUTCOME_COUNT];
    rep_gt *gts;
    size_t ngts;
    uint64_t gt_other;
    rep_partner partners[PARTNERS_MAX];
    size_t npartners;
    uint64_t partner_other; /* inbound messages of partners beyond the table */
    rep_count checks[CHECKS_MAX];
    size_t nchecks;
    uint64_t check_other;
    /* the score against ssgw attack's labels */
    bool labelled;
    uint64_t legit, legit_blocked, attacks, attacks_caught, unlabelled;
    rep_attack att[ATTACKS_MAX];
    size_t natt;
    rep_row *rows;
    size_t nrows, max_rows;
    uint64_t rows_dropped;
};

/* Blocked: the verdict stops the message (drop, answer, rate-limit). */
bool rep_blocked(ssgw_action a);
/* The spoofing a check names: spoof.* checks and trust.gt_not_authorised. */
bool rep_is_spoof(const char *check);
/* The partner column of a GT: the partner's name, "unknown", "other" or "outbound". */
const char *rep_gt_partner(const ssgw_report *r, const rep_gt *g);
/* Indices of the top n GTs by blocked messages; returns how many. */
size_t rep_top_gts(const ssgw_report *r, size_t *idx, size_t n);
/* Indices of the top n operations blocked; returns how many. */
size_t rep_top_ops(const ssgw_report *r, int *idx, size_t n);
/* Checks sorted by count, descending (idx has room for r->nchecks). */
void rep_sorted_checks(const ssgw_report *r, size_t *idx);

#endif
