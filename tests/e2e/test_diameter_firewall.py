#!/usr/bin/env python3
"""The Diameter firewall (S6a/S6d) and one subscriber across MAP and Diameter, end to end.

 1. `ssgw analyze` on `ssgw attack --protocol diameter` (examples/ssgw.conf): every attack of
    the Diameter and cross-protocol catalogue (docs/attacks.md) is caught by its expected
    check, no legitimate message is blocked, each answered attack carries a Diameter answer
    (Result-Code or 3GPP Experimental-Result), an attack blocked on MAP and tried again on
    Diameter (x.one_incident) carries one incident id; monitor mode forwards everything and
    still names the checks.
 2. The same kind of traffic through a live `ssgw run` with M3UA links and Diameter peers
    (Python peers replaying the capture in order; an HSS peer answering with the capture's
    answers): every attack is caught live with its check, the attacker gets the Result-Code
    on the wire, nothing legitimate is blocked, and `ssgw analyze` of the gateway's own
    outer-side capture gives the same verdict as the gateway, message by message.
"""
import argparse
import json
import os
import signal
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gwtest  # noqa: E402
from diamtest import (Peer, dinvariant, find, parse, result_of, wait_for,  # noqa: E402
                      write_config, SESSION_ID)
from gwtest import Asp, check, free_port, records, status  # noqa: E402

HOME = "epc.mnc091.mcc234.3gppnetwork.org"


def run(args, cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def analyze(args, pcap, extra=()):
    p = run(args, [args.ssgw, "analyze", "--config", args.config, "--json"] + list(extra) +
            [pcap])
    return p.returncode, [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]


def sctp_frames(path):
    """(ppid, inbound, payload) per frame of an Ethernet/IPv4/SCTP pcap (one DATA chunk)."""
    d = open(path, "rb").read()
    off, out = 24, []
    while off + 16 <= len(d):
        il = struct.unpack("<I", d[off + 8:off + 12])[0]
        b = d[off + 16:off + 16 + il]
        off += 16 + il
        ihl = (b[14] & 15) * 4
        dst = b[14 + 16:14 + 20]
        o = 14 + ihl + 12
        clen = struct.unpack(">H", b[o + 2:o + 4])[0]
        ppid = struct.unpack(">I", b[o + 12:o + 16])[0]
        out.append((ppid, dst == bytes([10, 0, 0, 1]), b[o + 16:o + clen]))
    return out


def caught(label, rec):
    return rec.get("check") in [label["check"]] + label.get("also", [])


def offline(args, work):
    pcap = os.path.join(work, "diameter-attacks.pcap")
    p = run(args, [args.ssgw, "attack", "--protocol", "diameter", "--count", "6000",
                   "--attack-ratio", "0.1", "--seed", "7", "-q", pcap])
    check("ssgw attack --protocol diameter writes the capture", p.returncode == 0, p.stderr)
    labels = records(pcap.replace(".pcap", ".labels.jsonl"))
    ts = run(args, ["tshark", "-n", "-r", pcap, "-T", "fields", "-e", "frame.number", "-e",
                    "diameter.cmd.code", "-e", "gsm_old.localValue", "-e", "_ws.malformed",
                    "-e", "_ws.expert.severity"])
    rows = [l.split("\t") for l in ts.stdout.splitlines()]
    check("tshark decodes every frame as what its label says, no malformed or expert mark",
          ts.returncode == 0 and len(rows) == len(labels) and
          all((r[1] if l["protocol"] == "diameter" else r[2]) and not r[3] and not r[4]
              for r, l in zip(rows, labels)),
          [(r, l["msg"]) for r, l in zip(rows, labels) if r[3] or r[4]][:3])
    rc, recs = analyze(args, pcap)
    check("analyze: one record per frame", rc == 0 and len(recs) == len(labels) == 6000,
          (rc, len(recs)))
    by = {r["frame"]: r for r in recs}
    cat = run(args, [args.ssgw, "attack", "--protocol", "diameter", "--list"]).stdout
    catalogue = [l.split()[0] for l in cat.splitlines()[1:] if l.strip()]
    attacks = [l for l in labels if l["label"] == "attack"]
    seen = {l["attack"] for l in attacks}
    check("every attack of the catalogue is in the capture (%d)" % len(catalogue),
          sorted(seen) == sorted(catalogue), sorted(set(catalogue) - seen))
    missed = [(l["frame"], l["attack"], by[l["frame"]].get("check")) for l in attacks
              if not caught(l, by[l["frame"]]) or by[l["frame"]].get("action") == "forward"]
    check("every attack caught by its expected check (%d attack messages)" % len(attacks),
          not missed, missed[:5])
    fp = [(l["frame"], l["msg"], by[l["frame"]].get("check"), by[l["frame"]].get("reason"))
          for l in labels if l["label"] == "legit" and
          (by[l["frame"]].get("action") != "forward" or by[l["frame"]].get("check") != "default")]
    check("no legitimate message blocked or flagged (%d)" % (len(labels) - len(attacks)),
          not fp, fp[:5])
    ans = [by[l["frame"]].get("answer", "") for l in attacks if l["protocol"] == "diameter" and
           by[l["frame"]].get("action") == "answer"]
    check("answered Diameter attacks carry a Diameter answer",
          ans and all(a.startswith("diameter") for a in ans), ans[:5])
    check("Experimental-Result and Result-Code answers both used",
          any(a.startswith("diameter-experimental:") for a in ans) and
          any(a.startswith("diameter:") for a in ans))
    pairs = {}
    for l in attacks:
        if l["attack"] == "x.one_incident":
            pairs.setdefault(l["instance"], []).append((l["protocol"], by[l["frame"]]))
    check("x.one_incident: MAP then Diameter about one subscriber, one incident id",
          pairs and all(len(v) == 2 and v[0][0] == "map" and v[1][0] == "diameter" and
                        v[0][1].get("incident") and
                        v[0][1].get("incident") == v[1][1].get("incident")
                        for v in pairs.values()), list(pairs.values())[:1])
    ids = [v[0][1].get("incident") for v in pairs.values()]
    check("other subscribers, other incidents", len(set(ids)) == len(ids))
    xp = [by[l["frame"]] for l in attacks if l["attack"] in ("x.map_then_diameter",
                                                             "x.diameter_then_map")]
    check("cross-protocol velocity: a Diameter ULR after MAP and a MAP updateLocation after "
          "Diameter, both caught", xp and all(r.get("check") in ("diameter.velocity",
                                                                 "cat3.velocity") for r in xp),
          xp[:1])
    rc, mon = analyze(args, pcap, ["--monitor"])
    mby = {r["frame"]: r for r in mon}
    check("monitor: everything forwarded, the checks still named",
          rc == 0 and all(r.get("action") == "forward" for r in mon) and
          all(caught(l, mby[l["frame"]]) for l in attacks))


def live(args, work):
    pcap = os.path.join(work, "live.pcap")
    p = run(args, [args.ssgw, "attack", "--protocol", "diameter", "--count", "700",
                   "--attack-ratio", "0.3", "--seed", "3", "--fresh-subscribers", "-q", pcap])
    check("live traffic written", p.returncode == 0, p.stderr)
    labels = records(pcap.replace(".pcap", ".labels.jsonl"))
    frames = sctp_frames(pcap)
    sock = os.path.join(work, "gw.sock")
    events, cap = os.path.join(work, "events.jsonl"), os.path.join(work, "outer.pcap")
    for f in (events, cap):
        if os.path.exists(f):
            os.unlink(f)
    pm_out, pm_in, pd_out, pd_in = free_port(), free_port(), free_port(), free_port()
    cfg = write_config(
        os.path.join(work, "gw.toml"),
        {"origin_host": "dea.albion.example", "origin_realm": HOME},
        [{"name": "ipx-dia", "side": "outer", "listen": "127.0.0.1:%d" % pd_out},
         {"name": "core-dia", "side": "inner", "listen": "127.0.0.1:%d" % pd_in,
          "realms": [HOME]}],
        ['status_socket = "%s"' % sock, 'policy = "%s"' % args.config,
         'events = "%s"' % events, "events_all = true", 'capture = "%s"' % cap],
        links=[{"name": "ipx-m3ua", "side": "outer", "role": "sg",
                "listen": "127.0.0.1:%d" % pm_out, "routing_contexts": [101]},
               {"name": "core-m3ua", "side": "inner", "role": "sg",
                "listen": "127.0.0.1:%d" % pm_in, "routing_contexts": [1]}])
    g = gwtest.gateway(args.ssgw, cfg, sock, os.path.join(work, "gw.log"))
    m3_out, m3_in = Asp(pm_out, 101), Asp(pm_in, 1)
    ipx = Peer("dea.ipx.example", "ipx.example", connect=("127.0.0.1", pd_out))
    core = Peer("hss1." + HOME, HOME, connect=("127.0.0.1", pd_in))
    check("live: links active, peers open",
          wait_for(lambda: all(p["state"] == "r-open" for p in
                               status(sock)["diameter"]["peers"]), 10))

    def judged():
        st = status(sock)
        return st["counters"]["data_in"] + st["diameter"]["counters"]["data_in"]

    forwarded = {}  # Session-Id -> the request as the core received it
    got_answers = {}  # Session-Id -> the answer the IPX peer received
    sent = []  # the labels of the frames sent, in order: one event each
    for (ppid, inbound, data), lab in zip(frames, labels):
        if ppid == 3:
            m3_out.send_raw(data)
        elif inbound:
            ipx.send(data)
        else:  # the HSS's answer: to the request as forwarded (its hop-by-hop id)
            req = forwarded.get(find(parse(data), SESSION_ID))
            if req is None:
                continue  # its request was blocked: the gateway answered it
            out = bytearray(data)
            out[12:16] = struct.pack(">I", parse(req)["hbh"])
            core.send(bytes(out))
        sent.append(lab)
        if not wait_for(lambda: judged() >= len(sent), 10):
            break
        if ppid == 3:
            m3_in.drain()
        elif inbound and lab["label"] == "legit":
            m = core.recv()
            if m:
                forwarded[find(parse(m), SESSION_ID)] = m
        else:
            a = ipx.recv()
            if a:
                got_answers[find(parse(a), SESSION_ID)] = parse(a)
    check("live: every frame judged in order", judged() == len(sent), (judged(), len(sent)))
    st = status(sock)
    check("live: M3UA and Diameter invariants (every message forwarded, answered or dropped)",
          gwtest.invariant(st) and dinvariant(st), (st["counters"], st["diameter"]["counters"]))
    gwtest.stop(g)
    ev = [e for e in records(events) if "action" in e]
    check("live: one event per message, in order", len(ev) == len(sent), (len(ev), len(sent)))
    missed, fp, answered, incidents = [], [], [], {}
    for lab, e in zip(sent, ev):
        if lab["label"] == "attack":
            if not caught(lab, e) or e.get("action") == "forward":
                missed.append((lab["frame"], lab["attack"], e.get("check")))
            elif lab["protocol"] == "diameter" and e.get("action") == "answer":
                a = got_answers.get(e.get("session_id", "").encode())
                rcx = result_of(a) if a else (None, 0)
                code = int(e["answer"].split(":")[1])
                exp = e["answer"].startswith("diameter-experimental")
                answered.append(rcx == (code, 10415 if exp else 0))
            if lab["attack"] == "x.one_incident":
                incidents.setdefault(lab["instance"], []).append(e.get("incident"))
        elif e.get("action") != "forward" or e.get("check") != "default":
            fp.append((lab["frame"], lab["msg"], e.get("check"), e.get("reason")))
    check("live: every attack caught by its expected check", not missed, missed[:5])
    check("live: no legitimate message blocked", not fp, fp[:5])
    check("live: the attacker received the Result-Code / Experimental-Result of each answer",
          answered and all(answered), answered.count(False))
    check("live: an attack blocked on MAP and tried on Diameter is one incident",
          incidents and all(len(v) == 2 and v[0] and v[0] == v[1] for v in incidents.values()),
          incidents)
    # the gateway's own outer-side capture through ssgw analyze: the same verdicts
    rc, recs = analyze(args, cap)
    base = ("CER", "CEA", "DWR", "DWA", "DPR", "DPA")
    mine = [r for r in recs if ("diameter" in r or "otid" in r) and  # no M3UA management,
            r.get("origin_host") != "dea.albion.example" and  # nor answers we built, nor
            r.get("diameter") not in base]  # the peer's base protocol
    check("analyze of the gateway's capture: one record per judged message",
          rc == 0 and len(mine) == len(ev), (rc, len(mine), len(ev)))
    diff = [(r.get("frame"), r.get("check"), e.get("check")) for r, e in zip(mine, ev)
            if (r.get("check"), r.get("action"), r.get("incident")) !=
            (e.get("check"), e.get("action"), e.get("incident"))]
    check("the gateway's verdicts = ssgw analyze of its capture, message by message", not diff,
          diff[:5])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    try:
        offline(args, args.workdir)
        live(args, args.workdir)
    finally:
        for p in gwtest.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        gwtest.kill_all()
    return gwtest.summary()


if __name__ == "__main__":
    sys.exit(main())
