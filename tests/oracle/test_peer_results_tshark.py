#!/usr/bin/env python3
"""Oracle test: the results `ssgw peer` answers with, as Wireshark's tshark decodes them.

For each operation below, one `ssgw peer --send OP` (an ASP) talks to one `ssgw peer
--listen --hlr/--vlr/--msc/--smsc GT` (the simulated elements) over TCP on 127.0.0.1;
both record every message. The Begin requests are sent again with the application
context turned to version 2 (the version byte of the AARQ's context name patched, the
frames replayed with `ssgw peer --replay`), so the MAP v2 result shapes are answered too.
Every request and answer is written into a pcap (Ethernet/IPv4/SCTP/M3UA, built here from
the recorded protocol data) and tshark (gsm_map SSNs 6-9,145,147-150) must show:

  * every answer (and every request not patched) decodes without a malformed mark or
    an expert warning/error;
  * each answer is a TCAP End with a returnResultLast for the operation's code, or,
    where the operation has no result in that version (forwardSM v2), a returnResultLast
    with no result;
  * sendAuthenticationInfo v3: a quintupletList of one quintuplet, rand/ck/ik/autn of 16
    octets and xres of 8; v2: SendAuthenticationInfoResOld with one triplet (rand 16,
    sres 4, kc 8); the vectors are the same for the same IMSI and differ for another;
  * mt-forwardSM / mo-forwardSM v3: sm-RP-UI holding an SMS-DELIVER-REPORT /
    SMS-SUBMIT-REPORT (TP-MTI 0 / 1, as gsm_sms decodes it);
  * processUnstructuredSS-Request: DCS 0x0f and the text "Balance: 12.50 GBP";
    unstructuredSS-Request: the reply "1";
  * insertSubscriberData: a result with the operation code (an empty
    InsertSubscriberDataRes).

Usage: test_peer_results_tshark.py --ssgw BIN --workdir DIR
"""
import argparse
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time

GT = {"hlr": "4412", "vlr": "4413", "msc": "4414", "smsc": "4415"}
IMSI_A, IMSI_B = "262011234567890", "262019876543210"

# (name, operation, called element, --imsi) sent with --send (the context's highest version)
SENDS = [
    ("sai", "sendAuthenticationInfo", "hlr", IMSI_A),
    ("sai_again", "sendAuthenticationInfo", "hlr", IMSI_A),
    ("sai_other", "sendAuthenticationInfo", "hlr", IMSI_B),
    ("mt_fsm", "mt-forwardSM", "msc", IMSI_A),
    ("mo_fsm", "mo-forwardSM", "smsc", IMSI_A),
    ("pussr", "processUnstructuredSS-Request", "hlr", IMSI_A),
    ("ussr", "unstructuredSS-Request", "msc", IMSI_A),
    ("isd", "insertSubscriberData", "vlr", IMSI_A),
]
# requests replayed with the context version patched to 2
V2 = {"sai": "sai_v2", "mo_fsm": "mo_fsm_v2", "isd": "isd_v2"}

FIELDS = ["frame.number", "tcap.tid", "gsm_map.old.Component", "gsm_old.localValue",
          "gsm_map.ms.quintupletList", "gsm_map.ms.AuthenticationQuintuplet_element",
          "gsm_map.ms.rand", "gsm_map.ms.xres", "gsm_map.ms.ck", "gsm_map.ms.ik",
          "gsm_map.ms.autn", "gsm_old.SendAuthenticationInfoResOld_item_element", "gsm_old.rand",
          "gsm_old.sres", "gsm_old.kc", "gsm_map.sm.sm_RP_UI", "gsm_sms.tp-mti",
          "gsm_map.ss.ussd_DataCodingScheme", "gsm_map.ussd_string", "tcap.end_element",
          "_ws.malformed", "_ws.expert.severity", "_ws.expert.message"]

failures = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else ": " + str(detail)[:600]))
    if not cond:
        failures.append(name)


_reserved = []


def free_port():
    """A TCP port held for this test while it runs (bound with SO_REUSEADDR, never listening:
    no other program is given it; `ssgw peer --listen` sets SO_REUSEADDR too and listens)."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    _reserved.append(s)
    return s.getsockname()[1]


def records(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
    except OSError:
        pass
    return [r for r in out if r.get("msg") == "DATA" and "pd" in r]


def wait_listening(record, timeout=10):
    """Waits for the peer's "listening" event in its record (written once it is bound)."""
    t_end = time.time() + timeout
    while time.time() < t_end:
        try:
            if '"msg":"listening"' in open(record).read():
                return True
        except OSError:
            pass
        time.sleep(0.01)
    return False


def pair(ssgw, wd, name, client_args):
    """One simulated-element peer and one client peer; returns the client's DATA records."""
    port = free_port()
    ne = []
    for k, v in GT.items():
        ne += ["--" + k, v]
    b = subprocess.Popen([ssgw, "peer", "--listen", "127.0.0.1:%d" % port, *ne, "--expect", "1",
                          "--linger", "300", "--duration", "10000", "-q",
                          "--record", os.path.join(wd, name + "-ne.jsonl")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_listening(os.path.join(wd, name + "-ne.jsonl"))
    rec = os.path.join(wd, name + ".jsonl")
    a = subprocess.run([ssgw, "peer", "--connect", "127.0.0.1:%d" % port, "--expect", "1",
                        "--linger", "200", "--duration", "10000", "-q", "--record", rec,
                        *client_args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True, timeout=30)
    try:
        b.wait(timeout=15)
    except subprocess.TimeoutExpired:
        b.kill()
        b.wait()
    check(name + ": peers exchanged request and answer", a.returncode == 0,
          "client exit %s: %s" % (a.returncode, a.stderr))
    return records(rec)


# ---- pcap: Ethernet / IPv4 / SCTP (RFC 9260, CRC32c) / M3UA DATA (RFC 4666 3.3.1) ----

def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def m3ua_data(r):
    sccp = bytes.fromhex(r["pd"])
    pd = struct.pack("!IIBBBB", r["opc"], r["dpc"], r["si"], r["ni"], 0, r["sls"]) + sccp
    pad = b"\0" * (-len(pd) % 4)
    param = struct.pack("!HH", 0x0210, 4 + len(pd)) + pd + pad
    return struct.pack("!BBBBI", 1, 0, 1, 1, 8 + len(param)) + param


def frame(payload, tsn, forward):
    sport, dport = (2905, 2906) if forward else (2906, 2905)
    chunk = struct.pack("!BBHIHHI", 0, 3, 16 + len(payload), tsn, 0, tsn & 0xFFFF, 3) + payload
    chunk += b"\0" * (-len(chunk) % 4)
    sctp = struct.pack("!HHII", sport, dport, 1, 0) + chunk
    sctp = sctp[:8] + struct.pack("<I", crc32c(sctp)) + sctp[12:]
    src, dst = (b"\x0a\0\0\x01", b"\x0a\0\0\x02") if forward else (b"\x0a\0\0\x02", b"\x0a\0\0\x01")
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(sctp), tsn & 0xFFFF, 0x4000, 64, 132, 0,
                     src, dst)
    s = sum(struct.unpack("!10H", ip))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    ip = ip[:10] + struct.pack("!H", ~s & 0xFFFF) + ip[12:]
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip + sctp


def write_pcap(path, msgs):
    """msgs: (M3UA message bytes, forward?) in order."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, (m, fwd) in enumerate(msgs):
            fr = frame(m, i + 1, fwd)
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)))
            f.write(fr)


def to_v2(pd_hex):
    """The Begin with its AARQ context name 0.4.0.0.1.0.<ac>.3 turned into version 2."""
    pd = bytearray(bytes.fromhex(pd_hex))
    i = pd.find(b"\x06\x07\x04\x00\x00\x01\x00")
    if i < 0 or pd[i + 8] != 3:
        return None
    pd[i + 8] = 2
    return pd.hex()


def tshark(pcap):
    cmd = ["tshark", "-n", "-r", pcap, "-o", "gsm_map.tcap.ssn:6-9,145,147-150", "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True).stdout
    rows = []
    for line in out.splitlines():
        cols = line.split("\t") + [""] * len(FIELDS)
        rows.append({f: (c.split("|") if c else []) for f, c in zip(FIELDS, cols)})
    return rows


def hexlen(v):
    return len(v.replace(":", "")) // 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)

    exchanges = {}  # name -> (request record, answer record)
    for name, op, ne, imsi in SENDS:
        recs = pair(a.ssgw, a.workdir, name,
                    ["--send", op, "--count", "1", "--to", GT[ne] + "00001", "--imsi", imsi])
        tx = [r for r in recs if r["dir"] == "tx"]
        rx = [r for r in recs if r["dir"] == "rx"]
        check(name + ": one request, one answer", len(tx) == 1 and len(rx) == 1,
              "%d sent, %d received" % (len(tx), len(rx)))
        if tx and rx:
            exchanges[name] = (tx[0], rx[0])

    # the same requests in version 2, replayed from a capture
    for src, name in V2.items():
        if src not in exchanges:
            continue
        req = dict(exchanges[src][0])
        req["pd"] = to_v2(req["pd"]) or ""
        check(name + ": request context patched to v2", bool(req["pd"]))
        if not req["pd"]:
            continue
        cap = os.path.join(a.workdir, name + "-request.pcap")
        write_pcap(cap, [(m3ua_data(req), True)])
        recs = pair(a.ssgw, a.workdir, name, ["--replay", cap])
        rx = [r for r in recs if r["dir"] == "rx"]
        check(name + ": one answer", len(rx) == 1, "%d received" % len(rx))
        if rx:
            exchanges[name] = (req, rx[0])

    order = list(exchanges)
    msgs = []
    for name in order:
        req, ans = exchanges[name]
        msgs += [(m3ua_data(req), True), (m3ua_data(ans), False)]
    pcap = os.path.join(a.workdir, "results.pcap")
    write_pcap(pcap, msgs)
    rows = tshark(pcap)
    check("tshark decoded every frame", len(rows) == len(msgs), "%d of %d" % (len(rows), len(msgs)))
    if len(rows) != len(msgs):
        return 1
    for i, r in enumerate(rows):
        n = r["frame.number"][0]
        if i % 2 == 0 and order[i // 2] in V2.values():
            continue  # a v3 argument under a v2 context: not what is being checked
        check("frame %s: not malformed, no expert warning" % n,
              not r["_ws.malformed"] and not [s for s in r["_ws.expert.severity"]
                                              if int(s, 0) >= 0x600000],
              "%s %s" % (r["_ws.expert.severity"], r["_ws.expert.message"]))

    ans = {name: rows[2 * i + 1] for i, name in enumerate(order)}
    opcodes = {"sai": 56, "sai_again": 56, "sai_other": 56, "sai_v2": 56, "mt_fsm": 44,
               "mo_fsm": 46, "pussr": 59, "ussr": 60, "isd": 7, "isd_v2": 7}
    for name, code in opcodes.items():
        if name not in ans:
            check(name + ": answered", False)
            continue
        r = ans[name]
        # gsm_map.old.Component: 2 = returnResultLast
        check(name + ": End with returnResultLast for opcode %d" % code,
              r["tcap.end_element"] and r["gsm_map.old.Component"] == ["2"]
              and r["gsm_old.localValue"] == [str(code)],
              "component %s opcode %s" % (r["gsm_map.old.Component"], r["gsm_old.localValue"]))

    if "sai" in ans:
        r = ans["sai"]
        check("sai v3: one quintuplet in a quintupletList",
              len(r["gsm_map.ms.quintupletList"]) == 1
              and len(r["gsm_map.ms.AuthenticationQuintuplet_element"]) == 1, r)
        lens = [hexlen(v[0]) if len(v) == 1 else -1 for v in
                (r["gsm_map.ms.rand"], r["gsm_map.ms.xres"], r["gsm_map.ms.ck"],
                 r["gsm_map.ms.ik"], r["gsm_map.ms.autn"])]
        check("sai v3: rand 16, xres 8, ck 16, ik 16, autn 16", lens == [16, 8, 16, 16, 16], lens)
        if "sai_again" in ans and "sai_other" in ans:
            vec = lambda x: [x[f] for f in ("gsm_map.ms.rand", "gsm_map.ms.xres", "gsm_map.ms.ck",
                                            "gsm_map.ms.ik", "gsm_map.ms.autn")]
            check("sai v3: the same vectors for the same IMSI", vec(r) == vec(ans["sai_again"]))
            check("sai v3: other vectors for another IMSI",
                  r["gsm_map.ms.rand"] != ans["sai_other"]["gsm_map.ms.rand"]
                  and r["gsm_map.ms.ck"] != ans["sai_other"]["gsm_map.ms.ck"])
    if "sai_v2" in ans:
        r = ans["sai_v2"]
        lens = [hexlen(v[0]) if len(v) == 1 else -1 for v in
                (r["gsm_old.rand"], r["gsm_old.sres"], r["gsm_old.kc"])]
        check("sai v2: one triplet (SendAuthenticationInfoResOld): rand 16, sres 4, kc 8",
              len(r["gsm_old.SendAuthenticationInfoResOld_item_element"]) == 1 and lens == [16, 4, 8],
              (r["gsm_old.SendAuthenticationInfoResOld_item_element"], lens))
    for name, mti, ui in (("mt_fsm", "0", "0000"), ("mo_fsm", "1", "0100421021214365")):
        if name in ans:
            r = ans[name]
            got = [hexnorm(v) for v in r["gsm_map.sm.sm_RP_UI"]]
            check(name + ": sm-RP-UI is the RP-ACK TPDU (TP-MTI %s)" % mti,
                  len(got) == 1 and got[0].startswith(ui) and r["gsm_sms.tp-mti"][:1] == [mti],
                  (got, r["gsm_sms.tp-mti"]))
    if "mo_fsm_v2" in ans:
        r = ans["mo_fsm_v2"]
        check("mo_fsm v2 (forwardSM): returnResultLast without a result",
              r["tcap.end_element"] and r["gsm_map.old.Component"] == ["2"]
              and not r["gsm_old.localValue"] and not r["gsm_map.sm.sm_RP_UI"],
              (r["gsm_map.old.Component"], r["gsm_old.localValue"]))
    for name, text in (("pussr", "Balance: 12.50 GBP"), ("ussr", "1")):
        if name in ans:
            r = ans[name]
            ussd = [u[:-2] if u.endswith("\\r") else u for u in r["gsm_map.ussd_string"]]
            check(name + ": DCS 0x0f and text %r" % text,
                  r["gsm_map.ss.ussd_DataCodingScheme"] and
                  int(r["gsm_map.ss.ussd_DataCodingScheme"][0], 16) == 0x0f and ussd == [text],
                  (r["gsm_map.ss.ussd_DataCodingScheme"], r["gsm_map.ussd_string"]))

    print("%d exchanges, %d frames; %s" % (len(order), len(rows),
                                          "%d failed" % len(failures) if failures else "ok"))
    return 1 if failures else 0


def hexnorm(v):
    return v.replace(":", "").lower()


if __name__ == "__main__":
    sys.exit(main())
