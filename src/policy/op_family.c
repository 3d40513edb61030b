/*
 * op_family.c - what the policy calls an operation: every version of a MAP
 * operation is the same operation to the checks (issue 11).
 *
 * TS 29.002 renamed or split operations between MAP versions; the family
 * column of the MAP table (src/wire/map_ops.def) names the current operation
 * each one became (sendParameters -> sendAuthenticationInfo, noteSubscriber-
 * Present -> readyForSM, ...), and the checks compare that, never the code on
 * the wire, so an attack sent in an old version meets the checks of its
 * current one. The one family that is two operations now is forwardSM: MAP
 * v1/v2 carried short messages both ways in it (opcode 46), v3 split it into
 * mo-forwardSM (46) and mt-forwardSM (44); a v1/v2 forwardSM is the one whose
 * direction its short message travels (sm-RP-DA says: TS 29.002 7.6.8). The FS.11 category stays
 * the row's own (sendParameters is category 1, which is stricter than its family's 3).
 */
#include "policy/policy_int.h"

int ssgw_policy_map_op(int code, const ssgw_map_acn *acn, int version, int sm_dir)
{
    int fam = ssgw_map_op_family(code);
    if (fam < 0) return code;
    if (code == SSGW_MAP_OP_MT_FORWARD_SM) return code;
    if (fam != SSGW_MAP_OP_MO_FORWARD_SM) return fam;
    /* opcode 46: mo-forwardSM from v3 on, forwardSM before */
    if (version >= 3) return SSGW_MAP_OP_MO_FORWARD_SM;
    if (acn && acn->ac == SSGW_MAP_AC_SHORT_MSG_MT_RELAY) return SSGW_MAP_OP_MT_FORWARD_SM;
    /* shortMsgRelayContext-v1 (ac 21 v1), no context, or shortMsgMO-RelayContext-v2:
     * sm-RP-DA says (sm_rp_dir). A short message to an IMSI is delivered towards the MS
     * whatever the context claims (a phase 2 MSC may route it by sm-RP-DA), so it meets the
     * mt-forwardSM checks, the stricter ones. */
    return sm_dir == SSGW_MAP_SM_TO_MS ? SSGW_MAP_OP_MT_FORWARD_SM : SSGW_MAP_OP_MO_FORWARD_SM;
}

bool ssgw_policy_map_op_may_be(int code, int pop)
{
    if (pop == code) return true; /* no invoke decoded as MAP: the policy operation is the code */
    int fam = ssgw_map_op_family(code);
    if (fam < 0 || code == SSGW_MAP_OP_MT_FORWARD_SM) return false;
    if (fam != SSGW_MAP_OP_MO_FORWARD_SM) return pop == fam;
    return pop == SSGW_MAP_OP_MO_FORWARD_SM || pop == SSGW_MAP_OP_MT_FORWARD_SM;
}
