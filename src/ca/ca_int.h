/* ca_int.h - helpers shared by the TSCA sources in src/ca/ (not a public API). */
#ifndef SSGW_CA_INT_H
#define SSGW_CA_INT_H

#include <stddef.h>
#include <time.h>

#include "ssgw/file.h"
#include "ssgw/keys.h"

/* The TSCA's error helper is the project's (include/ssgw/file.h). */
#define ssgw_ca_fail ssgw_errf
/* "2025-01-31T12:00:00Z" */
void ssgw_ca_fmt_time(time_t t, char out[32]);

#endif
