/*
 * module_build.c - linked into every module of `ssgw` (tools/ssgw/module.h): the version
 * of the build, which the binary compares with its own before it runs a command of the
 * module, so that a module left by another version is refused rather than run.
 */
#include "module.h"
#include "ssgw_version.h"

extern const char ssgw_module_build[];
const char ssgw_module_build[] = SSGW_VERSION_FULL;
