#!/usr/bin/env python3
"""End-to-end: the framings probes capture and the TCAP users besides MAP, as a user meets them.

- The same generated MAP traffic written as M3UA, M2PA, M2UA, SUA over SCTP and on the MTP2
  link types (139, 140) decodes to the same TCAP / MAP records: each framing delivers what
  M3UA (checked against tshark by oracle.sctp) delivers, and `ssgw decode --stats` counts
  MTP2 fill-in / link status units without records.
- Bad framing gives error records naming the framing's layer, field and offset, never a
  crash, and every frame still has a record.
- `ssgw analyze` on CAP, SCCP management and ANSI TCAP: no MAP check judges them with MAP
  meanings (category none), while the MAP messages of the same capture are screened.
Usage: test_decode_framings.py --ssgw BIN --workdir DIR --source DIR
"""
import argparse
import json
import os
import struct
import subprocess
import sys

failures = 0
passes = 0


def check(name, cond, detail=""):
    global failures, passes
    if cond:
        passes += 1
        print("ok   " + name)
    else:
        failures += 1
        print("FAIL " + name + (": " + detail if detail else ""))


def run(args):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


# Keys that belong to the framing, the link or the SCCP message type rather than to what
# TCAP / MAP carry.
FRAMING_KEYS = {"frame", "time", "src", "dst", "transport", "stream", "m3ua", "rc", "m2pa",
                "bsn", "fsn", "priority", "link_status", "m2ua", "interface_id", "sua",
                "protocol_class", "sccp", "return_cause", "segmentation", "reassembly", "si",
                "ni", "opc", "dpc", "sls"}


def upper(r):
    return {k: v for k, v in r.items() if k not in FRAMING_KEYS}


def decode(ssgw, pcap, *extra):
    p = run([ssgw, "decode", "--json"] + list(extra) + [pcap])
    return p.returncode, [json.loads(l) for l in p.stdout.splitlines()], p.stderr


def pcap_frames(path):
    d = open(path, "rb").read()
    pos, out = 24, []
    while pos + 16 <= len(d):
        n = struct.unpack_from("<I", d, pos + 8)[0]
        out.append((pos + 16, n))
        pos += 16 + n
    return bytearray(d), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--source", required=True)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    w = lambda n: os.path.join(a.workdir, n)
    ssgw = a.ssgw

    # ---- the same MAP traffic in every framing -----------------------------------------
    base_args = ["--count", "600", "--seed", "41", "--no-management"]
    run([ssgw, "generate"] + base_args + [w("m3ua.pcap")])
    _, ref, _ = decode(ssgw, w("m3ua.pcap"))
    ref_upper = [upper(r) for r in ref if "tcap" in r]
    check("reference: M3UA records with TCAP", len(ref_upper) > 500, str(len(ref_upper)))
    for name, args in (("m2pa", ["--adaptation", "m2pa"]), ("m2ua", ["--adaptation", "m2ua"]),
                       ("sua", ["--adaptation", "sua"]), ("mtp2", ["--link", "mtp2"]),
                       ("mtp2-phdr", ["--link", "mtp2-phdr"])):
        p = run([ssgw, "generate"] + base_args + args + [w(name + ".pcap")])
        check("generate " + name, p.returncode == 0, p.stderr)
        rc, recs, err = decode(ssgw, w(name + ".pcap"))
        check(name + ": decode exit 0", rc == 0, err)
        check(name + ": no error record", not [r for r in recs if "error" in r],
              repr([r for r in recs if "error" in r][:1]))
        mine = [upper(r) for r in recs if "tcap" in r]
        same = sum(1 for x, y in zip(mine, ref_upper) if x == y)
        check(name + ": TCAP / MAP records equal M3UA's", mine == ref_upper,
              "%d of %d equal; first difference %r" % (same, len(ref_upper), next(
                  ((x, y) for x, y in zip(mine, ref_upper) if x != y), None)))
    # MTP2 link units: management slots become FISU / LSSU, counted, no record
    run([ssgw, "generate", "--count", "200", "--seed", "42", "--link", "mtp2", w("units.pcap")])
    p = run([ssgw, "decode", "--stats", w("units.pcap")])
    lines = p.stdout.splitlines()
    check("mtp2 units: no record for FISU / LSSU", len(lines) == 195, "%d records" % len(lines))
    check("mtp2 units: --stats counts them", "mtp2 fill-in or link status unit" in p.stderr,
          p.stderr)

    # ---- bad framing -----------------------------------------------------------------------
    def corrupt(name, where, layer, field):
        buf, frames = pcap_frames(w(name + ".pcap"))
        for i, (off, n) in enumerate(frames):
            if i % 5 == 0:
                where(buf, off, n)
        open(w(name + "-bad.pcap"), "wb").write(buf)
        rc, recs, err = decode(ssgw, w(name + "-bad.pcap"))
        errs = [r for r in recs if "error" in r]
        check(name + " corrupted: exit 0, a record per frame",
              rc == 0 and len({r["frame"] for r in recs}) == len(frames), err)
        check(name + " corrupted: error records name " + layer,
              len(errs) == (len(frames) + 4) // 5 and
              all(r["error_layer"] == layer and r["error_field"] == field for r in errs),
              repr(errs[:1]))

    # SCTP payload at frame offset 62 (Ethernet 14, IPv4 20, SCTP 12, DATA chunk 16); SCTP's
    # CRC is not verified by default, as on most probes' captures
    def m2pa_length(buf, off, n):
        buf[off + 62 + 7] ^= 0x01
    corrupt("m2pa", m2pa_length, "m2pa", "message length")

    def m2ua_version(buf, off, n):
        buf[off + 62] = 2
    corrupt("m2ua", m2ua_version, "m2ua", "version")

    def sua_ri(buf, off, n):
        # the source address parameter (0x0102): its routing indicator follows its header
        pos = off + 62 + 8
        while pos + 4 <= off + n:
            tag, ln = struct.unpack_from(">HH", buf, pos)
            if tag == 0x0102:
                buf[pos + 4 + 1] = 9
                return
            pos += (ln + 3) & ~3
    corrupt("sua", sua_ri, "sua", "source routing indicator")

    def mtp2_li(buf, off, n):
        buf[off + 2] ^= 0x01
    corrupt("mtp2", mtp2_li, "mtp2", "mtp2 length indicator")

    # ---- the firewall on CAP, SCCP management, ANSI TCAP ----------------------------------
    run([ssgw, "generate", "--count", "800", "--seed", "43", "--no-management", "--users",
         "map,cap,scmg,ansi", w("mixed.pcap")])
    p = run([ssgw, "analyze", "--config", os.path.join(a.source, "examples/ssgw.conf"), "--json",
             w("mixed.pcap")])
    check("analyze mixed: exit 0", p.returncode == 0, p.stderr)
    recs = [json.loads(l) for l in p.stdout.splitlines()]
    others = [r for r in recs if r.get("tcap_user") in ("cap", "ansi-41", "unknown") or "scmg" in r]
    maps = [r for r in recs if "tcap" in r and "tcap_user" not in r]
    check("analyze mixed: every user present", len(others) > 500 and len(maps) > 150,
          "%d others, %d MAP" % (len(others), len(maps)))
    check("analyze mixed: no MAP category for CAP / SCMG / ANSI",
          all(r.get("category") == "none" for r in others),
          repr([r for r in others if r.get("category") != "none"][:1]))
    map_only = ("cat1.", "cat2.", "cat3.", "sms.", "location.")
    judged = [r for r in others if r.get("check", "").startswith(map_only)]
    check("analyze mixed: no MAP check judges them", not judged, repr(judged[:1]))
    check("analyze mixed: MAP messages are categorised",
          all(r.get("category") != "none" for r in maps if r.get("direction") == "inbound" and
              r.get("opcode") is not None and r["tcap"] == "begin"),
          repr([r for r in maps if r.get("category") == "none"][:1]))

    print("framings: %d passed, %d failed" % (passes, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
