/*
 * capture_int.h - internals shared by the capture decoders (not installed).
 *
 * Flow of one frame: capture.c reads it and calls cap_link_decode() (link.c),
 * which either emits a record itself (MTP3, exported PDU) or hands the IP
 * packet to cap_ip_decode() (ip.c), which hands the transport payload to
 * cap_sctp_decode() (sctp.c) or cap_tcp_segment() (tcp_stream.c). Records go
 * into the handle's output queue through cap_emit_msg() / cap_emit_error();
 * ssgw_capture_next() drains that queue before reading the next frame.
 * All offsets given to cap_emit_error() are offsets within the frame.
 */
#ifndef SSGW_CAPTURE_INT_H
#define SSGW_CAPTURE_INT_H

#include "ssgw/capture.h"

#include <pcap/pcap.h>
#include <string.h>

/* Who talks to whom; raw addresses so that flows can be keyed. */
typedef struct {
    uint8_t family; /* 0 unknown, 4, 6 */
    uint8_t src[16];
    uint8_t dst[16];
    uint16_t sport;
    uint16_t dport;
} cap_addr;

/* One queued record; msg.data is fixed up from arena_off when from_arena. Its msg's two
 * address texts are neither cleared nor copied when it is queued: queue_pop writes them
 * from addr, so they are undefined until then. */
typedef struct {
    ssgw_capture_msg msg;
    cap_addr addr;
    size_t arena_off;
    bool from_arena;
} cap_out;

typedef struct cap_sctp_frag cap_sctp_frag;
typedef struct cap_tcp_flow cap_tcp_flow;

/* The texts of a record's two ends and its link number, kept for the next record between
 * the same two ends (capture.c). */
typedef struct {
    uint8_t family;
    uint8_t ends[32]; /* the two addresses as cap_addr holds them, source first */
    uint16_t sport, dport;
    uint32_t link;   /* 0: unused */
    char src_ip[46]; /* as ssgw_capture_msg.src_ip */
    char dst_ip[46];
} cap_pair_memo;

struct ssgw_capture {
    pcap_t *pcap;             /* pcapng, stdin, pipes, headers pcap_file.c does not accept */
    struct cap_pcap_file *pf; /* regular classic pcap files (pcap_file.c) */
    int linktype;
    bool fed;          /* opened with ssgw_capture_open_linktype */
    bool general_only; /* no frame through the fast path (tests) */
    bool finished;
    ssgw_capture_limits lim;
    ssgw_capture_stats st;
    char errmsg[PCAP_ERRBUF_SIZE + 64];

    /* the frame being decoded */
    uint64_t frame;
    int64_t ts_sec;
    uint32_t ts_usec;
    const uint8_t *frame_data;
    size_t frame_len;

    /* output queue of the current frame and the bytes it owns */
    cap_out *q;
    size_t q_len, q_head, q_cap;
    uint8_t *arena;
    size_t arena_len, arena_cap;
    bool oom; /* an allocation failed; reported as an error record */
    /* the caller's record while ssgw_capture_next reads a frame with the queue empty: the
     * straight path (cap_emit_fast) writes its one record there, not into the queue; NULL
     * once written, and outside ssgw_capture_next */
    ssgw_capture_msg *direct;

    /* the two ends' texts and link numbers of the last links seen (a capture has few), each
     * in both directions; filled when first met */
    cap_pair_memo pair_memo[8];
    unsigned pair_memo_next, pair_memo_last;

    /* SCTP fragment reassembly (sctp.c) */
    cap_sctp_frag *frags;
    size_t n_frags, frag_bytes;
    uint64_t frag_seq;

    /* TCP stream reassembly (tcp_stream.c) */
    cap_tcp_flow *flows;
    int32_t *flow_buckets;
    size_t n_buckets, n_flows;
    uint64_t flow_clock;
};

/* capture.c: queue a message. When copy, the bytes are copied (they may not
 * outlive the call); otherwise data must point into the current frame. */
void cap_emit_msg(ssgw_capture *c, const cap_addr *a, ssgw_capture_kind kind,
                  ssgw_capture_transport tr, uint16_t stream, uint32_t ppid, const uint8_t *data,
                  size_t len, bool copy);
/* capture.c: queue an error record (counts it by layer); returns it (NULL when
 * out of memory) so that the caller may adjust its frame number. */
ssgw_capture_msg *cap_emit_error(ssgw_capture *c, const cap_addr *a, ssgw_capture_transport tr,
                                 ssgw_layer layer, ssgw_errcode code, const char *field,
                                 size_t offset);
void cap_skip(ssgw_capture *c, ssgw_capture_skip why);
bool cap_is_m3ua_port(const ssgw_capture *c, uint16_t port);
bool cap_is_diameter_port(const ssgw_capture *c, uint16_t port);
/* sctp.c: queues the Diameter messages of one SCTP user message (several may share
 * it: cut by their length; what cannot be cut goes as one record for the decoder to
 * report). copy as for cap_emit_msg. */
void cap_emit_diameter(ssgw_capture *c, const cap_addr *a, ssgw_capture_transport tr,
                       uint16_t stream, uint32_t ppid, const uint8_t *data, size_t len, bool copy);

/* link.c: decode one frame of link type c->linktype. */
void cap_link_decode(ssgw_capture *c, const uint8_t *f, size_t len);
/* fast_path.c: decodes the frame when it has one of the common shapes, exactly as
 * cap_link_decode() would, and returns true; false (nothing done) for any other frame. */
bool cap_fast_frame(ssgw_capture *c, const uint8_t *f, size_t len);
/* For tests: every frame through cap_link_decode(), none through the fast path. */
void cap_set_general_only(ssgw_capture *c, bool on);

/* ip.c: the IP packet starting at frame offset off (version from the first nibble
 * when version == 0, else 4 or 6). */
void cap_ip_decode(ssgw_capture *c, size_t off, int version);

/* sctp.c */
void cap_sctp_decode(ssgw_capture *c, cap_addr *a, size_t off, size_t len);
void cap_sctp_flush(ssgw_capture *c);
void cap_sctp_free(ssgw_capture *c);

/* tcp_stream.c */
void cap_tcp_segment(ssgw_capture *c, cap_addr *a, size_t off, size_t len);
void cap_tcp_flush(ssgw_capture *c);
void cap_tcp_free(ssgw_capture *c);
/* True when p[0..len) starts with a plausible M3UA common header (RFC 4666 3.1). */
bool cap_m3ua_plausible(const uint8_t *p, size_t len, size_t max_len);

/* capture.c: a new pair memo entry for the ends of a (out: the record's texts and link),
 * and one for the other direction; returns the index of the first. */
unsigned cap_pair_add(ssgw_capture *c, const cap_addr *a, ssgw_capture_msg *out);

/* An address text (46 octets, all of them) in three 16-octet moves that overlap: inlined into
 * a large function, gcc -O3 may copy it with rep movsb, which callgrind counts per octet. */
static inline void cap_copy_text(char d[46], const char s[46])
{
    _Static_assert(sizeof((ssgw_capture_msg *)0)->src_ip == 46, "three moves cover it");
    memcpy(d, s, 16);
    memcpy(d + 16, s + 16, 16);
    memcpy(d + 30, s + 30, 16);
}

/* Whether the 16 octets at a and b are equal, in two 8-octet compares (gcc may otherwise
 * call memcmp). */
static inline bool cap_eq16(const uint8_t *a, const uint8_t *b)
{
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a, 8), memcpy(&a1, a + 8, 8);
    memcpy(&b0, b, 8), memcpy(&b1, b + 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

static inline bool cap_pair_is(const cap_pair_memo *m, const cap_addr *a)
{
    return m->link && m->sport == a->sport && m->dport == a->dport && m->family == a->family &&
           cap_eq16(m->ends, a->src) && cap_eq16(m->ends + 16, a->dst);
}

/* The texts of the record's two ends and its link number, from the memo (the last link
 * used first), else made and kept (measured: formatting both addresses was ~100 instructions a
 * message, and the pipeline formatted both ends and hashed them on every miss of its one-link
 * memo, 225 a message in ssgw analyze). The key is every value the texts are made from (the
 * family, all 32 address octets, both ports), and more: a miss only costs the formatting.
 * Inline, as cap_emit_fast below, so that the straight path is one function (measured: ~25
 * instructions a message in ssgw decode for the calls between them). */
static inline void cap_pair_memo_find(ssgw_capture *c, const cap_addr *a, ssgw_capture_msg *out)
{
    if (c->lim.no_endpoints) { /* measured: 46 instructions a message fewer in ssgw decode */
        out->src_ip[0] = out->dst_ip[0] = '\0';
        out->link = 0;
        return;
    }
    unsigned i = c->pair_memo_last, n = sizeof c->pair_memo / sizeof c->pair_memo[0];
    /* the last link either way round first (cap_pair_add puts the two directions at 2k,
     * 2k+1) */
    if (!cap_pair_is(&c->pair_memo[i], a) && !cap_pair_is(&c->pair_memo[i ^= 1], a)) {
        for (i = 0; i < n && !cap_pair_is(&c->pair_memo[i], a); i++)
            ;
        if (i == n) {
            c->pair_memo_last = cap_pair_add(c, a, out);
            out->link = c->pair_memo[c->pair_memo_last].link;
            return;
        }
        c->pair_memo_last = i;
    }
    const cap_pair_memo *m = &c->pair_memo[i];
    cap_copy_text(out->src_ip, m->src_ip);
    cap_copy_text(out->dst_ip, m->dst_ip);
    out->link = m->link;
}

/* The one record of a frame the straight path takes (fast_path.c): an M3UA message over SCTP
 * (stream, PPID 3) at data in the current frame. Written straight into the caller's record
 * when ssgw_capture_next is reading (c->direct), else queued as cap_emit_msg does; the two
 * give the same record (tests/unit/test_capture_paths.c, fuzz_pcap_file). */
static inline void cap_emit_fast(ssgw_capture *c, const cap_addr *a, uint16_t stream,
                                 const uint8_t *data, size_t len)
{
    ssgw_capture_msg *out = c->direct;
    if (!out || c->q_len) {
        cap_emit_msg(c, a, SSGW_CAPTURE_KIND_M3UA, SSGW_CAPTURE_TRANSPORT_SCTP, stream,
                     SSGW_SCTP_PPID_M3UA, data, len, false);
        return;
    }
    c->direct = NULL;
    /* every member, as queue_push, fill_addr, cap_emit_msg and queue_pop set them */
    out->frame = c->frame;
    out->ts_sec = c->ts_sec;
    out->ts_usec = c->ts_usec;
    out->kind = SSGW_CAPTURE_KIND_M3UA;
    out->transport = SSGW_CAPTURE_TRANSPORT_SCTP;
    out->src_port = a->sport;
    out->dst_port = a->dport;
    out->sctp_stream = stream;
    out->sctp_ppid = SSGW_SCTP_PPID_M3UA;
    out->data = data;
    out->len = len;
    out->is_error = false;
    out->error.layer = 0; /* each member: gcc makes a rep stos of the whole struct */
    out->error.code = 0;
    out->error.field = NULL;
    out->error.offset = 0;
    cap_pair_memo_find(c, a, out);
    c->st.messages++;
}

#endif
