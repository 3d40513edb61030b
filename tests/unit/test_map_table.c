/*
 * test_map_table.c - the MAP operation table (src/wire/map_ops.def) is
 * complete and consistent, and its families say what 3GPP TS 29.002's history
 * says.
 *
 * Coverage: every operation has a name, an FS.11 class and, when TS 29.002
 * defines one, an application context; every context's versions are exactly
 * the versions its operations are carried in; the symbolic names follow the
 * ASN.1 names by one rule; every parameter schema belongs to an operation
 * with that ASN.1 type. References: the reserved application-context list of
 * TS 29.002 17.3.3 (MAP-ApplicationContexts, which versions exist), the MAP
 * v1/v2 operation packages of GSM 09.02 (which operation a v1/v2 context
 * carried), Wireshark's gsm_map v1/v2 operation names (forwardSM).
 */
#include <ctype.h>

#include "check.h"
#include "ssgw/map.h"

/* ---- names: SSGW_MAP_OP_<id> follows the ASN.1 name ---- */

/*
 * The rule of include/ssgw/map.h: upper case, a word break where the case
 * goes from lower (or digit) to upper, before the last capital of a run of
 * capitals followed by a lower-case letter, and at a hyphen; a leading single
 * lower-case letter before capitals belongs to the acronym (sIWFS -> SIWFS).
 */
static void symbol_of(const char *name, bool context, char *out, size_t cap)
{
    char n[96];
    snprintf(n, sizeof n, "%s", name);
    size_t len = strlen(n);
    if (context && len > 7 && !strcmp(n + len - 7, "Context")) {
        n[len -= 7] = '\0';
        if (len && n[len - 1] == '-') n[--len] = '\0';
    }
    if (len > 1 && islower((unsigned char)n[0]) && isupper((unsigned char)n[1]))
        n[0] = (char)toupper((unsigned char)n[0]);
    size_t o = 0;
    for (size_t i = 0; i < len && o + 2 < cap; i++) {
        char c = n[i];
        if (c == '-') {
            out[o++] = '_';
            continue;
        }
        if (i > 0 && isupper((unsigned char)c)) {
            char p = n[i - 1], x = n[i + 1];
            if (islower((unsigned char)p) || isdigit((unsigned char)p) ||
                (isupper((unsigned char)p) && islower((unsigned char)x)))
                out[o++] = '_';
        }
        out[o++] = (char)toupper((unsigned char)c);
    }
    out[o] = '\0';
}

static const struct {
    const char *symbol;
    int code;
    const char *name;
} op_rows[] = {
#define MAP_OP(id, code, name, origin, fs11, family, arg, res, ctx) {#id, code, name},
#include "wire/map_ops.def"
};

static const struct {
    const char *symbol;
    int ac;
    const char *name;
} ac_rows[] = {
#define MAP_AC(id, ac, name, vmin, vmax) {#id, ac, name},
#include "wire/map_ops.def"
};

static void symbols(void)
{
    char want[96];
    CHECK_INT(sizeof op_rows / sizeof op_rows[0], ssgw_map_op_count());
    for (size_t i = 0; i < sizeof op_rows / sizeof op_rows[0]; i++) {
        symbol_of(op_rows[i].name, false, want, sizeof want);
        CHECK_STR(op_rows[i].symbol, want);
    }
    CHECK_INT(sizeof ac_rows / sizeof ac_rows[0], ssgw_map_acn_count());
    for (size_t i = 0; i < sizeof ac_rows / sizeof ac_rows[0]; i++) {
        symbol_of(ac_rows[i].name, true, want, sizeof want);
        CHECK_STR(ac_rows[i].symbol, want);
    }
    /* the enum values are the codes (spot checks against tshark's gsm_old.localValue) */
    CHECK_INT(SSGW_MAP_OP_UPDATE_LOCATION, 2);
    CHECK_INT(SSGW_MAP_OP_SIWFS_SIGNALLING_MODIFY, 32);
    CHECK_INT(SSGW_MAP_OP_MT_FORWARD_SM, 44);
    CHECK_INT(SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM, 45);
    CHECK_INT(SSGW_MAP_OP_MO_FORWARD_SM, 46);
    CHECK_INT(SSGW_MAP_OP_ANY_TIME_INTERROGATION, 71);
    CHECK_INT(SSGW_MAP_OP_EXPLICIT_CT, 126);
    CHECK_INT(SSGW_MAP_AC_NETWORK_LOC_UP, 1);
    CHECK_INT(SSGW_MAP_AC_SHORT_MSG_MT_RELAY_VGCS, 41);
}

/* ---- every operation: name, class, contexts, schema ---- */

static void operations(void)
{
    int prev = 0;
    for (size_t i = 0; i < ssgw_map_op_count(); i++) {
        const ssgw_map_op *op = ssgw_map_op_at(i);
        CHECK((int)op->opcode > prev); /* opcode order, each code once */
        prev = (int)op->opcode;
        CHECK(ssgw_map_op_by_code((int)op->opcode) == op);
        CHECK(op->name && op->name[0]);
        CHECK(ssgw_map_op_by_name(op->name) == op);
        CHECK((unsigned)op->fs11 < SSGW_MAP_FS11_COUNT);
        CHECK((unsigned)op->origin < SSGW_MAP_ORIGIN_COUNT);
        /* TS 29.002 gives every MAP operation, current or retired, an application context;
         * SS-Operations and secure transport travel in the contexts of other operations */
        bool map_op =
            op->origin == SSGW_MAP_ORIGIN_CURRENT || op->origin == SSGW_MAP_ORIGIN_RESERVED;
        if (map_op != (op->n_contexts > 0))
            fprintf(stderr, "%s: %u contexts\n", op->name, (unsigned)op->n_contexts);
        CHECK(map_op == (op->n_contexts > 0));
        int prev_ac = 0;
        for (size_t k = 0; k < op->n_contexts; k++) {
            const ssgw_map_op_ctx *c = &op->contexts[k];
            const ssgw_map_acn *acn = ssgw_map_acn_by_id(c->ac);
            CHECK(acn != NULL);
            CHECK(c->ac > prev_ac); /* ac order, each context once */
            prev_ac = c->ac;
            CHECK(c->vmin >= 1 && c->vmin <= c->vmax);
            for (int v = c->vmin; v <= c->vmax; v++)
                CHECK(ssgw_map_acn_has_version(acn, v));
        }
        /* a parameter schema belongs to an operation that has that parameter */
        if (ssgw_map_decodes((int)op->opcode, SSGW_MAP_INVOKE)) CHECK(op->arg_type != NULL);
        if (ssgw_map_decodes((int)op->opcode, SSGW_MAP_RETURN_RESULT)) CHECK(op->res_type != NULL);
    }
    CHECK(ssgw_map_op_by_code(SSGW_MAP_OPCODE_MAX + 1) == NULL);
    CHECK_INT(ssgw_map_op_family(27), -1); /* unallocated */
}

/* ---- every context: its versions are the versions its operations use ---- */

static void contexts(void)
{
    for (size_t i = 0; i < ssgw_map_acn_count(); i++) {
        const ssgw_map_acn *acn = ssgw_map_acn_at(i);
        CHECK(ssgw_map_acn_by_id(acn->ac) == acn);
        uint8_t used = 0;
        for (size_t k = 0; k < ssgw_map_op_count(); k++) {
            const ssgw_map_op *op = ssgw_map_op_at(k);
            for (size_t c = 0; c < op->n_contexts; c++)
                if (op->contexts[c].ac == acn->ac)
                    for (int v = op->contexts[c].vmin; v <= op->contexts[c].vmax; v++)
                        used |= (uint8_t)(1u << v);
        }
        if (used != acn->versions)
            fprintf(stderr, "%s: versions %02x, carried in %02x\n", acn->name, acn->versions, used);
        CHECK_INT(used, acn->versions);
        for (int v = 1; v <= 4; v++) {
            ssgw_map_opcode ops[16];
            size_t n = ssgw_map_acn_ops(acn, v, ops, 16);
            CHECK_INT(n > 0, ssgw_map_acn_has_version(acn, v));
            for (size_t k = 0; k < n && k < 16; k++)
                CHECK(ssgw_map_acn_carries(acn, v, (int)ops[k]));
        }
    }
    /* shortMsgMT-RelayContext: forwardSM in v2, mt-forwardSM in v3 */
    const ssgw_map_acn *mt = ssgw_map_acn_by_id(SSGW_MAP_AC_SHORT_MSG_MT_RELAY);
    CHECK(ssgw_map_acn_carries(mt, 2, SSGW_MAP_OP_MO_FORWARD_SM));
    CHECK(!ssgw_map_acn_carries(mt, 3, SSGW_MAP_OP_MO_FORWARD_SM));
    CHECK(ssgw_map_acn_carries(mt, 3, SSGW_MAP_OP_MT_FORWARD_SM));
    CHECK(!ssgw_map_acn_carries(mt, 2, SSGW_MAP_OP_MT_FORWARD_SM));
    CHECK(ssgw_map_acn_has_op(mt, SSGW_MAP_OP_MT_FORWARD_SM));
    /* networkLocUpContext: sendParameters only in v1, restoreData from v2 */
    const ssgw_map_acn *lu = ssgw_map_acn_by_id(SSGW_MAP_AC_NETWORK_LOC_UP);
    CHECK(ssgw_map_acn_carries(lu, 1, SSGW_MAP_OP_SEND_PARAMETERS));
    CHECK(!ssgw_map_acn_carries(lu, 3, SSGW_MAP_OP_SEND_PARAMETERS));
    CHECK(ssgw_map_acn_carries(lu, 3, SSGW_MAP_OP_RESTORE_DATA));
    ssgw_map_opcode ops[8];
    CHECK_INT(ssgw_map_acn_ops(lu, 3, ops, 8), 5);
    CHECK_INT(ops[0], SSGW_MAP_OP_UPDATE_LOCATION);
    CHECK_INT(ops[1], SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA);
    CHECK_INT(ops[2], SSGW_MAP_OP_FORWARD_CHECK_SS_INDICATION);
    CHECK_INT(ops[3], SSGW_MAP_OP_ACTIVATE_TRACE_MODE);
    CHECK_INT(ops[4], SSGW_MAP_OP_RESTORE_DATA);
    /* where a dialogue for an operation opens */
    int v;
    const ssgw_map_acn *a = ssgw_map_op_context(SSGW_MAP_OP_UPDATE_LOCATION, &v);
    CHECK(a == lu);
    CHECK_INT(v, 3);
    a = ssgw_map_op_context(SSGW_MAP_OP_SEND_PARAMETERS, &v);
    CHECK(a == lu);
    CHECK_INT(v, 1);
    a = ssgw_map_op_context(SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST, &v);
    CHECK(a && a->ac == SSGW_MAP_AC_NETWORK_UNSTRUCTURED_SS);
    CHECK_INT(v, 2);
    a = ssgw_map_op_context(SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_GPRS, &v);
    CHECK(a && a->ac == SSGW_MAP_AC_GPRS_LOCATION_INFO_RETRIEVAL);
    CHECK_INT(v, 4);
    CHECK(ssgw_map_op_context(SSGW_MAP_OP_NOTIFY_SS, &v) == NULL);
    CHECK_INT(v, 0);
    CHECK(ssgw_map_op_context(SSGW_MAP_OP_SECURE_TRANSPORT_CLASS1, &v) == NULL);
    CHECK(ssgw_map_op_context(90, &v) == NULL);
}

/* ---- FS.11 classes (docs/checks.md lists them) ---- */

static void fs11(void)
{
    static const struct {
        ssgw_map_opcode op;
        ssgw_map_fs11 cls;
    } want[] = {
        {SSGW_MAP_OP_ANY_TIME_INTERROGATION, SSGW_MAP_FS11_CAT1},
        {SSGW_MAP_OP_SEND_ROUTING_INFO, SSGW_MAP_FS11_CAT1},
        {SSGW_MAP_OP_SEND_IMSI, SSGW_MAP_FS11_CAT1},
        {SSGW_MAP_OP_PREPARE_GROUP_CALL, SSGW_MAP_FS11_CAT1},
        {SSGW_MAP_OP_FORWARD_GROUP_CALL_SIGNALLING, SSGW_MAP_FS11_CAT1},
        {SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA, SSGW_MAP_FS11_CAT2},
        {SSGW_MAP_OP_PROVIDE_SUBSCRIBER_INFO, SSGW_MAP_FS11_CAT2},
        {SSGW_MAP_OP_UPDATE_LOCATION, SSGW_MAP_FS11_CAT3},
        {SSGW_MAP_OP_SEND_AUTHENTICATION_INFO, SSGW_MAP_FS11_CAT3},
        {SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM, SSGW_MAP_FS11_SMS},
        {SSGW_MAP_OP_MT_FORWARD_SM, SSGW_MAP_FS11_SMS},
        {SSGW_MAP_OP_PREPARE_HANDOVER, SSGW_MAP_FS11_OTHER},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK_INT(ssgw_map_op_by_code(want[i].op)->fs11, want[i].cls);
    CHECK_STR(ssgw_map_fs11_name(SSGW_MAP_FS11_CAT2), "cat2");
    CHECK_STR(ssgw_map_fs11_name(SSGW_MAP_FS11_COUNT), "unknown");
}

/* ---- families: every version of an operation ---- */

static void families(void)
{
    /* Every family of more than one operation, with its members (TS 29.002 history). */
    static const struct {
        const char *name;
        ssgw_map_opcode members[3];
    } want[] = {
        /* v1/v2 forwardSM (46) carried SMS both ways; v3: mo-forwardSM 46, mt-forwardSM 44 */
        {"forwardSM", {SSGW_MAP_OP_MT_FORWARD_SM, SSGW_MAP_OP_MO_FORWARD_SM}},
        /* v1 infoRetrievalContext: sendParameters; v2: sendAuthenticationInfo */
        {"sendAuthenticationInfo",
         {SSGW_MAP_OP_SEND_PARAMETERS, SSGW_MAP_OP_SEND_AUTHENTICATION_INFO}},
        /* v1 networkFunctionalSsContext: processUnstructuredSS-Data; v2 its own context */
        {"processUnstructuredSS-Request",
         {SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_DATA, SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST}},
        /* handoverControlContext v1 -> v2 */
        {"prepareHandover", {SSGW_MAP_OP_PERFORM_HANDOVER, SSGW_MAP_OP_PREPARE_HANDOVER}},
        {"prepareSubsequentHandover",
         {SSGW_MAP_OP_PERFORM_SUBSEQUENT_HANDOVER, SSGW_MAP_OP_PREPARE_SUBSEQUENT_HANDOVER}},
        /* mwdMngtContext v1 -> v2 */
        {"readyForSM", {SSGW_MAP_OP_NOTE_SUBSCRIBER_PRESENT, SSGW_MAP_OP_READY_FOR_SM}},
        /* shortMsgAlertContext v1 -> v2 */
        {"alertServiceCentre",
         {SSGW_MAP_OP_ALERT_SERVICE_CENTRE_WITHOUT_RESULT, SSGW_MAP_OP_ALERT_SERVICE_CENTRE}},
    };
    size_t n_want = sizeof want / sizeof want[0];
    /* each listed family: its members, and no other operation */
    for (size_t i = 0; i < n_want; i++) {
        int fam = ssgw_map_op_family(want[i].members[0]);
        CHECK_STR(ssgw_map_family_name(fam), want[i].name);
        size_t members = 0;
        for (size_t k = 0; k < ssgw_map_op_count(); k++)
            if ((int)ssgw_map_op_at(k)->family == fam) members++;
        size_t listed = 0;
        for (size_t m = 0; m < 3 && want[i].members[m]; m++, listed++)
            CHECK_INT(ssgw_map_op_family(want[i].members[m]), fam);
        CHECK_INT(members, listed);
    }
    /* every other operation is its own family; every family is led by itself */
    size_t multi = 0;
    for (size_t k = 0; k < ssgw_map_op_count(); k++) {
        const ssgw_map_op *op = ssgw_map_op_at(k);
        const ssgw_map_op *head = ssgw_map_op_by_code((int)op->family);
        CHECK(head != NULL);
        if (!head) continue;
        CHECK(head->family == head->opcode);
        if (op->family != op->opcode) {
            multi++;
            CHECK_INT(head->origin, SSGW_MAP_ORIGIN_CURRENT); /* it became a current operation */
        }
    }
    CHECK_INT(multi, n_want); /* one follower per listed family */
    /* the same operation in every version: sendRoutingInfoForSM in shortMsgGatewayContext v1..v3 */
    CHECK_INT(ssgw_map_op_family(SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM),
              SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM);
    const ssgw_map_acn *gw = ssgw_map_acn_by_id(SSGW_MAP_AC_SHORT_MSG_GATEWAY);
    for (int v = 1; v <= 3; v++)
        CHECK(ssgw_map_acn_carries(gw, v, SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM));
    /* operations MAP v2 dropped without a successor are their own family */
    CHECK_INT(ssgw_map_op_family(SSGW_MAP_OP_BEGIN_SUBSCRIBER_ACTIVITY),
              SSGW_MAP_OP_BEGIN_SUBSCRIBER_ACTIVITY);
    CHECK_INT(ssgw_map_op_family(SSGW_MAP_OP_NOTE_INTERNAL_HANDOVER),
              SSGW_MAP_OP_NOTE_INTERNAL_HANDOVER);
    CHECK_STR(ssgw_map_family_name(SSGW_MAP_OP_MT_FORWARD_SM), "unknown"); /* not a family */
    /* the v1/v2 name of code 46 (Wireshark: gsm_map_V1V2_opr_code_strings) */
    CHECK_STR(ssgw_map_op_name_in(SSGW_MAP_OP_MO_FORWARD_SM, 2), "forwardSM");
    CHECK_STR(ssgw_map_op_name_in(SSGW_MAP_OP_MO_FORWARD_SM, 1), "forwardSM");
    CHECK_STR(ssgw_map_op_name_in(SSGW_MAP_OP_MO_FORWARD_SM, 3), "mo-forwardSM");
    CHECK_STR(ssgw_map_op_name_in(SSGW_MAP_OP_MO_FORWARD_SM, 0), "mo-forwardSM");
    CHECK_STR(ssgw_map_op_name_in(SSGW_MAP_OP_UPDATE_LOCATION, 1), "updateLocation");
    CHECK_STR(ssgw_map_op_name_in(90, 2), "unknown");
}

int main(void)
{
    RUN(symbols);
    RUN(operations);
    RUN(contexts);
    RUN(fs11);
    RUN(families);
    return check_summary();
}
