/*
 * map_schema.h - internal: the MAP parameter shapes shared by the decoder
 * (map_params.c) and the encoders (map_encode.c).
 *
 * Each operation/component kind has one or more shapes (the outer tag of the
 * parameter, the MAP versions it belongs to, and the element list of its
 * contents), listed in the operation's row of map_ops.def. An element names the ASN.1 component,
 * its tag, for untagged OCTET STRING/SEQUENCE components its position among the siblings with the
 * same universal tag, how to read it, and which ssgw_map_fields member it
 * fills. Elements that policy does not need are simply not listed: the
 * decoder skips them, which is also how extensions are tolerated.
 */
#ifndef SSGW_WIRE_MAP_SCHEMA_H
#define SSGW_WIRE_MAP_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "ssgw/map.h"

typedef enum {
    MK_END = 0,
    MK_IMSI,      /* TBCD-STRING (SIZE (3..8)) */
    MK_ADDR,      /* AddressString / ISDN-AddressString */
    MK_HEX,       /* OCTET STRING kept as hex (LMSI, TMSI) */
    MK_TBCD,      /* IMEI */
    MK_SSCODE,    /* SS-Code, one octet */
    MK_DCS,       /* USSD-DataCodingScheme, one octet */
    MK_USSD,      /* USSD-String, decoded per the DCS seen before it */
    MK_INT,       /* INTEGER */
    MK_CGI,       /* [n] CellGlobalIdOrServiceAreaIdOrLAI (explicit CHOICE) */
    MK_REQINFO,   /* RequestedInfo: a SEQUENCE of flags */
    MK_SUBSTATE,  /* [n] SubscriberState (explicit CHOICE) */
    MK_SEQ,       /* constructed: the sub-list in order */
    MK_WRAP,      /* explicit tag around a CHOICE: exactly one of the sub-list */
    MK_CHOICE,    /* untagged CHOICE: one of the sub-list at this level */
    MK_SKIP,      /* not read; encoded from def when mandatory */
    MK_NODENUM,   /* networkNode-Number: MSC number, or SGSN number with gprsNodeIndicator */
    MK_GPRSNODE,  /* gprsNodeIndicator NULL */
    MK_ADDNUM,    /* [n] Additional-Number CHOICE { msc-Number [0], sgsn-Number [1] } */
    MK_TRIPLET,   /* AuthenticationTriplet SEQUENCE { rand, sres, kc }: written from the IMSI
                     and nth (plausible, deterministic bytes); read: shape only */
    MK_QUINTUPLET /* AuthenticationQuintuplet SEQUENCE { rand, xres, ck, ik, autn }: likewise */
} map_kind;
/* sm-RP-UI SignalInfo: kept as a view (sm_rp_ui); written from it, or from def */
enum { MK_SMRPUI = MK_QUINTUPLET + 1 };

typedef enum {
    MT_NONE = 0,
    MT_IMSI,
    MT_MSISDN,
    MT_VLR,
    MT_MSC,
    MT_HLR,
    MT_SGSN,
    MT_GSMSCF,
    MT_GMSC,
    MT_SMSC,
    MT_FTN,
    MT_ROAM,
    MT_MLC,
    MT_LMSI,
    MT_TMSI,
    MT_IMEI,
    MT_SS,
    MT_DCS,
    MT_USSD,
    MT_CELL,
    MT_AGE,
    MT_REQINFO,
    MT_SUBSTATE
} map_target;

enum {
    MF_MAND = 1,     /* mandatory: missing -> decode error; encode needs a value or def */
    MF_ENC = 2,      /* the encoder needs it (selects between shapes), the decoder does not */
    MF_DEC_ONLY = 4, /* read when present, never written */
    MF_CONS = 8      /* MK_SKIP default is constructed */
};
/* sm-RP-DA/OA alternatives: the TPDU goes towards the MS / comes from it (sm_rp_dir); an
 * sm-RP-DA alternative (MF_SM_DA) decides over an sm-RP-OA one, as the node routes by it */
enum { MF_SM_TO_MS = 16, MF_SM_FROM_MS = 32, MF_SM_DA = 64 };

typedef struct map_elem {
    const char *name; /* ASN.1 component name, used as error field */
    uint8_t cls;
    uint8_t tag;
    uint8_t nth; /* 1-based position among same-tag siblings; 0 = any */
    uint8_t kind;
    uint8_t target;
    uint8_t flags;
    uint8_t minlen, maxlen; /* for MK_HEX */
    const struct map_elem *sub;
    const uint8_t *def; /* contents written when there is no value */
    uint8_t deflen;
} map_elem;

typedef struct {
    uint8_t cls, tag, cons;
    uint8_t minv, maxv;   /* MAP versions (application-context version) of this shape */
    const map_elem *root; /* contents list, or the single leaf of a primitive shape; NULL:
                             the operation has no parameter in these versions (the encoder
                             writes nothing, the decoder never picks this shape) */
} map_shape;

/* The shapes of one operation's argument or result (map_ops.def, schema column). */
typedef struct {
    const map_shape *shapes;
    uint8_t n_shapes;
} map_opdef;

/* The shapes for opcode/kind, or NULL. */
const map_opdef *ssgw_map_schema_find(int opcode, int kind);

/* Member accessors shared by both directions. */
static inline ssgw_map_addr *map_target_addr(ssgw_map_fields *f, int t)
{
    switch (t) {
    case MT_MSISDN:
        return &f->msisdn;
    case MT_VLR:
        return &f->vlr_number;
    case MT_MSC:
        return &f->msc_number;
    case MT_HLR:
        return &f->hlr_number;
    case MT_SGSN:
        return &f->sgsn_number;
    case MT_GSMSCF:
        return &f->gsmscf_address;
    case MT_GMSC:
        return &f->gmsc_address;
    case MT_SMSC:
        return &f->smsc_address;
    case MT_FTN:
        return &f->forwarded_to_number;
    case MT_ROAM:
        return &f->roaming_number;
    case MT_MLC:
        return &f->mlc_number;
    default:
        return NULL;
    }
}

static inline char *map_target_str(ssgw_map_fields *f, int t, size_t *cap)
{
    switch (t) {
    case MT_IMSI:
        *cap = sizeof f->imsi;
        return f->imsi;
    case MT_LMSI:
        *cap = sizeof f->lmsi;
        return f->lmsi;
    case MT_TMSI:
        *cap = sizeof f->tmsi;
        return f->tmsi;
    case MT_IMEI:
        *cap = sizeof f->imei;
        return f->imei;
    case MT_SS:
        *cap = sizeof f->ss_code;
        return f->ss_code;
    case MT_USSD:
        *cap = sizeof f->ussd_string;
        return f->ussd_string;
    case MT_CELL:
        *cap = sizeof f->cell_id;
        return f->cell_id;
    case MT_REQINFO:
        *cap = sizeof f->requested_info;
        return f->requested_info;
    case MT_SUBSTATE:
        *cap = sizeof f->subscriber_state;
        return f->subscriber_state;
    default:
        *cap = 0;
        return NULL;
    }
}

/* RequestedInfo flags in ASN.1 declaration order (TS 29.002 17.7.1 MAP-MS-DataTypes). */
typedef struct {
    uint8_t tag;
    const char *name;
} map_reqinfo_flag;
extern const map_reqinfo_flag ssgw_map_reqinfo_flags[];
extern const size_t ssgw_map_reqinfo_nflags;

/* Hex helpers. */
int ssgw_map_hex_encode(const uint8_t *p, size_t n, char *out, size_t cap);
int ssgw_map_hex_decode(const char *hex, uint8_t *out, size_t cap);

#endif
