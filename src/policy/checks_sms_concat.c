/*
 * checks_sms_concat.c - the segments of a concatenated short message (TS 23.040 9.2.3.24.1,
 * 8-bit reference; 9.2.3.24.8, 16-bit) seen together by sms.url and sms.keyword, so that a
 * link or a listed phrase split between two segments ("https://bit" + ".ly/x") is caught by
 * whichever segment completes it, in any order of arrival.
 *
 * Each segment keeps, in the state store's segment table, the boundary text at either end of
 * its normalised text: as many octets as the longest listed phrase or domain needs to be split
 * anywhere (ssgw_sms_join_octets, at most SSGW_STORE_SEGMENT_WINDOW), never more, for
 * [sms] concat_window seconds. A segment is judged with the previous segment's tail and the
 * next one's head joined to its text; only a match that crosses a join is the joined finding
 * (one inside a segment is that segment's own, and a window cut short could fake one).
 *
 * The key is what the phone joins by: the recipient (IMSI, else MSISDN), the sender (TP-OA as
 * sent), the reference and the total number of segments. Not the sending network or SMSC: a
 * phone joins segments whichever network delivered them, so a split sent through two networks
 * must still be joined. 8- and 16-bit references share one number space (a phone compares
 * the numbers). Hostile headers are counted, never trusted: total 0, sequence 0 or above
 * the total make the receiver ignore the element (9.2.3.24.1), so the segment stands alone
 * and is judged alone; of several concatenation elements the last is used (9.2.3.24: a
 * repeated element's last occurrence counts); a repeated segment with a different text keeps
 * the first copy's boundary (the repeat itself is judged with its neighbours on arrival).
 *
 * Each kept segment is charged to the network that delivered it (a pool of the store, as for
 * the SRI-SM marks): a flood of segments from one network cannot push out another's live
 * ones ([state] network_share).
 *
 * The text is private: the boundary text lives only in this process's memory (a shared
 * Redis store keeps segment records in its local store: the segments of one message that
 * arrive through the other gateway of a pair are not joined) and is forgotten after the
 * window; a reason names the listed item, never the text.
 */
#include <string.h>

#include "policy/sms_concat.h"

size_t ssgw_sms_join_octets(const ssgw_policy *p)
{
    size_t w = 0;
    char kw[SSGW_STORE_SEGMENT_WINDOW + 1];
    for (size_t i = 0; i < p->sms_keywords.n; i++) {
        size_t n = ssgw_sms_phrase_norm(p->sms_keywords.v[i], kw, sizeof kw);
        if (n > w) w = n;
    }
    /* a split domain needs the character before it (a '.' or not) on the tail side and
     * the one after it (an '@', more host) on the head side */
    for (size_t i = 0; i < p->sms_url_domains.n; i++) {
        size_t n = strlen(p->sms_url_domains.v[i]) + 1;
        if (n > w) w = n;
    }
    return w < SSGW_STORE_SEGMENT_WINDOW ? w : SSGW_STORE_SEGMENT_WINDOW;
}

static void count(ssgw_store *s, ssgw_store_segment_outcome o)
{
    if (s->ops->segment_count) s->ops->segment_count(s, o);
}

/* Appends n octets of from to j->buf, one ' ' dropped where two would meet. */
static void append(sms_joined *j, const char *from, size_t n)
{
    if (n && from[0] == ' ' && j->len && j->buf[j->len - 1] == ' ') {
        from++;
        n--;
    }
    memcpy(j->buf + j->len, from, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

int ssgw_sms_concat_join(ssgw_check_ctx *cx, const ssgw_sms_tpdu *t, const char *text,
                         sms_joined *j)
{
    const ssgw_policy *p = cx->p;
    ssgw_store *s = cx->store;
    size_t w = p->sms_join_octets;
    j->len = 0;
    j->buf[0] = '\0';
    j->join[0] = j->join[1] = SMS_JOIN_NONE;
    j->end_cut = false;
    if (!t->concat || !p->sms_concat_window || !w || !s->ops->segment_get || !s->ops->segment_put)
        return 0;
    /* the first check to ask keeps the segment and counts; the next one only joins */
    bool first = cx->sms_state == 1;
    if (first) cx->sms_state = 2;
    unsigned ref = t->concat_ref, total = t->concat_total, seq = t->concat_seq;
    /* of several concatenation elements the decoder kept the last, as the receiver does */
    if (t->n_concat > 1 && first) count(s, SSGW_SEGMENT_SEVERAL_IE);
    if (total == 0 || seq == 0 || seq > total) {
        if (first) count(s, SSGW_SEGMENT_IGNORED_IE);
        return 0;
    }
    if (total == 1) return 0; /* a message of one segment: nothing to join */
    uint64_t recipient = 0;
    if (ssgw_check_need_map(cx) == 0)
        recipient = cx->imsi_key ? cx->imsi_key : ssgw_store_pack_digits(cx->v->map.msisdn.digits);
    if (!recipient) {
        if (first) count(s, SSGW_SEGMENT_UNKEYED);
        return 0;
    }
    uint64_t sender = fnv1a_str(SSGW_FNV1A_BASIS, t->oa.text); /* TP-OA as sent (+ TON) */
    uint64_t key =
        ssgw_store_mix(ssgw_store_mix(recipient, sender ^ t->oa.ton), (uint64_t)ref << 16 | total);
    uint32_t window = (uint32_t)p->sms_concat_window;
    j->ref = ref;
    j->seq = seq;
    j->total = total;

    ssgw_store_segment prev, next, own;
    bool has_prev = seq > 1 && s->ops->segment_get(s, ssgw_store_mix(key, seq - 1), cx->now_s,
                                                   window, &prev) == 1;
    bool has_next = seq < total && s->ops->segment_get(s, ssgw_store_mix(key, seq + 1), cx->now_s,
                                                       window, &next) == 1;
    if (has_prev) {
        append(j, prev.tail, prev.tail_len);
        j->join[0] = j->len;
    }
    size_t own_from = j->len;
    append(j, text, strlen(text));
    size_t own_to = j->len;
    if (has_next) {
        j->join[1] = j->len;
        append(j, next.head, next.head_len);
        j->end_cut = next.head_cut;
    }

    if (first) {
        uint64_t own_key = ssgw_store_mix(key, seq);
        /* tells a repeat with another text from a retransmission */
        uint32_t h = (uint32_t)fnv1a_str(SSGW_FNV1A_BASIS, text);
        if (s->ops->segment_get(s, own_key, cx->now_s, window, &own) == 1) {
            count(s, own.text_hash == h ? SSGW_SEGMENT_REPEATED : SSGW_SEGMENT_CONFLICT);
        } else {
            memset(&own, 0, sizeof own);
            own.time = cx->now_s;
            own.text_hash = h;
            /* tail: the last w octets up to this segment's end (the previous segment's
             * with it when this one is shorter); head: the first w from its start on */
            size_t ts = own_to > w ? own_to - w : 0, hl = j->len - own_from;
            own.tail_len = (uint8_t)(own_to - ts);
            memcpy(own.tail, j->buf + ts, own.tail_len);
            own.head_len = (uint8_t)(hl < w ? hl : w);
            memcpy(own.head, j->buf + own_from, own.head_len);
            own.head_cut = hl > w || (has_next && next.head_cut);
            own.pool = ssgw_check_peer_network(cx);
            own.life_s = window;
            s->ops->segment_put(s, own_key, &own);
            count(s, SSGW_SEGMENT_KEPT);
        }
        if (has_prev || has_next) count(s, SSGW_SEGMENT_JOINED);
    }
    return has_prev || has_next;
}
