/*
 * cmd_verify.c - `ssgw verify`: checks the security token of every message in
 * a capture as the operator a configuration describes would (docs/wire-format.md
 * "Security token", [trust] in docs/configuration.md): the inspection pipeline
 * (include/ssgw/pipeline.h) with only its verification stage, so the outcomes and
 * actions are the gateway's.
 *
 * One record per message: the keys of `ssgw decode` (docs/fields.md) plus, for
 * messages with TCAP, `trust` (the outcome: ok, missing, malformed, unknown_key,
 * bad_signature, expired, not_yet_valid, revoked, gt_not_authorised, stale,
 * replay), `trust_action` (drop, allow, alert: the policy of the partner owning
 * the calling GT, else [trust] inbound), `trust_policy`, `partner`, `token_bytes`,
 * `token_mode`, and where the key was known `signer` (the operator's name from
 * its certificate) and `signer_serial`. Totals per outcome at the end (stdout
 * in text mode, stderr with --json). --strip writes what the internal network
 * would receive: allowed messages with the token removed (original bytes).
 * Exit: 0 done, 1 error, 2 usage.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ssgw/record.h"
#include "trust_tool.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ssgw verify --config CONF [--json] [--time EPOCH] [--min-sequence N]\n"
            "                   [--strip OUT.pcap] IN.pcap\n"
            "\n"
            "Verifies the security token of every message in IN.pcap that operator CONF's\n"
            "gateway would receive from the interconnect (called GT in its [home] prefixes,\n"
            "calling GT outside them; for calls, DPC in its [home] point_codes), and the CLI\n"
            "attestation of every such ISUP IAM when CONF has [cli], and prints one record per\n"
            "message with the outcome, the action and, where known, the signer (operator name\n"
            "and certificate serial).\n"
            "Other messages (our own outbound, other networks' traffic) are listed as not\n"
            "inbound and not judged, unless --all is given.\n"
            "\n"
            "  -c, --config CONF    the operator's configuration ([trust], [[partner]] trust)\n"
            "  --json               JSON lines (the keys of `ssgw decode` plus trust keys)\n"
            "  --time EPOCH         verify with this clock (seconds since 1970) instead of now\n"
            "  --min-sequence N     refuse a trust bundle older than sequence N\n"
            "  --strip OUT.pcap     write the allowed messages with their tokens removed\n"
            "  --all                verify every message, whatever its direction\n"
            "  -h, --help           this text\n");
}

static char rec[20000];

/* The record of one message: frame keys, decode keys, the pipeline's result keys (trust). */
typedef struct {
    const ssgw_capture_msg *cm;
    const ssgw_pipeline_result *r;
} record_ctx;

static void rec_frame(ssgw_json *j, const void *ctx)
{
    ssgw_record_capture_head(j, ((const record_ctx *)ctx)->cm);
}

static void rec_trust(ssgw_json *j, const void *ctx)
{
    const ssgw_pipeline_result *r = ((const record_ctx *)ctx)->r;
    if (r->trust_checked || r->cli_checked) ssgw_record_result(j, r);
}

static void print_line(const ssgw_capture_msg *cm, const ssgw_pipeline_result *r)
{
    const ssgw_view *v = r->view;
    printf("%6" PRIu64, cm->frame);
    if (v->has_sccp)
        printf(" %s > %s", v->sccp.calling.digits[0] ? v->sccp.calling.digits : "-",
               v->sccp.called.digits[0] ? v->sccp.called.digits : "-");
    if (v->has_tcap) printf(" %s", ssgw_tcap_msg_type_name(v->tcap.type));
    if (v->has_isup)
        printf(" %s > %s %s cic %u", v->isup.f.calling.digits[0] ? v->isup.f.calling.digits : "-",
               v->isup.f.called.digits[0] ? v->isup.f.called.digits : "-",
               ssgw_isup_msg_abbr(v->isup.type), (unsigned)v->isup.cic);
    if (r->cli_checked) { /* a call: its CLI attestation */
        printf(" | cli %s -> %s", ssgw_trust_outcome_name(r->cli),
               r->cli_action == SSGW_TRUST_ACTION_DROP ? "release"
                                                       : ssgw_trust_action_name(r->cli_action));
        if (r->cli_att.present)
            printf(" | attest %c", r->cli_att.attest ? 'A' + r->cli_att.attest - 1 : '-');
        if (r->cli_att.signer[0])
            printf(" | signer \"%s\" serial %s", r->cli_att.signer, r->cli_att.signer_serial);
    } else if (r->trust_checked) {
        printf(" | %s -> %s", ssgw_trust_outcome_name(r->trust),
               ssgw_trust_action_name(r->trust_action));
        if (r->token.signer[0])
            printf(" | signer \"%s\" serial %s", r->token.signer, r->token.signer_serial);
        if (r->token.present) printf(" | %zu token bytes", r->token.bytes);
    } else if (ssgw_trust_view_verifiable(v)) {
        printf(" | not inbound for us (not verified)");
    } else if (v->reasm == SSGW_VIEW_REASM_PENDING) {
        printf(" | segment (verified with the last one)");
    } else if (v->has_error) {
        char e[160];
        ssgw_error_format(&v->error, e, sizeof e);
        printf(" | ERROR %s", e);
    } else if (!v->has_isup) {
        printf(" | no TCAP");
    }
    putchar('\n');
}

/* Writes what the internal network would receive: the stripped message(s), or the
 * message as captured; nothing for a drop. */
static int write_stripped(ssgw_pcap_writer *w, const ssgw_capture_msg *cm,
                          const ssgw_pipeline_result *r, uint32_t *tsn)
{
    if (cm->is_error || cm->kind != SSGW_CAPTURE_KIND_M3UA) return 0;
    if (r->action == SSGW_PL_FORWARD) return trust_tool_write(w, cm, tsn, cm->data, cm->len);
    if (r->action != SSGW_PL_FORWARD_MODIFIED) return 0;
    return trust_tool_write_all(w, cm, tsn, r->out, r->out_len);
}

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
        {"time", required_argument, NULL, 't'},   {"min-sequence", required_argument, NULL, 'm'},
        {"strip", required_argument, NULL, 's'},  {"all", no_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *conf = NULL, *strip = NULL;
    bool json = false, all = false;
    uint64_t when = (uint64_t)time(NULL), min_seq = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            conf = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 's':
            strip = optarg;
            break;
        case 'a':
            all = true;
            break;
        case 't':
        case 'm':
            if (trust_tool_parse_u64(optarg, c == 't' ? &when : &min_seq) < 0) {
                fprintf(stderr, "ssgw verify: --%s: '%s' is not a non-negative number\n",
                        c == 't' ? "time" : "min-sequence", optarg);
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!conf || optind != argc - 1) {
        if (!conf) fprintf(stderr, "ssgw verify: --config CONF is required\n");
        usage(stderr);
        return 2;
    }
    const char *in = argv[optind];
    ssgw_pipeline *pl = trust_tool_pipeline("verify", conf, SSGW_PL_VERIFY, min_seq, (time_t)when);
    if (!pl) return 1;
    const ssgw_trust_setup *ts = ssgw_pipeline_trust(pl);
    char errbuf[512];
    ssgw_capture *cap = ssgw_capture_open(in, NULL, errbuf, sizeof errbuf);
    if (!cap) {
        fprintf(stderr, "ssgw verify: %s\n", errbuf);
        ssgw_pipeline_free(pl);
        return 1;
    }
    ssgw_pcap_writer *w = NULL;
    if (strip && !(w = ssgw_pcap_writer_open(strip, 1, errbuf, sizeof errbuf))) {
        fprintf(stderr, "ssgw verify: %s\n", errbuf);
        ssgw_capture_close(cap);
        ssgw_pipeline_free(pl);
        return 1;
    }
    static ssgw_pipeline_result res;
    uint32_t tsn = 1;
    uint64_t messages = 0, not_inbound = 0;
    int status = 0, r;
    ssgw_capture_msg cm;
    while ((r = ssgw_capture_next(cap, &cm)) == 1) {
        messages++;
        /* A gateway judges what reaches it from the interconnect: messages for our network
         * from another one (the direction the policy derives). --all judges everything. */
        ssgw_pipeline_msg m = {.capture = &cm,
                               .direction = all ? SSGW_DIR_INBOUND : SSGW_DIR_UNKNOWN,
                               .time_ms = when * 1000u};
        ssgw_pipeline_run(pl, &m, &res);
        if (!res.trust_checked && ssgw_trust_view_verifiable(res.view)) not_inbound++;
        if (w && write_stripped(w, &cm, &res, &tsn) < 0) status = 1;
        if (json) {
            record_ctx rc = {&cm, &res};
            if (ssgw_record_build(rec, sizeof rec, rec_frame, res.view, rec_trust, &rc, NULL) >= 0)
                puts(rec);
        } else {
            print_line(&cm, &res);
        }
    }
    if (cmd_capture_end("verify", cap, in, r)) status = 1;
    if (w && ssgw_pcap_writer_close(w) < 0) {
        fprintf(stderr, "ssgw verify: %s: write failed\n", strip);
        status = 1;
    }
    ssgw_pipeline_stats st;
    ssgw_pipeline_get_stats(pl, &st);
    uint64_t checked = 0;
    for (int i = 0; i < SSGW_TRUST_OUTCOME_COUNT; i++)
        checked += st.trust_outcomes[i];
    FILE *sum = json ? stderr : stdout;
    fprintf(sum,
            "ssgw verify: %" PRIu64 " messages, %" PRIu64 " with TCAP checked (bundle %" PRIu64
            ", %zu members)\n",
            messages, checked, ssgw_bundle_sequence(ts->bundle), ssgw_bundle_count(ts->bundle));
    if (not_inbound)
        fprintf(sum, "  not inbound for us, not verified: %" PRIu64 " (--all verifies them)\n",
                not_inbound);
    for (int i = 0; i < SSGW_TRUST_OUTCOME_COUNT; i++)
        if (st.trust_outcomes[i])
            fprintf(sum, "  %-18s %" PRIu64 "\n", ssgw_trust_outcome_name(i), st.trust_outcomes[i]);
    if (st.trust_outcomes[SSGW_TRUST_REPLAY_FULL])
        fprintf(sum,
                "  replay_full: %" PRIu64 " over the signer's [trust] replay_share, %" PRIu64
                " with the cache full of others' live entries\n",
                st.replay_refused_share, st.replay_refused_full);
    fprintf(sum, "  actions: allow %" PRIu64 ", alert %" PRIu64 ", drop %" PRIu64 "\n",
            st.trust_actions[SSGW_TRUST_ACTION_ALLOW], st.trust_actions[SSGW_TRUST_ACTION_ALERT],
            st.trust_actions[SSGW_TRUST_ACTION_DROP]);
    uint64_t calls = 0;
    for (int i = 0; i < SSGW_TRUST_OUTCOME_COUNT; i++)
        calls += st.cli_outcomes[i];
    if (calls) {
        fprintf(sum, "calls: %" PRIu64 " IAMs with their CLI attestation checked\n", calls);
        for (int i = 0; i < SSGW_TRUST_OUTCOME_COUNT; i++)
            if (st.cli_outcomes[i])
                fprintf(sum, "  %-22s %" PRIu64 "\n", ssgw_trust_outcome_name(i),
                        st.cli_outcomes[i]);
        fprintf(sum,
                "  actions: allow %" PRIu64 ", alert %" PRIu64 ", release %" PRIu64
                "; marked verified %" PRIu64 "\n",
                st.cli_actions[SSGW_TRUST_ACTION_ALLOW], st.cli_actions[SSGW_TRUST_ACTION_ALERT],
                st.cli_actions[SSGW_TRUST_ACTION_DROP], st.cli_marked);
    }
    ssgw_capture_close(cap);
    ssgw_pipeline_free(pl);
    return status;
}
