#!/usr/bin/env python3
"""M3UA routing key management where the gateway is the SG (RFC 4666 3.6, 4.4.2;
docs/operations.md "Registration of routing keys"). Real `ssgw run` over TCP on
127.0.0.1; the ASPs are written here from the RFC's message layouts; every wait is on a
message or on the gateway's status; the answers the gateway sent are decoded by tshark
from its outer-side capture.

- a REG REQ before ASP-UP gets ERR "unexpected message";
- one REG REQ with several keys gets one result per key: a permitted DPC registers
  (routing context given), a DPC outside `rkm_dpc` is "permission denied", broadcast is
  an invalid traffic mode, a wildcard DPC an unsupported field; the same key again is
  "already registered"; past rkm_max_keys "insufficient resources";
- traffic for a registered key (DPC and service indicator) reaches the ASP with the
  key's routing context; a label the key does not take (another SI) has no route;
- a second peer on another link cannot register the first one's DPC;
- DEREG while ACTIVE is refused ("ASP currently active"), after ASPIA it succeeds, an
  unknown RC is "invalid routing context"; the DPC then has no route;
- keys end with the association; a link without `rkm` answers REG REQ with ERR
  "unsupported message class".

Usage: test_gateway_rkm.py --ssgw BIN --workdir DIR
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

from gwtest import (Conn, check, free_port, gateway, kill_all, link, status, stop, summary, text,
                    wait_for, write_config)

DPC_A, DPC_A2, DPC_B, DPC_OTHER = 1111, 1112, 3333, 4444






# ---- M3UA, from RFC 4666 section 3 ---------------------------------------------------

def msg(cls, typ, body=b""):
    return struct.pack(">BBBBI", 1, 0, cls, typ, 8 + len(body)) + body


def param(tag, value):
    pad = (4 - len(value) % 4) % 4
    return struct.pack(">HH", tag, 4 + len(value)) + value + b"\0" * pad


def u32(tag, v):
    return param(tag, struct.pack(">I", v))


def routing_key(rk_id, dpc, si=None, tmt=None, mask=0):
    """3.6.1: Local-RK-Identifier, [Traffic Mode Type], DPC (mask:8 | pc:24), [SI]."""
    v = u32(0x020a, rk_id)
    if tmt:
        v += u32(0x000b, tmt)
    v += u32(0x020b, (mask << 24) | dpc)
    if si is not None:
        v += param(0x020c, bytes(si))
    return param(0x0207, v)


def nested(value):
    out, o = [], 0
    while o + 4 <= len(value):
        tag, ln = struct.unpack(">HH", value[o:o + 4])
        out.append((tag, value[o + 4:o + ln]))
        o += (ln + 3) & ~3
    return out


def results(m):
    """REG RSP -> [(local_rk_id, status, rc)]; DEREG RSP -> [(rc, status)]."""
    out = []
    for tag, v in nested(m[8:]):
        d = {t: struct.unpack(">I", x)[0] for t, x in nested(v)}
        if tag == 0x0208:
            out.append((d.get(0x020a), d.get(0x0212), d.get(0x0006)))
        elif tag == 0x0209:
            out.append((d.get(0x0006), d.get(0x0213)))
    return out


def data(dpc, si, seq, opc=2001):
    pd = struct.pack(">IIBBBB", opc, dpc, si, 2, 0, seq & 15) + bytes([seq & 255]) * 24
    return msg(1, 1, param(0x0210, pd))


class Peer(Conn):
    def aspup(self):
        self.send(3, 1, b"")
        return self.wait(3, 4)


def err_code(m):
    return m and dict(nested(m[8:])).get(0x000c) and struct.unpack(">I",
                                                                     dict(nested(m[8:]))[0x000c])[0]


def rc_of(m):
    v = dict(nested(m[8:])).get(0x0006)
    return v and struct.unpack(">I", v[:4])[0]


def tshark_rkm(tshark, pcap):
    """The REG RSP / DEREG RSP tshark finds in the capture: [(type, {field: [values]})]."""
    out = subprocess.run(
        [tshark, "-r", pcap, "-Y", "m3ua.message_class == 9", "-T", "json",
         "-e", "m3ua.message_type", "-e", "m3ua.local_rk_identifier",
         "-e", "m3ua.registration_status", "-e", "m3ua.routing_context",
         "-e", "m3ua.deregistration_status", "-e", "_ws.malformed", "-e", "_ws.expert"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    rows = []
    for p in json.loads(out.stdout or "[]"):
        f = p["_source"]["layers"]
        rows.append(f)
    return rows, out.stderr


def run(a, work):
    pa, pb, pi = free_port(), free_port(), free_port()
    sock = os.path.join(work, "rkm.sock")
    pcap = os.path.join(work, "rkm.pcap")
    cfg = write_config(os.path.join(work, "rkm.toml"), [
        {"name": "as-a", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % pa,
         "rkm": True, "rkm_dpc": [DPC_A, DPC_A2], "rkm_max_keys": 2},
        {"name": "as-b", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % pb,
         "rkm": True, "rkm_dpc": [DPC_B]},
        {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi,
         "routing_contexts": [20]}],
        ['status_socket = "%s"' % sock, 'capture = "%s"' % pcap, "drop_malformed = false"])
    g = gateway(a.ssgw, cfg, sock, os.path.join(work, "rkm-gw.log"))
    check("gateway starts", g.poll() is None, text(g.logfile))

    pa_ = Peer(pa)
    e = pa_.ask(msg(9, 1, routing_key(1, DPC_A)), 0, 0)
    check("REG REQ before ASP-UP: ERR unexpected message (6)", err_code(e) == 6, e)
    check("ASP A reaches ASP-UP", pa_.aspup() is not None)
    rsp = pa_.ask(msg(9, 1, routing_key(1, DPC_A, si=[3]) + routing_key(2, DPC_OTHER)
                      + routing_key(3, DPC_A2, tmt=3) + routing_key(4, DPC_A2, mask=8)),
                  9, 2)
    r = results(rsp) if rsp else []
    check("one REG RSP result per key, in order", [x[0] for x in r] == [1, 2, 3, 4], r)
    rc1 = r[0][2] if r else None
    check("a permitted DPC registers with a routing context",
          r and r[0][1] == 0 and rc1, r)
    check("a DPC outside rkm_dpc: permission denied (5)", len(r) > 1 and r[1][1] == 5, r)
    check("broadcast: unsupported traffic handling mode (10)", len(r) > 2 and r[2][1] == 10, r)
    check("a wildcard DPC: unsupported RK parameter field (9)", len(r) > 3 and r[3][1] == 9, r)
    r = results(pa_.ask(msg(9, 1, routing_key(5, DPC_A, si=[3])), 9, 2) or b"")
    check("the same key again: already registered (12), naming its context",
          r == [(5, 12, rc1)], r)
    r = results(pa_.ask(msg(9, 1, routing_key(6, DPC_A2)), 9, 2) or b"")
    rc2 = r[0][2] if r else None
    check("a second DPC registers with another context", r and r[0][1] == 0 and rc2 != rc1, r)
    r = results(pa_.ask(msg(9, 1, routing_key(7, DPC_A, si=[5])), 9, 2) or b"")
    check("past rkm_max_keys: insufficient resources (8)", r and r[0][1] == 8, r)
    ack = pa_.ask(msg(4, 1, u32(0x000b, 1) + param(0x0006, struct.pack(">II", rc1, rc2))), 4, 3)
    check("ASPAC for the registered contexts is acknowledged", ack is not None)
    st = wait_for(sock, lambda s: link(s, "as-a")["asp_state"] == "active")
    keys = st and link(st, "as-a")["routing_keys"]
    check("status lists the registered keys",
          keys and sorted((k["dpc"], k["routing_context"], tuple(k["si"])) for k in keys)
          == sorted([(DPC_A, rc1, (3,)), (DPC_A2, rc2, ())]), keys)

    inner = Peer(pi)
    inner.aspup()
    inner.ask(msg(4, 1, u32(0x000b, 1) + u32(0x0006, 20)), 4, 3)
    wait_for(sock, lambda s: link(s, "stp")["asp_state"] == "active")
    inner.send_raw(data(DPC_A, 3, 1))
    got = pa_.wait(1, 1)
    check("traffic for the registered key reaches the ASP with the key's context",
          got is not None and rc_of(got) == rc1, got)
    inner.send_raw(data(DPC_A2, 5, 2))
    got = pa_.wait(1, 1)
    check("... and for the second key with its own", got is not None and rc_of(got) == rc2, got)
    inner.send_raw(data(DPC_A, 5, 3))  # ISUP to DPC_A: the key takes SI 3 only
    st = wait_for(sock, lambda s: s["counters"]["reasons"].get("route.no_route", 0) >= 1)
    check("a label the key does not take (another SI) has no route", st is not None,
          st and st["counters"]["reasons"])

    pb_ = Peer(pb)
    pb_.aspup()
    r = results(pb_.ask(msg(9, 1, routing_key(1, DPC_A)), 9, 2) or b"")
    check("another peer cannot register A's DPC (permission denied)", r and r[0][1] == 5, r)
    r = results(pb_.ask(msg(9, 1, routing_key(2, DPC_B)), 9, 2) or b"")
    rcb = r[0][2] if r else None
    check("... its own DPC gets a context nobody else holds",
          r and r[0][1] == 0 and rcb not in (rc1, rc2, 20), r)
    r = results(pb_.ask(msg(9, 3, param(0x0006, struct.pack(">I", rc1))), 9, 4) or b"")
    check("B cannot deregister A's key (not registered, 4)", r == [(rc1, 4)], r)

    r = results(pa_.ask(msg(9, 3, u32(0x0006, rc1)), 9, 4) or b"")
    check("DEREG while ACTIVE: ASP currently active for the context (5)", r == [(rc1, 5)], r)
    pa_.ask(msg(4, 2, param(0x0006, struct.pack(">II", rc1, rc2))), 4, 4)
    r = results(pa_.ask(msg(9, 3, param(0x0006, struct.pack(">II", rc1, 999999))), 9, 4) or b"")
    check("after ASPIA: deregistered (0); an unknown context: invalid (2)",
          r == [(rc1, 0), (999999, 2)], r)
    st = status(sock)
    check("status counts registrations per link and in total",
          link(st, "as-a")["rkm"] == {"registered": 2, "refused": 5, "deregistered": 1,
                                      "dereg_refused": 2}
          and st["counters"]["rkm"]["registered"] == 3, (link(st, "as-a")["rkm"],
                                                          st["counters"]["rkm"]))
    pa_.ask(msg(4, 1, u32(0x000b, 1) + u32(0x0006, rc2)), 4, 3)
    wait_for(sock, lambda s: link(s, "as-a")["asp_state"] == "active")
    before = status(sock)["counters"]["reasons"].get("route.no_route", 0)
    inner.send_raw(data(DPC_A, 3, 4))
    st = wait_for(sock, lambda s: s["counters"]["reasons"].get("route.no_route", 0) > before)
    check("a deregistered DPC has no route", st is not None)

    pa_.s.close()
    st = wait_for(sock, lambda s: link(s, "as-a")["association"] != "up")
    check("keys end with the association", st and link(st, "as-a")["routing_keys"] == [],
          st and link(st, "as-a"))
    check("... and the log says so",
          "registered routing keys removed with the association" in text(g.logfile))

    e = inner.ask(msg(9, 1, routing_key(1, DPC_A)), 0, 0)
    check("REG REQ on a link without rkm: ERR unsupported message class (3)", err_code(e) == 3,
          e)
    pb_.s.close()
    inner.s.close()
    stop(g)

    tshark = shutil.which("tshark")
    if not tshark:
        check("tshark is installed (the oracle of the answers)", False)
        return
    rows, err = tshark_rkm(tshark, pcap)
    regs = [f for f in rows if f.get("m3ua.message_type") == ["2"]]
    deregs = [f for f in rows if f.get("m3ua.message_type") == ["4"]]
    check("tshark finds every REG RSP and DEREG RSP the gateway sent (6 + 3)",
          len(regs) == 6 and len(deregs) == 3, (len(regs), len(deregs), err[-300:]))
    first = regs[0] if regs else {}
    check("tshark reads the first REG RSP as ours: keys 1-4, statuses 0 5 10 9, the context",
          first.get("m3ua.local_rk_identifier") == ["1", "2", "3", "4"]
          and first.get("m3ua.registration_status") == ["0", "5", "10", "9"]
          and first.get("m3ua.routing_context", [None])[0] == str(rc1), first)
    last = deregs[-1] if deregs else {}
    check("tshark reads the last DEREG RSP: contexts and statuses",
          last.get("m3ua.routing_context") == [str(rc1), "999999"]
          and last.get("m3ua.deregistration_status") == ["0", "2"], last)
    check("no frame is malformed or carries an expert mark to tshark",
          not any("_ws.malformed" in f or "_ws.expert" in f for f in rows), rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    try:
        run(a, a.workdir)
    finally:
        kill_all()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
