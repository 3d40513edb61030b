/*
 * record.h - the JSON keys every OpenSSGW record shares (docs/fields.md lists them).
 *
 * `ssgw decode` writes frame + view keys; `ssgw analyze`, `ssgw verify` and the
 * gateway's events add the pipeline's result keys (ssgw_record_result) to the
 * same object, so a record from any of them reads the same way.
 */
#ifndef SSGW_RECORD_H
#define SSGW_RECORD_H

#include "ssgw/capture.h"
#include "ssgw/json.h"
#include "ssgw/pipeline.h"
#include "ssgw/view.h"

/* The schema of events and records with result keys (docs/events.md); the number after
 * the slash changes only when a key is renamed, removed or changes meaning. */
#define SSGW_EVENT_SCHEMA "openssgw.event/1"

/* The head of an event (docs/events.md): schema, event_id, time, host, instance, event. */
typedef struct {
    const char *event;    /* "message", "bundle_expired", ... */
    const char *event_id; /* NULL: not written (records of a capture have `frame` instead) */
    uint64_t time_ms;     /* milliseconds since 1970; 0: not written (the frame keys have it) */
    const char *host;     /* NULL: not written */
    const char *instance; /* NULL: not written */
} ssgw_event_head;
void ssgw_record_event_head(ssgw_json *j, const ssgw_event_head *h);

/* key: ms as RFC 3339 UTC with milliseconds, "2025-05-20T10:11:12.345Z" (timefmt.h). */
void ssgw_record_time(ssgw_json *j, const char *key, uint64_t ms);

/* frame, time (RFC 3339 UTC, ms), time_epoch (seconds.microseconds, Wireshark's
 * frame.time_epoch), src, dst, transport, stream: where the message was seen. */
void ssgw_record_frame(ssgw_json *j, const ssgw_capture_msg *cm);
/* The head of a message judged from a capture (ssgw analyze / verify --json): schema,
 * event "message", then the frame keys, so it reads as the gateway's event does. */
void ssgw_record_capture_head(ssgw_json *j, const ssgw_capture_msg *cm);
/* Decoded keys of every layer present, MAP fields included (decodes them if needed). */
void ssgw_record_view(ssgw_json *j, ssgw_view *v);
/*
 * sms_text: the text of the SMS TPDU the message carries (GSM 7-bit or UCS-2, as UTF-8),
 * or sms_body (hex) for 8-bit data and commands; nothing when there is none. Message text
 * is private: no record has it unless the front end asks for it (ssgw decode --sms-text);
 * ssgw_record_view writes only sms_text_chars / sms_body_octets.
 */
void ssgw_record_sms_text(ssgw_json *j, ssgw_view *v);
/* error, error_layer, error_field, error_offset. */
void ssgw_record_error(ssgw_json *j, const ssgw_error *e);

/*
 * The keys of one pipeline result (docs/fields.md "Verdict keys"), the one writer of
 * them for every front end: direction, action (forward, forward-modified, answer,
 * drop), alert; the firewall's verdict, enforced, category, check, reason, answer
 * (when it judged, or when the trust check dropped the message before it); trust,
 * trust_action, trust_policy, partner, token_bytes, token_mode, token_key_id,
 * token_time, signer, signer_serial, trust_error (when the token was verified);
 * signed, token_bytes (when a token was added), sign_refused.
 */
void ssgw_record_result(ssgw_json *j, const ssgw_pipeline_result *r);

/* Writes a caller's own keys (frame, verdict, trust ...) into a record. */
typedef void (*ssgw_record_fn)(ssgw_json *j, const void *ctx);

/*
 * Builds one JSON record into buf: head's keys, the view's keys (ssgw_record_view),
 * tail's keys (head and tail may be NULL). When that does not fit, the record is
 * built again without the view's keys and with error "record: too large to print",
 * so every message still yields a record; *fallback (may be NULL) says so. Returns
 * the record's length, or -1 when even that does not fit.
 */
long ssgw_record_build(char *buf, size_t cap, ssgw_record_fn head, ssgw_view *v,
                       ssgw_record_fn tail, const void *ctx, bool *fallback);

#endif
