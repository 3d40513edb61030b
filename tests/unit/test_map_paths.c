/*
 * test_map_paths.c - what the MAP parameter decoder leaves for its callers, on many inputs:
 *
 * - ssgw_map_fields_init stores only what makes each member absent (not the whole struct):
 *   every member must read as after clearing the whole struct (strings up to their NUL,
 *   numbers, pointers), whatever the struct held before; so must everything ssgw_map_decode
 *   gives (result, error, members), decoding into a struct full of 0xa5 or of zeros;
 * - dec_list's element search (map_params.c) reads the TLVs as a reference written here
 *   reads them: the parameter's TLVs walked with the public BER reader (ssgw/ber.h), each
 *   looked up in the element lists of map_schema.h (the protocol data both read) by a plain
 *   scan, its position among same-tag siblings counted by walking the siblings again. The
 *   reference gives the elements read, in order, and how the search ends (a duplicate, a
 *   missing mandatory element, a BER error); from the simple elements (IMSI, addresses,
 *   hex and TBCD strings, SS-Code, DCS, sm-RP-UI) it writes the members with the public
 *   TBCD and hex helpers. A decode must succeed only where the reference's search ends well
 *   and its simple elements are valid, with those members, every member no element wrote
 *   absent, and sm_rp_dir from the sm-RP-DA alternative read (else the last sm-RP-OA one,
 *   as TS 29.002 routes by DA); it must fail with the
 *   reference's error, or at an element the reference read whose value the reference does
 *   not know to be valid, with no element known to be invalid before it;
 * - the presence bits the decoder sets (ssgw_map_fields.present) must keep the promise of
 *   ssgw_map_fields_present's 27 tests: every field those find has its bit, and the fields
 *   a printer shows through either mask (ssgw_map_field_get not NULL, not empty) are the same.
 *
 * And RequestedInfo's text against the snprintf loop that used to write it; the SS-Code
 * names against the search they were found by.
 *
 * Inputs: the parameter of every MAP component of 3,000 generated messages of each of two
 * seeds (ssgw_gen_tcap), decoded in every MAP version; what the encoder writes for every
 * operation, kind and version from fields with every member set; the map fuzz corpus; and for
 * each of them every truncation and single-octet mutations at every position (paths.h).
 * The encoder's parameters and the first 300 messages' also written again in other BER
 * forms: every length in the long form (with its truncations and mutations), constructed
 * values with the indefinite length, and every tag inside the parameter 256 higher.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "paths.h"
#include "ssgw/ber.h"
#include "ssgw/digits.h"
#include "ssgw/map.h"
#include "ssgw/tcap.h"
#include "wire/map_schema.h"

/* The struct as ssgw_map_fields_init documents it, the way it used to be written. */
static void reference_init(ssgw_map_fields *f)
{
    memset(f, 0, sizeof *f);
    f->ussd_dcs = -1;
    f->lac = -1;
    f->ci = -1;
    f->age_of_location = -1;
}

static bool same_addr(const ssgw_map_addr *a, const ssgw_map_addr *b)
{
    return !strcmp(a->digits, b->digits) && PATHS_EQ(nai) && PATHS_EQ(npi);
}

/* Member by member, strings up to their NUL, present aside. */
static bool same_fields(const ssgw_map_fields *a, const ssgw_map_fields *b)
{
    return !strcmp(a->imsi, b->imsi) && same_addr(&a->msisdn, &b->msisdn) &&
           same_addr(&a->vlr_number, &b->vlr_number) && same_addr(&a->msc_number, &b->msc_number) &&
           same_addr(&a->hlr_number, &b->hlr_number) &&
           same_addr(&a->sgsn_number, &b->sgsn_number) &&
           same_addr(&a->gsmscf_address, &b->gsmscf_address) &&
           same_addr(&a->gmsc_address, &b->gmsc_address) &&
           same_addr(&a->smsc_address, &b->smsc_address) &&
           same_addr(&a->forwarded_to_number, &b->forwarded_to_number) &&
           same_addr(&a->roaming_number, &b->roaming_number) &&
           same_addr(&a->mlc_number, &b->mlc_number) && !strcmp(a->lmsi, b->lmsi) &&
           !strcmp(a->tmsi, b->tmsi) && !strcmp(a->imei, b->imei) &&
           !strcmp(a->ss_code, b->ss_code) && PATHS_EQ(ussd_dcs) &&
           !strcmp(a->ussd_string, b->ussd_string) && PATHS_EQ(ussd_is_hex) &&
           !strcmp(a->cell_id, b->cell_id) && !strcmp(a->mcc, b->mcc) && !strcmp(a->mnc, b->mnc) &&
           PATHS_EQ(lac) && PATHS_EQ(ci) && PATHS_EQ(age_of_location) &&
           !strcmp(a->requested_info, b->requested_info) &&
           !strcmp(a->subscriber_state, b->subscriber_state) && PATHS_EQ(sm_rp_ui) &&
           PATHS_EQ(sm_rp_ui_len) && PATHS_EQ(sm_rp_dir);
}

/* The fields a printer shows through mask: those with a non-empty value. */
static uint32_t shown(const ssgw_map_fields *m, uint32_t mask)
{
    char tmp[SSGW_MAP_USSD_CAP + 8];
    uint32_t out = 0;
    for (uint32_t set = mask; set; set &= set - 1) {
        ssgw_map_field f = (ssgw_map_field)__builtin_ctz(set);
        const char *val = ssgw_map_field_get(m, f, tmp, sizeof tmp);
        if (val && val[0]) out |= 1u << f;
    }
    return out;
}

static bool mask_keeps_promise(const ssgw_map_fields *m)
{
    uint32_t all = ssgw_map_fields_present(m);
    return (all & ~m->present) == 0 && shown(m, m->present) == shown(m, all);
}

/* ---- the reference: which element each TLV is read as --------------------------------- */

/* One TLV read as an element: where it stands in the parameter (identifier to its end). */
typedef struct {
    const map_elem *elem;
    ssgw_ber_tlv tlv;
    size_t start, end;
} ref_read;

/* The elements read, in the decoder's order (a SEQUENCE before what it holds), and how the
 * search ends: failed with err, or not. */
typedef struct {
    const uint8_t *base;
    ref_read reads[256];
    size_t n;
    bool overflow;
    bool failed;
    ssgw_error err;
} ref_trace;

static bool ref_fail(ref_trace *rt, ssgw_errcode code, const char *field, size_t offset)
{
    rt->failed = true;
    rt->err = (ssgw_error){SSGW_LAYER_MAP, code, field, offset};
    return false;
}

/* The position of the TLV at pos among the universal siblings before it with its tag,
 * counted by walking the siblings from the start again (1: the first). */
static unsigned ref_nth(const uint8_t *p, size_t len, size_t pos, const ssgw_ber_tlv *t)
{
    if (t->cls != SSGW_BER_UNIVERSAL) return 0;
    unsigned nth = 1;
    size_t at = 0;
    while (at < pos) {
        ssgw_ber_tlv s;
        ssgw_error e;
        if (ssgw_ber_read(p + at, len - at, &s, &e) < 0) break;
        if (s.cls == SSGW_BER_UNIVERSAL && s.tag == t->tag) nth++;
        at += s.total;
    }
    return nth;
}

static bool ref_fits(const map_elem *e, const ssgw_ber_tlv *t, unsigned nth)
{
    return e->cls == t->cls && e->tag == t->tag && (e->nth == 0 || e->nth == nth);
}

/* What the list entry e reads t as: e, or the first alternative of an untagged CHOICE. */
static const map_elem *ref_reads_as(const map_elem *e, const ssgw_ber_tlv *t, unsigned nth)
{
    if (e->kind != MK_CHOICE) return ref_fits(e, t, nth) ? e : NULL;
    for (const map_elem *a = e->sub; a->kind != MK_END; a++)
        if (ref_fits(a, t, nth)) return a;
    return NULL;
}

static bool ref_list(ref_trace *rt, const uint8_t *p, size_t len, const map_elem *list);

/* Records t read as e, and what it holds when e is a SEQUENCE read from a constructed TLV. */
static bool ref_take(ref_trace *rt, const map_elem *e, const ssgw_ber_tlv *t)
{
    if (rt->n == sizeof rt->reads / sizeof rt->reads[0]) {
        rt->overflow = true;
        return false;
    }
    size_t start = (size_t)(t->val - t->hdr_len - rt->base);
    rt->reads[rt->n++] = (ref_read){e, *t, start, start + t->total};
    if ((e->kind == MK_SEQ || e->kind == MK_WRAP) && t->constructed)
        return ref_list(rt, t->val, t->len, e->sub);
    return true;
}

/* The TLVs of a list's contents, each read as the first entry that takes it and is still
 * free; one that only filled plain entries take is a duplicate, one that none takes is
 * skipped; at the end, every mandatory entry must have been filled. */
static bool ref_list(ref_trace *rt, const uint8_t *p, size_t len, const map_elem *list)
{
    size_t entries = 0;
    bool filled[64] = {false};
    while (list[entries].kind != MK_END)
        entries++;
    if (entries > sizeof filled) {
        rt->overflow = true;
        return false;
    }
    const char *ber_field = entries ? list[0].name : "parameter";
    ssgw_ber_iter it;
    ssgw_ber_tlv t;
    ssgw_error e;
    ssgw_ber_iter_init(&it, p, len);
    for (size_t pos = 0;; pos = it.pos) {
        int r = ssgw_ber_next(&it, &t, &e);
        if (r < 0) return ref_fail(rt, e.code, ber_field, (size_t)(p - rt->base) + e.offset);
        if (r == 0) break;
        unsigned nth = ref_nth(p, len, pos, &t);
        size_t free_at = entries;
        bool plain_filled = false;
        for (size_t i = entries; i-- > 0;) { /* from the end: the first free one stays */
            if (!ref_reads_as(&list[i], &t, nth)) continue;
            if (!filled[i])
                free_at = i;
            else if (list[i].kind != MK_CHOICE)
                plain_filled = true;
        }
        if (free_at == entries) {
            if (plain_filled)
                return ref_fail(rt, SSGW_E_DUPLICATE, "parameter element",
                                (size_t)(t.val - t.hdr_len - rt->base));
            continue;
        }
        filled[free_at] = true;
        if (!ref_take(rt, ref_reads_as(&list[free_at], &t, nth), &t)) return false;
    }
    for (size_t i = 0; i < entries; i++)
        if ((list[i].flags & MF_MAND) && !filled[i])
            return ref_fail(rt, SSGW_E_MISSING, list[i].name, (size_t)(p + len - rt->base));
    return true;
}

/* The parameter's own TLV, its shape (the first for its tag whose versions hold version,
 * else the first for its tag) and its contents. */
static void ref_decode(int op, ssgw_map_comp_kind kind, int version, const uint8_t *param,
                       size_t len, ref_trace *rt)
{
    memset(rt, 0, sizeof *rt);
    rt->base = param;
    const map_opdef *d = ssgw_map_schema_find(op, (int)kind);
    if (!d || len == 0) return;
    ssgw_ber_tlv t;
    ssgw_error e;
    if (ssgw_ber_read(param, len, &t, &e) < 0) {
        ref_fail(rt, e.code, "parameter", e.offset);
        return;
    }
    if (t.total != len) {
        ref_fail(rt, SSGW_E_BAD_LENGTH, "parameter", t.total);
        return;
    }
    const map_shape *first = NULL, *in_version = NULL;
    for (size_t i = 0; i < d->n_shapes; i++) {
        const map_shape *s = &d->shapes[i];
        if (!s->root || s->cls != t.cls || s->tag != t.tag || s->cons != t.constructed) continue;
        if (!first) first = s;
        if (!in_version && (version == 0 || (version >= s->minv && version <= s->maxv)))
            in_version = s;
    }
    const map_shape *sh = in_version ? in_version : first;
    if (!sh)
        ref_fail(rt, SSGW_E_BAD_TAG, "parameter", 0);
    else if (sh->cons)
        ref_list(rt, t.val, t.len, sh->root);
    else
        ref_take(rt, sh->root, &t);
}

/* A TBCD string of min..max octets into out; false when it is not one. */
static bool ref_tbcd(const ssgw_ber_tlv *t, size_t min, size_t max, char *out, size_t cap)
{
    return t->len >= min && t->len <= max && ssgw_tbcd_decode(t->val, t->len, out, cap) >= 0;
}

/* The member a simple element writes, into want: 1 written, 0 not valid (the decode must
 * fail), -1 not known here (CGI, USSD, INTEGER, RequestedInfo, SubscriberState, the
 * node numbers; the containers and skipped elements write nothing themselves). */
static int ref_write(const ref_read *r, ssgw_map_fields *want)
{
    const map_elem *e = r->elem;
    const ssgw_ber_tlv *t = &r->tlv;
    size_t cap;
    char *s = map_target_str(want, e->target, &cap);
    ssgw_map_addr *a = map_target_addr(want, e->target);
    switch (e->kind) {
    case MK_IMSI: /* TBCD-STRING (SIZE (3..8)) */
        return !t->constructed && ref_tbcd(t, 3, 8, want->imsi, sizeof want->imsi);
    case MK_ADDR: /* AddressString: nature and plan, then TBCD digits (1..20 octets) */
        if (t->constructed || t->len < 1 || t->len > 20) return 0;
        a->nai = (t->val[0] >> 4) & 7;
        a->npi = t->val[0] & 15;
        return ssgw_tbcd_decode(t->val + 1, t->len - 1, a->digits, sizeof a->digits) >= 0;
    case MK_HEX:
        if (t->constructed || t->len < e->minlen || t->len > e->maxlen) return 0;
        ssgw_map_hex_encode(t->val, t->len, s, cap);
        return 1;
    case MK_TBCD:
        return !t->constructed && ref_tbcd(t, 1, 8, s, cap);
    case MK_SSCODE:
    case MK_DCS:
        if (t->constructed || t->len != 1) return 0;
        if (e->kind == MK_DCS)
            want->ussd_dcs = t->val[0];
        else
            ssgw_map_hex_encode(t->val, 1, s, cap);
        return 1;
    case MK_SMRPUI: /* SignalInfo ::= OCTET STRING (SIZE (1..200)) */
        if (t->constructed || t->len < 1 || t->len > 200) return 0;
        want->sm_rp_ui = t->val;
        want->sm_rp_ui_len = t->len;
        return 1;
    case MK_SEQ:
    case MK_WRAP:
        return t->constructed ? 1 : 0;
    default:
        return -1;
    }
}

/* The members an element this reference does not read may have written: taken from got. */
static void ref_take_unknown(const map_elem *e, const ssgw_map_fields *got, ssgw_map_fields *want)
{
    switch (e->kind) {
    case MK_USSD:
        memcpy(want->ussd_string, got->ussd_string, sizeof want->ussd_string);
        want->ussd_is_hex = got->ussd_is_hex;
        break;
    case MK_INT:
        want->age_of_location = got->age_of_location;
        break;
    case MK_CGI:
        memcpy(want->cell_id, got->cell_id, sizeof want->cell_id);
        memcpy(want->mcc, got->mcc, sizeof want->mcc);
        memcpy(want->mnc, got->mnc, sizeof want->mnc);
        want->lac = got->lac;
        want->ci = got->ci;
        break;
    case MK_REQINFO:
        memcpy(want->requested_info, got->requested_info, sizeof want->requested_info);
        break;
    case MK_SUBSTATE:
        memcpy(want->subscriber_state, got->subscriber_state, sizeof want->subscriber_state);
        break;
    case MK_NODENUM:
    case MK_GPRSNODE:
    case MK_ADDNUM:
        want->msc_number = got->msc_number;
        want->sgsn_number = got->sgsn_number;
        break;
    default:
        break;
    }
}

/* How a decode agreed with the reference, counted per input (ref_agrees). */
typedef enum {
    AGREE_NOT,          /* it did not */
    AGREE_DECODED,      /* decoded, with the members the reference wrote */
    AGREE_AT_ELEMENT,   /* failed at an element the reference read, not known to be valid */
    AGREE_DUPLICATE,    /* failed as the reference's search ended: a duplicate, */
    AGREE_MISSING,      /*   a missing mandatory element, */
    AGREE_OTHER_ENDING, /*   a BER error, the parameter's own TLV */
    AGREE_COUNT
} agreement;

static unsigned long agreed[AGREE_COUNT];

/* Whether a decode that gave r, err and got is what the reference's reading allows. */
static agreement ref_agrees(const ref_trace *rt, int r, const ssgw_error *err,
                            const ssgw_map_fields *got)
{
    ssgw_map_fields want;
    reference_init(&want);
    bool da_read = false;
    for (size_t i = 0; i < rt->n; i++) {
        const ref_read *rd = &rt->reads[i];
        int w = ref_write(rd, &want);
        if (r < 0 && w != 1 && err->field && !strcmp(err->field, rd->elem->name) &&
            err->offset >= rd->start && err->offset <= rd->end)
            return AGREE_AT_ELEMENT;
        if (w == 0) return AGREE_NOT; /* not valid: the decode must fail here, or before */
        if (w < 0) ref_take_unknown(rd->elem, got, &want);
        /* sm-RP-DA's alternative says which way; an sm-RP-OA one only without it */
        if ((rd->elem->flags & (MF_SM_TO_MS | MF_SM_FROM_MS)) &&
            (!da_read || (rd->elem->flags & MF_SM_DA))) {
            want.sm_rp_dir =
                rd->elem->flags & MF_SM_TO_MS ? SSGW_MAP_SM_TO_MS : SSGW_MAP_SM_FROM_MS;
            da_read = (rd->elem->flags & MF_SM_DA) != 0;
        }
    }
    if (rt->failed) {
        if (r >= 0 || !paths_same_error(&rt->err, err)) return AGREE_NOT;
        return err->code == SSGW_E_DUPLICATE ? AGREE_DUPLICATE
               : err->code == SSGW_E_MISSING ? AGREE_MISSING
                                             : AGREE_OTHER_ENDING;
    }
    return r == 0 && same_fields(got, &want) ? AGREE_DECODED : AGREE_NOT;
}

/* The operation, kind and version the parameters under test are decoded with. */
static int cur_op, cur_version;
static ssgw_map_comp_kind cur_kind;
static unsigned long mask_checked;

static void compare(const uint8_t *buf, size_t len)
{
    ssgw_map_fields a, b, empty;
    ssgw_error ea, eb;
    ref_trace rt;
    memset(&a, 0xa5, sizeof a); /* what the decoder leaves as it found shows */
    memset(&b, 0, sizeof b);
    memset(&ea, 0, sizeof ea);
    memset(&eb, 0, sizeof eb);
    reference_init(&empty);
    int ra = ssgw_map_decode(cur_op, cur_kind, cur_version, buf, len, &a, &ea);
    int rb = ssgw_map_decode(cur_op, cur_kind, cur_version, buf, len, &b, &eb);
    ref_decode(cur_op, cur_kind, cur_version, buf, len, &rt);
    agreement how = rt.overflow ? AGREE_NOT : ref_agrees(&rt, ra, &ea, &a);
    agreed[how]++;
    paths_compared++;
    if (ra == 0) paths_succeeded++;
    bool same = how != AGREE_NOT && ra == rb && a.present == b.present &&
                (ra < 0 ? paths_same_error(&ea, &eb) && same_fields(&a, &empty) && a.present == 0
                        : same_fields(&a, &b) && mask_keeps_promise(&a));
    if (ra == 0 && a.present) mask_checked++;
    if (!same) paths_report(&paths_differed, buf, len, ra, rt.failed ? -1 : 0);
}

/* A MAP parameter in every version (0: unknown, 1..4), and around it when asked. */
static void parameter(int op, ssgw_map_comp_kind kind, const uint8_t *p, size_t len, bool around)
{
    cur_op = op;
    cur_kind = kind;
    for (cur_version = 0; cur_version <= 4; cur_version++) {
        if (around)
            paths_around(p, len, compare);
        else
            compare(p, len);
    }
}

/* ---- the same parameters in other BER forms ----------------------------------------- */

typedef enum { FORM_LONG, FORM_INDEFINITE, FORM_HIGH_TAGS, FORM_COUNT } ber_form;

static void put_len(ssgw_buf *b, size_t n, ber_form form)
{
    if (form == FORM_HIGH_TAGS) {
        ssgw_ber_put_len(b, n);
    } else if (form == FORM_INDEFINITE && n < 256) {
        ssgw_buf_put_u8(b, 0x81);
        ssgw_buf_put_u8(b, (uint8_t)n);
    } else {
        ssgw_buf_put_u8(b, 0x82);
        ssgw_buf_put_be16(b, (uint16_t)n);
    }
}

/* The TLVs of p/len written again to b: every length in the long form (0x82 and two
 * octets); or constructed values with the indefinite length and the others as 0x81 n; or,
 * below the parameter's own TLV (depth > 0), every tag number 256 higher, which no element
 * has. */
static void rewrite(ssgw_buf *b, const uint8_t *p, size_t len, ber_form form, int depth)
{
    ssgw_ber_iter it;
    ssgw_ber_tlv t;
    ssgw_error e;
    ssgw_ber_iter_init(&it, p, len);
    while (ssgw_ber_next(&it, &t, &e) > 0) {
        ssgw_ber_put_id(b, t.cls, t.constructed,
                        form == FORM_HIGH_TAGS && depth > 0 ? t.tag + 256 : t.tag);
        if (!t.constructed) {
            put_len(b, t.len, form);
            ssgw_buf_put(b, t.val, t.len);
        } else if (form == FORM_INDEFINITE) {
            ssgw_buf_put_u8(b, 0x80);
            rewrite(b, t.val, t.len, form, depth + 1);
            ssgw_buf_put_be16(b, 0); /* end-of-contents */
        } else {
            uint8_t mem[1024];
            ssgw_buf in;
            ssgw_buf_init(&in, mem, sizeof mem);
            rewrite(&in, t.val, t.len, form, depth + 1);
            put_len(b, in.len, form);
            ssgw_buf_put(b, mem, in.len);
        }
    }
}

/* The parameter in every other form; around it in the long form when asked. */
static void other_forms(int op, ssgw_map_comp_kind kind, const uint8_t *p, size_t len, bool around)
{
    for (int form = 0; form < FORM_COUNT; form++) {
        uint8_t mem[1024];
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        rewrite(&b, p, len, (ber_form)form, 0);
        if (!b.overflow) parameter(op, kind, mem, b.len, around && form == FORM_LONG);
    }
}

static void init_from_anything(void)
{
    static const uint8_t fills[] = {0x00, 0x01, 0x5a, 0xa5, 0xff};
    ssgw_map_fields want;
    reference_init(&want);
    for (size_t i = 0; i < sizeof fills; i++) {
        ssgw_map_fields f;
        memset(&f, fills[i], sizeof f);
        ssgw_map_fields_init(&f);
        CHECK(same_fields(&f, &want));
        CHECK_INT(f.present, 0);
        CHECK_INT(ssgw_map_fields_present(&f), ssgw_map_fields_present(&want));
    }
}

/* The parameter of every MAP component of a generated TCAP message. */
static void generated_message(const uint8_t *msg, size_t len, uint64_t index)
{
    ssgw_tcap_msg m;
    ssgw_tcap_component comps[8];
    unsigned n = 0;
    bool truncated;
    ssgw_error e;
    if (ssgw_tcap_decode_all(msg, len, &m, comps, 8, &n, &truncated, &e) < 0) return;
    for (unsigned k = 0; k < n; k++) {
        const ssgw_tcap_component *c = &comps[k];
        if (!c->param_present || c->opcode.kind != SSGW_TCAP_CODE_LOCAL) continue;
        ssgw_map_comp_kind kind =
            c->type == SSGW_TCAP_COMP_INVOKE ? SSGW_MAP_INVOKE : SSGW_MAP_RETURN_RESULT;
        parameter((int)c->opcode.local, kind, c->param_tlv, c->param_tlv_len, index < 150);
        if (index < 300)
            other_forms((int)c->opcode.local, kind, c->param_tlv, c->param_tlv_len, false);
    }
}

static void generated_messages(void)
{
    unsigned long before = paths_succeeded, masks = mask_checked;
    paths_generated(NULL, generated_message);
    CHECK_INT(paths_differed, 0);
    CHECK(paths_succeeded - before > 20000);
    CHECK(mask_checked - masks > 10000); /* decodes that filled fields */
}

/* Every member set, for the encoder to write every element it can. */
static void full_fields(ssgw_map_fields *f)
{
    ssgw_map_fields_init(f);
    strcpy(f->imsi, "262019876543210");
    ssgw_map_addr *addrs[] = {&f->msisdn,         &f->vlr_number,   &f->msc_number,
                              &f->hlr_number,     &f->sgsn_number,  &f->gsmscf_address,
                              &f->gmsc_address,   &f->smsc_address, &f->forwarded_to_number,
                              &f->roaming_number, &f->mlc_number};
    for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        char d[16];
        snprintf(d, sizeof d, "4917%07zu", 1000000 + i);
        ssgw_map_addr_set(addrs[i], d, 1, 1);
    }
    strcpy(f->lmsi, "01020304");
    strcpy(f->tmsi, "a1b2c3d4");
    strcpy(f->imei, "3520990017614823");
    strcpy(f->ss_code, "21");
    f->ussd_dcs = 0x0f;
    strcpy(f->ussd_string, "*100#");
    strcpy(f->cell_id, "62f2200001abcd");
    f->age_of_location = 5;
    strcpy(f->requested_info, "locationInformation,subscriberState");
    strcpy(f->subscriber_state, "camelBusy");
}

/* What the encoder writes from f for every operation, kind and version, in every form;
 * around it when asked. */
static void encoded_from(const ssgw_map_fields *f, bool around)
{
    for (int op = 0; op <= SSGW_MAP_OPCODE_MAX; op++) {
        for (int k = SSGW_MAP_INVOKE; k <= SSGW_MAP_RETURN_RESULT; k++) {
            for (int v = 0; v <= 4; v++) {
                uint8_t mem[1024];
                ssgw_buf b;
                ssgw_buf_init(&b, mem, sizeof mem);
                if (ssgw_map_encode(op, (ssgw_map_comp_kind)k, v, f, &b) < 0 || b.len == 0)
                    continue;
                parameter(op, (ssgw_map_comp_kind)k, mem, b.len, around);
                other_forms(op, (ssgw_map_comp_kind)k, mem, b.len, around);
            }
        }
    }
}

/* Every member set, and elements long enough for a long-form length of their own: a
 * 160-octet USSD string, a 200-octet sm-RP-UI. */
static void encoded_parameters(void)
{
    unsigned long before = paths_succeeded;
    ssgw_map_fields f;
    full_fields(&f);
    encoded_from(&f, true);
    static uint8_t tpdu[200];
    memset(tpdu, 0x44, sizeof tpdu);
    memset(f.ussd_string, 'a', 182); /* 182 septets: 160 octets */
    f.ussd_string[182] = '\0';
    f.sm_rp_ui = tpdu;
    f.sm_rp_ui_len = sizeof tpdu;
    encoded_from(&f, false);
    CHECK_INT(paths_differed, 0);
    CHECK(paths_succeeded - before > 20000);
}

/*
 * RequestedInfo's names are appended without snprintf: the text must be what the snprintf
 * loop it replaced wrote, for random lists of flags (unknown tags, other classes, repeats,
 * lists long enough to be cut at the buffer's end), in provideSubscriberInfo.
 */
static void requested_info_text(void)
{
    uint32_t seed = 7;
    for (int round = 0; round < 3000; round++) {
        uint8_t inner[128], param[160];
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        int flags = (int)((seed >> 16) % 40);
        char want[sizeof((ssgw_map_fields *)0)->requested_info] = "";
        for (int k = 0; k < flags; k++) {
            seed = seed * 1103515245u + 12345u;
            uint8_t tag = (uint8_t)((seed >> 16) % 14), cls = (seed >> 24) % 8 == 0 ? 0x00 : 0x80;
            inner[n++] = cls | tag;
            inner[n++] = 0;
            if (cls != 0x80) continue;
            for (size_t i = 0; i < ssgw_map_reqinfo_nflags; i++) { /* the old loop */
                if (ssgw_map_reqinfo_flags[i].tag != tag) continue;
                size_t used = strlen(want);
                snprintf(want + used, sizeof want - used, "%s%s", used ? "," : "",
                         ssgw_map_reqinfo_flags[i].name);
            }
        }
        /* ProvideSubscriberInfoArg: imsi [0], requestedInfo [2] */
        static const uint8_t imsi[] = {0x80, 0x08, 0x62, 0x02, 0x91, 0x78, 0x56, 0x34, 0x12, 0xf0};
        size_t len = 0;
        param[len++] = 0x30;
        param[len++] = (uint8_t)(sizeof imsi + 2 + n);
        memcpy(param + len, imsi, sizeof imsi);
        len += sizeof imsi;
        param[len++] = 0xa2;
        param[len++] = (uint8_t)n;
        memcpy(param + len, inner, n);
        len += n;
        ssgw_map_fields f;
        ssgw_error e;
        memset(&f, 0xa5, sizeof f);
        CHECK_INT(ssgw_map_decode(SSGW_MAP_OP_PROVIDE_SUBSCRIBER_INFO, SSGW_MAP_INVOKE, 3, param,
                                  len, &f, &e),
                  0);
        CHECK_STR(f.requested_info, want);
    }
}

/* ssgw_map_ss_code_name is an index into a 256-entry table, no longer a search of the 72
 * allocated codes: every code must give the name (or NULL) the search gave. The FNV-1a of
 * the lines "%02x:name\n" ("-" for NULL) for codes 0..255, as the search answered them. */
static void ss_code_names(void)
{
    uint32_t h = 2166136261u;
    unsigned named = 0;
    for (unsigned code = 0; code < 256; code++) {
        const char *name = ssgw_map_ss_code_name((uint8_t)code);
        char line[64];
        snprintf(line, sizeof line, "%02x:%s\n", code, name ? name : "-");
        for (const char *p = line; *p; p++)
            h = (h ^ (uint8_t)*p) * 16777619u;
        named += name != NULL;
    }
    CHECK_INT(named, 72);
    CHECK_INT(h, 0x29766310u);
}

/* fuzz_map.c's input: opcode, kind and version, then the parameter. */
static void corpus_file(const uint8_t *data, size_t len)
{
    if (len < 2) return;
    parameter(data[0], (ssgw_map_comp_kind)(data[1] & 3), data + 2, len - 2, true);
}

static void fuzz_corpus(void)
{
    static const char *const dirs[] = {"fuzz/corpus/map"};
    CHECK(paths_corpora(dirs, 1, corpus_file) >= 10);
    CHECK_INT(paths_differed, 0);
}

/* Every way of agreeing with the reference was taken, many times (the search's duplicate,
 * missing-element and BER endings, failures at elements, decodes). */
static void reference_endings(void)
{
    static const char *const names[AGREE_COUNT] = {"differed",  "decoded", "at element",
                                                   "duplicate", "missing", "other ending"};
    for (int i = 0; i < AGREE_COUNT; i++)
        fprintf(stderr, "  %s: %lu\n", names[i], agreed[i]);
    CHECK_INT(agreed[AGREE_NOT], 0);
    for (int i = AGREE_DECODED; i < AGREE_COUNT; i++)
        CHECK(agreed[i] > 1000);
}

int main(void)
{
    RUN(init_from_anything);
    RUN(generated_messages);
    RUN(encoded_parameters);
    RUN(fuzz_corpus);
    RUN(reference_endings);
    RUN(requested_info_text);
    RUN(ss_code_names);
    return paths_summary();
}
