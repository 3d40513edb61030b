/*
 * probe.c - a program outside OpenSSGW built against the installed libssgw: it judges
 * every message of a capture with an operator's policy, through the same inspection
 * pipeline as `ssgw analyze` and the live gateway, and prints what would happen.
 *
 * Build (after `cmake --install`):
 *   cc probe.c $(pkg-config --cflags --libs libssgw) -o probe
 * Run:
 *   ./probe POLICY.conf CAPTURE.pcap
 * Output: one line of totals per action, then the objections per check, e.g.
 *   messages 400 forward 310 forward-modified 0 answer 41 drop 49
 *   check cat1.operation 12
 */
#include <stdio.h>
#include <string.h>

#include <ssgw/capture.h>
#include <ssgw/pipeline.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s POLICY.conf CAPTURE.pcap\n", argv[0]);
        return 2;
    }
    static char err[4096];
    ssgw_pipeline_config cfg = {.policy = argv[1], .stages = SSGW_PL_ALL};
    ssgw_pipeline *p = ssgw_pipeline_new(&cfg, err, sizeof err);
    if (!p) {
        fprintf(stderr, "probe: %s\n", err);
        return 1;
    }
    ssgw_capture *cap = ssgw_capture_open(argv[2], NULL, err, sizeof err);
    if (!cap) {
        fprintf(stderr, "probe: %s\n", err);
        ssgw_pipeline_free(p);
        return 1;
    }
    static ssgw_pipeline_result r;
    ssgw_capture_msg m;
    int rc;
    while ((rc = ssgw_capture_next(cap, &m)) == 1) {
        ssgw_pipeline_msg pm = {.capture = &m,
                                .time_ms = (uint64_t)m.ts_sec * 1000u + m.ts_usec / 1000u};
        ssgw_pipeline_run(p, &pm, &r);
    }
    if (rc < 0) fprintf(stderr, "probe: %s: %s\n", argv[2], ssgw_capture_error(cap));
    ssgw_pipeline_stats st;
    ssgw_pipeline_get_stats(p, &st);
    printf("messages %llu", (unsigned long long)st.messages);
    for (int a = 0; a < SSGW_PL_ACTION_COUNT; a++)
        printf(" %s %llu", ssgw_pl_action_name(a), (unsigned long long)st.actions[a]);
    printf("\n");
    ssgw_pl_check_count checks[128];
    size_t n = ssgw_pipeline_check_counts(p, checks, 128);
    for (size_t i = 0; i < n && i < 128; i++)
        printf("check %s %llu\n", checks[i].name, (unsigned long long)checks[i].n);
    ssgw_capture_close(cap);
    ssgw_pipeline_free(p);
    return rc < 0 ? 1 : 0;
}
