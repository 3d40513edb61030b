/*
 * config_types.c - the policy file's own value types (config_types.h): what
 * each accepts, the message that says what is allowed, and how the value is
 * kept (strlist / intlist / strings the compiler in config.c turns into
 * tries, op sets and masks).
 */
#include "policy/config_types.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/tcap.h"

/* ---- parsers shared with the compiler ------------------------------------------------ */

static bool digits_only(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    if (n < min || n > max) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

int policy_rate_parse(const char *s, rate_spec *r)
{
    if (!strcmp(s, "off")) {
        r->limit = 0;
        r->period = 1;
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long n = strtoul(s, &end, 10);
    if (end == s || *end != '/' || n == 0 || n > 1000000 || errno) return -1;
    s = end + 1;
    unsigned long t = 1;
    if (*s >= '0' && *s <= '9') {
        t = strtoul(s, &end, 10);
        if (t == 0 || t > 86400 * 7) return -1;
        s = end;
    }
    unsigned long mult;
    if (!strcmp(s, "s"))
        mult = 1;
    else if (!strcmp(s, "m"))
        mult = 60;
    else if (!strcmp(s, "h"))
        mult = 3600;
    else
        return -1;
    r->limit = (uint32_t)n;
    r->period = (uint32_t)(t * mult);
    return 0;
}

int policy_op_parse(const char *s)
{
    if (digits_only(s, 1, 3)) {
        int x = atoi(s);
        return x <= 127 ? x : -1;
    }
    const ssgw_map_op *op = ssgw_map_op_by_name(s);
    return op ? op->opcode : -1;
}

int policy_tcap_parse(const char *s)
{
    static const char *const names[] = {"unidirectional", "begin", "end", "continue", "abort"};
    static const int values[] = {SSGW_TCAP_UNIDIRECTIONAL, SSGW_TCAP_BEGIN, SSGW_TCAP_END,
                                 SSGW_TCAP_CONTINUE, SSGW_TCAP_ABORT};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(s, names[i])) return values[i];
    return -1;
}

static const char *const check_mode_names[SSGW_CHECK_MODE_COUNT] = {"off", "learn", "test",
                                                                    "enforce"};

const char *ssgw_check_mode_name(int m)
{
    return m >= 0 && m < SSGW_CHECK_MODE_COUNT ? check_mode_names[m] : "unknown";
}

int ssgw_check_mode_parse(const char *s)
{
    for (int m = 0; m < SSGW_CHECK_MODE_COUNT; m++)
        if (!strcmp(check_mode_names[m], s)) return m;
    return -1;
}

uint32_t policy_percentile_parse(const char *s)
{
    uint32_t whole = 0, frac = 0, scale = 1000;
    size_t nd = 0;
    for (; *s >= '0' && *s <= '9' && nd < 3; s++, nd++)
        whole = whole * 10 + (uint32_t)(*s - '0');
    if (!nd) return 0;
    if (*s == '.') {
        s++;
        size_t nf = 0;
        for (; *s >= '0' && *s <= '9' && nf < 3; s++, nf++) {
            scale /= 10;
            frac += (uint32_t)(*s - '0') * scale;
        }
        if (!nf) return 0;
    }
    uint32_t v = whole * 1000 + frac;
    return *s == '\0' && v >= 50000 && v <= 100000 ? v : 0;
}

/* ---- storage ---------------------------------------------------------------------------- */

int strlist_push(strlist *l, const char *s, size_t n)
{
    if (n == (size_t)-1) n = strlen(s);
    char **nv = realloc(l->v, (l->n + 1) * sizeof *nv);
    if (!nv) return -1;
    l->v = nv;
    char *c = malloc(n + 1);
    if (!c) return -1;
    memcpy(c, s, n);
    c[n] = '\0';
    l->v[l->n++] = c;
    return 0;
}

int intlist_push(intlist *l, long long v)
{
    long long *nv = realloc(l->v, (l->n + 1) * sizeof *nv);
    if (!nv) return -1;
    l->v = nv;
    l->v[l->n++] = v;
    return 0;
}

void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int strlist_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    (void)o;
    strlist *l = field;
    strlist_free(l);
    l->v = calloc(v->n ? v->n : 1, sizeof *l->v);
    if (!l->v) return -1;
    for (size_t i = 0; i < v->n; i++) {
        size_t n = strlen(v->items[i].s) + 1;
        l->v[i] = malloc(n);
        if (!l->v[i]) return -1;
        memcpy(l->v[i], v->items[i].s, n);
        l->n = i + 1;
    }
    return 0;
}

static void strlist_release(void *field)
{
    strlist_free(field);
}

static int intlist_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    (void)o;
    intlist *l = field;
    free(l->v);
    l->n = 0;
    l->v = calloc(v->n ? v->n : 1, sizeof *l->v);
    if (!l->v) return -1;
    for (size_t i = 0; i < v->n; i++)
        l->v[i] = v->items[i].i;
    l->n = v->n;
    return 0;
}

static void intlist_release(void *field)
{
    intlist *l = field;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Scalars are kept as strings and compiled after the whole file is read. */
static int str_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    return ssgw_cfg_string.store(o, v, field);
}

static void str_release(void *field)
{
    ssgw_cfg_string.release(field);
}

static int country_store(const ssgw_cfg_option *o, const ssgw_toml_value *v, void *field)
{
    (void)o;
    memcpy(field, v->s, 3);
    return 0;
}

/* ---- checks ----------------------------------------------------------------------------- */

#define WHY(...) (snprintf(why, cap, __VA_ARGS__), -1)

static int country_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    if (strlen(v->s) == 2 && isupper((unsigned char)v->s[0]) && isupper((unsigned char)v->s[1]))
        return 0;
    return WHY("expected an ISO 3166-1 alpha-2 code in capitals, e.g. \"GB\"");
}

/* An ISO 3166-1 alpha-2 code, or "*" (any country). */
static int country_any_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why,
                             size_t cap)
{
    if (!strcmp(v->s, "*")) return 0;
    return country_check(o, v, why, cap) < 0
               ? WHY("expected an ISO 3166-1 alpha-2 code in capitals, e.g. \"GB\", or \"*\"")
               : 0;
}

/* A domain name: labels of letters, digits and '-' joined by dots, at least one dot. */
static int domain_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    size_t n = strlen(v->s);
    bool ok = n >= 3 && n <= 253 && strchr(v->s, '.') && v->s[0] != '.' && v->s[n - 1] != '.' &&
              !strstr(v->s, "..");
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)v->s[i]) || v->s[i] == '-' || v->s[i] == '.';
    return ok ? 0 : WHY("expected a domain name such as \"bit.ly\" (letters, digits, '-', dots)");
}

static int phrase_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    size_t n = strlen(v->s);
    return n >= 3 && n <= 120 ? 0 : WHY("expected a phrase of 3 to 120 characters");
}

/* A short-message sender: E.164 digits, or a name of 1-11 characters (TS 23.040 9.1.2.5). */
static int sender_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    size_t n = strlen(v->s), alnum = 0;
    if (digits_only(v->s, 1, 15)) return 0;
    for (size_t i = 0; i < n; i++)
        alnum += isalnum((unsigned char)v->s[i]) != 0;
    return n >= 1 && n <= 11 && alnum ? 0
                                      : WHY("expected an alphanumeric sender of 1 to 11 "
                                            "characters (e.g. \"MYBANK\") or 1 to 15 digits");
}

static int digits_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    return digits_only(v->s, 1, 15) ? 0 : WHY("expected 1 to 15 decimal digits (E.164)");
}

static int mccmnc_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    return digits_only(v->s, 5, 6) ? 0 : WHY("an MCC-MNC is 5 or 6 digits, e.g. \"23491\"");
}

static int pc_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    return v->i >= 0 && v->i <= 16383 ? 0 : WHY("a point code is 0 to 16383 (14-bit ITU)");
}

static int ssn_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    return v->i >= 0 && v->i <= 255 ? 0 : WHY("a subsystem number is 0 to 255");
}

static int op_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    if (policy_op_parse(v->s) >= 0) return 0;
    ssgw_cfg_suggest sg = {NULL, 0};
    for (size_t i = 0; i < ssgw_map_op_count(); i++)
        ssgw_cfg_suggest_try(&sg, v->s, ssgw_map_op_at(i)->name);
    char dym[96];
    return WHY("not a MAP operation name (as in TS 29.002, e.g. \"anyTimeInterrogation\") or "
               "opcode 0-127%s",
               ssgw_cfg_suggest_text(&sg, dym, sizeof dym));
}

static int cat_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    return ssgw_category_parse(v->s) >= 0
               ? 0
               : WHY("allowed values are cat1, cat2, cat3, sms, other, none");
}

static int tcap_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    return policy_tcap_parse(v->s) >= 0
               ? 0
               : WHY("allowed values are begin, continue, end, abort, unidirectional");
}

/* Partner names are resolved against the [[partner]] tables after the whole file is read. */
static int name_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    return v->s[0] ? 0 : WHY("a partner name, \"home\" or \"none\"");
}

/* A Diameter realm or host (RFC 6733 4.3.1 DiameterIdentity: an FQDN). */
static int realm_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    size_t n = strlen(v->s);
    bool ok = n > 0 && n < 128 && v->s[0] != '.' && v->s[n - 1] != '.';
    for (const char *c = v->s; ok && *c; c++)
        ok = isalnum((unsigned char)*c) || *c == '-' || *c == '.';
    return ok ? 0 : WHY("expected a realm or host name (letters, digits, '-', '.'; 1-127)");
}

static int action_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    return ssgw_action_parse(v->s) >= 0
               ? 0
               : WHY("allowed values are allow, drop, answer, alert, rate-limit");
}

static int answer_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    ssgw_answer a;
    return ssgw_answer_parse(v->s, &a) == 0
               ? 0
               : WHY("allowed values are \"tcap-abort\", \"map-error:<error name or 0-127>\" "
                     "(e.g. \"map-error:unexpectedDataValue\"), \"sccp-udts\", "
                     "\"sccp-udts:<cause 0-255>\", \"isup-rel\" or \"isup-rel:<cause 1-127>\"");
}

static int rate_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    rate_spec r;
    return policy_rate_parse(v->s, &r) == 0
               ? 0
               : WHY("expected \"<count>/<period>\" such as \"100/1s\", \"5/60s\", \"10/m\", "
                     "\"20/h\" (count 1-1000000), or \"off\"");
}

static int check_name_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why,
                            size_t cap)
{
    (void)o;
    if (ssgw_check_find(v->s) >= 0 && strcmp(v->s, "default")) return 0;
    ssgw_cfg_suggest sg = {NULL, 0};
    for (size_t i = 0; i < ssgw_check_count(); i++)
        ssgw_cfg_suggest_try(&sg, v->s, ssgw_check_at(i)->name);
    char dym[96];
    return WHY("not a check name (docs/checks.md lists them)%s",
               ssgw_cfg_suggest_text(&sg, dym, sizeof dym));
}

static int path_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    size_t n = strlen(v->s);
    return n >= 1 && n <= 1023 ? 0 : WHY("a file name of 1 to 1023 characters");
}

static int percentile_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why,
                            size_t cap)
{
    (void)o;
    return policy_percentile_parse(v->s)
               ? 0
               : WHY("a percentile from 50 to 100 with up to three decimals, e.g. \"99.9\"");
}

/* Empty (no polling) or http://... */
static int http_url_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    if (ssgw_cfg_string.check(o, v, why, cap) < 0) return -1;
    return !v->s[0] || !strncmp(v->s, "http://", 7) ? 0 : WHY("expected an http:// URL");
}

/* Empty (embedded store) or redis://host:port[,host:port...] / rediss://... */
static int redis_url_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why,
                           size_t cap)
{
    if (ssgw_cfg_string.check(o, v, why, cap) < 0) return -1;
    if (!v->s[0]) return 0;
    ssgw_state_config c;
    memset(&c, 0, sizeof c);
    return ssgw_state_parse_url(v->s, &c, why, cap) == 0 ? 0 : -1;
}

static int hostport_check(const ssgw_cfg_option *o, const ssgw_toml_value *v, char *why, size_t cap)
{
    (void)o;
    ssgw_state_node n;
    return ssgw_state_parse_node(v->s, &n) == 0
               ? 0
               : WHY("expected \"host:port\" (a name, an IPv4 address or [IPv6], port 1-65535)");
}

/* ---- the types -------------------------------------------------------------------------- */

#define STR_LIST(nm, chk)                                                                          \
    {                                                                                              \
        .name = nm, .value = SSGW_TOML_STRING, .list = true, .check = chk, .store = strlist_store, \
        .release = strlist_release                                                                 \
    }
#define INT_LIST(nm, chk)                                                                          \
    {                                                                                              \
        .name = nm, .value = SSGW_TOML_INT, .list = true, .check = chk, .store = intlist_store,    \
        .release = intlist_release                                                                 \
    }
#define STRING(nm, chk, allow)                                                                     \
    {                                                                                              \
        .name = nm, .value = SSGW_TOML_STRING, .allowed = allow, .check = chk, .store = str_store, \
        .release = str_release                                                                     \
    }

const ssgw_cfg_type policy_type_country = {.name = "country code",
                                           .value = SSGW_TOML_STRING,
                                           .allowed = "two capitals",
                                           .check = country_check,
                                           .store = country_store};
const ssgw_cfg_type policy_type_digits_list = STR_LIST("array of digits", digits_check);
const ssgw_cfg_type policy_type_mccmnc_list = STR_LIST("array of MCC-MNC", mccmnc_check);
const ssgw_cfg_type policy_type_country_list =
    STR_LIST("array of country codes", country_any_check);
const ssgw_cfg_type policy_type_pc_list = INT_LIST("array of point codes", pc_check);
const ssgw_cfg_type policy_type_ssn_list = INT_LIST("array of SSNs", ssn_check);
const ssgw_cfg_type policy_type_op_list = STR_LIST("array of operations", op_check);
const ssgw_cfg_type policy_type_cat_list = STR_LIST("array of categories", cat_check);
const ssgw_cfg_type policy_type_tcap_list = STR_LIST("array of TCAP types", tcap_check);
const ssgw_cfg_type policy_type_name_list = STR_LIST("array of partner names", name_check);
const ssgw_cfg_type policy_type_realm_list = STR_LIST("array of realms", realm_check);
const ssgw_cfg_type policy_type_action =
    STRING("action", action_check, "allow, drop, answer, alert, rate-limit");
const ssgw_cfg_type policy_type_answer = STRING("answer", answer_check, "see Answers");
const ssgw_cfg_type policy_type_rate = STRING("rate", rate_check, "see Rates");
const ssgw_cfg_type policy_type_http_url = STRING("string", http_url_check, NULL);
const ssgw_cfg_type policy_type_path_list = STR_LIST("array of file names", path_check);
const ssgw_cfg_type policy_type_percentile =
    STRING("percentile", percentile_check, "\"50\" to \"100\"");
const ssgw_cfg_type policy_type_redis_url = STRING("string", redis_url_check, NULL);
const ssgw_cfg_type policy_type_hostport_list = STR_LIST("array of host:port", hostport_check);
const ssgw_cfg_type policy_type_check_name =
    STRING("check name", check_name_check, "docs/checks.md");
const ssgw_cfg_type policy_type_domain_list = STR_LIST("array of domains", domain_check);
const ssgw_cfg_type policy_type_phrase_list = STR_LIST("array of phrases", phrase_check);
const ssgw_cfg_type policy_type_sender = STRING("sender", sender_check, "name or digits");
