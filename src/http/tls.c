/*
 * tls.c - the TLS material of the embedded HTTP server (include/ssgw/http.h),
 * read and checked with GnuTLS (the library libmicrohttpd itself uses) before
 * the server starts, so that a mistake stops start-up with a sentence naming
 * the file rather than giving a server whose every handshake fails: the chain
 * parses and is in order, no certificate of it is outside its validity dates,
 * the key parses, is not encrypted and belongs to the first certificate, and
 * the key file is private.
 *
 * Why a group may read the key (0640) while others may not: Debian keeps
 * private keys in /etc/ssl/private, mode 0710 root:ssl-cert, each key 0640
 * root:ssl-cert, and a daemon's user joins the group; that is the one
 * arrangement in which a key is shared on purpose. Access for others, or a
 * group that could replace the key, is refused (as OpenSSH and PostgreSQL
 * refuse such keys) rather than warned about: a warning in a log nobody reads
 * leaves the key exposed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "http/http_int.h"

#define PEM_MAX (1u << 20)

char *http_pem_read(const char *what, const char *path, bool private_key, size_t *len, char *err,
                    size_t errlen)
{
    /* O_NONBLOCK: a FIFO put in a key's place must not hang start-up (refused below) */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(err, errlen, "%s '%s': %s", what, path, strerror(errno));
        if (fd >= 0) close(fd);
        return NULL;
    }
    const char *why = !S_ISREG(st.st_mode)   ? "not a regular file"
                      : st.st_size > PEM_MAX ? "larger than 1 MiB"
                      : st.st_size == 0      ? "empty"
                                             : NULL;
    if (why) {
        snprintf(err, errlen, "%s '%s': %s", what, path, why);
        close(fd);
        return NULL;
    }
    if (private_key && st.st_mode & 0037) {
        snprintf(err, errlen,
                 "%s '%s': mode %04o: a private key must not be accessible by others nor "
                 "writable by its group (chmod 600 %s, or 640 with a group such as ssl-cert)",
                 what, path, (unsigned)(st.st_mode & 07777), path);
        close(fd);
        return NULL;
    }
    char *d = malloc((size_t)st.st_size + 1);
    size_t n = 0;
    while (d && n < (size_t)st.st_size) {
        ssize_t r = read(fd, d + n, (size_t)st.st_size - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (!d || n != (size_t)st.st_size) {
        snprintf(err, errlen, "%s '%s': %s", what, path, d ? "short read" : "out of memory");
        free(d);
        return NULL;
    }
    d[n] = '\0';
    *len = n;
    return d;
}

void http_crts_free(gnutls_x509_crt_t *crts, int n)
{
    for (int i = 0; i < n; i++)
        gnutls_x509_crt_deinit(crts[i]);
    gnutls_free(crts);
}

int http_pem_crts(const char *what, const char *path, const char *pem, size_t len, bool sorted,
                  gnutls_x509_crt_t **crts, char *err, size_t errlen)
{
    gnutls_datum_t d = {(unsigned char *)(uintptr_t)pem, (unsigned)len};
    unsigned n = 0;
    *crts = NULL;
    int rc = gnutls_x509_crt_list_import2(crts, &n, &d, GNUTLS_X509_FMT_PEM,
                                          sorted ? GNUTLS_X509_CRT_LIST_FAIL_IF_UNSORTED : 0);
    if (rc == GNUTLS_E_CERTIFICATE_LIST_UNSORTED) {
        snprintf(err, errlen,
                 "%s '%s': the certificates are not in chain order (the server's own first, "
                 "then the CA that issued it, and so on)",
                 what, path);
        return -1;
    }
    if (rc < 0 || n == 0) {
        snprintf(err, errlen, "%s '%s': %s", what, path,
                 rc == GNUTLS_E_BASE64_DECODING_ERROR || rc == GNUTLS_E_NO_CERTIFICATE_FOUND ||
                         n == 0
                     ? "no PEM certificate in the file (expected \"-----BEGIN CERTIFICATE-----\")"
                     : gnutls_strerror(rc));
        if (rc >= 0) http_crts_free(*crts, (int)n);
        *crts = NULL;
        return -1;
    }
    return (int)n;
}

const char *http_crt_subject(gnutls_x509_crt_t crt, char *out, size_t cap)
{
    gnutls_datum_t dn = {NULL, 0};
    out[0] = '\0';
    if (gnutls_x509_crt_get_dn3(crt, &dn, 0) == 0 && dn.data)
        snprintf(out, cap, "%.*s", (int)dn.size, (const char *)dn.data);
    gnutls_free(dn.data);
    return out;
}

const char *http_time_text(long long t, char *out, size_t cap)
{
    time_t s = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&s, &tm) || !strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, cap, "%lld", t);
    return out;
}

/* The key of key_pem, or -1 with err (an encrypted key is named as such). */
static int import_key(const char *key_path, const char *key_pem, size_t key_len,
                      gnutls_x509_privkey_t *key, char *err, size_t errlen)
{
    gnutls_datum_t d = {(unsigned char *)(uintptr_t)key_pem, (unsigned)key_len};
    if (gnutls_x509_privkey_init(key) < 0) return snprintf(err, errlen, "out of memory"), -1;
    int rc = gnutls_x509_privkey_import2(*key, &d, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN);
    if (rc == 0) return 0;
    gnutls_x509_privkey_deinit(*key);
    *key = NULL;
    if (strstr(key_pem, "ENCRYPTED"))
        snprintf(err, errlen,
                 "tls_key '%s': the key is encrypted: the server starts unattended and cannot "
                 "ask for a passphrase (openssl pkey -in KEY -out PLAIN, mode 600)",
                 key_path);
    else
        snprintf(err, errlen, "tls_key '%s': not a PEM private key (%s)", key_path,
                 gnutls_strerror(rc));
    return -1;
}

int http_tls_check(const char *cert_path, const char *cert, size_t cert_len, const char *key_path,
                   const char *key_pem, size_t key_len, long long *not_after, char *err,
                   size_t errlen)
{
    gnutls_x509_crt_t *crts;
    int n = http_pem_crts("tls_cert", cert_path, cert, cert_len, true, &crts, err, errlen);
    if (n < 0) return -1;
    long long now = (long long)time(NULL), earliest = 0;
    char subj[256], when[40];
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        long long from = (long long)gnutls_x509_crt_get_activation_time(crts[i]),
                  until = (long long)gnutls_x509_crt_get_expiration_time(crts[i]);
        if (now > until || now < from) {
            snprintf(err, errlen, "tls_cert '%s': the certificate '%s' %s %s", cert_path,
                     http_crt_subject(crts[i], subj, sizeof subj),
                     now > until ? "expired on" : "is not valid before",
                     http_time_text(now > until ? until : from, when, sizeof when));
            rc = -1;
        }
        if (!earliest || until < earliest) earliest = until;
    }
    gnutls_x509_privkey_t key = NULL;
    if (rc == 0) rc = import_key(key_path, key_pem, key_len, &key, err, errlen);
    if (rc == 0) {
        unsigned char a[64], b[64];
        size_t al = sizeof a, bl = sizeof b;
        if (gnutls_x509_crt_get_key_id(crts[0], GNUTLS_KEYID_USE_SHA256, a, &al) < 0 ||
            gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA256, b, &bl) < 0 || al != bl ||
            memcmp(a, b, al)) {
            snprintf(err, errlen,
                     "tls_key '%s' is not the private key of the certificate '%s' (the first "
                     "one of tls_cert '%s')",
                     key_path, http_crt_subject(crts[0], subj, sizeof subj), cert_path);
            rc = -1;
        }
    }
    if (key) gnutls_x509_privkey_deinit(key);
    http_crts_free(crts, n);
    *not_after = earliest;
    return rc;
}
