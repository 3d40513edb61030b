/*
 * request.c - the enrolment request (docs/tsca.md "Request file"): claim
 * parsing, request creation on the operator side and loading/checking on the
 * TSCA side.
 *
 * A request is a small text file: "key: value" header lines restating the
 * claims for a person to read, then a PKCS#10 CSR (RFC 2986) signed by the
 * operator's new signing key, then the key-agreement public key (PEM
 * SubjectPublicKeyInfo). The CSR's extensionRequest attribute carries the
 * signalling-identity extension (the authoritative claims) and the
 * kaKeyBinding extension (SHA-256 of the key-agreement key's SPKI), so the
 * signing key vouches for both; the header must agree with the CSR.
 */
#include "ssgw/ca.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "ca/ca_int.h"

#define REQ_FORMAT "ssgw-tsca-request 1"

/* "4477,447700000000-447799999999" (NULL or "": none) into rs[0..max), *n of them; kind names
 * the claim list in errors. */
static int parse_ranges(const char *list, const char *kind, ssgw_gt_range *rs, size_t max,
                        size_t *n, char *err, size_t errlen)
{
    char tmp[4096];
    if (!list || !*list) return 0;
    snprintf(tmp, sizeof tmp, "%s", list);
    char *save = NULL;
    for (char *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (*n == max) return ssgw_ca_fail(err, errlen, "%s: more than %zu ranges", kind, max);
        if (ssgw_gt_range_parse(t, &rs[*n]) < 0)
            return ssgw_ca_fail(err, errlen,
                                "%s '%s': expected a digit prefix or FROM-TO with both ends of "
                                "equal length and FROM <= TO",
                                kind, t);
        (*n)++;
    }
    return 0;
}

int ssgw_identity_parse_lists(ssgw_identity *id, const char *mccmnc, const char *gt, const char *pc,
                              char *err, size_t errlen)
{
    char tmp[4096];
    id->n_mccmnc = id->n_gt = id->n_pc = 0;
    if (mccmnc && *mccmnc) {
        snprintf(tmp, sizeof tmp, "%s", mccmnc);
        char *save = NULL;
        for (char *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            size_t l = strlen(t);
            bool ok = (l == 5 || l == 6) && strspn(t, "0123456789") == l;
            if (!ok)
                return ssgw_ca_fail(err, errlen, "mccmnc '%s': expected 5 or 6 digits (MCC + MNC)",
                                    t);
            if (id->n_mccmnc == SSGW_ID_MAX_MCCMNC)
                return ssgw_ca_fail(err, errlen, "mccmnc: more than %d codes", SSGW_ID_MAX_MCCMNC);
            memcpy(id->mccmnc[id->n_mccmnc++], t, l + 1);
        }
    }
    if (parse_ranges(gt, "gt", id->gt, SSGW_ID_MAX_RANGES, &id->n_gt, err, errlen) < 0) return -1;
    if (pc && *pc) {
        snprintf(tmp, sizeof tmp, "%s", pc);
        char *save = NULL;
        for (char *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            char *end;
            errno = 0;
            long v = strtol(t, &end, 10);
            if (*end || end == t || v < 0 || v > 16383 || errno)
                return ssgw_ca_fail(err, errlen, "pc '%s': expected 0..16383 (ITU 14-bit)", t);
            if (id->n_pc == SSGW_ID_MAX_PC)
                return ssgw_ca_fail(err, errlen, "pc: more than %d point codes", SSGW_ID_MAX_PC);
            id->pc[id->n_pc++] = (uint16_t)v;
        }
    }
    return 0;
}

int ssgw_identity_parse_tn(ssgw_identity *id, const char *tn, char *err, size_t errlen)
{
    id->n_tn = 0;
    return parse_ranges(tn, "tn", id->tn, SSGW_ID_MAX_TN, &id->n_tn, err, errlen);
}

/* "4477,447700000000-447799999999" of n ranges into out. */
static void ranges_text(const ssgw_gt_range *rs, size_t nr, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < nr; i++) {
        char r[96];
        ssgw_gt_range_format(&rs[i], r, sizeof r);
        snprintf(out + strlen(out), n - strlen(out), "%s%s", i ? "," : "", r);
    }
}

static void list_text(const ssgw_identity *id, char *mcc, char *gt, char *pc, size_t n)
{
    mcc[0] = gt[0] = pc[0] = '\0';
    for (size_t i = 0; i < id->n_mccmnc; i++)
        snprintf(mcc + strlen(mcc), n - strlen(mcc), "%s%s", i ? "," : "", id->mccmnc[i]);
    ranges_text(id->gt, id->n_gt, gt, n);
    for (size_t i = 0; i < id->n_pc; i++)
        snprintf(pc + strlen(pc), n - strlen(pc), "%s%u", i ? "," : "", (unsigned)id->pc[i]);
}

static X509_EXTENSION *binding_ext(EVP_PKEY *ka)
{
    uint8_t h[32];
    if (ssgw_pkey_spki_sha256(ka, h) < 0) return NULL;
    ASN1_OCTET_STRING *inner = ASN1_OCTET_STRING_new();
    unsigned char *der = NULL;
    int n;
    X509_EXTENSION *ext = NULL;
    if (inner && ASN1_OCTET_STRING_set(inner, h, 32) &&
        (n = i2d_ASN1_OCTET_STRING(inner, &der)) > 0) {
        ASN1_OCTET_STRING *outer = ASN1_OCTET_STRING_new();
        if (outer && ASN1_OCTET_STRING_set(outer, der, n))
            ext = X509_EXTENSION_create_by_OBJ(NULL, ssgw_cert_ka_binding_oid(), 0, outer);
        ASN1_OCTET_STRING_free(outer);
    }
    OPENSSL_free(der);
    ASN1_OCTET_STRING_free(inner);
    return ext;
}

static const EVP_MD *md_for(EVP_PKEY *k)
{
    return EVP_PKEY_get_base_id(k) == EVP_PKEY_ED25519 ? NULL : EVP_sha256();
}

int ssgw_ca_request_create(const ssgw_identity *claims, const char *contact, const char *sign_alg,
                           const char *ka_alg, const char *key_path, const char *ka_key_path,
                           const char *req_path, char *err, size_t errlen)
{
    char why[200];
    if (!strcmp(sign_alg, "x25519"))
        return ssgw_ca_fail(err, errlen, "--sign-alg x25519: X25519 cannot sign");
    if (!strcmp(ka_alg, "ed25519"))
        return ssgw_ca_fail(err, errlen, "--ka-alg ed25519: Ed25519 cannot agree keys");
    if (strchr(contact, '\n')) return ssgw_ca_fail(err, errlen, "contact: must be one line");
    uint8_t der[SSGW_IDENTITY_DER_MAX];
    ssgw_buf b;
    ssgw_buf_init(&b, der, sizeof der);
    if (ssgw_cert_identity_encode(claims, &b) < 0)
        return ssgw_ca_fail(err, errlen,
                            "claims: invalid identity (name 1..127 bytes of UTF-8 without "
                            "control characters, country two letters A-Z)");
    EVP_PKEY *sk = ssgw_key_generate(sign_alg, err, errlen);
    if (!sk) return -1;
    EVP_PKEY *kk = ssgw_key_generate(ka_alg, err, errlen);
    int rc = -1;
    X509_REQ *req = X509_REQ_new();
    STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
    X509_NAME *nm = X509_NAME_new();
    BIO *mem = BIO_new(BIO_s_mem());
    if (!kk || !req || !exts || !nm || !mem) goto done;
    X509_NAME_add_entry_by_txt(nm, "C", MBSTRING_ASC, (const unsigned char *)claims->country, -1,
                               -1, 0);
    X509_NAME_add_entry_by_txt(nm, "O", MBSTRING_UTF8, (const unsigned char *)claims->name, -1, -1,
                               0);
    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_UTF8, (const unsigned char *)claims->name, -1, -1,
                               0);
    X509_EXTENSION *e1 = ssgw_cert_identity_ext(claims), *e2 = binding_ext(kk);
    if (e1) sk_X509_EXTENSION_push(exts, e1);
    if (e2) sk_X509_EXTENSION_push(exts, e2);
    if (!e1 || !e2 || !X509_REQ_set_version(req, 0) || !X509_REQ_set_subject_name(req, nm) ||
        !X509_REQ_set_pubkey(req, sk) || !X509_REQ_add_extensions(req, exts) ||
        !X509_REQ_sign(req, sk, md_for(sk))) {
        ssgw_ca_fail(err, errlen, "building the CSR failed: %s", ssgw_ossl_reason(why, sizeof why));
        goto done;
    }
    char mcc[4096], gt[4096], pc[4096];
    list_text(claims, mcc, gt, pc, sizeof mcc);
    BIO_printf(mem,
               "# OpenSSGW TSCA enrolment request (docs/tsca.md). The CSR below carries the same\n"
               "# claims in its signalling-identity extension, signed by the signing key.\n"
               "format: %s\nname: %s\ncountry: %s\nmccmnc: %s\ngt: %s\npc: %s\ncontact: %s\n"
               "sign-alg: %s\nka-alg: %s\n",
               REQ_FORMAT, claims->name, claims->country, mcc, gt, pc, contact, sign_alg, ka_alg);
    if (claims->n_tn) { /* telephone numbers, only when claimed (older readers ignore it) */
        char tn[4096];
        ranges_text(claims->tn, claims->n_tn, tn, sizeof tn);
        BIO_printf(mem, "tn: %s\n", tn);
    }
    if (!PEM_write_bio_X509_REQ(mem, req) || !PEM_write_bio_PUBKEY(mem, kk)) goto done;
    /* keys first: a request whose keys could not be stored is useless */
    if (ssgw_key_write(key_path, sk, err, errlen) < 0) goto done;
    if (ssgw_key_write(ka_key_path, kk, err, errlen) < 0) {
        remove(key_path);
        goto done;
    }
    char *p;
    long n = BIO_get_mem_data(mem, &p);
    if (ssgw_file_write_atomic(req_path, p, (size_t)n, 0644, err, errlen) < 0) {
        remove(key_path);
        remove(ka_key_path);
        goto done;
    }
    rc = 0;
done:
    if (rc < 0 && err && !err[0]) ssgw_ca_fail(err, errlen, "cannot create the request");
    BIO_free(mem);
    X509_NAME_free(nm);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    X509_REQ_free(req);
    EVP_PKEY_free(sk);
    EVP_PKEY_free(kk);
    ERR_clear_error();
    return rc;
}

void ssgw_ca_request_free(ssgw_ca_request *r)
{
    free(r->raw);
    X509_REQ_free(r->csr);
    EVP_PKEY_free(r->ka_pub);
    memset(r, 0, sizeof *r);
}

static const char *header(const char *raw, const char *key, char *out, size_t outlen)
{
    size_t kl = strlen(key);
    out[0] = '\0';
    for (const char *p = raw; p && *p && strncmp(p, "-----BEGIN", 10);) {
        const char *nl = strchr(p, '\n');
        size_t ll = nl ? (size_t)(nl - p) : strlen(p);
        if (ll > kl + 1 && !strncmp(p, key, kl) && p[kl] == ':') {
            const char *v = p + kl + 1;
            while (*v == ' ')
                v++;
            size_t vl = ll - (size_t)(v - p);
            if (vl >= outlen) vl = outlen - 1;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return out;
        }
        p = nl ? nl + 1 : NULL;
    }
    return NULL;
}

int ssgw_ca_request_load(const char *path, ssgw_ca_request *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (ssgw_file_read(path, 1u << 20, &r->raw, &r->raw_len, err, errlen) < 0) return -1;
    uint8_t h[32];
    unsigned hl;
    EVP_Digest(r->raw, r->raw_len, h, &hl, EVP_sha256(), NULL);
    ssgw_hex(h, 8, r->id, sizeof r->id);
    char v[4096], mcc[1024], gt[4096], pc[256];
    if (!header(r->raw, "format", v, sizeof v) || strcmp(v, REQ_FORMAT)) {
        ssgw_ca_fail(err, errlen, "%s: not an enrolment request (expected 'format: %s')", path,
                     REQ_FORMAT);
        goto bad;
    }
    const char *begin = strstr(r->raw, "-----BEGIN CERTIFICATE REQUEST-----");
    BIO *b = begin ? BIO_new_mem_buf(begin, (int)(r->raw_len - (size_t)(begin - r->raw))) : NULL;
    if (b) {
        r->csr = PEM_read_bio_X509_REQ(b, NULL, NULL, NULL);
        r->ka_pub = r->csr ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
    }
    BIO_free(b);
    ERR_clear_error();
    if (!r->csr || !r->ka_pub) {
        ssgw_ca_fail(err, errlen, "%s: %s missing or unreadable", path,
                     r->csr ? "key-agreement PUBLIC KEY" : "CERTIFICATE REQUEST");
        goto bad;
    }
    EVP_PKEY *sk = X509_REQ_get0_pubkey(r->csr);
    if (!sk || X509_REQ_verify(r->csr, sk) != 1) {
        ERR_clear_error();
        ssgw_ca_fail(err, errlen, "%s: the CSR signature does not verify", path);
        goto bad;
    }
    STACK_OF(X509_EXTENSION) *exts = X509_REQ_get_extensions(r->csr);
    int ii = exts ? X509v3_get_ext_by_OBJ(exts, ssgw_cert_identity_oid(), -1) : -1;
    int bi = exts ? X509v3_get_ext_by_OBJ(exts, ssgw_cert_ka_binding_oid(), -1) : -1;
    int rc = 0;
    if (ii < 0 || bi < 0) {
        rc = ssgw_ca_fail(err, errlen, "%s: the CSR lacks the %s extension", path,
                          ii < 0 ? "signalling-identity" : "kaKeyBinding");
    } else {
        ASN1_OCTET_STRING *os = X509_EXTENSION_get_data(sk_X509_EXTENSION_value(exts, ii));
        ssgw_error e;
        if (ssgw_cert_identity_decode(ASN1_STRING_get0_data(os), (size_t)ASN1_STRING_length(os),
                                      &r->claims, &e) < 0) {
            char m[160];
            ssgw_error_format(&e, m, sizeof m);
            rc = ssgw_ca_fail(err, errlen, "%s: CSR identity extension: %s", path, m);
        }
        os = X509_EXTENSION_get_data(sk_X509_EXTENSION_value(exts, bi));
        uint8_t want[32];
        const uint8_t *d = ASN1_STRING_get0_data(os);
        if (rc == 0 &&
            (ssgw_pkey_spki_sha256(r->ka_pub, want) < 0 || ASN1_STRING_length(os) != 34 ||
             d[0] != 0x04 || d[1] != 32 || memcmp(d + 2, want, 32)))
            rc = ssgw_ca_fail(err, errlen,
                              "%s: the key-agreement key does not match the CSR's kaKeyBinding",
                              path);
    }
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    if (rc < 0) goto bad;
    /* the header restates the claims; it must say exactly what the CSR says */
    ssgw_identity hdr;
    memset(&hdr, 0, sizeof hdr);
    char ct[8];
    header(r->raw, "name", hdr.name, sizeof hdr.name);
    header(r->raw, "country", ct, sizeof ct);
    if (strlen(ct) == 2) memcpy(hdr.country, ct, 3);
    header(r->raw, "mccmnc", mcc, sizeof mcc);
    header(r->raw, "gt", gt, sizeof gt);
    header(r->raw, "pc", pc, sizeof pc);
    char e2[256];
    header(r->raw, "tn", v, sizeof v);
    if (ssgw_identity_parse_lists(&hdr, mcc, gt, pc, e2, sizeof e2) < 0 ||
        ssgw_identity_parse_tn(&hdr, v, e2, sizeof e2) < 0 ||
        !ssgw_identity_equal(&hdr, &r->claims)) {
        ssgw_ca_fail(err, errlen,
                     "%s: the header claims differ from the claims signed in the CSR (edited "
                     "after signing?)",
                     path);
        goto bad;
    }
    header(r->raw, "contact", r->contact, sizeof r->contact);
    return 0;
bad:
    ssgw_ca_request_free(r);
    return -1;
}
