/*
 * tcap_dialogue.c - the TCAP dialogue portion (ITU-T Q.773 clause 4.2.2).
 *
 * DialoguePortion ::= [APPLICATION 11] EXPLICIT EXTERNAL, whose EXTERNAL (X.690 8.18)
 * carries a direct-reference naming the abstract syntax and single-ASN1-type [0] holding
 * one dialogue PDU:
 *   dialogue-as-id    0.0.17.773.1.1.1: AARQ [APPLICATION 0], AARE [APPLICATION 1],
 *                                        ABRT [APPLICATION 4]   (module DialoguePDUs)
 *   unidialogue-as-id 0.0.17.773.1.2.1: AUDT [APPLICATION 0]    (module UnidialoguePDUs)
 * Both modules use EXPLICIT tags, except where IMPLICIT is written: protocol-version [0]
 * IMPLICIT BIT STRING, abort-source [0] IMPLICIT INTEGER, user-information [30] IMPLICIT
 * SEQUENCE OF EXTERNAL. The user information is left raw for the MAP layer.
 *
 * Hand-written where measured: AARQ, AARE, ABRT and AUDT in their common shape are read in
 * one pass (ssgw_tcap_dialogue_one_pass, at the end; ~770 instructions per message before);
 * everything else goes to the general decoder.
 */
#include "ssgw/tcap.h"

#include <string.h>

#include "ber_inline.h"
#include "tcap_int.h"

/* OID contents octets of the two abstract syntaxes. */
static const uint8_t dialogue_as_id[] = {0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01};
static const uint8_t unidialogue_as_id[] = {0x00, 0x11, 0x86, 0x05, 0x01, 0x02, 0x01};

const char *ssgw_tcap_dialogue_type_name(ssgw_tcap_dialogue_type t)
{
    switch (t) {
    case SSGW_TCAP_DLG_NONE:
        return "none";
    case SSGW_TCAP_DLG_AARQ:
        return "aarq";
    case SSGW_TCAP_DLG_AARE:
        return "aare";
    case SSGW_TCAP_DLG_ABRT:
        return "abrt";
    case SSGW_TCAP_DLG_AUDT:
        return "audt";
    case SSGW_TCAP_DLG_OTHER:
        return "other";
    }
    return "unknown";
}

const char *ssgw_tcap_result_name(int result)
{
    switch (result) {
    case SSGW_TCAP_RESULT_ACCEPTED:
        return "accepted";
    case SSGW_TCAP_RESULT_REJECT_PERMANENT:
        return "reject-permanent";
    }
    return "unknown";
}

const char *ssgw_tcap_diag_source_name(ssgw_tcap_diag_source s)
{
    switch (s) {
    case SSGW_TCAP_DIAG_NONE:
        return "none";
    case SSGW_TCAP_DIAG_SERVICE_USER:
        return "dialogue-service-user";
    case SSGW_TCAP_DIAG_SERVICE_PROVIDER:
        return "dialogue-service-provider";
    }
    return "unknown";
}

const char *ssgw_tcap_diag_name(ssgw_tcap_diag_source s, int value)
{
    if (value == 0) return "null";
    if (value == 1) return "no-reason-given";
    if (value == 2 && s == SSGW_TCAP_DIAG_SERVICE_USER)
        return "application-context-name-not-supported";
    if (value == 2 && s == SSGW_TCAP_DIAG_SERVICE_PROVIDER) return "no-common-dialogue-portion";
    return "unknown";
}

const char *ssgw_tcap_abort_source_name(int s)
{
    switch (s) {
    case SSGW_TCAP_ABORT_SOURCE_USER:
        return "dialogue-service-user";
    case SSGW_TCAP_ABORT_SOURCE_PROVIDER:
        return "dialogue-service-provider";
    }
    return "unknown";
}

static int fail(ssgw_error *err, ssgw_errcode code, const char *field, size_t off)
{
    return ssgw_fail(err, SSGW_LAYER_TCAP, code, field, off);
}

static ssgw_tcap_span span_at(const ssgw_ber_tlv *t, size_t off)
{
    ssgw_tcap_span s = {off, t->total, t->hdr_len, t->indefinite};
    return s;
}

static int next_el(ssgw_ber_iter *it, size_t base, ssgw_ber_tlv *t, size_t *off, const char *field,
                   ssgw_error *err)
{
    ssgw_error e;
    size_t pos = it->pos;
    int r = ssgw_ber_next_fast(it, t, &e);
    if (r < 0) return fail(err, e.code, field, base + e.offset);
    *off = base + pos;
    return r;
}

/* The only element of an explicitly tagged or wrapping constructed value t (at off). */
static int only_child(const ssgw_ber_tlv *t, size_t off, ssgw_ber_tlv *c, size_t *coff,
                      const char *field, ssgw_error *err)
{
    ssgw_ber_iter it;
    ssgw_ber_tlv extra;
    size_t xoff = 0;
    if (!t->constructed) return fail(err, SSGW_E_BAD_TAG, field, off);
    ssgw_ber_iter_init(&it, t->val, t->len);
    int r = next_el(&it, off + t->hdr_len, c, coff, field, err);
    if (r < 0) return -1;
    if (r == 0) return fail(err, SSGW_E_MISSING, field, off);
    r = next_el(&it, off + t->hdr_len, &extra, &xoff, field, err);
    if (r < 0) return -1;
    if (r > 0) return fail(err, SSGW_E_BAD_TAG, field, xoff);
    return 0;
}

/* The SSGW_TCAP_OID_STR_MAX octets of a dotted text from s to d in 16-octet moves: as a plain
 * memcpy, gcc -O3 copies them with rep movsl where this is inlined, which callgrind counts per
 * 4 octets (measured: ~15 instructions a message in ssgw decode). */
static inline __attribute__((always_inline)) void oid_text_copy(char *d, const char *s)
{
    _Static_assert(SSGW_TCAP_OID_STR_MAX == 96, "six 16-octet moves");
    memcpy(d, s, 16);
    memcpy(d + 16, s + 16, 16);
    memcpy(d + 32, s + 32, 16);
    memcpy(d + 48, s + 48, 16);
    memcpy(d + 64, s + 64, 16);
    memcpy(d + 80, s + 80, 16);
}

/*
 * Dotted text of an application context name. Formatting an OID costs a few hundred
 * instructions and a gateway sees the same handful of contexts all day, so the text of
 * recently seen OIDs is remembered per thread (direct-mapped, keyed by the contents
 * octets); a hit copies the same text ssgw_ber_oid_to_str produced for the same bytes.
 * out holds SSGW_TCAP_OID_STR_MAX bytes and is written whole: the text, then zeros (a memo
 * keeps the whole buffer, so that a hit is one fixed-size copy rather than a call).
 * Returns -1 when the OID is invalid.
 */
/* 256 slots: with the hash below, every MAP context and version (ac < 51, version < 5) has
 * a slot of its own, so a capture of all of them (ssgw generate) misses only once each. */
#define ACN_MEMO_SLOTS 256
#define ACN_MEMO_OID   16

typedef struct {
    uint8_t len; /* 0: empty */
    uint8_t oid[ACN_MEMO_OID];
    uint8_t text_len;
    char text[SSGW_TCAP_OID_STR_MAX]; /* zero after the text */
} acn_memo;

static _Thread_local acn_memo acn_memos[ACN_MEMO_SLOTS];

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t x;
    memcpy(&x, p, sizeof x);
    return x;
}

static inline uint32_t load32(const uint8_t *p)
{
    uint32_t x;
    memcpy(&x, p, sizeof x);
    return x;
}

/* a[0..len) == b[0..len) for len 1..16, with two overlapping loads that stay in both. */
static inline bool oid_eq(const uint8_t *a, const uint8_t *b, size_t len)
{
    if (len >= 8) return load64(a) == load64(b) && load64(a + len - 8) == load64(b + len - 8);
    if (len >= 4) return load32(a) == load32(b) && load32(a + len - 4) == load32(b + len - 4);
    return memcmp(a, b, len) == 0;
}

static inline __attribute__((always_inline)) int acn_text(const uint8_t *oid, size_t len, char *out)
{
    if (len == 0 || len > ACN_MEMO_OID) {
        memset(out, 0, SSGW_TCAP_OID_STR_MAX);
        return ssgw_ber_oid_to_str(oid, len, out, SSGW_TCAP_OID_STR_MAX);
    }
    /* MAP contexts 0.4.0.0.1.0.<ac>.<version>: the last two octets tell them apart */
    unsigned h = len >= 2 ? oid[len - 2] * 5u + oid[len - 1] + (unsigned)len * 17u : oid[0];
    acn_memo *m = &acn_memos[h % ACN_MEMO_SLOTS];
    if (m->len == len && oid_eq(m->oid, oid, len)) {
        oid_text_copy(out, m->text);
        return m->text_len;
    }
    memset(out, 0, SSGW_TCAP_OID_STR_MAX);
    int n = ssgw_ber_oid_to_str(oid, len, out, SSGW_TCAP_OID_STR_MAX);
    if (n < 0) return -1;
    m->len = (uint8_t)len;
    memcpy(m->oid, oid, len);
    m->text_len = (uint8_t)n;
    memcpy(m->text, out, SSGW_TCAP_OID_STR_MAX);
    return n;
}

/* An INTEGER in lo..hi; `implicit` when t carries a context tag instead of UNIVERSAL 2. */
static int get_small_int(const ssgw_ber_tlv *t, size_t off, bool implicit, int lo, int hi, int *v,
                         const char *field, ssgw_error *err)
{
    int64_t x;
    ssgw_error e;
    if (!implicit && !ssgw_ber_is(t, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_INTEGER))
        return fail(err, SSGW_E_BAD_TAG, field, off);
    if (t->constructed || t->len < 1 || t->len > 8) return fail(err, SSGW_E_BAD_LENGTH, field, off);
    if (ssgw_ber_get_int(t, &x, field, &e) < 0) return fail(err, e.code, field, off);
    if (x < lo || x > hi) return fail(err, SSGW_E_BAD_VALUE, field, off);
    *v = (int)x;
    return 0;
}

/* Elements of the dialogue PDUs, in SEQUENCE order, as bits. */
enum {
    DE_PV_OR_ABRT = 1u << 0, /* [0]: protocol-version, or abort-source in ABRT */
    DE_ACN = 1u << 1,        /* [1] */
    DE_RESULT = 1u << 2,     /* [2] */
    DE_DIAG = 1u << 3,       /* [3] */
    DE_USER_INFO = 1u << 4,  /* [30] */
};

static const struct {
    ssgw_tcap_dialogue_type type;
    unsigned mandatory, allowed;
} pdu_rules[] = {
    {SSGW_TCAP_DLG_AARQ, DE_ACN, DE_PV_OR_ABRT | DE_ACN | DE_USER_INFO},
    {SSGW_TCAP_DLG_AARE, DE_ACN | DE_RESULT | DE_DIAG,
     DE_PV_OR_ABRT | DE_ACN | DE_RESULT | DE_DIAG | DE_USER_INFO},
    {SSGW_TCAP_DLG_ABRT, DE_PV_OR_ABRT, DE_PV_OR_ABRT | DE_USER_INFO},
    {SSGW_TCAP_DLG_AUDT, DE_ACN, DE_PV_OR_ABRT | DE_ACN | DE_USER_INFO},
};

static int pdu_element(const ssgw_ber_tlv *t, ssgw_tcap_dialogue_type type, unsigned *bit,
                       const char **field)
{
    if (t->cls != SSGW_BER_CONTEXT) return -1;
    switch (t->tag) {
    case 0:
        *bit = DE_PV_OR_ABRT;
        *field = type == SSGW_TCAP_DLG_ABRT ? "abort source" : "protocol version";
        return 0;
    case 1:
        *bit = DE_ACN, *field = "application context name";
        return 1;
    case 2:
        *bit = DE_RESULT, *field = "result";
        return 2;
    case 3:
        *bit = DE_DIAG, *field = "result source diagnostic";
        return 3;
    case 30:
        *bit = DE_USER_INFO, *field = "user information";
        return 4;
    }
    return -1;
}

static int get_element(ssgw_tcap_dialogue *d, const ssgw_ber_tlv *t, size_t off, unsigned bit,
                       const char *field, ssgw_error *err)
{
    ssgw_ber_tlv c, v;
    size_t coff = 0, voff = 0;
    switch (bit) {
    case DE_PV_OR_ABRT:
        if (d->type == SSGW_TCAP_DLG_ABRT)
            return get_small_int(t, off, true, 0, 1, &d->abort_source, field, err);
        /* BIT STRING {version1(0)}: unused-bits octet then one octet of bits */
        if (t->constructed) return fail(err, SSGW_E_BAD_TAG, field, off);
        if (t->len != 2 || t->val[0] > 7) return fail(err, SSGW_E_BAD_LENGTH, field, off);
        d->protocol_version_present = true;
        d->protocol_version[0] = t->val[0];
        d->protocol_version[1] = t->val[1];
        return 0;
    case DE_ACN:
        if (only_child(t, off, &c, &coff, field, err) < 0) return -1;
        if (!ssgw_ber_is(&c, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_OID) || c.constructed)
            return fail(err, SSGW_E_BAD_TAG, field, coff);
        if (acn_text(c.val, c.len, d->acn_str) < 0) return fail(err, SSGW_E_BAD_VALUE, field, coff);
        d->acn = c.val;
        d->acn_len = c.len;
        return 0;
    case DE_RESULT:
        if (only_child(t, off, &c, &coff, field, err) < 0) return -1;
        return get_small_int(&c, coff, false, 0, 1, &d->result, field, err);
    case DE_DIAG:
        /* CHOICE { dialogue-service-user [1] INTEGER, dialogue-service-provider [2] INTEGER } */
        if (only_child(t, off, &c, &coff, field, err) < 0) return -1;
        if (c.cls != SSGW_BER_CONTEXT || (c.tag != 1 && c.tag != 2))
            return fail(err, SSGW_E_BAD_TAG, field, coff);
        d->diag_source = (ssgw_tcap_diag_source)c.tag;
        if (only_child(&c, coff, &v, &voff, field, err) < 0) return -1;
        return get_small_int(&v, voff, false, 0, 255, &d->diag_value, field, err);
    case DE_USER_INFO: {
        /* SEQUENCE OF EXTERNAL: check the shape only, MAP interprets it */
        ssgw_ber_iter it;
        int r;
        if (!t->constructed) return fail(err, SSGW_E_BAD_TAG, field, off);
        ssgw_ber_iter_init(&it, t->val, t->len);
        while ((r = next_el(&it, off + t->hdr_len, &c, &coff, field, err)) > 0)
            if (!ssgw_ber_is(&c, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_EXTERNAL) || !c.constructed)
                return fail(err, SSGW_E_BAD_TAG, field, coff);
        if (r < 0) return -1;
        d->user_info_present = true;
        d->user_info = t->val;
        d->user_info_len = t->len;
        d->user_info_span = span_at(t, off);
        return 0;
    }
    }
    return fail(err, SSGW_E_BAD_TAG, field, off);
}

/*
 * A dialogue portion may carry, instead of a dialogue APDU, OpenSSGW's security token
 * (an EXTERNAL whose direct reference is SSGW_TCAP_TOKEN_OID) when the signer found no
 * dialogue portion to put it in. Any other abstract syntax stays unsupported.
 */
unsigned ssgw_tcap_token_oid_version(const uint8_t *oid, size_t len)
{
    static const uint8_t tok[] = SSGW_TCAP_TOKEN_OID_OCTETS;
    if (len != sizeof tok || memcmp(oid, tok, len - 1) != 0) return 0;
    return oid[len - 1] == 1 || oid[len - 1] == 2 ? oid[len - 1] : 0;
}

/* Either version: a verifier must see a version 1 token to refuse it by name. */
static bool is_token_syntax(const uint8_t *oid, size_t len)
{
    return ssgw_tcap_token_oid_version(oid, len) != 0;
}

/* The rest of a token EXTERNAL: one encoding choice ([0], [1] or [2]) and nothing after. */
static int other_syntax(ssgw_tcap_dialogue *d, ssgw_ber_iter *it, size_t base,
                        const ssgw_ber_tlv *oid, ssgw_error *err)
{
    ssgw_ber_tlv enc, extra;
    size_t encoff = 0, xoff = 0;
    int r = next_el(it, base, &enc, &encoff, "external encoding", err);
    if (r < 0) return -1;
    if (r == 0) return fail(err, SSGW_E_MISSING, "external encoding", base);
    if (enc.cls != SSGW_BER_CONTEXT || enc.tag > 2)
        return fail(err, SSGW_E_BAD_TAG, "external encoding", encoff);
    r = next_el(it, base, &extra, &xoff, "external", err);
    if (r < 0) return -1;
    if (r > 0) return fail(err, SSGW_E_BAD_TAG, "external", xoff);
    d->type = SSGW_TCAP_DLG_OTHER;
    d->other_oid = oid->val;
    d->other_oid_len = oid->len;
    return 0;
}

int ssgw_tcap_decode_dialogue_general(const uint8_t *buf, size_t len, ssgw_tcap_dialogue *d,
                                      ssgw_error *err)
{
    ssgw_ber_tlv t, ext, e, enc, pdu;
    size_t extoff = 0, off = 0, encoff = 0, pduoff = 0;
    ssgw_error be;
    int r;

    memset(d, 0, sizeof *d);
    if (ssgw_ber_read_fast(buf, len, &t, &be) < 0)
        return fail(err, be.code, "dialogue portion", be.offset);
    if (t.total != len) return fail(err, SSGW_E_BAD_LENGTH, "dialogue portion", t.total);
    if (!ssgw_ber_is(&t, SSGW_BER_APPLICATION, 11) || !t.constructed)
        return fail(err, SSGW_E_BAD_TAG, "dialogue portion", 0);
    d->portion = span_at(&t, 0);

    /* EXTERNAL ::= [UNIVERSAL 8] IMPLICIT SEQUENCE { direct-reference OID, ..., encoding } */
    if (only_child(&t, 0, &ext, &extoff, "external", err) < 0) return -1;
    if (!ssgw_ber_is(&ext, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_EXTERNAL) || !ext.constructed)
        return fail(err, SSGW_E_BAD_TAG, "external", extoff);
    ssgw_ber_iter it;
    size_t base = extoff + ext.hdr_len;
    ssgw_ber_iter_init(&it, ext.val, ext.len);
    r = next_el(&it, base, &e, &off, "dialogue abstract syntax", err);
    if (r < 0) return -1;
    if (r == 0) return fail(err, SSGW_E_MISSING, "dialogue abstract syntax", base);
    if (!ssgw_ber_is(&e, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_OID) || e.constructed)
        return fail(err, SSGW_E_BAD_TAG, "dialogue abstract syntax", off);
    bool uni;
    if (e.len == sizeof dialogue_as_id && memcmp(e.val, dialogue_as_id, e.len) == 0)
        uni = false;
    else if (e.len == sizeof unidialogue_as_id && memcmp(e.val, unidialogue_as_id, e.len) == 0)
        uni = true;
    else if (is_token_syntax(e.val, e.len))
        return other_syntax(d, &it, base, &e, err);
    else
        return fail(err, SSGW_E_UNSUPPORTED, "dialogue abstract syntax", off);

    r = next_el(&it, base, &enc, &encoff, "external encoding", err);
    if (r < 0) return -1;
    if (r == 0) return fail(err, SSGW_E_MISSING, "external encoding", base + ext.len);
    if (enc.cls != SSGW_BER_CONTEXT) return fail(err, SSGW_E_BAD_TAG, "external encoding", encoff);
    if (enc.tag != 0) /* octet-aligned [1] / arbitrary [2] */
        return fail(err, SSGW_E_UNSUPPORTED, "external encoding", encoff);
    r = next_el(&it, base, &e, &off, "external", err);
    if (r < 0) return -1;
    if (r > 0) return fail(err, SSGW_E_BAD_TAG, "external", off);

    if (only_child(&enc, encoff, &pdu, &pduoff, "dialogue pdu", err) < 0) return -1;
    if (pdu.cls != SSGW_BER_APPLICATION || !pdu.constructed)
        return fail(err, SSGW_E_BAD_TAG, "dialogue pdu", pduoff);
    if (uni && pdu.tag == 0)
        d->type = SSGW_TCAP_DLG_AUDT;
    else if (!uni && pdu.tag == 0)
        d->type = SSGW_TCAP_DLG_AARQ;
    else if (!uni && pdu.tag == 1)
        d->type = SSGW_TCAP_DLG_AARE;
    else if (!uni && pdu.tag == 4)
        d->type = SSGW_TCAP_DLG_ABRT;
    else
        return fail(err, SSGW_E_BAD_TAG, "dialogue pdu", pduoff);
    d->pdu = span_at(&pdu, pduoff);

    unsigned mandatory = 0, allowed = 0, seen = 0;
    for (size_t i = 0; i < sizeof pdu_rules / sizeof pdu_rules[0]; i++)
        if (pdu_rules[i].type == d->type) {
            mandatory = pdu_rules[i].mandatory;
            allowed = pdu_rules[i].allowed;
        }
    int last_rank = -1;
    base = pduoff + pdu.hdr_len;
    ssgw_ber_iter_init(&it, pdu.val, pdu.len);
    while ((r = next_el(&it, base, &e, &off, "dialogue pdu", err)) > 0) {
        unsigned bit = 0;
        const char *field = "dialogue pdu";
        int rank = pdu_element(&e, d->type, &bit, &field);
        if (rank < 0 || !(allowed & bit)) return fail(err, SSGW_E_BAD_TAG, field, off);
        if (seen & bit) return fail(err, SSGW_E_DUPLICATE, field, off);
        if (rank <= last_rank) return fail(err, SSGW_E_BAD_TAG, field, off);
        last_rank = rank;
        seen |= bit;
        if (get_element(d, &e, off, bit, field, err) < 0) return -1;
    }
    if (r < 0) return -1;
    unsigned missing = mandatory & ~seen;
    if (missing & DE_PV_OR_ABRT) return fail(err, SSGW_E_MISSING, "abort source", pduoff);
    if (missing & DE_ACN) return fail(err, SSGW_E_MISSING, "application context name", pduoff);
    if (missing & DE_RESULT) return fail(err, SSGW_E_MISSING, "result", pduoff);
    if (missing & DE_DIAG) return fail(err, SSGW_E_MISSING, "result source diagnostic", pduoff);
    return 0;
}

/*
 * The common shapes in one pass (measured: the element-by-element decoder above was ~770
 * instructions per message in ssgw decode, most of it in generic TLV reads). Handled here:
 * AARQ, AARE, ABRT and AUDT, every TLV with a one-octet identifier and a short definite
 * length, protocol-version, ACN, result, diagnostic and abort-source as one-octet INTEGERs,
 * user information of EXTERNALs. It checks what the general decoder checks and writes every
 * member the general decoder writes (without clearing the struct first: a memset of it is
 * counted per 8 octets); any other input (long or indefinite lengths, other encodings,
 * anything malformed) makes it return false, and the general decoder decides, so results and
 * errors are exactly its. test_tcap_paths runs both on generated messages, the fuzz corpora
 * and their mutations.
 */
static inline bool short_el(const uint8_t *p, const uint8_t *end, uint8_t id, const uint8_t **v,
                            size_t *n)
{
    if (end - p < 2 || p[0] != id || p[1] >= 0x80 || (size_t)(end - p - 2) < p[1]) return false;
    *v = p + 2;
    *n = p[1];
    return true;
}

static ssgw_tcap_span short_span(const uint8_t *buf, const uint8_t *at, size_t n)
{
    ssgw_tcap_span s = {(size_t)(at - buf), 2 + n, 2, false};
    return s;
}

/* Zeros for acn_str: a copy of them is a few vector moves, where gcc makes a memset of the
 * array a rep stos, counted per 8 octets. */
static const char no_text[SSGW_TCAP_OID_STR_MAX];

void ssgw_tcap_dialogue_clear(ssgw_tcap_dialogue *d)
{
    d->type = SSGW_TCAP_DLG_NONE;
    d->portion = d->pdu = (ssgw_tcap_span){0, 0, 0, false};
    d->protocol_version_present = false;
    d->protocol_version[0] = d->protocol_version[1] = 0;
    d->acn = NULL;
    d->acn_len = 0;
    oid_text_copy(d->acn_str, no_text);
    d->result = 0;
    d->diag_source = SSGW_TCAP_DIAG_NONE;
    d->diag_value = 0;
    d->abort_source = 0;
    d->user_info_present = false;
    d->user_info = NULL;
    d->user_info_len = 0;
    d->user_info_span = (ssgw_tcap_span){0, 0, 0, false};
    d->other_oid = NULL;
    d->other_oid_len = 0;
}

bool ssgw_tcap_dialogue_one_pass(const uint8_t *buf, size_t len, ssgw_tcap_dialogue *d)
{
    /* [APPLICATION 11] { EXTERNAL { direct-reference OID (7 octets), single-ASN1-type [0]
     * { PDU } } }, each filling the one around it, all with short lengths: the first 17
     * octets are 6b L 28 L-2 06 07 <as-id> a0 L-13 <pdu id> L-15 */
    static const uint8_t head[] = {0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01};
    static const uint8_t uni_head[] = {0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x02};
    if (len < 17 || len > 0x81 || buf[0] != 0x6b || buf[1] != len - 2 || buf[2] != 0x28 ||
        buf[3] != len - 4 || buf[12] != 0x01 || buf[13] != 0xa0 || buf[14] != len - 15 ||
        buf[16] != len - 17)
        return false;
    bool uni;
    if (memcmp(buf + 4, head, sizeof head) == 0)
        uni = false;
    else if (memcmp(buf + 4, uni_head, sizeof uni_head) == 0)
        uni = true;
    else
        return false;
    /* AARQ / AUDT [APPLICATION 0], AARE [1], ABRT [4]; what each must and may hold */
    unsigned allowed = DE_PV_OR_ABRT | DE_ACN | DE_USER_INFO, mandatory = DE_ACN, seen = 0;
    switch (buf[15]) {
    case 0x60:
        d->type = uni ? SSGW_TCAP_DLG_AUDT : SSGW_TCAP_DLG_AARQ;
        break;
    case 0x61:
        if (uni) return false;
        d->type = SSGW_TCAP_DLG_AARE;
        allowed |= DE_RESULT | DE_DIAG;
        mandatory |= DE_RESULT | DE_DIAG;
        break;
    case 0x64:
        if (uni) return false;
        d->type = SSGW_TCAP_DLG_ABRT;
        allowed = DE_PV_OR_ABRT | DE_USER_INFO;
        mandatory = DE_PV_OR_ABRT;
        break;
    default:
        return false;
    }
    d->portion = (ssgw_tcap_span){0, len, 2, false};
    d->pdu = (ssgw_tcap_span){15, len - 15, 2, false};

    /* The PDU's elements in their SEQUENCE order, each taken at most once: anything left
     * after them (another element, one out of order or repeated) is for the general decoder,
     * as is an element the PDU may not hold. */
    const uint8_t *p = buf + 17, *end = buf + len, *v;
    size_t vn;
    d->protocol_version_present = false;
    d->protocol_version[0] = d->protocol_version[1] = 0;
    d->abort_source = 0;
    if (short_el(p, end, 0x80, &v, &vn)) {   /* [0] IMPLICIT BIT STRING, or INTEGER in ABRT */
        if (d->type == SSGW_TCAP_DLG_ABRT) { /* abort-source INTEGER (0..1) */
            if (vn != 1 || v[0] > 1) return false;
            d->abort_source = v[0];
        } else {
            if (vn != 2 || v[0] > 7) return false;
            d->protocol_version_present = true;
            d->protocol_version[0] = v[0];
            d->protocol_version[1] = v[1];
        }
        seen |= DE_PV_OR_ABRT;
        p = v + vn;
    }
    d->acn = NULL;
    d->acn_len = 0;
    if (short_el(p, end, 0xa1, &v, &vn)) { /* [1] { OBJECT IDENTIFIER } */
        const uint8_t *o;
        size_t on;
        if (!short_el(v, v + vn, SSGW_BER_TAG_OID, &o, &on) || o + on != v + vn) return false;
        if (acn_text(o, on, d->acn_str) < 0) return false;
        d->acn = o;
        d->acn_len = on;
        seen |= DE_ACN;
        p = v + vn;
    } else {
        oid_text_copy(d->acn_str, no_text);
    }
    d->result = 0;
    if (short_el(p, end, 0xa2, &v, &vn)) { /* [2] { INTEGER (0..1) } */
        if (vn != 3 || v[0] != SSGW_BER_TAG_INTEGER || v[1] != 1 || v[2] > 1) return false;
        d->result = v[2];
        seen |= DE_RESULT;
        p = v + vn;
    }
    d->diag_source = SSGW_TCAP_DIAG_NONE;
    d->diag_value = 0;
    if (short_el(p, end, 0xa3, &v, &vn)) { /* [3] { [1] or [2] { INTEGER (0..127 here) } } */
        if (vn != 5 || (v[0] != 0xa1 && v[0] != 0xa2) || v[1] != 3 ||
            v[2] != SSGW_BER_TAG_INTEGER || v[3] != 1 || v[4] >= 0x80)
            return false;
        d->diag_source = (ssgw_tcap_diag_source)(v[0] & 0x1f);
        d->diag_value = v[4];
        seen |= DE_DIAG;
        p = v + vn;
    }
    d->user_info_present = false;
    d->user_info = NULL;
    d->user_info_len = 0;
    d->user_info_span = (ssgw_tcap_span){0, 0, 0, false};
    if (short_el(p, end, 0xbe, &v, &vn)) { /* [30] IMPLICIT SEQUENCE OF EXTERNAL */
        const uint8_t *q = v, *c;
        size_t cn;
        while (q < v + vn) {
            if (!short_el(q, v + vn, 0x28, &c, &cn)) return false;
            q = c + cn;
        }
        d->user_info_present = true;
        d->user_info = v;
        d->user_info_len = vn;
        d->user_info_span = short_span(buf, p, vn);
        seen |= DE_USER_INFO;
        p = v + vn;
    }
    d->other_oid = NULL;
    d->other_oid_len = 0;
    return p == end && !(seen & ~allowed) && !(mandatory & ~seen);
}

int ssgw_tcap_decode_dialogue(const uint8_t *buf, size_t len, ssgw_tcap_dialogue *d,
                              ssgw_error *err)
{
    if (ssgw_tcap_dialogue_one_pass(buf, len, d)) return 0;
    return ssgw_tcap_decode_dialogue_general(buf, len, d, err);
}
