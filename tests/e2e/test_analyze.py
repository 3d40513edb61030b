#!/usr/bin/env python3
"""End-to-end tests of `ssgw check-config` and `ssgw analyze` as a user runs them.

- check-config: the example configuration is valid; a broken one gives FILE:LINE:COL
  errors and exit status 1.
- analyze on `ssgw generate` traffic with the example configuration: no crash, one record
  per message with exactly one verdict, the summary totals add up, the HTML report is
  self-contained, monitor mode computes the same verdicts without enforcing them.
- analyze on `ssgw attack` captures (labelled by the attack generator, whose label sidecar
  is documented in docs/attacks.md): every attack message is caught by its expected check
  (or a listed alternative) and the legitimate messages produce zero blocks. The only
  tolerated misses are the first messages of a flood, which a rate limit cannot tell from
  legitimate traffic (as many as the configured burst and what the bucket refills while the
  flood lasts), and the calls before a wangiri pattern is established.
Usage: test_analyze.py --ssgw BIN --workdir DIR --source REPO
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

from gwtest import RATE_CHECKS, rate_allowance

failures = 0
passes = 0
VERDICTS = {"allow", "drop", "answer", "alert", "rate-limit"}


def check(name, cond, detail=""):
    global failures, passes
    if cond:
        passes += 1
        print("ok   " + name)
    else:
        failures += 1
        print("FAIL " + name + (": " + str(detail)[:2000] if detail else ""))


def run(args):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def analyze_json(ssgw, conf, pcap, extra=()):
    p = run([ssgw, "analyze", "--config", conf, "--json", *extra, pcap])
    return p, [json.loads(l) for l in p.stdout.splitlines()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--source", required=True)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    w = lambda n: os.path.join(a.workdir, n)
    ssgw = a.ssgw
    conf = os.path.join(a.source, "examples", "ssgw.conf")

    # --- check-config
    p = run([ssgw, "check-config", conf])
    check("check-config example", p.returncode == 0 and p.stdout.startswith("ok"), p.stderr)
    names = re.findall(r"^  ([a-z0-9_]+\.[a-z0-9_]+|default) +(?:enforce|test|learn|off) ",
                       p.stdout, re.M)
    docs = open(os.path.join(a.source, "docs", "checks.md")).read()
    check("every check is documented", names and all("`" + n + "`" in docs for n in names),
          [n for n in names if "`" + n + "`" not in docs])
    bad = w("bad.conf")
    with open(bad, "w") as f:
        f.write('[home]\nmcc_mnc = ["23491"]\ngt_prefixes = ["447924"]\n[policy]\nmdoe = "x"\n'
                'mode = "block"\n')
    p = run([ssgw, "check-config", bad])
    check("check-config bad: exit 1", p.returncode == 1, p.returncode)
    check("check-config bad: unknown key with line:col",
          bad + ":5:1: error: [policy] unknown key 'mdoe' (did you mean 'mode'?)" in p.stderr,
          p.stderr)
    check("check-config bad: bad value with line:col and what is allowed",
          bad + ':6:8: error: [policy] mode: "block": allowed values are enforce|monitor'
          in p.stderr, p.stderr)
    p = run([ssgw, "check-config", w("missing.conf")])
    check("check-config missing file", p.returncode == 1 and "cannot open" in p.stderr, p.stderr)

    # --- generate -> analyze
    gen = w("gen.pcap")
    p = run([ssgw, "generate", "--count", "3000", "--seed", "5", gen])
    check("generate", p.returncode == 0, p.stderr)
    dec = run([ssgw, "decode", "--json", gen])
    n_dec = len(dec.stdout.splitlines())
    p, recs = analyze_json(ssgw, conf, gen)
    check("analyze generate: exit 0", p.returncode == 0, p.stderr)
    check("analyze generate: one record per message", len(recs) == n_dec, (len(recs), n_dec))
    check("analyze generate: exactly one verdict each",
          all(r.get("verdict") in VERDICTS and r.get("check") and r.get("reason")
              and isinstance(r.get("enforced"), bool) for r in recs))
    counts = collections.Counter(r["verdict"] for r in recs)
    # Records that cannot be written (a full disk) are said, exit 1, with one thread or two.
    if os.path.exists("/dev/full"):
        for threads in ("1", "2"):
            with open("/dev/full", "w") as full:
                p = subprocess.run([ssgw, "analyze", "--config", conf, "--json", "--threads",
                                    threads, gen], stdout=full, stderr=subprocess.PIPE, text=True)
            check("analyze --json --threads %s to a full disk: exit 1, says why" % threads,
                  p.returncode == 1 and "ssgw analyze: writing the output: No space left on device"
                  in p.stderr, "%d %s" % (p.returncode, p.stderr))
    s = run([ssgw, "analyze", "--config", conf, "--report", w("gen.html"), gen])
    check("analyze summary: exit 0", s.returncode == 0, s.stderr)
    m = re.search(r"messages inspected: (\d+)", s.stdout)
    total = int(m.group(1)) if m else -1
    per = {k: int(v) for k, v in re.findall(r"^  (allow|drop|answer|alert|rate-limit) +(\d+)$",
                                            s.stdout, re.M)}
    check("summary totals add up", total == len(recs) and sum(per.values()) == total
          and all(per.get(k, 0) == counts.get(k, 0) for k in VERDICTS), (total, per, counts))
    html = open(w("gen.html")).read()
    check("report is self-contained HTML with charts",
          html.startswith("<!DOCTYPE html>") and html.count("<svg") >= 3
          and not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", html)
          and "<script" not in html)
    p, mon = analyze_json(ssgw, conf, gen, ["--monitor"])
    check("monitor: same verdicts, not enforced",
          len(mon) == len(recs) and all(not r["enforced"] for r in mon)
          and [r["verdict"] for r in mon] == [r["verdict"] for r in recs])

    # --- labelled attack captures
    has_attack = run([ssgw, "attack", "--help"]).returncode == 0
    if not has_attack:
        print("skip attack captures: `ssgw attack` is not available in this build")
    for seed, count in ((11, 20000), (12, 6000)) if has_attack else ():
        pcap = w("attack%d.pcap" % seed)
        labels_path = w("attack%d.labels.jsonl" % seed)
        p = run([ssgw, "attack", "--seed", str(seed), "--count", str(count), "--attack-ratio",
                 "0.1", "--labels", labels_path, "-q", pcap])
        check("attack seed %d" % seed, p.returncode == 0, p.stderr)
        labels = {}
        for l in open(labels_path):
            x = json.loads(l)
            labels[x["frame"]] = x
        p, recs = analyze_json(ssgw, conf, pcap)
        check("analyze attack %d: every frame has a verdict" % seed,
              p.returncode == 0 and len(recs) == len(labels), (len(recs), len(labels)))
        fp, miss, wrong, caught = [], [], [], collections.Counter()
        rate_miss = collections.defaultdict(list)  # (attack, instance) -> frames let through
        span = {}  # (attack, instance) -> first and last time of its attack messages
        for r in recs:
            lab = labels.get(r["frame"])
            if lab is None:
                miss.append(("no label", r["frame"]))
                continue
            blocked = r["verdict"] not in ("allow", "alert")
            if lab["label"] == "legit":
                if blocked or r["check"] != "default":
                    fp.append((r["frame"], lab.get("scenario"), r["check"], r["reason"]))
                continue
            expected = [lab["check"]] + (lab.get("also") or [])
            key = (lab["attack"], lab.get("instance"))
            t = float(r["time_epoch"])
            span[key] = (min(span.get(key, (t, t))[0], t), t)
            if blocked and r["check"] in expected:
                caught[lab["attack"]] += 1
                continue
            if lab["check"] in RATE_CHECKS and not blocked:
                rate_miss[key].append((r["frame"], lab["check"]))
                continue
            (wrong if blocked else miss).append(
                (r["frame"], lab["attack"], lab["check"], r["check"], r["reason"]))
        for key, frames in rate_miss.items():
            allowed = rate_allowance(frames[0][1], span[key][1] - span[key][0])
            if len(frames) > allowed:
                miss.append((key, frames[0][1], "%d let through, allowed %d"
                             % (len(frames), allowed), frames[allowed:allowed + 5]))
        check("attack %d: zero false positives on legitimate traffic" % seed, not fp, fp[:10])
        check("attack %d: every attack caught by its expected check" % seed,
              not miss and not wrong, (miss[:10], wrong[:10]))
        check("attack %d: several attack kinds present" % seed, len(caught) >= 10, dict(caught))
        if count >= 20000:
            catalogue = [l.split()[0] for l in run([ssgw, "attack", "--list"]).stdout.splitlines()[1:]]
            check("attack %d: every attack of the catalogue present and caught" % seed,
                  set(catalogue) == set(caught), sorted(set(catalogue) - set(caught)))

    # smish.split_link needs the segments joined: with [sms] concat_window = 0 (joining off)
    # every one passes, so the catch above is the joining's, not a segment's own text
    if has_attack:
        pcap, lab = w("split.pcap"), w("split.labels.jsonl")
        p = run([ssgw, "attack", "--seed", "13", "--count", "300", "--attack-ratio", "0.3",
                 "--only", "smish.split_link", "--labels", lab, "-q", pcap])
        labels = {x["frame"]: x for x in map(json.loads, open(lab))}
        atk = {f for f, x in labels.items() if x["label"] == "attack"}
        off = w("split-off.conf")
        with open(off, "w") as f:
            f.write(re.sub(r"(?m)^\[sms\]\n", "[sms]\nconcat_window = 0\n", open(conf).read(), 1))
        _, on_recs = analyze_json(ssgw, conf, pcap)
        _, off_recs = analyze_json(ssgw, off, pcap)
        caught = {r["frame"] for r in on_recs if r["verdict"] == "drop" and r["check"] == "sms.url"}
        passed_off = {r["frame"] for r in off_recs if r["verdict"] == "allow"}
        check("split link: every completing segment caught, nothing else",
              p.returncode == 0 and len(atk) > 20 and caught == atk, (len(atk), len(caught)))
        check("split link: with joining off every segment passes", atk <= passed_off
              and len(passed_off) == len(labels), (len(atk & passed_off), len(passed_off)))

    print("%d passed, %d failed" % (passes, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
