#!/usr/bin/env python3
"""The man pages as a reader gets them (cmake/install.cmake builds them into BUILD/man):

- `mandoc -T lint -W warning` and `groff -man -ww -z` report nothing (well-formed roff);
- `man -l` renders each page, with NAME, SYNOPSIS or DESCRIPTION, and SEE ALSO;
- the configuration pages list every key of their option table (`ssgw-config-docs print`,
  the same tables the loaders use), so a key added to the code is in the man page;
- ssgw(1) and tsca(1) name every subcommand their program lists in --help.
It first proves it can fail: a page with a broken macro must be reported.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

PAGES = {"ssgw.1": None, "tsca.1": None, "ssgw-gateway.toml.5": "gateway",
         "ssgw.conf.5": "policy", "tsca.conf.5": "tsca"}


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def lint(path):
    """Problems mandoc and groff report for one page."""
    out = []
    if shutil.which("mandoc"):
        p = run(["mandoc", "-T", "lint", "-W", "warning", path])
        out += [l for l in (p.stdout + p.stderr).splitlines() if l.strip()]
    p = run(["groff", "-man", "-ww", "-z", path])
    out += [l for l in p.stderr.splitlines() if l.strip()]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    a = ap.parse_args()
    failures = passes = 0

    def check(name, cond, detail=""):
        nonlocal failures, passes
        print(("ok   " if cond else "FAIL ") + name + ("" if cond else ": " + str(detail)[:1500]))
        passes += bool(cond)
        failures += not cond

    if not shutil.which("mandoc"):
        print("note: mandoc missing (scripts/deps installs it): groff checks only")
    with tempfile.TemporaryDirectory() as t:  # the check must see a broken page
        bad = os.path.join(t, "bad.1")
        with open(bad, "w") as f:
            f.write('.TH BAD 1\n.SH NAME\nbad \\- page\n.SH DESCRIPTION\n.BR\n\\fBunclosed\n.XY z\n')
        check("self-check: a broken page is reported", lint(bad), "nothing reported")

    cfgdocs = os.path.join(a.build, "ssgw-config-docs")
    for page, schema in PAGES.items():
        path = os.path.join(a.build, "man", page)
        if not os.path.exists(path):
            check(page + " built", False, path)
            continue
        probs = lint(path)
        check(page + ": mandoc and groff report nothing", not probs, probs[:10])
        env = dict(os.environ, MANWIDTH="100", MAN_KEEP_FORMATTING="0")
        p = run(["man", "-l", path], env=env)
        txt = re.sub(r".\x08", "", p.stdout)
        check(page + ": man -l renders it", p.returncode == 0 and "NAME" in txt
              and ("SYNOPSIS" in txt or "DESCRIPTION" in txt) and "SEE ALSO" in txt,
              p.stderr[-500:])
        if schema:
            md = run([cfgdocs, "print", schema]).stdout
            keys = re.findall(r"^\| `([a-z_0-9]+)` \|", md, re.M)
            missing = [k for k in keys if not re.search(r"(?m)^\s+" + re.escape(k) + r" \(", txt)]
            check("%s: every key of the %s option table (%d) is described" %
                  (page, schema, len(keys)), keys and not missing, missing)
        else:
            prog = os.path.join(a.build, page.split(".")[0])
            helptext = run([prog, "--help"]).stdout
            cmds = [l.split()[0] for l in helptext.splitlines() if l.startswith("  ")]
            missing = [c for c in cmds if not re.search(r"\b" + re.escape(c) + r"\b", txt)]
            check("%s: names every subcommand of %s --help (%d)" % (page, page[:-2], len(cmds)),
                  cmds and not missing, missing)
    print("%d passed, %d failed" % (passes, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
