/*
 * cmd_verify.c - `ssgw verify`: checks the security token of every message in
 * a capture as the operator a configuration describes would (docs/wire-format.md
 * "Security token", [trust] in docs/configuration.md).
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
            "calling GT outside them) and prints one record per message with the outcome,\n"
            "the action and, where known, the signer (operator name and certificate serial).\n"
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

static ssgw_view v;
static char rec[20000];
static uint8_t outmem[SSGW_TRUST_MAX_OUT][4096 + 256];
static uint64_t outcomes[SSGW_TRUST_OUTCOME_COUNT], actions[3];

static void trust_keys(ssgw_json *j, ssgw_trust_outcome o, ssgw_trust_action a,
                       const ssgw_trust_policy *tp, const char *partner,
                       const ssgw_trust_result *res)
{
    ssgw_json_str(j, "trust", ssgw_trust_outcome_name(o));
    ssgw_json_str(j, "trust_action", ssgw_trust_action_name(a));
    ssgw_json_str(j, "trust_policy", ssgw_trust_mode_name(tp->mode));
    if (partner) ssgw_json_str(j, "partner", partner);
    if (res->token_present) {
        ssgw_json_int(j, "token_bytes", (long long)res->token_bytes);
        ssgw_json_str(j, "token_mode", ssgw_token_mode_name(res->token.mode));
        ssgw_json_hex(j, "token_key_id", res->token.key_id, SSGW_KEY_ID_LEN);
        ssgw_json_int(j, "token_time", (long long)res->token.time);
    }
    if (res->signer) {
        ssgw_json_str(j, "signer", res->signer->identity.name);
        ssgw_json_str(j, "signer_serial", res->signer->serial);
    }
    if (o == SSGW_TRUST_MALFORMED) {
        char e[200];
        ssgw_error_format(&res->err, e, sizeof e);
        ssgw_json_str(j, "trust_error", e);
    }
}

/* The record of one message: frame keys, decode keys, trust keys (when checked). */
typedef struct {
    const ssgw_capture_msg *cm;
    bool has_trust;
    ssgw_trust_outcome o;
    ssgw_trust_action act;
    const ssgw_trust_policy *tp;
    const char *partner;
    const ssgw_trust_result *res;
} record_ctx;

static void rec_frame(ssgw_json *j, const void *ctx)
{
    ssgw_record_frame(j, ((const record_ctx *)ctx)->cm);
}

static void rec_trust(ssgw_json *j, const void *ctx)
{
    const record_ctx *r = ctx;
    if (r->has_trust) trust_keys(j, r->o, r->act, r->tp, r->partner, r->res);
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
    time_t now = (time_t)when;
    trust_tool tt;
    if (trust_tool_open(&tt, "verify", conf, min_seq, now) < 0) {
        trust_tool_close(&tt);
        return 1;
    }
    char errbuf[512];
    ssgw_capture *cap = ssgw_capture_open(in, NULL, errbuf, sizeof errbuf);
    if (!cap) {
        fprintf(stderr, "ssgw verify: %s\n", errbuf);
        trust_tool_close(&tt);
        return 1;
    }
    ssgw_pcap_writer *w = NULL;
    if (strip && !(w = ssgw_pcap_writer_open(strip, 1, errbuf, sizeof errbuf))) {
        fprintf(stderr, "ssgw verify: %s\n", errbuf);
        ssgw_capture_close(cap);
        trust_tool_close(&tt);
        return 1;
    }
    ssgw_decoder *dec = ssgw_decoder_new(NULL);
    if (!dec) {
        fprintf(stderr, "ssgw verify: out of memory\n");
        ssgw_pcap_writer_close(w);
        ssgw_capture_close(cap);
        trust_tool_close(&tt);
        return 1;
    }
    ssgw_buf outs[SSGW_TRUST_MAX_OUT];
    for (size_t i = 0; i < SSGW_TRUST_MAX_OUT; i++)
        ssgw_buf_init(&outs[i], outmem[i], sizeof outmem[i]);
    uint32_t tsn = 1;
    uint64_t messages = 0, checked = 0, not_inbound = 0;
    int status = 0, r;
    ssgw_capture_msg cm;
    while ((r = ssgw_capture_next(cap, &cm)) == 1) {
        messages++;
        bool has_trust = false;
        ssgw_trust_outcome o = SSGW_TRUST_MISSING;
        ssgw_trust_action act = SSGW_TRUST_ACTION_ALLOW;
        ssgw_trust_result res;
        ssgw_trust_policy tp;
        const char *partner = NULL;
        size_t nout = 0;
        memset(&res, 0, sizeof res);
        ssgw_decoder_run_capture(dec, &cm, &v);
        if (!cm.is_error) {
            /* A gateway judges what reaches it from the interconnect: messages for our
             * network from another one. Our own outbound traffic and traffic between
             * other networks in the same capture are not ours to verify. */
            bool inbound =
                all || (v.has_sccp && !ssgw_policy_is_home_gt(tt.pol, v.sccp.calling.digits) &&
                        (!v.sccp.called.digits[0] ||
                         ssgw_policy_is_home_gt(tt.pol, v.sccp.called.digits)));
            if (ssgw_trust_view_verifiable(&v) && !inbound) {
                not_inbound++;
            } else if (ssgw_trust_view_verifiable(&v)) {
                has_trust = true;
                checked++;
                o = ssgw_trust_verify_view(tt.t, &v, now, &res, outs, SSGW_TRUST_MAX_OUT, &nout);
                partner = ssgw_policy_trust_for_gt(tt.pol, v.sccp.calling.digits, &tp);
                act = ssgw_trust_decide(&tp, o);
                if ((unsigned)o < SSGW_TRUST_OUTCOME_COUNT) outcomes[o]++;
                if ((unsigned)act < 3) actions[act]++;
            }
        }
        if (w && !cm.is_error && cm.kind == SSGW_CAPTURE_KIND_M3UA &&
            act != SSGW_TRUST_ACTION_DROP) {
            if (nout > 0) {
                for (size_t i = 0; i < nout; i++)
                    if (trust_tool_write(w, &cm, &tsn, outs[i].data, outs[i].len) < 0) status = 1;
            } else if (v.reasm != SSGW_VIEW_REASM_PENDING || !has_trust) {
                /* Segments of a signed message are replaced by the stripped whole; a
                 * pending segment is therefore written only when nothing follows. */
                if (v.reasm != SSGW_VIEW_REASM_PENDING)
                    if (trust_tool_write(w, &cm, &tsn, cm.data, cm.len) < 0) status = 1;
            }
        }
        if (json) {
            record_ctx rc = {&cm, has_trust, o, act, &tp, partner, &res};
            if (ssgw_record_build(rec, sizeof rec, rec_frame, &v, rec_trust, &rc, NULL) >= 0)
                puts(rec);
        } else {
            printf("%6" PRIu64, cm.frame);
            if (v.has_sccp)
                printf(" %s > %s", v.sccp.calling.digits[0] ? v.sccp.calling.digits : "-",
                       v.sccp.called.digits[0] ? v.sccp.called.digits : "-");
            if (v.has_tcap) printf(" %s", ssgw_tcap_msg_type_name(v.tcap.type));
            if (has_trust) {
                printf(" | %s -> %s", ssgw_trust_outcome_name(o), ssgw_trust_action_name(act));
                if (res.signer)
                    printf(" | signer \"%s\" serial %s", res.signer->identity.name,
                           res.signer->serial);
                if (res.token_present) printf(" | %zu token bytes", res.token_bytes);
            } else if (ssgw_trust_view_verifiable(&v)) {
                printf(" | not inbound for us (not verified)");
            } else if (v.reasm == SSGW_VIEW_REASM_PENDING) {
                printf(" | segment (verified with the last one)");
            } else if (v.has_error) {
                char e[160];
                ssgw_error_format(&v.error, e, sizeof e);
                printf(" | ERROR %s", e);
            } else {
                printf(" | no TCAP");
            }
            putchar('\n');
        }
    }
    if (r < 0) {
        fprintf(stderr, "ssgw verify: %s: %s\n", in, ssgw_capture_error(cap));
        status = 1;
    }
    if (w && ssgw_pcap_writer_close(w) < 0) {
        fprintf(stderr, "ssgw verify: %s: write failed\n", strip);
        status = 1;
    }
    FILE *sum = json ? stderr : stdout;
    fprintf(sum,
            "ssgw verify: %" PRIu64 " messages, %" PRIu64 " with TCAP checked (bundle %" PRIu64
            ", %zu members)\n",
            messages, checked, ssgw_bundle_sequence(tt.setup.bundle),
            ssgw_bundle_count(tt.setup.bundle));
    if (not_inbound)
        fprintf(sum, "  not inbound for us, not verified: %" PRIu64 " (--all verifies them)\n",
                not_inbound);
    for (int i = 0; i < SSGW_TRUST_OUTCOME_COUNT; i++)
        if (outcomes[i])
            fprintf(sum, "  %-18s %" PRIu64 "\n", ssgw_trust_outcome_name(i), outcomes[i]);
    fprintf(sum, "  actions: allow %" PRIu64 ", alert %" PRIu64 ", drop %" PRIu64 "\n",
            actions[SSGW_TRUST_ACTION_ALLOW], actions[SSGW_TRUST_ACTION_ALERT],
            actions[SSGW_TRUST_ACTION_DROP]);
    ssgw_decoder_free(dec);
    ssgw_capture_close(cap);
    trust_tool_close(&tt);
    return status;
}
