/*
 * cli.c - CLI attestation of ISUP calls (include/ssgw/cli.h, docs/wire-format.md "CLI
 * attestation"): the attestation's octets, its place in the IAM (insertion and byte-exact
 * stripping), the SHAKEN PASSporT it signs, and signing / verification with the same
 * keyring, replay cache and OpenSSL contexts as the security token (trust/trust_int.h).
 *
 * The signature is ES256 (ECDSA P-256 over SHA-256, r||s) over the JWS signing input,
 * made and checked by the token's crypto (ssgw_token_make_tag2 / check_tag2 in the ECDSA
 * mode, which is exactly ES256), so a PASSporT printed from a verified IAM verifies in any
 * JWS library.
 */
#include "ssgw/cli.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "trust/trust_int.h"

#define FAIL(code, field, off) ssgw_fail(err, SSGW_LAYER_ISUP, (code), (field), (off))

static const char *const attest_names[] = {"none", "full", "partial", "gateway"};

const char *ssgw_cli_attest_name(int a)
{
    return a >= 0 && a <= SSGW_CLI_ATTEST_GATEWAY ? attest_names[a] : "none";
}

char ssgw_cli_attest_letter(int a)
{
    return a >= SSGW_CLI_ATTEST_FULL && a <= SSGW_CLI_ATTEST_GATEWAY ? (char)('A' + a - 1) : '-';
}

int ssgw_cli_attest_parse(const char *s)
{
    for (int i = SSGW_CLI_ATTEST_FULL; i <= SSGW_CLI_ATTEST_GATEWAY; i++)
        if (s && !strcmp(s, attest_names[i])) return i;
    return -1;
}

/* ---- the attestation's octets --------------------------------------------------------- */

enum {
    APP_ACI = 0x80 | SSGW_CLI_ACI, /* extension: last octet */
    APP_INSTRUCTIONS = 0x80,       /* extension; send notification no; release call no */
    APP_SEGMENTATION = 0xc0,       /* extension; new sequence; final segment */
    APP_HEAD = 5,                  /* the three octets above and two empty addresses */
};

int ssgw_cli_att_encode(ssgw_buf *out, const ssgw_cli_attestation *a, ssgw_error *err)
{
    if (a->attest < SSGW_CLI_ATTEST_FULL || a->attest > SSGW_CLI_ATTEST_GATEWAY ||
        (unsigned)a->pci > SSGW_CLI_PCI_APPENDED || a->iat >> 40 || a->version != SSGW_CLI_VERSION)
        return FAIL(SSGW_E_BAD_VALUE, "cli attestation", 0);
    uint8_t v[SSGW_CLI_APP_LEN], *p = v;
    *p++ = APP_ACI;
    *p++ = APP_INSTRUCTIONS;
    *p++ = APP_SEGMENTATION;
    *p++ = 0; /* originating address length */
    *p++ = 0; /* destination address length */
    *p++ = (uint8_t)(a->version << 4 | a->attest << 2 | a->pci);
    memcpy(p, a->key_id, SSGW_KEY_ID_LEN);
    p += SSGW_KEY_ID_LEN;
    for (int i = 4; i >= 0; i--)
        *p++ = (uint8_t)(a->iat >> (8 * i));
    memcpy(p, a->origid, 16);
    p += 16;
    memcpy(p, a->sig, 64);
    ssgw_buf_put(out, v, sizeof v);
    return out->overflow ? FAIL(SSGW_E_TOO_BIG, "cli attestation", 0) : 0;
}

int ssgw_cli_att_decode(const uint8_t *val, size_t len, ssgw_cli_attestation *a, ssgw_error *err)
{
    if (len < 1 || val[0] != APP_ACI) return 0; /* another application (or a 2-octet ACI) */
    if (len != SSGW_CLI_APP_LEN) return FAIL(SSGW_E_BAD_LENGTH, "cli attestation length", 0);
    if (val[1] != APP_INSTRUCTIONS)
        return FAIL(SSGW_E_BAD_VALUE, "cli attestation instructions", 1);
    if (val[2] != APP_SEGMENTATION)
        return FAIL(SSGW_E_BAD_VALUE, "cli attestation segmentation", 2);
    if (val[3] || val[4]) return FAIL(SSGW_E_BAD_VALUE, "cli attestation addresses", 3);
    const uint8_t *p = val + APP_HEAD;
    memset(a, 0, sizeof *a);
    a->version = p[0] >> 4;
    a->attest = (ssgw_cli_attest)(p[0] >> 2 & 3);
    a->pci = (ssgw_cli_pci)(p[0] & 3);
    if (a->version != SSGW_CLI_VERSION)
        return FAIL(SSGW_E_UNSUPPORTED, "cli attestation version", APP_HEAD);
    if (a->attest == SSGW_CLI_ATTEST_NONE)
        return FAIL(SSGW_E_BAD_VALUE, "cli attestation level", APP_HEAD);
    if (a->pci > SSGW_CLI_PCI_APPENDED)
        return FAIL(SSGW_E_BAD_VALUE, "cli attestation compatibility", APP_HEAD);
    p++;
    memcpy(a->key_id, p, SSGW_KEY_ID_LEN);
    p += SSGW_KEY_ID_LEN;
    for (int i = 0; i < 5; i++)
        a->iat = a->iat << 8 | *p++;
    memcpy(a->origid, p, 16);
    p += 16;
    memcpy(a->sig, p, 64);
    return 1;
}

/* ---- numbers, x5u, the PASSporT ---------------------------------------------------- */

int ssgw_cli_tn(const ssgw_isup_number *n, char *out, size_t cap)
{
    if (!n->present || n->nai != 4 || n->npi != 1) return -1;
    size_t l = strlen(n->digits);
    if (l && n->digits[l - 1] == 'F') l--; /* end of pulsing (ST) is not part of the number */
    if (l == 0 || l > 15 || l >= cap) return -1;
    for (size_t i = 0; i < l; i++)
        if (n->digits[i] < '0' || n->digits[i] > '9') return -1;
    memcpy(out, n->digits, l);
    out[l] = '\0';
    return 0;
}

int ssgw_cli_x5u(const char *tmpl, const uint8_t key_id[SSGW_KEY_ID_LEN], char *out, size_t cap)
{
    char kid[2 * SSGW_KEY_ID_LEN + 1];
    ssgw_hex(key_id, SSGW_KEY_ID_LEN, kid, sizeof kid);
    if (!tmpl) tmpl = SSGW_CLI_X5U_DEFAULT;
    const char *at = strstr(tmpl, "{kid}");
    int n = at ? snprintf(out, cap, "%.*s%s%s", (int)(at - tmpl), tmpl, kid, at + 5)
               : snprintf(out, cap, "%s", tmpl);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* BASE64URL (RFC 7515 2: base64 with the URL alphabet, no padding) of in into out;
 * returns the length written (out must hold 4 * ceil(n / 3) + 1). */
static size_t b64url(const uint8_t *in, size_t n, char *out)
{
    int l = EVP_EncodeBlock((unsigned char *)out, in, (int)n);
    while (l > 0 && out[l - 1] == '=')
        l--;
    for (int i = 0; i < l; i++)
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    out[l] = '\0';
    return (size_t)l;
}

static void uuid_text(const uint8_t u[16], char out[37])
{
    static const char hex[] = "0123456789abcdef";
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) *p++ = '-';
        *p++ = hex[u[i] >> 4];
        *p++ = hex[u[i] & 15];
    }
    *p = '\0';
}

int ssgw_cli_passport_json(const ssgw_cli_attestation *a, const char *x5u, const char *orig_tn,
                           const char *dest_tn, char *header, size_t hcap, char *claims,
                           size_t ccap)
{
    /* RFC 8225 9: keys in lexicographic order, no white space; RFC 8588 4 the claims */
    char origid[37];
    uuid_text(a->origid, origid);
    int h = snprintf(header, hcap,
                     "{\"alg\":\"ES256\",\"ppt\":\"shaken\",\"typ\":\"passport\","
                     "\"x5u\":\"%s\"}",
                     x5u);
    int c = snprintf(claims, ccap,
                     "{\"attest\":\"%c\",\"dest\":{\"tn\":[\"%s\"]},\"iat\":%llu,\"orig\":{"
                     "\"tn\":\"%s\"},\"origid\":\"%s\"}",
                     ssgw_cli_attest_letter(a->attest), dest_tn, (unsigned long long)a->iat,
                     orig_tn, origid);
    return h < 0 || (size_t)h >= hcap || c < 0 || (size_t)c >= ccap ? -1 : 0;
}

int ssgw_cli_signing_input(const ssgw_cli_attestation *a, const char *x5u, const char *orig_tn,
                           const char *dest_tn, char *out, size_t cap)
{
    char header[SSGW_CLI_X5U_CAP + 64], claims[256];
    if (ssgw_cli_passport_json(a, x5u, orig_tn, dest_tn, header, sizeof header, claims,
                               sizeof claims) < 0)
        return -1;
    size_t hl = strlen(header), cl = strlen(claims);
    if (4 * ((hl + 2) / 3) + 1 + 4 * ((cl + 2) / 3) + 1 > cap) return -1;
    size_t n = b64url((const uint8_t *)header, hl, out);
    out[n++] = '.';
    n += b64url((const uint8_t *)claims, cl, out + n);
    return (int)n;
}

int ssgw_cli_passport(const ssgw_cli_attestation *a, const char *x5u, const char *orig_tn,
                      const char *dest_tn, char *out, size_t cap)
{
    int n = ssgw_cli_signing_input(a, x5u, orig_tn, dest_tn, out, cap);
    if (n < 0 || (size_t)n + 1 + 86 + 1 > cap) return -1;
    out[n++] = '.';
    n += (int)b64url(a->sig, sizeof a->sig, out + n);
    return n;
}

/* ---- the attestation inside an IAM ------------------------------------------------ */

/* Offset of the optional-part pointer (Q.763 1.5): after CIC, type, the fixed parameters
 * and the variable parameters' pointers. 0 when the type has no optional part. */
static size_t opt_pointer(const ssgw_isup_msg *m)
{
    if (!m->def || !m->def->optional || m->def->opaque) return 0;
    size_t pos = SSGW_ISUP_HEADER_LEN;
    for (uint8_t i = 0; i < m->def->n_fixed; i++) {
        const ssgw_isup_param_def *pd = ssgw_isup_param_def_by_code(m->def->fixed[i]);
        pos += pd ? pd->fixed_len : 0;
    }
    return pos + m->def->n_variable;
}

/* Offset in m->buf of the parameter p (its code octet): optional parameters only. */
static size_t param_at(const ssgw_isup_msg *m, const ssgw_isup_param *p)
{
    return (size_t)(p->val - m->buf) - 2;
}

/* The entries of a parameter compatibility information value (Q.763 3.41): a parameter
 * code, then instruction octets up to the one with the extension bit set. Finds the last
 * entry for code; with exact, only one whose instructions are ours. Returns its offset in
 * val and sets *elen, or -1. -2 when the value is malformed. */
static int pci_entry(const uint8_t *val, size_t len, uint8_t code, bool exact, size_t *elen)
{
    int found = -1;
    for (size_t i = 0; i < len;) {
        size_t j = i + 1;
        while (j < len && !(val[j] & 0x80))
            j++;
        if (j >= len) return -2;
        size_t el = j + 1 - i;
        if (val[i] == code && (!exact || (el == 2 && val[i + 1] == SSGW_CLI_PCI_INSTRUCTION))) {
            found = (int)i;
            *elen = el;
        }
        i = j + 1;
    }
    return found;
}

static const ssgw_isup_param *find_optional(const ssgw_isup_msg *m, uint8_t code)
{
    for (unsigned i = 0; i < m->nparams; i++)
        if (m->params[i].code == code && m->params[i].part == SSGW_ISUP_PART_OPTIONAL)
            return &m->params[i];
    return NULL;
}

/* Our application transport parameter (the only one), or NULL; -1 in *bad when ours is
 * malformed or there are two. */
static const ssgw_isup_param *find_att(const ssgw_isup_msg *m, ssgw_cli_attestation *a, int *bad,
                                       ssgw_error *err)
{
    const ssgw_isup_param *ours = NULL;
    *bad = 0;
    if (m->params_truncated) {
        *bad = FAIL(SSGW_E_TOO_BIG, "cli attestation: parameters", 0);
        return NULL;
    }
    for (unsigned i = 0; i < m->nparams; i++) {
        const ssgw_isup_param *p = &m->params[i];
        if (p->code != SSGW_ISUP_P_APP_TRANSPORT || p->part != SSGW_ISUP_PART_OPTIONAL) continue;
        ssgw_cli_attestation t;
        int r = ssgw_cli_att_decode(p->val, p->len, &t, err);
        if (r < 0) {
            ssgw_error_rebase(err, (size_t)(p->val - m->buf));
            *bad = -1;
            return NULL;
        }
        if (r == 0) continue;
        if (ours) {
            *bad = FAIL(SSGW_E_DUPLICATE, "cli attestation", (size_t)(p->val - m->buf));
            return NULL;
        }
        ours = p;
        *a = t;
    }
    return ours;
}

int ssgw_cli_find(const ssgw_isup_msg *m, ssgw_cli_attestation *a, size_t *bytes, ssgw_error *err)
{
    int bad;
    const ssgw_isup_param *p = find_att(m, a, &bad, err);
    if (bad) return -1;
    if (!p) return 0;
    if (bytes)
        *bytes = 2 + SSGW_CLI_APP_LEN +
                 (a->pci == SSGW_CLI_PCI_ADDED      ? 4
                  : a->pci == SSGW_CLI_PCI_APPENDED ? 2
                                                    : 0);
    return 1;
}

int ssgw_cli_insert(const ssgw_isup_msg *m, ssgw_cli_attestation *a, ssgw_buf *out, ssgw_error *err)
{
    const uint8_t *b = m->buf;
    size_t n = m->len, op = opt_pointer(m);
    if (m->type != SSGW_ISUP_IAM || !op || op >= n)
        return FAIL(SSGW_E_UNSUPPORTED, "cli attestation: message type", 2);
    ssgw_cli_attestation old;
    int bad;
    if (find_att(m, &old, &bad, err) || bad)
        return bad ? -1 : FAIL(SSGW_E_DUPLICATE, "cli attestation", 0);
    const ssgw_isup_param *pci = find_optional(m, SSGW_ISUP_P_PARAM_COMPAT);
    size_t elen;
    int e = pci ? pci_entry(pci->val, pci->len, SSGW_ISUP_P_APP_TRANSPORT, false, &elen) : -1;
    if (e == -2) return FAIL(SSGW_E_BAD_VALUE, "parameter compatibility information", 0);
    a->pci = !pci ? SSGW_CLI_PCI_ADDED : e >= 0 ? SSGW_CLI_PCI_NONE : SSGW_CLI_PCI_APPENDED;
    if (a->pci == SSGW_CLI_PCI_APPENDED && pci->len > 253)
        return FAIL(SSGW_E_TOO_BIG, "parameter compatibility information", param_at(m, pci));
    size_t added = 2 + SSGW_CLI_APP_LEN +
                   (a->pci == SSGW_CLI_PCI_ADDED      ? 4
                    : a->pci == SSGW_CLI_PCI_APPENDED ? 2
                                                      : 0);
    bool had_opt = b[op] != 0;
    if (n + added + (had_opt ? 0 : 1) > SSGW_CLI_ISUP_MAX)
        return FAIL(SSGW_E_TOO_BIG, "cli attestation: message length", 0);
    size_t start = out->len, body = had_opt ? n - 1 : n; /* the end-of-optional octet goes last */
    if (a->pci == SSGW_CLI_PCI_APPENDED) {
        size_t pl = (size_t)(pci->val - b) - 1, pe = (size_t)(pci->val - b) + pci->len;
        ssgw_buf_put(out, b, pl);
        ssgw_buf_put_u8(out, (uint8_t)(pci->len + 2));
        ssgw_buf_put(out, pci->val, pci->len);
        ssgw_buf_put_u8(out, SSGW_ISUP_P_APP_TRANSPORT);
        ssgw_buf_put_u8(out, SSGW_CLI_PCI_INSTRUCTION);
        ssgw_buf_put(out, b + pe, body - pe);
    } else {
        ssgw_buf_put(out, b, body);
    }
    if (!had_opt && !out->overflow) out->data[start + op] = (uint8_t)(n - op);
    ssgw_buf_put_u8(out, SSGW_ISUP_P_APP_TRANSPORT);
    ssgw_buf_put_u8(out, SSGW_CLI_APP_LEN);
    if (ssgw_cli_att_encode(out, a, err) < 0) return -1;
    if (a->pci == SSGW_CLI_PCI_ADDED) {
        const uint8_t p[] = {SSGW_ISUP_P_PARAM_COMPAT, 2, SSGW_ISUP_P_APP_TRANSPORT,
                             SSGW_CLI_PCI_INSTRUCTION};
        ssgw_buf_put(out, p, sizeof p);
    }
    ssgw_buf_put_u8(out, SSGW_ISUP_P_END);
    return out->overflow ? FAIL(SSGW_E_TOO_BIG, "cli attestation: output", 0) : 0;
}

int ssgw_cli_strip(const ssgw_isup_msg *m, ssgw_cli_attestation *a, ssgw_buf *out, ssgw_error *err)
{
    int bad;
    const ssgw_isup_param *app = find_att(m, a, &bad, err);
    if (bad) return -1;
    if (!app) return 0;
    const uint8_t *b = m->buf;
    size_t n = m->len, op = opt_pointer(m);
    if (!op || op >= n || !b[op]) return FAIL(SSGW_E_BAD_VALUE, "cli attestation: place", 0);
    /* up to two cuts [from, to) and one patched length octet */
    size_t cut[2][2], ncut = 0, patch_at = 0;
    uint8_t patch = 0;
    cut[ncut][0] = param_at(m, app);
    cut[ncut][1] = cut[ncut][0] + 2 + app->len;
    ncut++;
    if (a->pci != SSGW_CLI_PCI_NONE) {
        const ssgw_isup_param *pci = find_optional(m, SSGW_ISUP_P_PARAM_COMPAT);
        size_t elen;
        int e = pci ? pci_entry(pci->val, pci->len, SSGW_ISUP_P_APP_TRANSPORT, true, &elen) : -1;
        if (e < 0)
            return FAIL(SSGW_E_BAD_VALUE, "cli attestation: compatibility entry",
                        pci ? param_at(m, pci) : 0);
        if (pci->len == elen) { /* nothing else in it: the whole parameter goes */
            cut[ncut][0] = param_at(m, pci);
            cut[ncut][1] = cut[ncut][0] + 2 + pci->len;
        } else {
            cut[ncut][0] = (size_t)(pci->val - b) + (size_t)e;
            cut[ncut][1] = cut[ncut][0] + elen;
            patch_at = (size_t)(pci->val - b) - 1;
            patch = (uint8_t)(pci->len - elen);
        }
        ncut++;
    }
    if (ncut == 2 && cut[1][0] < cut[0][0]) {
        size_t t0 = cut[0][0], t1 = cut[0][1];
        cut[0][0] = cut[1][0];
        cut[0][1] = cut[1][1];
        cut[1][0] = t0;
        cut[1][1] = t1;
    }
    size_t removed = 0;
    for (size_t i = 0; i < ncut; i++)
        removed += cut[i][1] - cut[i][0];
    size_t opt_start = op + b[op];
    bool empty = n - 1 - opt_start == removed; /* only the end-of-optional octet is left */
    size_t start = out->len, end = empty ? n - 1 : n, at = 0;
    for (size_t i = 0; i < ncut; i++) {
        ssgw_buf_put(out, b + at, cut[i][0] - at);
        at = cut[i][1];
    }
    ssgw_buf_put(out, b + at, end - at);
    if (out->overflow) return FAIL(SSGW_E_TOO_BIG, "cli attestation: output", 0);
    if (patch_at) { /* the shortened compatibility information's length, where it now is */
        size_t shift = 0;
        for (size_t i = 0; i < ncut; i++)
            if (cut[i][1] <= patch_at) shift += cut[i][1] - cut[i][0];
        out->data[start + patch_at - shift] = patch;
    }
    if (empty) out->data[start + op] = 0;
    return 1;
}

int ssgw_cli_mark_verified(uint8_t *buf, size_t len, const ssgw_isup_msg *m)
{
    const ssgw_isup_param *p = ssgw_isup_find(m, SSGW_ISUP_P_CALLING);
    if (!p || p->len < 2 || !m->f.calling.digits[0]) return 0;
    size_t at = (size_t)(p->val - m->buf) + 1;
    if (at >= len) return 0;
    uint8_t scr = buf[at] & 3;
    if (scr == 1 || scr == 3) return 0; /* verified and passed / network provided */
    buf[at] = (uint8_t)((buf[at] & ~3u) | 1u);
    return 1;
}

/* ---- signing and verification ------------------------------------------------------ */

/* The replay cache's 8-octet nonce of an origid: its two halves folded. */
static void replay_nonce(const uint8_t origid[16], uint8_t out[SSGW_TOKEN_NONCE_LEN])
{
    for (int i = 0; i < 8; i++)
        out[i] = origid[i] ^ origid[i + 8];
}

static int numbers(const ssgw_isup_msg *m, char *orig, char *dest)
{
    return ssgw_cli_tn(&m->f.calling, orig, SSGW_CLI_TN_CAP) < 0 ||
                   ssgw_cli_tn(&m->f.called, dest, SSGW_CLI_TN_CAP) < 0
               ? -1
               : 0;
}

/* The next origid of t: a version-4 UUID (RFC 9562 5.4) unique per attestation. One
 * RAND_bytes per IAM would cost a few per cent of the signing itself; instead a random
 * 128-bit base is drawn once per signing context (and again should its counter wrap) and
 * the counter is added into its low 64 bits, so origids never repeat within a context and
 * collide across contexts only with the probability of random UUIDs. */
static int next_origid(ssgw_trust *t, uint8_t out[16])
{
    if (t->origid_ctr == 0 && RAND_bytes(t->origid_base, sizeof t->origid_base) != 1) return -1;
    uint64_t c = ++t->origid_ctr, low = 0;
    for (int i = 8; i < 16; i++)
        low = low << 8 | t->origid_base[i];
    low += c;
    memcpy(out, t->origid_base, 8);
    for (int i = 15; i >= 8; i--, low >>= 8)
        out[i] = (uint8_t)low;
    out[6] = (uint8_t)((out[6] & 0x0f) | 0x40); /* version 4 */
    out[8] = (uint8_t)((out[8] & 0x3f) | 0x80); /* variant 10 */
    return 0;
}

int ssgw_cli_sign(ssgw_trust *t, const char *x5u_tmpl, ssgw_cli_attest attest, const uint8_t *isup,
                  size_t len, time_t now, ssgw_buf *out, ssgw_cli_sign_info *info, ssgw_error *err)
{
    ssgw_isup_msg m;
    if (ssgw_isup_decode(isup, len, &m, err) < 0) return -1;
    if (m.type != SSGW_ISUP_IAM)
        return FAIL(SSGW_E_UNSUPPORTED, "cli attestation: message type", 2);
    if (attest < SSGW_CLI_ATTEST_FULL || attest > SSGW_CLI_ATTEST_GATEWAY || now < 0)
        return FAIL(SSGW_E_BAD_VALUE, "cli attestation level", 0);
    ssgw_cli_attestation a;
    memset(&a, 0, sizeof a);
    char orig[SSGW_CLI_TN_CAP], dest[SSGW_CLI_TN_CAP], x5u[SSGW_CLI_X5U_CAP];
    if (!m.f.calling.present || !m.f.called.present)
        return FAIL(SSGW_E_MISSING,
                    m.f.calling.present ? "called party number" : "calling party number", 0);
    if (numbers(&m, orig, dest) < 0)
        return FAIL(SSGW_E_BAD_VALUE, "number not in international E.164 form", 0);
    EVP_PKEY *key = ssgw_keyring_own_sign_key(t->kr);
    if (!key || ssgw_keyring_own_key_id(t->kr, a.key_id) < 0)
        return FAIL(SSGW_E_MISSING, "own signing key", 0);
    a.version = SSGW_CLI_VERSION;
    a.attest = attest;
    a.iat = (uint64_t)now;
    if (next_origid(t, a.origid) < 0) return FAIL(SSGW_E_UNSUPPORTED, "random origid", 0);
    char input[SSGW_CLI_JWS_CAP];
    int in = ssgw_cli_x5u(x5u_tmpl, a.key_id, x5u, sizeof x5u) < 0
                 ? -1
                 : ssgw_cli_signing_input(&a, x5u, orig, dest, input, sizeof input);
    if (in < 0) return FAIL(SSGW_E_TOO_BIG, "cli passport", 0);
    ssgw_token tok;
    memset(&tok, 0, sizeof tok);
    tok.mode = SSGW_TOKEN_MODE_ECDSA_P256;
    if (ssgw_token_make_tag2(t->crypto, &tok, key, NULL, (const uint8_t *)input, (size_t)in, NULL,
                             0) < 0)
        return FAIL(SSGW_E_BAD_VALUE, "own key for ES256 (EC P-256)", 0);
    memcpy(a.sig, tok.tag, sizeof a.sig);
    size_t before = out->len;
    if (ssgw_cli_insert(&m, &a, out, err) < 0) return -1;
    if (info) {
        info->attest = attest;
        info->pci = a.pci;
        info->added = out->len - before - len;
        memcpy(info->orig_tn, orig, sizeof orig);
        memcpy(info->dest_tn, dest, sizeof dest);
    }
    return 0;
}

static ssgw_trust_outcome done(ssgw_cli_result *res, ssgw_trust_outcome o)
{
    res->outcome = o;
    return o;
}

ssgw_trust_outcome ssgw_cli_verify(ssgw_trust *t, const char *x5u_tmpl, const uint8_t *isup,
                                   size_t len, time_t now, ssgw_cli_result *res, ssgw_buf *stripped)
{
    memset(res, 0, sizeof *res);
    ssgw_isup_msg m;
    if (ssgw_isup_decode(isup, len, &m, &res->err) < 0) return done(res, SSGW_TRUST_MALFORMED);
    size_t mark = stripped ? stripped->len : 0;
    int r = ssgw_cli_find(&m, &res->att, &res->bytes, &res->err);
    if (r < 0) return done(res, SSGW_TRUST_MALFORMED);
    if (r == 0) {
        if (stripped) ssgw_buf_put(stripped, isup, len);
        return done(res, SSGW_TRUST_MISSING);
    }
    res->present = true;
    if (stripped && ssgw_cli_strip(&m, &res->att, stripped, &res->err) < 0) {
        stripped->len = mark;
        stripped->overflow = false;
        return done(res, SSGW_TRUST_MALFORMED);
    }
    const ssgw_cli_attestation *a = &res->att;
    const ssgw_keyring_member *mb = ssgw_keyring_find(t->kr, a->key_id);
    if (!mb) return done(res, SSGW_TRUST_UNKNOWN_KEY);
    res->signer = mb;
    if (ssgw_cli_x5u(x5u_tmpl, a->key_id, res->x5u, sizeof res->x5u) < 0 ||
        numbers(&m, res->orig_tn, res->dest_tn) < 0) {
        res->orig_tn[0] = res->dest_tn[0] = '\0';
        return done(res, SSGW_TRUST_BAD_SIGNATURE); /* cannot cover the numbers as they read */
    }
    char input[SSGW_CLI_JWS_CAP];
    int in = ssgw_cli_signing_input(a, res->x5u, res->orig_tn, res->dest_tn, input, sizeof input);
    ssgw_token tok;
    memset(&tok, 0, sizeof tok);
    tok.mode = SSGW_TOKEN_MODE_ECDSA_P256;
    tok.tag_len = 64;
    memcpy(tok.tag, a->sig, 64);
    if (in < 0 || ssgw_token_check_tag2(t->crypto, &tok, mb->sign_key, NULL, (const uint8_t *)input,
                                        (size_t)in, NULL, 0) != 1)
        return done(res, SSGW_TRUST_BAD_SIGNATURE);
    if (mb->revoked) return done(res, SSGW_TRUST_REVOKED);
    if (now < mb->not_before) return done(res, SSGW_TRUST_NOT_YET_VALID);
    if (now > mb->not_after) return done(res, SSGW_TRUST_EXPIRED);
    if (a->attest != SSGW_CLI_ATTEST_GATEWAY &&
        !ssgw_identity_covers_tn(&mb->identity, res->orig_tn))
        return done(res, SSGW_TRUST_NUMBER_NOT_AUTHORISED);
    int64_t skew = (int64_t)a->iat - (int64_t)now;
    if (skew > t->cfg.window_s || skew < -t->cfg.window_s) return done(res, SSGW_TRUST_STALE);
    uint8_t nonce[SSGW_TOKEN_NONCE_LEN];
    replay_nonce(a->origid, nonce);
    return done(res, ssgw_trust_replay_check(t, mb, a->key_id, nonce, a->iat, now));
}
