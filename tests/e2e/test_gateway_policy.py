#!/usr/bin/env python3
"""End-to-end tests of the live gateway's policy pipeline ([gateway] policy, events,
report): real processes over TCP on 127.0.0.1, bounded in time and count.

(a) firewall inline: a labelled `ssgw attack` capture (docs/attacks.md) sent through a
    gateway running examples/ssgw.conf, every frame on the side it belongs to (inbound
    frames into the outer link, our own outbound frames into the inner link), one at a
    time in capture order (the firewall is stateful: dialogues, locations and SRI-SM
    marks are learned from outbound traffic), each frame's fate read from the gateway's
    counters. Every attack is blocked (dropped or answered) with the label's check or one
    of its `also`; every legitimate message arrives byte-exact on the other side; answers
    (TCAP abort / MAP error / UDTS) come back to the sender and decode; counts add up;
    the events file has one record per blocked message with the same check; the HTML
    report is written on SIGUSR1. Monitor mode: `ssgw peer --replay` of the inbound
    frames, everything forwarded, verdicts reported as alerts.
(b) trust inline: examples/trust/setup.sh makes a TSCA, two operators and their
    configurations; gateways A (Albion) and B (Safari) are connected over their outer
    links. A's inner peer sends MAP to B's HLR: A signs, B verifies and strips, B's inner
    peer receives the original bytes; B's answers are signed by B and verified by A. A
    forged message injected at B's outer side without a token is dropped (trust
    missing, fail closed); events name signer and outcome; SIGHUP with a broken policy
    is refused and the old one kept.

Usage: test_gateway_policy.py --ssgw BIN --tsca BIN --source REPO --workdir DIR
"""
import argparse
import collections
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time

import gwtest
from gwtest import (RATE_CHECKS, Asp, check, finish, free_port, gateway, invariant, kill_all,
                    pcap_frames, pcap_write, rate_allowance, records, replay_labelled, start,
                    status, stop, summary, text, write_config)

ANSWER_KINDS = ("tcap-abort", "map-error", "sccp-udts", "isup-rel")


def wait_reloads(sock, n, timeout=20):
    """Waits until the gateway counted n reloads, refused or applied (not a fixed delay)."""
    t_end = time.time() + timeout
    while time.time() < t_end:
        c = status(sock)["counters"]
        if c["reloads"] + c["reload_failures"] >= n:
            return True
        time.sleep(0.02)
    return False


# ---- (a) the firewall inline --------------------------------------------------------------

def test_firewall(a, work):
    ssgw = a.ssgw
    conf = os.path.join(a.source, "examples", "ssgw.conf")
    pcap, lab = os.path.join(work, "attack.pcap"), os.path.join(work, "attack.labels.jsonl")
    # 90 s of simulated time for 400 messages: the time-dependent checks (velocity, rates,
    # SRI-SM window) judge the same whether the frames come at capture pace or faster
    p = subprocess.run([ssgw, "attack", "--seed", "22", "--count", "400", "--attack-ratio", "0.2",
                        "--duration", "0.02", "--labels", lab, "-q", pcap],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check("attack capture generated", p.returncode == 0, p.stderr)
    labels = [json.loads(l) for l in open(lab)]
    frames = pcap_frames(pcap)
    check("capture and labels agree", len(frames) == len(labels) == 400)
    po, pi = free_port(), free_port()
    sock = os.path.join(work, "fw.sock")
    events, report = os.path.join(work, "fw-events.jsonl"), os.path.join(work, "fw-report.html")
    for f in (events, report):
        if os.path.exists(f):
            os.unlink(f)
    cfg = write_config(os.path.join(work, "fw.toml"), [
        {"name": "interconnect", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % po,
         "routing_contexts": [10]},
        {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi,
         "routing_contexts": [20]}],
        ['status_socket = "%s"' % sock, 'policy = "%s"' % conf, 'events = "fw-events.jsonl"',
         'report = "fw-report.html"'])
    p = subprocess.run([ssgw, "run", "--config", cfg, "--check-config"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    check("check-config loads the policy", p.returncode == 0 and "policy" in p.stdout, p.stderr)
    g = gateway(ssgw, cfg, sock, os.path.join(work, "fw-gw.log"))
    check("gateway with policy starts", g.poll() is None, text(g.logfile))
    outer, inner = Asp(po, 10), Asp(pi, 20)
    sent_at = []
    fate, answers, wrong_bytes, stuck = replay_labelled(sock, outer, inner, frames, labels,
                                                        sent_at=sent_at)
    check("every frame judged in time", not stuck, stuck[:10])
    fp, miss, caught = [], [], collections.Counter()
    rate_miss, span = collections.defaultdict(list), {}  # per (attack, instance)
    for i, (f, l) in enumerate(zip(fate, labels)):
        if l["label"] == "legit":
            if f != "forward":
                fp.append((i + 1, l["scenario"], f))
            continue
        key = (l["attack"], l.get("instance"))
        span[key] = (span.get(key, (sent_at[i],))[0], sent_at[i])
        if f in ("drop", "answer"):
            caught[l["attack"]] += 1
        elif l["check"] in RATE_CHECKS:
            rate_miss[key].append((i + 1, l["check"]))
        else:
            miss.append((i + 1, l["attack"], f))
    for key, fr in rate_miss.items():  # a flood's first messages, judged at the gateway's pace
        allowed = rate_allowance(fr[0][1], span[key][1] - span[key][0])
        if len(fr) > allowed:
            miss.append((key, "%d let through, allowed %d" % (len(fr), allowed)))
    check("firewall inline: every legitimate message forwarded", not fp, fp[:10])
    check("firewall inline: every attack blocked (dropped or answered)", not miss, miss[:10])
    check("firewall inline: several attack kinds", len(caught) >= 8, dict(caught))
    check("forwarded messages byte-exact on the other side", not wrong_bytes, wrong_bytes[:10])
    check("answers came back and decode as TCAP abort / MAP error / UDTS / ISUP REL",
          answers and all(k in ANSWER_KINDS for _, k in answers), answers[:10])
    g.send_signal(signal.SIGUSR1)
    t_end = time.time() + 10  # written to a temporary file and renamed: whole once it exists
    while time.time() < t_end and "</html>" not in text(report):
        time.sleep(0.02)
    html = text(report)
    check("SIGUSR1 writes the HTML report", html.startswith("<!DOCTYPE html>") and "<svg" in html)
    st = status(sock)
    c = st["counters"]
    pl = st.get("pipeline", {})
    check("counts: in = forwarded + answered + dropped, as observed", invariant(st)
          and c["data_in"] == 400 and c["answered"] == fate.count("answer")
          and c["dropped"] == fate.count("drop"), c)
    check("status: per-check counters", pl.get("checks") and
          sum(pl["checks"].values()) >= fate.count("drop") + fate.count("answer"), pl)
    outer.s.close()
    inner.s.close()
    check("graceful stop", stop(g) == 0, text(g.logfile)[-1500:])
    ev = records(events)
    blocked = [e for e in ev if e.get("action") in ("drop", "answer")]
    idx = [i for i, f in enumerate(fate) if f in ("drop", "answer")]
    ok = len(blocked) == len(idx)
    bad = []
    for e, i in zip(blocked, idx):
        l = labels[i]
        exp = [l["check"]] + (l.get("also") or [])
        if e.get("check") not in exp or e.get("link") != ("interconnect" if l["dir"] == "in"
                                                          else "stp"):
            bad.append((i + 1, l["check"], e.get("check")))
    check("events: one record per blocked message with the label's check", ok and not bad,
          (len(blocked), len(idx), bad[:10]))
    ans = [e for e in ev if e.get("action") == "answer"]
    check("events: answers name their kind", all(e.get("answer") for e in ans)
          and [e["answer"].split(":")[0] for e in ans] == [k for _, k in answers],
          ([e.get("answer") for e in ans][:5], answers[:5]))
    check("report written at shutdown", text(report).startswith("<!DOCTYPE html>"))

    # monitor mode: the same policy with mode = "monitor", inbound frames by `ssgw peer`
    mon = os.path.join(work, "monitor.conf")
    with open(mon, "w") as f:
        f.write(open(conf).read().replace('mode = "enforce"', 'mode = "monitor"', 1))
    inb = [m for m, l in zip(frames, labels) if l["dir"] == "in"]
    n_att = sum(1 for l in labels if l["dir"] == "in" and l["label"] == "attack")
    # a flood's first messages are not alerted on (replayed in well under a second)
    floods = {(l["attack"], l.get("instance")): l["check"] for l in labels
              if l["dir"] == "in" and l["label"] == "attack" and l["check"] in RATE_CHECKS}
    tolerated = sum(rate_allowance(c, 1) for c in floods.values())
    mpcap = os.path.join(work, "inbound.pcap")
    pcap_write(mpcap, inb)
    po, pi = free_port(), free_port()
    msock = os.path.join(work, "mon.sock")
    cfg = write_config(os.path.join(work, "mon.toml"), [
        {"name": "interconnect", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % po},
        {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi}],
        ['status_socket = "%s"' % msock, 'policy = "%s"' % mon, 'events = "mon-events.jsonl"'])
    if os.path.exists(os.path.join(work, "mon-events.jsonl")):
        os.unlink(os.path.join(work, "mon-events.jsonl"))
    g = gateway(ssgw, cfg, msock, os.path.join(work, "mon-gw.log"))
    b = start([ssgw, "peer", "--connect", "127.0.0.1:%d" % pi, "--expect", str(len(inb)),
               "--record", os.path.join(work, "mon-b.jsonl"), "--linger", "300",
               "--duration", "30000"], os.path.join(work, "mon-b.log"))
    for _ in range(100):
        if status(msock)["links"][1]["asp_state"] == "active":
            break
        time.sleep(0.05)
    pa = start([ssgw, "peer", "--connect", "127.0.0.1:%d" % po, "--replay", mpcap, "--rate",
                "2000", "--record", os.path.join(work, "mon-a.jsonl"), "--linger", "500",
                "--duration", "30000"], os.path.join(work, "mon-a.log"))
    ra, rb = finish(pa, 40), finish(b, 40)
    st = status(msock)
    c = st["counters"]
    sent = [r["pd"] for r in records(os.path.join(work, "mon-a.jsonl"))
            if r.get("dir") == "tx" and r.get("msg") == "DATA"]
    got = [r["pd"] for r in records(os.path.join(work, "mon-b.jsonl"))
           if r.get("dir") == "rx" and r.get("msg") == "DATA"]
    check("monitor mode: everything forwarded byte-exact", ra == 0 and rb == 0
          and len(sent) == len(inb) and sorted(sent) == sorted(got)
          and c["dropped"] == 0 and c["answered"] == 0, (ra, rb, len(sent), len(got), c))
    check("monitor mode: verdicts reported as alerts", c["alerts"] > 0
          and c["alerts"] >= n_att - tolerated, (c["alerts"], n_att, tolerated))
    stop(g)
    mev = records(os.path.join(work, "mon-events.jsonl"))
    check("monitor mode: events not enforced", mev and all(e.get("enforced") is False
                                                           and e.get("action") == "forward"
                                                           for e in mev), mev[:2])


# ---- (b) trust inline ---------------------------------------------------------------------

def test_trust(a, work):
    tdir = os.path.join(work, "trust")
    shutil.rmtree(tdir, ignore_errors=True)
    env = dict(os.environ, SSGW=a.ssgw, TSCA=a.tsca, DEMO="0")
    p = subprocess.run(["sh", os.path.join(a.source, "examples", "trust", "setup.sh"), tdir],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                       timeout=120)
    check("trust set-up (examples/trust/setup.sh)", p.returncode == 0, p.stderr[-1500:])
    if p.returncode:
        return
    a_in, b_in, b_out, b_out2 = free_port(), free_port(), free_port(), free_port()
    sa, sb = os.path.join(work, "ta.sock"), os.path.join(work, "tb.sock")
    cfg_a = write_config(os.path.join(tdir, "albion", "gw.toml"), [
        {"name": "core", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % a_in},
        {"name": "ipx", "side": "outer", "role": "asp", "connect": "127.0.0.1:%d" % b_out}],
        ['status_socket = "%s"' % sa, 'policy = "ssgw.conf"', 'events = "events.jsonl"',
         "reconnect_ms = 100"])
    cfg_b = write_config(os.path.join(tdir, "safari", "gw.toml"), [
        {"name": "core", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % b_in},
        {"name": "ipx", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % b_out},
        {"name": "rogue", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % b_out2}],
        ['status_socket = "%s"' % sb, 'policy = "ssgw.conf"', 'events = "events.jsonl"'])
    gb = gateway(a.ssgw, cfg_b, sb, os.path.join(work, "tb-gw.log"))
    ga = gateway(a.ssgw, cfg_a, sa, os.path.join(work, "ta-gw.log"))
    check("both gateways start with [trust]", ga.poll() is None and gb.poll() is None,
          text(ga.logfile)[-800:] + text(gb.logfile)[-800:])
    N = 20
    pb = start([a.ssgw, "peer", "--connect", "127.0.0.1:%d" % b_in, "--hlr", "254722",
                "--expect", str(N), "--record", os.path.join(work, "tb-peer.jsonl"),
                "--linger", "500", "--duration", "30000"], os.path.join(work, "tb-peer.log"))
    for _ in range(100):
        links = {l["name"]: l for l in status(sa)["links"] + status(sb)["links"]}
        if all(status(s)["links"][i]["asp_state"] == "active" for s, i in ((sa, 1), (sb, 0))):
            break
        time.sleep(0.05)
    pa = start([a.ssgw, "peer", "--connect", "127.0.0.1:%d" % a_in, "--send",
                "updateLocation", "--count", str(N), "--from", "447924000010", "--to",
                "254722000001", "--called-ssn", "6", "--calling-ssn", "7", "--imsi",
                "639020000000001", "--opc", "1001",
                "--dpc", "2001", "--expect", str(N),
                "--record", os.path.join(work, "ta-peer.jsonl"), "--linger", "500",
                "--duration", "30000"], os.path.join(work, "ta-peer.log"))
    ra, rb = finish(pa, 40), finish(pb, 40)
    ar, br = records(os.path.join(work, "ta-peer.jsonl")), records(os.path.join(work, "tb-peer.jsonl"))
    sent = [r["pd"] for r in ar if r.get("dir") == "tx" and r.get("msg") == "DATA"]
    got = [r["pd"] for r in br if r.get("dir") == "rx" and r.get("msg") == "DATA"]
    check("trust: A signs, B verifies and strips: delivered byte-exact", ra == 0 and rb == 0
          and len(sent) == N and sorted(sent) == sorted(got),
          (ra, rb, len(sent), len(got), text(pa.logfile)[-500:]))
    back_tx = [r["pd"] for r in br if r.get("dir") == "tx" and r.get("msg") == "DATA"]
    back_rx = [r["pd"] for r in ar if r.get("dir") == "rx" and r.get("msg") == "DATA"]
    check("trust: answers signed by B, verified and stripped by A, byte-exact",
          len(back_tx) == N and sorted(back_tx) == sorted(back_rx), (len(back_tx), len(back_rx)))
    # a forged message on B's outer side: calling GT and point code of Albion, no token
    pb2 = start([a.ssgw, "peer", "--connect", "127.0.0.1:%d" % b_in, "--duration", "8000",
                 "--record", os.path.join(work, "tb2-peer.jsonl")], os.path.join(work, "tb2.log"))
    for _ in range(100):
        if status(sb)["links"][0]["asp_state"] == "active":
            break
        time.sleep(0.05)
    pr = start([a.ssgw, "peer", "--connect", "127.0.0.1:%d" % b_out2, "--send",
                "sendRoutingInfoForSM", "--count", "3", "--from", "447924000020", "--to",
                "254722000001", "--called-ssn", "6", "--calling-ssn", "8", "--opc", "1001",
                "--dpc", "2001", "--record",
                os.path.join(work, "tr-peer.jsonl"), "--linger", "500", "--duration", "10000"],
               os.path.join(work, "tr-peer.log"))
    finish(pr, 20)
    pb2.send_signal(signal.SIGTERM)
    finish(pb2)
    got2 = [r for r in records(os.path.join(work, "tb2-peer.jsonl")) if r.get("dir") == "rx"
            and r.get("msg") == "DATA"]
    check("trust: nothing forged reached B's network", not got2, got2[:1])
    stb, sta = status(sb), status(sa)
    cb, pl = stb["counters"], stb.get("pipeline", {})
    check("trust: forged message without a token dropped (missing, fail closed)",
          cb.get("reasons", {}).get("trust.missing") == 3
          and pl.get("trust_outcomes", {}).get("missing") == 3, (cb, pl))
    check("trust: B verified N ok, A signed N and verified N ok",
          pl.get("trust_outcomes", {}).get("ok") == N and pl.get("signed") == N
          and sta["pipeline"].get("signed") == N
          and sta["pipeline"].get("trust_outcomes", {}).get("ok") == N, (pl, sta.get("pipeline")))
    check("trust: counts add up on both", invariant(sta) and invariant(stb))
    # SIGHUP with a broken policy: refused, old one kept
    conf_b = os.path.join(tdir, "safari", "ssgw.conf")
    good = open(conf_b).read()
    with open(conf_b, "w") as f:
        f.write(good.replace('inbound = "require"', 'inbound = "sometimes"'))
    gb.send_signal(signal.SIGHUP)
    wait_reloads(sb, 1)
    check("trust: SIGHUP with a broken policy refused with file:line:col",
          status(sb)["counters"]["reload_failures"] == 1 and "reload refused" in text(gb.logfile)
          and "ssgw.conf:" in text(gb.logfile), text(gb.logfile)[-800:])
    with open(conf_b, "w") as f:
        f.write(good)
    gb.send_signal(signal.SIGHUP)
    wait_reloads(sb, 2)
    check("trust: SIGHUP with the good policy reloads it", status(sb)["counters"]["reloads"] == 1
          and status(sb)["pipeline"]["policy_reloads"] == 1, text(gb.logfile)[-800:])
    stop(ga)
    stop(gb)
    evb = records(os.path.join(tdir, "safari", "events.jsonl"))
    ok_ev = [e for e in evb if e.get("trust") == "ok" and e.get("link") == "ipx"]
    check("trust: B's events name the signer and serial", len(ok_ev) == N and all(
        e.get("signer") == "Albion Mobile" and e.get("signer_serial") for e in ok_ev),
          evb[:2])
    miss = [e for e in evb if e.get("trust") == "missing"]
    check("trust: the forged ones are events with outcome missing, action drop", len(miss) == 3
          and all(e.get("action") == "drop" and e.get("link") == "rogue" for e in miss), miss[:1])
    signed = [e for e in evb if e.get("signed")]
    check("trust: B's signed answers are events with token_bytes", len(signed) == N and all(
        e.get("token_bytes", 0) > 0 for e in signed))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--tsca", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--workers", type=int, default=0,
                    help="[gateway] workers of every gateway started (0: inspect on the loop)")
    a = ap.parse_args()
    gwtest.WORKERS = a.workers
    a.ssgw, a.tsca = os.path.abspath(a.ssgw), os.path.abspath(a.tsca)
    a.source = os.path.abspath(a.source)
    os.makedirs(a.workdir, exist_ok=True)
    work = os.path.abspath(a.workdir)
    try:
        test_firewall(a, work)
        test_trust(a, work)
    finally:
        kill_all()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
