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

#include "cmd.h"
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

/* ---- the text line, built without printf: it is written for every message ---------- */

typedef struct {
    char b[2048];
    size_t n; /* at most sizeof b - 1: what does not fit is cut, as snprintf would */
} line_buf;

/* The common case (it fits) copies k as given, so a literal's memcpy is a few moves
 * (measured: clamping k first made every piece a call to memcpy). */
static inline void lb_mem(line_buf *l, const char *s, size_t k)
{
    size_t room = sizeof l->b - 1 - l->n;
    if (__builtin_expect(k > room, 0))
        k = room;
    else {
        memcpy(l->b + l->n, s, k);
        l->n += k;
        return;
    }
    memcpy(l->b + l->n, s, k);
    l->n += k;
}

static void lb_s(line_buf *l, const char *s)
{
    lb_mem(l, s, strlen(s));
}

/* Decimal v, right-aligned in at least width (<= 20) characters; two digits per step, and
 * copied as one fixed 24-byte block when the line has room (a variable-length memcpy was
 * a libc call per number). */
static void lb_u(line_buf *l, uint64_t v, int width)
{
    char t[48];
    char *end = t + 24, *p = ssgw_json_dec_u64(end, v);
    while (end - p < width && p > t)
        *--p = ' ';
    size_t k = (size_t)(end - p);
    if (sizeof l->b - 1 - l->n >= 24) {
        memcpy(l->b + l->n, p, 24); /* what lies beyond k is overwritten or not written out */
        l->n += k;
    } else {
        lb_mem(l, p, k);
    }
}

static void lb_i(line_buf *l, int64_t v)
{
    if (v < 0) lb_mem(l, "-", 1);
    lb_u(l, v < 0 ? 0ull - (uint64_t)v : (uint64_t)v, 1);
}

/* " key=value" */
static void lb_kv(line_buf *l, const char *key, const char *val)
{
    lb_mem(l, " ", 1);
    lb_s(l, key);
    lb_mem(l, "=", 1);
    lb_s(l, val);
}

static void lb_hex8(line_buf *l, uint32_t v)
{
    static const char hex[] = "0123456789abcdef";
    char t[8];
    for (int i = 7; i >= 0; i--, v >>= 4)
        t[i] = hex[v & 15];
    lb_mem(l, t, 8);
}

static void text_line(const ssgw_capture_msg *cm, ssgw_view *v, bool sms_text)
{
    static line_buf lb;
    line_buf *l = &lb;
    l->n = 0;
    lb_u(l, cm->frame, 6);
    if (v->has_m3ua) {
        lb_mem(l, " ", 1);
        lb_s(l, ssgw_m3ua_msg_name(v->m3ua.msg_class, v->m3ua.msg_type));
    }
    if (v->has_m2pa) {
        lb_s(l, " m2pa ");
        lb_s(l, ssgw_m2pa_msg_name(v->m2pa.msg_type));
    }
    if (v->has_m2ua) {
        lb_s(l, " m2ua ");
        lb_s(l, ssgw_m2ua_msg_name(v->m2ua.msg_class, v->m2ua.msg_type));
    }
    if (v->has_sua) {
        lb_s(l, " sua ");
        lb_s(l, ssgw_sua_msg_name(v->sua.msg_class, v->sua.msg_type));
    }
    if (v->has_label) {
        lb_mem(l, " ", 1);
        lb_u(l, v->opc, 1);
        lb_mem(l, ">", 1);
        lb_u(l, v->dpc, 1);
        lb_s(l, " sls=");
        lb_u(l, v->sls, 1);
    }
    if (v->has_sccp) {
        const ssgw_sccp_msg *s = &v->sccp;
        lb_s(l, " | ");
        lb_s(l, v->has_sua ? "sua" : ssgw_sccp_msg_type_name(s->type));
        lb_mem(l, " ", 1);
        lb_s(l, s->calling.digits[0] ? s->calling.digits : "-");
        lb_mem(l, "/", 1);
        lb_u(l, s->calling.ssn, 1);
        lb_s(l, " > ");
        lb_s(l, s->called.digits[0] ? s->called.digits : "-");
        lb_mem(l, "/", 1);
        lb_u(l, s->called.ssn, 1);
        if (v->reasm == SSGW_VIEW_REASM_PENDING) lb_s(l, " (segment, reassembly pending)");
    }
    if (v->has_tcap) {
        const ssgw_tcap_msg *t = &v->tcap;
        lb_s(l, " | ");
        lb_s(l, ssgw_tcap_msg_type_name(t->type));
        if (v->acn) {
            lb_mem(l, " ", 1);
            lb_s(l, v->acn->name);
            lb_s(l, "-v");
            lb_i(l, v->acn_version);
        }
        if (v->cap_acn) { /* issue 11 */
            lb_mem(l, " ", 1);
            lb_s(l, v->cap_acn->name);
        }
        for (unsigned i = 0; i < v->ncomp; i++) {
            const ssgw_tcap_component *c = &v->comp[i];
            lb_s(l, " | ");
            lb_s(l, ssgw_tcap_comp_type_name(c->type));
            if (c->opcode.kind == SSGW_TCAP_CODE_LOCAL) {
                const char *name = ssgw_view_op_name(v, c->opcode.local);
                if (name) {
                    lb_mem(l, " ", 1);
                    lb_s(l, name);
                } else {
                    lb_s(l, " op=");
                    lb_i(l, c->opcode.local);
                }
            }
        }
        ssgw_view_map(v);
        char tmp[SSGW_MAP_USSD_CAP + 8];
        for (uint32_t set = ssgw_map_fields_present(&v->map); set; set &= set - 1) {
            ssgw_map_field f = (ssgw_map_field)__builtin_ctz(set);
            const char *val = ssgw_map_field_get(&v->map, f, tmp, sizeof tmp);
            if (val && val[0]) lb_kv(l, ssgw_map_field_name(f), val);
        }
        if (ssgw_view_sms(v) == 0 && v->has_sms) {
            const ssgw_sms_tpdu *s = &v->sms;
            lb_s(l, " | sms-");
            lb_s(l, ssgw_sms_type_name(s->type));
            if (s->oa.present) lb_kv(l, "oa", s->oa.text);
            if (s->da.present) lb_kv(l, "da", s->da.text);
            if (s->ra.present) lb_kv(l, "ra", s->ra.text);
            char text[SSGW_SMS_TEXT_CAP];
            size_t chars;
            if (s->ud && ssgw_sms_text(s, text, sizeof text, &chars) >= 0) {
                if (sms_text) {
                    lb_s(l, " text=\"");
                    lb_s(l, text);
                    lb_mem(l, "\"", 1);
                } else {
                    lb_s(l, " text=");
                    lb_u(l, chars, 1);
                    lb_s(l, " chars");
                }
            }
        }
        if (v->tcap_user == SSGW_TCU_CAP) { /* issue 11: CAP's fields */
            ssgw_view_cap(v);
            for (int f = 0; f < SSGW_CAP_F_COUNT; f++) {
                const char *val = ssgw_cap_field_get(&v->cap, (ssgw_cap_field)f, tmp, sizeof tmp);
                if (val && val[0]) lb_kv(l, ssgw_cap_field_name((ssgw_cap_field)f), val);
            }
        }
    }
    if (v->has_scmg) { /* issue 11: SCCP management, ANSI TCAP */
        lb_s(l, " | scmg ");
        lb_s(l, ssgw_scmg_type_name(v->scmg.type));
        lb_s(l, " ssn=");
        lb_u(l, v->scmg.ssn, 1);
        lb_s(l, " pc=");
        lb_u(l, v->scmg.pc, 1);
    }
    if (v->has_ansi_tcap) {
        lb_s(l, " | ansi ");
        lb_s(l, ssgw_ansi_tcap_pkg_name(v->ansi_tcap.type));
        for (unsigned i = 0; i < v->ansi_ncomp; i++) {
            ssgw_tcap_op op;
            lb_s(l, " | ");
            lb_s(l, ssgw_ansi_comp_type_name(v->ansi_comp[i].type));
            if (ssgw_view_tcap_op(v, i, &op) == 0) {
                if (op.name) {
                    lb_mem(l, " ", 1);
                    lb_s(l, op.name);
                } else {
                    lb_s(l, " op=");
                    lb_i(l, op.code);
                }
            }
        }
    }
    if (v->has_isup) {
        const ssgw_isup_fields *f = &v->isup.f;
        lb_s(l, " | isup ");
        lb_s(l, ssgw_isup_msg_abbr(v->isup.type));
        lb_s(l, " cic=");
        lb_u(l, v->isup.cic, 1);
        if (f->calling.present) lb_kv(l, "calling", f->calling.digits[0] ? f->calling.digits : "-");
        if (f->called.present) lb_kv(l, "called", f->called.digits);
        if (f->cause_value >= 0) {
            lb_s(l, " cause=");
            lb_i(l, f->cause_value);
        }
    }
    if (v->has_diameter) {
        const ssgw_diam_msg *m = &v->diameter;
        const char *abbrev = ssgw_diam_cmd_abbrev(m->code, ssgw_diam_is_request(m));
        if (abbrev) {
            lb_s(l, " diameter ");
            lb_s(l, abbrev);
        } else {
            lb_s(l, " diameter cmd=");
            lb_u(l, m->code, 1);
            lb_s(l, ssgw_diam_is_request(m) ? " request" : " answer");
        }
        lb_s(l, " app=");
        lb_u(l, m->app_id, 1);
        lb_s(l, " hbh=0x");
        lb_hex8(l, m->hbh);
        ssgw_view_diameter(v);
        char tmp[128];
        static const ssgw_diam_field shown[] = {
            SSGW_DIAM_F_ORIGIN_HOST,    SSGW_DIAM_F_DEST_REALM, SSGW_DIAM_F_IMSI,
            SSGW_DIAM_F_VISITED_PLMN,   SSGW_DIAM_F_RAT_TYPE,   SSGW_DIAM_F_RESULT_CODE,
            SSGW_DIAM_F_EXP_RESULT_CODE};
        for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
            const char *val = ssgw_diam_field_get(&v->diam, shown[i], tmp, sizeof tmp, NULL);
            if (val) lb_kv(l, ssgw_diam_field_name(shown[i]), val);
        }
    }
    if (v->has_error) {
        char e[160];
        ssgw_error_format(&v->error, e, sizeof e);
        lb_s(l, " | ERROR ");
        lb_s(l, e);
    }
    l->b[l->n++] = '\n';
    fwrite(l->b, 1, l->n, stdout);
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
    ssgw_capture *cap = ssgw_capture_open(argv[optind], NULL, errbuf, sizeof errbuf);
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
    static char rec[16384];
    ssgw_capture_msg cm;
    unsigned long long count = 0;
    int r, status = 0;
    while ((r = ssgw_capture_next(cap, &cm)) == 1) {
        ssgw_decoder_run_capture(dec, &cm, &v);
        if (json) {
            record_ctx rc = {&cm, &v};
            long n = ssgw_record_build(rec, sizeof rec, frame_keys, &v,
                                       sms_text ? sms_text_key : NULL, &rc, NULL);
            if (n >= 0) { /* the record's length is known: no puts() measuring it again */
                rec[n] = '\n';
                fwrite(rec, 1, (size_t)n + 1, stdout);
            }
        } else {
            text_line(&cm, &v, sms_text);
        }
        if (limit && ++count >= limit) break;
    }
    if (cmd_capture_end("decode", cap, argv[optind], r)) status = 1;
    if (stats) print_stats(cap, dec);
    ssgw_decoder_free(dec);
    ssgw_capture_close(cap);
    return status;
}
