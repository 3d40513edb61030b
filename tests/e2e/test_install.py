#!/usr/bin/env python3
"""libssgw installs like a library: `cmake --install` into a fresh prefix gives a versioned
shared library (SONAME libssgw.so.0), the public headers of the decode-and-inspect API, a
pkg-config file and the programs; the library exports exactly the functions those headers
declare (internal helpers stay local); every installed header compiles on its own; and a
program outside the source tree (examples/probe/probe.c, copied elsewhere) builds against
the installed files with pkg-config alone and judges a capture exactly as `ssgw analyze`
does.

Usage: test_install.py --build DIR --source REPO --workdir DIR
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__))))
from gwtest import check, summary  # noqa: E402


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def declared(headers):
    """Function names the headers declare (prototypes at file scope; not static inline)."""
    out = set()
    for h in headers:
        text = re.sub(r"/\*.*?\*/", " ", open(h).read(), flags=re.S)
        for m in re.finditer(r"^(?!typedef|static|#)[A-Za-z][^;{}()=]*?\b(ssgw_\w+)\s*\(",
                             text, re.M):
            out.add(m.group(1))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--cc", default="cc", help="compiler and flags for the probe (the build's)")
    a = ap.parse_args()
    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    prefix = os.path.join(work, "prefix")
    p = run(["cmake", "--install", a.build, "--prefix", prefix])
    check("cmake --install into a fresh prefix", p.returncode == 0, p.stderr[-1000:])
    libdir = next((os.path.join(prefix, d) for d in ("lib", "lib64", "lib/x86_64-linux-gnu")
                   if os.path.exists(os.path.join(prefix, d, "libssgw.so.0"))), None)
    check("libssgw.so.0 installed (a link to the versioned file)", libdir is not None
          and os.path.islink(os.path.join(libdir, "libssgw.so.0")), os.listdir(prefix))
    if not libdir:
        return summary()
    so = os.path.realpath(os.path.join(libdir, "libssgw.so.0"))
    dyn = run(["readelf", "-d", so]).stdout
    check("SONAME libssgw.so.0", "Library soname: [libssgw.so.0]" in dyn, dyn[:400])
    inc = os.path.join(prefix, "include", "ssgw")
    headers = sorted(os.listdir(inc))
    check("public headers installed (%d)" % len(headers), "pipeline.h" in headers
          and "view.h" in headers and "capture.h" in headers, headers)
    check("no internal header installed", not any(h.endswith("_int.h") for h in headers)
          and "gateway.h" not in headers and "ca.h" not in headers, headers)
    for prog in ("ssgw", "tsca"):
        check("program %s installed" % prog, os.access(os.path.join(prefix, "bin", prog), os.X_OK))
    for mod in ("ssgw-inspect.so", "ssgw-gateway.so"): # where the installed ssgw looks
        check("module %s installed" % mod, os.path.isfile(os.path.join(libdir, "ssgw", mod)))
    nm = run(["nm", "-D", "--defined-only", so]).stdout
    exported = {l.split()[-1].split("@")[0] for l in nm.splitlines() if re.search(r" [TD] ", l)}
    want = declared([os.path.join(inc, h) for h in headers])
    extra = sorted(s for s in exported - want if s.startswith(("ssgw_", "cap_", "trie_", "gw_")))
    missing = sorted(want - exported)
    check("exports = the functions the installed headers declare (%d)" % len(want),
          not extra and not missing, {"not declared": extra[:10], "not exported": missing[:10]})
    check("internal helpers are not exported", not any(
        s.startswith(("cap_", "trie_", "pl_")) for s in exported))

    # a program outside the tree, with pkg-config only
    src = os.path.join(work, "elsewhere")
    os.makedirs(src)
    shutil.copy(os.path.join(a.source, "examples", "probe", "probe.c"), src)
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"))
    flags = run(["pkg-config", "--cflags", "--libs", "libssgw"], env=env)
    check("pkg-config knows libssgw", flags.returncode == 0 and "-lssgw" in flags.stdout,
          flags.stderr)
    alone = []
    cflags = run(["pkg-config", "--cflags", "libssgw"], env=env).stdout.split()
    for h in headers:  # each installed header compiles on its own (its includes are installed)
        p = run(a.cc.split() + ["-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-x",
                                "c", "-"] + cflags,
                input="#include <ssgw/%s>\nint main(void) { return 0; }\n" % h, env=env)
        if p.returncode:
            alone.append((h, p.stderr[-300:]))
    check("every installed header compiles alone, risk.h included", not alone
          and "risk.h" in headers, alone[:3])
    p = run(a.cc.split() + ["-std=c11", "-Wall", "-Wextra", "-Werror", "probe.c"] + flags.stdout.split()
            + ["-o", "probe"], cwd=src, env=env)
    check("examples/probe/probe.c builds against the installed library", p.returncode == 0,
          p.stderr[-1500:])
    if p.returncode:
        return summary()
    ssgw = os.path.join(prefix, "bin", "ssgw")
    conf = os.path.join(a.source, "examples", "ssgw.conf")
    cap = os.path.join(work, "attack.pcap")
    run([ssgw, "attack", "--count", "2000", "--seed", "3", "--labels", "-", "-q", cap])
    env["LD_LIBRARY_PATH"] = libdir
    pr = run([os.path.join(src, "probe"), conf, cap], env=env)
    check("the probe runs on the installed library", pr.returncode == 0, pr.stderr[-800:])
    ldd = run(["ldd", os.path.join(src, "probe")], env=env).stdout
    check("... and loads it from the prefix", libdir in ldd, ldd)
    an = run([ssgw, "analyze", "--config", conf, "--json", cap])
    recs = [json.loads(l) for l in an.stdout.splitlines() if l.strip()]
    acts = collections.Counter(r["action"] for r in recs)
    checks = collections.Counter(r["check"] for r in recs
                                 if r.get("action") != "forward" or r.get("alert"))
    line = pr.stdout.splitlines()[0].split() if pr.stdout else []
    got = dict(zip(line[2::2], map(int, line[3::2]))) if line else {}
    want_acts = {k: acts.get(k, 0) for k in ("forward", "forward-modified", "answer", "drop")}
    check("the probe's totals are ssgw analyze's (%s)" % want_acts,
          line[:2] == ["messages", str(len(recs))] and got == want_acts, (pr.stdout[:300], acts))
    pc = {l.split()[1]: int(l.split()[2]) for l in pr.stdout.splitlines()[1:]}
    check("... and so are its counts per check", pc == dict(checks), (pc, dict(checks)))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
