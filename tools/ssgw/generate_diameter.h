/* generate_diameter.h - `ssgw generate --protocol diameter` (generate_diameter.c). */
#ifndef SSGW_TOOLS_GENERATE_DIAMETER_H
#define SSGW_TOOLS_GENERATE_DIAMETER_H

#include <stdint.h>

typedef struct {
    uint64_t count, seed;
    int transport;        /* SSGW_CAPTURE_TRANSPORT_SCTP or _TCP */
    unsigned chunks;      /* SCTP: DATA chunks per packet (1..16) */
    unsigned per_chunk;   /* SCTP: messages per DATA chunk (1..16) */
    unsigned per_segment; /* TCP: messages per segment (1..16) */
    unsigned split_every; /* TCP: every Nth segment ends inside a message (0: never) */
} ssgw_gen_diameter_opts;

/* Writes the capture; link is a LINKTYPE_ value (IPv6 = Ethernet with IPv6). Returns the
 * exit status (0, or 1 with a message on stderr); *written counts the messages. */
int ssgw_generate_diameter(const char *path, int link, const ssgw_gen_diameter_opts *o,
                           uint64_t *written);

#endif
