/*
 * cmd_gateway.c - what a gateway does with a bundle, as commands: verify and
 * print one (`show-bundle`), fetch one over HTTP (`fetch`). They call exactly
 * the library functions the gateway uses (ssgw_bundle_load, ssgw_bundle_fetch).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssgw/bundle.h"
#include "ssgw/ca.h"

#include "cmd.h"

static void fmt(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int cmd_show_bundle(int argc, char **argv)
{
    static const char help[] =
        "usage: tsca show-bundle BUNDLE --root ROOT.crt [--min-sequence N] [--now TIME]\n"
        "                        [--gt DIGITS]\n"
        "Verifies BUNDLE as a gateway does (signature chain to ROOT.crt, sequence >= N,\n"
        "validity at TIME, every member certificate) and prints its members, revocations\n"
        "and directory; --gt also looks an operator up by GT. Exit status 1 when refused.\n";
    const char *root = NULL, *minseq = "0", *now = NULL, *gt = NULL;
    const struct tsca_opt opts[] = {{"root", &root, NULL},
                                    {"min-sequence", &minseq, NULL},
                                    {"now", &now, NULL},
                                    {"gt", &gt, NULL},
                                    {NULL, NULL, NULL}};
    const char *pos[1];
    int npos;
    int pr = tsca_parse(argc, argv, opts, pos, 1, &npos, help);
    if (pr) return pr > 0 ? 0 : 2;
    if (npos != 1 || !root) {
        fputs(help, stderr);
        return 2;
    }
    char err[600];
    time_t t = time(NULL);
    if (now && tsca_parse_time(now, &t)) {
        fprintf(stderr, "tsca show-bundle: --now '%s': bad time\n", now);
        return 2;
    }
    char *end;
    unsigned long long ms = strtoull(minseq, &end, 10);
    if (*end || end == minseq) {
        fprintf(stderr, "tsca show-bundle: --min-sequence '%s': expected a number\n", minseq);
        return 2;
    }
    X509 *r = ssgw_cert_load_pem(root, err, sizeof err);
    if (!r) {
        fprintf(stderr, "tsca show-bundle: %s\n", err);
        return 2;
    }
    ssgw_bundle *b = ssgw_bundle_load(pos[0], NULL, 0, r, ms, t, err, sizeof err);
    X509_free(r);
    if (!b) {
        fprintf(stderr, "tsca show-bundle: %s: refused: %s\n", pos[0], err);
        return 1;
    }
    char t1[32], t2[32];
    fmt(ssgw_bundle_issued_at(b), t1);
    fmt(ssgw_bundle_not_after(b), t2);
    printf("bundle ok: sequence %" PRIu64 ", issued-at %s, not-after %s, %zu members, %zu "
           "revocations, %zu directory entries\n",
           ssgw_bundle_sequence(b), t1, t2, ssgw_bundle_count(b), ssgw_bundle_revocation_count(b),
           ssgw_bundle_directory_count(b));
    for (size_t i = 0; i < ssgw_bundle_count(b); i++) {
        const ssgw_bundle_member *m = ssgw_bundle_at(b, i);
        char k1[20], k2[20];
        fmt(m->not_before, t1);
        fmt(m->not_after, t2);
        printf("member %zu: \"%s\" %s sign-key %s (serial %s) ka-key %s (serial %s) %s..%s %s%s\n",
               i + 1, m->identity.name, m->identity.country,
               ssgw_hex(m->sign_key_id, 8, k1, sizeof k1), m->sign_serial,
               ssgw_hex(m->ka_key_id, 8, k2, sizeof k2), m->ka_serial, t1, t2,
               m->revoked ? "REVOKED " : "valid",
               m->revoked ? ssgw_revoke_reason_name(m->revoke_reason) : "");
        for (size_t k = 0; k < m->identity.n_tn; k++) { /* numbers it may attest (CLI) */
            char rt[96];
            ssgw_gt_range_format(&m->identity.tn[k], rt, sizeof rt);
            printf("member %zu: tn %s\n", i + 1, rt);
        }
    }
    for (size_t i = 0; i < ssgw_bundle_revocation_count(b); i++) {
        const ssgw_bundle_revocation *rv = ssgw_bundle_revocation_at(b, i);
        fmt(rv->when, t1);
        printf("revoked %s %s %s\n", rv->serial, ssgw_revoke_reason_name(rv->reason), t1);
    }
    for (size_t i = 0; i < ssgw_bundle_directory_count(b); i++) {
        ssgw_gt_range rg;
        const char *name = ssgw_bundle_directory_at(b, i, &rg);
        char rt[96];
        ssgw_gt_range_format(&rg, rt, sizeof rt);
        printf("gt %s -> %s\n", rt, name);
    }
    if (gt) {
        const ssgw_bundle_member *m = ssgw_bundle_find_gt(b, gt);
        printf("lookup %s -> %s\n", gt, m ? m->identity.name : "(none)");
    }
    ssgw_bundle_free(b);
    return 0;
}

int cmd_fetch(int argc, char **argv)
{
    static const char help[] =
        "usage: tsca fetch URL OUT [--etag ETAG] [--timeout-ms N]\n"
        "GETs URL (http://HOST:PORT/bundle) with If-None-Match: ETAG. Prints 'status 200\n"
        "etag E' and writes the body to OUT, or prints 'status 304 etag E' (OUT untouched).\n"
        "The body is not verified here: use `tsca show-bundle`.\n";
    const char *etag = NULL, *tmo = "10000";
    const struct tsca_opt opts[] = {
        {"etag", &etag, NULL}, {"timeout-ms", &tmo, NULL}, {NULL, NULL, NULL}};
    const char *pos[2];
    int npos;
    int pr = tsca_parse(argc, argv, opts, pos, 2, &npos, help);
    if (pr) return pr > 0 ? 0 : 2;
    if (npos != 2) {
        fputs(help, stderr);
        return 2;
    }
    long to;
    if (tsca_parse_int("--timeout-ms", tmo, 1, 600000, &to)) return 2;
    ssgw_bundle_fetch_result r;
    char err[600];
    if (ssgw_bundle_fetch(pos[0], etag, 0, (int)to, &r, err, sizeof err) < 0) {
        fprintf(stderr, "tsca fetch: %s\n", err);
        return 1;
    }
    if (r.status == 200 &&
        ssgw_file_write_atomic(pos[1], r.body, r.len, 0644, err, sizeof err) < 0) {
        fprintf(stderr, "tsca fetch: %s\n", err);
        ssgw_bundle_fetch_free(&r);
        return 1;
    }
    printf("status %d etag %s\n", r.status, r.etag[0] ? r.etag : "-");
    ssgw_bundle_fetch_free(&r);
    return 0;
}
