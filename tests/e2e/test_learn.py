#!/usr/bin/env python3
"""End-to-end tests of learn mode (docs/checks.md "Learn mode"), as an operator runs it.

A policy that knows only the home network (the [home] section of examples/ssgw.conf, with
the operator's call and SMS lists and limits, [calls], [sms] and [[protected_sender]], which
learn mode does not propose: phishing domains and protected senders are not in traffic)
refuses most of the legitimate roaming traffic of `ssgw attack --attack-ratio 0`. Learn mode
on that clean capture proposes [rate] and [[partner]] tables; the home section plus the
proposal must then
  - pass every message of that capture (zero drops: every verdict allow), and
  - still stop every attack of the catalogue (`ssgw attack` with attacks, another seed),
    each with its expected check, with no false positive on its legitimate traffic
    (the only misses tolerated are the first messages of a flood, as many as the learnt
    burst, or for the call and SMS rates as many as their limits let through, which a rate
    limit cannot tell from legitimate traffic).

(a) offline: `ssgw analyze --learn`, and a policy with checks in learn mode (the same
    proposal), then the checks above with `ssgw analyze`.
(b) live: `ssgw run` with checks in learn mode, the clean capture's frames sent on the side
    each belongs to, every one forwarded (learn mode refuses nothing); the proposal written
    on SIGUSR1 and on POST /api/v1/learn equals the offline one (partners: the same
    tables; rates differ: the gateway's clock is the wall clock); a second gateway with a
    short [learn] period writes it by itself (event learn_written). Then a gateway running
    the home section plus the live proposal forwards every frame of the clean capture,
    replayed no faster than it was learnt, and blocks every attack of the attack capture.

Usage: test_learn.py --ssgw BIN --source REPO --workdir DIR
"""
import argparse
import collections
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import gwtest
from gwtest import (Asp, check, free_port, gateway, kill_all, pcap_frames, rate_allowance,
                    records, status, stop, summary, text, wait_for, write_config)

RATE_CHECKS = {"sms.sri_sm_rate", "rate.calling_gt", "rate.imsi", "rate.operation"}
# the call and SMS rates of examples/ssgw.conf (copied into the policy with home_section)
FLOOD_CHECKS = {c for c in gwtest.RATE_CHECKS if c.startswith(("call.", "sms.s"))} - RATE_CHECKS
API_TOKEN = "ops-0123456789abcdef0123456789"


def run(args):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=600)


def home_section(source):
    """The [home] table of examples/ssgw.conf and its call and SMS sections ([calls], [sms],
    [[protected_sender]]: operator lists learn mode does not propose), as text."""
    conf = open(os.path.join(source, "examples", "ssgw.conf")).read()
    m = re.search(r"^\[home\]\n(.*?)(?=^# ----|^\[)", conf, re.M | re.S)
    cs = re.search(r"^\[calls\]\n.*?(?=^# ---- the home network)", conf, re.M | re.S)
    return "[home]\n" + m.group(1) + "\n" + cs.group(0)


def flood_misses(floods):
    """The call and SMS floods that passed more messages than their limit allows: floods maps
    (attack, instance) to [(check, time)] of its messages that passed."""
    out = []
    for key, fr in floods.items():
        allowed = rate_allowance(fr[0][0], fr[-1][1] - fr[0][1])
        if len(fr) > allowed:
            out.append((key, "%d let through, allowed %d" % (len(fr), allowed)))
    return out


def partners_of(snippet):
    """The [[partner]] tables of a proposal without comments, keyed by name."""
    out, cur = {}, None
    for line in snippet.splitlines():
        if line.startswith("[[partner]]"):
            cur = []
        elif cur is not None and line.startswith("name = "):
            out[line] = cur
        if cur is not None and line and not line.startswith("#") and not line.startswith("[["):
            cur.append(line)
    return out


def rate_of(snippet, key):
    m = re.search(r'^%s = "(\d+)/(\d+)s"$' % key, snippet, re.M)
    return (int(m.group(1)), int(m.group(2))) if m else None


def analyze(ssgw, conf, pcap, extra=()):
    p = run([ssgw, "analyze", "--config", conf, "--json", *extra, pcap])
    return p, [json.loads(l) for l in p.stdout.splitlines()]


def score(recs, labels, burst):
    """(legitimate messages refused, attacks missed or caught by an unexpected check)."""
    fp, miss, seen = [], [], collections.Counter()
    floods = collections.defaultdict(list)
    for r in recs:
        lab = labels[r["frame"]]
        blocked = r["verdict"] not in ("allow", "alert")
        if lab["label"] == "legit":
            if blocked or r["check"] != "default":
                fp.append((r["frame"], lab.get("scenario"), r["check"], r["reason"]))
            continue
        expected = [lab["check"]] + (lab.get("also") or [])
        if blocked and r["check"] in expected:
            continue
        if lab["check"] in FLOOD_CHECKS and not blocked:
            floods[(lab["attack"], lab.get("instance"))].append((lab["check"], lab["time"]))
            continue
        if lab["check"] in RATE_CHECKS and not blocked:
            key = (lab["attack"], lab.get("instance"))
            seen[key] += 1
            if seen[key] <= burst:
                continue
        miss.append((r["frame"], lab["attack"], lab["check"], r["check"], r["reason"]))
    return fp, miss + flood_misses(floods)


def labels_of(path):
    out = {}
    for l in open(path):
        x = json.loads(l)
        out[x["frame"]] = x
    return out


# ---- (a) offline ------------------------------------------------------------------------------

def offline(a, work):
    ssgw = a.ssgw
    w = lambda n: os.path.join(work, n)
    home = home_section(a.source)
    with open(w("home.conf"), "w") as f:
        f.write(home)
    clean, attack = w("clean.pcap"), w("attack.pcap")
    p = run([ssgw, "attack", "--seed", "41", "--count", "8000", "--attack-ratio", "0",
             "--labels", w("clean.labels.jsonl"), "-q", clean])
    check("clean capture (--attack-ratio 0)", p.returncode == 0, p.stderr)
    clean_labels = labels_of(w("clean.labels.jsonl"))
    check("the clean capture has no attack",
          clean_labels and all(l["label"] == "legit" for l in clean_labels.values()))
    p = run([ssgw, "attack", "--seed", "42", "--count", "8000", "--attack-ratio", "0.15",
             "--labels", w("attack.labels.jsonl"), "-q", attack])
    check("attack capture", p.returncode == 0, p.stderr)

    # what a policy without partners does to the clean traffic: the reason to learn
    p, recs = analyze(ssgw, w("home.conf"), clean)
    refused = sum(r["verdict"] not in ("allow", "alert") for r in recs)
    check("without partners much legitimate traffic is refused", refused > len(recs) // 10,
          (refused, len(recs)))

    # learn
    p = run([ssgw, "analyze", "--config", w("home.conf"), "--learn", w("learnt.conf"), clean])
    check("analyze --learn: exit 0", p.returncode == 0, p.stderr)
    check("analyze --learn: every check in learn mode, nothing refused",
          re.search(r"^  not forwarded +0$", p.stdout, re.M)
          and re.search(r"^  cat3\.velocity +learn +[1-9]", p.stdout, re.M), p.stdout[-3000:])
    m = re.search(r"learn: (\d+) messages observed, (\d+) partners proposed: (.*)$", p.stdout, re.M)
    check("analyze --learn: says what it wrote", m and int(m.group(1)) == len(recs)
          and int(m.group(2)) == 3 and m.group(3) == w("learnt.conf"), p.stdout[-500:])
    snippet = text(w("learnt.conf"))
    parts = partners_of(snippet)
    check("proposal: the three partners, by country and prefix",
          sorted(parts) == ['name = "learnt-DE-491710"', 'name = "learnt-KE-254722"',
                            'name = "learnt-NG-234803"'], sorted(parts))
    ke = parts.get('name = "learnt-KE-254722"', [])
    for want in ('gt_prefixes = ["254722"]', 'mcc_mnc = ["63902"]', "point_codes = [2001]",
                 'smsc = ["254722000020"]'):
        check("proposal: Safari Mobile's " + want.split(" ")[0], want in ke, ke)
    de = parts.get('name = "learnt-DE-491710"', [])
    check("proposal: the agreement Rhein Telekom used (category 1 it sent)",
          'allow = ["anyTimeInterrogation"]' in de, de)
    check("proposal: nothing for the other partners' category 1",
          not any(l.startswith("allow") for l in ke + parts.get('name = "learnt-NG-234803"', [])))
    check("proposal: rates", all(rate_of(snippet, k) for k in
                                 ("calling_gt", "imsi", "operation", "sri_sm_per_msisdn")),
          snippet[:1500])
    check("proposal: not applied (the policy is unchanged)", text(w("home.conf")) == home)

    # the same proposal from a policy with its checks in learn mode
    with open(w("home-learn.conf"), "w") as f:
        f.write(home + '\n[policy]\ncheck_mode = "learn"\n[learn]\noutput = "learnt2.conf"\n')
    p = run([ssgw, "analyze", "--config", w("home-learn.conf"), clean])
    s2 = text(w("learnt2.conf"))
    strip = lambda s: [l for l in s.splitlines() if not l.startswith("#")]
    check("a policy in learn mode proposes the same", p.returncode == 0 and s2
          and strip(s2) == strip(snippet), (p.stderr, s2[:500]))

    # loaded: zero drops on the learnt capture, the attack catalogue still stopped
    with open(w("learnt-policy.conf"), "w") as f:
        f.write(home + "\n" + snippet)
    p = run([ssgw, "check-config", w("learnt-policy.conf")])
    check("home + proposal is a valid policy", p.returncode == 0, p.stderr)
    p, recs = analyze(ssgw, w("learnt-policy.conf"), clean)
    bad = [(r["frame"], r["check"], r["reason"]) for r in recs if r["verdict"] != "allow"]
    check("loaded: zero drops on the learnt capture (every verdict allow)",
          p.returncode == 0 and len(recs) == len(clean_labels) and not bad, bad[:10])
    burst = rate_of(snippet, "sri_sm_per_msisdn")[0]
    p, recs = analyze(ssgw, w("learnt-policy.conf"), attack)
    attack_labels = labels_of(w("attack.labels.jsonl"))
    fp, miss = score(recs, attack_labels, burst)
    caught = collections.Counter(attack_labels[r["frame"]]["attack"]
                                 for r in recs if r["verdict"] not in ("allow", "alert"))
    check("loaded: every attack stopped by its expected check", not miss, miss[:10])
    check("loaded: the attack capture's legitimate traffic passes", not fp, fp[:10])
    check("loaded: the catalogue is there", len(caught) >= 15, dict(caught))
    return snippet


# ---- (b) live ---------------------------------------------------------------------------------

def req(port, method, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request(method, path, headers={"Authorization": "Bearer " + API_TOKEN})
    r = c.getresponse()
    body = r.read().decode()
    c.close()
    return r.status, body


def start_gateway(a, work, name, policy, http_port=None):
    po, pi = free_port(), free_port()
    sock = os.path.join(work, name + ".sock")
    extra = ['status_socket = "%s"' % sock, 'policy = "%s"' % policy,
             'events = "%s-events.jsonl"' % name]
    if os.path.exists(os.path.join(work, name + "-events.jsonl")):
        os.unlink(os.path.join(work, name + "-events.jsonl"))
    if http_port:
        extra += ["", "[http]", 'listen = "127.0.0.1:%d"' % http_port, 'tokens = "api.tokens"']
    cfg = write_config(os.path.join(work, name + ".toml"), [
        {"name": "interconnect", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % po,
         "routing_contexts": [10]},
        {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi,
         "routing_contexts": [20]}], extra)
    g = gateway(a.ssgw, cfg, sock, os.path.join(work, name + ".log"))
    check("gateway %s starts" % name, g.poll() is None, text(g.logfile)[-2000:])
    return g, sock, Asp(po, 10), Asp(pi, 20)


def send_all(sock, outer, inner, frames, labels, gaps=None, deadline=240):
    """Sends every frame on its side, one at a time, waiting for its fate in the counters;
    with gaps, frame i is sent no sooner than gaps[i] seconds after frame i-1 (so that no
    stretch of the replay is faster than the run the gaps were measured in). Returns
    (fates, send times)."""
    fates, sent = [], []
    prev = status(sock)["counters"]
    t_end = time.time() + deadline
    last = 0.0
    for i, (m, l) in enumerate(zip(frames, labels)):
        wait = gaps[i] - (time.time() - last) if gaps is not None else 0
        if wait > 0:
            time.sleep(wait)  # pacing to a measured schedule, not waiting for an event
        src, dst = (outer, inner) if l["dir"] == "in" else (inner, outer)
        last = time.time()
        sent.append(last)
        src.send_raw(m)
        c = prev
        while time.time() < t_end:
            c = status(sock)["counters"]
            if c["data_in"] > prev["data_in"] and c.get("in_flight", 0) == 0:
                break
            time.sleep(0.001)
        if c["forwarded"] > prev["forwarded"]:
            dst.data(5)
            fates.append("forward")
        elif c["answered"] > prev["answered"]:
            src.data(5)
            fates.append("answer")
        elif c["dropped"] > prev["dropped"]:
            fates.append("drop")
        else:
            fates.append("?")
        prev = c
    return fates, sent


def live(a, work, offline_snippet):
    ssgw = a.ssgw
    w = lambda n: os.path.join(work, n)
    home = home_section(a.source)
    with open(w("api.tokens"), "w") as f:
        f.write("ops %s\n" % API_TOKEN)
    os.chmod(w("api.tokens"), 0o600)
    # a short clean capture (the live replay goes one frame at a time)
    clean = w("live-clean.pcap")
    p = run([ssgw, "attack", "--seed", "41", "--count", "8000", "--attack-ratio", "0",
             "--labels", w("live-clean.labels.jsonl"), "-q", clean])
    frames = pcap_frames(clean)
    labels = [json.loads(l) for l in open(w("live-clean.labels.jsonl"))]
    check("live: capture read", len(frames) == len(labels) == 8000)
    # enough for every partner and operation kind, quick to replay, and long enough for every
    # partner's gsmSCF to have given an order (a partner whose gsmSCF was not seen is
    # proposed without `gsmscf`, and then cap.scf_origin takes any of its GTs)
    scf_first = {}
    for i, l in enumerate(labels):
        if l.get("protocol") == "cap" and l.get("dir") == "in" and l.get("op") in (
                "connect", "releaseCall"):
            scf_first.setdefault(l.get("calling_gt"), i)
    n = max([600] + [i + 2 for i in scf_first.values()])
    frames, labels = frames[:n], labels[:n]
    with open(w("live-learn.conf"), "w") as f:
        f.write(home + '\n[policy]\ncheck_mode = "learn"\n[learn]\noutput = "live-learnt.conf"\n')
    ph = free_port()
    g, sock, outer, inner = start_gateway(a, work, "learn", w("live-learn.conf"), ph)
    fates, sent = send_all(sock, outer, inner, frames, labels)
    check("live learn: every frame forwarded (learn mode refuses nothing)",
          fates.count("forward") == n, collections.Counter(fates))
    st = status(sock)
    lrn = st.get("pipeline", {}).get("learn", {})
    check("live learn: status shows the learner", lrn.get("learning") and lrn.get("messages") == n
          and lrn.get("output") == w("live-learnt.conf"), lrn)
    modes = st.get("pipeline", {}).get("check_modes", {})
    check("live learn: status shows the checks' modes and what they would have said",
          modes.get("cat3.velocity", {}).get("mode") == "learn"
          and modes.get("cat3.velocity", {}).get("learned", 0) > 0, modes)
    # on demand: SIGUSR1
    g.send_signal(signal.SIGUSR1)
    st = wait_for(sock, lambda s: s["pipeline"].get("learn", {}).get("writes", 0) >= 1, 20)
    live_snippet = text(w("live-learnt.conf"))
    check("live learn: SIGUSR1 writes the proposal", st and live_snippet.startswith("# Proposed"),
          text(g.logfile)[-1500:])
    # the same frames offline: the same partners (rates differ: capture time vs wall clock)
    gwtest.pcap_write(w("live-frames.pcap"), frames)
    p = run([ssgw, "analyze", "--config", w("home.conf"), "--learn", w("frames-learnt.conf"),
             w("live-frames.pcap")])
    same = partners_of(text(w("frames-learnt.conf")))
    check("live learn: the partners proposed are those ssgw analyze --learn proposes",
          p.returncode == 0 and len(same) == 3 and partners_of(live_snippet) == same,
          (partners_of(live_snippet), same))
    check("live learn: ... and those of the whole capture, by name",
          sorted(partners_of(live_snippet)) == sorted(partners_of(offline_snippet)))
    # on demand: the management API
    os.unlink(w("live-learnt.conf"))
    s, body = req(ph, "POST", "/api/v1/learn")
    j = json.loads(body) if s == 200 else {}
    check("live learn: POST /api/v1/learn writes it", s == 200 and j.get("written")
          and j.get("writes") == 2 and os.path.exists(w("live-learnt.conf")), (s, body))
    s, body = req(ph, "GET", "/api/v1/learn")
    check("live learn: GET /api/v1/learn shows progress", s == 200
          and json.loads(body).get("messages") == n, body)
    # a check switched into test mode through the API, and back
    s, body = req(ph, "POST", "/api/v1/checks/cat1.operation/test")
    st = status(sock)
    check("API: a check switched into test mode", s == 200
          and st["pipeline"]["check_modes"].get("cat1.operation", {}).get("mode") == "test"
          and any(x["name"] == "cat1.operation" and x["state"] == "test"
                  for x in st["pipeline"]["switches"]), (s, body))
    s, body = req(ph, "POST", "/api/v1/partners/x/learn")
    check("API: a partner has no modes", s == 404, (s, body))
    outer.s.close()
    inner.s.close()
    check("live learn: graceful stop", stop(g) == 0, text(g.logfile)[-1500:])

    # the period ends by itself
    with open(w("live-period.conf"), "w") as f:
        f.write(home + '\n[policy]\ncheck_mode = "learn"\n[learn]\noutput = "period-learnt.conf"\n'
                "period = 2\n")
    g, sock, outer, inner = start_gateway(a, work, "period", w("live-period.conf"))
    send_all(sock, outer, inner, frames[:50], labels[:50])
    st = wait_for(sock, lambda s: s["pipeline"].get("learn", {}).get("writes", 0) >= 1, 30)
    ev = [e for e in records(w("period-events.jsonl")) if e.get("event") == "learn_written"]
    check("live: the proposal is written when [learn] period ends",
          st and not st["pipeline"]["learn"]["learning"]
          and text(w("period-learnt.conf")).startswith("# Proposed"), text(g.logfile)[-1500:])
    outer.s.close()
    inner.s.close()
    stop(g)
    ev = [e for e in records(w("period-events.jsonl")) if e.get("event") == "learn_written"]
    check("live: event learn_written", len(ev) == 1 and "period-learnt.conf" in ev[0].get("detail", ""),
          ev)

    # the live proposal loaded: the clean frames pass (replayed no faster than learnt), the
    # attacks are blocked
    with open(w("live-policy.conf"), "w") as f:
        f.write(home + "\n" + live_snippet)
    g, sock, outer, inner = start_gateway(a, work, "enforce", w("live-policy.conf"))
    gaps = [0.0] + [sent[i] - sent[i - 1] for i in range(1, len(sent))]
    fates, _ = send_all(sock, outer, inner, frames, labels, gaps)
    refused = [(i + 1, labels[i].get("scenario"), f) for i, f in enumerate(fates) if f != "forward"]
    check("live loaded: zero drops on the learnt traffic", not refused, refused[:10])
    ev = [e for e in records(w("enforce-events.jsonl")) if e.get("action") in ("drop", "answer")]
    check("live loaded: no refusal in the events", not ev, [(e.get("check"), e.get("reason"))
                                                             for e in ev[:5]])
    outer.s.close()
    inner.s.close()
    check("live loaded: graceful stop", stop(g) == 0, text(g.logfile)[-1500:])
    # a fresh gateway (fresh subscriber state, as for a capture of its own) for the attacks
    g, sock, outer, inner = start_gateway(a, work, "attacks", w("live-policy.conf"))
    attack = w("live-attack.pcap")
    run([ssgw, "attack", "--seed", "42", "--count", "400", "--attack-ratio", "0.25",
         "--labels", w("live-attack.labels.jsonl"), "-q", attack])
    af = pcap_frames(attack)
    al = [json.loads(l) for l in open(w("live-attack.labels.jsonl"))]
    mean_gap = (sent[-1] - sent[0]) / max(1, len(sent) - 1)
    fates, _ = send_all(sock, outer, inner, af, al, [mean_gap] * len(af))
    burst = rate_of(live_snippet, "sri_sm_per_msisdn")[0]
    miss, seen = [], collections.Counter()
    floods = collections.defaultdict(list)
    for i, (f, l) in enumerate(zip(fates, al)):
        if l["label"] != "attack" or f in ("drop", "answer"):
            continue
        key = (l["attack"], l.get("instance"))
        if l["check"] in FLOOD_CHECKS:  # replayed mean_gap apart
            floods[key].append((l["check"], i * mean_gap))
            continue
        seen[key] += 1
        if l["check"] in RATE_CHECKS and seen[key] <= burst:
            continue
        miss.append((i + 1, l["attack"], f))
    miss += flood_misses(floods)
    check("live loaded: every attack blocked", not miss, miss[:10])
    outer.s.close()
    inner.s.close()
    check("live loaded: graceful stop", stop(g) == 0, text(g.logfile)[-1500:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    a.ssgw, a.source = os.path.abspath(a.ssgw), os.path.abspath(a.source)
    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        snippet = offline(a, work)
        live(a, work, snippet)
    finally:
        kill_all()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
