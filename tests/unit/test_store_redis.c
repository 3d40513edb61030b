/*
 * test_store_redis.c - the Redis state store (include/ssgw/store_redis.h) against a real
 * redis-server this test starts on a free 127.0.0.1 port (and kills at the end), with
 * redis-cli as the independent reader of what the store wrote:
 *   - key slots: the Redis Cluster specification's CRC16 vector and hash-tag examples;
 *   - every operation round trip, key names, TTLs set by the server, not by sweeps;
 *   - batches: a prefetch answers the batch's reads from one round trip, and a record
 *     written in the batch is seen by the next message of the batch;
 *   - token buckets: thousands of random takes (periods, limits, time steps, the 2^32 ms
 *     wrap) give the embedded store's decisions, and the Lua script on the server agrees
 *     with every one (bucket_disagreements stays 0);
 *   - two stores = two gateways: what one learns the other reads; a token seen by one is a
 *     replay for the other; two firewalls over them: a dialogue bound on one gateway, its
 *     transaction id reused by a Begin through the other, is owned by the new dialogue's
 *     peer on both (the binding's value read from Redis, in a batch prefetched as the
 *     firewall lists it: no synchronous read);
 *   - the server killed: fail = local answers from the mirrored embedded store, writes are
 *     queued, events down/up, the queue replayed after the restart; fail = closed: reads
 *     fail and are counted;
 *   - the caller's lock (a live gateway): while one thread waits for a server that does
 *     not answer (stopped with SIGSTOP), the lock is free, and another thread's reads and
 *     writes are answered here without a round trip; the writes it made go with the next
 *     exchange;
 *   - the memory Redis uses per subscriber (MEMORY USAGE), printed.
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "fw_msg.h"
#include "msgbuild.h"
#include "ssgw/store.h"
#include "ssgw/store_redis.h"
#include "state/rc.h"

static char workdir[256];

/* ---- a redis-server of our own ------------------------------------------------------------ */

static int free_port(void)
{
    for (int tries = 0; tries < 50; tries++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001)};
        socklen_t l = sizeof a;
        if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
            getsockname(fd, (struct sockaddr *)&a, &l) == 0) {
            int p = ntohs(a.sin_port);
            close(fd);
            if (p < 55000) return p;
            continue;
        }
        close(fd);
    }
    return -1;
}

/* Connects to 127.0.0.1:port until it accepts (the server is ready), at most 10 s. */
static int wait_listening(int port)
{
    uint64_t end = rc_now_ms() + 10000;
    while (rc_now_ms() < end) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)port),
                                .sin_addr.s_addr = htonl(0x7f000001)};
        int r = connect(fd, (struct sockaddr *)&a, sizeof a);
        close(fd);
        if (r == 0) return 0;
        struct timespec ts = {0, 10 * 1000000L}; /* polling a socket state, not a timing */
        nanosleep(&ts, NULL);
    }
    return -1;
}

static pid_t start_redis(int port, const char *extra1, const char *extra2)
{
    char p[16], log[300];
    snprintf(p, sizeof p, "%d", port);
    snprintf(log, sizeof log, "%s/redis-%d.log", workdir, port);
    pid_t pid = fork();
    if (pid == 0) {
        /* the server dies with the test, and does not hold the test's output open */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
        }
        const char *argv[20] = {
            "redis-server", "--port", p,       "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no",     "--dir", workdir,  "--logfile", log};
        int n = 13;
        if (extra1) argv[n++] = extra1;
        if (extra2) argv[n++] = extra2;
        argv[n] = NULL;
        execvp("redis-server", (char *const *)argv);
        _exit(127);
    }
    if (pid < 0 || wait_listening(port) < 0) {
        fprintf(stderr, "redis-server did not start on port %d (see %s)\n", port, log);
        return -1;
    }
    return pid;
}

static void stop_redis(pid_t pid)
{
    if (pid <= 0) return;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* redis-cli's answer to one command (trailing newline removed). */
static void cli(int port, const char *cmd, char *out, size_t cap)
{
    char line[600];
    snprintf(line, sizeof line, "redis-cli -p %d %s 2>&1", port, cmd);
    FILE *f = popen(line, "r");
    out[0] = '\0';
    if (!f) return;
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    pclose(f);
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
}

static long cli_int(int port, const char *cmd)
{
    char out[256];
    cli(port, cmd, out, sizeof out);
    return strtol(out, NULL, 10);
}

/* ---- events -------------------------------------------------------------------------------- */

static int events[SSGW_STORE_EVENT_COUNT];

static void on_event(void *ctx, ssgw_store_event ev, const char *detail)
{
    (void)ctx;
    if ((unsigned)ev < SSGW_STORE_EVENT_COUNT) events[ev]++;
    printf("    event %s: %s\n", ssgw_store_event_name(ev), detail);
}

static uint32_t store_timeout_ms = 500;

static ssgw_store *open_store(int port, ssgw_state_fail fail, const char *prefix)
{
    ssgw_state_config c;
    memset(&c, 0, sizeof c);
    c.backend = SSGW_STATE_REDIS;
    snprintf(c.nodes[0].host, sizeof c.nodes[0].host, "127.0.0.1");
    c.nodes[0].port = (uint16_t)port;
    c.n_nodes = 1;
    c.tls_ca = c.tls_cert = c.tls_key = c.tls_server_name = c.user = c.password_file = "";
    c.fail = fail;
    c.timeout_ms = store_timeout_ms;
    c.reconnect_min_ms = 20;
    c.reconnect_max_ms = 100;
    c.pending_writes = 1000;
    c.key_prefix = prefix;
    c.ttl_slack_s = 600;
    c.location_ttl_s = 86400;
    c.dialogue_ttl_s = 660;
    c.mark_ttl_s = 660;
    c.local = (ssgw_store_limits){.subscribers = 1000,
                                  .marks = 1000,
                                  .dialogues = 1000,
                                  .buckets = 1000,
                                  .risk = 1000,
                                  .aliases = 1000,
                                  .incidents = 1000,
                                  .calls = 1000};
    char err[300];
    ssgw_store *s = ssgw_store_open(&c, true, on_event, NULL, err, sizeof err);
    if (!s) fprintf(stderr, "open: %s\n", err);
    return s;
}

static void health(ssgw_store *s, ssgw_store_health *h)
{
    s->ops->health(s, h);
}

/* ---- no server needed ------------------------------------------------------------------------ */

static void key_slots(void)
{
    /* Redis Cluster specification: CRC16 of "123456789" is 0x31C3 */
    CHECK_INT(rc_key_slot("123456789", 9), 0x31C3 & 16383);
    /* hash tags: only what is between the first { and the next } counts, if not empty */
    CHECK_INT(rc_key_slot("{user1000}.following", 20), rc_key_slot("{user1000}.followers", 20));
    CHECK_INT(rc_key_slot("{user1000}.following", 20), rc_key_slot("user1000", 8));
    CHECK_INT(rc_key_slot("foo{}{bar}", 10), rc_key_slot("foo{}{bar}", 10));
    CHECK(rc_key_slot("foo{}{bar}", 10) != rc_key_slot("bar", 3));
    CHECK_INT(rc_key_slot("foo{{bar}}zap", 13), rc_key_slot("{bar", 4));
    CHECK_INT(rc_key_slot("foo{bar}{zap}", 13), rc_key_slot("bar", 3));
}

static void urls(void)
{
    ssgw_state_config c;
    char err[300];
    memset(&c, 0, sizeof c);
    CHECK_INT(ssgw_state_parse_url("redis://127.0.0.1:7000", &c, err, sizeof err), 0);
    CHECK_INT(c.n_nodes, 1);
    CHECK_STR(c.nodes[0].host, "127.0.0.1");
    CHECK_INT(c.nodes[0].port, 7000);
    CHECK(!c.tls);
    CHECK_INT(ssgw_state_parse_url("rediss://a.example:1,[::1]:2,b", &c, err, sizeof err), 0);
    CHECK_INT(c.n_nodes, 3);
    CHECK(c.tls);
    CHECK_STR(c.nodes[1].host, "::1");
    CHECK_INT(c.nodes[2].port, 6379);
    CHECK_INT(ssgw_state_parse_url("redis://user:secret@h:1", &c, err, sizeof err), -1);
    CHECK(strstr(err, "password_file") != NULL);
    CHECK_INT(ssgw_state_parse_url("http://h:1", &c, err, sizeof err), -1);
    CHECK_INT(ssgw_state_parse_url("redis://h:99999", &c, err, sizeof err), -1);
    CHECK_INT(ssgw_state_parse_url("redis://", &c, err, sizeof err), -1);
}

/* ---- against the server ------------------------------------------------------------------------
 */

static void round_trips(int port)
{
    ssgw_store *s = open_store(port, SSGW_STATE_FAIL_LOCAL, "t1:");
    CHECK(s != NULL);
    if (!s) return;
    uint64_t imsi = ssgw_store_pack_digits("234910000000001");
    ssgw_store_location in = {.vlr = ssgw_store_pack_digits("254722000010"),
                              .msc = ssgw_store_pack_digits("254722000011"),
                              .cc = 42,
                              .time = 1000},
                        out;
    CHECK_INT(s->ops->location_get(s, imsi, &out), 0);
    CHECK_INT(s->ops->location_put(s, imsi, &in), 1);
    CHECK_INT(s->ops->flush(s), 0);
    /* redis-cli sees the record: 22 bytes, with the location TTL */
    char cmd[200];
    snprintf(cmd, sizeof cmd, "STRLEN 't1:l{%llx}'", (unsigned long long)imsi);
    CHECK_INT(cli_int(port, cmd), 22);
    snprintf(cmd, sizeof cmd, "TTL 't1:l{%llx}'", (unsigned long long)imsi);
    long ttl = cli_int(port, cmd);
    CHECK(ttl > 86000 && ttl <= 86400);
    memset(&out, 0, sizeof out);
    CHECK_INT(s->ops->location_get(s, imsi, &out), 1);
    CHECK(out.vlr == in.vlr && out.msc == in.msc && out.cc == 42 && out.time == 1000);

    /* marks: no older than max_age */
    uint64_t smsc = ssgw_store_pack_digits("254722000020");
    CHECK_INT(s->ops->mark_get(s, imsi, smsc, 2000, 60), 0);
    s->ops->mark_put(s, imsi, smsc, 2000, 0, 600);
    s->ops->flush(s);
    CHECK_INT(s->ops->mark_get(s, imsi, smsc, 2050, 60), 1);
    CHECK_INT(s->ops->mark_get(s, imsi, smsc, 2061, 60), 0);
    snprintf(cmd, sizeof cmd, "TTL 't1:m{%llx}%llx'", (unsigned long long)imsi,
             (unsigned long long)smsc);
    ttl = cli_int(port, cmd);
    CHECK(ttl > 600 && ttl <= 660);

    /* dialogues: put, get within the timeout, delete */
    s->ops->dialogue_put(s, 0x1234, 0, 0, 3000, 0, 60);
    s->ops->flush(s);
    CHECK_INT(s->ops->dialogue_get(s, 0x1234, 0, 3030, 60, NULL), 1);
    CHECK_INT(s->ops->dialogue_get(s, 0x1234, 0, 3100, 60, NULL), 0);
    CHECK_INT(s->ops->dialogue_get(s, 0x9999, 0, 3030, 60, NULL), 0);
    s->ops->dialogue_del(s, 0x1234, 0);
    s->ops->flush(s);
    CHECK_INT(s->ops->dialogue_get(s, 0x1234, 0, 3030, 60, NULL), 0);
    CHECK_INT(cli_int(port, "EXISTS 't1:d{1234}0'"), 0);

    /* the replay cache: SET NX EX */
    CHECK_INT(s->ops->replay_check_insert(s, 0x0102030405060708ull, 42, 121), 0);
    CHECK_INT(s->ops->replay_check_insert(s, 0x0102030405060708ull, 42, 121), 1);
    CHECK_INT(s->ops->replay_check_insert(s, 0x0102030405060708ull, 43, 121), 0);
    ttl = cli_int(port, "TTL 't1:r{0102030405060708000000000000002a}'");
    CHECK(ttl > 100 && ttl <= 121);

    ssgw_store_health h;
    health(s, &h);
    CHECK_STR(h.backend, "redis");
    CHECK_INT(h.status, SSGW_STORE_UP);
    CHECK_INT(h.pending, 0);
    CHECK_INT(h.errors, 0);
    ssgw_store_free(s);
}

static void batches(int port)
{
    ssgw_store *s = open_store(port, SSGW_STATE_FAIL_LOCAL, "t2:");
    CHECK(s != NULL);
    if (!s) return;
    uint64_t a = ssgw_store_pack_digits("234910000000011"),
             b = ssgw_store_pack_digits("234910000000012");
    ssgw_store_location la = {.vlr = 1, .msc = 2, .cc = 3, .time = 4};
    s->ops->location_put(s, a, &la);
    s->ops->flush(s);
    ssgw_store_key keys[3] = {
        {SSGW_STORE_LOCATION, a, 0}, {SSGW_STORE_LOCATION, b, 0}, {SSGW_STORE_DIALOGUE, 77, 0}};
    ssgw_store_health h0, h1;
    health(s, &h0);
    uint64_t gen = s->ops->prefetch(s, keys, 3);
    s->ops->use_generation(s, gen);
    ssgw_store_location out;
    CHECK_INT(s->ops->location_get(s, a, &out), 1);
    CHECK_INT(out.time, 4);
    CHECK_INT(s->ops->location_get(s, b, &out), 0);
    CHECK_INT(s->ops->dialogue_get(s, 77, 0, 10, 60, NULL), 0);
    /* written by a message of the batch, seen by the next one, without a round trip */
    s->ops->dialogue_put(s, 77, 0, 0, 10, 0, 60);
    CHECK_INT(s->ops->dialogue_get(s, 77, 0, 20, 60, NULL), 1);
    health(s, &h1);
    CHECK_INT(h1.round_trips - h0.round_trips, 1);
    CHECK_INT(h1.sync_reads - h0.sync_reads, 0);
    CHECK_INT(h1.cache_hits - h0.cache_hits, 4);
    /* a record the batch did not list is read now (correct, counted) */
    CHECK_INT(s->ops->dialogue_get(s, 78, 0, 20, 60, NULL), 0);
    health(s, &h1);
    CHECK_INT(h1.sync_reads - h0.sync_reads, 1);
    /* without a generation (no batch) nothing comes from the cache */
    s->ops->use_generation(s, 0);
    CHECK_INT(s->ops->dialogue_get(s, 77, 0, 20, 60, NULL), 1); /* the queued write went first */
    CHECK_INT(s->ops->flush(s), 0);
    health(s, &h1);
    CHECK_INT(h1.pending, 0);
    ssgw_store_free(s);
}

static void buckets(int port)
{
    ssgw_store *s = open_store(port, SSGW_STATE_FAIL_LOCAL, "t3:");
    ssgw_store_limits l = {.subscribers = 16,
                           .marks = 16,
                           .dialogues = 16,
                           .buckets = 64,
                           .risk = 16,
                           .aliases = 16,
                           .incidents = 16,
                           .calls = 16};
    ssgw_store *e = ssgw_store_embedded_new(&l);
    CHECK(s != NULL && e != NULL);
    if (!s || !e) return;
    struct {
        uint32_t limit, period;
    } kinds[4] = {{5, 600}, {2000, 1}, {60, 60}, {3, 1}};
    /* start just below the 2^32 ms wrap of the bucket clock */
    uint64_t now = 0x100000000ull * 396 - 5000;
    int differ = 0, taken = 0;
    for (int i = 0; i < 4000; i++) {
        uint64_t key = 1 + check_rand() % 40; /* several buckets per hash-tag group */
        int k = (int)(key % 4);
        now += check_rand() % (kinds[k].period * 1000u / (kinds[k].limit * 20) + 2);
        int a = e->ops->bucket_take(e, key, kinds[k].limit, kinds[k].period, kinds[k].limit, now);
        int b = s->ops->bucket_take(s, key, kinds[k].limit, kinds[k].period, kinds[k].limit, now);
        differ += a != b;
        taken += b;
        if (i % 64 == 63) s->ops->flush(s); /* a batch */
    }
    s->ops->flush(s);
    CHECK_INT(differ, 0);
    CHECK(taken > 400 && taken < 3600); /* both outcomes, often */
    ssgw_store_health h;
    health(s, &h);
    CHECK_INT(h.bucket_disagreements, 0); /* the Lua script decided the same 4000 times */
    CHECK_INT(h.errors, 0);
    printf("    4000 takes: %d allowed, store and script agree\n", taken);
    CHECK(cli_int(port, "TTL 't3:b{g1}1'") > 0); /* buckets spread over 16 hash tags */
    ssgw_store_free(s);
    ssgw_store_free(e);
}

static void two_gateways(int port)
{
    ssgw_store *a = open_store(port, SSGW_STATE_FAIL_LOCAL, "t4:"),
               *b = open_store(port, SSGW_STATE_FAIL_LOCAL, "t4:");
    CHECK(a && b);
    if (!a || !b) return;
    uint64_t imsi = ssgw_store_pack_digits("234910000000021");
    ssgw_store_location loc = {.vlr = 7, .msc = 8, .cc = 9, .time = 100}, out;
    a->ops->location_put(a, imsi, &loc);
    a->ops->dialogue_put(a, 0xabcdef, 0, 0, 100, 0, 60);
    CHECK_INT(a->ops->flush(a), 0);
    CHECK_INT(b->ops->location_get(b, imsi, &out), 1);
    CHECK_INT(out.vlr, 7);
    CHECK_INT(b->ops->dialogue_get(b, 0xabcdef, 0, 110, 60, NULL), 1);
    b->ops->dialogue_del(b, 0xabcdef, 0);
    b->ops->flush(b);
    CHECK_INT(a->ops->dialogue_get(a, 0xabcdef, 0, 110, 60, NULL), 0);
    /* a dialogue's value (the firewall's binding of a dialogue to its peer): written by a,
     * read by b from Redis (its local copy never saw it); 12 octets with a value, 4 without */
    const uint64_t big = 0xfedcba9876543210ull;
    uint64_t v = 0;
    a->ops->dialogue_put(a, 0x7000, 0x42, big, 100, 2, 60);
    a->ops->dialogue_put(a, 0x7000, 0, 0, 100, 2, 60);
    CHECK_INT(a->ops->flush(a), 0);
    CHECK_INT(cli_int(port, "STRLEN 't4:d{7000}42'"), 12);
    CHECK_INT(cli_int(port, "STRLEN 't4:d{7000}0'"), 4);
    CHECK_INT(b->ops->dialogue_get(b, 0x7000, 0x42, 110, UINT32_MAX, &v), 1);
    CHECK(v == big);
    v = 1;
    CHECK_INT(b->ops->dialogue_get(b, 0x7000, 0, 110, 60, &v), 1);
    CHECK(v == 0);
    CHECK_INT(b->ops->dialogue_get(b, 0x7000, 0x42, 200, 60, &v), 0); /* past the timeout */
    /* overwritten by b; a reads the new value from a batch's prefetch, not its cache */
    b->ops->dialogue_put(b, 0x7000, 0x42, 5, 120, 3, 60);
    CHECK_INT(b->ops->flush(b), 0);
    ssgw_store_key k = {SSGW_STORE_DIALOGUE, 0x7000, 0x42};
    a->ops->use_generation(a, a->ops->prefetch(a, &k, 1));
    ssgw_store_health h0, h1;
    health(a, &h0);
    CHECK_INT(a->ops->dialogue_get(a, 0x7000, 0x42, 130, UINT32_MAX, &v), 1);
    CHECK(v == 5);
    health(a, &h1);
    CHECK_INT(h1.cache_hits, h0.cache_hits + 1);
    CHECK_INT(h1.sync_reads, h0.sync_reads);
    a->ops->use_generation(a, 0);
    /* deleted by a: gone for b, value and all */
    a->ops->dialogue_del(a, 0x7000, 0x42);
    CHECK_INT(a->ops->flush(a), 0);
    CHECK_INT(b->ops->dialogue_get(b, 0x7000, 0x42, 130, UINT32_MAX, &v), 0);
    CHECK_INT(cli_int(port, "EXISTS 't4:d{7000}42'"), 0);
    CHECK_INT(a->ops->replay_check_insert(a, 9, 9, 60), 0);
    CHECK_INT(b->ops->replay_check_insert(b, 9, 9, 60), 1);
    /* a shared bucket: 3 tokens for both together */
    int ok = 0;
    for (int i = 0; i < 4; i++) {
        ssgw_store *x = i % 2 ? b : a;
        ok += x->ops->bucket_take(x, 5, 3, 600, 3, 1000 + (uint64_t)i);
        x->ops->flush(x);
    }
    CHECK_INT(ok, 3);
    ssgw_store_free(a);
    ssgw_store_free(b);
}

/* ---- two firewalls over the shared store ------------------------------------------------- */

/* Judges m at second t (arrival link 1) with fw over s, as the pipeline does: in a batch
 * whose records are prefetched as the firewall lists them (batch), or reading each record
 * when asked (0 generation); what it learnt is flushed to Redis. The deciding check. */
static const char *fw_judge(ssgw_firewall *fw, ssgw_store *s, const fw_spec *m, uint32_t t,
                            bool batch)
{
    fw_encode(m);
    ssgw_decoder_run(fw_dec, SSGW_CAPTURE_KIND_M3UA, fw_wire, fw_wire_len, (uint64_t)t * 1000,
                     &fw_view);
    CHECK(!fw_view.has_error);
    if (fw_view.has_error) return "(malformed)";
    ssgw_firewall_meta meta = {(uint64_t)t * 1000, SSGW_DIR_UNKNOWN, false, 0, NULL, NULL, 1};
    if (batch) {
        ssgw_store_key keys[64];
        size_t nk = ssgw_firewall_prefetch_keys(fw, &fw_view, &meta, keys, 64);
        s->ops->use_generation(s, s->ops->prefetch(s, keys, nk));
    }
    ssgw_verdict vd;
    ssgw_firewall_judge(fw, &fw_view, &meta, &vd);
    s->ops->use_generation(s, 0);
    CHECK_INT(s->ops->flush(s), 0);
    return vd.check;
}

/* Gateway A sees a dialogue with Rhein's HLR bound and ended by our VLR; gateway B sees our
 * VLR reuse its transaction id in a Begin to Safari's HLR. Rhein's HLR then owns nothing of
 * it on either gateway (A's own copy still says it does: the value comes from Redis), and
 * Safari's HLR's answer binds it for both. */
static void firewalls_share_bindings(int port)
{
    ssgw_store *a = open_store(port, SSGW_STATE_FAIL_LOCAL, "t7:"),
               *b = open_store(port, SSGW_STATE_FAIL_LOCAL, "t7:");
    ssgw_policy *pol = tb_example_policy(NULL);
    ssgw_firewall *fa = pol && a ? ssgw_firewall_new(pol, a) : NULL,
                  *fb = pol && b ? ssgw_firewall_new(pol, b) : NULL;
    fw_dec = ssgw_decoder_new(NULL);
    CHECK(fa && fb && fw_dec);
    if (fa && fb && fw_dec) {
        /* application context networkLocUp v3 (0.4.0.0.1.0.1.3) */
        fw_spec ul = {.opc = 1001,
                      .dpc = 2002,
                      .cg = VLR,
                      .cg_ssn = 7,
                      .cd = "491710000005",
                      .cd_ssn = 6,
                      .tcap = SSGW_TCAP_BEGIN,
                      .otid = 0x7100,
                      .ac = 1,
                      .acv = 3,
                      .op = SSGW_MAP_OP_UPDATE_LOCATION,
                      .imsi = "262015000000002",
                      .vlr = VLR,
                      .msc = MSC};
        fw_spec isd = {.opc = 2002,
                       .dpc = 1001,
                       .cg = DE_HLR,
                       .cg_ssn = 6,
                       .cd = VLR,
                       .cd_ssn = 7,
                       .tcap = SSGW_TCAP_CONTINUE,
                       .otid = 0x7200,
                       .dtid = 0x7100,
                       .ac = 1,
                       .acv = 3,
                       .op = SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA,
                       .imsi = "262015000000002",
                       .msisdn = "491710100002"};
        fw_spec bye = {.opc = 1001,
                       .dpc = 2002,
                       .cg = VLR,
                       .cg_ssn = 7,
                       .cd = DE_HLR,
                       .cd_ssn = 6,
                       .tcap = SSGW_TCAP_END,
                       .dtid = 0x7200,
                       .acv = 3,
                       .op = SSGW_MAP_OP_INSERT_SUBSCRIBER_DATA,
                       .comp = SSGW_TCAP_COMP_RETURN_RESULT_LAST};
        fw_spec kul = ul;
        kul.dpc = 2001, kul.cd = KE_HLR, kul.imsi = KE_SUB;
        fw_spec kisd = isd;
        kisd.opc = 2001, kisd.cg = KE_HLR, kisd.otid = 0x7300, kisd.imsi = KE_SUB;
        kisd.msisdn = "254722100002";
        CHECK_STR(fw_judge(fa, a, &ul, 6000, false), "default");
        CHECK_STR(fw_judge(fa, a, &isd, 6001, false), "default");
        CHECK_STR(fw_judge(fa, a, &bye, 6002, false), "default");
        CHECK_STR(fw_judge(fb, b, &kul, 6010, false), "default");
        ssgw_store_health h0, h1;
        health(a, &h0);
        CHECK_STR(fw_judge(fa, a, &isd, 6011, true), "tcap.dialogue_peer_mismatch");
        CHECK_STR(fw_judge(fa, a, &kisd, 6012, true), "default");
        health(a, &h1);
        CHECK_INT(h1.sync_reads, h0.sync_reads); /* every record read was prefetched */
        CHECK(h1.cache_hits > h0.cache_hits);
        CHECK_STR(fw_judge(fb, b, &isd, 6013, false), "tcap.dialogue_peer_mismatch");
        CHECK_STR(fw_judge(fb, b, &kisd, 6014, false), "default");
    }
    ssgw_decoder_free(fw_dec);
    ssgw_firewall_free(fa);
    ssgw_firewall_free(fb);
    ssgw_policy_free(pol);
    ssgw_store_free(a);
    ssgw_store_free(b);
}

static void memory_per_subscriber(int port)
{
    ssgw_store *s = open_store(port, SSGW_STATE_FAIL_LOCAL, "ssgw:");
    if (!s) return;
    uint64_t imsi = ssgw_store_pack_digits("234910000000031");
    ssgw_store_location loc = {.vlr = ssgw_store_pack_digits("254722000010"),
                               .msc = ssgw_store_pack_digits("254722000011"),
                               .cc = 42,
                               .time = 1700000000};
    s->ops->location_put(s, imsi, &loc);
    s->ops->flush(s);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "MEMORY USAGE 'ssgw:l{%llx}'", (unsigned long long)imsi);
    long bytes = cli_int(port, cmd);
    CHECK(bytes > 0 && bytes < 200);
    printf("    MEMORY USAGE of one subscriber location: %ld bytes\n", bytes);
    ssgw_store_free(s);
}

/* ---- the caller's lock ------------------------------------------------------------------ */

static void release_mu(void *m)
{
    pthread_mutex_unlock(m);
}

static void reacquire_mu(void *m)
{
    pthread_mutex_lock(m);
}

typedef struct {
    ssgw_store *s;
    pthread_mutex_t *mu;
    ssgw_store_key key;
    uint64_t gen;
} prefetcher;

/* A lane's batch: the prefetch, under the caller's lock. */
static void *prefetch_main(void *arg)
{
    prefetcher *w = arg;
    pthread_mutex_lock(w->mu);
    w->gen = w->s->ops->prefetch(w->s, &w->key, 1);
    pthread_mutex_unlock(w->mu);
    return NULL;
}

static void caller_lock(int port, pid_t pid)
{
    store_timeout_ms = 30000; /* the stopped server is never given up on during the test */
    ssgw_store *s = open_store(port, SSGW_STATE_FAIL_LOCAL, "t8:");
    store_timeout_ms = 500;
    CHECK(s != NULL);
    if (!s) return;
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&mu);
    s->ops->set_caller_lock(s, release_mu, reacquire_mu, &mu);
    uint64_t a = ssgw_store_pack_digits("234910000000081"),
             b = ssgw_store_pack_digits("234910000000082");
    ssgw_store_location la = {.vlr = 1, .msc = 2, .cc = 3, .time = 4},
                        lb = {.vlr = 5, .msc = 6, .cc = 7, .time = 8}, out;
    s->ops->location_put(s, a, &la);
    CHECK_INT(s->ops->flush(s), 0);
    ssgw_store_health h0, h1;
    health(s, &h0);
    /* the server stops answering; a lane's prefetch waits for it, holding the lock until
     * the store lets it go */
    CHECK_INT(kill(pid, SIGSTOP), 0);
    prefetcher w = {s, &mu, {SSGW_STORE_LOCATION, a, 0}, 0};
    pthread_t t;
    CHECK_INT(pthread_create(&t, NULL, prefetch_main, &w), 0);
    pthread_mutex_unlock(&mu);
    /* the prefetch is under way once its round trip is counted; we see it under the lock,
     * which the store must give up while it waits (else this waits out the 30 s timeout) */
    uint64_t rt = h0.round_trips;
    while (rt == h0.round_trips) {
        struct timespec dl;
        clock_gettime(CLOCK_REALTIME, &dl);
        dl.tv_sec += 10;
        int e = pthread_mutex_timedlock(&mu, &dl);
        CHECK_INT(e, 0);
        if (e) { /* held across the round trip: let it finish and give up */
            kill(pid, SIGCONT);
            pthread_join(t, NULL);
            ssgw_store_free(s);
            return;
        }
        health(s, &h1);
        rt = h1.round_trips;
        pthread_mutex_unlock(&mu);
        if (rt == h0.round_trips) sched_yield(); /* the prefetch has not run yet */
    }
    CHECK_INT(rt, h0.round_trips + 1);
    /* meanwhile another lane (the loop's) reads and writes: no round trip */
    pthread_mutex_lock(&mu);
    s->ops->use_generation(s, SSGW_STORE_GEN_NOWAIT);
    CHECK_INT(s->ops->location_put(s, b, &lb), 1);
    CHECK_INT(s->ops->location_get(s, b, &out), 1);
    CHECK_INT(out.time, 8);
    CHECK(s->ops->bucket_take(s, 99, 10, 1, 10, 1000) == 1);
    /* a lane inside a batch, on a record the batch did not fetch: the local copy */
    s->ops->use_generation(s, 1);
    CHECK_INT(s->ops->location_get(s, ssgw_store_pack_digits("234910000000083"), &out), 0);
    health(s, &h1);
    CHECK_INT(h1.round_trips, h0.round_trips + 1);
    CHECK_INT(h1.sync_reads, h0.sync_reads);
    CHECK(h1.nowait_reads >= 2);
    CHECK_INT(h1.status, SSGW_STORE_UP);
    pthread_mutex_unlock(&mu);
    /* the server answers again: the prefetch completes */
    CHECK_INT(kill(pid, SIGCONT), 0);
    pthread_join(t, NULL);
    pthread_mutex_lock(&mu);
    s->ops->use_generation(s, w.gen);
    CHECK_INT(s->ops->location_get(s, a, &out), 1);
    CHECK_INT(out.time, 4);
    /* what the other lane wrote while the prefetch waited goes with the next exchange */
    CHECK_INT(s->ops->flush(s), 0);
    health(s, &h1);
    CHECK_INT(h1.pending, 0);
    CHECK_INT(h1.status, SSGW_STORE_UP);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "STRLEN 't8:l{%llx}'", (unsigned long long)b);
    CHECK_INT(cli_int(port, cmd), 22);
    CHECK_INT(cli_int(port, "EXISTS 't8:b{g3}63'"), 1);
    pthread_mutex_unlock(&mu);
    ssgw_store_free(s);
}

/* The server killed and restarted: fail policies, events, the queue replayed. */
static void outage(int *port_io, pid_t *pid_io)
{
    int port = *port_io;
    ssgw_store *s = open_store(port, SSGW_STATE_FAIL_LOCAL, "t5:");
    ssgw_store *c = open_store(port, SSGW_STATE_FAIL_CLOSED, "t5:");
    CHECK(s && c);
    if (!s || !c) return;
    uint64_t imsi = ssgw_store_pack_digits("234910000000041");
    ssgw_store_location loc = {.vlr = 11, .msc = 12, .cc = 13, .time = 500}, out;
    s->ops->location_put(s, imsi, &loc);
    CHECK_INT(s->ops->flush(s), 0);
    memset(events, 0, sizeof events);
    stop_redis(*pid_io);
    /* fail = local: the mirrored embedded store answers; writes are queued */
    CHECK_INT(s->ops->location_get(s, imsi, &out), 1);
    CHECK_INT(out.vlr, 11);
    CHECK_INT(events[SSGW_STORE_EVENT_DOWN], 1);
    ssgw_store_health h;
    health(s, &h);
    CHECK_INT(h.status, SSGW_STORE_DOWN_LOCAL);
    s->ops->dialogue_put(s, 0x5555, 0, 0, 600, 0, 60);
    CHECK_INT(s->ops->dialogue_get(s, 0x5555, 0, 610, 60, NULL), 1);
    CHECK_INT(s->ops->flush(s), -1);
    health(s, &h);
    CHECK_INT(h.pending, 1);
    CHECK(h.local_ops >= 2);
    /* fail = closed: reads fail, counted */
    uint64_t f0 = c->ops->failures(c);
    CHECK_INT(c->ops->location_get(c, imsi, &out), -1);
    CHECK_INT(c->ops->replay_check_insert(c, 1, 2, 60), -1);
    CHECK(c->ops->failures(c) >= f0 + 2);
    health(c, &h);
    CHECK_INT(h.status, SSGW_STORE_DOWN_CLOSED);
    /* the server back (same port): the reconnection thread finds it, the next caller
     * adopts it and replays the queue */
    *pid_io = start_redis(port, NULL, NULL);
    CHECK(*pid_io > 0);
    uint64_t end = rc_now_ms() + 10000;
    do {
        s->ops->tick(s, 0);
        health(s, &h);
        if (h.status == SSGW_STORE_UP) break;
        struct timespec ts = {0, 20 * 1000000L}; /* waiting on the store's status */
        nanosleep(&ts, NULL);
    } while (rc_now_ms() < end);
    CHECK_INT(h.status, SSGW_STORE_UP);
    CHECK_INT(events[SSGW_STORE_EVENT_UP], 1);
    CHECK_INT(h.pending, 0);
    CHECK_INT(h.replayed, 1);
    CHECK_INT(cli_int(port, "EXISTS 't5:d{5555}0'"), 1); /* the write made while away */
    ssgw_store_free(s);
    ssgw_store_free(c);
}

int main(void)
{
    snprintf(workdir, sizeof workdir, "/tmp/ssgw-test-redis-%d", (int)getpid());
    mkdir(workdir, 0700);
    RUN(key_slots);
    RUN(urls);
    int port = free_port();
    pid_t pid = port > 0 ? start_redis(port, NULL, NULL) : -1;
    CHECK(pid > 0);
    if (pid > 0) {
        round_trips(port);
        batches(port);
        buckets(port);
        two_gateways(port);
        firewalls_share_bindings(port);
        memory_per_subscriber(port);
        caller_lock(port, pid);
        outage(&port, &pid);
    }
    stop_redis(pid);
    if (check_remove_tree(workdir) != 0) fprintf(stderr, "could not remove %s\n", workdir);
    return check_summary();
}
