/*
 * cap_schema.h - internal: the CAP argument shapes shared by the decoder
 * (cap_params.c) and the encoder (cap_encode.c), in the manner of
 * map_schema.h: each operation whose argument policy reads has one or more
 * shapes (outer tag, element list); an element names its ASN.1 component, its
 * tag, how to read it and which ssgw_cap_fields member it fills. Elements
 * policy does not need are not listed: the decoder skips them, which is also
 * how extensions are tolerated. Lists are in ASN.1 definition order, which is
 * the order the encoder writes.
 */
#ifndef SSGW_WIRE_CAP_SCHEMA_H
#define SSGW_WIRE_CAP_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/cap.h"

typedef enum {
    CK_END = 0,
    CK_INT,        /* INTEGER / ENUMERATED */
    CK_ISUP_NUM,   /* ISUP number (Q.763 3.9 called, 3.10 calling, 3.30 location): 2 octets, BCD */
    CK_BCD_NUM,    /* TS 24.008 10.5.4.7 called party BCD number: type/plan octet, TBCD */
    CK_ADDR,       /* AddressString / ISDN-AddressString: nature/plan octet, TBCD */
    CK_IMSI,       /* TBCD-STRING (SIZE (3..8)) */
    CK_SEQ,        /* constructed: the sub-list */
    CK_SEQOF,      /* SEQUENCE OF: every item is sub[0] */
    CK_CGI,        /* [n] CellGlobalIdOrServiceAreaIdOrLAI (explicit CHOICE of [0] / [1]) */
    CK_CAUSE,      /* Q.850 cause octets: the cause value */
    CK_BER_OCTETS, /* OCTET STRING whose contents are BER: the sub-list inside */
    CK_SKIP        /* primitive, not read; written from its default when mandatory */
} cap_kind;

typedef enum {
    CT_NONE = 0,
    CT_SERVICE_KEY,
    CT_IMSI,
    CT_MSISDN,
    CT_CALLING,
    CT_CALLED,
    CT_CALLED_BCD,
    CT_LOCATION,
    CT_MSC,
    CT_GMSC,
    CT_VLR,
    CT_SMSC,
    CT_SGSN,
    CT_GSMSCF,
    CT_DRA,
    CT_CELL,
    CT_EVENT_BCSM,
    CT_BCSM_ARMED, /* an item of RequestReportBCSMEvent's list: first also sets CT_EVENT_BCSM */
    CT_EVENT_SMS,
    CT_EVENT_GPRS,
    CT_CAUSE,
    CT_MAX_DURATION
} cap_target;

enum {
    CF_MAND = 1 /* mandatory: missing -> decode error; the encoder needs a value or def */
};

typedef struct cap_elem {
    const char *name; /* ASN.1 component name, used as error field */
    uint8_t cls;
    uint8_t tag;
    uint8_t kind;
    uint8_t target;
    uint8_t flags;
    uint8_t minp, maxp; /* the CAMEL phases that have the element; 0, 0: every phase */
    const struct cap_elem *sub;
    const uint8_t *def; /* contents written when there is no value (mandatory elements) */
    uint8_t deflen;
} cap_elem;

typedef struct {
    uint8_t cls, tag;
    const cap_elem *root; /* a constructed shape's list, or the one leaf of a primitive shape */
    bool leaf;
} cap_shape;

typedef struct {
    int opcode;
    const char *type; /* ASN.1 argument type, the error field of the outer tag */
    const cap_shape *shapes;
    uint8_t n_shapes;
} cap_opdef;

/* The argument shapes of opcode, or NULL. */
const cap_opdef *ssgw_cap_schema_find(int opcode);

/* True when phase (1..4; 0: unknown, read as the latest) has element e. */
static inline bool cap_elem_in_phase(const cap_elem *e, int phase)
{
    int p = phase >= 1 && phase <= 4 ? phase : 4;
    return !e->minp || (p >= e->minp && p <= e->maxp);
}

/* Member accessors shared by both directions. */
char *ssgw_cap_target_str(ssgw_cap_fields *f, int target, size_t *cap);
int *ssgw_cap_target_int(ssgw_cap_fields *f, int target);

#endif
