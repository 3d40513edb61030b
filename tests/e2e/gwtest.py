"""Helpers shared by the gateway end-to-end tests (test_gateway.py, test_gateway_policy.py,
test_pipeline_identity.py, test_trust_lifecycle.py): pass/fail tally, processes started and
cleaned up, free loopback ports, JSON-lines files, the gateway's counter invariant (every
DATA message forwarded, answered or dropped), gateway configurations, pcap frames of M3UA
messages, and a minimal M3UA ASP over TCP."""
import fcntl
import json
import os
import random
import signal
import socket
import struct
import subprocess
import tempfile
import time

tally = {"passes": 0, "failures": 0}
procs = []


def check(name, cond, detail=""):
    if cond:
        tally["passes"] += 1
        print("ok   " + name, flush=True)
    else:
        tally["failures"] += 1
        print("FAIL " + name + (": " + str(detail)[:2000] if detail else ""), flush=True)


def summary():
    """Prints the closing line and returns the exit status."""
    print("%d passed, %d failed" % (tally["passes"], tally["failures"]))
    return 1 if tally["failures"] else 0


_reserved = []  # sockets and lock files holding the ports free_port gave out (see there)

# UDP ports for the tests come from below the kernel's ephemeral range, so no program asking
# the kernel for a free port is handed one; each is held by a lock on a file named after it,
# so two tests of a parallel run never take the same one (the lock goes with the process;
# the directory is per user).
_UDP_LOCKS = os.path.join(tempfile.gettempdir(), "ssgw-test-udp-ports-%d" % os.getuid())
_UDP_LOW = 20000
_udp_given = set()


def _ephemeral_low():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _udp_port():
    """A UDP port on 127.0.0.1 that no other test holds and nothing is bound to now."""
    high = _ephemeral_low()
    if high - _UDP_LOW < 1000:  # no room below the ephemeral range: probe the kernel's
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        p = s.getsockname()[1]
        s.close()
        return p
    os.makedirs(_UDP_LOCKS, mode=0o700, exist_ok=True)
    rng = random.Random(os.getpid() ^ time.monotonic_ns())
    for _ in range(1000):
        p = rng.randrange(_UDP_LOW, high)
        if p in _udp_given:
            continue  # a lock is per process: ours would not stop us taking it twice
        fd = os.open(os.path.join(_UDP_LOCKS, str(p)), os.O_CREAT | os.O_RDWR | os.O_NOFOLLOW,
                     0o600)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # another test holds it
            continue
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            os.close(fd)  # something outside the tests is bound to it
            continue
        finally:
            s.close()
        _reserved.append(fd)
        _udp_given.add(p)
        return p
    raise RuntimeError("no free UDP port in %d..%d" % (_UDP_LOW, high - 1))


def free_port(kind=socket.SOCK_STREAM):
    """A port on 127.0.0.1 for a server the test starts. A TCP port stays reserved while the
    test runs: a socket bound to it with SO_REUSEADDR, never listening, is held open, so the
    kernel hands it to no other program asking for a free port (another test of a parallel
    run) between now and the moment our server binds it, while our servers, which all set
    SO_REUSEADDR, can still listen on it. A UDP port is not held by a socket (a datagram
    socket bound beside usrsctp's could take its datagrams): it comes from below the
    ephemeral range, held by a file lock (_udp_port)."""
    if kind == socket.SOCK_DGRAM:
        return _udp_port()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    _reserved.append(s)
    return s.getsockname()[1]


def start(args, log, env=None):
    f = open(log, "w")
    p = subprocess.Popen(args, stdout=f, stderr=subprocess.STDOUT, env=env)
    p.logfile = log
    procs.append(p)
    return p


def finish(p, timeout=30):
    try:
        return p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return None


def stop(g, timeout=15):
    if g.poll() is None:
        g.send_signal(signal.SIGTERM)
    return finish(g, timeout)


def kill_all():
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()


def text(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def fresh_record(path):
    """path, with the record a peer wrote there in an earlier run removed: a test that polls
    the record while a new peer starts would otherwise read the old run's messages."""
    if os.path.exists(path):
        os.unlink(path)
    return path


def records(path):
    out = []
    for line in text(path).splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def invariant(st):
    """data_in == forwarded + answered + dropped + in_flight (held by inspection threads)."""
    c = st.get("counters", {})
    return c.get("data_in") == (c.get("forwarded", 0) + c.get("answered", 0) +
                                c.get("dropped", 0) + c.get("in_flight", 0))


def status_answers(sock):
    """Whether the gateway's status socket answers. Its file appears when the gateway binds
    it, which is before it listens: a test that waited only for the file could connect too
    early ("Connection refused", seen under load)."""
    try:
        status(sock)
        return True
    except (OSError, ValueError):
        return False


def status(sock):
    """The gateway's JSON status from its unix socket (what `ssgw status` prints)."""
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(5)
    s.connect(sock)
    buf = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        buf += d
    s.close()
    return json.loads(buf)


def trust_main_args(doc=None):
    """The command line of the tests that need the TSCA (--ssgw --tsca --source --workdir,
    made absolute) and a fresh work directory; returns (args, work)."""
    import argparse
    import shutil
    ap = argparse.ArgumentParser(description=doc)
    for opt in ("--ssgw", "--tsca", "--source", "--workdir"):
        ap.add_argument(opt, required=True)
    a = ap.parse_args()
    a.ssgw, a.tsca, a.source = map(os.path.abspath, (a.ssgw, a.tsca, a.source))
    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    return a, work


def trust_setup(a, tdir):
    """examples/trust/setup.sh into tdir: a TSCA, Albion and Safari certified, a bundle.
    Checked; returns True when it worked."""
    env = dict(os.environ, SSGW=a.ssgw, TSCA=a.tsca, DEMO="0")
    p = subprocess.run(["sh", os.path.join(a.source, "examples", "trust", "setup.sh"), tdir],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                       timeout=120)
    check("trust set-up (examples/trust/setup.sh)", p.returncode == 0, p.stderr[-1500:])
    return p.returncode == 0


def wait_for(sock, cond, timeout=60):
    """Polls the gateway's status until cond(status) holds; returns the status or None."""
    end = time.time() + timeout
    while time.time() < end:
        st = status(sock)
        if cond(st):
            return st
        time.sleep(0.02)
    return None


def link(st, name):
    """The status of the link called name."""
    return next(l for l in st["links"] if l["name"] == name)


WORKERS = 0  # [gateway] workers of every gateway write_config describes (tests may set it)


def write_config(path, links, extra):
    """A gateway configuration: [gateway] (workers = WORKERS, then `extra` lines) and one
    [[link]] table per dict of `links`."""
    lines = ["[gateway]", "workers = %d" % WORKERS] + extra
    for l in links:
        lines += ["", "[[link]]"]
        for k, v in l.items():
            lines.append("%s = %s" % (k, json.dumps(v) if isinstance(v, (str, list, bool)) else v))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def gateway(ssgw, cfg, sock, log):
    """Starts `ssgw run --config cfg` and waits until its status socket answers (or it
    exits)."""
    if os.path.exists(sock):
        os.unlink(sock)
    g = start([ssgw, "run", "--config", cfg], log)
    g.sock = sock
    for _ in range(200):
        if status_answers(sock) or g.poll() is not None:
            break
        time.sleep(0.05)
    return g


# ---- pcap and M3UA ----------------------------------------------------------------------

# Checks that count, in examples/ssgw.conf: (burst, period in s) of their token bucket. A
# flood's first messages pass, as many as the burst plus what the bucket refills while the
# flood lasts; a wangiri's first four calls complete before the pattern is known (period 0:
# nothing refills).
RATE_CHECKS = {
    "sms.sri_sm_rate": (2, 600),   # [rate] sri_sm_per_msisdn = "2/600s"
    "rate.calling_gt": (2000, 1),  # [rate] calling_gt = "2000/1s"
    "rate.imsi": (60, 60),         # [rate] imsi = "60/60s"
    "call.fanout": (20, 600),      # [calls] fanout = "20/600s"
    "call.rate": (30, 60),         # [calls] rate = "30/60s"
    "call.wangiri": (4, 0),        # [calls] wangiri = "3/600s": the 4th short call flags it
    "sms.sender_rate": (30, 60),   # [sms] sender_rate = "30/60s"
    "sms.same_text": (40, 600),    # [sms] same_text = "40/600s"
}


def rate_allowance(check_name, span_s):
    """How many messages of one flood of check_name lasting span_s seconds (as the firewall
    saw them) may pass before it is stopped."""
    burst, period = RATE_CHECKS[check_name]
    return burst + (int(span_s * burst / period) + 1 if period else 0)


def pcap_frames(path):
    d = open(path, "rb").read()
    off, out = 24, []
    while off + 16 <= len(d):
        _, _, il, _ = struct.unpack("<IIII", d[off:off + 16])
        b = d[off + 16:off + 16 + il]
        off += 16 + il
        ihl = (b[14] & 15) * 4
        o = 14 + ihl + 12  # Ethernet, IPv4, SCTP common header; one DATA chunk (PPID 3)
        clen = struct.unpack(">H", b[o + 2:o + 4])[0]
        out.append(b[o + 16:o + clen])
    return out


def pcap_write(path, frames, times_ms=None):
    """Ethernet/IPv4/SCTP(PPID 3) frames around M3UA messages (CRC not checked by readers);
    frame i gets the time times_ms[i] (milliseconds since 1970) when given."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, m in enumerate(frames):
            pad = (4 - len(m) % 4) % 4
            chunk = struct.pack(">BBHIHHI", 0, 3, 16 + len(m), i + 1, 1, i, 3) + m + b"\0" * pad
            sctp = struct.pack(">HHII", 2905, 2905, 1, 0) + chunk
            ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(sctp), i, 0, 64, 132, 0,
                             bytes([10, 1, 0, 1]), bytes([10, 0, 0, 1])) + sctp
            eth = b"\0\1\2\3\4\5\0\1\2\3\4\6\x08\x00" + ip
            sec, usec = 1700000000 + i // 1000, (i % 1000) * 1000
            if times_ms is not None:
                sec, usec = times_ms[i] // 1000, (times_ms[i] % 1000) * 1000
            f.write(struct.pack("<IIII", sec, usec, len(eth), len(eth)) + eth)


def params(m):
    out, o = {}, 8
    while o + 4 <= len(m):
        tag, ln = struct.unpack(">HH", m[o:o + 4])
        if ln < 4:
            break
        out.setdefault(tag, m[o + 4:o + ln])
        o += (ln + 3) & ~3
    return out


def pd_of(m):
    return params(m).get(0x0210)


class Conn:
    """An M3UA association over TCP, framed: send, receive, wait for a message type."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""

    def send(self, cls, typ, body):
        self.s.sendall(struct.pack(">BBBBI", 1, 0, cls, typ, 8 + len(body)) + body)

    def send_raw(self, m):
        self.s.sendall(m)

    def recv(self, timeout):
        self.s.settimeout(timeout)
        while True:
            if len(self.buf) >= 8:
                ln = struct.unpack(">I", self.buf[4:8])[0]
                if len(self.buf) >= ln:
                    m, self.buf = self.buf[:ln], self.buf[ln:]
                    return m
            try:
                d = self.s.recv(65536)
            except socket.timeout:
                return None
            if not d:
                return None
            self.buf += d

    def wait(self, cls, typ, timeout=5):
        """The next message of class cls, type typ within timeout s (others are skipped);
        None when none came."""
        end = time.time() + timeout
        while time.time() < end:
            m = self.recv(max(0.05, end - time.time()))
            if m and m[2] == cls and m[3] == typ:
                return m
        return None

    def ask(self, m, cls, typ):
        """Sends the whole message m and waits for the answer cls/typ."""
        self.send_raw(m)
        return self.wait(cls, typ)

    def drain(self):
        """Reads and returns every complete message already waiting, without blocking."""
        out = []
        self.s.setblocking(False)
        try:
            while True:
                d = self.s.recv(65536)
                if not d:
                    break
                self.buf += d
        except (BlockingIOError, InterruptedError):
            pass
        finally:
            self.s.setblocking(True)
        while len(self.buf) >= 8:
            ln = struct.unpack(">I", self.buf[4:8])[0]
            if len(self.buf) < ln:
                break
            out.append(self.buf[:ln])
            self.buf = self.buf[ln:]
        return out

    def data(self, timeout):
        t0 = time.time()
        while time.time() - t0 < timeout:
            m = self.recv(timeout)
            if m is None:
                return None
            if m[2] == 1 and m[3] == 1:
                return m
        return None


class Asp(Conn):
    """A minimal M3UA ASP over TCP: ASPUP, ASPAC; DATA in and out."""

    def __init__(self, port, rc):
        super().__init__(port)
        self.send(3, 1, b"")
        if not self.wait(3, 4):
            raise RuntimeError("ASPUP_ACK not received")
        self.send(4, 1, struct.pack(">HHI", 0x000b, 8, 1) + struct.pack(">HHI", 0x0006, 8, rc))
        if not self.wait(4, 3):
            raise RuntimeError("ASPAC_ACK not received")


def replay_labelled(sock, outer, inner, frames, labels, timeout=120, sent_at=None):
    """Sends each frame of an `ssgw attack` capture on the side it belongs to (inbound into
    the outer link, our own outbound frames into the inner one), one at a time in capture
    order (the firewall is stateful), and reads its fate from the gateway's counters.
    Returns (fate, answers, wrong_bytes, stuck): fate[i] is "forward" (the other side got
    the same protocol data, else i + 1 is in wrong_bytes), "answer" ((i + 1, the answer's
    kind) in answers), "drop" or "?" (not judged in time: i + 1 in stuck). When sent_at is a
    list, the time each frame was sent is appended to it."""
    fate, answers, wrong_bytes, stuck = [], [], [], []
    prev = status(sock)["counters"]
    t_end = time.time() + timeout
    for i, (m, l) in enumerate(zip(frames, labels)):
        src, dst = (outer, inner) if l["dir"] == "in" else (inner, outer)
        if sent_at is not None:
            sent_at.append(time.time())
        src.send_raw(m)
        while time.time() < t_end:
            c = status(sock)["counters"]
            # judged: counted in, and not held by an inspection thread ([gateway] workers)
            if c["data_in"] > prev["data_in"] and c.get("in_flight", 0) == 0:
                break
            time.sleep(0.002)
        if c["forwarded"] > prev["forwarded"]:
            got = dst.data(5)
            if got is None or pd_of(got) != pd_of(m):
                wrong_bytes.append(i + 1)
            fate.append("forward")
        elif c["answered"] > prev["answered"]:
            got = src.data(5)
            answers.append((i + 1, answer_kind(pd_of(got)) if got else None))
            fate.append("answer")
        elif c["dropped"] > prev["dropped"]:
            fate.append("drop")
        else:
            stuck.append(i + 1)
            fate.append("?")
        prev = c
    return fate, answers, wrong_bytes, stuck


def answer_kind(pd):
    """sccp-udts / tcap-abort / map-error / isup-rel / isup-rlc from an answer's protocol
    data (routing label 12 octets with the SI at octet 8; SCCP: Q.713 UDT/UDTS/XUDT with its
    data pointer; TCAP Q.773 tags; ISUP, Q.763: CIC (2 octets), message type)."""
    s = pd[12:]
    if pd[8] == 5:
        return {0x0c: "isup-rel", 0x10: "isup-rlc"}.get(s[2], "isup-%02x" % s[2])
    if s[0] in (0x0a, 0x12):
        return "sccp-udts"
    if s[0] == 0x09:
        data = s[4 + s[4]:]
    elif s[0] == 0x11:
        data = s[5 + s[5]:]
    else:
        return "sccp-%02x" % s[0]
    tcap = data[1:1 + data[0]]
    if tcap[:1] == b"\x67":
        return "tcap-abort"
    if tcap[:1] == b"\x64" and b"\xa3" in tcap:
        return "map-error"
    return "tcap-%02x" % tcap[0]
