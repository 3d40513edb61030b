/*
 * ca.c - the TSCA workflow over a CA directory (docs/tsca.md "Files"):
 * init, verify-request, approve, issue, revoke, list and bundle.
 *
 * Certificates follow RFC 5280: root (self-signed, CA, keyCertSign|cRLSign),
 * issuing CA (pathLen 0, keyCertSign|cRLSign|digitalSignature: it also signs
 * the trust bundle), and per enrolment two end-entity certificates, one for
 * the signing key (digitalSignature) and one for the key-agreement key
 * (keyAgreement), both carrying the signalling-identity extension. Serial
 * numbers are 128 random bits (RFC 5280 4.1.2.2 allows up to 20 octets).
 * Every state change is appended to the hash-chained audit log.
 */
#include "ssgw/ca.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "ssgw/bundle.h"
#include "ssgw/toml.h"
#include "ca/ca_int.h"

#define MAX_OFFICERS 8

static void path_of(char *out, size_t n, const char *dir, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

/* --- certificates --- */

static int random_serial(X509 *x)
{
    unsigned char r[16];
    do {
        if (RAND_bytes(r, sizeof r) != 1) return -1;
    } while (r[0] == 0); /* keep all 128 bits significant */
    BIGNUM *bn = BN_bin2bn(r, sizeof r, NULL);
    int ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
    BN_free(bn);
    return ok ? 0 : -1;
}

static X509_NAME *make_name(const char *country, const char *org, const char *cn)
{
    X509_NAME *n = X509_NAME_new();
    if (!n) return NULL;
    if (country)
        X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)country, -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)org, -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    return n;
}

struct ext {
    int nid;
    const char *value;
};

/* Builds and signs a certificate. issuer NULL: self-signed by subject_key. */
static X509 *make_cert(X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *subject_key,
                       X509_NAME *subject, time_t nb, time_t na, const struct ext *exts,
                       X509_EXTENSION *extra)
{
    X509 *x = X509_new();
    if (!x) return NULL;
    X509V3_CTX ctx;
    bool ok = X509_set_version(x, 2) && random_serial(x) == 0 &&
              X509_set_subject_name(x, subject) &&
              X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : subject) &&
              X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &nb) &&
              X509_time_adj_ex(X509_getm_notAfter(x), 0, 0, &na) && X509_set_pubkey(x, subject_key);
    if (ok) {
        X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
        for (const struct ext *e = exts; ok && e->nid; e++) {
            X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, e->nid, e->value);
            ok = ext && X509_add_ext(x, ext, -1);
            X509_EXTENSION_free(ext);
        }
    }
    if (ok && extra) ok = X509_add_ext(x, extra, -1);
    if (ok) ok = X509_sign(x, issuer_key, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(x);
        return NULL;
    }
    return x;
}

static int write_cert(const char *path, X509 *x, char *err, size_t errlen)
{
    BIO *m = BIO_new(BIO_s_mem());
    if (!m || !PEM_write_bio_X509(m, x)) {
        BIO_free(m);
        return ssgw_ca_fail(err, errlen, "%s: cannot encode certificate", path);
    }
    char *p;
    long n = BIO_get_mem_data(m, &p);
    int rc = ssgw_file_write_atomic(path, p, (size_t)n, 0644, err, errlen);
    BIO_free(m);
    return rc;
}

static void fingerprint(X509 *x, char out[65])
{
    unsigned char md[32];
    unsigned n = 0;
    X509_digest(x, EVP_sha256(), md, &n);
    ssgw_hex(md, 32, out, 65);
}

int ssgw_ca_init(const char *dir, const ssgw_ca_init_opts *o, char *err, size_t errlen)
{
    char path[1100], why[200];
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return ssgw_ca_fail(err, errlen, "%s: %s", dir, strerror(errno));
    path_of(path, sizeof path, dir, "root.key");
    if (access(path, F_OK) == 0)
        return ssgw_ca_fail(err, errlen, "%s: a CA already exists here (%s)", dir, path);
    char sub[1100];
    path_of(sub, sizeof sub, dir, "requests");
    mkdir(sub, 0700);
    path_of(sub, sizeof sub, dir, "issued");
    mkdir(sub, 0755);

    time_t now = time(NULL);
    EVP_PKEY *rk = ssgw_key_generate("p256", err, errlen);
    EVP_PKEY *ik = rk ? ssgw_key_generate("p256", err, errlen) : NULL;
    X509 *root = NULL, *iss = NULL;
    int rc = -1;
    char cn[256];
    if (!ik) goto done;
    snprintf(cn, sizeof cn, "%s Root CA", o->ca_name);
    X509_NAME *rn = make_name(NULL, o->ca_name, cn);
    static const struct ext root_exts[] = {
        {NID_basic_constraints, "critical,CA:TRUE"},
        {NID_key_usage, "critical,keyCertSign,cRLSign"},
        {NID_subject_key_identifier, "hash"},
        {0, NULL},
    };
    root = rn ? make_cert(NULL, rk, rk, rn, now - 60, now + (time_t)o->root_days * 86400, root_exts,
                          NULL)
              : NULL;
    X509_NAME_free(rn);
    snprintf(cn, sizeof cn, "%s Issuing CA", o->ca_name);
    X509_NAME *inm = make_name(NULL, o->ca_name, cn);
    static const struct ext iss_exts[] = {
        {NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
        {NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature"},
        {NID_subject_key_identifier, "hash"},
        {NID_authority_key_identifier, "keyid:always"},
        {0, NULL},
    };
    iss = root && inm ? make_cert(root, rk, ik, inm, now - 60,
                                  now + (time_t)o->issuing_days * 86400, iss_exts, NULL)
                      : NULL;
    X509_NAME_free(inm);
    if (!root || !iss) {
        ssgw_ca_fail(err, errlen, "building the CA certificates failed: %s",
                     ssgw_ossl_reason(why, sizeof why));
        goto done;
    }
    path_of(path, sizeof path, dir, "root.key");
    if (ssgw_key_write(path, rk, err, errlen) < 0) goto done;
    path_of(path, sizeof path, dir, "issuing.key");
    if (ssgw_key_write(path, ik, err, errlen) < 0) goto done;
    path_of(path, sizeof path, dir, "root.crt");
    if (write_cert(path, root, err, errlen) < 0) goto done;
    path_of(path, sizeof path, dir, "issuing.crt");
    if (write_cert(path, iss, err, errlen) < 0) goto done;

    char reg[1024] = "";
    if (o->registry && *o->registry) {
        if (o->registry[0] == '/' || !realpath(o->registry, reg))
            snprintf(reg, sizeof reg, "%s", o->registry);
    }
    char conf[4096], quoted[2100];
    if (ssgw_toml_quote(reg[0] ? reg : "/path/to/numbering-registry.csv", quoted, sizeof quoted) <
        0) {
        ssgw_ca_fail(err, errlen, "registry path '%s' cannot be written to tsca.conf", reg);
        goto done;
    }
    int n =
        snprintf(conf, sizeof conf,
                 "# TSCA configuration (docs/tsca.md), TOML\n"
                 "# 1: one officer approves; 2: two different officers must approve\n"
                 "approvals_required = %d\n"
                 "# validity of end-entity certificates and of trust bundles, in days\n"
                 "cert_days = %d\nbundle_days = %d\n"
                 "# numbering registry the claims are checked against\n"
                 "%sregistry = %s\n",
                 o->approvals_required, o->cert_days, o->bundle_days, reg[0] ? "" : "# ", quoted);
    path_of(path, sizeof path, dir, "tsca.conf");
    if (ssgw_file_write_atomic(path, conf, (size_t)n, 0644, err, errlen) < 0) goto done;
    path_of(path, sizeof path, dir, "bundle.seq");
    if (ssgw_file_write_atomic(path, "0\n", 2, 0644, err, errlen) < 0) goto done;
    char fr[65], fi[65], f[512], nm[300];
    fingerprint(root, fr);
    fingerprint(iss, fi);
    ssgw_json_escape(o->ca_name, nm, sizeof nm);
    snprintf(f, sizeof f, ",\"ca\":%s,\"root_sha256\":\"%s\",\"issuing_sha256\":\"%s\"", nm, fr,
             fi);
    rc = ssgw_audit_append(dir, "init", f, err, errlen);
done:
    X509_free(root);
    X509_free(iss);
    EVP_PKEY_free(rk);
    EVP_PKEY_free(ik);
    return rc;
}

/* --- request state (DIR/requests/<id>.state) --- */

struct state {
    bool verified;
    char verified_at[32];
    char reg_sha[65];
    char reg_path[1024];
    size_t n_off;
    char officers[MAX_OFFICERS][128];
    bool issued;
    char sign_serial[SSGW_SERIAL_HEX_MAX], ka_serial[SSGW_SERIAL_HEX_MAX];
    char evidence[8192];
};

static int state_load(const char *dir, const char *id, struct state *s)
{
    char path[1200];
    char *data;
    size_t len;
    memset(s, 0, sizeof *s);
    snprintf(path, sizeof path, "%s/requests/%s.state", dir, id);
    if (access(path, F_OK) != 0) return 0;
    if (ssgw_file_read(path, 1 << 20, &data, &len, NULL, 0) < 0) return -1;
    char *save = NULL;
    for (char *l = strtok_r(data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (!strncmp(l, "verified ", 9)) {
            s->verified =
                sscanf(l + 9, "%31s %64s %1023[^\n]", s->verified_at, s->reg_sha, s->reg_path) == 3;
        } else if (!strncmp(l, "evidence ", 9)) {
            size_t el = strlen(s->evidence);
            snprintf(s->evidence + el, sizeof s->evidence - el, "%s\n", l + 9);
        } else if (!strncmp(l, "approval ", 9) && s->n_off < MAX_OFFICERS) {
            const char *sp = strchr(l + 9, ' ');
            if (sp) snprintf(s->officers[s->n_off++], 128, "%s", sp + 1);
        } else if (!strncmp(l, "issued ", 7)) {
            s->issued = sscanf(l + 7, "%47s %47s", s->sign_serial, s->ka_serial) == 2;
        }
    }
    free(data);
    return 0;
}

static int state_add(const char *dir, const char *id, const char *lines, bool replace, char *err,
                     size_t errlen)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/requests/%s.state", dir, id);
    char *old = NULL;
    size_t ol = 0;
    if (!replace && access(path, F_OK) == 0 &&
        ssgw_file_read(path, 1 << 20, &old, &ol, err, errlen) < 0)
        return -1;
    size_t nl = strlen(lines);
    char *buf = malloc(ol + nl + 1);
    if (!buf) {
        free(old);
        return ssgw_ca_fail(err, errlen, "out of memory");
    }
    if (ol) memcpy(buf, old, ol);
    memcpy(buf + ol, lines, nl);
    int rc = ssgw_file_write_atomic(path, buf, ol + nl, 0600, err, errlen);
    free(buf);
    free(old);
    return rc;
}

static void req_fields(const ssgw_ca_request *r, char *out, size_t n)
{
    char nm[300];
    ssgw_json_escape(r->claims.name, nm, sizeof nm);
    snprintf(out, n, ",\"request\":\"%s\",\"operator\":%s", r->id, nm);
}

int ssgw_ca_verify_request(const char *dir, const char *req_path, const char *registry_override,
                           char *report, size_t replen, char *err, size_t errlen)
{
    ssgw_ca_config cfg;
    ssgw_ca_request r;
    ssgw_registry reg;
    if (ssgw_ca_config_load(dir, &cfg, err, errlen) < 0) return -1;
    const char *rp = registry_override && *registry_override ? registry_override : cfg.registry;
    if (!*rp)
        return ssgw_ca_fail(err, errlen,
                            "no numbering registry: set 'registry' in %s/tsca.conf "
                            "or pass --registry",
                            dir);
    if (ssgw_ca_request_load(req_path, &r, err, errlen) < 0) return -1;
    if (ssgw_registry_load(rp, &reg, err, errlen) < 0) {
        ssgw_ca_request_free(&r);
        return -1;
    }
    char ev[8192], f[12000], sha[65], t[32], why[1024];
    ssgw_hex(reg.sha256, 32, sha, sizeof sha);
    int rc = ssgw_registry_check(&reg, &r.claims, ev, sizeof ev, why, sizeof why);
    char base[400], reason[1100];
    req_fields(&r, base, sizeof base);
    if (rc < 0) {
        ssgw_ca_fail(err, errlen, "%s", why);
        ssgw_json_escape(why, reason, sizeof reason);
        snprintf(f, sizeof f, "%s,\"registry_sha256\":\"%s\",\"reason\":%s", base, sha, reason);
        ssgw_audit_append(dir, "verify-refused", f, NULL, 0);
        goto done;
    }
    /* keep a copy of the request: issue and approve work on what was verified */
    char path[1200];
    snprintf(path, sizeof path, "%s/requests/%s.req", dir, r.id);
    if (ssgw_file_write_atomic(path, r.raw, r.raw_len, 0644, err, errlen) < 0) {
        rc = -1;
        goto done;
    }
    struct state st;
    state_load(dir, r.id, &st);
    ssgw_ca_fmt_time(time(NULL), t);
    char lines[12000];
    int n = snprintf(lines, sizeof lines, "verified %s %s %s\n", t, sha, reg.path);
    for (char *p = ev; *p && n > 0 && (size_t)n < sizeof lines;) {
        char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        n += snprintf(lines + n, sizeof lines - (size_t)n, "evidence %.*s\n", (int)l, p);
        p = nl ? nl + 1 : p + l;
    }
    for (size_t i = 0; i < st.n_off && n > 0 && (size_t)n < sizeof lines; i++)
        n += snprintf(lines + n, sizeof lines - (size_t)n, "approval %s %s\n", t, st.officers[i]);
    if (st.issued && n > 0 && (size_t)n < sizeof lines)
        snprintf(lines + n, sizeof lines - (size_t)n, "issued %s %s\n", st.sign_serial,
                 st.ka_serial);
    if (state_add(dir, r.id, lines, true, err, errlen) < 0) {
        rc = -1;
        goto done;
    }
    char evj[9000], rpj[1200];
    ssgw_json_escape(ev, evj, sizeof evj);
    ssgw_json_escape(reg.path, rpj, sizeof rpj);
    snprintf(f, sizeof f, "%s,\"registry\":%s,\"registry_sha256\":\"%s\",\"evidence\":%s", base,
             rpj, sha, evj);
    rc = ssgw_audit_append(dir, "verify", f, err, errlen);
    if (report && replen)
        snprintf(report, replen, "request %s (%s): verified against %s (sha256 %s)\n%s", r.id,
                 r.claims.name, reg.path, sha, ev);
done:
    ssgw_registry_free(&reg);
    ssgw_ca_request_free(&r);
    return rc;
}

int ssgw_ca_approve(const char *dir, const char *req_path, const char *officer, char *err,
                    size_t errlen)
{
    ssgw_ca_config cfg;
    ssgw_ca_request r;
    if (!officer || !*officer || strlen(officer) >= 128 || strpbrk(officer, "\n\r\t"))
        return ssgw_ca_fail(err, errlen, "--officer: a name of 1..127 characters is required");
    if (ssgw_ca_config_load(dir, &cfg, err, errlen) < 0) return -1;
    if (ssgw_ca_request_load(req_path, &r, err, errlen) < 0) return -1;
    struct state st;
    int rc = -1;
    state_load(dir, r.id, &st);
    if (!st.verified) {
        ssgw_ca_fail(err, errlen,
                     "request %s has not been verified against the registry: run `tsca "
                     "verify-request` first",
                     r.id);
        goto done;
    }
    if (st.issued) {
        ssgw_ca_fail(err, errlen, "request %s is already issued", r.id);
        goto done;
    }
    for (size_t i = 0; i < st.n_off; i++)
        if (!strcmp(st.officers[i], officer)) {
            if (cfg.approvals_required > 1)
                ssgw_ca_fail(err, errlen,
                             "officer '%s' has already approved request %s; %d different "
                             "officers must approve",
                             officer, r.id, cfg.approvals_required);
            else
                ssgw_ca_fail(err, errlen, "officer '%s' has already approved request %s", officer,
                             r.id);
            goto done;
        }
    if ((int)st.n_off >= cfg.approvals_required) {
        ssgw_ca_fail(err, errlen, "request %s already has the %d approval(s) it needs", r.id,
                     cfg.approvals_required);
        goto done;
    }
    char t[32], line[300], f[800], oj[300];
    ssgw_ca_fmt_time(time(NULL), t);
    snprintf(line, sizeof line, "approval %s %s\n", t, officer);
    if (state_add(dir, r.id, line, false, err, errlen) < 0) goto done;
    req_fields(&r, f, sizeof f);
    ssgw_json_escape(officer, oj, sizeof oj);
    size_t fl = strlen(f);
    snprintf(f + fl, sizeof f - fl, ",\"officer\":%s,\"approvals\":%zu,\"required\":%d", oj,
             st.n_off + 1, cfg.approvals_required);
    if (ssgw_audit_append(dir, "approve", f, err, errlen) < 0) goto done;
    rc = (int)st.n_off + 1;
done:
    ssgw_ca_request_free(&r);
    return rc;
}

/* --- index of issued certificates (DIR/index.tsv) --- */

struct idx_row {
    char serial[SSGW_SERIAL_HEX_MAX];
    char kind[8]; /* sign | ka */
    char req[17];
    char not_after[32];
    char status; /* V valid, R revoked */
    char reason[32];
    char revoked_at[32];
    char name[SSGW_ID_NAME_MAX];
};

static int idx_load(const char *dir, struct idx_row **rows, size_t *n, char *err, size_t errlen)
{
    char path[1100];
    char *data;
    size_t len;
    *rows = NULL;
    *n = 0;
    path_of(path, sizeof path, dir, "index.tsv");
    if (access(path, F_OK) != 0) return 0;
    if (ssgw_file_read(path, 64u << 20, &data, &len, err, errlen) < 0) return -1;
    size_t cap = 0;
    char *save = NULL;
    for (char *l = strtok_r(data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (*l == '#') continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            struct idx_row *nr = realloc(*rows, cap * sizeof *nr);
            if (!nr) {
                free(data);
                return ssgw_ca_fail(err, errlen, "out of memory");
            }
            *rows = nr;
        }
        struct idx_row *r = &(*rows)[*n];
        memset(r, 0, sizeof *r);
        if (sscanf(l, "%47[^\t]\t%7[^\t]\t%16[^\t]\t%31[^\t]\t%c\t%31[^\t]\t%31[^\t]\t%127[^\n]",
                   r->serial, r->kind, r->req, r->not_after, &r->status, r->reason, r->revoked_at,
                   r->name) != 8) {
            free(data);
            return ssgw_ca_fail(err, errlen, "%s: malformed line '%s'", path, l);
        }
        (*n)++;
    }
    free(data);
    return 0;
}

static int idx_save(const char *dir, const struct idx_row *rows, size_t n, char *err, size_t errlen)
{
    char path[1100];
    path_of(path, sizeof path, dir, "index.tsv");
    size_t cap = 128 + n * 400;
    char *buf = malloc(cap);
    if (!buf) return ssgw_ca_fail(err, errlen, "out of memory");
    size_t o = (size_t)snprintf(buf, cap,
                                "# serial\tkind\trequest\tnot_after\tstatus\treason\trevoked_at\t"
                                "operator\n");
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s\t%s\t%s\t%s\t%c\t%s\t%s\t%s\n", rows[i].serial,
                              rows[i].kind, rows[i].req, rows[i].not_after, rows[i].status,
                              rows[i].reason, rows[i].revoked_at, rows[i].name);
    int rc = ssgw_file_write_atomic(path, buf, o, 0644, err, errlen);
    free(buf);
    return rc;
}

int ssgw_ca_issue(const char *dir, const char *req_path, const char *out_path,
                  const ssgw_ca_issue_opts *o, char *serials, size_t serlen, char *err,
                  size_t errlen)
{
    ssgw_ca_config cfg;
    ssgw_ca_request r;
    char path[1200], why[200];
    if (ssgw_ca_config_load(dir, &cfg, err, errlen) < 0) return -1;
    if (ssgw_ca_request_load(req_path, &r, err, errlen) < 0) return -1;
    struct state st;
    int rc = -1;
    X509 *iss = NULL, *sc = NULL, *kc = NULL;
    EVP_PKEY *ik = NULL;
    X509_EXTENSION *idx = NULL;
    X509_NAME *sn = NULL;
    struct idx_row *rows = NULL;
    size_t nrows = 0;
    state_load(dir, r.id, &st);
    if (!st.verified) {
        ssgw_ca_fail(err, errlen,
                     "request %s has not been verified against the registry: run `tsca "
                     "verify-request` first",
                     r.id);
        goto done;
    }
    if ((int)st.n_off < cfg.approvals_required) {
        ssgw_ca_fail(err, errlen,
                     "request %s has %zu of the %d officer approval(s) required: run `tsca "
                     "approve` first",
                     r.id, st.n_off, cfg.approvals_required);
        goto done;
    }
    if (st.issued) {
        ssgw_ca_fail(err, errlen, "request %s is already issued (serials %s, %s)", r.id,
                     st.sign_serial, st.ka_serial);
        goto done;
    }
    /* the evidence must still hold: the registry may not have changed since verification */
    ssgw_registry reg;
    if (ssgw_registry_load(st.reg_path, &reg, err, errlen) < 0) goto done;
    char sha[65];
    ssgw_hex(reg.sha256, 32, sha, sizeof sha);
    ssgw_registry_free(&reg);
    if (strcmp(sha, st.reg_sha)) {
        ssgw_ca_fail(err, errlen,
                     "the registry %s changed since request %s was verified: run `tsca "
                     "verify-request` again",
                     st.reg_path, r.id);
        goto done;
    }
    path_of(path, sizeof path, dir, "issuing.key");
    if (!(ik = ssgw_key_load(path, err, errlen))) goto done;
    path_of(path, sizeof path, dir, "issuing.crt");
    if (!(iss = ssgw_cert_load_pem(path, err, errlen))) goto done;
    time_t nb = o && o->not_before ? o->not_before : time(NULL) - 60;
    time_t na = o && o->not_after ? o->not_after : nb + (time_t)cfg.cert_days * 86400;
    if (na <= nb) {
        ssgw_ca_fail(err, errlen, "not-after must be later than not-before");
        goto done;
    }
    static const struct ext sign_exts[] = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, "critical,digitalSignature"},
        {NID_subject_key_identifier, "hash"},
        {NID_authority_key_identifier, "keyid:always"},
        {0, NULL},
    };
    static const struct ext ka_exts[] = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, "critical,keyAgreement"},
        {NID_subject_key_identifier, "hash"},
        {NID_authority_key_identifier, "keyid:always"},
        {0, NULL},
    };
    idx = ssgw_cert_identity_ext(&r.claims);
    sn = make_name(r.claims.country, r.claims.name, r.claims.name);
    if (!idx || !sn) goto done;
    sc = make_cert(iss, ik, X509_REQ_get0_pubkey(r.csr), sn, nb, na, sign_exts, idx);
    kc = make_cert(iss, ik, r.ka_pub, sn, nb, na, ka_exts, idx);
    if (!sc || !kc) {
        ssgw_ca_fail(err, errlen, "issuing failed: %s", ssgw_ossl_reason(why, sizeof why));
        goto done;
    }
    char s1[SSGW_SERIAL_HEX_MAX], s2[SSGW_SERIAL_HEX_MAX], t[32], tna[32];
    ssgw_cert_serial_hex(sc, s1, sizeof s1);
    ssgw_cert_serial_hex(kc, s2, sizeof s2);
    BIO *m = BIO_new(BIO_s_mem());
    if (!m || !PEM_write_bio_X509(m, sc) || !PEM_write_bio_X509(m, kc)) {
        BIO_free(m);
        goto done;
    }
    char *p;
    long pl = BIO_get_mem_data(m, &p);
    int wr = ssgw_file_write_atomic(out_path, p, (size_t)pl, 0644, err, errlen);
    BIO_free(m);
    if (wr < 0) goto done;
    snprintf(path, sizeof path, "%s/issued/%s.crt", dir, s1);
    if (write_cert(path, sc, err, errlen) < 0) goto done;
    snprintf(path, sizeof path, "%s/issued/%s.crt", dir, s2);
    if (write_cert(path, kc, err, errlen) < 0) goto done;
    if (idx_load(dir, &rows, &nrows, err, errlen) < 0) goto done;
    struct idx_row *nr = realloc(rows, (nrows + 2) * sizeof *rows);
    if (!nr) goto done;
    rows = nr;
    ssgw_ca_fmt_time(na, tna);
    for (int k = 0; k < 2; k++) {
        struct idx_row *row = &rows[nrows++];
        memset(row, 0, sizeof *row);
        snprintf(row->serial, sizeof row->serial, "%s", k ? s2 : s1);
        snprintf(row->kind, sizeof row->kind, "%s", k ? "ka" : "sign");
        memcpy(row->req, r.id, sizeof row->req);
        snprintf(row->not_after, sizeof row->not_after, "%s", tna);
        row->status = 'V';
        snprintf(row->reason, sizeof row->reason, "-");
        snprintf(row->revoked_at, sizeof row->revoked_at, "-");
        snprintf(row->name, sizeof row->name, "%s", r.claims.name);
    }
    if (idx_save(dir, rows, nrows, err, errlen) < 0) goto done;
    char line[200];
    snprintf(line, sizeof line, "issued %s %s\n", s1, s2);
    if (state_add(dir, r.id, line, false, err, errlen) < 0) goto done;
    uint8_t k1[SSGW_KEY_ID_LEN], k2[SSGW_KEY_ID_LEN];
    char h1[20], h2[20], f[1200];
    ssgw_cert_key_id(sc, k1);
    ssgw_cert_key_id(kc, k2);
    ssgw_ca_fmt_time(nb, t);
    req_fields(&r, f, sizeof f);
    size_t fl = strlen(f);
    snprintf(f + fl, sizeof f - fl,
             ",\"sign_serial\":\"%s\",\"ka_serial\":\"%s\",\"sign_key_id\":\"%s\","
             "\"ka_key_id\":\"%s\",\"not_before\":\"%s\",\"not_after\":\"%s\"",
             s1, s2, ssgw_hex(k1, 8, h1, sizeof h1), ssgw_hex(k2, 8, h2, sizeof h2), t, tna);
    if (ssgw_audit_append(dir, "issue", f, err, errlen) < 0) goto done;
    if (serials && serlen) snprintf(serials, serlen, "%s %s", s1, s2);
    rc = 0;
done:
    free(rows);
    X509_NAME_free(sn);
    X509_EXTENSION_free(idx);
    X509_free(sc);
    X509_free(kc);
    X509_free(iss);
    EVP_PKEY_free(ik);
    ssgw_ca_request_free(&r);
    return rc;
}

static void normalise_serial(const char *in, char *out, size_t n)
{
    size_t o = 0;
    if (!strncmp(in, "0x", 2) || !strncmp(in, "0X", 2)) in += 2;
    for (; *in && o + 1 < n; in++) {
        if (*in == ':') continue;
        char c = *in;
        if (c >= 'A' && c <= 'F') c = (char)(c - 'A' + 'a');
        if (o == 0 && c == '0' && in[1]) continue;
        out[o++] = c;
    }
    out[o] = '\0';
}

int ssgw_ca_revoke(const char *dir, const char *serial, ssgw_revoke_reason reason, char *err,
                   size_t errlen)
{
    struct idx_row *rows;
    size_t n;
    char want[SSGW_SERIAL_HEX_MAX];
    normalise_serial(serial, want, sizeof want);
    if (idx_load(dir, &rows, &n, err, errlen) < 0) return -1;
    const struct idx_row *hit = NULL;
    for (size_t i = 0; i < n && !hit; i++)
        if (!strcmp(rows[i].serial, want)) hit = &rows[i];
    int rc = -1;
    if (!hit) {
        ssgw_ca_fail(err, errlen, "serial %s: no certificate with that serial in %s/index.tsv",
                     want, dir);
        goto done;
    }
    if (hit->status == 'R') {
        ssgw_ca_fail(err, errlen, "serial %s is already revoked (%s at %s)", want, hit->reason,
                     hit->revoked_at);
        goto done;
    }
    char req[17], t[32], f[600], nm[300], list[200] = "";
    memcpy(req, hit->req, sizeof req);
    ssgw_ca_fmt_time(time(NULL), t);
    ssgw_json_escape(hit->name, nm, sizeof nm);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].req, req) && rows[i].status != 'R') {
            rows[i].status = 'R';
            snprintf(rows[i].reason, sizeof rows[i].reason, "%s", ssgw_revoke_reason_name(reason));
            snprintf(rows[i].revoked_at, sizeof rows[i].revoked_at, "%s", t);
            size_t ll = strlen(list);
            snprintf(list + ll, sizeof list - ll, "%s\"%s\"", ll ? "," : "", rows[i].serial);
        }
    if (idx_save(dir, rows, n, err, errlen) < 0) goto done;
    snprintf(f, sizeof f, ",\"request\":\"%s\",\"operator\":%s,\"serials\":[%s],\"reason\":\"%s\"",
             req, nm, list, ssgw_revoke_reason_name(reason));
    rc = ssgw_audit_append(dir, "revoke", f, err, errlen);
done:
    free(rows);
    return rc;
}

int ssgw_ca_list(const char *dir, FILE *out, char *err, size_t errlen)
{
    char path[1100];
    path_of(path, sizeof path, dir, "requests");
    DIR *d = opendir(path);
    if (!d) return ssgw_ca_fail(err, errlen, "%s: %s", path, strerror(errno));
    fprintf(out, "requests:\n");
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l != 16 + 6 || strcmp(de->d_name + 16, ".state")) continue;
        char id[17];
        memcpy(id, de->d_name, 16);
        id[16] = '\0';
        struct state st;
        state_load(dir, id, &st);
        char rq[1200];
        snprintf(rq, sizeof rq, "%s/requests/%s.req", dir, id);
        ssgw_ca_request r;
        char e2[256];
        const char *name = "?";
        if (ssgw_ca_request_load(rq, &r, e2, sizeof e2) == 0) name = r.claims.name;
        fprintf(out, "  %s  %-9s approvals=%zu  %s\n", id,
                st.issued     ? "issued"
                : st.verified ? "verified"
                              : "new",
                st.n_off, name);
        if (name[0] != '?') ssgw_ca_request_free(&r);
    }
    closedir(d);
    struct idx_row *rows;
    size_t n;
    if (idx_load(dir, &rows, &n, err, errlen) < 0) return -1;
    fprintf(out, "certificates:\n");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  %s  %-4s %s  not-after %s  %s%s%s  %s\n", rows[i].serial, rows[i].kind,
                rows[i].req, rows[i].not_after, rows[i].status == 'R' ? "REVOKED " : "valid",
                rows[i].status == 'R' ? rows[i].reason : "", rows[i].status == 'R' ? "" : "",
                rows[i].name);
    free(rows);
    return 0;
}

static int parse_iso(const char *s, time_t *out)
{
    struct tm tm = {0};
    int y, mo, d, h, mi, se;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h, &mi, &se) != 6) return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    *out = timegm(&tm);
    return 0;
}

int ssgw_ca_bundle(const char *dir, const char *out_path, long long validity_s, time_t now,
                   uint64_t *sequence, char *err, size_t errlen)
{
    ssgw_ca_config cfg;
    char path[1200];
    if (ssgw_ca_config_load(dir, &cfg, err, errlen) < 0) return -1;
    if (validity_s <= 0) validity_s = (long long)cfg.bundle_days * 86400;
    struct idx_row *rows = NULL;
    size_t n = 0;
    ssgw_bundle_cert_pair *pairs = NULL;
    ssgw_bundle_revocation *rev = NULL;
    size_t np = 0, nr = 0;
    X509 *root = NULL, *iss = NULL;
    EVP_PKEY *ik = NULL;
    char *body = NULL, *pem = NULL;
    size_t bl = 0, pl = 0;
    int rc = -1;
    if (idx_load(dir, &rows, &n, err, errlen) < 0) goto done;
    pairs = calloc(n + 1, sizeof *pairs);
    rev = calloc(n + 1, sizeof *rev);
    if (!pairs || !rev) goto done;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].status == 'R') {
            snprintf(rev[nr].serial, sizeof rev[nr].serial, "%s", rows[i].serial);
            if (ssgw_revoke_reason_parse(rows[i].reason, &rev[nr].reason) < 0)
                rev[nr].reason = SSGW_REVOKE_UNSPECIFIED;
            parse_iso(rows[i].revoked_at, &rev[nr].when);
            nr++;
        }
        if (strcmp(rows[i].kind, "sign")) continue;
        for (size_t k = 0; k < n; k++) {
            if (strcmp(rows[k].kind, "ka") || strcmp(rows[k].req, rows[i].req)) continue;
            snprintf(path, sizeof path, "%s/issued/%s.crt", dir, rows[i].serial);
            pairs[np].sign_cert = ssgw_cert_load_pem(path, err, errlen);
            snprintf(path, sizeof path, "%s/issued/%s.crt", dir, rows[k].serial);
            pairs[np].ka_cert = ssgw_cert_load_pem(path, err, errlen);
            if (!pairs[np].sign_cert || !pairs[np].ka_cert) {
                X509_free(pairs[np].sign_cert);
                X509_free(pairs[np].ka_cert);
                goto done;
            }
            np++;
            break;
        }
    }
    path_of(path, sizeof path, dir, "root.crt");
    if (!(root = ssgw_cert_load_pem(path, err, errlen))) goto done;
    path_of(path, sizeof path, dir, "issuing.crt");
    if (!(iss = ssgw_cert_load_pem(path, err, errlen))) goto done;
    path_of(path, sizeof path, dir, "issuing.key");
    if (!(ik = ssgw_key_load(path, err, errlen))) goto done;

    /* the sequence is stored before the bundle is written, so it can skip but never repeat */
    char *sq;
    size_t sl;
    path_of(path, sizeof path, dir, "bundle.seq");
    uint64_t last = 0;
    if (ssgw_file_read(path, 64, &sq, &sl, err, errlen) < 0) goto done;
    char *end;
    last = strtoull(sq, &end, 10);
    bool okseq = end != sq && (*end == '\n' || *end == '\0');
    free(sq);
    if (!okseq) {
        ssgw_ca_fail(err, errlen, "%s: not a sequence number", path);
        goto done;
    }
    char sbuf[32];
    int sn = snprintf(sbuf, sizeof sbuf, "%" PRIu64 "\n", last + 1);
    if (ssgw_file_write_atomic(path, sbuf, (size_t)sn, 0644, err, errlen) < 0) goto done;
    ssgw_bundle_spec spec = {
        .sequence = last + 1,
        .issued_at = now,
        .not_after = now + (time_t)validity_s,
        .root = root,
        .issuing = iss,
        .issuing_key = ik,
        .members = pairs,
        .n_members = np,
        .revoked = rev,
        .n_revoked = nr,
    };
    if (ssgw_bundle_make_body(&spec, &body, &bl, err, errlen) < 0 ||
        ssgw_bundle_sign(&spec, body, bl, &pem, &pl, err, errlen) < 0)
        goto done;
    if (ssgw_file_write_atomic(out_path, pem, pl, 0644, err, errlen) < 0) goto done;
    path_of(path, sizeof path, dir, "current.bundle");
    if (ssgw_file_write_atomic(path, pem, pl, 0644, err, errlen) < 0) goto done;
    unsigned char md[32];
    unsigned mdl;
    char h[65], f[300];
    EVP_Digest(pem, pl, md, &mdl, EVP_sha256(), NULL);
    snprintf(f, sizeof f,
             ",\"sequence\":%" PRIu64 ",\"members\":%zu,\"revoked\":%zu,\"bundle_sha256\":\"%s\"",
             last + 1, np, nr, ssgw_hex(md, 32, h, sizeof h));
    if (ssgw_audit_append(dir, "bundle", f, err, errlen) < 0) goto done;
    if (sequence) *sequence = last + 1;
    rc = 0;
done:
    if (pairs)
        for (size_t i = 0; i < np; i++) {
            X509_free(pairs[i].sign_cert);
            X509_free(pairs[i].ka_cert);
        }
    free(pairs);
    free(rev);
    free(rows);
    free(body);
    free(pem);
    X509_free(root);
    X509_free(iss);
    EVP_PKEY_free(ik);
    return rc;
}
