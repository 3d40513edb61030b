/*
 * fuzz_bundle.c - libFuzzer target for the trust-bundle loader.
 *
 * Each input is tried twice: (1) as a whole bundle file (PEM/CMS container
 * parsing and signature checking), and (2) as the tail of a bundle body that
 * this target signs with a real issuing CA created once at start-up (in a
 * temporary directory), so the body parser behind the signature is reached:
 * the target writes the header (format, sequence, times, root, issuing) and
 * the input follows; the text "@M@" in the input is replaced by a valid
 * member line of that CA.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "ssgw/bundle.h"
#include "ssgw/ca.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmp[64];
static X509 *root, *issuing, *msign, *mka;
static EVP_PKEY *ikey;
static char *header, *member;
static time_t now;

static void cleanup(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    if (system(cmd)) {
    }
    X509_free(root);
    X509_free(issuing);
    X509_free(msign);
    X509_free(mka);
    EVP_PKEY_free(ikey);
    free(header);
    free(member);
}

static char *b64(X509 *x)
{
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    char *s = malloc(4 * ((size_t)n + 2) / 3 + 4);
    EVP_EncodeBlock((unsigned char *)s, der, n);
    OPENSSL_free(der);
    return s;
}

static void init(void)
{
    char err[1024], p[300], p2[100], rep[2048];
    snprintf(tmp, sizeof tmp, "/tmp/ssgw-fuzz-bundle-XXXXXX");
    if (!mkdtemp(tmp)) abort();
    atexit(cleanup);
    snprintf(p, sizeof p, "%s/reg.csv", tmp);
    FILE *f = fopen(p, "w");
    fputs("Fuzz Operator,GB,e164,4477\n", f);
    fclose(f);
    snprintf(p2, sizeof p2, "%s/ca", tmp);
    ssgw_ca_init_opts o = {"Fuzz", 1, 3650, 1825, 365, 7, p};
    if (ssgw_ca_init(p2, &o, err, sizeof err)) abort();
    ssgw_identity id;
    memset(&id, 0, sizeof id);
    strcpy(id.name, "Fuzz Operator");
    strcpy(id.country, "GB");
    ssgw_gt_range_parse("4477", &id.gt[0]);
    id.n_gt = 1;
    char req[200], key[200], ka[200], crt[200];
    snprintf(req, sizeof req, "%s/m.req", tmp);
    snprintf(key, sizeof key, "%s/m.key", tmp);
    snprintf(ka, sizeof ka, "%s/m-ka.key", tmp);
    snprintf(crt, sizeof crt, "%s/m.crt", tmp);
    if (ssgw_ca_request_create(&id, "", "p256", "p256", key, ka, req, err, sizeof err) ||
        ssgw_ca_verify_request(p2, req, NULL, rep, sizeof rep, err, sizeof err) ||
        ssgw_ca_approve(p2, req, "o", err, sizeof err) < 0 ||
        ssgw_ca_issue(p2, req, crt, NULL, NULL, 0, err, sizeof err))
        abort();
    f = fopen(crt, "r");
    msign = PEM_read_X509(f, NULL, NULL, NULL);
    mka = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    snprintf(p, sizeof p, "%s/root.crt", p2);
    root = ssgw_cert_load_pem(p, err, sizeof err);
    snprintf(p, sizeof p, "%s/issuing.crt", p2);
    issuing = ssgw_cert_load_pem(p, err, sizeof err);
    snprintf(p, sizeof p, "%s/issuing.key", p2);
    ikey = ssgw_key_load(p, err, sizeof err);
    if (!msign || !mka || !root || !issuing || !ikey) abort();
    now = time(NULL);
    char *r = b64(root), *i = b64(issuing), *s = b64(msign), *k = b64(mka);
    size_t hl = strlen(r) + strlen(i) + 256;
    header = malloc(hl);
    snprintf(header, hl,
             "ssgw-trust-bundle 1\nsequence 5\nissued-at 2020-01-01T00:00:00Z\n"
             "not-after 2099-01-01T00:00:00Z\nroot %s\nissuing %s\n",
             r, i);
    size_t ml = strlen(s) + strlen(k) + 16;
    member = malloc(ml);
    snprintf(member, ml, "member %s %s", s, k);
    free(r);
    free(i);
    free(s);
    free(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root) init();
    char err[512];
    ssgw_bundle *b = ssgw_bundle_load(NULL, data, size, root, 0, now, err, sizeof err);
    ssgw_bundle_free(b);
    if (size > 65536) return 0;

    /* body = header + input with @M@ expanded */
    size_t cap = strlen(header) + size * 1 + 1;
    size_t nm = 0;
    for (size_t i = 0; i + 3 <= size; i++)
        if (!memcmp(data + i, "@M@", 3)) nm++;
    if (nm > 16) return 0;
    cap += nm * strlen(member);
    char *body = malloc(cap);
    size_t o = strlen(header);
    memcpy(body, header, o);
    for (size_t i = 0; i < size;) {
        if (i + 3 <= size && !memcmp(data + i, "@M@", 3)) {
            memcpy(body + o, member, strlen(member));
            o += strlen(member);
            i += 3;
        } else {
            body[o++] = (char)data[i++];
        }
    }
    ssgw_bundle_spec spec = {.root = root, .issuing = issuing, .issuing_key = ikey};
    char *pem = NULL;
    size_t pl = 0;
    if (ssgw_bundle_sign(&spec, body, o, &pem, &pl, err, sizeof err) == 0) {
        b = ssgw_bundle_load(NULL, (const uint8_t *)pem, pl, root, 0, now, err, sizeof err);
        if (b) {
            for (size_t i = 0; i < ssgw_bundle_count(b); i++)
                (void)ssgw_bundle_find_key(b, ssgw_bundle_at(b, i)->sign_key_id);
            (void)ssgw_bundle_find_gt(b, "447700000000");
        }
        ssgw_bundle_free(b);
    }
    free(pem);
    free(body);
    return 0;
}
