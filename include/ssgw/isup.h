/*
 * isup.h - ISDN User Part (ITU-T Q.763 formats and codes, Q.764 procedures), ITU
 * variant: the message carried by MTP3 / M3UA with service indicator 5.
 *
 * A message is: circuit identification code (2 octets, 12 bits, least significant
 * octet first), message type (1 octet), then the parameters in three parts (Q.763
 * clause 1.5): the mandatory fixed part (lengths fixed by the message type), the
 * mandatory variable part (one pointer per parameter, then length + value) and, for
 * the types that allow one, the optional part (a pointer to it; then code, length,
 * value ... ending with the end-of-optional-parameters octet 0).
 *
 * Which parameters each message type carries, and in which part, is data (the
 * message table, Q.763 clause 4 tables 21-51), as are the parameter codes and names
 * (Q.763 clause 3, table 5). ssgw_isup_decode() walks a message with those tables,
 * checks every pointer and length, keeps a view of every parameter (pointing into
 * the caller's buffer) and decodes the fields a policy needs: called / calling /
 * redirecting / original called / generic numbers with their indicators, calling
 * party's category, redirection information, cause, event, and whether parameter
 * compatibility information and application transport parameters are present.
 *
 * ssgw_isup_encode() builds any message of the table from a list of parameters (the
 * builder below collects them), so decode(encode(x)) == x and, for canonical input,
 * encode(decode(bytes)) == bytes. Nothing here allocates.
 */
#ifndef SSGW_ISUP_H
#define SSGW_ISUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"

#define SSGW_ISUP_CIC_MAX 0x0fff /* 12 bits (Q.763 1.2, ITU) */
/* CIC and message type: the shortest message. */
#define SSGW_ISUP_HEADER_LEN 3
/* Parameters whose views are kept; more are still checked and their fields decoded. */
#define SSGW_ISUP_MAX_PARAMS 32
/* Address signals of one number (a parameter holds at most 253 octets, but numbers on
 * the interconnect have at most 15 digits, E.164): more is refused as malformed. */
#define SSGW_ISUP_DIGITS_MAX 32
#define SSGW_ISUP_DIGITS_CAP (SSGW_ISUP_DIGITS_MAX + 1)
/* Generic numbers kept (a message may carry several, Q.763 3.26; more are checked, and an
 * additional calling party number past these takes the place of the last kept one of another
 * qualifier: the call checks screen it; a message with more additional calling party numbers
 * than this does not decode, SSGW_E_TOO_BIG). */
#define SSGW_ISUP_MAX_GENERIC 4

/* Message types (Q.763 table 4). */
enum {
    SSGW_ISUP_IAM = 0x01,
    SSGW_ISUP_SAM = 0x02,
    SSGW_ISUP_INR = 0x03,
    SSGW_ISUP_INF = 0x04,
    SSGW_ISUP_COT = 0x05,
    SSGW_ISUP_ACM = 0x06,
    SSGW_ISUP_CON = 0x07,
    SSGW_ISUP_FOT = 0x08,
    SSGW_ISUP_ANM = 0x09,
    SSGW_ISUP_REL = 0x0c,
    SSGW_ISUP_SUS = 0x0d,
    SSGW_ISUP_RES = 0x0e,
    SSGW_ISUP_RLC = 0x10,
    SSGW_ISUP_CCR = 0x11,
    SSGW_ISUP_RSC = 0x12,
    SSGW_ISUP_BLO = 0x13,
    SSGW_ISUP_UBL = 0x14,
    SSGW_ISUP_BLA = 0x15,
    SSGW_ISUP_UBA = 0x16,
    SSGW_ISUP_GRS = 0x17,
    SSGW_ISUP_CGB = 0x18,
    SSGW_ISUP_CGU = 0x19,
    SSGW_ISUP_CGBA = 0x1a,
    SSGW_ISUP_CGUA = 0x1b,
    SSGW_ISUP_FAR = 0x1f,
    SSGW_ISUP_FAA = 0x20,
    SSGW_ISUP_FRJ = 0x21,
    SSGW_ISUP_LPA = 0x24,
    SSGW_ISUP_PAM = 0x28,
    SSGW_ISUP_GRA = 0x29,
    SSGW_ISUP_CQM = 0x2a,
    SSGW_ISUP_CQR = 0x2b,
    SSGW_ISUP_CPG = 0x2c,
    SSGW_ISUP_USR = 0x2d,
    SSGW_ISUP_UCIC = 0x2e,
    SSGW_ISUP_CFN = 0x2f,
    SSGW_ISUP_OLM = 0x30,
    SSGW_ISUP_CRG = 0x31,
    SSGW_ISUP_NRM = 0x32,
    SSGW_ISUP_FAC = 0x33,
    SSGW_ISUP_UPT = 0x34,
    SSGW_ISUP_UPA = 0x35,
    SSGW_ISUP_IDR = 0x36,
    SSGW_ISUP_IRS = 0x37,
    SSGW_ISUP_SGM = 0x38,
    SSGW_ISUP_LPR = 0x40,
    SSGW_ISUP_APM = 0x41,
    SSGW_ISUP_PRI = 0x42,
    SSGW_ISUP_SDN = 0x43
};

/* Parameter codes a policy reads (Q.763 table 5; the full list is the parameter table). */
enum {
    SSGW_ISUP_P_END = 0x00,
    SSGW_ISUP_P_TMR = 0x02,                  /* transmission medium requirement */
    SSGW_ISUP_P_CALLED = 0x04,               /* called party number */
    SSGW_ISUP_P_SUBSEQUENT = 0x05,           /* subsequent number */
    SSGW_ISUP_P_NCI = 0x06,                  /* nature of connection indicators */
    SSGW_ISUP_P_FCI = 0x07,                  /* forward call indicators */
    SSGW_ISUP_P_CATEGORY = 0x09,             /* calling party's category */
    SSGW_ISUP_P_CALLING = 0x0a,              /* calling party number */
    SSGW_ISUP_P_REDIRECTING = 0x0b,          /* redirecting number */
    SSGW_ISUP_P_REDIRECTION_NUMBER = 0x0c,   /* redirection number */
    SSGW_ISUP_P_INR_IND = 0x0e,              /* information request indicators */
    SSGW_ISUP_P_INF_IND = 0x0f,              /* information indicators */
    SSGW_ISUP_P_CONTINUITY = 0x10,           /* continuity indicators */
    SSGW_ISUP_P_BCI = 0x11,                  /* backward call indicators */
    SSGW_ISUP_P_CAUSE = 0x12,                /* cause indicators */
    SSGW_ISUP_P_REDIRECTION_INFO = 0x13,     /* redirection information */
    SSGW_ISUP_P_CGSMTI = 0x15,               /* circuit group supervision message type */
    SSGW_ISUP_P_RANGE_STATUS = 0x16,         /* range and status */
    SSGW_ISUP_P_FACILITY_IND = 0x18,         /* facility indicator */
    SSGW_ISUP_P_UUI = 0x20,                  /* user-to-user information */
    SSGW_ISUP_P_CONNECTED = 0x21,            /* connected number */
    SSGW_ISUP_P_SUS_RES_IND = 0x22,          /* suspend/resume indicators */
    SSGW_ISUP_P_EVENT = 0x24,                /* event information */
    SSGW_ISUP_P_CIRCUIT_STATE = 0x26,        /* circuit state indicator */
    SSGW_ISUP_P_ORIGINAL_CALLED = 0x28,      /* original called number */
    SSGW_ISUP_P_OBCI = 0x29,                 /* optional backward call indicators */
    SSGW_ISUP_P_MSG_COMPAT = 0x38,           /* message compatibility information */
    SSGW_ISUP_P_PARAM_COMPAT = 0x39,         /* parameter compatibility information */
    SSGW_ISUP_P_HOP_COUNTER = 0x3d,          /* hop counter */
    SSGW_ISUP_P_LOCATION = 0x3f,             /* location number */
    SSGW_ISUP_P_CALL_TRANSFER_NUMBER = 0x45, /* call transfer number */
    SSGW_ISUP_P_CALLED_IN_NUMBER = 0x6f,     /* called IN number */
    SSGW_ISUP_P_APP_TRANSPORT = 0x78,        /* application transport parameter */
    SSGW_ISUP_P_GENERIC_NUMBER = 0xc0,       /* generic number */
    SSGW_ISUP_P_GENERIC_DIGITS = 0xc1        /* generic digits */
};

/* The part of a message a parameter sits in. */
typedef enum {
    SSGW_ISUP_PART_FIXED = 0,
    SSGW_ISUP_PART_VARIABLE,
    SSGW_ISUP_PART_OPTIONAL
} ssgw_isup_part;

/* How a parameter's value is laid out, when it is an address (Q.763 3.9 ff.). */
typedef enum {
    SSGW_ISUP_NUM_NONE = 0,
    SSGW_ISUP_NUM_CALLED,      /* O/E + NAI; INN, NPI (called party, redirection number) */
    SSGW_ISUP_NUM_CALLING,     /* O/E + NAI; NI, NPI, APRI, SI (calling, location, connected,
                                  call transfer number) */
    SSGW_ISUP_NUM_REDIRECTING, /* O/E + NAI; NPI, APRI (redirecting, original called, called IN) */
    SSGW_ISUP_NUM_GENERIC,     /* number qualifier; then as calling */
    SSGW_ISUP_NUM_SUBSEQUENT   /* O/E only, then digits */
} ssgw_isup_num_layout;

/* One row of the parameter table. */
typedef struct {
    uint8_t code;
    const char *name;  /* Q.763 name, e.g. "calling party number" */
    uint8_t fixed_len; /* length in the mandatory fixed part (0 = only ever variable/optional) */
    uint8_t min_len;   /* shortest valid value in the variable or optional part */
    uint8_t layout;    /* ssgw_isup_num_layout */
    bool repeatable;   /* may appear more than once in the optional part (generic number ...) */
} ssgw_isup_param_def;

/* One row of the message table (Q.763 clause 4). */
typedef struct {
    uint8_t code;
    const char *abbr; /* lower case: "iam", "acm", "cgba" */
    const char *name; /* "initial address" */
    const uint8_t *fixed;
    uint8_t n_fixed;
    const uint8_t *variable;
    uint8_t n_variable;
    bool optional; /* the message has an optional part (and its pointer) */
    bool opaque;   /* format is a national matter (PAM, CRG, SDN): the rest is not parsed */
} ssgw_isup_msg_def;

/* Table lookups: NULL when the code is not allocated to ITU ISUP. */
const ssgw_isup_msg_def *ssgw_isup_msg_def_by_code(uint8_t type);
const ssgw_isup_msg_def *ssgw_isup_msg_def_by_abbr(const char *abbr);
const ssgw_isup_param_def *ssgw_isup_param_def_by_code(uint8_t code);
size_t ssgw_isup_msg_def_count(void);
const ssgw_isup_msg_def *ssgw_isup_msg_def_at(size_t i);
size_t ssgw_isup_param_def_count(void);
const ssgw_isup_param_def *ssgw_isup_param_def_at(size_t i);
/* "iam", ... or "unknown"; "calling party number", ... or "unknown". Never NULL. */
const char *ssgw_isup_msg_abbr(uint8_t type);
const char *ssgw_isup_param_name(uint8_t code);
/* Q.850 cause value name ("normal_call_clearing"), or NULL when unallocated. */
const char *ssgw_isup_cause_name(unsigned value);
/* Calling party's category name (Q.763 3.11: "ordinary", "payphone"), or NULL. */
const char *ssgw_isup_category_name(unsigned category);

/* A parameter as found in a message: a view into the caller's buffer. */
typedef struct {
    uint8_t code;
    uint8_t part; /* ssgw_isup_part */
    uint8_t len;
    const uint8_t *val;
} ssgw_isup_param;

/*
 * An address parameter (called, calling, redirecting ... generic number). Present when
 * `present`; the indicators a layout does not have are -1.
 */
typedef struct {
    bool present;
    bool odd;      /* odd number of address signals */
    uint8_t nai;   /* nature of address indicator (7 bits): 3 national, 4 international */
    int8_t npi;    /* numbering plan indicator (3 bits): 1 = E.164; -1 for subsequent number */
    int8_t inn_ni; /* INN indicator (called) or NI indicator (calling, generic) */
    int8_t presentation; /* address presentation restricted indicator: 0 allowed, 1 restricted,
                            2 address not available, 3 reserved */
    int8_t screening;    /* 0 user provided not verified, 1 user provided verified and passed,
                            2 user provided verified and failed, 3 network provided */
    int16_t qualifier;   /* number qualifier indicator of a generic number (Q.763 3.26) */
    char digits[SSGW_ISUP_DIGITS_CAP]; /* address signals 0-9, A-E, F (= ST), as Wireshark shows */
} ssgw_isup_number;

/* What a policy reads from one message. Integers are -1 when the parameter is absent. */
typedef struct {
    ssgw_isup_number called;          /* IAM */
    ssgw_isup_number subsequent;      /* SAM */
    ssgw_isup_number calling;         /* IAM, INF */
    ssgw_isup_number redirecting;     /* IAM */
    ssgw_isup_number original_called; /* IAM */
    ssgw_isup_number redirection;     /* redirection number (ACM, CPG, REL) */
    ssgw_isup_number location;        /* location number (IAM) */
    ssgw_isup_number connected;       /* connected number (ANM, CON) */
    unsigned n_generic;
    ssgw_isup_number generic[SSGW_ISUP_MAX_GENERIC];
    int calling_category;      /* Q.763 3.11 */
    int tmr;                   /* transmission medium requirement */
    int nci;                   /* nature of connection indicators (octet) */
    int fci;                   /* forward call indicators, octet 1 << 8 | octet 2 */
    int bci;                   /* backward call indicators, octet 1 << 8 | octet 2 */
    int redirecting_indicator; /* redirection information (Q.763 3.45) */
    int original_redirection_reason;
    int redirection_counter;
    int redirection_reason;
    int cause_value; /* cause indicators (Q.850): value, location, coding */
    int cause_location;
    int cause_coding;
    int event;            /* event information: indicator (1 alerting, 2 progress...) */
    int event_restricted; /* its presentation restricted bit */
    int range;            /* range and status: range (circuits - 1) */
    int cgsmti;           /* circuit group supervision message type (0 maintenance,
                             1 hardware failure) */
    int suspend_resume;   /* 0 ISDN subscriber initiated, 1 network initiated */
    int hop_counter;
    bool param_compat;  /* parameter compatibility information present */
    bool app_transport; /* application transport parameter present */
    unsigned n_app_transport;
} ssgw_isup_fields;

typedef struct {
    const uint8_t *buf; /* the message, from the CIC */
    size_t len;
    uint16_t cic;
    uint8_t type;
    const ssgw_isup_msg_def *def; /* NULL: a type Q.763 does not allocate (only CIC + type read) */
    bool optional_part;           /* an optional part was present (pointer != 0) */
    unsigned nparams;             /* views in params[] (every part, in message order) */
    bool params_truncated;        /* more than SSGW_ISUP_MAX_PARAMS: fields still decoded */
    ssgw_isup_param params[SSGW_ISUP_MAX_PARAMS];
    ssgw_isup_fields f;
} ssgw_isup_msg;

/*
 * Decodes one ISUP message (from the CIC). Returns 0, or -1 with err (layer ISUP, the
 * parameter's name as field, offset from buf) on: a message shorter than its fixed part,
 * a pointer outside the message or pointing into the part before it, a length beyond the
 * end, an optional part without its end octet, a parameter shorter than its minimum or
 * a fixed one of the wrong length, a mandatory parameter in the optional part, a
 * repeated parameter that may appear once, a number with more than SSGW_ISUP_DIGITS_MAX
 * digits or whose odd/even indicator contradicts its length, a range and status whose
 * status field does not match the range, octets after the last part. The 4 spare bits of
 * the CIC's second octet are ignored (national variants use them). An unallocated
 * message type, or one whose format is a national matter, is not an error: m->def is
 * NULL (or opaque) and only CIC and type are read.
 */
int ssgw_isup_decode(const uint8_t *buf, size_t len, ssgw_isup_msg *m, ssgw_error *err);

/* First parameter with this code, or NULL. */
const ssgw_isup_param *ssgw_isup_find(const ssgw_isup_msg *m, uint8_t code);

/* Decodes one address parameter value of the given layout into *out. Returns 0 or -1. */
int ssgw_isup_number_decode(const uint8_t *val, size_t len, ssgw_isup_num_layout layout,
                            ssgw_isup_number *out, ssgw_error *err);

/* Clears n: not present, indicators -1. */
void ssgw_isup_number_init(ssgw_isup_number *n);
/* Sets digits (0-9, A-F), nai and npi; presentation and screening 0, INN/NI 0. */
void ssgw_isup_number_set(ssgw_isup_number *n, const char *digits, uint8_t nai, uint8_t npi);

/* --- encoding ------------------------------------------------------------------------ */

/*
 * Builds the message: the table's fixed parameters in order (each must be given, with
 * its fixed length), the variable ones (pointers, then length + value), then every
 * other given parameter in the order given, in the optional part (refused when the type
 * has none). Appends to out. Returns 0, or -1 with err (layer ISUP) on an unknown
 * type, a CIC above 4095, a missing mandatory parameter, a wrong fixed length, a
 * parameter the type cannot carry, a pointer that would exceed 255, or overflow.
 */
int ssgw_isup_encode(ssgw_buf *out, uint16_t cic, uint8_t type, const ssgw_isup_param *params,
                     size_t n, ssgw_error *err);

/* Collects parameters (their values copied into mem) for ssgw_isup_encode. */
#define SSGW_ISUP_BUILD_MEM 512
typedef struct {
    ssgw_isup_param p[SSGW_ISUP_MAX_PARAMS];
    unsigned n;
    uint8_t mem[SSGW_ISUP_BUILD_MEM];
    size_t used;
    bool overflow; /* a value did not fit: encoding refuses */
} ssgw_isup_builder;

void ssgw_isup_builder_init(ssgw_isup_builder *b);
/* Adds a parameter with its value octets. Returns 0, or -1 (overflow set). */
int ssgw_isup_add(ssgw_isup_builder *b, uint8_t code, const uint8_t *val, size_t len);
int ssgw_isup_add_u8(ssgw_isup_builder *b, uint8_t code, uint8_t v);
/* Two octets, v >> 8 first (forward / backward call indicators, information indicators). */
int ssgw_isup_add_u16(ssgw_isup_builder *b, uint8_t code, uint16_t v);
/* An address parameter in the layout of its code (table). Returns 0, or -1 on a digit
 * outside 0-9 A-F, too many digits, a code that is not an address, or overflow. */
int ssgw_isup_add_number(ssgw_isup_builder *b, uint8_t code, const ssgw_isup_number *n);
/* The parameters of a basic international call's IAM (Q.764 2.1): nature of connection
 * 0, forward call indicators 0x6001 (international call, ISUP all the way), calling
 * party's category 10 (ordinary subscriber), transmission medium requirement 0 (speech),
 * the called party number and, when calling is not NULL, the calling party number with
 * the screening indicator (both international, ISDN numbering plan). Returns 0, or -1
 * (see ssgw_isup_add_number). */
int ssgw_isup_add_basic_iam(ssgw_isup_builder *b, const char *called, const char *calling,
                            int screening);
/* Cause indicators: ITU-T coding, location (4 bits) and cause value (7 bits). */
int ssgw_isup_add_cause(ssgw_isup_builder *b, uint8_t location, uint8_t value);
/* Redirection information (Q.763 3.45). */
int ssgw_isup_add_redirection_info(ssgw_isup_builder *b, uint8_t indicator, uint8_t original_reason,
                                   uint8_t counter, uint8_t reason);
/* Range and status: range (circuits - 1) and, when with_status, one status bit per
 * circuit (bit i of status_bits for circuit i, up to 32 circuits). */
int ssgw_isup_add_range_status(ssgw_isup_builder *b, uint8_t range, bool with_status,
                               uint32_t status_bits);

int ssgw_isup_builder_encode(const ssgw_isup_builder *b, ssgw_buf *out, uint16_t cic, uint8_t type,
                             ssgw_error *err);

#endif
