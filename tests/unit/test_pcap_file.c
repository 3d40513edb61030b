/*
 * test_pcap_file.c - the capture layer's pcap reader (src/capture/pcap_file.c) against
 * libpcap, the reference it replaces on regular files: captures of every `ssgw generate`
 * framing (link types, transports, adaptations, protocols), in the four magic forms
 * (micro- and nanoseconds, both byte orders), then cut at many lengths, with record headers
 * and file headers changed and random octets mutated; every record (timestamp, lengths,
 * bytes) and the end (end of file or the error text) must be libpcap's. The reader runs
 * with its smallest window so that records cross the window's end often. Also: a file that
 * shrinks while it is read ends with an error, not a crash; and ssgw_capture_open takes the
 * reader for classic pcap files and libpcap for pcapng.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "pcap_compare.h"
#include "ssgw/capture.h"

#define MIN_WINDOW (16 + 262144)

static char dir[] = "/tmp/ssgw-test-pcap-XXXXXX";
static unsigned long files_compared, files_not_taken, records_compared;

typedef struct {
    uint8_t *b;
    size_t len;
} blob;

static blob read_all(const char *path)
{
    blob r = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (!f) return r;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    r.b = malloc(n > 0 ? (size_t)n : 1);
    r.len = fread(r.b, 1, (size_t)n, f);
    fclose(f);
    return r;
}

/* Compares both readers on the octets; a difference is printed (the first few) and fails. */
static void compare(const uint8_t *b, size_t len, const char *what)
{
    static unsigned long shown;
    char path[64], diff[512];
    snprintf(path, sizeof path, "%s/x.pcap", dir);
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fwrite(b, 1, len, f);
    fclose(f);
    pcmp_outcome o = pcmp_file(path, MIN_WINDOW, diff, sizeof diff, &records_compared);
    if (o == PCMP_NOT_TAKEN) {
        files_not_taken++;
        return;
    }
    files_compared++;
    CHECK(o == PCMP_SAME);
    if (o != PCMP_SAME && shown++ < 8) fprintf(stderr, "  %s (%zu octets): %s\n", what, len, diff);
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v, int be)
{
    for (int i = 0; i < 4; i++)
        p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

/* The capture (little-endian, microseconds, as ssgw generate writes it) in another form:
 * big-endian and / or nanoseconds (the fraction made from the microseconds and a random
 * remainder, so that the reader's scaling is tested). Returns a new buffer. */
static uint8_t *convert(const blob *in, int be, int nsec)
{
    uint8_t *o = malloc(in->len);
    memcpy(o, in->b, in->len);
    put32(o, nsec ? 0xa1b23c4d : 0xa1b2c3d4, be);
    for (int i = 0; i < 2; i++)
        o[4 + (be ? 1 - i : i)] = in->b[4 + i], o[6 + (be ? 1 - i : i)] = in->b[6 + i];
    for (int k = 8; k < 24; k += 4)
        put32(o + k, le32(in->b + k), be);
    size_t pos = 24;
    while (pos + 16 <= in->len) {
        uint32_t v[4];
        for (int k = 0; k < 4; k++)
            v[k] = le32(in->b + pos + 4 * k);
        if (nsec) v[1] = v[1] * 1000 + (uint32_t)(check_rand() % 1000);
        for (int k = 0; k < 4; k++)
            put32(o + pos + 4 * k, v[k], be);
        pos += 16 + v[2];
    }
    return o;
}

/* Offsets of the record headers. */
static size_t record_offsets(const blob *c, size_t *offs, size_t max)
{
    size_t n = 0, pos = 24;
    while (pos + 16 <= c->len && n < max) {
        offs[n++] = pos;
        pos += 16 + le32(c->b + pos + 8);
    }
    return n;
}

/* The variants of one capture (little-endian microseconds): forms, cuts, header changes,
 * mutations. */
static void variants(const blob *c, const char *name)
{
    for (int be = 0; be < 2; be++)
        for (int nsec = 0; nsec < 2; nsec++) {
            uint8_t *o = convert(c, be, nsec);
            compare(o, c->len, name);
            /* cut: every length up to 200, around record ends, random */
            for (size_t n = 0; n < 200 && n < c->len; n++)
                compare(o, n, "cut");
            for (int i = 0; i < 40; i++)
                compare(o, 24 + check_rand() % (c->len - 24), "cut");
            free(o);
        }
    size_t offs[4096];
    size_t nrec = record_offsets(c, offs, 4096);
    uint8_t *m = malloc(c->len + 16);
    static const uint32_t caplens[] = {0,      1,          59,         60,        100,
                                       65535,  65536,      65600,      262143,    262144,
                                       262145, 0x7fffffff, 0x80000000, 0xffffffff};
    for (size_t i = 0; i < sizeof caplens / sizeof caplens[0]; i++)
        for (int be = 0; be < 2; be++) {
            /* a record's captured length, in a file of either byte order */
            uint8_t *o = convert(c, be, 0);
            put32(o + offs[check_rand() % nrec] + 8, caplens[i], be);
            compare(o, c->len, "caplen");
            /* the file's snapshot length */
            memcpy(m, o, c->len);
            memcpy(m, c->b, 24);
            uint8_t *k = convert(c, be, 0);
            put32(k + 16, caplens[i], be);
            compare(k, c->len, "snaplen");
            free(k);
            free(o);
        }
    /* link types, with and without the extension bits; versions; magics */
    static const uint32_t links[] = {0,   1,   9,   12,  14,         101,       108,
                                     113, 139, 140, 141, 147,        189,       220,
                                     228, 229, 252, 276, 0x04000001, 0x00010001};
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        for (int be = 0; be < 2; be++) {
            uint8_t *o = convert(c, be, 0);
            put32(o + 20, links[i], be);
            compare(o, c->len, "linktype");
            free(o);
        }
    static const uint16_t versions[][2] = {{2, 4}, {2, 3}, {2, 2}, {2, 5}, {1, 4}, {543, 0}};
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        memcpy(m, c->b, c->len);
        m[4] = (uint8_t)versions[i][0], m[5] = (uint8_t)(versions[i][0] >> 8);
        m[6] = (uint8_t)versions[i][1], m[7] = 0;
        compare(m, c->len, "version");
    }
    /* timestamps: negative, past a second, the largest */
    static const uint32_t stamps[] = {0, 999999, 1000000, 0x7fffffff, 0x80000000, 0xffffffff};
    for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++)
        for (int nsec = 0; nsec < 2; nsec++) {
            uint8_t *o = convert(c, 1, nsec);
            size_t at = offs[check_rand() % nrec];
            put32(o + at, stamps[i], 1);
            put32(o + at + 4, stamps[(i + 3) % 6], 1);
            put32(o + at + 12, stamps[(i + 1) % 6], 1);
            compare(o, c->len, "timestamp");
            free(o);
        }
    /* 1-3 random octets changed, then sometimes cut */
    for (int i = 0; i < 60; i++) {
        memcpy(m, c->b, c->len);
        int k = 1 + (int)(check_rand() % 3);
        for (int j = 0; j < k; j++) {
            size_t at = i < 30 ? check_rand() % (c->len < 400 ? c->len : 400)
                               : offs[check_rand() % nrec] + check_rand() % 16;
            m[at] = (uint8_t)check_rand();
        }
        compare(m, i % 2 ? c->len : 24 + check_rand() % (c->len - 24), "mutation");
    }
    free(m);
}

static void generated_captures(void)
{
    static const char *const opts[] = {
        "",
        "--link sll",
        "--link raw",
        "--link ipv6",
        "--link mtp3",
        "--link mtp2",
        "--link mtp2-phdr",
        "--transport tcp",
        "--chunks 3",
        "--segment-every 2 --link ipv6",
        "--adaptation m2pa",
        "--adaptation m2ua",
        "--adaptation sua",
        "--users map,cap,scmg,ansi",
        "--protocol isup",
        "--protocol sms",
        "--protocol diameter",
        "--protocol diameter --transport tcp --per-segment 3 --split-every 2",
    };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        char cmd[512], path[128];
        snprintf(path, sizeof path, "%s/g%zu.pcap", dir, i);
        snprintf(cmd, sizeof cmd, "%s generate --count 300 --seed %zu %s %s >/dev/null", SSGW_CLI,
                 i + 1, opts[i], path);
        CHECK_INT(system(cmd), 0);
        blob c = read_all(path);
        CHECK(c.len > 24);
        if (c.len <= 24) continue;
        variants(&c, opts[i]);
        free(c.b);
    }
    /* a larger one: records cross the reader's window's end many times */
    char cmd[512], path[128];
    snprintf(path, sizeof path, "%s/big.pcap", dir);
    snprintf(cmd, sizeof cmd, "%s generate --count 12000 --seed 9 %s >/dev/null", SSGW_CLI, path);
    CHECK_INT(system(cmd), 0);
    blob c = read_all(path);
    CHECK(c.len > 4 * MIN_WINDOW);
    compare(c.b, c.len, "big");
    for (int i = 0; i < 6; i++)
        compare(c.b, c.len - check_rand() % 20000, "big cut");
    free(c.b);
    printf("  %lu files compared with libpcap (%lu records), %lu left to libpcap\n", files_compared,
           records_compared, files_not_taken);
    CHECK(files_compared > 10000);
    CHECK(files_not_taken > 100); /* other versions, link types and magics go to libpcap */
}

/* A file cut shorter while it is read: the reader ends with libpcap's truncation error (or at
 * a record's end), never a fault. */
static void file_shrinks_while_read(void)
{
    char path[128], cmd[512];
    snprintf(path, sizeof path, "%s/shrink.pcap", dir);
    snprintf(cmd, sizeof cmd, "%s generate --count 20000 --seed 3 %s >/dev/null", SSGW_CLI, path);
    CHECK_INT(system(cmd), 0);
    int fd = open(path, O_RDONLY);
    cap_pcap_file *f = cap_pcap_file_open_window(fd, MIN_WINDOW);
    CHECK(f != NULL);
    if (!f) return;
    cap_pcap_rec r;
    const uint8_t *d;
    for (int i = 0; i < 100; i++)
        CHECK_INT(cap_pcap_file_next(f, &r, &d), 1);
    CHECK_INT(truncate(path, 400000 + 7), 0);
    int rc;
    unsigned long n = 100;
    while ((rc = cap_pcap_file_next(f, &r, &d)) == 1)
        n++;
    CHECK_INT(rc, -1);
    CHECK(strstr(cap_pcap_file_error(f), "truncated dump file") != NULL);
    CHECK(n > 100 && n < 20000);
    cap_pcap_file_close(f);
}

/* ssgw_capture_open on a classic pcap file (the reader): the link type libpcap reports, every
 * message. */
static void capture_open_chooses(void)
{
    char path[128], cmd[512], eb[512];
    snprintf(path, sizeof path, "%s/raw.pcap", dir);
    snprintf(cmd, sizeof cmd, "%s generate --count 50 --link raw %s >/dev/null", SSGW_CLI, path);
    CHECK_INT(system(cmd), 0);
    ssgw_capture *c = ssgw_capture_open(path, NULL, eb, sizeof eb);
    CHECK(c != NULL);
    if (!c) return;
    char pe[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, pe);
    CHECK(p != NULL);
    if (p) CHECK_INT(ssgw_capture_linktype(c), pcap_datalink(p));
    if (p) pcap_close(p);
    ssgw_capture_msg m;
    int n = 0;
    while (ssgw_capture_next(c, &m) == 1)
        n += !m.is_error;
    CHECK_INT(n, 50);
    ssgw_capture_close(c);
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    RUN(generated_captures);
    RUN(file_shrinks_while_read);
    RUN(capture_open_chooses);
    if (check_remove_tree(dir) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return check_summary();
}
