/*
 * test_mtp3.c - MTP3 SIO and ITU routing label (Q.704 2.2, 14.2) codec.
 *
 * The MSU vectors were checked with tshark 4.0 on a DLT_MTP3 (141) pcap:
 *   83 67058db4 ...  -> mtp3.network_indicator 2, service_indicator 3 (SCCP),
 *                       mtp3.dpc 1383, mtp3.opc 4660, mtp3.sls 11;
 *                       with -o mtp3.itu_pc_structure:3-8-3: DPC 0-172-7, OPC 2-70-4
 *   03 ff3f00f0      -> ni 0, si 3, dpc 16383 (7-255-7), opc 0, sls 15
 *   d5 00c0ff0f aa   -> ni 3, si 5 (ISUP), "ITU priority" 1 (mtp3.itu_priority:TRUE),
 *                       dpc 0, opc 16383, sls 0
 */
#include <stdlib.h>

#include "check.h"
#include "ssgw/mtp3.h"

static void decode_tshark_vectors(void)
{
    uint8_t in[16];
    ssgw_mtp3_msu m;
    ssgw_error e;
    int n = check_hex("83 67058db4 0981030e19", in, sizeof in);
    CHECK_INT(ssgw_mtp3_decode(in, (size_t)n, &m, &e), 0);
    CHECK_INT(m.si, SSGW_MTP3_SI_SCCP);
    CHECK_INT(m.ni, SSGW_MTP3_NI_NATIONAL);
    CHECK_INT(m.priority, 0);
    CHECK_INT(m.label.dpc, 1383);
    CHECK_INT(m.label.opc, 4660);
    CHECK_INT(m.label.sls, 11);
    CHECK_INT(m.payload_len, 5);
    CHECK(m.payload == in + 5);

    n = check_hex("03 ff3f00f0", in, sizeof in);
    CHECK_INT(ssgw_mtp3_decode(in, (size_t)n, &m, &e), 0);
    CHECK_INT(m.ni, 0);
    CHECK_INT(m.label.dpc, 16383);
    CHECK_INT(m.label.opc, 0);
    CHECK_INT(m.label.sls, 15);
    CHECK_INT(m.payload_len, 0);

    n = check_hex("d5 00c0ff0f aa", in, sizeof in);
    CHECK_INT(ssgw_mtp3_decode(in, (size_t)n, &m, &e), 0);
    CHECK_INT(m.ni, 3);
    CHECK_INT(m.si, SSGW_MTP3_SI_ISUP);
    CHECK_INT(m.priority, 1);
    CHECK_INT(m.label.dpc, 0);
    CHECK_INT(m.label.opc, 16383);
    CHECK_INT(m.label.sls, 0);
}

static void encode_round_trip(void)
{
    const char *vec[] = {"83 67058db4 0981030e19", "03 ff3f00f0", "d5 00c0ff0f aa"};
    for (size_t i = 0; i < 3; i++) {
        uint8_t in[16], mem[16];
        int n = check_hex(vec[i], in, sizeof in);
        ssgw_mtp3_msu m;
        ssgw_error e;
        CHECK_INT(ssgw_mtp3_decode(in, (size_t)n, &m, &e), 0);
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        CHECK_INT(ssgw_mtp3_encode(&b, &m), 0);
        CHECK_MEM(b.data, b.len, in, (size_t)n);
    }
    /* Out-of-range fields are refused, not truncated. */
    uint8_t mem[16];
    ssgw_buf b;
    ssgw_mtp3_msu m = {.si = 3, .label = {.dpc = 0x4000, .opc = 1, .sls = 1}};
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_mtp3_encode(&b, &m), -1);
    m.label.dpc = 1;
    m.label.sls = 16;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_mtp3_encode(&b, &m), -1);
    m.label.sls = 1;
    m.ni = 4;
    ssgw_buf_init(&b, mem, sizeof mem);
    CHECK_INT(ssgw_mtp3_encode(&b, &m), -1);
    m.ni = 0;
    ssgw_buf_init(&b, mem, 4);
    CHECK_INT(ssgw_mtp3_encode(&b, &m), -1);
    CHECK(b.overflow);
}

static void sio_bits(void)
{
    CHECK_INT(ssgw_mtp3_sio(3, 2, 0), 0x83);
    CHECK_INT(ssgw_mtp3_sio(5, 3, 1), 0xd5);
    uint8_t si, ni, pr;
    ssgw_mtp3_sio_split(0xe9, &si, &ni, &pr);
    CHECK_INT(si, 9);
    CHECK_INT(ni, 3);
    CHECK_INT(pr, 2);
}

static void truncated(void)
{
    uint8_t in[5] = {0x83, 0x67, 0x05, 0x8d, 0xb4};
    ssgw_mtp3_msu m;
    ssgw_error e;
    for (size_t k = 0; k < 5; k++) {
        uint8_t *copy = malloc(k ? k : 1);
        memcpy(copy, in, k);
        CHECK_INT(ssgw_mtp3_decode(copy, k, &m, &e), -1);
        CHECK_INT(e.layer, SSGW_LAYER_MTP3);
        CHECK_INT(e.code, SSGW_E_TRUNCATED);
        CHECK_STR(e.field, k == 0 ? "sio" : "routing label");
        CHECK_INT(e.offset, k == 0 ? 0 : 1);
        free(copy);
    }
    ssgw_mtp3_label l;
    CHECK_INT(ssgw_mtp3_label_decode(in + 1, 3, &l, &e), -1);
    CHECK_INT(ssgw_mtp3_label_decode(in + 1, 4, &l, &e), 0);
    CHECK_INT(l.opc, 4660);
}

static void point_codes(void)
{
    char s[32];
    ssgw_mtp3_pc_format_383(1383, s, sizeof s);
    CHECK_STR(s, "0-172-7");
    ssgw_mtp3_pc_format_383(4660, s, sizeof s);
    CHECK_STR(s, "2-70-4");
    ssgw_mtp3_pc_format_383(16383, s, sizeof s);
    CHECK_STR(s, "7-255-7");
    ssgw_mtp3_pc_format_dec(4660, s, sizeof s);
    CHECK_STR(s, "4660");
    uint16_t pc = 0;
    CHECK_INT(ssgw_mtp3_pc_parse("2-70-4", &pc), 0);
    CHECK_INT(pc, 4660);
    CHECK_INT(ssgw_mtp3_pc_parse("1383", &pc), 0);
    CHECK_INT(pc, 1383);
    CHECK_INT(ssgw_mtp3_pc_parse("16383", &pc), 0);
    CHECK_INT(ssgw_mtp3_pc_parse("16384", &pc), -1);
    CHECK_INT(ssgw_mtp3_pc_parse("8-0-0", &pc), -1);
    CHECK_INT(ssgw_mtp3_pc_parse("0-256-0", &pc), -1);
    CHECK_INT(ssgw_mtp3_pc_parse("0-1-8", &pc), -1);
    CHECK_INT(ssgw_mtp3_pc_parse("1-2", &pc), -1);
    CHECK_INT(ssgw_mtp3_pc_parse("1-2-3-", &pc), -1);
    CHECK_INT(ssgw_mtp3_pc_parse("", &pc), -1);
    CHECK_INT(ssgw_mtp3_pc_parse("999999999", &pc), -1);
    for (unsigned v = 0; v <= SSGW_MTP3_PC_MAX; v++) {
        ssgw_mtp3_pc_format_383((uint16_t)v, s, sizeof s);
        if (ssgw_mtp3_pc_parse(s, &pc) != 0 || pc != v) {
            CHECK_INT(pc, v);
            break;
        }
    }
    CHECK_STR(ssgw_mtp3_si_name(3), "sccp");
    CHECK_STR(ssgw_mtp3_si_name(15), "unknown");
    CHECK_STR(ssgw_mtp3_ni_name(2), "national");
}

int main(void)
{
    RUN(decode_tshark_vectors);
    RUN(encode_round_trip);
    RUN(sio_bits);
    RUN(truncated);
    RUN(point_codes);
    return check_summary();
}
