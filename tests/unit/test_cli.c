/*
 * test_cli.c - CLI attestation of ISUP calls (include/ssgw/cli.h).
 *
 * Oracles: the application transport parameter and the attested IAM assembled by hand
 * from Q.763 (3.41, 3.82) and docs/wire-format.md; the PASSporT's base64url parts computed
 * independently (Python's base64.urlsafe_b64encode of the RFC 8225 section 9 JSON); the
 * ES256 signature of a PASSporT checked by the `openssl dgst -verify` program over the
 * JWS signing input (skipped with a note when openssl is missing). Then every
 * placement (no parameter compatibility information, one without an entry for the
 * parameter, one with it, another application's APP beside ours, an IAM without optional
 * part) strips back byte for byte, and every verification outcome is produced by the
 * situation it names. Keys are made here with OpenSSL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "check.h"
#include "ssgw/cli.h"
#include <openssl/ec.h>

#define NOW ((time_t)1767225600) /* 2026-01-01 */

static EVP_PKEY *key_a, *key_b, *key_ed;
static uint8_t id_a[SSGW_KEY_ID_LEN], id_b[SSGW_KEY_ID_LEN];

static EVP_PKEY *public_only(EVP_PKEY *k)
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(k, &der);
    const unsigned char *p = der;
    EVP_PKEY *pub = n > 0 ? d2i_PUBKEY(NULL, &p, n) : NULL;
    OPENSSL_free(der);
    return pub;
}

/* A keyring whose own key is own, with a as member: telephone numbers tn ("" none). */
static ssgw_keyring *keyring(EVP_PKEY *own, EVP_PKEY *member, const uint8_t *member_id,
                             const char *tn, bool revoked, time_t not_after)
{
    ssgw_keyring *kr = ssgw_keyring_new();
    CHECK_INT(ssgw_keyring_set_own(kr, own, NULL), 0);
    ssgw_keyring_member m;
    memset(&m, 0, sizeof m);
    m.sign_key = public_only(member);
    memcpy(m.key_id, member_id, SSGW_KEY_ID_LEN);
    snprintf(m.identity.name, sizeof m.identity.name, "Albion Mobile");
    snprintf(m.identity.country, sizeof m.identity.country, "GB");
    ssgw_gt_range_parse("447924", &m.identity.gt[0]);
    m.identity.n_gt = 1;
    if (tn[0] && ssgw_gt_range_parse(tn, &m.identity.tn[0]) == 0) m.identity.n_tn = 1;
    m.not_before = NOW - 86400;
    m.not_after = not_after;
    m.revoked = revoked;
    snprintf(m.serial, sizeof m.serial, "0a");
    CHECK_INT(ssgw_keyring_add(kr, &m), 0);
    EVP_PKEY_free(m.sign_key);
    return kr;
}

/* An IAM: calling (screening scr; NULL: none), called, and optionally a parameter
 * compatibility information value and another application's transport parameter. */
static size_t iam(uint8_t *out, size_t cap, const char *calling, int scr, const char *called,
                  const char *pci_hex, bool bat)
{
    ssgw_isup_builder b;
    ssgw_isup_builder_init(&b);
    ssgw_isup_add_u8(&b, SSGW_ISUP_P_NCI, 0);
    ssgw_isup_add_u16(&b, SSGW_ISUP_P_FCI, 0x6001);
    ssgw_isup_add_u8(&b, SSGW_ISUP_P_CATEGORY, 10);
    ssgw_isup_add_u8(&b, SSGW_ISUP_P_TMR, 0);
    ssgw_isup_number n;
    ssgw_isup_number_set(&n, called, 4, 1);
    ssgw_isup_add_number(&b, SSGW_ISUP_P_CALLED, &n);
    if (calling) {
        ssgw_isup_number_set(&n, calling, 4, 1);
        n.screening = (int8_t)scr;
        ssgw_isup_add_number(&b, SSGW_ISUP_P_CALLING, &n);
    }
    if (bat) { /* BAT ASE (Q.765.5): action indicator "connect backward" */
        static const uint8_t app[] = {0x85, 0x80, 0xc0, 0x00, 0x00, 0x01, 0x82, 0x00, 0x01};
        ssgw_isup_add(&b, SSGW_ISUP_P_APP_TRANSPORT, app, sizeof app);
    }
    if (pci_hex) {
        uint8_t v[32];
        int l = check_hex(pci_hex, v, sizeof v);
        ssgw_isup_add(&b, SSGW_ISUP_P_PARAM_COMPAT, v, (size_t)l);
    }
    ssgw_buf o;
    ssgw_buf_init(&o, out, cap);
    ssgw_error e;
    CHECK_INT(ssgw_isup_builder_encode(&b, &o, 5, SSGW_ISUP_IAM, &e), 0);
    return o.len;
}

static ssgw_cli_attestation fixed_att(void)
{
    ssgw_cli_attestation a;
    memset(&a, 0, sizeof a);
    a.version = 1;
    a.attest = SSGW_CLI_ATTEST_FULL;
    for (int i = 0; i < 8; i++)
        a.key_id[i] = (uint8_t)(i + 1);
    a.iat = (uint64_t)NOW;
    for (int i = 0; i < 16; i++)
        a.origid[i] = (uint8_t)(0xa1 + i);
    a.origid[6] = 0x47; /* version 4 */
    a.origid[8] = 0x89; /* variant 10 */
    for (int i = 0; i < 64; i++)
        a.sig[i] = 0x5a;
    return a;
}

/* The parameter's value by hand: ACI 0x7e with extension, instructions, segmentation, two
 * empty addresses, then version 1 | attest A (1) | pci added (1) = 0x15, key id, iat 5
 * octets (0x006955b900 = 1767225600), origid, signature. */
static const char app_hex[] = "fe 80 c0 00 00 15 01 02 03 04 05 06 07 08 00 69 55 b9 00"
                              " a1 a2 a3 a4 a5 a6 47 a8 89 aa ab ac ad ae af b0";

static void test_attestation_octets(void)
{
    ssgw_cli_attestation a = fixed_att(), back;
    a.pci = SSGW_CLI_PCI_ADDED;
    uint8_t want[128], got[128];
    int wl = check_hex(app_hex, want, sizeof want);
    memset(want + wl, 0x5a, 64);
    wl += 64;
    CHECK_INT(wl, SSGW_CLI_APP_LEN);
    ssgw_buf b;
    ssgw_buf_init(&b, got, sizeof got);
    ssgw_error e;
    CHECK_INT(ssgw_cli_att_encode(&b, &a, &e), 0);
    CHECK_MEM(got, b.len, want, (size_t)wl);
    CHECK_INT(ssgw_cli_att_decode(want, (size_t)wl, &back, &e), 1);
    CHECK(memcmp(&a, &back, sizeof a) == 0);
    /* another application (BAT ASE) is not ours; ours malformed in every field */
    static const uint8_t bat[] = {0x85, 0x80, 0xc0};
    CHECK_INT(ssgw_cli_att_decode(bat, sizeof bat, &back, &e), 0);
    CHECK_INT(ssgw_cli_att_decode(want, (size_t)wl - 1, &back, &e), -1);
    CHECK_STR(e.field, "cli attestation length");
    const struct {
        size_t at;
        uint8_t v;
        const char *field;
    } bad[] = {
        {1, 0x81, "cli attestation instructions"}, {2, 0xc1, "cli attestation segmentation"},
        {4, 0x01, "cli attestation addresses"},    {5, 0x25, "cli attestation version"},
        {5, 0x11, "cli attestation level"},        {5, 0x17, "cli attestation compatibility"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t c[SSGW_CLI_APP_LEN];
        memcpy(c, want, sizeof c);
        c[bad[i].at] = bad[i].v;
        CHECK_INT(ssgw_cli_att_decode(c, sizeof c, &back, &e), -1);
        CHECK_STR(e.field, bad[i].field);
    }
    a.iat = 1ull << 40;
    CHECK_INT(ssgw_cli_att_encode(&b, &a, &e), -1);
    CHECK_STR(ssgw_cli_attest_name(SSGW_CLI_ATTEST_PARTIAL), "partial");
    CHECK_INT(ssgw_cli_attest_letter(SSGW_CLI_ATTEST_GATEWAY), 'C');
    CHECK_INT(ssgw_cli_attest_parse("gateway"), SSGW_CLI_ATTEST_GATEWAY);
    CHECK_INT(ssgw_cli_attest_parse("A"), -1);
}

static void test_numbers_and_passport(void)
{
    ssgw_isup_number n;
    char tn[SSGW_CLI_TN_CAP];
    ssgw_isup_number_set(&n, "254722000001F", 4, 1);
    n.present = true;
    CHECK_INT(ssgw_cli_tn(&n, tn, sizeof tn), 0);
    CHECK_STR(tn, "254722000001"); /* end of pulsing dropped */
    ssgw_isup_number_set(&n, "722000001", 3, 1);
    n.present = true;
    CHECK_INT(ssgw_cli_tn(&n, tn, sizeof tn), -1); /* national: not canonical */
    ssgw_isup_number_set(&n, "2547220A0001", 4, 1);
    n.present = true;
    CHECK_INT(ssgw_cli_tn(&n, tn, sizeof tn), -1);
    ssgw_isup_number_set(&n, "2547220000011234", 4, 1); /* 16 digits */
    n.present = true;
    CHECK_INT(ssgw_cli_tn(&n, tn, sizeof tn), -1);

    char x5u[SSGW_CLI_X5U_CAP], jws[SSGW_CLI_JWS_CAP];
    ssgw_cli_attestation a = fixed_att();
    CHECK_INT(ssgw_cli_x5u("https://tsca.example/certs/{kid}.pem", a.key_id, x5u, sizeof x5u), 0);
    CHECK_STR(x5u, "https://tsca.example/certs/0102030405060708.pem");
    char h[512], c[512];
    CHECK_INT(
        ssgw_cli_passport_json(&a, x5u, "447924000123", "254722000001", h, sizeof h, c, sizeof c),
        0);
    CHECK_STR(h, "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\",\"x5u\":\"https://"
                 "tsca.example/certs/0102030405060708.pem\"}");
    CHECK_STR(c, "{\"attest\":\"A\",\"dest\":{\"tn\":[\"254722000001\"]},\"iat\":1767225600,"
                 "\"orig\":{\"tn\":\"447924000123\"},\"origid\":\"a1a2a3a4-a5a6-47a8-89aa-"
                 "abacadaeafb0\"}");
    /* Python: base64.urlsafe_b64encode(...).rstrip(b"=") of the two texts above */
    int n1 = ssgw_cli_signing_input(&a, x5u, "447924000123", "254722000001", jws, sizeof jws);
    CHECK_STR(jws, "eyJhbGciOiJFUzI1NiIsInBwdCI6InNoYWtlbiIsInR5cCI6InBhc3Nwb3J0IiwieDV1IjoiaHR0"
                   "cHM6Ly90c2NhLmV4YW1wbGUvY2VydHMvMDEwMjAzMDQwNTA2MDcwOC5wZW0ifQ."
                   "eyJhdHRlc3QiOiJBIiwiZGVzdCI6eyJ0biI6WyIyNTQ3MjIwMDAwMDEiXX0sImlhdCI6MTc2N"
                   "zIyNTYwMCwib3JpZyI6eyJ0biI6IjQ0NzkyNDAwMDEyMyJ9LCJvcmlnaWQiOiJhMWEyYTNhNC"
                   "1hNWE2LTQ3YTgtODlhYS1hYmFjYWRhZWFmYjAifQ");
    CHECK_INT(n1, (int)strlen(jws));
    int n2 = ssgw_cli_passport(&a, x5u, "447924000123", "254722000001", jws, sizeof jws);
    CHECK_INT(n2, n1 + 1 + 86); /* 64 octets of signature are 86 base64url characters */
    CHECK(strstr(jws, ".WlpaWlpa") != NULL);
}

/* Inserts fixed_att() into msg, checks the octets when want_hex is given, decodes the
 * result, finds and strips the attestation and compares with the original. */
static void insert_strip(const uint8_t *msg, size_t len, ssgw_cli_pci want_pci,
                         const char *want_tail_hex)
{
    ssgw_isup_msg m, s;
    ssgw_error e;
    CHECK_INT(ssgw_isup_decode(msg, len, &m, &e), 0);
    ssgw_cli_attestation a = fixed_att(), found;
    uint8_t out[512], back[512];
    ssgw_buf o, bk;
    ssgw_buf_init(&o, out, sizeof out);
    CHECK_INT(ssgw_cli_insert(&m, &a, &o, &e), 0);
    CHECK_INT(a.pci, want_pci);
    if (want_tail_hex) { /* the original without its end octet, then what was added */
        uint8_t want[512];
        size_t body = len - 1;
        memcpy(want, msg, body);
        int tl = check_hex(want_tail_hex, want + body, sizeof want - body);
        CHECK_MEM(out, o.len, want, body + (size_t)tl);
    }
    CHECK_INT(ssgw_isup_decode(out, o.len, &s, &e), 0);
    size_t bytes = 0;
    CHECK_INT(ssgw_cli_find(&s, &found, &bytes, &e), 1);
    CHECK_INT(bytes, o.len - len);
    CHECK(memcmp(found.sig, a.sig, 64) == 0);
    CHECK_INT(found.pci, want_pci);
    ssgw_buf_init(&bk, back, sizeof back);
    CHECK_INT(ssgw_cli_strip(&s, &found, &bk, &e), 1);
    CHECK_MEM(back, bk.len, msg, len);
    /* inserting twice is refused */
    ssgw_buf_init(&bk, back, sizeof back);
    CHECK_INT(ssgw_cli_insert(&s, &a, &bk, &e), -1);
    CHECK_INT(e.code, SSGW_E_DUPLICATE);
}

static void test_insert_strip(void)
{
    uint8_t msg[256];
    size_t len = iam(msg, sizeof msg, "447924000123", 3, "254722000001", NULL, false);
    /* no compatibility information: APP, then a new one with our entry */
    char tail[512];
    snprintf(tail, sizeof tail,
             "78 63 %s 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"
             "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a 39 02 78 c0 00",
             app_hex);
    insert_strip(msg, len, SSGW_CLI_PCI_ADDED, tail);
    /* one with an entry for another parameter (0xc0 generic number, pass on): ours appended */
    len = iam(msg, sizeof msg, "447924000123", 3, "254722000001", "c0 c0", false);
    insert_strip(msg, len, SSGW_CLI_PCI_APPENDED, NULL);
    uint8_t out[512];
    ssgw_isup_msg m;
    ssgw_error e;
    ssgw_buf o;
    CHECK_INT(ssgw_isup_decode(msg, len, &m, &e), 0);
    ssgw_cli_attestation a = fixed_att();
    ssgw_buf_init(&o, out, sizeof out);
    CHECK_INT(ssgw_cli_insert(&m, &a, &o, &e), 0);
    CHECK_INT(ssgw_isup_decode(out, o.len, &m, &e), 0);
    const ssgw_isup_param *pci = ssgw_isup_find(&m, SSGW_ISUP_P_PARAM_COMPAT);
    CHECK(pci && pci->len == 4 && pci->val[2] == 0x78 && pci->val[3] == 0xc0);
    /* an entry for the application transport parameter already there: left alone */
    len = iam(msg, sizeof msg, "447924000123", 3, "254722000001", "78 c0", true);
    insert_strip(msg, len, SSGW_CLI_PCI_NONE, NULL);
    /* another application's transport parameter beside ours, a two-octet instruction entry */
    len = iam(msg, sizeof msg, "447924000123", 3, "254722000001", "0a 00 c0", true);
    insert_strip(msg, len, SSGW_CLI_PCI_APPENDED, NULL);
    /* no optional part at all (no calling number): created, and removed again */
    len = iam(msg, sizeof msg, NULL, 0, "254722000001", NULL, false);
    CHECK_INT(msg[9], 0); /* optional pointer */
    CHECK_INT(ssgw_isup_decode(msg, len, &m, &e), 0);
    ssgw_buf_init(&o, out, sizeof out);
    a = fixed_att();
    CHECK_INT(ssgw_cli_insert(&m, &a, &o, &e), 0);
    CHECK_INT(out[9], len - 9);
    CHECK_INT(out[o.len - 1], 0);
    ssgw_isup_msg s;
    CHECK_INT(ssgw_isup_decode(out, o.len, &s, &e), 0);
    uint8_t back[512];
    ssgw_buf bk;
    ssgw_buf_init(&bk, back, sizeof back);
    CHECK_INT(ssgw_cli_strip(&s, &a, &bk, &e), 1);
    CHECK_MEM(back, bk.len, msg, len);
    /* only an IAM; nothing over the MTP3 limit */
    static const uint8_t rel[] = {0x05, 0x00, 0x0c, 0x02, 0x00, 0x02, 0x80, 0x90};
    CHECK_INT(ssgw_isup_decode(rel, sizeof rel, &m, &e), 0);
    ssgw_buf_init(&o, out, sizeof out);
    CHECK_INT(ssgw_cli_insert(&m, &a, &o, &e), -1);
    CHECK_INT(e.code, SSGW_E_UNSUPPORTED);
    /* a strip of a message without attestation says 0 and writes nothing */
    len = iam(msg, sizeof msg, "447924000123", 3, "254722000001", NULL, false);
    CHECK_INT(ssgw_isup_decode(msg, len, &m, &e), 0);
    ssgw_buf_init(&bk, back, sizeof back);
    CHECK_INT(ssgw_cli_strip(&m, &a, &bk, &e), 0);
    CHECK_INT(bk.len, 0);
}

static void test_mark(void)
{
    uint8_t msg[256];
    ssgw_isup_msg m;
    ssgw_error e;
    for (int scr = 0; scr < 4; scr++) {
        size_t len = iam(msg, sizeof msg, "447924000123", scr, "254722000001", NULL, false);
        CHECK_INT(ssgw_isup_decode(msg, len, &m, &e), 0);
        CHECK_INT(ssgw_cli_mark_verified(msg, len, &m), scr == 0 || scr == 2);
        CHECK_INT(ssgw_isup_decode(msg, len, &m, &e), 0);
        CHECK_INT(m.f.calling.screening, scr == 3 ? 3 : 1);
    }
}

/* ES256 checked by the openssl program: the signature r||s as DER ECDSA-Sig-Value. */
static void openssl_verify(const char *jws, EVP_PKEY *pub)
{
    if (system("openssl version >/dev/null 2>&1") != 0) {
        printf("note: openssl CLI missing (apt-get install openssl): ES256 oracle skipped\n");
        return;
    }
    char dir[] = "/tmp/ssgw-test-cli-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    const char *dot = strrchr(jws, '.');
    char path[256], cmd[1024];
    snprintf(path, sizeof path, "%s/input", dir);
    FILE *f = fopen(path, "w");
    fwrite(jws, 1, (size_t)(dot - jws), f);
    fclose(f);
    /* base64url -> octets -> DER */
    char b64[128];
    size_t l = strlen(dot + 1), k;
    for (k = 0; k < l; k++)
        b64[k] = dot[1 + k] == '-' ? '+' : dot[1 + k] == '_' ? '/' : dot[1 + k];
    while (k % 4)
        b64[k++] = '=';
    b64[k] = '\0';
    uint8_t rs[66];
    int n = EVP_DecodeBlock(rs, (const unsigned char *)b64, (int)k);
    CHECK(n >= 64);
    ECDSA_SIG *sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(rs, 32, NULL), BN_bin2bn(rs + 32, 32, NULL));
    unsigned char *der = NULL;
    int dl = i2d_ECDSA_SIG(sig, &der);
    snprintf(path, sizeof path, "%s/sig", dir);
    f = fopen(path, "wb");
    fwrite(der, 1, (size_t)dl, f);
    fclose(f);
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    snprintf(path, sizeof path, "%s/pub.pem", dir);
    f = fopen(path, "w");
    PEM_write_PUBKEY(f, pub);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "openssl dgst -sha256 -verify %s/pub.pem -signature %s/sig %s/input 2>&1; rm -rf %s",
             dir, dir, dir, dir);
    FILE *p = popen(cmd, "r");
    char out[256] = "";
    size_t got = p ? fread(out, 1, sizeof out - 1, p) : 0;
    out[got] = '\0';
    if (p) pclose(p);
    CHECK(strstr(out, "Verified OK") != NULL);
}

static ssgw_trust_outcome verify(ssgw_trust *t, const uint8_t *m, size_t len, time_t now,
                                 ssgw_cli_result *res, uint8_t *stripped, size_t *slen)
{
    ssgw_buf sb;
    ssgw_buf_init(&sb, stripped, 512);
    ssgw_trust_outcome o = ssgw_cli_verify(t, NULL, m, len, now, res, &sb);
    *slen = sb.len;
    return o;
}

static void test_sign_verify(void)
{
    ssgw_keyring *signer = keyring(key_a, key_b, id_b, "", false, NOW + 86400);
    ssgw_keyring *verifier = keyring(key_b, key_a, id_a, "447924", false, NOW + 86400);
    ssgw_trust *ta = ssgw_trust_new(signer, NULL), *tb = ssgw_trust_new(verifier, NULL);
    uint8_t msg[256], out[512], st[512];
    size_t len = iam(msg, sizeof msg, "447924000123", 3, "254722000001F", NULL, false), slen;
    ssgw_buf o;
    ssgw_buf_init(&o, out, sizeof out);
    ssgw_error e;
    ssgw_cli_sign_info info;
    CHECK_INT(ssgw_cli_sign(ta, NULL, SSGW_CLI_ATTEST_FULL, msg, len, NOW, &o, &info, &e), 0);
    CHECK_INT(info.added, 2 + SSGW_CLI_APP_LEN + 4);
    CHECK_STR(info.dest_tn, "254722000001");
    ssgw_cli_result r;
    CHECK_INT(verify(tb, out, o.len, NOW + 5, &r, st, &slen), SSGW_TRUST_OK);
    CHECK_MEM(st, slen, msg, len);
    CHECK(r.signer && !strcmp(r.signer->identity.name, "Albion Mobile"));
    CHECK_STR(r.orig_tn, "447924000123");
    CHECK_INT(r.att.origid[6] >> 4, 4);
    char jws[SSGW_CLI_JWS_CAP];
    CHECK(ssgw_cli_passport(&r.att, r.x5u, r.orig_tn, r.dest_tn, jws, sizeof jws) > 0);
    openssl_verify(jws, key_a);
    /* the same IAM again: replay; outside the window: stale */
    CHECK_INT(verify(tb, out, o.len, NOW + 6, &r, st, &slen), SSGW_TRUST_REPLAY);
    ssgw_buf_init(&o, out, sizeof out);
    CHECK_INT(ssgw_cli_sign(ta, NULL, SSGW_CLI_ATTEST_FULL, msg, len, NOW, &o, NULL, &e), 0);
    CHECK_INT(verify(tb, out, o.len, NOW + 61, &r, st, &slen), SSGW_TRUST_STALE);
    /* a tampered called number: the last digit octet of the called party number */
    ssgw_buf_init(&o, out, sizeof out);
    CHECK_INT(ssgw_cli_sign(ta, NULL, SSGW_CLI_ATTEST_FULL, msg, len, NOW, &o, NULL, &e), 0);
    ssgw_isup_msg m;
    CHECK_INT(ssgw_isup_decode(out, o.len, &m, &e), 0);
    const ssgw_isup_param *cd = ssgw_isup_find(&m, SSGW_ISUP_P_CALLED);
    out[cd->val - out + 3] ^= 0x10;
    CHECK_INT(verify(tb, out, o.len, NOW, &r, st, &slen), SSGW_TRUST_BAD_SIGNATURE);
    /* a flipped signature octet */
    ssgw_buf_init(&o, out, sizeof out);
    CHECK_INT(ssgw_cli_sign(ta, NULL, SSGW_CLI_ATTEST_FULL, msg, len, NOW, &o, NULL, &e), 0);
    out[o.len - 10] ^= 1; /* inside the signature: the compatibility entry (4) + end follow */
    CHECK_INT(verify(tb, out, o.len, NOW, &r, st, &slen), SSGW_TRUST_BAD_SIGNATURE);
    /* a calling number outside the certified telephone numbers, at levels A and C */
    size_t l2 = iam(msg, sizeof msg, "447925000123", 3, "254722000001", NULL, false);
    ssgw_buf_init(&o, out, sizeof out);
    CHECK_INT(ssgw_cli_sign(ta, NULL, SSGW_CLI_ATTEST_FULL, msg, l2, NOW, &o, NULL, &e), 0);
    CHECK_INT(verify(tb, out, o.len, NOW, &r, st, &slen), SSGW_TRUST_NUMBER_NOT_AUTHORISED);
    ssgw_buf_init(&o, out, sizeof out);
    CHECK_INT(ssgw_cli_sign(ta, NULL, SSGW_CLI_ATTEST_GATEWAY, msg, l2, NOW, &o, NULL, &e), 0);
    CHECK_INT(verify(tb, out, o.len, NOW, &r, st, &slen), SSGW_TRUST_OK);
    CHECK_INT(r.att.attest, SSGW_CLI_ATTEST_GATEWAY);
    /* no attestation; a malformed one; an unknown key */
    CHECK_INT(verify(tb, msg, l2, NOW, &r, st, &slen), SSGW_TRUST_MISSING);
    CHECK_MEM(st, slen, msg, l2);
    ssgw_buf_init(&o, out, sizeof out);
    CHECK_INT(ssgw_cli_sign(ta, NULL, SSGW_CLI_ATTEST_FULL, msg, l2, NOW, &o, NULL, &e), 0);
    CHECK_INT(ssgw_isup_decode(out, o.len, &m, &e), 0);
    const ssgw_isup_param *app = NULL;
    for (unsigned i = 0; i < m.nparams; i++)
        if (m.params[i].code == SSGW_ISUP_P_APP_TRANSPORT) app = &m.params[i];
    out[app->val - out + 5] = 0x20; /* version 2 */
    CHECK_INT(verify(tb, out, o.len, NOW, &r, st, &slen), SSGW_TRUST_MALFORMED);
    CHECK_INT(slen, 0);
    ssgw_trust *tu = ssgw_trust_new(signer, NULL); /* knows only B */
    len = iam(msg, sizeof msg, "447924000123", 3, "254722000001F", NULL, false);
    ssgw_buf_init(&o, out, sizeof out);
    CHECK_INT(ssgw_cli_sign(ta, NULL, SSGW_CLI_ATTEST_FULL, msg, len, NOW, &o, NULL, &e), 0);
    CHECK_INT(verify(tu, out, o.len, NOW, &r, st, &slen), SSGW_TRUST_UNKNOWN_KEY);
    CHECK_MEM(st, slen, msg, len); /* stripped even so */
    /* revoked and expired signers; another x5u template on one side only */
    ssgw_keyring *rv = keyring(key_b, key_a, id_a, "447924", true, NOW + 86400);
    ssgw_keyring *ex = keyring(key_b, key_a, id_a, "447924", false, NOW - 1);
    ssgw_trust *trv = ssgw_trust_new(rv, NULL), *tex = ssgw_trust_new(ex, NULL);
    CHECK_INT(verify(trv, out, o.len, NOW, &r, st, &slen), SSGW_TRUST_REVOKED);
    CHECK_INT(verify(tex, out, o.len, NOW, &r, st, &slen), SSGW_TRUST_EXPIRED);
    ssgw_buf sb;
    ssgw_buf_init(&sb, st, sizeof st);
    CHECK_INT(ssgw_cli_verify(tb, "https://elsewhere/{kid}", out, o.len, NOW, &r, &sb),
              SSGW_TRUST_BAD_SIGNATURE);
    /* what cannot be signed */
    size_t l3 = iam(msg, sizeof msg, NULL, 0, "254722000001", NULL, false);
    ssgw_buf_init(&o, out, sizeof out);
    CHECK_INT(ssgw_cli_sign(ta, NULL, SSGW_CLI_ATTEST_FULL, msg, l3, NOW, &o, NULL, &e), -1);
    CHECK_INT(e.code, SSGW_E_MISSING);
    ssgw_keyring *edk = ssgw_keyring_new();
    CHECK_INT(ssgw_keyring_set_own(edk, key_ed, NULL), 0);
    ssgw_trust *ted = ssgw_trust_new(edk, NULL);
    len = iam(msg, sizeof msg, "447924000123", 3, "254722000001F", NULL, false);
    ssgw_buf_init(&o, out, sizeof out);
    CHECK_INT(ssgw_cli_sign(ted, NULL, SSGW_CLI_ATTEST_FULL, msg, len, NOW, &o, NULL, &e), -1);
    CHECK_INT(e.code, SSGW_E_BAD_VALUE); /* ES256 needs a P-256 key */
    for (ssgw_trust *const *t = (ssgw_trust *const[]){ta, tb, tu, trv, tex, ted, NULL}; *t; t++)
        ssgw_trust_free(*t);
    ssgw_keyring_free(signer);
    ssgw_keyring_free(verifier);
    ssgw_keyring_free(rv);
    ssgw_keyring_free(ex);
    ssgw_keyring_free(edk);
}

static int cmp16(const void *a, const void *b)
{
    return memcmp(a, b, 16);
}

/* Origids: version-4 UUIDs, never repeated by one signing context nor across two, and
 * never taken for replays by a verifier (its cache folds them to 8 octets). */
static void test_origids(void)
{
    enum { N = 400 };
    ssgw_keyring *signer = keyring(key_a, key_b, id_b, "", false, NOW + 86400);
    ssgw_keyring *verifier = keyring(key_b, key_a, id_a, "447924", false, NOW + 86400);
    ssgw_trust *ta[2] = {ssgw_trust_new(signer, NULL), ssgw_trust_new(signer, NULL)};
    ssgw_trust *tb = ssgw_trust_new(verifier, NULL);
    static uint8_t ids[2 * N][16];
    uint8_t msg[256], out[512], st[512];
    size_t len = iam(msg, sizeof msg, "447924000123", 3, "254722000001", NULL, false), slen;
    int ok = 0, v4 = 0;
    for (int i = 0; i < 2 * N; i++) {
        ssgw_buf o;
        ssgw_buf_init(&o, out, sizeof out);
        ssgw_error e;
        CHECK_INT(ssgw_cli_sign(ta[i % 2], NULL, SSGW_CLI_ATTEST_FULL, msg, len, NOW, &o, NULL, &e),
                  0);
        ssgw_cli_result r;
        ok += verify(tb, out, o.len, NOW, &r, st, &slen) == SSGW_TRUST_OK;
        memcpy(ids[i], r.att.origid, 16);
        v4 += (r.att.origid[6] >> 4) == 4 && (r.att.origid[8] >> 6) == 2;
    }
    CHECK_INT(ok, 2 * N);
    CHECK_INT(v4, 2 * N);
    qsort(ids, 2 * N, 16, cmp16);
    int dup = 0;
    for (int i = 1; i < 2 * N; i++)
        dup += !memcmp(ids[i - 1], ids[i], 16);
    CHECK_INT(dup, 0);
    ssgw_trust_free(ta[0]);
    ssgw_trust_free(ta[1]);
    ssgw_trust_free(tb);
    ssgw_keyring_free(signer);
    ssgw_keyring_free(verifier);
}

int main(void)
{
    key_a = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    key_b = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    key_ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    ssgw_key_id(key_a, id_a);
    ssgw_key_id(key_b, id_b);
    RUN(test_attestation_octets);
    RUN(test_numbers_and_passport);
    RUN(test_insert_strip);
    RUN(test_mark);
    RUN(test_sign_verify);
    RUN(test_origids);
    EVP_PKEY_free(key_a);
    EVP_PKEY_free(key_b);
    EVP_PKEY_free(key_ed);
    return check_summary();
}
