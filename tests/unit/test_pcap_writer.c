/*
 * test_pcap_writer.c - the pcap writer against the pcap file format, RFC 3720
 * CRC32c check values, RFC 1071 checksums recomputed here, and tshark: every
 * framing the writer produces must decode as M3UA (OPC/DPC/SI/SLS fields) with
 * a correct SCTP CRC32c and no expert errors or warnings. The tshark part is
 * skipped with a note when tshark is not installed.
 */
#include "check.h"
#include "ssgw/capture.h"
#include "ssgw/pcap_writer.h"
#include "util/bytes.h"

#include <stdlib.h>
#include <unistd.h>

/* M3UA DATA (RFC 4666 3.3.1): Protocol Data OPC 256, DPC 512, SI 3, NI 2, MP 0,
 * SLS 5, carrying an SCCP UDT (Q.713 4.10) with an SCMG SSA (Q.713 5.3). */
static const uint8_t m3ua_data[44] = {
    0x01, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x2c, 0x02, 0x10, 0x00, 0x21, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x03, 0x02, 0x00, 0x05, 0x09, 0x80, 0x03, 0x05, 0x07, 0x02,
    0x42, 0x01, 0x02, 0x42, 0x01, 0x05, 0x01, 0x08, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00};
/* ASPUP (RFC 4666 3.5.1) without parameters. */
static const uint8_t m3ua_aspup[8] = {0x01, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00, 0x08};

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static size_t slurp(const char *path, uint8_t *out, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(out, 1, cap, f);
    fclose(f);
    return n;
}

static ssgw_pcap_endpoints endpoints(bool v6)
{
    ssgw_pcap_endpoints ep;
    memset(&ep, 0, sizeof ep);
    ep.ipv6 = v6;
    ep.src_ip4 = 0x0a000001;
    ep.dst_ip4 = 0x0a000002;
    static const uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    memcpy(ep.src_ip6, a6, 16);
    memcpy(ep.dst_ip6, a6, 16);
    ep.dst_ip6[15] = 2;
    ep.src_port = 2905;
    ep.dst_port = 2905;
    ep.vtag = 0x11223344;
    return ep;
}

static void crc32c_check_values(void)
{
    /* RFC 3720 appendix B.4 and the common "123456789" check value */
    uint8_t buf[32];
    CHECK_INT(ssgw_crc32c(0, (const uint8_t *)"123456789", 9), 0xe3069283u);
    memset(buf, 0, sizeof buf);
    CHECK_INT(ssgw_crc32c(0, buf, 32), 0x8a9136aau);
    memset(buf, 0xff, sizeof buf);
    CHECK_INT(ssgw_crc32c(0, buf, 32), 0x62a8ab43u);
    for (int i = 0; i < 32; i++)
        buf[i] = (uint8_t)i;
    CHECK_INT(ssgw_crc32c(0, buf, 32), 0x46dd794eu);
    /* incremental == one shot */
    CHECK_INT(ssgw_crc32c(ssgw_crc32c(0, buf, 10), buf + 10, 22), 0x46dd794eu);
}

static void file_header_and_records(void)
{
    char err[256];
    ssgw_pcap_writer *w = ssgw_pcap_writer_open(tmp_path("raw.pcap"), 141, err, sizeof err);
    CHECK(w != NULL);
    if (!w) return;
    const uint8_t msu[7] = {0x83, 0x00, 0x02, 0x40, 0x50, 0xaa, 0xbb};
    CHECK_INT(ssgw_pcap_write_mtp3(w, 1700000000, 123456, msu, sizeof msu), 0);
    CHECK_INT(ssgw_pcap_writer_close(w), 0);
    uint8_t f[128];
    size_t n = slurp(tmp_path("raw.pcap"), f, sizeof f);
    CHECK_INT(n, 24 + 16 + 7);
    uint8_t hdr[24];
    check_hex("d4c3b2a1 0200 0400 00000000 00000000 40000100 8d000000", hdr, sizeof hdr);
    CHECK_MEM(f, 24, hdr, 24);
    CHECK_INT(get_le32(f + 24), 1700000000);
    CHECK_INT(get_le32(f + 28), 123456);
    CHECK_INT(get_le32(f + 32), 7);
    CHECK_INT(get_le32(f + 36), 7);
    CHECK_MEM(f + 40, 7, msu, 7);

    /* an MTP3 write into an Ethernet file is refused */
    w = ssgw_pcap_writer_open(tmp_path("eth.pcap"), 1, err, sizeof err);
    CHECK(w != NULL);
    if (!w) return;
    CHECK_INT(ssgw_pcap_write_mtp3(w, 0, 0, msu, sizeof msu), -1);
    CHECK(ssgw_pcap_writer_error(w)[0] != 0);
    ssgw_pcap_writer_close(w);
    CHECK(ssgw_pcap_writer_open("/nonexistent-dir/x.pcap", 1, err, sizeof err) == NULL);
    CHECK(strstr(err, "nonexistent") != NULL);
}

static void sctp_frame_layout(void)
{
    char err[256];
    ssgw_pcap_writer *w = ssgw_pcap_writer_open(tmp_path("sctp.pcap"), 1, err, sizeof err);
    CHECK(w != NULL);
    if (!w) return;
    ssgw_pcap_endpoints ep = endpoints(false);
    CHECK_INT(ssgw_pcap_write_sctp(w, 1, 2, &ep, 7, 1000, m3ua_data, sizeof m3ua_data), 0);
    CHECK_INT(ssgw_pcap_writer_close(w), 0);
    uint8_t f[256];
    size_t n = slurp(tmp_path("sctp.pcap"), f, sizeof f);
    const uint8_t *e = f + 40;
    size_t flen = 14 + 20 + 12 + 16 + 44;
    CHECK_INT(n, 40 + flen);
    CHECK_INT(get_be16(e + 12), 0x0800);
    const uint8_t *ip = e + 14;
    CHECK_INT(ip[0], 0x45);
    CHECK_INT(get_be16(ip + 2), 20 + 12 + 16 + 44);
    CHECK_INT(ip[9], 132);
    uint32_t sum = 0; /* RFC 1071: a correct header sums to 0xffff */
    for (int i = 0; i < 20; i += 2)
        sum += get_be16(ip + i);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    CHECK_INT(sum, 0xffff);
    const uint8_t *s = ip + 20;
    CHECK_INT(get_be16(s), 2905);
    CHECK_INT(get_be32(s + 4), 0x11223344);
    CHECK_INT(s[12], 0);    /* DATA */
    CHECK_INT(s[13], 0x03); /* B and E */
    CHECK_INT(get_be16(s + 14), 16 + 44);
    CHECK_INT(get_be32(s + 16), 1000);
    CHECK_INT(get_be16(s + 20), 7);
    CHECK_INT(get_be32(s + 24), 3);
    CHECK_MEM(s + 28, 44, m3ua_data, 44);
    /* CRC32c over the packet with a zero checksum field, least significant byte first */
    uint8_t copy[128];
    memcpy(copy, s, 72);
    memset(copy + 8, 0, 4);
    CHECK_INT(get_le32(s + 8), ssgw_crc32c(0, copy, 72));
}

/* Runs a command, returns its whole output (static buffer) or NULL. */
static const char *run(const char *cmd)
{
    static char out[16384];
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    pclose(p);
    return out;
}

static bool have_tshark(void)
{
    return system("command -v tshark >/dev/null 2>&1") == 0;
}

/*
 * Runs tshark on path with the given options (fields); the output also holds
 * tshark's expert summary for warnings and errors, which must be empty, so the
 * output must equal expected exactly.
 */
static void tshark_expect(const char *path, const char *opts, const char *expected)
{
    char cmd[768];
    snprintf(cmd, sizeof cmd,
             "tshark -o sctp.checksum:CRC-32C -o ip.check_checksum:TRUE "
             "-o tcp.check_checksum:TRUE -r %s -z expert,warn %s 2>/dev/null",
             path, opts);
    const char *o = run(cmd);
    CHECK(o != NULL);
    if (!o) return;
    CHECK(strstr(o, "Errors") == NULL && strstr(o, "Warns") == NULL);
    CHECK_STR(o, expected);
}

static void tshark_decodes_sctp_framings(void)
{
    if (!have_tshark()) {
        printf("note: tshark not found, tshark cross-check skipped\n");
        return;
    }
    static const struct {
        int linktype;
        bool v6;
    } cases[] = {{1, false},   {0, false}, {101, false}, {228, false}, {113, false},
                 {276, false}, {1, true},  {229, true},  {113, true}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[32], err[256];
        snprintf(name, sizeof name, "t%zu.pcap", i);
        char path[128];
        snprintf(path, sizeof path, "%s", tmp_path(name));
        ssgw_pcap_writer *w = ssgw_pcap_writer_open(path, cases[i].linktype, err, sizeof err);
        CHECK(w != NULL);
        if (!w) continue;
        ssgw_pcap_endpoints ep = endpoints(cases[i].v6);
        CHECK_INT(ssgw_pcap_write_sctp(w, 100, 0, &ep, 1, 10, m3ua_data, sizeof m3ua_data), 0);
        ssgw_pcap_chunk ch[3] = {
            {11, 1, 1, 3, SSGW_PCAP_CHUNK_WHOLE, m3ua_data, sizeof m3ua_data},
            {12, 0, 0, 3, SSGW_PCAP_CHUNK_WHOLE, m3ua_aspup, sizeof m3ua_aspup},
            {13, 2, 0, 3, SSGW_PCAP_CHUNK_WHOLE, m3ua_data, sizeof m3ua_data},
        };
        CHECK_INT(ssgw_pcap_write_sctp_chunks(w, 100, 1, &ep, ch, 3), 0);
        /* one message in two fragments */
        ssgw_pcap_chunk fr[2] = {{14, 1, 2, 3, SSGW_PCAP_CHUNK_BEGIN, m3ua_data, 20},
                                 {15, 1, 2, 3, SSGW_PCAP_CHUNK_END, m3ua_data + 20, 24}};
        CHECK_INT(ssgw_pcap_write_sctp_chunks(w, 100, 2, &ep, fr, 1), 0);
        CHECK_INT(ssgw_pcap_write_sctp_chunks(w, 100, 3, &ep, fr + 1, 1), 0);
        CHECK_INT(ssgw_pcap_writer_close(w), 0);
        tshark_expect(path,
                      "-T fields -E separator=: -e m3ua.protocol_data_opc "
                      "-e m3ua.protocol_data_dpc -e m3ua.protocol_data_si "
                      "-e m3ua.protocol_data_sls -e sctp.checksum.status -e m3ua.message_class",
                      "256:512:3:5:1:1\n"
                      "256,256:512,512:3,3:5,5:1:1,3,1\n"
                      "::::1:\n"
                      "256:512:3:5:1:1\n");
    }
}

static void tshark_checks_tcp_and_mtp3(void)
{
    if (!have_tshark()) {
        printf("note: tshark not found, tshark cross-check skipped\n");
        return;
    }
    char err[256], path[128];
    snprintf(path, sizeof path, "%s", tmp_path("tcp.pcap"));
    ssgw_pcap_writer *w = ssgw_pcap_writer_open(path, 1, err, sizeof err);
    CHECK(w != NULL);
    if (!w) return;
    ssgw_pcap_endpoints a = endpoints(false), b = endpoints(false);
    a.src_port = 40000;
    b.src_ip4 = a.dst_ip4;
    b.dst_ip4 = a.src_ip4;
    b.src_port = 2905;
    b.dst_port = 40000;
    CHECK_INT(ssgw_pcap_write_tcp(w, 1, 0, &a, m3ua_aspup, 8), 0);
    CHECK_INT(ssgw_pcap_write_tcp(w, 1, 1, &b, m3ua_aspup, 8), 0);
    CHECK_INT(ssgw_pcap_write_tcp(w, 1, 2, &a, m3ua_data, 20), 0);
    CHECK_INT(ssgw_pcap_write_tcp(w, 1, 3, &a, m3ua_data + 20, 24), 0);
    CHECK_INT(ssgw_pcap_writer_close(w), 0);
    tshark_expect(path,
                  "-o tcp.relative_sequence_numbers:FALSE -T fields -E separator=: -e tcp.seq "
                  "-e tcp.ack -e tcp.len -e tcp.checksum.status",
                  "1:1:8:1\n1:9:8:1\n9:9:20:1\n29:9:24:1\n");

    /* MTP3 MSU: SIO 0x83 (national, SCCP), ITU label DPC 512, OPC 256, SLS 5 (Q.704 2.2) */
    snprintf(path, sizeof path, "%s", tmp_path("mtp3.pcap"));
    w = ssgw_pcap_writer_open(path, 141, err, sizeof err);
    CHECK(w != NULL);
    if (!w) return;
    uint8_t msu[5 + 17] = {0x83, 0x00, 0x02, 0x40, 0x50};
    memcpy(msu + 5, m3ua_data + 24, 17);
    CHECK_INT(ssgw_pcap_write_mtp3(w, 1, 0, msu, sizeof msu), 0);
    CHECK_INT(ssgw_pcap_writer_close(w), 0);
    tshark_expect(path,
                  "-T fields -E separator=: -e mtp3.opc -e mtp3.dpc -e mtp3.sls "
                  "-e sccp.message_type",
                  "256:512:5:0x09\n");
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ssgw-pcapw-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(crc32c_check_values);
    RUN(file_header_and_records);
    RUN(sctp_frame_layout);
    RUN(tshark_decodes_sctp_framings);
    RUN(tshark_checks_tcp_and_mtp3);
    if (check_remove_tree(tmpdir) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return check_summary();
}
