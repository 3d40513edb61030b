/*
 * token_tcap.c - where the security token lives in a TC message (ITU-T Q.773 clause 4:
 * transaction portion, dialogue portion; X.690 BER), inserting it and stripping it so
 * the original bytes come back exactly (docs/wire-format.md "Placement").
 *
 * Every operation is a splice: replace the bytes [pos, pos+rm) of the message with ins,
 * and rewrite the length of every element enclosing pos (the "path": message, dialogue
 * portion, EXTERNAL, single-ASN1-type, dialogue PDU, user-information). Definite lengths
 * on the path are written in their minimal form; indefinite ones stay indefinite (their
 * length octets do not depend on the contents). Insertion, stripping and
 * canonicalisation (a splice that inserts nothing) therefore agree: strip(insert(c)) == c
 * for the canonical form c that ssgw_token_prepare() writes, and c == the original
 * whenever the path's definite lengths were minimal (all DER/most BER encoders).
 * Elements off the path are copied untouched, whatever their encoding.
 */
#include <string.h>

#include "ssgw/ber.h"
#include "ssgw/tcap.h"
#include "ssgw/token.h"
#include "trust/token_int.h"

/* SSGW_TOKEN_OID's contents octets. */
static const uint8_t token_oid[] = SSGW_TCAP_TOKEN_OID_OCTETS;
/* 0.0.17.773.1.1.1 dialogue-as-id and 0.0.17.773.1.2.1 unidialogue-as-id. */
static const uint8_t dialogue_as[] = {0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01};
static const uint8_t unidialogue_as[] = {0x00, 0x11, 0x86, 0x05, 0x01, 0x02, 0x01};

#define MAX_PATH 6

typedef struct {
    size_t off;     /* identifier octet */
    size_t id_len;  /* identifier octets */
    size_t hdr_len; /* identifier + length octets */
    size_t len;     /* contents (without end-of-contents) */
    size_t total;
    bool indefinite;
} node;

typedef struct {
    node path[MAX_PATH];
    size_t depth;
    size_t pos; /* where the edit happens */
    size_t rm;  /* octets removed there (strip) */
    ssgw_token_placement placement;
    unsigned version;   /* strip: the token version its OID names (1 or 2) */
    const uint8_t *tok; /* strip: the token's DER */
    size_t tok_len;
    size_t tok_off;
} plan;

static int fail(ssgw_error *err, ssgw_errcode code, const char *field, size_t off)
{
    return ssgw_fail(err, SSGW_LAYER_TCAP, code, field, off);
}

static size_t node_end(const node *n)
{
    return n->off + n->total;
}
static size_t contents_end(const node *n)
{
    return n->off + n->hdr_len + n->len;
}

/* Reads the TLV at off (bounded by end) into *n and *t. */
static int read_node(const uint8_t *buf, size_t off, size_t end, node *n, ssgw_ber_tlv *t,
                     const char *field, ssgw_error *err)
{
    if (off >= end) return fail(err, SSGW_E_MISSING, field, off);
    if (ssgw_ber_read(buf + off, end - off, t, err) < 0) {
        ssgw_error_rebase(err, off);
        err->layer = SSGW_LAYER_TCAP;
        err->field = field;
        return -1;
    }
    n->off = off;
    n->hdr_len = t->hdr_len;
    n->len = t->len;
    n->total = t->total;
    n->indefinite = t->indefinite;
    n->id_len = 1;
    if ((buf[off] & 0x1f) == 0x1f) { /* high tag number: validated by ssgw_ber_read */
        while (n->id_len < t->hdr_len && (buf[off + n->id_len] & 0x80))
            n->id_len++;
        n->id_len++;
    }
    return 0;
}

static bool oid_is(const ssgw_ber_tlv *t, const uint8_t *oid, size_t len)
{
    return ssgw_ber_is(t, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_OID) && !t->constructed &&
           t->len == len && memcmp(t->val, oid, len) == 0;
}

/* The token version t (an OID) names, 0 when it is not the token's. */
static unsigned token_oid_version(const ssgw_ber_tlv *t)
{
    if (!ssgw_ber_is(t, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_OID) || t->constructed) return 0;
    return ssgw_tcap_token_oid_version(t->val, t->len);
}

static size_t len_octets(size_t len)
{
    size_t n = 1;
    if (len >= 0x80)
        for (; len; len >>= 8)
            n++;
    return n;
}

/* New contents lengths of the path elements after replacing rm octets with n; returns
 * the change of the whole message's length, or fills err when a length would go below 0. */
static int splice_lengths(const plan *p, size_t n, size_t newlen[MAX_PATH], long long *total,
                          ssgw_error *err)
{
    long long delta = (long long)n - (long long)p->rm;
    for (size_t i = p->depth; i-- > 0;) {
        const node *e = &p->path[i];
        if (e->indefinite) continue; /* same length octets, total grows by delta */
        long long nl = (long long)e->len + delta;
        if (nl < 0) return fail(err, SSGW_E_BAD_LENGTH, "security token path", e->off);
        newlen[i] = (size_t)nl;
        delta += (long long)(e->id_len + len_octets(newlen[i])) - (long long)e->hdr_len;
    }
    *total = delta;
    return 0;
}

/* The splice described at the top of the file. */
static int splice(const uint8_t *buf, size_t len, const plan *p, const uint8_t *ins, size_t n,
                  ssgw_buf *out, ssgw_error *err)
{
    size_t newlen[MAX_PATH];
    long long delta;
    if (splice_lengths(p, n, newlen, &delta, err) < 0) return -1;
    size_t cur = 0;
    for (size_t i = 0; i < p->depth; i++) {
        const node *e = &p->path[i];
        ssgw_buf_put(out, buf + cur, e->off - cur);
        ssgw_buf_put(out, buf + e->off, e->id_len);
        if (e->indefinite)
            ssgw_buf_put_u8(out, 0x80);
        else
            ssgw_ber_put_len(out, newlen[i]);
        cur = e->off + e->hdr_len;
    }
    ssgw_buf_put(out, buf + cur, p->pos - cur);
    ssgw_buf_put(out, ins, n);
    cur = p->pos + p->rm;
    ssgw_buf_put(out, buf + cur, len - cur);
    if (out->overflow) return fail(err, SSGW_E_TOO_BIG, "security token output", 0);
    return 0;
}

enum { WALK_PREPARE, WALK_STRIP };

/* Position where a content insertion at the end of element e goes (before EOC). */
static size_t insert_at_end(const node *e)
{
    return contents_end(e);
}

/*
 * Walks the message and fills the plan. PREPARE: placement, path and pos for inserting.
 * STRIP: returns 0 when there is no token, 1 with path/pos/rm/tok set.
 */
static int walk(const uint8_t *buf, size_t len, int mode, plan *p, ssgw_error *err)
{
    ssgw_ber_tlv t;
    node msg, child;
    memset(p, 0, sizeof *p);
    if (read_node(buf, 0, len, &msg, &t, "message type", err) < 0) return -1;
    if (t.cls != SSGW_BER_APPLICATION || !t.constructed ||
        !(t.tag == 1 || t.tag == 2 || t.tag == 4 || t.tag == 5 || t.tag == 7))
        return fail(err, SSGW_E_BAD_TAG, "message type", 0);
    if (msg.total != len) return fail(err, SSGW_E_BAD_LENGTH, "message type", msg.total);
    p->path[p->depth++] = msg;

    size_t pos = msg.off + msg.hdr_len, end = contents_end(&msg), after_tids = pos;
    bool tids_done = false, pabort = false, have_dlg = false;
    node dlg;
    while (pos < end) {
        if (read_node(buf, pos, end, &child, &t, "transaction portion", err) < 0) return -1;
        bool tid = t.cls == SSGW_BER_APPLICATION && (t.tag == 8 || t.tag == 9);
        if (tid && !tids_done)
            after_tids = node_end(&child);
        else
            tids_done = true;
        if (t.cls == SSGW_BER_APPLICATION && t.tag == 10) pabort = true;
        if (t.cls == SSGW_BER_APPLICATION && t.tag == 11 && t.constructed && !have_dlg) {
            have_dlg = true;
            dlg = child;
        }
        pos = node_end(&child);
    }

    if (!have_dlg) {
        if (mode == WALK_STRIP) return 0;
        if (pabort) return fail(err, SSGW_E_UNSUPPORTED, "security token in p-abort", msg.off);
        p->placement = SSGW_TOKEN_PLACE_DIALOGUE_ADDED;
        p->pos = after_tids;
        return 0;
    }

    /* dialogue portion: EXTERNAL { direct-reference, encoding } */
    node ext, oid, enc;
    if (read_node(buf, dlg.off + dlg.hdr_len, contents_end(&dlg), &ext, &t,
                  "dialogue portion external", err) < 0)
        return -1;
    if (!ssgw_ber_is(&t, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_EXTERNAL) || !t.constructed)
        return fail(err, SSGW_E_BAD_TAG, "dialogue portion external", ext.off);
    if (read_node(buf, ext.off + ext.hdr_len, contents_end(&ext), &oid, &t,
                  "dialogue portion direct-reference", err) < 0)
        return -1;
    unsigned version = token_oid_version(&t);
    bool ours = version != 0;
    bool tcap_as = oid_is(&t, dialogue_as, sizeof dialogue_as) ||
                   oid_is(&t, unidialogue_as, sizeof unidialogue_as);

    if (ours) {
        if (mode == WALK_PREPARE) return fail(err, SSGW_E_DUPLICATE, "security token", dlg.off);
        /* The whole dialogue portion is ours: it holds exactly EXTERNAL { oid, [0] token }. */
        if (node_end(&ext) != contents_end(&dlg))
            return fail(err, SSGW_E_BAD_LENGTH, "security token dialogue portion", dlg.off);
        if (read_node(buf, node_end(&oid), contents_end(&ext), &enc, &t, "security token encoding",
                      err) < 0)
            return -1;
        if (!ssgw_ber_is(&t, SSGW_BER_CONTEXT, 0) || !t.constructed || enc.indefinite ||
            node_end(&enc) != contents_end(&ext))
            return fail(err, SSGW_E_BAD_TAG, "security token encoding", enc.off);
        p->tok = buf + enc.off + enc.hdr_len;
        p->tok_len = enc.len;
        p->tok_off = enc.off + enc.hdr_len;
        p->placement = SSGW_TOKEN_PLACE_DIALOGUE_ADDED;
        p->version = version;
        p->pos = dlg.off;
        p->rm = dlg.total;
        return 1;
    }
    if (!tcap_as) {
        if (mode == WALK_STRIP) return 0;
        return fail(err, SSGW_E_UNSUPPORTED, "dialogue portion direct-reference", oid.off);
    }

    /* single-ASN1-type [0] { dialogue PDU } */
    node single, pdu, ui;
    if (read_node(buf, node_end(&oid), contents_end(&ext), &single, &t, "dialogue portion encoding",
                  err) < 0)
        return -1;
    if (!ssgw_ber_is(&t, SSGW_BER_CONTEXT, 0) || !t.constructed)
        return fail(err, SSGW_E_BAD_TAG, "dialogue portion encoding", single.off);
    if (read_node(buf, single.off + single.hdr_len, contents_end(&single), &pdu, &t, "dialogue pdu",
                  err) < 0)
        return -1;
    if (t.cls != SSGW_BER_APPLICATION || !t.constructed)
        return fail(err, SSGW_E_BAD_TAG, "dialogue pdu", pdu.off);
    p->path[p->depth++] = dlg;
    p->path[p->depth++] = ext;
    p->path[p->depth++] = single;
    p->path[p->depth++] = pdu;

    bool have_ui = false;
    pos = pdu.off + pdu.hdr_len;
    end = contents_end(&pdu);
    while (pos < end) {
        if (read_node(buf, pos, end, &child, &t, "dialogue pdu element", err) < 0) return -1;
        if (ssgw_ber_is(&t, SSGW_BER_CONTEXT, 30) && t.constructed && !have_ui) {
            have_ui = true;
            ui = child;
        }
        pos = node_end(&child);
    }

    /* Look through user-information for our EXTERNAL. */
    node item, found = {0};
    bool have_tok = false;
    unsigned tok_version = 0;
    size_t items = 0;
    if (have_ui) {
        pos = ui.off + ui.hdr_len;
        end = contents_end(&ui);
        while (pos < end) {
            if (read_node(buf, pos, end, &item, &t, "user-information", err) < 0) return -1;
            items++;
            if (have_tok) return fail(err, SSGW_E_BAD_TAG, "security token not last", item.off);
            if (ssgw_ber_is(&t, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_EXTERNAL) && t.constructed) {
                node o;
                ssgw_ber_tlv ot;
                if (read_node(buf, item.off + item.hdr_len, contents_end(&item), &o, &ot,
                              "user-information direct-reference", err) == 0 &&
                    (tok_version = token_oid_version(&ot)) != 0) {
                    have_tok = true;
                    found = item;
                    oid = o;
                }
            }
            pos = node_end(&item);
        }
    }

    if (mode == WALK_PREPARE) {
        if (have_tok) return fail(err, SSGW_E_DUPLICATE, "security token", found.off);
        if (have_ui) {
            p->path[p->depth++] = ui;
            p->placement = SSGW_TOKEN_PLACE_USER_INFO_APPENDED;
            p->pos = insert_at_end(&ui);
        } else {
            p->placement = SSGW_TOKEN_PLACE_USER_INFO_ADDED;
            p->pos = insert_at_end(&pdu);
        }
        return 0;
    }

    if (!have_tok) return 0;
    /* EXTERNAL { oid, [1] IMPLICIT OCTET STRING (token DER) } */
    if (read_node(buf, node_end(&oid), contents_end(&found), &enc, &t, "security token encoding",
                  err) < 0)
        return -1;
    if (!ssgw_ber_is(&t, SSGW_BER_CONTEXT, 1) || t.constructed ||
        node_end(&enc) != contents_end(&found) || found.indefinite)
        return fail(err, SSGW_E_BAD_TAG, "security token encoding", enc.off);
    p->tok = buf + enc.off + enc.hdr_len;
    p->tok_len = enc.len;
    p->tok_off = enc.off + enc.hdr_len;
    p->placement =
        items == 1 ? SSGW_TOKEN_PLACE_USER_INFO_ADDED : SSGW_TOKEN_PLACE_USER_INFO_APPENDED;
    p->version = tok_version;
    if (items == 1) {
        /* Either the signer added [30] or appended to an empty one: the token says. */
        p->pos = ui.off;
        p->rm = ui.total;
        p->path[p->depth] = ui; /* kept for the appended case below */
    } else {
        p->path[p->depth++] = ui;
        p->pos = found.off;
        p->rm = found.total;
    }
    return 1;
}

int ssgw_token_prepare(const uint8_t *tcap, size_t len, ssgw_token_placement *placement,
                       ssgw_buf *canon, bool *changed, ssgw_error *err)
{
    plan p;
    if (walk(tcap, len, WALK_PREPARE, &p, err) < 0) return -1;
    size_t start = canon->len;
    if (splice(tcap, len, &p, NULL, 0, canon, err) < 0) return -1;
    if (placement) *placement = p.placement;
    if (changed)
        *changed = canon->len - start != len || memcmp(canon->data + start, tcap, len) != 0;
    return 0;
}

void ssgw_token_wrap_general(ssgw_token_placement placement, const uint8_t *der, size_t n,
                             ssgw_buf *b)
{
    size_t m_dlg = 0, m_ui = 0;
    if (placement == SSGW_TOKEN_PLACE_DIALOGUE_ADDED)
        m_dlg = ssgw_ber_open(b, SSGW_BER_APPLICATION, 11);
    else if (placement == SSGW_TOKEN_PLACE_USER_INFO_ADDED)
        m_ui = ssgw_ber_open(b, SSGW_BER_CONTEXT, 30);
    size_t m_ext = ssgw_ber_open(b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_EXTERNAL);
    ssgw_ber_put_tlv(b, SSGW_BER_UNIVERSAL, false, SSGW_BER_TAG_OID, token_oid, sizeof token_oid);
    if (placement == SSGW_TOKEN_PLACE_DIALOGUE_ADDED)
        ssgw_ber_put_tlv(b, SSGW_BER_CONTEXT, true, 0, der, n); /* single-ASN1-type */
    else
        ssgw_ber_put_tlv(b, SSGW_BER_CONTEXT, false, 1, der, n); /* octet-aligned */
    ssgw_ber_close(b, m_ext);
    if (placement == SSGW_TOKEN_PLACE_DIALOGUE_ADDED) ssgw_ber_close(b, m_dlg);
    if (placement == SSGW_TOKEN_PLACE_USER_INFO_ADDED) ssgw_ber_close(b, m_ui);
}

/* An identifier octet and a definite length (short or 0x81 form: < 256) at p. */
static uint8_t *put_hdr(uint8_t *p, uint8_t id, size_t len)
{
    *p++ = id;
    if (len >= 0x80) *p++ = 0x81;
    *p++ = (uint8_t)len;
    return p;
}

/* The template of ssgw_token_wrap_general: identifier octets [APPLICATION 11] (0x6b),
 * [30] (0xbe), EXTERNAL (0x28), OBJECT IDENTIFIER (0x06), [0] constructed (0xa0),
 * [1] primitive (0x81). */
size_t ssgw_token_wrap(ssgw_token_placement placement, const uint8_t *der, size_t n,
                       uint8_t out[SSGW_TOKEN_WRAP_MAX])
{
    if (n > SSGW_TOKEN_DER_MAX || (int)placement < 0 || placement > SSGW_TOKEN_PLACE_DIALOGUE_ADDED)
        return 0;
    bool dlg = placement == SSGW_TOKEN_PLACE_DIALOGUE_ADDED;
    size_t enc = (n >= 0x80 ? 3 : 2) + n, ext = 2 + sizeof token_oid + enc;
    uint8_t *p = out;
    if (dlg || placement == SSGW_TOKEN_PLACE_USER_INFO_ADDED)
        p = put_hdr(p, dlg ? 0x6b : 0xbe, (ext >= 0x80 ? 3 : 2) + ext);
    p = put_hdr(p, 0x28, ext);
    *p++ = 0x06;
    *p++ = sizeof token_oid;
    memcpy(p, token_oid, sizeof token_oid);
    p = put_hdr(p + sizeof token_oid, dlg ? 0xa0 : 0x81, n);
    memcpy(p, der, n);
    return (size_t)(p + n - out);
}

/* Inserts t at the place p found in canon (p walked over canon itself). */
static int insert_planned(const uint8_t *canon, size_t len, const plan *p, const ssgw_token *t,
                          ssgw_buf *out, ssgw_error *err)
{
    uint8_t der[SSGW_TOKEN_DER_MAX], ins[SSGW_TOKEN_WRAP_MAX];
    ssgw_buf tb;
    if (t->placement != p->placement)
        return fail(err, SSGW_E_BAD_VALUE, "security token placement", 0);
    ssgw_buf_init(&tb, der, sizeof der);
    if (ssgw_token_encode(&tb, t, err) < 0) return -1;
    size_t n = ssgw_token_wrap(p->placement, der, tb.len, ins);
    if (!n) return fail(err, SSGW_E_BAD_VALUE, "security token placement", 0);
    return splice(canon, len, p, ins, n, out, err);
}

int ssgw_token_insert(const uint8_t *canon, size_t len, const ssgw_token *t, ssgw_buf *out,
                      ssgw_error *err)
{
    plan p;
    if (walk(canon, len, WALK_PREPARE, &p, err) < 0) return -1;
    return insert_planned(canon, len, &p, t, out, err);
}

/* True when the splice of an empty insertion leaves buf as it is: every definite length
 * on the path is already in its minimal form (then the canonical message is buf). */
static bool path_minimal(const plan *p)
{
    for (size_t i = 0; i < p->depth; i++) {
        const node *e = &p->path[i];
        if (!e->indefinite && e->hdr_len != e->id_len + len_octets(e->len)) return false;
    }
    return true;
}

int ssgw_token_sign_tcap(const uint8_t *tcap, size_t len, ssgw_token *t, ssgw_token_tag_fn tag,
                         void *ctx, ssgw_buf *scratch, ssgw_buf *out, bool *changed,
                         ssgw_error *err)
{
    plan p;
    const uint8_t *canon = tcap;
    size_t clen = len;
    if (walk(tcap, len, WALK_PREPARE, &p, err) < 0) return -1;
    bool moved = !path_minimal(&p);
    if (moved) { /* rare: re-encode the path lengths, then plan again on the result */
        size_t start = scratch->len;
        if (splice(tcap, len, &p, NULL, 0, scratch, err) < 0) return -1;
        canon = scratch->data + start;
        clen = scratch->len - start;
        if (walk(canon, clen, WALK_PREPARE, &p, err) < 0) return -1;
        moved = clen != len || memcmp(canon, tcap, len) != 0;
    }
    if (changed) *changed = moved;
    t->placement = p.placement;
    if (tag(ctx, t, canon, clen) < 0) return fail(err, SSGW_E_BAD_VALUE, "own key for mode", 0);
    return insert_planned(canon, clen, &p, t, out, err);
}

bool ssgw_token_may_be_present(const uint8_t *tcap, size_t len)
{
    const uint8_t *p = tcap, *end = tcap + len;
    /* every version: the octets before the version arc */
    const size_t n = sizeof token_oid - 1;
    while ((size_t)(end - p) >= n && (p = memchr(p, token_oid[0], (size_t)(end - p) - n + 1))) {
        if (memcmp(p, token_oid, n) == 0) return true;
        p++;
    }
    return false;
}

int ssgw_token_strip(const uint8_t *tcap, size_t len, ssgw_token *t, ssgw_buf *out,
                     size_t *token_bytes, ssgw_error *err)
{
    plan p;
    int r = walk(tcap, len, WALK_STRIP, &p, err);
    if (r <= 0) return r;
    if (ssgw_token_decode(p.tok, p.tok_len, t, err) < 0) {
        ssgw_error_rebase(err, p.tok_off);
        return -1;
    }
    t->version = (uint8_t)p.version;
    if (p.placement == SSGW_TOKEN_PLACE_DIALOGUE_ADDED) {
        if (t->placement != SSGW_TOKEN_PLACE_DIALOGUE_ADDED)
            return fail(err, SSGW_E_BAD_VALUE, "security token placement", p.tok_off);
    } else if (p.placement == SSGW_TOKEN_PLACE_USER_INFO_ADDED) {
        /* Our EXTERNAL is the only item: the token tells whether [30] was there before. */
        if (t->placement == SSGW_TOKEN_PLACE_USER_INFO_APPENDED) {
            const node ui = p.path[p.depth];
            p.path[p.depth++] = ui;
            p.pos = ui.off + ui.hdr_len;
            p.rm = ui.len; /* the single item: everything but an indefinite EOC */
        } else if (t->placement != SSGW_TOKEN_PLACE_USER_INFO_ADDED) {
            return fail(err, SSGW_E_BAD_VALUE, "security token placement", p.tok_off);
        }
    } else if (t->placement != SSGW_TOKEN_PLACE_USER_INFO_APPENDED) {
        return fail(err, SSGW_E_BAD_VALUE, "security token placement", p.tok_off);
    }
    size_t newlen[MAX_PATH];
    long long delta;
    if (splice_lengths(&p, 0, newlen, &delta, err) < 0) return -1;
    if (token_bytes) *token_bytes = (size_t)(-delta);
    if (out && splice(tcap, len, &p, NULL, 0, out, err) < 0) return -1;
    return 1;
}
