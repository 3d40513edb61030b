/*
 * tcp_stream.c - M3UA and Diameter over TCP: per-direction stream reassembly
 * (RFC 9293 sequence numbers) and framing by the message length: the M3UA
 * common header's (RFC 4666 section 3.1: version 1, length >= 8, counting the
 * header) or the Diameter header's (RFC 6733 3: version 1, 24-bit length >= 20,
 * a multiple of 4, counting the header).
 *
 * A TCP direction is followed when one of its ports is an M3UA or a Diameter
 * port (limits) or, with tcp_detect_m3ua / tcp_detect_diameter, when its first
 * payload starts with a plausible header of either; the protocol is decided
 * then, per direction. In-order bytes are appended to the flow buffer and complete
 * messages are cut from it; the frame of a message is the frame that
 * completed it. Retransmitted bytes are ignored, overlaps trimmed, segments
 * ahead of the expected sequence number are held (bounded count and bytes).
 * When the holding space is exhausted, or the stream ends (FIN, RST, end of
 * capture, LRU eviction) with bytes missing or a message incomplete, an error
 * record (layer tcp) says so and the flow resynchronises on the next plausible
 * M3UA header. A stream picked up in the middle of a message resynchronises
 * the same way (one error record for the bytes skipped).
 */
#include "capture/capture_int.h"
#include "ssgw/diameter.h"
#include "util/bytes.h"

#include <stdlib.h>
#include <string.h>

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04

typedef struct {
    uint32_t seq;
    uint8_t *data;
    size_t len;
} tcp_seg;

struct cap_tcp_flow {
    bool used;
    bool synced;            /* buffer starts at a message header */
    ssgw_capture_kind kind; /* M3UA or DIAMETER */
    cap_addr addr;
    int32_t chain; /* next flow in the hash bucket, -1 ends */
    uint64_t last_used;
    uint64_t last_frame;
    uint32_t next_seq;
    uint8_t *buf; /* in-order bytes not yet framed */
    size_t len, cap;
    tcp_seg *ooo; /* segments ahead of next_seq */
    size_t n_ooo, ooo_bytes;
};

bool cap_m3ua_plausible(const uint8_t *p, size_t len, size_t max_len)
{
    if (len < 8 || p[0] != 1 || p[1] != 0) return false;
    /* classes: 0 MGMT, 1 transfer, 2 SSNM, 3 ASPSM, 4 ASPTM, 9 RKM (RFC 4666 3.1.2) */
    if (!(p[2] <= 4 || p[2] == 9) || p[3] > 10) return false;
    uint32_t mlen = get_be32(p + 4);
    return mlen >= 8 && mlen <= max_len && mlen % 4 == 0;
}

/* What differs between the two protocols a TCP stream may carry. */
typedef struct {
    size_t min_header; /* octets needed to read the length */
    const char *resync, *header, *incomplete;
} framing;

static const framing m3ua_framing = {8, "tcp stream resynchronised on m3ua header",
                                     "m3ua header in tcp stream",
                                     "m3ua message incomplete at end of tcp stream"};
static const framing diam_framing = {
    SSGW_DIAM_HEADER_LEN, "tcp stream resynchronised on diameter header",
    "diameter header in tcp stream", "diameter message incomplete at end of tcp stream"};

static const framing *framing_of(const cap_tcp_flow *f)
{
    return f->kind == SSGW_CAPTURE_KIND_DIAMETER ? &diam_framing : &m3ua_framing;
}

/* Length of the message at p when it starts with a plausible header, else 0. */
static size_t plausible(const cap_tcp_flow *f, const uint8_t *p, size_t len, size_t max)
{
    if (f->kind == SSGW_CAPTURE_KIND_DIAMETER)
        return len >= SSGW_DIAM_HEADER_LEN ? ssgw_diam_peek_length(p, len, max, true) : 0;
    return cap_m3ua_plausible(p, len, max) ? get_be32(p + 4) : 0;
}

static void tcp_error(ssgw_capture *c, const cap_tcp_flow *f, const cap_addr *a, ssgw_errcode code,
                      const char *field, size_t off, bool at_flow_frame)
{
    ssgw_capture_msg *m = cap_emit_error(c, f ? &f->addr : a, SSGW_CAPTURE_TRANSPORT_TCP,
                                         SSGW_LAYER_TCP, code, field, off);
    if (m && f && at_flow_frame) m->frame = f->last_frame;
}

static uint32_t flow_hash(const cap_addr *a)
{
    uint32_t h = 2166136261u;
    const uint8_t *parts[2] = {a->src, a->dst};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 16; i++)
            h = (h ^ parts[k][i]) * 16777619u;
    h = (h ^ a->sport) * 16777619u;
    h = (h ^ a->dport) * 16777619u;
    return h;
}

static bool same_addr(const cap_addr *x, const cap_addr *y)
{
    return x->family == y->family && x->sport == y->sport && x->dport == y->dport &&
           memcmp(x->src, y->src, 16) == 0 && memcmp(x->dst, y->dst, 16) == 0;
}

static cap_tcp_flow *lookup(ssgw_capture *c, const cap_addr *a)
{
    if (!c->flows) return NULL;
    for (int32_t i = c->flow_buckets[flow_hash(a) & (c->n_buckets - 1)]; i >= 0;
         i = c->flows[i].chain)
        if (same_addr(&c->flows[i].addr, a)) return &c->flows[i];
    return NULL;
}

static void release(ssgw_capture *c, cap_tcp_flow *f)
{
    int32_t idx = (int32_t)(f - c->flows);
    int32_t *link = &c->flow_buckets[flow_hash(&f->addr) & (c->n_buckets - 1)];
    while (*link >= 0 && *link != idx)
        link = &c->flows[*link].chain;
    if (*link == idx) *link = f->chain;
    for (size_t i = 0; i < f->n_ooo; i++)
        free(f->ooo[i].data);
    free(f->ooo);
    free(f->buf);
    memset(f, 0, sizeof *f);
    c->n_flows--;
}

static void gap(ssgw_capture *c, cap_tcp_flow *f, uint32_t seq, size_t off, bool at_flow_frame);

/* Ends a direction: missing bytes and an incomplete message become error
 * records; messages held beyond a gap are still delivered. */
static void close_flow(ssgw_capture *c, cap_tcp_flow *f, size_t off, bool at_flow_frame)
{
    while (f->n_ooo > 0)
        gap(c, f, f->ooo[0].seq, off, at_flow_frame);
    if (f->len > 0)
        tcp_error(c, f, NULL, SSGW_E_TRUNCATED, framing_of(f)->incomplete, off, at_flow_frame);
    release(c, f);
}

static cap_tcp_flow *create(ssgw_capture *c, const cap_addr *a)
{
    if (!c->flows) {
        size_t nb = 1;
        while (nb < 2 * c->lim.tcp_max_flows)
            nb <<= 1;
        c->flows = calloc(c->lim.tcp_max_flows, sizeof *c->flows);
        c->flow_buckets = malloc(nb * sizeof *c->flow_buckets);
        if (!c->flows || !c->flow_buckets) {
            free(c->flows);
            free(c->flow_buckets);
            c->flows = NULL;
            c->flow_buckets = NULL;
            return NULL;
        }
        for (size_t i = 0; i < nb; i++)
            c->flow_buckets[i] = -1;
        c->n_buckets = nb;
    }
    if (c->n_flows == c->lim.tcp_max_flows) {
        size_t lru = 0;
        for (size_t i = 1; i < c->lim.tcp_max_flows; i++)
            if (c->flows[i].last_used < c->flows[lru].last_used) lru = i;
        c->st.tcp_flows_evicted++;
        close_flow(c, &c->flows[lru], 0, true);
    }
    size_t i = 0;
    while (c->flows[i].used)
        i++;
    cap_tcp_flow *f = &c->flows[i];
    memset(f, 0, sizeof *f);
    f->used = true;
    f->addr = *a;
    int32_t *bucket = &c->flow_buckets[flow_hash(a) & (c->n_buckets - 1)];
    f->chain = *bucket;
    *bucket = (int32_t)i;
    c->n_flows++;
    return f;
}

/* The length a synchronised stream's header announces (0 when it is broken). */
static size_t header_length(const cap_tcp_flow *f, const uint8_t *h, size_t max, bool *too_big)
{
    size_t mlen, min;
    if (f->kind == SSGW_CAPTURE_KIND_DIAMETER) {
        mlen = get_be24(h + 1);
        min = SSGW_DIAM_HEADER_LEN;
    } else {
        mlen = get_be32(h + 4);
        min = 8;
    }
    *too_big = mlen > max;
    if (h[0] != 1 || mlen < min || mlen > max) return 0;
    if (f->kind == SSGW_CAPTURE_KIND_DIAMETER && mlen % 4) return 0;
    return mlen;
}

/* Cuts complete messages from the front of the flow buffer. */
static void frame_messages(ssgw_capture *c, cap_tcp_flow *f, size_t off)
{
    const framing *fr = framing_of(f);
    size_t pos = 0, max = c->lim.max_message_len, hmin = fr->min_header;
    while (f->len - pos >= hmin) {
        if (!f->synced) {
            size_t s = pos;
            while (f->len - s >= hmin && !plausible(f, f->buf + s, f->len - s, max))
                s++;
            if (s > pos) {
                c->st.tcp_bytes_discarded += s - pos;
                tcp_error(c, f, NULL, SSGW_E_MISSING, fr->resync, off, false);
            }
            pos = s;
            if (f->len - pos < hmin) break;
            f->synced = true;
        }
        const uint8_t *h = f->buf + pos;
        bool too_big;
        size_t mlen = header_length(f, h, max, &too_big);
        if (mlen == 0) {
            tcp_error(c, f, NULL, too_big ? SSGW_E_TOO_BIG : SSGW_E_BAD_VALUE, fr->header, off,
                      false);
            f->synced = false;
            pos++;
            c->st.tcp_bytes_discarded++;
            continue;
        }
        if (f->len - pos < mlen) break;
        cap_emit_msg(c, &f->addr, f->kind, SSGW_CAPTURE_TRANSPORT_TCP, 0, 0, h, mlen, true);
        pos += mlen;
    }
    if (pos) {
        memmove(f->buf, f->buf + pos, f->len - pos);
        f->len -= pos;
    }
}

/* Appends in-order bytes (advancing next_seq) and frames as it goes. */
static void append(ssgw_capture *c, cap_tcp_flow *f, const uint8_t *d, size_t n, size_t off)
{
    size_t limit = c->lim.tcp_max_flow_bytes;
    while (n > 0) {
        if (f->len == limit) { /* cannot happen while max_message_len <= limit; stay safe */
            tcp_error(c, f, NULL, SSGW_E_TOO_BIG, "tcp flow buffer", off, false);
            f->len = 0;
            f->synced = false;
        }
        size_t k = n < limit - f->len ? n : limit - f->len;
        if (f->len + k > f->cap) {
            size_t ncap = f->cap ? f->cap : 2048;
            while (ncap < f->len + k)
                ncap *= 2;
            if (ncap > limit) ncap = limit;
            uint8_t *nb = realloc(f->buf, ncap);
            if (!nb) {
                tcp_error(c, f, NULL, SSGW_E_TOO_BIG, "out of memory", off, false);
                f->next_seq += (uint32_t)n;
                return;
            }
            f->buf = nb;
            f->cap = ncap;
        }
        memcpy(f->buf + f->len, d, k);
        f->len += k;
        f->next_seq += (uint32_t)k;
        d += k;
        n -= k;
        frame_messages(c, f, off);
    }
}

static void remove_ooo(cap_tcp_flow *f, size_t i)
{
    f->ooo_bytes -= f->ooo[i].len;
    free(f->ooo[i].data);
    f->ooo[i] = f->ooo[--f->n_ooo];
}

/* Moves held segments that are now in order into the stream. */
static void drain_ooo(ssgw_capture *c, cap_tcp_flow *f, size_t off)
{
    bool progress = true;
    while (progress) {
        progress = false;
        for (size_t i = 0; i < f->n_ooo; i++) {
            tcp_seg *s = &f->ooo[i];
            int32_t diff = (int32_t)(s->seq - f->next_seq);
            if (diff > 0) continue;
            size_t skip = (size_t)(-(int64_t)diff);
            if (skip < s->len) {
                uint8_t *data = s->data;
                size_t len = s->len;
                s->data = NULL;
                f->ooo_bytes -= len;
                s->len = 0;
                remove_ooo(f, i);
                append(c, f, data + skip, len - skip, off);
                free(data);
            } else {
                remove_ooo(f, i);
            }
            progress = true;
            break;
        }
    }
}

/* Gives up on the missing bytes before the earliest held segment (or seq). */
static void gap(ssgw_capture *c, cap_tcp_flow *f, uint32_t seq, size_t off, bool at_flow_frame)
{
    tcp_error(c, f, NULL, SSGW_E_MISSING, "tcp gap", off, at_flow_frame);
    uint32_t first = seq;
    for (size_t i = 0; i < f->n_ooo; i++)
        if ((int32_t)(f->ooo[i].seq - first) < 0) first = f->ooo[i].seq;
    f->len = 0;
    f->synced = false;
    f->next_seq = first;
    drain_ooo(c, f, off);
}

static void segment_data(ssgw_capture *c, cap_tcp_flow *f, uint32_t seq, const uint8_t *d, size_t n,
                         size_t off)
{
    for (;;) {
        int32_t diff = (int32_t)(seq - f->next_seq);
        if (diff <= 0) {
            size_t skip = (size_t)(-(int64_t)diff);
            if (skip >= n) {
                cap_skip(c, SSGW_CAPTURE_SKIP_TCP_RETRANSMISSION);
                return;
            }
            append(c, f, d + skip, n - skip, off);
            drain_ooo(c, f, off);
            return;
        }
        for (size_t i = 0; i < f->n_ooo; i++)
            if (f->ooo[i].seq == seq && f->ooo[i].len >= n) {
                cap_skip(c, SSGW_CAPTURE_SKIP_TCP_RETRANSMISSION);
                return;
            }
        if (f->n_ooo < c->lim.tcp_max_ooo_segments &&
            f->ooo_bytes + f->len + n <= c->lim.tcp_max_flow_bytes) {
            tcp_seg *nooo = realloc(f->ooo, (f->n_ooo + 1) * sizeof *nooo);
            uint8_t *copy = malloc(n);
            if (nooo) f->ooo = nooo;
            if (nooo && copy) {
                memcpy(copy, d, n);
                f->ooo[f->n_ooo++] = (tcp_seg){seq, copy, n};
                f->ooo_bytes += n;
                return;
            }
            free(copy);
        }
        gap(c, f, seq, off, false); /* next_seq moves to or before seq: the loop ends */
    }
}

/* What a new TCP direction carries: by port, else by the first payload's header. */
static ssgw_capture_kind stream_kind(const ssgw_capture *c, const cap_addr *a, const uint8_t *d,
                                     size_t n)
{
    if (cap_is_m3ua_port(c, a->sport) || cap_is_m3ua_port(c, a->dport))
        return SSGW_CAPTURE_KIND_M3UA;
    if (cap_is_diameter_port(c, a->sport) || cap_is_diameter_port(c, a->dport))
        return SSGW_CAPTURE_KIND_DIAMETER;
    size_t max = c->lim.max_message_len;
    if (c->lim.tcp_detect_m3ua && cap_m3ua_plausible(d, n, max)) return SSGW_CAPTURE_KIND_M3UA;
    if (c->lim.tcp_detect_diameter && n >= SSGW_DIAM_HEADER_LEN &&
        ssgw_diam_peek_length(d, n, max, true))
        return SSGW_CAPTURE_KIND_DIAMETER;
    return SSGW_CAPTURE_KIND_NONE;
}

void cap_tcp_segment(ssgw_capture *c, cap_addr *a, size_t off, size_t len)
{
    const uint8_t *p = c->frame_data + off;
    if (len < 20) {
        cap_emit_error(c, a, SSGW_CAPTURE_TRANSPORT_TCP, SSGW_LAYER_TCP, SSGW_E_TRUNCATED,
                       "tcp header", off);
        return;
    }
    a->sport = get_be16(p);
    a->dport = get_be16(p + 2);
    uint32_t seq = get_be32(p + 4);
    size_t doff = (size_t)(p[12] >> 4) * 4;
    uint8_t flags = p[13];
    if (doff < 20) {
        cap_emit_error(c, a, SSGW_CAPTURE_TRANSPORT_TCP, SSGW_LAYER_TCP, SSGW_E_BAD_LENGTH,
                       "tcp data offset", off + 12);
        return;
    }
    if (doff > len) {
        cap_emit_error(c, a, SSGW_CAPTURE_TRANSPORT_TCP, SSGW_LAYER_TCP, SSGW_E_TRUNCATED,
                       "tcp options", off + 20);
        return;
    }
    const uint8_t *d = p + doff;
    size_t n = len - doff, doff_frame = off + doff;
    cap_tcp_flow *f = lookup(c, a);
    if (!f) {
        ssgw_capture_kind kind = stream_kind(c, a, d, n);
        if (kind == SSGW_CAPTURE_KIND_NONE) {
            cap_skip(c, n ? SSGW_CAPTURE_SKIP_TCP_NOT_M3UA : SSGW_CAPTURE_SKIP_TCP_NO_PAYLOAD);
            return;
        }
        if ((n == 0 && !(flags & TCP_SYN)) || (flags & TCP_RST)) {
            cap_skip(c, SSGW_CAPTURE_SKIP_TCP_NO_PAYLOAD);
            return;
        }
        f = create(c, a);
        if (!f) {
            cap_emit_error(c, a, SSGW_CAPTURE_TRANSPORT_TCP, SSGW_LAYER_TCP, SSGW_E_TOO_BIG,
                           "out of memory", off);
            return;
        }
        f->next_seq = seq;
        f->kind = kind;
    }
    f->last_used = ++c->flow_clock;
    f->last_frame = c->frame;
    if (flags & TCP_SYN) {
        if (f->len == 0 && f->n_ooo == 0) {
            f->next_seq = seq + 1;
            f->synced = true;
        }
        seq++;
    }
    if (n > 0)
        segment_data(c, f, seq, d, n, doff_frame);
    else if (!(flags & (TCP_SYN | TCP_FIN | TCP_RST)))
        cap_skip(c, SSGW_CAPTURE_SKIP_TCP_NO_PAYLOAD);
    if (flags & (TCP_FIN | TCP_RST)) close_flow(c, f, doff_frame, false);
}

void cap_tcp_flush(ssgw_capture *c)
{
    if (!c->flows) return;
    for (size_t i = 0; i < c->lim.tcp_max_flows; i++)
        if (c->flows[i].used) close_flow(c, &c->flows[i], 0, true);
}

void cap_tcp_free(ssgw_capture *c)
{
    if (!c->flows) return;
    for (size_t i = 0; i < c->lim.tcp_max_flows; i++)
        if (c->flows[i].used) release(c, &c->flows[i]);
    free(c->flows);
    free(c->flow_buckets);
    c->flows = NULL;
    c->flow_buckets = NULL;
}
