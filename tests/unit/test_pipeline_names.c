/*
 * test_pipeline_names.c - the pipeline counts objections per check name
 * (ssgw_pipeline_check_counts) by the name's text, though it finds a name it has seen by the
 * pointer (pipeline.c intern: issue 16, no strcmp walk per verdict). The reference is a tally
 * of each result's check name by its text. Labelled attack traffic goes through the example
 * policy with two operator rules, then through reloads whose rules are named otherwise (the
 * same lengths, so the new names may take the freed ones' addresses) in turn: a name found
 * by a pointer of the policy a commit freed would be counted under the old name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attack_traffic.h"
#include "check.h"
#include "ssgw/attack.h"
#include "ssgw/file.h"
#include "ssgw/pipeline.h"

#define POLICY "../examples/ssgw.conf"
#define COUNT  4000
#define NAMES  128

typedef struct {
    char name[64];
    uint64_t n;
} tally;

static tally want[NAMES];
static size_t n_want;

static void count(const char *name)
{
    for (size_t i = 0; i < n_want; i++)
        if (!strcmp(want[i].name, name)) {
            want[i].n++;
            return;
        }
    if (n_want == NAMES) return;
    snprintf(want[n_want].name, sizeof want[n_want].name, "%s", name);
    want[n_want++].n = 1;
}

/* The example policy with two rules named after tag (four letters) into path. */
static int write_policy(const char *path, const char *tag)
{
    size_t len;
    char err[256], *base = NULL;
    FILE *f = ssgw_file_read(POLICY, 1 << 20, &base, &len, err, sizeof err) == 0 ? fopen(path, "w")
                                                                                 : NULL;
    if (!f) {
        free(base);
        return -1;
    }
    fwrite(base, 1, len, f);
    fprintf(f,
            "\n[[rule]]\nname = \"%s-sri-sm\"\ndirection = \"inbound\"\n"
            "operation = [\"sendRoutingInfoForSM\"]\naction = \"drop\"\n"
            "\n[[rule]]\nname = \"%s-isd\"\ndirection = \"inbound\"\n"
            "operation = [\"insertSubscriberData\"]\naction = \"alert\"\n",
            tag, tag);
    free(base);
    return fclose(f);
}

/* Tallies one result's check name by its text, as the pipeline should. */
static void tally_result(void *by_rule, uint64_t i, ssgw_pipeline_result *r)
{
    (void)i;
    if (r->inspected && r->verdict.action != SSGW_ACT_ALLOW) {
        count(r->verdict.check);
        *(size_t *)by_rule += !strncmp(r->verdict.check, "rule.", 5);
    } else if (!r->inspected && r->reason &&
               (!strncmp(r->reason, "trust.", 6) || !strncmp(r->reason, "cli.", 4) ||
                !strncmp(r->reason, "isup.", 5))) {
        count(r->reason); /* a stage before the firewall decided (a released circuit) */
    }
}

/* COUNT messages of seed through p, each verdict's check name tallied as intern counts it. */
static void run(ssgw_pipeline *p, uint64_t seed, size_t *by_rule)
{
    CHECK_INT(attack_run(p, seed, COUNT, tally_result, by_rule), 0);
}

static size_t differ(ssgw_pipeline *p)
{
    static ssgw_pl_check_count got[NAMES];
    size_t n = ssgw_pipeline_check_counts(p, got, NAMES), bad = n != n_want;
    for (size_t i = 0; i < n && i < NAMES; i++) {
        bool found = false;
        for (size_t k = 0; k < n_want && !found; k++)
            if (!strcmp(want[k].name, got[i].name)) {
                found = true;
                bad += want[k].n != got[i].n;
            }
        bad += !found;
    }
    return bad;
}

static void names_by_text_across_reloads(void)
{
    char a[] = "/tmp/ssgw-names-a-XXXXXX", b[] = "/tmp/ssgw-names-b-XXXXXX",
         c[] = "/tmp/ssgw-names-c-XXXXXX";
    int fa = mkstemp(a), fb = mkstemp(b), fc = mkstemp(c);
    CHECK(fa >= 0 && fb >= 0 && fc >= 0);
    if (fa < 0 || fb < 0 || fc < 0) return;
    close(fa);
    close(fb);
    close(fc);
    CHECK_INT(write_policy(a, "aaaa"), 0);
    CHECK_INT(write_policy(b, "bbbb"), 0);
    CHECK_INT(write_policy(c, "cccc"), 0);
    char err[4096];
    ssgw_pipeline_config pc = {.policy = a, .stages = SSGW_PL_ALL};
    ssgw_pipeline *p = ssgw_pipeline_new(&pc, err, sizeof err);
    CHECK(p != NULL);
    size_t by_rule = 0, bad = 0;
    /* the first policy is kept for the pipeline's life; each later one is freed by the
     * commit after it */
    const char *order[] = {b, c, b, c, a};
    for (size_t round = 0; p && round < 6; round++) {
        if (round) {
            CHECK_INT(ssgw_pipeline_prepare(p, order[round - 1], err, sizeof err), 0);
            ssgw_pipeline_commit(p);
        }
        run(p, 21 + round, &by_rule);
        bad += differ(p);
    }
    printf("    %zu names, %zu verdicts by a rule; %zu counts differ\n", n_want, by_rule, bad);
    CHECK_INT(bad, 0);
    CHECK(by_rule > 50);
    CHECK(n_want > 6); /* the four rules and several checks */
    ssgw_pipeline_free(p);
    unlink(a);
    unlink(b);
    unlink(c);
}

int main(void)
{
    RUN(names_by_text_across_reloads);
    return check_summary();
}
