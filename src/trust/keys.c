/*
 * keys.c - private key and certificate files (include/ssgw/keys.h), for the
 * gateway, the offline tools and the TSCA alike. Keys are PKCS#8 PEM (RFC 5958,
 * RFC 7468), written with O_CREAT|O_EXCL and mode 0600, checked with fstat() on
 * the open descriptor before a byte is read, and the raw bytes are wiped with
 * OPENSSL_cleanse().
 */
#include "ssgw/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "ssgw/file.h"

const char *ssgw_ossl_reason(char *buf, size_t n)
{
    unsigned long e = ERR_get_error();
    if (e)
        ERR_error_string_n(e, buf, n);
    else
        snprintf(buf, n, "no OpenSSL detail");
    ERR_clear_error();
    return buf;
}

EVP_PKEY *ssgw_key_generate(const char *alg, char *err, size_t errlen)
{
    EVP_PKEY *k = NULL;
    if (!strcmp(alg, "p256"))
        k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    else if (!strcmp(alg, "ed25519"))
        k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    else if (!strcmp(alg, "x25519"))
        k = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
    else {
        ssgw_errf(err, errlen, "unknown key algorithm '%s' (expected p256, ed25519, x25519)", alg);
        return NULL;
    }
    if (!k) {
        char why[200];
        ssgw_errf(err, errlen, "key generation failed: %s", ssgw_ossl_reason(why, sizeof why));
    }
    return k;
}

int ssgw_key_write(const char *path, EVP_PKEY *key, char *err, size_t errlen)
{
    BIO *mem = BIO_new(BIO_s_secmem());
    if (!mem || !PEM_write_bio_PrivateKey(mem, key, NULL, NULL, 0, NULL, NULL)) {
        BIO_free(mem);
        return ssgw_errf(err, errlen, "%s: cannot encode the private key", path);
    }
    char *p;
    long n = BIO_get_mem_data(mem, &p);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        BIO_free(mem);
        return ssgw_errf(err, errlen, "%s: %s%s", path, strerror(errno),
                         errno == EEXIST ? " (refusing to overwrite a key file)" : "");
    }
    int rc = 0;
    if (fchmod(fd, 0600) < 0 || write(fd, p, (size_t)n) != n || fsync(fd) < 0)
        rc = ssgw_errf(err, errlen, "%s: write failed: %s", path, strerror(errno));
    close(fd);
    BIO_free(mem); /* secure heap BIO: cleared on free */
    if (rc < 0) unlink(path);
    return rc;
}

EVP_PKEY *ssgw_key_load(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        ssgw_errf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        ssgw_errf(err, errlen, "%s: not a regular file", path);
        return NULL;
    }
    if (st.st_mode & 077) {
        close(fd);
        ssgw_errf(err, errlen,
                  "%s: mode %04o lets group/others access the private key; refusing to use "
                  "it (run: chmod 600 %s)",
                  path, (unsigned)(st.st_mode & 07777), path);
        return NULL;
    }
    if (st.st_size <= 0 || st.st_size > 65536) {
        close(fd);
        ssgw_errf(err, errlen, "%s: not a private key file (size %lld)", path,
                  (long long)st.st_size);
        return NULL;
    }
    size_t n = (size_t)st.st_size;
    unsigned char *buf = OPENSSL_secure_malloc(n);
    ssize_t got = buf ? read(fd, buf, n) : -1;
    close(fd);
    EVP_PKEY *k = NULL;
    if (got == (ssize_t)n) {
        BIO *b = BIO_new_mem_buf(buf, (int)n);
        k = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
        BIO_free(b);
    }
    if (buf) {
        OPENSSL_cleanse(buf, n);
        OPENSSL_secure_free(buf);
    }
    ERR_clear_error();
    if (!k) ssgw_errf(err, errlen, "%s: not a PEM private key", path);
    return k;
}

X509 *ssgw_cert_load_pem(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        ssgw_errf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    ERR_clear_error();
    if (!x) ssgw_errf(err, errlen, "%s: no PEM certificate", path);
    return x;
}
