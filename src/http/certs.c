/*
 * certs.c - client certificates (mutual TLS) for the HTTP surfaces
 * (include/ssgw/http.h): a set of CAs, their CRLs and an allow-list of names,
 * against which the certificate chain a client sent in its TLS handshake is
 * judged per request with GnuTLS's trust list (signatures up to a CA of the
 * set, validity dates, revocation, the TLS-client key purpose).
 *
 * The server only asks for a certificate (libmicrohttpd's
 * MHD_OPTION_HTTPS_MEM_TRUST makes the handshake send a CertificateRequest
 * naming the CAs) and never fails a handshake for it: what a certificate is
 * worth depends on the surface, so the caller decides here, and a client
 * without one can still use a bearer token or get a 401 that says why.
 * Proof that the client holds the certificate's key is the handshake's
 * (CertificateVerify), done by GnuTLS before any request is read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "http/http_int.h"

#define CHAIN_MAX 16 /* certificates of a client's chain looked at */
#define IDS_MAX   32 /* names of one certificate compared */
#define NAME_MAX_ 255

struct ssgw_http_certs {
    gnutls_x509_trust_list_t tl;
    size_t n;
    char **names;
    long long crl_next; /* the earliest nextUpdate of the CRLs (0: none) */
};

static const char *const result_names[SSGW_HTTP_CERT_RESULT_COUNT] = {
    "none", "accepted", "untrusted", "expired", "revoked", "wrong_purpose", "not_allowed"};

const char *ssgw_http_cert_result_name(ssgw_http_cert_result r)
{
    return (unsigned)r < SSGW_HTTP_CERT_RESULT_COUNT ? result_names[r] : "unknown";
}

void ssgw_http_certs_free(ssgw_http_certs *c)
{
    if (!c) return;
    if (c->tl) gnutls_x509_trust_list_deinit(c->tl, 1);
    for (size_t i = 0; i < c->n; i++)
        free(c->names[i]);
    free(c->names);
    free(c);
}

size_t ssgw_http_certs_names(const ssgw_http_certs *c)
{
    return c ? c->n : 0;
}

long long ssgw_http_certs_crl_next_update(const ssgw_http_certs *c)
{
    return c ? c->crl_next : 0;
}

/* The CRLs of the file, each checked against the CAs (and for being current), handed to
 * the trust list. 0, or -1 with err. */
static int add_crls(ssgw_http_certs *c, const ssgw_http_certs_config *cfg, gnutls_x509_crt_t *cas,
                    int ncas, char *err, size_t errlen)
{
    size_t len;
    char *pem = http_pem_read(cfg->crl_what, cfg->crl, false, &len, err, errlen);
    if (!pem) return -1;
    gnutls_datum_t d = {(unsigned char *)pem, (unsigned)len};
    gnutls_x509_crl_t *crls = NULL;
    unsigned n = 0;
    int rc = gnutls_x509_crl_list_import2(&crls, &n, &d, GNUTLS_X509_FMT_PEM, 0);
    free(pem);
    if (rc < 0 || n == 0) {
        snprintf(err, errlen,
                 "%s '%s': no PEM CRL in the file (expected \"-----BEGIN X509 CRL-----\")",
                 cfg->crl_what, cfg->crl);
        if (rc >= 0) gnutls_free(crls);
        return -1;
    }
    long long now = (long long)time(NULL);
    char issuer[256], when[40];
    rc = 0;
    for (unsigned i = 0; i < n && rc == 0; i++) {
        unsigned verify = 0;
        gnutls_datum_t dn = {NULL, 0};
        issuer[0] = '\0';
        if (gnutls_x509_crl_get_issuer_dn3(crls[i], &dn, 0) == 0 && dn.data)
            snprintf(issuer, sizeof issuer, "%.*s", (int)dn.size, (const char *)dn.data);
        gnutls_free(dn.data);
        long long next = (long long)gnutls_x509_crl_get_next_update(crls[i]);
        if (next > 0 && (!c->crl_next || next < c->crl_next)) c->crl_next = next;
        if (next > 0 && next < now) {
            snprintf(err, errlen,
                     "%s '%s': the CRL of '%s' was due to be replaced on %s (its nextUpdate): "
                     "an old list could miss a revocation",
                     cfg->crl_what, cfg->crl, issuer, http_time_text(next, when, sizeof when));
            rc = -1;
        } else if (gnutls_x509_crl_verify(crls[i], cas, (unsigned)ncas, 0, &verify) < 0 ||
                   verify & ~(unsigned)GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE) {
            snprintf(err, errlen, "%s '%s': the CRL of '%s' is not signed by a CA of %s '%s'",
                     cfg->crl_what, cfg->crl, issuer, cfg->ca_what, cfg->ca);
            rc = -1;
        }
    }
    if (rc == 0 && gnutls_x509_trust_list_add_crls(c->tl, crls, n, 0, 0) < 0) {
        snprintf(err, errlen, "%s '%s': the CRLs could not be added", cfg->crl_what, cfg->crl);
        rc = -1;
    }
    if (rc < 0) /* else the trust list owns them */
        for (unsigned i = 0; i < n; i++)
            gnutls_x509_crl_deinit(crls[i]);
    gnutls_free(crls);
    return rc;
}

ssgw_http_certs *ssgw_http_certs_load(const ssgw_http_certs_config *cfg, char *err, size_t errlen)
{
    ssgw_http_certs *c = calloc(1, sizeof *c);
    if (!c || !(c->names = calloc(cfg->n_names ? cfg->n_names : 1, sizeof *c->names)) ||
        gnutls_x509_trust_list_init(&c->tl, 0) < 0) {
        snprintf(err, errlen, "out of memory");
        ssgw_http_certs_free(c);
        return NULL;
    }
    for (size_t i = 0; i < cfg->n_names; i++) {
        size_t l = strlen(cfg->names[i]);
        if (l == 0 || l > NAME_MAX_) {
            snprintf(err, errlen, "a certificate name is 1-%d characters", NAME_MAX_);
            ssgw_http_certs_free(c);
            return NULL;
        }
        if (!(c->names[c->n] = strdup(cfg->names[i]))) {
            snprintf(err, errlen, "out of memory");
            ssgw_http_certs_free(c);
            return NULL;
        }
        c->n++;
    }
    size_t len;
    char *pem = http_pem_read(cfg->ca_what, cfg->ca, false, &len, err, errlen);
    gnutls_x509_crt_t *cas = NULL;
    int ncas = pem ? http_pem_crts(cfg->ca_what, cfg->ca, pem, len, false, &cas, err, errlen) : -1;
    free(pem);
    if (ncas < 0) {
        ssgw_http_certs_free(c);
        return NULL;
    }
    /* the trust list owns the certificates from here (freed with it); cas stays readable
     * until then, to check the CRLs' signatures */
    int rc = 0;
    if (gnutls_x509_trust_list_add_cas(c->tl, cas, (unsigned)ncas, 0) != ncas) {
        snprintf(err, errlen, "%s '%s': the CAs could not be added", cfg->ca_what, cfg->ca);
        rc = -1;
    }
    if (rc == 0 && cfg->crl) rc = add_crls(c, cfg, cas, ncas, err, errlen);
    if (rc < 0) {
        gnutls_free(cas);
        ssgw_http_certs_free(c);
        return NULL;
    }
    gnutls_free(cas);
    return c;
}

/* The names of crt a list entry is compared with: CNs, then DNS, e-mail and URI subjectAltNames.
 * Returns the count. */
static int identities(gnutls_x509_crt_t crt, char ids[IDS_MAX][NAME_MAX_ + 1])
{
    int n = 0;
    for (unsigned i = 0; n < IDS_MAX; i++) {
        size_t sz = NAME_MAX_ + 1;
        int rc = gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, i, 0, ids[n], &sz);
        if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) break;
        if (rc == 0 && strlen(ids[n]) == sz) n++; /* too long or with a NUL: never matches */
        if (rc < 0 && rc != GNUTLS_E_SHORT_MEMORY_BUFFER) break;
    }
    for (unsigned i = 0; n < IDS_MAX; i++) {
        size_t sz = NAME_MAX_;
        int type = gnutls_x509_crt_get_subject_alt_name(crt, i, ids[n], &sz, NULL);
        if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) break;
        if (type == GNUTLS_E_SHORT_MEMORY_BUFFER) continue;
        if (type < 0) break;
        if (type != GNUTLS_SAN_DNSNAME && type != GNUTLS_SAN_RFC822NAME && type != GNUTLS_SAN_URI)
            continue;
        ids[n][sz] = '\0';
        if (strlen(ids[n]) == sz) n++;
    }
    return n;
}

static ssgw_http_cert_result verify(const ssgw_http_certs *c, gnutls_x509_crt_t *chain, unsigned n)
{
    gnutls_typed_vdata_st purpose = {GNUTLS_DT_KEY_PURPOSE_OID,
                                     (unsigned char *)(uintptr_t)GNUTLS_KP_TLS_WWW_CLIENT, 0};
    unsigned status = 0;
    if (gnutls_x509_trust_list_verify_crt2(c->tl, chain, n, &purpose, 1, 0, &status, NULL) < 0)
        return SSGW_HTTP_CERT_UNTRUSTED;
    if (!status) return SSGW_HTTP_CERT_ACCEPTED;
    if (status & GNUTLS_CERT_REVOKED) return SSGW_HTTP_CERT_REVOKED;
    if (status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED)) return SSGW_HTTP_CERT_EXPIRED;
    if (status & GNUTLS_CERT_PURPOSE_MISMATCH) return SSGW_HTTP_CERT_PURPOSE;
    return SSGW_HTTP_CERT_UNTRUSTED;
}

ssgw_http_cert_result ssgw_http_certs_check(const ssgw_http_certs *c, const ssgw_http_req *r,
                                            const char **who, char *subject, size_t cap)
{
    *who = NULL;
    if (subject && cap) subject[0] = '\0';
    gnutls_session_t s = http_req_tls_session(r);
    unsigned n = 0;
    const gnutls_datum_t *peers = s && gnutls_certificate_type_get(s) == GNUTLS_CRT_X509
                                      ? gnutls_certificate_get_peers(s, &n)
                                      : NULL;
    if (!peers || !n) return SSGW_HTTP_CERT_NONE;
    if (n > CHAIN_MAX) n = CHAIN_MAX;
    gnutls_x509_crt_t chain[CHAIN_MAX];
    unsigned got = 0;
    for (; got < n; got++)
        if (gnutls_x509_crt_init(&chain[got]) < 0)
            break;
        else if (gnutls_x509_crt_import(chain[got], &peers[got], GNUTLS_X509_FMT_DER) < 0) {
            gnutls_x509_crt_deinit(chain[got]);
            break;
        }
    ssgw_http_cert_result res = SSGW_HTTP_CERT_UNTRUSTED;
    if (got == n && c) {
        if (subject && cap) http_crt_subject(chain[0], subject, cap);
        res = verify(c, chain, n);
    }
    if (res == SSGW_HTTP_CERT_ACCEPTED) {
        char ids[IDS_MAX][NAME_MAX_ + 1];
        int k = identities(chain[0], ids);
        res = SSGW_HTTP_CERT_NOT_ALLOWED;
        for (size_t i = 0; i < c->n && !*who; i++)
            for (int j = 0; j < k && !*who; j++)
                if (!strcmp(c->names[i], ids[j])) *who = c->names[i];
        if (*who) res = SSGW_HTTP_CERT_ACCEPTED;
    }
    for (unsigned i = 0; i < got; i++)
        gnutls_x509_crt_deinit(chain[i]);
    return res;
}
