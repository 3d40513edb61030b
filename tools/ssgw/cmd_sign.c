/*
 * cmd_sign.c - `ssgw sign`: adds the security token (docs/wire-format.md
 * "Security token") to every DATA message of a capture, as the operator a
 * configuration describes would ([trust], docs/configuration.md).
 *
 * It is the inspection pipeline (include/ssgw/pipeline.h) with only its signing
 * stage, every message taken as outbound: the gateway's rules and code. Which
 * messages: sign = "members" signs messages from the home network (calling GT
 * inside [home] gt_prefixes) towards another member of the trust bundle (called
 * GT found by ssgw_bundle_find_gt); "all" signs every message with TCAP; "none"
 * signs nothing. Everything else is copied unchanged. A message that no longer
 * fits an SCCP UDT goes out as XUDT, or as XUDT segments (several frames).
 * Segments of a segmented input message due for signing are replaced by the
 * signed message's frames, written where its last segment was.
 *
 * Output: Ethernet/IPv4|IPv6/SCTP/M3UA with the input's addresses, ports,
 * streams and timestamps. A summary (messages signed / skipped / refused,
 * bytes added) goes to stderr. Exit: 0 done, 1 error, 2 usage.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "trust_tool.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ssgw sign --config CONF [--time EPOCH] [--min-sequence N] IN.pcap OUT.pcap\n"
            "\n"
            "Adds a security token to every DATA message with TCAP that operator CONF would\n"
            "sign ([trust] sign = members | all | none; docs/configuration.md), and a CLI\n"
            "attestation to every ISUP IAM it would attest ([cli] sign), and writes the\n"
            "capture to OUT.pcap. Other messages are copied unchanged.\n"
            "\n"
            "  -c, --config CONF    the operator's configuration ([home] and [trust])\n"
            "  --time EPOCH         sign with this clock (seconds since 1970) instead of now\n"
            "  --min-sequence N     refuse a trust bundle older than sequence N\n"
            "  -h, --help           this text\n");
}

typedef struct {
    uint64_t messages, data, other_kind, frames_out, held, udt_to_xudt, segmented;
    uint64_t token_bytes, token_min, token_max, m3ua_in, m3ua_out;
} sign_stats;

static sign_stats st;
static ssgw_view out_view;

/* Counts what a signed message became (UDT -> XUDT, segments). */
static void note_signed(const ssgw_pipeline_result *r)
{
    st.token_bytes += r->token_added;
    if (r->token_added < st.token_min) st.token_min = r->token_added;
    if (r->token_added > st.token_max) st.token_max = r->token_added;
    if (r->nout > 1) st.segmented++;
    if (r->nout == 1 && r->view->sccp.type == SSGW_SCCP_UDT &&
        ssgw_view_decode_m3ua(&out_view, r->out, r->out_len) == 0 && out_view.has_sccp &&
        out_view.sccp.type == SSGW_SCCP_XUDT)
        st.udt_to_xudt++;
    if (r->view->reasm == SSGW_VIEW_REASM_NONE) {
        st.m3ua_in += r->view->len;
        st.m3ua_out += r->out_len;
    }
}

int cmd_sign(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"time", required_argument, NULL, 't'},
                                         {"min-sequence", required_argument, NULL, 'm'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *conf = NULL;
    uint64_t when = (uint64_t)time(NULL), min_seq = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            conf = optarg;
            break;
        case 't':
        case 'm':
            if (trust_tool_parse_u64(optarg, c == 't' ? &when : &min_seq) < 0) {
                fprintf(stderr, "ssgw sign: --%s: '%s' is not a non-negative number\n",
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
    if (!conf || optind != argc - 2) {
        if (!conf) fprintf(stderr, "ssgw sign: --config CONF is required\n");
        usage(stderr);
        return 2;
    }
    const char *in = argv[optind], *outp = argv[optind + 1];
    ssgw_pipeline *pl = trust_tool_pipeline("sign", conf, SSGW_PL_SIGN, min_seq, time(NULL));
    if (!pl) return 1;
    const ssgw_policy_trust *cfg = ssgw_policy_trust_get(ssgw_pipeline_policy(pl));
    const ssgw_trust_setup *ts = ssgw_pipeline_trust(pl);
    if (cfg->sign != SSGW_TRUST_SIGN_NONE && !ts->self)
        fprintf(stderr,
                "ssgw sign: warning: our signing key is not in the bundle: receivers will report "
                "unknown_key\n");
    char errbuf[512];
    ssgw_capture *cap = ssgw_capture_open(in, NULL, errbuf, sizeof errbuf);
    if (!cap) {
        fprintf(stderr, "ssgw sign: %s\n", errbuf);
        ssgw_pipeline_free(pl);
        return 1;
    }
    ssgw_pcap_writer *w = ssgw_pcap_writer_open(outp, 1, errbuf, sizeof errbuf);
    if (!w) {
        fprintf(stderr, "ssgw sign: %s\n", errbuf);
        ssgw_capture_close(cap);
        ssgw_pipeline_free(pl);
        return 1;
    }
    static ssgw_pipeline_result res;
    uint32_t tsn = 1;
    int status = 0, r;
    ssgw_capture_msg cm;
    st.token_min = UINT64_MAX;
    while ((r = ssgw_capture_next(cap, &cm)) == 1) {
        if (cm.is_error || !cm.data) continue;
        st.messages++;
        if (cm.kind != SSGW_CAPTURE_KIND_M3UA) {
            st.other_kind++; /* only M3UA captures are re-written */
            continue;
        }
        /* Everything in the capture is what this operator's gateway sends out. */
        ssgw_pipeline_msg m = {
            .capture = &cm, .direction = SSGW_DIR_OUTBOUND, .time_ms = when * 1000u};
        ssgw_pipeline_run(pl, &m, &res);
        if (res.view->has_tcap && !res.view->has_error) st.data++;
        if (res.sign_refused || res.cli_sign_refused) {
            char e[200];
            ssgw_error_format(res.sign_refused ? &res.token.err : &res.cli_att.err, e, sizeof e);
            fprintf(stderr, "ssgw sign: frame %" PRIu64 ": not %s: %s\n", cm.frame,
                    res.sign_refused ? "signed" : "attested", e);
        }
        if (res.action == SSGW_PL_DROP) { /* a segment: its message is signed as a whole */
            st.held++;
            continue;
        }
        if (res.cli_signed) { /* an attested IAM */
            if (trust_tool_write_all(w, &cm, &tsn, res.out, res.out_len) < 0) status = 1;
            st.frames_out++;
        } else if (res.signed_msg) {
            note_signed(&res);
            if (trust_tool_write_all(w, &cm, &tsn, res.out, res.out_len) < 0) status = 1;
            st.frames_out += res.nout;
        } else {
            if (trust_tool_write(w, &cm, &tsn, cm.data, cm.len) < 0) status = 1;
            st.frames_out++;
        }
    }
    if (cmd_capture_end("sign", cap, in, r)) status = 1;
    if (ssgw_pcap_writer_close(w) < 0) {
        fprintf(stderr, "ssgw sign: %s: write failed\n", outp);
        status = 1;
    }
    ssgw_pipeline_stats ps;
    ssgw_pipeline_get_stats(pl, &ps);
    fprintf(stderr,
            "ssgw sign: %" PRIu64 " messages, %" PRIu64 " with TCAP: signed %" PRIu64
            " (%s), not ours to sign %" PRIu64 ", refused %" PRIu64 "; %" PRIu64
            " frames written to %s\n",
            st.messages, st.data, ps.signed_msgs, ssgw_token_mode_name(cfg->mode),
            st.data - ps.signed_msgs - ps.sign_refused, ps.sign_refused, st.frames_out, outp);
    if (ssgw_policy_cli_get(ssgw_pipeline_policy(pl))->present)
        fprintf(stderr, "  calls: %" PRIu64 " IAMs attested, %" PRIu64 " refused ([cli] sign)\n",
                ps.cli_signed, ps.cli_sign_refused);
    fprintf(stderr, "  signed: %s (sign = \"%s\")\n",
            cfg->sign == SSGW_TRUST_SIGN_MEMBERS
                ? "messages from our GTs ([home] gt_prefixes) to other bundle members"
            : cfg->sign == SSGW_TRUST_SIGN_ALL ? "every message with TCAP"
                                               : "nothing",
            ssgw_trust_sign_to_name(cfg->sign));
    if (ps.signed_msgs)
        fprintf(stderr,
                "  token bytes added (TCAP): total %" PRIu64 ", per message avg %.1f, min %" PRIu64
                ", max %" PRIu64 "\n"
                "  M3UA bytes: %" PRIu64 " -> %" PRIu64 " (unsegmented inputs); UDT->XUDT %" PRIu64
                ", segmented %" PRIu64 "\n",
                st.token_bytes, (double)st.token_bytes / (double)ps.signed_msgs, st.token_min,
                st.token_max, st.m3ua_in, st.m3ua_out, st.udt_to_xudt, st.segmented);
    if (st.held)
        fprintf(stderr, "  segments replaced by their signed message: %" PRIu64 "\n", st.held);
    if (st.other_kind) fprintf(stderr, "  not M3UA (not re-written): %" PRIu64 "\n", st.other_kind);
    ssgw_capture_close(cap);
    ssgw_pipeline_free(pl);
    return status;
}
