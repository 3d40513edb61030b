#!/usr/bin/env python3
"""The text line of `ssgw decode` is cut at a fixed length (2047 octets, then its newline), as
snprintf would cut it: whatever is cut, the line is the first octets of the whole text. The
line is built piece by piece with a test per piece against a limit (tools/ssgw/cmd_decode.c),
and lines that long are rare, so this test uses tools built with short limits
(SSGW_DECODE_LINE_MAX, see tests/CMakeLists.txt): for every record of captures with every kind
of message, each of their lines must be the first LIMIT octets of the full tool's line, and
exactly that line when it is shorter.

Usage: test_line_cut.py --ssgw BIN --cut LIMIT:BIN [--cut LIMIT:BIN ...] --workdir DIR
"""
import argparse
import os
import random
import shutil
import struct
import subprocess
import sys

CAPTURES = {
    "map": ["generate", "--count", "400", "--seed", "61"],
    "users": ["generate", "--count", "300", "--seed", "62", "--users", "map,cap,scmg,ansi"],
    "isup": ["generate", "--count", "150", "--seed", "63", "--protocol", "isup"],
    "sms": ["generate", "--count", "200", "--seed", "64", "--protocol", "sms"],
    "diameter": ["generate", "--count", "150", "--seed", "65", "--protocol", "diameter",
                 "--transport", "tcp"],
    "m2pa": ["generate", "--count", "100", "--seed", "66", "--adaptation", "m2pa"],
    "segmented": ["generate", "--count", "100", "--seed", "67", "--segment-every", "2",
                  "--link", "ipv6"],
    "attack": ["attack", "--count", "400", "--seed", "68", "--labels", "-", "-q"],
}


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("line_cut: %s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                                   p.stderr.decode(errors="replace")[-500:]))
    return p.stdout


def changed_copy(src, dst, seed):
    """A copy of a classic pcap file with 1-3 octets changed past the first 62 of each frame
    (the headers up to M3UA's): other values, lengths, error records."""
    rnd = random.Random(seed)
    data = open(src, "rb").read()
    out = bytearray(data[:24])
    pos = 24
    while pos + 16 <= len(data):
        hdr = data[pos:pos + 16]
        caplen = struct.unpack("<I", hdr[8:12])[0]
        frame = bytearray(data[pos + 16:pos + 16 + caplen])
        pos += 16 + caplen
        if len(frame) > 80:
            for _ in range(rnd.randint(1, 3)):
                i = rnd.randrange(62, len(frame))
                frame[i] = rnd.randrange(256)
        out += hdr + frame
    open(dst, "wb").write(bytes(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--cut", action="append", required=True, help="LIMIT:BIN")
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    caps = []
    for name, gen in CAPTURES.items():
        pcap = os.path.join(a.workdir, name + ".pcap")
        run([a.ssgw] + gen + [pcap])
        caps.append(pcap)
    for i, name in enumerate(("map", "users", "sms")):
        dst = os.path.join(a.workdir, name + "-changed.pcap")
        changed_copy(os.path.join(a.workdir, name + ".pcap"), dst, 70 + i)
        caps.append(dst)
    failed = checked = cut = 0
    for spec in a.cut:
        limit, binary = spec.split(":", 1)
        limit = int(limit)
        for pcap in caps:
            for opts in ([], ["--sms-text"]):
                full = run([a.ssgw, "decode"] + opts + [pcap]).split(b"\n")
                short = run([binary, "decode"] + opts + [pcap]).split(b"\n")
                if len(full) != len(short):
                    sys.exit("line_cut: %s %s: %d lines, %d with the limit %d" %
                             (pcap, " ".join(opts), len(full), len(short), limit))
                for n, (f, s) in enumerate(zip(full, short)):
                    checked += 1
                    cut += len(f) > limit
                    if s != f[:limit]:
                        failed += 1
                        if failed <= 5:
                            print("FAIL %s %s line %d, limit %d:\n  full %r\n  got  %r" %
                                  (os.path.basename(pcap), " ".join(opts), n + 1, limit, f, s))
    print("%d lines checked, %d of them cut, %d wrong" % (checked, cut, failed))
    if failed or not cut:
        sys.exit(1)


if __name__ == "__main__":
    main()
