#!/usr/bin/env python3
"""`ssgw` is one program in three files (tools/ssgw/module.c): the binary and the modules
ssgw-inspect.so and ssgw-gateway.so, loaded when one of their commands runs.

1. The binary starts without the libraries of the gateway or of the pipeline: none of them is
   in its DT_NEEDED (that is what makes `ssgw decode` start in ~1 ms rather than ~4 ms; it
   holds in every build since the action names the decode command's JSON records use are in
   src/inspect/pl_action_name.c, apart from the pipeline). ssgw-inspect.so needs none of the
   gateway's libraries.
2. Every command of `ssgw --help` answers its own --help: each entry point the table names
   is in the module the table says.
3. A module that is not there is reported, naming both places looked in, with exit status 1;
   the binary's own commands still run.
4. A module of another version (its version string changed) is refused, naming both.
5. libpcap is loaded only when a capture needs it (tools/ssgw/pcap_lazy.c): not for a classic
   pcap file (src/capture/pcap_file.c reads it), but for pcapng and stdin, which then give
   the same lines as the classic file.

Usage: test_modules.py --ssgw BIN --workdir DIR
"""
import argparse
import os
import re
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__))))
from gwtest import check, summary  # noqa: E402

MODULES = ("ssgw-inspect", "ssgw-gateway")
# what only the pipeline's and the gateway's commands use
GATEWAY_ONLY = ("libmicrohttpd", "libgnutls", "libusrsctp", "libsctp")
GATEWAY = GATEWAY_ONLY + ("libsystemd",)
PIPELINE = ("libcrypto", "libssl", "libjansson")


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=60, **kw)


def needed(path):
    out = run(["readelf", "-d", path]).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def to_pcapng(src, dst):
    """A classic little-endian microsecond pcap file written again as pcapng."""
    data = open(src, "rb").read()
    magic, _, _, _, _, snap, link = struct.unpack_from("<IHHiIII", data, 0)
    assert magic == 0xA1B2C3D4, hex(magic)

    def block(btype, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", btype, len(body) + 12) + body + struct.pack("<I", len(body) + 12)

    out = [block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)),
           block(1, struct.pack("<HHI", link, 0, snap))]
    off = 24
    while off + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack_from("<IIII", data, off)
        ts = sec * 1000000 + usec
        out.append(block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, incl, orig)
                         + data[off + 16:off + 16 + incl]))
        off += 16 + incl
    open(dst, "wb").write(b"".join(out))


def loads_libpcap(cmd, **kw):
    """(exit status, stdout, whether the dynamic loader opened libpcap while cmd ran)."""
    env = dict(os.environ, LD_DEBUG="files")
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                       timeout=60, **kw)
    return p.returncode, p.stdout, b"file=libpcap" in p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    ssgw = os.path.abspath(a.ssgw)
    build = os.path.dirname(ssgw)
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)

    # 1. what each file links
    libs = needed(ssgw)
    check("the binary links none of the gateway's libraries, nor libpcap",
          libs and not [l for l in libs if l.startswith(GATEWAY + ("libpcap",))], libs)
    check("the binary links none of the pipeline's libraries",
          not [l for l in libs if l.startswith(PIPELINE)], libs)
    inspect = needed(os.path.join(build, "ssgw-inspect.so"))
    check("ssgw-inspect.so links none of the gateway's libraries",
          any(l.startswith("libcrypto") for l in inspect)
          and not [l for l in inspect if l.startswith(GATEWAY_ONLY)], inspect)
    gateway = needed(os.path.join(build, "ssgw-gateway.so"))
    check("ssgw-gateway.so links the gateway's libraries",
          any(l.startswith("libmicrohttpd") for l in gateway), gateway)

    # 2. every command of the table, from the binary or its module
    usage = run([ssgw, "--help"]).stdout
    cmds = re.findall(r"^  ([a-z-]+) ", usage, re.M)
    check("the usage lists the 13 commands", len(cmds) == 13, cmds)
    for c in cmds:
        p = run([ssgw, c, "--help"])
        want = "ssgw (OpenSSGW) " if c == "version" else "usage: ssgw " + c
        check("ssgw %s --help" % c, p.returncode == 0 and want in p.stdout,
              (p.returncode, p.stdout[:200], p.stderr[:300]))

    # 3. the binary without its modules
    alone = os.path.join(a.workdir, "alone")
    os.makedirs(alone)
    shutil.copy2(ssgw, alone)
    lone = os.path.join(alone, "ssgw")
    p = run([lone, "analyze", "--help"])
    check("without ssgw-inspect.so: exit 1, both places named",
          p.returncode == 1 and "ssgw-inspect.so" in p.stderr
          and os.path.join(alone, "ssgw-inspect.so") in p.stderr and "found neither" in p.stderr,
          (p.returncode, p.stderr))
    p = run([lone, "run", "--help"])
    check("without ssgw-gateway.so: exit 1", p.returncode == 1 and "ssgw-gateway.so" in p.stderr,
          (p.returncode, p.stderr))
    p = run([lone, "decode", "--help"])
    check("without the modules the binary's commands run", p.returncode == 0, p.stderr)

    # 4. a module of another version
    version = run([ssgw, "--version"]).stdout.strip()
    full = version[len("ssgw (OpenSSGW) "):].split(" ")[0].encode()  # "0.1.0", no commit
    check("ssgw --version names the version", version.startswith("ssgw (OpenSSGW) ") and full,
          version)
    other = os.path.join(a.workdir, "other")
    os.makedirs(other)
    shutil.copy2(ssgw, other)
    for m in MODULES:
        shutil.copy2(os.path.join(build, m + ".so"), other)
    so = os.path.join(other, "ssgw-inspect.so")
    data = open(so, "rb").read()
    stale = b"9" + full[1:] if full[:1] != b"9" else b"8" + full[1:]
    check("the module holds its version", (full + b"\0") in data)
    open(so, "wb").write(data.replace(full + b"\0", stale + b"\0"))
    p = run([os.path.join(other, "ssgw"), "verify", "--help"])
    check("a module of another version is refused, both versions named",
          p.returncode == 1 and stale.decode() in p.stderr and full.decode() in p.stderr,
          (p.returncode, p.stderr))
    p = run([os.path.join(other, "ssgw"), "peer", "--help"])
    check("the other module of the same version still runs", p.returncode == 0, p.stderr)

    # 5. libpcap on demand
    cap = os.path.join(a.workdir, "g.pcap")
    p = run([ssgw, "generate", "--count", "300", "--seed", "3", cap])
    check("generate a capture", p.returncode == 0, p.stderr)
    ng = os.path.join(a.workdir, "g.pcapng")
    to_pcapng(cap, ng)
    rc, classic, loaded = loads_libpcap([ssgw, "decode", cap])
    check("a classic pcap file is decoded without loading libpcap",
          rc == 0 and classic.count(b"\n") == 300 and not loaded, (rc, loaded))
    rc, out, loaded = loads_libpcap([ssgw, "decode", ng])
    check("pcapng: libpcap loaded, the same lines", rc == 0 and loaded and out == classic,
          (rc, loaded, out[:200]))
    with open(cap, "rb") as f:
        rc, out, loaded = loads_libpcap([ssgw, "decode", "-"], stdin=f)
    check("stdin: libpcap loaded, the same lines", rc == 0 and loaded and out == classic,
          (rc, loaded, out[:200]))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
