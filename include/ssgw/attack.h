/*
 * attack.h - labelled SS7 attack traffic: realistic roaming traffic of the
 * firewall contract's example network (Albion Mobile, 23491 / 447924, and its
 * partners Safari Mobile, Rhein Telekom and Lagos Mobile) mixed with every
 * attack of the catalogue (docs/attacks.md), deterministic from a seed.
 *
 * The generator is a small discrete-event simulation with constant memory: a
 * fixed population of subscribers (ours, roaming out; the partners', roaming
 * in), at most SSGW_ATTACK_SLOTS scenarios in flight, each a data table of
 * steps (who sends which TCAP message with which MAP operation to whom, after
 * which delay). Legitimate scenarios establish the state a firewall learns
 * (the subscriber's current VLR, its country, the dialogues begun); attack
 * scenarios rely on it and, where none exists yet, run a legitimate prelude
 * first. Every message is one complete M3UA DATA message (SCCP UDT, TCAP,
 * MAP) with its label. Nothing is allocated after ssgw_attack_new().
 *
 * Labels: each message carries the catalogue entry it belongs to and the
 * firewall check (contract name, e.g. "cat3.not_current_vlr") expected to stop
 * it, plus acceptable alternatives; legitimate messages expect "default".
 */
#ifndef SSGW_ATTACK_H
#define SSGW_ATTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssgw/buf.h"
#include "ssgw/error.h"

/* One attack of the catalogue. All strings are static. */
typedef struct {
    const char *name;        /* stable label name, "family.what", e.g. "track.ati" */
    const char *check;       /* the contract check expected to catch it */
    const char *also[6];     /* acceptable alternative checks, NULL-terminated */
    const char *family;      /* "location tracking", "sms interception", ... */
    const char *fs11;        /* GSMA FS.11 category: "1", "2", "3", "sms", "-" */
    int opcode;              /* MAP operation of the attack message (-1: none, TCAP only) */
    const char *description; /* one sentence: what it does to the subscriber */
} ssgw_attack_info;

size_t ssgw_attack_count(void);
/* NULL when i >= ssgw_attack_count(). */
const ssgw_attack_info *ssgw_attack_at(size_t i);
/* Catalogue index of name, -1 when unknown. */
int ssgw_attack_index(const char *name);

/* Scenarios in flight at once (concurrent dialogues). */
#define SSGW_ATTACK_SLOTS 32
/* Populations when the caller sets none: about one subscriber of ours per 25 messages and
 * one of each partner's per 75, at most these. */
#define SSGW_ATTACK_HOME_SUBS    20000
#define SSGW_ATTACK_PARTNER_SUBS 5000
/* The largest population a caller may set (ssgw_attack_opts.subscribers): every subscriber
 * keeps a distinct IMSI and an MSISDN of at most 15 digits. */
#define SSGW_ATTACK_MAX_SUBS 50000000u

typedef struct {
    uint64_t seed;
    uint64_t count;      /* messages that will be asked for (sets the pace, see duration) */
    double attack_ratio; /* fraction of messages that are attacks, 0..1 (default 0.05) */
    double duration_h;   /* simulated hours the capture spans (default 72) */
    uint32_t start_sec;  /* Unix time of the first message (default 1700000000) */
    /* Which attacks may run: bit i = catalogue entry i; 0 means all. */
    uint64_t only_mask;
    /* Diameter generator: every scenario takes a subscriber of ours no earlier scenario
     * used, so no subscriber moves between countries in the capture: for replays faster
     * than the capture's clock (a live gateway judges with the wall clock). */
    bool fresh_subscribers;
    /* SS7 generator: our subscribers (each partner has a quarter as many, at least 32),
     * 64..SSGW_ATTACK_MAX_SUBS; 0 (default): scaled to count as above. For captures whose
     * population is set apart from their length (bench/run-scaling.sh). The generator
     * keeps 16 bytes per subscriber of ours. */
    uint32_t subscribers;
} ssgw_attack_opts;

void ssgw_attack_opts_default(ssgw_attack_opts *o);

/*
 * Parses a comma-separated list of attack names or family prefixes ("track",
 * "sms" match every "track.*" / "sms.*" entry; "all" matches all) into a mask.
 * Returns 0, or -1 with the unknown token copied into bad (cap badcap).
 */
int ssgw_attack_parse_only(const char *list, uint64_t *mask, char *bad, size_t badcap);

/* What one generated message is. Strings are NUL-terminated ("" when absent). */
typedef struct {
    uint64_t index; /* 0-based message number; the pcap frame number is index + 1 */
    uint32_t ts_sec, ts_usec;
    bool inbound;         /* towards the home network (DPC 1001) */
    bool attack;          /* labelled attack */
    int attack_id;        /* catalogue index, -1 when legit */
    int variant;          /* attack variant (0..), 0 when legit */
    const char *scenario; /* legitimate flow ("roam.attach", ...) or attack name */
    uint64_t instance;    /* scenario instance number (1..) */
    uint64_t dialogue;    /* TCAP transaction number (1..); 0 for a forged one */
    int tcap_type;        /* ssgw_tcap_msg_type */
    int opcode;           /* local operation code of the component (MAP, CAP), -1 when none */
    int comp_type;        /* ssgw_tcap_comp_type, 0 when none */
    uint32_t otid, dtid;  /* 0 when absent */
    bool has_otid, has_dtid;
    uint32_t opc, dpc;
    uint8_t sls;
    int assoc; /* SCTP association: 0..2 partners, 3 the attackers' interconnect */
    char calling_gt[16], called_gt[16];
    uint8_t calling_ssn, called_ssn;
    const char *protocol; /* "map", "cap", "scmg" (SCCP management), "ansi-41" (ANSI TCAP),
                             "unknown" (a TCAP user no table knows) */
    const char *op_name;  /* the operation (the message type for SCCP management) as its
                             protocol and version name it; NULL when none (or a global code) */
    char imsi[17];        /* IMSI carried in the MAP (or CAP) parameter */
    char msisdn[16];      /* MSISDN carried in the MAP parameter */
    char dest_ref[17];    /* IMSI in the MAP-OpenInfo destinationReference */
    /* a call (ISUP, SI 5): its message type (0: not ISUP), circuit and, in an IAM, numbers */
    int isup;
    uint16_t cic;
    char calling_number[16], called_number[16];
    char sms_sender[16]; /* the SMS-DELIVER's sender (TP-OA) an mt-forwardSM carries */
} ssgw_attack_msg;

typedef struct ssgw_attack_gen ssgw_attack_gen;

/* Allocates the generator (one allocation). NULL with err set on bad options. */
ssgw_attack_gen *ssgw_attack_new(const ssgw_attack_opts *o, ssgw_error *err);
void ssgw_attack_free(ssgw_attack_gen *g);

/*
 * Appends the next message (M3UA DATA) to out and describes it in *m.
 * Returns 0, or -1 with err set (an encoder refused: a bug).
 */
int ssgw_attack_next(ssgw_attack_gen *g, ssgw_buf *out, ssgw_attack_msg *m, ssgw_error *err);

/*
 * Writes m's label as one JSON line (with '\n') into out; returns its length,
 * or 0 when cap is too small. Format (docs/attacks.md):
 * {"frame":N,"label":"legit"|"attack","attack":NAME|null,"check":C,"also":[...],
 *  "variant":V,"scenario":S,"instance":I,"dialogue":D,"dir":"in"|"out","protocol":P,"tcap":T,
 *  "op":NAME|null,"opcode":N,"otid":..,"dtid":..,"opc":..,"dpc":..,
 *  "calling_gt":..,"calling_ssn":..,"called_gt":..,"called_ssn":..,"imsi":..,"msisdn":..,
 *  "dest_ref":..,"isup":ABBR|null,"cic":N|null,"calling_number":..,"called_number":..,
 *  "sms_sender":..}
 */
size_t ssgw_attack_label_json(const ssgw_attack_msg *m, char *out, size_t cap);

/* Totals of a run. */
typedef struct {
    uint64_t messages, attacks, legit, inbound;
    uint64_t per_attack[64];
} ssgw_attack_stats;

/*
 * Generates o->count messages into a pcap (Ethernet/IPv4/SCTP PPID 3, one
 * M3UA message per frame, one SCTP association per peer point code) and the
 * label sidecar (JSON lines, one per frame; NULL: none). Returns 0, or -1 with
 * a message in errbuf.
 */
int ssgw_attack_write(const ssgw_attack_opts *o, const char *pcap_path, const char *labels_path,
                      ssgw_attack_stats *st, char *errbuf, size_t errlen);

/* ---- Diameter S6a/S6d and cross-protocol attacks (src/sim/attack_diameter.c) ------------
 *
 * `ssgw attack --protocol diameter`: the same example network speaking S6a (its realms
 * are the 3GPP ones of its MCC-MNCs) with MAP location updates mixed in, and the
 * Diameter catalogue (names "d.*", and "x.*" for attacks that use both protocols: a MAP
 * updateLocation then a Diameter ULR from another continent, or the reverse; a MAP attack
 * blocked and tried again over Diameter). Diameter frames are SCTP PPID 46 (port 3868),
 * MAP frames M3UA PPID 3. Label lines as above plus "protocol" ("diameter" or "map"),
 * "msg" (ULR, IDA, updateLocation ...), "network" and "imsi"; a legitimate message has no
 * "attack" key. The options are the SS7 generator's (only_mask: bits of this catalogue). */
size_t ssgw_dattack_count(void);
const ssgw_attack_info *ssgw_dattack_at(size_t i);
/* Names or families ("d", "x", "all") of this catalogue into a mask; -1 with bad. */
int ssgw_dattack_parse_only(const char *list, uint64_t *mask, char *bad, size_t badcap);
typedef struct ssgw_dattack_gen ssgw_dattack_gen;
ssgw_dattack_gen *ssgw_dattack_new(const ssgw_attack_opts *o);
void ssgw_dattack_free(ssgw_dattack_gen *g);
int ssgw_dattack_write(const ssgw_attack_opts *o, const char *pcap_path, const char *labels_path,
                       ssgw_attack_stats *st, char *errbuf, size_t errlen);

#endif
