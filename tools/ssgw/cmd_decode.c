/*
 * cmd_decode.c - `ssgw decode`: one record per SS7 or Diameter message in a capture.
 *
 * Reads pcap/pcapng through the capture layer, decodes each message with the
 * same ssgw_decoder the analyzer and the gateway use, and prints either JSON
 * lines (--json, keys in docs/fields.md) or one readable line per message.
 * The text of short messages is private and printed only with --sms-text.
 * Undecodable messages produce a record with `error`; nothing is skipped
 * silently. Exit status: 0 when the file was read to the end, 1 when it could
 * not be opened or read, 2 on a usage error.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "cmd.h"
#include "ssgw/file.h"
#include "ssgw/json.h"
#include "ssgw/record.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ssgw decode [--json] [--stats] [--limit N] [--sms-text] CAPTURE\n"
            "\n"
            "Decodes every SS7 message (M3UA over SCTP or TCP, MTP3, SCCP, TCAP, MAP and the\n"
            "SMS TPDU it carries, ISUP) and every Diameter message (S6a/S6d and the base\n"
            "protocol, over SCTP or TCP) in a pcap or pcapng capture and prints one record\n"
            "per message; also M2PA, M2UA and SUA over SCTP, CAP, SCCP management and ANSI\n"
            "TCAP (ANSI-41).\n"
            "\n"
            "  --json      JSON lines; keys are listed in docs/fields.md\n"
            "  --stats     print totals (messages, errors per layer, skipped frames) to stderr\n"
            "  --limit N   stop after N records\n"
            "  --sms-text  also print the text of short messages (sms_text). Without it a\n"
            "              record shows only the text's length: message text is private\n"
            "  -h, --help  this text\n"
            "\n"
            "Link types: Ethernet, Linux cooked (SLL, SLL2), raw IPv4/IPv6, MTP3 (141),\n"
            "MTP2 (140; 139 with pseudo-header), Wireshark exported PDU (252). Messages\n"
            "that do not decode get a record\n"
            "with `error` naming the layer, the field and the byte offset.\n");
}

/* ---- output: lines built straight into one block, written when it fills ------------ */

/* The text line is written for every message, so it is built without printf, straight into
 * the output block, and lines go out in 64 KiB writes (one fwrite per line was ~150
 * instructions a message). On a terminal every line is written as it is made.
 *
 * Every piece is put at p, the line's cursor, which each function below takes and returns:
 * in a local it stays in a register, where a cursor in a struct reached through a pointer is
 * loaded again after every octet stored (a char store may alias it). The line's text stops
 * at end: a piece that does not fit before it is cut, as snprintf would. The functions take
 * lim = end - SLACK instead of end: while p <= lim, any piece of at most SLACK octets fits,
 * so a piece costs one compare of p with lim, not a subtraction and a compare (measured:
 * ~2 instructions a piece, ~25 pieces a line); the rare piece that may not fit is put by
 * put_cut, against end. Names come from memos keyed by their index in the wire tables, with
 * their separators and lengths. */
/* A line's text is cut here (then its '\n'). Tests build the tool with a small limit too
 * (tests/golden/test_line_cut.py): its lines must be the first octets of the full ones. */
#ifndef SSGW_DECODE_LINE_MAX
#define SSGW_DECODE_LINE_MAX 2047
#endif
#define LINE_MAX_TEXT SSGW_DECODE_LINE_MAX
#define OUT_CAP       (1u << 16)
static char out_buf[OUT_CAP];
static size_t out_n;
static bool out_each_line;

#define INLINE static inline __attribute__((always_inline))

/* The block goes straight to the descriptor: through fwrite, a block of 64 KiB was two
 * write(2)s, a stdio block's worth copied into its buffer and written after the rest
 * (measured, strace -c: 852 writes for 200,000 lines, now 426). Nothing else of the command
 * goes to stdout. After a write fails nothing more is written, and the command ends with
 * the error (out_err) and exit status 1. */
static int out_err;
static void out_flush(void)
{
    if (!out_err) out_err = ssgw_write_all(STDOUT_FILENO, out_buf, out_n);
    out_n = 0;
}

/* Room for `need` more octets at out_buf + out_n, writing out what is there first. */
static inline char *out_room(size_t need)
{
    if (__builtin_expect(OUT_CAP - out_n < need, 0)) out_flush();
    return out_buf + out_n;
}

/* What a piece may write past p without a test while p <= lim: the largest fixed copy below
 * (a name memo's text, 48 octets) and more. The line's end is lim + SLACK. */
#define SLACK 64

/* The rare piece that may not fit (p > lim, or longer than SLACK): as much of it as fits
 * before the end of the line. p is never past the end. */
static __attribute__((noinline, cold)) char *put_cut(char *p, char *lim, const char *s, size_t k)
{
    size_t room = (size_t)(lim + SLACK - p);
    if (k > room) k = room;
    memcpy(p, s, k);
    return p + k;
}

/* k octets; with k a constant (a literal) the copy is a few moves, not a call. */
INLINE char *put_mem(char *p, char *lim, const char *s, size_t k)
{
    if (__builtin_expect(k > SLACK || p > lim, 0)) return put_cut(p, lim, s, k);
    memcpy(p, s, k);
    return p + k;
}

/* A string literal: its length is known to the compiler. */
#define put_lit(p, lim, lit) put_mem((p), (lim), "" lit, sizeof(lit) - 1)

/* k (<= 32) octets from s to d with fixed-size moves that overlap, not a call to memcpy. */
INLINE void copy_short(char *d, const char *s, size_t k)
{
    if (k >= 16) {
        memcpy(d, s, 16);
        memcpy(d + k - 16, s + k - 16, 16);
    } else if (k >= 8) {
        memcpy(d, s, 8);
        memcpy(d + k - 8, s + k - 8, 8);
    } else if (k >= 4) {
        memcpy(d, s, 4);
        memcpy(d + k - 4, s + k - 4, 4);
    } else if (k) {
        d[0] = s[0];
        d[k / 2] = s[k / 2];
        d[k - 1] = s[k - 1];
    }
}

/* k octets of text whose length varies (digits, decoded values). */
INLINE char *put_var(char *p, char *lim, const char *s, size_t k)
{
    _Static_assert(SLACK >= 32, "a short text fits while p <= lim");
    if (__builtin_expect(k > 32 || p > lim, 0)) return put_cut(p, lim, s, k);
    copy_short(p, s, k);
    return p + k;
}

/* A string whose text may change between calls. */
INLINE char *put_s(char *p, char *lim, const char *s)
{
    return put_var(p, lim, s, strlen(s));
}

/* The digits of a global title ("-" when none): the array's length is known, so the NUL
 * is found with three 16-octet compares within it rather than a call to strlen. */
INLINE char *put_gt(char *p, char *lim, const char d[SSGW_DIGITS_MAX + 1])
{
    if (!d[0]) return put_lit(p, lim, "-");
    return put_var(p, lim, d, ssgw_digits_len(d)); /* always <= SSGW_DIGITS_MAX: a string */
}

/* ---- names from the wire layer's constant tables ------------------------------------- */

/* A name with the separators around it ("pre name post") and its length, kept in a memo slot
 * chosen by the name's index in its table (a message type, an application context arc, an
 * opcode), so that the cost does not depend on where the linker put the strings. The slot
 * remembers which string it holds: a slot whose key can name several strings (an opcode
 * under MAP or under CAP) is made again when they differ. */
typedef struct {
    const char *src; /* the table's string; NULL: empty slot */
    char text[48];   /* pre name post, when it fits */
    uint8_t len;     /* NAME_LONG: it did not fit (then put from src) */
} name_memo;

#define NAME_LONG UINT8_MAX

static __attribute__((noinline)) void name_memo_fill(name_memo *e, const char *pre, const char *s,
                                                     const char *post)
{
    size_t a = strlen(pre), n = strlen(s), b = strlen(post);
    e->src = s;
    e->len = NAME_LONG;
    if (a + n + b > sizeof e->text) return;
    memcpy(e->text, pre, a);
    memcpy(e->text + a, s, n);
    memcpy(e->text + a + n, post, b);
    e->len = (uint8_t)(a + n + b);
}

static __attribute__((noinline, cold)) char *put_long_name(char *p, char *lim, const char *pre,
                                                           const char *s, const char *post)
{
    p = put_mem(p, lim, pre, strlen(pre));
    p = put_mem(p, lim, s, strlen(s));
    return put_mem(p, lim, post, strlen(post));
}

/* The whole text is copied (what lies beyond len is overwritten by the next piece or cut). */
INLINE char *put_memo(char *p, char *lim, const name_memo *e, const char *pre, const char *post)
{
    _Static_assert(SLACK >= sizeof e->text, "a memo's text fits while p <= lim");
    if (__builtin_expect(e->len > sizeof e->text || p > lim, 0))
        return put_long_name(p, lim, pre, e->src, post);
    memcpy(p, e->text, sizeof e->text);
    return p + e->len;
}

/* pre, the name s, post: held in slot `key` of memo[n]; put as they are when key is out of
 * range. */
INLINE char *put_name_at(char *p, char *lim, name_memo *memo, size_t n, size_t key, const char *pre,
                         const char *s, const char *post)
{
    if (__builtin_expect(key >= n, 0)) return put_long_name(p, lim, pre, s, post);
    name_memo *e = &memo[key];
    if (__builtin_expect(e->src != s, 0)) name_memo_fill(e, pre, s, post);
    return put_memo(p, lim, e, pre, post);
}

/* The names of enumerations (SCCP and TCAP message types, component types), after " | ":
 * the name is a function of the value, so the table is looked up once per value, not per
 * message. Evaluates to the new cursor. */
#define ENUM_NAME_SLOTS 32
#define put_enum_name(p, lim, value, name_fn)                                                      \
    ({                                                                                             \
        static name_memo memo_[ENUM_NAME_SLOTS];                                                   \
        size_t v_ = (size_t)(value);                                                               \
        __builtin_expect(v_ < ENUM_NAME_SLOTS && memo_[v_].src != NULL, 1)                         \
            ? put_memo((p), (lim), &memo_[v_], " | ", "")                                          \
            : put_name_at((p), (lim), memo_, ENUM_NAME_SLOTS, v_, " | ", name_fn(value), "");      \
    })

/* " " and the M3UA message's name: the decoder found its row in the message table. */
INLINE char *put_m3ua_name(char *p, char *lim, const ssgw_m3ua_msg *m)
{
    static name_memo memo[64];
    static const ssgw_m3ua_msg_spec *specs;
    if (!m->spec)
        return put_long_name(p, lim, " ", ssgw_m3ua_msg_name(m->msg_class, m->msg_type), "");
    if (__builtin_expect(!specs, 0)) {
        size_t n;
        specs = ssgw_m3ua_msg_specs(&n);
    }
    return put_name_at(p, lim, memo, 64, (size_t)(m->spec - specs), " ", m->spec->name, "");
}

/* ---- numbers ------------------------------------------------------------------------- */

/* Decimal v where fewer than 20 octets are left: as much as fits. */
static __attribute__((noinline, cold)) char *put_u_cut(char *p, char *lim, uint64_t v)
{
    char t[24];
    char *e = t + sizeof t, *d = ssgw_json_dec_u64(e, v);
    return put_mem(p, lim, d, (size_t)(e - d));
}

/* Decimal v: point codes, SSNs and SLSs have one to five digits, taken two at a time from a
 * table without counting them first. */
INLINE char *put_u(char *p, char *lim, uint64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
                                "31323334353637383940414243444546474849505152535455565758596061"
                                "62636465666768697071727374757677787980818283848586878889909192"
                                "93949596979899";
    _Static_assert(SLACK >= 20, "a 64-bit number fits while p <= lim");
    if (__builtin_expect(p > lim, 0)) return put_u_cut(p, lim, v);
    if (v < 10) {
        p[0] = (char)('0' + v);
        return p + 1;
    }
    if (v < 100) {
        memcpy(p, pairs + 2 * v, 2);
        return p + 2;
    }
    if (v < 10000) {
        uint32_t hi = (uint32_t)v / 100, lo = (uint32_t)v % 100;
        if (hi < 10) {
            p[0] = (char)('0' + hi);
            memcpy(p + 1, pairs + 2 * lo, 2);
            return p + 3;
        }
        memcpy(p, pairs + 2 * hi, 2);
        memcpy(p + 2, pairs + 2 * lo, 2);
        return p + 4;
    }
    if (v < 100000) {
        uint32_t hi = (uint32_t)v / 10000, mid = (uint32_t)v / 100 % 100, lo = (uint32_t)v % 100;
        p[0] = (char)('0' + hi);
        memcpy(p + 1, pairs + 2 * mid, 2);
        memcpy(p + 3, pairs + 2 * lo, 2);
        return p + 5;
    }
    size_t k = ssgw_json_dec_len(v);
    ssgw_json_dec_u64(p + k, v);
    return p + k;
}

static char *put_i(char *p, char *lim, int64_t v)
{
    if (v < 0) p = put_lit(p, lim, "-");
    return put_u(p, lim, v < 0 ? 0ull - (uint64_t)v : (uint64_t)v);
}

/* The frame number, right-aligned in six characters, at the start of a line: frames come one
 * after the other, so the last one's text is counted up in place and formatted afresh only
 * after a gap. */
INLINE char *put_frame(char *p, char *lim, uint64_t frame)
{
    static uint64_t last = UINT64_MAX;
    static char text[8];
    if (frame == last + 1 && frame <= 999999 && last != UINT64_MAX) {
        int i = 5;
        while (text[i] == '9')
            text[i--] = '0';
        text[i] = text[i] == ' ' ? '1' : (char)(text[i] + 1);
    } else if (frame <= 999999) {
        memcpy(text, "      ", 6);
        ssgw_json_dec_u64(text + 6, frame);
    } else {
        last = UINT64_MAX; /* seven digits and more: no in-place count */
        return put_u(p, lim, frame);
    }
    last = frame;
    memcpy(p, text, 8); /* a line starts with LINE_MAX_TEXT of room; two are overwritten */
    return p + 6;
}

/* " key=value" of the rarer layers (SMS, ISUP, Diameter, CAP) */
static char *put_kv(char *p, char *lim, const char *key, const char *val)
{
    p = put_lit(p, lim, " ");
    p = put_s(p, lim, key);
    p = put_lit(p, lim, "=");
    return put_s(p, lim, val);
}

/* " key=" of each MAP field, made once: the MAP fields are most of a line's pieces. */
typedef struct {
    size_t len; /* 0: not made yet, or too long for text (then put_kv) */
    char text[32];
} map_key_text;

/* " key=" of MAP field f. */
INLINE char *put_map_key(char *p, char *lim, ssgw_map_field f)
{
    static map_key_text keys[SSGW_MAP_F_COUNT];
    static bool made;
    if (__builtin_expect(!made, 0)) {
        for (int i = 0; i < SSGW_MAP_F_COUNT; i++) {
            size_t n;
            const char *k = ssgw_map_field_key((ssgw_map_field)i, &n);
            if (n + 2 > sizeof keys[i].text) continue;
            keys[i].text[0] = ' ';
            memcpy(keys[i].text + 1, k, n);
            keys[i].text[n + 1] = '=';
            keys[i].len = n + 2;
        }
        made = true;
    }
    const map_key_text *k = &keys[f];
    _Static_assert(SLACK >= sizeof k->text, "a key's text fits while p <= lim");
    if (__builtin_expect(!k->len || p > lim, 0)) {
        p = put_lit(p, lim, " ");
        p = put_s(p, lim, ssgw_map_field_name(f));
        return put_lit(p, lim, "=");
    }
    memcpy(p, k->text, sizeof k->text); /* beyond len: overwritten or cut */
    return p + k->len;
}

static char *put_hex8(char *p, char *lim, uint32_t v)
{
    static const char hex[] = "0123456789abcdef";
    char t[8];
    for (int i = 7; i >= 0; i--, v >>= 4)
        t[i] = hex[v & 15];
    return put_mem(p, lim, t, 8);
}

/* ---- the line ------------------------------------------------------------------------ */

INLINE char *text_sccp(char *p, char *lim, const ssgw_view *v)
{
    const ssgw_sccp_msg *s = &v->sccp;
    if (v->has_sua)
        p = put_lit(p, lim, " | sua");
    else
        p = put_enum_name(p, lim, s->type, ssgw_sccp_msg_type_name);
    p = put_lit(p, lim, " ");
    p = put_gt(p, lim, s->calling.digits);
    p = put_lit(p, lim, "/");
    p = put_u(p, lim, s->calling.ssn);
    p = put_lit(p, lim, " > ");
    p = put_gt(p, lim, s->called.digits);
    p = put_lit(p, lim, "/");
    p = put_u(p, lim, s->called.ssn);
    if (v->reasm == SSGW_VIEW_REASM_PENDING) p = put_lit(p, lim, " (segment, reassembly pending)");
    return p;
}

static char *text_sms(char *p, char *lim, const ssgw_sms_tpdu *s, bool sms_text)
{
    p = put_lit(p, lim, " | sms-");
    p = put_s(p, lim, ssgw_sms_type_name(s->type));
    if (s->oa.present) p = put_kv(p, lim, "oa", s->oa.text);
    if (s->da.present) p = put_kv(p, lim, "da", s->da.text);
    if (s->ra.present) p = put_kv(p, lim, "ra", s->ra.text);
    char text[SSGW_SMS_TEXT_CAP];
    size_t chars;
    if (s->ud && ssgw_sms_text(s, text, sizeof text, &chars) >= 0) {
        if (sms_text) {
            p = put_lit(p, lim, " text=\"");
            p = put_s(p, lim, text);
            p = put_lit(p, lim, "\"");
        } else {
            p = put_lit(p, lim, " text=");
            p = put_u(p, lim, chars);
            p = put_lit(p, lim, " chars");
        }
    }
    return p;
}

static char *text_cap_fields(char *p, char *lim, ssgw_view *v)
{
    char tmp[SSGW_MAP_USSD_CAP + 8];
    ssgw_view_cap(v);
    for (int f = 0; f < SSGW_CAP_F_COUNT; f++) {
        const char *val = ssgw_cap_field_get(&v->cap, (ssgw_cap_field)f, tmp, sizeof tmp);
        if (val && val[0]) p = put_kv(p, lim, ssgw_cap_field_name((ssgw_cap_field)f), val);
    }
    return p;
}

/* Where the text of each MAP field is, found once by asking ssgw_map_field_get of a struct
 * whose every string member is set: 1 + the offset of the member it returns (the text is that
 * member, and the field absent when it is empty, as ssgw_map_field_get says), or 0 for a
 * field whose text it makes (numbers, names): those are asked for each time. A field put
 * from its member costs no call and no switch (measured: ~20 instructions a field). */
static uint16_t map_text_at[SSGW_MAP_F_COUNT];

static __attribute__((noinline, cold)) void map_text_find(void)
{
    static ssgw_map_fields probe;
    ssgw_map_fields_init(&probe);
    char *b = (char *)&probe;
    char tmp[SSGW_MAP_USSD_CAP + 8];
    /* every string member set, to its last octet */
    memset(probe.imsi, '1', sizeof probe.imsi - 1);
    ssgw_map_addr *addrs[] = {
        &probe.msisdn,         &probe.vlr_number,   &probe.msc_number,
        &probe.hlr_number,     &probe.sgsn_number,  &probe.gsmscf_address,
        &probe.gmsc_address,   &probe.smsc_address, &probe.forwarded_to_number,
        &probe.roaming_number, &probe.mlc_number};
    for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++)
        memset(addrs[i]->digits, '1', sizeof addrs[i]->digits - 1);
    memset(probe.lmsi, 'a', sizeof probe.lmsi - 1);
    memset(probe.tmsi, 'a', sizeof probe.tmsi - 1);
    memset(probe.imei, '1', sizeof probe.imei - 1);
    memset(probe.ss_code, 'f', sizeof probe.ss_code - 1); /* "ff": no name */
    memset(probe.ussd_string, 'a', sizeof probe.ussd_string - 1);
    memset(probe.cell_id, 'a', sizeof probe.cell_id - 1);
    memset(probe.mcc, '1', sizeof probe.mcc - 1);
    memset(probe.mnc, '1', sizeof probe.mnc - 1);
    memset(probe.requested_info, 'a', sizeof probe.requested_info - 1);
    memset(probe.subscriber_state, 'a', sizeof probe.subscriber_state - 1);
    for (int f = 0; f < SSGW_MAP_F_COUNT; f++) {
        const char *s = ssgw_map_field_get(&probe, (ssgw_map_field)f, tmp, sizeof tmp);
        if (s >= b && s < b + sizeof probe) map_text_at[f] = (uint16_t)(s - b + 1);
    }
    _Static_assert(sizeof(ssgw_map_fields) < UINT16_MAX, "offsets fit");
}

/* " key=value" of every field the decoder set, in field order. */
INLINE char *text_map_fields(char *p, char *lim, const ssgw_map_fields *m)
{
    static bool found;
    if (__builtin_expect(!found, 0)) {
        map_text_find();
        found = true;
    }
    char tmp[SSGW_MAP_USSD_CAP + 8];
    for (uint32_t set = m->present; set; set &= set - 1) { /* as decoded */
        ssgw_map_field f = (ssgw_map_field)__builtin_ctz(set);
        if (f == SSGW_MAP_F_MSISDN_NAI || f == SSGW_MAP_F_MSISDN_NPI) {
            /* the MSISDN's nature and plan, numbers in an octet: in decimal while there is an
             * MSISDN, as ssgw_map_field_get gives them */
            if (!m->msisdn.digits[0]) continue;
            p = put_map_key(p, lim, f);
            p = put_u(p, lim, f == SSGW_MAP_F_MSISDN_NAI ? m->msisdn.nai : m->msisdn.npi);
            continue;
        }
        size_t at = map_text_at[f];
        const char *val = at ? (const char *)m + at - 1 : ssgw_map_field_get(m, f, tmp, sizeof tmp);
        if (val && val[0]) p = put_s(put_map_key(p, lim, f), lim, val);
    }
    return p;
}

INLINE char *text_tcap(char *p, char *lim, ssgw_view *v, bool sms_text)
{
    static name_memo acn_names[128], op_names[2][SSGW_MAP_OPCODE_MAX + 1];
    _Static_assert(SSGW_CAP_OPCODE_MAX <= SSGW_MAP_OPCODE_MAX, "one memo row per user");
    p = put_enum_name(p, lim, v->tcap.type, ssgw_tcap_msg_type_name);
    if (v->acn) {
        p = put_name_at(p, lim, acn_names, 128, (size_t)v->acn->ac, " ", v->acn->name, "-v");
        if ((unsigned)v->acn_version <= 9 && p <= lim) /* MAP versions are 1..4: one digit */
            *p++ = (char)('0' + v->acn_version);
        else
            p = put_i(p, lim, v->acn_version);
    }
    if (v->cap_acn) { /* issue 11 */
        p = put_lit(p, lim, " ");
        p = put_s(p, lim, v->cap_acn->name);
    }
    for (unsigned i = 0; i < v->ncomp; i++) {
        const ssgw_tcap_component *c = &v->comp[i];
        p = put_enum_name(p, lim, c->type, ssgw_tcap_comp_type_name);
        if (c->opcode.kind == SSGW_TCAP_CODE_LOCAL) {
            const char *name = ssgw_view_op_name(v, c->opcode.local);
            if (name) { /* a name only for opcodes 0..127 of MAP or CAP */
                p = put_name_at(p, lim, op_names[v->tcap_user == SSGW_TCU_CAP],
                                SSGW_MAP_OPCODE_MAX + 1, (size_t)c->opcode.local, " ", name, "");
            } else {
                p = put_lit(p, lim, " op=");
                p = put_i(p, lim, c->opcode.local);
            }
        }
    }
    ssgw_view_map(v);
    p = text_map_fields(p, lim, &v->map);
    if (ssgw_view_sms(v) == 0 && v->has_sms) p = text_sms(p, lim, &v->sms, sms_text);
    if (v->tcap_user == SSGW_TCU_CAP) p = text_cap_fields(p, lim, v); /* issue 11 */
    return p;
}

static char *text_scmg(char *p, char *lim, const ssgw_view *v)
{
    p = put_lit(p, lim, " | scmg ");
    p = put_s(p, lim, ssgw_scmg_type_name(v->scmg.type));
    p = put_lit(p, lim, " ssn=");
    p = put_u(p, lim, v->scmg.ssn);
    p = put_lit(p, lim, " pc=");
    return put_u(p, lim, v->scmg.pc);
}

static char *text_ansi_tcap(char *p, char *lim, const ssgw_view *v)
{
    p = put_lit(p, lim, " | ansi ");
    p = put_s(p, lim, ssgw_ansi_tcap_pkg_name(v->ansi_tcap.type));
    for (unsigned i = 0; i < v->ansi_ncomp; i++) {
        ssgw_tcap_op op;
        p = put_lit(p, lim, " | ");
        p = put_s(p, lim, ssgw_ansi_comp_type_name(v->ansi_comp[i].type));
        if (ssgw_view_tcap_op(v, i, &op) == 0) {
            if (op.name) {
                p = put_lit(p, lim, " ");
                p = put_s(p, lim, op.name);
            } else {
                p = put_lit(p, lim, " op=");
                p = put_i(p, lim, op.code);
            }
        }
    }
    return p;
}

static char *text_isup(char *p, char *lim, const ssgw_view *v)
{
    const ssgw_isup_fields *f = &v->isup.f;
    p = put_lit(p, lim, " | isup ");
    p = put_s(p, lim, ssgw_isup_msg_abbr(v->isup.type));
    p = put_lit(p, lim, " cic=");
    p = put_u(p, lim, v->isup.cic);
    if (f->calling.present)
        p = put_kv(p, lim, "calling", f->calling.digits[0] ? f->calling.digits : "-");
    if (f->called.present) p = put_kv(p, lim, "called", f->called.digits);
    if (f->cause_value >= 0) {
        p = put_lit(p, lim, " cause=");
        p = put_i(p, lim, f->cause_value);
    }
    return p;
}

static char *text_diameter(char *p, char *lim, ssgw_view *v)
{
    const ssgw_diam_msg *m = &v->diameter;
    const char *abbrev = ssgw_diam_cmd_abbrev(m->code, ssgw_diam_is_request(m));
    if (abbrev) {
        p = put_lit(p, lim, " diameter ");
        p = put_s(p, lim, abbrev);
    } else {
        p = put_lit(p, lim, " diameter cmd=");
        p = put_u(p, lim, m->code);
        p = put_s(p, lim, ssgw_diam_is_request(m) ? " request" : " answer");
    }
    p = put_lit(p, lim, " app=");
    p = put_u(p, lim, m->app_id);
    p = put_lit(p, lim, " hbh=0x");
    p = put_hex8(p, lim, m->hbh);
    ssgw_view_diameter(v);
    char tmp[128];
    static const ssgw_diam_field shown[] = {SSGW_DIAM_F_ORIGIN_HOST,    SSGW_DIAM_F_DEST_REALM,
                                            SSGW_DIAM_F_IMSI,           SSGW_DIAM_F_VISITED_PLMN,
                                            SSGW_DIAM_F_RAT_TYPE,       SSGW_DIAM_F_RESULT_CODE,
                                            SSGW_DIAM_F_EXP_RESULT_CODE};
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        const char *val = ssgw_diam_field_get(&v->diam, shown[i], tmp, sizeof tmp, NULL);
        if (val) p = put_kv(p, lim, ssgw_diam_field_name(shown[i]), val);
    }
    return p;
}

static char *text_error(char *p, char *lim, const ssgw_view *v)
{
    char e[160];
    ssgw_error_format(&v->error, e, sizeof e);
    p = put_lit(p, lim, " | ERROR ");
    return put_s(p, lim, e);
}

static void text_line(const ssgw_capture_msg *cm, ssgw_view *v, bool sms_text)
{
    char *start = out_room(LINE_MAX_TEXT + 1), *end = start + LINE_MAX_TEXT;
    _Static_assert(LINE_MAX_TEXT > SLACK, "a line has room for SLACK");
    char *lim = end - SLACK, *p = put_frame(start, lim, cm->frame);
    if (v->has_m3ua) p = put_m3ua_name(p, lim, &v->m3ua);
    if (v->has_m2pa) {
        p = put_lit(p, lim, " m2pa ");
        p = put_s(p, lim, ssgw_m2pa_msg_name(v->m2pa.msg_type));
    }
    if (v->has_m2ua) {
        p = put_lit(p, lim, " m2ua ");
        p = put_s(p, lim, ssgw_m2ua_msg_name(v->m2ua.msg_class, v->m2ua.msg_type));
    }
    if (v->has_sua) {
        p = put_lit(p, lim, " sua ");
        p = put_s(p, lim, ssgw_sua_msg_name(v->sua.msg_class, v->sua.msg_type));
    }
    if (v->has_label) {
        p = put_lit(p, lim, " ");
        p = put_u(p, lim, v->opc);
        p = put_lit(p, lim, ">");
        p = put_u(p, lim, v->dpc);
        p = put_lit(p, lim, " sls=");
        p = put_u(p, lim, v->sls);
    }
    if (v->has_sccp) p = text_sccp(p, lim, v);
    if (v->has_tcap) p = text_tcap(p, lim, v, sms_text);
    if (v->has_scmg) p = text_scmg(p, lim, v); /* issue 11: SCCP management, ANSI TCAP */
    if (v->has_ansi_tcap) p = text_ansi_tcap(p, lim, v);
    if (v->has_isup) p = text_isup(p, lim, v);
    if (v->has_diameter) p = text_diameter(p, lim, v);
    if (v->has_error) p = text_error(p, lim, v);
    *p++ = '\n';
    out_n += (size_t)(p - start);
    if (out_each_line) out_flush();
}

typedef struct {
    const ssgw_capture_msg *cm;
    ssgw_view *v;
} record_ctx;

static void frame_keys(ssgw_json *j, const void *ctx)
{
    ssgw_record_frame(j, ((const record_ctx *)ctx)->cm);
}

static void sms_text_key(ssgw_json *j, const void *ctx)
{
    ssgw_record_sms_text(j, ((const record_ctx *)ctx)->v);
}

static void print_stats(const ssgw_capture *cap, const ssgw_decoder *dec)
{
    const ssgw_capture_stats *cs = ssgw_capture_get_stats(cap);
    const ssgw_decoder_stats *ds = ssgw_decoder_get_stats(dec);
    fprintf(stderr, "frames %" PRIu64 ", messages %" PRIu64 ", decoded %" PRIu64 "\n", cs->frames,
            ds->messages, ds->decoded);
    for (int l = 0; l < SSGW_LAYER_COUNT; l++) {
        uint64_t n = ds->errors_by_layer[l]; /* capture error records included */
        if (n) fprintf(stderr, "  errors in %-8s %" PRIu64 "\n", ssgw_layer_name((ssgw_layer)l), n);
    }
    for (int s = 0; s < SSGW_CAPTURE_SKIP_COUNT; s++)
        if (cs->skipped[s])
            fprintf(stderr, "  skipped %-24s %" PRIu64 "\n",
                    ssgw_capture_skip_name((ssgw_capture_skip)s), cs->skipped[s]);
}

int cmd_decode(int argc, char **argv)
{
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},        {"stats", no_argument, NULL, 's'},
        {"limit", required_argument, NULL, 'n'}, {"sms-text", no_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    bool json = false, stats = false, sms_text = false;
    unsigned long long limit = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "jsn:Th", opts, NULL)) != -1) {
        switch (c) {
        case 'T':
            sms_text = true;
            break;
        case 'j':
            json = true;
            break;
        case 's':
            stats = true;
            break;
        case 'n': {
            char *end;
            limit = strtoull(optarg, &end, 10);
            if (*end || !limit) {
                fprintf(stderr, "ssgw decode: --limit: '%s' is not a positive number\n", optarg);
                return 2;
            }
            break;
        }
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    char errbuf[256];
    ssgw_capture_limits lim;
    ssgw_capture_limits_default(&lim);
    lim.no_endpoints = !json; /* the text line shows neither end */
    ssgw_capture *cap = ssgw_capture_open(argv[optind], &lim, errbuf, sizeof errbuf);
    if (!cap) {
        fprintf(stderr, "ssgw decode: %s\n", errbuf);
        return 1;
    }
    ssgw_decoder *dec = ssgw_decoder_new(NULL);
    if (!dec) {
        fprintf(stderr, "ssgw decode: out of memory\n");
        ssgw_capture_close(cap);
        return 1;
    }
    static ssgw_view v;
    enum { REC_CAP = 16384 }; /* a record that does not fit is not printed (as before) */
    out_each_line = isatty(fileno(stdout));
    ssgw_capture_msg cm;
    unsigned long long count = 0;
    int r, status = 0;
    while ((r = ssgw_capture_next(cap, &cm)) == 1) {
        ssgw_decoder_run_capture(dec, &cm, &v);
        if (json) {
            record_ctx rc = {&cm, &v};
            char *rec = out_room(REC_CAP + 1);
            long n = ssgw_record_build(rec, REC_CAP, frame_keys, &v, sms_text ? sms_text_key : NULL,
                                       &rc, NULL);
            if (n >= 0) { /* the record's length is known: no puts() measuring it again */
                rec[n] = '\n';
                out_n += (size_t)n + 1;
                if (out_each_line) out_flush();
            }
        } else {
            text_line(&cm, &v, sms_text);
        }
        if (limit && ++count >= limit) break;
    }
    out_flush();
    if (out_err) {
        fprintf(stderr, "ssgw decode: writing the output: %s\n", strerror(out_err));
        status = 1;
    }
    if (cmd_capture_end("decode", cap, argv[optind], r)) status = 1;
    if (stats) print_stats(cap, dec);
    ssgw_decoder_free(dec);
    ssgw_capture_close(cap);
    return status;
}
