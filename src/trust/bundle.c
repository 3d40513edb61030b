/*
 * bundle.c - making, verifying and publishing the signed trust bundle
 * (include/ssgw/bundle.h, docs/tsca.md "Trust bundle").
 *
 * Container: CMS SignedData (RFC 5652 clause 5) in PEM (RFC 7468 "CMS"),
 * signed by the issuing CA, encapsulating a canonical UTF-8 text body:
 *
 *   ssgw-trust-bundle 1
 *   sequence <decimal>
 *   issued-at <YYYY-MM-DDTHH:MM:SSZ>
 *   not-after <YYYY-MM-DDTHH:MM:SSZ>
 *   root <base64 DER certificate>
 *   issuing <base64 DER certificate>
 *   member <base64 DER signing cert> <base64 DER key-agreement cert>   (0..n)
 *   revoked <serial hex> <reason> <YYYY-MM-DDTHH:MM:SSZ>               (0..n)
 *   gt <from[-to]> <operator legal name>                               (0..n)
 *   end
 *
 * Every line ends with LF; lines appear in exactly this order; anything else
 * is refused. The parser is bounded (SSGW_BUNDLE_MAX_*) and only ever runs on
 * a body whose signature has already verified, but it is written (and fuzzed)
 * as if it did not.
 */
#include "ssgw/bundle.h"
#include "ssgw/file.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h> /* before cms.h: it declares PEM_read_bio_CMS */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

struct key_index {
    uint8_t id[SSGW_KEY_ID_LEN];
    size_t member;
};

struct dir_entry {
    ssgw_gt_range range;
    size_t member;
};

struct ssgw_bundle {
    atomic_size_t refs;
    uint64_t sequence;
    time_t issued_at, not_after;
    X509 *root, *issuing;
    ssgw_bundle_member *members;
    size_t n_members;
    ssgw_bundle_revocation *revoked;
    size_t n_revoked;
    struct dir_entry *dir;
    size_t n_dir;
    ssgw_gt_index *gt_index; /* over dir[].range, for ssgw_bundle_find_gt */
    struct key_index *keys;  /* sorted by id */
    size_t n_keys;
};

/* Appends OpenSSL's first queued error to msg (and clears the queue). */
static const char *ossl_reason(char *buf, size_t n)
{
    unsigned long e = ERR_get_error();
    if (!e) {
        snprintf(buf, n, "no OpenSSL detail");
    } else {
        ERR_error_string_n(e, buf, n);
    }
    ERR_clear_error();
    return buf;
}

/* --- time and base64 --- */

static void fmt_time(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int parse_time(const char *s, size_t n, time_t *out)
{
    char tmp[32], back[32];
    if (n != 20) return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    struct tm tm = {0};
    int y, mo, d, h, mi, se;
    char z;
    if (sscanf(tmp, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z) != 7 || z != 'Z')
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    *out = timegm(&tm);
    fmt_time(*out, back); /* canonical form only: refuses 2024-02-30 and the like */
    return strcmp(back, tmp) ? -1 : 0;
}

/* DER certificate -> base64 appended to the growing string. */
struct sbuf {
    char *p;
    size_t len, cap;
    bool failed;
};

static void sb_put(struct sbuf *s, const char *data, size_t n)
{
    if (s->failed) return;
    if (s->len + n + 1 > s->cap) {
        size_t nc = s->cap ? s->cap : 4096;
        while (nc < s->len + n + 1)
            nc *= 2;
        if (nc > SSGW_BUNDLE_MAX_BYTES) {
            s->failed = true;
            return;
        }
        char *np = realloc(s->p, nc);
        if (!np) {
            s->failed = true;
            return;
        }
        s->p = np;
        s->cap = nc;
    }
    memcpy(s->p + s->len, data, n);
    s->len += n;
    s->p[s->len] = '\0';
}

static void sb_printf(struct sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *s, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        s->failed = true;
        return;
    }
    sb_put(s, tmp, (size_t)n);
}

static void sb_cert(struct sbuf *s, X509 *x)
{
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    if (n <= 0) {
        s->failed = true;
        return;
    }
    size_t cap = 4 * (((size_t)n + 2) / 3) + 1;
    char *b64 = malloc(cap);
    if (!b64) {
        OPENSSL_free(der);
        s->failed = true;
        return;
    }
    int m = EVP_EncodeBlock((unsigned char *)b64, der, n);
    sb_put(s, b64, (size_t)m);
    free(b64);
    OPENSSL_free(der);
}

static X509 *cert_from_b64(const char *s, size_t n)
{
    if (n == 0 || n % 4 != 0 || n > SSGW_BUNDLE_MAX_BYTES) return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '/' || (c == '=' && i >= n - 2);
        if (!ok || (c != '=' && i > 0 && s[i - 1] == '=')) return NULL;
    }
    unsigned char *der = malloc(n / 4 * 3 + 1);
    if (!der) return NULL;
    int m = EVP_DecodeBlock(der, (const unsigned char *)s, (int)n);
    if (m < 0) {
        free(der);
        return NULL;
    }
    if (s[n - 1] == '=') m--;
    if (s[n - 2] == '=') m--;
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, m);
    if (x && p != der + m) { /* trailing bytes after the certificate */
        X509_free(x);
        x = NULL;
    }
    free(der);
    return x;
}

/* --- making --- */

static bool member_revoked(const ssgw_bundle_spec *spec, X509 *a, X509 *b)
{
    char sa[SSGW_SERIAL_HEX_MAX], sb[SSGW_SERIAL_HEX_MAX];
    if (ssgw_cert_serial_hex(a, sa, sizeof sa) < 0 || ssgw_cert_serial_hex(b, sb, sizeof sb) < 0)
        return true;
    for (size_t i = 0; i < spec->n_revoked; i++)
        if (!strcmp(spec->revoked[i].serial, sa) || !strcmp(spec->revoked[i].serial, sb))
            return true;
    return false;
}

int ssgw_bundle_make_body(const ssgw_bundle_spec *spec, char **body, size_t *len, char *err,
                          size_t errlen)
{
    struct sbuf s = {0};
    char t1[32], t2[32];
    fmt_time(spec->issued_at, t1);
    fmt_time(spec->not_after, t2);
    sb_printf(&s, "ssgw-trust-bundle %d\nsequence %" PRIu64 "\nissued-at %s\nnot-after %s\n",
              SSGW_BUNDLE_FORMAT, spec->sequence, t1, t2);
    sb_put(&s, "root ", 5);
    sb_cert(&s, spec->root);
    sb_put(&s, "\nissuing ", 9);
    sb_cert(&s, spec->issuing);
    sb_put(&s, "\n", 1);
    for (size_t i = 0; i < spec->n_members; i++) {
        sb_put(&s, "member ", 7);
        sb_cert(&s, spec->members[i].sign_cert);
        sb_put(&s, " ", 1);
        sb_cert(&s, spec->members[i].ka_cert);
        sb_put(&s, "\n", 1);
    }
    for (size_t i = 0; i < spec->n_revoked; i++) {
        fmt_time(spec->revoked[i].when, t1);
        sb_printf(&s, "revoked %s %s %s\n", spec->revoked[i].serial,
                  ssgw_revoke_reason_name(spec->revoked[i].reason), t1);
    }
    for (size_t i = 0; i < spec->n_members; i++) {
        X509 *sc = spec->members[i].sign_cert;
        if (member_revoked(spec, sc, spec->members[i].ka_cert)) continue;
        ssgw_identity id;
        ssgw_error e;
        if (ssgw_cert_get_identity(sc, &id, &e) < 0) {
            free(s.p);
            return ssgw_errf(err, errlen, "member %zu: certificate has no valid identity", i + 1);
        }
        for (size_t g = 0; g < id.n_gt; g++) {
            char r[2 * SSGW_DIGITS_MAX + 2];
            ssgw_gt_range_format(&id.gt[g], r, sizeof r);
            sb_printf(&s, "gt %s %s\n", r, id.name);
        }
    }
    sb_put(&s, "end\n", 4);
    if (s.failed) {
        free(s.p);
        return ssgw_errf(err, errlen, "bundle body too large or out of memory");
    }
    *body = s.p;
    *len = s.len;
    return 0;
}

int ssgw_bundle_sign(const ssgw_bundle_spec *spec, const char *body, size_t body_len, char **out,
                     size_t *out_len, char *err, size_t errlen)
{
    char why[256];
    int rc = -1;
    BIO *in = BIO_new_mem_buf(body, (int)body_len);
    BIO *mem = BIO_new(BIO_s_mem());
    CMS_ContentInfo *cms = NULL;
    if (!in || !mem) goto done;
    cms = CMS_sign(spec->issuing, spec->issuing_key, NULL, in, CMS_BINARY | CMS_NOSMIMECAP);
    if (!cms) {
        ssgw_errf(err, errlen, "CMS signing failed: %s", ossl_reason(why, sizeof why));
        goto done;
    }
    if (!PEM_write_bio_CMS(mem, cms)) {
        ssgw_errf(err, errlen, "CMS encoding failed: %s", ossl_reason(why, sizeof why));
        goto done;
    }
    char *p;
    long n = BIO_get_mem_data(mem, &p);
    *out = malloc((size_t)n + 1);
    if (!*out) goto done;
    memcpy(*out, p, (size_t)n);
    (*out)[n] = '\0';
    *out_len = (size_t)n;
    rc = 0;
done:
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    BIO_free(mem);
    return rc;
}

/* --- loading --- */

static void bundle_destroy(ssgw_bundle *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->n_members; i++) {
        X509_free(b->members[i].sign_cert);
        X509_free(b->members[i].ka_cert);
    }
    free(b->members);
    free(b->revoked);
    free(b->dir);
    ssgw_gt_index_free(b->gt_index);
    free(b->keys);
    X509_free(b->root);
    X509_free(b->issuing);
    free(b);
}

void ssgw_bundle_free(const ssgw_bundle *cb)
{
    ssgw_bundle *b = (ssgw_bundle *)cb;
    if (b && atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1) bundle_destroy(b);
}

const ssgw_bundle *ssgw_bundle_ref(const ssgw_bundle *cb)
{
    ssgw_bundle *b = (ssgw_bundle *)cb;
    atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
    return b;
}

/* One line of the body: [p, p+n) without the LF. */
struct line {
    const char *p;
    size_t n;
    size_t no; /* 1-based line number */
};

struct cursor {
    const char *p;
    size_t len, pos, no;
};

static int next_line(struct cursor *c, struct line *l)
{
    if (c->pos >= c->len) return 0;
    const char *s = c->p + c->pos;
    const char *nl = memchr(s, '\n', c->len - c->pos);
    if (!nl) return -1;
    l->p = s;
    l->n = (size_t)(nl - s);
    l->no = ++c->no;
    c->pos += l->n + 1;
    return 1;
}

/* When line starts with "kw ", points *arg at the rest and returns true. */
static bool keyword(const struct line *l, const char *kw, const char **arg, size_t *argn)
{
    size_t k = strlen(kw);
    if (l->n <= k || memcmp(l->p, kw, k) || l->p[k] != ' ') return false;
    *arg = l->p + k + 1;
    *argn = l->n - k - 1;
    return true;
}

static int parse_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 20 || (n > 1 && s[0] == '0')) return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static bool pkey_is(EVP_PKEY *k, bool signing)
{
    int id = EVP_PKEY_get_base_id(k);
    if (id == (signing ? EVP_PKEY_ED25519 : EVP_PKEY_X25519)) return true;
    if (id != EVP_PKEY_EC) return false;
    char group[64];
    size_t gl = 0;
    if (!EVP_PKEY_get_group_name(k, group, sizeof group, &gl)) return false;
    return !strcmp(group, "prime256v1") || !strcmp(group, "P-256");
}

static int key_cmp(const void *a, const void *b)
{
    return memcmp(((const struct key_index *)a)->id, ((const struct key_index *)b)->id,
                  SSGW_KEY_ID_LEN);
}

/* Checks one member certificate: chains to the issuing CA (signatures only), keyUsage, key type,
 * identity. */
static int check_member_cert(X509_STORE *store, STACK_OF(X509) * untrusted, X509 *issuing, X509 *c,
                             bool signing, ssgw_identity *id, const char *what, size_t line,
                             char *err, size_t errlen)
{
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    if (!ctx || !X509_STORE_CTX_init(ctx, store, c, untrusted)) {
        X509_STORE_CTX_free(ctx);
        return ssgw_errf(err, errlen, "out of memory");
    }
    X509_VERIFY_PARAM *vp = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_NO_CHECK_TIME | X509_V_FLAG_X509_STRICT);
    X509_VERIFY_PARAM_set_purpose(vp, X509_PURPOSE_ANY);
    int ok = X509_verify_cert(ctx);
    int verr = X509_STORE_CTX_get_error(ctx);
    X509_STORE_CTX_free(ctx);
    ERR_clear_error();
    if (ok != 1)
        return ssgw_errf(err, errlen,
                         "bundle line %zu: member %s certificate does not chain to the "
                         "issuing CA: %s",
                         line, what, X509_verify_cert_error_string(verr));
    if (X509_check_issued(issuing, c) != X509_V_OK)
        return ssgw_errf(err, errlen,
                         "bundle line %zu: member %s certificate is not issued by the "
                         "issuing CA",
                         line, what);
    if (X509_check_ca(c) != 0)
        return ssgw_errf(err, errlen, "bundle line %zu: member %s certificate is a CA certificate",
                         line, what);
    uint32_t ku = X509_get_key_usage(c);
    uint32_t need = signing ? KU_DIGITAL_SIGNATURE : KU_KEY_AGREEMENT;
    if (ku == UINT32_MAX || !(ku & need))
        return ssgw_errf(err, errlen, "bundle line %zu: member %s certificate lacks keyUsage %s",
                         line, what, signing ? "digitalSignature" : "keyAgreement");
    EVP_PKEY *k = X509_get0_pubkey(c);
    if (!k || !pkey_is(k, signing))
        return ssgw_errf(err, errlen, "bundle line %zu: member %s key is not %s", line, what,
                         signing ? "ECDSA P-256 or Ed25519" : "ECDH P-256 or X25519");
    ssgw_error e;
    if (ssgw_cert_get_identity(c, id, &e) < 0) {
        char m[160];
        ssgw_error_format(&e, m, sizeof m);
        return ssgw_errf(err, errlen, "bundle line %zu: member %s certificate identity: %s", line,
                         what, m);
    }
    return 0;
}

static int parse_body(ssgw_bundle *b, const char *body, size_t len, X509 *trusted_root,
                      X509 *signer, uint64_t min_sequence, time_t now, char *err, size_t errlen)
{
    struct cursor c = {body, len, 0, 0};
    struct line l;
    const char *a;
    size_t an;
    int r;
    char tb[32];

#define NEXT(what)                                                                                 \
    do {                                                                                           \
        r = next_line(&c, &l);                                                                     \
        if (r <= 0)                                                                                \
            return ssgw_errf(err, errlen, "bundle body line %zu: %s", c.no + 1,                    \
                             r < 0 ? "line without newline" : "ends before " what);                \
    } while (0)

    NEXT("the format line");
    if (l.n != 19 || memcmp(l.p, "ssgw-trust-bundle 1", 19))
        return ssgw_errf(err, errlen, "bundle body line 1: expected 'ssgw-trust-bundle %d'",
                         SSGW_BUNDLE_FORMAT);
    NEXT("sequence");
    if (!keyword(&l, "sequence", &a, &an) || parse_u64(a, an, &b->sequence) < 0)
        return ssgw_errf(err, errlen, "bundle body line %zu: expected 'sequence <number>'", l.no);
    NEXT("issued-at");
    if (!keyword(&l, "issued-at", &a, &an) || parse_time(a, an, &b->issued_at) < 0)
        return ssgw_errf(err, errlen, "bundle body line %zu: expected 'issued-at <UTC time>'",
                         l.no);
    NEXT("not-after");
    if (!keyword(&l, "not-after", &a, &an) || parse_time(a, an, &b->not_after) < 0)
        return ssgw_errf(err, errlen, "bundle body line %zu: expected 'not-after <UTC time>'",
                         l.no);
    NEXT("root");
    if (!keyword(&l, "root", &a, &an) || !(b->root = cert_from_b64(a, an)))
        return ssgw_errf(err, errlen, "bundle body line %zu: expected 'root <certificate>'", l.no);
    NEXT("issuing");
    if (!keyword(&l, "issuing", &a, &an) || !(b->issuing = cert_from_b64(a, an)))
        return ssgw_errf(err, errlen, "bundle body line %zu: expected 'issuing <certificate>'",
                         l.no);

    if (trusted_root && X509_cmp(b->root, trusted_root) != 0)
        return ssgw_errf(err, errlen, "bundle names a root CA other than the configured one");
    if (signer && X509_cmp(b->issuing, signer) != 0)
        return ssgw_errf(err, errlen,
                         "bundle is signed by a certificate other than its issuing CA");
    if (b->issued_at > b->not_after)
        return ssgw_errf(err, errlen, "bundle issued-at is after its not-after");
    if (now < b->issued_at - 300) {
        fmt_time(b->issued_at, tb);
        return ssgw_errf(err, errlen, "bundle is issued in the future (%s)", tb);
    }
    if (now > b->not_after) {
        fmt_time(b->not_after, tb);
        return ssgw_errf(err, errlen, "bundle expired at %s", tb);
    }
    if (b->sequence < min_sequence)
        return ssgw_errf(err, errlen,
                         "bundle sequence %" PRIu64 " is older than the required minimum %" PRIu64
                         " (refusing to go back)",
                         b->sequence, min_sequence);

#define NEXT_OUT(what)                                                                             \
    do {                                                                                           \
        r = next_line(&c, &l);                                                                     \
        if (r <= 0) {                                                                              \
            ssgw_errf(err, errlen, "bundle body line %zu: %s", c.no + 1,                           \
                      r < 0 ? "line without newline" : "ends before " what);                       \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

    X509_STORE *store = X509_STORE_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    size_t cap = 0;
    int rc = -1;
    if (!store || !untrusted || !X509_STORE_add_cert(store, b->root) ||
        !sk_X509_push(untrusted, b->issuing)) {
        ssgw_errf(err, errlen, "out of memory");
        goto out;
    }
    for (;;) {
        NEXT_OUT("'end'");
        if (!keyword(&l, "member", &a, &an)) break;
        if (b->n_members == SSGW_BUNDLE_MAX_MEMBERS) {
            ssgw_errf(err, errlen, "bundle line %zu: more than %d members", l.no,
                      SSGW_BUNDLE_MAX_MEMBERS);
            goto out;
        }
        if (b->n_members == cap) {
            cap = cap ? cap * 2 : 16;
            void *np = realloc(b->members, cap * sizeof *b->members);
            if (!np) {
                ssgw_errf(err, errlen, "out of memory");
                goto out;
            }
            b->members = np;
        }
        ssgw_bundle_member *m = &b->members[b->n_members];
        memset(m, 0, sizeof *m);
        const char *sp = memchr(a, ' ', an);
        if (!sp || !(m->sign_cert = cert_from_b64(a, (size_t)(sp - a))) ||
            !(m->ka_cert = cert_from_b64(sp + 1, an - (size_t)(sp - a) - 1))) {
            X509_free(m->sign_cert);
            ssgw_errf(err, errlen, "bundle body line %zu: expected 'member <cert> <cert>'", l.no);
            goto out;
        }
        b->n_members++;
        ssgw_identity id2;
        if (check_member_cert(store, untrusted, b->issuing, m->sign_cert, true, &m->identity,
                              "signing", l.no, err, errlen) < 0 ||
            check_member_cert(store, untrusted, b->issuing, m->ka_cert, false, &id2,
                              "key-agreement", l.no, err, errlen) < 0)
            goto out;
        if (!ssgw_identity_equal(&m->identity, &id2)) {
            ssgw_errf(err, errlen,
                      "bundle line %zu: the member's two certificates carry different "
                      "identities",
                      l.no);
            goto out;
        }
        m->sign_key = X509_get0_pubkey(m->sign_cert);
        m->ka_key = X509_get0_pubkey(m->ka_cert);
        time_t nb1, nb2, na1, na2;
        if (ssgw_cert_key_id(m->sign_cert, m->sign_key_id) < 0 ||
            ssgw_cert_key_id(m->ka_cert, m->ka_key_id) < 0 ||
            ssgw_cert_serial_hex(m->sign_cert, m->sign_serial, sizeof m->sign_serial) < 0 ||
            ssgw_cert_serial_hex(m->ka_cert, m->ka_serial, sizeof m->ka_serial) < 0 ||
            ssgw_asn1_time_to_time_t(X509_get0_notBefore(m->sign_cert), &nb1) < 0 ||
            ssgw_asn1_time_to_time_t(X509_get0_notBefore(m->ka_cert), &nb2) < 0 ||
            ssgw_asn1_time_to_time_t(X509_get0_notAfter(m->sign_cert), &na1) < 0 ||
            ssgw_asn1_time_to_time_t(X509_get0_notAfter(m->ka_cert), &na2) < 0) {
            ssgw_errf(err, errlen, "bundle line %zu: member certificate fields unreadable", l.no);
            goto out;
        }
        m->not_before = nb1 > nb2 ? nb1 : nb2;
        m->not_after = na1 < na2 ? na1 : na2;
    }
    cap = 0;
    for (;;) {
        if (!keyword(&l, "revoked", &a, &an)) break;
        if (b->n_revoked == SSGW_BUNDLE_MAX_REVOKED) {
            ssgw_errf(err, errlen, "bundle line %zu: too many revocations", l.no);
            goto out;
        }
        if (b->n_revoked == cap) {
            cap = cap ? cap * 2 : 16;
            void *np = realloc(b->revoked, cap * sizeof *b->revoked);
            if (!np) {
                ssgw_errf(err, errlen, "out of memory");
                goto out;
            }
            b->revoked = np;
        }
        ssgw_bundle_revocation *rv = &b->revoked[b->n_revoked];
        const char *s1 = memchr(a, ' ', an);
        const char *s2 = s1 ? memchr(s1 + 1, ' ', an - (size_t)(s1 + 1 - a)) : NULL;
        size_t n0 = s1 ? (size_t)(s1 - a) : 0;
        char reason[32];
        size_t n1 = s2 ? (size_t)(s2 - s1 - 1) : 0;
        bool ok = s1 && s2 && n0 > 0 && n0 < SSGW_SERIAL_HEX_MAX && n1 > 0 && n1 < sizeof reason;
        for (size_t i = 0; ok && i < n0; i++)
            ok = (a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f');
        if (ok) {
            memcpy(rv->serial, a, n0);
            rv->serial[n0] = '\0';
            memcpy(reason, s1 + 1, n1);
            reason[n1] = '\0';
            ok = ssgw_revoke_reason_parse(reason, &rv->reason) == 0 &&
                 parse_time(s2 + 1, an - (size_t)(s2 + 1 - a), &rv->when) == 0;
        }
        if (!ok) {
            ssgw_errf(err, errlen,
                      "bundle body line %zu: expected 'revoked <serial> <reason> <time>'", l.no);
            goto out;
        }
        b->n_revoked++;
        for (size_t i = 0; i < b->n_members; i++) {
            ssgw_bundle_member *m = &b->members[i];
            if (!strcmp(m->sign_serial, rv->serial) || !strcmp(m->ka_serial, rv->serial)) {
                if (!m->revoked || rv->when < m->revoked_at) {
                    m->revoke_reason = rv->reason;
                    m->revoked_at = rv->when;
                }
                m->revoked = true;
            }
        }
        NEXT_OUT("'end'");
    }
    cap = 0;
    for (;;) {
        if (!keyword(&l, "gt", &a, &an)) break;
        if (b->n_dir == SSGW_BUNDLE_MAX_GT) {
            ssgw_errf(err, errlen, "bundle line %zu: too many directory entries", l.no);
            goto out;
        }
        if (b->n_dir == cap) {
            cap = cap ? cap * 2 : 64;
            void *np = realloc(b->dir, cap * sizeof *b->dir);
            if (!np) {
                ssgw_errf(err, errlen, "out of memory");
                goto out;
            }
            b->dir = np;
        }
        struct dir_entry *d = &b->dir[b->n_dir];
        const char *sp = memchr(a, ' ', an);
        char rtext[2 * SSGW_DIGITS_MAX + 2];
        size_t rn = sp ? (size_t)(sp - a) : 0;
        if (!sp || rn == 0 || rn >= sizeof rtext) {
            ssgw_errf(err, errlen, "bundle body line %zu: expected 'gt <range> <operator>'", l.no);
            goto out;
        }
        memcpy(rtext, a, rn);
        rtext[rn] = '\0';
        const char *name = sp + 1;
        size_t nn = an - rn - 1;
        if (ssgw_gt_range_parse(rtext, &d->range) < 0) {
            ssgw_errf(err, errlen, "bundle body line %zu: bad GT range '%s'", l.no, rtext);
            goto out;
        }
        /* the directory must agree with a certificate: same name, range certified, not revoked */
        size_t found = SIZE_MAX;
        for (size_t i = 0; i < b->n_members && found == SIZE_MAX; i++) {
            const ssgw_bundle_member *m = &b->members[i];
            if (m->revoked || strlen(m->identity.name) != nn || memcmp(m->identity.name, name, nn))
                continue;
            for (size_t g = 0; g < m->identity.n_gt; g++)
                if (!strcmp(m->identity.gt[g].from, d->range.from) &&
                    !strcmp(m->identity.gt[g].to, d->range.to))
                    found = i;
        }
        if (found == SIZE_MAX) {
            ssgw_errf(err, errlen,
                      "bundle line %zu: directory entry %s is not certified to that "
                      "operator",
                      l.no, rtext);
            goto out;
        }
        d->member = found;
        b->n_dir++;
        NEXT_OUT("'end'");
    }
    if (l.n != 3 || memcmp(l.p, "end", 3)) {
        ssgw_errf(err, errlen,
                  "bundle body line %zu: unexpected line (expected member, revoked, gt "
                  "or end, in that order)",
                  l.no);
        goto out;
    }
    if (c.pos != c.len) {
        ssgw_errf(err, errlen, "bundle body line %zu: data after 'end'", l.no + 1);
        goto out;
    }
    b->keys = calloc(2 * b->n_members + 1, sizeof *b->keys);
    if (!b->keys) {
        ssgw_errf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < b->n_members; i++) {
        memcpy(b->keys[b->n_keys].id, b->members[i].sign_key_id, SSGW_KEY_ID_LEN);
        b->keys[b->n_keys++].member = i;
        memcpy(b->keys[b->n_keys].id, b->members[i].ka_key_id, SSGW_KEY_ID_LEN);
        b->keys[b->n_keys++].member = i;
    }
    qsort(b->keys, b->n_keys, sizeof *b->keys, key_cmp);
    for (size_t i = 1; i < b->n_keys; i++)
        if (!key_cmp(&b->keys[i - 1], &b->keys[i])) {
            ssgw_errf(err, errlen, "bundle holds two certificates with the same key id");
            goto out;
        }
    if (!(b->gt_index =
              ssgw_gt_index_new(b->dir ? &b->dir[0].range : NULL, sizeof *b->dir, b->n_dir))) {
        ssgw_errf(err, errlen, "out of memory");
        goto out;
    }
    rc = 0;
out:
    sk_X509_free(untrusted);
    X509_STORE_free(store);
    return rc;
#undef NEXT
#undef NEXT_OUT
}

/*
 * The CMS signer must be the TSCA's issuing CA, in the profile `tsca init` gives it
 * (src/ca/ca.c): a CA certificate (basicConstraints CA:TRUE, pathLen 0) issued and signed by
 * the configured root itself, with keyUsage keyCertSign and digitalSignature. CMS_verify only
 * shows that the signer chains to the root, which every member's signing certificate does;
 * and the body's `issuing` line is written by whoever signed it, so it proves nothing.
 */
static int check_signer(X509 *signer, X509 *root, char *err, size_t errlen)
{
    char name[256] = "";
    X509_NAME_oneline(X509_get_subject_name(signer), name, sizeof name);
    const char *why = NULL;
    uint32_t xf = X509_get_extension_flags(signer);
    uint32_t ku = X509_get_key_usage(signer);
    EVP_PKEY *rk = X509_get0_pubkey(root);
    if (!(xf & EXFLAG_BCONS) || !(xf & EXFLAG_CA))
        why = "it is not a CA certificate (basicConstraints CA:TRUE)";
    else if (X509_cmp(signer, root) == 0)
        why = "it is the root itself (bundles are signed by the issuing CA)";
    else if (X509_check_issued(root, signer) != X509_V_OK || !rk || X509_verify(signer, rk) != 1)
        why = "it is not issued by the configured root";
    else if (X509_get_pathlen(signer) != 0)
        why = "its basicConstraints pathLen is not 0";
    else if (ku == UINT32_MAX || (ku & (KU_KEY_CERT_SIGN | KU_DIGITAL_SIGNATURE)) !=
                                     (KU_KEY_CERT_SIGN | KU_DIGITAL_SIGNATURE))
        why = "its keyUsage lacks keyCertSign or digitalSignature";
    ERR_clear_error();
    if (!why) return 0;
    return ssgw_errf(err, errlen,
                     "bundle signer '%s' is not the TSCA's issuing CA: %s; only the CA the "
                     "configured root issued may sign a trust bundle, never a member certificate",
                     name, why);
}

ssgw_bundle *ssgw_bundle_load(const char *path, const uint8_t *data, size_t len, X509 *trusted_root,
                              uint64_t min_sequence, time_t now, char *err, size_t errlen)
{
    uint8_t *owned = NULL;
    char why[256];
    ssgw_bundle *b = NULL;
    BIO *in = NULL, *out = NULL;
    CMS_ContentInfo *cms = NULL;
    X509_STORE *store = NULL;
    STACK_OF(X509) *signers = NULL;
    if (!trusted_root) {
        ssgw_errf(err, errlen, "no trusted root configured");
        return NULL;
    }
    if (path) {
        char *raw = NULL;
        if (ssgw_file_read(path, SSGW_BUNDLE_MAX_BYTES, &raw, &len, err, errlen) < 0) return NULL;
        owned = (uint8_t *)raw;
        data = owned;
    }
    if (!data || len == 0 || len > SSGW_BUNDLE_MAX_BYTES || len > INT_MAX) {
        ssgw_errf(err, errlen, "bundle is empty or larger than %u bytes", SSGW_BUNDLE_MAX_BYTES);
        goto done;
    }
    ERR_clear_error();
    in = BIO_new_mem_buf(data, (int)len);
    if (!in || !(cms = PEM_read_bio_CMS(in, NULL, NULL, NULL))) {
        ssgw_errf(err, errlen, "not a trust bundle: no PEM CMS structure (%s)",
                  ossl_reason(why, sizeof why));
        goto done;
    }
    if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
        ssgw_errf(err, errlen, "not a trust bundle: CMS content is not SignedData");
        goto done;
    }
    store = X509_STORE_new();
    out = BIO_new(BIO_s_mem());
    if (!store || !out || !X509_STORE_add_cert(store, trusted_root)) {
        ssgw_errf(err, errlen, "out of memory");
        goto done;
    }
    X509_VERIFY_PARAM *vp = X509_STORE_get0_param(store);
    X509_VERIFY_PARAM_set_time(vp, now);
    /* any purpose: this only proves a chain to the root; check_signer() below decides
     * whether the signer may sign bundles */
    X509_VERIFY_PARAM_set_purpose(vp, X509_PURPOSE_ANY);
    if (CMS_verify(cms, NULL, store, NULL, out, CMS_BINARY) != 1) {
        ssgw_errf(err, errlen, "bundle signature does not verify against the configured root: %s",
                  ossl_reason(why, sizeof why));
        goto done;
    }
    signers = CMS_get0_signers(cms);
    if (!signers || sk_X509_num(signers) != 1) {
        ssgw_errf(err, errlen, "bundle must have exactly one signer");
        goto done;
    }
    if (check_signer(sk_X509_value(signers, 0), trusted_root, err, errlen) < 0) goto done;
    char *body;
    long bl = BIO_get_mem_data(out, &body);
    if (bl <= 0 || (size_t)bl > SSGW_BUNDLE_MAX_BYTES) {
        ssgw_errf(err, errlen, "bundle body is empty or too large");
        goto done;
    }
    b = calloc(1, sizeof *b);
    if (!b) {
        ssgw_errf(err, errlen, "out of memory");
        goto done;
    }
    atomic_init(&b->refs, 1);
    if (parse_body(b, body, (size_t)bl, trusted_root, sk_X509_value(signers, 0), min_sequence, now,
                   err, errlen) < 0) {
        bundle_destroy(b);
        b = NULL;
    }
done:
    ERR_clear_error();
    sk_X509_free(signers);
    X509_STORE_free(store);
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    BIO_free(out);
    free(owned);
    return b;
}

uint64_t ssgw_bundle_sequence(const ssgw_bundle *b)
{
    return b->sequence;
}
time_t ssgw_bundle_issued_at(const ssgw_bundle *b)
{
    return b->issued_at;
}
time_t ssgw_bundle_not_after(const ssgw_bundle *b)
{
    return b->not_after;
}
X509 *ssgw_bundle_issuing_ca(const ssgw_bundle *b)
{
    return b->issuing;
}
size_t ssgw_bundle_count(const ssgw_bundle *b)
{
    return b->n_members;
}
size_t ssgw_bundle_revocation_count(const ssgw_bundle *b)
{
    return b->n_revoked;
}
size_t ssgw_bundle_directory_count(const ssgw_bundle *b)
{
    return b->n_dir;
}

const ssgw_bundle_member *ssgw_bundle_at(const ssgw_bundle *b, size_t i)
{
    return i < b->n_members ? &b->members[i] : NULL;
}

const ssgw_bundle_revocation *ssgw_bundle_revocation_at(const ssgw_bundle *b, size_t i)
{
    return i < b->n_revoked ? &b->revoked[i] : NULL;
}

const char *ssgw_bundle_directory_at(const ssgw_bundle *b, size_t i, ssgw_gt_range *range)
{
    if (i >= b->n_dir) return NULL;
    if (range) *range = b->dir[i].range;
    return b->members[b->dir[i].member].identity.name;
}

const ssgw_bundle_member *ssgw_bundle_find_key(const ssgw_bundle *b,
                                               const uint8_t key_id[SSGW_KEY_ID_LEN])
{
    struct key_index k;
    memcpy(k.id, key_id, SSGW_KEY_ID_LEN);
    const struct key_index *f = bsearch(&k, b->keys, b->n_keys, sizeof k, key_cmp);
    return f ? &b->members[f->member] : NULL;
}

const ssgw_bundle_member *ssgw_bundle_find_gt(const ssgw_bundle *b, const char *gt)
{
    /* the longest directory range holding gt, the first of them: what a scan of dir[] with
     * ssgw_gt_range_contains finds (tests/unit/test_gt_index.c compares the two) */
    size_t i = ssgw_gt_index_find(b->gt_index, gt);
    return i == SIZE_MAX ? NULL : &b->members[b->dir[i].member];
}

/* --- holder --- */

struct ssgw_bundle_holder {
    pthread_mutex_t lock;
    ssgw_bundle *cur;
};

ssgw_bundle_holder *ssgw_bundle_holder_new(void)
{
    ssgw_bundle_holder *h = calloc(1, sizeof *h);
    if (h && pthread_mutex_init(&h->lock, NULL) != 0) {
        free(h);
        return NULL;
    }
    return h;
}

void ssgw_bundle_holder_free(ssgw_bundle_holder *h)
{
    if (!h) return;
    ssgw_bundle_free(h->cur);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

const ssgw_bundle *ssgw_bundle_holder_acquire(ssgw_bundle_holder *h)
{
    pthread_mutex_lock(&h->lock);
    ssgw_bundle *b = h->cur;
    if (b) atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&h->lock);
    return b;
}

int ssgw_bundle_holder_swap(ssgw_bundle_holder *h, ssgw_bundle *b, char *err, size_t errlen)
{
    pthread_mutex_lock(&h->lock);
    ssgw_bundle *old = h->cur;
    if (old && b->sequence <= old->sequence) {
        uint64_t cur = old->sequence;
        pthread_mutex_unlock(&h->lock);
        return ssgw_errf(err, errlen,
                         "bundle sequence %" PRIu64 " is not newer than the current %" PRIu64,
                         b->sequence, cur);
    }
    h->cur = b;
    pthread_mutex_unlock(&h->lock);
    ssgw_bundle_free(old); /* freed when the last reader releases it */
    return 0;
}

uint64_t ssgw_bundle_holder_sequence(ssgw_bundle_holder *h)
{
    pthread_mutex_lock(&h->lock);
    uint64_t s = h->cur ? h->cur->sequence : 0;
    pthread_mutex_unlock(&h->lock);
    return s;
}
