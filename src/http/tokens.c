/*
 * tokens.c - bearer tokens for the HTTP surfaces (include/ssgw/http.h): a
 * "NAME TOKEN" file that must be private to its owner (as a key file), kept
 * in memory only as SHA-256 digests, and checked against an Authorization
 * header by comparing the digest with every entry in constant time.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ssgw/http.h"

#define TOKENS_MAX 256

typedef struct {
    char name[64];
    unsigned char digest[32];
} token;

struct ssgw_http_tokens {
    size_t n;
    token v[TOKENS_MAX];
};

static void digest(const char *s, size_t n, unsigned char out[32])
{
    unsigned len = 32;
    EVP_Digest(s, n, out, &len, EVP_sha256(), NULL);
}

static bool name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.') return false;
    return true;
}

static bool token_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 16 || n > 256) return false;
    for (; *s; s++)
        if (*s <= ' ' || *s > '~') return false;
    return true;
}

ssgw_http_tokens *ssgw_http_tokens_load(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
        return NULL;
    }
    if (st.st_mode & 077) {
        snprintf(err, errlen,
                 "%s: mode %04o: a token file must not be readable or writable by group or "
                 "others (chmod 600 %s)",
                 path, (unsigned)(st.st_mode & 07777), path);
        close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, "r");
    ssgw_http_tokens *t = calloc(1, sizeof *t);
    if (!f || !t) {
        snprintf(err, errlen, "%s: out of memory", path);
        if (f)
            fclose(f);
        else
            close(fd);
        free(t);
        return NULL;
    }
    char line[512];
    int ln = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\r' || !*p) continue;
        char name[128], tok[300], extra[8];
        int k = sscanf(p, "%127s %299s %7s", name, tok, extra);
        const char *why = k != 2               ? "expected \"NAME TOKEN\""
                          : !name_ok(name)     ? "NAME: 1-63 letters, digits, '-', '_', '.'"
                          : !token_ok(tok)     ? "TOKEN: 16-256 printable characters, no spaces"
                          : t->n == TOKENS_MAX ? "too many tokens (at most 256)"
                                               : NULL;
        for (size_t i = 0; !why && i < t->n; i++)
            if (!strcmp(t->v[i].name, name)) why = "NAME used twice";
        if (why) {
            snprintf(err, errlen, "%s:%d: %s", path, ln, why);
            fclose(f);
            OPENSSL_cleanse(tok, sizeof tok);
            free(t);
            return NULL;
        }
        snprintf(t->v[t->n].name, sizeof t->v[t->n].name, "%s", name);
        digest(tok, strlen(tok), t->v[t->n].digest);
        t->n++;
        OPENSSL_cleanse(tok, sizeof tok);
    }
    OPENSSL_cleanse(line, sizeof line);
    fclose(f);
    if (!t->n) {
        snprintf(err, errlen, "%s: no tokens (one \"NAME TOKEN\" per line)", path);
        free(t);
        return NULL;
    }
    return t;
}

void ssgw_http_tokens_free(ssgw_http_tokens *t)
{
    if (t) OPENSSL_cleanse(t, sizeof *t);
    free(t);
}

size_t ssgw_http_tokens_count(const ssgw_http_tokens *t)
{
    return t ? t->n : 0;
}

const char *ssgw_http_tokens_check(const ssgw_http_tokens *t, const char *authorization)
{
    if (!t || !authorization || strncasecmp(authorization, "Bearer ", 7)) return NULL;
    const char *tok = authorization + 7;
    while (*tok == ' ')
        tok++;
    size_t n = strlen(tok);
    while (n && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
        n--;
    if (!n) return NULL;
    unsigned char d[32];
    digest(tok, n, d);
    const char *who = NULL;
    for (size_t i = 0; i < t->n; i++) /* every entry, no early exit */
        if (CRYPTO_memcmp(d, t->v[i].digest, sizeof d) == 0) who = t->v[i].name;
    return who;
}
