/* test_partner_data.c - [import] (docs/partner-data.md): the partner-data CSV and JSON
 * readers (every column, ranges as prefixes, 3-8-3 point codes, quoted cells, malformed
 * rows named by line and skipped), the merge with hand-written [[partner]] tables and its
 * report (the same GT range claimed twice, a name imported twice, a hand-written partner
 * contradicting and completed by a row, nested ranges, node GTs outside their ranges, an
 * unreadable file, strict = true), imported Diameter realms (the Diameter checks know the
 * partner by them; a realm already claimed stays the first claim's), the ported-numbers
 * table and the checks that use it (spoof.msisdn_network, cat2.* by MSISDN), and a large
 * file: 3,000 partners load in well under a second and a GT lookup stays a walk of its
 * digits. */
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fw_msg.h"
#include "policy/config_types.h"
#include "policy/import_int.h"

static char dir[64];

static const char *path_of(const char *name)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void write_file(const char *name, const char *text)
{
    FILE *f = fopen(path_of(name), "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

/* ---- the readers alone ---------------------------------------------------------------- */

typedef struct {
    party rows[16];
    int nrows;
    int lines[32];
    char msgs[32][600];
    int nprob;
} collect;

static int on_row(void *ctx, party *pa)
{
    collect *c = ctx;
    if (c->nrows < 16) {
        c->rows[c->nrows++] = *pa;
        memset(pa, 0, sizeof *pa);
    } else {
        policy_party_release(pa);
    }
    return 0;
}

static int on_problem(void *ctx, int line, const char *msg)
{
    collect *c = ctx;
    if (c->nprob < 32) {
        c->lines[c->nprob] = line;
        snprintf(c->msgs[c->nprob], sizeof c->msgs[0], "%s", msg);
        c->nprob++;
    }
    return 0;
}

static void collect_free(collect *c)
{
    for (int i = 0; i < c->nrows; i++)
        policy_party_release(&c->rows[i]);
    memset(c, 0, sizeof *c);
}

static int has_item(const strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s)) return 1;
    return 0;
}

static void ranges_and_point_codes(void)
{
    strlist l = {NULL, 0};
    char why[200];
    CHECK_INT(import_range_prefixes("254722000000-254722499999", &l, why, sizeof why), 0);
    CHECK_INT(l.n, 5);
    CHECK(has_item(&l, "2547220") && has_item(&l, "2547224") && !has_item(&l, "2547225"));
    strlist_free(&l);
    /* unaligned ends: the fewest prefixes that cover exactly the range */
    CHECK_INT(import_range_prefixes("4412345-4412371", &l, why, sizeof why), 0);
    CHECK_INT(l.n, 9); /* 4412345 .. 4412349, 441235, 441236, 4412370, 4412371 */
    CHECK(has_item(&l, "4412345") && has_item(&l, "4412349") && has_item(&l, "441235") &&
          has_item(&l, "441236") && has_item(&l, "4412370") && has_item(&l, "4412371"));
    strlist_free(&l);
    CHECK_INT(import_range_prefixes("+254722", &l, why, sizeof why), 0);
    CHECK_STR(l.v[0], "254722");
    strlist_free(&l);
    CHECK_INT(import_range_prefixes("2547-25472", &l, why, sizeof why), -1);
    CHECK(strstr(why, "as many digits") != NULL);
    CHECK_INT(import_range_prefixes("25479-25470", &l, why, sizeof why), -1);
    CHECK_INT(import_range_prefixes("00000-99999", &l, why, sizeof why), -1);
    CHECK_INT(import_range_prefixes("25472x", &l, why, sizeof why), -1);
    CHECK_INT(import_range_prefixes("1234567890123456", &l, why, sizeof why), -1);
    long long pc;
    CHECK_INT(import_point_code("2-010-4", &pc, why, sizeof why), 0);
    CHECK_INT(pc, (2 << 11) | (10 << 3) | 4);
    CHECK_INT(import_point_code("16383", &pc, why, sizeof why), 0);
    CHECK_INT(import_point_code("16384", &pc, why, sizeof why), -1);
    CHECK_INT(import_point_code("8-1-1", &pc, why, sizeof why), -1);
    CHECK_INT(import_point_code("1-2", &pc, why, sizeof why), -1);
}

static void csv_rows(void)
{
    const char *text =
        "# comment\n"
        "\n"
        "Name,TADIG,country,mcc_mnc,gt_ranges,point_codes,smsc,diameter_realms,remarks\n"
        "Safari Mobile,KENSA,ke,639-02,254722,2001,254722000020,epc.mnc002.mcc639.3gppnetwork.org,"
        "x\n"
        "\"Quote \"\"Mobile\"\", Ltd\",,,,\"2547330;\n2547331\",\"2-010-4 ; 3000\",,,\n"
        "Bad GT,,,,25473x,,,,\n"
        "Short row,1,2\n"
        "\"Unterminated,,,,,,,,\n"
        "No Range,,,,,,,,\n"
        "Reserved,,,,254799,,,,\n"
        "home,,,,254799,,,,\n";
    collect c;
    memset(&c, 0, sizeof c);
    import_sink s = {&c, on_row, NULL, on_problem};
    CHECK_INT(import_partners_csv(text, strlen(text), &s), 0);
    CHECK_INT(c.nrows, 3);
    CHECK_STR(c.rows[0].name, "Safari Mobile");
    CHECK_STR(c.rows[0].tadig, "KENSA");
    CHECK_STR(c.rows[0].country, "KE");
    CHECK_STR(c.rows[0].mccmnc.v[0], "63902");
    CHECK_INT(c.rows[0].pc.v[0], 2001);
    CHECK_STR(c.rows[0].realms.v[0], "epc.mnc002.mcc639.3gppnetwork.org");
    CHECK_INT(c.rows[0].line, 4);
    CHECK_STR(c.rows[1].name, "Quote \"Mobile\", Ltd");
    CHECK_INT(c.rows[1].gt.n, 2); /* a quoted cell over two lines */
    CHECK_INT(c.rows[1].pc.n, 2);
    CHECK_INT(c.rows[1].line, 5);
    CHECK_STR(c.rows[2].name, "Reserved");
    /* the unknown column, then each bad row by its line */
    CHECK_INT(c.nprob, 6);
    CHECK_INT(c.lines[0], 3);
    CHECK(strstr(c.msgs[0], "unknown column 'remarks'") != NULL);
    CHECK_INT(c.lines[1], 7);
    CHECK(strstr(c.msgs[1], "gt_ranges: \"25473x\"") != NULL);
    CHECK_INT(c.lines[2], 8);
    CHECK(strstr(c.msgs[2], "3 fields where the header has 9") != NULL);
    CHECK_INT(c.lines[3], 9);
    CHECK(strstr(c.msgs[3], "not closed") != NULL);
    CHECK_INT(c.lines[4], 10);
    CHECK(strstr(c.msgs[4], "no GT range") != NULL);
    CHECK_INT(c.lines[5], 12);
    CHECK(strstr(c.msgs[5], "reserved") != NULL);
    collect_free(&c);
    /* no name column: nothing is read */
    const char *noname = "country,gt_ranges\nKE,254722\n";
    CHECK_INT(import_partners_csv(noname, strlen(noname), &s), 0);
    CHECK_INT(c.nrows, 0);
    CHECK(c.nprob == 1 && c.lines[0] == 0 && strstr(c.msgs[0], "no 'name' column"));
    collect_free(&c);
}

static void json_reader(void)
{
    const char *text = "{\"partners\": [\n"
                       "  {\"name\": \"Maple\", \"gt_ranges\": [\"1613555\"], \"point_codes\": "
                       "[2101, \"2-020-6\"],\n"
                       "   \"mcc_mnc\": \"302720\", \"hlr\": [\"16135550001\"]},\n"
                       "  {\"name\": \"Bad\", \"gt_ranges\": [[\"1\"]]},\n"
                       "  \"not an object\",\n"
                       "  {\"name\": \"Extra\", \"gt_ranges\": \"35482\", \"colour\": \"red\"}\n"
                       "]}\n";
    collect c;
    memset(&c, 0, sizeof c);
    import_sink s = {&c, on_row, NULL, on_problem};
    CHECK_INT(import_partners_json(text, strlen(text), &s), 0);
    CHECK_INT(c.nrows, 2);
    CHECK_STR(c.rows[0].name, "Maple");
    CHECK_INT(c.rows[0].line, 2);
    CHECK_INT(c.rows[0].pc.n, 2);
    CHECK_STR(c.rows[0].mccmnc.v[0], "302720");
    CHECK_STR(c.rows[1].name, "Extra");
    CHECK_INT(c.rows[1].line, 6);
    CHECK_INT(c.nprob, 3);
    CHECK(c.lines[0] == 4 && strstr(c.msgs[0], "partners[1]") &&
          strstr(c.msgs[0], "array inside an array"));
    CHECK(c.lines[1] == 5 && strstr(c.msgs[1], "not an object"));
    CHECK(c.lines[2] == 6 && strstr(c.msgs[2], "unknown key 'colour'"));
    collect_free(&c);
    const char *bad = "{\"partners\": [\n {\"name\": \"x\",\n }\n]}";
    CHECK_INT(import_partners_json(bad, strlen(bad), &s), 0);
    CHECK(c.nprob == 1 && c.lines[0] == 3 && strstr(c.msgs[0], "not valid JSON"));
    collect_free(&c);
    const char *arr = "[{\"name\": \"A\", \"gt_ranges\": \"1\"}]";
    CHECK_INT(import_partners_json(arr, strlen(arr), &s), 0);
    CHECK_INT(c.nrows, 1);
    CHECK_INT(c.rows[0].line, 1);
    collect_free(&c);
    const char *obj = "{\"partner\": []}";
    CHECK_INT(import_partners_json(obj, strlen(obj), &s), 0);
    CHECK(c.nprob == 1 && strstr(c.msgs[0], "\"partners\" array"));
    collect_free(&c);
}

/* ---- the merge ---------------------------------------------------------------------- */

static ssgw_policy *load_with(const char *extra, ssgw_config_errors *errs)
{
    return fw_policy(extra, errs);
}

static int warned(const ssgw_policy *p, const char *a, const char *b)
{
    for (size_t i = 0; i < ssgw_policy_import_warning_count(p); i++) {
        const char *w = ssgw_policy_import_warning_at(p, i);
        if (strstr(w, a) && (!b || strstr(w, b))) return 1;
    }
    return 0;
}

static void merge_and_report(void)
{
    write_file("a.csv", "name,country,mcc_mnc,gt_ranges,point_codes,hlr,smsc,msisdn_ranges\n"
                        "Safari Mobile,KE,63902,254722,2001,,,2547227\n"    /* line 2 */
                        "Rhein Telekom,AT,26201,491710,2099,,,\n"           /* line 3 */
                        "Fjord,NO,24201,4790,3001,4790000001,4780000020,\n" /* line 4 */
                        "Copycat,NO,24202,4790,3002,,,\n"                   /* line 5 */
                        "Nested,NO,24203,47901,3003,,,\n"                   /* line 6 */
                        "Fjord,NO,24201,4791,3001,,,\n"                     /* line 7 */
                        "Squatter,GB,23491,447924,3004,,,\n"                /* line 8 */
                        "Broken,NO,2420,4792,,,,\n");                       /* line 9 */
    char extra[600];
    snprintf(extra, sizeof extra, "[import]\npartners = [\"%s\", \"%s\"]\n", path_of("a.csv"),
             path_of("missing.json"));
    ssgw_config_errors errs;
    ssgw_policy *p = load_with(extra, &errs);
    CHECK(p != NULL);
    if (!p) return;
    /* a hand-written partner is used; what it lacks is filled from the row */
    CHECK(warned(p, "a.csv:2: warning", "\"Safari Mobile\" is also written by hand"));
    CHECK(warned(p, "a.csv:2:", "filled from this row: MSISDN ranges"));
    /* ... and where it says something else, the report names it */
    CHECK(warned(p, "a.csv:3:", "contradicts this row in: country, point codes"));
    /* the same range claimed twice: the first keeps it */
    CHECK(warned(p, "a.csv:5:", "GT range \"4790\" of \"Copycat\" is also claimed by Fjord"));
    CHECK(warned(p, "a.csv:5:", "has no GT range left: skipped"));
    CHECK(warned(p, "a.csv:7:", "\"Fjord\" is already imported from"));
    CHECK(warned(p, "a.csv:8:", "is also claimed by the home network"));
    CHECK(warned(p, "a.csv:4:", "smsc GT \"4780000020\" of \"Fjord\" is not inside"));
    CHECK(warned(p, "a.csv:6:", "\"47901\" of Nested lies inside \"4790\" of Fjord"));
    CHECK(warned(p, "a.csv:8:", "GT range \"447924\" of \"Squatter\" is also claimed by the home"));
    CHECK(warned(p, "a.csv:9:", "mcc_mnc: \"2420\""));
    CHECK(warned(p, "missing.json: warning: cannot open", NULL));
    /* what was loaded */
    int fj = policy_partner_find(p, "Fjord"), ne = policy_partner_find(p, "Nested");
    CHECK(fj >= 0 && ne >= 0);
    CHECK(policy_partner_find(p, "Copycat") < 0);
    uint16_t o;
    uint8_t r;
    trie_lookup(&p->gt, "4790000001", &o, &r);
    CHECK_INT(o, OWNER_PARTNER((size_t)fj));
    CHECK(r & ROLE_HLR);
    trie_lookup(&p->gt, "479012345", &o, &r);
    CHECK_INT(o, OWNER_PARTNER((size_t)ne));
    trie_lookup(&p->imsi, "242010000000001", &o, &r);
    CHECK_INT(o, OWNER_PARTNER((size_t)fj));
    const party *ke = &p->partners[policy_partner_find(p, "Safari Mobile")];
    CHECK(ke->file == NULL && ke->msisdn.n == 1);
    CHECK_INT(p->n_imported, 2);
    /* the report */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ssgw_policy_print_import_report(p, f);
    fclose(f);
    CHECK(strstr(buf, "import: 2 partners from 2 file(s) merged with 3 written by hand") != NULL);
    free(buf);
    /* an imported partner is judged like a hand-written one */
    ssgw_firewall *fw = ssgw_firewall_new(p, NULL);
    fw_spec isd = {3001,
                   1001,
                   "4790000001",
                   6,
                   FW_VLR,
                   7,
                   SSGW_TCAP_BEGIN,
                   0x11,
                   0,
                   16,
                   3,
                   7,
                   "242010000000001",
                   NULL,
                   NULL,
                   NULL,
                   NULL,
                   0};
    CHECK_STR(fw_run(fw, &isd, 1000), "default");
    isd.opc = 2009; /* its GT from another point code */
    CHECK_STR(fw_run(fw, &isd, 1000), "spoof.peer_mismatch");
    CHECK_INT(ssgw_firewall_switch_partner(fw, "Fjord", SSGW_FW_SWITCH_OFF), 0);
    isd.opc = 3001;
    CHECK_STR(fw_run(fw, &isd, 1000), "partner.disabled");
    ssgw_firewall_free(fw);
    ssgw_policy_free(p);

    /* strict: every one of them refuses the policy, named by file and line */
    snprintf(extra, sizeof extra, "[import]\npartners = [\"%s\"]\nstrict = true\n",
             path_of("a.csv"));
    p = load_with(extra, &errs);
    CHECK(p == NULL);
    int found = 0;
    for (size_t i = 0; i < errs.n; i++)
        found += strstr(errs.e[i].text, "a.csv:9: error: malformed row") != NULL;
    CHECK_INT(found, 1);
    CHECK(errs.n >= 8);
    /* a file of another format */
    write_file("a.txt", "x");
    snprintf(extra, sizeof extra, "[import]\npartners = [\"%s\"]\n", path_of("a.txt"));
    p = load_with(extra, &errs);
    CHECK(p && warned(p, "a.txt: warning: unknown format", NULL));
    ssgw_policy_free(p);
}

/* Imported Diameter realms are the partner's realms for the Diameter checks; a realm another
 * network already has stays the first claim's, a warning of the merge report (an error with
 * strict = true), as for GT ranges. */
static void imported_realms(void)
{
    write_file("r.csv", "name,country,mcc_mnc,gt_ranges,diameter_realms\n"
                        "Fjord,NO,24201,4790,ims.fjord.example\n"                       /* line 2 */
                        "Copycat,NO,24202,4791,IMS.fjord.example;ims.copycat.example\n" /* 3 */
                        "Squatter,NO,24203,4792,epc.mnc091.mcc234.3gppnetwork.org\n");  /* 4 */
    char extra[600];
    snprintf(extra, sizeof extra, "[import]\npartners = [\"%s\"]\n", path_of("r.csv"));
    ssgw_config_errors errs;
    ssgw_policy *p = load_with(extra, &errs);
    CHECK(p != NULL);
    if (!p) return;
    const char *fj = "ims.fjord.example", *cc = "ims.copycat.example";
    const char *home = "epc.mnc091.mcc234.3gppnetwork.org";
    CHECK_STR(ssgw_policy_realm_owner(p, fj, strlen(fj)), "Fjord");
    CHECK_STR(ssgw_policy_realm_owner(p, cc, strlen(cc)), "Copycat");
    CHECK_STR(ssgw_policy_realm_owner(p, home, strlen(home)), "home");
    CHECK(
        warned(p, "r.csv:3: warning",
               "realm \"ims.fjord.example\" of Copycat is also claimed by Fjord, which keeps it"));
    CHECK(warned(p, "r.csv:4: warning", "is also claimed by the home network, which keeps it"));
    ssgw_policy_free(p);
    snprintf(extra, sizeof extra, "[import]\npartners = [\"%s\"]\nstrict = true\n",
             path_of("r.csv"));
    CHECK(load_with(extra, &errs) == NULL);
    int found = 0;
    for (size_t i = 0; i < errs.n; i++)
        found += strstr(errs.e[i].text, "r.csv:3: error: realm") != NULL;
    CHECK_INT(found, 1);
}

/* [[partner]] sms_hub is importable: an SMS hub relays other networks' SMSCs (the SMS checks
 * believe the service-centre address it carries). CSV cells true/false/yes/no/1/0, a JSON
 * boolean or string; anything else names the value. */
static void imported_sms_hub(void)
{
    write_file("h.csv", "name,country,mcc_mnc,gt_ranges,sms_hub\n"
                        "Relay,PT,26801,3519,yes\n"
                        "Plain,PT,26802,3518,\n"
                        "Shut,PT,26803,3517,FALSE\n");
    char extra[600];
    snprintf(extra, sizeof extra, "[import]\npartners = [\"%s\"]\n", path_of("h.csv"));
    ssgw_config_errors errs;
    ssgw_policy *p = load_with(extra, &errs);
    CHECK(p != NULL);
    if (!p) return;
    CHECK(p->partners[policy_partner_find(p, "Relay")].sms_hub);
    CHECK(!p->partners[policy_partner_find(p, "Plain")].sms_hub);
    CHECK(!p->partners[policy_partner_find(p, "Shut")].sms_hub);
    ssgw_policy_free(p);
    write_file("bad.csv", "name,country,mcc_mnc,gt_ranges,sms_hub\nOdd,PT,26804,3516,maybe\n");
    snprintf(extra, sizeof extra, "[import]\npartners = [\"%s\"]\nstrict = true\n",
             path_of("bad.csv"));
    CHECK(load_with(extra, &errs) == NULL);
    bool named = false;
    for (size_t i = 0; i < errs.n; i++)
        named |= strstr(errs.e[i].text, "\"maybe\": sms_hub is true or false") != NULL;
    CHECK(named);
    /* JSON: a boolean or a string */
    const char *text = "[{\"name\": \"A\", \"gt_ranges\": \"1\", \"sms_hub\": true},\n"
                       " {\"name\": \"B\", \"gt_ranges\": \"2\", \"sms_hub\": \"no\"},\n"
                       " {\"name\": \"C\", \"gt_ranges\": \"3\", \"sms_hub\": 2}]";
    collect c;
    memset(&c, 0, sizeof c);
    import_sink sink = {&c, on_row, NULL, on_problem};
    CHECK_INT(import_partners_json(text, strlen(text), &sink), 0);
    CHECK_INT(c.nrows, 2);
    CHECK(c.nrows == 2 && c.rows[0].sms_hub && !c.rows[1].sms_hub);
    CHECK(c.nprob == 1 && strstr(c.msgs[0], "expected a string"));
    collect_free(&c);
}

/* ---- ported numbers ------------------------------------------------------------------- */

static void ported_numbers(void)
{
    write_file("ported.csv", "number,operator\n"
                             "447924555001,Safari Mobile\n"         /* out, to a partner */
                             "447924555100-447924555199,26201\n"    /* out, by MCC-MNC */
                             "4479245560*,Elsewhere\n"              /* out, to no partner */
                             "254722700001,home\n"                  /* in */
                             "447924555150,home\n"                  /* overlaps line 3 */
                             "44792455x,home\n"                     /* malformed */
                             "447924555002,Safari Mobil\n"          /* a typo */
                             "+491710700000-+491710700099,home\n"); /* in, a range */
    char extra[400];
    snprintf(extra, sizeof extra, "[import]\nported_numbers = [\"%s\"]\n", path_of("ported.csv"));
    ssgw_config_errors errs;
    ssgw_policy *p = load_with(extra, &errs);
    CHECK(p != NULL);
    if (!p) return;
    CHECK(warned(p, "ported.csv:6:", "overlap the row at"));
    CHECK(warned(p, "ported.csv:7:", "malformed row"));
    CHECK(warned(p, "ported.csv:8:", "did you mean 'Safari Mobile'"));
    const ported_range *row;
    int ke = policy_partner_find(p, "Safari Mobile"), de = policy_partner_find(p, "Rhein Telekom");
    CHECK_INT(policy_msisdn_owner(p, "447924555001", 0, &row), OWNER_PARTNER((size_t)ke));
    CHECK(row && row->line == 2);
    CHECK_INT(policy_msisdn_owner(p, "447924555150", 0, &row), OWNER_PARTNER((size_t)de));
    CHECK_INT(policy_msisdn_owner(p, "447924556099", 0, &row), OWNER_NONE);
    CHECK_INT(policy_msisdn_owner(p, "44792455609912", 0, &row),
              OWNER_NONE); /* a prefix: any length */
    CHECK_INT(policy_msisdn_owner(p, "447924100001", 0, &row), OWNER_HOME); /* msisdn_prefixes */
    CHECK(row == NULL);
    CHECK_INT(policy_msisdn_owner(p, "254722700001", 0, &row), OWNER_HOME);
    CHECK_INT(policy_msisdn_owner(p, "491710700042", 0, &row), OWNER_HOME);
    CHECK_INT(policy_msisdn_owner(p, "254722700002", 0, &row), MSISDN_UNKNOWN); /* no range says */
    CHECK_INT(policy_msisdn_owner(p, "", 0, &row), MSISDN_UNKNOWN);

    /* spoof.msisdn_network: sendRoutingInfoForSM from Safari's SMSC */
    ssgw_firewall *fw = ssgw_firewall_new(p, NULL);
    fw_spec sri = {2001, 1001, FW_KE_SC, 8, FW_HLR, 6,    SSGW_TCAP_BEGIN,
                   0x12, 0,    20,       3, 45,     NULL, "447924100001",
                   NULL, NULL, FW_KE_SC, 0};
    CHECK_STR(fw_run(fw, &sri, 1000), "default"); /* ours */
    sri.msisdn = "447924555001";                  /* ported out */
    CHECK_STR(fw_run(fw, &sri, 2000), "spoof.msisdn_network");
    CHECK(strstr(fw_vd.reason, "was ported to Safari Mobile") &&
          strstr(fw_vd.reason, "ported.csv:2"));
    CHECK_INT(fw_vd.answer.code, 1); /* unknownSubscriber */
    sri.msisdn = "254722700001";     /* ported in */
    CHECK_STR(fw_run(fw, &sri, 3000), "default");
    sri.msisdn = "254722700002"; /* someone else's */
    CHECK_STR(fw_run(fw, &sri, 4000), "spoof.msisdn_network");
    CHECK(strstr(fw_vd.reason, "not ported in") != NULL);

    /* cat2 by MSISDN when no IMSI: insertSubscriberData from Safari's HLR */
    fw_spec isd = {2001, 1001, FW_KE_HLR, 6, FW_VLR, 7,    SSGW_TCAP_BEGIN,
                   0x20, 0,    16,        3, 7,      NULL, "254722700001",
                   NULL, NULL, NULL,      0};
    CHECK_STR(fw_run(fw, &isd, 5000), "cat2.own_subscriber"); /* ported in: ours */
    CHECK(strstr(fw_vd.reason, "MSISDN 254722700001") != NULL);
    isd.msisdn = "447924555001"; /* ported out to Safari: from Safari is right */
    CHECK_STR(fw_run(fw, &isd, 6000), "default");
    isd.msisdn = "447924555150"; /* ported to Rhein: not from Safari */
    CHECK_STR(fw_run(fw, &isd, 7000), "cat2.not_home_network");
    CHECK(strstr(fw_vd.reason, "of Rhein Telekom") != NULL);
    ssgw_firewall_free(fw);
    ssgw_policy_free(p);

    /* without the table the same numbers are judged by the ranges alone */
    p = load_with("", &errs);
    fw = ssgw_firewall_new(p, NULL);
    sri.msisdn = "447924555001";
    CHECK_STR(fw_run(fw, &sri, 1000), "default");
    sri.msisdn = "254722700001";
    CHECK_STR(fw_run(fw, &sri, 2000), "spoof.msisdn_network");
    ssgw_firewall_free(fw);
    ssgw_policy_free(p);
}

/* ---- at scale ------------------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void large_file(void)
{
    enum { N = 3000 };
    FILE *f = fopen(path_of("big.csv"), "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs("name,tadig,country,mcc_mnc,gt_ranges,msisdn_ranges,point_codes,hlr,vlr,msc,smsc\n", f);
    for (int i = 0; i < N; i++) {
        /* partner i: GT ranges 6<5 digits of i>0000000-..4999999 and ..5 prefix */
        fprintf(f,
                "Partner %04d,P%04d,NO,9%05d,6%05d0000000-6%05d4999999;6%05d5,7%05d,%d,"
                "6%05d0000001,6%05d0000010,6%05d0000011,6%05d0000020\n",
                i, i, i, i, i, i, i, 100 + i % 16000, i, i, i, i);
    }
    fclose(f);
    char extra[400];
    snprintf(extra, sizeof extra, "[import]\npartners = [\"%s\"]\n", path_of("big.csv"));
    ssgw_config_errors errs;
    double t0 = now_s();
    ssgw_policy *p = load_with(extra, &errs);
    double load_s = now_s() - t0;
    CHECK(p != NULL);
    if (!p) return;
    CHECK_INT(p->n_imported, N);
    CHECK_INT(ssgw_policy_import_warning_count(p), 0);
    /* a million lookups of GTs of the imported partners, through the firewall's trie, and
     * the same number against the example policy's 3 partners: the cost is a walk of the
     * digits, whatever the number of partners */
    static char gts[2][4096][16]; /* walks of 7 digits in both tries */
    static const char *const ex[] = {"254722", "491710", "234803"};
    for (int k = 0; k < 4096; k++) {
        snprintf(gts[0][k], sizeof gts[0][k], "6%05d%07d", (int)((unsigned)k * 2654435761u % N),
                 (k * 7919) % 5000000);
        snprintf(gts[1][k], sizeof gts[1][k], "%s%07d", ex[k % 3], (k * 7919) % 10000000);
    }
    ssgw_policy *small = load_with("", &errs);
    double per[2];
    uint64_t found = 0;
    for (int pass = 0; pass < 2; pass++) {
        const ssgw_policy *q = pass ? small : p;
        t0 = now_s();
        for (int k = 0; k < 1000000; k++) {
            uint16_t o;
            uint8_t r;
            trie_lookup(&q->gt, gts[pass][k & 4095], &o, &r);
            found += pass == 0 && o >= OWNER_PARTNER(p->n_hand);
        }
        per[pass] = (now_s() - t0) * 1e3; /* ns per lookup */
    }
    CHECK_INT(found, 1000000);
    printf("  %d partners (%zu trie nodes) loaded in %.3f s; a GT lookup takes %.0f ns "
           "(%.0f ns with the example's 3 partners)\n",
           N, p->gt.len, load_s, per[0], per[1]);
    ssgw_policy_free(small);
    /* the time is reported, not checked (a loaded machine may take any time; the speed is a
     * benchmark's job): the size is, one chain of digits per range and prefix, nothing per
     * pair of partners */
    CHECK(p->gt.len <= (size_t)N * 24);
    ssgw_policy_free(p);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ssgw-partner-data-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    RUN(ranges_and_point_codes);
    RUN(csv_rows);
    RUN(json_reader);
    RUN(merge_and_report);
    RUN(imported_realms);
    RUN(imported_sms_hub);
    RUN(ported_numbers);
    RUN(large_file);
    CHECK_INT(check_remove_tree(dir), 0); /* the listed files and r.csv alike */
    ssgw_decoder_free(fw_dec);
    return check_summary();
}
