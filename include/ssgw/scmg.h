/*
 * scmg.h - SCCP management messages (ITU-T Q.713 clause 5.3), the SCCP user
 * on subsystem number 1: SSA (subsystem allowed), SSP (subsystem prohibited),
 * SST (subsystem status test), SOR / SOG (subsystem out-of-service request /
 * grant) and SSC (SCCP/subsystem congested). Carried in UDT/XUDT between the
 * SCCP management entities (called and calling SSN 1). An SSP from a stranger
 * takes a subsystem (an HLR, an SMSC) off the air for its partners: a firewall
 * wants it named, not mistaken for a broken TCAP message.
 *
 * Format (Q.713 5.3.1): format identifier (1 octet), affected SSN (1),
 * affected point code (2 octets, ITU 14 bits, least significant octet first,
 * as the SCCP address's), subsystem multiplicity indicator (1, bits 2-1), and
 * for SSC the congestion level (1, bits 4-1).
 */
#ifndef SSGW_SCMG_H
#define SSGW_SCMG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"

/* The SCCP management subsystem (Q.713 3.4.2.2). */
#define SSGW_SCMG_SSN 1

/* Q.713 table 23: format identifiers. */
typedef enum {
    SSGW_SCMG_SSA = 0x01,
    SSGW_SCMG_SSP = 0x02,
    SSGW_SCMG_SST = 0x03,
    SSGW_SCMG_SOR = 0x04,
    SSGW_SCMG_SOG = 0x05,
    SSGW_SCMG_SSC = 0x06,
} ssgw_scmg_type;

typedef struct {
    uint8_t type; /* ssgw_scmg_type */
    uint8_t ssn;  /* affected subsystem */
    uint16_t pc;  /* affected point code (14 bits) */
    uint8_t smi;  /* subsystem multiplicity indicator (2 bits) */
    bool has_congestion;
    uint8_t congestion; /* SSC: SCCP congestion level 1..8 (4 bits) */
} ssgw_scmg_msg;

/* "ssa", "ssp", "sst", "sor", "sog", "ssc"; "unknown" otherwise. */
const char *ssgw_scmg_type_name(int type);

/*
 * Decodes the SCCP user data of a message between SCCP management entities.
 * Returns 0, or -1 with err (layer SCMG): an unknown format identifier, a
 * message shorter than its format, or trailing octets.
 */
int ssgw_scmg_decode(const uint8_t *buf, size_t len, ssgw_scmg_msg *out, ssgw_error *err);

/* Appends m (the congestion octet for SSC only). Returns 0, or -1 for an unknown type. */
int ssgw_scmg_encode(ssgw_buf *b, const ssgw_scmg_msg *m);

#endif
