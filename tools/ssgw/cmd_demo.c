/*
 * cmd_demo.c - `ssgw demo`: the whole product on one machine, as real
 * processes over real sockets on 127.0.0.1 (M3UA over TCP, RFC 4666):
 *
 *   tsca: a TSCA, two operators enrolled and certified, a signed trust bundle
 *   Albion NEs (ssgw peer) -- core --[Albion gw: ssgw run]-- to-safari --+
 *                                        |  ipx                           |
 *            attacker (ssgw peer, replays  |                               |
 *            `ssgw attack` frames) --------+     [Safari gw: ssgw run] ---+
 *                                                  core -- Safari NEs (ssgw peer)
 *
 * Legitimate roaming traffic between the two operators is signed by the
 * sending gateway, verified and stripped by the receiving one and answered by
 * the simulated elements; the attacker's traffic is blocked by the trust check
 * (no token) and the firewall checks (spoofed calls are released with REL, their
 * RLC absorbed; smishing with the bank's protected name is dropped). The demo
 * prints what happened, leaves the events, reports, records, configurations and
 * the TSCA in DIR, stops everything and exits 0 only when the expected things
 * happened.
 * docs/operations.md "Demo" describes it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "demo.h"
#include "ssgw/map.h"

#define MAX_ATTACKS 160
#define N_LEGIT     6
#define STATUS_CAP  (1 << 17)

/* The example network (the firewall contract; examples/ssgw.conf). */
#define A_HLR    "447924000001"
#define A_VLR    "447924000010"
#define A_MSC    "447924000011"
#define A_SMSC   "447924000020"
#define S_HLR    "254722000001"
#define S_VLR    "254722000010"
#define S_MSC    "254722000011"
#define S_SMSC   "254722000020"
#define SUB_IMSI "234910000012345"
#define SUB_MSI  "447924123456"

/* Attacks the demo runs: every one that needs no earlier state to be recognised, spoofed
 * calling numbers among them (released calls) and smishing. */
static const char default_attacks[] =
    "track.ati,track.sri,track.psi,track.sri_sm_origin,track.psl,track.sri_lcs,intercept.isd,"
    "dos.cancel_location,dos.delete_subscriber_data,theft.send_imsi,theft.send_identification,"
    "fraud.sms_spoof,fraud.any_time_modification,spoof.peer_mismatch,spoof.not_home_network,"
    "spoof.ssn_mismatch,infiltration.unknown_dialogue,cli.spoof_home,cli.spoof_invalid,"
    "smish.protected_sender,smish.link";

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

typedef struct {
    char dir[PATH_MAX];
    char ssgw[PATH_MAX], tsca[PATH_MAX];
    bool quiet, keep, policy;
    FILE *summary;
    uint64_t t0;
    demo_proc gw_a, gw_s, ne_a, ne_s, atk;
    int p_a_core, p_a_ic, p_a_ipx, p_s_core;
    demo_attack attacks[MAX_ATTACKS];
    int n_attacks;
    int failures;
    char *st; /* status buffer */
} demo;

static demo *D;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    if (!D->quiet) {
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        fflush(stdout);
    }
    if (D->summary) {
        va_start(ap, fmt);
        vfprintf(D->summary, fmt, ap);
        va_end(ap);
    }
}

/* A failed expectation: always on stderr (also with --quiet), counted. */
static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    va_list ap;
    D->failures++;
    fprintf(stderr, "ssgw demo: FAIL: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (D->summary) {
        fprintf(D->summary, "FAIL: ");
        va_start(ap, fmt);
        vfprintf(D->summary, fmt, ap);
        va_end(ap);
        fputc('\n', D->summary);
    }
}

static void usage(FILE *out)
{
    fprintf(out, "usage: ssgw demo [--dir DIR] [--keep] [--quiet]\n"
                 "\n"
                 "Runs OpenSSGW end to end on 127.0.0.1 as real processes: a TSCA certifies two\n"
                 "operators (Albion Mobile, GB, and Safari Mobile, KE); each runs its gateway\n"
                 "(ssgw run) between its simulated network elements (ssgw peer) and the\n"
                 "interconnect, where the two gateways are connected. Roaming traffic of an\n"
                 "Albion subscriber in Kenya (location update, SMS, USSD) is signed by the\n"
                 "sending gateway, verified and stripped by the receiving one and answered; an\n"
                 "attacker on the interconnect replays the attack catalogue (ssgw attack) and\n"
                 "is blocked by the trust check and the firewall. Prints what was signed,\n"
                 "verified, allowed and blocked and why, leaves everything in DIR, stops by\n"
                 "itself. Exit 0 when the legitimate traffic was delivered and answered and\n"
                 "every attack was blocked; 1 otherwise (a smoke test); 2 on a set-up error.\n"
                 "Needs tsca next to ssgw.\n"
                 "\n"
                 "  --dir DIR      output directory (default ./demo-out; an earlier demo's output\n"
                 "                 there is replaced, any other non-empty directory is refused)\n"
                 "  --keep         keep the two gateways running afterwards until Ctrl-C\n"
                 "                 (try: ssgw status --socket DIR/albion/status.sock)\n"
                 "  --attacks LIST attack names or families for ssgw attack --only\n"
                 "  --no-policy    run the gateways without the firewall and trust pipeline\n"
                 "                 (decode and forward only: checks the plumbing)\n"
                 "  -q, --quiet    print only failures\n"
                 "  -h, --help     this text\n");
}

/* ---- set-up --------------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    if (ftw->level == 0) return 0; /* keep DIR itself */
    return remove(path) < 0 ? -1 : 0;
}

/* DIR: created, or emptied when an earlier demo left it (marker file); any other
 * non-empty directory is refused rather than cleared. */
static int prepare_dir(const char *dir, char *err, size_t errlen)
{
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        snprintf(err, errlen, "--dir %s: %s", dir, strerror(errno));
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "--dir %s: %s", dir, strerror(errno));
        return -1;
    }
    bool empty = true, marker = false;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        empty = false;
        if (!strcmp(e->d_name, ".ssgw-demo")) marker = true;
    }
    closedir(d);
    if (!empty && !marker) {
        snprintf(err, errlen,
                 "--dir %s exists, is not empty and is not the output of an earlier demo: "
                 "choose another directory",
                 dir);
        return -1;
    }
    if (!empty && nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) < 0) {
        snprintf(err, errlen, "--dir %s: cannot clear the earlier demo's files: %s", dir,
                 strerror(errno));
        return -1;
    }
    return 0;
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

/* ---- 1. the TSCA ------------------------------------------------------------------ */

typedef struct {
    const char *name, *short_name, *country, *mccmnc, *gt;
    int pc;
} op_info;

static const op_info ALBION = {"Albion Mobile", "albion", "GB", "23491", "447924", 1001};
static const op_info SAFARI = {"Safari Mobile", "safari", "KE", "63902", "254722", 2001};

static int tsca(const char *step, char *const args[])
{
    char *argv[24];
    int n = 0;
    argv[n++] = D->tsca;
    for (int i = 0; args[i] && n < 23; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    char err[600];
    int rc = demo_run(NULL, "logs/tsca.log", argv, 30000, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "ssgw demo: tsca %s failed (%s)\n", step,
                rc < 0 ? err : "non-zero exit status");
        demo_log_tail("logs/tsca.log", 8);
        return -1;
    }
    return 0;
}

static int enrol(const op_info *o)
{
    char key[64], ka[64], req[64], crt[64], pc[16], contact[64];
    snprintf(key, sizeof key, "%s/sign.key", o->short_name);
    snprintf(ka, sizeof ka, "%s/ka.key", o->short_name);
    snprintf(req, sizeof req, "%s/%s.req", o->short_name, o->short_name);
    snprintf(crt, sizeof crt, "%s/%s.crt", o->short_name, o->short_name);
    snprintf(pc, sizeof pc, "%d", o->pc);
    snprintf(contact, sizeof contact, "noc@%s.example", o->short_name);
    char *rq[] = {"request",
                  "--key",
                  key,
                  "--ka-key",
                  ka,
                  "--name",
                  (char *)o->name,
                  "--country",
                  (char *)o->country,
                  "--mccmnc",
                  (char *)o->mccmnc,
                  "--gt",
                  (char *)o->gt,
                  "--pc",
                  pc,
                  "--contact",
                  contact,
                  req,
                  NULL};
    char *vr[] = {"verify-request", "tsca", req, NULL};
    char *a1[] = {"approve", "tsca", req, "--officer", "A. Officer", NULL};
    char *a2[] = {"approve", "tsca", req, "--officer", "B. Officer", NULL};
    char *is[] = {"issue", "tsca", req, crt, NULL};
    if (tsca("request", rq) < 0 || tsca("verify-request", vr) < 0 || tsca("approve", a1) < 0 ||
        tsca("approve", a2) < 0 || tsca("issue", is) < 0)
        return -1;
    say("   %-14s %s, MCC-MNC %s, GTs %s..., point code %d: keys (0600), request verified "
        "against the numbering registry, approved by two officers, certificate %s\n",
        o->name, o->country, o->mccmnc, o->gt, o->pc, crt);
    return 0;
}

static int setup_tsca(void)
{
    say("== 1. Trust: a TSCA certifies both operators (tsca)\n");
    if (write_file("registry.csv",
                   "# numbering registry of the demo (format: docs/tsca.md)\n"
                   "Albion Mobile,GB,e212,23491\nAlbion Mobile,GB,e164,447924\n"
                   "Safari Mobile,KE,e212,63902\nSafari Mobile,KE,e164,254722\n") < 0) {
        fprintf(stderr, "ssgw demo: registry.csv: %s\n", strerror(errno));
        return -1;
    }
    char *init[] = {"init",         "tsca",        "--name", "Demo TSCA", "--registry",
                    "registry.csv", "--approvals", "2",      NULL};
    if (tsca("init", init) < 0) return -1;
    say("   TSCA \"Demo TSCA\" in tsca/: root and issuing CA, numbering registry, two approvals "
        "per enrolment\n");
    if (enrol(&ALBION) < 0 || enrol(&SAFARI) < 0) return -1;
    char *bundle[] = {"bundle", "tsca", "trust.bundle", NULL};
    if (tsca("bundle", bundle) < 0) return -1;
    FILE *in = fopen("tsca/root.crt", "rb"), *out = fopen("root.crt", "wb");
    if (!in || !out) {
        fprintf(stderr, "ssgw demo: copying tsca/root.crt: %s\n", strerror(errno));
        if (in) fclose(in);
        if (out) fclose(out);
        return -1;
    }
    char b[4096];
    size_t n;
    while ((n = fread(b, 1, sizeof b, in)) > 0)
        fwrite(b, 1, n, out);
    fclose(in);
    fclose(out);
    say("   signed trust bundle trust.bundle (both operators' keys and GT ranges), root.crt\n");
    return 0;
}

/* ---- 2. configurations ----------------------------------------------------------- */

static const char albion_policy[] =
    "# Firewall + trust policy of Albion Mobile (written by ssgw demo; examples/ssgw.conf\n"
    "# with [trust] as in examples/trust/setup.sh).\n"
    "[policy]\nmode = \"enforce\"\nmalformed = \"drop\"\n\n"
    "[rate]\ncalling_gt = \"2000/1s\"\nimsi = \"60/60s\"\noperation = \"off\"\n"
    "sri_sm_per_msisdn = \"2/600s\"\n\n"
    "[home]\nname = \"Albion Mobile\"\ncountry = \"GB\"\nmcc_mnc = [\"23491\"]\n"
    "gt_prefixes = [\"447924\"]\nmsisdn_prefixes = [\"447924\"]\npoint_codes = [1001]\n"
    "hlr = [\"" A_HLR "\"]\nvlr = [\"" A_VLR "\"]\nmsc = [\"" A_MSC "\"]\nsmsc = [\"" A_SMSC
    "\"]\ngsmscf = [\"447924000030\"]\n\n"
    "[[partner]]\nname = \"Safari Mobile\"\ncountry = \"KE\"\nmcc_mnc = [\"63902\"]\n"
    "gt_prefixes = [\"254722\"]\npoint_codes = [2001]\nhlr = [\"" S_HLR "\"]\nvlr = [\"" S_VLR
    "\"]\nmsc = [\"" S_MSC "\"]\nsmsc = [\"" S_SMSC "\"]\n"
    "trust = \"require\"           # a member of the trust bundle: its messages must be signed\n\n"
    "[[partner]]\nname = \"Rhein Telekom\"\ncountry = \"DE\"\nmcc_mnc = [\"26201\"]\n"
    "gt_prefixes = [\"491710\"]\npoint_codes = [2002]\nhlr = [\"491710000001\"]\n"
    "vlr = [\"491710000010\"]\nmsc = [\"491710000011\"]\nsmsc = [\"491710000020\"]\n"
    "allow = [\"anyTimeInterrogation\"]\n\n"
    "[[partner]]\nname = \"Lagos Mobile\"\ncountry = \"NG\"\nmcc_mnc = [\"62130\"]\n"
    "gt_prefixes = [\"234803\"]\npoint_codes = [2003]\nhlr = [\"234803000001\"]\n"
    "vlr = [\"234803000010\"]\nmsc = [\"234803000011\"]\nsmsc = [\"234803000020\"]\n\n"
    "[[check]]\nname = \"cat1.operation\"\naction = \"answer\"\n"
    "answer = \"map-error:facilityNotSupported\"\n\n"
    "[[check]]\nname = \"tcap.unknown_dialogue\"\naction = \"answer\"\nanswer = \"tcap-abort\"\n\n"
    "# Short messages: phishing links, and the bank's name that only our SMSC delivers.\n"
    "[sms]\nurl_domains = [\"bit.ly\", \"albion-bank-login.example\"]\n\n"
    "[[protected_sender]]\nsender = \"AlbionBank\"\npartner = [\"home\"]\n\n"
    "[trust]\nkey = \"sign.key\"\nka_key = \"ka.key\"\nroot = \"../root.crt\"\n"
    "bundle = \"../trust.bundle\"\nmode = \"ecdsa-p256\"\nsign = \"members\"\nwindow = 60\n"
    "# Members of the bundle must sign (Safari: trust = \"require\" above): a message with a\n"
    "# Safari GT and no valid token is dropped. Networks not yet in the bundle are screened\n"
    "# by the firewall checks alone.\n"
    "inbound = \"verify-if-present\"\n";

static const char safari_policy[] =
    "# Firewall + trust policy of Safari Mobile (written by ssgw demo).\n"
    "[policy]\nmode = \"enforce\"\nmalformed = \"drop\"\n\n"
    "[home]\nname = \"Safari Mobile\"\ncountry = \"KE\"\nmcc_mnc = [\"63902\"]\n"
    "gt_prefixes = [\"254722\"]\nmsisdn_prefixes = [\"254722\"]\npoint_codes = [2001]\n"
    "hlr = [\"" S_HLR "\"]\nvlr = [\"" S_VLR "\"]\nmsc = [\"" S_MSC "\"]\nsmsc = [\"" S_SMSC
    "\"]\n\n"
    "[[partner]]\nname = \"Albion Mobile\"\ncountry = \"GB\"\nmcc_mnc = [\"23491\"]\n"
    "gt_prefixes = [\"447924\"]\npoint_codes = [1001]\nhlr = [\"" A_HLR "\"]\nvlr = [\"" A_VLR
    "\"]\nmsc = [\"" A_MSC "\"]\nsmsc = [\"" A_SMSC "\"]\ntrust = \"require\"\n\n"
    "[trust]\nkey = \"sign.key\"\nka_key = \"ka.key\"\nroot = \"../root.crt\"\n"
    "bundle = \"../trust.bundle\"\nmode = \"ecdsa-p256\"\nsign = \"members\"\nwindow = 60\n"
    "inbound = \"require\"\n";

static int write_gateway_conf(const char *path, const char *who, const char *links)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fprintf(f,
            "# Gateway of %s (written by ssgw demo; keys: docs/operations.md).\n"
            "[gateway]\n"
            "status_socket = \"status.sock\"\n"
            "capture = \"interconnect.pcap\"     # the outer links' M3UA, for tshark\n"
            "reconnect_ms = 100\n",
            who);
    if (D->policy)
        fprintf(f, "policy = \"ssgw.conf\"             # firewall + trust\n"
                   "events = \"events.jsonl\"\n"
                   "report = \"report.html\"\n");
    fputs(links, f);
    return fclose(f);
}

static int write_configs(void)
{
    say("== 2. Configurations (albion/, safari/)\n");
    if (write_file("albion/ssgw.conf", albion_policy) < 0 ||
        write_file("safari/ssgw.conf", safari_policy) < 0) {
        fprintf(stderr, "ssgw demo: writing the policies: %s\n", strerror(errno));
        return -1;
    }
    char links[2048];
    snprintf(links, sizeof links,
             "\n[[link]]                # our core network: the simulated HLR/VLR/MSC/SMSC\n"
             "name = \"core\"\nside = \"inner\"\nrole = \"sg\"\ntransport = \"tcp\"\n"
             "listen = \"127.0.0.1:%d\"\n"
             "\n[[link]]                # the interconnect towards Safari Mobile's gateway\n"
             "name = \"to-safari\"\nside = \"outer\"\nrole = \"sg\"\ntransport = \"tcp\"\n"
             "listen = \"127.0.0.1:%d\"\ngt_prefixes = [\"254722\"]\n"
             "\n[[link]]                # an IPX partner without certificate\n"
             "name = \"ipx\"\nside = \"outer\"\nrole = \"sg\"\ntransport = \"tcp\"\n"
             "listen = \"127.0.0.1:%d\"\ndefault_route = true\n",
             D->p_a_core, D->p_a_ic, D->p_a_ipx);
    if (write_gateway_conf("albion/gateway.toml", "Albion Mobile", links) < 0) return -1;
    snprintf(links, sizeof links,
             "\n[[link]]                # our core network: the simulated VLR/MSC/SMSC/HLR\n"
             "name = \"core\"\nside = \"inner\"\nrole = \"sg\"\ntransport = \"tcp\"\n"
             "listen = \"127.0.0.1:%d\"\n"
             "\n[[link]]                # the interconnect towards Albion Mobile's gateway\n"
             "name = \"to-albion\"\nside = \"outer\"\nrole = \"asp\"\ntransport = \"tcp\"\n"
             "connect = \"127.0.0.1:%d\"\n",
             D->p_s_core, D->p_a_ic);
    if (write_gateway_conf("safari/gateway.toml", "Safari Mobile", links) < 0) return -1;
    if (D->policy) {
        for (int i = 0; i < 2; i++) {
            char *conf = i ? "safari/ssgw.conf" : "albion/ssgw.conf";
            char *argv[] = {D->ssgw, "check-config", conf, NULL};
            char err[600];
            int rc = demo_run(NULL, "logs/check-config.log", argv, 20000, err, sizeof err);
            if (rc != 0) {
                fprintf(stderr, "ssgw demo: ssgw check-config %s: %s\n", conf,
                        rc < 0 ? err : "refused");
                demo_log_tail("logs/check-config.log", 6);
                return -1;
            }
        }
    }
    for (int i = 0; i < 2; i++) {
        char *conf = i ? "safari/gateway.toml" : "albion/gateway.toml";
        char *argv[] = {D->ssgw, "run", "--config", conf, "--check-config", NULL};
        char err[600];
        int rc = demo_run(NULL, "logs/check-config.log", argv, 20000, err, sizeof err);
        if (rc != 0) {
            fprintf(stderr, "ssgw demo: ssgw run --check-config %s: %s\n", conf,
                    rc < 0 ? err : "refused");
            demo_log_tail("logs/check-config.log", 6);
            if (D->policy)
                fprintf(stderr, "ssgw demo: (if this gateway has no policy pipeline yet, "
                                "`ssgw demo --no-policy` runs the plumbing only)\n");
            return -1;
        }
    }
    say("   policies ssgw.conf: home network, partners, checks, [trust] sign = members; Albion "
        "requires a valid token from Safari (a bundle member) and screens non-members with the "
        "firewall; Safari requires one from Albion\n"
        "   gateway.toml: links, policy, events, report; all checked (ssgw check-config, ssgw "
        "run --check-config)\n");
    return 0;
}

/* ---- 3. traffic ----------------------------------------------------------------- */

static const demo_msg safari_flow[] = {
    {"roaming: authentication", SSGW_MAP_OP_SEND_AUTHENTICATION_INFO, S_VLR, 7, A_HLR, 6, 2001,
     1001, SUB_IMSI, NULL, NULL, NULL, NULL, false, 0x5a000001},
    {"roaming: location update", SSGW_MAP_OP_UPDATE_LOCATION, S_VLR, 7, A_HLR, 6, 2001, 1001,
     SUB_IMSI, NULL, S_VLR, S_MSC, NULL, false, 0x5a000002},
    {"SMS: routing info", SSGW_MAP_OP_SEND_ROUTING_INFO_FOR_SM, S_SMSC, 8, A_HLR, 6, 2001, 1001,
     NULL, SUB_MSI, NULL, NULL, S_SMSC, false, 0x5a000003},
    {"SMS: delivery", SSGW_MAP_OP_MT_FORWARD_SM, S_SMSC, 8, A_MSC, 8, 2001, 1001, SUB_IMSI, NULL,
     NULL, NULL, S_SMSC, false, 0x5a000004},
    {"USSD: *100#", SSGW_MAP_OP_PROCESS_UNSTRUCTURED_SS_REQUEST, S_VLR, 7, A_HLR, 6, 2001, 1001,
     SUB_IMSI, SUB_MSI, NULL, NULL, NULL, true, 0x5a000005},
};
static const demo_msg albion_flow[] = {
    {"roaming: subscriber data", SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA, A_HLR, 6, S_VLR, 7, 1001, 2001,
     SUB_IMSI, SUB_MSI, NULL, NULL, NULL, false, 0xa1000001},
};

static int make_traffic(const char *attacks)
{
    say("== 3. Traffic (traffic/)\n");
    char err[400];
    if (demo_write_flow("traffic/safari-legit.pcap", safari_flow,
                        sizeof safari_flow / sizeof safari_flow[0], err, sizeof err) < 0 ||
        demo_write_flow("traffic/albion-legit.pcap", albion_flow,
                        sizeof albion_flow / sizeof albion_flow[0], err, sizeof err) < 0) {
        fprintf(stderr, "ssgw demo: legitimate traffic: %s\n", err);
        return -1;
    }
    say("   legitimate: an Albion subscriber (IMSI %s, MSISDN %s) roaming in Kenya: Safari's "
        "VLR/SMSC send SAI, updateLocation, SRI-SM, mt-forwardSM, USSD; Albion's HLR sends "
        "insertSubscriberData\n",
        SUB_IMSI, SUB_MSI);
    char *argv[] = {D->ssgw,
                    "attack",
                    "--only",
                    (char *)attacks,
                    "--attack-ratio",
                    "1",
                    "--count",
                    "90",
                    "--seed",
                    "11",
                    "-q",
                    "--labels",
                    "traffic/attack-catalogue.labels.jsonl",
                    "traffic/attack-catalogue.pcap",
                    NULL};
    int rc = demo_run(NULL, "logs/attack.log", argv, 30000, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "ssgw demo: ssgw attack: %s\n", rc < 0 ? err : "failed");
        demo_log_tail("logs/attack.log", 6);
        return -1;
    }
    int n =
        demo_pick_attacks("traffic/attack-catalogue.pcap", "traffic/attack-catalogue.labels.jsonl",
                          "traffic/attacks.pcap", D->attacks, MAX_ATTACKS, err, sizeof err);
    if (n <= 0) {
        fprintf(stderr, "ssgw demo: attack frames: %s\n", n < 0 ? err : "none in the capture");
        return -1;
    }
    D->n_attacks = n;
    say("   attacks: %d inbound attack messages of the catalogue (ssgw attack --only ...), "
        "from attacker GTs and spoofed partner GTs, calls with spoofed calling numbers and "
        "smishing among them\n",
        n);
    return 0;
}

/* ---- 4. the network ------------------------------------------------------------- */

static bool status_of(const char *op, char *buf)
{
    char sock[64];
    snprintf(sock, sizeof sock, "%s/status.sock", op);
    return demo_status(sock, buf, STATUS_CAP) > 0;
}

/* asp_state of a link ("" when unknown). */
static void link_state(const char *st, const char *link, char *out, size_t cap)
{
    size_t len, pos = 0, el;
    const char *arr = demo_json_raw(st, "links", &len);
    const char *e;
    out[0] = '\0';
    char name[64];
    while ((e = demo_json_next(arr, len, &pos, &el))) {
        if (demo_json_str(e, "name", name, sizeof name) && !strcmp(name, link)) {
            demo_json_str(e, "asp_state", out, cap);
            return;
        }
    }
}

static long long counter(const char *st, const char *key)
{
    size_t len;
    const char *c = demo_json_raw(st, "counters", &len);
    return c ? demo_json_int(c, key, 0) : 0;
}

/* Waits until every listed link (op:link) is ACTIVE. */
static bool wait_active(const char *const *links, size_t n, unsigned timeout_ms)
{
    uint64_t end = demo_now_ms() + timeout_ms;
    while (!interrupted && demo_now_ms() < end) {
        size_t ok = 0;
        for (size_t i = 0; i < n; i++) {
            char op[16], st[16];
            const char *colon = strchr(links[i], ':');
            snprintf(op, sizeof op, "%.*s", (int)(colon - links[i]), links[i]);
            if (!status_of(op, D->st)) break;
            link_state(D->st, colon + 1, st, sizeof st);
            if (strcmp(st, "active")) break;
            ok++;
        }
        if (ok == n) return true;
        if (demo_exited(&D->gw_a) || demo_exited(&D->gw_s)) return false;
        demo_sleep_ms(20);
    }
    return false;
}

/* The non-zero members of an object value, "k n, k n". */
static void nonzero(const char *obj, size_t len, char *out, size_t cap)
{
    size_t pos = 0, vl;
    char key[64];
    const char *v;
    out[0] = '\0';
    while (obj && (v = demo_json_member(obj, len, &pos, key, sizeof key, &vl))) {
        if (vl == 1 && *v == '0') continue;
        if (*v < '0' || *v > '9') continue;
        size_t o = strlen(out);
        snprintf(out + o, cap - o, "%s%s %.*s", o ? ", " : "", key, (int)vl, v);
    }
}

static void print_counters(const char *who, const char *op)
{
    if (!status_of(op, D->st)) {
        say("   %s: no status\n", who);
        return;
    }
    say("   %-15s DATA in %lld: forwarded %lld (modified %lld), answered %lld, dropped %lld\n", who,
        counter(D->st, "data_in"), counter(D->st, "forwarded"),
        counter(D->st, "forwarded_modified"), counter(D->st, "answered"),
        counter(D->st, "dropped"));
    size_t len = 0, vl = 0;
    char b[1024];
    const char *c = demo_json_raw(D->st, "counters", &len);
    const char *v = c ? demo_json_raw(c, "reasons", &vl) : NULL;
    nonzero(v, vl, b, sizeof b);
    if (b[0]) say("                   drop reasons: %s\n", b);
    const char *pl = demo_json_raw(D->st, "pipeline", &len);
    if (!pl) return;
    say("                   signed %lld, tokens verified and stripped %lld\n",
        demo_json_int(pl, "signed", 0), demo_json_int(pl, "stripped", 0));
    static const char *const tables[] = {"trust_outcomes", "verdicts", "checks"};
    for (size_t i = 0; i < 3; i++) {
        v = demo_json_raw(pl, tables[i], &vl);
        nonzero(v, vl, b, sizeof b);
        if (b[0]) say("                   %s: %s\n", tables[i], b);
    }
}

static bool gw_alive(demo_proc *p)
{
    if (!demo_exited(p)) return true;
    char b[64];
    fprintf(stderr, "ssgw demo: the %s stopped (%s)\n", p->name, demo_exit_text(p, b, sizeof b));
    demo_log_tail(p->log, 10);
    return false;
}

static int start_gateway(demo_proc *p, const char *name, const char *op)
{
    char log[64], err[600];
    snprintf(log, sizeof log, "%s/gateway.log", op);
    char *argv[] = {D->ssgw, "run", "--config", "gateway.toml", NULL};
    if (demo_spawn(p, name, op, log, argv, err, sizeof err) < 0) {
        fprintf(stderr, "ssgw demo: %s\n", err);
        return -1;
    }
    return 0;
}

static int start_peer(demo_proc *p, const char *name, const char *record, char **extra)
{
    char *argv[48];
    int n = 0;
    argv[n++] = D->ssgw;
    argv[n++] = "peer";
    for (int i = 0; extra[i] && n < 44; i++)
        argv[n++] = extra[i];
    argv[n++] = "--record";
    argv[n++] = (char *)record;
    argv[n] = NULL;
    char log[128], err[600];
    snprintf(log, sizeof log, "%.*s.log", (int)(strlen(record) - 6), record); /* .jsonl */
    if (demo_spawn(p, name, NULL, log, argv, err, sizeof err) < 0) {
        fprintf(stderr, "ssgw demo: %s\n", err);
        return -1;
    }
    return 0;
}

/* Polls both gateways until albion has seen a_in DATA and safari s_in, or timeout. */
static bool wait_counts(long long a_in, long long s_in, unsigned timeout_ms)
{
    uint64_t end = demo_now_ms() + timeout_ms;
    while (!interrupted && demo_now_ms() < end) {
        long long a = status_of("albion", D->st) ? counter(D->st, "data_in") : -1;
        long long s = status_of("safari", D->st) ? counter(D->st, "data_in") : -1;
        if (a >= a_in && s >= s_in) return true;
        if (!gw_alive(&D->gw_a) || !gw_alive(&D->gw_s)) return false;
        demo_sleep_ms(25);
    }
    return false;
}

/* The attack calls (IAMs) Albion's gateway released: each answered with REL towards the
 * caller, whose RLC (ssgw peer answers every REL) the gateway absorbs; no circuit state may
 * be left once they have all come back. */
static void check_released_calls(void)
{
    int n_calls = 0;
    for (int i = 0; i < D->n_attacks; i++)
        n_calls += !strcmp(D->attacks[i].isup, "iam");
    if (!n_calls || !D->policy) return;
    long long released = -1, absorbed = -1, circuits = -1;
    uint64_t end = demo_now_ms() + 3000;
    while (!interrupted) {
        size_t len;
        const char *pl = status_of("albion", D->st) ? demo_json_raw(D->st, "pipeline", &len) : NULL;
        if (pl) {
            released = demo_json_int(pl, "calls_released", -1);
            absorbed = demo_json_int(pl, "rlc_absorbed", -1);
            circuits = demo_json_int(pl, "circuits", -1);
        }
        if ((absorbed >= n_calls && circuits == 0) || demo_now_ms() >= end) break;
        demo_sleep_ms(25);
    }
    say("   calls: %lld of the %d spoofed calls released (REL back to the caller), %lld RLC "
        "absorbed, %lld circuits left\n",
        released, n_calls, absorbed, circuits);
    if (released < n_calls || absorbed < n_calls || circuits != 0)
        fail("released calls: %lld released, %lld RLC absorbed, %lld circuits left (expected %d, "
             "%d, 0)",
             released, absorbed, circuits, n_calls, n_calls);
}

static int run_network(void)
{
    char pa[32], ps[32], pi[32];
    snprintf(pa, sizeof pa, "127.0.0.1:%d", D->p_a_core);
    snprintf(ps, sizeof ps, "127.0.0.1:%d", D->p_s_core);
    snprintf(pi, sizeof pi, "127.0.0.1:%d", D->p_a_ipx);
    say("== 4. The network on 127.0.0.1 (M3UA over TCP)\n");
    if (start_gateway(&D->gw_a, "Albion gateway", "albion") < 0 ||
        start_gateway(&D->gw_s, "Safari gateway", "safari") < 0)
        return -1;
    say("   Albion gateway  ssgw run (pid %d): core %d (inner, SG), to-safari %d (outer, SG), "
        "ipx %d (outer, SG)\n",
        (int)D->gw_a.pid, D->p_a_core, D->p_a_ic, D->p_a_ipx);
    say("   Safari gateway  ssgw run (pid %d): core %d (inner, SG), to-albion -> %d (outer, ASP)\n",
        (int)D->gw_s.pid, D->p_s_core, D->p_a_ic);
    char *ne_a[] = {"--connect", pa,      "--hlr",         A_HLR,
                    "--vlr",     A_VLR,   "--msc",         A_MSC,
                    "--smsc",    A_SMSC,  "--imsi",        SUB_IMSI,
                    "--msisdn",  SUB_MSI, "--replay",      "traffic/albion-legit.pcap",
                    "--rate",    "5",     "--start-delay", "1800",
                    "--linger",  "60000", "--duration",    "25000",
                    NULL};
    static const char *const ic[] = {"albion:to-safari", "safari:to-albion"};
    static const char *const core_a[] = {"albion:core"};
    static const char *const core_s[] = {"safari:core"};
    uint64_t t = demo_now_ms();
    if (!wait_active(ic, 2, 10000)) {
        if (gw_alive(&D->gw_a) && gw_alive(&D->gw_s))
            fprintf(stderr, "ssgw demo: the gateways' interconnect did not become ACTIVE\n");
        return -1;
    }
    if (start_peer(&D->ne_a, "Albion network elements", "peers/albion-core.jsonl", ne_a) < 0)
        return -1;
    if (!wait_active(core_a, 1, 10000)) {
        fprintf(stderr, "ssgw demo: Albion's network elements did not become ACTIVE\n");
        demo_log_tail(D->ne_a.log, 6);
        return -1;
    }
    say("   Albion network elements  ssgw peer (pid %d): HLR %s, VLR %s, MSC %s, SMSC %s\n",
        (int)D->ne_a.pid, A_HLR, A_VLR, A_MSC, A_SMSC);
    char *ne_s[] = {"--connect", ps,      "--vlr",         S_VLR,
                    "--msc",     S_MSC,   "--smsc",        S_SMSC,
                    "--hlr",     S_HLR,   "--replay",      "traffic/safari-legit.pcap",
                    "--rate",    "5",     "--start-delay", "300",
                    "--linger",  "60000", "--duration",    "25000",
                    NULL};
    if (start_peer(&D->ne_s, "Safari network elements", "peers/safari-core.jsonl", ne_s) < 0)
        return -1;
    if (!wait_active(core_s, 1, 10000)) {
        fprintf(stderr, "ssgw demo: Safari's network elements did not become ACTIVE\n");
        demo_log_tail(D->ne_s.log, 6);
        return -1;
    }
    say("   Safari network elements  ssgw peer (pid %d): VLR %s, MSC %s, SMSC %s, HLR %s\n",
        (int)D->ne_s.pid, S_VLR, S_MSC, S_SMSC, S_HLR);
    say("   every link ACTIVE after %.1f s\n", (double)(demo_now_ms() - t) / 1000.0);

    say("== 5. Legitimate roaming traffic between the operators\n");
    /* 5 requests + 5 answers + ISD + its answer through each gateway */
    long long want = 2 * (long long)(N_LEGIT);
    if (!wait_counts(want, want, 12000)) {
        if (interrupted) return -1;
        fail("legitimate traffic: the gateways did not see the %lld DATA messages each expected",
             want);
    }
    print_counters("Albion gateway", "albion");
    print_counters("Safari gateway", "safari");

    say("== 6. An attacker on the interconnect (IPX link 'ipx' of Albion's gateway)\n");
    char *atk[] = {"--connect",  pi,      "--replay", "traffic/attacks.pcap",
                   "--rate",     "200",   "--linger", "400",
                   "--duration", "15000", NULL};
    if (start_peer(&D->atk, "attacker", "peers/attacker.jsonl", atk) < 0) return -1;
    say("   attacker  ssgw peer (pid %d) replays %d attack messages at 200/s\n", (int)D->atk.pid,
        D->n_attacks);
    if (!demo_wait(&D->atk, 20000)) fail("the attacker peer did not finish within 20 s");
    if (!wait_counts(want + D->n_attacks, want, 3000) && !interrupted)
        fail("the Albion gateway did not see all %d attack messages", D->n_attacks);
    print_counters("Albion gateway", "albion");
    check_released_calls();
    if (status_of("albion", D->st)) write_file("albion/status.json", D->st);
    if (status_of("safari", D->st)) write_file("safari/status.json", D->st);
    return interrupted ? -1 : 0;
}

static void stop_all(bool report)
{
    demo_proc *peers[] = {&D->atk, &D->ne_a, &D->ne_s};
    for (size_t i = 0; i < 3; i++) {
        if (!peers[i]->pid) continue;
        bool clean = demo_stop(peers[i], 6000);
        char b[64];
        demo_exit_text(peers[i], b, sizeof b);
        if (report && (!clean || strcmp(b, "exit 0"))) {
            fail("%s: %s%s (log %s)", peers[i]->name, clean ? "" : "did not stop on SIGTERM, ", b,
                 peers[i]->log);
            demo_log_tail(peers[i]->log, 6);
        }
    }
    demo_proc *gws[] = {&D->gw_a, &D->gw_s};
    for (size_t i = 0; i < 2; i++) {
        if (!gws[i]->pid) continue;
        bool clean = demo_stop(gws[i], 8000);
        char b[64];
        demo_exit_text(gws[i], b, sizeof b);
        if (report && (!clean || strcmp(b, "exit 0"))) {
            fail("%s: %s%s (log %s)", gws[i]->name, clean ? "" : "did not stop on SIGTERM, ", b,
                 gws[i]->log);
            demo_log_tail(gws[i]->log, 10);
        }
    }
}

/* ---- 7. what happened: events and records --------------------------------------- */

typedef struct {
    char **l;
    size_t n;
} lines;

static void load_lines(const char *path, lines *out)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f) return;
    char *buf = NULL;
    size_t cap = 0;
    ssize_t r;
    size_t room = 0;
    while ((r = getline(&buf, &cap, f)) > 0) {
        if (out->n == room) {
            room = room ? room * 2 : 64;
            char **nl = realloc(out->l, room * sizeof *nl);
            if (!nl) break;
            out->l = nl;
        }
        out->l[out->n++] = strdup(buf);
    }
    free(buf);
    fclose(f);
}

static void free_lines(lines *x)
{
    for (size_t i = 0; i < x->n; i++)
        free(x->l[i]);
    free(x->l);
    memset(x, 0, sizeof *x);
}

/* First line whose key equals value (case-insensitive), with optional extra key=value. */
static const char *find(const lines *x, const char *key, const char *value, const char *k2,
                        const char *v2)
{
    char b[128];
    for (size_t i = 0; i < x->n; i++) {
        if (!demo_json_str(x->l[i], key, b, sizeof b) || strcasecmp(b, value)) continue;
        if (k2 && (!demo_json_str(x->l[i], k2, b, sizeof b) || strcasecmp(b, v2))) continue;
        return x->l[i];
    }
    return NULL;
}

/* A peer record line: DATA in direction dir ("tx"/"rx") with tid under tid_key. */
static const char *find_rec(const lines *x, const char *dir, const char *tid_key, const char *tid)
{
    char b[64];
    for (size_t i = 0; i < x->n; i++) {
        const char *l = x->l[i];
        if (!demo_json_str(l, "dir", b, sizeof b) || strcmp(b, dir)) continue;
        if (!demo_json_str(l, "msg", b, sizeof b) || strcmp(b, "DATA")) continue;
        if (demo_json_str(l, tid_key, b, sizeof b) && !strcasecmp(b, tid)) return l;
    }
    return NULL;
}

static bool ev_blocked(const char *ev)
{
    char v[32], ta[32];
    demo_json_str(ev, "verdict", v, sizeof v);
    demo_json_str(ev, "trust_action", ta, sizeof ta);
    return !strcmp(v, "drop") || !strcmp(v, "answer") || !strcmp(v, "rate-limit") ||
           !strcmp(ta, "drop");
}

typedef struct {
    char k[128]; /* as long as the longest key it is filled from */
    int n;
} tally;

static void count(tally *t, size_t cap, const char *k)
{
    if (!k[0]) return;
    for (size_t i = 0; i < cap; i++) {
        if (!t[i].k[0]) snprintf(t[i].k, sizeof t[i].k, "%s", k);
        if (!strcmp(t[i].k, k)) {
            t[i].n++;
            return;
        }
    }
}

static void print_tally(const char *title, const tally *t, size_t cap)
{
    if (!t[0].k[0]) return;
    say("      %-9s", title);
    for (size_t i = 0; i < cap && t[i].k[0]; i++)
        say("%s%s %d", i ? ", " : " ", t[i].k, t[i].n);
    say("\n");
}

typedef struct {
    int events, signed_, trust_ok, blocked;
} gw_totals;

static gw_totals summarize_events(const char *who, const lines *ev)
{
    gw_totals g = {0};
    tally trust[24], checks[32], verdicts[8], signers[8];
    memset(trust, 0, sizeof trust);
    memset(checks, 0, sizeof checks);
    memset(verdicts, 0, sizeof verdicts);
    memset(signers, 0, sizeof signers);
    char b[128];
    for (size_t i = 0; i < ev->n; i++) {
        const char *l = ev->l[i];
        g.events++;
        if (demo_json_true(l, "signed")) g.signed_++;
        if (demo_json_str(l, "trust", b, sizeof b)) {
            count(trust, 24, b);
            if (!strcmp(b, "ok")) g.trust_ok++;
        }
        if (demo_json_str(l, "signer", b, sizeof b)) count(signers, 8, b);
        demo_json_str(l, "verdict", b, sizeof b);
        count(verdicts, 8, b);
        if (demo_json_str(l, "check", b, sizeof b) && strcmp(b, "default")) count(checks, 32, b);
        if (ev_blocked(l)) g.blocked++;
    }
    say("   %s: %d events; signed %d, verified ok %d, blocked %d\n", who, g.events, g.signed_,
        g.trust_ok, g.blocked);
    print_tally("trust:", trust, 24);
    print_tally("signers:", signers, 8);
    print_tally("verdicts:", verdicts, 8);
    print_tally("checks:", checks, 32);
    return g;
}

static const char *node_name(const char *gt)
{
    static const struct {
        const char *gt, *name;
    } n[] = {{A_HLR, "Albion HLR"},   {A_VLR, "Albion VLR"},  {A_MSC, "Albion MSC"},
             {A_SMSC, "Albion SMSC"}, {S_HLR, "Safari HLR"},  {S_VLR, "Safari VLR"},
             {S_MSC, "Safari MSC"},   {S_SMSC, "Safari SMSC"}};
    for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
        if (!strcmp(gt, n[i].gt)) return n[i].name;
    return gt;
}

/* One legitimate request: sent by the peer of record tx_rec through gateway events ev_tx,
 * received through ev_rx by the peer of rx_rec. Returns true when all went as expected. */
static bool check_legit(const demo_msg *m, const lines *tx_rec, const lines *rx_rec,
                        const lines *ev_tx, const lines *ev_rx, const char *gw_tx,
                        const char *gw_rx, gw_totals *legit_blocked)
{
    char tid[16];
    snprintf(tid, sizeof tid, "%08x", (unsigned)m->otid);
    const char *sent = find_rec(tx_rec, "tx", "otid", tid);
    const char *got = find_rec(rx_rec, "rx", "otid", tid);
    const char *ans_out = find_rec(rx_rec, "tx", "dtid", tid);
    const char *ans = find_rec(tx_rec, "rx", "dtid", tid);
    char pd1[8192], pd2[8192], comp[48] = "", tcap[16] = "";
    bool exact = false;
    if (sent && got && demo_json_str(sent, "pd", pd1, sizeof pd1) &&
        demo_json_str(got, "pd", pd2, sizeof pd2))
        exact = !strcmp(pd1, pd2);
    if (ans) {
        size_t len, pos = 0, el;
        const char *arr = demo_json_raw(ans, "components", &len);
        const char *c0 = demo_json_next(arr, len, &pos, &el);
        if (c0) demo_json_str(c0, "type", comp, sizeof comp);
        demo_json_str(ans, "tcap", tcap, sizeof tcap);
    }
    say("   %-11s -> %-11s %-30s %s\n", node_name(m->from_gt), node_name(m->to_gt),
        ssgw_map_op_name(m->op), m->what);
    bool ok = sent && got && ans;
    char line[600];
    int o = 0;
    line[0] = '\0';
    if (D->policy) {
        const char *s_ev = find(ev_tx, "otid", tid, "signed", "true");
        const char *v_ev = find(ev_rx, "otid", tid, NULL, NULL);
        char trust[32] = "", signer[64] = "", tb[16] = "";
        if (s_ev) demo_json_str(s_ev, "token_bytes", tb, sizeof tb);
        if (v_ev) {
            demo_json_str(v_ev, "trust", trust, sizeof trust);
            demo_json_str(v_ev, "signer", signer, sizeof signer);
            if (ev_blocked(v_ev)) legit_blocked->blocked++;
        }
        o += snprintf(line + o, sizeof line - (size_t)o, "signed by %s%s%s%s", gw_tx,
                      s_ev ? "" : " (NO signing event)", tb[0] ? ": token of " : "", tb);
        if (tb[0]) o += snprintf(line + o, sizeof line - (size_t)o, " bytes");
        o += snprintf(line + o, sizeof line - (size_t)o, "; %s: trust %s%s%s%s", gw_rx,
                      trust[0] ? trust : "(no event)", signer[0] ? " (signer " : "", signer,
                      signer[0] ? ")" : "");
        if (!s_ev || strcmp(trust, "ok")) ok = false;
        const char *as_ev = find(ev_rx, "dtid", tid, "signed", "true");
        const char *av_ev = find(ev_tx, "dtid", tid, NULL, NULL);
        char atrust[32] = "";
        if (av_ev) {
            demo_json_str(av_ev, "trust", atrust, sizeof atrust);
            if (ev_blocked(av_ev)) legit_blocked->blocked++;
        }
        if (ans && (!as_ev || strcmp(atrust, "ok"))) ok = false;
        say("      %s\n", line);
        o = snprintf(line, sizeof line, "answer signed by %s%s; %s: trust %s", gw_rx,
                     as_ev ? "" : " (NO signing event)", gw_tx, atrust[0] ? atrust : "(no event)");
    }
    say("      %s; %s%s\n",
        got ? (exact ? "delivered byte-exact (token stripped)" : "delivered, but NOT byte-exact")
            : "NOT delivered",
        ans ? "answered: " : (ans_out ? "answer sent but NOT received" : "NOT answered"),
        ans ? (comp[0] ? comp : tcap) : "");
    if (D->policy && ans) say("      %s\n", line);
    if (got && !exact && D->policy) ok = false;
    if (!ok)
        fail("legitimate %s (%s, otid %s) did not go through as expected", m->what,
             ssgw_map_op_name(m->op), tid);
    return ok;
}

typedef struct {
    char name[40], expected[32];
    int n, blocked, as_labelled;
    tally checks[6], trust[4];
} attack_row;

static int check_attacks(const lines *ev_a, const lines *ne_a)
{
    attack_row rows[40];
    memset(rows, 0, sizeof rows);
    size_t nrows = 0;
    int blocked = 0, examples = 0;
    char ex[8][700];
    for (int i = 0; i < D->n_attacks; i++) {
        const demo_attack *a = &D->attacks[i];
        const char *ev, *leak;
        if (a->isup[0]) { /* a call: its IAM by the calling number */
            ev = find(ev_a, "calling_number", a->calling_number, "isup", a->isup);
            leak = find_rec(ne_a, "rx", "calling_number", a->calling_number);
        } else {
            ev = a->tid[0] ? find(ev_a, "otid", a->tid, "calling_gt", a->calling_gt) : NULL;
            if (!ev && a->tid[0]) ev = find(ev_a, "dtid", a->tid, "calling_gt", a->calling_gt);
            leak = a->tid[0] ? find_rec(ne_a, "rx", "otid", a->tid) : NULL;
            if (!leak && a->tid[0]) leak = find_rec(ne_a, "rx", "dtid", a->tid);
        }
        bool is_blocked = !leak && (!D->policy || (ev && ev_blocked(ev)));
        if (!D->policy) is_blocked = !leak;
        attack_row *r = NULL;
        for (size_t k = 0; k < nrows; k++)
            if (!strcmp(rows[k].name, a->attack)) r = &rows[k];
        if (!r && nrows < 40) {
            r = &rows[nrows++];
            snprintf(r->name, sizeof r->name, "%s", a->attack);
            snprintf(r->expected, sizeof r->expected, "%s", a->check);
        }
        char check[48] = "", trust[32] = "", verdict[24] = "", reason[400] = "", ta[16] = "",
             action[24] = "", answer[48] = "";
        if (ev) {
            demo_json_str(ev, "action", action, sizeof action);
            demo_json_str(ev, "check", check, sizeof check);
            demo_json_str(ev, "trust", trust, sizeof trust);
            demo_json_str(ev, "trust_action", ta, sizeof ta);
            demo_json_str(ev, "verdict", verdict, sizeof verdict);
            demo_json_str(ev, "reason", reason, sizeof reason);
            demo_json_str(ev, "answer", answer, sizeof answer);
        }
        if (r) {
            r->n++;
            if (is_blocked) r->blocked++;
            count(r->checks, 6, check[0] ? check : !strcmp(ta, "drop") ? "(trust)" : "-");
            count(r->trust, 4, trust[0] ? trust : "-");
            char also[100];
            snprintf(also, sizeof also, ",%s,", a->also);
            char needle[52];
            snprintf(needle, sizeof needle, ",%s,", check);
            if (check[0] && (!strcmp(check, a->check) || strstr(also, needle))) r->as_labelled++;
        }
        if (is_blocked) blocked++;
        /* what it is: a MAP operation from a GT, a call from a number, a message's sender */
        char what[160];
        if (a->isup[0])
            snprintf(what, sizeof what, "ISUP %s calling number %s (PC %lld)", a->isup,
                     a->calling_number, a->opc);
        else
            snprintf(what, sizeof what, "%s%s%s%s %s -> %s (PC %lld)", a->op[0] ? a->op : a->tcap,
                     a->sms_sender[0] ? " from sender \"" : "", a->sms_sender,
                     a->sms_sender[0] ? "\"" : "", a->calling_gt, a->called_gt, a->opc);
        if (D->policy && !is_blocked)
            fail("attack %s (%s, tid %s) was not blocked%s", a->attack, what, a->tid,
                 leak ? ": it reached Albion's network elements" : "");
        /* a few examples, one per attack name; spoofed calls and smishing always */
        bool seen = false,
             featured = !strncmp(a->attack, "cli.", 4) || !strncmp(a->attack, "smish.", 6);
        for (int k = 0; k < i; k++)
            if (!strcmp(D->attacks[k].attack, a->attack)) seen = true;
        if (ev && !seen && (examples < 5 || (featured && examples < 8)))
            snprintf(ex[examples++], sizeof ex[0], "%s: %s: %s%s%s%s; trust %s%s%s; check %s: %s",
                     a->attack, what,
                     verdict[0]  ? verdict
                     : action[0] ? action
                                 : "?",
                     answer[0] ? " (" : "", answer, answer[0] ? ")" : "", trust[0] ? trust : "-",
                     ta[0] ? " -> " : "", ta, check[0] ? check : "-",
                     reason[0]             ? reason
                     : !strcmp(ta, "drop") ? "no valid token from a bundle member's GT: dropped "
                                             "by the trust check before the firewall"
                                           : "-");
    }
    say("   %-30s %3s %7s  %-22s %-24s %s\n", "attack", "n", "blocked", "expected check",
        "firewall check", "trust");
    for (size_t k = 0; k < nrows; k++) {
        attack_row *r = &rows[k];
        char cks[160] = "", trs[80] = "";
        for (int i = 0; i < 6 && r->checks[i].k[0]; i++) {
            size_t o = strlen(cks);
            snprintf(cks + o, sizeof cks - o, "%s%s", i ? "," : "", r->checks[i].k);
        }
        for (int i = 0; i < 4 && r->trust[i].k[0]; i++) {
            size_t o = strlen(trs);
            snprintf(trs + o, sizeof trs - o, "%s%s", i ? "," : "", r->trust[i].k);
        }
        say("   %-30s %3d %7d  %-22s %-24s %s\n", r->name, r->n, r->blocked, r->expected, cks, trs);
    }
    if (examples) {
        say("   examples:\n");
        for (int i = 0; i < examples; i++)
            say("     %s\n", ex[i]);
    }
    return blocked;
}

static void analyze(void)
{
    lines ev_a, ev_s, ne_a, ne_s;
    load_lines("albion/events.jsonl", &ev_a);
    load_lines("safari/events.jsonl", &ev_s);
    load_lines("peers/albion-core.jsonl", &ne_a);
    load_lines("peers/safari-core.jsonl", &ne_s);
    say("== 8. What happened (from the gateways' events and the peers' records)\n");
    say("   legitimate traffic:\n");
    gw_totals legit_blocked = {0};
    int legit_ok = 0;
    for (size_t i = 0; i < sizeof safari_flow / sizeof safari_flow[0]; i++)
        legit_ok += check_legit(&safari_flow[i], &ne_s, &ne_a, &ev_s, &ev_a, "Safari gw",
                                "Albion gw", &legit_blocked);
    for (size_t i = 0; i < sizeof albion_flow / sizeof albion_flow[0]; i++)
        legit_ok += check_legit(&albion_flow[i], &ne_a, &ne_s, &ev_a, &ev_s, "Albion gw",
                                "Safari gw", &legit_blocked);
    if (legit_blocked.blocked)
        fail("%d legitimate messages were blocked by a gateway", legit_blocked.blocked);
    say("   attacks (Albion gateway, link ipx):\n");
    int blocked = check_attacks(&ev_a, &ne_a);
    say("   per operator:\n");
    gw_totals ga = {0}, gs = {0};
    if (D->policy) {
        ga = summarize_events("Albion Mobile gateway (albion/events.jsonl)", &ev_a);
        gs = summarize_events("Safari Mobile gateway (safari/events.jsonl)", &ev_s);
        if (!ev_a.n || !ev_s.n)
            fail("a gateway wrote no events (albion %zu, safari %zu)", ev_a.n, ev_s.n);
        if (ga.signed_ <= 0 || gs.signed_ <= 0)
            fail("both gateways must have signed messages (albion %d, safari %d)", ga.signed_,
                 gs.signed_);
        if (ga.trust_ok <= 0 || gs.trust_ok <= 0)
            fail("both gateways must have verified messages (albion %d, safari %d)", ga.trust_ok,
                 gs.trust_ok);
        struct stat st;
        if (stat("albion/report.html", &st) < 0 || stat("safari/report.html", &st) < 0)
            fail("a gateway left no HTML report (albion/report.html, safari/report.html)");
    } else {
        say("   (--no-policy: the gateways decoded and forwarded; nothing was signed, verified "
            "or blocked)\n");
    }
    say("== Result: %d/%d legitimate dialogues delivered and answered; %d/%d attacks blocked",
        legit_ok, N_LEGIT, blocked, D->n_attacks);
    if (D->policy)
        say("; signed %d + %d, verified %d + %d", ga.signed_, gs.signed_, ga.trust_ok, gs.trust_ok);
    say("\n");
    free_lines(&ev_a);
    free_lines(&ev_s);
    free_lines(&ne_a);
    free_lines(&ne_s);
}

/* ---- the command ------------------------------------------------------------------ */

static int find_tools(void)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        fprintf(stderr, "ssgw demo: /proc/self/exe: %s\n", strerror(errno));
        return -1;
    }
    self[n] = '\0';
    snprintf(D->ssgw, sizeof D->ssgw, "%s", self);
    char *slash = strrchr(self, '/');
    if (!slash || (size_t)(slash - self) + 6 > sizeof D->tsca) {
        fprintf(stderr, "ssgw demo: %s: unexpected program path\n", self);
        return -1;
    }
    memcpy(D->tsca, self, (size_t)(slash - self));
    memcpy(D->tsca + (slash - self), "/tsca", 6);
    if (access(D->tsca, X_OK) < 0) {
        fprintf(stderr,
                "ssgw demo: tsca not found next to ssgw (%s: %s): the demo needs the TSCA tool; "
                "build it with `cmake --build BUILD --target tsca` (it needs OpenSSL)\n",
                D->tsca, strerror(errno));
        return -1;
    }
    return 0;
}

int cmd_demo(int argc, char **argv)
{
    static const struct option opts[] = {{"dir", required_argument, NULL, 'd'},
                                         {"keep", no_argument, NULL, 'k'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"attacks", required_argument, NULL, 'a'},
                                         {"no-policy", no_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = "demo-out", *attacks = default_attacks;
    demo *d = calloc(1, sizeof *d);
    if (!d || !(d->st = malloc(STATUS_CAP))) {
        fprintf(stderr, "ssgw demo: out of memory\n");
        return 2;
    }
    D = d;
    d->policy = true;
    int c, rc = 2;
    while ((c = getopt_long(argc, argv, "d:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case 'k':
            d->keep = true;
            break;
        case 'q':
            d->quiet = true;
            break;
        case 'a':
            attacks = optarg;
            break;
        case 'n':
            d->policy = false;
            break;
        case 'h':
            usage(stdout);
            rc = 0;
            goto out;
        default:
            usage(stderr);
            goto out;
        }
    }
    if (optind != argc) {
        usage(stderr);
        goto out;
    }
    char err[800];
    if (find_tools() < 0) goto out;
    if (prepare_dir(dir, err, sizeof err) < 0) {
        fprintf(stderr, "ssgw demo: %s\n", err);
        goto out;
    }
    if (!realpath(dir, d->dir) || chdir(d->dir) < 0) {
        fprintf(stderr, "ssgw demo: --dir %s: %s\n", dir, strerror(errno));
        goto out;
    }
    write_file(".ssgw-demo", "output of ssgw demo: the next demo run into this directory "
                             "replaces it\n");
    const char *sub[] = {"albion", "safari", "peers", "traffic", "logs"};
    for (size_t i = 0; i < 5; i++)
        if (mkdir(sub[i], 0755) < 0 && errno != EEXIST) {
            fprintf(stderr, "ssgw demo: %s/%s: %s\n", d->dir, sub[i], strerror(errno));
            goto out;
        }
    d->summary = fopen("summary.txt", "w");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    d->t0 = demo_now_ms();
    say("ssgw demo: two operators, their gateways and an attacker on 127.0.0.1; files in %s\n",
        d->dir);
    d->p_a_core = demo_free_port();
    d->p_a_ic = demo_free_port();
    d->p_a_ipx = demo_free_port();
    d->p_s_core = demo_free_port();
    if (d->p_a_core < 0 || d->p_a_ic < 0 || d->p_a_ipx < 0 || d->p_s_core < 0) {
        fprintf(stderr, "ssgw demo: no free TCP port on 127.0.0.1\n");
        goto out;
    }
    if (setup_tsca() < 0 || write_configs() < 0 || make_traffic(attacks) < 0) goto out;
    if (run_network() < 0) {
        stop_all(false);
        fprintf(stderr, "ssgw demo: %s; logs in %s\n", interrupted ? "interrupted" : "stopped",
                d->dir);
        goto out;
    }
    if (d->keep) {
        say("== --keep: the gateways keep running; ssgw status --socket %s/albion/status.sock; "
            "Ctrl-C stops them\n",
            d->dir);
        demo_proc *ps[] = {&d->atk, &d->ne_a, &d->ne_s};
        for (size_t i = 0; i < 3; i++)
            demo_stop(ps[i], 6000);
        while (!interrupted && !demo_exited(&d->gw_a) && !demo_exited(&d->gw_s))
            demo_sleep_ms(100);
    }
    say("== 7. Stopping (SIGTERM, then waiting for each process)\n");
    uint64_t ts = demo_now_ms();
    stop_all(!d->keep);
    say("   everything stopped in %.1f s; gateways wrote their events and reports\n",
        (double)(demo_now_ms() - ts) / 1000.0);
    analyze();
    say("== Files in %s: albion/ and safari/ (gateway.toml, ssgw.conf, keys, certificate, "
        "events.jsonl, report.html, interconnect.pcap, status.json, gateway.log), tsca/, "
        "trust.bundle, root.crt, peers/ (records and logs), traffic/ (pcaps), summary.txt\n",
        d->dir);
    say("   demo %s in %.1f s\n", d->failures ? "FAILED" : "passed",
        (double)(demo_now_ms() - d->t0) / 1000.0);
    rc = d->failures ? 1 : 0;
out:
    if (rc == 2 && d->gw_a.pid) stop_all(false);
    if (d->summary) fclose(d->summary);
    free(d->st);
    free(d);
    D = NULL;
    return rc;
}
