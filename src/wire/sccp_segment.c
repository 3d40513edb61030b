/*
 * sccp_segment.c - SCCP connectionless segmentation and reassembly
 * (ITU-T Q.714 4.1.1.2 segmentation, 4.1.1.3 reassembly; Q.713 3.17
 * segmentation parameter).
 *
 * Segmentation cuts user data too large for one XUDT into at most 16 XUDT
 * messages, each as full as max_msg allows (so the first is the largest, which
 * lets a receiver size its buffer from first length x segment count). All
 * segments share a local reference; "remaining segments" counts down to 0.
 *
 * Reassembly keeps a fixed table of open reassemblies keyed by (caller's peer
 * id, the calling party address's octets as sent, local reference). A repeated
 * first segment ends the open reassembly and is refused itself (a node may keep
 * either: judging one while the node rebuilds the other would let a message
 * through unjudged). Segments must arrive in order
 * (protocol class 1 is in-sequence delivery); anything else ends that
 * reassembly with a distinct, counted outcome. Memory is bounded: the table is
 * allocated once, and each partial message's buffer is bounded by
 * max_msg_bytes and all of them together by max_total_bytes.
 */
#include "ssgw/sccp.h"

#include <stdlib.h>
#include <string.h>

/* Largest XUDT this file builds: header, two 255-octet addresses, 255 data, options. */
#define SEG_TMP_MAX 1024

int ssgw_sccp_segment(const ssgw_sccp_msg *tmpl, uint32_t local_ref, size_t max_msg,
                      ssgw_sccp_segment_fn fn, void *ctx, ssgw_error *err)
{
    if (max_msg == 0) max_msg = SSGW_SCCP_MAX_MSG;
    if (max_msg > SEG_TMP_MAX) max_msg = SEG_TMP_MAX;
    if (tmpl->data_len > SSGW_SCCP_MAX_SEGMENTED_DATA || (tmpl->data_len && !tmpl->data))
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "data length", 0);
    if (local_ref > 0xffffff)
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, "segmentation parameter", 0);
    if (tmpl->protocol_class > 1)
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, "protocol class", 0);

    ssgw_sccp_msg s = *tmpl;
    s.type = SSGW_SCCP_XUDT;
    s.protocol_class = 1; /* in-sequence delivery of the segments (Q.714 4.1.1.2.2) */
    s.has_segmentation = true;
    s.seg.cls = tmpl->protocol_class;
    s.seg.local_ref = local_ref;
    s.seg.first = true;
    s.seg.remaining = 15;
    s.opt = NULL;
    s.opt_len = 0;
    s.data = NULL;
    s.data_len = 0;

    uint8_t tmp[SEG_TMP_MAX];
    ssgw_buf b;
    ssgw_buf_init(&b, tmp, sizeof tmp);
    if (ssgw_sccp_encode(&b, &s, err) < 0) return -1;
    size_t overhead = b.len;
    if (overhead >= max_msg)
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "party address", 0);
    size_t chunk = max_msg - overhead;
    if (chunk > 255) chunk = 255;
    /* The 1-octet optional pointer (octet 6) must still reach past the data. */
    if (chunk > 255u - tmp[6]) chunk = 255u - tmp[6];
    if (chunk == 0) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "party address", 0);
    size_t count = tmpl->data_len ? (tmpl->data_len + chunk - 1) / chunk : 1;
    if (count > SSGW_SCCP_MAX_SEGMENTS)
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "data length", 0);

    for (size_t i = 0; i < count; i++) {
        size_t off = i * chunk;
        s.seg.first = i == 0;
        s.seg.remaining = (uint8_t)(count - 1 - i);
        s.data = tmpl->data ? tmpl->data + off : NULL;
        s.data_len = tmpl->data_len - off < chunk ? tmpl->data_len - off : chunk;
        ssgw_buf_init(&b, tmp, max_msg);
        if (ssgw_sccp_encode(&b, &s, err) < 0) return -1;
        int rc = fn(ctx, (unsigned)i, (unsigned)count, b.data, b.len);
        if (rc != 0) return rc;
    }
    return (int)count;
}

typedef struct {
    ssgw_buf *bufs;
    size_t nbufs;
    bool failed;
} to_bufs_ctx;

static int put_to_buf(void *ctx, unsigned index, unsigned count, const uint8_t *msg, size_t len)
{
    to_bufs_ctx *c = ctx;
    (void)count;
    ssgw_buf *b = index < c->nbufs ? &c->bufs[index] : NULL;
    if (!b || b->overflow || b->cap - b->len < len) {
        c->failed = true;
        return 1;
    }
    ssgw_buf_put(b, msg, len);
    return 0;
}

int ssgw_sccp_segment_to_bufs(const ssgw_sccp_msg *tmpl, uint32_t local_ref, size_t max_msg,
                              ssgw_buf *bufs, size_t nbufs, ssgw_error *err)
{
    to_bufs_ctx c = {bufs, nbufs, false};
    int rc = ssgw_sccp_segment(tmpl, local_ref, max_msg, put_to_buf, &c, err);
    if (c.failed) /* put_to_buf refused: too few buffers or one too small */
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "segment buffers", 0);
    return rc;
}

/* ---- reassembly ----------------------------------------------------------- */

typedef struct {
    bool used;
    /* key */
    uint32_t source; /* the arrival link (0: none) */
    uint32_t peer;
    uint32_t local_ref;
    bool has_pc;
    uint16_t pc;
    uint8_t ssn;
    char digits[SSGW_DIGITS_MAX + 1];
    uint8_t *addr; /* the calling address's octets (ssgw_sccp_addr.raw), addr_len of them */
    size_t addr_len;
    /* state */
    uint64_t started_ms;
    uint8_t expected; /* remaining-segments value the next segment must carry */
    uint8_t *buf;
    size_t len, cap;
} reasm_entry;

/* What one source holds (a small open table; sources beyond it share the last slot). */
#define SOURCES 64
typedef struct {
    uint32_t source;
    bool used;
    size_t active, bytes;
} source_use;

struct ssgw_sccp_reasm {
    ssgw_sccp_reasm_limits lim;
    source_use src[SOURCES];
    reasm_entry *tab;
    size_t active;
    size_t bytes;
    uint64_t oldest_ms; /* earliest start among open reassemblies (when active) */
    uint8_t *out;       /* last completed message, freed on the next call */
    ssgw_sccp_reasm_stats st;
};

const char *ssgw_sccp_reasm_result_name(int r)
{
    static const char *const names[SSGW_SCCP_REASM_RESULT_COUNT] = {
        [SSGW_SCCP_REASM_UNSEGMENTED] = "unsegmented",
        [SSGW_SCCP_REASM_IN_PROGRESS] = "in progress",
        [SSGW_SCCP_REASM_COMPLETE] = "complete",
        [SSGW_SCCP_REASM_OUT_OF_ORDER] = "out of order",
        [SSGW_SCCP_REASM_MISSING_FIRST] = "missing first segment",
        [SSGW_SCCP_REASM_TOO_BIG] = "too big",
        [SSGW_SCCP_REASM_TABLE_FULL] = "table full",
        [SSGW_SCCP_REASM_MEMORY_FULL] = "memory full",
        [SSGW_SCCP_REASM_TIMED_OUT] = "timed out",
        [SSGW_SCCP_REASM_SOURCE_FULL] = "source quota full",
        [SSGW_SCCP_REASM_CONFLICT] = "repeated first segment",
    };
    return r >= 0 && r < SSGW_SCCP_REASM_RESULT_COUNT ? names[r] : "?";
}

ssgw_sccp_reasm *ssgw_sccp_reasm_new(const ssgw_sccp_reasm_limits *lim)
{
    if (!lim || !lim->max_entries || !lim->max_msg_bytes || !lim->max_total_bytes ||
        !lim->timeout_ms)
        return NULL;
    ssgw_sccp_reasm *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->lim = *lim;
    if (!r->lim.max_entries_per_source) r->lim.max_entries_per_source = (lim->max_entries + 3) / 4;
    if (!r->lim.max_bytes_per_source) r->lim.max_bytes_per_source = (lim->max_total_bytes + 3) / 4;
    r->tab = calloc(lim->max_entries, sizeof *r->tab);
    if (!r->tab) {
        free(r);
        return NULL;
    }
    return r;
}

/* The usage slot of a source (0 has none: it is bounded by the table alone). */
static source_use *use_of(ssgw_sccp_reasm *r, uint32_t source)
{
    if (!source) return NULL;
    size_t h = (size_t)(source * 2654435761u) % SOURCES;
    for (size_t k = 0; k < SOURCES - 1; k++) {
        source_use *u = &r->src[(h + k) % (SOURCES - 1)];
        if (u->used && u->source == source) return u;
        if (!u->used) {
            u->used = true;
            u->source = source;
            return u;
        }
    }
    return &r->src[SOURCES - 1]; /* more sources than slots: they share one quota */
}

static void drop(ssgw_sccp_reasm *r, reasm_entry *e)
{
    source_use *u = use_of(r, e->source);
    if (u) {
        u->active--;
        u->bytes -= e->cap;
    }
    free(e->buf);
    free(e->addr);
    r->bytes -= e->cap;
    r->active--;
    memset(e, 0, sizeof *e);
}

void ssgw_sccp_reasm_free(ssgw_sccp_reasm *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->lim.max_entries; i++)
        if (r->tab[i].used) drop(r, &r->tab[i]);
    free(r->out);
    free(r->tab);
    free(r);
}

static bool expired(const ssgw_sccp_reasm *r, const reasm_entry *e, uint64_t now_ms)
{
    return now_ms >= e->started_ms && now_ms - e->started_ms >= r->lim.timeout_ms;
}

size_t ssgw_sccp_reasm_expire(ssgw_sccp_reasm *r, uint64_t now_ms)
{
    size_t n = 0;
    uint64_t oldest = UINT64_MAX;
    for (size_t i = 0; i < r->lim.max_entries && r->active; i++) {
        reasm_entry *e = &r->tab[i];
        if (!e->used) continue;
        if (expired(r, e, now_ms)) {
            drop(r, e);
            n++;
        } else if (e->started_ms < oldest) {
            oldest = e->started_ms;
        }
    }
    r->oldest_ms = oldest;
    r->st.expired += n;
    return n;
}

/* The purge on feed: a full scan only when the oldest reassembly may have expired. */
static void purge(ssgw_sccp_reasm *r, uint64_t now_ms)
{
    if (r->active && now_ms >= r->oldest_ms && now_ms - r->oldest_ms >= r->lim.timeout_ms)
        ssgw_sccp_reasm_expire(r, now_ms);
}

/* The address's octets as sent: none for an address that was not decoded (an encoder's). */
static size_t raw_len(const ssgw_sccp_addr *a)
{
    return a->raw ? a->raw_len : 0;
}

static bool key_matches(const reasm_entry *e, uint32_t source, uint32_t peer,
                        const ssgw_sccp_msg *m)
{
    return e->used && e->source == source && e->peer == peer && e->local_ref == m->seg.local_ref &&
           e->has_pc == m->calling.has_pc && e->pc == m->calling.pc && e->ssn == m->calling.ssn &&
           strcmp(e->digits, m->calling.digits) == 0 && e->addr_len == raw_len(&m->calling) &&
           (!e->addr_len || memcmp(e->addr, m->calling.raw, e->addr_len) == 0);
}

static ssgw_sccp_reasm_result done(ssgw_sccp_reasm *r, ssgw_sccp_reasm_result res)
{
    r->st.results[res]++;
    return res;
}

ssgw_sccp_reasm_result ssgw_sccp_reasm_feed(ssgw_sccp_reasm *r, const ssgw_sccp_msg *m,
                                            uint32_t peer, uint64_t now_ms, const uint8_t **out,
                                            size_t *out_len)
{
    return ssgw_sccp_reasm_feed_from(r, m, 0, peer, now_ms, out, out_len);
}

ssgw_sccp_reasm_result ssgw_sccp_reasm_feed_from(ssgw_sccp_reasm *r, const ssgw_sccp_msg *m,
                                                 uint32_t source, uint32_t peer, uint64_t now_ms,
                                                 const uint8_t **out, size_t *out_len)
{
    free(r->out);
    r->out = NULL;
    *out = NULL;
    *out_len = 0;
    if (!m->has_segmentation) {
        purge(r, now_ms);
        return done(r, SSGW_SCCP_REASM_UNSEGMENTED);
    }

    reasm_entry *e = NULL;
    for (size_t i = 0; i < r->lim.max_entries && r->active; i++)
        if (key_matches(&r->tab[i], source, peer, m)) {
            e = &r->tab[i];
            break;
        }
    if (e && expired(r, e, now_ms)) {
        drop(r, e);
        r->st.expired++;
        e = NULL;
        if (!m->seg.first) {
            purge(r, now_ms);
            return done(r, SSGW_SCCP_REASM_TIMED_OUT);
        }
    }
    purge(r, now_ms);

    if (m->seg.first) {
        if (e) { /* which of the two the node keeps is not known: neither is completed */
            drop(r, e);
            r->st.replaced++;
            return done(r, SSGW_SCCP_REASM_CONFLICT);
        }
        if (m->data_len > r->lim.max_msg_bytes) return done(r, SSGW_SCCP_REASM_TOO_BIG);
        if (m->seg.remaining == 0) { /* a single segment: the data is the message */
            *out = m->data;
            *out_len = m->data_len;
            return done(r, SSGW_SCCP_REASM_COMPLETE);
        }
        source_use *u = use_of(r, source);
        if (u && u->active >= r->lim.max_entries_per_source)
            return done(r, SSGW_SCCP_REASM_SOURCE_FULL);
        if (r->active >= r->lim.max_entries) return done(r, SSGW_SCCP_REASM_TABLE_FULL);
        /* First segment is the largest (Q.714): reserve first x count, within the caps. */
        size_t cap = m->data_len * ((size_t)m->seg.remaining + 1);
        if (cap > r->lim.max_msg_bytes) cap = r->lim.max_msg_bytes;
        if (cap == 0) cap = 1; /* an empty first segment still needs a buffer */
        if (u && cap > r->lim.max_bytes_per_source - u->bytes) {
            cap = r->lim.max_bytes_per_source - u->bytes;
            if (cap == 0 || cap < m->data_len) return done(r, SSGW_SCCP_REASM_SOURCE_FULL);
        }
        if (cap > r->lim.max_total_bytes - r->bytes) cap = r->lim.max_total_bytes - r->bytes;
        if (cap == 0 || cap < m->data_len) return done(r, SSGW_SCCP_REASM_MEMORY_FULL);
        size_t alen = raw_len(&m->calling);
        uint8_t *buf = malloc(cap), *addr = alen ? malloc(alen) : NULL;
        if (!buf || (alen && !addr)) {
            free(buf);
            free(addr);
            return done(r, SSGW_SCCP_REASM_MEMORY_FULL);
        }
        if (alen) memcpy(addr, m->calling.raw, alen);
        for (size_t i = 0; i < r->lim.max_entries; i++)
            if (!r->tab[i].used) {
                e = &r->tab[i];
                break;
            }
        e->used = true;
        e->source = source;
        e->peer = peer;
        e->local_ref = m->seg.local_ref;
        e->has_pc = m->calling.has_pc;
        e->pc = m->calling.pc;
        e->ssn = m->calling.ssn;
        memcpy(e->digits, m->calling.digits, sizeof e->digits);
        e->addr = addr;
        e->addr_len = alen;
        e->started_ms = now_ms;
        e->expected = (uint8_t)(m->seg.remaining - 1);
        e->buf = buf;
        e->cap = cap;
        if (m->data_len) memcpy(buf, m->data, m->data_len);
        e->len = m->data_len;
        if (r->active == 0 || now_ms < r->oldest_ms) r->oldest_ms = now_ms;
        r->active++;
        r->bytes += cap;
        if (u) {
            u->active++;
            u->bytes += cap;
        }
        return done(r, SSGW_SCCP_REASM_IN_PROGRESS);
    }

    if (!e) return done(r, SSGW_SCCP_REASM_MISSING_FIRST);
    if (m->seg.remaining != e->expected) {
        drop(r, e);
        return done(r, SSGW_SCCP_REASM_OUT_OF_ORDER);
    }
    if (m->data_len > r->lim.max_msg_bytes - e->len) {
        drop(r, e);
        return done(r, SSGW_SCCP_REASM_TOO_BIG);
    }
    size_t need = e->len + m->data_len;
    if (need > e->cap) {
        source_use *u = use_of(r, e->source);
        size_t ncap = e->cap * 2 > need ? e->cap * 2 : need;
        if (ncap > r->lim.max_msg_bytes) ncap = r->lim.max_msg_bytes;
        if (ncap - e->cap > r->lim.max_total_bytes - r->bytes ||
            (u && ncap - e->cap > r->lim.max_bytes_per_source - u->bytes))
            ncap = need;
        if (u && ncap - e->cap > r->lim.max_bytes_per_source - u->bytes) {
            drop(r, e);
            return done(r, SSGW_SCCP_REASM_SOURCE_FULL);
        }
        if (ncap - e->cap > r->lim.max_total_bytes - r->bytes) {
            drop(r, e);
            return done(r, SSGW_SCCP_REASM_MEMORY_FULL);
        }
        uint8_t *nb = realloc(e->buf, ncap);
        if (!nb) {
            drop(r, e);
            return done(r, SSGW_SCCP_REASM_MEMORY_FULL);
        }
        r->bytes += ncap - e->cap;
        if (u) u->bytes += ncap - e->cap;
        e->buf = nb;
        e->cap = ncap;
    }
    if (m->data_len) memcpy(e->buf + e->len, m->data, m->data_len);
    e->len = need;
    if (m->seg.remaining > 0) {
        e->expected--;
        return done(r, SSGW_SCCP_REASM_IN_PROGRESS);
    }
    /* Last segment: hand the buffer over until the next call. */
    r->out = e->buf;
    *out = e->buf;
    *out_len = e->len;
    e->buf = NULL;
    drop(r, e);
    return done(r, SSGW_SCCP_REASM_COMPLETE);
}

void ssgw_sccp_reasm_get_stats(const ssgw_sccp_reasm *r, ssgw_sccp_reasm_stats *out)
{
    *out = r->st;
    out->active = r->active;
    out->bytes = r->bytes;
}
