/*
 * test_store_sizing.c - the subscriber store sized exactly to its population keeps every
 * verdict (issue 16): labelled attack traffic (ssgw_attack, fixed seed) goes through the
 * inspection pipeline `ssgw analyze` uses, once with [state] subscribers far above the
 * population (nothing can be evicted: the reference) and once with subscribers equal to
 * the number of location records the reference run held (1.0x). Every message must get
 * the same verdict (action, deciding check, reason, incident, alert) and the 1.0x store
 * must evict no location. A third run at 0.5x shows the comparison can fail: there the
 * store must evict (counted) and verdicts are expected to change. (Before the location
 * table was a cuckoo table, 1.0x evicted 144 of 1,105 locations here and 3 verdicts
 * changed.)
 *
 * The SRI-SM mark table is made large enough never to evict, so that only the location
 * table is measured. A fourth pair of runs with a mark table far too small (128) shows that two
 * runs of the same policy still give the same verdicts, message by message: the SMS text
 * fingerprints that share that table are keyed from the policy file (checks_sms.c), and a
 * key drawn at random per process made a full mark table keep different marks each run.
 *
 * Environment: SSGW_SIZING_COUNT (messages, default 30000), SSGW_SIZING_SEED (default 16).
 */
#include <stdlib.h>
#include <unistd.h>

#include "attack_traffic.h"
#include "check.h"
#include "ssgw/pipeline.h"
#include "ssgw/store.h"

#define POLICY "../examples/ssgw.conf"

/* The example policy with `subscribers = n` and `sri_sm_marks = marks` written to a
 * temporary file (path in out). */
static int policy_with_sizes(size_t n, size_t marks, char *out, size_t cap)
{
    FILE *in = fopen(POLICY, "r");
    if (!in) return -1;
    snprintf(out, cap, "/tmp/ssgw-sizing-XXXXXX");
    int fd = mkstemp(out);
    FILE *o = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!o) {
        fclose(in);
        return -1;
    }
    char line[1024];
    int replaced = 0;
    while (fgets(line, sizeof line, in)) {
        if (!strncmp(line, "subscribers = ", 14)) {
            fprintf(o, "subscribers = %zu\nsri_sm_marks = %zu\n", n, marks);
            replaced++;
        } else {
            fputs(line, o);
        }
    }
    fclose(in);
    fclose(o);
    return replaced == 1 ? 0 : -1;
}

typedef struct {
    size_t held;        /* location records held at the end */
    size_t capacity;    /* location capacity the store reports */
    uint64_t evictions; /* location evictions */
    uint64_t mark_evictions;
    uint64_t changed;    /* verdicts differing from ref (when given) */
    uint64_t first_diff; /* index of the first differing message + 1, 0 = none */
} run_result;

/*
 * Runs count messages of the seeded attack traffic through a pipeline whose store holds
 * subscribers locations; stores each verdict's hash in verdicts[] when ref is NULL,
 * otherwise compares with ref[]. Returns 0, -1 when something could not be set up.
 */
static int run_sized(uint64_t seed, uint64_t count, size_t subscribers, size_t marks,
                     uint64_t *verdicts, const uint64_t *ref, run_result *res)
{
    char path[64], err[4096];
    memset(res, 0, sizeof *res);
    if (policy_with_sizes(subscribers, marks, path, sizeof path) < 0) return -1;
    ssgw_pipeline_config pc = {.policy = path, .stages = SSGW_PL_ALL};
    ssgw_pipeline *p = ssgw_pipeline_new(&pc, err, sizeof err);
    unlink(path);
    if (!p) {
        fprintf(stderr, "pipeline: %s\n", err);
        return -1;
    }
    uint64_t *mine = ref ? calloc(count, sizeof *mine) : verdicts;
    int rc = mine ? attack_verdicts(p, seed, count, mine) : -1;
    for (uint64_t i = 0; ref && rc == 0 && i < count; i++)
        if (ref[i] != mine[i]) {
            res->changed++;
            if (!res->first_diff) res->first_diff = i + 1;
        }
    if (ref) free(mine);
    ssgw_store *s = ssgw_firewall_store(ssgw_pipeline_firewall(p));
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    res->held = st.t[SSGW_STORE_LOCATION].used;
    res->capacity = st.t[SSGW_STORE_LOCATION].capacity;
    res->evictions = st.t[SSGW_STORE_LOCATION].evictions;
    res->mark_evictions = st.t[SSGW_STORE_MARK].evictions;
    ssgw_pipeline_free(p);
    return rc;
}

/* run_sized with a mark table that never evicts. */
static int run(uint64_t seed, uint64_t count, size_t subscribers, uint64_t *verdicts,
               const uint64_t *ref, run_result *res)
{
    return run_sized(seed, count, subscribers, 1048576, verdicts, ref, res);
}

static void one_point_zero_keeps_every_verdict(void)
{
    const char *c = getenv("SSGW_SIZING_COUNT"), *sd = getenv("SSGW_SIZING_SEED");
    uint64_t count = c ? strtoull(c, NULL, 10) : 30000;
    uint64_t seed = sd ? strtoull(sd, NULL, 10) : 16;
    uint64_t *ref = calloc(count, sizeof *ref);
    CHECK(ref != NULL);
    if (!ref) return;

    run_result big, exact, under;
    CHECK_INT(run(seed, count, 1000000, ref, NULL, &big), 0);
    CHECK_INT(big.evictions, 0);
    CHECK_INT(big.mark_evictions, 0);
    CHECK(big.held > 1000); /* the traffic teaches a thousand locations and more */
    CHECK(big.held * 10 <= 1000000);
    printf("    %" PRIu64 " messages (seed %" PRIu64 "): %zu subscriber locations learnt\n", count,
           seed, big.held);

    CHECK_INT(run(seed, count, big.held, NULL, ref, &exact), 0);
    printf("    store sized 1.0x (%zu): %zu held, %" PRIu64 " evicted, %" PRIu64
           " verdicts changed (first at message %" PRIu64 ")\n",
           big.held, exact.held, exact.evictions, exact.changed, exact.first_diff);
    CHECK_INT(exact.capacity, big.held);
    CHECK_INT(exact.held, big.held);
    CHECK_INT(exact.evictions, 0);
    CHECK_INT(exact.mark_evictions, 0);
    CHECK_INT(exact.changed, 0);

    /* the comparison sees a store too small: 0.5x must evict and change verdicts */
    size_t small = big.held / 2;
    CHECK_INT(run(seed, count, small, NULL, ref, &under), 0);
    printf("    store sized 0.5x (%zu): %zu held, %" PRIu64 " evicted, %" PRIu64
           " verdicts changed\n",
           small, under.held, under.evictions, under.changed);
    CHECK(under.held <= small);
    CHECK(under.evictions >= big.held - small);
    CHECK(under.changed > 0);

    /* a mark table far too small: it evicts, and a second run evicts alike */
    run_result m1, m2;
    CHECK_INT(run_sized(seed, count, 1000000, 128, ref, NULL, &m1), 0);
    CHECK_INT(run_sized(seed, count, 1000000, 128, NULL, ref, &m2), 0);
    printf("    mark table of 128, twice: %" PRIu64 " and %" PRIu64 " marks evicted, %" PRIu64
           " verdicts differ\n",
           m1.mark_evictions, m2.mark_evictions, m2.changed);
    CHECK(m1.mark_evictions > 0);
    CHECK_INT(m2.mark_evictions, m1.mark_evictions);
    CHECK_INT(m2.changed, 0);
    free(ref);
}

int main(void)
{
    RUN(one_point_zero_keeps_every_verdict);
    return check_summary();
}
