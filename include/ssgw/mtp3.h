/*
 * mtp3.h - MTP3 (ITU-T) message signal unit: service information octet and
 * routing label (ITU-T Q.704 clauses 2.2 and 14.2), 14-bit point codes.
 *
 * An MSU here is what follows the MTP2 header: SIO (1 octet), the 4-octet
 * routing label, then the user part (e.g. SCCP). The routing label is a 32-bit
 * little-endian word: DPC in bits 0-13, OPC in bits 14-27, SLS in bits 28-31.
 * The SIO holds the service indicator in its low nibble, the network indicator
 * in its top two bits and, in national networks, a message priority in bits
 * 5-4 (spare in the international network).
 *
 * Decoding points into the caller's buffer; nothing is allocated.
 */
#ifndef SSGW_MTP3_H
#define SSGW_MTP3_H

#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"

#define SSGW_MTP3_PC_MAX      0x3fff
#define SSGW_MTP3_LABEL_LEN   4
#define SSGW_MTP3_MSU_MIN_LEN (1 + SSGW_MTP3_LABEL_LEN)

/* Service indicators (Q.704 14.2.1). */
enum {
    SSGW_MTP3_SI_SNM = 0,
    SSGW_MTP3_SI_MTN = 1,
    SSGW_MTP3_SI_MTNS = 2,
    SSGW_MTP3_SI_SCCP = 3,
    SSGW_MTP3_SI_TUP = 4,
    SSGW_MTP3_SI_ISUP = 5
};

/* Network indicators (Q.704 14.2.2). */
enum {
    SSGW_MTP3_NI_INTERNATIONAL = 0,
    SSGW_MTP3_NI_INTERNATIONAL_SPARE = 1,
    SSGW_MTP3_NI_NATIONAL = 2,
    SSGW_MTP3_NI_NATIONAL_SPARE = 3
};

typedef struct {
    uint16_t dpc; /* 14 bits */
    uint16_t opc; /* 14 bits */
    uint8_t sls;  /* 4 bits */
} ssgw_mtp3_label;

typedef struct {
    uint8_t si;       /* service indicator, 4 bits */
    uint8_t ni;       /* network indicator, 2 bits */
    uint8_t priority; /* 2 bits (national use; 0 internationally) */
    ssgw_mtp3_label label;
    const uint8_t *payload; /* user part, points into the buffer */
    size_t payload_len;
} ssgw_mtp3_msu;

/* SIO octet <-> fields. */
uint8_t ssgw_mtp3_sio(uint8_t si, uint8_t ni, uint8_t priority);
void ssgw_mtp3_sio_split(uint8_t sio, uint8_t *si, uint8_t *ni, uint8_t *priority);

/* Routing label: decode needs 4 bytes (-1, "routing label" truncated, otherwise). */
int ssgw_mtp3_label_decode(const uint8_t *buf, size_t len, ssgw_mtp3_label *out, ssgw_error *err);
/* Appends the 4-octet label. Values out of range (pc > 0x3fff, sls > 15) set
 * b->overflow and return -1 rather than being silently truncated. */
int ssgw_mtp3_label_encode(ssgw_buf *b, const ssgw_mtp3_label *l);

/* MSU = SIO + label + payload. Decode fails with "sio" / "routing label"
 * truncated when fewer than 5 bytes are given; an empty payload is allowed. */
int ssgw_mtp3_decode(const uint8_t *buf, size_t len, ssgw_mtp3_msu *out, ssgw_error *err);
/* Appends SIO, label and payload; returns 0 or -1 (overflow or a field out of range). */
int ssgw_mtp3_encode(ssgw_buf *b, const ssgw_mtp3_msu *m);

/* Point code formatting: "z-aaa-s" (3-8-3 bits: zone, area/network, signalling
 * point) and plain decimal. Return snprintf's result. */
int ssgw_mtp3_pc_format_383(uint16_t pc, char *out, size_t outlen);
int ssgw_mtp3_pc_format_dec(uint16_t pc, char *out, size_t outlen);
/* Parses "z-a-s" (3-8-3) or a decimal number into a 14-bit point code;
 * returns 0, or -1 when malformed or out of range. */
int ssgw_mtp3_pc_parse(const char *s, uint16_t *pc);

/* Names: "sccp", "isup", ... and "international", "national" ...; never NULL. */
const char *ssgw_mtp3_si_name(uint8_t si);
const char *ssgw_mtp3_ni_name(uint8_t ni);

#endif
