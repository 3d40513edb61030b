/*
 * http_int.h - what the files of the HTTP layer share (include/ssgw/http.h):
 * the server (http.c) reads and checks its TLS material through tls.c before
 * libmicrohttpd sees it, and the client-certificate checks (certs.c) reach the
 * TLS session of a request's connection through http.c.
 */
#ifndef SSGW_HTTP_HTTP_INT_H
#define SSGW_HTTP_HTTP_INT_H

#include <stddef.h>

#include <gnutls/x509.h>

#include "ssgw/http.h"

/* The GnuTLS session of the request's connection, or NULL (plain HTTP). */
void *http_req_tls_session(const ssgw_http_req *r);

/*
 * Reads a whole PEM file of at most 1 MiB (malloc'ed, NUL-terminated; the caller frees).
 * what names the option in errors: "tls_cert '/x.pem': No such file or directory".
 * private_key: the file must also not be accessible by others nor writable by its group.
 */
char *http_pem_read(const char *what, const char *path, bool private_key, size_t *len, char *err,
                    size_t errlen);

/*
 * The certificates of a PEM text (*crts and each certificate: the caller frees with
 * http_crts_free). sorted: they must form a chain, each issued by the next. Returns the
 * count (at least 1), or -1 with err naming what and path.
 */
int http_pem_crts(const char *what, const char *path, const char *pem, size_t len, bool sorted,
                  gnutls_x509_crt_t **crts, char *err, size_t errlen);
void http_crts_free(gnutls_x509_crt_t *crts, int n);

/* A certificate's subject as text ("CN=gw,O=Example"), cut to cap. Returns out. */
const char *http_crt_subject(gnutls_x509_crt_t crt, char *out, size_t cap);
/* t as RFC 3339 UTC ("2026-12-06T05:59:48Z"). Returns out. */
const char *http_time_text(long long t, char *out, size_t cap);

/*
 * Checks the server's material (see ssgw_http_new): the chain in cert (read from
 * cert_path), the key in key (from key_path). Returns 0 with *not_after the earliest
 * notAfter of the chain, or -1 with err naming the file.
 */
int http_tls_check(const char *cert_path, const char *cert, size_t cert_len, const char *key_path,
                   const char *key, size_t key_len, long long *not_after, char *err, size_t errlen);

#endif
