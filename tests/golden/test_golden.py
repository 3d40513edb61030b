#!/usr/bin/env python3
"""Golden outputs: what `ssgw decode`, `ssgw decode --json` and `ssgw analyze --json` print for
small deterministic captures (ssgw generate / ssgw attack with fixed seeds), compared byte for
byte with the files in tests/golden/data/. They hold the output fixed while its code is made
faster (issue 16: "the JSON must stay byte-identical"); every kind of record is covered: MAP in
every TCAP shape, CAP / SCCP management / ANSI TCAP, ISUP, SMS TPDUs (with and without the
text), Diameter over TCP, M2PA, segmented SCCP, and the firewall's verdicts on the attack mix.

When an output changes on purpose (a new key, a generator change), run with --update, read the
diff of tests/golden/data/ and commit it with the change that made it.

Usage: test_golden.py --ssgw BIN --source REPO --workdir DIR [--update]
"""
import argparse
import difflib
import os
import shutil
import subprocess
import sys

# name: (capture command, output command); {pcap}, {cfg} are filled in
CASES = {
    "map": (["generate", "--count", "120", "--seed", "41"], ["decode"], ["decode", "--json"]),
    "users": (["generate", "--count", "120", "--seed", "42", "--users", "map,cap,scmg,ansi"],
              ["decode"], ["decode", "--json"]),
    "isup": (["generate", "--count", "80", "--seed", "43", "--protocol", "isup"],
             ["decode"], ["decode", "--json"]),
    "sms": (["generate", "--count", "60", "--seed", "44", "--protocol", "sms"],
            ["decode", "--sms-text"], ["decode", "--json", "--sms-text"]),
    "diameter": (["generate", "--count", "60", "--seed", "45", "--protocol", "diameter",
                  "--transport", "tcp"], ["decode"], ["decode", "--json"]),
    "m2pa": (["generate", "--count", "60", "--seed", "46", "--adaptation", "m2pa"],
             ["decode"], ["decode", "--json"]),
    "segmented": (["generate", "--count", "60", "--seed", "47", "--segment-every", "2",
                   "--link", "ipv6"], ["decode"], ["decode", "--json"]),
    "analyze": (["attack", "--count", "200", "--seed", "58", "--labels", "-", "-q"],
                ["analyze", "--config", "{cfg}"], ["analyze", "--json", "--config", "{cfg}"]),
}


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("golden: %s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                                 p.stderr.decode(errors="replace")[-500:]))
    return p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    data = os.path.join(a.source, "tests", "golden", "data")
    cfg = os.path.join(a.source, "tests", "golden", "policy.conf")
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    os.makedirs(data, exist_ok=True)
    passed = failed = 0
    for name, (gen, text, js) in CASES.items():
        pcap = os.path.join(a.workdir, name + ".pcap")
        run([a.ssgw] + gen + [pcap])
        for suffix, args in (("txt", text), ("jsonl", js)):
            args = [x.replace("{cfg}", cfg) for x in args]
            got = run([a.ssgw] + args + [pcap])
            path = os.path.join(data, "%s.%s" % (name, suffix))
            if a.update:
                with open(path, "wb") as f:
                    f.write(got)
                print("wrote " + path)
                continue
            want = open(path, "rb").read() if os.path.exists(path) else b""
            if got == want:
                passed += 1
                print("ok   %s.%s (%d lines)" % (name, suffix, got.count(b"\n")))
            else:
                failed += 1
                diff = difflib.unified_diff(want.decode(errors="replace").splitlines(),
                                            got.decode(errors="replace").splitlines(),
                                            path, "now", lineterm="", n=0)
                print("FAIL %s.%s differs from %s:" % (name, suffix, path))
                for i, line in enumerate(diff):
                    if i >= 40:
                        print("   ...")
                        break
                    print("   " + line[:300])
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
