/*
 * cmd_passport.c - `ssgw passport`: the SHAKEN PASSporT (RFC 8225, RFC 8588) of every
 * verified IAM of a capture, as an interworking function towards SIP would put it in an
 * Identity header (RFC 8224).
 *
 * The CLI attestation in an IAM (docs/wire-format.md "CLI attestation") carries only what
 * the PASSporT cannot be rebuilt from: level, key id, time, origid and the ES256 signature
 * over BASE64URL(header) "." BASE64URL(claims). The pipeline's verification stage (the
 * gateway's code: include/ssgw/pipeline.h) checks it as operator CONF's gateway would;
 * for each IAM that verifies, the full compact JWS is printed, and any JWS library
 * verifies it with the signer's certified key (tests/e2e/test_cli_gateway.py does, with
 * Debian's python3-jwt). Exit: 0 done, 1 error, 2 usage.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "ssgw/cli.h"
#include "ssgw/record.h"
#include "trust_tool.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ssgw passport --config CONF [--json] [--time EPOCH] [--all] IN.pcap\n"
            "\n"
            "Verifies the CLI attestation of every ISUP IAM in IN.pcap that operator CONF's\n"
            "gateway would receive (DPC in its [home] point_codes; --all: every IAM) and, for\n"
            "each that verifies, prints the SHAKEN PASSporT (RFC 8225, ppt \"shaken\") as the\n"
            "compact JWS, its header and claims, and the SIP Identity header (RFC 8224) an\n"
            "interworking function would send. IAMs that do not verify are listed with their\n"
            "outcome and no PASSporT.\n"
            "\n"
            "  -c, --config CONF    the operator's configuration ([trust] and [cli])\n"
            "  --json               JSON lines: frame, cic, cli outcome, signer, passport,\n"
            "                       header, claims, identity\n"
            "  --time EPOCH         verify with this clock (seconds since 1970) instead of now\n"
            "  --all                every IAM, whatever its direction\n"
            "  -h, --help           this text\n");
}

/* The PASSporT of a verified IAM: JWS, header, claims, SIP Identity header value. */
typedef struct {
    char jws[SSGW_CLI_JWS_CAP], header[512], claims[512], identity[SSGW_CLI_JWS_CAP + 320];
    char x5u[SSGW_CLI_X5U_CAP];
} passport;

static int make_passport(const ssgw_pl_cli *c, const char *x5u_tmpl, passport *p)
{
    ssgw_cli_attestation a;
    memset(&a, 0, sizeof a);
    a.version = SSGW_CLI_VERSION;
    a.attest = (ssgw_cli_attest)c->attest;
    memcpy(a.key_id, c->key_id, sizeof a.key_id);
    a.iat = c->iat;
    memcpy(a.origid, c->origid, sizeof a.origid);
    memcpy(a.sig, c->sig, sizeof a.sig);
    if (ssgw_cli_x5u(x5u_tmpl, a.key_id, p->x5u, sizeof p->x5u) < 0 ||
        ssgw_cli_passport(&a, p->x5u, c->orig_tn, c->dest_tn, p->jws, sizeof p->jws) < 0 ||
        ssgw_cli_passport_json(&a, p->x5u, c->orig_tn, c->dest_tn, p->header, sizeof p->header,
                               p->claims, sizeof p->claims) < 0)
        return -1;
    snprintf(p->identity, sizeof p->identity, "%s;info=<%s>;alg=ES256;ppt=shaken", p->jws, p->x5u);
    return 0;
}

int cmd_passport(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
        {"time", required_argument, NULL, 't'},   {"all", no_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *conf = NULL;
    bool json = false, all = false;
    uint64_t when = (uint64_t)time(NULL);
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
        case 'a':
            all = true;
            break;
        case 't':
            if (trust_tool_parse_u64(optarg, &when) < 0) {
                fprintf(stderr, "ssgw passport: --time: '%s' is not a non-negative number\n",
                        optarg);
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
        if (!conf) fprintf(stderr, "ssgw passport: --config CONF is required\n");
        usage(stderr);
        return 2;
    }
    const char *in = argv[optind];
    ssgw_pipeline *pl = trust_tool_pipeline("passport", conf, SSGW_PL_VERIFY, 0, (time_t)when);
    if (!pl) return 1;
    const ssgw_policy_cli *cc = ssgw_policy_cli_get(ssgw_pipeline_policy(pl));
    if (!cc->present) {
        fprintf(stderr, "ssgw passport: %s has no [cli] section: no calls are verified\n", conf);
        ssgw_pipeline_free(pl);
        return 1;
    }
    char errbuf[512];
    ssgw_capture *cap = ssgw_capture_open(in, NULL, errbuf, sizeof errbuf);
    if (!cap) {
        fprintf(stderr, "ssgw passport: %s\n", errbuf);
        ssgw_pipeline_free(pl);
        return 1;
    }
    static ssgw_pipeline_result res;
    static char line[8192];
    static passport pp;
    uint64_t iams = 0, verified = 0;
    int status = 0, r;
    ssgw_capture_msg cm;
    while ((r = ssgw_capture_next(cap, &cm)) == 1) {
        ssgw_pipeline_msg m = {.capture = &cm,
                               .direction = all ? SSGW_DIR_INBOUND : SSGW_DIR_UNKNOWN,
                               .time_ms = when * 1000u};
        ssgw_pipeline_run(pl, &m, &res);
        if (!res.cli_checked) continue;
        iams++;
        bool ok = res.cli == SSGW_TRUST_OK && make_passport(&res.cli_att, cc->x5u, &pp) == 0;
        verified += ok;
        const ssgw_view *v = res.view;
        if (json) {
            ssgw_json j;
            ssgw_json_begin(&j, line, sizeof line);
            ssgw_json_int(&j, "frame", (long long)cm.frame);
            ssgw_json_int(&j, "cic", v->isup.cic);
            ssgw_json_str(&j, "calling_number", v->isup.f.calling.digits);
            ssgw_json_str(&j, "called_number", v->isup.f.called.digits);
            ssgw_record_result(&j, &res);
            if (ok) {
                ssgw_json_str(&j, "passport", pp.jws);
                ssgw_json_str(&j, "header", pp.header);
                ssgw_json_str(&j, "claims", pp.claims);
                ssgw_json_str(&j, "identity", pp.identity);
            }
            if (ssgw_json_end(&j) > 0) puts(line);
            continue;
        }
        printf("frame %" PRIu64 " cic %u: %s > %s: %s", cm.frame, (unsigned)v->isup.cic,
               v->isup.f.calling.digits[0] ? v->isup.f.calling.digits : "-",
               v->isup.f.called.digits[0] ? v->isup.f.called.digits : "-",
               ssgw_trust_outcome_name(res.cli));
        if (res.cli_att.signer[0])
            printf(", attest %c, signer \"%s\" serial %s",
                   ssgw_cli_attest_letter(res.cli_att.attest), res.cli_att.signer,
                   res.cli_att.signer_serial);
        putchar('\n');
        if (ok)
            printf("  header    %s\n  claims    %s\n  PASSporT  %s\n  Identity: %s\n", pp.header,
                   pp.claims, pp.jws, pp.identity);
    }
    if (cmd_capture_end("passport", cap, in, r)) status = 1;
    fprintf(json ? stderr : stdout,
            "ssgw passport: %" PRIu64 " IAMs checked, %" PRIu64 " verified (PASSporT printed)\n",
            iams, verified);
    ssgw_capture_close(cap);
    ssgw_pipeline_free(pl);
    return status;
}
