/*
 * record.c - writes the shared JSON record keys (see include/ssgw/record.h and
 * docs/fields.md). Key names follow `ssgw decode`'s documented schema; MAP field
 * names come from the MAP layer's field table.
 */
#include "ssgw/record.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "obs/record_int.h"
#include "util/json_int.h"
#include "ssgw/mtp3.h"
#include "ssgw/policy.h"
#include "ssgw/timefmt.h"

/* Helpers that pass a key through are inlined (always_inline) where the key is a literal, so
 * that the JSON writer gets its length from the compiler (include/ssgw/json.h). */
#define KEY_INLINE static inline __attribute__((always_inline))

KEY_INLINE void record_time(ssgw_json *j, const char *key, uint64_t ms)
{
    char ts[SSGW_TIME_RFC3339_CAP];
    ssgw_json_strn(j, key, ts, ssgw_time_rfc3339(ms, ts, sizeof ts));
}

void ssgw_record_time(ssgw_json *j, const char *key, uint64_t ms)
{
    record_time(j, key, ms);
}

void ssgw_record_event_head(ssgw_json *j, const ssgw_event_head *h)
{
    ssgw_json_str(j, "schema", SSGW_EVENT_SCHEMA);
    if (h->event_id) ssgw_json_str(j, "event_id", h->event_id);
    if (h->time_ms) record_time(j, "time", h->time_ms);
    if (h->host) ssgw_json_str(j, "host", h->host);
    if (h->instance) ssgw_json_str(j, "instance", h->instance);
    ssgw_json_str(j, "event", h->event);
}

/* Decimal digits of v at o, at least `width` of them (zero-padded); returns the end. */
static char *put_dec(char *o, uint64_t v, size_t width)
{
    size_t n = ssgw_json_dec_len(v);
    for (; n < width; width--)
        *o++ = '0';
    ssgw_json_dec_u64(o + n, v);
    return o + n;
}

/* The decimal text of a frame's seconds at o (at most 20 octets); returns its end. Consecutive
 * frames mostly share their second, so the last one's text is kept (per thread). */
static char *put_sec(char *o, uint64_t sec)
{
    static _Thread_local struct {
        uint64_t sec;
        size_t n;
        char text[24];
    } memo = {UINT64_MAX, 0, ""};
    if (sec != memo.sec) {
        memo.n = (size_t)(put_dec(memo.text, sec, 1) - memo.text);
        memo.sec = sec;
    }
    memcpy(o, memo.text, 20);
    return o + memo.n;
}

/* "ADDRESS:PORT", quoted, of a frame's end. A capture's frames go between a few ends, so
 * the last four texts are kept (per thread), keyed by the address text up to its NUL and the
 * port; an end that is not plain (never from the capture layer) is not kept. */
typedef char ip_text[sizeof((ssgw_capture_msg *)0)->src_ip];
_Static_assert(sizeof(ip_text) >= 32 && sizeof(ip_text) <= 48, "three loads cover it");
#if JSON_SSE2 && !defined(SSGW_JG_REFERENCE)
/* Bit i set when a[i] == b[i], for the octets of an address text. */
static inline uint64_t ip_equal_mask(const char *a, const char *b)
{
    enum { L = sizeof(ip_text) - 16 };
    __m128i a0 = _mm_loadu_si128((const void *)a), b0 = _mm_loadu_si128((const void *)b);
    __m128i a1 = _mm_loadu_si128((const void *)(a + 16)),
            b1 = _mm_loadu_si128((const void *)(b + 16));
    __m128i a2 = _mm_loadu_si128((const void *)(a + L)),
            b2 = _mm_loadu_si128((const void *)(b + L));
    return (uint64_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a0, b0)) |
           (uint64_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a1, b1)) << 16 |
           (uint64_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a2, b2)) << L;
}
#endif

KEY_INLINE void endpoint(ssgw_jg *g, const char *ip, uint16_t port)
{
#if JSON_SSE2 && !defined(SSGW_JG_REFERENCE)
    static _Thread_local struct {
        ip_text ip;   /* as the frame had it: the text, its NUL and what followed */
        size_t iplen; /* 0: empty slot */
        uint16_t port;
        size_t len; /* of text, quoted */
        char text[JG_ROOM];
    } memo[4];
    static _Thread_local unsigned next;
    static const ip_text zero;
    uint64_t nul = ip_equal_mask(ip, zero); /* the NUL: within the array (the capture's) */
    if (nul) {
        uint64_t upto = (nul & -nul) | ((nul & -nul) - 1); /* the text and its NUL */
        for (unsigned k = 0; k < 4; k++)
            if (memo[k].iplen && memo[k].port == port &&
                (ip_equal_mask(ip, memo[k].ip) & upto) == upto) {
                memcpy(g->o, memo[k].text, JG_ROOM);
                g->o += memo[k].len;
                return;
            }
    }
#endif
    char *o = ssgw_jg_room(g);
    size_t n = ssgw_capture_endpoint(ip, port, o);
#if JSON_SSE2 && !defined(SSGW_JG_REFERENCE)
    if (nul && ssgw_json_plain((const unsigned char *)o, n)) {
        unsigned k = next++ & 3;
        memcpy(memo[k].ip, ip, sizeof(ip_text));
        memo[k].iplen = 1;
        memo[k].port = port;
        memo[k].len = n + 2;
        memo[k].text[0] = '"';
        memcpy(memo[k].text + 1, o, n);
        memo[k].text[n + 1] = '"';
    }
#endif
    ssgw_jg_room_done(g, n);
}

/* Records are written for every message: the keys of the frame go in one group (one room
 * check, util/json_int.h), formatted by hand (docs/BENCHMARKS.md, "output formatting"). */
#define FRAME_BOUND                                                                                \
    (JG_KEY("frame") + JG_INT + JG_KEY("time") + SSGW_TIME_RFC3339_CAP + 2 +                       \
     JG_KEY("time_epoch") + 48 + 2 * (JG_KEY("src") + JG_ROOM) + JG_KEY("transport") + JG_NAME +   \
     JG_KEY("stream") + JG_INT)
_Static_assert(SSGW_CAPTURE_ENDPOINT_CAP <= JG_ROOM - 2, "an endpoint fits a value's room");

KEY_INLINE void frame_items(ssgw_jg *g, const ssgw_capture_msg *cm)
{
    JG_K(g, "frame");
    ssgw_jg_int(g, (long long)cm->frame);
    JG_K(g, "time");
    char *o = ssgw_jg_room(g);
    ssgw_jg_room_plain(
        g,
        ssgw_time_rfc3339(cm->ts_sec < 0 ? 0 : (uint64_t)cm->ts_sec * 1000u + cm->ts_usec / 1000u,
                          o, SSGW_TIME_RFC3339_CAP));
    JG_K(g, "time_epoch");
    char *t = o = ssgw_jg_room(g);
    if (cm->ts_sec < 0) *o++ = '-';
    o = put_sec(o, cm->ts_sec < 0 ? 0ull - (uint64_t)cm->ts_sec : (uint64_t)cm->ts_sec);
    *o++ = '.';
    if (cm->ts_usec < 1000000u) { /* six digits, zero-padded */
        memcpy(o, "000000", 6);
        ssgw_json_dec_u64(o + 6, cm->ts_usec);
        o += 6;
    } else {
        o = put_dec(o, (unsigned)cm->ts_usec, 6);
    }
    ssgw_jg_room_plain(g, (size_t)(o - t));
    if (cm->src_ip[0]) { /* "ADDRESS:PORT" (an IPv6 address as the capture gives it) */
        JG_K(g, "src");
        endpoint(g, cm->src_ip, cm->src_port);
        JG_K(g, "dst");
        endpoint(g, cm->dst_ip, cm->dst_port);
    }
    if (cm->transport != SSGW_CAPTURE_TRANSPORT_NONE) {
        JG_K(g, "transport");
        ssgw_jg_name(g, ssgw_capture_transport_name(cm->transport));
    }
    if (cm->transport == SSGW_CAPTURE_TRANSPORT_SCTP) {
        JG_K(g, "stream");
        ssgw_jg_int(g, cm->sctp_stream);
    }
}

void ssgw_record_frame(ssgw_json *j, const ssgw_capture_msg *cm)
{
    ssgw_jg g;
    ssgw_jg_begin(&g, j, FRAME_BOUND);
    frame_items(&g, cm);
    ssgw_jg_end(&g);
}

/* The event head of a message (schema, event "message") and its frame keys, one group. */
void ssgw_record_capture_head(ssgw_json *j, const ssgw_capture_msg *cm)
{
    ssgw_jg g;
    ssgw_jg_begin(&g, j, JG_KEY("schema") + JG_NAME + JG_KEY("event") + JG_NAME + FRAME_BOUND);
    JG_K(&g, "schema");
    ssgw_jg_name(&g, SSGW_EVENT_SCHEMA);
    JG_K(&g, "event");
    ssgw_jg_name(&g, "message");
    frame_items(&g, cm);
    ssgw_jg_end(&g);
}

void ssgw_record_error(ssgw_json *j, const ssgw_error *e)
{
    char tmp[160];
    ssgw_error_format(e, tmp, sizeof tmp);
    ssgw_json_str(j, "error", tmp);
    ssgw_json_str(j, "error_layer", ssgw_layer_name(e->layer));
    ssgw_json_str(j, "error_field", e->field ? e->field : "message");
    ssgw_json_int(j, "error_offset", (long long)e->offset);
}

/* The keys of one SCCP party, in the caller's group. */
#define PARTY_BOUND                                                                                \
    (JG_KEY("calling_ri") + JG_NAME + JG_KEY("calling_gt") + JG_STR +                              \
     5 * (JG_KEY("calling_nai") + JG_INT))
#define PARTY(g, p, a)                                                                             \
    do {                                                                                           \
        JG_K(g, p "_ri");                                                                          \
        ssgw_jg_name(g, (a)->ri == SSGW_SCCP_RI_GT ? "gt" : "ssn");                                \
        if ((a)->gti && (a)->digits[0]) {                                                          \
            JG_K(g, p "_gt");                                                                      \
            ssgw_jg_strn(g, (a)->digits, ssgw_digits_len((a)->digits));                            \
        }                                                                                          \
        if ((a)->gti >= 2) {                                                                       \
            JG_K(g, p "_tt");                                                                      \
            ssgw_jg_int(g, (a)->tt);                                                               \
        }                                                                                          \
        if ((a)->gti >= 3) {                                                                       \
            JG_K(g, p "_np");                                                                      \
            ssgw_jg_int(g, (a)->np);                                                               \
        }                                                                                          \
        if ((a)->gti == 1 || (a)->gti == 4) {                                                      \
            JG_K(g, p "_nai");                                                                     \
            ssgw_jg_int(g, (a)->nai);                                                              \
        }                                                                                          \
        if ((a)->has_ssn) {                                                                        \
            JG_K(g, p "_ssn");                                                                     \
            ssgw_jg_int(g, (a)->ssn);                                                              \
        }                                                                                          \
        if ((a)->has_pc) {                                                                         \
            JG_K(g, p "_pc");                                                                      \
            ssgw_jg_int(g, (a)->pc);                                                               \
        }                                                                                          \
    } while (0)

static void sccp_keys(ssgw_json *j, const ssgw_view *v)
{
    const ssgw_sccp_msg *s = &v->sccp;
    static const char *const reasm_names[] = {"none", "pending", "complete", "failed"};
    ssgw_jg g;
    ssgw_jg_begin(&g, j,
                  JG_KEY("sccp") + JG_NAME + 2 * PARTY_BOUND + JG_KEY("return_cause") + JG_NAME);
    if (!v->has_sua) { /* SUA: the parties and data are SUA's, named by its keys */
        JG_K(&g, "sccp");
        ssgw_jg_name(&g, ssgw_sccp_msg_type_name(s->type));
    }
    PARTY(&g, "called", &s->called);
    PARTY(&g, "calling", &s->calling);
    if (s->type == SSGW_SCCP_UDTS || s->type == SSGW_SCCP_XUDTS || s->type == SSGW_SCCP_LUDTS) {
        JG_K(&g, "return_cause");
        ssgw_jg_name(&g, ssgw_sccp_return_cause_name(s->return_cause));
    }
    ssgw_jg_end(&g);
    if (s->has_segmentation) {
        ssgw_json_object_begin(j, "segmentation");
        ssgw_json_bool(j, "first", s->seg.first);
        ssgw_json_int(j, "remaining", s->seg.remaining);
        ssgw_json_int(j, "local_ref", s->seg.local_ref);
        ssgw_json_object_end(j);
    }
    if (v->reasm != SSGW_VIEW_REASM_NONE) ssgw_json_str(j, "reassembly", reasm_names[v->reasm]);
}

/* An opcode or error code: numkey the local value (and namekey its name, when namekey is
 * not "" and the operation has one), or the global one's dotted OID. */
#define CODE_BOUND (JG_KEY("error_code") + JG_INT + JG_KEY("op") + JG_NAME)
#define CODE_KEYS(g, v, numkey, namekey, c)                                                        \
    do {                                                                                           \
        if ((c)->kind == SSGW_TCAP_CODE_LOCAL) {                                                   \
            JG_K(g, numkey);                                                                       \
            ssgw_jg_int(g, (c)->local);                                                            \
            const char *name_ = namekey[0] ? ssgw_view_op_name(v, (c)->local) : NULL;              \
            if (name_) {                                                                           \
                JG_K(g, namekey);                                                                  \
                ssgw_jg_name(g, name_);                                                            \
            }                                                                                      \
        } else if ((c)->kind == SSGW_TCAP_CODE_GLOBAL) {                                           \
            char oid_[SSGW_TCAP_OID_STR_MAX];                                                      \
            if (ssgw_ber_oid_to_str((c)->global, (c)->global_len, oid_, sizeof oid_) < 0)          \
                memcpy(oid_, "invalid", 8);                                                        \
            JG_K(g, numkey);                                                                       \
            ssgw_jg_strn(g, oid_, strlen(oid_));                                                   \
        }                                                                                          \
    } while (0)

/* A key of the schema built from constant parts ("called" "_" "inn"): at k (cap octets, cut
 * there as snprintf would), NUL-terminated; returns its length. The parts are the program's
 * own constants, so the key is plain and goes to the writer with its length. */
static size_t join_key(char *k, size_t cap, const char *a, const char *b, const char *c)
{
    size_t n = 0;
    const char *part[] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        size_t l = strnlen(part[i], cap - 1 - n);
        memcpy(k + n, part[i], l);
        n += l;
    }
    k[n] = '\0';
    return n;
}

static void int_joined(ssgw_json *j, const char *a, const char *b, const char *c, long long v)
{
    char k[64];
    size_t n = join_key(k, sizeof k, a, b, c);
    ssgw_json_kint(j, k, n, v);
}

static void str_joined(ssgw_json *j, const char *a, const char *b, const char *value)
{
    char k[64];
    size_t n = join_key(k, sizeof k, a, b, "");
    ssgw_json_kstrn(j, k, n, value, strlen(value));
}

/* "NAME-vVERSION" at out, cut to cap - 1 octets as snprintf would cut it (without a printf,
 * ~900 instructions a record); returns its length. */
static size_t name_version(char *out, size_t cap, const char *name, int version)
{
    char tmp[24], *e = tmp + sizeof tmp;
    char *p = ssgw_json_dec_u64(e, version < 0 ? 0u - (unsigned)version : (unsigned)version);
    if (version < 0) *--p = '-';
    *--p = 'v';
    *--p = '-';
    size_t n = strnlen(name, cap - 1), m = (size_t)(e - p);
    if (m > cap - 1 - n) m = cap - 1 - n;
    memcpy(out, name, n);
    memcpy(out + n, p, m);
    out[n + m] = '\0';
    return n + m;
}

/* "NAME-vVERSION" from the name's memo (its closing quote overwritten), when the name is
 * memoised; else as name_version() makes it. */
KEY_INLINE void acn_name_version(ssgw_jg *g, const char *name, int version)
{
#ifndef SSGW_JG_REFERENCE
    ssgw_jg_name_slot *e = ssgw_jg_name_slot_of(name);
    if (e->p != name) e = ssgw_jg_name_fill(name);
    if (e->len && version >= 0) { /* the cut of name_version() never applies: short name */
        memcpy(g->o, e->text, JG_NAME);
        char *o = g->o + e->len - 1;
        memcpy(o, "-v", 2);
        o += 2;
        o += ssgw_json_dec_len((unsigned)version);
        ssgw_json_dec_u64(o, (unsigned)version);
        *o++ = '"';
        g->o = o;
        return;
    }
#endif
    char text[96];
    ssgw_jg_strn(g, text, name_version(text, sizeof text, name, version));
}

/* The keys of one component, as an object of the components array. */
#define COMPONENT_BOUND                                                                            \
    (2 + JG_KEY("type") + JG_NAME + 2 * (JG_KEY("linked_id") + JG_INT) + 2 * CODE_BOUND +          \
     JG_KEY("problem_type") + JG_NAME + JG_KEY("problem") + JG_NAME + 1)
KEY_INLINE void component(ssgw_jg *g, ssgw_view *v, const ssgw_tcap_component *c, bool first)
{
    ssgw_jg_object(g, first);
    JG_K0(g, "type");
    ssgw_jg_name(g, ssgw_tcap_comp_type_name(c->type));
    if (c->invoke_id_present) {
        JG_K(g, "invoke_id");
        ssgw_jg_int(g, c->invoke_id);
    }
    if (c->linked_id_present) {
        JG_K(g, "linked_id");
        ssgw_jg_int(g, c->linked_id);
    }
    CODE_KEYS(g, v, "opcode", "op", &c->opcode);
    if (c->type == SSGW_TCAP_COMP_RETURN_ERROR) CODE_KEYS(g, v, "error_code", "", &c->error);
    if (c->type == SSGW_TCAP_COMP_REJECT) {
        JG_K(g, "problem_type");
        ssgw_jg_name(g, ssgw_tcap_problem_type_name(c->problem_type));
        JG_K(g, "problem");
        ssgw_jg_name(g, ssgw_tcap_problem_name(c->problem_type, c->problem_code));
    }
    ssgw_jg_object_end(g);
}

/* The TCAP keys and (up to COMPONENTS_IN_GROUP of them) the components: one group. */
#define TCAP_BOUND                                                                                 \
    (JG_KEY("tcap") + JG_NAME + JG_KEY("tcap_user") + JG_NAME + 2 * (JG_KEY("otid") + 10) +        \
     JG_KEY("pabort_cause") + JG_NAME + JG_KEY("dialogue") + JG_NAME + JG_KEY("acn") + JG_STR +    \
     JG_KEY("acn_name") + JG_NAME + 14 + JG_KEY("cap_phase") + JG_INT +                            \
     JG_KEY("dialogue_result") + JG_NAME + JG_KEY("opcode") + JG_INT + JG_KEY("op") + JG_NAME +    \
     JG_KEY("components") + 2)
#define COMPONENTS_IN_GROUP 4 /* more (rare) go in a group each */
_Static_assert(TCAP_BOUND + COMPONENTS_IN_GROUP * COMPONENT_BOUND < JG_BLOCK - 1, "one block");

static void tcap_keys(ssgw_json *j, ssgw_view *v)
{
    const ssgw_tcap_msg *t = &v->tcap;
    bool comps_in_group = v->ncomp <= COMPONENTS_IN_GROUP;
    ssgw_jg g;
    ssgw_jg_begin(&g, j, TCAP_BOUND + (comps_in_group ? v->ncomp * COMPONENT_BOUND : 0));
    JG_K(&g, "tcap");
    ssgw_jg_name(&g, ssgw_tcap_msg_type_name(t->type));
    if (v->tcap_user != SSGW_TCU_MAP) { /* issue 11: MAP, the default, is not written */
        JG_K(&g, "tcap_user");
        ssgw_jg_name(&g, ssgw_tcap_user_name(v->tcap_user));
    }
    if (t->otid.present) {
        JG_K(&g, "otid");
        ssgw_jg_hex(&g, t->otid.bytes, t->otid.len);
    }
    if (t->dtid.present) {
        JG_K(&g, "dtid");
        ssgw_jg_hex(&g, t->dtid.bytes, t->dtid.len);
    }
    if (t->pabort_present) {
        JG_K(&g, "pabort_cause");
        ssgw_jg_name(&g, ssgw_tcap_pabort_cause_name(t->pabort_cause));
    }
    if (t->dialogue_present) {
        const ssgw_tcap_dialogue *d = &t->dialogue;
        JG_K(&g, "dialogue");
        ssgw_jg_name(&g, ssgw_tcap_dialogue_type_name(d->type));
        if (d->acn_len) {
            JG_K(&g, "acn");
            ssgw_jg_strn(&g, d->acn_str, strnlen(d->acn_str, sizeof d->acn_str));
        }
        if (v->acn) {
            JG_K(&g, "acn_name");
            acn_name_version(&g, v->acn->name, v->acn_version);
        } else if (v->cap_acn) {
            JG_K(&g, "acn_name");
            ssgw_jg_name(&g, v->cap_acn->name);
            JG_K(&g, "cap_phase");
            ssgw_jg_int(&g, v->cap_acn->phase);
        }
        if (d->type == SSGW_TCAP_DLG_AARE) {
            JG_K(&g, "dialogue_result");
            ssgw_jg_name(&g, ssgw_tcap_result_name(d->result));
        }
        if (d->type == SSGW_TCAP_DLG_ABRT) {
            JG_K(&g, "abort_source");
            ssgw_jg_name(&g, ssgw_tcap_abort_source_name(d->abort_source));
        }
    }
    int op = ssgw_view_first_opcode(v);
    if (op >= 0) {
        JG_K(&g, "opcode");
        ssgw_jg_int(&g, op);
        const char *name = ssgw_view_op_name(v, op);
        if (name) {
            JG_K(&g, "op");
            ssgw_jg_name(&g, name);
        }
    }
    if (comps_in_group) {
        JG_K(&g, "components");
        ssgw_jg_array(&g);
        for (unsigned i = 0; i < v->ncomp; i++)
            component(&g, v, &v->comp[i], i == 0);
        ssgw_jg_array_end(&g);
        ssgw_jg_end(&g);
    } else {
        ssgw_jg_end(&g);
        ssgw_json_array_begin(j, "components");
        for (unsigned i = 0; i < v->ncomp; i++) {
            ssgw_jg_begin(&g, j, COMPONENT_BOUND);
            component(&g, v, &v->comp[i], false); /* its "," dropped when it is the first */
            ssgw_jg_end(&g);
        }
        ssgw_json_array_end(j);
    }
    if (v->comp_truncated) ssgw_json_bool(j, "components_truncated", true);
}

static void map_keys(ssgw_json *j, ssgw_view *v)
{
    char tmp[SSGW_MAP_USSD_CAP + 8];
    ssgw_view_map(v);
    /* the decoder's presence bits (nothing changes v->map after it): a clear bit is an
     * absent field, a set one is checked below as ssgw_map_fields_present's would be */
    for (uint32_t set = v->map.present; set; set &= set - 1) {
        ssgw_map_field f = (ssgw_map_field)__builtin_ctz(set);
        const char *val = ssgw_map_field_get(&v->map, f, tmp, sizeof tmp);
        size_t klen;
        const char *key = ssgw_map_field_key(f, &klen);
        if (val && val[0]) ssgw_json_kstrn(j, key, klen, val, strlen(val));
    }
}

/* --- Diameter (docs/fields.md "Diameter") ------------------------------------------------ */

KEY_INLINE void diam_list(ssgw_json *j, const char *key, const ssgw_diam_str *items, unsigned n,
                          unsigned total)
{
    if (!total) return;
    ssgw_json_array_begin(j, key);
    for (unsigned i = 0; i < n; i++)
        ssgw_json_strn(j, NULL, items[i].p, items[i].len);
    ssgw_json_array_end(j);
    if (total > n) int_joined(j, key, "_total", "", total);
}

static void diameter_keys(ssgw_json *j, ssgw_view *v)
{
    const ssgw_diam_msg *m = &v->diameter;
    bool req = ssgw_diam_is_request(m);
    const char *abbrev = ssgw_diam_cmd_abbrev(m->code, req);
    ssgw_json_str(j, "diameter", abbrev ? abbrev : "unknown");
    ssgw_json_int(j, "cmd_code", m->code);
    ssgw_json_bool(j, "request", req);
    if (m->flags & SSGW_DIAM_FLAG_P) ssgw_json_bool(j, "proxiable", true);
    if (m->flags & SSGW_DIAM_FLAG_E) ssgw_json_bool(j, "error_bit", true);
    if (m->flags & SSGW_DIAM_FLAG_T) ssgw_json_bool(j, "retransmitted", true);
    ssgw_json_int(j, "app_id", m->app_id);
    const char *app = ssgw_diam_app_name(m->app_id);
    if (app) ssgw_json_str(j, "app", app);
    ssgw_json_int(j, "hbh", m->hbh);
    ssgw_json_int(j, "e2e", m->e2e);
    ssgw_view_diameter(v);
    const ssgw_diam_fields *f = &v->diam;
    char tmp[256];
    for (int i = 0; i < SSGW_DIAM_F_COUNT; i++) {
        ssgw_diam_field fi = (ssgw_diam_field)i;
        const char *key = ssgw_diam_field_name(fi);
        const ssgw_diam_str *sv = ssgw_diam_field_view(f, fi);
        int64_t num;
        const char *val;
        if (sv) {
            ssgw_json_strn(j, key, sv->p, sv->len);
        } else if ((val = ssgw_diam_field_get(f, fi, tmp, sizeof tmp, &num)) != NULL) {
            if (!ssgw_diam_field_is_int(fi)) {
                ssgw_json_str(j, key, val);
                continue;
            }
            ssgw_json_int(j, key, num);
            const char *name = ssgw_diam_field_value_name(fi, num);
            if (name) str_joined(j, key, "_name", name);
        }
        if (fi == SSGW_DIAM_F_DEST_REALM)
            diam_list(j, "route_record", f->route_record, f->n_route_record, f->route_record_total);
    }
    diam_list(j, "apn", f->apn, f->n_apn, f->apn_total);
    if (m->n_unknown) ssgw_json_int(j, "unknown_avps", m->n_unknown);
}

/* --- end of Diameter ----------------------------------------------------------------------- */

/* --- ISUP (SI = 5) ------------------------------------------------------------------- */

/* <prefix>_number and the indicators its layout has: <prefix>_nai, _npi, _inn / _ni,
 * _presentation, _screening (the called number's INN; the calling number's NI); a
 * subsequent number has digits only. */
static void isup_number(ssgw_json *j, const char *prefix, const char *ni_key,
                        const ssgw_isup_number *n)
{
    if (!n->present) return;
    str_joined(j, prefix, "_number", n->digits);
    if (n->npi >= 0) { /* a subsequent number has neither */
        int_joined(j, prefix, "_nai", "", n->nai);
        int_joined(j, prefix, "_npi", "", n->npi);
    }
    if (n->inn_ni >= 0 && ni_key) int_joined(j, prefix, "_", ni_key, n->inn_ni);
    if (n->presentation >= 0) int_joined(j, prefix, "_presentation", "", n->presentation);
    if (n->screening >= 0) int_joined(j, prefix, "_screening", "", n->screening);
}

KEY_INLINE void int_key(ssgw_json *j, const char *key, int v)
{
    if (v >= 0) ssgw_json_int(j, key, v);
}

static void isup_keys(ssgw_json *j, const ssgw_view *v)
{
    const ssgw_isup_msg *m = &v->isup;
    const ssgw_isup_fields *f = &m->f;
    ssgw_json_str(j, "isup", ssgw_isup_msg_abbr(m->type));
    ssgw_json_int(j, "isup_type", m->type);
    ssgw_json_int(j, "cic", m->cic);
    isup_number(j, "called", "inn", &f->called);
    isup_number(j, "calling", "ni", &f->calling);
    int_key(j, "calling_category", f->calling_category);
    const char *cat =
        f->calling_category >= 0 ? ssgw_isup_category_name((unsigned)f->calling_category) : NULL;
    if (cat) ssgw_json_str(j, "calling_category_name", cat);
    isup_number(j, "subsequent", NULL, &f->subsequent);
    isup_number(j, "redirecting", NULL, &f->redirecting);
    isup_number(j, "original_called", NULL, &f->original_called);
    isup_number(j, "redirection", "inn", &f->redirection);
    isup_number(j, "location", "inn", &f->location);
    isup_number(j, "connected", NULL, &f->connected);
    if (f->n_generic) {
        ssgw_json_array_begin(j, "generic_number");
        for (unsigned i = 0; i < f->n_generic; i++) {
            const ssgw_isup_number *g = &f->generic[i];
            ssgw_json_object_begin(j, NULL);
            ssgw_json_str(j, "number", g->digits);
            ssgw_json_int(j, "qualifier", g->qualifier);
            ssgw_json_int(j, "nai", g->nai);
            ssgw_json_int(j, "npi", g->npi);
            ssgw_json_int(j, "ni", g->inn_ni);
            ssgw_json_int(j, "presentation", g->presentation);
            ssgw_json_int(j, "screening", g->screening);
            ssgw_json_object_end(j);
        }
        ssgw_json_array_end(j);
    }
    if (f->redirecting_indicator >= 0) {
        ssgw_json_object_begin(j, "redirection_info");
        ssgw_json_int(j, "indicator", f->redirecting_indicator);
        ssgw_json_int(j, "original_reason", f->original_redirection_reason);
        int_key(j, "counter", f->redirection_counter);
        int_key(j, "reason", f->redirection_reason);
        ssgw_json_object_end(j);
    }
    if (f->cause_value >= 0) {
        ssgw_json_int(j, "cause", f->cause_value);
        const char *name = ssgw_isup_cause_name((unsigned)f->cause_value);
        if (name) ssgw_json_str(j, "cause_name", name);
        ssgw_json_int(j, "cause_location", f->cause_location);
    }
    if (f->event >= 0) {
        ssgw_json_int(j, "event", f->event);
        ssgw_json_bool(j, "event_restricted", f->event_restricted == 1);
    }
    int_key(j, "nci", f->nci);
    int_key(j, "fci", f->fci);
    int_key(j, "bci", f->bci);
    int_key(j, "tmr", f->tmr);
    int_key(j, "range", f->range);
    int_key(j, "cgsmti", f->cgsmti);
    int_key(j, "suspend_resume", f->suspend_resume);
    int_key(j, "hop_counter", f->hop_counter);
    if (f->param_compat) ssgw_json_bool(j, "parameter_compatibility", true);
    if (f->app_transport) ssgw_json_int(j, "application_transport", f->n_app_transport);
    if (m->nparams) {
        ssgw_json_array_begin(j, "isup_params");
        for (unsigned i = 0; i < m->nparams; i++)
            ssgw_json_int(j, NULL, m->params[i].code);
        ssgw_json_array_end(j);
    }
    if (m->params_truncated) ssgw_json_bool(j, "isup_params_truncated", true);
}

/* --- the SMS TPDU in MAP sm-RP-UI ------------------------------------------------------ */

KEY_INLINE void sms_addr(ssgw_json *j, const char *key, const ssgw_sms_addr *a)
{
    if (!a->present) return;
    ssgw_json_str(j, key, a->text);
    str_joined(j, key, "_type", a->alphanumeric ? "alphanumeric" : "numeric");
    int_joined(j, key, "_ton", "", a->ton);
    int_joined(j, key, "_npi", "", a->npi);
}

static void sms_time(ssgw_json *j, const char *key, const ssgw_sms_time *t)
{
    char s[40];
    ssgw_sms_time_format(t, s, sizeof s);
    ssgw_json_str(j, key, s);
}

/* Validity period in minutes of a relative TP-VP (TS 23.040 9.2.3.12.1). */
static long vp_minutes(int vp)
{
    if (vp <= 143) return (vp + 1) * 5L;
    if (vp <= 167) return 12 * 60L + (vp - 143) * 30L;
    if (vp <= 196) return (vp - 166) * 24 * 60L;
    return (vp - 192) * 7 * 24 * 60L;
}

static void sms_keys(ssgw_json *j, ssgw_view *v)
{
    if (ssgw_view_sms(v) < 0 || !v->has_sms) return;
    const ssgw_sms_tpdu *t = &v->sms;
    ssgw_json_str(j, "sms_type", ssgw_sms_type_name(t->type));
    ssgw_json_int(j, "sms_mti", t->first_octet & 3);
    ssgw_json_str(j, "sms_direction", v->sms_dir == SSGW_SMS_TO_MS ? "to_ms" : "from_ms");
    int_key(j, "sms_mr", t->mr);
    sms_addr(j, "sms_oa", &t->oa);
    sms_addr(j, "sms_da", &t->da);
    sms_addr(j, "sms_ra", &t->ra);
    int_key(j, "sms_pid", t->pid);
    if (t->dcs >= 0) {
        ssgw_json_int(j, "sms_dcs", t->dcs);
        ssgw_json_str(j, "sms_alphabet", ssgw_sms_alphabet_name(t->dcs_info.alphabet));
        int_key(j, "sms_class", t->dcs_info.msg_class);
        if (t->dcs_info.compressed) ssgw_json_bool(j, "sms_compressed", true);
        int_key(j, "sms_mwi", t->dcs_info.mwi);
    }
    if (t->has_scts) sms_time(j, "sms_scts", &t->scts);
    if (t->has_dt) sms_time(j, "sms_dt", &t->dt);
    int_key(j, "sms_st", t->st);
    int_key(j, "sms_fcs", t->fcs);
    if (t->vp_relative >= 0) ssgw_json_int(j, "sms_vp_minutes", vp_minutes(t->vp_relative));
    if (t->vpf == 3) sms_time(j, "sms_vp", &t->vp_absolute);
    if (t->vpf == 1) ssgw_json_str(j, "sms_vp", "enhanced");
    int_key(j, "sms_ct", t->ct);
    int_key(j, "sms_mn", t->mn);
    bool deliver = t->type == SSGW_SMS_DELIVER, submit = t->type == SSGW_SMS_SUBMIT;
    bool status = t->type == SSGW_SMS_STATUS_REPORT;
    if (deliver || status) ssgw_json_bool(j, "sms_mms", t->mms);
    if (deliver) ssgw_json_bool(j, "sms_sri", t->sri);
    if (submit || t->type == SSGW_SMS_COMMAND) ssgw_json_bool(j, "sms_srr", t->srr);
    if (submit) ssgw_json_bool(j, "sms_rd", t->rd);
    if (status) ssgw_json_bool(j, "sms_srq", t->srq);
    if (deliver || submit) ssgw_json_bool(j, "sms_rp", t->rp);
    ssgw_json_bool(j, "sms_udhi", t->udhi);
    if (t->n_ie) {
        ssgw_json_array_begin(j, "sms_udh_ieis");
        for (unsigned i = 0; i < t->n_ie && i < SSGW_SMS_MAX_IE; i++)
            ssgw_json_int(j, NULL, t->ie[i]);
        ssgw_json_array_end(j);
    }
    if (t->concat) {
        ssgw_json_object_begin(j, "sms_udh_concat");
        ssgw_json_int(j, "ref", t->concat_ref);
        ssgw_json_int(j, "ref_bits", t->concat_ref_bits);
        ssgw_json_int(j, "total", t->concat_total);
        ssgw_json_int(j, "seq", t->concat_seq);
        ssgw_json_object_end(j);
    }
    if (t->ports) {
        ssgw_json_object_begin(j, "sms_udh_ports");
        ssgw_json_int(j, "dst", t->dst_port);
        ssgw_json_int(j, "src", t->src_port);
        ssgw_json_int(j, "bits", t->port_bits);
        ssgw_json_object_end(j);
    }
    int_key(j, "sms_udl", t->udl);
    if (t->ud && t->type != SSGW_SMS_COMMAND) {
        /* the text itself is private: only its length (ssgw_record_sms_text writes it) */
        char text[SSGW_SMS_TEXT_CAP];
        size_t chars;
        if (ssgw_sms_text(t, text, sizeof text, &chars) >= 0)
            ssgw_json_int(j, "sms_text_chars", (long long)chars);
        else
            ssgw_json_int(j, "sms_body_octets", (long long)t->text_count);
    }
}

void ssgw_record_sms_text(ssgw_json *j, ssgw_view *v)
{
    if (ssgw_view_sms(v) < 0 || !v->has_sms || !v->sms.ud) return;
    const ssgw_sms_tpdu *t = &v->sms;
    char text[SSGW_SMS_TEXT_CAP];
    if (t->type == SSGW_SMS_COMMAND)
        ssgw_json_hex(j, "sms_body", t->ud, t->ud_len);
    else if (ssgw_sms_text(t, text, sizeof text, NULL) >= 0)
        ssgw_json_str(j, "sms_text", text);
    else
        ssgw_json_hex(j, "sms_body", t->ud + t->text_first, t->text_count);
}

long ssgw_record_build(char *buf, size_t cap, ssgw_record_fn head, ssgw_view *v,
                       ssgw_record_fn tail, const void *ctx, bool *fallback)
{
    ssgw_json j;
    if (fallback) *fallback = false;
    ssgw_json_begin(&j, buf, cap);
    if (head) head(&j, ctx);
    ssgw_record_view(&j, v);
    if (tail) tail(&j, ctx);
    long n = ssgw_json_end(&j);
    if (n >= 0) return n;
    if (fallback) *fallback = true;
    ssgw_json_begin(&j, buf, cap);
    if (head) head(&j, ctx);
    ssgw_json_str(&j, "error", "record: too large to print");
    if (tail) tail(&j, ctx);
    return ssgw_json_end(&j);
}

void ssgw_record_view(ssgw_json *j, ssgw_view *v)
{
    ssgw_jg g;
    ssgw_jg_begin(&g, j, JG_KEY("m3ua") + JG_NAME + 6 * (JG_KEY("opc") + JG_INT));
    if (v->has_m3ua) { /* the decoder found the message's row: its name without a table walk */
        JG_K(&g, "m3ua");
        ssgw_jg_name(&g, v->m3ua.spec ? v->m3ua.spec->name
                                      : ssgw_m3ua_msg_name(v->m3ua.msg_class, v->m3ua.msg_type));
    }
    if (v->has_m3ua && (v->m3ua.present & SSGW_M3UA_HAS_ROUTING_CONTEXT) &&
        v->m3ua.routing_context.count) {
        JG_K(&g, "rc");
        ssgw_jg_int(&g, ssgw_m3ua_u32_at(&v->m3ua.routing_context, 0));
    }
    if (v->has_label) {
        JG_K(&g, "opc");
        ssgw_jg_int(&g, v->opc);
        JG_K(&g, "dpc");
        ssgw_jg_int(&g, v->dpc);
        JG_K(&g, "si");
        ssgw_jg_int(&g, v->si);
        JG_K(&g, "ni");
        ssgw_jg_int(&g, v->ni);
        JG_K(&g, "sls");
        ssgw_jg_int(&g, v->sls);
    }
    ssgw_jg_end(&g);
    if (v->has_m2pa || v->has_m2ua || v->has_sua) ssgw_record_framing(j, v);
    if (v->has_sccp) sccp_keys(j, v);
    if (v->has_tcap) {
        tcap_keys(j, v);
        if (v->tcap_user == SSGW_TCU_CAP) {
            ssgw_record_cap(j, v);
        } else {
            map_keys(j, v);
            sms_keys(j, v);
        }
    }
    if (v->has_scmg || v->has_ansi_tcap) ssgw_record_other_user(j, v);
    if (v->has_diameter) diameter_keys(j, v);
    if (v->has_isup) isup_keys(j, v);
    if (v->has_error) ssgw_record_error(j, &v->error);
}

static void trust_keys(ssgw_json *j, const ssgw_pipeline_result *r)
{
    const ssgw_pl_token *t = &r->token;
    ssgw_json_str(j, "trust", ssgw_trust_outcome_name(r->trust));
    ssgw_json_str(j, "trust_action", ssgw_trust_action_name(r->trust_action));
    ssgw_json_str(j, "trust_policy", ssgw_trust_mode_name(r->trust_mode));
    if (r->partner) ssgw_json_str(j, "partner", r->partner);
    if (t->present) {
        ssgw_json_int(j, "token_bytes", (long long)t->bytes);
        ssgw_json_str(j, "token_mode", ssgw_token_mode_name(t->mode));
        ssgw_json_hex(j, "token_key_id", t->key_id, sizeof t->key_id);
        ssgw_json_int(j, "token_time", (long long)t->time);
    }
    if (t->signer[0]) {
        ssgw_json_str(j, "signer", t->signer);
        ssgw_json_str(j, "signer_serial", t->signer_serial);
    }
    if (r->trust == SSGW_TRUST_MALFORMED) {
        char e[200];
        ssgw_error_format(&t->err, e, sizeof e);
        ssgw_json_str(j, "trust_error", e);
    }
}

/* The CLI attestation of a call (include/ssgw/cli.h). */
static void cli_keys(ssgw_json *j, const ssgw_pipeline_result *r)
{
    static const char *const level[] = {"none", "full", "partial", "gateway"};
    const ssgw_pl_cli *c = &r->cli_att;
    if (r->cli_checked) {
        ssgw_json_str(j, "cli", ssgw_trust_outcome_name(r->cli));
        ssgw_json_str(j, "cli_action",
                      r->cli_action == SSGW_TRUST_ACTION_DROP
                          ? "release"
                          : ssgw_trust_action_name(r->cli_action));
        ssgw_json_str(j, "cli_policy", ssgw_trust_mode_name(r->cli_mode));
        if (r->partner) ssgw_json_str(j, "partner", r->partner);
    }
    if (c->present) {
        ssgw_json_str(j, "cli_attest", level[c->attest >= 0 && c->attest <= 3 ? c->attest : 0]);
        ssgw_json_int(j, "cli_bytes", (long long)c->bytes);
        ssgw_json_int(j, "cli_time", (long long)c->iat);
        if (r->cli_checked) ssgw_json_hex(j, "cli_key_id", c->key_id, sizeof c->key_id);
    }
    if (c->signer[0]) {
        ssgw_json_str(j, "signer", c->signer);
        ssgw_json_str(j, "signer_serial", c->signer_serial);
    }
    if (r->cli_marked) ssgw_json_bool(j, "cli_marked", true);
    if (r->cli_signed) ssgw_json_bool(j, "cli_signed", true);
    if (r->cli_sign_refused || (r->cli_checked && r->cli == SSGW_TRUST_MALFORMED)) {
        char e[200];
        ssgw_error_format(&c->err, e, sizeof e);
        ssgw_json_str(j, "cli_error", e);
    }
}

/* The verdict's keys: direction, action, alert, and the firewall's verdict when it judged
 * (verdict, enforced, category, check, reason, answer, incident), one group. The check may
 * name a rule of the configuration (not a constant of the program): no name memo for it. */
void ssgw_record_result(ssgw_json *j, const ssgw_pipeline_result *r)
{
    const ssgw_verdict *vd = &r->verdict;
    ssgw_jg g;
    ssgw_jg_begin(&g, j,
                  JG_KEY("direction") + JG_NAME + JG_KEY("action") + JG_NAME + JG_KEY("alert") +
                      JG_BOOL + JG_KEY("verdict") + JG_NAME + JG_KEY("enforced") + JG_BOOL +
                      JG_KEY("category") + JG_NAME + JG_KEY("check") + JG_STR + JG_KEY("reason") +
                      JG_STR + JG_KEY("answer") + JG_STR + JG_KEY("incident") + 10);
    JG_K(&g, "direction");
    ssgw_jg_name(&g, ssgw_direction_name(r->direction));
    JG_K(&g, "action");
    ssgw_jg_name(&g, ssgw_pl_action_name(r->action));
    if (r->alert) {
        JG_K(&g, "alert");
        ssgw_jg_bool(&g, true);
    }
    if (r->has_verdict) {
        JG_K(&g, "verdict");
        ssgw_jg_name(&g, ssgw_action_name(vd->action));
        JG_K(&g, "enforced");
        ssgw_jg_bool(&g, vd->enforced);
        JG_K(&g, "category");
        ssgw_jg_name(&g, ssgw_category_name(vd->category));
        JG_K(&g, "check");
        ssgw_jg_strn(&g, vd->check, strlen(vd->check));
        JG_K(&g, "reason");
        ssgw_jg_strn(&g, vd->reason, strnlen(vd->reason, sizeof vd->reason));
        if (vd->action == SSGW_ACT_ANSWER) {
            char a[64];
            ssgw_answer_format(&vd->answer, a, sizeof a);
            JG_K(&g, "answer");
            ssgw_jg_strn(&g, a, strlen(a));
        }
        if (vd->incident) { /* eight lower-case hex digits, as "%08x" */
            static const char hex[] = "0123456789abcdef";
            JG_K(&g, "incident");
            char *o = ssgw_jg_room(&g);
            for (int i = 0; i < 8; i++)
                o[i] = hex[(vd->incident >> (28 - 4 * i)) & 15];
            ssgw_jg_room_plain(&g, 8);
        }
    }
    ssgw_jg_end(&g);
    if (r->trust_checked)
        trust_keys(j, r);
    else if (r->partner)
        ssgw_json_str(j, "partner", r->partner);
    if (r->signed_msg) {
        ssgw_json_bool(j, "signed", true);
        ssgw_json_int(j, "token_bytes", (long long)r->token_added);
    }
    if (r->sign_refused) ssgw_json_bool(j, "sign_refused", true);
    if (r->cli_checked || r->cli_signed || r->cli_sign_refused) cli_keys(j, r);
    if (r->released) ssgw_json_bool(j, "released", true);
    if (r->record_sms_text && r->view && r->view->has_tcap) ssgw_record_sms_text(j, r->view);
}
