/*
 * test_fw_keys.c - the key list of ssgw_firewall_prefetch_keys takes the GT owners from a memo
 * of the listing thread's own (issue 16: `ssgw analyze --threads` lists the keys where it
 * decodes ahead, and the two GT walks were a third of the listing), emptied when the thread
 * lists for another firewall. Neither may change a list. Labelled attack traffic (ssgw_attack,
 * fixed seed) is listed on a thread of its own by one firewall of the example policy, its
 * memo warm from message to message; and on the test's thread by another firewall of the same
 * policy, each message right after a firewall of a policy that knows none of the traffic's
 * networks has listed it (so the memo is emptied twice a message; were it not, the example
 * policy's list would be made with that policy's owners). Every message's keys must be the
 * same, in the same order. Direction unknown: the called GT's owner decides it, and with it
 * most of the list. The threads share nothing but the policy; the second is joined before
 * its lists are read.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "attack_traffic.h"
#include "check.h"
#include "msgbuild.h"
#include "ssgw/attack.h"
#include "ssgw/firewall.h"
#include "ssgw/view.h"

#define COUNT 6000
#define CAP   64

/* A message's list folded (field by field: a key's padding is not written), and its length. */
typedef struct {
    uint64_t hash;
    size_t n;
} folded;

/* Lists the first COUNT messages of the traffic with fw (after `before`, when not NULL) into
 * out[]. Returns 0, or -1 when the traffic or the decoder could not be made. */
static int list_all(ssgw_firewall *before, ssgw_firewall *fw, folded *out)
{
    ssgw_error e;
    ssgw_attack_gen *g = attack_gen(1, COUNT);
    ssgw_decoder *dec = ssgw_decoder_new(NULL);
    ssgw_view *v = malloc(sizeof *v);
    uint8_t *mem = malloc(8192);
    int rc = g && dec && v && mem ? 0 : -1;
    ssgw_store_key keys[CAP];
    for (size_t i = 0; rc == 0 && i < COUNT; i++) {
        ssgw_buf b;
        ssgw_attack_msg m;
        ssgw_buf_init(&b, mem, 8192);
        if (ssgw_attack_next(g, &b, &m, &e) < 0) {
            rc = -1;
            break;
        }
        ssgw_firewall_meta meta = {.time_ms = (uint64_t)m.ts_sec * 1000 + m.ts_usec / 1000,
                                   .direction = SSGW_DIR_UNKNOWN};
        if (before) {
            ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, b.data, b.len, meta.time_ms, v);
            ssgw_firewall_prefetch_keys(before, v, &meta, keys, CAP);
        }
        ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, b.data, b.len, meta.time_ms, v);
        size_t n = ssgw_firewall_prefetch_keys(fw, v, &meta, keys, CAP);
        uint64_t h = 0xcbf29ce484222325ull;
        for (size_t k = 0; k < n; k++) {
            uint64_t parts[3] = {keys[k].table, keys[k].a, keys[k].b};
            for (size_t j = 0; j < 3; j++)
                h = (h ^ parts[j]) * 0x100000001b3ull;
        }
        out[i] = (folded){h, n};
    }
    free(mem);
    free(v);
    ssgw_decoder_free(dec);
    ssgw_attack_free(g);
    return rc;
}

typedef struct {
    ssgw_firewall *fw;
    folded *out;
    int rc;
} warm_job;

static void *warm_main(void *arg)
{
    warm_job *j = arg;
    j->rc = list_all(NULL, j->fw, j->out);
    return NULL;
}

static void memo_keeps_every_list(void)
{
    ssgw_policy *pol = tb_example_policy(NULL);
    static const char other_conf[] = "[home]\nname = \"Elsewhere\"\ncountry = \"GB\"\n"
                                     "mcc_mnc = [\"99999\"]\ngt_prefixes = [\"999\"]\n";
    ssgw_config_errors errs;
    ssgw_policy *other =
        ssgw_policy_load_string("other.conf", other_conf, sizeof other_conf - 1, &errs);
    for (size_t i = 0; !other && i < errs.n; i++)
        fprintf(stderr, "%s\n", errs.e[i].text);
    ssgw_firewall *fw_warm = pol ? ssgw_firewall_new(pol, NULL) : NULL,
                  *fw_cold = pol ? ssgw_firewall_new(pol, NULL) : NULL,
                  *fw_other = other ? ssgw_firewall_new(other, NULL) : NULL;
    folded *warm = calloc(COUNT, sizeof *warm), *cold = calloc(COUNT, sizeof *cold);
    CHECK(fw_warm && fw_cold && fw_other && warm && cold);
    if (fw_warm && fw_cold && fw_other && warm && cold) {
        warm_job j = {fw_warm, warm, -1};
        pthread_t t;
        bool started = pthread_create(&t, NULL, warm_main, &j) == 0;
        CHECK(started);
        if (started) pthread_join(t, NULL);
        CHECK_INT(j.rc, 0);
        CHECK_INT(list_all(fw_other, fw_cold, cold), 0);
        size_t listed = 0, keys = 0, differ = 0;
        for (size_t i = 0; i < COUNT; i++) {
            listed += warm[i].n > 0;
            keys += warm[i].n;
            if (warm[i].n == cold[i].n && warm[i].hash == cold[i].hash) continue;
            if (!differ)
                printf("    message %zu: %zu keys warm, %zu cold\n", i, warm[i].n, cold[i].n);
            differ++;
        }
        printf("    %d messages, %zu with keys, %zu keys; %zu lists differ\n", COUNT, listed, keys,
               differ);
        CHECK_INT(differ, 0);
        CHECK(listed > COUNT / 2); /* the traffic names state records: not 0 = 0 */
    }
    free(warm);
    free(cold);
    ssgw_firewall_free(fw_warm);
    ssgw_firewall_free(fw_cold);
    ssgw_firewall_free(fw_other);
    ssgw_policy_free(pol);
    ssgw_policy_free(other);
}

/* Every table's reads so far (hits and misses). */
static uint64_t reads(const ssgw_store *s)
{
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    uint64_t n = 0;
    for (size_t t = 0; t < SSGW_STORE_TABLE_COUNT; t++)
        n += st.t[t].hits + st.t[t].misses;
    return n;
}

/* The embedded store is listed for beside the thread that judges (ssgw_pipeline_store_keys):
 * the listing must read none of its records (a REL's circuit was read there, a data race
 * with the judging thread's writes that ThreadSanitizer showed). The traffic is judged
 * message by message, each listed first, and the store's read counts must not move while it
 * is listed; the calls of the traffic must have met the REL's case. */
static void listing_reads_no_record(void)
{
    ssgw_policy *pol = tb_example_policy(NULL);
    ssgw_store_limits l = {0};
    ssgw_store *s = ssgw_store_embedded_new(&l);
    ssgw_firewall *fw = pol && s ? ssgw_firewall_new(pol, s) : NULL;
    ssgw_decoder *dec = ssgw_decoder_new(NULL);
    ssgw_error e;
    ssgw_attack_gen *g = attack_gen(1, COUNT);
    static ssgw_view v;
    static uint8_t mem[8192];
    CHECK(fw && dec && g);
    size_t moved = 0, rels = 0;
    for (size_t i = 0; fw && dec && g && i < COUNT; i++) {
        ssgw_buf b;
        ssgw_attack_msg m;
        ssgw_buf_init(&b, mem, sizeof mem);
        if (ssgw_attack_next(g, &b, &m, &e) < 0) {
            CHECK(false);
            break;
        }
        ssgw_firewall_meta meta = {.time_ms = (uint64_t)m.ts_sec * 1000 + m.ts_usec / 1000,
                                   .direction = SSGW_DIR_UNKNOWN};
        ssgw_store_key keys[CAP];
        ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, b.data, b.len, meta.time_ms, &v);
        uint64_t before = reads(s);
        size_t n = ssgw_firewall_prefetch_keys(fw, &v, &meta, keys, CAP);
        moved += reads(s) != before;
        for (size_t k = 0; k < n; k++)
            rels += keys[k].table == SSGW_STORE_CALL;
        ssgw_verdict vd;
        ssgw_decoder_run(dec, SSGW_CAPTURE_KIND_M3UA, b.data, b.len, meta.time_ms, &v);
        ssgw_firewall_judge(fw, &v, &meta, &vd);
    }
    printf("    %zu listings read the store; %zu circuits listed\n", moved, rels);
    CHECK_INT(moved, 0);
    CHECK(rels > 0);
    ssgw_attack_free(g);
    ssgw_decoder_free(dec);
    ssgw_firewall_free(fw);
    ssgw_store_free(s);
    ssgw_policy_free(pol);
}

int main(void)
{
    RUN(memo_keeps_every_list);
    RUN(listing_reads_no_record);
    return check_summary();
}
