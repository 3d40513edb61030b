#!/usr/bin/env python3
"""Offline analysis over the shared state store (include/ssgw/store_redis.h): the same
verdicts, message by message, whatever holds the state and however the work is cut.

The capture is the one of test_pipeline_identity.py: Albion's interconnect with the attack
catalogue, Safari's messages signed, some tampered with, some replayed; the policy is
examples/ssgw.conf with Albion's [trust] (examples/trust/setup.sh).

1. `ssgw analyze --json` with the embedded store is the reference.
2. --threads 2 (embedded), a standalone Redis (--state), --threads 2 over it, a Redis
   Cluster of 3 masters and 3 replicas (--state with two seed nodes), --threads 2 over it:
   each gives the reference's verdicts for every message (action, verdict, check, reason,
   trust outcome...). The cluster's keys spread over its three masters.
3. The capture cut in two files, analysed by two successive processes over Redis: the two
   outputs are the reference. The same cut with the embedded store is not (a check that
   this comparison can fail: the second half needs what the first learnt).
   The tokens' replay keys live the rest of the tokens' acceptance + [state] clock_skew
   (TTL read back), at most 2 x window + 1 + ttl_slack (clock_skew = 604800).
4. Batches: the summary of a Redis analysis reads every record in batches (prefetched,
   none read synchronously).
5. TLS and AUTH: a redis-server with TLS only and an ACL user; [state] url = rediss://,
   user, password_file (0600), tls_ca: the reference's verdicts. A password file readable
   by others is refused; a wrong password names AUTH.

Usage: test_state_redis.py --ssgw BIN --tsca BIN --source REPO --workdir DIR
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import gwtest
import redistest
import test_pipeline_identity as pid
from gwtest import check, pcap_write, summary

KEYS = pid.KEYS


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def analyze(a, policy, cap, *extra):
    p = run([a.ssgw, "analyze", "--config", policy, "--json"] + list(extra) + [cap], timeout=300)
    recs = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    return p, recs


def compare(name, ref, got):
    """Every message's verdict keys equal the reference's."""
    diff = []
    for i, (r, g) in enumerate(zip(ref, got)):
        dr, dg = {k: r.get(k) for k in KEYS}, {k: g.get(k) for k in KEYS}
        if dr != dg:
            diff.append((i + 1, {k: (dr[k], dg[k]) for k in KEYS if dr[k] != dg[k]}))
    check("%s: the reference's verdicts for all %d messages" % (name, len(ref)),
          len(got) == len(ref) and not diff, (len(got), len(ref), diff[:3]))
    return not diff and len(got) == len(ref)


def with_state(policy, out, lines):
    """The policy with [state] keys added (the file has a [state] section already or not)."""
    text = open(policy).read()
    if "\n[state]" in text:
        text = text.replace("\n[state]", "\n[state]\n" + "\n".join(lines), 1)
    else:
        text += "\n[state]\n" + "\n".join(lines) + "\n"
    with open(out, "w") as f:
        f.write(text)
    return out


def tls_material(work):
    """A CA and a server certificate for 127.0.0.1 (openssl CLI)."""
    d = os.path.join(work, "tls")
    os.makedirs(d, exist_ok=True)
    ca, ck, sc, sk = (os.path.join(d, n) for n in ("ca.crt", "ca.key", "srv.crt", "srv.key"))
    ext = os.path.join(d, "ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    for args in (["req", "-x509"] + ec + ["-keyout", ck, "-out", ca, "-subj", "/CN=test CA",
                                           "-days", "2"],
                 ["req"] + ec + ["-keyout", sk, "-out", sc + ".csr", "-subj", "/CN=127.0.0.1"],
                 ["x509", "-req", "-in", sc + ".csr", "-CA", ca, "-CAkey", ck, "-CAcreateserial",
                  "-out", sc, "-days", "2", "-extfile", ext]):
        p = run(["openssl"] + args)
        if p.returncode:
            raise RuntimeError("openssl " + " ".join(args) + ": " + p.stderr)
    return ca, sc, sk


def test_tls_auth(a, work, policy, cap, ref):
    ca, sc, sk = tls_material(work)
    r = redistest.Redis(work, "redis-tls")
    port = redistest.free_ports(1)[0]
    r.start_node(0, "--tls-port", str(port), "--tls-cert-file", sc, "--tls-key-file", sk,
                 "--tls-ca-cert-file", ca, "--tls-auth-clients", "no",
                 "--user", "ssgw", "on", ">s3cret-pass", "~ssgw:*", "+@all",
                 "--user", "default", "off",
                 listen=port)
    pw = os.path.join(work, "redis.pass")
    with open(pw, "w") as f:
        f.write("s3cret-pass\n")
    os.chmod(pw, 0o600)
    tls_policy = with_state(policy, os.path.join(work, "albion-tls.conf"), [
        'backend = "redis"', 'url = "rediss://127.0.0.1:%d"' % port, 'user = "ssgw"',
        'password_file = "%s"' % pw, 'tls_ca = "%s"' % ca])
    p, got = analyze(a, tls_policy, cap)
    check("TLS + ACL user: analyze runs", p.returncode == 0, p.stderr[-600:])
    compare("TLS + ACL user ([state] rediss://, user, password_file, tls_ca)", ref, got)
    os.chmod(pw, 0o644)
    p, _ = analyze(a, tls_policy, cap)
    check("a password file readable by others is refused",
          p.returncode == 1 and "chmod 600" in p.stderr, p.stderr[-400:])
    with open(pw, "w") as f:
        f.write("wrong\n")
    os.chmod(pw, 0o600)
    p, _ = analyze(a, tls_policy, cap)
    check("a wrong password is refused, naming AUTH", p.returncode == 1 and "AUTH" in p.stderr,
          p.stderr[-400:])
    r.stop()


def replay_ttls(a, sa, policy, cap, work, made, last, ran):
    """The tokens' replay keys live as long as the tokens could be accepted ([trust] window =
    3600): the rest of the window + 1 + [state] clock_skew (5), never the former 2 x window +
    1 + ttl_slack (7801); a huge clock_skew is capped at that bound. The tokens were made
    from `made` (wall clock) and the last message's time is `last`, so a key is written with
    3606 - (last - made) - 1 .. 3606 s, and has lost at most the time since the analysis
    started (`ran`) when read."""
    def ttls():
        keys = sa.cli(sa.port, "--scan", "--pattern", "ssgw:r{*").split()
        return [int(sa.cli(sa.port, "ttl", k)) for k in keys], time.time()
    got, r1 = ttls()
    lo = 3606 - (last - made) - (r1 - ran) - 2  # token times are whole seconds; TTL rounds
    check("replay keys: %d, TTL %s .. %s s (the window's rest + 1 + clock_skew 5: %.0f .. 3606)"
          % (len(got), min(got or [0]), max(got or [0]), lo),
          len(got) > 10 and all(lo <= t <= 3606 for t in got), sorted(got)[:3] + sorted(got)[-3:])
    sa.cli(sa.port, "flushall")
    wide = with_state(policy, os.path.join(work, "albion-skew.conf"), ["clock_skew = 604800"])
    ran = time.time()
    p, _ = analyze(a, wide, cap, "--state", sa.url)
    got, r1 = ttls()
    lo = 7801 - (r1 - ran) - 1
    check("clock_skew 604800: every replay key capped at 2 x window + 1 + ttl_slack (%d keys, "
          "TTL %s .. %s s, %.0f .. 7801)" % (len(got), min(got or [0]), max(got or [0]), lo),
          p.returncode == 0 and len(got) > 10 and all(lo <= t <= 7801 for t in got),
          p.stderr[-300:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--tsca", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--count", type=int, default=1500)
    # a seed whose capture has every kind of shared state the test needs (below: an SRI-SM
    # flood, velocity, mt-forwardSM without SRI-SM, foreign dialogues, replays)
    ap.add_argument("--seed", type=int, default=50)
    a = ap.parse_args()
    a.ssgw, a.tsca, a.source = map(os.path.abspath, (a.ssgw, a.tsca, a.source))
    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    tdir = os.path.join(work, "trust")
    env = dict(os.environ, SSGW=a.ssgw, TSCA=a.tsca, DEMO="0")
    servers = []
    try:
        p = run(["sh", os.path.join(a.source, "examples", "trust", "setup.sh"), tdir], env=env,
                timeout=120)
        check("trust set-up (examples/trust/setup.sh)", p.returncode == 0, p.stderr[-1500:])
        if p.returncode:
            return summary()
        policy = os.path.join(work, "albion.conf")
        pid.make_policy(a.source, tdir, policy)
        made = time.time()  # the tokens are made from here on
        frames = pid.make_capture(a, work, tdir)
        # the certificates are valid now and the tokens were made now: the clock starts now
        t0 = int(time.time() * 1000)
        times = [t0 + 20 * i for i in range(len(frames))]
        cap = os.path.join(work, "capture.pcap")
        pcap_write(cap, frames, times)

        p, ref = analyze(a, policy, cap)
        ref_text = p.stdout
        check("reference: embedded store", p.returncode == 0 and len(ref) == len(frames),
              p.stderr[-600:])
        # an incident id is the firewall's (a blocked subscriber); a message the trust stage
        # dropped before the firewall has none (it once kept the previous message's)
        stale = [e.get("frame") for e in ref
                 if str(e.get("check", "")).startswith("trust.") and "incident" in e]
        check("trust drops carry no incident id", not stale, stale[:5])
        mix = {}
        for e in ref:
            for key in ("trust:" + str(e.get("trust")), "check:" + str(e.get("check"))):
                mix[key] = mix.get(key, 0) + 1
        # dialogue state: a Continue/End/Abort naming no dialogue, or naming one of another
        # peer's (both read the dialogue records; which of them the generator's mix has
        # depends on the size of its attack catalogue)
        need = ("trust:replay", "check:tcap.unknown_dialogue|check:tcap.dialogue_peer_mismatch",
                "check:cat3.velocity", "check:sms.mt_fsm_no_sri", "check:sms.sri_sm_rate")
        seen = {k: sum(mix.get(x, 0) for x in k.split("|")) for k in need}
        check("the capture exercises shared state (%s)" % ", ".join(need),
              all(seen.values()), seen)

        for t in ("2", "3"):
            p, got = analyze(a, policy, cap, "--threads", t)
            compare("embedded, --threads " + t, ref, got)
            # trust drops, stripping, signing: one thread's records, byte for byte
            check("embedded, --threads %s: the same bytes as one thread" % t,
                  p.stdout == ref_text, (len(p.stdout), len(ref_text)))

        sa = redistest.Standalone(work)
        servers.append(sa)
        ran = time.time()
        p, got = analyze(a, policy, cap, "--state", sa.url)
        check("redis: analyze runs", p.returncode == 0, p.stderr[-600:])
        compare("standalone Redis", ref, got)
        keys = int(sa.cli(sa.port, "dbsize") or 0)
        check("the state is in Redis (%d keys)" % keys, keys > 100)
        replay_ttls(a, sa, policy, cap, work, made, times[-1] / 1000.0, ran)
        sa.cli(sa.port, "flushall")
        p, got = analyze(a, policy, cap, "--state", sa.url, "--threads", "2")
        compare("standalone Redis, --threads 2", ref, got)

        # batches: every record of a batch in one round trip. A batch whose replies take
        # longer than [state] timeout_ms (200 ms) counts Redis as unreachable and reads one by
        # one; a loaded machine can take that long, and this check is about batching, not the
        # timeout, so it waits up to 10 s (the timeout only guards against a hung Redis)
        sa.cli(sa.port, "flushall")
        patient = with_state(policy, os.path.join(work, "albion-patient.conf"),
                             ["timeout_ms = 10000"])
        p = run([a.ssgw, "analyze", "--config", patient, "--state", sa.url, cap])
        line = [l for l in p.stdout.splitlines() if l.startswith("state (")]
        check("summary: the state line", line, p.stdout[-500:])
        if line:
            w = line[0].replace(",", "").split()
            rt, pre, sync, rp = (int(w[w.index(x) - 1]) for x in ("round", "records", "read",
                                                                  "replay"))
            # the process's own replay cache answers first: a replay it saw itself, or a
            # token it refuses (replay_full), never costs a round trip
            tokens = sum(1 for e in ref if e.get("trust") == "ok")
            check("batches: %d records prefetched in %d round trips, %d read one by one, one "
                  "replay check per token its own cache recorded (%d)" % (pre, rt, sync, rp),
                  pre > 500 and sync == 0 and rp == tokens and rt - rp < len(frames) / 20,
                  (line[0], tokens))

        # the capture cut in two, two processes one after the other
        k = len(frames) // 2
        c1, c2 = os.path.join(work, "part1.pcap"), os.path.join(work, "part2.pcap")
        pcap_write(c1, frames[:k], times[:k])
        pcap_write(c2, frames[k:], times[k:])
        sa.cli(sa.port, "flushall")
        p1, g1 = analyze(a, policy, c1, "--state", sa.url)
        p2, g2 = analyze(a, policy, c2, "--state", sa.url)
        check("two successive processes run", p1.returncode == 0 and p2.returncode == 0,
              p1.stderr[-300:] + p2.stderr[-300:])
        compare("two files, two processes over Redis", ref, g1 + g2)
        _, e1 = analyze(a, policy, c1)
        _, e2 = analyze(a, policy, c2)
        diff = sum(1 for r, g in zip(ref, e1 + e2) if any(r.get(x) != g.get(x) for x in KEYS))
        check("without a shared store the cut changes %d verdicts (the comparison can fail)"
              % diff, diff > 0)

        cl = redistest.Cluster(work)
        servers.append(cl)
        p, got = analyze(a, policy, cap, "--state", cl.url)
        check("cluster: analyze runs", p.returncode == 0, p.stderr[-600:])
        compare("Redis Cluster (3 masters, 3 replicas)", ref, got)
        per = {m: int(cl.cli(m, "dbsize") or 0) for m in cl.masters()}
        check("the keys spread over the 3 masters %s" % per,
              len(per) == 3 and all(v > 20 for v in per.values()), per)
        for m in cl.masters():
            cl.cli(m, "flushall")
        p, got = analyze(a, policy, cap, "--state", cl.url, "--threads", "2")
        compare("Redis Cluster, --threads 2", ref, got)

        test_tls_auth(a, work, policy, cap, ref)
    finally:
        for s in servers:
            s.stop()
        gwtest.kill_all()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
