/*
 * http.h - the one embedded HTTP server of every HTTP surface of the project:
 * `tsca serve` (the trust bundle) and the gateway's metrics, management API,
 * dashboard and risk API (include/ssgw/gw_http.h). It is a thin layer over
 * libmicrohttpd (Debian libmicrohttpd-dev), which does the protocol: HTTP/1.1,
 * many concurrent connections handled without blocking each other, TLS
 * (GnuTLS) when a certificate is given.
 *
 * What this layer adds: the listening socket on a numeric address (port 0 =
 * a free port, read back with ssgw_http_port), the limits every surface shares
 * (connections in total and per client address, an idle timeout, a cap on the
 * size of a request's headers and body: 413 / 431 past it), one handler per
 * server that sees whole requests (the body already read), responses written
 * in one call, streamed responses (Server-Sent Events) that wait without a
 * thread, TLS material checked before the server starts, bearer tokens read
 * from a 0600 file, client certificates judged against CAs, CRLs and an
 * allow-list of names (mutual TLS), and a Prometheus text writer
 * (include/ssgw/prom.h).
 *
 * Two ways to run: on a thread of its own (`own_thread`: `tsca serve`), or
 * driven by the caller's event loop (the gateway: ssgw_http_poll_fd() becomes
 * readable when there is work, then call ssgw_http_run(); call it at least
 * every ssgw_http_timeout_ms() too), so that handlers run on the loop's thread
 * and read its state without locks.
 */
#ifndef SSGW_HTTP_H
#define SSGW_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char host[64];        /* numeric IPv4 or IPv6 address */
    uint16_t port;        /* 0: a free port (ssgw_http_port tells which) */
    const char *tls_cert; /* PEM certificate chain file; NULL (and tls_key NULL): plain HTTP */
    const char *tls_key;  /* PEM private key file (0600, 0400, 0640 or 0440: see below) */
    /* With TLS: PEM files of the CAs whose client certificates the server asks for
     * (NULL-terminated list; NULL: none asked). A client may send none: the handshake never
     * fails for it; ssgw_http_certs_check judges the certificate per request. */
    const char *const *client_ca;
    unsigned max_connections; /* at once, in total (0 = 64) */
    unsigned max_per_ip;      /* at once, per client address (0 = 16) */
    unsigned timeout_s;       /* a connection idle this long is closed (0 = 10) */
    size_t max_request;       /* bytes of a request line + headers, and of a body (0 = 16 KiB) */
    bool own_thread;          /* true: a thread of its own; false: the caller drives it */
} ssgw_http_config;

typedef struct ssgw_http ssgw_http;
/* One request: valid only during the handler call. */
typedef struct ssgw_http_req ssgw_http_req;

/*
 * Called once per request, with the whole body read. It must answer with one
 * of the ssgw_http_respond* calls (a request it leaves unanswered gets 500).
 */
typedef void (*ssgw_http_handler)(void *ctx, ssgw_http_req *req);

/*
 * Listens on cfg->host:cfg->port and starts serving. Returns NULL with err
 * naming the address or the file and the cause ("listen 127.0.0.1:9100: Address
 * already in use", "tls_cert '/x.pem': No such file or directory").
 *
 * TLS (TLS 1.2 and 1.3 only, RFC 8996) is checked before the server starts,
 * each error naming the file: the chain parses and is in order (the server's
 * certificate first), none of its certificates is expired or not yet valid,
 * the key parses, is not encrypted and is the first certificate's, and the key
 * file is private: no access for others and no write for its group (0600,
 * 0400, 0640, 0440 pass; 0640 lets a group such as Debian's ssl-cert read it,
 * as /etc/ssl/private does). A client_ca file must hold a certificate.
 */
ssgw_http *ssgw_http_new(const ssgw_http_config *cfg, ssgw_http_handler fn, void *ctx, char *err,
                         size_t errlen);
/* Ends every stream, closes every connection and the listening socket. NULL is accepted. */
void ssgw_http_free(ssgw_http *h);
/* The bound port. */
uint16_t ssgw_http_port(const ssgw_http *h);
bool ssgw_http_tls(const ssgw_http *h);
/* With TLS: the earliest notAfter of the certificates of tls_cert (seconds since 1970), when
 * clients will stop accepting the server; 0 without TLS. */
long long ssgw_http_tls_not_after(const ssgw_http *h);

/* Caller-driven servers: a descriptor that becomes readable when there is work, the work,
 * and the longest the caller may wait before calling ssgw_http_run anyway (-1: no limit). */
int ssgw_http_poll_fd(const ssgw_http *h);
void ssgw_http_run(ssgw_http *h);
long ssgw_http_timeout_ms(ssgw_http *h);

/* ---- the request ------------------------------------------------------------------ */

const char *ssgw_http_method(const ssgw_http_req *r); /* "GET", "POST", ... */
const char *ssgw_http_path(const ssgw_http_req *r);   /* without the query string */
/* A request header (case-insensitive name) or a query argument; NULL when absent. */
const char *ssgw_http_header(const ssgw_http_req *r, const char *name);
const char *ssgw_http_query(const ssgw_http_req *r, const char *name);
/* The body (NUL-terminated; "" when none). */
const char *ssgw_http_body(const ssgw_http_req *r, size_t *len);
/* The client's address as text ("127.0.0.1", "::1"). */
const char *ssgw_http_client(const ssgw_http_req *r);

/* ---- answers ---------------------------------------------------------------------- */

/*
 * Sends status with body (copied) of content_type. extra: more header lines
 * "Name: value\r\n..." or NULL. Returns 0, or -1 (the connection is closed).
 */
int ssgw_http_respond(ssgw_http_req *r, unsigned status, const char *content_type, const void *body,
                      size_t len, const char *extra);
/* A short text/plain answer "STATUS REASON\n" (plus detail when given). */
int ssgw_http_respond_text(ssgw_http_req *r, unsigned status, const char *detail,
                           const char *extra);

/*
 * A streamed answer (Server-Sent Events): fn is asked for more bytes whenever the
 * connection can take them; it returns how many it wrote into buf (at most cap),
 * 0 when it has nothing now (the connection then waits, without a thread, until
 * ssgw_http_wake), or -1 to end the stream. done(ctx) is called once when the
 * connection ends, whoever ended it. Returns 0, or -1 (done was called).
 */
typedef long (*ssgw_http_stream_fn)(void *ctx, char *buf, size_t cap);
int ssgw_http_respond_stream(ssgw_http_req *r, unsigned status, const char *content_type,
                             ssgw_http_stream_fn fn, void (*done)(void *ctx), void *ctx);
/* Lets every waiting stream ask fn again (call when there is news, and now and then so that
 * clients that went away are noticed). */
void ssgw_http_wake(ssgw_http *h);
/* Streams open now. */
unsigned ssgw_http_streams(const ssgw_http *h);

/* The reason phrase of a status code ("Not Found"). */
const char *ssgw_http_reason(unsigned status);

/* ---- bearer tokens ---------------------------------------------------------------- */

/*
 * A token file: one client per line, "NAME TOKEN" (NAME: 1-63 letters, digits,
 * '-', '_', '.'; TOKEN: 16-256 printable characters without spaces), '#'
 * comments and blank lines ignored. The file must not be readable or writable
 * by group or others (0600 or 0400): refused otherwise, as a key file would be.
 */
typedef struct ssgw_http_tokens ssgw_http_tokens;
/* NULL with err ("FILE:LINE: ..." or "FILE: mode 0644: must not be readable by group or
 * others (chmod 600 FILE)"). */
ssgw_http_tokens *ssgw_http_tokens_load(const char *path, char *err, size_t errlen);
void ssgw_http_tokens_free(ssgw_http_tokens *t);
size_t ssgw_http_tokens_count(const ssgw_http_tokens *t);
/*
 * The client named by an "Authorization: Bearer TOKEN" header value, or NULL (no
 * header, another scheme, an unknown token). Every token is compared in constant time.
 */
const char *ssgw_http_tokens_check(const ssgw_http_tokens *t, const char *authorization);

/* ---- client certificates (mutual TLS) ----------------------------------------------- */

/*
 * Who may authenticate with a client certificate: the CAs that issue them
 * (a PEM file), optionally their revocation lists (a PEM file of CRLs, each
 * signed by one of those CAs), and an allow-list of names. A certificate is
 * accepted when its chain verifies to one of the CAs (signatures, validity
 * dates, revocation, and an extended key usage that permits TLS client
 * authentication when it has one) and one of its names is in the list: the
 * subject's common name (CN) or a subjectAltName of type DNS, e-mail or URI,
 * compared exactly (names with a NUL byte never match). The TLS handshake has
 * already proved that the client holds the certificate's private key.
 */
typedef struct ssgw_http_certs ssgw_http_certs;

typedef enum {
    SSGW_HTTP_CERT_NONE,        /* no certificate (or not TLS) */
    SSGW_HTTP_CERT_ACCEPTED,    /* verified, and a name is in the list */
    SSGW_HTTP_CERT_UNTRUSTED,   /* not issued by one of the CAs, or a bad signature */
    SSGW_HTTP_CERT_EXPIRED,     /* outside its validity dates (or its issuer's) */
    SSGW_HTTP_CERT_REVOKED,     /* listed in a CRL */
    SSGW_HTTP_CERT_PURPOSE,     /* its extended key usage excludes TLS client authentication */
    SSGW_HTTP_CERT_NOT_ALLOWED, /* verified, but none of its names is in the list */
    SSGW_HTTP_CERT_RESULT_COUNT
} ssgw_http_cert_result;

/* "none", "accepted", "untrusted", "expired", "revoked", "wrong_purpose", "not_allowed". */
const char *ssgw_http_cert_result_name(ssgw_http_cert_result r);

typedef struct {
    const char *ca;      /* PEM file of the CAs (at least one certificate) */
    const char *crl;     /* PEM file of CRLs, each signed by one of those CAs; NULL: none */
    const char *ca_what; /* how errors name them: "client_ca", "client_crl" */
    const char *crl_what;
    const char *const *names; /* the allow-list (copied), each 1-255 characters */
    size_t n_names;
} ssgw_http_certs_config;

/*
 * Reads the files. NULL with err naming the file: "client_ca '/x.pem': no PEM certificate
 * in the file ...", "client_crl '/y.pem': the CRL of 'CN=Other CA' is not signed by a CA
 * of client_ca", "client_crl '/y.pem': the CRL of 'CN=Ops CA' was due for renewal on ...".
 */
ssgw_http_certs *ssgw_http_certs_load(const ssgw_http_certs_config *cfg, char *err, size_t errlen);
void ssgw_http_certs_free(ssgw_http_certs *c);
size_t ssgw_http_certs_names(const ssgw_http_certs *c);
/*
 * The earliest nextUpdate of the CRLs (seconds since 1970; 0: no CRL). Loading refuses a
 * CRL past it; one that passes it while loaded still counts (its revocations stay true)
 * until a newer one is loaded: watch this date.
 */
long long ssgw_http_certs_crl_next_update(const ssgw_http_certs *c);
/*
 * Judges the client certificate of the request's connection. On ACCEPTED *who is the
 * name of the list that matched (valid while c lives). subject (may be NULL) gets the
 * certificate's subject ("CN=ops-1,O=Example") whenever one was presented.
 */
ssgw_http_cert_result ssgw_http_certs_check(const ssgw_http_certs *c, const ssgw_http_req *r,
                                            const char **who, char *subject, size_t cap);

#endif
