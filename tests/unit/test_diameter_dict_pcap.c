/*
 * test_diameter_dict_pcap.c - every AVP of the Diameter dictionary on the wire, for
 * the tshark oracle (tests/oracle/test_diameter_tshark.py --dictionary): one S6a
 * message per AVP of the dictionary, holding that AVP with a value of its type
 * (a Grouped AVP holds one Origin-Host), written with the encoder over SCTP, and
 * beside it one JSON line per message with what ssgw's decoder reads back: code,
 * vendor, name, type, flags and the value as text. The oracle checks each against
 * Wireshark's decoding and dictionary.
 *
 * Usage: test_diameter_dict_pcap [DIR] - writes DIR/dictionary.pcap and
 * DIR/dictionary.jsonl. Without arguments (as a unit test) it writes them into a
 * temporary directory and checks that every AVP decodes back as written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "ssgw/diameter.h"
#include "ssgw/json.h"
#include "ssgw/pcap_writer.h"
#include "util/bytes.h"

/* A value for an AVP of type t; some AVPs have a format of their own. */
static size_t value_for(const ssgw_diam_avp_def *d, uint8_t *v)
{
    static const uint8_t plmn[3] = {0x32, 0xf4, 0x51};                   /* 234-15 */
    static const uint8_t tbcd[6] = {0x33, 0x16, 0x32, 0x54, 0x76, 0xf8}; /* 33612345678 */
    const char *s = "node.example.org";
    switch (d->type) {
    case SSGW_DIAM_T_INTEGER32:
    case SSGW_DIAM_T_UNSIGNED32:
    case SSGW_DIAM_T_ENUMERATED:
    case SSGW_DIAM_T_FLOAT32:
    case SSGW_DIAM_T_TIME:
        put_be32(v, d->code == SSGW_DIAM_AVP_RESULT_CODE ? 2001 : 1);
        return 4;
    case SSGW_DIAM_T_INTEGER64:
    case SSGW_DIAM_T_UNSIGNED64:
    case SSGW_DIAM_T_FLOAT64:
        memset(v, 0, 8);
        v[7] = 1;
        return 8;
    case SSGW_DIAM_T_ADDRESS:
        v[0] = 0, v[1] = 1, v[2] = 10, v[3] = 0, v[4] = 0, v[5] = 1;
        return 6;
    case SSGW_DIAM_T_OCTETS:
        if (d->code == SSGW_DIAM_AVP_VISITED_PLMN_ID) {
            memcpy(v, plmn, 3);
            return 3;
        }
        if (d->vendor && (d->code == SSGW_DIAM_AVP_MSISDN || d->code == SSGW_DIAM_AVP_STN_SR ||
                          d->code == SSGW_DIAM_AVP_SGSN_NUMBER ||
                          d->code == SSGW_DIAM_AVP_MME_NUMBER_FOR_MT_SMS)) {
            memcpy(v, tbcd, sizeof tbcd);
            return sizeof tbcd;
        }
        for (int i = 0; i < 5; i++)
            v[i] = (uint8_t)(i + 1);
        return 5;
    default:
        break;
    }
    if (d->code == SSGW_DIAM_AVP_USER_NAME) s = "208011234567890";
    if (d->code == SSGW_DIAM_AVP_IMEI) s = "35123456789012";
    if (d->code == SSGW_DIAM_AVP_USER_ID) s = "20801";
    if (d->code == SSGW_DIAM_AVP_SOFTWARE_VERSION) s = "05";
    if (d->type == SSGW_DIAM_T_URI) s = "aaa://node.example.org";
    memcpy(v, s, strlen(s));
    return strlen(s);
}

/* Writes the message for dictionary entry i into b. */
static int build(size_t i, ssgw_buf *b)
{
    const ssgw_diam_avp_def *d = ssgw_diam_avp_def_at(i);
    ssgw_diam_enc e;
    ssgw_diam_enc_begin(&e, b, SSGW_DIAM_FLAG_R | SSGW_DIAM_FLAG_P, SSGW_DIAM_CMD_UPDATE_LOCATION,
                        SSGW_DIAM_APP_S6A, (uint32_t)i + 1, (uint32_t)i + 1000);
    if (d->code != SSGW_DIAM_AVP_ORIGIN_HOST)
        ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, "mme.example.org");
    if (d->type == SSGW_DIAM_T_GROUPED) {
        ssgw_diam_enc_group_begin(&e, d->code, d->vendor);
        ssgw_diam_enc_str(&e, SSGW_DIAM_AVP_ORIGIN_HOST, 0, "inner.example.org");
        ssgw_diam_enc_group_end(&e);
    } else {
        uint8_t v[64];
        ssgw_diam_enc_avp(&e, d->code, d->vendor, v, value_for(d, v));
    }
    return ssgw_diam_enc_end(&e) < 0 ? -1 : 0;
}

/* The JSON line of what the decoder reads back of the message's AVP under test. */
static int describe(const ssgw_diam_avp_def *d, const uint8_t *m, size_t len, char *out, size_t cap)
{
    ssgw_diam_msg msg;
    ssgw_error err;
    if (ssgw_diam_decode(m, len, &msg, &err) < 0) return -1;
    ssgw_diam_iter it;
    ssgw_diam_iter_msg(&it, &msg);
    ssgw_diam_avp a;
    if (d->code == SSGW_DIAM_AVP_ORIGIN_HOST) {
        if (!ssgw_diam_find(it, d->code, d->vendor, &a)) return -1;
    } else {
        ssgw_diam_next(&it, &a, NULL); /* the Origin-Host */
        if (ssgw_diam_next(&it, &a, NULL) != 1) return -1;
    }
    if (a.def != d) return -1;
    ssgw_json j;
    ssgw_json_begin(&j, out, cap);
    ssgw_json_int(&j, "hbh", msg.hbh);
    ssgw_json_int(&j, "code", a.code);
    ssgw_json_int(&j, "vendor", a.vendor);
    ssgw_json_str(&j, "name", a.def->name);
    ssgw_json_str(&j, "type", ssgw_diam_type_name(a.def->type));
    ssgw_json_int(&j, "flags", a.flags);
    ssgw_json_int(&j, "must", a.def->must);
    ssgw_json_int(&j, "must_not", a.def->must_not);
    uint32_t v32;
    uint64_t v64;
    if (d->type == SSGW_DIAM_T_GROUPED) {
        ssgw_diam_iter in;
        ssgw_diam_iter_group(&in, &a);
        int n = 0;
        ssgw_diam_avp c;
        while (ssgw_diam_next(&in, &c, NULL) == 1)
            n++;
        ssgw_json_int(&j, "members", n);
    } else if (d->type == SSGW_DIAM_T_UTF8STRING || d->type == SSGW_DIAM_T_IDENTITY ||
               d->type == SSGW_DIAM_T_URI) {
        ssgw_json_strn(&j, "value", (const char *)a.data, a.len);
    } else if (d->type == SSGW_DIAM_T_ADDRESS) {
        char ip[20];
        snprintf(ip, sizeof ip, "%u.%u.%u.%u", a.data[2], a.data[3], a.data[4], a.data[5]);
        ssgw_json_str(&j, "value", ip);
    } else if (ssgw_diam_avp_u32(&a, &v32) == 0 && d->type != SSGW_DIAM_T_OCTETS) {
        ssgw_json_int(&j, "value", v32);
    } else if (ssgw_diam_avp_u64(&a, &v64) == 0 && d->type != SSGW_DIAM_T_OCTETS) {
        ssgw_json_int(&j, "value", (long long)v64);
    } else {
        ssgw_json_hex(&j, "value", a.data, a.len);
    }
    return ssgw_json_end(&j) < 0 ? -1 : 0;
}

static int write_all(const char *dir)
{
    char path[256], err[256];
    snprintf(path, sizeof path, "%s/dictionary.pcap", dir);
    ssgw_pcap_writer *w = ssgw_pcap_writer_open(path, 1, err, sizeof err);
    snprintf(path, sizeof path, "%s/dictionary.jsonl", dir);
    FILE *js = fopen(path, "w");
    if (!w || !js) {
        fprintf(stderr, "%s: %s\n", dir, w ? "cannot write the jsonl" : err);
        ssgw_pcap_writer_close(w);
        if (js) fclose(js);
        return -1;
    }
    ssgw_pcap_endpoints ep;
    memset(&ep, 0, sizeof ep);
    ep.src_ip4 = 0x0a000001;
    ep.dst_ip4 = 0x0a000002;
    ep.src_port = 40001;
    ep.dst_port = SSGW_DIAM_PORT;
    ep.vtag = 7;
    int bad = 0;
    for (size_t i = 0; i < ssgw_diam_avp_def_count(); i++) {
        uint8_t mem[256];
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        char line[512];
        const ssgw_diam_avp_def *d = ssgw_diam_avp_def_at(i);
        if (build(i, &b) < 0 || describe(d, b.data, b.len, line, sizeof line) < 0) {
            fprintf(stderr, "AVP %s does not round-trip\n", d->name);
            bad++;
            continue;
        }
        ssgw_pcap_chunk ch = {.tsn = (uint32_t)i,
                              .ppid = SSGW_SCTP_PPID_DIAM,
                              .flags = SSGW_PCAP_CHUNK_WHOLE,
                              .data = b.data,
                              .len = b.len};
        if (ssgw_pcap_write_sctp_chunks(w, 1700000000, (uint32_t)i, &ep, &ch, 1) < 0) bad++;
        fprintf(js, "%s\n", line);
    }
    fclose(js);
    if (ssgw_pcap_writer_close(w) < 0) bad++;
    return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1) return write_all(argv[1]) < 0 ? 1 : 0;
    char dir[] = "/tmp/ssgw-diamdict-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    CHECK_INT(write_all(dir), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/dictionary.pcap", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/dictionary.jsonl", dir);
    unlink(path);
    rmdir(dir);
    return check_summary();
}
