/*
 * test_cfg.c - the shared option-table mechanism (src/util/cfg.c,
 * src/util/cfg_types.c) on a small schema of its own: sections (top-level,
 * single, list of tables), defaults, required keys, every generic type and
 * its bounds, setters, the end-of-table hook, unknown sections and keys with
 * "did you mean", the schema self-check and the generated markdown.
 */
#include <stdlib.h>

#include "check.h"
#include "ssgw/cfg.h"

typedef struct {
    int line;
    char *label;  /* string */
    char tag[8];  /* string_buf, 0-7 */
    uint8_t u8;   /* int, 1 byte */
    int16_t s16;  /* int, 2 bytes */
    uint32_t u32; /* int, 4 bytes */
    long long big;
    bool on;
    int color;   /* enum, index */
    int speed;   /* enum with values */
    char *shape; /* enum as a string */
    char host[64];
    uint16_t port;
    int ends; /* end hook calls */
    int label_line, label_col;
} item;

typedef struct {
    long long top;
    item single;
    item items[4];
    size_t n_items;
    bool refuse; /* the table callback refuses new items */
} doc;

static int set_addr(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *base, char *why,
                    size_t cap)
{
    (void)o;
    item *it = base;
    if (!strncmp(v->s, "[::", 3)) { /* a rule of this schema: no IPv6 */
        snprintf(why, cap, "IPv6 is not allowed here");
        return -1;
    }
    return ssgw_addr_port_parse(v->s, it->host, sizeof it->host, &it->port);
}

static const ssgw_cfg_section sections[] = {
    {"", false, ""},
    {"one", false, "a single table"},
    {"item", true, "one of several"},
};

static const int speeds[] = {10, 100, 1000};

#define F(m) SSGW_CFG_FIELD(item, m)
#define OPTIONS(sec)                                                                               \
    {sec, "label", &ssgw_cfg_string, 1, 5, "\"def\"", .help = "a label", F(label)},                \
        {sec, "tag", &ssgw_cfg_string_buf, 0, 7, .help = "a tag", F(tag)},                         \
        {sec, "u8", &ssgw_cfg_int, 0, 255, "7", .help = "a byte", F(u8)},                          \
        {sec, "s16", &ssgw_cfg_int, -300, 300, .help = "a short", F(s16)},                         \
        {sec, "u32", &ssgw_cfg_int, 0, 4294967295LL, .help = "a word", F(u32)},                    \
        {sec, "big", &ssgw_cfg_int, -5000000000LL, 5000000000LL, .help = "a long", F(big)},        \
        {sec, "on", &ssgw_cfg_bool, .def = "true", .help = "a switch", F(on)},                     \
        {sec, "color", &ssgw_cfg_enum, .allowed = "red|green|blue", .help = "a color", F(color)},  \
        {sec,                                                                                      \
         "speed",                                                                                  \
         &ssgw_cfg_enum,                                                                           \
         .def = "\"fast\"",                                                                        \
         .allowed = "slow|fast|faster",                                                            \
         .help = "a speed",                                                                        \
         F(speed),                                                                                 \
         .arg = speeds},                                                                           \
        {sec,     "shape", &ssgw_cfg_enum_string, .allowed = "round|square", .help = "a shape",    \
         F(shape)},                                                                                \
    {                                                                                              \
        sec, "addr", &ssgw_cfg_addr_port, .help = "an address", .set = set_addr                    \
    }

static const ssgw_cfg_option options[] = {
    {"", "top", &ssgw_cfg_int, 1, 9, "5", .help = "a top-level key", .offset = offsetof(doc, top),
     .size = sizeof(long long)},
    OPTIONS("one"),
    OPTIONS("item"),
    {"item", "need", &ssgw_cfg_bool, .help = "must be there", F(on), .flags = SSGW_CFG_REQUIRED},
};

static void *table(void *ctx, size_t sec, int line, ssgw_cfg_load *ld)
{
    doc *d = ctx;
    if (sec == 0) return d;
    if (sec == 1) {
        if (line) d->single.line = line;
        return &d->single;
    }
    if (d->refuse || d->n_items == 4) {
        ssgw_config_errorf(ssgw_cfg_load_diag(ld), line, 1, "no room");
        return NULL;
    }
    item *it = &d->items[d->n_items++];
    memset(it, 0, sizeof *it);
    it->line = line;
    return it;
}

static void end(void *ctx, size_t sec, void *base, ssgw_cfg_load *ld)
{
    (void)ctx;
    if (sec == 0) return;
    item *it = base;
    it->ends++;
    it->label_line = ssgw_cfg_load_key_line(ld, "label", &it->label_col);
    CHECK_INT(ssgw_cfg_load_table_line(ld), it->line);
}

static const ssgw_cfg_schema schema = {
    .name = "toy",
    .sections = sections,
    .n_sections = 3,
    .options = options,
    .n_options = sizeof options / sizeof options[0],
    .table = table,
    .end = end,
};

static void release(doc *d)
{
    ssgw_cfg_release(&schema, 1, &d->single);
    for (size_t i = 0; i < d->n_items; i++)
        ssgw_cfg_release(&schema, 2, &d->items[i]);
}

/* Reads text into d; returns the error count, errors in errs. */
static size_t read_doc(const char *text, doc *d, ssgw_config_errors *errs)
{
    memset(d, 0, sizeof *d);
    ssgw_config_diag dg;
    ssgw_config_diag_init(&dg, "toy.conf", errs);
    CHECK_INT(ssgw_cfg_read(&schema, d, text, strlen(text), &dg), 0);
    return dg.count;
}

static void expect_err(const char *text, const char *want)
{
    doc d;
    ssgw_config_errors errs;
    size_t n = read_doc(text, &d, &errs);
    bool found = false;
    for (size_t i = 0; i < errs.n; i++)
        found |= !strcmp(errs.e[i].text, want);
    CHECK(n > 0 && found);
    if (!found) {
        fprintf(stderr, "  wanted: %s\n", want);
        for (size_t i = 0; i < errs.n; i++)
            fprintf(stderr, "  got:    %s\n", errs.e[i].text);
    }
    release(&d);
}

static void defaults_and_values(void)
{
    doc d;
    ssgw_config_errors errs;
    /* nothing at all: the top level and the single table get their defaults */
    CHECK_INT(read_doc("", &d, &errs), 0);
    CHECK_INT(d.top, 5);
    CHECK_STR(d.single.label, "def");
    CHECK_INT(d.single.u8, 7);
    CHECK(d.single.on);
    CHECK_INT(d.single.speed, 100);
    CHECK_INT(d.single.line, 0);
    CHECK_INT(d.single.ends, 0); /* not in the file: no end hook */
    release(&d);

    const char *t = "top = 9\n[one]\nlabel = \"abc\"\ntag = \"1234567\"\nu8 = 255\ns16 = -300\n"
                    "u32 = 4294967295\nbig = -5000000000\non = false\ncolor = \"blue\"\n"
                    "speed = \"faster\"\nshape = \"square\"\naddr = \"192.0.2.1:2905\"\n"
                    "[[item]]\nneed = true\n[[item]]\n  label = \"x\"\nneed = false\n";
    CHECK_INT(read_doc(t, &d, &errs), 0);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(stderr, "%s\n", errs.e[i].text);
    CHECK_INT(d.top, 9);
    CHECK_STR(d.single.label, "abc");
    CHECK_STR(d.single.tag, "1234567");
    CHECK_INT(d.single.u8, 255);
    CHECK_INT(d.single.s16, -300);
    CHECK_INT(d.single.u32, 4294967295u);
    CHECK_INT(d.single.big, -5000000000LL);
    CHECK(!d.single.on);
    CHECK_INT(d.single.color, 2);
    CHECK_INT(d.single.speed, 1000);
    CHECK_STR(d.single.shape, "square");
    CHECK_STR(d.single.host, "192.0.2.1");
    CHECK_INT(d.single.port, 2905);
    CHECK_INT(d.single.line, 2);
    CHECK_INT(d.single.ends, 1);
    CHECK_INT(d.single.label_line, 3);
    CHECK_INT(d.single.label_col, 9);
    CHECK_INT(d.n_items, 2);
    CHECK_STR(d.items[0].label, "def"); /* each table of a list gets the defaults */
    CHECK_INT(d.items[0].speed, 100);
    CHECK_INT(d.items[0].label_line, 0);
    CHECK_STR(d.items[1].label, "x");
    CHECK_INT(d.items[1].label_line, 17);
    CHECK_INT(d.items[1].label_col, 11);
    CHECK_INT(d.items[1].ends, 1);
    release(&d);
}

static void value_errors(void)
{
    expect_err("top = 10\n", "toy.conf:1:7: error: top: 10: must be between 1 and 9");
    expect_err("top = \"1\"\n", "toy.conf:1:7: error: top: \"1\": expected an integer");
    expect_err("[one]\nlabel = \"\"\n",
               "toy.conf:2:9: error: [one] label: \"\": length must be 1 to 5 characters");
    expect_err("[one]\ntag = \"12345678\"\n",
               "toy.conf:2:7: error: [one] tag: \"12345678\": length must be 0 to 7 characters");
    expect_err("[one]\nu8 = 256\n",
               "toy.conf:2:6: error: [one] u8: 256: must be between 0 and 255");
    expect_err("[one]\ns16 = -301\n",
               "toy.conf:2:7: error: [one] s16: -301: must be between -300 and 300");
    expect_err("[one]\non = 1\n", "toy.conf:2:6: error: [one] on: 1: expected a boolean");
    expect_err("[one]\non = [true]\n", "toy.conf:2:6: error: [one] on: expected a boolean, not an "
                                       "array");
    expect_err("[one]\ncolor = \"pink\"\n",
               "toy.conf:2:9: error: [one] color: \"pink\": allowed values are red|green|blue");
    expect_err("[one]\nshape = \"oval\"\n",
               "toy.conf:2:9: error: [one] shape: \"oval\": allowed values are round|square");
    expect_err("[one]\naddr = \"host:1\"\n",
               "toy.conf:2:8: error: [one] addr: \"host:1\": expected an IP address and a port "
               "1..65535, e.g. \"127.0.0.1:2905\" or \"[::1]:2905\"");
    expect_err("[one]\naddr = \"[::1]:1\"\n",
               "toy.conf:2:8: error: [one] addr: \"[::1]:1\": IPv6 is not allowed here");
    expect_err("[one]\naddr = \"1.2.3.4:0\"\n",
               "toy.conf:2:8: error: [one] addr: \"1.2.3.4:0\": expected an IP address and a port "
               "1..65535, e.g. \"127.0.0.1:2905\" or \"[::1]:2905\"");
}

static void table_errors(void)
{
    expect_err("[on]\n", "toy.conf:1:1: error: unknown section [on]: allowed are [one], [[item]] "
                         "(did you mean 'one'?)");
    expect_err("[zzz]\nfoo = 1\n",
               "toy.conf:1:1: error: unknown section [zzz]: allowed are [one], [[item]]");
    expect_err("[[one]]\n", "toy.conf:1:1: error: one is a single table: write [one]");
    expect_err("[item]\n", "toy.conf:1:1: error: item is a list of tables: write [[item]]");
    expect_err("[one]\n[one]\n", "toy.conf:2:1: error: duplicate section [one] (first at line 1)");
    expect_err("[one]\nlable = \"x\"\n",
               "toy.conf:2:1: error: [one] unknown key 'lable' (did you mean 'label'?)");
    expect_err("[one]\nzzzzzz = 1\n",
               "toy.conf:2:1: error: [one] unknown key 'zzzzzz': allowed are label, tag, u8, s16, "
               "u32, big, on, color, speed, shape, addr");
    expect_err("tpo = 1\n", "toy.conf:1:1: error: unknown key 'tpo' (did you mean 'top'?)");
    expect_err("top = 1\ntop = 2\n",
               "toy.conf:2:1: error: key 'top' is set twice (first at line 1)");
    expect_err("[[item]]\nlabel = \"a\"\n",
               "toy.conf:1:1: error: [[item]] is missing the required key 'need' (must be there)");
    /* keys of a refused table are not reported again */
    doc d;
    ssgw_config_errors errs;
    CHECK_INT(read_doc("[zzz]\nfoo = 1\nbar = 2\n[bad\nx = 1\n", &d, &errs), 2);
    release(&d);
    memset(&d, 0, sizeof d);
    d.refuse = true;
    ssgw_config_diag dg;
    ssgw_config_diag_init(&dg, "toy.conf", &errs);
    const char *t = "[[item]]\nlabel = \"x\"\nfoo = 1\n";
    CHECK_INT(ssgw_cfg_read(&schema, &d, t, strlen(t), &dg), 0);
    CHECK_INT(dg.count, 1);
    CHECK_STR(errs.e[0].text, "toy.conf:1:1: error: no room");
    release(&d);
}

/* The schema without its top-level section: its section i is the toy's i + 1. */
static void *table_no_top(void *ctx, size_t sec, int line, ssgw_cfg_load *ld)
{
    return table(ctx, sec + 1, line, ld);
}

/* Without a top-level section, keys before a header are an error naming the sections. */
static void outside(void)
{
    static const ssgw_cfg_schema no_top = {
        .name = "no_top",
        .sections = sections + 1,
        .n_sections = 2,
        .options = options + 1,
        .n_options = sizeof options / sizeof options[0] - 1,
        .table = table_no_top,
    };
    doc d;
    memset(&d, 0, sizeof d);
    ssgw_config_errors errs;
    ssgw_config_diag dg;
    ssgw_config_diag_init(&dg, "toy.conf", &errs);
    const char *t = "x = 1\n";
    ssgw_cfg_read(&no_top, &d, t, strlen(t), &dg);
    CHECK_STR(errs.e[0].text,
              "toy.conf:1:1: error: key 'x' outside any section: put it under one of [one], "
              "[[item]]");
    release(&d);
}

/* A schema with only top-level keys has no sections to offer. */
static void keys_only(void)
{
    static const ssgw_cfg_schema top_only = {
        .name = "top_only",
        .sections = sections,
        .n_sections = 1,
        .options = options,
        .n_options = 1,
        .table = table,
    };
    doc d;
    memset(&d, 0, sizeof d);
    ssgw_config_errors errs;
    ssgw_config_diag dg;
    ssgw_config_diag_init(&dg, "top.conf", &errs);
    const char *t = "top = 2\n[x]\ntop = 3\n";
    ssgw_cfg_read(&top_only, &d, t, strlen(t), &dg);
    CHECK_INT(dg.count, 1);
    CHECK_STR(errs.e[0].text,
              "top.conf:2:1: error: unknown section [x]: this file has no sections (keys only)");
    CHECK_INT(d.top, 2);
}

static void schema_check(void)
{
    char err[256];
    CHECK_INT(ssgw_cfg_schema_check(&schema, err, sizeof err), 0);
    static const ssgw_cfg_option bad_default[] = {
        {"", "top", &ssgw_cfg_int, 1, 9, "10", .help = "h", .size = 8}};
    static const ssgw_cfg_option dup[] = {{"", "top", &ssgw_cfg_int, 1, 9, .help = "h", .size = 8},
                                          {"", "top", &ssgw_cfg_int, 1, 9, .help = "h", .size = 8}};
    static const ssgw_cfg_option no_section[] = {
        {"nope", "top", &ssgw_cfg_int, 1, 9, .help = "h", .size = 8}};
    static const ssgw_cfg_option too_small[] = {
        {"", "tag", &ssgw_cfg_string_buf, 0, 8, .help = "h", F(tag)}};
    static const ssgw_cfg_option no_help[] = {{"", "top", &ssgw_cfg_int, 1, 9, .size = 8}};
    static const ssgw_cfg_option no_store[] = {{"", "a", &ssgw_cfg_addr_port, .help = "h"}};
    static const ssgw_cfg_option no_values[] = {{"", "e", &ssgw_cfg_enum, .help = "h", .size = 4}};
    const struct {
        const ssgw_cfg_option *o;
        const char *want;
    } cases[] = {
        {bad_default, "toy: top: default 10: top: 10: must be between 1 and 9"},
        {dup, "toy: top is declared twice"},
        {no_section, "toy: option 'top' names the unknown section 'nope'"},
        {too_small, "toy: tag: max length 8 does not fit 8 bytes"},
        {no_help, "toy: top lacks help, a type or a way to store"},
        {no_store, "toy: a lacks help, a type or a way to store"},
        {no_values, "toy: e: an enum without allowed values"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ssgw_cfg_schema s = schema;
        s.options = cases[i].o;
        s.n_options = cases[i].o == dup ? 2 : 1;
        err[0] = '\0';
        CHECK_INT(ssgw_cfg_schema_check(&s, err, sizeof err), -1);
        CHECK_STR(err, cases[i].want);
    }
}

static void markdown(void)
{
    static const ssgw_cfg_option opts[] = {
        {"", "top", &ssgw_cfg_int, 1, 9, "5", .help = "a | b", .size = 8},
        {"one", "label", &ssgw_cfg_string, 1, 5, .help = "a label", .flags = SSGW_CFG_REQUIRED},
        {"one", "color", &ssgw_cfg_enum, .allowed = "red|green", .help = "c", .size = 4},
        {"item", "on", &ssgw_cfg_bool, .def = "true", .help = "o", .size = 1},
    };
    ssgw_cfg_schema s = schema;
    s.options = opts;
    s.n_options = 4;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ssgw_cfg_markdown(&s, f);
    fclose(f);
    CHECK_STR(buf, "| key | type | default | allowed | meaning |\n|---|---|---|---|---|\n"
                   "| `top` | integer | 5 | 1 .. 9 | a \\| b |\n"
                   "\n### [one]\n\na single table.\n\n"
                   "| key | type | default | allowed | meaning |\n|---|---|---|---|---|\n"
                   "| `label` | string | required | 1-5 characters | a label |\n"
                   "| `color` | string (one of) | (none) | red, green | c |\n"
                   "\n### [[item]]\n\none of several.\n\n"
                   "| key | type | default | allowed | meaning |\n|---|---|---|---|---|\n"
                   "| `on` | boolean | true |  | o |\n");
    free(buf);
}

static void suggestions(void)
{
    ssgw_cfg_suggest sg = {NULL, 0};
    char b[64];
    ssgw_cfg_suggest_try(&sg, "gatway", "link");
    CHECK_STR(ssgw_cfg_suggest_text(&sg, b, sizeof b), "");
    ssgw_cfg_suggest_try(&sg, "gatway", "gateway");
    ssgw_cfg_suggest_try(&sg, "gatway", "gateways");
    CHECK_STR(ssgw_cfg_suggest_text(&sg, b, sizeof b), " (did you mean 'gateway'?)");
    CHECK_INT(ssgw_cfg_enum_index("a|bb|c", "bb"), 1);
    CHECK_INT(ssgw_cfg_enum_index("a|bb|c", "b"), -1);
    CHECK_INT(ssgw_cfg_enum_index("a|bb|c", "c"), 2);
    char host[64];
    uint16_t port;
    CHECK_INT(ssgw_addr_port_parse("[2001:db8::1]:2905", host, sizeof host, &port), 0);
    CHECK_STR(host, "2001:db8::1");
    CHECK_INT(ssgw_addr_port_parse("10.0.0.1:65536", host, sizeof host, &port), -1);
    CHECK_INT(ssgw_addr_port_parse("10.0.0.1:", host, sizeof host, &port), -1);
    CHECK_INT(ssgw_addr_port_parse("10.0.0.1", host, sizeof host, &port), -1);
}

int main(void)
{
    RUN(defaults_and_values);
    RUN(value_errors);
    RUN(table_errors);
    RUN(outside);
    RUN(keys_only);
    RUN(schema_check);
    RUN(markdown);
    RUN(suggestions);
    return check_summary();
}
