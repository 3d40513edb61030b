/*
 * checks_diameter.c - the firewall's checks for Diameter S6a/S6d (GSMA FS.19
 * in spirit), registered in the one check registry of checks.c under the names
 * "diameter.*" and run by the firewall (firewall.c) on inbound requests. The
 * S6a commands are one table here: which way each goes (MME -> HSS, about our
 * subscribers visiting a partner; or HSS -> MME, about a partner's subscribers
 * visiting us), which is what the category checks need:
 *
 *   diameter.unknown_command     an application or command outside S6a/S6d and the base
 *                                protocol, from a realm that is no partner's
 *   diameter.origin_realm        Origin-Realm missing, nobody's, or ours from outside
 *   diameter.origin_host         Origin-Host outside its realm, ours, or not one the
 *                                partner listed
 *   diameter.peer_realm          the realm of one partner carried by another partner's peer
 *                                (the arrival peer's CER realm; live gateway only)
 *   diameter.cat_home_only       IDR/DSR/CLR/RSR not from the IMSI's home network (location
 *                                tracking via IDR, DoS via CLR)
 *   diameter.imsi_realm          ULR/AIR/PUR/NOR for an IMSI that is not ours
 *   diameter.visited_plmn        Visited-PLMN-Id of another network than the Origin-Realm's
 *   diameter.velocity            a ULR from a country the subscriber cannot have reached,
 *                                whether the last location came by MAP or Diameter
 *   diameter.not_current_location PUR/NOR from a network the subscriber is not in (DoS)
 *   diameter.rate_origin         token bucket per Origin-Host
 *   diameter.rate_imsi           token bucket per IMSI, the same bucket as rate.imsi (MAP)
 *
 * State is the subscriber's, whatever the protocol (include/ssgw/store.h): a ULR
 * that passes records the location (the MME and realm as Diameter identity keys,
 * the country of the Visited-PLMN-Id), which the MAP checks read too.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "policy/policy_int.h"

#define deny ssgw_check_deny

/* Which way an S6a command goes (TS 29.272 5.2). */
typedef enum {
    TO_HSS = 1, /* MME/SGSN -> HSS: about our subscriber when we are its home */
    TO_MME,     /* HSS -> MME/SGSN: about a partner's subscriber visiting us */
} direction;

static const struct {
    uint32_t code;
    direction dir;
} s6a_commands[] = {
    {SSGW_DIAM_CMD_UPDATE_LOCATION, TO_HSS},
    {SSGW_DIAM_CMD_AUTHENTICATION_INFORMATION, TO_HSS},
    {SSGW_DIAM_CMD_PURGE_UE, TO_HSS},
    {SSGW_DIAM_CMD_NOTIFY, TO_HSS},
    {SSGW_DIAM_CMD_CANCEL_LOCATION, TO_MME},
    {SSGW_DIAM_CMD_INSERT_SUBSCRIBER_DATA, TO_MME},
    {SSGW_DIAM_CMD_DELETE_SUBSCRIBER_DATA, TO_MME},
    {SSGW_DIAM_CMD_RESET, TO_MME},
};

static direction command_direction(const ssgw_check_ctx *cx)
{
    if (cx->v->diameter.app_id != SSGW_DIAM_APP_S6A) return 0;
    for (size_t i = 0; i < sizeof s6a_commands / sizeof s6a_commands[0]; i++)
        if (s6a_commands[i].code == cx->command) return s6a_commands[i].dir;
    return 0;
}

static const char *abbrev(const ssgw_check_ctx *cx)
{
    const char *a = ssgw_diam_cmd_abbrev(cx->command, cx->request);
    return a ? a : "request";
}

/* The checks screen inbound requests whose fields decoded. */
static bool screened(const ssgw_check_ctx *cx)
{
    return cx->is_diameter && cx->request && cx->dir == SSGW_DIR_INBOUND;
}

static const char *who(const ssgw_check_ctx *cx, uint16_t owner)
{
    if (owner == OWNER_HOME) return "the home network";
    const party *pa = policy_party(cx->p, owner);
    return pa ? pa->name : "no partner";
}

/* "%.*s" arguments of a string field, "(none)" when absent. */
#define STR(s) (int)((s).p ? (s).len : 6), ((s).p ? (s).p : "(none)")

/* The MCC of a 3GPP realm ("epc.mnc002.mcc208.3gppnetwork.org" -> "208"), or "". */
static void realm_mcc(const ssgw_diam_str *r, char out[4])
{
    out[0] = '\0';
    for (size_t i = 0; r->p && i + 6 <= r->len; i++)
        if (!strncasecmp(r->p + i, "mcc", 3) && (i == 0 || r->p[i - 1] == '.')) {
            memcpy(out, r->p + i + 3, 3);
            out[3] = '\0';
            for (int k = 0; k < 3; k++)
                if (out[k] < '0' || out[k] > '9') out[0] = '\0';
            return;
        }
}

/* The country a request places the subscriber in: its Visited-PLMN-Id, else its realm. */
static const geo_entry *request_country(const ssgw_check_ctx *cx)
{
    char mcc[4] = "";
    if (cx->df->visited_plmn[0]) {
        memcpy(mcc, cx->df->visited_plmn, 3);
        mcc[3] = '\0';
    } else {
        realm_mcc(&cx->df->origin_realm, mcc);
    }
    return geo_for_mcc(mcc);
}

static uint64_t host_key(const ssgw_check_ctx *cx)
{
    return ssgw_store_diam_id(cx->df->origin_host.p, cx->df->origin_host.len);
}

static uint64_t realm_key(const ssgw_check_ctx *cx)
{
    return ssgw_store_diam_id(cx->df->origin_realm.p, cx->df->origin_realm.len);
}

/* ---- facts ---------------------------------------------------------------------------- */

void ssgw_dcheck_facts(ssgw_check_ctx *cx)
{
    const ssgw_diam_fields *f = &cx->v->diam;
    cx->is_diameter = true;
    cx->df = f;
    cx->request = ssgw_diam_is_request(&cx->v->diameter);
    cx->command = cx->v->diameter.code;
    cx->imsi = f->imsi;
    cx->imsi_key = ssgw_store_pack_digits(f->imsi);
    uint8_t roles;
    cx->imsi_owner = OWNER_NONE;
    if (f->imsi[0]) trie_lookup(&cx->p->imsi, f->imsi, &cx->imsi_owner, &roles);
    cx->realm_owner = policy_realm_owner(cx->p, f->origin_realm.p, f->origin_realm.len);
    cx->plmn_owner = OWNER_NONE;
    if (f->visited_plmn[0]) {
        char mm[8];
        size_t k = 0;
        for (const char *c = f->visited_plmn; *c && k + 1 < sizeof mm; c++)
            if (*c >= '0' && *c <= '9') mm[k++] = *c;
        mm[k] = '\0';
        /* exactly its MCC-MNC: 262-015 is not the network of 262-01 */
        cx->plmn_owner = trie_exact(&cx->p->imsi, mm);
    }
}

/* ---- the checks ----------------------------------------------------------------------- */

int ssgw_dcheck_unknown_command(ssgw_check_ctx *cx)
{
    if (!screened(cx)) return 0;
    uint32_t app = cx->v->diameter.app_id;
    bool base =
        app == SSGW_DIAM_APP_COMMON && (cx->command == SSGW_DIAM_CMD_CAPABILITIES_EXCHANGE ||
                                        cx->command == SSGW_DIAM_CMD_DEVICE_WATCHDOG ||
                                        cx->command == SSGW_DIAM_CMD_DISCONNECT_PEER);
    if (base || command_direction(cx)) return 0;
    if (cx->realm_owner != OWNER_NONE && cx->realm_owner != OWNER_HOME) return 0; /* a member */
    const char *an = ssgw_diam_app_name(app);
    return deny(cx,
                "command %u of application %u (%s) from %.*s, which is no partner's realm: "
                "applications and commands outside S6a/S6d are refused from non-members",
                (unsigned)cx->command, (unsigned)app, an ? an : "unknown",
                STR(cx->df->origin_realm));
}

int ssgw_dcheck_origin_realm(ssgw_check_ctx *cx)
{
    if (!screened(cx)) return 0;
    if (!cx->df->origin_realm.p || !cx->df->origin_realm.len)
        return deny(cx, "%s without Origin-Realm", abbrev(cx));
    if (cx->realm_owner == OWNER_HOME)
        return deny(cx,
                    "%s from the interconnect claiming our own realm %.*s as Origin-Realm "
                    "(spoofed)",
                    abbrev(cx), STR(cx->df->origin_realm));
    if (cx->realm_owner == OWNER_NONE)
        return deny(cx, "%s from Origin-Realm %.*s, which belongs to no roaming partner",
                    abbrev(cx), STR(cx->df->origin_realm));
    return 0;
}

int ssgw_dcheck_origin_host(ssgw_check_ctx *cx)
{
    if (!screened(cx)) return 0;
    const ssgw_diam_str *h = &cx->df->origin_host, *r = &cx->df->origin_realm;
    if (!h->p || !h->len) return deny(cx, "%s without Origin-Host", abbrev(cx));
    uint16_t listed = policy_dhost_owner(cx->p, h->p, h->len);
    if (listed == OWNER_HOME)
        return deny(cx, "%s from the interconnect with our own host %.*s as Origin-Host (spoofed)",
                    abbrev(cx), STR(*h));
    const party *pa = policy_party(cx->p, cx->realm_owner);
    if (pa && pa->dhosts.n && listed != cx->realm_owner)
        return deny(cx, "%s from Origin-Host %.*s, which is not one of %s's listed Diameter hosts",
                    abbrev(cx), STR(*h), pa->name);
    bool inside = r->p && h->len > r->len + 1 && h->p[h->len - r->len - 1] == '.' &&
                  !strncasecmp(h->p + h->len - r->len, r->p, r->len);
    if (!inside && listed != cx->realm_owner)
        return deny(cx, "%s from Origin-Host %.*s, which is not inside its Origin-Realm %.*s",
                    abbrev(cx), STR(*h), STR(*r));
    return 0;
}

int ssgw_dcheck_peer_realm(ssgw_check_ctx *cx)
{
    if (!screened(cx) || !cx->peer_realm || !cx->peer_realm[0]) return 0;
    uint16_t po = policy_realm_owner(cx->p, cx->peer_realm, strlen(cx->peer_realm));
    if (po == OWNER_NONE || po == cx->realm_owner) return 0; /* an IPX, or the partner itself */
    return deny(cx,
                "%s with Origin-Realm %.*s (%s) arrived from peer %s of realm %s (%s): a partner's "
                "connection carries only its own realms",
                abbrev(cx), STR(cx->df->origin_realm), who(cx, cx->realm_owner),
                cx->peer_host ? cx->peer_host : "?", cx->peer_realm, who(cx, po));
}

int ssgw_dcheck_home_only(ssgw_check_ctx *cx)
{
    if (!screened(cx) || command_direction(cx) != TO_MME || !cx->imsi[0]) return 0;
    if (cx->imsi_owner == OWNER_HOME)
        return deny(cx,
                    "%s about our own subscriber %s from %.*s (%s): only our HSS sends it, from "
                    "inside (location tracking / denial of service)",
                    abbrev(cx), cx->imsi, STR(cx->df->origin_realm), who(cx, cx->realm_owner));
    if (cx->imsi_owner != cx->realm_owner)
        return deny(cx,
                    "%s for subscriber %s of %s from %.*s (%s): only the subscriber's home network "
                    "may send it",
                    abbrev(cx), cx->imsi, who(cx, cx->imsi_owner), STR(cx->df->origin_realm),
                    who(cx, cx->realm_owner));
    return 0;
}

int ssgw_dcheck_imsi_realm(ssgw_check_ctx *cx)
{
    if (!screened(cx) || command_direction(cx) != TO_HSS || !cx->imsi[0]) return 0;
    if (cx->imsi_owner == OWNER_HOME) return 0;
    return deny(cx,
                "%s for IMSI %s (%s) from %.*s: our HSS serves only our subscribers (misrouted, "
                "or IMSI harvesting)",
                abbrev(cx), cx->imsi, who(cx, cx->imsi_owner), STR(cx->df->origin_realm));
}

int ssgw_dcheck_visited_plmn(ssgw_check_ctx *cx)
{
    if (!screened(cx) || command_direction(cx) != TO_HSS || !cx->df->visited_plmn[0]) return 0;
    if (cx->plmn_owner != OWNER_NONE && cx->plmn_owner == cx->realm_owner) return 0;
    return deny(cx,
                "%s with Visited-PLMN-Id %s (%s) from Origin-Realm %.*s (%s): the visited "
                "network must be the sender's",
                abbrev(cx), cx->df->visited_plmn, who(cx, cx->plmn_owner),
                STR(cx->df->origin_realm), who(cx, cx->realm_owner));
}

int ssgw_dcheck_velocity(ssgw_check_ctx *cx)
{
    if (!screened(cx) || cx->command != SSGW_DIAM_CMD_UPDATE_LOCATION ||
        command_direction(cx) != TO_HSS || cx->imsi_owner != OWNER_HOME)
        return 0;
    ssgw_store_location loc;
    if (cx->store->ops->location_get(cx->store, cx->imsi_key, &loc) != 1) return 0;
    if (loc.vlr == host_key(cx) || loc.msc == realm_key(cx)) return 0; /* the same network */
    const geo_entry *to = request_country(cx), *from;
    double km;
    if (!ssgw_check_implausible(cx, &loc, to, &km, &from)) return 0;
    if (!to)
        return deny(cx,
                    "ULR for our subscriber %s from %.*s, a network with no country: the "
                    "subscriber was last seen in %s",
                    cx->imsi, STR(cx->df->origin_realm), from->name);
    return deny(cx,
                "ULR for our subscriber %s from %.*s (%s), %.0f km from %s where it registered "
                "%u s ago: faster than %lld km/h",
                cx->imsi, STR(cx->df->origin_realm), to->name, km, from->name,
                (unsigned)(cx->now_s - loc.time), cx->p->max_speed_kmh);
}

int ssgw_dcheck_not_current(ssgw_check_ctx *cx)
{
    if (!screened(cx) || cx->imsi_owner != OWNER_HOME ||
        (cx->command != SSGW_DIAM_CMD_PURGE_UE && cx->command != SSGW_DIAM_CMD_NOTIFY) ||
        command_direction(cx) != TO_HSS)
        return 0;
    ssgw_store_location loc;
    if (cx->store->ops->location_get(cx->store, cx->imsi_key, &loc) != 1) return 0;
    if (loc.vlr == host_key(cx) || loc.msc == realm_key(cx)) return 0;
    bool by_map = (loc.vlr >> 60) != 0; /* a packed GT: the location came by MAP */
    const geo_entry *here = request_country(cx), *there = geo_at_index(loc.cc);
    if (by_map && here && there && !strcmp(here->iso, there->iso)) return 0;
    return deny(cx,
                "%s for our subscriber %s from %.*s, but the subscriber registered in %s %u s ago "
                "(%s): a purge from elsewhere detaches it (denial of service)",
                abbrev(cx), cx->imsi, STR(cx->df->origin_realm),
                there ? there->name : "another network", (unsigned)(cx->now_s - loc.time),
                by_map ? "by MAP" : "by Diameter");
}

/* The token buckets of the rate checks (ssgw_dcheck_prefetch lists them). */
static uint64_t bucket_origin(const ssgw_check_ctx *cx)
{
    return ssgw_store_mix(host_key(cx), 0x444f5247);
}

static uint64_t bucket_imsi(const ssgw_check_ctx *cx)
{
    /* the key of rate.imsi: MAP and Diameter operations about one IMSI share the bucket */
    return ssgw_store_mix(cx->imsi_key, 0x494d5349);
}

static bool take(ssgw_check_ctx *cx, const rate_spec *r, uint64_t key)
{
    return ssgw_check_take(cx, key, r->limit, r->period, r->limit) != 0;
}

int ssgw_dcheck_rate_origin(ssgw_check_ctx *cx)
{
    const rate_spec *r = &cx->p->rate_diam_origin;
    if (!screened(cx) || !r->limit || !cx->df->origin_host.p) return 0;
    if (take(cx, r, bucket_origin(cx))) return 0;
    return deny(cx, "Origin-Host %.*s sent more than %u requests in %u s", STR(cx->df->origin_host),
                r->limit, r->period);
}

int ssgw_dcheck_rate_imsi(ssgw_check_ctx *cx)
{
    const rate_spec *r = &cx->p->rate_imsi;
    if (!screened(cx) || !r->limit || !cx->imsi_key) return 0;
    if (take(cx, r, bucket_imsi(cx))) return 0;
    return deny(cx, "more than %u operations (MAP and Diameter) about IMSI %s in %u s", r->limit,
                cx->imsi, r->period);
}

/* ---- what the checks read ---------------------------------------------------------- */

size_t ssgw_dcheck_prefetch(ssgw_check_ctx *cx, ssgw_store_key *keys, size_t cap)
{
    ssgw_store_key k[3];
    size_t n = 0;
    if (!screened(cx)) return 0;
    bool home_to_hss = command_direction(cx) == TO_HSS && cx->imsi_owner == OWNER_HOME;
    if (home_to_hss && cx->imsi_key &&
        (cx->command == SSGW_DIAM_CMD_UPDATE_LOCATION || cx->command == SSGW_DIAM_CMD_PURGE_UE ||
         cx->command == SSGW_DIAM_CMD_NOTIFY))
        k[n++] = (ssgw_store_key){SSGW_STORE_LOCATION, cx->imsi_key, 0};
    if (cx->p->rate_diam_origin.limit && cx->df->origin_host.p)
        k[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, bucket_origin(cx), 0};
    if (cx->p->rate_imsi.limit && cx->imsi_key)
        k[n++] = (ssgw_store_key){SSGW_STORE_BUCKET, bucket_imsi(cx), 0};
    if (n > cap) n = cap;
    memcpy(keys, k, n * sizeof *k);
    return n;
}

/* ---- learning ------------------------------------------------------------------------- */

void ssgw_dcheck_learn(ssgw_check_ctx *cx)
{
    if (!screened(cx) || cx->command != SSGW_DIAM_CMD_UPDATE_LOCATION ||
        command_direction(cx) != TO_HSS || cx->imsi_owner != OWNER_HOME)
        return;
    ssgw_store_location loc = {.vlr = host_key(cx),
                               .msc = realm_key(cx),
                               .cc = geo_index(request_country(cx)),
                               .time = cx->now_s,
                               .pool = cx->realm_owner}; /* the MME's network */
    cx->store->ops->location_put(cx->store, cx->imsi_key, &loc);
}
