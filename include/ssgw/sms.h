/*
 * sms.h - the SMS transfer protocol data unit (3GPP TS 23.040 clause 9.2), as MAP carries
 * it in sm-RP-UI (forwardSM, mo-/mt-forwardSM and their results).
 *
 * The first octet's message type indicator (TP-MTI) means different things in the two
 * directions, so the decoder is told which way the TPDU travels: towards the MS
 * (SMS-DELIVER, SMS-SUBMIT-REPORT, SMS-STATUS-REPORT) or from it (SMS-SUBMIT,
 * SMS-DELIVER-REPORT, SMS-COMMAND). MAP tells (sm-RP-DA / sm-RP-OA and the operation:
 * ssgw_view_sms does it for a decoded message).
 *
 * ssgw_sms_decode() returns views into the buffer and the decoded fields: flags, message
 * reference, originating / destination / recipient address (numeric with type of number
 * and numbering plan, or alphanumeric, decoded from GSM 7-bit), protocol identifier, data
 * coding scheme (alphabet, class, compression), time stamps, validity period, status,
 * failure cause, the user data header (concatenation with 8- or 16-bit reference,
 * application ports, every IEI) and where the text lies. ssgw_sms_text() turns the text
 * into UTF-8 (GSM 7-bit after the header's fill bits; UCS-2 with surrogate pairs) only
 * when asked: message text is private, and most policy needs none of it.
 *
 * ssgw_sms_encode() builds SMS-DELIVER, SMS-SUBMIT, SMS-STATUS-REPORT, SMS-DELIVER-REPORT
 * and SMS-SUBMIT-REPORT from the same struct and a text. Nothing here allocates.
 */
#ifndef SSGW_SMS_H
#define SSGW_SMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"

/* Which way the TPDU goes (TS 23.040 9.2.3.1). */
typedef enum {
    SSGW_SMS_TO_MS = 1,  /* from the service centre to the MS */
    SSGW_SMS_FROM_MS = 2 /* from the MS to the service centre */
} ssgw_sms_dir;

typedef enum {
    SSGW_SMS_DELIVER = 0,
    SSGW_SMS_DELIVER_REPORT,
    SSGW_SMS_SUBMIT,
    SSGW_SMS_SUBMIT_REPORT,
    SSGW_SMS_STATUS_REPORT,
    SSGW_SMS_COMMAND,
    SSGW_SMS_TYPE_COUNT
} ssgw_sms_type;

/* "deliver", "deliver-report", "submit", "submit-report", "status-report", "command". */
const char *ssgw_sms_type_name(ssgw_sms_type t);

/* Alphabet of the user data (TS 23.038 clause 4). */
typedef enum { SSGW_SMS_GSM7 = 0, SSGW_SMS_8BIT, SSGW_SMS_UCS2 } ssgw_sms_alphabet;

/* "gsm7", "8bit", "ucs2". */
const char *ssgw_sms_alphabet_name(ssgw_sms_alphabet a);

/* TP-DCS (TS 23.038 clause 4) taken apart. */
typedef struct {
    ssgw_sms_alphabet alphabet; /* reserved codings read as GSM 7-bit, as 23.038 says */
    int msg_class;              /* 0..3, -1 when the DCS gives none */
    bool compressed;            /* the user data is compressed (TS 23.042): not decoded */
    int mwi;                    /* message waiting group: 0 voicemail, 1 fax, 2 e-mail, 3 other;
                                   -1 when not a message waiting DCS */
} ssgw_sms_dcs;

void ssgw_sms_dcs_decode(uint8_t dcs, ssgw_sms_dcs *out);

/* TP-OA / TP-DA / TP-RA (TS 23.040 9.1.2.5): at most 20 digits or 11 GSM 7-bit characters. */
#define SSGW_SMS_ADDR_CAP 40 /* 11 characters of up to 3 UTF-8 octets, or 20 digits, + NUL */

typedef struct {
    bool present;
    uint8_t ton;                  /* type of number: 1 international, 2 national, 5 alphanumeric */
    uint8_t npi;                  /* numbering plan: 1 E.164 */
    bool alphanumeric;            /* ton 5: text holds the decoded characters */
    char text[SSGW_SMS_ADDR_CAP]; /* digits (0-9 * # a b c) or the alphanumeric name */
} ssgw_sms_addr;

/* TP-SCTS / TP-DT / absolute TP-VP (TS 23.040 9.2.3.11). */
typedef struct {
    uint8_t year, month, day, hour, minute, second; /* year 0..99 = 2000..2099 */
    int tz_quarters;                                /* signed, quarters of an hour from UTC */
} ssgw_sms_time;

/* "2024-01-12T21:34:56+01:00"; returns snprintf's result. */
int ssgw_sms_time_format(const ssgw_sms_time *t, char *out, size_t outcap);

#define SSGW_SMS_MAX_IE 16

typedef struct {
    ssgw_sms_type type;
    uint8_t first_octet;
    bool mms;         /* TP-MMS: set = no more messages waiting (DELIVER, STATUS-REPORT) */
    bool lp;          /* TP-LP loop prevention */
    bool sri;         /* TP-SRI status report indication (DELIVER) */
    bool srr;         /* TP-SRR status report request (SUBMIT, COMMAND) */
    bool srq;         /* TP-SRQ status report qualifier (STATUS-REPORT) */
    bool rd;          /* TP-RD reject duplicates (SUBMIT) */
    bool rp;          /* TP-RP reply path */
    bool udhi;        /* TP-UDHI: the user data starts with a header */
    int mr;           /* TP-MR message reference, -1 when the type has none */
    ssgw_sms_addr oa; /* DELIVER */
    ssgw_sms_addr da; /* SUBMIT, COMMAND */
    ssgw_sms_addr ra; /* STATUS-REPORT recipient */
    int pid;          /* TP-PID, -1 when absent */
    int dcs;          /* TP-DCS, -1 when absent */
    ssgw_sms_dcs dcs_info;
    bool has_scts;
    ssgw_sms_time scts;
    bool has_dt; /* STATUS-REPORT discharge time */
    ssgw_sms_time dt;
    int st;  /* TP-ST status, -1 */
    int fcs; /* TP-FCS failure cause (RP-ERROR reports), -1 */
    int pi;  /* TP-PI parameter indicator, -1 */
    int vpf; /* TP-VPF (SUBMIT): 0 none, 1 enhanced, 2 relative, 3 absolute; -1 other types */
    int vp_relative;           /* relative TP-VP octet, -1 */
    ssgw_sms_time vp_absolute; /* when vpf == 3 */
    int ct, mn;                /* COMMAND: TP-CT command type, TP-MN message number; -1 */
    int udl;                   /* TP-UDL (septets for GSM 7-bit, else octets), -1 when absent */
    const uint8_t *ud;         /* TP-UD, header included: a view into the TPDU */
    size_t ud_len;
    /* user data header (TS 23.040 9.2.3.24) */
    unsigned n_ie;
    uint8_t ie[SSGW_SMS_MAX_IE]; /* IEIs in order (the first SSGW_SMS_MAX_IE) */
    bool concat;                 /* concatenated short message, IEI 0x00 or 0x08 (the last) */
    uint8_t n_concat;            /* concatenation elements in the header (saturates at 255) */
    uint8_t concat_ref_bits;     /* 8 or 16 */
    uint16_t concat_ref;
    uint8_t concat_total, concat_seq;
    bool ports;        /* application port addressing, IEI 0x04 or 0x05 (the last) */
    uint8_t port_bits; /* 8 or 16 */
    uint16_t dst_port, src_port;
    /* the text inside TP-UD: GSM 7-bit septets [text_first, text_first + text_count), or
     * octets [text_first, text_first + text_count) */
    size_t text_first, text_count;
} ssgw_sms_tpdu;

/* Clears t for encoding a TPDU of the given type: absent fields -1, DCS 0 (GSM 7-bit). */
void ssgw_sms_tpdu_init(ssgw_sms_tpdu *t, ssgw_sms_type type);

/*
 * Decodes a TPDU travelling in direction dir. Returns 0, or -1 with err (layer SMS, the
 * TP- field as field, offset from buf) on a reserved TP-MTI, a field past the end, an
 * address longer than 20 digits / 11 characters, a time stamp with a semi-octet above
 * 9, a TP-UDL above 160 septets / 140 octets or that disagrees with the octets present
 * (missing or left over), a header longer than the user data or an information element
 * running past it, a known IE (concatenation, ports) of the wrong length, UCS-2 text of
 * an odd number of octets.
 */
int ssgw_sms_decode(const uint8_t *buf, size_t len, ssgw_sms_dir dir, ssgw_sms_tpdu *t,
                    ssgw_error *err);

/*
 * The text as UTF-8 (NUL-terminated) into out: GSM 7-bit (default alphabet and its
 * extension table; national language shift tables are not applied) or UCS-2/UTF-16.
 * Returns the text's octets, 0 when the TPDU carries no text, or -1 when it is 8-bit
 * data or compressed (no text), or out is too small (SSGW_SMS_TEXT_CAP always fits).
 * *chars (may be NULL) gets the number of characters.
 */
#define SSGW_SMS_TEXT_CAP 700 /* 160 characters of up to 4 UTF-8 octets, + NUL */
int ssgw_sms_text(const ssgw_sms_tpdu *t, char *out, size_t outcap, size_t *chars);

/*
 * Builds a TPDU of t->type (DELIVER, SUBMIT, STATUS-REPORT, DELIVER-REPORT,
 * SUBMIT-REPORT) from t: the flags, mr, the address of the type (numeric digits, or
 * alphanumeric when ton is 5), pid, dcs (its alphabet says how body is written), scts /
 * dt / st, vpf with vp_relative or vp_absolute, the header from concat / ports. body is
 * the text in UTF-8 for GSM 7-bit and UCS-2, the octets for 8-bit data (may be NULL, 0).
 * Sets udhi when a header is written. Appends to out; returns 0, or -1 with err on a
 * field that cannot be encoded (digits, characters outside GSM 7-bit, too long for one
 * TPDU), an unsupported type, or overflow.
 */
int ssgw_sms_encode(ssgw_buf *out, const ssgw_sms_tpdu *t, const uint8_t *body, size_t body_len,
                    ssgw_error *err);

#endif
