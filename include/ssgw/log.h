/*
 * log.h - the one logging module of every OpenSSGW program (ssgw run, the
 * bundle poller, the inspection pipeline's lifecycle events, ssgw peer,
 * tsca serve): severity levels, one timestamp format (RFC 3339 UTC with
 * milliseconds, include/ssgw/timefmt.h) and a destination chosen by
 * configuration (docs/operations.md "Logs"):
 *
 *   stderr       "2025-05-20T10:11:12.345Z ssgw@albion notice: link 'ipx': ..."
 *                one line per line of the message, written with one write(2)
 *   journald     the native journal protocol (libsystemd): MESSAGE, PRIORITY,
 *                SYSLOG_IDENTIFIER, SSGW_INSTANCE, SSGW_TIME
 *   syslog       RFC 5424 datagrams, facility daemon, to /dev/log;
 *   syslog:PATH  ... to another unix datagram socket;
 *   syslog:HOST:PORT  ... over UDP (RFC 5426), e.g. "syslog:127.0.0.1:514"
 *   auto         journald when stderr is connected to the journal (systemd sets
 *                JOURNAL_STREAM), else stderr (the default)
 *
 * Until ssgw_log_configure is called, messages go to stderr at level info with
 * the identifier "ssgw". Thread-safe: any thread may log at any time; a
 * reconfiguration (SIGHUP) waits for messages being written.
 */
#ifndef SSGW_LOG_H
#define SSGW_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* The syslog severities (RFC 5424 6.2.1) the programs use, most severe first. */
typedef enum {
    SSGW_LOG_ERR = 3,     /* something failed: a reload refused, a write failed */
    SSGW_LOG_WARNING = 4, /* something is wrong but handled: a peer's ERR, a refused bundle */
    SSGW_LOG_NOTICE = 5,  /* significant normal events: start, stop, reload, links up/down */
    SSGW_LOG_INFO = 6,    /* routine: bundles served, polls, counters at exit */
    SSGW_LOG_DEBUG = 7,
} ssgw_log_level;

/* "err", "warning", "notice", "info", "debug" (the syslog keywords). */
const char *ssgw_log_level_name(ssgw_log_level l);
/* Parses those names; returns 0, or -1 when s is none of them. */
int ssgw_log_level_parse(const char *s, ssgw_log_level *out);

/* Checks a destination ("auto", "stderr", "journald", "syslog", "syslog:PATH",
 * "syslog:HOST:PORT") without opening it; returns 0, or -1 with why. */
int ssgw_log_target_check(const char *target, char *why, size_t cap);

typedef struct {
    const char *ident;    /* program: "ssgw", "ssgw-peer", "tsca" (NULL: keep) */
    const char *instance; /* the instance id ("albion"); NULL or "": none */
    const char *target;   /* destination as above; NULL or "": "auto" */
    ssgw_log_level level; /* messages less severe than this are not written */
    const char *version;  /* the program's version, in RFC 5424 structured data (may be NULL) */
} ssgw_log_config;

/*
 * Switches to cfg: opens the destination (a syslog socket is connected, journald's
 * socket checked), then closes the old one. Returns 0, or -1 with err naming the
 * destination and the reason; the running configuration is then kept.
 */
int ssgw_log_configure(const ssgw_log_config *cfg, char *err, size_t errlen);

/* True when a message at level l would be written. */
bool ssgw_log_enabled(ssgw_log_level l);

/* Writes one message (printf format; a message may have several lines). */
void ssgw_log(ssgw_log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
