/*
 * module_build.c - linked into every module of `ssgw` (tools/ssgw/module.h): the version it
 * was built as, which the binary compares with its own before it runs a command of the
 * module, so that a module left by another version is refused rather than run. The release
 * version, not the git commit: the version header is written again at every build, so a
 * partial build of a changed tree (one module's target alone) would differ in the commit.
 */
#include "module.h"
#include "ssgw_version.h"

extern const char ssgw_module_build[];
const char ssgw_module_build[] = SSGW_VERSION;
