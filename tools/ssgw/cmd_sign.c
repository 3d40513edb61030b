/*
 * cmd_sign.c - `ssgw sign`: adds the security token (docs/wire-format.md
 * "Security token") to every DATA message of a capture, as the operator a
 * configuration describes would ([trust], docs/configuration.md).
 *
 * Which messages: sign = "members" signs messages from the home network
 * (calling GT inside [home] gt_prefixes) towards another member of the trust
 * bundle (called GT found by ssgw_bundle_find_gt); "all" signs every message
 * with TCAP; "none" signs nothing. Everything else is copied unchanged. A
 * message that no longer fits an SCCP UDT goes out as XUDT, or as XUDT
 * segments (several frames). Segments of a segmented input message are held
 * until the last one arrives and are replaced by the signed message's frames
 * (they are assumed to arrive together, as `ssgw generate` writes them).
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
#include "ssgw/view.h"
#include "trust_tool.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ssgw sign --config CONF [--time EPOCH] [--min-sequence N] IN.pcap OUT.pcap\n"
            "\n"
            "Adds a security token to every DATA message with TCAP that operator CONF would\n"
            "sign ([trust] sign = members | all | none; docs/configuration.md) and writes\n"
            "the capture to OUT.pcap. Other messages are copied unchanged.\n"
            "\n"
            "  -c, --config CONF    the operator's configuration ([home] and [trust])\n"
            "  --time EPOCH         sign with this clock (seconds since 1970) instead of now\n"
            "  --min-sequence N     refuse a trust bundle older than sequence N\n"
            "  -h, --help           this text\n");
}

typedef struct {
    uint64_t messages, data, no_tcap, sign[SSGW_TOKEN_MODE_COUNT], refused, other_kind;
    uint64_t skip_none, skip_not_home, skip_not_member, skip_no_pairwise;
    uint64_t udt_to_xudt, segmented, frames_out, held;
    uint64_t token_bytes, token_min, token_max, m3ua_in, m3ua_out;
} sign_stats;

/* A segment held until its message is complete. */
typedef struct {
    ssgw_capture_msg cm;
    uint8_t *data;
    size_t len;
} held_frame;

typedef struct {
    held_frame *v;
    size_t n, cap;
} held_list;

static int hold(held_list *h, const ssgw_capture_msg *cm)
{
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 16;
        held_frame *nv = realloc(h->v, nc * sizeof *nv);
        if (!nv) return -1;
        h->v = nv;
        h->cap = nc;
    }
    held_frame *f = &h->v[h->n];
    f->data = malloc(cm->len ? cm->len : 1);
    if (!f->data) return -1;
    memcpy(f->data, cm->data, cm->len);
    f->len = cm->len;
    f->cm = *cm;
    f->cm.data = NULL;
    h->n++;
    return 0;
}

/* Writes (flush) or forgets the held segments. */
static int release(held_list *h, ssgw_pcap_writer *w, uint32_t *tsn, bool flush, sign_stats *st)
{
    int rc = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (flush) {
            if (trust_tool_write(w, &h->v[i].cm, tsn, h->v[i].data, h->v[i].len) < 0) rc = -1;
            st->frames_out++;
        }
        free(h->v[i].data);
    }
    h->n = 0;
    return rc;
}

static sign_stats st;
static ssgw_view v, out_view;
static uint8_t outmem[SSGW_TRUST_MAX_OUT][4096 + 256];

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
    time_t now = (time_t)when;
    trust_tool tt;
    if (trust_tool_open(&tt, "sign", conf, min_seq, time(NULL)) < 0) {
        trust_tool_close(&tt);
        return 1;
    }
    const ssgw_policy_trust *cfg = tt.cfg;
    ssgw_token_mode mode = cfg->mode;
    if (cfg->sign != SSGW_TRUST_SIGN_NONE && !tt.setup.sign_key) {
        fprintf(stderr, "ssgw sign: [trust] key is not set: nothing to sign with\n");
        trust_tool_close(&tt);
        return 1;
    }
    if (cfg->sign != SSGW_TRUST_SIGN_NONE && !tt.setup.self)
        fprintf(stderr,
                "ssgw sign: warning: our signing key is not in the bundle: receivers will report "
                "unknown_key\n");
    char errbuf[512];
    ssgw_capture *cap = ssgw_capture_open(in, NULL, errbuf, sizeof errbuf);
    if (!cap) {
        fprintf(stderr, "ssgw sign: %s\n", errbuf);
        trust_tool_close(&tt);
        return 1;
    }
    ssgw_pcap_writer *w = ssgw_pcap_writer_open(outp, 1, errbuf, sizeof errbuf);
    ssgw_decoder *dec = ssgw_decoder_new(NULL);
    if (!w || !dec) {
        fprintf(stderr, "ssgw sign: %s\n", w ? "out of memory" : errbuf);
        ssgw_pcap_writer_close(w);
        ssgw_decoder_free(dec);
        ssgw_capture_close(cap);
        trust_tool_close(&tt);
        return 1;
    }
    ssgw_buf outs[SSGW_TRUST_MAX_OUT];
    for (size_t i = 0; i < SSGW_TRUST_MAX_OUT; i++)
        ssgw_buf_init(&outs[i], outmem[i], sizeof outmem[i]);
    held_list held = {NULL, 0, 0};
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
        uint64_t now_ms = (uint64_t)cm.ts_sec * 1000u + cm.ts_usec / 1000u;
        ssgw_decoder_run(dec, cm.kind, cm.data, cm.len, now_ms, &v);
        if (v.reasm == SSGW_VIEW_REASM_PENDING) {
            st.held++;
            if (hold(&held, &cm) < 0) {
                fprintf(stderr, "ssgw sign: out of memory\n");
                status = 1;
                break;
            }
            continue;
        }
        bool tcap = v.has_m3ua && v.has_sccp && v.has_tcap && !v.has_error;
        const uint8_t *peer_id = NULL;
        bool do_sign = false;
        if (tcap) {
            st.data++;
            const ssgw_bundle_member *m =
                ssgw_bundle_find_gt(tt.setup.bundle, v.sccp.called.digits);
            if (cfg->sign == SSGW_TRUST_SIGN_NONE) {
                st.skip_none++;
            } else if (cfg->sign == SSGW_TRUST_SIGN_MEMBERS &&
                       !ssgw_policy_is_home_gt(tt.pol, v.sccp.calling.digits)) {
                st.skip_not_home++;
            } else if (cfg->sign == SSGW_TRUST_SIGN_MEMBERS && (!m || m == tt.setup.self)) {
                st.skip_not_member++;
            } else if (mode == SSGW_TOKEN_MODE_HMAC && !m) {
                st.skip_no_pairwise++;
            } else {
                do_sign = true;
                if (mode == SSGW_TOKEN_MODE_HMAC) peer_id = m->sign_key_id;
            }
        } else if (v.has_m3ua && (v.m3ua.present & SSGW_M3UA_HAS_PROTOCOL_DATA)) {
            st.no_tcap++;
        }
        int n = 0;
        ssgw_trust_sign_info info;
        if (do_sign) {
            ssgw_error err;
            n = ssgw_trust_sign_view(tt.t, mode, peer_id, &v, now, outs, SSGW_TRUST_MAX_OUT, &info,
                                     &err);
            if (n < 0) {
                char e[200];
                ssgw_error_format(&err, e, sizeof e);
                fprintf(stderr, "ssgw sign: frame %" PRIu64 ": not signed: %s\n", cm.frame, e);
                st.refused++;
                n = 0;
            }
        }
        if (n > 0) {
            release(&held, w, &tsn, false, &st);
            st.sign[mode]++;
            st.token_bytes += info.added;
            if (info.added < st.token_min) st.token_min = info.added;
            if (info.added > st.token_max) st.token_max = info.added;
            if (n > 1) st.segmented++;
            if (n == 1 && v.sccp.type == SSGW_SCCP_UDT &&
                ssgw_view_decode_m3ua(&out_view, outs[0].data, outs[0].len) == 0 &&
                out_view.has_sccp && out_view.sccp.type == SSGW_SCCP_XUDT)
                st.udt_to_xudt++;
            if (v.reasm == SSGW_VIEW_REASM_NONE) st.m3ua_in += v.len;
            for (int i = 0; i < n; i++) {
                if (v.reasm == SSGW_VIEW_REASM_NONE) st.m3ua_out += outs[i].len;
                if (trust_tool_write(w, &cm, &tsn, outs[i].data, outs[i].len) < 0) status = 1;
                st.frames_out++;
            }
        } else {
            if (release(&held, w, &tsn, true, &st) < 0) status = 1;
            if (trust_tool_write(w, &cm, &tsn, cm.data, cm.len) < 0) status = 1;
            st.frames_out++;
        }
    }
    if (r < 0) {
        fprintf(stderr, "ssgw sign: %s: %s\n", in, ssgw_capture_error(cap));
        status = 1;
    }
    if (release(&held, w, &tsn, true, &st) < 0) status = 1;
    free(held.v);
    if (ssgw_pcap_writer_close(w) < 0) {
        fprintf(stderr, "ssgw sign: %s: write failed\n", outp);
        status = 1;
    }
    uint64_t nsigned = 0;
    for (int m = 0; m < SSGW_TOKEN_MODE_COUNT; m++)
        nsigned += st.sign[m];
    fprintf(stderr,
            "ssgw sign: %" PRIu64 " messages, %" PRIu64 " with TCAP: signed %" PRIu64
            " (%s), skipped %" PRIu64 ", refused %" PRIu64 "; %" PRIu64 " frames written to %s\n",
            st.messages, st.data, nsigned, ssgw_token_mode_name(mode),
            st.skip_none + st.skip_not_home + st.skip_not_member + st.skip_no_pairwise, st.refused,
            st.frames_out, outp);
    if (st.skip_not_home)
        fprintf(stderr, "  skipped: calling GT not in [home] gt_prefixes   %" PRIu64 "\n",
                st.skip_not_home);
    if (st.skip_not_member)
        fprintf(stderr, "  skipped: called GT not another bundle member    %" PRIu64 "\n",
                st.skip_not_member);
    if (st.skip_no_pairwise)
        fprintf(stderr, "  skipped: no pairwise key (hmac) for called GT   %" PRIu64 "\n",
                st.skip_no_pairwise);
    if (st.skip_none) fprintf(stderr, "  skipped: sign = \"none\"   %" PRIu64 "\n", st.skip_none);
    if (nsigned)
        fprintf(stderr,
                "  token bytes added (TCAP): total %" PRIu64 ", per message avg %.1f, min %" PRIu64
                ", max %" PRIu64 "\n"
                "  M3UA bytes: %" PRIu64 " -> %" PRIu64 " (unsegmented inputs); UDT->XUDT %" PRIu64
                ", segmented %" PRIu64 "\n",
                st.token_bytes, (double)st.token_bytes / (double)nsigned, st.token_min,
                st.token_max, st.m3ua_in, st.m3ua_out, st.udt_to_xudt, st.segmented);
    if (st.other_kind) fprintf(stderr, "  not M3UA (not re-written): %" PRIu64 "\n", st.other_kind);
    ssgw_decoder_free(dec);
    ssgw_capture_close(cap);
    trust_tool_close(&tt);
    return status;
}
