/*
 * test_evloop.c - the gateway's event loop (src/gateway/evloop.c): descriptor
 * readiness through a pipe, timers (one-shot, periodic, cancelled, ordered),
 * callbacks that unregister another descriptor of the same batch, the idle hook.
 */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ssgw/evloop.h"

static int reads, writes, order[8], norder, idles;

static void on_read(ssgw_evloop *l, int fd, unsigned ev, void *arg)
{
    (void)l;
    (void)arg;
    char b[16];
    CHECK(ev & SSGW_EV_READ);
    if (read(fd, b, sizeof b) > 0) reads++;
}

static void on_write(ssgw_evloop *l, int fd, unsigned ev, void *arg)
{
    (void)arg;
    CHECK(ev & SSGW_EV_WRITE);
    writes++;
    ssgw_evloop_mod_fd(l, fd, 0); /* once */
}

static uint64_t on_timer(ssgw_evloop *l, long long id, void *arg)
{
    (void)l;
    (void)id;
    if (norder < 8) order[norder++] = (int)(intptr_t)arg;
    return 0;
}

static int periodic_runs;
static uint64_t on_periodic(ssgw_evloop *l, long long id, void *arg)
{
    (void)l;
    (void)id;
    (void)arg;
    return ++periodic_runs < 3 ? 5 : 0;
}

static void on_idle(ssgw_evloop *l, void *arg)
{
    (void)l;
    (void)arg;
    idles++;
}

static void test_fds(void)
{
    ssgw_evloop *l = ssgw_evloop_new();
    CHECK(l != NULL);
    int p[2];
    CHECK_INT(pipe(p), 0);
    CHECK_INT(ssgw_evloop_add_fd(l, p[0], SSGW_EV_READ, on_read, NULL), 0);
    CHECK_INT(ssgw_evloop_add_fd(l, p[0], SSGW_EV_READ, on_read, NULL), -17); /* -EEXIST */
    CHECK_INT(ssgw_evloop_add_fd(l, p[1], SSGW_EV_WRITE, on_write, NULL), 0);
    CHECK_INT(ssgw_evloop_fd_mask(l, p[1]), SSGW_EV_WRITE);
    ssgw_evloop_set_idle(l, on_idle, NULL);
    ssgw_evloop_run_once(l, 100); /* the write end is writable */
    CHECK_INT(writes, 1);
    CHECK_INT(reads, 0);
    CHECK(idles >= 1);
    CHECK(write(p[1], "x", 1) == 1);
    ssgw_evloop_run_once(l, 100);
    CHECK_INT(reads, 1);
    CHECK_INT(writes, 1); /* mask 0: no more write events */
    ssgw_evloop_del_fd(l, p[0]);
    CHECK_INT(ssgw_evloop_fd_mask(l, p[0]), 0);
    CHECK(write(p[1], "y", 1) == 1);
    ssgw_evloop_run_once(l, 20);
    CHECK_INT(reads, 1);
    CHECK_INT(ssgw_evloop_mod_fd(l, p[0], SSGW_EV_READ), -2); /* -ENOENT */
    ssgw_evloop_del_fd(l, p[1]);
    close(p[0]);
    close(p[1]);
    ssgw_evloop_free(l);
}

/* Two ready pipes; the first callback unregisters (and closes) the other. */
static int victim_calls;
static int victim_fd = -1;
static void on_victim(ssgw_evloop *l, int fd, unsigned ev, void *arg)
{
    (void)l;
    (void)fd;
    (void)ev;
    (void)arg;
    victim_calls++;
}
static void on_killer(ssgw_evloop *l, int fd, unsigned ev, void *arg)
{
    (void)fd;
    (void)ev;
    (void)arg;
    if (victim_fd >= 0) {
        ssgw_evloop_del_fd(l, victim_fd);
        victim_fd = -1;
    }
}

static void test_unregister_in_batch(void)
{
    ssgw_evloop *l = ssgw_evloop_new();
    int a[2], b[2];
    CHECK_INT(pipe(a), 0);
    CHECK_INT(pipe(b), 0);
    CHECK(write(a[1], "1", 1) == 1 && write(b[1], "1", 1) == 1);
    /* whichever runs first: the killer removes the victim; the victim may run only if first */
    victim_fd = b[0];
    ssgw_evloop_add_fd(l, a[0], SSGW_EV_READ, on_killer, NULL);
    ssgw_evloop_add_fd(l, b[0], SSGW_EV_READ, on_victim, NULL);
    ssgw_evloop_run_once(l, 100);
    CHECK(victim_calls <= 1);
    int before = victim_calls;
    ssgw_evloop_run_once(l, 20);
    CHECK_INT(victim_calls, before); /* never again after removal */
    ssgw_evloop_del_fd(l, a[0]);
    close(a[0]);
    close(a[1]);
    close(b[0]);
    close(b[1]);
    ssgw_evloop_free(l);
}

/* Waits until the monotonic clock reaches t (ms): the clock itself is what the test waits
 * for, not another party. */
static void wait_until_ms(uint64_t t)
{
    while (ssgw_evloop_now_ms() < t) {
        struct timespec d = {0, 1000000};
        nanosleep(&d, NULL);
    }
}

static void test_timers(void)
{
    ssgw_evloop *l = ssgw_evloop_new();
    uint64_t ta = ssgw_evloop_now_ms();
    long long t30 = ssgw_evloop_add_timer(l, 30, on_timer, (void *)(intptr_t)3);
    CHECK(t30 > 0);
    ssgw_evloop_add_timer(l, 10, on_timer, (void *)(intptr_t)1);
    ssgw_evloop_add_timer(l, 20, on_timer, (void *)(intptr_t)2);
    long long gone = ssgw_evloop_add_timer(l, 15, on_timer, (void *)(intptr_t)9);
    ssgw_evloop_del_timer(l, gone);
    uint64_t tb = ssgw_evloop_now_ms();
    /* a loop that wakes late, when all three are due: one turn fires them by deadline, not in
     * the order they were added */
    wait_until_ms(tb + 31);
    CHECK_INT(ssgw_evloop_run_once(l, 0), 3);
    CHECK_INT(norder, 3);
    if (tb - ta <= 9) { /* their deadlines are 10, 20, 30 ms apart as written */
        CHECK_INT(order[0], 1);
        CHECK_INT(order[1], 2);
        CHECK_INT(order[2], 3);
    } else {
        printf("  (%llu ms passed while the timers were added: their deadlines may be in "
               "another order, which is not checked)\n",
               (unsigned long long)(tb - ta));
    }
    /* a periodic timer: run_once waits for it, and it runs until it returns 0 */
    uint64_t t0 = ssgw_evloop_now_ms();
    ssgw_evloop_add_timer(l, 5, on_periodic, NULL);
    while (periodic_runs < 3 && ssgw_evloop_now_ms() - t0 < 60000)
        ssgw_evloop_run_once(l, -1); /* waits for the next timer */
    CHECK_INT(periodic_runs, 3);
    CHECK(ssgw_evloop_now_ms() - t0 >= 15);
    ssgw_evloop_del_timer(l, t30); /* already ended: ignored */
    CHECK(!ssgw_evloop_stopped(l));
    ssgw_evloop_stop(l);
    CHECK(ssgw_evloop_stopped(l));
    CHECK_INT(ssgw_evloop_run(l), 0); /* returns at once */
    ssgw_evloop_free(l);
}

int main(void)
{
    RUN(test_fds);
    RUN(test_unregister_in_batch);
    RUN(test_timers);
    return check_summary();
}
