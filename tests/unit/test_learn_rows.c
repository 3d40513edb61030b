/*
 * test_learn_rows.c - which message teaches where a subscriber is (src/policy/learn_location.c,
 * docs/checks.md "Learning"): the first component that proves a location picks the row. The
 * rows' operations are a table of constants and an inbound message's results are passed over
 * before their policy operation is worked out (issue 16). The reference here is the table of
 * docs/checks.md written out again and the plain rule: every component in order, its policy
 * operation (the invoke's as the firewall worked it out, else ssgw_policy_map_op), the first
 * row of the same direction, kind (invoke or returnResult) and operation. Messages of one
 * and two components of every type, with every local opcode 0..127, in both directions,
 * under contexts of several versions and none, must pick the same row both ways.
 */
#include "check.h"
#include "policy/policy_int.h"

typedef struct {
    ssgw_direction dir;
    bool result;
    int op;
} ref_row;

/* docs/checks.md "Learning", in its order (ssgw_learn_location_row's indices). */
static const ref_row ref_rows[] = {
    {SSGW_DIR_INBOUND, false, SSGW_MAP_OP_UPDATE_LOCATION},
    {SSGW_DIR_INBOUND, false, SSGW_MAP_OP_UPDATE_GPRS_LOCATION},
    {SSGW_DIR_INBOUND, false, SSGW_MAP_OP_PURGE_MS},
    {SSGW_DIR_OUTBOUND, false, SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA},
    {SSGW_DIR_OUTBOUND, false, SSGW_MAP_OP_DELETE_SUBSCRIBER_DATA},
    {SSGW_DIR_OUTBOUND, false, SSGW_MAP_OP_PROVIDE_ROAMING_NUMBER},
    {SSGW_DIR_OUTBOUND, false, SSGW_MAP_OP_PROVIDE_SUBSCRIBER_INFO},
    {SSGW_DIR_OUTBOUND, false, SSGW_MAP_OP_CANCEL_LOCATION},
    {SSGW_DIR_OUTBOUND, true, SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM},
    {SSGW_DIR_OUTBOUND, true, SSGW_MAP_OP_SEND_ROUTING_INFO},
};

static int ref_row_of(const ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    if (!cx->is_map || !v->has_tcap) return -1;
    unsigned inv = 0;
    for (unsigned i = 0; i < v->ncomp; i++) {
        const ssgw_tcap_component *c = &v->comp[i];
        if (c->opcode.kind != SSGW_TCAP_CODE_LOCAL || c->opcode.local < 0 ||
            c->opcode.local > SSGW_MAP_OPCODE_MAX)
            continue;
        int pop = c->type == SSGW_TCAP_COMP_INVOKE && inv < cx->n_invokes
                      ? cx->invoke_pops[inv++]
                      : ssgw_policy_map_op((int)c->opcode.local, v->acn, v->acn_version, 0);
        bool result = c->type == SSGW_TCAP_COMP_RETURN_RESULT_LAST ||
                      c->type == SSGW_TCAP_COMP_RETURN_RESULT_NOT_LAST;
        if (!result && c->type != SSGW_TCAP_COMP_INVOKE) continue;
        for (size_t k = 0; k < sizeof ref_rows / sizeof ref_rows[0]; k++)
            if (ref_rows[k].dir == cx->dir && ref_rows[k].result == result && ref_rows[k].op == pop)
                return (int)k;
    }
    return -1;
}

static const ssgw_tcap_comp_type types[] = {
    SSGW_TCAP_COMP_INVOKE, SSGW_TCAP_COMP_RETURN_RESULT_LAST, SSGW_TCAP_COMP_RETURN_ERROR,
    SSGW_TCAP_COMP_REJECT, SSGW_TCAP_COMP_RETURN_RESULT_NOT_LAST};

/* Component i of v: type t, local opcode code (the firewall's invoke facts follow). */
static void set_comp(ssgw_view *v, unsigned i, ssgw_tcap_comp_type t, int code)
{
    ssgw_tcap_component *c = &v->comp[i];
    memset(c, 0, sizeof *c);
    c->type = t;
    c->opcode.kind = SSGW_TCAP_CODE_LOCAL;
    c->opcode.local = code;
}

/* cx's invoke facts as derive_facts and ssgw_check_prepare leave them. */
static void invoke_facts(ssgw_check_ctx *cx)
{
    const ssgw_view *v = cx->v;
    cx->n_invokes = 0;
    for (unsigned i = 0; i < v->ncomp; i++)
        if (v->comp[i].type == SSGW_TCAP_COMP_INVOKE) {
            int code = (int)v->comp[i].opcode.local;
            cx->invoke_ops[cx->n_invokes] = code;
            cx->invoke_pops[cx->n_invokes++] =
                ssgw_policy_map_op(code, v->acn, v->acn_version, SSGW_MAP_SM_TO_MS);
        }
}

static void rows_as_reference(void)
{
    static ssgw_view v; /* large: not on the stack */
    ssgw_check_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.v = &v;
    cx.is_map = true;
    v.has_tcap = true;
    /* contexts: none, shortMsgMT-Relay v2 and v3 (the forwardSM family), networkLocUp v3 */
    struct {
        int ac, version;
    } ctxs[] = {
        {-1, 0}, {SSGW_MAP_AC_SHORT_MSG_MT_RELAY, 2}, {SSGW_MAP_AC_SHORT_MSG_MT_RELAY, 3}, {1, 3}};
    size_t cases = 0, rows = 0, differ = 0, per_row[16] = {0};
    for (size_t k = 0; k < sizeof ctxs / sizeof ctxs[0]; k++) {
        v.acn = ctxs[k].ac < 0 ? NULL : ssgw_map_acn_by_id(ctxs[k].ac);
        v.acn_version = ctxs[k].version;
        for (int d = SSGW_DIR_UNKNOWN; d <= SSGW_DIR_OUTBOUND; d++) {
            cx.dir = (ssgw_direction)d;
            for (size_t a = 0; a < sizeof types / sizeof types[0]; a++)
                for (int code = 0; code <= SSGW_MAP_OPCODE_MAX; code++)
                    /* alone, then after each kind of component with a neighbouring opcode */
                    for (size_t b = 0; b <= sizeof types / sizeof types[0]; b++) {
                        v.ncomp = 0;
                        if (b < sizeof types / sizeof types[0])
                            set_comp(&v, v.ncomp++, types[b], (code * 7 + 3) & 127);
                        set_comp(&v, v.ncomp++, types[a], code);
                        invoke_facts(&cx);
                        int want = ref_row_of(&cx), got = ssgw_learn_location_row(&cx);
                        differ += got != want;
                        cases++;
                        rows += want >= 0;
                        if (want >= 0) per_row[want]++;
                    }
        }
    }
    printf("    %zu messages, %zu with a row; %zu differ\n", cases, rows, differ);
    CHECK_INT(differ, 0);
    for (size_t k = 0; k < sizeof ref_rows / sizeof ref_rows[0]; k++)
        CHECK(per_row[k] > 0); /* every row picked, so the comparison covers it */
    /* not MAP, or no TCAP: no row */
    set_comp(&v, 0, SSGW_TCAP_COMP_INVOKE, SSGW_MAP_OP_UPDATE_LOCATION);
    v.ncomp = 1;
    cx.dir = SSGW_DIR_INBOUND;
    invoke_facts(&cx);
    CHECK_INT(ssgw_learn_location_row(&cx), 0);
    cx.is_map = false;
    CHECK_INT(ssgw_learn_location_row(&cx), -1);
    cx.is_map = true;
    v.has_tcap = false;
    CHECK_INT(ssgw_learn_location_row(&cx), -1);
}

int main(void)
{
    RUN(rows_as_reference);
    return check_summary();
}
