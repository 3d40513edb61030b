/*
 * ca.h - the Trusted Signalling Certification Authority (TSCA): key files,
 * the numbering registry, the hash-chained audit log and the CA workflow
 * (init, request, verify-request, approve, issue, revoke, list, bundle).
 * The `tsca` program (tools/tsca/) is a thin shell over these functions;
 * docs/tsca.md is the operator guide and describes every file.
 *
 * Errors: functions return 0 (or a count) on success and -1 on failure with a
 * one-line message for a person in err/errlen naming the file, the value and
 * what was expected. Private keys are never printed; key files are written
 * 0600 and refused when group or others can read or write them.
 */
#ifndef SSGW_CA_H
#define SSGW_CA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ssgw/cert.h"
#include "ssgw/cfg.h"
#include "ssgw/file.h"
#include "ssgw/identity.h"
#include "ssgw/keys.h"

/* --- numbering registry (src/ca/registry.c) --- */

typedef enum { SSGW_REG_E164 = 0, SSGW_REG_E212 = 1 } ssgw_reg_kind;
/* "e164", "e212". */
const char *ssgw_reg_kind_name(ssgw_reg_kind k);

typedef struct {
    char holder[SSGW_ID_NAME_MAX];
    char country[3];
    ssgw_reg_kind kind;
    ssgw_gt_range range; /* E.164: the number range; E.212: from == to == the MCC-MNC */
    unsigned line;       /* line in the registry file */
} ssgw_registry_entry;

typedef struct {
    ssgw_registry_entry *e;
    size_t n;
    char path[1024];
    uint8_t sha256[32]; /* of the whole file, recorded as evidence */
} ssgw_registry;

/* Loads a registry file (format in docs/tsca.md). Errors name file:line and the field. */
int ssgw_registry_load(const char *path, ssgw_registry *reg, char *err, size_t errlen);
void ssgw_registry_free(ssgw_registry *reg);

/*
 * Checks every claim of id: each MCC-MNC must be an E.212 entry, and each GT
 * range must lie entirely inside one E.164 entry, held by id->name in
 * id->country. On success writes the evidence, one line per claim ("gt
 * 447700000000-447799999999 <= registry line 7 (447700000000-447799999999)")
 * into evidence. On failure err names the exact claim that failed and, when
 * another holder holds it, who.
 */
int ssgw_registry_check(const ssgw_registry *reg, const ssgw_identity *id, char *evidence,
                        size_t evlen, char *err, size_t errlen);

/* --- audit log (src/ca/audit.c) --- */

/* SHA-256 (hex) of "OpenSSGW TSCA audit log v1": the "prev" of line 1. */
const char *ssgw_audit_genesis(void);

/*
 * Appends one event to DIR/audit.log: {"n":N,"time":"...","event":"EVENT",
 * "prev":"<sha256 hex of line N-1>"<fields>} where fields_json is NULL or
 * starts with ',' ("," "\"serial\":\"ab12\""...); updates DIR/audit.head.
 */
int ssgw_audit_append(const char *dir, const char *event, const char *fields_json, char *err,
                      size_t errlen);
/*
 * Verifies the whole chain and the head file. Returns the number of lines, or
 * -1 with *bad_line (1-based; 0 when the problem is not a single line) and a
 * message naming it.
 */
long ssgw_audit_verify(const char *dir, size_t *bad_line, char *err, size_t errlen);
/* Appends s to out as a JSON string (quotes included), escaping as RFC 8259 requires. */
void ssgw_json_escape(const char *s, char *out, size_t outlen);

/* --- the CA (src/ca/ca.c, src/ca/request.c) --- */

typedef struct {
    int approvals_required; /* 1 or 2 (two different officers) */
    int cert_days;          /* end-entity validity */
    int bundle_days;        /* default bundle validity */
    char registry[1024];    /* numbering registry file */
    /* [serve]: `tsca serve DIR` (its command-line options override these) */
    char serve_listen[80];     /* "ADDR:PORT" ("" = --listen is required) */
    char serve_tls_cert[1024]; /* PEM certificate chain: HTTPS ("" = plain HTTP) */
    char serve_tls_key[1024];  /* PEM private key (0600) */
    int serve_max_connections; /* connections at once */
    int serve_max_per_ip;      /* connections at once from one address */
    int serve_timeout_s;       /* idle connections are closed after this */
} ssgw_ca_config;

/*
 * Reads DIR/tsca.conf (src/ca/ca_config.c; the keys are in docs/tsca.md):
 * TOML top-level keys; an unquoted registry path, as older versions of `tsca
 * init` wrote it, is still read. Returns 0, or -1 with every error, one per
 * line, "FILE:LINE:COL: error: key: VALUE: what is allowed", in err.
 */
int ssgw_ca_config_load(const char *dir, ssgw_ca_config *cfg, char *err, size_t errlen);
/* The same from text (name is the file name used in messages). */
int ssgw_ca_config_parse(const char *name, const char *text, size_t len, ssgw_ca_config *cfg,
                         char *err, size_t errlen);
/* The declared keys of tsca.conf (include/ssgw/cfg.h). */
const ssgw_cfg_schema *ssgw_ca_config_schema(void);

typedef struct {
    const char *ca_name; /* subject CN prefix, e.g. "Example TSCA" */
    int approvals_required;
    int root_days, issuing_days, cert_days, bundle_days;
    const char *registry; /* path stored in tsca.conf (made absolute) */
} ssgw_ca_init_opts;

/* Creates DIR (must not exist or be empty): keys, certificates, tsca.conf, audit.log. */
int ssgw_ca_init(const char *dir, const ssgw_ca_init_opts *o, char *err, size_t errlen);

/* Parses "23415,23416" / "4477-4478,447700000000-447799999999" / "1234,5678" into id. */
int ssgw_identity_parse_lists(ssgw_identity *id, const char *mccmnc, const char *gt, const char *pc,
                              char *err, size_t errlen);
/* Parses the telephone-number claims "447924,447700000000-447799999999" into id->tn
 * (NULL or "": none). Returns 0, or -1 with err naming the bad range. */
int ssgw_identity_parse_tn(ssgw_identity *id, const char *tn, char *err, size_t errlen);

/*
 * Operator side: generates the signing key (sign_alg) and the key-agreement
 * key (ka_alg), writes them 0600 to key_path and ka_key_path, and writes the
 * enrolment request (docs/tsca.md "Request file") to req_path.
 */
int ssgw_ca_request_create(const ssgw_identity *claims, const char *contact, const char *sign_alg,
                           const char *ka_alg, const char *key_path, const char *ka_key_path,
                           const char *req_path, char *err, size_t errlen);

typedef struct {
    char *raw; /* the file */
    size_t raw_len;
    char id[17];      /* first 16 hex digits of SHA-256 of the file */
    X509_REQ *csr;    /* signed by the signing key; carries identity + KA binding */
    EVP_PKEY *ka_pub; /* the key-agreement public key */
    ssgw_identity claims;
    char contact[256];
} ssgw_ca_request;

/* Loads and checks a request: CSR signature, identity extension, KA binding, header agreement. */
int ssgw_ca_request_load(const char *path, ssgw_ca_request *r, char *err, size_t errlen);
void ssgw_ca_request_free(ssgw_ca_request *r);

/*
 * Checks the request against the registry (registry_override or the
 * configured one) and records the result and evidence. report receives the
 * evidence lines. Refusals are recorded in the audit log too.
 */
int ssgw_ca_verify_request(const char *dir, const char *req_path, const char *registry_override,
                           char *report, size_t replen, char *err, size_t errlen);
/* Records officer's approval; returns the number of approvals so far, or -1. */
int ssgw_ca_approve(const char *dir, const char *req_path, const char *officer, char *err,
                    size_t errlen);

typedef struct {
    time_t not_before; /* 0: now */
    time_t not_after;  /* 0: not_before + cert_days */
} ssgw_ca_issue_opts;

/* Issues the signing and key-agreement certificates (PEM, in that order) into out_path. */
int ssgw_ca_issue(const char *dir, const char *req_path, const char *out_path,
                  const ssgw_ca_issue_opts *o, char *serials, size_t serlen, char *err,
                  size_t errlen);
/* Revokes the enrolment owning serial (both of its certificates). */
int ssgw_ca_revoke(const char *dir, const char *serial, ssgw_revoke_reason reason, char *err,
                   size_t errlen);
/* Prints requests and certificates, one line each. */
int ssgw_ca_list(const char *dir, FILE *out, char *err, size_t errlen);
/*
 * Writes a new bundle (sequence = last + 1, stored in DIR/bundle.seq) to
 * out_path and DIR/current.bundle, valid from now for validity_s seconds
 * (0: the configured bundle_days).
 */
int ssgw_ca_bundle(const char *dir, const char *out_path, long long validity_s, time_t now,
                   uint64_t *sequence, char *err, size_t errlen);

#endif
