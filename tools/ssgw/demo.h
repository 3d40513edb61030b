/*
 * demo.h - helpers of `ssgw demo` (cmd_demo.c): child processes, the
 * gateways' status sockets, a small JSON reader for the files the processes
 * leave behind (gateway events, peer records, status), and the traffic the
 * demo replays (the legitimate roaming flows, the attack frames of an
 * `ssgw attack` capture).
 */
#ifndef SSGW_TOOLS_DEMO_H
#define SSGW_TOOLS_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ssgw/map.h"

/* ---- processes (demo_proc.c) ------------------------------------------------------ */

typedef struct {
    char name[48]; /* for messages: "Albion gateway" */
    char log[512]; /* stdout + stderr of the child */
    pid_t pid;     /* 0 = not started */
    bool exited;   /* reaped */
    int status;    /* wait status once exited */
} demo_proc;

uint64_t demo_now_ms(void);
void demo_sleep_ms(unsigned ms);
/* fork + exec argv[0] in cwd (NULL: ours) with stdin from /dev/null and stdout/stderr
 * appended to log. Returns 0, or -1 with err set. */
int demo_spawn(demo_proc *p, const char *name, const char *cwd, const char *log, char *const argv[],
               char *err, size_t errlen);
/* Runs argv to completion (timeout_ms, then killed); output appended to log. Returns the
 * exit status (0..255), or -1 when it could not start / was killed (err says why). */
int demo_run(const char *cwd, const char *log, char *const argv[], unsigned timeout_ms, char *err,
             size_t errlen);
/* true when the child has exited (reaps it; p->status). */
bool demo_exited(demo_proc *p);
/* Waits up to timeout_ms for the child to exit; true when it has. */
bool demo_wait(demo_proc *p, unsigned timeout_ms);
/* SIGTERM, wait up to grace_ms, then SIGKILL. Returns true when it ended by itself after
 * SIGTERM (a clean stop). */
bool demo_stop(demo_proc *p, unsigned grace_ms);
/* "exit 0", "exit 3", "killed by signal 9" */
const char *demo_exit_text(const demo_proc *p, char *buf, size_t cap);
/* A free TCP port on 127.0.0.1, held (bound, never listening) until the process ends so that
 * no other program is given it before our server listens on it (SO_REUSEADDR); or -1. */
int demo_free_port(void);
/* One JSON status from a gateway's unix socket; bytes read or -1. */
int demo_status(const char *sock, char *buf, size_t cap);
/* Prints the last lines of a log file, indented, to stderr. */
void demo_log_tail(const char *path, int lines);

/* ---- JSON (demo_json.c) ------------------------------------------------------------ */

/* The raw text of the value of key in the object starting at obj (top level of that object
 * only); NULL when absent. *len is the value's length. */
const char *demo_json_raw(const char *obj, const char *key, size_t *len);
/* The string value (unescaped, truncated to cap), or the literal of a number / bool;
 * returns false (out = "") when absent or null. */
bool demo_json_str(const char *obj, const char *key, char *out, size_t cap);
/* A number (or def when absent). */
long long demo_json_int(const char *obj, const char *key, long long def);
/* true when the key holds true. */
bool demo_json_true(const char *obj, const char *key);
/* Iterates an array value (from demo_json_raw): *pos starts at the '['; returns each
 * element's start and length, NULL at the end. */
const char *demo_json_next(const char *arr, size_t arr_len, size_t *pos, size_t *len);
/* Iterates an object value's members: key (truncated to kcap) and the raw value. */
const char *demo_json_member(const char *obj, size_t obj_len, size_t *pos, char *key, size_t kcap,
                             size_t *len);

/* ---- traffic (demo_traffic.c) ------------------------------------------------------ */

typedef struct {
    const char *what; /* "location update: authentication" */
    ssgw_map_opcode op;
    const char *from_gt; /* calling GT */
    uint8_t from_ssn;
    const char *to_gt; /* called GT */
    uint8_t to_ssn;
    uint32_t opc, dpc;
    const char *imsi; /* IMSI in the argument (or destinationReference with open_info) */
    const char *msisdn;
    const char *vlr, *msc, *smsc; /* node numbers in the argument ("" / NULL: none) */
    bool open_info; /* MAP-OpenInfo destinationReference = imsi, originationReference */
    uint32_t otid;  /* TCAP originating transaction id */
} demo_msg;

/* Writes one M3UA DATA (SCCP UDT class 1, TCAP Begin + AARQ + Invoke) per spec into a pcap
 * (Ethernet/IPv4/SCTP, PPID 3) that `ssgw peer --replay` sends. 0, or -1 with err. */
int demo_write_flow(const char *path, const demo_msg *m, size_t n, char *err, size_t errlen);

typedef struct {
    char attack[40]; /* catalogue name */
    char check[32];  /* the check the label expects */
    char also[96];   /* other fair checks, comma separated */
    char op[40];
    char calling_gt[24], called_gt[24];
    char tcap[16];
    char tid[24]; /* the otid (Begin/Continue) or dtid, as the decode records write it */
    long long opc;
    /* a call (ISUP): its message ("iam") and calling number; a short message's sender */
    char isup[8], calling_number[24];
    char sms_sender[24];
} demo_attack;

/* Keeps the inbound frames labelled "attack" of an `ssgw attack` capture (labels: its
 * JSON-lines sidecar): writes them to out_pcap and describes them in list (up to cap).
 * Returns how many, or -1 with err. */
int demo_pick_attacks(const char *pcap, const char *labels, const char *out_pcap, demo_attack *list,
                      size_t cap, char *err, size_t errlen);

#endif
