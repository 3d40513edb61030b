/*
 * test_capture_diameter.c - Diameter in captures (src/capture): over TCP (several
 * messages per segment, a message split across segments, picked up mid-stream,
 * broken headers, a stream ending inside a message, detection by header on other
 * ports), over SCTP (PPID 46, PPID 0 on port 3868, several messages in one DATA
 * chunk, a fragmented message) and as Wireshark exported PDUs. One record per
 * message, of kind DIAMETER, byte-exact; what cannot be framed is an error record.
 */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "ssgw/capture.h"
#include "ssgw/diameter.h"
#include "ssgw/gen.h"
#include "ssgw/pcap_writer.h"

static char dir[64];
static char path[128];

typedef struct {
    ssgw_capture_msg m;
    uint8_t data[8192];
} rec;

static rec recs[32];
static ssgw_capture_stats stats;

static const char *file(const char *name)
{
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static int read_back(const ssgw_capture_limits *lim)
{
    char err[256];
    ssgw_capture *c = ssgw_capture_open(path, lim, err, sizeof err);
    if (!c) return -1;
    int n = 0;
    ssgw_capture_msg m;
    while (ssgw_capture_next(c, &m) == 1) {
        if (n < 32) {
            recs[n].m = m;
            if (m.data && m.len <= sizeof recs[n].data) memcpy(recs[n].data, m.data, m.len);
        }
        n++;
    }
    stats = *ssgw_capture_get_stats(c);
    ssgw_capture_close(c);
    return n;
}

/* Message i of the simulator's sequence. */
static uint8_t msg[6][8192];
static size_t msg_len[6];

static void build_messages(void)
{
    for (int i = 0; i < 6; i++) {
        ssgw_buf b;
        ssgw_buf_init(&b, msg[i], sizeof msg[i]);
        ssgw_error e;
        CHECK_INT(ssgw_gen_diameter(11, (uint64_t)i + 6, &b, NULL, &e), 0); /* ULR, ULA, ... */
        msg_len[i] = b.len;
    }
}

static bool is_diam(int i, int which, uint64_t frame)
{
    const ssgw_capture_msg *m = &recs[i].m;
    return !m->is_error && m->kind == SSGW_CAPTURE_KIND_DIAMETER && m->len == msg_len[which] &&
           memcmp(recs[i].data, msg[which], m->len) == 0 && m->frame == frame;
}

static bool is_err(int i, ssgw_layer layer, ssgw_errcode code, const char *field, uint64_t frame)
{
    const ssgw_capture_msg *m = &recs[i].m;
    bool ok = m->is_error && m->error.layer == layer && m->error.code == code &&
              !strcmp(m->error.field, field) && m->frame == frame;
    if (!ok && m->is_error)
        fprintf(stderr, "  record %d: %s %s %s frame %llu\n", i, ssgw_layer_name(m->error.layer),
                ssgw_errcode_name(m->error.code), m->error.field, (unsigned long long)m->frame);
    return ok;
}

static ssgw_pcap_endpoints ep(uint16_t sport, uint16_t dport)
{
    ssgw_pcap_endpoints e;
    memset(&e, 0, sizeof e);
    e.src_ip4 = 0x0a000001;
    e.dst_ip4 = 0x0a000002;
    e.src_port = sport;
    e.dst_port = dport;
    e.vtag = 0x01020304;
    return e;
}

static ssgw_pcap_writer *wopen(const char *name, int linktype)
{
    char err[256];
    ssgw_pcap_writer *w = ssgw_pcap_writer_open(file(name), linktype, err, sizeof err);
    CHECK(w != NULL);
    return w;
}

/* Concatenates messages a..b (inclusive) into out; returns the length. */
static size_t concat(uint8_t *out, int a, int b)
{
    size_t n = 0;
    for (int i = a; i <= b; i++) {
        memcpy(out + n, msg[i], msg_len[i]);
        n += msg_len[i];
    }
    return n;
}

static void tcp_several_and_split(void)
{
    static uint8_t stream[6 * 8192];
    size_t n = concat(stream, 0, 3);
    size_t cut = msg_len[0] + msg_len[1] + msg_len[2] / 2; /* two and a half messages */
    ssgw_pcap_writer *w = wopen("tcp.pcap", 1);
    if (!w) return;
    ssgw_pcap_endpoints e = ep(40001, SSGW_DIAM_PORT);
    ssgw_pcap_write_tcp(w, 1, 0, &e, stream, cut);
    ssgw_pcap_write_tcp(w, 1, 1, &e, stream + cut, n - cut);
    ssgw_pcap_writer_close(w);
    CHECK_INT(read_back(NULL), 4);
    CHECK(is_diam(0, 0, 1));
    CHECK(is_diam(1, 1, 1));
    CHECK(is_diam(2, 2, 2)); /* the frame that completed it */
    CHECK(is_diam(3, 3, 2));
    CHECK_INT(recs[0].m.transport, SSGW_CAPTURE_TRANSPORT_TCP);
    CHECK_STR(ssgw_capture_kind_name(recs[0].m.kind), "diameter");
}

static void tcp_broken_streams(void)
{
    static uint8_t stream[6 * 8192];
    ssgw_pcap_writer *w = wopen("tcp_broken.pcap", 1);
    if (!w) return;
    /* picked up mid-message: 10 octets of the end of something, then a message */
    ssgw_pcap_endpoints a = ep(40002, SSGW_DIAM_PORT);
    memset(stream, 0x55, 10);
    memcpy(stream + 10, msg[0], msg_len[0]);
    ssgw_pcap_write_tcp(w, 1, 0, &a, stream, 10 + msg_len[0]); /* 1 */
    /* a synchronised stream whose next header has version 2 */
    memcpy(stream, msg[1], msg_len[1]);
    stream[0] = 2;
    ssgw_pcap_write_tcp(w, 1, 0, &a, stream, msg_len[1]); /* 2 */
    /* another direction ends inside a message (FIN) */
    ssgw_pcap_endpoints b = ep(SSGW_DIAM_PORT, 40002);
    ssgw_pcap_write_tcp_segment(w, 1, 0, &b, 100, 1, SSGW_PCAP_TCP_ACK | SSGW_PCAP_TCP_PSH, msg[2],
                                30); /* 3 */
    ssgw_pcap_write_tcp_segment(w, 1, 0, &b, 130, 1, SSGW_PCAP_TCP_FIN | SSGW_PCAP_TCP_ACK, NULL,
                                0); /* 4 */
    ssgw_pcap_writer_close(w);
    int n = read_back(NULL);
    CHECK(n >= 4);
    CHECK(is_err(0, SSGW_LAYER_TCP, SSGW_E_MISSING, "tcp stream resynchronised on diameter header",
                 1));
    CHECK(is_diam(1, 0, 1));
    CHECK(is_err(2, SSGW_LAYER_TCP, SSGW_E_BAD_VALUE, "diameter header in tcp stream", 2));
    /* the rest of frame 2 is skipped while resynchronising (its last octets are held, as
     * they could start a header, and reported at the end of the capture at a's last
     * frame); b ends at its FIN */
    CHECK_INT(n, 6);
    CHECK(is_err(3, SSGW_LAYER_TCP, SSGW_E_MISSING, "tcp stream resynchronised on diameter header",
                 2));
    CHECK(is_err(4, SSGW_LAYER_TCP, SSGW_E_TRUNCATED,
                 "diameter message incomplete at end of tcp stream", 4));
    CHECK(is_err(5, SSGW_LAYER_TCP, SSGW_E_TRUNCATED,
                 "diameter message incomplete at end of tcp stream", 2));
}

/* On other ports a Diameter header of a known command is recognised (unless turned off). */
static void tcp_detected_by_header(void)
{
    ssgw_pcap_writer *w = wopen("tcp_other_port.pcap", 1);
    if (!w) return;
    ssgw_pcap_endpoints e = ep(50000, 50001);
    ssgw_pcap_write_tcp(w, 1, 0, &e, msg[0], msg_len[0]);
    ssgw_pcap_writer_close(w);
    CHECK_INT(read_back(NULL), 1);
    CHECK(is_diam(0, 0, 1));
    ssgw_capture_limits lim;
    ssgw_capture_limits_default(&lim);
    lim.tcp_detect_diameter = false;
    CHECK_INT(read_back(&lim), 0);
    CHECK_INT(stats.skipped[SSGW_CAPTURE_SKIP_TCP_NOT_M3UA], 1);
    /* and M3UA on the Diameter port is still Diameter to us: ports decide first */
    lim.tcp_detect_diameter = true;
    lim.diameter_ports[0] = 50001;
    CHECK_INT(read_back(&lim), 1);
    CHECK(is_diam(0, 0, 1));
}

static void sctp_chunks(void)
{
    static uint8_t two[2 * 8192 + 3];
    size_t n = concat(two, 0, 1);
    ssgw_pcap_writer *w = wopen("sctp.pcap", 1);
    if (!w) return;
    ssgw_pcap_endpoints e = ep(40001, SSGW_DIAM_PORT);
    /* 1: two messages in one DATA chunk (PPID 46), and a chunk of another PPID */
    ssgw_pcap_chunk ch[2] = {{.tsn = 1,
                              .stream = 1,
                              .ppid = SSGW_SCTP_PPID_DIAM,
                              .flags = SSGW_PCAP_CHUNK_WHOLE,
                              .data = two,
                              .len = n},
                             {.tsn = 2,
                              .stream = 1,
                              .ppid = 47,
                              .flags = SSGW_PCAP_CHUNK_WHOLE,
                              .data = msg[2],
                              .len = msg_len[2]}};
    ssgw_pcap_write_sctp_chunks(w, 1, 0, &e, ch, 2);
    /* 2: PPID 0 on port 3868 */
    ssgw_pcap_chunk c0 = {
        .tsn = 3, .ppid = 0, .flags = SSGW_PCAP_CHUNK_WHOLE, .data = msg[2], .len = msg_len[2]};
    ssgw_pcap_write_sctp_chunks(w, 1, 0, &e, &c0, 1);
    /* 3: a message followed by 3 stray octets: the message, then a record the decoder refuses */
    memcpy(two, msg[3], msg_len[3]);
    memset(two + msg_len[3], 0xee, 3);
    ssgw_pcap_chunk c3 = {.tsn = 4,
                          .ppid = SSGW_SCTP_PPID_DIAM,
                          .flags = SSGW_PCAP_CHUNK_WHOLE,
                          .data = two,
                          .len = msg_len[3] + 3};
    ssgw_pcap_write_sctp_chunks(w, 1, 0, &e, &c3, 1);
    /* 4, 5: a message in two fragments */
    size_t half = msg_len[4] / 2;
    ssgw_pcap_chunk f1 = {.tsn = 5,
                          .ppid = SSGW_SCTP_PPID_DIAM,
                          .flags = SSGW_PCAP_CHUNK_BEGIN,
                          .data = msg[4],
                          .len = half};
    ssgw_pcap_chunk f2 = {.tsn = 6,
                          .ppid = SSGW_SCTP_PPID_DIAM,
                          .flags = SSGW_PCAP_CHUNK_END,
                          .data = msg[4] + half,
                          .len = msg_len[4] - half};
    ssgw_pcap_write_sctp_chunks(w, 1, 0, &e, &f1, 1);
    ssgw_pcap_write_sctp_chunks(w, 1, 0, &e, &f2, 1);
    ssgw_pcap_writer_close(w);
    CHECK_INT(read_back(NULL), 6);
    CHECK(is_diam(0, 0, 1));
    CHECK(is_diam(1, 1, 1));
    CHECK_INT(recs[1].m.sctp_ppid, SSGW_SCTP_PPID_DIAM);
    CHECK_INT(recs[1].m.sctp_stream, 1);
    CHECK(is_diam(2, 2, 2));
    CHECK(is_diam(3, 3, 3));
    CHECK(!recs[4].m.is_error && recs[4].m.len == 3 && recs[4].m.frame == 3);
    CHECK(is_diam(5, 4, 5));
    CHECK_INT(stats.skipped[SSGW_CAPTURE_SKIP_SCTP_OTHER_PPID], 1);
    CHECK_INT(stats.sctp_reassembled, 1);
}

/* Wireshark's exported PDUs (link type 252) with the dissector name "diameter". */
static void exported_pdu(void)
{
    static uint8_t f[8300];
    size_t n = 0;
    static const uint8_t tag[] = {0, 12, 0, 8, 'd', 'i', 'a', 'm', 'e', 't', 'e', 'r',
                                  0, 24, 0, 4, 0,   0,   0,   2,   0,   0,   0,   0};
    memcpy(f, tag, sizeof tag);
    n = sizeof tag;
    memcpy(f + n, msg[5], msg_len[5]);
    n += msg_len[5];
    ssgw_pcap_writer *w = wopen("exported.pcap", 252);
    if (!w) return;
    ssgw_pcap_write_raw(w, 1, 0, f, n);
    ssgw_pcap_writer_close(w);
    CHECK_INT(read_back(NULL), 1);
    CHECK(is_diam(0, 5, 1));
    CHECK_INT(recs[0].m.transport, SSGW_CAPTURE_TRANSPORT_TCP);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/ssgw-capdiam-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    build_messages();
    RUN(tcp_several_and_split);
    RUN(tcp_broken_streams);
    RUN(tcp_detected_by_header);
    RUN(sctp_chunks);
    RUN(exported_pdu);
    const char *names[] = {"tcp.pcap", "tcp_broken.pcap", "tcp_other_port.pcap", "sctp.pcap",
                           "exported.pcap"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(file(names[i]));
    rmdir(dir);
    return check_summary();
}
