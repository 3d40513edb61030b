#!/usr/bin/env python3
"""End-to-end test of `ssgw demo`: the whole product on 127.0.0.1 (a TSCA, two
operators' gateways, their simulated network elements, an attacker on the
interconnect), run as a user runs it.

Checks: exit status 0 within the time budget; the artefacts it leaves behind
(both gateways' JSON events and HTML reports, the peers' records, the
configurations, the TSCA directory and trust bundle); in the events, signed
and verified (trust ok) messages at both gateways, and every attack message
of the attacker's capture blocked at Albion's gateway with its reason (a
firewall check name, or trust `missing` -> drop for spoofed bundle-member
GTs), spoofed calls among them released (REL back to the attacker, whose RLC
the gateway absorbs, no circuit left) and smishing with the bank's protected
name stopped; no legitimate message blocked; the legitimate requests delivered to the
other operator's elements byte-exact (the token stripped) and answered.

Usage: test_demo.py --ssgw BIN --workdir DIR
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

failures = 0


def check(name, cond, detail=""):
    global failures
    print(("ok   " if cond else "FAIL ") + name + ("" if cond or not detail else ": " + str(detail)[:1500]),
          flush=True)
    if not cond:
        failures += 1


def jsonl(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    ssgw = os.path.abspath(a.ssgw)
    if not os.access(os.path.join(os.path.dirname(ssgw), "tsca"), os.X_OK):
        print("SKIP: tsca is not built next to ssgw")
        return 77
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    out = os.path.join(a.workdir, "demo")
    t0 = time.time()
    p = subprocess.run([ssgw, "demo", "--quiet", "--dir", out], capture_output=True, text=True,
                       timeout=120)
    took = time.time() - t0
    check("ssgw demo exits 0", p.returncode == 0, p.stderr + p.stdout)
    check("--quiet prints nothing on success", p.returncode != 0 or p.stdout == "", p.stdout)
    check("ssgw demo finishes within 60 s (%.1f s)" % took, took < 60)

    for f in ["albion/events.jsonl", "safari/events.jsonl", "albion/report.html",
              "safari/report.html", "albion/gateway.toml", "safari/gateway.toml",
              "albion/ssgw.conf", "safari/ssgw.conf", "albion/albion.crt", "safari/safari.crt",
              "trust.bundle", "root.crt", "tsca", "peers/albion-core.jsonl",
              "peers/safari-core.jsonl", "peers/attacker.jsonl", "traffic/attacks.pcap",
              "albion/interconnect.pcap", "summary.txt"]:
        check("artefact " + f, os.path.exists(os.path.join(out, f)))
    for r in ["albion/report.html", "safari/report.html"]:
        path = os.path.join(out, r)
        if os.path.exists(path):
            with open(path) as fh:
                html = fh.read()
            check(r + " is an HTML report", "<html" in html.lower() and len(html) > 500)
    if failures:
        return 1

    ev_a = jsonl(os.path.join(out, "albion/events.jsonl"))
    ev_s = jsonl(os.path.join(out, "safari/events.jsonl"))
    for who, ev in (("albion", ev_a), ("safari", ev_s)):
        signed = [e for e in ev if e.get("signed") is True]
        ok = [e for e in ev if e.get("trust") == "ok"]
        check(who + ": signed > 0 (%d)" % len(signed), len(signed) > 0)
        check(who + ": verified ok > 0 (%d)" % len(ok), len(ok) > 0)
        other = "Safari Mobile" if who == "albion" else "Albion Mobile"
        check(who + ": the signer of verified messages is " + other,
              ok and all(e.get("signer") == other for e in ok), [e.get("signer") for e in ok])

    def blocked(e):
        return e.get("verdict") in ("drop", "answer", "rate-limit") or e.get("trust_action") == "drop"

    # every attack frame of the replayed capture has a blocking event with a reason
    labels = [json.loads(l) for l in open(os.path.join(out, "traffic/attack-catalogue.labels.jsonl"))]
    attacks = [l for l in labels if l["label"] == "attack" and l["dir"] == "in"]
    # the attacker's RLCs to the gateway's REL are absorbed (events of their own)
    absorbed = [e for e in ev_a if e.get("link") == "ipx" and e.get("isup") == "rlc"]
    ipx = [e for e in ev_a if e.get("link") == "ipx" and e.get("isup") != "rlc"]
    check("attacks replayed (%d) and judged on link ipx (%d)" % (len(attacks), len(ipx)),
          len(attacks) > 10 and len(ipx) == len(attacks))
    not_blocked = [e for e in ipx if not blocked(e)]
    check("every attack blocked", not not_blocked, not_blocked[:3])
    checks = {}
    for e in ipx:
        why = e.get("check") if e.get("check") not in (None, "default") else None
        if not why and e.get("trust") == "missing" and e.get("trust_action") == "drop":
            why = "trust.missing"
        checks[why] = checks.get(why, 0) + 1
    check("every blocked attack names its reason", None not in checks, checks)
    fw = {k for k in checks if k and k != "trust.missing"}
    check("the firewall named several checks (%s)" % sorted(fw), len(fw) >= 5)
    check("the trust check dropped spoofed bundle-member GTs", checks.get("trust.missing", 0) > 0,
          checks)
    # calls and smishing next to the MAP attacks
    calls = [e for e in ipx if e.get("isup") == "iam"]
    check("spoofed calls released with ISUP REL (%d)" % len(calls),
          len(calls) >= 2 and all(e.get("verdict") == "answer" and
                                  e.get("answer", "").startswith("isup-rel") and
                                  e.get("check", "").startswith("call.") for e in calls),
          calls[:2])
    check("every released call's RLC absorbed (%d)" % len(absorbed),
          len(absorbed) == len(calls) and all(e.get("check") == "isup.rlc_absorbed"
                                              and e.get("verdict") == "drop" for e in absorbed),
          absorbed[:2])
    st = json.load(open(os.path.join(out, "albion/status.json")))
    check("no circuit left at Albion's gateway", st.get("pipeline", {}).get("circuits") == 0
          and st["pipeline"].get("rlc_absorbed") == len(calls), st.get("pipeline"))
    check("smishing with the protected sender stopped",
          checks.get("sms.protected_sender", 0) > 0, checks)
    # labelled checks: where the firewall decided, it is the catalogue's check or an `also`
    by_tid = {}  # by calling GT, or calling number for calls
    for l in attacks:
        by_tid.setdefault(l["calling_gt"] or l["calling_number"], []).append(l)
    wrong = []
    for e in ipx:
        c = e.get("check")
        if not c or c == "default" or c.startswith("trust."):
            continue  # the trust check decided before the firewall (its reason is the check)
        ls = by_tid.get(e.get("calling_gt") or e.get("calling_number"), [])
        if ls and not any(c == l["check"] or c in l["also"] for l in ls):
            wrong.append((e.get("calling_gt"), e.get("op"), c, [l["check"] for l in ls]))
    check("firewall checks match the attack labels", not wrong, wrong[:5])

    legit = [e for e in ev_a + ev_s if e.get("link") != "ipx"]
    check("no legitimate message blocked", not any(blocked(e) for e in legit),
          [e for e in legit if blocked(e)][:3])

    # legitimate requests: delivered byte-exact (token stripped) and answered
    rec_a = jsonl(os.path.join(out, "peers/albion-core.jsonl"))
    rec_s = jsonl(os.path.join(out, "peers/safari-core.jsonl"))
    rec_x = jsonl(os.path.join(out, "peers/attacker.jsonl"))

    def data(rec, d):
        return [r for r in rec if r.get("dir") == d and r.get("msg") == "DATA"]

    n = 0
    for snd, rcv in ((rec_s, rec_a), (rec_a, rec_s)):
        for tx in data(snd, "tx"):
            if tx.get("tcap") != "begin":
                continue
            n += 1
            got = [r for r in data(rcv, "rx") if r.get("otid") == tx.get("otid")]
            check("%s delivered byte-exact" % tx.get("op"), len(got) == 1 and got[0]["pd"] == tx["pd"],
                  got)
            ans = [r for r in data(snd, "rx") if r.get("dtid") == tx.get("otid")]
            check("%s answered (End)" % tx.get("op"), len(ans) == 1 and ans[0].get("tcap") == "end", ans)
    check("6 legitimate requests sent (%d)" % n, n == 6)
    def tid(v):
        return None if v is None else "%08x" % v

    att_ids = {(l["calling_gt"], tid(l["otid"]), tid(l["dtid"]), l["calling_number"])
               for l in attacks}
    leaked = [r for r in data(rec_a, "rx")
              if (r.get("calling_gt"), r.get("otid"), r.get("dtid"), r.get("calling_number"))
              in att_ids or r.get("isup")]
    check("no attack reached Albion's network elements", not leaked, leaked[:3])
    check("the attacker received only the gateway's answers (TCAP End/Abort, ISUP REL; no "
          "network element answered)",
          all(r.get("tcap") in ("end", "abort") or r.get("isup") == "rel"
              for r in data(rec_x, "rx")))
    rel = [r for r in data(rec_x, "rx") if r.get("isup") == "rel"]
    rlc = [r for r in data(rec_x, "tx") if r.get("isup") == "rlc"]
    check("the attacker got a REL per spoofed call and answered it with RLC",
          len(rel) == len(calls) and len(rlc) == len(rel), (len(rel), len(rlc), len(calls)))

    # running it again into the same directory replaces the earlier output
    p2 = subprocess.run([ssgw, "demo", "--quiet", "--dir", out], capture_output=True, text=True,
                        timeout=120)
    check("a second run into the same DIR exits 0", p2.returncode == 0, p2.stderr)
    other = os.path.join(a.workdir, "not-a-demo")
    os.makedirs(other)
    open(os.path.join(other, "precious.txt"), "w").write("x")
    p3 = subprocess.run([ssgw, "demo", "--quiet", "--dir", other], capture_output=True, text=True,
                        timeout=60)
    check("a non-empty foreign DIR is refused (exit 2, file kept)",
          p3.returncode == 2 and os.path.exists(os.path.join(other, "precious.txt")) and
          "not empty" in p3.stderr, p3.stderr)
    print("%s: %d failure(s)" % (os.path.basename(sys.argv[0]), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
