/*
 * import_int.h - the readers of [import] files (docs/partner-data.md): partner data
 * shaped after the GSMA IR.21 fields as CSV (partner_csv.c) or JSON (partner_json.c),
 * and the ported-numbers table (ported.c). A reader turns text into rows and hands each
 * to a sink: a well-formed partner, a ported range, or a problem naming the line. A
 * malformed row is reported and skipped; a reader never stops at the first bad row.
 * What the rows mean for the policy (conflicts, tries, the merge report) is import.c.
 * Not a public header; the fuzz targets use it.
 */
#ifndef SSGW_POLICY_IMPORT_INT_H
#define SSGW_POLICY_IMPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "policy/policy_int.h"

typedef struct {
    void *ctx;
    /* A well-formed partner (pa->line set; 0 for a JSON element whose line was not found):
     * the sink takes what *pa holds (it zeroes or releases it). 0, or -1 when memory ran
     * out (the reader stops). */
    int (*partner)(void *ctx, party *pa);
    /* A row of the ported-numbers table: numbers lo..hi (packed digits of one length,
     * ssgw_store_pack_digits), served by the operator named op. 0, or -1 (memory). */
    int (*ported)(void *ctx, int line, uint64_t lo, uint64_t hi, const char *op);
    /* A malformed row (line > 0) or a problem with the whole file (line 0). 0, or -1. */
    int (*problem)(void *ctx, int line, const char *msg);
} import_sink;

/* Each returns 0 when the text was read to its end (problems reported through the sink),
 * or -1 when a sink call failed (memory). */
int import_partners_csv(const char *text, size_t len, const import_sink *s);
int import_partners_json(const char *text, size_t len, const import_sink *s);
int import_ported_csv(const char *text, size_t len, const import_sink *s);

/* ---- CSV records (RFC 4180), shared by the two CSV readers --------------------------- */

typedef struct {
    const char *p, *end;
    int line; /* of p */
} csv_reader;

#define CSV_MAX_FIELDS 32
#define CSV_MAX_RECORD 65536

/*
 * The next record, skipping blank lines and lines whose first character is '#'. Fields
 * are NUL-terminated copies in buf (quotes removed, "" unescaped, blanks around unquoted
 * fields trimmed); *line is the record's first line. Returns 1, 0 at the end, or -1 with
 * *why for a malformed record (an unterminated quote, text after a closing quote, too many
 * fields, longer than CSV_MAX_RECORD), which the reader has skipped (an unclosed quote:
 * the record's first line only, so that the rows after it are read).
 */
int csv_next(csv_reader *r, char *buf, char **f, size_t *nf, int *line, const char **why);

/* ---- partner fields (partner_row.c): the CSV columns are the JSON keys -------------- */

typedef enum {
    PF_NAME = 0,
    PF_TADIG,
    PF_COUNTRY,
    PF_MCC_MNC,
    PF_GT_RANGES,
    PF_MSISDN_RANGES,
    PF_POINT_CODES,
    PF_HLR,
    PF_VLR,
    PF_MSC,
    PF_SMSC,
    PF_GSMSCF,
    PF_SGSN,
    PF_DIAMETER_REALMS,
    PF_SMS_HUB,
    PF_COUNT
} partner_field;

/* Index of a column / key name (case-insensitive), -1 when unknown. */
int partner_field_find(const char *name);
const char *partner_field_name(int f);
/* "name, tadig, country, ...": every field, for messages. */
const char *partner_field_list(void);
/* True for fields that take several items. */
int partner_field_multi(int f);

/*
 * Adds one item of field f to pa, checked. Returns 0; -1 with why ("expected ...") for a
 * bad value; -2 when memory ran out.
 */
int partner_field_add(party *pa, int f, const char *item, char *why, size_t cap);
/* Adds every item of a cell (items separated by ';', ',' or blanks) the same way. */
int partner_field_add_cell(party *pa, int f, const char *cell, char *why, size_t cap);
/* After the last field: name and a GT range are required. 0, or -1 with why. */
int partner_row_finish(const party *pa, char *why, size_t cap);

/*
 * A GT or MSISDN range as the prefixes that cover it: "254722" (a prefix) or
 * "254722000000-254722499999" (numbers of one length, as IR.21 lists them) -> "2547220",
 * ..., "2547224". A leading '+' is ignored. Appends to out; 0, -1 with why, -2 memory.
 */
int import_range_prefixes(const char *item, strlist *out, char *why, size_t cap);
/* "2001" (0-16383) or "1-234-5" (ITU 3-8-3 zone-area-point). 0, or -1 with why. */
int import_point_code(const char *item, long long *pc, char *why, size_t cap);

#endif
