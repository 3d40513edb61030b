#!/usr/bin/env python3
"""The trust lifecycle of a running gateway (include/ssgw/pipeline.h, docs/operations.md
"Trust bundle lifecycle"), tried as an attacker or bad luck would:

(a) a token replayed right after a reload (SIGHUP) is still caught: the replay cache
    survives reloads;
(b) a bundle never goes back: after bundle 2 was accepted, SIGHUP with bundle 1 in place
    is refused (the running bundle kept), and so is a restart with bundle 1 (the highest
    sequence is recorded in [trust] sequence_file); bundle 2 starts again;
(c) a bundle that expires while the gateway runs is noticed without traffic (status
    bundle_expired, an alert event in the events file), every token then ends as
    bundle_expired and is dropped (fail closed); installing a valid bundle restores
    verification (event bundle_valid).

Real processes over TCP on 127.0.0.1; every wait is on the gateway's status, never a
fixed delay. Usage: test_trust_lifecycle.py --ssgw BIN --tsca BIN --source REPO --workdir DIR
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

from gwtest import (Asp, check, finish, free_port, gateway, kill_all, pd_of, records, start,
                    status, stop, summary, text, wait_for, write_config)


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)




class Gateway:
    def __init__(self, a, work, tdir):
        self.a, self.work = a, work
        self.po, self.pi = free_port(), free_port()
        self.sock = os.path.join(work, "gw.sock")
        self.events = os.path.join(work, "events.jsonl")
        self.cfg = write_config(os.path.join(work, "gw.toml"), [
            {"name": "ipx", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % self.po},
            {"name": "core", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % self.pi}],
            ['status_socket = "%s"' % self.sock,
             'policy = "%s"' % os.path.join(tdir, "albion", "ssgw.conf"),
             'events = "%s"' % self.events, "events_all = true"])
        self.n = 0
        self.judged = 0

    def start(self, log):
        self.g = gateway(self.a.ssgw, self.cfg, self.sock, os.path.join(self.work, log))
        if self.g.poll() is not None:
            return False
        self.outer, self.inner = Asp(self.po, 1), Asp(self.pi, 1)
        self.n = status(self.sock)["counters"]["data_in"]
        return True

    def judge(self, m):
        """Sends m from the interconnect; returns its event record once it is judged."""
        self.outer.send_raw(m)
        self.n += 1
        self.judged += 1
        wait_for(self.sock, lambda st: st["counters"]["data_in"] >= self.n
                 and st["counters"].get("in_flight", 0) == 0)
        self.outer.drain()
        self.inner.drain()
        # the events file is flushed twice a second: wait for this message's record
        end = time.time() + 30
        while time.time() < end:
            ev = [e for e in records(self.events) if e.get("event") == "message"]
            if len(ev) >= self.judged:
                return ev[self.judged - 1]
            time.sleep(0.02)
        return {}

    def reload(self, field):
        before = status(self.sock)["counters"]
        self.g.send_signal(signal.SIGHUP)
        return wait_for(self.sock, lambda st: st["counters"]["reloads"] +
                        st["counters"]["reload_failures"] >
                        before["reloads"] + before["reload_failures"])

    def stop(self):
        self.outer.s.close()
        self.inner.s.close()
        return stop(self.g)


def signed_frames(a, work, tdir):
    """M3UA messages Safari signed for Albion (inbound at Albion's STP, DPC 1001)."""
    sys.path.insert(0, os.path.join(a.source, "examples", "trust"))
    import pcaptool
    raw, signed = os.path.join(work, "t.pcap"), os.path.join(work, "s.pcap")
    run([a.ssgw, "attack", "--count", "200", "--attack-ratio", "0", "--labels", "-", "-q", raw])
    run([a.ssgw, "sign", "--config", os.path.join(tdir, "safari", "ssgw.conf"), raw, signed])
    out = []
    for r in pcaptool.read_pcap(signed)[2]:
        parts = pcaptool.sccp_parts(r[2])
        if pcaptool.token_fields(r[2]) is None or not parts or parts["type"] != 0x09:
            continue  # signed, and whole in one UDT
        o, ln = pcaptool.m3ua_span(r[2])
        m = bytes(r[2][o:o + ln])
        if int.from_bytes(pd_of(m)[4:8], "big") == 1001:
            out.append(m)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--tsca", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
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
        frames = signed_frames(a, work, tdir)
        check("signed messages from Safari to Albion", len(frames) >= 6, len(frames))
        bundle = os.path.join(tdir, "trust.bundle")
        seqfile = bundle + ".seq"
        shutil.copy(bundle, os.path.join(work, "bundle1"))
        gw = Gateway(a, work, tdir)
        check("gateway starts", gw.start("gw1.log"), text(os.path.join(work, "gw1.log")))
        st = status(gw.sock)["pipeline"]
        check("status: bundle 1 in use, recorded as the highest", st["bundle_sequence"] == 1
              and st["bundle_highest_sequence"] == 1 and not st["bundle_expired"]
              and text(seqfile).strip() == "1", (st, text(seqfile)))

        # (a) replay right after a reload
        e = gw.judge(frames[0])
        check("(a) a signed message verifies", e.get("trust") == "ok", e)
        check("(a) SIGHUP reloads", gw.reload("reloads") is not None
              and status(gw.sock)["counters"]["reloads"] == 1, text(gw.g.logfile)[-500:])
        e = gw.judge(frames[0])
        check("(a) the same token right after the reload is a replay, dropped",
              e.get("trust") == "replay" and e.get("action") == "drop", e)

        # (b) a bundle never goes back
        p = run([a.tsca, "bundle", os.path.join(tdir, "ca"), bundle])
        shutil.copy(bundle, os.path.join(work, "bundle2"))
        check("(b) bundle 2 made", p.returncode == 0, p.stderr)
        gw.reload("reloads")
        st = status(gw.sock)
        check("(b) SIGHUP accepts bundle 2 and records it",
              st["pipeline"]["bundle_sequence"] == 2 and text(seqfile).strip() == "2",
              (st["pipeline"], text(seqfile)))
        shutil.copy(os.path.join(work, "bundle1"), bundle)
        gw.reload("reload_failures")
        st = status(gw.sock)
        log = text(gw.g.logfile)
        check("(b) SIGHUP with bundle 1 back in place is refused, bundle 2 kept",
              st["counters"]["reload_failures"] == 1 and st["pipeline"]["bundle_sequence"] == 2
              and "older than sequence 2" in log, log[-600:])
        e = gw.judge(frames[1])
        check("(b) verification goes on with bundle 2", e.get("trust") == "ok", e)
        check("(b) graceful stop", gw.stop() == 0)
        g = start([a.ssgw, "run", "--config", gw.cfg], os.path.join(work, "gw-old.log"))
        rc = finish(g, 30)
        log = text(g.logfile)
        check("(b) a restart with bundle 1 is refused, naming the sequence file",
              rc == 2 and "older than sequence 2" in log and "trust.bundle.seq" in log,
              (rc, log[-600:]))
        shutil.copy(os.path.join(work, "bundle2"), bundle)
        check("(b) with bundle 2 it starts", gw.start("gw2.log"), text(gw.g.logfile)[-500:])

        # (c) expiry while running
        validity = 8
        p = run([a.tsca, "bundle", os.path.join(tdir, "ca"), bundle, "--validity-seconds",
                 str(validity)])
        check("(c) a bundle valid for %d s (sequence 3)" % validity, p.returncode == 0, p.stderr)
        gw.reload("reloads")
        st = status(gw.sock)["pipeline"]
        check("(c) accepted: sequence 3, not expired", st["bundle_sequence"] == 3
              and not st["bundle_expired"] and st["bundle_seconds_to_expiry"] <= validity, st)
        st = wait_for(gw.sock, lambda s: s["pipeline"]["bundle_expired"], timeout=validity + 30)
        check("(c) the expiry is noticed without traffic (status bundle_expired)", st is not None)
        alerts = [e for e in records(gw.events) if e.get("event") == "bundle_expired"]
        check("(c) an alert event is written", len(alerts) == 1 and alerts[0].get("alert") is True
              and alerts[0].get("bundle_sequence") == 3, alerts)
        e = gw.judge(frames[2])
        check("(c) a valid token now ends as bundle_expired and is dropped (fail closed)",
              e.get("trust") == "bundle_expired" and e.get("action") == "drop"
              and e.get("check") == "trust.bundle_expired", e)
        p = run([a.tsca, "bundle", os.path.join(tdir, "ca"), bundle])
        gw.reload("reloads")
        st = status(gw.sock)["pipeline"]
        check("(c) a valid bundle (sequence 4) clears the state", st["bundle_sequence"] == 4
              and not st["bundle_expired"], st)
        check("(c) ... with a bundle_valid event",
              any(e.get("event") == "bundle_valid" for e in records(gw.events)))
        e = gw.judge(frames[3])
        check("(c) verification works again", e.get("trust") == "ok", e)
        check("graceful stop", gw.stop() == 0)
    finally:
        kill_all()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
