/*
 * pl_trust.c - the pipeline's trust stages and the trust lifecycle
 * (include/ssgw/pipeline.h):
 *
 *  - verification of inbound messages: the security token is verified and
 *    stripped (ssgw_trust_verify_view), the policy of the partner owning the
 *    calling GT decides per outcome (ssgw_trust_decide), the stripped bytes go on;
 *  - signing of outbound messages towards other members of the trust bundle
 *    (ssgw_trust_sign_view: UDT -> XUDT, XUDT segments when it no longer fits);
 *  - segmented SCCP: the token covers the whole TCAP message, so the segments
 *    before the last are held by the decoder's reassembly and not forwarded
 *    (dropped, "trust.segment_held"); the last one carries the whole message out,
 *    stripped or signed, or unchanged when it had no token, segmented again;
 *  - calls (ISUP, include/ssgw/cli.h), in the same two stages: an inbound IAM's CLI
 *    attestation is verified and stripped, the policy of the partner it arrived from
 *    (by OPC) decides per outcome: pass and mark the calling number verified, pass
 *    unmarked, or release the call (REL back, pl_isup.c); an outbound IAM towards another
 *    member is attested at the level its calling number earns;
 *  - the lifecycle: bundle sequences never go back (the highest accepted one is
 *    kept in memory and, for the gateway, in [trust] sequence_file, written
 *    atomically); a bundle past its not-after turns every "ok" into
 *    "bundle_expired" (fail closed unless [trust] on_bundle_expired says so);
 *    the replay cache is carried across reloads.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/pl_int.h"
#include "util/text.h"
#include "ssgw/cli.h"
#include "ssgw/file.h"

static const char *const outcome_reasons[SSGW_TRUST_OUTCOME_COUNT] = {"trust.ok",
                                                                      "trust.missing",
                                                                      "trust.malformed",
                                                                      "trust.unknown_key",
                                                                      "trust.bad_signature",
                                                                      "trust.expired",
                                                                      "trust.not_yet_valid",
                                                                      "trust.revoked",
                                                                      "trust.gt_not_authorised",
                                                                      "trust.stale",
                                                                      "trust.replay",
                                                                      "trust.bundle_expired",
                                                                      "trust.number_not_authorised",
                                                                      "trust.old_version",
                                                                      "trust.replay_full"};

static const char *const cli_reasons[SSGW_TRUST_OUTCOME_COUNT] = {"cli.ok",
                                                                  "cli.missing",
                                                                  "cli.malformed",
                                                                  "cli.unknown_key",
                                                                  "cli.bad_signature",
                                                                  "cli.expired",
                                                                  "cli.not_yet_valid",
                                                                  "cli.revoked",
                                                                  "cli.gt_not_authorised",
                                                                  "cli.stale",
                                                                  "cli.replay",
                                                                  "cli.bundle_expired",
                                                                  "cli.number_not_authorised",
                                                                  "cli.old_version",
                                                                  "cli.replay_full"};

static const char *const event_names[SSGW_PL_EVENT_COUNT] = {
    "bundle_expired", "bundle_valid", "bundle_accepted", "replay_eviction", "learn_written",
    "learn_failed",   "state_down",   "state_up",        "state_queue_full"};

const char *ssgw_pl_event_name(int kind)
{
    return kind >= 0 && kind < SSGW_PL_EVENT_COUNT ? event_names[kind] : "unknown";
}

void pl_event(ssgw_pipeline *p, ssgw_pl_event_kind kind, uint64_t time_ms, uint64_t count,
              const char *detail)
{
    if (!p->cfg.on_event) return;
    const pl_gen *g = &p->cur;
    ssgw_pl_event e = {kind, time_ms, 0, 0, count, detail};
    if (g->tcfg && g->setup.bundle) {
        e.bundle_sequence = ssgw_bundle_sequence(g->setup.bundle);
        e.bundle_not_after = ssgw_bundle_not_after(g->setup.bundle);
    }
    pthread_mutex_lock(&p->event_lock);
    p->cfg.on_event(p->cfg.event_ctx, &e);
    pthread_mutex_unlock(&p->event_lock);
}

int pl_put_outs(ssgw_buf *out, const ssgw_buf *outs, size_t n)
{
    out->len = 0;
    out->overflow = false;
    for (size_t i = 0; i < n; i++) {
        if (outs[i].overflow) return -1;
        ssgw_buf_put(out, outs[i].data, outs[i].len);
    }
    return out->overflow ? -1 : 0;
}

static void reset_outs(pl_lane *ln)
{
    for (size_t i = 0; i < SSGW_TRUST_MAX_OUT; i++)
        ssgw_buf_init(&ln->outs[i], ln->outmem[i], sizeof ln->outmem[i]);
}

/* ---- the sequence file -------------------------------------------------------------- */

/* Reads the recorded highest sequence: 0 when the file does not exist. */
static int read_sequence(const char *path, uint64_t *out, char *err, size_t errlen)
{
    *out = 0;
    if (!path || !path[0]) return 0;
    char *data = NULL, e[512];
    size_t len = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT) return 0;
        return ssgw_errf(err, errlen, "[trust] sequence_file %s: %s", path, strerror(errno));
    }
    fclose(f);
    if (ssgw_file_read(path, 64, &data, &len, e, sizeof e) < 0)
        return ssgw_errf(err, errlen, "[trust] sequence_file %s", e);
    char *end;
    errno = 0;
    unsigned long long v = strtoull(data, &end, 10);
    while (*end == '\n' || *end == '\r' || *end == ' ')
        end++;
    bool ok = end != data && !*end && !errno && data[0] >= '0' && data[0] <= '9';
    free(data);
    if (!ok)
        return ssgw_errf(err, errlen,
                         "[trust] sequence_file %s: expected one decimal bundle sequence number "
                         "(the highest accepted); remove the file only to accept older bundles",
                         path);
    *out = v;
    return 0;
}

static int write_sequence(const char *path, uint64_t seq, char *err, size_t errlen)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%" PRIu64 "\n", seq);
    return ssgw_file_write_atomic(path, buf, (size_t)n, 0644, err, errlen);
}

/* ---- loading ------------------------------------------------------------------------ */

void pl_trust_free(pl_gen *g)
{
    for (size_t i = PL_LANES_MAX; i-- > 0;) /* siblings before the owner of the cache */
        ssgw_trust_free(g->lt[i]);
    memset(g->lt, 0, sizeof g->lt);
    ssgw_trust_setup_free(&g->setup);
}

int pl_trust_load(ssgw_pipeline *p, pl_gen *g, char *err, size_t errlen)
{
    const ssgw_policy_trust *tc = ssgw_policy_trust_get(g->pol);
    if (!tc->present || !(p->stages & (SSGW_PL_VERIFY | SSGW_PL_SIGN))) return 0;
    g->tcfg = tc;
    uint64_t floor = p->cfg.min_sequence, recorded = 0;
    if (p->cfg.keep_sequence && read_sequence(tc->sequence_file, &recorded, err, errlen) < 0)
        return -1;
    if (recorded > p->highest_sequence) p->highest_sequence = recorded;
    char e[1024];
    time_t now = p->cfg.load_time ? p->cfg.load_time : time(NULL);
    if (ssgw_trust_setup_load(&g->setup, tc, floor, now, e, sizeof e) < 0)
        return ssgw_errf(err, errlen, "%s", e);
    uint64_t seq = ssgw_bundle_sequence(g->setup.bundle);
    if (seq < p->highest_sequence) {
        char where[1100] = "";
        if (p->cfg.keep_sequence)
            snprintf(where, sizeof where, " (recorded in %s)", tc->sequence_file);
        return ssgw_errf(err, errlen,
                         "[trust] bundle %s: sequence %" PRIu64 " is older than sequence %" PRIu64
                         " already accepted%s: a bundle never goes back (it could un-revoke "
                         "members); install a bundle with sequence >= %" PRIu64,
                         tc->bundle, seq, p->highest_sequence, where, p->highest_sequence);
    }
    if (tc->sign != SSGW_TRUST_SIGN_NONE && (p->stages & SSGW_PL_SIGN) && !g->setup.sign_key)
        return ssgw_errf(err, errlen, "[trust] sign = \"%s\" but key is not set",
                         ssgw_trust_sign_to_name(tc->sign));
    if (!(g->lt[0] = ssgw_trust_new(g->setup.kr, &tc->cfg)))
        return ssgw_errf(err, errlen, "out of memory (trust context, replay cache of %zu entries)",
                         tc->cfg.replay_entries);
    for (unsigned i = 1; i < p->n_lanes; i++)
        if (!(g->lt[i] = ssgw_trust_new_sibling(g->lt[0])))
            return ssgw_errf(err, errlen, "out of memory (trust context)");
    for (unsigned i = 0; i < p->n_lanes; i++)
        ssgw_trust_set_replay_hook(g->lt[i], pl_replay_hook, &p->lanes[i]);
    return 0;
}

void pl_trust_adopt(ssgw_pipeline *p, pl_gen *g, const pl_gen *old, uint64_t now_ms)
{
    if (!g->tcfg) return;
    if (old && old->tcfg && old->lt[0] && old->lt[0] != g->lt[0])
        ssgw_trust_adopt_replay(g->lt[0], old->lt[0], (time_t)(now_ms / 1000));
    uint64_t seq = ssgw_bundle_sequence(g->setup.bundle);
    bool accepted = seq > p->highest_sequence;
    if (accepted) p->highest_sequence = seq;
    bool was_expired = atomic_exchange(&p->expired, false);
    if (p->cfg.keep_sequence && accepted) {
        char e[512];
        if (write_sequence(g->tcfg->sequence_file, seq, e, sizeof e) < 0)
            pl_event(p, SSGW_PL_EVENT_BUNDLE_ACCEPTED, now_ms, 0, e);
    }
    if (accepted && old) {
        char d[160];
        snprintf(d, sizeof d, "bundle sequence %" PRIu64 " accepted (was %" PRIu64 ")", seq,
                 old->tcfg && old->setup.bundle ? ssgw_bundle_sequence(old->setup.bundle) : 0);
        pl_event(p, SSGW_PL_EVENT_BUNDLE_ACCEPTED, now_ms, 0, d);
    }
    if (was_expired) pl_event(p, SSGW_PL_EVENT_BUNDLE_VALID, now_ms, 0, "a valid bundle is in use");
}

void pl_trust_check_expiry(ssgw_pipeline *p, const pl_gen *g, uint64_t time_ms)
{
    if (!g->tcfg || !g->setup.bundle) return;
    time_t na = ssgw_bundle_not_after(g->setup.bundle);
    if ((int64_t)(time_ms / 1000) <= (int64_t)na || atomic_load(&p->expired)) return;
    if (atomic_exchange(&p->expired, true)) return;
    char d[240];
    snprintf(d, sizeof d,
             "trust bundle sequence %" PRIu64 " expired at %lld: verified tokens now end as "
             "bundle_expired (action %s under inbound = %s); install a newer bundle",
             ssgw_bundle_sequence(g->setup.bundle), (long long)na,
             ssgw_trust_action_name(g->tcfg->policy.action[SSGW_TRUST_BUNDLE_EXPIRED]),
             ssgw_trust_mode_name(g->tcfg->policy.mode));
    pl_event(p, SSGW_PL_EVENT_BUNDLE_EXPIRED, time_ms, 0, d);
}

/* ---- the stages --------------------------------------------------------------------- */

/* What a front end may keep of the trust layer's result (no pointers into the keyring,
 * which a reload frees). */
void pl_copy_token(ssgw_pl_token *d, const ssgw_trust_result *t)
{
    memset(d, 0, sizeof *d);
    d->present = t->token_present;
    d->err = t->err;
    if (t->token_present) {
        d->bytes = t->token_bytes;
        d->mode = t->token.mode;
        memcpy(d->key_id, t->token.key_id, sizeof d->key_id);
        d->time = t->token.time;
    }
    if (t->signer) {
        ssgw_text_copy(d->signer, sizeof d->signer, t->signer->identity.name);
        ssgw_text_copy(d->signer_serial, sizeof d->signer_serial, t->signer->serial);
    }
}

/* ---- calls: the CLI attestation of IAMs ------------------------------------------ */

/* The ISUP message of a view (from its CIC). */
static const uint8_t *isup_bytes(const ssgw_view *v, size_t *len)
{
    *len = v->isup.len;
    return v->buf + v->isup_base;
}

static void copy_cli(ssgw_pl_cli *d, const ssgw_cli_result *c)
{
    memset(d, 0, sizeof *d);
    d->present = c->present;
    d->err = c->err;
    if (c->present) {
        d->attest = c->att.attest;
        d->bytes = c->bytes;
        memcpy(d->key_id, c->att.key_id, sizeof d->key_id);
        d->iat = c->att.iat;
        memcpy(d->origid, c->att.origid, sizeof d->origid);
        memcpy(d->sig, c->att.sig, sizeof d->sig);
    }
    ssgw_text_copy(d->orig_tn, sizeof d->orig_tn, c->orig_tn);
    ssgw_text_copy(d->dest_tn, sizeof d->dest_tn, c->dest_tn);
    if (c->signer) {
        ssgw_text_copy(d->signer, sizeof d->signer, c->signer->identity.name);
        ssgw_text_copy(d->signer_serial, sizeof d->signer_serial, c->signer->serial);
    }
}

/* The ISUP message in isup[0..len) (stripped / marked) goes on framed like the view. */
static bool forward_isup(pl_lane *ln, ssgw_pipeline_result *r, ssgw_buf *out, const uint8_t *isup,
                         size_t len)
{
    ssgw_error err;
    ssgw_buf *m = &ln->outs[1];
    if (ssgw_trust_isup_reframe(r->view, isup, len, m, &err) != 1 || m->overflow ||
        pl_put_outs(out, m, 1) < 0)
        return false;
    r->action = SSGW_PL_FORWARD_MODIFIED;
    r->nout = 1;
    return true;
}

/* Inbound IAM: verify, strip, decide; true when decided here (released). */
static bool verify_call(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, ssgw_trust *t,
                        ssgw_pipeline_result *r, ssgw_buf *out, bool monitor, uint64_t time_ms)
{
    const ssgw_policy_cli *cc = ssgw_policy_cli_get(g->pol);
    ssgw_view *v = r->view;
    if (!cc->present || !t || v->isup.type != SSGW_ISUP_IAM || !v->has_label) return false;
    ssgw_trust_policy tp;
    pl_set_partner(r, ssgw_policy_cli_for_opc(g->pol, v->opc, &tp));
    r->cli_mode = tp.mode;
    reset_outs(ln);
    size_t len;
    const uint8_t *isup = isup_bytes(v, &len);
    ssgw_cli_result cr;
    ssgw_buf *sb = &ln->outs[0];
    ssgw_trust_outcome o =
        ssgw_cli_verify(t, cc->x5u, isup, len, (time_t)(time_ms / 1000), &cr, sb);
    copy_cli(&r->cli_att, &cr);
    if (o == SSGW_TRUST_OK && atomic_load(&p->expired)) o = SSGW_TRUST_BUNDLE_EXPIRED;
    r->cli = o;
    r->cli_action = ssgw_trust_decide(&tp, o);
    r->cli_checked = true;
    if ((unsigned)o < SSGW_TRUST_OUTCOME_COUNT) pl_bump(&ln->c.cli_outcomes[o]);
    if ((unsigned)r->cli_action < 3) pl_bump(&ln->c.cli_actions[r->cli_action]);
    const char *why = (unsigned)o < SSGW_TRUST_OUTCOME_COUNT ? cli_reasons[o] : "cli.unknown";
    if (r->cli_action == SSGW_TRUST_ACTION_DROP && !monitor) {
        r->reason = why;
        if (pl_isup_release(p, g, ln, r, out, cc->release_cause, time_ms) < 0)
            r->action = SSGW_PL_DROP;
        return true;
    }
    if (r->cli_action != SSGW_TRUST_ACTION_ALLOW) {
        r->alert = true;
        r->reason = why;
    }
    bool strip = cr.present && sb->len && !sb->overflow;
    const uint8_t *m = strip ? sb->data : isup;
    size_t mlen = strip ? sb->len : len;
    bool mark = o == SSGW_TRUST_OK && cc->mark && (int)cr.att.attest <= cc->mark_level;
    if (mark) { /* a copy whose calling number says "verified and passed" */
        ssgw_isup_msg im;
        ssgw_error e;
        if (!strip) {
            ssgw_buf_put(sb, isup, len);
            m = sb->data;
        }
        if (!sb->overflow && ssgw_isup_decode(m, mlen, &im, &e) == 0 &&
            ssgw_cli_mark_verified(sb->data, mlen, &im) == 1) {
            r->cli_marked = true;
            pl_bump(&ln->c.cli_marked);
        }
    }
    if ((strip || r->cli_marked) && forward_isup(ln, r, out, m, mlen)) {
        r->stripped = strip;
        if (strip) pl_bump(&ln->c.cli_stripped);
    } else if (strip || r->cli_marked) {
        r->cli_marked = false;
        r->action = SSGW_PL_DROP;
        r->reason = "cli.strip_failed";
        return true;
    }
    return false;
}

/* The attestation level an outbound IAM's calling number earns, 0: not attested. */
static int attest_level(const pl_gen *g, const ssgw_isup_msg *m, const ssgw_policy_cli *cc)
{
    char tn[SSGW_CLI_TN_CAP];
    if (ssgw_cli_tn(&m->f.calling, tn, sizeof tn) < 0) return 0;
    if (ssgw_policy_is_home_number(g->pol, tn))
        return m->f.calling.screening == 1 || m->f.calling.screening == 3 ? SSGW_CLI_ATTEST_FULL
                                                                          : SSGW_CLI_ATTEST_PARTIAL;
    return cc->attest_gateway ? SSGW_CLI_ATTEST_GATEWAY : 0;
}

/* Is the IAM's destination another member: its DPC among a member's certified point
 * codes, or its called number among a member's certified telephone numbers? */
static bool towards_member(const pl_gen *g, const ssgw_view *v)
{
    char tn[SSGW_CLI_TN_CAP];
    bool have_tn = ssgw_cli_tn(&v->isup.f.called, tn, sizeof tn) == 0;
    for (size_t i = 0; i < ssgw_bundle_count(g->setup.bundle); i++) {
        const ssgw_bundle_member *mb = ssgw_bundle_at(g->setup.bundle, i);
        if (mb == g->setup.self || mb->revoked) continue;
        for (size_t k = 0; k < mb->identity.n_pc; k++)
            if (mb->identity.pc[k] == v->dpc) return true;
        if (have_tn && ssgw_identity_covers_tn(&mb->identity, tn)) return true;
    }
    return false;
}

/* Outbound IAM: attest it when it goes to a member. */
static void sign_call(const pl_gen *g, pl_lane *ln, ssgw_trust *t, ssgw_pipeline_result *r,
                      ssgw_buf *out, uint64_t time_ms)
{
    const ssgw_policy_cli *cc = ssgw_policy_cli_get(g->pol);
    ssgw_view *v = r->view;
    if (!cc->present || cc->sign == SSGW_TRUST_SIGN_NONE || !t || v->has_error ||
        v->isup.type != SSGW_ISUP_IAM || !v->has_m3ua)
        return;
    if (cc->sign == SSGW_TRUST_SIGN_MEMBERS && !towards_member(g, v)) return;
    int level = attest_level(g, &v->isup, cc);
    if (!level) return;
    reset_outs(ln);
    size_t len;
    const uint8_t *isup = isup_bytes(v, &len);
    ssgw_cli_sign_info info;
    ssgw_error err;
    ssgw_buf *sb = &ln->outs[0];
    if (ssgw_cli_sign(t, cc->x5u, (ssgw_cli_attest)level, isup, len, (time_t)(time_ms / 1000), sb,
                      &info, &err) == 0 &&
        forward_isup(ln, r, out, sb->data, sb->len)) {
        pl_bump(&ln->c.cli_signed);
        r->cli_signed = true;
        memset(&r->cli_att, 0, sizeof r->cli_att);
        r->cli_att.present = true;
        r->cli_att.attest = level;
        r->cli_att.bytes = info.added;
        r->cli_att.iat = (uint64_t)(time_ms / 1000);
        snprintf(r->cli_att.orig_tn, sizeof r->cli_att.orig_tn, "%s", info.orig_tn);
        snprintf(r->cli_att.dest_tn, sizeof r->cli_att.dest_tn, "%s", info.dest_tn);
        return;
    }
    /* not attested: it goes out as it is, reported; the receiver's policy decides */
    pl_bump(&ln->c.cli_sign_refused);
    r->cli_sign_refused = true;
    r->cli_att.err = err;
    r->action = SSGW_PL_FORWARD;
    r->alert = true;
    r->reason = "cli.sign_refused";
}

bool pl_trust_apply(ssgw_pipeline *p, pl_lane *ln, ssgw_pipeline_result *r,
                    const ssgw_trust_policy *tp, ssgw_trust_outcome o, bool monitor)
{
    if (o == SSGW_TRUST_OK && atomic_load(&p->expired)) o = SSGW_TRUST_BUNDLE_EXPIRED;
    r->trust = o;
    r->trust_action = ssgw_trust_decide(tp, o);
    r->trust_checked = true;
    if ((unsigned)o < SSGW_TRUST_OUTCOME_COUNT) pl_bump(&ln->c.trust_outcomes[o]);
    if ((unsigned)r->trust_action < 3) pl_bump(&ln->c.trust_actions[r->trust_action]);
    const char *why = (unsigned)o < SSGW_TRUST_OUTCOME_COUNT ? outcome_reasons[o] : "trust.unknown";
    if (r->trust_action == SSGW_TRUST_ACTION_DROP && !monitor) {
        r->action = SSGW_PL_DROP;
        r->reason = why;
        return true;
    }
    if (r->trust_action != SSGW_TRUST_ACTION_ALLOW) {
        r->alert = true;
        r->reason = why;
    }
    return false;
}

bool pl_stage_verify(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, unsigned lane,
                     ssgw_pipeline_result *r, ssgw_buf *out, bool monitor, uint64_t time_ms)
{
    ssgw_view *v = r->view;
    ssgw_trust *t = g->lt[lane];
    if (v->has_isup) return verify_call(p, g, ln, t, r, out, monitor, time_ms);
    if (v->has_diameter) return pl_verify_diameter(p, g, ln, lane, r, out, monitor, time_ms);
    if (!t || !v->has_sccp) return false;
    ssgw_trust_policy tp;
    pl_set_partner(r, ssgw_policy_trust_for_gt(g->pol, v->sccp.calling.digits, &tp));
    r->trust_mode = tp.mode;
    if (v->reasm == SSGW_VIEW_REASM_PENDING) {
        /* held whatever the mode: the last segment decides for the whole message */
        pl_bump(&ln->c.segments_held);
        r->action = SSGW_PL_DROP;
        r->reason = "trust.segment_held";
        return true;
    }
    /* user data that cannot be verified (ANSI TCAP, TCAP that does not decode) still gets an
     * outcome and the partner's decision: "require" must not let it through unverified */
    if (!ssgw_trust_view_judged(v)) {
        if (v->has_tcap) pl_bump(&ln->c.not_verified);
        return false;
    }
    reset_outs(ln);
    size_t nout = 0;
    ssgw_trust_result tr;
    ssgw_trust_outcome o = ssgw_trust_verify_view(t, v, (time_t)(time_ms / 1000), &tr, ln->outs,
                                                  SSGW_TRUST_MAX_OUT, &nout);
    pl_copy_token(&r->token, &tr);
    if (pl_trust_apply(p, ln, r, &tp, o, monitor)) return true;
    if (nout > 0) {
        if (pl_put_outs(out, ln->outs, nout) < 0) {
            r->action = SSGW_PL_DROP;
            r->reason = "trust.strip_failed";
            return true;
        }
        r->action = SSGW_PL_FORWARD_MODIFIED;
        r->nout = (unsigned)nout;
        r->stripped = true;
        pl_bump(&ln->c.stripped);
    } else if (v->reasm == SSGW_VIEW_REASM_COMPLETE && v->has_tcap && v->has_m3ua) {
        /* its earlier segments were held: the message goes on segmented again */
        ssgw_error err;
        int n = ssgw_trust_reframe_view(v, ln->outs, SSGW_TRUST_MAX_OUT, &err);
        if (n <= 0 || pl_put_outs(out, ln->outs, (size_t)n) < 0) {
            r->action = SSGW_PL_DROP;
            r->reason = "trust.reframe_failed";
            return true;
        }
        r->action = SSGW_PL_FORWARD_MODIFIED;
        r->nout = (unsigned)n;
    }
    return false;
}

void pl_stage_sign(ssgw_pipeline *p, const pl_gen *g, pl_lane *ln, unsigned lane,
                   ssgw_pipeline_result *r, ssgw_buf *out, uint64_t time_ms)
{
    (void)p;
    ssgw_view *v = r->view;
    ssgw_trust *t = g->lt[lane];
    const ssgw_policy_trust *tc = g->tcfg;
    if (v->has_isup) {
        sign_call(g, ln, t, r, out, time_ms);
        return;
    }
    if (v->has_diameter) {
        pl_sign_diameter(p, g, ln, lane, r, out, time_ms);
        return;
    }
    if (!t || !tc || tc->sign == SSGW_TRUST_SIGN_NONE || !v->has_sccp || v->has_error) return;
    const ssgw_bundle_member *mb = ssgw_bundle_find_gt(g->setup.bundle, v->sccp.called.digits);
    if (tc->sign == SSGW_TRUST_SIGN_MEMBERS &&
        (!ssgw_policy_is_home_gt(g->pol, v->sccp.calling.digits) || !mb || mb == g->setup.self))
        return;
    if (tc->mode == SSGW_TOKEN_MODE_HMAC && !mb) return;
    if (v->reasm == SSGW_VIEW_REASM_PENDING) {
        pl_bump(&ln->c.segments_held);
        r->action = SSGW_PL_DROP;
        r->reason = "trust.segment_held";
        return;
    }
    if (!v->has_tcap) return;
    reset_outs(ln);
    ssgw_trust_sign_info info;
    ssgw_error err;
    int n = ssgw_trust_sign_view(
        t, tc->mode, tc->mode == SSGW_TOKEN_MODE_HMAC ? mb->sign_key_id : NULL, v,
        (time_t)(time_ms / 1000), ln->outs, SSGW_TRUST_MAX_OUT, &info, &err);
    if (n > 0 && pl_put_outs(out, ln->outs, (size_t)n) == 0) {
        pl_bump(&ln->c.signed_msgs);
        r->action = SSGW_PL_FORWARD_MODIFIED;
        r->nout = (unsigned)n;
        r->signed_msg = true;
        r->token_added = info.added;
        return;
    }
    if (n != 0) {
        /* not signed: it goes out as it is, reported; the receiver's policy decides */
        pl_bump(&ln->c.sign_refused);
        r->sign_refused = true;
        r->token.err = err;
        r->action = SSGW_PL_FORWARD;
        r->alert = true;
        r->reason = "trust.sign_refused";
    }
}
