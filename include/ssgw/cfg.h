/*
 * cfg.h - declarative option tables for configuration files, over the one
 * TOML reader (include/ssgw/toml.h). The policy file (src/policy/config.c),
 * the gateway file (src/gateway/gw_config.c) and the TSCA's tsca.conf
 * (src/ca/ca_config.c) each declare a schema: their sections and one table
 * entry per key (section, key, type, bounds, default, allowed values, help,
 * where the value goes). This file turns a text into those structs:
 *
 *   - unknown sections and keys are errors with a "did you mean" suggestion
 *     (or the list of what is allowed); a key set twice or a single section
 *     written twice is an error; required keys are checked when a table ends;
 *   - every value is checked against its option's type and bounds, and the
 *     error names FILE:LINE:COL, the section, the key, the bad value and what
 *     is allowed: "ssgw.conf:6:8: error: [policy] mode: "block": allowed
 *     values are enforce|monitor";
 *   - defaults (written in configuration syntax) are applied before a table's
 *     keys are read;
 *   - the same tables generate the key tables of the documentation
 *     (ssgw_cfg_markdown, tools/config_docs), so the docs cannot drift.
 *
 * Adding a key is one table entry. A type is declared once (check + store
 * functions) and shared by every option of that type: the generic ones are
 * below; a layer adds its own (the policy's digit lists, MCC-MNC lists,
 * rates...; the gateway's link names) without this file knowing about them.
 */
#ifndef SSGW_CFG_H
#define SSGW_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ssgw/toml.h"

typedef struct ssgw_cfg_option ssgw_cfg_option;

/* A value type: how one value (or, for lists, each item) is checked and stored. */
typedef struct {
    const char *name;     /* the docs' type column: "integer", "array of digits" */
    ssgw_toml_type value; /* TOML type of the value; for lists, of each item */
    bool list;            /* an array; the option's min..max bound its item count */
    const char *allowed;  /* the docs' allowed column when the bounds do not say it */
    /* Checks one value (one item of a list). Returns 0, or -1 with what is allowed in why
     * ("must be between 1 and 10"). NULL: any value of the right TOML type. */
    int (*check)(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap);
    /* Stores a checked value (the whole array for lists) into the field; 0, or -1 when
     * memory ran out. NULL: the options of this type have a setter. */
    int (*store)(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field);
    /* Frees what store allocated in the field (NULL when it allocates nothing). */
    void (*release)(void *field);
} ssgw_cfg_type;

enum {
    SSGW_CFG_REQUIRED = 1u << 0, /* the table is an error without it */
};

struct ssgw_cfg_option {
    const char *section; /* "policy", "link", ...; "" = the keys before any header */
    const char *key;
    const ssgw_cfg_type *type;
    long long min, max;  /* integers: bounds; strings: length; lists: item count */
    const char *def;     /* default in configuration syntax ("\"drop\"", "60"); NULL = none */
    const char *allowed; /* enum types: the values, "a|b|c"; NULL otherwise */
    const char *help;    /* one line for the docs */
    size_t offset;       /* where the value goes in the table's struct ... */
    size_t size;         /* ... and the size of that field (integers, fixed strings) */
    unsigned flags;      /* SSGW_CFG_REQUIRED */
    const void *arg;     /* type-specific: an enum's stored values (const int[]) */
    /* Instead of type->store: sets the value into the table's struct. Returns 0, or -1
     * with what is allowed in why (empty why: out of memory). */
    int (*set)(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *base, char *why,
               size_t cap);
};

/* .offset and .size of a member, for option initialisers. */
#define SSGW_CFG_FIELD(type, member)                                                               \
    .offset = offsetof(type, member), .size = sizeof(((type *)0)->member)

typedef struct {
    const char *name; /* "" = the keys before any header */
    bool array;       /* [[name]] (a list of tables) or [name] */
    const char *help;
} ssgw_cfg_section;

/* The state of one load, handed to the schema's callbacks. */
typedef struct ssgw_cfg_load ssgw_cfg_load;

typedef struct {
    const char *name; /* "policy", "gateway", "tsca" (docs and tools) */
    const ssgw_cfg_section *sections;
    size_t n_sections;
    const ssgw_cfg_option *options;
    size_t n_options;
    unsigned toml_flags; /* SSGW_TOML_* */
    /*
     * The struct the keys of a table go to. sec: index in sections; line: the
     * header's line, or 0 when called before reading for a single section (or
     * the top-level keys), whose defaults are then applied once. An array
     * section gets a new struct per header, defaults applied. NULL: the
     * table's keys are ignored (report why with ssgw_cfg_load_diag).
     */
    void *(*table)(void *ctx, size_t sec, int line, ssgw_cfg_load *ld);
    /* Called when a table of the file ends, after the required keys were checked:
     * cross-key rules. May be NULL. */
    void (*end)(void *ctx, size_t sec, void *base, ssgw_cfg_load *ld);
} ssgw_cfg_schema;

/*
 * Reads text with the schema into ctx's structs. Every error goes to d (the
 * caller decides that d->count > 0 means failure). Returns 0, or -1 when
 * memory ran out.
 */
int ssgw_cfg_read(const ssgw_cfg_schema *s, void *ctx, const char *text, size_t len,
                  ssgw_config_diag *d);

/* ---- for the schema's callbacks ---------------------------------------------------- */

ssgw_config_diag *ssgw_cfg_load_diag(ssgw_cfg_load *ld);
/* Line of the current table's header (0 for the top-level keys). */
int ssgw_cfg_load_table_line(const ssgw_cfg_load *ld);
/* Line where key was set in the current table, 0 when it was not; *col (may be NULL)
 * gets the column of its value. */
int ssgw_cfg_load_key_line(const ssgw_cfg_load *ld, const char *key, int *col);

/* ---- the tables ----------------------------------------------------------------------- */

/* Index of the section named name (array or not), or -1. */
int ssgw_cfg_section_index(const ssgw_cfg_schema *s, const char *name);
const ssgw_cfg_option *ssgw_cfg_find(const ssgw_cfg_schema *s, const char *section,
                                     const char *key);

/* Applies the defaults of section sec to base (done by ssgw_cfg_read; for tests). */
void ssgw_cfg_apply_defaults(const ssgw_cfg_schema *s, size_t sec, void *base);
/* Frees what the options of section sec stored in base (strings, lists). */
void ssgw_cfg_release(const ssgw_cfg_schema *s, size_t sec, void *base);

/*
 * Checks the schema itself: every option's section exists, keys are unique
 * per section, every option has help, a type (with a store or a setter) and
 * a default that passes its own check, fixed-size strings fit their field.
 * Returns 0, or -1 with the first problem in err.
 */
int ssgw_cfg_schema_check(const ssgw_cfg_schema *s, char *err, size_t errlen);

/* "[name]", "[[name]]" or "" for the top level. Returns buf. */
const char *ssgw_cfg_header_text(const ssgw_cfg_section *sec, char *buf, size_t cap);
/* The docs' allowed column of an option: "1 .. 86400", "enforce, monitor", "0-64 items". */
const char *ssgw_cfg_allowed_text(const ssgw_cfg_option *o, char *buf, size_t cap);

/*
 * Writes the key tables of every section as markdown (a "### [section]"
 * heading, the section's help, then key | type | default | allowed | meaning).
 * This is what the docs carry between their "config-keys" markers.
 */
void ssgw_cfg_markdown(const ssgw_cfg_schema *s, FILE *out);

/* ---- "did you mean" ------------------------------------------------------------------- */

typedef struct {
    const char *best;
    size_t dist;
} ssgw_cfg_suggest;

/* Keeps cand when it is close to word (edit distance within a third of its length). */
void ssgw_cfg_suggest_try(ssgw_cfg_suggest *sg, const char *word, const char *cand);
/* " (did you mean 'x'?)", or "" when nothing was close. Returns buf. */
const char *ssgw_cfg_suggest_text(const ssgw_cfg_suggest *sg, char *buf, size_t cap);

/* ---- generic types -------------------------------------------------------------------- */

extern const ssgw_cfg_type ssgw_cfg_string;      /* char * (malloc'ed); length min..max */
extern const ssgw_cfg_type ssgw_cfg_string_buf;  /* char[size]; length min..max < size */
extern const ssgw_cfg_type ssgw_cfg_int;         /* any integer field of size 1/2/4/8 */
extern const ssgw_cfg_type ssgw_cfg_bool;        /* bool */
extern const ssgw_cfg_type ssgw_cfg_enum;        /* one of allowed: its index (or arg[index])
                                                    into an integer field */
extern const ssgw_cfg_type ssgw_cfg_enum_string; /* one of allowed, as a char * (malloc'ed) */
extern const ssgw_cfg_type ssgw_cfg_addr_port;   /* "192.0.2.1:2905" / "[2001:db8::1]:2905";
                                                    stored by the option's setter */

/* Position of s in "a|b|c" (0-based), or -1. */
int ssgw_cfg_enum_index(const char *allowed, const char *s);
/* Stores x into the integer field of size bytes (1, 2, 4 or 8). */
void ssgw_cfg_store_int(void *field, size_t size, long long x);
/* Parses "host:port" or "[v6]:port" with a literal IPv4/IPv6 host and a port 1..65535.
 * Returns 0, or -1. */
int ssgw_addr_port_parse(const char *s, char *host, size_t hcap, uint16_t *port);

#endif
