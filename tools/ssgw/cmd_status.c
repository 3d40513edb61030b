/*
 * cmd_status.c - `ssgw status --socket PATH`: prints the JSON status of a
 * running gateway (links, association and ASP states, queues, counters) read
 * from its unix status socket ([gateway] status_socket).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cmd.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: ssgw status --socket PATH\n"
                 "\n"
                 "Prints the JSON status of a running `ssgw run` (per-link association\n"
                 "state, ASP state, queues; counters by reason).\n");
}

int cmd_status(int argc, char **argv)
{
    static const struct option opts[] = {{"socket", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *path = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            path = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!path || optind != argc) {
        usage(stderr);
        return 2;
    }
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path) {
        fprintf(stderr, "ssgw status: %s: path too long\n", path);
        return 2;
    }
    memcpy(a.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        fprintf(stderr, "ssgw status: %s: %s (is `ssgw run` running with status_socket?)\n", path,
                strerror(errno));
        if (fd >= 0) close(fd);
        return 1;
    }
    char buf[8192];
    ssize_t n;
    size_t total = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        fwrite(buf, 1, (size_t)n, stdout);
        total += (size_t)n;
    }
    close(fd);
    if (!total) {
        fprintf(stderr, "ssgw status: %s: empty answer\n", path);
        return 1;
    }
    fputc('\n', stdout);
    return 0;
}
