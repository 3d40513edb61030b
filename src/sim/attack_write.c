/*
 * attack_write.c - the label sidecar (JSON lines, docs/attacks.md) and the
 * pcap framing of `ssgw attack` (include/ssgw/attack.h).
 *
 * Each message is one Ethernet/IPv4/SCTP frame with one DATA chunk (PPID 3,
 * M3UA), so the pcap frame number is the message number + 1. Every peer point
 * code has its own SCTP association (addresses, verification tag, per
 * direction TSN), the way an STP sees its links: 10.0.0.1 is our SG, 10.1.0.N
 * partner N (point codes 2001..2003), 10.9.0.9 the attackers' interconnect
 * (2009). The JSON is written by hand (no printf) because the sidecar is as
 * long as the capture.
 */
#include "ssgw/attack.h"

#include <stdio.h>
#include <string.h>

#include "ssgw/capture.h"
#include "ssgw/isup.h"
#include "ssgw/map.h"
#include "ssgw/pcap_writer.h"
#include "ssgw/tcap.h"

typedef struct {
    char *p, *end;
    bool overflow;
} jbuf;

static void js(jbuf *b, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(b->end - b->p) <= n) {
        b->overflow = true;
        return;
    }
    memcpy(b->p, s, n);
    b->p += n;
}

/* A string value: our strings are digits and ASCII names; escape anyway. */
static void jstr(jbuf *b, const char *s)
{
    js(b, "\"");
    for (; *s; s++) {
        char c[3] = {*s, 0, 0};
        if (*s == '"' || *s == '\\') {
            c[0] = '\\';
            c[1] = *s;
        } else if ((unsigned char)*s < 0x20) {
            c[0] = '?';
        }
        js(b, c);
    }
    js(b, "\"");
}

static void jstr_or_null(jbuf *b, const char *s)
{
    if (s && *s)
        jstr(b, s);
    else
        js(b, "null");
}

static void jnum(jbuf *b, uint64_t v)
{
    char t[24];
    size_t i = sizeof t - 1;
    t[i] = '\0';
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    js(b, t + i);
}

static void jnum_or_null(jbuf *b, bool present, uint64_t v)
{
    if (present)
        jnum(b, v);
    else
        js(b, "null");
}

static void jint(jbuf *b, int64_t v)
{
    if (v < 0) {
        js(b, "-");
        jnum(b, (uint64_t)(-v));
    } else {
        jnum(b, (uint64_t)v);
    }
}

size_t ssgw_attack_label_json(const ssgw_attack_msg *m, char *out, size_t cap)
{
    jbuf b = {out, out + cap, false};
    const ssgw_attack_info *a = m->attack ? ssgw_attack_at((size_t)m->attack_id) : NULL;
    js(&b, "{\"frame\":");
    jnum(&b, m->index + 1);
    js(&b, ",\"label\":");
    js(&b, a ? "\"attack\"" : "\"legit\"");
    js(&b, ",\"attack\":");
    jstr_or_null(&b, a ? a->name : NULL);
    js(&b, ",\"check\":");
    jstr(&b, a ? a->check : "default");
    js(&b, ",\"also\":[");
    for (int i = 0; a && i < (int)(sizeof a->also / sizeof a->also[0]) && a->also[i]; i++) {
        if (i) js(&b, ",");
        jstr(&b, a->also[i]);
    }
    js(&b, "],\"variant\":");
    jint(&b, m->variant);
    js(&b, ",\"scenario\":");
    jstr(&b, m->scenario ? m->scenario : "");
    js(&b, ",\"instance\":");
    jnum(&b, m->instance);
    js(&b, ",\"dialogue\":");
    jnum(&b, m->dialogue);
    js(&b, ",\"time\":");
    jnum(&b, m->ts_sec);
    js(&b, ".");
    char us[7];
    uint32_t u = m->ts_usec;
    for (int i = 5; i >= 0; i--, u /= 10)
        us[i] = (char)('0' + u % 10);
    us[6] = '\0';
    js(&b, us);
    js(&b, ",\"dir\":");
    js(&b, m->inbound ? "\"in\"" : "\"out\"");
    js(&b, ",\"protocol\":");
    jstr(&b, m->protocol ? m->protocol : "map");
    js(&b, ",\"tcap\":");
    if (m->tcap_type && !m->isup)
        jstr(&b, ssgw_tcap_msg_type_name((ssgw_tcap_msg_type)m->tcap_type));
    else
        js(&b, "null");
    js(&b, ",\"component\":");
    jstr_or_null(&b,
                 m->comp_type ? ssgw_tcap_comp_type_name((ssgw_tcap_comp_type)m->comp_type) : NULL);
    js(&b, ",\"op\":");
    jstr_or_null(&b, m->op_name);
    js(&b, ",\"opcode\":");
    jint(&b, m->opcode);
    js(&b, ",\"otid\":");
    jnum_or_null(&b, m->has_otid, m->otid);
    js(&b, ",\"dtid\":");
    jnum_or_null(&b, m->has_dtid, m->dtid);
    js(&b, ",\"opc\":");
    jnum(&b, m->opc);
    js(&b, ",\"dpc\":");
    jnum(&b, m->dpc);
    /* SCCP addresses: none in a call's ISUP message */
    js(&b, ",\"calling_gt\":");
    jstr_or_null(&b, m->isup ? NULL : m->calling_gt);
    js(&b, ",\"calling_ssn\":");
    jnum_or_null(&b, !m->isup, m->calling_ssn);
    js(&b, ",\"called_gt\":");
    jstr_or_null(&b, m->isup ? NULL : m->called_gt);
    js(&b, ",\"called_ssn\":");
    jnum_or_null(&b, !m->isup, m->called_ssn);
    js(&b, ",\"imsi\":");
    jstr_or_null(&b, m->imsi);
    js(&b, ",\"msisdn\":");
    jstr_or_null(&b, m->msisdn);
    js(&b, ",\"dest_ref\":");
    jstr_or_null(&b, m->dest_ref);
    js(&b, ",\"isup\":");
    jstr_or_null(&b, m->isup ? ssgw_isup_msg_abbr((uint8_t)m->isup) : NULL);
    js(&b, ",\"cic\":");
    jnum_or_null(&b, m->isup, m->cic);
    js(&b, ",\"calling_number\":");
    jstr_or_null(&b, m->calling_number);
    js(&b, ",\"called_number\":");
    jstr_or_null(&b, m->called_number);
    js(&b, ",\"sms_sender\":");
    jstr_or_null(&b, m->sms_sender);
    js(&b, "}\n");
    if (b.overflow) return 0;
    return (size_t)(b.p - out);
}

/* ------------------------------------------------------------------ */

#define N_ASSOC 4

static void assoc_endpoints(int assoc, bool inbound, ssgw_pcap_endpoints *ep)
{
    memset(ep, 0, sizeof *ep);
    uint32_t home = 0x0a000001u; /* 10.0.0.1 */
    uint32_t peer = assoc == 3 ? 0x0a090009u : 0x0a010000u + (uint32_t)(assoc + 1);
    ep->src_ip4 = inbound ? peer : home;
    ep->dst_ip4 = inbound ? home : peer;
    ep->src_port = 2905;
    ep->dst_port = 2905;
    /* the tag the receiver chose for the association, one per direction */
    ep->vtag = 0x5a000000u | (uint32_t)assoc << 8 | (inbound ? 1u : 2u);
}

int ssgw_attack_write(const ssgw_attack_opts *o, const char *pcap_path, const char *labels_path,
                      ssgw_attack_stats *st, char *errbuf, size_t errlen)
{
    ssgw_error e;
    memset(st, 0, sizeof *st);
    ssgw_attack_gen *g = ssgw_attack_new(o, &e);
    if (!g) {
        ssgw_error_format(&e, errbuf, errlen);
        return -1;
    }
    ssgw_pcap_writer *w = ssgw_pcap_writer_open(pcap_path, SSGW_LINKTYPE_ETHERNET, errbuf, errlen);
    if (!w) {
        ssgw_attack_free(g);
        return -1;
    }
    FILE *lf = NULL;
    static char lbuf_mem[1 << 16];
    if (labels_path) {
        lf = fopen(labels_path, "w");
        if (!lf) {
            snprintf(errbuf, errlen, "%s: cannot create", labels_path);
            ssgw_pcap_writer_close(w);
            ssgw_attack_free(g);
            return -1;
        }
        setvbuf(lf, lbuf_mem, _IOFBF, sizeof lbuf_mem);
    }
    uint32_t tsn[N_ASSOC][2];
    for (int i = 0; i < N_ASSOC; i++)
        tsn[i][0] = tsn[i][1] = 1000u * (uint32_t)(i + 1);
    uint8_t mem[2048];
    char line[1024];
    int rc = 0;
    for (uint64_t i = 0; i < o->count; i++) {
        ssgw_buf b;
        ssgw_buf_init(&b, mem, sizeof mem);
        ssgw_attack_msg m;
        if (ssgw_attack_next(g, &b, &m, &e) < 0) {
            char msg[160];
            ssgw_error_format(&e, msg, sizeof msg);
            snprintf(errbuf, errlen, "message %llu: %s", (unsigned long long)i, msg);
            rc = -1;
            break;
        }
        ssgw_pcap_endpoints ep;
        assoc_endpoints(m.assoc, m.inbound, &ep);
        if (ssgw_pcap_write_sctp(w, m.ts_sec, m.ts_usec, &ep, m.sls,
                                 tsn[m.assoc][m.inbound ? 0 : 1]++, b.data, b.len) < 0) {
            snprintf(errbuf, errlen, "%s: %s", pcap_path, ssgw_pcap_writer_error(w));
            rc = -1;
            break;
        }
        if (lf) {
            size_t n = ssgw_attack_label_json(&m, line, sizeof line);
            if (fwrite(line, 1, n, lf) != n) {
                snprintf(errbuf, errlen, "%s: write failed", labels_path);
                rc = -1;
                break;
            }
        }
        st->messages++;
        st->inbound += m.inbound;
        if (m.attack) {
            st->attacks++;
            if (m.attack_id >= 0 && m.attack_id < 64) st->per_attack[m.attack_id]++;
        } else {
            st->legit++;
        }
    }
    if (ssgw_pcap_writer_close(w) < 0 && rc == 0) {
        snprintf(errbuf, errlen, "%s: write failed", pcap_path);
        rc = -1;
    }
    if (lf && fclose(lf) != 0 && rc == 0) {
        snprintf(errbuf, errlen, "%s: write failed", labels_path);
        rc = -1;
    }
    ssgw_attack_free(g);
    return rc;
}
