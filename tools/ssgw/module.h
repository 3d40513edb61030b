/*
 * module.h - commands built as modules that `ssgw` loads when one of them runs.
 *
 * The binary holds the commands that need nothing beyond libc and libpcap (decode,
 * generate, attack, status, demo, version); the commands that run the inspection
 * pipeline (OpenSSL, hiredis, jansson) are the module "ssgw-inspect", the live gateway
 * and the test peer (also libmicrohttpd, GnuTLS, usrsctp, libsctp, libsystemd)
 * "ssgw-gateway". Why and where they live: module.c.
 */
#ifndef SSGW_TOOLS_MODULE_H
#define SSGW_TOOLS_MODULE_H

/* The symbol every module exports with the release version it was built as
 * (tools/ssgw/module_build.c); a module of another version is refused. */
#define SSGW_MODULE_BUILD_SYMBOL "ssgw_module_build"

/*
 * Runs the subcommand `cmd` (argv[0] == cmd) whose entry point `entry` (int (int, char **))
 * is in the module `module` (a file name without ".so"). Returns the command's exit status,
 * or 1 after saying on stderr why the module could not be found or loaded.
 */
int ssgw_module_run(const char *module, const char *entry, int argc, char **argv);

#endif
