#!/usr/bin/env python3
"""Signed Diameter between two operators' gateways (docs/wire-format.md "Signed Diameter"),
with the trust material of examples/trust/setup.sh (a TSCA, Albion Mobile and Safari Mobile
certified for their MCC-MNCs, a signed bundle; each requires the other's tokens).

  Safari's MME -> Safari's gateway (signs) -> Albion's gateway (verifies, strips) -> Albion's
  HSS, and the answer back the same way signed by Albion: both ends get their messages
  without the token AVP, Route-Record added, DIAMETER_SUCCESS end to end.
Then a signed request taken off the wire (a peer Safari's gateway routes to by
Destination-Host) is sent to Albion's gateway as it is and tampered with, each tamper with
its outcome: ok (stripped, forwarded), replay, bad_signature (a covered AVP changed),
unknown_key, malformed (token data broken), missing (unsigned from a partner that must
sign), gt_not_authorised (Safari's key signing for Rhein Telekom's realm). tshark decodes a
signed message without a malformed mark (the token AVP is an undecoded vendor AVP).
"""
import argparse
import os
import re
import shutil
import signal
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gwtest  # noqa: E402
from diamtest import (ROUTE_RECORD, Peer, answer_to, dinvariant, find_all, listener,  # noqa
                      parse, result_of, ulr, wait_for, write_config)
from gwtest import check, free_port, records, status  # noqa: E402

ALBION = "epc.mnc091.mcc234.3gppnetwork.org"
SAFARI = "epc.mnc002.mcc639.3gppnetwork.org"
RHEIN = "epc.mnc001.mcc262.3gppnetwork.org"
MME = "mme1." + SAFARI
IMSI = "234910000012345"
TOKEN_VENDOR = 32473


def token_avp(m):
    return [a for a in parse(m)["avps"] if a[0] == 1 and a[1] == TOKEN_VENDOR]


def der_fields(d):
    """The SecurityToken's fields (tag number -> value) from its DER (short lengths)."""
    assert d[0] == 0x30
    o, out = 2 if d[1] < 0x80 else 3, {}
    while o < len(d):
        tag, ln = d[o] & 0x1f, d[o + 1]
        out[tag] = d[o + 2:o + 2 + ln]
        o += 2 + ln
    return out


def signature_input(m, tok):
    """docs/wire-format.md "Signed Diameter": the head, then every top-level AVP but
    Route-Record, Proxy-Info and the token, padding as zeros; written from the document."""
    f = der_fields(tok)
    head = (b"SSGWDIAM1" + bytes([f[0][0], f[1][0]]) + f[2] + b"\0" * 8 +
            int.from_bytes(f[3], "big").to_bytes(8, "big") + f[4] + bytes([m[0], m[4] & 0xe0]) +
            m[5:8] + m[8:12] + m[16:20])
    body, o = b"", 20
    while o + 8 <= len(m):
        code, fl = struct.unpack(">II", m[o:o + 8])
        ln = fl & 0xffffff
        vendor = struct.unpack(">I", m[o + 8:o + 12])[0] if fl >> 24 & 0x80 else 0
        padded = (ln + 3) & ~3
        if not (vendor == 0 and code in (282, 284)) and not (vendor == TOKEN_VENDOR and
                                                              code == 1):
            body += m[o:o + ln] + b"\0" * (padded - ln)
        o += padded
    return head + body, f[5]


def with_hbh(m, hbh):
    b = bytearray(m)
    b[12:16] = struct.pack(">I", hbh)
    return bytes(b)


def events_of(path, link, n=0):
    """The judged messages of one link in the events file; with n, waits (the gateway writes
    the file in batches, at least once a second) until there are n of them."""
    ev = lambda: [e for e in records(path) if e.get("link") == link and "action" in e]  # noqa
    if n:
        wait_for(lambda: len(ev()) >= n, 10)
    return ev()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ssgw", required=True)
    ap.add_argument("--tsca", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    work = args.workdir
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    trust = os.path.join(work, "trust")
    env = dict(os.environ, SSGW=args.ssgw, TSCA=args.tsca, DEMO="0")
    p = subprocess.run(["sh", os.path.join(args.source, "examples/trust/setup.sh"), trust],
                       env=env, capture_output=True, text=True)
    check("trust material (examples/trust/setup.sh)", p.returncode == 0, p.stderr[-800:])
    conf = open(os.path.join(trust, "safari/ssgw.conf")).read()
    with open(os.path.join(trust, "safari/ssgw-all.conf"), "w") as f:  # signs whatever it sends
        f.write(conf.replace('sign = "members"', 'sign = "all"'))
    try:
        run(args, work, trust)
    finally:
        for proc in gwtest.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        gwtest.kill_all()
    return gwtest.summary()


def run(args, work, trust):
    sa, ss = os.path.join(work, "albion.sock"), os.path.join(work, "safari.sock")
    ea, es = os.path.join(work, "albion-events.jsonl"), os.path.join(work, "safari-events.jsonl")
    pa_out, pa_ipx, pa_hss, ps_mme, p_tap = (free_port() for _ in range(5))
    tap_listen = listener(p_tap)
    cfg_a = write_config(
        os.path.join(work, "albion.toml"),
        {"origin_host": "dea." + ALBION, "origin_realm": ALBION},
        [{"name": "from-safari", "side": "outer", "listen": "127.0.0.1:%d" % pa_out},
         {"name": "ipx", "side": "outer", "listen": "127.0.0.1:%d" % pa_ipx},
         {"name": "hss", "side": "inner", "listen": "127.0.0.1:%d" % pa_hss}],
        ['status_socket = "%s"' % sa, 'policy = "%s"' % os.path.join(trust, "albion/ssgw.conf"),
         'events = "%s"' % ea, "events_all = true"])
    cfg_s = write_config(
        os.path.join(work, "safari.toml"),
        {"origin_host": "dea." + SAFARI, "origin_realm": SAFARI},
        [{"name": "mme", "side": "inner", "listen": "127.0.0.1:%d" % ps_mme},
         {"name": "to-albion", "side": "outer", "connect": "127.0.0.1:%d" % pa_out,
          "realms": [ALBION]},
         {"name": "tap", "side": "outer", "connect": "127.0.0.1:%d" % p_tap}],
        ['status_socket = "%s"' % ss,
         'policy = "%s"' % os.path.join(trust, "safari/ssgw-all.conf"),
         'events = "%s"' % es, "events_all = true", "reconnect_ms = 100"])
    ga = gwtest.gateway(args.ssgw, cfg_a, sa, os.path.join(work, "albion.log"))
    gs = gwtest.gateway(args.ssgw, cfg_s, ss, os.path.join(work, "safari.log"))
    hss = Peer("hss1." + ALBION, ALBION, connect=("127.0.0.1", pa_hss))
    mme = Peer(MME, SAFARI, connect=("127.0.0.1", ps_mme))
    tap = Peer("tap1.tap.example", "tap.example", listen_sock=tap_listen, cer=False)
    tap.s.settimeout(5)
    tap.recv_cer = tap.read()  # the gateway's CER
    tap.send(tap.cea_for(tap.recv_cer))

    def opened(sock, names):
        return lambda: all(p["state"] in ("i-open", "r-open")
                           for p in status(sock)["diameter"]["peers"] if p["name"] in names)
    check("both gateways up, Safari's connected to Albion's",
          wait_for(opened(ss, ("mme", "to-albion", "tap")), 15) and
          wait_for(opened(sa, ("from-safari", "hss")), 5), gwtest.text(
              os.path.join(work, "safari.log"))[-800:])

    # ---- signed both ways ----
    req = ulr(MME, SAFARI, ALBION, IMSI, "639", "02", hbh=0x100)
    mme.send(req)
    got = hss.recv()
    check("Albion's HSS got the ULR", got is not None)
    g = parse(got)
    check("verified and stripped: no token AVP reaches the HSS", not token_avp(got))
    check("the HSS's ULR is Safari's MME's, Route-Records added by the two gateways",
          [a for a in g["avps"] if a[0] != ROUTE_RECORD] ==
          [a for a in parse(req)["avps"]] and
          len(find_all(g, ROUTE_RECORD)) == 2, g["avps"][-3:])
    hss.send(answer_to(got, 2001, hss.host, hss.realm))
    a = mme.recv()
    check("the answer reached the MME, stripped, DIAMETER_SUCCESS",
          a is not None and not token_avp(a) and result_of(parse(a)) == (2001, 0) and
          parse(a)["hbh"] == 0x100)
    ev_a = events_of(ea, "from-safari", 1)
    ev_s = events_of(es, "to-albion", 1)
    check("Albion: trust ok, signer Safari Mobile, stripped",
          ev_a and ev_a[0].get("trust") == "ok" and ev_a[0].get("signer") == "Safari Mobile" and
          ev_a[0].get("action") == "forward-modified", ev_a[:1])
    check("Safari: Albion's answer verified (signer Albion Mobile)",
          ev_s and ev_s[0].get("trust") == "ok" and ev_s[0].get("signer") == "Albion Mobile",
          ev_s[:1])
    sig = [e for e in events_of(es, "mme", 1) if e.get("signed")]
    check("Safari signed the MME's request", len(sig) == 1 and sig[0].get("token_bytes"), sig)

    # ---- a signed request taken off the wire ----
    mme.send(ulr(MME, SAFARI, ALBION, IMSI, "639", "02", hbh=0x200,
                 dest_host="tap1.tap.example"))
    s1 = tap.recv()
    check("the tap got a signed ULR (token AVP: V set, M clear)",
          s1 is not None and len(token_avp(s1)) == 1 and token_avp(s1)[0][2] == 0x80)
    mme.send(ulr(RHEIN.replace("epc", "mme1.epc"), RHEIN, ALBION, IMSI, "262", "01", hbh=0x300,
                 dest_host="tap1.tap.example"))
    s_rhein = tap.recv()
    check("Safari's gateway signed a ULR claiming Rhein Telekom's realm (sign = \"all\")",
          s_rhein is not None and len(token_avp(s_rhein)) == 1)
    # tshark: no malformed mark on the signed message
    hexf, pcap = os.path.join(work, "signed.hex"), os.path.join(work, "signed.pcap")
    with open(hexf, "w") as f:
        f.write("0000 " + " ".join("%02x" % b for b in s1) + "\n")
    subprocess.run(["text2pcap", "-q", "-S", "40002,3868,46", hexf, pcap], check=True)
    v = subprocess.run(["tshark", "-r", pcap, "-V"], capture_output=True, text=True).stdout
    experts = re.findall(r"\[Expert Info \((\w+)/(\w+)\)", v)
    check("tshark: a Diameter ULR, no malformed mark, only the token AVP undecoded",
          "Command Code: 3GPP-Update-Location (316)" in v and "Malformed" not in v and
          all(g == "Undecoded" for _, g in experts) and "vnd=32473" in v, experts)

    # the documented signature input, built here, verified by openssl with Safari's key
    tbs, raw = signature_input(s1, token_avp(s1)[0][3])
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")

    def der_int(x):
        b = x.to_bytes(33, "big").lstrip(b"\0")
        b = b"\0" + b if b[0] & 0x80 else b
        return b"\x02" + bytes([len(b)]) + b
    seq = der_int(r) + der_int(s)
    open(os.path.join(work, "tbs.bin"), "wb").write(tbs)
    open(os.path.join(work, "sig.der"), "wb").write(b"\x30" + bytes([len(seq)]) + seq)
    pub = subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in",
                          os.path.join(trust, "safari/safari.crt")], capture_output=True).stdout
    open(os.path.join(work, "safari.pub"), "wb").write(pub)
    o = subprocess.run(["openssl", "dgst", "-sha256", "-verify", os.path.join(work, "safari.pub"),
                        "-signature", os.path.join(work, "sig.der"), os.path.join(work, "tbs.bin")],
                       capture_output=True, text=True)
    check("openssl verifies the token over the signature input docs/wire-format.md defines",
          o.returncode == 0 and "Verified OK" in o.stdout, o.stdout + o.stderr)
    with open(os.path.join(work, "example.txt"), "w") as f:  # for the documentation's example
        f.write("signed %s\ntbs %s\n" % (s1.hex(), tbs.hex()))

    # ---- tamper outcomes, each sent to Albion's gateway by a forger on its IPX peer ----
    forger = Peer("dea.ipx.example", "ipx.example", connect=("127.0.0.1", pa_ipx))
    tok_at = s1.find(struct.pack(">I", TOKEN_VENDOR)) - 8  # the token AVP's header
    key_at = s1.find(b"\x82\x08", tok_at) + 2  # keyId [2] OCTET STRING (8)
    imsi_at = s1.find(IMSI.encode())

    def flip(m, at):
        b = bytearray(m)
        b[at] ^= 0x01
        return bytes(b)
    broken = bytearray(s1)
    broken[tok_at + 12] = 0xff  # the token's DER no longer starts a SEQUENCE
    unsigned = ulr(MME, SAFARI, ALBION, IMSI, "639", "02", hbh=0x400)
    cases = [("ok", s1), ("replay", s1), ("bad_signature", flip(s1, imsi_at + 5)),
             ("unknown_key", flip(s1, key_at)), ("malformed", bytes(broken)),
             ("missing", unsigned), ("gt_not_authorised", s_rhein)]
    base = status(sa)["diameter"]["counters"]["data_in"]
    for i, (_, m) in enumerate(cases):  # one at a time, in order (the replay follows the ok)
        forger.send(with_hbh(m, 0x900 + i))
        wait_for(lambda: status(sa)["diameter"]["counters"]["data_in"] >= base + i + 1, 5)
    evs = events_of(ea, "ipx", len(cases))
    got_outcomes = [e.get("trust") for e in evs]
    check("each tamper with its outcome", got_outcomes == [c[0] for c in cases],
          list(zip([c[0] for c in cases], got_outcomes)))
    check("only the genuine message went on (stripped), every other one dropped",
          [e.get("action") for e in evs] == ["forward-modified"] + ["drop"] * (len(cases) - 1),
          [(e.get("trust"), e.get("action"), e.get("check")) for e in evs])
    fwd = hss.recv()
    check("the genuine one reached the HSS without its token",
          fwd is not None and not token_avp(fwd) and parse(fwd)["code"] == 316)
    for sock in (sa, ss):
        st = status(sock)
        check("invariant on %s" % os.path.basename(sock), dinvariant(st),
              st["diameter"]["counters"])
    st = status(sa)
    tr = st.get("pipeline", {}).get("trust_outcomes", {})
    check("Albion's pipeline counted the outcomes",
          tr.get("replay") == 1 and tr.get("bad_signature") == 1 and tr.get("missing") == 1 and
          tr.get("gt_not_authorised") == 1 and tr.get("unknown_key") == 1, tr)
    for proc in (ga, gs):
        gwtest.stop(proc)


if __name__ == "__main__":
    sys.exit(main())
