/*
 * keyring.c - members' public keys and the gateway's own keys for security tokens
 * (include/ssgw/keyring.h; docs/wire-format.md "Keys").
 *
 * Members live in an array sorted by key id (binary search; the bundle loader adds
 * them in one go, so insertion cost does not matter). Pairwise fast-mode keys are
 * derived eagerly (ECDH + HKDF-SHA256, RFC 5869, via OpenSSL EVP) whenever both KA
 * keys are known, so lookups never write. Pairwise keys are wiped with OPENSSL_cleanse
 * when replaced or freed.
 */
#include "ssgw/keyring.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/x509.h>

struct ssgw_keyring {
    ssgw_keyring_member *m;
    size_t n, cap;
    EVP_PKEY *own_sign;
    EVP_PKEY *own_ka;
    uint8_t own_id[SSGW_KEY_ID_LEN];
};

int ssgw_key_id(EVP_PKEY *pkey, uint8_t out[SSGW_KEY_ID_LEN])
{
    unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!pkey) return -1;
    int n = i2d_PUBKEY(pkey, &der);
    if (n <= 0) return -1;
    int ok = EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha256(), NULL);
    OPENSSL_free(der);
    if (!ok || mdlen < SSGW_KEY_ID_LEN) return -1;
    memcpy(out, md, SSGW_KEY_ID_LEN);
    return 0;
}

void ssgw_operator_id(const ssgw_identity *id, const uint8_t key_id[SSGW_KEY_ID_LEN],
                      uint8_t out[SSGW_KEY_ID_LEN])
{
    static const char tag[] = "OpenSSGW operator v1";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    size_t nl = strnlen(id->name, sizeof id->name), cl = strnlen(id->country, sizeof id->country);
    EVP_MD_CTX *c = nl ? EVP_MD_CTX_new() : NULL;
    bool ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) &&
              EVP_DigestUpdate(c, tag, sizeof tag - 1) && EVP_DigestUpdate(c, id->country, cl) &&
              EVP_DigestUpdate(c, "", 1) && EVP_DigestUpdate(c, id->name, nl) &&
              EVP_DigestFinal_ex(c, md, &mdlen) && mdlen >= SSGW_KEY_ID_LEN;
    EVP_MD_CTX_free(c);
    /* no name (or no digest: out of memory): the key is its own operator */
    memcpy(out, ok ? md : key_id, SSGW_KEY_ID_LEN);
}

static bool sign_key_ok(EVP_PKEY *k)
{
    if (!k) return false;
    if (EVP_PKEY_is_a(k, "ED25519")) return true;
    if (!EVP_PKEY_is_a(k, "EC")) return false;
    char group[64];
    size_t glen = 0;
    if (!EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &glen))
        return false;
    return strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0;
}

int ssgw_pairwise_derive(EVP_PKEY *own_ka_priv, EVP_PKEY *peer_ka_pub,
                         const uint8_t id_a[SSGW_KEY_ID_LEN], const uint8_t id_b[SSGW_KEY_ID_LEN],
                         uint8_t out[SSGW_PAIRWISE_KEY_LEN])
{
    uint8_t secret[66], info[sizeof SSGW_PAIRWISE_INFO - 1 + 2 * SSGW_KEY_ID_LEN];
    size_t slen = sizeof secret;
    int rc = -1;
    EVP_PKEY_CTX *dc = NULL, *kc = NULL;
    if (!own_ka_priv || !peer_ka_pub) return -1;

    dc = EVP_PKEY_CTX_new_from_pkey(NULL, own_ka_priv, NULL);
    if (!dc || EVP_PKEY_derive_init(dc) <= 0 || EVP_PKEY_derive_set_peer(dc, peer_ka_pub) <= 0 ||
        EVP_PKEY_derive(dc, secret, &slen) <= 0)
        goto done;

    /* info = prefix || lower key id || higher key id */
    const uint8_t *lo = id_a, *hi = id_b;
    if (memcmp(id_a, id_b, SSGW_KEY_ID_LEN) > 0) {
        lo = id_b;
        hi = id_a;
    }
    size_t plen = sizeof SSGW_PAIRWISE_INFO - 1;
    memcpy(info, SSGW_PAIRWISE_INFO, plen);
    memcpy(info + plen, lo, SSGW_KEY_ID_LEN);
    memcpy(info + plen + SSGW_KEY_ID_LEN, hi, SSGW_KEY_ID_LEN);

    kc = EVP_PKEY_CTX_new_from_name(NULL, "HKDF", NULL);
    if (!kc || EVP_PKEY_derive_init(kc) <= 0 || EVP_PKEY_CTX_set_hkdf_md(kc, EVP_sha256()) <= 0 ||
        EVP_PKEY_CTX_set1_hkdf_key(kc, secret, (int)slen) <= 0 ||
        EVP_PKEY_CTX_add1_hkdf_info(kc, info, (int)sizeof info) <= 0)
        goto done;
    size_t olen = SSGW_PAIRWISE_KEY_LEN;
    if (EVP_PKEY_derive(kc, out, &olen) <= 0 || olen != SSGW_PAIRWISE_KEY_LEN) goto done;
    rc = 0;
done:
    OPENSSL_cleanse(secret, sizeof secret);
    EVP_PKEY_CTX_free(dc);
    EVP_PKEY_CTX_free(kc);
    return rc;
}

ssgw_keyring *ssgw_keyring_new(void)
{
    return calloc(1, sizeof(ssgw_keyring));
}

static void member_clear(ssgw_keyring_member *m)
{
    EVP_PKEY_free(m->sign_key);
    EVP_PKEY_free(m->ka_key);
    OPENSSL_cleanse(m->pairwise, sizeof m->pairwise);
    m->has_pairwise = false;
}

void ssgw_keyring_free(ssgw_keyring *kr)
{
    if (!kr) return;
    for (size_t i = 0; i < kr->n; i++)
        member_clear(&kr->m[i]);
    free(kr->m);
    EVP_PKEY_free(kr->own_sign);
    EVP_PKEY_free(kr->own_ka);
    free(kr);
}

/* Index of key_id, or where it would go (*found false). */
static size_t search(const ssgw_keyring *kr, const uint8_t *key_id, bool *found)
{
    size_t lo = 0, hi = kr->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(kr->m[mid].key_id, key_id, SSGW_KEY_ID_LEN);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

static void derive_for(ssgw_keyring *kr, ssgw_keyring_member *m)
{
    OPENSSL_cleanse(m->pairwise, sizeof m->pairwise);
    m->has_pairwise = false;
    if (kr->own_ka && kr->own_sign && m->ka_key &&
        ssgw_pairwise_derive(kr->own_ka, m->ka_key, kr->own_id, m->key_id, m->pairwise) == 0)
        m->has_pairwise = true;
}

int ssgw_keyring_add(ssgw_keyring *kr, const ssgw_keyring_member *in)
{
    uint8_t id[SSGW_KEY_ID_LEN];
    if (!kr || !in || !sign_key_ok(in->sign_key)) return -1;
    if (ssgw_key_id(in->sign_key, id) < 0 || memcmp(id, in->key_id, SSGW_KEY_ID_LEN) != 0)
        return -1;
    bool found;
    size_t at = search(kr, in->key_id, &found);
    if (!found && kr->n == kr->cap) {
        size_t ncap = kr->cap ? kr->cap * 2 : 16;
        ssgw_keyring_member *nm = realloc(kr->m, ncap * sizeof *nm);
        if (!nm) return -1;
        kr->m = nm;
        kr->cap = ncap;
    }
    if (!EVP_PKEY_up_ref(in->sign_key)) return -1;
    if (in->ka_key && !EVP_PKEY_up_ref(in->ka_key)) {
        EVP_PKEY_free(in->sign_key);
        return -1;
    }
    if (found) {
        member_clear(&kr->m[at]);
    } else {
        memmove(&kr->m[at + 1], &kr->m[at], (kr->n - at) * sizeof *kr->m);
        kr->n++;
    }
    ssgw_keyring_member *m = &kr->m[at];
    *m = *in;
    m->serial[SSGW_KEYRING_SERIAL_MAX - 1] = '\0';
    ssgw_operator_id(&m->identity, m->key_id, m->operator_id);
    derive_for(kr, m);
    return 0;
}

const ssgw_keyring_member *ssgw_keyring_find(const ssgw_keyring *kr,
                                             const uint8_t key_id[SSGW_KEY_ID_LEN])
{
    bool found;
    if (!kr) return NULL;
    size_t at = search(kr, key_id, &found);
    return found ? &kr->m[at] : NULL;
}

int ssgw_keyring_set_revoked(ssgw_keyring *kr, const uint8_t key_id[SSGW_KEY_ID_LEN], bool revoked)
{
    bool found;
    size_t at = search(kr, key_id, &found);
    if (!found) return -1;
    kr->m[at].revoked = revoked;
    return 0;
}

size_t ssgw_keyring_count(const ssgw_keyring *kr)
{
    return kr ? kr->n : 0;
}

const ssgw_keyring_member *ssgw_keyring_at(const ssgw_keyring *kr, size_t i)
{
    return kr && i < kr->n ? &kr->m[i] : NULL;
}

int ssgw_keyring_set_own(ssgw_keyring *kr, EVP_PKEY *sign_priv, EVP_PKEY *ka_priv)
{
    uint8_t id[SSGW_KEY_ID_LEN];
    if (!kr || !sign_key_ok(sign_priv) || ssgw_key_id(sign_priv, id) < 0) return -1;
    if (ka_priv && !(EVP_PKEY_is_a(ka_priv, "EC") || EVP_PKEY_is_a(ka_priv, "X25519"))) return -1;
    if (!EVP_PKEY_up_ref(sign_priv)) return -1;
    if (ka_priv && !EVP_PKEY_up_ref(ka_priv)) {
        EVP_PKEY_free(sign_priv);
        return -1;
    }
    EVP_PKEY_free(kr->own_sign);
    EVP_PKEY_free(kr->own_ka);
    kr->own_sign = sign_priv;
    kr->own_ka = ka_priv;
    memcpy(kr->own_id, id, SSGW_KEY_ID_LEN);
    for (size_t i = 0; i < kr->n; i++)
        derive_for(kr, &kr->m[i]);
    return 0;
}

EVP_PKEY *ssgw_keyring_own_sign_key(const ssgw_keyring *kr)
{
    return kr ? kr->own_sign : NULL;
}

int ssgw_keyring_own_key_id(const ssgw_keyring *kr, uint8_t out[SSGW_KEY_ID_LEN])
{
    if (!kr || !kr->own_sign) return -1;
    memcpy(out, kr->own_id, SSGW_KEY_ID_LEN);
    return 0;
}
