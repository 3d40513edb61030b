/*
 * bench_token.c - security token signing and verification throughput (DESIGN.md
 * section 7: ECDSA P-256 sign / verify >= 90 % of `openssl speed ecdsap256` per core,
 * scaling with cores; fast mode (pairwise HMAC) >= 1,000,000 messages/s per core).
 *
 * Corpus: COUNT TCAP messages from ssgw_gen_tcap() (every TCAP shape of the generator;
 * Aborts with a P-AbortCause, which cannot carry a token, are left out), each with a
 * calling GT inside the signer's certified range. Keys are made here with OpenSSL:
 * operator A (signer: EC P-256 and Ed25519 signing keys, EC P-256 key agreement) and
 * operator B (verifier), with keyrings as a bundle would fill them (A's keyring holds B
 * as a member, for the pairwise key; B's holds A with a GT range).
 *
 * The HMAC mode runs over the first --hmac-count messages of the same sequence (default
 * 100,000, so that one repetition lasts long enough to time), the others over --count.
 *
 * Per mode (ecdsa-p256, ed25519, hmac-sha256-128) four operations:
 *   level=full op=sign    ssgw_trust_sign(): prepare, TBS, tag, token encode + insert
 *   level=full op=verify  ssgw_trust_verify(): strip, token decode, key lookup, TBS, tag
 *                         check, validity, GT authorisation, time window, replay cache
 *   level=raw  op=sign    ssgw_token_make_tag() over the prebuilt TBS (crypto only)
 *   level=raw  op=verify  ssgw_token_check_tag() over the prebuilt TBS (crypto only)
 * each with 1 .. --threads threads (one ssgw_trust / ssgw_token_crypto per thread, the
 * keyring shared). Every thread processes the whole corpus; a repetition's wall time is
 * from the common start to the last thread's end. A verification repetition uses fresh
 * ssgw_trust contexts (made before the clock starts), so no message is a replay.
 * The best of --reps repetitions is reported, one parseable line per measurement:
 *
 *   bench_token op=sign mode=ecdsa-p256 level=full threads=1 msgs=N reps=R secs=S
 *               msgs_per_s=X per_thread=Y ns_per_msg=Z cpu_msgs_per_s=C errors=E
 *
 * msgs_per_s: all threads together (wall); per_thread = msgs_per_s / threads;
 * ns_per_msg: wall ns per message per thread; cpu_msgs_per_s: messages per second of
 * thread CPU time (CLOCK_THREAD_CPUTIME_ID, summed over threads: user + system), less
 * disturbed by other load than wall time; user_msgs_per_s: messages per second of thread
 * user time (getrusage RUSAGE_THREAD), the basis `openssl speed` divides by (times(): user
 * time only). The two differ by the kernel's time on the thread (interrupts, scheduling;
 * the loop itself makes no system call but the DRBG's getpid): on the shared VM 2-4 % for
 * a process that only signs. sys_s, minflt, vcsw, ivcsw: the thread's system seconds,
 * minor faults and voluntary / involuntary context switches during the loop (of the
 * repetition with the least CPU time).
 * errors: sign failures, verification outcomes other than ok, tags that do not check.
 *
 * --interleave B (diagnostic, ECDSA signing only): the three ways of signing each message
 * -- full (ssgw_trust_sign), raw (ssgw_token_make_tag over the TBS) and bare (EVP_PKEY_sign
 * of a 20-octet digest through a context set up as `openssl speed ecdsap256` sets up its
 * own) -- in turns of B messages in one thread, so that a machine whose speed changes
 * slows all three alike; one line with the CPU rate of each and full / bare:
 *
 *   bench_token interleaved op=sign mode=ecdsa-p256 msgs=N block=B full_cpu_msgs_per_s=F
 *               raw_cpu_msgs_per_s=R bare_cpu_msgs_per_s=A full_pct_of_bare=P ...
 *
 *   bench_token [--count N] [--hmac-count N] [--reps R] [--threads T] [--modes ecdsa,ed25519,hmac]
 *               [--levels full,raw] [--ops sign,verify] [--interleave B]
 *
 * Exit status: 0, 1 when an error was counted, 2 on a usage error or setup failure.
 */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ssgw/gen.h"
#include "ssgw/token.h"

#define NOW       ((time_t)1767225600) /* 2026-01-01 */
#define MSG_MAX   4096
#define MAX_THR   16
#define GT_PREFIX "4477"

typedef struct {
    EVP_PKEY *ecdsa, *ed25519, *ka;
    uint8_t id[SSGW_KEY_ID_LEN], ed_id[SSGW_KEY_ID_LEN];
} op_keys;

/* One corpus message and, per mode, its signed form and signature input. */
typedef struct {
    uint8_t *tcap;
    size_t len;
    bool all_modes; /* false: signed in the HMAC mode only (items past --count) */
    char gt[24];
    uint8_t *signed_[SSGW_TOKEN_MODE_COUNT];
    size_t signed_len[SSGW_TOKEN_MODE_COUNT];
    uint8_t *tbs[SSGW_TOKEN_MODE_COUNT];
    size_t tbs_len[SSGW_TOKEN_MODE_COUNT];
    ssgw_token tok[SSGW_TOKEN_MODE_COUNT];
} item;

typedef struct {
    item *items;
    size_t n;                             /* items */
    size_t n_mode[SSGW_TOKEN_MODE_COUNT]; /* the first n_mode[m] items are signed in mode m */
    ssgw_keyring *kr_sign[SSGW_TOKEN_MODE_COUNT]; /* A's keyring for the mode */
    ssgw_keyring *kr_verify[SSGW_TOKEN_MODE_COUNT];
    op_keys a, b;
    EVP_PKEY *a_pub[SSGW_TOKEN_MODE_COUNT]; /* A's public signing key (as B holds it) */
    const uint8_t *pairwise_a;              /* A's pairwise key with B */
    const uint8_t *pairwise_b;              /* B's pairwise key with A */
} corpus;

enum { OP_SIGN, OP_VERIFY };
enum { LEVEL_FULL, LEVEL_RAW };

typedef struct {
    const corpus *c;
    int op, level, mode;
    ssgw_trust *trust;
    ssgw_token_crypto *crypto;
    pthread_barrier_t *start;
    double t0, t1, cpu;
    struct rusage ru0, ru1; /* the thread's usage around the loop */
    uint64_t errors, check;
} worker;

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static EVP_PKEY *public_only(EVP_PKEY *k)
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(k, &der);
    const unsigned char *p = der;
    EVP_PKEY *pub = n > 0 ? d2i_PUBKEY(NULL, &p, n) : NULL;
    OPENSSL_free(der);
    return pub;
}

static int make_keys(op_keys *k)
{
    k->ecdsa = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    k->ed25519 = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    k->ka = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (!k->ecdsa || !k->ed25519 || !k->ka) return -1;
    if (ssgw_key_id(k->ecdsa, k->id) < 0 || ssgw_key_id(k->ed25519, k->ed_id) < 0) return -1;
    return 0;
}

static int add_member(ssgw_keyring *kr, const op_keys *k, bool ed, const char *range)
{
    ssgw_keyring_member m;
    memset(&m, 0, sizeof m);
    m.sign_key = public_only(ed ? k->ed25519 : k->ecdsa);
    m.ka_key = public_only(k->ka);
    memcpy(m.key_id, ed ? k->ed_id : k->id, SSGW_KEY_ID_LEN);
    snprintf(m.identity.name, sizeof m.identity.name, "bench operator");
    snprintf(m.identity.country, sizeof m.identity.country, "GB");
    if (ssgw_gt_range_parse(range, &m.identity.gt[0]) == 0) m.identity.n_gt = 1;
    m.not_before = NOW - 86400;
    m.not_after = NOW + 86400 * 365;
    snprintf(m.serial, sizeof m.serial, "0a");
    int r = m.sign_key && m.ka_key ? ssgw_keyring_add(kr, &m) : -1;
    EVP_PKEY_free(m.sign_key);
    EVP_PKEY_free(m.ka_key);
    return r;
}

static int setup(corpus *c, size_t count, size_t hmac_count)
{
    if (make_keys(&c->a) < 0 || make_keys(&c->b) < 0) return -1;
    for (int mode = 0; mode < SSGW_TOKEN_MODE_COUNT; mode++) {
        bool ed = mode == SSGW_TOKEN_MODE_ED25519;
        ssgw_keyring *ka = ssgw_keyring_new(), *kb = ssgw_keyring_new();
        if (!ka || !kb || ssgw_keyring_set_own(ka, ed ? c->a.ed25519 : c->a.ecdsa, c->a.ka) < 0 ||
            add_member(ka, &c->b, false, "33") < 0 ||
            ssgw_keyring_set_own(kb, c->b.ecdsa, c->b.ka) < 0 ||
            add_member(kb, &c->a, ed, GT_PREFIX) < 0)
            return -1;
        c->kr_sign[mode] = ka;
        c->kr_verify[mode] = kb;
        c->a_pub[mode] = ssgw_keyring_find(kb, ed ? c->a.ed_id : c->a.id)->sign_key;
    }
    c->pairwise_a = ssgw_keyring_find(c->kr_sign[SSGW_TOKEN_MODE_HMAC], c->b.id)->pairwise;
    c->pairwise_b = ssgw_keyring_find(c->kr_verify[SSGW_TOKEN_MODE_HMAC], c->a.id)->pairwise;

    size_t total = hmac_count > count ? hmac_count : count;
    c->items = calloc(total, sizeof *c->items);
    if (!c->items) return -1;
    ssgw_trust *signer[SSGW_TOKEN_MODE_COUNT];
    ssgw_trust *verifier[SSGW_TOKEN_MODE_COUNT];
    for (int mode = 0; mode < SSGW_TOKEN_MODE_COUNT; mode++) {
        signer[mode] = ssgw_trust_new(c->kr_sign[mode], NULL);
        verifier[mode] = ssgw_trust_new(c->kr_verify[mode], NULL);
        if (!signer[mode] || !verifier[mode]) return -1;
    }
    static uint8_t gen[MSG_MAX], sig[MSG_MAX + 256], strip[MSG_MAX + 256], tbs[MSG_MAX + 256];
    ssgw_rng rng;
    ssgw_rng_seed(&rng, 42);
    for (uint64_t i = 0; c->n < total && i < total * 4; i++) {
        item *it = &c->items[c->n];
        ssgw_buf g;
        ssgw_gen_info info;
        ssgw_error e = {0};
        ssgw_buf_init(&g, gen, sizeof gen);
        if (ssgw_gen_tcap(1, i, &g, &info, &e) < 0 || g.overflow) continue;
        ssgw_rng_digits(&rng, GT_PREFIX, 8, it->gt, sizeof it->gt);
        bool usable = true;
        it->all_modes = c->n < count;
        for (int mode = 0; mode < SSGW_TOKEN_MODE_COUNT && usable; mode++) {
            if (!it->all_modes && mode != SSGW_TOKEN_MODE_HMAC) continue;
            ssgw_buf s, st, tb;
            ssgw_buf_init(&s, sig, sizeof sig);
            if (ssgw_trust_sign(signer[mode], (ssgw_token_mode)mode, it->gt, c->b.id, g.data, g.len,
                                NOW, &s, NULL, &e) < 0) {
                usable = false; /* Abort with a P-AbortCause: cannot carry a token */
                break;
            }
            ssgw_buf_init(&st, strip, sizeof strip);
            ssgw_trust_result res;
            if (ssgw_trust_verify(verifier[mode], it->gt, s.data, s.len, NOW, &res, &st) !=
                SSGW_TRUST_OK) {
                fprintf(stderr, "bench_token: setup: message %llu mode %d does not verify\n",
                        (unsigned long long)i, mode);
                return -1;
            }
            ssgw_buf_init(&tb, tbs, sizeof tbs);
            const uint8_t *recipient = mode == SSGW_TOKEN_MODE_HMAC ? c->b.id : NULL;
            const ssgw_token_parties parties = {it->gt, NULL, 0, 0};
            if (ssgw_token_tbs(&res.token, recipient, &parties, st.data, st.len, &tb) < 0)
                return -1;
            it->tok[mode] = res.token;
            it->signed_[mode] = malloc(s.len);
            it->tbs[mode] = malloc(tb.len);
            if (!it->signed_[mode] || !it->tbs[mode]) return -1;
            memcpy(it->signed_[mode], s.data, s.len);
            it->signed_len[mode] = s.len;
            memcpy(it->tbs[mode], tb.data, tb.len);
            it->tbs_len[mode] = tb.len;
        }
        if (!usable) {
            for (int mode = 0; mode < SSGW_TOKEN_MODE_COUNT; mode++) {
                free(it->signed_[mode]);
                free(it->tbs[mode]);
            }
            memset(it, 0, sizeof *it);
            continue;
        }
        it->tcap = malloc(g.len);
        if (!it->tcap) return -1;
        memcpy(it->tcap, g.data, g.len);
        it->len = g.len;
        c->n++;
    }
    for (int mode = 0; mode < SSGW_TOKEN_MODE_COUNT; mode++) {
        ssgw_trust_free(signer[mode]);
        ssgw_trust_free(verifier[mode]);
    }
    for (int mode = 0; mode < SSGW_TOKEN_MODE_COUNT; mode++)
        c->n_mode[mode] = mode == SSGW_TOKEN_MODE_HMAC ? total : count;
    return c->n == total ? 0 : -1;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    const corpus *c = w->c;
    static _Thread_local uint8_t out[MSG_MAX + 256];
    int mode = w->mode;
    EVP_PKEY *own = ssgw_keyring_own_sign_key(c->kr_sign[mode]);
    pthread_barrier_wait(w->start);
    getrusage(RUSAGE_THREAD, &w->ru0);
    double cpu0 = thread_cpu();
    w->t0 = mono();
    for (size_t i = 0; i < c->n_mode[mode]; i++) {
        const item *it = &c->items[i];
        if (w->level == LEVEL_FULL && w->op == OP_SIGN) {
            ssgw_buf b;
            ssgw_error e;
            ssgw_buf_init(&b, out, sizeof out);
            if (ssgw_trust_sign(w->trust, (ssgw_token_mode)mode, it->gt, c->b.id, it->tcap, it->len,
                                NOW, &b, NULL, &e) < 0)
                w->errors++;
            w->check += b.len;
        } else if (w->level == LEVEL_FULL) {
            ssgw_buf b;
            ssgw_trust_result res;
            ssgw_buf_init(&b, out, sizeof out);
            if (ssgw_trust_verify(w->trust, it->gt, it->signed_[mode], it->signed_len[mode], NOW,
                                  &res, &b) != SSGW_TRUST_OK)
                w->errors++;
            w->check += b.len;
        } else if (w->op == OP_SIGN) {
            ssgw_token t = it->tok[mode];
            if (ssgw_token_make_tag(w->crypto, &t, own, c->pairwise_a, it->tbs[mode],
                                    it->tbs_len[mode]) < 0)
                w->errors++;
            w->check += t.tag[0];
        } else {
            if (ssgw_token_check_tag(w->crypto, &it->tok[mode], c->a_pub[mode], c->pairwise_b,
                                     it->tbs[mode], it->tbs_len[mode]) != 1)
                w->errors++;
            w->check++;
        }
    }
    w->t1 = mono();
    w->cpu = thread_cpu() - cpu0;
    getrusage(RUSAGE_THREAD, &w->ru1);
    return NULL;
}

typedef struct {
    double secs, cpu, user, sys;
    long minflt, nvcsw, nivcsw;
    uint64_t errors;
} rep_result;

static double tv_secs(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

/* The usage of one worker's loop added to r. */
static void add_usage(rep_result *r, const worker *w)
{
    r->user += tv_secs(w->ru1.ru_utime) - tv_secs(w->ru0.ru_utime);
    r->sys += tv_secs(w->ru1.ru_stime) - tv_secs(w->ru0.ru_stime);
    r->minflt += w->ru1.ru_minflt - w->ru0.ru_minflt;
    r->nvcsw += w->ru1.ru_nvcsw - w->ru0.ru_nvcsw;
    r->nivcsw += w->ru1.ru_nivcsw - w->ru0.ru_nivcsw;
}

static int one_rep(const corpus *c, int op, int level, int mode, int threads, rep_result *r)
{
    worker w[MAX_THR];
    pthread_t th[MAX_THR];
    pthread_barrier_t start;
    ssgw_trust_config cfg;
    ssgw_trust_config_default(&cfg);
    cfg.replay_entries = c->n_mode[mode] * 4; /* 4 x messages per window, as token.h advises */
    pthread_barrier_init(&start, NULL, (unsigned)threads);
    memset(w, 0, sizeof w);
    for (int i = 0; i < threads; i++) {
        w[i].c = c;
        w[i].op = op;
        w[i].level = level;
        w[i].mode = mode;
        w[i].start = &start;
        if (level == LEVEL_FULL) {
            w[i].trust =
                ssgw_trust_new(op == OP_SIGN ? c->kr_sign[mode] : c->kr_verify[mode], &cfg);
            if (!w[i].trust) return -1;
        } else {
            w[i].crypto = ssgw_token_crypto_new();
            if (!w[i].crypto) return -1;
        }
    }
    for (int i = 1; i < threads; i++)
        if (pthread_create(&th[i], NULL, run_worker, &w[i]) != 0) return -1;
    run_worker(&w[0]);
    for (int i = 1; i < threads; i++)
        pthread_join(th[i], NULL);
    double t0 = w[0].t0, t1 = w[0].t1;
    memset(r, 0, sizeof *r);
    for (int i = 0; i < threads; i++) {
        if (w[i].t0 < t0) t0 = w[i].t0;
        if (w[i].t1 > t1) t1 = w[i].t1;
        r->cpu += w[i].cpu;
        add_usage(r, &w[i]);
        r->errors += w[i].errors;
        ssgw_trust_free(w[i].trust);
        ssgw_token_crypto_free(w[i].crypto);
    }
    r->secs = t1 - t0;
    pthread_barrier_destroy(&start);
    return 0;
}

/* ECDSA signing three ways, interleaved in blocks of `block` messages in this one thread so
 * that a machine whose speed changes (other load, frequency) slows all three alike:
 * full (ssgw_trust_sign), raw (ssgw_token_make_tag over the TBS) and bare (EVP_PKEY_sign of a
 * 20-octet digest with a context set up as `openssl speed ecdsap256` sets up its own). Prints
 * the CPU rate of each and full / bare. */
static int interleave_sign(const corpus *c, size_t block)
{
    const int mode = SSGW_TOKEN_MODE_ECDSA_P256;
    EVP_PKEY *own = ssgw_keyring_own_sign_key(c->kr_sign[mode]);
    ssgw_trust *trust = ssgw_trust_new(c->kr_sign[mode], NULL);
    ssgw_token_crypto *crypto = ssgw_token_crypto_new();
    EVP_PKEY_CTX *bare = EVP_PKEY_CTX_new(own, NULL);
    if (!trust || !crypto || !bare || EVP_PKEY_sign_init(bare) <= 0) {
        EVP_PKEY_CTX_free(bare);
        ssgw_token_crypto_free(crypto);
        ssgw_trust_free(trust);
        return -1;
    }
    static uint8_t out[MSG_MAX + 256];
    const uint8_t digest[20] = {0};
    double cpu[3] = {0, 0, 0};
    uint64_t errors = 0;
    size_t n = c->n_mode[mode];
    for (size_t start = 0; start < n; start += block) {
        size_t end = start + block < n ? start + block : n;
        double t = thread_cpu();
        for (size_t i = start; i < end; i++) {
            const item *it = &c->items[i];
            ssgw_buf b;
            ssgw_error e;
            ssgw_buf_init(&b, out, sizeof out);
            errors += ssgw_trust_sign(trust, mode, it->gt, c->b.id, it->tcap, it->len, NOW, &b,
                                      NULL, &e) < 0;
        }
        double t2 = thread_cpu();
        cpu[0] += t2 - t;
        for (size_t i = start; i < end; i++) {
            ssgw_token tok = c->items[i].tok[mode];
            errors += ssgw_token_make_tag(crypto, &tok, own, NULL, c->items[i].tbs[mode],
                                          c->items[i].tbs_len[mode]) < 0;
        }
        double t3 = thread_cpu();
        cpu[1] += t3 - t2;
        for (size_t i = start; i < end; i++) {
            size_t sl = sizeof out;
            errors += EVP_PKEY_sign(bare, out, &sl, digest, sizeof digest) <= 0;
        }
        cpu[2] += thread_cpu() - t3;
    }
    printf("bench_token interleaved op=sign mode=ecdsa-p256 msgs=%zu block=%zu "
           "full_cpu_msgs_per_s=%.0f raw_cpu_msgs_per_s=%.0f bare_cpu_msgs_per_s=%.0f "
           "full_pct_of_bare=%.1f raw_pct_of_bare=%.1f errors=%llu\n",
           n, block, (double)n / cpu[0], (double)n / cpu[1], (double)n / cpu[2],
           100 * cpu[2] / cpu[0], 100 * cpu[2] / cpu[1], (unsigned long long)errors);
    EVP_PKEY_CTX_free(bare);
    ssgw_token_crypto_free(crypto);
    ssgw_trust_free(trust);
    return errors ? 1 : 0;
}

static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && strncmp(p, name, n) == 0) return true;
        p = e ? e + 1 : NULL;
    }
    return false;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_token [--count N] [--hmac-count N] [--reps R] [--threads T] "
                    "[--modes ecdsa,ed25519,hmac] [--levels full,raw] [--ops sign,verify] "
                    "[--interleave B]\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"count", required_argument, NULL, 'n'}, {"hmac-count", required_argument, NULL, 'c'},
        {"reps", required_argument, NULL, 'r'},  {"threads", required_argument, NULL, 't'},
        {"modes", required_argument, NULL, 'm'}, {"levels", required_argument, NULL, 'l'},
        {"ops", required_argument, NULL, 'o'},   {"interleave", required_argument, NULL, 'i'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    long count = 4000, hmac_count = 100000, reps = 5, threads = 2, interleave = 0;
    const char *modes = "ecdsa,ed25519,hmac", *levels = "full,raw", *ops = "sign,verify";
    int ch;
    while ((ch = getopt_long(argc, argv, "n:c:r:t:m:l:o:i:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'n':
            count = atol(optarg);
            break;
        case 'c':
            hmac_count = atol(optarg);
            break;
        case 'r':
            reps = atol(optarg);
            break;
        case 't':
            threads = atol(optarg);
            break;
        case 'm':
            modes = optarg;
            break;
        case 'l':
            levels = optarg;
            break;
        case 'o':
            ops = optarg;
            break;
        case 'i':
            interleave = atol(optarg);
            break;
        default:
            usage();
            return ch == 'h' ? 0 : 2;
        }
    }
    if (count < 1 || hmac_count < 0 || reps < 1 || threads < 1 || threads > MAX_THR ||
        interleave < 0 || optind != argc) {
        usage();
        return 2;
    }
    corpus c;
    memset(&c, 0, sizeof c);
    if (setup(&c, (size_t)count, (size_t)hmac_count) < 0) {
        fprintf(stderr, "bench_token: setup failed (keys, keyrings or corpus)\n");
        return 2;
    }
    size_t bytes = 0, tbs_bytes = 0;
    for (size_t i = 0; i < c.n; i++) {
        bytes += c.items[i].len;
        tbs_bytes += c.items[i].tbs_len[SSGW_TOKEN_MODE_HMAC];
    }
    printf("bench_token corpus msgs=%zu mean_tcap_bytes=%.1f mean_tbs_bytes=%.1f\n", c.n,
           (double)bytes / (double)c.n, (double)tbs_bytes / (double)c.n);
    fflush(stdout);
    if (interleave) {
        int r = interleave_sign(&c, (size_t)interleave);
        return r < 0 ? 2 : r;
    }

    static const char *const mode_opt[SSGW_TOKEN_MODE_COUNT] = {"ecdsa", "ed25519", "hmac"};
    static const char *const level_name[] = {"full", "raw"};
    static const char *const op_name[] = {"sign", "verify"};
    uint64_t errors = 0;
    for (int mode = 0; mode < SSGW_TOKEN_MODE_COUNT; mode++) {
        if (!listed(modes, mode_opt[mode])) continue;
        for (int level = LEVEL_FULL; level <= LEVEL_RAW; level++) {
            if (!listed(levels, level_name[level])) continue;
            for (int op = OP_SIGN; op <= OP_VERIFY; op++) {
                if (!listed(ops, op_name[op])) continue;
                for (int thr = 1; thr <= threads; thr++) {
                    rep_result best = {0}, r, usage = {0}; /* usage: of the least-CPU rep */
                    for (long k = 0; k < reps; k++) {
                        if (one_rep(&c, op, level, mode, thr, &r) < 0) {
                            fprintf(stderr, "bench_token: out of memory\n");
                            return 2;
                        }
                        errors += r.errors;
                        if (k == 0 || r.secs < best.secs) best.secs = r.secs;
                        if (k == 0 || r.cpu < best.cpu) best.cpu = r.cpu, usage = r;
                        best.errors += r.errors;
                    }
                    size_t n = c.n_mode[mode];
                    double msgs = (double)n * thr;
                    printf("bench_token op=%s mode=%s level=%s threads=%d msgs=%zu reps=%ld "
                           "secs=%.6f msgs_per_s=%.0f per_thread=%.0f ns_per_msg=%.1f "
                           "cpu_msgs_per_s=%.0f user_msgs_per_s=%.0f sys_s=%.3f minflt=%ld "
                           "vcsw=%ld ivcsw=%ld errors=%llu\n",
                           op_name[op], ssgw_token_mode_name(mode), level_name[level], thr, n, reps,
                           best.secs, msgs / best.secs, msgs / best.secs / thr,
                           best.secs * 1e9 / (double)n, msgs / best.cpu,
                           usage.user > 0 ? msgs / usage.user : 0.0, usage.sys, usage.minflt,
                           usage.nvcsw, usage.nivcsw, (unsigned long long)best.errors);
                    fflush(stdout);
                }
            }
        }
    }
    return errors ? 1 : 0;
}
