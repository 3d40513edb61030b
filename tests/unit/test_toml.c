/*
 * test_toml.c - the one TOML reader (src/util/toml.c) against the grammar in
 * include/ssgw/toml.h and the TOML 1.0 specification for the subset it
 * accepts: what each construct reads as, with the line and column of every
 * header, key and value; every kind of syntax error with its exact text and
 * position; recovery at the next line; the legacy bare-string mode of
 * tsca.conf; the error list's cap and joining.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "check.h"
#include "ssgw/toml.h"

/* ---- a handler that writes what it is handed as text ------------------------------------ */

typedef struct {
    char log[4096];
    size_t n;
} recorder;

static void put(recorder *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(recorder *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(r->log + r->n, sizeof r->log - r->n, fmt, ap);
    va_end(ap);
    if (w > 0) r->n += (size_t)w < sizeof r->log - r->n ? (size_t)w : sizeof r->log - r->n - 1;
}

static void put_value(recorder *r, const ssgw_toml_value *v)
{
    switch (v->type) {
    case SSGW_TOML_STRING:
        put(r, "s%d:%d<%s>", v->line, v->col, v->s);
        break;
    case SSGW_TOML_INT:
        put(r, "i%d:%d<%lld>", v->line, v->col, v->i);
        break;
    case SSGW_TOML_BOOL:
        put(r, "b%d:%d<%s>", v->line, v->col, v->b ? "true" : "false");
        break;
    case SSGW_TOML_ARRAY:
        put(r, "a%d:%d[", v->line, v->col);
        for (size_t i = 0; i < v->n; i++) {
            if (i) put(r, ",");
            put_value(r, &v->items[i]);
        }
        put(r, "]");
        break;
    }
}

static void on_table(void *ctx, const char *name, bool array, int line, int col)
{
    put(ctx, "T%s%s%s@%d:%d;", array ? "[[" : "[", name ? name : "(bad)", array ? "]]" : "]", line,
        col);
}

static void on_pair(void *ctx, const char *key, int line, int col, const ssgw_toml_value *v)
{
    recorder *r = ctx;
    put(r, "%s@%d:%d=", key, line, col);
    put_value(r, v);
    put(r, ";");
}

static const ssgw_toml_handler H = {on_table, on_pair};

/* Reads text; the events must be `want` and there must be no error. */
static void expect_read(const char *text, unsigned flags, const char *want)
{
    recorder r = {"", 0};
    ssgw_config_errors errs;
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, "t", &errs);
    CHECK_INT(ssgw_toml_read(text, strlen(text), flags, &H, &r, &d), 0);
    CHECK_INT(d.count, 0);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(stderr, "  unexpected: %s\n", errs.e[i].text);
    CHECK_STR(r.log, want);
}

/* Reads text; the first error must be exactly `want` (with the events `events` kept). */
static void expect_error(const char *text, const char *want, const char *events)
{
    recorder r = {"", 0};
    ssgw_config_errors errs;
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, "t", &errs);
    CHECK_INT(ssgw_toml_read(text, strlen(text), 0, &H, &r, &d), 0);
    CHECK(errs.n >= 1);
    CHECK_STR(errs.n ? errs.e[0].text : "", want);
    if (events) CHECK_STR(r.log, events);
}

/* ---- grammar ------------------------------------------------------------------------------ */

static void tables_and_keys(void)
{
    expect_read("", 0, "");
    expect_read("# only a comment\n\n   \n\t# indented comment\n", 0, "");
    expect_read("[home]\n[[partner]]\n[ spaced ]\n[[ list ]]  # c\n", 0,
                "T[home]@1:1;T[[partner]]@2:1;T[spaced]@3:1;T[[list]]@4:1;");
    expect_read("a = 1\n  b-c_9 = 2\n", 0, "a@1:1=i1:5<1>;b-c_9@2:3=i2:11<2>;");
    expect_read("a=1\n", 0, "a@1:1=i1:3<1>;");
    expect_read("a = 1", 0, "a@1:1=i1:5<1>;"); /* no final newline */
    expect_read("a = 1\r\n[t]\r\nb = \"x\"\r\n", 0, "a@1:1=i1:5<1>;T[t]@2:1;b@3:1=s3:5<x>;");
    expect_read("\ta\t=\t1\t# tabs\n", 0, "a@1:2=i1:6<1>;");
}

static void strings(void)
{
    expect_read("s = \"\"\n", 0, "s@1:1=s1:5<>;");
    expect_read("s = \"a \\\"q\\\" \\\\ b\"\n", 0, "s@1:1=s1:5<a \"q\" \\ b>;");
    expect_read("s = \"tab\\there\"\n", 0, "s@1:1=s1:5<tab\there>;");
    expect_read("s = \"line\\nbreak\"\n", 0, "s@1:1=s1:5<line\nbreak>;");
    expect_read("s = \"# not a comment\" # a comment\n", 0, "s@1:1=s1:5<# not a comment>;");
    expect_read("s = \"\xc3\xa9t\xc3\xa9\"\n", 0, "s@1:1=s1:5<\xc3\xa9t\xc3\xa9>;");
    expect_read("s = \"a\tb\"\n", 0, "s@1:1=s1:5<a\tb>;"); /* a literal tab is allowed */
}

static void integers(void)
{
    expect_read("a = 0\nb = -0\nc = +5\nd = -17\n", 0,
                "a@1:1=i1:5<0>;b@2:1=i2:5<0>;c@3:1=i3:5<5>;d@4:1=i4:5<-17>;");
    expect_read("a = 1_000_000\n", 0, "a@1:1=i1:5<1000000>;");
    expect_read("a = 0x3fff\nb = 0xDEAD_beef\nc = 0x0\n", 0,
                "a@1:1=i1:5<16383>;b@2:1=i2:5<3735928559>;c@3:1=i3:5<0>;");
    expect_read("a = 9223372036854775807\nb = -9223372036854775808\n", 0,
                "a@1:1=i1:5<9223372036854775807>;b@2:1=i2:5<-9223372036854775808>;");
    expect_read("a = 0x7fffffffffffffff\n", 0, "a@1:1=i1:5<9223372036854775807>;");
}

static void booleans_and_arrays(void)
{
    expect_read("t = true\nf = false\n", 0, "t@1:1=b1:5<true>;f@2:1=b2:5<false>;");
    expect_read("a = []\n", 0, "a@1:1=a1:5[];");
    expect_read("a = [1, 2,]\n", 0, "a@1:1=a1:5[i1:6<1>,i1:9<2>];");
    expect_read("a = [\n  \"x\", # one\n  # a whole comment line\n  \"y\"\n]\nb = 1\n", 0,
                "a@1:1=a1:5[s2:3<x>,s4:3<y>];b@6:1=i6:5<1>;");
    expect_read("a = [ true , false ]\n", 0, "a@1:1=a1:5[b1:7<true>,b1:14<false>];");
    expect_read("a = [\r\n1,\r\n2\r\n]\r\n", 0, "a@1:1=a1:5[i2:1<1>,i3:1<2>];");
}

/* ---- errors, each with its exact position ---------------------------------------------------- */

static void syntax_errors(void)
{
    expect_error("[home\n", "t:1:1: error: bad section header: expected [ followed by a name and ]",
                 "T[(bad)]@1:1;");
    expect_error("[[partner]\n",
                 "t:1:1: error: bad section header: expected [[ followed by a name and ]]", NULL);
    expect_error("[]\n", "t:1:1: error: bad section header: expected [ followed by a name and ]",
                 NULL);
    expect_error("[a.b]\n", "t:1:1: error: bad section header: expected [ followed by a name and ]",
                 NULL);
    expect_error("[a] x\n",
                 "t:1:5: error: unexpected 'x' after the value (one key = value per line)",
                 "T[a]@1:1;");
    expect_error("= 3\n",
                 "t:1:1: error: expected a key, a [section] header or a comment, found '='", "");
    expect_error("\"q\" = 3\n",
                 "t:1:1: error: expected a key, a [section] header or a comment, found '\"'", "");
    expect_error("a.b = 3\n", "t:1:2: error: expected '=' after key 'a'", "");
    expect_error("mode \"x\"\n", "t:1:6: error: expected '=' after key 'mode'", "");
    expect_error("k234567890123456789012345678901234567890123456789012345678901234 = 1\n",
                 "t:1:1: error: key is too long (at most 63 characters)", "");
    expect_error("a =\n", "t:1:4: error: missing value after '='", "");
    expect_error("a = # c\n", "t:1:5: error: missing value after '='", "");
    expect_error("a = monitor\n",
                 "t:1:5: error: bad value 'monitor': strings need double quotes (\"monitor\")", "");
    expect_error("a = 'lit'\n",
                 "t:1:5: error: bad value: expected a string in double quotes, an integer, true, "
                 "false or an array",
                 "");
    expect_error("a = 1.5\n",
                 "t:1:5: error: bad value: expected a string in double quotes, an integer, true, "
                 "false or an array",
                 "");
    expect_error("a = 12abc\n",
                 "t:1:5: error: bad value: expected a string in double quotes, an integer, true, "
                 "false or an array",
                 "");
    expect_error("a = truex\n",
                 "t:1:5: error: bad value 'truex': strings need double quotes (\"truex\")", "");
    expect_error("a = 1_\n",
                 "t:1:5: error: bad value: expected a string in double quotes, an integer, true, "
                 "false or an array",
                 "");
    expect_error("a = 1__2\n",
                 "t:1:5: error: bad value: expected a string in double quotes, an integer, true, "
                 "false or an array",
                 "");
    expect_error("a = 0x\n",
                 "t:1:5: error: bad value: expected a string in double quotes, an integer, true, "
                 "false or an array",
                 "");
    expect_error("a = -0x1\n", "t:1:5: error: bad value: a hexadecimal integer has no sign", "");
    expect_error("a = 010\n",
                 "t:1:5: error: bad value: an integer has no leading zeros (write 10; hexadecimal "
                 "is written 0x...)",
                 "");
    expect_error("a = 9223372036854775808\n",
                 "t:1:5: error: integer '9223372036854775808' is out of range", "");
    expect_error("a = 0x8000000000000000\n",
                 "t:1:5: error: integer '0x8000000000000000' is out of range", "");
    expect_error("a = \"open\n",
                 "t:1:5: error: unterminated string (strings end with '\"' on the same line)", "");
    expect_error("a = \"x\\qy\"\n",
                 "t:1:7: error: unknown escape '\\q' in string (allowed: \\\" \\\\ \\n \\t)", "");
    expect_error("a = \"x\x01y\"\n", "t:1:7: error: control character in string", "");
    expect_error("a = 1 2\n",
                 "t:1:7: error: unexpected '2' after the value (one key = value per line)",
                 "a@1:1=i1:5<1>;");
    expect_error("a = 1\rb = 2\n",
                 "t:1:6: error: unexpected '?' after the value (one key = value per line)", NULL);
    expect_error("a = [1, 2\n", "t:1:5: error: unterminated array (missing ']')", "");
    expect_error("a = [1 2]\n", "t:1:8: error: expected ',' or ']' in array", "");
    expect_error("a = [[1]]\n", "t:1:6: error: nested arrays are not allowed", "");
    expect_error("a = [1, \"2\"]\n",
                 "t:1:9: error: array items must all be of one type: this is a string, the first "
                 "is an integer",
                 "");
    expect_error("a = [\n  1,\n  true,\n]\n",
                 "t:3:3: error: array items must all be of one type: this is a boolean, the first "
                 "is an integer",
                 NULL);
    /* a NUL byte (the text is not C-string-terminated there) */
    recorder r = {"", 0};
    ssgw_config_errors errs;
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, "t", &errs);
    CHECK_INT(ssgw_toml_read("a = 1\n\0b = 2\n", 13, 0, &H, &r, &d), 0);
    CHECK_STR(errs.e[0].text, "t: error: the file contains a NUL byte (not a text file)");
    CHECK(d.count >= 2); /* and the line holding it */
}

/* A bad line is skipped and reading goes on; every error is reported. */
static void recovery(void)
{
    const char *text = "a = monitor\nb = 2\n[bad\nc = 3\nd = \"x\ne = [1,\n";
    recorder r = {"", 0};
    ssgw_config_errors errs;
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, "t", &errs);
    CHECK_INT(ssgw_toml_read(text, strlen(text), 0, &H, &r, &d), 0);
    CHECK_STR(r.log, "b@2:1=i2:5<2>;T[(bad)]@3:1;c@4:1=i4:5<3>;");
    CHECK_INT(errs.n, 4);
    CHECK_INT(d.count, 4);
    CHECK_INT(errs.e[0].line, 1);
    CHECK_INT(errs.e[1].line, 3);
    CHECK_INT(errs.e[2].line, 5);
    CHECK_INT(errs.e[2].col, 5);
    CHECK_STR(errs.e[3].text, "t:6:5: error: unterminated array (missing ']')");
}

/* tsca.conf as older versions wrote it: an unquoted path. */
static void bare_strings(void)
{
    expect_read("registry = /etc/tsca/reg.csv\n", SSGW_TOML_BARE_STRINGS,
                "registry@1:1=s1:12</etc/tsca/reg.csv>;");
    expect_read("registry = /a b/c.csv   # note\r\n", SSGW_TOML_BARE_STRINGS,
                "registry@1:1=s1:12</a b/c.csv>;");
    expect_read("r = /a#b\n", SSGW_TOML_BARE_STRINGS, "r@1:1=s1:5</a#b>;");
    expect_read("n = 2\nh = 0x10 # c\nb = true\nq = \"quoted\"\nl = [1]\n", SSGW_TOML_BARE_STRINGS,
                "n@1:1=i1:5<2>;h@2:1=i2:5<16>;b@3:1=b3:5<true>;q@4:1=s4:5<quoted>;"
                "l@5:1=a5:5[i5:6<1>];");
    expect_read("d = 365 days\nw = truely\n", SSGW_TOML_BARE_STRINGS,
                "d@1:1=s1:5<365 days>;w@2:1=s2:5<truely>;");
    /* without the flag the same line is an error */
    expect_error("registry = /etc/tsca/reg.csv\n",
                 "t:1:12: error: bad value: expected a string in double quotes, an integer, true, "
                 "false or an array",
                 "");
}

/* ---- helpers --------------------------------------------------------------------------------- */

static void single_values(void)
{
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, "(default)", NULL);
    ssgw_toml_value v;
    CHECK_INT(ssgw_toml_parse_value("\"drop\"", &v, &d), 0);
    CHECK_STR(v.s, "drop");
    ssgw_toml_value_free(&v);
    CHECK_INT(ssgw_toml_parse_value("[1, 2]", &v, &d), 0);
    CHECK_INT(v.n, 2);
    CHECK_INT(v.items[1].i, 2);
    ssgw_toml_value_free(&v);
    CHECK_INT(ssgw_toml_parse_value("1 2", &v, &d), -1);
    CHECK_INT(ssgw_toml_parse_value("nope", &v, &d), -1);
    CHECK_INT(d.count, 2);

    char buf[64];
    ssgw_toml_value s = {.type = SSGW_TOML_STRING, .s = "a\x01\"b"};
    CHECK_STR(ssgw_toml_value_text(&s, buf, sizeof buf), "\"a?\"b\"");
    ssgw_toml_value i = {.type = SSGW_TOML_INT, .i = -7};
    CHECK_STR(ssgw_toml_value_text(&i, buf, sizeof buf), "-7");
    ssgw_toml_value a = {.type = SSGW_TOML_ARRAY};
    CHECK_STR(ssgw_toml_value_text(&a, buf, sizeof buf), "[...]");
    CHECK_STR(ssgw_toml_type_name(SSGW_TOML_BOOL), "a boolean");
}

/* What ssgw_toml_quote writes reads back as the same string. */
static void quote_round_trip(void)
{
    const char *samples[] = {"",          "/etc/tsca/reg.csv", "a \"quoted\" \\ path",
                             "tab\there", "new\nline",         "\xc3\xa9"};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char q[128];
        CHECK(ssgw_toml_quote(samples[i], q, sizeof q) > 0);
        ssgw_config_diag d;
        ssgw_config_diag_init(&d, "q", NULL);
        ssgw_toml_value v;
        CHECK_INT(ssgw_toml_parse_value(q, &v, &d), 0);
        CHECK_STR(v.s, samples[i]);
        ssgw_toml_value_free(&v);
    }
    char small[6];
    CHECK_INT(ssgw_toml_quote("abcdef", small, sizeof small), -1);
    CHECK_STR(small, "");
    char q[16];
    CHECK_INT(ssgw_toml_quote("a\x01", q, sizeof q), -1); /* not representable */
}

static void error_list(void)
{
    char text[512] = "";
    for (int i = 0; i < 25; i++)
        strcat(text, "a = x\n");
    ssgw_config_errors errs;
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, "many.conf", &errs);
    ssgw_toml_read(text, strlen(text), 0, &H, &(recorder){"", 0}, &d);
    CHECK_INT(d.count, 25);
    CHECK_INT(errs.n, SSGW_CONFIG_MAX_ERRORS);
    CHECK_INT(errs.n_dropped, 5);
    CHECK_INT(errs.e[19].line, 20);
    char out[4096];
    size_t n = ssgw_config_errors_join(&errs, "many.conf", out, sizeof out);
    CHECK_INT(n, strlen(out));
    CHECK(strstr(out, "many.conf:1:5: error: bad value 'x'") == out);
    CHECK(strstr(out, "\nmany.conf: 5 more errors not shown") != NULL);
    /* a small buffer keeps whole lines and says how many it left out */
    char small[200];
    ssgw_config_errors_join(&errs, "many.conf", small, sizeof small);
    CHECK(strstr(small, "many.conf:1:5: error: bad value 'x': strings need double quotes (\"x\")\n"
                        "many.conf: 24 more errors not shown") == small);
}

static void read_file(void)
{
    ssgw_config_errors errs;
    ssgw_config_diag d;
    ssgw_config_diag_init(&d, "/nonexistent.conf", &errs);
    char *text;
    size_t len;
    CHECK_INT(ssgw_config_read_file("/nonexistent.conf", 100, &text, &len, &d), -1);
    CHECK_STR(errs.e[0].text, "/nonexistent.conf: error: cannot open: No such file or directory");
    ssgw_config_diag_init(&d, "fuzz/corpus/config/example.conf", &errs);
    CHECK_INT(ssgw_config_read_file("fuzz/corpus/config/example.conf", 100, &text, &len, &d), -1);
    CHECK(strstr(errs.e[0].text, "larger than 100 bytes") != NULL);
    CHECK_INT(ssgw_config_read_file("fuzz/corpus/config/example.conf", 1 << 20, &text, &len, &d),
              0);
    CHECK(len > 100 && text[len] == '\0');
    free(text);
}

int main(void)
{
    RUN(tables_and_keys);
    RUN(strings);
    RUN(integers);
    RUN(booleans_and_arrays);
    RUN(syntax_errors);
    RUN(recovery);
    RUN(bare_strings);
    RUN(single_values);
    RUN(quote_round_trip);
    RUN(error_list);
    RUN(read_file);
    return check_summary();
}
