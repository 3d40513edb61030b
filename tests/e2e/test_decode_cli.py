#!/usr/bin/env python3
"""End-to-end tests of `ssgw decode` and `ssgw generate` as a user runs them.

- M3UA over TCP (which tshark cannot decode) gives the same records as the same
  traffic over SCTP, whose decode the tshark oracle checks: the TCP stream
  reassembly and M3UA framing are proven against an independently verified path.
- Bad input: a missing file, a file that is not a capture, a capture cut in the
  middle of a packet, and corrupted messages give clear errors or error records,
  never a crash, and every message still produces a record.
- ISUP and SMS: the readable lines name the ISUP message and CIC; the text of short
  messages appears only with --sms-text (records otherwise give its length); ISUP over
  TCP decodes as over SCTP; corrupted ISUP gives isup error records, never a crash.
- The frame numbers of the readable lines (counted up in place while frames come one after
  the other, formatted afresh after a gap: cmd_decode.c put_frame) are the JSON records'
  frame numbers, on 12,000 messages with frames that are not SS7 among them.
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


def isup_and_sms(ssgw, w):
    for t in ("sctp", "tcp"):
        p = run([ssgw, "generate", "--protocol", "isup", "--count", "300", "--seed", "3",
                 "--transport", t, w("isup_" + t + ".pcap")])
        check("generate isup over " + t, p.returncode == 0, p.stderr)
    _, sctp, _ = records(ssgw, w("isup_sctp.pcap"))
    _, tcp, _ = records(ssgw, w("isup_tcp.pcap"))
    check("isup: 300 records, none an error", len(sctp) == 300 and not any("error" in r for r in sctp))
    check("isup: tcp records equal sctp records", [strip(r) for r in sctp] == [strip(r) for r in tcp])
    types = {r.get("isup") for r in sctp}
    for t in ("iam", "acm", "anm", "rel", "rlc", "cgb", "grs", "cpg", "sus", "res", "inr", "inf"):
        check("isup message %s decoded" % t, t in types)
    text = run([ssgw, "decode", w("isup_sctp.pcap")]).stdout.splitlines()
    check("isup: one readable line per message naming it",
          len(text) == 300 and all("| isup " in l and " cic=" in l for l in text), text[0] if text else "")

    # corrupted ISUP: records with isup errors, no crash
    data = bytearray(open(w("isup_sctp.pcap"), "rb").read())
    import random
    rnd = random.Random(9)
    for _ in range(400):
        i = 24 + rnd.randrange(len(data) - 24)
        data[i] ^= 1 << rnd.randrange(8)
    with open(w("isup_corrupt.pcap"), "wb") as f:
        f.write(data)
    p = run([ssgw, "decode", "--json", w("isup_corrupt.pcap")])
    got = [json.loads(l) for l in p.stdout.splitlines()]
    check("corrupt isup: exit status 0 or 1, records written", p.returncode in (0, 1) and got, p.stderr)
    check("corrupt isup: some isup errors", any(r.get("error_layer") == "isup" for r in got))

    # SMS: the text only with --sms-text
    p = run([ssgw, "generate", "--protocol", "sms", "--count", "96", "--seed", "4", w("sms.pcap")])
    check("generate sms", p.returncode == 0, p.stderr)
    plain = run([ssgw, "decode", w("sms.pcap")]).stdout
    shown = run([ssgw, "decode", "--sms-text", w("sms.pcap")]).stdout
    js = [json.loads(l) for l in run([ssgw, "decode", "--json", w("sms.pcap")]).stdout.splitlines()]
    jt = [json.loads(l) for l in run([ssgw, "decode", "--json", "--sms-text", w("sms.pcap")]).stdout.splitlines()]
    check("sms: lines give the text's length, not the text",
          " chars" in plain and "hellohello" not in plain and "text=\"" not in plain)
    check("sms: --sms-text shows the text", "text=\"" in shown)
    check("sms: records carry no text by default",
          not any("sms_text" in r or "sms_body" in r for r in js) and any("sms_text_chars" in r for r in js))
    check("sms: --sms-text adds sms_text", any("sms_text" in r for r in jt))
    check("sms: the rest of the record is the same",
          [{k: v for k, v in r.items() if k not in ("sms_text", "sms_body")} for r in jt] == js)


def frame_column(ssgw, w):
    """The text line's frame column against the JSON frame numbers, across gaps and the
    carries 9 -> 10 ... 9999 -> 10000."""
    import random
    import struct
    p = run([ssgw, "generate", "--count", "12000", "--seed", "5", w("frames.pcap")])
    check("generate 12000 messages", p.returncode == 0, p.stderr)
    data = open(w("frames.pcap"), "rb").read()
    out, off, rnd = [data[:24]], 24, random.Random(7)
    # an ARP frame: Ethernet, not IP, so no record; between two messages it makes a gap
    arp = bytes(12) + b"\x08\x06" + bytes(28)
    while off + 16 <= len(data):
        incl = struct.unpack_from("<I", data, off + 8)[0]
        out.append(data[off:off + 16 + incl])
        for _ in range(rnd.choice((0, 0, 0, 0, 0, 0, 0, 0, 1, 2))):
            out.append(data[off:off + 8] + struct.pack("<II", len(arp), len(arp)) + arp)
        off += 16 + incl
    open(w("frames-gaps.pcap"), "wb").write(b"".join(out))
    for name in ("frames.pcap", "frames-gaps.pcap"):
        rc, recs, err = records(ssgw, w(name))
        text = run([ssgw, "decode", w(name)]).stdout.splitlines()
        want = ["%6d" % r["frame"] for r in recs]
        got = [l[:6] for l in text]
        bad = [i for i, (x, y) in enumerate(zip(got, want)) if x != y]
        check("%s: 12000 lines, frame numbers as the JSON's (last %s)" % (name, want[-1:]),
              rc == 0 and len(got) == len(want) == 12000 and not bad,
              "line %d: %r, want %r" % (bad[0], got[bad[0]], want[bad[0]]) if bad else len(got))


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
    check("not a capture: names the file, what it is and what was expected",
          "not-a-capture.pcap: not a pcap or pcapng file (text starting \"hello, this is n\")"
          in p.stderr and "expected a pcap or pcapng capture" in p.stderr, p.stderr)
    open(w("empty.pcap"), "wb").close()
    p = run([ssgw, "decode", w("empty.pcap")])
    check("empty file: exit 1, named, empty, expected",
          p.returncode == 1 and "empty.pcap: empty file; expected a pcap" in p.stderr, p.stderr)
    with open(w("header-cut.pcap"), "wb") as f:
        f.write(open(w("sctp.pcap"), "rb").read()[:14])
    p = run([ssgw, "decode", w("header-cut.pcap")])
    check("cut file header: exit 1, named, says the header is cut",
          p.returncode == 1 and "header-cut.pcap: a capture whose file header is cut" in p.stderr,
          p.stderr)
    # A capture without SS7 (UDP, ARP): said on stderr with the counts of what was seen
    import struct
    with open(w("no-ss7.pcap"), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        udp = struct.pack(">HHHH", 53, 53, 12, 0) + b"dns?"
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                         bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + udp
        frames = [b"\0" * 12 + b"\x08\x00" + ip] * 3 + [b"\0" * 12 + b"\x08\x06" + b"\0" * 28] * 2
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)) + fr)
    p = run([ssgw, "decode", w("no-ss7.pcap")])
    check("no SS7: exit 0, nothing on stdout, and stderr says what was there instead",
          p.returncode == 0 and p.stdout == "" and "no-ss7.pcap: no SS7 or Diameter in this capture: 5 frames: "
          "2 not IP, 3 IP" in p.stderr and "3 other IP protocols" in p.stderr, p.stderr)
    # Output that cannot be written (a full disk): said, exit 1, text and JSON alike.
    if os.path.exists("/dev/full"):
        for flags in ([], ["--json"]):
            with open("/dev/full", "w") as full:
                p = subprocess.run([ssgw, "decode"] + flags + [w("sctp.pcap")], stdout=full,
                                   stderr=subprocess.PIPE, text=True)
            check("output to a full disk %s: exit 1, says why" % (flags or "text"),
                  p.returncode == 1 and "ssgw decode: writing the output: No space left on device"
                  in p.stderr, "%d %s" % (p.returncode, p.stderr))
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
          all(r.get("error_layer") in ("link", "ip", "sctp", "tcp", "m3ua", "mtp3", "sccp", "tcap", "map", "ber", "capture", "sms", "isup",
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

    isup_and_sms(ssgw, w)
    frame_column(ssgw, w)

    print("cli: %d passed, %d failed" % (passes, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
