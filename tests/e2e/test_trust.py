#!/usr/bin/env python3
"""End-to-end test of the security token with the real programs (issue 4).

examples/trust/setup.sh builds a TSCA, enrols Albion Mobile (A) and Safari Mobile (B)
and writes their gateway configurations; then: A signs, B verifies (every message A
signed is ok, signer and serial named); tshark decodes the signed capture without
malformed/expert errors; tampering each field (calling GT, a TCAP byte, time, key id,
signature) gives its outcome; a GT outside A's certificate -> gt_not_authorised; a
replay -> replay; --time in the past -> stale; a revoked and an expired certificate;
an unknown signer; an older bundle refused at load; byte-exact restoration after
stripping for every message of an `ssgw generate` corpus.
Usage: test_trust.py --ssgw BIN --tsca BIN --source DIR --workdir DIR
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import time

failures = 0


def check(name, cond, detail=""):
    global failures
    print(("ok   " if cond else "FAIL ") + name + ("" if cond or not detail else ": " + str(detail)[:600]))
    if not cond:
        failures += 1


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=120, **kw)


def main():
    ap = argparse.ArgumentParser()
    for k in ("ssgw", "tsca", "source", "workdir"):
        ap.add_argument("--" + k, required=True)
    a = ap.parse_args()
    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    sys.path.insert(0, os.path.join(a.source, "examples", "trust"))
    import pcaptool
    S, T, W = a.ssgw, a.tsca, a.workdir
    d = os.path.join(W, "demo")
    env = dict(os.environ, SSGW=S, TSCA=T, DEMO="0")
    t0 = time.time()
    p = run(["sh", os.path.join(a.source, "examples/trust/setup.sh"), d], env=env)
    check("setup.sh", p.returncode == 0, p.stderr + p.stdout)
    if p.returncode != 0:
        return 1
    A, B = os.path.join(d, "albion/ssgw.conf"), os.path.join(d, "safari/ssgw.conf")
    f = lambda n: os.path.join(W, n)

    def verify(pcap, conf=B, extra=(), all_directions=True):
        # --all: judge every message whatever its direction (the tamper tests need that)
        opts = ["--all"] if all_directions else []
        p = run([S, "verify", "--config", conf, "--json"] + opts + list(extra) + [pcap])
        recs = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
        return p, [r for r in recs if "trust" in r]

    def signed_recs(recs):
        return [r for r in recs if r.get("calling_gt", "").startswith("447924")
                and r.get("called_gt", "").startswith("254722")]

    # traffic: A -> B only counts; A signs as members
    run([S, "attack", "--count", "300", "--attack-ratio", "0", "--labels", "-", "-q", f("t.pcap")])
    p = run([S, "sign", "--config", A, f("t.pcap"), f("s.pcap")])
    check("sign", p.returncode == 0 and "signed" in p.stderr, p.stderr)
    p, recs = verify(f("s.pcap"))
    sr = signed_recs(recs)
    check("verify: A->B messages found", len(sr) > 10, len(sr))
    bad = [r for r in sr if r["trust"] != "ok"]
    check("verify: every A->B message ok", not bad, bad[:2])
    seg = [r for r in sr if r.get("reassembly") == "complete"]
    check("verify: signed messages sent as XUDT segments are reassembled and ok",
          seg and all(r["trust"] == "ok" for r in seg), [(r.get("frame"), r.get("trust")) for r in seg[:3]])
    check("verify: signer and serial named",
          all(r.get("signer") == "Albion Mobile" and len(r.get("signer_serial", "")) >= 16 for r in sr))
    check("verify: unsigned traffic is missing -> drop",
          all(r["trust_action"] == "drop" for r in recs if r["trust"] == "missing"))
    # Without --all, B judges only what reaches it from the interconnect: messages for
    # its own GTs from other networks; A's traffic to other partners is not B's business.
    p, recs = verify(f("s.pcap"), all_directions=False)
    check("verify: by default only messages for B are judged",
          recs and all(r.get("called_gt", "").startswith("254722") and
                       not r.get("calling_gt", "").startswith("254722") for r in recs),
          [(r.get("calling_gt"), r.get("called_gt")) for r in recs[:3]])
    check("verify: every A->B message judged and ok by default",
          len(signed_recs(recs)) == len(sr) and all(r["trust"] == "ok" for r in signed_recs(recs)))
    check("verify: others reported as not inbound", "not inbound for us" in p.stderr, p.stderr[-300:])

    # tshark
    if shutil.which("tshark"):
        p = run(["tshark", "-r", f("s.pcap"), "-z", "expert,warn", "-q"])
        txt = p.stdout + p.stderr
        check("tshark: signed capture without malformed/expert warnings",
              p.returncode == 0 and "Malformed" not in txt and "Warning" not in txt.replace("Warnings", ""), txt[-800:])

    # tampering
    expect = {"signature": "bad_signature", "time": "bad_signature", "key-id": "unknown_key",
              "calling-gt": "bad_signature", "tcap": "bad_signature", "nonce": "bad_signature",
              # token version 2 binds the destination (review rev21 F4)
              "called-gt": "bad_signature", "called-ssn": "bad_signature",
              "calling-ssn": "bad_signature"}
    for field, outcome in expect.items():
        h, e, rs = pcaptool.read_pcap(f("s.pcap"))
        n = sum(1 for r in rs if pcaptool.tamper(r[2], field))
        pcaptool.write_pcap(f("x.pcap"), h, e, rs)
        _, recs = verify(f("x.pcap"))
        got = {}
        for r in recs:
            if r.get("token_bytes"):
                got[r["trust"]] = got.get(r["trust"], 0) + 1
        check("tamper %s -> %s" % (field, outcome), n > 0 and set(got) == {outcome}, got)
    # every TCAP byte of one message (outside the token): never ok
    h, e, rs = pcaptool.read_pcap(f("s.pcap"))
    def whole(fr):  # a UDT, or an XUDT without optional parameters (not a segment)
        sp, pp = pcaptool.sccp_span(fr), pcaptool.sccp_parts(fr)
        return pp and (pp["type"] == 0x09 or fr[sp[0] + 6] == 0)
    idx = next(i for i, r in enumerate(rs) if pcaptool.token_fields(r[2]) and whole(r[2]))
    parts = pcaptool.sccp_parts(rs[idx][2])
    to, tl = pcaptool.token_fields(rs[idx][2])["token"]
    o, ln = parts["data"]
    frames = []
    for i in range(o, o + ln):
        if to - 4 <= i < to + tl:
            continue
        fr = bytearray(rs[idx][2])
        fr[i] ^= 0x01
        frames.append([rs[idx][0], rs[idx][1], fr])
    pcaptool.write_pcap(f("x.pcap"), h, e, frames)
    _, recs = verify(f("x.pcap"))
    check("each TCAP byte flipped (%d): never ok" % len(frames),
          len(recs) > 0 and all(r["trust"] != "ok" for r in recs), [r["trust"] for r in recs if r["trust"] == "ok"])

    # replay, stale
    pcaptool.write_pcap(f("x.pcap"), h, e, rs + rs)
    _, recs = verify(f("x.pcap"))
    sr = signed_recs(recs)
    check("replay", sum(r["trust"] == "replay" for r in sr) == len(sr) // 2 and len(sr) > 0,
          [r["trust"] for r in sr][:5])
    # a replay cache share of 1 % (max_rate 1: 177 entries, so one or two for Albion): A's
    # first tokens are recorded, the rest refused as replay_full, each counted as over the
    # operator's share (with one signer no set can be full of others' entries)
    conf = open(B).read()
    check("share: B's policy has a [trust] section without a share", "[trust]\n" in conf
          and "replay_share" not in conf and "max_rate" not in conf)
    share = os.path.join(os.path.dirname(B), "share.conf")  # its paths are relative
    with open(share, "w") as fh:
        fh.write(conf.replace("[trust]\n", "[trust]\nreplay_share = 1\nmax_rate = 1\n", 1))
    p, recs = verify(f("s.pcap"), conf=share)
    sr = signed_recs(recs)
    full = sum(r["trust"] == "replay_full" for r in sr)
    ok = sum(r["trust"] == "ok" for r in sr)
    check("share: A's tokens beyond its 1 % share refused as replay_full",
          1 <= ok <= 2 and full == len(sr) - ok and full > 10, (ok, full, len(sr)))
    line = "replay_full: %d over the signer's [trust] replay_share, 0 with the cache full" % full
    check("share: the refusals counted by cause", line in p.stderr, p.stderr[-600:])
    p = run([S, "sign", "--config", A, "--time", str(int(time.time()) - 3600), f("t.pcap"), f("old.pcap")])
    _, recs = verify(f("old.pcap"))
    check("stale", {r["trust"] for r in signed_recs(recs)} == {"stale"})

    # Review rev21 F5: the token is in TCAP, so it is verified whatever carried SCCP. A's
    # signed M3UA messages re-framed as MTP3 MSUs (link type 141) verify ok.
    h, e, rs = pcaptool.read_pcap(f("s.pcap"))
    msus = []
    for ts, us, fr in rs:
        sp = pcaptool.sccp_span(fr)
        if not sp:
            continue
        pd = sp[0] - 12  # M3UA protocol data: OPC, DPC, SI, NI, MP, SLS, then SCCP
        opc, dpc = struct.unpack(">II", bytes(fr[pd:pd + 8]))
        si, ni, sls = fr[pd + 8], fr[pd + 9], fr[pd + 11]
        label = (dpc & 0x3FFF) | (opc & 0x3FFF) << 14 | (sls & 15) << 28
        msus.append([ts, us, bytes([(ni & 3) << 6 | (si & 15)]) + struct.pack("<I", label) +
                     bytes(fr[sp[0]:sp[0] + sp[1]])])
    mh = bytearray(h)
    mh[20:24] = struct.pack(e + "I", 141)
    pcaptool.write_pcap(f("mtp3.pcap"), bytes(mh), e, msus)
    _, recs = verify(f("mtp3.pcap"))
    sr = signed_recs(recs)
    check("MTP3 framing: A's signed messages verified ok (%d)" % len(sr),
          len(sr) > 10 and all(r["trust"] == "ok" for r in sr), [r.get("trust") for r in sr[:5]])

    # F5: unsigned TCAP over SUA, M2PA, M2UA and MTP3 is missing -> drop under require, as
    # over M3UA. F3: ANSI TCAP has no place for a token: missing -> drop; ITU TCAP that does
    # not decode: malformed -> drop. SCCP management is never signed and is not judged.
    for name, args in (("sua", ["--adaptation", "sua"]), ("m2pa", ["--adaptation", "m2pa"]),
                       ("m2ua", ["--adaptation", "m2ua"]), ("mtp3", ["--link", "mtp3"]),
                       ("ansi", ["--users", "ansi"]), ("scmg", ["--users", "map,scmg"])):
        run([S, "generate", "--count", "60", "--seed", "7", "--no-management"] + args +
            [f("u-%s.pcap" % name)])
        p = run([S, "verify", "--config", B, "--json", "--all", f("u-%s.pcap" % name)])
        allr = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
        tc = [r for r in allr if "tcap" in r or "ansi_tcap" in r]
        if name == "scmg":
            sc = [r for r in allr if "scmg" in r]
            check("scmg: SCCP management not judged (%d), TCAP still missing" % len(sc),
                  sc and all("trust" not in r for r in sc) and tc and
                  all(r.get("trust") == "missing" for r in tc),
                  [(r.get("trust"), r.get("error")) for r in sc[:3]])
            continue
        check("%s: every unsigned TCAP message missing -> drop (%d)" % (name, len(tc)),
              len(tc) >= 50 and all(r.get("trust") == "missing" and r.get("trust_action") == "drop"
                                    for r in tc),
              [(r.get("frame"), r.get("trust")) for r in tc if r.get("trust") != "missing"][:5])
    h, e, rs = pcaptool.read_pcap(f("t.pcap"))
    bad = []
    for ts, us, fr in rs:
        pp = pcaptool.sccp_parts(fr)
        # a whole ITU TCAP message (Unidirectional, Begin, End, Continue, Abort)
        if pp and pp["type"] == 0x09 and fr[pp["data"][0]] in (0x61, 0x62, 0x64, 0x65, 0x67):
            fr[pp["data"][0]] = 0x05  # no TCAP message type
            bad.append([ts, us, fr])
    pcaptool.write_pcap(f("badtcap.pcap"), h, e, bad)
    _, recs = verify(f("badtcap.pcap"))
    check("TCAP that does not decode: malformed -> drop (%d of %d)" % (len(recs), len(bad)),
          len(bad) > 10 and len(recs) == len(bad) and
          all(r["trust"] == "malformed" and r["trust_action"] == "drop" and r.get("trust_error")
              for r in recs), [(r.get("trust"), r.get("trust_error")) for r in recs[:3]])

    # GT outside A's certificate: A signs everything (sign = all) of a random corpus
    allc = f("albion-all.conf")
    with open(A) as src, open(allc, "w") as dst:
        txt = src.read().replace('sign = "members"', 'sign = "all"')
        txt = txt.replace('"sign.key"', '"%s"' % os.path.join(d, "albion/sign.key"))
        txt = txt.replace('"ka.key"', '"%s"' % os.path.join(d, "albion/ka.key"))
        txt = txt.replace('"../', '"%s/' % d)
        dst.write(txt)
    run([S, "generate", "--count", "400", "--no-management", f("g.pcap")])
    p = run([S, "sign", "--config", allc, f("g.pcap"), f("gs.pcap")])
    check("sign all (generate corpus)", p.returncode == 0, p.stderr)
    offc = f("safari-off.conf")
    with open(B) as src, open(offc, "w") as dst:
        txt = src.read().replace('inbound = "require"', 'inbound = "off"').replace('trust = "require"', 'trust = "off"')
        txt = txt.replace('"sign.key"', '"%s"' % os.path.join(d, "safari/sign.key"))
        txt = txt.replace('"ka.key"', '"%s"' % os.path.join(d, "safari/ka.key"))
        txt = txt.replace('"../', '"%s/' % d)
        dst.write(txt)
    p, recs = verify(f("gs.pcap"), offc, ["--strip", f("st.pcap")])
    outs = {}
    for r in recs:
        if r.get("token_bytes"):
            outs[r["trust"]] = outs.get(r["trust"], 0) + 1
    check("GT outside A's certificate -> gt_not_authorised",
          outs.get("gt_not_authorised", 0) > 100 and set(outs) <= {"gt_not_authorised", "ok"}, outs)
    # byte-exact restoration: every M3UA message of the corpus comes back
    _, _, orig = pcaptool.read_pcap(f("g.pcap"))
    _, _, back = pcaptool.read_pcap(f("st.pcap"))
    m = lambda r: bytes(r[2][slice(*(lambda s: (s[0], s[0] + s[1]))(pcaptool.m3ua_span(r[2])))])
    def tcap(r):
        pp = pcaptool.sccp_parts(r[2])
        return bytes(r[2][pp["data"][0]:pp["data"][0] + pp["data"][1]]) if pp else m(r)
    om, bm = [tcap(r) for r in orig], [tcap(r) for r in back]
    same = sum(1 for x, y in zip(om, bm) if x == y)
    whole_same = sum(1 for x, y in zip(orig, back) if m(x) == m(y))
    print("note: %d of %d M3UA messages identical as a whole (XUDT without importance comes back "
          "as UDT)" % (whole_same, len(orig)))
    check("byte-exact TCAP restoration after strip (%d of %d identical)" % (same, len(om)),
          len(om) == len(bm) and same == len(om), [i for i, (x, y) in enumerate(zip(om, bm)) if x != y][:10])

    # unknown signer, revoked, expired, older bundle
    ca = os.path.join(d, "ca")
    run([T, "request", "--key", f("r.key"), "--name", "Rhein Telekom", "--country", "DE", "--mccmnc",
         "26201", "--gt", "491710", f("r.req")])
    run([T, "verify-request", ca, f("r.req")])
    run([T, "approve", ca, f("r.req"), "--officer", "A. Officer"])
    run([T, "approve", ca, f("r.req"), "--officer", "B. Officer"])
    p = run([T, "issue", ca, f("r.req"), f("r.crt")])
    check("issue third operator", p.returncode == 0, p.stderr)
    p = run([T, "bundle", ca, f("b2.bundle")])
    rconf = f("rhein.conf")
    with open(rconf, "w") as o:
        o.write('[home]\nname = "Rhein Telekom"\nmcc_mnc = ["26201"]\ngt_prefixes = ["491710"]\n'
                '[trust]\nkey = "r.key"\nroot = "%s/root.crt"\nbundle = "b2.bundle"\nsign = "all"\n' % d)
    run([S, "sign", "--config", rconf, f("g.pcap"), f("rs.pcap")])
    _, recs = verify(f("rs.pcap"))
    check("unknown signer -> unknown_key", {r["trust"] for r in recs if r.get("token_bytes")} == {"unknown_key"})
    p = run([S, "verify", "--config", B, "--min-sequence", "2", f("s.pcap")])
    check("older bundle refused at load", p.returncode == 1 and "older" in p.stderr, p.stderr)
    serial = run([T, "list", ca]).stdout
    # revoke A and make bundle 3 for B
    sig = None
    for line in open(os.path.join(d, "albion", "albion.crt")).read().split("\n"):
        pass
    p = run(["openssl", "x509", "-in", os.path.join(d, "albion/albion.crt"), "-noout", "-serial"])
    sig = p.stdout.strip().split("=")[-1].lower()
    p = run([T, "revoke", ca, sig, "--reason", "keyCompromise"])
    check("revoke A", p.returncode == 0, p.stderr)
    run([T, "bundle", ca, os.path.join(d, "trust.bundle.new")])
    os.replace(os.path.join(d, "trust.bundle.new"), os.path.join(d, "trust.bundle"))
    _, recs = verify(f("s.pcap"))
    check("revoked", {r["trust"] for r in signed_recs(recs)} == {"revoked"},
          {r["trust"] for r in signed_recs(recs)})
    # expired: a new operator certificate valid in the past
    run([T, "request", "--key", f("e.key"), "--name", "Albion Mobile", "--country", "GB", "--mccmnc",
         "23491", "--gt", "447924", f("e.req")])
    run([T, "verify-request", ca, f("e.req")])
    run([T, "approve", ca, f("e.req"), "--officer", "A. Officer"])
    run([T, "approve", ca, f("e.req"), "--officer", "B. Officer"])
    now = int(time.time())
    p = run([T, "issue", ca, f("e.req"), f("e.crt"), "--not-before", str(now - 10 * 86400),
             "--not-after", str(now - 86400)])
    check("issue expired certificate", p.returncode == 0, p.stderr)
    run([T, "bundle", ca, os.path.join(d, "trust.bundle.new")])
    os.replace(os.path.join(d, "trust.bundle.new"), os.path.join(d, "trust.bundle"))
    econf = f("expired.conf")
    with open(econf, "w") as o:
        o.write('[home]\nname = "Albion Mobile"\nmcc_mnc = ["23491"]\ngt_prefixes = ["447924"]\n'
                '[trust]\nkey = "e.key"\nroot = "%s/root.crt"\nbundle = "%s/trust.bundle"\nsign = "all"\n' % (d, d))
    p = run([S, "sign", "--config", econf, f("t.pcap"), f("es.pcap")])
    _, recs = verify(f("es.pcap"))
    check("expired", {r["trust"] for r in signed_recs(recs)} == {"expired"},
          {r["trust"] for r in signed_recs(recs)})
    # key file with loose permissions
    os.chmod(f("e.key"), 0o644)
    p = run([S, "sign", "--config", econf, f("t.pcap"), f("es.pcap")])
    check("key readable by others refused", p.returncode == 1 and "chmod" in p.stderr, p.stderr)
    check("bounded in time (%.1f s)" % (time.time() - t0), time.time() - t0 < 120)
    print("%d failures" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
