/*
 * peer_isup.h - the ISUP side of `ssgw peer` (src/sim/peer_isup.c): the exchange that
 * originates calls (IAM per circuit, REL once answered, RLC to every REL) and the
 * exchange that terminates them (ACM and ANM to an IAM for its numbers). Not a public
 * header: peer.c uses it.
 */
#ifndef SSGW_SIM_PEER_ISUP_H
#define SSGW_SIM_PEER_ISUP_H

#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/peer.h"
#include "ssgw/view.h"

/* The i-th call's IAM (CIC o->cic + i modulo 4096, SLS its 4 low bits) as an M3UA DATA
 * from o->opc to o->dpc. Returns 0 or -1. */
int ssgw_peer_isup_iam(const ssgw_peer_opts *o, uint64_t i, ssgw_buf *out);

/* What the peer answers to the ISUP message v: ACM + ANM to an IAM whose called number
 * starts with one of o->exchange, REL (normal clearing) to an ANM/CON when it originates
 * calls, RLC to a REL. Writes up to n messages into outs; returns how many. */
size_t ssgw_peer_isup_react(const ssgw_peer_opts *o, const ssgw_view *v, ssgw_buf *outs, size_t n);

#endif
