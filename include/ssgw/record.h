/*
 * record.h - the JSON keys every OpenSSGW record shares (docs/fields.md lists them).
 *
 * `ssgw decode` writes frame + view keys; `ssgw analyze` adds its verdict keys
 * to the same object, so a record from either tool reads the same way.
 */
#ifndef SSGW_RECORD_H
#define SSGW_RECORD_H

#include "ssgw/capture.h"
#include "ssgw/json.h"
#include "ssgw/view.h"

/* frame, time, src, dst, transport, stream: where the message was seen. */
void ssgw_record_frame(ssgw_json *j, const ssgw_capture_msg *cm);
/* Decoded keys of every layer present, MAP fields included (decodes them if needed). */
void ssgw_record_view(ssgw_json *j, ssgw_view *v);
/* error, error_layer, error_field, error_offset. */
void ssgw_record_error(ssgw_json *j, const ssgw_error *e);

#endif
