/*
 * sctp.c - SCTP packets (RFC 9260): common header (section 3.1), every chunk
 * of a packet (section 3.2, padded to 4 bytes), DATA chunks (section 3.3.1)
 * and I-DATA chunks (RFC 8260 section 2.1), CRC32c (appendix A).
 *
 * A DATA chunk whose PPID is 3 (M3UA, RFC 4666 section 1.4.7), or 0 on an M3UA
 * port, gives one M3UA message; several per packet, in chunk order. A chunk whose
 * PPID is 46 (Diameter), or 0 on a Diameter port, gives the Diameter messages it
 * holds (RFC 6733 2.1: normally one; more are cut apart by their length). Likewise
 * (issue 11) PPID 5 or port 3565 gives an M2PA message (RFC 4165), PPID 2 or
 * port 2904 an M2UA message (RFC 3331), PPID 4 or port 14001 a SUA message
 * (RFC 3868).
 * Fragmented user messages (B/E flags, section 6.9) are reassembled per
 * association direction (addresses, ports, verification tag) and stream by
 * consecutive TSNs in a bounded pool: when the pool is full the oldest
 * incomplete message is given up with an error record, and what is still
 * incomplete at the end of the capture gives an error record too.
 * I-DATA fragments are not reassembled (error record, unsupported).
 */
#include <pthread.h>

#include "capture/capture_int.h"
#include "ssgw/diameter.h"
#include "ssgw/sigtran.h"
#include "util/bytes.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_DATA  0
#define CHUNK_IDATA 64
#define FLAG_E      0x01
#define FLAG_B      0x02
#define FLAG_U      0x04

struct cap_sctp_frag {
    cap_addr addr;
    uint32_t vtag;
    uint16_t stream;
    bool unordered;
    uint8_t flags;
    uint32_t tsn;
    uint32_t ppid;
    uint64_t seq;   /* arrival order, for eviction */
    uint64_t frame; /* frame that carried it */
    uint8_t *data;
    size_t len;
};

static const uint32_t crc32c_table[256] = {
    0x00000000u, 0xf26b8303u, 0xe13b70f7u, 0x1350f3f4u, 0xc79a971fu, 0x35f1141cu, 0x26a1e7e8u,
    0xd4ca64ebu, 0x8ad958cfu, 0x78b2dbccu, 0x6be22838u, 0x9989ab3bu, 0x4d43cfd0u, 0xbf284cd3u,
    0xac78bf27u, 0x5e133c24u, 0x105ec76fu, 0xe235446cu, 0xf165b798u, 0x030e349bu, 0xd7c45070u,
    0x25afd373u, 0x36ff2087u, 0xc494a384u, 0x9a879fa0u, 0x68ec1ca3u, 0x7bbcef57u, 0x89d76c54u,
    0x5d1d08bfu, 0xaf768bbcu, 0xbc267848u, 0x4e4dfb4bu, 0x20bd8edeu, 0xd2d60dddu, 0xc186fe29u,
    0x33ed7d2au, 0xe72719c1u, 0x154c9ac2u, 0x061c6936u, 0xf477ea35u, 0xaa64d611u, 0x580f5512u,
    0x4b5fa6e6u, 0xb93425e5u, 0x6dfe410eu, 0x9f95c20du, 0x8cc531f9u, 0x7eaeb2fau, 0x30e349b1u,
    0xc288cab2u, 0xd1d83946u, 0x23b3ba45u, 0xf779deaeu, 0x05125dadu, 0x1642ae59u, 0xe4292d5au,
    0xba3a117eu, 0x4851927du, 0x5b016189u, 0xa96ae28au, 0x7da08661u, 0x8fcb0562u, 0x9c9bf696u,
    0x6ef07595u, 0x417b1dbcu, 0xb3109ebfu, 0xa0406d4bu, 0x522bee48u, 0x86e18aa3u, 0x748a09a0u,
    0x67dafa54u, 0x95b17957u, 0xcba24573u, 0x39c9c670u, 0x2a993584u, 0xd8f2b687u, 0x0c38d26cu,
    0xfe53516fu, 0xed03a29bu, 0x1f682198u, 0x5125dad3u, 0xa34e59d0u, 0xb01eaa24u, 0x42752927u,
    0x96bf4dccu, 0x64d4cecfu, 0x77843d3bu, 0x85efbe38u, 0xdbfc821cu, 0x2997011fu, 0x3ac7f2ebu,
    0xc8ac71e8u, 0x1c661503u, 0xee0d9600u, 0xfd5d65f4u, 0x0f36e6f7u, 0x61c69362u, 0x93ad1061u,
    0x80fde395u, 0x72966096u, 0xa65c047du, 0x5437877eu, 0x4767748au, 0xb50cf789u, 0xeb1fcbadu,
    0x197448aeu, 0x0a24bb5au, 0xf84f3859u, 0x2c855cb2u, 0xdeeedfb1u, 0xcdbe2c45u, 0x3fd5af46u,
    0x7198540du, 0x83f3d70eu, 0x90a324fau, 0x62c8a7f9u, 0xb602c312u, 0x44694011u, 0x5739b3e5u,
    0xa55230e6u, 0xfb410cc2u, 0x092a8fc1u, 0x1a7a7c35u, 0xe811ff36u, 0x3cdb9bddu, 0xceb018deu,
    0xdde0eb2au, 0x2f8b6829u, 0x82f63b78u, 0x709db87bu, 0x63cd4b8fu, 0x91a6c88cu, 0x456cac67u,
    0xb7072f64u, 0xa457dc90u, 0x563c5f93u, 0x082f63b7u, 0xfa44e0b4u, 0xe9141340u, 0x1b7f9043u,
    0xcfb5f4a8u, 0x3dde77abu, 0x2e8e845fu, 0xdce5075cu, 0x92a8fc17u, 0x60c37f14u, 0x73938ce0u,
    0x81f80fe3u, 0x55326b08u, 0xa759e80bu, 0xb4091bffu, 0x466298fcu, 0x1871a4d8u, 0xea1a27dbu,
    0xf94ad42fu, 0x0b21572cu, 0xdfeb33c7u, 0x2d80b0c4u, 0x3ed04330u, 0xccbbc033u, 0xa24bb5a6u,
    0x502036a5u, 0x4370c551u, 0xb11b4652u, 0x65d122b9u, 0x97baa1bau, 0x84ea524eu, 0x7681d14du,
    0x2892ed69u, 0xdaf96e6au, 0xc9a99d9eu, 0x3bc21e9du, 0xef087a76u, 0x1d63f975u, 0x0e330a81u,
    0xfc588982u, 0xb21572c9u, 0x407ef1cau, 0x532e023eu, 0xa145813du, 0x758fe5d6u, 0x87e466d5u,
    0x94b49521u, 0x66df1622u, 0x38cc2a06u, 0xcaa7a905u, 0xd9f75af1u, 0x2b9cd9f2u, 0xff56bd19u,
    0x0d3d3e1au, 0x1e6dcdeeu, 0xec064eedu, 0xc38d26c4u, 0x31e6a5c7u, 0x22b65633u, 0xd0ddd530u,
    0x0417b1dbu, 0xf67c32d8u, 0xe52cc12cu, 0x1747422fu, 0x49547e0bu, 0xbb3ffd08u, 0xa86f0efcu,
    0x5a048dffu, 0x8ecee914u, 0x7ca56a17u, 0x6ff599e3u, 0x9d9e1ae0u, 0xd3d3e1abu, 0x21b862a8u,
    0x32e8915cu, 0xc083125fu, 0x144976b4u, 0xe622f5b7u, 0xf5720643u, 0x07198540u, 0x590ab964u,
    0xab613a67u, 0xb831c993u, 0x4a5a4a90u, 0x9e902e7bu, 0x6cfbad78u, 0x7fab5e8cu, 0x8dc0dd8fu,
    0xe330a81au, 0x115b2b19u, 0x020bd8edu, 0xf0605beeu, 0x24aa3f05u, 0xd6c1bc06u, 0xc5914ff2u,
    0x37faccf1u, 0x69e9f0d5u, 0x9b8273d6u, 0x88d28022u, 0x7ab90321u, 0xae7367cau, 0x5c18e4c9u,
    0x4f48173du, 0xbd23943eu, 0xf36e6f75u, 0x0105ec76u, 0x12551f82u, 0xe03e9c81u, 0x34f4f86au,
    0xc69f7b69u, 0xd5cf889du, 0x27a40b9eu, 0x79b737bau, 0x8bdcb4b9u, 0x988c474du, 0x6ae7c44eu,
    0xbe2da0a5u, 0x4c4623a6u, 0x5f16d052u, 0xad7d5351u,
};

/* Slice-by-8 tables (T[0] is crc32c_table), built once: 8 bytes per step. */
static uint32_t crc32c_slice[8][256];
static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;

static void crc32c_build(void)
{
    for (int i = 0; i < 256; i++)
        crc32c_slice[0][i] = crc32c_table[i];
    for (int k = 1; k < 8; k++)
        for (int i = 0; i < 256; i++) {
            uint32_t c = crc32c_slice[k - 1][i];
            crc32c_slice[k][i] = (c >> 8) ^ crc32c_table[c & 0xff];
        }
}

uint32_t ssgw_crc32c(uint32_t crc, const uint8_t *data, size_t len)
{
    pthread_once(&crc32c_once, crc32c_build);
    const uint32_t(*t)[256] = (const uint32_t(*)[256])crc32c_slice;
    crc = ~crc;
    while (len >= 8) {
        uint32_t lo = crc ^ get_le32(data), hi = get_le32(data + 4);
        crc = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^
              t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
        data += 8;
        len -= 8;
    }
    for (size_t i = 0; i < len; i++)
        crc = crc32c_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static void sctp_error(ssgw_capture *c, const cap_addr *a, ssgw_errcode code, const char *field,
                       size_t off)
{
    cap_emit_error(c, a, SSGW_CAPTURE_TRANSPORT_SCTP, SSGW_LAYER_SCTP, code, field, off);
}

static bool same_addr(const cap_addr *x, const cap_addr *y)
{
    return x->family == y->family && x->sport == y->sport && x->dport == y->dport &&
           memcmp(x->src, y->src, 16) == 0 && memcmp(x->dst, y->dst, 16) == 0;
}

static bool same_key(const cap_sctp_frag *x, const cap_sctp_frag *y)
{
    return x->vtag == y->vtag && x->stream == y->stream && x->unordered == y->unordered &&
           same_addr(&x->addr, &y->addr);
}

static long find_frag(const ssgw_capture *c, const cap_sctp_frag *key, uint32_t tsn)
{
    for (size_t i = 0; i < c->n_frags; i++)
        if (c->frags[i].tsn == tsn && same_key(&c->frags[i], key)) return (long)i;
    return -1;
}

static void remove_frag(ssgw_capture *c, size_t i)
{
    c->frag_bytes -= c->frags[i].len;
    free(c->frags[i].data);
    c->frags[i] = c->frags[--c->n_frags];
}

/* Removes every fragment of the message group of *key (copied: key may be in the pool). */
static void remove_group(ssgw_capture *c, const cap_sctp_frag *key)
{
    cap_sctp_frag k = *key;
    for (size_t i = 0; i < c->n_frags;) {
        if (same_key(&c->frags[i], &k))
            remove_frag(c, i);
        else
            i++;
    }
}

/* Gives up the oldest held message: error record, fragments freed. */
static void evict_oldest(ssgw_capture *c, size_t off)
{
    size_t old = 0;
    for (size_t i = 1; i < c->n_frags; i++)
        if (c->frags[i].seq < c->frags[old].seq) old = i;
    sctp_error(c, &c->frags[old].addr, SSGW_E_TOO_BIG, "sctp reassembly limit", off);
    remove_group(c, &c->frags[old]);
}

/* The kind of message a DATA chunk carries (KIND_NONE: not signalling we read), from
 * its PPID (or, PPID 0 or unknown, from the IANA port of either end). known: the PPID
 * is in the chunk (I-DATA has it only in the first fragment). */
static ssgw_capture_kind chunk_kind(const ssgw_capture *c, const cap_addr *a, bool known,
                                    uint32_t ppid)
{
    if (known && ppid == SSGW_SCTP_PPID_M3UA) return SSGW_CAPTURE_KIND_M3UA;
    if (known && ppid == SSGW_SCTP_PPID_DIAM) return SSGW_CAPTURE_KIND_DIAMETER;
    /* issue 11: the adaptation layers probes capture besides M3UA */
    if (known && ppid == SSGW_SCTP_PPID_M2PA) return SSGW_CAPTURE_KIND_M2PA;
    if (known && ppid == SSGW_SCTP_PPID_M2UA) return SSGW_CAPTURE_KIND_M2UA;
    if (known && ppid == SSGW_SCTP_PPID_SUA) return SSGW_CAPTURE_KIND_SUA;
    if (known && ppid != 0) return SSGW_CAPTURE_KIND_NONE;
    if (cap_is_m3ua_port(c, a->sport) || cap_is_m3ua_port(c, a->dport))
        return SSGW_CAPTURE_KIND_M3UA;
    if (cap_is_diameter_port(c, a->sport) || cap_is_diameter_port(c, a->dport))
        return SSGW_CAPTURE_KIND_DIAMETER;
    uint16_t ports[2] = {a->sport, a->dport};
    for (int i = 0; i < 2; i++) {
        if (ports[i] == SSGW_M2PA_PORT) return SSGW_CAPTURE_KIND_M2PA;
        if (ports[i] == SSGW_M2UA_PORT) return SSGW_CAPTURE_KIND_M2UA;
        if (ports[i] == SSGW_SUA_PORT) return SSGW_CAPTURE_KIND_SUA;
    }
    return SSGW_CAPTURE_KIND_NONE;
}
void cap_emit_diameter(ssgw_capture *c, const cap_addr *a, ssgw_capture_transport tr,
                       uint16_t stream, uint32_t ppid, const uint8_t *data, size_t len, bool copy)
{
    while (len > 0) {
        size_t n = ssgw_diam_peek_length(data, len, len, false);
        if (n == 0 || n == len) n = len; /* the last, or one the decoder will report */
        cap_emit_msg(c, a, SSGW_CAPTURE_KIND_DIAMETER, tr, stream, ppid, data, n, copy);
        data += n;
        len -= n;
    }
}

/* Queues one whole SCTP user message of the given kind. */
static void emit_user_message(ssgw_capture *c, const cap_addr *a, ssgw_capture_kind kind,
                              uint16_t stream, uint32_t ppid, const uint8_t *data, size_t len,
                              bool copy)
{
    if (kind == SSGW_CAPTURE_KIND_DIAMETER)
        cap_emit_diameter(c, a, SSGW_CAPTURE_TRANSPORT_SCTP, stream, ppid, data, len, copy);
    else
        cap_emit_msg(c, a, kind, SSGW_CAPTURE_TRANSPORT_SCTP, stream, ppid, data, len, copy);
}

/* After fragment tsn arrived: if its message is complete, emit it and free the fragments. */
static void try_complete(ssgw_capture *c, const cap_sctp_frag *key, uint32_t tsn, size_t off)
{
    uint32_t start = tsn;
    long i = find_frag(c, key, start);
    for (size_t steps = 0; i >= 0 && !(c->frags[i].flags & FLAG_B); steps++) {
        if (steps > c->n_frags) return;
        i = find_frag(c, key, --start);
        if (i >= 0 && (c->frags[i].flags & FLAG_E)) return; /* our beginning is missing */
    }
    if (i < 0) return;
    size_t total = 0, count = 0;
    uint32_t t = start;
    for (;; t++) {
        long j = find_frag(c, key, t);
        if (j < 0) return;
        if (count > 0 && (c->frags[j].flags & FLAG_B)) return; /* a new message began */
        total += c->frags[j].len;
        count++;
        if (c->frags[j].flags & FLAG_E) break;
        if (count > c->n_frags) return;
    }
    cap_sctp_frag first = c->frags[find_frag(c, key, start)];
    if (total > c->lim.max_message_len) {
        sctp_error(c, &first.addr, SSGW_E_TOO_BIG, "sctp reassembled message", off);
        remove_group(c, key);
        return;
    }
    uint8_t *msg = malloc(total ? total : 1);
    if (!msg) {
        sctp_error(c, &first.addr, SSGW_E_TOO_BIG, "out of memory", off);
        remove_group(c, key);
        return;
    }
    size_t pos = 0;
    for (t = start; count > 0; t++, count--) {
        long j = find_frag(c, key, t);
        memcpy(msg + pos, c->frags[j].data, c->frags[j].len);
        pos += c->frags[j].len;
        remove_frag(c, (size_t)j);
    }
    emit_user_message(c, &first.addr, chunk_kind(c, &first.addr, true, first.ppid), first.stream,
                      first.ppid, msg, total, true);
    c->st.sctp_reassembled++;
    free(msg);
}

static void add_fragment(ssgw_capture *c, const cap_sctp_frag *f, const uint8_t *data, size_t off)
{
    if (find_frag(c, f, f->tsn) >= 0) {
        cap_skip(c, SSGW_CAPTURE_SKIP_SCTP_DUPLICATE);
        return;
    }
    if (f->len > c->lim.max_message_len || f->len > c->lim.sctp_max_frag_bytes ||
        c->lim.sctp_max_fragments == 0) {
        sctp_error(c, &f->addr, SSGW_E_TOO_BIG, "sctp fragment", off);
        return;
    }
    if (!c->frags) {
        c->frags = calloc(c->lim.sctp_max_fragments, sizeof *c->frags);
        if (!c->frags) {
            sctp_error(c, &f->addr, SSGW_E_TOO_BIG, "out of memory", off);
            return;
        }
    }
    while (c->n_frags > 0 && (c->n_frags == c->lim.sctp_max_fragments ||
                              c->frag_bytes + f->len > c->lim.sctp_max_frag_bytes))
        evict_oldest(c, off);
    cap_sctp_frag *n = &c->frags[c->n_frags];
    *n = *f;
    n->data = malloc(f->len ? f->len : 1);
    if (!n->data) {
        sctp_error(c, &f->addr, SSGW_E_TOO_BIG, "out of memory", off);
        return;
    }
    memcpy(n->data, data, f->len);
    n->seq = c->frag_seq++;
    n->frame = c->frame;
    c->n_frags++;
    c->frag_bytes += f->len;
    try_complete(c, f, f->tsn, off);
}

/* DATA (RFC 9260 3.3.1) or I-DATA (RFC 8260 2.1) chunk at frame offset off, clen bytes. */
static void data_chunk(ssgw_capture *c, const cap_addr *a, uint32_t vtag, const uint8_t *p,
                       size_t clen, size_t off)
{
    bool idata = p[0] == CHUNK_IDATA;
    size_t hdr = idata ? 20 : 16;
    uint8_t flags = p[1];
    if (clen < hdr) {
        sctp_error(c, a, SSGW_E_BAD_LENGTH, "data chunk length", off + 2);
        return;
    }
    if (clen == hdr) {
        sctp_error(c, a, SSGW_E_MISSING, "data chunk user data", off + hdr);
        return;
    }
    uint32_t tsn = get_be32(p + 4);
    uint16_t stream = get_be16(p + 8);
    bool whole = (flags & (FLAG_B | FLAG_E)) == (FLAG_B | FLAG_E);
    /* I-DATA carries the PPID only in the first fragment (else the FSN) */
    bool ppid_known = !idata || (flags & FLAG_B);
    uint32_t ppid = ppid_known ? get_be32(p + (idata ? 16 : 12)) : 0;
    ssgw_capture_kind kind = chunk_kind(c, a, ppid_known, ppid);
    if (kind == SSGW_CAPTURE_KIND_NONE) {
        cap_skip(c, SSGW_CAPTURE_SKIP_SCTP_OTHER_PPID);
        return;
    }
    const uint8_t *data = p + hdr;
    size_t dlen = clen - hdr;
    if (whole) {
        emit_user_message(c, a, kind, stream, ppid, data, dlen, false);
        return;
    }
    if (idata) {
        sctp_error(c, a, SSGW_E_UNSUPPORTED, "i-data fragment", off);
        return;
    }
    cap_sctp_frag f;
    memset(&f, 0, sizeof f);
    f.addr = *a;
    f.vtag = vtag;
    f.stream = stream;
    f.unordered = (flags & FLAG_U) != 0;
    f.flags = flags;
    f.tsn = tsn;
    f.ppid = ppid;
    f.len = dlen;
    add_fragment(c, &f, data, off);
}

static bool checksum_ok(const uint8_t *p, size_t len)
{
    static const uint8_t zero[4] = {0, 0, 0, 0};
    uint32_t crc = ssgw_crc32c(0, p, 8);
    crc = ssgw_crc32c(crc, zero, 4);
    crc = ssgw_crc32c(crc, p + 12, len - 12);
    return crc == get_le32(p + 8);
}

void cap_sctp_decode(ssgw_capture *c, cap_addr *a, size_t off, size_t len)
{
    const uint8_t *p = c->frame_data + off;
    if (len < 12) {
        sctp_error(c, a, SSGW_E_TRUNCATED, "sctp common header", off);
        return;
    }
    a->sport = get_be16(p);
    a->dport = get_be16(p + 2);
    uint32_t vtag = get_be32(p + 4);
    if (c->lim.sctp_verify_checksum && !checksum_ok(p, len)) {
        sctp_error(c, a, SSGW_E_BAD_VALUE, "sctp checksum", off + 8);
        return;
    }
    if (len == 12) {
        cap_skip(c, SSGW_CAPTURE_SKIP_SCTP_CONTROL);
        return;
    }
    for (size_t pos = 12; pos < len;) {
        if (len - pos < 4) {
            sctp_error(c, a, SSGW_E_TRUNCATED, "sctp chunk header", off + pos);
            return;
        }
        uint8_t type = p[pos];
        size_t clen = get_be16(p + pos + 2);
        if (clen < 4) {
            sctp_error(c, a, SSGW_E_BAD_LENGTH, "sctp chunk length", off + pos + 2);
            return;
        }
        if (clen > len - pos) {
            sctp_error(c, a, SSGW_E_TRUNCATED, "sctp chunk", off + pos);
            return;
        }
        if (type == CHUNK_DATA || type == CHUNK_IDATA)
            data_chunk(c, a, vtag, p + pos, clen, off + pos);
        else
            cap_skip(c, SSGW_CAPTURE_SKIP_SCTP_CONTROL);
        size_t padded = (clen + 3) & ~(size_t)3;
        pos = padded < len - pos ? pos + padded : len;
    }
}

void cap_sctp_flush(ssgw_capture *c)
{
    while (c->n_frags > 0) {
        ssgw_capture_msg *m =
            cap_emit_error(c, &c->frags[0].addr, SSGW_CAPTURE_TRANSPORT_SCTP, SSGW_LAYER_SCTP,
                           SSGW_E_MISSING, "fragments of an incomplete message", 0);
        if (m) m->frame = c->frags[0].frame;
        remove_group(c, &c->frags[0]);
    }
}

void cap_sctp_free(ssgw_capture *c)
{
    for (size_t i = 0; i < c->n_frags; i++)
        free(c->frags[i].data);
    free(c->frags);
    c->frags = NULL;
    c->n_frags = c->frag_bytes = 0;
}
