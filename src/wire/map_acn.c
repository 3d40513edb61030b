/*
 * map_acn.c - MAP application-context names (3GPP TS 29.002 clause 17.3.3,
 * MAP-ApplicationContexts, including the names it reserves for earlier
 * versions): OID 0.4.0.0.1.0.<ac>.<version>, that is contents octets
 * 04 00 00 01 00 <ac> <version>. The contexts are the MAP_AC rows of
 * map_ops.def; which operations each version of a context carries is said
 * once, in the operations' rows (their CTX column), and read from there.
 */
#include "ssgw/map.h"

#include "ssgw/ber.h"

#include <string.h>

#define VERSIONS(vmin, vmax) (uint8_t)((1u << ((vmax) + 1)) - (1u << (vmin)))

enum {
#define MAP_AC(id, ac, name, vmin, vmax) ROW_##id,
#include "map_ops.def"
    N_ACNS
};

static const ssgw_map_acn acns[N_ACNS] = {
#define MAP_AC(id, ac, name, vmin, vmax)                                                           \
    [ROW_##id] = {SSGW_MAP_AC_##id, name, VERSIONS(vmin, vmax)},
#include "map_ops.def"
};

/* Index by ac arc (every arc once: -Woverride-init refuses a repeat). */
static const ssgw_map_acn *const by_ac[128] = {
#define MAP_AC(id, ac, name, vmin, vmax) [ac] = &acns[ROW_##id],
#include "map_ops.def"
};

/* map-ac = {itu-t(0) identified-organization(4) etsi(0) mobileDomain(0) gsm-Network(1)
 * ac-Id(0)}: X.690 8.19 packs 0.4 into one octet, 4. */
static const uint8_t map_ac_prefix[5] = {0x04, 0x00, 0x00, 0x01, 0x00};

const ssgw_map_acn *ssgw_map_acn_by_id(int ac)
{
    return ac >= 0 && ac < 128 ? by_ac[ac] : NULL;
}

size_t ssgw_map_acn_count(void)
{
    return N_ACNS;
}

const ssgw_map_acn *ssgw_map_acn_at(size_t i)
{
    return i < N_ACNS ? &acns[i] : NULL;
}

bool ssgw_map_acn_has_version(const ssgw_map_acn *acn, int version)
{
    return acn && version >= 1 && version <= 4 && (acn->versions & (1u << version));
}

int ssgw_map_acn_from_oid(const uint8_t *val, size_t len, const ssgw_map_acn **acn, int *version)
{
    *acn = NULL;
    *version = 0;
    /* The ac and version arcs are below 128 for every MAP context: one octet each. */
    if (!val || len != SSGW_MAP_ACN_OID_LEN || memcmp(val, map_ac_prefix, 5) != 0) return -1;
    if (val[5] & 0x80 || val[6] & 0x80) return -1;
    *acn = ssgw_map_acn_by_id(val[5]);
    if (!*acn) return -1;
    *version = val[6];
    return ssgw_map_acn_has_version(*acn, *version) ? 0 : -1;
}

int ssgw_map_acn_from_str(const char *dotted, const ssgw_map_acn **acn, int *version)
{
    uint8_t oid[16];
    int n = ssgw_ber_oid_from_str(dotted, oid, sizeof oid);
    if (n < 0) {
        *acn = NULL;
        *version = 0;
        return -1;
    }
    return ssgw_map_acn_from_oid(oid, (size_t)n, acn, version);
}

int ssgw_map_acn_to_oid(int ac, int version, uint8_t *out, size_t cap)
{
    if (ac < 0 || ac > 127 || version < 1 || version > 127 || cap < SSGW_MAP_ACN_OID_LEN) return -1;
    memcpy(out, map_ac_prefix, 5);
    out[5] = (uint8_t)ac;
    out[6] = (uint8_t)version;
    return SSGW_MAP_ACN_OID_LEN;
}

/* The versions vmin..vmax of acn that carry op, or NULL. */
static const ssgw_map_op_ctx *op_in(const ssgw_map_op *op, const ssgw_map_acn *acn)
{
    if (!op || !acn) return NULL;
    for (size_t i = 0; i < op->n_contexts; i++)
        if (op->contexts[i].ac == acn->ac) return &op->contexts[i];
    return NULL;
}

bool ssgw_map_acn_carries(const ssgw_map_acn *acn, int version, int opcode)
{
    const ssgw_map_op_ctx *c = op_in(ssgw_map_op_by_code(opcode), acn);
    return c && (version == 0 || (version >= c->vmin && version <= c->vmax));
}

bool ssgw_map_acn_has_op(const ssgw_map_acn *acn, int opcode)
{
    return ssgw_map_acn_carries(acn, 0, opcode);
}

size_t ssgw_map_acn_ops(const ssgw_map_acn *acn, int version, ssgw_map_opcode *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < ssgw_map_op_count(); i++) {
        const ssgw_map_op *op = ssgw_map_op_at(i);
        if (!ssgw_map_acn_carries(acn, version, (int)op->opcode)) continue;
        if (n < cap) out[n] = op->opcode;
        n++;
    }
    return n;
}

const ssgw_map_acn *ssgw_map_op_context(int opcode, int *version)
{
    const ssgw_map_op *op = ssgw_map_op_by_code(opcode);
    *version = 0;
    if (!op || op->n_contexts == 0) return NULL;
    *version = op->contexts[0].vmax;
    return ssgw_map_acn_by_id(op->contexts[0].ac);
}
