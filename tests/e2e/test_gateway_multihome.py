#!/usr/bin/env python3
"""SCTP multi-homing end to end, in network namespaces: an association survives losing
one of its paths.

Two namespaces A and B are joined by two veth pairs, two subnets: two paths.

  ns A: ssgw peer (ASP, MAP traffic) -tcp-> gateway A (link 'ic': connect, local 10.x.1.1 +
        10.x.2.1, remote 10.x.1.2 + 10.x.2.2)
  ns B: gateway B (link 'ic': listen 10.x.1.2 + 10.x.2.2) -tcp-> ssgw peer (simulated HLR)

Proven, each by waiting on the gateways' status (never on a fixed delay):
- the association comes up multi-homed: each gateway's status lists both of the peer's
  addresses as paths, both active, the first subnet's the primary;
- MAP requests and their answers flow; then path 1 goes down (its veth in A set down):
  both gateways show that path inactive and count one path failure; traffic keeps flowing,
  over the second subnet (its veth's packet counters grow with it); the association did not
  restart (connects 1, disconnects 0); path 1 back up: active again, one recovery counted;
- every message accounted: each request delivered once and byte-exact to the HLR, each
  answer back at the sender, each gateway's in = forwarded + answered + dropped with
  nothing dropped or lost; a log line for each path change;
- `ssgw peer` as a multi-homed peer (its --local-address(es), --remote-addresses) to a
  listen link with `primary`: the gateway lists both of its paths, the configured one
  primary.

The namespaces have unique names per run (parallel ctest runs do not collide) and are
removed at the end, on failure too; ones left by a killed earlier run are removed at the
start. Traffic stays inside them. Needs root and `ip netns`; without them the test reports
itself skipped (77). --transport sctp runs the same over kernel SCTP (skipped, 77, where the
kernel has none).

Usage: test_gateway_multihome.py --ssgw BIN --workdir DIR [--transport sctp-udp|sctp]
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

from gwtest import (check, finish, fresh_record, invariant, kill_all, records, start, status,
                    status_answers, stop, summary, text, write_config)

SKIP = 77
RATE = 200   # requests per second; the stream runs until the path changes are all seen
NS_RE = re.compile(r"^ssgw-mh-(\d+)-[ab]$")
# short SCTP timers: a path fails after 3 timeouts (~1 s with traffic), the association would
# need 11 in a row on every path
SCTP_KEYS = {"sctp_hb_interval_ms": 200, "sctp_rto_max_ms": 400, "sctp_max_retrans": 10,
             "sctp_path_max_retrans": 2}


def ip(*args, check_rc=True):
    p = subprocess.run(["ip"] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=20)
    if check_rc and p.returncode != 0:
        raise RuntimeError("ip %s: %s" % (" ".join(args), p.stderr.strip()))
    return p


def netns_usable():
    """Root, `ip` and a namespace that can be made: else the test cannot run here."""
    if os.geteuid() != 0 or not shutil.which("ip"):
        return False
    name = "ssgw-mh-%d-probe" % os.getpid()
    if ip("netns", "add", name, check_rc=False).returncode != 0:
        return False
    ip("netns", "del", name, check_rc=False)
    return True


def kill_ns_pids(ns):
    p = ip("netns", "pids", ns, check_rc=False)
    for pid in p.stdout.split():
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (OSError, ValueError):
            pass


def remove_stale():
    """Namespaces of earlier runs whose test process is gone (killed by a timeout)."""
    for line in ip("netns", "list", check_rc=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        m = NS_RE.match(name)
        if not m:
            continue
        try:
            os.kill(int(m.group(1)), 0)
            continue  # still running: another test's
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        kill_ns_pids(name)
        ip("netns", "del", name, check_rc=False)


class Net:
    """Namespaces a and b, veth pairs va1-vb1 (10.<n>.1.0/24) and va2-vb2 (10.<n>.2.0/24)."""

    def __init__(self):
        pid = os.getpid()
        self.a, self.b = "ssgw-mh-%d-a" % pid, "ssgw-mh-%d-b" % pid
        n = 100 + pid % 100  # any private net: each run has its own namespaces anyway
        self.addr = {"a1": "10.%d.1.1" % n, "a2": "10.%d.2.1" % n,
                     "b1": "10.%d.1.2" % n, "b2": "10.%d.2.2" % n}

    def up(self):
        for ns in (self.a, self.b):
            ip("netns", "add", ns)
            ip("-n", ns, "link", "set", "lo", "up")
        for k in ("1", "2"):
            ip("-n", self.a, "link", "add", "va" + k, "type", "veth", "peer", "name", "vb" + k,
               "netns", self.b)
            ip("-n", self.a, "addr", "add", self.addr["a" + k] + "/24", "dev", "va" + k)
            ip("-n", self.b, "addr", "add", self.addr["b" + k] + "/24", "dev", "vb" + k)
            ip("-n", self.a, "link", "set", "va" + k, "up")
            ip("-n", self.b, "link", "set", "vb" + k, "up")

    def down(self):
        for ns in (self.a, self.b):
            kill_ns_pids(ns)
            ip("netns", "del", ns, check_rc=False)

    def tx_bytes(self, ns, dev):
        out = ip("-n", ns, "-j", "-s", "link", "show", "dev", dev).stdout
        return json.loads(out)[0]["stats64"]["tx"]["bytes"]

    def run(self, ns, args, log):
        return start(["ip", "netns", "exec", ns] + args, log)


def link(st, name):
    return {l["name"]: l for l in st.get("links", [])}.get(name, {})


def paths(st, name):
    return {p["address"]: p for p in link(st, name).get("paths", [])}


def safe_status(sock):
    try:
        return status(sock)
    except (OSError, ValueError):
        return {}


def until(cond, timeout, step=0.05):
    """Polls cond until it holds (an event), up to timeout seconds."""
    t0 = time.time()
    while time.time() - t0 < timeout:
        if cond():
            return True
        time.sleep(step)
    return cond()


def data(recs, d):
    return [r for r in recs if r.get("dir") == d and r.get("msg") == "DATA"]


class Env:
    def __init__(self, a, net):
        self.ssgw, self.dir, self.transport, self.net = a.ssgw, a.workdir, a.transport, net

    def path(self, name):
        return os.path.join(self.dir, name)

    def sctp(self, extra):
        d = dict(extra, transport=self.transport)
        if self.transport == "sctp-udp" and "connect" in d:
            d["remote_udp_port"] = 9899
        return d

    def gateway(self, name, ns, links):
        sock = self.path(name + ".sock")
        if os.path.exists(sock):
            os.unlink(sock)
        extra = ['status_socket = "%s"' % sock]
        if self.transport == "sctp-udp":
            extra.append("sctp_udp_port = 9899")  # each namespace has its own ports
        cfg = write_config(self.path(name + ".toml"), links, extra)
        g = self.net.run(ns, [self.ssgw, "run", "--config", cfg], self.path(name + ".log"))
        g.sock = sock
        until(lambda: status_answers(sock) or g.poll() is not None, 10)
        return g

    def peer(self, name, ns, args):
        rec = fresh_record(self.path(name + ".jsonl"))
        p = self.net.run(ns, [self.ssgw, "peer", "--record", rec] + args,
                         self.path(name + ".log"))
        p.rec = rec
        return p


def test_failover(env, net):
    A = net.addr
    # B listens before A connects (A's INIT is answered at once)
    gb = env.gateway("gw-b", net.b, [
        env.sctp(dict({"name": "ic", "side": "outer", "role": "sg",
                       "listen": A["b1"] + ":2905", "local_addresses": [A["b2"]],
                       "primary": A["a1"], "routing_contexts": [30]}, **SCTP_KEYS)),
        env.sctp({"name": "mh-peer", "side": "outer", "role": "sg",
                  "listen": A["b1"] + ":2907", "local_addresses": [A["b2"]],
                  "primary": A["a2"], "routing_contexts": [40]}),
        {"name": "hlr", "side": "inner", "role": "sg", "listen": "127.0.0.1:2906",
         "routing_contexts": [20]}])
    ga = env.gateway("gw-a", net.a, [
        {"name": "stp", "side": "inner", "role": "sg", "listen": "127.0.0.1:2906",
         "routing_contexts": [10]},
        env.sctp(dict({"name": "ic", "side": "outer", "role": "asp",
                       "connect": A["b1"] + ":2905", "remote_addresses": [A["b2"]],
                       "local_address": A["a1"], "local_addresses": [A["a2"]],
                       "routing_contexts": [30]}, **SCTP_KEYS))])
    check("both gateways start in their namespaces", ga.poll() is None and gb.poll() is None,
          text(ga.logfile)[-800:] + text(gb.logfile)[-800:])

    def both_paths(st, want):
        p = paths(st, "ic")
        return link(st, "ic").get("asp_state") == "active" and len(p) == 2 and \
            all(x["state"] == want.get(a, "active") for a, x in p.items())

    up = until(lambda: both_paths(safe_status(ga.sock), {}) and
               both_paths(safe_status(gb.sock), {}), 20)
    sa, sb = safe_status(ga.sock), safe_status(gb.sock)
    check("association up multi-homed: gateway A lists B's two addresses as active paths",
          up and set(paths(sa, "ic")) == {A["b1"], A["b2"]}, link(sa, "ic"))
    check("... gateway B lists A's two addresses (learnt from the INIT)",
          up and set(paths(sb, "ic")) == {A["a1"], A["a2"]}, link(sb, "ic"))
    check("... the first subnet's address is the primary path on both sides",
          paths(sa, "ic").get(A["b1"], {}).get("primary") is True and
          paths(sb, "ic").get(A["a1"], {}).get("primary") is True, (sa, sb))
    if not up:
        return
    # The HLR answers until it is stopped; the source sends until it is stopped (after the
    # last path change was seen), then reads on until every request has its answer.
    hlr = env.peer("hlr", net.b, ["--connect", "127.0.0.1:2906", "--rc", "20", "--hlr", "4412",
                                  "--duration", "180000", "-q"])
    until(lambda: link(safe_status(gb.sock), "hlr").get("asp_state") == "active", 10)
    src = env.peer("src", net.a, ["--connect", "127.0.0.1:2906", "--rc", "10",
                                  "--send", "updateLocation", "--until-stopped", "--rate",
                                  str(RATE), "--to", "441234000001", "--expect", "sent",
                                  "--linger", "1000", "--duration", "180000", "-q"])

    def counted(sock, key):
        return link(safe_status(sock), "ic").get(key, 0) >= 1

    def fwd(sock):
        return safe_status(sock).get("counters", {}).get("forwarded", 0)

    flowing = until(lambda: fwd(ga.sock) >= 100 and fwd(gb.sock) >= 100, 20)
    check("traffic flows over both gateways (requests and answers)", flowing,
          (safe_status(ga.sock).get("counters"), safe_status(gb.sock).get("counters")))
    # while both paths are up, the requests take the primary path: path 2 carries only
    # heartbeats and their acks (each request's protocol data alone is 110 bytes)
    f0a, b0 = fwd(ga.sock), net.tx_bytes(net.a, "va2")
    until(lambda: fwd(ga.sock) >= f0a + 200, 20)
    f1a, b1 = fwd(ga.sock), net.tx_bytes(net.a, "va2")
    check("both paths up: requests take path 1 (path 2 sent %d bytes for %d requests)"
          % (b1 - b0, f1a - f0a), f1a - f0a >= 200 and b1 - b0 < 20 * (f1a - f0a), (b0, b1))

    # ---- path 1 down ----
    ip("-n", net.a, "link", "set", "va1", "down")
    t0 = time.time()
    # the state is the stack's, the counter comes with its notification: wait for both
    gone = until(lambda: both_paths(safe_status(ga.sock), {A["b1"]: "inactive"}) and
                 both_paths(safe_status(gb.sock), {A["a1"]: "inactive"}) and
                 counted(ga.sock, "path_failures") and counted(gb.sock, "path_failures"), 30)
    took = time.time() - t0
    sa, sb = safe_status(ga.sock), safe_status(gb.sock)
    check("path 1 down: both gateways show it inactive, the other active (after %.1f s)" % took,
          gone, (link(sa, "ic"), link(sb, "ic")))
    check("... one path failure counted on each side, the association still up",
          link(sa, "ic").get("path_failures") == 1 and link(sb, "ic").get("path_failures") == 1
          and link(sa, "ic").get("association") == "up"
          and link(sb, "ic").get("association") == "up", (link(sa, "ic"), link(sb, "ic")))
    f0a, f0b = fwd(ga.sock), fwd(gb.sock)
    b0 = net.tx_bytes(net.a, "va2")
    moved = until(lambda: fwd(ga.sock) >= f0a + 200 and fwd(gb.sock) >= f0b + 200, 20)
    b1, f1a = net.tx_bytes(net.a, "va2"), fwd(ga.sock)
    check("traffic keeps flowing while path 1 is down (+%d requests forwarded by A)"
          % (f1a - f0a), moved, (f0a, f1a, f0b, fwd(gb.sock)))
    # path 2 carried at least 100 requests' protocol data (110 bytes each) in that time; per
    # request it cannot be counted exactly: `forwarded` counts what was queued to the link,
    # and after the pause the queue drains at SCTP's pace (slow start on the new path)
    check("... over path 2 (%d bytes for %d requests)" % (b1 - b0, f1a - f0a),
          f1a > f0a and b1 - b0 >= 100 * 110, (b0, b1))

    # ---- path 1 back ----
    ip("-n", net.a, "link", "set", "va1", "up")
    back = until(lambda: both_paths(safe_status(ga.sock), {}) and
                 both_paths(safe_status(gb.sock), {}) and
                 counted(ga.sock, "path_recoveries") and counted(gb.sock, "path_recoveries"), 30)
    sa, sb = safe_status(ga.sock), safe_status(gb.sock)
    check("path 1 back: active again on both sides, one recovery counted",
          back and link(sa, "ic").get("path_recoveries") == 1
          and link(sb, "ic").get("path_recoveries") == 1, (link(sa, "ic"), link(sb, "ic")))
    f0a, b0, c0 = fwd(ga.sock), net.tx_bytes(net.a, "va1"), net.tx_bytes(net.a, "va2")
    until(lambda: fwd(ga.sock) >= f0a + 200, 20)
    f1a, b1, c1 = fwd(ga.sock), net.tx_bytes(net.a, "va1"), net.tx_bytes(net.a, "va2")
    check("... and the requests take the primary path 1 again (%d bytes there, %d on path 2, "
          "for %d requests)" % (b1 - b0, c1 - c0, f1a - f0a),
          f1a - f0a >= 200 and b1 - b0 >= 100 * 110 and c1 - c0 < 20 * (f1a - f0a))

    src.send_signal(signal.SIGTERM)  # the end of the stream; it waits for its answers
    rs = finish(src, 90)
    hlr.send_signal(signal.SIGTERM)
    rh = finish(hlr, 90)
    sa, sb = safe_status(ga.sock), safe_status(gb.sock)
    sent, got = data(records(src.rec), "tx"), data(records(hlr.rec), "rx")
    N = len(sent)
    answers_tx, answers_rx = data(records(hlr.rec), "tx"), data(records(src.rec), "rx")
    check("every request reached the HLR once, byte-exact (%d of %d)" % (len(got), N),
          rs == 0 and rh == 0 and N >= 300 and len(got) == N
          and sorted(r["pd"] for r in sent) == sorted(r["pd"] for r in got), (rs, rh))
    check("every answer came back to the sender, byte-exact",
          len(answers_rx) == N and
          sorted(r["pd"] for r in answers_tx) == sorted(r["pd"] for r in answers_rx),
          (len(answers_tx), len(answers_rx)))
    for name, st in (("A", sa), ("B", sb)):
        c = st.get("counters", {})
        check("gateway %s: in = forwarded + answered + dropped, nothing dropped or lost" % name,
              invariant(st) and c.get("data_in") == 2 * N and c.get("forwarded") == 2 * N
              and c.get("dropped") == 0 and c.get("lost_in_queue") == 0, c)
        ic = link(st, "ic")
        check("gateway %s: the association never restarted (connects 1, disconnects 0)" % name,
              ic.get("connects") == 1 and ic.get("disconnects") == 0, ic)
    for name, g, peer_addr in (("A", ga, A["b1"]), ("B", gb, A["a1"])):
        log = text(g.logfile)
        check("gateway %s logged the path change both ways" % name,
              ("path to peer address %s: inactive" % peer_addr) in log and
              ("path to peer address %s: active" % peer_addr) in log, log[-1500:])

    # ---- ssgw peer as a multi-homed peer, toward a listen link with `primary` ----
    args = ["--connect", A["b1"] + ":2907", "--transport", env.transport,
            "--remote-addresses", A["b2"], "--local-address", A["a1"],
            "--local-addresses", A["a2"], "--rc", "40", "--duration", "30000", "-q"]
    if env.transport == "sctp-udp":
        args += ["--udp-port", "9900", "--remote-udp-port", "9899"]
    mp = env.peer("mh-peer", net.a, args)
    ok = until(lambda: link(safe_status(gb.sock), "mh-peer").get("asp_state") == "active" and
               len(paths(safe_status(gb.sock), "mh-peer")) == 2 and
               paths(safe_status(gb.sock), "mh-peer").get(A["a2"], {}).get("primary") is True,
               20)
    check("ssgw peer multi-homed: the gateway lists its two addresses, `primary` the primary",
          ok, link(safe_status(gb.sock), "mh-peer"))
    mp.send_signal(signal.SIGTERM)
    check("ssgw peer: clean exit", finish(mp, 20) == 0, text(mp.logfile)[-800:])
    check("gateways stop cleanly", stop(ga) == 0 and stop(gb) == 0)


def kernel_sctp_available(net):
    p = subprocess.run(["ip", "netns", "exec", net.a, sys.executable, "-c",
                        "import socket; socket.socket(socket.AF_INET, socket.SOCK_STREAM, 132)"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
    return p.returncode == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--transport", default="sctp-udp", choices=["sctp-udp", "sctp"])
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    if not netns_usable():
        print("SKIPPED: needs root and `ip netns` (network namespaces)")
        return SKIP
    remove_stale()
    net = Net()
    try:
        net.up()
        if a.transport == "sctp" and not kernel_sctp_available(net):
            print("SKIPPED: this kernel has no SCTP (socket(IPPROTO_SCTP) fails)")
            return SKIP
        test_failover(Env(a, net), net)
    finally:
        kill_all()
        net.down()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
