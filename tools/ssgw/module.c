/*
 * module.c - loading the modules that hold the heavier subcommands (module.h).
 *
 * Every library a program links is mapped and relocated before main: the one `ssgw` binary
 * that held every command linked 30 of them (libmicrohttpd and GnuTLS with its nine, libpcap
 * with D-Bus and libsystemd's chain, OpenSSL, usrsctp, hiredis, jansson), ~4 ms of CPU at
 * each start, 7 % of `ssgw decode` on a 200,000-message capture, for a command that uses
 * libpcap alone (docs/BENCHMARKS.md). So the commands that need those libraries are built
 * as modules (CMakeLists.txt) each linking only what it uses, and the binary dlopens the one
 * a command lives in when that command runs; the others never load them.
 *
 * A module is looked for beside the binary (the build tree), then in SSGW_MODULE_RELDIR
 * relative to the binary's directory (the installed tree: ../lib/<triplet>/ssgw from
 * /usr/bin, cmake/install.cmake), both found from /proc/self/exe, never from the
 * environment. It is loaded with RTLD_NOW (a missing library is reported here, not at its
 * first call) and RTLD_LOCAL (its own copy of libssgw's code, linked in statically and
 * exported by nobody, binds only to itself), and never unloaded.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "module.h"
#include "ssgw_version.h"

#ifndef SSGW_MODULE_RELDIR
#error "SSGW_MODULE_RELDIR: where the modules are installed, from the binary's directory"
#endif

/* The directory of the running binary into dir (without the final '/'); 0, or -1 (errno). */
static int self_dir(char *dir, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", dir, cap - 1);
    if (n <= 0) return -1;
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash) {
        errno = ENOENT;
        return -1;
    }
    *slash = '\0';
    return 0;
}

int ssgw_module_run(const char *module, const char *entry, int argc, char **argv)
{
    const char *cmd = argv[0];
    char dir[PATH_MAX];
    if (self_dir(dir, sizeof dir) < 0) {
        fprintf(stderr, "ssgw %s: /proc/self/exe: %s\n", cmd, strerror(errno));
        return 1;
    }
    char beside[PATH_MAX + 64], installed[PATH_MAX + 64 + sizeof SSGW_MODULE_RELDIR];
    snprintf(beside, sizeof beside, "%s/%s.so", dir, module);
    snprintf(installed, sizeof installed, "%s/%s/%s.so", dir, SSGW_MODULE_RELDIR, module);
    const char *path = access(beside, F_OK) == 0 ? beside : installed;
    if (path == installed && access(installed, F_OK) != 0) {
        fprintf(stderr,
                "ssgw %s: this command is in the module %s.so, found neither at %s nor at %s\n",
                cmd, module, beside, installed);
        return 1;
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "ssgw %s: cannot load %s: %s\n", cmd, path, dlerror());
        return 1;
    }
    const char *build = dlsym(h, SSGW_MODULE_BUILD_SYMBOL);
    if (!build || strcmp(build, SSGW_VERSION) != 0) {
        fprintf(stderr, "ssgw %s: %s is from %s%s, this ssgw is %s: install them together\n", cmd,
                path, build ? "version " : "", build ? build : "another build", SSGW_VERSION);
        return 1;
    }
    int (*run)(int, char **);
    void *sym = dlsym(h, entry);
    if (!sym) {
        fprintf(stderr, "ssgw %s: %s has no %s: %s\n", cmd, path, entry, dlerror());
        return 1;
    }
    memcpy(&run, &sym, sizeof run); /* POSIX: a function's address, returned as void * */
    return run(argc, argv);
}
