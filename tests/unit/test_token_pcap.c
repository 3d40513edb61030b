/*
 * test_token_pcap.c - writes the same generated traffic twice, unsigned and signed
 * (security token, docs/wire-format.md), as Ethernet/IPv4/SCTP/M3UA pcaps for the
 * tshark oracle (tests/oracle/test_token_tshark.py), which checks that tshark decodes
 * every signed message without a malformed or expert mark and extracts the same
 * TCAP/MAP fields as from the unsigned file.
 *
 * Usage: test_token_pcap [DIR [COUNT]] - writes DIR/unsigned.pcap and DIR/signed.pcap
 * (and one pcap per TCAP message shape, DIR/shape-<type>-<placement>.pcap). Without
 * arguments (as a unit test) it writes into a temporary directory and checks that both
 * files were produced; the oracle is the Python test.
 * Signed messages that outgrow a UDT are carried in XUDT, or XUDT segments (tshark
 * reassembles them), through ssgw_trust_sccp_repack().
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "check.h"
#include "ssgw/gen.h"
#include "ssgw/m3ua.h"
#include "ssgw/pcap_writer.h"
#include "ssgw/sccp.h"
#include "ssgw/tcap.h"
#include "ssgw/token.h"

#define NOW ((time_t)1767225600)

static uint32_t tsn = 1;

static int write_sccp(ssgw_pcap_writer *w, const uint8_t *sccp, size_t len, uint32_t ts)
{
    uint8_t m3[4096];
    ssgw_buf b;
    ssgw_buf_init(&b, m3, sizeof m3);
    uint32_t rc = 1;
    ssgw_m3ua_data_info d = {.routing_context = &rc, .n_routing_context = 1};
    d.pd.opc = 100;
    d.pd.dpc = 200;
    d.pd.si = 3;
    d.pd.ni = 2;
    d.pd.sls = 0;
    d.pd.data = sccp;
    d.pd.data_len = len;
    if (ssgw_m3ua_encode_data(&b, &d) < 0 || b.overflow) return -1;
    ssgw_pcap_endpoints ep = {.src_ip4 = 0x0a000001,
                              .dst_ip4 = 0x0a000002,
                              .src_port = 2905,
                              .dst_port = 2905,
                              .vtag = 1};
    return ssgw_pcap_write_sctp(w, ts, 0, &ep, 1, tsn++, b.data, b.len);
}

/* Writes tcap with the calling GT as UDT (or XUDT / segments when it does not fit). */
static int write_tcap(ssgw_pcap_writer *w, const uint8_t *tcap, size_t len, const char *gt,
                      uint32_t ts, uint32_t ref)
{
    ssgw_sccp_msg m;
    ssgw_sccp_msg_init(&m, SSGW_SCCP_UDT);
    ssgw_sccp_addr_gt(&m.called, "33612345678", 6);
    ssgw_sccp_addr_gt(&m.calling, gt, 7);
    static uint8_t mem[16][300];
    ssgw_buf bufs[16];
    for (int i = 0; i < 16; i++)
        ssgw_buf_init(&bufs[i], mem[i], sizeof mem[i]);
    ssgw_error e;
    int n = ssgw_trust_sccp_repack(&m, tcap, len, 0, ref, bufs, 16, &e);
    if (n < 1) return -1;
    for (int i = 0; i < n; i++)
        if (write_sccp(w, bufs[i].data, bufs[i].len, ts) < 0) return -1;
    return 0;
}

int main(int argc, char **argv)
{
    char dir[256], path[1024], errbuf[256];
    unsigned count = argc > 2 ? (unsigned)atoi(argv[2]) : 400;
    if (argc > 1) {
        snprintf(dir, sizeof dir, "%s", argv[1]);
        mkdir(dir, 0755);
    } else {
        snprintf(dir, sizeof dir, "/tmp/ssgw-token-pcap-XXXXXX");
        if (!mkdtemp(dir)) return 1;
    }

    EVP_PKEY *sign = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    EVP_PKEY *ka = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    EVP_PKEY *peer_sign = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    EVP_PKEY *peer_ka = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    ssgw_keyring *kr = ssgw_keyring_new();
    CHECK_INT(ssgw_keyring_set_own(kr, sign, ka), 0);
    ssgw_keyring_member peer;
    memset(&peer, 0, sizeof peer);
    peer.sign_key = peer_sign;
    peer.ka_key = peer_ka;
    ssgw_key_id(peer_sign, peer.key_id);
    peer.not_after = NOW + 86400;
    CHECK_INT(ssgw_keyring_add(kr, &peer), 0);
    ssgw_trust *t = ssgw_trust_new(kr, NULL);

    snprintf(path, sizeof path, "%s/unsigned.pcap", dir);
    ssgw_pcap_writer *wu = ssgw_pcap_writer_open(path, 1, errbuf, sizeof errbuf);
    snprintf(path, sizeof path, "%s/signed.pcap", dir);
    ssgw_pcap_writer *ws = ssgw_pcap_writer_open(path, 1, errbuf, sizeof errbuf);
    CHECK(wu && ws);
    if (!wu || !ws) return 1;

    static uint8_t msg[4096], sig_mem[8192];
    unsigned signed_n = 0, refused = 0;
    bool shape_done[8][SSGW_TOKEN_PLACE_COUNT] = {{false}};
    for (unsigned i = 0; i < count; i++) {
        ssgw_buf g, s;
        ssgw_gen_info info;
        ssgw_error e;
        char gt[24];
        snprintf(gt, sizeof gt, "4477%08u", i);
        ssgw_buf_init(&g, msg, sizeof msg);
        if (ssgw_gen_tcap(21, i, &g, &info, &e) < 0) continue;
        ssgw_buf_init(&s, sig_mem, sizeof sig_mem);
        ssgw_token_mode mode = i % 2 ? SSGW_TOKEN_MODE_HMAC : SSGW_TOKEN_MODE_ECDSA_P256;
        ssgw_trust_sign_info si;
        bool ok = ssgw_trust_sign(t, mode, gt, peer.key_id, g.data, g.len, NOW, &s, &si, &e) == 0;
        if (!ok)
            refused++; /* Abort with P-AbortCause: sent unsigned */
        else
            signed_n++;
        CHECK_INT(write_tcap(wu, g.data, g.len, gt, i, i), 0);
        CHECK_INT(write_tcap(ws, ok ? s.data : g.data, ok ? s.len : g.len, gt, i, i), 0);
        /* one small pcap per (message type, placement) for the per-placement report */
        if (ok && info.tcap_type < 8 && !shape_done[info.tcap_type][si.placement]) {
            shape_done[info.tcap_type][si.placement] = true;
            snprintf(path, sizeof path, "%s/shape-%s-%s.pcap", dir,
                     ssgw_tcap_msg_type_name((ssgw_tcap_msg_type)info.tcap_type),
                     ssgw_token_placement_name(si.placement));
            ssgw_pcap_writer *w1 = ssgw_pcap_writer_open(path, 1, errbuf, sizeof errbuf);
            CHECK(w1 != NULL);
            if (w1) {
                CHECK_INT(write_tcap(w1, s.data, s.len, gt, 0, 1), 0);
                ssgw_pcap_writer_close(w1);
            }
        }
    }
    CHECK_INT(ssgw_pcap_writer_close(wu), 0);
    CHECK_INT(ssgw_pcap_writer_close(ws), 0);
    printf("%s: %u messages signed, %u refused (p-abort) and written unsigned\n", dir, signed_n,
           refused);
    CHECK(signed_n > 0);

    if (argc <= 1) { /* unit-test mode: remove the scratch directory */
        DIR *d = opendir(dir);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.') continue;
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            CHECK_INT(unlink(path), 0);
        }
        if (d) closedir(d);
        CHECK_INT(rmdir(dir), 0);
    }
    ssgw_trust_free(t);
    ssgw_keyring_free(kr);
    EVP_PKEY_free(sign);
    EVP_PKEY_free(ka);
    EVP_PKEY_free(peer_sign);
    EVP_PKEY_free(peer_ka);
    return check_summary();
}
