/*
 * toml.h - the one reader of the project's configuration files (the policy
 * file, the gateway file, the TSCA's tsca.conf): a strict subset of TOML,
 * and the error list every configuration loader reports into.
 *
 * Grammar (docs/configuration.md "Grammar" has it with examples):
 *
 *   file     = { line }
 *   line     = ws [ header | pair ] ws [ comment ] newline
 *   header   = "[" ws name ws "]" | "[[" ws name ws "]]"
 *   pair     = key ws "=" ws value
 *   key,name = 1*( ALPHA / DIGIT / "_" / "-" )          (at most 63 characters)
 *   value    = string | integer | boolean | array
 *   string   = '"' *( char | '\"' | '\\' | '\n' | '\t' ) '"'    (one line)
 *   integer  = [ "-" | "+" ] dec | "0x" hex              (no leading zeros)
 *   dec      = "0" | NZDIGIT *( [ "_" ] DIGIT )
 *   hex      = HEXDIG *( [ "_" ] HEXDIG )
 *   boolean  = "true" | "false"
 *   array    = "[" [ value *( "," value ) [ "," ] ] "]"   (may span lines,
 *              may hold comments; items of one type; no nested arrays)
 *   comment  = "#" *anything
 *
 * The reader knows nothing of sections or keys: it hands every header and
 * every key = value, with the line and column of each, to a handler
 * (include/ssgw/cfg.h turns that into options). Syntax errors name
 * FILE:LINE:COLUMN and what was expected; reading goes on at the next line so
 * one run shows every mistake.
 */
#ifndef SSGW_TOML_H
#define SSGW_TOML_H

#include <stdbool.h>
#include <stddef.h>

/* ---- the error list ------------------------------------------------------------------ */

#define SSGW_CONFIG_MAX_ERRORS 20

typedef struct {
    int line, col;  /* 1-based; 0 when the error is about the whole file */
    char text[480]; /* "FILE:LINE:COL: error: [section] key: VALUE: what is allowed" */
} ssgw_config_error;

typedef struct {
    size_t n;         /* errors recorded (at most SSGW_CONFIG_MAX_ERRORS) */
    size_t n_dropped; /* errors beyond that */
    ssgw_config_error e[SSGW_CONFIG_MAX_ERRORS];
} ssgw_config_errors;

/* Where the errors of one file go. errs may be NULL (errors are only counted). */
typedef struct {
    const char *file; /* name used in messages */
    ssgw_config_errors *errs;
    size_t count; /* errors reported, dropped ones included */
} ssgw_config_diag;

/* Starts a diagnostic for file: clears errs (which may be NULL). */
void ssgw_config_diag_init(ssgw_config_diag *d, const char *file, ssgw_config_errors *errs);

/* Records "FILE:LINE:COL: error: <text>" ("FILE: error: <text>" when line is 0). */
void ssgw_config_errorf(ssgw_config_diag *d, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes the errors one per line into out (for APIs that return one message), with
 * "FILE: N more errors not shown" when some were dropped. Returns the length written. */
size_t ssgw_config_errors_join(const ssgw_config_errors *errs, const char *file, char *out,
                               size_t cap);

/*
 * Reads a whole configuration file of at most max bytes into a malloc'ed,
 * NUL-terminated buffer. Returns 0, or -1 with an error in d ("cannot open:
 * No such file or directory", "larger than N bytes", "read error").
 */
int ssgw_config_read_file(const char *path, size_t max, char **text, size_t *len,
                          ssgw_config_diag *d);

/* ---- values ------------------------------------------------------------------------- */

typedef enum { SSGW_TOML_STRING, SSGW_TOML_INT, SSGW_TOML_BOOL, SSGW_TOML_ARRAY } ssgw_toml_type;

typedef struct ssgw_toml_value {
    ssgw_toml_type type;
    int line, col; /* where the value (the opening quote, the first digit, '[') starts */
    char *s;       /* STRING: escapes resolved, NUL-terminated */
    long long i;   /* INT */
    bool b;        /* BOOL */
    struct ssgw_toml_value *items; /* ARRAY: n items of one type, none an array */
    size_t n;
} ssgw_toml_value;

/* "a string", "an integer", "a boolean", "an array". */
const char *ssgw_toml_type_name(ssgw_toml_type t);

/* The value as a person would write it, shortened and made printable, for messages:
 * "\"monitor\"", "7", "true", "[...]". Returns buf. */
const char *ssgw_toml_value_text(const ssgw_toml_value *v, char *buf, size_t cap);

void ssgw_toml_value_free(ssgw_toml_value *v);

/*
 * Writes s as a TOML basic string, quotes included ("a\"b" for a"b), for
 * programs that write configuration files. Returns the length, or -1 when
 * it does not fit in cap (out is then "").
 */
int ssgw_toml_quote(const char *s, char *out, size_t cap);

/* ---- the reader --------------------------------------------------------------------- */

/*
 * What the reader hands over, in file order. The value passed to pair is
 * freed after the call (take copies). Either callback may be NULL.
 *   table: a header. name is NULL when the header did not parse (the error
 *          was reported): the keys that follow belong to no table.
 *   pair:  key = value; line/col are the key's.
 */
typedef struct {
    void (*table)(void *ctx, const char *name, bool array, int line, int col);
    void (*pair)(void *ctx, const char *key, int line, int col, const ssgw_toml_value *v);
} ssgw_toml_handler;

/* Flags. */
enum {
    /*
     * Legacy "key = value" files (tsca.conf as written before it was TOML): a
     * value that is not a quoted string, an array, an integer or a boolean is
     * the rest of the line (up to a " #" comment, trailing blanks removed) as
     * a string. Never set this for a file that was always TOML.
     */
    SSGW_TOML_BARE_STRINGS = 1u << 0,
};

/*
 * Reads text (len bytes; need not be NUL-terminated) and calls h for every
 * header and pair. Syntax errors go to d; the rest of a bad line is skipped.
 * Returns 0, or -1 when memory ran out (also reported in d).
 */
int ssgw_toml_read(const char *text, size_t len, unsigned flags, const ssgw_toml_handler *h,
                   void *ctx, ssgw_config_diag *d);

/* Parses one value written alone (an option's default, "\"drop\"", "[1, 2]"). 0 or -1. */
int ssgw_toml_parse_value(const char *text, ssgw_toml_value *v, ssgw_config_diag *d);

#endif
