"""Shared by the ISUP and SMS oracle tests: tshark's PDML per frame, the expert items
tshark raised, and a minimal pcap writer for captures built outside ssgw.

tshark -T pdml keeps the tree: every ISUP parameter is a node of its own, so two numbers
in one message (calling and generic, say) are compared each with its own parameter.
"""
import argparse
import os
import struct
import subprocess
import xml.etree.ElementTree as ET

LINKTYPE_MTP3 = 141


def write_pcap(path, linktype, frames):
    """frames: list of bytes, one per packet (timestamps 1700000000 + i)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for i, data in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(data), len(data)))
            f.write(data)


def mtp3_msu(si, opc, dpc, sls, payload, ni=0):
    """SIO + ITU routing label (Q.704 2.2) + user part."""
    label = (dpc & 0x3FFF) | (opc & 0x3FFF) << 14 | (sls & 15) << 28
    return bytes([ni << 6 | si]) + struct.pack("<I", label) + payload


def packets(pcap, extra_args=()):
    """Yields (frame number, <packet> element) for every frame of tshark's PDML."""
    cmd = ["tshark", "-n", "-r", pcap, "-T", "pdml", *extra_args]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    root = ET.fromstring(out)
    for pkt in root.iter("packet"):
        num = None
        for f in pkt.iter("field"):
            if f.get("name") == "frame.number":
                num = int(f.get("show"))
                break
        yield num, pkt


def protos(pkt, name):
    return [p for p in pkt.iter("proto") if p.get("name") == name]


def fields(node):
    """{field name: [show values in tree order]} of a node and everything below it."""
    out = {}
    for f in node.iter("field"):
        n = f.get("name")
        if n:
            out.setdefault(n, []).append(f.get("show"))
    return out


def experts(pkt):
    """[(severity, message)] of every expert item of a frame, and whether it is malformed."""
    sev, msg = [], []
    for f in pkt.iter("field"):
        if f.get("name") == "_ws.expert.severity":
            sev.append(int(f.get("show"), 0))
        elif f.get("name") == "_ws.expert.message":
            msg.append(f.get("show"))
    malformed = any(p.get("name") == "_ws.malformed" for p in pkt.iter("proto")) or any(
        f.get("name") == "_ws.malformed" for f in pkt.iter("field"))
    return list(zip(sev, msg)), malformed


def num(v):
    """tshark's show value as an int: decimal, 0x.., or a boolean."""
    if v in ("True", "true"):
        return 1
    if v in ("False", "false"):
        return 0
    return int(v, 0)


def oracle_args(doc, count, seed, more=None):
    """The common arguments; more(parser) adds a test's own."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--count", type=int, default=count)
    ap.add_argument("--seed", type=int, default=seed)
    if more:
        more(ap)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    return a


def generated(a, protocol):
    """`ssgw generate --protocol P` over SCTP and on the MTP3 link type: [(name, path)]."""
    out = []
    for name, extra, seed in (("m3ua", [], a.seed), ("mtp3", ["--link", "mtp3"], a.seed + 1)):
        path = os.path.join(a.workdir, "%s_%s.pcap" % (protocol, name))
        subprocess.run([a.ssgw, "generate", "--protocol", protocol, "--count", str(a.count),
                        "--seed", str(seed)] + extra + [path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out.append((name, path))
    return out


def report(rep, title):
    """Prints every field checked (failures with examples); returns the exit status."""
    checked, failed = sum(rep.checked.values()), sum(rep.failed.values())
    print("%s; %d comparisons in %d fields" % (title, checked, len(rep.checked)))
    for field in sorted(rep.checked):
        status = "ok" if not rep.failed[field] else "FAILED %d" % rep.failed[field]
        print("  %-46s %7d  %s" % (field, rep.checked[field], status))
        for frame, o, t in rep.examples.get(field, []):
            print("      frame %s: ssgw=%r tshark=%r" % (frame, o, t))
    print("oracle: %d passed, %d failed" % (checked - failed, failed))
    return 0 if rep.ok() else 1
