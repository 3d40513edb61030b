/* test_log.c - the one timestamp format (RFC 3339 UTC with milliseconds, checked against
 * dates computed by hand and by timegm) and the logging module: levels, destinations
 * refused or accepted, the stderr line format, RFC 5424 datagrams on a unix socket
 * (the e2e test tests/e2e/test_logs.py parses them with the RFC's grammar). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ssgw/log.h"
#include "ssgw/timefmt.h"

static void rfc3339_format(void)
{
    char b[SSGW_TIME_RFC3339_CAP];
    CHECK_INT(ssgw_time_rfc3339(0, b, sizeof b), 24);
    CHECK_STR(b, "1970-01-01T00:00:00.000Z");
    /* 2024-02-29T23:59:59.999Z: a leap day, the last millisecond of it */
    struct tm tm = {
        .tm_year = 124, .tm_mon = 1, .tm_mday = 29, .tm_hour = 23, .tm_min = 59, .tm_sec = 59};
    uint64_t ms = (uint64_t)timegm(&tm) * 1000u + 999u;
    ssgw_time_rfc3339(ms, b, sizeof b);
    CHECK_STR(b, "2024-02-29T23:59:59.999Z");
    ssgw_time_rfc3339(ms + 1, b, sizeof b); /* the cached second must not leak into the next */
    CHECK_STR(b, "2024-03-01T00:00:00.000Z");
    ssgw_time_rfc3339(1700000000123ull, b, sizeof b);
    CHECK_STR(b, "2023-11-14T22:13:20.123Z");
    CHECK_INT(ssgw_time_rfc3339(1, b, 10), 0);                        /* too small a buffer */
    CHECK_INT(ssgw_time_rfc3339(253402300800000ull, b, sizeof b), 0); /* year 10000 */
}

static void rfc3339_parse(void)
{
    uint64_t ms;
    CHECK_INT(ssgw_time_parse_rfc3339("2023-11-14T22:13:20.123Z", &ms), 0);
    CHECK(ms == 1700000000123ull);
    CHECK_INT(ssgw_time_parse_rfc3339("2023-11-14T23:13:20.1+01:00", &ms), 0);
    CHECK(ms == 1700000000100ull);
    CHECK_INT(ssgw_time_parse_rfc3339("2023-11-14T22:13:20Z", &ms), 0);
    CHECK(ms == 1700000000000ull);
    CHECK_INT(ssgw_time_parse_rfc3339("2023-11-14 22:13:20Z", &ms), -1);
    CHECK_INT(ssgw_time_parse_rfc3339("2023-13-14T22:13:20Z", &ms), -1);
    CHECK_INT(ssgw_time_parse_rfc3339("2023-11-14T22:13:20.Z", &ms), -1);
    CHECK_INT(ssgw_time_parse_rfc3339("2023-11-14T22:13:20.123", &ms), -1);
    /* every millisecond of a day around now round-trips */
    uint64_t now = ssgw_time_now_ms();
    bool all = true;
    for (uint64_t t = now - 43200000u; t < now + 43200000u; t += 7919) {
        char b[SSGW_TIME_RFC3339_CAP];
        ssgw_time_rfc3339(t, b, sizeof b);
        all = all && ssgw_time_parse_rfc3339(b, &ms) == 0 && ms == t;
    }
    CHECK(all);
}

static void levels_and_targets(void)
{
    ssgw_log_level l;
    CHECK_INT(ssgw_log_level_parse("warning", &l), 0);
    CHECK_INT(l, SSGW_LOG_WARNING);
    CHECK_INT(ssgw_log_level_parse("warn", &l), -1);
    CHECK_STR(ssgw_log_level_name(SSGW_LOG_NOTICE), "notice");
    char why[200];
    const char *good[] = {"auto",
                          "stderr",
                          "journald",
                          "syslog",
                          "syslog:/dev/log",
                          "syslog:127.0.0.1:514",
                          "syslog:[::1]:5514",
                          "syslog:loghost:514"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK_INT(ssgw_log_target_check(good[i], why, sizeof why), 0);
    const char *bad[] = {"file",          "syslog:",           "syslog:host",
                         "syslog:host:0", "syslog:host:70000", "syslog:[::1:514",
                         "journal"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT(ssgw_log_target_check(bad[i], why, sizeof why), -1);
    ssgw_log_config c = {.ident = "t", .target = "syslog:/nonexistent/sock"};
    CHECK_INT(ssgw_log_configure(&c, why, sizeof why), -1);
    CHECK(strstr(why, "/nonexistent/sock") && strstr(why, "No such file"));
}

/* Reads what was written to fd (non-blocking) into b. */
static size_t drain(int fd, char *b, size_t cap)
{
    size_t n = 0;
    ssize_t r;
    while (n + 1 < cap && (r = read(fd, b + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    b[n] = '\0';
    return n;
}

static void stderr_lines(void)
{
    int p[2];
    CHECK_INT(pipe2(p, O_NONBLOCK), 0);
    int saved = dup(2);
    dup2(p[1], 2);
    char err[200];
    ssgw_log_config c = {
        .ident = "ssgw", .instance = "albion", .target = "stderr", .level = SSGW_LOG_NOTICE};
    CHECK_INT(ssgw_log_configure(&c, err, sizeof err), 0);
    ssgw_log(SSGW_LOG_INFO, "not written: below the level");
    ssgw_log(SSGW_LOG_WARNING, "link '%s': two\nlines", "ipx");
    dup2(saved, 2);
    close(saved);
    char b[1024];
    drain(p[0], b, sizeof b);
    close(p[0]);
    close(p[1]);
    /* "YYYY-MM-DDTHH:MM:SS.mmmZ ssgw@albion warning: ..." on each line */
    char *l2 = strchr(b, '\n');
    CHECK(l2 != NULL);
    if (!l2) return;
    *l2++ = '\0';
    uint64_t ms;
    char ts[32];
    CHECK(strlen(b) > 24 && b[24] == ' ');
    memcpy(ts, b, 24);
    ts[24] = '\0';
    CHECK_INT(ssgw_time_parse_rfc3339(ts, &ms), 0);
    CHECK(ms + 5000 > ssgw_time_now_ms());
    CHECK_STR(b + 25, "ssgw@albion warning: link 'ipx': two");
    CHECK(strlen(l2) > 25 && !strcmp(l2 + 25, "ssgw@albion warning: lines\n"));
}

static void syslog_datagrams(void)
{
    char path[] = "/tmp/ssgw-test-log-XXXXXX";
    int tfd = mkstemp(path);
    close(tfd);
    unlink(path);
    int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
    CHECK_INT(bind(s, (struct sockaddr *)&sun, sizeof sun), 0);
    char target[128], err[200];
    snprintf(target, sizeof target, "syslog:%s", path);
    ssgw_log_config c = {
        .ident = "tsca", .target = target, .level = SSGW_LOG_DEBUG, .version = "0.1.0"};
    CHECK_INT(ssgw_log_configure(&c, err, sizeof err), 0);
    ssgw_log(SSGW_LOG_ERR, "bundle %d: %s", 7, "gone");
    char b[1024];
    ssize_t n = recv(s, b, sizeof b - 1, 0);
    CHECK(n > 0);
    b[n > 0 ? n : 0] = '\0';
    /* <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG; daemon (3) * 8 + err (3) = 27 */
    char ts[40], host[300], app[64], msgid[8], sd[128];
    long pid;
    int off = 0;
    CHECK_INT(sscanf(b, "<27>1 %39s %299s %63s %ld %7s %127[^]]]%n", ts, host, app, &pid, msgid, sd,
                     &off),
              6);
    uint64_t ms;
    CHECK_INT(ssgw_time_parse_rfc3339(ts, &ms), 0);
    CHECK_STR(app, "tsca");
    CHECK_INT(pid, getpid());
    CHECK_STR(msgid, "-");
    CHECK_STR(sd, "[origin software=\"OpenSSGW\" swVersion=\"0.1.0\"");
    CHECK_STR(b + off, " bundle 7: gone");
    ssgw_log_config back = {.ident = "ssgw", .target = "stderr", .level = SSGW_LOG_INFO};
    CHECK_INT(ssgw_log_configure(&back, err, sizeof err), 0);
    close(s);
    unlink(path);
}

int main(void)
{
    RUN(rfc3339_format);
    RUN(rfc3339_parse);
    RUN(levels_and_targets);
    RUN(stderr_lines);
    RUN(syslog_datagrams);
    return check_summary();
}
