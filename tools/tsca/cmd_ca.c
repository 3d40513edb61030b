/*
 * cmd_ca.c - the CA-side subcommands: init, request, verify-request, approve,
 * issue, revoke, list, bundle, audit. Each parses its options and calls the
 * library (include/ssgw/ca.h); exit status 0 success, 1 refused/failed, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/ca.h"

#include "cmd.h"

#define PARSE(opts, pos, max, help)                                                                \
    int npos;                                                                                      \
    {                                                                                              \
        int pr = tsca_parse(argc, argv, opts, pos, max, &npos, help);                              \
        if (pr) return pr > 0 ? 0 : 2;                                                             \
    }

static int need(int npos, int want, const char *help)
{
    if (npos != want) {
        fputs(help, stderr);
        return -1;
    }
    return 0;
}

static int report_err(const char *cmd, const char *err)
{
    fprintf(stderr, "tsca %s: %s\n", cmd, err);
    return 1;
}

int cmd_init(int argc, char **argv)
{
    static const char help[] =
        "usage: tsca init DIR [--name CA_NAME] [--registry FILE] [--approvals 1|2]\n"
        "                 [--root-days N] [--issuing-days N] [--cert-days N] [--bundle-days N]\n"
        "Creates the CA directory DIR (mode 0700): an ECDSA P-256 root CA (self-signed,\n"
        "default 7300 days), an issuing CA signed by the root (default 1825 days), both keys\n"
        "written 0600, tsca.conf (approvals, validity, registry path), bundle.seq and the\n"
        "first line of the audit log. --approvals 2 requires two different officers.\n";
    const char *name = "OpenSSGW TSCA", *reg = NULL, *appr = "1", *rd = "7300", *id = "1825",
               *cd = "365", *bd = "7";
    const struct tsca_opt opts[] = {{"name", &name, NULL},       {"registry", &reg, NULL},
                                    {"approvals", &appr, NULL},  {"root-days", &rd, NULL},
                                    {"issuing-days", &id, NULL}, {"cert-days", &cd, NULL},
                                    {"bundle-days", &bd, NULL},  {NULL, NULL, NULL}};
    const char *pos[1];
    PARSE(opts, pos, 1, help);
    if (need(npos, 1, help)) return 2;
    long a, r, i, c, b;
    if (tsca_parse_int("--approvals", appr, 1, 2, &a) ||
        tsca_parse_int("--root-days", rd, 1, 36500, &r) ||
        tsca_parse_int("--issuing-days", id, 1, 36500, &i) ||
        tsca_parse_int("--cert-days", cd, 1, 36500, &c) ||
        tsca_parse_int("--bundle-days", bd, 1, 36500, &b))
        return 2;
    ssgw_ca_init_opts o = {name, (int)a, (int)r, (int)i, (int)c, (int)b, reg};
    char err[512];
    if (ssgw_ca_init(pos[0], &o, err, sizeof err) < 0) return report_err("init", err);
    printf("created CA in %s (root.crt, issuing.crt; keys 0600; approvals required: %ld)\n", pos[0],
           a);
    return 0;
}

int cmd_request(int argc, char **argv)
{
    static const char help[] =
        "usage: tsca request --key OUT.key [--ka-key OUT-ka.key] --name LEGAL_NAME --country CC\n"
        "                    --gt RANGES [--mccmnc CODES] [--pc CODES] [--tn RANGES]\n"
        "                    [--contact TEXT]\n"
        "                    [--sign-alg p256|ed25519] [--ka-alg p256|x25519] OUT.req\n"
        "Operator side. Generates the gateway's signing key (--key) and key-agreement key\n"
        "(--ka-key, default: OUT.key with '-ka' before '.key'), both written 0600 (never\n"
        "overwritten), and the enrolment request OUT.req: the claims, a CSR signed by the\n"
        "signing key carrying the claims, and the key-agreement public key.\n"
        "  --gt      E.164 ranges: 4477-4478,447700000000-447799999999 (a prefix or FROM-TO)\n"
        "  --mccmnc  E.212 codes: 23415,23416     --pc  ITU point codes 0..16383: 1234,5678\n"
        "  --tn      E.164 ranges of the calling numbers the gateway may attest (CLI\n"
        "            authentication, docs/wire-format.md): same syntax as --gt\n";
    const char *key = NULL, *ka = NULL, *name = NULL, *cc = NULL, *gt = NULL, *mcc = NULL,
               *pc = NULL, *contact = "", *sa = "p256", *kalg = "p256", *tn = NULL;
    const struct tsca_opt opts[] = {
        {"key", &key, NULL},     {"ka-key", &ka, NULL},       {"name", &name, NULL},
        {"country", &cc, NULL},  {"gt", &gt, NULL},           {"mccmnc", &mcc, NULL},
        {"pc", &pc, NULL},       {"contact", &contact, NULL}, {"sign-alg", &sa, NULL},
        {"ka-alg", &kalg, NULL}, {"tn", &tn, NULL},           {NULL, NULL, NULL}};
    const char *pos[1];
    PARSE(opts, pos, 1, help);
    if (need(npos, 1, help)) return 2;
    if (!key || !name || !cc || !gt) {
        fprintf(stderr, "tsca request: --key, --name, --country and --gt are required\n");
        return 2;
    }
    ssgw_identity id;
    memset(&id, 0, sizeof id);
    if (strlen(name) >= sizeof id.name || strlen(cc) != 2) {
        fprintf(stderr, "tsca request: --name must be 1..127 bytes, --country two letters\n");
        return 2;
    }
    snprintf(id.name, sizeof id.name, "%s", name);
    memcpy(id.country, cc, 3);
    char err[512];
    if (ssgw_identity_parse_lists(&id, mcc, gt, pc, err, sizeof err) < 0 ||
        ssgw_identity_parse_tn(&id, tn, err, sizeof err) < 0) {
        fprintf(stderr, "tsca request: %s\n", err);
        return 2;
    }
    char kapath[1024];
    if (!ka) {
        size_t l = strlen(key);
        if (l > 4 && !strcmp(key + l - 4, ".key"))
            snprintf(kapath, sizeof kapath, "%.*s-ka.key", (int)(l - 4), key);
        else
            snprintf(kapath, sizeof kapath, "%s-ka", key);
        ka = kapath;
    }
    if (ssgw_ca_request_create(&id, contact, sa, kalg, key, ka, pos[0], err, sizeof err) < 0)
        return report_err("request", err);
    printf("wrote %s (signing key %s, key-agreement key %s, both 0600)\n", pos[0], key, ka);
    return 0;
}

int cmd_verify_request(int argc, char **argv)
{
    static const char help[] =
        "usage: tsca verify-request DIR REQ [--registry FILE]\n"
        "Checks the request's signature and every claim against the numbering registry\n"
        "(tsca.conf 'registry', or --registry): each MCC-MNC must be assigned to the same\n"
        "holder and country, each GT range must lie entirely inside one E.164 range of that\n"
        "holder. Refusals name the exact claim. Records the evidence (matching registry lines,\n"
        "registry SHA-256) in DIR/requests/ and the audit log.\n";
    const char *reg = NULL;
    const struct tsca_opt opts[] = {{"registry", &reg, NULL}, {NULL, NULL, NULL}};
    const char *pos[2];
    PARSE(opts, pos, 2, help);
    if (need(npos, 2, help)) return 2;
    char err[1200], rep[9000];
    if (ssgw_ca_verify_request(pos[0], pos[1], reg, rep, sizeof rep, err, sizeof err) < 0)
        return report_err("verify-request", err);
    fputs(rep, stdout);
    return 0;
}

int cmd_approve(int argc, char **argv)
{
    static const char help[] =
        "usage: tsca approve DIR REQ --officer NAME\n"
        "Records NAME's approval of a verified request. With approvals_required = 2 in\n"
        "tsca.conf, two different officers must approve before `tsca issue`.\n";
    const char *officer = NULL;
    const struct tsca_opt opts[] = {{"officer", &officer, NULL}, {NULL, NULL, NULL}};
    const char *pos[2];
    PARSE(opts, pos, 2, help);
    if (need(npos, 2, help)) return 2;
    char err[600];
    int n = ssgw_ca_approve(pos[0], pos[1], officer, err, sizeof err);
    if (n < 0) return report_err("approve", err);
    ssgw_ca_config cfg;
    int req = ssgw_ca_config_load(pos[0], &cfg, err, sizeof err) == 0 ? cfg.approvals_required : 1;
    printf("approved by %s (%d of %d)\n", officer, n, req);
    return 0;
}

int cmd_issue(int argc, char **argv)
{
    static const char help[] =
        "usage: tsca issue DIR REQ OUT.crt [--not-before TIME] [--not-after TIME] [--days N]\n"
        "Issues, for a verified and approved request, the signing certificate\n"
        "(keyUsage digitalSignature) and the key-agreement certificate (keyAgreement), both\n"
        "with the signalling-identity extension and a random 128-bit serial, signed by the\n"
        "issuing CA; writes both (PEM, signing first) to OUT.crt and DIR/issued/.\n"
        "TIME: 2025-01-31T00:00:00Z or seconds since 1970. Default validity: cert_days.\n";
    const char *nb = NULL, *na = NULL, *days = NULL;
    const struct tsca_opt opts[] = {{"not-before", &nb, NULL},
                                    {"not-after", &na, NULL},
                                    {"days", &days, NULL},
                                    {NULL, NULL, NULL}};
    const char *pos[3];
    PARSE(opts, pos, 3, help);
    if (need(npos, 3, help)) return 2;
    ssgw_ca_issue_opts o = {0, 0};
    if ((nb && tsca_parse_time(nb, &o.not_before)) || (na && tsca_parse_time(na, &o.not_after))) {
        fprintf(stderr, "tsca issue: bad time (expected 2025-01-31T00:00:00Z or seconds)\n");
        return 2;
    }
    if (days) {
        long d;
        if (tsca_parse_int("--days", days, 1, 36500, &d)) return 2;
        if (!o.not_before) o.not_before = time(NULL) - 60;
        o.not_after = o.not_before + d * 86400;
    }
    char err[600], serials[128];
    if (ssgw_ca_issue(pos[0], pos[1], pos[2], &o, serials, sizeof serials, err, sizeof err) < 0)
        return report_err("issue", err);
    printf("issued %s (serials: signing, key-agreement: %s)\n", pos[2], serials);
    return 0;
}

int cmd_revoke(int argc, char **argv)
{
    static const char help[] =
        "usage: tsca revoke DIR SERIAL --reason REASON\n"
        "Revokes the enrolment owning certificate SERIAL (hex; both its certificates).\n"
        "REASON (RFC 5280): unspecified keyCompromise cACompromise affiliationChanged\n"
        "superseded cessationOfOperation certificateHold privilegeWithdrawn.\n"
        "The next `tsca bundle` lists the revocation.\n";
    const char *reason = NULL;
    const struct tsca_opt opts[] = {{"reason", &reason, NULL}, {NULL, NULL, NULL}};
    const char *pos[2];
    PARSE(opts, pos, 2, help);
    if (need(npos, 2, help)) return 2;
    ssgw_revoke_reason r;
    if (!reason || ssgw_revoke_reason_parse(reason, &r) < 0) {
        fprintf(stderr, "tsca revoke: --reason '%s' is not an RFC 5280 reason (see --help)\n",
                reason ? reason : "");
        return 2;
    }
    char err[600];
    if (ssgw_ca_revoke(pos[0], pos[1], r, err, sizeof err) < 0) return report_err("revoke", err);
    printf("revoked %s (%s)\n", pos[1], ssgw_revoke_reason_name(r));
    return 0;
}

int cmd_list(int argc, char **argv)
{
    static const char help[] = "usage: tsca list DIR\n"
                               "Lists the requests (new / verified / issued, approvals) and\n"
                               "every issued certificate with its status.\n";
    const char *pos[1];
    PARSE(NULL, pos, 1, help);
    if (need(npos, 1, help)) return 2;
    char err[600];
    if (ssgw_ca_list(pos[0], stdout, err, sizeof err) < 0) return report_err("list", err);
    return 0;
}

int cmd_bundle(int argc, char **argv)
{
    static const char help[] =
        "usage: tsca bundle DIR OUT.bundle [--validity-days N | --validity-seconds N]\n"
        "Writes a new trust bundle (CMS SignedData, PEM) signed by the issuing CA: sequence\n"
        "number (DIR/bundle.seq + 1; never reused), issued-at, not-after (default\n"
        "bundle_days), the CA certificates, every member's certificates, the revocations\n"
        "and the GT -> operator directory. Also copies it to DIR/current.bundle.\n"
        "Short-lived bundles (--validity-seconds) make gateways fail closed unless they\n"
        "keep fetching newer ones.\n";
    const char *vd = NULL, *vs = NULL;
    const struct tsca_opt opts[] = {
        {"validity-days", &vd, NULL}, {"validity-seconds", &vs, NULL}, {NULL, NULL, NULL}};
    const char *pos[2];
    PARSE(opts, pos, 2, help);
    if (need(npos, 2, help)) return 2;
    long d = 0, secs = 0;
    if (vd && vs) {
        fprintf(stderr, "tsca bundle: --validity-days and --validity-seconds exclude each other\n");
        return 2;
    }
    if (vd && tsca_parse_int("--validity-days", vd, 1, 3650, &d)) return 2;
    if (vs && tsca_parse_int("--validity-seconds", vs, 1, 315360000, &secs)) return 2;
    char err[600];
    uint64_t seq;
    long long validity = vs ? secs : d * 86400LL;
    if (ssgw_ca_bundle(pos[0], pos[1], validity, time(NULL), &seq, err, sizeof err) < 0)
        return report_err("bundle", err);
    printf("wrote %s (sequence %llu)\n", pos[1], (unsigned long long)seq);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    static const char help[] =
        "usage: tsca audit verify DIR\n"
        "Checks DIR/audit.log: every line's entry number, and the SHA-256 chain from the\n"
        "genesis hash through every line to DIR/audit.head. Names the first bad line;\n"
        "exit status 1 when the log was edited, truncated or reordered.\n";
    const char *pos[2];
    PARSE(NULL, pos, 2, help);
    if (npos != 2 || strcmp(pos[0], "verify")) {
        fputs(help, stderr);
        return 2;
    }
    char err[600];
    size_t bad;
    long n = ssgw_audit_verify(pos[1], &bad, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "tsca audit: %s\n", err);
        if (bad) fprintf(stderr, "tsca audit: first bad line: %zu\n", bad);
        return 1;
    }
    printf("audit log ok: %ld entries, chain intact\n", n);
    return 0;
}
