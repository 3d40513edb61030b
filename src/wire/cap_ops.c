/*
 * cap_ops.c - the CAP operation and context tables as data: the rows of
 * cap_ops.def become static arrays and a static index by opcode; nothing is
 * built at run time. Also the names of CAP's other vocabularies (error codes,
 * event types), from TS 29.078 clause 5 (CAP-errorcodes, CAP-datatypes).
 */
#include "ssgw/cap.h"

#include <string.h>

/* Every row's id is the enum constant of its code, and its family an operation. */
#define CAP_OP(id, code, name, dir, service, family, phase, arg, res, ctx)                         \
    _Static_assert(SSGW_CAP_OP_##id == (code) && SSGW_CAP_OP_##family >= 0,                        \
                   "cap_ops.def: " #id " is not SSGW_CAP_OP_" #id " = " #code);
#include "cap_ops.def"

enum {
#define CAP_OP(id, code, name, dir, service, family, phase, arg, res, ctx) ROW_##id,
#include "cap_ops.def"
    N_OPS
};

enum {
#define CAP_AC(id, phase, name, a, b, c) AROW_##id,
#include "cap_ops.def"
    N_ACS
};
_Static_assert((int)N_ACS == (int)SSGW_CAP_AC_COUNT,
               "cap_ops.def and ssgw_cap_ac list other contexts");

#define STR_(x) #x
#define STR(x)  STR_(x)

static const ssgw_cap_acn acns[N_ACS] = {
#define CAP_AC(id, phase_, name_, a, b, c)                                                         \
    [AROW_##id] = {.ac = SSGW_CAP_AC_##id,                                                         \
                   .name = name_,                                                                  \
                   .oid = "0.4.0.0.1." STR(a) "." STR(b) "." STR(c),                               \
                   .phase = phase_,                                                                \
                   .arcs = {a, b, c}},
#include "cap_ops.def"
};

/* The contexts' row numbers are their ids: keep the two lists in the same order. */
#define CAP_AC(id, phase, name, a, b, c)                                                           \
    _Static_assert((int)AROW_##id == (int)SSGW_CAP_AC_##id, "cap_ops.def: " #id " out of order");
#include "cap_ops.def"

#define ARG(type)   type
#define RES(type)   type
#define CTX_BIT(ac) | (1u << SSGW_CAP_AC_##ac)
/* CTX(a, b, ...) -> 0 | bit(a) | bit(b) ...: expanded by a fixed-arity ladder */
#define CTX_N(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, N, ...) N
#define CTX_1(a)                                                    CTX_BIT(a)
#define CTX_2(a, b)                                                 CTX_BIT(a) CTX_1(b)
#define CTX_3(a, b, c)                                              CTX_BIT(a) CTX_2(b, c)
#define CTX_4(a, b, c, d)                                           CTX_BIT(a) CTX_3(b, c, d)
#define CTX_5(a, b, c, d, e)                                        CTX_BIT(a) CTX_4(b, c, d, e)
#define CTX_6(a, b, c, d, e, f)                                     CTX_BIT(a) CTX_5(b, c, d, e, f)
#define CTX_7(a, b, c, d, e, f, g)                                  CTX_BIT(a) CTX_6(b, c, d, e, f, g)
#define CTX_8(a, b, c, d, e, f, g, h)                               CTX_BIT(a) CTX_7(b, c, d, e, f, g, h)
#define CTX_9(a, b, c, d, e, f, g, h, i)                            CTX_BIT(a) CTX_8(b, c, d, e, f, g, h, i)
#define CTX_10(a, b, c, d, e, f, g, h, i, j)                        CTX_BIT(a) CTX_9(b, c, d, e, f, g, h, i, j)
#define CTX_11(a, b, c, d, e, f, g, h, i, j, k)                     CTX_BIT(a) CTX_10(b, c, d, e, f, g, h, i, j, k)
#define CTX(...)                                                                                   \
    (0u CTX_N(__VA_ARGS__, CTX_11, CTX_10, CTX_9, CTX_8, CTX_7, CTX_6, CTX_5, CTX_4, CTX_3, CTX_2, \
              CTX_1, )(__VA_ARGS__))

static const ssgw_cap_op cap_ops[N_OPS] = {
#define CAP_OP(id, code, name_, dir, service_, family_, phase, arg, res, ctx)                      \
    [ROW_##id] = {.opcode = SSGW_CAP_OP_##id,                                                      \
                  .name = name_,                                                                   \
                  .arg_type = arg,                                                                 \
                  .res_type = res,                                                                 \
                  .direction = SSGW_CAP_##dir,                                                     \
                  .service = SSGW_CAP_SVC_##service_,                                              \
                  .family = SSGW_CAP_OP_##family_,                                                 \
                  .first_phase = phase,                                                            \
                  .contexts = ctx},
#include "cap_ops.def"
};

/* Index by opcode: every code appears once (-Woverride-init would refuse a repeat). */
static const ssgw_cap_op *const by_code[SSGW_CAP_OPCODE_MAX + 1] = {
#define CAP_OP(id, code, name, dir, service, family, phase, arg, res, ctx)                         \
    [code] = &cap_ops[ROW_##id],
#include "cap_ops.def"
};

#undef ARG
#undef RES

const ssgw_cap_op *ssgw_cap_op_by_code(int opcode)
{
    if (opcode < 0 || opcode > SSGW_CAP_OPCODE_MAX) return NULL;
    return by_code[opcode];
}

const ssgw_cap_op *ssgw_cap_op_by_name(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < N_OPS; i++)
        if (strcmp(cap_ops[i].name, name) == 0) return &cap_ops[i];
    return NULL;
}

const char *ssgw_cap_op_name(int opcode)
{
    const ssgw_cap_op *op = ssgw_cap_op_by_code(opcode);
    return op ? op->name : "unknown";
}

size_t ssgw_cap_op_count(void)
{
    return N_OPS;
}

const ssgw_cap_op *ssgw_cap_op_at(size_t i)
{
    return i < N_OPS ? &cap_ops[i] : NULL;
}

int ssgw_cap_op_family(int opcode)
{
    const ssgw_cap_op *op = ssgw_cap_op_by_code(opcode);
    return op ? (int)op->family : -1;
}

const ssgw_cap_acn *ssgw_cap_acn_by_id(int ac)
{
    return ac >= 0 && ac < N_ACS ? &acns[ac] : NULL;
}

size_t ssgw_cap_acn_count(void)
{
    return N_ACS;
}

/* {itu-t(0) identified-organization(4) etsi(0) mobileDomain(0) gsm-Network or umts-network(1)}:
 * X.690 8.19 packs 0.4 into one octet, 4. */
static const uint8_t cap_prefix[4] = {0x04, 0x00, 0x00, 0x01};

/* CAP v1/v2 contexts share their first arc, 0, with every MAP context
 * (0.4.0.0.1.0.<ac>.<version>): their second arcs as bits, so that a MAP context (asked
 * about for every dialogue) is told apart without walking the table. */
#define CAP_AC(id, phase, name, a, b, c)                                                           \
    _Static_assert((a) != 0 || (b) < 64, "cap_ops.def: " #id ": second arc beyond the mask");
#include "cap_ops.def"
static const uint64_t arc0_second =
#define CAP_AC(id, phase, name, a, b, c) ((a) == 0 ? 1ull << ((b)&63) : 0) |
#include "cap_ops.def"
    0;

const ssgw_cap_acn *ssgw_cap_acn_from_oid(const uint8_t *val, size_t len)
{
    if (!val || len != SSGW_CAP_ACN_OID_LEN || memcmp(val, cap_prefix, sizeof cap_prefix) != 0)
        return NULL;
    if (val[4] == 0 && (val[5] >= 64 || !(arc0_second >> val[5] & 1))) return NULL;
    for (size_t i = 0; i < N_ACS; i++)
        if (!memcmp(val + 4, acns[i].arcs, 3)) return &acns[i];
    return NULL;
}

int ssgw_cap_acn_to_oid(const ssgw_cap_acn *acn, uint8_t *out, size_t cap)
{
    if (!acn || cap < SSGW_CAP_ACN_OID_LEN) return -1;
    memcpy(out, cap_prefix, sizeof cap_prefix);
    memcpy(out + 4, acn->arcs, 3);
    return SSGW_CAP_ACN_OID_LEN;
}

bool ssgw_cap_acn_carries(const ssgw_cap_acn *acn, int opcode)
{
    const ssgw_cap_op *op = ssgw_cap_op_by_code(opcode);
    return acn && op && (op->contexts & (1u << acn->ac));
}

const ssgw_cap_acn *ssgw_cap_op_context(int opcode, int phase)
{
    const ssgw_cap_op *op = ssgw_cap_op_by_code(opcode);
    if (!op) return NULL;
    for (int p = phase ? phase : 4; p >= (phase ? phase : 1); p--)
        for (size_t i = 0; i < N_ACS; i++)
            if (acns[i].phase == p && (op->contexts & (1u << acns[i].ac))) return &acns[i];
    return NULL;
}

const char *ssgw_cap_direction_name(ssgw_cap_direction d)
{
    static const char *const n[SSGW_CAP_DIR_COUNT] = {"to-scf", "from-scf"};
    return (unsigned)d < SSGW_CAP_DIR_COUNT ? n[d] : "unknown";
}

const char *ssgw_cap_service_name(ssgw_cap_service s)
{
    static const char *const n[SSGW_CAP_SVC_COUNT] = {"call", "sms", "gprs"};
    return (unsigned)s < SSGW_CAP_SVC_COUNT ? n[s] : "unknown";
}

/* ---- vocabularies ----------------------------------------------------------------------- */

typedef struct {
    int value;
    const char *name;
} named;

static const char *lookup(const named *t, size_t n, int v)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].value == v) return t[i].name;
    return NULL;
}

#define LOOKUP(t, v) lookup(t, sizeof t / sizeof t[0], v)

/* CAP-errorcodes (clause 5.4). */
static const named errors[] = {
    {0, "canceled"},
    {1, "cancelFailed"},
    {3, "eTCFailed"},
    {4, "improperCallerResponse"},
    {6, "missingCustomerRecord"},
    {7, "missingParameter"},
    {8, "parameterOutOfRange"},
    {10, "requestedInfoError"},
    {11, "systemFailure"},
    {12, "taskRefused"},
    {13, "unavailableResource"},
    {14, "unexpectedComponentSequence"},
    {15, "unexpectedDataValue"},
    {16, "unexpectedParameter"},
    {17, "unknownLegID"},
    {50, "unknownPDPID"},
    {51, "unknownCSID"},
};

/* CAP-datatypes EventTypeBCSM. */
static const named bcsm_events[] = {
    {2, "collectedInfo"},
    {3, "analyzedInformation"},
    {4, "routeSelectFailure"},
    {5, "oCalledPartyBusy"},
    {6, "oNoAnswer"},
    {7, "oAnswer"},
    {8, "oMidCall"},
    {9, "oDisconnect"},
    {10, "oAbandon"},
    {12, "termAttemptAuthorized"},
    {13, "tBusy"},
    {14, "tNoAnswer"},
    {15, "tAnswer"},
    {16, "tMidCall"},
    {17, "tDisconnect"},
    {18, "tAbandon"},
    {19, "oTermSeized"},
    {27, "callAccepted"},
    {50, "oChangeOfPosition"},
    {51, "tChangeOfPosition"},
    {52, "oServiceChange"},
    {53, "tServiceChange"},
};

/* CAP-datatypes EventTypeSMS. */
static const named sms_events[] = {
    {1, "sms-CollectedInfo"},      {2, "o-smsFailure"},  {3, "o-smsSubmission"},
    {11, "sms-DeliveryRequested"}, {12, "t-smsFailure"}, {13, "t-smsDelivery"},
};

/* CAP-datatypes GPRSEventType (the ASN.1 spells "disonnect"). */
static const named gprs_events[] = {
    {1, "attach"},
    {2, "attachChangeOfPosition"},
    {3, "detached"},
    {11, "pdp-ContextEstablishment"},
    {12, "pdp-ContextEstablishmentAcknowledgement"},
    {13, "disonnect"},
    {14, "pdp-ContextChangeOfPosition"},
};

const char *ssgw_cap_error_name(int code)
{
    return LOOKUP(errors, code);
}

const char *ssgw_cap_event_bcsm_name(int v)
{
    return LOOKUP(bcsm_events, v);
}

int ssgw_cap_event_bcsm_value(const char *name)
{
    for (size_t i = 0; name && i < sizeof bcsm_events / sizeof bcsm_events[0]; i++)
        if (!strcmp(bcsm_events[i].name, name)) return bcsm_events[i].value;
    return -1;
}

const char *ssgw_cap_event_sms_name(int v)
{
    return LOOKUP(sms_events, v);
}

const char *ssgw_cap_event_gprs_name(int v)
{
    return LOOKUP(gprs_events, v);
}
