#!/usr/bin/env python3
"""End-to-end tests of Diameter in `ssgw generate`, `ssgw decode` and `ssgw analyze`.

- The same generated Diameter traffic gives the same records over SCTP with one message
  per packet (checked field by field against tshark by tests/oracle/test_diameter_tshark.py)
  as over TCP with several messages per segment and messages split across segments, and
  over SCTP with several messages in one DATA chunk (which Wireshark does not split):
  the framing paths are proven against an independently verified one.
- A corrupted message gives a record naming the layer (diameter), the field and the offset,
  and every other message still decodes.
- `ssgw analyze` runs the whole pipeline on Diameter: the generated traffic is between other
  networks than examples/ssgw.conf's home network (no request addressed to our realm), so
  every request is outbound as the firewall sees it and everything is forwarded by `default`
  (answers are not screened); SS7 operator
  rules never match Diameter; nothing crashes. (tests/e2e/test_diameter_firewall.py screens
  traffic addressed to the home network.)
Usage: test_diameter_cli.py --ssgw BIN --config examples/ssgw.conf --workdir DIR
"""
import argparse
import json
import os
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
        print("FAIL " + name + (": " + str(detail)[:300] if detail else ""))


def run(args):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def records(ssgw, pcap):
    p = run([ssgw, "decode", "--json", pcap])
    return p.returncode, [json.loads(l) for l in p.stdout.splitlines()]


WHERE = {"frame", "time", "time_epoch", "src", "dst", "transport", "stream"}


def by_message(recs):
    """Records keyed by (hop-by-hop, request) without where they were seen."""
    return {(r["hbh"], r["request"]): {k: v for k, v in r.items() if k not in WHERE} for r in recs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    w = lambda n: os.path.join(a.workdir, n)
    count = 440
    framings = {"sctp": [], "tcp": ["--transport", "tcp", "--per-segment", "4", "--split-every", "3"],
                "sctp_per_chunk": ["--per-chunk", "3", "--chunks", "2"]}
    decoded = {}
    for name, extra in framings.items():
        p = run([a.ssgw, "generate", "--protocol", "diameter", "--count", str(count), "--seed", "5"]
                + extra + [w(name + ".pcap")])
        check("generate " + name, p.returncode == 0 and "wrote %d Diameter" % count in p.stderr,
              p.stderr)
        rc, recs = records(a.ssgw, w(name + ".pcap"))
        check("decode " + name + ": one record per message, none in error",
              rc == 0 and len(recs) == count and not any("error" in r for r in recs),
              [r for r in recs if "error" in r][:2] or len(recs))
        decoded[name] = recs
    ref = by_message(decoded["sctp"])
    check("sctp: every hop-by-hop id once per direction", len(ref) == count)
    for name in ("tcp", "sctp_per_chunk"):
        got = by_message(decoded[name])
        diff = [k for k in ref if got.get(k) != ref[k]]
        check(name + " gives the same records as sctp", not diff and len(got) == count,
              diff[:3] and (ref[diff[0]], got.get(diff[0])))
    frames = {r["frame"] for r in decoded["sctp_per_chunk"]}
    check("sctp_per_chunk: several messages per frame", len(frames) * 3 <= count)

    # Text output: one line per message, naming the command.
    p = run([a.ssgw, "decode", w("sctp.pcap")])
    lines = p.stdout.splitlines()
    check("decode text: one line per message", p.returncode == 0 and len(lines) == count)
    check("decode text names the commands",
          all(" diameter " in l for l in lines) and any(" ULR " in l for l in lines))

    # A corrupted AVP length: that message is an error record of layer diameter.
    data = bytearray(open(w("sctp.pcap"), "rb").read())
    # frame 1: pcap header 24, record header 16, Ethernet 14, IPv4 20, SCTP 12, DATA 16;
    # the first AVP's length is at octets 5..7 after the 20-octet Diameter header
    avp_len = 24 + 16 + 14 + 20 + 12 + 16 + 20 + 5
    data[avp_len:avp_len + 3] = b"\x00\x00\x07"
    open(w("broken.pcap"), "wb").write(bytes(data))
    rc, recs = records(a.ssgw, w("broken.pcap"))
    bad = [r for r in recs if "error" in r]
    check("corrupted: still one record per message", rc == 0 and len(recs) == count)
    check("corrupted: one error record naming layer, field and offset",
          len(bad) == 1 and bad[0]["error_layer"] == "diameter" and
          bad[0]["error_field"] == "avp length" and bad[0]["error_offset"] == 25, bad)

    # The pipeline: nothing here is addressed to the home network: all forwarded by default.
    p = run([a.ssgw, "analyze", "--config", a.config, "--json", w("tcp.pcap")])
    out = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
    msgs = [r for r in out if "diameter" in r]
    check("analyze: runs", p.returncode == 0, p.stderr)
    check("analyze: a verdict per message", len(msgs) == count, len(msgs))
    check("analyze: forwarded, decided by default",
          all(r.get("action") == "forward" and r.get("check") == "default" and
              (r.get("direction") == "outbound" or r["diameter"].endswith("A")) for r in msgs),
          [r for r in msgs if r.get("check") != "default"][:1])
    p = run([a.ssgw, "analyze", "--config", a.config, "--json", w("broken.pcap")])
    out = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
    check("analyze: the corrupted message is malformed.diameter",
          [r.get("check") for r in out if "error" in r] == ["malformed.diameter"])

    print("diameter cli: %d passed, %d failed" % (passes, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
