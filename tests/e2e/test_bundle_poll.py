#!/usr/bin/env python3
"""End-to-end test of the gateway's trust bundle poller ([trust] bundle_url, bundle_poll):
real processes on 127.0.0.1, no SIGHUP anywhere.

examples/trust/setup.sh makes a TSCA and two operators (Albion = A, Safari = B). `tsca
serve` publishes a bundle file with its ETag. Gateway B polls it (SSGW_BUNDLE_POLL_MS=300,
the testing knob); gateway A signs. Then:
  1. the served bundle is the one B has: polls end as not modified (304 after the first);
     A's messages reach B's network (trust ok);
  2. the TSCA revokes A and issues bundle 2, served: within a few polls B writes it over
     its bundle file and reloads (status: bundle_sequence 2, reloads 1) and A's messages
     are dropped as trust.revoked;
  3. a bundle 3 with its signed content altered (signature no longer verifies), an older
     bundle (sequence 1, properly signed) and bytes that are no bundle at all are served
     in turn: each is refused and counted (refused_signature / refused_older /
     refused_malformed), logged once however many polls see it, and B keeps bundle 2
     (its file unchanged, revocations still enforced);
  4. the server stops: fetch failures are counted, B keeps running and answering status;
  5. SIGTERM during a long wait between polls stops a gateway at once (the poller thread
     is woken, not waited for).

Usage: test_bundle_poll.py --ssgw BIN --tsca BIN --source REPO --workdir DIR
"""
import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from gwtest import (check, finish, free_port, kill_all, records, start, status, status_answers,
                    stop, summary, text)

POLL_MS = 300


def write_config(path, links, extra):
    lines = ["[gateway]"] + extra
    for l in links:
        lines += ["", "[[link]]"]
        for k, v in l.items():
            lines.append("%s = %s" % (k, json.dumps(v) if isinstance(v, (str, list)) else v))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def gateway(ssgw, cfg, sock, log, env=None):
    if os.path.exists(sock):
        os.unlink(sock)
    g = start([ssgw, "run", "--config", cfg], log, env=env)
    g.sock = sock
    for _ in range(200):
        if status_answers(sock) or g.poll() is not None:
            break
        time.sleep(0.05)
    return g


def wait_for(pred, timeout):
    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            if pred():
                return True
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.05)
    return False


def publish(path, data):
    """What the TSCA operator does: the served file replaced in one step."""
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def tamper_content(pem):
    """The bundle's signed content changed inside a well-formed CMS structure: the
    'sequence N' line becomes 'sequence 9' (same length), so the DER still parses but
    the message digest, hence the signature, no longer verifies."""
    lines = pem.decode().strip().split("\n")
    der = bytearray(base64.b64decode("".join(lines[1:-1])))
    i = der.find(b"\nsequence 3\n")
    assert i >= 0, "sequence line not found in the DER"
    der[i + 10] = ord("9")
    b64 = base64.b64encode(bytes(der)).decode()
    body = "\n".join(b64[k:k + 64] for k in range(0, len(b64), 64))
    return ("-----BEGIN CMS-----\n%s\n-----END CMS-----\n" % body).encode()


def judged(sb):
    """How many messages B's trust layer has judged so far (every outcome)."""
    return sum(status(sb)["pipeline"]["trust_outcomes"].values())


def traffic(a, work, tag, a_in, b_in, sb, n, delivered):
    """A's inner peer sends n updateLocation to B's HLR (254722...); returns the DATA B's
    inner peer received. B's peer stops on events, not on a timer: when the n messages
    arrived (delivered) or, when they are to be refused, once B's trust layer has judged
    all n (its records are written line by line, so stopping it then loses nothing)."""
    rec_b = os.path.join(work, "%s-b.jsonl" % tag)
    base = judged(sb)
    pb = start([a.ssgw, "peer", "--connect", "127.0.0.1:%d" % b_in, "--hlr", "254722",
                "--record", rec_b, "--linger", "1000", "--duration", "20000"]
               + (["--expect", str(n)] if delivered else []),
               os.path.join(work, "%s-b.log" % tag))
    wait_for(lambda: status(sb)["links"][0]["asp_state"] == "active", 10)
    pa = start([a.ssgw, "peer", "--connect", "127.0.0.1:%d" % a_in, "--send", "updateLocation",
                "--count", str(n), "--from", "447924000010", "--to", "254722000001",
                "--called-ssn", "6", "--calling-ssn", "7", "--imsi", "639020000000001",
                "--opc", "1001", "--dpc", "2001", "--record",
                os.path.join(work, "%s-a.jsonl" % tag), "--linger", "1000",
                "--duration", "6000"], os.path.join(work, "%s-a.log" % tag))
    finish(pa, 20)
    if not delivered:
        wait_for(lambda: judged(sb) >= base + n, 20)
        pb.send_signal(signal.SIGTERM)
    finish(pb, 20)
    return [r for r in records(rec_b) if r.get("dir") == "rx" and r.get("msg") == "DATA"]


def log_lines(g, what):
    return [l for l in text(g.logfile).splitlines() if "bundle poll" in l and what in l]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--tsca", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    a.ssgw, a.tsca = os.path.abspath(a.ssgw), os.path.abspath(a.tsca)
    a.source = os.path.abspath(a.source)
    os.makedirs(a.workdir, exist_ok=True)
    work = os.path.abspath(a.workdir)
    try:
        run(a, work)
    finally:
        kill_all()
    return summary()


def run(a, work):
    t0 = time.time()
    tdir = os.path.join(work, "trust")
    shutil.rmtree(tdir, ignore_errors=True)
    env = dict(os.environ, SSGW=a.ssgw, TSCA=a.tsca, DEMO="0")
    p = subprocess.run(["sh", os.path.join(a.source, "examples", "trust", "setup.sh"), tdir],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                       timeout=120)
    check("trust set-up (examples/trust/setup.sh)", p.returncode == 0, p.stderr[-1500:])
    if p.returncode:
        return
    ca = os.path.join(tdir, "ca")
    b1 = open(os.path.join(tdir, "trust.bundle"), "rb").read()

    # the TSCA publishes bundle 1 (tsca serve FILE: re-read whenever the file changes)
    served = os.path.join(tdir, "served.bundle")
    publish(served, b1)
    srv = subprocess.Popen([a.tsca, "serve", served, "--listen", "127.0.0.1:0"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = srv.stdout.readline()
    check("tsca serve listening", line.startswith("listening on 127.0.0.1:"), line)
    url = "http://127.0.0.1:%s/bundle" % line.strip().rsplit(":", 1)[-1]

    # B: its own copy of the bundle, polled from the TSCA
    b_bundle = os.path.join(tdir, "safari", "trust.bundle")
    with open(b_bundle, "wb") as f:
        f.write(b1)
    conf_b = os.path.join(tdir, "safari", "ssgw.conf")
    pol = open(conf_b).read()
    check("safari policy has the bundle line", 'bundle = "../trust.bundle"' in pol)
    with open(conf_b, "w") as f:
        f.write(pol.replace('bundle = "../trust.bundle"',
                            'bundle = "trust.bundle"\nbundle_url = "%s"\nbundle_poll = 10' % url))

    a_in, b_in, b_out = free_port(), free_port(), free_port()
    sa, sb = os.path.join(work, "pa.sock"), os.path.join(work, "pb.sock")
    cfg_a = write_config(os.path.join(tdir, "albion", "gw.toml"), [
        {"name": "core", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % a_in},
        {"name": "ipx", "side": "outer", "role": "asp", "connect": "127.0.0.1:%d" % b_out}],
        ['status_socket = "%s"' % sa, 'policy = "ssgw.conf"', "reconnect_ms = 100"])
    cfg_b = write_config(os.path.join(tdir, "safari", "gw.toml"), [
        {"name": "core", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % b_in},
        {"name": "ipx", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % b_out}],
        ['status_socket = "%s"' % sb, 'policy = "ssgw.conf"'])
    genv = dict(os.environ, SSGW_BUNDLE_POLL_MS=str(POLL_MS))
    gb = gateway(a.ssgw, cfg_b, sb, os.path.join(work, "pb-gw.log"), env=genv)
    ga = gateway(a.ssgw, cfg_a, sa, os.path.join(work, "pa-gw.log"))
    check("both gateways start", ga.poll() is None and gb.poll() is None,
          text(ga.logfile)[-800:] + text(gb.logfile)[-800:])
    check("A links to B", wait_for(lambda: status(sa)["links"][1]["asp_state"] == "active", 10))

    def bp():
        return status(sb).get("bundle_poll", {})

    # 1. the bundle in use is served: not modified (ETag remembered, then 304s)
    check("1: B polls (status bundle_poll, interval from SSGW_BUNDLE_POLL_MS)",
          wait_for(lambda: bp().get("not_modified", 0) >= 3, 10)
          and bp().get("interval_ms") == POLL_MS and bp().get("url") == url, bp())
    st = status(sb)
    check("1: sequence 1 in use, nothing updated or refused, ETag kept",
          st["bundle_poll"]["sequence"] == 1 and st["pipeline"]["bundle_sequence"] == 1
          and st["bundle_poll"]["updated"] == 0 and st["bundle_poll"]["refused"] == 0
          and st["bundle_poll"]["fetch_failed"] == 0
          and st["bundle_poll"]["etag"].startswith('"'), st.get("bundle_poll"))
    check("1: 'not modified' logged once", len(log_lines(gb, "not_modified")) == 1,
          log_lines(gb, ""))
    N = 5
    got = traffic(a, work, "r1", a_in, b_in, sb, N, True)
    pl = status(sb)["pipeline"]
    check("1: A's signed messages reach B's network (trust ok)",
          len(got) == N and pl["trust_outcomes"]["ok"] == N, (len(got), pl["trust_outcomes"]))

    # 2. the TSCA revokes A and publishes bundle 2; no SIGHUP
    p = subprocess.run(["openssl", "x509", "-in", os.path.join(tdir, "albion", "albion.crt"),
                        "-noout", "-serial"], stdout=subprocess.PIPE, text=True)
    serial = p.stdout.strip().split("=")[-1].lower()
    p = subprocess.run([a.tsca, "revoke", ca, serial, "--reason", "keyCompromise"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check("2: tsca revoke A", p.returncode == 0, p.stderr)
    b2_path = os.path.join(tdir, "b2.bundle")
    p = subprocess.run([a.tsca, "bundle", ca, b2_path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    check("2: tsca bundle (sequence 2)", p.returncode == 0, p.stderr)
    b2 = open(b2_path, "rb").read()
    t_pub = time.time()
    publish(served, b2)
    ok = wait_for(lambda: status(sb)["pipeline"]["bundle_sequence"] == 2, 10 * POLL_MS / 1000)
    dt = time.time() - t_pub
    st = status(sb)
    check("2: B takes bundle 2 within a few polls, without SIGHUP (%.2f s)" % dt,
          ok and st["bundle_poll"]["sequence"] == 2 and st["bundle_poll"]["updated"] == 1
          and st["counters"]["reloads"] == 1 and st["counters"]["reload_failures"] == 0
          and st["pipeline"]["policy_reloads"] == 1, (st.get("bundle_poll"), st["counters"]))
    check("2: B's bundle file replaced by bundle 2 (byte-exact, no temporary file left)",
          open(b_bundle, "rb").read() == b2
          and not os.path.exists(b_bundle + ".poll-tmp"))
    check("2: logged: updated to sequence 2, reloaded",
          len(log_lines(gb, "updated: sequence 2")) == 1
          and "new trust bundle: configuration reloaded" in text(gb.logfile),
          text(gb.logfile)[-1500:])
    nm = st["bundle_poll"]["not_modified"]
    check("2: the next polls are 304 (not modified)",
          wait_for(lambda: bp()["not_modified"] >= nm + 2, 5) and bp()["updated"] == 1, bp())
    got = traffic(a, work, "r2", a_in, b_in, sb, N, False)
    st = status(sb)
    check("2: A's messages now dropped as trust.revoked, none reach B's network",
          not got and st["pipeline"]["trust_outcomes"]["revoked"] == N
          and st["counters"]["reasons"].get("trust.revoked") == N,
          (len(got), st["pipeline"]["trust_outcomes"], st["counters"].get("reasons")))

    # 3. refusals: altered content, older sequence, not a bundle
    p = subprocess.run([a.tsca, "bundle", ca, os.path.join(tdir, "b3.bundle")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    b3 = open(os.path.join(tdir, "b3.bundle"), "rb").read()
    cases = [("refused_signature", tamper_content(b3), "bundle 3 with altered content"),
             ("refused_older", b1, "bundle 1 (older, properly signed)"),
             ("refused_malformed", b"this is not a bundle\n", "not a bundle")]
    for key, data, what in cases:
        before = bp()
        publish(served, data)
        ok = wait_for(lambda: bp()[key] >= before[key] + 3, 20 * POLL_MS / 1000)
        st = status(sb)
        check("3: %s: refused and counted as %s, repeatedly" % (what, key),
              ok and st["bundle_poll"]["updated"] == 1
              and st["bundle_poll"]["refused"] >= before["refused"] + 3
              and st["bundle_poll"]["last_outcome"] == key
              and st["bundle_poll"]["last_error"], st.get("bundle_poll"))
        check("3: %s: logged once" % what, len(log_lines(gb, key)) == 1,
              log_lines(gb, key))
        check("3: %s: bundle 2 stays in use, its file unchanged" % what,
              st["pipeline"]["bundle_sequence"] == 2 and st["bundle_poll"]["sequence"] == 2
              and st["counters"]["reloads"] == 1 and open(b_bundle, "rb").read() == b2,
              (st["pipeline"]["bundle_sequence"], st["counters"]["reloads"]))
    check("3: the log names the reasons",
          "signature does not verify" in text(gb.logfile)
          and "sequence 1 is not newer than the current 2" in text(gb.logfile)
          and "no PEM CMS structure" in text(gb.logfile), text(gb.logfile)[-2000:])
    got = traffic(a, work, "r3", a_in, b_in, sb, 2, False)
    check("3: revocation still enforced after the refusals", not got
          and status(sb)["pipeline"]["trust_outcomes"]["revoked"] == N + 2)

    # 4. the server goes away
    srv.send_signal(signal.SIGTERM)
    srv.wait(10)
    before = bp()
    ok = wait_for(lambda: bp()["fetch_failed"] >= before["fetch_failed"] + 3, 20 * POLL_MS / 1000)
    st = status(sb)
    check("4: server down: fetch failures counted, gateway running, bundle 2 kept",
          ok and gb.poll() is None and st["bundle_poll"]["last_outcome"] == "fetch_failed"
          and "connect" in st["bundle_poll"]["last_error"]
          and st["pipeline"]["bundle_sequence"] == 2, st.get("bundle_poll"))
    # a poll in flight when the server stopped may have failed otherwise first (the
    # connection closed before the answer: "malformed HTTP response"), logged as its own
    # line; the refused connections that follow, however many, are one line
    failed = log_lines(gb, "fetch_failed")
    refused = [x for x in failed if "Connection refused" in x]
    check("4: fetch failure logged once", len(refused) == 1 and len(failed) <= 2
          and failed[-1] == refused[0], failed)
    check("4: counts add up (polls = sum of outcomes)",
          st["bundle_poll"]["polls"] == sum(st["bundle_poll"][k] for k in (
              "not_modified", "updated", "fetch_failed", "refused", "write_failed")),
          st["bundle_poll"])
    stop(ga)
    t_stop = time.time()
    rc = stop(gb)
    check("B stops gracefully, final status has bundle_poll",
          rc == 0 and time.time() - t_stop < 5 and '"bundle_poll"' in text(gb.logfile),
          text(gb.logfile)[-800:])

    # 5. SIGTERM while the poller waits a long interval (60 s): prompt exit
    c_in, c_out = free_port(), free_port()
    sc = os.path.join(work, "pc.sock")
    cfg_c = write_config(os.path.join(tdir, "safari", "gw-c.toml"), [
        {"name": "core", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % c_in},
        {"name": "ipx", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % c_out}],
        ['status_socket = "%s"' % sc, 'policy = "ssgw.conf"'])
    gc = gateway(a.ssgw, cfg_c, sc, os.path.join(work, "pc-gw.log"),
                 env=dict(os.environ, SSGW_BUNDLE_POLL_MS="60000"))
    ok = wait_for(lambda: status(sc)["bundle_poll"]["polls"] == 1, 10)
    check("5: first poll at start-up, then a 60 s wait",
          ok and status(sc)["bundle_poll"]["interval_ms"] == 60000, text(gc.logfile)[-800:])
    t_stop = time.time()  # the first poll is done: the thread is in its 60 s wait
    rc = stop(gc)
    check("5: SIGTERM mid-wait: exit 0 within 2 s (%.2f s)" % (time.time() - t_stop),
          rc == 0 and time.time() - t_stop < 2, text(gc.logfile)[-800:])
    check("bounded in time (%.1f s)" % (time.time() - t0), time.time() - t0 < 200)


if __name__ == "__main__":
    sys.exit(main())
