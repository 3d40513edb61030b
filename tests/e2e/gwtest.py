"""Helpers shared by the gateway end-to-end tests (test_gateway.py, test_gateway_policy.py):
pass/fail tally, processes started and cleaned up, free loopback ports, JSON-lines files,
and the gateway's counter invariant (every DATA message forwarded, answered or dropped)."""
import json
import signal
import socket
import subprocess

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


def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


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
