#!/usr/bin/env python3
"""soak.py - the gateway under mixed legitimate and hostile traffic for a long time
(docs/BENCHMARKS.md "Soak"): does its memory stay flat, does it keep every message
accounted for, does it keep its file descriptors? Run by bench/run-soak.sh, which builds
the binaries; not a test (30 minutes by default).

Topology, all on 127.0.0.1 over TCP, one `ssgw run` with the policy of examples/ssgw.conf:
  partner  (outer, SG)  <- `ssgw peer` replaying the partners' side of legitimate roaming
                           traffic (`ssgw attack --attack-ratio 0`: the dialogues partners
                           begin; Albion's answers come from the sink) at LEGIT_RATE msg/s,
                           reconnecting every cycle (one association per replay)
  attacker (outer, SG)  <- `ssgw peer` replaying the attack catalogue (`--attack-ratio 1`) at
                           ATTACK_RATE msg/s, then garbage (bad version, bad length, truncated,
                           unknown class: the association is closed by the gateway)
  flood    (outer, SG)  <- every FLOOD_EVERY s: an ASP sending FLOOD_SEGMENTS SCCP first
                           segments that are never continued (fresh references)
  slow     (outer, SG,  <- at the same time, a peer trickling an ASPUP one byte at a time
            aspup 500 ms)  (closed at the ASP-UP deadline)
  hlr      (inner, ASP) -> `ssgw peer --listen` simulating Albion's HLR/VLR/MSC/SMSC: answers
                           what it serves, leaves the rest unanswered (open dialogues)

Every SAMPLE seconds: the gateway's RSS (VmRSS) and peak (VmHWM), its open descriptors and its
status counters. At the end the traffic stops, in_flight is waited to 0 and the identity
data_in = forwarded + answered + dropped is checked. Prints a Markdown block for
docs/BENCHMARKS.md: the RSS curve (one row a minute), the RSS after warm-up and at the end, the
least-squares slope after warm-up, and the verdict (flat: end - warm-up < max(1 MiB, 2 %) and
slope < 1 MiB/h).

Usage: soak.py --ssgw BIN --source REPO [--minutes 30] [--workdir DIR]
Environment: LEGIT_RATE=2000 ATTACK_RATE=200 FLOOD_EVERY=20 FLOOD_SEGMENTS=400 SAMPLE=10
             WARMUP_MIN=3 WORKERS=0
"""
import argparse
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HOME_PC = 1001  # Albion Mobile's point code in ssgw attack's example network
ENV = {k: int(os.environ.get(k, d)) for k, d in [
    ("LEGIT_RATE", 2000), ("ATTACK_RATE", 200), ("FLOOD_EVERY", 20), ("FLOOD_SEGMENTS", 400),
    ("SAMPLE", 10), ("WARMUP_MIN", 3), ("WORKERS", 0)]}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def status(sock):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(sock)
    buf = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        buf += d
    s.close()
    return json.loads(buf)


def proc_kib(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def m3ua(cls, typ, body=b""):
    return struct.pack(">BBBBI", 1, 0, cls, typ, 8 + len(body)) + body


def pcap_m3ua(path):
    """M3UA messages of a pcap written by ssgw generate (Ethernet/IPv4/SCTP, one chunk)."""
    d = open(path, "rb").read()
    off, out = 24, []
    while off + 16 <= len(d):
        il = struct.unpack("<IIII", d[off:off + 16])[2]
        b = d[off + 16:off + 16 + il]
        off += 16 + il
        o = 14 + (b[14] & 15) * 4 + 12
        clen = struct.unpack(">H", b[o + 2:o + 4])[0]
        out.append(b[o + 16:o + clen])
    return out


def protocol_data(m):
    """The protocol data of an M3UA DATA message (None for other messages)."""
    o = 8
    while o + 4 <= len(m):
        tag, ln = struct.unpack(">HH", m[o:o + 4])
        if ln < 4:
            return None
        if tag == 0x0210 and ln >= 16:
            return m[o + 4:o + ln]
        o += (ln + 3) & ~3
    return None


def partner_begin(m):
    """A TC-BEGIN sent by a partner (OPC not Albion's) in a UDT or XUDT (Q.713 4.10, 4.18)."""
    pd = protocol_data(m)
    if not pd or struct.unpack(">I", pd[:4])[0] == HOME_PC:
        return False
    s = pd[12:]
    at = {0x09: 4, 0x11: 5}.get(s[0]) if s else None
    if at is None or len(s) <= at:
        return False
    data = s[at + s[at]:]
    return len(data) > 1 and data[1] == 0x62


def pcap_keep(src, dst, keep):
    """Copies the frames of src (ssgw attack's Ethernet/IPv4/SCTP pcap) whose M3UA message
    keep() accepts into dst."""
    d = open(src, "rb").read()
    out, off = [d[:24]], 24
    while off + 16 <= len(d):
        il = struct.unpack("<IIII", d[off:off + 16])[2]
        frame = d[off:off + 16 + il]
        b = frame[16:]
        off += 16 + il
        o = 14 + (b[14] & 15) * 4 + 12
        clen = struct.unpack(">H", b[o + 2:o + 4])[0]
        if keep(b[o + 16:o + clen]):
            out.append(frame)
    with open(dst, "wb") as f:
        f.write(b"".join(out))
    return len(out) - 1


class Soak:
    def __init__(self, a):
        self.a = a
        self.stop = threading.Event()
        self.procs = []
        self.lock = threading.Lock()
        self.cycles = {"legit": 0, "attack": 0, "trickle": 0, "segment_flood": 0}
        self.errors = []

    def run_peer(self, args, name):
        with self.lock:
            if self.stop.is_set():
                return
            p = subprocess.Popen([self.a.ssgw, "peer", "-q"] + args, stdout=subprocess.DEVNULL,
                                 stderr=open(os.path.join(self.work, name + ".log"), "ab"))
            self.procs.append(p)
        p.wait()
        with self.lock:
            self.procs.remove(p)

    def loop(self, name, fn):
        while not self.stop.is_set():
            try:
                fn()
                self.cycles[name] += 1
            except Exception as e:  # a soak reports, it does not stop
                self.errors.append("%s: %r" % (name, e))
                self.stop.wait(1)

    def legit(self):
        self.run_peer(["--connect", "127.0.0.1:%d" % self.ports["partner"], "--rc", "10",
                       "--replay", self.legit_pcap, "--rate", str(ENV["LEGIT_RATE"]),
                       "--duration", "120000", "--linger", "500"], "legit")

    def attack(self):
        self.run_peer(["--connect", "127.0.0.1:%d" % self.ports["attacker"], "--rc", "11",
                       "--replay", self.attack_pcap, "--rate", str(ENV["ATTACK_RATE"]),
                       "--garbage", "bad-version,bad-length,truncated,unknown-class",
                       "--duration", "120000", "--linger", "500"], "attack")

    def trickle(self):
        s = socket.create_connection(("127.0.0.1", self.ports["slow"]), timeout=5)
        msg = struct.pack(">BBBBI", 1, 0, 3, 1, 4096)
        try:
            for i in range(len(msg)):
                s.send(msg[i:i + 1])
                if self.stop.wait(0.1):
                    break
            s.settimeout(5)
            s.recv(1)  # the gateway closes it at aspup_timeout_ms
        except OSError:
            pass
        s.close()

    def segment_flood(self):
        s = socket.create_connection(("127.0.0.1", self.ports["flood"]), timeout=5)
        s.sendall(m3ua(3, 1))
        s.sendall(m3ua(4, 1, struct.pack(">HHI", 0x000b, 8, 1) + struct.pack(">HHI", 6, 8, 12)))
        m0, at = self.first_segment
        base = (self.cycles["segment_flood"] * ENV["FLOOD_SEGMENTS"]) & 0x7fffff
        for i in range(ENV["FLOOD_SEGMENTS"]):
            ref = ((base + i) & 0xffffff).to_bytes(3, "little")
            s.sendall(m0[:at] + ref + m0[at + 3:])
        s.settimeout(2)
        try:  # read the acks; then close
            while s.recv(65536):
                pass
        except OSError:
            pass
        s.close()

    def flood(self):
        if self.stop.wait(ENV["FLOOD_EVERY"]):
            return
        t = threading.Thread(target=self.loop_once, args=("trickle", self.trickle))
        t.start()
        self.loop_once("segment_flood", self.segment_flood)
        t.join()

    def loop_once(self, name, fn):
        try:
            fn()
            self.cycles[name] += 1
        except Exception as e:
            self.errors.append("%s: %r" % (name, e))

    def prepare(self):
        a = self.a
        self.legit_pcap = os.path.join(self.work, "legit.pcap")
        self.attack_pcap = os.path.join(self.work, "attack.pcap")
        seg_pcap = os.path.join(self.work, "seg.pcap")
        both = os.path.join(self.work, "legit-both.pcap")
        subprocess.run([a.ssgw, "attack", "-q", "--attack-ratio", "0", "--count", "40000",
                        "--seed", "1", "--labels", "-", both], check=True)
        # the partners' requests; the sink answers for Albion
        pcap_keep(both, self.legit_pcap, partner_begin)
        subprocess.run([a.ssgw, "attack", "-q", "--attack-ratio", "1", "--count", "2000",
                        "--seed", "2", "--labels", "-", self.attack_pcap], check=True)
        subprocess.run([a.ssgw, "generate", "--count", "40", "--seed", "3", "--segment-every",
                        "1", "--no-management", seg_pcap], check=True, stderr=subprocess.DEVNULL)
        recs = [json.loads(l) for l in subprocess.run(
            [a.ssgw, "decode", "--json", seg_pcap], stdout=subprocess.PIPE, text=True,
            check=True).stdout.splitlines()]
        for m, r in zip(pcap_m3ua(seg_pcap), recs):
            sg = r.get("segmentation", {})
            if sg.get("first") and sg.get("remaining", 0) > 0:
                ref = sg["local_ref"].to_bytes(3, "little")
                at = next(i for i in range(len(m) - 6)
                          if m[i:i + 2] == b"\x10\x04" and m[i + 3:i + 6] == ref) + 3
                self.first_segment = (m, at)
                break
        self.ports = {k: free_port() for k in ("partner", "attacker", "flood", "slow", "hlr")}
        self.sock = os.path.join(self.work, "gw.sock")
        policy = os.path.join(a.source, "examples", "ssgw.conf")
        cfg = os.path.join(self.work, "gw.toml")
        with open(cfg, "w") as f:
            f.write("""[gateway]
workers = %d
status_socket = "%s"
policy = "%s"
reconnect_ms = 200

[[link]]
name = "partner"
side = "outer"
role = "sg"
listen = "127.0.0.1:%d"
routing_contexts = [10]

[[link]]
name = "attacker"
side = "outer"
role = "sg"
listen = "127.0.0.1:%d"
routing_contexts = [11]

[[link]]
name = "flood"
side = "outer"
role = "sg"
listen = "127.0.0.1:%d"
routing_contexts = [12]

[[link]]
name = "slow"
side = "outer"
role = "sg"
listen = "127.0.0.1:%d"
routing_contexts = [13]
aspup_timeout_ms = 500

[[link]]
name = "hlr"
side = "inner"
role = "asp"
connect = "127.0.0.1:%d"
routing_contexts = [20]
""" % (ENV["WORKERS"], self.sock, policy, self.ports["partner"], self.ports["attacker"],
                self.ports["flood"], self.ports["slow"], self.ports["hlr"]))
        return cfg

    def wait_status(self, cond, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            try:
                st = status(self.sock)
                if cond(st):
                    return st
            except OSError:
                pass
            time.sleep(0.1)
        return None

    def run(self):
        a = self.a
        self.work = a.workdir or tempfile.mkdtemp(prefix="ssgw-soak-")
        os.makedirs(self.work, exist_ok=True)
        cfg = self.prepare()
        total_s = int(a.minutes * 60)
        if total_s + 300 > 3600:
            sys.exit("soak: at most 55 minutes (the sink peer's --duration is at most an hour)")
        sink = subprocess.Popen(
            [a.ssgw, "peer", "-q", "--listen", "127.0.0.1:%d" % self.ports["hlr"], "--rc", "20",
             "--hlr", "447924", "--vlr", "447925", "--msc", "447925", "--smsc", "447924",
             "--duration", str((total_s + 300) * 1000), "--linger", str((total_s + 300) * 1000)],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.work, "sink.log"), "ab"))
        g = subprocess.Popen([a.ssgw, "run", "--config", cfg], stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(self.work, "gw.log"), "ab"))
        ok = self.wait_status(lambda s: next(l for l in s["links"] if l["name"] == "hlr")
                              ["asp_state"] == "active")
        if not ok:
            sys.exit("soak: the gateway did not come up: see %s/gw.log" % self.work)
        threads = [threading.Thread(target=self.loop, args=(n, f)) for n, f in
                   [("legit", self.legit), ("attack", self.attack), ("flood", self.flood)]]
        self.cycles["flood"] = 0
        for t in threads:
            t.start()
        samples = []
        t0 = time.time()
        nxt = t0
        while time.time() - t0 < total_s:
            st = status(self.sock)
            c = st["counters"]
            samples.append({"t": time.time() - t0, "rss": proc_kib(g.pid, "VmRSS"),
                            "hwm": proc_kib(g.pid, "VmHWM"),
                            "fds": len(os.listdir("/proc/%d/fd" % g.pid)),
                            "data_in": c["data_in"], "dropped": c["dropped"]})
            s = samples[-1]
            print("soak: t=%5.0fs rss=%d KiB hwm=%d KiB fds=%d data_in=%d dropped=%d" % (
                s["t"], s["rss"], s["hwm"], s["fds"], s["data_in"], s["dropped"]), flush=True)
            nxt += ENV["SAMPLE"]
            time.sleep(max(0, nxt - time.time()))
        self.stop.set()
        with self.lock:
            for p in self.procs:
                p.send_signal(signal.SIGTERM)
        for t in threads:
            t.join(120)
        st = self.wait_status(lambda s: s["counters"]["in_flight"] == 0)
        time.sleep(1)  # counters settle: the next status must equal this one
        st2 = status(self.sock)
        c = st2["counters"]
        identity = c["data_in"] == c["forwarded"] + c["answered"] + c["dropped"] + c["in_flight"]
        samples.append({"t": time.time() - t0, "rss": proc_kib(g.pid, "VmRSS"),
                        "hwm": proc_kib(g.pid, "VmHWM"),
                        "fds": len(os.listdir("/proc/%d/fd" % g.pid)),
                        "data_in": c["data_in"], "dropped": c["dropped"]})
        g.send_signal(signal.SIGTERM)
        g.wait(30)
        sink.send_signal(signal.SIGTERM)
        sink.wait(30)
        self.report(samples, st2, identity, g.returncode)
        if not a.workdir and not os.environ.get("KEEP_TMP"):
            shutil.rmtree(self.work, ignore_errors=True)

    def report(self, samples, st, identity, rc):
        warm = ENV["WARMUP_MIN"] * 60
        after = [s for s in samples if s["t"] >= warm] or samples
        xs = [s["t"] / 3600 for s in after]
        ys = [s["rss"] for s in after]
        n = len(xs)
        mx, my = sum(xs) / n, sum(ys) / n
        var = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var if var else 0.0
        w_rss, end_rss = after[0]["rss"], samples[-1]["rss"]
        growth = end_rss - w_rss
        flat = growth < max(1024, 0.02 * w_rss) and slope < 1024
        c = st["counters"]
        print()
        print("| minute | RSS (KiB) | peak (KiB) | fds | DATA in | dropped |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        last_min = -1
        for s in samples:
            m = int(s["t"] // 60)
            if m != last_min or s is samples[-1]:
                last_min = m
                print("| %d | %d | %d | %d | %d | %d |" % (m, s["rss"], s["hwm"], s["fds"],
                                                           s["data_in"], s["dropped"]))
        print()
        print("- duration %.1f min, %d samples every %d s; warm-up %d min" % (
            samples[-1]["t"] / 60, len(samples), ENV["SAMPLE"], ENV["WARMUP_MIN"]))
        print("- RSS after warm-up %d KiB, at the end %d KiB (%+d KiB), peak %d KiB; slope "
              "after warm-up %+.0f KiB/h: %s" % (w_rss, end_rss, growth, samples[-1]["hwm"],
                                                 slope, "flat" if flat else "NOT FLAT (a miss)"))
        print("- descriptors: %d at the first sample, %d at the end" % (samples[0]["fds"],
                                                                      samples[-1]["fds"]))
        print("- DATA in %d = forwarded %d + answered %d + dropped %d + in flight %d: %s" % (
            c["data_in"], c["forwarded"], c["answered"], c["dropped"], c["in_flight"],
            "holds" if identity else "BROKEN"))
        top = sorted(c["reasons"].items(), key=lambda kv: -kv[1])[:8]
        print("- top reasons: " + ", ".join("%s %d" % kv for kv in top))
        adm = c.get("admission", {})
        print("- cycles: " + ", ".join("%s %d" % kv for kv in self.cycles.items()) +
              "; admission: " + ", ".join("%s %d" % kv for kv in adm.items()) +
              "; ERR sent %d; gateway exit status %s" % (c["err_sent"], rc))
        if self.errors:
            print("- driver errors (%d): %s" % (len(self.errors), "; ".join(self.errors[:5])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--workdir")
    a = ap.parse_args()
    a.ssgw = os.path.abspath(a.ssgw)
    Soak(a).run()


if __name__ == "__main__":
    main()
