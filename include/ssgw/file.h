/*
 * file.h - small helpers every front end needs: read a whole file with a cap,
 * write one atomically, write a buffer whole, and print an error message into a
 * caller's buffer.
 */
#ifndef SSGW_FILE_H
#define SSGW_FILE_H

#include <stddef.h>

/* snprintf into err (when err and errlen are non-zero); returns -1 so callers can `return
 * ssgw_errf(...)`. */
int ssgw_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Reads a whole file of at most max bytes into a malloc'ed, NUL-terminated
 * buffer (*data, freed by the caller). Returns 0, or -1 with err naming the
 * file and the reason (cannot open, larger than max, read error).
 */
int ssgw_file_read(const char *path, size_t max, char **data, size_t *len, char *err,
                   size_t errlen);

/*
 * Writes data to path through a temporary file in the same directory, fsync and
 * rename(2), with the given mode: readers see the old or the new file, never a part.
 * Returns 0, or -1 with err naming the file.
 */
int ssgw_file_write_atomic(const char *path, const void *data, size_t len, unsigned mode, char *err,
                           size_t errlen);

/*
 * Writes all len bytes of data to fd, retrying short writes and EINTR. Returns 0, or the
 * errno of the write that failed (EIO for a write that wrote nothing).
 */
int ssgw_write_all(int fd, const void *data, size_t len);

#endif
