/*
 * generate_diameter.c - `ssgw generate --protocol diameter`: writes the library's
 * deterministic Diameter traffic (src/sim/gen_diameter.c: every command of the
 * dictionary, requests and answers, both directions) into a capture.
 *
 * The MME (10.0.0.1, port 40001) and the HSS (10.0.0.2, port 3868) talk over
 * SCTP (PPID 46) or TCP. Messages are grouped per direction so that every input
 * path of the capture reader is exercised: several DATA chunks per SCTP packet
 * (--chunks), several messages in one DATA chunk (--per-chunk), several messages
 * per TCP segment (--per-segment), messages split across TCP segments
 * (--split-every).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generate_diameter.h"
#include "ssgw/capture.h"
#include "ssgw/diameter.h"
#include "ssgw/gen.h"
#include "ssgw/pcap_writer.h"

#define MAX_GROUP    16
#define MSG_CAP      8192
#define MME_PORT     40001
#define STREAM_BYTES (MAX_GROUP * MSG_CAP)

/* What one direction has queued and not written yet. */
typedef struct {
    ssgw_pcap_endpoints ep;
    uint8_t msgs[MAX_GROUP][MSG_CAP]; /* SCTP: one message (or --per-chunk messages) per chunk */
    size_t lens[MAX_GROUP];
    unsigned n;                             /* chunks queued (SCTP) or messages queued (TCP) */
    unsigned in_chunk;                      /* SCTP: messages in the chunk being filled */
    uint8_t stream[STREAM_BYTES + MSG_CAP]; /* TCP: bytes not yet sent */
    size_t stream_len, last_start;          /* TCP: where the last queued message starts */
    uint32_t tsn;
    unsigned segments;
} direction;

typedef struct {
    const ssgw_gen_diameter_opts *o;
    ssgw_pcap_writer *w;
    direction dir[2]; /* 0: MME -> HSS, 1: HSS -> MME */
    uint64_t frames;
} writer;

static void endpoints(ssgw_pcap_endpoints *ep, int from_hss, bool ipv6)
{
    memset(ep, 0, sizeof *ep);
    ep->ipv6 = ipv6;
    ep->src_ip4 = from_hss ? 0x0a000002 : 0x0a000001;
    ep->dst_ip4 = from_hss ? 0x0a000001 : 0x0a000002;
    static const uint8_t prefix[4] = {0x20, 0x01, 0x0d, 0xb8};
    memcpy(ep->src_ip6, prefix, 4);
    memcpy(ep->dst_ip6, prefix, 4);
    ep->src_ip6[15] = from_hss ? 2 : 1;
    ep->dst_ip6[15] = from_hss ? 1 : 2;
    ep->src_port = from_hss ? SSGW_DIAM_PORT : MME_PORT;
    ep->dst_port = from_hss ? MME_PORT : SSGW_DIAM_PORT;
    ep->vtag = from_hss ? 0x0d1a0002 : 0x0d1a0001;
}

static void stamp(writer *wr, uint32_t *sec, uint32_t *usec)
{
    uint64_t i = wr->frames++;
    *sec = (uint32_t)(1700000000 + i / 1000);
    *usec = (uint32_t)(i % 1000) * 1000;
}

static int flush_sctp(writer *wr, direction *d)
{
    if (d->in_chunk) { /* close the chunk being filled */
        d->n++;
        d->in_chunk = 0;
    }
    if (!d->n) return 0;
    ssgw_pcap_chunk ch[MAX_GROUP];
    for (unsigned i = 0; i < d->n; i++) {
        ch[i] = (ssgw_pcap_chunk){.tsn = d->tsn++,
                                  .stream = (uint16_t)(i % 2),
                                  .ssn = 0,
                                  .ppid = SSGW_SCTP_PPID_DIAM,
                                  .flags = SSGW_PCAP_CHUNK_WHOLE,
                                  .data = d->msgs[i],
                                  .len = d->lens[i]};
    }
    uint32_t sec, usec;
    stamp(wr, &sec, &usec);
    int r = ssgw_pcap_write_sctp_chunks(wr->w, sec, usec, &d->ep, ch, d->n);
    d->n = 0;
    return r;
}

static int flush_tcp(writer *wr, direction *d, bool all)
{
    if (!d->stream_len) return 0;
    size_t cut = d->stream_len;
    /* every split_every-th segment ends in the middle of its last message */
    if (!all && wr->o->split_every && ++d->segments % wr->o->split_every == 0)
        cut = d->last_start + (d->stream_len - d->last_start) / 2;
    uint32_t sec, usec;
    stamp(wr, &sec, &usec);
    int r = ssgw_pcap_write_tcp(wr->w, sec, usec, &d->ep, d->stream, cut);
    memmove(d->stream, d->stream + cut, d->stream_len - cut);
    d->stream_len -= cut;
    d->last_start = 0;
    d->n = 0;
    return r;
}

static int queue(writer *wr, direction *d, const uint8_t *m, size_t len)
{
    const ssgw_gen_diameter_opts *o = wr->o;
    if (len > MSG_CAP) return -1;
    if (o->transport == SSGW_CAPTURE_TRANSPORT_TCP) {
        d->last_start = d->stream_len;
        memcpy(d->stream + d->stream_len, m, len);
        d->stream_len += len;
        return ++d->n >= o->per_segment ? flush_tcp(wr, d, false) : 0;
    }
    size_t used = d->in_chunk ? d->lens[d->n] : 0;
    if (used + len > MSG_CAP) { /* the chunk is full: start the next one */
        d->n++;
        d->in_chunk = 0;
        used = 0;
        if (d->n == MAX_GROUP && flush_sctp(wr, d) < 0) return -1;
    }
    memcpy(d->msgs[d->n] + used, m, len);
    d->lens[d->n] = used + len;
    if (++d->in_chunk < o->per_chunk) return 0;
    d->in_chunk = 0;
    return ++d->n >= o->chunks ? flush_sctp(wr, d) : 0;
}

int ssgw_generate_diameter(const char *path, int link, const ssgw_gen_diameter_opts *o,
                           uint64_t *written)
{
    char errbuf[256];
    static writer wr;
    memset(&wr, 0, sizeof wr);
    wr.o = o;
    for (int i = 0; i < 2; i++)
        endpoints(&wr.dir[i].ep, i, link == SSGW_LINKTYPE_IPV6);
    wr.w = ssgw_pcap_writer_open(path, link == SSGW_LINKTYPE_IPV6 ? SSGW_LINKTYPE_ETHERNET : link,
                                 errbuf, sizeof errbuf);
    if (!wr.w) {
        fprintf(stderr, "ssgw generate: %s\n", errbuf);
        return 1;
    }
    int status = 0;
    uint8_t mem[MSG_CAP];
    *written = 0;
    for (uint64_t i = 0; i < o->count && !status; i++) {
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        ssgw_gen_diam_info info;
        ssgw_error e;
        if (ssgw_gen_diameter(o->seed, i, &b, &info, &e) < 0) {
            char msg[160];
            ssgw_error_format(&e, msg, sizeof msg);
            fprintf(stderr, "ssgw generate: message %llu: %s\n", (unsigned long long)i, msg);
            status = 1;
            break;
        }
        if (queue(&wr, &wr.dir[info.from_hss ? 1 : 0], b.data, b.len) < 0) {
            fprintf(stderr, "ssgw generate: %s\n", ssgw_pcap_writer_error(wr.w));
            status = 1;
        }
        (*written)++;
    }
    for (int i = 0; i < 2 && !status; i++) {
        int r = o->transport == SSGW_CAPTURE_TRANSPORT_TCP ? flush_tcp(&wr, &wr.dir[i], true)
                                                           : flush_sctp(&wr, &wr.dir[i]);
        if (r < 0) status = 1;
    }
    if (ssgw_pcap_writer_close(wr.w) < 0) {
        fprintf(stderr, "ssgw generate: %s: write failed\n", path);
        status = 1;
    }
    return status;
}
