/*
 * sms_concat.h - the text around one segment of a concatenated short message (TS 23.040
 * 9.2.3.24.1 / .8): its neighbours' boundary text joined to its own, for sms.url and
 * sms.keyword (checks_sms.c) to find a link or phrase split between segments. Kept by
 * checks_sms_concat.c in the state store's segment records.
 */
#ifndef SSGW_POLICY_SMS_CONCAT_H
#define SSGW_POLICY_SMS_CONCAT_H

#include "policy/policy_int.h"

#define SMS_JOIN_NONE ((size_t)-1)

typedef struct {
    /* the previous segment's tail, this segment's text, the next one's head; NUL-terminated */
    char buf[2 * SSGW_STORE_SEGMENT_WINDOW + SSGW_SMS_TEXT_CAP + 4];
    size_t len;
    size_t join[2]; /* where this segment's text begins (after the previous one's tail) and
                       where the next one's head begins; SMS_JOIN_NONE: that one unknown */
    bool end_cut;   /* buf ends inside a longer text (the next segment's head was cut) */
    unsigned ref, seq, total;
} sms_joined;

/*
 * Joins the boundary text of the segments either side of segment t (its normalised text
 * `text`) into j, keeping t's own boundary text the first time a message asks (counted
 * outcomes: ssgw_store_segment_outcome). Returns 1 when a neighbour was joined on, 0 when
 * t is judged alone (not concatenated, [sms] concat_window 0, nothing listed, an element
 * the receiver ignores, no recipient, no neighbour seen yet, a store without segments).
 */
int ssgw_sms_concat_join(ssgw_check_ctx *cx, const ssgw_sms_tpdu *t, const char *text,
                         sms_joined *j);

/* Which joins the match buf[a, b) crosses: bit 0 the previous segment's, bit 1 the next's. */
static inline unsigned sms_joined_crosses(const sms_joined *j, size_t a, size_t b)
{
    unsigned m = 0;
    for (unsigned i = 0; i < 2; i++)
        if (j->join[i] != SMS_JOIN_NONE && a < j->join[i] && b > j->join[i]) m |= 1u << i;
    return m;
}

#endif
