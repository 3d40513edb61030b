/*
 * view.h - one signalling message decoded through the whole stack.
 *
 *   M3UA DATA (or an MTP3 MSU, or a bare SCCP message)
 *     -> SCCP (UDT/XUDT/LUDT/..., party addresses)
 *        -> TCAP (transaction, dialogue portion, components)
 *           -> MAP (operation names from the application context; parameters, lazily)
 *              -> SMS TPDU of (mo-/mt-)forwardSM (lazily, ssgw_view_sms)
 *     -> ISUP, when the service indicator is 5 (instead of SCCP)
 *   or a Diameter message (capture kind DIAMETER: S6a/S6d and the base protocol)
 *     -> header and AVPs checked; the policy fields (ssgw_diam_fields), lazily
 *
 * and, for what probes capture besides M3UA (issue 11): M2PA or M2UA around
 * the MTP3 MSU, SUA in place of M3UA + SCCP (its addresses become the SCCP
 * parties), SCCP management (SSN 1) and ANSI TCAP beside ITU TCAP, and CAP
 * beside MAP as TCAP users (include/ssgw/tcap_user.h says which user and
 * which operation a component is).
 *
 * An ssgw_view points into the caller's message buffer (and, after SCCP
 * reassembly, into the decoder's reassembly buffer); it is valid while those
 * are. Decoding stops at the first layer that is malformed: the layers above
 * it are absent and `error` names the layer, the field and the byte offset
 * from the start of the message. MAP parameters are decoded only on request
 * (ssgw_view_map), because most policy decisions need only the opcode.
 *
 * ssgw_decoder adds what needs state across messages (SCCP reassembly) and
 * counts every outcome; the analyzer, `ssgw decode` and the gateway use it.
 */
#ifndef SSGW_VIEW_H
#define SSGW_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/ansi_tcap.h"
#include "ssgw/cap.h"
#include "ssgw/capture.h"
#include "ssgw/diameter.h"
#include "ssgw/error.h"
#include "ssgw/isup.h"
#include "ssgw/m3ua.h"
#include "ssgw/map.h"
#include "ssgw/sccp.h"
#include "ssgw/sms.h"
#include "ssgw/scmg.h"
#include "ssgw/sigtran.h"
#include "ssgw/tcap.h"
#include "ssgw/tcap_user.h"

#define SSGW_VIEW_MAX_COMPONENTS 16

typedef enum {
    SSGW_VIEW_IN_M3UA = 0,
    SSGW_VIEW_IN_MTP3,
    SSGW_VIEW_IN_SCCP,
    SSGW_VIEW_IN_DIAMETER,
    /* issue 11 */
    SSGW_VIEW_IN_M2PA,
    SSGW_VIEW_IN_M2UA,
    SSGW_VIEW_IN_SUA,
} ssgw_view_input;

typedef enum {
    SSGW_VIEW_REASM_NONE = 0, /* not segmented */
    SSGW_VIEW_REASM_PENDING,  /* a segment was stored; TCAP comes with the last one */
    SSGW_VIEW_REASM_COMPLETE, /* the TCAP below was reassembled from several segments */
    SSGW_VIEW_REASM_FAILED,   /* segment refused: see reasm_result */
} ssgw_view_reasm;

typedef struct {
    ssgw_view_input input;
    const uint8_t *buf; /* the message as given */
    size_t len;

    bool has_m3ua;
    ssgw_m3ua_msg m3ua;

    bool has_label; /* routing label: from M3UA protocol data or MTP3 */
    uint32_t opc, dpc;
    uint8_t si, ni, mp, sls;

    bool has_sccp;
    ssgw_sccp_msg sccp;
    ssgw_view_reasm reasm;
    int reasm_result; /* ssgw_sccp_reasm_result when reasm != NONE */

    bool has_tcap;
    ssgw_tcap_msg tcap;
    const uint8_t *tcap_data; /* SCCP user data the TCAP was decoded from */
    size_t tcap_base;         /* its offset in buf (0 when reassembled) */
    unsigned ncomp;           /* components decoded into comp[] */
    bool comp_truncated;      /* more than SSGW_VIEW_MAX_COMPONENTS: the rest not decoded */
    ssgw_tcap_component comp[SSGW_VIEW_MAX_COMPONENTS];

    /* application context: MAP when acn != NULL; acn_other when the dialogue names a non-MAP
     * context (CAP's included); tcap_user below says which user it is (MAP with acn NULL
     * while the dialogue names a context: a MAP-arc context or version the table lacks) */
    const ssgw_map_acn *acn;
    int acn_version;
    bool acn_other;

    bool map_done;     /* ssgw_view_map() ran */
    int map_only_comp; /* internal (the view's own memo, not for callers): after it, the
                          one component whose fields map holds, -1 when it decoded none,
                          several or failed (ssgw_view_sms reuses them) */
    ssgw_map_fields map;

    /* --- Diameter (input SSGW_VIEW_IN_DIAMETER) ------------------------------------------ */
    bool has_diameter;      /* the header and every AVP decoded (include/ssgw/diameter.h) */
    ssgw_diam_msg diameter; /* points into buf */
    bool diam_done;         /* ssgw_view_diameter() ran */
    ssgw_diam_fields diam;  /* the policy fields, after ssgw_view_diameter() */
    /* --- end of Diameter ------------------------------------------------------------------ */
    /* --- ISUP: a user part with service indicator 5 (ITU-T Q.763) ------------------- */
    bool has_isup;
    /* the ISUP message did not decode (has_error, layer ISUP): of isup, only cic and type
     * are meaningful (type 0 when the message was too short to have one) */
    bool isup_malformed;
    ssgw_isup_msg isup;
    size_t isup_base; /* offset of the ISUP message (its CIC) in buf */

    /* --- SMS TPDU in MAP sm-RP-UI, decoded by ssgw_view_sms() ----------------------- */
    bool sms_done;     /* ssgw_view_sms() ran */
    bool sms_all_done; /* ssgw_view_sms_all() looked at every component */
    bool has_sms;
    int sms_opcode;       /* the MAP operation that carried it: 44 or 46 */
    ssgw_sms_dir sms_dir; /* which way the TPDU travels (MAP sm-RP-DA/OA, or the operation) */
    ssgw_sms_tpdu sms;

    bool has_error;
    ssgw_error error; /* offset from the start of buf (or of the reassembled data) */

    /* ---- TCAP users, SCCP users besides TCAP, probe framings (issue 11) ------------------ */
    ssgw_tcap_user tcap_user;       /* whose components these are; NONE without TCAP */
    ssgw_tcu_basis tcap_user_basis; /* how the view knows */
    const ssgw_cap_acn *cap_acn;    /* the CAP context the dialogue names, NULL otherwise */
    bool cap_done;                  /* ssgw_view_cap() ran */
    ssgw_cap_fields cap;
    bool has_scmg; /* the SCCP data is SCCP management (called SSN 1), not TCAP */
    ssgw_scmg_msg scmg;
    bool has_ansi_tcap; /* the SCCP data is ANSI TCAP (has_tcap stays false) */
    ssgw_ansi_tcap_msg ansi_tcap;
    unsigned ansi_ncomp;
    bool ansi_comp_truncated;
    ssgw_ansi_tcap_component ansi_comp[SSGW_VIEW_MAX_COMPONENTS];
    bool has_m2pa; /* M2PA around the MTP3 MSU (input M2PA) */
    ssgw_m2pa_msg m2pa;
    bool has_m2ua; /* M2UA around the MTP3 MSU (input M2UA) */
    ssgw_m2ua_msg m2ua;
    bool has_sua; /* SUA (input SUA): has_sccp is set and sccp holds its parties (type 0),
                     data, segmentation; sua keeps the rest */
    ssgw_sua_msg sua;
} ssgw_view;

/* Stateless decoders. Return 0, or -1 with v->error set (the layers below it stay valid). */
int ssgw_view_decode_m3ua(ssgw_view *v, const uint8_t *buf, size_t len);
/* The same for a message the caller has already decoded with ssgw_m3ua_decode (which
 * returned 0): *m3ua is copied instead of decoded again (the live gateway decodes every
 * message to route it). When m3ua is NULL or not buf's (its buf / len differ), buf is
 * decoded as by ssgw_view_decode_m3ua. */
int ssgw_view_decode_m3ua_msg(ssgw_view *v, const uint8_t *buf, size_t len,
                              const ssgw_m3ua_msg *m3ua);
int ssgw_view_decode_mtp3(ssgw_view *v, const uint8_t *buf, size_t len);
int ssgw_view_decode_sccp(ssgw_view *v, const uint8_t *buf, size_t len);
/* An M2PA / M2UA message around an MTP3 MSU, or a SUA message (issue 11). */
int ssgw_view_decode_m2pa(ssgw_view *v, const uint8_t *buf, size_t len);
int ssgw_view_decode_m2ua(ssgw_view *v, const uint8_t *buf, size_t len);
int ssgw_view_decode_sua(ssgw_view *v, const uint8_t *buf, size_t len);
/*
 * Decodes the SCCP user data at byte `base` of the message: SCCP management
 * when the called party is SSN 1, ANSI TCAP when its first octet is an ANSI
 * package type, else ITU TCAP; then finds the TCAP user (MAP, CAP, ...).
 */
int ssgw_view_decode_tcap(ssgw_view *v, const uint8_t *data, size_t len, size_t base);
/* Decodes one Diameter message (buf/len is exactly the message). */
int ssgw_view_decode_diameter(ssgw_view *v, const uint8_t *buf, size_t len);
/* Fills v->diam from the Diameter message (cleared when there is none). Returns 0, or -1
 * with v->error set. Idempotent. */
int ssgw_view_diameter(ssgw_view *v);

/*
 * Decodes the MAP parameters of every invoke and result component into v->map: each
 * component's decode replaces the one before, so with several components v->map holds the
 * last one's fields (the firewall judges each component on its own: firewall.c,
 * judge_components). Returns 0, or -1 with v->error set to the first MAP error (every
 * component before it decoded). Idempotent.
 */
int ssgw_view_map(ssgw_view *v);

/*
 * Decodes the SMS TPDU of the first forwardSM / mo-forwardSM / mt-forwardSM invoke or
 * result (opcodes 46, 44) into v->sms: has_sms when there is one. The direction comes
 * from sm-RP-DA / sm-RP-OA (IMSI, LMSI or a service-centre originator: towards the MS;
 * a service-centre destination or an MSISDN originator: from it), else from the
 * operation (mt-forwardSM and forwardSM invokes and mo-forwardSM results go towards the
 * MS), as Wireshark decides. Returns 0, or -1 with v->error set (layer SMS, or MAP when
 * the parameter itself is malformed). Idempotent; the text is not decoded (sms.h).
 */
int ssgw_view_sms(ssgw_view *v);
/*
 * ssgw_view_sms, then the TPDU of every other forwardSM / mo-forwardSM / mt-forwardSM
 * invoke or result of a message of several components decoded too, but not kept (v->sms
 * stays the first one's). Returns 0, or -1 with v->error set as ssgw_view_sms does: for a
 * caller that must not let a short message through that it cannot read (the firewall, which
 * judges each component of such a message alone). Idempotent.
 */
int ssgw_view_sms_all(ssgw_view *v);

/* Whether v's SCCP message is connectionless data with user data (UDT, XUDT, LUDT, their
 * services, SUA CLDT/CLDR): what the decoder hands to TCAP, and where a token travels. */
static inline bool ssgw_view_sccp_user_data(const ssgw_view *v)
{
    if (!v->has_sccp) return false;
    const ssgw_sccp_msg *s = &v->sccp;
    bool unitdata = s->type == SSGW_SCCP_UDT || s->type == SSGW_SCCP_XUDT ||
                    s->type == SSGW_SCCP_LUDT || s->type == SSGW_SCCP_UDTS ||
                    s->type == SSGW_SCCP_XUDTS || s->type == SSGW_SCCP_LUDTS ||
                    v->has_sua; /* SUA CLDT/CLDR in SCCP's terms (issue 11) */
    return unitdata && s->data_len > 0;
}

/* Operation code of the first component that carries one, or -1. */
int ssgw_view_first_opcode(const ssgw_view *v);
/* Name of a local opcode for this message's TCAP user: the MAP name, the CAP name
 * ("unknown" when the user's table lacks the code), or NULL for another user. */
const char *ssgw_view_op_name(const ssgw_view *v, int64_t opcode);

/*
 * The operation of component i (ITU TCAP: comp[i]; ANSI TCAP: ansi_comp[i]) as
 * its TCAP user's table knows it: symbolic id, family, whether the dialogue's
 * context carries it, the class column (include/ssgw/tcap_user.h). Returns 0,
 * or -1 when the component has no operation code (errors, rejects, results
 * without one) or i is out of range.
 */
int ssgw_view_tcap_op(const ssgw_view *v, unsigned i, ssgw_tcap_op *out);

/*
 * Decodes the CAP parameters of every invoke into v->cap (first value wins),
 * when the TCAP user is CAP; otherwise leaves v->cap cleared. Returns 0, or -1
 * with v->error set to the CAP error. Idempotent.
 */
int ssgw_view_cap(ssgw_view *v);

/* --- the stateful decoder ------------------------------------------------------------ */

typedef struct ssgw_decoder ssgw_decoder;

typedef struct {
    uint64_t messages;
    uint64_t decoded; /* every layer present decoded */
    uint64_t errors_by_layer[SSGW_LAYER_COUNT];
    uint64_t reasm[SSGW_SCCP_REASM_RESULT_COUNT];
} ssgw_decoder_stats;

/* NULL limits = defaults (1024 reassemblies, 3952 bytes each, 4 MiB total, 10 s). */
ssgw_decoder *ssgw_decoder_new(const ssgw_sccp_reasm_limits *limits);
void ssgw_decoder_free(ssgw_decoder *d);

/*
 * Decodes one captured (or received) message of the given kind at time now_ms,
 * reassembling segmented XUDT/LUDT. Returns 0 or -1 (v->error set). Pointers in
 * v stay valid until the next call on d and while buf lives.
 */
int ssgw_decoder_run(ssgw_decoder *d, ssgw_capture_kind kind, const uint8_t *buf, size_t len,
                     uint64_t now_ms, ssgw_view *v);
/* The same for a message from `source` (the arrival link, 0 = none): SCCP reassembly is
 * keyed and bounded per source (ssgw_sccp_reasm_feed_from), so that one link's unfinished
 * segments can neither complete nor crowd out another's. */
int ssgw_decoder_run_from(ssgw_decoder *d, uint32_t source, ssgw_capture_kind kind,
                          const uint8_t *buf, size_t len, uint64_t now_ms, ssgw_view *v);
/* ssgw_decoder_run_from for an M3UA message the caller has already decoded (see
 * ssgw_view_decode_m3ua_msg): the same result, without decoding the M3UA layer twice. */
int ssgw_decoder_run_m3ua(ssgw_decoder *d, uint32_t source, const uint8_t *buf, size_t len,
                          const ssgw_m3ua_msg *m3ua, uint64_t now_ms, ssgw_view *v);
const ssgw_decoder_stats *ssgw_decoder_get_stats(const ssgw_decoder *d);

/*
 * Decodes one record of the capture reader at its capture time. An error record
 * (the frame could not be taken apart below M3UA) becomes a view with only `error`
 * set, counted in the decoder's statistics like any other malformed message, so
 * every front end handles both kinds of record the same way.
 */
int ssgw_decoder_run_capture(ssgw_decoder *d, const ssgw_capture_msg *cm, ssgw_view *v);

/* Resets v to carry nothing but the error e (no layer decoded). */
void ssgw_view_set_error(ssgw_view *v, const ssgw_error *e);

#endif
