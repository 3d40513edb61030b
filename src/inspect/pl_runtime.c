/*
 * pl_runtime.c - what the gateway's management API changes and reads while
 * the pipeline runs: runtime switches of checks (off, on, or a mode) and partners
 * (include/ssgw/pipeline.h, kept across reloads and applied to each new firewall), the
 * checks' modes, and the
 * firewall's live counters per partner network and per state-store table for
 * the status object (the same numbers /metrics serves).
 */
#include <stdio.h>
#include <string.h>

#include "inspect/pl_int.h"

static const char *const kind_names[] = {"check", "partner"};

const char *ssgw_pl_switch_kind_name(int k)
{
    return k == SSGW_PL_SWITCH_CHECK || k == SSGW_PL_SWITCH_PARTNER ? kind_names[k] : "unknown";
}

int ssgw_pl_switch_kind_parse(const char *s)
{
    for (int k = 0; k < 2; k++)
        if (!strcmp(kind_names[k], s)) return k;
    return -1;
}

static const char *const switch_names[] = {"reset", "off", "on", "learn", "test", "enforce"};

const char *ssgw_fw_switch_name(int sw)
{
    return sw >= 0 && sw <= SSGW_FW_SWITCH_ENFORCE ? switch_names[sw] : "unknown";
}

int ssgw_fw_switch_parse(const char *s)
{
    for (int k = 0; k <= SSGW_FW_SWITCH_ENFORCE; k++)
        if (!strcmp(switch_names[k], s)) return k;
    return -1;
}

static int apply(ssgw_firewall *fw, const pl_switch *sw, ssgw_fw_switch state)
{
    return sw->kind == SSGW_PL_SWITCH_CHECK ? ssgw_firewall_switch_check(fw, sw->name, state)
                                            : ssgw_firewall_switch_partner(fw, sw->name, state);
}

void pl_switch_apply_all(ssgw_pipeline *p, pl_gen *g)
{
    for (size_t i = 0; i < p->n_switches; i++)
        p->switches[i].applies = apply(g->fw, &p->switches[i], p->switches[i].state) == 0;
}

int ssgw_pipeline_switch(ssgw_pipeline *p, ssgw_pl_switch_kind kind, const char *name,
                         ssgw_fw_switch sw, char *err, size_t errlen)
{
    pl_switch probe = {.kind = kind};
    if (strlen(name) >= sizeof probe.name) {
        snprintf(err, errlen, "%s '%.64s...': name too long", ssgw_pl_switch_kind_name(kind), name);
        return -1;
    }
    snprintf(probe.name, sizeof probe.name, "%s", name);
    if (kind == SSGW_PL_SWITCH_PARTNER && sw > SSGW_FW_SWITCH_ON) {
        snprintf(err, errlen, "a partner is switched on or off (or reset), not into a mode");
        return -1;
    }
    int rc = 0;
    pthread_rwlock_wrlock(&p->cfg_lock); /* no lane inside a message */
    pthread_mutex_lock(&p->state_lock);
    size_t i = 0;
    while (i < p->n_switches &&
           (p->switches[i].kind != kind || strcmp(p->switches[i].name, probe.name)))
        i++;
    if (apply(p->cur.fw, &probe, sw) < 0) {
        snprintf(err, errlen, "the policy in use has no %s named '%s'",
                 ssgw_pl_switch_kind_name(kind), name);
        rc = -1;
    } else if (sw == SSGW_FW_SWITCH_RESET) {
        if (i < p->n_switches) p->switches[i] = p->switches[--p->n_switches];
    } else if (i == p->n_switches && p->n_switches == PL_MAX_SWITCHES) {
        apply(p->cur.fw, &probe, SSGW_FW_SWITCH_RESET);
        snprintf(err, errlen, "at most %d switches at once: reset some first", PL_MAX_SWITCHES);
        rc = -1;
    } else {
        if (i == p->n_switches) p->switches[p->n_switches++] = probe;
        p->switches[i].state = sw;
        p->switches[i].applies = true;
        if (sw == SSGW_FW_SWITCH_LEARN && pl_learn_attach(p, &p->cur) < 0) {
            snprintf(err, errlen, "out of memory: no learner");
            rc = -1;
        }
    }
    pthread_mutex_unlock(&p->state_lock);
    pthread_rwlock_unlock(&p->cfg_lock);
    return rc;
}

void pl_runtime_status(ssgw_pipeline *p, ssgw_json *j)
{
    pthread_mutex_lock(&p->state_lock); /* the firewall's counters */
    ssgw_json_array_begin(j, "switches");
    for (size_t i = 0; i < p->n_switches; i++) {
        const pl_switch *sw = &p->switches[i];
        ssgw_json_object_begin(j, NULL);
        ssgw_json_str(j, "kind", ssgw_pl_switch_kind_name(sw->kind));
        ssgw_json_str(j, "name", sw->name);
        ssgw_json_str(j, "state", ssgw_fw_switch_name(sw->state));
        ssgw_json_bool(j, "applies", sw->applies);
        ssgw_json_object_end(j);
    }
    ssgw_json_array_end(j);
    ssgw_firewall *fw = p->cur.fw;
    /* the checks not in enforce mode now (file, switch, monitor or learn-all) */
    ssgw_json_object_begin(j, "check_modes");
    for (size_t i = 0; i < ssgw_check_count(); i++) {
        ssgw_fw_check_stats cs;
        ssgw_firewall_check_stats(fw, i, &cs);
        if (cs.mode == SSGW_CHECK_ENFORCE) continue;
        ssgw_json_object_begin(j, ssgw_check_at(i)->name);
        ssgw_json_str(j, "mode", ssgw_check_mode_name(cs.mode));
        ssgw_json_int(j, "tested", (long long)cs.tested);
        ssgw_json_int(j, "learned", (long long)cs.learned);
        ssgw_json_object_end(j);
    }
    ssgw_json_object_end(j);
    ssgw_json_object_begin(j, "partners");
    for (size_t i = 0; i < ssgw_firewall_party_count(fw); i++) {
        ssgw_fw_party_stats ps;
        ssgw_firewall_party_stats_at(fw, i, &ps);
        ssgw_json_object_begin(j, ps.name);
        ssgw_json_int(j, "messages", (long long)ps.messages);
        ssgw_json_int(j, "refused", (long long)ps.refused);
        ssgw_json_bool(j, "enabled", !ps.disabled);
        ssgw_json_object_end(j);
    }
    ssgw_json_object_end(j);
    ssgw_store *s = ssgw_firewall_store(fw);
    ssgw_store_stats st;
    s->ops->get_stats(s, &st);
    ssgw_json_object_begin(j, "store");
    ssgw_json_int(j, "bytes", (long long)st.bytes);
    for (int t = 0; t < SSGW_STORE_TABLE_COUNT; t++) {
        ssgw_json_object_begin(j, ssgw_store_table_name((ssgw_store_table)t));
        ssgw_json_int(j, "capacity", (long long)st.t[t].capacity);
        ssgw_json_int(j, "used", (long long)st.t[t].used);
        ssgw_json_int(j, "inserts", (long long)st.t[t].inserts);
        ssgw_json_int(j, "evictions", (long long)st.t[t].evictions);
        ssgw_json_int(j, "refused", (long long)st.t[t].refused);
        ssgw_json_object_end(j);
    }
    ssgw_json_object_end(j);
    pthread_mutex_unlock(&p->state_lock);
}
