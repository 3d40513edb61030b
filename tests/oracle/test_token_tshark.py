#!/usr/bin/env python3
"""Oracle test: tshark on captures carrying the security token (docs/wire-format.md).

Runs test_token_pcap, which writes the same generated traffic unsigned and signed
(ECDSA P-256 and fast-mode tokens, every TCAP message type, UDT turned into XUDT or
XUDT segments where the token makes a message outgrow a UDT), then asks tshark:

  * no frame of signed.pcap (nor of any per-shape capture) is marked malformed
    (_ws.malformed) and tshark reports no expert item of any severity;
  * the TCAP/MAP fields tshark extracts (tcap.otid, tcap.dtid, tcap application
    context, gsm_old.localValue, e212.imsi) are the same, message by message, as in
    unsigned.pcap: the token hides nothing;
  * tshark shows the token EXTERNAL (user-information item or dialogue portion) in
    each placement.

Known display limitation, checked and documented: Wireshark 4.0 keeps OID arcs in
32 bits, so it prints the direct-reference 2.25.<UUID>.1 as "(*** Malformed OID ***)"
(text only: no expert item, no _ws.malformed). That text is the only "Malformed" the
verbose output may contain.

Usage: test_token_tshark.py --pcap-tool BIN --workdir DIR [--count N]
"""
import argparse
import os
import shutil
import subprocess
import sys

FIELDS = ["frame.number", "sccp.message_type", "tcap.otid", "tcap.dtid",
          "tcap.application_context_name", "gsm_old.localValue", "e212.imsi",
          "_ws.malformed", "_ws.expert.severity"]
COMPARED = ["tcap.otid", "tcap.dtid", "tcap.application_context_name",
            "gsm_old.localValue", "e212.imsi"]


def tshark(*args):
    r = subprocess.run(["tshark", "-n", *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"tshark {' '.join(args)} failed: {r.stderr.strip()}")
    return r.stdout


def rows(pcap):
    out = tshark("-r", pcap, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
                 *sum([["-e", f] for f in FIELDS], []))
    return [dict(zip(FIELDS, line.split("\t"))) for line in out.splitlines()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pcap-tool", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--count", type=int, default=1200)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    subprocess.run([a.pcap_tool, a.workdir, str(a.count)], check=True)

    failures = []
    signed = rows(os.path.join(a.workdir, "signed.pcap"))
    unsigned = rows(os.path.join(a.workdir, "unsigned.pcap"))
    for r in signed:
        if r["_ws.malformed"] or r["_ws.expert.severity"]:
            failures.append(f"signed frame {r['frame.number']}: malformed/expert "
                            f"{r['_ws.malformed']!r} {r['_ws.expert.severity']!r}")

    # Message by message: frames where TCAP was decoded (segments carry none until the
    # last one, where tshark reassembles).
    def decoded(rs):
        return [tuple(r[f] for f in COMPARED) for r in rs if r["tcap.otid"] or r["tcap.dtid"]
                or r["gsm_old.localValue"]]
    du, ds = decoded(unsigned), decoded(signed)
    if len(du) != len(ds):
        failures.append(f"{len(du)} TCAP messages decoded unsigned, {len(ds)} signed")
    for i, (u, s) in enumerate(zip(du, ds)):
        if u != s:
            failures.append(f"message {i}: unsigned {u} != signed {s}")
    xudt = sum(1 for r in signed if r["sccp.message_type"] == "0x11")

    shapes = sorted(f for f in os.listdir(a.workdir) if f.startswith("shape-"))
    if len(shapes) < 7:
        failures.append(f"only {len(shapes)} message type/placement captures: {shapes}")
    for f in shapes:
        path = os.path.join(a.workdir, f)
        expert = tshark("-r", path, "-q", "-z", "expert")
        items = [l for l in expert.splitlines() if l.strip() and not l.startswith("=")]
        verbose = tshark("-r", path, "-V")
        bad = [l.strip() for l in verbose.splitlines()
               if "malformed" in l.lower() and "Malformed OID" not in l]
        has_token = ("octet-aligned" in verbose) if "user-info" in f else ("oid:" in verbose)
        print(f"{f}: expert items {len(items)}, malformed lines {len(bad)}, "
              f"token shown {has_token}")
        if items:
            failures.append(f"{f}: expert info {items}")
        if bad:
            failures.append(f"{f}: {bad}")
        if not has_token:
            failures.append(f"{f}: tshark does not show the token EXTERNAL")

    print(f"{len(signed)} signed frames ({xudt} XUDT), {len(ds)} TCAP messages compared")
    if failures:
        print("\n".join(failures[:50]))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
