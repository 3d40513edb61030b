#!/usr/bin/env python3
"""The gateway's live dashboard (GET /, src/gateway/gw_dashboard.c) in real headless
Chromium: Debian's chromium driven by playwright-core from npm (installed, at a pinned
version, into the build directory by this test), a fresh profile. A gateway with the
example policy and [http] runs between `ssgw peer` processes; while a labelled attack
capture flows, tests/e2e/dashboard.mjs opens the page with a management token and reports
what it saw: the page loads, the live counters change, the tables (verdicts, checks,
partners, links) fill, blocked messages show with their check and reason, and no error
reaches the console.

Usage: test_dashboard.py --ssgw BIN --workdir DIR --source REPO --node-dir DIR
Exit 77 (skipped) only when node, npm or chromium is not installed, or npm cannot reach
its registry."""
import argparse
import json
import os
import shutil
import subprocess
import sys

import gwtest
from gwtest import check, finish, free_port, gateway, kill_all, start, status, stop, summary, text

PLAYWRIGHT = "playwright-core@1.57.0"
TOKEN = "dash-0123456789abcdef0123456789"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--node-dir", required=True)
    a = ap.parse_args()
    for tool in ("node", "npm", "chromium"):
        if not shutil.which(tool):
            print("SKIP: %s is not installed (scripts/deps installs it)" % tool)
            return 77
    mod = os.path.join(a.node_dir, "node_modules", "playwright-core")
    if not os.path.isdir(mod):
        os.makedirs(a.node_dir, exist_ok=True)
        p = subprocess.run(["npm", "install", "--prefix", a.node_dir, "--no-audit", "--no-fund",
                            PLAYWRIGHT], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=600)
        if p.returncode != 0 or not os.path.isdir(mod):
            print("SKIP: npm install %s failed (registry unreachable?):\n%s" % (PLAYWRIGHT,
                                                                             p.stdout[-1500:]))
            return 77
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    work, ssgw = a.workdir, a.ssgw
    tok = os.path.join(work, "api.tokens")
    with open(tok, "w") as f:
        f.write("dashboard " + TOKEN + "\n")
    os.chmod(tok, 0o600)
    po, pi, ph = free_port(), free_port(), free_port()
    sock = os.path.join(work, "gw.sock")
    cfg = gwtest.write_config(os.path.join(work, "gw.toml"), [
        {"name": "interconnect", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % po},
        {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi}],
        ['status_socket = "%s"' % sock,
         'policy = "%s"' % os.path.join(a.source, "examples", "ssgw.conf"),
         "", "[http]", 'listen = "127.0.0.1:%d"' % ph, 'tokens = "api.tokens"'])
    g = gateway(ssgw, cfg, sock, os.path.join(work, "gw.log"))
    check("gateway with [http] starts", g.poll() is None, text(g.logfile))
    inner = start([ssgw, "peer", "--connect", "127.0.0.1:%d" % pi, "-q", "--duration", "120000",
                   "--linger", "120000"], os.path.join(work, "inner.log"))
    pcap = os.path.join(work, "attack.pcap")
    p = subprocess.run([ssgw, "attack", "--seed", "3", "--count", "1500", "--attack-ratio", "0.3",
                        "--duration", "0.02", "-q", pcap], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    check("attack capture generated", p.returncode == 0, p.stderr)
    # about 30 s of traffic at 50/s: the page must see it move while it flows
    rp = start([ssgw, "peer", "--connect", "127.0.0.1:%d" % po, "-q", "--replay", pcap, "--rate",
                "50", "--linger", "300", "--duration", "60000"], os.path.join(work, "replay.log"))
    env = dict(os.environ, NODE_PATH=os.path.join(a.node_dir, "node_modules"))
    script = os.path.join(work, "dashboard.mjs")
    # an ES module resolves packages from its own directory: run a copy beside node_modules
    shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "dashboard.mjs"),
                os.path.join(a.node_dir, "dashboard.mjs"))
    script = os.path.join(a.node_dir, "dashboard.mjs")
    p = subprocess.run(["node", script, "http://127.0.0.1:%d/" % ph, TOKEN,
                        os.path.join(work, "chromium-profile"), os.path.join(work, "dashboard.png")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=180,
                       env=env)
    try:
        seen = json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        seen = {"failure": p.stdout[-1000:] + p.stderr[-2000:]}
    check("headless Chromium ran the page", "failure" not in seen, seen.get("failure"))
    check("the page loads (200) and shows the dashboard", seen.get("status") == 200
          and seen.get("loaded"), seen)
    check("live numbers change while traffic flows",
          seen.get("second", 0) > seen.get("first", 0), (seen.get("first"), seen.get("second")))
    blocked = seen.get("blocked") or []
    check("the latest blocked messages show with their check and reason",
          blocked and all(r[5] and r[6] for r in blocked), blocked[:3])
    check("tables fill: verdicts, checks, partners, links", seen.get("verdicts", 0) >= 5
          and seen.get("checks", 0) >= 1 and "Safari Mobile" in (seen.get("partners") or [])
          and seen.get("links") == 2, seen)
    check("no console errors", seen.get("errors") == [], seen.get("errors"))
    check("screenshot written", os.path.getsize(os.path.join(work, "dashboard.png")) > 10000
          if os.path.exists(os.path.join(work, "dashboard.png")) else False)
    rp.kill()
    inner.kill()
    finish(rp, 5)
    finish(inner, 5)
    st = status(sock)
    check("the dashboard's requests were authenticated (no 401)",
          st["http"]["unauthorized"]["api"] == 0 and st["http"]["requests"]["api"] > 2, st["http"])
    check("graceful stop", stop(g) == 0, text(g.logfile)[-1500:])
    return summary()


if __name__ == "__main__":
    try:
        rc = main()
    finally:
        kill_all()
    sys.exit(rc)
