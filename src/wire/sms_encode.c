/*
 * sms_encode.c - builds SMS TPDUs (3GPP TS 23.040 clause 9.2): SMS-DELIVER, SMS-SUBMIT,
 * SMS-STATUS-REPORT and the two RP-ACK / RP-ERROR reports, with the user data header
 * (concatenation, application ports) and the text packed for the alphabet of the DCS.
 * See include/ssgw/sms.h; the decoder (sms_tpdu.c) reads back exactly what is written.
 */
#include <string.h>

#include "ssgw/gsm7.h"
#include "ssgw/sms.h"

static int fail(ssgw_error *err, ssgw_errcode code, const char *field, size_t off)
{
    return ssgw_fail(err, SSGW_LAYER_SMS, code, field, off);
}

static int put_address(ssgw_buf *b, const ssgw_sms_addr *a, const char *field, ssgw_error *err)
{
    uint8_t v[12] = {0};
    size_t semi, octets;
    uint8_t ton = a->alphanumeric ? 5 : (uint8_t)(a->ton & 7);
    if (ton == 5) {
        size_t ns;
        int sept = ssgw_gsm7_septets(a->text);
        if (sept < 0 || sept > 11) return fail(err, SSGW_E_BAD_VALUE, field, b->len);
        int n = ssgw_gsm7_pack_septets(a->text, v, sizeof v, 0, &ns);
        if (n < 0) return fail(err, SSGW_E_BAD_VALUE, field, b->len);
        semi = (ns * 7 + 3) / 4;
        octets = (size_t)n;
    } else {
        static const char digits[] = "0123456789*#abc";
        semi = strlen(a->text);
        if (semi > 20) return fail(err, SSGW_E_BAD_LENGTH, field, b->len);
        for (size_t i = 0; i < semi; i++) {
            const char *p = strchr(digits, a->text[i]);
            if (!p || !a->text[i]) return fail(err, SSGW_E_BAD_VALUE, field, b->len);
            uint8_t d = (uint8_t)(p - digits);
            v[i / 2] |= (i & 1) ? (uint8_t)(d << 4) : d;
        }
        if (semi & 1) v[semi / 2] |= 0xf0;
        octets = (semi + 1) / 2;
    }
    ssgw_buf_put_u8(b, (uint8_t)semi);
    ssgw_buf_put_u8(b, (uint8_t)(0x80 | ton << 4 | (a->npi & 15)));
    ssgw_buf_put(b, v, octets);
    return 0;
}

static void put_time(ssgw_buf *b, const ssgw_sms_time *t)
{
    const uint8_t f[6] = {t->year, t->month, t->day, t->hour, t->minute, t->second};
    for (int i = 0; i < 6; i++)
        ssgw_buf_put_u8(b, (uint8_t)((f[i] / 10) | (f[i] % 10) << 4));
    int q = t->tz_quarters < 0 ? -t->tz_quarters : t->tz_quarters;
    ssgw_buf_put_u8(b, (uint8_t)((q / 10) | (q % 10) << 4 | (t->tz_quarters < 0 ? 0x08 : 0)));
}

/* The user data header of t (its length octet included) into h; returns its octets. */
static size_t build_header(const ssgw_sms_tpdu *t, uint8_t *h)
{
    size_t n = 1;
    if (t->concat && t->concat_ref_bits == 16) {
        const uint8_t ie[] = {
            0x08,         4, (uint8_t)(t->concat_ref >> 8), (uint8_t)t->concat_ref, t->concat_total,
            t->concat_seq};
        memcpy(h + n, ie, sizeof ie);
        n += sizeof ie;
    } else if (t->concat) {
        const uint8_t ie[] = {0x00, 3, (uint8_t)t->concat_ref, t->concat_total, t->concat_seq};
        memcpy(h + n, ie, sizeof ie);
        n += sizeof ie;
    }
    if (t->ports && t->port_bits == 8) {
        const uint8_t ie[] = {0x04, 2, (uint8_t)t->dst_port, (uint8_t)t->src_port};
        memcpy(h + n, ie, sizeof ie);
        n += sizeof ie;
    } else if (t->ports) {
        const uint8_t ie[] = {0x05,
                              4,
                              (uint8_t)(t->dst_port >> 8),
                              (uint8_t)t->dst_port,
                              (uint8_t)(t->src_port >> 8),
                              (uint8_t)t->src_port};
        memcpy(h + n, ie, sizeof ie);
        n += sizeof ie;
    }
    if (n == 1) return 0;
    h[0] = (uint8_t)(n - 1);
    return n;
}

/* TP-UDL and TP-UD for the DCS: header, then the body in its alphabet. */
static int put_user_data(ssgw_buf *b, const ssgw_sms_tpdu *t, uint8_t dcs, const uint8_t *body,
                         size_t body_len, ssgw_error *err)
{
    uint8_t ud[140];
    memset(ud, 0, sizeof ud);
    size_t hoct = build_header(t, ud), udl, octets;
    ssgw_sms_dcs d;
    ssgw_sms_dcs_decode(dcs, &d);
    if (d.alphabet != SSGW_SMS_8BIT && !d.compressed) {
        char text[SSGW_SMS_TEXT_CAP];
        if (body_len >= sizeof text) return fail(err, SSGW_E_TOO_BIG, "TP-UD", b->len);
        if (body_len) memcpy(text, body, body_len);
        text[body_len] = '\0';
        if (d.alphabet == SSGW_SMS_GSM7) {
            size_t first = (hoct * 8 + 6) / 7, ns;
            int need = ssgw_gsm7_septets(text);
            if (need < 0) return fail(err, SSGW_E_BAD_VALUE, "TP-UD", b->len);
            if (first + (size_t)need > 160) return fail(err, SSGW_E_TOO_BIG, "TP-UD", b->len);
            if (ssgw_gsm7_pack_septets(text, ud, sizeof ud, first, &ns) < 0)
                return fail(err, SSGW_E_BAD_VALUE, "TP-UD", b->len);
            udl = first + ns;
            octets = (udl * 7 + 7) / 8;
        } else {
            int n = ssgw_utf8_to_utf16(text, ud + hoct, sizeof ud - hoct);
            if (n < 0) return fail(err, SSGW_E_TOO_BIG, "TP-UD", b->len);
            udl = octets = hoct + (size_t)n;
        }
    } else {
        if (hoct + body_len > sizeof ud) return fail(err, SSGW_E_TOO_BIG, "TP-UD", b->len);
        if (body_len) memcpy(ud + hoct, body, body_len);
        udl = octets = hoct + body_len;
    }
    ssgw_buf_put_u8(b, (uint8_t)udl);
    ssgw_buf_put(b, ud, octets);
    return 0;
}

static int u8_of(int v)
{
    return v < 0 ? 0 : v & 0xff;
}

int ssgw_sms_encode(ssgw_buf *out, const ssgw_sms_tpdu *t, const uint8_t *body, size_t body_len,
                    ssgw_error *err)
{
    uint8_t h[16];
    bool udhi = build_header(t, h) > 0;
    bool has_ud = udhi || body_len > 0;
    uint8_t dcs = (uint8_t)u8_of(t->dcs);
    uint8_t fo = udhi ? 0x40 : 0;
    size_t start = out->len;
    switch (t->type) {
    case SSGW_SMS_DELIVER:
        fo |= (uint8_t)(0x00 | (t->mms ? 0x04 : 0) | (t->lp ? 0x08 : 0) | (t->sri ? 0x20 : 0) |
                        (t->rp ? 0x80 : 0));
        ssgw_buf_put_u8(out, fo);
        if (put_address(out, &t->oa, "TP-OA", err) < 0) return -1;
        ssgw_buf_put_u8(out, (uint8_t)u8_of(t->pid));
        ssgw_buf_put_u8(out, dcs);
        put_time(out, &t->scts);
        if (put_user_data(out, t, dcs, body, body_len, err) < 0) return -1;
        break;
    case SSGW_SMS_SUBMIT: {
        int vpf = t->vpf < 0 ? 0 : t->vpf & 3;
        if (vpf == 1) return fail(err, SSGW_E_UNSUPPORTED, "TP-VPF", start);
        fo |= (uint8_t)(0x01 | (t->rd ? 0x04 : 0) | vpf << 3 | (t->srr ? 0x20 : 0) |
                        (t->rp ? 0x80 : 0));
        ssgw_buf_put_u8(out, fo);
        ssgw_buf_put_u8(out, (uint8_t)u8_of(t->mr));
        if (put_address(out, &t->da, "TP-DA", err) < 0) return -1;
        ssgw_buf_put_u8(out, (uint8_t)u8_of(t->pid));
        ssgw_buf_put_u8(out, dcs);
        if (vpf == 2) ssgw_buf_put_u8(out, (uint8_t)u8_of(t->vp_relative));
        if (vpf == 3) put_time(out, &t->vp_absolute);
        if (put_user_data(out, t, dcs, body, body_len, err) < 0) return -1;
        break;
    }
    case SSGW_SMS_STATUS_REPORT:
    case SSGW_SMS_DELIVER_REPORT:
    case SSGW_SMS_SUBMIT_REPORT: {
        bool sr = t->type == SSGW_SMS_STATUS_REPORT;
        uint8_t mti = t->type == SSGW_SMS_STATUS_REPORT ? 2 : t->type == SSGW_SMS_SUBMIT_REPORT;
        if (sr) fo |= (uint8_t)((t->mms ? 0x04 : 0) | (t->lp ? 0x08 : 0) | (t->srq ? 0x20 : 0));
        ssgw_buf_put_u8(out, (uint8_t)(fo | mti));
        if (sr) {
            ssgw_buf_put_u8(out, (uint8_t)u8_of(t->mr));
            if (put_address(out, &t->ra, "TP-RA", err) < 0) return -1;
            put_time(out, &t->scts);
            put_time(out, &t->dt);
            ssgw_buf_put_u8(out, (uint8_t)u8_of(t->st));
        } else if (t->fcs >= 0) {
            ssgw_buf_put_u8(out, (uint8_t)(0x80 | t->fcs));
        }
        uint8_t pi = (uint8_t)((t->pid >= 0 ? 1 : 0) | (has_ud ? 6 : 0));
        if (!sr || pi) ssgw_buf_put_u8(out, pi);
        if (t->type == SSGW_SMS_SUBMIT_REPORT) put_time(out, &t->scts);
        if (pi & 1) ssgw_buf_put_u8(out, (uint8_t)t->pid);
        if (pi & 2) ssgw_buf_put_u8(out, dcs);
        if ((pi & 4) && put_user_data(out, t, dcs, body, body_len, err) < 0) return -1;
        break;
    }
    default:
        return fail(err, SSGW_E_UNSUPPORTED, "TP-MTI", start);
    }
    if (out->overflow) return fail(err, SSGW_E_TOO_BIG, "TPDU", out->len);
    return 0;
}
