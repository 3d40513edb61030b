/*
 * timefmt.h - the project's one timestamp format: RFC 3339 in UTC with
 * milliseconds, "2025-05-20T10:11:12.345Z". Log lines, the gateway's events,
 * the records of ssgw decode / analyze / verify and the HTML report all write
 * time with it, so a person or a parser meets one format everywhere
 * (docs/events.md).
 */
#ifndef SSGW_TIMEFMT_H
#define SSGW_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* Room for the longest string ssgw_time_rfc3339 writes, with its NUL. */
#define SSGW_TIME_RFC3339_CAP 32

/* The wall clock in milliseconds since 1970 (CLOCK_REALTIME). */
uint64_t ssgw_time_now_ms(void);

/*
 * Writes ms (milliseconds since 1970) as "YYYY-MM-DDTHH:MM:SS.mmmZ" into out
 * (cap >= SSGW_TIME_RFC3339_CAP). Returns the length, or 0 when the time is
 * beyond year 9999. Thread-safe; cheap when called for the same second again.
 */
size_t ssgw_time_rfc3339(uint64_t ms, char *out, size_t cap);

/*
 * Parses what ssgw_time_rfc3339 writes (the fraction may have 0..9 digits, the
 * offset may be "Z" or "+HH:MM"/"-HH:MM"). Returns 0 with *ms, or -1.
 */
int ssgw_time_parse_rfc3339(const char *s, uint64_t *ms);

#endif
