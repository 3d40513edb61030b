#!/usr/bin/env python3
"""Two gateways active-active on one shared state: a pair behaves like one box.

A Redis Cluster of 3 masters and 3 replicas (redistest.py) on 127.0.0.1, and two `ssgw run`
gateways A and B with the same policy (examples/ssgw.conf with Albion's [trust], and
[state] backend = "redis" on the cluster, fail = "local"), each between the same partner
(a python M3UA peer on its outer link) and the same core (one on its inner link).

1. A labelled `ssgw attack` capture, one frame at a time in capture order, each frame on
   the node chosen so that every dependency crosses the pair: a message of a dialogue
   goes through the other node than the dialogue's previous message, a new dialogue of a
   scenario through the other node than the scenario's previous message, a location
   update that is a velocity attack through the other node than the victim's last
   location update. Every legitimate message passes, every attack is blocked (rate
   attacks after the bucket, shared by both), and in particular: dialogues opened through
   one node and answered through the other pass; locations learnt through one make the
   other catch velocity attacks; SRI-SM answered through one and mt-forwardSM through the
   other pass. in = forwarded + answered + dropped on both. A reload that changes [state]
   url is refused (the store cannot change without a restart).
2. A token Safari signed (`ssgw sign`) goes through A (verified, stripped, forwarded) and
   the same bytes through B: B drops it as a replay (the shared replay cache). Its key in
   Redis lives as long as the token could be accepted, from the token's time (PTTL read
   back): a token backdated to the window's edge gets seconds, one of now the window (+
   [state] clock_skew), one at the future edge twice that; the backdated one replayed
   through B is still refused; a token outside the window is refused before any write; a
   reload applies another clock_skew.
3. Failover: with the cluster flushed and both gateways restarted, traffic flows; the
   master holding a subscriber's slot is killed; the subscriber's location update goes
   through A while that master is gone (A falls back to its own state and queues the
   write); traffic goes on through both; the replica is promoted; both gateways go up
   again (events state_down, state_up) and replay the queue; the velocity attack on that
   subscriber through B is caught: nothing was lost. Every frame is judged, the counts
   add up, Redis Cluster's redirection (MOVED) is followed when a slot moves under them.
4. Redis stopped entirely: fail = "local" goes on with local state (every frame judged,
   alerts); fail = "closed" drops the inbound messages whose checks need the state
   (state.unavailable, counted) and forwards the rest; every transition is an alert in
   the events file; Redis back: up again, the queued writes in Redis.

Usage: test_gateway_shared.py --ssgw BIN --tsca BIN --source REPO --workdir DIR [--workers N]
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import gwtest
import redistest
import test_pipeline_identity as pid
from gwtest import (Asp, check, free_port, gateway, invariant, kill_all, pcap_frames, pd_of,
                    records, status, stop, summary, text, write_config)

RATE_CHECKS = {"sms.sri_sm_rate", "rate.calling_gt", "rate.imsi", "rate.operation"}
RATE_BURST = 2
UL_OPS = ("updateLocation", "updateGprsLocation")
CLOCK_SKEW = 7  # [state] clock_skew of the pair (test_replay_ttl)


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


class Node:
    """One gateway with its partner-side and core-side peers."""

    def __init__(self, a, work, name, policy):
        self.name = name
        self.po, self.pi, self.http = free_port(), free_port(), free_port()
        self.sock = os.path.join(work, name + ".sock")
        self.events = os.path.join(work, name + "-events.jsonl")
        if os.path.exists(self.events):
            os.unlink(self.events)
        cfg = write_config(os.path.join(work, name + ".toml"), [
            {"name": "interconnect", "side": "outer", "role": "sg",
             "listen": "127.0.0.1:%d" % self.po, "routing_contexts": [10]},
            {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % self.pi,
             "routing_contexts": [20]}],
            ['status_socket = "%s"' % self.sock, 'policy = "%s"' % policy,
             'events = "%s"' % self.events, "", "[http]",
             'listen = "127.0.0.1:%d"' % self.http])
        self.g = gateway(a.ssgw, cfg, self.sock, os.path.join(work, name + ".log"))
        self.outer, self.inner = Asp(self.po, 10), Asp(self.pi, 20)
        self.prev = status(self.sock)

    def state(self):
        return status(self.sock).get("pipeline", {}).get("state", {})

    def metrics(self):
        """GET /metrics: {(name, frozenset of label pairs): value}."""
        c = http.client.HTTPConnection("127.0.0.1", self.http, timeout=10)
        c.request("GET", "/metrics")
        body = c.getresponse().read().decode()
        c.close()
        out = {}
        for line in body.splitlines():
            if not line or line.startswith("#"):
                continue
            name, value = line.rsplit(" ", 1)
            labels = frozenset()
            if "{" in name:
                name, rest = name.split("{", 1)
                labels = frozenset(tuple(kv.split("=", 1)) for kv in
                                   rest.rstrip("}").replace('"', "").split(",") if kv)
            out[(name, labels)] = float(value)
        return out

    def metric_status(self):
        """The state store's status as /metrics says it (the gauge at 1)."""
        on = [dict(k[1]).get("status") for k, v in self.metrics().items()
              if k[0] == "ssgw_state_status" and v == 1]
        return on[0] if len(on) == 1 else on

    def send(self, m, inbound, deadline=30):
        """Sends one frame and waits until it is judged; returns (fate, checks that
        objected, the bytes that came out or None)."""
        src, dst = (self.outer, self.inner) if inbound else (self.inner, self.outer)
        src.send_raw(m)
        end = time.time() + deadline
        while time.time() < end:
            st = status(self.sock)
            c = st["counters"]
            if c["data_in"] > self.prev["counters"]["data_in"] and c.get("in_flight", 0) == 0:
                break
            time.sleep(0.002)
        else:
            return "?", [], None
        p, self.prev = self.prev, st
        pc, nc = p.get("pipeline", {}).get("checks", {}), st.get("pipeline", {}).get("checks", {})
        objected = [k for k in nc if nc[k] > pc.get(k, 0)]
        if c["forwarded"] > p["counters"]["forwarded"]:
            got = dst.data(5)
            return "forward", objected, got
        if c["answered"] > p["counters"]["answered"]:
            return "answer", objected, src.data(5)
        if c["dropped"] > p["counters"]["dropped"]:
            return "drop", objected, None
        return "?", objected, None

    def close(self):
        self.outer.s.close()
        self.inner.s.close()
        return stop(self.g)


def shared_policy(a, work, tdir, url, fail="local", name="shared.conf"):
    path = os.path.join(work, name)
    pid.make_policy(a.source, tdir, path)
    text_ = open(path).read()
    lines = ['backend = "redis"', 'url = "%s"' % url, 'fail = "%s"' % fail, "timeout_ms = 300",
             "reconnect_min_ms = 50", "reconnect_max_ms = 400", "clock_skew = %d" % CLOCK_SKEW]
    if "\n[state]" in text_:
        text_ = text_.replace("\n[state]", "\n[state]\n" + "\n".join(lines), 1)
    else:
        text_ += "\n[state]\n" + "\n".join(lines) + "\n"
    with open(path, "w") as f:
        f.write(text_)
    return path


def attack_capture(a, work, seed, count):
    pcap, lab = os.path.join(work, "attack-%d.pcap" % seed), os.path.join(work, "l-%d.jsonl" % seed)
    p = run([a.ssgw, "attack", "--seed", str(seed), "--count", str(count), "--attack-ratio", "0.2",
             "--duration", "0.02", "--labels", lab, "-q", pcap])
    check("attack capture %d generated" % seed, p.returncode == 0, p.stderr)
    return pcap_frames(pcap), [json.loads(l) for l in open(lab)]


def choose_nodes(labels):
    """Node 0/1 per frame so that every dependency crosses the pair."""
    last_dialogue, last_instance, last_ul, out = {}, {}, {}, []
    for l in labels:
        prev = None
        if l["label"] == "attack" and l["op"] in UL_OPS and l.get("imsi") in last_ul:
            prev = last_ul[l["imsi"]]
        elif l["dialogue"] in last_dialogue:
            prev = last_dialogue[l["dialogue"]]
        elif l["instance"] in last_instance:
            prev = last_instance[l["instance"]]
        n = 0 if prev is None else 1 - prev
        out.append(n)
        last_dialogue[l["dialogue"]] = last_instance[l["instance"]] = n
        if l["label"] == "legit" and l["op"] in UL_OPS and l["dir"] == "in" and l.get("imsi"):
            last_ul[l["imsi"]] = n
    return out


# ---- 1. one box of two ----------------------------------------------------------------------

def imsi_key(imsi):
    return "ssgw:l{%x}" % ((len(imsi) << 60) | int(imsi))


def test_pair(a, work, cl, nodes, frames, labels):
    where = choose_nodes(labels)
    # the last velocity attack's victim: its location's slot moves to another master after
    # the victim's last update and before the attack (resharding under the gateways)
    vk, vj = last_velocity_victim(labels)
    victim = labels[vk]["imsi"]
    fates, objections, wrong, sent_at = [], [], [], []
    moved = None
    for i, (m, l, w) in enumerate(zip(frames, labels, where)):
        if i == vj + 1:
            slot = cl.key_slot(imsi_key(victim))
            src = cl.slot_owner(slot)
            dst = next(p for p in cl.masters() if p != src)
            cl.move_slot(slot, dst)
            moved = (slot, src, dst)
        sent_at.append(time.time())
        fate, obj, got = nodes[w].send(m, l["dir"] == "in")
        fates.append(fate)
        objections.append(obj)
        # inbound frames are unsigned here: byte-exact; outbound ones to Safari get signed
        if fate == "forward" and (got is None or (l["dir"] == "in" and pd_of(got) != pd_of(m))):
            wrong.append(i + 1)
    check("every frame judged", "?" not in fates, [i + 1 for i, f in enumerate(fates) if f == "?"])
    fp, miss, seen_rate, first = [], [], {}, {}
    for i, (f, l) in enumerate(zip(fates, labels)):
        if l["label"] == "legit":
            if f != "forward":
                fp.append((i + 1, l["scenario"], f, objections[i]))
            continue
        if f in ("drop", "answer"):
            continue
        key = (l["attack"], l.get("instance"))
        seen_rate[key] = seen_rate.get(key, 0) + 1
        if l["check"] in RATE_CHECKS and seen_rate[key] <= RATE_BURST:
            continue
        # a call or SMS flood's first messages, within its configured limit (a wangiri
        # number is flagged by its 4th short call): replayed within seconds
        if l["check"] in gwtest.RATE_CHECKS and l["check"] not in RATE_CHECKS:
            first[key] = first.get(key, sent_at[i])
            if seen_rate[key] <= gwtest.rate_allowance(l["check"], sent_at[i] - first[key]):
                continue
        miss.append((i + 1, l["attack"], f))
    check("pair: every legitimate message forwarded", not fp, fp[:8])
    check("pair: every attack blocked (dropped or answered)", not miss, miss[:8])
    check("pair: forwarded messages arrive on the other side (inbound ones byte-exact)",
          not wrong, wrong[:8])

    # the cross-node cases the issue names, counted from what happened
    opened = {}  # dialogue -> node of its outbound Begin
    cross_dialogues = cross_velocity = cross_sms = 0
    sri_end = {}  # imsi -> node of the outbound SRI-SM result (the mark)
    for i, (l, w, f) in enumerate(zip(labels, where, fates)):
        if l["dir"] == "out" and l["tcap"] == "begin":
            opened[l["dialogue"]] = w
        if (l["dir"] == "in" and l["tcap"] in ("continue", "end") and l["label"] == "legit"
                and opened.get(l["dialogue"], w) != w and f == "forward"):
            cross_dialogues += 1
        if (l["dir"] == "out" and l["op"] == "sendRoutingInfoForSM" and l["tcap"] == "end"
                and l.get("imsi")):
            sri_end[l["imsi"]] = w
        if (l["dir"] == "in" and l["op"] == "mt-forwardSM" and l["label"] == "legit"
                and sri_end.get(l.get("imsi"), w) != w and f == "forward"):
            cross_sms += 1
        if (l["label"] == "attack" and l["check"] == "cat3.velocity" and f != "forward"
                and "cat3.velocity" in objections[i]):
            cross_velocity += 1
    check("dialogues opened through one node and answered through the other pass (%d)"
          % cross_dialogues, cross_dialogues >= 5)
    check("SRI-SM answered through one node, mt-forwardSM through the other passes (%d)"
          % cross_sms, cross_sms >= 1)
    check("locations learnt through one node: the other catches velocity attacks (%d)"
          % cross_velocity, cross_velocity >= 1)
    for n in nodes:
        st = status(n.sock)
        s = st.get("pipeline", {}).get("state", {})
        check("%s: in = forwarded + answered + dropped; state %s %s" % (
            n.name, s.get("backend"), s.get("status")), invariant(st) and
            s.get("backend") == "redis-cluster" and s.get("status") == "up", (st["counters"], s))
    sa, sb = nodes[0].state(), nodes[1].state()
    red = sum(n.state().get("moved", 0) for n in nodes)
    check("slot %s moved from %s to %s under the gateways: MOVED followed (%d), the velocity "
          "attack on its subscriber caught" % (moved + (red,)),
          red >= 1 and fates[vk] != "forward" and "cat3.velocity" in objections[vk],
          (fates[vk], objections[vk]))
    check("the state came in batches (%d and %d records prefetched, %d and %d read one by one)"
          % (sa["prefetched"], sb["prefetched"], sa["sync_reads"], sb["sync_reads"]),
          sa["prefetched"] > 50 and sb["prefetched"] > 50 and
          sa["sync_reads"] + sb["sync_reads"] <= (sa["prefetched"] + sb["prefetched"]) // 10,
          (sa, sb))


# ---- 2. a replayed token through the other node -----------------------------------------------

def signed_begins(a, work, tdir, when=None):
    """Safari's signed Begins towards Albion (M3UA bytes, replay key name), signed now or with
    the clock `when` (`ssgw sign --time`)."""
    sys.path.insert(0, os.path.join(a.source, "examples", "trust"))
    import pcaptool
    raw, lab = os.path.join(work, "sign-me.pcap"), os.path.join(work, "sign-me.jsonl")
    if not os.path.exists(raw):
        run([a.ssgw, "attack", "--seed", "61", "--count", "300", "--attack-ratio", "0",
             "--duration", "0.02", "--labels", lab, "-q", raw])
    signed = os.path.join(work, "signed-%s.pcap" % when)
    p = run([a.ssgw, "sign", "--config", os.path.join(tdir, "safari", "ssgw.conf")] +
            (["--time", str(when)] if when is not None else []) + [raw, signed])
    check("Safari signs (clock %s)" % (when or "now"), p.returncode == 0, p.stderr[-400:])
    labels = [json.loads(l) for l in open(lab)]
    _, _, recs = pcaptool.read_pcap(signed)
    picks = []
    for r, l in zip(recs, labels):
        tf = pcaptool.token_fields(r[2])
        if tf is not None and l["dir"] == "in" and l["tcap"] == "begin":
            o, ln = pcaptool.m3ua_span(r[2])
            (ko, kl), (no, nl) = tf["key-id"], tf["nonce"]
            key = "ssgw:r{%s%s}" % (bytes(r[2][ko:ko + kl]).hex(), bytes(r[2][no:no + nl]).hex())
            picks.append((bytes(r[2][o:o + ln]), key))
    return picks


def test_replay(a, work, tdir, nodes):
    picks = [m for m, _ in signed_begins(a, work, tdir)]
    check("signed Begins from Safari (%d)" % len(picks), picks)
    # the first one the firewall lets through on A (the state of part 1 may object to some)
    for m in picks[:8]:
        fa, oa, got = nodes[0].send(m, True)
        if fa == "forward":
            break
    check("A: a signed message is verified, stripped and forwarded",
          fa == "forward" and got is not None and len(pd_of(got)) < len(pd_of(m)), (fa, oa))
    fb, ob, _ = nodes[1].send(m, True)
    check("B: the same token is a replay (the shared replay cache)",
          fb == "drop" and "trust.replay" in ob, (fb, ob))
    sb = nodes[1].state()
    check("B's status counts the replay caught by the shared cache", sb.get("shared_replays") == 1,
          sb)


def test_replay_ttl(a, work, tdir, cl, nodes, policy):
    """A token's replay key lives as long as the token could be accepted, from its own time
    (the policy's [trust] window = 3600, [state] clock_skew = CLOCK_SKEW): read back with
    PTTL, bounded by the wall-clock times around the gateway's check and the read."""
    window = 3600
    ka, kb = nodes[0].state(), nodes[1].state()

    def pttl(key):
        r0 = time.time()
        v = cl.cli(cl.alive()[0], "-c", "pttl", key)
        return int(v) if v.lstrip("-").isdigit() else None, r0, time.time()

    def through_a(when, what):
        """A Begin signed at `when` through A: (message, key, fate, objections, the wall
        clock just before it was sent and once it was judged)."""
        m, key = signed_begins(a, work, tdir, when)[3]
        tb = time.time()
        fa, oa, _ = nodes[0].send(m, True)
        return m, key, fa, oa, tb, time.time()

    def ttl_ok(got, end, tb, ta, r0, r1):
        """A sets the key at its second s >= floor(tb), before ta, for end - s seconds: it
        expires in [end, ta + end - floor(tb)]; PTTL was read between r0 and r1."""
        return got is not None and \
            end - r1 - 0.05 <= got / 1000.0 <= ta + end - int(tb) - r0 + 0.05

    for what, off in (("backdated to the window's edge", -(window - 10)),
                      ("at the current time", 0), ("dated to the window's future edge",
                                                   window - 10)):
        t = int(time.time()) + off
        m, key, fa, oa, tb, ta = through_a(t, what)
        got, r0, r1 = pttl(key)
        # set at A's second s for t + window + 1 - s + clock_skew seconds
        end = t + window + 1 + CLOCK_SKEW
        ok = ttl_ok(got, end, tb, ta, r0, r1)
        check("a token %s (time now%+d s): its replay key's PTTL %s ms is the rest of its "
              "acceptance + clock_skew (%.1f s), not 2 x window + 1 + ttl_slack (%d s)"
              % (what, off, got, end - r0, 2 * window + 1 + 600),
              ok and "trust.stale" not in oa, (fa, oa, got, end - r0))
        if off < 0:
            fb, ob, _ = nodes[1].send(m, True)
            check("B: the backdated token, inside its acceptance time, is a replay",
                  fb == "drop" and "trust.replay" in ob, (fb, ob))
    sb = nodes[1].state()
    check("B's status counts it (shared_replays %s)" % sb.get("shared_replays"),
          sb.get("shared_replays") == kb.get("shared_replays", 0) + 1, sb)

    # outside the window: stale at A, before any Redis write (no key, no replay check)
    before = nodes[0].state().get("replay_checks")
    t = int(time.time()) - window - 100
    m, key, fa, oa, _, _ = through_a(t, "stale")
    exists = cl.cli(cl.alive()[0], "-c", "exists", key)
    after = nodes[0].state().get("replay_checks")
    check("a token outside the window is refused as stale before any Redis write "
          "(exists %s, replay checks %s -> %s)" % (exists, before, after),
          fa == "drop" and "trust.stale" in oa and exists == "0" and after == before,
          (fa, oa, exists))
    check("A's replay checks: one per token its own cache recorded (%s -> %s)"
          % (ka.get("replay_checks"), before), before == ka.get("replay_checks", 0) + 3)

    # a reload applies another clock_skew (the store itself is kept)
    def reload(text_):
        with open(policy, "w") as f:
            f.write(text_)
        n = status(nodes[0].sock)["counters"]["reloads"]
        nodes[0].g.send_signal(signal.SIGHUP)
        redistest.wait_until("A's reload", lambda: status(nodes[0].sock)["counters"]["reloads"]
                             > n, 15)
    orig = open(policy).read()
    reload(orig.replace("clock_skew = %d" % CLOCK_SKEW, "clock_skew = 40", 1))
    t = int(time.time())
    m, key, fa, oa, tb, ta = through_a(t, "after the reload")
    got, r0, r1 = pttl(key)
    end = t + window + 1 + 40
    check("after a reload with clock_skew = 40: PTTL %s ms (%.1f s)" % (got, end - r0),
          ttl_ok(got, end, tb, ta, r0, r1), (fa, oa))
    reload(orig)


def test_reload_refused(node, policy):
    """SIGHUP with another [state] url: refused, the running store kept."""
    orig = open(policy).read()
    with open(policy, "w") as f:
        f.write(orig.replace('url = "redis://', 'url = "redis://127.0.0.1:1,', 1))
    node.g.send_signal(signal.SIGHUP)
    try:
        redistest.wait_until("the reload to be refused",
                             lambda: "cannot change without a restart" in text(node.g.logfile), 15)
        refused = True
    except RuntimeError:
        refused = False
    with open(policy, "w") as f:
        f.write(orig)
    check("a reload that changes [state] url is refused, the store kept (%s)"
          % node.state().get("status"), refused and node.state().get("status") == "up")


# ---- 3. a master killed during traffic ---------------------------------------------------------

def wait_status(nodes, want, timeout=60):
    redistest.wait_until("gateways state %s" % want,
                         lambda: all(n.state().get("status") == want for n in nodes), timeout,
                         0.05)


def last_velocity_victim(labels):
    """(the last velocity attack, the last legitimate location update of its victim before
    it), or None."""
    vks = [i for i, l in enumerate(labels) if l["check"] == "cat3.velocity"]
    if not vks:
        return None
    vk = vks[-1]
    ups = [i for i in range(vk) if labels[i]["label"] == "legit" and
           labels[i]["op"] in UL_OPS and labels[i].get("imsi") == labels[vk]["imsi"]]
    return (vk, ups[-1]) if ups else None


def velocity_victim(labels):
    """(the first velocity attack, the last legitimate inbound location update of its
    victim before it), or None."""
    for vk, l in enumerate(labels):
        if l["label"] != "attack" or l["check"] != "cat3.velocity":
            continue
        ups = [i for i in range(vk) if labels[i]["label"] == "legit" and
               labels[i]["op"] in UL_OPS and labels[i]["dir"] == "in" and
               labels[i].get("imsi") == l["imsi"]]
        if ups:
            return vk, ups[-1]
    return None


def test_failover(a, work, cl, nodes, frames, labels):
    # the victim of a velocity attack and its last legitimate location update before it
    vv = velocity_victim(labels)
    check("the capture has a velocity attack after its victim's location update", vv)
    if not vv:
        return
    vk, vj = vv
    imsi = labels[vk]["imsi"]
    slot = cl.key_slot(imsi_key(imsi))
    owner = cl.slot_owner(slot)
    replica = next(p for p, role, m, _, _ in cl.nodes(cl.ports[0]) if m == owner)
    check("subscriber %s: slot %d on master %s (replica %s)" % (imsi, slot, owner, replica),
          owner is not None)
    # the victim's other messages stay out of the stream: its location must be what vj said
    stream = [i for i, l in enumerate(labels) if i not in (vj, vk) and l.get("imsi") != imsi]
    third = len(stream) // 3
    fates = []

    def send(i, node=None):
        l = labels[i]
        n = nodes[node if node is not None else i % 2]
        fates.append(n.send(frames[i], l["dir"] == "in")[0])

    for i in stream[:third]:
        send(i)
    cl.wait_synced(replica)  # a replica that never synced cannot be promoted
    cl.kill(owner)
    send(vj, 0)  # learnt through A while the subscriber's master is gone
    sa = nodes[0].state()
    check("A noticed the master gone and answers from its own state (%s, %d writes queued)"
          % (sa.get("status"), sa.get("pending", 0)),
          sa.get("status") == "down-local" and sa.get("pending", 0) >= 1, sa)
    for i in stream[third:2 * third]:
        send(i)
    cl.wait_promoted(replica)
    wait_status(nodes, "up")
    for i in stream[2 * third:]:
        send(i)
    fb, ob, _ = nodes[1].send(frames[vk], True)
    check("after the failover B catches the velocity attack on what A learnt during it "
          "(nothing lost)", fb in ("drop", "answer") and "cat3.velocity" in ob, (fb, ob))
    check("failover: every frame judged", "?" not in fates, fates.count("?"))
    for n in nodes:
        st = status(n.sock)
        s = st["pipeline"]["state"]
        check("%s: in = forwarded + answered + dropped through the failover (%d in); "
              "transitions %d, queue replayed %d, %d pending" % (
                  n.name, st["counters"]["data_in"], s["transitions"], s["replayed"],
                  s["pending"]), invariant(st) and s["pending"] == 0, s)


# ---- 4. Redis stopped entirely ---------------------------------------------------------------

def test_outage(a, work, tdir, cl, frames, labels):
    for p in cl.alive():
        cl.kill(p)
    local = Node(a, work, "L", shared_policy(a, work, tdir, cl.url, "local", "local.conf"))
    closed = Node(a, work, "C", shared_policy(a, work, tdir, cl.url, "closed", "closed.conf"))
    check("gateways start with Redis down: L %s, C %s" % (local.state().get("status"),
                                                           closed.state().get("status")),
          local.state().get("status") == "down-local" and
          closed.state().get("status") == "down-closed")
    fl, fc, reasons = [], [], {}
    for i, (m, l) in enumerate(zip(frames[:120], labels[:120])):
        fl.append(local.send(m, l["dir"] == "in")[0])
        f, obj, _ = closed.send(m, l["dir"] == "in")
        fc.append(f)
        for o in obj:
            reasons[o] = reasons.get(o, 0) + 1
    legit_fwd = sum(1 for f, l in zip(fl, labels) if f == "forward" and l["label"] == "legit")
    check("fail = local: every frame judged with local state, legitimate traffic goes on "
          "(%d forwarded)" % legit_fwd, "?" not in fl and legit_fwd > 60)
    out_fwd = sum(1 for f, l in zip(fc, labels) if l["dir"] == "out" and f == "forward")
    n_out = sum(1 for l in labels[:120] if l["dir"] == "out")
    sc = closed.state()
    check("fail = closed: inbound messages needing the state dropped as state.unavailable "
          "(%d), outbound forwarded (%d of %d)" % (sc.get("unavailable_drops", 0), out_fwd, n_out),
          "?" not in fc and sc.get("unavailable_drops", 0) > 20 and out_fwd == n_out, sc)
    mc = closed.metrics()
    check("/metrics says what the status says while Redis is down (%s, %s; %s drops)"
          % (local.metric_status(), closed.metric_status(),
             mc.get(("ssgw_state_unavailable_drops_total", frozenset()))),
          local.metric_status() == "down-local" and closed.metric_status() == "down-closed" and
          mc.get(("ssgw_state_unavailable_drops_total", frozenset())) ==
          closed.state().get("unavailable_drops") and
          mc.get(("ssgw_state_transitions_total", frozenset())) ==
          closed.state().get("transitions"))
    for n in (local, closed):
        st = status(n.sock)
        check("%s: in = forwarded + answered + dropped with Redis down" % n.name, invariant(st),
              st["counters"])
    # Redis back (the cluster's nodes with their saved configuration)
    for p in cl.ports:
        cl.start_node(p, "--cluster-enabled", "yes", "--cluster-config-file",
                      "nodes-%d.conf" % p, "--cluster-node-timeout", "1000")
    cl.wait_healthy(cl.ports)
    wait_status([local, closed], "up")
    pend = [n.state().get("pending") for n in (local, closed)]
    check("Redis back: both up, their queued writes replayed (%s pending)" % pend,
          pend == [0, 0])
    ms = [n.metric_status() for n in (local, closed)]
    check("/metrics: both up (%s)" % ms, ms == ["up", "up"])
    learnt = [l["imsi"] for l in labels[:120] if l["label"] == "legit" and l["op"] in UL_OPS
              and l["dir"] == "in" and (l.get("imsi") or "").startswith("23491")]
    there = [i for i in learnt if cl.cli(cl.masters()[0], "-c", "exists", imsi_key(i)) == "1"]
    check("the locations learnt while Redis was away are in Redis (%d of %d)"
          % (len(there), len(learnt)), learnt and len(there) == len(learnt))
    for n in (local, closed):
        check("%s: graceful stop" % n.name, n.close() == 0)
        ev = [e for e in records(n.events) if str(e.get("event", "")).startswith("state_")]
        kinds = [e["event"] for e in ev]
        check("%s: every transition alerted in the events file %s" % (n.name, kinds),
              kinds[:1] == ["state_down"] and "state_up" in kinds and
              all(e.get("alert") is True for e in ev), ev[:3])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--tsca", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--workers", type=int, default=0)
    a = ap.parse_args()
    gwtest.WORKERS = a.workers
    a.ssgw, a.tsca, a.source = map(os.path.abspath, (a.ssgw, a.tsca, a.source))
    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    tdir = os.path.join(work, "trust")
    env = dict(os.environ, SSGW=a.ssgw, TSCA=a.tsca, DEMO="0")
    cl = None
    try:
        p = run(["sh", os.path.join(a.source, "examples", "trust", "setup.sh"), tdir], env=env,
                timeout=120)
        check("trust set-up (examples/trust/setup.sh)", p.returncode == 0, p.stderr[-1500:])
        if p.returncode:
            return summary()
        cl = redistest.Cluster(work)
        policy = shared_policy(a, work, tdir, cl.url)
        # the pair needs a velocity attack after a legitimate location update of its victim:
        # the first seed from 22 whose capture has one (the generator is deterministic)
        for seed in range(22, 62):
            frames, labels = attack_capture(a, work, seed, 400)
            if last_velocity_victim(labels):
                break
        nodes = [Node(a, work, "A", policy), Node(a, work, "B", policy)]
        test_pair(a, work, cl, nodes, frames, labels)
        test_replay(a, work, tdir, nodes)
        test_replay_ttl(a, work, tdir, cl, nodes, policy)
        test_reload_refused(nodes[0], policy)
        for n in nodes:
            check("%s: graceful stop" % n.name, n.close() == 0, text(n.g.logfile)[-800:])

        for m in cl.masters():
            cl.cli(m, "flushall")
        # the failover needs a velocity attack after a legitimate location update of its
        # victim: the first seed after the pair's whose capture has one (the generator is
        # deterministic, so this is always the same capture)
        for seed in range(seed + 1, seed + 41):
            frames, labels = attack_capture(a, work, seed, 400)
            if velocity_victim(labels):
                break
        nodes = [Node(a, work, "A2", policy), Node(a, work, "B2", policy)]
        test_failover(a, work, cl, nodes, frames, labels)
        for n in nodes:
            check("%s: graceful stop" % n.name, n.close() == 0, text(n.g.logfile)[-800:])
            ev = [e for e in records(n.events) if str(e.get("event", "")).startswith("state_")]
            kinds = [e["event"] for e in ev]
            # A went down and up; B only if it touched the cluster while it refused
            check("%s: every transition of the failover alerted %s" % (n.name, kinds),
                  (n.name != "A2" or kinds[:2] == ["state_down", "state_up"]) and
                  kinds.count("state_down") == kinds.count("state_up") and
                  all(e.get("alert") is True for e in ev), ev[:2])

        test_outage(a, work, tdir, cl, frames, labels)
    finally:
        if cl:
            cl.stop()
        kill_all()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
