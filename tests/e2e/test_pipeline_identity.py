#!/usr/bin/env python3
"""Offline verdicts = inline verdicts: one labelled capture through a live gateway and
through `ssgw analyze`, message by message, trust included (include/ssgw/pipeline.h).

The capture is Albion's view of its interconnect (examples/ssgw.conf: roaming traffic with
the attack catalogue, `ssgw attack`), with trust (examples/trust/setup.sh makes the TSCA,
Albion and Safari): Safari signs what it sends to Albion (`ssgw sign`), some of those
messages are then tampered with (a signature byte, the calling GT, a TCAP octet) and some
replayed. Albion's policy is examples/ssgw.conf plus [trust] with inbound =
"verify-if-present" (unsigned partners still reach the firewall), and sign = "members"
(Albion signs what it sends to Safari).

1. The gateway (`ssgw run`, events_all) receives every frame on the side it belongs to
   (DPC 1001, Albion's STP: the interconnect; otherwise the core), one at a time, in
   capture order; the events file gives each message's verdict and its arrival time.
2. The same frames, stamped with those arrival times, become a capture that
   `ssgw analyze --json` judges with the same policy (the capture time is its clock).
3. Every message must get the same action, verdict, check, reason, trust outcome, trust
   action, partner, signer and signing from both; and the mix must exercise each stage
   (trust ok / missing / bad_signature / replay, firewall drops and answers, signing).

Usage: test_pipeline_identity.py --ssgw BIN --tsca BIN --source REPO --workdir DIR
                                 [--workers N]
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import time

import gwtest
from gwtest import (Asp, check, free_port, gateway, kill_all, pcap_write, pd_of, records, status,
                    stop, summary, text, write_config)

KEYS = ("direction", "action", "alert", "verdict", "enforced", "category", "check", "reason",
        "answer", "trust", "trust_action", "trust_policy", "partner", "signer", "signer_serial",
        "token_bytes", "signed", "sign_refused")


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def make_policy(source, tdir, path):
    """examples/ssgw.conf (Albion's firewall) with Albion's [trust] from setup.sh."""
    base = open(os.path.join(source, "examples", "ssgw.conf")).read()
    al = os.path.join(tdir, "albion")
    with open(path, "w") as f:
        f.write(base)
        f.write('\n[trust]\nkey = "%s"\nka_key = "%s"\nroot = "%s"\nbundle = "%s"\n'
                'mode = "ecdsa-p256"\nsign = "members"\nwindow = 3600\n'
                'inbound = "verify-if-present"\n'
                % (os.path.join(al, "sign.key"), os.path.join(al, "ka.key"),
                   os.path.join(tdir, "root.crt"), os.path.join(tdir, "trust.bundle")))


def make_capture(a, work, tdir):
    """The signed, tampered and replayed M3UA messages, in capture order."""
    sys.path.insert(0, os.path.join(a.source, "examples", "trust"))
    import pcaptool
    raw, lab = os.path.join(work, "attack.pcap"), os.path.join(work, "attack.labels.jsonl")
    p = run([a.ssgw, "attack", "--seed", str(getattr(a, "seed", 41)), "--count", str(a.count),
             "--attack-ratio", "0.2",
             "--duration", "0.02", "--labels", lab, "-q", raw])
    check("attack capture generated", p.returncode == 0, p.stderr)
    signed = os.path.join(work, "signed.pcap")
    p = run([a.ssgw, "sign", "--config", os.path.join(tdir, "safari", "ssgw.conf"), raw, signed])
    check("Safari signs what it sends to Albion", p.returncode == 0 and "signed" in p.stderr,
          p.stderr)
    _, _, recs = pcaptool.read_pcap(signed)
    out, tampered, replayed, n_signed = [], 0, 0, 0
    fields = ("signature", "calling-gt", "tcap")
    for r in recs:
        frame = r[2]
        has_token = pcaptool.token_fields(frame) is not None
        if has_token:
            n_signed += 1
            if n_signed % 9 == 0 and pcaptool.tamper(frame, fields[tampered % 3]):
                tampered += 1
        o, ln = pcaptool.m3ua_span(frame)
        out.append(bytes(frame[o:o + ln]))
        if has_token and n_signed % 13 == 0:
            out.append(bytes(frame[o:o + ln]))  # the same message again: a replay
            replayed += 1
    check("capture: %d signed, %d tampered, %d replayed" % (n_signed, tampered, replayed),
          n_signed > 20 and tampered > 2 and replayed > 2)
    return out


def inbound(m):
    pd = pd_of(m)
    return pd is not None and int.from_bytes(pd[4:8], "big") == 1001  # DPC: Albion's STP


def through_gateway(a, work, frames, policy):
    po, pi = free_port(), free_port()
    sock = os.path.join(work, "gw.sock")
    events = os.path.join(work, "events.jsonl")
    if os.path.exists(events):
        os.unlink(events)
    cfg = write_config(os.path.join(work, "gw.toml"), [
        {"name": "interconnect", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % po},
        {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi}],
        ['status_socket = "%s"' % sock, 'policy = "%s"' % policy, 'events = "%s"' % events,
         "events_all = true"])
    g = gateway(a.ssgw, cfg, sock, os.path.join(work, "gw.log"))
    check("gateway starts with the policy and [trust]", g.poll() is None, text(g.logfile)[-800:])
    if g.poll() is not None:
        return None
    outer, inner = Asp(po, 1), Asp(pi, 1)
    prev = status(sock)["counters"]["data_in"]
    stuck = []
    t_end = time.time() + 300
    for i, m in enumerate(frames):
        (outer if inbound(m) else inner).send_raw(m)
        while time.time() < t_end:  # judged: counted in, and no inspection thread holds it
            c = status(sock)["counters"]
            if c["data_in"] > prev and c.get("in_flight", 0) == 0:
                break
            time.sleep(0.001)
        else:
            stuck.append(i)
            break
        prev = c["data_in"]
        outer.drain()
        inner.drain()
    check("every frame judged by the gateway", not stuck and prev == len(frames), (stuck, prev))
    outer.s.close()
    inner.s.close()
    check("gateway stops cleanly", stop(g) == 0, text(g.logfile)[-800:])
    ev = [e for e in records(events) if e.get("event") == "message"]
    check("one event per message (events_all)", len(ev) == len(frames), (len(ev), len(frames)))
    return ev


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--tsca", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--count", type=int, default=500)
    a = ap.parse_args()
    gwtest.WORKERS = a.workers
    a.ssgw, a.tsca, a.source = map(os.path.abspath, (a.ssgw, a.tsca, a.source))
    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    tdir = os.path.join(work, "trust")
    env = dict(os.environ, SSGW=a.ssgw, TSCA=a.tsca, DEMO="0")
    try:
        p = run(["sh", os.path.join(a.source, "examples", "trust", "setup.sh"), tdir], env=env,
                timeout=120)
        check("trust set-up (examples/trust/setup.sh)", p.returncode == 0, p.stderr[-1500:])
        if p.returncode:
            return summary()
        policy = os.path.join(work, "albion.conf")
        make_policy(a.source, tdir, policy)
        frames = make_capture(a, work, tdir)
        ev = through_gateway(a, work, frames, policy)
        if not ev or len(ev) != len(frames):
            return summary()
        # the events' time: RFC 3339 UTC with milliseconds (docs/events.md)
        times = [int(round(datetime.datetime.fromisoformat(e["time"].replace("Z", "+00:00"))
                           .timestamp() * 1000)) for e in ev]
        cap = os.path.join(work, "as-received.pcap")
        pcap_write(cap, frames, times)
        p = run([a.ssgw, "analyze", "--config", policy, "--json", cap])
        check("ssgw analyze runs", p.returncode == 0, p.stderr[-800:])
        an = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
        check("one analyze record per message", len(an) == len(frames), (len(an), len(frames)))
        diff = []
        for i, (g, o) in enumerate(zip(ev, an)):
            dg = {k: g.get(k) for k in KEYS}
            do = {k: o.get(k) for k in KEYS}
            if dg != do:
                diff.append((i + 1, {k: (dg[k], do[k]) for k in KEYS if dg[k] != do[k]}))
        check("identical verdicts, message by message, trust included (%d messages)" % len(ev),
              not diff, diff[:5])
        mix = {}
        for e in ev:
            for key in ("trust:" + str(e.get("trust")), "action:" + e["action"],
                        "signed:" + str(bool(e.get("signed")))):
                mix[key] = mix.get(key, 0) + 1
        print("mix: " + json.dumps(mix, sort_keys=True))
        need = ("trust:ok", "trust:missing", "trust:bad_signature", "trust:replay",
                "action:drop", "action:answer", "action:forward-modified", "signed:True")
        check("the capture exercises every stage (%s)" % ", ".join(need),
              all(mix.get(k, 0) > 0 for k in need), mix)
        fw = {e["check"] for e in ev if e["action"] in ("drop", "answer") and e.get("check")
              and not e["check"].startswith("trust.")}
        check("firewall checks among the drops (%d kinds)" % len(fw), len(fw) >= 5, sorted(fw))
    finally:
        kill_all()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
