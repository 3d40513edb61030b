/*
 * audit.c - the TSCA's append-only, hash-chained audit log (docs/tsca.md
 * "Audit log").
 *
 * DIR/audit.log holds one JSON object per line:
 *   {"n":N,"time":"YYYY-MM-DDTHH:MM:SSZ","event":"EVENT","prev":"<hex>",...}
 * where prev is the SHA-256 of line N-1 (its bytes without the LF) and, for
 * line 1, the genesis hash SHA-256("OpenSSGW TSCA audit log v1"). N counts
 * from 1. DIR/audit.head holds "N <sha256 of line N>" for the last line, so
 * that cutting lines off the end is detected too. Verification names the
 * first line where the chain breaks.
 */
#include "ssgw/ca.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "ca/ca_int.h"

static void sha256_hex(const void *p, size_t n, char out[65])
{
    uint8_t h[32];
    unsigned l;
    EVP_Digest(p, n, h, &l, EVP_sha256(), NULL);
    ssgw_hex(h, 32, out, 65);
}

const char *ssgw_audit_genesis(void)
{
    static char g[65];
    static const char seed[] = "OpenSSGW TSCA audit log v1";
    if (!g[0]) sha256_hex(seed, sizeof seed - 1, g);
    return g;
}

void ssgw_ca_fmt_time(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void ssgw_json_escape(const char *s, char *out, size_t outlen)
{
    size_t o = 0;
    if (outlen < 3) {
        if (outlen) out[0] = '\0';
        return;
    }
    out[o++] = '"';
    for (; *s && o + 8 < outlen; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20) {
            o += (size_t)snprintf(out + o, outlen - o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
}

struct lines {
    char *data;
    size_t len;
    size_t n;        /* complete lines */
    size_t last_off; /* offset of the last line */
    size_t last_len;
    bool partial; /* data after the last LF */
};

static int scan(const char *path, struct lines *L, char *err, size_t errlen)
{
    memset(L, 0, sizeof *L);
    if (access(path, F_OK) != 0) return 0;
    if (ssgw_file_read(path, 256u << 20, &L->data, &L->len, err, errlen) < 0) return -1;
    size_t start = 0;
    for (size_t i = 0; i < L->len; i++)
        if (L->data[i] == '\n') {
            L->n++;
            L->last_off = start;
            L->last_len = i - start;
            start = i + 1;
        }
    L->partial = start != L->len;
    return 0;
}

int ssgw_audit_append(const char *dir, const char *event, const char *fields_json, char *err,
                      size_t errlen)
{
    char path[1100], head[1100];
    snprintf(path, sizeof path, "%s/audit.log", dir);
    snprintf(head, sizeof head, "%s/audit.head", dir);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return ssgw_ca_fail(err, errlen, "%s: %s", path, strerror(errno));
    if (flock(fd, LOCK_EX) < 0) {
        close(fd);
        return ssgw_ca_fail(err, errlen, "%s: lock: %s", path, strerror(errno));
    }
    struct lines L;
    if (scan(path, &L, err, errlen) < 0) {
        close(fd);
        return -1;
    }
    if (L.partial) {
        free(L.data);
        close(fd);
        return ssgw_ca_fail(err, errlen, "%s: last line is incomplete; run `tsca audit verify`",
                            path);
    }
    char prev[65], t[32];
    if (L.n == 0)
        snprintf(prev, sizeof prev, "%s", ssgw_audit_genesis());
    else
        sha256_hex(L.data + L.last_off, L.last_len, prev);
    free(L.data);
    ssgw_ca_fmt_time(time(NULL), t);
    size_t fl = fields_json ? strlen(fields_json) : 0;
    size_t cap = 200 + strlen(event) + fl;
    char *line = malloc(cap);
    if (!line) {
        close(fd);
        return ssgw_ca_fail(err, errlen, "out of memory");
    }
    int n = snprintf(line, cap, "{\"n\":%zu,\"time\":\"%s\",\"event\":\"%s\",\"prev\":\"%s\"%s}\n",
                     L.n + 1, t, event, prev, fields_json ? fields_json : "");
    int rc = 0;
    if (write(fd, line, (size_t)n) != n || fsync(fd) < 0)
        rc = ssgw_ca_fail(err, errlen, "%s: write failed: %s", path, strerror(errno));
    if (rc == 0) {
        char h[65], hl[128];
        sha256_hex(line, (size_t)n - 1, h);
        int m = snprintf(hl, sizeof hl, "%zu %s\n", L.n + 1, h);
        rc = ssgw_file_write_atomic(head, hl, (size_t)m, 0600, err, errlen);
    }
    free(line);
    close(fd);
    return rc;
}

long ssgw_audit_verify(const char *dir, size_t *bad_line, char *err, size_t errlen)
{
    char path[1100], head[1100];
    snprintf(path, sizeof path, "%s/audit.log", dir);
    snprintf(head, sizeof head, "%s/audit.head", dir);
    *bad_line = 0;
    struct lines L;
    if (access(path, F_OK) != 0) return ssgw_ca_fail(err, errlen, "%s: missing", path);
    if (scan(path, &L, err, errlen) < 0) return -1;
    char expect[65], h[65];
    snprintf(expect, sizeof expect, "%s", ssgw_audit_genesis());
    size_t no = 0, start = 0;
    long rc = 0;
    for (size_t i = 0; i < L.len && rc == 0; i++) {
        if (L.data[i] != '\n') continue;
        no++;
        const char *line = L.data + start;
        size_t ll = i - start;
        size_t n = 0;
        char tm[32], ev[40], prev[80];
        int used = 0;
        char tmp[256];
        size_t cl = ll < sizeof tmp - 1 ? ll : sizeof tmp - 1;
        memcpy(tmp, line, cl);
        tmp[cl] = '\0';
        if (sscanf(tmp,
                   "{\"n\":%zu,\"time\":\"%31[^\"]\",\"event\":\"%39[a-z-]\",\"prev\":\"%79[0-9a-f]"
                   "\"%n",
                   &n, tm, ev, prev, &used) != 4 ||
            used == 0 || line[ll - 1] != '}') {
            *bad_line = no;
            rc = ssgw_ca_fail(err, errlen, "%s line %zu: not an audit entry (edited?)", path, no);
            break;
        }
        if (n != no) {
            *bad_line = no;
            rc = ssgw_ca_fail(err, errlen,
                              "%s line %zu: entry number %zu where %zu was expected: a line was "
                              "deleted, inserted or reordered here",
                              path, no, n, no);
            break;
        }
        if (strcmp(prev, expect)) {
            *bad_line = no > 1 ? no - 1 : 1;
            if (no == 1)
                rc = ssgw_ca_fail(err, errlen,
                                  "%s line 1: prev is not the genesis hash (line 1 was modified)",
                                  path);
            else
                rc = ssgw_ca_fail(err, errlen,
                                  "%s line %zu: hash chain broken: the hash recorded in line %zu "
                                  "does not match line %zu (line %zu was modified)",
                                  path, no - 1, no, no - 1, no - 1);
            break;
        }
        sha256_hex(line, ll, h);
        memcpy(expect, h, sizeof expect);
        start = i + 1;
    }
    if (rc == 0 && L.partial) {
        *bad_line = no + 1;
        rc = ssgw_ca_fail(err, errlen, "%s line %zu: incomplete line at the end", path, no + 1);
    }
    if (rc == 0) {
        char *hd;
        size_t hlen;
        size_t hn = 0;
        char hh[80] = "";
        if (ssgw_file_read(head, 4096, &hd, &hlen, err, errlen) < 0) {
            rc = -1;
        } else {
            if (sscanf(hd, "%zu %79s", &hn, hh) != 2) hn = SIZE_MAX;
            free(hd);
            if (hn != no) {
                *bad_line = no + 1 < hn ? no + 1 : no;
                rc = ssgw_ca_fail(err, errlen,
                                  "%s: audit.head records %zu entries but the log has %zu "
                                  "(lines were deleted from or added to the end)",
                                  path, hn, no);
            } else if (no > 0 && strcmp(hh, expect)) {
                *bad_line = no;
                rc = ssgw_ca_fail(err, errlen,
                                  "%s line %zu: the last line does not match audit.head (line "
                                  "%zu was modified)",
                                  path, no, no);
            }
        }
    }
    free(L.data);
    return rc < 0 ? -1 : (long)no;
}
