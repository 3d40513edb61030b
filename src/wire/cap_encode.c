/*
 * cap_encode.c - writes the CAP arguments that cap_params.c reads, from an
 * ssgw_cap_fields, walking the same element lists (cap_schema.h) in ASN.1
 * definition order. Mandatory elements without a value take their default
 * (monitorMode notifyAndContinue, a fixed timeAndTimezone) or make the
 * encoder refuse. Numbers are written as the networks write them: ISUP numbers
 * international, E.164 (Q.763 3.9/3.10), AddressStrings and the called party
 * BCD number international, ISDN (0x91), causes with coding standard ITU-T and
 * location user (Q.850 2.1).
 */
#include "cap_schema.h"

#include <string.h>

#include "map_schema.h" /* ssgw_map_hex_decode */
#include "ssgw/ber.h"
#include "ssgw/digits.h"

typedef struct {
    const ssgw_cap_fields *f;
    ssgw_buf *b;
    int phase;
    const char *bcsm_next; /* the rest of f->bcsm_events while a BCSMEvent list is written */
    int bcsm_cur;          /* the event of the BCSMEvent being written */
} ectx;

static int enc_list(ectx *c, const cap_elem *list);

/* The digits of a string target, or NULL when it has none. */
static const char *str_value(ectx *c, int target)
{
    size_t cap;
    const char *s = ssgw_cap_target_str((ssgw_cap_fields *)c->f, target, &cap);
    return s && s[0] ? s : NULL;
}

static int int_value(ectx *c, int target)
{
    const int *ip = ssgw_cap_target_int((ssgw_cap_fields *)c->f, target);
    return ip ? *ip : -1;
}

/* The next event of the BCSM list, consumed from c->bcsm_next; -1 at its end. */
static int next_bcsm_event(ectx *c)
{
    while (c->bcsm_next && *c->bcsm_next) {
        const char *comma = strchr(c->bcsm_next, ',');
        size_t n = comma ? (size_t)(comma - c->bcsm_next) : strlen(c->bcsm_next);
        char name[32];
        if (n >= sizeof name) n = sizeof name - 1;
        memcpy(name, c->bcsm_next, n);
        name[n] = '\0';
        c->bcsm_next = comma ? comma + 1 : c->bcsm_next + n;
        int v = ssgw_cap_event_bcsm_value(name);
        if (v >= 0) return v;
    }
    return -1;
}

/* Writes a leaf; 1 when written, 0 when there is no value, -1 on a bad value. */
static int enc_leaf(ectx *c, const cap_elem *e)
{
    uint8_t v[24];
    size_t n = 0;
    const char *digits = str_value(c, e->target);
    switch (e->kind) {
    case CK_INT: {
        int x = e->target == CT_BCSM_ARMED ? c->bcsm_cur : int_value(c, e->target);
        if (x < 0) {
            if (!e->def) return 0;
            ssgw_ber_put_tlv(c->b, e->cls, false, e->tag, e->def, e->deflen);
            return 1;
        }
        ssgw_ber_put_int(c->b, e->cls, e->tag, x);
        return 1;
    }
    case CK_ISUP_NUM: {
        if (!digits) return 0;
        bool odd;
        int k = ssgw_bcd_encode(digits, v + 2, sizeof v - 2, &odd);
        if (k < 0 || k > 16) return -1;
        v[0] = (uint8_t)((odd ? 0x80 : 0) | 0x04); /* international number */
        /* numbering plan ISDN (E.164); a calling / location number: network provided */
        v[1] = e->target == CT_CALLED || e->target == CT_DRA ? 0x10 : 0x13;
        n = 2 + (size_t)k;
        break;
    }
    case CK_BCD_NUM:
    case CK_ADDR:
    case CK_IMSI: {
        if (!digits) return 0;
        size_t skip = e->kind == CK_IMSI ? 0 : 1;
        int k = ssgw_tbcd_encode(digits, v + skip, sizeof v - skip);
        if (k < 0 || (e->kind == CK_IMSI && (k < 3 || k > 8)) || (e->kind == CK_ADDR && k > 19))
            return -1;
        if (skip) v[0] = 0x91; /* extension, international, ISDN/telephony */
        n = skip + (size_t)k;
        break;
    }
    case CK_CAUSE: {
        int x = int_value(c, e->target);
        if (x < 0 || x > 127) return x < 0 ? 0 : -1;
        v[0] = 0x80; /* coding standard ITU-T, location user */
        v[1] = (uint8_t)(0x80 | x);
        n = 2;
        break;
    }
    case CK_CGI: {
        if (!digits) return 0;
        uint8_t raw[7];
        int k = ssgw_map_hex_decode(digits, raw, sizeof raw);
        if (k != 7 && k != 5) return -1;
        size_t m = ssgw_ber_open(c->b, e->cls, e->tag);
        ssgw_ber_put_tlv(c->b, SSGW_BER_CONTEXT, false, k == 7 ? 0 : 1, raw, (size_t)k);
        ssgw_ber_close(c->b, m);
        return 1;
    }
    case CK_SKIP:
        if (!e->def) return 0;
        ssgw_ber_put_tlv(c->b, e->cls, false, e->tag, e->def, e->deflen);
        return 1;
    default:
        return 0;
    }
    ssgw_ber_put_tlv(c->b, e->cls, false, e->tag, v, n);
    return 1;
}

/* Writes one element; 1 when written, 0 when it has nothing to write, -1 on an error. */
static int enc_elem(ectx *c, const cap_elem *e)
{
    size_t start = c->b->len;
    switch (e->kind) {
    case CK_SEQ: {
        size_t m = ssgw_ber_open(c->b, e->cls, e->tag);
        int r = enc_list(c, e->sub);
        if (r < 0) return -1;
        if (r == 0 && !(e->flags & CF_MAND)) { /* nothing inside: leave it out */
            c->b->len = start;
            return 0;
        }
        ssgw_ber_close(c->b, m);
        return 1;
    }
    case CK_BER_OCTETS: {
        /* the contents of the OCTET STRING are the BER of the sub-list */
        size_t m = ssgw_ber_open(c->b, e->cls, e->tag);
        int r = enc_list(c, e->sub);
        if (r <= 0) {
            c->b->len = start;
            return r;
        }
        ssgw_ber_close(c->b, m);
        c->b->data[start] &= (uint8_t)~0x20; /* primitive: an OCTET STRING */
        return 1;
    }
    case CK_SEQOF: {
        const cap_elem *item = &e->sub[0];
        size_t m = ssgw_ber_open(c->b, e->cls, e->tag);
        int written = 0;
        if (item->kind == CK_SEQ && item->sub[0].target == CT_BCSM_ARMED) {
            /* a list of BCSMEvents: one per armed event (or the one event type given) */
            c->bcsm_next = c->f->bcsm_events;
            int v = next_bcsm_event(c);
            if (v < 0) v = c->f->event_type_bcsm;
            for (; v >= 0; v = next_bcsm_event(c)) {
                c->bcsm_cur = v;
                if (enc_elem(c, item) < 0) return -1;
                written++;
            }
            c->bcsm_next = NULL;
        } else {
            int r = enc_elem(c, item);
            if (r < 0) return -1;
            written = r;
        }
        if (!written) {
            c->b->len = start;
            return 0;
        }
        ssgw_ber_close(c->b, m);
        return 1;
    }
    default:
        return enc_leaf(c, e);
    }
}

/* Returns how many elements were written, or -1 (a mandatory one has no value). */
static int enc_list(ectx *c, const cap_elem *list)
{
    int written = 0;
    for (const cap_elem *e = list; e->name; e++) {
        if (!cap_elem_in_phase(e, c->phase)) continue;
        int r = enc_elem(c, e);
        if (r < 0) return -1;
        if (r == 0 && (e->flags & CF_MAND)) return -1;
        written += r;
    }
    return written;
}

int ssgw_cap_encode(int opcode, int phase, const ssgw_cap_fields *in, ssgw_buf *out)
{
    const cap_opdef *d = ssgw_cap_schema_find(opcode);
    if (!d || !in) return -1;
    ectx c = {in, out, phase, NULL, -1};
    size_t start = out->len;
    /* the first shape is the one written (ReleaseCall: the plain Cause) */
    const cap_shape *sh = &d->shapes[0];
    int r;
    if (sh->leaf) {
        r = enc_elem(&c, sh->root);
    } else {
        size_t m = ssgw_ber_open(out, sh->cls, sh->tag);
        r = enc_list(&c, sh->root);
        ssgw_ber_close(out, m);
    }
    if (r < 0 || (sh->leaf && r == 0) || out->overflow) {
        out->len = start < out->len ? start : out->len;
        return -1;
    }
    return 0;
}
