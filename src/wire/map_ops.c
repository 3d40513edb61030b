/*
 * map_ops.c - the MAP operation table as data: the rows of map_ops.def
 * (operation, origin, FS.11 class, family, argument/result types, the
 * application contexts and versions that carry it) become a static array in
 * opcode order and a static index by opcode; nothing is built at run time.
 * Also the names of the other MAP vocabularies (component kinds, SS codes).
 */
#include "ssgw/map.h"

#include <string.h>
#include <strings.h>

/* ---- the table ---------------------------------------------------------------------- */

/* Every row's id is the enum constant of its code, and its family an operation. */
#define MAP_OP(id, code, name, origin, fs11, family, arg, res, ctx)                                \
    _Static_assert(SSGW_MAP_OP_##id == (code) && SSGW_MAP_OP_##family > 0,                         \
                   "map_ops.def: " #id " is not SSGW_MAP_OP_" #id " = " #code);
#define MAP_AC(id, ac, name, vmin, vmax)                                                           \
    _Static_assert(SSGW_MAP_AC_##id == (ac), "map_ops.def: " #id " is not SSGW_MAP_AC_" #id);
#include "map_ops.def"

/* Row numbers, so that the index by opcode can be a constant. */
enum {
#define MAP_OP(id, code, name, origin, fs11, family, arg, res, ctx) ROW_##id,
#include "map_ops.def"
    N_OPS
};

#define ARG(type, schema) type
#define RES(type, schema) type
#define C(ac, vmin, vmax)                                                                          \
    {                                                                                              \
        SSGW_MAP_AC_##ac, vmin, vmax                                                               \
    }
#define CTX(...)                                                                                   \
    .contexts = (const ssgw_map_op_ctx[]){__VA_ARGS__},                                            \
    .n_contexts = sizeof((const ssgw_map_op_ctx[]){__VA_ARGS__}) / sizeof(ssgw_map_op_ctx)
#define NO_CTX .n_contexts = 0

static const ssgw_map_op map_ops[N_OPS] = {
#define MAP_OP(id, code, name_, origin_, fs11_, family_, arg, res, ctx)                            \
    [ROW_##id] = {.opcode = SSGW_MAP_OP_##id,                                                      \
                  .name = name_,                                                                   \
                  .arg_type = arg,                                                                 \
                  .res_type = res,                                                                 \
                  .origin = SSGW_MAP_ORIGIN_##origin_,                                             \
                  .family = SSGW_MAP_OP_##family_,                                                 \
                  .fs11 = SSGW_MAP_FS11_##fs11_,                                                   \
                  ctx},
#include "map_ops.def"
};

/* Index by opcode: every code appears once (-Woverride-init would refuse a repeat). */
static const ssgw_map_op *const by_code[SSGW_MAP_OPCODE_MAX + 1] = {
#define MAP_OP(id, code, name, origin, fs11, family, arg, res, ctx) [code] = &map_ops[ROW_##id],
#include "map_ops.def"
};

/* Names that an operation had in earlier versions of its contexts. */
static const struct {
    ssgw_map_opcode opcode;
    const char *name;
    uint8_t vmin, vmax;
} old_names[] = {
#define MAP_OLD_NAME(id, name, vmin, vmax) {SSGW_MAP_OP_##id, name, vmin, vmax},
#include "map_ops.def"
};

#undef ARG
#undef RES
#undef C
#undef CTX
#undef NO_CTX

const ssgw_map_op *ssgw_map_op_by_code(int opcode)
{
    if (opcode < 0 || opcode > SSGW_MAP_OPCODE_MAX) return NULL;
    return by_code[opcode];
}

const ssgw_map_op *ssgw_map_op_by_name(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < N_OPS; i++)
        if (strcmp(map_ops[i].name, name) == 0) return &map_ops[i];
    /* the operation modules spell "mo-ForwardSM" where MAP-Protocol's value list says
     * "mo-forwardSM": accept either case */
    for (size_t i = 0; i < N_OPS; i++)
        if (strcasecmp(map_ops[i].name, name) == 0) return &map_ops[i];
    return NULL;
}

const char *ssgw_map_op_name(int opcode)
{
    const ssgw_map_op *op = ssgw_map_op_by_code(opcode);
    return op ? op->name : "unknown";
}

const char *ssgw_map_op_name_in(int opcode, int acn_version)
{
    for (size_t i = 0; i < sizeof old_names / sizeof old_names[0]; i++)
        if ((int)old_names[i].opcode == opcode && acn_version >= old_names[i].vmin &&
            acn_version <= old_names[i].vmax)
            return old_names[i].name;
    return ssgw_map_op_name(opcode);
}

size_t ssgw_map_op_count(void)
{
    return N_OPS;
}

const ssgw_map_op *ssgw_map_op_at(size_t i)
{
    return i < N_OPS ? &map_ops[i] : NULL;
}

int ssgw_map_op_family(int opcode)
{
    const ssgw_map_op *op = ssgw_map_op_by_code(opcode);
    return op ? (int)op->family : -1;
}

const char *ssgw_map_family_name(int family)
{
    const ssgw_map_op *op = ssgw_map_op_by_code(family);
    if (!op || op->family != op->opcode) return "unknown";
    for (size_t i = 0; i < sizeof old_names / sizeof old_names[0]; i++)
        if ((int)old_names[i].opcode == family) return old_names[i].name;
    return op->name;
}

const char *ssgw_map_op_origin_name(ssgw_map_op_origin o)
{
    static const char *const n[SSGW_MAP_ORIGIN_COUNT] = {"current", "reserved", "secure-transport",
                                                         "ss-operation"};
    return (unsigned)o < SSGW_MAP_ORIGIN_COUNT ? n[o] : "unknown";
}

const char *ssgw_map_fs11_name(ssgw_map_fs11 c)
{
    static const char *const n[SSGW_MAP_FS11_COUNT] = {"other", "cat1", "cat2", "cat3", "sms"};
    return (unsigned)c < SSGW_MAP_FS11_COUNT ? n[c] : "unknown";
}

const char *ssgw_map_comp_kind_name(ssgw_map_comp_kind k)
{
    switch (k) {
    case SSGW_MAP_INVOKE:
        return "invoke";
    case SSGW_MAP_RETURN_RESULT:
        return "return_result";
    case SSGW_MAP_RETURN_ERROR:
        return "return_error";
    default:
        return "unknown";
    }
}

/* TS 29.002 17.7.5 MAP-SS-Code, indexed by the code (NULL: not allocated). */
static const char *const ss_codes[256] = {
    [0x00] = "allSS",
    [0x10] = "allLineIdentificationSS",
    [0x11] = "clip",
    [0x12] = "clir",
    [0x13] = "colp",
    [0x14] = "colr",
    [0x15] = "mci",
    [0x18] = "allNameIdentificationSS",
    [0x19] = "cnap",
    [0x20] = "allForwardingSS",
    [0x21] = "cfu",
    [0x24] = "cd",
    [0x28] = "allCondForwardingSS",
    [0x29] = "cfb",
    [0x2a] = "cfnry",
    [0x2b] = "cfnrc",
    [0x30] = "allCallOfferingSS",
    [0x31] = "ect",
    [0x32] = "mah",
    [0x40] = "allCallCompletionSS",
    [0x41] = "cw",
    [0x42] = "hold",
    [0x43] = "ccbs-A",
    [0x44] = "ccbs-B",
    [0x45] = "mc",
    [0x50] = "allMultiPartySS",
    [0x51] = "multiPTY",
    [0x60] = "allCommunityOfInterest-SS",
    [0x61] = "cug",
    [0x70] = "allChargingSS",
    [0x71] = "aoci",
    [0x72] = "aocc",
    [0x80] = "allAdditionalInfoTransferSS",
    [0x81] = "uus1",
    [0x82] = "uus2",
    [0x83] = "uus3",
    [0x90] = "allBarringSS",
    [0x91] = "barringOfOutgoingCalls",
    [0x92] = "baoc",
    [0x93] = "boic",
    [0x94] = "boicExHC",
    [0x99] = "barringOfIncomingCalls",
    [0x9a] = "baic",
    [0x9b] = "bicRoam",
    [0xa0] = "allCallPrioritySS",
    [0xa1] = "emlpp",
    [0xb0] = "allLCSPrivacyException",
    [0xb1] = "universal",
    [0xb2] = "callSessionRelated",
    [0xb3] = "callSessionUnrelated",
    [0xb4] = "plmnoperator",
    [0xb5] = "serviceType",
    [0xc0] = "allMOLR-SS",
    [0xc1] = "basicSelfLocation",
    [0xc2] = "autonomousSelfLocation",
    [0xc3] = "transferToThirdParty",
    [0xf0] = "allPLMN-specificSS",
    [0xf1] = "plmn-specificSS-1",
    [0xf2] = "plmn-specificSS-2",
    [0xf3] = "plmn-specificSS-3",
    [0xf4] = "plmn-specificSS-4",
    [0xf5] = "plmn-specificSS-5",
    [0xf6] = "plmn-specificSS-6",
    [0xf7] = "plmn-specificSS-7",
    [0xf8] = "plmn-specificSS-8",
    [0xf9] = "plmn-specificSS-9",
    [0xfa] = "plmn-specificSS-A",
    [0xfb] = "plmn-specificSS-B",
    [0xfc] = "plmn-specificSS-C",
    [0xfd] = "plmn-specificSS-D",
    [0xfe] = "plmn-specificSS-E",
    [0xff] = "plmn-specificSS-F",
};

const char *ssgw_map_ss_code_name(uint8_t code)
{
    return ss_codes[code];
}
