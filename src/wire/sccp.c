/*
 * sccp.c - SCCP connectionless messages: UDT, UDTS, XUDT, XUDTS, LUDT, LUDTS
 * (ITU-T Q.713 clause 4, tables 6-11; parameters 3.6 protocol class, 3.12
 * return cause, 3.17 segmentation, 3.18 hop counter, 3.19 importance).
 *
 * Every message is: type, class or return cause, [hop counter], pointers to
 * the mandatory variable parameters (called, calling, data) and, for the X/L
 * messages, to the optional part. The layouts are declared as data below; one
 * decoder and one encoder walk them. LUDT/LUDTS: 2-octet pointers and long
 * data length, least significant octet first (see sccp.h).
 *
 * Decoding is measured (issue 16): ssgw_sccp_decode reads well-formed messages in one
 * pass (unitdata_one_pass, other_unitdata_one_pass) and gives anything they refuse to the
 * layout-driven decoder, whose errors are the only ones reported.
 */
#include "ssgw/sccp.h"

#include <string.h>

#include "sccp_int.h"
#include "util/bytes.h"

typedef struct {
    uint8_t type;
    const char *name;
    bool is_service; /* UDTS/XUDTS/LUDTS: return cause instead of protocol class */
    bool extended;   /* hop counter + optional part */
    uint8_t ptr_size;
    size_t max_data;
} msg_layout;

static const msg_layout layouts[] = {
    {SSGW_SCCP_UDT, "udt", false, false, 1, 255},
    {SSGW_SCCP_UDTS, "udts", true, false, 1, 255},
    {SSGW_SCCP_XUDT, "xudt", false, true, 1, 255},
    {SSGW_SCCP_XUDTS, "xudts", true, true, 1, 255},
    {SSGW_SCCP_LUDT, "ludt", false, true, 2, 65535},
    {SSGW_SCCP_LUDTS, "ludts", true, true, 2, 65535},
};

static const msg_layout *layout_for(int type)
{
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
        if (layouts[i].type == type) return &layouts[i];
    return NULL;
}

const char *ssgw_sccp_msg_type_name(int type)
{
    const msg_layout *l = layout_for(type);
    return l ? l->name : "unknown";
}

const char *ssgw_sccp_param_name(int tag)
{
    static const char *const names[] = {
        "end of optional parameters",
        "destination local reference",
        "source local reference",
        "called party address",
        "calling party address",
        "protocol class",
        "segmenting/reassembling",
        "receive sequence number",
        "sequencing/segmenting",
        "credit",
        "release cause",
        "return cause",
        "reset cause",
        "error cause",
        "refusal cause",
        "data",
        "segmentation",
        "hop counter",
        "importance",
        "long data",
    };
    if (tag >= 0 && (size_t)tag < sizeof names / sizeof names[0]) return names[tag];
    return "unknown";
}

const char *ssgw_sccp_return_cause_name(int cause)
{
    static const char *const names[] = {
        "no translation for an address of such nature",
        "no translation for this specific address",
        "subsystem congestion",
        "subsystem failure",
        "unequipped user",
        "mtp failure",
        "network congestion",
        "unqualified",
        "error in message transport",
        "error in local processing",
        "destination cannot perform reassembly",
        "sccp failure",
        "hop counter violation",
        "segmentation not supported",
        "segmentation failure",
    };
    if (cause >= 0 && (size_t)cause < sizeof names / sizeof names[0]) return names[cause];
    return "spare";
}

/* Field names per pointer slot: called, calling, data, optional. */
static const char *const ptr_names[4] = {"called party address pointer",
                                         "calling party address pointer", "data pointer",
                                         "optional parameters pointer"};
static const char *const len_names[3] = {"called party address length",
                                         "calling party address length", "data length"};

/*
 * Resolves the pointer at pos (size 1 or 2) to the offset of its parameter.
 * Returns 0 and *target (0 when an optional pointer is 0), or -1.
 */
static int resolve_ptr(const uint8_t *buf, size_t len, size_t pos, uint8_t size, size_t fixed_end,
                       int slot, size_t *target, ssgw_error *err)
{
    size_t v = size == 1 ? buf[pos] : get_le16(buf + pos);
    if (v == 0) {
        if (slot == 3) {
            *target = 0;
            return 0;
        }
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_MISSING, ptr_names[slot], pos);
    }
    size_t t = pos + (size - 1) + v;
    if (t < fixed_end) /* into the fixed part or the pointers themselves */
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, ptr_names[slot], pos);
    if (t >= len) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, ptr_names[slot], pos);
    *target = t;
    return 0;
}

static int decode_optional(const uint8_t *buf, size_t len, size_t start, ssgw_sccp_msg *m,
                           ssgw_error *err)
{
    size_t pos = start;
    for (;;) {
        if (pos >= len)
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_MISSING, "end of optional parameters",
                             pos);
        uint8_t tag = buf[pos];
        if (tag == SSGW_SCCP_PARAM_END) break;
        if (len - pos < 2)
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TRUNCATED, "optional parameter length",
                             pos);
        size_t plen = buf[pos + 1];
        const uint8_t *v = buf + pos + 2;
        const char *field = tag == SSGW_SCCP_PARAM_SEGMENTATION ? "segmentation parameter"
                            : tag == SSGW_SCCP_PARAM_IMPORTANCE ? "importance parameter"
                                                                : "optional parameter";
        if (len - pos - 2 < plen)
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TRUNCATED, field, pos + 1);
        if (tag == SSGW_SCCP_PARAM_SEGMENTATION) {
            if (m->has_segmentation)
                return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_DUPLICATE, field, pos);
            if (plen != 4)
                return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_LENGTH, field, pos + 1);
            m->has_segmentation = true;
            m->seg.first = (v[0] & 0x80) != 0;
            m->seg.cls = (v[0] >> 6) & 1;
            m->seg.remaining = v[0] & 0x0f;
            m->seg.local_ref = (uint32_t)v[1] | (uint32_t)v[2] << 8 | (uint32_t)v[3] << 16;
        } else if (tag == SSGW_SCCP_PARAM_IMPORTANCE) {
            if (m->has_importance)
                return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_DUPLICATE, field, pos);
            if (plen != 1)
                return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_LENGTH, field, pos + 1);
            m->has_importance = true;
            m->importance = v[0] & 0x07;
        }
        pos += 2 + plen;
    }
    m->opt = buf + start;
    m->opt_len = pos - start;
    return 0;
}

int ssgw_sccp_decode_general(const uint8_t *buf, size_t len, ssgw_sccp_msg *m, ssgw_error *err)
{
    memset(m, 0, sizeof *m);
    if (len < 1) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TRUNCATED, "message type", 0);
    const msg_layout *l = layout_for(buf[0]);
    if (!l) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_TAG, "message type", 0);
    m->type = l->type;
    size_t pos = 1;
    if (len - pos < 1)
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TRUNCATED,
                         l->is_service ? "return cause" : "protocol class", pos);
    if (l->is_service) {
        m->return_cause = buf[pos];
    } else {
        uint8_t pc = buf[pos];
        if ((pc & 0x0f) > 1)
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, "protocol class", pos);
        m->protocol_class = pc & 0x0f;
        m->return_on_error = (pc & 0x80) != 0;
    }
    pos++;
    if (l->extended) {
        if (len - pos < 1)
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TRUNCATED, "hop counter", pos);
        m->hop_counter = buf[pos++];
    }
    int nptr = l->extended ? 4 : 3;
    size_t fixed_end = pos + (size_t)nptr * l->ptr_size;
    size_t target[4];
    for (int i = 0; i < nptr; i++) {
        size_t p = pos + (size_t)i * l->ptr_size;
        if (len < p + l->ptr_size)
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TRUNCATED, ptr_names[i], p);
        if (resolve_ptr(buf, len, p, l->ptr_size, fixed_end, i, &target[i], err) < 0) return -1;
    }
    for (int i = 0; i < 2; i++) {
        size_t t = target[i];
        size_t alen = buf[t];
        if (len - t - 1 < alen)
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_LENGTH, len_names[i], t);
        ssgw_sccp_addr *a = i == 0 ? &m->called : &m->calling;
        if (ssgw_sccp_party_addr_decode_zeroed(
                buf + t + 1, alen, i == 0 ? SSGW_SCCP_PARTY_CALLED : SSGW_SCCP_PARTY_CALLING, a,
                err) < 0) { /* *a was cleared with *m */
            ssgw_error_rebase(err, t + 1);
            return -1;
        }
    }
    size_t t = target[2];
    size_t dlen, hdr = l->ptr_size; /* long data has a 2-octet length like the pointers */
    if (hdr == 2) {
        if (len - t < 2) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TRUNCATED, len_names[2], t);
        dlen = get_le16(buf + t);
    } else {
        dlen = buf[t];
    }
    if (len - t - hdr < dlen)
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_LENGTH, len_names[2], t);
    m->data = buf + t + hdr;
    m->data_len = dlen;
    m->data_offset = t + hdr;
    if (l->extended && target[3] != 0) {
        if (decode_optional(buf, len, target[3], m, err) < 0) return -1;
    }
    return 0;
}

/* The optional part of a one pass's message: cleared, then read from opt (0: none). */
static inline bool optional_one_pass(const uint8_t *buf, size_t len, size_t opt, ssgw_sccp_msg *m)
{
    m->has_segmentation = false;
    memset(&m->seg, 0, sizeof m->seg); /* its padding too: compared whole (fuzz_sccp) */
    m->has_importance = false;
    m->importance = 0;
    m->opt = NULL;
    m->opt_len = 0;
    return opt == 0 || decode_optional(buf, len, opt, m, NULL) == 0;
}

/*
 * UDT and XUDT in one pass (measured: ~530 instructions per message through the layouts,
 * a 256-octet clearing and the address decoder in bench_decode --mode mem). Every member
 * is written, so *m needs no clearing; the checks are the general decoder's. Anything it
 * refuses returns false (other types go to the reader below) and ssgw_sccp_decode_general
 * decides from scratch, so results and errors are exactly its. test_sccp_paths runs both
 * on the same inputs.
 */
static bool unitdata_one_pass(const uint8_t *buf, size_t len, ssgw_sccp_msg *m)
{
    if (len < 2) return false;
    uint8_t type = buf[0], cls = buf[1], hop = 0;
    size_t pos = 2; /* the pointers */
    if (type == SSGW_SCCP_XUDT) {
        if (len < 3) return false;
        hop = buf[2];
        pos = 3;
    } else if (type != SSGW_SCCP_UDT) {
        return false;
    }
    if ((cls & 0x0f) > 1) return false;
    bool extended = type == SSGW_SCCP_XUDT;
    size_t fixed_end = pos + (extended ? 4 : 3);
    if (len < fixed_end) return false;
    /* each pointer past the pointers (so not 0) and inside the message */
    size_t called = pos + buf[pos], calling = pos + 1 + buf[pos + 1], data = pos + 2 + buf[pos + 2];
    if (called < fixed_end || calling < fixed_end || data < fixed_end) return false;
    if (called >= len || calling >= len || data >= len) return false;
    size_t opt = 0;
    if (extended && buf[pos + 3] != 0) {
        opt = pos + 3 + buf[pos + 3];
        if (opt < fixed_end || opt >= len) return false;
    }
    size_t called_len = buf[called], calling_len = buf[calling], data_len = buf[data];
    if (len - called - 1 < called_len || len - calling - 1 < calling_len ||
        len - data - 1 < data_len)
        return false;
    if (!ssgw_sccp_addr_one_pass(buf + called + 1, called_len, &m->called) ||
        !ssgw_sccp_addr_one_pass(buf + calling + 1, calling_len, &m->calling))
        return false;
    m->type = type;
    m->protocol_class = cls & 0x0f;
    m->return_on_error = (cls & 0x80) != 0;
    m->hop_counter = hop;
    m->return_cause = 0;
    m->data = buf + data + 1;
    m->data_len = data_len;
    m->data_offset = data + 1;
    return optional_one_pass(buf, len, opt, m);
}

/*
 * The other four connectionless messages (UDTS, XUDTS, LUDT, LUDTS: ~10% of the reference
 * captures) in one pass, their layout read from the type when run rather than compiled
 * in, so that the UDT/XUDT reader above stays as it is. Same contract as that reader.
 */
static bool other_unitdata_one_pass(const uint8_t *buf, size_t len, ssgw_sccp_msg *m)
{
    if (len < 2) return false;
    uint8_t type = buf[0], second = buf[1], hop = 0;
    bool service = true, extended = true, wide = false;
    switch (type) {
    case SSGW_SCCP_UDTS:
        extended = false;
        break;
    case SSGW_SCCP_XUDTS:
        break;
    case SSGW_SCCP_LUDT:
        service = false, wide = true;
        break;
    case SSGW_SCCP_LUDTS:
        wide = true;
        break;
    default:
        return false;
    }
    if (!service && (second & 0x0f) > 1) return false;
    size_t pos = 2; /* the pointers */
    if (extended) {
        if (len < 3) return false;
        hop = buf[2];
        pos = 3;
    }
    size_t w = wide ? 2 : 1, fixed_end = pos + (extended ? 4 : 3) * w;
    if (len < fixed_end) return false;
    /* each pointer counts from its last octet; 0 (absent) leaves its target below fixed_end */
    size_t target[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < (extended ? 4u : 3u); i++) {
        size_t at = pos + i * w, v = wide ? get_le16(buf + at) : buf[at];
        if (v) target[i] = at + w - 1 + v;
    }
    size_t called = target[0], calling = target[1], data = target[2], opt = target[3];
    if (called < fixed_end || calling < fixed_end || data < fixed_end) return false;
    if (called >= len || calling >= len || data >= len || opt >= len) return false;
    size_t called_len = buf[called], calling_len = buf[calling];
    if (len - called - 1 < called_len || len - calling - 1 < calling_len) return false;
    size_t data_len;
    if (wide) {
        if (len - data < 2) return false;
        data_len = get_le16(buf + data);
    } else {
        data_len = buf[data];
    }
    if (len - data - w < data_len) return false;
    if (!ssgw_sccp_addr_one_pass(buf + called + 1, called_len, &m->called) ||
        !ssgw_sccp_addr_one_pass(buf + calling + 1, calling_len, &m->calling))
        return false;
    m->type = type;
    m->protocol_class = service ? 0 : second & 0x0f;
    m->return_on_error = !service && (second & 0x80) != 0;
    m->hop_counter = hop;
    m->return_cause = service ? second : 0;
    m->data = buf + data + w;
    m->data_len = data_len;
    m->data_offset = data + w;
    return optional_one_pass(buf, len, opt, m);
}

int ssgw_sccp_decode(const uint8_t *buf, size_t len, ssgw_sccp_msg *m, ssgw_error *err)
{
    if (unitdata_one_pass(buf, len, m) || other_unitdata_one_pass(buf, len, m)) return 0;
    return ssgw_sccp_decode_general(buf, len, m, err);
}

void ssgw_sccp_msg_init(ssgw_sccp_msg *m, ssgw_sccp_msg_type type)
{
    memset(m, 0, sizeof *m);
    m->type = (uint8_t)type;
    m->hop_counter = 15;
}

int ssgw_sccp_opt_next(const ssgw_sccp_msg *m, size_t *pos, ssgw_sccp_opt *o)
{
    size_t p = *pos;
    if (!m->opt || p >= m->opt_len || m->opt[p] == SSGW_SCCP_PARAM_END || m->opt_len - p < 2)
        return 0;
    size_t plen = m->opt[p + 1];
    if (m->opt_len - p - 2 < plen) return 0;
    o->tag = m->opt[p];
    o->val = m->opt + p + 2;
    o->len = plen;
    *pos = p + 2 + plen;
    return 1;
}

/* Writes the optional part (parameters + end octet) into o; returns its length or -1. */
static int build_optional(const ssgw_sccp_msg *m, uint8_t *o, size_t cap, ssgw_error *err)
{
    ssgw_buf b;
    ssgw_buf_init(&b, o, cap);
    if (m->has_segmentation) {
        if (m->seg.remaining > 15 || m->seg.local_ref > 0xffffff || m->seg.cls > 1)
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, "segmentation parameter", 0);
        uint8_t v[6] = {
            SSGW_SCCP_PARAM_SEGMENTATION,
            4,
            (uint8_t)((m->seg.first ? 0x80 : 0) | (m->seg.cls ? 0x40 : 0) | m->seg.remaining),
            (uint8_t)m->seg.local_ref,
            (uint8_t)(m->seg.local_ref >> 8),
            (uint8_t)(m->seg.local_ref >> 16)};
        ssgw_buf_put(&b, v, sizeof v);
    }
    if (m->has_importance) {
        if (m->importance > 7)
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, "importance parameter", 0);
        uint8_t v[3] = {SSGW_SCCP_PARAM_IMPORTANCE, 1, m->importance};
        ssgw_buf_put(&b, v, sizeof v);
    }
    size_t p = 0;
    ssgw_sccp_opt op;
    while (ssgw_sccp_opt_next(m, &p, &op)) {
        if (op.tag == SSGW_SCCP_PARAM_SEGMENTATION || op.tag == SSGW_SCCP_PARAM_IMPORTANCE)
            continue;
        ssgw_buf_put_u8(&b, op.tag);
        ssgw_buf_put_u8(&b, (uint8_t)op.len);
        ssgw_buf_put(&b, op.val, op.len);
    }
    if (b.len == 0) return 0;
    ssgw_buf_put_u8(&b, SSGW_SCCP_PARAM_END);
    if (b.overflow)
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "optional parameters", 0);
    return (int)b.len;
}

int ssgw_sccp_encode(ssgw_buf *b, const ssgw_sccp_msg *m, ssgw_error *err)
{
    const msg_layout *l = layout_for(m->type);
    if (!l) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_TAG, "message type", 0);
    if (!l->is_service && m->protocol_class > 1)
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, "protocol class", 1);
    if (m->data_len > l->max_data || (m->data_len && !m->data))
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "data length", 0);
    if (b->overflow) return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "message", 0);
    uint8_t called[255], calling[255], opt[512];
    ssgw_buf ab;
    ssgw_buf_init(&ab, called, sizeof called);
    if (ssgw_sccp_addr_encode(&ab, &m->called, err) < 0) return -1;
    size_t called_len = ab.len;
    ssgw_buf_init(&ab, calling, sizeof calling);
    if (ssgw_sccp_addr_encode(&ab, &m->calling, err) < 0) return -1;
    size_t calling_len = ab.len;
    int opt_len = 0;
    if (l->extended) {
        opt_len = build_optional(m, opt, sizeof opt, err);
        if (opt_len < 0) return -1;
    } else if (m->has_segmentation || m->has_importance) {
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_BAD_VALUE, "optional parameters", 0);
    }

    /* Parameter offsets in canonical order, then the pointer values. */
    size_t hdr = l->extended ? 3 : 2;
    int nptr = l->extended ? 4 : 3;
    size_t fixed_end = hdr + (size_t)nptr * l->ptr_size;
    size_t dhdr = l->ptr_size; /* data length octets */
    size_t off[4];
    off[0] = fixed_end;
    off[1] = off[0] + 1 + called_len;
    off[2] = off[1] + 1 + calling_len;
    off[3] = opt_len ? off[2] + dhdr + m->data_len : 0;
    size_t total = off[2] + dhdr + m->data_len + (size_t)opt_len;
    size_t maxptr = l->ptr_size == 1 ? 0xff : 0xffff;

    size_t start = b->len;
    ssgw_buf_put_u8(b, m->type);
    if (l->is_service)
        ssgw_buf_put_u8(b, m->return_cause);
    else
        ssgw_buf_put_u8(b, (uint8_t)((m->return_on_error ? 0x80 : 0) | m->protocol_class));
    if (l->extended) ssgw_buf_put_u8(b, m->hop_counter);
    for (int i = 0; i < nptr; i++) {
        size_t p = hdr + (size_t)i * l->ptr_size;
        size_t v = off[i] ? off[i] - p - (l->ptr_size - 1) : 0;
        if (v > maxptr) {
            b->len = start;
            b->overflow = false;
            return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, ptr_names[i], p);
        }
        ssgw_buf_put_u8(b, (uint8_t)v);
        if (l->ptr_size == 2) ssgw_buf_put_u8(b, (uint8_t)(v >> 8));
    }
    ssgw_buf_put_u8(b, (uint8_t)called_len);
    ssgw_buf_put(b, called, called_len);
    ssgw_buf_put_u8(b, (uint8_t)calling_len);
    ssgw_buf_put(b, calling, calling_len);
    ssgw_buf_put_u8(b, (uint8_t)m->data_len);
    if (dhdr == 2) ssgw_buf_put_u8(b, (uint8_t)(m->data_len >> 8));
    ssgw_buf_put(b, m->data, m->data_len);
    ssgw_buf_put(b, opt, (size_t)opt_len);
    if (b->overflow || b->len - start != total) {
        b->len = start;
        b->overflow = false;
        return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "message", 0);
    }
    return 0;
}

int ssgw_sccp_encode_unitdata(ssgw_buf *b, const ssgw_sccp_msg *m, size_t max_msg,
                              ssgw_sccp_msg_type *chosen, ssgw_error *err)
{
    if (max_msg == 0) max_msg = SSGW_SCCP_MAX_MSG;
    ssgw_sccp_msg t = *m;
    t.has_segmentation = false;
    t.opt = NULL;
    t.opt_len = 0;
    uint8_t tmp[SSGW_SCCP_MAX_MSG + 1024];
    ssgw_buf tb;
    static const ssgw_sccp_msg_type order[2] = {SSGW_SCCP_UDT, SSGW_SCCP_XUDT};
    for (int i = m->has_importance ? 1 : 0; i < 2; i++) {
        t.type = (uint8_t)order[i];
        ssgw_buf_init(&tb, tmp, max_msg < sizeof tmp ? max_msg : sizeof tmp);
        ssgw_error e;
        if (ssgw_sccp_encode(&tb, &t, &e) == 0) {
            if (b->overflow || b->cap - b->len < tb.len)
                return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "message", 0);
            ssgw_buf_put(b, tb.data, tb.len);
            if (chosen) *chosen = order[i];
            return 0;
        }
        if (e.code != SSGW_E_TOO_BIG) {
            if (err) *err = e;
            return -1;
        }
    }
    return ssgw_fail(err, SSGW_LAYER_SCCP, SSGW_E_TOO_BIG, "data length", 0);
}
