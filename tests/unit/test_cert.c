/*
 * test_cert.c - the signalling-identity extension and key ids.
 *
 * Oracles: a SignallingIdentity assembled by hand from X.690 (tags, lengths),
 * `openssl asn1parse` decoding our DER independently, `openssl x509 -text`
 * showing the extension under its OID, and `openssl pkey | sha256sum` for
 * the key id. The openssl CLI checks are skipped (with a note) when the
 * binary is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "check.h"
#include "ssgw/cert.h"

static bool have_openssl(void)
{
    return system("openssl version >/dev/null 2>&1") == 0;
}

/* Runs cmd and returns its stdout (static buffer). */
static const char *run(const char *cmd)
{
    static char out[16384];
    FILE *p = popen(cmd, "r");
    size_t n = p ? fread(out, 1, sizeof out - 1, p) : 0;
    out[n] = '\0';
    if (p) pclose(p);
    return out;
}

static ssgw_identity sample(void)
{
    ssgw_identity id;
    memset(&id, 0, sizeof id);
    strcpy(id.name, "AB");
    strcpy(id.country, "GB");
    strcpy(id.mccmnc[0], "23415");
    id.n_mccmnc = 1;
    ssgw_gt_range_parse("4477", &id.gt[0]);
    id.n_gt = 1;
    id.pc[0] = 1234;
    id.n_pc = 1;
    return id;
}

/* X.690 by hand: SEQUENCE { UTF8String "AB", PrintableString "GB", SEQUENCE { PrintableString
 * "23415" }, SEQUENCE { SEQUENCE { NumericString "4477", NumericString "4477" } },
 * [0] { INTEGER 1234 } } */
static const char hand_der[] = "30 27"
                               " 0c 02 41 42"
                               " 13 02 47 42"
                               " 30 07 13 05 32 33 34 31 35"
                               " 30 0e 30 0c 12 04 34 34 37 37 12 04 34 34 37 37"
                               " a0 04 02 02 04 d2";

static void test_encode_hand_checked(void)
{
    ssgw_identity id = sample();
    uint8_t want[64], got[SSGW_IDENTITY_DER_MAX];
    int wl = check_hex(hand_der, want, sizeof want);
    ssgw_buf b;
    ssgw_buf_init(&b, got, sizeof got);
    CHECK_INT(ssgw_cert_identity_encode(&id, &b), 0);
    CHECK_MEM(got, b.len, want, (size_t)wl);
    ssgw_identity back;
    ssgw_error e;
    CHECK_INT(ssgw_cert_identity_decode(want, (size_t)wl, &back, &e), 0);
    CHECK(ssgw_identity_equal(&id, &back));
    CHECK_STR(back.name, "AB");
    CHECK_INT(back.pc[0], 1234);
}

/* The telephone-number claims: [4] after [0], hand-assembled from X.690, with and without
 * point codes: ... a4 0e 30 0c 12 04 "4479" 12 04 "4479" } */
static void test_tn_ranges_hand_checked(void)
{
    static const char with_pc[] = "30 37"
                                  " 0c 02 41 42 13 02 47 42 30 07 13 05 32 33 34 31 35"
                                  " 30 0e 30 0c 12 04 34 34 37 37 12 04 34 34 37 37"
                                  " a0 04 02 02 04 d2"
                                  " a4 0e 30 0c 12 04 34 34 37 39 12 04 34 34 37 39";
    static const char no_pc[] = "30 31"
                                " 0c 02 41 42 13 02 47 42 30 07 13 05 32 33 34 31 35"
                                " 30 0e 30 0c 12 04 34 34 37 37 12 04 34 34 37 37"
                                " a4 0e 30 0c 12 04 34 34 37 39 12 04 34 34 37 39";
    for (int k = 0; k < 2; k++) {
        ssgw_identity id = sample(), back;
        if (k) id.n_pc = 0;
        CHECK_INT(ssgw_gt_range_parse("4479", &id.tn[0]), 0);
        id.n_tn = 1;
        uint8_t want[96], got[SSGW_IDENTITY_DER_MAX];
        int wl = check_hex(k ? no_pc : with_pc, want, sizeof want);
        ssgw_buf b;
        ssgw_buf_init(&b, got, sizeof got);
        CHECK_INT(ssgw_cert_identity_encode(&id, &b), 0);
        CHECK_MEM(got, b.len, want, (size_t)wl);
        ssgw_error e;
        CHECK_INT(ssgw_cert_identity_decode(want, (size_t)wl, &back, &e), 0);
        CHECK(ssgw_identity_equal(&id, &back));
        CHECK_INT(back.n_tn, 1);
        CHECK(ssgw_identity_covers_tn(&back, "447900123456"));
        CHECK(!ssgw_identity_covers_tn(&back, "447700123456"));
        CHECK(!ssgw_identity_covers_gt(&back, "447900123456")); /* numbers are not GTs */
        /* a certificate without telephone numbers covers none */
        CHECK(!ssgw_identity_covers_tn(&(ssgw_identity){.n_tn = 0}, "4479"));
    }
}

static void test_round_trip_full(void)
{
    ssgw_identity id;
    memset(&id, 0, sizeof id);
    strcpy(id.name, "Société Générale des Télécoms, S.A."); /* UTF-8 */
    strcpy(id.country, "KE");
    for (int i = 0; i < SSGW_ID_MAX_MCCMNC; i++) {
        snprintf(id.mccmnc[i], sizeof id.mccmnc[i], "%d", 639000 + i);
        id.n_mccmnc++;
    }
    for (int i = 0; i < SSGW_ID_MAX_RANGES; i++) {
        char t[128];
        snprintf(t, sizeof t,
                 "2547%02d0000000000000000000000000000000-2547%02d9999999999999999999999999999999",
                 i, i);
        CHECK_INT(ssgw_gt_range_parse(t, &id.gt[i]), 0);
        id.n_gt++;
    }
    for (int i = 0; i < SSGW_ID_MAX_PC; i++)
        id.pc[id.n_pc++] = (uint16_t)(16383 - i);
    for (int i = 0; i < SSGW_ID_MAX_TN; i++) { /* every list at its largest */
        id.tn[i] = id.gt[i];
        id.n_tn++;
    }
    uint8_t der[SSGW_IDENTITY_DER_MAX];
    ssgw_buf b;
    ssgw_buf_init(&b, der, sizeof der);
    CHECK_INT(ssgw_cert_identity_encode(&id, &b), 0);
    CHECK(!b.overflow);
    ssgw_identity back;
    ssgw_error e;
    CHECK_INT(ssgw_cert_identity_decode(der, b.len, &back, &e), 0);
    CHECK(ssgw_identity_equal(&id, &back));
    /* no point codes: the OPTIONAL field is absent */
    id.n_pc = 0;
    ssgw_buf_init(&b, der, sizeof der);
    CHECK_INT(ssgw_cert_identity_encode(&id, &b), 0);
    CHECK_INT(ssgw_cert_identity_decode(der, b.len, &back, &e), 0);
    CHECK_INT(back.n_pc, 0);
}

struct bad_case {
    const char *hex;
    ssgw_errcode code;
    const char *field;
};

static void test_decode_errors(void)
{
    static const struct bad_case cases[] = {
        {"", SSGW_E_TRUNCATED, NULL},
        {"30 25 0c 02 41 42", SSGW_E_TRUNCATED, NULL},                        /* cut */
        {"31 00", SSGW_E_BAD_TAG, "SignallingIdentity"},                      /* SET */
        {"30 80 0c 02 41 42 00 00", SSGW_E_BAD_LENGTH, "SignallingIdentity"}, /* indefinite */
        {"30 04 0c 02 41 42 00", SSGW_E_BAD_LENGTH, "trailing bytes"},
        {"30 04 04 02 41 42", SSGW_E_BAD_TAG, "legalName"},             /* OCTET STRING */
        {"30 02 0c 00", SSGW_E_BAD_VALUE, "legalName"},                 /* empty */
        {"30 03 0c 01 0a", SSGW_E_BAD_VALUE, "legalName"},              /* LF */
        {"30 04 0c 02 c3 28", SSGW_E_BAD_VALUE, "legalName"},           /* bad UTF-8 */
        {"30 08 0c 02 41 42 13 02 67 62", SSGW_E_BAD_VALUE, "country"}, /* lower case */
        {"30 04 0c 02 41 42", SSGW_E_MISSING, "country"},
        {"30 0c 0c 02 41 42 13 02 47 42 30 02 13 00", SSGW_E_BAD_VALUE, "mccMnc"},
        {"30 0a 0c 02 41 42 13 02 47 42 30 00", SSGW_E_MISSING, "gtRanges"},
        {"30 16 0c 02 41 42 13 02 47 42 30 00 30 0a 30 08 12 02 34 34 12 02 34 33",
         SSGW_E_BAD_VALUE, "GtRange.to"}, /* from > to */
        {"30 15 0c 02 41 42 13 02 47 42 30 00 30 09 30 07 12 02 34 34 12 01 34", SSGW_E_BAD_VALUE,
         "GtRange.to"}, /* unequal lengths */
        {"30 16 0c 02 41 42 13 02 47 42 30 00 30 0a 30 08 12 02 34 41 12 02 34 34",
         SSGW_E_BAD_VALUE, "GtRange.from"}, /* not a digit */
        {"30 12 0c 02 41 42 13 02 47 42 30 00 30 00 a0 04 02 02 40 00", SSGW_E_BAD_VALUE,
         "pointCode"}, /* 16384 */
        {"30 12 0c 02 41 42 13 02 47 42 30 00 30 00 a0 04 02 02 ff ff", SSGW_E_BAD_VALUE,
         "pointCode"}, /* -1 */
        {"30 0e 0c 02 41 42 13 02 47 42 30 00 30 00 a0 00", SSGW_E_BAD_LENGTH, "pointCodes"},
        {"30 0e 0c 02 41 42 13 02 47 42 30 00 30 00 05 00", SSGW_E_BAD_TAG,
         "SignallingIdentity"}, /* neither [0] nor [4] */
        {"30 81 0c 0c 02 41 42 13 02 47 42 30 00 30 00", SSGW_E_BAD_VALUE, "not DER"},
        {"30 13 0c 02 41 42 13 02 47 42 30 00 30 00 a0 03 02 01 05 05 00", SSGW_E_BAD_TAG,
         "SignallingIdentity"}, /* an element after pointCodes */
        {"30 0e 0c 02 41 42 13 02 47 42 30 00 30 00 a4 00", SSGW_E_BAD_LENGTH, "tnRanges"},
        {"30 12 0c 02 41 42 13 02 47 42 30 00 30 00 a4 04 30 02 12 00", SSGW_E_MISSING,
         "GtRange.to"}, /* a range with only from */
        {"30 16 0c 02 41 42 13 02 47 42 30 00 30 00 a4 08 30 06 12 01 35 12 01 34",
         SSGW_E_BAD_VALUE, "GtRange.to"}, /* from > to */
        {"30 1c 0c 02 41 42 13 02 47 42 30 00 30 00 a4 08 30 06 12 01 34 12 01 34 a0 04 02 02 04 "
         "d2",
         SSGW_E_BAD_TAG, "SignallingIdentity"}, /* tnRanges before pointCodes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t in[64];
        int n = check_hex(cases[i].hex, in, sizeof in);
        ssgw_identity out;
        ssgw_error e = {0};
        /* an exact-size heap copy, so ASan sees any over-read */
        uint8_t *copy = malloc(n > 0 ? (size_t)n : 1);
        CHECK(n >= 0); /* the hex parses (an empty input is a case) */
        if (n > 0) memcpy(copy, in, (size_t)n);
        int r = ssgw_cert_identity_decode(copy, n > 0 ? (size_t)n : 0, &out, &e);
        free(copy);
        if (r != -1 || e.code != cases[i].code ||
            (cases[i].field && (!e.field || strcmp(e.field, cases[i].field))))
            fprintf(stderr, "case %zu (%s): r=%d code=%s field=%s\n", i, cases[i].hex, r,
                    ssgw_errcode_name(e.code), e.field ? e.field : "-");
        CHECK_INT(r, -1);
        CHECK_INT(e.code, cases[i].code);
        if (cases[i].field) CHECK_STR(e.field, cases[i].field);
        CHECK(e.offset <= (size_t)n);
    }
}

static void test_encode_refuses_invalid(void)
{
    uint8_t der[SSGW_IDENTITY_DER_MAX];
    ssgw_buf b;
    ssgw_identity id = sample();
    strcpy(id.country, "gb");
    ssgw_buf_init(&b, der, sizeof der);
    CHECK_INT(ssgw_cert_identity_encode(&id, &b), -1);
    id = sample();
    id.name[0] = '\0';
    ssgw_buf_init(&b, der, sizeof der);
    CHECK_INT(ssgw_cert_identity_encode(&id, &b), -1);
    id = sample();
    id.pc[0] = 16384;
    ssgw_buf_init(&b, der, sizeof der);
    CHECK_INT(ssgw_cert_identity_encode(&id, &b), -1);
    id = sample();
    ssgw_buf_init(&b, der, 10); /* too small */
    CHECK_INT(ssgw_cert_identity_encode(&id, &b), -1);
}

/* A self-signed certificate carrying the extension, for the OpenSSL checks. */
static X509 *make_cert(EVP_PKEY *k, const ssgw_identity *id)
{
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_NAME *n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"t", -1, -1, 0);
    X509_set_issuer_name(x, n);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, k);
    X509_EXTENSION *e = ssgw_cert_identity_ext(id);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    X509_sign(x, k, EVP_sha256());
    return x;
}

static void test_x509_and_openssl_oracle(void)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    ssgw_identity id = sample(), back;
    X509 *x = make_cert(k, &id);
    ssgw_error e;
    CHECK_INT(ssgw_cert_get_identity(x, &back, &e), 0);
    CHECK(ssgw_identity_equal(&id, &back));
    int idx = X509_get_ext_by_OBJ(x, ssgw_cert_identity_oid(), -1);
    CHECK(idx >= 0);
    CHECK_INT(X509_EXTENSION_get_critical(X509_get_ext(x, idx)), 0);

    /* a certificate without the extension */
    X509 *plain = X509_new();
    CHECK_INT(ssgw_cert_get_identity(plain, &back, &e), -1);
    CHECK_INT(e.code, SSGW_E_MISSING);
    X509_free(plain);

    uint8_t kid[SSGW_KEY_ID_LEN];
    char kh[20];
    CHECK_INT(ssgw_cert_key_id(x, kid), 0);
    ssgw_hex(kid, sizeof kid, kh, sizeof kh);

    if (!have_openssl()) {
        printf("note: openssl CLI missing (apt-get install openssl): oracle checks skipped\n");
    } else {
        char dir[] = "/tmp/ssgw-test-cert-XXXXXX";
        CHECK(mkdtemp(dir) != NULL);
        char path[256], cmd[1024];
        snprintf(path, sizeof path, "%s/c.pem", dir);
        FILE *f = fopen(path, "w");
        PEM_write_X509(f, x);
        fclose(f);
        snprintf(cmd, sizeof cmd, "openssl x509 -in %s -noout -text", path);
        const char *out = run(cmd);
        CHECK(strstr(out, SSGW_OID_SIGNALLING_IDENTITY ":") != NULL);
        /* the extension's DER, decoded by openssl asn1parse */
        uint8_t der[256];
        ssgw_buf b;
        ssgw_buf_init(&b, der, sizeof der);
        ssgw_cert_identity_encode(&id, &b);
        snprintf(path, sizeof path, "%s/id.der", dir);
        f = fopen(path, "wb");
        fwrite(der, 1, b.len, f);
        fclose(f);
        snprintf(cmd, sizeof cmd, "openssl asn1parse -inform DER -in %s", path);
        out = run(cmd);
        CHECK(strstr(out, "UTF8STRING        :AB") != NULL);
        CHECK(strstr(out, "PRINTABLESTRING   :GB") != NULL);
        CHECK(strstr(out, "PRINTABLESTRING   :23415") != NULL);
        CHECK(strstr(out, "NUMERICSTRING     :4477") != NULL);
        CHECK(strstr(out, "INTEGER           :04D2") != NULL);
        CHECK(strstr(out, "cont [ 0 ]") != NULL);
        /* key id: SHA-256 of the SubjectPublicKeyInfo DER, first 8 bytes */
        snprintf(cmd, sizeof cmd,
                 "openssl x509 -in %s/c.pem -noout -pubkey | openssl pkey -pubin -outform DER | "
                 "sha256sum",
                 dir);
        out = run(cmd);
        CHECK(strncmp(out, kh, 16) == 0);
        CHECK(check_remove_tree(dir) == 0);
    }
    X509_free(x);
    EVP_PKEY_free(k);
}

static void test_reason_names(void)
{
    ssgw_revoke_reason r;
    CHECK_INT(ssgw_revoke_reason_parse("keyCompromise", &r), 0);
    CHECK_INT(r, 1);
    CHECK_STR(ssgw_revoke_reason_name(SSGW_REVOKE_PRIVILEGE_WITHDRAWN), "privilegeWithdrawn");
    CHECK_STR(ssgw_revoke_reason_name((ssgw_revoke_reason)77), "unknown");
    CHECK_INT(ssgw_revoke_reason_parse("nonsense", &r), -1);
}

int main(void)
{
    RUN(test_encode_hand_checked);
    RUN(test_tn_ranges_hand_checked);
    RUN(test_round_trip_full);
    RUN(test_decode_errors);
    RUN(test_encode_refuses_invalid);
    RUN(test_x509_and_openssl_oracle);
    RUN(test_reason_names);
    return check_summary();
}
