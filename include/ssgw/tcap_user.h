/*
 * tcap_user.h - one question for every TCAP user: which protocol and which
 * operation is this component?
 *
 * A local operation code means nothing by itself: 23 is updateGprsLocation in
 * MAP and requestReportBCSMEvent in CAP; ANSI TCAP carries ANSI-41 operations
 * as (family, specifier). The view (include/ssgw/view.h) decides once per
 * message which TCAP user the dialogue belongs to (ssgw_view.tcap_user, and
 * how it knows: tcap_user_basis), and ssgw_view_tcap_op() answers for each
 * component from that user's table (src/wire/map_ops.def, cap_ops.def,
 * ansi41_ops.def): the symbolic id, the family every version of the operation
 * shares, whether the dialogue's context carries it, and the table column a
 * policy classifies it by. Nothing here is policy: "not in a table",
 * "global opcode" and "not in this context" are facts the firewall decides
 * about.
 */
#ifndef SSGW_TCAP_USER_H
#define SSGW_TCAP_USER_H

#include <stdbool.h>

/* Which protocol the components of a TCAP message belong to. */
typedef enum {
    SSGW_TCU_NONE = 0, /* no TCAP in the message (or it did not decode) */
    SSGW_TCU_MAP,      /* GSM MAP, TS 29.002 */
    SSGW_TCU_CAP,      /* CAMEL Application Part, TS 29.078 */
    SSGW_TCU_ANSI41,   /* ANSI TCAP carrying ANSI-41 (TIA/EIA-41) operations */
    SSGW_TCU_UNKNOWN,  /* a TCAP user no table knows: another application context (INAP,
                          a private one), or ANSI TCAP of another operation family */
    SSGW_TCU_COUNT
} ssgw_tcap_user;

/* "none", "map", "cap", "ansi-41", "unknown". */
const char *ssgw_tcap_user_name(ssgw_tcap_user u);

/* How the view knows the user. */
typedef enum {
    SSGW_TCU_BY_NONE = 0, /* no TCAP */
    SSGW_TCU_BY_CONTEXT,  /* the dialogue portion names the application context */
    SSGW_TCU_BY_SSN,      /* no context named; an SCCP subsystem of the user (146: CAP;
                             ANSI TCAP without operation codes: 5-14, ANSI-41's) */
    SSGW_TCU_BY_DEFAULT,  /* no context named and no other user's subsystem: MAP assumed
                             (MAP v1 dialogues, Continue and End after the first answer) */
    SSGW_TCU_BY_OPCODE,   /* ANSI TCAP: the operation family of its components */
    SSGW_TCU_BY_COUNT
} ssgw_tcu_basis;

/* "none", "context", "ssn", "default", "opcode". */
const char *ssgw_tcu_basis_name(ssgw_tcu_basis b);

/* Which column of its user's table classifies an operation (ssgw_tcap_op.class_value). */
typedef enum {
    SSGW_TCOP_CLASS_NONE = 0,      /* the operation is in no table: unclassified */
    SSGW_TCOP_CLASS_FS11,          /* MAP: the GSMA FS.11 class (ssgw_map_fs11) */
    SSGW_TCOP_CLASS_CAP_DIRECTION, /* CAP: who invokes it (ssgw_cap_direction) */
    SSGW_TCOP_CLASS_ANSI41,        /* ANSI-41: named by the table, no class published (0) */
    SSGW_TCOP_CLASS_COUNT
} ssgw_tcop_class_src;

/* "none", "fs11", "cap-direction", "ansi-41". */
const char *ssgw_tcop_class_src_name(ssgw_tcop_class_src s);

/* One component's operation, as its user's table knows it. */
typedef struct {
    ssgw_tcap_user user;
    int code;         /* the local operation code (ANSI: the operation specifier); -1 none */
    bool global;      /* ITU: a globalValue (OID) code, which no table names */
    int id;           /* the table's symbolic id (ssgw_map_opcode, ssgw_cap_opcode,
                         ssgw_ansi41_op); -1 when the code is not in the user's table */
    int family;       /* id of the operation's family (every version of it), -1 with id */
    const char *name; /* the ASN.1 / standard name, NULL with id -1 */
    const char *family_name;
    int in_context; /* 1: the dialogue's application context carries it; 0: it does not;
                       -1: nothing to judge by (no context named, ANSI TCAP) */
    ssgw_tcop_class_src class_src;
    int class_value;        /* in the enum class_src names */
    const char *class_name; /* "cat1", "to-scf", ...; NULL when class_src is NONE */
} ssgw_tcap_op;

#endif
