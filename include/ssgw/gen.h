/*
 * gen.h - synthetic SS7 traffic for tests, samples and benchmarks.
 *
 * ssgw_gen_message() builds message number `index` of a deterministic
 * sequence (same seed, same bytes) that walks every MAP operation of the
 * operation table through every TCAP shape (Begin+AARQ+Invoke, Continue+AARE,
 * End+ReturnResultLast, End+ReturnError, Begin with two invokes and no
 * dialogue, Abort (P-abort and user ABRT), Continue+Reject, Unidirectional+AUDT),
 * varies SCCP (UDT, XUDT, LUDT, UDTS; GTI 1-4 and route-on-SSN addresses) and
 * M3UA (routing context, network appearance), and mixes in M3UA management
 * messages. MAP parameters are random but valid per TS 29.002, produced by the
 * MAP layer's encoders. On request (ssgw_gen_opts.users) it also writes CAP,
 * SCCP management and ANSI TCAP (src/sim/gen_users.c). Nothing here does I/O.
 */
#ifndef SSGW_GEN_H
#define SSGW_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"

typedef struct {
    uint64_t s;
} ssgw_rng;

static inline void ssgw_rng_seed(ssgw_rng *r, uint64_t seed)
{
    r->s = seed;
}
/* splitmix64 */
uint64_t ssgw_rng_next(ssgw_rng *r);
/* Uniform in [0, n) (n > 0). */
uint32_t ssgw_rng_below(ssgw_rng *r, uint32_t n);
/* n random decimal digits after prefix, NUL-terminated into out (cap >= strlen(prefix)+n+1). */
void ssgw_rng_digits(ssgw_rng *r, const char *prefix, size_t n, char *out, size_t cap);
/* A number: one of n_prefixes prefixes, then min_digits + [0, spread) random digits. Values are
 * drawn one statement at a time: C leaves the order of a call's arguments unspecified, and a seed
 * must give the same capture whatever the compiler (gcc and clang order them differently). */
void ssgw_rng_number(ssgw_rng *r, const char *const *prefixes, uint32_t n_prefixes,
                     size_t min_digits, uint32_t spread, char *out, size_t cap);

typedef struct {
    bool management; /* an M3UA management message, not DATA */
    int opcode;      /* MAP opcode of the first component, -1 if none */
    int tcap_type;   /* ssgw_tcap_msg_type, 0 if none */
    int sccp_type;   /* ssgw_sccp_msg_type, 0 if none */
    uint8_t sls;
    int isup_type; /* ISUP message type (ssgw_gen_isup_message), 0 otherwise */
    int sms_type;  /* ssgw_sms_type + 1 of the TPDU (ssgw_gen_sms_message), 0 otherwise */
    unsigned user; /* SSGW_GEN_USER_* of the message (issue 11); opcode is that user's code */
} ssgw_gen_info;

/* The SCCP / TCAP users the generator writes (issue 11): bits of ssgw_gen_opts.users. */
enum {
    SSGW_GEN_USER_MAP = 1,  /* MAP over ITU TCAP (the default) */
    SSGW_GEN_USER_CAP = 2,  /* CAP phases 1-4 over ITU TCAP, SSN 146, every context */
    SSGW_GEN_USER_SCMG = 4, /* SCCP management (SSA, SSP, SST, SOR, SOG, SSC) on SSN 1 */
    SSGW_GEN_USER_ANSI = 8, /* ANSI TCAP carrying ANSI-41 operations, SSN 6/7 */
};

typedef struct {
    unsigned management_every; /* one M3UA management message every N (0 = never); default 40 */
    bool sccp_variety;         /* vary SCCP type and address forms (default true) */
    unsigned users;            /* SSGW_GEN_USER_* bits; 0 or MAP alone: MAP traffic as always.
                                  Several: message i is of the (i mod n)-th user chosen */
    bool ansi_empty_params;    /* ANSI-41 invokes carry an empty parameter set (so that a
                                  decoder names the operation; ANSI-41 then misses its
                                  mandatory parameters); default: no parameter */
} ssgw_gen_opts;

void ssgw_gen_opts_default(ssgw_gen_opts *o);

/* Builds the M3UA message for index. Returns 0, or -1 with err set (encoder refusal). */
int ssgw_gen_message(uint64_t seed, uint64_t index, const ssgw_gen_opts *opts, ssgw_buf *out,
                     ssgw_gen_info *info, ssgw_error *err);

/*
 * Builds just the TCAP message of the sequence's entry `index` (the SCCP user
 * data), with the SCCP addresses it would travel with. Used by the SCCP
 * segmentation tests and the trust layer.
 */
int ssgw_gen_tcap(uint64_t seed, uint64_t index, ssgw_buf *out, ssgw_gen_info *info,
                  ssgw_error *err);

/* --- Diameter (src/sim/gen_diameter.c) ---------------------------------------------------- */

typedef struct {
    uint32_t code;   /* command code */
    uint32_t app_id; /* 0 or SSGW_DIAM_APP_S6A */
    bool request;
    bool from_hss; /* sent by the HSS (home network) to the MME (visited network) */
} ssgw_gen_diam_info;

/*
 * Builds Diameter message number `index` of a deterministic sequence (same seed,
 * same bytes): pairs of a request (even index) and its answer (odd index) walking
 * every command of the dictionary (CER/CEA, DWR/DWA, DPR/DPA, and S6a/S6d ULR/ULA,
 * CLR/CLA, AIR/AIA, IDR/IDA, DSR/DSA, PUR/PUA, RSR/RSA, NOR/NOA), with answers that
 * succeed, fail with an Experimental-Result or carry a protocol error (E bit), and
 * requests relayed through agents (Route-Record, Proxy-Info). Appends the message to
 * out. Returns 0, or -1 with err when out is too small.
 */
int ssgw_gen_diameter(uint64_t seed, uint64_t index, ssgw_buf *out, ssgw_gen_diam_info *info,
                      ssgw_error *err);

/* --- ISUP (src/sim/gen_isup.c) ------------------------------------------------------ */

/*
 * Builds ISUP message `index` (M3UA DATA, service indicator 5): the sequence walks every
 * message type of the ISUP table except the national-format ones (PAM, CRG, SDN), a call
 * first, one circuit (CIC) per pass, with random valid parameters. Returns 0, or -1 with
 * err (an encoder refusal).
 */
int ssgw_gen_isup_message(uint64_t seed, uint64_t index, ssgw_buf *out, ssgw_gen_info *info,
                          ssgw_error *err);
/* The message types of the walk, in order (*types may be NULL); returns their count. */
size_t ssgw_gen_isup_types(const uint8_t **types);

/* --- MAP short messages with real TPDUs (src/sim/gen_sms.c) ---------------------------- */

/*
 * Builds message `index` of a sequence of MAP short-message operations carrying SMS
 * TPDUs: mt-forwardSM (v3) with SMS-DELIVER and SMS-STATUS-REPORT and its result with
 * SMS-DELIVER-REPORT, mo-forwardSM (v3) with SMS-SUBMIT and its result with
 * SMS-SUBMIT-REPORT, forwardSM v2 in both directions and v1 (no dialogue portion). The
 * TPDUs cycle through GSM 7-bit, UCS-2 (with characters outside the BMP) and 8-bit data,
 * numeric and alphanumeric originators, concatenation headers (8- and 16-bit references)
 * and application ports, with random texts. M3UA DATA, SCCP UDT. Returns 0 or -1 (err).
 */
int ssgw_gen_sms_message(uint64_t seed, uint64_t index, ssgw_buf *out, ssgw_gen_info *info,
                         ssgw_error *err);
/* The number of shapes the SMS sequence cycles through. */
size_t ssgw_gen_sms_shapes(void);

/* ---- re-framing for the framings probes capture (issue 11) ------------------------------ */

typedef enum {
    SSGW_GEN_FRAMING_M3UA = 0,  /* as generated */
    SSGW_GEN_FRAMING_MTP3,      /* the MSU (link type 141) */
    SSGW_GEN_FRAMING_M2PA,      /* M2PA User Data around the MSU (SCTP PPID 5) */
    SSGW_GEN_FRAMING_M2UA,      /* M2UA MAUP Data around the MSU (SCTP PPID 2) */
    SSGW_GEN_FRAMING_SUA,       /* SUA CLDT with the SCCP parties and data (SCTP PPID 4) */
    SSGW_GEN_FRAMING_MTP2,      /* an MTP2 signal unit (link type 140) */
    SSGW_GEN_FRAMING_MTP2_PHDR, /* the same after Wireshark's MTP2 pseudo-header (139) */
    SSGW_GEN_FRAMING_COUNT
} ssgw_gen_framing;

/* The state a framing keeps across messages: sequence numbers, the interface id. */
typedef struct {
    ssgw_gen_framing framing;
    uint32_t bsn, fsn;   /* M2PA (24 bits), MTP2 (7 bits) */
    unsigned link_units; /* MTP2 / M2PA link-level messages written so far */
} ssgw_gen_reframer;

/*
 * Re-frames generated M3UA message m3ua for rf->framing, appending the frame
 * (MTP3 / MTP2 link types) or the SCTP payload (M2PA, M2UA, SUA) to out.
 * management: the slot held an M3UA management message, which becomes an M2PA
 * Link Status or an MTP2 fill-in / link status unit (and is left out in the
 * framings without an equivalent). Returns 1 when written, 0 when the message
 * has no form in this framing, -1 on an error.
 */
int ssgw_gen_reframe(ssgw_gen_reframer *rf, const uint8_t *m3ua, size_t len, bool management,
                     ssgw_buf *out);

/* SCTP PPID and IANA port of a framing carried over SCTP; M3UA's for the others. */
uint32_t ssgw_gen_framing_ppid(ssgw_gen_framing f);
uint16_t ssgw_gen_framing_port(ssgw_gen_framing f);

#endif
