#!/usr/bin/env python3
"""End-to-end tests of `ssgw decode` and `ssgw generate` as a user runs them.

- M3UA over TCP (which tshark cannot decode) gives the same records as the same
  traffic over SCTP, whose decode the tshark oracle checks: the TCP stream
  reassembly and M3UA framing are proven against an independently verified path.
- Bad input: a missing file, a file that is not a capture, a capture cut in the
  middle of a packet, and corrupted messages give clear errors or error records,
  never a crash, and every message still produces a record.
Usage: test_decode_cli.py --ssgw BIN --workdir DIR
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
        print("FAIL " + name + (": " + detail if detail else ""))


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def records(ssgw, pcap):
    p = run([ssgw, "decode", "--json", pcap])
    return p.returncode, [json.loads(l) for l in p.stdout.splitlines()], p.stderr


TRANSPORT_KEYS = {"frame", "time", "src", "dst", "transport", "stream"}


def strip(r):
    return {k: v for k, v in r.items() if k not in TRANSPORT_KEYS}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    w = lambda n: os.path.join(a.workdir, n)
    ssgw = a.ssgw

    # TCP and SCTP carry the same generated messages.
    for t in ("sctp", "tcp"):
        p = run([ssgw, "generate", "--count", "800", "--seed", "11", "--transport", t, w(t + ".pcap")])
        check("generate over " + t, p.returncode == 0, p.stderr)
    rc1, sctp, _ = records(ssgw, w("sctp.pcap"))
    rc2, tcp, _ = records(ssgw, w("tcp.pcap"))
    check("decode exits 0", rc1 == 0 and rc2 == 0)
    check("800 records over sctp", len(sctp) == 800, str(len(sctp)))
    check("800 records over tcp", len(tcp) == 800, str(len(tcp)))
    check("tcp records carry transport tcp", all(r.get("transport") == "tcp" for r in tcp))
    diff = [i for i, (x, y) in enumerate(zip(sctp, tcp)) if strip(x) != strip(y)]
    check("tcp records equal sctp records", not diff,
          "first difference at record %d: %r vs %r" % (diff[0], strip(sctp[diff[0]]), strip(tcp[diff[0]])) if diff else "")

    # Every message type shows up with its MAP operation names.
    ops = {r.get("op") for r in sctp}
    for op in ("updateLocation", "sendRoutingInfoForSM", "anyTimeInterrogation", "mt-forwardSM",
               "processUnstructuredSS-Request", "sendAuthenticationInfo"):
        check("operation %s decoded" % op, op in ops)

    # Missing file and non-capture file: exit 1, a message naming the file.
    p = run([ssgw, "decode", w("does-not-exist.pcap")])
    check("missing file: exit 1", p.returncode == 1, str(p.returncode))
    check("missing file: says so", "does-not-exist.pcap" in p.stderr, p.stderr)
    with open(w("not-a-capture.pcap"), "w") as f:
        f.write("hello, this is not a pcap\n")
    p = run([ssgw, "decode", w("not-a-capture.pcap")])
    check("not a capture: exit 1 with message", p.returncode == 1 and p.stderr.strip() != "", p.stderr)
    p = run([ssgw, "decode", "--bogus"])
    check("unknown option: usage, exit 2", p.returncode == 2 and "usage" in p.stderr)

    # A capture cut in the middle of its last packet: every complete packet decodes.
    data = open(w("sctp.pcap"), "rb").read()
    with open(w("cut.pcap"), "wb") as f:
        f.write(data[: len(data) - 30])
    p = run([ssgw, "decode", "--json", w("cut.pcap")])
    got = [json.loads(l) for l in p.stdout.splitlines()]
    check("cut capture: earlier records intact", len(got) >= 799 and strip(got[0]) == strip(sctp[0]),
          "%d records" % len(got))
    check("cut capture: truncation reported", p.returncode != 0 or any("error" in r for r in got[-2:]) or p.stderr != "",
          p.stderr)

    # Corrupt bytes inside packets (not the pcap record headers): every frame still
    # yields records, and every error names its layer.
    import random
    import struct
    rnd = random.Random(5)
    buf = bytearray(data)
    packets = []  # (offset, length) of each packet's bytes
    pos = 24
    while pos + 16 <= len(buf):
        caplen = struct.unpack_from("<I", buf, pos + 8)[0]
        packets.append((pos + 16, caplen))
        pos += 16 + caplen
    for off, n in packets:
        for _ in range(2):
            i = off + 14 + rnd.randrange(n - 14)  # past Ethernet: IP, SCTP, M3UA, SCCP, TCAP, MAP
            buf[i] ^= 1 << rnd.randrange(8)
    with open(w("corrupt.pcap"), "wb") as f:
        f.write(buf)
    p = run([ssgw, "decode", "--json", w("corrupt.pcap")])
    check("corrupt capture: exit 0", p.returncode == 0, str(p.returncode) + p.stderr)
    got = [json.loads(l) for l in p.stdout.splitlines()]
    errs = [r for r in got if "error" in r]
    check("corrupt capture: errors reported as records", len(errs) > 0, "no error record")
    check("corrupt capture: errors name their layer",
          all(r.get("error_layer") in ("link", "ip", "sctp", "tcp", "m3ua", "mtp3", "sccp", "tcap", "map", "ber", "capture",
                                       # a flipped PPID or SSN reaches the layers of issue 11
                                       "cap", "ansi_tcap", "scmg", "m2pa", "m2ua", "sua", "mtp2") for r in errs),
          repr(errs[:2]))
    p2 = run([ssgw, "decode", "--stats", w("corrupt.pcap")])
    check("corrupt capture: stats count the errors", "errors in" in p2.stderr, p2.stderr)
    frames = {r["frame"] for r in got}
    # A frame whose IP/SCTP header was hit may be counted as "not signalling" (a
    # corrupted protocol number or PPID), which --stats reports; all others have records.
    check("corrupt capture: nearly every frame has a record", len(frames) >= 700, "%d frames" % len(frames))

    # A broken pcap record header (absurd captured length): the frames before it
    # decode, then a clear file-level error and exit status 1.
    buf = bytearray(data)
    off, n = packets[10]
    struct.pack_into("<I", buf, off - 8, 0x7fffffff)
    with open(w("badheader.pcap"), "wb") as f:
        f.write(buf)
    p = run([ssgw, "decode", "--json", w("badheader.pcap")])
    got = [json.loads(l) for l in p.stdout.splitlines()]
    check("bad record header: exit 1 with message", p.returncode == 1 and "badheader.pcap" in p.stderr,
          "%d %s" % (p.returncode, p.stderr))
    check("bad record header: earlier frames decoded", len(got) == 10, "%d records" % len(got))

    print("cli: %d passed, %d failed" % (passes, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
