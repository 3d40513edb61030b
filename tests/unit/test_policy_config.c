/* test_policy_config.c - the policy configuration parser: the example file loads, and every
 * kind of mistake gives the documented message with its line and column
 * (docs/configuration.md, "Errors"). */
#include <stdlib.h>

#include "check.h"
#include "policy/policy_int.h"
#include "ssgw/policy.h"

static const char *HOME = "[home]\nmcc_mnc = [\"23491\"]\ngt_prefixes = [\"447924\"]\n";

/* Loads text; expects failure with an error at line:col containing `want`. */
static void expect_err(const char *text, int line, int col, const char *want)
{
    ssgw_config_errors errs;
    ssgw_policy *p = ssgw_policy_load_string("t.conf", text, strlen(text), &errs);
    CHECK(p == NULL);
    ssgw_policy_free(p);
    int found = 0;
    for (size_t i = 0; i < errs.n; i++)
        if (errs.e[i].line == line && errs.e[i].col == col && strstr(errs.e[i].text, want))
            found = 1;
    if (!found) {
        fprintf(stderr, "  wanted %d:%d '%s'; got:\n", line, col, want);
        for (size_t i = 0; i < errs.n; i++)
            fprintf(stderr, "    %s\n", errs.e[i].text);
    }
    CHECK(found);
}

static char *with_home(const char *rest)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", HOME, rest);
    return buf;
}

static void example_loads(void)
{
    ssgw_config_errors errs;
    ssgw_policy *p = ssgw_policy_load_file("../examples/ssgw.conf", &errs);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(stderr, "%s\n", errs.e[i].text);
    CHECK(p != NULL);
    if (!p) return;
    CHECK_INT(p->n_partners, 3);
    CHECK_STR(p->partners[1].name, "Rhein Telekom");
    CHECK(opset_has(&p->partners[1].allowed, 71));
    CHECK(!opset_has(&p->partners[0].allowed, 71));
    uint16_t o;
    uint8_t roles;
    trie_lookup(&p->gt, "254722000020", &o, &roles);
    CHECK_INT(o, OWNER_PARTNER(0));
    CHECK(roles & ROLE_SMSC);
    trie_lookup(&p->gt, "2547229", &o, &roles);
    CHECK_INT(o, OWNER_PARTNER(0));
    CHECK_INT(roles, 0);
    trie_lookup(&p->gt, "447924000001", &o, &roles);
    CHECK_INT(o, OWNER_HOME);
    CHECK(roles & ROLE_HLR);
    trie_lookup(&p->gt, "88234111", &o, &roles);
    CHECK_INT(o, OWNER_NONE);
    trie_lookup(&p->imsi, "262019999999999", &o, &roles);
    CHECK_INT(o, OWNER_PARTNER(1));
    CHECK(!p->monitor);
    CHECK_INT(p->rate_sri_sm.limit, 2);
    CHECK_INT(p->rate_sri_sm.period, 600);
    CHECK(!p->checks[ssgw_check_find("rate.operation")].enabled);
    ssgw_policy_free(p);
}

static void defaults_and_values(void)
{
    const char *t = "# comment\n[policy]\nmode = \"monitor\"  # trailing comment\n"
                    "[state]\nsubscribers = 1_000\n"
                    "[home]\nmcc_mnc = [\n  \"23491\",  # multi-line array\n  \"23492\",\n]\n"
                    "gt_prefixes = [\"447924\"]\npoint_codes = [1001, 1002]\n"
                    "[[rule]]\nname = \"x\"\naction = \"answer\"\nanswer = \"map-error:21\"\n"
                    "tcap = [\"begin\"]\n";
    ssgw_config_errors errs;
    ssgw_policy *p = ssgw_policy_load_string("t.conf", t, strlen(t), &errs);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(stderr, "%s\n", errs.e[i].text);
    CHECK(p != NULL);
    if (!p) return;
    CHECK(p->monitor);
    CHECK_INT(p->st_subscribers, 1000);
    CHECK_INT(p->st_dialogues, 262144); /* default */
    CHECK_INT(p->dialogue_timeout, 60);
    CHECK_INT(p->home.mccmnc.n, 2);
    CHECK_INT(p->home.pc.v[1], 1002);
    CHECK_INT(p->rules[0].answer.kind, SSGW_ANSWER_MAP_ERROR);
    CHECK_INT(p->rules[0].answer.code, 21);
    CHECK_STR(p->rules[0].decider, "rule.x");
    CHECK_INT(p->rules[0].dir, SSGW_DIR_INBOUND); /* default direction */
    CHECK_INT(p->malformed, SSGW_ACT_DROP);
    ssgw_policy_free(p);
}

static void syntax_errors(void)
{
    expect_err("[home\n", 1, 1, "bad section header");
    expect_err("[[partner]\n", 1, 1, "bad section header");
    expect_err("[homee]\n", 1, 1, "unknown section [homee]");
    expect_err("[homee]\n", 1, 1, "did you mean 'home'?");
    expect_err("[partner]\n", 1, 1, "write [[partner]]");
    expect_err(with_home("[home]\n"), 4, 1, "duplicate section [home] (first at line 1)");
    expect_err("mode = \"x\"\n[home]\n", 1, 1, "outside any section");
    expect_err(with_home("[policy]\nmode \"monitor\"\n"), 5, 6, "expected '=' after key 'mode'");
    expect_err(with_home("[policy]\nmode = monitor\n"), 5, 8, "strings need double quotes");
    expect_err(with_home("[policy]\nmode = \"monitor\n"), 5, 8, "unterminated string");
    expect_err(with_home("[policy]\nmode = \"a\\qb\"\n"), 5, 10, "unknown escape");
    expect_err(with_home("[policy]\nmode = \"monitor\" x\n"), 5, 18, "unexpected 'x'");
    expect_err(with_home("[policy]\nmode =\n"), 5, 7, "missing value");
    expect_err(with_home("[state]\nsubscribers = 12abc\n"), 5, 15, "bad value");
    expect_err(with_home("[home]\n"), 4, 1, "duplicate");
    expect_err(with_home("[rate]\nimsi = [\"1/s\", 2]\n"), 5, 16, "must all be of one type");
    expect_err(with_home("[[rule]]\nname = \"r\"\naction = \"drop\"\ncalling_gt = [\"1\"\n"), 7, 14,
               "unterminated array");
    expect_err(with_home("[[rule]]\nname = \"r\"\naction = \"drop\"\ncalling_gt = [[\"1\"]]\n"), 7,
               15, "nested arrays");
    expect_err(with_home("= 3\n"), 4, 1, "expected a key");
}

static void value_errors(void)
{
    expect_err(with_home("[policy]\nmdoe = \"monitor\"\n"), 5, 1,
               "[policy] unknown key 'mdoe' (did you mean 'mode'?)");
    expect_err(with_home("[policy]\nmode = \"block\"\n"), 5, 8,
               "[policy] mode: \"block\": allowed values are enforce|monitor");
    expect_err(with_home("[policy]\nmode = \"monitor\"\nmode = \"enforce\"\n"), 6, 1,
               "set twice (first at line 5)");
    expect_err(with_home("[policy]\nmode = 3\n"), 5, 8, "expected a string");
    expect_err(with_home("[policy]\nmalformed = \"reject\"\n"), 5, 13,
               "allowed values are allow, drop, answer, alert, rate-limit");
    expect_err(with_home("[state]\nsubscribers = 0\n"), 5, 15,
               "[state] subscribers: 0: must be between 1 and 100000000");
    expect_err(with_home("[state]\ndialogue_timeout = \"60\"\n"), 5, 20, "expected an integer");
    expect_err("[home]\nmcc_mnc = [\"2349\"]\ngt_prefixes = [\"447924\"]\n", 2, 12,
               "an MCC-MNC is 5 or 6 digits");
    expect_err("[home]\nmcc_mnc = \"23491\"\ngt_prefixes = [\"447924\"]\n", 2, 11,
               "expected an array");
    expect_err("[home]\nmcc_mnc = [\"23491\"]\ngt_prefixes = [\"44-79\"]\n", 3, 16,
               "expected 1 to 15 decimal digits");
    expect_err("[home]\nmcc_mnc = [\"23491\"]\ngt_prefixes = [\"447924\"]\npoint_codes = [20000]\n",
               4, 16, "a point code is 0 to 16383");
    expect_err("[home]\ncountry = \"gb\"\nmcc_mnc = [\"23491\"]\ngt_prefixes = [\"4\"]\n", 2, 11,
               "ISO 3166-1 alpha-2");
    expect_err(with_home("[rate]\nimsi = \"10 per minute\"\n"), 5, 8,
               "expected \"<count>/<period>\"");
    expect_err(with_home("[[partner]]\nname = \"P\"\ngt_prefixes = [\"49\"]\n"
                         "allow = [\"anyTimeInterogation\"]\n"),
               7, 10, "did you mean 'anyTimeInterrogation'?");
    expect_err(
        with_home("[[rule]]\nname = \"r\"\naction = \"answer\"\nanswer = \"map-error:nope\"\n"), 7,
        10, "map-error:<error name or 0-127>");
    expect_err(with_home("[[rule]]\nname = \"r\"\naction = \"drop\"\ncategory = [\"cat4\"]\n"), 7,
               13, "allowed values are cat1, cat2, cat3, sms, other, none");
    expect_err(with_home("[[rule]]\nname = \"r\"\naction = \"drop\"\ntcap = [\"begn\"]\n"), 7, 9,
               "allowed values are begin");
    expect_err(with_home("[[rule]]\nname = \"r\"\naction = \"drop\"\ncalling_ssn = [300]\n"), 7, 16,
               "a subsystem number is 0 to 255");
    expect_err(with_home("[[check]]\nname = \"cat1.operaton\"\n"), 5, 8,
               "did you mean 'cat1.operation'?");
    expect_err(with_home("[[check]]\nname = \"cat1.operation\"\nenabled = \"no\"\n"), 6, 11,
               "expected a boolean");
}

static void model_errors(void)
{
    expect_err("[policy]\nmode = \"monitor\"\n", 0, 0, "missing section [home]");
    expect_err("[home]\nmcc_mnc = [\"23491\"]\n", 1, 1,
               "[home] is missing the required key 'gt_prefixes'");
    expect_err(with_home("[[partner]]\ngt_prefixes = [\"49\"]\n"), 4, 1,
               "[[partner]] is missing the required key 'name'");
    expect_err(with_home("[[rule]]\nname = \"r\"\n"), 4, 1,
               "[[rule]] is missing the required key 'action'");
    expect_err(with_home("[[partner]]\nname = \"A\"\ngt_prefixes = [\"49\"]\n"
                         "[[partner]]\nname = \"A\"\ngt_prefixes = [\"33\"]\n"),
               7, 1, "name \"A\" is already used at line 4");
    expect_err(with_home("[[partner]]\nname = \"A\"\ngt_prefixes = [\"447924\"]\n"), 4, 1,
               "is also a prefix of the home network");
    expect_err(with_home("[[partner]]\nname = \"A\"\ngt_prefixes = [\"49\"]\nhlr = [\"3312\"]\n"),
               4, 1, "is not inside its gt_prefixes");
    expect_err(with_home("[[rule]]\nname = \"r\"\naction = \"drop\"\npartner = [\"Rhein\"]\n"), 4,
               1, "no [[partner]] has that name");
    expect_err(with_home("[[rule]]\nname = \"r\"\naction = \"rate-limit\"\n"), 4, 1,
               "needs rate = ");
    expect_err(with_home("[[check]]\nname = \"cat1.operation\"\n[[check]]\nname = "
                         "\"cat1.operation\"\n"),
               6, 1, "already configured at line 4");
}

static void error_text_format(void)
{
    const char *t =
        "[home]\nmcc_mnc = [\"23491\"]\ngt_prefixes = [\"447924\"]\n[policy]\nmode = 7\n";
    ssgw_config_errors errs;
    CHECK(ssgw_policy_load_string("my.conf", t, strlen(t), &errs) == NULL);
    CHECK_INT(errs.n, 1);
    CHECK_STR(errs.e[0].text, "my.conf:5:8: error: [policy] mode: 7: expected a string");
}

static void option_table(void)
{
    /* the table is sound: sections, unique keys, help, defaults that pass their own check */
    char err[256] = "";
    CHECK_INT(ssgw_cfg_schema_check(ssgw_policy_schema(), err, sizeof err), 0);
    if (err[0]) fprintf(stderr, "%s\n", err);
    CHECK_INT(ssgw_config_option_count(), ssgw_policy_schema()->n_options);
    CHECK(ssgw_config_option_at(ssgw_config_option_count()) == NULL);
    CHECK_STR(ssgw_config_section_at(5)->name, "partner");
    CHECK(ssgw_config_section_at(5)->array);
}

/* Bounds of the integer keys as docs/configuration.md stated them before its tables were
 * generated: the lowest and highest values load, one beyond does not. */
static void bounds(void)
{
    static const struct {
        const char *section, *key;
        long long min, max;
    } b[] = {
        {"state", "subscribers", 1, 100000000},   {"state", "sri_sm_marks", 1, 100000000},
        {"state", "dialogues", 1, 100000000},     {"state", "buckets", 1, 100000000},
        {"state", "dialogue_timeout", 1, 86400},  {"state", "sri_sm_window", 1, 86400},
        {"velocity", "max_speed_kmh", 1, 100000}, {"velocity", "min_distance_km", 0, 20000},
    };
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
        long long vals[4] = {b[i].min, b[i].max, b[i].min - 1, b[i].max + 1};
        for (int k = 0; k < 4; k++) {
            char text[512];
            snprintf(text, sizeof text, "%s[%s]\n%s = %lld\n", HOME, b[i].section, b[i].key,
                     vals[k]);
            ssgw_config_errors errs;
            ssgw_policy *p = ssgw_policy_load_string("b.conf", text, strlen(text), &errs);
            CHECK((p != NULL) == (k < 2));
            if (k >= 2) {
                char want[160];
                snprintf(want, sizeof want, "[%s] %s: %lld: must be between %lld and %lld",
                         b[i].section, b[i].key, vals[k], b[i].min, b[i].max);
                CHECK(errs.n == 1 && strstr(errs.e[0].text, want));
            }
            ssgw_policy_free(p);
        }
    }
}

/* Defaults as docs/configuration.md stated them before its tables were generated. */
static void defaults(void)
{
    const char *t = "[home]\nmcc_mnc = [\"23491\"]\ngt_prefixes = [\"447924\"]\n"
                    "[trust]\nroot = \"r.pem\"\nbundle = \"b.bundle\"\nsign = \"none\"\n"
                    "[[partner]]\nname = \"P\"\ngt_prefixes = [\"49\"]\n"
                    "[[check]]\nname = \"cat1.operation\"\n";
    ssgw_config_errors errs;
    ssgw_policy *p = ssgw_policy_load_string("/etc/ssgw/d.conf", t, strlen(t), &errs);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(stderr, "%s\n", errs.e[i].text);
    CHECK(p != NULL);
    if (!p) return;
    CHECK(!p->monitor);
    CHECK_INT(p->malformed, SSGW_ACT_DROP);
    CHECK_INT(p->malformed_answer.kind, SSGW_ANSWER_SCCP_UDTS);
    CHECK_INT(p->st_subscribers, 1000000);
    CHECK_INT(p->st_marks, 262144);
    CHECK_INT(p->st_buckets, 262144);
    CHECK_INT(p->sri_sm_window, 60);
    CHECK_INT(p->max_speed_kmh, 1000);
    CHECK_INT(p->min_distance_km, 600);
    CHECK_INT(p->rate_calling_gt.limit, 2000);
    CHECK_INT(p->rate_calling_gt.period, 1);
    CHECK_INT(p->rate_imsi.limit, 60);
    CHECK_INT(p->rate_imsi.period, 60);
    CHECK_INT(p->rate_operation.limit, 0);
    CHECK_INT(p->rate_sri_sm.limit, 5);
    CHECK_INT(p->rate_sri_sm.period, 600);
    CHECK_STR(p->home.name, "");
    CHECK_INT(p->partners[0].trust_mode, -1);
    CHECK(p->checks[ssgw_check_find("cat1.operation")].enabled);
    const ssgw_policy_trust *tr = ssgw_policy_trust_get(p);
    CHECK(tr->present);
    CHECK_STR(tr->root, "/etc/ssgw/r.pem"); /* relative to the file */
    CHECK(tr->bundle_url == NULL);
    CHECK_INT(tr->bundle_poll_s, 300);
    CHECK_INT(tr->mode, SSGW_TOKEN_MODE_ECDSA_P256);
    CHECK_INT(tr->sign, SSGW_TRUST_SIGN_NONE);
    CHECK_INT(tr->cfg.window_s, 60);
    /* replay_entries unset: sized for max_rate 5000/s over 2 x 60 + 1 s, 3/4 full at most */
    CHECK_INT(tr->max_rate, 5000);
    CHECK_INT(tr->cfg.replay_entries, 5000 * 121 * 4 / 3 + 16);
    CHECK_INT(tr->cfg.replay_share, 25); /* percent of the replay cache per operator */
    CHECK_STR(tr->sequence_file, "/etc/ssgw/b.bundle.seq");
    CHECK_INT(tr->policy.mode, SSGW_TRUST_REQUIRE);
    for (int o = 1; o < SSGW_TRUST_OUTCOME_COUNT; o++)
        CHECK_INT(tr->policy.action[o], SSGW_TRUST_ACTION_DROP);
    ssgw_policy_free(p);
}

/* What the shared reader and option mechanism add to the policy file. */
static void shared_loader(void)
{
    /* integers may be hexadecimal; leading zeros are refused rather than guessed */
    const char *t = "[home]\nmcc_mnc = [\"23491\"]\ngt_prefixes = [\"447924\"]\n"
                    "point_codes = [0x3e9, 1_002]\n";
    ssgw_config_errors errs;
    ssgw_policy *p = ssgw_policy_load_string("t.conf", t, strlen(t), &errs);
    CHECK(p != NULL);
    if (p) {
        CHECK_INT(p->home.pc.v[0], 1001);
        CHECK_INT(p->home.pc.v[1], 1002);
    }
    ssgw_policy_free(p);
    expect_err(with_home("[state]\nsubscribers = 0100\n"), 5, 15, "has no leading zeros");
    /* an unknown key with nothing close lists the section's keys */
    expect_err(with_home("[velocity]\nzzz = 1\n"), 5, 1,
               "[velocity] unknown key 'zzz': allowed are max_speed_kmh, min_distance_km");
    /* [trust]: required keys, and a URL checked where it is written */
    expect_err(with_home("[trust]\nbundle = \"b\"\nsign = \"none\"\n"), 4, 1,
               "[trust] is missing the required key 'root' (the TSCA root certificate (PEM): the "
               "only trust anchor)");
    expect_err(with_home("[trust]\nroot = \"r\"\nbundle = \"b\"\nsign = \"none\"\n"
                         "bundle_url = \"https://x\"\n"),
               8, 14, "[trust] bundle_url: \"https://x\": expected an http:// URL");
    /* a replay cache too small for the rate it must hold */
    expect_err(with_home("[trust]\nroot = \"r\"\nbundle = \"b\"\nsign = \"none\"\n"
                         "replay_entries = 1000\n"),
               4, 1,
               "[trust] replay_entries 1000 cannot hold max_rate 5000 tokens/s over 2 x window + 1 "
               "= 121 s (needs 806682)");
    /* the share of the replay cache one operator may hold: 1 .. 100 percent */
    for (int v = 0; v <= 101; v += 1) {
        if (v == 2) v = 99;
        char text[256];
        snprintf(text, sizeof text,
                 "%s[trust]\nroot = \"r\"\nbundle = \"b\"\nsign = \"none\"\nreplay_share = %d\n",
                 HOME, v);
        ssgw_config_errors es;
        ssgw_policy *sp = ssgw_policy_load_string("s.conf", text, strlen(text), &es);
        CHECK((sp != NULL) == (v >= 1 && v <= 100));
        if (sp) CHECK_INT(ssgw_policy_trust_get(sp)->cfg.replay_share, v);
        if (!sp) {
            char want[80];
            snprintf(want, sizeof want, "[trust] replay_share: %d: must be between 1 and 100", v);
            CHECK(es.n == 1 && strstr(es.e[0].text, want));
        }
        ssgw_policy_free(sp);
    }
    expect_err(with_home("[trust]\nroot = \"r\"\nbundle = \"b\"\n"), 4, 1,
               "[trust] is missing the key 'key' (our signing key): required unless sign = "
               "\"none\"");
}

/* trie_lookup as it was written before issue 16 (a test for the end and one for a digit at
 * every step): the reference for the loop that tests a digit once. */
static void trie_lookup_reference(const trie *t, const char *d, uint16_t *val, uint8_t *roles)
{
    uint16_t v = 0;
    int32_t i = 0;
    *roles = 0;
    for (;;) {
        const trie_node *nd = &t->n[i];
        if (nd->end) v = nd->val;
        unsigned c = (unsigned)(*d - '0');
        if (*d == '\0') {
            *roles = nd->roles;
            break;
        }
        if (c > 9 || nd->child[c] < 0) break;
        i = nd->child[c];
        d++;
    }
    *val = v;
}

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Random tries of short prefixes (values and roles at random nodes) and random strings of
 * digits, some with a non-digit or cut short: trie_lookup and the reference agree. */
static void trie_lookup_as_reference(void)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
#define RND() xorshift(&x)
    size_t compared = 0, differ = 0, valued = 0, with_roles = 0;
    for (int round = 0; round < 50; round++) {
        trie t;
        CHECK_INT(trie_init(&t), 0);
        for (int k = 0; k < 40; k++) {
            char pre[8];
            size_t n = 1 + RND() % 6;
            for (size_t i = 0; i < n; i++)
                pre[i] = (char)('0' + RND() % 4); /* few digits: prefixes share paths */
            pre[n] = '\0';
            int node = trie_insert(&t, pre);
            CHECK(node >= 0);
            if (node < 0) continue;
            if (RND() % 2) {
                t.n[node].end = 1;
                t.n[node].val = (uint16_t)(1 + RND() % 9);
            }
            if (RND() % 3 == 0) t.n[node].roles = (uint8_t)(1 + RND() % 63);
        }
        for (int k = 0; k < 2000; k++) {
            char s[12];
            size_t n = RND() % 10;
            for (size_t i = 0; i < n; i++)
                s[i] = (char)('0' + RND() % 5);
            if (n && RND() % 4 == 0) {
                size_t at = RND() % n;
                s[at] = "a#/ F"[RND() % 5];
            }
            s[n] = '\0';
            uint16_t v1, v2;
            uint8_t r1, r2;
            trie_lookup(&t, s, &v1, &r1);
            trie_lookup_reference(&t, s, &v2, &r2);
            compared++;
            differ += v1 != v2 || r1 != r2;
            valued += v2 != 0;
            with_roles += r2 != 0;
        }
        trie_free(&t);
    }
#undef RND
    printf("    %zu lookups (%zu with a value, %zu with roles), %zu differ\n", compared, valued,
           with_roles, differ);
    CHECK_INT(differ, 0);
    CHECK(valued > 1000 && with_roles > 100);
}

int main(void)
{
    RUN(example_loads);
    RUN(trie_lookup_as_reference);
    RUN(defaults_and_values);
    RUN(syntax_errors);
    RUN(value_errors);
    RUN(model_errors);
    RUN(error_text_format);
    RUN(option_table);
    RUN(bounds);
    RUN(defaults);
    RUN(shared_loader);
    return check_summary();
}
