#!/usr/bin/env python3
"""End-to-end tests of [import] (docs/partner-data.md) as an operator uses it.

- `ssgw check-config` on examples/ssgw.conf plus the example partner data (CSV and JSON) and
  ported numbers: valid, the merge report says what was merged and names every hand-written
  partner the data completes; a broken data file: every conflict and malformed row named by
  FILE:LINE, the policy still loads; with strict = true it is refused (exit 1).
- Imported partners judge like hand-written ones: examples/ssgw.conf with two of its three
  [[partner]] tables replaced by the example CSV gives the same verdict on every frame of a
  labelled `ssgw attack` capture as examples/ssgw.conf itself.
- Number portability through `ssgw analyze`: sendRoutingInfoForSM for our subscribers'
  numbers pass; listed as ported out (to Safari Mobile) they are refused by
  spoof.msisdn_network, and only they; a query for a Safari number is refused, and passes
  once the table says it was ported in to us (the capture patched, the MSISDN's TBCD bytes
  replaced by the other number's).

Usage: test_partner_data.py --ssgw BIN --source REPO --workdir DIR
"""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys

from gwtest import check, summary


def run(args):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=600)


def analyze(ssgw, conf, pcap):
    p = run([ssgw, "analyze", "--config", conf, "--json", pcap])
    return p, [json.loads(l) for l in p.stdout.splitlines()]


def tbcd(digits):
    d = digits + ("F" if len(digits) % 2 else "")
    return bytes(int(d[i + 1] + d[i], 16) for i in range(0, len(d), 2))


def patch_frames(src, dst, patches):
    """Copies a pcap, replacing in frame n (1-based) the bytes old by new (same length)."""
    data = bytearray(open(src, "rb").read())
    off, frame = 24, 0
    while off + 16 <= len(data):
        incl = struct.unpack("<I", data[off + 8:off + 12])[0]
        frame += 1
        if frame in patches:
            old, new = patches[frame]
            body = bytes(data[off + 16:off + 16 + incl])
            assert body.count(old) == 1, (frame, body.count(old))
            data[off + 16:off + 16 + incl] = body.replace(old, new)
        off += 16 + incl
    open(dst, "wb").write(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    ssgw, src = os.path.abspath(a.ssgw), os.path.abspath(a.source)
    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    w = lambda n: os.path.join(work, n)
    ex = lambda n: os.path.join(src, "examples", n)
    example = open(ex("ssgw.conf")).read()

    # --- the example data merged with the example policy
    with open(w("merged.conf"), "w") as f:
        f.write(example + '\n[import]\npartners = ["%s", "%s"]\nported_numbers = ["%s"]\n'
                % (ex("partners.csv"), ex("partners.json"), ex("ported-numbers.csv")))
    p = run([ssgw, "check-config", w("merged.conf")])
    check("check-config: example policy + example partner data is valid",
          p.returncode == 0 and p.stdout.startswith("ok"), p.stderr)
    check("check-config: the merge report",
          "import: 6 partners from 2 file(s) merged with 3 written by hand; 5 ported numbers "
          "rows from 1 file(s) (2 to us, 3 to partners, 0 to other networks)" in p.stdout,
          p.stdout[-2000:])
    check("check-config: the hand-written partners the data completes, by file:line",
          re.search(r'partners\.csv:\d+: warning: partner "Rhein Telekom" is also written by hand '
                    r'at .*merged\.conf:\d+, which is used; filled from this row: MSISDN ranges, '
                    r'Diameter realms', p.stdout), p.stdout[-2000:])
    check("check-config: imported partners listed with their origin",
          re.search(r"^  Maple Wireless \(CA\) .*partners\.json:\d+: 1 GT prefixes", p.stdout, re.M),
          p.stdout)

    # --- a broken file: reported, skipped; strict: refused
    with open(w("bad.csv"), "w") as f:
        f.write("name,country,mcc_mnc,gt_ranges,point_codes\n"
                "Fjord,NO,24201,4790,3001\n"                 # 2
                "Copycat,NO,24299,4790,3002\n"               # 3: the same range
                "Squatter,GB,23490,447924,3003\n"            # 4: the home network's range
                "Safari Mobile,TZ,63902,254722,2001\n"       # 5: contradicts the hand-written
                "Nested,NO,24203,47901,3004\n"               # 6: inside Fjord's
                "Broken,NO,24204,4792,99999\n"               # 7: bad point code
                '"Unclosed,NO,24205,4793,3005\n'             # 8: an unclosed quote
                "Later,NO,24206,4794,3006\n")                # 9: still read
    with open(w("bad.conf"), "w") as f:
        f.write(example + '\n[import]\npartners = ["bad.csv"]\n')
    p = run([ssgw, "check-config", w("bad.conf")])
    out = p.stdout
    check("bad data: the policy still loads", p.returncode == 0, p.stderr)
    for line, what in ((3, 'GT range "4790" of "Copycat" is also claimed by Fjord'),
                       (4, 'GT range "447924" of "Squatter" is also claimed by the home network'),
                       (5, 'partner "Safari Mobile" is also written by hand'),
                       (5, "contradicts this row in: country"),
                       (6, 'GT range "47901" of Nested lies inside "4790" of Fjord'),
                       (7, 'malformed row: point_codes: "99999"'),
                       (8, "malformed row: a quoted field is not closed")):
        check("bad data: bad.csv:%d named (%s)" % (line, what.split(":")[0][:40]),
              ("bad.csv:%d: warning: " % line) in out and what in out, out[-2500:])
    check("bad data: the row after an unclosed quote is read",
          re.search(r"^  Later \(NO\) .*bad\.csv:9:", out, re.M), out[-1500:])
    with open(w("strict.conf"), "w") as f:
        f.write(example + '\n[import]\npartners = ["bad.csv"]\nstrict = true\n')
    p = run([ssgw, "check-config", w("strict.conf")])
    check("strict: the policy is refused with every problem by file:line",
          p.returncode == 1 and "bad.csv:7: error: malformed row" in p.stderr
          and "bad.csv:3: error: GT range" in p.stderr, p.stderr)

    # --- imported partners judge like hand-written ones
    cut = example
    for name in ("Safari Mobile", "Lagos Mobile"):
        m = re.search(r'\[\[partner\]\]\nname = "%s"\n.*?(?=\n\[\[|\n# ----)' % name, cut, re.S)
        cut = cut[:m.start()] + cut[m.end():]
    check("the two hand-written partners are gone", "Safari Mobile" not in cut
          and "Lagos Mobile" not in cut and "Rhein Telekom" in cut)
    with open(w("imported.conf"), "w") as f:
        f.write(cut + '\n[import]\npartners = ["%s"]\n' % ex("partners.csv"))
    cap = w("attack.pcap")
    p = run([ssgw, "attack", "--seed", "51", "--count", "6000", "--attack-ratio", "0.1", "-q",
             "--labels", w("attack.labels.jsonl"), cap])
    check("attack capture", p.returncode == 0, p.stderr)
    p1, hand = analyze(ssgw, ex("ssgw.conf"), cap)
    p2, imp = analyze(ssgw, w("imported.conf"), cap)
    diff = [(x["frame"], x["check"], y["check"]) for x, y in zip(hand, imp)
            if (x["verdict"], x["check"]) != (y["verdict"], y["check"])]
    check("imported partners: the same verdict on every frame",
          p1.returncode == p2.returncode == 0 and len(hand) == len(imp) == 6000 and not diff,
          diff[:10])
    check("imported partners: attacks among them", sum(r["verdict"] != "allow" for r in imp) > 300)

    # --- number portability
    clean = w("clean.pcap")
    run([ssgw, "attack", "--seed", "52", "--count", "4000", "--attack-ratio", "0", "-q",
         "--labels", "-", clean])
    p, base = analyze(ssgw, ex("ssgw.conf"), clean)
    sri = [r for r in base if r.get("op") == "sendRoutingInfoForSM" and r["direction"] == "inbound"
           and r.get("msisdn", "").startswith("447924")]
    check("portability: inbound sendRoutingInfoForSM for our numbers, all allowed",
          len(sri) > 20 and all(r["verdict"] == "allow" for r in sri), len(sri))
    out_numbers = sorted({r["msisdn"] for r in sri})[:3]
    with open(w("ported.csv"), "w") as f:
        f.write("# ported out\nnumber,operator\n" +
                "".join("%s,Safari Mobile\n" % n for n in out_numbers))
    with open(w("ported.conf"), "w") as f:
        f.write(example + '\n[import]\nported_numbers = ["ported.csv"]\n')
    p, rec = analyze(ssgw, w("ported.conf"), clean)
    changed = [(x["frame"], x.get("msisdn"), y["check"]) for x, y in zip(base, rec)
               if (x["verdict"], x["check"]) != (y["verdict"], y["check"])]
    expect = [(r["frame"], r["msisdn"], "spoof.msisdn_network") for r in sri
              if r["msisdn"] in out_numbers]
    check("portability: a number ported out is not ours (refused, and only those queries)",
          p.returncode == 0 and expect and changed == expect, (changed[:5], expect[:5]))
    reasons = [y["reason"] for x, y in zip(base, rec) if y["check"] == "spoof.msisdn_network"]
    check("portability: the reason names the operator and the table's line",
          reasons and all("was ported to Safari Mobile" in s and "ported.csv:" in s
                          for s in reasons), reasons[:2])
    # ported in: a Safari number queried at our HLR
    victim = sri[0]
    foreign = "254722" + victim["msisdn"][6:]
    patch_frames(clean, w("ported-in.pcap"),
                 {victim["frame"]: (tbcd(victim["msisdn"]), tbcd(foreign))})
    p, rec = analyze(ssgw, ex("ssgw.conf"), w("ported-in.pcap"))
    r = next(x for x in rec if x["frame"] == victim["frame"])
    check("portability: without the table a Safari number is not ours",
          r.get("msisdn") == foreign and r["check"] == "spoof.msisdn_network"
          and "not ported in" in r["reason"], r)
    with open(w("ported-in.csv"), "w") as f:
        f.write("%s,home\n" % foreign)
    with open(w("ported-in.conf"), "w") as f:
        f.write(example + '\n[import]\nported_numbers = ["ported-in.csv"]\n')
    p, rec = analyze(ssgw, w("ported-in.conf"), w("ported-in.pcap"))
    r = next(x for x in rec if x["frame"] == victim["frame"])
    check("portability: ported in, it is ours", r["verdict"] == "allow", r)

    return summary()


if __name__ == "__main__":
    sys.exit(main())
