/*
 * record_int.h - internal: the record keys of record_users.c, which record.c writes
 * (docs/fields.md "CAP parameters", "SCCP management", "ANSI TCAP", "Probe framings").
 */
#ifndef SSGW_OBS_RECORD_INT_H
#define SSGW_OBS_RECORD_INT_H

#include "ssgw/json.h"
#include "ssgw/view.h"

/* m2pa / m2ua / sua keys of the framing the message came in. */
void ssgw_record_framing(ssgw_json *j, const ssgw_view *v);
/* The CAP parameters (decodes them if needed). */
void ssgw_record_cap(ssgw_json *j, ssgw_view *v);
/* SCCP management or ANSI TCAP keys. */
void ssgw_record_other_user(ssgw_json *j, const ssgw_view *v);

#endif
