#!/usr/bin/env python3
"""End-to-end tests of `tsca` as an operator and a TSCA run it.

init -> request (operators A and B) -> verify-request -> approve (one and two
officers) -> issue -> bundle -> the gateway loads the bundle; refusals: a claim
outside the registry (named exactly), the same officer twice when two are
required, issuing without approval, a key file chmod 0644, an older or equal
bundle sequence, a tampered bundle (one byte flipped); revoke -> the next
bundle shows it; the audit log detects an edited, a deleted and a reordered
line and names the line; serve + fetch over 127.0.0.1 with ETag and 304.
Independent oracles: `openssl verify` on the issued chain, `openssl x509
-text` for the extension OID, `openssl cms -verify` for the bundle.
Usage: test_tsca.py --tsca BIN --registry CSV --workdir DIR
"""
import argparse
import os
import shutil
import stat
import subprocess
import sys
import time

failures = 0
passes = 0
OID = "2.25.119020565753570423968981799361663625224.1"


def check(name, cond, detail=""):
    global failures, passes
    if cond:
        passes += 1
        print("ok   " + name)
    else:
        failures += 1
        print("FAIL " + name + (": " + detail if detail else ""))


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def slow_clients(T, url, port, w):
    """Clients that send their request one byte every 4 s hold connections; the bundle is
    served to everyone else meanwhile, at once (the single-threaded server of old waited
    5 s per slow client)."""
    import socket
    import threading
    stop = threading.Event()
    socks = []
    for _ in range(6):
        s = socket.create_connection(("127.0.0.1", port))
        socks.append(s)

    def trickle(s):
        req = b"GET /bundle HTTP/1.1\r\nHost: slow\r\n\r\n"
        for b in req[:-1]:  # never complete: the last byte is never sent
            try:
                s.sendall(bytes([b]))
            except OSError:
                return
            if stop.wait(4):
                return
    threads = [threading.Thread(target=trickle, args=(s,), daemon=True) for s in socks]
    for t in threads:
        t.start()
    try:
        times = []
        for i in range(3):
            if i:
                stop.wait(3)  # let the slow clients trickle on: they hold their slots throughout
            t0 = time.monotonic()
            p = run([T, "fetch", url, w("slow%d.bundle" % i)], timeout=30)
            times.append(time.monotonic() - t0)
            check("slow clients: fetch %d answered 200" % i,
                  p.returncode == 0 and p.stdout.startswith("status 200"), p.stdout + p.stderr)
        check("slow clients: every fetch took under 2 s", max(times) < 2.0,
              "seconds: %s" % ", ".join("%.2f" % x for x in times))
        # the slow clients are still connected: the server neither served nor dropped them
        alive = 0
        for s in socks:
            s.setblocking(False)
            try:
                s.recv(1)  # b"": closed by the server; bytes: answered a request never sent
            except BlockingIOError:
                alive += 1  # nothing to read, not closed
            except OSError:
                pass
        check("slow clients: all 6 still held open while others were served", alive == 6,
              "%d of 6" % alive)
    finally:
        stop.set()
        for s in socks:
            s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tsca", required=True)
    ap.add_argument("--registry", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    w = lambda n: os.path.join(a.workdir, n)
    T = a.tsca
    have_openssl = shutil.which("openssl") is not None
    if not have_openssl:
        print("note: openssl CLI missing (apt-get install openssl): oracle checks skipped")

    # --help for every subcommand
    top = run([T, "--help"])
    cmds = [l.split()[0] for l in top.stdout.splitlines() if l.startswith("  ")]
    check("tsca --help lists 12 commands", len(cmds) == 12, top.stdout)
    for c in cmds:
        p = run([T, c, "--help"])
        check("tsca %s --help" % c, p.returncode == 0 and "usage: tsca " + c in p.stdout, p.stderr)

    ca = w("ca")
    p = run([T, "init", ca, "--name", "E2E TSCA", "--registry", a.registry, "--approvals", "1"])
    check("init", p.returncode == 0, p.stderr)
    for k in ("root.key", "issuing.key"):
        check("init: %s is 0600" % k, stat.S_IMODE(os.stat(os.path.join(ca, k)).st_mode) == 0o600)
    p = run([T, "init", ca])
    check("init refuses an existing CA", p.returncode == 1 and "already exists" in p.stderr, p.stderr)

    # operator A (ECDSA/ECDH P-256) and B (Ed25519/X25519)
    p = run([T, "request", "--key", w("a.key"), "--name", "Albion Mobile plc", "--country", "GB",
             "--mccmnc", "23415,23416", "--gt", "4477,447700000000-447799999999", "--pc", "1234",
             "--tn", "447700000000-447799999999", "--contact", "noc@albion.example", w("a.req")])
    check("request A", p.returncode == 0, p.stderr)
    check("request A: keys 0600", all(stat.S_IMODE(os.stat(w(k)).st_mode) == 0o600
                                      for k in ("a.key", "a-ka.key")))
    p = run([T, "request", "--key", w("b.key"), "--name", "Savanna Wireless Kenya Ltd",
             "--country", "KE", "--mccmnc", "63907", "--gt", "254720000000-254729999999",
             "--sign-alg", "ed25519", "--ka-alg", "x25519", w("b.req")])
    check("request B (ed25519/x25519)", p.returncode == 0, p.stderr)
    p = run([T, "request", "--key", w("a.key"), "--name", "X", "--country", "GB", "--gt", "44",
             w("x.req")])
    check("request never overwrites a key", p.returncode == 1 and "refusing to overwrite" in p.stderr,
          p.stderr)

    # a claim outside the registry, refused with the exact range
    p = run([T, "request", "--key", w("e.key"), "--name", "Albion Mobile plc", "--country", "GB",
             "--gt", "4477,447900000000-447900009999", w("e.req")])
    p = run([T, "verify-request", ca, w("e.req")])
    check("claim outside the registry refused", p.returncode == 1, p.stdout)
    check("refusal names the exact range", "gt range 447900000000-447900009999 refused" in p.stderr,
          p.stderr)
    # a claim on another operator's range names the holder
    run([T, "request", "--key", w("f.key"), "--name", "Albion Mobile plc", "--country", "GB",
         "--gt", "447800000000-447800000999", w("f.req")])
    p = run([T, "verify-request", ca, w("f.req")])
    check("claim on another holder's range refused",
          p.returncode == 1 and "'Thames Telecom, Ltd'" in p.stderr, p.stderr)
    # a telephone-number claim (CLI attestation) on another holder's numbers, refused as such
    run([T, "request", "--key", w("g.key"), "--name", "Albion Mobile plc", "--country", "GB",
         "--gt", "4477", "--tn", "447800000000-447800000999", w("g.req")])
    p = run([T, "verify-request", ca, w("g.req")])
    check("tn claim on another holder's numbers refused",
          p.returncode == 1 and "tn range 447800000000-447800000999 refused" in p.stderr
          and "'Thames Telecom, Ltd'" in p.stderr, p.stderr)
    p = run([T, "approve", ca, w("e.req"), "--officer", "alice"])
    check("approving an unverified request refused",
          p.returncode == 1 and "not been verified" in p.stderr, p.stderr)

    # issuing without approval
    p = run([T, "verify-request", ca, w("a.req")])
    check("verify A", p.returncode == 0 and "registry line" in p.stdout and "sha256" in p.stdout,
          p.stderr)
    check("verify A: the tn claim has its evidence",
          "tn 447700000000-447799999999 <= registry line" in p.stdout, p.stdout)
    p = run([T, "issue", ca, w("a.req"), w("a.crt")])
    check("issue without approval refused",
          p.returncode == 1 and "0 of the 1 officer approval" in p.stderr, p.stderr)
    p = run([T, "approve", ca, w("a.req"), "--officer", "alice"])
    check("approve A", p.returncode == 0 and "1 of 1" in p.stdout, p.stderr)
    p = run([T, "issue", ca, w("a.req"), w("a.crt")])
    check("issue A", p.returncode == 0, p.stderr)
    serial_a = p.stdout.split(":")[-1].split()[0] if p.returncode == 0 else ""

    # two officers required from now on
    conf = os.path.join(ca, "tsca.conf")
    txt = open(conf).read().replace("approvals_required = 1", "approvals_required = 2")
    open(conf, "w").write(txt)
    run([T, "verify-request", ca, w("b.req")])
    p = run([T, "approve", ca, w("b.req"), "--officer", "alice"])
    check("B: first approval", p.returncode == 0 and "1 of 2" in p.stdout, p.stderr)
    p = run([T, "approve", ca, w("b.req"), "--officer", "alice"])
    check("B: same officer twice refused",
          p.returncode == 1 and "already approved" in p.stderr and "2 different" in p.stderr, p.stderr)
    p = run([T, "issue", ca, w("b.req"), w("b.crt")])
    check("B: issue with one of two approvals refused", p.returncode == 1, p.stderr)
    p = run([T, "approve", ca, w("b.req"), "--officer", "bob"])
    check("B: second officer", p.returncode == 0 and "2 of 2" in p.stdout, p.stderr)
    p = run([T, "issue", ca, w("b.req"), w("b.crt")])
    check("issue B", p.returncode == 0, p.stderr)

    if have_openssl:
        pem = open(w("a.crt")).read()
        first = pem[: pem.index("-----END CERTIFICATE-----") + 25] + "\n"
        open(w("a-sign.pem"), "w").write(first)
        p = run(["openssl", "verify", "-CAfile", os.path.join(ca, "root.crt"), "-untrusted",
                 os.path.join(ca, "issuing.crt"), w("a-sign.pem")])
        check("openssl verify: A chains to the root", p.returncode == 0 and ": OK" in p.stdout,
              p.stdout + p.stderr)
        p = run(["openssl", "x509", "-in", w("a-sign.pem"), "-noout", "-text"])
        check("openssl x509 shows the identity OID", OID + ":" in p.stdout)
        check("openssl x509: keyUsage Digital Signature", "Digital Signature" in p.stdout)

    # key file readable by others
    ik = os.path.join(ca, "issuing.key")
    os.chmod(ik, 0o644)
    p = run([T, "bundle", ca, w("bad.bundle")])
    check("issuing.key 0644 refused", p.returncode == 1 and "mode 0644" in p.stderr
          and "issuing.key" in p.stderr, p.stderr)
    os.chmod(ik, 0o600)

    # bundle 1, loaded as a gateway loads it
    root = os.path.join(ca, "root.crt")
    p = run([T, "bundle", ca, w("b1.bundle")])
    check("bundle 1", p.returncode == 0 and "sequence 1" in p.stdout, p.stderr)
    p = run([T, "show-bundle", w("b1.bundle"), "--root", root, "--min-sequence", "1",
             "--gt", "447712345678"])
    check("gateway loads bundle 1", p.returncode == 0 and "2 members" in p.stdout, p.stderr)
    check("directory: GT -> operator", "lookup 447712345678 -> Albion Mobile plc" in p.stdout,
          p.stdout)
    check("the bundle carries A's telephone numbers", "tn 447700000000-447799999999" in p.stdout,
          p.stdout)
    if have_openssl:
        p = run(["openssl", "cms", "-verify", "-inform", "PEM", "-in", w("b1.bundle"),
                 "-CAfile", root, "-out", w("body.txt")])
        check("openssl cms -verify accepts the bundle", p.returncode == 0, p.stderr)

    # tampered: flip one byte in the middle of the base64
    data = bytearray(open(w("b1.bundle"), "rb").read())
    i = len(data) // 2
    while data[i] in b"\n-":
        i += 1
    data[i] = ord("A") if data[i] != ord("A") else ord("B")
    open(w("tampered.bundle"), "wb").write(bytes(data))
    p = run([T, "show-bundle", w("tampered.bundle"), "--root", root])
    check("tampered bundle refused", p.returncode == 1 and "refused" in p.stderr, p.stderr)

    # revoke A -> bundle 2 shows it; bundle 1 (older) and 2 (equal) refused as replacements
    p = run([T, "revoke", ca, serial_a, "--reason", "keyCompromise"])
    check("revoke A", p.returncode == 0, p.stderr)
    p = run([T, "revoke", ca, serial_a, "--reason", "bogus"])
    check("revoke: bad reason refused", p.returncode == 2, p.stderr)
    p = run([T, "list", ca])
    check("list shows the revocation", "REVOKED keyCompromise" in p.stdout, p.stdout)
    p = run([T, "bundle", ca, w("b2.bundle"), "--validity-days", "3"])
    check("bundle 2", p.returncode == 0 and "sequence 2" in p.stdout, p.stderr)
    p = run([T, "show-bundle", w("b2.bundle"), "--root", root, "--min-sequence", "2"])
    check("bundle 2 shows A revoked", p.returncode == 0 and "REVOKED keyCompromise" in p.stdout
          and "lookup" not in p.stdout, p.stdout + p.stderr)
    p = run([T, "show-bundle", w("b1.bundle"), "--root", root, "--min-sequence", "3"])
    check("older bundle refused", p.returncode == 1 and "older than the required minimum 3" in p.stderr,
          p.stderr)
    p = run([T, "show-bundle", w("b2.bundle"), "--root", root, "--min-sequence", "3"])
    check("equal-sequence bundle refused", p.returncode == 1 and "sequence 2 is older" in p.stderr,
          p.stderr)
    p = run([T, "show-bundle", w("b2.bundle"), "--root", root, "--now", str(int(time.time()) + 4 * 86400)])
    check("expired bundle refused", p.returncode == 1 and "expired" in p.stderr, p.stderr)

    # serve + fetch with ETag / 304
    srv = subprocess.Popen([T, "serve", ca, "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        line = srv.stdout.readline()
        check("serve: listening", line.startswith("listening on 127.0.0.1:"), line)
        port = line.strip().rsplit(":", 1)[-1]
        url = "http://127.0.0.1:%s/bundle" % port
        p = run([T, "fetch", url, w("fetched.bundle")])
        check("fetch 200", p.returncode == 0 and p.stdout.startswith("status 200 etag \""), p.stderr)
        etag = p.stdout.split("etag ", 1)[1].strip() if p.returncode == 0 else ""
        check("fetched bytes identical",
              os.path.exists(w("fetched.bundle")) and
              open(w("fetched.bundle"), "rb").read() == open(w("b2.bundle"), "rb").read())
        p = run([T, "fetch", url, w("unused.bundle"), "--etag", etag])
        check("fetch with If-None-Match: 304", p.stdout.startswith("status 304"), p.stdout + p.stderr)
        check("304 leaves the file alone", not os.path.exists(w("unused.bundle")))
        # no delay needed: `tsca bundle` writes through rename(2), a new inode the server sees
        p = run([T, "bundle", ca, w("b3.bundle")])
        p = run([T, "fetch", url, w("fetched3.bundle"), "--etag", etag])
        check("after a new bundle: 200 with a new ETag",
              p.stdout.startswith("status 200") and etag not in p.stdout, p.stdout + p.stderr)
        p = run([T, "show-bundle", w("fetched3.bundle"), "--root", root, "--min-sequence", "3"])
        check("fetched bundle 3 verifies", p.returncode == 0 and "sequence 3" in p.stdout, p.stderr)
        p = run([T, "fetch", "http://127.0.0.1:%s/nothing" % port, w("x")])
        check("unknown path: 404", p.returncode == 1 and "404" in p.stderr, p.stderr)
        import socket
        s = socket.create_connection(("127.0.0.1", int(port)))
        s.sendall(b"POST /bundle HTTP/1.1\r\nHost: x\r\n\r\n")
        resp = s.recv(4096).decode()
        s.close()
        check("POST: 405", resp.startswith("HTTP/1.1 405"), resp)
        s = socket.create_connection(("127.0.0.1", int(port)))
        s.sendall(b"garbage\r\n\r\n")
        resp = s.recv(4096).decode()
        s.close()
        # a request line without a method, target and version: no HTTP answer is possible
        # (libmicrohttpd closes the connection); anything else must be a 400
        check("garbage: closed or 400", resp == "" or resp.startswith("HTTP/1.1 400"), resp)
        s = socket.create_connection(("127.0.0.1", int(port)))
        s.sendall(b"GET /bundle HTTP/1.1\r\nHost x\r\n\r\n")
        resp = s.recv(4096).decode()
        s.close()
        check("malformed header line: 400", resp.startswith("HTTP/1.1 400"), resp)
        slow_clients(T, url, int(port), w)
        s = socket.create_connection(("127.0.0.1", int(port)))
        s.sendall(b"GET /bundle HTTP/1.1\r\n" + b"X: " + b"a" * 9000)
        resp = s.recv(4096).decode()
        s.close()
        check("oversized request: 431", resp.startswith("HTTP/1.1 431"), resp)
    finally:
        srv.terminate()
        srv.wait(timeout=10)

    # audit log: intact, then edited / deleted / reordered lines are found by number
    p = run([T, "audit", "verify", ca])
    check("audit verify: intact", p.returncode == 0 and "chain intact" in p.stdout, p.stderr)
    log = os.path.join(ca, "audit.log")
    orig = open(log).read()
    lines = orig.splitlines(True)
    check("audit log has one line per event", len(lines) >= 12, str(len(lines)))
    ed = list(lines)
    ed[3] = ed[3].replace("alice", "mallory") if "alice" in ed[3] else ed[3].replace('"n":4', '"n":4 ')
    open(log, "w").write("".join(ed))
    p = run([T, "audit", "verify", ca])
    check("audit: edited line 4 detected", p.returncode == 1 and "first bad line: 4" in p.stderr,
          p.stderr)
    ed = list(lines)
    del ed[5]
    open(log, "w").write("".join(ed))
    p = run([T, "audit", "verify", ca])
    check("audit: deleted line 6 detected", p.returncode == 1 and "first bad line: 6" in p.stderr,
          p.stderr)
    ed = list(lines)
    ed[6], ed[7] = ed[7], ed[6]
    open(log, "w").write("".join(ed))
    p = run([T, "audit", "verify", ca])
    check("audit: reordered lines 7/8 detected", p.returncode == 1 and "first bad line: 7" in p.stderr,
          p.stderr)
    open(log, "w").write("".join(lines[:-1]))
    p = run([T, "audit", "verify", ca])
    check("audit: last line cut off detected", p.returncode == 1 and "audit.head" in p.stderr, p.stderr)
    open(log, "w").write(orig)
    p = run([T, "audit", "verify", ca])
    check("audit: restored log verifies", p.returncode == 0, p.stderr)

    print("%d passed, %d failed" % (passes, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
