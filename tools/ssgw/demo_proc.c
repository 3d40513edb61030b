/*
 * demo_proc.c - the child processes of `ssgw demo` (fork/exec with their
 * output in a log file, bounded waits, SIGTERM then SIGKILL), free loopback
 * ports, and one JSON status read from a gateway's unix socket.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "demo.h"

uint64_t demo_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void demo_sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

int demo_spawn(demo_proc *p, const char *name, const char *cwd, const char *log, char *const argv[],
               char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->log, sizeof p->log, "%s", log);
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", log, strerror(errno));
        return -1;
    }
    int ex[2]; /* exec failure report: closed by a successful exec */
    if (pipe2(ex, O_CLOEXEC) < 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        close(fd);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(fd);
        close(ex[0]);
        close(ex[1]);
        return -1;
    }
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0) dup2(nul, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        int e = 0;
        if (cwd && chdir(cwd) < 0)
            e = errno;
        else {
            execv(argv[0], argv);
            e = errno;
        }
        if (write(ex[1], &e, sizeof e) < 0) _exit(127);
        _exit(127);
    }
    close(fd);
    close(ex[1]);
    int e = 0;
    ssize_t r;
    while ((r = read(ex[0], &e, sizeof e)) < 0 && errno == EINTR)
        ;
    close(ex[0]);
    p->pid = pid;
    if (r == (ssize_t)sizeof e) {
        demo_wait(p, 1000);
        snprintf(err, errlen, "cannot start %s (%s): %s", name, argv[0], strerror(e));
        return -1;
    }
    return 0;
}

bool demo_exited(demo_proc *p)
{
    if (!p->pid) return true;
    if (p->exited) return true;
    int st;
    pid_t r = waitpid(p->pid, &st, WNOHANG);
    if (r == p->pid) {
        p->exited = true;
        p->status = st;
        return true;
    }
    return false;
}

bool demo_wait(demo_proc *p, unsigned timeout_ms)
{
    uint64_t end = demo_now_ms() + timeout_ms;
    for (;;) {
        if (demo_exited(p)) return true;
        if (demo_now_ms() >= end) return false;
        demo_sleep_ms(10);
    }
}

bool demo_stop(demo_proc *p, unsigned grace_ms)
{
    if (!p->pid || demo_exited(p)) return true;
    kill(p->pid, SIGTERM);
    if (demo_wait(p, grace_ms)) return true;
    kill(p->pid, SIGKILL);
    demo_wait(p, 2000);
    return false;
}

const char *demo_exit_text(const demo_proc *p, char *buf, size_t cap)
{
    if (!p->exited)
        snprintf(buf, cap, "still running");
    else if (WIFEXITED(p->status))
        snprintf(buf, cap, "exit %d", WEXITSTATUS(p->status));
    else if (WIFSIGNALED(p->status))
        snprintf(buf, cap, "killed by signal %d", WTERMSIG(p->status));
    else
        snprintf(buf, cap, "status %d", p->status);
    return buf;
}

int demo_run(const char *cwd, const char *log, char *const argv[], unsigned timeout_ms, char *err,
             size_t errlen)
{
    demo_proc p;
    if (demo_spawn(&p, argv[0], cwd, log, argv, err, errlen) < 0) return -1;
    if (!demo_wait(&p, timeout_ms)) {
        demo_stop(&p, 500);
        snprintf(err, errlen, "%s did not finish within %u s", argv[0], timeout_ms / 1000);
        return -1;
    }
    if (!WIFEXITED(p.status)) {
        char b[64];
        snprintf(err, errlen, "%s: %s", argv[0], demo_exit_text(&p, b, sizeof b));
        return -1;
    }
    return WEXITSTATUS(p.status);
}

int demo_free_port(void)
{
    /* The port stays reserved while the demo runs: the socket stays bound (SO_REUSEADDR,
     * never listening; close-on-exec), so no other program asking the kernel for a free port
     * gets it before our gateway, which sets SO_REUSEADDR too, listens on it. */
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return -1;
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    int port = -1;
    if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(s, (struct sockaddr *)&a, &al) == 0)
        port = ntohs(a.sin_port);
    if (port < 0) close(s); /* else held until the process ends */
    return port;
}

int demo_status(const char *sock, char *buf, size_t cap)
{
    struct sockaddr_un a;
    if (strlen(sock) >= sizeof a.sun_path || cap < 2) return -1;
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return -1;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path, sock, strlen(sock) + 1);
    struct timeval tv = {1, 0};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) {
        close(s);
        return -1;
    }
    size_t n = 0;
    for (;;) {
        ssize_t r = read(s, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        n += (size_t)r;
        if (n + 1 >= cap) break;
    }
    close(s);
    buf[n] = '\0';
    return n ? (int)n : -1;
}

void demo_log_tail(const char *path, int lines)
{
    FILE *f = fopen(path, "r");
    if (!f) return;
    char *ring[64] = {0};
    if (lines > 64) lines = 64;
    int n = 0;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        free(ring[n % lines]);
        ring[n % lines] = strdup(line);
        n++;
    }
    fclose(f);
    int first = n > lines ? n - lines : 0;
    if (n) fprintf(stderr, "   --- last lines of %s ---\n", path);
    for (int i = first; i < n; i++) {
        const char *l = ring[i % lines];
        if (l) fprintf(stderr, "   | %s%s", l, l[strlen(l) - 1] == '\n' ? "" : "\n");
    }
    for (int i = 0; i < lines; i++)
        free(ring[i]);
}
