#!/usr/bin/env python3
"""End to end: calling-line authentication of ISUP calls between two operators' gateways
(docs/wire-format.md "CLI attestation"), as real processes over TCP on 127.0.0.1.

examples/trust/setup.sh makes a TSCA and two operators whose certificates carry their
telephone numbers (Albion Mobile 447924..., PC 1001; Safari Mobile 254722..., PC 2001).
Gateway A attests Albion's outbound IAMs ([cli] sign = members: DPC 2001 is Safari's);
gateway B verifies them ([cli] inbound = require). Albion's [home] msisdn_prefixes also
names 447925, which its certificate does not cover (a gateway attesting beyond its
certificate). An attacker holds a second outer link of B, spoofing Albion's point code.

  1. calls from Albion's exchange (ssgw peer --calls) to Safari's (ssgw peer --exchange):
     attested by A, verified and stripped by B, every IAM delivered byte-exact inside;
     ACM, ANM, REL, RLC flow both ways;
  2. calls whose calling number says "user provided, not verified": attested partial (B)
     by A, delivered with the screening indicator "verified and passed" (B marks levels
     full and partial) and nothing else changed;
  3. calls from 447925...: outcome number_not_authorised, released (REL back to Albion's
     exchange, which answers RLC; B absorbs it);
  4. on the attacker's link: an IAM forging Albion's number without attestation
     (missing), a replay of an attested IAM (replay), an attested IAM with its called
     number altered (bad_signature): each released with REL cause 21, the RLC absorbed;
  5. nothing of 3 and 4 reached Safari's network; no circuit state is left on B;
  6. `ssgw passport` prints the PASSporT of every attested IAM of A's outer capture and
     an independent JWS library (python3-jwt) verifies each with Albion's certified key.

Usage: test_cli_gateway.py --ssgw BIN --tsca BIN --source REPO --workdir DIR [--workers N]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import gwtest
from gwtest import (check, finish, free_port, gateway, invariant, kill_all, pcap_frames,
                    pcap_write, pd_of, records, start, status, stop, summary, text,
                    write_config)

HERE = os.path.dirname(os.path.abspath(__file__))


def isup_of(pd):
    return pd[12:]  # routing label (OPC, DPC, SI, NI, MP, SLS), then ISUP from its CIC


def data_records(path, direction, kind=None):
    return [r for r in records(path) if r.get("dir") == direction and r.get("msg") == "DATA"
            and (kind is None or r.get("isup") == kind)]


def wait_active(links, timeout=10):
    """Until each (status socket, link name) is ACTIVE (an event, not a delay)."""
    t_end = time.time() + timeout
    while time.time() < t_end:
        if all(l["asp_state"] == "active" for s, name in links for l in status(s)["links"]
               if l["name"] == name):
            return True
        time.sleep(0.02)
    return False


def wait_count(path, direction, kind, n, timeout=15):
    t_end = time.time() + timeout
    while time.time() < t_end:
        if len(data_records(path, direction, kind)) >= n:
            return True
        time.sleep(0.02)
    return False


def jwt_python():
    """An interpreter with PyJWT (Debian's python3-jwt): this one, else the system's."""
    for py in (sys.executable, "/usr/bin/python3"):
        if os.path.exists(py) and subprocess.run(
                [py, "-c", "import jwt, cryptography"], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL).returncode == 0:
            return py
    return None


def configure(tdir):
    a = os.path.join(tdir, "albion", "ssgw.conf")
    txt = open(a).read().replace("point_codes = [1001]\n",
                                 'point_codes = [1001]\nmsisdn_prefixes = ["447924", "447925"]\n',
                                 1)
    open(a, "w").write(txt + '\n[cli]\nsign = "members"\n')
    b = os.path.join(tdir, "safari", "ssgw.conf")
    open(b, "a").write('\n[cli]\ninbound = "require"\non_ok = "mark"\nmark_level = "partial"\n'
                       'release_cause = 21\n')
    return a, b


def tamper_called(isup):
    """The IAM with the last octet of its called party number's digits changed."""
    m = bytearray(isup)
    start = 8 + m[8]  # the called party number's pointer (Q.763 1.5): CIC 2, type 1, fixed 5
    ln = m[start]
    m[start + ln] ^= 0x11
    return bytes(m)


def with_cic(pd, cic):
    p = bytearray(pd)
    p[12], p[13] = cic & 0xff, cic >> 8
    p[11] = (p[11] & 0xf0) | (cic & 0x0f)  # SLS: the CIC's low bits
    return bytes(p)


def m3ua_data(pd, rc=None):
    body = b""
    if rc is not None:
        body += bytes([0, 0x06, 0, 8]) + rc.to_bytes(4, "big")
    ln = 4 + len(pd)
    pad = (4 - ln % 4) % 4
    body += bytes([0x02, 0x10]) + ln.to_bytes(2, "big") + pd + b"\0" * pad
    return bytes([1, 0, 1, 1]) + (8 + len(body)).to_bytes(4, "big") + body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--tsca", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--workers", type=int, default=0)
    a = ap.parse_args()
    gwtest.WORKERS = a.workers
    S = os.path.abspath(a.ssgw)
    work = os.path.abspath(a.workdir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    w = lambda *p: os.path.join(work, *p)  # noqa: E731
    try:
        tdir = w("trust")
        env = dict(os.environ, SSGW=S, TSCA=os.path.abspath(a.tsca), DEMO="0")
        p = subprocess.run(["sh", os.path.join(a.source, "examples", "trust", "setup.sh"), tdir],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                           timeout=120)
        check("trust set-up (examples/trust/setup.sh, --tn)", p.returncode == 0, p.stderr[-800:])
        if p.returncode:
            return summary()
        conf_a, conf_b = configure(tdir)
        for c in (conf_a, conf_b):
            r = subprocess.run([S, "check-config", c], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            check("check-config %s with [cli]" % os.path.basename(os.path.dirname(c)),
                  r.returncode == 0, r.stdout[-600:])
        a_in, b_in, b_out, b_rogue = free_port(), free_port(), free_port(), free_port()
        sa, sb = w("a.sock"), w("b.sock")
        cap_a = w("a-outer.pcap")
        cfg_a = write_config(os.path.join(tdir, "albion", "gw.toml"), [
            {"name": "core", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % a_in},
            {"name": "ipx", "side": "outer", "role": "asp", "connect": "127.0.0.1:%d" % b_out}],
            ['status_socket = "%s"' % sa, 'policy = "ssgw.conf"', 'events = "events.jsonl"',
             'capture = "%s"' % cap_a, "reconnect_ms = 100"])
        # B routes calls by DPC: Safari's exchange (PC 2001) on core, another (PC 2002) on
        # core2, which never comes up: a call for 2001 reaching core was routed by its DPC
        cfg_b = write_config(os.path.join(tdir, "safari", "gw.toml"), [
            {"name": "core", "side": "inner", "role": "sg", "listen": "127.0.0.1:%d" % b_in,
             "dpc": [2001]},
            {"name": "core2", "side": "inner", "role": "sg",
             "listen": "127.0.0.1:%d" % free_port(), "dpc": [2002]},
            {"name": "ipx", "side": "outer", "role": "sg", "listen": "127.0.0.1:%d" % b_out},
            {"name": "rogue", "side": "outer", "role": "sg",
             "listen": "127.0.0.1:%d" % b_rogue}],
            ['status_socket = "%s"' % sb, 'policy = "ssgw.conf"', 'events = "events.jsonl"'])
        gb = gateway(S, cfg_b, sb, w("gb.log"))
        ga = gateway(S, cfg_a, sa, w("ga.log"))
        check("both gateways start with [trust] and [cli]", ga.poll() is None and gb.poll() is None,
              text(w("ga.log"))[-600:] + text(w("gb.log"))[-600:])
        # Safari's exchange: terminates calls to 254722...
        rec_b = w("exch-b.jsonl")
        pb = start([S, "peer", "--connect", "127.0.0.1:%d" % b_in, "--exchange", "254722",
                    "--record", rec_b, "--duration", "60000"], w("exch-b.log"))
        check("links active", wait_active([(sa, "ipx"), (sb, "ipx"), (sb, "core")]),
              status(sa)["links"] + status(sb)["links"])

        def albion_calls(name, n, cic, calling, screening, expect):
            rec = w("exch-a-%s.jsonl" % name)
            pa = start([S, "peer", "--connect", "127.0.0.1:%d" % a_in, "--calls", str(n),
                        "--cic", str(cic), "--calling", calling, "--called", "254722000001",
                        "--screening", str(screening), "--opc", "1001", "--dpc", "2001",
                        "--expect", str(expect), "--record", rec, "--linger", "300",
                        "--duration", "30000"], w("exch-a-%s.log" % name))
            return finish(pa, 40), rec

        # 1. attested, verified, stripped: byte-exact inside
        N = 5
        rc, rec_a = albion_calls("ok", N, 1, "447924000010", 3, 3 * N)
        sent = [r["pd"] for r in data_records(rec_a, "tx", "iam")]
        wait_count(rec_b, "rx", "rel", N)
        got = [r["pd"] for r in data_records(rec_b, "rx", "iam")]
        check("1. %d calls attested by A, verified by B, routed by DPC, IAMs delivered byte-exact"
              % N,
              rc == 0 and len(sent) == N and sorted(sent) == sorted(got),
              (rc, len(sent), len(got), text(w("exch-a-ok.log"))[-300:]))
        kinds = [r.get("isup") for r in data_records(rec_a, "rx")]
        check("1. ACM, ANM and RLC came back for every call",
              kinds.count("acm") == N and kinds.count("anm") == N and kinds.count("rlc") == N,
              kinds)
        stb = status(sb)["pipeline"]
        check("1. B: cli ok %d, stripped %d; A: attested %d" % (N, N, N),
              stb["cli"]["outcomes"]["ok"] == N and stb["cli"]["stripped"] == N
              and status(sa)["pipeline"]["cli"]["signed"] == N, (stb.get("cli"),
                                                                 status(sa)["pipeline"].get("cli")))

        seq = {}
        for r in data_records(rec_b, "rx"):
            seq.setdefault(r["cic"], []).append(r["isup"])
        check("1. order kept per circuit: each call's IAM, then its REL",
              all(seq.get(c) == ["iam", "rel"] for c in range(1, N + 1)), seq)

        # 2. marked: only the screening indicator changed (00 -> 01)
        M = 3
        rc, rec_m = albion_calls("mark", M, 11, "447924000011", 0, 3 * M)
        wait_count(rec_b, "rx", "iam", N + M)
        sent = {r["cic"]: bytes.fromhex(r["pd"]) for r in data_records(rec_m, "tx", "iam")}
        got = {r["cic"]: bytes.fromhex(r["pd"]) for r in data_records(rec_b, "rx", "iam")
               if r["cic"] in sent}
        diffs = [[(x ^ y) for x, y in zip(sent[c], got.get(c, b"")) if x != y] for c in sent]
        check("2. calling number marked verified: one octet differs, by the screening bit",
              rc == 0 and len(got) == M and all(d == [1] for d in diffs)
              and all(r["calling_screening"] == 1 for r in data_records(rec_b, "rx", "iam")
                      if r["cic"] in sent), (rc, diffs))
        check("2. B counted %d marked" % M, status(sb)["pipeline"]["cli"]["marked"] == M)

        # 3. a calling number outside Albion's certificate: released back to Albion
        K = 2
        rc, rec_x = albion_calls("outside", K, 21, "447925000001", 3, K)
        rels = data_records(rec_x, "rx", "rel")
        rlcs = data_records(rec_x, "tx", "rlc")
        check("3. number outside the certificate: REL cause 21 back to the originator, RLC sent",
              rc == 0 and len(rels) == K and all(r.get("cause") == 21 for r in rels)
              and len(rlcs) == K, (rc, rels[:1]))

        # 4. the attacker on B's second outer link, spoofing Albion's point code
        frames = [bytes.fromhex(pd_of(m).hex()) for m in pcap_frames(cap_a)
                  if pd_of(m) and pd_of(m)[12 + 2] == 0x01]
        signed = [pd for pd in frames if len(pd) > 120]
        check("A's outer capture holds the attested IAMs", len(signed) >= N, len(signed))
        forged_rec = w("rogue-forged.jsonl")
        pr = start([S, "peer", "--connect", "127.0.0.1:%d" % b_rogue, "--calls", "1", "--cic",
                    "31", "--calling", "447924000099", "--called", "254722000001", "--opc",
                    "1001", "--dpc", "2001", "--expect", "1", "--record", forged_rec,
                    "--linger", "300", "--duration", "20000"], w("rogue-forged.log"))
        rc1 = finish(pr, 30)
        rogue = [m3ua_data(with_cic(signed[0], 41)),
                 m3ua_data(with_cic(signed[1][:12] + tamper_called(signed[1][12:]), 42))]
        pcap_write(w("rogue.pcap"), rogue)
        rogue_rec = w("rogue-replay.jsonl")
        pr = start([S, "peer", "--connect", "127.0.0.1:%d" % b_rogue, "--replay",
                    w("rogue.pcap"), "--exchange", "9", "--expect", "2", "--record", rogue_rec,
                    "--linger", "300", "--duration", "20000"], w("rogue-replay.log"))
        rc2 = finish(pr, 30)
        rels = data_records(forged_rec, "rx", "rel") + data_records(rogue_rec, "rx", "rel")
        check("4. forged, replayed and tampered IAMs each released with REL cause 21",
              rc1 == 0 and rc2 == 0 and len(rels) == 3 and all(r.get("cause") == 21
                                                                for r in rels),
              (rc1, rc2, rels, text(w("rogue-replay.log"))[-300:]))
        check("4. the attacker answered every REL with RLC",
              len(data_records(forged_rec, "tx", "rlc") + data_records(rogue_rec, "tx", "rlc"))
              == 3)

        # 5. nothing of it inside, every RLC absorbed, no circuit state left
        t_end = time.time() + 10
        while time.time() < t_end and status(sb)["pipeline"].get("rlc_absorbed", 0) < K + 3:
            time.sleep(0.02)
        stb = status(sb)
        pl = stb["pipeline"]
        outc = pl["cli"]["outcomes"]
        check("5. outcomes: number_not_authorised %d, missing 1, replay 1, bad_signature 1" % K,
              outc["number_not_authorised"] == K and outc["missing"] == 1 and outc["replay"] == 1
              and outc["bad_signature"] == 1, outc)
        check("5. %d calls released, %d RLCs absorbed, no circuit left" % (K + 3, K + 3),
              pl["calls_released"] == K + 3 and pl["rlc_absorbed"] == K + 3
              and pl["circuits"] == 0, {k: pl.get(k) for k in
                                        ("calls_released", "rlc_absorbed", "circuits")})
        iams_in = data_records(rec_b, "rx", "iam")
        check("5. Safari's network received only the %d legitimate calls" % (N + M),
              len(iams_in) == N + M and not [r for r in data_records(rec_b, "rx")
                                           if r["cic"] in (21, 22, 31, 41, 42)],
              [r["cic"] for r in iams_in])
        check("5. counts add up on both gateways", invariant(stb) and invariant(status(sa)))
        reasons = stb["counters"].get("reasons", {})
        check("5. B's reasons name each outcome and the absorbed RLCs",
              reasons.get("cli.number_not_authorised") == K and reasons.get("cli.missing") == 1
              and reasons.get("isup.rlc_absorbed") == K + 3, reasons)
        stop(ga)
        stop(gb)
        finish(pb, 5)
        ev = [e for e in records(os.path.join(tdir, "safari", "events.jsonl")) if e.get("cli")]
        rel_ev = [e for e in ev if e.get("released")]
        check("5. B's events: one per released call, outcome, check and REL answer",
              len(rel_ev) == K + 3 and all(e.get("answer") == "isup-rel:21" and
                                           e.get("check", "").startswith("cli.") for e in rel_ev),
              rel_ev[:2])

        # 6. the PASSporT of every attested IAM, verified by python3-jwt
        t = str(int(time.time()))
        p = subprocess.run([S, "passport", "--config", conf_b, "--all", "--json", "--time", t,
                            cap_a], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        pp = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
        ok = [r for r in pp if r.get("passport")]
        check("6. ssgw passport: a PASSporT for every verified IAM of A's capture, none for "
              "the numbers outside the certificate",
              p.returncode == 0 and len(ok) == N + M and all(r["cli"] == "ok" for r in ok)
              and len([r for r in pp if r.get("cli") == "number_not_authorised"]) == K,
              (p.returncode, p.stderr[-300:], len(ok)))
        py = jwt_python()
        check("6. python3-jwt available (deps/debian-packages.txt)", py is not None)
        if py and ok:
            # the key from the certificate with openssl: python3-cryptography 38 cannot parse
            # the certificate itself (its 2.25.<UUID> extension OID has a 128-bit arc)
            crt = os.path.join(tdir, "albion", "albion.crt")
            pub = w("albion-pub.pem")
            subprocess.run(["openssl", "x509", "-in", crt, "-pubkey", "-noout", "-out", pub],
                           check=True)
            items = [{"jws": r["passport"], "key": pub, "orig": r["calling_number"],
                      "dest": r["called_number"],
                      "attest": "A" if r["calling_number"] == "447924000010" else "B"}
                     for r in ok]
            v = subprocess.run([py, os.path.join(HERE, "jws_verify.py")],
                               input="".join(json.dumps(i) + "\n" for i in items),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            res = [json.loads(l) for l in v.stdout.splitlines() if l.strip()]
            check("6. every PASSporT verifies with python3-jwt (ES256, Albion's certificate; "
                  "ppt shaken, orig, dest, attest A or B as the screening said)",
                  v.returncode == 0 and len(res) == len(items) and all(r["ok"] for r in res),
                  (v.stderr[-300:], [r for r in res if not r["ok"]][:2]))
            bad = dict(items[0], jws=items[0]["jws"][:-4] + ("AAAA" if not
                                                               items[0]["jws"].endswith("AAAA")
                                                               else "BBBB"))
            v = subprocess.run([py, os.path.join(HERE, "jws_verify.py")],
                               input=json.dumps(bad) + "\n", stdout=subprocess.PIPE, text=True)
            check("6. ... and the same library refuses an altered signature",
                  v.stdout.strip() and not json.loads(v.stdout)["ok"], v.stdout)
    finally:
        kill_all()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
