#!/usr/bin/env python3
"""Oracle test: tshark on ISUP captures carrying the CLI attestation (docs/wire-format.md,
"CLI attestation").

A TSCA and two operators come from examples/trust/setup.sh. `ssgw generate --protocol isup`
writes every ISUP message type with random numbers, parameter compatibility information
and application transport parameters; `ssgw sign` as Albion ([cli] sign = "all") attests
every IAM whose numbers are international E.164 numbers. Then:

  * tshark marks no frame of the attested capture malformed, and reports no expert item
    but the notes it attaches to the unattested capture plus exactly one warning per
    attested IAM, "No further dissection of APM-user information field" (Undecoded: it
    has no dissector for an application it does not know; the octets are shown);
  * tshark decodes the same CIC, message type, called and calling number (digits, nature
    of address, screening) in every frame as in the unattested capture: the carrier hides
    nothing and changes nothing a transit exchange reads;
  * in every attested IAM tshark shows the application transport parameter with
    application context 126, send notification and release call "no", final segment, and
    a parameter compatibility entry for it (parameter 120: transit interpretation, pass
    on, "discard parameter" if passing on is impossible); every placement occurs (a
    compatibility parameter added, an entry appended to the IAM's own, the IAM's entry
    for the parameter kept);
  * `ssgw decode` reads the attested capture without an error record;
  * `ssgw verify --strip` as Safari finds every attestation ok and writes back, frame by
    frame, exactly the M3UA messages of the unattested capture.

Usage: test_cli_tshark.py --ssgw BIN --tsca BIN --source REPO --workdir DIR [--count N]
"""
import argparse
import collections
import json
import os
import shutil
import struct
import subprocess
import sys
import time

FIELDS = ["frame.number", "isup.cic", "isup.message_type", "isup.called", "isup.calling",
          "isup.called_party_nature_of_address_indicator",
          "isup.calling_party_nature_of_address_indicator", "isup.screening_indicator",
          "isup.app_context_identifier", "isup.app_Send_notification_ind",
          "isup.app_Release_call_indicator", "isup.apm_segmentation_ind",
          "isup.Pass_on_not_possible_ind", "isup.transit_at_intermediate_exchange_ind",
          "_ws.malformed", "_ws.expert.message"]
SAME = ["isup.cic", "isup.message_type", "isup.called", "isup.calling",
        "isup.called_party_nature_of_address_indicator",
        "isup.calling_party_nature_of_address_indicator", "isup.screening_indicator"]
UNDECODED = "No further dissection of APM-user information field"


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def rows(pcap):
    r = run(["tshark", "-n", "-r", pcap, "-T", "fields", "-E", "separator=\t", "-E",
             "occurrence=a", *sum([["-e", f] for f in FIELDS], [])])
    if r.returncode:
        sys.exit("tshark failed: " + r.stderr)
    return [dict(zip(FIELDS, line.split("\t"))) for line in r.stdout.splitlines()]


def m3ua_messages(path):
    """The M3UA message of every frame (Ethernet / IPv4 / SCTP, one DATA chunk)."""
    d = open(path, "rb").read()
    off, out = 24, []
    while off + 16 <= len(d):
        il = struct.unpack("<I", d[off + 8:off + 12])[0]
        b = d[off + 16:off + 16 + il]
        off += 16 + il
        o = 14 + (b[14] & 15) * 4 + 12
        clen = struct.unpack(">H", b[o + 2:o + 4])[0]
        out.append(b[o + 16:o + clen])
    return out


def entries(pci):
    """(parameter, instruction octets) of a parameter compatibility information value."""
    out, i = [], 0
    while i < len(pci):
        j = i + 1
        while j < len(pci) and not pci[j] & 0x80:
            j += 1
        out.append((pci[i], pci[i + 1:j + 1]))
        i = j + 1
    return out


def placement(m3ua):
    """How the signer treats this IAM's compatibility information (docs/wire-format.md)."""
    isup = m3ua[m3ua.index(b"\x02\x10") + 4 + 12:]  # protocol data, after the routing label
    opt = 9 + isup[9] if isup[9] else 0
    while opt and opt < len(isup) and isup[opt]:
        code, ln = isup[opt], isup[opt + 1]
        if code == 0x39:
            return "kept" if any(p == 0x78 for p, _ in entries(isup[opt + 2:opt + 2 + ln])) \
                else "appended"
        opt += 2 + ln
    return "added"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--tsca", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--count", type=int, default=6000)
    a = ap.parse_args()
    S = os.path.abspath(a.ssgw)
    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    w = lambda *p: os.path.join(work, *p)  # noqa: E731
    failures = []

    def check(name, cond, detail=""):
        print(("ok   " if cond else "FAIL ") + name + ("" if cond else ": " + str(detail)[:1500]))
        if not cond:
            failures.append(name)

    env = dict(os.environ, SSGW=S, TSCA=os.path.abspath(a.tsca), DEMO="0")
    p = run(["sh", os.path.join(a.source, "examples", "trust", "setup.sh"), w("trust")], env=env)
    if p.returncode:
        sys.exit("setup.sh failed: " + p.stderr[-800:])
    conf_a, conf_b = w("trust", "albion", "ssgw.conf"), w("trust", "safari", "ssgw.conf")
    open(conf_a, "a").write('\n[cli]\nsign = "all"\n')
    open(conf_b, "a").write('\n[cli]\ninbound = "verify-if-present"\non_ok = "allow"\n')
    r = run([S, "generate", "--protocol", "isup", "--count", str(a.count), "--seed", "12",
             "--no-management", w("plain.pcap")])
    if r.returncode:
        sys.exit("generate failed: " + r.stderr)
    t = str(int(time.time()))
    r = run([S, "sign", "--config", conf_a, "--time", t, w("plain.pcap"), w("attested.pcap")])
    if r.returncode:
        sys.exit("sign failed: " + r.stderr)
    plain, att = m3ua_messages(w("plain.pcap")), m3ua_messages(w("attested.pcap"))
    check("one frame out for every frame in", len(plain) == len(att) == a.count,
          (len(plain), len(att)))
    attested = [i for i in range(min(len(plain), len(att))) if plain[i] != att[i]]
    kinds = collections.Counter(placement(plain[i]) for i in attested)
    check("IAMs attested, in every placement of the compatibility entry (%s)" % dict(kinds),
          len(attested) >= 30 and all(kinds[k] for k in ("added", "appended", "kept")), kinds)

    rp, ra = rows(w("plain.pcap")), rows(w("attested.pcap"))
    notes_plain = collections.Counter(e for x in rp for e in x["_ws.expert.message"].split(",")
                                      if e)
    notes_att = collections.Counter(e for x in ra for e in x["_ws.expert.message"].split(",")
                                    if e)
    check("no frame of the attested capture is malformed",
          not [x for x in ra if x["_ws.malformed"]], [x for x in ra if x["_ws.malformed"]][:2])
    extra = notes_att - notes_plain
    check("expert items: the unattested capture's notes plus one 'Undecoded' warning per "
          "attested IAM, nothing else",
          dict(extra) == {UNDECODED: len(attested)} and not (notes_plain - notes_att),
          (dict(extra), dict(notes_plain - notes_att)))
    diff = [(i + 1, f, rp[i][f], ra[i][f]) for i in range(min(len(rp), len(ra))) for f in SAME
            if rp[i][f] != ra[i][f]]
    check("tshark decodes the same CIC, type, numbers, natures and screening in every frame",
          not diff, diff[:5])
    bad = []
    for i in attested:
        x = ra[i]
        aci = x["isup.app_context_identifier"].split(",")
        k = aci.index("126") if "126" in aci else -1
        ok = (k >= 0 and x["isup.app_Send_notification_ind"].split(",")[k] in ("0", "False")
              and x["isup.app_Release_call_indicator"].split(",")[k] in ("0", "False")
              and x["isup.apm_segmentation_ind"].split(",")[k] == "0"
              and {"2", "0x02"} & set(x["isup.Pass_on_not_possible_ind"].split(","))
              and x["isup.message_type"] == "1")
        if not ok:
            bad.append((i + 1, x))
    check("every attested IAM: APP context 126, no notification, no release, final segment, "
          "a compatibility entry 'discard parameter'", not bad, bad[:2])

    r = run([S, "decode", "--json", w("attested.pcap")])
    recs = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    check("ssgw decode reads the attested capture without an error record",
          r.returncode == 0 and len(recs) == a.count and not [x for x in recs if "error" in x],
          [x for x in recs if "error" in x][:2])

    r = run([S, "verify", "--config", conf_b, "--all", "--time", t, "--strip", w("back.pcap"),
             w("attested.pcap")])
    back = m3ua_messages(w("back.pcap"))
    summary = r.stdout[r.stdout.find("calls:"):]
    check("ssgw verify as Safari: every attestation ok (%d)" % len(attested),
          r.returncode == 0 and ("ok                     %d" % len(attested)) in summary
          and "bad_signature" not in summary and "malformed" not in summary, summary)
    check("stripped, frame by frame, exactly the unattested capture's M3UA messages",
          back == plain, [i + 1 for i in range(min(len(back), len(plain))) if back[i] != plain[i]
                          ][:5] + [len(back), len(plain)])
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
