/*
 * log.c - the logging module (include/ssgw/log.h): one configuration per
 * process behind a read-write lock, four destinations.
 *
 * stderr: every line of a message gets the header "TIME IDENT[@INSTANCE]
 * LEVEL: " and the whole message is written with one write(2), so lines of
 * threads logging at once do not interleave (up to PIPE_BUF on a pipe).
 * syslog: RFC 5424 (6. Syslog Message Format), one datagram per line:
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
 * with PRI = facility daemon (3) * 8 + severity, APP-NAME = IDENT[@INSTANCE],
 * MSGID "-", and the registered SD-ID "origin" (RFC 5424 7.2) naming the
 * software and its version. journald: sd_journal_send (libsystemd), when the
 * build found it (HAVE_LIBSYSTEMD).
 */
#include "ssgw/log.h"

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ssgw/file.h"
#include "ssgw/timefmt.h"

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-journal.h>
#endif

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define LINE_CAP       8192

typedef enum { TO_STDERR, TO_JOURNALD, TO_SYSLOG } log_dest;

typedef struct {
    log_dest dest;
    ssgw_log_level level;
    int fd; /* syslog: the connected datagram socket */
    char ident[49], instance[64], app[114], host[256], version[32];
} log_state;

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static log_state cur = {TO_STDERR, SSGW_LOG_INFO, -1, "ssgw", "", "ssgw", "-", ""};
static int cur_level = SSGW_LOG_INFO; /* read without the lock: the filter of every call */

static const char *const level_names[8] = {"emerg",   "alert",  "crit", "err",
                                           "warning", "notice", "info", "debug"};

const char *ssgw_log_level_name(ssgw_log_level l)
{
    return (unsigned)l < 8 ? level_names[l] : "?";
}

int ssgw_log_level_parse(const char *s, ssgw_log_level *out)
{
    for (int l = SSGW_LOG_ERR; l <= SSGW_LOG_DEBUG; l++)
        if (!strcmp(s, level_names[l])) {
            *out = (ssgw_log_level)l;
            return 0;
        }
    return -1;
}

/* Splits "syslog:HOST:PORT" (HOST may be "[v6]"); returns 0 with host and port. */
static int split_host_port(const char *s, char *host, size_t hcap, char *port, size_t pcap)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || !colon[1] || strlen(colon + 1) >= pcap) return -1;
    const char *h = s, *he = colon;
    if (*h == '[') {
        if (he[-1] != ']') return -1;
        h++;
        he--;
    }
    if (he <= h || (size_t)(he - h) >= hcap) return -1;
    memcpy(host, h, (size_t)(he - h));
    host[he - h] = '\0';
    snprintf(port, pcap, "%s", colon + 1);
    for (const char *p = port; *p; p++)
        if (*p < '0' || *p > '9') return -1;
    long n = atol(port);
    return n >= 1 && n <= 65535 ? 0 : -1;
}

int ssgw_log_target_check(const char *t, char *why, size_t cap)
{
    char host[256], port[8];
    if (!t || !*t || !strcmp(t, "auto") || !strcmp(t, "stderr") || !strcmp(t, "journald") ||
        !strcmp(t, "syslog"))
        return 0;
    if (!strncmp(t, "syslog:", 7)) {
        const char *a = t + 7;
        if (a[0] == '/' && strlen(a) < sizeof((struct sockaddr_un *)0)->sun_path) return 0;
        if (a[0] != '/' && split_host_port(a, host, sizeof host, port, sizeof port) == 0) return 0;
    }
    snprintf(why, cap,
             "expected auto, stderr, journald, syslog, syslog:/PATH (a unix datagram socket) or "
             "syslog:HOST:PORT (UDP)");
    return -1;
}

/* Opens the syslog socket of target ("syslog", "syslog:PATH", "syslog:HOST:PORT"). */
static int open_syslog(const char *target, char *err, size_t errlen)
{
    const char *a = target[6] == ':' ? target + 7 : "/dev/log";
    if (a[0] == '/') {
        struct sockaddr_un sun = {.sun_family = AF_UNIX};
        snprintf(sun.sun_path, sizeof sun.sun_path, "%s", a);
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
            snprintf(err, errlen, "log %s: %s: %s", target, a, strerror(errno));
            if (fd >= 0) close(fd);
            return -1;
        }
        return fd;
    }
    char host[256], port[8];
    split_host_port(a, host, sizeof host, port, sizeof port);
    struct addrinfo hints = {.ai_socktype = SOCK_DGRAM, .ai_flags = AI_NUMERICSERV}, *ai;
    int rc = getaddrinfo(host, port, &hints, &ai);
    if (rc) {
        snprintf(err, errlen, "log %s: %s: %s", target, host, gai_strerror(rc));
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        snprintf(err, errlen, "log %s: %s", target, strerror(errno));
        if (fd >= 0) close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

/* True when systemd connected stderr to the journal (JOURNAL_STREAM = "DEV:INODE"). */
static bool stderr_is_journal(void)
{
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;
    if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
        return false;
    return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

int ssgw_log_configure(const ssgw_log_config *cfg, char *err, size_t errlen)
{
    const char *t = cfg->target && *cfg->target ? cfg->target : "auto";
    if (ssgw_log_target_check(t, err, errlen) < 0) return -1;
    log_state n = cur;
    n.fd = -1;
    n.level = cfg->level;
    if (cfg->ident) snprintf(n.ident, sizeof n.ident, "%s", cfg->ident);
    snprintf(n.instance, sizeof n.instance, "%s", cfg->instance ? cfg->instance : "");
    snprintf(n.version, sizeof n.version, "%s", cfg->version ? cfg->version : "");
    if (n.instance[0])
        snprintf(n.app, sizeof n.app, "%.48s@%.63s", n.ident, n.instance);
    else
        snprintf(n.app, sizeof n.app, "%s", n.ident);
    /* RFC 5424: APP-NAME is at most 48 printable US-ASCII characters */
    n.app[48] = '\0';
    for (char *p = n.app; *p; p++)
        if (*p <= ' ' || *p > '~') *p = '_';
    if (gethostname(n.host, sizeof n.host) < 0 || !n.host[0]) snprintf(n.host, sizeof n.host, "-");
    n.host[255] = '\0';
    if (!strcmp(t, "auto")) {
#ifdef HAVE_LIBSYSTEMD
        n.dest = stderr_is_journal() ? TO_JOURNALD : TO_STDERR;
#else
        n.dest = TO_STDERR;
#endif
    } else if (!strcmp(t, "stderr")) {
        n.dest = TO_STDERR;
    } else if (!strcmp(t, "journald")) {
#ifdef HAVE_LIBSYSTEMD
        if (access(JOURNAL_SOCKET, W_OK) < 0)
            return snprintf(err, errlen, "log journald: %s: %s", JOURNAL_SOCKET, strerror(errno)),
                   -1;
        n.dest = TO_JOURNALD;
#else
        return snprintf(err, errlen, "log journald: this build has no libsystemd"), -1;
#endif
    } else {
        if ((n.fd = open_syslog(t, err, errlen)) < 0) return -1;
        n.dest = TO_SYSLOG;
    }
    pthread_rwlock_wrlock(&lock);
    int old = cur.fd;
    cur = n;
    __atomic_store_n(&cur_level, (int)n.level, __ATOMIC_RELAXED);
    pthread_rwlock_unlock(&lock);
    if (old >= 0) close(old);
    return 0;
}

bool ssgw_log_enabled(ssgw_log_level l)
{
    return (int)l <= __atomic_load_n(&cur_level, __ATOMIC_RELAXED);
}

static void to_stderr(ssgw_log_level l, const char *ts, const char *msg)
{
    char out[LINE_CAP + 256];
    size_t o = 0;
    const char *line = msg;
    do {
        const char *nl = strchr(line, '\n');
        int len = nl ? (int)(nl - line) : (int)strlen(line);
        int w = snprintf(out + o, sizeof out - o, "%s %s %s: %.*s\n", ts, cur.app, level_names[l],
                         len, line);
        if (w < 0 || (size_t)w >= sizeof out - o) {      /* flush what fits, then go on */
            (void)ssgw_write_all(STDERR_FILENO, out, o); /* else nowhere left to say so */
            o = 0;
            w = snprintf(out, sizeof out, "%s %s %s: %.*s\n", ts, cur.app, level_names[l], len,
                         line);
            if (w < 0) return;
            if ((size_t)w >= sizeof out) {
                w = (int)sizeof out - 1;
                out[w - 1] = '\n';
            }
        }
        o += (size_t)w;
        line = nl ? nl + 1 : NULL;
    } while (line && *line);
    (void)ssgw_write_all(STDERR_FILENO, out, o);
}

static void to_syslog(ssgw_log_level l, const char *ts, const char *msg)
{
    char sd[96] = "-";
    if (cur.version[0])
        snprintf(sd, sizeof sd, "[origin software=\"OpenSSGW\" swVersion=\"%s\"]", cur.version);
    const char *line = msg;
    do {
        const char *nl = strchr(line, '\n');
        int len = nl ? (int)(nl - line) : (int)strlen(line);
        char out[LINE_CAP];
        int w = snprintf(out, sizeof out, "<%d>1 %s %s %s %ld - %s %.*s", 3 * 8 + (int)l, ts,
                         cur.host, cur.app, (long)getpid(), sd, len, line);
        if (w > 0)
            send(cur.fd, out, (size_t)w < sizeof out ? (size_t)w : sizeof out - 1,
                 MSG_NOSIGNAL | MSG_DONTWAIT);
        line = nl ? nl + 1 : NULL;
    } while (line && *line);
}

void ssgw_log(ssgw_log_level l, const char *fmt, ...)
{
    if (!ssgw_log_enabled(l)) return;
    char msg[LINE_CAP], ts[SSGW_TIME_RFC3339_CAP];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ssgw_time_rfc3339(ssgw_time_now_ms(), ts, sizeof ts);
    pthread_rwlock_rdlock(&lock);
    switch (cur.dest) {
    case TO_STDERR:
        to_stderr(l, ts, msg);
        break;
    case TO_SYSLOG:
        to_syslog(l, ts, msg);
        break;
    case TO_JOURNALD:
#ifdef HAVE_LIBSYSTEMD
        if (cur.instance[0])
            sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", (int)l, "SYSLOG_FACILITY=3",
                            "SYSLOG_IDENTIFIER=%s", cur.ident, "SSGW_INSTANCE=%s", cur.instance,
                            "SSGW_TIME=%s", ts, NULL);
        else
            sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", (int)l, "SYSLOG_FACILITY=3",
                            "SYSLOG_IDENTIFIER=%s", cur.ident, "SSGW_TIME=%s", ts, NULL);
#endif
        break;
    }
    pthread_rwlock_unlock(&lock);
}
