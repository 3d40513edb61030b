/*
 * gen_int.h - internal: the generator's users besides MAP (gen_users.c, issue 11),
 * called by gen.c. Not installed.
 */
#ifndef SSGW_SIM_GEN_INT_H
#define SSGW_SIM_GEN_INT_H

#include "ssgw/gen.h"
#include "ssgw/sccp.h"

/* The user of message `index` among the SSGW_GEN_USER_* bits of users (0: MAP), and its
 * index k among that user's messages. */
void ssgw_gen_pick_user(unsigned users, uint64_t index, unsigned *user, uint64_t *k);

/* The SCCP user data of message k of a user other than MAP: CAP or ANSI TCAP, or an SCCP
 * management message. Returns 0, or -1 with err. */
int ssgw_gen_user_data(ssgw_rng *r, unsigned user, uint64_t k, const ssgw_gen_opts *opts,
                       ssgw_buf *out, ssgw_gen_info *info, ssgw_error *err);

/* Sets the SSNs, message type and protocol class that user's messages travel with. */
void ssgw_gen_user_sccp(ssgw_rng *r, unsigned user, ssgw_sccp_msg *s);

#endif
