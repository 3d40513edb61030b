/*
 * sms_tpdu.c - decodes the SMS TPDU (3GPP TS 23.040 clause 9.2) and its user data
 * (header, GSM 7-bit / UCS-2 text); see include/ssgw/sms.h. The layout of each TPDU type
 * is the order of the TP- fields below, read with one cursor that checks every length.
 */
#include <stdio.h>
#include <string.h>

#include "ssgw/gsm7.h"
#include "ssgw/sms.h"

static const char *const type_names[SSGW_SMS_TYPE_COUNT] = {
    [SSGW_SMS_DELIVER] = "deliver",
    [SSGW_SMS_DELIVER_REPORT] = "deliver-report",
    [SSGW_SMS_SUBMIT] = "submit",
    [SSGW_SMS_SUBMIT_REPORT] = "submit-report",
    [SSGW_SMS_STATUS_REPORT] = "status-report",
    [SSGW_SMS_COMMAND] = "command",
};

const char *ssgw_sms_type_name(ssgw_sms_type t)
{
    return (unsigned)t < SSGW_SMS_TYPE_COUNT ? type_names[t] : "unknown";
}

const char *ssgw_sms_alphabet_name(ssgw_sms_alphabet a)
{
    switch (a) {
    case SSGW_SMS_GSM7:
        return "gsm7";
    case SSGW_SMS_8BIT:
        return "8bit";
    case SSGW_SMS_UCS2:
        return "ucs2";
    default:
        return "unknown";
    }
}

void ssgw_sms_dcs_decode(uint8_t dcs, ssgw_sms_dcs *out)
{
    static const ssgw_sms_alphabet bits[4] = {SSGW_SMS_GSM7, SSGW_SMS_8BIT, SSGW_SMS_UCS2,
                                              SSGW_SMS_GSM7 /* reserved: read as 7-bit */};
    out->alphabet = SSGW_SMS_GSM7;
    out->msg_class = -1;
    out->compressed = false;
    out->mwi = -1;
    switch (dcs >> 4) {
    case 0x0:
    case 0x1:
    case 0x2:
    case 0x3: /* general data coding */
    case 0x4:
    case 0x5:
    case 0x6:
    case 0x7: /* ... marked for automatic deletion */
        out->compressed = (dcs & 0x20) != 0;
        out->alphabet = bits[(dcs >> 2) & 3];
        if (dcs & 0x10) out->msg_class = dcs & 3;
        break;
    case 0xc: /* message waiting indication: discard, GSM 7-bit */
    case 0xd: /* store, GSM 7-bit */
        out->mwi = dcs & 3;
        break;
    case 0xe: /* store, UCS-2 */
        out->alphabet = SSGW_SMS_UCS2;
        out->mwi = dcs & 3;
        break;
    case 0xf: /* data coding / message class */
        out->alphabet = (dcs & 0x04) ? SSGW_SMS_8BIT : SSGW_SMS_GSM7;
        out->msg_class = dcs & 3;
        break;
    default: /* 0x8-0xb reserved coding groups: GSM 7-bit (23.038 clause 4) */
        break;
    }
}

int ssgw_sms_time_format(const ssgw_sms_time *t, char *out, size_t outcap)
{
    int q = t->tz_quarters < 0 ? -t->tz_quarters : t->tz_quarters;
    return snprintf(out, outcap, "20%02u-%02u-%02uT%02u:%02u:%02u%c%02d:%02d", t->year, t->month,
                    t->day, t->hour, t->minute, t->second, t->tz_quarters < 0 ? '-' : '+', q / 4,
                    (q % 4) * 15);
}

typedef struct {
    const uint8_t *b;
    size_t len, pos;
    ssgw_error *err;
} cur;

static int fail(cur *c, ssgw_errcode code, const char *field, size_t off)
{
    return ssgw_fail(c->err, SSGW_LAYER_SMS, code, field, off);
}

static int need(cur *c, size_t n, const char *field)
{
    return c->pos + n <= c->len ? 0 : fail(c, SSGW_E_TRUNCATED, field, c->pos);
}

static int u8(cur *c, const char *field, int *out)
{
    if (need(c, 1, field) < 0) return -1;
    *out = c->b[c->pos++];
    return 0;
}

/* A semi-octet swapped BCD pair: low nibble is the tens digit. */
static int bcd2(cur *c, uint8_t o, const char *field, size_t at, uint8_t *out)
{
    if ((o & 15) > 9 || (o >> 4) > 9) return fail(c, SSGW_E_BAD_VALUE, field, at);
    *out = (uint8_t)((o & 15) * 10 + (o >> 4));
    return 0;
}

static int time7(cur *c, const char *field, ssgw_sms_time *t)
{
    if (need(c, 7, field) < 0) return -1;
    const uint8_t *p = c->b + c->pos;
    uint8_t *dst[6] = {&t->year, &t->month, &t->day, &t->hour, &t->minute, &t->second};
    for (int i = 0; i < 6; i++)
        if (bcd2(c, p[i], field, c->pos + (size_t)i, dst[i]) < 0) return -1;
    uint8_t q = 0;
    /* time zone: bit 3 of the first (low) semi-octet is the sign */
    if (bcd2(c, (uint8_t)(p[6] & 0xf7), field, c->pos + 6, &q) < 0) return -1;
    t->tz_quarters = (p[6] & 0x08) ? -(int)q : (int)q;
    c->pos += 7;
    return 0;
}

static int address(cur *c, const char *field, ssgw_sms_addr *a)
{
    static const char digits[] = "0123456789*#abc";
    size_t at = c->pos;
    if (need(c, 2, field) < 0) return -1;
    size_t n = c->b[c->pos], toa = c->b[c->pos + 1];
    if (n > 20) return fail(c, SSGW_E_BAD_LENGTH, field, at);
    c->pos += 2;
    size_t octets = (n + 1) / 2;
    if (need(c, octets, field) < 0) return -1;
    const uint8_t *v = c->b + c->pos;
    a->present = true;
    a->ton = (uint8_t)((toa >> 4) & 7);
    a->npi = (uint8_t)(toa & 15);
    a->alphanumeric = a->ton == 5;
    if (a->alphanumeric) {
        /* TS 23.040 9.1.2.5: GSM 7-bit characters, the length counts semi-octets */
        if (ssgw_gsm7_unpack_septets(v, octets, 0, n * 4 / 7, a->text, sizeof a->text) < 0)
            return fail(c, SSGW_E_BAD_VALUE, field, c->pos);
    } else {
        for (size_t i = 0; i < n; i++) {
            uint8_t d = (i & 1) ? v[i / 2] >> 4 : v[i / 2] & 15;
            if (d == 15) return fail(c, SSGW_E_BAD_VALUE, field, c->pos + i / 2);
            a->text[i] = digits[d];
        }
        a->text[n] = '\0';
    }
    c->pos += octets;
    return 0;
}

/* Known information elements: their fixed lengths, and what they say. */
static int header(cur *c, ssgw_sms_tpdu *t, const uint8_t *h, size_t hlen, size_t base)
{
    size_t i = 0;
    while (i < hlen) {
        if (i + 2 > hlen) return fail(c, SSGW_E_BAD_LENGTH, "TP-UDH", base + i);
        uint8_t iei = h[i], l = h[i + 1];
        const uint8_t *d = h + i + 2;
        if (i + 2 + l > hlen) return fail(c, SSGW_E_BAD_LENGTH, "TP-UDH", base + i + 1);
        if (t->n_ie < SSGW_SMS_MAX_IE) t->ie[t->n_ie] = iei;
        t->n_ie++;
        int want = iei == 0x00 ? 3 : iei == 0x08 ? 4 : iei == 0x04 ? 2 : iei == 0x05 ? 4 : -1;
        if (want >= 0 && l != want) return fail(c, SSGW_E_BAD_LENGTH, "TP-UDH", base + i + 1);
        /* a repeated element: its last occurrence is the one a receiver uses (TS 23.040
         * 9.2.3.24), so a later one overrides an earlier one */
        if ((iei == 0x00 || iei == 0x08) && t->n_concat < 255) t->n_concat++;
        if (iei == 0x00 || iei == 0x08) {
            t->concat = true;
            t->concat_ref_bits = iei == 0x00 ? 8 : 16;
            t->concat_ref = iei == 0x00 ? d[0] : (uint16_t)(d[0] << 8 | d[1]);
            t->concat_total = d[l - 2];
            t->concat_seq = d[l - 1];
        } else if (iei == 0x04 || iei == 0x05) {
            t->ports = true;
            t->port_bits = iei == 0x04 ? 8 : 16;
            t->dst_port = iei == 0x04 ? d[0] : (uint16_t)(d[0] << 8 | d[1]);
            t->src_port = iei == 0x04 ? d[1] : (uint16_t)(d[2] << 8 | d[3]);
        }
        i += 2u + l;
    }
    return 0;
}

/* TP-UDL and TP-UD, which end the TPDU. */
static int user_data(cur *c, ssgw_sms_tpdu *t)
{
    size_t at = c->pos;
    if (u8(c, "TP-UDL", &t->udl) < 0) return -1;
    ssgw_sms_dcs d;
    ssgw_sms_dcs_decode(t->dcs < 0 ? 0 : (uint8_t)t->dcs, &d);
    bool septets = d.alphabet == SSGW_SMS_GSM7 && !d.compressed;
    size_t udl = (size_t)t->udl;
    if (udl > (septets ? 160u : 140u)) return fail(c, SSGW_E_BAD_LENGTH, "TP-UDL", at);
    size_t octets = septets ? (udl * 7 + 7) / 8 : udl;
    if (c->len - c->pos < octets) return fail(c, SSGW_E_TRUNCATED, "TP-UD", c->pos);
    if (c->len - c->pos > octets) return fail(c, SSGW_E_BAD_LENGTH, "TP-UDL", at);
    t->ud = c->b + c->pos;
    t->ud_len = octets;
    size_t hoct = 0; /* header octets, its length octet included */
    if (t->udhi) {
        if (octets < 1) return fail(c, SSGW_E_TRUNCATED, "TP-UDHL", c->pos);
        hoct = (size_t)t->ud[0] + 1;
        if (hoct > octets || (septets && hoct * 8 > udl * 7))
            return fail(c, SSGW_E_BAD_LENGTH, "TP-UDHL", c->pos);
        if (header(c, t, t->ud + 1, hoct - 1, c->pos + 1) < 0) return -1;
    }
    if (septets) {
        t->text_first = (hoct * 8 + 6) / 7; /* after the fill bits */
        t->text_count = udl - t->text_first;
    } else {
        t->text_first = hoct;
        t->text_count = octets - hoct;
        if (d.alphabet == SSGW_SMS_UCS2 && !d.compressed && t->text_count % 2)
            return fail(c, SSGW_E_BAD_LENGTH, "TP-UD", c->pos + hoct);
    }
    c->pos += octets;
    return 0;
}

/* TP-PI and the optional fields it announces (reports, TS 23.040 9.2.3.27). */
static int by_pi(cur *c, ssgw_sms_tpdu *t, bool then_scts)
{
    if (u8(c, "TP-PI", &t->pi) < 0) return -1;
    int ext = t->pi;
    while (ext & 0x80) /* further TP-PI octets: reserved bits only */
        if (u8(c, "TP-PI", &ext) < 0) return -1;
    if (then_scts) {
        t->has_scts = true;
        if (time7(c, "TP-SCTS", &t->scts) < 0) return -1;
    }
    if ((t->pi & 1) && u8(c, "TP-PID", &t->pid) < 0) return -1;
    if ((t->pi & 2) && u8(c, "TP-DCS", &t->dcs) < 0) return -1;
    if (t->pi & 4) return user_data(c, t);
    if (c->pos != c->len) return fail(c, SSGW_E_BAD_LENGTH, "TP-PI", c->pos);
    return 0;
}

void ssgw_sms_tpdu_init(ssgw_sms_tpdu *t, ssgw_sms_type type)
{
    memset(t, 0, sizeof *t);
    t->type = type;
    t->mr = t->pid = t->st = t->fcs = t->pi = t->vpf = t->vp_relative = -1;
    t->ct = t->mn = t->udl = -1;
    t->dcs = 0;
    ssgw_sms_dcs_decode(0, &t->dcs_info);
}

static int decode_body(cur *c, ssgw_sms_tpdu *t)
{
    uint8_t fo = t->first_octet;
    int v;
    switch (t->type) {
    case SSGW_SMS_DELIVER:
        t->mms = fo & 0x04;
        t->lp = fo & 0x08;
        t->sri = fo & 0x20;
        if (address(c, "TP-OA", &t->oa) < 0 || u8(c, "TP-PID", &t->pid) < 0 ||
            u8(c, "TP-DCS", &t->dcs) < 0)
            return -1;
        t->has_scts = true;
        if (time7(c, "TP-SCTS", &t->scts) < 0) return -1;
        return user_data(c, t);
    case SSGW_SMS_SUBMIT:
        t->rd = fo & 0x04;
        t->vpf = (fo >> 3) & 3;
        t->srr = fo & 0x20;
        if (u8(c, "TP-MR", &t->mr) < 0 || address(c, "TP-DA", &t->da) < 0 ||
            u8(c, "TP-PID", &t->pid) < 0 || u8(c, "TP-DCS", &t->dcs) < 0)
            return -1;
        if (t->vpf == 2 && u8(c, "TP-VP", &t->vp_relative) < 0) return -1;
        if (t->vpf == 3 && time7(c, "TP-VP", &t->vp_absolute) < 0) return -1;
        if (t->vpf == 1) { /* enhanced format: 7 octets, kept unread */
            if (need(c, 7, "TP-VP") < 0) return -1;
            c->pos += 7;
        }
        return user_data(c, t);
    case SSGW_SMS_STATUS_REPORT:
        t->mms = fo & 0x04;
        t->lp = fo & 0x08;
        t->srq = fo & 0x20;
        if (u8(c, "TP-MR", &t->mr) < 0 || address(c, "TP-RA", &t->ra) < 0) return -1;
        t->has_scts = t->has_dt = true;
        if (time7(c, "TP-SCTS", &t->scts) < 0 || time7(c, "TP-DT", &t->dt) < 0 ||
            u8(c, "TP-ST", &t->st) < 0)
            return -1;
        return c->pos == c->len ? 0 : by_pi(c, t, false);
    case SSGW_SMS_DELIVER_REPORT:
    case SSGW_SMS_SUBMIT_REPORT:
        /* RP-ERROR reports start with TP-FCS (0x80..0xff); TP-PI has bit 7 clear */
        if (need(c, 1, "TP-PI") < 0) return -1;
        if ((c->b[c->pos] & 0x80) && u8(c, "TP-FCS", &t->fcs) < 0) return -1;
        return by_pi(c, t, t->type == SSGW_SMS_SUBMIT_REPORT);
    case SSGW_SMS_COMMAND:
        t->srr = fo & 0x20;
        if (u8(c, "TP-MR", &t->mr) < 0 || u8(c, "TP-PID", &t->pid) < 0 ||
            u8(c, "TP-CT", &t->ct) < 0 || u8(c, "TP-MN", &t->mn) < 0 ||
            address(c, "TP-DA", &t->da) < 0 || u8(c, "TP-CDL", &v) < 0)
            return -1;
        if ((size_t)v != c->len - c->pos)
            return fail(c, v > (int)(c->len - c->pos) ? SSGW_E_TRUNCATED : SSGW_E_BAD_LENGTH,
                        "TP-CDL", c->pos - 1);
        t->ud = c->b + c->pos;
        t->ud_len = (size_t)v;
        c->pos = c->len;
        return 0;
    default:
        return fail(c, SSGW_E_BAD_VALUE, "TP-MTI", 0);
    }
}

int ssgw_sms_decode(const uint8_t *buf, size_t len, ssgw_sms_dir dir, ssgw_sms_tpdu *t,
                    ssgw_error *err)
{
    static const ssgw_sms_type to_ms[3] = {SSGW_SMS_DELIVER, SSGW_SMS_SUBMIT_REPORT,
                                           SSGW_SMS_STATUS_REPORT};
    static const ssgw_sms_type from_ms[3] = {SSGW_SMS_DELIVER_REPORT, SSGW_SMS_SUBMIT,
                                             SSGW_SMS_COMMAND};
    cur c = {buf, len, 0, err};
    ssgw_sms_tpdu_init(t, SSGW_SMS_DELIVER);
    t->dcs = -1;
    if (len < 1) return fail(&c, SSGW_E_TRUNCATED, "TP-MTI", 0);
    uint8_t fo = buf[0];
    if ((fo & 3) == 3) return fail(&c, SSGW_E_BAD_VALUE, "TP-MTI", 0);
    t->type = dir == SSGW_SMS_FROM_MS ? from_ms[fo & 3] : to_ms[fo & 3];
    t->first_octet = fo;
    t->udhi = fo & 0x40;
    t->rp = (t->type == SSGW_SMS_DELIVER || t->type == SSGW_SMS_SUBMIT) && (fo & 0x80);
    c.pos = 1;
    int r = decode_body(&c, t);
    if (t->dcs >= 0) ssgw_sms_dcs_decode((uint8_t)t->dcs, &t->dcs_info);
    if (r == 0 && c.pos != len) return fail(&c, SSGW_E_BAD_LENGTH, "TPDU", c.pos);
    return r;
}

static size_t count_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80) n++;
    return n;
}

int ssgw_sms_text(const ssgw_sms_tpdu *t, char *out, size_t outcap, size_t *chars)
{
    if (chars) *chars = 0;
    if (outcap) out[0] = '\0';
    if (!t->ud || t->udl < 0 || t->type == SSGW_SMS_COMMAND) return 0;
    const ssgw_sms_dcs *d = &t->dcs_info;
    if (d->compressed || d->alphabet == SSGW_SMS_8BIT) return -1;
    int n;
    if (d->alphabet == SSGW_SMS_GSM7)
        n = ssgw_gsm7_unpack_septets(t->ud, t->ud_len, t->text_first, t->text_count, out, outcap);
    else
        n = ssgw_utf16_to_utf8(t->ud + t->text_first, t->text_count, out, outcap);
    if (n >= 0 && chars) *chars = count_chars(out);
    return n;
}
