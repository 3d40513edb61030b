#!/usr/bin/env python3
"""End-to-end test of the gateway's logs and events (docs/operations.md "Logs", docs/events.md),
with independent readers: the RFC 5424 grammar for syslog datagrams, the journal's native
protocol for journald, Python's datetime for RFC 3339 timestamps, and the real logrotate.

1. stderr: `ssgw run --log stderr`: every line is "TIME IDENT@INSTANCE LEVEL: MESSAGE", TIME in
   RFC 3339 UTC with milliseconds, within the run and never going back; start, reload and stop
   are logged at their levels.
2. syslog: `[gateway] log = "syslog:127.0.0.1:PORT"` sends RFC 5424 datagrams over UDP (RFC
   5426): each parses with the RFC's ABNF, facility daemon, APP-NAME ssgw@INSTANCE, PROCID the
   gateway's pid, the registered SD-ID origin; `log_level = "notice"` keeps info lines out;
   nothing goes to stderr.
3. events and logrotate: attack traffic through a gateway with `events_all`; logrotate
   (create, postrotate kill -HUP) moves the events file away mid-traffic; the gateway reopens
   it: the rotated file holds the first messages and the new one the rest, every record has the
   head (schema, event_id, time, host, instance, event), and the event ids of one run count
   1..N across both files without a gap or a repeat.
4. journald (in a private mount namespace with a listener on /run/systemd/journal/socket):
   `--log journald` and `auto` with JOURNAL_STREAM naming stderr send native journal entries
   with MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, SSGW_INSTANCE and SSGW_TIME.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

import gwtest
from gwtest import (Asp, check, free_port, pcap_frames, records, status, status_answers, summary,
                    text, write_config)

STDERR_LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) "
                         r"(err|warning|notice|info|debug): (.*)$")
# RFC 5424 6: SYSLOG-MSG = HEADER SP STRUCTURED-DATA [SP MSG]
# HEADER = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID
RFC5424 = re.compile(
    r"^<(?P<pri>\d{1,3})>(?P<version>[1-9]\d{0,2}) "
    r"(?P<ts>-|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)) "
    r"(?P<host>[!-~]{1,255}) (?P<app>[!-~]{1,48}) (?P<procid>[!-~]{1,128}) "
    r"(?P<msgid>[!-~]{1,32}) "
    r"(?P<sd>-|(?:\[[^ =\]\"]{1,32}(?: [^ =\]\"]{1,32}=\"(?:[^\"\\\]]|\\[\"\\\]])*\")*\])+)"
    r"(?: (?P<msg>.*))?$", re.S)


def rfc3339_ms(s):
    """Milliseconds since 1970 of an RFC 3339 UTC time with exactly 3 fraction digits."""
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", s or ""):
        return None
    return int(round(datetime.datetime.fromisoformat(s[:-1] + "+00:00").timestamp() * 1000))


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def config(work, name, sock, extra, po, pi):
    return write_config(os.path.join(work, name), [
        {"name": "ipx", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % po,
         "routing_contexts": [10]},
        {"name": "core", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % pi,
         "routing_contexts": [20]}], ['status_socket = "%s"' % sock] + extra)


def start_gw(a, cfg, sock, log, args=(), env=None):
    if os.path.exists(sock):
        os.unlink(sock)
    g = gwtest.start([a.ssgw, "run", "--config", cfg] + list(args), log, env=env)
    for _ in range(200):
        if status_answers(sock) or g.poll() is not None:
            break
        time.sleep(0.05)
    return g


def reload_and_wait(g, sock):
    n = status(sock)["counters"]["reloads"]
    g.send_signal(signal.SIGHUP)
    end = time.time() + 10
    while time.time() < end and status(sock)["counters"]["reloads"] == n:
        time.sleep(0.02)
    return status(sock)["counters"]["reloads"] > n


# ---- 1. stderr ----------------------------------------------------------------------------

def test_stderr(a, work):
    po, pi, sock = free_port(), free_port(), os.path.join(work, "s.sock")
    cfg = config(work, "plain.toml", sock, [], po, pi)
    t0 = time.time() * 1000
    g = start_gw(a, cfg, sock, os.path.join(work, "stderr.log"), ["--log", "stderr",
                                                                  "--log-level", "debug"])
    ok = g.poll() is None
    if ok:
        outer = Asp(po, 10)  # an association up and down: notice and warning lines
        outer.s.close()
        ok = reload_and_wait(g, sock)
    gwtest.stop(g)
    t1 = time.time() * 1000
    lines = text(g.logfile).splitlines()
    bad = [l for l in lines if not STDERR_LINE.match(l)]
    check("stderr: the gateway ran, reloaded and stopped", ok and g.returncode == 0,
          "\n".join(lines[-10:]))
    check("stderr: every line is 'RFC3339 ssgw@plain LEVEL: message' (%d lines)" % len(lines),
          lines and not bad, bad[:5])
    ms = [rfc3339_ms(STDERR_LINE.match(l).group(1)) for l in lines if STDERR_LINE.match(l)]
    check("stderr: times within the run, never going back",
          ms and all(t0 - 1000 <= t <= t1 + 1000 for t in ms) and ms == sorted(ms),
          (t0, ms[:3], t1))
    want = [("notice", "running ("), ("notice", "SIGHUP: configuration reloaded"),
            ("notice", "association up"), ("warning", "association with"),
            ("notice", "shutting down"), ("info", "final status {")]
    got = [(m.group(3), m.group(4)) for m in map(STDERR_LINE.match, lines) if m]
    missing = [w for w in want if not any(lv == w[0] and w[1] in msg for lv, msg in got)]
    check("stderr: start, association, reload, stop at their levels", not missing, missing)
    check("stderr: instance id from the file name", all(m.group(2) == "ssgw@plain"
                                                        for m in map(STDERR_LINE.match, lines) if m))


# ---- 2. syslog and 3. events ---------------------------------------------------------------

class UdpSink(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.bind(("127.0.0.1", 0))
        self.s.settimeout(0.2)
        self.port = self.s.getsockname()[1]
        self.got, self.stopped = [], False

    def run(self):
        # datagrams on loopback are queued when sent: after `stopped`, read until none is left
        while True:
            try:
                self.got.append(self.s.recv(65536))
            except socket.timeout:
                if self.stopped:
                    break


def send_and_wait(src, frames, sock):
    n = status(sock)["counters"]["data_in"]
    for m in frames:
        src.send_raw(m)
    end = time.time() + 30
    while time.time() < end:
        c = status(sock)["counters"]
        if c["data_in"] >= n + len(frames) and c.get("in_flight", 0) == 0:
            return True
        time.sleep(0.02)
    return False


def test_syslog_events(a, work):
    pcap = os.path.join(work, "attack.pcap")
    p = run([a.ssgw, "attack", "--seed", "5", "--count", "80", "--attack-ratio", "0.3",
             "--labels", os.path.join(work, "attack.labels.jsonl"), "-q", pcap])
    check("attack capture generated", p.returncode == 0, p.stderr)
    labels = [json.loads(l) for l in open(os.path.join(work, "attack.labels.jsonl"))]
    inbound = [m for m, l in zip(pcap_frames(pcap), labels) if l["dir"] == "in"]
    sink = UdpSink()
    sink.start()
    po, pi, sock = free_port(), free_port(), os.path.join(work, "g.sock")
    events = os.path.join(work, "events.jsonl")
    for f in (events, events + ".1"):
        if os.path.exists(f):
            os.unlink(f)
    cfg = config(work, "gwlog.toml", sock, [
        'policy = "%s"' % os.path.join(a.source, "examples", "ssgw.conf"),
        'events = "events.jsonl"', "events_all = true",
        'log = "syslog:127.0.0.1:%d"' % sink.port, 'log_level = "notice"'], po, pi)
    g = start_gw(a, cfg, sock, os.path.join(work, "gwlog.log"))
    check("syslog: gateway with policy and events starts", g.poll() is None, text(g.logfile))
    if g.poll() is not None:
        sink.stopped = True
        return
    outer, inner = Asp(po, 10), Asp(pi, 20)
    half = len(inbound) // 2
    ok1 = send_and_wait(outer, inbound[:half], sock)
    # logrotate, as the package's /etc/logrotate.d/openssgw does it (create + SIGHUP)
    conf, state = os.path.join(work, "logrotate.conf"), os.path.join(work, "logrotate.state")
    with open(conf, "w") as f:
        f.write("%s {\n  rotate 3\n  create 0640\n  missingok\n  postrotate\n"
                "    kill -HUP %d\n  endscript\n}\n" % (events, g.pid))
    reloads = status(sock)["counters"]["reloads"]
    lr = run(["logrotate", "-s", state, "-f", conf])
    end = time.time() + 10
    while time.time() < end and status(sock)["counters"]["reloads"] == reloads:
        time.sleep(0.02)
    check("logrotate rotated the events file and signalled the gateway",
          lr.returncode == 0 and os.path.exists(events + ".1")
          and status(sock)["counters"]["reloads"] == reloads + 1, lr.stderr)
    ok2 = send_and_wait(outer, inbound[half:], sock)
    check("every message judged (%d + %d)" % (half, len(inbound) - half), ok1 and ok2)
    outer.drain()
    inner.drain()
    n_in = status(sock)["counters"]["data_in"]
    gwtest.stop(g)
    sink.stopped = True
    sink.join()

    # 2. syslog
    check("syslog: nothing on stderr", text(g.logfile).strip() == "", text(g.logfile)[-500:])
    parsed, bad = [], []
    for d in sink.got:
        m = RFC5424.match(d.decode("utf-8", "replace"))
        (parsed if m else bad).append(m or d)
    check("syslog: %d datagrams, every one RFC 5424" % len(sink.got), sink.got and not bad,
          bad[:3])
    host = socket.gethostname()
    wrong = [m.group(0)[:200] for m in parsed
             if m.group("version") != "1" or int(m.group("pri")) // 8 != 3
             or rfc3339_ms(m.group("ts")) is None or m.group("host") != host
             or m.group("app") != "ssgw@gwlog" or m.group("procid") != str(g.pid)
             or m.group("msgid") != "-"
             or not re.fullmatch(r'\[origin software="OpenSSGW" swVersion="[0-9.]+"\]',
                                 m.group("sd"))]
    check("syslog: facility daemon, RFC 3339 ms time, host, APP-NAME ssgw@gwlog, PROCID = pid, "
          "SD origin", not wrong, wrong[:3])
    sev = {int(m.group("pri")) % 8 for m in parsed}
    check("syslog: log_level notice keeps info and debug out", sev and max(sev) <= 5, sev)
    msgs = [(int(m.group("pri")) % 8, m.group("msg") or "") for m in parsed]
    want = [(5, "running ("), (5, "SIGHUP: configuration reloaded"), (5, "shutting down")]
    check("syslog: start, reload and stop as notice",
          all(any(s == w[0] and w[1] in t for s, t in msgs) for w in want), msgs[:8])

    # 3. events
    old, new = records(events + ".1"), records(events)
    allev = old + new
    check("events: %d messages in the rotated file, %d in the new one" % (len(old), len(new)),
          len(old) == half and len(new) == len(inbound) - half and len(allev) == n_in,
          (len(old), len(new), n_in))
    head_bad = [e for e in allev
                if e.get("schema") != "openssgw.event/1" or e.get("event") != "message"
                or e.get("host") != host or e.get("instance") != "gwlog"
                or rfc3339_ms(e.get("time")) is None
                or not re.fullmatch(r"[0-9a-f]{16}-[1-9][0-9]*", e.get("event_id", ""))]
    check("events: every record has the head (schema, event_id, RFC 3339 time, host, instance)",
          not head_bad, head_bad[:2])
    runs = {e["event_id"].split("-")[0] for e in allev if "event_id" in e}
    ids = [int(e["event_id"].split("-")[1]) for e in allev if "event_id" in e]
    check("events: one run id, ids 1..%d in order across the rotation, none lost or repeated"
          % len(ids), len(runs) == 1 and ids == list(range(1, len(allev) + 1)), ids[:5])
    check("events: the rotated file ends where the new one starts",
          old and new and int(old[-1]["event_id"].split("-")[1]) + 1
          == int(new[0]["event_id"].split("-")[1]))
    check("events: result keys present", all("action" in e and "direction" in e for e in allev))


# ---- 4. journald ---------------------------------------------------------------------------

def journal_fields(d):
    """The native journal protocol: KEY=VALUE\\n, or KEY\\n<le64 length>VALUE\\n."""
    out, i = {}, 0
    while i < len(d):
        nl = d.index(b"\n", i)
        line = d[i:nl]
        if b"=" in line:
            k, v = line.split(b"=", 1)
            i = nl + 1
        else:
            k, n = line, struct.unpack("<Q", d[nl + 1:nl + 9])[0]
            v = d[nl + 9:nl + 9 + n]
            i = nl + 9 + n + 1
        out[k.decode()] = v.decode("utf-8", "replace")
    return out


def journald_child(a, work):
    """Runs inside `unshare --mount`: a private /run/systemd with our journal socket."""
    subprocess.run(["mount", "-t", "tmpfs", "tmpfs", "/run/systemd"], check=True)
    os.makedirs("/run/systemd/journal")
    js = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    js.bind("/run/systemd/journal/socket")
    js.settimeout(0.2)
    result = {}
    for mode in ("journald", "auto"):
        po, pi, sock = free_port(), free_port(), os.path.join(work, "j.sock")
        cfg = config(work, "jgw.toml", sock, [], po, pi)
        log = os.path.join(work, "j-%s.log" % mode)
        args, env = (["--log", "journald"], None) if mode == "journald" else ([], {})
        if mode == "auto":  # what systemd sets when StandardError=journal
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            st = os.fstat(fd)
            os.close(fd)
            env = dict(os.environ, JOURNAL_STREAM="%d:%d" % (st.st_dev, st.st_ino))
        g = start_gw(a, cfg, sock, log, args, env)
        started = g.poll() is None
        gwtest.stop(g)
        got = []
        while True:
            try:
                got.append(journal_fields(js.recv(65536)))
            except socket.timeout:
                break
        result[mode] = {"started": started, "rc": g.returncode, "stderr": text(log),
                        "entries": got}
    print(json.dumps(result))


def test_journald(a, work):
    p = run(["unshare", "--mount", "--propagation", "private", sys.executable,
             os.path.abspath(__file__), "--journald-child", "--ssgw", a.ssgw, "--source",
             a.source, "--workdir", work])
    if p.returncode != 0 and ("Operation not permitted" in p.stderr or "unshare" in p.stderr
                              and "failed" in p.stderr):
        print("note: no mount namespace here (%s): journald part not run" % p.stderr.strip())
        return
    try:
        res = json.loads(p.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        check("journald: the listener ran", False, p.stderr[-1500:])
        return
    for mode, r in res.items():
        ents = r["entries"]
        check("journald (%s): the gateway ran and stopped" % mode, r["started"] and r["rc"] == 0,
              r["stderr"][-500:])
        check("journald (%s): entries arrived, nothing on stderr" % mode,
              len(ents) >= 3 and r["stderr"] == "", (len(ents), r["stderr"][-300:]))
        bad = [e for e in ents if e.get("SYSLOG_IDENTIFIER") != "ssgw"
               or e.get("SSGW_INSTANCE") != "jgw" or e.get("PRIORITY") not in "34567"
               or rfc3339_ms(e.get("SSGW_TIME")) is None or not e.get("MESSAGE")]
        check("journald (%s): MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, SSGW_INSTANCE, SSGW_TIME"
              % mode, not bad, bad[:2])
        check("journald (%s): 'running' at priority notice (5)" % mode,
              any(e.get("PRIORITY") == "5" and "running (" in e.get("MESSAGE", "")
                  for e in ents), [e.get("MESSAGE") for e in ents][:5])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--journald-child", action="store_true")
    a = ap.parse_args()
    a.ssgw, a.source = os.path.abspath(a.ssgw), os.path.abspath(a.source)
    work = os.path.abspath(a.workdir)
    if a.journald_child:
        journald_child(a, work)
        return 0
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        test_stderr(a, work)
        test_syslog_events(a, work)
        test_journald(a, work)
    finally:
        gwtest.kill_all()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
