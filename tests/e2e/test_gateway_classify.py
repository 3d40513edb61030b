#!/usr/bin/env python3
"""End-to-end: what a firewall must classify (issue 11), through `ssgw analyze` and through
the live gateway (`ssgw run`), real processes over TCP on 127.0.0.1.

A labelled `ssgw attack` capture (docs/attacks.md) of the unclassified cases — an unknown TCAP
user, an unknown application context, MAP v1 without a dialogue portion, a global opcode, an
unallocated operation, an operation out of its context, ANSI TCAP —, SCCP management from a
stranger and about our own subsystems, CAP by direction, every SMS delivery version from a fake
SMSC (v3 mt-forwardSM; forwardSM in shortMsgMT-RelayContext-v2, in shortMsgRelayContext-v1 and
without any dialogue portion) and from a partner's SMSC without SRI-SM, a location claim for a
subscriber at home, and a hijacked answer to a dialogue our own network opened, mixed with the
legitimate flows (CAMEL both ways, SCCP management between neighbours, MAP v1/v2 short
messages, roaming), judged with examples/ssgw.conf:

1. ssgw analyze: every attack frame refused by its label's check (or a listed alternative),
   every legitimate frame allowed with check "default"; every attack kind and every SMS
   version present.
2. ssgw run: every frame sent on its side, one at a time in capture order; the attacks
   dropped or answered, the legitimate frames forwarded byte-exact; the events file has one
   record per refused message, with the label's check.

Usage: test_gateway_classify.py --ssgw BIN --source REPO --workdir DIR [--workers N]
"""
import argparse
import collections
import json
import os
import subprocess
import sys

import gwtest
from gwtest import (Asp, check, free_port, gateway, kill_all, pcap_frames, records,
                    replay_labelled, status, stop, summary, text, write_config)

ATTACKS = ["evasion", "dos.scmg_stranger", "dos.scmg_partner", "fraud.cap_stranger",
           "intercept.cap_scf_origin", "fraud.cap_foreign_idp", "fraud.sms_spoof",
           "fraud.sms_spoof_legacy", "fraud.sms_no_sri_legacy", "intercept.ul_at_home",
           "infiltration.hijack_answer"]


def expected(lab):
    return [lab["check"]] + (lab.get("also") or [])


def sms_version(lab):
    """Which MAP version a fake SMSC's short message came in (fraud.sms_spoof[_legacy])."""
    if lab["attack"] == "fraud.sms_spoof":
        return "v3 mt-forwardSM"
    return ("v2 forwardSM", "v1 forwardSM", "v1 forwardSM, no dialogue portion")[lab["variant"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--workers", type=int, default=0)
    a = ap.parse_args()
    gwtest.WORKERS = a.workers
    ssgw, work = os.path.abspath(a.ssgw), os.path.abspath(a.workdir)
    os.makedirs(work, exist_ok=True)
    conf = os.path.join(os.path.abspath(a.source), "examples", "ssgw.conf")
    pcap, lab = os.path.join(work, "classify.pcap"), os.path.join(work, "classify.labels.jsonl")
    # 3 minutes of simulated time: no subscriber travels (trips are a day apart), so the
    # time-dependent checks judge alike at capture pace and at the gateway's wall clock
    p = subprocess.run([ssgw, "attack", "--seed", "9", "--count", "900", "--attack-ratio", "0.3",
                        "--duration", "0.05", "--only", ",".join(ATTACKS), "--labels", lab,
                        "-q", pcap], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check("attack capture generated", p.returncode == 0, p.stderr)
    labels = [json.loads(l) for l in open(lab)]
    frames = pcap_frames(pcap)
    check("capture and labels agree", len(frames) == len(labels) == 900)
    kinds = {l["attack"] for l in labels if l["label"] == "attack"}
    listed = [l.split()[0] for l in subprocess.run([ssgw, "attack", "--list"], text=True,
              stdout=subprocess.PIPE).stdout.splitlines()[1:]]
    wanted = {n for n in listed if any(n == w or n.startswith(w + ".") for w in ATTACKS)}
    check("every attack kind in the capture (%d)" % len(wanted), kinds == wanted,
          sorted(wanted - kinds))
    versions = {sms_version(l) for l in labels if l["label"] == "attack"
                and l["attack"] in ("fraud.sms_spoof", "fraud.sms_spoof_legacy")}
    check("every SMS delivery version from a fake SMSC", len(versions) == 4, sorted(versions))
    protocols = collections.Counter(l["protocol"] for l in labels if l["label"] == "legit")
    check("legitimate CAP and SCCP management in the mix", protocols["cap"] and protocols["scmg"],
          dict(protocols))

    # 1. ssgw analyze
    p = subprocess.run([ssgw, "analyze", "--config", conf, "--json", pcap],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    recs = [json.loads(l) for l in p.stdout.splitlines()]
    check("analyze: one record per frame", p.returncode == 0 and len(recs) == len(labels),
          p.stderr[-500:])
    fp, miss, caught = [], [], collections.Counter()
    for r, l in zip(recs, labels):
        blocked = r["verdict"] not in ("allow", "alert")
        if l["label"] == "legit":
            if blocked or r["check"] != "default":
                fp.append((r["frame"], l["scenario"], r["check"], r["reason"]))
        elif blocked and r["check"] in expected(l):
            caught[l["attack"]] += 1
        else:
            miss.append((r["frame"], l["attack"], l["variant"], r["check"], r["reason"]))
    check("analyze: zero false positives", not fp, fp[:5])
    check("analyze: every attack refused by its check", not miss, miss[:5])
    check("analyze: every kind caught", set(caught) == wanted, sorted(wanted - set(caught)))

    # 2. the live gateway
    po, pi = free_port(), free_port()
    sock, events = os.path.join(work, "gw.sock"), os.path.join(work, "events.jsonl")
    if os.path.exists(events):
        os.unlink(events)
    cfg = write_config(os.path.join(work, "gw.toml"), [
        {"name": "interconnect", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % po},
        {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi}],
        ['status_socket = "%s"' % sock, 'policy = "%s"' % conf, 'events = "%s"' % events])
    g = gateway(ssgw, cfg, sock, os.path.join(work, "gw.log"))
    check("gateway starts", g.poll() is None, text(g.logfile)[-800:])
    if g.poll() is not None:
        return
    outer, inner = Asp(po, 1), Asp(pi, 1)
    fate, answers, wrong_bytes, stuck = replay_labelled(sock, outer, inner, frames, labels, 240)
    check("gateway: every frame judged in time", not stuck, stuck[:10])
    gfp = [(i + 1, l["scenario"], f) for i, (f, l) in enumerate(zip(fate, labels))
           if l["label"] == "legit" and f != "forward"]
    gmiss = [(i + 1, l["attack"], l["variant"], f) for i, (f, l) in enumerate(zip(fate, labels))
             if l["label"] == "attack" and f not in ("drop", "answer")]
    check("gateway: every legitimate message forwarded", not gfp, gfp[:10])
    check("gateway: every attack dropped or answered", not gmiss, gmiss[:10])
    check("gateway: forwarded messages byte-exact", not wrong_bytes, wrong_bytes[:10])
    outer.s.close()
    inner.s.close()
    check("gateway stops cleanly", stop(g) == 0, text(g.logfile)[-800:])
    ev = [e for e in records(events) if e.get("action") in ("drop", "answer")]
    refused = [l for f, l in zip(fate, labels) if f in ("drop", "answer")]
    bad = [(l["frame"], l["attack"], e.get("check")) for e, l in zip(ev, refused)
           if e.get("check") not in expected(l)]
    check("gateway: one event per refused message, with the label's check",
          len(ev) == len(refused) and not bad, (len(ev), len(refused), bad[:10]))


if __name__ == "__main__":
    try:
        main()
    finally:
        kill_all()
    sys.exit(summary())
