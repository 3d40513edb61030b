/*
 * map_encode.c - builds MAP operation arguments and results (3GPP TS 29.002
 * clause 17.7) from an ssgw_map_fields, walking the same shapes the decoder
 * uses (map_schema.h) so that decode(encode(f)) gives f back for the fields
 * an operation carries. Elements are written in ASN.1 declaration order;
 * mandatory elements without a value take the default declared with them
 * (e.g. RequestedInfo { locationInformation }); CHOICEs take the first
 * alternative that has a value. Definite lengths throughout (X.690 DER-like).
 * Authentication vectors (sendAuthenticationInfo results) are plausible bytes
 * derived from the IMSI, not computed with A3/A8 or MILENAGE (TS 33.102 6.3).
 */
#include "map_schema.h"

#include <string.h>

#include "ssgw/ber.h"
#include "ssgw/digits.h"
#include "ssgw/gsm7.h"

typedef struct {
    ssgw_buf *b;
    const ssgw_map_fields *f;
} ectx;

static int enc_elem(ectx *c, const map_elem *e, bool in_choice);
static int enc_list(ectx *c, const map_elem *list);

static ssgw_map_fields *mut(const ssgw_map_fields *f)
{
    /* accessors are shared with the decoder; the encoder only reads through them */
    return (ssgw_map_fields *)(uintptr_t)f;
}

static void rollback(ectx *c, size_t mark)
{
    c->b->len = mark;
}

static int put_addr(ectx *c, uint8_t cls, uint8_t tag, const ssgw_map_addr *a)
{
    uint8_t v[20];
    v[0] = (uint8_t)(0x80 | (a->nai & 7) << 4 | (a->npi & 15));
    int n = ssgw_tbcd_encode(a->digits, v + 1, sizeof v - 1);
    if (n < 0) return -1;
    ssgw_ber_put_tlv(c->b, cls, false, tag, v, (size_t)n + 1);
    return 1;
}

static int put_def(ectx *c, const map_elem *e)
{
    ssgw_ber_put_tlv(c->b, e->cls, (e->flags & MF_CONS) != 0, e->tag, e->def, e->deflen);
    return 1;
}

/* What to do when an element has no value. */
static int absent(ectx *c, const map_elem *e, bool in_choice)
{
    if (e->def) return put_def(c, e);
    if (!in_choice && (e->flags & (MF_MAND | MF_ENC))) return -1;
    return 0;
}

static int put_ussd(ectx *c, const map_elem *e)
{
    const ssgw_map_fields *f = c->f;
    uint8_t v[160];
    int n;
    uint8_t dcs = f->ussd_dcs < 0 ? 0x0f : (uint8_t)f->ussd_dcs;
    if (f->ussd_is_hex) {
        n = ssgw_map_hex_decode(f->ussd_string, v, sizeof v);
    } else {
        switch (ssgw_cbs_dcs_alphabet(dcs)) {
        case SSGW_DCS_GSM7:
            n = ssgw_gsm7_pack(f->ussd_string, v, sizeof v);
            break;
        case SSGW_DCS_UCS2:
            n = ssgw_utf8_to_ucs2(f->ussd_string, v, sizeof v);
            break;
        default:
            n = ssgw_map_hex_decode(f->ussd_string, v, sizeof v);
            break;
        }
    }
    if (n <= 0) return -1;
    ssgw_ber_put_tlv(c->b, e->cls, false, e->tag, v, (size_t)n);
    return 1;
}

static int put_reqinfo(ectx *c, const map_elem *e)
{
    const char *list = c->f->requested_info;
    size_t m = ssgw_ber_open(c->b, e->cls, e->tag);
    for (size_t i = 0; i < ssgw_map_reqinfo_nflags; i++) {
        const char *name = ssgw_map_reqinfo_flags[i].name;
        size_t l = strlen(name);
        bool found = false;
        for (const char *p = list; *p;) {
            const char *q = strchr(p, ',');
            size_t pl = q ? (size_t)(q - p) : strlen(p);
            if (pl == l && strncmp(p, name, l) == 0) found = true;
            p += pl + (q ? 1 : 0);
        }
        if (!found) continue;
        uint8_t tag = ssgw_map_reqinfo_flags[i].tag;
        if (tag == 4) /* requestedDomain DomainType: cs-Domain */
            ssgw_ber_put_int(c->b, SSGW_BER_CONTEXT, tag, 0);
        else if (tag == 9) /* requestedNodes: mme, sgsn */
            ssgw_ber_put_tlv(c->b, SSGW_BER_CONTEXT, false, tag, (const uint8_t[]){0x06, 0xc0}, 2);
        else
            ssgw_ber_put_tlv(c->b, SSGW_BER_CONTEXT, false, tag, NULL, 0);
    }
    ssgw_ber_close(c->b, m);
    return 1;
}

static int put_substate(ectx *c, const map_elem *e)
{
    const char *s = c->f->subscriber_state;
    size_t m = ssgw_ber_open(c->b, e->cls, e->tag);
    if (strcmp(s, "assumedIdle") == 0)
        ssgw_ber_put_tlv(c->b, SSGW_BER_CONTEXT, false, 0, NULL, 0);
    else if (strcmp(s, "camelBusy") == 0)
        ssgw_ber_put_tlv(c->b, SSGW_BER_CONTEXT, false, 1, NULL, 0);
    else if (strcmp(s, "notProvidedFromVLR") == 0)
        ssgw_ber_put_tlv(c->b, SSGW_BER_CONTEXT, false, 2, NULL, 0);
    else if (strcmp(s, "netDetNotReachable") == 0)
        ssgw_ber_put_int(c->b, SSGW_BER_UNIVERSAL, SSGW_BER_TAG_ENUMERATED, 1); /* imsiDetached */
    else
        return -1;
    ssgw_ber_close(c->b, m);
    return 1;
}

static int put_cgi(ectx *c, const map_elem *e)
{
    uint8_t v[7];
    int n = ssgw_map_hex_decode(c->f->cell_id, v, sizeof v);
    if (n != 7 && n != 5) return -1;
    size_t m = ssgw_ber_open(c->b, e->cls, e->tag);
    ssgw_ber_put_tlv(c->b, SSGW_BER_CONTEXT, false, n == 7 ? 0 : 1, v, (size_t)n);
    ssgw_ber_close(c->b, m);
    return 1;
}

/* splitmix64: the byte source of the authentication vectors */
static uint64_t av_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void av_put(ectx *c, uint64_t *s, size_t n)
{
    uint8_t v[16];
    uint64_t r = 0;
    for (size_t i = 0; i < n && i < sizeof v; i++) {
        if (i % 8 == 0) r = av_next(s);
        v[i] = (uint8_t)(r >> (8 * (i % 8)));
    }
    ssgw_ber_put_tlv(c->b, SSGW_BER_UNIVERSAL, false, SSGW_BER_TAG_OCTET_STRING, v, n);
}

/*
 * One AuthenticationTriplet { rand 16, sres 4, kc 8 } or AuthenticationQuintuplet
 * { rand 16, xres 8, ck 16, ik 16, autn 16 } (TS 29.002 17.7.1 MAP-MS-DataTypes). The
 * bytes come from the IMSI (FNV-1a) and the vector's position, so a subscriber gets
 * the same vectors each time and two subscribers different ones.
 */
static int put_vector(ectx *c, const map_elem *e)
{
    uint64_t s = 0xcbf29ce484222325ULL;
    for (const char *p = c->f->imsi; *p; p++)
        s = (s ^ (uint8_t)*p) * 0x100000001b3ULL;
    s ^= (uint64_t)e->nth << 56 | (uint64_t)e->kind << 48;
    size_t m = ssgw_ber_open(c->b, e->cls, e->tag);
    av_put(c, &s, 16); /* rand */
    if (e->kind == MK_TRIPLET) {
        av_put(c, &s, 4); /* sres */
        av_put(c, &s, 8); /* kc */
    } else {
        av_put(c, &s, 8);  /* xres */
        av_put(c, &s, 16); /* ck */
        av_put(c, &s, 16); /* ik */
        av_put(c, &s, 16); /* autn: SQN xor AK, AMF, MAC */
    }
    ssgw_ber_close(c->b, m);
    return 1;
}

/* An sm-RP-DA/OA alternative for the other direction than the fields ask for. */
static bool wrong_sm_dir(const ectx *c, const map_elem *a)
{
    int want = c->f->sm_rp_dir;
    if (!want || !(a->flags & (MF_SM_TO_MS | MF_SM_FROM_MS))) return false;
    return !(a->flags & (want == SSGW_MAP_SM_TO_MS ? MF_SM_TO_MS : MF_SM_FROM_MS));
}

/* The alternatives of a CHOICE: the first that writes something. */
static int enc_choice(ectx *c, const map_elem *alts)
{
    for (const map_elem *a = alts; a->kind != MK_END; a++) {
        if ((a->flags & MF_DEC_ONLY) || wrong_sm_dir(c, a)) continue;
        size_t mark = c->b->len;
        int r = enc_elem(c, a, true);
        if (r > 0) return 1;
        rollback(c, mark);
    }
    return 0;
}

static int enc_constructed(ectx *c, const map_elem *e, bool in_choice)
{
    size_t mark = c->b->len;
    size_t m = ssgw_ber_open(c->b, e->cls, e->tag);
    int r = e->kind == MK_WRAP ? enc_choice(c, e->sub) : enc_list(c, e->sub);
    if (r > 0) {
        ssgw_ber_close(c->b, m);
        return 1;
    }
    rollback(c, mark);
    bool mand = (e->flags & MF_MAND) && !in_choice;
    /* an optional group whose mandatory parts are missing is left out */
    if (r < 0) return mand ? -1 : 0;
    if (e->def) return put_def(c, e);
    if (mand && e->kind == MK_SEQ) { /* a SEQUENCE of optional components may be empty */
        ssgw_ber_put_tlv(c->b, e->cls, true, e->tag, NULL, 0);
        return 1;
    }
    return mand ? -1 : 0;
}

static int enc_elem(ectx *c, const map_elem *e, bool in_choice)
{
    const ssgw_map_fields *f = c->f;
    size_t cap;
    const char *s = map_target_str(mut(f), e->target, &cap);
    switch (e->kind) {
    case MK_IMSI: {
        uint8_t v[8];
        if (!f->imsi[0]) return absent(c, e, in_choice);
        int n = ssgw_tbcd_encode(f->imsi, v, sizeof v);
        if (n < 3) return -1;
        ssgw_ber_put_tlv(c->b, e->cls, false, e->tag, v, (size_t)n);
        return 1;
    }
    case MK_ADDR: {
        const ssgw_map_addr *a = map_target_addr(mut(f), e->target);
        if (!a->digits[0]) return absent(c, e, in_choice);
        return put_addr(c, e->cls, e->tag, a);
    }
    case MK_NODENUM: {
        const ssgw_map_addr *a = f->msc_number.digits[0] ? &f->msc_number : &f->sgsn_number;
        if (!a->digits[0]) return absent(c, e, in_choice);
        return put_addr(c, e->cls, e->tag, a);
    }
    case MK_GPRSNODE:
        if (f->msc_number.digits[0] || !f->sgsn_number.digits[0]) return 0;
        ssgw_ber_put_tlv(c->b, e->cls, false, e->tag, NULL, 0);
        return 1;
    case MK_ADDNUM: {
        if (!f->msc_number.digits[0] || !f->sgsn_number.digits[0]) return 0;
        size_t m = ssgw_ber_open(c->b, e->cls, e->tag);
        put_addr(c, SSGW_BER_CONTEXT, 1, &f->sgsn_number);
        ssgw_ber_close(c->b, m);
        return 1;
    }
    case MK_HEX:
    case MK_TBCD:
    case MK_SSCODE: {
        uint8_t v[8];
        int n;
        if (!s || !s[0]) return absent(c, e, in_choice);
        if (e->kind == MK_TBCD)
            n = ssgw_tbcd_encode(s, v, sizeof v);
        else
            n = ssgw_map_hex_decode(s, v, sizeof v);
        if (n <= 0) return -1;
        if (e->kind == MK_HEX && (n < e->minlen || n > e->maxlen)) return -1;
        if (e->kind == MK_SSCODE && n != 1) return -1;
        ssgw_ber_put_tlv(c->b, e->cls, false, e->tag, v, (size_t)n);
        return 1;
    }
    case MK_DCS: {
        if (f->ussd_dcs < 0) return absent(c, e, in_choice);
        uint8_t v = (uint8_t)f->ussd_dcs;
        ssgw_ber_put_tlv(c->b, e->cls, false, e->tag, &v, 1);
        return 1;
    }
    case MK_USSD:
        if (!f->ussd_string[0]) return absent(c, e, in_choice);
        return put_ussd(c, e);
    case MK_INT:
        if (f->age_of_location < 0) return absent(c, e, in_choice);
        ssgw_ber_put_int(c->b, e->cls, e->tag, f->age_of_location);
        return 1;
    case MK_CGI:
        if (!f->cell_id[0]) return absent(c, e, in_choice);
        return put_cgi(c, e);
    case MK_REQINFO:
        if (!f->requested_info[0]) return absent(c, e, in_choice);
        return put_reqinfo(c, e);
    case MK_SUBSTATE:
        if (!f->subscriber_state[0]) return absent(c, e, in_choice);
        return put_substate(c, e);
    case MK_SEQ:
    case MK_WRAP:
        return enc_constructed(c, e, in_choice);
    case MK_CHOICE: {
        int r = enc_choice(c, e->sub);
        if (r == 0 && (e->flags & MF_MAND) && !in_choice) return -1;
        return r;
    }
    case MK_TRIPLET:
    case MK_QUINTUPLET:
        return put_vector(c, e);
    case MK_SKIP:
        return e->def ? put_def(c, e) : 0;
    case MK_SMRPUI:
        if (!f->sm_rp_ui || !f->sm_rp_ui_len) return absent(c, e, in_choice);
        if (f->sm_rp_ui_len > 200) return -1;
        ssgw_ber_put_tlv(c->b, e->cls, false, e->tag, f->sm_rp_ui, f->sm_rp_ui_len);
        return 1;
    default:
        return 0;
    }
}

static int enc_list(ectx *c, const map_elem *list)
{
    int any = 0;
    for (const map_elem *e = list; e->kind != MK_END; e++) {
        if (e->flags & MF_DEC_ONLY) continue;
        int r = enc_elem(c, e, false);
        if (r < 0) return -1;
        any |= r;
    }
    return any;
}

int ssgw_map_encode(int opcode, ssgw_map_comp_kind kind, int acn_version, const ssgw_map_fields *in,
                    ssgw_buf *out)
{
    const map_opdef *d = ssgw_map_schema_find(opcode, (int)kind);
    if (!d || !in || !out) return -1;
    ectx c = {out, in};
    for (size_t i = 0; i < d->n_shapes; i++) {
        const map_shape *s = &d->shapes[i];
        if (acn_version > 0 && (acn_version < s->minv || acn_version > s->maxv)) continue;
        if (!s->root) {
            if (acn_version > 0) return 0; /* no parameter in this version: nothing written */
            continue;
        }
        size_t mark = out->len;
        int r;
        if (s->cons) {
            size_t m = ssgw_ber_open(out, s->cls, s->tag);
            r = enc_list(&c, s->root);
            if (r >= 0) ssgw_ber_close(out, m);
        } else {
            map_elem leaf = *s->root;
            leaf.cls = s->cls;
            leaf.tag = s->tag;
            leaf.flags |= MF_MAND;
            r = enc_elem(&c, &leaf, false);
            if (r == 0) r = -1;
        }
        if (r >= 0 && !out->overflow) return 0;
        rollback(&c, mark);
        if (out->overflow) return -1;
    }
    return -1;
}
