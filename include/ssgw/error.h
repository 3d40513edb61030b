/*
 * error.h - the one error type every OpenSSGW decoder reports.
 *
 * Decoders never assert on input: malformed bytes are an outcome. They return
 * -1 and fill an ssgw_error naming the layer, the field, what went wrong and
 * the byte offset (relative to the start of the buffer the caller passed to
 * the outermost decoder that filled it; composite decoders rebase offsets).
 * Field names are static strings, never peer data.
 */
#ifndef SSGW_ERROR_H
#define SSGW_ERROR_H

#include <stddef.h>

typedef enum {
    SSGW_LAYER_NONE = 0,
    SSGW_LAYER_CAPTURE,
    SSGW_LAYER_LINK,
    SSGW_LAYER_IP,
    SSGW_LAYER_SCTP,
    SSGW_LAYER_TCP,
    SSGW_LAYER_M3UA,
    SSGW_LAYER_MTP3,
    SSGW_LAYER_SCCP,
    SSGW_LAYER_TCAP,
    SSGW_LAYER_MAP,
    SSGW_LAYER_BER,
    SSGW_LAYER_DIAMETER, /* Diameter message and AVPs (RFC 6733) */
    /* ISUP (SI = 5) and the SMS TPDU carried in MAP sm-RP-UI */
    SSGW_LAYER_ISUP,
    SSGW_LAYER_SMS,
    /* issue 11: TCAP users besides MAP, SCCP users besides TCAP, framings of probe captures */
    SSGW_LAYER_CAP,       /* CAMEL Application Part parameters */
    SSGW_LAYER_ANSI_TCAP, /* ANSI TCAP (T1.114) */
    SSGW_LAYER_SCMG,      /* SCCP management (Q.713 5.3) */
    SSGW_LAYER_M2PA,      /* RFC 4165 */
    SSGW_LAYER_M2UA,      /* RFC 3331 */
    SSGW_LAYER_SUA,       /* RFC 3868 */
    SSGW_LAYER_MTP2,      /* Q.703 signal units of the MTP2 link types */
    SSGW_LAYER_COUNT
} ssgw_layer;

typedef enum {
    SSGW_E_OK = 0,
    SSGW_E_TRUNCATED,   /* buffer ends before the field does */
    SSGW_E_BAD_LENGTH,  /* a length field is impossible or inconsistent */
    SSGW_E_BAD_VALUE,   /* a value outside what the specification allows */
    SSGW_E_BAD_TAG,     /* unexpected tag / message type / parameter */
    SSGW_E_MISSING,     /* a mandatory element is absent */
    SSGW_E_UNSUPPORTED, /* valid but not handled by this implementation */
    SSGW_E_TOO_DEEP,    /* nesting beyond the decoder's bound */
    SSGW_E_TOO_BIG,     /* exceeds a configured cap (reassembly, output buffer) */
    SSGW_E_DUPLICATE,   /* an element that may appear once appears twice */
    SSGW_E_COUNT
} ssgw_errcode;

typedef struct {
    ssgw_layer layer;
    ssgw_errcode code;
    const char *field; /* static string, e.g. "calling party address" */
    size_t offset;     /* byte offset where the problem was found */
} ssgw_error;

/* Stable lower-case names: "m3ua", "truncated", ... (never NULL). */
const char *ssgw_layer_name(ssgw_layer layer);
const char *ssgw_errcode_name(ssgw_errcode code);

/* Fills err (when non-NULL) and returns -1, so decoders can `return ssgw_fail(...)`. */
int ssgw_fail(ssgw_error *err, ssgw_layer layer, ssgw_errcode code, const char *field,
              size_t offset);

/* Adds base to err->offset; used when an inner decoder's buffer starts at base. */
void ssgw_error_rebase(ssgw_error *err, size_t base);

/* "sccp: calling party address: truncated at byte 23". Returns snprintf's result. */
int ssgw_error_format(const ssgw_error *err, char *out, size_t outlen);

#endif
