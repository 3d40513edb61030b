/* file.c - bounded whole-file reads, atomic writes and error-buffer formatting
 * (include/ssgw/file.h). */
#include "ssgw/file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

int ssgw_errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int ssgw_file_read(const char *path, size_t max, char **data, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) return ssgw_errf(err, errlen, "%s: %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    char *p = malloc(cap + 1);
    for (;;) {
        if (!p) break;
        if (n == cap) {
            if (cap >= max) {
                free(p);
                fclose(f);
                return ssgw_errf(err, errlen, "%s: larger than %zu bytes", path, max);
            }
            char *np = realloc(p, cap * 2 + 1);
            if (!np) {
                free(p);
                p = NULL;
                break;
            }
            p = np;
            cap *= 2;
        }
        size_t got = fread(p + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!p || bad) {
        free(p);
        return ssgw_errf(err, errlen, "%s: read error", path);
    }
    if (n > max) {
        free(p);
        return ssgw_errf(err, errlen, "%s: larger than %zu bytes", path, max);
    }
    p[n] = '\0';
    *data = p;
    *len = n;
    return 0;
}

int ssgw_file_write_atomic(const char *path, const void *data, size_t len, unsigned mode, char *err,
                           size_t errlen)
{
    char tmp[1200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode);
    if (fd < 0) return ssgw_errf(err, errlen, "%s: %s", tmp, strerror(errno));
    int e = ssgw_write_all(fd, data, len);
    if (e) {
        close(fd);
        unlink(tmp);
        return ssgw_errf(err, errlen, "%s: write failed: %s", tmp, strerror(e));
    }
    if (fchmod(fd, (mode_t)mode) < 0 || fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
        unlink(tmp);
        return ssgw_errf(err, errlen, "%s: %s", path, strerror(errno));
    }
    return 0;
}

int ssgw_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return errno;
        if (w == 0) return EIO;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}
